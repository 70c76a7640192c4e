// Scheduled syncs. `dueDataSources(db, now)` lists the enabled sources with a
// schedule whose last sync ended at least `scheduleMinutes` ago (or that never
// synced) and have no sync queued or running, across departments (through the
// SECURITY DEFINER function app_due_data_sources). `queueDueSyncs` starts a
// DATA_SOURCE_SYNC job for each, in its department, as the scheduler;
// `startDataSourceScheduler` does so every minute in a worker process. Any
// number of workers may run it: starting a sync takes a per-source lock and
// re-checks, so a due source gets one job.
import { randomUUID } from "node:crypto";
import type { Db, Job } from "@pbms/db";
import { Role } from "../../auth/roles.ts";
import type { RequestContext } from "../../context.ts";
import type { Logger } from "../../logger.ts";
import { startScheduledSync } from "./datasource.service.ts";

/** Who scheduled syncs run as (the jobs' createdBy and the audit events' actor). */
export const SCHEDULER_ACTOR = {
  subject: "system:data-source-scheduler",
  name: "Data source scheduler",
} as const;

export interface DueDataSource {
  tenantId: string;
  id: string;
}

/** The data sources due for a scheduled sync at `now`, least recently synced first. */
export function dueDataSources(db: Db, now: Date = new Date()): Promise<DueDataSource[]> {
  return db.$queryRaw<DueDataSource[]>`
    SELECT tenant_id::text AS "tenantId", id::text AS id FROM app_due_data_sources(${now}::timestamptz)`;
}

function schedulerContext(db: Db, log: Logger, tenantId: string): RequestContext {
  return {
    requestId: `scheduler:${randomUUID()}`,
    tenantId,
    db,
    log,
    principal: {
      subject: SCHEDULER_ACTOR.subject,
      username: SCHEDULER_ACTOR.subject,
      name: SCHEDULER_ACTOR.name,
      email: undefined,
      roles: [Role.Admin],
      tenantCode: "",
      clientId: undefined,
    },
  };
}

/** Queues a sync of every due data source; returns the jobs queued. */
export async function queueDueSyncs(db: Db, log: Logger, now: Date = new Date()): Promise<Job[]> {
  const jobs: Job[] = [];
  for (const due of await dueDataSources(db, now)) {
    try {
      const job = await startScheduledSync(schedulerContext(db, log, due.tenantId), due.id, now);
      if (job) jobs.push(job);
    } catch (err) {
      // CONFLICT: another scheduler or a user started one meanwhile.
      const code = (err as { extensions?: { code?: string } }).extensions?.code;
      if (code !== "CONFLICT")
        log.warn({ err, dataSourceId: due.id }, "scheduled data source sync not started");
    }
  }
  if (jobs.length) log.info({ jobs: jobs.map((j) => j.id) }, "scheduled data source syncs queued");
  return jobs;
}

/**
 * Checks for due data sources every `intervalMs` (default one minute) until
 * the returned function is called; run it in the worker process next to the
 * JobWorker, e.g. `stops.push(startDataSourceScheduler(db, log))`.
 */
export function startDataSourceScheduler(
  db: Db,
  log: Logger,
  options: { intervalMs?: number } = {},
): () => Promise<void> {
  const interval = options.intervalMs ?? 60_000;
  let stopped = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    running = queueDueSyncs(db, log)
      .then(() => undefined)
      .catch((err: unknown) => log.error({ err }, "data source scheduler failed"))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, interval).unref();
      });
  };
  timer = setTimeout(tick, Math.min(interval, 5_000)).unref();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
