/**
 * The yes/no choices of a BOOLEAN attribute in the list's filter bar. A select holds
 * text, the filter (and the URL) a boolean: `parse` and `format` convert between them.
 */
export const booleanFilterChoices = [
  { id: "true", name: "app.registrant.boolean.true" },
  { id: "false", name: "app.registrant.boolean.false" },
];

/** The select's "true"/"false" as the boolean the API compares with; anything else is no value. */
export function parseBooleanChoice(value: unknown): boolean | "" {
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  return "";
}

/** A boolean filter value as the select's choice id ("" when unset). */
export function formatBooleanChoice(value: unknown): string {
  return typeof value === "boolean" ? String(value) : "";
}
