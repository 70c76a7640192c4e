import type Keycloak from "keycloak-js";

/** The part of a keycloak-js instance the SPA uses (a fake in tests). */
export type KeycloakLike = Pick<
  Keycloak,
  "authenticated" | "token" | "tokenParsed" | "updateToken" | "login" | "logout"
>;

/** Seconds of validity a token must still have before a request; otherwise it is refreshed first. */
export const MIN_TOKEN_VALIDITY_SECONDS = 30;

export class SessionExpiredError extends Error {
  readonly status = 401;
  constructor() {
    super("The session has expired; signing in again.");
    this.name = "SessionExpiredError";
  }
}

/**
 * The signed-in session: hands out fresh access tokens and sends the browser back to
 * the identity provider when the session cannot be refreshed or the API says 401.
 */
export interface AuthSession {
  readonly keycloak: KeycloakLike;
  /** A token valid for at least MIN_TOKEN_VALIDITY_SECONDS, refreshed if needed. */
  getToken(): Promise<string>;
  /** Redirects to the identity provider's login (once, however many callers ask). */
  relogin(): Promise<void>;
  /** Ends the session at the identity provider and comes back to the app's root. */
  logout(): Promise<void>;
  /** `fetch` with `Authorization: Bearer` (for downloads outside GraphQL). */
  fetch(input: string, init?: RequestInit): Promise<Response>;
}

export interface AuthSessionOptions {
  /** Where the identity provider sends the browser back after login. */
  loginRedirectUri: string;
  /** Where the identity provider sends the browser after logout. */
  logoutRedirectUri: string;
  fetchImpl?: typeof fetch;
  /** Remembers the last re-login across the redirect (sessionStorage in the browser). */
  storage?: Pick<Storage, "getItem" | "setItem">;
  now?: () => number;
  /** Runs just before a re-login redirect (e.g. to remember the current route). */
  beforeRedirect?: () => void;
}

/**
 * A second re-login within this many milliseconds is not attempted: an API that refuses
 * every fresh token (wrong issuer or audience) would otherwise bounce the browser between
 * the SPA and the identity provider forever. The error is shown instead.
 */
export const RELOGIN_LOOP_WINDOW_MS = 15_000;
const RELOGIN_KEY = "pbms.reloginAt";

export function createAuthSession(keycloak: KeycloakLike, options: AuthSessionOptions): AuthSession {
  let redirecting: Promise<void> | undefined;
  const fetchImpl = options.fetchImpl ?? ((input, init) => fetch(input, init));

  const now = options.now ?? Date.now;

  const relogin = (): Promise<void> => {
    if (redirecting) return redirecting;
    const last = Number(options.storage?.getItem(RELOGIN_KEY) ?? Number.NaN);
    if (Number.isFinite(last) && now() - last >= 0 && now() - last < RELOGIN_LOOP_WINDOW_MS) {
      return Promise.resolve();
    }
    options.storage?.setItem(RELOGIN_KEY, String(now()));
    options.beforeRedirect?.();
    redirecting = keycloak.login({ redirectUri: options.loginRedirectUri });
    return redirecting;
  };

  const getToken = async (): Promise<string> => {
    try {
      await keycloak.updateToken(MIN_TOKEN_VALIDITY_SECONDS);
    } catch (_error) {
      void relogin();
      throw new SessionExpiredError();
    }
    if (!keycloak.token) {
      void relogin();
      throw new SessionExpiredError();
    }
    return keycloak.token;
  };

  return {
    keycloak,
    getToken,
    relogin,
    logout: () => keycloak.logout({ redirectUri: options.logoutRedirectUri }),
    async fetch(input, init = {}) {
      const token = await getToken();
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${token}`);
      const response = await fetchImpl(input, { ...init, headers });
      if (response.status === 401) void relogin();
      return response;
    },
  };
}
