import {
  ArrayMaxSize,
  IsBoolean,
  IsDateString,
  IsISO31661Alpha2,
  IsInt,
  IsOptional,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from "class-validator";
import { GraphQLJSON } from "graphql-scalars";
import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import {
  AttributeType,
  FinancialAddressKind,
  GeoZoneLevel,
  IdChecksum,
  IdentifierStatus,
  RegistrantKind,
  RegistrantStatus,
  Sex,
} from "@pbms/db";
import { ListArgs } from "../../graphql/list.ts";

registerEnumType(RegistrantKind, {
  name: "RegistrantKind",
  description: "A person or a group (household)",
  valuesConfig: {
    INDIVIDUAL: { description: "A person" },
    GROUP: { description: "A household or other group of persons" },
  },
});
registerEnumType(Sex, {
  name: "Sex",
  description: "Sex as recorded by the registrar",
  valuesConfig: {
    FEMALE: { description: "Female" },
    MALE: { description: "Male" },
    OTHER: { description: "Other" },
  },
});
registerEnumType(RegistrantStatus, {
  name: "RegistrantStatus",
  description: "Whether the registrant can take part in programs",
  valuesConfig: {
    ACTIVE: { description: "Active" },
    INACTIVE: { description: "Inactive; statusReason says why" },
    DECEASED: { description: "Deceased" },
  },
});
registerEnumType(GeoZoneLevel, {
  name: "GeoZoneLevel",
  description: "Level of a geographic zone",
  valuesConfig: {
    LARGE: { description: "State, region or district (GAZ-large)" },
    SMALL: { description: "Locality or post code (GAZ-small), inside a LARGE zone" },
  },
});
registerEnumType(IdChecksum, {
  name: "IdChecksum",
  description: "Check-digit algorithm of an identifier type",
  valuesConfig: {
    NONE: { description: "No check digit" },
    LUHN: { description: "Luhn (mod 10)" },
    VERHOEFF: { description: "Verhoeff" },
  },
});
registerEnumType(IdentifierStatus, {
  name: "IdentifierStatus",
  description: "Validity of an identifier",
  valuesConfig: {
    VALID: { description: "Valid" },
    EXPIRED: { description: "Expired" },
    REVOKED: { description: "Revoked by the issuer" },
  },
});
registerEnumType(FinancialAddressKind, {
  name: "FinancialAddressKind",
  description: "Kind of account a registrant is paid to",
  valuesConfig: {
    BANK_ACCOUNT: { description: "Bank account (IBAN)" },
    MOBILE_WALLET: { description: "Mobile money wallet" },
  },
});
registerEnumType(AttributeType, {
  name: "AttributeType",
  description: "Type of a custom registrant attribute",
  valuesConfig: {
    NUMBER: { description: "Decimal number" },
    INTEGER: { description: "Whole number" },
    BOOLEAN: { description: "Yes/no" },
    TEXT: { description: "Free text" },
    ENUM: { description: "One of a list of values" },
    DATE: { description: "Calendar date (YYYY-MM-DD)" },
  },
});

const DATE = /^\d{4}-\d{2}-\d{2}$/;

// ---------------------------------------------------------------------------
// Reference data
// ---------------------------------------------------------------------------

@ObjectType({ description: "A geographic zone (GAZ-large or GAZ-small)" })
export class GeoZone {
  @Field(() => ID, { description: "Unique id" })
  id!: string;
  @Field(() => String, { description: "Code, unique in the department (e.g. an official district code)" })
  code!: string;
  @Field(() => String, { description: "Name" })
  name!: string;
  @Field(() => GeoZoneLevel, { description: "LARGE or SMALL" })
  level!: GeoZoneLevel;
  @Field(() => ID, { nullable: true, description: "The LARGE zone a SMALL zone lies in" })
  parentId!: string | null;
}

@ObjectType({ description: "A kind of identifier (national ID, passport, social-registry ID…)" })
export class IdType {
  @Field(() => ID, { description: "Unique id" })
  id!: string;
  @Field(() => String, { description: "Code, e.g. NATIONAL_ID" })
  code!: string;
  @Field(() => String, { description: "Name" })
  name!: string;
  @Field(() => String, { nullable: true, description: "Regular expression a value must match in full" })
  pattern!: string | null;
  @Field(() => IdChecksum, { description: "Check-digit algorithm" })
  checksum!: IdChecksum;
}

@ObjectType({ description: "A kind of group membership (head, spouse, child…)" })
export class MembershipKind {
  @Field(() => ID, { description: "Unique id" })
  id!: string;
  @Field(() => String, { description: "Code, e.g. HEAD" })
  code!: string;
  @Field(() => String, { description: "Name" })
  name!: string;
  @Field(() => Boolean, { description: "At most one current member of a group may have this kind" })
  uniquePerGroup!: boolean;
}

@ObjectType({ description: "A typed custom field of registrants, usable in eligibility rules" })
export class AttributeDefinition {
  @Field(() => ID, { description: "Unique id" })
  id!: string;
  @Field(() => String, {
    description: "Key in Registrant.attributes and variable name in rules (snake_case)",
  })
  code!: string;
  @Field(() => String, { description: "Label shown in forms" })
  label!: string;
  @Field(() => String, { nullable: true, description: "Help text" })
  description!: string | null;
  @Field(() => AttributeType, { description: "Value type" })
  type!: AttributeType;
  @Field(() => RegistrantKind, {
    nullable: true,
    description: "Only for this kind of registrant (null: both)",
  })
  appliesTo!: RegistrantKind | null;
  @Field(() => Boolean, { description: "A value is required" })
  required!: boolean;
  @Field(() => [String], { description: "Allowed values of an ENUM attribute" })
  enumValues!: string[];
  @Field(() => Float, { nullable: true, description: "Smallest allowed number" })
  min!: number | null;
  @Field(() => Float, { nullable: true, description: "Largest allowed number" })
  max!: number | null;
}

@InputType({ description: "Filters of reference lists" })
export class ReferenceFilter {
  @Field(() => String, { nullable: true, description: "Text in the code or name" })
  @IsOptional()
  @MaxLength(200)
  q?: string;
  @Field(() => [ID], { nullable: true, description: "Only these records" })
  @IsOptional()
  @IsUUID("all", { each: true })
  ids?: string[];
  @Field(() => GeoZoneLevel, { nullable: true, description: "Zones of this level (zones only)" })
  level?: GeoZoneLevel;
  @Field(() => ID, { nullable: true, description: "Zones inside this zone (zones only)" })
  @IsOptional()
  @IsUUID()
  parentId?: string;
}

@ArgsType()
export class ReferenceListArgs extends ListArgs {
  @Field(() => ReferenceFilter, { nullable: true, description: "Filters" })
  filter?: ReferenceFilter;
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

@ArgsType()
export class GeoZoneArgs {
  @Field(() => String, { nullable: true, description: "Code, unique in the department" })
  @IsOptional()
  @Length(1, 50)
  @Matches(CODE, { message: "code may contain letters, digits, _ . - only" })
  code?: string;
  @Field(() => String, { nullable: true, description: "Name" })
  @IsOptional()
  @Length(1, 200)
  name?: string;
  @Field(() => GeoZoneLevel, { nullable: true, description: "LARGE or SMALL" })
  level?: GeoZoneLevel;
  @Field(() => ID, { nullable: true, description: "LARGE zone of a SMALL zone" })
  @IsOptional()
  @IsUUID()
  parentId?: string | null;
}

@ArgsType()
export class IdTypeArgs {
  @Field(() => String, { nullable: true, description: "Code, e.g. NATIONAL_ID" })
  @IsOptional()
  @Length(1, 50)
  @Matches(CODE, { message: "code may contain letters, digits, _ . - only" })
  code?: string;
  @Field(() => String, { nullable: true, description: "Name" })
  @IsOptional()
  @Length(1, 200)
  name?: string;
  @Field(() => String, { nullable: true, description: "Regular expression a value must match in full" })
  @IsOptional()
  @MaxLength(500)
  pattern?: string | null;
  @Field(() => IdChecksum, { nullable: true, description: "Check-digit algorithm" })
  checksum?: IdChecksum;
}

@ArgsType()
export class MembershipKindArgs {
  @Field(() => String, { nullable: true, description: "Code, e.g. HEAD" })
  @IsOptional()
  @Length(1, 50)
  @Matches(CODE, { message: "code may contain letters, digits, _ . - only" })
  code?: string;
  @Field(() => String, { nullable: true, description: "Name" })
  @IsOptional()
  @Length(1, 200)
  name?: string;
  @Field(() => Boolean, { nullable: true, description: "At most one current member per group" })
  @IsOptional()
  @IsBoolean()
  uniquePerGroup?: boolean;
}

@ArgsType()
export class AttributeDefinitionArgs {
  @Field(() => String, { nullable: true, description: "snake_case key, e.g. monthly_income" })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,62}$/, {
    message: "code must be snake_case (a-z, 0-9, _), starting with a letter",
  })
  code?: string;
  @Field(() => String, { nullable: true, description: "Label shown in forms" })
  @IsOptional()
  @Length(1, 200)
  label?: string;
  @Field(() => String, { nullable: true, description: "Help text" })
  @IsOptional()
  @MaxLength(1000)
  description?: string | null;
  @Field(() => AttributeType, { nullable: true, description: "Value type" })
  type?: AttributeType;
  @Field(() => RegistrantKind, { nullable: true, description: "Only for this kind of registrant" })
  appliesTo?: RegistrantKind | null;
  @Field(() => Boolean, { nullable: true, description: "A value is required" })
  @IsOptional()
  @IsBoolean()
  required?: boolean;
  @Field(() => [String], { nullable: true, description: "Allowed values (ENUM)" })
  @IsOptional()
  @ArrayMaxSize(200)
  @Length(1, 100, { each: true })
  enumValues?: string[];
  @Field(() => Float, { nullable: true, description: "Smallest allowed number" })
  min?: number | null;
  @Field(() => Float, { nullable: true, description: "Largest allowed number" })
  max?: number | null;
}

