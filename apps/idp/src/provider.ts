// oidc-provider configuration that imitates a Keycloak realm: Keycloak's
// endpoint paths, JWT access tokens with an audience mapper (pbms-api), realm
// roles and a tenant claim, no consent screen, JWT-shaped refresh tokens.
import { createHmac, randomBytes } from "node:crypto";
import type { JWK } from "jose";
import Provider, {
  errors,
  type Account,
  type ClientMetadata,
  type Configuration,
  type KoaContextWithOIDC,
  type ResourceServer,
} from "oidc-provider";
import {
  ADMIN_CLIENT_ID,
  API_AUDIENCE,
  DEMO_CLIENTS,
  findClient,
  findUserBySub,
  type DemoUser,
} from "./demo-data.js";
import { logoutPage, messagePage } from "./pages.js";

export interface ProviderSettings {
  issuer: string;
  /** Normalised origins (no trailing slash) of the admin app. */
  adminOrigins: string[];
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Private RS256 signing key with `kid`. */
  signingKey: JWK;
  log: (line: string) => void;
}

/** Keycloak's endpoint paths, relative to the issuer (realm URL). */
export const ROUTES = {
  authorization: "/protocol/openid-connect/auth",
  token: "/protocol/openid-connect/token",
  jwks: "/protocol/openid-connect/certs",
  userinfo: "/protocol/openid-connect/userinfo",
  end_session: "/protocol/openid-connect/logout",
  pushed_authorization_request: "/protocol/openid-connect/ext/par/request",
} as const;

/** Login page of an interaction, relative to the issuer (Keycloak uses /login-actions/authenticate too). */
export const LOGIN_PATH = "/login-actions/authenticate/";

/**
 * Resource indicator of the PBMS API. keycloak-js never sends `resource`, so it
 * is the default resource of every request; its tokens carry `aud: pbms-api`.
 */
export const API_RESOURCE = "urn:pbms:api";

const OIDC_SCOPES = ["openid", "profile", "email", "roles", "offline_access"];
/** Keycloak's default client scopes that show up in the `scope` claim of every access token. */
const DEFAULT_TOKEN_SCOPES = ["profile", "email"];

/** Claims of a user as Keycloak's default mappers (profile, email, roles) plus the tenant mapper emit them. */
export function userClaims(user: DemoUser) {
  return {
    sub: user.sub,
    preferred_username: user.username,
    name: user.name,
    given_name: user.givenName,
    family_name: user.familyName,
    email: user.email,
    email_verified: true,
    realm_access: { roles: [...user.roles] },
    tenant: user.tenant,
  };
}

const serviceAccountName = (clientId: string): string => `service-account-${clientId}`;

function clientMetadata(adminOrigins: string[]): ClientMetadata[] {
  return DEMO_CLIENTS.map((client): ClientMetadata => {
    if (client.secret === undefined) {
      // Registered URIs only satisfy the schema; the prefix rule below decides.
      const uris = adminOrigins.map((origin) => `${origin}/`);
      return {
        client_id: client.clientId,
        token_endpoint_auth_method: "none",
        grant_types: client.grantTypes,
        response_types: ["code"],
        redirect_uris: uris,
        post_logout_redirect_uris: uris,
      };
    }
    return {
      client_id: client.clientId,
      client_secret: client.secret,
      token_endpoint_auth_method: "client_secret_basic", // client_secret_post is accepted as well
      grant_types: client.grantTypes,
      response_types: [],
      redirect_uris: [],
    };
  });
}

/**
 * Keycloak-style `http://localhost:5173/*`: any URI below one of the admin origins.
 * A fragment is allowed: keycloak-js sends location.href, which carries the hash route.
 */
function allowedByPrefix(uri: string, adminOrigins: string[]): boolean {
  const url = URL.parse(uri);
  if (!url || url.username || url.password) return false;
  return adminOrigins.includes(url.origin) && uri.startsWith(`${url.origin}/`);
}

function withDefaultScopes(scope: unknown): string {
  const granted = typeof scope === "string" ? scope.split(" ").filter(Boolean) : [];
  return [...new Set([...granted, ...DEFAULT_TOKEN_SCOPES])].join(" ");
}

/**
 * keycloak-js decodes the refresh token as a JWT (it throws on opaque values),
 * so refresh token ids are HS256 JWTs. The value stays a server-side handle:
 * the library looks it up in its store and validates it there.
 */
