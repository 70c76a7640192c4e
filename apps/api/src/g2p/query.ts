// Registry search criteria -> a Prisma `where`. Queries become a small
// condition tree first (AND/OR/NOT over attribute comparisons), whatever the
// query type; each comparison then maps to a Prisma filter on a column known
// from field-map.ts. User values only ever become Prisma filter values (bind
// parameters), never SQL text.
import type {
  IdTypeQuery,
  PredicateWithCondition,
  SearchCriteria,
  SearchStatusReasonCode,
} from "@pbms/g2p-connect";
import type { Prisma, RegistrantKind, RegistrantStatus, Sex } from "@pbms/db";
import {
  idTypeCandidates,
  normaliseName,
  queryAttribute,
  RECORD_TYPES,
  sortAttribute,
  type DateColumn,
  type QueryAttribute,
  type TextColumn,
} from "./field-map.ts";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
/** Deepest page reachable with offsets (page_size × (page_number − 1)). */
export const MAX_OFFSET = 100_000;
const MAX_COMPARISONS = 50;
const MAX_LIST = 100;
const MAX_TEXT = 200;

type Operator = "eq" | "gt" | "lt" | "ge" | "le" | "in";

/** A comparison `attribute operator value` as sent, with where it was in the message. */
export interface Comparison {
  attribute: string;
  operator: Operator;
  value: unknown;
  /** Comparisons from an idtype query must name an identifier type. */
  identifierOnly?: boolean;
}

export type Condition = { and: Condition[] } | { or: Condition[] } | { not: Condition } | { cmp: Comparison };

/** A search item the registry cannot answer, with the spec's reason code. */
export class SearchRejection extends Error {
  constructor(
    readonly code: SearchStatusReasonCode,
    message: string,
  ) {
    super(message);
  }
}

const criteriaError = (message: string) => new SearchRejection("rjct.search_criteria.invalid", message);

export interface SearchPlan {
  kind: RegistrantKind;
  recordType: string;
  /** undefined: every registrant of the kind. */
  condition: Condition | undefined;
  pageSize: number;
  pageNumber: number;
  orderBy: Prisma.RegistrantOrderByWithRelationInput[];
}

/** Checks and interprets one item's search criteria (no database access). */
export function planSearch(criteria: SearchCriteria): SearchPlan {
  const kind = recordKind(criteria);
  const condition = queryCondition(criteria);
  if (condition && countComparisons(condition) > MAX_COMPARISONS)
    throw criteriaError(`a query may hold at most ${MAX_COMPARISONS} comparisons`);
  const { pageSize, pageNumber } = page(criteria.pagination);
  return {
    kind,
    recordType: RECORD_TYPES[kind],
    condition,
    pageSize,
    pageNumber,
    orderBy: order(criteria.sort),
  };
}

// ---------------------------------------------------------------------------
// Which records: persons or groups
// ---------------------------------------------------------------------------

const GROUP_WORDS = new Set(["group", "groups", "household", "households", "family", "families"]);
const PERSON_WORDS = new Set(["person", "persons", "individual", "individuals", "member", "members"]);

function kindOf(word: unknown): RegistrantKind | undefined {
  if (typeof word !== "string") return undefined;
  const last = normaliseName(word.split(":").at(-1) ?? word);
  if (GROUP_WORDS.has(last)) return "GROUP";
  if (PERSON_WORDS.has(last)) return "INDIVIDUAL";
  return undefined;
}

/**
 * Persons unless the criteria ask for groups: DCI's `response_entity`
 * ("Group"/"Member"), else the last segment of reg_sub_type / reg_event_type /
 * reg_type (e.g. "ns:pbms:RegistryType:Group"), else a DCI NoSql expression's
 * `collection`.
 */
export function recordKind(criteria: SearchCriteria): RegistrantKind {
  const expression = (criteria.query as { value?: { expression?: { collection?: unknown } } } | undefined)
    ?.value?.expression;
  return (
    kindOf(criteria.response_entity) ??
    kindOf(criteria.reg_sub_type) ??
    kindOf(criteria.reg_event_type) ??
    kindOf(criteria.reg_type) ??
    kindOf(expression?.collection) ??
    "INDIVIDUAL"
  );
}

// ---------------------------------------------------------------------------
// Query types -> condition tree
// ---------------------------------------------------------------------------

