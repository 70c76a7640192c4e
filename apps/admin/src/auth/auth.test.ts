import { describe, expect, it, vi } from "vitest";
import { appRolesOf, canAccess, normaliseRole } from "./access";
import { createAuthProvider, identityOf, rolesOf } from "./authProvider";
import { isAppRoute, rememberRoute, takeRememberedRoute } from "./returnTo";
import {
  type KeycloakLike,
  MIN_TOKEN_VALIDITY_SECONDS,
  RELOGIN_LOOP_WINDOW_MS,
  createAuthSession,
} from "./session";

function memoryStorage() {
  const data = new Map<string, string>();
  return {
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
    removeItem: (key: string) => void data.delete(key),
  };
}

function fakeKeycloak(overrides: Partial<KeycloakLike> = {}) {
  return {
    authenticated: true,
    token: "token-1",
    tokenParsed: {
      sub: "0b6c",
      preferred_username: "amina",
      name: "Amina Diallo",
      realm_access: { roles: ["offline_access", "default-roles-pbms", "auditor"] },
    },
    updateToken: vi.fn(async () => false),
    login: vi.fn(async () => undefined),
    logout: vi.fn(async () => undefined),
    ...overrides,
  } satisfies KeycloakLike;
}

describe("access rules", () => {
  it("shows the audit log to admins and auditors only", () => {
    expect(canAccess(["admin"], "AuditEvent", "list")).toBe(true);
    expect(canAccess(["auditor"], "AuditEvent", "show")).toBe(true);
    expect(canAccess(["registrar", "viewer"], "AuditEvent", "list")).toBe(false);
    expect(canAccess(["AUDITOR"], "AuditEvent", "export")).toBe(true);
  });

  it("shows jobs to every signed-in user, users and department settings to admins", () => {
    expect(canAccess([], "Job", "list")).toBe(true);
    expect(canAccess(["viewer"], "Job", "show")).toBe(true);
    expect(canAccess(["auditor"], "UserProfile", "list")).toBe(false);
    expect(canAccess(["admin"], "UserProfile", "list")).toBe(true);
    expect(canAccess(["admin"], "Department", "edit")).toBe(true);
    expect(canAccess(["program_manager"], "Department", "edit")).toBe(false);
  });

  it("lets everyone read the registry and registrars and admins change registrants", () => {
    expect(canAccess(["viewer"], "Registrant", "list")).toBe(true);
    expect(canAccess(["finance"], "Registrant", "show")).toBe(true);
    expect(canAccess(["registrar"], "Registrant", "create")).toBe(true);
    expect(canAccess(["admin"], "Registrant", "edit")).toBe(true);
    expect(canAccess(["viewer"], "Registrant", "edit")).toBe(false);
    expect(canAccess(["program-manager"], "Registrant", "create")).toBe(false);
    expect(canAccess(["admin"], "Registrant", "delete")).toBe(false);
  });

  it("lets only roles that see personal data search by identifier or phone", () => {
    for (const role of ["admin", "registrar", "program-manager", "approver", "finance", "auditor"]) {
      expect(canAccess([role], "PersonalData", "search"), role).toBe(true);
    }
    expect(canAccess(["viewer"], "PersonalData", "search")).toBe(false);
    expect(canAccess([], "PersonalData", "search")).toBe(false);
  });

  it("keeps reference data with admins, zones also with program managers", () => {
    for (const resource of ["GeoZone", "IdType", "MembershipKind", "AttributeDefinition"]) {
      expect(canAccess(["viewer"], resource, "list"), resource).toBe(true);
      expect(canAccess(["registrar"], resource, "edit"), resource).toBe(false);
      expect(canAccess(["admin"], resource, "create"), resource).toBe(true);
      expect(canAccess(["admin"], resource, "delete"), resource).toBe(true);
    }
    expect(canAccess(["program-manager"], "GeoZone", "edit")).toBe(true);
    expect(canAccess(["program-manager"], "IdType", "edit")).toBe(false);
  });

  it("denies what is not listed (read-only resources, unknown resources)", () => {
    expect(canAccess(["admin"], "AuditEvent", "delete")).toBe(false);
    expect(canAccess(["admin"], "AuditEvent", "edit")).toBe(false);
    expect(canAccess(["admin"], "Beneficiary", "list")).toBe(false);
  });

  it("normalises token roles and drops non-PBMS ones", () => {
    expect(normaliseRole("Program-Manager")).toBe("program_manager");
    expect(appRolesOf(["offline_access", "ADMIN", "admin", "program-manager"])).toEqual([
      "admin",
      "program_manager",
    ]);
    expect(appRolesOf(undefined)).toEqual([]);
  });
});

