#!/usr/bin/env bash
# run_odd_diff.sh NAME - every report of one odd profile against go tool pprof.
#
# The profile is case NAME of tests/tools/oddprof.c ($ODDPROF; written once
# to $ODD_DIR/NAME.pb): odd but valid profile.proto as other producers
# write them (names that are not UTF-8, no mappings, extreme ids, empty
# strings, huge label sets, ...). Each report of tests/diff/odd_reports.txt
# runs with both programs through tests/diff/run_diff.sh (stdout byte for
# byte, exit status success or failure alike); then -topproto
# (tests/diff/run_topproto.sh) and the -proto round trip: what cprof
# writes and what pprof writes must read back the same in go tool pprof
# -raw. Exit 77 (skipped) when go or the generator is absent.
# NAME -list: only check that tests/diff/odd_cases.txt lists oddprof's cases.
set -u
name=${1:?usage: run_odd_diff.sh NAME}
src=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
cprof=${CPROF:?CPROF must name the cprof binary}
gen=${ODDPROF:-}
dir=${ODD_DIR:?ODD_DIR must name a directory for the generated profiles}
[ -n "$gen" ] && [ -x "$gen" ] || { echo "skipped: no generator ($gen)"; exit 77; }
if [ "$name" = -list ]; then
	# the case list and the generator agree
	if grep -v '^#' "$src/tests/diff/odd_cases.txt" | cmp -s - <("$gen" -list); then
		echo "ok odd_cases.txt = oddprof -list"
		exit 0
	fi
	echo "FAIL tests/diff/odd_cases.txt is not oddprof -list:"
	grep -v '^#' "$src/tests/diff/odd_cases.txt" | diff - <("$gen" -list)
	exit 1
fi
command -v go >/dev/null 2>&1 || { echo "skipped: go not found"; exit 77; }
mkdir -p "$dir"
prof=$dir/$name.pb
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cprof-odd.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# ctest may run several cases at once: write aside, then rename
"$gen" "$tmp" "$name" && mv -f "$tmp/$name.pb" "$prof" || { echo "FAIL $name: oddprof failed"; exit 1; }

tab=$(printf '\t')
while IFS= read -r line || [ -n "$line" ]; do
	case $line in '' | '#'*) continue ;; esac
	printf '%s.%s\t%s\n' "$name" "${line%%"$tab"*}" "${line#*"$tab"} $prof"
done <"$src/tests/diff/odd_reports.txt" >"$tmp/cases.txt"
status=0
bash "$src/tests/diff/run_diff.sh" "$cprof" "$tmp/cases.txt" || status=1
# -topproto: the profiles inside the two tools' gzip must agree (run_topproto.sh)
printf '%s.topproto\t-topproto %s\n' "$name" "$prof" >"$tmp/topproto.txt"
bash "$src/tests/diff/run_topproto.sh" "$cprof" "$tmp/topproto.txt" || status=1

# -proto: both programs' output, read back by go tool pprof
pprof_tool="$(go env GOTOOLDIR 2>/dev/null)/pprof"
[ -x "$pprof_tool" ] || pprof_tool="go tool pprof"
export LC_ALL=C TZ=UTC HOME=$tmp PPROF_TMPDIR=$tmp
"$cprof" -proto -output="$tmp/c.pb.gz" "$prof" 2>"$tmp/c.err"
crc=$?
$pprof_tool -proto -output="$tmp/p.pb.gz" "$prof" 2>"$tmp/p.err"
prc=$?
if [ $crc != 0 ] || [ $prc != 0 ]; then
	if [ $((crc == 0)) != $((prc == 0)) ]; then
		echo "FAIL $name.proto: exit status go tool pprof $prc, cprof $crc: $(head -c 300 "$tmp/c.err")"
		status=1
	else
		echo "ok $name.proto (both refuse)"
	fi
else
	$pprof_tool -raw "$tmp/p.pb.gz" >"$tmp/p.raw" 2>/dev/null
	$pprof_tool -raw "$tmp/c.pb.gz" >"$tmp/c.raw" 2>/dev/null
	if cmp -s "$tmp/p.raw" "$tmp/c.raw"; then
		echo "ok $name.proto"
	else
		echo "FAIL $name.proto: go tool pprof -raw of the two -proto outputs differs"
		diff -u --label "pprof -proto" --label "cprof -proto" "$tmp/p.raw" "$tmp/c.raw" | head -n 40
		status=1
	fi
fi
exit $status
