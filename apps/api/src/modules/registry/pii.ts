import { Role } from "../../auth/roles.ts";
import type { RequestContext } from "../../context.ts";
import { AppError, ErrorCode } from "../../errors.ts";
import type { RegistrantFilter } from "./registry.type.ts";

/**
 * Roles that see personal data in clear: identifiers, phone numbers, account
 * numbers and account holders (the others see them masked), and that may
 * search the registry by an identifier or a phone number.
 */
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

/** Keeps the last characters only: `••••••1234` (`keep = 0` masks every character). */
export function mask(value: string | null | undefined, keep = 4): string | null {
  if (value == null) return null;
  if (value.length <= keep) return "•".repeat(value.length);
  return "•".repeat(value.length - keep) + value.slice(value.length - keep);
}

/** `value` for callers who may see personal data, masked otherwise (see `mask`). */
export function pii(ctx: RequestContext, value: string | null | undefined, keep = 4): string | null {
  return canSeePii(ctx) ? (value ?? null) : mask(value, keep);
}

/**
 * A G2P Connect `fa` string with its account masked as the `iban` and `msisdn`
 * fields are: `iban:••••••3000@COBADEFFXXX`, `mobile:•••••••••9888@mpesa`. The
 * scheme and the institution after `@` (BIC, wallet provider) name no person
 * and stay. A string of another shape keeps its last four characters only.
 */
export function maskFa(fa: string): string {
  const m = /^([a-z][a-z0-9+.-]*):([^@]*)(@[^@]*)?$/i.exec(fa);
  if (!m) return mask(fa)!;
  const [, scheme, account, institution = ""] = m;
  return `${scheme}:${mask(account)}${institution}`;
}

/** Filters of the registrant list that would confirm whose identifier or phone number a value is. */
const PII_FILTERS = ["identifier", "phone"] as const;

/**
 * Refuses the identifier and phone filters to roles that see those values
 * masked: a match would tell them whose number it is. FORBIDDEN, with the
 * argument in `extensions.field` (`filter.identifier`, `filter.phone`).
 */
export function assertPiiFilters(ctx: RequestContext, filter: RegistrantFilter | undefined): void {
  if (!filter || canSeePii(ctx)) return;
  for (const name of PII_FILTERS) {
    if (filter[name]?.trim())
      throw new AppError(
        ErrorCode.Forbidden,
        `Searching by ${name === "phone" ? "phone number" : name} needs access to personal data, which your roles do not give`,
        { field: `filter.${name}` },
      );
  }
}
