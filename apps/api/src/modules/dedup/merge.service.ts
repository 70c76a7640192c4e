// Merging duplicates and reverting merges. A merge moves the merged registrant's
// identifiers, phones, accounts, group memberships, documents and data source
// record links to the survivor (leaving exact duplicates behind, recorded),
// deactivates it with mergedIntoId, and records every moved row id and its prior
// state in registrant_merge.moved so revertMerge can put everything back. All
// members of a set are merged in one transaction, with one audit event per
// merged registrant.
import type { Prisma, Registrant as RegistrantRow, RegistrantStatus, Tx } from "@pbms/db";
import { actorName, tx, type RequestContext } from "../../context.ts";
import { AppError, badInput, conflict, ErrorCode, notFound } from "../../errors.ts";
import { paging } from "../../graphql/list.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { lockOpenSet } from "./dedup.service.ts";
import type {
  MergeRegistrantsInput,
  RegistrantMerge,
  RegistrantMergeFilter,
  RegistrantMergeListArgs,
  RevertMergeInput,
} from "./dedup.type.ts";

/** What registrant_merge.moved holds. */
export interface MovedRecord {
  setId: string | null;
  /** The merged registrant's fields the merge changed, as they were. */
  prior: { status: RegistrantStatus; statusReason: string | null; deceasedDate: string | null };
  identifiers: string[];
  /** Moved phones and accounts with their former primary flag (moved rows stop being primary when the survivor has one). */
  phones: { id: string; isPrimary: boolean }[];
  financialAddresses: { id: string; isPrimary: boolean }[];
  /** Memberships of a merged individual (individual_id moved). */
  memberships: string[];
  /** Memberships in a merged group (group_id moved). */
  members: string[];
  /** Documents of the merged registrant (all move; absent from merges recorded before documents moved). */
  documents?: string[];
  /** Data source records linked to the merged registrant (all move; absent from merges recorded before links moved). */
  dataSourceRecords?: string[];
  skipped: { table: string; id: string; reason: string; ended: boolean }[];
  /** The day current memberships left behind were ended (YYYY-MM-DD). */
  endedOn: string;
  /** Filled by the revert: moved rows no longer on the survivor. */
  notRestored?: string[];
}

const day = (d: Date | null | undefined): string | null => (d ? d.toISOString().slice(0, 10) : null);
const today = () => new Date().toISOString().slice(0, 10);
const asDate = (s: string) => new Date(`${s}T00:00:00Z`);

type MergeRow = {
  id: string;
  survivorId: string;
  mergedId: string;
  moved: unknown;
  mergedBy: string;
  mergedAt: Date;
  revertedAt: Date | null;
};

/** The GraphQL shape of a registrant_merge row. */
export function toMerge(row: MergeRow): RegistrantMerge {
  const moved = row.moved as MovedRecord;
  return {
    id: row.id,
    setId: moved.setId ?? null,
    survivorId: row.survivorId,
    mergedId: row.mergedId,
    priorStatus: moved.prior.status,
    moved: {
      identifiers: moved.identifiers,
      phones: moved.phones.map((p) => p.id),
      financialAddresses: moved.financialAddresses.map((f) => f.id),
      memberships: moved.memberships,
      members: moved.members,
      documents: moved.documents ?? [],
      dataSourceRecords: moved.dataSourceRecords ?? [],
    },
    skipped: moved.skipped,
    notRestored: moved.notRestored ?? [],
    mergedBy: row.mergedBy,
    mergedAt: row.mergedAt,
    revertedAt: row.revertedAt,
  };
}

const lockRegistrants = (t: Tx, ids: string[]) =>
  t.$queryRaw`SELECT id FROM registrant WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`;

/**
 * Tables whose rows all follow the survivor (nothing in them can collide with the survivor's
 * rows), keyed by their field in MovedRecord.
 */
const FOLLOWERS = {
  documents: { table: "document", touch: "" },
  dataSourceRecords: { table: "data_source_record", touch: ", updated_at = now()" },
} as const;

/**
 * Re-points a follower table's rows from one registrant to another in one statement (only the
 * given rows when `only` is set); returns the ids of the rows it moved.
 */
