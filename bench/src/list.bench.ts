// Registrant list latency at the reference scale: GraphQL `registrants` with
// two filters, through the real API (token verification, RLS transaction),
// under 16 concurrent clients. Run after import.bench.ts, which leaves the
// 1M-individual registry in database pbms_bench_import.
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx src/list.bench.ts
import { parseArgs } from "node:util";
import { createDb, withDatabase } from "@pbms/db";
import { APP_ROLE, withClient } from "@pbms/db/testing";
import { startIdp } from "@pbms/idp";
import { createApi, createLogger, loadEnv } from "@pbms/api";

const { values } = parseArgs({
  options: { clients: { type: "string", default: "16" }, requests: { type: "string", default: "800" } },
});
const clients = Number(values.clients);
const requests = Number(values.requests);
const server =
  process.env.BENCH_DATABASE_URL ??
  process.env.DATABASE_URL ??
  "postgresql://postgres@127.0.0.1:5432/postgres";
const owner = withDatabase(server, "pbms_bench_import");
const app = new URL(owner);
app.username = APP_ROLE.user;
app.password = APP_ROLE.password;
const out = (s: string) => process.stdout.write(`${s}\n`);

const { count, zones } = await withClient(owner, async (c) => ({
  count: Number((await c.query("SELECT count(*) AS n FROM registrant")).rows[0].n),
  zones: (
    await c.query<{ id: string }>("SELECT id FROM geo_zone WHERE level = 'SMALL' ORDER BY code")
  ).rows.map((r) => r.id),
}));
if (count < 1000) throw new Error("run import.bench.ts first: pbms_bench_import is empty");

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
const token = (
  (await (
    await fetch(idp.tokenEndpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from("demo-integrator:demo-integrator-secret").toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "client_credentials" }),
    })
  ).json()) as { access_token: string }
).access_token;

const QUERY = `query ($f: RegistrantFilter, $page: Int) {
  registrants(filter: $f, page: $page, perPage: 25, sortField: "name", sortOrder: "ASC") { id name birthDate status }
  _registrantsMeta(filter: $f) { count }
}`;
const scenarios = {
  "zone + age range": (i: number) => ({
    gazSmallId: zones[i % zones.length],
    kind: "INDIVIDUAL",
    age_gte: 18,
    age_lte: 59,
  }),
  "name search + zone": (i: number) => ({
    q: ["Mariam Okello", "Jon Smiht", "Lucia Martines", "Ahmed Hasan"][i % 4],
    gazSmallId: zones[i % zones.length],
  }),
};

for (const [name, filter] of Object.entries(scenarios)) {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < requests) {
        const i = next++;
        const start = performance.now();
        const res = await fetch(`${running.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: QUERY, variables: { f: filter(i), page: i % 5 } }),
        });
        const body = (await res.json()) as { errors?: unknown[] };
        if (body.errors) throw new Error(JSON.stringify(body.errors));
        latencies.push(performance.now() - start);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const p = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1);
  out(
    `${name}: ${requests} requests, ${clients} clients, ${count} registrants — p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, ${(requests / seconds).toFixed(0)} req/s`,
  );
}
await running.close();
await db.$disconnect();
await idp.close();
