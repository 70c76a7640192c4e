import { REQUIRED, blank, validateCode } from "../referenceValidation";

/** The membership kind form's validator (create and edit). */
export function validateMembershipKind(values: Record<string, unknown>): Record<string, string> {
  const errors: Record<string, string> = {};
  const code = blank(values.code) ? REQUIRED : validateCode(values.code);
  if (code) errors.code = code;
  if (blank(values.name)) errors.name = REQUIRED;
  return errors;
}
