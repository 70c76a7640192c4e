import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from "jose";
import { unauthenticated } from "../errors.ts";
import { isRole, type Role } from "./roles.ts";

/** Signature algorithms we accept; anything else (incl. `none` and HS*) is refused. */
export const ALLOWED_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "EdDSA"];

/** The caller as proven by a verified access token. */
export interface Principal {
  subject: string;
  username: string;
  name: string | undefined;
  email: string | undefined;
  roles: Role[];
  /** Department code from the `tenant` claim. */
  tenantCode: string;
  /** Client the token was issued to (`azp`). */
  clientId: string | undefined;
}

interface Claims extends JWTPayload {
  preferred_username?: string;
  name?: string;
  email?: string;
  azp?: string;
  tenant?: string;
  realm_access?: { roles?: unknown };
}

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  jwksUrl: string;
}

/** Verifies bearer tokens against the issuer's JWKS (keys cached, refetched on rotation). */
export function createTokenVerifier(options: TokenVerifierOptions) {
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl), {
    cooldownDuration: 30_000,
    cacheMaxAge: 600_000,
  });
  return async function verify(token: string): Promise<Principal> {
    let payload: Claims;
    try {
      ({ payload } = await jwtVerify<Claims>(token, jwks, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ALLOWED_ALGORITHMS,
        requiredClaims: ["exp", "sub"],
        clockTolerance: 5,
      }));
    } catch (error) {
      throw unauthenticated(describe(error));
    }
    if (!payload.tenant) throw unauthenticated("The token carries no tenant (department) claim");
    const roles = Array.isArray(payload.realm_access?.roles)
      ? payload.realm_access.roles.filter(isString)
      : [];
    return {
      subject: payload.sub!,
      username: payload.preferred_username ?? payload.sub!,
      name: payload.name,
      email: payload.email,
      roles: roles.filter(isRole),
      tenantCode: payload.tenant,
      clientId: payload.azp,
    };
  };
}

function isString(v: unknown): v is string {
  return typeof v === "string";
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "The token has expired";
  if (error instanceof errors.JWTClaimValidationFailed)
    return `The token's ${error.claim} claim is not accepted`;
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey)
    return "The token's signature is not valid";
  if (error instanceof errors.JOSEAlgNotAllowed) return "The token's signing algorithm is not accepted";
  return "The token is not valid";
}

/** Extracts the token from an `Authorization: Bearer …` header. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}
