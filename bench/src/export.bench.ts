// Registry export benchmark: the product's REGISTRY_EXPORT job, run by a
// worker in this process, over the registry import.bench.ts leaves in
// pbms_bench_import (every registrant of department demo, no filter). The
// export streams PostgreSQL's COPY output into the file storage (local disk
// here); the script samples the process's resident memory while it runs.
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//     npx tsx --tsconfig ../apps/api/tsconfig.json src/export.bench.ts
import { createReadStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { applyMigrations, createDb, withDatabase } from "@pbms/db";
import { APP_ROLE, ensureAppRole, withClient } from "@pbms/db/testing";
import { createLogger, JobWorker, localStorage } from "@pbms/api";

const { values } = parseArgs({
  options: {
    database: { type: "string", default: "pbms_bench_import" },
    department: { type: "string", default: "demo" },
  },
});
const server =
  process.env.BENCH_DATABASE_URL ??
  process.env.DATABASE_URL ??
  "postgresql://postgres@127.0.0.1:5432/postgres";
const owner = withDatabase(server, values.database!);
const app = new URL(owner);
app.username = APP_ROLE.user;
app.password = APP_ROLE.password;
const out = (s: string) => process.stdout.write(`${s}\n`);
const MB = 1024 * 1024;

// The worker needs the product's current schema (job outputs in storage).
await ensureAppRole(server);
const applied = await applyMigrations(owner, { appRoles: [APP_ROLE.user] });
if (applied.length) out(`applied migrations: ${applied.join(", ")}`);

const { tenantId, registrants } = await withClient(owner, async (c) => {
  const { rows } = await c.query<{ id: string; n: string }>(
    `SELECT d.id, (SELECT count(*) FROM registrant r WHERE r.tenant_id = d.id) AS n
       FROM department d WHERE d.code = $1`,
    [values.department],
  );
  if (!rows[0]) throw new Error(`no department ${values.department} in ${values.database}`);
  return { tenantId: rows[0].id, registrants: Number(rows[0].n) };
});
if (!registrants) throw new Error(`no registrants: run src/import.bench.ts first (see README.md)`);

// Tables never analysed (autovacuum off, or the import just finished) have no
// statistics, and the export's plan then looks every registrant's identifiers
// up by scanning all identifiers of a type: ANALYZE them, as autovacuum would.
const READ = ["registrant", "registrant_identifier", "phone", "id_type", "geo_zone"];
await withClient(owner, async (c) => {
  const { rows } = await c.query<{ relname: string }>(
    `SELECT t.relname FROM unnest($1::text[]) AS t(relname)
      WHERE NOT EXISTS (SELECT FROM pg_stats s WHERE s.schemaname = 'public' AND s.tablename = t.relname)`,
    [READ],
  );
  for (const { relname } of rows) await c.query(`ANALYZE ${relname}`);
  if (rows.length) out(`analysed (no statistics yet): ${rows.map((r) => r.relname).join(", ")}`);
});

const storageDir = await mkdtemp(join(tmpdir(), "pbms-bench-export-"));
const db = createDb(app.toString(), { max: 4 });
const worker = new JobWorker(db, createLogger("warn"), {
  databaseUrl: app.toString(),
  storage: localStorage(storageDir),
  listen: false,
});

const jobId = await withClient(owner, async (c) => {
  const { rows } = await c.query<{ id: string }>(
    `INSERT INTO job (id, tenant_id, type, params, created_by_id, created_by_name)
     VALUES (gen_random_uuid(), $1, 'REGISTRY_EXPORT', '{}', 'bench', 'Benchmark') RETURNING id`,
    [tenantId],
  );
  return rows[0]!.id;
});

const rssBefore = process.memoryUsage.rss();
let rssPeak = rssBefore;
const sampler = setInterval(() => {
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
}, 20);
const t0 = performance.now();
await worker.drain();
const seconds = (performance.now() - t0) / 1000;
clearInterval(sampler);
rssPeak = Math.max(rssPeak, process.memoryUsage.rss());

const { job, output } = await withClient(owner, async (c) => ({
  job: (await c.query("SELECT state, result, error FROM job WHERE id = $1", [jobId])).rows[0],
  output: (
    await c.query<{ storage_key: string; byte_size: string; inline: boolean }>(
      "SELECT storage_key, byte_size::text, data IS NOT NULL AS inline FROM job_output WHERE job_id = $1",
      [jobId],
    )
  ).rows[0],
}));
if (job.state !== "SUCCEEDED" || !output) throw new Error(`export ${job.state}: ${job.error}`);
const file = join(storageDir, output.storage_key);
const bytes = (await stat(file)).size;
let lines = 0;
for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>)
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
const rows = (job.result as { rows: number }).rows;

out(`registrants of ${values.department}: ${registrants}`);
out(`exported rows: ${rows} (file: ${lines} lines incl. header), in the database row: ${output.inline}`);
out(`seconds: ${seconds.toFixed(2)}, rows/s: ${Math.round(rows / seconds)}`);
out(
  `output: ${bytes} bytes (${(bytes / MB).toFixed(1)} MiB, ${(bytes / MB / seconds).toFixed(1)} MiB/s), recorded ${output.byte_size}`,
);
out(
  `worker process RSS: ${(rssBefore / MB).toFixed(0)} MiB before, peak ${(rssPeak / MB).toFixed(0)} MiB (+${((rssPeak - rssBefore) / MB).toFixed(0)} MiB); ` +
    `the kernel's peak for the whole process: ${((process.resourceUsage().maxRSS * 1024) / MB).toFixed(0)} MiB`,
);

await withClient(owner, (c) => c.query("DELETE FROM job WHERE id = $1", [jobId]));
await db.$disconnect();
await rm(storageDir, { recursive: true, force: true });
