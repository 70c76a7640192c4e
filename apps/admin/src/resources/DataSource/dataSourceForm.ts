/** A JSON input's text: objects pretty-printed, text left as typed. */
export function jsonText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  return JSON.stringify(value, null, 2);
}

/**
 * A JSON input's value from its text: the parsed object when the text is a JSON
 * object, `undefined` when empty, else the text itself (which `validateJsonObject` refuses).
 */
export function parseJsonText(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : text;
  } catch (_error) {
    return text;
  }
}

/** Whether a form value is set (not empty text, null or undefined). */
export function hasValue(value: unknown): boolean {
  return value !== undefined && value !== null && !(typeof value === "string" && value.trim() === "");
}

/**
 * The record sent by the data source form: the write-only secret only when one
 * was typed; an emptied signature setting as null, so that it is removed.
 */
export function dataSourcePayload(data: Record<string, unknown>): Record<string, unknown> {
  const { clientSecret, ...rest } = data;
  for (const key of ["signatureJwksUrl", "signatureKeys"])
    if (key in rest && !hasValue(rest[key])) rest[key] = null;
  return typeof clientSecret === "string" && clientSecret.trim() !== "" ? { ...rest, clientSecret } : rest;
}
