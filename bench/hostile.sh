#!/usr/bin/env bash
# hostile.sh - what hostile compressed input costs cprof, beside go tool pprof.
#
#   bench/hostile.sh [-runs N]                      (default 3 runs, best kept)
#
# Writes to bench/out/: zeros.gz, 1 GiB of zeros in 1 MB of gzip (16
# members of 64 MiB: the first 128 KiB rule every format out, so cprof
# refuses it before inflating the rest, with the message pprof gives after
# inflating it all); newlines.gz, 1.5 GiB of newlines (text whose head rules
# nothing out: cprof inflates up to -max_input_size, 1 GiB, and stops);
# string.gz, a profile.proto whose first string claims 4 GiB. Then times
# cprof on each (report mode, and the commands that read such input) and
# go tool pprof -top on those it can finish, and prints a markdown table
# of wall and CPU seconds, peak RSS and the first line of the error.
# CPROF (default build/cprof), PPROF (default: the pprof in go env
# GOTOOLDIR). Needs /usr/bin/time and gzip.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
runs=3
[ "${1:-}" = -runs ] && runs=$2
cprof=${CPROF:-$repo/build/cprof}
pprof=${PPROF:-$(go env GOTOOLDIR 2>/dev/null)/pprof}
out=$repo/bench/out
mkdir -p "$out"
[ -x /usr/bin/time ] || { echo "hostile.sh: /usr/bin/time not installed" >&2; exit 1; }

if [ ! -s "$out/zeros.gz" ]; then
	head -c $((64 << 20)) /dev/zero | gzip -9 >"$out/m.gz"
	for _ in $(seq 16); do cat "$out/m.gz"; done >"$out/zeros.gz"
	head -c $((64 << 20)) /dev/zero | tr '\0' '\n' | gzip -9 >"$out/m.gz"
	for _ in $(seq 24); do cat "$out/m.gz"; done >"$out/newlines.gz"
	{ printf '\x32\xff\xff\xff\xff\x0f'; head -c $((256 << 20)) /dev/zero; } | gzip -9 >"$out/string.gz"
	rm -f "$out/m.gz"
fi

# best of N: "wall cpu rss_mb" and the last stderr line of the last run
measure() {
	local bw="" bc="" br="" s e w c r
	for _ in $(seq "$runs"); do
		s=$(date +%s.%N)
		read -r c r < <(/usr/bin/time -f '%U %S %M' -o "$out/time.txt" "$@" >/dev/null 2>"$out/err.txt";
			tail -1 "$out/time.txt" | awk '{ printf "%.2f %.0f", $1 + $2, $3 / 1024 }')
		e=$(date +%s.%N)
		w=$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f", e - s }')
		bw=$(awk -v b="$bw" -v t="$w" 'BEGIN { print (b == "" || t < b) ? t : b }')
		bc=$(awk -v b="$bc" -v t="$c" 'BEGIN { print (b == "" || t < b) ? t : b }')
		br=$(awk -v b="$br" -v t="$r" 'BEGIN { print (b == "" || t > b) ? t : b }')
	done
	echo "$bw $bc $br"
}
row() {
	local label=$1 input=$2 w c r msg
	shift 2
	read -r w c r <<<"$(measure "$@")"
	msg=$(grep -v '^failed to fetch' "$out/err.txt" | tail -1 | sed "s|^.*$out/[^:]*: ||; s/|/\\\\|/g" | cut -c1-90)
	printf '| %s | %s | %s | %s | %s | %s |\n' "$label" "$input" "$w" "$c" "$r" "$msg"
}
z=$(($(wc -c <"$out/zeros.gz") / 1000)) n=$(($(wc -c <"$out/newlines.gz") / 1000)) t=$(($(wc -c <"$out/string.gz") / 1000))
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
printf '| command | input | wall s | CPU s | peak RSS MB | error |\n| --- | --- | ---: | ---: | ---: | --- |\n'
row '`cprof -top`' "1 GiB of zeros, $z KB gzip" "$cprof" -top "$out/zeros.gz"
row '`cprof gctrace`' "same" "$cprof" gctrace "$out/zeros.gz"
row '`cprof memstats`' "same" "$cprof" memstats "$out/zeros.gz"
if [ -x "$pprof" ]; then
	row '`go tool pprof -top`' "same" "$pprof" -top "$out/zeros.gz"
fi
row '`cprof -top`' "1.5 GiB of newlines, $n KB gzip" "$cprof" -top "$out/newlines.gz"
if [ -x "$pprof" ]; then
	row '`go tool pprof -top`' "same" "$pprof" -top "$out/newlines.gz"
fi
row '`cprof -top`' "a 4 GiB first string, $t KB gzip" "$cprof" -top "$out/string.gz"
if [ -x "$pprof" ]; then
	row '`go tool pprof -top`' "same" "$pprof" -top "$out/string.gz"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
