#!/usr/bin/env bash
# run_golden.sh NAME - run one golden case (cases.txt) and compare cprof's
# stdout with expected/NAME.out byte for byte. With UPDATE=1 the expected
# file is first rewritten from the reference, `go tool pprof`.
set -f
name=$1
. "$(dirname "$0")/../lib.sh"
need_cprof
args=$(awk -F'\t' -v n="$name" '$1 == n { print $2; exit }' "$here/cases.txt")
[ -n "$args" ] || { echo "no such case: $name"; exit 2; }
read -r -a argv <<<"$args"
expected=$here/expected/$name.out
make_tmp golden
if [ "${UPDATE:-0}" = 1 ]; then
	need go
	HOME=$tmp PPROF_TMPDIR=$tmp go tool pprof "${argv[@]}" >"$expected" 2>/dev/null ||
		{ echo "go tool pprof failed"; exit 1; }
fi
[ -f "$expected" ] || { echo "missing $expected (UPDATE=1 writes it)"; exit 1; }
out=$tmp/out
"$cprof" "${argv[@]}" >"$out" 2>/dev/null || { echo "cprof failed: $?"; exit 1; }
if cmp -s "$out" "$expected"; then
	echo "ok $name"
	exit 0
fi
echo "FAIL $name"
diff -u "$expected" "$out" | head -40
exit 1
