import type { Prisma, Tx } from "@pbms/db";
import { actorName, tx, type RequestContext } from "../../context.ts";
import { paging } from "../../graphql/list.ts";
import type { AuditEventFilter, AuditEventListArgs } from "./audit.type.ts";

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Appends an audit event inside the caller's transaction, so the event and the
 * change commit or roll back together. `before`/`after` keep changed fields only.
 */
export async function recordAudit(t: Tx, ctx: RequestContext, record: AuditRecord): Promise<void> {
  const [before, after] = changedFields(record.before, record.after);
  await t.auditEvent.create({
    data: {
      tenantId: ctx.tenantId,
      actorId: ctx.principal.subject,
      actorName: actorName(ctx.principal),
      action: record.action,
      entityType: record.entityType,
      entityId: record.entityId ?? null,
      before: json(before),
      after: json(after),
      requestId: ctx.requestId,
    },
  });
}

/** Keeps only the keys whose values differ (both sides), for readable diffs. */
export function changedFields(before: unknown, after: unknown): [unknown, unknown] {
  if (!isRecord(before) || !isRecord(after)) return [before, after];
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return [b, a];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function json(v: unknown): Prisma.InputJsonValue | undefined {
  return v === undefined || v === null ? undefined : (JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue);
}

const SORTABLE = ["occurredAt", "action", "entityType", "actorName"] as const;

export function auditWhere(filter: AuditEventFilter = {}): Prisma.AuditEventWhereInput {
  const q = filter.q?.trim();
  return {
    ...(filter.ids ? { id: { in: filter.ids } } : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.entityType ? { entityType: filter.entityType } : {}),
    ...(filter.entityId ? { entityId: filter.entityId } : {}),
    ...(filter.actorId ? { actorId: filter.actorId } : {}),
    ...(filter.occurredAt_gte || filter.occurredAt_lte
      ? { occurredAt: { gte: filter.occurredAt_gte, lte: filter.occurredAt_lte } }
      : {}),
    ...(q
      ? {
          OR: [
            { action: { contains: q, mode: "insensitive" } },
            { entityType: { contains: q, mode: "insensitive" } },
            { entityId: { contains: q, mode: "insensitive" } },
            { actorName: { contains: q, mode: "insensitive" } },
          ],
        }
      : {}),
  };
}

export function findAuditEvents(ctx: RequestContext, args: AuditEventListArgs) {
  const { skip, take, orderBy } = paging(args, SORTABLE, "occurredAt");
  return tx(ctx, (t) => t.auditEvent.findMany({ where: auditWhere(args.filter), skip, take, orderBy }));
}

export function countAuditEvents(ctx: RequestContext, args: AuditEventListArgs) {
  return tx(ctx, (t) => t.auditEvent.count({ where: auditWhere(args.filter) }));
}

export function findAuditEvent(ctx: RequestContext, id: string) {
  return tx(ctx, (t) => t.auditEvent.findUnique({ where: { id } }));
}
