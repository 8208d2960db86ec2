#!/usr/bin/env bash
# bench/symbolize.sh: symbolization speed, cprof against go tool pprof and
# upstream pprof (llvm-symbolizer), on profiles with 100,000 distinct
# addresses of two large binaries:
#
#   go    the `go` command itself, built from $(go env GOROOT)/src/cmd/go
#         (15 MB, Go DWARF, non-PIE)
#   libc  /lib/x86_64-linux-gnu/libc.so.6 with its separate debug file
#         (libc6-dbg, found by build id; compressed DWARF 5)
#
# usage: bench/symbolize.sh [--runs N] [--no-upstream]
#
# environment:
#   CPROF     cprof binary (default build/cprof)
#   SYMCHECK  tests/tools/symcheck.c as built (default <cprof's dir>/tests/cprof_symcheck),
#             which symbolizes addresses read from stdin, for the second table
#   OUT       work directory (default bench/out/sym)
#
# Each command runs N times (default 3; cprof 3N times) and the best time
# counts; wall time to the millisecond, CPU time (user + system, children
# included: upstream pprof's llvm-symbolizer) to the hundredth.
# Columns: `-text PROFILE` end to end (symbolize, build the graph, print;
# "binary named": `-text BINARY PROFILE`, compared with the same for cprof),
# and the cost of symbolization alone: `-comments` minus
# `-symbolize=none -comments` (both read the profile and print only its
# comments; only the first symbolizes it).
# go tool pprof symbolizes Go binaries from .gopclntab without inline
# frames and does not find separate debug files, so it does not symbolize
# libc at all: its libc figure is the cost of a report without symbols.
# Needs go, python3, GNU time, awk; writes the table to stdout and to
# $OUT/results.md.
set -u -o pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
runs=3
upstream=1
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift ;;
	--no-upstream) upstream=0 ;;
	*) sed -n '2,31p' "$0" | sed 's/^# \{0,1\}//'; exit 64 ;;
	esac
	shift
done
cprof=${CPROF:-$repo/build/cprof}
symcheck=${SYMCHECK:-$(dirname "$cprof")/tests/cprof_symcheck}
out=${OUT:-$repo/bench/out/sym}
mkdir -p "$out"
[ -x "$cprof" ] || { echo "symbolize.sh: no cprof at $cprof (set CPROF)" >&2; exit 1; }
[ -x "$symcheck" ] || { echo "symbolize.sh: no cprof_symcheck at $symcheck (set SYMCHECK)" >&2; exit 1; }
command -v go >/dev/null || { echo "symbolize.sh: go not found" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "symbolize.sh: GNU time (/usr/bin/time) not found" >&2; exit 1; }
gopprof="$(go env GOTOOLDIR)/pprof"

if [ ! -x "$out/gobin" ]; then
	echo "building the go command ..." >&2
	(cd "$(go env GOROOT)/src" && go build -o "$out/gobin" cmd/go) || exit 1
fi
[ -f "$out/go.pb.gz.addrs" ] || python3 "$repo/bench/gensymprof.py" "$out/gobin" "$out/go.pb.gz" || exit 1
libc=$(readlink -f /lib/x86_64-linux-gnu/libc.so.6)
[ -f "$out/libc.pb.gz.addrs" ] || python3 "$repo/bench/gensymprof.py" "$libc" "$out/libc.pb.gz" || exit 1
if [ $upstream = 1 ]; then
	bash "$repo/tests/diff/build_upstream_pprof.sh" "$out/upstream" || upstream=0
fi

