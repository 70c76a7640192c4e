import type { Readable } from "node:stream";
import type { Db, Job, JobType } from "@pbms/db";
import { Role } from "../../auth/roles.ts";
import { AppError, ErrorCode } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import type { Storage } from "../../storage/storage.ts";

/** What a job handler gets: its job row and ways to report progress and notice cancellation. */
export interface JobRun {
  job: Job;
  db: Db;
  log: Logger;
  /** Application-role connection string, for work that needs its own pg connection (COPY). */
  databaseUrl: string;
  /** Where uploaded files are kept. */
  storage: Storage;
  /**
   * Streams `body` into storage as the job's file, never holding it whole in
   * memory; return the result as `output`. If the job then fails or is
   * cancelled, the worker deletes the file again.
   */
  writeOutput(meta: JobOutputMeta, body: Readable): Promise<JobOutputFile>;
  /** Records progress (and optionally a resume checkpoint) in its own committed transaction. */
  progress(done: number, total?: number, checkpoint?: unknown): Promise<void>;
  /** True once a user asked to cancel; handlers check it between chunks and return early. */
  cancelRequested(): Promise<boolean>;
}

/** Name and type of a job's file, as the download will present it. */
export interface JobOutputMeta {
  fileName: string;
  contentType: string;
}

/** A job's file, written to storage by `JobRun.writeOutput`. */
export interface JobOutputFile extends JobOutputMeta {
  storageKey: string;
  byteSize: number;
  sha256: string;
}

/** A small file handed over whole; the worker writes it to storage like any other. */
export interface JobOutputBytes extends JobOutputMeta {
  data: Buffer;
}

export interface JobOutcome {
  result: Record<string, unknown>;
  /**
   * The job's downloadable file. Either way it ends up in storage and the
   * database keeps only its key; large files are streamed with `writeOutput`.
   */
  output?: JobOutputFile | JobOutputBytes;
}

export interface JobDefinition {
  /** Roles allowed to start it (admins always may). */
  roles: Role[];
  /** Checks and normalises the parameters when the job is started. */
  parseParams(params: Record<string, unknown>): Record<string, unknown>;
  run(run: JobRun): Promise<JobOutcome>;
}

const registry = new Map<JobType, JobDefinition>();

export function defineJob(type: JobType, definition: JobDefinition): void {
  registry.set(type, definition);
}

export function jobDefinition(type: JobType): JobDefinition {
  const definition = registry.get(type);
  if (!definition)
    throw new AppError(ErrorCode.BadUserInput, `Jobs of type ${type} are not available yet`, {
      field: "input.type",
    });
  return definition;
}

export function registeredJobTypes(): JobType[] {
  return [...registry.keys()];
}

export { Role };

/** A failure that retrying cannot fix (bad input, missing file): the job fails at once. */
export class JobFailure extends Error {}
