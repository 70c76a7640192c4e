import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withLuhnDigit } from "@pbms/db/testing";
import { startHarness, type Harness } from "./harness.ts";

let h: Harness;
let registrar: string;
let viewer: string;
let admin: string;
let ids: { nationalId: string; head: string; other: string };
let people: {
  amina: string;
  aminaTypo: string;
  joseph: string;
  esther: string;
  brian: string;
  hassan: string;
  fatuma: string;
  fatumaLater: string;
  household: string;
  household2: string;
};

async function idOf(table: string, code: string): Promise<string> {
  const [row] = await h.sql<{ id: string }>(
    `SELECT t.id FROM ${table} t JOIN department d ON d.id = t.tenant_id WHERE d.code = 'demo' AND t.code = $1`,
    [code],
  );
  return row!.id;
}

const CREATE = `mutation ($kind: RegistrantKind!, $givenName: String, $familyName: String, $name: String, $birthDate: String,
  $sex: Sex, $identifiers: [IdentifierInput!], $phones: [PhoneInput!], $financialAddresses: [FinancialAddressInput!], $members: [MemberInput!]) {
  createRegistrant(kind: $kind, givenName: $givenName, familyName: $familyName, name: $name, birthDate: $birthDate, sex: $sex,
    identifiers: $identifiers, phones: $phones, financialAddresses: $financialAddresses, members: $members) { id }
}`;

async function create(variables: Record<string, unknown>): Promise<string> {
  const res = await h.gql<{ createRegistrant: { id: string } }>(
    CREATE,
    { kind: "INDIVIDUAL", ...variables },
    registrar,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.createRegistrant.id;
}

const RUN = "mutation { runDeduplication { id state type } }";

interface JobView {
  id: string;
  state: string;
  progressDone: number;
  progressTotal: number;
  result: { setsFound: Record<string, number> };
}

/** Starts a run as registrar, runs it, and returns the finished job. */
async function runAndDrain(): Promise<JobView> {
  const started = await h.gql<{ runDeduplication: { id: string } }>(RUN, {}, registrar);
  expect(started.errors).toBeUndefined();
  await h.worker.drain();
  const job = await h.gql<{ job: JobView }>(
    "query ($id: ID!) { job(id: $id) { id state progressDone progressTotal result } }",
    { id: started.data!.runDeduplication.id },
    registrar,
  );
  return job.data!.job;
}

const SETS = `query ($f: DuplicateSetFilter) {
  duplicateSets(filter: $f, perPage: 50) {
    id rule score status decidedBy registrantIds
    members { id name birthDate sex status statusReason gazLargeId identifiers { value } phones { e164 } }
  }
  _duplicateSetsMeta(filter: $f) { count }
}`;

interface SetView {
  id: string;
  rule: string;
  score: number;
  status: string;
  decidedBy: string | null;
  registrantIds: string[];
  members: {
    id: string;
    name: string;
    status: string;
    statusReason: string | null;
    identifiers: { value: string }[];
    phones: { e164: string }[];
  }[];
}

async function setsOf(filter: Record<string, unknown>, token = registrar): Promise<SetView[]> {
  const res = await h.gql<{ duplicateSets: SetView[]; _duplicateSetsMeta: { count: number } }>(
    SETS,
    { f: filter },
    token,
  );
  expect(res.errors).toBeUndefined();
  expect(res.data!._duplicateSetsMeta.count).toBe(res.data!.duplicateSets.length);
  return res.data!.duplicateSets;
}

async function auditActions(entityId: string): Promise<string[]> {
  const rows = await h.sql<{ action: string }>(
    "SELECT action FROM audit_event WHERE entity_id = $1 ORDER BY occurred_at, id",
    [entityId],
  );
  return rows.map((r) => r.action);
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
    other: await idOf("membership_kind", "OTHER"),
  };
  const nid = (n: string) => [{ idTypeId: ids.nationalId, value: withLuhnDigit(n) }];
  const amina = await create({
    givenName: "Amina",
    familyName: "Wanjiru",
    birthDate: "1990-01-01",
    sex: "FEMALE",
    identifiers: nid("770000001"),
    phones: [{ number: "+254711000001" }],
  });
  const aminaTypo = await create({
    givenName: "Amina",
    familyName: "Wanjru",
    birthDate: "1990-01-01",
    sex: "FEMALE",
    identifiers: nid("770000002"),
    phones: [{ number: "+254711000002" }],
    financialAddresses: [{ kind: "MOBILE_WALLET", msisdn: "+254711000002", walletProvider: "mpesa" }],
  });
  // Same phone, different people (e.g. a shared family phone).
  const joseph = await create({ givenName: "Joseph", familyName: "Mutua", birthDate: "1970-03-03" });
  const esther = await create({ givenName: "Esther", familyName: "Chebet", birthDate: "1982-07-07" });
  await h.sql(
    "INSERT INTO phone (id, tenant_id, registrant_id, e164, country, is_primary) SELECT gen_random_uuid(), tenant_id, id, '+254722000333', 'KE', true FROM registrant WHERE id = ANY($1::uuid[])",
    [[joseph, esther]],
  );
  // The same passport entered twice with different formatting (legacy data, written as the owner).
  await h.sql(
    `INSERT INTO registrant_identifier (id, tenant_id, registrant_id, id_type_id, value)
     SELECT gen_random_uuid(), r.tenant_id, r.id, t.id, v.value
       FROM (VALUES ($1::uuid, 'AB123456'), ($2::uuid, 'ab-123 456')) AS v(rid, value)
       JOIN registrant r ON r.id = v.rid
       JOIN id_type t ON t.tenant_id = r.tenant_id AND t.code = 'PASSPORT'`,
    [joseph, esther],
  );
  // Same birth date, dissimilar names: not duplicates.
  const brian = await create({ givenName: "Brian", familyName: "Otieno", birthDate: "1985-05-05" });
  const hassan = await create({ givenName: "Hassan", familyName: "Mwangi", birthDate: "1985-05-05" });
  // Same name, birth dates two days apart: found only with a tolerance of at least 2 days.
  const fatuma = await create({ givenName: "Fatuma", familyName: "Achieng", birthDate: "1975-06-10" });
  const fatumaLater = await create({ givenName: "Fatuma", familyName: "Achieng", birthDate: "1975-06-12" });
  // Both Aminas live in one household; the misspelled one also heads another.
  const group = async (name: string, members: { individualId: string; kindId: string }[]) =>
    (await h.gql<{ createRegistrant: { id: string } }>(CREATE, { kind: "GROUP", name, members }, registrar))
      .data!.createRegistrant.id;
  const household = await group("Wanjiru household", [
    { individualId: amina, kindId: ids.head },
    { individualId: aminaTypo, kindId: ids.other },
  ]);
  const household2 = await group("Wanjru household", [{ individualId: aminaTypo, kindId: ids.head }]);
  people = { amina, aminaTypo, joseph, esther, brian, hassan, fatuma, fatumaLater, household, household2 };
});
afterAll(() => h?.close());

