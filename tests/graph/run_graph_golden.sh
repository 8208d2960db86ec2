#!/usr/bin/env bash
# run_graph_golden.sh NAME - one case of golden_cases.txt: cprof's stdout
# must equal expected/NAME.out byte for byte. UPDATE=1 first rewrites the
# expected file from `go tool pprof` (run with a private HOME).
#
# Environment: CPROF (the binary). Runs from the repository root.
set -f
name=$1
. "$(dirname "$0")/../lib.sh"
need_cprof
line=$(awk -F'\t' -v n="$name" '$1 == n { print $2; exit }' "$here/golden_cases.txt")
[ -n "$line" ] || { echo "no such case: $name"; exit 2; }
read -r -a argv <<<"$line"
want=$here/expected/$name.out
make_tmp graph-golden
work=$tmp
if [ "${UPDATE:-0}" = 1 ]; then
	need go
	HOME=$work PPROF_TMPDIR=$work go tool pprof "${argv[@]}" </dev/null >"$want" 2>"$work/pprof.err" ||
		{ echo "go tool pprof failed: $(head -c 300 "$work/pprof.err")"; exit 1; }
fi
[ -f "$want" ] || { echo "missing $want (UPDATE=1 writes it)"; exit 1; }
"$cprof" "${argv[@]}" </dev/null >"$work/got" 2>"$work/err" ||
	{ echo "FAIL $name: cprof exited $?: $(head -c 300 "$work/err")"; exit 1; }
if ! cmp -s "$work/got" "$want"; then
	echo "FAIL $name"
	diff -u "$want" "$work/got" | head -40
	exit 1
fi
echo "ok $name"
