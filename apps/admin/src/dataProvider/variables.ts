import type {
  DocumentNode,
  IntrospectionInputTypeRef,
  IntrospectionType,
  IntrospectionTypeRef,
  TypeNode,
} from "graphql";

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Date range filters (`occurredAt_gte`, `occurredAt_lte`) come from <DateInput> as
 * `YYYY-MM-DD`; the API's DateTime scalar wants an instant. `_gte` becomes the start
 * and `_lte` the end of that day in the browser's time zone, so a one-day range
 * covers the whole day the user sees. `isInstant` tells which criteria are instants
 * (DateTime); a date-only criterion (`registrationDate_gte: String`) stays as it is.
 */
export function normaliseDateRangeFilter(
  filter: Record<string, unknown> | undefined,
  isInstant: (key: string) => boolean = () => true,
): Record<string, unknown> | undefined {
  if (!filter) return filter;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filter)) {
    const match = typeof value === "string" ? DATE_ONLY.exec(value) : null;
    if (match && (key.endsWith("_gte") || key.endsWith("_lte")) && isInstant(key)) {
      const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
      const instant = key.endsWith("_gte")
        ? new Date(year, month, day, 0, 0, 0, 0)
        : new Date(year, month, day, 23, 59, 59, 999);
      result[key] = instant.toISOString();
    } else if (value === "" || value === undefined) {
      // An emptied filter input: leave the criterion out rather than sending "".
      continue;
    } else {
      result[key] = value;
    }
  }
  return result;
}

/** Schema types by name (`introspection.__schema.types`), to look input object types up. */
export type SchemaTypes = ReadonlyMap<string, IntrospectionType>;

export function schemaTypesOf(types: readonly IntrospectionType[]): SchemaTypes {
  return new Map(types.map((type) => [type.name, type]));
}

/** `[IdentifierInput!]!` → `IdentifierInput`. */
function namedTypeOfNode(node: TypeNode): string {
  return node.kind === "NamedType" ? node.name.value : namedTypeOfNode(node.type);
}

function namedTypeOfRef(ref: IntrospectionTypeRef | IntrospectionInputTypeRef): string | undefined {
  if (ref.kind === "NON_NULL" || ref.kind === "LIST") return namedTypeOfRef(ref.ofType);
  return "name" in ref ? ref.name : undefined;
}

/**
 * Drops, at any depth, the fields an input object type does not declare: records read
 * back carry output-only fields in their nested lists (a Phone's `e164`, an account's
 * `fa`, `__typename`) that the matching input type (PhoneInput…) would reject. Lists are
 * pruned item by item; scalars (JSON included) are left as they are.
 */
export function pruneToInputType(value: unknown, typeName: string, types: SchemaTypes): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((item) => pruneToInputType(item, typeName, types));
  const type = types.get(typeName);
  if (type?.kind !== "INPUT_OBJECT" || typeof value !== "object") return value;
  const result: Record<string, unknown> = {};
  for (const field of type.inputFields) {
    if (!(field.name in value)) continue;
    const fieldValue = (value as Record<string, unknown>)[field.name];
    if (fieldValue === undefined) continue;
    const fieldType = namedTypeOfRef(field.type);
    result[field.name] = fieldType ? pruneToInputType(fieldValue, fieldType, types) : fieldValue;
  }
  return result;
}

/**
 * ra-data-graphql-simple puts every property of a record into the variables of an
 * update (e.g. `code`, `createdAt`, `__typename` of a Department) although the
 * operation only declares some of them. Keep only the declared variables so the API
 * never receives undeclared ones; with the schema's types, input objects (and lists
 * of them) are also pruned to the fields their input type declares.
 */
export function pickDeclaredVariables(
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  types?: SchemaTypes,
): Record<string, unknown> {
  const declared = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind === "OperationDefinition") {
      for (const variable of definition.variableDefinitions ?? []) {
        declared.set(variable.variable.name.value, namedTypeOfNode(variable.type));
      }
    }
  }
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(variables ?? {})) {
    const typeName = declared.get(key);
    if (typeName === undefined) continue;
    result[key] = types ? pruneToInputType(value, typeName, types) : value;
  }
  return result;
}

/**
 * Keeps the properties of a record that are arguments of the create/update mutation.
 * Done before ra-data-graphql-simple builds the variables, which otherwise turns an
 * embedded object into its `<key>Id` argument (`gazLarge: {id}` → `gazLargeId`,
 * overwriting the id the form chose, and failing on `gazLarge: null`).
 */
export function pickMutationArgs(
  data: Record<string, unknown> | undefined,
  argNames: readonly string[],
): Record<string, unknown> {
  const allowed = new Set(argNames);
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data ?? {})) {
    if (allowed.has(key)) result[key] = value;
  }
  return result;
}
