#!/usr/bin/env bash
# run_roundtrip.sh NAME - write the case's profiles with `cprof -proto`,
# then check that reading the result back gives the reports the inputs give:
# `cprof -text/-traces` always, `go tool pprof -text/-traces` when Go is
# installed (the written file must be readable by the reference tool; see
# have in tests/lib.sh).
set -f
name=$1
. "$(dirname "$0")/../lib.sh"
need_cprof
line=$(awk -F'\t' -v n="$name" '$1 == n { print $2; exit }' "$here/cases.txt")
[ -n "$line" ] || { echo "no such case: $name"; exit 2; }
read -r -a inputs <<<"$line"
make_tmp roundtrip
export HOME=$tmp PPROF_TMPDIR=$tmp

"$cprof" -proto -output="$tmp/rt.pb.gz" "${inputs[@]}" 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }
[ -s "$tmp/rt.pb.gz" ] || { echo "FAIL $name: empty output"; exit 1; }
status=0
check() { # check TOOL... : compare TOOL REPORT on inputs vs on the round trip
	for report in -text -traces; do
		"$@" "$report" "${inputs[@]}" >"$tmp/a" 2>/dev/null
		"$@" "$report" "$tmp/rt.pb.gz" >"$tmp/b" 2>/dev/null
		if ! cmp -s "$tmp/a" "$tmp/b"; then
			echo "FAIL $name: $1 $report differs after the round trip"
			diff -u "$tmp/a" "$tmp/b" | head -20
			status=1
		fi
	done
}
check "$cprof"
if have go; then
	check go tool pprof
fi
[ $status -eq 0 ] && echo "ok $name"
exit $status
