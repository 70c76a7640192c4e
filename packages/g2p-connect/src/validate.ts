// Validators for registry search messages, with errors a person can act on:
// a JSON pointer into the message and a short sentence.
import type { ErrorObject } from "ajv";
import { schemaValidator, type Dialect, type MessageSchema } from "./spec.ts";
import type {
  AckResponse,
  HttpErrorResponse,
  MsgHeaderStatusReasonCode,
  RegistrySearchRequestEnvelope,
  RegistrySearchResponseEnvelope,
  SearchStatusReasonCode,
} from "./types.ts";

/** One problem found in a message: where (RFC 6901 JSON pointer) and what. */
export interface SchemaError {
  pointer: string;
  message: string;
}

export type Validation<T> =
  | { valid: true; dialect: Dialect; value: T; errors: [] }
  | { valid: false; dialect: Dialect; errors: SchemaError[] };

const DCI_QUERY_TYPES = new Set(["idtype-value", "expression"]);

/**
 * Which dialect a request speaks: DCI when a search uses DCI-only names
 * (`idtype-value`, `expression`, `reg_event_type`, `response_entity`),
 * G2P Connect otherwise.
 */
export function detectDialect(msg: unknown): Dialect {
  for (const criteria of searchCriteria(msg)) {
    if (typeof criteria.query_type === "string" && DCI_QUERY_TYPES.has(criteria.query_type)) return "dci";
    if (criteria.reg_event_type !== undefined && criteria.reg_sub_type === undefined) return "dci";
    if (criteria.response_entity !== undefined) return "dci";
  }
  return "g2pconnect";
}

/**
 * Validates a `/registry/sync/search` (mode "sync", default) or
 * `/registry/search` (mode "async") request body. A request is valid when it
 * matches either dialect's schema; errors are reported in the dialect the
 * request appears to speak (see detectDialect) unless `dialect` is given.
 */
export function validateRegistrySearchRequest(
  msg: unknown,
  options: { mode?: "sync" | "async"; dialect?: Dialect } = {},
): Validation<RegistrySearchRequestEnvelope> {
  const schema: MessageSchema = options.mode === "async" ? "searchRequest" : "syncSearchRequest";
  const preferred = options.dialect ?? detectDialect(msg);
  const candidates: Dialect[] = options.dialect
    ? [options.dialect]
    : [preferred, preferred === "dci" ? "g2pconnect" : "dci"];
  let first: SchemaError[] | undefined;
  for (const dialect of candidates) {
    const errors = check(dialect, schema, msg);
    if (!errors.length) return ok(dialect, msg as RegistrySearchRequestEnvelope);
    first ??= errors;
  }
  return { valid: false, dialect: preferred, errors: first ?? [] };
}

/** Validates a `/registry/sync/search` response (an on-search envelope). */
export function validateRegistrySearchResponse(
  msg: unknown,
  dialect: Dialect = "g2pconnect",
): Validation<RegistrySearchResponseEnvelope> {
  return result(dialect, "syncSearchResponse", msg);
}

/** Validates the body of an `/registry/on-search` callback. */
export function validateOnSearchCallback(
  msg: unknown,
  dialect: Dialect = "g2pconnect",
): Validation<RegistrySearchResponseEnvelope> {
  return result(dialect, "onSearchCallback", msg);
}

/** Validates the acknowledgement of an asynchronous request (`common/response/Response.yaml`). */
export function validateAck(msg: unknown, dialect: Dialect = "g2pconnect"): Validation<AckResponse> {
  return result(dialect, "ack", msg);
}

/** Validates a 401/403/500 body (`common/response/HttpErrorResponse.yaml`). */
export function validateHttpError(
  msg: unknown,
  dialect: Dialect = "g2pconnect",
): Validation<HttpErrorResponse> {
  return result(dialect, "httpError", msg);
}

function result<T>(dialect: Dialect, schema: MessageSchema, msg: unknown): Validation<T> {
  const errors = check(dialect, schema, msg);
  return errors.length ? { valid: false, dialect, errors } : ok(dialect, msg as T);
}

function ok<T>(dialect: Dialect, value: T): Validation<T> {
  return { valid: true, dialect, value, errors: [] };
}