function jwtShapedRefreshTokenId(
  token: { accountId: string; clientId?: string; sid?: string; scope?: string; expiration: number },
  issuer: string,
  secret: Buffer,
): string {
  const iat = Math.floor(Date.now() / 1000);
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString("base64url");
  const payload = {
    exp: iat + token.expiration,
    iat,
    jti: randomBytes(32).toString("base64url"),
    iss: issuer,
    aud: issuer,
    sub: token.accountId,
    typ: "Refresh",
    azp: token.clientId,
    sid: token.sid,
    scope: token.scope,
  };
  const data = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(payload)}`;
  return `${data}.${createHmac("sha256", secret).update(data).digest("base64url")}`;
}

export function createProvider(settings: ProviderSettings): Provider {
  const { issuer, adminOrigins, accessTokenTtlSeconds, refreshTokenTtlSeconds } = settings;
  const issuerPath = new URL(issuer).pathname;

  const apiResourceServer: ResourceServer = {
    audience: API_AUDIENCE,
    scope: OIDC_SCOPES.join(" "),
    accessTokenFormat: "jwt",
    accessTokenTTL: accessTokenTtlSeconds,
    jwt: { sign: { alg: "RS256" } },
  };

  const configuration: Configuration = {
    clients: clientMetadata(adminOrigins),
    jwks: { keys: [{ ...settings.signingKey, alg: "RS256", use: "sig" }] },
    routes: ROUTES,
    responseTypes: ["code"],
    pkce: { required: () => true },
    scopes: OIDC_SCOPES,
    // Keycloak's default client scopes apply even when only `openid` is requested
    // (keycloak-js asks for just that), so every claim hangs off `openid`.
    claims: {
      openid: [
        "sub",
        "preferred_username",
        "name",
        "given_name",
        "family_name",
        "email",
        "email_verified",
        "realm_access",
        "tenant",
      ],
      profile: ["preferred_username", "name", "given_name", "family_name"],
      email: ["email", "email_verified"],
      roles: ["realm_access"],
      sid: null,
      auth_time: null,
      acr: null,
      iss: null,
    },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    ttl: {
      AccessToken: accessTokenTtlSeconds,
      ClientCredentials: accessTokenTtlSeconds,
      IdToken: accessTokenTtlSeconds,
      RefreshToken: refreshTokenTtlSeconds,
      AuthorizationCode: 60,
      Interaction: 30 * 60,
      Session: 10 * 60 * 60,
      Grant: 10 * 60 * 60,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      userinfo: { enabled: true }, // answered in routes.ts: the library's userinfo refuses tokens with an audience
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== API_RESOURCE) throw new errors.InvalidTarget();
          return apiResourceServer;
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = "html";
          ctx.body = logoutPage(form);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = "html";
          ctx.body = messagePage("Signed out", "You have been signed out of PBMS.");
        },
      },
    },
    // Issue refresh tokens like Keycloak does, without requiring `offline_access`.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    clientBasedCORS: (_ctx, origin, client) =>
      client.clientId === ADMIN_CLIENT_ID && adminOrigins.includes(origin),
    interactions: { url: (_ctx, interaction) => `${issuerPath}${LOGIN_PATH}${interaction.uid}` },
    // First-party app: no consent screen. Every authorization gets a grant covering all scopes.
    loadExistingGrant: async (ctx) => {
      const { client, account, provider } = ctx.oidc;
      if (!client || !account) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(client.clientId);
      const existing = grantId ? await provider.Grant.find(grantId) : undefined;
      const grant =
        existing?.accountId === account.accountId
          ? existing
          : new provider.Grant({ clientId: client.clientId, accountId: account.accountId });
      grant.addOIDCScope(OIDC_SCOPES.join(" "));
      grant.addResourceScope(API_RESOURCE, apiResourceServer.scope);
      await grant.save();
      return grant;
    },
    findAccount: (_ctx, sub): Account | undefined => {
      const user = findUserBySub(sub);
      return user && { accountId: user.sub, claims: () => userClaims(user) };
    },
    extraTokenClaims: (_ctx, token) => {
      const common = { azp: token.clientId, typ: "Bearer" };
      if (token.kind === "ClientCredentials") {
        const client = findClient(token.clientId ?? "");
        return {
          ...common,
          preferred_username: serviceAccountName(token.clientId ?? ""),
          realm_access: { roles: [...(client?.roles ?? [])] },
          tenant: client?.tenant,
        };
      }
      const user = findUserBySub(token.accountId);
      if (!user) return common;
      const { sub: _sub, ...claims } = userClaims(user);
      return { ...common, ...claims, sid: token.sid };
    },
    formats: {
      customizers: {
        jwt: (_ctx, token, jwt) => {
          jwt.header = { typ: "JWT" }; // Keycloak's header typ (the library would use at+jwt)
          if (token.kind === "ClientCredentials") jwt.payload.sub = serviceAccountName(token.clientId ?? "");
          jwt.payload.scope = withDefaultScopes(jwt.payload.scope);
        },
      },
    },
    renderError: (ctx: KoaContextWithOIDC, out) => {
      ctx.type = "html";
      ctx.body = messagePage("Error", out.error_description ?? out.error, out.error);
    },
  };

  const provider = new Provider(issuer, configuration);
  provider.proxy = true; // honour X-Forwarded-* when run behind a reverse proxy

  // Prefix matching of pbms-admin's redirect and post-logout URIs (the library only does exact matches).
  const { prototype } = provider.Client;
  const exactRedirect = prototype.redirectUriAllowed;
  const exactPostLogout = prototype.postLogoutRedirectUriAllowed;
  prototype.redirectUriAllowed = function (uri) {
    return this.clientId === ADMIN_CLIENT_ID
      ? allowedByPrefix(uri, adminOrigins)
      : exactRedirect.call(this, uri);
  };
  prototype.postLogoutRedirectUriAllowed = function (uri) {
    return this.clientId === ADMIN_CLIENT_ID
      ? allowedByPrefix(uri, adminOrigins)
      : exactPostLogout.call(this, uri);
  };

  // Keycloak puts `sid` into every token; the library only does for back-channel logout clients.
  prototype.includeSid = () => true;

  const refreshSecret = randomBytes(32);
  Object.assign(provider.RefreshToken.prototype, {
    generateTokenId(this: InstanceType<Provider["RefreshToken"]>) {
      return jwtShapedRefreshTokenId(this, issuer, refreshSecret);
    },
  });

  provider.on("server_error", (_ctx: unknown, error: Error) =>
    settings.log(`idp server_error: ${error.message}`),
  );
  return provider;
}