async function repoint(
  t: Tx,
  key: keyof typeof FOLLOWERS,
  from: string,
  to: string,
  only?: string[],
): Promise<string[]> {
  const { table, touch } = FOLLOWERS[key];
  const rows = await t.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE ${table} SET registrant_id = $2::uuid${touch}
      WHERE registrant_id = $1::uuid${only ? " AND id = ANY($3::uuid[])" : ""}
      RETURNING id::text AS id`,
    from,
    to,
    ...(only ? [only] : []),
  );
  return rows.map((r) => r.id).sort();
}

/** Moves phones or accounts whose key the survivor does not have yet; returns moved and skipped. */
async function moveContacts(
  t: Tx,
  table: "phone" | "financial_address",
  survivor: RegistrantRow,
  merged: RegistrantRow,
  record: MovedRecord,
) {
  const rows =
    table === "phone"
      ? (await t.phone.findMany({ where: { registrantId: { in: [survivor.id, merged.id] } } })).map((p) => ({
          ...p,
          key: p.e164,
        }))
      : (
          await t.financialAddress.findMany({ where: { registrantId: { in: [survivor.id, merged.id] } } })
        ).map((f) => ({ ...f, key: f.iban ? `iban:${f.iban}` : f.fa })); // an IBAN names the account, BIC or not
  const ours = rows.filter((r) => r.registrantId === survivor.id);
  const keys = new Set(ours.map((r) => r.key));
  const hasPrimary = ours.some((r) => r.isPrimary);
  const moved: { id: string; isPrimary: boolean }[] = [];
  for (const r of rows.filter((x) => x.registrantId === merged.id)) {
    if (keys.has(r.key)) {
      record.skipped.push({ table, id: r.id, reason: "The survivor already has it", ended: false });
      continue;
    }
    keys.add(r.key);
    moved.push({ id: r.id, isPrimary: r.isPrimary });
  }
  if (moved.length) {
    const ids = moved.map((m) => m.id);
    const data = { registrantId: survivor.id, ...(hasPrimary ? { isPrimary: false } : {}) };
    if (table === "phone") await t.phone.updateMany({ where: { id: { in: ids } }, data });
    else await t.financialAddress.updateMany({ where: { id: { in: ids } }, data });
  }
  return moved;
}

/** Moves group memberships on one side (individual or group), leaving duplicates behind. */
async function moveMemberships(
  t: Tx,
  side: "individualId" | "groupId",
  survivor: RegistrantRow,
  merged: RegistrantRow,
  record: MovedRecord,
): Promise<string[]> {
  const other = side === "individualId" ? "groupId" : "individualId";
  const rows = await t.groupMembership.findMany({
    where: { [side]: { in: [survivor.id, merged.id] } },
    orderBy: { startDate: "asc" },
  });
  const kinds = await t.membershipKind.findMany();
  const unique = new Map(kinds.map((k) => [k.id, k]));
  const ours = rows.filter((r) => r[side] === survivor.id);
  const exact = (r: (typeof rows)[number]) =>
    `${r[other]}|${r.kindId}|${day(r.startDate)}|${day(r.endDate) ?? ""}`;
  const exactKeys = new Set(ours.map(exact));
  const current = new Set(ours.filter((r) => !r.endDate).map((r) => r[other]));
  const currentKinds = new Set(ours.filter((r) => !r.endDate).map((r) => r.kindId));
  const moved: string[] = [];
  const ended: string[] = [];
  for (const r of rows.filter((x) => x[side] === merged.id)) {
    if (!r.endDate && current.has(r[other])) {
      // Both are current members of the same group: keep the survivor's, end the duplicate's.
      record.skipped.push({
        table: "group_membership",
        id: r.id,
        reason:
          side === "individualId"
            ? "The survivor is already a current member of this group; the duplicate's membership was ended"
            : "This individual is already a current member of the survivor; the duplicate membership was ended",
        ended: true,
      });
      ended.push(r.id);
      continue;
    }
    if (
      !r.endDate &&
      side === "groupId" &&
      unique.get(r.kindId)?.uniquePerGroup &&
      currentKinds.has(r.kindId)
    ) {
      record.skipped.push({
        table: "group_membership",
        id: r.id,
        reason: `The survivor already has a current ${unique.get(r.kindId)!.name}`,
        ended: false,
      });
      continue;
    }
    if (exactKeys.has(exact(r))) {
      record.skipped.push({
        table: "group_membership",
        id: r.id,
        reason: "The survivor has the same membership",
        ended: false,
      });
      continue;
    }
    exactKeys.add(exact(r));
    if (!r.endDate) {
      current.add(r[other]);
      currentKinds.add(r.kindId);
    }
    moved.push(r.id);
  }
  if (moved.length)
    await t.groupMembership.updateMany({ where: { id: { in: moved } }, data: { [side]: survivor.id } });
  if (ended.length)
    await t.groupMembership.updateMany({
      where: { id: { in: ended } },
      data: { endDate: asDate(record.endedOn) },
    });
  return moved;
}

async function mergeOne(
  t: Tx,
  ctx: RequestContext,
  setId: string,
  survivor: RegistrantRow,
  merged: RegistrantRow,
): Promise<RegistrantMerge> {
  const record: MovedRecord = {
    setId,
    prior: {
      status: merged.status,
      statusReason: merged.statusReason,
      deceasedDate: day(merged.deceasedDate),
    },
    identifiers: [],
    phones: [],
    financialAddresses: [],
    memberships: [],
    members: [],
    skipped: [],
    endedOn: today(),
  };
  // Identifier type + value are unique per department, so the survivor cannot hold the same one.
  const identifiers = await t.registrantIdentifier.findMany({
    where: { registrantId: merged.id },
    select: { id: true },
  });
  record.identifiers = identifiers.map((i) => i.id);
  if (record.identifiers.length)
    await t.registrantIdentifier.updateMany({
      where: { id: { in: record.identifiers } },
      data: { registrantId: survivor.id },
    });
  record.phones = await moveContacts(t, "phone", survivor, merged, record);
  record.financialAddresses = await moveContacts(t, "financial_address", survivor, merged, record);
  record.memberships = await moveMemberships(t, "individualId", survivor, merged, record);
  record.members = await moveMemberships(t, "groupId", survivor, merged, record);
  // Documents and data source links: the survivor gets them all (the next sync updates the survivor).
  record.documents = await repoint(t, "documents", merged.id, survivor.id);
  record.dataSourceRecords = await repoint(t, "dataSourceRecords", merged.id, survivor.id);

  const updated = await t.registrant.update({
    where: { id: merged.id },
    data: {
      status: "INACTIVE",
      statusReason: `Merged into ${survivor.name}`.slice(0, 500),
      deceasedDate: null,
      mergedIntoId: survivor.id,
      version: { increment: 1 },
    },
  });
  const row = await t.registrantMerge.create({
    data: {
      tenantId: ctx.tenantId,
      survivorId: survivor.id,
      mergedId: merged.id,
      moved: record as unknown as Prisma.InputJsonObject,
      mergedBy: actorName(ctx.principal),
    },
  });
  await recordAudit(t, ctx, {
    action: "registrant.merged",
    entityType: "Registrant",
    entityId: merged.id,
    before: { status: merged.status, statusReason: merged.statusReason, mergedIntoId: null },
    after: {
      status: updated.status,
      statusReason: updated.statusReason,
      mergedIntoId: survivor.id,
      mergeId: row.id,
      setId,
      moved: toMerge(row).moved,
      skipped: record.skipped,
    },
  });
  return toMerge(row);
}

/** Merges every other member of an OPEN set into the survivor, in one transaction. */
export function mergeRegistrants(ctx: RequestContext, input: MergeRegistrantsInput) {
  return tx(ctx, async (t) => {
    const set = await lockOpenSet(t, input.setId, "MERGED");
    const memberIds = (
      await t.duplicateSetMember.findMany({ where: { setId: set.id }, select: { registrantId: true } })
    ).map((m) => m.registrantId);
    if (!memberIds.includes(input.survivorId))
      throw badInput("input.survivorId", "The survivor must be a member of the set");
    await lockRegistrants(t, memberIds);
    const members = await t.registrant.findMany({ where: { id: { in: memberIds } } });
    const survivor = members.find((m) => m.id === input.survivorId)!;
    if (new Set(members.map((m) => m.kind)).size > 1)
      throw badInput("input.setId", "Individuals cannot be merged with groups");
    if (survivor.mergedIntoId)
      throw conflict("The survivor was itself merged into another registrant; revert that merge first");
    const others = members.filter((m) => m.id !== survivor.id && m.mergedIntoId !== survivor.id);
    const elsewhere = others.find((m) => m.mergedIntoId);
    if (elsewhere)
      throw new AppError(ErrorCode.Conflict, `${elsewhere.name} was already merged into another registrant`, {
        registrantId: elsewhere.id,
      });
    // Members merged into this survivor before (a partly reverted set) stay merged.
    for (const merged of others) await mergeOne(t, ctx, set.id, survivor, merged);
    return t.duplicateSet.update({
      where: { id: set.id },
      data: { status: "MERGED", decidedBy: actorName(ctx.principal), decidedAt: new Date() },
    });
  });
}

/** Moves the recorded rows back, restores the merged registrant and re-opens its set. */
export function revertMerge(ctx: RequestContext, input: RevertMergeInput) {
  return tx(ctx, async (t) => {
    const [locked] = await t.$queryRaw<{ id: string }[]>`
      SELECT id FROM registrant_merge WHERE id = ${input.mergeId}::uuid FOR UPDATE`;
    if (!locked) throw notFound("RegistrantMerge", input.mergeId);
    const merge = await t.registrantMerge.findUniqueOrThrow({ where: { id: input.mergeId } });
    if (merge.revertedAt) throw conflict("This merge was already reverted");
    await lockRegistrants(t, [merge.survivorId, merge.mergedId]);
    const merged = await t.registrant.findUniqueOrThrow({ where: { id: merge.mergedId } });
    if (merged.mergedIntoId !== merge.survivorId)
      throw conflict("The merged registrant was changed since the merge; it cannot be reverted");
    const record = merge.moved as unknown as MovedRecord;
    const notRestored: string[] = [];
    const back = async (
      ids: string[],
      move: (ids: string[]) => Promise<{ count: number }>,
      stillThere: (ids: string[]) => Promise<{ id: string }[]>,
    ) => {
      if (!ids.length) return;
      const present = new Set((await stillThere(ids)).map((r) => r.id));
      notRestored.push(...ids.filter((id) => !present.has(id)));
      if (present.size) await move([...present]);
    };
    const onSurvivor = { registrantId: merge.survivorId };
    await back(
      record.identifiers,
      (ids) =>
        t.registrantIdentifier.updateMany({
          where: { id: { in: ids } },
          data: { registrantId: merge.mergedId },
        }),
      (ids) =>
        t.registrantIdentifier.findMany({ where: { id: { in: ids }, ...onSurvivor }, select: { id: true } }),
    );
    for (const [table, rows] of [
      ["phone", record.phones],
      ["financial_address", record.financialAddresses],
    ] as const) {
      for (const primary of [true, false]) {
        const ids = rows.filter((r) => r.isPrimary === primary).map((r) => r.id);
        const data = { registrantId: merge.mergedId, isPrimary: primary };
        await back(
          ids,
          (ids) =>
            table === "phone"
              ? t.phone.updateMany({ where: { id: { in: ids } }, data })
              : t.financialAddress.updateMany({ where: { id: { in: ids } }, data }),
          (ids) =>
            table === "phone"
              ? t.phone.findMany({ where: { id: { in: ids }, ...onSurvivor }, select: { id: true } })
              : t.financialAddress.findMany({
                  where: { id: { in: ids }, ...onSurvivor },
                  select: { id: true },
                }),
        );
      }
    }
    for (const side of ["individualId", "groupId"] as const) {
      await back(
        side === "individualId" ? record.memberships : record.members,
        (ids) =>
          t.groupMembership.updateMany({ where: { id: { in: ids } }, data: { [side]: merge.mergedId } }),
        (ids) =>
          t.groupMembership.findMany({
            where: { id: { in: ids }, [side]: merge.survivorId },
            select: { id: true },
          }),
      );
    }
    for (const key of Object.keys(FOLLOWERS) as (keyof typeof FOLLOWERS)[]) {
      const ids = record[key] ?? [];
      if (!ids.length) continue;
      const moved = new Set(await repoint(t, key, merge.survivorId, merge.mergedId, ids));
      notRestored.push(...ids.filter((id) => !moved.has(id)));
    }
    const ended = record.skipped.filter((s) => s.ended).map((s) => s.id);
    if (ended.length)
      await t.groupMembership.updateMany({
        where: { id: { in: ended }, endDate: asDate(record.endedOn) },
        data: { endDate: null },
      });

    const restored = await t.registrant.update({
      where: { id: merged.id },
      data: {
        status: record.prior.status,
        statusReason: record.prior.statusReason,
        deceasedDate: record.prior.deceasedDate ? asDate(record.prior.deceasedDate) : null,
        mergedIntoId: null,
        version: { increment: 1 },
      },
    });
    const reverted = await t.registrantMerge.update({
      where: { id: merge.id },
      data: {
        revertedAt: new Date(),
        moved: { ...record, notRestored } as unknown as Prisma.InputJsonObject,
      },
    });
    if (record.setId) {
      await t.duplicateSet.updateMany({
        where: { id: record.setId },
        data: { status: "OPEN", decidedBy: null, decidedAt: null },
      });
    }
    await recordAudit(t, ctx, {
      action: "registrant.merge_reverted",
      entityType: "Registrant",
      entityId: merged.id,
      before: { status: merged.status, statusReason: merged.statusReason, mergedIntoId: merged.mergedIntoId },
      after: {
        status: restored.status,
        statusReason: restored.statusReason,
        mergedIntoId: null,
        mergeId: merge.id,
        setId: record.setId,
        notRestored,
      },
    });
    return toMerge(reverted);
  });
}

// ---------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------

const SORTABLE = ["mergedAt", "revertedAt"] as const;

function mergeWhere(filter: RegistrantMergeFilter = {}): Prisma.RegistrantMergeWhereInput {
  return {
    ...(filter.ids ? { id: { in: filter.ids } } : {}),
    ...(filter.survivorId ? { survivorId: filter.survivorId } : {}),
    ...(filter.mergedId ? { mergedId: filter.mergedId } : {}),
    ...(filter.setId ? { moved: { path: ["setId"], equals: filter.setId } } : {}),
    ...(filter.reverted != null ? { revertedAt: filter.reverted ? { not: null } : null } : {}),
  };
}

export function findMerges(ctx: RequestContext, args: RegistrantMergeListArgs) {
  const { skip, take, orderBy } = paging(args, SORTABLE, "mergedAt");
  return tx(ctx, async (t) =>
    (await t.registrantMerge.findMany({ where: mergeWhere(args.filter), skip, take, orderBy })).map(toMerge),
  );
}

export function countMerges(ctx: RequestContext, args: RegistrantMergeListArgs) {
  return tx(ctx, (t) => t.registrantMerge.count({ where: mergeWhere(args.filter) }));
}

export function findMerge(ctx: RequestContext, id: string) {
  return tx(ctx, async (t) => {
    const row = await t.registrantMerge.findUnique({ where: { id } });
    return row ? toMerge(row) : null;
  });
}

/** The merges of many sets in one query (newest first), for DataLoader. */
export function mergesOfSets(ctx: RequestContext, setIds: readonly string[]) {
  return tx(ctx, async (t) => {
    const rows = await t.registrantMerge.findMany({
      where: { OR: setIds.map((id) => ({ moved: { path: ["setId"], equals: id } })) },
      orderBy: [{ mergedAt: "desc" }, { id: "desc" }],
    });
    const merges = rows.map(toMerge);
    return setIds.map((id) => merges.filter((m) => m.setId === id));
  });
}

/** Registrants by id in one query, for DataLoader. */
export function registrantsById(ctx: RequestContext, ids: readonly string[]) {
  return tx(ctx, async (t) => {
    const rows = await t.registrant.findMany({ where: { id: { in: [...ids] } } });
    return ids.map((id) => rows.find((r) => r.id === id) ?? null);
  });
}
