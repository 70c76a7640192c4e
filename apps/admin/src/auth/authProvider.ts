import type { AuthProvider, UserIdentity } from "react-admin";
import { canAccess } from "./access";
import type { AuthSession, KeycloakLike } from "./session";

/** Roles from the access token (`realm_access.roles`). */
export function rolesOf(keycloak: Pick<KeycloakLike, "tokenParsed">): string[] {
  const roles: unknown = keycloak.tokenParsed?.realm_access?.roles;
  return Array.isArray(roles) ? roles.filter((role): role is string => typeof role === "string") : [];
}

export function identityOf(keycloak: Pick<KeycloakLike, "tokenParsed">): UserIdentity {
  const claims = keycloak.tokenParsed ?? {};
  const username = typeof claims.preferred_username === "string" ? claims.preferred_username : "";
  const name = typeof claims.name === "string" && claims.name.trim() !== "" ? claims.name : undefined;
  return {
    id: typeof claims.sub === "string" ? claims.sub : username,
    fullName: name ?? username,
    username,
    roles: rolesOf(keycloak),
  };
}

function statusOf(error: unknown): number | undefined {
  if (error && typeof error === "object" && "status" in error && typeof error.status === "number") {
    return error.status;
  }
  return undefined;
}

/**
 * react-admin authProvider over the keycloak-js session. There is no login page in the
 * SPA: signing in happens at the identity provider before the app renders, and a 401
 * sends the browser back there.
 */
export function createAuthProvider(session: AuthSession): AuthProvider {
  const { keycloak } = session;
  return {
    // Not reachable (no login page); kept because react-admin requires it.
    login: async () => {
      await session.relogin();
    },
    logout: async () => {
      if (keycloak.authenticated) await session.logout();
      // keycloak.logout() navigates away; react-admin must not redirect on its own.
      return false;
    },
    checkAuth: async () => {
      if (keycloak.authenticated && keycloak.token) return;
      void session.relogin();
      throw { redirectTo: false, logoutUser: false, message: false };
    },
    checkError: async (error: unknown) => {
      // 401: the token was refused; sign in again (keeps the identity provider session).
      // 403 and the rest are shown as notifications, without signing out.
      if (statusOf(error) === 401) await session.relogin();
    },
    getIdentity: async () => identityOf(keycloak),
    getPermissions: async () => rolesOf(keycloak),
    canAccess: async ({ resource, action }) => canAccess(rolesOf(keycloak), resource, action),
  };
}
