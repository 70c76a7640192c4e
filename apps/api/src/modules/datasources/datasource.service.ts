// Data sources: configuration (admins), the record cache (read), and starting
// a sync (one at a time per source). Every change is audited in its
// transaction; the client secret is encrypted before it is stored and never
// leaves this module (not in GraphQL, not in audit events).
import { randomUUID } from "node:crypto";
import { Prisma, type Job, type Tx } from "@pbms/db";
import { tx, type RequestContext } from "../../context.ts";
import { AppError, badInput, ErrorCode, notFound } from "../../errors.ts";
import { paging } from "../../graphql/list.ts";
import { loadG2pConfig } from "../../g2p/config.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { startJob } from "../jobs/job.service.ts";
import type {
  DataSource,
  DataSourceArgs,
  DataSourceFilter,
  DataSourceListArgs,
  DataSourceRecordFilter,
  DataSourceRecordListArgs,
} from "./datasource.type.ts";
import { searchRequest, searchRequestProblems } from "./g2p-client.ts";
import { parseFieldMapping } from "./mapping.ts";
import { encryptSecret, SecretKeyError } from "./secret.ts";
import { parseSigningKeys, verifiesSignatures } from "./signature.ts";

/** A data_source row (the model type is not re-exported by @pbms/db). */
export type DataSourceRow = Prisma.DataSourceGetPayload<true>;

/**
 * The API view of a row: no secret, whether one is stored, whether responses
 * are verified, and when the next scheduled sync is due.
 */
export function toDataSource(row: DataSourceRow): DataSource {
  const { clientSecretEnc, ...rest } = row;
  const nextSyncAt =
    row.enabled && row.scheduleMinutes
      ? new Date(Math.max(Date.now(), (row.lastSyncAt?.getTime() ?? 0) + row.scheduleMinutes * 60_000))
      : null;
  return {
    ...rest,
    hasClientSecret: !!clientSecretEnc,
    verifiesSignatures: verifiesSignatures(row),
    nextSyncAt,
  };
}

/** What audit events keep of a data source (never the secret, not even encrypted). */
function auditView(row: DataSourceRow) {
  const { clientSecretEnc, createdAt: _c, updatedAt: _u, ...rest } = row;
  return { ...rest, hasClientSecret: !!clientSecretEnc };
}

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

function checkUrl(field: string, value: string, kind: "base" | "token"): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw badInput(field, `${field} is not a URL`);
  }
  const production = process.env.NODE_ENV === "production";
  if (url.protocol !== "https:" && (production || url.protocol !== "http:"))
    throw badInput(field, `${field} must be an ${production ? "https" : "http(s)"} URL`);
  if (url.username || url.password) throw badInput(field, `${field} must not carry credentials`);
  if (url.hash) throw badInput(field, `${field} must not have a #fragment`);
  if (kind === "base") {
    if (url.search) throw badInput(field, `${field} must not have a query string`);
    return url.href.replace(/\/+$/, "");
  }
  return url.href;
}

function checkCriteria(criteria: unknown, pageSize: number): Prisma.InputJsonObject {
  if (!criteria || typeof criteria !== "object" || Array.isArray(criteria))
    throw badInput("searchCriteria", "searchCriteria must be an object (the G2P Connect search_criteria)");
  if ("pagination" in criteria)
    throw badInput("searchCriteria", "leave pagination out of searchCriteria: the sync pages with pageSize");
  const request = searchRequest(
    criteria as Record<string, unknown>,
    1,
    pageSize,
    loadG2pConfig().G2P_SENDER_ID,
  );
  const { problems } = searchRequestProblems(request, "/message/search_request/0/search_criteria");
  if (problems)
    throw badInput("searchCriteria", `searchCriteria is not a valid G2P Connect search: ${problems}`);
  return criteria as Prisma.InputJsonObject;
}

