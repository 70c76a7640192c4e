import type { DocumentNode } from "graphql";

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Date range filters (`occurredAt_gte`, `occurredAt_lte`) come from <DateInput> as
 * `YYYY-MM-DD`; the API's DateTime scalar wants an instant. `_gte` becomes the start
 * and `_lte` the end of that day in the browser's time zone, so a one-day range
 * covers the whole day the user sees.
 */
export function normaliseDateRangeFilter(
  filter: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (!filter) return filter;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filter)) {
    const match = typeof value === "string" ? DATE_ONLY.exec(value) : null;
    if (match && (key.endsWith("_gte") || key.endsWith("_lte"))) {
      const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
      const instant = key.endsWith("_gte")
        ? new Date(year, month, day, 0, 0, 0, 0)
        : new Date(year, month, day, 23, 59, 59, 999);
      result[key] = instant.toISOString();
    } else if (value === "" || value === undefined) {
      // An emptied filter input: leave the criterion out rather than sending "".
      continue;
    } else {
      result[key] = value;
    }
  }
  return result;
}

/**
 * ra-data-graphql-simple puts every property of a record into the variables of an
 * update (e.g. `code`, `createdAt`, `__typename` of a Department) although the
 * operation only declares some of them. Keep only the declared variables so the API
 * never receives undeclared ones.
 */
export function pickDeclaredVariables(
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const declared = new Set<string>();
  for (const definition of document.definitions) {
    if (definition.kind === "OperationDefinition") {
      for (const variable of definition.variableDefinitions ?? []) declared.add(variable.variable.name.value);
    }
  }
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(variables ?? {})) {
    if (declared.has(key)) result[key] = value;
  }
  return result;
}
