import DataLoader from "dataloader";
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { Role } from "../../auth/roles.ts";
import type { RequestContext } from "../../context.ts";
import { IdArgs, ListMetadata } from "../../graphql/list.ts";
import { Job } from "../jobs/job.type.ts";
import { toRegistrant } from "../registry/registrant.service.ts";
import { Registrant } from "../registry/registry.type.ts";
import {
  countDedupRules,
  countDuplicateSets,
  findDedupRule,
  findDedupRules,
  findDuplicateSet,
  findDuplicateSets,
  markNotDuplicate,
  membersOf,
  runDeduplication,
  updateDedupRule,
} from "./dedup.service.ts";
import {
  DedupRule,
  DedupRuleListArgs,
  DuplicateSet,
  DuplicateSetListArgs,
  MarkNotDuplicateInput,
  MergeRegistrantsInput,
  RegistrantMerge,
  RegistrantMergeListArgs,
  RevertMergeInput,
  RunDeduplicationInput,
  UpdateDedupRuleArgs,
} from "./dedup.type.ts";
import {
  countMerges,
  findMerge,
  findMerges,
  mergeRegistrants,
  mergesOfSets,
  registrantsById,
  revertMerge,
} from "./merge.service.ts";

/** Who may run deduplication and decide duplicate sets. */
export const DEDUP_DECIDERS = [Role.Admin, Role.Registrar];
/** Who may read rules, duplicate sets and merges (identifiers stay masked for viewers). */
export const DEDUP_READERS = [Role.Admin, Role.Registrar, Role.ProgramManager, Role.Auditor, Role.Viewer];

/** Per-request batch loaders, so a page of sets costs one query per relation. */
const loaders = new WeakMap<RequestContext, ReturnType<typeof createLoaders>>();
function createLoaders(ctx: RequestContext) {
  return {
    members: new DataLoader((ids: readonly string[]) => membersOf(ctx, ids)),
    merges: new DataLoader((ids: readonly string[]) => mergesOfSets(ctx, ids)),
    registrants: new DataLoader((ids: readonly string[]) => registrantsById(ctx, ids)),
  };
}
const load = (ctx: RequestContext) => {
  let l = loaders.get(ctx);
  if (!l) loaders.set(ctx, (l = createLoaders(ctx)));
  return l;
};

@Resolver(() => DedupRule)
export class DedupRuleResolver {
  @Authorized(DEDUP_READERS)
  @Query(() => DedupRule, { nullable: true, description: "One deduplication rule of your department" })
  dedupRule(@Ctx() ctx: RequestContext, @Args(() => IdArgs) { id }: IdArgs) {
    return findDedupRule(ctx, id);
  }

  @Authorized(DEDUP_READERS)
  @Query(() => [DedupRule], { description: "The deduplication rules of your department (one per kind)" })
  dedupRules(@Ctx() ctx: RequestContext, @Args(() => DedupRuleListArgs) args: DedupRuleListArgs) {
    return findDedupRules(ctx, args);
  }

  @Authorized(DEDUP_READERS)
  @Query(() => ListMetadata, { description: "Number of deduplication rules matching the filter" })
  async _dedupRulesMeta(@Ctx() ctx: RequestContext, @Args(() => DedupRuleListArgs) args: DedupRuleListArgs) {
    return { count: await countDedupRules(ctx, args) };
  }

  @Authorized([Role.Admin])
  @Mutation(() => DedupRule, {
    description: "Enables or disables a rule or changes its name threshold and birth date tolerance",
  })
  updateDedupRule(@Ctx() ctx: RequestContext, @Args(() => UpdateDedupRuleArgs) args: UpdateDedupRuleArgs) {
    return updateDedupRule(ctx, args);
  }
}

@Resolver(() => DuplicateSet)
export class DuplicateSetResolver {
  @Authorized(DEDUP_READERS)
  @Query(() => DuplicateSet, { nullable: true, description: "One duplicate set of your department" })
  duplicateSet(@Ctx() ctx: RequestContext, @Args(() => IdArgs) { id }: IdArgs) {
    return findDuplicateSet(ctx, id);
  }

  @Authorized(DEDUP_READERS)
  @Query(() => [DuplicateSet], {
    description: "Possible duplicates found by deduplication runs, highest score first by default",
  })
  duplicateSets(@Ctx() ctx: RequestContext, @Args(() => DuplicateSetListArgs) args: DuplicateSetListArgs) {
    return findDuplicateSets(ctx, args);
  }

