/** What an imported file holds (the job's `entity`). */
export type ImportEntity = "GROUP" | "INDIVIDUAL" | "MEMBERSHIP";

/** A column that is not imported (the job's own word for it). */
export const IGNORE = "ignore";

/** Usual column names of the registry's files that mean another field. */
const aliases: Readonly<Record<ImportEntity, Readonly<Record<string, string>>>> = {
  GROUP: { household_id: "external_id", group_id: "external_id" },
  INDIVIDUAL: {
    individual_id: "external_id",
    person_id: "external_id",
    household_id: "group_external_id",
    group_id: "group_external_id",
    member_kind: "membership_kind",
  },
  MEMBERSHIP: {
    individual_id: "external_id",
    person_id: "external_id",
    household_id: "group_external_id",
    group_id: "group_external_id",
    member_kind: "membership_kind",
  },
};

export interface MappingTargets {
  /** Fields of the entity, from the API's `importFields(entity)`. */
  fields: readonly string[];
  /** Attribute codes that apply to the entity (`roof_material`). */
  attributes: readonly string[];
  /** Identifier type codes (`NATIONAL_ID`). */
  idTypes: readonly string[];
}

/** Every target a column can map to: fields, `attr.<code>`, `id.<CODE>`. */
export function mappingTargets(entity: ImportEntity, targets: MappingTargets): string[] {
  return [
    ...targets.fields,
    // Memberships have no attributes.
    ...(entity === "MEMBERSHIP" ? [] : targets.attributes.map((code) => `attr.${code}`)),
    // Identifiers belong to individuals only.
    ...(entity === "INDIVIDUAL" ? targets.idTypes.map((code) => `id.${code}`) : []),
  ];
}

const normalised = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");

/**
 * The obvious target of each column: a field, attribute or identifier type of the same
 * name (`roof_material` → `attr.roof_material`, `national_id` → `id.NATIONAL_ID`), a
 * known alias (`household_id` → `external_id` for groups), else ignored. A target is
 * given to one column only.
 */
export function autoMapColumns(
  columns: readonly string[],
  entity: ImportEntity,
  targets: MappingTargets,
): Record<string, string> {
  const result: Record<string, string> = {};
  const used = new Set<string>();
  const fields = new Set(targets.fields);
  const idTypes = entity === "INDIVIDUAL" ? targets.idTypes : [];
  const attributes = entity === "MEMBERSHIP" ? [] : targets.attributes;
  for (const column of columns) {
    const name = normalised(column);
    const attribute = attributes.find((code) => normalised(code) === name);
    const idType = idTypes.find((code) => normalised(code) === name);
    let target: string = IGNORE;
    if (fields.has(name)) target = name;
    else if (name.startsWith("attr.") && attributes.some((c) => `attr.${normalised(c)}` === name))
      target = `attr.${attributes.find((c) => `attr.${normalised(c)}` === name)}`;
    else if (name.startsWith("id.") && idTypes.some((c) => `id.${normalised(c)}` === name))
      target = `id.${idTypes.find((c) => `id.${normalised(c)}` === name)}`;
    else if (attribute !== undefined) target = `attr.${attribute}`;
    else if (idType !== undefined) target = `id.${idType}`;
    else if (aliases[entity][name]) target = aliases[entity][name] as string;
    if (target !== IGNORE && used.has(target)) target = IGNORE;
    if (target !== IGNORE) used.add(target);
    result[column] = target;
  }
  return result;
}

/**
 * The job's `mapping`: every column with its target, ignored ones as `ignore` (else the
 * job would map a column named like a field by itself).
 */
export function mappingParam(mapping: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(mapping).map(([column, target]) => [column, target || IGNORE]));
}

/** The counts of a finished import job's result. */
export interface ImportResult {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  merged?: boolean;
  ignoredColumns?: string[];
}

export function importResultOf(value: unknown): ImportResult | undefined {
  let result = value;
  // The JSON scalar may come as text.
  if (typeof result === "string") {
    try {
      result = JSON.parse(result);
    } catch (_error) {
      return undefined;
    }
  }
  if (!result || typeof result !== "object") return undefined;
  const r = result as Record<string, unknown>;
  const n = (key: string) => (typeof r[key] === "number" ? (r[key] as number) : 0);
  return {
    rows: n("rows"),
    inserted: n("inserted"),
    updated: n("updated"),
    unchanged: n("unchanged"),
    rejected: n("rejected"),
    merged: typeof r.merged === "boolean" ? r.merged : undefined,
    ignoredColumns: Array.isArray(r.ignoredColumns)
      ? r.ignoredColumns.filter((c): c is string => typeof c === "string")
      : undefined,
  };
}
