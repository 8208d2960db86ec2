#!/usr/bin/env bash
# run_runtime.sh NAME - one case of tests/runtime/cases.txt for
# `cprof gctrace` and `cprof schedtrace`. Needs bash, awk, gzip, cmp: no
# Python, no Go.
#
# cases.txt: NAME<TAB>KIND<TAB>ARGS..., run from the repository root; @TMP@
# in ARGS is a scratch directory holding empty.log, garbage.bin (bad
# gzip), binary.bin (binary, not gzip),
# trunc.log.gz (gc_long.log.gz cut short) and a directory dir/.
#
#   expect-gc FILE...       cprof gctrace -json FILE... against the figures
#                           tests/runtime/expect_gctrace.awk computes from
#                           the same logs (-v mmu=1 when KIND is expect-gc-mmu)
#   expect-sched FILE...    the same for schedtrace (expect_schedtrace.awk)
#   golden CMD ARGS...      stdout of `cprof CMD ARGS` = expected/NAME.out
#                           (JSON output is also validated, SVG checked);
#                           UPDATE=1 rewrites expected/NAME.out
#   svg CMD ARGS...         the output is a well-formed, self-contained SVG
#   samejson CMD FILE       -json of FILE equals -json of FILE given on
#                           stdin, gzip-compressed, and split in two files
#   fail CODE SUBJECT CMD ARGS...   exit status CODE, nothing on stdout, one
#                           line "cprof: error: SUBJECT: ..." (any line when
#                           SUBJECT is -)
#   exit CODE CMD ARGS...   exit status CODE (the -max_regression gate)
#   outfile CMD ARGS...     `cprof CMD -output=FILE ARGS` writes to FILE what
#                           `cprof CMD ARGS` writes to stdout, and nothing
#                           to stdout; an existing FILE is replaced
set -f
name=$1
. "$(dirname "$0")/../lib.sh"
need_cprof
line=$(awk -F'\t' -v n="$name" '$1 == n { print; exit }' "$here/cases.txt")
[ -n "$line" ] || { echo "no such case: $name"; exit 2; }
IFS=$'\t' read -r _ kind args <<<"$line"

make_tmp runtime
args=${args//@TMP@/$tmp}
read -r -a argv <<<"$args"

# the scratch inputs
: >"$tmp/empty.log"
printf '\x1f\x8b\x08\x00garbage\x00\xff\xfe binary \x00\x01\x02 gc 1 @\n\x80\x81' >"$tmp/garbage.bin"
printf 'ELF\x00\x01\x02\x03 not a log \xff\xfe\x00 SCHED x gc' >"$tmp/binary.bin"
mkdir "$tmp/dir"
head -c 10000 testdata/runtime/gc_long.log.gz >"$tmp/trunc.log.gz"

# cat a list of logs, inflating .gz ones
cat_logs() {
	local f
	for f in "$@"; do
		case $f in *.gz) gzip -dc "$f" ;; *) cat "$f" ;; esac
	done
}

case $kind in
expect-gc | expect-gc-mmu | expect-sched)
	cmd=gctrace script=expect_gctrace.awk mmu=0
	[ "$kind" = expect-gc-mmu ] && mmu=1
	[ "$kind" = expect-sched ] && cmd=schedtrace script=expect_schedtrace.awk
	"$cprof" "$cmd" -json "${argv[@]}" >"$tmp/out.json" 2>"$tmp/err" || fail "cprof exited $?: $(cat "$tmp/err")"
	awk -f "$here/jsonflat.awk" "$tmp/out.json" >"$tmp/got" || fail "invalid JSON"
	cat_logs "${argv[@]}" | awk -v mmu=$mmu -f "$here/$script" >"$tmp/want" || fail "$script failed"
	if awk -f "$here/compare.awk" "$tmp/want" "$tmp/got" >"$tmp/cmp"; then
		echo "ok $name: $(tail -1 "$tmp/cmp")"
		exit 0
	fi
	cat "$tmp/cmp"
	fail "figures differ"
	;;
golden)
	expected=$here/expected/$name.out
	"$cprof" "${argv[@]}" >"$tmp/out" 2>"$tmp/err" || fail "cprof exited $?: $(cat "$tmp/err")"
	case " ${argv[*]} " in
	*" -json "*) awk -f "$here/jsonflat.awk" "$tmp/out" >/dev/null || fail "invalid JSON" ;;
	*" -svg "*) awk -f "$here/svgcheck.awk" "$tmp/out" || fail "bad SVG" ;;
	esac
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$tmp/out" "$expected"
		echo "updated $expected"
	fi
	[ -f "$expected" ] || fail "missing $expected (UPDATE=1 writes it)"
	cmp -s "$tmp/out" "$expected" && { echo "ok $name"; exit 0; }
	diff -u "$expected" "$tmp/out" | head -40
	fail "output differs from $expected"
	;;
