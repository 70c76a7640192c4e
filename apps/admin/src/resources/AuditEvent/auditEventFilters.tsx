import { DateInput, SearchInput, TextInput } from "react-admin";

/**
 * Filters of the audit log (AuditEventFilter). Dates are picked as days; the data
 * provider turns `occurredAt_gte`/`_lte` into the start/end of those days.
 */
export const auditEventFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <TextInput key="action" source="action" />,
  <TextInput key="entityType" source="entityType" />,
  <TextInput key="actorId" source="actorId" />,
  <DateInput key="occurredAt_gte" source="occurredAt_gte" alwaysOn />,
  <DateInput key="occurredAt_lte" source="occurredAt_lte" alwaysOn />,
];
