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
#
# The CPU profile is then rewritten by cpuconv.c as a 32-bit little-endian,
# 32-bit big-endian and 64-bit big-endian profile (cpu32le.prof,
# cpu32be.prof, cpu64be.prof: same samples, libraries moved below 4 GiB for
# 32 bits). `generate.sh --convert [OUTDIR]` redoes only that step from
# OUTDIR/cpu.prof.
set -eu
src=$(cd "$(dirname "$0")" && pwd)
convert_only=false
if [ "${1:-}" = --convert ]; then
	convert_only=true
	shift
fi
out=${1:-$src/../../gperf}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=/tmp/cprofgen-cperf

# convert: the other word sizes and byte orders of $out/cpu.prof
convert() {
	local tmp
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/cpuconv.XXXXXX")
	gcc -std=c11 -O1 -o "$tmp/cpuconv" "$src/cpuconv.c"
	for v in 32le 32be 64be; do
		"$tmp/cpuconv" "${v%??}" "${v#??}" <"$out/cpu.prof" >"$out/cpu$v.prof"
	done
	rm -rf "$tmp"
}
if $convert_only; then
	convert
	exit 0
fi

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
convert
{
	gcc --version | head -1
	dpkg-query -W -f='${Package} ${Version}\n' libgoogle-perftools-dev 2>/dev/null || true
} >"$out/VERSIONS"
ls -l "$out"
