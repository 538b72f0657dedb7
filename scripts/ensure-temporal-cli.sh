#!/usr/bin/env bash
# Finds or builds the Temporal CLI (dev server with SQLite and the Web UI) and prints its path on stdout.
# Order: $TEMPORAL_CLI_PATH, `temporal` on PATH (if it is the pinned version or TEMPORAL_CLI_ANY_VERSION=1),
# a cached build outside the clone, else a build of the pinned version from the Go module proxy.
# Progress goes to stderr; only the path goes to stdout.
set -euo pipefail

CLI_VER="${TEMPORAL_CLI_VERSION:-v1.8.2}"
# cliext has no tags of its own; this is its pseudo-version at the commit of tag v1.8.2 (temporal-notes.md §0).
EXT_VER="v0.0.0-20260731000218-c579925f193f"
CACHE_ROOT="${TEMPORAL_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/postgang/temporal-cli}"
BIN="$CACHE_ROOT/$CLI_VER/temporal"

log() { printf '[temporal-cli] %s\n' "$*" >&2; }

if [[ -n "${TEMPORAL_CLI_PATH:-}" ]]; then
  [[ -x "$TEMPORAL_CLI_PATH" ]] || { log "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not an executable file"; exit 1; }
  echo "$TEMPORAL_CLI_PATH"; exit 0
fi
if [[ -x "$BIN" ]]; then echo "$BIN"; exit 0; fi
if command -v temporal >/dev/null 2>&1; then
  if temporal --version 2>/dev/null | grep -q "version ${CLI_VER#v}" || [[ "${TEMPORAL_CLI_ANY_VERSION:-}" == 1 ]]; then
    command -v temporal; exit 0
  fi
  log "ignoring $(command -v temporal): not ${CLI_VER} (set TEMPORAL_CLI_ANY_VERSION=1 to use it anyway)"
fi

if ! command -v go >/dev/null 2>&1; then
  log "no Temporal CLI found and no Go toolchain to build one."
  log "the tests fall back to the SDK's own download (needs internet); or set TEMPORAL_CLI_PATH."
  exit 3
fi

mkdir -p "$CACHE_ROOT"
LOCK="$CACHE_ROOT/.build.lock"
exec 9>"$LOCK"
log "waiting for the build lock ($LOCK)"
flock 9
if [[ -x "$BIN" ]]; then echo "$BIN"; exit 0; fi

W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=mod
log "building Temporal CLI ${CLI_VER} from the Go module proxy into $BIN"
log "first build takes about 10 minutes on 2 cores; later runs reuse the cached binary"
cd "$W"
go mod init local/temporal-cli-build >/dev/null 2>&1
go mod edit -replace "github.com/temporalio/cli/cliext=github.com/temporalio/cli/cliext@$EXT_VER"
log "step 1/2: go get github.com/temporalio/cli/cmd/temporal@${CLI_VER}"
go get "github.com/temporalio/cli/cmd/temporal@${CLI_VER}" >&2
log "step 2/2: go build (the long part)"
(
  while sleep 30; do log "  still compiling… ($(date +%T))"; done
) &
TICK=$!
trap 'kill $TICK 2>/dev/null || true; rm -rf "$W"' EXIT
mkdir -p "$(dirname "$BIN")"
go build -trimpath -o "$BIN.tmp" \
  -ldflags "-s -w -X github.com/temporalio/cli/internal/temporalcli.Version=${CLI_VER#v}" \
  github.com/temporalio/cli/cmd/temporal >&2
mv "$BIN.tmp" "$BIN"
kill $TICK 2>/dev/null || true
log "built: $("$BIN" --version)"
echo "$BIN"
