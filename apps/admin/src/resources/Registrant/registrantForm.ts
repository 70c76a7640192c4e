import type { AttributeDefinition, AttributeType, RegistrantKind } from "@pbms/graphql-types";

/** The input a form shows for an attribute of this type. */
export type AttributeInputKind = "number" | "integer" | "boolean" | "text" | "select" | "date";

const INPUT_BY_TYPE: Readonly<Record<AttributeType, AttributeInputKind>> = {
  NUMBER: "number",
  INTEGER: "integer",
  BOOLEAN: "boolean",
  TEXT: "text",
  ENUM: "select",
  DATE: "date",
};

/** Which input edits an attribute: NumberInput (decimal or whole), BooleanInput, TextInput, SelectInput or DateInput. */
export function attributeInputKind(definition: Pick<AttributeDefinition, "type">): AttributeInputKind {
  return INPUT_BY_TYPE[definition.type] ?? "text";
}

type DefinitionForKind = Pick<AttributeDefinition, "code" | "appliesTo">;

/** The attribute definitions that apply to a kind of registrant (theirs and those of both kinds). */
export function attributesFor<T extends DefinitionForKind>(
  definitions: readonly T[] | undefined,
  kind: RegistrantKind | string | undefined,
): T[] {
  return (definitions ?? []).filter((definition) => !definition.appliesTo || definition.appliesTo === kind);
}

const isBlank = (value: unknown) =>
  value === undefined ||
  value === null ||
  (typeof value === "string" && value.trim() === "") ||
  (typeof value === "number" && Number.isNaN(value));

/**
 * The `attributes` to send: values of the attributes that apply to the kind (others,
 * left over from switching kinds, would be refused), blanks left out, text trimmed.
 */
export function attributeValues(
  values: Record<string, unknown> | null | undefined,
  definitions: readonly DefinitionForKind[] | undefined,
  kind: RegistrantKind | string | undefined,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const { code } of attributesFor(definitions, kind)) {
    const value = values?.[code];
    if (isBlank(value)) continue;
    result[code] = typeof value === "string" ? value.trim() : value;
  }
  return result;
}

