import type { EstimatedTotal } from "../../dataProvider/estimatedTotal";

/**
 * How the registrant list names its total and how far its pages go. Matches are
 * counted exactly up to `exactLimit` (10,000); above it the API returns the
 * database's estimate, shown rounded as "about 1,300,000", or as "10,000+" when
 * the estimate says little more than the limit. Pages reach the first
 * `exactLimit` rows either way (the API refuses deeper pages).
 */
export type RegistrantTotal =
  | { kind: "exact"; count: number; reachable: number }
  | { kind: "about"; count: number; reachable: number }
  | { kind: "atLeast"; count: number; reachable: number };

/** Two significant digits: an estimate is not more precise than that. */
export const roundEstimate = (n: number) => Number(n.toPrecision(2));

export function registrantTotal(
  total: number | undefined,
  meta: Partial<EstimatedTotal> | undefined,
): RegistrantTotal | undefined {
  if (total == null) return undefined;
  if (!meta?.estimated || !meta.exactLimit) return { kind: "exact", count: total, reachable: total };
  const limit = meta.exactLimit;
  return total >= limit * 1.1
    ? { kind: "about", count: roundEstimate(total), reachable: limit }
    : { kind: "atLeast", count: limit, reachable: limit };
}

/** The last page the list can show (1-based), or undefined when nothing matches. */
export function lastPage(total: RegistrantTotal | undefined, perPage: number): number | undefined {
  return total && total.reachable > 0 ? Math.ceil(total.reachable / perPage) : undefined;
}