# best OF N (3N for cprof, whose runs are short): prints "wall cpu" in
# seconds; wall from the shell's clock (milliseconds), CPU from GNU time
best() {
	local bw= bc= n=$runs t0 t1 w
	[ "$1" = "$cprof" ] && n=$((3 * runs))
	for ((i = 0; i < n; i++)); do
		t0=$EPOCHREALTIME
		/usr/bin/time -f "%U %S" -o "$out/time" "$@" >"$out/stdout" 2>/dev/null
		t1=$EPOCHREALTIME
		w=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
		read -r u s <"$out/time"
		c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
		if [ -z "$bw" ] || awk -v a="$w" -v b="$bw" 'BEGIN { exit !(a < b) }'; then bw=$w; fi
		if [ -z "$bc" ] || awk -v a="$c" -v b="$bc" 'BEGIN { exit !(a < b) }'; then bc=$c; fi
	done
	echo "$bw $bc"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'; }

{
	echo "| binary (100,000 addresses) | tool | \`-text\` wall (s) | \`-text\` CPU (s) | symbolization CPU (s) | cprof faster: \`-text\` wall / CPU / symbolization |"
	echo "|---|---|---:|---:|---:|---:|"
	for b in go libc; do
		prof=$out/$b.pb.gz
		bin=$out/gobin
		[ $b = libc ] && bin=$libc
		# name|command|binary argument ("-": the mapping's file is used)
		tools=("cprof|$cprof|-" "cprof, binary named|$cprof|$bin" "go tool pprof|$gopprof|-"
			"go tool pprof, binary named|$gopprof|$bin")
		[ $upstream = 1 ] && tools+=("upstream pprof + llvm-symbolizer|$out/upstream/pprof|-")
		cc= cs= cw= nc= ns= nw=
		for t in "${tools[@]}"; do
			IFS='|' read -r name cmd arg <<<"$t"
			args=("$prof")
			[ "$arg" = - ] || args=("$arg" "$prof")
			read -r w c < <(best "$cmd" -text "${args[@]}")
			# what symbolizing costs: -comments (read, symbolize) minus -symbolize=none -comments
			read -r _ p1 < <(best "$cmd" -comments "${args[@]}")
			read -r _ p0 < <(best "$cmd" -symbolize=none -comments "$prof")
			sym=$(awk -v a="$p1" -v b="$p0" 'BEGIN { printf "%.2f", (a > b ? a - b : 0.01) }')
			case $name in
			cprof)
				cc=$c cs=$sym cw=$w
				echo "| $b | $name | $w | $c | $sym | |"
				;;
			cprof,*)
				nc=$c ns=$sym nw=$w
				echo "| $b | $name | $w | $c | $sym | |"
				;;
			*named)
				echo "| $b | $name | $w | $c | $sym | $(ratio "$w" "$nw")x / $(ratio "$c" "$nc")x / $(ratio "$sym" "$ns")x |"
				;;
			*)
				echo "| $b | $name | $w | $c | $sym | $(ratio "$w" "$cw")x / $(ratio "$c" "$cc")x / $(ratio "$sym" "$cs")x |"
				;;
			esac
		done
	done
	echo
	echo "Symbolization CPU = CPU of \`-comments\` minus CPU of \`-symbolize=none -comments\` on the same profile."
	echo "go tool pprof finds no DWARF for libc (it does not look for separate debug files): its libc"
	echo "figures are those of leaving the addresses as they are."
	echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); best of $runs runs ($((3 * runs)) for cprof)"
	echo
	echo "The symbolizers alone, on the same 100,000 object addresses (one batch on standard input):"
	echo
	echo "| binary | symbolizer | wall (s) | CPU (s) | cprof faster (CPU) |"
	echo "|---|---|---:|---:|---:|"
	for b in go libc; do
		bin=$out/gobin
		[ $b = libc ] && bin=$libc
		addrs=$out/$b.pb.gz.addrs
		read -r w c0 < <(best sh -c "\"\$0\" \"\$1\" <\"\$2\"" "$symcheck" "$bin" "$addrs")
		echo "| $b | cprof (libelf + libdw, in process) | $w | $c0 | |"
		if command -v llvm-symbolizer >/dev/null; then
			read -r w c < <(best sh -c "llvm-symbolizer --inlining -demangle=false --obj=\"\$0\" <\"\$1\"" "$bin" "$addrs")
			echo "| $b | llvm-symbolizer --inlining | $w | $c | $(ratio "$c" "$c0")x |"
		fi
		read -r w c < <(best sh -c "addr2line -i -f -e \"\$0\" <\"\$1\"" "$bin" "$addrs")
		echo "| $b | addr2line -i -f | $w | $c | $(ratio "$c" "$c0")x |"
	done
} | tee "$out/results.md"
