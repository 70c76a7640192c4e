// The registry: registrants with their identifiers, phones, accounts and group
// memberships. Lists are one parameterised SQL query (filters PostgreSQL can
// index); changes run in one transaction with their audit event.
import { Prisma, type Registrant as RegistrantRow, type Tx } from "@pbms/db";
import { tx, type RequestContext } from "../../context.ts";
import { AppError, badInput, conflict, ErrorCode, notFound } from "../../errors.ts";
import { paging } from "../../graphql/list.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { validateAttributes } from "./attributes.ts";
import { financialAddress, identifierProblem, normalisePhone } from "./checks.ts";
import type {
  AddGroupMemberInput,
  CreateRegistrantArgs,
  EndGroupMembershipInput,
  Registrant,
  RegistrantFieldsArgs,
  RegistrantFilter,
  RegistrantListArgs,
  UpdateRegistrantArgs,
} from "./registry.type.ts";

const day = (d: Date | null | undefined): string | null => (d ? d.toISOString().slice(0, 10) : null);
const date = (s: string | null | undefined): Date | null | undefined =>
  s == null ? s : new Date(`${s}T00:00:00Z`);

/** The GraphQL shape of a registrant row (dates as YYYY-MM-DD). */
export function toRegistrant(r: RegistrantRow): Registrant {
  return {
    ...r,
    birthDate: day(r.birthDate),
    registrationDate: day(r.registrationDate)!,
    deceasedDate: day(r.deceasedDate),
  };
}

// ---------------------------------------------------------------------------
// Lists
// ---------------------------------------------------------------------------

const SORT_COLUMNS: Record<string, Prisma.Sql> = {
  name: Prisma.sql`r.name`,
  registrationDate: Prisma.sql`r.registration_date`,
  birthDate: Prisma.sql`r.birth_date`,
  createdAt: Prisma.sql`r.created_at`,
  updatedAt: Prisma.sql`r.updated_at`,
  status: Prisma.sql`r.status`,
  kind: Prisma.sql`r.kind`,
};

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** WHERE conditions of a registrant filter; every value is a bind parameter. */
export function registrantConditions(filter: RegistrantFilter = {}): Prisma.Sql[] {
  const c: Prisma.Sql[] = [];
  const q = filter.q?.trim();
  if (q) c.push(Prisma.sql`(r.name % ${q} OR ${q} <% r.name OR r.name ILIKE ${likePattern(q)})`);
  if (filter.ids) c.push(Prisma.sql`r.id = ANY(${filter.ids}::uuid[])`);
  if (filter.kind) c.push(Prisma.sql`r.kind = ${filter.kind}::"RegistrantKind"`);
  if (filter.status) c.push(Prisma.sql`r.status = ${filter.status}::"RegistrantStatus"`);
  if (filter.sex) c.push(Prisma.sql`r.sex = ${filter.sex}::"Sex"`);
  if (filter.gazLargeId) c.push(Prisma.sql`r.gaz_large_id = ${filter.gazLargeId}::uuid`);
  if (filter.gazSmallId) c.push(Prisma.sql`r.gaz_small_id = ${filter.gazSmallId}::uuid`);
  if (filter.identifier) {
    const type = filter.idTypeId ? Prisma.sql`AND i.id_type_id = ${filter.idTypeId}::uuid` : Prisma.empty;
    c.push(
      Prisma.sql`EXISTS (SELECT 1 FROM registrant_identifier i WHERE i.registrant_id = r.id AND i.value = ${filter.identifier.trim()} ${type})`,
    );
  }
  if (filter.phone) {
    const phone = normalisePhone(filter.phone);
    if (!phone)
      throw badInput("filter.phone", "Give the phone number in international format, e.g. +254712345678");
    c.push(
      Prisma.sql`EXISTS (SELECT 1 FROM phone p WHERE p.registrant_id = r.id AND p.e164 = ${phone.e164})`,
    );
  }
  if (filter.age_gte != null)
    c.push(Prisma.sql`r.birth_date <= current_date - make_interval(years => ${filter.age_gte}::int)`);
  if (filter.age_lte != null)
    c.push(Prisma.sql`r.birth_date > current_date - make_interval(years => ${filter.age_lte + 1}::int)`);
  if (filter.groupId) {
    c.push(
      Prisma.sql`EXISTS (SELECT 1 FROM group_membership m WHERE m.individual_id = r.id AND m.group_id = ${filter.groupId}::uuid AND m.end_date IS NULL)`,
    );
  }
  if (filter.memberId) {
    c.push(
      Prisma.sql`EXISTS (SELECT 1 FROM group_membership m WHERE m.group_id = r.id AND m.individual_id = ${filter.memberId}::uuid AND m.end_date IS NULL)`,
    );
  }
  if (filter.tag) c.push(Prisma.sql`r.tags @> ARRAY[${filter.tag}]::text[]`);
  if (filter.attributes && Object.keys(filter.attributes).length) {
    c.push(Prisma.sql`r.attributes @> ${JSON.stringify(filter.attributes)}::jsonb`);
  }
  if (filter.registrationDate_gte)
    c.push(Prisma.sql`r.registration_date >= ${filter.registrationDate_gte}::date`);
  if (filter.registrationDate_lte)
    c.push(Prisma.sql`r.registration_date <= ${filter.registrationDate_lte}::date`);
  return c;
}