describe("authProvider", () => {
  it("reads identity and permissions from the token", async () => {
    const keycloak = fakeKeycloak();
    const provider = createAuthProvider(
      createAuthSession(keycloak, { loginRedirectUri: "/", logoutRedirectUri: "/" }),
    );
    await expect(provider.getIdentity?.()).resolves.toMatchObject({
      id: "0b6c",
      fullName: "Amina Diallo",
      username: "amina",
    });
    await expect(provider.getPermissions?.({})).resolves.toEqual([
      "offline_access",
      "default-roles-pbms",
      "auditor",
    ]);
    await expect(provider.canAccess?.({ resource: "AuditEvent", action: "list" })).resolves.toBe(true);
    await expect(provider.canAccess?.({ resource: "UserProfile", action: "list" })).resolves.toBe(false);
    await expect(provider.checkAuth({})).resolves.toBeUndefined();
  });

  it("falls back to the username without a name claim, and to no roles without realm_access", () => {
    const keycloak = fakeKeycloak({ tokenParsed: { sub: "x", preferred_username: "kofi" } });
    expect(identityOf(keycloak).fullName).toBe("kofi");
    expect(rolesOf(keycloak)).toEqual([]);
  });

  it("signs in again on 401 but not on 403, and logs out at the identity provider", async () => {
    const keycloak = fakeKeycloak();
    const provider = createAuthProvider(
      createAuthSession(keycloak, { loginRedirectUri: "http://app/", logoutRedirectUri: "http://app" }),
    );
    await provider.checkError({ status: 403 });
    expect(keycloak.login).not.toHaveBeenCalled();
    await provider.checkError({ status: 401 });
    expect(keycloak.login).toHaveBeenCalledWith({ redirectUri: "http://app/" });
    await expect(provider.logout({})).resolves.toBe(false);
    expect(keycloak.logout).toHaveBeenCalledWith({ redirectUri: "http://app" });
  });

  it("rejects checkAuth without redirecting inside the SPA when signed out", async () => {
    const keycloak = fakeKeycloak({ authenticated: false, token: undefined });
    const provider = createAuthProvider(
      createAuthSession(keycloak, { loginRedirectUri: "/", logoutRedirectUri: "/" }),
    );
    await expect(provider.checkAuth({})).rejects.toMatchObject({ redirectTo: false });
    expect(keycloak.login).toHaveBeenCalledTimes(1);
  });
});

describe("session", () => {
  it("refreshes the token (30 s minimum validity) before handing it out", async () => {
    const keycloak: KeycloakLike = fakeKeycloak();
    const updateToken = vi.fn(async () => {
      keycloak.token = "token-2";
      return true;
    });
    keycloak.updateToken = updateToken;
    const session = createAuthSession(keycloak, { loginRedirectUri: "/", logoutRedirectUri: "/" });
    await expect(session.getToken()).resolves.toBe("token-2");
    expect(updateToken).toHaveBeenCalledWith(MIN_TOKEN_VALIDITY_SECONDS);
    expect(MIN_TOKEN_VALIDITY_SECONDS).toBe(30);
  });

  it("signs in again (once) when the token cannot be refreshed", async () => {
    const keycloak = fakeKeycloak({ updateToken: vi.fn(async () => Promise.reject(new Error("expired"))) });
    const session = createAuthSession(keycloak, { loginRedirectUri: "/", logoutRedirectUri: "/" });
    await expect(session.getToken()).rejects.toMatchObject({ status: 401 });
    await expect(session.getToken()).rejects.toMatchObject({ status: 401 });
    expect(keycloak.login).toHaveBeenCalledTimes(1);
  });

  it("runs beforeRedirect once before redirecting", async () => {
    const keycloak = fakeKeycloak();
    const beforeRedirect = vi.fn();
    const session = createAuthSession(keycloak, {
      loginRedirectUri: "/",
      logoutRedirectUri: "/",
      beforeRedirect,
    });
    await session.relogin();
    await session.relogin();
    expect(beforeRedirect).toHaveBeenCalledTimes(1);
    expect(beforeRedirect.mock.invocationCallOrder[0]).toBeLessThan(
      vi.mocked(keycloak.login).mock.invocationCallOrder[0] ?? 0,
    );
  });

  it("does not bounce back to the identity provider right after a re-login", async () => {
    const storage = memoryStorage();
    let now = 1_000_000;
    const options = { loginRedirectUri: "/", logoutRedirectUri: "/", storage, now: () => now };
    const first = fakeKeycloak();
    await createAuthSession(first, options).relogin();
    expect(first.login).toHaveBeenCalledTimes(1);

    // The page reloads after the login; the API still refuses the fresh token.
    const second = fakeKeycloak();
    now += 2_000;
    await createAuthSession(second, options).relogin();
    expect(second.login).not.toHaveBeenCalled();

    const third = fakeKeycloak();
    now += RELOGIN_LOOP_WINDOW_MS;
    await createAuthSession(third, options).relogin();
    expect(third.login).toHaveBeenCalledTimes(1);
  });

  it("fetches with the bearer token and re-logs in on 401", async () => {
    const keycloak = fakeKeycloak();
    const calls: [string, Headers][] = [];
    const fetchImpl = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push([String(input), new Headers(init?.headers)]);
      return new Response("nope", { status: calls.length === 1 ? 200 : 401 });
    });
    const session = createAuthSession(keycloak, { loginRedirectUri: "/", logoutRedirectUri: "/", fetchImpl });
    await session.fetch("http://api/jobs/1/output", { headers: { accept: "text/csv" } });
    expect(calls[0]?.[1].get("authorization")).toBe("Bearer token-1");
    expect(calls[0]?.[1].get("accept")).toBe("text/csv");
    expect(keycloak.login).not.toHaveBeenCalled();
    await session.fetch("http://api/jobs/1/output");
    expect(keycloak.login).toHaveBeenCalledTimes(1);
  });
});

describe("return to the requested route after login", () => {
  it("remembers a route, ignores the OAuth callback fragment and restores on the root only", () => {
    const storage = memoryStorage();
    rememberRoute("#/Job/7/show", storage);
    rememberRoute("#state=abc&code=def", storage);
    expect(takeRememberedRoute("", storage)).toBe("#/Job/7/show");
    expect(takeRememberedRoute("", storage)).toBeUndefined();

    rememberRoute("#/AuditEvent", storage);
    expect(takeRememberedRoute("#/UserProfile", storage)).toBeUndefined();
    expect(takeRememberedRoute("", storage)).toBeUndefined();
  });

  it("recognises app routes", () => {
    expect(isAppRoute("#/Job")).toBe(true);
    expect(isAppRoute("#/")).toBe(false);
    expect(isAppRoute("#state=x")).toBe(false);
    expect(isAppRoute("")).toBe(false);
  });
});
