import { Args, Authorized, Ctx, Query, Resolver } from "type-graphql";
import { Role } from "../../auth/roles.ts";
import type { RequestContext } from "../../context.ts";
import { IdArgs, ListMetadata } from "../../graphql/list.ts";
import { AuditEvent, AuditEventListArgs } from "./audit.type.ts";
import { countAuditEvents, findAuditEvent, findAuditEvents } from "./audit.service.ts";

const READERS = [Role.Admin, Role.Auditor];

@Resolver(() => AuditEvent)
export class AuditEventResolver {
  @Authorized(READERS)
  @Query(() => AuditEvent, { nullable: true, description: "One audit event of your department" })
  auditEvent(@Ctx() ctx: RequestContext, @Args(() => IdArgs) { id }: IdArgs) {
    return findAuditEvent(ctx, id);
  }

  @Authorized(READERS)
  @Query(() => [AuditEvent], { description: "Audit events of your department, newest first by default" })
  auditEvents(@Ctx() ctx: RequestContext, @Args(() => AuditEventListArgs) args: AuditEventListArgs) {
    return findAuditEvents(ctx, args);
  }

  @Authorized(READERS)
  @Query(() => ListMetadata, { description: "Number of audit events matching the filter" })
  async _auditEventsMeta(
    @Ctx() ctx: RequestContext,
    @Args(() => AuditEventListArgs) args: AuditEventListArgs,
  ) {
    return { count: await countAuditEvents(ctx, args) };
  }
}
