// The registry: registrants with their identifiers, phones, accounts and group
// memberships. Lists are one parameterised SQL query, helped by index functions
// where row-level security keeps PostgreSQL from an index (see Lists); changes
// run in one transaction with their audit event.
import { createHash } from "node:crypto";
import {
  Prisma,
  RegistrantKind,
  RegistrantStatus,
  type Registrant as RegistrantRow,
  type Tx,
} from "@pbms/db";
import { tx, type RequestContext } from "../../context.ts";
import { AppError, badInput, conflict, ErrorCode, notFound } from "../../errors.ts";
import { paging } from "../../graphql/list.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { changedAttributeCodes, validateAttributes } from "./attributes.ts";
import { financialAddress, identifierProblem, normalisePhone } from "./checks.ts";
import type {
  AddGroupMemberInput,
  CreateRegistrantArgs,
  EndGroupMembershipInput,
  Registrant,
  RegistrantFieldsArgs,
  RegistrantFilter,
  RegistrantListArgs,
  RegistrantPageArgs,
  UpdateRegistrantArgs,
} from "./registry.type.ts";

const day = (d: Date | null | undefined): string | null => (d ? d.toISOString().slice(0, 10) : null);
const date = (s: string | null | undefined): Date | null | undefined =>
  s == null ? s : new Date(`${s}T00:00:00Z`);

/** The GraphQL shape of a registrant row (dates as YYYY-MM-DD). */
export function toRegistrant(r: RegistrantRow): Registrant {
  return {
    ...r,
    birthDate: day(r.birthDate),
    registrationDate: day(r.registrationDate)!,
    deceasedDate: day(r.deceasedDate),
  };
}

// ---------------------------------------------------------------------------
// Lists
// ---------------------------------------------------------------------------

/**
 * Matches are counted exactly up to this many; beyond it a list's count is an
 * estimate. It is also how deep `page` reaches (OFFSET costs grow with the
 * depth); `after` cursors continue from there.
 */
export const EXACT_LIMIT = 10_000;

type KeyType = "text" | "date" | "timestamptz" | "status" | "kind" | "real" | "uuid";

interface SortColumn {
  sql: Prisma.Sql;
  type: KeyType;
  nullable: boolean;
}

const SORTS: Record<string, SortColumn> = {
  name: { sql: Prisma.sql`r.name`, type: "text", nullable: false },
  registrationDate: { sql: Prisma.sql`r.registration_date`, type: "date", nullable: false },
  birthDate: { sql: Prisma.sql`r.birth_date`, type: "date", nullable: true },
  createdAt: { sql: Prisma.sql`r.created_at`, type: "timestamptz", nullable: false },
  updatedAt: { sql: Prisma.sql`r.updated_at`, type: "timestamptz", nullable: false },
  status: { sql: Prisma.sql`r.status`, type: "status", nullable: false },
  kind: { sql: Prisma.sql`r.kind`, type: "kind", nullable: false },
};

const among = (ids: readonly string[]) => Prisma.sql`r.id = ANY(${ids}::uuid[])`;

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Filters that only a GIN index answers (trigram name search, tag, attributes).
 * Row-level security checks the department before any condition that is not
 * leakproof, and these operators are not, so as plain conditions they can never
 * use their index under the API's role. Their `app_registrants_*` functions
 * (see the registrant_lists migration) search the index for the current
 * department and return ids.
 */
export type Lookup = "name" | "tag" | "attributes";

/**
 * WHERE conditions of a registrant filter; every value is a bind parameter.
 * A filter with its ids in `found` (from its index function) becomes a
 * condition on those ids, the others are plain conditions (same rows either way).
 */
