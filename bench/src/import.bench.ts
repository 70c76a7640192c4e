// Registry import benchmark: the reference households and individuals CSV
// files through the product's import job (COPY into staging, set-based checks,
// merge with identifiers, phones and memberships), compared in the same run
// with a plain COPY of the same files into bare text tables (the floor).
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//     npx tsx src/import.bench.ts --csv /tmp/pbms-bench
import { createReadStream, existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import pg from "pg";
import copyStreams from "pg-copy-streams";
import { applyMigrations, createDb, seedDemo, withDatabase } from "@pbms/db";
import { APP_ROLE, ensureAppRole, withClient } from "@pbms/db/testing";
import { createLogger, JobWorker, localStorage } from "@pbms/api";

const { values } = parseArgs({
  options: {
    csv: { type: "string", default: "/tmp/pbms-bench" },
    database: { type: "string", default: "pbms_bench_import" },
  },
});
const dir = values.csv!;
const server =
  process.env.BENCH_DATABASE_URL ??
  process.env.DATABASE_URL ??
  "postgresql://postgres@127.0.0.1:5432/postgres";
const out = (s: string) => process.stdout.write(`${s}\n`);
for (const f of ["households.csv", "individuals.csv", "gazetteer.csv"]) {
  if (!existsSync(join(dir, f)))
    throw new Error(`${join(dir, f)} is missing: run \`npx tsx src/generate.ts --csv ${dir}\` first`);
}

const name = values.database!;
await withClient(server, async (c) => {
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await c.query(`CREATE DATABASE ${name}`);
});
const owner = withDatabase(server, name);
await ensureAppRole(server);
await applyMigrations(owner, { appRoles: [APP_ROLE.user] });
await seedDemo(owner);
const app = new URL(owner);
app.username = APP_ROLE.user;
app.password = APP_ROLE.password;

// Reference data of the workload in department demo: its gazetteer and the attributes of its columns.
const tenantId = await withClient(owner, async (c) => {
  const { rows } = await c.query<{ id: string }>("SELECT id FROM department WHERE code = 'demo'");
  const id = rows[0]!.id;
  const gazetteer = (await readFile(join(dir, "gazetteer.csv"), "utf8"))
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(","));
  await c.query("BEGIN");
  await c.query("SELECT set_config('app.tenant_id', $1, true)", [id]);
  await c.query(
    `INSERT INTO geo_zone (id, tenant_id, code, name, level)
     SELECT gen_random_uuid(), $1, code, name, 'LARGE' FROM unnest($2::text[], $3::text[]) AS z(code, name)`,
    [id, gazetteer.filter((g) => !g[2]).map((g) => g[0]), gazetteer.filter((g) => !g[2]).map((g) => g[1])],
  );
  const small = gazetteer.filter((g) => g[2]);
  await c.query(
    `INSERT INTO geo_zone (id, tenant_id, code, name, level, parent_id)
     SELECT gen_random_uuid(), $1, z.code, z.name, 'SMALL', p.id FROM unnest($2::text[], $3::text[], $4::text[]) AS z(code, name, parent)
       JOIN geo_zone p ON p.code = z.parent AND p.tenant_id = $1`,
    [id, small.map((g) => g[0]), small.map((g) => g[1]), small.map((g) => g[2])],
  );
  await c.query(
    `INSERT INTO attribute_definition (id, tenant_id, code, label, type, applies_to, enum_values, min) VALUES
       (gen_random_uuid(), $1, 'water_source', 'Water source', 'ENUM', 'GROUP', '{piped,well,river,tanker}', NULL),
       (gen_random_uuid(), $1, 'land_hectares', 'Land (ha)', 'NUMBER', 'GROUP', '{}', 0),
       (gen_random_uuid(), $1, 'livestock_count', 'Livestock', 'INTEGER', 'GROUP', '{}', 0),
       (gen_random_uuid(), $1, 'school_enrolled', 'Enrolled in school', 'BOOLEAN', 'INDIVIDUAL', '{}', NULL),
       (gen_random_uuid(), $1, 'occupation', 'Occupation', 'TEXT', 'INDIVIDUAL', '{}', NULL)`,
    [id],
  );
  await c.query("COMMIT");
  return id;
});

