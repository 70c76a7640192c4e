/** Validators shared by the registry's reference data forms; each returns an i18n key or undefined. */

/** Codes: letters, digits, `_ . -` (as the API accepts). */
export function validateCode(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  return typeof value === "string" && /^[A-Za-z0-9_.-]{1,50}$/.test(value)
    ? undefined
    : "app.reference.validation.code";
}

export const blank = (value: unknown) =>
  value === undefined || value === null || (typeof value === "string" && value.trim() === "");

export const REQUIRED = "ra.validation.required";
