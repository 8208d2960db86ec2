#!/usr/bin/env bash
# run_aft.sh NAME - one case of tests/allocfreetrace/cases.txt:
# `cprof allocfreetrace` and allocation traces read as profiles.
#
# cases.txt: NAME<TAB>KIND<TAB>ARGS..., run from the repository root; @TMP@
# in ARGS is a scratch directory holding the hand-made bad inputs below,
# @AFT@ the directory of the logs gen.sh recorded (the live-* kinds need
# them and exit 77 when they are absent: no Go).
#
#   live-figures          every figure of the four sites of testdata/gen/allocfreetrace
#                         against what the program did by construction (its flags in
#                         @AFT@/flags), the GC count against the runtime's own NumGC
#   live-filters          -focus and -ignore take exactly those sites' allocations out
#   live-profile          the log as a profile: -top names the leaking site first by
#                         inuse_space and the churning one by alloc_space; counts, the
#                         type label, -tagfocus, -base and cprof diff against a run
#                         with a smaller leak
#   live-same             the same JSON from standard input, gzip, two halves, and the
#                         log with a log shipper's prefix on every line
#   golden CMD ARGS...    stdout of `cprof CMD ARGS` = expected/NAME.out (JSON is
#                         validated too); UPDATE=1 rewrites expected/NAME.out
#   fail CODE SUBJECT CMD ARGS...   exit status CODE, nothing on stdout, one line
#                         "cprof: error: SUBJECT: ..." (SUBJECT -: any "cprof: error:" message)
#   grep RE CMD ARGS...   cprof exits 0 and its output matches the regexp RE
#   notclaimed FILE...    the registry does not take FILE for an allocation trace
#   cuts FILE             FILE cut at 12 points and with bytes flipped: each run of the
#                         command and of -top exits 0 or 2, with at most one error line
set -u
set -f
name=$1
here=$(cd "$(dirname "$0")" && pwd)
cprof=${CPROF:?CPROF must name the cprof binary}
export LC_ALL=C TZ=UTC
line=$(awk -F'\t' -v n="$name" '$1 == n { print; exit }' "$here/cases.txt")
[ -n "$line" ] || { echo "no such case: $name"; exit 2; }
IFS=$'\t' read -r _ kind args <<<"$line"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
aft=${AFT_DIR:-}
args=${args//@TMP@/$tmp}
args=${args//@AFT@/$aft}
read -r -a argv <<<"$args"
jsonflat=$here/../runtime/jsonflat.awk

fail() { echo "FAIL $name: $*"; exit 1; }

# ---- hand-made bad inputs ------------------------------------------------------
rec() { # rec ADDR SIZE [TYPE]: one allocation record of three frames
	printf 'tracealloc(%s, %s%s)\ngoroutine 1 [running]:\n' "$1" "$2" "${3:+, $3}"
	printf 'runtime.mallocgc(0x10, 0x0, 0x0)\n\truntime/malloc.go:1131 +0x7b1 fp=0xc000 sp=0xc000 pc=0x40bc91\n'
	printf 'main.f()\n\t/src/main.go:10 +0x25 fp=0xc000 sp=0xc000 pc=0x481485\n'
	printf 'main.main()\n\t/src/main.go:20 +0x25 fp=0xc000 sp=0xc000 pc=0x481485\n\n'
}
{ rec 0xc000010000 0x30 main.T; rec 0xc000010040 0x1000000000001 main.T; } >"$tmp/huge.log"
rec 0xc0000100000000000 0x30 >"$tmp/wide.log"
rec 0x0 0x30 >"$tmp/zero.log"
rec 0xc000010000 0x0 >"$tmp/zerosize.log"
{
	printf 'tracealloc(0xc000010000, 0x30)\ngoroutine 1 [running]:\n'
	awk 'BEGIN { for (i = 0; i < 5000; i++) printf "main.f%d(0x1)\n\t/src/main.go:%d +0x25\n", i, i }'
} >"$tmp/deep.log"
{
	printf 'tracealloc(0xc000010000, 0x30)\ngoroutine 1 [running]:\n'
	awk 'BEGIN { s = "main."; for (i = 0; i < 70000; i++) s = s "x"; print s "(0x1)"; print "\t/src/main.go:1 +0x1" }'
} >"$tmp/longname.log"
{
	printf 'tracealloc(0xc000010000, 0x30, '
	awk 'BEGIN { for (i = 0; i < 70000; i++) printf "T"; print ")" }'
	printf 'goroutine 1 [running]:\n\n'
} >"$tmp/longtype.log"
: >"$tmp/empty.log"
mkdir "$tmp/dir"
printf '\x1f\x8b\x08\x00garbage\x00\xff\xfe binary \x00\x01\x02 tracealloc(\n\x80\x81' >"$tmp/garbage.bin"
[ -f testdata/allocfreetrace/small.log.gz ] && head -c 6000 testdata/allocfreetrace/small.log.gz >"$tmp/trunc.log.gz"
printf 'gc 1 @0.018s 3%%: 0.011+0.19+0.63 ms clock, 0.023+0/0.040/0.10+1.2 ms cpu, 4->4->0 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P\n' >"$tmp/gc.log"
# prose quoting a record line, without the goroutine line that follows one in a log
printf 'The runtime prints lines such as\ntracealloc(0xc000010000, 0x30, main.T)\nfor every allocation.\n' >"$tmp/prose.txt"
# ... and the same with its goroutine line, which is a log (the positive control)
printf 'Our log said:\ntracealloc(0xc000010000, 0x30, main.T)\ngoroutine 1 [running]:\nmain.f()\n\t/src/main.go:3 +0x1\n\nand nothing more.\n' >"$tmp/quoted.log"

need_live() {
	[ -n "$aft" ] && [ -f "$aft/trace.log" ] && [ -f "$aft/flags" ] ||
		{ echo "skip: no recorded logs in '${aft:-}' (tests/allocfreetrace/gen.sh needs Go)"; exit 77; }
	# shellcheck disable=SC1091
	. "$aft/flags"
}

# flat JSON of `cprof allocfreetrace -json ARGS` into $tmp/flat
flat() {
	"$cprof" allocfreetrace -json "$@" >"$tmp/out.json" 2>"$tmp/err" || fail "cprof exited $?: $(cat "$tmp/err")"
	awk -f "$jsonflat" "$tmp/out.json" >"$tmp/flat" || fail "invalid JSON"
}
# get PATH: the value at PATH in $tmp/flat
get() { awk -v p="$1" '$1 == p { sub(/^[^ ]+ ?/, ""); print; found = 1; exit } END { exit !found }' "$tmp/flat"; }
# site FUNCTION: the index of the site row of FUNCTION
site() { awk -v f="$1" '$1 ~ /^sites\.[0-9]+\.function$/ && $2 == f { split($1, a, "."); print a[2]; exit }' "$tmp/flat"; }
checks=0
want() { # want LABEL GOT EXPECTED
	checks=$((checks + 1))
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}
want_site() { # want_site FUNCTION FIELD VALUE...
	local f=$1 i
	i=$(site "$f")
	[ -n "$i" ] || fail "no site row for $f"
	shift
	while [ $# -gt 0 ]; do
		want "$f $1" "$(get "sites.$i.$1")" "$2"
		shift 2
	done
}
numgc() { awk '$1 == "numgc" { print $2 }' "$aft/$1.numgc"; }
# the first row of a -top table
top1() { awk 'f { print; exit } /^ +flat +flat%/ { f = 1 }' "$tmp/top"; }
# the flat value of FUNCTION's row in a -top table
flatof() { awk -v f="$1" '/^ +flat +flat%/ { t = 1; next } t && $NF == f { print $1; exit }' "$tmp/top"; }
run_top() {
	"$cprof" "$@" >"$tmp/top" 2>"$tmp/err" || fail "cprof $* exited $?: $(cat "$tmp/err")"
}

case $kind in
live-figures)
	need_live
	R=$rounds L=$leak C=$churn M=$mid S=$str
	flat "$aft/trace.log"
	want gcs "$(get gcs)" "$(numgc trace)"
	# gctrace=1 prints one line per GC, wherever it falls (between records, inside one, in the middle of a line)
	want "gctrace lines" "$(get log.gctrace_lines)" "$(numgc trace)"
	want_site main.leakSite type main.leakObj allocs $((R * L)) alloc_bytes $((R * L * 64)) frees 0 \
		live $((R * L)) live_bytes $((R * L * 64)) retained $(((R - 1) * L)) retained_bytes $(((R - 1) * L * 64)) \
		short_lived 0
	i=$(site main.leakSite)
	want "leakSite cycles" $(($(get "sites.$i.retained_last_gc") - $(get "sites.$i.retained_first_gc"))) $((R - 2))
	want "first leak candidate" "$(get leak_candidates.0)" "$i"
	# the runtime may keep some of its own objects (goroutine structs) over several cycles, but
	# none of the other three sites is a candidate
	for f in main.churnSite main.midSite main.strSite; do
		k=$(site $f)
		grep -q "^leak_candidates\.[0-9]* $k\$" "$tmp/flat" && fail "$f is a leak candidate"
	done
	want_site main.churnSite type uint8 allocs $((R * C)) alloc_bytes $((R * C * 256)) frees $((R * C)) \
		short_lived $((R * C)) short_lived_bytes $((R * C * 256)) live 0 retained 0 mean_lifetime 1
	want_site main.midSite type main.midObj allocs $((R * M)) alloc_bytes $((R * M * 96)) frees $(((R - 2) * M)) \
		live $((2 * M)) retained $M short_lived 0 mean_lifetime 3
	want_site main.strSite type "" allocs $((R * S)) alloc_bytes $((R * S * 48)) frees $((R * S)) \
		short_lived $((R * S)) live 0 mean_lifetime 1
	# the four sites alone: the totals, lifetimes and sizes are exactly theirs
	flat -focus='^main\.(leak|churn|mid|str)Site$' "$aft/trace.log"
	want allocs "$(get totals.allocs)" $((R * (L + C + M + S)))
	want alloc_bytes "$(get totals.alloc_bytes)" $((R * (L * 64 + C * 256 + M * 96 + S * 48)))
	want frees "$(get totals.frees)" $((R * (C + S) + (R - 2) * M))
	want live "$(get totals.live)" $((R * L + 2 * M))
	want retained "$(get totals.retained)" $(((R - 1) * L + M))
	want young "$(get totals.young)" $((L + M))
	want short_lived "$(get totals.short_lived)" $((R * (C + S)))
	want untyped "$(get totals.untyped)" $((R * S))
	want "lifetime 1" "$(get lifetimes.0.min)/$(get lifetimes.0.objects)" "1/$((R * (C + S)))"
	want "lifetime 3-4" "$(get lifetimes.1.min)-$(get lifetimes.1.max)/$(get lifetimes.1.objects)" "3-4/$(((R - 2) * M))"
	get lifetimes.2.objects >/dev/null && fail "a third lifetime bin"
	want "size 33-64" "$(get sizes.0.min)-$(get sizes.0.max)/$(get sizes.0.objects)" "33-64/$((R * (L + S)))"
	want "size 65-128" "$(get sizes.1.min)-$(get sizes.1.max)/$(get sizes.1.objects)" "65-128/$((R * M))"
	want "size 129-256" "$(get sizes.2.min)-$(get sizes.2.max)/$(get sizes.2.objects)" "129-256/$((R * C))"
	echo "ok $name: $checks figures as constructed"
	;;
live-filters)
	need_live
	R=$rounds L=$leak C=$churn
	flat -ignore='main\.churnSite' "$aft/trace.log"
	[ -z "$(site main.churnSite)" ] || fail "-ignore kept main.churnSite"
	want "filtered by -ignore" "$(get totals.filtered)" $((R * C))
	want "filtered bytes" "$(get totals.filtered_bytes)" $((R * C * 256))
	flat -focus='leakSite' "$aft/trace.log"
	want "-focus allocs" "$(get totals.allocs)" $((R * L))
	want "-focus sites" "$(get sites.0.function)" main.leakSite
	get sites.1.function >/dev/null && fail "-focus kept another site"
	flat -focus='leakSite' -ignore='leakSite' "$aft/trace.log"
	want "-focus and -ignore" "$(get totals.allocs)" 0
	echo "ok $name: $checks figures"
	;;
live-profile)
	need_live
	R=$rounds L=$leak M=$mid
	run_top -top -sample_index=inuse_space "$aft/trace.log"
	want "inuse_space first row" "$(top1 | awk '{ print $NF }')" main.leakSite
	run_top -top -sample_index=alloc_space "$aft/trace.log"
	want "alloc_space first row" "$(top1 | awk '{ print $NF }')" main.churnSite
	run_top -top -sample_index=inuse_objects "$aft/trace.log"
	want "inuse_objects of leakSite" "$(flatof main.leakSite)" $((R * L))
	want "inuse_objects of midSite" "$(flatof main.midSite)" $((2 * M))
	run_top -top -sample_index=alloc_objects -tagfocus=type=main.midObj "$aft/trace.log"
	want "-tagfocus=type" "$(top1 | awk '{ print $1 " " $NF }')" "$((R * M)) main.midSite"
	run_top -traces -focus='main\.leakSite' "$aft/trace.log"
	grep -q '^ *type: *main\.leakObj$' "$tmp/top" || fail "-traces: no type label main.leakObj"
	grep -q '^ *bytes: *64B$' "$tmp/top" || fail "-traces: no bytes label 64B"
	run_top -top -sample_index=inuse_objects -base="$aft/base.log" "$aft/trace.log"
	want "-base: leakSite" "$(flatof main.leakSite)" $((R * (L - base_leak)))
	"$cprof" diff -sample_index=inuse_space "$aft/base.log" "$aft/trace.log" >"$tmp/diff" 2>"$tmp/err"
	rc=$?
	want "cprof diff exit status" "$rc" 1
	grep -q 'main\.leakSite' "$tmp/diff" || fail "cprof diff does not name main.leakSite: $(head -20 "$tmp/diff")"
	"$cprof" diff -sample_index=inuse_space "$aft/trace.log" "$aft/trace.log" >/dev/null 2>&1
	want "cprof diff against itself" $? 0
	echo "ok $name: $checks checks"
	;;
