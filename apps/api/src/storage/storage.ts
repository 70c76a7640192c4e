// File storage behind one small interface. The local-disk adapter is the
// default; an S3-compatible adapter can implement the same interface.
import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

export interface StoredObject {
  key: string;
  byteSize: number;
  sha256: string;
}

export interface Storage {
  /** Streams `body` into storage; rejects (and keeps nothing) past `maxBytes`. */
  put(prefix: string, body: Readable, maxBytes: number): Promise<StoredObject>;
  get(key: string): Readable;
  remove(key: string): Promise<void>;
}

export class TooLargeError extends Error {}

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
      const key = join(prefix, randomUUID());
      const file = path(key);
      await mkdir(dirname(file), { recursive: true });
      const hash = createHash("sha256");
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          if (size > maxBytes) return done(new TooLargeError(`file larger than ${maxBytes} bytes`));
          hash.update(chunk);
          done(null, chunk);
        },
      });
      try {
        await pipeline(body, meter, createWriteStream(file, { flags: "wx" }));
      } catch (error) {
        await rm(file, { force: true });
        throw error;
      }
      return { key, byteSize: size, sha256: hash.digest("hex") };
    },
    get: (key) => createReadStream(path(key)),
    remove: (key) => rm(path(key), { force: true }),
  };
}
