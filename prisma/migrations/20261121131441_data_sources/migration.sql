-- CreateEnum
CREATE TYPE "DataSourceRecordStatus" AS ENUM ('NEW', 'CHANGED', 'UNCHANGED', 'REMOVED');

-- AlterEnum
ALTER TYPE "JobType" ADD VALUE 'DATA_SOURCE_SYNC';

-- CreateTable
CREATE TABLE "data_source" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "base_url" TEXT NOT NULL,
    "token_url" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "client_secret_enc" TEXT,
    "search_criteria" JSONB NOT NULL,
    "field_mapping" JSONB NOT NULL DEFAULT '{}',
    "page_size" INTEGER NOT NULL DEFAULT 100,
    "schedule_minutes" INTEGER,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "last_sync_at" TIMESTAMPTZ(3),
    "last_sync_status" "JobState",
    "last_sync_job_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "data_source_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "data_source_record" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "data_source_id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "raw" JSONB NOT NULL,
    "hash" TEXT NOT NULL,
    "previous_raw" JSONB,
    "previous_hash" TEXT,
    "status" "DataSourceRecordStatus" NOT NULL,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL,
    "seen_job_id" UUID NOT NULL,
    "registrant_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "data_source_record_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "data_source_tenant_id_id_key" ON "data_source"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "data_source_tenant_id_name_key" ON "data_source"("tenant_id", "name");

-- CreateIndex
CREATE INDEX "data_source_record_tenant_id_data_source_id_status_idx" ON "data_source_record"("tenant_id", "data_source_id", "status");

-- CreateIndex
CREATE INDEX "data_source_record_tenant_id_registrant_id_idx" ON "data_source_record"("tenant_id", "registrant_id");

-- CreateIndex
CREATE UNIQUE INDEX "data_source_record_tenant_id_data_source_id_external_id_key" ON "data_source_record"("tenant_id", "data_source_id", "external_id");

-- AddForeignKey
ALTER TABLE "data_source" ADD CONSTRAINT "data_source_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "data_source_record" ADD CONSTRAINT "data_source_record_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "data_source_record" ADD CONSTRAINT "data_source_record_tenant_id_data_source_id_fkey" FOREIGN KEY ("tenant_id", "data_source_id") REFERENCES "data_source"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "data_source_record" ADD CONSTRAINT "data_source_record_tenant_id_registrant_id_fkey" FOREIGN KEY ("tenant_id", "registrant_id") REFERENCES "registrant"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-level security
SELECT app_enable_tenant_rls('"data_source"');
SELECT app_enable_tenant_rls('"data_source_record"');

-- Rules Prisma's schema cannot express.
ALTER TABLE data_source ADD CONSTRAINT data_source_page_size
  CHECK (page_size BETWEEN 1 AND 500);
ALTER TABLE data_source ADD CONSTRAINT data_source_schedule
  CHECK (schedule_minutes IS NULL OR schedule_minutes >= 1);
ALTER TABLE data_source ADD CONSTRAINT data_source_json_objects
  CHECK (jsonb_typeof(search_criteria) = 'object' AND jsonb_typeof(field_mapping) = 'object');

-- Scheduled syncs: the worker's scheduler finds the data sources that are due
-- across departments through this function, then queues each sync inside a
-- transaction scoped to the source's department. The owner (the role applying
-- migrations) reads every data source for it.
DO $$
BEGIN
  EXECUTE format('CREATE POLICY data_source_owner ON data_source FOR SELECT TO %I USING (true)', current_user);
END
$$;

CREATE FUNCTION app_due_data_sources(p_now timestamptz) RETURNS TABLE (tenant_id uuid, id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
  SELECT d.tenant_id, d.id
    FROM data_source d
   WHERE d.enabled
     AND d.schedule_minutes IS NOT NULL
     AND (d.last_sync_at IS NULL OR d.last_sync_at + make_interval(mins => d.schedule_minutes) <= p_now)
     AND NOT EXISTS (
       SELECT 1 FROM job j
        WHERE j.tenant_id = d.tenant_id
          AND j.type::text = 'DATA_SOURCE_SYNC'
          AND j.state IN ('QUEUED', 'RUNNING')
          AND j.params ->> 'dataSourceId' = d.id::text)
   ORDER BY d.last_sync_at NULLS FIRST, d.id
$$;
REVOKE ALL ON FUNCTION app_due_data_sources(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_due_data_sources(timestamptz) TO pbms_app;
