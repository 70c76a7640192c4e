// CLI: generate the PBMS reference workload into CSV files and/or PostgreSQL.
//
//   tsx src/generate.ts [--households 250000] [--seed 42] [--csv DIR] [--db]
//                       [--unlogged] [--sequential] [--no-indexes] [--null]

import { parseArgs } from "node:util";
import { generateToNull, loadDatabase, writeCsv, type Measurement } from "./load";
import {
  DEFAULT_HOUSEHOLDS,
  DEFAULT_SEED,
  validateOptions,
  workloadTotals,
  type WorkloadOptions,
} from "./workload";

const USAGE = `Usage: generate-data [options]

Generates the PBMS reference workload (N households, exactly 4N individuals).

Options:
  --households N   number of households (default ${DEFAULT_HOUSEHOLDS})
  --seed S         PRNG seed, non-negative integer (default ${DEFAULT_SEED})
  --csv DIR        write DIR/households.csv, DIR/individuals.csv, DIR/gazetteer.csv
  --db             load into PostgreSQL at BENCH_DATABASE_URL or DATABASE_URL
                   (drops and recreates schema "bench")
  --unlogged       with --db: create the big tables UNLOGGED
  --sequential     with --db: COPY the tables one after the other (default: concurrently)
  --no-indexes     with --db: skip keys, indexes, foreign keys and ANALYZE
  --null           generate and discard (measures the generator alone)
  -h, --help       show this help
`;

function write(s: string): void {
  process.stdout.write(s);
}

function parseInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const cleaned = value.replace(/_/g, "");
  if (!/^\d+$/.test(cleaned)) throw new Error(`--${name} expects a non-negative integer, got "${value}"`);
  return Number(cleaned);
}

const fmtInt = (n: number): string => n.toLocaleString("en-US");

function formatMeasurement(m: Measurement): string {
  const parts = [m.target.padEnd(5), m.step.padEnd(20)];
  parts.push(m.rows === undefined ? "".padStart(15) : `${fmtInt(m.rows).padStart(10)} rows`);
  parts.push(`${m.seconds.toFixed(2).padStart(8)} s`);
  if (m.rows !== undefined && m.rows > 0 && m.seconds > 0) {
    parts.push(`${fmtInt(Math.round(m.rows / m.seconds)).padStart(10)} rows/s`);
  }
  if (m.bytes !== undefined) parts.push(`${(m.bytes / 1e6).toFixed(1).padStart(8)} MB`);
  return parts.join("  ") + "\n";
}

/** host:port/database for display, never the credentials. */
function describeTarget(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.host}${url.pathname}`;
  } catch {
    return "(connection string)";
  }
}

async function main(): Promise<number> {
  // `pnpm generate-data -- --db` forwards the "--" literally; ignore it.
  const argv = process.argv.slice(2);
  if (argv[0] === "--") argv.shift();
  const { values } = parseArgs({
    args: argv,
    options: {
      households: { type: "string" },
      seed: { type: "string" },
      csv: { type: "string" },
      db: { type: "boolean", default: false },
      unlogged: { type: "boolean", default: false },
      sequential: { type: "boolean", default: false },
      "no-indexes": { type: "boolean", default: false },
      null: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    write(USAGE);
    return 0;
  }
  const opts: WorkloadOptions = {
    households: parseInteger("households", values.households, DEFAULT_HOUSEHOLDS),
    seed: parseInteger("seed", values.seed, DEFAULT_SEED),
  };
  validateOptions(opts);
  if (!values.csv && !values.db && !values.null) {
    process.stderr.write(`Nothing to do: give --csv DIR, --db and/or --null.\n\n${USAGE}`);
    return 2;
  }
  const connectionString = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  if (values.db && !connectionString) {
    process.stderr.write("--db needs BENCH_DATABASE_URL or DATABASE_URL\n");
    return 2;
  }

  const totals = workloadTotals(opts.households);
  write(
    `PBMS reference workload: ${fmtInt(totals.households)} households, ${fmtInt(totals.individuals)} individuals, seed ${opts.seed}\n`,
  );
  const report = (m: Measurement): void => write(formatMeasurement(m));

  if (values.null) await generateToNull(opts, report);
  if (values.csv) await writeCsv(values.csv, opts, report);
  if (values.db && connectionString) {
    write(
      `db     target ${describeTarget(connectionString)}${values.unlogged ? " (unlogged)" : ""}, ${values.sequential ? "sequential" : "concurrent"} COPY\n`,
    );
    await loadDatabase(
      connectionString,
      {
        ...opts,
        unlogged: values.unlogged,
        sequential: values.sequential,
        skipIndexes: values["no-indexes"],
      },
      report,
    );
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Stack traces only on request: most failures are bad options or an unreachable database.
    const detail =
      err instanceof Error
        ? process.env.BENCH_DEBUG
          ? (err.stack ?? err.message)
          : err.message
        : String(err);
    process.stderr.write(`generate-data: ${detail}\n`);
    process.exitCode = 1;
  },
);