export function registrantConditions(
  filter: RegistrantFilter = {},
  found: Partial<Record<Lookup, readonly string[]>> = {},
): Prisma.Sql[] {
  const c: Prisma.Sql[] = [];
  const q = filter.q?.trim();
  if (q) {
    c.push(
      found.name
        ? among(found.name)
        : Prisma.sql`(r.name % ${q} OR ${q} <% r.name OR r.name ILIKE ${likePattern(q)})`,
    );
  }
  if (filter.ids) c.push(Prisma.sql`r.id = ANY(${filter.ids}::uuid[])`);
  if (filter.kind) c.push(Prisma.sql`r.kind = ${filter.kind}::"RegistrantKind"`);
  if (filter.status) c.push(Prisma.sql`r.status = ${filter.status}::"RegistrantStatus"`);
  if (filter.sex) c.push(Prisma.sql`r.sex = ${filter.sex}::"Sex"`);
  if (filter.gazLargeId) c.push(Prisma.sql`r.gaz_large_id = ${filter.gazLargeId}::uuid`);
  if (filter.gazSmallId) c.push(Prisma.sql`r.gaz_small_id = ${filter.gazSmallId}::uuid`);
  if (filter.identifier) {
    // Joining the types lets PostgreSQL look the value up in the (type, value) index once per type.
    const type = filter.idTypeId ? Prisma.sql`AND i.id_type_id = ${filter.idTypeId}::uuid` : Prisma.empty;
    c.push(
      Prisma.sql`EXISTS (SELECT 1 FROM registrant_identifier i JOIN id_type t ON t.id = i.id_type_id AND t.tenant_id = i.tenant_id
        WHERE i.registrant_id = r.id AND i.value = ${filter.identifier.trim()} ${type})`,
    );
  }
  if (filter.phone) {
    const phone = normalisePhone(filter.phone);
    if (!phone)
      throw badInput("filter.phone", "Give the phone number in international format, e.g. +254712345678");
    c.push(
      Prisma.sql`EXISTS (SELECT 1 FROM phone p WHERE p.registrant_id = r.id AND p.e164 = ${phone.e164})`,
    );
  }
  // Compared as dates (date ≤ timestamp is not leakproof, so it could not use the index).
  if (filter.age_gte != null)
    c.push(Prisma.sql`r.birth_date <= (current_date - make_interval(years => ${filter.age_gte}::int))::date`);
  if (filter.age_lte != null)
    c.push(
      Prisma.sql`r.birth_date > (current_date - make_interval(years => ${filter.age_lte + 1}::int))::date`,
    );
  if (filter.groupId) {
    c.push(
      Prisma.sql`EXISTS (SELECT 1 FROM group_membership m WHERE m.individual_id = r.id AND m.group_id = ${filter.groupId}::uuid AND m.end_date IS NULL)`,
    );
  }
  if (filter.memberId) {
    c.push(
      Prisma.sql`EXISTS (SELECT 1 FROM group_membership m WHERE m.group_id = r.id AND m.individual_id = ${filter.memberId}::uuid AND m.end_date IS NULL)`,
    );
  }
  if (filter.tag) c.push(found.tag ? among(found.tag) : Prisma.sql`r.tags @> ARRAY[${filter.tag}]::text[]`);
  if (filter.attributes && Object.keys(filter.attributes).length) {
    c.push(
      found.attributes
        ? among(found.attributes)
        : Prisma.sql`r.attributes @> ${JSON.stringify(filter.attributes)}::jsonb`,
    );
  }
  if (filter.registrationDate_gte)
    c.push(Prisma.sql`r.registration_date >= ${filter.registrationDate_gte}::date`);
  if (filter.registrationDate_lte)
    c.push(Prisma.sql`r.registration_date <= ${filter.registrationDate_lte}::date`);
  return c;
}

const whereSql = (conditions: Prisma.Sql[]) =>
  conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;

/**
 * How the list answers name search, tag and attribute filters. `auto` (the
 * default) checks them row by row when the other filters leave few rows (a
 * zone, an identifier…); otherwise a name search goes through its index
 * function, and a tag or attribute filter too when a sample finds few matches
 * (a common tag is found sooner row by row along the list's order).
 * `functions` and `filters` force one way (tests compare them).
 */
export type LookupMode = "auto" | "functions" | "filters";

export interface ListOptions {
  lookups?: LookupMode;
}

/** Other filters that leave at most this many rows make name search, tag and attribute plain conditions. */
const FEW_ROWS = 20_000;

/** The index function of each lookup, for the filter's value. */
const LOOKUP_QUERY: Record<Lookup, (filter: RegistrantFilter) => Prisma.Sql> = {
  name: (f) => Prisma.sql`SELECT m.id FROM app_registrants_matching_name(${f.q?.trim()}) AS m(id)`,
  tag: (f) => Prisma.sql`SELECT m.id FROM app_registrants_tagged(${f.tag}) AS m(id)`,
  attributes: (f) =>
    Prisma.sql`SELECT m.id FROM app_registrants_with_attributes(${JSON.stringify(f.attributes)}::jsonb) AS m(id)`,
};

/**
 * Results kept for the rest of a request: a list and its count (two resolvers)
 * share one index search and one sample instead of running each twice.
 */
const requestResults = new WeakMap<RequestContext, Map<string, Promise<unknown>>>();

function perRequest<T>(ctx: RequestContext, key: string, compute: () => Promise<T>): Promise<T> {
  let results = requestResults.get(ctx);
  if (!results) requestResults.set(ctx, (results = new Map()));
  let result = results.get(key) as Promise<T> | undefined;
  if (!result) {
    result = compute();
    results.set(key, result);
    result.catch(() => results.delete(key));
  }
  return result;
}

const lookupIds = (t: Tx, ctx: RequestContext, lookup: Lookup, filter: RegistrantFilter) =>
  perRequest(
    ctx,
    JSON.stringify(["ids", lookup, filter.q?.trim(), filter.tag, filter.attributes]),
    async () => (await t.$queryRaw<{ id: string }[]>(LOOKUP_QUERY[lookup](filter))).map((r) => r.id),
  );

/**
 * The list's conditions, and the most rows they can match when an index
 * function already bounds them (else Infinity).
 */
async function listConditions(
  t: Tx,
  ctx: RequestContext,
  filter: RegistrantFilter = {},
  mode: LookupMode = "auto",
): Promise<{ conditions: Prisma.Sql[]; atMost: number }> {
  const use: Lookup[] = [];
  const q = filter.q?.trim();
  const present: [Lookup, boolean][] = [
    ["name", !!q],
    ["tag", !!filter.tag],
    ["attributes", !!filter.attributes && Object.keys(filter.attributes).length > 0],
  ];
  if (mode === "functions") {
    use.push(...present.filter(([, p]) => p).map(([l]) => l));
  } else if (mode === "auto" && present.some(([, p]) => p)) {
    const rest = registrantConditions({ ...filter, q: undefined, tag: undefined, attributes: undefined });
    if (rest.length && (await planRows(t, rest)) <= FEW_ROWS) {
      // Few rows to check: check them once, and let the list and its count use the matching ids.
      const where = whereSql(registrantConditions(filter));
      const ids = await perRequest(ctx, JSON.stringify(["matches", where.sql, where.values]), async () =>
        (await t.$queryRaw<{ id: string }[]>`SELECT r.id FROM registrant r ${where}`).map((r) => r.id),
      );
      return { conditions: [among(ids)], atMost: ids.length };
    }
    if (q) use.push("name");
    for (const lookup of ["tag", "attributes"] as const) {
      const alone = registrantConditions({ [lookup]: filter[lookup] } as RegistrantFilter);
      if (alone.length && (await estimateRows(t, ctx, alone)) <= FEW_ROWS) use.push(lookup);
    }
  }
  const found: Partial<Record<Lookup, string[]>> = {};
  for (const lookup of use) found[lookup] = await lookupIds(t, ctx, lookup, filter);
  const sizes = Object.values(found).map((ids) => ids.length);
  return { conditions: registrantConditions(filter, found), atMost: Math.min(Infinity, ...sizes) };
}

