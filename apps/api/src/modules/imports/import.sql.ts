// Set-based SQL of the registry import: the staged rows are typed, checked and
// merged by PostgreSQL; nothing is looped over per row in Node. Conversions are
// plain SQL expressions (inlined by the planner), not function calls, because a
// function call per row and column costs more than the rest of a check.
import pg from "pg";

const ident = pg.escapeIdentifier;
const literal = pg.escapeLiteral;

/** Canonical fields an import column can map to (besides `attr.<code>` and `id.<ID_TYPE_CODE>`). */
export const FIELDS = {
  GROUP: ["external_id", "name", "gaz_large", "gaz_small", "address", "registration_date", "tags"],
  INDIVIDUAL: [
    "external_id",
    "given_name",
    "family_name",
    "additional_name",
    "birth_date",
    "birth_date_not_exact",
    "sex",
    "registration_date",
    "gaz_large",
    "gaz_small",
    "address",
    "phone",
    "group_external_id",
    "membership_kind",
    "tags",
  ],
  /** One row per membership: `external_id` is the individual's. */
  MEMBERSHIP: ["external_id", "group_external_id", "membership_kind", "start_date"],
} as const;

export type ImportEntity = keyof typeof FIELDS;

/** A staged column: the field it holds and the SQL column name in the staging table. */
export interface StagedField {
  field: string;
  column: string;
  /** Header of the file column it came from. */
  source: string;
}

export interface AttributeDef {
  code: string;
  label: string;
  type: "NUMBER" | "INTEGER" | "BOOLEAN" | "TEXT" | "ENUM" | "DATE";
  required: boolean;
  enumValues: string[];
  min: number | null;
  max: number | null;
}

export interface IdTypeDef {
  id: string;
  code: string;
  name: string;
  pattern: string | null;
  checksum: "NONE" | "LUHN" | "VERHOEFF";
}

/**
 * Session objects of an import (temporary, gone with the connection): the
 * check-digit functions for identifiers, and a calendar of every day from 1880
 * to 2100 keyed by its `YYYY-MM-DD` text, so that reading a date is a hash
 * lookup instead of an expression (the expression remains for other years).
 */
export const SESSION_OBJECTS = `
CREATE TEMP TABLE calendar AS
  SELECT to_char(d, 'YYYY-MM-DD') AS txt, d::date AS d
    FROM generate_series(DATE '1880-01-01', DATE '2100-12-31', interval '1 day') AS g(d);
ANALYZE calendar;
CREATE FUNCTION pg_temp.luhn(v text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE s int := 0; d int; n int := length(v);
BEGIN
  IF v !~ '^\\d+$' THEN RETURN false; END IF;
  FOR i IN 0 .. n - 1 LOOP
    d := ascii(substr(v, n - i, 1)) - 48;
    IF i % 2 = 1 THEN d := d * 2; IF d > 9 THEN d := d - 9; END IF; END IF;
    s := s + d;
  END LOOP;
  RETURN s % 10 = 0;
END $$;
CREATE FUNCTION pg_temp.verhoeff(v text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  d int[] := '{{0,1,2,3,4,5,6,7,8,9},{1,2,3,4,0,6,7,8,9,5},{2,3,4,0,1,7,8,9,5,6},{3,4,0,1,2,8,9,5,6,7},{4,0,1,2,3,9,5,6,7,8},{5,9,8,7,6,0,4,3,2,1},{6,5,9,8,7,1,0,4,3,2},{7,6,5,9,8,2,1,0,4,3},{8,7,6,5,9,3,2,1,0,4},{9,8,7,6,5,4,3,2,1,0}}';
  p int[] := '{{0,1,2,3,4,5,6,7,8,9},{1,5,7,6,2,8,3,0,9,4},{5,8,0,3,7,9,6,1,4,2},{8,9,1,6,0,4,3,5,2,7},{9,4,5,3,1,2,6,8,7,0},{4,2,8,6,5,7,3,9,0,1},{2,7,9,3,8,0,6,4,1,5},{7,0,4,6,9,1,3,2,5,8}}';
  c int := 0; n int := length(v);
BEGIN
  IF v !~ '^\\d+$' THEN RETURN false; END IF;
  FOR i IN 0 .. n - 1 LOOP
    c := d[c + 1][p[i % 8 + 1][ascii(substr(v, n - i, 1)) - 47] + 1];
  END LOOP;
  RETURN c = 0;
END $$;
`;