function queryCondition(criteria: SearchCriteria): Condition | undefined {
  const { query_type: type, query } = criteria;
  switch (type) {
    case "idtype":
    case "idtype-value": {
      const q = query as IdTypeQuery;
      if (Array.isArray(query) || typeof q?.type !== "string")
        throw criteriaError(`a ${type} query is {"type": <identifier type>, "value": <identifier>}`);
      if (!isScalar(q.value)) throw criteriaError("an identifier value must be a string or a number");
      return { cmp: { attribute: q.type, operator: "eq", value: q.value, identifierOnly: true } };
    }
    case "predicate":
      return predicateCondition(query);
    case "expression":
      // DCI: {type: "…:NoSql", value: {expression: …}}; its samples also send predicate lists.
      return Array.isArray(query) ? predicateCondition(query) : expressionCondition(query);
    case "namedQuery":
      throw criteriaError("this registry publishes no named queries: use an idtype or predicate query");
    default:
      throw criteriaError(`query_type ${JSON.stringify(type)} is not supported`);
  }
}

/**
 * G2P Connect/DCI predicate list. Each item is `expression1 [condition
 * expression2]` (condition and, or; not = expression1 AND NOT expression2, or
 * NOT expression1 alone); items are evaluated in seq_num order and all must hold.
 */
function predicateCondition(query: unknown): Condition | undefined {
  if (!Array.isArray(query)) throw criteriaError("a predicate query is a list of expressions");
  const items = (query as PredicateWithCondition[])
    .map((item, i) => ({ item, i }))
    .sort((a, b) => (Number(a.item.seq_num) || 0) - (Number(b.item.seq_num) || 0) || a.i - b.i);
  const parts = items.map(({ item }) => {
    const e1 = comparison(item.expression1);
    const e2 =
      item.expression2 === undefined || (item.expression2 as unknown) === "" ? undefined : item.expression2;
    const condition = (item.condition as unknown) === "" ? undefined : item.condition;
    if (!condition) {
      if (e2) throw criteriaError("expression2 needs a condition (and, or, not)");
      return e1;
    }
    if (condition === "not") return e2 ? { and: [e1, { not: comparison(e2) }] } : { not: e1 };
    if (!e2) throw criteriaError(`condition "${condition}" needs an expression2`);
    return condition === "and" ? { and: [e1, comparison(e2)] } : { or: [e1, comparison(e2)] };
  });
  if (!parts.length) return undefined;
  return parts.length === 1 ? parts[0] : { and: parts };
}

function comparison(p: unknown): Condition {
  const e = p as { attribute_name?: unknown; operator?: unknown; attribute_value?: unknown } | null;
  if (!e || typeof e.attribute_name !== "string" || typeof e.operator !== "string")
    throw criteriaError("an expression is {attribute_name, operator, attribute_value}");
  if (!["eq", "gt", "lt", "ge", "le", "in"].includes(e.operator))
    throw criteriaError(`operator ${JSON.stringify(e.operator)} is not supported`);
  return { cmp: { attribute: e.attribute_name, operator: e.operator as Operator, value: e.attribute_value } };
}

const MONGO_OPERATORS: Record<string, Operator> = {
  $eq: "eq",
  $gt: "gt",
  $gte: "ge",
  $lt: "lt",
  $lte: "le",
  $in: "in",
};

/**
 * DCI `expression` queries in the NoSql (MongoDB-style) form of the DCI
 * samples: `{"$and": [{"sex": {"$eq": "female"}}, {"birthdate": {"$lt": "1960-01-01"}}]}`.
 * Supported: $and, $or, $nor, $not, and per field $eq $ne $gt $gte $lt $lte $in $nin
 * or a plain value (equality).
 */
function expressionCondition(query: unknown): Condition | undefined {
  const q = query as { type?: unknown; value?: { expression?: unknown } } | null;
  if (!q || typeof q.type !== "string" || !/nosql$/i.test(q.type.split(":").at(-1) ?? ""))
    throw criteriaError('only NoSql expression queries are supported (type "…:QueryType:NoSql")');
  const expression = q.value?.expression;
  if (!isPlainObject(expression)) throw criteriaError("value.expression must be an object");
  const filter = "query" in expression ? expression.query : expression;
  if (filter === undefined || (isPlainObject(filter) && !Object.keys(filter).length)) return undefined;
  return mongo(filter, 0);
}