function checkMapping(mapping: unknown): Prisma.InputJsonObject {
  try {
    parseFieldMapping(mapping);
  } catch (error) {
    throw badInput("fieldMapping", `fieldMapping is invalid: ${(error as Error).message}`);
  }
  return mapping as Prisma.InputJsonObject;
}

function checkSigningKeys(keys: unknown): Prisma.InputJsonObject {
  try {
    return parseSigningKeys(keys) as unknown as Prisma.InputJsonObject;
  } catch (error) {
    throw badInput("signatureKeys", `signatureKeys is invalid: ${(error as Error).message}`);
  }
}

function encrypt(secret: string, tenantId: string, id: string): string {
  try {
    return encryptSecret(secret, tenantId, id);
  } catch (error) {
    if (error instanceof SecretKeyError)
      throw new AppError(ErrorCode.BadUserInput, error.message, { field: "clientSecret" });
    throw error;
  }
}

const REQUIRED = ["name", "baseUrl", "tokenUrl", "clientId", "clientSecret", "searchCriteria"] as const;
const NOT_NULL = [
  "name",
  "baseUrl",
  "tokenUrl",
  "clientId",
  "clientSecret",
  "searchCriteria",
  "fieldMapping",
  "pageSize",
  "enabled",
] as const;

/** The columns to write for `args`, checked (over the current row on update). */
function prepare(
  args: DataSourceArgs,
  tenantId: string,
  id: string,
  current: DataSourceRow | null,
): Prisma.DataSourceUncheckedUpdateInput {
  const given = (k: keyof DataSourceArgs) => args[k] !== undefined;
  for (const k of NOT_NULL) if (given(k) && args[k] === null) throw badInput(k, `${k} cannot be null`);
  const data: Prisma.DataSourceUncheckedUpdateInput = {};
  if (given("name")) data.name = args.name!;
  if (given("baseUrl")) data.baseUrl = checkUrl("baseUrl", args.baseUrl!, "base");
  if (given("tokenUrl")) data.tokenUrl = checkUrl("tokenUrl", args.tokenUrl!, "token");
  if (given("clientId")) data.clientId = args.clientId!.trim();
  if (given("clientSecret")) data.clientSecretEnc = encrypt(args.clientSecret!, tenantId, id);
  if (given("pageSize")) data.pageSize = args.pageSize!;
  if (given("scheduleMinutes")) data.scheduleMinutes = args.scheduleMinutes ?? null;
  if (given("enabled")) data.enabled = args.enabled!;
  if (given("fieldMapping")) data.fieldMapping = checkMapping(args.fieldMapping);
  if (given("signatureJwksUrl")) {
    const url = args.signatureJwksUrl?.trim();
    data.signatureJwksUrl = url ? checkUrl("signatureJwksUrl", url, "token") : null;
  }
  if (given("signatureKeys"))
    data.signatureKeys = args.signatureKeys == null ? Prisma.DbNull : checkSigningKeys(args.signatureKeys);
  const jwksUrl = given("signatureJwksUrl") ? data.signatureJwksUrl : current?.signatureJwksUrl;
  const pinned = given("signatureKeys") ? args.signatureKeys : current?.signatureKeys;
  if (jwksUrl && pinned != null)
    throw badInput(
      given("signatureKeys") ? "signatureKeys" : "signatureJwksUrl",
      "Give either signatureJwksUrl or signatureKeys, not both (set the other to null)",
    );
  if (given("searchCriteria") || given("pageSize"))
    data.searchCriteria = checkCriteria(
      args.searchCriteria ?? current?.searchCriteria,
      args.pageSize ?? current?.pageSize ?? 100,
    );
  return data;
}

function uniqueName(error: unknown, name: string | undefined): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
    throw new AppError(ErrorCode.Conflict, `A data source named ${name} already exists`, { field: "name" });
  throw error;
}

// ---------------------------------------------------------------------------
// Data sources
// ---------------------------------------------------------------------------

const SORTABLE = ["name", "createdAt", "updatedAt", "lastSyncAt", "enabled"] as const;

