// Validation of Registrant.attributes against the department's AttributeDefinitions.
// The rules are those of the bulk import (apps/api/src/modules/imports/import.sql.ts),
// which in addition reads yes/no and 1/0 as booleans.
import { isDeepStrictEqual } from "node:util";
import type { AttributeDefinition } from "@pbms/db";

export interface AttributeProblem {
  field: string;
  message: string;
}

/** Whole numbers have at most 15 digits (exact as JSON numbers; the import's limit too). */
const MAX_INTEGER = 999_999_999_999_999;

/** Decimal notation, as the import reads numbers: no exponent, hexadecimal or spaces inside. */
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Whether `v` is a real calendar date written YYYY-MM-DD (years 0001–9999). */
export function isCalendarDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= days;
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
      const n = typeof value === "string" && DECIMAL.test(value.trim()) ? Number(value) : value;
      return typeof n === "number" && Number.isFinite(n) ? range(n) : { message: "must be a number" };
    }
    case "INTEGER": {
      const n = typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      return typeof n === "number" && Number.isInteger(n) && Math.abs(n) <= MAX_INTEGER
        ? range(n)
        : { message: "must be a whole number of at most 15 digits" };
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
      return typeof value === "string" && isCalendarDate(value.trim())
        ? { value: value.trim() }
        : { message: "must be a real date written YYYY-MM-DD" };
    default:
      return { message: `has an unknown type ${String(def.type)}` };
  }
}

/**
 * Checks `attributes` of a registrant of `kind` and returns the object to store
 * (numbers as numbers, booleans as booleans; null and "" leave a key out) or the
 * problems, each on `attributes.<code>`.
 *
 * A new registrant (`stored` undefined): every key must be defined for that
 * kind, every value typed and in range, every required attribute present.
 *
 * A change (`stored`: the attributes as they are): the given object replaces the
 * stored one, and only what it changes is checked. A key sent with the value it
 * already has is kept as it is, even when a later change of its definition (enum
 * values, range, the kind it applies to) would now refuse it; a key that is new or
 * has a new value is checked like on creation. A required attribute may not be
 * removed, but one that had no value before (made required later) is not demanded.
 */
export function validateAttributes(
  defs: AttributeDefinition[],
  attributes: Record<string, unknown>,
  kind: "INDIVIDUAL" | "GROUP",
  stored?: Record<string, unknown>,
): { attributes: Record<string, unknown> } | { problems: AttributeProblem[] } {
  const byCode = new Map(
    defs.filter((d) => d.appliesTo === null || d.appliesTo === kind).map((d) => [d.code, d]),
  );
  const problems: AttributeProblem[] = [];
  const normalised: Record<string, unknown> = {};
  for (const [code, value] of Object.entries(attributes)) {
    if (value === null || value === "") continue;
    if (stored && Object.hasOwn(stored, code) && isDeepStrictEqual(stored[code], value)) {
      normalised[code] = stored[code];
      continue;
    }
    const def = byCode.get(code);
    if (!def) {
      problems.push({
        field: `attributes.${code}`,
        message: `${code} is not an attribute of ${kind.toLowerCase()}s`,
      });
      continue;
    }
    const checked = checkValue(def, value);
    if ("message" in checked)
      problems.push({ field: `attributes.${code}`, message: `${def.label} ${checked.message}` });
    else normalised[code] = checked.value;
  }
  for (const def of byCode.values()) {
    const field = `attributes.${def.code}`;
    const hadValue = !stored || (stored[def.code] !== undefined && stored[def.code] !== null);
    if (
      def.required &&
      hadValue &&
      normalised[def.code] === undefined &&
      !problems.some((p) => p.field === field)
    ) {
      problems.push({ field, message: `${def.label} is required` });
    }
  }
  return problems.length ? { problems } : { attributes: normalised };
}

/** Codes of the attributes whose values `next` adds or changes (those it removes are not included). */
export function changedAttributeCodes(
  next: Record<string, unknown>,
  stored: Record<string, unknown> = {},
): string[] {
  return Object.entries(next)
    .filter(([code, value]) => !(Object.hasOwn(stored, code) && isDeepStrictEqual(stored[code], value)))
    .map(([code]) => code);
}
