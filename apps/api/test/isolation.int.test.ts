import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withLuhnDigit } from "@pbms/db/testing";
import { startHarness, type Harness } from "./harness.ts";

let h: Harness;
let demoAdmin: string;
let otherAdmin: string;
let demoId: string;
let registrar: string;
/** A group and an individual of department `other` (it has no seeded registrants). */
let otherGroup: string;
let otherPerson: string;

beforeAll(async () => {
  h = await startHarness();
  demoAdmin = await h.userToken("admin");
  otherAdmin = await h.userToken("other-admin");
  const res = await h.gql<{ viewer: { department: { id: string } } }>(
    "{ viewer { department { id } } }",
    {},
    demoAdmin,
  );
  demoId = res.data!.viewer.department.id;
  await h.gql("mutation { recordSignIn { id } }", {}, demoAdmin);
  await h.gql("mutation { recordSignIn { id } }", {}, otherAdmin);
  registrar = await h.userToken("registrar");
  otherPerson = await register(otherAdmin, { kind: "INDIVIDUAL", givenName: "Odile", familyName: "Martin" });
  otherGroup = await register(otherAdmin, { kind: "GROUP", name: "Martin household" });
});
afterAll(() => h?.close());

/** An id that exists in no department. */
const NOWHERE = randomUUID();

const CREATE_REGISTRANT = `mutation ($kind: RegistrantKind!, $name: String, $givenName: String, $familyName: String,
  $identifiers: [IdentifierInput!], $phones: [PhoneInput!], $financialAddresses: [FinancialAddressInput!], $members: [MemberInput!]) {
  createRegistrant(kind: $kind, name: $name, givenName: $givenName, familyName: $familyName, identifiers: $identifiers,
    phones: $phones, financialAddresses: $financialAddresses, members: $members) { id }
}`;

const UPDATE_DETAILS = `mutation ($id: ID!, $identifiers: [IdentifierInput!], $phones: [PhoneInput!], $financialAddresses: [FinancialAddressInput!]) {
  updateRegistrant(id: $id, identifiers: $identifiers, phones: $phones, financialAddresses: $financialAddresses) { id }
}`;

async function register(token: string, variables: Record<string, unknown>): Promise<string> {
  const res = await h.gql<{ createRegistrant: { id: string } }>(CREATE_REGISTRANT, variables, token);
  expect(res.errors).toBeUndefined();
  return res.data!.createRegistrant.id;
}

/** Id of a row of `table` in department `dept`, optionally matching `where` (on alias `t`, parameters from $2). */
async function rowId(table: string, dept: string, where = "true", params: unknown[] = []): Promise<string> {
  const [row] = await h.sql<{ id: string }>(
    `SELECT t.id FROM ${table} t JOIN department d ON d.id = t.tenant_id
      WHERE d.code = $1 AND ${where} ORDER BY t.id LIMIT 1`,
    [dept, ...params],
  );
  if (!row) throw new Error(`no ${table} row in department ${dept}`);
  return row.id;
}

/** Ids of all rows of `table` in department `dept`, sorted. */
async function idsIn(table: string, dept: string): Promise<string[]> {
  const rows = await h.sql<{ id: string }>(
    `SELECT t.id FROM ${table} t JOIN department d ON d.id = t.tenant_id WHERE d.code = $1`,
    [dept],
  );
  return rows.map((r) => r.id).sort();
}

/**
 * Sends `query` once with another department's id and once with an id that
 * exists nowhere, and expects the same answer (apart from the id): the caller
 * cannot tell that the other department's row exists. Returns the answer.
 */
async function sameAsMissing(
  query: string,
  variables: (id: string) => Record<string, unknown>,
  token: string,
  foreignId: string,
) {
  const foreign = await h.gql(query, variables(foreignId), token);
  const missing = await h.gql(query, variables(NOWHERE), token);
  expect(JSON.stringify(foreign).replaceAll(foreignId, "<id>")).toBe(
    JSON.stringify(missing).replaceAll(NOWHERE, "<id>"),
  );
  return foreign;
}

async function download(token: string, jobId: string) {
  const res = await fetch(`${h.url}/jobs/${jobId}/output`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.text() };
}

