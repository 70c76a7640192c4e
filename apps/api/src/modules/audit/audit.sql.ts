// SQL pieces for bulk work that audits each row it changes in the same
// set-based statement (imports, data-source syncs), next to recordAudit for
// single changes.

/** The column list of an audit event insert; the SELECT that follows gives the values in this order. */
export const AUDIT_INSERT =
  "INSERT INTO audit_event (id, tenant_id, actor_id, actor_name, action, entity_type, entity_id, before, after, request_id)";

/**
 * One side of an audit diff between the jsonb objects `before` and `after`:
 * only the keys whose values differ, as recordAudit keeps them.
 */
export const changedKeysSql = (before: string, after: string, side: "before" | "after") =>
  `(SELECT jsonb_object_agg(k, ${side === "before" ? before : after} -> k)
      FROM jsonb_object_keys(${before} || ${after}) k WHERE ${before} -> k IS DISTINCT FROM ${after} -> k)`;