function mongo(node: unknown, depth: number): Condition {
  if (depth > 10) throw criteriaError("the expression is nested too deeply");
  if (!isPlainObject(node)) throw criteriaError("each expression must be an object");
  const parts: Condition[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === "$and" || key === "$or" || key === "$nor") {
      if (!Array.isArray(value) || !value.length) throw criteriaError(`${key} needs a non-empty list`);
      const list = value.map((v) => mongo(v, depth + 1));
      parts.push(key === "$and" ? { and: list } : key === "$or" ? { or: list } : { not: { or: list } });
    } else if (key === "$not") {
      parts.push({ not: mongo(value, depth + 1) });
    } else if (key.startsWith("$")) {
      throw criteriaError(`expression operator ${key} is not supported`);
    } else if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith("$"))) {
      for (const [op, v] of Object.entries(value)) {
        if (op === "$ne" || op === "$nin") {
          const operator = op === "$ne" ? "eq" : "in";
          parts.push({ not: { cmp: { attribute: key, operator, value: v } } });
          continue;
        }
        const operator = MONGO_OPERATORS[op];
        if (!operator) throw criteriaError(`expression operator ${op} is not supported`);
        parts.push({ cmp: { attribute: key, operator, value: v } });
      }
    } else {
      parts.push({ cmp: { attribute: key, operator: "eq", value } });
    }
  }
  if (!parts.length) throw criteriaError("an expression must not be empty");
  return parts.length === 1 ? parts[0]! : { and: parts };
}

function countComparisons(c: Condition): number {
  if ("cmp" in c) return 1;
  if ("not" in c) return countComparisons(c.not);
  return ("and" in c ? c.and : c.or).reduce((n, x) => n + countComparisons(x), 0);
}

// ---------------------------------------------------------------------------
// Pagination and sorting
// ---------------------------------------------------------------------------

function page(p: SearchCriteria["pagination"]): { pageSize: number; pageNumber: number } {
  if (!p) return { pageSize: DEFAULT_PAGE_SIZE, pageNumber: 1 };
  const pageSize = Number(p.page_size);
  const pageNumber = p.page_number === undefined ? 1 : Number(p.page_number);
  const bad = (m: string) => new SearchRejection("rjct.pagination.invalid", m);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE)
    throw bad(`page_size must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  if (!Number.isInteger(pageNumber) || pageNumber < 1) throw bad("page_number must be a whole number from 1");
  if ((pageNumber - 1) * pageSize > MAX_OFFSET)
    throw bad(`pages beyond record ${MAX_OFFSET} cannot be reached: narrow the query`);
  return { pageSize, pageNumber };
}

function order(sort: SearchCriteria["sort"]): Prisma.RegistrantOrderByWithRelationInput[] {
  const out: Prisma.RegistrantOrderByWithRelationInput[] = [];
  for (const s of sort ?? []) {
    const attribute = typeof s?.attribute_name === "string" ? sortAttribute(s.attribute_name) : undefined;
    if (!attribute)
      throw new SearchRejection(
        "rjct.sort.invalid",
        `cannot sort by ${JSON.stringify(s?.attribute_name)}: use name, given_name, family_name, birthdate or registration_date`,
      );
    const direction = s.sort_order === "desc" ? "desc" : "asc";
    out.push(
      attribute.nullable
        ? { [attribute.column]: { sort: direction, nulls: "last" } }
        : { [attribute.column]: direction },
    );
  }
  if (!out.length) out.push({ name: "asc" });
  out.push({ id: "asc" });
  return out;
}

// ---------------------------------------------------------------------------
// Condition tree -> Prisma where
// ---------------------------------------------------------------------------

export interface IdTypeRef {
  id: string;
  code: string;
}

/**
 * Translates a plan's condition into a Prisma filter. `idTypes` are the
 * department's identifier types (to resolve attribute names such as "UIN").
 */
export function whereOf(
  plan: SearchPlan,
  idTypes: readonly IdTypeRef[],
  today: Date,
): Prisma.RegistrantWhereInput {
  const base: Prisma.RegistrantWhereInput = { kind: plan.kind, mergedIntoId: null };
  if (!plan.condition) return base;
  return { AND: [base, translate(plan.condition, idTypes, today)] };
}

function translate(c: Condition, idTypes: readonly IdTypeRef[], today: Date): Prisma.RegistrantWhereInput {
  if ("and" in c) return { AND: c.and.map((x) => translate(x, idTypes, today)) };
  if ("or" in c) return { OR: c.or.map((x) => translate(x, idTypes, today)) };
  if ("not" in c) return { NOT: translate(c.not, idTypes, today) };
  return compare(c.cmp, idTypes, today);
}

function compare(cmp: Comparison, idTypes: readonly IdTypeRef[], today: Date): Prisma.RegistrantWhereInput {
  const name = cmp.attribute;
  // Predicates: registry attributes first, then identifier types ("UIN" …).
  // idtype queries: identifier types first, then a phone number or external id.
  const attribute = cmp.identifierOnly ? undefined : queryAttribute(name);
  if (attribute) return compareAttribute(attribute, cmp, today);
  const wanted = idTypeCandidates(name);
  const ids = idTypes.filter((t) => wanted.has(normaliseName(t.code))).map((t) => t.id);
  if (ids.length) {
    const values = onlyEquality(cmp, name).map((v) => text(v, name));
    return {
      identifiers: { some: { idTypeId: { in: ids }, value: { in: values }, status: { not: "REVOKED" } } },
    };
  }
  const fallback = cmp.identifierOnly ? identifierAttribute(name) : undefined;
  if (fallback) return compareAttribute(fallback, cmp, today);
  throw criteriaError(
    cmp.identifierOnly
      ? `unknown identifier type ${JSON.stringify(name)}`
      : `unknown attribute ${JSON.stringify(name)}: see the registry's search documentation`,
  );
}

