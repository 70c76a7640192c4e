import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { applyMigrations, seedDemo, withDatabase } from "@pbms/db";
import { startEmbeddedPostgres } from "./embedded.ts";
import { APP_ROLE, ensureAppRole, withClient } from "@pbms/db/testing";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export interface Database {
  /** Server-level (owner) URL; the product database is `pbms` unless the URL names another. */
  ownerUrl: string;
  /** The API's URL: the pbms_api login role, subject to row-level security. */
  appUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * Uses `url` when given, else starts the embedded server whose data lives in
 * `.pbms/<name>` (git-ignored), so a restart keeps the data.
 */
export async function openServer(url: string | undefined, name: string, port: number) {
  if (url) return { url, embedded: false, stop: async () => undefined };
  const dir = `${repoRoot}.pbms/${name}`;
  await mkdir(`${repoRoot}.pbms`, { recursive: true });
  const server = await startEmbeddedPostgres({ dir, port });
  return { url: server.url, embedded: true, stop: server.stop };
}

/** Opens the product database: creates it if missing, migrates, creates the app role, seeds demo data. */
export async function prepareDatabase(options: {
  url?: string | undefined;
  port: number;
  seed: boolean;
}): Promise<Database> {
  const server = await openServer(options.url, "pgdata", options.port);
  const ownerUrl = server.embedded ? withDatabase(server.url, "pbms") : server.url;
  if (server.embedded) {
    await withClient(server.url, async (c) => {
      const exists = await c.query("SELECT 1 FROM pg_database WHERE datname = 'pbms'");
      if (!exists.rowCount) await c.query("CREATE DATABASE pbms");
    });
  }
  await ensureAppRole(ownerUrl);
  await applyMigrations(ownerUrl, { appRoles: [APP_ROLE.user] });
  if (options.seed) await seedDemo(ownerUrl);
  const app = new URL(process.env.APP_DATABASE_URL ?? ownerUrl);
  if (!process.env.APP_DATABASE_URL) {
    app.username = APP_ROLE.user;
    app.password = APP_ROLE.password;
  }
  return { ownerUrl, appUrl: app.toString(), embedded: server.embedded, stop: server.stop };
}