// ---------------------------------------------------------------------------
// Registrants
// ---------------------------------------------------------------------------

@ObjectType({
  description: "An identifier of a registrant (masked for roles without access to personal data)",
})
export class RegistrantIdentifier {
  @Field(() => ID, { description: "Unique id" })
  id!: string;
  @Field(() => ID, { description: "Identifier type" })
  idTypeId!: string;
  @Field(() => String, { description: "The identifier" })
  value!: string;
  @Field(() => String, { nullable: true, description: "Issue date (YYYY-MM-DD)" })
  issuedOn!: string | null;
  @Field(() => String, { nullable: true, description: "Expiry date (YYYY-MM-DD)" })
  expiresOn!: string | null;
  @Field(() => IdentifierStatus, {
    description: "Validity; a VALID identifier reads EXPIRED once its expiry date has passed",
  })
  status!: IdentifierStatus;
}

@ObjectType({ description: "A phone number (masked for roles without access to personal data)" })
export class Phone {
  @Field(() => ID, { description: "Unique id" })
  id!: string;
  @Field(() => String, { description: "Number in E.164 format, e.g. +254712345678" })
  e164!: string;
  @Field(() => String, { nullable: true, description: "ISO 3166-1 alpha-2 country of the number" })
  country!: string | null;
  @Field(() => Boolean, { description: "The number to use first" })
  isPrimary!: boolean;
}