/** In an idtype query, besides identifier types: a phone number or the external id. */
function identifierAttribute(name: string): QueryAttribute | undefined {
  const a = queryAttribute(name);
  return a && (a.kind === "phone" || a.kind === "externalId") ? a : undefined;
}

function compareAttribute(a: QueryAttribute, cmp: Comparison, today: Date): Prisma.RegistrantWhereInput {
  switch (a.kind) {
    case "text": {
      const column = a.column as TextColumn;
      const values = onlyEquality(cmp, a.name).map((v) => text(v, a.name));
      const each = values.map((v) => ({ [column]: insensitiveEquals(v) }));
      return each.length === 1 ? each[0]! : { OR: each };
    }
    case "date":
      return dateRange(cmp, a.name, a.column as DateColumn, (v) => date(v, a.name));
    case "year":
      return yearRange(cmp, a.name);
    case "age":
      return ageRange(cmp, today);
    case "sex": {
      const values = onlyEquality(cmp, a.name).map(sex);
      const known = values.filter((v): v is Sex => v !== null);
      const parts: Prisma.RegistrantWhereInput[] = [];
      if (known.length) parts.push({ sex: { in: known } });
      if (known.length < values.length) parts.push({ sex: null });
      return parts.length === 1 ? parts[0]! : { OR: parts };
    }
    case "zone": {
      const codes = onlyEquality(cmp, a.name).map((v) => text(v, a.name));
      const code = { OR: codes.map((c) => ({ code: insensitiveEquals(c) })) };
      return { OR: [{ gazLarge: code }, { gazSmall: code }] };
    }
    case "status":
      return { status: { in: onlyEquality(cmp, a.name).map(status) } };
    case "phone":
      return { phones: { some: { e164: { in: onlyEquality(cmp, a.name).map(phone) } } } };
    case "externalId":
      return { externalId: { in: onlyEquality(cmp, a.name).map((v) => text(v, a.name)) } };
  }
}

/**
 * Case-insensitive equality. Prisma renders `mode: "insensitive"` as ILIKE on
 * PostgreSQL, so LIKE's wildcards and escape character are escaped: "%" must
 * match only "%" (test: g2p-registry.int.test.ts, "combines zone codes …").
 */
function insensitiveEquals(value: string) {
  return { equals: value.replace(/[\\%_]/g, (c) => `\\${c}`), mode: "insensitive" as const };
}

/** Values of an eq/in comparison; other operators are refused for this attribute. */
function onlyEquality(cmp: Comparison, name: string): unknown[] {
  if (cmp.operator === "eq") {
    if (!isScalar(cmp.value)) throw criteriaError(`${name}: eq needs a single value`);
    return [cmp.value];
  }
  if (cmp.operator === "in") return list(cmp.value, name);
  throw criteriaError(`${name} supports the operators eq and in only`);
}

/** `in` takes a list, or a comma-separated string. */
function list(value: unknown, name: string): unknown[] {
  const items = Array.isArray(value)
    ? value
    : typeof value === "string"
      ? value
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;
  if (!items?.length || !items.every(isScalar))
    throw criteriaError(`${name}: in needs a non-empty list of values`);
  if (items.length > MAX_LIST) throw criteriaError(`${name}: in takes at most ${MAX_LIST} values`);
  return items;
}

type Bound = "gt" | "gte" | "lt" | "lte";

function dateRange(
  cmp: Comparison,
  name: string,
  column: DateColumn,
  parse: (v: unknown) => Date,
): Prisma.RegistrantWhereInput {
  if (cmp.operator === "in") return { [column]: { in: list(cmp.value, name).map(parse) } };
  if (!isScalar(cmp.value)) throw criteriaError(`${name}: ${cmp.operator} needs a single value`);
  const d = parse(cmp.value);
  if (cmp.operator === "eq") return { [column]: d };
  const bound: Record<Exclude<Operator, "eq" | "in">, Bound> = { gt: "gt", ge: "gte", lt: "lt", le: "lte" };
  return { [column]: { [bound[cmp.operator]]: d } };
}

