// The S3 adapter against a real S3-compatible server (./testing.ts says which).
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { randomBytes, randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEnv } from "../env.ts";
import { createStorage } from "./create.ts";
import { partSizeFor, s3Storage, type S3StorageOptions } from "./s3.ts";
import { chunked, describeStorageContract, failingAfter, readAll, sha256 } from "./storage.contract.ts";
import { TooLargeError, type Storage } from "./storage.ts";
import { s3TestServerPlan, type S3TestServer } from "./testing.ts";

const MiB = 1024 * 1024;
const plan = s3TestServerPlan();
const suite = "start" in plan ? describe : describe.skip;
const title = "start" in plan ? `S3 (${plan.description})` : `S3 (skipped: ${plan.skip})`;
if ("skip" in plan) process.stderr.write(`S3 storage tests skipped: ${plan.skip}\n`);

let server: S3TestServer;
let client: S3Client;
let options: S3StorageOptions;
let storage: Storage;
/** Every object of this run lives under this prefix of the bucket. */
const runPrefix = `pbms-test-${randomUUID()}/`;

/** Object keys under `prefix` (a key prefix of the bucket, not of the adapter). */
async function objectKeys(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: options.bucket, Prefix: prefix, ContinuationToken }),
    );
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken);
  return keys;
}

async function pendingUploads(prefix: string) {
  const page = await client.send(new ListMultipartUploadsCommand({ Bucket: options.bucket, Prefix: prefix }));
  return page.Uploads ?? [];
}

