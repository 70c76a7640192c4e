import "reflect-metadata";
import { GraphQLDateTime } from "graphql-scalars";
import { GraphQLObjectType, GraphQLSchema } from "graphql";
import { buildSchema, getMetadataStorage, type AuthChecker } from "type-graphql";
import type { RequestContext } from "../context.ts";
import { AuditEventResolver } from "../modules/audit/audit.resolver.ts";
import {
  DedupRuleResolver,
  DuplicateSetResolver,
  RegistrantMergeResolver,
} from "../modules/dedup/dedup.resolver.ts";
import { DataSourceRecordResolver, DataSourceResolver } from "../modules/datasources/datasource.resolver.ts";
import { ImportResolver } from "../modules/imports/import.resolver.ts";
import { JobResolver } from "../modules/jobs/job.resolver.ts";
import { TenancyResolver } from "../modules/tenancy/tenancy.resolver.ts";
import {
  AttributeDefinitionResolver,
  GeoZoneResolver,
  IdTypeResolver,
  MembershipKindResolver,
} from "../modules/registry/reference.resolver.ts";
import { RegistrantResolver } from "../modules/registry/registrant.resolver.ts";
import "../modules/jobs/types/index.ts";

export const resolvers = [
  AuditEventResolver,
  JobResolver,
  TenancyResolver,
  GeoZoneResolver,
  IdTypeResolver,
  MembershipKindResolver,
  AttributeDefinitionResolver,
  RegistrantResolver,
  ImportResolver,
  DedupRuleResolver,
  DuplicateSetResolver,
  RegistrantMergeResolver,
  DataSourceResolver,
  DataSourceRecordResolver,
] as const;

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

/**
 * type-graphql cannot describe the root types; add their descriptions, and
 * append the roles each operation allows to its description for integrators.
 */
function describeRoots(schema: GraphQLSchema): GraphQLSchema {
  const config = schema.toConfig();
  const storage = getMetadataStorage();
  const roles = new Map<string, string[]>();
  for (const op of [...storage.queries, ...storage.mutations]) {
    const auth = storage.authorizedFields.find(
      (f) => f.target === op.target && f.fieldName === op.methodName,
    );
    if (auth) roles.set(op.schemaName, auth.roles as string[]);
  }
  const describe = (type: GraphQLObjectType | null | undefined, description: string) => {
    if (!type) return undefined;
    const typeConfig = type.toConfig();
    const fields = Object.fromEntries(
      Object.entries(typeConfig.fields).map(([name, field]) => {
        const allowed = roles.get(name);
        return [
          name,
          allowed
            ? { ...field, description: `${field.description ?? ""}. Roles: ${allowed.join(", ")}.` }
            : field,
        ];
      }),
    );
    return new GraphQLObjectType({ ...typeConfig, fields, description });
  };
  return new GraphQLSchema({
    ...config,
    query: describe(
      config.query,
      "Reads. Every field requires a bearer token; each names the roles it allows.",
    ),
    mutation: describe(config.mutation, "Changes. Each runs in one transaction and writes an audit event."),
    types: config.types.filter((t) => t.name !== "Query" && t.name !== "Mutation"),
  });
}