/** `v` as a date when it is a real calendar date written YYYY-MM-DD, else NULL (never an error). */
export function sqlDate(v: string): string {
  const y = `left(${v}, 4)::int`;
  const m = `substr(${v}, 6, 2)::int`;
  const d = `substr(${v}, 9, 2)::int`;
  const days = `CASE WHEN ${m} = 2 THEN CASE WHEN ${y} % 4 = 0 AND (${y} % 100 <> 0 OR ${y} % 400 = 0) THEN 29 ELSE 28 END
                     WHEN ${m} IN (4, 6, 9, 11) THEN 30 ELSE 31 END`;
  // String functions instead of a regular expression: a third of the cost.
  return `CASE WHEN length(${v}) = 10 AND translate(${v}, '0123456789', '') = '--' AND substr(${v}, 5, 1) = '-'
                 AND substr(${v}, 8, 1) = '-' AND left(${v}, 4) <> '0000' THEN
            CASE WHEN ${m} BETWEEN 1 AND 12 AND ${d} BETWEEN 1 AND ${days} THEN ${v}::date END END`;
}

/** `v` as a boolean (true/false, yes/no, 1/0), else NULL. */
export const sqlBool = (v: string) =>
  `CASE lower(${v}) WHEN 'true' THEN true WHEN 'yes' THEN true WHEN '1' THEN true
                    WHEN 'false' THEN false WHEN 'no' THEN false WHEN '0' THEN false END`;

/** `v` as a "Sex" label (female/f, male/m, other/o), else NULL. */
const sqlSex = (v: string) =>
  `CASE lower(${v}) WHEN 'female' THEN 'FEMALE' WHEN 'f' THEN 'FEMALE' WHEN 'male' THEN 'MALE' WHEN 'm' THEN 'MALE'
                    WHEN 'other' THEN 'OTHER' WHEN 'o' THEN 'OTHER' END`;

/** A phone number without its spaces, dots, dashes and brackets. */
const sqlCompactPhone = (v: string) => `translate(${v}, ' ().-', '')`;

/** `x`, a compacted phone number (see `sqlCompactPhone`), when it is in E.164, else NULL. */
const sqlPhone = (x: string) =>
  `CASE WHEN left(${x}, 1) = '+' AND length(${x}) BETWEEN 8 AND 16 AND substr(${x}, 2, 1) <> '0'
        AND translate(substr(${x}, 2), '0123456789', '') = '' THEN ${x} END`;

/** `v` as a bigint when it is 1 to 18 decimal digits, else NULL (for `sqlLuhn`). */
export const sqlDigits = (v: string) =>
  `CASE WHEN length(${v}) BETWEEN 1 AND 18 AND translate(${v}, '0123456789', '') = '' THEN ${v}::bigint END`;

/**
 * Whether `n`, a bigint, ends in a right Luhn check digit. The sum is unrolled
 * over the 18 digits a bigint holds: every second digit from the right is
 * doubled, less 9 when that exceeds 9 (`2d - 9 * (d / 5)`). A few dozen integer
 * operations cost a fifth of the PL/pgSQL loop over the text.
 */
export function sqlLuhn(n: string): string {
  const terms = Array.from({ length: 18 }, (_, i) => {
    const d = i === 0 ? `(${n} % 10)` : `(${n} / ${10n ** BigInt(i)} % 10)`;
    return i % 2 === 0 ? d : `(2 * ${d} - 9 * (${d} / 5))`;
  });
  return `((${terms.join(" + ")}) % 10 = 0)`;
}

/** The membership kind code a row names (OTHER when the column is absent or empty). */
const kindCode = (fields: StagedField[]) =>
  has(fields, "membership_kind") ? `upper(coalesce(x.membership_kind, 'OTHER'))` : `'OTHER'`;

const has = (fields: StagedField[], field: string) => fields.some((f) => f.field === field);
const col = (fields: StagedField[], field: string) => fields.find((f) => f.field === field)!;

