// G2P Connect registry search against the real API, database and identity
// provider. Every request this file sends is checked against the spec's
// request schema (except the deliberately invalid ones, which are checked to
// be invalid), and every response against the response schemas.
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { base64url, compactVerify, createLocalJWKSet, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ackResponse,
  requestHeader,
  validateAck,
  validateHttpError,
  validateOnSearchCallback,
  validateRegistrySearchRequest,
  validateRegistrySearchResponse,
  type RegistrySearchResponseEnvelope,
  type SearchCriteria,
} from "@pbms/g2p-connect";
import { startHarness, type Harness } from "./harness.ts";

let h: Harness;
let demoToken: string;
let otherToken: string;
let jwks: JSONWebKeySet;
const ids: Record<string, string> = {};

// ---------------------------------------------------------------------------
// Arranging data (as the table owner; tenant_id set on every row)
// ---------------------------------------------------------------------------

async function department(code: string) {
  const [row] = await h.sql<{ id: string }>("SELECT id FROM department WHERE code = $1", [code]);
  return row!.id;
}

async function zone(tenant: string, code: string, name: string, level: "LARGE" | "SMALL", parent?: string) {
  const id = randomUUID();
  await h.sql(
    `INSERT INTO geo_zone (id, tenant_id, code, name, level, parent_id) VALUES ($1, $2, $3, $4, $5::"GeoZoneLevel", $6)`,
    [id, tenant, code, name, level, parent ?? null],
  );
  return id;
}

