#!/bin/sh
# summary.sh LABEL BUILD_DIR CTEST_OUTPUT - the summary of one ctest run
# (tests/run.sh calls it after each pass): how many tests ran, passed,
# failed and skipped, per suite (the ctest name up to its first dot) and in
# total, read from ctest's own result lines in CTEST_OUTPUT.
#
# A skip must be one of tests/conformance/skips.txt (the tests that skip by
# design); any other skip (a missing tool, input or ../shared) is named,
# with the test's own "skipped" line (from BUILD_DIR's
# Testing/Temporary/LastTest.log), and so is a listed test that did not
# skip. Exit status 0 when every test passed or skipped as listed, else 1.
set -u
label=$1 build=$2 out=$3
tests=$(cd "$(dirname "$0")" && pwd)
skips=$tests/conformance/skips.txt
work=$(mktemp -d "${TMPDIR:-/tmp}/cprof-summary.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

# NAME STATUS per result line: "  3/1305 Test    #3: unit.x ....   Passed    0.01 sec"
awk '/^ *[0-9]+\/[0-9]+ +Test +#[0-9]+: / {
	sub(/^ *[0-9]+\/[0-9]+ +Test +#[0-9]+: /, "")
	name = $1; st = ""
	for (i = 2; i <= NF && st == ""; i++) {
		f = $i
		gsub(/^[.*]+/, "", f)
		if (f != "") st = f
	}
	print name, (st == "Passed" ? "passed" : st == "Skipped" ? "skipped" : "failed")
}' "$out" >"$work/results"
want=$(sed -n 's/.* tests failed out of \([0-9][0-9]*\)$/\1/p' "$out" | tail -n 1)
got=$(wc -l <"$work/results")
status=0
if [ -z "$want" ] || [ "$want" != "$got" ]; then
	echo "summary.sh: $got results read from $out, ctest ran ${want:-an unknown number of} tests"
	status=1
fi

grep -v '^#' "$skips" | awk -F'\t' 'NF >= 2 { print $1 }' | sort -u >"$work/listed"
awk '$2 == "skipped" { print $1 }' "$work/results" | sort >"$work/skipped"
comm -23 "$work/skipped" "$work/listed" >"$work/unlisted"
comm -13 "$work/skipped" "$work/listed" >"$work/stale"

awk -v label="$label" -v unlisted="$(wc -l <"$work/unlisted")" '
{
	s = $1; sub(/\..*/, "", s)
	if (!(s in n)) order[++ns] = s
	n[s]++; c[s, $2]++; c["total", $2]++; total++
}
END {
	sk = c["total", "skipped"] + 0
	printf "== %s: %d tests: %d ran, %d passed, %d failed, %d skipped (%d listed in tests/conformance/skips.txt, %d not)\n",
		label, total, total - sk, c["total", "passed"], c["total", "failed"], sk, sk - unlisted, unlisted
	printf "   %-14s %6s %6s %7s %7s %8s\n", "suite", "tests", "ran", "passed", "failed", "skipped"
	# suites in the order ctest finished their first test
	for (i = 1; i <= ns; i++) {
		s = order[i]
		printf "   %-14s %6d %6d %7d %7d %8d\n", s, n[s], n[s] - c[s, "skipped"], c[s, "passed"], c[s, "failed"], c[s, "skipped"]
	}
	printf "   %-14s %6d %6d %7d %7d %8d\n", "total", total, total - sk, c["total", "passed"], c["total", "failed"], sk
}' "$work/results"

if grep -q ' failed$' "$work/results"; then
	echo "   failed: $(awk '$2 == "failed" { printf "%s ", $1 }' "$work/results")"
	status=1
fi
log=$build/Testing/Temporary/LastTest.log
while read -r t; do
	# the last line the test printed
	why=$(awk -v t="$t" '/^[0-9]+\/[0-9]+ Testing: / { f = ($3 == t); next }
		f && /^<end of output>$/ { print last; exit }
		f && NF { last = $0 }' "$log" 2>/dev/null)
	echo "   skipped but not listed in tests/conformance/skips.txt: $t${why:+ ($why)}"
	status=1
done <"$work/unlisted"
while read -r t; do
	echo "   listed in tests/conformance/skips.txt but did not skip: $t (take its line out)"
	status=1
done <"$work/stale"
exit $status
