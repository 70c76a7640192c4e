import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import { ALL_ROLES } from "../../auth/roles.ts";
import type { RequestContext } from "../../context.ts";
import { IdArgs, ListMetadata } from "../../graphql/list.ts";
import { Job, JobListArgs, StartJobInput } from "./job.type.ts";
import { cancelJob, countJobs, findJob, findJobs, hasOutput, startJob } from "./job.service.ts";

@Resolver(() => Job)
export class JobResolver {
  @Authorized(ALL_ROLES)
  @Query(() => Job, { nullable: true, description: "One job of your department" })
  job(@Ctx() ctx: RequestContext, @Args(() => IdArgs) { id }: IdArgs) {
    return findJob(ctx, id);
  }

  @Authorized(ALL_ROLES)
  @Query(() => [Job], { description: "Jobs of your department, newest first by default" })
  jobs(@Ctx() ctx: RequestContext, @Args(() => JobListArgs) args: JobListArgs) {
    return findJobs(ctx, args);
  }

  @Authorized(ALL_ROLES)
  @Query(() => ListMetadata, { description: "Number of jobs matching the filter" })
  async _jobsMeta(@Ctx() ctx: RequestContext, @Args(() => JobListArgs) args: JobListArgs) {
    return { count: await countJobs(ctx, args) };
  }

  @Authorized(ALL_ROLES)
  @Mutation(() => Job, { description: "Queues a background job; the roles allowed depend on its type" })
  startJob(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => StartJobInput, { description: "What to run and with which parameters" })
    input: StartJobInput,
  ) {
    return startJob(ctx, input);
  }

  @Authorized(ALL_ROLES)
  @Mutation(() => Job, { description: "Cancels a queued job, or asks a running job to stop" })
  cancelJob(@Ctx() ctx: RequestContext, @Args(() => IdArgs) { id }: IdArgs) {
    return cancelJob(ctx, id);
  }

  @FieldResolver(() => Number, { description: "Progress from 0 to 100 (0 while the total is unknown)" })
  progressPercent(@Root() job: Job): number {
    if (job.state === "SUCCEEDED") return 100;
    if (!job.progressTotal) return 0;
    return Math.min(100, Math.round((job.progressDone / job.progressTotal) * 1000) / 10);
  }

  @FieldResolver(() => Boolean, { description: "The job produced a file to download" })
  hasOutput(@Ctx() ctx: RequestContext, @Root() job: Job) {
    return job.state === "SUCCEEDED" ? hasOutput(ctx, job.id) : false;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "Where to download the job's file (GET with the same bearer token)",
  })
  async outputUrl(@Ctx() ctx: RequestContext, @Root() job: Job) {
    return job.state === "SUCCEEDED" && (await hasOutput(ctx, job.id)) ? `/jobs/${job.id}/output` : null;
  }
}
