import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withLuhnDigit } from "@pbms/db/testing";
import { startHarness, type Harness } from "./harness.ts";

let h: Harness;
let registrar: string;
let viewer: string;
let admin: string;
let ids: {
  nationalId: string;
  head: string;
  child: string;
  spouse: string;
  kibera: string;
  nairobi: string;
  mombasa: string;
};

const REGISTRANT = `id kind name givenName familyName birthDate sex status version age gazLargeId gazSmallId
  identifiers { idTypeId value status } phones { e164 country isPrimary } financialAddresses { kind iban bic fa msisdn }`;

async function idOf(table: string, code: string): Promise<string> {
  const [row] = await h.sql<{ id: string }>(
    `SELECT t.id FROM ${table} t JOIN department d ON d.id = t.tenant_id WHERE d.code = 'demo' AND t.code = $1`,
    [code],
  );
  return row!.id;
}

beforeAll(async () => {
  h = await startHarness();
  [registrar, viewer, admin] = await Promise.all([
    h.userToken("registrar"),
    h.userToken("viewer"),
    h.userToken("admin"),
  ]);
  ids = {
    nationalId: await idOf("id_type", "NATIONAL_ID"),
    head: await idOf("membership_kind", "HEAD"),
    spouse: await idOf("membership_kind", "SPOUSE"),
    child: await idOf("membership_kind", "CHILD"),
    kibera: await idOf("geo_zone", "NAI-KIB"),
    nairobi: await idOf("geo_zone", "NAI"),
    mombasa: await idOf("geo_zone", "MSA"),
  };
});
afterAll(() => h?.close());

const CREATE = `mutation ($kind: RegistrantKind!, $givenName: String, $familyName: String, $name: String, $birthDate: String, $sex: Sex,
  $gazSmallId: ID, $gazLargeId: ID, $identifiers: [IdentifierInput!], $phones: [PhoneInput!], $financialAddresses: [FinancialAddressInput!],
  $attributes: JSON, $members: [MemberInput!], $externalId: String) {
  createRegistrant(kind: $kind, givenName: $givenName, familyName: $familyName, name: $name, birthDate: $birthDate, sex: $sex,
    gazSmallId: $gazSmallId, gazLargeId: $gazLargeId, identifiers: $identifiers, phones: $phones,
    financialAddresses: $financialAddresses, attributes: $attributes, members: $members, externalId: $externalId) { ${REGISTRANT} }
}`;

interface RegistrantView {
  id: string;
  name: string;
  version: number;
  age: number | null;
  gazLargeId: string | null;
  identifiers: { value: string }[];
  phones: { e164: string; country: string }[];
  financialAddresses: { fa: string; iban: string | null; msisdn: string | null }[];
}