/**
 * SQL of the staging table: each file column trimmed (empty → NULL), every
 * conversion computed once (`_`-prefixed columns, NULL when invalid), and every
 * reference resolved by a hash join: the registrant with the same external id,
 * the zones, the group and the membership kind.
 */
export function stagedSql(
  entity: ImportEntity,
  fields: (StagedField & { index: number })[],
  attributes: AttributeDef[],
  idTypes: IdTypeDef[],
  startMs: number,
): string {
  const hasF = (f: string) => has(fields, f);
  const typed: string[] = [];
  const joins: string[] = [`LEFT JOIN registrant r ON r.external_id = x.external_id`];
  /** A date column: looked up in the calendar, the expression only for other years and bad values. */
  const date = (v: string, alias: string) => {
    joins.push(`LEFT JOIN pg_temp.calendar ${alias} ON ${alias}.txt = ${v}`);
    return `coalesce(${alias}.d, ${sqlDate(v)})`;
  };
  typed.push("r.id AS _registrant_id", "r.kind::text AS _existing_kind");
  for (const f of ["birth_date", "registration_date", "start_date"])
    if (hasF(f)) typed.push(`${date(`x.${f}`, `cal_${f}`)} AS _${f}`);
  if (hasF("birth_date_not_exact"))
    typed.push(`${sqlBool("x.birth_date_not_exact")} AS _birth_date_not_exact`);
  if (hasF("sex")) typed.push(`${sqlSex("x.sex")} AS _sex`);
  if (hasF("phone")) typed.push(`${sqlPhone("x._phone_compact")} AS _phone`);
  if (hasF("gaz_large")) {
    joins.push(`LEFT JOIN geo_zone zl ON zl.code = x.gaz_large AND zl.level = 'LARGE'`);
    typed.push("zl.id AS _gaz_large_id");
  }
  if (hasF("gaz_small")) {
    joins.push(`LEFT JOIN geo_zone zs ON zs.code = x.gaz_small AND zs.level = 'SMALL'`);
    typed.push("zs.id AS _gaz_small_id", "zs.parent_id AS _gaz_small_parent_id");
  }
  if (hasF("group_external_id") && entity !== "GROUP") {
    joins.push(
      `LEFT JOIN registrant g ON g.external_id = x.group_external_id AND g.kind = 'GROUP'`,
      `LEFT JOIN membership_kind k ON k.code = ${kindCode(fields)}`,
    );
    typed.push("g.id AS _group_id", "k.id AS _kind_id", "k.unique_per_group AS _kind_unique");
  }
  attributes.forEach((a, i) => {
    const f = fields.find((x) => x.field === `attr.${a.code}`);
    if (!f) return;
    const v = `x.${ident(f.column)}`;
    typed.push(`${attributeValue(a, v, () => date(v, `cal_attr_${i}`))} AS _attr_${i}`);
  });
  idTypes.forEach((t, i) => {
    const f = fields.find((x) => x.field === `id.${t.code}`);
    if (f && t.checksum === "LUHN") typed.push(`${sqlDigits(`x.${ident(f.column)}`)} AS _digits_${i}`);
  });
  const trimmed = fields.map((f) => `nullif(btrim(c${f.index}), '') AS ${ident(f.column)}`);
  const phone = fields.find((f) => f.field === "phone");
  if (phone) trimmed.push(`${sqlCompactPhone(`nullif(btrim(c${phone.index}), '')`)} AS _phone_compact`);
  // OFFSET 0 keeps each level a subquery of its own, so that every value is
  // computed once and then read by name, instead of the planner pasting the
  // expression into each place that uses it.
  return `SELECT y.*, coalesce(y._registrant_id, ${orderedUuid(startMs, "y.line * 16")}) AS _id,
                 y._registrant_id IS NULL AS _new, ${attributesSql(fields, attributes, "y")} AS _attributes
            FROM (SELECT x.*, ${typed.join(", ")}
                    FROM (SELECT line, ${trimmed.join(", ")} FROM import_rows OFFSET 0) x ${joins.join(" ")}
                  OFFSET 0) y`;
}

/**
 * The typed value of an attribute column, or NULL when it does not parse;
 * `date()` reads `v` as a date (see stagedSql).
 */
