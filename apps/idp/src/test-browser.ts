// Test helper: a minimal "browser" on top of fetch that keeps cookies and
// follows redirects by hand, plus the PBMS admin app's side of the code flow.
import { createHash, randomBytes } from "node:crypto";

export const ADMIN_ORIGIN = "http://localhost:5173";

export class Browser {
  readonly cookies = new Map<string, string>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set("Cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    }
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = cookie.split(";");
      const [name = "", value = ""] = pair.split("=");
      const expired = attributes.some((a) => /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === "") this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
    return response;
  }

  /** Follows redirects until a page is rendered or the browser is sent to the admin app. */
  async navigate(url: string, init?: RequestInit): Promise<{ url: string; response?: Response }> {
    let response = await this.request(url, init);
    let current = url;
    while (response.status >= 300 && response.status < 400) {
      current = new URL(response.headers.get("Location") ?? "", current).href;
      if (current.startsWith(`${ADMIN_ORIGIN}/`)) return { url: current };
      response = await this.request(current);
    }
    return { url: current, response };
  }

  async submitForm(pageUrl: string, html: string, fields: Record<string, string>) {
    const action = decodeHtml(/<form[^>]*action="([^"]+)"/.exec(html)?.[1] ?? "");
    const hidden = [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map(
      ([, name = "", value = ""]): [string, string] => [name, decodeHtml(value)],
    );
    const body = new URLSearchParams([...hidden, ...Object.entries(fields)]);
    return this.navigate(new URL(action, pageUrl).href, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
  }
}

const decodeHtml = (value: string): string =>
  value
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");

export interface AuthRequest {
  url: string;
  redirectUri: string;
  verifier: string;
  state: string;
  nonce: string;
}

/** Authorization request as keycloak-js 26 builds it (fragment response mode, PKCE S256, scope openid). */
export function authRequest(issuer: string, redirectUri = `${ADMIN_ORIGIN}/admin/#/`): AuthRequest {
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(8).toString("hex");
  const nonce = randomBytes(8).toString("hex");
  const params = new URLSearchParams({
    client_id: "pbms-admin",
    redirect_uri: redirectUri,
    state,
    response_mode: "fragment",
    response_type: "code",
    scope: "openid",
    nonce,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  });
  return { url: `${issuer}/protocol/openid-connect/auth?${params}`, redirectUri, verifier, state, nonce };
}

export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  expires_in: number;
  token_type: string;
  scope?: string;
  error?: string;
}

export async function postForm(
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields),
  });
  return { response, body: (await response.json()) as TokenResponse };
}

/** Logs in through the login page and exchanges the code like keycloak-js does (from the admin origin). */
export async function signIn(browser: Browser, issuer: string, username: string, password: string) {
  const request = authRequest(issuer);
  const login = await browser.navigate(request.url);
  const html = (await login.response?.text()) ?? "";
  const done = await browser.submitForm(login.url, html, { username, password });
  // keycloak-js style: the response is appended to the route in the fragment (#/&code=…).
  const callback = new URLSearchParams(new URL(done.url).hash.slice(1));
  const code = callback.get("code");
  if (!code || callback.get("state") !== request.state) throw new Error(`no code in ${done.url}`);
  const token = await postForm(
    `${issuer}/protocol/openid-connect/token`,
    {
      grant_type: "authorization_code",
      client_id: "pbms-admin",
      code,
      redirect_uri: request.redirectUri,
      code_verifier: request.verifier,
    },
    { Origin: ADMIN_ORIGIN },
  );
  return { request, callbackUrl: done.url, ...token };
}
