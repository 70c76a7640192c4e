import type { ApolloClient } from "@apollo/client";
import { introspection } from "@pbms/graphql-types";
import type { IntrospectionField, IntrospectionInputValue } from "graphql";
import type { BuildQueryFactory } from "ra-data-graphql";
import buildGraphQLProvider, { buildQuery as simpleBuildQuery } from "ra-data-graphql-simple";
import { CREATE, type DataProvider, GET_LIST, GET_MANY_REFERENCE, UPDATE } from "react-admin";
import { estimatedTotalOf, hasEstimatedTotal, selectEstimatedTotal } from "./estimatedTotal";
import { toFieldErrorHttpError } from "./fieldErrors";
import { listFilterPreparers } from "./filters";
import { RESOURCES, listMetaQueryName, operationNames } from "./operationNames";
import {
  type SchemaTypes,
  normaliseDateRangeFilter,
  pickDeclaredVariables,
  pickMutationArgs,
  schemaTypesOf,
} from "./variables";

export { RESOURCES, operationNames, listMetaQueryName } from "./operationNames";

type ResourceOperations = Record<string, IntrospectionField | undefined> & { type: { name: string } };

/** Unwraps `[T!]!` to `T`'s name. */
function namedType(ref: IntrospectionInputValue["type"]): string | undefined {
  if (ref.kind === "NON_NULL" || ref.kind === "LIST") return namedType(ref.ofType);
  return ref.name;
}

/**
 * Names of the fields of a list query's filter input type that have this scalar type:
 * DateTime (instants, not days), JSON (the user's data).
 */
function filterFieldsOfType(
  operation: IntrospectionField | undefined,
  types: SchemaTypes,
  scalar: "DateTime" | "JSON",
): Set<string> {
  const filterArg = operation?.args.find((arg) => arg.name === "filter");
  const filterType = filterArg ? types.get(namedType(filterArg.type) ?? "") : undefined;
  if (filterType?.kind !== "INPUT_OBJECT") return new Set();
  return new Set(
    filterType.inputFields.filter((field) => namedType(field.type) === scalar).map((field) => field.name),
  );
}

/**
 * ra-data-graphql-simple's queries, adjusted to the API:
 * - lists: react-admin's default sort by `id` left to the API's default order;
 * - list filters: per-resource preparation (age range…), emptied criteria left out,
 *   day ranges of DateTime criteria as instants, JSON criteria sent as given;
 * - create/update: only the mutation's arguments are taken from the record, nested
 *   input lists pruned to their input types, JSON arguments sent as given;
 * - only declared variables are sent;
 * - a list whose count may be an estimate (`estimated`, `exactLimit`) returns them as `meta`.
 */
export const buildQuery: BuildQueryFactory = (introspectionResults) => {
  const build = simpleBuildQuery(introspectionResults);
  const types = schemaTypesOf(introspectionResults.types);
  return (fetchType, resource, params) => {
    const operations = introspectionResults.resources.find((r) => r.type.name === resource) as
      ResourceOperations | undefined;
    const operation = operations?.[fetchType];
    let prepared = params;
    // react-admin sorts by `id` when a component names no sort (ReferenceInput…); no API
    // list sorts by id (it is only their tie-breaker), so let the API use its default order.
    if ((fetchType === GET_LIST || fetchType === GET_MANY_REFERENCE) && params?.sort?.field === "id") {
      const { sort: _sort, ...rest } = params;
      prepared = rest;
    }
    if ((fetchType === GET_LIST || fetchType === GET_MANY_REFERENCE) && params?.filter) {
      const prepare = listFilterPreparers[resource] ?? ((filter: Record<string, unknown>) => filter);
      const instants = filterFieldsOfType(operation, types, "DateTime");
      prepared = {
        ...prepared,
        filter: normaliseDateRangeFilter(prepare(params.filter), (key) => instants.has(key)),
      };
    }
    const mutationArgs = (fetchType === CREATE || fetchType === UPDATE) && operation ? operation.args : [];
    if (mutationArgs.length > 0 && params?.data) {
      prepared = {
        ...prepared,
        data: pickMutationArgs(
          params.data,
          mutationArgs.map((arg) => arg.name),
        ),
      };
    }
    const built = build(fetchType, resource, prepared);
    const variables: Record<string, unknown> = { ...built.variables };
    // ra-data-graphql-simple walks into object values and casts keys that look like
    // arguments; a JSON argument (`attributes`) is the user's data: send it untouched.
    for (const arg of mutationArgs) {
      if (namedType(arg.type) === "JSON" && prepared.data?.[arg.name] !== undefined) {
        variables[arg.name] = prepared.data[arg.name];
      }
    }
    // Likewise a JSON filter field (`attributes: { status: false }` would otherwise be cast
    // as the filter's own `status`).
    const isList = fetchType === GET_LIST || fetchType === GET_MANY_REFERENCE;
    if (isList && prepared?.filter && variables.filter && typeof variables.filter === "object") {
      const filter = { ...(variables.filter as Record<string, unknown>) };
      for (const field of filterFieldsOfType(operation, types, "JSON")) {
        if (prepared.filter[field] !== undefined) filter[field] = prepared.filter[field];
      }
      variables.filter = filter;
    }
    const result = { ...built, variables: pickDeclaredVariables(built.query, variables, types) };
    if (
      fetchType === GET_LIST &&
      operation &&
      // ra-data-graphql types `queries` as object types; they are the Query type's fields.
      hasEstimatedTotal(
        introspectionResults.queries as unknown as IntrospectionField[],
        types,
        listMetaQueryName(operation.name),
      )
    ) {
      return {
        ...result,
        query: selectEstimatedTotal(built.query),
        parseResponse: (response: Parameters<typeof built.parseResponse>[0]) => ({
          ...built.parseResponse(response),
          meta: estimatedTotalOf((response.data as { total?: unknown } | undefined)?.total),
        }),
      };
    }
    return result;
  };
};

/** The introspection options: build-time schema (no runtime introspection) and the API's naming. */
export const introspectionOptions = {
  schema: introspection.__schema,
  operationNames,
  // Only these types are resources; others with a matching root field (`viewer`,
  // `dashboardStats`) are not, and are queried through Apollo directly.
  exclude: (type: { name: string }) => !(RESOURCES as readonly string[]).includes(type.name),
};

/**
 * Invalid input refused by the API (BAD_USER_INPUT / CONFLICT with `extensions.field`)
 * becomes an HttpError with `body.errors`, which react-admin's forms show on the inputs.
 */
export function withFieldErrors(provider: DataProvider): DataProvider {
  return {
    ...provider,
    create: (resource, params) =>
      provider.create(resource, params).catch((error: unknown) => {
        throw toFieldErrorHttpError(error);
      }),
    update: (resource, params) =>
      provider.update(resource, params).catch((error: unknown) => {
        throw toFieldErrorHttpError(error);
      }),
  };
}

/**
 * react-admin data provider over the API's GraphQL schema (ra-data-graphql-simple
 * conventions: list args `page` (0-based), `perPage`, `sortField`, `sortOrder`,
 * `filter`; list total from `_<list>Meta { count }`).
 */
export function createDataProvider(client: ApolloClient<unknown>): DataProvider {
  return withFieldErrors(buildGraphQLProvider({ client, introspection: introspectionOptions, buildQuery }));
}
