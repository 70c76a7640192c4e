import { REQUIRED, blank, validateCode } from "../referenceValidation";

/** The zone form's validator (create and edit). */
export function validateGeoZone(values: Record<string, unknown>): Record<string, string> {
  const errors: Record<string, string> = {};
  const code = blank(values.code) ? REQUIRED : validateCode(values.code);
  if (code) errors.code = code;
  if (blank(values.name)) errors.name = REQUIRED;
  if (blank(values.level)) errors.level = REQUIRED;
  if (values.level === "SMALL" && blank(values.parentId)) errors.parentId = "app.geoZone.validation.parent";
  return errors;
}

/** A LARGE zone has no parent. */
export function geoZoneInput(values: Record<string, unknown>): Record<string, unknown> {
  return { ...values, parentId: values.level === "SMALL" ? (values.parentId ?? null) : null };
}
