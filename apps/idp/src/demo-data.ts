// Static realm content of the local identity provider: realm roles, demo users
// and clients. Development and test data only; nothing here is secret.
import { createHash } from "node:crypto";

export const REALM = "pbms";

/** Audience (Keycloak "audience mapper") put into every access token. */
export const API_AUDIENCE = "pbms-api";

/** Client id of the administration single-page app. */
export const ADMIN_CLIENT_ID = "pbms-admin";

export const ROLES = [
  "admin",
  "registrar",
  "program-manager",
  "approver",
  "finance",
  "auditor",
  "viewer",
] as const;

export type Role = (typeof ROLES)[number];

export interface DemoUser {
  /** Stable subject (UUID derived from the username). */
  sub: string;
  username: string;
  password: string;
  roles: Role[];
  tenant: string;
  name: string;
  givenName: string;
  familyName: string;
  email: string;
}

export interface DemoClient {
  clientId: string;
  /** Absent for public clients. */
  secret?: string;
  grantTypes: string[];
  /** Realm roles of the client's service account (client credentials only). */
  roles: Role[];
  /** Tenant claim of the client's service account. */
  tenant?: string;
  description: string;
}

export const DEMO_PASSWORD = "demo";

// Fixed namespace for UUIDv5 subjects, so restarts keep the same `sub`.
const SUBJECT_NAMESPACE = "6f1c7a52-3b1e-4c1d-9a59-5d0b1f2e8c11";

/** Deterministic RFC 4122 version 5 UUID for a username. */
export function subjectFor(username: string): string {
  const namespace = Buffer.from(SUBJECT_NAMESPACE.replaceAll("-", ""), "hex");
  const bytes = createHash("sha1").update(namespace).update(username).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const capitalise = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

function demoUser(username: string, role: Role, tenant: string): DemoUser {
  const givenName = capitalise(tenant);
  const familyName = role.split("-").map(capitalise).join(" ");
  return {
    sub: subjectFor(username),
    username,
    password: DEMO_PASSWORD,
    roles: [role],
    tenant,
    name: `${givenName} ${familyName}`,
    givenName,
    familyName,
    email: `${role}@${tenant}.pbms.local`,
  };
}

/** One user per role in tenant `demo` (username = role), plus `other-admin` in tenant `other`. */
export const DEMO_USERS: readonly DemoUser[] = [
  ...ROLES.map((role) => demoUser(role, role, "demo")),
  demoUser("other-admin", "admin", "other"),
];

export const DEMO_CLIENTS: readonly DemoClient[] = [
  {
    clientId: ADMIN_CLIENT_ID,
    grantTypes: ["authorization_code", "refresh_token"],
    roles: [],
    description: "Administration app: public client, authorization code + PKCE (S256), refresh tokens",
  },
  {
    clientId: "demo-integrator",
    secret: "demo-integrator-secret",
    grantTypes: ["client_credentials"],
    roles: ["program-manager"],
    tenant: "demo",
    description: "Machine client of tenant demo (client credentials)",
  },
  {
    clientId: "other-integrator",
    secret: "other-integrator-secret",
    grantTypes: ["client_credentials"],
    roles: ["program-manager"],
    tenant: "other",
    description: "Machine client of tenant other (client credentials)",
  },
];

export const findUserBySub = (sub: string): DemoUser | undefined => DEMO_USERS.find((u) => u.sub === sub);

export const findUserByUsername = (username: string): DemoUser | undefined =>
  DEMO_USERS.find((u) => u.username === username.trim().toLowerCase());

export const findClient = (clientId: string): DemoClient | undefined =>
  DEMO_CLIENTS.find((c) => c.clientId === clientId);