/**
 * The planner's row estimate (EXPLAIN): cheap, and good for the leakproof
 * conditions (zones, dates, ids, identifiers), but see estimateRows.
 */
async function planRows(t: Tx, conditions: Prisma.Sql[]): Promise<number> {
  const [row] = await t.$queryRaw<{ "QUERY PLAN": { Plan: { "Plan Rows": number } }[] }[]>`
    EXPLAIN (FORMAT JSON) SELECT 1 FROM registrant r ${whereSql(conditions)}`;
  return row?.["QUERY PLAN"][0]?.Plan["Plan Rows"] ?? 0;
}

/** Rows of the table an estimate reads (at least 1 % of its pages). */
const SAMPLE_ROWS = 20_000;

/**
 * An estimate of the department's registrants matching `conditions`, counted
 * in a fixed sample of the table's pages (TABLESAMPLE SYSTEM … REPEATABLE, so
 * the same filter gives the same figure until the table changes). The planner's
 * row estimate is no substitute under row-level security: it may not apply a
 * condition that is not leakproof to the column statistics, so for kind,
 * status, sex, attributes and name searches it falls back to fixed guesses
 * (a third of the truth for active individuals, a tenth for an attribute).
 */
function estimateRows(t: Tx, ctx: RequestContext, conditions: Prisma.Sql[]): Promise<number> {
  const where = whereSql(conditions);
  return perRequest(ctx, JSON.stringify(["sample", where.sql, where.values]), () => sampleRows(t, where));
}

