// Client secrets of data sources are stored encrypted (AES-256-GCM) with a key
// from the environment, bound to their department and data source (additional
// authenticated data), so a ciphertext copied to another row does not decrypt.
// The API accepts a secret on create/update and never returns it.
//
//   DATA_SOURCE_SECRET_KEY   32 random bytes, base64 or hex. Required in
//                            production; elsewhere a fixed development key is
//                            used when unset (with a warning).
//
// Stored form: `v1.<key fingerprint>.<iv>.<tag>.<ciphertext>` (base64url); the
// fingerprint names the key that encrypted it, so a changed key gives a clear
// error ("enter the client secret again") instead of a decryption failure.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const DEVELOPMENT_KEY = createHash("sha256")
  .update("pbms development data source key: not for production")
  .digest();

export class SecretKeyError extends Error {}

function readKey(source: NodeJS.ProcessEnv): { key: Buffer; development: boolean } {
  const value = source.DATA_SOURCE_SECRET_KEY?.trim();
  if (!value) {
    if (source.NODE_ENV === "production")
      throw new SecretKeyError(
        "DATA_SOURCE_SECRET_KEY is not set: data source secrets cannot be stored or read",
      );
    return { key: DEVELOPMENT_KEY, development: true };
  }
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, "hex") : Buffer.from(value, "base64");
  if (key.length !== 32) throw new SecretKeyError("DATA_SOURCE_SECRET_KEY must be 32 bytes, base64 or hex");
  return { key, development: false };
}

const fingerprint = (key: Buffer) => createHash("sha256").update(key).digest("base64url").slice(0, 8);
const aad = (tenantId: string, dataSourceId: string) =>
  Buffer.from(`pbms:data-source:${tenantId}:${dataSourceId}`);

/** Encrypts a client secret for one data source. */
export function encryptSecret(
  plain: string,
  tenantId: string,
  dataSourceId: string,
  source = process.env,
): string {
  const { key } = readKey(source);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad(tenantId, dataSourceId));
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [
    "v1",
    fingerprint(key),
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    data.toString("base64url"),
  ].join(".");
}

/** Decrypts what encryptSecret stored; throws SecretKeyError when it cannot. */
export function decryptSecret(
  stored: string,
  tenantId: string,
  dataSourceId: string,
  source = process.env,
): string {
  const { key } = readKey(source);
  const [version, print, iv, tag, data] = stored.split(".");
  if (version !== "v1" || !print || !iv || !tag || data === undefined)
    throw new SecretKeyError("the stored client secret is malformed: enter it again");
  if (print !== fingerprint(key))
    throw new SecretKeyError(
      "the client secret was stored with another DATA_SOURCE_SECRET_KEY: enter it again",
    );
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(aad(tenantId, dataSourceId));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new SecretKeyError("the stored client secret cannot be decrypted: enter it again");
  }
}

/** True when secrets are encrypted with the built-in development key (no DATA_SOURCE_SECRET_KEY). */
export function usingDevelopmentKey(source = process.env): boolean {
  try {
    return readKey(source).development;
  } catch {
    return false;
  }
}
