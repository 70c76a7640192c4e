import type {
  FinancialAddressKind,
  IdentifierStatus,
  RegistrantKind,
  RegistrantStatus,
  Sex,
} from "@pbms/graphql-types";

/** The registry's enums in display order, with their i18n keys as choice names. */
export const registrantKinds: readonly RegistrantKind[] = ["INDIVIDUAL", "GROUP"];
export const registrantStatuses: readonly RegistrantStatus[] = ["ACTIVE", "INACTIVE", "DECEASED"];
export const sexes: readonly Sex[] = ["FEMALE", "MALE", "OTHER"];
export const identifierStatuses: readonly IdentifierStatus[] = ["VALID", "EXPIRED", "REVOKED"];
export const accountKinds: readonly FinancialAddressKind[] = ["BANK_ACCOUNT", "MOBILE_WALLET"];

export const kindChoices = registrantKinds.map((id) => ({ id, name: `app.registrant.kind.${id}` }));
export const statusChoices = registrantStatuses.map((id) => ({ id, name: `app.registrant.status.${id}` }));
export const sexChoices = sexes.map((id) => ({ id, name: `app.registrant.sex.${id}` }));
export const identifierStatusChoices = identifierStatuses.map((id) => ({
  id,
  name: `app.registrant.identifierStatus.${id}`,
}));
export const accountKindChoices = accountKinds.map((id) => ({
  id,
  name: `app.registrant.accountKind.${id}`,
}));

/** How a member row of a new group names its person: one already registered, or a new one. */
export const memberEntryChoices = (["existing", "new"] as const).map((id) => ({
  id,
  name: `app.registrant.memberEntry.${id}`,
}));
