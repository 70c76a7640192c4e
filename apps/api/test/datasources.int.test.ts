// Data sources against a real remote registry: a SECOND instance of PBMS
// (its own API, database and identity provider) serves
// /registry/sync/search; the first instance pulls from it. Between the two
// sits a recording proxy that checks every search request and response
// against the G2P Connect specification independently of the job's own checks,
// and passes the registry's signed responses on byte for byte (or, when a test
// asks, changes or unsigns them on the way).
import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@pbms/db";
import { validateRegistrySearchRequest, validateRegistrySearchResponse } from "@pbms/g2p-connect";
import { createLogger } from "../src/logger.ts";
import { dueDataSources, queueDueSyncs, SCHEDULER_ACTOR } from "../src/modules/datasources/scheduler.ts";
import { withLuhnDigit } from "@pbms/db/testing";
import { startHarness, type Harness } from "./harness.ts";

const SECRET = "demo-integrator-secret";
const SOURCE = "remote-demo";

let local: Harness;
let remote: Harness;
let localDb: Db;
let admin: string;
let registrar: string;
let auditor: string;
let otherAdmin: string;
let sourceId: string;
const people: Record<string, string> = {};
const nid: Record<string, string> = {};
/** Every GraphQL response body of this file, to look for the secret in. */
const seen: unknown[] = [];

// ---------------------------------------------------------------------------
// The recording, checking proxy in front of the remote registry
// ---------------------------------------------------------------------------

interface Exchange {
  requestErrors: unknown[];
  responseErrors: unknown[];
  status: number;
  request: {
    message: {
      search_request: { search_criteria: { pagination: { page_number: number; page_size: number } } }[];
    };
  };
}
const exchanges: Exchange[] = [];
let corrupt = false;
/** Changes the response to one page on its way (after the registry signed it). */
let tamper: ((answer: Record<string, unknown>, page: number) => void) | undefined;
/** Drops the registry's Signature header. */
let unsigned = false;
let proxy: Server;
let proxyUrl: string;

async function startProxy() {
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const body = JSON.parse(text) as Exchange["request"];
        const checked = validateRegistrySearchRequest(body);
        const upstream = await fetch(`${remote.url}${req.url}`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: req.headers.authorization ?? "" },
          body: text,
        });
        const raw = await upstream.text();
        const answer = JSON.parse(raw) as Record<string, unknown>;
        const response = validateRegistrySearchResponse(answer, checked.dialect);
        exchanges.push({
          requestErrors: checked.errors,
          responseErrors: response.errors,
          status: upstream.status,
          request: body,
        });
        let out = raw;
        if (corrupt) {
          delete answer.header;
          out = JSON.stringify(answer);
        }
        if (tamper) {
          tamper(answer, body.message.search_request[0]!.search_criteria.pagination.page_number);
          if (JSON.stringify(answer) !== JSON.stringify(JSON.parse(raw))) out = JSON.stringify(answer);
        }
        const headers: Record<string, string> = { "content-type": "application/json" };
        for (const name of ["signature", "digest"]) {
          const value = upstream.headers.get(name);
          if (value && !unsigned) headers[name] = value;
        }
        res.writeHead(upstream.status, headers);
        res.end(out);
      })().catch((err: unknown) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ errors: [{ code: "err.service.unavailable", message: String(err) }] }));
      });
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

// ---------------------------------------------------------------------------
// Arranging the remote registry (as the table owner)
// ---------------------------------------------------------------------------

async function demoId(h: Harness) {
  const [row] = await h.sql<{ id: string }>("SELECT id FROM department WHERE code = 'demo'");
  return row!.id;
}

async function idType(h: Harness, tenant: string, code: string) {
  await h.sql(
    `INSERT INTO id_type (id, tenant_id, code, name) VALUES ($1, $2, $3, $3) ON CONFLICT (tenant_id, code) DO NOTHING`,
    [randomUUID(), tenant, code],
  );
  const [row] = await h.sql<{ id: string }>("SELECT id FROM id_type WHERE tenant_id = $1 AND code = $2", [
    tenant,
    code,
  ]);
  return row!.id;
}

async function zone(h: Harness, tenant: string, code: string) {
  const id = randomUUID();
  await h.sql(`INSERT INTO geo_zone (id, tenant_id, code, name, level) VALUES ($1, $2, $3, $3, 'LARGE')`, [
    id,
    tenant,
    code,
  ]);
  return id;
}

async function person(
  tenant: string,
  p: {
    given: string;
    family: string;
    sex: "FEMALE" | "MALE";
    birth: string;
    zone: string;
    ids?: [string, string][];
  },
) {
  const id = randomUUID();
  await remote.sql(
    `INSERT INTO registrant (id, tenant_id, kind, name, given_name, family_name, sex, birth_date, gaz_large_id)
     VALUES ($1, $2, 'INDIVIDUAL', $3, $4, $5, $6::"Sex", $7::date, $8)`,
    [id, tenant, `${p.given} ${p.family}`, p.given, p.family, p.sex, p.birth, p.zone],
  );
  for (const [type, value] of p.ids ?? [])
    await remote.sql(
      `INSERT INTO registrant_identifier (id, tenant_id, registrant_id, id_type_id, value) VALUES ($1, $2, $3, $4, $5)`,
      [randomUUID(), tenant, id, type, value],
    );
  return id;
}

