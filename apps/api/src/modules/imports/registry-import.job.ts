// REGISTRY_IMPORT: loads an uploaded CSV of groups or individuals. The file is
// streamed into PostgreSQL with COPY (never held in memory), checked there
// with set-based SQL, and the valid rows are merged in the same transaction
// (or none of them with allOrNothing). Re-importing a file changes nothing:
// rows are matched on external_id and only real differences are written.
import { parse } from "csv-parse/sync";
import pg from "pg";
import copyStreams from "pg-copy-streams";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { inTenant } from "@pbms/db";
import { AUDIT_INSERT, changedKeysSql } from "../audit/audit.sql.ts";
import { defineJob, JobFailure, Role } from "../jobs/job.registry.ts";
import {
  checks,
  FIELDS,
  orderedUuid,
  rowChecksSql,
  SESSION_OBJECTS,
  stagedSql,
  type AttributeDef,
  type IdTypeDef,
  type ImportEntity,
  type StagedField,
} from "./import.sql.ts";
import { openTabular } from "./xlsx.ts";

const paramsSchema = z
  .object({
    fileId: z.string().uuid(),
    entity: z.enum(["INDIVIDUAL", "GROUP", "MEMBERSHIP"]),
    /** file column → field (`external_id`, `attr.<code>`, `id.<ID_TYPE_CODE>`, …); unmapped columns named like a field map to it. */
    mapping: z.record(z.string(), z.string()).default({}),
    /** Merge nothing when any row is rejected. */
    allOrNothing: z.boolean().default(false),
  })
  .strict();

export type ImportParams = z.infer<typeof paramsSchema>;

/** Reads the header row (the first CSV record) without consuming the file. */
async function readHeader(stream: Readable): Promise<string[]> {
  let buffer = "";
  for await (const chunk of stream) {
    buffer += String(chunk);
    const end = buffer.indexOf("\n");
    if (end >= 0 || buffer.length > 64 * 1024) {
      stream.destroy();
      buffer = buffer.slice(0, end >= 0 ? end : undefined);
      break;
    }
  }
  const [header] = parse(buffer.replace(/^\uFEFF/, ""), { relax_column_count: true }) as string[][];
  if (!header?.length) throw new Error("The file has no header row");
  return header.map((h) => h.trim());
}

/** Maps header columns to fields: explicit mapping first, then same-named fields, attributes and identifier types. */
export function resolveColumns(
  header: string[],
  entity: ImportEntity,
  mapping: Record<string, string>,
  attributes: AttributeDef[],
  idTypes: IdTypeDef[],
): { fields: StagedField[]; ignored: string[]; problems: string[] } {
  const known = new Set<string>([
    ...FIELDS[entity],
    ...attributes.map((a) => `attr.${a.code}`),
    ...(entity === "INDIVIDUAL" ? idTypes.map((t) => `id.${t.code}`) : []),
  ]);
  const fields: StagedField[] = [];
  const ignored: string[] = [];
  const problems: string[] = [];
  header.forEach((source, i) => {
    const lower = source.toLowerCase();
    const target =
      mapping[source] ??
      (known.has(lower) ? lower : undefined) ??
      (attributes.some((a) => a.code === lower) ? `attr.${lower}` : undefined) ??
      (entity === "INDIVIDUAL"
        ? idTypes.find((t) => t.code.toLowerCase() === lower)?.code
        : undefined
      )?.replace(/^/, "id.");
    if (!target || target === "ignore") return ignored.push(source);
    if (!known.has(target)) return problems.push(`column ${source}: unknown field ${target}`);
    if (fields.some((f) => f.field === target))
      return problems.push(`column ${source}: ${target} is already given by another column`);
    fields.push({
      field: target,
      column: target.replace(/\./g, "__").toLowerCase(),
      source,
      index: i,
    } as StagedField & { index: number });
  });
  if (!fields.some((f) => f.field === "external_id"))
    problems.push("no column for external_id (map one, e.g. household_id → external_id)");
  return { fields, ignored, problems };
}

/** Registrants written by an import from which the registry's statistics are refreshed right after it. */
export const ANALYZE_AFTER_ROWS = 10_000;

