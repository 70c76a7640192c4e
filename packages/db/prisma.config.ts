// Prisma CLI configuration. The JavaScript schema engine and the pg driver
// adapter let `prisma generate`, `migrate diff` and `migrate deploy` run
// without Prisma's native engine downloads.
import { PrismaPg } from "@prisma/adapter-pg-migrate";
import { defineConfig } from "prisma/config";
import { connectionFields, migrationDatabaseUrl } from "./src/connection.ts";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "../../prisma/schema.prisma",
  adapter: async () => new PrismaPg(connectionFields(migrationDatabaseUrl())),
});