describe("rules", () => {
  it("seeds the four rules per department, changeable by admins only, within bounds, audited", async () => {
    const list = await h.gql<{
      dedupRules: {
        id: string;
        kind: string;
        enabled: boolean;
        nameThreshold: number;
        birthDateDays: number;
      }[];
      _dedupRulesMeta: { count: number };
    }>(
      "{ dedupRules { id kind enabled nameThreshold birthDateDays } _dedupRulesMeta { count } }",
      {},
      viewer,
    );
    expect(list.errors).toBeUndefined();
    expect(list.data!._dedupRulesMeta.count).toBe(4);
    expect(list.data!.dedupRules.map(({ id: _id, ...r }) => r)).toEqual([
      { kind: "SAME_IDENTIFIER", enabled: true, nameThreshold: 0.6, birthDateDays: 0 },
      { kind: "SAME_PHONE", enabled: true, nameThreshold: 0.6, birthDateDays: 0 },
      { kind: "SAME_FINANCIAL_ADDRESS", enabled: true, nameThreshold: 0.6, birthDateDays: 0 },
      { kind: "SIMILAR_NAME_BIRTH_DATE", enabled: true, nameThreshold: 0.6, birthDateDays: 0 },
    ]);
    const nameRule = list.data!.dedupRules.find((r) => r.kind === "SIMILAR_NAME_BIRTH_DATE")!;
    const update = `mutation ($id: ID!, $t: Float, $d: Int) { updateDedupRule(id: $id, nameThreshold: $t, birthDateDays: $d) { nameThreshold birthDateDays } }`;
    expect((await h.gql(update, { id: nameRule.id, t: 0.7 }, registrar)).errors?.[0]?.extensions?.code).toBe(
      "FORBIDDEN",
    );
    expect((await h.gql(update, { id: nameRule.id, t: 0.2 }, admin)).errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "nameThreshold",
    });
    expect((await h.gql(update, { id: nameRule.id, d: 400 }, admin)).errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "birthDateDays",
    });
    const ok = await h.gql<{ updateDedupRule: unknown }>(update, { id: nameRule.id, t: 0.65 }, admin);
    expect(ok.data?.updateDedupRule).toEqual({ nameThreshold: 0.65, birthDateDays: 0 });
    await h.gql(update, { id: nameRule.id, t: 0.6 }, admin);
    expect(await auditActions(nameRule.id)).toEqual(["dedup_rule.updated", "dedup_rule.updated"]);

    const other = await h.userToken("other-admin");
    const theirs = await h.gql<{ dedupRules: { id: string }[] }>("{ dedupRules { id } }", {}, other);
    expect(theirs.data!.dedupRules).toHaveLength(4);
    expect(theirs.data!.dedupRules.map((r) => r.id)).not.toContain(nameRule.id);
  });
});

