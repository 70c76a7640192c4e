-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateEnum
CREATE TYPE "GeoZoneLevel" AS ENUM ('LARGE', 'SMALL');

-- CreateEnum
CREATE TYPE "RegistrantKind" AS ENUM ('INDIVIDUAL', 'GROUP');

-- CreateEnum
CREATE TYPE "Sex" AS ENUM ('FEMALE', 'MALE', 'OTHER');

-- CreateEnum
CREATE TYPE "RegistrantStatus" AS ENUM ('ACTIVE', 'INACTIVE', 'DECEASED');

-- CreateEnum
CREATE TYPE "IdChecksum" AS ENUM ('NONE', 'LUHN', 'VERHOEFF');

-- CreateEnum
CREATE TYPE "IdentifierStatus" AS ENUM ('VALID', 'EXPIRED', 'REVOKED');

-- CreateEnum
CREATE TYPE "FinancialAddressKind" AS ENUM ('BANK_ACCOUNT', 'MOBILE_WALLET');

-- CreateEnum
CREATE TYPE "AttributeType" AS ENUM ('NUMBER', 'INTEGER', 'BOOLEAN', 'TEXT', 'ENUM', 'DATE');

-- CreateTable
CREATE TABLE "geo_zone" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "level" "GeoZoneLevel" NOT NULL,
    "parent_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "geo_zone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "registrant" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "kind" "RegistrantKind" NOT NULL,
    "external_id" TEXT,
    "name" TEXT NOT NULL,
    "family_name" TEXT,
    "given_name" TEXT,
    "additional_name" TEXT,
    "birth_date" DATE,
    "birth_date_not_exact" BOOLEAN NOT NULL DEFAULT false,
    "sex" "Sex",
    "registration_date" DATE NOT NULL DEFAULT CURRENT_DATE,
    "status" "RegistrantStatus" NOT NULL DEFAULT 'ACTIVE',
    "status_reason" TEXT,
    "deceased_date" DATE,
    "gaz_large_id" UUID,
    "gaz_small_id" UUID,
    "address_text" TEXT,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "registrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "id_type" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "pattern" TEXT,
    "checksum" "IdChecksum" NOT NULL DEFAULT 'NONE',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "id_type_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "registrant_identifier" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "registrant_id" UUID NOT NULL,
    "id_type_id" UUID NOT NULL,
    "value" TEXT NOT NULL,
    "issued_on" DATE,
    "expires_on" DATE,
    "status" "IdentifierStatus" NOT NULL DEFAULT 'VALID',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "registrant_identifier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "phone" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "registrant_id" UUID NOT NULL,
    "e164" TEXT NOT NULL,
    "country" CHAR(2),
    "is_primary" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "phone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "financial_address" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "registrant_id" UUID NOT NULL,
    "kind" "FinancialAddressKind" NOT NULL,
    "account_holder" TEXT,
    "iban" TEXT,
    "bic" TEXT,
    "wallet_provider" TEXT,
    "msisdn" TEXT,
    "fa" TEXT NOT NULL,
    "is_primary" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "financial_address_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "membership_kind" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "unique_per_group" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "membership_kind_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "group_membership" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "group_id" UUID NOT NULL,
    "individual_id" UUID NOT NULL,
    "kind_id" UUID NOT NULL,
    "start_date" DATE NOT NULL DEFAULT CURRENT_DATE,
    "end_date" DATE,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "group_membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "attribute_definition" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "description" TEXT,
    "type" "AttributeType" NOT NULL,
    "applies_to" "RegistrantKind",
    "required" BOOLEAN NOT NULL DEFAULT false,
    "enum_values" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "min" DECIMAL(20,6),
    "max" DECIMAL(20,6),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "attribute_definition_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "geo_zone_parent_id_idx" ON "geo_zone"("parent_id");

-- CreateIndex
CREATE UNIQUE INDEX "geo_zone_tenant_id_id_key" ON "geo_zone"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "geo_zone_tenant_id_code_key" ON "geo_zone"("tenant_id", "code");

-- CreateIndex
CREATE INDEX "registrant_tenant_id_kind_status_id_idx" ON "registrant"("tenant_id", "kind", "status", "id");

