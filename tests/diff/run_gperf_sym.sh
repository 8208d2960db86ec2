#!/usr/bin/env bash
# run_gperf_sym.sh NAME - one case of tests/diff/gperf_sym_cases.txt:
# cprof and upstream pprof (tests/diff/build_upstream_pprof.sh, built once
# into $UPPROF_DIR) on the same arguments, from the repository root, with
# LC_ALL=C TZ=UTC, HOME in a temporary directory and PPROF_BINARY_PATH
# unset; stdout must be equal byte for byte and both must succeed.
# Exit: 0 pass, 1 fail, 77 skipped (go or llvm-symbolizer missing; see need
# in tests/lib.sh).
set -f
name=${1:?usage: run_gperf_sym.sh NAME}
. "$(dirname "$0")/../lib.sh"
need_cprof
up=${UPPROF_DIR:?UPPROF_DIR must name the upstream pprof build directory}
tab=$(printf '\t')

line=$(grep -m1 "^$name$tab" "$src/tests/diff/gperf_sym_cases.txt") || { echo "no case $name" >&2; exit 1; }
read -r -a args <<<"${line#*"$tab"}"

need go llvm-symbolizer
bash "$src/tests/diff/build_upstream_pprof.sh" "$up" || exit $?

make_tmp gsym
mkdir -p "$tmp/home"

run() {
	local out=$1
	shift
	(cd "$src" && unset PPROF_BINARY_PATH PPROF_TOOLS &&
		LC_ALL=C TZ=UTC HOME="$tmp/home" PPROF_TMPDIR="$tmp" "$@" </dev/null >"$out" 2>"$out.err")
}
run "$tmp/pprof.out" "$up/pprof" "${args[@]}" || { echo "FAIL $name: upstream pprof failed"; cat "$tmp/pprof.out.err"; exit 1; }
run "$tmp/cprof.out" "$cprof" "${args[@]}" || { echo "FAIL $name: cprof failed"; cat "$tmp/cprof.out.err"; exit 1; }
if ! cmp -s "$tmp/pprof.out" "$tmp/cprof.out"; then
	echo "FAIL $name"
	diff -u --label "pprof ${args[*]}" --label "cprof ${args[*]}" "$tmp/pprof.out" "$tmp/cprof.out" | head -n 40
	exit 1
fi
echo "ok $name"
