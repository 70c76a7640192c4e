import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { GraphQLEnumType, buildClientSchema, buildSchema, printSchema } from "graphql";
import { describe, expect, it } from "vitest";
import * as generated from "../src/index";

const sdl = readFileSync(fileURLToPath(new URL("../../../apps/api/schema.graphql", import.meta.url)), "utf8");

describe("generated artefacts", () => {
  it("introspection.json describes exactly the committed SDL (re-run `generate` if this fails)", () => {
    const fromIntrospection = buildClientSchema(generated.introspection);
    expect(printSchema(fromIntrospection)).toBe(printSchema(buildSchema(sdl)));
  });

  it("exports every enum of the schema as a const object with the schema's values", () => {
    const enums = Object.values(buildSchema(sdl).getTypeMap()).filter(
      (type): type is GraphQLEnumType => type instanceof GraphQLEnumType && !type.name.startsWith("__"),
    );
    expect(enums.length).toBeGreaterThan(0);
    const exported = generated as unknown as Record<string, Record<string, string> | undefined>;
    for (const type of enums) {
      const values = type.getValues().map((value) => value.value as string);
      expect(exported[type.name], type.name).toBeDefined();
      expect(Object.values(exported[type.name] ?? {}).sort(), type.name).toEqual([...values].sort());
      // Keys are the schema's value names (namingConvention keep), e.g. JobState.QUEUED.
      expect(Object.keys(exported[type.name] ?? {}).sort(), type.name).toEqual([...values].sort());
    }
  });
});
