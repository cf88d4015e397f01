#!/usr/bin/env bash
# `npm test`: installs what is missing, then type-checks and runs every suite
# (vitest: unit tests and end-to-end tests against a real Synapse; pytest: Synapse config).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/bootstrap.sh
export PATH="$PWD/node_modules/.bin:$PATH"
echo "[test] node $(node --version), type-checking" >&2
tsc --noEmit -p tsconfig.json
vitest run
# The bot core and SNP end-to-end tests again against Synapse with workers (scripts/lib/synapse-workers.ts).
SYNAPSE_TOPOLOGY=workers vitest run test/bot-core.e2e.test.ts test/snp-dispatch.e2e.test.ts
.venv-synapse/bin/python -m pytest synapse-config/tests -q
