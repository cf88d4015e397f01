#!/usr/bin/env bash
# Installs Debian's Chromium for the coordinators' console test (test/console.e2e.test.ts),
# driven headless by the npm package playwright-core (which downloads no browser of its own).
# Idempotent: returns at once when /usr/bin/chromium is there.
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then exit 0; fi
SUDO=""
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "[install-chromium] Chromium is missing and this is not root: run 'apt-get install -y chromium' as root" >&2
    exit 1
  fi
fi
echo "[install-chromium] installing chromium (first time only)" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "[install-chromium] done" >&2
