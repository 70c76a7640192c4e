-- Creates the PBMS database and the two login roles PBMS uses. Idempotent:
-- existing roles keep their attributes and get the given password again.
--
--   owner role (e.g. pbms_owner)  owns the database and every object the
--                                 migrations create; CREATEROLE because the
--                                 first migration creates the NOLOGIN role
--                                 pbms_app and grants it to the application
--                                 role. Used only by the one-shot `migrate`.
--   app role   (e.g. pbms_api)    used by the API and the worker. Owns
--                                 nothing, so row-level security always
--                                 applies to it; it receives the table
--                                 privileges through membership in pbms_app,
--                                 which `migrate` grants (APP_DB_ROLES).
--
-- Run as a superuser (or a role with CREATEROLE and CREATEDB) against any
-- database of the server, e.g.:
--
--   psql "postgresql://postgres@db.example.org/postgres" \
--     -v db_name=pbms \
--     -v owner_user=pbms_owner -v owner_password="$PBMS_DB_OWNER_PASSWORD" \
--     -v api_user=pbms_api -v api_password="$PBMS_DB_API_PASSWORD" \
--     -f docker/postgres/pbms-roles.sql
--
-- The bundled PostgreSQL container runs it once, on first start, from
-- docker/postgres/initdb/10-pbms.sh.

\set ON_ERROR_STOP on

SELECT format('CREATE ROLE %I LOGIN CREATEROLE PASSWORD %L', :'owner_user', :'owner_password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner_user')
\gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'owner_user', :'owner_password')
\gexec

SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'api_user', :'api_password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'api_user')
\gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'api_user', :'api_password')
\gexec

SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'db_name', :'owner_user', 'UTF8')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db_name')
\gexec

-- Only the owner and the app role may connect.
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db_name')
\gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', :'db_name', :'api_user')
\gexec

-- Bulk-load mode of the registry import (docs/registry.md): lets the app role
-- set session_replication_role so that a merge of staged, already checked rows
-- skips the per-row foreign-key triggers. PostgreSQL 15+; needs a superuser.
-- Without it, imports still work, with per-row checks.
SELECT format($f$DO $do$ BEGIN EXECUTE %L; EXCEPTION WHEN insufficient_privilege OR syntax_error OR undefined_object THEN RAISE NOTICE 'bulk-load mode not granted: %%', SQLERRM; END $do$$f$,
              format('GRANT SET ON PARAMETER session_replication_role TO %I', :'api_user'))
\gexec