async function runJob(token: string, type: string, params: Record<string, unknown>) {
  const started = await h.gql<{ startJob: { id: string } }>(
    "mutation ($input: StartJobInput!) { startJob(input: $input) { id } }",
    { input: { type, params } },
    token,
  );
  expect(started.errors).toBeUndefined();
  await h.worker.drain();
  const job = await h.gql<{
    job: { id: string; state: string; result: Record<string, unknown>; outputUrl: string | null };
  }>(
    "query ($id: ID!) { job(id: $id) { id state result outputUrl } }",
    { id: started.data!.startJob.id },
    token,
  );
  return job.data!.job;
}

/** Department `other` finds nothing of job `jobId`: not by id, not in lists or counts, not its file. */
async function expectJobHidden(jobId: string) {
  const read = await sameAsMissing(
    "query ($id: ID!) { job(id: $id) { id result outputUrl } }",
    (id) => ({ id }),
    otherAdmin,
    jobId,
  );
  expect(read.errors).toBeUndefined();
  expect(read.data).toEqual({ job: null });
  const listed = await h.gql(
    "query ($ids: [ID!]) { jobs(filter: { ids: $ids }) { id } _jobsMeta(filter: { ids: $ids }) { count } }",
    { ids: [jobId] },
    otherAdmin,
  );
  expect(listed.data).toEqual({ jobs: [], _jobsMeta: { count: 0 } });
  const cancel = await sameAsMissing(
    "mutation ($id: ID!) { cancelJob(id: $id) { id } }",
    (id) => ({ id }),
    otherAdmin,
    jobId,
  );
  expect(cancel.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  const foreign = await download(otherAdmin, jobId);
  const missing = await download(otherAdmin, NOWHERE);
  expect(foreign.status).toBe(404);
  expect((JSON.parse(foreign.body) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
  expect(foreign.body.replaceAll(jobId, "<id>")).toBe(missing.body.replaceAll(NOWHERE, "<id>"));
}

describe("department isolation through the API", () => {
  it("shows each department only its own audit events and users", async () => {
    const demo = await h.gql<{ auditEvents: { actorName: string }[]; userProfiles: { username: string }[] }>(
      "{ auditEvents { actorName } userProfiles { username } }",
      {},
      demoAdmin,
    );
    const other = await h.gql<{ auditEvents: { actorName: string }[]; userProfiles: { username: string }[] }>(
      "{ auditEvents { actorName } userProfiles { username } }",
      {},
      otherAdmin,
    );
    expect(demo.data?.userProfiles.map((u) => u.username)).toEqual(["admin"]);
    expect(other.data?.userProfiles.map((u) => u.username)).toEqual(["other-admin"]);
    expect(other.data?.auditEvents.length).toBeGreaterThan(0);
    expect(other.data?.auditEvents.every((e) => e.actorName !== "Demo Admin")).toBe(true);
  });

  it("cannot read another department by id", async () => {
    const res = await h.gql("query ($id: ID!) { department(id: $id) { name } }", { id: demoId }, otherAdmin);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ department: null });
  });

  it("cannot change another department, and nothing changes", async () => {
    const res = await h.gql(
      'mutation ($id: ID!) { updateDepartment(id: $id, name: "Taken over") { name } }',
      { id: demoId },
      otherAdmin,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const [row] = await h.sql<{ name: string }>("SELECT name FROM department WHERE id = $1", [demoId]);
    expect(row?.name).not.toBe("Taken over");
  });

  it("cannot see or download another department's jobs", async () => {
    const started = await h.gql<{ startJob: { id: string } }>(
      "mutation { startJob(input: { type: AUDIT_EXPORT }) { id } }",
      {},
      demoAdmin,
    );
    const id = started.data!.startJob.id;
    await h.worker.drain();
    const seen = await h.gql("query ($id: ID!) { job(id: $id) { id } }", { id }, otherAdmin);
    expect(seen.data).toEqual({ job: null });
    const cancel = await h.gql("mutation ($id: ID!) { cancelJob(id: $id) { id } }", { id }, otherAdmin);
    expect(cancel.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const download = await fetch(`${h.url}/jobs/${id}/output`, {
      headers: { authorization: `Bearer ${otherAdmin}` },
    });
    expect(download.status).toBe(404);
    const own = await fetch(`${h.url}/jobs/${id}/output`, {
      headers: { authorization: `Bearer ${demoAdmin}` },
    });
    expect(own.status).toBe(200);
  });

  it("isolates integrators of different departments", async () => {
    const demo = await h.clientToken("demo-integrator", "demo-integrator-secret");
    const other = await h.clientToken("other-integrator", "other-integrator-secret");
    const a = await h.gql<{ viewer: { department: { code: string } } }>(
      "{ viewer { department { code } } }",
      {},
      demo,
    );
    const b = await h.gql<{ viewer: { department: { code: string } } }>(
      "{ viewer { department { code } } }",
      {},
      other,
    );
    expect(a.data?.viewer.department.code).toBe("demo");
    expect(b.data?.viewer.department.code).toBe("other");
    const jobs = await h.gql<{ jobs: unknown[] }>("{ jobs { id } }", {}, other);
    expect(jobs.data?.jobs).toEqual([]);
  });
});

const REFERENCE_DATA = [
  { table: "geo_zone", one: "geoZone", many: "geoZones", type: "GeoZone", text: "name", code: "MSA-KIS" },
  { table: "id_type", one: "idType", many: "idTypes", type: "IdType", text: "name", code: "PASSPORT" },
  {
    table: "membership_kind",
    one: "membershipKind",
    many: "membershipKinds",
    type: "MembershipKind",
    text: "name",
    code: "OTHER",
  },
  {
    table: "attribute_definition",
    one: "attributeDefinition",
    many: "attributeDefinitions",
    type: "AttributeDefinition",
    text: "label",
    code: "disability",
  },
] as const;

describe("department isolation of reference data", () => {
  it.each(REFERENCE_DATA)("lists, counts and reads only its own $many", async ({ table, one, many }) => {
    const own = await idsIn(table, "other");
    const demo = await idsIn(table, "demo");
    expect(own.length).toBeGreaterThan(0);
    expect(demo.length).toBeGreaterThan(0);
    const all = await h.gql<Record<string, { id: string }[] | { count: number }>>(
      `{ ${many}(perPage: 500) { id } _${many}Meta { count } }`,
      {},
      otherAdmin,
    );
    expect((all.data?.[many] as { id: string }[]).map((r) => r.id).sort()).toEqual(own);
    expect(all.data?.[`_${many}Meta`]).toEqual({ count: own.length });
    const asked = await h.gql(
      `query ($ids: [ID!]) { ${many}(filter: { ids: $ids }) { id } _${many}Meta(filter: { ids: $ids }) { count } }`,
      { ids: demo },
      otherAdmin,
    );
    expect(asked.data).toEqual({ [many]: [], [`_${many}Meta`]: { count: 0 } });
    const read = await sameAsMissing(
      `query ($id: ID!) { ${one}(id: $id) { id } }`,
      (id) => ({ id }),
      otherAdmin,
      demo[0]!,
    );
    expect(read.errors).toBeUndefined();
    expect(read.data).toEqual({ [one]: null });
  });

  it.each(REFERENCE_DATA)(
    "cannot change or delete another department's $many, and nothing changes",
    async ({ table, type, text, code }) => {
      const id = await rowId(table, "demo", "t.code = $2", [code]);
      const before = await h.sql(`SELECT * FROM ${table} WHERE id = $1`, [id]);
      const update = await sameAsMissing(
        `mutation ($id: ID!) { update${type}(id: $id, ${text}: "Taken over") { id } }`,
        (id) => ({ id }),
        otherAdmin,
        id,
      );
      expect(update.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
      const remove = await sameAsMissing(
        `mutation ($id: ID!) { delete${type}(id: $id) { id } }`,
        (id) => ({ id }),
        otherAdmin,
        id,
      );
      expect(remove.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
      expect(await h.sql(`SELECT * FROM ${table} WHERE id = $1`, [id])).toEqual(before);
    },
  );

  it("takes no zone of another department as a parent or a filter", async () => {
    const nairobi = await rowId("geo_zone", "demo", "t.code = 'NAI'");
    const inside = await h.gql(
      "query ($id: ID!) { geoZones(filter: { parentId: $id }) { id } }",
      { id: nairobi },
      otherAdmin,
    );
    expect(inside.data).toEqual({ geoZones: [] });
    const created = await sameAsMissing(
      'mutation ($id: ID!) { createGeoZone(code: "NAI-NEW", name: "New", level: SMALL, parentId: $id) { id } }',
      (id) => ({ id }),
      otherAdmin,
      nairobi,
    );
    expect(created.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "parentId" });
    const kibera = await rowId("geo_zone", "other", "t.code = 'NAI-KIB'");
    const moved = await sameAsMissing(
      "mutation ($zone: ID!, $id: ID) { updateGeoZone(id: $zone, parentId: $id) { id } }",
      (id) => ({ zone: kibera, id }),
      otherAdmin,
      nairobi,
    );
    expect(moved.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "parentId" });
    expect(await h.sql("SELECT count(*)::int AS n FROM geo_zone WHERE code = 'NAI-NEW'")).toEqual([{ n: 0 }]);
  });
});

const ADD_MEMBER = `mutation ($input: AddGroupMemberInput!) { addGroupMember(input: $input) { id } }`;

describe("department isolation of group memberships", () => {
  it("adds no member with another department's group, individual or kind", async () => {
    const foreign = {
      groupId: await rowId("registrant", "demo", "t.kind = 'GROUP'"),
      individualId: await rowId("registrant", "demo", "t.kind = 'INDIVIDUAL'"),
      kindId: await rowId("membership_kind", "demo", "t.code = 'OTHER'"),
    };
    const own = {
      groupId: otherGroup,
      individualId: otherPerson,
      kindId: await rowId("membership_kind", "other", "t.code = 'OTHER'"),
    };
    const before = await h.sql("SELECT id FROM group_membership ORDER BY id");
    for (const field of ["groupId", "individualId", "kindId"] as const) {
      const res = await sameAsMissing(
        ADD_MEMBER,
        (id) => ({ input: { ...own, [field]: id } }),
        otherAdmin,
        foreign[field],
      );
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: `input.${field}` });
    }
    for (const field of ["individualId", "kindId"] as const) {
      const res = await sameAsMissing(
        CREATE_REGISTRANT,
        (id) => ({
          kind: "GROUP",
          name: "Border household",
          members: [{ individualId: own.individualId, kindId: own.kindId, [field]: id }],
        }),
        otherAdmin,
        foreign[field],
      );
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        field: `members.0.${field}`,
      });
    }
    expect(await h.sql("SELECT id FROM group_membership ORDER BY id")).toEqual(before);
  });

  it("cannot end another department's membership, which stays current", async () => {
    const membership = await rowId("group_membership", "demo", "t.end_date IS NULL");
    const res = await sameAsMissing(
      "mutation ($id: ID!) { endGroupMembership(input: { id: $id }) { id endDate } }",
      (id) => ({ id }),
      otherAdmin,
      membership,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(await h.sql("SELECT end_date FROM group_membership WHERE id = $1", [membership])).toEqual([
      { end_date: null },
    ]);
  });
});

