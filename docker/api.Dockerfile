# syntax=docker/dockerfile:1
#
# PBMS API + job worker image, and the one-shot database `migrate` image.
# Build context: the repository root (see docker/README.md for .dockerignore).
#
#   docker build -f docker/api.Dockerfile -t pbms-api .                    # API / worker (default target)
#   docker build -f docker/api.Dockerfile --target migrate -t pbms-migrate .
#
# Runtime:  node dist/main.js            API on API_PORT (4000)
#           node dist/main.js --worker   job worker, /healthz on WORKER_PORT (4001)
#           (migrate image)              pnpm --filter @pbms/db migrate

ARG NODE_IMAGE=node:22-bookworm-slim

# ---------------------------------------------------------------- base
# Node + the pnpm version pinned by package.json#packageManager.
FROM ${NODE_IMAGE} AS base
ARG PNPM_VERSION=10.34.9
ENV npm_config_update_notifier=false \
    TURBO_TELEMETRY_DISABLED=1 \
    DO_NOT_TRACK=1 \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1
RUN npm install --global pnpm@${PNPM_VERSION} \
 && npm cache clean --force \
 && pnpm --version
WORKDIR /repo

# ---------------------------------------------------------------- fetch
# Downloads every package of the lockfile into the store. Only the lockfile
# is copied, so this layer is rebuilt only when dependencies change.
FROM base AS fetch
ENV CI=true
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch --store-dir /pnpm/store

# ---------------------------------------------------------------- build
# Workspace install for the API and its workspace dependencies (+ the root,
# which holds turbo), code generation, then the esbuild bundle
# apps/api/dist/main.js (@pbms/* code bundled in, npm packages external).
FROM fetch AS build
COPY . .
RUN pnpm install --offline --frozen-lockfile --store-dir /pnpm/store \
      --filter "@pbms/api..." --filter pbms
RUN pnpm turbo run generate --filter=@pbms/api...
RUN pnpm --filter @pbms/api build \
 && test -f apps/api/dist/main.js

# ---------------------------------------------------------------- prod-deps
# The API's production dependencies, including those of the workspace
# packages it bundles (@pbms/db -> @prisma/client, @prisma/adapter-pg, ...).
# node-linker=hoisted gives a flat node_modules, so every package that
# dist/main.js imports resolves from /app/node_modules.
FROM fetch AS prod-deps
COPY . .
RUN pnpm --filter @pbms/api deploy --legacy --prod --offline \
      --store-dir /pnpm/store --config.node-linker=hoisted /out \
 && rm -rf /out/node_modules/.pnpm /out/node_modules/.cache

# ---------------------------------------------------------------- migrate
# One-shot migration runner: the workspace layout (packages/db resolves
# ../../prisma/migrations), with @pbms/db's dev dependencies (tsx).
FROM fetch AS migrate-build
COPY . .
RUN pnpm install --offline --frozen-lockfile --store-dir /pnpm/store --filter "@pbms/db..." \
 && pnpm --filter @pbms/db generate \
 && rm -rf .git docker \
 && find . -path ./node_modules -prune -o -type f \( -name '.env' -o -name '.env.*' \) -exec rm -f {} +

FROM base AS migrate
ENV NODE_ENV=production
COPY --from=migrate-build --chown=node:node /repo /repo
USER node
# Needs MIGRATION_DATABASE_URL (schema owner) and APP_DB_ROLES (login roles
# to add to pbms_app, comma separated).
CMD ["pnpm", "--filter", "@pbms/db", "migrate"]

# ---------------------------------------------------------------- runtime
# Last stage = default target: the API / worker image. Only the bundle and
# the production node_modules; files are root-owned and read-only for `node`.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    API_PORT=4000 \
    WORKER_PORT=4001 \
    NODE_OPTIONS=--enable-source-maps
WORKDIR /app
COPY --from=prod-deps /out/node_modules ./node_modules
COPY --from=build /repo/apps/api/package.json ./package.json
COPY --from=build /repo/apps/api/dist ./dist
# Uploaded files (volume "files" in compose); a fresh named volume takes this owner.
RUN mkdir -p /var/lib/pbms/files && chown node:node /var/lib/pbms/files
USER node
EXPOSE 4000 4001
# No HEALTHCHECK here: the same image runs the API (/readyz on 4000) and the
# worker (/healthz on 4001); docker/compose.yaml declares one per service.
CMD ["node", "dist/main.js"]