/** The floor: plain COPY of the file into a table of text columns. */
async function plainCopy(file: string): Promise<number> {
  const header = (await readFile(file, "utf8").then((s) => s.slice(0, s.indexOf("\n")))).split(",");
  return withClient(owner, async (c) => {
    await c.query(
      `CREATE UNLOGGED TABLE floor_copy (${header.map((h) => `${pg.escapeIdentifier(h)} text`).join(", ")})`,
    );
    const t0 = performance.now();
    await pipeline(
      createReadStream(file),
      c.query(copyStreams.from("COPY floor_copy FROM STDIN WITH (FORMAT csv, HEADER true)")),
    );
    const seconds = (performance.now() - t0) / 1000;
    await c.query("DROP TABLE floor_copy");
    return seconds;
  });
}

const storageDir = await mkdtemp(join(tmpdir(), "pbms-bench-files-"));
const storage = localStorage(storageDir);
const db = createDb(app.toString(), { max: 4 });
const worker = new JobWorker(db, createLogger("warn"), {
  databaseUrl: app.toString(),
  storage,
  listen: false,
});

/** The product path: the file in storage, a REGISTRY_IMPORT job, run by a worker. */
async function productImport(file: string, entity: string, mapping: Record<string, string>) {
  const stored = await storage.put(tenantId, createReadStream(file), Number.MAX_SAFE_INTEGER);
  const jobId = await withClient(owner, async (c) => {
    await c.query("BEGIN");
    await c.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
    const f = await c.query<{ id: string }>(
      `INSERT INTO stored_file (id, tenant_id, storage_key, file_name, content_type, byte_size, sha256, purpose, created_by_id)
       VALUES (gen_random_uuid(), $1, $2, $3, 'text/csv', $4, $5, 'IMPORT', 'bench') RETURNING id`,
      [tenantId, stored.key, file.split("/").pop(), stored.byteSize, stored.sha256],
    );
    const j = await c.query<{ id: string }>(
      `INSERT INTO job (id, tenant_id, type, params, created_by_id, created_by_name)
       VALUES (gen_random_uuid(), $1, 'REGISTRY_IMPORT', $2, 'bench', 'Benchmark') RETURNING id`,
      [tenantId, JSON.stringify({ fileId: f.rows[0]!.id, entity, mapping })],
    );
    await c.query("COMMIT");
    return j.rows[0]!.id;
  });
  const t0 = performance.now();
  await worker.drain();
  const seconds = (performance.now() - t0) / 1000;
  const job = await withClient(
    owner,
    async (c) => (await c.query("SELECT state, result, error FROM job WHERE id = $1", [jobId])).rows[0],
  );
  if (job.state !== "SUCCEEDED") throw new Error(`import ${entity} ${job.state}: ${job.error}`);
  return {
    seconds,
    result: job.result as {
      rows: number;
      rejected: number;
      inserted: number;
      seconds: Record<string, number> & { merge_statements?: Record<string, number> };
    },
  };
}

const runs: { file: string; entity: string; mapping: Record<string, string> }[] = [
  { file: join(dir, "households.csv"), entity: "GROUP", mapping: { household_id: "external_id" } },
  {
    file: join(dir, "individuals.csv"),
    entity: "INDIVIDUAL",
    mapping: {
      individual_id: "external_id",
      household_id: "group_external_id",
      member_kind: "membership_kind",
    },
  },
];
out(
  "| file | rows | plain COPY s | import s | import rows/s | import / COPY | inserted | rejected | load / check / merge s |",
);
out("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const r of runs) {
  const floor = await plainCopy(r.file);
  const { seconds, result } = await productImport(r.file, r.entity, r.mapping);
  out(
    `| ${r.file.split("/").pop()} | ${result.rows} | ${floor.toFixed(2)} | ${seconds.toFixed(2)} | ${Math.round(result.rows / seconds)} | ${(seconds / floor).toFixed(1)}× | ${result.inserted} | ${result.rejected} | ${phases(result.seconds)} |`,
  );
  out(`  merge statements (s): ${JSON.stringify(result.seconds.merge_statements)}`);
}
/** Load / check / merge seconds of a job result. */
function phases(s: Record<string, unknown>): string {
  return ["load", "check", "merge"].map((p) => Number(s[p] ?? 0).toFixed(1)).join(" / ");
}

const again = await productImport(runs[1]!.file, runs[1]!.entity, runs[1]!.mapping);
out(
  `re-import of individuals.csv: ${again.seconds.toFixed(2)} s (${phases(again.result.seconds)}), inserted ${again.result.inserted} (must be 0)`,
);
await db.$disconnect();
await rm(storageDir, { recursive: true, force: true });