const whereSql = (conditions: Prisma.Sql[]) =>
  conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;

export function findRegistrants(ctx: RequestContext, args: RegistrantListArgs) {
  const q = args.filter?.q?.trim();
  const { skip, take } = paging(args, Object.keys(SORT_COLUMNS), "name");
  const direction =
    (args.sortOrder ?? (args.sortField ? "ASC" : "ASC")).toUpperCase() === "DESC"
      ? Prisma.sql`DESC`
      : Prisma.sql`ASC`;
  // A name search ranks the closest names first; the requested sort breaks ties.
  const sorted = Prisma.sql`${SORT_COLUMNS[args.sortField ?? "name"]!} ${direction} NULLS LAST, r.id ${direction}`;
  const order = q
    ? Prisma.sql`word_similarity(${q}, r.name) DESC, similarity(r.name, ${q}) DESC, ${sorted}`
    : sorted;
  return tx(ctx, async (t) => {
    const rows = await t.$queryRaw<{ id: string }[]>`
      SELECT r.id FROM registrant r ${whereSql(registrantConditions(args.filter))}
      ORDER BY ${order} LIMIT ${take} OFFSET ${skip}`;
    const ids = rows.map((r) => r.id);
    const found = await t.registrant.findMany({ where: { id: { in: ids } } });
    const byId = new Map(found.map((r) => [r.id, r]));
    return ids.map((id) => toRegistrant(byId.get(id)!));
  });
}

