// The one table between PBMS's registry and the registry-search messages:
//  - RECORD_FIELDS / GROUP_FIELDS: which registrant data goes where in a
//    response record, under the G2P Connect name and the DCI name;
//  - QUERY_ATTRIBUTES: which attribute names a predicate/expression query may
//    use, and SORT_ATTRIBUTES for `sort`;
//  - ID_TYPE_ALIASES: spec identifier type names -> our IdType codes.
//
// Field names. G2P Connect: `extensions/dci/PersonRecord.yaml` (shared by the
// DCI registry spec as dci_PersonRecord), `extensions/openid/Address.yaml`,
// `extensions/cdpi/FinancialAddress.yaml`. DCI: the spdci sample messages and
// social-registry data objects (Person, Group, Member). Where both use the same
// name it is written once. Where they use the same name for different shapes,
// the DCI shape wins (what DCI/OpenG2P/OpenSPP implementations send):
//   - `identifier`: DCI's list [{identifier_type, identifier_value}] instead of
//     G2P Connect's single string (paired with `identifier_type`).
// G2P Connect defines no group record: groups use the DCI Group/Member names.
import type { Prisma, RegistrantKind } from "@pbms/db";

// ---------------------------------------------------------------------------
// What is read from the database
// ---------------------------------------------------------------------------

