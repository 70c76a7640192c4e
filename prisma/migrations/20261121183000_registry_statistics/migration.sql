-- Fresh planner statistics for the registry tables after a bulk change (a large
-- import): the next queries are planned for the rows just written instead of
-- waiting for autovacuum's analyze. ANALYZE needs the owner, so the application
-- role gets this function rather than the privilege. It reads no rows itself.
CREATE FUNCTION app_analyze_registry() RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  ANALYZE registrant;
  ANALYZE registrant_identifier;
  ANALYZE phone;
  ANALYZE group_membership;
END $$;

REVOKE ALL ON FUNCTION app_analyze_registry() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_analyze_registry() TO pbms_app;
