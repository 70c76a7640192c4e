// Targets for the reference workload: CSV files and PostgreSQL (COPY FROM STDIN).

import { createWriteStream } from "node:fs";
import { mkdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import {
  HOUSEHOLD_COLUMNS,
  INDIVIDUAL_COLUMNS,
  MEMBER_KINDS,
  OCCUPATIONS,
  ROOF_MATERIALS,
  SEXES,
  WATER_SOURCES,
  gazetteerCsv,
  workloadStream,
  type WorkloadOptions,
  type WorkloadTable,
} from "./workload";

export interface Measurement {
  target: "csv" | "db" | "null";
  step: string;
  rows?: number;
  seconds: number;
  bytes?: number;
}

export type Reporter = (m: Measurement) => void;

const now = (): number => performance.now() / 1000;

// ---------------------------------------------------------------------------
// Generation only (throughput of the generator itself).

export async function generateToNull(
  opts: WorkloadOptions,
  report: Reporter = () => {},
): Promise<Measurement[]> {
  const out: Measurement[] = [];
  const t0 = now();
  for (const table of ["household", "individual"] as const) {
    const t = now();
    const stream = workloadStream(opts, table, { header: true });
    let bytes = 0;
    await pipeline(
      stream,
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          bytes += chunk.length;
          cb();
        },
      }),
    );
    const m: Measurement = { target: "null", step: table, rows: stream.rows, seconds: now() - t, bytes };
    report(m);
    out.push(m);
  }
  const total: Measurement = {
    target: "null",
    step: "total",
    rows: out.reduce((a, m) => a + (m.rows ?? 0), 0),
    seconds: now() - t0,
    bytes: out.reduce((a, m) => a + (m.bytes ?? 0), 0),
  };
  report(total);
  out.push(total);
  return out;
}

// ---------------------------------------------------------------------------
// CSV files (with header rows): households.csv, individuals.csv, gazetteer.csv

export const CSV_FILES: Record<WorkloadTable, string> = {
  household: "households.csv",
  individual: "individuals.csv",
};

export async function writeCsv(
  dir: string,
  opts: WorkloadOptions,
  report: Reporter = () => {},
): Promise<Measurement[]> {
  await mkdir(dir, { recursive: true });
  const out: Measurement[] = [];
  const t0 = now();
  await writeFile(join(dir, "gazetteer.csv"), gazetteerCsv());
  for (const table of ["household", "individual"] as const) {
    const t = now();
    const path = join(dir, CSV_FILES[table]);
    const stream = workloadStream(opts, table, { header: true });
    await pipeline(stream, createWriteStream(path, { highWaterMark: 1 << 20 }));
    const { size } = await stat(path);
    const m: Measurement = {
      target: "csv",
      step: CSV_FILES[table],
      rows: stream.rows,
      seconds: now() - t,
      bytes: size,
    };
    report(m);
    out.push(m);
  }
  const total: Measurement = {
    target: "csv",
    step: "total",
    rows: out.reduce((a, m) => a + (m.rows ?? 0), 0),
    seconds: now() - t0,
    bytes: out.reduce((a, m) => a + (m.bytes ?? 0), 0),
  };
  report(total);
  out.push(total);
  return out;
}

// ---------------------------------------------------------------------------
// PostgreSQL: schema `bench`, tables bench.area, bench.household, bench.individual.

export interface DbLoadOptions extends WorkloadOptions {
  /** Create the two big tables UNLOGGED (no WAL; truncated after a crash). */
  unlogged?: boolean;
  /** COPY the tables one after the other instead of over two connections at once. */
  sequential?: boolean;
  /** Skip constraints, indexes and ANALYZE after the load. */
  skipIndexes?: boolean;
}

const enumList = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(", ");

export const SCHEMA_SQL = `
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;
CREATE TYPE bench.roof_material AS ENUM (${enumList(ROOF_MATERIALS)});
CREATE TYPE bench.water_source AS ENUM (${enumList(WATER_SOURCES)});
CREATE TYPE bench.member_kind AS ENUM (${enumList(MEMBER_KINDS)});
CREATE TYPE bench.sex AS ENUM (${enumList(SEXES)});
CREATE TYPE bench.occupation AS ENUM (${enumList(OCCUPATIONS)});
CREATE TABLE bench.area (
  code text PRIMARY KEY,
  name text NOT NULL,
  parent_code text REFERENCES bench.area (code),
  level text NOT NULL CHECK (level IN ('district', 'locality')),
  urban boolean NOT NULL
);
`;

function householdDdl(unlogged: boolean): string {
  return `CREATE ${unlogged ? "UNLOGGED " : ""}TABLE bench.household (
  household_id text NOT NULL,
  name text NOT NULL,
  gaz_large text NOT NULL,
  gaz_small text NOT NULL,
  address text NOT NULL,
  registration_date date NOT NULL,
  roof_material bench.roof_material NOT NULL,
  water_source bench.water_source NOT NULL,
  has_electricity boolean NOT NULL,
  land_hectares numeric(6,2) NOT NULL,
  livestock_count integer NOT NULL,
  monthly_income numeric(12,2) NOT NULL
)`;
}

function individualDdl(unlogged: boolean): string {
  return `CREATE ${unlogged ? "UNLOGGED " : ""}TABLE bench.individual (
  individual_id text NOT NULL,
  household_id text NOT NULL,
  member_kind bench.member_kind NOT NULL,
  family_name text NOT NULL,
  given_name text NOT NULL,
  birth_date date NOT NULL,
  sex bench.sex NOT NULL,
  national_id text NOT NULL,
  phone text,
  disability boolean NOT NULL,
  school_enrolled boolean,
  occupation bench.occupation NOT NULL,
  monthly_income numeric(12,2) NOT NULL,
  dup_of text
)`;
}