@ObjectType({
  description:
    "A bank account or mobile wallet (holder and account number masked for roles without access to personal data; the BIC and wallet provider name the institution and stay)",
})
export class FinancialAddress {
  @Field(() => ID, { description: "Unique id" })
  id!: string;
  @Field(() => FinancialAddressKind, { description: "Bank account or mobile wallet" })
  kind!: FinancialAddressKind;
  @Field(() => String, {
    nullable: true,
    description: "Name of the account holder (every character masked without access to personal data)",
  })
  accountHolder!: string | null;
  @Field(() => String, { nullable: true, description: "IBAN (bank accounts)" })
  iban!: string | null;
  @Field(() => String, { nullable: true, description: "BIC (bank accounts)" })
  bic!: string | null;
  @Field(() => String, { nullable: true, description: "Wallet provider code (wallets)" })
  walletProvider!: string | null;
  @Field(() => String, { nullable: true, description: "Wallet phone number, E.164 (wallets)" })
  msisdn!: string | null;
  @Field(() => String, {
    description:
      "G2P Connect ID-account-mapper address, e.g. iban:…@BIC or mobile:+…@provider; without access to personal data the account is masked as in `iban`/`msisdn` (iban:••••3000@BIC)",
  })
  fa!: string;
  @Field(() => Boolean, { description: "The account to pay first" })
  isPrimary!: boolean;
}

