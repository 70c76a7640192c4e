// Routes served next to the library's endpoints: the login page of an
// interaction, Keycloak's userinfo endpoint for JWT access tokens, and
// keycloak-js's third-party-cookie probe.
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { createLocalJWKSet, jwtVerify, type JWK } from "jose";
import type Provider from "oidc-provider";
import { API_AUDIENCE, findUserBySub, findUserByUsername, type DemoUser } from "./demo-data.js";
import { INVALID_CREDENTIALS, loginPage, messagePage, THIRD_PARTY_COOKIES_PAGE } from "./pages.js";
import { LOGIN_PATH, ROUTES, userClaims } from "./provider.js";

type Middleware = Parameters<Provider["use"]>[0];
type Context = Parameters<Middleware>[0];

export interface RouteSettings {
  issuer: string;
  adminOrigins: string[];
  publicKey: JWK;
}

const MAX_FORM_BYTES = 16 * 1024;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = "";
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > MAX_FORM_BYTES) throw new Error("form too large");
  }
  return new URLSearchParams(body);
}

const digest = (value: string): Buffer => createHash("sha256").update(value).digest();

function authenticate(username: string, password: string): DemoUser | undefined {
  const user = findUserByUsername(username);
  // Compare digests in constant time; unknown users are compared against a dummy.
  const matches = timingSafeEqual(digest(password), digest(user?.password ?? "\0"));
  return user && matches ? user : undefined;
}

function html(ctx: Context, status: number, body: string): void {
  ctx.status = status;
  ctx.type = "html";
  ctx.set("Cache-Control", "no-store");
  ctx.body = body;
}

/**
 * With response_mode=fragment Keycloak appends the response to the redirect URI's
 * own fragment (`/#/route&code=…`) and keycloak-js expects that; the library
 * replaces the fragment, which would lose the admin app's hash route.
 */
function keepRedirectFragment(ctx: Context): void {
  const redirectUri = (ctx as { oidc?: { params?: { redirect_uri?: unknown } } }).oidc?.params?.redirect_uri;
  const location = ctx.response.get("Location");
  if (typeof redirectUri !== "string" || !redirectUri.includes("#") || !location) return;
  const base = `${redirectUri.slice(0, redirectUri.indexOf("#"))}#`;
  if (location.startsWith(base)) ctx.redirect(`${redirectUri}&${location.slice(base.length)}`);
}

export function extraRoutes(provider: Provider, settings: RouteSettings): Middleware {
  const issuerPath = new URL(settings.issuer).pathname;
  const keys = createLocalJWKSet({ keys: [settings.publicKey] });

  async function login(ctx: Context, uid: string): Promise<void> {
    const details = await provider.interactionDetails(ctx.req, ctx.res).catch(() => undefined);
    if (!details || details.uid !== uid || details.prompt.name !== "login") {
      const message =
        "This sign-in attempt has expired or was already completed. Return to the application and sign in again.";
      return html(ctx, 400, messagePage("Sign-in expired", message));
    }
    const action = `${issuerPath}${LOGIN_PATH}${uid}`;
    if (ctx.method === "GET") {
      const hint = details.params.login_hint;
      return html(ctx, 200, loginPage({ action, username: typeof hint === "string" ? hint : "" }));
    }
    if (ctx.method !== "POST") return html(ctx, 405, messagePage("Error", "Method not allowed."));

    const form = await readForm(ctx.req);
    const username = form.get("username") ?? "";
    const user = authenticate(username, form.get("password") ?? "");
    if (!user) return html(ctx, 200, loginPage({ action, username, error: INVALID_CREDENTIALS }));

    const returnTo = await provider.interactionResult(
      ctx.req,
      ctx.res,
      { login: { accountId: user.sub } },
      { mergeWithLastSubmission: false },
    );
    ctx.status = 303;
    ctx.redirect(returnTo);
  }

  function allowCors(ctx: Context): void {
    ctx.vary("Origin");
    const origin = ctx.get("Origin");
    if (settings.adminOrigins.includes(origin)) {
      ctx.set("Access-Control-Allow-Origin", origin);
      ctx.set("Access-Control-Allow-Credentials", "true");
    }
  }

  // The library's userinfo endpoint refuses access tokens that have an audience
  // (and does not store JWT access tokens); Keycloak accepts them, so verify here.
  async function userinfo(ctx: Context): Promise<void> {
    allowCors(ctx);
    if (ctx.method === "OPTIONS") {
      ctx.set("Access-Control-Allow-Methods", "GET, POST");
      ctx.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
      ctx.status = 204;
      return;
    }
    ctx.set("Cache-Control", "no-store");
    const token = /^Bearer\s+(\S+)$/i.exec(ctx.get("Authorization"))?.[1];
    const payload = token
      ? await jwtVerify(token, keys, { issuer: settings.issuer, audience: API_AUDIENCE }).then(
          (result) => result.payload,
          () => undefined,
        )
      : undefined;
    if (!payload?.sub) {
      ctx.status = 401;
      ctx.set("WWW-Authenticate", 'Bearer error="invalid_token"');
      ctx.body = { error: "invalid_token", error_description: "Token verification failed" };
      return;
    }
    const user = findUserBySub(payload.sub);
    ctx.body = user ? userClaims(user) : { sub: payload.sub, preferred_username: payload.preferred_username };
  }

  return async (ctx, next) => {
    if (ctx.path.startsWith(LOGIN_PATH)) return login(ctx, ctx.path.slice(LOGIN_PATH.length));
    if (ctx.path === ROUTES.userinfo) return userinfo(ctx);
    if (ctx.path === "/protocol/openid-connect/3p-cookies/step1.html")
      return html(ctx, 200, THIRD_PARTY_COOKIES_PAGE);
    await next();
    if (ctx.path.startsWith(ROUTES.authorization)) keepRedirectFragment(ctx);
    // keycloak-js calls the token endpoint with credentials: 'include', so the
    // browser needs Allow-Credentials next to the library's CORS headers (as Keycloak sends).
    const origin = ctx.get("Origin");
    if (
      settings.adminOrigins.includes(origin) &&
      ctx.response.get("Access-Control-Allow-Origin") === origin
    ) {
      ctx.set("Access-Control-Allow-Credentials", "true");
    }
  };
}
