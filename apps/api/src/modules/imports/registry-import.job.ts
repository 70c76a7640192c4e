// REGISTRY_IMPORT: loads an uploaded CSV of groups or individuals. The file is
// streamed into PostgreSQL with COPY (never held in memory), checked there
// with set-based SQL, and the valid rows are merged in the same transaction
// (or none of them with allOrNothing). Re-importing a file changes nothing:
// rows are matched on external_id and only real differences are written.
import { parse } from "csv-parse/sync";
import pg from "pg";
import copyStreams from "pg-copy-streams";
import { stringify } from "csv-stringify/sync";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { inTenant } from "@pbms/db";
import { defineJob, JobFailure, Role } from "../jobs/job.registry.ts";
import {
  attributesSql,
  checks,
  FIELDS,
  SESSION_FUNCTIONS,
  type AttributeDef,
  type IdTypeDef,
  type ImportEntity,
  type StagedField,
} from "./import.sql.ts";

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
  async run({ job, db, storage, databaseUrl, progress, log }) {
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
    const header = await readHeader(storage.get(file.storageKey));
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
      await client.query(SESSION_FUNCTIONS);
      // Bulk inserts add to the GIN indexes' pending lists instead of updating
      // them row by row (about a third faster on a million registrants).
      await client.query("SET LOCAL gin_pending_list_limit = '64MB'");
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
        storage.get(file.storageKey),
        counter,
        client.query(
          copyStreams.from(`COPY import_rows (${raw.join(", ")}) FROM STDIN WITH (FORMAT csv, HEADER true)`),
        ),
      );
      const staged = fields as (StagedField & { index: number })[];
      await client.query(
        `CREATE TEMP TABLE staged ON COMMIT DROP AS SELECT line, ${staged
          .map((f) => `nullif(btrim(c${f.index}), '') AS ${pg.escapeIdentifier(f.column)}`)
          .join(", ")} FROM import_rows`,
      );
      await client.query("CREATE INDEX ON staged (external_id)");
      await client.query("ANALYZE staged");
      const total = Number((await client.query("SELECT count(*) AS n FROM staged")).rows[0].n);
      lap("load");
      await progress(0, total, { phase: "checking" });

      for (const check of checks(params.entity, fields, attributes, idTypes)) {
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
      await client.query(
        "CREATE TEMP TABLE valid ON COMMIT DROP AS SELECT s.* FROM staged s WHERE NOT EXISTS (SELECT 1 FROM import_error e WHERE e.job_id = $1 AND e.line = s.line)",
        [job.id],
      );
      lap("check");
      let counts = { inserted: 0, updated: 0 };
      const merge = !(params.allOrNothing && rejected > 0);
      if (merge) {
        await progress(0, total, { phase: "merging" });
        counts = await mergeRows(
          timed(client, statements),
          params.entity,
          fields,
          attributes,
          idTypes,
          scope.tenantId,
        );
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
      const errors = rejected
        ? (
            await client.query(
              `SELECT line, "column", message FROM import_error WHERE job_id = $1 ORDER BY line, "column" LIMIT 1000000`,
              [job.id],
            )
          ).rows
        : [];
      await client.query("COMMIT");
      await progress(total, total, { phase: "done" });
      log.info({ ...result }, "registry import finished");
      return {
        result,
        ...(errors.length
          ? {
              output: {
                fileName: `import-errors-${file.fileName.replace(/\.csv$/i, "")}.csv`,
                contentType: "text/csv; charset=utf-8",
                data: Buffer.from(
                  stringify(errors, { header: true, columns: ["line", "column", "message"] }),
                ),
              },
            }
          : {}),
      };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      await client.end();
    }
  },
});

/** Merges the valid staged rows into the registry; returns how many were inserted and updated. */
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
        const key =
          /^\s*(INSERT INTO \S+|UPDATE \S+|DELETE FROM \S+)/i.exec(text)?.[1]?.toLowerCase() ?? "other";
        into[key] = Math.round((into[key] ?? 0) * 1000 + performance.now() - start) / 1000;
      }
    },
  };
}