describe("department isolation of identifiers, phones and accounts", () => {
  const nationalId = withLuhnDigit("990000001");
  let demoPerson: string;
  /** The detail rows of the demo registrant, as stored. */
  const details = async () => ({
    identifiers: await h.sql<{ id: string }>(
      "SELECT * FROM registrant_identifier WHERE registrant_id = $1 ORDER BY id",
      [demoPerson],
    ),
    phones: await h.sql<{ id: string }>("SELECT * FROM phone WHERE registrant_id = $1 ORDER BY id", [
      demoPerson,
    ]),
    accounts: await h.sql<{ id: string }>(
      "SELECT * FROM financial_address WHERE registrant_id = $1 ORDER BY id",
      [demoPerson],
    ),
  });

  beforeAll(async () => {
    demoPerson = await register(registrar, {
      kind: "INDIVIDUAL",
      givenName: "Wanjiru",
      familyName: "Kamau",
      identifiers: [
        { idTypeId: await rowId("id_type", "demo", "t.code = 'NATIONAL_ID'"), value: nationalId },
      ],
      phones: [{ number: "+254712000555" }],
      financialAddresses: [
        { kind: "BANK_ACCOUNT", iban: "DE89 3704 0044 0532 0130 00", bic: "COBADEFFXXX" },
        { kind: "MOBILE_WALLET", msisdn: "+254712000555", walletProvider: "mpesa" },
      ],
    });
  });

  it("cannot replace or remove another department's identifiers, phones and accounts", async () => {
    const before = await details();
    expect([before.identifiers.length, before.phones.length, before.accounts.length]).toEqual([1, 1, 2]);
    const res = await sameAsMissing(
      UPDATE_DETAILS,
      (id) => ({ id, identifiers: [], phones: [], financialAddresses: [] }),
      otherAdmin,
      demoPerson,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(await details()).toEqual(before);
  });

  it("refuses another department's detail ids on its own registrant as it refuses unknown ones", async () => {
    const before = await details();
    const otherNationalId = await rowId("id_type", "other", "t.code = 'NATIONAL_ID'");
    const lists = [
      [
        "identifiers",
        (id: string) => ({ id, idTypeId: otherNationalId, value: nationalId }),
        before.identifiers,
      ],
      ["phones", (id: string) => ({ id, number: "+33612345678" }), before.phones],
      [
        "financialAddresses",
        (id: string) => ({ id, kind: "MOBILE_WALLET", msisdn: "+33612345678", walletProvider: "orange" }),
        before.accounts,
      ],
    ] as const;
    for (const [list, row, demoRows] of lists) {
      const res = await sameAsMissing(
        UPDATE_DETAILS,
        (id) => ({ id: otherPerson, [list]: [row(id)] }),
        otherAdmin,
        demoRows[0]!.id,
      );
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: `${list}.0.id` });
    }
    expect(await details()).toEqual(before);
  });

  it("takes no identifier type of another department", async () => {
    const res = await sameAsMissing(
      UPDATE_DETAILS,
      (id) => ({ id: otherPerson, identifiers: [{ idTypeId: id, value: nationalId }] }),
      otherAdmin,
      await rowId("id_type", "demo", "t.code = 'NATIONAL_ID'"),
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "identifiers.0.idTypeId",
    });
  });
});

