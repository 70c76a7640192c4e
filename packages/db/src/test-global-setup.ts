// Vitest global setup shared by the packages whose tests use PostgreSQL:
// builds the migrated template database once per run.
import { ensureTemplate } from "./testing.ts";

export default async function setup(): Promise<void> {
  await ensureTemplate();
}
