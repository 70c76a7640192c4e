// Seeds the demo departments (idempotent; refuses in production).
import { migrationDatabaseUrl } from "../connection.ts";
import { seedDemo } from "../seed.ts";

const { departmentsCreated } = await seedDemo(migrationDatabaseUrl());
process.stdout.write(`seeded: ${departmentsCreated} department(s) created\n`);
