#!/usr/bin/env bash
# runtime_logs.sh - throughput of `cprof gctrace` and `cprof schedtrace`.
#
#   bench/runtime_logs.sh [-size MB] [-runs N] [-pure | -pure-sched]
#                                           (defaults: 256 MB, 3 runs)
#
# Writes bench/out/runtime.log (and .gz): a service log of about SIZE MB in
# which every line carries a syslog-style prefix and the runtime's lines
# are mixed with the program's own: per 100 lines about 30 gctrace lines
# (go1.19 shape, sometimes "(forced)"), 10 schedtrace summaries with 8
# local queues, a scheddetail block now and then, scavenger and pacer lines,
# and program output. Then it times each command on it (best of N runs;
# cprof is single-threaded, so one core) and prints MB of input per second
# of wall clock and of CPU time, and the peak resident set. -pure writes
# bench/out/runtime_gc.log instead: nothing but gctrace lines, the heaviest
# case per byte (one GC per 135 bytes). -pure-sched writes
# bench/out/runtime_sched.log: nothing but schedtrace summaries of 8 Ps
# and their local queues (one sample per 130 bytes) and times schedtrace.
# CPROF is the binary (default build/cprof). Needs bash, awk, gzip, and
# /usr/bin/time or bash's time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
size=256 runs=3 pure=0
while [ $# -gt 0 ]; do
	case $1 in
	-size) size=$2; shift 2 ;;
	-runs) runs=$2; shift 2 ;;
	-pure) pure=1; shift ;;
	-pure-sched) pure=2; shift ;;
	*) echo "usage: $0 [-size MB] [-runs N] [-pure | -pure-sched]" >&2; exit 64 ;;
	esac
done
cprof=${CPROF:-$repo/build/cprof}
[ -x "$cprof" ] || { echo "runtime_logs.sh: $cprof not built" >&2; exit 1; }
out=$repo/bench/out
mkdir -p "$out"
log=$out/runtime.log
[ "$pure" = 1 ] && log=$out/runtime_gc.log
[ "$pure" = 2 ] && log=$out/runtime_sched.log

if [ ! -f "$log" ] || [ "$(($(wc -c <"$log") / 1000000))" -lt "$((size * 95 / 100))" ]; then
	echo "generating $log (~$size MB)..." >&2
	awk -v limit=$((size * 1000000)) -v pure=$pure '
	BEGIN {
		srand(7); bytes = 0; gc = 0; t = 0.0; ms = 0; live = 40
		pre = pure ? "" : "2024-05-01T10:00:00.000000Z svc-7f9c app[4242]: "
		while (bytes < limit) {
			r = pure == 1 ? 0 : pure == 2 ? 0.35 : rand()
			if (r < 0.30) {
				gc++; t += 0.02 + rand() * 0.05
				live += (rand() - 0.5) * 2; if (live < 10) live = 10
				h0 = int(live * 1.8); h1 = h0 + int(rand() * 6); h2 = int(live)
				line = sprintf("gc %d @%.3fs %d%%: %.3g+%.2g+%.3g ms clock, %.2g+%.2g/%.2g/%.2g+%.3g ms cpu, %d->%d->%d MB, %d MB goal, 0 MB stacks, 0 MB globals, 8 P%s",
					gc, t, 5 + int(rand() * 5), 0.01 + rand() * 0.5, 1 + rand() * 20, 0.01 + rand() * 0.2,
					rand(), rand() * 5, rand() * 20, rand() * 10, rand() * 0.8, h0, h1, h2, h2 * 2, rand() < 0.02 ? " (forced)" : "")
			} else if (r < 0.40) {
				ms += 10
				line = sprintf("SCHED %dms: gomaxprocs=8 idleprocs=%d threads=%d spinningthreads=%d idlethreads=%d runqueue=%d [%d %d %d %d %d %d %d %d]",
					ms, int(rand() * 9), 14 + int(rand() * 3), int(rand() * 2), int(rand() * 6), int(rand() * 20),
					int(rand() * 9), int(rand() * 9), int(rand() * 9), int(rand() * 9), int(rand() * 9), int(rand() * 9), int(rand() * 9), int(rand() * 9))
			} else if (r < 0.405) {
				ms += 10
				line = sprintf("SCHED %dms: gomaxprocs=8 idleprocs=2 threads=15 spinningthreads=0 idlethreads=3 runqueue=4 gcwaiting=0 nmidlelocked=0 stopwait=0 sysmonwait=0", ms)
				for (p = 0; p < 8; p++)
					line = line "\n" pre sprintf("  P%d: status=%d schedtick=%d syscalltick=%d m=%d runqsize=%d gfreecnt=%d timerslen=%d", p, p < 6, int(rand() * 1e6), int(rand() * 1e4), p < 6 ? p + 2 : -1, int(rand() * 5), int(rand() * 30), int(rand() * 4))
				for (g = 1; g <= 40; g++)
					line = line "\n" pre sprintf("  G%d: status=%d(%s) m=-1 lockedm=-1", g, g % 7 ? 4 : 1, g % 3 ? "chan receive" : "GC worker (idle)")
			} else if (r < 0.42) {
				line = sprintf("scav %d KiB work, %d KiB total, %d%% util", int(rand() * 4096), int(rand() * 65536), 90 + int(rand() * 10))
			} else if (r < 0.44) {
				line = sprintf("pacer: assist ratio=+%.6fe+000 (scan %d MB in %d->%d MB) workers=2++0.000000e+000", 1 + rand() * 8, int(live), h0, h0 + 8)
			} else {
				line = sprintf("%s INFO handled request id=%08x path=/api/v1/items/%d status=200 bytes=%d dur=%.3fms user-agent=\"Go-http-client/1.1\"",
					"2024/05/01 10:00:00.000000", int(rand() * 2^31), int(rand() * 100000), int(rand() * 65536), rand() * 40)
			}
			line = pre line
			print line
			bytes += length(line) + 1
		}
	}' >"$log"
	gzip -1 -c "$log" >"$log.gz"
