#!/usr/bin/env bash
# run_parts_diff.sh NAME - one case of tests/diff/parts_cases.txt: @P@
# becomes a generated profile of 50,000 samples, about 30,000 distinct
# (bench/genprof, $GENPROF; written once to $PARTS_DIR), enough for cprof
# to build its graphs without tags on two threads (src/pipeline/graph_build.c, PARTS_MIN),
# with inlined frames, recursion and labels; tests/diff/run_diff.sh then
# compares cprof with go tool pprof. (Residual edges, drawn only by -dot,
# come from the tagged build, which stays on one thread.)
# Exit 77 (skipped) when go or the generator is absent.
name=${1:?usage: run_parts_diff.sh NAME}
. "$(dirname "$0")/../lib.sh"
need_cprof
gen=${GENPROF:-}
dir=${PARTS_DIR:?PARTS_DIR must name a directory for the generated profile}
[ -n "$gen" ] && [ -x "$gen" ] || { echo "skipped: no generator ($gen)"; exit 77; }
mkdir -p "$dir"
prof=$dir/parts.pb.gz
if [ ! -s "$prof" ]; then
	# ctest may run several cases at once: write aside, then rename
	"$gen" -samples 50000 -locations 8000 -functions 2000 -seed 7 "$prof.$$" >/dev/null 2>&1 &&
		mv -f "$prof.$$" "$prof" || { rm -f "$prof.$$"; echo "genprof failed"; exit 1; }
fi
make_tmp parts
case $name in
file_*)
	# -traces and -folded are written while they are made (many MiB here):
	# the same bytes to -output=FILE as to standard output, and no
	# temporary file left beside it
	fmt=${name#file_}
	"$cprof" "-$fmt" "$prof" >"$tmp/stdout" 2>/dev/null || { echo "FAIL $name: stdout run"; exit 1; }
	"$cprof" "-$fmt" "-output=$tmp/out" "$prof" >/dev/null 2>&1 || { echo "FAIL $name: -output run"; exit 1; }
	[ "$(stat -c %s "$tmp/stdout")" -gt $((8 << 20)) ] || { echo "FAIL $name: output under 8 MiB"; exit 1; }
	cmp -s "$tmp/stdout" "$tmp/out" || { echo "FAIL $name: -output differs from stdout"; exit 1; }
	left=$(find "$tmp" -name 'out.*' | wc -l)
	[ "$left" = 0 ] || { echo "FAIL $name: temporary file left"; exit 1; }
	echo "ok $name"
	exit 0
	;;
esac
sed "s|@P@|$prof|g" "$src/tests/diff/parts_cases.txt" >"$tmp/cases.txt"
bash "$src/tests/diff/run_diff.sh" "$cprof" "$tmp/cases.txt" "$name"
