import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { inTenant, type Prisma, type Db, type Job } from "@pbms/db";
import type { Logger } from "../../logger.ts";
import type { Storage } from "../../storage/storage.ts";
import { JobFailure, jobDefinition, registeredJobTypes, type JobRun } from "./job.registry.ts";

export interface WorkerOptions {
  /** Application-role connection string: LISTEN for wake-ups, and handlers' own connections (COPY). */
  databaseUrl: string;
  /** Where uploaded files are kept. */
  storage: Storage;
  /** Wake up on NOTIFY instead of only polling. */
  listen?: boolean;
  pollMs?: number;
  heartbeatMs?: number;
  /** A RUNNING job without a heartbeat for this long is requeued (or failed after max attempts). */
  staleAfterMs?: number;
}

/**
 * Runs queued jobs one at a time. Jobs are claimed with FOR UPDATE SKIP LOCKED,
 * so any number of workers can share the queue; each job runs in transactions
 * scoped to its department, as the user who started it.
 */
export class JobWorker {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private running = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private listener: pg.Client | undefined;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly options: WorkerOptions,
  ) {}

  async start(): Promise<void> {
    this.running = true;
    if (this.options.listen !== false) {
      this.listener = new pg.Client({ connectionString: this.options.databaseUrl });
      await this.listener.connect();
      this.listener.on("notification", () => this.wake?.());
      this.listener.on("error", (err) =>
        this.log.warn({ err }, "job listener connection lost; polling only"),
      );
      await this.listener.query("LISTEN pbms_job");
    }
    this.loop = this.run();
    this.log.info({ worker: this.id, types: registeredJobTypes() }, "job worker started");
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let worked = false;
      try {
        worked = await this.runNext();
      } catch (err) {
        this.log.error({ err }, "job worker iteration failed");
      }
      if (!worked && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.pollMs ?? 2000);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  /** Claims and runs one job; returns false when none was ready. */
  async runNext(): Promise<boolean> {
    const staleAfter = this.options.staleAfterMs ?? 60_000;
    await this.db.$queryRaw`SELECT app_requeue_stale_jobs(${`${staleAfter} milliseconds`}::interval)`;
    const claimed = await this.db.$queryRaw<{ id: string; tenant_id: string; created_by_id: string }[]>`
      SELECT id, tenant_id, created_by_id FROM app_claim_job(${this.id}, ${registeredJobTypes()}::text[])`;
    const row = claimed[0];
    if (!row) return false;
    const scope = { tenantId: row.tenant_id, actorId: row.created_by_id, requestId: `job:${row.id}` };
    const job = await inTenant(this.db, scope, (t) => t.job.findUniqueOrThrow({ where: { id: row.id } }));
    await this.execute(job, scope);
    return true;
  }

  /** Runs claimed jobs until the queue is empty (tests and one-off runs). */
  async drain(): Promise<number> {
    let n = 0;
    while (await this.runNext()) n++;
    return n;
  }

  private async execute(
    job: Job,
    scope: { tenantId: string; actorId: string; requestId: string },
  ): Promise<void> {
    const log = this.log.child({ jobId: job.id, jobType: job.type });
    const update = (data: Prisma.JobUpdateInput) =>
      inTenant(this.db, scope, (t) => t.job.update({ where: { id: job.id }, data }));
    const heartbeat = setInterval(() => {
      update({ heartbeatAt: new Date() }).catch((err) => log.warn({ err }, "heartbeat failed"));
    }, this.options.heartbeatMs ?? 5000);
    const run: JobRun = {
      job,
      db: this.db,
      log,
      databaseUrl: this.options.databaseUrl,
      storage: this.options.storage,
      progress: async (done, total, checkpoint) => {
        await update({
          progressDone: done,
          ...(total === undefined ? {} : { progressTotal: total }),
          ...(checkpoint === undefined ? {} : { checkpoint: checkpoint as Prisma.InputJsonValue }),
          heartbeatAt: new Date(),
        });
      },
      cancelRequested: async () =>
        (
          await inTenant(this.db, scope, (t) =>
            t.job.findUniqueOrThrow({ where: { id: job.id }, select: { cancelRequested: true } }),
          )
        ).cancelRequested,
    };
    const started = Date.now();
    try {
      const outcome = await jobDefinition(job.type).run(run);
      await inTenant(this.db, scope, async (t) => {
        const current = await t.job.findUniqueOrThrow({
          where: { id: job.id },
          select: { cancelRequested: true },
        });
        if (current.cancelRequested) {
          await t.job.update({
            where: { id: job.id },
            data: { state: "CANCELLED", finishedAt: new Date(), lockedBy: null },
          });
          return;
        }
        if (outcome.output) {
          await t.jobOutput.create({
            data: {
              jobId: job.id,
              tenantId: job.tenantId,
              fileName: outcome.output.fileName,
              contentType: outcome.output.contentType,
              byteSize: outcome.output.data.length,
              data: new Uint8Array(outcome.output.data),
            },
          });
        }
        await t.job.update({
          where: { id: job.id },
          data: {
            state: "SUCCEEDED",
            result: outcome.result as Prisma.InputJsonObject,
            finishedAt: new Date(),
            lockedBy: null,
          },
        });
      });
      log.info({ ms: Date.now() - started }, "job finished");
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const retry = job.attempts < job.maxAttempts && !(err instanceof JobFailure);
      log.error({ err, retry }, "job failed");
      await update(
        retry
          ? {
              state: "QUEUED",
              error: message,
              lockedBy: null,
              runAfter: new Date(Date.now() + 2 ** job.attempts * 1000),
            }
          : { state: "FAILED", error: message, finishedAt: new Date(), lockedBy: null },
      );
    } finally {
      clearInterval(heartbeat);
    }
  }
}
