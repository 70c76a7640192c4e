// Registering a household with its members in one step: existing individuals
// and new persons entered with the group, in one transaction.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withLuhnDigit } from "@pbms/db/testing";
import { startHarness, type Harness } from "./harness.ts";

let h: Harness;
let registrar: string;
let ids: { nationalId: string; head: string; spouse: string; child: string };

async function idOf(table: string, code: string): Promise<string> {
  const [row] = await h.sql<{ id: string }>(
    `SELECT t.id FROM ${table} t JOIN department d ON d.id = t.tenant_id WHERE d.code = 'demo' AND t.code = $1`,
    [code],
  );
  return row!.id;
}

beforeAll(async () => {
  h = await startHarness();
  registrar = await h.userToken("registrar");
  ids = {
    nationalId: await idOf("id_type", "NATIONAL_ID"),
    head: await idOf("membership_kind", "HEAD"),
    spouse: await idOf("membership_kind", "SPOUSE"),
    child: await idOf("membership_kind", "CHILD"),
  };
});
afterAll(() => h?.close());

const CREATE_GROUP = `mutation ($name: String, $members: [MemberInput!], $kind: RegistrantKind! = GROUP) {
  createRegistrant(kind: $kind, name: $name, members: $members) { id name }
}`;

interface GqlError {
  message: string;
  extensions?: { code?: string; field?: string; [k: string]: unknown };
}

/** Rows of every table a household registration writes, to show that a refusal wrote none. */
async function rowCounts() {
  const [row] = await h.sql<
    Record<"registrants" | "memberships" | "identifiers" | "phones" | "created", number>
  >(`SELECT
    (SELECT count(*)::int FROM registrant) AS registrants,
    (SELECT count(*)::int FROM group_membership) AS memberships,
    (SELECT count(*)::int FROM registrant_identifier) AS identifiers,
    (SELECT count(*)::int FROM phone) AS phones,
    (SELECT count(*)::int FROM audit_event WHERE action = 'registrant.created') AS created`);
  return row;
}

/** Creates a group and expects a refusal; returns its first error, having checked nothing was written. */
async function refused(variables: Record<string, unknown>): Promise<GqlError> {
  const before = await rowCounts();
  const res = await h.gql(CREATE_GROUP, { name: "Refused household", ...variables }, registrar);
  expect(res.data?.createRegistrant ?? null).toBeNull();
  expect(res.errors).toHaveLength(1);
  expect(await rowCounts()).toEqual(before);
  return res.errors![0]!;
}

let serial = 0;
/** A national ID with a valid check digit that no one has yet. */
const newNationalId = () => withLuhnDigit(`77${String(++serial).padStart(7, "0")}`);

/** The details of a new person as the registrar enters them. */
const newPerson = (givenName: string, extra: Record<string, unknown> = {}) => ({
  givenName,
  familyName: "Chege",
  birthDate: "1988-02-29",
  sex: "FEMALE",
  identifiers: [{ idTypeId: ids.nationalId, value: newNationalId() }],
  phones: [{ number: "0712 345 678", country: "KE" }],
  ...extra,
});

