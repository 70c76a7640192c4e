-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "JobType" AS ENUM ('AUDIT_EXPORT');

-- CreateEnum
CREATE TYPE "JobState" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateTable
CREATE TABLE "department" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'en',
    "currency" CHAR(3) NOT NULL DEFAULT 'USD',
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "department_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_profile" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "subject" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "roles" TEXT[],
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_sign_in_at" TIMESTAMPTZ(3),

    CONSTRAINT "user_profile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" TEXT NOT NULL,
    "actor_name" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT,
    "before" JSONB,
    "after" JSONB,
    "request_id" TEXT,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "type" "JobType" NOT NULL,
    "state" "JobState" NOT NULL DEFAULT 'QUEUED',
    "params" JSONB NOT NULL DEFAULT '{}',
    "progress_done" INTEGER NOT NULL DEFAULT 0,
    "progress_total" INTEGER,
    "checkpoint" JSONB,
    "result" JSONB,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL DEFAULT 3,
    "cancel_requested" BOOLEAN NOT NULL DEFAULT false,
    "idempotency_key" TEXT,
    "locked_by" TEXT,
    "heartbeat_at" TIMESTAMPTZ(3),
    "run_after" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" TEXT NOT NULL,
    "created_by_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_output" (
    "job_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "file_name" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "byte_size" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "job_output_pkey" PRIMARY KEY ("job_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "department_code_key" ON "department"("code");

-- CreateIndex
CREATE INDEX "user_profile_tenant_id_username_idx" ON "user_profile"("tenant_id", "username");

-- CreateIndex
CREATE UNIQUE INDEX "user_profile_tenant_id_subject_key" ON "user_profile"("tenant_id", "subject");

-- CreateIndex
CREATE INDEX "audit_event_tenant_id_occurred_at_id_idx" ON "audit_event"("tenant_id", "occurred_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "audit_event_tenant_id_entity_type_entity_id_idx" ON "audit_event"("tenant_id", "entity_type", "entity_id");

-- CreateIndex
CREATE INDEX "audit_event_tenant_id_actor_id_idx" ON "audit_event"("tenant_id", "actor_id");

-- CreateIndex
CREATE INDEX "job_state_run_after_idx" ON "job"("state", "run_after");

-- CreateIndex
CREATE INDEX "job_tenant_id_created_at_idx" ON "job"("tenant_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "job_tenant_id_idempotency_key_key" ON "job"("tenant_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "job_output_tenant_id_idx" ON "job_output"("tenant_id");

-- AddForeignKey
ALTER TABLE "user_profile" ADD CONSTRAINT "user_profile_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job" ADD CONSTRAINT "job_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_output" ADD CONSTRAINT "job_output_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "job"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_output" ADD CONSTRAINT "job_output_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- ---------------------------------------------------------------------------
-- Tenancy: the application role, row-level security, append-only audit, jobs.
-- ---------------------------------------------------------------------------

-- The API and workers connect as a login role that is a member of pbms_app:
-- it owns no table, so row-level security always applies to it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pbms_app') THEN
    CREATE ROLE pbms_app NOLOGIN;
  END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO pbms_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO pbms_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO pbms_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO pbms_app;
-- The migration ledger is readable (readiness checks) but not writable.
DO $$
BEGIN
  IF to_regclass('schema_migration') IS NOT NULL THEN
    REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migration FROM pbms_app;
  END IF;
END
$$;

-- The department of the current transaction, set by the API from the verified
-- token with set_config('app.tenant_id', ..., true). NULL when unset: then no
-- tenant row is visible.
CREATE FUNCTION app_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

-- Enables and forces the tenant-isolation policy on a table with tenant_id.
-- `pnpm db:migration:new` adds a call for every new table that has the column,
-- and a test fails if any such table lacks an enabled, forced policy.
CREATE FUNCTION app_enable_tenant_rls(tbl regclass) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tbl);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant())',
    tbl);
END
$$;

SELECT app_enable_tenant_rls('"user_profile"');
SELECT app_enable_tenant_rls('"audit_event"');
SELECT app_enable_tenant_rls('"job"');
SELECT app_enable_tenant_rls('"job_output"');

-- A department sees and edits only itself; departments are created by
-- operators (seed/migrations), never through the application role.
ALTER TABLE department ENABLE ROW LEVEL SECURITY;
ALTER TABLE department FORCE ROW LEVEL SECURITY;
CREATE POLICY department_self ON department
  USING (id = app_current_tenant()) WITH CHECK (id = app_current_tenant());
REVOKE INSERT, DELETE, TRUNCATE ON department FROM pbms_app;
-- The owner (the role applying migrations) reads all departments so the
-- SECURITY DEFINER functions below can resolve codes and claim jobs.
DO $$
BEGIN
  EXECUTE format('CREATE POLICY department_owner ON department TO %I USING (true) WITH CHECK (true)', current_user);
  EXECUTE format('CREATE POLICY job_owner ON job TO %I USING (true) WITH CHECK (true)', current_user);
END
$$;

-- Resolves a token's `tenant` claim (department code) to the department id.
CREATE FUNCTION app_department_id(p_code text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT id FROM department WHERE code = p_code $$;
REVOKE ALL ON FUNCTION app_department_id(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_department_id(text) TO pbms_app;

-- The audit log is append-only, for every role including the owner.
CREATE FUNCTION app_refuse_audit_change() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION app_refuse_audit_change();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION app_refuse_audit_change();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM pbms_app;

-- Job queue: workers claim across departments through this function, then run
-- the job inside a transaction scoped to the job's department.
CREATE FUNCTION app_claim_job(p_worker text, p_types text[]) RETURNS SETOF job
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
  UPDATE job
     SET state = 'RUNNING', locked_by = p_worker, attempts = attempts + 1,
         started_at = coalesce(started_at, now()), heartbeat_at = now()
   WHERE id = (
     SELECT id FROM job
      WHERE state = 'QUEUED' AND run_after <= now() AND type::text = ANY (p_types)
      ORDER BY run_after, created_at
      FOR UPDATE SKIP LOCKED
      LIMIT 1)
  RETURNING *
$$;
REVOKE ALL ON FUNCTION app_claim_job(text, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_claim_job(text, text[]) TO pbms_app;

-- Puts RUNNING jobs whose worker stopped heart-beating back in the queue (or
-- fails them once they used all attempts). Returns how many were touched.
CREATE FUNCTION app_requeue_stale_jobs(p_stale interval) RETURNS integer
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
  WITH stale AS (
    UPDATE job
       SET state = CASE WHEN attempts >= max_attempts THEN 'FAILED'::"JobState" ELSE 'QUEUED'::"JobState" END,
           error = CASE WHEN attempts >= max_attempts THEN 'worker stopped responding' ELSE error END,
           finished_at = CASE WHEN attempts >= max_attempts THEN now() ELSE NULL END,
           locked_by = NULL
     WHERE state = 'RUNNING' AND heartbeat_at < now() - p_stale
    RETURNING 1)
  SELECT count(*)::integer FROM stale
$$;
REVOKE ALL ON FUNCTION app_requeue_stale_jobs(interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_requeue_stale_jobs(interval) TO pbms_app;

-- Wakes workers as soon as a job is queued.
CREATE FUNCTION app_notify_job() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM pg_notify('pbms_job', NEW.id::text);
  RETURN NULL;
END
$$;
CREATE TRIGGER job_notify AFTER INSERT ON job
  FOR EACH ROW WHEN (NEW.state = 'QUEUED') EXECUTE FUNCTION app_notify_job();
