import { Role } from "../../auth/roles.ts";
import type { RequestContext } from "../../context.ts";

/** Roles that see identifiers, phone numbers and account numbers in clear. */
export const PII_ROLES: readonly Role[] = [
  Role.Admin,
  Role.Registrar,
  Role.ProgramManager,
  Role.Approver,
  Role.Finance,
  Role.Auditor,
];

export function canSeePii(ctx: RequestContext): boolean {
  return ctx.principal.roles.some((r) => PII_ROLES.includes(r));
}

/** Keeps the last characters only: `••••••1234`. */
export function mask(value: string | null | undefined, keep = 4): string | null {
  if (value == null) return null;
  if (value.length <= keep) return "•".repeat(value.length);
  return "•".repeat(value.length - keep) + value.slice(-keep);
}

/** `value` for callers who may see personal data, masked otherwise. */
export function pii(ctx: RequestContext, value: string | null | undefined): string | null {
  return canSeePii(ctx) ? (value ?? null) : mask(value);
}