export function countRegistrants(ctx: RequestContext, args: RegistrantListArgs) {
  return tx(ctx, async (t) => {
    const [row] = await t.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM registrant r ${whereSql(registrantConditions(args.filter))}`;
    return row?.n ?? 0;
  });
}

export function findRegistrant(ctx: RequestContext, id: string) {
  return tx(ctx, async (t) => {
    const r = await t.registrant.findUnique({ where: { id } });
    return r ? toRegistrant(r) : null;
  });
}

// ---------------------------------------------------------------------------
// Changes
// ---------------------------------------------------------------------------

/** The registrant with its identifiers, phones and accounts, as audited. */
async function snapshot(t: Tx, id: string) {
  const r = await t.registrant.findUniqueOrThrow({
    where: { id },
    include: {
      identifiers: {
        select: { idTypeId: true, value: true, status: true, expiresOn: true },
        orderBy: { value: "asc" },
      },
      phones: { select: { e164: true, isPrimary: true }, orderBy: { e164: "asc" } },
      financialAddresses: { select: { fa: true, isPrimary: true }, orderBy: { fa: "asc" } },
    },
  });
  const { createdAt: _c, updatedAt: _u, tenantId: _t, ...rest } = r;
  return {
    ...rest,
    birthDate: day(r.birthDate),
    registrationDate: day(r.registrationDate),
    deceasedDate: day(r.deceasedDate),
  };
}

type Fields = RegistrantFieldsArgs & { kind: "INDIVIDUAL" | "GROUP" };

const today = () => new Date().toISOString().slice(0, 10);

/** Checks the merged fields of a registrant and returns what to store. */
async function prepareFields(t: Tx, f: Fields) {
  const individual = f.kind === "INDIVIDUAL";
  let name = f.name?.trim();
  if (individual) {
    const parts = [f.givenName, f.additionalName, f.familyName].map((p) => p?.trim()).filter(Boolean);
    if (!f.givenName?.trim() && !f.familyName?.trim())
      throw badInput("givenName", "A person needs a given or a family name");
    name = parts.join(" ");
  } else {
    if (!name) throw badInput("name", "A group needs a name");
    for (const field of ["givenName", "familyName", "additionalName", "birthDate", "sex"] as const) {
      if (f[field] != null && f[field] !== "") throw badInput(field, `A group has no ${field}`);
    }
  }
  if (f.birthDate) {
    if (f.birthDate > today()) throw badInput("birthDate", "The birth date is in the future");
    if (f.birthDate < "1880-01-01") throw badInput("birthDate", "The birth date is too far in the past");
  }
  if (f.status === "INACTIVE" && !f.statusReason?.trim())
    throw badInput("statusReason", "Say why the registrant is inactive");
  if (f.deceasedDate && f.status !== "DECEASED")
    throw badInput("deceasedDate", "Only a deceased registrant has a date of death");
  if (f.deceasedDate && f.deceasedDate > today())
    throw badInput("deceasedDate", "The date of death is in the future");

  let gazLargeId = f.gazLargeId ?? null;
  const gazSmallId = f.gazSmallId ?? null;
  const zoneIds = [gazLargeId, gazSmallId].filter((z): z is string => !!z);
  const zones = zoneIds.length ? await t.geoZone.findMany({ where: { id: { in: zoneIds } } }) : [];
  const large = zones.find((z) => z.id === gazLargeId);
  const small = zones.find((z) => z.id === gazSmallId);
  if (gazLargeId && large?.level !== "LARGE")
    throw badInput("gazLargeId", "Not a GAZ-large zone of your department");
  if (gazSmallId) {
    if (small?.level !== "SMALL") throw badInput("gazSmallId", "Not a GAZ-small zone of your department");
    if (gazLargeId && small.parentId !== gazLargeId)
      throw badInput("gazSmallId", "The GAZ-small zone is not inside the GAZ-large zone");
    gazLargeId = small.parentId;
  }

  const defs = await t.attributeDefinition.findMany();
  const checked = validateAttributes(defs, f.attributes ?? {}, f.kind);
  if ("problems" in checked) {
    const [first] = checked.problems;
    throw new AppError(ErrorCode.BadUserInput, first!.message, {
      field: first!.field,
      errors: checked.problems,
    });
  }

  return {
    externalId: f.externalId?.trim() || null,
    name: name!,
    familyName: individual ? f.familyName?.trim() || null : null,
    givenName: individual ? f.givenName?.trim() || null : null,
    additionalName: individual ? f.additionalName?.trim() || null : null,
    birthDate: individual ? (date(f.birthDate) ?? null) : null,
    birthDateNotExact: f.birthDateNotExact ?? false,
    sex: individual ? (f.sex ?? null) : null,
    ...(f.registrationDate ? { registrationDate: date(f.registrationDate)! } : {}),
    status: f.status ?? "ACTIVE",
    statusReason: f.status === "INACTIVE" ? f.statusReason!.trim() : null,
    deceasedDate: f.status === "DECEASED" ? (date(f.deceasedDate) ?? null) : null,
    gazLargeId,
    gazSmallId,
    addressText: f.addressText?.trim() || null,
    tags: [...new Set((f.tags ?? []).map((x) => x.trim()).filter(Boolean))],
    attributes: checked.attributes as Prisma.InputJsonObject,
  };
}

/** Replaces the identifiers, phones and accounts given in `f` (lists left out stay as they are). */
async function replaceDetails(t: Tx, ctx: RequestContext, registrantId: string, f: RegistrantFieldsArgs) {
  const tenantId = ctx.tenantId;
  if (f.identifiers) {
    const types = new Map((await t.idType.findMany()).map((x) => [x.id, x]));
    const seen = new Set<string>();
    const rows = f.identifiers.map((input, i) => {
      const type = types.get(input.idTypeId);
      if (!type) throw badInput(`identifiers.${i}.idTypeId`, "Unknown identifier type");
      const value = input.value.trim();
      const problem = identifierProblem(value, type.pattern, type.checksum);
      if (problem) throw badInput(`identifiers.${i}.value`, `${type.name} ${problem}`);
      if (seen.has(`${type.id}:${value}`))
        throw badInput(`identifiers.${i}.value`, "The same identifier is listed twice");
      seen.add(`${type.id}:${value}`);
      return {
        tenantId,
        registrantId,
        idTypeId: type.id,
        value,
        issuedOn: date(input.issuedOn) ?? null,
        expiresOn: date(input.expiresOn) ?? null,
        status: input.status ?? "VALID",
      };
    });
    const taken = await t.registrantIdentifier.findMany({
      where: {
        registrantId: { not: registrantId },
        OR: rows.map((r) => ({ idTypeId: r.idTypeId, value: r.value })),
      },
    });
    if (taken.length) {
      const i = rows.findIndex((r) => r.idTypeId === taken[0]!.idTypeId && r.value === taken[0]!.value);
      throw new AppError(ErrorCode.Conflict, "This identifier belongs to another registrant", {
        field: `identifiers.${i}.value`,
        registrantId: taken[0]!.registrantId,
      });
    }
    await t.registrantIdentifier.deleteMany({ where: { registrantId } });
    if (rows.length) await t.registrantIdentifier.createMany({ data: rows });
  }
  if (f.phones) {
    const rows = f.phones.map((input, i) => {
      const phone = normalisePhone(input.number, input.country);
      if (!phone)
        throw badInput(
          `phones.${i}.number`,
          "Not a valid phone number (give the country for national numbers)",
        );
      return {
        tenantId,
        registrantId,
        e164: phone.e164,
        country: phone.country,
        isPrimary: input.isPrimary ?? i === 0,
      };
    });
    await t.phone.deleteMany({ where: { registrantId } });
    if (rows.length) await t.phone.createMany({ data: rows });
  }
  if (f.financialAddresses) {
    const rows = f.financialAddresses.map((input, i) => {
      const checked = financialAddress(input);
      if ("field" in checked)
        throw badInput(`financialAddresses.${i}.${checked.field}`, `${checked.field} ${checked.message}`);
      return {
        tenantId,
        registrantId,
        kind: input.kind,
        accountHolder: input.accountHolder?.trim() || null,
        ...checked,
        isPrimary: input.isPrimary ?? i === 0,
      };
    });
    await t.financialAddress.deleteMany({ where: { registrantId } });
    if (rows.length) await t.financialAddress.createMany({ data: rows });
  }
}

export function createRegistrant(ctx: RequestContext, args: CreateRegistrantArgs) {
  return tx(ctx, async (t) => {
    if (args.members?.length && args.kind !== "GROUP") throw badInput("members", "Only a group has members");
    if (args.externalId) {
      const existing = await t.registrant.findUnique({
        where: { tenantId_externalId: { tenantId: ctx.tenantId, externalId: args.externalId } },
      });
      if (existing)
        throw new AppError(ErrorCode.Conflict, `A registrant with external id ${args.externalId} exists`, {
          field: "externalId",
          existingId: existing.id,
        });
    }
    const data = await prepareFields(t, args);
    const created = await t.registrant.create({ data: { ...data, kind: args.kind, tenantId: ctx.tenantId } });
    await replaceDetails(t, ctx, created.id, args);
    for (const [i, member] of (args.members ?? []).entries()) {
      await addMember(t, ctx, { ...member, groupId: created.id }, `members.${i}`);
    }
    await recordAudit(t, ctx, {
      action: "registrant.created",
      entityType: "Registrant",
      entityId: created.id,
      after: await snapshot(t, created.id),
    });
    return toRegistrant(created);
  });
}

export function updateRegistrant(ctx: RequestContext, args: UpdateRegistrantArgs) {
  return tx(ctx, async (t) => {
    const current = await t.registrant.findUnique({ where: { id: args.id } });
    if (!current) throw notFound("Registrant", args.id);
    if (args.version != null && args.version !== current.version) {
      throw new AppError(
        ErrorCode.Conflict,
        "Someone changed this registrant since you read it; reload and try again",
        {
          field: "version",
          currentVersion: current.version,
        },
      );
    }
    const before = await snapshot(t, args.id);
    const { id: _id, version: _v, identifiers, phones, financialAddresses, ...changes } = args;
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    const merged = { ...toRegistrant(current), ...defined, kind: current.kind } as Fields;
    const data = await prepareFields(t, {
      ...merged,
      attributes: (merged.attributes ?? {}) as Record<string, unknown>,
    });
    const updated = await t.registrant.update({
      where: { id: args.id },
      data: { ...data, version: { increment: 1 } },
    });
    await replaceDetails(t, ctx, args.id, { identifiers, phones, financialAddresses });
    await recordAudit(t, ctx, {
      action: "registrant.updated",
      entityType: "Registrant",
      entityId: args.id,
      before,
      after: await snapshot(t, args.id),
    });
    return toRegistrant(updated);
  });
}

async function addMember(t: Tx, ctx: RequestContext, input: AddGroupMemberInput, field: string) {
  const [group, individual, kind] = await Promise.all([
    t.registrant.findUnique({ where: { id: input.groupId } }),
    t.registrant.findUnique({ where: { id: input.individualId } }),
    t.membershipKind.findUnique({ where: { id: input.kindId } }),
  ]);
  if (group?.kind !== "GROUP") throw badInput(`${field}.groupId`, "Not a group of your department");
  if (individual?.kind !== "INDIVIDUAL")
    throw badInput(`${field}.individualId`, "Not an individual of your department");
  if (!kind) throw badInput(`${field}.kindId`, "Unknown membership kind");
  const current = await t.groupMembership.findMany({ where: { groupId: group.id, endDate: null } });
  if (current.some((m) => m.individualId === individual.id)) {
    throw badInput(`${field}.individualId`, `${individual.name} is already a member of ${group.name}`);
  }
  if (kind.uniquePerGroup && current.some((m) => m.kindId === kind.id)) {
    throw new AppError(ErrorCode.Conflict, `${group.name} already has a current ${kind.name}`, {
      field: `${field}.kindId`,
    });
  }
  return t.groupMembership.create({
    data: {
      tenantId: ctx.tenantId,
      groupId: group.id,
      individualId: individual.id,
      kindId: kind.id,
      ...(input.startDate ? { startDate: date(input.startDate)! } : {}),
    },
  });
}

const toMembership = <M extends { startDate: Date; endDate: Date | null }>(m: M) => ({
  ...m,
  startDate: day(m.startDate)!,
  endDate: day(m.endDate),
});

export function addGroupMember(ctx: RequestContext, input: AddGroupMemberInput) {
  return tx(ctx, async (t) => {
    const m = await addMember(t, ctx, input, "input");
    await recordAudit(t, ctx, {
      action: "group_membership.created",
      entityType: "GroupMembership",
      entityId: m.id,
      after: toMembership(m),
    });
    return toMembership(m);
  });
}

export function endGroupMembership(ctx: RequestContext, input: EndGroupMembershipInput) {
  return tx(ctx, async (t) => {
    const m = await t.groupMembership.findUnique({ where: { id: input.id } });
    if (!m) throw notFound("GroupMembership", input.id);
    if (m.endDate) throw conflict("This membership has already ended");
    const endDate = input.endDate ?? today();
    if (endDate < day(m.startDate)!)
      throw badInput("input.endDate", "The membership cannot end before it started");
    const ended = await t.groupMembership.update({ where: { id: m.id }, data: { endDate: date(endDate)! } });
    await recordAudit(t, ctx, {
      action: "group_membership.ended",
      entityType: "GroupMembership",
      entityId: m.id,
      before: toMembership(m),
      after: toMembership(ended),
    });
    return toMembership(ended);
  });
}

// ---------------------------------------------------------------------------
// Details, batched per request
// ---------------------------------------------------------------------------

/** Loads one detail list for many registrants in one query (used by DataLoader). */
export function detailsOf(
  ctx: RequestContext,
  kind: "identifiers" | "phones" | "financialAddresses",
  ids: readonly string[],
) {
  return tx(ctx, async (t) => {
    const where = { registrantId: { in: [...ids] } };
    const rows: { registrantId: string }[] =
      kind === "identifiers"
        ? (await t.registrantIdentifier.findMany({ where, orderBy: { createdAt: "asc" } })).map((r) => ({
            ...r,
            issuedOn: day(r.issuedOn),
            expiresOn: day(r.expiresOn),
          }))
        : kind === "phones"
          ? await t.phone.findMany({ where, orderBy: [{ isPrimary: "desc" }, { createdAt: "asc" }] })
          : await t.financialAddress.findMany({
              where,
              orderBy: [{ isPrimary: "desc" }, { createdAt: "asc" }],
            });
    return ids.map((id) => rows.filter((r) => r.registrantId === id));
  });
}

export function membershipsOf(ctx: RequestContext, side: "groupId" | "individualId", ids: readonly string[]) {
  return tx(ctx, async (t) => {
    const rows = await t.groupMembership.findMany({
      where: { [side]: { in: [...ids] } },
      orderBy: [{ endDate: { sort: "desc", nulls: "first" } }, { startDate: "asc" }],
    });
    return ids.map((id) => rows.filter((r) => r[side] === id).map(toMembership));
  });
}
