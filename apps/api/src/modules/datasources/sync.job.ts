// DATA_SOURCE_SYNC: pulls a data source's records from its remote G2P Connect
// registry. Gets a token (client credentials), pages through
// `POST {baseUrl}/registry/sync/search` with the configured criteria (every
// request and response checked against the specification, and each
// response's signature when the source names the registry's keys), and per
// page, in one transaction: caches the records (NEW/CHANGED/UNCHANGED by hash) and
// creates or updates the persons and groups they describe (external id
// "<source name>:<remote id>"), with their identifiers; a group record's
// embedded member records are pulled as person records of the page. After the
// last page, the memberships the group records list are written (in chunks
// re-read from the cache, so members on any page are found), cached records
// the registry no longer returned become REMOVED, one
// `data_source.synced` audit event records the counts, and the source's
// lastSync* fields are set. Start it with the `syncDataSource` mutation.
import { inTenant, type Db, type JobState, type TenantScope } from "@pbms/db";
import { z } from "zod";
import { loadG2pConfig } from "../../g2p/config.ts";
import { defineJob, JobFailure, Role, type JobOutcome, type JobRun } from "../jobs/job.registry.ts";
import {
  fetchToken,
  RemoteError,
  searchPage,
  searchRequest,
  type AccessToken,
  type ResponseVerifier,
} from "./g2p-client.ts";
import type { DataSourceRow as DataSource } from "./datasource.service.ts";
import { IdTypeResolver, mapRecord, parseFieldMapping, type LocalIdType } from "./mapping.ts";
import { decryptSecret, SecretKeyError } from "./secret.ts";
import { responseVerifier } from "./signature.ts";
import {
  groupRecords,
  markRemoved,
  statusCounts,
  writeMemberships,
  writePage,
  type MembershipCounts,
  type PageCounts,
  type PageRecord,
} from "./sync.sql.ts";

/** Records one sync may pull (beyond this, narrow the search criteria). */
export const MAX_RECORDS = 1_000_000;
/** One page's transaction. */
const PAGE_TIMEOUT_MS = 120_000;

export const syncParamsSchema = z.object({ dataSourceId: z.string().uuid() }).strict();

/** External id prefix of the registrants a source creates. */
export const externalIdPrefix = (source: Pick<DataSource, "name">) => `${source.name}:`;

function failure(error: unknown): Error {
  if (error instanceof RemoteError)
    return error.retryable ? new Error(error.message) : new JobFailure(error.message);
  if (error instanceof SecretKeyError) return new JobFailure(error.message);
  return error as Error;
}

async function setSyncState(
  db: Db,
  scope: TenantScope,
  id: string,
  data: { lastSyncStatus: JobState; lastSyncJobId: string; lastSyncAt?: Date },
) {
  await inTenant(db, scope, (t) => t.dataSource.updateMany({ where: { id }, data }));
}

/** The job's handler. */
export async function syncDataSource(
  run: Pick<JobRun, "job" | "db" | "log" | "progress" | "cancelRequested">,
): Promise<JobOutcome> {
  const { job, db, log } = run;
  const { dataSourceId } = syncParamsSchema.parse(job.params);
  const scope: TenantScope = { tenantId: job.tenantId, actorId: job.createdById, requestId: `job:${job.id}` };
  const { source, idTypes } = await inTenant(db, scope, async (t) => {
    const found = await t.dataSource.findUnique({ where: { id: dataSourceId } });
    if (!found) throw new JobFailure(`Data source ${dataSourceId} not found in this department`);
    if (!found.enabled) throw new JobFailure(`Data source ${found.name} is disabled`);
    // Another sync of the same source started first (e.g. through startJob): leave it alone.
    const [other] = await t.$queryRawUnsafe<{ id: string }[]>(
      `SELECT id::text FROM job
        WHERE type = 'DATA_SOURCE_SYNC' AND state = 'RUNNING' AND id <> $1::uuid AND params ->> 'dataSourceId' = $2
          AND (started_at, id) < (SELECT started_at, id FROM job WHERE id = $1::uuid)
        LIMIT 1`,
      job.id,
      dataSourceId,
    );
    if (other) throw new JobFailure(`Another sync of ${found.name} is running (job ${other.id})`);
    await t.dataSource.update({
      where: { id: dataSourceId },
      data: { lastSyncStatus: "RUNNING", lastSyncJobId: job.id },
    });
    return {
      source: found,
      idTypes: (await t.idType.findMany({ orderBy: { code: "asc" } })) as LocalIdType[],
    };
  });
  try {
    const outcome = await pull(run, scope, source, idTypes);
    if (outcome.result.cancelled)
      await setSyncState(db, scope, source.id, {
        lastSyncStatus: "CANCELLED",
        lastSyncJobId: job.id,
        lastSyncAt: new Date(),
      });
    return outcome;
  } catch (error) {
    const err = failure(error);
    await setSyncState(db, scope, source.id, {
      lastSyncStatus: "FAILED",
      lastSyncJobId: job.id,
      lastSyncAt: new Date(),
    }).catch((e: unknown) => log.warn({ err: e }, "could not record the failed sync on the data source"));
    throw err;
  }
}

