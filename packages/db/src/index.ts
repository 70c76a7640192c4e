export { Prisma, PrismaClient } from "./generated/prisma/client.ts";
export * from "./generated/prisma/enums.ts";
export type {
  AttributeDefinition,
  AuditEvent,
  Department,
  FinancialAddress,
  GeoZone,
  GroupMembership,
  IdType,
  Job,
  JobOutput,
  MembershipKind,
  Phone,
  Registrant,
  RegistrantIdentifier,
  UserProfile,
} from "./generated/prisma/client.ts";
export { createDb, inTenant, type Db, type Tx, type TenantScope } from "./client.ts";
export { connectionFields, migrationDatabaseUrl, withDatabase } from "./connection.ts";
export { applyMigrations, pendingMigrations, readMigrations } from "./migrations.ts";
export { tenantRlsStatements } from "./tenancy-sql.ts";
export { seedDemo, DEMO_DEPARTMENTS } from "./seed.ts";