@ObjectType({ description: "Membership of an individual in a group over time" })
export class GroupMembership {
  @Field(() => ID, { description: "Unique id" })
  id!: string;
  @Field(() => ID, { description: "The group" })
  groupId!: string;
  @Field(() => ID, { description: "The individual" })
  individualId!: string;
  @Field(() => ID, { description: "Kind of membership" })
  kindId!: string;
  @Field(() => String, { description: "First day (YYYY-MM-DD)" })
  startDate!: string;
  @Field(() => String, { nullable: true, description: "Last day (YYYY-MM-DD); null while current" })
  endDate!: string | null;
}

@ObjectType({ description: "A person or a group (household) in the registry" })
export class Registrant {
  @Field(() => ID, { description: "Unique id" })
  id!: string;
  @Field(() => RegistrantKind, { description: "INDIVIDUAL or GROUP" })
  kind!: RegistrantKind;
  @Field(() => String, {
    nullable: true,
    description: "Key in the source system; imports are idempotent on it",
  })
  externalId!: string | null;
  @Field(() => String, {
    description: "Display name: the group's name, or the person's given and family names",
  })
  name!: string;
  @Field(() => String, { nullable: true, description: "Family name (individuals)" })
  familyName!: string | null;
  @Field(() => String, { nullable: true, description: "Given name (individuals)" })
  givenName!: string | null;
  @Field(() => String, { nullable: true, description: "Other names (individuals)" })
  additionalName!: string | null;
  @Field(() => String, { nullable: true, description: "Birth date, YYYY-MM-DD (individuals)" })
  birthDate!: string | null;
  @Field(() => Boolean, { description: "The birth date is an estimate" })
  birthDateNotExact!: boolean;
  @Field(() => Sex, { nullable: true, description: "Sex (individuals)" })
  sex!: Sex | null;
  @Field(() => String, { description: "Date of registration (YYYY-MM-DD)" })
  registrationDate!: string;
  @Field(() => RegistrantStatus, { description: "ACTIVE, INACTIVE or DECEASED" })
  status!: RegistrantStatus;
  @Field(() => String, { nullable: true, description: "Why the registrant is inactive" })
  statusReason!: string | null;
  @Field(() => String, { nullable: true, description: "Date of death (YYYY-MM-DD)" })
  deceasedDate!: string | null;
  @Field(() => ID, { nullable: true, description: "GAZ-large zone of the address" })
  gazLargeId!: string | null;
  @Field(() => ID, { nullable: true, description: "GAZ-small zone of the address" })
  gazSmallId!: string | null;
  @Field(() => String, { nullable: true, description: "Address text (street, house…)" })
  addressText!: string | null;
  @Field(() => [String], { description: "Free tags" })
  tags!: string[];
  @Field(() => GraphQLJSON, { description: "Custom attributes (see AttributeDefinition)" })
  attributes!: unknown;
  @Field(() => Int, { description: "Version for optimistic concurrency: pass it back to updateRegistrant" })
  version!: number;
  @Field(() => Date, { description: "When the record was created" })
  createdAt!: Date;
  @Field(() => Date, { description: "Last change" })
  updatedAt!: Date;
  @Field(() => String, {
    nullable: true,
    description:
      "Position of this registrant in the list that returned it: pass the last one's as `after` to get the next page. Null outside `registrants`",
  })
  cursor?: string | null;
}

