// Registrant list latency at the reference scale: GraphQL `registrants` with
// its count (`_registrantsMeta`) through the real API (token verification, RLS
// transaction), under 16 concurrent clients, for the filters people use most.
//
// By default it reads the registry import.bench.ts leaves in pbms_bench_import.
// With --load, it builds its own registry instead, from the generated CSV
// files, with set-based SQL (COPY into staging tables, INSERT … SELECT):
//
//   npx tsx src/generate.ts --csv /tmp/pbms-bench-list
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//     npx tsx --tsconfig ../apps/api/tsconfig.json src/list.bench.ts \
//       --database pbms_bench_list --load /tmp/pbms-bench-list
//   # later runs reuse it:
//   … src/list.bench.ts --database pbms_bench_list
import { createReadStream, existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import type pg from "pg";
import copyStreams from "pg-copy-streams";
import { applyMigrations, createDb, seedDemo, withDatabase } from "@pbms/db";
import { APP_ROLE, ensureAppRole, withClient } from "@pbms/db/testing";
import { startIdp } from "@pbms/idp";
import { createApi, createLogger, loadEnv } from "@pbms/api";

const IMPORT_DATABASE = "pbms_bench_import";
const { values } = parseArgs({
  options: {
    clients: { type: "string", default: "16" },
    requests: { type: "string", default: "800" },
    database: { type: "string", default: IMPORT_DATABASE },
    load: { type: "string" },
    only: { type: "string" },
  },
});
const clients = Number(values.clients);
const requests = Number(values.requests);
const database = values.database!;
if (!/^[a-z_][a-z0-9_]*$/.test(database))
  throw new Error(`--database ${database}: use a plain lower-case name`);
const server =
  process.env.BENCH_DATABASE_URL ??
  process.env.DATABASE_URL ??
  "postgresql://postgres@127.0.0.1:5432/postgres";
const owner = withDatabase(server, database);
const app = new URL(owner);
app.username = APP_ROLE.user;
app.password = APP_ROLE.password;
const out = (s: string) => process.stdout.write(`${s}\n`);

if (values.load) {
  if (database === IMPORT_DATABASE)
    throw new Error(`--load recreates the database: name another one than ${IMPORT_DATABASE}`);
  await loadRegistry(values.load);
}

const { count, zones, nationalIds, phones } = await withClient(owner, async (c) => ({
  count: Number((await c.query("SELECT count(*) AS n FROM registrant")).rows[0].n),
  zones: (
    await c.query<{ id: string }>("SELECT id FROM geo_zone WHERE level = 'SMALL' ORDER BY code")
  ).rows.map((r) => r.id),
  nationalIds: (
    await c.query<{ value: string }>(
      "SELECT value FROM registrant_identifier TABLESAMPLE SYSTEM (1) REPEATABLE (42) LIMIT 200",
    )
  ).rows.map((r) => r.value),
  phones: (
    await c.query<{ e164: string }>("SELECT e164 FROM phone TABLESAMPLE SYSTEM (1) REPEATABLE (42) LIMIT 200")
  ).rows.map((r) => r.e164),
}));
if (count < 1000) throw new Error(`${database} is empty: run import.bench.ts first, or use --load`);

const idp = await startIdp({ port: 0, log: () => undefined });
const env = loadEnv({
  NODE_ENV: "production",
  DATABASE_URL: app.toString(),
  OIDC_ISSUER: idp.issuer,
  LOG_LEVEL: "silent",
});
const db = createDb(app.toString(), { max: clients });
const api = await createApi({ env, db, log: createLogger("silent") });
const running = await api.listen(0, "127.0.0.1");
/** A client-credentials token, renewed every minute (slow scenarios outlive one). */
let token: { value: Promise<string>; at: number } | undefined;
function bearer(): Promise<string> {
  if (!token || performance.now() - token.at > 60_000) {
    const value = fetch(idp.tokenEndpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from("demo-integrator:demo-integrator-secret").toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "client_credentials" }),
    })
      .then((res) => res.json() as Promise<{ access_token: string }>)
      .then((body) => body.access_token);
    token = { value, at: performance.now() };
  }
  return token.value;
}

