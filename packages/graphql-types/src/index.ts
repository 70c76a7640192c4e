import type { IntrospectionQuery } from "graphql";
import introspectionJson from "./generated/introspection.json";

export * from "./generated/graphql";

/**
 * Build-time introspection of the API schema (`{ __schema }`), for clients that would
 * otherwise introspect at runtime (the admin SPA's ra-data-graphql data provider).
 */
export const introspection = introspectionJson as unknown as IntrospectionQuery;
