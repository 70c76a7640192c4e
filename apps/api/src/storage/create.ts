import type { Env } from "../env.ts";
import { s3Storage } from "./s3.ts";
import { localStorage, type Storage } from "./storage.ts";

export type StorageEnv = Pick<
  Env,
  | "STORAGE_DRIVER"
  | "STORAGE_DIR"
  | "S3_BUCKET"
  | "S3_ENDPOINT"
  | "S3_REGION"
  | "S3_ACCESS_KEY_ID"
  | "S3_SECRET_ACCESS_KEY"
  | "S3_FORCE_PATH_STYLE"
  | "S3_KEY_PREFIX"
>;

/** The storage adapter the environment selects (STORAGE_DRIVER). */
export function createStorage(env: StorageEnv): Storage {
  if (env.STORAGE_DRIVER === "local") return localStorage(env.STORAGE_DIR);
  // loadEnv has checked these; the checks here are for hand-made environments.
  if (!env.S3_BUCKET) throw new Error("S3_BUCKET is required when STORAGE_DRIVER=s3");
  if (!env.S3_ACCESS_KEY_ID !== !env.S3_SECRET_ACCESS_KEY)
    throw new Error("S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are set together or not at all");
  return s3Storage({
    bucket: env.S3_BUCKET,
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    credentials:
      env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY }
        : undefined,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    keyPrefix: env.S3_KEY_PREFIX,
  });
}
