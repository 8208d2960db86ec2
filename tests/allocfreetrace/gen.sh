#!/usr/bin/env bash
# gen.sh - the ctest fixture of tests/allocfreetrace: builds
# testdata/gen/allocfreetrace with Go and records its allocation traces
# into $AFT_DIR, for the live-* cases of run_aft.sh:
#
#   trace.log       -rounds 6 -leak 400 -churn 300 -mid 50 -str 50 (the defaults)
#   base.log        the same with -leak 100 (a run with a smaller leak, for -base and cprof diff)
#   trace.numgc     what the program's runtime.ReadMemStats said (numgc, rounds_numgc)
#   flags           the counts used, as shell assignments
#
# Both runs: GOGC=off, GOMAXPROCS=2, GODEBUG=allocfreetrace=1,gctrace=1 (so
# the GC's own lines are written into the log too). Exits 77 without Go.
set -euo pipefail
dir=${AFT_DIR:?AFT_DIR must name the output directory}
src=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v go >/dev/null || { echo "skip: go not found (tests/deps.sh --test installs golang-go)"; [ "${CPROF_TEST_STRICT:-0}" = 1 ] && exit 1; exit 77; }
mkdir -p "$dir"
rm -f "$dir"/*.log "$dir"/*.numgc "$dir"/flags
cd "$src/testdata/gen"
GO111MODULE=on GOFLAGS= go build -trimpath -buildvcs=false -o "$dir/aft" ./allocfreetrace

rounds=6 leak=400 churn=300 mid=50 str=50 base_leak=100
run() { # run OUT LEAK
	GOGC=off GOMAXPROCS=2 GODEBUG=allocfreetrace=1,gctrace=1 "$dir/aft" -rounds $rounds -leak "$2" \
		-churn $churn -mid $mid -str $str >"$dir/$1.numgc" 2>"$dir/$1.log"
	grep -q '^tracealloc(' "$dir/$1.log" || {
		echo "FAIL: GODEBUG=allocfreetrace=1 printed no tracealloc record: $(go version) has no allocation" \
			"trace (removed in Go 1.23); install Debian's golang-go (Go 1.19)"
		exit 1
	}
}
run trace $leak
run base $base_leak
cat >"$dir/flags" <<EOF
rounds=$rounds leak=$leak churn=$churn mid=$mid str=$str base_leak=$base_leak
EOF
echo "ok: $(wc -l <"$dir/trace.log") and $(wc -l <"$dir/base.log") lines in $dir ($(go version | cut -d' ' -f3))"
