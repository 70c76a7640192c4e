import Keycloak from "keycloak-js";
import type { AppConfig } from "../config";
import { rememberRoute, takeRememberedRoute } from "./returnTo";
import { MIN_TOKEN_VALIDITY_SECONDS, createAuthSession, type AuthSession } from "./session";

/** The app root (the single redirect URI registered for the client at the identity provider). */
export function appRootUrl(): string {
  return new URL(import.meta.env.BASE_URL, window.location.origin).href;
}

/**
 * Signs the user in before anything renders: an unauthenticated visit is redirected to
 * the identity provider's login page (authorization code flow with PKCE) and comes back
 * with a token. Resolves only once authenticated; while redirecting it never resolves.
 */
export async function signIn(config: AppConfig): Promise<AuthSession> {
  const keycloak = new Keycloak({ url: config.oidcUrl, realm: config.realm, clientId: config.clientId });
  // Both redirects go to the app root (`${origin}/`), which Keycloak's `${origin}/*`
  // pattern and the local IdP's prefix rule accept; the bare origin is not below it.
  const session = createAuthSession(keycloak, {
    loginRedirectUri: appRootUrl(),
    logoutRedirectUri: appRootUrl(),
    storage: window.sessionStorage,
    beforeRedirect: () => rememberRoute(window.location.hash, window.sessionStorage),
  });

  // Refresh shortly before expiry even when the app is idle (e.g. a job page polling).
  keycloak.onTokenExpired = () => {
    keycloak.updateToken(MIN_TOKEN_VALIDITY_SECONDS).catch(() => session.relogin());
  };

  rememberRoute(window.location.hash, window.sessionStorage);
  const authenticated = await keycloak.init({
    onLoad: "login-required",
    pkceMethod: "S256",
    checkLoginIframe: false,
    redirectUri: appRootUrl(),
  });
  if (!authenticated) {
    // login-required normally redirects; make sure we never render signed out.
    await session.relogin();
    return new Promise<never>(() => undefined);
  }

  const route = takeRememberedRoute(window.location.hash, window.sessionStorage);
  if (route) window.history.replaceState(window.history.state, "", route);
  return session;
}