async function registerPerson(givenName: string, familyName: string): Promise<string> {
  const res = await h.gql<{ createRegistrant: { id: string } }>(
    `mutation ($g: String, $f: String) { createRegistrant(kind: INDIVIDUAL, givenName: $g, familyName: $f) { id } }`,
    { g: givenName, f: familyName },
    registrar,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.createRegistrant.id;
}

describe("registering a household with its members", () => {
  it("adds an existing individual and registers a new person with the group, each audited as created", async () => {
    const existing = await registerPerson("Wairimu", "Chege");
    const nid = newNationalId();
    const before = await rowCounts();
    const res = await h.gql<{ createRegistrant: { id: string; name: string } }>(
      CREATE_GROUP,
      {
        name: "Chege household",
        members: [
          { individualId: existing, kindId: ids.spouse },
          {
            individual: {
              givenName: "Njeri",
              familyName: "Chege",
              birthDate: "1984-07-01",
              sex: "FEMALE",
              identifiers: [{ idTypeId: ids.nationalId, value: nid }],
              phones: [{ number: "0722 000 333", country: "KE" }],
              attributes: { disability: true, monthly_income: "3000" },
            },
            kindId: ids.head,
            startDate: "2024-03-01",
          },
        ],
      },
      registrar,
    );
    expect(res.errors).toBeUndefined();
    const groupId = res.data!.createRegistrant.id;

    const view = await h.gql<{
      registrant: { members: { individualId: string; kindId: string; startDate: string; endDate: null }[] };
    }>(
      `query ($id: ID!) { registrant(id: $id) { members { individualId kindId startDate endDate } } }`,
      { id: groupId },
      registrar,
    );
    const members = view.data!.registrant.members;
    expect(members).toHaveLength(2);
    expect(members.find((m) => m.individualId === existing)).toMatchObject({
      kindId: ids.spouse,
      startDate: new Date().toISOString().slice(0, 10),
    });
    const newcomerId = members.find((m) => m.individualId !== existing)!.individualId;
    expect(members.find((m) => m.individualId === newcomerId)).toMatchObject({
      kindId: ids.head,
      startDate: "2024-03-01",
    });

    const person = await h.gql<{ registrant: Record<string, unknown> }>(
      `query ($id: ID!) { registrant(id: $id) { kind name birthDate sex attributes
        identifiers { idTypeId value } phones { e164 isPrimary } memberships { groupId } } }`,
      { id: newcomerId },
      registrar,
    );
    expect(person.data!.registrant).toEqual({
      kind: "INDIVIDUAL",
      name: "Njeri Chege",
      birthDate: "1984-07-01",
      sex: "FEMALE",
      attributes: { disability: true, monthly_income: 3000 },
      identifiers: [{ idTypeId: ids.nationalId, value: nid }],
      phones: [{ e164: "+254722000333", isPrimary: true }],
      memberships: [{ groupId }],
    });

    // One person and one group more; the existing individual is not registered again.
    expect(await rowCounts()).toEqual({
      registrants: before!.registrants + 2,
      memberships: before!.memberships + 2,
      identifiers: before!.identifiers + 1,
      phones: before!.phones + 1,
      created: before!.created + 2,
    });
    const events = await h.sql<{ entity_id: string; actor_name: string; after: Record<string, unknown> }>(
      "SELECT entity_id, actor_name, after FROM audit_event WHERE action = 'registrant.created' AND entity_id = ANY($1::text[])",
      [[groupId, newcomerId, existing]],
    );
    const byEntity = (id: string) => events.filter((e) => e.entity_id === id);
    expect(byEntity(groupId)).toHaveLength(1);
    expect(byEntity(existing)).toHaveLength(1); // its own registration, not this one
    const [newcomerEvent] = byEntity(newcomerId);
    expect(newcomerEvent?.after).toMatchObject({
      kind: "INDIVIDUAL",
      name: "Njeri Chege",
      birthDate: "1984-07-01",
      identifiers: [{ idTypeId: ids.nationalId, value: nid }],
      phones: [{ e164: "+254722000333" }],
    });
  });

  it("registers a household of new persons only", async () => {
    const res = await h.gql<{ createRegistrant: { id: string } }>(
      CREATE_GROUP,
      {
        name: "Kilonzo household",
        members: [
          { individual: newPerson("Mutheu", { familyName: "Kilonzo" }), kindId: ids.head },
          { individual: newPerson("Musyoka", { familyName: "Kilonzo", sex: "MALE" }), kindId: ids.child },
        ],
      },
      registrar,
    );
    expect(res.errors).toBeUndefined();
    const names = await h.gql<{ registrants: { name: string }[] }>(
      `query ($g: ID!) { registrants(filter: { groupId: $g }, sortField: "name") { name } }`,
      { g: res.data!.createRegistrant.id },
      registrar,
    );
    expect(names.data!.registrants.map((r) => r.name)).toEqual(["Musyoka Kilonzo", "Mutheu Kilonzo"]);
  });

  it("wants exactly one of an existing individual and a new person in each entry", async () => {
    const existing = await registerPerson("Kamande", "Chege");
    const both = await refused({
      members: [
        { individual: newPerson("Wangui"), kindId: ids.head },
        { individualId: existing, individual: newPerson("Kamande"), kindId: ids.child },
      ],
    });
    expect(both.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "members.1.individual" });

    const neither = await refused({
      members: [{ individual: newPerson("Wangui"), kindId: ids.head }, { kindId: ids.child }],
    });
    expect(neither.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "members.1.individualId" });
    expect(neither.message).toMatch(/existing individual|new person/);

    const explicitNulls = await refused({
      members: [{ individualId: null, individual: null, kindId: ids.head }],
    });
    expect(explicitNulls.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "members.0.individualId",
    });
  });

  it("refuses new members for a person, whose kind has no members", async () => {
    const error = await refused({
      kind: "INDIVIDUAL",
      members: [{ individual: newPerson("Solo"), kindId: ids.head }],
    });
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "members" });
  });
});

