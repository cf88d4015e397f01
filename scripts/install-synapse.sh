#!/usr/bin/env bash
# Installs the pinned Synapse into the project-local venv `.venv-synapse/`.
# Idempotent: returns at once when the pinned version is already there.
set -euo pipefail
SYNAPSE_VERSION="1.163.2"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv-synapse"
STAMP="$VENV/.installed-$SYNAPSE_VERSION-oidc"
if [[ -f "$STAMP" ]]; then exit 0; fi
PYTHON="${PYTHON:-python3}"
echo "[install-synapse] creating venv and installing matrix-synapse==$SYNAPSE_VERSION (first time only)" >&2
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
"$VENV/bin/pip" install --quiet --disable-pip-version-check "matrix-synapse[oidc]==$SYNAPSE_VERSION" "pytest==8.3.4"
touch "$STAMP"
echo "[install-synapse] done" >&2