function check(dialect: Dialect, schema: MessageSchema, msg: unknown): SchemaError[] {
  const validate = schemaValidator(dialect, schema);
  if (!validate) throw new Error(`no ${schema} schema in the ${dialect} specification`);
  if (validate(msg)) return [];
  return readable(dialect, msg, [...(validate.errors ?? [])]);
}

/** Short "pointer: message; …" text, cut to `max` characters (the spec's reason messages allow 999). */
export function describeErrors(errors: readonly SchemaError[], max = 999): string {
  const text = errors.map((e) => `${e.pointer || "/"}: ${e.message}`).join("; ");
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Maps schema errors of a search request to the spec's reason codes: header
 * problems to MsgHeaderStatusReasonCode, problems inside `search_request[i]`
 * to SearchStatusReasonCode for item i.
 */
export function searchReasonCodes(errors: readonly SchemaError[]): {
  header: MsgHeaderStatusReasonCode | undefined;
  items: Map<number, { code: SearchStatusReasonCode; errors: SchemaError[] }>;
} {
  let header: MsgHeaderStatusReasonCode | undefined;
  const items = new Map<number, { code: SearchStatusReasonCode; errors: SchemaError[] }>();
  for (const error of errors) {
    const h = /^\/header\/(version|message_ts|action|total_count)(\/|$)/.exec(error.pointer);
    if (h) {
      header ??= HEADER_CODES[h[1] as keyof typeof HEADER_CODES];
      continue;
    }
    const m = /^\/message\/search_request\/(\d+)(\/.*)?$/.exec(error.pointer);
    if (!m) continue;
    const index = Number(m[1]);
    const rest = m[2] ?? "";
    const code: SearchStatusReasonCode = rest.startsWith("/reference_id")
      ? "rjct.reference_id.invalid"
      : rest.startsWith("/timestamp")
        ? "rjct.timestamp.invalid"
        : rest.startsWith("/search_criteria/pagination")
          ? "rjct.pagination.invalid"
          : rest.startsWith("/search_criteria/sort")
            ? "rjct.sort.invalid"
            : "rjct.search_criteria.invalid";
    const entry = items.get(index);
    if (entry) entry.errors.push(error);
    else items.set(index, { code, errors: [error] });
  }
  return { header, items };
}

const HEADER_CODES = {
  version: "rjct.version.invalid",
  message_ts: "rjct.message_ts.invalid",
  action: "rjct.action.invalid",
  total_count: "rjct.total_count.invalid",
} as const satisfies Record<string, MsgHeaderStatusReasonCode>;

// ---------------------------------------------------------------------------
// Turning Ajv's errors into a few readable ones
// ---------------------------------------------------------------------------

const QUERY_PATH = /^\/message\/search_request\/(\d+)\/search_criteria\/query(?=\/|$)/;

function readable(dialect: Dialect, msg: unknown, raw: ErrorObject[]): SchemaError[] {
  let errors = raw;
  // `message` is oneOf [payload, EncryptedMessage]: unless the sender meant to
  // encrypt, the EncryptedMessage branch's complaints are noise.
  if (!looksEncrypted(msg)) {
    errors = errors.filter((e) => !e.schemaPath.includes("/EncryptedMessage/"));
  }
  errors = explainQueries(dialect, msg, errors);
  errors = mergeTypeAlternatives(errors);
  // A oneOf/anyOf failure says little when a more precise error sits at or below it.
  errors = errors.filter(
    (e) =>
      !(e.keyword === "oneOf" || e.keyword === "anyOf") ||
      !errors.some(
        (o) =>
          o !== e &&
          o.keyword !== "oneOf" &&
          o.keyword !== "anyOf" &&
          (o.instancePath === e.instancePath || o.instancePath.startsWith(`${e.instancePath}/`)),
      ),
  );
  const seen = new Set<string>();
  const out: SchemaError[] = [];
  for (const e of errors) {
    const r = toReadable(e);
    const key = `${r.pointer}\u0000${r.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out;
}

function toReadable(e: ErrorObject): SchemaError {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return { pointer: `${e.instancePath}/${escape(String(p.missingProperty))}`, message: "is required" };
    case "enum":
      return {
        pointer: e.instancePath,
        message: `must be one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
      };
    case "type":
      return { pointer: e.instancePath, message: `must be ${article(String(p.type))}` };
    case "format":
      return { pointer: e.instancePath, message: `must be a valid ${String(p.format)}` };
    case "oneOf":
    case "anyOf":
      return { pointer: e.instancePath, message: "does not match any of the allowed forms" };
    default:
      return { pointer: e.instancePath, message: e.message ?? e.keyword };
  }
}

