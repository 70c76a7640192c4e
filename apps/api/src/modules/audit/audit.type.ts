import { GraphQLJSON } from "graphql-scalars";
import { IsOptional, IsUUID, MaxLength } from "class-validator";
import { ArgsType, Field, ID, InputType, ObjectType } from "type-graphql";
import { ListArgs } from "../../graphql/list.ts";

@ObjectType({ description: "An append-only record of one change, written in the change's own transaction" })
export class AuditEvent {
  @Field(() => ID, { description: "Unique id" })
  id!: string;

  @Field(() => Date, { description: "When the change was committed" })
  occurredAt!: Date;

  @Field(() => String, { description: "Subject (`sub`) of the token that made the change" })
  actorId!: string;

  @Field(() => String, { description: "Display name of the actor at the time" })
  actorName!: string;

  @Field(() => ID, { name: "departmentId", description: "Department the change belongs to" })
  tenantId!: string;

  @Field(() => String, { description: "What happened, as `entity.verb`, e.g. `user.signed_in`" })
  action!: string;

  @Field(() => String, { description: "Type of the changed entity, e.g. `Department`" })
  entityType!: string;

  @Field(() => String, { nullable: true, description: "Id of the changed entity" })
  entityId!: string | null;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: "The entity before the change (changed fields only)",
  })
  before!: unknown;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: "The entity after the change (changed fields only)",
  })
  after!: unknown;

  @Field(() => String, {
    nullable: true,
    description: "Id of the request that made the change (also in the logs)",
  })
  requestId!: string | null;
}

@InputType({ description: "Filters of the audit log; all given filters must match" })
export class AuditEventFilter {
  @Field(() => String, {
    nullable: true,
    description: "Text found in the action, entity type, entity id or actor name",
  })
  @IsOptional()
  @MaxLength(200)
  q?: string;

  @Field(() => [ID], { nullable: true, description: "Only these events" })
  @IsOptional()
  @IsUUID("all", { each: true })
  ids?: string[];

  @Field(() => String, { nullable: true, description: "Exact action" })
  action?: string;

  @Field(() => String, { nullable: true, description: "Exact entity type" })
  entityType?: string;

  @Field(() => String, { nullable: true, description: "Exact entity id" })
  entityId?: string;

  @Field(() => String, { nullable: true, description: "Exact actor subject" })
  actorId?: string;

  @Field(() => Date, { nullable: true, description: "Occurred at or after" })
  occurredAt_gte?: Date;

  @Field(() => Date, { nullable: true, description: "Occurred at or before" })
  occurredAt_lte?: Date;
}

@ArgsType()
export class AuditEventListArgs extends ListArgs {
  @Field(() => AuditEventFilter, { nullable: true, description: "Filters" })
  filter?: AuditEventFilter;
}
