// Applies prisma/migrations to MIGRATION_DATABASE_URL (or DATABASE_URL), then
// lets the login roles listed in APP_DB_ROLES act as the application role.
import { migrationDatabaseUrl } from "../connection.ts";
import { applyMigrations } from "../migrations.ts";

const roles = (process.env.APP_DB_ROLES ?? "")
  .split(",")
  .map((r) => r.trim())
  .filter(Boolean);
const applied = await applyMigrations(migrationDatabaseUrl(), { appRoles: roles });
process.stdout.write(applied.length ? `applied ${applied.join(", ")}\n` : "database is up to date\n");
