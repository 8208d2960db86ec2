#!/usr/bin/env bash
# Regenerates testdata/goroutines/: builds testdata/gen/goroutines and runs it
# three times (see testdata/README.md, section "testdata/goroutines/").
#
#   testdata/gen/generate_goroutines.sh [OUTDIR] [WAIT]
#
# OUTDIR defaults to testdata/goroutines; WAIT (default 65s) is the pause
# after parking each group of goroutines. Goroutines show "N minutes" only
# once they have been blocked over a minute, so the default run takes a
# little over two minutes. WAIT=0s gives a quick run without wait times.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${1:-$repo/testdata/goroutines}
wait=${2:-65s}

command -v go >/dev/null || { echo "generate_goroutines.sh: go not found on PATH" >&2; exit 1; }

tmp=$(mktemp -d /tmp/cprofgen.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$here"
GO111MODULE=on GOFLAGS= go build -buildvcs=false -o "$tmp/goroutines" ./goroutines
mkdir -p "$out" "$tmp/out"

# 1. debug=2, debug=1 and proto dumps of the parked goroutines, then a
#    deliberate panic whose traceback (GOTRACEBACK=all) goes to stderr.
set +e
GOTRACEBACK=all GOMAXPROCS=2 "$tmp/goroutines" -mode dump -out "$tmp/out" -wait "$wait" \
	2>"$tmp/out/panic_all.txt"
rc=$?
# 2. a nil pointer dereference with GOTRACEBACK=system (runtime frames, fp/sp/pc).
GOTRACEBACK=system GOMAXPROCS=2 "$tmp/goroutines" -mode sigsegv 2>"$tmp/out/sigsegv_system.txt"
rc2=$?
# 3. a deadlock: "fatal error: all goroutines are asleep - deadlock!".
GOMAXPROCS=2 "$tmp/goroutines" -mode deadlock 2>"$tmp/out/deadlock.txt"
rc3=$?
set -e
[ $rc -eq 2 ] && [ $rc2 -eq 2 ] && [ $rc3 -eq 2 ] ||
	{ echo "generate_goroutines.sh: unexpected exit status $rc/$rc2/$rc3" >&2; exit 1; }

for f in dump_debug2.txt goroutine_debug1.txt goroutine.pb.gz panic_all.txt sigsegv_system.txt deadlock.txt; do
	cp "$tmp/out/$f" "$out/$f"
done
go version >"$out/GOVERSION"
(cd "$out" && ls -l) >&2
