// REGISTRY_EXPORT: the registrants matching a registry filter, as CSV. The
// matching ids are fixed first (one parameterised query), then PostgreSQL
// streams the rows out with COPY straight into the file storage: the export
// is never held in memory, whatever its size.
import { Readable } from "node:stream";
import pg from "pg";
import copyStreams from "pg-copy-streams";
import { defineJob, Role } from "../jobs/job.registry.ts";
import { registrantConditions } from "../registry/registrant.service.ts";
import type { RegistrantFilter } from "../registry/registry.type.ts";
import { Prisma } from "@pbms/db";

const FILTER_KEYS = new Set([
  "q",
  "ids",
  "kind",
  "status",
  "sex",
  "gazLargeId",
  "gazSmallId",
  "identifier",
  "idTypeId",
  "phone",
  "age_gte",
  "age_lte",
  "groupId",
  "memberId",
  "tag",
  "attributes",
  "registrationDate_gte",
  "registrationDate_lte",
]);

const EXPORT_SQL = `
COPY (
  SELECT r.id, r.external_id, r.kind, r.name, r.given_name, r.family_name, r.additional_name,
         to_char(r.birth_date, 'YYYY-MM-DD') AS birth_date, r.birth_date_not_exact, lower(r.sex::text) AS sex,
         lower(r.status::text) AS status, r.status_reason, to_char(r.registration_date, 'YYYY-MM-DD') AS registration_date,
         zl.code AS gaz_large, zs.code AS gaz_small, r.address_text AS address, array_to_string(r.tags, ';') AS tags,
         (SELECT string_agg(t.code || ':' || i.value, ';' ORDER BY t.code, i.value)
            FROM registrant_identifier i JOIN id_type t ON t.id = i.id_type_id WHERE i.registrant_id = r.id) AS identifiers,
         (SELECT string_agg(p.e164, ';' ORDER BY p.is_primary DESC, p.e164) FROM phone p WHERE p.registrant_id = r.id) AS phones,
         r.attributes::text AS attributes
    FROM export_ids e JOIN registrant r ON r.id = e.id
    LEFT JOIN geo_zone zl ON zl.id = r.gaz_large_id
    LEFT JOIN geo_zone zs ON zs.id = r.gaz_small_id
   ORDER BY e.ord
) TO STDOUT WITH (FORMAT csv, HEADER true)`;

defineJob("REGISTRY_EXPORT", {
  roles: [Role.Registrar, Role.ProgramManager, Role.Auditor],
  parseParams(params) {
    const unknown = Object.keys(params).filter((k) => !FILTER_KEYS.has(k));
    if (unknown.length)
      throw new Error(`unknown filter ${unknown.join(", ")}; use the fields of RegistrantFilter`);
    registrantConditions(params as RegistrantFilter); // validates phone etc. now rather than in the worker
    return params;
  },
  async run({ job, databaseUrl, progress, cancelRequested, writeOutput }) {
    const scope = { tenantId: job.tenantId, actorId: job.createdById, requestId: `job:${job.id}` };
    const conditions = registrantConditions(job.params as RegistrantFilter);
    const where = conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
    const select = Prisma.sql`SELECT r.id, row_number() OVER (ORDER BY r.name, r.id) AS ord FROM registrant r ${where}`;
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    // A COPY left unread blocks the connection: then only closing it ends the transaction.
    let copyOpen = false;
    try {
      await client.query("BEGIN");
      await client.query("SELECT set_config('app.tenant_id', $1, true)", [scope.tenantId]);
      await client.query(`CREATE TEMP TABLE export_ids ON COMMIT DROP AS ${select.text}`, select.values);
      const total = Number((await client.query("SELECT count(*) AS n FROM export_ids")).rows[0].n);
      await progress(0, total);
      let cancelled = false;
      const copy = client.query(copyStreams.to(EXPORT_SQL));
      copyOpen = true;
      // The rows as PostgreSQL sends them, counted for progress (lines less the header);
      // a cancellation ends the file early and it is thrown away.
      const rows = async function* () {
        let lines = 0;
        let reported = Date.now();
        for await (const chunk of copy as AsyncIterable<Buffer>) {
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
          yield chunk;
          if (Date.now() - reported > 1000) {
            reported = Date.now();
            await progress(Math.min(total, Math.max(0, lines - 1)), total);
            if (await cancelRequested()) {
              cancelled = true;
              return;
            }
          }
        }
        copyOpen = false;
      };
      const output = await writeOutput(
        {
          fileName: `registry-${job.createdAt.toISOString().slice(0, 10)}.csv`,
          contentType: "text/csv; charset=utf-8",
        },
        Readable.from(rows(), { objectMode: false }),
      );
      if (cancelled) return { result: { cancelled: true } };
      await client.query("COMMIT");
      await progress(total, total);
      return { result: { rows: total, bytes: output.byteSize }, output };
    } catch (error) {
      if (!copyOpen) await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      await client.end();
    }
  },
});
