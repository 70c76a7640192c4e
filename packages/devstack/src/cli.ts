// The repository's two entry points (see README): `npm start` and `npm test`,
// plus the browser tests (`npm run e2e`). Runs after scripts/pbms.mjs has
// installed the workspace.
import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { DEMO_CLIENTS, DEMO_PASSWORD, DEMO_USERS } from "@pbms/idp";
import { withDatabase } from "@pbms/db";
import { withClient } from "@pbms/db/testing";
import { openServer, prepareDatabase, repoRoot } from "./database.ts";
import { portsFromEnv, startStack } from "./stack.ts";

const out = (s = "") => process.stdout.write(`${s}\n`);
const [command = "start"] = process.argv.slice(2);

async function start(): Promise<void> {
  out("Preparing the database…");
  const db = await prepareDatabase({
    url: process.env.DATABASE_URL,
    port: Number(process.env.PBMS_DB_PORT ?? 5433),
    seed: true,
  });
  let stack: Awaited<ReturnType<typeof startStack>>;
  try {
    stack = await startStack({ appDatabaseUrl: db.appUrl, ports: portsFromEnv(), admin: "dev" });
  } catch (error) {
    await db.stop();
    out(`\nPBMS could not start: ${(error as Error).message}`);
    process.exit(1);
  }
  const users = DEMO_USERS.map(
    (u) => `    ${u.username.padEnd(16)} ${u.roles.join(", ").padEnd(16)} department ${u.tenant}`,
  );
  const clients = DEMO_CLIENTS.filter((c) => c.secret).map(
    (c) => `    ${c.clientId} / ${c.secret}  (${c.roles.join(", ")}, department ${c.tenant})`,
  );
  out(`
┌──────────────────────────────────────────────────────────────────────┐
  PBMS is running
    Admin app        ${stack.urls.admin}
    GraphQL API      ${stack.urls.api}
    Identity (OIDC)  ${stack.urls.issuer}
    Database         ${db.embedded ? "embedded PostgreSQL, data in .pbms/pgdata" : "DATABASE_URL"}

  Open the admin app and sign in with one of these (password: ${DEMO_PASSWORD}):
${users.join("\n")}

  Integrator clients (client-credentials grant at ${stack.urls.issuer}/protocol/openid-connect/token):
${clients.join("\n")}

  Press Ctrl-C to stop.
└──────────────────────────────────────────────────────────────────────┘`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    out("\nStopping…");
    await stack.stop();
    await db.stop();
    out("Stopped.");
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

/** Runs every unit and integration test against real PostgreSQL and prints the pass/fail count. */
async function test(extra: string[]): Promise<number> {
  const server = await openServer(
    process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL,
    "pgtest",
    Number(process.env.PBMS_TEST_DB_PORT ?? 5434),
  );
  try {
    const report = `${repoRoot}test-results/vitest.json`;
    const result = spawnSync(
      `${repoRoot}node_modules/.bin/vitest`,
      ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...extra],
      { cwd: repoRoot, stdio: "inherit", env: { ...process.env, TEST_DATABASE_URL: server.url } },
    );
    const summary = await readFile(report, "utf8")
      .then(
        (s) => JSON.parse(s) as { numPassedTests: number; numFailedTests: number; numPendingTests: number },
      )
      .catch(() => undefined);
    if (summary) {
      out(
        `\nTests: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${summary.numPendingTests} skipped`,
      );
    }
    return result.status ?? 1;
  } finally {
    await server.stop();
  }
}

/** Builds the SPA, starts the whole stack on a fresh database and drives it in Chromium. */
async function e2e(extra: string[]): Promise<number> {
  const server = await openServer(
    process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL,
    "pgtest",
    Number(process.env.PBMS_TEST_DB_PORT ?? 5434),
  );
  const name = "pbms_e2e";
  await withClient(server.url, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  const ports = portsFromEnv({}, { api: 14000, worker: 14001, idp: 18080, admin: 15173 });
  let stack: Awaited<ReturnType<typeof startStack>> | undefined;
  try {
    const build = spawnSync(
      `${repoRoot}node_modules/.bin/turbo`,
      ["run", "build", "--filter=@pbms/admin", "--output-logs=errors-only"],
      {
        cwd: repoRoot,
        stdio: "inherit",
      },
    );
    if (build.status !== 0) return build.status ?? 1;
    const db = await prepareDatabase({ url: withDatabase(server.url, name), port: 0, seed: true });
    stack = await startStack({ appDatabaseUrl: db.appUrl, ports, admin: "preview", logLevel: "warn" });
    const result = spawnSync(
      `${repoRoot}node_modules/.bin/vitest`,
      [
        "run",
        "--config",
        "apps/admin/vitest.e2e.config.ts",
        "--reporter=default",
        "--reporter=json",
        `--outputFile.json=${repoRoot}test-results/e2e.json`,
        ...extra,
      ],
      {
        cwd: repoRoot,
        stdio: "inherit",
        env: {
          ...process.env,
          PBMS_E2E_ADMIN_URL: stack.urls.admin,
          PBMS_E2E_API_URL: stack.urls.api,
          PBMS_E2E_ISSUER: stack.urls.issuer,
        },
      },
    );
    return result.status ?? 1;
  } finally {
    await stack?.stop();
    await server.stop();
  }
}

switch (command) {
  case "start":
    await start();
    break;
  case "test":
    process.exit(await test(process.argv.slice(3)));
    break;
  case "e2e":
    process.exit(await e2e(process.argv.slice(3)));
    break;
  default:
    out(`unknown command ${command}; use start, test or e2e`);
    process.exit(2);
}
