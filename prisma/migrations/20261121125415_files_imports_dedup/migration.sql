-- CreateEnum
CREATE TYPE "DedupRuleKind" AS ENUM ('SAME_IDENTIFIER', 'SAME_PHONE', 'SAME_FINANCIAL_ADDRESS', 'SIMILAR_NAME_BIRTH_DATE');

-- CreateEnum
CREATE TYPE "DuplicateSetStatus" AS ENUM ('OPEN', 'NOT_DUPLICATE', 'MERGED');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "JobType" ADD VALUE 'REGISTRY_IMPORT';
ALTER TYPE "JobType" ADD VALUE 'REGISTRY_EXPORT';
ALTER TYPE "JobType" ADD VALUE 'DEDUPLICATION';

-- AlterTable
ALTER TABLE "registrant" ADD COLUMN     "merged_into_id" UUID;

-- CreateTable
CREATE TABLE "stored_file" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "storage_key" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "byte_size" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "created_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stored_file_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_error" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "job_id" UUID NOT NULL,
    "line" INTEGER NOT NULL,
    "column" TEXT,
    "message" TEXT NOT NULL,

    CONSTRAINT "import_error_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dedup_rule" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "kind" "DedupRuleKind" NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "name_threshold" DOUBLE PRECISION NOT NULL DEFAULT 0.6,
    "birth_date_days" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dedup_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "duplicate_set" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "rule" "DedupRuleKind" NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "status" "DuplicateSetStatus" NOT NULL DEFAULT 'OPEN',
    "member_key" TEXT NOT NULL,
    "job_id" UUID,
    "decided_by" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "duplicate_set_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "duplicate_set_member" (
    "set_id" UUID NOT NULL,
    "registrant_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,

    CONSTRAINT "duplicate_set_member_pkey" PRIMARY KEY ("set_id","registrant_id")
);

-- CreateTable
CREATE TABLE "registrant_merge" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "survivor_id" UUID NOT NULL,
    "merged_id" UUID NOT NULL,
    "moved" JSONB NOT NULL,
    "merged_by" TEXT NOT NULL,
    "merged_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reverted_at" TIMESTAMPTZ(3),

    CONSTRAINT "registrant_merge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "stored_file_tenant_id_created_at_idx" ON "stored_file"("tenant_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "stored_file_tenant_id_id_key" ON "stored_file"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "import_error_tenant_id_job_id_line_idx" ON "import_error"("tenant_id", "job_id", "line");

-- CreateIndex
CREATE UNIQUE INDEX "dedup_rule_tenant_id_kind_key" ON "dedup_rule"("tenant_id", "kind");

-- CreateIndex
CREATE INDEX "duplicate_set_tenant_id_status_score_idx" ON "duplicate_set"("tenant_id", "status", "score" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "duplicate_set_tenant_id_id_key" ON "duplicate_set"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "duplicate_set_tenant_id_rule_member_key_key" ON "duplicate_set"("tenant_id", "rule", "member_key");

-- CreateIndex
CREATE INDEX "duplicate_set_member_tenant_id_registrant_id_idx" ON "duplicate_set_member"("tenant_id", "registrant_id");

-- CreateIndex
CREATE INDEX "registrant_merge_tenant_id_survivor_id_idx" ON "registrant_merge"("tenant_id", "survivor_id");

-- CreateIndex
CREATE INDEX "registrant_merge_tenant_id_merged_id_idx" ON "registrant_merge"("tenant_id", "merged_id");

-- CreateIndex
CREATE INDEX "registrant_tenant_id_merged_into_id_idx" ON "registrant"("tenant_id", "merged_into_id");

-- AddForeignKey
ALTER TABLE "registrant" ADD CONSTRAINT "registrant_tenant_id_merged_into_id_fkey" FOREIGN KEY ("tenant_id", "merged_into_id") REFERENCES "registrant"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stored_file" ADD CONSTRAINT "stored_file_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_error" ADD CONSTRAINT "import_error_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dedup_rule" ADD CONSTRAINT "dedup_rule_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "duplicate_set" ADD CONSTRAINT "duplicate_set_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "duplicate_set_member" ADD CONSTRAINT "duplicate_set_member_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "duplicate_set_member" ADD CONSTRAINT "duplicate_set_member_tenant_id_set_id_fkey" FOREIGN KEY ("tenant_id", "set_id") REFERENCES "duplicate_set"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "duplicate_set_member" ADD CONSTRAINT "duplicate_set_member_tenant_id_registrant_id_fkey" FOREIGN KEY ("tenant_id", "registrant_id") REFERENCES "registrant"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "registrant_merge" ADD CONSTRAINT "registrant_merge_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "registrant_merge" ADD CONSTRAINT "registrant_merge_tenant_id_survivor_id_fkey" FOREIGN KEY ("tenant_id", "survivor_id") REFERENCES "registrant"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "registrant_merge" ADD CONSTRAINT "registrant_merge_tenant_id_merged_id_fkey" FOREIGN KEY ("tenant_id", "merged_id") REFERENCES "registrant"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Row-level security
SELECT app_enable_tenant_rls('"stored_file"');
SELECT app_enable_tenant_rls('"import_error"');
SELECT app_enable_tenant_rls('"dedup_rule"');
SELECT app_enable_tenant_rls('"duplicate_set"');
SELECT app_enable_tenant_rls('"duplicate_set_member"');
SELECT app_enable_tenant_rls('"registrant_merge"');
