import type { JobState, JobType } from "@pbms/graphql-types";

/** Job states in life-cycle order (the schema lists them alphabetically). */
export const jobStates: readonly JobState[] = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"];

export const jobTypes: readonly JobType[] = [
  "AUDIT_EXPORT",
  "REGISTRY_IMPORT",
  "REGISTRY_EXPORT",
  "DEDUPLICATION",
  "DATA_SOURCE_SYNC",
];
