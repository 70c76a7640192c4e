// The registrant list against PostgreSQL, as the API's role under row-level
// security: capped exact counts and estimates, cursor pages against offset
// pages, the errors of bad cursors and too deep pages, and the index functions.
import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@pbms/db";
import { createTestDatabase, withClient, type TestDatabase } from "@pbms/db/testing";
import { Role } from "../../auth/roles.ts";
import type { RequestContext } from "../../context.ts";
import { createLogger } from "../../logger.ts";
import { countRegistrants, EXACT_LIMIT, findRegistrants, type LookupMode } from "./registrant.service.ts";
import type { RegistrantFilter, RegistrantPageArgs } from "./registry.type.ts";

let database: TestDatabase;
let db: Db;
let demo: string;

const context = (tenantId: string): RequestContext => ({
  requestId: "test",
  principal: {
    subject: "test",
    username: "test",
    name: undefined,
    email: undefined,
    roles: [Role.Admin],
    tenantCode: "demo",
    clientId: undefined,
  },
  tenantId,
  db,
  log: createLogger("silent"),
});

/** A new request of department demo (a request keeps what its index functions found). */
const request = () => context(demo);

/** The ids of the department's registrants matching `where`, counted as the owner (no row-level security). */
async function truth(where: string, params: unknown[] = []): Promise<number> {
  const [row] = await withClient(
    database.ownerUrl,
    async (c) =>
      (
        await c.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM registrant r WHERE r.tenant_id = $1 AND ${where}`,
          [demo, ...params],
        )
      ).rows,
  );
  return row!.n;
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.appUrl, { max: 2 });
  await withClient(database.ownerUrl, async (c) => {
    const ids = await c.query<{ code: string; id: string }>("SELECT code, id FROM department");
    demo = ids.rows.find((d) => d.code === "demo")!.id;
    const other = ids.rows.find((d) => d.code === "other")!.id;
    // 420 registrants with many equal names, registration dates and birth dates (ties broken
    // by id), groups without a birth date (nulls), and some tags and attributes.
    await c.query(
      `INSERT INTO registrant (id, tenant_id, kind, name, birth_date, sex, registration_date, tags, attributes)
       SELECT gen_random_uuid(), $1,
              CASE WHEN g % 7 = 0 THEN 'GROUP' ELSE 'INDIVIDUAL' END::"RegistrantKind",
              (ARRAY['Amina Wanjiru', 'Amina Otieno', 'Baraka Otieno', 'Zawadi Achieng'])[1 + g % 4] || ' ' || (g % 9),
              CASE WHEN g % 7 = 0 THEN NULL ELSE DATE '1960-01-01' + (g % 23) * 400 END,
              CASE WHEN g % 7 = 0 THEN NULL ELSE 'FEMALE' END::"Sex",
              DATE '2024-01-01' + (g % 11),
              CASE WHEN g % 3 = 0 THEN ARRAY['pilot'] ELSE ARRAY[]::text[] END,
              CASE WHEN g % 5 = 0 THEN '{"roof_material": "thatch"}' ELSE '{}' END::jsonb
         FROM generate_series(1, 420) g`,
      [demo],
    );
    // The same names, tag and attribute in the other department: never part of demo's lists.
    await c.query(
      `INSERT INTO registrant (id, tenant_id, kind, name, tags, attributes)
       SELECT gen_random_uuid(), $1, 'INDIVIDUAL', 'Amina Wanjiru ' || g, ARRAY['pilot'], '{"roof_material": "thatch"}'
         FROM generate_series(1, 30) g`,
      [other],
    );
    await c.query("ANALYZE registrant");
  });
});

afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

/** All rows of a list, page by page with `page`. */
async function byOffset(args: RegistrantPageArgs, perPage: number, lookups?: LookupMode) {
  const ids: string[] = [];
  for (let page = 0; ; page++) {
    const rows = await findRegistrants(request(), { ...args, page, perPage }, { lookups });
    ids.push(...rows.map((r) => r.id));
    if (rows.length < perPage) return ids;
  }
}

/** All rows of a list, page by page with `after` and the cursor of each page's last row. */
async function byCursor(args: RegistrantPageArgs, perPage: number) {
  const ids: string[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const rows = await findRegistrants(request(), { ...args, perPage, after });
    ids.push(...rows.map((r) => r.id));
    if (rows.length < perPage) return ids;
    after = rows.at(-1)!.cursor!;
  }
  throw new Error("the cursor pages never end");
}

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as { message: string; extensions: Record<string, unknown> },
  );
  expect(error, "expected the call to fail").toBeDefined();
  return error!;
}

describe("registrant counts", () => {
  it("are exact up to the limit", async () => {
    const filter: RegistrantFilter = { kind: "INDIVIDUAL", tag: "pilot" };
    const expected = await truth(`r.kind = 'INDIVIDUAL' AND r.tags @> '{pilot}'`);
    expect(expected).toBeGreaterThan(50);
    expect(await countRegistrants(request(), { filter })).toEqual({
      count: expected,
      estimated: false,
      exactLimit: EXACT_LIMIT,
    });
    expect(await countRegistrants(request(), { filter }, { exactLimit: expected })).toEqual({
      count: expected,
      estimated: false,
      exactLimit: expected,
    });
  });

  it("are estimated, and flagged, above the limit, never below it", async () => {
    const result = await countRegistrants(request(), { filter: { tag: "pilot" } }, { exactLimit: 50 });
    expect(result.estimated).toBe(true);
    expect(result.exactLimit).toBe(50);
    expect(result.count).toBeGreaterThan(50);
  });

  it("estimate the department's own rows, not a share of the table", async () => {
    const expected = await truth("true");
    const result = await countRegistrants(request(), {}, { exactLimit: 10 });
    expect(result.estimated).toBe(true);
    expect(result.count).toBeGreaterThan(expected * 0.8);
    expect(result.count).toBeLessThan(expected * 1.2);
  });
});

describe("registrant pages", () => {
  const lists: [string, RegistrantPageArgs][] = [
    ["name", { sortField: "name", sortOrder: "ASC" }],
    ["name descending", { sortField: "name", sortOrder: "DESC" }],
    ["registration date descending", { sortField: "registrationDate", sortOrder: "DESC" }],
    ["birth date (groups have none)", { sortField: "birthDate", sortOrder: "ASC" }],
    ["birth date descending", { sortField: "birthDate", sortOrder: "DESC" }],
    ["kind", { sortField: "kind", sortOrder: "ASC" }],
    ["creation time", { sortField: "createdAt", sortOrder: "DESC" }],
    ["name search", { filter: { q: "Amina Otieno" } }],
    ["name search by birth date", { filter: { q: "amina" }, sortField: "birthDate", sortOrder: "DESC" }],
    ["filtered", { filter: { kind: "INDIVIDUAL", tag: "pilot", age_gte: 30 }, sortField: "name" }],
  ];

  it.each(lists)("by cursor are the pages by offset (%s)", async (_, args) => {
    const offset = await byOffset(args, 11);
    expect(offset.length).toBeGreaterThan(20);
    expect(new Set(offset).size).toBe(offset.length);
    expect(await byCursor(args, 11)).toEqual(offset);
  });

  it("continue from the cursor's position even when its row has changed since", async () => {
    const first = await findRegistrants(request(), { sortField: "name", perPage: 5 });
    const next = await findRegistrants(request(), {
      sortField: "name",
      perPage: 5,
      after: first.at(-1)!.cursor!,
    });
    await withClient(database.ownerUrl, (c) =>
      c.query("UPDATE registrant SET name = 'Zzz moved away' WHERE id = $1", [first.at(-1)!.id]),
    );
    const again = await findRegistrants(request(), {
      sortField: "name",
      perPage: 5,
      after: first.at(-1)!.cursor!,
    });
    expect(again.map((r) => r.id)).toEqual(next.map((r) => r.id));
  });

  it("refuse cursors that are not theirs", async () => {
    const [row] = await findRegistrants(request(), { sortField: "name", perPage: 1 });
    const cursor = row!.cursor!;
    const forge = (fields: Record<string, unknown>) =>
      Buffer.from(
        JSON.stringify({ ...JSON.parse(Buffer.from(cursor, "base64url").toString()), ...fields }),
      ).toString("base64url");
    const id = row!.id;
    for (const [after, args] of [
      ["not a cursor", { sortField: "name" }],
      [cursor, { sortField: "registrationDate" }],
      [cursor, { sortField: "name", sortOrder: "DESC" }],
      [cursor, { sortField: "name", filter: { q: "Amina" } }],
      [forge({ k: ["x", "not-a-uuid"] }), { sortField: "name" }],
      [forge({ k: ["x"] }), { sortField: "name" }],
      [forge({ s: "registrationDate", k: ["2024-02-31", id] }), { sortField: "registrationDate" }],
      [forge({ s: "kind", k: ["toString", id] }), { sortField: "kind" }],
      [forge({ s: "birthDate", k: [null, null] }), { sortField: "birthDate" }],
    ] as [string, RegistrantPageArgs][]) {
      const error = await failure(findRegistrants(request(), { ...args, after }));
      expect(error.extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "after",
        reason: "INVALID_CURSOR",
      });
    }
    const both = await failure(findRegistrants(request(), { sortField: "name", page: 2, after: cursor }));
    expect(both.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "page" });
  });

  it("reach the first rows by page number only", async () => {
    const error = await failure(findRegistrants(request(), { page: EXACT_LIMIT / 25, perPage: 25 }));
    expect(error.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "page",
      reason: "PAGE_TOO_DEEP",
    });
    expect(error.message).toMatch(/narrow the filters.*after/);
    expect(await findRegistrants(request(), { page: EXACT_LIMIT / 25 - 1, perPage: 25 })).toEqual([]);
  });
});

describe("index functions", () => {
  const filters: [string, RegistrantFilter][] = [
    ["name search", { q: "Amina Wanjiru" }],
    ["tag", { tag: "pilot" }],
    ["attributes", { attributes: { roof_material: "thatch" } }],
    [
      "all three with a kind",
      { q: "amina", tag: "pilot", attributes: { roof_material: "thatch" }, kind: "INDIVIDUAL" },
    ],
  ];

  it.each(filters)(
    "find what the plain filters find, in the caller's department only (%s)",
    async (_, filter) => {
      const plain = await byOffset({ filter }, 50, "filters");
      const indexed = await byOffset({ filter }, 50, "functions");
      expect(plain.length).toBeGreaterThan(0);
      expect(indexed).toEqual(plain);
      expect(await byOffset({ filter }, 50, "auto")).toEqual(plain);
      expect(await countRegistrants(request(), { filter }, { lookups: "functions" })).toMatchObject({
        count: plain.length,
      });
      const others = await withClient(database.ownerUrl, async (c) =>
        (await c.query<{ id: string }>("SELECT id FROM registrant WHERE tenant_id <> $1", [demo])).rows.map(
          (r) => r.id,
        ),
      );
      expect(indexed.filter((id) => others.includes(id))).toEqual([]);
    },
  );

  it("return nothing without a department", async () => {
    const rows = await withClient(database.appUrl, async (c) => {
      await c.query("BEGIN");
      const found = await c.query("SELECT * FROM app_registrants_tagged('pilot')");
      await c.query("ROLLBACK");
      return found.rows;
    });
    expect(rows).toEqual([]);
  });
});
