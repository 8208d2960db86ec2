#!/usr/bin/env bash
# Regenerates testdata/heapdump/: builds testdata/gen/heapdump (without
# DWARF, symbols kept: they name the globals) and runs it once in its small
# test mode (see testdata/README.md, section "testdata/heapdump/").
#
#   testdata/gen/generate_heapdump.sh [OUTDIR]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${1:-$repo/testdata/heapdump}

command -v go >/dev/null || { echo "generate_heapdump.sh: go not found on PATH" >&2; exit 1; }

tmp=$(mktemp -d /tmp/cprofgen.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$here"
GO111MODULE=on GOFLAGS= go build -buildvcs=false -trimpath -ldflags=-w -o "$tmp/heapdump" ./heapdump
GOMAXPROCS=2 "$tmp/heapdump" -small -out "$tmp/small.dump" -expect "$tmp/small.expect"
mkdir -p "$out"
gzip -9n <"$tmp/small.dump" >"$out/small.dump.gz"
gzip -9n <"$tmp/heapdump" >"$out/heapdump.gz"
cp "$tmp/small.expect" "$out/small.expect"
go version >"$out/GOVERSION"
(cd "$out" && ls -l) >&2
