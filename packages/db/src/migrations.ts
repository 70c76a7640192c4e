import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import pg from "pg";

/** Folder holding one sub-folder per migration (`<timestamp>_<name>/migration.sql`), applied in name order. */
export const migrationsDir = new URL("../../../prisma/migrations/", import.meta.url);

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/** The migrations in the repository, oldest first. */
export async function readMigrations(): Promise<Migration[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(new URL(`${name}/migration.sql`, migrationsDir), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

const LOCK_KEY = 7_407_031_001; // pg_advisory lock id serialising concurrent migrators

/**
 * Applies pending migrations, each in its own transaction together with its
 * bookkeeping row, and refuses to run when an applied migration was edited.
 * Then lets the login roles in `appRoles` act as the application role.
 *
 * We apply the SQL ourselves rather than through `prisma migrate deploy`:
 * Prisma's offline (JavaScript) schema engine splits scripts on semicolons,
 * which breaks the dollar-quoted function bodies our tenancy SQL needs, and
 * does not wrap a migration in a transaction.
 */
export async function applyMigrations(url: string, options: { appRoles?: string[] } = {}): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query(`SELECT pg_advisory_lock(${LOCK_KEY})`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migration (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ name: string; checksum: string }>(
      "SELECT name, checksum FROM schema_migration",
    );
    const done = new Map(rows.map((r) => [r.name, r.checksum]));
    for (const m of await readMigrations()) {
      const checksum = done.get(m.name);
      if (checksum !== undefined) {
        if (checksum !== m.checksum) {
          throw new Error(
            `migration ${m.name} was edited after it was applied; write a new migration instead`,
          );
        }
        continue;
      }
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query("INSERT INTO schema_migration (name, checksum) VALUES ($1, $2)", [
          m.name,
          m.checksum,
        ]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${m.name} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(m.name);
    }
    for (const role of options.appRoles ?? []) {
      await client.query(`GRANT pbms_app TO ${pg.escapeIdentifier(role)}`);
    }
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`).catch(() => undefined);
    await client.end();
  }
  return applied;
}

/** Migrations of the repository not yet applied to the database behind `client`. */
export async function pendingMigrations(client: pg.ClientBase): Promise<string[]> {
  const exists = await client.query("SELECT to_regclass('schema_migration') IS NOT NULL AS ok");
  const names = (await readMigrations()).map((m) => m.name);
  if (!exists.rows[0]?.ok) return names;
  const { rows } = await client.query<{ name: string }>("SELECT name FROM schema_migration");
  const applied = new Set(rows.map((r) => r.name));
  return names.filter((n) => !applied.has(n));
}