/** Relations loaded for a person record. */
export const personInclude = {
  identifiers: {
    where: { status: { not: "REVOKED" } },
    include: { idType: { select: { code: true } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  },
  phones: { orderBy: [{ isPrimary: "desc" }, { createdAt: "asc" }, { id: "asc" }] },
  financialAddresses: { orderBy: [{ isPrimary: "desc" }, { createdAt: "asc" }, { id: "asc" }], take: 1 },
  gazLarge: { select: { code: true, name: true } },
  gazSmall: { select: { code: true, name: true } },
} satisfies Prisma.RegistrantInclude;

/** Relations loaded for a group record: the person relations plus current members. */
export function groupInclude(today: Date) {
  return {
    ...personInclude,
    members: {
      where: { OR: [{ endDate: null }, { endDate: { gt: today } }], startDate: { lte: today } },
      include: {
        kind: { select: { code: true, name: true } },
        individual: { include: personInclude },
      },
      orderBy: [{ startDate: "asc" }, { id: "asc" }],
    },
  } satisfies Prisma.RegistrantInclude;
}

export type PersonRow = Prisma.RegistrantGetPayload<{ include: typeof personInclude }>;
export type GroupRow = Prisma.RegistrantGetPayload<{ include: ReturnType<typeof groupInclude> }>;

// ---------------------------------------------------------------------------
// Response records
// ---------------------------------------------------------------------------

export interface RecordField<R> {
  /** Where the value comes from in PBMS (for docs/g2p-connect.md). */
  source: string;
  /** Path(s) in the record under G2P Connect names ("a.b" = nested object). */
  g2pconnect: readonly string[];
  /** Path(s) in the record under DCI names. */
  dci: readonly string[];
  value(row: R): unknown;
}

const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : undefined);
const lower = (s: string | null | undefined) => (s ? s.toLowerCase() : undefined);

function identifierList(row: PersonRow) {
  return row.identifiers.map((i) => ({
    "@type": "Identifier",
    identifier_type: i.idType.code,
    identifier_value: i.value,
  }));
}

/** Name/value pairs without a standard field (`additional_attributes`, AttributeNameValueList). */
function additionalAttributes(row: PersonRow) {
  const pairs: [string, unknown][] = [
    ["display_name", row.name],
    ["external_id", row.externalId],
    ["status", lower(row.status)],
    ["gaz_large_code", row.gazLarge?.code],
    ["gaz_large_name", row.gazLarge?.name],
    ["gaz_small_code", row.gazSmall?.code],
    ["gaz_small_name", row.gazSmall?.name],
    ["birthdate_estimated", row.birthDate && row.birthDateNotExact ? true : undefined],
  ];
  return pairs.filter(([, v]) => v !== undefined && v !== null).map(([name, value]) => ({ name, value }));
}

/** What a record is: first in every record. */
function identity<R extends PersonRow>(type: string): RecordField<R>[] {
  return [
    { source: `"${type}"`, g2pconnect: ["@type"], dci: ["@type"], value: () => type },
    { source: "Registrant.id", g2pconnect: ["@id"], dci: ["@id"], value: (r) => `urn:uuid:${r.id}` },
  ];
}

/** Contact, place and bookkeeping fields both record kinds share. */
function commonFields<R extends PersonRow>(): RecordField<R>[] {
  return [
    {
      source: "Phone.e164 (primary first)",
      g2pconnect: ["phone_number"],
      dci: ["phone_number"],
      value: (r) => r.phones[0]?.e164,
    },
    {
      source: "Registrant.addressText",
      g2pconnect: ["address.address_line1"],
      dci: ["address.street_address"],
      value: (r) => r.addressText ?? undefined,
    },
    {
      source: "GeoZone (SMALL).name",
      g2pconnect: ["address.locality"],
      dci: ["address.locality"],
      value: (r) => r.gazSmall?.name,
    },
    {
      source: "GeoZone (LARGE).code",
      g2pconnect: ["address.region_code"],
      dci: ["address.region_code"],
      value: (r) => r.gazLarge?.code,
    },
    {
      source: "FinancialAddress.fa (primary first)",
      g2pconnect: ["fa"],
      dci: [],
      value: (r) => r.financialAddresses[0]?.fa,
    },
    {
      source: "Registrant.registrationDate (YYYY-MM-DD)",
      g2pconnect: [],
      dci: ["registration_date"],
      value: (r) => day(r.registrationDate),
    },
    {
      source: "Registrant.updatedAt (Unix seconds)",
      g2pconnect: ["updated_at"],
      dci: [],
      value: (r) => Math.floor(r.updatedAt.getTime() / 1000),
    },
    {
      source: "Registrant.updatedAt (ISO 8601)",
      g2pconnect: [],
      dci: ["last_updated"],
      value: (r) => r.updatedAt.toISOString(),
    },
    {
      source: "name, externalId, status, zone codes/names, birthDateNotExact",
      g2pconnect: ["additional_attributes"],
      dci: ["additional_attributes"],
      value: additionalAttributes,
    },
  ];
}

/** A person (INDIVIDUAL registrant). */
export const RECORD_FIELDS: readonly RecordField<PersonRow>[] = [
  ...identity<PersonRow>("Person"),
  {
    source: "RegistrantIdentifier + IdType.code (not REVOKED)",
    g2pconnect: [],
    dci: ["identifier"],
    value: identifierList,
  },
  {
    source: "Registrant.givenName",
    g2pconnect: ["name.given_name"],
    dci: ["name.given_name"],
    value: (r) => r.givenName ?? undefined,
  },
  {
    source: "Registrant.familyName",
    g2pconnect: ["name.sur_name"],
    dci: ["name.surname"],
    value: (r) => r.familyName ?? undefined,
  },
  {
    source: "Registrant.additionalName",
    g2pconnect: ["name.second_name"],
    dci: ["name.second_name"],
    value: (r) => r.additionalName ?? undefined,
  },
  { source: "Registrant.sex (lower case)", g2pconnect: ["sex"], dci: ["sex"], value: (r) => lower(r.sex) },
  {
    source: "Registrant.birthDate (YYYY-MM-DD)",
    g2pconnect: ["birthdate"],
    dci: ["birth_date"],
    value: (r) => day(r.birthDate),
  },
  {
    source: "Registrant.deceasedDate (date-time, as the spec's DateTime)",
    g2pconnect: ["deathdate"],
    dci: [],
    value: (r) => (r.deceasedDate ? r.deceasedDate.toISOString() : undefined),
  },
  {
    source: "Registrant.deceasedDate (YYYY-MM-DD)",
    g2pconnect: [],
    dci: ["death_date"],
    value: (r) => day(r.deceasedDate),
  },
  ...commonFields<PersonRow>(),
];

type MemberRow = GroupRow["members"][number];

function memberRecord(m: MemberRow) {
  return {
    "@type": "Member",
    member_identifier: identifierList(m.individual),
    demographic_info: buildRecord(RECORD_FIELDS, m.individual),
    relationship_head: m.kind.code.toLowerCase(),
    membership_start_date: day(m.startDate),
  };
}

const isHead = (m: MemberRow) => /head/i.test(m.kind.code);

/** A group (GROUP registrant, e.g. a household): DCI Group names only. */
export const GROUP_FIELDS: readonly RecordField<GroupRow>[] = [
  ...identity<GroupRow>("Group"),
  {
    source: "RegistrantIdentifier + IdType.code (not REVOKED)",
    g2pconnect: [],
    dci: ["group_identifier"],
    value: identifierList,
  },
  {
    source: "current GroupMemberships (count)",
    g2pconnect: [],
    dci: ["group_size"],
    value: (g) => g.members.length,
  },
  ...commonFields<GroupRow>(),
  {
    source: "current member whose MembershipKind.code contains HEAD",
    g2pconnect: [],
    dci: ["group_head_info"],
    value: (g) => {
      const head = g.members.find(isHead);
      return head ? memberRecord(head) : undefined;
    },
  },
  {
    source: "current GroupMemberships, head first (member + person record)",
    g2pconnect: [],
    dci: ["member_list"],
    value: (g) => [...g.members].sort((a, b) => Number(isHead(b)) - Number(isHead(a))).map(memberRecord),
  },
];

/** Builds one record from a table of fields: every non-empty value, under every name. */
export function buildRecord<R>(fields: readonly RecordField<R>[], row: R): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const field of fields) {
    const value = field.value(row);
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) continue;
    for (const path of new Set([...field.g2pconnect, ...field.dci])) setPath(record, path, value);
  }
  return record;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next === "object" && next !== null && !Array.isArray(next))
      node = next as Record<string, unknown>;
    else node = node[key] = {};
  }
  node[keys.at(-1)!] = value;
}

