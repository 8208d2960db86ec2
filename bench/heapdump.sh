#!/usr/bin/env bash
# heapdump.sh - time and memory of `cprof heapdump` on big Go heap dumps.
#
#   bench/heapdump.sh [-size SIZE] [-runs N] [-cases LIST]
#          (defaults: -size 700M, 3 runs; LIST of text,json,dot,top,hprof)
#
# Builds testdata/gen/heapdump and runs it in -mode=big (a global map of
# records, each with a list of 40 small items and a byte buffer, and a
# global slice of trees; default MemProfileRate, the collector on) to write
# bench/out/heap-SIZE.dump, a real runtime dump (SIZE is the heap the
# program builds; the dump is about 1.4 times that: each object's whole
# size-class slot). Then it times each case (best of N runs by CPU time),
# with /usr/bin/time for the peak RSS, and prints a markdown table:
#
#   floor        cat DUMP >/dev/null (reading the file)
#   text         cprof heapdump DUMP BINARY (the whole analysis, the report)
#   json         ... -json
#   dot          ... -dot
#   top          cprof -top -cum DUMP (report mode: read into memory, as
#                every profile; -max_input_size raised to fit)
#   hprof        ... -hprof=bench/out/heap.hprof (copies every object's bytes)
#
# "metadata" is what the dump says about its objects apart from their
# contents: 16 bytes an object (address, size) and 8 a pointer field; the
# ratio column is peak RSS over it. CPROF is the binary (default
# build/cprof, best built with -DCMAKE_BUILD_TYPE=RelWithDebInfo).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
size=700M runs=3 cases=text,json,dot,top,hprof
while [ $# -gt 0 ]; do
	case $1 in
	-size) size=$2; shift 2 ;;
	-runs) runs=$2; shift 2 ;;
	-cases) cases=$2; shift 2 ;;
	*) echo "usage: $0 [-size SIZE] [-runs N] [-cases LIST]" >&2; exit 64 ;;
	esac
done
cprof=${CPROF:-$repo/build/cprof}
[ -x "$cprof" ] || { echo "heapdump.sh: $cprof not built" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "heapdump.sh: /usr/bin/time missing (Debian package time)" >&2; exit 1; }
command -v go >/dev/null || { echo "heapdump.sh: go not found" >&2; exit 1; }
out=$repo/bench/out
mkdir -p "$out"
gen=$out/heapdump-gen
dump=$out/heap-$size.dump

(cd "$repo/testdata/gen" && GO111MODULE=on GOFLAGS= go build -buildvcs=false -o "$gen" ./heapdump)
if [ ! -s "$dump" ] || [ "$gen" -nt "$dump" ]; then
	echo "generating $dump (a heap of $size)..." >&2
	GOMAXPROCS=2 "$gen" -mode big -size "$size" -rate 0 -out "$dump.tmp"
	mv "$dump.tmp" "$dump"
fi
bytes=$(wc -c <"$dump")
limit=$((bytes + (1 << 20)))

# measure NAME CMD...: best of $runs by user+system CPU; sets wall, cpu, rss (MB)
measure() {
	local name=$1 best=""; shift
	for ((r = 0; r < runs; r++)); do
		/usr/bin/time -f '%e %U %S %M' -o "$out/time.$name" "$@" >/dev/null 2>"$out/err.$name" ||
			{ echo "heapdump.sh: $name failed: $(head -c 300 "$out/err.$name")" >&2; exit 1; }
		read -r e u s m < <(tail -n 1 "$out/time.$name")
		local c
		c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
		if [ -z "$best" ] || awk -v a="$c" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$c wall=$e cpu=$c rss=$(awk -v m="$m" 'BEGIN { printf "%.0f", m / 1024 }')
		fi
	done
}

"$cprof" -max_input_size="$limit" heapdump -json -nodecount=1 -top=1 "$dump" >"$out/heap.json"
read -r nobj fields ptrs < <(python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); o = j["objects"]; print(o["count"], o["pointer_fields"], o["pointers"])' "$out/heap.json")
meta=$(awk -v n="$nobj" -v f="$fields" 'BEGIN { printf "%.0f", (16 * n + 8 * f) / 1048576 }')

echo "Dump: \`$(basename "$dump")\`, $(awk -v b="$bytes" 'BEGIN { printf "%.2f GB", b / 1e9 }'), $nobj objects, $fields pointer fields ($ptrs pointers between objects), metadata $meta MB; $(nproc) CPUs; load average before $(cut -d' ' -f1-3 /proc/loadavg); best of $runs"
echo
echo "| case | wall s | CPU s | peak RSS MB | RSS ÷ metadata |"
echo "| --- | ---: | ---: | ---: | ---: |"
row() { echo "| $1 | $wall | $cpu | $rss | $(awk -v r="$rss" -v m="$meta" 'BEGIN { printf "%.2fx", r / m }') |"; }
measure floor cat "$dump"
row "floor: \`cat\` the dump"
for c in ${cases//,/ }; do
	case $c in
	text) measure text "$cprof" -max_input_size="$limit" heapdump "$dump" "$gen"; row "\`cprof heapdump DUMP BINARY\`" ;;
	json) measure json "$cprof" -max_input_size="$limit" heapdump -json "$dump" "$gen"; row "\`cprof heapdump -json\`" ;;
	dot) measure dot "$cprof" -max_input_size="$limit" heapdump -dot "$dump" "$gen"; row "\`cprof heapdump -dot\`" ;;
	top) measure top "$cprof" -max_input_size="$limit" -top -cum "$dump"; row "\`cprof -top -cum DUMP\` (report mode)" ;;
	hprof) measure hprof "$cprof" -max_input_size="$limit" heapdump -hprof="$out/heap.hprof" "$dump" "$gen"
		row "\`cprof heapdump -hprof\` ($(awk -v b="$(wc -c <"$out/heap.hprof")" 'BEGIN { printf "%.2f GB", b / 1e9 }') written)"
		rm -f "$out/heap.hprof" ;;
	*) echo "heapdump.sh: unknown case $c" >&2; exit 64 ;;
	esac
done
echo
echo "load average after $(cut -d' ' -f1-3 /proc/loadavg)"
