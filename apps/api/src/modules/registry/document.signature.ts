// What a document really is, read from its first bytes rather than from the
// content type its uploader declares.
import { Readable } from "node:stream";

/** The leading bytes ("magic numbers") of each content type a document may have. */
const SIGNATURES: Record<string, (head: Buffer) => boolean> = {
  "application/pdf": (head) => startsWith(head, 0, "%PDF-"),
  "image/jpeg": (head) => startsWith(head, 0, [0xff, 0xd8, 0xff]),
  "image/png": (head) => startsWith(head, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  // A RIFF container (then four bytes of length) holding WebP.
  "image/webp": (head) => startsWith(head, 0, "RIFF") && startsWith(head, 8, "WEBP"),
};

/** How many leading bytes `contentTypeOf` needs. */
export const SIGNATURE_BYTES = 12;

/** Content types whose signature is known; a type missing here is never recognised. */
export const SIGNED_CONTENT_TYPES: readonly string[] = Object.keys(SIGNATURES);

function startsWith(head: Buffer, offset: number, expected: string | number[]): boolean {
  const bytes = typeof expected === "string" ? Buffer.from(expected, "latin1") : Buffer.from(expected);
  return head.length >= offset + bytes.length && head.subarray(offset, offset + bytes.length).equals(bytes);
}

/** The content type the first bytes of a file show, or undefined when none matches. */
export function contentTypeOf(head: Buffer): string | undefined {
  return SIGNED_CONTENT_TYPES.find((type) => SIGNATURES[type]!(head));
}

/**
 * Reads the first `size` bytes of `body` (fewer when it is shorter) without
 * consuming the rest. `rest` streams the whole content, those bytes
 * included: `body` itself with them put back, or, when `body` ended while
 * being read, a new stream of what it held.
 */
export async function peek(body: Readable, size: number): Promise<{ head: Buffer; rest: Readable }> {
  const chunks: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < size && !ended) {
    const chunk = body.read() as Buffer | string | null;
    if (chunk !== null) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      chunks.push(bytes);
      length += bytes.length;
    } else if (body.readableEnded) {
      ended = true;
    } else if (body.destroyed) {
      throw body.errored ?? new Error("the stream was closed before its end");
    } else {
      ended = await nextReadable(body);
    }
  }
  const read = Buffer.concat(chunks);
  const head = read.subarray(0, size);
  if (ended) return { head, rest: Readable.from(read.length ? [read] : [], { objectMode: false }) };
  if (read.length) body.unshift(read);
  return { head, rest: body };
}

/**
 * Waits until `body` has data (false) or has ended (true); rejects with its
 * error, or when it closes before its end (a client that went away).
 */
function nextReadable(body: Readable): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const settle = (ended: boolean, error?: unknown) => {
      body.off("readable", onReadable);
      body.off("end", onEnd);
      body.off("error", onError);
      body.off("close", onClose);
      if (error) reject(error);
      else resolve(ended);
    };
    const onReadable = () => settle(false);
    const onEnd = () => settle(true);
    const onError = (error: unknown) => settle(false, error);
    const onClose = () => settle(false, body.errored ?? new Error("the stream was closed before its end"));
    body.on("readable", onReadable);
    body.on("end", onEnd);
    body.on("error", onError);
    body.on("close", onClose);
  });
}