/** `data.reg_record_type` of each kind of record. */
export const RECORD_TYPES: Record<RegistrantKind, string> = {
  INDIVIDUAL: "ns:pbms:RegistryRecordType:Person",
  GROUP: "ns:pbms:RegistryRecordType:Group",
};

// ---------------------------------------------------------------------------
// Query attributes (predicate and expression queries) and sorting
// ---------------------------------------------------------------------------

export type AttributeKind =
  "text" | "date" | "year" | "age" | "sex" | "zone" | "status" | "phone" | "externalId";

export type TextColumn = "givenName" | "familyName" | "additionalName" | "name";
export type DateColumn = "birthDate" | "registrationDate" | "deceasedDate";

export interface QueryAttribute {
  /** Canonical name (shown in docs and errors). */
  name: string;
  /** Other accepted names; matching ignores case, `_`, `-` and any `a.b.` prefix. */
  aliases: readonly string[];
  kind: AttributeKind;
  column?: TextColumn | DateColumn;
}

export const QUERY_ATTRIBUTES: readonly QueryAttribute[] = [
  { name: "given_name", aliases: ["givenName", "first_name"], kind: "text", column: "givenName" },
  {
    name: "family_name",
    aliases: ["sur_name", "surname", "familyName", "last_name"],
    kind: "text",
    column: "familyName",
  },
  {
    name: "second_name",
    aliases: ["additional_name", "middle_name", "additionalName"],
    kind: "text",
    column: "additionalName",
  },
  { name: "name", aliases: ["full_name", "display_name"], kind: "text", column: "name" },
  {
    name: "birthdate",
    aliases: ["birth_date", "birthDate", "DOB", "date_of_birth"],
    kind: "date",
    column: "birthDate",
  },
  { name: "YOB", aliases: ["year_of_birth", "birth_year"], kind: "year" },
  { name: "age", aliases: [], kind: "age" },
  { name: "sex", aliases: ["gender"], kind: "sex" },
  {
    name: "registration_date",
    aliases: ["registrationDate", "reg_date"],
    kind: "date",
    column: "registrationDate",
  },
  { name: "deathdate", aliases: ["death_date", "deceased_date"], kind: "date", column: "deceasedDate" },
  {
    name: "zone_code",
    aliases: ["zone", "area_code", "area-code", "gaz_code", "region_code", "sub_region_code", "location"],
    kind: "zone",
  },
  { name: "status", aliases: ["registrant_status"], kind: "status" },
  { name: "phone_number", aliases: ["phone", "mobile", "msisdn", "telephone"], kind: "phone" },
  { name: "external_id", aliases: ["externalId"], kind: "externalId" },
];