/** Constraints and indexes, added after the load; grouped by what can run in parallel. */
export const HOUSEHOLD_INDEX_SQL = [
  "ALTER TABLE bench.household ADD CONSTRAINT household_pkey PRIMARY KEY (household_id)",
  "CREATE INDEX household_gaz_small_idx ON bench.household (gaz_small)",
];
export const INDIVIDUAL_INDEX_SQL = [
  "ALTER TABLE bench.individual ADD CONSTRAINT individual_pkey PRIMARY KEY (individual_id)",
  "ALTER TABLE bench.individual ADD CONSTRAINT individual_national_id_key UNIQUE (national_id)",
  "CREATE INDEX individual_household_id_idx ON bench.individual (household_id)",
  "CREATE UNIQUE INDEX individual_one_head_idx ON bench.individual (household_id) WHERE member_kind = 'head'",
];
export const FOREIGN_KEY_SQL = [
  "ALTER TABLE bench.household ADD CONSTRAINT household_gaz_small_fkey FOREIGN KEY (gaz_small) REFERENCES bench.area (code)",
  "ALTER TABLE bench.individual ADD CONSTRAINT individual_household_id_fkey FOREIGN KEY (household_id) REFERENCES bench.household (household_id)",
  "ALTER TABLE bench.individual ADD CONSTRAINT individual_dup_of_fkey FOREIGN KEY (dup_of) REFERENCES bench.individual (individual_id)",
];

const SESSION_SQL = "SET synchronous_commit = off; SET maintenance_work_mem = '256MB'";

async function connect(connectionString: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString, application_name: "pbms-bench-generate" });
  await client.connect();
  await client.query(SESSION_SQL);
  return client;
}

/**
 * Creates the table and COPYs the generated stream into it in one transaction,
 * which lets PostgreSQL use COPY FREEZE (rows written already frozen).
 */
async function copyTable(
  client: pg.Client,
  opts: DbLoadOptions,
  table: WorkloadTable,
): Promise<{ rows: number; generated: number; seconds: number }> {
  const t = now();
  const columns = (table === "household" ? HOUSEHOLD_COLUMNS : INDIVIDUAL_COLUMNS).join(", ");
  await client.query("BEGIN");
  try {
    await client.query(
      table === "household" ? householdDdl(!!opts.unlogged) : individualDdl(!!opts.unlogged),
    );
    const copy = client.query(
      copyFrom(`COPY bench.${table} (${columns}) FROM STDIN WITH (FORMAT csv, FREEZE true)`),
    );
    const stream = workloadStream(opts, table, { header: false });
    await pipeline(stream, copy);
    await client.query("COMMIT");
    return { rows: copy.rowCount, generated: stream.rows, seconds: now() - t };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  }
}

async function runAll(client: pg.Client, statements: readonly string[]): Promise<void> {
  for (const sql of statements) await client.query(sql);
}

export async function loadDatabase(
  connectionString: string,
  opts: DbLoadOptions,
  report: Reporter = () => {},
): Promise<Measurement[]> {
  const out: Measurement[] = [];
  const emit = (m: Measurement): void => {
    report(m);
    out.push(m);
  };
  const a = await connect(connectionString);
  let b: pg.Client | undefined;
  try {
    b = await connect(connectionString);
    const bClient = b;
    const t0 = now();

    let t = now();
    await a.query(SCHEMA_SQL);
    const area = a.query(copyFrom("COPY bench.area FROM STDIN WITH (FORMAT csv, HEADER true)"));
    await pipeline(
      (async function* () {
        yield Buffer.from(gazetteerCsv(), "utf8");
      })(),
      area,
    );
    emit({ target: "db", step: `schema (+${area.rowCount} areas)`, seconds: now() - t });

    t = now();
    const copyOne = async (client: pg.Client, table: WorkloadTable): Promise<void> => {
      const r = await copyTable(client, opts, table);
      if (r.rows !== r.generated) {
        throw new Error(`COPY bench.${table} stored ${r.rows} rows but ${r.generated} were generated`);
      }
      emit({ target: "db", step: `copy ${table}`, rows: r.rows, seconds: r.seconds });
    };
    if (opts.sequential) {
      await copyOne(a, "household");
      await copyOne(a, "individual");
    } else {
      await Promise.all([copyOne(a, "household"), copyOne(bClient, "individual")]);
    }
    const copied = out.filter((m) => m.step.startsWith("copy ")).reduce((s, m) => s + (m.rows ?? 0), 0);
    emit({
      target: "db",
      step: opts.sequential ? "copy (sequential)" : "copy (concurrent)",
      rows: copied,
      seconds: now() - t,
    });

    if (!opts.skipIndexes) {
      t = now();
      await Promise.all([runAll(a, HOUSEHOLD_INDEX_SQL), runAll(bClient, INDIVIDUAL_INDEX_SQL)]);
      emit({ target: "db", step: "keys + indexes", seconds: now() - t });

      t = now();
      await runAll(a, FOREIGN_KEY_SQL);
      emit({ target: "db", step: "foreign keys", seconds: now() - t });

      t = now();
      await Promise.all([
        a.query("ANALYZE bench.household, bench.area"),
        bClient.query("ANALYZE bench.individual"),
      ]);
      emit({ target: "db", step: "analyze", seconds: now() - t });
    }
    emit({ target: "db", step: "total", rows: copied, seconds: now() - t0 });
    return out;
  } finally {
    await Promise.allSettled([a.end(), b?.end()]);
  }
}

/** DATABASE_URL-style connection string for another database on the same server. */
export function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}