function attributeValue(a: AttributeDef, v: string, date: () => string): string {
  switch (a.type) {
    case "NUMBER":
      return `CASE WHEN ${v} ~ '^-?\\d+(\\.\\d+)?$' THEN ${v}::numeric END`;
    case "INTEGER":
      return `CASE WHEN ${v} ~ '^-?\\d{1,15}$' THEN ${v}::bigint END`;
    case "BOOLEAN":
      return sqlBool(v);
    case "DATE":
      return `CASE WHEN ${date()} IS NOT NULL THEN ${v} END`;
    case "ENUM":
      return `CASE WHEN ${v} = ANY (${literal(`{${a.enumValues.map((e) => `"${e.replace(/["\\]/g, "\\$&")}"`).join(",")}}`)}::text[]) THEN ${v} END`;
    default:
      return v;
  }
}

/** SQL building the attributes object of a staged row from its typed attribute columns. */
export function attributesSql(fields: StagedField[], attributes: AttributeDef[], alias = "s"): string {
  const pairs = attributes.flatMap((a, i) =>
    has(fields, `attr.${a.code}`) ? [`${literal(a.code)}, ${alias}._attr_${i}`] : [],
  );
  return pairs.length ? `jsonb_strip_nulls(jsonb_build_object(${pairs.join(", ")}))` : `'{}'::jsonb`;
}

/** A check of one row on its own (`condition` over `s`, a staged row) or of rows together (`failing`). */
export type Check = { column: string | null; message: string } & (
  { condition: string } | { failing: string }
);

