import type { AttributeDefinition } from "@pbms/graphql-types";
import { attributesFor } from "./registrantForm";

/** A react-admin validation message: an i18n key, with arguments when it has placeholders. */
export type ValidationMessage = string | { message: string; args: Record<string, unknown> };

const REQUIRED = "ra.validation.required";

const blank = (value: unknown) =>
  value === undefined || value === null || (typeof value === "string" && value.trim() === "");

type Row = Record<string, unknown>;
const rows = (value: unknown): Row[] => (Array.isArray(value) ? (value as Row[]) : []);

/** Today as YYYY-MM-DD in the browser's time zone. */
export function today(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

type Definition = Pick<AttributeDefinition, "code" | "appliesTo" | "type" | "required" | "min" | "max"> & {
  enumValues?: readonly string[] | null;
};

/** Why an attribute value is not acceptable, or undefined (the API checks the same). */
export function attributeProblem(definition: Definition, value: unknown): ValidationMessage | undefined {
  if (blank(value) || (typeof value === "number" && Number.isNaN(value))) {
    return definition.required && definition.type !== "BOOLEAN" ? REQUIRED : undefined;
  }
  if (definition.type === "NUMBER" || definition.type === "INTEGER") {
    const number = typeof value === "number" ? value : Number(value);
    if (!Number.isFinite(number)) return "ra.validation.number";
    if (definition.type === "INTEGER" && !Number.isInteger(number))
      return "app.registrant.validation.integer";
    if (definition.min != null && number < definition.min) {
      return { message: "ra.validation.minValue", args: { min: definition.min } };
    }
    if (definition.max != null && number > definition.max) {
      return { message: "ra.validation.maxValue", args: { max: definition.max } };
    }
  }
  if (definition.type === "ENUM" && definition.enumValues && !definition.enumValues.includes(String(value))) {
    return "app.registrant.validation.choice";
  }
  return undefined;
}

/**
 * Errors of a new person entered in a member row (`members.<i>.individual`): a name, a
 * birth date not in the future, and an identifier with both its type and its number.
 */
function newPersonErrors(person: Row): Record<string, unknown> {
  const errors: Record<string, unknown> = {};
  if (blank(person.givenName) && blank(person.familyName)) {
    errors.givenName = "app.registrant.validation.personName";
  }
  if (typeof person.birthDate === "string" && person.birthDate > today()) {
    errors.birthDate = "app.registrant.validation.future";
  }
  const [identifier] = rows(person.identifiers);
  if (identifier && blank(identifier.idTypeId) !== blank(identifier.value)) {
    errors.identifiers = [blank(identifier.idTypeId) ? { idTypeId: REQUIRED } : { value: REQUIRED }];
  }
  return errors;
}

/**
 * The registrant form's validator (create and edit): what the API would refuse anyway,
 * caught before sending. Errors mirror the form's shape (`identifiers[0].value`…).
 */
export function registrantValidator(definitions: readonly Definition[] | undefined) {
  return (values: Row): Record<string, unknown> => {
    const errors: Record<string, unknown> = {};
    const individual = values.kind === "INDIVIDUAL";
    if (blank(values.kind)) errors.kind = REQUIRED;
    if (individual) {
      if (blank(values.givenName) && blank(values.familyName)) {
        errors.givenName = "app.registrant.validation.personName";
      }
      if (typeof values.birthDate === "string" && values.birthDate > today()) {
        errors.birthDate = "app.registrant.validation.future";
      }
    } else if (values.kind === "GROUP" && blank(values.name)) {
      errors.name = REQUIRED;
    }
    if (values.status === "INACTIVE" && blank(values.statusReason)) errors.statusReason = REQUIRED;
    if (
      values.status === "DECEASED" &&
      typeof values.deceasedDate === "string" &&
      values.deceasedDate > today()
    ) {
      errors.deceasedDate = "app.registrant.validation.future";
    }

    const identifiers = rows(values.identifiers).map((row) => ({
      ...(blank(row?.idTypeId) ? { idTypeId: REQUIRED } : {}),
      ...(blank(row?.value) ? { value: REQUIRED } : {}),
      ...(typeof row?.issuedOn === "string" &&
      typeof row?.expiresOn === "string" &&
      row.expiresOn !== "" &&
      row.expiresOn < row.issuedOn
        ? { expiresOn: "app.registrant.validation.expiresBeforeIssued" }
        : {}),
    }));
    if (identifiers.some((row) => Object.keys(row).length > 0)) errors.identifiers = identifiers;

    const phones = rows(values.phones).map((row) => (blank(row?.number) ? { number: REQUIRED } : {}));
    if (phones.some((row) => Object.keys(row).length > 0)) errors.phones = phones;

    const accounts = rows(values.financialAddresses).map((row) => {
      if (blank(row?.kind)) return { kind: REQUIRED };
      if (row.kind === "BANK_ACCOUNT") return blank(row.iban) ? { iban: REQUIRED } : {};
      return {
        ...(blank(row.msisdn) ? { msisdn: REQUIRED } : {}),
        ...(blank(row.walletProvider) ? { walletProvider: REQUIRED } : {}),
      };
    });
    if (accounts.some((row) => Object.keys(row).length > 0)) errors.financialAddresses = accounts;

    if (values.kind === "GROUP") {
      const members = rows(values.members).map((row) => {
        const person = row?.entry === "new" ? newPersonErrors((row.individual as Row | undefined) ?? {}) : {};
        return {
          ...(row?.entry !== "new" && blank(row?.individualId) ? { individualId: REQUIRED } : {}),
          ...(Object.keys(person).length > 0 ? { individual: person } : {}),
          ...(blank(row?.kindId) ? { kindId: REQUIRED } : {}),
        };
      });
      if (members.some((row) => Object.keys(row).length > 0)) errors.members = members;
    }

    const attributeValues = (values.attributes as Row | undefined) ?? {};
    const attributeErrors: Record<string, ValidationMessage> = {};
    for (const definition of attributesFor(definitions, values.kind as string | undefined)) {
      const problem = attributeProblem(definition, attributeValues[definition.code]);
      if (problem) attributeErrors[definition.code] = problem;
    }
    if (Object.keys(attributeErrors).length > 0) errors.attributes = attributeErrors;
    return errors;
  };
}
