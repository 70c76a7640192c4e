// The registry's response-signing key: an Ed25519 private JWK from
// G2P_SIGNING_JWK, or (outside production) a key generated at start. Its
// public half is published as a JWKS at /registry/.well-known/jwks.json.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import type { MessageSigner } from "@pbms/g2p-connect";
import type { Logger } from "../logger.ts";

export interface RegistrySigning {
  signer: MessageSigner;
  /** The public key set to publish. */
  jwks: { keys: JWK[] };
}

/**
 * Checks G2P_SIGNING_JWK synchronously (so a bad value stops the API at
 * start), then loads or generates the key. Resolves to undefined in
 * production without a key: the registry then answers 503.
 */
export function loadRegistrySigning(options: {
  jwk: string | undefined;
  senderId: string;
  production: boolean;
  log: Logger;
}): Promise<RegistrySigning | undefined> {
  const { senderId, log } = options;
  if (options.jwk) {
    const jwk = parsePrivateJwk(options.jwk);
    return (async () => {
      const kid = jwk.kid ?? (await calculateJwkThumbprint(publicPart(jwk)));
      const key = await importJWK(jwk, "EdDSA");
      if (!("type" in key)) throw new Error("G2P_SIGNING_JWK: not an asymmetric key");
      return { signer: { key, kid, senderId }, jwks: { keys: [{ ...publicPart(jwk), kid }] } };
    })();
  }
  if (options.production) {
    log.error("G2P_SIGNING_JWK is not set: the G2P Connect registry API answers 503 until it is");
    return Promise.resolve(undefined);
  }
  return (async () => {
    const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const pub = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(pub);
    log.warn(
      { kid },
      "G2P_SIGNING_JWK is not set: signing G2P Connect responses with a key generated at start",
    );
    return {
      signer: { key: privateKey, kid, senderId },
      jwks: { keys: [{ ...publicPart(pub as JWK), kid }] },
    };
  })();
}

function parsePrivateJwk(text: string): JWK {
  let jwk: JWK;
  try {
    jwk = JSON.parse(text) as JWK;
  } catch {
    throw new Error("G2P_SIGNING_JWK is not JSON");
  }
  if (jwk?.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string" || typeof jwk.d !== "string")
    throw new Error(
      'G2P_SIGNING_JWK must be a private Ed25519 JWK ({"kty":"OKP","crv":"Ed25519","x":…,"d":…})',
    );
  if (jwk.kid !== undefined && (typeof jwk.kid !== "string" || !/^[^|"\s]{1,200}$/.test(jwk.kid)))
    throw new Error("G2P_SIGNING_JWK: kid must be text without spaces, quotes or |");
  return jwk;
}

/** The members of an Ed25519 JWK that may be published. */
function publicPart(jwk: JWK): JWK {
  return { kty: "OKP", crv: "Ed25519", x: jwk.x!, alg: "EdDSA", use: "sig" };
}