function where(filter: DataSourceFilter = {}): Prisma.DataSourceWhereInput {
  const q = filter.q?.trim();
  return {
    ...(filter.ids ? { id: { in: filter.ids } } : {}),
    ...(filter.enabled != null ? { enabled: filter.enabled } : {}),
    ...(q
      ? {
          OR: [
            { name: { contains: q, mode: "insensitive" } },
            { baseUrl: { contains: q, mode: "insensitive" } },
          ],
        }
      : {}),
  };
}

export async function findDataSources(ctx: RequestContext, args: DataSourceListArgs) {
  const { skip, take, orderBy } = paging(args, SORTABLE, "name");
  const order = args.sortField || args.sortOrder ? orderBy : [{ name: "asc" as const }];
  const rows = await tx(ctx, (t) =>
    t.dataSource.findMany({ where: where(args.filter), skip, take, orderBy: order }),
  );
  return rows.map(toDataSource);
}

export function countDataSources(ctx: RequestContext, args: DataSourceListArgs) {
  return tx(ctx, (t) => t.dataSource.count({ where: where(args.filter) }));
}

export async function findDataSource(ctx: RequestContext, id: string) {
  const row = await tx(ctx, (t) => t.dataSource.findUnique({ where: { id } }));
  return row ? toDataSource(row) : null;
}

export async function createDataSource(ctx: RequestContext, args: DataSourceArgs) {
  for (const k of REQUIRED) if (args[k] == null) throw badInput(k, `${k} is required`);
  const id = randomUUID();
  const data = prepare(args, ctx.tenantId, id, null);
  const row = await tx(ctx, async (t) => {
    const created = await t.dataSource.create({
      data: { ...(data as Prisma.DataSourceUncheckedCreateInput), id, tenantId: ctx.tenantId },
    });
    await recordAudit(t, ctx, {
      action: "data_source.created",
      entityType: "DataSource",
      entityId: id,
      after: auditView(created),
    });
    return created;
  }).catch((error: unknown) => uniqueName(error, args.name));
  return toDataSource(row);
}

export async function updateDataSource(ctx: RequestContext, id: string, args: DataSourceArgs) {
  const row = await tx(ctx, async (t) => {
    const before = await t.dataSource.findUnique({ where: { id } });
    if (!before) throw notFound("DataSource", id);
    const data = prepare(args, ctx.tenantId, id, before);
    if (
      data.name !== undefined &&
      data.name !== before.name &&
      (await t.dataSourceRecord.count({ where: { dataSourceId: id } })) > 0
    )
      throw badInput(
        "name",
        "The name of a data source with pulled records cannot change (it prefixes their registrants' external ids)",
      );
    const after = await t.dataSource.update({ where: { id }, data });
    await recordAudit(t, ctx, {
      action: "data_source.updated",
      entityType: "DataSource",
      entityId: id,
      before: auditView(before),
      after: {
        ...auditView(after),
        ...(args.clientSecret !== undefined ? { clientSecretReplaced: true } : {}),
      },
    });
    return after;
  }).catch((error: unknown) => uniqueName(error, args.name));
  return toDataSource(row);
}

/** Deletes a source and its cached records; the registrants it created stay. */
export async function deleteDataSource(ctx: RequestContext, id: string) {
  const row = await tx(ctx, async (t) => {
    await lockSource(t, id);
    const before = await t.dataSource.findUnique({ where: { id } });
    if (!before) throw notFound("DataSource", id);
    await assertNoSync(t, id);
    const records = await t.dataSourceRecord.deleteMany({ where: { dataSourceId: id } });
    await t.dataSource.delete({ where: { id } });
    await recordAudit(t, ctx, {
      action: "data_source.deleted",
      entityType: "DataSource",
      entityId: id,
      before: { ...auditView(before), records: records.count },
    });
    return before;
  });
  return toDataSource(row);
}

