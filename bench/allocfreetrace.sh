#!/usr/bin/env bash
# allocfreetrace.sh - throughput and memory of `cprof allocfreetrace` and of
# an allocation trace read as a profile.
#
#   bench/allocfreetrace.sh [-size MB] [-runs N] [-prefix]   (defaults: 1024 MB, 3 runs)
#
# Writes bench/out/aft_SIZE.log (and a gzip -1 copy) with bench/genaft (built
# by CMake at build/bench/genaft): a Go service's allocation trace, about
# 1.1 kB per record, 4 to 14 frames each, in the runtime's traceback=2
# layout, a GC every 5000 allocations with its tracegc record and the
# sweep's frees, gctrace and program lines in between (-prefix: a log
# shipper's prefix on every line, bench/out/aft_SIZE_prefix.log). Then it
# times `cat`, `cprof allocfreetrace` (text, -json, the gzip copy) and, for
# logs up to 1 GB, `cprof -top` on the log as a profile (which reads the
# file whole), best of N runs, and prints a markdown table of wall and CPU
# seconds (user + sys, /usr/bin/time), MB of uncompressed input per second
# and peak RSS. cprof is single-threaded here: the CPU column is one core.
# CPROF is the binary (default build/cprof), GENAFT the generator.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
size=1024 runs=3 prefix=0
while [ $# -gt 0 ]; do
	case $1 in
	-size) size=$2; shift 2 ;;
	-runs) runs=$2; shift 2 ;;
	-prefix) prefix=1; shift ;;
	*) echo "usage: $0 [-size MB] [-runs N] [-prefix]" >&2; exit 64 ;;
	esac
done
cprof=${CPROF:-$repo/build/cprof}
genaft=${GENAFT:-$repo/build/bench/genaft}
[ -x "$cprof" ] || { echo "allocfreetrace.sh: $cprof not built" >&2; exit 1; }
[ -x "$genaft" ] || { echo "allocfreetrace.sh: $genaft not built (cmake --build build --target genaft)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "allocfreetrace.sh: /usr/bin/time not installed (apt-get install time)" >&2; exit 1; }
out=$repo/bench/out
mkdir -p "$out"
log=$out/aft_$size.log
flags=()
if [ "$prefix" = 1 ]; then
	log=$out/aft_${size}_prefix.log
	flags=(-prefix)
fi
if [ ! -f "$log" ]; then
	echo "generating $log (~$size MB)..." >&2
	"$genaft" -size "$size" "${flags[@]}" >"$log"
fi
[ -f "$log.gz" ] || gzip -1 -c "$log" >"$log.gz"
mb=$(awk -v b="$(wc -c <"$log")" 'BEGIN { printf "%.1f", b / 1e6 }')
echo "input: $log, $mb MB, $(wc -l <"$log") lines; gzip: $(($(wc -c <"$log.gz") / 1000000)) MB" >&2
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# best of N runs: "wall cpu maxrss_MB"
best() {
	local bw="" bc="" bm="" s e w c m line
	for _ in $(seq "$runs"); do
		s=$(date +%s.%N)
		line=$(/usr/bin/time -f '%U %S %M' "$@" 2>&1 >/dev/null | tail -1)
		e=$(date +%s.%N)
		c=$(awk '{ printf "%.3f", $1 + $2 }' <<<"$line")
		m=$(awk '{ printf "%.1f", $3 / 1024 }' <<<"$line")
		w=$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }')
		bw=$(awk -v b="$bw" -v t="$w" 'BEGIN { print (b == "" || t < b) ? t : b }')
		bc=$(awk -v b="$bc" -v t="$c" 'BEGIN { print (b == "" || t < b) ? t : b }')
		bm=$(awk -v b="$bm" -v t="$m" 'BEGIN { print (b == "" || t > b) ? t : b }')
	done
	echo "$bw $bc $bm"
}
rate() { awk -v m="$mb" -v t="$1" 'BEGIN { if (t + 0 > 0) printf "%.0f", m / t; else printf "-" }'; }
printf '| command | input | wall s | CPU s | MB/s (wall) | MB/s (CPU) | peak RSS MB |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |\n'
row() {
	local label=$1 input=$2 w c m
	shift 2
	read -r w c m <<<"$(best "$@")"
	printf '| `%s` | %s | %s | %s | %s | %s | %s |\n' "$label" "$input" "$w" "$c" "$(rate "$w")" "$(rate "$c")" "$m"
}
row "cat" plain cat "$log"
row "cprof allocfreetrace" plain "$cprof" allocfreetrace "$log"
row "cprof allocfreetrace -json" plain "$cprof" allocfreetrace -json "$log"
row "gzip -dc" gzip gzip -dc "$log.gz"
row "cprof allocfreetrace" gzip "$cprof" allocfreetrace "$log.gz"
if [ "$size" -le 1024 ]; then
	row "cprof -top (the log as a profile)" plain "$cprof" -max_input_size=2G -top "$log"
fi
echo "(MB/s counts the uncompressed $mb MB in every row)" >&2
