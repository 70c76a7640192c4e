// How a remote registry record becomes registrant data: where each field is
// read (defaults follow the names our own registry search sends, both
// dialects: see apps/api/src/g2p/field-map.ts, overridable per data source),
// and how remote identifier type names map to the department's IdTypes (the
// aliases of our server's ID_TYPE_ALIASES, plus per-source overrides).
// Pure functions: the sync job runs them on each page in memory and hands the
// results to PostgreSQL in one statement per step.
import type { Sex } from "@pbms/db";
import { z } from "zod";
import { idTypeCandidates, normaliseName } from "../../g2p/field-map.ts";
import { identifierProblem, type Checksum } from "../registry/checks.ts";

const path = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^.\s]+(\.[^.\s]+)*$/, "a path is keys separated by dots, e.g. name.given_name");
const paths = z.union([path, z.array(path).min(1).max(10)]).transform((p) => (Array.isArray(p) ? p : [p]));

/** `DataSource.fieldMapping`: every key optional; a path or a list of paths (the first non-empty wins). */
export const fieldMappingSchema = z
  .object({
    recordId: paths.optional(),
    givenName: paths.optional(),
    familyName: paths.optional(),
    additionalName: paths.optional(),
    birthDate: paths.optional(),
    sex: paths.optional(),
    identifiers: paths.optional(),
    /** A group's name (a group without one is named after its record id). */
    groupName: paths.optional(),
    /** A group's member list: entries naming the member's person record and their relationship. */
    members: paths.optional(),
    /** Remote relationship (e.g. "self", "wife") → MembershipKind code (checked before the built-in words). */
    membershipKinds: z.record(z.string().min(1).max(100), z.string().min(1).max(100)).optional(),
    /** Remote identifier type name → IdType code of the department (checked before the aliases). */
    idTypes: z.record(z.string().min(1).max(100), z.string().min(1).max(100)).optional(),
  })
  .strict();

export type FieldMappingInput = z.input<typeof fieldMappingSchema>;

/** Where fields are read when the data source does not say otherwise. */
export const DEFAULT_PATHS = {
  recordId: ["@id", "identifier"],
  givenName: ["name.given_name", "given_name"],
  familyName: ["name.sur_name", "name.surname", "name.family_name", "family_name"],
  additionalName: ["name.second_name", "name.middle_name", "second_name"],
  birthDate: ["birthdate", "birth_date"],
  sex: ["sex", "gender"],
  identifiers: ["identifier", "group_identifier"],
  groupName: ["group_name", "name"],
  members: ["member_list"],
} as const satisfies Record<string, readonly string[]>;

type PathKey = keyof typeof DEFAULT_PATHS;

export interface FieldMapping {
  paths: Record<PathKey, readonly string[]>;
  idTypes: Record<string, string>;
  membershipKinds: Record<string, string>;
}

/** Checks a stored or submitted mapping; throws with `pointer: message` problems. */
export function parseFieldMapping(value: unknown): FieldMapping {
  const parsed = fieldMappingSchema.safeParse(value ?? {});
  if (!parsed.success)
    throw new Error(
      parsed.error.issues.map((i) => `${i.path.join(".") || "fieldMapping"}: ${i.message}`).join("; "),
    );
  const m = parsed.data;
  const pick = (k: PathKey) => m[k] ?? DEFAULT_PATHS[k];
  return {
    paths: {
      recordId: pick("recordId"),
      givenName: pick("givenName"),
      familyName: pick("familyName"),
      additionalName: pick("additionalName"),
      birthDate: pick("birthDate"),
      sex: pick("sex"),
      identifiers: pick("identifiers"),
      groupName: pick("groupName"),
      members: pick("members"),
    },
    idTypes: m.idTypes ?? {},
    membershipKinds: Object.fromEntries(
      Object.entries(m.membershipKinds ?? {}).map(([k, v]) => [normaliseName(k), v.trim().toUpperCase()]),
    ),
  };
}

function at(record: unknown, dotted: string): unknown {
  let cur: unknown = record;
  for (const key of dotted.split(".")) {
    if (Array.isArray(cur) && /^\d+$/.test(key)) cur = cur[Number(key)];
    else if (cur && typeof cur === "object" && !Array.isArray(cur))
      cur = (cur as Record<string, unknown>)[key];
    else return undefined;
  }
  return cur;
}

