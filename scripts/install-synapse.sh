#!/usr/bin/env bash
# Installs the pinned Synapse into the project-local venv `.venv-synapse/`, with what its
# worker set-up needs (PostgreSQL driver, Redis client: test/helpers/synapse-workers.ts).
# Idempotent: returns at once when the pinned version is already there.
set -euo pipefail
SYNAPSE_VERSION="1.163.2"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv-synapse"
PSYCOPG2_VERSION="2.9.13"
STAMP="$VENV/.installed-$SYNAPSE_VERSION-oidc"
WORKERS_STAMP="$VENV/.installed-$SYNAPSE_VERSION-workers"
# The worker extras are added in place to an existing venv, so the venv is not rebuilt.
install_worker_extras() {
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "matrix-synapse[oidc,redis]==$SYNAPSE_VERSION" "psycopg2-binary==$PSYCOPG2_VERSION"
  touch "$WORKERS_STAMP"
}
if [[ -f "$STAMP" ]]; then
  if [[ ! -f "$WORKERS_STAMP" ]]; then
    echo "[install-synapse] adding the worker extras (PostgreSQL, Redis) to the venv (first time only)" >&2
    install_worker_extras
  fi
  exit 0
fi
PYTHON="${PYTHON:-python3}"
echo "[install-synapse] creating venv and installing matrix-synapse==$SYNAPSE_VERSION (first time only)" >&2
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
"$VENV/bin/pip" install --quiet --disable-pip-version-check "matrix-synapse[oidc]==$SYNAPSE_VERSION" "pytest==8.3.4"
install_worker_extras
touch "$STAMP"
echo "[install-synapse] done" >&2