defineJob("REGISTRY_IMPORT", {
  roles: [Role.Registrar],
  parseParams(params) {
    const parsed = paramsSchema.safeParse(params);
    if (!parsed.success) {
      throw new Error(
        parsed.error.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; "),
      );
    }
    return parsed.data;
  },
  async run({ job, db, storage, databaseUrl, progress, log, writeOutput }) {
    const params = paramsSchema.parse(job.params);
    const scope = { tenantId: job.tenantId, actorId: job.createdById, requestId: `job:${job.id}` };
    const registrants = params.entity !== "MEMBERSHIP";
    const { file, attributes, idTypes } = await inTenant(db, scope, async (t) => ({
      file: await t.storedFile.findUnique({ where: { id: params.fileId } }),
      attributes: registrants
        ? ((await t.attributeDefinition.findMany({
            where: { OR: [{ appliesTo: null }, { appliesTo: params.entity as "GROUP" | "INDIVIDUAL" }] },
          })) as unknown as AttributeDef[])
        : [],
      idTypes: registrants ? ((await t.idType.findMany()) as IdTypeDef[]) : [],
    }));
    if (!file) throw new JobFailure(`File ${params.fileId} not found in this department`);
    const header = await readHeader(openTabular(storage, file));
    const { fields, ignored, problems } = resolveColumns(
      header,
      params.entity,
      params.mapping,
      attributes,
      idTypes,
    );
    if (problems.length) throw new JobFailure(`The columns cannot be imported: ${problems.join("; ")}`);

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const timings: Record<string, number> = {};
    const startMs = Date.now();
    const statements: Record<string, number> = {};
    let mark = performance.now();
    const lap = (phase: string) => {
      const now = performance.now();
      timings[phase] = Math.round(now - mark) / 1000;
      mark = now;
    };
    try {
      await client.query("BEGIN");
      await client.query(
        "SELECT set_config('app.tenant_id', $1, true), set_config('app.actor_id', $2, true), set_config('app.request_id', $3, true)",
        [scope.tenantId, scope.actorId, scope.requestId],
      );
      // One registry import at a time per department: the checks and the merge
      // then see the registry as no other import changes it.
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended('pbms.registry-import:' || $1, 0))", [
        scope.tenantId,
      ]);
      await client.query(SESSION_OBJECTS);
      // Bulk inserts add to the GIN indexes' pending lists instead of updating
      // them row by row, and the hash joins over a million staged rows stay in memory.
      await client.query("SET LOCAL gin_pending_list_limit = '64MB'");
      await client.query("SET LOCAL work_mem = '256MB'");
      // Compiling the long conversion expressions costs more than it saves.
      await client.query("SET LOCAL jit = off");
      // Every file column lands as text; line 1 is the header.
      const raw = header.map((_, i) => `c${i}`);
      await client.query(
        `CREATE TEMP TABLE import_rows (line bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 2), ${raw.map((c) => `${c} text`).join(", ")}) ON COMMIT DROP`,
      );
      let lines = 0;
      let lastReport = Date.now();
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          for (const byte of chunk) if (byte === 10) lines++;
          if (Date.now() - lastReport > 1000) {
            lastReport = Date.now();
            progress(Math.max(0, lines - 1)).catch(() => undefined);
          }
          done(null, chunk);
        },
      });
      await pipeline(
        openTabular(storage, file),
        counter,
        client.query(
          copyStreams.from(`COPY import_rows (${raw.join(", ")}) FROM STDIN WITH (FORMAT csv, HEADER true)`),
        ),
      );
      const staged = fields as (StagedField & { index: number })[];
      await client.query(
        `CREATE TEMP TABLE staged ON COMMIT DROP AS ${stagedSql(params.entity, staged, attributes, idTypes, startMs)}`,
      );
      await client.query("ANALYZE staged");
      const total = Number((await client.query("SELECT count(*) AS n FROM staged")).rows[0].n);
      lap("load");
      await progress(0, total, { phase: "checking" });

      const allChecks = checks(params.entity, fields, attributes, idTypes);
      const rowChecks = rowChecksSql(allChecks.filter((c) => "condition" in c));
      if (rowChecks) await client.query(rowChecks, [scope.tenantId, job.id]);
      for (const check of allChecks) {
        if (!("failing" in check)) continue;
        await client.query(
          `INSERT INTO import_error (id, tenant_id, job_id, line, "column", message)
           SELECT gen_random_uuid(), $1, $2, f.line, $3, $4 FROM (${check.failing}) f`,
          [scope.tenantId, job.id, check.column, check.message],
        );
      }
      const rejected = Number(
        (await client.query("SELECT count(DISTINCT line) AS n FROM import_error WHERE job_id = $1", [job.id]))
          .rows[0].n,
      );
      lap("check");
      let counts = { inserted: 0, updated: 0 };
      const merge = !(params.allOrNothing && rejected > 0);
      if (merge) {
        // What stays in staging is what gets merged.
        if (rejected)
          await client.query(
            "DELETE FROM staged s USING import_error e WHERE e.job_id = $1 AND e.line = s.line",
            [job.id],
          );
        await progress(0, total, { phase: "merging" });
        const bulk = await bulkLoadAllowed(client);
        if (bulk) await client.query("SET LOCAL session_replication_role = replica");
        counts = await mergeRows(timed(client, statements), {
          entity: params.entity,
          fields,
          idTypes,
          tenantId: scope.tenantId,
          startMs,
          audit: {
            actorId: job.createdById,
            actorName: job.createdByName,
            requestId: scope.requestId,
            source: { jobId: job.id, fileId: file.id, fileName: file.fileName },
          },
        });
        if (bulk) await client.query("SET LOCAL session_replication_role = origin");
        statements.bulk_load = bulk ? 1 : 0;
      }
      lap("merge");
      const valid = total - rejected;
      const result = {
        entity: params.entity,
        rows: total,
        rejected,
        merged: merge,
        inserted: counts.inserted,
        updated: counts.updated,
        unchanged: merge ? valid - counts.inserted - counts.updated : 0,
        ignoredColumns: ignored,
        seconds: { ...timings, merge_statements: statements },
      };
      await client.query(
        `INSERT INTO audit_event (id, tenant_id, actor_id, actor_name, action, entity_type, entity_id, after, request_id)
         VALUES (gen_random_uuid(), $1, $2, $3, 'registry.imported', 'StoredFile', $4, $5, $6)`,
        [
          scope.tenantId,
          job.createdById,
          job.createdByName,
          file.id,
          JSON.stringify({ ...result, jobId: job.id, fileName: file.fileName }),
          scope.requestId,
        ],
      );
      // The error report streams from the department's rows (still in this
      // transaction, where row-level security sees them) into storage.
      const output = rejected
        ? await writeOutput(
            {
              fileName: `import-errors-${file.fileName.replace(/\.(csv|xlsx)$/i, "")}.csv`,
              contentType: "text/csv; charset=utf-8",
            },
            client.query(
              copyStreams.to(
                `COPY (SELECT line, "column", message FROM import_error WHERE job_id = ${pg.escapeLiteral(job.id)}
                        ORDER BY line, "column") TO STDOUT WITH (FORMAT csv, HEADER true)`,
              ),
            ),
          )
        : undefined;
      await client.query("COMMIT");
      // After a large change the planner's statistics are refreshed at once
      // (autovacuum would take a while, or never come when it is off).
      if (counts.inserted + counts.updated >= ANALYZE_AFTER_ROWS)
        await client.query("SELECT app_analyze_registry()");
      await progress(total, total, { phase: "done" });
      log.info({ ...result }, "registry import finished");
      return { result, ...(output ? { output } : {}) };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      await client.end();
    }
  },
});