async function sampleRows(t: Tx, where: Prisma.Sql): Promise<number> {
  const [table] = await t.$queryRaw<{ tuples: number }[]>`
    SELECT reltuples::float8 AS tuples FROM pg_class WHERE oid = 'registrant'::regclass`;
  const tuples = table?.tuples ?? 0;
  const percent = tuples > 0 ? Math.min(100, Math.max(1, (100 * SAMPLE_ROWS) / tuples)) : 100;
  const [row] = await t.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM registrant r TABLESAMPLE SYSTEM (${percent}::real) REPEATABLE (0) ${where}`;
  return ((row?.n ?? 0) * 100) / percent;
}

// Cursors ------------------------------------------------------------------

interface SortKey {
  sql: Prisma.Sql;
  type: KeyType;
  desc: boolean;
  nullable: boolean;
}

/** The list's order: closest names first for a name search, then the sort field, then the id. */
function sortKeys(sort: SortColumn, desc: boolean, q: string | undefined): SortKey[] {
  const keys: SortKey[] = q
    ? [
        { sql: Prisma.sql`word_similarity(${q}, r.name)`, type: "real", desc: true, nullable: false },
        { sql: Prisma.sql`similarity(r.name, ${q})`, type: "real", desc: true, nullable: false },
      ]
    : [];
  return [...keys, { ...sort, desc }, { sql: Prisma.sql`r.id`, type: "uuid", desc, nullable: false }];
}

// Nulls sort last either way; other columns keep PostgreSQL's default so an index serves both directions.
const orderSql = (keys: SortKey[]) =>
  Prisma.join(
    keys.map(
      (k) =>
        Prisma.sql`${k.sql} ${Prisma.raw(k.desc ? "DESC" : "ASC")}${Prisma.raw(k.nullable ? " NULLS LAST" : "")}`,
    ),
  );

const CAST: Record<KeyType, (v: string) => Prisma.Sql> = {
  text: (v) => Prisma.sql`${v}::text`,
  date: (v) => Prisma.sql`${v}::date`,
  timestamptz: (v) => Prisma.sql`${v}::timestamptz`,
  status: (v) => Prisma.sql`${v}::"RegistrantStatus"`,
  kind: (v) => Prisma.sql`${v}::"RegistrantKind"`,
  real: (v) => Prisma.sql`${v}::real`,
  uuid: (v) => Prisma.sql`${v}::uuid`,
};

const isDate = (v: string) => {
  const time = Date.parse(v);
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(time) && new Date(time).toISOString().startsWith(v);
};

// What a cursor's values must look like before they are cast in SQL (a forged cursor gets INVALID_CURSOR).
const VALID: Record<KeyType, (v: string) => boolean> = {
  text: (v) => v.length <= 1000 && !v.includes("\u0000"),
  date: isDate,
  timestamptz: (v) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}(:\d{2})?)$/.test(v) &&
    !Number.isNaN(Date.parse(v)),
  status: (v) => (Object.values(RegistrantStatus) as string[]).includes(v),
  kind: (v) => (Object.values(RegistrantKind) as string[]).includes(v),
  real: (v) => /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v),
  uuid: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
};

/** The rows after `values` in the order of `keys` (nulls last). */
function afterCondition(keys: SortKey[], values: (string | null)[]): Prisma.Sql {
  const [first, id] = [keys[0]!, keys[1]];
  if (keys.length === 2 && !first.nullable && id) {
    // One non-null column and the id: a row comparison, which an index on (…, column, id) answers.
    const op = Prisma.raw(first.desc ? "<" : ">");
    return Prisma.sql`(${first.sql}, r.id) ${op} (${CAST[first.type](values[0]!)}, ${values[1]}::uuid)`;
  }
  const terms: Prisma.Sql[] = [];
  const equal: Prisma.Sql[] = [];
  keys.forEach((k, i) => {
    const v = values[i] ?? null;
    if (v !== null) {
      const beyond = Prisma.sql`${k.sql} ${Prisma.raw(k.desc ? "<" : ">")} ${CAST[k.type](v)}`;
      const step = k.nullable ? Prisma.sql`(${beyond} OR ${k.sql} IS NULL)` : beyond;
      terms.push(equal.length ? Prisma.sql`(${Prisma.join(equal, " AND ")} AND ${step})` : step);
    }
    equal.push(v === null ? Prisma.sql`${k.sql} IS NULL` : Prisma.sql`${k.sql} = ${CAST[k.type](v)}`);
  });
  return Prisma.sql`(${Prisma.join(terms, " OR ")})`;
}

interface Position {
  sortField: string;
  desc: boolean;
  /** Fingerprint of the name search the similarity values belong to. */
  search: string | null;
  values: (string | null)[];
}

const fingerprint = (q: string | undefined) =>
  q ? createHash("sha256").update(q).digest("base64url").slice(0, 16) : null;

function encodeCursor(p: Position): string {
  return Buffer.from(
    JSON.stringify({ v: 1, s: p.sortField, o: p.desc ? "d" : "a", q: p.search, k: p.values }),
  ).toString("base64url");
}

const invalidCursor = (message: string) =>
  new AppError(ErrorCode.BadUserInput, message, { field: "after", reason: "INVALID_CURSOR" });

/** The position `after` points at, checked against the list's sort, search and key types. */
function decodeCursor(after: string, expected: Omit<Position, "values">, keys: SortKey[]): Position {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(after, "base64url").toString("utf8"));
  } catch {
    raw = undefined;
  }
  const c = raw as { v?: unknown; s?: unknown; o?: unknown; q?: unknown; k?: unknown } | undefined;
  if (!c || typeof c !== "object" || c.v !== 1 || !Array.isArray(c.k))
    throw invalidCursor(
      "This is not a cursor of the registrant list; take `cursor` from a registrant it returned",
    );
  if (c.s !== expected.sortField || c.o !== (expected.desc ? "d" : "a") || c.q !== expected.search)
    throw invalidCursor(
      "The cursor belongs to another sort order or name search; start again from the first page of this one",
    );
  const values = c.k as unknown[];
  const fits =
    values.length === keys.length &&
    values.every((v, i) =>
      v === null ? keys[i]!.nullable : typeof v === "string" && VALID[keys[i]!.type](v),
    );
  if (!fits)
    throw invalidCursor(
      "This is not a cursor of the registrant list; take `cursor` from a registrant it returned",
    );
  return { ...expected, values: values as (string | null)[] };
}

const pageTooDeep = () =>
  new AppError(
    ErrorCode.BadUserInput,
    `Pages reach the first ${EXACT_LIMIT.toLocaleString("en")} registrants only: narrow the filters, or continue with \`after\` and the cursor of the last registrant of a page`,
    { field: "page", reason: "PAGE_TOO_DEEP", limit: EXACT_LIMIT },
  );

/**
 * A page of registrants: by `page` (its OFFSET reaches the first EXACT_LIMIT
 * rows) or after a cursor (a seek from the cursor's position, as fast deep
 * down as on the first page). Each registrant carries its own cursor.
 */
export async function findRegistrants(
  ctx: RequestContext,
  args: RegistrantPageArgs,
  options: ListOptions = {},
) {
  const q = args.filter?.q?.trim() || undefined;
  const { skip, take } = paging(args, Object.keys(SORTS), "name");
  const sortField = args.sortField ?? "name";
  const desc = (args.sortOrder ?? "ASC").toUpperCase() === "DESC";
  const keys = sortKeys(SORTS[sortField]!, desc, q);
  const expected = { sortField, desc, search: fingerprint(q) };
  const position = args.after ? decodeCursor(args.after, expected, keys) : null;
  if (position && skip > 0) throw badInput("page", "Leave `page` out when you continue with `after`");
  if (!position && skip >= EXACT_LIMIT) throw pageTooDeep();
  return tx(ctx, async (t) => {
    const { conditions } = await listConditions(t, ctx, args.filter, options.lookups);
    if (position) conditions.push(afterCondition(keys, position.values));
    const values = Prisma.join(keys.map((k) => Prisma.sql`to_json(${k.sql}) #>> '{}'`));
    const rows = await t.$queryRaw<{ id: string; k: (string | null)[] }[]>`
      SELECT r.id, ARRAY[${values}] AS k FROM registrant r ${whereSql(conditions)}
      ORDER BY ${orderSql(keys)} LIMIT ${take} OFFSET ${position ? 0 : skip}`;
    const found = await t.registrant.findMany({ where: { id: { in: rows.map((r) => r.id) } } });
    const byId = new Map(found.map((r) => [r.id, r]));
    return rows.map((row) => ({
      ...toRegistrant(byId.get(row.id)!),
      cursor: encodeCursor({ ...expected, values: row.k }),
    }));
  });
}