/** Every check of an import: conditions on a staged row, or SQL selecting the failing lines. */
export function checks(
  entity: ImportEntity,
  fields: StagedField[],
  attributes: AttributeDef[],
  idTypes: IdTypeDef[],
): Check[] {
  const c: Check[] = [];
  const hasF = (f: string) => has(fields, f);
  const src = (field: string) => col(fields, field).source;
  c.push({
    column: hasF("external_id") ? src("external_id") : null,
    message: "external_id is required",
    condition: "s.external_id IS NULL",
  });
  if (entity === "MEMBERSHIP") {
    c.push({
      column: src("external_id"),
      message: "no individual with this external id (import the individuals first)",
      condition: `s.external_id IS NOT NULL AND s._existing_kind IS DISTINCT FROM 'INDIVIDUAL'`,
    });
    c.push({
      column: hasF("group_external_id") ? src("group_external_id") : null,
      message: "group_external_id is required",
      condition: hasF("group_external_id") ? "s.group_external_id IS NULL" : "true",
    });
    c.push({
      column: src("external_id"),
      message: "the same membership appears earlier in the file",
      failing: repeatedSql("external_id", hasF("group_external_id") ? ["group_external_id"] : []),
    });
    if (hasF("start_date"))
      c.push({
        column: src("start_date"),
        message: "start_date must be a date YYYY-MM-DD",
        condition: "s.start_date IS NOT NULL AND s._start_date IS NULL",
      });
    if (hasF("group_external_id")) c.push(...groupChecks(fields));
    return c;
  }
  c.push({
    column: src("external_id"),
    message: "the same external_id appears earlier in the file",
    failing: repeatedSql("external_id"),
  });
  c.push({
    column: src("external_id"),
    message: `this external_id belongs to a registrant that is not ${entity === "GROUP" ? "a group" : "an individual"}`,
    condition: `s._existing_kind <> '${entity}'`,
  });
  if (entity === "GROUP") {
    c.push({
      column: hasF("name") ? src("name") : null,
      message: "name is required",
      condition: hasF("name") ? "s.name IS NULL" : "true",
    });
  } else {
    const given = hasF("given_name") ? "s.given_name IS NULL" : "true";
    const family = hasF("family_name") ? "s.family_name IS NULL" : "true";
    c.push({
      column: hasF("given_name") ? src("given_name") : null,
      message: "given_name or family_name is required",
      condition: `${given} AND ${family}`,
    });
    if (hasF("sex"))
      c.push({
        column: src("sex"),
        message: "sex must be female, male or other",
        condition: "s.sex IS NOT NULL AND s._sex IS NULL",
      });
    if (hasF("birth_date"))
      c.push({
        column: src("birth_date"),
        message: "birth_date must be a past date YYYY-MM-DD",
        condition: `s.birth_date IS NOT NULL AND (s._birth_date IS NULL OR s._birth_date > current_date OR s._birth_date < DATE '1880-01-01')`,
      });
    if (hasF("birth_date_not_exact"))
      c.push({
        column: src("birth_date_not_exact"),
        message: "must be true or false",
        condition: "s.birth_date_not_exact IS NOT NULL AND s._birth_date_not_exact IS NULL",
      });
    if (hasF("phone"))
      c.push({
        column: src("phone"),
        message: "phone must be in international format, e.g. +254712345678",
        condition: "s.phone IS NOT NULL AND s._phone IS NULL",
      });
    if (hasF("group_external_id")) c.push(...groupChecks(fields));
  }
  if (hasF("registration_date"))
    c.push({
      column: src("registration_date"),
      message: "registration_date must be a date YYYY-MM-DD, not in the future",
      condition: `s.registration_date IS NOT NULL AND (s._registration_date IS NULL OR s._registration_date > current_date)`,
    });
  if (hasF("gaz_large"))
    c.push({
      column: src("gaz_large"),
      message: "unknown GAZ-large zone code",
      condition: "s.gaz_large IS NOT NULL AND s._gaz_large_id IS NULL",
    });
  if (hasF("gaz_small"))
    c.push({
      column: src("gaz_small"),
      message: "unknown GAZ-small zone code, or not inside the GAZ-large zone",
      condition: `s.gaz_small IS NOT NULL AND (s._gaz_small_id IS NULL${hasF("gaz_large") ? " OR (s.gaz_large IS NOT NULL AND s._gaz_small_parent_id IS DISTINCT FROM s._gaz_large_id)" : ""})`,
    });
  for (const [i, t] of idTypes.entries()) {
    const f = fields.find((x) => x.field === `id.${t.code}`);
    if (!f) continue;
    const v = `s.${ident(f.column)}`;
    if (t.pattern)
      c.push({
        column: f.source,
        message: `${t.name} does not match the format ${t.pattern}`,
        condition: `${v} !~ ${literal(`^(?:${t.pattern})$`)}`,
      });
    if (t.checksum !== "NONE")
      c.push({
        column: f.source,
        message: `${t.name} has a wrong check digit (${t.checksum === "LUHN" ? "Luhn" : "Verhoeff"})`,
        condition:
          t.checksum === "LUHN"
            ? `CASE WHEN s._digits_${i} IS NOT NULL THEN NOT ${sqlLuhn(`s._digits_${i}`)} ELSE NOT pg_temp.luhn(${v}) END`
            : `NOT pg_temp.verhoeff(${v})`,
      });
    c.push({
      column: f.source,
      message: `${t.name} belongs to another registrant`,
      failing: `SELECT s.line FROM staged s JOIN registrant_identifier ri ON ri.id_type_id = ${literal(t.id)} AND ri.value = ${v}
                 WHERE ri.registrant_id IS DISTINCT FROM s._registrant_id`,
    });
    c.push({
      column: f.source,
      message: `the same ${t.name} appears earlier in the file`,
      failing: repeatedSql(ident(f.column)),
    });
  }
  attributes.forEach((a, i) => {
    const f = fields.find((x) => x.field === `attr.${a.code}`);
    if (!f) {
      if (a.required)
        c.push({
          column: null,
          message: `${a.label} is required (no column for attr.${a.code})`,
          condition: "true",
        });
      return;
    }
    const v = `s.${ident(f.column)}`;
    const range = [
      a.min != null ? `s._attr_${i} < ${Number(a.min)}` : null,
      a.max != null ? `s._attr_${i} > ${Number(a.max)}` : null,
    ].filter(Boolean);
    c.push({
      column: f.source,
      message: `${a.label} ${attributeMessage(a)}`,
      condition: `${v} IS NOT NULL AND (s._attr_${i} IS NULL${range.length && (a.type === "NUMBER" || a.type === "INTEGER") ? ` OR ${range.join(" OR ")}` : ""})`,
    });
    if (a.required)
      c.push({ column: f.source, message: `${a.label} is required`, condition: `${v} IS NULL` });
  });
  return c;
}

/**
 * SQL selecting the lines whose `key` (not NULL) and `others` repeat an earlier
 * line's. Grouping by hash finds the repeated keys without sorting the file.
 */