  @Authorized(DEDUP_READERS)
  @Query(() => ListMetadata, { description: "Number of duplicate sets matching the filter" })
  async _duplicateSetsMeta(
    @Ctx() ctx: RequestContext,
    @Args(() => DuplicateSetListArgs) args: DuplicateSetListArgs,
  ) {
    return { count: await countDuplicateSets(ctx, args) };
  }

  @Authorized(DEDUP_DECIDERS)
  @Mutation(() => Job, {
    description:
      "Starts a DEDUPLICATION job with the enabled rules; CONFLICT while another one is queued or running. Use this rather than startJob",
  })
  runDeduplication(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => RunDeduplicationInput, {
      nullable: true,
      description: "Which rules to run (default: all enabled rules)",
    })
    input?: RunDeduplicationInput,
  ) {
    return runDeduplication(ctx, input ?? {});
  }

  @Authorized(DEDUP_DECIDERS)
  @Mutation(() => DuplicateSet, {
    description: "Records that an OPEN set's members are different registrants; later runs keep it so",
  })
  markNotDuplicate(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => MarkNotDuplicateInput, { description: "The set" }) input: MarkNotDuplicateInput,
  ) {
    return markNotDuplicate(ctx, input);
  }

  @Authorized(DEDUP_DECIDERS)
  @Mutation(() => DuplicateSet, {
    description:
      "Merges the other members of an OPEN set into the survivor in one step: their identifiers, phones, accounts and memberships move to it and they become INACTIVE. Reversible with revertMerge",
  })
  mergeRegistrants(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => MergeRegistrantsInput, { description: "The set and the survivor" })
    input: MergeRegistrantsInput,
  ) {
    return mergeRegistrants(ctx, input);
  }

  @FieldResolver(() => [Registrant], {
    description: "The registrants of the set, oldest record first, for side-by-side review",
  })
  members(@Ctx() ctx: RequestContext, @Root() set: DuplicateSet) {
    return load(ctx).members.load(set.id);
  }

  @FieldResolver(() => [ID], { description: "Ids of the registrants of the set" })
  async registrantIds(@Ctx() ctx: RequestContext, @Root() set: DuplicateSet) {
    return (await load(ctx).members.load(set.id)).map((r) => r.id);
  }

  @FieldResolver(() => [RegistrantMerge], { description: "Merges made from this set, newest first" })
  merges(@Ctx() ctx: RequestContext, @Root() set: DuplicateSet) {
    return load(ctx).merges.load(set.id);
  }
}

@Resolver(() => RegistrantMerge)
export class RegistrantMergeResolver {
  @Authorized(DEDUP_READERS)
  @Query(() => RegistrantMerge, { nullable: true, description: "One merge of your department" })
  registrantMerge(@Ctx() ctx: RequestContext, @Args(() => IdArgs) { id }: IdArgs) {
    return findMerge(ctx, id);
  }

  @Authorized(DEDUP_READERS)
  @Query(() => [RegistrantMerge], { description: "Merges of duplicates, newest first by default" })
  registrantMerges(
    @Ctx() ctx: RequestContext,
    @Args(() => RegistrantMergeListArgs) args: RegistrantMergeListArgs,
  ) {
    return findMerges(ctx, args);
  }

  @Authorized(DEDUP_READERS)
  @Query(() => ListMetadata, { description: "Number of merges matching the filter" })
  async _registrantMergesMeta(
    @Ctx() ctx: RequestContext,
    @Args(() => RegistrantMergeListArgs) args: RegistrantMergeListArgs,
  ) {
    return { count: await countMerges(ctx, args) };
  }

  @Authorized(DEDUP_DECIDERS)
  @Mutation(() => RegistrantMerge, {
    description:
      "Reverses a merge: moves the recorded rows back, restores the merged registrant's status and re-opens its set",
  })
  revertMerge(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => RevertMergeInput, { description: "The merge" }) input: RevertMergeInput,
  ) {
    return revertMerge(ctx, input);
  }

  @FieldResolver(() => Registrant, { nullable: true, description: "The registrant that stayed" })
  async survivor(@Ctx() ctx: RequestContext, @Root() m: RegistrantMerge) {
    const r = await load(ctx).registrants.load(m.survivorId);
    return r ? toRegistrant(r) : null;
  }

  @FieldResolver(() => Registrant, { nullable: true, description: "The registrant merged into the survivor" })
  async merged(@Ctx() ctx: RequestContext, @Root() m: RegistrantMerge) {
    const r = await load(ctx).registrants.load(m.mergedId);
    return r ? toRegistrant(r) : null;
  }
}
