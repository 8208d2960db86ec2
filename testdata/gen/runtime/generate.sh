#!/usr/bin/env bash
# Regenerates the recorded logs of testdata/runtime/ (not the hand-written
# ones under testdata/runtime/old/): builds testdata/gen/runtime and runs
# each scenario under the GODEBUG settings below, keeping what the runtime
# (and the program) wrote to standard error.
#
#   testdata/gen/runtime/generate.sh [OUTDIR]      (default: testdata/runtime)
#
# Needs only the Go toolchain (standard library). Takes about 2.5 minutes,
# most of it the "idle" scenario, which must outlive the runtime's
# 2-minute forced-GC period; it runs in the background meanwhile.
# The logs depend on timing, so every run gives different figures: the
# tests compute their expected figures from the logs themselves
# (tests/runtime/expect_*.awk), and the goldens must be rewritten
# (UPDATE=1 tests/runtime/run_runtime.sh ...) after regenerating.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
out=${1:-$repo/testdata/runtime}
command -v go >/dev/null || { echo "generate.sh: go not found on PATH" >&2; exit 1; }

tmp=$(mktemp -d /tmp/cprofrt.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$here/.."
GO111MODULE=on GOFLAGS= go build -buildvcs=false -o "$tmp/rt" ./runtime
mkdir -p "$out"
go version | sed 's/^go version //' >"$out/GOVERSION"

# run NAME ENV... -- ARGS...: GODEBUG etc. in ENV, scenario flags in ARGS
run() {
	local name=$1; shift
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	env "${envs[@]}" "$tmp/rt" "$@" 2>"$tmp/$name" >/dev/null
	echo "  $name: $(wc -l <"$tmp/$name") lines" >&2
}

# the long one first, in the background
(run gc_idle.log GODEBUG=gctrace=1 GOMAXPROCS=2 -- -scenario idle -dur 130s) &
idle=$!

echo "gctrace" >&2
run gc_steady.log GODEBUG=gctrace=1 GOMAXPROCS=4 -- -scenario steady -dur 3s
run gc_long.log GODEBUG=gctrace=1 GOMAXPROCS=4 -- -scenario steady -dur 30s
run gc_procs1.log GODEBUG=gctrace=1 GOMAXPROCS=1 -- -scenario steady -dur 3s
run gc_leak.log GODEBUG=gctrace=1 GOMAXPROCS=4 -- -scenario leak -dur 8s
run gc_forced.log GODEBUG=gctrace=1,scavtrace=1 GOMAXPROCS=2 -- -scenario forced -dur 3s
run gc_gogc10.log GODEBUG=gctrace=1 GOGC=10 GOMAXPROCS=4 -- -scenario alloc -dur 1s
run gc_memlimit.log GODEBUG=gctrace=1,gcpacertrace=1 GOMEMLIMIT=64MiB GOMAXPROCS=4 -- -scenario memlimit -dur 8s

echo "schedtrace" >&2
for s in starve saturate imbalance syscalls; do
	run "sched_$s.log" GODEBUG=schedtrace=10 GOMAXPROCS=4 -- -scenario "$s" -dur 1500ms
done
run sched_phases.log GODEBUG=schedtrace=20 GOMAXPROCS=4 -- -scenario phases -dur 8s
run sched_procs1.log GODEBUG=schedtrace=10 GOMAXPROCS=1 -- -scenario phases -dur 2s
run sched_detail.log GODEBUG=schedtrace=200,scheddetail=1 GOMAXPROCS=4 -- -scenario detail -dur 1s

echo "mixed" >&2
GODEBUG=gctrace=1,schedtrace=100 GOMAXPROCS=4 "$tmp/rt" -scenario mixed -dur 3s 2>&1 >/dev/null |
	"$tmp/rt" -prefix >"$tmp/mixed.log"
echo "  mixed.log: $(wc -l <"$tmp/mixed.log") lines" >&2

wait "$idle"
for f in gc_steady gc_procs1 gc_leak gc_forced gc_gogc10 gc_idle \
	sched_starve sched_saturate sched_imbalance sched_syscalls sched_phases sched_procs1 \
	sched_detail mixed; do
	cp "$tmp/$f.log" "$out/$f.log"
done
# the two long logs are stored compressed (gzip input is tested with them)
gzip -9 -n <"$tmp/gc_long.log" >"$out/gc_long.log.gz"
gzip -9 -n <"$tmp/gc_memlimit.log" >"$out/gc_memlimit.log.gz"
echo "written to $out" >&2
