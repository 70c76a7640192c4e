-- Registrant lists at a million rows and more.
--
-- 1. Indexes for the list's orders: by name (the default) and by registration
--    date, each with the id that breaks ties, so a page is read in index order
--    and a cursor (`after`) seeks straight to its position. A GAZ-small zone's
--    registrants are read in name order from one index (it replaces the zone's
--    foreign-key index, which it starts with).

-- DropIndex
DROP INDEX "registrant_tenant_id_gaz_small_id_idx";

-- CreateIndex
CREATE INDEX "registrant_tenant_id_name_id_idx" ON "registrant"("tenant_id", "name", "id");

-- CreateIndex
CREATE INDEX "registrant_tenant_id_registration_date_id_idx" ON "registrant"("tenant_id", "registration_date", "id");

-- CreateIndex
CREATE INDEX "registrant_tenant_id_gaz_small_id_name_id_idx" ON "registrant"("tenant_id", "gaz_small_id", "name", "id");

-- 2. Name search, tag and attribute filters through their GIN indexes.
--    Row-level security evaluates the department condition before any
--    condition of the query that is not leakproof, and the trigram (%, <%,
--    ILIKE), array (@>) and JSONB (@>) operators are not: under the API's role
--    these filters can never use their index and check every registrant of the
--    department (a name search over a million rows took seconds). These
--    functions run the same conditions as the registry's owner, limited to the
--    current department by the same expression as the policy, and return ids
--    only; the API joins them to its own query, which row-level security still
--    guards. The owner reads registrants through the policy below (as it does
--    departments and jobs for the other SECURITY DEFINER functions).
DO $$
BEGIN
  EXECUTE format('CREATE POLICY registrant_owner ON registrant FOR SELECT TO %I USING (true)', current_user);
END
$$;

CREATE FUNCTION app_registrants_matching_name(p_q text) RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp ROWS 1000
  AS $$
    SELECT id FROM registrant
     WHERE tenant_id = app_current_tenant()
       AND (name % p_q OR p_q <% name
            OR name ILIKE '%' || replace(replace(replace(p_q, '\', '\\'), '%', '\%'), '_', '\_') || '%')
  $$;

CREATE FUNCTION app_registrants_tagged(p_tag text) RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp ROWS 1000
  AS $$ SELECT id FROM registrant WHERE tenant_id = app_current_tenant() AND tags @> ARRAY[p_tag] $$;

CREATE FUNCTION app_registrants_with_attributes(p_attributes jsonb) RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp ROWS 1000
  AS $$ SELECT id FROM registrant WHERE tenant_id = app_current_tenant() AND attributes @> p_attributes $$;

REVOKE ALL ON FUNCTION app_registrants_matching_name(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION app_registrants_tagged(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION app_registrants_with_attributes(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_registrants_matching_name(text) TO pbms_app;
GRANT EXECUTE ON FUNCTION app_registrants_tagged(text) TO pbms_app;
GRANT EXECUTE ON FUNCTION app_registrants_with_attributes(jsonb) TO pbms_app;
