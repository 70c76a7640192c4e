-- Bulk loads (the registry import) may run with session_replication_role =
-- replica, which skips the per-row foreign-key triggers: the import resolves
-- and checks every reference in its staging tables and locks the referenced
-- rows itself, so the per-row re-checks only cost time (about two thirds of
-- inserting a million rows). Triggers that carry rules of their own must fire
-- in that mode too, so each is ENABLE ALWAYS; a test keeps every future
-- trigger that way.
ALTER TABLE audit_event ENABLE ALWAYS TRIGGER audit_event_append_only;
ALTER TABLE audit_event ENABLE ALWAYS TRIGGER audit_event_no_truncate;
ALTER TABLE job ENABLE ALWAYS TRIGGER job_notify;
ALTER TABLE group_membership ENABLE ALWAYS TRIGGER group_membership_check_insert;
ALTER TABLE group_membership ENABLE ALWAYS TRIGGER group_membership_check_update;

-- Parameter privileges exist from PostgreSQL 15 and need a superuser (or a
-- role holding the grant option). Without them imports still work, with the
-- per-row checks.
DO $$
BEGIN
  EXECUTE 'GRANT SET ON PARAMETER session_replication_role TO pbms_app';
EXCEPTION WHEN insufficient_privilege OR syntax_error OR undefined_object THEN
  RAISE NOTICE 'session_replication_role not granted to pbms_app (%): registry imports keep per-row foreign-key checks', SQLERRM;
END
$$;
