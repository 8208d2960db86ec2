#!/usr/bin/env bash
# run_overflow_diff.sh NAME - one case of tests/diff/overflow_cases.txt, on
# profiles whose values sum past the ends of int64, made once per build by
# $GENOVERFLOW (tests/tools/genoverflow.c) into $OVERFLOW_DIR. @P@, @B@ and
# @H@ in the case become the CPU profile, its base and the heap profile.
#
# Go wraps int64 sums, products and negations (and INT64_MIN / -1 is
# INT64_MIN); cprof must print what go tool pprof prints, without the
# undefined behaviour of C's signed overflow: every cprof run fails the
# case when its standard error has a sanitizer report (the ASan+UBSan
# build aborts on one anyway). How a case is checked depends on its name
# (see the case file). Exit 77 (skipped) when the generator, or Go for a
# comparison, is absent.
set -u
set -f
name=${1:?usage: run_overflow_diff.sh NAME}
src=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
cprof=${CPROF:?CPROF must name the cprof binary}
gen=${GENOVERFLOW:-}
dir=${OVERFLOW_DIR:?OVERFLOW_DIR must name a directory for the generated profiles}
[ -n "$gen" ] && [ -x "$gen" ] || { echo "skipped: no generator ($gen)"; exit 77; }

line=$(awk -F'\t' -v n="$name" '$1 == n { print $2; exit }' "$src/tests/diff/overflow_cases.txt")
[ -n "$line" ] || { echo "FAIL $name: no such case"; exit 1; }
case $name in
self_*) ;;
*)
	command -v go >/dev/null 2>&1 || { echo "skipped: go not found (Debian package golang-go)"; [ "${CPROF_TEST_STRICT:-0}" = 1 ] && exit 1; exit 77; }
	pprof="$(go env GOTOOLDIR)/pprof"
	[ -x "$pprof" ] || { echo "FAIL $name: no pprof in $(go env GOTOOLDIR)"; exit 1; }
	;;
esac

mkdir -p "$dir"
for kind in cpu base heap; do
	f=$dir/$kind.pb
	if [ ! -s "$f" ]; then
		# ctest may run several cases at once: write aside, then rename
		"$gen" "$kind" "$f.$$" && mv -f "$f.$$" "$f" || { rm -f "$f.$$"; echo "FAIL $name: genoverflow $kind"; exit 1; }
	fi
done
line=${line//@P@/$dir/cpu.pb}
line=${line//@B@/$dir/base.pb}
line=${line//@H@/$dir/heap.pb}
read -r -a args <<<"$line"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cprof-overflow.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home" "$tmp/pprof"
export LC_ALL=C TZ=UTC HOME=$tmp/home PPROF_TMPDIR=$tmp/pprof
unset PPROF_BINARY_PATH PPROF_TOOLS PPROF_OBJTOOL
status=0
rc=0
fail() {
	echo "FAIL $name: $*"
	status=1
}

# cp_run OUT ARGS...: cprof ARGS, stdout to OUT, stderr to OUT.err, exit
# status in rc; a sanitizer report fails the case
cp_run() {
	local out=$1
	shift
	timeout 60 "$cprof" "$@" <"/dev/null" >"$out" 2>"$out.err"
	rc=$?
	if grep -q 'runtime error\|Sanitizer' "$out.err"; then
		fail "sanitizer report from cprof $*"
		sed -n '1,10p' "$out.err"
	fi
}
# pp_run OUT ARGS...: the same for go tool pprof
pp_run() {
	local out=$1
	shift
	timeout 120 "$pprof" "$@" <"/dev/null" >"$out" 2>"$out.err"
	rc=$?
}
same() { # same A B WHAT: compare two outputs
	if ! cmp -s "$1" "$2"; then
		fail "$3 differs"
		diff -u "$1" "$2" | head -40
	fi
}

case $name in
rt_*)
	# the written profile, as the reference tool reads it back
	cp_run "$tmp/c.stdout" -output="$tmp/c.pb.gz" "${args[@]}"
	[ "$rc" = 0 ] || fail "cprof exit status $rc"
	pp_run "$tmp/g.stdout" -output="$tmp/g.pb.gz" "${args[@]}"
	[ "$rc" = 0 ] || fail "pprof exit status $rc"
	pp_run "$tmp/g.raw" -raw "$tmp/g.pb.gz"
	pp_run "$tmp/cg.raw" -raw "$tmp/c.pb.gz"
	[ -s "$tmp/g.raw" ] || fail "pprof -raw of its own output is empty"
	same "$tmp/g.raw" "$tmp/cg.raw" "go tool pprof -raw of the written profile"
	cp_run "$tmp/cc.raw" -raw "$tmp/c.pb.gz"
	[ "$rc" = 0 ] || fail "cprof -raw exit status $rc"
	same "$tmp/g.raw" "$tmp/cc.raw" "cprof -raw of the written profile"
	;;
self_*)
	cp_run "$tmp/c.out" "${args[@]}"
	[ "$rc" = 0 ] || { fail "cprof exit status $rc"; sed -n '1,5p' "$tmp/c.out.err"; }
	[ -s "$tmp/c.out" ] || fail "no output"
	;;
*)
	cp_run "$tmp/c.out" "${args[@]}"
	crc=$rc
	pp_run "$tmp/g.out" "${args[@]}"
	[ "$crc" = 0 ] && [ "$rc" = 0 ] || fail "exit statuses: cprof $crc, pprof $rc"
	[ -s "$tmp/g.out" ] || fail "pprof printed nothing"
	same "$tmp/g.out" "$tmp/c.out" "standard output"
	;;
esac
[ $status = 0 ] && echo "ok $name"
exit $status
