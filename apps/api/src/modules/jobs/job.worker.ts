import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import pg from "pg";
import { inTenant, type Prisma, type Db, type Job } from "@pbms/db";
import type { Logger } from "../../logger.ts";
import type { Storage } from "../../storage/storage.ts";
import {
  JobFailure,
  jobDefinition,
  registeredJobTypes,
  type JobOutputFile,
  type JobRun,
} from "./job.registry.ts";

/**
 * Largest file a job may write: what an S3 multipart upload of 5 MiB parts
 * (10,000 at most) holds, so an output upload keeps its memory at the
 * smallest part size.
 */
const JOB_OUTPUT_MAX_BYTES = 10_000 * 5 * 1024 * 1024;

export interface WorkerOptions {
  /** Application-role connection string: LISTEN for wake-ups, and handlers' own connections (COPY). */
  databaseUrl: string;
  /** Where uploaded files are kept and job outputs are written. */
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
    const { storage } = this.options;
    // Files this attempt wrote; all but the one recorded as the output are deleted at the end.
    const written: string[] = [];
    let kept: string | undefined;
    const writeOutput: JobRun["writeOutput"] = async (meta, body) => {
      const stored = await storage.put(job.tenantId, body, JOB_OUTPUT_MAX_BYTES);
      written.push(stored.key);
      return { ...meta, storageKey: stored.key, byteSize: stored.byteSize, sha256: stored.sha256 };
    };
    const run: JobRun = {
      job,
      db: this.db,
      log,
      databaseUrl: this.options.databaseUrl,
      storage,
      writeOutput,
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
      let output: JobOutputFile | undefined;
      if (outcome.output && "data" in outcome.output) {
        const { fileName, contentType, data } = outcome.output;
        output = await writeOutput({ fileName, contentType }, Readable.from([data], { objectMode: false }));
      } else if (outcome.output) {
        output = outcome.output;
        if (!written.includes(output.storageKey))
          throw new Error("a job's output must be written with writeOutput");
      }
      const recorded = await inTenant(this.db, scope, async (t) => {
        const current = await t.job.findUniqueOrThrow({
          where: { id: job.id },
          select: { cancelRequested: true },
        });
        if (current.cancelRequested) {
          await t.job.update({
            where: { id: job.id },
            data: { state: "CANCELLED", finishedAt: new Date(), lockedBy: null },
          });
          return false;
        }
        if (output) {
          await t.jobOutput.create({
            data: {
              jobId: job.id,
              tenantId: job.tenantId,
              fileName: output.fileName,
              contentType: output.contentType,
              byteSize: output.byteSize,
              storageKey: output.storageKey,
              sha256: output.sha256,
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
        return true;
      });
      if (recorded) kept = output?.storageKey;
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
      for (const key of written.filter((k) => k !== kept))
        await storage.remove(key).catch((err) => log.warn({ err, key }, "could not delete an unused output"));
    }
  }
}