-- CreateIndex
CREATE INDEX "registrant_tenant_id_gaz_large_id_idx" ON "registrant"("tenant_id", "gaz_large_id");

-- CreateIndex
CREATE INDEX "registrant_tenant_id_gaz_small_id_idx" ON "registrant"("tenant_id", "gaz_small_id");

-- CreateIndex
CREATE INDEX "registrant_tenant_id_birth_date_idx" ON "registrant"("tenant_id", "birth_date");

-- CreateIndex
CREATE INDEX "registrant_name_trgm_idx" ON "registrant" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "registrant_attributes_idx" ON "registrant" USING GIN ("attributes" jsonb_path_ops);

-- CreateIndex
CREATE INDEX "registrant_tags_idx" ON "registrant" USING GIN ("tags");

-- CreateIndex
CREATE UNIQUE INDEX "registrant_tenant_id_id_key" ON "registrant"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "registrant_tenant_id_external_id_key" ON "registrant"("tenant_id", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "id_type_tenant_id_id_key" ON "id_type"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "id_type_tenant_id_code_key" ON "id_type"("tenant_id", "code");

-- CreateIndex
CREATE INDEX "registrant_identifier_registrant_id_idx" ON "registrant_identifier"("registrant_id");

-- CreateIndex
CREATE INDEX "registrant_identifier_id_type_id_idx" ON "registrant_identifier"("id_type_id");

-- CreateIndex
CREATE UNIQUE INDEX "registrant_identifier_tenant_id_id_type_id_value_key" ON "registrant_identifier"("tenant_id", "id_type_id", "value");

-- CreateIndex
CREATE INDEX "phone_tenant_id_e164_idx" ON "phone"("tenant_id", "e164");

-- CreateIndex
CREATE INDEX "phone_registrant_id_idx" ON "phone"("registrant_id");

-- CreateIndex
CREATE INDEX "financial_address_tenant_id_fa_idx" ON "financial_address"("tenant_id", "fa");

-- CreateIndex
CREATE INDEX "financial_address_registrant_id_idx" ON "financial_address"("registrant_id");

-- CreateIndex
CREATE UNIQUE INDEX "membership_kind_tenant_id_id_key" ON "membership_kind"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "membership_kind_tenant_id_code_key" ON "membership_kind"("tenant_id", "code");

-- CreateIndex
CREATE INDEX "group_membership_tenant_id_group_id_idx" ON "group_membership"("tenant_id", "group_id");

-- CreateIndex
CREATE INDEX "group_membership_tenant_id_individual_id_idx" ON "group_membership"("tenant_id", "individual_id");

-- CreateIndex
CREATE INDEX "group_membership_kind_id_idx" ON "group_membership"("kind_id");

-- CreateIndex
CREATE UNIQUE INDEX "attribute_definition_tenant_id_code_key" ON "attribute_definition"("tenant_id", "code");

-- AddForeignKey
ALTER TABLE "geo_zone" ADD CONSTRAINT "geo_zone_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "geo_zone" ADD CONSTRAINT "geo_zone_tenant_id_parent_id_fkey" FOREIGN KEY ("tenant_id", "parent_id") REFERENCES "geo_zone"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "registrant" ADD CONSTRAINT "registrant_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "registrant" ADD CONSTRAINT "registrant_tenant_id_gaz_large_id_fkey" FOREIGN KEY ("tenant_id", "gaz_large_id") REFERENCES "geo_zone"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "registrant" ADD CONSTRAINT "registrant_tenant_id_gaz_small_id_fkey" FOREIGN KEY ("tenant_id", "gaz_small_id") REFERENCES "geo_zone"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "id_type" ADD CONSTRAINT "id_type_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "registrant_identifier" ADD CONSTRAINT "registrant_identifier_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "registrant_identifier" ADD CONSTRAINT "registrant_identifier_tenant_id_registrant_id_fkey" FOREIGN KEY ("tenant_id", "registrant_id") REFERENCES "registrant"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "registrant_identifier" ADD CONSTRAINT "registrant_identifier_tenant_id_id_type_id_fkey" FOREIGN KEY ("tenant_id", "id_type_id") REFERENCES "id_type"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "phone" ADD CONSTRAINT "phone_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "phone" ADD CONSTRAINT "phone_tenant_id_registrant_id_fkey" FOREIGN KEY ("tenant_id", "registrant_id") REFERENCES "registrant"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "financial_address" ADD CONSTRAINT "financial_address_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "financial_address" ADD CONSTRAINT "financial_address_tenant_id_registrant_id_fkey" FOREIGN KEY ("tenant_id", "registrant_id") REFERENCES "registrant"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "membership_kind" ADD CONSTRAINT "membership_kind_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "group_membership" ADD CONSTRAINT "group_membership_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "group_membership" ADD CONSTRAINT "group_membership_tenant_id_group_id_fkey" FOREIGN KEY ("tenant_id", "group_id") REFERENCES "registrant"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "group_membership" ADD CONSTRAINT "group_membership_tenant_id_individual_id_fkey" FOREIGN KEY ("tenant_id", "individual_id") REFERENCES "registrant"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "group_membership" ADD CONSTRAINT "group_membership_tenant_id_kind_id_fkey" FOREIGN KEY ("tenant_id", "kind_id") REFERENCES "membership_kind"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attribute_definition" ADD CONSTRAINT "attribute_definition_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Row-level security
SELECT app_enable_tenant_rls('"geo_zone"');
SELECT app_enable_tenant_rls('"registrant"');
SELECT app_enable_tenant_rls('"id_type"');
SELECT app_enable_tenant_rls('"registrant_identifier"');
SELECT app_enable_tenant_rls('"phone"');
SELECT app_enable_tenant_rls('"financial_address"');
SELECT app_enable_tenant_rls('"membership_kind"');
SELECT app_enable_tenant_rls('"group_membership"');
SELECT app_enable_tenant_rls('"attribute_definition"');

-- Rules Prisma's schema cannot express (the drift test compares keys, indexes
-- and foreign keys; CHECK constraints and triggers live here only).
ALTER TABLE geo_zone ADD CONSTRAINT geo_zone_small_has_parent
  CHECK ((level = 'SMALL') = (parent_id IS NOT NULL));