/** The department's identifier type `code` (the demo seed may have created it already). */
async function idType(tenant: string, code: string) {
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

interface PersonSpec {
  given: string;
  family: string;
  sex: "FEMALE" | "MALE";
  birth: string;
  large?: string;
  small?: string;
  nid?: [typeId: string, value: string];
  phone?: string;
  fa?: string;
  address?: string;
  mergedInto?: string;
}

async function registrant(
  tenant: string,
  kind: "INDIVIDUAL" | "GROUP",
  p: Partial<PersonSpec> & { name: string },
) {
  const id = randomUUID();
  await h.sql(
    `INSERT INTO registrant (id, tenant_id, kind, name, given_name, family_name, sex, birth_date,
       registration_date, gaz_large_id, gaz_small_id, address_text, merged_into_id)
     VALUES ($1, $2, $3::"RegistrantKind", $4, $5, $6, $7::"Sex", $8::date, '2021-03-04', $9, $10, $11, $12)`,
    [
      id,
      tenant,
      kind,
      p.name,
      p.given ?? null,
      p.family ?? null,
      p.sex ?? null,
      p.birth ?? null,
      p.large ?? null,
      p.small ?? null,
      p.address ?? null,
      p.mergedInto ?? null,
    ],
  );
  if (p.nid)
    await h.sql(
      `INSERT INTO registrant_identifier (id, tenant_id, registrant_id, id_type_id, value) VALUES ($1, $2, $3, $4, $5)`,
      [randomUUID(), tenant, id, p.nid[0], p.nid[1]],
    );
  if (p.phone)
    await h.sql(
      `INSERT INTO phone (id, tenant_id, registrant_id, e164, is_primary) VALUES ($1, $2, $3, $4, true)`,
      [randomUUID(), tenant, id, p.phone],
    );
  if (p.fa)
    await h.sql(
      `INSERT INTO financial_address (id, tenant_id, registrant_id, kind, fa, is_primary)
       VALUES ($1, $2, $3, 'MOBILE_WALLET', $4, true)`,
      [randomUUID(), tenant, id, p.fa],
    );
  return id;
}

const person = (tenant: string, p: PersonSpec) =>
  registrant(tenant, "INDIVIDUAL", { ...p, name: `${p.given} ${p.family}` });

async function member(tenant: string, group: string, individual: string, kind: string) {
  await h.sql(
    `INSERT INTO group_membership (id, tenant_id, group_id, individual_id, kind_id, start_date)
     VALUES ($1, $2, $3, $4, $5, '2021-03-04')`,
    [randomUUID(), tenant, group, individual, kind],
  );
}

async function membershipKind(tenant: string, code: string) {
  await h.sql(
    `INSERT INTO membership_kind (id, tenant_id, code, name) VALUES ($1, $2, $3, $3)
     ON CONFLICT (tenant_id, code) DO NOTHING`,
    [randomUUID(), tenant, code],
  );
  const [row] = await h.sql<{ id: string }>(
    "SELECT id FROM membership_kind WHERE tenant_id = $1 AND code = $2",
    [tenant, code],
  );
  return row!.id;
}

beforeAll(async () => {
  h = await startHarness();
  demoToken = await h.clientToken("demo-integrator", "demo-integrator-secret");
  otherToken = await h.clientToken("other-integrator", "other-integrator-secret");

  const demo = await department("demo");
  const other = await department("other");
  // Zones of their own: the demo seed has registrants too (elsewhere), with some of the same names.
  const r1 = await zone(demo, "G2P-R1", "Region One", "LARGE");
  const v1 = await zone(demo, "G2P-V1", "Village One", "SMALL", r1);
  const r2 = await zone(demo, "G2P-R2", "Region Two", "LARGE");
  const nid = await idType(demo, "NATIONAL_ID");
  ids.amina = await person(demo, {
    given: "Amina",
    family: "Diallo",
    sex: "FEMALE",
    birth: "1950-03-12",
    large: r1,
    small: v1,
    nid: [nid, "NID-1001"],
    phone: "+254700000001",
    fa: "mobile:+254700000001@mpesa",
    address: "12 Market Street",
  });
  ids.fatou = await person(demo, {
    given: "Fatou",
    family: "Sow",
    sex: "FEMALE",
    birth: "1985-07-01",
    large: r2,
    nid: [nid, "NID-1002"],
  });
  ids.grace = await person(demo, {
    given: "Grace",
    family: "Njeri",
    sex: "FEMALE",
    birth: "1958-11-30",
    large: r1,
    nid: [nid, "NID-1003"],
  });
  ids.john = await person(demo, {
    given: "John",
    family: "Otieno",
    sex: "MALE",
    birth: "1955-01-05",
    large: r1,
    nid: [nid, "NID-1004"],
  });
  ids.mary = await person(demo, {
    given: "Mary",
    family: "Wanjiru",
    sex: "FEMALE",
    birth: "1961-06-15",
    large: r2,
    nid: [nid, "NID-1005"],
  });
  ids.zainab = await person(demo, {
    given: "Zainab",
    family: "Ali",
    sex: "FEMALE",
    birth: "1952-09-09",
    large: r2,
    nid: [nid, "NID-1006"],
  });
  ids.percent = await person(demo, {
    given: "Per_cent%\\X",
    family: "Literal",
    sex: "MALE",
    birth: "1999-09-09",
    large: r2,
  });
  // A duplicate merged into Amina: never a search result.
  ids.merged = await person(demo, {
    given: "Amina",
    family: "Dialo",
    sex: "FEMALE",
    birth: "1951-01-01",
    large: r1,
    mergedInto: ids.amina,
  });
  const head = await membershipKind(demo, "HEAD");
  const spouse = await membershipKind(demo, "SPOUSE");
  ids.household = await registrant(demo, "GROUP", { name: "Diallo household", large: r1, small: v1 });
  await member(demo, ids.household, ids.amina, head);
  await member(demo, ids.household, ids.john, spouse);

  // Department "other" has a person with the same national id value as Amina.
  const otherNid = await idType(other, "NATIONAL_ID");
  ids.otherPerson = await person(other, {
    given: "Odile",
    family: "Martin",
    sex: "FEMALE",
    birth: "1950-05-05",
    nid: [otherNid, "NID-1001"],
  });

  const res = await fetch(`${h.url}/registry/.well-known/jwks.json`);
  expect(res.status).toBe(200);
  jwks = (await res.json()) as JSONWebKeySet;
});
afterAll(() => h?.close());

// ---------------------------------------------------------------------------
// Messages and calls
// ---------------------------------------------------------------------------

let sequence = 0;
const MY_ZONES = ["G2P-R1", "G2P-R2"];

function searchMessage(
  criteria: Partial<SearchCriteria> & Pick<SearchCriteria, "query_type" | "query">,
  options: { senderUri?: string } = {},
) {
  sequence++;
  return {
    header: requestHeader({
      action: "search",
      senderId: "spp.example.org",
      receiverId: "pbms",
      totalCount: 1,
      ...(options.senderUri ? { senderUri: options.senderUri } : {}),
    }),
    message: {
      transaction_id: `txn-${sequence}`,
      search_request: [
        {
          reference_id: `ref-${sequence}`,
          timestamp: new Date().toISOString(),
          search_criteria: { reg_type: "ns:pbms:RegistryType:Social", ...criteria },
        },
      ],
    },
  };
}

interface Reply<T> {
  status: number;
  body: T;
  raw: Buffer;
  headers: Headers;
}

async function post<T>(path: string, body: unknown, token?: string): Promise<Reply<T>> {
  const res = await fetch(`${h.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const raw = Buffer.from(await res.arrayBuffer());
  return { status: res.status, body: JSON.parse(raw.toString("utf8")) as T, raw, headers: res.headers };
}

/** POST /registry/sync/search; checks the request (valid unless `invalid`) and the response against the spec. */
async function syncSearch(
  body: unknown,
  token: string | null = demoToken,
  options: { invalid?: boolean } = {},
) {
  const request = validateRegistrySearchRequest(body);
  if (options.invalid) expect(request.valid).toBe(false);
  else expect(request.errors).toEqual([]);
  const reply = await post<RegistrySearchResponseEnvelope>("/registry/sync/search", body, token ?? undefined);
  if (reply.status === 200 || reply.status === 400) {
    for (const dialect of ["g2pconnect", "dci"] as const)
      expect(validateRegistrySearchResponse(reply.body, dialect).errors, dialect).toEqual([]);
  } else {
    expect(validateHttpError(reply.body).errors).toEqual([]);
  }
  await expectSigned(reply.raw, reply.headers.get("signature"));
  return reply;
}

const records = (reply: Reply<RegistrySearchResponseEnvelope>, item = 0) =>
  (reply.body.message?.search_response[item]?.data?.reg_records ?? []) as Record<string, unknown>[];
const givenNames = (reply: Reply<RegistrySearchResponseEnvelope>) =>
  records(reply).map((r) => (r.name as { given_name: string }).given_name);

/** Verifies a Signature header independently of the API's code: JWKS + jose only. */
async function verifySignature(raw: Buffer, header: string | null) {
  expect(header).toBeTruthy();
  const params = Object.fromEntries([...header!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  expect(params).toMatchObject({ algorithm: "ed25519", headers: "(created) (expires) digest" });
  const [senderId, kid, alg] = params.keyId!.split("|");
  expect([senderId, alg]).toEqual(["pbms", "ed25519"]);
  expect(jwks.keys.map((k) => k.kid)).toContain(kid);
  const digest = `SHA-256=${createHash("sha256").update(raw).digest("base64")}`;
  const signing = `(created): ${params.created}\n(expires): ${params.expires}\ndigest: ${digest}`;
  const [protectedHeader, empty, signature] = params.signature!.split(".");
  expect(empty).toBe("");
  const { protectedHeader: jws } = await compactVerify(
    `${protectedHeader}.${base64url.encode(signing)}.${signature}`,
    createLocalJWKSet(jwks),
    { algorithms: ["EdDSA"] },
  );
  expect(jws.kid).toBe(kid);
  expect(Number(params.expires)).toBeGreaterThan(Date.now() / 1000);
}

async function expectSigned(raw: Buffer, header: string | null) {
  await verifySignature(raw, header);
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

describe("POST /registry/sync/search", () => {
  it("finds a person by national id (G2P Connect idtype) with both dialects' field names", async () => {
    const reply = await syncSearch(
      searchMessage({ query_type: "idtype", query: { type: "UIN", value: "NID-1001" } }),
    );
    expect(reply.status).toBe(200);
    expect(reply.headers.get("cache-control")).toBe("no-store");
    const { header, message } = reply.body;
    expect(header).toMatchObject({
      action: "on-search",
      status: "succ",
      sender_id: "pbms",
      receiver_id: "spp.example.org",
      total_count: 1,
      completed_count: 1,
    });
    const item = message!.search_response[0]!;
    expect(item).toMatchObject({
      status: "succ",
      pagination: { page_size: 50, page_number: 1, total_count: 1 },
      data: { reg_type: "ns:pbms:RegistryType:Social", reg_record_type: "ns:pbms:RegistryRecordType:Person" },
    });
    expect(records(reply)).toEqual([
      {
        "@type": "Person",
        "@id": `urn:uuid:${ids.amina}`,
        identifier: [{ "@type": "Identifier", identifier_type: "NATIONAL_ID", identifier_value: "NID-1001" }],
        // G2P Connect (extensions/dci/PersonRecord.yaml) and DCI names side by side
        name: { given_name: "Amina", sur_name: "Diallo", surname: "Diallo" },
        sex: "female",
        birthdate: "1950-03-12",
        birth_date: "1950-03-12",
        phone_number: "+254700000001",
        address: {
          address_line1: "12 Market Street",
          street_address: "12 Market Street",
          locality: "Village One",
          region_code: "G2P-R1",
        },
        fa: "mobile:+254700000001@mpesa",
        registration_date: "2021-03-04",
        updated_at: expect.any(Number),
        last_updated: expect.any(String),
        additional_attributes: [
          { name: "display_name", value: "Amina Diallo" },
          { name: "status", value: "active" },
          { name: "gaz_large_code", value: "G2P-R1" },
          { name: "gaz_large_name", value: "Region One" },
          { name: "gaz_small_code", value: "G2P-V1" },
          { name: "gaz_small_name", value: "Village One" },
        ],
      },
    ]);
  });

  it("speaks the DCI dialect too (idtype-value, reg_event_type, no reg_type)", async () => {
    const body = searchMessage({
      query_type: "idtype-value",
      query: { type: "national_id", value: "NID-1002" },
    });
    const criteria = body.message.search_request[0]!.search_criteria as Partial<SearchCriteria>;
    delete criteria.reg_type;
    criteria.reg_event_type = "REGISTER";
    expect(validateRegistrySearchRequest(body)).toMatchObject({ valid: true, dialect: "dci" });
    const reply = await syncSearch(body);
    expect(reply.status).toBe(200);
    expect(reply.body.message!.search_response[0]!.data).toMatchObject({
      reg_type: "ns:pbms:RegistryType:Social",
      reg_sub_type: "REGISTER",
      reg_event_type: "REGISTER",
    });
    expect(givenNames(reply)).toEqual(["Fatou"]);
  });

  it("searches by predicate (birth date range and sex) with total_count and pages", async () => {
    const criteria = (page: number) =>
      searchMessage({
        query_type: "predicate",
        query: [
          {
            seq_num: 3,
            expression1: { attribute_name: "zone_code", operator: "in", attribute_value: MY_ZONES },
          },
          {
            seq_num: 1,
            expression1: { attribute_name: "birthdate", operator: "ge", attribute_value: "1950-01-01" },
            condition: "and",
            expression2: { attribute_name: "birthdate", operator: "le", attribute_value: "1960-12-31" },
          },
          { seq_num: 2, expression1: { attribute_name: "sex", operator: "eq", attribute_value: "female" } },
        ],
        sort: [{ attribute_name: "birthdate", sort_order: "asc" }],
        pagination: { page_size: 2, page_number: page },
      });
    const first = await syncSearch(criteria(1));
    expect(first.status).toBe(200);
    expect(givenNames(first)).toEqual(["Amina", "Zainab"]);
    expect(first.body.message!.search_response[0]!.pagination).toEqual({
      page_size: 2,
      page_number: 1,
      total_count: 3,
    });
    const second = await syncSearch(criteria(2));
    expect(givenNames(second)).toEqual(["Grace"]);
    expect(second.body.message!.search_response[0]!.pagination).toEqual({
      page_size: 2,
      page_number: 2,
      total_count: 3,
    });
  });

  it("combines zone codes, years of birth, or-conditions and lists", async () => {
    const inRegionTwo = await syncSearch(
      searchMessage({
        query_type: "predicate",
        query: [
          {
            expression1: { attribute_name: "zone_code", operator: "eq", attribute_value: "g2p-r2" },
            condition: "and",
            expression2: { attribute_name: "YOB", operator: "lt", attribute_value: 1970 },
          },
        ],
      }),
    );
    expect(givenNames(inRegionTwo)).toEqual(["Mary", "Zainab"]);
    const either = await syncSearch(
      searchMessage({
        query_type: "predicate",
        query: [
          { expression1: { attribute_name: "zone_code", operator: "in", attribute_value: MY_ZONES } },
          {
            expression1: { attribute_name: "given_name", operator: "eq", attribute_value: "JOHN" },
            condition: "or",
            expression2: {
              attribute_name: "family_name",
              operator: "in",
              attribute_value: ["Sow", "Nobody"],
            },
          },
        ],
      }),
    );
    expect(givenNames(either)).toEqual(["Fatou", "John"]);
    // Values are compared as text: LIKE wildcards match only themselves.
    const byGivenName = (value: string) =>
      syncSearch(
        searchMessage({
          query_type: "predicate",
          query: [{ expression1: { attribute_name: "given_name", operator: "eq", attribute_value: value } }],
        }),
      );
    for (const wildcard of ["%", "_%", "A%"])
      expect(records(await byGivenName(wildcard)), wildcard).toEqual([]);
    expect(records(await byGivenName("per_CENT%\\x")).map((r) => r["@id"])).toEqual([
      `urn:uuid:${ids.percent}`,
    ]);
  });

  it("answers DCI NoSql expressions and returns groups with their members", async () => {
    const men = await syncSearch(
      searchMessage({
        query_type: "expression",
        query: {
          type: "ns:org:QueryType:NoSql",
          value: {
            expression: {
              query: {
                $and: [{ sex: { $eq: "male" } }, { age: { $gte: 60 } }, { zone_code: { $in: MY_ZONES } }],
              },
            },
          },
        },
      }),
    );
    expect(givenNames(men)).toEqual(["John"]);

    const households = await syncSearch(
      searchMessage({
        reg_type: "ns:pbms:RegistryType:Group",
        query_type: "predicate",
        query: [
          { expression1: { attribute_name: "area-code", operator: "in", attribute_value: "G2P-R1,G2P-R9" } },
        ],
      }),
    );
    const item = households.body.message!.search_response[0]!;
    expect(item.data!.reg_record_type).toBe("ns:pbms:RegistryRecordType:Group");
    const [group] = records(households);
    expect(group).toMatchObject({
      "@type": "Group",
      "@id": `urn:uuid:${ids.household}`,
      group_size: 2,
      group_head_info: { relationship_head: "head", demographic_info: { name: { given_name: "Amina" } } },
      additional_attributes: expect.arrayContaining([{ name: "display_name", value: "Diallo household" }]),
    });
    expect(
      (group!.member_list as { relationship_head: string; member_identifier?: unknown[] }[]).map((m) => [
        m.relationship_head,
        m.member_identifier?.length,
      ]),
    ).toEqual([
      ["head", 1],
      ["spouse", 1],
    ]);
  });

  it("shows each department only its own registrants", async () => {
    const demoOnly = await syncSearch(
      searchMessage({ query_type: "idtype", query: { type: "UIN", value: "NID-1002" } }),
      otherToken,
    );
    expect(demoOnly.status).toBe(200);
    expect(demoOnly.body.message!.search_response[0]).toMatchObject({
      status: "succ",
      pagination: { total_count: 0 },
      data: { reg_records: [] },
    });
    const sameValue = await syncSearch(
      searchMessage({ query_type: "idtype", query: { type: "UIN", value: "NID-1001" } }),
      otherToken,
    );
    expect(givenNames(sameValue)).toEqual(["Odile"]);
    const everyone = await syncSearch(
      searchMessage({ query_type: "predicate", query: [], pagination: { page_size: 500 } }),
      otherToken,
    );
    const seen = records(everyone).map((r) => r["@id"]);
    expect(seen).toContain(`urn:uuid:${ids.otherPerson}`);
    for (const id of Object.values(ids))
      if (id !== ids.otherPerson) expect(seen).not.toContain(`urn:uuid:${id}`);
  });

  it("answers 401 without a valid token and 403 without a search role", async () => {
    const body = searchMessage({ query_type: "idtype", query: { type: "UIN", value: "NID-1001" } });
    const anonymous = await syncSearch(body, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(anonymous.body).toMatchObject({ errors: [{ code: "err.request.unauthorized" }] });
    const forged = await syncSearch(body, `${demoToken.slice(0, -4)}AAAA`);
    expect(forged.status).toBe(401);
    const viewer = await syncSearch(body, await h.userToken("viewer"));
    expect(viewer.status).toBe(403);
    expect(viewer.body).toMatchObject({ errors: [{ code: "err.request.forbidden" }] });
  });

  it("rejects invalid requests with the spec's reason codes", async () => {
    const badPage = searchMessage({
      query_type: "idtype",
      query: { type: "UIN", value: "NID-1001" },
      pagination: { page_size: "ten" as unknown as number },
    });
    const page = await syncSearch(badPage, demoToken, { invalid: true });
    expect(page.status).toBe(400);
    expect(page.body.header).toMatchObject({ status: "rjct", completed_count: 0 });
    expect(page.body.header.status_reason_message).toContain("/search_criteria/pagination/page_size");
    expect(page.body.message!.search_response[0]).toMatchObject({
      reference_id: badPage.message.search_request[0]!.reference_id,
      status: "rjct",
      status_reason_code: "rjct.pagination.invalid",
    });

    const badAction = searchMessage({ query_type: "idtype", query: { type: "UIN", value: "NID-1001" } });
    badAction.header.action = "subscribe";
    const action = await syncSearch(badAction, demoToken, { invalid: true });
    expect(action.status).toBe(400);
    expect(action.body.header).toMatchObject({ status: "rjct", status_reason_code: "rjct.action.invalid" });

    // Valid against the schema, but about an attribute this registry does not have.
    const unknown = await syncSearch(
      searchMessage({
        query_type: "predicate",
        query: [{ expression1: { attribute_name: "poverty_score", operator: "lt", attribute_value: 5 } }],
      }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.message!.search_response[0]).toMatchObject({
      status: "rjct",
      status_reason_code: "rjct.search_criteria.invalid",
      status_reason_message: expect.stringContaining("poverty_score"),
    });

    const sort = await syncSearch(
      searchMessage({
        query_type: "idtype",
        query: { type: "UIN", value: "NID-1001" },
        sort: [{ attribute_name: "poverty_score", sort_order: "asc" }],
      }),
    );
    expect(sort.body.message!.search_response[0]!.status_reason_code).toBe("rjct.sort.invalid");

    const counted = searchMessage({ query_type: "idtype", query: { type: "UIN", value: "NID-1001" } });
    counted.header.total_count = 3;
    const count = await syncSearch(counted);
    expect(count.status).toBe(400);
    expect(count.body.header.status_reason_code).toBe("rjct.total_count.invalid");

    const notJson = await post<unknown>("/registry/sync/search", "{not json", demoToken);
    expect(notJson.status).toBe(400);
    expect(validateHttpError(notJson.body).errors).toEqual([]);
    expect(notJson.body).toMatchObject({ errors: [{ code: "err.request.bad" }] });
  });

  it("signs responses so that an altered body no longer verifies", async () => {
    const reply = await syncSearch(
      searchMessage({ query_type: "idtype", query: { type: "UIN", value: "NID-1003" } }),
    );
    await verifySignature(reply.raw, reply.headers.get("signature"));
    expect(reply.headers.get("digest")).toBe(
      `SHA-256=${createHash("sha256").update(reply.raw).digest("base64")}`,
    );
    const altered = Buffer.from(reply.raw.toString("utf8").replace("Grace", "Grate"));
    await expect(verifySignature(altered, reply.headers.get("signature"))).rejects.toThrow();
  });
});

describe("POST /registry/search (asynchronous)", () => {
  let server: Server;
  let callbackUrl: string;
  const received: { headers: IncomingHttpHeaders; raw: Buffer }[] = [];
  const waiters: (() => void)[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers, raw: Buffer.concat(chunks) });
        res.writeHead(202, { "content-type": "application/json" });
        res.end(JSON.stringify(ackResponse(randomUUID())));
        waiters.splice(0).forEach((w) => w());
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/spp/callback/on-search`;
  });
  afterAll(() => new Promise<void>((resolve) => server?.close(() => resolve())));

  const nextCallback = (count: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no callback within 10 s")), 10_000);
      const check = () => {
        if (received.length >= count) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      check();
    });

  it("acknowledges at once, then POSTs a signed on-search callback to sender_uri", async () => {
    const body = searchMessage(
      { query_type: "idtype", query: { type: "UIN", value: "NID-1004" } },
      { senderUri: callbackUrl },
    );
    expect(validateRegistrySearchRequest(body, { mode: "async" }).errors).toEqual([]);
    const before = received.length;
    const ack = await post<{ message: { ack_status: string; correlation_id: string } }>(
      "/registry/search",
      body,
      demoToken,
    );
    expect(ack.status).toBe(202);
    expect(validateAck(ack.body).errors).toEqual([]);
    expect(ack.body.message.ack_status).toBe("ACK");
    await expectSigned(ack.raw, ack.headers.get("signature"));

    await nextCallback(before + 1);
    const callback = received[before]!;
    expect(callback.headers["content-type"]).toBe("application/json");
    await verifySignature(callback.raw, callback.headers.signature as string);
    const envelope = JSON.parse(callback.raw.toString("utf8")) as RegistrySearchResponseEnvelope;
    for (const dialect of ["g2pconnect", "dci"] as const)
      expect(validateOnSearchCallback(envelope, dialect).errors, dialect).toEqual([]);
    expect(envelope.header).toMatchObject({
      action: "on-search",
      status: "succ",
      receiver_id: "spp.example.org",
    });
    expect(envelope.message).toMatchObject({
      transaction_id: body.message.transaction_id,
      correlation_id: ack.body.message.correlation_id,
      search_response: [{ reference_id: body.message.search_request[0]!.reference_id, status: "succ" }],
    });
    const reg = envelope.message!.search_response[0]!.data!.reg_records as { name: { given_name: string } }[];
    expect(reg.map((r) => r.name.given_name)).toEqual(["John"]);
  });

  it("refuses a request without an http(s) sender_uri", async () => {
    for (const senderUri of [undefined, "ftp://127.0.0.1/on-search"]) {
      const body = searchMessage(
        { query_type: "idtype", query: { type: "UIN", value: "NID-1004" } },
        senderUri ? { senderUri } : {},
      );
      expect(validateRegistrySearchRequest(body, { mode: "async" }).errors).toEqual([]);
      const reply = await post<{ message: { ack_status: string; error?: { code: string } } }>(
        "/registry/search",
        body,
        demoToken,
      );
      expect(reply.status).toBe(400);
      expect(validateAck(reply.body).errors).toEqual([]);
      expect(reply.body.message).toMatchObject({
        ack_status: "ERR",
        error: { code: "err.sender_uri.invalid" },
      });
    }
  });
});
