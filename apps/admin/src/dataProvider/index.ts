import type { ApolloClient } from "@apollo/client";
import { introspection } from "@pbms/graphql-types";
import type { BuildQueryFactory } from "ra-data-graphql";
import buildGraphQLProvider, { buildQuery as simpleBuildQuery } from "ra-data-graphql-simple";
import { type DataProvider, GET_LIST, GET_MANY_REFERENCE } from "react-admin";
import { RESOURCES, operationNames } from "./operationNames";
import { normaliseDateRangeFilter, pickDeclaredVariables } from "./variables";

export { RESOURCES, operationNames, listMetaQueryName } from "./operationNames";

/** ra-data-graphql-simple's queries, with date-range filters as instants and only declared variables. */
export const buildQuery: BuildQueryFactory = (introspectionResults) => {
  const build = simpleBuildQuery(introspectionResults);
  return (fetchType, resource, params) => {
    const prepared =
      (fetchType === GET_LIST || fetchType === GET_MANY_REFERENCE) && params?.filter
        ? { ...params, filter: normaliseDateRangeFilter(params.filter) }
        : params;
    const built = build(fetchType, resource, prepared);
    return { ...built, variables: pickDeclaredVariables(built.query, built.variables) };
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
 * react-admin data provider over the API's GraphQL schema (ra-data-graphql-simple
 * conventions: list args `page` (0-based), `perPage`, `sortField`, `sortOrder`,
 * `filter`; list total from `_<list>Meta { count }`).
 */
export function createDataProvider(client: ApolloClient<unknown>): DataProvider {
  return buildGraphQLProvider({ client, introspection: introspectionOptions, buildQuery });
}