function repeatedSql(key: string, others: string[] = []): string {
  const keys = [key, ...others];
  return `SELECT s.line FROM staged s
            JOIN (SELECT ${keys.map((k, i) => `${k} AS k${i}`).join(", ")}, min(line) AS first FROM staged
                   WHERE ${key} IS NOT NULL GROUP BY ${keys.join(", ")} HAVING count(*) > 1) d
              ON s.${key} = d.k0${others.map((k, i) => ` AND s.${k} IS NOT DISTINCT FROM d.k${i + 1}`).join("")}
           WHERE s.line > d.first`;
}

/** Checks of rows that name a group: it exists, the kind is known, kinds unique per group hold. */
function groupChecks(fields: StagedField[]): Check[] {
  const src = (field: string) => col(fields, field).source;
  const kindColumn = has(fields, "membership_kind") ? src("membership_kind") : src("group_external_id");
  return [
    {
      column: src("group_external_id"),
      message: "no group with this external id (import the groups first)",
      condition: "s.group_external_id IS NOT NULL AND s._group_id IS NULL",
    },
    {
      column: kindColumn,
      message: "unknown membership kind",
      condition: "s.group_external_id IS NOT NULL AND s._kind_id IS NULL",
    },
    {
      // Against the file itself and the group's current members.
      column: kindColumn,
      message: "the group already has a member of this kind (only one allowed)",
      failing: `WITH unique_kind AS (
          SELECT line, _registrant_id, _group_id, _kind_id,
                 row_number() OVER (PARTITION BY _group_id, _kind_id ORDER BY line) AS n
            FROM staged WHERE _kind_unique AND _group_id IS NOT NULL)
        SELECT line FROM unique_kind WHERE n > 1
        UNION
        SELECT u.line FROM unique_kind u JOIN group_membership m
            ON m.group_id = u._group_id AND m.kind_id = u._kind_id AND m.end_date IS NULL
           AND m.individual_id IS DISTINCT FROM u._registrant_id`,
    },
  ];
}

/** One statement recording every failing row-level check (a single pass over the staged rows). */
export function rowChecksSql(rowChecks: { column: string | null; message: string; condition: string }[]) {
  if (!rowChecks.length) return null;
  const values = rowChecks
    .map(
      (c) =>
        `(${c.condition}, ${c.column == null ? "NULL::text" : literal(c.column)}, ${literal(c.message)})`,
    )
    .join(",\n       ");
  return `INSERT INTO import_error (id, tenant_id, job_id, line, "column", message)
    SELECT gen_random_uuid(), $1, $2, s.line, e.col, e.msg
      FROM staged s CROSS JOIN LATERAL (VALUES ${values}) e(bad, col, msg)
     WHERE (${rowChecks.map((c) => `(${c.condition})`).join(" OR ")}) AND e.bad`;
}

function attributeMessage(a: AttributeDef): string {
  const range = a.min != null || a.max != null ? ` between ${a.min ?? "-∞"} and ${a.max ?? "∞"}` : "";
  switch (a.type) {
    case "NUMBER":
      return `must be a number${range}`;
    case "INTEGER":
      return `must be a whole number${range}`;
    case "BOOLEAN":
      return "must be true or false";
    case "ENUM":
      return `must be one of ${a.enumValues.join(", ")}`;
    case "DATE":
      return "must be a date YYYY-MM-DD";
    default:
      return "is invalid";
  }
}

/**
 * A time-ordered UUID (RFC 9562 version 7) for bulk inserts: the import's start
 * in milliseconds, then `counter` (e.g. line × slots + slot, so ids follow the
 * file), then random bits. New rows land at the right edge of the primary-key
 * indexes instead of on random pages.
 */
export function orderedUuid(startMs: number, counter: string): string {
  const ms = Math.trunc(startMs).toString(16).padStart(12, "0");
  return `(${literal(ms)} || '7' || lpad(to_hex(((${counter}) >> 26) & 4095), 3, '0')
           || to_hex(8 | (((${counter}) >> 24) & 3))
           || lpad(to_hex((((${counter}) & 16777215) << 36) | (random() * 68719476735)::bigint), 15, '0'))::uuid`;
}