describe("errors in a new member's fields", () => {
  it("names an input check of a nested field by its full path, and writes nothing", async () => {
    const error = await refused({
      members: [
        { individual: newPerson("Wangui"), kindId: ids.head },
        { individual: newPerson("Kamau"), kindId: ids.spouse },
        {
          individual: newPerson("Baraka", { identifiers: [{ idTypeId: ids.nationalId, value: "" }] }),
          kindId: ids.child,
        },
      ],
    });
    expect(error.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "members.2.individual.identifiers.0.value",
    });

    const badDate = await refused({
      members: [{ individual: newPerson("Wangui", { birthDate: "1990-02-30" }), kindId: ids.head }],
    });
    expect(badDate.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "members.0.individual.birthDate",
    });
  });

  it("names the registry's checks of a new member by their full path, and rolls back the members before it", async () => {
    const good = newNationalId();
    const wrongDigit = good.slice(0, -1) + String((Number(good.at(-1)) + 1) % 10);
    const checkDigit = await refused({
      members: [
        { individual: newPerson("Wangui"), kindId: ids.head },
        { individual: newPerson("Kamau"), kindId: ids.spouse },
        {
          individual: newPerson("Baraka", { identifiers: [{ idTypeId: ids.nationalId, value: wrongDigit }] }),
          kindId: ids.child,
        },
      ],
    });
    expect(checkDigit.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "members.2.individual.identifiers.0.value",
    });
    expect(checkDigit.message).toMatch(/check digit/);

    const noName = await refused({
      members: [
        { individual: newPerson("Wangui"), kindId: ids.head },
        { individual: newPerson("", { familyName: " " }), kindId: ids.child },
      ],
    });
    expect(noName.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "members.1.individual.givenName",
    });

    const phone = await refused({
      members: [{ individual: newPerson("Wangui", { phones: [{ number: "123456" }] }), kindId: ids.head }],
    });
    expect(phone.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "members.0.individual.phones.0.number",
    });

    const future = await refused({
      members: [{ individual: newPerson("Wangui", { birthDate: "2999-01-01" }), kindId: ids.head }],
    });
    expect(future.extensions).toMatchObject({ field: "members.0.individual.birthDate" });
  });

  it("checks a new member's attributes as a person's, every problem under its path", async () => {
    const error = await refused({
      members: [
        {
          individual: newPerson("Wangui", { attributes: { disability: "perhaps", roof_material: "tin" } }),
          kindId: ids.head,
        },
      ],
    });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    const fields = (error.extensions?.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual([
      "members.0.individual.attributes.disability",
      "members.0.individual.attributes.roof_material",
    ]);
    expect(fields).toContain(error.extensions?.field);
  });

  it("refuses an identifier someone has, or two new members with the same one, with CONFLICT on the member's field", async () => {
    const [taken] = await h.sql<{ value: string }>(
      "SELECT value FROM registrant_identifier WHERE id_type_id = $1 LIMIT 1",
      [ids.nationalId],
    );
    const someoneElses = await refused({
      members: [
        {
          individual: newPerson("Wangui", {
            identifiers: [{ idTypeId: ids.nationalId, value: taken!.value }],
          }),
          kindId: ids.head,
        },
      ],
    });
    expect(someoneElses.extensions).toMatchObject({
      code: "CONFLICT",
      field: "members.0.individual.identifiers.0.value",
    });

    const shared = newNationalId();
    const twice = await refused({
      members: [
        {
          individual: newPerson("Wangui", { identifiers: [{ idTypeId: ids.nationalId, value: shared }] }),
          kindId: ids.head,
        },
        {
          individual: newPerson("Kamau", { identifiers: [{ idTypeId: ids.nationalId, value: shared }] }),
          kindId: ids.child,
        },
      ],
    });
    expect(twice.extensions).toMatchObject({
      code: "CONFLICT",
      field: "members.1.individual.identifiers.0.value",
    });

    const sameExternalId = await refused({
      members: [
        { individual: newPerson("Wangui", { externalId: "HH-CHEGE-1" }), kindId: ids.head },
        { individual: newPerson("Kamau", { externalId: "HH-CHEGE-1" }), kindId: ids.child },
      ],
    });
    expect(sameExternalId.extensions).toMatchObject({
      code: "CONFLICT",
      field: "members.1.individual.externalId",
    });
  });

  it("keeps one head per household: a second head refuses the whole household", async () => {
    const existing = await registerPerson("Gathoni", "Chege");
    const error = await refused({
      members: [
        { individual: newPerson("Wangui"), kindId: ids.head },
        { individualId: existing, kindId: ids.head },
      ],
    });
    expect(error.extensions).toMatchObject({ code: "CONFLICT", field: "members.1.kindId" });

    const twoNewHeads = await refused({
      members: [
        { individual: newPerson("Wangui"), kindId: ids.head },
        { individual: newPerson("Kamau"), kindId: ids.head },
      ],
    });
    expect(twoNewHeads.extensions).toMatchObject({ code: "CONFLICT", field: "members.1.kindId" });
  });
});