/** Trimmed text, or null when empty. */
function text(value: unknown): string | null {
  if (typeof value !== "string") return value === undefined || value === null ? null : String(value);
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

type Row = Record<string, unknown>;

const rows = (value: unknown): Row[] =>
  Array.isArray(value) ? value.filter((item): item is Row => !!item && typeof item === "object") : [];

/** When no row of a list is marked primary, the first one is (as the API would pick). */
function withPrimary<T extends { isPrimary: boolean }>(items: T[]): T[] {
  if (items.length === 0 || items.some((item) => item.isPrimary)) return items;
  return items.map((item, index) => ({ ...item, isPrimary: index === 0 }));
}

/** Id of an existing row (kept on update), omitted for a new one. */
const existingId = (row: Row) => (typeof row.id === "string" && row.id !== "" ? { id: row.id } : {});

export interface RegistrantFormValues extends Record<string, unknown> {
  kind?: string;
  attributes?: Record<string, unknown>;
}

/**
 * The form's values from a registrant as read: phones are edited by their `number`
 * (PhoneInput), read back as `e164`.
 */
export function registrantFormValues<T extends Record<string, unknown>>(
  record: T,
): T & { attributes: Record<string, unknown>; phones: Row[] } {
  return {
    ...record,
    attributes: { ...((record.attributes as Record<string, unknown> | undefined) ?? {}) },
    phones: rows(record.phones).map((phone) => ({
      ...existingId(phone),
      number: phone.number ?? phone.e164,
      country: phone.country ?? null,
      isPrimary: phone.isPrimary === true,
    })),
  };
}

/**
 * The createRegistrant/updateRegistrant arguments from the form's values: the fields of
 * the registrant's kind only (a group has no birth date…), the reason or date that goes
 * with the status, attributes of the kind, and the identifier/phone/account lists in
 * their input shapes (given lists replace the stored ones). Members are sent for a new
 * group only, each an existing individual or a new person (see newMemberInput).
 */
export function registrantInput(
  values: RegistrantFormValues,
  definitions: readonly DefinitionForKind[] | undefined,
  options: { creating: boolean },
): Record<string, unknown> {
  const kind = values.kind;
  const individual = kind === "INDIVIDUAL";
  const status = typeof values.status === "string" && values.status !== "" ? values.status : "ACTIVE";
  const registrationDate = text(values.registrationDate);
  const data: Record<string, unknown> = {
    ...(options.creating ? { kind } : { version: values.version }),
    ...(individual
      ? {
          givenName: text(values.givenName),
          familyName: text(values.familyName),
          additionalName: text(values.additionalName),
          birthDate: text(values.birthDate),
          birthDateNotExact: values.birthDateNotExact === true,
          sex: text(values.sex),
        }
      : { name: text(values.name) }),
    ...(registrationDate ? { registrationDate } : {}),
    status,
    statusReason: status === "INACTIVE" ? text(values.statusReason) : null,
    deceasedDate: status === "DECEASED" ? text(values.deceasedDate) : null,
    gazLargeId: text(values.gazLargeId),
    gazSmallId: text(values.gazSmallId),
    addressText: text(values.addressText),
    tags: [
      ...new Set(
        (Array.isArray(values.tags) ? values.tags : []).map(text).filter((tag): tag is string => !!tag),
      ),
    ],
    attributes: attributeValues(values.attributes, definitions, kind),
    identifiers: rows(values.identifiers).map((row) => ({
      ...existingId(row),
      idTypeId: row.idTypeId,
      value: text(row.value) ?? "",
      issuedOn: text(row.issuedOn),
      expiresOn: text(row.expiresOn),
      status: text(row.status) ?? "VALID",
    })),
    phones: withPrimary(
      rows(values.phones).map((row) => ({
        ...existingId(row),
        number: text(row.number) ?? "",
        country: text(row.country)?.toUpperCase() ?? null,
        isPrimary: row.isPrimary === true,
      })),
    ),
    financialAddresses: withPrimary(
      rows(values.financialAddresses).map((row) => {
        const bank = row.kind === "BANK_ACCOUNT";
        return {
          ...existingId(row),
          kind: row.kind,
          accountHolder: text(row.accountHolder),
          iban: bank ? text(row.iban) : null,
          bic: bank ? text(row.bic) : null,
          walletProvider: bank ? null : text(row.walletProvider),
          msisdn: bank ? null : text(row.msisdn),
          isPrimary: row.isPrimary === true,
        };
      }),
    ),
  };
  if (options.creating && kind === "GROUP") {
    data.members = rows(values.members).map((row) => ({
      ...(row.entry === "new"
        ? { individual: newMemberInput(row.individual, definitions) }
        : { individualId: row.individualId }),
      kindId: row.kindId,
      startDate: text(row.startDate),
    }));
  }
  return data;
}

/**
 * A new person entered in a member row of a new group (`entry: "new"`), as the
 * `individual` of its MemberInput: the fields of a new individual, with its identifier
 * (when a type or number is given) and phone (when a number is given). The form has one
 * row of each, so an error on `members.<i>.individual.identifiers.0.value` lands on it.
 */
export function newMemberInput(
  person: unknown,
  definitions: readonly DefinitionForKind[] | undefined,
): Record<string, unknown> {
  const values = person && typeof person === "object" ? (person as Row) : {};
  const { kind: _kind, ...input } = registrantInput(
    {
      ...values,
      kind: "INDIVIDUAL",
      identifiers: rows(values.identifiers).filter((row) => text(row.idTypeId) || text(row.value)),
      phones: rows(values.phones).filter((row) => text(row.number)),
    },
    definitions,
    { creating: true },
  );
  return input;
}
