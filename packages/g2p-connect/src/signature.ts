// Message signatures in the form `common/security/Signature.yaml` describes:
//
//   Signature: keyId="{sender_id}|{unique_key_id}|{algorithm}",algorithm="ed25519",
//              created="…",expires="…",headers="(created) (expires) digest",signature="…"
//
// The spec names the covered components but not how they are combined or how
// the signature value is encoded. Here (draft-cavage HTTP signatures, as the
// header's syntax comes from):
//   - digest:          `SHA-256=<base64 of SHA-256(body bytes)>`, also sent as the `Digest` header;
//   - signing string:  "(created): <created>\n(expires): <expires>\ndigest: <digest>";
//   - signature value: a detached JWS (RFC 7515 appendix F, compact `header..signature`)
//                      over the signing string, alg EdDSA (Ed25519), `kid` = unique_key_id.
// Verifiers fetch the signer's public keys as a JWKS and check the JWS with the
// signing string put back in as the payload.
import { createHash } from "node:crypto";
import {
  base64url,
  CompactSign,
  compactVerify,
  decodeProtectedHeader,
  type CompactVerifyGetKey,
  type CryptoKey,
  type KeyObject,
} from "jose";

/** The `algorithm` parameter value, as in the spec. */
export const SIGNATURE_ALGORITHM = "ed25519";
/** JWS algorithm of the detached signature. */
export const JWS_ALGORITHM = "EdDSA";
/** The covered components, as in the spec. */
export const SIGNED_COMPONENTS = "(created) (expires) digest";

export interface MessageSigner {
  /** Private Ed25519 key. */
  key: CryptoKey | KeyObject;
  /** unique_key_id: the `kid` published in the signer's JWKS. */
  kid: string;
  /** The signer's `sender_id`. */
  senderId: string;
}

export interface SignedBody {
  /** Value of the `Signature` header. */
  signature: string;
  /** Value of the `Digest` header. */
  digest: string;
  created: number;
  expires: number;
}

export interface VerifiedSignature {
  senderId: string;
  kid: string;
  created: number;
  expires: number;
}

export class SignatureError extends Error {
  override name = "SignatureError";
}

/** `SHA-256=<base64>` of the exact body bytes. */
export function bodyDigest(body: string | Uint8Array): string {
  return `SHA-256=${createHash("sha256").update(body).digest("base64")}`;
}

/** The string the signature covers. */
export function signingString(created: number, expires: number, digest: string): string {
  return `(created): ${created}\n(expires): ${expires}\ndigest: ${digest}`;
}

/** Signs the exact bytes that will be sent; returns the `Signature` and `Digest` header values. */
export async function signBody(
  body: string | Uint8Array,
  signer: MessageSigner,
  options: { now?: Date; ttlSeconds?: number } = {},
): Promise<SignedBody> {
  const created = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const expires = created + (options.ttlSeconds ?? 3600);
  const digest = bodyDigest(body);
  const jws = await new CompactSign(new TextEncoder().encode(signingString(created, expires, digest)))
    .setProtectedHeader({ alg: JWS_ALGORITHM, kid: signer.kid })
    .sign(signer.key);
  const [protectedHeader, , signature] = jws.split(".");
  const params: [string, string][] = [
    ["keyId", `${signer.senderId}|${signer.kid}|${SIGNATURE_ALGORITHM}`],
    ["algorithm", SIGNATURE_ALGORITHM],
    ["created", String(created)],
    ["expires", String(expires)],
    ["headers", SIGNED_COMPONENTS],
    ["signature", `${protectedHeader}..${signature}`],
  ];
  return {
    signature: params.map(([k, v]) => `${k}="${v}"`).join(","),
    digest,
    created,
    expires,
  };
}

/**
 * Reads `k="v"` (or `k=v`) parameters of a Signature header. Accepts the
 * spec's variants: a leading `Signature:`, spaces after commas, and `kidId`
 * for `keyId` (as in MsgSignature.yaml).
 */
export function parseSignatureHeader(value: string): Record<string, string> {
  const params: Record<string, string> = {};
  const text = value.trim().replace(/^signature\s*:\s*/i, "");
  const re = /([A-Za-z][\w-]*)\s*=\s*(?:"([^"]*)"|([^,\s]*))\s*(?:,|$)/g;
  for (const m of text.matchAll(re)) params[m[1]!] = m[2] ?? m[3] ?? "";
  if (params.kidId && !params.keyId) params.keyId = params.kidId;
  return params;
}

/**
 * Verifies a Signature header against the exact body bytes received, with the
 * signer's keys (e.g. `createRemoteJWKSet(new URL(".../jwks.json"))`).
 * Throws SignatureError when anything does not match.
 */
export async function verifyBodySignature(
  body: string | Uint8Array,
  header: string | null | undefined,
  keys: CompactVerifyGetKey | CryptoKey | KeyObject,
  options: { now?: Date; clockToleranceSeconds?: number } = {},
): Promise<VerifiedSignature> {
  if (!header) throw new SignatureError("no Signature header");
  const p = parseSignatureHeader(header);
  const [senderId, kid, algorithm] = (p.keyId ?? "").split("|");
  if (!senderId || !kid) throw new SignatureError('keyId must be "{sender_id}|{key_id}|{algorithm}"');
  if ((algorithm ?? p.algorithm)?.toLowerCase() !== SIGNATURE_ALGORITHM)
    throw new SignatureError(`algorithm must be ${SIGNATURE_ALGORITHM}`);
  if (p.algorithm && p.algorithm.toLowerCase() !== SIGNATURE_ALGORITHM)
    throw new SignatureError(`algorithm must be ${SIGNATURE_ALGORITHM}`);
  if (p.headers !== SIGNED_COMPONENTS) throw new SignatureError(`headers must be "${SIGNED_COMPONENTS}"`);
  const created = Number(p.created);
  const expires = Number(p.expires);
  if (!Number.isInteger(created) || !Number.isInteger(expires) || expires < created)
    throw new SignatureError("created/expires must be Unix times, expires not before created");
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.clockToleranceSeconds ?? 60;
  if (created > now + tolerance) throw new SignatureError("signature created in the future");
  if (expires < now - tolerance) throw new SignatureError("signature expired");
  const parts = (p.signature ?? "").split(".");
  if (parts.length !== 3 || parts[1] !== "" || !parts[0] || !parts[2])
    throw new SignatureError("signature must be a detached JWS (header..signature)");
  let jwsKid: unknown;
  try {
    jwsKid = decodeProtectedHeader(`${parts[0]}.e30.${parts[2]}`).kid;
  } catch {
    throw new SignatureError("signature has an unreadable JWS header");
  }
  if (jwsKid !== kid) throw new SignatureError("JWS kid does not match keyId");
  const payload = base64url.encode(signingString(created, expires, bodyDigest(body)));
  try {
    await compactVerify(`${parts[0]}.${payload}.${parts[2]}`, keys as CompactVerifyGetKey, {
      algorithms: [JWS_ALGORITHM, "Ed25519"],
    });
  } catch (error) {
    throw new SignatureError(`signature does not verify: ${(error as Error).message}`);
  }
  return { senderId, kid, created, expires };
}