/** The first path holding a non-empty string or number, as trimmed text. */
function text(record: unknown, candidates: readonly string[], max = 200): string | null {
  for (const p of candidates) {
    const v = at(record, p);
    if ((typeof v === "string" || typeof v === "number") && String(v).trim())
      return String(v).trim().slice(0, max);
  }
  return null;
}

function first(record: unknown, candidates: readonly string[]): unknown {
  for (const p of candidates) {
    const v = at(record, p);
    if (v !== undefined && v !== null && v !== "") return v;
  }
  return undefined;
}

const SEX: Record<string, Sex | null> = {
  male: "MALE",
  m: "MALE",
  "1": "MALE",
  female: "FEMALE",
  f: "FEMALE",
  "2": "FEMALE",
  other: "OTHER",
  o: "OTHER",
  "3": "OTHER",
};

/** YYYY-MM-DD (a date-time is cut to its date) of a real, past date from 1880 on; else null. */
function date(value: string | null, today: Date): string | null {
  const m = value ? /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(value) : null;
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return null;
  if (d > today || d.getUTCFullYear() < 1880) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

export interface LocalIdType {
  id: string;
  code: string;
  pattern: string | null;
  checksum: Checksum;
}

/** Resolves remote identifier type names to the department's IdTypes (cached per sync). */
export class IdTypeResolver {
  private readonly byCode = new Map<string, LocalIdType>();
  private readonly cache = new Map<string, LocalIdType | null>();
  private readonly overrides: Map<string, string>;

  constructor(idTypes: readonly LocalIdType[], overrides: Record<string, string>) {
    for (const t of idTypes) this.byCode.set(normaliseName(t.code), t);
    this.overrides = new Map(Object.entries(overrides).map(([k, v]) => [normaliseName(k), normaliseName(v)]));
  }

  resolve(remoteType: string): LocalIdType | null {
    const key = normaliseName(remoteType);
    let hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const override = this.overrides.get(key);
    hit = override !== undefined ? (this.byCode.get(override) ?? null) : null;
    if (!hit && override === undefined) {
      // The exact code first, then the spec's aliases (UIN ↔ NATIONAL_ID…), in the department's code order.
      hit = this.byCode.get(key) ?? null;
      if (!hit)
        for (const candidate of idTypeCandidates(remoteType))
          if ((hit = this.byCode.get(candidate) ?? null)) break;
    }
    this.cache.set(key, hit);
    return hit;
  }
}

/** The membership kinds a remote relationship maps to when the source does not say otherwise. */
export type MemberKind = "HEAD" | "SPOUSE" | "CHILD" | "OTHER";

const KIND_WORDS: Record<Exclude<MemberKind, "OTHER">, readonly string[]> = {
  HEAD: ["head", "self", "hoh", "householdhead", "headofhousehold", "grouphead"],
  SPOUSE: ["spouse", "wife", "husband", "partner"],
  CHILD: ["child", "son", "daughter", "stepchild", "stepson", "stepdaughter"],
};

/** A remote relationship (DCI `relationship_head`, our own registry's kind code) → MembershipKind code. */
export function memberKind(value: string | null, overrides: Record<string, string> = {}): string {
  if (!value) return "OTHER";
  const key = normaliseName(value);
  const override = overrides[key];
  if (override) return override;
  for (const [kind, words] of Object.entries(KIND_WORDS)) if (words.includes(key)) return kind;
  return "OTHER";
}

/** One member a group record lists. */
export interface MemberRef {
  /** The member's person record id in the same source. */
  recordId: string;
  /** MembershipKind code of the department (HEAD, SPOUSE, CHILD, OTHER, or a mapped code). */
  kind: string;
  /** The member's person record when the group record embeds it (DCI `demographic_info`). */
  record: Record<string, unknown> | null;
}

const object = (v: unknown): Record<string, unknown> | null =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/** The value of a DCI name/value pair list entry (`additional_attributes`). */
function attribute(record: unknown, names: readonly string[]): string | null {
  const list = at(record, "additional_attributes");
  if (!Array.isArray(list)) return null;
  for (const item of list) {
    const o = object(item);
    if (
      o &&
      typeof o.name === "string" &&
      names.includes(o.name) &&
      typeof o.value === "string" &&
      o.value.trim()
    )
      return o.value.trim().slice(0, 200);
  }
  return null;
}

/**
 * A group record's members, or null when it does not state them (no member list, and not a
 * `group_size` of 0). An entry names its member by the member's person record id: the id of
 * the embedded person record (`demographic_info`, or DCI's `demographic_info.person`), else
 * `member_id`. Entries without one are left out and counted.
 */
function members(record: unknown, mapping: FieldMapping): { members: MemberRef[] | null; skipped: number } {
  const list = first(record, mapping.paths.members);
  if (!Array.isArray(list)) {
    const size = at(record, "group_size");
    return { members: size === 0 || size === "0" ? [] : null, skipped: 0 };
  }
  const out: MemberRef[] = [];
  let skipped = 0;
  for (const item of list) {
    // DCI samples wrap each entry in `household_member`.
    const entry = object(object(item)?.household_member) ?? object(item);
    const info = entry ? object(entry.demographic_info) : null;
    const person = info ? (object(info.person) ?? info) : null;
    const recordId =
      (person ? text(person, mapping.paths.recordId, 500) : null) ??
      (entry ? text(entry, ["member_id", "member_record_id"], 500) : null);
    if (!entry || !recordId) {
      skipped++;
      continue;
    }
    if (out.some((m) => m.recordId === recordId)) continue;
    out.push({
      recordId,
      kind: memberKind(
        text(entry, ["relationship_head", "relationship", "relationship_type", "kind"]),
        mapping.membershipKinds,
      ),
      record: person && text(person, mapping.paths.recordId, 500) === recordId ? person : null,
    });
  }
  return { members: out, skipped };
}

/** A remote record read into registrant fields. */
export interface MappedRecord {
  /** The record's id in the remote registry (null: the record cannot be cached). */
  recordId: string | null;
  person: boolean;
  /** A group's name: the mapped name, else its `display_name` attribute, else its record id. */
  name?: string | null;
  /** A group's members (null: a person, or a group record that does not list its members). */
  members?: MemberRef[] | null;
  /** Member entries left out: no member record id. */
  skippedMembers?: number;
  givenName: string | null;
  familyName: string | null;
  additionalName: string | null;
  birthDate: string | null;
  sex: Sex | null;
  identifiers: { idTypeId: string; value: string }[];
  /** Identifiers left out: unknown type, or a value the local IdType refuses. */
  skippedIdentifiers: number;
}

/** Reads one remote record with a data source's mapping. */
export function mapRecord(
  record: Record<string, unknown>,
  mapping: FieldMapping,
  idTypes: IdTypeResolver,
  today = new Date(),
): MappedRecord {
  const p = mapping.paths;
  const type = typeof record["@type"] === "string" ? (record["@type"] as string) : "";
  const person = !/(^|[:/#])(group|household)$/i.test(type);
  const sexText = text(record, p.sex);
  const found: { type: string; value: string }[] = [];
  const raw = first(record, p.identifiers);
  if (Array.isArray(raw)) {
    for (const item of raw) {
      if (!item || typeof item !== "object") continue;
      const i = item as Record<string, unknown>;
      const t = i.identifier_type ?? i.type;
      const v = i.identifier_value ?? i.value;
      if (typeof t === "string" && (typeof v === "string" || typeof v === "number"))
        found.push({ type: t, value: String(v).trim() });
    }
  } else if (
    (typeof raw === "string" || typeof raw === "number") &&
    typeof record.identifier_type === "string"
  ) {
    // G2P Connect PersonRecord: one `identifier` with its `identifier_type`.
    found.push({ type: record.identifier_type, value: String(raw).trim() });
  }
  const identifiers: { idTypeId: string; value: string }[] = [];
  let skippedIdentifiers = 0;
  for (const f of found) {
    const local = idTypes.resolve(f.type);
    if (!local || f.value.length > 100 || identifierProblem(f.value, local.pattern, local.checksum)) {
      skippedIdentifiers++;
      continue;
    }
    if (!identifiers.some((x) => x.idTypeId === local.id && x.value === f.value))
      identifiers.push({ idTypeId: local.id, value: f.value });
  }
  const recordId = text(record, p.recordId, 500);
  const group = person ? { members: null, skipped: 0 } : members(record, mapping);
  return {
    recordId,
    person,
    name: person
      ? null
      : (text(record, p.groupName) ?? attribute(record, ["display_name", "group_name"]) ?? recordId),
    members: group.members,
    skippedMembers: group.skipped,
    givenName: person ? text(record, p.givenName) : null,
    familyName: person ? text(record, p.familyName) : null,
    additionalName: person ? text(record, p.additionalName) : null,
    birthDate: person ? date(text(record, p.birthDate), today) : null,
    sex: person && sexText ? (SEX[sexText.toLowerCase()] ?? null) : null,
    identifiers,
    skippedIdentifiers,
  };
}
