// The set-based SQL of the deduplication rules: one INSERT … SELECT per rule
// (per birth-date chunk for the name rule) that finds matching registrants and
// writes duplicate_set rows with their members in the same statement. Shared by
// the DEDUPLICATION job and bench/src/dedup.bench.ts, so the benchmark times the
// product's statements. Runs under row-level security: every table read is the
// caller's department only.
import { Prisma, type DedupRuleKind, type Tx } from "@pbms/db";

/** The largest set an exact rule writes; a bigger group (e.g. a phone shared by a whole village) is skipped and counted. */
export const MAX_SET_SIZE = 50;

/** Registrants that take part in deduplication: active and not merged into another record. */
const CANDIDATE = Prisma.sql`r.status = 'ACTIVE' AND r.merged_into_id IS NULL`;

/** The key an exact rule groups by, per row of its table joined to its registrant `r`. */
const EXACT_KEYS: Record<Exclude<DedupRuleKind, "SIMILAR_NAME_BIRTH_DATE">, Prisma.Sql> = {
  // type + value are unique per department, so identical identifiers cannot occur: this finds
  // the same document entered with different case, spaces or punctuation ("AB-123 456" = "ab123456").
  SAME_IDENTIFIER: Prisma.sql`SELECT x.id_type_id::text || ':' || regexp_replace(upper(x.value), '[[:space:][:punct:]]+', '', 'g') AS k,
      r.kind, r.id
    FROM registrant_identifier x JOIN registrant r ON r.tenant_id = x.tenant_id AND r.id = x.registrant_id
   WHERE ${CANDIDATE} AND regexp_replace(x.value, '[[:space:][:punct:]]+', '', 'g') <> ''`,
  SAME_PHONE: Prisma.sql`SELECT x.e164 AS k, r.kind, r.id
    FROM phone x JOIN registrant r ON r.tenant_id = x.tenant_id AND r.id = x.registrant_id
   WHERE ${CANDIDATE}`,
  // A bank account is its IBAN, with or without the BIC written next to it.
  SAME_FINANCIAL_ADDRESS: Prisma.sql`SELECT coalesce('iban:' || x.iban, x.fa) AS k, r.kind, r.id
    FROM financial_address x JOIN registrant r ON r.tenant_id = x.tenant_id AND r.id = x.registrant_id
   WHERE ${CANDIDATE}`,
};

export interface RuleOutcome {
  /** Sets written by this statement (sets already known, open or decided, are left alone). */
  found: number;
  /** Groups larger than MAX_SET_SIZE that were not written. */
  tooLarge: number;
}

/** Inserts the sets of `candidates` (rows of sorted `ids uuid[]` and a `score`) with their members. */
function insertSets(tenantId: string, jobId: string | null, rule: DedupRuleKind, candidates: Prisma.Sql) {
  return Prisma.sql`
  WITH found AS (${candidates}),
  sets AS (
    INSERT INTO duplicate_set (id, tenant_id, rule, score, member_key, job_id)
    SELECT gen_random_uuid(), ${tenantId}::uuid, ${rule}::"DedupRuleKind", f.score,
           array_to_string(f.ids, ','), ${jobId}::uuid
      FROM found f
     WHERE cardinality(f.ids) <= ${MAX_SET_SIZE}
    ON CONFLICT (tenant_id, rule, member_key) DO NOTHING
    RETURNING id, member_key),
  members AS (
    INSERT INTO duplicate_set_member (set_id, registrant_id, tenant_id)
    SELECT s.id, m.id::uuid, ${tenantId}::uuid
      FROM sets s CROSS JOIN LATERAL unnest(string_to_array(s.member_key, ',')) AS m(id)
    RETURNING 1)
  SELECT (SELECT count(*) FROM sets)::int AS found,
         (SELECT count(*) FROM found WHERE cardinality(ids) > ${MAX_SET_SIZE})::int AS "tooLarge"`;
}

/**
 * SAME_IDENTIFIER, SAME_PHONE, SAME_FINANCIAL_ADDRESS: every group of two or more
 * registrants of the same kind sharing the key becomes one set with score 1.
 */
export function exactRuleSql(
  tenantId: string,
  jobId: string | null,
  rule: Exclude<DedupRuleKind, "SIMILAR_NAME_BIRTH_DATE">,
): Prisma.Sql {
  return insertSets(
    tenantId,
    jobId,
    rule,
    Prisma.sql`
    SELECT array_agg(DISTINCT g.id ORDER BY g.id) AS ids, 1.0::double precision AS score
      FROM (${EXACT_KEYS[rule]}) g
     GROUP BY g.k, g.kind
    HAVING count(DISTINCT g.id) > 1`,
  );
}