// ---------------------------------------------------------------------------
// Syncs
// ---------------------------------------------------------------------------

/** Serialises starting (and deleting) per data source. */
async function lockSource(t: Tx, id: string) {
  await t.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`pbms:data-source:${id}`}, 0))`;
}

/** Refuses with CONFLICT when a sync of the source is queued or running. */
async function assertNoSync(t: Tx, id: string) {
  const running = await t.job.findFirst({
    where: {
      type: "DATA_SOURCE_SYNC",
      state: { in: ["QUEUED", "RUNNING"] },
      params: { path: ["dataSourceId"], equals: id },
    },
    orderBy: { createdAt: "asc" },
  });
  if (running)
    throw new AppError(
      ErrorCode.Conflict,
      `A sync of this data source is already ${running.state.toLowerCase()}; wait for it or cancel it`,
      {
        jobId: running.id,
      },
    );
}

/**
 * Queues a DATA_SOURCE_SYNC job unless one is queued or running for the
 * source. Concurrent requests are serialised by a per-source advisory lock
 * held while the job is created, so only one of them starts a job.
 */
export async function startSync(ctx: RequestContext, id: string): Promise<Job> {
  return (await queueSync(ctx, id, {}))!;
}

/** As startSync, for the scheduler: null when the source is no longer due at `dueAt`. */
export function startScheduledSync(ctx: RequestContext, id: string, dueAt: Date): Promise<Job | null> {
  return queueSync(ctx, id, { dueAt });
}

function queueSync(ctx: RequestContext, id: string, options: { dueAt?: Date }): Promise<Job | null> {
  return tx(ctx, async (t) => {
    await lockSource(t, id);
    const source = await t.dataSource.findUnique({ where: { id } });
    if (!source) throw notFound("DataSource", id);
    if (!source.enabled)
      throw badInput("input.id", `Data source ${source.name} is disabled: enable it first`);
    await assertNoSync(t, id);
    // The scheduler re-checks under the lock: another worker may have synced it meanwhile.
    if (options.dueAt) {
      const due =
        source.scheduleMinutes &&
        (!source.lastSyncAt ||
          source.lastSyncAt.getTime() + source.scheduleMinutes * 60_000 <= options.dueAt.getTime());
      if (!due) return null;
    }
    // startJob commits the job (and its job.started audit event) in its own
    // transaction while this one still holds the lock.
    return startJob(ctx, { type: "DATA_SOURCE_SYNC", params: { dataSourceId: id } });
  });
}

// ---------------------------------------------------------------------------
// Cached records
// ---------------------------------------------------------------------------

const RECORD_SORTABLE = ["fetchedAt", "externalId", "status", "createdAt", "updatedAt"] as const;

function recordWhere(filter: DataSourceRecordFilter = {}): Prisma.DataSourceRecordWhereInput {
  const q = filter.q?.trim();
  return {
    ...(filter.ids ? { id: { in: filter.ids } } : {}),
    ...(filter.dataSourceId ? { dataSourceId: filter.dataSourceId } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.registrantId ? { registrantId: filter.registrantId } : {}),
    ...(q ? { externalId: { contains: q, mode: "insensitive" } } : {}),
  };
}

export function findDataSourceRecords(ctx: RequestContext, args: DataSourceRecordListArgs) {
  const { skip, take, orderBy } = paging(args, RECORD_SORTABLE, "fetchedAt");
  return tx(ctx, (t) =>
    t.dataSourceRecord.findMany({ where: recordWhere(args.filter), skip, take, orderBy }),
  );
}

export function countDataSourceRecords(ctx: RequestContext, args: DataSourceRecordListArgs) {
  return tx(ctx, (t) => t.dataSourceRecord.count({ where: recordWhere(args.filter) }));
}

export function findDataSourceRecord(ctx: RequestContext, id: string) {
  return tx(ctx, (t) => t.dataSourceRecord.findUnique({ where: { id } }));
}
