#!/usr/bin/env bash
# run_parts_diff.sh NAME - one case of tests/diff/parts_cases.txt: @P@
# becomes a generated profile of 50,000 samples, about 30,000 distinct
# (bench/genprof, $GENPROF; written once to $PARTS_DIR), enough for cprof
# to build its graphs without tags on two threads (src/graph.c, PARTS_MIN),
# with inlined frames, recursion and labels; tests/diff/run_diff.sh then
# compares cprof with go tool pprof. (Residual edges, drawn only by -dot,
# come from the tagged build, which stays on one thread.)
# Exit 77 (skipped) when go or the generator is absent.
set -u
name=${1:?usage: run_parts_diff.sh NAME}
src=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
cprof=${CPROF:?CPROF must name the cprof binary}
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
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cprof-parts.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
sed "s|@P@|$prof|g" "$src/tests/diff/parts_cases.txt" >"$tmp/cases.txt"
bash "$src/tests/diff/run_diff.sh" "$cprof" "$tmp/cases.txt" "$name"
