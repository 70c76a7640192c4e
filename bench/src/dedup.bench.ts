// Benchmark: the product's deduplication job over the reference workload.
//
//   tsx src/dedup.bench.ts [--households N] [--threshold T] [--days D] [--keep]
//
// 1. Creates a scratch database on the bench server, applies the product
//    migrations and the demo seed (departments, reference data, dedup rules).
// 2. Copies bench.individual (the first N households) from BENCH_DATABASE_URL
//    into a staging table there, then loads it into department `other` as
//    registrants, national ids and phones with set-based INSERT … SELECT (owner).
// 3. Runs the DEDUPLICATION job's handler (apps/api/src/modules/dedup) as the
//    application role under row-level security, exactly as the worker would,
//    and prints the time per rule and per chunk.
// 4. Compares the sets with the generator's ground truth (`dup_of`): recall per
//    rule and overall, and how many sets hold no true duplicate pair.
// The scratch database is dropped at the end unless --keep is given.

import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { deduplicate } from "../../apps/api/src/modules/dedup/dedup.job.ts";
import { createLogger } from "../../apps/api/src/logger.ts";
import { applyMigrations, createDb, inTenant, seedDemo, withDatabase } from "@pbms/db";
import { APP_ROLE, ensureAppRole, withClient } from "@pbms/db/testing";

const USAGE = `Usage: tsx src/dedup.bench.ts [options]

Times the DEDUPLICATION job over bench.individual (filled by generate.ts --db) in a scratch database.

Options:
  --households N   only the first N households (default: all in the bench database)
  --threshold T    name similarity threshold of the name rule (default 0.6, the seeded rule)
  --days D         birth date tolerance of the name rule in days (default 0)
  --keep           keep the scratch database (its name is printed)
  -h, --help       show this help

Environment: BENCH_DATABASE_URL (else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/pbms_bench).
`;

