#!/usr/bin/env bash
# Records testdata/allocfreetrace/small.log.gz: the GODEBUG=allocfreetrace=1
# log of testdata/gen/allocfreetrace (main.go) run with small counts, on
# which the goldens of tests/allocfreetrace/ are taken. (The hand-written
# old_go13.log beside it is not made here.)
#
#   testdata/gen/allocfreetrace/generate.sh [OUTDIR]   (default: testdata/allocfreetrace)
#
# Needs the Go toolchain with GODEBUG=allocfreetrace (Go 1.22 or older;
# the goldens were recorded with go1.19.8). Built with -trimpath, so the
# log names files cprofgen/allocfreetrace/main.go and runtime/malloc.go,
# wherever the repository is. Addresses and timings change from run to
# run: rewrite the goldens afterwards (UPDATE=1 tests/allocfreetrace/run_aft.sh NAME).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
out=${1:-$repo/testdata/allocfreetrace}
command -v go >/dev/null || { echo "generate.sh: go not found on PATH" >&2; exit 1; }

tmp=$(mktemp -d /tmp/cprofaft.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$here/.."
GO111MODULE=on GOFLAGS= go build -trimpath -buildvcs=false -o "$tmp/aft" ./allocfreetrace
mkdir -p "$out"
GOGC=off GOMAXPROCS=2 GODEBUG=allocfreetrace=1,gctrace=1 \
	"$tmp/aft" -rounds 3 -leak 5 -churn 4 -mid 2 -str 3 >"$tmp/stdout" 2>"$tmp/small.log"
grep -q '^tracealloc(' "$tmp/small.log" ||
	{ echo "generate.sh: no tracealloc records: this Go has no GODEBUG=allocfreetrace" >&2; exit 1; }
gzip -9 -n <"$tmp/small.log" >"$out/small.log.gz"
go version | sed 's/^go version //' >"$out/GOVERSION"
echo "small.log.gz: $(wc -l <"$tmp/small.log") lines, $(cat "$tmp/stdout" | tr '\n' ' ')" >&2