// ---------------------------------------------------------------------------
// GraphQL helpers
// ---------------------------------------------------------------------------

async function gql<T>(query: string, variables: Record<string, unknown>, token: string) {
  const res = await local.gql<T>(query, variables, token);
  seen.push(res);
  return res;
}

const FIELDS = `id name baseUrl tokenUrl clientId hasClientSecret searchCriteria fieldMapping pageSize scheduleMinutes
  enabled signatureJwksUrl signatureKeys verifiesSignatures lastSyncAt lastSyncStatus lastSyncJobId nextSyncAt createdAt updatedAt`;

const CREATE = `mutation ($name: String, $baseUrl: String, $tokenUrl: String, $clientId: String, $clientSecret: String,
  $searchCriteria: JSON, $fieldMapping: JSON, $pageSize: Int, $scheduleMinutes: Int) {
  createDataSource(name: $name, baseUrl: $baseUrl, tokenUrl: $tokenUrl, clientId: $clientId, clientSecret: $clientSecret,
    searchCriteria: $searchCriteria, fieldMapping: $fieldMapping, pageSize: $pageSize, scheduleMinutes: $scheduleMinutes) { ${FIELDS} }
}`;

const UPDATE = `mutation ($id: ID!, $clientSecret: String, $scheduleMinutes: Int, $enabled: Boolean, $name: String,
  $signatureJwksUrl: String, $signatureKeys: JSON) {
  updateDataSource(id: $id, clientSecret: $clientSecret, scheduleMinutes: $scheduleMinutes, enabled: $enabled, name: $name,
    signatureJwksUrl: $signatureJwksUrl, signatureKeys: $signatureKeys) { ${FIELDS} }
}`;

const SYNC = "mutation ($id: ID!) { syncDataSource(input: { id: $id }) { id type state params } }";

const RECORDS = `query ($filter: DataSourceRecordFilter) {
  dataSourceRecords(filter: $filter, perPage: 100, sortField: "externalId", sortOrder: "ASC") {
    id dataSourceId externalId raw hash previousRaw previousHash status fetchedAt registrantId
  }
  _dataSourceRecordsMeta(filter: $filter) { count }
}`;

interface Rec {
  id: string;
  externalId: string;
  raw: Record<string, unknown>;
  previousRaw: Record<string, unknown> | null;
  status: string;
  registrantId: string | null;
}