@InputType({ description: "An identifier of a registrant" })
export class IdentifierInput {
  @Field(() => ID, {
    nullable: true,
    description:
      "Id of the registrant's identifier this row keeps or edits (the row keeps its id); omit to add a new one",
  })
  @IsOptional()
  @IsUUID()
  id?: string;
  @Field(() => ID, { description: "Identifier type" })
  @IsUUID()
  idTypeId!: string;
  @Field(() => String, { description: "The identifier" })
  @Length(1, 100)
  value!: string;
  @Field(() => String, { nullable: true, description: "Issue date (YYYY-MM-DD)" })
  @IsOptional()
  @IsDateString({ strict: true }, { message: "issuedOn must be a date YYYY-MM-DD" })
  @Matches(DATE, { message: "issuedOn must be a date YYYY-MM-DD" })
  issuedOn?: string | null;
  @Field(() => String, { nullable: true, description: "Expiry date (YYYY-MM-DD)" })
  @IsOptional()
  @IsDateString({ strict: true }, { message: "expiresOn must be a date YYYY-MM-DD" })
  @Matches(DATE, { message: "expiresOn must be a date YYYY-MM-DD" })
  expiresOn?: string | null;
  @Field(() => IdentifierStatus, { nullable: true, description: "Validity (default VALID)" })
  status?: IdentifierStatus;
}

@InputType({ description: "A phone number; it is normalised to E.164" })
export class PhoneInput {
  @Field(() => ID, {
    nullable: true,
    description:
      "Id of the registrant's phone this row keeps or edits (the row keeps its id); omit to add a new one",
  })
  @IsOptional()
  @IsUUID()
  id?: string;
  @Field(() => String, { description: "The number, international (+…) or national with country" })
  @Length(3, 30)
  number!: string;
  @Field(() => String, { nullable: true, description: "ISO 3166-1 alpha-2 country for national numbers" })
  @IsOptional()
  @IsISO31661Alpha2()
  country?: string | null;
  @Field(() => Boolean, { nullable: true, description: "The number to use first" })
  @IsOptional()
  @IsBoolean()
  isPrimary?: boolean;
}

@InputType({ description: "A bank account (IBAN, BIC) or a mobile wallet (number, provider)" })
export class FinancialAddressInput {
  @Field(() => ID, {
    nullable: true,
    description:
      "Id of the registrant's account this row keeps or edits (the row keeps its id); omit to add a new one",
  })
  @IsOptional()
  @IsUUID()
  id?: string;
  @Field(() => FinancialAddressKind, { description: "Bank account or mobile wallet" })
  kind!: FinancialAddressKind;
  @Field(() => String, { nullable: true, description: "Account holder" })
  @IsOptional()
  @MaxLength(200)
  accountHolder?: string | null;
  @Field(() => String, { nullable: true, description: "IBAN (bank accounts)" })
  @IsOptional()
  @MaxLength(50)
  iban?: string | null;
  @Field(() => String, { nullable: true, description: "BIC (bank accounts)" })
  @IsOptional()
  @MaxLength(20)
  bic?: string | null;
  @Field(() => String, { nullable: true, description: "Wallet provider code, e.g. mpesa (wallets)" })
  @IsOptional()
  @MaxLength(50)
  walletProvider?: string | null;
  @Field(() => String, { nullable: true, description: "Wallet number, international format (wallets)" })
  @IsOptional()
  @MaxLength(30)
  msisdn?: string | null;
  @Field(() => Boolean, { nullable: true, description: "The account to pay first" })
  @IsOptional()
  @IsBoolean()
  isPrimary?: boolean;
}

/** The kind and first day of a membership, shared by the inputs that add one. */
@InputType({ description: "The kind and first day of a membership" })
class MembershipTermsInput {
  @Field(() => ID, { description: "Kind of membership" })
  @IsUUID()
  kindId!: string;
  @Field(() => String, { nullable: true, description: "First day (YYYY-MM-DD); default today" })
  @IsOptional()
  @IsDateString({ strict: true }, { message: "startDate must be a date YYYY-MM-DD" })
  @Matches(DATE, { message: "startDate must be a date YYYY-MM-DD" })
  startDate?: string;
}

