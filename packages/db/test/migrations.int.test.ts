import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "../src/cli/prisma.ts";
import { withDatabase } from "../src/connection.ts";
import { applyMigrations } from "../src/migrations.ts";
import { createTestDatabase, testServerUrl, withClient, type TestDatabase } from "../src/testing.ts";
import { tenantRlsStatements } from "../src/tenancy-sql.ts";

const schemaPath = fileURLToPath(new URL("../../../prisma/schema.prisma", import.meta.url));

/** Tables, columns, indexes, keys, foreign keys and enums: what Prisma's schema describes (CHECKs are hand-written SQL). */
const SHAPE_SQL = `
SELECT 'column' AS kind, table_name || '.' || column_name || ' ' || data_type || ' ' || coalesce(character_maximum_length::text, '')
       || ' ' || coalesce(datetime_precision::text, '') || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS item
  FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_migration'
UNION ALL
SELECT 'index', indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'schema_migration'
UNION ALL
SELECT 'constraint', conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
  FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid <> 0 AND contype <> 'c'
   AND conrelid::regclass::text <> 'schema_migration'
UNION ALL
SELECT 'enum', t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
  FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname
ORDER BY 1, 2`;

describe("migrations", () => {
  let migrated: TestDatabase;
  let fromSchema: string;
  beforeAll(async () => {
    migrated = await createTestDatabase();
    fromSchema = `pbms_drift_${process.pid}`;
    await withClient(testServerUrl(), (c) => c.query(`CREATE DATABASE ${fromSchema}`));
  });
  afterAll(async () => {
    await migrated?.drop();
    await withClient(testServerUrl(), (c) => c.query(`DROP DATABASE IF EXISTS ${fromSchema} WITH (FORCE)`));
  });

  it("produce exactly the tables, columns, indexes and constraints of schema.prisma (no drift)", async () => {
    const url = withDatabase(testServerUrl(), fromSchema);
    const sql = prisma(["migrate", "diff", "--from-empty", "--to-schema-datamodel", schemaPath, "--script"], {
      MIGRATION_DATABASE_URL: url,
    });
    await withClient(url, (c) => c.query(sql));
    const shape = (u: string) =>
      withClient(u, async (c) => (await c.query(SHAPE_SQL)).rows.map((r) => `${r.kind} ${r.item}`));
    expect(await shape(migrated.ownerUrl)).toEqual(await shape(url));
  }, 120_000); // `prisma migrate diff` starts a schema engine: slow on a busy machine

  it("refuse to run when an applied migration was edited", async () => {
    await withClient(migrated.ownerUrl, (c) =>
      c.query(
        "UPDATE schema_migration SET checksum = 'edited' WHERE name = (SELECT min(name) FROM schema_migration)",
      ),
    );
    await expect(applyMigrations(migrated.ownerUrl)).rejects.toThrow(/edited after it was applied/);
  });
});

describe("tenantRlsStatements", () => {
  it("adds a policy call only for new tables that have a tenant_id column", () => {
    const sql = `CREATE TABLE "registrant" (\n    "id" UUID NOT NULL,\n    "tenant_id" UUID NOT NULL\n);\n\nCREATE TABLE "country" (\n    "code" TEXT NOT NULL\n);`;
    expect(tenantRlsStatements(sql)).toEqual([`SELECT app_enable_tenant_rls('"registrant"');`]);
  });
});
