import {
  type DocumentNode,
  type FieldNode,
  Kind,
  type IntrospectionField,
  type IntrospectionType,
  visit,
} from "graphql";

/**
 * Lists whose metadata type has `estimated` and `exactLimit` (the registry) count
 * exactly only up to `exactLimit`; above it `count` is the database's estimate.
 * The data provider asks for both fields and hands them to the list as `meta`.
 */
export interface EstimatedTotal {
  estimated: boolean;
  exactLimit: number;
}

const FIELDS = ["estimated", "exactLimit"] as const;

function namedType(ref: IntrospectionField["type"]): string | undefined {
  if (ref.kind === "NON_NULL" || ref.kind === "LIST") return namedType(ref.ofType);
  return ref.name;
}

/** Whether the metadata query `metaQuery` (e.g. `_registrantsMeta`) reports estimated counts. */
export function hasEstimatedTotal(
  queries: readonly IntrospectionField[],
  types: ReadonlyMap<string, IntrospectionType>,
  metaQuery: string,
): boolean {
  const field = queries.find((query) => query.name === metaQuery);
  const type = field ? types.get(namedType(field.type) ?? "") : undefined;
  return type?.kind === "OBJECT" && FIELDS.every((name) => type.fields.some((f) => f.name === name));
}

/** Adds `estimated` and `exactLimit` to the `total: _…Meta { count }` selection of a list query. */
export function selectEstimatedTotal(document: DocumentNode): DocumentNode {
  return visit(document, {
    Field(node): FieldNode | undefined {
      if (node.alias?.value !== "total" || !node.selectionSet) return undefined;
      const extra: FieldNode[] = FIELDS.map((name) => ({
        kind: Kind.FIELD,
        name: { kind: Kind.NAME, value: name },
      }));
      return {
        ...node,
        selectionSet: { ...node.selectionSet, selections: [...node.selectionSet.selections, ...extra] },
      };
    },
  });
}

/** The `meta` of a list result from its `total` field. */
export function estimatedTotalOf(total: unknown): EstimatedTotal | undefined {
  const value = total as Partial<EstimatedTotal> | null | undefined;
  if (typeof value?.estimated !== "boolean" || typeof value.exactLimit !== "number") return undefined;
  return { estimated: value.estimated, exactLimit: value.exactLimit };
}