async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${running.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${await bearer()}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

// The same benchmark runs against an API with or without cursors and estimated counts.
const schema = await graphql<{
  query: { fields: { name: string; args: { name: string }[] }[] };
  meta: { fields: { name: string }[] } | null;
}>(`
  {
    query: __type(name: "Query") {
      fields {
        name
        args {
          name
        }
      }
    }
    meta: __type(name: "RegistrantListMetadata") {
      fields {
        name
      }
    }
  }
`);
const cursors = !!schema.query.fields
  .find((f) => f.name === "registrants")
  ?.args.some((a) => a.name === "after");
const estimates = !!schema.meta?.fields.some((f) => f.name === "estimated");
const ROW = cursors ? "id name birthDate status cursor" : "id name birthDate status";
const META = estimates ? "count estimated" : "count";
const QUERY = `query ($f: RegistrantFilter, $page: Int${cursors ? ", $after: String" : ""}) {
  registrants(filter: $f, page: $page, perPage: 25, sortField: "name", sortOrder: "ASC"${cursors ? ", after: $after" : ""}) { ${ROW} }
  _registrantsMeta(filter: $f) { ${META} }
}`;
out(
  `${database}: ${count} registrants; API ${cursors ? "with" : "without"} cursors, ${estimates ? "with" : "without"} estimated counts`,
);

/** Deep positions in the unfiltered list: a cursor (or page number) every 500 rows, down to 50,000. */
const DEPTHS = Array.from({ length: 100 }, (_, i) => (i + 1) * 500);
const deepCursors: string[] = [];
if (cursors) {
  let after: string | null = null;
  for (let i = 0; i < DEPTHS.length; i++) {
    const page: { registrants: { cursor: string }[] } = await graphql(
      `
        query ($after: String) {
          registrants(perPage: 500, sortField: "name", sortOrder: "ASC", after: $after) {
            cursor
          }
        }
      `,
      { after },
    );
    after = page.registrants.at(-1)!.cursor;
    deepCursors.push(after);
  }
}

type Request = { f: Record<string, unknown>; page?: number; after?: string };
const names = ["Mariam Okello", "Jon Smiht", "Lucia Martines", "Ahmed Hasan"];
const scenarios: Record<string, (i: number) => Request> = {
  "no filter (first pages)": (i) => ({ f: {}, page: i % 5 }),
  "zone + age range": (i) => ({
    f: { gazSmallId: zones[i % zones.length], kind: "INDIVIDUAL", age_gte: 18, age_lte: 59 },
    page: i % 5,
  }),
  "name search + zone": (i) => ({ f: { q: names[i % 4], gazSmallId: zones[i % zones.length] }, page: i % 5 }),
  "name search": (i) => ({ f: { q: names[i % 4] }, page: i % 5 }),
  "status + kind": (i) => ({
    f: { status: "ACTIVE", kind: i % 2 ? "GROUP" : "INDIVIDUAL" },
    page: i % 5,
  }),
  tag: (i) => ({ f: { tag: i % 2 ? "rural" : "disability" }, page: i % 5 }),
  attribute: (i) => ({
    f: { attributes: i % 2 ? { water_source: "river" } : { occupation: "farmer" } },
    page: i % 5,
  }),
  identifier: (i) => ({ f: { identifier: nationalIds[i % nationalIds.length] } }),
  phone: (i) => ({ f: { phone: phones[i % phones.length] } }),
  // 500 to 50,000 rows deep: a cursor where the API has them, else the page number.
  "deep pages": (i) =>
    cursors
      ? { f: {}, after: deepCursors[i % deepCursors.length] }
      : { f: {}, page: DEPTHS[i % DEPTHS.length]! / 25 },
};
const only = values.only?.split(",").map((s) => s.trim());

for (const [name, request] of Object.entries(scenarios)) {
  if (only && !only.includes(name)) continue;
  const latencies: number[] = [];
  const errors: string[] = [];
  let estimated = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < requests) {
        const i = next++;
        const variables = request(i);
        await bearer();
        const start = performance.now();
        try {
          const data = await graphql<{ _registrantsMeta: { estimated?: boolean } }>(QUERY, variables);
          latencies.push(performance.now() - start);
          if (data._registrantsMeta.estimated) estimated++;
        } catch (error) {
          errors.push((error as Error).message);
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const p = (q: number) =>
    latencies.length
      ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1)
      : "–";
  // Latencies are those of the answered requests; failed ones (e.g. the API's 15 s transaction limit) are counted apart.
  out(
    `${name}: ${requests} requests, ${clients} clients — p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, ${(latencies.length / seconds).toFixed(1)} answers/s${estimates ? `, ${estimated} estimated counts` : ""}${errors.length ? `, ${errors.length} errors (first: ${errors[0]})` : ""}`,
  );
}
await running.close();
await db.$disconnect();
await idp.close();

/**
 * (Re)creates `database` with the product's migrations and demo seed, and fills
 * department demo with the generated households (GROUP) and individuals
 * (INDIVIDUAL) plus their national ids and phones, in a few set-based statements.
 * Tags and a few statuses are derived from the data so every filter has matches:
 * `rural`/`urban` on households (by address), `disability` on individuals, and
 * near-duplicate re-registrations INACTIVE.
 */
async function loadRegistry(dir: string) {
  for (const f of ["households.csv", "individuals.csv", "gazetteer.csv"]) {
    if (!existsSync(join(dir, f)))
      throw new Error(`${join(dir, f)} is missing: run \`npx tsx src/generate.ts --csv ${dir}\` first`);
  }
  const t0 = performance.now();
  const step = async (label: string, c: pg.Client, sql: string, params: unknown[] = []) => {
    const t = performance.now();
    const res = await c.query(sql, params);
    out(`load ${label}: ${res.rowCount ?? 0} rows, ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
  await withClient(server, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${database}`);
  });
  await ensureAppRole(server);
  await applyMigrations(owner, { appRoles: [APP_ROLE.user] });
  await seedDemo(owner);
  await withClient(owner, async (c) => {
    await c.query("SET synchronous_commit = off");
    await c.query("SET maintenance_work_mem = '256MB'");
    const tenant = (await c.query<{ id: string }>("SELECT id FROM department WHERE code = 'demo'")).rows[0]!
      .id;
    const gazetteer = (await readFile(join(dir, "gazetteer.csv"), "utf8"))
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(","));
    const large = gazetteer.filter((g) => !g[2]);
    const small = gazetteer.filter((g) => g[2]);
    await c.query(
      `INSERT INTO geo_zone (id, tenant_id, code, name, level)
       SELECT gen_random_uuid(), $1, code, name, 'LARGE' FROM unnest($2::text[], $3::text[]) AS z(code, name)`,
      [tenant, large.map((g) => g[0]), large.map((g) => g[1])],
    );
    await c.query(
      `INSERT INTO geo_zone (id, tenant_id, code, name, level, parent_id)
       SELECT gen_random_uuid(), $1, z.code, z.name, 'SMALL', p.id
         FROM unnest($2::text[], $3::text[], $4::text[]) AS z(code, name, parent)
         JOIN geo_zone p ON p.code = z.parent AND p.tenant_id = $1`,
      [tenant, small.map((g) => g[0]), small.map((g) => g[1]), small.map((g) => g[2])],
    );
    await c.query(
      `INSERT INTO attribute_definition (id, tenant_id, code, label, type, applies_to, enum_values, min) VALUES
         (gen_random_uuid(), $1, 'water_source', 'Water source', 'ENUM', 'GROUP', '{piped,well,river,tanker}', NULL),
         (gen_random_uuid(), $1, 'land_hectares', 'Land (ha)', 'NUMBER', 'GROUP', '{}', 0),
         (gen_random_uuid(), $1, 'livestock_count', 'Livestock', 'INTEGER', 'GROUP', '{}', 0),
         (gen_random_uuid(), $1, 'school_enrolled', 'Enrolled in school', 'BOOLEAN', 'INDIVIDUAL', '{}', NULL),
         (gen_random_uuid(), $1, 'occupation', 'Occupation', 'TEXT', 'INDIVIDUAL', '{}', NULL)`,
      [tenant],
    );
    await c.query(`CREATE UNLOGGED TABLE stage_household (
      household_id text, name text, gaz_large text, gaz_small text, address text, registration_date date,
      roof_material text, water_source text, has_electricity boolean, land_hectares numeric,
      livestock_count int, monthly_income numeric)`);
    await c.query(`CREATE UNLOGGED TABLE stage_individual (
      individual_id text, household_id text, member_kind text, family_name text, given_name text,
      birth_date date, sex text, national_id text, phone text, disability boolean, school_enrolled boolean,
      occupation text, monthly_income numeric, dup_of text)`);
    for (const [table, file] of [
      ["stage_household", "households.csv"],
      ["stage_individual", "individuals.csv"],
    ] as const) {
      const t = performance.now();
      await pipeline(
        createReadStream(join(dir, file)),
        c.query(copyStreams.from(`COPY ${table} FROM STDIN WITH (FORMAT csv, HEADER true)`)),
      );
      out(`load COPY ${file}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    await step(
      "households",
      c,
      `INSERT INTO registrant (id, tenant_id, kind, external_id, name, registration_date, gaz_large_id,
                               gaz_small_id, address_text, tags, attributes)
       SELECT gen_random_uuid(), $1, 'GROUP', h.household_id, h.name, h.registration_date, zl.id, zs.id, h.address,
              ARRAY[CASE WHEN h.address LIKE 'Plot %' THEN 'rural' ELSE 'urban' END],
              jsonb_build_object('roof_material', h.roof_material, 'water_source', h.water_source,
                'has_electricity', h.has_electricity, 'land_hectares', h.land_hectares,
                'livestock_count', h.livestock_count, 'monthly_income', h.monthly_income)
         FROM stage_household h
         JOIN geo_zone zs ON zs.tenant_id = $1 AND zs.code = h.gaz_small
         JOIN geo_zone zl ON zl.tenant_id = $1 AND zl.code = h.gaz_large`,
      [tenant],
    );
    await step(
      "individuals",
      c,
      `INSERT INTO registrant (id, tenant_id, kind, external_id, name, family_name, given_name, birth_date, sex,
                               registration_date, status, status_reason, gaz_large_id, gaz_small_id, address_text,
                               tags, attributes)
       SELECT gen_random_uuid(), $1, 'INDIVIDUAL', i.individual_id, i.given_name || ' ' || i.family_name,
              i.family_name, i.given_name, i.birth_date, upper(i.sex)::"Sex", g.registration_date,
              CASE WHEN i.dup_of IS NULL THEN 'ACTIVE' ELSE 'INACTIVE' END::"RegistrantStatus",
              CASE WHEN i.dup_of IS NOT NULL THEN 'Registered twice' END,
              g.gaz_large_id, g.gaz_small_id, g.address_text,
              CASE WHEN i.disability THEN ARRAY['disability'] ELSE ARRAY[]::text[] END,
              jsonb_strip_nulls(jsonb_build_object('occupation', i.occupation, 'school_enrolled', i.school_enrolled,
                'monthly_income', i.monthly_income, 'disability', i.disability))
         FROM stage_individual i
         JOIN registrant g ON g.tenant_id = $1 AND g.external_id = i.household_id`,
      [tenant],
    );
    await step(
      "national ids",
      c,
      `INSERT INTO registrant_identifier (id, tenant_id, registrant_id, id_type_id, value)
       SELECT gen_random_uuid(), $1, r.id, t.id, i.national_id
         FROM stage_individual i
         JOIN registrant r ON r.tenant_id = $1 AND r.external_id = i.individual_id
         JOIN id_type t ON t.tenant_id = $1 AND t.code = 'NATIONAL_ID'`,
      [tenant],
    );
    await step(
      "phones",
      c,
      `INSERT INTO phone (id, tenant_id, registrant_id, e164, country, is_primary)
       SELECT gen_random_uuid(), $1, r.id, i.phone, 'KE', true
         FROM stage_individual i
         JOIN registrant r ON r.tenant_id = $1 AND r.external_id = i.individual_id
        WHERE i.phone IS NOT NULL`,
      [tenant],
    );
    await c.query("DROP TABLE stage_household, stage_individual");
    const t = performance.now();
    await c.query("VACUUM ANALYZE registrant, registrant_identifier, phone");
    out(`load VACUUM ANALYZE: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  });
  out(`load total: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
