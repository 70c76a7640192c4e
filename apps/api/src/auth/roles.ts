/** Realm roles (Keycloak realm roles, carried in `realm_access.roles`). */
export const Role = {
  Admin: "admin",
  Registrar: "registrar",
  ProgramManager: "program-manager",
  Approver: "approver",
  Finance: "finance",
  Auditor: "auditor",
  Viewer: "viewer",
} as const;

export type Role = (typeof Role)[keyof typeof Role];

export const ALL_ROLES: readonly Role[] = Object.values(Role);

export function isRole(value: string): value is Role {
  return (ALL_ROLES as readonly string[]).includes(value);
}