live-same)
	need_live
	f=$aft/trace.log
	"$cprof" allocfreetrace -json "$f" >"$tmp/a" || fail "cprof failed on $f"
	"$cprof" allocfreetrace -json - <"$f" >"$tmp/b" || fail "cprof failed on stdin"
	cmp -s "$tmp/a" "$tmp/b" || fail "stdin gives other figures"
	gzip -c "$f" >"$tmp/c.log.gz"
	"$cprof" allocfreetrace -json "$tmp/c.log.gz" >"$tmp/c" || fail "cprof failed on gzip"
	cmp -s "$tmp/a" "$tmp/c" || fail "gzip gives other figures"
	lines=$(wc -l <"$f")
	head -n $((lines / 2)) "$f" >"$tmp/half1"
	tail -n +$((lines / 2 + 1)) "$f" >"$tmp/half2"
	"$cprof" allocfreetrace -json "$tmp/half1" "$tmp/half2" >"$tmp/d" || fail "cprof failed on two halves"
	cmp -s "$tmp/a" "$tmp/d" || fail "two halves give other figures"
	# a log shipper's prefix, the same width on every line
	sed 's/^/2024-05-01T10:00:00.000Z host app[4242]: /' "$f" >"$tmp/prefixed.log"
	"$cprof" allocfreetrace -json "$tmp/prefixed.log" >"$tmp/e" || fail "cprof failed on the prefixed log"
	tail -n +2 "$tmp/a" >"$tmp/a2"
	tail -n +2 "$tmp/e" >"$tmp/e2"
	cmp -s "$tmp/a2" "$tmp/e2" || { diff "$tmp/a2" "$tmp/e2" | head -10; fail "the prefixed log gives other figures"; }
	# and as profiles
	"$cprof" -raw "$f" >"$tmp/p1" && "$cprof" -raw "$tmp/prefixed.log" >"$tmp/p2" && "$cprof" -raw "$tmp/c.log.gz" >"$tmp/p3" ||
		fail "report mode failed"
	cmp -s "$tmp/p1" "$tmp/p2" || fail "the prefixed log gives another profile"
	cmp -s "$tmp/p1" "$tmp/p3" || fail "the gzip log gives another profile"
	echo "ok $name"
	;;