async function pull(
  run: Pick<JobRun, "job" | "db" | "log" | "progress" | "cancelRequested">,
  scope: TenantScope,
  source: DataSource,
  idTypes: LocalIdType[],
): Promise<JobOutcome> {
  const { job, db, log } = run;
  let mapping;
  try {
    mapping = parseFieldMapping(source.fieldMapping);
  } catch (error) {
    throw new JobFailure(`The field mapping of ${source.name} is invalid: ${(error as Error).message}`);
  }
  let verify: ResponseVerifier | undefined;
  try {
    verify = responseVerifier(source);
  } catch (error) {
    throw new JobFailure(`The signature keys of ${source.name} are invalid: ${(error as Error).message}`);
  }
  if (!source.clientSecretEnc) throw new JobFailure(`Data source ${source.name} has no client secret`);
  const secret = decryptSecret(source.clientSecretEnc, source.tenantId, source.id);
  const senderId = loadG2pConfig().G2P_SENDER_ID;
  const resolver = new IdTypeResolver(idTypes, mapping.idTypes);
  const ids = {
    tenantId: job.tenantId,
    dataSourceId: source.id,
    jobId: job.id,
    prefix: externalIdPrefix(source),
    actor: { id: job.createdById, name: job.createdByName, requestId: scope.requestId ?? null },
  };
  const criteria = source.searchCriteria as Record<string, unknown>;

  let token: AccessToken | undefined;
  const freshToken = async () => (token = await fetchToken(source.tokenUrl, source.clientId, secret));
  const search = async (page: number) => {
    if (!token || Date.now() >= token.refreshAt) await freshToken();
    const request = () => searchRequest(criteria, page, source.pageSize, senderId);
    try {
      return await searchPage(source.baseUrl, token!.value, request(), { verify });
    } catch (error) {
      if (!(error instanceof RemoteError) || error.status !== 401) throw error;
      await freshToken(); // expired or revoked meanwhile: once more with a new token
      return searchPage(source.baseUrl, token!.value, request(), { verify });
    }
  };

  const seen = new Set<string>();
  /** Person records pulled from inside a group record (seen again standalone, or in another group: not repeats). */
  const embedded = new Set<string>();
  const skipped = { withoutId: 0, repeated: 0, notObjects: 0 };
  const totals: PageCounts & { identifiersSkipped: number; memberEntriesWithoutId: number } = {
    created: 0,
    updated: 0,
    groupsCreated: 0,
    groupsUpdated: 0,
    memberEntriesWithoutId: 0,
    notMapped: 0,
    identifiersAdded: 0,
    identifierConflicts: 0,
    identifiersSkipped: 0,
  };
  let received = 0;
  let pages = 0;
  let total: number | undefined;
  const today = new Date();
  for (let page = 1; ; page++) {
    const result = await search(page);
    pages++;
    total = result.total ?? total;
    received += result.records.length;
    if (received > MAX_RECORDS)
      throw new JobFailure(`The search returns more than ${MAX_RECORDS} records: narrow the search criteria`);
    const batch: PageRecord[] = [];
    for (const raw of result.records) {
      if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
        skipped.notObjects++;
        continue;
      }
      const mapped = mapRecord(raw, mapping, resolver, today);
      if (!mapped.recordId) {
        skipped.withoutId++;
        continue;
      }
      if (seen.has(mapped.recordId)) {
        if (!embedded.has(mapped.recordId)) skipped.repeated++;
        continue;
      }
      seen.add(mapped.recordId);
      totals.identifiersSkipped += mapped.skippedIdentifiers;
      totals.memberEntriesWithoutId += mapped.skippedMembers ?? 0;
      batch.push({ raw, mapped: mapped as PageRecord["mapped"] });
      // A group's embedded member records are person records of this source too.
      for (const member of mapped.members ?? []) {
        if (!member.record || seen.has(member.recordId)) continue;
        const person = mapRecord(member.record, mapping, resolver, today);
        if (!person.person || person.recordId !== member.recordId) continue;
        seen.add(member.recordId);
        embedded.add(member.recordId);
        totals.identifiersSkipped += person.skippedIdentifiers;
        batch.push({ raw: member.record, mapped: person as PageRecord["mapped"] });
      }
    }
    const counts = await inTenant(db, scope, (t) => writePage(t, ids, batch), { timeout: PAGE_TIMEOUT_MS });
    for (const k of Object.keys(counts) as (keyof PageCounts)[]) totals[k] += counts[k];
    await run.progress(received, total, { page });
    const offset = (page - 1) * result.pageSize + result.records.length;
    if (
      !result.records.length ||
      (total !== undefined ? offset >= total : result.records.length < result.pageSize)
    )
      break;
    if (await run.cancelRequested())
      return { result: { dataSource: source.name, pages, received, cancelled: true } };
  }

  // The memberships the group records list, now that every member's record has been pulled.
  const memberships: MembershipCounts = { added: 0, ended: 0, skipped: 0, unresolved: 0 };
  for (let after = ""; ;) {
    const chunk = await inTenant(
      db,
      scope,
      async (t) => {
        const rows = await groupRecords(t, source.id, job.id, after);
        const groups = rows.flatMap((row) => {
          const members = mapRecord(row.raw, mapping, resolver, today).members;
          return members
            ? [
                {
                  groupRecordId: row.external_id,
                  members: members.map(({ recordId, kind }) => ({ recordId, kind })),
                },
              ]
            : [];
        });
        return {
          rows: rows.length,
          last: rows.at(-1)?.external_id,
          counts: await writeMemberships(t, ids, groups),
        };
      },
      { timeout: PAGE_TIMEOUT_MS },
    );
    for (const k of Object.keys(memberships) as (keyof MembershipCounts)[]) memberships[k] += chunk.counts[k];
    if (!chunk.last) break;
    after = chunk.last;
  }

  const finished = new Date();
  const result = await inTenant(db, scope, async (t) => {
    const removed = await markRemoved(t, source.id, job.id);
    const status = await statusCounts(t, source.id, job.id);
    const summary = {
      dataSource: source.name,
      signaturesVerified: !!verify,
      pages,
      received,
      records: seen.size,
      new: status.NEW,
      changed: status.CHANGED,
      unchanged: status.UNCHANGED,
      removed,
      skipped,
      registrants: { created: totals.created, updated: totals.updated, notMapped: totals.notMapped },
      groups: { created: totals.groupsCreated, updated: totals.groupsUpdated },
      memberships: { ...memberships, entriesWithoutId: totals.memberEntriesWithoutId },
      identifiers: {
        added: totals.identifiersAdded,
        conflicts: totals.identifierConflicts,
        skipped: totals.identifiersSkipped,
      },
    };
    await t.auditEvent.create({
      data: {
        tenantId: job.tenantId,
        actorId: job.createdById,
        actorName: job.createdByName,
        action: "data_source.synced",
        entityType: "DataSource",
        entityId: source.id,
        after: { ...summary, jobId: job.id },
        requestId: scope.requestId ?? null,
      },
    });
    await t.dataSource.update({
      where: { id: source.id },
      data: { lastSyncAt: finished, lastSyncStatus: "SUCCEEDED", lastSyncJobId: job.id },
    });
    return summary;
  });
  log.info(result, "data source synced");
  return { result };
}

defineJob("DATA_SOURCE_SYNC", {
  roles: [Role.Registrar],
  parseParams(params) {
    const parsed = syncParamsSchema.safeParse(params);
    if (!parsed.success)
      throw new Error(
        parsed.error.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; "),
      );
    return parsed.data;
  },
  run: syncDataSource,
});
