// Custom attributes through the GraphQL API: every type's accepted and refused
// values, required attributes, and what happens to stored values when their
// definitions change or are deleted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isCalendarDate } from "../src/modules/registry/attributes.ts";
import { sqlDate } from "../src/modules/imports/import.sql.ts";
import { startHarness, type GqlResponse, type Harness } from "./harness.ts";

let h: Harness;
let admin: string;
let registrar: string;

interface Definition {
  id: string;
  code: string;
}

interface Saved {
  id: string;
  version: number;
  attributes: Record<string, unknown>;
}

const DEFINE = `mutation ($code: String, $label: String, $type: AttributeType, $appliesTo: RegistrantKind,
  $required: Boolean, $enumValues: [String!], $min: Float, $max: Float) {
  createAttributeDefinition(code: $code, label: $label, type: $type, appliesTo: $appliesTo,
    required: $required, enumValues: $enumValues, min: $min, max: $max) { id code }
}`;

const REDEFINE = `mutation ($id: ID!, $appliesTo: RegistrantKind, $required: Boolean, $enumValues: [String!], $min: Float, $max: Float) {
  updateAttributeDefinition(id: $id, appliesTo: $appliesTo, required: $required, enumValues: $enumValues, min: $min, max: $max) { id }
}`;

const UNDEFINE = `mutation ($id: ID!) { deleteAttributeDefinition(id: $id) { id code } }`;

const CREATE = `mutation ($kind: RegistrantKind!, $givenName: String, $name: String, $attributes: JSON) {
  createRegistrant(kind: $kind, givenName: $givenName, name: $name, attributes: $attributes) { id version attributes }
}`;

const UPDATE = `mutation ($id: ID!, $addressText: String, $familyName: String, $attributes: JSON) {
  updateRegistrant(id: $id, addressText: $addressText, familyName: $familyName, attributes: $attributes) { id version attributes }
}`;