golden)
	expected=$here/expected/$name.out
	"$cprof" "${argv[@]}" >"$tmp/out" 2>"$tmp/err" || fail "cprof exited $?: $(cat "$tmp/err")"
	case " ${argv[*]} " in
	*" -json "*) awk -f "$jsonflat" "$tmp/out" >/dev/null || fail "invalid JSON" ;;
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
fail)
	code=${argv[0]} subject=${argv[1]}
	timeout 60 "$cprof" "${argv[@]:2}" >"$tmp/out" 2>"$tmp/err"
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
grep)
	re=${argv[0]}
	"$cprof" "${argv[@]:1}" >"$tmp/out" 2>&1 || fail "cprof exited $?: $(cat "$tmp/out")"
	grep -qE -- "$re" "$tmp/out" || fail "output does not match '$re': $(head -20 "$tmp/out")"
	echo "ok $name"
	;;
notclaimed)
	for f in "${argv[@]}"; do
		[ -e "$f" ] || fail "missing input $f"
		"$cprof" -raw "$f" >"$tmp/out" 2>&1
		if grep -q '^allocfreetrace: \|allocation trace' "$tmp/out"; then
			fail "$f was read as an allocation trace: $(head -5 "$tmp/out")"
		fi
	done
	echo "ok $name: ${#argv[@]} inputs left to the other parsers"
	;;