describe("department isolation of imports and exports", () => {
  it("hides an import's errors and its error report from another department", async () => {
    const upload = await h.upload(
      registrar,
      "households.csv",
      "external_id,name\nHH-ISO-1,Kamau household\nHH-ISO-1,Twice household\n",
    );
    expect(upload.status).toBe(201);
    const job = await runJob(registrar, "REGISTRY_IMPORT", { fileId: upload.body.id, entity: "GROUP" });
    expect(job.state).toBe("SUCCEEDED");
    expect(job.result).toMatchObject({ rows: 2, rejected: 1 });
    const own = await download(registrar, job.id);
    expect(own.status).toBe(200);
    expect(own.body).toMatch(/3,external_id,the same external_id appears earlier/);
    expect(
      await h.sql(
        "SELECT DISTINCT d.code FROM import_error e JOIN department d ON d.id = e.tenant_id WHERE e.job_id = $1",
        [job.id],
      ),
    ).toEqual([{ code: "demo" }]);
    await expectJobHidden(job.id);
    const imports = await h.gql("{ jobs(filter: { type: REGISTRY_IMPORT }) { id result } }", {}, otherAdmin);
    expect(imports.data).toEqual({ jobs: [] });
  });

  it("hides a registry export from another department and exports none of its registrants", async () => {
    const demoExport = await runJob(registrar, "REGISTRY_EXPORT", {});
    expect(demoExport.state).toBe("SUCCEEDED");
    expect((await download(registrar, demoExport.id)).body).toMatch(/Wanjiru Kamau|Kamau/);
    await expectJobHidden(demoExport.id);

    const demoIds = await idsIn("registrant", "demo");
    const exported = async (params: Record<string, unknown>) => {
      const job = await runJob(otherAdmin, "REGISTRY_EXPORT", params);
      expect(job.state).toBe("SUCCEEDED");
      const csv = await download(otherAdmin, job.id);
      expect(csv.status).toBe(200);
      return csv.body
        .trim()
        .split("\n")
        .slice(1)
        .map((line) => line.split(",")[0])
        .sort();
    };
    expect(await exported({})).toEqual(await idsIn("registrant", "other"));
    expect(await exported({ ids: demoIds })).toEqual([]);
    expect(await exported({ groupId: await rowId("registrant", "demo", "t.kind = 'GROUP'") })).toEqual([]);
    expect(await exported({ gazLargeId: await rowId("geo_zone", "demo", "t.code = 'NAI'") })).toEqual([]);
  });
});
