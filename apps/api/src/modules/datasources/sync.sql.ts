// Set-based SQL of a data source sync. A page of remote records goes to
// PostgreSQL as one JSON parameter (jsonb_to_recordset) per statement: the
// cache upsert that marks NEW/CHANGED/UNCHANGED, the registrants of records not
// linked yet (created, or found on external_id as the registry import does),
// the cache → registrant links, the update of the linked registrants, and the
// identifiers. A linked record updates the registrant it is linked to or, when
// that one was merged, the registrant it was merged into. Persons become
// INDIVIDUAL registrants and groups GROUP registrants; the memberships a group
// record lists are written after the last page (writeMemberships), when every
// member's record has been pulled. Nothing is looped over per record in SQL.
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
  /** Groups (households) created / changed in the registry. */
  groupsCreated: number;
  groupsUpdated: number;
  /** Records not mapped: persons without a given or family name. */
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
/** Who runs a sync: each registrant it creates or changes gets an audit event in their name. */
interface SyncActor {
  jobId: string;
  actor: { id: string; name: string; requestId: string | null };
}

/** The parameters `auditSql` refers to, in its order: actor id, name, request id, job id. */
const auditParams = (ids: SyncActor) => [ids.actor.id, ids.actor.name, ids.actor.requestId, ids.jobId];

/**
 * SQL pieces of the audit events a sync statement writes: they name the actor, and the
 * source, job and record (`after.sync`). $1 is the data source, $2 the department, and
 * `auditParams` follow the statement's own parameters from `$n`.
 */
const auditSql = (n: number) => ({
  by: `$2::uuid, $${n}::text, $${n + 1}::text`,
  request: `$${n + 2}::text`,
  sync: (recordId: string) =>
    `jsonb_build_object('sync', jsonb_build_object('dataSourceId', ($1::uuid)::text, 'jobId', $${n + 3}::text, 'recordId', ${recordId}))`,
});

