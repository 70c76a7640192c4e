/**
 * Pretty-prints a JSON scalar value for display. Strings holding JSON (some servers
 * serialise the JSON scalar as text) are parsed first; `null`/`undefined` give
 * `undefined` so callers can show an "empty" placeholder.
 */
export function formatJson(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch (_error) {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}
