import "reflect-metadata";
import { GraphQLDateTime } from "graphql-scalars";
import { GraphQLObjectType, GraphQLSchema } from "graphql";
import { buildSchema, type AuthChecker } from "type-graphql";
import type { RequestContext } from "../context.ts";
import { AuditEventResolver } from "../modules/audit/audit.resolver.ts";
import { JobResolver } from "../modules/jobs/job.resolver.ts";
import { TenancyResolver } from "../modules/tenancy/tenancy.resolver.ts";
import "../modules/jobs/types/index.ts";

export const resolvers = [AuditEventResolver, JobResolver, TenancyResolver] as const;

/** Grants an operation when the caller's token carries one of the roles it declares. */
export const authChecker: AuthChecker<RequestContext> = ({ context }, roles) =>
  roles.some((role) => context.principal.roles.includes(role as never));

let cached: Promise<GraphQLSchema> | undefined;

/** Builds the schema once per process. */
export function pbmsSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers,
    authChecker,
    authMode: "error",
    validate: { forbidUnknownValues: false },
    scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
  }).then(describeRoots);
  return cached;
}

/** type-graphql cannot describe the root types; add their descriptions. */
function describeRoots(schema: GraphQLSchema): GraphQLSchema {
  const config = schema.toConfig();
  const describe = (type: GraphQLObjectType | null | undefined, description: string) =>
    type ? new GraphQLObjectType({ ...type.toConfig(), description }) : undefined;
  return new GraphQLSchema({
    ...config,
    query: describe(config.query, "Reads. Every field requires a bearer token; each names the roles it allows."),
    mutation: describe(config.mutation, "Changes. Each runs in one transaction and writes an audit event."),
    types: config.types.filter((t) => t.name !== "Query" && t.name !== "Mutation"),
  });
}
