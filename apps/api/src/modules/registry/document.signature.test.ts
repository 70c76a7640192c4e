import "reflect-metadata";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { UPLOAD_TYPES } from "../imports/file.service.ts";
import { contentTypeOf, peek, SIGNATURE_BYTES, SIGNED_CONTENT_TYPES } from "./document.signature.ts";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
const WEBP = Buffer.concat([Buffer.from("RIFF"), Buffer.from([0x24, 0, 0, 0]), Buffer.from("WEBPVP8 ")]);
const PDF = Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "latin1");

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** A byte stream of `data` cut into pieces of `size` bytes, each arriving on a later turn. */
function trickle(data: Buffer, size: number): Readable {
  return Readable.from(
    (async function* () {
      for (let i = 0; i < data.length; i += size) {
        await new Promise((resolve) => setImmediate(resolve));
        yield data.subarray(i, i + size);
      }
    })(),
    { objectMode: false },
  );
}

describe("document signatures", () => {
  it("knows a signature for every content type documents may have", () => {
    expect([...SIGNED_CONTENT_TYPES].sort()).toEqual([...UPLOAD_TYPES.DOCUMENT!].sort());
  });

  it("recognises PDF, JPEG, PNG and WebP from their first bytes", () => {
    expect(contentTypeOf(PDF)).toBe("application/pdf");
    expect(contentTypeOf(JPEG)).toBe("image/jpeg");
    expect(contentTypeOf(PNG)).toBe("image/png");
    expect(contentTypeOf(WEBP)).toBe("image/webp");
  });

  it("recognises nothing in HTML, executables, other RIFF files, truncated or empty heads", () => {
    expect(contentTypeOf(Buffer.from("<!doctype html><script>alert(1)</script>"))).toBeUndefined();
    expect(contentTypeOf(Buffer.from(" %PDF-1.4"))).toBeUndefined();
    expect(contentTypeOf(Buffer.from("MZ\x90\x00\x03\x00\x00\x00", "latin1"))).toBeUndefined();
    expect(contentTypeOf(Buffer.from("RIFF\x24\x00\x00\x00WAVEfmt ", "latin1"))).toBeUndefined();
    expect(contentTypeOf(Buffer.from("%PDF"))).toBeUndefined();
    expect(contentTypeOf(PNG.subarray(0, 7))).toBeUndefined();
    expect(contentTypeOf(Buffer.alloc(0))).toBeUndefined();
  });
});

describe("peek", () => {
  it("reads a head that arrives in pieces and hands on the whole content", async () => {
    const data = Buffer.concat([PNG, Buffer.alloc(1000, 7)]);
    const body = trickle(data, 3);

    const { head, rest } = await peek(body, SIGNATURE_BYTES);

    expect(head).toEqual(data.subarray(0, SIGNATURE_BYTES));
    expect(rest).toBe(body);
    expect(await readAll(rest)).toEqual(data);
  });

  it("reads no more than it needs from a long stream", async () => {
    let pulled = 0;
    const body = Readable.from(
      (function* () {
        for (let i = 0; i < 1000; i++) {
          pulled++;
          yield Buffer.alloc(64 * 1024, i % 256);
        }
      })(),
      { objectMode: false, highWaterMark: 64 * 1024 },
    );

    const { head, rest } = await peek(body, SIGNATURE_BYTES);

    expect(head).toHaveLength(SIGNATURE_BYTES);
    expect(pulled).toBeLessThan(10);
    expect((await readAll(rest)).length).toBe(1000 * 64 * 1024);
  });

  it("hands on a stream as long as the head, one shorter, and an empty one", async () => {
    const exact = await peek(
      Readable.from([PNG.subarray(0, SIGNATURE_BYTES)], { objectMode: false }),
      SIGNATURE_BYTES,
    );
    expect(exact.head).toEqual(PNG.subarray(0, SIGNATURE_BYTES));
    expect(await readAll(exact.rest)).toEqual(PNG.subarray(0, SIGNATURE_BYTES));

    const short = await peek(trickle(Buffer.from("%PDF"), 2), SIGNATURE_BYTES);
    expect(short.head.toString()).toBe("%PDF");
    expect((await readAll(short.rest)).toString()).toBe("%PDF");

    const empty = await peek(Readable.from([], { objectMode: false }), SIGNATURE_BYTES);
    expect(empty.head).toHaveLength(0);
    expect(await readAll(empty.rest)).toHaveLength(0);
  });

  it("fails with the stream's error", async () => {
    const body = Readable.from(
      (async function* () {
        yield Buffer.from("%P");
        await new Promise((resolve) => setImmediate(resolve));
        throw new Error("connection reset");
      })(),
      { objectMode: false },
    );

    await expect(peek(body, SIGNATURE_BYTES)).rejects.toThrow("connection reset");
  });
});
