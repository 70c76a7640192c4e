// GraphQL (react-admin grammar) for data sources and their cached records.
import { Arg, Args, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { Role } from "../../auth/roles.ts";
import type { RequestContext } from "../../context.ts";
import { IdArgs, ListMetadata } from "../../graphql/list.ts";
import { Job } from "../jobs/job.type.ts";
import {
  countDataSourceRecords,
  countDataSources,
  createDataSource,
  deleteDataSource,
  findDataSource,
  findDataSourceRecord,
  findDataSourceRecords,
  findDataSources,
  startSync,
  updateDataSource,
} from "./datasource.service.ts";
import {
  DataSource,
  DataSourceArgs,
  DataSourceListArgs,
  DataSourceRecord,
  DataSourceRecordListArgs,
  SyncDataSourceInput,
} from "./datasource.type.ts";

/** Who configures data sources. */
export const DATA_SOURCE_ADMINS = [Role.Admin];
/** Who may start a sync. */
export const DATA_SOURCE_SYNCERS = [Role.Admin, Role.Registrar];
/** Who may read data sources and their cached records. */
export const DATA_SOURCE_READERS = [Role.Admin, Role.Registrar, Role.Auditor];

@Resolver(() => DataSource)
export class DataSourceResolver {
  @Authorized(DATA_SOURCE_READERS)
  @Query(() => DataSource, { nullable: true, description: "One data source of your department" })
  dataSource(@Ctx() ctx: RequestContext, @Args(() => IdArgs) { id }: IdArgs) {
    return findDataSource(ctx, id);
  }

  @Authorized(DATA_SOURCE_READERS)
  @Query(() => [DataSource], {
    description: "The external G2P Connect registries your department pulls records from",
  })
  dataSources(@Ctx() ctx: RequestContext, @Args(() => DataSourceListArgs) args: DataSourceListArgs) {
    return findDataSources(ctx, args);
  }

  @Authorized(DATA_SOURCE_READERS)
  @Query(() => ListMetadata, { description: "Number of data sources matching the filter" })
  async _dataSourcesMeta(
    @Ctx() ctx: RequestContext,
    @Args(() => DataSourceListArgs) args: DataSourceListArgs,
  ) {
    return { count: await countDataSources(ctx, args) };
  }

  @Authorized(DATA_SOURCE_ADMINS)
  @Mutation(() => DataSource, {
    description:
      "Creates a data source; name, baseUrl, tokenUrl, clientId, clientSecret and searchCriteria are required. The secret is stored encrypted",
  })
  createDataSource(@Ctx() ctx: RequestContext, @Args(() => DataSourceArgs) args: DataSourceArgs) {
    return createDataSource(ctx, args);
  }

  @Authorized(DATA_SOURCE_ADMINS)
  @Mutation(() => DataSource, {
    description: "Changes a data source; a clientSecret given replaces the stored one",
  })
  updateDataSource(
    @Ctx() ctx: RequestContext,
    @Args(() => IdArgs) { id }: IdArgs,
    @Args(() => DataSourceArgs) args: DataSourceArgs,
  ) {
    return updateDataSource(ctx, id, args);
  }

  @Authorized(DATA_SOURCE_ADMINS)
  @Mutation(() => DataSource, {
    description:
      "Deletes a data source and its cached records (the registrants it created stay); CONFLICT while it syncs",
  })
  deleteDataSource(@Ctx() ctx: RequestContext, @Args(() => IdArgs) { id }: IdArgs) {
    return deleteDataSource(ctx, id);
  }

  @Authorized(DATA_SOURCE_SYNCERS)
  @Mutation(() => Job, {
    description:
      "Starts a DATA_SOURCE_SYNC job pulling the source's records; CONFLICT while one is queued or running for it. Use this rather than startJob",
  })
  syncDataSource(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => SyncDataSourceInput, { description: "The data source" }) input: SyncDataSourceInput,
  ) {
    return startSync(ctx, input.id);
  }
}

@Resolver(() => DataSourceRecord)
export class DataSourceRecordResolver {
  @Authorized(DATA_SOURCE_READERS)
  @Query(() => DataSourceRecord, { nullable: true, description: "One cached record of a data source" })
  dataSourceRecord(@Ctx() ctx: RequestContext, @Args(() => IdArgs) { id }: IdArgs) {
    return findDataSourceRecord(ctx, id);
  }

  @Authorized(DATA_SOURCE_READERS)
  @Query(() => [DataSourceRecord], {
    description:
      "Records of your data sources as last pulled, with what the last sync found; newest first by default",
  })
  dataSourceRecords(
    @Ctx() ctx: RequestContext,
    @Args(() => DataSourceRecordListArgs) args: DataSourceRecordListArgs,
  ) {
    return findDataSourceRecords(ctx, args);
  }

  @Authorized(DATA_SOURCE_READERS)
  @Query(() => ListMetadata, { description: "Number of cached records matching the filter" })
  async _dataSourceRecordsMeta(
    @Ctx() ctx: RequestContext,
    @Args(() => DataSourceRecordListArgs) args: DataSourceRecordListArgs,
  ) {
    return { count: await countDataSourceRecords(ctx, args) };
  }
}
