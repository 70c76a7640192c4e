/**
 * PBMS realm roles (token `realm_access.roles`: `admin`, `program-manager`, …), in the
 * normalised form used here and as i18n keys (`app.roles.program_manager`).
 */
export const appRoles = [
  "admin",
  "registrar",
  "program_manager",
  "approver",
  "finance",
  "auditor",
  "viewer",
] as const;

export type AppRole = (typeof appRoles)[number];

/** `"ADMIN"`, `"admin"`, `"program-manager"` → `"admin"`, `"program_manager"`. */
export function normaliseRole(role: string): string {
  return role.trim().toLowerCase().replace(/-/g, "_");
}

/** The role as tokens and the API spell it: `program_manager` → `program-manager`. */
export function tokenRoleName(role: AppRole): string {
  return role.replace(/_/g, "-");
}

/** Keeps the roles that are PBMS roles (drops Keycloak's `offline_access`, `default-roles-…`). */
export function appRolesOf(roles: readonly string[] | undefined): AppRole[] {
  const known = new Set<string>(appRoles);
  const result: AppRole[] = [];
  for (const role of roles ?? []) {
    const normalised = normaliseRole(role);
    if (known.has(normalised) && !result.includes(normalised as AppRole)) result.push(normalised as AppRole);
  }
  return result;
}

/** Any signed-in user. */
const ANYONE = "*" as const;

type Rule = { roles: readonly AppRole[] | typeof ANYONE; actions: readonly string[] };

/**
 * What each role may see in the SPA. The API enforces the same rules; this only keeps
 * the menu and pages from offering what would be refused.
 */
export const accessRules: Readonly<Record<string, readonly Rule[]>> = {
  AuditEvent: [{ roles: ["admin", "auditor"], actions: ["list", "show", "export"] }],
  Job: [{ roles: ANYONE, actions: ["list", "show", "cancel", "download"] }],
  UserProfile: [{ roles: ["admin"], actions: ["list", "show"] }],
  Department: [{ roles: ["admin"], actions: ["show", "edit"] }],
  // The registry: everyone reads (the API masks personal data for viewers); registrars
  // and admins register and change registrants and group memberships. No delete.
  Registrant: [
    { roles: ANYONE, actions: ["list", "show"] },
    { roles: ["admin", "registrar"], actions: ["create", "edit"] },
  ],
  // Searching the registry by identifier or phone number: the roles that see personal data
  // in clear (the API's PII_ROLES); for the others a match would tell whose number it is.
  PersonalData: [
    {
      roles: ["admin", "registrar", "program_manager", "approver", "finance", "auditor"],
      actions: ["search"],
    },
  ],
  // Reference data of the registry: readable by all, kept by admins (zones also by
  // program managers).
  GeoZone: [
    { roles: ANYONE, actions: ["list", "show"] },
    { roles: ["admin", "program_manager"], actions: ["create", "edit", "delete"] },
  ],
  IdType: [
    { roles: ANYONE, actions: ["list", "show"] },
    { roles: ["admin"], actions: ["create", "edit", "delete"] },
  ],
  MembershipKind: [
    { roles: ANYONE, actions: ["list", "show"] },
    { roles: ["admin"], actions: ["create", "edit", "delete"] },
  ],
  AttributeDefinition: [
    { roles: ANYONE, actions: ["list", "show"] },
    { roles: ["admin"], actions: ["create", "edit", "delete"] },
  ],
  // Registry import page (uploads a CSV and runs REGISTRY_IMPORT) and export jobs.
  Import: [{ roles: ["admin", "registrar"], actions: ["create"] }],
  RegistryExport: [{ roles: ["admin", "registrar", "program_manager", "auditor"], actions: ["create"] }],
  // Documents of registrants: listed to all (empty without access to personal data);
  // registrars and admins attach and remove them.
  Document: [
    { roles: ANYONE, actions: ["list"] },
    { roles: ["admin", "registrar"], actions: ["create", "delete"] },
  ],
  // Deduplication: everyone but approvers and finance reviews; registrars and admins decide.
  DuplicateSet: [
    { roles: ["admin", "registrar", "program_manager", "auditor", "viewer"], actions: ["list", "show"] },
    { roles: ["admin", "registrar"], actions: ["edit"] },
  ],
  DedupRule: [{ roles: ["admin"], actions: ["list", "show", "edit"] }],
  // External registries: admins keep them, registrars and auditors read them.
  DataSource: [
    { roles: ["admin", "registrar", "auditor"], actions: ["list", "show"] },
    { roles: ["admin"], actions: ["create", "edit"] },
    { roles: ["admin", "registrar"], actions: ["sync"] },
  ],
  DataSourceRecord: [{ roles: ["admin", "registrar", "auditor"], actions: ["list", "show"] }],
};

/** Pure decision used by `authProvider.canAccess`; unknown resources/actions are denied. */
export function canAccess(roles: readonly string[] | undefined, resource: string, action: string): boolean {
  const rules = accessRules[resource];
  if (!rules) return false;
  const mine = appRolesOf(roles);
  return rules.some(
    (rule) =>
      rule.actions.includes(action) &&
      (rule.roles === ANYONE || rule.roles.some((role) => mine.includes(role))),
  );
}
