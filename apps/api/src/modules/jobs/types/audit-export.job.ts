// AUDIT_EXPORT: writes the department's audit log (optionally filtered) to CSV.
// Reads in key-ordered chunks (occurred_at, id) below a bound fixed when the
// job starts, so events added meanwhile neither shift nor duplicate rows; each
// chunk goes on to the file storage as it is read.
import { Readable } from "node:stream";
import { stringify } from "csv-stringify/sync";
import { inTenant, type AuditEvent, type Prisma } from "@pbms/db";
import { z } from "zod";
import { auditWhere } from "../../audit/audit.service.ts";
import { defineJob, Role } from "../job.registry.ts";

const CHUNK = 5000;

const paramsSchema = z
  .object({
    q: z.string().max(200).optional(),
    action: z.string().max(200).optional(),
    entityType: z.string().max(200).optional(),
    entityId: z.string().max(200).optional(),
    actorId: z.string().max(200).optional(),
    occurredAt_gte: z.coerce.date().optional(),
    occurredAt_lte: z.coerce.date().optional(),
  })
  .strict();

const COLUMNS = [
  "occurred_at",
  "actor_id",
  "actor_name",
  "action",
  "entity_type",
  "entity_id",
  "request_id",
  "before",
  "after",
];

function toRow(e: AuditEvent): unknown[] {
  return [
    e.occurredAt.toISOString(),
    e.actorId,
    e.actorName,
    e.action,
    e.entityType,
    e.entityId,
    e.requestId,
    e.before === null ? "" : JSON.stringify(e.before),
    e.after === null ? "" : JSON.stringify(e.after),
  ];
}

defineJob("AUDIT_EXPORT", {
  roles: [Role.Auditor],
  parseParams(params) {
    const parsed = paramsSchema.safeParse(params);
    if (!parsed.success)
      throw new Error(
        parsed.error.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; "),
      );
    return JSON.parse(JSON.stringify(parsed.data)) as Record<string, unknown>;
  },
  async run({ job, db, progress, cancelRequested, writeOutput }) {
    const params = paramsSchema.parse(job.params);
    const scope = { tenantId: job.tenantId, actorId: job.createdById, requestId: `job:${job.id}` };
    const upper =
      params.occurredAt_lte && params.occurredAt_lte < job.createdAt ? params.occurredAt_lte : job.createdAt;
    const base: Prisma.AuditEventWhereInput = auditWhere({ ...params, occurredAt_lte: upper });
    const total = await inTenant(db, scope, (t) => t.auditEvent.count({ where: base }));
    await progress(0, total);
    let done = 0;
    let cancelled = false;
    // The CSV a chunk at a time, as the storage reads it; a cancellation ends it early.
    const csv = async function* () {
      yield Buffer.from(stringify([COLUMNS]));
      let last: { occurredAt: Date; id: string } | undefined;
      for (;;) {
        const after: Prisma.AuditEventWhereInput = last
          ? {
              OR: [
                { occurredAt: { lt: last.occurredAt } },
                { occurredAt: last.occurredAt, id: { lt: last.id } },
              ],
            }
          : {};
        const rows = await inTenant(db, scope, (t) =>
          t.auditEvent.findMany({
            where: { AND: [base, after] },
            orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
            take: CHUNK,
          }),
        );
        if (rows.length === 0) return;
        yield Buffer.from(stringify(rows.map(toRow)));
        done += rows.length;
        const tail = rows[rows.length - 1]!;
        last = { occurredAt: tail.occurredAt, id: tail.id };
        await progress(done, total, { occurredAt: last.occurredAt.toISOString(), id: last.id });
        if (await cancelRequested()) {
          cancelled = true;
          return;
        }
      }
    };
    const output = await writeOutput(
      {
        fileName: `audit-log-${job.createdAt.toISOString().slice(0, 10)}.csv`,
        contentType: "text/csv; charset=utf-8",
      },
      Readable.from(csv(), { objectMode: false }),
    );
    if (cancelled) return { result: { rows: done, cancelled: true } };
    return { result: { rows: done, bytes: output.byteSize }, output };
  },
});