@InputType({
  description:
    "A member of a new group: an existing individual (`individualId`) or a person registered with the group (`individual`), exactly one of the two",
})
export class MemberInput extends MembershipTermsInput {
  @Field(() => ID, {
    nullable: true,
    description: "An existing individual of your department; leave out when `individual` is given",
  })
  @IsOptional()
  @IsUUID()
  individualId?: string;
  @Field(() => RegistrantFieldsArgs, {
    nullable: true,
    description:
      "A new person, registered in the same step with the same fields and checks as createRegistrant(kind: INDIVIDUAL); leave out when `individualId` is given",
  })
  @IsOptional()
  @ValidateNested()
  individual?: RegistrantFieldsArgs;
}

/**
 * Fields shared by createRegistrant and updateRegistrant (flat, react-admin style), and
 * the input of a new person among a new group's members (NewIndividualInput).
 */
@ArgsType()
@InputType("NewIndividualInput", {
  description:
    "A person registered with a new group: the fields of createRegistrant for an INDIVIDUAL (`name` is computed from the names)",
})
export class RegistrantFieldsArgs {
  @Field(() => String, { nullable: true, description: "Key in the source system" })
  @IsOptional()
  @Length(1, 100)
  externalId?: string | null;
  @Field(() => String, {
    nullable: true,
    description: "Group name (groups); computed from the names for individuals",
  })
  @IsOptional()
  @Length(1, 300)
  name?: string;
  @Field(() => String, { nullable: true, description: "Family name" })
  @IsOptional()
  @MaxLength(100)
  familyName?: string | null;
  @Field(() => String, { nullable: true, description: "Given name" })
  @IsOptional()
  @MaxLength(100)
  givenName?: string | null;
  @Field(() => String, { nullable: true, description: "Other names" })
  @IsOptional()
  @MaxLength(100)
  additionalName?: string | null;
  @Field(() => String, { nullable: true, description: "Birth date (YYYY-MM-DD)" })
  @IsOptional()
  @IsDateString({ strict: true }, { message: "birthDate must be a date YYYY-MM-DD" })
  @Matches(DATE, { message: "birthDate must be a date YYYY-MM-DD" })
  birthDate?: string | null;
  @Field(() => Boolean, { nullable: true, description: "The birth date is an estimate" })
  @IsOptional()
  @IsBoolean()
  birthDateNotExact?: boolean;
  @Field(() => Sex, { nullable: true, description: "Sex" })
  sex?: Sex | null;
  @Field(() => String, { nullable: true, description: "Registration date (YYYY-MM-DD); default today" })
  @IsOptional()
  @IsDateString({ strict: true }, { message: "registrationDate must be a date YYYY-MM-DD" })
  @Matches(DATE, { message: "registrationDate must be a date YYYY-MM-DD" })
  registrationDate?: string;
  @Field(() => RegistrantStatus, { nullable: true, description: "Status" })
  status?: RegistrantStatus;
  @Field(() => String, {
    nullable: true,
    description: "Why the registrant is inactive (required for INACTIVE)",
  })
  @IsOptional()
  @MaxLength(500)
  statusReason?: string | null;
  @Field(() => String, { nullable: true, description: "Date of death (YYYY-MM-DD)" })
  @IsOptional()
  @IsDateString({ strict: true }, { message: "deceasedDate must be a date YYYY-MM-DD" })
  @Matches(DATE, { message: "deceasedDate must be a date YYYY-MM-DD" })
  deceasedDate?: string | null;
  @Field(() => ID, { nullable: true, description: "GAZ-large zone" })
  @IsOptional()
  @IsUUID()
  gazLargeId?: string | null;
  @Field(() => ID, { nullable: true, description: "GAZ-small zone (inside the GAZ-large zone)" })
  @IsOptional()
  @IsUUID()
  gazSmallId?: string | null;
  @Field(() => String, { nullable: true, description: "Address text" })
  @IsOptional()
  @MaxLength(500)
  addressText?: string | null;
  @Field(() => [String], { nullable: true, description: "Free tags" })
  @IsOptional()
  @ArrayMaxSize(50)
  @Length(1, 50, { each: true })
  tags?: string[];
  @Field(() => GraphQLJSON, { nullable: true, description: "Custom attributes by code" })
  attributes?: Record<string, unknown>;
  @Field(() => [IdentifierInput], {
    nullable: true,
    description: "The full list of identifiers (replaces the current one)",
  })
  @IsOptional()
  @ValidateNested({ each: true })
  @ArrayMaxSize(20)
  identifiers?: IdentifierInput[];
  @Field(() => [PhoneInput], {
    nullable: true,
    description: "The full list of phones (replaces the current one)",
  })
  @IsOptional()
  @ValidateNested({ each: true })
  @ArrayMaxSize(20)
  phones?: PhoneInput[];
  @Field(() => [FinancialAddressInput], {
    nullable: true,
    description: "The full list of accounts (replaces the current one)",
  })
  @IsOptional()
  @ValidateNested({ each: true })
  @ArrayMaxSize(20)
  financialAddresses?: FinancialAddressInput[];
}

