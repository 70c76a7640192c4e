import { GraphQLJSON } from "graphql-scalars";
import { IsOptional, IsUUID, Length, Matches } from "class-validator";
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { JobState, JobType } from "@pbms/db";
import { ListArgs } from "../../graphql/list.ts";

registerEnumType(JobType, {
  name: "JobType",
  description: "Kinds of background work",
  valuesConfig: {
    AUDIT_EXPORT: { description: "Export the department's audit log (optionally filtered) to CSV" },
    REGISTRY_IMPORT: { description: "Import groups or individuals from an uploaded CSV file" },
    REGISTRY_EXPORT: { description: "Export the registrants matching a filter to CSV" },
    DEDUPLICATION: { description: "Find possible duplicate registrants with the department's rules" },
    DATA_SOURCE_SYNC: {
      description: "Pull a data source's records from its G2P Connect registry into the registry",
    },
  },
});
registerEnumType(JobState, {
  name: "JobState",
  description: "Life cycle of a job: QUEUED → RUNNING → SUCCEEDED | FAILED; QUEUED/RUNNING → CANCELLED",
  valuesConfig: {
    QUEUED: { description: "Waiting for a worker" },
    RUNNING: { description: "A worker is on it" },
    SUCCEEDED: { description: "Finished; see result" },
    FAILED: { description: "Gave up; see error" },
    CANCELLED: { description: "Stopped at a user's request" },
  },
});

@ObjectType({ description: "A unit of background work with its progress" })
export class Job {
  @Field(() => ID, { description: "Unique id" })
  id!: string;

  @Field(() => JobType, { description: "What the job does" })
  type!: JobType;

  @Field(() => JobState, { description: "Where the job is in its life cycle" })
  state!: JobState;

  @Field(() => GraphQLJSON, { description: "Parameters given when the job was started" })
  params!: unknown;

  @Field(() => Int, { description: "Units of work done so far" })
  progressDone!: number;

  @Field(() => Int, { nullable: true, description: "Units of work in total, once known" })
  progressTotal!: number | null;

  @Field(() => GraphQLJSON, { nullable: true, description: "Outcome of a finished job" })
  result!: unknown;

  @Field(() => String, { nullable: true, description: "Why the job failed" })
  error!: string | null;

  @Field(() => Int, { description: "How many times a worker started it" })
  attempts!: number;

  @Field(() => Boolean, {
    description: "Cancellation was requested and the job will stop at its next checkpoint",
  })
  cancelRequested!: boolean;

  @Field(() => String, { description: "Subject of the user who started it" })
  createdById!: string;

  @Field(() => String, { description: "Name of the user who started it" })
  createdByName!: string;

  @Field(() => Date, { description: "When it was queued" })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: "When a worker first started it" })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: "When it ended" })
  finishedAt!: Date | null;
}

@InputType({ description: "Filters of the job list" })
export class JobFilter {
  @Field(() => [ID], { nullable: true, description: "Only these jobs" })
  @IsOptional()
  @IsUUID("all", { each: true })
  ids?: string[];

  @Field(() => JobType, { nullable: true, description: "Only jobs of this type" })
  type?: JobType;

  @Field(() => JobState, { nullable: true, description: "Only jobs in this state" })
  state?: JobState;
}

@ArgsType()
export class JobListArgs extends ListArgs {
  @Field(() => JobFilter, { nullable: true, description: "Filters" })
  filter?: JobFilter;
}

@InputType({ description: "Starts a background job" })
export class StartJobInput {
  @Field(() => JobType, { description: "What to run" })
  type!: JobType;

  @Field(() => GraphQLJSON, { nullable: true, description: "Parameters of the job type (see the API guide)" })
  params?: Record<string, unknown>;

  @Field(() => String, {
    nullable: true,
    description:
      "Client-chosen key: retrying with the same key returns the first job instead of starting another",
  })
  @IsOptional()
  @Length(1, 100)
  @Matches(/^[\w.:-]+$/, { message: "idempotencyKey may contain letters, digits, _ . : - only" })
  idempotencyKey?: string;
}
