// Set-based SQL of the registry import: the staged rows are checked and
// merged by PostgreSQL; nothing is looped over per row in Node.
import pg from "pg";

const ident = pg.escapeIdentifier;

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

/** Session helpers for validation (temporary, gone with the connection). */
export const SESSION_FUNCTIONS = `
CREATE FUNCTION pg_temp.try_date(v text) RETURNS date LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF v !~ '^\\d{4}-\\d{2}-\\d{2}$' THEN RETURN NULL; END IF;
  RETURN v::date;
EXCEPTION WHEN others THEN RETURN NULL;
END $$;
CREATE FUNCTION pg_temp.luhn(v text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT v ~ '^\\d+$' AND (SELECT sum(CASE WHEN i % 2 = 1 THEN (d * 2) / 10 + (d * 2) % 10 ELSE d END) % 10 = 0
     FROM (SELECT ordinality - 1 AS i, digit::int AS d
             FROM unnest(string_to_array(reverse(v), NULL)) WITH ORDINALITY AS t(digit, ordinality)) x)
$$;
CREATE FUNCTION pg_temp.phone(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN x ~ '^\\+[1-9][0-9]{6,14}$' THEN x END FROM (SELECT regexp_replace(v, '[\\s().-]', '', 'g') AS x) s
$$;
CREATE FUNCTION pg_temp.bool(v text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE lower(v) WHEN 'true' THEN true WHEN 'yes' THEN true WHEN '1' THEN true
                       WHEN 'false' THEN false WHEN 'no' THEN false WHEN '0' THEN false END
$$;
CREATE FUNCTION pg_temp.sex(v text) RETURNS "Sex" LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE lower(v) WHEN 'female' THEN 'FEMALE' WHEN 'f' THEN 'FEMALE' WHEN 'male' THEN 'MALE' WHEN 'm' THEN 'MALE'
                       WHEN 'other' THEN 'OTHER' WHEN 'o' THEN 'OTHER' END::"Sex"
$$;
`;

export interface Check {
  column: string | null;
  message: string;
  /** SQL returning (line) of failing rows from `staged s`. */
  failing: string;
}

const has = (fields: StagedField[], field: string) => fields.some((f) => f.field === field);
const col = (fields: StagedField[], field: string) => fields.find((f) => f.field === field)!;

