# syntax=docker/dockerfile:1
#
# PBMS admin SPA: built with Node, served by unprivileged nginx on port 8080.
# Build context: the repository root (see docker/README.md for .dockerignore).
#
#   docker build -f docker/admin.Dockerfile -t pbms-admin .
#
# The same image serves every environment: /config.json is generated at
# container start from PBMS_API_URL, PBMS_OIDC_URL, PBMS_OIDC_REALM and
# PBMS_OIDC_CLIENT_ID (docker/nginx/15-pbms-config.envsh), and the
# Content-Security-Policy allows exactly the API and identity-provider origins.

ARG NODE_IMAGE=node:22-bookworm-slim
ARG NGINX_IMAGE=nginxinc/nginx-unprivileged:stable-alpine

# ---------------------------------------------------------------- build
FROM ${NODE_IMAGE} AS build
ARG PNPM_VERSION=10.34.9
ENV CI=true \
    npm_config_update_notifier=false \
    TURBO_TELEMETRY_DISABLED=1 \
    DO_NOT_TRACK=1
RUN npm install --global pnpm@${PNPM_VERSION} \
 && npm cache clean --force
WORKDIR /repo
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch --store-dir /pnpm/store
COPY . .
RUN pnpm install --offline --frozen-lockfile --store-dir /pnpm/store \
      --filter "@pbms/admin..." --filter pbms
# Generates @pbms/graphql-types (types + introspection) from apps/api/schema.graphql.
RUN pnpm turbo run generate --filter=@pbms/admin...
# public/config.json is the development configuration: nginx generates the real one.
RUN pnpm --filter @pbms/admin build \
 && test -f apps/admin/dist/index.html \
 && rm -f apps/admin/dist/config.json

# ---------------------------------------------------------------- runtime
FROM ${NGINX_IMAGE} AS runtime
# Defaults describe the local compose stack; set real values per environment.
ENV PBMS_API_URL=http://localhost:4000/graphql \
    PBMS_OIDC_URL=http://localhost:8081 \
    PBMS_OIDC_REALM=pbms \
    PBMS_OIDC_CLIENT_ID=pbms-admin \
    NGINX_ENVSUBST_FILTER=^PBMS_
USER root
RUN rm -f /etc/nginx/conf.d/default.conf
COPY --chmod=0644 docker/nginx/pbms.conf.template docker/nginx/pbms-headers.inc.template /etc/nginx/templates/
COPY --chmod=0755 docker/nginx/15-pbms-config.envsh /docker-entrypoint.d/15-pbms-config.envsh
COPY --from=build /repo/apps/admin/dist /usr/share/nginx/html
RUN chmod -R a+rX /usr/share/nginx/html
USER 101
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD wget -q -O /dev/null http://127.0.0.1:8080/healthz || exit 1
