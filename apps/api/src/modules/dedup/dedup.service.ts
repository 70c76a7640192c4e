// Deduplication: the department's rules, starting a run (one at a time), and
// the duplicate sets a run found with their review (not a duplicate / merge —
// merges are in merge.service.ts). Every change is audited in its transaction.
import type { Prisma, DedupRuleKind, DuplicateSetStatus, JobType, Tx } from "@pbms/db";
import { actorName, tx, type RequestContext } from "../../context.ts";
import { AppError, ErrorCode, invalidTransition, notFound } from "../../errors.ts";
import { paging } from "../../graphql/list.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { startJob } from "../jobs/job.service.ts";
import { toRegistrant } from "../registry/registrant.service.ts";
import type {
  DedupRuleFilter,
  DedupRuleListArgs,
  DuplicateSetFilter,
  DuplicateSetListArgs,
  MarkNotDuplicateInput,
  RunDeduplicationInput,
  UpdateDedupRuleArgs,
} from "./dedup.type.ts";

/** The rules every department starts with (also seeded by packages/db seedDedupRules). */
export const DEFAULT_RULES: {
  kind: DedupRuleKind;
  enabled: boolean;
  nameThreshold: number;
  birthDateDays: number;
}[] = [
  { kind: "SAME_IDENTIFIER", enabled: true, nameThreshold: 0.6, birthDateDays: 0 },
  { kind: "SAME_PHONE", enabled: true, nameThreshold: 0.6, birthDateDays: 0 },
  { kind: "SAME_FINANCIAL_ADDRESS", enabled: true, nameThreshold: 0.6, birthDateDays: 0 },
  { kind: "SIMILAR_NAME_BIRTH_DATE", enabled: true, nameThreshold: 0.6, birthDateDays: 0 },
];

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

const RULE_SORTABLE = ["kind", "enabled", "updatedAt", "createdAt"] as const;

function ruleWhere(filter: DedupRuleFilter = {}): Prisma.DedupRuleWhereInput {
  return {
    ...(filter.ids ? { id: { in: filter.ids } } : {}),
    ...(filter.kind ? { kind: filter.kind } : {}),
    ...(filter.enabled != null ? { enabled: filter.enabled } : {}),
  };
}

export function findDedupRules(ctx: RequestContext, args: DedupRuleListArgs) {
  const { skip, take, orderBy } = paging(args, RULE_SORTABLE, "kind");
  const order = args.sortField || args.sortOrder ? orderBy : [{ kind: "asc" as const }];
  return tx(ctx, (t) => t.dedupRule.findMany({ where: ruleWhere(args.filter), skip, take, orderBy: order }));
}

export function countDedupRules(ctx: RequestContext, args: DedupRuleListArgs) {
  return tx(ctx, (t) => t.dedupRule.count({ where: ruleWhere(args.filter) }));
}

export function findDedupRule(ctx: RequestContext, id: string) {
  return tx(ctx, (t) => t.dedupRule.findUnique({ where: { id } }));
}

const ruleView = (r: { enabled: boolean; nameThreshold: number; birthDateDays: number }) => ({
  enabled: r.enabled,
  nameThreshold: r.nameThreshold,
  birthDateDays: r.birthDateDays,
});

export function updateDedupRule(ctx: RequestContext, args: UpdateDedupRuleArgs) {
  return tx(ctx, async (t) => {
    const current = await t.dedupRule.findUnique({ where: { id: args.id } });
    if (!current) throw notFound("DedupRule", args.id);
    const updated = await t.dedupRule.update({
      where: { id: args.id },
      data: {
        ...(args.enabled != null ? { enabled: args.enabled } : {}),
        ...(args.nameThreshold != null ? { nameThreshold: args.nameThreshold } : {}),
        ...(args.birthDateDays != null ? { birthDateDays: args.birthDateDays } : {}),
      },
    });
    await recordAudit(t, ctx, {
      action: "dedup_rule.updated",
      entityType: "DedupRule",
      entityId: updated.id,
      before: { kind: current.kind, ...ruleView(current) },
      after: { kind: updated.kind, ...ruleView(updated) },
    });
    return updated;
  });
}

/** Creates the default rules a department lacks (departments created after the seed). */
async function ensureDefaultRules(t: Tx, ctx: RequestContext): Promise<void> {
  const existing = new Set((await t.dedupRule.findMany({ select: { kind: true } })).map((r) => r.kind));
  for (const rule of DEFAULT_RULES.filter((r) => !existing.has(r.kind))) {
    const created = await t.dedupRule.create({ data: { ...rule, tenantId: ctx.tenantId } });
    await recordAudit(t, ctx, {
      action: "dedup_rule.created",
      entityType: "DedupRule",
      entityId: created.id,
      after: { kind: created.kind, ...ruleView(created) },
    });
  }
}

// ---------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------