async function define(vars: Record<string, unknown>, token = admin): Promise<Definition> {
  const res = await h.gql<{ createAttributeDefinition: Definition }>(
    DEFINE,
    { label: vars.code, ...vars },
    token,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.createAttributeDefinition;
}

async function redefine(id: string, vars: Record<string, unknown>) {
  const res = await h.gql(REDEFINE, { id, ...vars }, admin);
  expect(res.errors).toBeUndefined();
}

const person = (attributes: unknown, token = registrar) =>
  h.gql<{ createRegistrant: Saved }>(CREATE, { kind: "INDIVIDUAL", givenName: "Asha", attributes }, token);
const household = (attributes: unknown) =>
  h.gql<{ createRegistrant: Saved }>(CREATE, { kind: "GROUP", name: "Household", attributes }, registrar);

async function saved(res: GqlResponse<{ createRegistrant: Saved }>): Promise<Saved> {
  expect(res.errors).toBeUndefined();
  return res.data!.createRegistrant;
}

const update = (id: string, vars: Record<string, unknown>) =>
  h.gql<{ updateRegistrant: Saved }>(UPDATE, { id, ...vars }, registrar);

async function storedAttributes(id: string): Promise<Record<string, unknown>> {
  const [row] = await h.sql<{ attributes: Record<string, unknown> }>(
    "SELECT attributes FROM registrant WHERE id = $1",
    [id],
  );
  return row!.attributes;
}

/** The one error of a refused request: its code, field and message. */
function refusal(res: GqlResponse) {
  expect(res.data ?? null).toBeNull();
  expect(res.errors).toHaveLength(1);
  const [error] = res.errors!;
  return { code: error!.extensions?.code, field: error!.extensions?.field, message: error!.message };
}

beforeAll(async () => {
  h = await startHarness();
  [admin, registrar] = await Promise.all([h.userToken("admin"), h.userToken("registrar")]);
  await define({ code: "t_income", label: "Income", type: "NUMBER", min: 0, max: 100000 });
  await define({ code: "t_children", label: "Children", type: "INTEGER", min: 0, max: 20 });
  await define({ code: "t_count", label: "Count", type: "INTEGER" });
  await define({ code: "t_disabled", label: "Disabled", type: "BOOLEAN" });
  await define({ code: "t_note", label: "Note", type: "TEXT" });
  await define({
    code: "t_roof",
    label: "Roof",
    type: "ENUM",
    appliesTo: "GROUP",
    enumValues: ["thatch", "tin", "tile"],
  });
  await define({ code: "t_visit", label: "Visit", type: "DATE" });
});
afterAll(() => h?.close());

describe("attribute values a registrant is created with", () => {
  const accepted: [string, unknown, unknown][] = [
    ["t_income", 4500.5, 4500.5],
    ["t_income", "1200.75", 1200.75],
    ["t_income", " 12 ", 12],
    ["t_income", 0, 0],
    ["t_income", 100000, 100000],
    ["t_children", 3, 3],
    ["t_children", "7", 7],
    ["t_children", 20, 20],
    ["t_count", -42, -42],
    ["t_count", "999999999999999", 999999999999999],
    ["t_disabled", true, true],
    ["t_disabled", false, false],
    ["t_disabled", "false", false],
    ["t_note", "Lives near the river", "Lives near the river"],
    ["t_visit", "2024-02-29", "2024-02-29"],
    ["t_visit", "2000-02-29", "2000-02-29"],
    ["t_visit", "2023-12-31", "2023-12-31"],
  ];
  it.each(accepted)("stores %s = %j as %j", async (code, value, stored) => {
    const r = await saved(await person({ [code]: value }));
    expect(r.attributes).toEqual({ [code]: stored });
    expect(await storedAttributes(r.id)).toEqual({ [code]: stored });
  });

  it("stores an ENUM value of a group, and leaves out null and empty values", async () => {
    const r = await saved(await household({ t_roof: "tin", t_note: "", t_income: null }));
    expect(await storedAttributes(r.id)).toEqual({ t_roof: "tin" });
  });

  const refused: [string, unknown, RegExp][] = [
    ["t_income", "abc", /^Income must be a number$/],
    ["t_income", "1e3", /must be a number/],
    ["t_income", "0x10", /must be a number/],
    ["t_income", true, /must be a number/],
    ["t_income", -1, /^Income must be between 0 and 100000$/],
    ["t_income", 100000.01, /between 0 and 100000/],
    ["t_children", 2.5, /^Children must be a whole number/],
    ["t_children", "2.5", /whole number/],
    ["t_children", "three", /whole number/],
    ["t_children", 21, /between 0 and 20/],
    ["t_children", -1, /between 0 and 20/],
    ["t_count", "1000000000000000", /at most 15 digits/],
    ["t_count", 1e16, /at most 15 digits/],
    ["t_disabled", "yes", /^Disabled must be true or false$/],
    ["t_disabled", 1, /true or false/],
    ["t_note", 42, /^Note must be text$/],
    ["t_note", { text: "nested" }, /must be text/],
    ["t_visit", "2023-02-29", /^Visit must be a real date written YYYY-MM-DD$/],
    ["t_visit", "2023-02-30", /real date/],
    ["t_visit", "2023-04-31", /real date/],
    ["t_visit", "1900-02-29", /real date/],
    ["t_visit", "2023-13-01", /real date/],
    ["t_visit", "2023-00-10", /real date/],
    ["t_visit", "0000-01-01", /real date/],
    ["t_visit", "2023-1-5", /real date/],
    ["t_visit", "20230105", /real date/],
    ["t_visit", "2023-01-05T00:00:00Z", /real date/],
    ["t_visit", 20230105, /real date/],
    ["t_roof", "tin", /^t_roof is not an attribute of individuals$/],
    ["t_unknown", "x", /^t_unknown is not an attribute of individuals$/],
  ];
  it.each(refused)("refuses %s = %j on its field, and stores nothing", async (code, value, message) => {
    const [before] = await h.sql<{ n: number }>("SELECT count(*)::int AS n FROM registrant");
    const error = refusal(await person({ [code]: value }));
    expect(error).toMatchObject({ code: "BAD_USER_INPUT", field: `attributes.${code}` });
    expect(error.message).toMatch(message);
    expect(await h.sql("SELECT count(*)::int AS n FROM registrant")).toEqual([before]);
  });

  it("refuses an ENUM value outside the list, whatever its case", async () => {
    for (const value of ["glass", "TIN"]) {
      const error = refusal(await household({ t_roof: value }));
      expect(error).toMatchObject({ code: "BAD_USER_INPUT", field: "attributes.t_roof" });
      expect(error.message).toBe("Roof must be one of thatch, tin, tile");
    }
  });

  it("lists every refused attribute, the first one on the error's field", async () => {
    const res = await person({ t_income: "much", t_visit: "2023-02-30", t_note: "fine" });
    expect(refusal(res).field).toBe("attributes.t_income");
    const problems = res.errors![0]!.extensions!.errors as { field: string }[];
    expect(problems.map((p) => p.field)).toEqual(["attributes.t_income", "attributes.t_visit"]);
  });

  it("takes the same dates as real as the bulk import does", async () => {
    const samples = [
      "2024-02-29",
      "2023-02-29",
      "2100-02-29",
      "2000-02-29",
      "1900-02-28",
      "2023-02-30",
      "2023-04-31",
      "2023-06-30",
      "2023-12-31",
      "2023-13-01",
      "2023-00-01",
      "2023-01-00",
      "0000-01-01",
      "0001-01-01",
      "9999-12-31",
      "2023-1-05",
      "2023/01/05",
      "2023-01-5x",
    ];
    const rows = await h.sql<{ v: string; ok: boolean }>(
      `SELECT v, (${sqlDate("v")}) IS NOT NULL AS ok FROM unnest($1::text[]) AS s(v)`,
      [samples],
    );
    expect(Object.fromEntries(rows.map((r) => [r.v, r.ok]))).toEqual(
      Object.fromEntries(samples.map((v) => [v, isCalendarDate(v)])),
    );
    expect(rows.filter((r) => r.ok)).toHaveLength(7);
  });
});

describe("required attributes", () => {
  it("are demanded on creation and cannot be removed, but are not demanded of registrants without one", async () => {
    const before = await saved(await person({ t_note: "registered before the rule" }));
    const rule = await define({ code: "t_household_size", type: "INTEGER", appliesTo: "INDIVIDUAL" });
    try {
      await redefine(rule.id, { required: true });

      const missing = refusal(await person({ t_note: "no size" }));
      expect(missing).toMatchObject({ code: "BAD_USER_INPUT", field: "attributes.t_household_size" });
      expect(missing.message).toBe("t_household_size is required");
      expect(refusal(await person({ t_household_size: "" })).field).toBe("attributes.t_household_size");
      // A group is not concerned.
      await saved(await household({}));

      const sized = await saved(await person({ t_household_size: 4 }));
      const removed = refusal(await update(sized.id, { attributes: {} }));
      expect(removed).toMatchObject({ code: "BAD_USER_INPUT", field: "attributes.t_household_size" });
      expect(refusal(await update(sized.id, { attributes: { t_household_size: null } })).field).toBe(
        "attributes.t_household_size",
      );
      expect(await storedAttributes(sized.id)).toEqual({ t_household_size: 4 });

      // Registered before the rule: other changes still go through.
      const renamed = await update(before.id, { familyName: "Mwangi" });
      expect(renamed.errors).toBeUndefined();
      const edited = await update(before.id, { attributes: { t_note: "edited" } });
      expect(edited.errors).toBeUndefined();
      expect(await storedAttributes(before.id)).toEqual({ t_note: "edited" });
    } finally {
      await redefine(rule.id, { required: false });
    }
  });
});

describe("stored values after their definitions change", () => {
  let defs: Record<string, Definition>;
  let p: Saved;

  beforeAll(async () => {
    defs = {
      level: await define({ code: "t2_level", type: "ENUM", enumValues: ["A", "B", "C"] }),
      kids: await define({ code: "t2_kids", type: "INTEGER", min: 0, max: 20 }),
      shared: await define({ code: "t2_shared", type: "TEXT" }),
      score: await define({ code: "t2_score", type: "NUMBER" }),
      note: await define({ code: "t2_note", type: "TEXT" }),
    };
    p = await saved(await person({ t2_level: "B", t2_kids: 15, t2_shared: "kept", t2_note: "first" }));
    // The department changes its mind: B is no longer a level, at most 10 children
    // are recorded, t2_shared is for groups only, and every individual needs a score.
    await redefine(defs.level!.id, { enumValues: ["A", "C"] });
    await redefine(defs.kids!.id, { max: 10 });
    await redefine(defs.shared!.id, { appliesTo: "GROUP" });
    await redefine(defs.score!.id, { required: true, appliesTo: "INDIVIDUAL" });
  });
  afterAll(async () => {
    await redefine(defs.score!.id, { required: false });
  });

  const STALE = { t2_level: "B", t2_kids: 15, t2_shared: "kept", t2_note: "first" };

  it("lets an update that sends no attributes through, and keeps them as they are", async () => {
    const res = await update(p.id, { addressText: "Plot 7" });
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateRegistrant.version).toBe(p.version + 1);
    expect(await storedAttributes(p.id)).toEqual(STALE);
  });

  it("keeps values sent back unchanged, and checks only the one that changes", async () => {
    const res = await update(p.id, { attributes: { ...STALE, t2_note: "second" } });
    expect(res.errors).toBeUndefined();
    expect(await storedAttributes(p.id)).toEqual({ ...STALE, t2_note: "second" });
  });

  it("checks a changed value against the definition as it is now", async () => {
    const kids = refusal(await update(p.id, { attributes: { ...STALE, t2_kids: 12 } }));
    expect(kids).toMatchObject({ code: "BAD_USER_INPUT", field: "attributes.t2_kids" });
    expect(kids.message).toBe("t2_kids must be between 0 and 10");
    const level = refusal(await update(p.id, { attributes: { ...STALE, t2_level: "D" } }));
    expect(level).toMatchObject({ code: "BAD_USER_INPUT", field: "attributes.t2_level" });
    expect(level.message).toBe("t2_level must be one of A, C");
    const shared = refusal(await update(p.id, { attributes: { ...STALE, t2_shared: "changed" } }));
    expect(shared).toMatchObject({ field: "attributes.t2_shared" });
    expect(shared.message).toBe("t2_shared is not an attribute of individuals");
    const score = refusal(await update(p.id, { attributes: { ...STALE, t2_score: "high" } }));
    expect(score).toMatchObject({ field: "attributes.t2_score" });
    expect(await storedAttributes(p.id)).toMatchObject({ t2_level: "B", t2_kids: 15, t2_shared: "kept" });
  });

  it("replaces the stored values: a key left out is removed, a stale one can be corrected", async () => {
    const res = await update(p.id, { attributes: { t2_level: "C", t2_kids: 15, t2_score: 3.5 } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateRegistrant.attributes).toEqual({ t2_level: "C", t2_kids: 15, t2_score: 3.5 });
    expect(await storedAttributes(p.id)).toEqual({ t2_level: "C", t2_kids: 15, t2_score: 3.5 });
  });

  it("still refuses stale values on a new registrant", async () => {
    const res = await person({ t2_level: "B", t2_score: 1 });
    expect(refusal(res)).toMatchObject({ code: "BAD_USER_INPUT", field: "attributes.t2_level" });
  });
});

describe("deleting an attribute definition", () => {
  it("is refused with CONFLICT and the number of registrants that have a value, until none has", async () => {
    const def = await define({ code: "t3_pets", type: "INTEGER" });
    const a = await saved(await person({ t3_pets: 1 }));
    const b = await saved(await person({ t3_pets: 2, t_note: "two pets" }));
    await saved(await person({ t_note: "no pets" }));

    const refused = await h.gql(UNDEFINE, { id: def.id }, admin);
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: "CONFLICT",
      field: "id",
      reason: "ATTRIBUTE_IN_USE",
      registrantCount: 2,
    });
    expect(refused.errors?.[0]?.message).toBe(
      "2 registrants have a value for t3_pets; remove those values before deleting the attribute",
    );
    expect(await h.sql("SELECT code FROM attribute_definition WHERE id = $1", [def.id])).toEqual([
      { code: "t3_pets" },
    ]);
    expect(
      await h.sql(
        "SELECT 1 FROM audit_event WHERE action = 'AttributeDefinition.deleted' AND entity_id = $1",
        [def.id],
      ),
    ).toEqual([]);

    expect((await update(a.id, { attributes: {} })).errors).toBeUndefined();
    const one = await h.gql(UNDEFINE, { id: def.id }, admin);
    expect(one.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", registrantCount: 1 });
    expect(one.errors?.[0]?.message).toMatch(/^1 registrant has a value for t3_pets;/);

    expect((await update(b.id, { attributes: { t_note: "two pets" } })).errors).toBeUndefined();
    const deleted = await h.gql<{ deleteAttributeDefinition: Definition }>(UNDEFINE, { id: def.id }, admin);
    expect(deleted.errors).toBeUndefined();
    expect(deleted.data!.deleteAttributeDefinition).toEqual({ id: def.id, code: "t3_pets" });
    expect(
      await h.sql(
        "SELECT 1 FROM audit_event WHERE action = 'AttributeDefinition.deleted' AND entity_id = $1",
        [def.id],
      ),
    ).toHaveLength(1);
  });

  it("counts only the registrants of the department", async () => {
    const otherAdmin = await h.userToken("other-admin");
    await define({ code: "t3_boat", type: "BOOLEAN" }, otherAdmin);
    await saved(await person({ t3_boat: true }, otherAdmin));
    const mine = await define({ code: "t3_boat", type: "BOOLEAN" });

    const res = await h.gql(UNDEFINE, { id: mine.id }, admin);
    expect(res.errors).toBeUndefined();
    expect(await h.sql("SELECT count(*)::int AS n FROM registrant WHERE attributes ? 't3_boat'")).toEqual([
      { n: 1 },
    ]);
  });

  it("is for admins only", async () => {
    const def = await define({ code: "t3_unused", type: "TEXT" });
    const res = await h.gql(UNDEFINE, { id: def.id }, registrar);
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await h.gql(UNDEFINE, { id: def.id }, admin)).errors).toBeUndefined();
  });
});
