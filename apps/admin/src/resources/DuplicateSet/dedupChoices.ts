import type { DedupRuleKind, DuplicateSetStatus } from "@pbms/graphql-types";

export const dedupRuleKinds: readonly DedupRuleKind[] = [
  "SAME_IDENTIFIER",
  "SAME_PHONE",
  "SAME_FINANCIAL_ADDRESS",
  "SIMILAR_NAME_BIRTH_DATE",
];
export const duplicateSetStatuses: readonly DuplicateSetStatus[] = ["OPEN", "NOT_DUPLICATE", "MERGED"];

export const ruleChoices = dedupRuleKinds.map((id) => ({ id, name: `app.dedup.rule.${id}` }));
export const setStatusChoices = duplicateSetStatuses.map((id) => ({ id, name: `app.dedup.status.${id}` }));

/** Fields of a set's members read for the side-by-side review (members are the registry's Registrant type). */
export const REVIEW_MEMBER_FIELDS = [
  "id",
  "kind",
  "name",
  "birthDate",
  "sex",
  "gazLargeId",
  "gazSmallId",
  "identifiers",
  "phones",
  "financialAddresses",
  "registrationDate",
  "status",
  "statusReason",
  "externalId",
];
