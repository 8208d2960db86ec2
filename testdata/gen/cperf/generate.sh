#!/usr/bin/env bash
# generate.sh [OUTDIR] - make the gperftools profiles of testdata/gperf/
# (default OUTDIR): build cperf.c with gcc -g, non-PIE, linked with
# gperftools' profiler and tcmalloc (Debian: libgoogle-perftools-dev), run
# it once (CPU profiler at 250 Hz, period 4 ms), keep its CPU profile, its two heap
# profiles and the binary.
#
# The program is built and run in /tmp/cprofgen-cperf (removed afterwards),
# so the main mapping of every profile names /tmp/cprofgen-cperf/cperf.
# The binary is non-PIE: its addresses are the same in every run; shared
# libraries move with ASLR.
set -eu
src=$(cd "$(dirname "$0")" && pwd)
out=${1:-$src/../../gperf}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=/tmp/cprofgen-cperf

command -v gcc >/dev/null || { echo "generate.sh: gcc not found" >&2; exit 1; }
[ -f "$(gcc -print-file-name=libtcmalloc_and_profiler.so)" ] ||
	{ echo "generate.sh: gperftools not found (apt-get install libgoogle-perftools-dev)" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
cp "$src/cperf.c" "$work/"
(cd "$work" && gcc -g -O1 -fno-omit-frame-pointer -no-pie -o cperf cperf.c -ltcmalloc_and_profiler)
(cd "$work" && CPUPROFILE_FREQUENCY=250 ./cperf "$work")

cp "$work/cpu.prof" "$out/cpu.prof"
cp "$work/heap.0001.heap" "$out/heap.live.heap"
cp "$work/heap.0002.heap" "$out/heap.end.heap"
cp "$work/cperf" "$out/cperf"
{
	gcc --version | head -1
	dpkg-query -W -f='${Package} ${Version}\n' libgoogle-perftools-dev 2>/dev/null || true
} >"$out/VERSIONS"
ls -l "$out"
