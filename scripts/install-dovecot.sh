#!/usr/bin/env bash
# Installs Dovecot (IMAP + LMTP) from Debian: the demo's stand-in MSSanté operator (npm start)
# and the MSSanté bridge's end-to-end tests and benchmark each run their own private,
# foreground instance on free high ports (scripts/lib/dovecot.ts); the system service is never
# started or configured here.
# Idempotent: returns at once when both binaries are there.
set -euo pipefail
if [[ -x /usr/sbin/dovecot && -x /usr/lib/dovecot/imap && -x /usr/lib/dovecot/lmtp ]]; then exit 0; fi
SUDO=""
if [[ "$(id -u)" -ne 0 ]]; then
  if sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    # npm start then runs without the MSSanté bridge (and says so); the bridge's tests need it.
    echo "[install-dovecot] Dovecot is missing and cannot be installed without root: run 'apt-get install -y dovecot-imapd dovecot-lmtpd' as root for the MSSanté bridge (demo and tests)" >&2
    exit 0
  fi
fi
echo "[install-dovecot] installing dovecot-imapd and dovecot-lmtpd (first time only)" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# RUNLEVEL=1: Debian's maintainer scripts do not start the system service; we run our own.
$SUDO env RUNLEVEL=1 apt-get install -y -qq --no-install-recommends dovecot-imapd dovecot-lmtpd >/dev/null
echo "[install-dovecot] done" >&2
