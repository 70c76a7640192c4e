// Verification of a remote registry's response signatures (the `Signature`
// header over the exact body, as our own registry sends it: Ed25519, a
// detached JWS; docs/g2p-connect.md#signatures). A data source names the keys
// it accepts either as the registry's JWKS URL or as pinned public keys (a
// JWKS). Only public Ed25519 keys are accepted; a key without `kid` matches
// any key id.
import { importJWK, type CryptoKey, type JWK } from "jose";
import {
  parseSignatureHeader,
  SignatureError,
  verifyBodySignature,
  type VerifiedSignature,
} from "@pbms/g2p-connect";
import { fetchJwks, RemoteError, type FetchLike, type ResponseVerifier } from "./g2p-client.ts";

/** Most pinned keys one data source may hold. */
export const MAX_SIGNATURE_KEYS = 10;
/** A JWKS URL is read again for an unknown key id at most this often (key rotation). */
const RELOAD_AFTER_MS = 30_000;

/** A public Ed25519 key as stored: only the members that matter. */
export interface SigningKey {
  kty: "OKP";
  crv: "Ed25519";
  x: string;
  kid?: string;
}

const X = /^[A-Za-z0-9_-]{43}$/;
const KID = /^[^|"\s]{1,200}$/;

/** Why one JWK cannot be used, or undefined. */
function keyProblem(jwk: unknown): string | undefined {
  if (!jwk || typeof jwk !== "object" || Array.isArray(jwk)) return "is not a JSON Web Key object";
  const k = jwk as Record<string, unknown>;
  if ("d" in k) return "is a private key: give only its public part (without d)";
  if (k.kty !== "OKP" || k.crv !== "Ed25519") return 'is not an Ed25519 key (kty "OKP", crv "Ed25519")';
  if (typeof k.x !== "string" || !X.test(k.x)) return "has no valid x (32 bytes, base64url)";
  if (k.kid !== undefined && (typeof k.kid !== "string" || !KID.test(k.kid)))
    return "has a kid that is not text without spaces, quotes or |";
  if (k.alg !== undefined && k.alg !== "EdDSA" && k.alg !== "Ed25519") return "has an alg other than EdDSA";
  if (k.use !== undefined && k.use !== "sig") return 'has a use other than "sig"';
  return undefined;
}

const stored = (k: Record<string, unknown>): SigningKey => ({
  kty: "OKP",
  crv: "Ed25519",
  x: k.x as string,
  ...(typeof k.kid === "string" ? { kid: k.kid } : {}),
});

/**
 * Pinned keys as an operator gives them: a JWKS (`{"keys": [...]}`) or one
 * JWK, public Ed25519 keys only. Returns the JWKS to store; throws an Error
 * saying what is wrong.
 */
export function parseSigningKeys(value: unknown): { keys: SigningKey[] } {
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw new Error('give a JWKS ({"keys": [...]}) or one JWK');
  const v = value as Record<string, unknown>;
  const list = "keys" in v ? v.keys : [v];
  if (!Array.isArray(list) || list.length === 0) throw new Error("keys must be a non-empty list of JWKs");
  if (list.length > MAX_SIGNATURE_KEYS) throw new Error(`at most ${MAX_SIGNATURE_KEYS} keys`);
  const keys = list.map((jwk, i) => {
    const problem = keyProblem(jwk);
    if (problem) throw new Error(`keys[${i}] ${problem}`);
    return stored(jwk as Record<string, unknown>);
  });
  const kids = keys.flatMap((k) => (k.kid ? [k.kid] : []));
  if (new Set(kids).size !== kids.length) throw new Error("two keys have the same kid");
  return { keys };
}

/** The usable keys of a JWKS read from the registry (others, e.g. RSA or encryption keys, are ignored). */
function usableKeys(jwks: unknown, url: string): SigningKey[] {
  const list = (jwks as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list))
    throw new RemoteError(`the registry's signing keys at ${url} are not a JWKS ({"keys": [...]})`, false);
  const keys = list.flatMap((jwk) => {
    if (!jwk || typeof jwk !== "object") return [];
    const { d: _private, ...pub } = jwk as Record<string, unknown>;
    return keyProblem(pub) ? [] : [stored(pub)];
  });
  if (!keys.length) throw new RemoteError(`the registry's signing keys at ${url} hold no Ed25519 key`, false);
  return keys;
}

async function importKey(key: SigningKey): Promise<CryptoKey> {
  try {
    // An OKP JWK always imports as an asymmetric key.
    return (await importJWK(key as JWK, "EdDSA")) as CryptoKey;
  } catch (error) {
    throw new SignatureError(`key "${key.kid ?? key.x}" cannot be used: ${(error as Error).message}`);
  }
}

export interface SignatureSettings {
  signatureJwksUrl: string | null;
  signatureKeys: unknown;
}

/** Whether a data source verifies response signatures. */
export const verifiesSignatures = (s: SignatureSettings) => !!s.signatureJwksUrl || s.signatureKeys != null;

/**
 * The verifier of a data source's responses for one sync, or undefined when
 * it verifies none. A JWKS URL is read on first use and again (at most every
 * 30 s) when a response names a key id it does not hold.
 */
export function responseVerifier(
  settings: SignatureSettings,
  fetchImpl: FetchLike = fetch,
): ResponseVerifier | undefined {
  if (!verifiesSignatures(settings)) return undefined;
  const url = settings.signatureJwksUrl;
  let keys: SigningKey[] = url ? [] : parseSigningKeys(settings.signatureKeys).keys;
  let loadedAt = 0;
  const load = async () => {
    keys = usableKeys(await fetchJwks(url!, fetchImpl), url!);
    loadedAt = Date.now();
  };
  const candidates = (kid: string) => {
    const exact = keys.filter((k) => k.kid === kid);
    return exact.length ? exact : keys.filter((k) => !k.kid);
  };

  return async (body: Uint8Array, header: string | null): Promise<VerifiedSignature> => {
    if (url && !loadedAt) await load();
    if (!header) throw new SignatureError("the response has no Signature header");
    const kid = (parseSignatureHeader(header).keyId ?? "").split("|")[1] ?? "";
    // Without a key id the header is malformed: let the verification say how.
    if (!kid) return verifyBodySignature(body, header, await importKey(keys[0]!));
    let found = candidates(kid);
    if (!found.length && url && Date.now() - loadedAt >= RELOAD_AFTER_MS) {
      await load();
      found = candidates(kid);
    }
    if (!found.length)
      throw new SignatureError(
        `it is signed with key "${kid}", which is not among the allowed keys (${url ? `JWKS at ${url}` : "pinned keys"})`,
      );
    let last: unknown;
    for (const key of found) {
      try {
        return await verifyBodySignature(body, header, await importKey(key));
      } catch (error) {
        if (!(error instanceof SignatureError)) throw error;
        last = error;
      }
    }
    throw last;
  };
}
