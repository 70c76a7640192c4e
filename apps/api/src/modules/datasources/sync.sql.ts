// Set-based SQL of a data source sync. A page of remote records goes to
// PostgreSQL as one JSON parameter (jsonb_to_recordset) per statement: the
// cache upsert that marks NEW/CHANGED/UNCHANGED, the registrants of records not
// linked yet (created, or found on external_id as the registry import does),
// the cache → registrant links, the update of the linked registrants, and the
// identifiers. A linked record updates the registrant it is linked to or, when
// that one was merged, the registrant it was merged into. Nothing is looped over
// per record in SQL.
import type { Tx } from "@pbms/db";
import { AUDIT_INSERT, changedKeysSql } from "../audit/audit.sql.ts";
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

/** Merges of merges followed at most (a chain is never longer in practice). */
const MAX_MERGE_CHAIN = 20;

/**
 * CTEs `chain` and `target(record_id, id)`: the registrant each record of the CTE `from` (with a
 * `record_id` column) updates: the one its cache row ($1 is the data source) is linked to or,
 * when that one was merged, the registrant it was merged into, following merges of merges.
 * Records without a link have no target.
 */
const TARGET = (from: string) => `
  chain AS (
    SELECT f.record_id, g.id, g.merged_into_id, 1 AS depth
      FROM (SELECT DISTINCT record_id FROM ${from}) f
      JOIN data_source_record r ON r.data_source_id = $1::uuid AND r.external_id = f.record_id
      JOIN registrant g ON g.id = r.registrant_id
    UNION ALL
    SELECT c.record_id, g.id, g.merged_into_id, c.depth + 1
      FROM chain c JOIN registrant g ON g.id = c.merged_into_id
     WHERE c.depth < ${MAX_MERGE_CHAIN}),
  target AS (SELECT record_id, id FROM chain WHERE merged_into_id IS NULL)`;

interface CacheRow {
  external_id: string;
  status: "NEW" | "CHANGED" | "UNCHANGED" | "REMOVED";
  registrant_id: string | null;
}

