import { z } from "zod";

const list = z.string().transform((s) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean),
);

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** Application connection: a login role that is a member of pbms_app and owns no table. */
  DATABASE_URL: z.string().url(),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  WORKER_PORT: z.coerce.number().int().min(0).max(65535).default(4001),
  /** Issuer of accepted tokens, e.g. https://id.example.org/realms/pbms */
  OIDC_ISSUER: z.string().url().default("http://localhost:8080/realms/pbms"),
  /** Audience every accepted access token must carry. */
  OIDC_AUDIENCE: z.string().min(1).default("pbms-api"),
  /** Where to fetch signing keys; defaults to Keycloak's path under the issuer. */
  OIDC_JWKS_URL: z.string().url().optional(),
  /** Browser origins allowed to call the API. */
  CORS_ORIGINS: z.string().default("http://localhost:5173").pipe(list),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Largest accepted request body. */
  BODY_LIMIT: z.string().default("1mb"),
  /** Where uploaded files are kept (local-disk storage). */
  STORAGE_DIR: z.string().default(".pbms/files"),
  /** Largest accepted upload. */
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(512 * 1024 * 1024),
  /** Largest accepted document attached to a registrant. */
  DOCUMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().positive().default(12),
  GRAPHQL_MAX_COST: z.coerce.number().int().positive().default(5000),
});

export type Env = z.infer<typeof schema>;

/** Reads and validates the environment once; fails fast with every problem listed. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`invalid environment: ${problems}`);
  }
  return parsed.data;
}

export function jwksUrl(env: Pick<Env, "OIDC_ISSUER" | "OIDC_JWKS_URL">): string {
  return env.OIDC_JWKS_URL ?? `${env.OIDC_ISSUER}/protocol/openid-connect/certs`;
}