export async function writePage(
  t: Tx,
  ids: SyncActor & { tenantId: string; dataSourceId: string; prefix: string },
  page: PageRecord[],
): Promise<PageCounts> {
  const counts: PageCounts = {
    created: 0,
    updated: 0,
    groupsCreated: 0,
    groupsUpdated: 0,
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
    if (m.person && !m.givenName && !m.familyName) {
      counts.notMapped++;
      continue;
    }
    if (row.status === "NEW" || row.status === "CHANGED" || row.registrant_id === null) toMap.push(m);
  }
  if (!toMap.length) return counts;

  const persons = JSON.stringify(
    toMap.map((m) => ({
      record_id: m.recordId,
      kind: m.person ? "INDIVIDUAL" : "GROUP",
      name: m.person ? null : (m.name ?? m.recordId),
      given_name: m.givenName,
      family_name: m.familyName,
      additional_name: m.additionalName,
      birth_date: m.birthDate,
      sex: m.sex,
    })),
  );

  const actor = auditParams(ids);

  // 2. Registrants of records not linked yet: created unless one has the external id already.
  const [created] = await t.$queryRawUnsafe<{ persons: number; groups: number }[]>(
    `WITH created AS (
       INSERT INTO registrant (id, tenant_id, kind, external_id, name, given_name, family_name, additional_name, birth_date, sex)
       SELECT gen_random_uuid(), $2::uuid, p.kind::"RegistrantKind", $3 || p.record_id,
              CASE WHEN p.kind = 'GROUP' THEN p.name ELSE concat_ws(' ', p.given_name, p.additional_name, p.family_name) END,
              p.given_name, p.family_name, p.additional_name, p.birth_date::date, p.sex::"Sex"
         FROM jsonb_to_recordset($4::jsonb)
              AS p(record_id text, kind text, name text, given_name text, family_name text, additional_name text,
                   birth_date text, sex text)
         JOIN data_source_record r ON r.data_source_id = $1::uuid AND r.external_id = p.record_id
        WHERE r.registrant_id IS NULL
       ON CONFLICT (tenant_id, external_id) DO NOTHING
       RETURNING id, external_id, kind),
     audited AS (
       ${AUDIT_INSERT}
       SELECT gen_random_uuid(), ${auditSql(5).by}, 'registrant.created', 'Registrant', c.id::text, NULL,
              ${auditSql(5).sync("substr(c.external_id, length($3) + 1)")}, ${auditSql(5).request}
         FROM created c)
     SELECT (count(*) FILTER (WHERE kind = 'INDIVIDUAL'))::int AS persons,
            (count(*) FILTER (WHERE kind = 'GROUP'))::int AS groups
       FROM created`,
    ids.dataSourceId,
    ids.tenantId,
    ids.prefix,
    persons,
    ...actor,
  );
  counts.created = created?.persons ?? 0;
  counts.groupsCreated = created?.groups ?? 0;

  // 3. Links from the cache to the registrants, for records not linked yet. A link, once set,
  //    is only changed by a merge (which moves it to the survivor) and its revert.
  await t.$executeRawUnsafe(
    `UPDATE data_source_record r SET registrant_id = g.id, updated_at = now()
        FROM jsonb_to_recordset($3::jsonb) AS p(record_id text, kind text), registrant g
      WHERE r.data_source_id = $1::uuid
        AND r.external_id = p.record_id
        AND r.registrant_id IS NULL
        AND g.external_id = $2 || r.external_id AND g.kind = p.kind::"RegistrantKind"`,
    ids.dataSourceId,
    ids.prefix,
    persons,
  );

  // 4. The linked registrants, changed where the remote values differ; a value the remote
  //    record lacks keeps what the registrant has; a group's name is its own, a person's is
  //    built from the names. (Registrants created in step 2 already hold the remote values
  //    and are not changed again.)
  const keep = (c: string) => `coalesce(p.${c}, g.${c})`;
  const fields = ["given_name", "family_name", "additional_name", "birth_date", "sex"];
  const merged = `CASE WHEN g.kind = 'GROUP' THEN ${keep("name")}
    ELSE concat_ws(' ', ${keep("given_name")}, ${keep("additional_name")}, ${keep("family_name")}) END`;
  const snapshot = `jsonb_build_object('name', g.name, 'givenName', g.given_name, 'familyName', g.family_name,
                      'additionalName', g.additional_name, 'birthDate', g.birth_date, 'sex', g.sex)`;
  // One statement: the registrants that differ (their values before), their
  // update (the values after), and an audit event each with what changed.
  const [updated] = await t.$queryRawUnsafe<{ persons: number; groups: number }[]>(
    `WITH RECURSIVE page AS (
       SELECT x.record_id, x.kind::"RegistrantKind" AS kind, x.name, x.given_name, x.family_name, x.additional_name,
              x.birth_date::date AS birth_date, x.sex::"Sex" AS sex
         FROM jsonb_to_recordset($3::jsonb)
              AS x(record_id text, kind text, name text, given_name text, family_name text, additional_name text,
                   birth_date text, sex text)),
     ${TARGET("page")},
     changed AS (
       SELECT DISTINCT ON (g.id) g.id, p.record_id, ${snapshot} AS b
         FROM registrant g JOIN target ON g.id = target.id JOIN page p USING (record_id)
        WHERE g.kind = p.kind
          AND (g.name, ${fields.map((c) => `g.${c}`).join(", ")})
              IS DISTINCT FROM (${merged}, ${fields.map(keep).join(", ")})),
     updated AS (
       UPDATE registrant g
          SET name = ${merged}, ${fields.map((c) => `${c} = ${keep(c)}`).join(", ")},
              version = g.version + 1, updated_at = now()
         FROM changed c JOIN page p USING (record_id)
        WHERE g.id = c.id
        RETURNING g.id, g.kind, ${snapshot} AS a),
     audited AS (
       ${AUDIT_INSERT}
       SELECT gen_random_uuid(), ${auditSql(4).by}, 'registrant.updated', 'Registrant', d.id::text,
              ${changedKeysSql("d.b", "d.a", "before")}, ${changedKeysSql("d.b", "d.a", "after")} || ${auditSql(4).sync("d.record_id")},
              ${auditSql(4).request}
         FROM (SELECT c.id, c.record_id, c.b, u.a FROM changed c JOIN updated u USING (id)) d)
     SELECT (count(*) FILTER (WHERE kind = 'INDIVIDUAL'))::int AS persons,
            (count(*) FILTER (WHERE kind = 'GROUP'))::int AS groups
       FROM updated`,
    ids.dataSourceId,
    ids.tenantId,
    persons,
    ...actor,
  );
  counts.updated = updated?.persons ?? 0;
  counts.groupsUpdated = updated?.groups ?? 0;

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
         SELECT gen_random_uuid(), ${auditSql(4).by}, 'registrant.updated', 'Registrant', ins.registrant_id::text, NULL,
                jsonb_build_object('identifierAdded', jsonb_build_object('idTypeId', ins.id_type_id, 'value', ins.value))
                  || ${auditSql(4).sync("NULL::text")}, ${auditSql(4).request}
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

/** The group records whose members a chunk states, read from the cache after the last page. */
export interface GroupMembers {
  groupRecordId: string;
  members: { recordId: string; kind: string }[];
}

export interface MembershipCounts {
  /** Memberships added / ended (the end date set, the row kept as history). */
  added: number;
  ended: number;
  /** Left out: the group already has a current member of a kind held once per group (HEAD). */
  skipped: number;
  /** Members listed whose record this source has not mapped to a person (not pulled, or no name). */
  unresolved: number;
}

/** Group records read from the cache per transaction after the last page. */
export const MEMBERSHIP_CHUNK = 500;

/** The cached group records (by `@type`, as mapRecord decides) this job saw, after `after`. */
export function groupRecords(
  t: Tx,
  dataSourceId: string,
  jobId: string,
  after: string,
  limit = MEMBERSHIP_CHUNK,
): Promise<{ external_id: string; raw: Record<string, unknown> }[]> {
  return t.$queryRawUnsafe(
    `SELECT external_id, raw FROM data_source_record
      WHERE data_source_id = $1::uuid AND seen_job_id = $2::uuid AND external_id > $3
        AND raw ->> '@type' ~* '(^|[:/#])(group|household)$'
      ORDER BY external_id LIMIT $4`,
    dataSourceId,
    jobId,
    after,
    limit,
  );
}

/**
 * Makes the current memberships of the groups mapped from `groups` what their records list,
 * for members mapped from this source: a current membership of such a member that the record
 * no longer lists (or lists with another kind) is ended today, and a listed member who is not
 * a current member with that kind is added from today. Members added locally (not mapped from
 * this source) are left alone. A kind held once per group (HEAD) that the group already has is
 * not added again: the membership is skipped and counted. Two statements, each auditing
 * `registrant.updated` (`membershipEnded` / `membershipAdded`) on the individual.
 */
export async function writeMemberships(
  t: Tx,
  ids: SyncActor & { tenantId: string; dataSourceId: string },
  groups: GroupMembers[],
): Promise<MembershipCounts> {
  const counts: MembershipCounts = { added: 0, ended: 0, skipped: 0, unresolved: 0 };
  if (!groups.length) return counts;
  const groupIds = JSON.stringify(groups.map((g) => ({ record_id: g.groupRecordId })));
  const links = JSON.stringify(
    groups.flatMap((g) =>
      g.members.map((m, ord) => ({
        group_record_id: g.groupRecordId,
        record_id: m.recordId,
        kind: m.kind,
        ord,
      })),
    ),
  );
  const { by, sync, request } = auditSql(5);
  // $3 the groups, $4 the listed members; both resolved to registrants through TARGET.
  const resolved = `
    refs AS (
      SELECT record_id FROM jsonb_to_recordset($3::jsonb) AS g(record_id text)
      UNION SELECT record_id FROM jsonb_to_recordset($4::jsonb) AS l(record_id text)),
    ${TARGET("refs")},
    grp AS (
      SELECT DISTINCT tg.id
        FROM jsonb_to_recordset($3::jsonb) AS x(record_id text)
        JOIN target tg USING (record_id) JOIN registrant g ON g.id = tg.id AND g.kind = 'GROUP'),
    listed AS (
      SELECT l.*, tg.id AS group_id, ti.id AS individual_id
        FROM jsonb_to_recordset($4::jsonb) AS l(group_record_id text, record_id text, kind text, ord int)
        LEFT JOIN target tg ON tg.record_id = l.group_record_id
        LEFT JOIN registrant g ON g.id = tg.id AND g.kind = 'GROUP'
        LEFT JOIN target ti ON ti.record_id = l.record_id
        LEFT JOIN registrant i ON i.id = ti.id AND i.kind = 'INDIVIDUAL'
       WHERE g.id IS NOT NULL AND (i.id IS NOT NULL OR ti.id IS NULL)),
    wanted AS (
      SELECT DISTINCT ON (l.group_id, l.individual_id) l.group_id, l.individual_id, l.record_id, l.ord,
             coalesce(k.id, o.id) AS kind_id, coalesce(k.unique_per_group, o.unique_per_group) AS once
        FROM listed l
        LEFT JOIN membership_kind k ON k.tenant_id = $2::uuid AND k.code = l.kind
        LEFT JOIN membership_kind o ON o.tenant_id = $2::uuid AND o.code = 'OTHER'
       WHERE l.individual_id IS NOT NULL AND coalesce(k.id, o.id) IS NOT NULL
       ORDER BY l.group_id, l.individual_id, l.ord)`;

  const [ended] = await t.$queryRawUnsafe<{ ended: number; unresolved: number }[]>(
    `WITH RECURSIVE ${resolved},
     ended AS (
       UPDATE group_membership m SET end_date = greatest(current_date, m.start_date)
        WHERE m.end_date IS NULL AND m.group_id IN (SELECT id FROM grp)
          AND EXISTS (SELECT 1 FROM data_source_record r
                       WHERE r.data_source_id = $1::uuid AND r.registrant_id = m.individual_id)
          AND NOT EXISTS (SELECT 1 FROM wanted w
                           WHERE w.group_id = m.group_id AND w.individual_id = m.individual_id AND w.kind_id = m.kind_id)
        RETURNING m.individual_id, m.group_id, m.kind_id, m.end_date),
     audited AS (
       ${AUDIT_INSERT}
       SELECT gen_random_uuid(), ${by}, 'registrant.updated', 'Registrant', e.individual_id::text, NULL,
              jsonb_build_object('membershipEnded', jsonb_build_object('groupId', e.group_id, 'kindId', e.kind_id, 'endDate', e.end_date))
                || ${sync("NULL::text")}, ${request}
         FROM ended e)
     SELECT (SELECT count(*) FROM ended)::int AS ended,
            (SELECT count(*) FROM listed WHERE individual_id IS NULL)::int AS unresolved`,
    ids.dataSourceId,
    ids.tenantId,
    groupIds,
    links,
    ...auditParams(ids),
  );
  counts.ended = ended?.ended ?? 0;
  counts.unresolved = ended?.unresolved ?? 0;

  const [added] = await t.$queryRawUnsafe<{ added: number; skipped: number }[]>(
    `WITH RECURSIVE ${resolved},
     missing AS (
       SELECT w.*, row_number() OVER (PARTITION BY w.group_id, w.kind_id ORDER BY w.ord, w.individual_id) AS nth
         FROM wanted w
        WHERE NOT EXISTS (SELECT 1 FROM group_membership m
                           WHERE m.group_id = w.group_id AND m.individual_id = w.individual_id
                             AND m.kind_id = w.kind_id AND m.end_date IS NULL)),
     allowed AS (
       SELECT * FROM missing w
        WHERE NOT w.once
           OR (w.nth = 1 AND NOT EXISTS (SELECT 1 FROM group_membership m
                                          WHERE m.group_id = w.group_id AND m.kind_id = w.kind_id AND m.end_date IS NULL))),
     ins AS (
       INSERT INTO group_membership (id, tenant_id, group_id, individual_id, kind_id, start_date)
       SELECT gen_random_uuid(), $2::uuid, a.group_id, a.individual_id, a.kind_id, current_date FROM allowed a
       RETURNING individual_id, group_id, kind_id, start_date),
     audited AS (
       ${AUDIT_INSERT}
       SELECT gen_random_uuid(), ${by}, 'registrant.updated', 'Registrant', i.individual_id::text, NULL,
              jsonb_build_object('membershipAdded', jsonb_build_object('groupId', i.group_id, 'kindId', i.kind_id, 'startDate', i.start_date))
                || ${sync("a.record_id")}, ${request}
         FROM ins i JOIN allowed a USING (group_id, individual_id))
     SELECT (SELECT count(*) FROM ins)::int AS added,
            ((SELECT count(*) FROM missing) - (SELECT count(*) FROM allowed))::int AS skipped`,
    ids.dataSourceId,
    ids.tenantId,
    groupIds,
    links,
    ...auditParams(ids),
  );
  counts.added = added?.added ?? 0;
  counts.skipped = added?.skipped ?? 0;
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