describe("registering people", () => {
  it("registers a person with identifiers, phones and accounts in one step, and audits it", async () => {
    const nid = withLuhnDigit("880000001");
    const res = await h.gql<{ createRegistrant: RegistrantView }>(
      CREATE,
      {
        kind: "INDIVIDUAL",
        givenName: "Zuri",
        familyName: "Kariuki",
        birthDate: "1990-05-17",
        sex: "FEMALE",
        gazSmallId: ids.kibera,
        identifiers: [{ idTypeId: ids.nationalId, value: nid }],
        phones: [{ number: "0712 000 111", country: "KE" }],
        financialAddresses: [{ kind: "MOBILE_WALLET", msisdn: "+254712000111", walletProvider: "mpesa" }],
        attributes: { monthly_income: "4500", disability: false },
      },
      registrar,
    );
    expect(res.errors).toBeUndefined();
    const r = res.data!.createRegistrant;
    expect(r).toMatchObject({ name: "Zuri Kariuki", gazLargeId: ids.nairobi, version: 1 });
    expect(r.identifiers).toEqual([{ idTypeId: ids.nationalId, value: nid, status: "VALID" }]);
    expect(r.phones).toEqual([{ e164: "+254712000111", country: "KE", isPrimary: true }]);
    expect(r.financialAddresses[0]!.fa).toBe("mobile:+254712000111@mpesa");
    const [event] = await h.sql<{ action: string; after: { attributes: unknown } }>(
      "SELECT action, after FROM audit_event WHERE entity_id = $1",
      [r.id],
    );
    expect(event?.action).toBe("registrant.created");
    expect(event?.after.attributes).toEqual({ monthly_income: 4500, disability: false });
  });

  it("rejects an identifier with a wrong check digit on its field, and writes nothing", async () => {
    const before = await h.sql<{ n: number }>("SELECT count(*)::int AS n FROM registrant");
    const good = withLuhnDigit("880000002");
    const bad = good.slice(0, -1) + String((Number(good.at(-1)) + 1) % 10);
    const res = await h.gql(
      CREATE,
      {
        kind: "INDIVIDUAL",
        givenName: "Bad",
        familyName: "Digit",
        identifiers: [{ idTypeId: ids.nationalId, value: bad }],
      },
      registrar,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "identifiers.0.value",
    });
    expect(res.errors?.[0]?.message).toMatch(/check digit/);
    expect(await h.sql("SELECT count(*)::int AS n FROM registrant")).toEqual(before);
  });

  it("refuses an identifier that belongs to someone else with CONFLICT", async () => {
    const [taken] = await h.sql<{ value: string }>("SELECT value FROM registrant_identifier LIMIT 1");
    const res = await h.gql(
      CREATE,
      {
        kind: "INDIVIDUAL",
        givenName: "Copy",
        familyName: "Cat",
        identifiers: [{ idTypeId: ids.nationalId, value: taken!.value }],
      },
      registrar,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "identifiers.0.value" });
  });

  it("validates attributes against their definitions", async () => {
    const res = await h.gql(
      CREATE,
      { kind: "GROUP", name: "Roofless", attributes: { roof_material: "glass", shoe_size: 42 } },
      registrar,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const fields = (res.errors?.[0]?.extensions?.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(["attributes.roof_material", "attributes.shoe_size"]);
  });

  it("checks that a small zone lies in the large zone", async () => {
    const res = await h.gql(
      CREATE,
      {
        kind: "INDIVIDUAL",
        givenName: "Lost",
        familyName: "Traveller",
        gazLargeId: ids.mombasa,
        gazSmallId: ids.kibera,
      },
      registrar,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "gazSmallId" });
  });

  it("refuses stale updates (optimistic concurrency) and keeps the newer data", async () => {
    const created = await h.gql<{ createRegistrant: RegistrantView }>(
      CREATE,
      { kind: "INDIVIDUAL", givenName: "Vera", familyName: "Sion" },
      registrar,
    );
    const { id } = created.data!.createRegistrant;
    const update = `mutation ($id: ID!, $version: Int, $familyName: String) { updateRegistrant(id: $id, version: $version, familyName: $familyName) { name version } }`;
    const first = await h.gql<{ updateRegistrant: { name: string; version: number } }>(
      update,
      { id, version: 1, familyName: "Sionne" },
      registrar,
    );
    expect(first.data?.updateRegistrant).toEqual({ name: "Vera Sionne", version: 2 });
    const stale = await h.gql(update, { id, version: 1, familyName: "Lost Update" }, registrar);
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "version" });
    const [row] = await h.sql<{ name: string }>("SELECT name FROM registrant WHERE id = $1", [id]);
    expect(row?.name).toBe("Vera Sionne");
  });

  it("lets only registrars and admins change the registry", async () => {
    const res = await h.gql(CREATE, { kind: "INDIVIDUAL", givenName: "Not", familyName: "Allowed" }, viewer);
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("groups", () => {
  it("creates a household with its members in one step, one head at most, and keeps history", async () => {
    const person = async (givenName: string) =>
      (
        await h.gql<{ createRegistrant: RegistrantView }>(
          CREATE,
          { kind: "INDIVIDUAL", givenName, familyName: "Baraka" },
          registrar,
        )
      ).data!.createRegistrant.id;
    const [mother, son] = [await person("Imani"), await person("Tumaini")];
    const group = await h.gql<{ createRegistrant: { id: string } }>(
      `mutation ($members: [MemberInput!]) { createRegistrant(kind: GROUP, name: "Baraka household", members: $members) { id } }`,
      {
        members: [
          { individualId: mother, kindId: ids.head },
          { individualId: son, kindId: ids.child },
        ],
      },
      registrar,
    );
    expect(group.errors).toBeUndefined();
    const groupId = group.data!.createRegistrant.id;
    const second = await h.gql(
      `mutation ($input: AddGroupMemberInput!) { addGroupMember(input: $input) { id } }`,
      { input: { groupId, individualId: son, kindId: ids.head } },
      registrar,
    );
    expect(second.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT"); // already a member
    const other = await person("Jabari");
    const twoHeads = await h.gql(
      `mutation ($input: AddGroupMemberInput!) { addGroupMember(input: $input) { id } }`,
      { input: { groupId, individualId: other, kindId: ids.head } },
      registrar,
    );
    expect(twoHeads.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "input.kindId" });

    const members = await h.gql<{ registrants: { name: string }[] }>(
      `query ($g: ID!) { registrants(filter: { groupId: $g }, sortField: "name", sortOrder: "ASC") { name } }`,
      { g: groupId },
      registrar,
    );
    expect(members.data?.registrants.map((r) => r.name)).toEqual(["Imani Baraka", "Tumaini Baraka"]);

    const view = await h.gql<{
      registrant: { members: { id: string; individualId: string; endDate: string | null }[] };
    }>(
      `query ($id: ID!) { registrant(id: $id) { members { id individualId endDate } } }`,
      { id: groupId },
      registrar,
    );
    const sonship = view.data!.registrant.members.find((m) => m.individualId === son)!;
    const ended = await h.gql<{ endGroupMembership: { endDate: string } }>(
      `mutation ($input: EndGroupMembershipInput!) { endGroupMembership(input: $input) { endDate } }`,
      { input: { id: sonship.id } },
      registrar,
    );
    expect(ended.data?.endGroupMembership.endDate).toBe(new Date().toISOString().slice(0, 10));
    const after = await h.gql<{ registrants: { name: string }[] }>(
      `query ($g: ID!) { registrants(filter: { groupId: $g }) { name } }`,
      { g: groupId },
      registrar,
    );
    expect(after.data?.registrants.map((r) => r.name)).toEqual(["Imani Baraka"]);
    const history = await h.sql("SELECT end_date FROM group_membership WHERE group_id = $1", [groupId]);
    expect(history).toHaveLength(2);
  });
});

describe("finding people", () => {
  it("finds a person by a misspelled name, closest first", async () => {
    const res = await h.gql<{ registrants: { name: string }[] }>(
      '{ registrants(filter: { q: "Amina Wanjru" }, perPage: 3) { name } }',
      {},
      viewer,
    );
    expect(res.data?.registrants[0]?.name).toBe("Amina Wanjiru");
  });

  it("filters by kind, zone, age, identifier and attribute, with matching totals", async () => {
    const q = `query ($f: RegistrantFilter) { registrants(filter: $f, perPage: 100) { name age } _registrantsMeta(filter: $f) { count } }`;
    const groups = await h.gql<{ registrants: unknown[]; _registrantsMeta: { count: number } }>(
      q,
      { f: { kind: "GROUP" } },
      viewer,
    );
    const [{ n }] = (await h.sql<{ n: number }>(
      "SELECT count(*)::int AS n FROM registrant WHERE kind = 'GROUP'",
    )) as [{ n: number }];
    expect(groups.data?._registrantsMeta.count).toBe(n);
    expect(groups.data?.registrants).toHaveLength(n);

    const children = await h.gql<{ registrants: { age: number }[] }>(
      q,
      { f: { kind: "INDIVIDUAL", age_lte: 17 } },
      viewer,
    );
    expect(children.data!.registrants.length).toBeGreaterThan(0);
    expect(children.data!.registrants.every((r) => r.age <= 17)).toBe(true);

    const [seeded] = await h.sql<{ value: string; name: string }>(
      "SELECT i.value, r.name FROM registrant_identifier i JOIN registrant r ON r.id = i.registrant_id ORDER BY i.value LIMIT 1",
    );
    const byId = await h.gql<{ registrants: { name: string }[] }>(
      q,
      { f: { identifier: seeded!.value } },
      registrar,
    );
    expect(byId.data?.registrants.map((r) => r.name)).toEqual([seeded!.name]);

    const thatch = await h.gql<{ _registrantsMeta: { count: number } }>(
      q,
      { f: { attributes: { roof_material: "thatch" } } },
      viewer,
    );
    const [{ n: thatchCount }] = (await h.sql<{ n: number }>(
      "SELECT count(*)::int AS n FROM registrant WHERE attributes->>'roof_material' = 'thatch'",
    )) as [{ n: number }];
    expect(thatch.data?._registrantsMeta.count).toBe(thatchCount);

    const kibera = await h.gql<{ _registrantsMeta: { count: number } }>(
      q,
      { f: { gazSmallId: ids.kibera } },
      viewer,
    );
    const [{ n: kiberaCount }] = (await h.sql<{ n: number }>(
      "SELECT count(*)::int AS n FROM registrant WHERE gaz_small_id = $1",
      [ids.kibera],
    )) as [{ n: number }];
    expect(kibera.data?._registrantsMeta.count).toBe(kiberaCount);
  });

  it("refuses sorting outside the allow-list", async () => {
    const res = await h.gql('{ registrants(sortField: "attributes") { id } }', {}, viewer);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "sortField" });
  });
});