export interface RegistrantCount {
  count: number;
  estimated: boolean;
  exactLimit: number;
}

/** A sample that finds this many times `exactLimit` matches or more is answer enough: nothing is counted. */
const EVIDENTLY_MORE = 3;

/**
 * The number of registrants matching the filter: counted up to `exactLimit`
 * (a LIMITed scan, cheap however many match), beyond it an estimate from a
 * sample of the table (see estimateRows), never below what was counted. When
 * the planner expects more than `exactLimit` matches, the sample comes first,
 * and if it finds several times more, the count is skipped: a filter that
 * cannot use an index would otherwise scan until it has counted 10,001.
 */
export function countRegistrants(
  ctx: RequestContext,
  args: RegistrantListArgs,
  options: ListOptions & { exactLimit?: number } = {},
): Promise<RegistrantCount> {
  const exactLimit = options.exactLimit ?? EXACT_LIMIT;
  return tx(ctx, async (t) => {
    const { conditions, atMost } = await listConditions(t, ctx, args.filter, options.lookups);
    // Sampled with the plain conditions (a sample reads few rows; the ids of an index function may be many).
    const plain = registrantConditions(args.filter);
    let estimate: number | undefined;
    if (atMost > exactLimit && (await planRows(t, plain)) > exactLimit) {
      estimate = await estimateRows(t, ctx, plain);
      if (estimate >= EVIDENTLY_MORE * exactLimit)
        return { count: Math.round(estimate), estimated: true, exactLimit };
    }
    const [row] = await t.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM (SELECT 1 FROM registrant r ${whereSql(conditions)} LIMIT ${exactLimit + 1}) s`;
    const n = row?.n ?? 0;
    if (n <= exactLimit) return { count: n, estimated: false, exactLimit };
    estimate ??= await estimateRows(t, ctx, plain);
    return { count: Math.max(exactLimit + 1, Math.round(estimate)), estimated: true, exactLimit };
  });
}

export function findRegistrant(ctx: RequestContext, id: string) {
  return tx(ctx, async (t) => {
    const r = await t.registrant.findUnique({ where: { id } });
    return r ? toRegistrant(r) : null;
  });
}

// ---------------------------------------------------------------------------
// Changes
// ---------------------------------------------------------------------------

/** The registrant with its identifiers, phones and accounts, as audited. */
async function snapshot(t: Tx, id: string) {
  const r = await t.registrant.findUniqueOrThrow({
    where: { id },
    include: {
      identifiers: {
        select: { idTypeId: true, value: true, status: true, expiresOn: true },
        orderBy: { value: "asc" },
      },
      phones: { select: { e164: true, isPrimary: true }, orderBy: { e164: "asc" } },
      financialAddresses: { select: { fa: true, isPrimary: true }, orderBy: { fa: "asc" } },
    },
  });
  const { createdAt: _c, updatedAt: _u, tenantId: _t, ...rest } = r;
  return {
    ...rest,
    birthDate: day(r.birthDate),
    registrationDate: day(r.registrationDate),
    deceasedDate: day(r.deceasedDate),
  };
}

type Fields = RegistrantFieldsArgs & { kind: "INDIVIDUAL" | "GROUP" };

const today = () => new Date().toISOString().slice(0, 10);

/**
 * Checks the merged fields of a registrant and returns what to store. On a
 * change, `storedAttributes` are the registrant's attributes as they are: only
 * attribute values the change adds or alters are checked (see validateAttributes).
 */
async function prepareFields(t: Tx, f: Fields, storedAttributes?: Record<string, unknown>) {
  const individual = f.kind === "INDIVIDUAL";
  let name = f.name?.trim();
  if (individual) {
    const parts = [f.givenName, f.additionalName, f.familyName].map((p) => p?.trim()).filter(Boolean);
    if (!f.givenName?.trim() && !f.familyName?.trim())
      throw badInput("givenName", "A person needs a given or a family name");
    name = parts.join(" ");
  } else {
    if (!name) throw badInput("name", "A group needs a name");
    for (const field of ["givenName", "familyName", "additionalName", "birthDate", "sex"] as const) {
      if (f[field] != null && f[field] !== "") throw badInput(field, `A group has no ${field}`);
    }
  }
  if (f.birthDate) {
    if (f.birthDate > today()) throw badInput("birthDate", "The birth date is in the future");
    if (f.birthDate < "1880-01-01") throw badInput("birthDate", "The birth date is too far in the past");
  }
  if (f.status === "INACTIVE" && !f.statusReason?.trim())
    throw badInput("statusReason", "Say why the registrant is inactive");
  if (f.deceasedDate && f.status !== "DECEASED")
    throw badInput("deceasedDate", "Only a deceased registrant has a date of death");
  if (f.deceasedDate && f.deceasedDate > today())
    throw badInput("deceasedDate", "The date of death is in the future");

  let gazLargeId = f.gazLargeId ?? null;
  const gazSmallId = f.gazSmallId ?? null;
  const zoneIds = [gazLargeId, gazSmallId].filter((z): z is string => !!z);
  const zones = zoneIds.length ? await t.geoZone.findMany({ where: { id: { in: zoneIds } } }) : [];
  const large = zones.find((z) => z.id === gazLargeId);
  const small = zones.find((z) => z.id === gazSmallId);
  if (gazLargeId && large?.level !== "LARGE")
    throw badInput("gazLargeId", "Not a GAZ-large zone of your department");
  if (gazSmallId) {
    if (small?.level !== "SMALL") throw badInput("gazSmallId", "Not a GAZ-small zone of your department");
    if (gazLargeId && small.parentId !== gazLargeId)
      throw badInput("gazSmallId", "The GAZ-small zone is not inside the GAZ-large zone");
    gazLargeId = small.parentId;
  }

  const attributes = f.attributes ?? {};
  // The definitions of the values written are locked (as a foreign key would lock
  // them), so that deleting a definition waits for this write and then counts it.
  const written = changedAttributeCodes(attributes, storedAttributes);
  if (written.length)
    await t.$queryRaw`SELECT 1 FROM attribute_definition WHERE code = ANY(${written}::text[]) FOR KEY SHARE`;
  const defs = await t.attributeDefinition.findMany();
  const checked = validateAttributes(defs, attributes, f.kind, storedAttributes);
  if ("problems" in checked) {
    const [first] = checked.problems;
    throw new AppError(ErrorCode.BadUserInput, first!.message, {
      field: first!.field,
      errors: checked.problems,
    });
  }

  return {
    externalId: f.externalId?.trim() || null,
    name: name!,
    familyName: individual ? f.familyName?.trim() || null : null,
    givenName: individual ? f.givenName?.trim() || null : null,
    additionalName: individual ? f.additionalName?.trim() || null : null,
    birthDate: individual ? (date(f.birthDate) ?? null) : null,
    birthDateNotExact: f.birthDateNotExact ?? false,
    sex: individual ? (f.sex ?? null) : null,
    ...(f.registrationDate ? { registrationDate: date(f.registrationDate)! } : {}),
    status: f.status ?? "ACTIVE",
    statusReason: f.status === "INACTIVE" ? f.statusReason!.trim() : null,
    deceasedDate: f.status === "DECEASED" ? (date(f.deceasedDate) ?? null) : null,
    gazLargeId,
    gazSmallId,
    addressText: f.addressText?.trim() || null,
    tags: [...new Set((f.tags ?? []).map((x) => x.trim()).filter(Boolean))],
    attributes: checked.attributes as Prisma.InputJsonObject,
  };
}

/**
 * The id and creation time of the registrant's row that an input names, so that
 * an edited identifier, phone or account keeps both; none for a new row.
 */
function keptRow(
  current: Map<string, { id: string; createdAt: Date }>,
  id: string | null | undefined,
  field: string,
  named: Set<string>,
): { id?: string; createdAt?: Date } {
  if (!id) return {};
  const row = current.get(id);
  if (!row) throw badInput(field, "Not one of this registrant's rows; leave the id out to add a new one");
  if (named.has(id)) throw badInput(field, "The same row is listed twice");
  named.add(id);
  return { id: row.id, createdAt: row.createdAt };
}

/** The registrant's current rows of a detail list, by id. */
const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));

/**
 * Replaces the identifiers, phones and accounts given in `f` (lists left out
 * stay as they are). Rows listed with their id keep it, rows without one are
 * added, and the registrant's rows not listed are removed.
 */
async function replaceDetails(t: Tx, ctx: RequestContext, registrantId: string, f: RegistrantFieldsArgs) {
  const tenantId = ctx.tenantId;
  if (f.identifiers) {
    const types = new Map((await t.idType.findMany()).map((x) => [x.id, x]));
    const current = byId(await t.registrantIdentifier.findMany({ where: { registrantId } }));
    const named = new Set<string>();
    const seen = new Set<string>();
    const rows = f.identifiers.map((input, i) => {
      const type = types.get(input.idTypeId);
      if (!type) throw badInput(`identifiers.${i}.idTypeId`, "Unknown identifier type");
      const value = input.value.trim();
      const problem = identifierProblem(value, type.pattern, type.checksum);
      if (problem) throw badInput(`identifiers.${i}.value`, `${type.name} ${problem}`);
      if (seen.has(`${type.id}:${value}`))
        throw badInput(`identifiers.${i}.value`, "The same identifier is listed twice");
      seen.add(`${type.id}:${value}`);
      return {
        ...keptRow(current, input.id, `identifiers.${i}.id`, named),
        tenantId,
        registrantId,
        idTypeId: type.id,
        value,
        issuedOn: date(input.issuedOn) ?? null,
        expiresOn: date(input.expiresOn) ?? null,
        status: input.status ?? "VALID",
      };
    });
    const taken = await t.registrantIdentifier.findMany({
      where: {
        registrantId: { not: registrantId },
        OR: rows.map((r) => ({ idTypeId: r.idTypeId, value: r.value })),
      },
    });
    if (taken.length) {
      const i = rows.findIndex((r) => r.idTypeId === taken[0]!.idTypeId && r.value === taken[0]!.value);
      throw new AppError(ErrorCode.Conflict, "This identifier belongs to another registrant", {
        field: `identifiers.${i}.value`,
        registrantId: taken[0]!.registrantId,
      });
    }
    await t.registrantIdentifier.deleteMany({ where: { registrantId } });
    if (rows.length) await t.registrantIdentifier.createMany({ data: rows });
  }
  if (f.phones) {
    const current = byId(await t.phone.findMany({ where: { registrantId } }));
    const named = new Set<string>();
    const rows = f.phones.map((input, i) => {
      const phone = normalisePhone(input.number, input.country);
      if (!phone)
        throw badInput(
          `phones.${i}.number`,
          "Not a valid phone number (give the country for national numbers)",
        );
      return {
        ...keptRow(current, input.id, `phones.${i}.id`, named),
        tenantId,
        registrantId,
        e164: phone.e164,
        country: phone.country,
        isPrimary: input.isPrimary ?? i === 0,
      };
    });
    await t.phone.deleteMany({ where: { registrantId } });
    if (rows.length) await t.phone.createMany({ data: rows });
  }
  if (f.financialAddresses) {
    const current = byId(await t.financialAddress.findMany({ where: { registrantId } }));
    const named = new Set<string>();
    const rows = f.financialAddresses.map((input, i) => {
      const checked = financialAddress(input);
      if ("field" in checked)
        throw badInput(`financialAddresses.${i}.${checked.field}`, `${checked.field} ${checked.message}`);
      return {
        ...keptRow(current, input.id, `financialAddresses.${i}.id`, named),
        tenantId,
        registrantId,
        kind: input.kind,
        accountHolder: input.accountHolder?.trim() || null,
        ...checked,
        isPrimary: input.isPrimary ?? i === 0,
      };
    });
    await t.financialAddress.deleteMany({ where: { registrantId } });
    if (rows.length) await t.financialAddress.createMany({ data: rows });
  }
}

/**
 * Registers one registrant with its identifiers, phones and accounts, audited
 * as `registrant.created` (its memberships are not part of the audited record).
 */
async function register(t: Tx, ctx: RequestContext, kind: RegistrantKind, f: RegistrantFieldsArgs) {
  if (f.externalId) {
    const existing = await t.registrant.findUnique({
      where: { tenantId_externalId: { tenantId: ctx.tenantId, externalId: f.externalId } },
    });
    if (existing)
      throw new AppError(ErrorCode.Conflict, `A registrant with external id ${f.externalId} exists`, {
        field: "externalId",
        existingId: existing.id,
      });
  }
  const data = await prepareFields(t, { ...f, kind });
  const created = await t.registrant.create({ data: { ...data, kind, tenantId: ctx.tenantId } });
  await replaceDetails(t, ctx, created.id, f);
  await recordAudit(t, ctx, {
    action: "registrant.created",
    entityType: "Registrant",
    entityId: created.id,
    after: await snapshot(t, created.id),
  });
  return created;
}

/**
 * Runs `fn` with the paths of its input errors under `prefix`: a new member's
 * `identifiers.0.value` is the request's `members.2.individual.identifiers.0.value`.
 */
async function underField<T>(prefix: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof AppError) || typeof error.extensions.field !== "string") throw error;
    const { code, field, errors, ...rest } = error.extensions;
    const under = (path: unknown) => `${prefix}.${String(path)}`;
    throw new AppError(code as ErrorCode, error.message, {
      ...rest,
      field: under(field),
      ...(Array.isArray(errors)
        ? { errors: errors.map((e: { field?: unknown }) => ({ ...e, field: under(e.field) })) }
        : {}),
    });
  }
}

/**
 * Registers a person or a group. A group's members are existing individuals
 * or new persons registered with it (each checked and audited as if created on
 * its own); everything is one transaction, so any refusal leaves nothing behind.
 */
export function createRegistrant(ctx: RequestContext, args: CreateRegistrantArgs) {
  return tx(ctx, async (t) => {
    const members = args.members ?? [];
    if (members.length && args.kind !== "GROUP") throw badInput("members", "Only a group has members");
    members.forEach((member, i) => {
      if (member.individualId && member.individual)
        throw badInput(
          `members.${i}.individual`,
          "Give either an existing individual (individualId) or a new person (individual), not both",
        );
      if (!member.individualId && !member.individual)
        throw badInput(
          `members.${i}.individualId`,
          "Choose an existing individual (individualId) or give a new person (individual)",
        );
    });
    const created = await register(t, ctx, args.kind, args);
    for (const [i, member] of members.entries()) {
      const field = `members.${i}`;
      // A new member lives where the household does unless the form says otherwise.
      const person = member.individual && {
        ...member.individual,
        gazLargeId:
          member.individual.gazLargeId ?? (member.individual.gazSmallId ? undefined : args.gazLargeId),
        gazSmallId:
          member.individual.gazSmallId ?? (member.individual.gazLargeId ? undefined : args.gazSmallId),
        addressText: member.individual.addressText ?? args.addressText,
      };
      const individualId = person
        ? (await underField(`${field}.individual`, () => register(t, ctx, "INDIVIDUAL", person))).id
        : member.individualId!;
      await addMember(
        t,
        ctx,
        { groupId: created.id, individualId, kindId: member.kindId, startDate: member.startDate },
        field,
      );
    }
    return toRegistrant(created);
  });
}

export function updateRegistrant(ctx: RequestContext, args: UpdateRegistrantArgs) {
  return tx(ctx, async (t) => {
    const current = await t.registrant.findUnique({ where: { id: args.id } });
    if (!current) throw notFound("Registrant", args.id);
    if (args.version != null && args.version !== current.version) {
      throw new AppError(
        ErrorCode.Conflict,
        "Someone changed this registrant since you read it; reload and try again",
        {
          field: "version",
          currentVersion: current.version,
        },
      );
    }
    const before = await snapshot(t, args.id);
    const { id: _id, version: _v, identifiers, phones, financialAddresses, ...changes } = args;
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    const merged = { ...toRegistrant(current), ...defined, kind: current.kind } as Fields;
    const data = await prepareFields(
      t,
      { ...merged, attributes: (merged.attributes ?? {}) as Record<string, unknown> },
      current.attributes as Record<string, unknown>,
    );
    const updated = await t.registrant.update({
      where: { id: args.id },
      data: { ...data, version: { increment: 1 } },
    });
    await replaceDetails(t, ctx, args.id, { identifiers, phones, financialAddresses });
    await recordAudit(t, ctx, {
      action: "registrant.updated",
      entityType: "Registrant",
      entityId: args.id,
      before,
      after: await snapshot(t, args.id),
    });
    return toRegistrant(updated);
  });
}

async function addMember(t: Tx, ctx: RequestContext, input: AddGroupMemberInput, field: string) {
  // One after the other: a transaction is one connection, which runs one query at a time.
  const group = await t.registrant.findUnique({ where: { id: input.groupId } });
  const individual = await t.registrant.findUnique({ where: { id: input.individualId } });
  const kind = await t.membershipKind.findUnique({ where: { id: input.kindId } });
  if (group?.kind !== "GROUP") throw badInput(`${field}.groupId`, "Not a group of your department");
  if (individual?.kind !== "INDIVIDUAL")
    throw badInput(`${field}.individualId`, "Not an individual of your department");
  if (!kind) throw badInput(`${field}.kindId`, "Unknown membership kind");
  const current = await t.groupMembership.findMany({ where: { groupId: group.id, endDate: null } });
  if (current.some((m) => m.individualId === individual.id)) {
    throw badInput(`${field}.individualId`, `${individual.name} is already a member of ${group.name}`);
  }
  if (kind.uniquePerGroup && current.some((m) => m.kindId === kind.id)) {
    throw new AppError(ErrorCode.Conflict, `${group.name} already has a current ${kind.name}`, {
      field: `${field}.kindId`,
    });
  }
  return t.groupMembership.create({
    data: {
      tenantId: ctx.tenantId,
      groupId: group.id,
      individualId: individual.id,
      kindId: kind.id,
      ...(input.startDate ? { startDate: date(input.startDate)! } : {}),
    },
  });
}

const toMembership = <M extends { startDate: Date; endDate: Date | null }>(m: M) => ({
  ...m,
  startDate: day(m.startDate)!,
  endDate: day(m.endDate),
});

export function addGroupMember(ctx: RequestContext, input: AddGroupMemberInput) {
  return tx(ctx, async (t) => {
    const m = await addMember(t, ctx, input, "input");
    await recordAudit(t, ctx, {
      action: "group_membership.created",
      entityType: "GroupMembership",
      entityId: m.id,
      after: toMembership(m),
    });
    return toMembership(m);
  });
}

export function endGroupMembership(ctx: RequestContext, input: EndGroupMembershipInput) {
  return tx(ctx, async (t) => {
    const m = await t.groupMembership.findUnique({ where: { id: input.id } });
    if (!m) throw notFound("GroupMembership", input.id);
    if (m.endDate) throw conflict("This membership has already ended");
    const endDate = input.endDate ?? today();
    if (endDate < day(m.startDate)!)
      throw badInput("input.endDate", "The membership cannot end before it started");
    const ended = await t.groupMembership.update({ where: { id: m.id }, data: { endDate: date(endDate)! } });
    await recordAudit(t, ctx, {
      action: "group_membership.ended",
      entityType: "GroupMembership",
      entityId: m.id,
      before: toMembership(m),
      after: toMembership(ended),
    });
    return toMembership(ended);
  });
}

// ---------------------------------------------------------------------------
// Details, batched per request
// ---------------------------------------------------------------------------

/** Loads one detail list for many registrants in one query (used by DataLoader). */
export function detailsOf(
  ctx: RequestContext,
  kind: "identifiers" | "phones" | "financialAddresses",
  ids: readonly string[],
) {
  return tx(ctx, async (t) => {
    const where = { registrantId: { in: [...ids] } };
    const rows: { registrantId: string }[] =
      kind === "identifiers"
        ? (await t.registrantIdentifier.findMany({ where, orderBy: { createdAt: "asc" } })).map((r) => ({
            ...r,
            // A valid identifier whose expiry date has passed reads as expired.
            status: r.status === "VALID" && r.expiresOn && day(r.expiresOn)! < today() ? "EXPIRED" : r.status,
            issuedOn: day(r.issuedOn),
            expiresOn: day(r.expiresOn),
          }))
        : kind === "phones"
          ? await t.phone.findMany({ where, orderBy: [{ isPrimary: "desc" }, { createdAt: "asc" }] })
          : await t.financialAddress.findMany({
              where,
              orderBy: [{ isPrimary: "desc" }, { createdAt: "asc" }],
            });
    return ids.map((id) => rows.filter((r) => r.registrantId === id));
  });
}

export function membershipsOf(ctx: RequestContext, side: "groupId" | "individualId", ids: readonly string[]) {
  return tx(ctx, async (t) => {
    const rows = await t.groupMembership.findMany({
      where: { [side]: { in: [...ids] } },
      orderBy: [{ endDate: { sort: "desc", nulls: "first" } }, { startDate: "asc" }],
    });
    return ids.map((id) => rows.filter((r) => r[side] === id).map(toMembership));
  });
}
