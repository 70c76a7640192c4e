import { CREATE, DELETE, GET_LIST, GET_MANY, GET_MANY_REFERENCE, GET_ONE, UPDATE } from "react-admin";

/** GraphQL types exposed as react-admin resources (resource name = type name). */
export const RESOURCES = [
  "AuditEvent",
  "Job",
  "UserProfile",
  "Department",
  "Registrant",
  "GeoZone",
  "IdType",
  "MembershipKind",
  "AttributeDefinition",
  "DuplicateSet",
  "DedupRule",
  "DataSource",
  "DataSourceRecord",
] as const;
export type ResourceName = (typeof RESOURCES)[number];

export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** English plural of a PascalCase type name: `AuditEvent` → `AuditEvents`, `Policy` → `Policies`. */
export function pluralise(name: string): string {
  if (/[^aeiou]y$/i.test(name)) return `${name.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(name)) return `${name}es`;
  return `${name}s`;
}

/**
 * The API's operation names for a type, in lower camel case (for `AuditEvent`):
 * `auditEvent(id)`, `auditEvents(page, perPage, sortField, sortOrder, filter)`,
 * `createAuditEvent`, `updateAuditEvent`, `deleteAuditEvent`. getMany and
 * getManyReference use the list query (filter `ids` / the reference field).
 */
export const operationNames: Record<string, (type: { name: string }) => string> = {
  [GET_LIST]: (type) => lowerFirst(pluralise(type.name)),
  [GET_MANY]: (type) => lowerFirst(pluralise(type.name)),
  [GET_MANY_REFERENCE]: (type) => lowerFirst(pluralise(type.name)),
  [GET_ONE]: (type) => lowerFirst(type.name),
  [CREATE]: (type) => `create${type.name}`,
  [UPDATE]: (type) => `update${type.name}`,
  [DELETE]: (type) => `delete${type.name}`,
};

/**
 * ra-data-graphql-simple fetches the total of a list with a second root field named
 * after the list query: `_${listQuery}Meta` → `_auditEventsMeta { count }`.
 */
export function listMetaQueryName(listQueryName: string): string {
  return `_${listQueryName}Meta`;
}