describe("personal data", () => {
  const DETAILS = `query ($f: RegistrantFilter) { registrants(filter: $f, perPage: 1) { identifiers { value } phones { e164 } } }`;

  it("masks identifiers and phones for viewers, shows them to registrars", async () => {
    const f = { q: "Amina Wanjiru" };
    const clear = await h.gql<{
      registrants: { identifiers: { value: string }[]; phones: { e164: string }[] }[];
    }>(DETAILS, { f }, registrar);
    const masked = await h.gql<{
      registrants: { identifiers: { value: string }[]; phones: { e164: string }[] }[];
    }>(DETAILS, { f }, viewer);
    const value = clear.data!.registrants[0]!.identifiers[0]!.value;
    expect(value).toMatch(/^\d{10}$/);
    expect(masked.data!.registrants[0]!.identifiers[0]!.value).toBe(`••••••${value.slice(-4)}`);
    expect(masked.data!.registrants[0]!.phones[0]!.e164).toMatch(/^•+\d{4}$/);
  });

  it("masks bank accounts and wallets for viewers", async () => {
    const created = await h.gql<{ createRegistrant: { id: string } }>(
      CREATE,
      {
        kind: "INDIVIDUAL",
        givenName: "Account",
        familyName: "Holder",
        financialAddresses: [
          {
            kind: "BANK_ACCOUNT",
            iban: "DE89 3704 0044 0532 0130 00",
            bic: "COBADEFFXXX",
            accountHolder: "Wanjiku Otieno",
          },
          {
            kind: "MOBILE_WALLET",
            msisdn: "+254712999888",
            walletProvider: "mpesa",
            accountHolder: "Baraka Mwangi",
          },
        ],
      },
      registrar,
    );
    const q = `query ($id: ID!) { registrant(id: $id) { financialAddresses { accountHolder iban bic walletProvider msisdn fa } } }`;
    const id = created.data!.createRegistrant.id;
    type Accounts = {
      registrant: {
        financialAddresses: {
          accountHolder: string | null;
          iban: string | null;
          bic: string | null;
          walletProvider: string | null;
          msisdn: string | null;
          fa: string;
        }[];
      };
    };
    const clear = await h.gql<Accounts>(q, { id }, registrar);
    const masked = await h.gql<Accounts>(q, { id }, viewer);
    expect(clear.data!.registrant.financialAddresses.map((a) => a.accountHolder)).toEqual([
      "Wanjiku Otieno",
      "Baraka Mwangi",
    ]);
    expect(clear.data!.registrant.financialAddresses.map((a) => a.fa)).toEqual([
      "iban:DE89370400440532013000@COBADEFFXXX",
      "mobile:+254712999888@mpesa",
    ]);
    const [bank, wallet] = masked.data!.registrant.financialAddresses;
    expect(bank!.iban).toBe("••••••••••••••••••3000");
    expect(wallet!.msisdn).toBe("•••••••••9888");
    // The fa string masks its account as the iban and msisdn fields do; the institution stays.
    expect(bank!.fa).toBe(`iban:${bank!.iban}@COBADEFFXXX`);
    expect(wallet!.fa).toBe(`mobile:${wallet!.msisdn}@mpesa`);
    expect([bank!.bic, wallet!.walletProvider]).toEqual(["COBADEFFXXX", "mpesa"]);
    // Holders are masked in every character.
    expect(bank!.accountHolder).toBe("•".repeat("Wanjiku Otieno".length));
    expect(wallet!.accountHolder).toBe("•".repeat("Baraka Mwangi".length));
    expect(JSON.stringify(masked.data)).not.toMatch(/370400440532|712999|Wanjiku|Otieno|Baraka|Mwangi/);
  });

  it("refuses identifier and phone filters to viewers, naming the argument, and serves them to registrars", async () => {
    const [seeded] = await h.sql<{ value: string; e164: string; name: string }>(
      `SELECT i.value, p.e164, r.name FROM registrant r
         JOIN registrant_identifier i ON i.registrant_id = r.id JOIN phone p ON p.registrant_id = r.id
        ORDER BY i.value LIMIT 1`,
    );
    const list = `query ($f: RegistrantFilter) { registrants(filter: $f) { name } }`;
    const meta = `query ($f: RegistrantFilter) { _registrantsMeta(filter: $f) { count } }`;
    for (const [field, f] of [
      ["filter.identifier", { identifier: seeded!.value }],
      ["filter.identifier", { identifier: "0000000000", kind: "INDIVIDUAL" }],
      ["filter.phone", { phone: seeded!.e164 }],
    ] as const) {
      for (const [query, root] of [
        [list, "registrants"],
        [meta, "_registrantsMeta"],
      ] as const) {
        const refused = await h.gql(query, { f }, viewer);
        expect(refused.data).toBeNull();
        expect(refused.errors).toHaveLength(1);
        expect(refused.errors![0]!.path).toEqual([root]);
        expect(refused.errors![0]!.extensions).toMatchObject({ code: "FORBIDDEN", field });
        expect(refused.errors![0]!.message).not.toContain(seeded!.name);
      }
    }
    const byPhone = await h.gql<{ registrants: { name: string }[] }>(
      list,
      { f: { phone: seeded!.e164 } },
      registrar,
    );
    expect(byPhone.data?.registrants.map((r) => r.name)).toContain(seeded!.name);
    // Other filters stay open to viewers.
    const byName = await h.gql<{ registrants: { name: string }[] }>(list, { f: { q: seeded!.name } }, viewer);
    expect(byName.errors).toBeUndefined();
    expect(byName.data?.registrants.map((r) => r.name)).toContain(seeded!.name);
  });
});

