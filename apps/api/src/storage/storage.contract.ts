// What every storage adapter does, as one suite that each adapter's test file
// runs against its adapter (storage.test.ts: local disk; s3.test.ts: S3).
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ObjectNotFoundError, TooLargeError, type Storage } from "./storage.ts";

export interface ContractSubject {
  storage: Storage;
  /** Keys of the objects kept under `prefix`, as `put` returned them. */
  list(prefix: string): Promise<string[]>;
}

/** `data` as a stream of `chunkSize`-byte chunks. */
export function chunked(data: Buffer, chunkSize = 64 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += chunkSize) yield data.subarray(i, i + chunkSize);
    })(),
    { objectMode: false },
  );
}

/** `bytes` random bytes, then `error`. */
export function failingAfter(bytes: number, error: Error): Readable {
  return Readable.from(
    (async function* () {
      yield* chunked(randomBytes(bytes));
      throw error;
    })(),
    { objectMode: false },
  );
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

/** A tenant prefix of its own for each test. */
const tenant = () => randomUUID();

export function describeStorageContract(name: string, subject: () => ContractSubject): void {
  describe(`${name}: the Storage contract`, () => {
    it("gives back what was put, with its size and SHA-256", async () => {
      const { storage, list } = subject();
      const prefix = tenant();
      const data = randomBytes(300_000);

      const stored = await storage.put(prefix, chunked(data, 10_000), 1_000_000);

      expect(stored).toEqual({
        key: expect.stringMatching(`^${prefix}/`),
        byteSize: data.length,
        sha256: sha256(data),
      });
      expect(await list(prefix)).toEqual([stored.key]);
      expect((await readAll(storage.get(stored.key))).equals(data)).toBe(true);
    });

    it("keeps an empty file", async () => {
      const { storage } = subject();
      const stored = await storage.put(tenant(), Readable.from([], { objectMode: false }), 10);

      expect(stored.byteSize).toBe(0);
      expect(stored.sha256).toBe(sha256(Buffer.alloc(0)));
      expect((await readAll(storage.get(stored.key))).length).toBe(0);
    });

    it("names every file anew, so two puts never overwrite each other", async () => {
      const { storage, list } = subject();
      const prefix = tenant();

      const a = await storage.put(prefix, chunked(Buffer.from("first")), 100);
      const b = await storage.put(prefix, chunked(Buffer.from("second")), 100);

      expect(a.key).not.toBe(b.key);
      expect((await list(prefix)).sort()).toEqual([a.key, b.key].sort());
      expect((await readAll(storage.get(a.key))).toString()).toBe("first");
    });

    it("accepts a file of exactly maxBytes", async () => {
      const { storage } = subject();
      const data = randomBytes(4096);

      const stored = await storage.put(tenant(), chunked(data, 1000), 4096);

      expect(stored.byteSize).toBe(4096);
    });

    it("rejects a file larger than maxBytes with TooLargeError and keeps nothing", async () => {
      const { storage, list } = subject();
      const prefix = tenant();

      await expect(storage.put(prefix, chunked(randomBytes(4097), 1000), 4096)).rejects.toBeInstanceOf(
        TooLargeError,
      );

      expect(await list(prefix)).toEqual([]);
    });

    it("fails with the body's error when the upload breaks off, and keeps nothing", async () => {
      const { storage, list } = subject();
      const prefix = tenant();

      await expect(
        storage.put(prefix, failingAfter(200_000, new Error("client went away")), 1_000_000),
      ).rejects.toThrow("client went away");

      expect(await list(prefix)).toEqual([]);
    });

    it("streams a multi-megabyte file in and out unchanged", async () => {
      const { storage } = subject();
      const data = randomBytes(12 * 1024 * 1024 + 123);

      const stored = await storage.put(tenant(), chunked(data), 64 * 1024 * 1024);

      expect(stored.byteSize).toBe(data.length);
      expect(sha256(await readAll(storage.get(stored.key)))).toBe(sha256(data));
    });

    it("removes a file; removing it again is not an error", async () => {
      const { storage, list } = subject();
      const prefix = tenant();
      const stored = await storage.put(prefix, chunked(Buffer.from("gone soon")), 100);

      await storage.remove(stored.key);
      await storage.remove(stored.key);

      expect(await list(prefix)).toEqual([]);
      await expect(readAll(storage.get(stored.key))).rejects.toBeInstanceOf(ObjectNotFoundError);
    });

    it("reports a missing file as an ObjectNotFoundError of the stream", async () => {
      const { storage } = subject();
      const key = `${tenant()}/${randomUUID()}`;

      const stream = storage.get(key);

      const error = await readAll(stream).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ObjectNotFoundError);
      expect((error as ObjectNotFoundError).key).toBe(key);
    });

    it("lets a reader stop early", async () => {
      const { storage } = subject();
      const data = randomBytes(2 * 1024 * 1024);
      const stored = await storage.put(tenant(), chunked(data), data.length);

      const stream = storage.get(stored.key);
      for await (const _chunk of stream) break;

      expect(stream.destroyed).toBe(true);
      expect(sha256(await readAll(storage.get(stored.key)))).toBe(sha256(data));
    });

    it("refuses keys that would leave the storage", async () => {
      const { storage } = subject();

      expect(() => storage.get("../outside")).toThrow("invalid storage key");
      expect(() => storage.get(`${tenant()}/../../outside`)).toThrow("invalid storage key");
      await expect(storage.remove("../outside")).rejects.toThrow("invalid storage key");
      await expect(storage.put("../outside", chunked(Buffer.from("x")), 10)).rejects.toThrow(
        "invalid storage key",
      );
    });
  });
}
