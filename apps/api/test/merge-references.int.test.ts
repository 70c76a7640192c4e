// A merge moves the duplicate's documents and data source record links to the
// survivor (so the next sync of the source updates the survivor), and its
// revert moves exactly those rows back. The sync pages are written with the
// sync's own SQL (writePage), as the DATA_SOURCE_SYNC job does after fetching
// them from the remote registry.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, inTenant, type Db } from "@pbms/db";
import { withLuhnDigit } from "@pbms/db/testing";
import { writePage, type PageRecord } from "../src/modules/datasources/sync.sql.ts";
import { startHarness, type Harness } from "./harness.ts";

const PDF = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
const SOURCE = "county-registry";

let h: Harness;
let db: Db;
let registrar: string;
let tenantId: string;
let nationalId: string;
let dataSourceId: string;
let survivor: string;
let duplicate: string;
let other: string;
let setId: string;
/** Cache row ids per remote record id. */
const cacheIds: Record<string, string> = {};
/** Documents attached before the first merge. */
const docs: { duplicate: string[]; survivor: string[] } = { duplicate: [], survivor: [] };
const nid = withLuhnDigit("880000001");

interface Person {
  recordId: string;
  givenName: string;
  familyName: string;
  additionalName?: string;
  birthDate: string;
  identifiers?: { idTypeId: string; value: string }[];
}

/** Writes one page of remote records as a sync job would. */
function syncPage(people: Person[]) {
  const page: PageRecord[] = people.map((p) => ({
    raw: {
      "@id": p.recordId,
      name: { given_name: p.givenName, second_name: p.additionalName ?? null, sur_name: p.familyName },
      birthdate: p.birthDate,
      sex: "female",
    },
    mapped: {
      recordId: p.recordId,
      person: true,
      givenName: p.givenName,
      familyName: p.familyName,
      additionalName: p.additionalName ?? null,
      birthDate: p.birthDate,
      sex: "FEMALE",
      identifiers: p.identifiers ?? [],
      skippedIdentifiers: 0,
    },
  }));
  return inTenant(db, { tenantId, actorId: "test:sync" }, (t) =>
    writePage(
      t,
      {
        tenantId,
        dataSourceId,
        jobId: randomUUID(),
        prefix: `${SOURCE}:`,
        actor: { id: "test:sync", name: "Sync test", requestId: null },
      },
      page,
    ),
  );
}

const duplicateRecord: Person = {
  recordId: "rec-1",
  givenName: "Amina",
  familyName: "Wanjru",
  birthDate: "1964-04-14",
};
const otherRecord: Person = {
  recordId: "rec-2",
  givenName: "Baraka",
  familyName: "Otieno",
  birthDate: "1971-09-09",
};