ALTER TABLE registrant ADD CONSTRAINT registrant_inactive_has_reason
  CHECK (status <> 'INACTIVE' OR status_reason IS NOT NULL);
ALTER TABLE registrant ADD CONSTRAINT registrant_attributes_object
  CHECK (jsonb_typeof(attributes) = 'object');
ALTER TABLE registrant ADD CONSTRAINT registrant_individual_fields
  CHECK (kind = 'INDIVIDUAL' OR (birth_date IS NULL AND sex IS NULL));
ALTER TABLE phone ADD CONSTRAINT phone_e164
  CHECK (e164 ~ '^\+[1-9][0-9]{6,14}$');
ALTER TABLE group_membership ADD CONSTRAINT group_membership_dates
  CHECK (end_date IS NULL OR end_date >= start_date);

-- A membership links a GROUP to an INDIVIDUAL, and a kind marked unique per
-- group (e.g. head) is held by one current member at most. Changes to one
-- group's memberships are serialised by locking the group's row.
CREATE FUNCTION app_check_membership() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM 1 FROM registrant WHERE id = NEW.group_id AND kind = 'GROUP' FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'group_id must reference a group' USING ERRCODE = 'check_violation', CONSTRAINT = 'group_membership_group_kind';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM registrant WHERE id = NEW.individual_id AND kind = 'INDIVIDUAL') THEN
    RAISE EXCEPTION 'individual_id must reference an individual' USING ERRCODE = 'check_violation', CONSTRAINT = 'group_membership_individual_kind';
  END IF;
  IF NEW.end_date IS NULL AND EXISTS (
       SELECT 1 FROM group_membership m JOIN membership_kind k ON k.id = m.kind_id
        WHERE m.group_id = NEW.group_id AND m.kind_id = NEW.kind_id AND k.unique_per_group
          AND m.end_date IS NULL AND m.id <> NEW.id) THEN
    RAISE EXCEPTION 'this group already has a current member of this kind' USING ERRCODE = 'unique_violation', CONSTRAINT = 'group_membership_unique_kind';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER group_membership_check BEFORE INSERT OR UPDATE ON group_membership
  FOR EACH ROW EXECUTE FUNCTION app_check_membership();