async function mergeRows(
  client: Queryable,
  entity: ImportEntity,
  fields: StagedField[],
  attributes: AttributeDef[],
  idTypes: IdTypeDef[],
  tenantId: string,
): Promise<{ inserted: number; updated: number }> {
  const has = (f: string) => fields.some((x) => x.field === f);
  if (entity === "MEMBERSHIP") {
    return {
      inserted: await addMemberships(
        client,
        tenantId,
        has("membership_kind"),
        has("start_date") ? "s.start_date" : "NULL",
      ),
      updated: 0,
    };
  }
  const v = (f: string, fallback = "NULL") => (has(f) ? `s.${f}` : fallback);
  const attrs = attributesSql(fields, attributes);
  // Zones are joined once (hash joins), not looked up per row.
  const zoneJoins = [
    has("gaz_large") ? `LEFT JOIN geo_zone zl ON zl.code = s.gaz_large AND zl.level = 'LARGE'` : "",
    has("gaz_small") ? `LEFT JOIN geo_zone zs ON zs.code = s.gaz_small AND zs.level = 'SMALL'` : "",
  ].join(" ");
  const gazLarge = has("gaz_small")
    ? has("gaz_large")
      ? "coalesce(zl.id, zs.parent_id)"
      : "zs.parent_id"
    : has("gaz_large")
      ? "zl.id"
      : "NULL::uuid";
  const gazSmall = has("gaz_small") ? "zs.id" : "NULL::uuid";
  const tags = has("tags") ? `coalesce(string_to_array(s.tags, ';'), '{}')` : `'{}'::text[]`;
  const regDate = has("registration_date")
    ? `coalesce(pg_temp.try_date(s.registration_date), current_date)`
    : "current_date";
  const individual = entity === "INDIVIDUAL";
  const name = individual
    ? `concat_ws(' ', ${v("given_name")}, ${v("additional_name")}, ${v("family_name")})`
    : "s.name";
  const columns = individual
    ? `given_name, family_name, additional_name, birth_date, birth_date_not_exact, sex`
    : "";
  const values = individual
    ? `${v("given_name")}, ${v("family_name")}, ${v("additional_name")}, pg_temp.try_date(${v("birth_date")}),
       coalesce(pg_temp.bool(${v("birth_date_not_exact")}), false), pg_temp.sex(${v("sex")})`
    : "";
  const changed = [
    "name",
    ...(individual
      ? ["given_name", "family_name", "additional_name", "birth_date", "birth_date_not_exact", "sex"]
      : []),
    ...(has("gaz_large") || has("gaz_small") ? ["gaz_large_id", "gaz_small_id"] : []),
    ...(has("address") ? ["address_text"] : []),
    ...(has("tags") ? ["tags"] : []),
  ];
  const set = changed.map((c) => `${c} = excluded.${c}`).join(", ");
  const upsert = await client.query(
    `INSERT INTO registrant (id, tenant_id, kind, external_id, name, ${columns}${columns ? "," : ""}
                             gaz_large_id, gaz_small_id, address_text, tags, registration_date, attributes)
     SELECT gen_random_uuid(), $1, '${entity}', s.external_id, ${name}, ${values}${values ? "," : ""}
            ${gazLarge}, ${gazSmall}, ${v("address")}, ${tags}, ${regDate}, ${attrs}
       FROM valid s ${zoneJoins}
     ON CONFLICT (tenant_id, external_id) DO UPDATE
        SET ${set}, attributes = registrant.attributes || excluded.attributes,
            version = registrant.version + 1, updated_at = now()
      WHERE (${changed.map((c) => `registrant.${c}`).join(", ")}, registrant.attributes)
            IS DISTINCT FROM (${changed.map((c) => `excluded.${c}`).join(", ")}, registrant.attributes || excluded.attributes)
     RETURNING (xmax = 0) AS inserted`,
    [tenantId],
  );
  const inserted = upsert.rows.filter((r: { inserted: boolean }) => r.inserted).length;
  if (individual) {
    for (const t of idTypes) {
      const f = fields.find((x) => x.field === `id.${t.code}`);
      if (!f) continue;
      await client.query(
        `INSERT INTO registrant_identifier (id, tenant_id, registrant_id, id_type_id, value)
         SELECT gen_random_uuid(), $1, r.id, $2, s.${pg.escapeIdentifier(f.column)}
           FROM valid s JOIN registrant r ON r.external_id = s.external_id
          WHERE s.${pg.escapeIdentifier(f.column)} IS NOT NULL
         ON CONFLICT (tenant_id, id_type_id, value) DO NOTHING`,
        [tenantId, t.id],
      );
    }
    if (has("phone")) {
      await client.query(
        `INSERT INTO phone (id, tenant_id, registrant_id, e164, is_primary)
         SELECT gen_random_uuid(), $1, r.id, pg_temp.phone(s.phone), NOT EXISTS (SELECT 1 FROM phone p WHERE p.registrant_id = r.id)
           FROM valid s JOIN registrant r ON r.external_id = s.external_id
          WHERE s.phone IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM phone p WHERE p.registrant_id = r.id AND p.e164 = pg_temp.phone(s.phone))`,
        [tenantId],
      );
    }
    if (has("group_external_id")) {
      await addMemberships(
        client,
        tenantId,
        has("membership_kind"),
        has("registration_date") ? "s.registration_date" : "NULL",
      );
    }
  }
  return { inserted, updated: upsert.rows.length - inserted };
}

/** Adds the valid rows' individuals to their groups, unless they are current members already. */
async function addMemberships(
  client: Queryable,
  tenantId: string,
  withKind: boolean,
  startDate: string,
): Promise<number> {
  const kind = withKind ? `upper(coalesce(s.membership_kind, 'OTHER'))` : `'OTHER'`;
  const res = await client.query(
    `INSERT INTO group_membership (id, tenant_id, group_id, individual_id, kind_id, start_date)
     SELECT gen_random_uuid(), $1, g.id, r.id, k.id, coalesce(pg_temp.try_date(${startDate}), current_date)
       FROM valid s
       JOIN registrant r ON r.external_id = s.external_id AND r.kind = 'INDIVIDUAL'
       JOIN registrant g ON g.external_id = s.group_external_id AND g.kind = 'GROUP'
       JOIN membership_kind k ON k.code = ${kind}
      WHERE NOT EXISTS (SELECT 1 FROM group_membership m WHERE m.group_id = g.id AND m.individual_id = r.id AND m.end_date IS NULL)`,
    [tenantId],
  );
  return res.rowCount ?? 0;
}