const utc = (y: number, m = 0, d = 1) => new Date(Date.UTC(y, m, d));

/** Years of birth as birth-date ranges: YOB ge 1950 -> birth_date >= 1950-01-01. */
function yearRange(cmp: Comparison, name: string): Prisma.RegistrantWhereInput {
  const year = (v: unknown) => integer(v, name, 1800, 2200);
  const eq = (y: number): Prisma.RegistrantWhereInput => ({ birthDate: { gte: utc(y), lt: utc(y + 1) } });
  if (cmp.operator === "in") return { OR: list(cmp.value, name).map((v) => eq(year(v))) };
  const y = year(cmp.value);
  switch (cmp.operator) {
    case "eq":
      return eq(y);
    case "gt":
      return { birthDate: { gte: utc(y + 1) } };
    case "ge":
      return { birthDate: { gte: utc(y) } };
    case "lt":
      return { birthDate: { lt: utc(y) } };
    case "le":
      return { birthDate: { lt: utc(y + 1) } };
  }
}

/** Ages in whole years today (UTC) as birth-date ranges. */
function ageRange(cmp: Comparison, today: Date): Prisma.RegistrantWhereInput {
  const yearsAgo = (n: number) => utc(today.getUTCFullYear() - n, today.getUTCMonth(), today.getUTCDate());
  // age >= n  <=>  born on or before today minus n years
  const atLeast = (n: number): Prisma.RegistrantWhereInput => ({ birthDate: { lte: yearsAgo(n) } });
  // age <= n  <=>  born after today minus n+1 years
  const atMost = (n: number): Prisma.RegistrantWhereInput => ({ birthDate: { gt: yearsAgo(n + 1) } });
  const eq = (n: number): Prisma.RegistrantWhereInput => ({ AND: [atLeast(n), atMost(n)] });
  const age = (v: unknown) => integer(v, "age", 0, 150);
  if (cmp.operator === "in") return { OR: list(cmp.value, "age").map((v) => eq(age(v))) };
  const n = age(cmp.value);
  switch (cmp.operator) {
    case "eq":
      return eq(n);
    case "ge":
      return atLeast(n);
    case "gt":
      return atLeast(n + 1);
    case "le":
      return atMost(n);
    case "lt":
      return n === 0 ? { birthDate: { gt: today } } : atMost(n - 1);
  }
}

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function text(v: unknown, name: string): string {
  const s = typeof v === "number" ? String(v) : typeof v === "string" ? v.trim() : undefined;
  if (!s || s.length > MAX_TEXT)
    throw criteriaError(`${name}: values are non-empty text of at most ${MAX_TEXT} characters`);
  return s;
}

function integer(v: unknown, name: string, min: number, max: number): number {
  const n = typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max)
    throw criteriaError(`${name}: values are whole numbers from ${min} to ${max}`);
  return n;
}

/** "YYYY-MM-DD", or an ISO 8601 date-time (its calendar date is used). */
function date(v: unknown, name: string): Date {
  const m =
    typeof v === "string"
      ? /^(\d{4})-(\d{2})-(\d{2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(v.trim())
      : null;
  const d = m ? utc(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
  if (!m || !d || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3]))
    throw criteriaError(`${name}: dates are written YYYY-MM-DD`);
  return d;
}

const SEX: Record<string, Sex | null> = {
  male: "MALE",
  m: "MALE",
  "1": "MALE",
  female: "FEMALE",
  f: "FEMALE",
  "2": "FEMALE",
  other: "OTHER",
  o: "OTHER",
  "3": "OTHER",
  unknown: null,
  u: null,
  "4": null,
};

function sex(v: unknown): Sex | null {
  const key = String(v).trim().toLowerCase();
  if (!(key in SEX)) throw criteriaError("sex: values are male, female, other or unknown");
  return SEX[key]!;
}

function status(v: unknown): RegistrantStatus {
  const s = String(v).trim().toUpperCase();
  if (s !== "ACTIVE" && s !== "INACTIVE" && s !== "DECEASED")
    throw criteriaError("status: values are active, inactive or deceased");
  return s;
}

/** E.164 as stored: "+" and digits (spaces, dashes, dots and brackets dropped). */
function phone(v: unknown): string {
  const s = String(v).replace(/[\s\-.()]/g, "");
  if (!/^\+?\d{4,15}$/.test(s)) throw criteriaError("phone numbers are written in E.164, e.g. +254712345678");
  return s.startsWith("+") ? s : `+${s}`;
}
