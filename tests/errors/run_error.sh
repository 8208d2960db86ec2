#!/usr/bin/env bash
# run_error.sh NAME - one bad-input case (see cases.txt).
name=$1
. "$(dirname "$0")/../lib.sh"
need_cprof
good=$src/testdata/go/cpu.pb.gz
make_tmp errors

# expect_error FILE ARGS...: cprof ARGS fails cleanly, blaming FILE
expect_error() {
	local file=$1; shift
	"$cprof" "$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	[ $rc -eq 2 ] || fail "exit status $rc, want 2 (args: $*)"
	[ ! -s "$tmp/out" ] || fail "stdout not empty: $(head -c 200 "$tmp/out")"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "want one stderr line, got: $(cat "$tmp/err")"
	grep -q "^cprof: error: $file: " "$tmp/err" || fail "bad message: $(cat "$tmp/err")"
}

expect_usage() {
	"$cprof" "$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	[ $rc -eq 64 ] || fail "exit status $rc, want 64 (args: $*)"
	[ ! -s "$tmp/out" ] || fail "stdout not empty"
	grep -q "^cprof: error: " "$tmp/err" || fail "bad message: $(cat "$tmp/err")"
}

need_good() { [ -f "$good" ] || { echo "skipped: $good absent"; exit 77; }; }

case $name in
missing)
	expect_error "$tmp/nope.pb.gz" -top "$tmp/nope.pb.gz" ;;
directory)
	mkdir "$tmp/dir"; expect_error "$tmp/dir" -top "$tmp/dir" ;;
empty)
	: >"$tmp/empty"; expect_error "$tmp/empty" -top "$tmp/empty"
	grep -q "empty input file" "$tmp/err" || fail "$(cat "$tmp/err")" ;;
text_garbage)
	printf 'hello, this is not a profile\n' >"$tmp/t"; expect_error "$tmp/t" -text "$tmp/t" ;;
binary_garbage)
	head -c 4096 /dev/urandom >"$tmp/b" 2>/dev/null || dd if=/dev/urandom of="$tmp/b" bs=4096 count=1 2>/dev/null
	expect_error "$tmp/b" -text "$tmp/b" ;;
gzip_truncated)
	need_good
	size=$(wc -c <"$good")
	for cut in 1 2 10 20 100 $((size / 2)) $((size - 1)); do
		head -c "$cut" "$good" >"$tmp/g"; expect_error "$tmp/g" -top "$tmp/g"
	done ;;
gzip_garbage)
	printf '\037\213\010\000garbagegarbagegarbage' >"$tmp/g"; expect_error "$tmp/g" -top "$tmp/g" ;;
proto_truncated_many)
	need_good
	gzip -dc "$good" >"$tmp/raw"
	size=$(wc -c <"$tmp/raw")
	step=$((size / 97 + 1))
	n=0
	for ((cut = 1; cut < size; cut += step)); do
		head -c "$cut" "$tmp/raw" >"$tmp/p"
		"$cprof" -top "$tmp/p" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		# a prefix may happen to be a valid (smaller) profile; it must never crash
		[ $rc -eq 0 ] || [ $rc -eq 2 ] || fail "cut $cut: exit $rc"
		if [ $rc -eq 2 ]; then
			[ ! -s "$tmp/out" ] || fail "cut $cut: stdout not empty"
			[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "cut $cut: $(cat "$tmp/err")"
		fi
		n=$((n + 1))
	done
	echo "$n truncations" ;;
proto_bitflips)
	need_good
	gzip -dc "$good" >"$tmp/raw"
	size=$(wc -c <"$tmp/raw")
	for i in $(seq 1 60); do
		pos=$(( (i * 7919 * 31) % size ))
		cp "$tmp/raw" "$tmp/f"
		printf '\377' | dd of="$tmp/f" bs=1 seek="$pos" conv=notrunc 2>/dev/null
		"$cprof" -top "$tmp/f" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		[ $rc -eq 0 ] || [ $rc -eq 2 ] || fail "flip at $pos: exit $rc"
	done ;;
output_not_left)
	printf 'junk' >"$tmp/j"
	expect_error "$tmp/j" -proto -output="$tmp/out.pb.gz" "$tmp/j"
	[ ! -e "$tmp/out.pb.gz" ] || fail "output file left behind"
	[ -z "$(ls "$tmp" | grep '^out.pb.gz')" ] || fail "temporary file left behind" ;;
base_missing)
	need_good
	expect_error "$tmp/nobase" -top -base="$tmp/nobase" "$good" ;;
concatenated)
	need_good
	gzip -dc "$good" >"$tmp/raw"; cat "$tmp/raw" "$tmp/raw" >"$tmp/cc"
	expect_error "$tmp/cc" -top "$tmp/cc"
	grep -q "concatenated profiles detected" "$tmp/err" || fail "$(cat "$tmp/err")" ;;
legacy_truncated_many)
	# every legacy parser on prefixes of a real file: never a crash, one line on error
	n=0
	for f in go/heap.txt go/block.txt go/goroutine.txt gperf/cpu.prof gperf/heap.end.heap; do
		in=$src/testdata/$f
		[ -f "$in" ] || { echo "skipped: $in absent"; exit 77; }
		size=$(wc -c <"$in")
		for ((cut = 1; cut < size; cut += size / 41 + 1)); do
			head -c "$cut" "$in" >"$tmp/l"
			"$cprof" -top "$tmp/l" >"$tmp/out" 2>"$tmp/err"
			rc=$?
			[ $rc -eq 0 ] || [ $rc -eq 2 ] || fail "$f cut $cut: exit $rc"
			if [ $rc -eq 2 ]; then
				[ ! -s "$tmp/out" ] || fail "$f cut $cut: stdout not empty"
				[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$f cut $cut: $(cat "$tmp/err")"
			fi
			n=$((n + 1))
		done
	done
	echo "$n truncations" ;;
legacy_pprof_crasher)
	# pprof's fuzz/testdata crasher: a Java heapz sample with a zero count
	printf -- '--- heapz 1 ---\nformat = java\n0 0 @ 0\n' >"$tmp/j"
	expect_error "$tmp/j" -top "$tmp/j"
	grep -q "parsing profile: parsing sample 0 0 @ 0: second value must be non-zero" "$tmp/err" ||
		fail "$(cat "$tmp/err")" ;;
legacy_malformed)
	# Go's threadcreate profile with an empty stack, which pprof rejects too
	in=$src/testdata/go/threadcreate.txt
	expect_error "$in" -top "$in"
	grep -q "parsing profile: malformed profile format" "$tmp/err" || fail "$(cat "$tmp/err")" ;;
usage_unknown_flag)
	expect_usage -nosuchflag x ;;
usage_two_formats)
	expect_usage -text -traces x ;;
bad_sample_index)
	need_good
	"$cprof" -top -sample_index=nosuch "$good" >"$tmp/out" 2>"$tmp/err"
	[ $? -eq 2 ] || fail "exit status"
	grep -q 'sample_index "nosuch" must be one of' "$tmp/err" || fail "$(cat "$tmp/err")" ;;
bad_regex)
	need_good
	"$cprof" -top -focus='(' "$good" >"$tmp/out" 2>"$tmp/err"
	[ $? -eq 2 ] || fail "exit status"
	[ ! -s "$tmp/out" ] || fail "stdout not empty" ;;
*)
	echo "no such case: $name"; exit 2 ;;
esac
echo "ok $name"
