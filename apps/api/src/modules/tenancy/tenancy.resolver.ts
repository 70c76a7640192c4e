import { Args, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { ALL_ROLES, Role } from "../../auth/roles.ts";
import type { RequestContext } from "../../context.ts";
import { IdArgs, ListMetadata } from "../../graphql/list.ts";
import {
  DashboardStats,
  Department,
  UpdateDepartmentArgs,
  UserProfile,
  UserProfileListArgs,
  Viewer,
} from "./tenancy.type.ts";
import {
  countUserProfiles,
  dashboardStats,
  findDepartment,
  findOwnDepartment,
  findUserProfile,
  findUserProfiles,
  recordSignIn,
  updateDepartment,
} from "./tenancy.service.ts";

@Resolver()
export class TenancyResolver {
  @Authorized(ALL_ROLES)
  @Query(() => Viewer, { description: "The signed-in caller and their department" })
  async viewer(@Ctx() ctx: RequestContext): Promise<Viewer> {
    const p = ctx.principal;
    return {
      id: p.subject,
      username: p.username,
      name: p.name ?? null,
      roles: p.roles,
      department: await findOwnDepartment(ctx),
    };
  }

  @Authorized(ALL_ROLES)
  @Query(() => DashboardStats, { description: "Counts for the dashboard of your department" })
  dashboardStats(@Ctx() ctx: RequestContext) {
    return dashboardStats(ctx);
  }

  @Authorized([Role.Admin])
  @Query(() => Department, {
    nullable: true,
    description: "Your department (other departments are not visible)",
  })
  department(@Ctx() ctx: RequestContext, @Args(() => IdArgs) { id }: IdArgs) {
    return findDepartment(ctx, id);
  }

  @Authorized([Role.Admin])
  @Mutation(() => Department, { description: "Changes your department's settings" })
  updateDepartment(@Ctx() ctx: RequestContext, @Args(() => UpdateDepartmentArgs) args: UpdateDepartmentArgs) {
    return updateDepartment(ctx, args);
  }

  @Authorized(ALL_ROLES)
  @Mutation(() => UserProfile, {
    description:
      "Records that the caller signed in (user directory entry + audit event); call once per sign-in",
  })
  recordSignIn(@Ctx() ctx: RequestContext) {
    return recordSignIn(ctx);
  }

  @Authorized([Role.Admin])
  @Query(() => UserProfile, { nullable: true, description: "One user of your department" })
  userProfile(@Ctx() ctx: RequestContext, @Args(() => IdArgs) { id }: IdArgs) {
    return findUserProfile(ctx, id);
  }

  @Authorized([Role.Admin])
  @Query(() => [UserProfile], { description: "Users of your department with the roles their tokens carried" })
  userProfiles(@Ctx() ctx: RequestContext, @Args(() => UserProfileListArgs) args: UserProfileListArgs) {
    return findUserProfiles(ctx, args);
  }

  @Authorized([Role.Admin])
  @Query(() => ListMetadata, { description: "Number of users matching the filter" })
  async _userProfilesMeta(
    @Ctx() ctx: RequestContext,
    @Args(() => UserProfileListArgs) args: UserProfileListArgs,
  ) {
    return { count: await countUserProfiles(ctx, args) };
  }
}