/** Caches a page of records and maps the new and changed ones (and any not yet mapped) to registrants. */
export async function writePage(
  t: Tx,
  ids: {
    tenantId: string;
    dataSourceId: string;
    jobId: string;
    prefix: string;
    /** Who runs the sync: each registrant created or changed gets an audit event in their name. */
    actor: { id: string; name: string; requestId: string | null };
  },
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

  const recordIds = JSON.stringify(toMap.map((m) => m.recordId));
  const persons = JSON.stringify(
    toMap.map((m) => ({
      record_id: m.recordId,
      given_name: m.givenName,
      family_name: m.familyName,
      additional_name: m.additionalName,
      birth_date: m.birthDate,
      sex: m.sex,
    })),
  );

  // Audit events name the actor, and the source, job and record (`after.sync`). In each
  // statement $1 is the data source, $2 the department, and the actor's parameters follow
  // the statement's own from `$n`: actor id, name, request id, job id.
  const actor = [ids.actor.id, ids.actor.name, ids.actor.requestId, ids.jobId];
  const audit = (n: number) => ({
    by: `$2::uuid, $${n}::text, $${n + 1}::text`,
    request: `$${n + 2}::text`,
    sync: (recordId: string) =>
      `jsonb_build_object('sync', jsonb_build_object('dataSourceId', ($1::uuid)::text, 'jobId', $${n + 3}::text, 'recordId', ${recordId}))`,
  });

  // 2. Registrants of records not linked yet: created unless one has the external id already.
  counts.created = await t.$executeRawUnsafe(
    `WITH created AS (
       INSERT INTO registrant (id, tenant_id, kind, external_id, name, given_name, family_name, additional_name, birth_date, sex)
       SELECT gen_random_uuid(), $2::uuid, 'INDIVIDUAL', $3 || p.record_id,
              concat_ws(' ', p.given_name, p.additional_name, p.family_name),
              p.given_name, p.family_name, p.additional_name, p.birth_date::date, p.sex::"Sex"
         FROM jsonb_to_recordset($4::jsonb)
              AS p(record_id text, given_name text, family_name text, additional_name text, birth_date text, sex text)
         JOIN data_source_record r ON r.data_source_id = $1::uuid AND r.external_id = p.record_id
        WHERE r.registrant_id IS NULL
       ON CONFLICT (tenant_id, external_id) DO NOTHING
       RETURNING id, external_id)
     ${AUDIT_INSERT}
     SELECT gen_random_uuid(), ${audit(5).by}, 'registrant.created', 'Registrant', c.id::text, NULL,
            ${audit(5).sync("substr(c.external_id, length($3) + 1)")}, ${audit(5).request}
       FROM created c`,
    ids.dataSourceId,
    ids.tenantId,
    ids.prefix,
    persons,
    ...actor,
  );

  // 3. Links from the cache to the registrants, for records not linked yet. A link, once set,
  //    is only changed by a merge (which moves it to the survivor) and its revert.
  await t.$executeRawUnsafe(
    `UPDATE data_source_record r SET registrant_id = g.id, updated_at = now()
       FROM registrant g
      WHERE r.data_source_id = $1::uuid
        AND r.external_id IN (SELECT jsonb_array_elements_text($3::jsonb))
        AND r.registrant_id IS NULL
        AND g.external_id = $2 || r.external_id AND g.kind = 'INDIVIDUAL'`,
    ids.dataSourceId,
    ids.prefix,
    recordIds,
  );

  // 4. The linked registrants, changed where the remote values differ; a value the remote
  //    record lacks keeps what the registrant has. (Registrants created in step 2 already
  //    hold the remote values and are not changed again.)
  const keep = (c: string) => `coalesce(p.${c}, g.${c})`;
  const fields = ["given_name", "family_name", "additional_name", "birth_date", "sex"];
  const merged = `concat_ws(' ', ${keep("given_name")}, ${keep("additional_name")}, ${keep("family_name")})`;
  const snapshot = `jsonb_build_object('name', g.name, 'givenName', g.given_name, 'familyName', g.family_name,
                      'additionalName', g.additional_name, 'birthDate', g.birth_date, 'sex', g.sex)`;
  // One statement: the registrants that differ (their values before), their
  // update (the values after), and an audit event each with what changed.
  counts.updated = await t.$executeRawUnsafe(
    `WITH RECURSIVE page AS (
       SELECT x.record_id, x.given_name, x.family_name, x.additional_name, x.birth_date::date AS birth_date,
              x.sex::"Sex" AS sex
         FROM jsonb_to_recordset($3::jsonb)
              AS x(record_id text, given_name text, family_name text, additional_name text, birth_date text, sex text)),
     ${TARGET("page")},
     changed AS (
       SELECT DISTINCT ON (g.id) g.id, p.record_id, ${snapshot} AS b
         FROM registrant g JOIN target ON g.id = target.id JOIN page p USING (record_id)
        WHERE g.kind = 'INDIVIDUAL'
          AND (g.name, ${fields.map((c) => `g.${c}`).join(", ")})
              IS DISTINCT FROM (${merged}, ${fields.map(keep).join(", ")})),
     updated AS (
       UPDATE registrant g
          SET name = ${merged}, ${fields.map((c) => `${c} = ${keep(c)}`).join(", ")},
              version = g.version + 1, updated_at = now()
         FROM changed c JOIN page p USING (record_id)
        WHERE g.id = c.id
        RETURNING g.id, ${snapshot} AS a)
     ${AUDIT_INSERT}
     SELECT gen_random_uuid(), ${audit(4).by}, 'registrant.updated', 'Registrant', d.id::text,
            ${changedKeysSql("d.b", "d.a", "before")}, ${changedKeysSql("d.b", "d.a", "after")} || ${audit(4).sync("d.record_id")},
            ${audit(4).request}
       FROM (SELECT c.id, c.record_id, c.b, u.a FROM changed c JOIN updated u USING (id)) d`,
    ids.dataSourceId,
    ids.tenantId,
    persons,
    ...actor,
  );

  // 5. Identifiers of the linked registrants: added when new; one that belongs to another
  //    registrant is left out and counted.
  const identifiers = toMap.flatMap((m) =>
    m.identifiers.map((i) => ({ record_id: m.recordId, id_type_id: i.idTypeId, value: i.value })),
  );
  if (identifiers.length) {
    const [added] = await t.$queryRawUnsafe<{ added: number; conflicts: number }[]>(
      `WITH RECURSIVE ids AS (
         SELECT i.record_id, i.id_type_id, i.value
           FROM jsonb_to_recordset($3::jsonb) AS i(record_id text, id_type_id uuid, value text)),
       ${TARGET("ids")},
       ins AS (
         INSERT INTO registrant_identifier (id, tenant_id, registrant_id, id_type_id, value)
         SELECT gen_random_uuid(), $2::uuid, target.id, ids.id_type_id, ids.value
           FROM ids JOIN target USING (record_id)
         ON CONFLICT (tenant_id, id_type_id, value) DO NOTHING
         RETURNING registrant_id, id_type_id, value),
       audited AS (
         ${AUDIT_INSERT}
         SELECT gen_random_uuid(), ${audit(4).by}, 'registrant.updated', 'Registrant', ins.registrant_id::text, NULL,
                jsonb_build_object('identifierAdded', jsonb_build_object('idTypeId', ins.id_type_id, 'value', ins.value))
                  || ${audit(4).sync("NULL::text")}, ${audit(4).request}
           FROM ins)
       SELECT (SELECT count(*) FROM ins)::int AS added,
              (SELECT count(*) FROM ids
                 JOIN target USING (record_id)
                 JOIN registrant_identifier x ON x.id_type_id = ids.id_type_id AND x.value = ids.value
                WHERE x.registrant_id <> target.id)::int AS conflicts`,
      ids.dataSourceId,
      ids.tenantId,
      JSON.stringify(identifiers),
      ...actor,
    );
    counts.identifiersAdded = added?.added ?? 0;
    counts.identifierConflicts = added?.conflicts ?? 0;
  }
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