/** Refuses with CONFLICT when a job of `type` is queued or running in the department. */
export async function assertNoRunningJob(t: Tx, type: JobType): Promise<void> {
  const running = await t.job.findFirst({
    where: { type, state: { in: ["QUEUED", "RUNNING"] } },
    orderBy: { createdAt: "asc" },
  });
  if (running) {
    throw new AppError(
      ErrorCode.Conflict,
      `A ${type} job is already ${running.state.toLowerCase()}; wait for it or cancel it`,
      { jobId: running.id },
    );
  }
}

/**
 * Queues a DEDUPLICATION job unless one is queued or running. The check and the
 * start are serialised per department by an advisory lock, so two concurrent
 * requests cannot both start one: the second gets CONFLICT.
 */
export async function runDeduplication(ctx: RequestContext, input: RunDeduplicationInput = {}) {
  // Committed before the job is queued, so the worker sees the rules.
  await tx(ctx, (t) => ensureDefaultRules(t, ctx));
  return tx(ctx, async (t) => {
    const [lock] = await t.$queryRaw<{ ok: boolean }[]>`
      SELECT pg_try_advisory_xact_lock(hashtextextended(${`pbms:dedup:${ctx.tenantId}`}, 0)) AS ok`;
    if (!lock?.ok) throw new AppError(ErrorCode.Conflict, "A deduplication run is being started right now");
    await assertNoRunningJob(t, "DEDUPLICATION");
    const params = input.rules?.length ? { rules: [...new Set(input.rules)] } : {};
    // startJob commits the job (and its job.started audit event) in its own
    // transaction while this one still holds the lock.
    return startJob(ctx, { type: "DEDUPLICATION", params });
  });
}

// ---------------------------------------------------------------------------
// Duplicate sets
// ---------------------------------------------------------------------------

const SET_SORTABLE = ["score", "createdAt", "decidedAt", "status", "rule"] as const;

function setWhere(filter: DuplicateSetFilter = {}): Prisma.DuplicateSetWhereInput {
  return {
    ...(filter.ids ? { id: { in: filter.ids } } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.rule ? { rule: filter.rule } : {}),
    ...(filter.jobId ? { jobId: filter.jobId } : {}),
    ...(filter.score_gte != null ? { score: { gte: filter.score_gte } } : {}),
    ...(filter.registrantId ? { members: { some: { registrantId: filter.registrantId } } } : {}),
  };
}

export function findDuplicateSets(ctx: RequestContext, args: DuplicateSetListArgs) {
  const { skip, take, orderBy } = paging(args, SET_SORTABLE, "score");
  return tx(ctx, (t) => t.duplicateSet.findMany({ where: setWhere(args.filter), skip, take, orderBy }));
}

export function countDuplicateSets(ctx: RequestContext, args: DuplicateSetListArgs) {
  return tx(ctx, (t) => t.duplicateSet.count({ where: setWhere(args.filter) }));
}

export function findDuplicateSet(ctx: RequestContext, id: string) {
  return tx(ctx, (t) => t.duplicateSet.findUnique({ where: { id } }));
}

/** The members of many sets in one query (oldest registration first), for DataLoader. */
export function membersOf(ctx: RequestContext, setIds: readonly string[]) {
  return tx(ctx, async (t) => {
    const rows = await t.duplicateSetMember.findMany({
      where: { setId: { in: [...setIds] } },
      include: { registrant: true },
      orderBy: [{ registrant: { createdAt: "asc" } }, { registrantId: "asc" }],
    });
    return setIds.map((id) => rows.filter((m) => m.setId === id).map((m) => toRegistrant(m.registrant)));
  });
}

/** Locks a set for a decision and checks that it is still OPEN. */
export async function lockOpenSet(t: Tx, setId: string, to: DuplicateSetStatus) {
  const [locked] = await t.$queryRaw<
    { id: string }[]
  >`SELECT id FROM duplicate_set WHERE id = ${setId}::uuid FOR UPDATE`;
  if (!locked) throw notFound("DuplicateSet", setId);
  const set = await t.duplicateSet.findUniqueOrThrow({ where: { id: setId } });
  if (set.status !== "OPEN") throw invalidTransition("DuplicateSet", set.status, to);
  return set;
}

export function markNotDuplicate(ctx: RequestContext, input: MarkNotDuplicateInput) {
  return tx(ctx, async (t) => {
    const set = await lockOpenSet(t, input.setId, "NOT_DUPLICATE");
    const updated = await t.duplicateSet.update({
      where: { id: set.id },
      data: { status: "NOT_DUPLICATE", decidedBy: actorName(ctx.principal), decidedAt: new Date() },
    });
    await recordAudit(t, ctx, {
      action: "duplicate_set.not_duplicate",
      entityType: "DuplicateSet",
      entityId: set.id,
      before: { status: set.status },
      after: { status: updated.status, rule: updated.rule, memberKey: updated.memberKey },
    });
    return updated;
  });
}
