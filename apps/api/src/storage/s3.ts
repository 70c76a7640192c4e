// S3-compatible object storage: AWS S3, Ceph RGW, MinIO, Garage and the like.
//
// The client is the AWS SDK for JavaScript v3 (@aws-sdk/client-s3 with
// @aws-sdk/lib-storage for uploads): the reference implementation of the
// protocol, maintained by AWS with releases every few days, and it talks to
// any S3-compatible endpoint (custom endpoint, path-style addressing). The two
// packages and their dependencies, 32 in all, are the same publisher's
// (@aws-sdk/*, @smithy/*) plus tslib and lib-storage's browser shims (buffer,
// events, stream-browserify and their small dependencies): no native code, no
// install scripts. lib-storage's Upload sends a stream of unknown length as a
// multipart upload, holding only the parts in flight in memory, and aborts the
// multipart upload when the stream fails. The MinIO client (`minio`) does the
// same job but has thirteen direct dependencies from various authors (lodash,
// async, xml2js, through2…). SDK versions released from January 2027 on need
// Node.js 22 (the production image runs 22; on Node 20 the SDK prints a
// warning once).
import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { byteMeter, lazyReadable, newKey, ObjectNotFoundError, type Storage } from "./storage.ts";

export interface S3StorageOptions {
  bucket: string;
  /** Unset for AWS S3; the service's URL otherwise, e.g. https://s3.example.org. */
  endpoint?: string;
  region: string;
  /** Unset: the AWS SDK's default chain (AWS_* variables, web identity, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** <endpoint>/<bucket>/<key> instead of <bucket>.<endpoint>/<key>. */
  forcePathStyle?: boolean;
  /** Put before every object key (e.g. "pbms/"); stored keys do not include it. */
  keyPrefix?: string;
  /** Parts uploaded at once by one put; memory per put is about (queueSize + 1) × part size. */
  queueSize?: number;
}

const MiB = 1024 * 1024;
/** S3's smallest part (except the last) and largest number of parts of one upload. */
const MIN_PART = 5 * MiB;
const MAX_PARTS = 10_000;
/** Larger parts only for limits above 48 GiB (10,000 × 5 MiB); capped to bound memory. */
const MAX_PART = 64 * MiB;

/** Part size that lets an object of `maxBytes` fit in S3's 10,000 parts. */
export function partSizeFor(maxBytes: number): number {
  return Math.min(MAX_PART, Math.max(MIN_PART, Math.ceil(maxBytes / MAX_PARTS)));
}

export function s3Storage(options: S3StorageOptions): Storage {
  const config: S3ClientConfig = {
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle ?? false,
    credentials: options.credentials,
    // The SDK's default sends CRC32 checksum headers that some S3-compatible
    // services refuse (Backblaze B2 answers "Unsupported header"); integrity is
    // covered by TLS and by the SHA-256 that every put computes and records.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  };
  const client = new S3Client(config);
  const Bucket = options.bucket;
  const prefix = normalizePrefix(options.keyPrefix ?? "");
  const objectKey = (key: string) => {
    if (!key || key.split("/").some((s) => s === "" || s === "." || s === ".."))
      throw new Error("invalid storage key");
    return prefix + key;
  };

  return {
    async put(tenant, body, maxBytes) {
      const key = newKey(tenant);
      const Key = objectKey(key);
      const meter = byteMeter(maxBytes);
      const upload = new Upload({
        client,
        params: { Bucket, Key, Body: meter.stream },
        partSize: partSizeFor(maxBytes),
        queueSize: options.queueSize ?? 4,
        // On failure Upload aborts the multipart upload (its parts are deleted)
        // before done() rejects.
        leavePartsOnError: false,
      });
      // A failed upload stops reading: end the source too, or the pipe would hang.
      const sending = upload.done().catch((error: unknown) => {
        meter.stream.destroy(error as Error);
        throw error;
      });
      const [piped, sent] = await Promise.allSettled([pipeline(body, meter.stream), sending]);
      if (piped.status === "rejected") {
        // The body failed or was too large after the upload finished: cannot
        // happen with a well-behaved stream, but nothing may be left behind.
        if (sent.status === "fulfilled")
          await client.send(new DeleteObjectCommand({ Bucket, Key })).catch(() => undefined);
        throw piped.reason;
      }
      if (sent.status === "rejected") throw sent.reason;
      return { key, ...meter.result() };
    },

    get(key) {
      const Key = objectKey(key);
      const abort = new AbortController();
      const stream = lazyReadable(async () => {
        const object = await client
          .send(new GetObjectCommand({ Bucket, Key }), { abortSignal: abort.signal })
          .catch((error: unknown) => {
            throw error instanceof NoSuchKey ? new ObjectNotFoundError(key) : error;
          });
        if (!object.Body) throw new Error(`no content for stored object ${key}`);
        return object.Body as Readable;
      });
      // A reader that stops early ends the request (or the response still streaming).
      stream.once("close", () => {
        if (!stream.readableEnded) abort.abort();
      });
      return stream;
    },

    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: objectKey(key) }));
    },
  };
}

function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, "");
  return trimmed ? `${trimmed}/` : "";
}
