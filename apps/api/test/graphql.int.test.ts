import { readFile } from "node:fs/promises";
import {
  isEnumType,
  isInputObjectType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLSchema,
} from "graphql";
import { getMetadataStorage } from "type-graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pbmsSchema } from "../src/graphql/schema.ts";
import { printSchemaFile } from "../src/graphql/sdl.ts";
import { startHarness, type Harness } from "./harness.ts";

describe("schema", () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await pbmsSchema();
  });

  it("matches the committed schema.graphql (run `pnpm --filter @pbms/api schema:emit` after changing resolvers)", async () => {
    const committed = await readFile(new URL("../schema.graphql", import.meta.url), "utf8");
    expect(committed).toBe(await printSchemaFile());
  });

  it("describes every type, field, argument and enum value", () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith("__") || ["String", "Int", "Float", "Boolean", "ID"].includes(type.name))
        continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          const args: readonly GraphQLArgument[] = "args" in field ? field.args : [];
          for (const arg of args) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues())
          if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("declares the roles of every query and mutation", () => {
    const storage = getMetadataStorage();
    const authorized = new Set(storage.authorizedFields.map((f) => `${f.target.name}.${f.fieldName}`));
    const operations = [...storage.queries, ...storage.mutations].map(
      (q) => `${q.target.name}.${q.methodName}`,
    );
    expect(operations.length).toBeGreaterThan(5);
    expect(operations.filter((op) => !authorized.has(op))).toEqual([]);
  });
});

describe("errors and limits", () => {
  let h: Harness;
  let admin: string;
  beforeAll(async () => {
    h = await startHarness();
    admin = await h.userToken("admin");
  });
  afterAll(() => h?.close());

  it("reports invalid input as BAD_USER_INPUT naming the field, and changes nothing", async () => {
    const viewer = await h.gql<{ viewer: { department: { id: string; currency: string } } }>(
      "{ viewer { department { id currency } } }",
      {},
      admin,
    );
    const { id, currency } = viewer.data!.viewer.department;
    const res = await h.gql(
      'mutation ($id: ID!) { updateDepartment(id: $id, currency: "DOLLARS", name: "Renamed") { id } }',
      { id },
      admin,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "currency" });
    const [row] = await h.sql<{ currency: string; name: string }>(
      "SELECT currency, name FROM department WHERE id = $1",
      [id],
    );
    expect(row).toMatchObject({ currency, name: expect.not.stringMatching("Renamed") });
  });

  it("refuses sorting by a field outside the allow-list", async () => {
    const res = await h.gql('{ auditEvents(sortField: "before") { id } }', {}, admin);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "sortField" });
  });

  it("refuses pages larger than the maximum", async () => {
    const res = await h.gql("{ auditEvents(perPage: 100000) { id } }", {}, admin);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "perPage" });
  });

  it("refuses queries nested deeper than the limit", async () => {
    const shallow = await startHarness({ env: { GRAPHQL_MAX_DEPTH: "2" } });
    try {
      const token = await shallow.userToken("admin");
      expect((await shallow.gql("{ viewer { id } }", {}, token)).errors).toBeUndefined();
      const res = await shallow.gql("{ viewer { department { id } } }", {}, token);
      expect(res.errors?.[0]?.message).toMatch(/depth/i);
    } finally {
      await shallow.close();
    }
  });

  it("refuses request bodies above the size limit", async () => {
    const res = await fetch(`${h.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
      body: JSON.stringify({ query: "{ viewer { id } }", variables: { pad: "x".repeat(2 * 1024 * 1024) } }),
    });
    expect(res.status).toBe(413);
  });

  it("masks unexpected errors and never sends stack traces", async () => {
    const res = await h.gql('{ job(id: "not-a-uuid") { id } }', {}, admin);
    const error = res.errors?.[0];
    expect(error?.extensions?.code).toBeDefined();
    expect(JSON.stringify(res)).not.toMatch(/at .*\.ts:\d+/);
  });

  it("answers CORS preflights only for allowed origins", async () => {
    const allowed = await fetch(`${h.url}/graphql`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" },
    });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    const upload = await fetch(`${h.url}/files`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:5173",
        "access-control-request-method": "POST",
        "access-control-request-headers": "x-file-name",
      },
    });
    expect(upload.headers.get("access-control-allow-headers")).toMatch(/x-file-name/);
    const denied = await fetch(`${h.url}/graphql`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("operational endpoints", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it("reports liveness, readiness and Prometheus metrics", async () => {
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/pbms_http_request_duration_seconds/);
  });

  it("is not ready while a migration is pending", async () => {
    await h.sql("DELETE FROM schema_migration");
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(503);
  });
});
