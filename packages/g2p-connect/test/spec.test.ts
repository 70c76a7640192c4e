import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import generated from "../src/generated/registry-specs.json" with { type: "json" };
import { DIALECTS, SPEC_SOURCES, SPEC_TOLERANCES, schemaValidator, specDocument } from "../src/index.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

describe("vendored specification", () => {
  it("src/generated/registry-specs.json matches the vendored YAML (run `pnpm generate`)", () => {
    for (const dialect of DIALECTS) {
      const yaml = parse(readFileSync(root + SPEC_SOURCES[dialect], "utf8"));
      expect(generated.documents[dialect], dialect).toEqual(yaml);
    }
  });

  it("is the 1.0.0 registry API of each dialect", () => {
    expect((specDocument("g2pconnect").info as { title: string; version: string }).version).toBe("1.0.0");
    expect((specDocument("dci").info as { version: string }).version).toBe("1.0.0");
  });

  it("ships every licence the sources name", () => {
    const sources = readFileSync(root + "spec/SOURCES.md", "utf8");
    for (const file of ["LICENSES/G2P-Connect_specs_LICENSE.md", "LICENSES/spdci_standards_LICENSE.md"]) {
      expect(sources).toContain(file);
      expect(readFileSync(root + "spec/" + file, "utf8")).toContain("Apache License");
    }
  });

  it("compiles every message schema of both dialects", () => {
    for (const dialect of DIALECTS) {
      for (const schema of [
        "syncSearchRequest",
        "syncSearchResponse",
        "searchRequest",
        "onSearchCallback",
        "ack",
        "httpError",
      ] as const) {
        expect(schemaValidator(dialect, schema), `${dialect} ${schema}`).toBeTypeOf("function");
      }
    }
    expect(SPEC_TOLERANCES.length).toBeGreaterThan(0);
  });
});