/** Every check of an import, as SQL selecting the failing lines. */
export function checks(
  entity: ImportEntity,
  fields: StagedField[],
  attributes: AttributeDef[],
  idTypes: IdTypeDef[],
): Check[] {
  const c: Check[] = [];
  const src = (field: string) => col(fields, field).source;
  c.push({
    column: has(fields, "external_id") ? src("external_id") : null,
    message: "external_id is required",
    failing: `SELECT line FROM staged s WHERE s.external_id IS NULL`,
  });
  if (entity === "MEMBERSHIP") {
    c.push({
      column: src("external_id"),
      message: "no individual with this external id (import the individuals first)",
      failing: `SELECT s.line FROM staged s LEFT JOIN registrant r ON r.external_id = s.external_id AND r.kind = 'INDIVIDUAL' WHERE s.external_id IS NOT NULL AND r.id IS NULL`,
    });
    c.push({
      column: has(fields, "group_external_id") ? src("group_external_id") : null,
      message: "group_external_id is required",
      failing: `SELECT line FROM staged s WHERE ${has(fields, "group_external_id") ? "s.group_external_id IS NULL" : "true"}`,
    });
    c.push({
      column: src("external_id"),
      message: "the same membership appears earlier in the file",
      failing: `SELECT line FROM (SELECT line, row_number() OVER (PARTITION BY external_id, ${has(fields, "group_external_id") ? "group_external_id" : "1"} ORDER BY line) AS n FROM staged WHERE external_id IS NOT NULL) d WHERE n > 1`,
    });
    if (has(fields, "start_date"))
      c.push({
        column: src("start_date"),
        message: "start_date must be a date YYYY-MM-DD",
        failing: `SELECT line FROM staged s WHERE s.start_date IS NOT NULL AND pg_temp.try_date(s.start_date) IS NULL`,
      });
    if (has(fields, "group_external_id")) c.push(...groupChecks(fields));
    return c;
  }
  c.push({
    column: src("external_id"),
    message: "the same external_id appears earlier in the file",
    failing: `SELECT line FROM (SELECT line, row_number() OVER (PARTITION BY external_id ORDER BY line) AS n FROM staged WHERE external_id IS NOT NULL) d WHERE n > 1`,
  });
  c.push({
    column: src("external_id"),
    message: `this external_id belongs to a registrant that is not ${entity === "GROUP" ? "a group" : "an individual"}`,
    failing: `SELECT s.line FROM staged s JOIN registrant r ON r.external_id = s.external_id WHERE r.kind <> '${entity}'`,
  });
  if (entity === "GROUP") {
    c.push({
      column: has(fields, "name") ? src("name") : null,
      message: "name is required",
      failing: `SELECT line FROM staged s WHERE s.name IS NULL`,
    });
  } else {
    c.push({
      column: has(fields, "given_name") ? src("given_name") : null,
      message: "given_name or family_name is required",
      failing: `SELECT line FROM staged s WHERE s.given_name IS NULL AND s.family_name IS NULL`,
    });
    if (has(fields, "sex"))
      c.push({
        column: src("sex"),
        message: "sex must be female, male or other",
        failing: `SELECT line FROM staged s WHERE s.sex IS NOT NULL AND pg_temp.sex(s.sex) IS NULL`,
      });
    if (has(fields, "birth_date")) {
      c.push({
        column: src("birth_date"),
        message: "birth_date must be a past date YYYY-MM-DD",
        failing: `SELECT line FROM staged s WHERE s.birth_date IS NOT NULL AND (pg_temp.try_date(s.birth_date) IS NULL OR pg_temp.try_date(s.birth_date) > current_date OR pg_temp.try_date(s.birth_date) < DATE '1880-01-01')`,
      });
    }
    if (has(fields, "birth_date_not_exact"))
      c.push({
        column: src("birth_date_not_exact"),
        message: "must be true or false",
        failing: `SELECT line FROM staged s WHERE s.birth_date_not_exact IS NOT NULL AND pg_temp.bool(s.birth_date_not_exact) IS NULL`,
      });
    if (has(fields, "phone"))
      c.push({
        column: src("phone"),
        message: "phone must be in international format, e.g. +254712345678",
        failing: `SELECT line FROM staged s WHERE s.phone IS NOT NULL AND pg_temp.phone(s.phone) IS NULL`,
      });
    if (has(fields, "group_external_id")) c.push(...groupChecks(fields));
  }
  if (has(fields, "registration_date"))
    c.push({
      column: src("registration_date"),
      message: "registration_date must be a date YYYY-MM-DD, not in the future",
      failing: `SELECT line FROM staged s WHERE s.registration_date IS NOT NULL AND (pg_temp.try_date(s.registration_date) IS NULL OR pg_temp.try_date(s.registration_date) > current_date)`,
    });
  if (has(fields, "gaz_large"))
    c.push({
      column: src("gaz_large"),
      message: "unknown GAZ-large zone code",
      failing: `SELECT s.line FROM staged s LEFT JOIN geo_zone z ON z.code = s.gaz_large AND z.level = 'LARGE' WHERE s.gaz_large IS NOT NULL AND z.id IS NULL`,
    });
  if (has(fields, "gaz_small")) {
    c.push({
      column: src("gaz_small"),
      message: "unknown GAZ-small zone code, or not inside the GAZ-large zone",
      failing: `SELECT s.line FROM staged s LEFT JOIN geo_zone z ON z.code = s.gaz_small AND z.level = 'SMALL'
                  LEFT JOIN geo_zone p ON p.id = z.parent_id
                 WHERE s.gaz_small IS NOT NULL AND (z.id IS NULL ${has(fields, "gaz_large") ? "OR (s.gaz_large IS NOT NULL AND p.code <> s.gaz_large)" : ""})`,
    });
  }
  for (const t of idTypes) {
    const f = fields.find((x) => x.field === `id.${t.code}`);
    if (!f) continue;
    const v = `s.${ident(f.column)}`;
    if (t.pattern)
      c.push({
        column: f.source,
        message: `${t.name} does not match the format ${t.pattern}`,
        failing: `SELECT line FROM staged s WHERE ${v} IS NOT NULL AND ${v} !~ ${pg.escapeLiteral(`^(?:${t.pattern})$`)}`,
      });
    if (t.checksum === "LUHN")
      c.push({
        column: f.source,
        message: `${t.name} has a wrong check digit (Luhn)`,
        failing: `SELECT line FROM staged s WHERE ${v} IS NOT NULL AND NOT pg_temp.luhn(${v})`,
      });
    c.push({
      column: f.source,
      message: `${t.name} belongs to another registrant`,
      failing: `SELECT s.line FROM staged s JOIN registrant_identifier ri ON ri.id_type_id = '${t.id}' AND ri.value = ${v}
                  JOIN registrant r ON r.id = ri.registrant_id WHERE r.external_id IS DISTINCT FROM s.external_id`,
    });
    c.push({
      column: f.source,
      message: `the same ${t.name} appears earlier in the file`,
      failing: `SELECT line FROM (SELECT line, row_number() OVER (PARTITION BY ${v} ORDER BY line) AS n FROM staged s WHERE ${v} IS NOT NULL) d WHERE n > 1`,
    });
  }
  for (const a of attributes) {
    const f = fields.find((x) => x.field === `attr.${a.code}`);
    if (!f) {
      if (a.required)
        c.push({
          column: null,
          message: `${a.label} is required (no column for attr.${a.code})`,
          failing: `SELECT line FROM staged s`,
        });
      continue;
    }
    const v = `s.${ident(f.column)}`;
    const invalid = attributeInvalid(a, v);
    c.push({
      column: f.source,
      message: `${a.label} ${attributeMessage(a)}`,
      failing: `SELECT line FROM staged s WHERE ${v} IS NOT NULL AND (${invalid})`,
    });
    if (a.required)
      c.push({
        column: f.source,
        message: `${a.label} is required`,
        failing: `SELECT line FROM staged s WHERE ${v} IS NULL`,
      });
  }
  return c;
}

