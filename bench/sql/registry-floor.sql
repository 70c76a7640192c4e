-- The floor of a registry import on this server: the rows that the import of
-- individuals.csv wrote (registrants, identifiers, phones, memberships) are
-- copied into bare tables of the same columns, then every index of the real
-- table is built once with CREATE INDEX. No parsing, no checks, no row-level
-- security, no constraint triggers: no import that writes the same rows and
-- keeps the same indexes can be faster on this machine.
--
--   psql -h 127.0.0.1 -U postgres -d pbms_bench_import -f bench/sql/registry-floor.sql
--
-- Run it after src/import.bench.ts (which leaves pbms_bench_import behind).
-- Everything happens in one transaction that is rolled back.
\set ON_ERROR_STOP on
BEGIN;
SET LOCAL maintenance_work_mem = '1GB';
SET LOCAL work_mem = '256MB';
SET LOCAL jit = off;
DO $$
DECLARE
  t text;
  source text;
  ix record;
  started timestamptz;
  insert_s numeric;
  index_s numeric;
  total_s numeric := 0;
  n bigint;
  people bigint;
BEGIN
  SELECT count(*) INTO people FROM registrant WHERE kind = 'INDIVIDUAL';
  FOREACH t IN ARRAY ARRAY['registrant', 'registrant_identifier', 'phone', 'group_membership'] LOOP
    source := CASE t WHEN 'registrant' THEN 'SELECT * FROM registrant WHERE kind = ''INDIVIDUAL'''
                     ELSE format('SELECT * FROM %I', t) END;
    EXECUTE format('CREATE TEMP TABLE floor_source ON COMMIT DROP AS %s', source);
    EXECUTE format('CREATE TABLE floor_%s (LIKE %I INCLUDING DEFAULTS)', t, t);
    started := clock_timestamp();
    EXECUTE format('INSERT INTO floor_%s SELECT * FROM floor_source', t);
    GET DIAGNOSTICS n = ROW_COUNT;
    insert_s := extract(epoch FROM clock_timestamp() - started);
    started := clock_timestamp();
    FOR ix IN SELECT c.relname, pg_get_indexdef(i.indexrelid) AS def
                FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
               WHERE i.indrelid = t::regclass LOOP
      EXECUTE replace(replace(ix.def, format(' ON public.%s ', t), format(' ON floor_%s ', t)),
                      format('INDEX %s ON', ix.relname), format('INDEX floor_%s ON', ix.relname));
    END LOOP;
    index_s := extract(epoch FROM clock_timestamp() - started);
    total_s := total_s + insert_s + index_s;
    RAISE NOTICE '% rows of %: insert % s, % indexes built in % s', n, t, round(insert_s, 2),
      (SELECT count(*) FROM pg_index WHERE indrelid = t::regclass), round(index_s, 2);
    DROP TABLE floor_source;
  END LOOP;
  RAISE NOTICE 'floor for % individuals: % s, % rows/s', people, round(total_s, 1), round(people / total_s);
END $$;
ROLLBACK;
