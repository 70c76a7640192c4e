import { REQUIRED, blank, validateCode } from "../referenceValidation";

/** Whether the API can compile the pattern (it matches values in full). */
export function validatePattern(value: unknown): string | undefined {
  if (blank(value)) return undefined;
  try {
    new RegExp(`^(?:${String(value)})$`);
    return undefined;
  } catch (_error) {
    return "app.idType.validation.pattern";
  }
}

/** The identifier type form's validator (create and edit). */
export function validateIdType(values: Record<string, unknown>): Record<string, string> {
  const errors: Record<string, string> = {};
  const code = blank(values.code) ? REQUIRED : validateCode(values.code);
  if (code) errors.code = code;
  if (blank(values.name)) errors.name = REQUIRED;
  const pattern = validatePattern(values.pattern);
  if (pattern) errors.pattern = pattern;
  return errors;
}