/**
 * Whether the merge may skip the per-row foreign-key triggers
 * (`session_replication_role = replica`, granted to the application role by a
 * migration when the migrating role could). Every reference was resolved and
 * checked in staging, the referenced rows are locked by the merge itself, and
 * the triggers PBMS relies on fire ALWAYS, so only the per-row re-checks are
 * skipped: they cost about two thirds of the time of inserting a million rows.
 * `app.bulk_load = off` (e.g. in the connection options) turns it off.
 */
async function bulkLoadAllowed(client: pg.Client): Promise<boolean> {
  try {
    const { rows } = await client.query<{ ok: boolean }>(
      `SELECT coalesce(current_setting('app.bulk_load', true), '') <> 'off'
              AND has_parameter_privilege('session_replication_role', 'SET') AS ok`,
    );
    return rows[0]?.ok === true;
  } catch {
    return false; // PostgreSQL before 15 has no parameter privileges
  }
}

/** What the merge needs of a connection (lets it be timed statement by statement). */
interface Queryable {
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
}

/** Adds each statement's duration, by its target table, to `into` (seconds). */
function timed(client: pg.Client, into: Record<string, number>): Queryable {
  return {
    async query(text, values) {
      const start = performance.now();
      try {
        return await client.query(text, values);
      } finally {
        // The first table written (a WITH statement's first data-modifying part).
        const key = /^\s*SELECT/i.test(text)
          ? "select"
          : (/(INSERT INTO \S+|UPDATE \S+|DELETE FROM \S+)/i.exec(text)?.[1]?.toLowerCase() ?? "other");
        into[key] = Math.round((into[key] ?? 0) * 1000 + performance.now() - start) / 1000;
      }
    },
  };
}

