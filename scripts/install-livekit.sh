#!/usr/bin/env bash
# Builds the pinned LiveKit SFU (the media server of the MatrixRTC calls) from its Go module,
# for `npm start` and the call tests; production uses the official livekit/livekit-server
# image instead (docker-compose.yml). The binary lives in a cache outside the clone, so every
# work tree shares it; it is rebuilt only when the pin changes.
# Idempotent: returns at once when the pinned binary is there.
#
# Why v1.13.5 and not the newest: from v1.13.6 on, livekit-server's go.mod replaces pion's
# webrtc, ice and dtls by LiveKit forks ("-warp" versions) that the Go module proxy does not
# serve (403), and `go install pkg@version` refuses modules with replace directives anyway.
# v1.13.5 is the newest release built from published modules alone.
set -euo pipefail
LIVEKIT_VERSION="v1.13.5"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/cpts-messagerie/livekit-$LIVEKIT_VERSION"
BINARY="$CACHE_DIR/livekit-server"
if [[ -x "$BINARY" ]]; then exit 0; fi
if ! command -v go >/dev/null; then
  # Only the video calls need it: npm start runs without them and says so.
  echo "[install-livekit] Go is missing: install Go >= 1.26 (https://go.dev/dl/) to build LiveKit $LIVEKIT_VERSION for the video calls" >&2
  exit 0
fi
echo "[install-livekit] building livekit-server $LIVEKIT_VERSION with $(go version | cut -d' ' -f3) (first time only, several minutes)" >&2
mkdir -p "$CACHE_DIR"
START=$(date +%s)
# GOBIN is a temporary folder and the binary is moved in place at the end, so an interrupted
# build never leaves a half-written binary that the check above would trust.
BUILD_DIR="$(mktemp -d "$CACHE_DIR/build.XXXXXX")"
trap 'rm -rf "$BUILD_DIR"' EXIT
# -p=1 and nice: the build must not starve whatever else runs on the machine.
GOBIN="$BUILD_DIR" GOFLAGS="-p=1 -buildvcs=false" CGO_ENABLED=0 \
  nice -n 10 go install -trimpath "github.com/livekit/livekit-server/cmd/server@$LIVEKIT_VERSION"
mv "$BUILD_DIR/server" "$BINARY"
echo "[install-livekit] done in $(( $(date +%s) - START )) s: $BINARY" >&2
