import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadEnv } from "../env.ts";
import { createStorage } from "./create.ts";
import { chunked, readAll } from "./storage.contract.ts";

const base = { DATABASE_URL: "postgresql://pbms@127.0.0.1/pbms" };

describe("storage configuration", () => {
  it("defaults to local disk under STORAGE_DIR", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pbms-create-"));
    try {
      const env = loadEnv({ ...base, STORAGE_DIR: dir });
      expect(env.STORAGE_DRIVER).toBe("local");

      const stored = await createStorage(env).put("tenant", chunked(Buffer.from("local")), 100);

      expect(await readdir(join(dir, "tenant"))).toHaveLength(1);
      expect((await readAll(createStorage(env).get(stored.key))).toString()).toBe("local");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reads the S3 settings, treating empty values as unset", () => {
    const env = loadEnv({
      ...base,
      STORAGE_DRIVER: "s3",
      S3_BUCKET: "pbms-files",
      S3_ENDPOINT: "",
      S3_ACCESS_KEY_ID: "",
      S3_SECRET_ACCESS_KEY: "",
      S3_KEY_PREFIX: "",
    });

    expect(env).toMatchObject({
      STORAGE_DRIVER: "s3",
      S3_BUCKET: "pbms-files",
      S3_ENDPOINT: undefined,
      S3_REGION: "us-east-1",
      S3_ACCESS_KEY_ID: undefined,
      S3_FORCE_PATH_STYLE: false,
      S3_KEY_PREFIX: "",
    });
    expect(loadEnv({ ...base, S3_FORCE_PATH_STYLE: "true" }).S3_FORCE_PATH_STYLE).toBe(true);
  });

  it("refuses STORAGE_DRIVER=s3 without a bucket, listing every problem at once", () => {
    expect(() =>
      loadEnv({ STORAGE_DRIVER: "s3", S3_ACCESS_KEY_ID: "key", S3_FORCE_PATH_STYLE: "maybe" }),
    ).toThrow(
      /DATABASE_URL: .*S3_FORCE_PATH_STYLE: .*S3_BUCKET: required when STORAGE_DRIVER=s3; S3_SECRET_ACCESS_KEY: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are set together/,
    );
  });

  it("refuses an unknown driver, a malformed endpoint and a key prefix that climbs out", () => {
    expect(() => loadEnv({ ...base, STORAGE_DRIVER: "gcs" })).toThrow(/STORAGE_DRIVER/);
    expect(() =>
      loadEnv({ ...base, STORAGE_DRIVER: "s3", S3_BUCKET: "b1x", S3_ENDPOINT: "s3.example.org" }),
    ).toThrow(/S3_ENDPOINT/);
    expect(() => loadEnv({ ...base, S3_KEY_PREFIX: "../elsewhere/" })).toThrow(/S3_KEY_PREFIX/);
  });

  it("builds no S3 adapter from an environment that loadEnv would refuse", () => {
    const env = loadEnv(base);

    expect(() => createStorage({ ...env, STORAGE_DRIVER: "s3" })).toThrow("S3_BUCKET is required");
    expect(() =>
      createStorage({ ...env, STORAGE_DRIVER: "s3", S3_BUCKET: "pbms", S3_ACCESS_KEY_ID: "key" }),
    ).toThrow("set together");
  });
});
