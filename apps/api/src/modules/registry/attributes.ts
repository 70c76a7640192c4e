// Validation of Registrant.attributes against the department's AttributeDefinitions.
import type { AttributeDefinition } from "@pbms/db";

export interface AttributeProblem {
  field: string;
  message: string;
}

function checkValue(def: AttributeDefinition, value: unknown): { value: unknown } | { message: string } {
  const min = def.min === null ? undefined : Number(def.min);
  const max = def.max === null ? undefined : Number(def.max);
  const range = (n: number) =>
    (min !== undefined && n < min) || (max !== undefined && n > max)
      ? { message: `must be between ${min ?? "-∞"} and ${max ?? "∞"}` }
      : { value: n };
  switch (def.type) {
    case "NUMBER": {
      const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      return typeof n === "number" && Number.isFinite(n) ? range(n) : { message: "must be a number" };
    }
    case "INTEGER": {
      const n = typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      return typeof n === "number" && Number.isInteger(n) ? range(n) : { message: "must be a whole number" };
    }
    case "BOOLEAN":
      if (typeof value === "boolean") return { value };
      if (value === "true" || value === "false") return { value: value === "true" };
      return { message: "must be true or false" };
    case "TEXT":
      return typeof value === "string" ? { value } : { message: "must be text" };
    case "ENUM":
      return typeof value === "string" && def.enumValues.includes(value)
        ? { value }
        : { message: `must be one of ${def.enumValues.join(", ")}` };
    case "DATE":
      return typeof value === "string" &&
        /^\d{4}-\d{2}-\d{2}$/.test(value) &&
        !Number.isNaN(Date.parse(value))
        ? { value }
        : { message: "must be a date (YYYY-MM-DD)" };
    default:
      return { message: `has an unknown type ${String(def.type)}` };
  }
}

/**
 * Checks `attributes` of a registrant of `kind`: every key must be defined for
 * that kind, values typed and in range, required ones present. Returns the
 * normalised object (numbers as numbers, booleans as booleans) or the problems.
 */
export function validateAttributes(
  defs: AttributeDefinition[],
  attributes: Record<string, unknown>,
  kind: "INDIVIDUAL" | "GROUP",
): { attributes: Record<string, unknown> } | { problems: AttributeProblem[] } {
  const byCode = new Map(
    defs.filter((d) => d.appliesTo === null || d.appliesTo === kind).map((d) => [d.code, d]),
  );
  const problems: AttributeProblem[] = [];
  const normalised: Record<string, unknown> = {};
  for (const [code, value] of Object.entries(attributes)) {
    const def = byCode.get(code);
    if (!def) {
      problems.push({
        field: `attributes.${code}`,
        message: `${code} is not an attribute of ${kind.toLowerCase()}s`,
      });
      continue;
    }
    if (value === null || value === "") continue;
    const checked = checkValue(def, value);
    if ("message" in checked)
      problems.push({ field: `attributes.${code}`, message: `${def.label} ${checked.message}` });
    else normalised[code] = checked.value;
  }
  for (const def of byCode.values()) {
    if (
      def.required &&
      normalised[def.code] === undefined &&
      !problems.some((p) => p.field === `attributes.${def.code}`)
    ) {
      problems.push({ field: `attributes.${def.code}`, message: `${def.label} is required` });
    }
  }
  return problems.length ? { problems } : { attributes: normalised };
}
