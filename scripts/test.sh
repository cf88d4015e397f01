#!/usr/bin/env bash
# `npm test`: installs what is missing, then type-checks and runs every suite: vitest's
# `unit` project (seconds, no server; alone: `npm run test:unit`), then its `e2e` project
# (against a real Synapse and real processes), then pytest (Synapse config).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/bootstrap.sh
export PATH="$PWD/node_modules/.bin:$PATH"
echo "[test] node $(node --version), type-checking" >&2
tsc --noEmit -p tsconfig.json
vitest run --project unit
vitest run --project e2e
# The bot core and SNP end-to-end tests again against Synapse with workers (scripts/lib/synapse-workers.ts).
SYNAPSE_TOPOLOGY=workers vitest run --project e2e test/bot-core.e2e.test.ts test/snp-dispatch.e2e.test.ts
.venv-synapse/bin/python -m pytest synapse-config/tests -q
