#!/usr/bin/env bash
# run_legacy.sh NAME - write the case's profile with `cprof -legacy`, then
# check that the text reads back to the same totals ("... of X total" of
# -top, per sample type, in exact units) in cprof and, when Go is
# installed (see have in tests/lib.sh), in go tool pprof -symbolize=none.
# The layout itself is pinned by tests/unit/test_legacy_out.c.
set -f
name=$1
. "$(dirname "$0")/../lib.sh"
need_cprof
input=$(awk -F'\t' -v n="$name" '$1 == n { print $2; exit }' "$here/legacy_cases.txt")
[ -n "$input" ] || { echo "no such case: $name"; exit 2; }
[ -f "$input" ] || { echo "skipped: $input absent"; exit 77; }
make_tmp legacy
export HOME=$tmp PPROF_TMPDIR=$tmp

"$cprof" -legacy -output="$tmp/legacy.txt" "$input" 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }
[ -s "$tmp/legacy.txt" ] || { echo "FAIL $name: empty output"; exit 1; }

# sample types of the input, from -raw's header line "type/unit type/unit"
types=$("$cprof" -raw "$input" 2>/dev/null | awk '/^Samples:/ { getline; print; exit }')
[ -n "$types" ] || { echo "FAIL $name: no sample types"; exit 1; }

total() { # total TOOL... FILE INDEX UNIT
	local unit=$3 idx=$2 file=$1
	shift 3
	local uflag=()
	case $unit in
	bytes) uflag=(-unit=B) ;;
	nanoseconds) uflag=(-unit=ns) ;;
	esac
	"$@" -top -nodecount=1 -sample_index="$idx" "${uflag[@]}" "$file" 2>&1 |
		sed -n 's/^Showing nodes accounting for .* of \(.*\) total$/\1/p'
}

status=0
i=0
with_go=false
have go && with_go=true
for t in $types; do
	unit=${t#*/}
	want=$(total "$input" "$i" "$unit" "$cprof")
	[ -n "$want" ] || { echo "FAIL $name: no total for $t in the input"; status=1; }
	got=$(total "$tmp/legacy.txt" "$i" "$unit" "$cprof")
	if [ "$got" != "$want" ]; then
		echo "FAIL $name: cprof reads total $got for $t, want $want"
		status=1
	fi
	if $with_go; then
		got=$(total "$tmp/legacy.txt" "$i" "$unit" go tool pprof -symbolize=none)
		# (pprof cannot read every input, goroutine dumps: compared with cprof's total)
		if [ "$got" != "$want" ]; then
			echo "FAIL $name: go tool pprof reads total $got for $t, want $want"
			status=1
		fi
	fi
	i=$((i + 1))
done
[ $status -eq 0 ] && echo "ok $name"
exit $status
