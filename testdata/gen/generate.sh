#!/usr/bin/env bash
# Regenerates testdata/go/: builds testdata/gen/workload, runs it twice and
# copies the profiles and the binary into testdata/go/.
#
#   testdata/gen/generate.sh [OUTDIR]      (default: testdata/go)
#
# Needs only the Go toolchain (standard library; no module downloads).
# The binary is built and run from a temporary directory that is deleted
# afterwards, so the mapping file name recorded in the profiles
# (/tmp/cprofgen.XXXXXX/workload) does not exist on any machine and pprof's
# behaviour does not depend on where the repository is checked out.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${1:-$repo/testdata/go}

command -v go >/dev/null || { echo "generate.sh: go not found on PATH" >&2; exit 1; }

tmp=$(mktemp -d /tmp/cprofgen.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

start=$(date +%s)
cd "$here"
# -buildvcs=false: the repository may have no commits yet, and VCS stamps
# would make the binary depend on repository state.
GO111MODULE=on GOFLAGS= go build -buildvcs=false -o "$tmp/workload" ./workload

mkdir -p "$tmp/out"
# Run 1: every profile (cpu.pb.gz ... mutex.txt).
"$tmp/workload" -out "$tmp/out" -seed 1 -cputime 2s
# Run 2: a second CPU profile for merge tests.
"$tmp/workload" -out "$tmp/out" -mode cpu2 -seed 2 -cputime 1.5s

mkdir -p "$out"
files="cpu.pb.gz cpu2.pb.gz heap.pb.gz allocs.pb.gz block.pb.gz mutex.pb.gz
goroutine.pb.gz threadcreate.pb.gz heap.txt allocs.txt block.txt mutex.txt
goroutine.txt threadcreate.txt goroutine2.txt"
for f in $files; do
	cp "$tmp/out/$f" "$out/$f"
done
cp "$tmp/workload" "$out/workload"
go version > "$out/GOVERSION"

end=$(date +%s)
echo "generate.sh: wrote $out in $((end - start))s" >&2
(cd "$out" && ls -l $files workload GOVERSION) >&2
