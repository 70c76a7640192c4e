import type { ChildProcess } from "node:child_process";
import { repoRoot } from "./database.ts";
import { run, stopAll, waitFor } from "./processes.ts";

export interface Ports {
  api: number;
  worker: number;
  idp: number;
  admin: number;
}

export function portsFromEnv(env: NodeJS.ProcessEnv = process.env, base?: Partial<Ports>): Ports {
  return {
    api: Number(env.API_PORT ?? base?.api ?? 4000),
    worker: Number(env.WORKER_PORT ?? base?.worker ?? 4001),
    idp: Number(env.IDP_PORT ?? base?.idp ?? 8080),
    admin: Number(env.ADMIN_PORT ?? base?.admin ?? 5173),
  };
}

export interface StackUrls {
  admin: string;
  api: string;
  issuer: string;
}

export function urlsFor(ports: Ports): StackUrls {
  return {
    admin: `http://localhost:${ports.admin}`,
    api: `http://localhost:${ports.api}/graphql`,
    issuer: `http://localhost:${ports.idp}/realms/pbms`,
  };
}

const bin = (pkg: string, name: string) => `${repoRoot}${pkg}/node_modules/.bin/${name}`;

/**
 * Starts the identity provider, the API, a job worker and the admin app as
 * child processes; resolves once all answer. `admin: "preview"` serves the
 * built SPA instead of the dev server.
 */
export async function startStack(options: {
  appDatabaseUrl: string;
  ports: Ports;
  admin: "dev" | "preview";
  logLevel?: string;
}): Promise<{ urls: StackUrls; stop(): Promise<void> }> {
  const { ports } = options;
  const urls = urlsFor(ports);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: options.appDatabaseUrl,
    API_PORT: String(ports.api),
    WORKER_PORT: String(ports.worker),
    IDP_PORT: String(ports.idp),
    ADMIN_PORT: String(ports.admin),
    ADMIN_ORIGINS: urls.admin,
    OIDC_ISSUER: urls.issuer,
    CORS_ORIGINS: urls.admin,
    PBMS_API_URL: urls.api,
    PBMS_OIDC_URL: `http://localhost:${ports.idp}`,
    LOG_LEVEL: options.logLevel ?? process.env.LOG_LEVEL ?? "info",
  };
  const tsx = bin("packages/devstack", "tsx");
  const children: ChildProcess[] = [];
  let stopping = false;
  const stop = () => {
    stopping = true;
    return stopAll(children);
  };
  try {
    // Each app runs from its own folder so tsx reads its tsconfig (decorators).
    children.push(run("idp", tsx, ["src/main.ts"], { cwd: `${repoRoot}apps/idp`, env }));
    await untilExit(children, waitFor(`${urls.issuer}/.well-known/openid-configuration`));
    children.push(run("api", tsx, ["src/main.ts"], { cwd: `${repoRoot}apps/api`, env }));
    children.push(run("worker", tsx, ["src/main.ts", "--worker"], { cwd: `${repoRoot}apps/api`, env }));
    const vite = bin("apps/admin", "vite");
    children.push(
      run(
        "admin",
        vite,
        options.admin === "dev"
          ? ["--port", String(ports.admin)]
          : ["preview", "--port", String(ports.admin)],
        {
          cwd: `${repoRoot}apps/admin`,
          env,
        },
      ),
    );
    await untilExit(
      children,
      Promise.all([
        waitFor(`http://localhost:${ports.api}/readyz`),
        waitFor(`http://localhost:${ports.worker}/healthz`),
        waitFor(`${urls.admin}/`),
      ]),
    );
    for (const child of children) {
      child.once("exit", (code, signal) => {
        if (!stopping && code !== 0 && signal === null)
          process.stdout.write(`a process of the stack exited with code ${code}\n`);
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { urls, stop };
}

/** Resolves with `ready`, or rejects as soon as one of the children exits first. */
function untilExit<T>(children: ChildProcess[], ready: Promise<T>): Promise<T> {
  return Promise.race([
    ready,
    ...children.map(
      (child) =>
        new Promise<never>((_, reject) =>
          child.once("exit", (code) =>
            reject(new Error(`${child.spawnargs.join(" ")} exited with code ${code} while starting`)),
          ),
        ),
    ),
  ]);
}