function article(type: string): string {
  const list = type.split(",").map((t) => t.trim());
  const named = list.map((t) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`));
  return named.length > 1 ? `${named.slice(0, -1).join(", ")} or ${named.at(-1)}` : (named[0] ?? type);
}

function escape(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** anyOf [string, number, …] failing on `null` gives one "type" error per branch: say it once. */
function mergeTypeAlternatives(errors: ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  const merged = new Set<ErrorObject>();
  for (const e of errors) {
    if (e.keyword !== "anyOf" && e.keyword !== "oneOf") continue;
    const types = errors.filter((o) => o.keyword === "type" && o.instancePath === e.instancePath);
    const others = errors.filter(
      (o) =>
        o !== e &&
        o.keyword !== "type" &&
        (o.instancePath === e.instancePath || o.instancePath.startsWith(`${e.instancePath}/`)),
    );
    if (types.length > 1 && !others.length) {
      for (const t of types) merged.add(t);
      merged.add(e);
      const names = [...new Set(types.map((t) => String((t.params as { type: string }).type)))];
      out.push({ ...e, keyword: "type", params: { type: names.join(", ") } });
    }
  }
  return [...errors.filter((e) => !merged.has(e)), ...out];
}

/**
 * `query` is a oneOf over the query types, so a bad query yields every
 * branch's errors. Validate it against the branch its `query_type` names and
 * report only those.
 */
function explainQueries(dialect: Dialect, msg: unknown, errors: ErrorObject[]): ErrorObject[] {
  const items = new Map<number, ErrorObject[]>();
  for (const e of errors) {
    const m = QUERY_PATH.exec(e.instancePath);
    if (m) items.set(Number(m[1]), [...(items.get(Number(m[1])) ?? []), e]);
  }
  if (!items.size) return errors;
  const criteria = searchCriteria(msg);
  let out = errors;
  for (const [index, queryErrors] of items) {
    const c = criteria[index];
    if (!c) continue;
    const branch = queryBranch(dialect, c.query_type, c.query);
    const validate = branch && schemaValidator(dialect, branch);
    if (!validate) continue;
    const base = `/message/search_request/${index}/search_criteria/query`;
    const replacement = validate(c.query)
      ? []
      : (validate.errors ?? []).map((e) => ({ ...e, instancePath: base + e.instancePath }));
    if (!replacement.length) continue;
    out = out.filter((e) => !queryErrors.includes(e));
    out.push(...replacement);
  }
  return out;
}

function queryBranch(dialect: Dialect, queryType: unknown, query: unknown): MessageSchema | undefined {
  if (dialect === "g2pconnect") {
    if (queryType === "namedQuery" || queryType === "idtype" || queryType === "predicate")
      return `query:${queryType}`;
    return undefined;
  }
  if (queryType === "idtype-value") return "query:idtype-value";
  if (queryType === "predicate") return "query:expression-list";
  if (queryType === "expression") return Array.isArray(query) ? "query:expression-list" : "query:expression";
  return undefined;
}

function looksEncrypted(msg: unknown): boolean {
  const m = msg as { header?: { is_msg_encrypted?: unknown }; message?: Record<string, unknown> } | null;
  return m?.header?.is_msg_encrypted === true || (typeof m?.message === "object" && !!m.message?.ciphertext);
}

function searchCriteria(msg: unknown): Record<string, unknown>[] {
  const items = (msg as { message?: { search_request?: unknown } } | null)?.message?.search_request;
  if (!Array.isArray(items)) return [];
  return items.map((i) => {
    const c = (i as { search_criteria?: unknown } | null)?.search_criteria;
    return c && typeof c === "object" ? (c as Record<string, unknown>) : {};
  });
}
