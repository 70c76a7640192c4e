import { IsBoolean, IsInt, IsOptional, IsUUID, Length, Matches, Max, Min } from "class-validator";
import { GraphQLJSON } from "graphql-scalars";
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { DataSourceRecordStatus, JobState } from "@pbms/db";
import { ListArgs } from "../../graphql/list.ts";
// Registers JobState (lastSyncStatus).
import "../jobs/job.type.ts";

registerEnumType(DataSourceRecordStatus, {
  name: "DataSourceRecordStatus",
  description: "What the last sync of its data source found about a cached record",
  valuesConfig: {
    NEW: { description: "Seen for the first time" },
    CHANGED: { description: "Different from the sync before (or back after being absent); see previousRaw" },
    UNCHANGED: { description: "Same as in the sync before" },
    REMOVED: { description: "No longer returned by the registry (its registrant is kept)" },
  },
});

/** Names of data sources: they prefix the external ids of the registrants they create. */
export const DATA_SOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$/;

@ObjectType({
  description:
    "An external G2P Connect registry the department pulls records from. The client secret is write-only: it is never returned",
})
export class DataSource {
  @Field(() => ID, { description: "Unique id" })
  id!: string;
  @Field(() => String, {
    description: 'Unique name; the registrants it creates get the external id "<name>:<remote record id>"',
  })
  name!: string;
  @Field(() => String, {
    description: "Root URL of the registry API; records are searched at {baseUrl}/registry/sync/search",
  })
  baseUrl!: string;
  @Field(() => String, { description: "OAuth 2.0 token endpoint of the registry (client-credentials grant)" })
  tokenUrl!: string;
  @Field(() => String, { description: "Client id for the client-credentials grant" })
  clientId!: string;
  @Field(() => Boolean, { description: "A client secret is stored (encrypted; it is never returned)" })
  hasClientSecret!: boolean;
  @Field(() => GraphQLJSON, {
    description:
      "The G2P Connect search_criteria run by each sync (reg_type, query_type, query, sort…); pagination is set by the sync",
  })
  searchCriteria!: unknown;
  @Field(() => GraphQLJSON, {
    description:
      "Overrides of where record fields are read (recordId, givenName, familyName, additionalName, birthDate, sex, identifiers, groupName, members: a dot path or a list of paths), idTypes: remote identifier type → IdType code, and membershipKinds: remote relationship → MembershipKind code",
  })
  fieldMapping!: unknown;
  @Field(() => Int, { description: "Records asked for per page (1–500)" })
  pageSize!: number;
  @Field(() => Int, {
    nullable: true,
    description: "Sync automatically every this many minutes; null: only on request",
  })
  scheduleMinutes!: number | null;
  @Field(() => Boolean, { description: "Disabled sources are neither synced on schedule nor on request" })
  enabled!: boolean;
  @Field(() => String, {
    nullable: true,
    description:
      "URL of the registry's public signing keys (JWKS), e.g. {baseUrl}/registry/.well-known/jwks.json for another PBMS; when set, every response page must carry a valid Signature from one of them",
  })
  signatureJwksUrl!: string | null;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description:
      'Pinned public Ed25519 keys ({"keys": [JWK…]}) every response page must carry a valid Signature from; exclusive with signatureJwksUrl',
  })
  signatureKeys!: unknown;
  @Field(() => Boolean, {
    description:
      "Syncs verify the Signature of every response page (signatureJwksUrl or signatureKeys is set); false: responses are accepted without verification",
  })
  verifiesSignatures!: boolean;
  @Field(() => Date, { nullable: true, description: "When the last sync ended (successfully or not)" })
  lastSyncAt!: Date | null;
  @Field(() => JobState, {
    nullable: true,
    description: "Outcome of the last sync: RUNNING, SUCCEEDED, FAILED or CANCELLED",
  })
  lastSyncStatus!: JobState | null;
  @Field(() => ID, {
    nullable: true,
    description: "The job of the last sync (its result has the counts, its error the reason)",
  })
  lastSyncJobId!: string | null;
  @Field(() => Date, {
    nullable: true,
    description: "When the next scheduled sync is due (null without a schedule, or when disabled)",
  })
  nextSyncAt!: Date | null;
  @Field(() => Date, { description: "When the source was created" })
  createdAt!: Date;
  @Field(() => Date, { description: "Last change of its configuration or sync state" })
  updatedAt!: Date;
}

@ObjectType({ description: "A record of a data source as last pulled, and the registrant it maps to" })
export class DataSourceRecord {
  @Field(() => ID, { description: "Unique id" })
  id!: string;
  @Field(() => ID, { description: "The data source" })
  dataSourceId!: string;
  @Field(() => String, {
    description: "The record's id in the remote registry (its @id unless the field mapping says otherwise)",
  })
  externalId!: string;
  @Field(() => GraphQLJSON, { description: "The record as the registry sent it" })
  raw!: unknown;
  @Field(() => String, { description: "SHA-256 (hex) of the record's canonical JSON" })
  hash!: string;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description: "The record before its last change (null until it changes)",
  })
  previousRaw!: unknown;
  @Field(() => String, { nullable: true, description: "Hash of previousRaw" })
  previousHash!: string | null;
  @Field(() => DataSourceRecordStatus, { description: "What the last sync found" })
  status!: DataSourceRecordStatus;
  @Field(() => Date, { description: "When the registry last returned it" })
  fetchedAt!: Date;
  @Field(() => ID, {
    nullable: true,
    description: "The registrant it maps to (null for groups and records without a name)",
  })
  registrantId!: string | null;
  @Field(() => Date, { description: "When it was first pulled" })
  createdAt!: Date;
  @Field(() => Date, { description: "Last change" })
  updatedAt!: Date;
}