interface MergeOptions {
  entity: ImportEntity;
  fields: StagedField[];
  idTypes: IdTypeDef[];
  tenantId: string;
  /** Start of the import, the time part of the new rows' ids. */
  startMs: number;
  /** Who imports, and from where: every registrant created or changed gets its own audit event. */
  audit: { actorId: string; actorName: string; requestId: string; source: Record<string, string> };
}

/**
 * Merges the staged rows (table `staged`, the rejected ones removed) into the registry and returns
 * how many registrants were inserted and updated. Existing registrants are
 * updated only where a value differs; new ones are plain inserts. Child rows
 * (identifiers, phones, memberships) of new registrants need no existence
 * check; those of existing registrants are added only when missing, and those
 * registrants are locked against deletion (FOR KEY SHARE) as a foreign key would.
 */
async function mergeRows(client: Queryable, o: MergeOptions): Promise<{ inserted: number; updated: number }> {
  const has = (f: string) => o.fields.some((x) => x.field === f);
  const id = (slot: number) => orderedUuid(o.startMs, `s.line * 16 + ${slot}`);
  const source = `${pg.escapeLiteral(JSON.stringify(o.audit.source))}::jsonb`;
  /** The values of an audit event row but its id, action, registrant and changes. */
  const by = `${pg.escapeLiteral(o.tenantId)}::uuid, ${pg.escapeLiteral(o.audit.actorId)}, ${pg.escapeLiteral(o.audit.actorName)}`;
  const request = pg.escapeLiteral(o.audit.requestId);
  /** Runs `insert` (… RETURNING registrant_id, <detail>) and audits each row as a change of its registrant. */
  const auditedAdd = (insert: string, detail: string, params: unknown[]) =>
    client.query(
      `WITH added AS (${insert})
       ${AUDIT_INSERT}
       SELECT gen_random_uuid(), ${by}, 'registrant.updated', 'Registrant', a.registrant_id::text,
              NULL, jsonb_build_object(${detail}, 'import', ${source}), ${request}
         FROM added a`,
      params,
    );
  // The reference rows used stay until commit, as foreign-key checks would keep them.
  await client.query("SELECT 1 FROM department WHERE id = $1 FOR KEY SHARE", [o.tenantId]);
  if (has("gaz_large") || has("gaz_small"))
    await client.query(
      `SELECT 1 FROM geo_zone WHERE id IN (SELECT ${has("gaz_large") ? "_gaz_large_id" : "NULL::uuid"} FROM staged
                                           UNION SELECT ${has("gaz_small") ? "_gaz_small_id" : "NULL::uuid"} FROM staged) FOR KEY SHARE`,
    );
  if (o.idTypes.length) await client.query("SELECT 1 FROM id_type FOR KEY SHARE");
  if (has("group_external_id")) await client.query("SELECT 1 FROM membership_kind FOR KEY SHARE");
  // The definitions of the attributes written: deleting one waits for this import, then counts its rows.
  const attributeCodes = o.fields.filter((f) => f.field.startsWith("attr.")).map((f) => f.field.slice(5));
  if (attributeCodes.length)
    await client.query("SELECT 1 FROM attribute_definition WHERE code = ANY($1::text[]) FOR KEY SHARE", [
      attributeCodes,
    ]);

  if (o.entity === "MEMBERSHIP") {
    const start = has("start_date") ? "s._start_date" : "NULL::date";
    return { inserted: await addMemberships(client, o.tenantId, id(1), start, auditedAdd), updated: 0 };
  }
  const v = (f: string, fallback = "NULL") => (has(f) ? `s.${f}` : fallback);
  const individual = o.entity === "INDIVIDUAL";
  const gazLarge = has("gaz_small")
    ? has("gaz_large")
      ? "coalesce(s._gaz_large_id, s._gaz_small_parent_id)"
      : "s._gaz_small_parent_id"
    : has("gaz_large")
      ? "s._gaz_large_id"
      : "NULL::uuid";
  const values: Record<string, string> = {
    name: individual
      ? `concat_ws(' ', ${v("given_name")}, ${v("additional_name")}, ${v("family_name")})`
      : v("name"),
    ...(individual
      ? {
          given_name: v("given_name"),
          family_name: v("family_name"),
          additional_name: v("additional_name"),
          birth_date: has("birth_date") ? "s._birth_date" : "NULL::date",
          birth_date_not_exact: has("birth_date_not_exact")
            ? "coalesce(s._birth_date_not_exact, false)"
            : "false",
          sex: has("sex") ? `s._sex::"Sex"` : `NULL::"Sex"`,
        }
      : {}),
    ...(has("gaz_large") || has("gaz_small")
      ? { gaz_large_id: gazLarge, gaz_small_id: has("gaz_small") ? "s._gaz_small_id" : "NULL::uuid" }
      : {}),
    ...(has("address") ? { address_text: "s.address" } : {}),
    ...(has("tags") ? { tags: `coalesce(string_to_array(s.tags, ';'), '{}')` } : {}),
  };
  const changed = Object.keys(values);
  // The audit keys are the API's field names (given_name → givenName).
  const snapshot = (value: (c: string) => string, attributes: string) =>
    `jsonb_build_object(${changed.map((c) => `'${c.replace(/_([a-z])/g, (_, x: string) => x.toUpperCase())}', ${value(c)}`).join(", ")}, 'attributes', ${attributes})`;
  // One statement: the rows that differ, their update, and an audit event each
  // with the fields before and after.
  const updated = await client.query(
    `WITH changed AS (
       SELECT r.id, ${snapshot((c) => `r.${c}`, "r.attributes")} AS b,
              ${snapshot((c) => values[c]!, "r.attributes || s._attributes")} AS a
         FROM registrant r JOIN staged s ON r.id = s._id
        WHERE NOT s._new
          AND (${changed.map((c) => `r.${c}`).join(", ")}, r.attributes)
              IS DISTINCT FROM (${changed.map((c) => values[c]).join(", ")}, r.attributes || s._attributes)),
     updated AS (
       UPDATE registrant r
          SET ${changed.map((c) => `${c} = ${values[c]}`).join(", ")}, attributes = r.attributes || s._attributes,
              version = r.version + 1, updated_at = now()
         FROM staged s, changed c
        WHERE r.id = s._id AND c.id = r.id
        RETURNING r.id)
     ${AUDIT_INSERT}
     SELECT gen_random_uuid(), ${by}, 'registrant.updated', 'Registrant', c.id::text,
            ${changedKeysSql("c.b", "c.a", "before")}, ${changedKeysSql("c.b", "c.a", "after")} || jsonb_build_object('import', ${source}), ${request}
       FROM changed c JOIN updated u ON u.id = c.id`,
  );
  const inserted = await client.query(
    `INSERT INTO registrant (id, tenant_id, kind, external_id, ${changed.join(", ")}, registration_date, attributes)
     SELECT s._id, $1, '${o.entity}', s.external_id, ${changed.map((c) => values[c]).join(", ")},
            ${has("registration_date") ? "coalesce(s._registration_date, current_date)" : "current_date"}, s._attributes
       FROM staged s WHERE s._new`,
    [o.tenantId],
  );
  // The creation of each registrant, with the file line it came from.
  await client.query(
    `${AUDIT_INSERT}
     SELECT ${id(15)}, ${by}, 'registrant.created', 'Registrant', s._id::text,
            NULL, jsonb_build_object('import', ${source} || jsonb_build_object('line', s.line)), ${request}
       FROM staged s WHERE s._new`,
  );
  if (individual) {
    for (const [i, t] of o.idTypes.entries()) {
      const f = o.fields.find((x) => x.field === `id.${t.code}`);
      if (!f) continue;
      const value = `s.${pg.escapeIdentifier(f.column)}`;
      await client.query(
        `INSERT INTO registrant_identifier (id, tenant_id, registrant_id, id_type_id, value)
         SELECT ${id(2 + (i % 12))}, $1, s._id, $2, ${value} FROM staged s WHERE s._new AND ${value} IS NOT NULL`,
        [o.tenantId, t.id],
      );
      await auditedAdd(
        `INSERT INTO registrant_identifier (id, tenant_id, registrant_id, id_type_id, value)
         SELECT gen_random_uuid(), $1, r.id, $2, ${value}
           FROM staged s JOIN registrant r ON r.id = s._id
          WHERE NOT s._new AND ${value} IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM registrant_identifier ri WHERE ri.id_type_id = $2 AND ri.value = ${value})
            FOR KEY SHARE OF r
         RETURNING registrant_id, id_type_id, value`,
        `'identifierAdded', jsonb_build_object('idTypeId', a.id_type_id, 'value', a.value)`,
        [o.tenantId, t.id],
      );
    }
    if (has("phone")) {
      await client.query(
        `INSERT INTO phone (id, tenant_id, registrant_id, e164, is_primary)
         SELECT ${id(1)}, $1, s._id, s._phone, true FROM staged s WHERE s._new AND s._phone IS NOT NULL`,
        [o.tenantId],
      );
      await auditedAdd(
        `INSERT INTO phone (id, tenant_id, registrant_id, e164, is_primary)
         SELECT gen_random_uuid(), $1, r.id, s._phone, NOT EXISTS (SELECT 1 FROM phone p WHERE p.registrant_id = r.id)
           FROM staged s JOIN registrant r ON r.id = s._id
          WHERE NOT s._new AND s._phone IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM phone p WHERE p.registrant_id = r.id AND p.e164 = s._phone)
            FOR KEY SHARE OF r
         RETURNING registrant_id, e164`,
        `'phoneAdded', a.e164`,
        [o.tenantId],
      );
    }
    if (has("group_external_id")) {
      await addMemberships(
        client,
        o.tenantId,
        id(14),
        has("registration_date") ? "s._registration_date" : "NULL::date",
        auditedAdd,
      );
    }
  }
  return { inserted: inserted.rowCount ?? 0, updated: updated.rowCount ?? 0 };
}

