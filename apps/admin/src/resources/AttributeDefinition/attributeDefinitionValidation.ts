import { REQUIRED, blank } from "../referenceValidation";

const numeric = (type: unknown) => type === "NUMBER" || type === "INTEGER";

/** The attribute definition form's validator (create and edit); the API checks the same. */
export function validateAttributeDefinition(values: Record<string, unknown>): Record<string, string> {
  const errors: Record<string, string> = {};
  if (blank(values.code)) errors.code = REQUIRED;
  else if (typeof values.code !== "string" || !/^[a-z][a-z0-9_]{0,62}$/.test(values.code)) {
    errors.code = "app.attributeDefinition.validation.code";
  }
  if (blank(values.label)) errors.label = REQUIRED;
  if (blank(values.type)) errors.type = REQUIRED;
  const enumValues = Array.isArray(values.enumValues) ? values.enumValues : [];
  if (values.type === "ENUM" && enumValues.length === 0) {
    errors.enumValues = "app.attributeDefinition.validation.enumValues";
  }
  if (
    numeric(values.type) &&
    typeof values.min === "number" &&
    typeof values.max === "number" &&
    values.min > values.max
  ) {
    errors.max = "app.attributeDefinition.validation.range";
  }
  return errors;
}

/** Values only an ENUM has, a range only numbers have: the rest is cleared. */
export function attributeDefinitionInput(values: Record<string, unknown>): Record<string, unknown> {
  return {
    ...values,
    appliesTo: values.appliesTo || null,
    enumValues: values.type === "ENUM" && Array.isArray(values.enumValues) ? values.enumValues : [],
    min: numeric(values.type) ? (values.min ?? null) : null,
    max: numeric(values.type) ? (values.max ?? null) : null,
  };
}
