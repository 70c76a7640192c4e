// File storage behind one small interface, with two adapters: local disk (the
// default) and S3-compatible object storage (./s3.ts). `createStorage` in
// ./create.ts picks one from the environment.
import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

export interface StoredObject {
  key: string;
  byteSize: number;
  sha256: string;
}

export interface Storage {
  /**
   * Streams `body` into storage under `prefix` (a tenant id) and a new random
   * name; rejects with TooLargeError past `maxBytes`. On any failure nothing
   * is kept.
   */
  put(prefix: string, body: Readable, maxBytes: number): Promise<StoredObject>;
  /**
   * The content of `key`, read when the stream is first read. A missing object
   * is an ObjectNotFoundError emitted by the stream; a malformed key throws here.
   */
  get(key: string): Readable;
  /** Deletes `key`; a key that does not exist is not an error. */
  remove(key: string): Promise<void>;
}

export class TooLargeError extends Error {}

export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`no stored object ${key}`);
  }
}

/**
 * Counts and hashes the bytes that flow through `stream`, failing it with a
 * TooLargeError as soon as more than `maxBytes` have passed.
 */
export function byteMeter(maxBytes: number) {
  const hash = createHash("sha256");
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new TooLargeError(`file larger than ${maxBytes} bytes`));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return {
    stream,
    /** Call once, after the stream has ended. */
    result: () => ({ byteSize: size, sha256: hash.digest("hex") }),
  };
}

/** A key for a new object: `<prefix>/<random uuid>`. */
export function newKey(prefix: string): string {
  return join(prefix, randomUUID());
}

/**
 * A byte stream that calls `open` on its first read and then passes the
 * source through; an error of `open` becomes the stream's error.
 */
export function lazyReadable(open: () => Promise<AsyncIterable<Uint8Array>>): Readable {
  return Readable.from(
    (async function* () {
      yield* await open();
    })(),
    { objectMode: false },
  );
}

/** Files under a directory, named by tenant prefix and a random id. */
export function localStorage(root: string): Storage {
  const base = resolve(root);
  const path = (key: string) => {
    const full = resolve(base, key);
    if (!full.startsWith(`${base}/`)) throw new Error("invalid storage key");
    return full;
  };
  return {
    async put(prefix, body, maxBytes) {
      const key = newKey(prefix);
      const file = path(key);
      await mkdir(dirname(file), { recursive: true });
      const meter = byteMeter(maxBytes);
      try {
        await pipeline(body, meter.stream, createWriteStream(file, { flags: "wx" }));
      } catch (error) {
        await rm(file, { force: true });
        throw error;
      }
      return { key, ...meter.result() };
    },
    get(key) {
      const file = path(key);
      return lazyReadable(async () => {
        const handle = await open(file).catch((error: NodeJS.ErrnoException) => {
          throw error.code === "ENOENT" ? new ObjectNotFoundError(key) : error;
        });
        return handle.createReadStream();
      });
    },
    async remove(key) {
      await rm(path(key), { force: true });
    },
  };
}
