// Test database helpers: one migrated template per migration set, and a fresh
// database cloned from it for each test file (cloning takes milliseconds).
import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { withDatabase } from "./connection.ts";
import { applyMigrations, readMigrations } from "./migrations.ts";
import { seedDemo } from "./seed.ts";

/** Login role the API uses in tests: member of pbms_app, owns nothing. */
export const APP_ROLE = { user: "pbms_api", password: "pbms_api" } as const;

/** The server tests run against: TEST_DATABASE_URL, else DATABASE_URL (any database on it). */
export function testServerUrl(): string {
  const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) {
    throw new Error("No test database: run `npm test` at the repository root, or set TEST_DATABASE_URL");
  }
  return url;
}

/** Creates the application login role if missing (cluster-wide). */
export async function ensureAppRole(adminUrl: string): Promise<void> {
  await withClient(adminUrl, async (c) => {
    await c.query("SELECT pg_advisory_lock(7407031002)");
    try {
      const exists = await c.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [APP_ROLE.user]);
      if (!exists.rowCount) {
        await c.query(`CREATE ROLE ${APP_ROLE.user} LOGIN PASSWORD '${APP_ROLE.password}'`);
      }
    } finally {
      await c.query("SELECT pg_advisory_unlock(7407031002)");
    }
  });
}

/** Name of the template database for the repository's current migrations and demo seed. */
export async function templateName(): Promise<string> {
  const hash = createHash("sha256");
  for (const m of await readMigrations()) hash.update(m.name).update(m.checksum);
  for (const file of ["seed.ts", "seed-registry.ts"])
    hash.update(await readFile(new URL(file, import.meta.url)));
  return `pbms_tpl_${hash.digest("hex").slice(0, 12)}`;
}

/**
 * Makes sure a migrated, seeded template database exists on the server.
 * Safe to call from several processes at once.
 */
export async function ensureTemplate(adminUrl: string = testServerUrl()): Promise<string> {
  await ensureAppRole(adminUrl);
  const name = await templateName();
  await withClient(adminUrl, async (c) => {
    await c.query("SELECT pg_advisory_lock(7407031003)");
    try {
      const exists = await c.query("SELECT datistemplate FROM pg_database WHERE datname = $1", [name]);
      if (exists.rows[0]?.datistemplate) return;
      if (exists.rowCount) await c.query(`DROP DATABASE ${name}`);
      await c.query(`CREATE DATABASE ${name}`);
      const url = withDatabase(adminUrl, name);
      await applyMigrations(url, { appRoles: [APP_ROLE.user] });
      await seedDemo(url);
      await c.query(`ALTER DATABASE ${name} WITH is_template true ALLOW_CONNECTIONS false`);
    } finally {
      await c.query("SELECT pg_advisory_unlock(7407031003)");
    }
  });
  return name;
}

export interface TestDatabase {
  name: string;
  /** Owner (migration) connection: bypasses nothing but owns the tables. */
  ownerUrl: string;
  /** Application connection as pbms_api: row-level security applies. */
  appUrl: string;
  drop(): Promise<void>;
}

/** Creates a fresh database cloned from the migrated template. */
export async function createTestDatabase(adminUrl: string = testServerUrl()): Promise<TestDatabase> {
  const template = await ensureTemplate(adminUrl);
  const name = `pbms_t_${randomBytes(6).toString("hex")}`;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  const ownerUrl = withDatabase(adminUrl, name);
  const app = new URL(ownerUrl);
  app.username = APP_ROLE.user;
  app.password = APP_ROLE.password;
  return {
    name,
    ownerUrl,
    appUrl: app.toString(),
    drop: () =>
      withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

/** Runs `fn` with a connected client and always closes it. */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Appends a Luhn check digit (the demo NATIONAL_ID type checks it), as the demo seed does. */
export { withLuhnDigit } from "./seed-registry.ts";