svg)
	"$cprof" "${argv[@]}" >"$tmp/out.svg" 2>"$tmp/err" || fail "cprof exited $?: $(cat "$tmp/err")"
	awk -f "$here/svgcheck.awk" "$tmp/out.svg" || fail "bad SVG"
	size=$(wc -c <"$tmp/out.svg")
	[ "$size" -lt 400000 ] || fail "SVG of $size bytes"
	grep -q '<polyline' "$tmp/out.svg" || fail "no data drawn"
	echo "ok $name ($size bytes)"
	;;
samejson)
	cmd=${argv[0]} f=${argv[1]}
	"$cprof" "$cmd" -json "$f" >"$tmp/a" || fail "cprof failed on $f"
	cat_logs "$f" >"$tmp/plain.log"
	"$cprof" "$cmd" -json - <"$tmp/plain.log" >"$tmp/b" || fail "cprof failed on stdin"
	cmp -s "$tmp/a" "$tmp/b" || fail "stdin gives other figures"
	gzip -c "$tmp/plain.log" >"$tmp/c.log.gz"
	"$cprof" "$cmd" -json "$tmp/c.log.gz" >"$tmp/c" || fail "cprof failed on gzip"
	cmp -s "$tmp/a" "$tmp/c" || fail "gzip gives other figures"
	# two files, split between lines, read as one log
	lines=$(wc -l <"$tmp/plain.log")
	head -n $((lines / 2)) "$tmp/plain.log" >"$tmp/half1"
	tail -n +$((lines / 2 + 1)) "$tmp/plain.log" >"$tmp/half2"
	"$cprof" "$cmd" -json "$tmp/half1" "$tmp/half2" >"$tmp/d" || fail "cprof failed on two halves"
	cmp -s "$tmp/a" "$tmp/d" || fail "two halves give other figures"
	# split in the middle of a line: one record is lost, nothing fails
	total=$(wc -c <"$tmp/plain.log")
	head -c $((total / 3)) "$tmp/plain.log" >"$tmp/part1"
	tail -c +$((total / 3 + 1)) "$tmp/plain.log" >"$tmp/part2"
	"$cprof" "$cmd" -json "$tmp/part1" "$tmp/part2" >/dev/null || fail "cprof failed on a mid-line split"
	echo "ok $name"
	;;
fail)
	code=${argv[0]} subject=${argv[1]}
	"$cprof" "${argv[@]:2}" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq "$code" ] || fail "exit status $rc, want $code: $(cat "$tmp/err")"
	[ ! -s "$tmp/out" ] || fail "stdout not empty: $(head -c 200 "$tmp/out")"
	grep -q "^cprof: error: " "$tmp/err" || fail "bad message: $(cat "$tmp/err")"
	if [ "$subject" != - ]; then
		[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "want one stderr line, got: $(cat "$tmp/err")"
		grep -qF "cprof: error: $subject: " "$tmp/err" || fail "message does not name $subject: $(cat "$tmp/err")"
	fi
	echo "ok $name: $(head -1 "$tmp/err")"
	;;
exit)
	code=${argv[0]}
	"$cprof" "${argv[@]:1}" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq "$code" ] || fail "exit status $rc, want $code: $(cat "$tmp/err")"
	echo "ok $name (exit $rc) $(head -1 "$tmp/err")"
	;;
outfile)
	cmd=${argv[0]}
	"$cprof" "${argv[@]}" >"$tmp/want" 2>"$tmp/err" || fail "cprof exited $?: $(cat "$tmp/err")"
	echo stale >"$tmp/o.out"
	"$cprof" "$cmd" -output="$tmp/o.out" "${argv[@]:1}" >"$tmp/stdout" 2>"$tmp/err" ||
		fail "cprof -output exited $?: $(cat "$tmp/err")"
	[ ! -s "$tmp/stdout" ] || fail "stdout not empty with -output"
	cmp -s "$tmp/want" "$tmp/o.out" || fail "-output file differs from stdout"
	ls "$tmp"/o.out.* >/dev/null 2>&1 && fail "temporary file left behind"
	echo "ok $name ($(wc -c <"$tmp/o.out") bytes)"
	;;
*)
	fail "unknown kind $kind"
	;;
esac