/** Checks of rows that name a group: it exists, the kind is known, kinds unique per group hold. */
function groupChecks(fields: StagedField[]): Check[] {
  const c: Check[] = [];
  const src = (field: string) => col(fields, field).source;
  c.push({
    column: src("group_external_id"),
    message: "no group with this external id (import the groups first)",
    failing: `SELECT s.line FROM staged s LEFT JOIN registrant g ON g.external_id = s.group_external_id AND g.kind = 'GROUP' WHERE s.group_external_id IS NOT NULL AND g.id IS NULL`,
  });
  const kind = has(fields, "membership_kind") ? `upper(coalesce(s.membership_kind, 'OTHER'))` : `'OTHER'`;
  c.push({
    column: has(fields, "membership_kind") ? src("membership_kind") : src("group_external_id"),
    message: "unknown membership kind",
    failing: `SELECT s.line FROM staged s LEFT JOIN membership_kind k ON k.code = ${kind} WHERE s.group_external_id IS NOT NULL AND k.id IS NULL`,
  });
  // Set-based: kinds unique per group, against the file itself and the current members.
  c.push({
    column: has(fields, "membership_kind") ? src("membership_kind") : src("group_external_id"),
    message: "the group already has a member of this kind (only one allowed)",
    failing: `WITH unique_kind AS (
        SELECT s.line, s.external_id, s.group_external_id, k.id AS kind_id,
               row_number() OVER (PARTITION BY s.group_external_id, k.id ORDER BY s.line) AS n
          FROM staged s JOIN membership_kind k ON k.code = ${kind} AND k.unique_per_group
         WHERE s.group_external_id IS NOT NULL),
      current_holder AS (
        SELECT g.external_id AS group_external_id, m.kind_id, i.external_id AS member_external_id
          FROM group_membership m
          JOIN membership_kind k ON k.id = m.kind_id AND k.unique_per_group
          JOIN registrant g ON g.id = m.group_id
          JOIN registrant i ON i.id = m.individual_id
         WHERE m.end_date IS NULL)
      SELECT line FROM unique_kind WHERE n > 1
      UNION
      SELECT u.line FROM unique_kind u JOIN current_holder h
        ON h.group_external_id = u.group_external_id AND h.kind_id = u.kind_id
       AND h.member_external_id IS DISTINCT FROM u.external_id`,
  });

  return c;
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

function attributeInvalid(a: AttributeDef, v: string): string {
  const range = (cast: string) =>
    [a.min != null ? `${cast} < ${Number(a.min)}` : null, a.max != null ? `${cast} > ${Number(a.max)}` : null]
      .filter(Boolean)
      .join(" OR ") || "false";
  switch (a.type) {
    case "NUMBER":
      return `${v} !~ '^-?\\d+(\\.\\d+)?$' OR (${v} ~ '^-?\\d+(\\.\\d+)?$' AND (${range(`${v}::numeric`)}))`;
    case "INTEGER":
      return `${v} !~ '^-?\\d{1,15}$' OR (${v} ~ '^-?\\d{1,15}$' AND (${range(`${v}::bigint`)}))`;
    case "BOOLEAN":
      return `pg_temp.bool(${v}) IS NULL`;
    case "ENUM":
      return `NOT (${v} = ANY (${pg.escapeLiteral(`{${a.enumValues.map((e) => `"${e.replace(/["\\]/g, "\\$&")}"`).join(",")}}`)}::text[]))`;
    case "DATE":
      return `pg_temp.try_date(${v}) IS NULL`;
    default:
      return "false";
  }
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

/** SQL building the attributes object of a staged row from its attribute columns. */
export function attributesSql(fields: StagedField[], attributes: AttributeDef[]): string {
  const pairs = attributes.flatMap((a) => {
    const f = fields.find((x) => x.field === `attr.${a.code}`);
    if (!f) return [];
    const v = `s.${ident(f.column)}`;
    const value =
      a.type === "NUMBER"
        ? `${v}::numeric`
        : a.type === "INTEGER"
          ? `${v}::bigint`
          : a.type === "BOOLEAN"
            ? `pg_temp.bool(${v})`
            : v;
    return [`${pg.escapeLiteral(a.code)}, ${value}`];
  });
  return pairs.length ? `jsonb_strip_nulls(jsonb_build_object(${pairs.join(", ")}))` : `'{}'::jsonb`;
}