/** A range of birth dates (YYYY-MM-DD, inclusive; null = open) of the first registrant of a pair. */
export interface BirthDateRange {
  from: string | null;
  to: string | null;
}

export interface NameRuleOptions {
  /** Smallest trigram similarity of the two names (0–1). */
  threshold: number;
  /** Largest difference of the birth dates in days (0: same day). */
  days: number;
}

/**
 * SIMILAR_NAME_BIRTH_DATE for the registrants `a` born in `range`: pairs (a, b) with
 * a.id < b.id, the same kind, birth dates at most `days` apart (blocking on birth
 * date: both sides are read through the (tenant_id, birth_date) index, limited to the
 * range ± days, and hash-joined on kind and birth date) and
 * similarity(a.name, b.name) ≥ threshold. Each pair is one set scored by the
 * similarity; pairs are not joined into larger sets (no transitive closure).
 */
export function nameRuleSql(
  tenantId: string,
  jobId: string | null,
  range: BirthDateRange,
  { threshold, days }: NameRuleOptions,
): Prisma.Sql {
  const inRange = (col: Prisma.Sql, pad: number) =>
    Prisma.join(
      [
        Prisma.sql`${col} IS NOT NULL`,
        ...(range.from ? [Prisma.sql`${col} >= ${range.from}::date - ${pad}::int`] : []),
        ...(range.to ? [Prisma.sql`${col} <= ${range.to}::date + ${pad}::int`] : []),
      ],
      " AND ",
    );
  // A band join (b.birth_date BETWEEN a.birth_date - d AND a.birth_date + d) leaves the planner
  // only the kind to hash on: hundreds of millions of comparisons per chunk. One equality per
  // day offset keeps it a hash join on (kind, birth date); each pair still appears once, at
  // the offset between its two birth dates.
  const offsets =
    days === 0 ? Prisma.empty : Prisma.sql`CROSS JOIN generate_series(${-days}::int, ${days}::int) AS o(d)`;
  const near =
    days === 0 ? Prisma.sql`b.birth_date = a.birth_date` : Prisma.sql`b.birth_date = a.birth_date + o.d`;
  return insertSets(
    tenantId,
    jobId,
    "SIMILAR_NAME_BIRTH_DATE",
    Prisma.sql`
    SELECT ARRAY[a.id, b.id] AS ids, similarity(a.name, b.name)::double precision AS score
      FROM registrant a ${offsets}
      JOIN registrant b ON b.tenant_id = a.tenant_id AND b.kind = a.kind AND b.id > a.id AND ${near}
     WHERE ${inRange(Prisma.sql`a.birth_date`, 0)} AND a.status = 'ACTIVE' AND a.merged_into_id IS NULL
       AND ${inRange(Prisma.sql`b.birth_date`, days)} AND b.status = 'ACTIVE' AND b.merged_into_id IS NULL
       AND similarity(a.name, b.name) >= ${threshold}::double precision`,
  );
}

/** Runs one rule statement in the caller's transaction. */
export async function runRuleSql(t: Tx, sql: Prisma.Sql): Promise<RuleOutcome> {
  const [row] = await t.$queryRaw<RuleOutcome[]>(sql);
  return row ?? { found: 0, tooLarge: 0 };
}

/**
 * Cuts the candidates of the name rule into birth-date ranges of about `rowsPerChunk`
 * registrants each, from the counts per birth date now. The first and last ranges
 * are open, so registrants added later with earlier or later birth dates are still covered.
 */
export async function birthDateChunks(t: Tx, rowsPerChunk: number): Promise<BirthDateRange[]> {
  const days = await t.$queryRaw<{ d: string; n: number }[]>`
    SELECT to_char(r.birth_date, 'YYYY-MM-DD') AS d, count(*)::int AS n
      FROM registrant r
     WHERE ${CANDIDATE} AND r.birth_date IS NOT NULL
     GROUP BY r.birth_date ORDER BY r.birth_date`;
  const chunks: BirthDateRange[] = [];
  let from: string | null = null;
  let rows = 0;
  for (const [i, day] of days.entries()) {
    rows += day.n;
    const next = days[i + 1];
    if (rows >= rowsPerChunk && next) {
      chunks.push({ from, to: day.d });
      from = next.d;
      rows = 0;
    }
  }
  chunks.push({ from, to: null });
  return chunks;
}