const write = (s: string): void => {
  process.stdout.write(s);
};
const now = (): number => performance.now() / 1000;
const fmt = (n: number): string => n.toLocaleString("en-US");
const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(2)} %` : "–");

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t = now();
  const result = await fn();
  write(`  ${label.padEnd(44)} ${(now() - t).toFixed(2).padStart(8)} s\n`);
  return result;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv[0] === "--") argv.shift();
  const { values } = parseArgs({
    args: argv,
    options: {
      households: { type: "string" },
      threshold: { type: "string" },
      days: { type: "string" },
      keep: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    write(USAGE);
    return 0;
  }
  const households = values.households ? Number(values.households.replace(/_/g, "")) : undefined;
  if (households !== undefined && (!Number.isInteger(households) || households < 1))
    throw new Error("--households expects a positive integer");
  const threshold = values.threshold ? Number(values.threshold) : 0.6;
  const days = values.days ? Number(values.days) : 0;
  if (!(threshold >= 0.3 && threshold <= 1)) throw new Error("--threshold must be between 0.3 and 1");
  if (!Number.isInteger(days) || days < 0 || days > 366) throw new Error("--days must be 0–366");

  const source =
    process.env.BENCH_DATABASE_URL ??
    process.env.DATABASE_URL ??
    "postgres://postgres@127.0.0.1:5432/pbms_bench";
  const adminUrl = withDatabase(source, "postgres");
  const name = `pbms_dedup_bench_${randomBytes(4).toString("hex")}`;
  const ownerUrl = withDatabase(source, name);
  const app = new URL(ownerUrl);
  app.username = APP_ROLE.user;
  app.password = APP_ROLE.password;
  const appUrl = app.toString();
  const cut = households ? `HH-${String(households).padStart(7, "0")}` : null;

  write(`Scratch database ${name} (source ${new URL(source).host}${new URL(source).pathname})\n`);
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const t0 = now();
  try {
    write("Setup\n");
    await ensureAppRole(adminUrl);
    await timed("migrations + demo seed", async () => {
      await applyMigrations(ownerUrl, { appRoles: [APP_ROLE.user] });
      await seedDemo(ownerUrl);
    });

    const owner = new pg.Client({ connectionString: ownerUrl });
    const src = new pg.Client({ connectionString: source });
    await owner.connect();
    await src.connect();
    let tenantId: string;
    let individuals: number;
    try {
      await owner.query("SET synchronous_commit = off");
      await owner.query("SET maintenance_work_mem = '256MB'");
      await owner.query(`CREATE UNLOGGED TABLE bench_individual (
        individual_id text PRIMARY KEY, given_name text NOT NULL, family_name text NOT NULL,
        birth_date date NOT NULL, sex text NOT NULL, national_id text NOT NULL, phone text, dup_of text)`);
      const where = cut ? `WHERE household_id <= '${cut}'` : "";
      await timed("copy bench.individual → staging", () =>
        pipeline(
          src.query(
            copyTo(`COPY (SELECT individual_id, given_name, family_name, birth_date, sex, national_id, phone, dup_of
                      FROM bench.individual ${where}) TO STDOUT`),
          ),
          owner.query(copyFrom("COPY bench_individual FROM STDIN")),
        ),
      );
      const [dept] = (await owner.query<{ id: string }>("SELECT id FROM department WHERE code = 'other'"))
        .rows;
      tenantId = dept!.id;
      await owner.query("SELECT set_config('app.tenant_id', $1, false)", [tenantId]);
      individuals = (
        await timed("registrants (INSERT … SELECT)", () =>
          owner.query(
            `INSERT INTO registrant (id, tenant_id, kind, external_id, name, given_name, family_name, birth_date, sex, registration_date)
             SELECT gen_random_uuid(), $1, 'INDIVIDUAL', b.individual_id, b.given_name || ' ' || b.family_name,
                    b.given_name, b.family_name, b.birth_date, upper(b.sex)::"Sex", DATE '2025-01-01'
               FROM bench_individual b`,
            [tenantId],
          ),
        )
      ).rowCount!;
      await timed("national ids (INSERT … SELECT)", () =>
        owner.query(
          `INSERT INTO registrant_identifier (id, tenant_id, registrant_id, id_type_id, value)
           SELECT gen_random_uuid(), $1, r.id, t.id, b.national_id
             FROM bench_individual b
             JOIN registrant r ON r.tenant_id = $1 AND r.external_id = b.individual_id
             JOIN id_type t ON t.tenant_id = $1 AND t.code = 'NATIONAL_ID'`,
          [tenantId],
        ),
      );
      await timed("phones (INSERT … SELECT)", () =>
        owner.query(
          `INSERT INTO phone (id, tenant_id, registrant_id, e164, country, is_primary)
           SELECT gen_random_uuid(), $1, r.id, b.phone, 'KE', true
             FROM bench_individual b JOIN registrant r ON r.tenant_id = $1 AND r.external_id = b.individual_id
            WHERE b.phone IS NOT NULL`,
          [tenantId],
        ),
      );
      await timed("ANALYZE", () => owner.query("ANALYZE"));
      await owner.query(
        `UPDATE dedup_rule SET name_threshold = $2, birth_date_days = $3 WHERE tenant_id = $1 AND kind = 'SIMILAR_NAME_BIRTH_DATE'`,
        [tenantId, threshold, days],
      );
    } finally {
      await src.end();
      await owner.end();
    }
    write(`Loaded ${fmt(individuals)} individuals (${cut ? `households ≤ ${cut}` : "all households"})\n`);

    // The job, as the worker runs it: application role, row-level security, one department.
    const db = createDb(appUrl, { max: 2 });
    try {
      const jobId = await withClient(ownerUrl, async (c) => {
        const { rows } = await c.query<{ id: string }>(
          `INSERT INTO job (id, tenant_id, type, state, params, created_by_id, created_by_name, started_at)
           VALUES (gen_random_uuid(), $1, 'DEDUPLICATION', 'RUNNING', '{}', 'bench', 'bench', now()) RETURNING id`,
          [tenantId],
        );
        return rows[0]!.id;
      });
      const scope = { tenantId, actorId: "bench" };
      const job = await inTenant(db, scope, (t) => t.job.findUniqueOrThrow({ where: { id: jobId } }));
      write(`Job (name rule: threshold ${threshold}, ±${days} days)\n`);
      const started = now();
      let last = started;
      const outcome = await deduplicate({
        job,
        db,
        log: createLogger("warn"),
        async progress(done, total, checkpoint) {
          const steps = (
            checkpoint as { steps: { rule: string; range?: { from: string | null; to: string | null } }[] }
          ).steps;
          const step = steps[done - 1];
          if (step) {
            const range = step.range ? ` ${step.range.from ?? "…"} – ${step.range.to ?? "…"}` : "";
            write(`  step ${String(done).padStart(3)}/${total} ${step.rule}${range}`.padEnd(72));
            write(`${(now() - last).toFixed(2).padStart(8)} s\n`);
          }
          last = now();
        },
        cancelRequested: async () => false,
      });
      const jobSeconds = now() - started;
      const result = outcome.result as {
        setsFound: Record<string, number>;
        seconds: Record<string, number>;
        largeGroupsSkipped?: Record<string, number>;
      };

      const quality = await withClient(ownerUrl, async (c) => {
        await c.query(`CREATE TEMP TABLE truth AS
          SELECT d.id AS dup, o.id AS orig FROM bench_individual b
            JOIN registrant d ON d.external_id = b.individual_id
            JOIN registrant o ON o.external_id = b.dup_of
           WHERE b.dup_of IS NOT NULL`);
        await c.query("ANALYZE truth");
        const truth = (await c.query<{ n: number }>("SELECT count(*)::int AS n FROM truth")).rows[0]!.n;
        const found = await c.query<{ rule: string | null; n: number }>(`
          SELECT s.rule::text AS rule, count(DISTINCT (t.dup, t.orig))::int AS n
            FROM truth t
            JOIN duplicate_set_member m1 ON m1.registrant_id = t.dup
            JOIN duplicate_set_member m2 ON m2.set_id = m1.set_id AND m2.registrant_id = t.orig
            JOIN duplicate_set s ON s.id = m1.set_id
           GROUP BY ROLLUP (s.rule)`);
        const sets = await c.query<{ rule: string; sets: number; hits: number; identical: number }>(`
          WITH hit AS (
            SELECT DISTINCT m1.set_id FROM truth t
              JOIN duplicate_set_member m1 ON m1.registrant_id = t.dup
              JOIN duplicate_set_member m2 ON m2.set_id = m1.set_id AND m2.registrant_id = t.orig)
          SELECT s.rule::text AS rule, count(*)::int AS sets, count(h.set_id)::int AS hits,
                 count(*) FILTER (WHERE s.score = 1)::int AS identical
            FROM duplicate_set s LEFT JOIN hit h ON h.set_id = s.id
           GROUP BY s.rule ORDER BY s.rule`);
        return { truth, found: found.rows, sets: sets.rows };
      });

      write(`\nResults (${fmt(individuals)} individuals, ${fmt(quality.truth)} true duplicate pairs)\n`);
      write(
        `  ${"rule".padEnd(26)} ${"seconds".padStart(8)} ${"sets".padStart(9)} ${"with a true pair".padStart(17)} ${"true pairs found".padStart(17)} ${"recall".padStart(9)}\n`,
      );
      for (const [rule, n] of Object.entries(result.setsFound)) {
        const found = quality.found.find((f) => f.rule === rule)?.n ?? 0;
        const s = quality.sets.find((x) => x.rule === rule);
        write(
          `  ${rule.padEnd(26)} ${(result.seconds[rule] ?? 0).toFixed(2).padStart(8)} ${fmt(n).padStart(9)} ${fmt(s?.hits ?? 0).padStart(17)} ${fmt(found).padStart(17)} ${pct(found, quality.truth).padStart(9)}\n`,
        );
      }
      const any = quality.found.find((f) => f.rule === null)?.n ?? 0;
      write(
        `  ${"any rule".padEnd(26)} ${jobSeconds.toFixed(2).padStart(8)} ${"".padStart(9)} ${"".padStart(17)} ${fmt(any).padStart(17)} ${pct(any, quality.truth).padStart(9)}\n`,
      );
      const name = quality.sets.find((x) => x.rule === "SIMILAR_NAME_BIRTH_DATE");
      if (name) {
        write(
          `  name rule precision: ${pct(name.hits, name.sets)} of its sets are true pairs; ${fmt(name.sets - name.hits)} others, ${fmt(name.identical)} sets with identical names (homonyms or true pairs)\n`,
        );
      }
      if (result.largeGroupsSkipped)
        write(`  groups above the set size limit: ${JSON.stringify(result.largeGroupsSkipped)}\n`);
      write(`Job total ${jobSeconds.toFixed(2)} s; everything ${(now() - t0).toFixed(2)} s\n`);
    } finally {
      await db.$disconnect();
    }
  } finally {
    if (values.keep) write(`Kept ${ownerUrl.replace(/\/\/[^@]*@/, "//")}\n`);
    else await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