@InputType({ description: "Filters of the data source list" })
export class DataSourceFilter {
  @Field(() => [ID], { nullable: true, description: "Only these data sources" })
  @IsOptional()
  @IsUUID("all", { each: true })
  ids?: string[];
  @Field(() => String, { nullable: true, description: "Name or base URL contains this text" })
  @IsOptional()
  @Length(0, 200)
  q?: string;
  @Field(() => Boolean, { nullable: true, description: "Only enabled (true) or disabled (false) sources" })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

@ArgsType()
export class DataSourceListArgs extends ListArgs {
  @Field(() => DataSourceFilter, { nullable: true, description: "Filters" })
  filter?: DataSourceFilter;
}

@InputType({ description: "Filters of the cached records" })
export class DataSourceRecordFilter {
  @Field(() => [ID], { nullable: true, description: "Only these records" })
  @IsOptional()
  @IsUUID("all", { each: true })
  ids?: string[];
  @Field(() => ID, { nullable: true, description: "Only records of this data source" })
  @IsOptional()
  @IsUUID("all")
  dataSourceId?: string;
  @Field(() => DataSourceRecordStatus, { nullable: true, description: "Only records with this status" })
  status?: DataSourceRecordStatus;
  @Field(() => ID, { nullable: true, description: "Only records mapped to this registrant" })
  @IsOptional()
  @IsUUID("all")
  registrantId?: string;
  @Field(() => String, { nullable: true, description: "Remote record id contains this text" })
  @IsOptional()
  @Length(0, 200)
  q?: string;
}

@ArgsType()
export class DataSourceRecordListArgs extends ListArgs {
  @Field(() => DataSourceRecordFilter, { nullable: true, description: "Filters" })
  filter?: DataSourceRecordFilter;
}

/** Fields of createDataSource and updateDataSource (flat, react-admin style). */
@ArgsType()
export class DataSourceArgs {
  @Field(() => String, {
    nullable: true,
    description: "Unique name: letters, digits, _ . - (up to 60); cannot change once records were pulled",
  })
  @IsOptional()
  @Matches(DATA_SOURCE_NAME, {
    message: "name may contain letters, digits, _ . - (up to 60, starting with a letter or digit)",
  })
  name?: string;
  @Field(() => String, {
    nullable: true,
    description: "Root URL of the registry API (http(s); https in production)",
  })
  @IsOptional()
  @Length(1, 500)
  baseUrl?: string;
  @Field(() => String, { nullable: true, description: "OAuth 2.0 token endpoint (client-credentials grant)" })
  @IsOptional()
  @Length(1, 500)
  tokenUrl?: string;
  @Field(() => String, { nullable: true, description: "Client id" })
  @IsOptional()
  @Length(1, 200)
  clientId?: string;
  @Field(() => String, {
    nullable: true,
    description: "Client secret: stored encrypted, never returned; leave out to keep the stored one",
  })
  @IsOptional()
  @Length(1, 1000)
  clientSecret?: string;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description: "G2P Connect search_criteria (without pagination), checked against the specification",
  })
  searchCriteria?: Record<string, unknown>;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description: "Field mapping overrides (see DataSource.fieldMapping)",
  })
  fieldMapping?: Record<string, unknown>;
  @Field(() => Int, { nullable: true, description: "Records per page, 1–500 (default 100)" })
  @IsOptional()
  @IsInt()
  @Min(1, { message: "pageSize must be between 1 and 500" })
  @Max(500, { message: "pageSize must be between 1 and 500" })
  pageSize?: number;
  @Field(() => Int, {
    nullable: true,
    description: "Sync every this many minutes (1–525600); null: only on request",
  })
  @IsOptional()
  @IsInt()
  @Min(1, { message: "scheduleMinutes must be between 1 and 525600" })
  @Max(525_600, { message: "scheduleMinutes must be between 1 and 525600" })
  scheduleMinutes?: number | null;
  @Field(() => Boolean, { nullable: true, description: "Sync on schedule and on request (default true)" })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
  @Field(() => String, {
    nullable: true,
    description:
      "URL of the registry's public signing keys (JWKS; http(s), https in production) to verify every response with; null or empty: none",
  })
  @IsOptional()
  @Length(0, 500)
  signatureJwksUrl?: string | null;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description:
      "Pinned public Ed25519 keys to verify every response with: a JWKS or one JWK, without private parts; null: none. Exclusive with signatureJwksUrl",
  })
  signatureKeys?: Record<string, unknown> | null;
}

@InputType({ description: "Starts a sync of a data source" })
export class SyncDataSourceInput {
  @Field(() => ID, { description: "The data source" })
  @IsUUID("all", { message: "id must be a UUID" })
  id!: string;
}