describe("new members' address", () => {
  it("places new members where the household is, unless their own zone or address is given", async () => {
    const zone = async (code: string) => (await idOf("geo_zone", code)) as string;
    const [kibera, mombasa] = [await zone("NAI-KIB"), await zone("MSA")];
    const res = await h.gql<{ createRegistrant: { id: string } }>(
      `mutation ($members: [MemberInput!], $gazSmallId: ID, $addressText: String) {
        createRegistrant(kind: GROUP, name: "Chege household", gazSmallId: $gazSmallId, addressText: $addressText,
          members: $members) { id }
      }`,
      {
        gazSmallId: kibera,
        addressText: "Plot 12, Kibera",
        members: [
          { kindId: ids.head, individual: newPerson("Wairimu") },
          {
            kindId: ids.child,
            individual: newPerson("Njambi", { gazLargeId: mombasa, addressText: "School hostel" }),
          },
        ],
      },
      registrar,
    );
    expect(res.errors).toBeUndefined();
    const rows = await h.sql<{
      given_name: string;
      large: string;
      small: string | null;
      address_text: string;
    }>(
      `SELECT i.given_name, zl.code AS large, zs.code AS small, i.address_text
         FROM group_membership m JOIN registrant i ON i.id = m.individual_id
         LEFT JOIN geo_zone zl ON zl.id = i.gaz_large_id LEFT JOIN geo_zone zs ON zs.id = i.gaz_small_id
        WHERE m.group_id = $1 ORDER BY i.given_name`,
      [res.data!.createRegistrant.id],
    );
    expect(rows).toEqual([
      { given_name: "Njambi", large: "MSA", small: null, address_text: "School hostel" },
      { given_name: "Wairimu", large: "NAI", small: "NAI-KIB", address_text: "Plot 12, Kibera" },
    ]);
  });
});
