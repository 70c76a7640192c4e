import { z } from "zod";

const list = z.string().transform((s) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean),
);

/** An optional variable; an empty value counts as unset (as compose passes `${VAR:-}`). */
const optional = <T extends z.ZodType>(type: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), type.optional());

const variables = z.object({
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
  /** Where uploads and documents are kept: `local` (STORAGE_DIR) or `s3` (S3_* below). */
  STORAGE_DRIVER: z.enum(["local", "s3"]).default("local"),
  /** Where uploaded files are kept (local-disk storage). */
  STORAGE_DIR: z.string().default(".pbms/files"),
  /** Bucket of the S3-compatible storage; required when STORAGE_DRIVER=s3. */
  S3_BUCKET: optional(z.string().min(3)),
  /** Endpoint of a service other than AWS S3 (Ceph RGW, MinIO, Garage…), e.g. https://s3.example.org. */
  S3_ENDPOINT: optional(z.url({ protocol: /^https?$/ })),
  S3_REGION: z.string().min(1).default("us-east-1"),
  /** Static credentials; when both are unset the AWS SDK's default chain applies (AWS_* variables, web identity, instance role). */
  S3_ACCESS_KEY_ID: optional(z.string().min(1)),
  S3_SECRET_ACCESS_KEY: optional(z.string().min(1)),
  /** Address objects as <endpoint>/<bucket>/<key>; most self-hosted services need it. */
  S3_FORCE_PATH_STYLE: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** Put before every object key, e.g. `pbms/` when the bucket is shared. */
  S3_KEY_PREFIX: z
    .string()
    .default("")
    .refine((p) => !p.startsWith("/") && !p.split("/").some((s) => s === "." || s === ".."), {
      message: "must be a relative path such as pbms/",
    }),
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

// Checked even when other variables are wrong, so that every problem is listed at once.
const schema = variables.superRefine(
  (env, ctx) => {
    if (env.STORAGE_DRIVER !== "s3") return;
    if (!env.S3_BUCKET)
      ctx.addIssue({ code: "custom", path: ["S3_BUCKET"], message: "required when STORAGE_DRIVER=s3" });
    if (!env.S3_ACCESS_KEY_ID !== !env.S3_SECRET_ACCESS_KEY)
      ctx.addIssue({
        code: "custom",
        path: [env.S3_ACCESS_KEY_ID ? "S3_SECRET_ACCESS_KEY" : "S3_ACCESS_KEY_ID"],
        message: "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are set together or not at all",
      });
  },
  { when: () => true },
);

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