async function attach(registrantId: string): Promise<string> {
  const res = await fetch(`${h.url}/registrants/${registrantId}/documents?type=ID_CARD`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${registrar}`,
      "content-type": "application/pdf",
      "x-file-name": "id.pdf",
    },
    body: PDF,
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** Document ids of a registrant as the API lists them, sorted. */
async function documentsOf(registrantId: string): Promise<string[]> {
  const res = await h.gql<{ registrant: { documents: { id: string }[] } }>(
    "query ($id: ID!) { registrant(id: $id) { documents { id } } }",
    { id: registrantId },
    registrar,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.registrant.documents.map((d) => d.id).sort();
}

/** Cache row → registrant links of the source, by remote record id. */
async function links(): Promise<Record<string, string | null>> {
  const rows = await h.sql<{ external_id: string; registrant_id: string | null }>(
    "SELECT external_id, registrant_id FROM data_source_record WHERE data_source_id = $1",
    [dataSourceId],
  );
  return Object.fromEntries(rows.map((r) => [r.external_id, r.registrant_id]));
}

async function person(id: string) {
  const [row] = await h.sql<{ name: string; family_name: string; version: number; status: string }>(
    "SELECT name, family_name, version, status::text AS status FROM registrant WHERE id = $1",
    [id],
  );
  return row!;
}

interface MergeView {
  id: string;
  mergedId: string;
  moved: { documents: string[]; dataSourceRecords: string[]; identifiers: string[] };
}

async function merge(): Promise<MergeView> {
  const res = await h.gql<{
    mergeRegistrants: { status: string; merges: (MergeView & { revertedAt: string })[] };
  }>(
    `mutation ($s: ID!, $r: ID!) { mergeRegistrants(input: { setId: $s, survivorId: $r }) {
       status merges { id mergedId revertedAt moved { documents dataSourceRecords identifiers } } } }`,
    { s: setId, r: survivor },
    registrar,
  );
  expect(res.errors).toBeUndefined();
  expect(res.data!.mergeRegistrants.status).toBe("MERGED");
  const current = res.data!.mergeRegistrants.merges.filter((m) => !m.revertedAt);
  expect(current).toHaveLength(1);
  return current[0]!;
}

async function revert(mergeId: string): Promise<string[]> {
  const res = await h.gql<{ revertMerge: { notRestored: string[] } }>(
    "mutation ($m: ID!) { revertMerge(input: { mergeId: $m }) { notRestored } }",
    { m: mergeId },
    registrar,
  );
  expect(res.errors).toBeUndefined();
  return [...res.data!.revertMerge.notRestored].sort();
}

beforeAll(async () => {
  h = await startHarness();
  db = createDb(h.database.appUrl, { max: 2 });
  registrar = await h.userToken("registrar");
  [{ id: tenantId }] = (await h.sql<{ id: string }>("SELECT id FROM department WHERE code = 'demo'")) as [
    { id: string },
  ];
  [{ id: nationalId }] = (await h.sql<{ id: string }>(
    "SELECT id FROM id_type WHERE tenant_id = $1 AND code = 'NATIONAL_ID'",
    [tenantId],
  )) as [{ id: string }];
  dataSourceId = randomUUID();
  await h.sql(
    `INSERT INTO data_source (id, tenant_id, name, base_url, token_url, client_id, search_criteria, updated_at)
     VALUES ($1, $2, $3, 'https://registry.example.org', 'https://id.example.org/token', 'pbms', '{}', now())`,
    [dataSourceId, tenantId, SOURCE],
  );

  const created = await h.gql<{ createRegistrant: { id: string } }>(
    `mutation { createRegistrant(kind: INDIVIDUAL, givenName: "Amina", familyName: "Wanjiru",
       birthDate: "1964-04-14", sex: FEMALE) { id } }`,
    {},
    registrar,
  );
  expect(created.errors).toBeUndefined();
  survivor = created.data!.createRegistrant.id;

  // The same person pulled from the remote registry, and someone else.
  const first = await syncPage([
    { ...duplicateRecord, identifiers: [{ idTypeId: nationalId, value: nid }] },
    otherRecord,
  ]);
  expect(first).toMatchObject({ created: 2, updated: 0, identifiersAdded: 1, identifierConflicts: 0 });
  const pulled = await h.sql<{ id: string; external_id: string }>(
    "SELECT id, external_id FROM registrant WHERE external_id LIKE $1",
    [`${SOURCE}:%`],
  );
  duplicate = pulled.find((p) => p.external_id === `${SOURCE}:rec-1`)!.id;
  other = pulled.find((p) => p.external_id === `${SOURCE}:rec-2`)!.id;
  expect(await links()).toEqual({ "rec-1": duplicate, "rec-2": other });
  for (const r of await h.sql<{ id: string; external_id: string }>(
    "SELECT id, external_id FROM data_source_record WHERE data_source_id = $1",
    [dataSourceId],
  ))
    cacheIds[r.external_id] = r.id;

  docs.duplicate = [await attach(duplicate), await attach(duplicate)].sort();
  docs.survivor = [await attach(survivor)];

  const run = await h.gql<{ runDeduplication: { id: string } }>(
    "mutation { runDeduplication { id } }",
    {},
    registrar,
  );
  expect(run.errors).toBeUndefined();
  await h.worker.drain();
  const sets = await h.gql<{ duplicateSets: { id: string; registrantIds: string[] }[] }>(
    "query ($r: ID!) { duplicateSets(filter: { registrantId: $r, status: OPEN }) { id registrantIds } }",
    { r: survivor },
    registrar,
  );
  expect(sets.errors).toBeUndefined();
  const set = sets.data!.duplicateSets.find(
    (s) => [...s.registrantIds].sort().join() === [survivor, duplicate].sort().join(),
  );
  expect(set).toBeDefined();
  setId = set!.id;
});

afterAll(async () => {
  await db?.$disconnect();
  await h?.close();
});

describe("merge references", () => {
  let mergeId: string;

  it("moves the duplicate's documents and data source links to the survivor, recorded and audited", async () => {
    const merged = await merge();
    mergeId = merged.id;
    expect(merged.mergedId).toBe(duplicate);
    expect([...merged.moved.documents].sort()).toEqual(docs.duplicate);
    expect(merged.moved.dataSourceRecords).toEqual([cacheIds["rec-1"]]);
    expect(merged.moved.identifiers).toHaveLength(1);

    expect(await documentsOf(survivor)).toEqual([...docs.duplicate, ...docs.survivor].sort());
    expect(await documentsOf(duplicate)).toEqual([]);
    expect(await links()).toEqual({ "rec-1": survivor, "rec-2": other });
    const linked = await h.gql<{ dataSourceRecords: { id: string }[] }>(
      "query ($r: ID!) { dataSourceRecords(filter: { registrantId: $r }) { id } }",
      { r: survivor },
      registrar,
    );
    expect(linked.data!.dataSourceRecords.map((r) => r.id)).toEqual([cacheIds["rec-1"]]);

    const [event] = await h.sql<{ after: { moved: { documents: string[]; dataSourceRecords: string[] } } }>(
      "SELECT after FROM audit_event WHERE action = 'registrant.merged' AND entity_id = $1",
      [duplicate],
    );
    expect([...event!.after.moved.documents].sort()).toEqual(docs.duplicate);
    expect(event!.after.moved.dataSourceRecords).toEqual([cacheIds["rec-1"]]);
  });

  it("makes the next sync of the source update the survivor, not the merged duplicate", async () => {
    const before = await person(duplicate);
    const { version } = await person(survivor);
    const counts = await syncPage([
      { ...duplicateRecord, additionalName: "Njeri", identifiers: [{ idTypeId: nationalId, value: nid }] },
      otherRecord,
    ]);
    // The identifier moved to the survivor with the merge: it is the survivor's, not a conflict.
    expect(counts).toEqual({
      created: 0,
      updated: 1,
      groupsCreated: 0,
      groupsUpdated: 0,
      notMapped: 0,
      identifiersAdded: 0,
      identifierConflicts: 0,
    });
    expect(await person(survivor)).toMatchObject({ name: "Amina Njeri Wanjru", version: version + 1 });
    expect(await person(duplicate)).toEqual(before);
    expect(await links()).toEqual({ "rec-1": survivor, "rec-2": other });
  });

  it("moves exactly the recorded documents and links back on revert", async () => {
    expect(await revert(mergeId)).toEqual([]);
    expect(await documentsOf(duplicate)).toEqual(docs.duplicate);
    expect(await documentsOf(survivor)).toEqual(docs.survivor);
    expect(await links()).toEqual({ "rec-1": duplicate, "rec-2": other });

    // The source's next change goes to the restored registrant again.
    const counts = await syncPage([{ ...duplicateRecord, additionalName: "Wambui" }]);
    expect(counts).toMatchObject({ created: 0, updated: 1 });
    expect(await person(duplicate)).toMatchObject({ name: "Amina Wambui Wanjru", status: "ACTIVE" });
    expect((await person(survivor)).name).toBe("Amina Njeri Wanjru");
  });

  it("lists documents and links no longer on the survivor as not restored, moving back the rest", async () => {
    const merged = await merge();
    expect([...merged.moved.documents].sort()).toEqual(docs.duplicate);
    expect(merged.moved.dataSourceRecords).toEqual([cacheIds["rec-1"]]);
    const [removed, kept] = docs.duplicate as [string, string];
    const deleted = await h.gql(
      "mutation ($id: ID!) { deleteDocument(id: $id) { id } }",
      { id: removed },
      registrar,
    );
    expect(deleted.errors).toBeUndefined();
    // The cache row was re-pointed elsewhere meanwhile.
    await h.sql("UPDATE data_source_record SET registrant_id = $1 WHERE id = $2", [other, cacheIds["rec-1"]]);

    expect(await revert(merged.id)).toEqual([removed, cacheIds["rec-1"]!].sort());
    expect(await documentsOf(duplicate)).toEqual([kept]);
    expect(await documentsOf(survivor)).toEqual(docs.survivor);
    expect(await links()).toEqual({ "rec-1": other, "rec-2": other });
  });

  it("follows a link to a merged registrant to the survivor when the link did not move", async () => {
    // Links as a merge recorded before links moved left them: on the merged registrant.
    const merged = await merge();
    await h.sql("UPDATE data_source_record SET registrant_id = $1 WHERE id = $2", [
      duplicate,
      cacheIds["rec-1"],
    ]);
    const before = await person(duplicate);
    const counts = await syncPage([{ ...duplicateRecord, additionalName: "Akinyi" }]);
    expect(counts).toMatchObject({ created: 0, updated: 1 });
    expect((await person(survivor)).name).toBe("Amina Akinyi Wanjru");
    expect(await person(duplicate)).toEqual(before);
    expect((await links())["rec-1"]).toBe(duplicate);
    expect(await revert(merged.id)).toEqual([]);
  });
});
