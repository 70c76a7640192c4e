// Starts the real thing for a test file: a fresh database cloned from the
// migrated template, the local OpenID provider, and the API over HTTP.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb } from "@pbms/db";
import { createTestDatabase, withClient, type TestDatabase } from "@pbms/db/testing";
import { startIdp, type IdpOptions, type RunningIdp } from "@pbms/idp";
import { Browser, signIn } from "@pbms/idp/testing";
import { createApi, createLogger, JobWorker, loadEnv } from "../src/index.ts";
import { createStorage } from "../src/storage/create.ts";
import "../src/modules/jobs/types/index.ts";

export interface GqlResponse<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: {
    message: string;
    path?: string[];
    extensions?: { code?: string; field?: string; [k: string]: unknown };
  }[];
}

export interface Harness {
  database: TestDatabase;
  idp: RunningIdp;
  url: string;
  /** The local storage directory the API keeps files in (STORAGE_DIR). */
  storageDir: string;
  worker: JobWorker;
  /** Uploads a file through POST /files. */
  upload(
    token: string,
    fileName: string,
    content: string,
    contentType?: string,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  clientToken(clientId: string, secret: string): Promise<string>;
  userToken(username: string, password?: string): Promise<string>;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GqlResponse<T>>;
  /** Runs SQL as the table owner (no row-level security for superusers): for arranging and checking. */
  sql<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

export async function startHarness(
  options: { idp?: IdpOptions; env?: Record<string, string> } = {},
): Promise<Harness> {
  const database = await createTestDatabase();
  const idp = await startIdp({ port: 0, log: () => undefined, ...options.idp });
  const storageDir = await mkdtemp(join(tmpdir(), "pbms-files-"));
  const env = loadEnv({
    NODE_ENV: "test",
    STORAGE_DIR: storageDir,
    DATABASE_URL: database.appUrl,
    OIDC_ISSUER: idp.issuer,
    LOG_LEVEL: "silent",
    ...options.env,
  });
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
  const db = createDb(database.appUrl, { max: 5 });
  const storage = createStorage(env);
  const api = await createApi({ env, db, log, storage });
  const running = await api.listen(0, "127.0.0.1");
  const worker = new JobWorker(db, log, {
    databaseUrl: database.appUrl,
    storage,
    listen: false,
  });
  const tokens = new Map<string, string>();

  return {
    database,
    idp,
    url: running.url,
    storageDir: env.STORAGE_DIR,
    worker,
    async clientToken(clientId, secret) {
      const res = await fetch(idp.tokenEndpoint, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`,
        },
        body: new URLSearchParams({ grant_type: "client_credentials" }),
      });
      const body = (await res.json()) as { access_token?: string; error?: string };
      if (!body.access_token) throw new Error(`no token for ${clientId}: ${body.error}`);
      return body.access_token;
    },
    async userToken(username, password = "demo") {
      const key = `${username}:${password}`;
      const cached = tokens.get(key);
      if (cached) return cached;
      const { body } = await signIn(new Browser(), idp.issuer, username, password);
      const access_token = body.access_token;
      if (!access_token) throw new Error(`${username} could not sign in: ${body.error}`);
      tokens.set(key, access_token);
      return access_token;
    },
    async gql(query, variables, token) {
      const res = await fetch(`${running.url}/graphql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as Omit<GqlResponse, "status">;
      return { status: res.status, ...body } as GqlResponse<never>;
    },
    async upload(token, fileName, content, contentType = "text/csv") {
      const res = await fetch(`${running.url}/files?purpose=IMPORT`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": contentType,
          "x-file-name": encodeURIComponent(fileName),
        },
        body: content,
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    sql: (text, params) => withClient(database.ownerUrl, async (c) => (await c.query(text, params)).rows),
    async close() {
      await worker.stop().catch(() => undefined);
      await running.close();
      await db.$disconnect();
      await idp.close();
      await database.drop();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}