@ArgsType()
export class CreateRegistrantArgs extends RegistrantFieldsArgs {
  @Field(() => RegistrantKind, { description: "INDIVIDUAL or GROUP" })
  kind!: RegistrantKind;
  @Field(() => [MemberInput], {
    nullable: true,
    description:
      "Members of a new group, added in the same step: existing individuals, or new persons registered with it (errors name `members.<i>.individual.<field>`; any error leaves nothing created)",
  })
  @IsOptional()
  @ValidateNested({ each: true })
  @ArrayMaxSize(100)
  members?: MemberInput[];
}

@ArgsType()
export class UpdateRegistrantArgs extends RegistrantFieldsArgs {
  @Field(() => ID, { description: "The registrant" })
  @IsUUID()
  id!: string;
  @Field(() => Int, {
    nullable: true,
    description: "The version you read; a newer stored version is a CONFLICT",
  })
  @IsOptional()
  @IsInt()
  version?: number;
}

@InputType({ description: "Filters of the registry; all given filters must match" })
export class RegistrantFilter {
  @Field(() => String, { nullable: true, description: "Name search, tolerant of typos (trigram similarity)" })
  @IsOptional()
  @MaxLength(200)
  q?: string;
  @Field(() => [ID], { nullable: true, description: "Only these registrants" })
  @IsOptional()
  @IsUUID("all", { each: true })
  @ArrayMaxSize(1000)
  ids?: string[];
  @Field(() => RegistrantKind, { nullable: true, description: "Individuals or groups" })
  kind?: RegistrantKind;
  @Field(() => RegistrantStatus, { nullable: true, description: "Status" })
  status?: RegistrantStatus;
  @Field(() => Sex, { nullable: true, description: "Sex" })
  sex?: Sex;
  @Field(() => ID, { nullable: true, description: "In this GAZ-large zone" })
  @IsOptional()
  @IsUUID()
  gazLargeId?: string;
  @Field(() => ID, { nullable: true, description: "In this GAZ-small zone" })
  @IsOptional()
  @IsUUID()
  gazSmallId?: string;
  @Field(() => String, {
    nullable: true,
    description: "Has an identifier with exactly this value (needs access to personal data, else FORBIDDEN)",
  })
  @IsOptional()
  @MaxLength(100)
  identifier?: string;
  @Field(() => ID, { nullable: true, description: "…of this identifier type" })
  @IsOptional()
  @IsUUID()
  idTypeId?: string;
  @Field(() => String, {
    nullable: true,
    description:
      "Has this phone number (any format; normalised; needs access to personal data, else FORBIDDEN)",
  })
  @IsOptional()
  @MaxLength(30)
  phone?: string;
  @Field(() => Int, { nullable: true, description: "At least this old (years)" })
  @IsOptional()
  @Min(0)
  @Max(150)
  age_gte?: number;
  @Field(() => Int, { nullable: true, description: "At most this old (years)" })
  @IsOptional()
  @Min(0)
  @Max(150)
  age_lte?: number;
  @Field(() => ID, { nullable: true, description: "Current members of this group" })
  @IsOptional()
  @IsUUID()
  groupId?: string;
  @Field(() => ID, { nullable: true, description: "Groups this individual currently belongs to" })
  @IsOptional()
  @IsUUID()
  memberId?: string;
  @Field(() => String, { nullable: true, description: "Has this tag" })
  @IsOptional()
  @MaxLength(50)
  tag?: string;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'Attributes equal to these values, e.g. { roof_material: "thatch" }',
  })
  attributes?: Record<string, unknown>;
  @Field(() => String, { nullable: true, description: "Registered on or after (YYYY-MM-DD)" })
  @IsOptional()
  @IsDateString({ strict: true }, { message: "registrationDate_gte must be a date YYYY-MM-DD" })
  @Matches(DATE, { message: "registrationDate_gte must be a date YYYY-MM-DD" })
  registrationDate_gte?: string;
  @Field(() => String, { nullable: true, description: "Registered on or before (YYYY-MM-DD)" })
  @IsOptional()
  @IsDateString({ strict: true }, { message: "registrationDate_lte must be a date YYYY-MM-DD" })
  @Matches(DATE, { message: "registrationDate_lte must be a date YYYY-MM-DD" })
  registrationDate_lte?: string;
}

