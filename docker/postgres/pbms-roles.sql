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
