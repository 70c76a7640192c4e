import { Prisma, type Job, type JobType } from "@pbms/db";
import { actorName, tx, type RequestContext } from "../../context.ts";
import { AppError, badInput, forbidden, invalidTransition, notFound } from "../../errors.ts";
import { paging } from "../../graphql/list.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { jobDefinition, Role } from "./job.registry.ts";
import type { JobFilter, JobListArgs, StartJobInput } from "./job.type.ts";

function mayRun(ctx: RequestContext, type: JobType): boolean {
  const { roles } = jobDefinition(type);
  return ctx.principal.roles.some((r) => r === Role.Admin || roles.includes(r));
}

/**
 * Queues a job. With an idempotency key, a retried request returns the job the
 * first request created instead of starting another.
 */
export async function startJob(ctx: RequestContext, input: StartJobInput): Promise<Job> {
  if (!mayRun(ctx, input.type)) throw forbidden(`Your roles do not allow starting ${input.type} jobs`);
  let params: Record<string, unknown>;
  try {
    params = jobDefinition(input.type).parseParams(input.params ?? {});
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw badInput("input.params", (error as Error).message);
  }
  const key = input.idempotencyKey;
  const existing = () =>
    key
      ? tx(ctx, (t) =>
          t.job.findUnique({
            where: { tenantId_idempotencyKey: { tenantId: ctx.tenantId, idempotencyKey: key } },
          }),
        )
      : null;
  const first = await existing();
  if (first) return first;
  try {
    return await tx(ctx, async (t) => {
      const job = await t.job.create({
        data: {
          tenantId: ctx.tenantId,
          type: input.type,
          params: params as Prisma.InputJsonObject,
          idempotencyKey: key ?? null,
          createdById: ctx.principal.subject,
          createdByName: actorName(ctx.principal),
        },
      });
      await recordAudit(t, ctx, {
        action: "job.started",
        entityType: "Job",
        entityId: job.id,
        after: { type: job.type, params },
      });
      return job;
    });
  } catch (error) {
    // A concurrent retry with the same key won the race: return its job.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const winner = await existing();
      if (winner) return winner;
    }
    throw error;
  }
}

/** Cancels a queued job at once, or asks a running one to stop at its next checkpoint. */
export function cancelJob(ctx: RequestContext, id: string): Promise<Job> {
  return tx(ctx, async (t) => {
    const job = await t.job.findUnique({ where: { id } });
    if (!job) throw notFound("Job", id);
    if (!mayRun(ctx, job.type) && job.createdById !== ctx.principal.subject) throw forbidden();
    let updated: Job;
    if (job.state === "QUEUED") {
      updated = await t.job.update({ where: { id }, data: { state: "CANCELLED", finishedAt: new Date() } });
    } else if (job.state === "RUNNING") {
      updated = await t.job.update({ where: { id }, data: { cancelRequested: true } });
    } else {
      throw invalidTransition("Job", job.state, "CANCELLED");
    }
    await recordAudit(t, ctx, {
      action: "job.cancelled",
      entityType: "Job",
      entityId: id,
      before: { state: job.state, cancelRequested: job.cancelRequested },
      after: { state: updated.state, cancelRequested: updated.cancelRequested },
    });
    return updated;
  });
}

const SORTABLE = ["createdAt", "finishedAt", "state", "type"] as const;

function jobWhere(filter: JobFilter = {}): Prisma.JobWhereInput {
  return {
    ...(filter.ids ? { id: { in: filter.ids } } : {}),
    ...(filter.type ? { type: filter.type } : {}),
    ...(filter.state ? { state: filter.state } : {}),
  };
}

const listFields = { omit: { checkpoint: true } } as const;

export function findJobs(ctx: RequestContext, args: JobListArgs) {
  const { skip, take, orderBy } = paging(args, SORTABLE, "createdAt");
  return tx(ctx, (t) => t.job.findMany({ where: jobWhere(args.filter), skip, take, orderBy, ...listFields }));
}

export function countJobs(ctx: RequestContext, args: JobListArgs) {
  return tx(ctx, (t) => t.job.count({ where: jobWhere(args.filter) }));
}

export function findJob(ctx: RequestContext, id: string) {
  return tx(ctx, (t) => t.job.findUnique({ where: { id }, ...listFields }));
}

export function hasOutput(ctx: RequestContext, id: string) {
  return tx(ctx, async (t) => (await t.jobOutput.count({ where: { jobId: id } })) > 0);
}

export function findJobOutput(ctx: RequestContext, id: string) {
  return tx(ctx, (t) => t.jobOutput.findUnique({ where: { jobId: id } }));
}