@ArgsType()
export class RegistrantListArgs extends ListArgs {
  @Field(() => RegistrantFilter, { nullable: true, description: "Filters" })
  @IsOptional()
  @ValidateNested()
  filter?: RegistrantFilter;
}

@ArgsType()
export class RegistrantPageArgs extends RegistrantListArgs {
  @Field(() => String, {
    nullable: true,
    description:
      "Continue after this registrant: the `cursor` of the last one of the previous page, with the same sort and name search (leave `page` out). Pages reach the first 10,000 rows; cursors go on to the end",
  })
  @IsOptional()
  @MaxLength(2000)
  after?: string;
}

@ObjectType({ description: "Number of registrants matching a filter" })
export class RegistrantListMetadata {
  @Field(() => Int, {
    description:
      "Matching registrants: exact when `estimated` is false, else an estimate from a sample of the registry (above `exactLimit`)",
  })
  count!: number;
  @Field(() => Boolean, {
    description: "More than `exactLimit` registrants match, so `count` is an estimate rather than a count",
  })
  estimated!: boolean;
  @Field(() => Int, {
    description:
      "Matches are counted exactly up to this number; it is also how many rows `page` can reach (continue with `after` cursors)",
  })
  exactLimit!: number;
}

@InputType({ description: "Adds an individual to a group" })
export class AddGroupMemberInput extends MembershipTermsInput {
  @Field(() => ID, { description: "The group" })
  @IsUUID()
  groupId!: string;
  @Field(() => ID, { description: "The individual" })
  @IsUUID()
  individualId!: string;
}

@InputType({ description: "Ends a membership (it stays in the history)" })
export class EndGroupMembershipInput {
  @Field(() => ID, { description: "The membership" })
  @IsUUID()
  id!: string;
  @Field(() => String, { nullable: true, description: "Last day (YYYY-MM-DD); default today" })
  @IsOptional()
  @IsDateString({ strict: true }, { message: "endDate must be a date YYYY-MM-DD" })
  @Matches(DATE, { message: "endDate must be a date YYYY-MM-DD" })
  endDate?: string;
}

@ObjectType({ description: "A document attached to a registrant" })
export class Document {
  @Field(() => ID, { description: "Unique id" })
  id!: string;
  @Field(() => ID, { description: "The registrant" })
  registrantId!: string;
  @Field(() => String, { description: "ID_CARD, BIRTH_CERTIFICATE, PHOTO, PROOF_OF_ADDRESS or OTHER" })
  type!: string;
  @Field(() => String, { nullable: true, description: "Note about the document" })
  description!: string | null;
  @Field(() => String, { description: "Original file name" })
  fileName!: string;
  @Field(() => String, { description: "Media type" })
  contentType!: string;
  @Field(() => Int, { description: "Size in bytes" })
  byteSize!: number;
  @Field(() => Date, { description: "When it was attached" })
  createdAt!: Date;
}