export interface SortAttribute {
  name: string;
  aliases: readonly string[];
  column: TextColumn | DateColumn;
  nullable: boolean;
}

export const SORT_ATTRIBUTES: readonly SortAttribute[] = [
  { name: "name", aliases: ["full_name", "display_name"], column: "name", nullable: false },
  { name: "given_name", aliases: ["givenName", "first_name"], column: "givenName", nullable: true },
  {
    name: "family_name",
    aliases: ["sur_name", "surname", "familyName", "last_name"],
    column: "familyName",
    nullable: true,
  },
  {
    name: "birthdate",
    aliases: ["birth_date", "birthDate", "DOB", "YOB", "age"],
    column: "birthDate",
    nullable: true,
  },
  {
    name: "registration_date",
    aliases: ["registrationDate", "reg_date"],
    column: "registrationDate",
    nullable: false,
  },
];

/** "demographic_info.person.Birth-Date" -> "birthdate". */
export function normaliseName(name: string): string {
  return (name.split(".").at(-1) ?? name).toLowerCase().replace(/[^a-z0-9]/g, "");
}

function index<T extends { name: string; aliases: readonly string[] }>(rows: readonly T[]) {
  const map = new Map<string, T>();
  for (const row of rows) for (const n of [row.name, ...row.aliases]) map.set(normaliseName(n), row);
  return map;
}

const QUERY_INDEX = index(QUERY_ATTRIBUTES);
const SORT_INDEX = index(SORT_ATTRIBUTES);

export const queryAttribute = (name: string) => QUERY_INDEX.get(normaliseName(name));
export const sortAttribute = (name: string) => SORT_INDEX.get(normaliseName(name));

// ---------------------------------------------------------------------------
// Identifier types
// ---------------------------------------------------------------------------

/**
 * Spec identifier type names (G2P Connect/DCI: UIN, BRN, MRN, DRN, MOBILE…) and
 * the IdType codes each may mean. Codes are compared case-insensitively and
 * without punctuation; a type not listed matches the IdType of the same code.
 */
export const ID_TYPE_ALIASES: readonly (readonly string[])[] = [
  ["UIN", "NATIONAL_ID", "NATIONALID", "NID", "NIN", "NATIONAL_ID_NUMBER"],
  ["BRN", "BIRTH_REGISTRATION_NUMBER", "BIRTH_CERTIFICATE"],
  ["MRN", "MARRIAGE_REGISTRATION_NUMBER", "MARRIAGE_CERTIFICATE"],
  ["DRN", "DEATH_REGISTRATION_NUMBER", "DEATH_CERTIFICATE"],
  ["PASSPORT", "PASSPORT_NUMBER"],
];

/** Every IdType code (normalised) a spec identifier type name may stand for. */
export function idTypeCandidates(type: string): Set<string> {
  const wanted = normaliseName(type);
  const out = new Set([wanted]);
  for (const group of ID_TYPE_ALIASES) {
    const normalised = group.map(normaliseName);
    if (normalised.includes(wanted)) for (const n of normalised) out.add(n);
  }
  return out;
}
