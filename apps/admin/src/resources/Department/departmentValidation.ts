/** Validators for the department settings form; each returns an i18n key or undefined. */

export function validateCurrency(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  return typeof value === "string" && /^[A-Z]{3}$/.test(value)
    ? undefined
    : "app.department.validation.currency";
}

export function validateTimeZone(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") return "app.department.validation.timezone";
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return undefined;
  } catch (_error) {
    return "app.department.validation.timezone";
  }
}