suite(title, () => {
  beforeAll(async () => {
    if (!("start" in plan)) return;
    server = await plan.start();
    client = new S3Client({
      endpoint: server.endpoint,
      region: server.region,
      forcePathStyle: server.forcePathStyle,
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    });
    const bucket = server.bucket ?? `pbms-test-${randomBytes(6).toString("hex")}`;
    if (!server.bucket) await client.send(new CreateBucketCommand({ Bucket: bucket }));
    options = {
      bucket,
      endpoint: server.endpoint,
      region: server.region,
      forcePathStyle: server.forcePathStyle,
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      keyPrefix: runPrefix,
    };
    storage = s3Storage(options);
  }, 180_000);

  afterAll(async () => {
    if (!server) return;
    try {
      for (const Key of await objectKeys(runPrefix))
        await client.send(new DeleteObjectCommand({ Bucket: options.bucket, Key }));
      if (!server.bucket) await client.send(new DeleteBucketCommand({ Bucket: options.bucket }));
    } finally {
      client.destroy();
      await server.stop();
    }
  }, 60_000);

  describeStorageContract("S3", () => ({
    storage,
    list: async (prefix) =>
      (await objectKeys(`${runPrefix}${prefix}/`)).map((k) => k.slice(runPrefix.length)),
  }));

  describe("S3 specifics", () => {
    it("uploads a multi-megabyte file as several multipart parts", async () => {
      const data = randomBytes(12 * MiB + 1);

      const stored = await storage.put(randomUUID(), chunked(data), 512 * MiB);

      const head = await client.send(
        new HeadObjectCommand({ Bucket: options.bucket, Key: runPrefix + stored.key }),
      );
      // A multipart object's ETag is "<md5 of the parts' md5s>-<number of parts>": 5 + 5 + 2 MiB.
      expect(head.ETag).toMatch(/-3"$/);
      expect(head.ContentLength).toBe(data.length);
      expect(stored.sha256).toBe(sha256(data));
      expect(sha256(await readAll(storage.get(stored.key)))).toBe(sha256(data));
    });

    it("sends parts while the body is still arriving (nothing is buffered whole)", async () => {
      const tenant = randomUUID();
      const prefix = `${runPrefix}${tenant}/`;
      let partSeenBeforeEnd = false;
      const body = Readable.from(
        (async function* () {
          yield* chunked(randomBytes(5 * MiB + 1));
          // Hold the rest back until the server has the first part.
          for (let i = 0; i < 200 && !partSeenBeforeEnd; i++) {
            for (const upload of await pendingUploads(prefix)) {
              const parts = await client.send(
                new ListPartsCommand({ Bucket: options.bucket, Key: upload.Key, UploadId: upload.UploadId }),
              );
              if (parts.Parts?.length) partSeenBeforeEnd = true;
            }
            if (!partSeenBeforeEnd) await sleep(100);
          }
          yield* chunked(randomBytes(MiB));
        })(),
        { objectMode: false },
      );

      const stored = await storage.put(tenant, body, 512 * MiB);

      expect(partSeenBeforeEnd).toBe(true);
      expect(stored.byteSize).toBe(6 * MiB + 1);
    });

    it("aborts the multipart upload of a file that turns out too large: no object, no parts", async () => {
      const tenant = randomUUID();
      const prefix = `${runPrefix}${tenant}/`;

      // Two parts are sent before the limit is passed.
      const put = storage.put(tenant, chunked(randomBytes(16 * MiB)), 11 * MiB);

      await expect(put).rejects.toBeInstanceOf(TooLargeError);
      expect(await objectKeys(prefix)).toEqual([]);
      expect(await pendingUploads(prefix)).toEqual([]);
    });

    it("aborts the multipart upload when the body breaks off after some parts", async () => {
      const tenant = randomUUID();
      const prefix = `${runPrefix}${tenant}/`;

      await expect(
        storage.put(tenant, failingAfter(11 * MiB, new Error("connection reset")), 512 * MiB),
      ).rejects.toThrow("connection reset");

      expect(await objectKeys(prefix)).toEqual([]);
      expect(await pendingUploads(prefix)).toEqual([]);
    });

    it("keeps objects under the key prefix, which the stored keys leave out", async () => {
      const stored = await storage.put("tenant-a", chunked(Buffer.from("hello")), 100);

      expect(stored.key).toMatch(/^tenant-a\/[0-9a-f-]{36}$/);
      expect(await objectKeys(`${runPrefix}tenant-a/`)).toEqual([runPrefix + stored.key]);
    });

    it("fails a put when the bucket does not exist, leaving nothing", async () => {
      const missing = s3Storage({ ...options, bucket: `pbms-missing-${randomBytes(6).toString("hex")}` });

      await expect(missing.put(randomUUID(), chunked(randomBytes(1000)), 10_000)).rejects.toMatchObject({
        name: "NoSuchBucket",
      });
    });

    it("is what createStorage returns for STORAGE_DRIVER=s3", async () => {
      const fromEnv = createStorage(
        loadEnv({
          DATABASE_URL: "postgresql://unused@127.0.0.1/unused",
          STORAGE_DRIVER: "s3",
          S3_BUCKET: options.bucket,
          S3_ENDPOINT: server.endpoint,
          S3_REGION: server.region,
          S3_ACCESS_KEY_ID: server.accessKeyId,
          S3_SECRET_ACCESS_KEY: server.secretAccessKey,
          S3_FORCE_PATH_STYLE: String(server.forcePathStyle),
          S3_KEY_PREFIX: runPrefix,
        }),
      );

      const stored = await fromEnv.put("tenant-b", chunked(Buffer.from("via env")), 100);

      expect((await readAll(storage.get(stored.key))).toString()).toBe("via env");
    });
  });
});

describe("S3 part size", () => {
  it("is S3's 5 MiB minimum up to 48 GiB files, larger beyond, at most 64 MiB", () => {
    expect(partSizeFor(10 * MiB)).toBe(5 * MiB);
    expect(partSizeFor(512 * MiB)).toBe(5 * MiB);
    expect(partSizeFor(100 * 1024 * MiB)).toBe(Math.ceil((100 * 1024 * MiB) / 10_000));
    expect(partSizeFor(Number.MAX_SAFE_INTEGER)).toBe(64 * MiB);
  });
});
