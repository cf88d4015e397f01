#!/usr/bin/env bash
# Installs Redis and PostgreSQL from Debian for the Synapse worker set-up's tests
# (SYNAPSE_TOPOLOGY=workers, scripts/lib/synapse-workers.ts): each run starts its own private,
# foreground instances on free ports (scripts/lib/redis.ts, scripts/lib/postgres.ts); the
# system services are never started or configured here.
# Idempotent: returns at once when the binaries are there.
set -euo pipefail
have_postgres() { [[ -x /usr/local/bin/initdb ]] || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; }
if [[ -x /usr/bin/redis-server ]] && have_postgres; then exit 0; fi
SUDO=""
if [[ "$(id -u)" -ne 0 ]]; then
  if sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "[install-redis-postgres] redis-server or PostgreSQL is missing and cannot be installed without root: run 'apt-get install -y redis-server postgresql' as root for the worker-mode tests" >&2
    exit 0
  fi
fi
PACKAGES=()
[[ -x /usr/bin/redis-server ]] || PACKAGES+=(redis-server)
have_postgres || PACKAGES+=(postgresql)
echo "[install-redis-postgres] installing ${PACKAGES[*]} (first time only)" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# RUNLEVEL=1: Debian's maintainer scripts do not start the system services; we run our own.
$SUDO env RUNLEVEL=1 apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
echo "[install-redis-postgres] done" >&2
