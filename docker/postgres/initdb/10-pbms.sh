#!/usr/bin/env bash
# First-start initialisation of the bundled PostgreSQL (docker-entrypoint-initdb.d):
# runs once, when the data volume is empty. Creates
#   - the PBMS database, its owner role (migrations) and its app role (API/worker),
#   - Keycloak's database and role, when KEYCLOAK_DB_PASSWORD is set.
# Membership of the app role in pbms_app is granted later by the `migrate`
# service (pbms_app only exists once the first migration ran).
#
# The official image may source this file instead of executing it, so it
# changes no shell options and exits only on failure.

: "${PBMS_DB_NAME:?PBMS_DB_NAME is required}"
: "${PBMS_DB_OWNER_USER:?PBMS_DB_OWNER_USER is required}"
: "${PBMS_DB_OWNER_PASSWORD:?PBMS_DB_OWNER_PASSWORD is required}"
: "${PBMS_DB_API_USER:?PBMS_DB_API_USER is required}"
: "${PBMS_DB_API_PASSWORD:?PBMS_DB_API_PASSWORD is required}"

pbms_sql_dir="${PBMS_SQL_DIR:-/opt/pbms/postgres}"

echo "pbms: creating database ${PBMS_DB_NAME} and roles ${PBMS_DB_OWNER_USER}, ${PBMS_DB_API_USER}"
psql --no-psqlrc -v ON_ERROR_STOP=1 \
  --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
  -v db_name="${PBMS_DB_NAME}" \
  -v owner_user="${PBMS_DB_OWNER_USER}" -v owner_password="${PBMS_DB_OWNER_PASSWORD}" \
  -v api_user="${PBMS_DB_API_USER}" -v api_password="${PBMS_DB_API_PASSWORD}" \
  -f "${pbms_sql_dir}/pbms-roles.sql" || exit 1

if [ -n "${KEYCLOAK_DB_PASSWORD:-}" ]; then
  echo "pbms: creating database ${KEYCLOAK_DB_NAME:-keycloak} and role ${KEYCLOAK_DB_USER:-keycloak}"
  psql --no-psqlrc -v ON_ERROR_STOP=1 \
    --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
    -v kc_db_name="${KEYCLOAK_DB_NAME:-keycloak}" \
    -v kc_user="${KEYCLOAK_DB_USER:-keycloak}" -v kc_password="${KEYCLOAK_DB_PASSWORD}" \
    -f "${pbms_sql_dir}/keycloak-db.sql" || exit 1
else
  echo "pbms: KEYCLOAK_DB_PASSWORD is empty, not creating a Keycloak database"
fi
