/** Whole years ≥ 0 from a filter input (number or numeric text), else undefined. */
function years(value: unknown): number | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  const number = typeof value === "number" ? value : Number(String(value).trim());
  if (!Number.isFinite(number) || number < 0) return undefined;
  return Math.floor(number);
}

/**
 * The age range of the registry filter (`age_gte`, `age_lte`, Int in the API) from the
 * two number inputs: whole years, empty or invalid ends left out, and a reversed range
 * (from 60 to 18) read as the range the user meant (18 to 60).
 */
export function ageRangeFilter(filter: Record<string, unknown>): Record<string, unknown> {
  const { age_gte: rawFrom, age_lte: rawTo, ...rest } = filter;
  let from = years(rawFrom);
  let to = years(rawTo);
  if (from !== undefined && to !== undefined && from > to) [from, to] = [to, from];
  return {
    ...rest,
    ...(from !== undefined ? { age_gte: from } : {}),
    ...(to !== undefined ? { age_lte: to } : {}),
  };
}

/** Text criteria trimmed; criteria emptied by the user left out. */
export function trimTextFilter(filter: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filter)) {
    const cleaned = typeof value === "string" ? value.trim() : value;
    if (cleaned === "" || cleaned === undefined || cleaned === null) continue;
    result[key] = cleaned;
  }
  return result;
}

const isBlank = (value: unknown) =>
  value === undefined ||
  value === null ||
  (typeof value === "string" && value.trim() === "") ||
  (typeof value === "number" && !Number.isFinite(value));

/**
 * The attribute criterion of the registry filter bar (`attribute: { code, value }`: one
 * attribute definition picked, and a value from the input that fits its type) as the API's
 * `attributes: { <code>: <value> }`. The API compares JSON values, so the value is sent as
 * the input typed it (numbers as numbers, yes/no as booleans, dates as YYYY-MM-DD); text is
 * trimmed. Without an attribute or a value the criterion is left out.
 */
export function attributeFilter(filter: Record<string, unknown>): Record<string, unknown> {
  const { attribute, ...rest } = filter;
  if (!attribute || typeof attribute !== "object") return rest;
  const { code, value } = attribute as { code?: unknown; value?: unknown };
  if (typeof code !== "string" || code.trim() === "" || isBlank(value)) return rest;
  const existing =
    rest.attributes && typeof rest.attributes === "object"
      ? (rest.attributes as Record<string, unknown>)
      : {};
  return {
    ...rest,
    attributes: { ...existing, [code.trim()]: typeof value === "string" ? value.trim() : value },
  };
}

/** Per-resource list filter preparation, applied by the data provider before each list query. */
export const listFilterPreparers: Readonly<
  Record<string, (filter: Record<string, unknown>) => Record<string, unknown>>
> = {
  Registrant: (filter) => attributeFilter(ageRangeFilter(trimTextFilter(filter))),
};
