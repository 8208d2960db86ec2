#!/usr/bin/env bash
# variants.sh [OUTDIR] - the header and memory-map variants of Go's and
# gperftools' text profiles in testdata/legacy/ (default OUTDIR), derived
# with sed from testdata/go/heap.txt and testdata/go/block.txt (their first
# samples, without the '#' lines, to stay small). Deterministic: rerunning
# it rewrites the same bytes.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$src/legacy}
mkdir -p "$out"
heap=$src/go/heap.txt
block=$src/go/block.txt
exe=/tmp/cprofgen-workload/workload

# the header and the first 40 samples of the Go heap profile (heap/8192)
base() { grep -v '^#' "$heap" | head -n 41; }

base | sed '1s|@ heap/8192|@ heap_v2/524288|' >"$out/heap_v2.txt"
base | sed '1s|@ heap/8192|@ heapz_v2/4096|' >"$out/heapz_v2.txt"
base | sed '1s|@ heap/8192|@ heap|' >"$out/heap_norate.txt"
base | sed '1s|@ heap/8192|@ heap/1|' >"$out/heap_rate1.txt"
base | sed '1s|@ heap/8192|@ heapprofile|' >"$out/heapprofile.txt"
base | sed '1s|@ heap/8192|@ growthz|' >"$out/growthz.txt"
base | sed '1s|@ heap/8192|@ heapfoo/8192|' >"$out/heap_unknown_kind.txt"
# memory maps: /proc/self/maps lines after "--- Memory map: ---", the
# same after "MAPPED_LIBRARIES:" with a shared library, and the brief
# "start limit offset file buildid" form
{ base; echo "--- Memory map: ---"; echo "00400000-004cd000 r-xp 00000000 00:00 123 $exe"; } >"$out/heap_maps_proc.txt"
{
	base
	echo "MAPPED_LIBRARIES:"
	echo "00400000-004cd000 r-xp 00000000 00:00 123 $exe"
	echo "7f0000000000-7f0000100000 r-xp 00001000 08:01 99 /lib/libc.so.6"
} >"$out/heap_maps_libs.txt"
{ base; echo "--- Memory map: ---"; echo "0x400000 0x4cd000 0x0 $exe 0123456789abcdef"; } >"$out/heap_maps_brief.txt"
# contention: gperftools' "sampling period" line, and no cycles/second line
grep -v '^#' "$block" | sed '2s|cycles/second=.*|cycles/second=1000000000\nsampling period = 10|' >"$out/block_period.txt"
grep -v '^#' "$block" | sed '2d' >"$out/block_nocycles.txt"

# broken inputs: pprof's verdict on each is the reference (an error, or a
# profile of what could be read)
cpu=$src/gperf/cpu.prof
head -c 30 "$cpu" >"$out/bad_cpu_header.prof"      # ends inside the header
head -c 1000 "$cpu" >"$out/bad_cpu_cut.prof"       # ends inside a record (read as 0s)
head -c 7213 "$cpu" >"$out/bad_cpu_odd.prof"       # ends inside a word
head -c 100 "$heap" >"$out/bad_heap_cut.txt"       # ends inside a sample line
printf 'heap profile: 1: 2 [3: 4] @ heap/8192\n0: 5 [0: 0] @ 0x1 0x2\n' >"$out/bad_heap_zero.txt"
printf 'heap profile: 1: 2 [3: 4] @ heap/8192\n1: 5 [1: 5] @ 0x1\n--- Memory map: ---\nzzzz garbage\n' >"$out/bad_heap_map.txt"
printf 'goroutine profile: total 3\n2 @ 0x1 0x2\nxx @ 0x3\n' >"$out/bad_goroutine_line.txt"
printf -- '--- contention:\ncycles/second=abc\n1 2 @ 0x1\n' >"$out/bad_contention_cycles.txt"