describe("department isolation of the registry", () => {
  it("shows another department none of these registrants and refuses references into them", async () => {
    const other = await h.userToken("other-admin");
    const res = await h.gql<{ _registrantsMeta: { count: number } }>(
      "{ _registrantsMeta { count } }",
      {},
      other,
    );
    expect(res.data?._registrantsMeta.count).toBe(0);
    const demoRegistrant = (await h.sql<{ id: string }>("SELECT id FROM registrant LIMIT 1"))[0]!.id;
    const read = await h.gql(
      "query ($id: ID!) { registrant(id: $id) { id } }",
      { id: demoRegistrant },
      other,
    );
    expect(read.data).toEqual({ registrant: null });
    const write = await h.gql(
      CREATE,
      { kind: "INDIVIDUAL", givenName: "Cross", familyName: "Border", gazSmallId: ids.kibera },
      other,
    );
    expect(write.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "gazSmallId" });
    const update = await h.gql(
      'mutation ($id: ID!) { updateRegistrant(id: $id, familyName: "Hijack") { id } }',
      { id: demoRegistrant },
      other,
    );
    expect(update.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });
});

describe("reference data", () => {
  it("lets admins manage identifier types, refuses registrars, and refuses deleting one in use", async () => {
    const create = `mutation { createIdType(code: "VOTER", name: "Voter card", pattern: "V\\\\d{6}") { id code } }`;
    expect((await h.gql(create, {}, registrar)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const created = await h.gql<{ createIdType: { id: string; code: string } }>(create, {}, admin);
    expect(created.data?.createIdType.code).toBe("VOTER");
    const dup = await h.gql(create, {}, admin);
    expect(dup.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    const inUse = await h.gql(
      "mutation ($id: ID!) { deleteIdType(id: $id) { id } }",
      { id: ids.nationalId },
      admin,
    );
    expect(inUse.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    const unused = await h.gql(
      "mutation ($id: ID!) { deleteIdType(id: $id) { id } }",
      { id: created.data!.createIdType.id },
      admin,
    );
    expect(unused.errors).toBeUndefined();
  });

  it("requires a SMALL zone to lie in a LARGE zone", async () => {
    const res = await h.gql(
      'mutation { createGeoZone(code: "X-1", name: "Nowhere", level: SMALL) { id } }',
      {},
      admin,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "parentId" });
  });
});
