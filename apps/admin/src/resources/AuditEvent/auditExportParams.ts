import { normaliseDateRangeFilter } from "../../dataProvider/variables";

/** Filters the AUDIT_EXPORT job accepts as params (the API rejects any other key). */
const EXPORTABLE = ["action", "entityType", "occurredAt_gte", "occurredAt_lte"] as const;

/** Params of an audit log export that matches the audit list's current filters. */
export function auditExportParams(
  filterValues: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of EXPORTABLE) {
    const value = filterValues?.[key];
    if (typeof value === "string" && value.trim() !== "") picked[key] = value.trim();
  }
  return normaliseDateRangeFilter(picked) ?? {};
}