fi
mb=$(awk -v b="$(wc -c <"$log")" 'BEGIN { printf "%.1f", b / 1e6 }')
echo "input: $log, $mb MB, $(wc -l <"$log") lines; gzip: $(($(wc -c <"$log.gz") / 1000000)) MB" >&2

# best of N runs of a command (stdout discarded): "wall cpu rss" (seconds,
# seconds, MB), cpu = user + sys and rss = the peak resident set from
# /usr/bin/time when installed (a busy machine stretches the wall clock,
# much less the CPU time); rss is the largest of the runs
best() {
	local bw="" bc="" br="" s e w c r
	for _ in $(seq "$runs"); do
		s=$(date +%s.%N)
		if [ -x /usr/bin/time ]; then
			read -r c r < <(/usr/bin/time -f '%U %S %M' "$@" 2>&1 >/dev/null | tail -1 |
				awk '{ printf "%.3f %.1f", $1 + $2, $3 / 1024 }')
		else
			"$@" >/dev/null
			c="" r=""
		fi
		e=$(date +%s.%N)
		w=$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }')
		bw=$(awk -v b="$bw" -v t="$w" 'BEGIN { print (b == "" || t < b) ? t : b }')
		[ -n "$c" ] && bc=$(awk -v b="$bc" -v t="$c" 'BEGIN { print (b == "" || t < b) ? t : b }')
		[ -n "$r" ] && br=$(awk -v b="$br" -v t="$r" 'BEGIN { print (b == "" || t > b) ? t : b }')
	done
	echo "$bw ${bc:--} ${br:--}"
}

rate() { awk -v m="$mb" -v t="$1" 'BEGIN { if (t + 0 > 0) printf "%.0f", m / t; else printf "-" }'; }
printf '| command | input | wall s | CPU s | MB/s (wall) | MB/s (CPU) | peak RSS MB |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |\n'
row() {
	local label=$1 input=$2 w c r
	shift 2
	read -r w c r <<<"$(best "$@")"
	printf '| `%s` | %s | %s | %s | %s | %s | %s |\n' "$label" "$input" "$w" "$c" "$(rate "$w")" "$(rate "$c")" "$r"
}
row "cat" plain cat "$log"
if [ "$pure" != 2 ]; then
	row "cprof gctrace" plain "$cprof" gctrace "$log"
	row "cprof gctrace -json" plain "$cprof" gctrace -json "$log"
	row "cprof gctrace -svg" plain "$cprof" gctrace -svg "$log"
fi
if [ "$pure" != 1 ]; then
	row "cprof schedtrace" plain "$cprof" schedtrace "$log"
	row "cprof schedtrace -json" plain "$cprof" schedtrace -json "$log"
fi
row "gzip -dc" gzip gzip -dc "$log.gz"
[ "$pure" = 2 ] || row "cprof gctrace" gzip "$cprof" gctrace "$log.gz"
[ "$pure" = 1 ] || row "cprof schedtrace" gzip "$cprof" schedtrace "$log.gz"
echo "(MB/s counts the uncompressed $mb MB in every row)" >&2
