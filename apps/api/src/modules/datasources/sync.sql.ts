// Set-based SQL of a data source sync. A page of remote records goes to
// PostgreSQL as one JSON parameter (jsonb_to_recordset) per statement: the
// cache upsert that marks NEW/CHANGED/UNCHANGED, the registrant upsert
// (matched on external_id, as the registry import does), the identifiers, and
// the cache → registrant links. Nothing is looped over per record in SQL.
import type { Tx } from "@pbms/db";
import type { MappedRecord } from "./mapping.ts";

export interface PageRecord {
  raw: Record<string, unknown>;
  mapped: MappedRecord & { recordId: string };
}

export interface PageCounts {
  /** Persons created / changed in the registry. */
  created: number;
  updated: number;
  /** Records not mapped: groups, or persons without a given or family name. */
  notMapped: number;
  identifiersAdded: number;
  /** Identifiers whose type and value belong to another registrant here. */
  identifierConflicts: number;
}

interface CacheRow {
  external_id: string;
  status: "NEW" | "CHANGED" | "UNCHANGED" | "REMOVED";
  registrant_id: string | null;
}

/** Caches a page of records and maps the new and changed ones (and any not yet mapped) to registrants. */
export async function writePage(
  t: Tx,
  ids: { tenantId: string; dataSourceId: string; jobId: string; prefix: string },
  page: PageRecord[],
): Promise<PageCounts> {
  const counts: PageCounts = {
    created: 0,
    updated: 0,
    notMapped: 0,
    identifiersAdded: 0,
    identifierConflicts: 0,
  };
  if (!page.length) return counts;
  // 1. The cache. A record already seen by this job (a retried job re-reading a
  //    page) keeps the status it got then unless it changed again.
  const cached = await t.$queryRawUnsafe<CacheRow[]>(
    `WITH page AS (
       SELECT p.record_id, p.raw, encode(sha256(convert_to(p.raw::text, 'UTF8')), 'hex') AS hash
         FROM jsonb_to_recordset($1::jsonb) AS p(record_id text, raw jsonb))
     INSERT INTO data_source_record AS r
            (id, tenant_id, data_source_id, external_id, raw, hash, status, fetched_at, seen_job_id, created_at, updated_at)
     SELECT gen_random_uuid(), $2::uuid, $3::uuid, page.record_id, page.raw, page.hash, 'NEW', now(), $4::uuid, now(), now()
       FROM page
     ON CONFLICT (tenant_id, data_source_id, external_id) DO UPDATE
        SET status = (CASE
              WHEN r.seen_job_id = excluded.seen_job_id THEN CASE WHEN r.hash = excluded.hash THEN r.status::text ELSE 'CHANGED' END
              WHEN r.hash <> excluded.hash OR r.status = 'REMOVED' THEN 'CHANGED'
              ELSE 'UNCHANGED' END)::"DataSourceRecordStatus",
            previous_raw = CASE WHEN r.hash <> excluded.hash THEN r.raw ELSE r.previous_raw END,
            previous_hash = CASE WHEN r.hash <> excluded.hash THEN r.hash ELSE r.previous_hash END,
            raw = excluded.raw, hash = excluded.hash, fetched_at = excluded.fetched_at,
            seen_job_id = excluded.seen_job_id, updated_at = now()
     RETURNING r.external_id, r.status::text AS status, r.registrant_id::text AS registrant_id`,
    JSON.stringify(page.map((p) => ({ record_id: p.mapped.recordId, raw: p.raw }))),
    ids.tenantId,
    ids.dataSourceId,
    ids.jobId,
  );
  const byId = new Map(page.map((p) => [p.mapped.recordId, p.mapped]));
  const toMap: (MappedRecord & { recordId: string })[] = [];
  for (const row of cached) {
    const m = byId.get(row.external_id);
    if (!m) continue;
    if (!m.person || (!m.givenName && !m.familyName)) {
      counts.notMapped++;
      continue;
    }
    if (row.status === "NEW" || row.status === "CHANGED" || row.registrant_id === null) toMap.push(m);
  }
  if (!toMap.length) return counts;

  // 2. Registrants: created, or changed where the remote values differ; a value
  //    the remote record lacks keeps what the registrant has.
  const keep = (c: string) => `coalesce(excluded.${c}, g.${c})`;
  const fields = ["given_name", "family_name", "additional_name", "birth_date", "sex"];
  const merged = `concat_ws(' ', ${keep("given_name")}, ${keep("additional_name")}, ${keep("family_name")})`;
  const upserted = await t.$queryRawUnsafe<{ inserted: boolean }[]>(
    `INSERT INTO registrant AS g (id, tenant_id, kind, external_id, name, given_name, family_name, additional_name, birth_date, sex)
     SELECT gen_random_uuid(), $1::uuid, 'INDIVIDUAL', $2 || p.record_id,
            concat_ws(' ', p.given_name, p.additional_name, p.family_name),
            p.given_name, p.family_name, p.additional_name, p.birth_date::date, p.sex::"Sex"
       FROM jsonb_to_recordset($3::jsonb)
            AS p(record_id text, given_name text, family_name text, additional_name text, birth_date text, sex text)
     ON CONFLICT (tenant_id, external_id) DO UPDATE
        SET name = ${merged}, ${fields.map((c) => `${c} = ${keep(c)}`).join(", ")},
            version = g.version + 1, updated_at = now()
      WHERE g.kind = 'INDIVIDUAL'
        AND (g.name, ${fields.map((c) => `g.${c}`).join(", ")})
            IS DISTINCT FROM (${merged}, ${fields.map(keep).join(", ")})
     RETURNING (xmax = 0) AS inserted`,
    ids.tenantId,
    ids.prefix,
    JSON.stringify(
      toMap.map((m) => ({
        record_id: m.recordId,
        given_name: m.givenName,
        family_name: m.familyName,
        additional_name: m.additionalName,
        birth_date: m.birthDate,
        sex: m.sex,
      })),
    ),
  );
  counts.created = upserted.filter((r) => r.inserted).length;
  counts.updated = upserted.length - counts.created;

  // 3. Identifiers: added when new; one that belongs to another registrant is left out and counted.
  const identifiers = toMap.flatMap((m) =>
    m.identifiers.map((i) => ({ record_id: m.recordId, id_type_id: i.idTypeId, value: i.value })),
  );
  if (identifiers.length) {
    const [added] = await t.$queryRawUnsafe<{ added: number; conflicts: number }[]>(
      `WITH ids AS (
         SELECT i.record_id, i.id_type_id, i.value
           FROM jsonb_to_recordset($3::jsonb) AS i(record_id text, id_type_id uuid, value text)),
       ins AS (
         INSERT INTO registrant_identifier (id, tenant_id, registrant_id, id_type_id, value)
         SELECT gen_random_uuid(), $1::uuid, g.id, ids.id_type_id, ids.value
           FROM ids JOIN registrant g ON g.external_id = $2 || ids.record_id AND g.kind = 'INDIVIDUAL'
         ON CONFLICT (tenant_id, id_type_id, value) DO NOTHING
         RETURNING 1)
       SELECT (SELECT count(*) FROM ins)::int AS added,
              (SELECT count(*) FROM ids
                 JOIN registrant g ON g.external_id = $2 || ids.record_id
                 JOIN registrant_identifier x ON x.id_type_id = ids.id_type_id AND x.value = ids.value
                WHERE x.registrant_id <> g.id)::int AS conflicts`,
      ids.tenantId,
      ids.prefix,
      JSON.stringify(identifiers),
    );
    counts.identifiersAdded = added?.added ?? 0;
    counts.identifierConflicts = added?.conflicts ?? 0;
  }

  // 4. Links from the cache to the registrants.
  await t.$executeRawUnsafe(
    `UPDATE data_source_record r SET registrant_id = g.id, updated_at = now()
       FROM registrant g
      WHERE r.data_source_id = $1::uuid
        AND r.external_id IN (SELECT jsonb_array_elements_text($3::jsonb))
        AND g.external_id = $2 || r.external_id AND g.kind = 'INDIVIDUAL'
        AND r.registrant_id IS DISTINCT FROM g.id`,
    ids.dataSourceId,
    ids.prefix,
    JSON.stringify(toMap.map((m) => m.recordId)),
  );
  return counts;
}

/** Marks REMOVED the cached records this job did not see; returns how many became REMOVED now. */
export function markRemoved(t: Tx, dataSourceId: string, jobId: string): Promise<number> {
  return t.$executeRawUnsafe(
    `UPDATE data_source_record SET status = 'REMOVED', updated_at = now()
      WHERE data_source_id = $1::uuid AND seen_job_id <> $2::uuid AND status <> 'REMOVED'`,
    dataSourceId,
    jobId,
  );
}

/** How many records this job saw per status. */
export async function statusCounts(
  t: Tx,
  dataSourceId: string,
  jobId: string,
): Promise<Record<"NEW" | "CHANGED" | "UNCHANGED", number>> {
  const rows = await t.$queryRawUnsafe<{ status: string; n: number }[]>(
    `SELECT status::text AS status, count(*)::int AS n FROM data_source_record
      WHERE data_source_id = $1::uuid AND seen_job_id = $2::uuid GROUP BY status`,
    dataSourceId,
    jobId,
  );
  const out = { NEW: 0, CHANGED: 0, UNCHANGED: 0 };
  for (const r of rows) if (r.status in out) out[r.status as keyof typeof out] = r.n;
  return out;
}
