#!/usr/bin/env bash
# Finds or builds the full Temporal server (temporal-server), its SQL schema tool (temporal-sql-tool) and the
# standalone Web UI (temporal-ui-server), and prints the directory holding them on stdout. Used by temporal/cluster.ts (`npm run start:cluster`, the cluster benchmark and acceptance).
# Order: $TEMPORAL_SERVER_DIR (must hold both binaries), a cached build outside the clone keyed by version,
# else a build of the pinned version from the Go module proxy (temporal-notes.md §0 and §2: ~13 min cold on 2 busy
# cores; later runs reuse the cached binaries). Progress goes to stderr; only the directory goes to stdout.
set -euo pipefail

SERVER_VER="${TEMPORAL_SERVER_VERSION:-v1.31.2}"
# The standalone Web UI server; its Go module carries the built UI (the version the CLI v1.8.2 embeds).
UI_VER="${TEMPORAL_UI_VERSION:-v2.50.1}"
CACHE_ROOT="${TEMPORAL_SERVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/postgang/temporal-server}"
DIR="$CACHE_ROOT/$SERVER_VER"

log() { printf '[temporal-server] %s\n' "$*" >&2; }
have() { [[ -x "$1/temporal-server" && -x "$1/temporal-sql-tool" && -x "$1/temporal-ui-server" ]]; }

if [[ -n "${TEMPORAL_SERVER_DIR:-}" ]]; then
  have "$TEMPORAL_SERVER_DIR" || { log "TEMPORAL_SERVER_DIR=$TEMPORAL_SERVER_DIR lacks temporal-server, temporal-sql-tool or temporal-ui-server"; exit 1; }
  echo "$TEMPORAL_SERVER_DIR"; exit 0
fi
if have "$DIR"; then echo "$DIR"; exit 0; fi

if ! command -v go >/dev/null 2>&1; then
  log "no cached Temporal server in $DIR and no Go toolchain to build one; set TEMPORAL_SERVER_DIR."
  exit 3
fi

mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/.build.lock"
log "waiting for the build lock ($CACHE_ROOT/.build.lock)"
flock 9
if have "$DIR"; then echo "$DIR"; exit 0; fi

W="$(mktemp -d)"
export CGO_ENABLED=0 GOTOOLCHAIN=local GOBIN="$W/bin"
(
  while sleep 30; do log "  still compiling… ($(date +%T))"; done
) &
TICK=$!
trap 'kill $TICK 2>/dev/null || true; rm -rf "$W"' EXIT
log "building go.temporal.io/server ${SERVER_VER} (server and sql tool) into $DIR"
log "first build takes about 13 minutes on 2 cores; later runs reuse the cached binaries"
# Same tags as the server's Makefile (CGO_ENABLED=0, -tags disable_grpc_modules).
mkdir -p "$DIR"
place() { mv "$W/bin/$1" "$DIR/$2.tmp" && mv "$DIR/$2.tmp" "$DIR/$2"; }
if [[ ! -x "$DIR/temporal-server" || ! -x "$DIR/temporal-sql-tool" ]]; then
  go install -trimpath -ldflags "-s -w" -tags disable_grpc_modules "go.temporal.io/server/cmd/server@${SERVER_VER}" >&2
  go install -trimpath -ldflags "-s -w" -tags disable_grpc_modules "go.temporal.io/server/cmd/tools/sql@${SERVER_VER}" >&2
  place server temporal-server
  place sql temporal-sql-tool
fi
log "building the Web UI server github.com/temporalio/ui-server/v2 ${UI_VER}"
go install -trimpath -ldflags "-s -w" "github.com/temporalio/ui-server/v2/cmd/server@${UI_VER}" >&2
place server temporal-ui-server
kill $TICK 2>/dev/null || true
log "built: $DIR ($("$DIR/temporal-server" --version 2>/dev/null || echo version unknown))"
echo "$DIR"