cuts)
	f=${argv[0]}
	case $f in *.gz) gzip -dc "$f" >"$tmp/plain" ;; *) cp "$f" "$tmp/plain" ;; esac
	size=$(wc -c <"$tmp/plain")
	n=0
	for k in $(seq 1 12); do
		cut=$((size * k / 13))
		head -c $cut "$tmp/plain" >"$tmp/cut"
		# and a copy with 8 bytes flipped around the cut
		awk -v c=$cut 'BEGIN { RS = "\001"; ORS = "" } { s = $0; for (i = 0; i < 8; i++) { p = (c * (i + 3)) % length(s) + 1; s = substr(s, 1, p - 1) "\001" substr(s, p + 1) } print s }' \
			"$tmp/plain" >"$tmp/flip"
		for input in "$tmp/cut" "$tmp/flip"; do
			for cmd in "allocfreetrace" "allocfreetrace -json" "-top" "-traces"; do
				# shellcheck disable=SC2086
				timeout 60 "$cprof" $cmd "$input" >/dev/null 2>"$tmp/err"
				rc=$?
				[ $rc -eq 0 ] || [ $rc -eq 2 ] || fail "cprof $cmd on $input (cut $cut) exited $rc: $(head -3 "$tmp/err")"
				[ "$(wc -l <"$tmp/err")" -le 1 ] || fail "cprof $cmd (cut $cut): more than one error line: $(cat "$tmp/err")"
				n=$((n + 1))
			done
		done
	done
	echo "ok $name: $n runs"
	;;
*)
	fail "unknown kind $kind"
	;;
esac