/**
 * Adds the valid rows' individuals to their groups, unless they are current
 * members already. The memberships trigger locks the groups and checks the
 * kinds once for the statement.
 */
async function addMemberships(
  client: Queryable,
  tenantId: string,
  newId: string,
  startDate: string,
  auditedAdd: (insert: string, detail: string, params: unknown[]) => Promise<pg.QueryResult>,
): Promise<number> {
  const fresh = await client.query(
    `INSERT INTO group_membership (id, tenant_id, group_id, individual_id, kind_id, start_date)
     SELECT ${newId}, $1, s._group_id, s._id, s._kind_id, coalesce(${startDate}, current_date)
       FROM staged s WHERE s._new AND s._group_id IS NOT NULL`,
    [tenantId],
  );
  const existing = await auditedAdd(
    `INSERT INTO group_membership (id, tenant_id, group_id, individual_id, kind_id, start_date)
     SELECT gen_random_uuid(), $1, s._group_id, r.id, s._kind_id, coalesce(${startDate}, current_date)
       FROM staged s JOIN registrant r ON r.id = s._id
      WHERE NOT s._new AND s._group_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM group_membership m WHERE m.group_id = s._group_id AND m.individual_id = r.id AND m.end_date IS NULL)
        FOR KEY SHARE OF r
     RETURNING individual_id AS registrant_id, group_id, kind_id, start_date`,
    `'membershipAdded', jsonb_build_object('groupId', a.group_id, 'kindId', a.kind_id, 'startDate', a.start_date)`,
    [tenantId],
  );
  return (fresh.rowCount ?? 0) + (existing.rowCount ?? 0);
}