describe("deduplication runs", () => {
  let nameSet: SetView;
  let phoneSet: SetView;

  it("refuses a second run while one is queued, and runs only for registrars and admins", async () => {
    const forbidden = await h.gql(RUN, {}, viewer);
    expect(forbidden.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const first = await h.gql<{ runDeduplication: { id: string; state: string; type: string } }>(
      RUN,
      {},
      registrar,
    );
    expect(first.errors).toBeUndefined();
    expect(first.data!.runDeduplication).toMatchObject({ state: "QUEUED", type: "DEDUPLICATION" });
    const second = await h.gql(RUN, {}, admin);
    expect(second.errors?.[0]?.extensions).toMatchObject({
      code: "CONFLICT",
      jobId: first.data!.runDeduplication.id,
    });
    expect(await auditActions(first.data!.runDeduplication.id)).toEqual(["job.started"]);
    await h.gql(
      "mutation ($id: ID!) { cancelJob(id: $id) { state } }",
      { id: first.data!.runDeduplication.id },
      registrar,
    );
  });

  it("finds near-duplicate names, shared phones and reformatted identifiers, but not dissimilar names", async () => {
    const job = await runAndDrain();
    expect(job.state).toBe("SUCCEEDED");
    expect(job.progressDone).toBe(job.progressTotal);
    expect(job.result.setsFound).toEqual({
      SAME_IDENTIFIER: 1,
      SAME_PHONE: 1,
      SAME_FINANCIAL_ADDRESS: 0,
      SIMILAR_NAME_BIRTH_DATE: 1,
    });

    const byName = await setsOf({ registrantId: people.amina });
    expect(byName).toHaveLength(1);
    nameSet = byName[0]!;
    expect(nameSet).toMatchObject({ rule: "SIMILAR_NAME_BIRTH_DATE", status: "OPEN" });
    expect(nameSet.score).toBeCloseTo(0.6875, 3);
    expect(new Set(nameSet.registrantIds)).toEqual(new Set([people.amina, people.aminaTypo]));
    expect(nameSet.members.map((m) => m.name)).toEqual(["Amina Wanjiru", "Amina Wanjru"]);
    expect(nameSet.members[0]!.identifiers[0]!.value).toBe(withLuhnDigit("770000001"));

    const byPhone = await setsOf({ registrantId: people.joseph, rule: "SAME_PHONE" });
    expect(byPhone).toHaveLength(1);
    phoneSet = byPhone[0]!;
    expect(phoneSet.score).toBe(1);
    expect(new Set(phoneSet.registrantIds)).toEqual(new Set([people.joseph, people.esther]));

    const byIdentifier = await setsOf({ registrantId: people.esther, rule: "SAME_IDENTIFIER" });
    expect(new Set(byIdentifier[0]!.registrantIds)).toEqual(new Set([people.joseph, people.esther]));

    expect(await setsOf({ registrantId: people.brian })).toEqual([]);
    expect(await setsOf({ registrantId: people.hassan })).toEqual([]);
    expect(await setsOf({ registrantId: people.fatuma })).toEqual([]);
    expect(await setsOf({ rule: "SIMILAR_NAME_BIRTH_DATE" })).toEqual([nameSet]);
    const sorted = await h.gql<{ duplicateSets: { score: number }[] }>(
      '{ duplicateSets(sortField: "score", sortOrder: "ASC") { score } }',
      {},
      registrar,
    );
    const scores = sorted.data!.duplicateSets.map((s) => s.score);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
  });

  it("keeps decided sets decided and adds no copies when run again", async () => {
    const mark = `mutation ($id: ID!) { markNotDuplicate(input: { setId: $id }) { status decidedBy } }`;
    expect((await h.gql(mark, { id: phoneSet.id }, viewer)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const marked = await h.gql<{ markNotDuplicate: { status: string; decidedBy: string } }>(
      mark,
      { id: phoneSet.id },
      registrar,
    );
    expect(marked.data?.markNotDuplicate.status).toBe("NOT_DUPLICATE");
    expect(marked.data?.markNotDuplicate.decidedBy).toBeTruthy();
    const again = await h.gql(mark, { id: phoneSet.id }, registrar);
    expect(again.errors?.[0]?.extensions).toMatchObject({
      code: "INVALID_STATE_TRANSITION",
      from: "NOT_DUPLICATE",
    });
    expect(await auditActions(phoneSet.id)).toEqual(["duplicate_set.not_duplicate"]);

    const [before] = await h.sql<{ sets: number; members: number }>(
      "SELECT (SELECT count(*) FROM duplicate_set)::int AS sets, (SELECT count(*) FROM duplicate_set_member)::int AS members",
    );
    const job = await runAndDrain();
    expect(job.result.setsFound).toEqual({
      SAME_IDENTIFIER: 0,
      SAME_PHONE: 0,
      SAME_FINANCIAL_ADDRESS: 0,
      SIMILAR_NAME_BIRTH_DATE: 0,
    });
    const [after] = await h.sql(
      "SELECT (SELECT count(*) FROM duplicate_set)::int AS sets, (SELECT count(*) FROM duplicate_set_member)::int AS members",
    );
    expect(after).toEqual(before);
    expect((await setsOf({ ids: [phoneSet.id] }))[0]!.status).toBe("NOT_DUPLICATE");
  });

  it("honours the birth date tolerance of the name rule", async () => {
    const [rule] = await h.sql<{ id: string }>(
      "SELECT r.id FROM dedup_rule r JOIN department d ON d.id = r.tenant_id WHERE d.code = 'demo' AND r.kind = 'SIMILAR_NAME_BIRTH_DATE'",
    );
    const set = (d: number) =>
      h.gql(
        "mutation ($id: ID!, $d: Int) { updateDedupRule(id: $id, birthDateDays: $d) { id } }",
        { id: rule!.id, d },
        admin,
      );
    await set(3);
    try {
      const job = await runAndDrain();
      expect(job.result.setsFound.SIMILAR_NAME_BIRTH_DATE).toBeGreaterThanOrEqual(1);
      const found = await setsOf({ registrantId: people.fatuma });
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ rule: "SIMILAR_NAME_BIRTH_DATE", score: 1 });
      expect(new Set(found[0]!.registrantIds)).toEqual(new Set([people.fatuma, people.fatumaLater]));
    } finally {
      await set(0);
    }
  });
});

describe("merging", () => {
  /** Everything a merge may touch, without version and timestamps. */
  const state = () =>
    h.sql(
      `SELECT json_build_object(
         'registrants', (SELECT json_agg(json_build_object('id', id, 'status', status, 'reason', status_reason, 'into', merged_into_id) ORDER BY id)
                           FROM registrant WHERE id = ANY($1::uuid[])),
         'identifiers', (SELECT json_agg(json_build_object('id', id, 'r', registrant_id) ORDER BY id) FROM registrant_identifier WHERE registrant_id = ANY($1::uuid[])),
         'phones', (SELECT json_agg(json_build_object('id', id, 'r', registrant_id, 'p', is_primary) ORDER BY id) FROM phone WHERE registrant_id = ANY($1::uuid[])),
         'accounts', (SELECT json_agg(json_build_object('id', id, 'r', registrant_id, 'p', is_primary) ORDER BY id) FROM financial_address WHERE registrant_id = ANY($1::uuid[])),
         'memberships', (SELECT json_agg(json_build_object('id', id, 'g', group_id, 'i', individual_id, 'end', end_date) ORDER BY id) FROM group_membership WHERE individual_id = ANY($1::uuid[]))
       ) AS s`,
      [[people.amina, people.aminaTypo]],
    );
  let nameSetId: string;
  let mergeId: string;
  let beforeMerge: unknown;

  it("lets viewers read sets with masked identifiers, but not merge", async () => {
    const [set] = await setsOf({ registrantId: people.amina }, viewer);
    nameSetId = set!.id;
    const value = withLuhnDigit("770000001");
    const masked = set!.members.find((m) => m.id === people.amina)!;
    expect(masked.identifiers[0]!.value).toBe(`••••••${value.slice(-4)}`);
    expect(masked.phones[0]!.e164).toMatch(/^•+0001$/);
    const res = await h.gql(
      "mutation ($s: ID!, $r: ID!) { mergeRegistrants(input: { setId: $s, survivorId: $r }) { id } }",
      { s: nameSetId, r: people.amina },
      viewer,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const pm = await setsOf({ registrantId: people.amina }, await h.userToken("program-manager"));
    expect(pm).toHaveLength(1);
  });

  it("merges in one step: moves identifiers, phones, accounts and memberships, deactivates the duplicate, audits", async () => {
    beforeMerge = await state();
    const outsider = await h.gql(
      "mutation ($s: ID!, $r: ID!) { mergeRegistrants(input: { setId: $s, survivorId: $r }) { id } }",
      { s: nameSetId, r: people.brian },
      registrar,
    );
    expect(outsider.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.survivorId",
    });

    const res = await h.gql<{
      mergeRegistrants: {
        status: string;
        merges: {
          id: string;
          survivorId: string;
          mergedId: string;
          priorStatus: string;
          moved: Record<string, string[]>;
          skipped: { table: string; ended: boolean }[];
          merged: { status: string; statusReason: string };
        }[];
      };
    }>(
      `mutation ($s: ID!, $r: ID!) { mergeRegistrants(input: { setId: $s, survivorId: $r }) {
         status merges { id survivorId mergedId priorStatus moved { identifiers phones financialAddresses memberships members }
                         skipped { table ended } merged { status statusReason } } } }`,
      { s: nameSetId, r: people.amina },
      registrar,
    );
    expect(res.errors).toBeUndefined();
    const set = res.data!.mergeRegistrants;
    expect(set.status).toBe("MERGED");
    expect(set.merges).toHaveLength(1);
    const merge = set.merges[0]!;
    mergeId = merge.id;
    expect(merge).toMatchObject({
      survivorId: people.amina,
      mergedId: people.aminaTypo,
      priorStatus: "ACTIVE",
      merged: { status: "INACTIVE", statusReason: "Merged into Amina Wanjiru" },
    });
    expect(merge.moved.identifiers).toHaveLength(1);
    expect(merge.moved.phones).toHaveLength(1);
    expect(merge.moved.financialAddresses).toHaveLength(1);
    expect(merge.moved.memberships).toHaveLength(1); // head of the second household
    expect(merge.skipped).toEqual([{ table: "group_membership", ended: true }]); // both in the first household

    const survivor = await h.gql<{
      registrant: {
        identifiers: { value: string }[];
        phones: { e164: string }[];
        memberships: { groupId: string; endDate: string | null }[];
      };
    }>(
      "query ($id: ID!) { registrant(id: $id) { identifiers { value } phones { e164 } memberships { groupId endDate } } }",
      { id: people.amina },
      registrar,
    );
    const r = survivor.data!.registrant;
    expect(r.identifiers.map((i) => i.value).sort()).toEqual([
      withLuhnDigit("770000001"),
      withLuhnDigit("770000002"),
    ]);
    expect(r.phones.map((p) => p.e164).sort()).toEqual(["+254711000001", "+254711000002"]);
    expect(r.memberships.map((m) => m.groupId).sort()).toEqual([people.household, people.household2].sort());
    const [dup] = await h.sql<{ status: string; merged_into_id: string; open: number }>(
      `SELECT status, merged_into_id,
              (SELECT count(*)::int FROM group_membership WHERE individual_id = $1 AND end_date IS NULL) AS open
         FROM registrant WHERE id = $1`,
      [people.aminaTypo],
    );
    expect(dup).toEqual({ status: "INACTIVE", merged_into_id: people.amina, open: 0 });
    expect(await auditActions(people.aminaTypo)).toContain("registrant.merged");
    expect(await state()).not.toEqual(beforeMerge);

    const again = await h.gql(
      "mutation ($s: ID!, $r: ID!) { mergeRegistrants(input: { setId: $s, survivorId: $r }) { id } }",
      { s: nameSetId, r: people.amina },
      registrar,
    );
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: "INVALID_STATE_TRANSITION", from: "MERGED" });

    // A later run does not offer the merged record again.
    const job = await runAndDrain();
    expect(job.result.setsFound.SIMILAR_NAME_BIRTH_DATE).toBe(0);
  });

  it("reverts exactly, re-opens the set, and refuses a second revert", async () => {
    const revert = "mutation ($m: ID!) { revertMerge(input: { mergeId: $m }) { revertedAt notRestored } }";
    expect((await h.gql(revert, { m: mergeId }, viewer)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const res = await h.gql<{ revertMerge: { revertedAt: string; notRestored: string[] } }>(
      revert,
      { m: mergeId },
      registrar,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.revertMerge.revertedAt).toBeTruthy();
    expect(res.data!.revertMerge.notRestored).toEqual([]);
    const [row] = await h.sql<{
      status: string;
      status_reason: string | null;
      merged_into_id: string | null;
    }>("SELECT status, status_reason, merged_into_id FROM registrant WHERE id = $1", [people.aminaTypo]);
    expect(row).toEqual({ status: "ACTIVE", status_reason: null, merged_into_id: null });
    expect(await state()).toEqual(beforeMerge);
    expect((await setsOf({ ids: [nameSetId] }))[0]).toMatchObject({ status: "OPEN", decidedBy: null });
    expect(await auditActions(people.aminaTypo)).toContain("registrant.merge_reverted");
    const twice = await h.gql(revert, { m: mergeId }, registrar);
    expect(twice.errors?.[0]?.extensions?.code).toBe("CONFLICT");
  });

  it("merges the other way round and reverts again to the same registry", async () => {
    const before = await state();
    const merged = await h.gql<{ mergeRegistrants: { merges: { id: string; revertedAt: string | null }[] } }>(
      "mutation ($s: ID!, $r: ID!) { mergeRegistrants(input: { setId: $s, survivorId: $r }) { merges { id revertedAt } } }",
      { s: nameSetId, r: people.aminaTypo },
      registrar,
    );
    expect(merged.errors).toBeUndefined();
    const current = merged.data!.mergeRegistrants.merges.find((m) => !m.revertedAt)!;
    expect(await state()).not.toEqual(before);
    await h.gql(
      "mutation ($m: ID!) { revertMerge(input: { mergeId: $m }) { id } }",
      { m: current.id },
      registrar,
    );
    expect(await state()).toEqual(before);
  });

  it("refuses to merge individuals with groups", async () => {
    const [set] = await h.sql<{ id: string }>(
      `WITH s AS (
         INSERT INTO duplicate_set (id, tenant_id, rule, score, member_key)
         SELECT gen_random_uuid(), tenant_id, 'SAME_PHONE', 1, 'mixed-test' FROM registrant WHERE id = $1
         RETURNING id, tenant_id)
       INSERT INTO duplicate_set_member (set_id, registrant_id, tenant_id)
       SELECT s.id, m, s.tenant_id FROM s, unnest($2::uuid[]) AS m RETURNING set_id AS id`,
      [people.brian, [people.brian, people.household]],
    );
    const res = await h.gql(
      "mutation ($s: ID!, $r: ID!) { mergeRegistrants(input: { setId: $s, survivorId: $r }) { id } }",
      { s: set!.id, r: people.brian },
      registrar,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.setId" });
  });
});

describe("department isolation of deduplication", () => {
  it("shows another department none of demo's sets and refuses decisions on them", async () => {
    const other = await h.userToken("other-admin");
    const res = await h.gql<{
      duplicateSets: unknown[];
      _duplicateSetsMeta: { count: number };
      registrantMerges: unknown[];
    }>("{ duplicateSets { id } _duplicateSetsMeta { count } registrantMerges { id } }", {}, other);
    expect(res.data).toEqual({ duplicateSets: [], _duplicateSetsMeta: { count: 0 }, registrantMerges: [] });
    const [demoSet] = await h.sql<{ id: string }>(
      "SELECT id FROM duplicate_set WHERE status = 'OPEN' LIMIT 1",
    );
    const read = await h.gql("query ($id: ID!) { duplicateSet(id: $id) { id } }", { id: demoSet!.id }, other);
    expect(read.data).toEqual({ duplicateSet: null });
    const decide = await h.gql(
      "mutation ($id: ID!) { markNotDuplicate(input: { setId: $id }) { id } }",
      { id: demoSet!.id },
      other,
    );
    expect(decide.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    // A run in department other finds nothing of demo.
    const started = await h.gql<{ runDeduplication: { id: string } }>(RUN, {}, other);
    expect(started.errors).toBeUndefined();
    await h.worker.drain();
    const after = await h.gql<{ _duplicateSetsMeta: { count: number } }>(
      "{ _duplicateSetsMeta { count } }",
      {},
      other,
    );
    expect(after.data?._duplicateSetsMeta.count).toBe(0);
  });
});