async function records(filter: Record<string, unknown>, token = registrar) {
  const res = await gql<{ dataSourceRecords: Rec[]; _dataSourceRecordsMeta: { count: number } }>(
    RECORDS,
    { filter: { dataSourceId: sourceId, ...filter } },
    token,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.dataSourceRecords;
}

interface JobView {
  id: string;
  state: string;
  error: string | null;
  result: Record<string, unknown> | null;
  createdById: string;
}

async function job(id: string) {
  const res = await gql<{ job: JobView }>(
    "query ($id: ID!) { job(id: $id) { id state error result createdById } }",
    { id },
    admin,
  );
  return res.data!.job;
}

/** Starts a sync, runs the worker, returns the finished job. */
async function sync(token = admin) {
  const res = await gql<{ syncDataSource: { id: string; state: string } }>(SYNC, { id: sourceId }, token);
  expect(res.errors).toBeUndefined();
  await local.worker.drain();
  return job(res.data!.syncDataSource.id);
}

async function localPeople() {
  return local.sql<{
    id: string;
    external_id: string;
    given_name: string;
    family_name: string;
    birth_date: string;
    sex: string;
    version: number;
    ids: string[] | null;
  }>(
    `SELECT r.id, r.external_id, r.given_name, r.family_name, to_char(r.birth_date, 'YYYY-MM-DD') AS birth_date, r.sex::text AS sex, r.version,
            (SELECT array_agg(t.code || '=' || i.value ORDER BY t.code, i.value) FROM registrant_identifier i JOIN id_type t ON t.id = i.id_type_id
              WHERE i.registrant_id = r.id) AS ids
       FROM registrant r WHERE r.external_id LIKE $1 ORDER BY r.given_name`,
    [`${SOURCE}:%`],
  );
}

const criteria = {
  reg_type: "ns:pbms:RegistryType:Social",
  query_type: "predicate",
  query: [
    { seq_num: 1, expression1: { attribute_name: "zone_code", operator: "eq", attribute_value: "DS-ZONE" } },
  ],
  sort: [{ attribute_name: "given_name", sort_order: "asc" }],
};

// ---------------------------------------------------------------------------

beforeAll(async () => {
  [local, remote] = await Promise.all([startHarness(), startHarness()]);
  await startProxy();
  localDb = createDb(local.database.appUrl, { max: 2 });
  [admin, registrar, auditor, otherAdmin] = await Promise.all([
    local.userToken("admin"),
    local.userToken("registrar"),
    local.userToken("auditor"),
    local.userToken("other-admin"),
  ]);

  const tenant = await demoId(remote);
  const dsZone = await zone(remote, tenant, "DS-ZONE");
  await zone(remote, tenant, "DS-ELSEWHERE");
  // The remote names its national id type NID; ours is NATIONAL_ID (mapped through the spec's UIN aliases).
  const remoteNid = await idType(remote, tenant, "NID");
  const remotePassport = await idType(remote, tenant, "PASSPORT");
  const voterCard = await idType(remote, tenant, "VOTER_CARD");
  nid.amina = withLuhnDigit("710000001");
  nid.fatou = withLuhnDigit("710000002");
  nid.john = withLuhnDigit("710000003");
  people.amina = await person(tenant, {
    given: "Amina",
    family: "Diallo",
    sex: "FEMALE",
    birth: "1950-03-12",
    zone: dsZone,
    ids: [[remoteNid, nid.amina]],
  });
  people.fatou = await person(tenant, {
    given: "Fatou",
    family: "Sow",
    sex: "FEMALE",
    birth: "1985-07-01",
    zone: dsZone,
    ids: [
      [remoteNid, nid.fatou],
      [voterCard, "VC-778899"],
    ],
  });
  people.grace = await person(tenant, {
    given: "Grace",
    family: "Njeri",
    sex: "FEMALE",
    birth: "1958-11-30",
    zone: dsZone,
  });
  people.john = await person(tenant, {
    given: "John",
    family: "Otieno",
    sex: "MALE",
    birth: "1955-01-05",
    zone: dsZone,
    ids: [
      [remoteNid, nid.john],
      [remotePassport, "AB123456"],
    ],
  });
  people.kamau = await person(tenant, {
    given: "Kamau",
    family: "Otieno",
    sex: "MALE",
    birth: "2020-02-02",
    zone: dsZone,
  });
});

afterAll(async () => {
  await localDb?.$disconnect();
  await new Promise((resolve) => proxy?.close(resolve));
  await Promise.all([local?.close(), remote?.close()]);
});

describe("data sources", () => {
  it("lets only admins configure a data source", async () => {
    const res = await gql(
      CREATE,
      {
        name: "nope",
        baseUrl: proxyUrl,
        tokenUrl: remote.idp.tokenEndpoint,
        clientId: "x",
        clientSecret: "y",
        searchCriteria: criteria,
      },
      registrar,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await local.sql("SELECT 1 FROM data_source")).toHaveLength(0);
  });

  it("refuses search criteria that are not a valid G2P Connect search", async () => {
    const res = await gql(
      CREATE,
      {
        name: "bad",
        baseUrl: proxyUrl,
        tokenUrl: remote.idp.tokenEndpoint,
        clientId: "demo-integrator",
        clientSecret: SECRET,
        searchCriteria: { query_type: "idtype", query: { type: "UIN" } },
      },
      admin,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "searchCriteria" });
    expect(res.errors?.[0]?.message).toMatch(/not a valid G2P Connect search/);
  });

  it("creates a data source and stores its secret encrypted, never returning it", async () => {
    const res = await gql<{ createDataSource: Record<string, unknown> & { id: string } }>(
      CREATE,
      {
        name: SOURCE,
        baseUrl: `${proxyUrl}/`,
        tokenUrl: remote.idp.tokenEndpoint,
        clientId: "demo-integrator",
        clientSecret: SECRET,
        searchCriteria: criteria,
        pageSize: 2,
      },
      admin,
    );
    expect(res.errors).toBeUndefined();
    const created = res.data!.createDataSource;
    sourceId = created.id;
    expect(created).toMatchObject({
      name: SOURCE,
      baseUrl: proxyUrl,
      clientId: "demo-integrator",
      hasClientSecret: true,
      pageSize: 2,
      scheduleMinutes: null,
      enabled: true,
      lastSyncAt: null,
      lastSyncStatus: null,
      fieldMapping: {},
      signatureJwksUrl: null,
      signatureKeys: null,
      verifiesSignatures: false,
    });
    const [row] = await local.sql<{ client_secret_enc: string }>(
      "SELECT client_secret_enc FROM data_source WHERE id = $1",
      [sourceId],
    );
    expect(row!.client_secret_enc).toMatch(/^v1\./);
    expect(row!.client_secret_enc).not.toContain(SECRET);
    const again = await gql(
      CREATE,
      {
        name: SOURCE,
        baseUrl: proxyUrl,
        tokenUrl: proxyUrl,
        clientId: "a",
        clientSecret: "b",
        searchCriteria: criteria,
      },
      admin,
    );
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "name" });
  });

  it("pulls every page, caches the records as NEW and creates the persons with their identifiers", async () => {
    const start = await gql<{ syncDataSource: { id: string; state: string } }>(
      SYNC,
      { id: sourceId },
      registrar,
    );
    expect(start.errors).toBeUndefined();
    expect(start.data!.syncDataSource).toMatchObject({ state: "QUEUED", type: "DATA_SOURCE_SYNC" });
    const second = await gql(SYNC, { id: sourceId }, admin);
    expect(second.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    await local.worker.drain();
    const done = await job(start.data!.syncDataSource.id);
    expect(done.error).toBeNull();
    expect(done.state).toBe("SUCCEEDED");
    expect(done.result).toMatchObject({
      signaturesVerified: false,
      pages: 3,
      received: 5,
      new: 5,
      changed: 0,
      unchanged: 0,
      removed: 0,
      registrants: { created: 5, updated: 0, notMapped: 0 },
      identifiers: { added: 4, conflicts: 0, skipped: 1 },
    });

    // Every message exchanged was valid G2P Connect, page after page.
    expect(exchanges).toHaveLength(3);
    for (const e of exchanges) {
      expect(e.requestErrors).toEqual([]);
      expect(e.responseErrors).toEqual([]);
      expect(e.status).toBe(200);
    }
    expect(exchanges.map((e) => e.request.message.search_request[0]!.search_criteria.pagination)).toEqual([
      { page_size: 2, page_number: 1 },
      { page_size: 2, page_number: 2 },
      { page_size: 2, page_number: 3 },
    ]);

    const cached = await records({});
    expect(cached).toHaveLength(5);
    expect(cached.every((r) => r.status === "NEW" && r.registrantId && r.previousRaw === null)).toBe(true);
    expect(cached.map((r) => r.externalId).sort()).toEqual(
      Object.values(people)
        .map((id) => `urn:uuid:${id}`)
        .sort(),
    );
    expect((await records({ status: "NEW" })).length).toBe(5);

    expect(await localPeople()).toEqual([
      expect.objectContaining({
        external_id: `${SOURCE}:urn:uuid:${people.amina}`,
        given_name: "Amina",
        family_name: "Diallo",
        birth_date: "1950-03-12",
        sex: "FEMALE",
        ids: [`NATIONAL_ID=${nid.amina}`],
      }),
      expect.objectContaining({ given_name: "Fatou", sex: "FEMALE", ids: [`NATIONAL_ID=${nid.fatou}`] }),
      expect.objectContaining({ given_name: "Grace", birth_date: "1958-11-30", ids: null }),
      expect.objectContaining({
        given_name: "John",
        sex: "MALE",
        ids: [`NATIONAL_ID=${nid.john}`, "PASSPORT=AB123456"],
      }),
      expect.objectContaining({ given_name: "Kamau", birth_date: "2020-02-02", ids: null }),
    ]);
    const mapped = await localPeople();
    const byExternal = new Map(mapped.map((p) => [p.external_id.slice(SOURCE.length + 1), p.id]));
    for (const r of cached) expect(r.registrantId).toBe(byExternal.get(r.externalId));

    const view = await gql<{ dataSource: Record<string, unknown> }>(
      `query ($id: ID!) { dataSource(id: $id) { ${FIELDS} } }`,
      { id: sourceId },
      auditor,
    );
    expect(view.data!.dataSource).toMatchObject({
      lastSyncStatus: "SUCCEEDED",
      lastSyncJobId: done.id,
      lastSyncAt: expect.any(String),
    });

    const audit = await local.sql<{ after: Record<string, unknown>; actor_id: string }>(
      "SELECT after, actor_id FROM audit_event WHERE action = 'data_source.synced' AND entity_id = $1",
      [sourceId],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toMatchObject({ new: 5, changed: 0, unchanged: 0, removed: 0, jobId: done.id });
    // Each person created has it on their own audit trail, with the record it came from.
    const created = await local.sql<{
      entity_id: string;
      actor_id: string;
      after: { sync: Record<string, string> };
    }>(
      "SELECT entity_id, actor_id, after FROM audit_event WHERE action = 'registrant.created' AND after->'sync'->>'jobId' = $1",
      [done.id],
    );
    expect(created.map((e) => e.entity_id).sort()).toEqual(mapped.map((p) => p.id).sort());
    for (const e of created) {
      expect(e.actor_id).toBe(audit[0]!.actor_id);
      expect(e.after.sync).toMatchObject({
        dataSourceId: sourceId,
        recordId: cached.find((r) => r.registrantId === e.entity_id)!.externalId,
      });
    }
    const identifiers = await local.sql<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_event WHERE after ? 'identifierAdded' AND after->'sync'->>'jobId' = $1",
      [done.id],
    );
    expect(identifiers[0]!.n).toBe(4);
  });

  it("finds exactly one CHANGED record after a change in the remote registry and updates its registrant", async () => {
    await remote.sql(
      "UPDATE registrant SET given_name = 'Aminata', name = 'Aminata Diallo', updated_at = now() + interval '1 second' WHERE id = $1",
      [people.amina],
    );
    const done = await sync();
    expect(done.state).toBe("SUCCEEDED");
    expect(done.result).toMatchObject({
      new: 0,
      changed: 1,
      unchanged: 4,
      removed: 0,
      registrants: { created: 0, updated: 1 },
    });
    const changed = await records({ status: "CHANGED" });
    expect(changed).toHaveLength(1);
    expect(changed[0]!.externalId).toBe(`urn:uuid:${people.amina}`);
    expect(changed[0]!.raw).toMatchObject({ name: { given_name: "Aminata" } });
    expect(changed[0]!.previousRaw).toMatchObject({ name: { given_name: "Amina" } });
    expect(await records({ status: "UNCHANGED" })).toHaveLength(4);
    const amina = (await localPeople()).find((p) => p.external_id.endsWith(people.amina!))!;
    expect(amina).toMatchObject({
      given_name: "Aminata",
      family_name: "Diallo",
      version: 2,
      ids: [`NATIONAL_ID=${nid.amina}`],
    });
    const [name] = await local.sql<{ name: string }>("SELECT name FROM registrant WHERE id = $1", [amina.id]);
    expect(name!.name).toBe("Aminata Diallo");
    // The change is on Amina's audit trail, with what it was and what it became.
    const events = await local.sql<{ before: unknown; after: Record<string, unknown> }>(
      "SELECT before, after FROM audit_event WHERE action = 'registrant.updated' AND entity_id = $1 AND after->'sync'->>'jobId' = $2",
      [amina.id, done.id],
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.before).toEqual({ name: "Amina Diallo", givenName: "Amina" });
    expect(events[0]!.after).toMatchObject({
      name: "Aminata Diallo",
      givenName: "Aminata",
      sync: { dataSourceId: sourceId, recordId: `urn:uuid:${people.amina}` },
    });
  });

  it("marks REMOVED a record the registry no longer returns, keeping its registrant", async () => {
    await remote.sql(
      "UPDATE registrant SET gaz_large_id = (SELECT id FROM geo_zone WHERE code = 'DS-ELSEWHERE'), updated_at = now() WHERE id = $1",
      [people.grace],
    );
    const done = await sync();
    expect(done.result).toMatchObject({ received: 4, new: 0, changed: 0, unchanged: 4, removed: 1 });
    const removed = await records({ status: "REMOVED" });
    expect(removed.map((r) => r.externalId)).toEqual([`urn:uuid:${people.grace}`]);
    expect(await records({ status: "CHANGED" })).toHaveLength(0);
    expect((await localPeople()).map((p) => p.given_name)).toContain("Grace");
  });

  it("fails the sync with a clear error when the registry's response is not valid G2P Connect", async () => {
    corrupt = true;
    try {
      const done = await sync();
      expect(done.state).toBe("FAILED");
      expect(done.error).toMatch(/response is not valid G2P Connect .*header/);
    } finally {
      corrupt = false;
    }
    const [row] = await local.sql<{ last_sync_status: string }>(
      "SELECT last_sync_status FROM data_source WHERE id = $1",
      [sourceId],
    );
    expect(row!.last_sync_status).toBe("FAILED");
    // Nothing became REMOVED on a failed sync.
    expect(await records({ status: "REMOVED" })).toHaveLength(1);
  });

  it("fails the sync when the token endpoint refuses the client secret", async () => {
    const wrong = await gql(UPDATE, { id: sourceId, clientSecret: "not-the-secret" }, admin);
    expect(wrong.errors).toBeUndefined();
    const done = await sync();
    expect(done.state).toBe("FAILED");
    expect(done.error).toMatch(/token endpoint refused the client credentials \(HTTP 40\d/);
    const fixed = await gql(UPDATE, { id: sourceId, clientSecret: SECRET }, admin);
    expect(fixed.errors).toBeUndefined();
    expect((await sync()).state).toBe("SUCCEEDED");
  });

  // -------------------------------------------------------------------------
  // Response signatures
  // -------------------------------------------------------------------------

  const remoteJwks = () => `${remote.url}/registry/.well-known/jwks.json`;

  /** Remote record ids written (cached) by one job. */
  async function writtenBy(jobId: string) {
    const rows = await local.sql<{ external_id: string }>(
      "SELECT external_id FROM data_source_record WHERE data_source_id = $1 AND seen_job_id = $2 ORDER BY external_id",
      [sourceId, jobId],
    );
    return rows.map((r) => r.external_id);
  }

  async function setSignature(vars: { signatureJwksUrl?: string | null; signatureKeys?: unknown }) {
    const res = await gql<{ updateDataSource: Record<string, unknown> }>(
      UPDATE,
      { id: sourceId, ...vars },
      admin,
    );
    expect(res.errors).toBeUndefined();
    return res.data!.updateDataSource;
  }

  it("refuses private keys, keys that are not Ed25519, and both kinds of keys at once", async () => {
    const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    const priv = await exportJWK(privateKey);
    const refused = await gql(UPDATE, { id: sourceId, signatureKeys: { keys: [priv] } }, admin);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "signatureKeys" });
    expect(refused.errors?.[0]?.message).toMatch(/keys\[0\] is a private key/);
    const rsa = await gql(UPDATE, { id: sourceId, signatureKeys: { kty: "RSA", n: "x", e: "AQAB" } }, admin);
    expect(rsa.errors?.[0]?.message).toMatch(/not an Ed25519 key/);
    const both = await gql(
      UPDATE,
      {
        id: sourceId,
        signatureJwksUrl: remoteJwks(),
        signatureKeys: { kty: "OKP", crv: "Ed25519", x: priv.x },
      },
      admin,
    );
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "signatureKeys" });
    const [row] = await local.sql<{ signature_jwks_url: string | null; signature_keys: unknown }>(
      "SELECT signature_jwks_url, signature_keys FROM data_source WHERE id = $1",
      [sourceId],
    );
    expect(row).toEqual({ signature_jwks_url: null, signature_keys: null });
  });

  it("verifies every response page against the registry's published keys", async () => {
    const updated = await setSignature({ signatureJwksUrl: remoteJwks() });
    expect(updated).toMatchObject({
      signatureJwksUrl: remoteJwks(),
      signatureKeys: null,
      verifiesSignatures: true,
    });
    const from = exchanges.length;
    const done = await sync();
    expect(done.error).toBeNull();
    expect(done.state).toBe("SUCCEEDED");
    expect(done.result).toMatchObject({ signaturesVerified: true, pages: 2, received: 4, unchanged: 4 });
    expect(exchanges.length - from).toBe(2);
  });

  it("fails the sync and writes nothing of a page whose record was changed on the way", async () => {
    const john = `urn:uuid:${people.john}`;
    const before = (await localPeople()).find((p) => p.external_id === `${SOURCE}:${john}`)!;
    tamper = (answer, page) => {
      if (page !== 2) return;
      const item = (
        answer.message as { search_response: { data: { reg_records: Record<string, unknown>[] } }[] }
      ).search_response[0]!;
      const record = item.data.reg_records.find((r) => r["@id"] === john)!;
      (record.name as Record<string, unknown>).given_name = "Johnny";
    };
    let done: JobView;
    try {
      done = await sync();
    } finally {
      tamper = undefined;
    }
    expect(done.state).toBe("FAILED");
    expect(done.error).toMatch(/response to page 2 failed signature verification: signature does not verify/);
    // Page 1 was written by this job; nothing of page 2 was.
    expect(await writtenBy(done.id)).toEqual([`urn:uuid:${people.amina}`, `urn:uuid:${people.fatou}`].sort());
    const cached = await records({});
    expect(JSON.stringify(cached)).not.toContain("Johnny");
    const after = (await localPeople()).find((p) => p.external_id === `${SOURCE}:${john}`)!;
    expect(after).toEqual(before);
    expect(await local.sql("SELECT 1 FROM registrant WHERE given_name = 'Johnny'")).toHaveLength(0);
  });

  it("fails the sync when a response is not signed", async () => {
    unsigned = true;
    let done: JobView;
    try {
      done = await sync();
    } finally {
      unsigned = false;
    }
    expect(done.state).toBe("FAILED");
    expect(done.error).toMatch(/response to page 1 failed signature verification: .*no Signature header/);
    expect(await writtenBy(done.id)).toEqual([]);
  });

  it("fails the sync when the responses are signed with a key that is not allowed", async () => {
    // Another registry's keys (this instance's own): the registry's key id is unknown there.
    await setSignature({ signatureJwksUrl: `${local.url}/registry/.well-known/jwks.json` });
    const other = await sync();
    expect(other.state).toBe("FAILED");
    expect(other.error).toMatch(
      /response to page 1 failed signature verification: .*not among the allowed keys/,
    );
    expect(await writtenBy(other.id)).toEqual([]);

    // A pinned key with the registry's key id but not its key.
    const { keys } = (await (await fetch(remoteJwks())).json()) as { keys: { kid: string; x: string }[] };
    const { publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    const wrong = { ...(await exportJWK(publicKey)), kid: keys[0]!.kid };
    const pinned = await setSignature({ signatureJwksUrl: null, signatureKeys: { keys: [wrong] } });
    expect(pinned).toMatchObject({ signatureJwksUrl: null, verifiesSignatures: true });
    const done = await sync();
    expect(done.state).toBe("FAILED");
    expect(done.error).toMatch(/response to page 1 failed signature verification: signature does not verify/);
    expect(await writtenBy(done.id)).toEqual([]);
  });

  it("verifies with the registry's keys pinned", async () => {
    const jwks = (await (await fetch(remoteJwks())).json()) as { keys: Record<string, unknown>[] };
    const pinned = await setSignature({ signatureKeys: jwks });
    expect(pinned).toMatchObject({
      signatureJwksUrl: null,
      signatureKeys: { keys: [{ kty: "OKP", crv: "Ed25519", x: jwks.keys[0]!.x, kid: jwks.keys[0]!.kid }] },
      verifiesSignatures: true,
    });
    const done = await sync();
    expect(done.error).toBeNull();
    expect(done.result).toMatchObject({ signaturesVerified: true, pages: 2, unchanged: 4 });
    expect((await writtenBy(done.id)).length).toBe(4);
  });

  it("queues scheduled syncs when they are due", async () => {
    const scheduled = await gql<{ updateDataSource: { scheduleMinutes: number; nextSyncAt: string } }>(
      UPDATE,
      { id: sourceId, scheduleMinutes: 60 },
      admin,
    );
    expect(scheduled.errors).toBeUndefined();
    expect(scheduled.data!.updateDataSource.scheduleMinutes).toBe(60);
    const log = createLogger("silent");
    const now = new Date();
    expect(await dueDataSources(localDb, now)).toEqual([]);
    const later = new Date(now.getTime() + 61 * 60_000);
    expect((await dueDataSources(localDb, later)).map((d) => d.id)).toEqual([sourceId]);
    const queued = await queueDueSyncs(localDb, log, later);
    expect(queued).toHaveLength(1);
    expect(queued[0]!.createdById).toBe(SCHEDULER_ACTOR.subject);
    // Queued already: not due again, and a second scheduler queues nothing.
    expect(await dueDataSources(localDb, later)).toEqual([]);
    expect(await queueDueSyncs(localDb, log, later)).toHaveLength(0);
    await local.worker.drain();
    expect((await job(queued[0]!.id)).state).toBe("SUCCEEDED");
    // A disabled source is never due.
    await gql(UPDATE, { id: sourceId, enabled: false }, admin);
    expect(await dueDataSources(localDb, new Date(now.getTime() + 10 * 24 * 3600_000))).toEqual([]);
    const refused = await gql(SYNC, { id: sourceId }, admin);
    expect(refused.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    await gql(UPDATE, { id: sourceId, enabled: true, scheduleMinutes: null }, admin);
  });

  it("refuses renaming a source that has records", async () => {
    const res = await gql(UPDATE, { id: sourceId, name: "renamed" }, admin);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "name" });
  });

  it("shows another department none of the data sources or records", async () => {
    const list = await gql<{ dataSources: unknown[]; _dataSourcesMeta: { count: number } }>(
      "{ dataSources { id } _dataSourcesMeta { count } }",
      {},
      otherAdmin,
    );
    expect(list.data).toEqual({ dataSources: [], _dataSourcesMeta: { count: 0 } });
    expect(await records({}, otherAdmin)).toEqual([]);
    const one = await gql<{ dataSource: unknown }>(
      "query ($id: ID!) { dataSource(id: $id) { id } }",
      { id: sourceId },
      otherAdmin,
    );
    expect(one.data!.dataSource).toBeNull();
    expect((await gql(SYNC, { id: sourceId }, otherAdmin)).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(
      (await gql(UPDATE, { id: sourceId, enabled: false }, otherAdmin)).errors?.[0]?.extensions?.code,
    ).toBe("NOT_FOUND");
  });

  it("never returns the client secret through GraphQL", async () => {
    const type = await gql<{ __type: { fields: { name: string }[] } }>(
      '{ __type(name: "DataSource") { fields { name } } }',
      {},
      admin,
    );
    expect(type.data!.__type.fields.map((f) => f.name).filter((n) => /secret/i.test(n))).toEqual([
      "hasClientSecret",
    ]);
    await gql(`{ dataSources { ${FIELDS} } }`, {}, admin);
    await gql(
      `{ auditEvents(perPage: 200, filter: { entityType: "DataSource" }) { action before after }
         jobs(perPage: 100) { params result error } }`,
      {},
      admin,
    );
    const text = JSON.stringify(seen);
    expect(text).toContain("hasClientSecret");
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("not-the-secret");
    expect(text).not.toMatch(/"v1\.[\w-]+\./);
    const audit = await local.sql("SELECT before, after FROM audit_event WHERE entity_type = 'DataSource'");
    expect(JSON.stringify(audit)).not.toContain(SECRET);
  });

  it("deletes a data source with its cache, keeping the registrants", async () => {
    const res = await gql(
      `mutation ($id: ID!) { deleteDataSource(id: $id) { id } }`,
      { id: sourceId },
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect(await local.sql("SELECT 1 FROM data_source_record")).toHaveLength(0);
    expect(await localPeople()).toHaveLength(5);
  });
});

describe("data sources: households", () => {
  const HOUSEHOLDS = "remote-households";
  let householdsId: string;
  const hh: Record<string, string> = {};
  const member: Record<string, string> = {};

  async function membershipKinds(h: Harness, tenant: string, codes: string[]) {
    for (const code of codes)
      await h.sql(
        `INSERT INTO membership_kind (id, tenant_id, code, name, unique_per_group) VALUES ($1, $2, $3, $3, $3 = 'HEAD')
         ON CONFLICT (tenant_id, code) DO NOTHING`,
        [randomUUID(), tenant, code],
      );
  }

  async function join(tenant: string, group: string, individual: string, kind: string) {
    await remote.sql(
      `INSERT INTO group_membership (id, tenant_id, group_id, individual_id, kind_id)
       SELECT $1, $2, $3, $4, id FROM membership_kind WHERE tenant_id = $2 AND code = $5`,
      [randomUUID(), tenant, group, individual, kind],
    );
  }

  async function syncHouseholds() {
    const res = await gql<{ syncDataSource: { id: string } }>(SYNC, { id: householdsId }, admin);
    expect(res.errors).toBeUndefined();
    await local.worker.drain();
    return job(res.data!.syncDataSource.id);
  }

  /** The local households of the source: name and current (or all) members as "given=KIND[ended]". */
  async function localHouseholds() {
    return local.sql<{ name: string; members: string[] | null }>(
      `SELECT g.name,
              (SELECT array_agg(i.given_name || '=' || k.code || CASE WHEN m.end_date IS NULL THEN '' ELSE '(ended)' END
                                ORDER BY i.given_name, m.end_date NULLS FIRST)
                 FROM group_membership m JOIN registrant i ON i.id = m.individual_id JOIN membership_kind k ON k.id = m.kind_id
                WHERE m.group_id = g.id) AS members
         FROM registrant g WHERE g.kind = 'GROUP' AND g.external_id LIKE $1 ORDER BY g.name`,
      [`${HOUSEHOLDS}:%`],
    );
  }

  beforeAll(async () => {
    const tenant = await demoId(remote);
    const houseZone = await zone(remote, tenant, "DS-HOUSE");
    // The remote calls a spouse WIFE: the sync maps it to our SPOUSE.
    await membershipKinds(remote, tenant, ["HEAD", "WIFE", "CHILD"]);
    await membershipKinds(local, await demoId(local), ["HEAD", "SPOUSE", "CHILD", "OTHER"]);
    for (const [key, name] of [
      ["bello", "Household Bello"],
      ["yusuf", "Household Yusuf"],
    ] as const) {
      hh[key] = randomUUID();
      await remote.sql(
        `INSERT INTO registrant (id, tenant_id, kind, name, gaz_large_id) VALUES ($1, $2, 'GROUP', $3, $4)`,
        [hh[key], tenant, name, houseZone],
      );
    }
    const someone = (given: string, sex: "FEMALE" | "MALE", birth: string) =>
      person(tenant, { given, family: "Bello", sex, birth, zone: houseZone });
    member.halima = await someone("Halima", "FEMALE", "1970-04-04");
    member.musa = await someone("Musa", "MALE", "1968-08-08");
    member.zara = await someone("Zara", "FEMALE", "2001-01-01");
    member.ibrahim = await someone("Ibrahim", "MALE", "1960-06-06");
    await join(tenant, hh.bello!, member.halima, "HEAD");
    await join(tenant, hh.bello!, member.musa, "WIFE");
    await join(tenant, hh.bello!, member.zara, "CHILD");
    await join(tenant, hh.yusuf!, member.ibrahim, "HEAD");

    const res = await gql<{ createDataSource: { id: string } }>(
      CREATE,
      {
        name: HOUSEHOLDS,
        baseUrl: proxyUrl,
        tokenUrl: remote.idp.tokenEndpoint,
        clientId: "demo-integrator",
        clientSecret: SECRET,
        searchCriteria: {
          reg_type: "ns:pbms:RegistryType:Group",
          query_type: "predicate",
          query: [
            {
              seq_num: 1,
              expression1: { attribute_name: "zone_code", operator: "eq", attribute_value: "DS-HOUSE" },
            },
          ],
          sort: [{ attribute_name: "name", sort_order: "asc" }],
        },
        pageSize: 1,
      },
      admin,
    );
    expect(res.errors).toBeUndefined();
    householdsId = res.data!.createDataSource.id;
  });

  it("creates each household as a group with its members and their kinds", async () => {
    const done = await syncHouseholds();
    expect(done.error).toBeNull();
    expect(done.result).toMatchObject({
      pages: 2,
      received: 2,
      records: 6,
      registrants: { created: 4, updated: 0, notMapped: 0 },
      groups: { created: 2, updated: 0 },
      memberships: { added: 4, ended: 0, skipped: 0, unresolved: 0, entriesWithoutId: 0 },
    });
    expect(await localHouseholds()).toEqual([
      { name: "Household Bello", members: ["Halima=HEAD", "Musa=SPOUSE", "Zara=CHILD"] },
      { name: "Household Yusuf", members: ["Ibrahim=HEAD"] },
    ]);
    const [zara] = await local.sql<{ id: string }>("SELECT id FROM registrant WHERE external_id = $1", [
      `${HOUSEHOLDS}:urn:uuid:${member.zara}`,
    ]);
    const trail = await local.sql<{ action: string; after: Record<string, unknown> }>(
      "SELECT action, after FROM audit_event WHERE entity_id = $1 ORDER BY occurred_at, action",
      [zara!.id],
    );
    expect(trail.map((e) => e.action)).toEqual(["registrant.created", "registrant.updated"]);
    expect(trail[1]!.after).toMatchObject({
      membershipAdded: { startDate: expect.any(String) },
      sync: { dataSourceId: householdsId, recordId: `urn:uuid:${member.zara}` },
    });
  });

  it("changes nothing when synced again", async () => {
    const before = await local.sql("SELECT id, end_date FROM group_membership ORDER BY id");
    const done = await syncHouseholds();
    expect(done.result).toMatchObject({
      unchanged: 6,
      registrants: { created: 0, updated: 0 },
      groups: { created: 0, updated: 0 },
      memberships: { added: 0, ended: 0, skipped: 0 },
    });
    expect(await local.sql("SELECT id, end_date FROM group_membership ORDER BY id")).toEqual(before);
  });

  it("ends the old membership of a member who moved household and adds the new one", async () => {
    const tenant = await demoId(remote);
    await remote.sql(
      "UPDATE group_membership SET end_date = current_date WHERE individual_id = $1 AND end_date IS NULL",
      [member.zara],
    );
    await join(tenant, hh.yusuf!, member.zara!, "CHILD");
    await remote.sql(
      "UPDATE registrant SET name = 'Household Yusuf-Bello', updated_at = now() WHERE id = $1",
      [hh.yusuf],
    );
    const done = await syncHouseholds();
    expect(done.result).toMatchObject({
      changed: 2,
      groups: { created: 0, updated: 1 },
      memberships: { added: 1, ended: 1, skipped: 0 },
    });
    expect(await localHouseholds()).toEqual([
      { name: "Household Bello", members: ["Halima=HEAD", "Musa=SPOUSE", "Zara=CHILD(ended)"] },
      { name: "Household Yusuf-Bello", members: ["Ibrahim=HEAD", "Zara=CHILD"] },
    ]);
  });

  it("skips a second head and counts it, without failing the sync", async () => {
    // The registry's answer is changed on its way: Halima is listed as head of Yusuf-Bello too.
    tamper = (answer) => {
      const records = (
        answer.message as { search_response: { data: { reg_records: Record<string, unknown>[] } }[] }
      ).search_response[0]!.data.reg_records;
      for (const record of records) {
        const list = record.member_list as Record<string, unknown>[] | undefined;
        if (list && String(record["@id"]) === `urn:uuid:${hh.yusuf}`) {
          const halima = structuredClone(list[0]!);
          (halima.demographic_info as Record<string, unknown>)["@id"] = `urn:uuid:${member.halima}`;
          halima.relationship_head = "head";
          list.push(halima);
        }
      }
    };
    try {
      const done = await syncHouseholds();
      expect(done.error).toBeNull();
      expect(done.result).toMatchObject({ memberships: { added: 0, ended: 0, skipped: 1 } });
    } finally {
      tamper = undefined;
    }
    expect((await localHouseholds())[1]).toEqual({
      name: "Household Yusuf-Bello",
      members: ["Ibrahim=HEAD", "Zara=CHILD"],
    });
  });
});
