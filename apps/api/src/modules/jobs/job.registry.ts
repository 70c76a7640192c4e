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
  /** Records progress (and optionally a resume checkpoint) in its own committed transaction. */
  progress(done: number, total?: number, checkpoint?: unknown): Promise<void>;
  /** True once a user asked to cancel; handlers check it between chunks and return early. */
  cancelRequested(): Promise<boolean>;
}

export interface JobOutputFile {
  fileName: string;
  contentType: string;
  data: Buffer;
}

export interface JobOutcome {
  result: Record<string, unknown>;
  output?: JobOutputFile;
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
