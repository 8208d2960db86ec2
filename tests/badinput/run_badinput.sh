#!/usr/bin/env bash
# run_badinput.sh NAME - one bad-input case (see cases.txt).
#
# Inputs come from testdata/ (and ../shared/conformance/pprof when
# present), cut, bit-flipped or mislabelled here at run time. A case that
# needs a missing input exits 77 (skipped), one that needs a missing tool
# too (see need in tests/lib.sh).
name=$1
. "$(dirname "$0")/../lib.sh"
need_cprof
td=$src/testdata
conf=$shared/conformance/pprof
make_tmp badinput
# sanitizer builds: any report is a failure with a distinctive exit status
export ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=99} UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:exitcode=99}
limit=${BADINPUT_TIMEOUT:-20}
runs=0

# need_input FILE...: skipped when one is absent
need_input() { local x; for x in "$@"; do [ -e "$x" ] || { echo "skipped: $x absent"; exit 77; }; done; }

# run FILE ARGS...: cprof ARGS, bounded; sets rc, out, err
run() {
	local file=$1; shift
	timeout -k 5 "$limit" "$cprof" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	runs=$((runs + 1))
	[ $rc -ne 124 ] && [ $rc -ne 137 ] || fail "timed out after ${limit}s (args: $*)"
	[ $rc -lt 128 ] || fail "killed by signal $((rc - 128)) (args: $*)"
	[ $rc -ne 99 ] || fail "sanitizer report (args: $*): $(head -c 600 "$tmp/err")"
	lastfile=$file
}
# shape: an exit 2 must be one "cprof: error: FILE: what" line and no stdout
shape() {
	[ ! -s "$tmp/out" ] || fail "exit 2 but stdout not empty (args: $*): $(head -c 200 "$tmp/out")"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "want one stderr line (args: $*), got: $(head -c 600 "$tmp/err")"
	local want="cprof: error: $lastfile: "
	[ "${want}" = "$(head -c ${#want} "$tmp/err")" ] || fail "bad error line (args: $*): $(cat "$tmp/err")"
	[ "$(wc -c <"$tmp/err")" -gt $((${#want} + 1)) ] || fail "empty message: $(cat "$tmp/err")"
}
# output_error FILE ARGS...: exit 2; stderr is pprof's "Generating report in
# FILE" note, then the error line blaming FILE
output_error() {
	run "$@"
	[ $rc -eq 2 ] || fail "exit status $rc, want 2 (args: ${*:2}): $(head -c 400 "$tmp/err")"
	shift
	[ "$(head -n 1 "$tmp/err")" = "Generating report in $lastfile" ] || fail "first line: $(cat "$tmp/err")"
	sed -i 1d "$tmp/err"
	shape "$@"
}
# ok_or_error FILE ARGS...: exit 0, or exit 2 with the error shape
ok_or_error() {
	run "$@"
	case $rc in
	0) ;;
	2) shift; shape "$@" ;;
	*) fail "exit status $rc (args: $*): $(head -c 400 "$tmp/err")" ;;
	esac
}
# error FILE ARGS...: exit 2 with the error shape
error() {
	run "$@"
	[ $rc -eq 2 ] || fail "exit status $rc, want 2 (args: ${*:2}): $(head -c 400 "$tmp/err")"
	shift
	shape "$@"
}
# cost SECONDS KIB ARGS...: cprof ARGS uses at most SECONDS of CPU time
# (user + system, so a loaded machine does not matter) and KIB of memory
cost() {
	local secs=$1 kib=$2; shift 2
	have /usr/bin/time || return 0
	need ldd
	if ldd "$cprof" 2>/dev/null | grep -q 'libasan\|libubsan'; then
		secs=$((secs * 5)) kib=$((kib * 3)) # sanitizer builds: slower, shadow memory
	fi
	/usr/bin/time -f '%U %S %M' -o "$tmp/cost" "$cprof" "$@" >/dev/null 2>&1
	read -r u s m < <(tail -n 1 "$tmp/cost") || fail "no time figures"
	echo "cost of $*: ${u}s user, ${s}s system, ${m} KiB max RSS"
	awk -v u="$u" -v s="$s" -v l="$secs" 'BEGIN { exit !(u + s <= l) }' || fail "CPU time ${u}+${s}s > ${secs}s"
	[ "$m" -le "$kib" ] || fail "max RSS ${m} KiB > ${kib} KiB"
}
# has TEXT: the error line contains TEXT
has() { grep -qF -- "$1" "$tmp/err" || fail "error line lacks '$1': $(cat "$tmp/err")"; }

# truncations FILE STEPS CMD...: prefixes of FILE at STEPS points (and the
# first 16 bytes one by one) through cprof CMD... FILE
truncations() {
	local in=$1 steps=$2; shift 2
	local size cut
	size=$(wc -c <"$in")
	for ((cut = 0; cut < size; cut += (cut < 16 ? 1 : size / steps + 1))); do
		head -c "$cut" "$in" >"$tmp/cut"
		ok_or_error "$tmp/cut" "$@" "$tmp/cut"
	done
}
# flips FILE COUNT CMD...: COUNT copies with one byte changed (spread over
# the file, deterministic) through cprof CMD... FILE
flips() {
	local in=$1 count=$2; shift 2
	local size pos i byte
	size=$(wc -c <"$in")
	for ((i = 1; i <= count; i++)); do
		pos=$(((i * 104729 + i * i * 31) % size))
		byte=$(((i * 37) % 256))
		cp "$in" "$tmp/flip"
		printf "\\$(printf %03o $byte)" | dd of="$tmp/flip" bs=1 seek="$pos" conv=notrunc 2>/dev/null
		ok_or_error "$tmp/flip" "$@" "$tmp/flip"
	done
}

case $name in
trunc_proto)
	need_input "$td/go/cpu.pb.gz" "$td/go/heap.pb.gz"
	gzip -dc "$td/go/heap.pb.gz" >"$tmp/heap.pb"
	truncations "$tmp/heap.pb" 90 -top
	gzip -dc "$td/go/goroutine.pb.gz" >"$tmp/g.pb"
	truncations "$tmp/g.pb" 60 -traces ;;
trunc_proto_gz)
	need_input "$td/go/mutex.pb.gz"
	truncations "$td/go/mutex.pb.gz" 80 -top ;;
trunc_legacy_go)
	for f in heap.txt allocs.txt block.txt mutex.txt goroutine.txt threadcreate.txt; do
		need_input "$td/go/$f"
		truncations "$td/go/$f" 25 -top
	done ;;
trunc_legacy_gperf)
	for f in cpu.prof heap.end.heap heap.live.heap; do
		need_input "$td/gperf/$f"
		truncations "$td/gperf/$f" 25 -raw
	done ;;
trunc_legacy_conformance)
	need_input "$conf/profile/testdata"
	for f in cppbench.contention cppbench.thread go.godoc.thread java.cpu java.heap java.contention cppbench.growth; do
		truncations "$conf/profile/testdata/$f" 20 -raw
	done ;;
trunc_goroutine_dump)
	for f in dump_debug2.txt panic_all.txt sigsegv_system.txt deadlock.txt; do
		need_input "$td/goroutines/$f"
		truncations "$td/goroutines/$f" 25 goroutines
		truncations "$td/goroutines/$f" 6 -top
	done ;;
trunc_folded)
	need_input "$td/go/cpu.pb.gz"
	"$cprof" -folded "$td/go/cpu.pb.gz" >"$tmp/cpu.folded" || fail "cannot make folded stacks"
	truncations "$tmp/cpu.folded" 60 -top ;;
trunc_gctrace)
	for f in gc_steady.log gc_forced.log; do
		need_input "$td/runtime/$f"
		truncations "$td/runtime/$f" 40 gctrace
	done
	truncations "$td/runtime/gc_long.log.gz" 40 gctrace ;;
trunc_schedtrace)
	for f in sched_detail.log sched_phases.log; do
		need_input "$td/runtime/$f"
		truncations "$td/runtime/$f" 40 schedtrace
	done ;;
trunc_memstats)
	need_input "$td/go/heap.txt"
	truncations "$td/go/heap.txt" 60 memstats ;;
flip_proto)
	need_input "$td/go/cpu.pb.gz" "$td/go/heap.pb.gz"
	gzip -dc "$td/go/cpu.pb.gz" >"$tmp/cpu.pb"
	flips "$tmp/cpu.pb" 80 -top
	gzip -dc "$td/go/heap.pb.gz" >"$tmp/heap.pb"
	flips "$tmp/heap.pb" 60 -raw ;;
flip_legacy)
	for f in go/heap.txt go/block.txt go/goroutine.txt gperf/cpu.prof gperf/heap.end.heap; do
		need_input "$td/$f"
		flips "$td/$f" 25 -raw
	done ;;
flip_goroutine_dump)
	need_input "$td/goroutines/dump_debug2.txt" "$td/goroutines/panic_all.txt"
	flips "$td/goroutines/dump_debug2.txt" 60 goroutines
	flips "$td/goroutines/panic_all.txt" 60 -top ;;
flip_gz)
	need_input "$td/go/cpu.pb.gz"
	flips "$td/go/cpu.pb.gz" 100 -top ;;
flip_runtime_logs)
	need_input "$td/runtime/gc_steady.log" "$td/runtime/sched_detail.log" "$td/runtime/gc_long.log.gz"
	flips "$td/runtime/gc_steady.log" 50 gctrace
	flips "$td/runtime/sched_detail.log" 50 schedtrace
	flips "$td/runtime/gc_long.log.gz" 30 gctrace ;;
allocfreetrace_inputs)
	need_input "$td/allocfreetrace/small.log.gz" "$td/allocfreetrace/old_go13.log"
	gzip -dc "$td/allocfreetrace/small.log.gz" >"$tmp/small.log"
	truncations "$td/allocfreetrace/old_go13.log" 40 allocfreetrace
	truncations "$tmp/small.log" 30 allocfreetrace -json
	truncations "$tmp/small.log" 15 -top
	truncations "$td/allocfreetrace/small.log.gz" 20 allocfreetrace
	flips "$tmp/small.log" 40 allocfreetrace
	flips "$td/allocfreetrace/old_go13.log" 40 -traces
	flips "$td/allocfreetrace/small.log.gz" 20 allocfreetrace
	: >"$tmp/empty"
	mkdir "$tmp/d"
	error "$tmp/empty" allocfreetrace "$tmp/empty"
	error "$tmp/d" allocfreetrace "$tmp/d"
	error "$tmp/nope" allocfreetrace "$tmp/nope"
	error "$td/go/cpu.pb.gz" allocfreetrace "$td/go/cpu.pb.gz"
	# streamed: a gzip bomb is read to the end in bounded memory
	head -c $((64 << 20)) /dev/zero | gzip -1 >"$tmp/bomb.gz"
	error "$tmp/bomb.gz" allocfreetrace "$tmp/bomb.gz"
	cost 5 100000 allocfreetrace "$tmp/bomb.gz" ;;
wrong_format)
	need_input "$td/go/cpu.pb.gz" "$td/runtime/gc_steady.log" "$td/goroutines/dump_debug2.txt"
	printf 'hello, not a profile\n' >"$tmp/hello.txt"
	head -c 3000 /dev/urandom >"$tmp/random.bin"
	error "$td/runtime/gc_steady.log" -top "$td/runtime/gc_steady.log"
	error "$tmp/hello.txt" -top "$tmp/hello.txt"
	error "$tmp/random.bin" -raw "$tmp/random.bin"
	error "$td/go/cpu.pb.gz" memstats "$td/go/cpu.pb.gz"
	error "$td/runtime/gc_steady.log" goroutines "$td/runtime/gc_steady.log"
	error "$td/go/cpu.pb.gz" goroutines "$td/go/cpu.pb.gz"
	for cmd in gctrace schedtrace; do
		ok_or_error "$td/go/cpu.pb.gz" $cmd "$td/go/cpu.pb.gz"
		ok_or_error "$tmp/random.bin" $cmd "$tmp/random.bin"
	done
	error "$tmp/random.bin" dump "$tmp/random.bin" ;;
empty_every_command)
	: >"$tmp/empty"
	for cmd in -top -raw -proto dump goroutines memstats; do
		error "$tmp/empty" $cmd "$tmp/empty"
	done
	for cmd in gctrace schedtrace; do ok_or_error "$tmp/empty" $cmd "$tmp/empty"; done ;;
directory_every_command)
	mkdir "$tmp/d"
	for cmd in -top -raw dump goroutines memstats gctrace schedtrace; do
		error "$tmp/d" $cmd "$tmp/d"
	done ;;
missing_every_command)
	for cmd in -top -raw -svg dump goroutines memstats gctrace schedtrace; do
		error "$tmp/nope" $cmd "$tmp/nope"
	done
	need_input "$td/go/cpu.pb.gz"
	error "$tmp/nobase" -top -diff_base="$tmp/nobase" "$td/go/cpu.pb.gz" ;;
unreadable_file)
	need_input "$td/go/cpu.pb.gz"
	cp "$td/go/cpu.pb.gz" "$tmp/locked.pb.gz"
	printf 'gc 1 @0.1s 1%%: 0.1+1+0.1 ms clock, 0.1+0/1/1+0.1 ms cpu, 4->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P\n' >"$tmp/locked.log"
	chmod 000 "$tmp/locked.pb.gz" "$tmp/locked.log"
	chmod 755 "$tmp"
	as=()
	if [ "$(id -u)" = 0 ]; then
		# root reads anything: drop to nobody for these runs
		need setpriv
		as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	fi
	for cmd in -top dump goroutines memstats; do
		timeout -k 5 "$limit" "${as[@]}" "$cprof" $cmd "$tmp/locked.pb.gz" >"$tmp/out" 2>"$tmp/err"
		rc=$?; lastfile=$tmp/locked.pb.gz; runs=$((runs + 1))
		[ $rc -eq 2 ] || fail "$cmd: exit $rc: $(cat "$tmp/err")"
		shape $cmd; has "ermission denied"
	done
	for cmd in gctrace schedtrace; do
		timeout -k 5 "$limit" "${as[@]}" "$cprof" $cmd "$tmp/locked.log" >"$tmp/out" 2>"$tmp/err"
		rc=$?; lastfile=$tmp/locked.log; runs=$((runs + 1))
		[ $rc -eq 2 ] || fail "$cmd: exit $rc: $(cat "$tmp/err")"
		shape $cmd; has "ermission denied"
	done ;;
fifo_not_hung)
	# a FIFO with a writer that sends garbage then closes: read to EOF, one error
	mkfifo "$tmp/fifo"
	(printf 'not a profile at all\n' >"$tmp/fifo") &
	error "$tmp/fifo" -top "$tmp/fifo"
	wait ;;
gzip_bomb)
	# 64 MiB of zeros per member, 8 members: refused at 1 MiB, in little CPU and memory
	head -c $((64 << 20)) /dev/zero | gzip -1 >"$tmp/m.gz"
	for i in 1 2 3 4 5 6 7 8; do cat "$tmp/m.gz"; done >"$tmp/bomb.gz"
	error "$tmp/bomb.gz" -max_input_size=1M -top "$tmp/bomb.gz"
	has "exceeds the limit of 1048576 bytes (-max_input_size)"
	cost 1 100000 -max_input_size=1M -top "$tmp/bomb.gz"
	# logs are streamed (memory bounded by the records): read to the end, no limit needed
	ok_or_error "$tmp/bomb.gz" gctrace "$tmp/bomb.gz" ;;
gzip_bomb_default)
	# 1.5 GiB of newlines in 1.5 MB (text whose first bytes rule no format
	# out): past the default limit (1 GiB), refused
	head -c $((64 << 20)) /dev/zero | tr '\0' '\n' | gzip -9 >"$tmp/m.gz"
	for i in $(seq 24); do cat "$tmp/m.gz"; done >"$tmp/bomb.gz"
	limit=600
	error "$tmp/bomb.gz" -top "$tmp/bomb.gz"
	has "(-max_input_size)" ;;
gzip_bomb_zeros)
	# 1 GiB of zeros in 1 MB: its first 128 KiB rule every format out (no
	# text line ends there, no profile.proto has field 0), refused at once
	# by every command with the message pprof gives after inflating it all
	head -c $((64 << 20)) /dev/zero | gzip -9 >"$tmp/m.gz"
	for i in $(seq 16); do cat "$tmp/m.gz"; done >"$tmp/bomb.gz"
	error "$tmp/bomb.gz" -top "$tmp/bomb.gz"
	has "parsing profile: bufio.Scanner: token too long"
	cost 1 65536 -top "$tmp/bomb.gz"
	for cmd in goroutines dump; do
		error "$tmp/bomb.gz" "$cmd" "$tmp/bomb.gz"
		has "parsing profile: bufio.Scanner: token too long"
		cost 1 65536 "$cmd" "$tmp/bomb.gz"
	done
	error "$tmp/bomb.gz" memstats "$tmp/bomb.gz"
	has "not a text file: NUL byte"
	cost 1 65536 memstats "$tmp/bomb.gz"
	for cmd in gctrace schedtrace; do
		error "$tmp/bomb.gz" "$cmd" "$tmp/bomb.gz"
		has "not a text log: NUL byte"
		cost 1 65536 "$cmd" "$tmp/bomb.gz"
	done
	# a plain file of zeros: refused after its first 128 KiB are read
	head -c $((256 << 20)) /dev/zero >"$tmp/zeros"
	error "$tmp/zeros" -top "$tmp/zeros"
	has "parsing profile: bufio.Scanner: token too long"
	cost 1 65536 -top "$tmp/zeros"
	# other shapes (the same messages as pprof): an empty line, then NULs
	# (the count parser's long line); a short line, then NULs (no format);
	# profile.proto's first string longer than the size limit
	{ printf '\n'; head -c $((64 << 20)) /dev/zero; } | gzip -1 >"$tmp/b2.gz"
	error "$tmp/b2.gz" -top "$tmp/b2.gz"
	has "parsing profile: bufio.Scanner: token too long"
	cost 1 65536 -top "$tmp/b2.gz"
	{ printf 'x\n'; head -c $((64 << 20)) /dev/zero; } | gzip -1 >"$tmp/b4.gz"
	error "$tmp/b4.gz" -top "$tmp/b4.gz"
	has "parsing profile: unrecognized profile format"
	cost 1 65536 -top "$tmp/b4.gz"
	{ printf '\x32\xff\xff\xff\xff\x0f'; head -c $((64 << 20)) /dev/zero; } | gzip -1 >"$tmp/b3.gz"
	error "$tmp/b3.gz" -top "$tmp/b3.gz"
	has "parsing profile: bufio.Scanner: token too long"
	cost 1 65536 -top "$tmp/b3.gz" ;;
limit_depth)
	need_input "$td/go/cpu.pb.gz"
	error "$td/go/cpu.pb.gz" -max_depth=3 -top "$td/go/cpu.pb.gz"
	has "(-max_depth)"
	run "$td/go/cpu.pb.gz" -max_depth=1000 -top "$td/go/cpu.pb.gz"
	[ $rc -eq 0 ] || fail "-max_depth=1000: exit $rc" ;;
limit_samples)
	need_input "$td/go/cpu.pb.gz"
	error "$td/go/cpu.pb.gz" -max_samples=2 -top "$td/go/cpu.pb.gz"
	has "exceed the limit of 2 (-max_samples)"
	error "$td/go/cpu.pb.gz" --max_locations 2 -top "$td/go/cpu.pb.gz"
	has "(-max_locations)"
	need_input "$td/go/heap.txt"
	error "$td/go/heap.txt" -top -max_samples 1 "$td/go/heap.txt"
	has "(-max_samples)" ;;
limit_string)
	need_input "$td/go/cpu.pb.gz"
	error "$td/go/cpu.pb.gz" -max_string=8 -top "$td/go/cpu.pb.gz"
	has "(-max_string)"
	run x -max_string=64K -top "$td/go/cpu.pb.gz"
	[ $rc -eq 0 ] || fail "-max_string=64K: exit $rc" ;;
limit_bad_value)
	for v in 0 -1 abc 12X 99999999999999999999G; do
		timeout "$limit" "$cprof" -max_depth="$v" -top x >"$tmp/out" 2>"$tmp/err"
		rc=$?; runs=$((runs + 1))
		[ $rc -eq 64 ] || fail "-max_depth=$v: exit $rc"
		grep -q '^cprof: error: invalid value' "$tmp/err" || fail "$(cat "$tmp/err")"
	done
	timeout "$limit" "$cprof" -top -max_depth >"$tmp/out" 2>"$tmp/err"
	[ $? -eq 64 ] || fail "-max_depth without a value" ;;
missing_binary)
	# a binary named on the command line that does not exist is a source that
	# fails to read: as pprof, a warning, and the report of the others
	need_input "$td/go/cpu.pb.gz"
	run x -top "$tmp/no-such-binary" "$td/go/cpu.pb.gz"
	[ $rc -eq 0 ] || fail "missing first source: exit $rc: $(cat "$tmp/err")"
	grep -qx "$tmp/no-such-binary: cannot open: no such file or directory" "$tmp/err" || fail "warning: $(cat "$tmp/err")"
	grep -qx 'Fetched 1 source profiles out of 2' "$tmp/err" || fail "count: $(cat "$tmp/err")"
	grep -q '^File: workload' "$tmp/out" || fail "no report: $(head -3 "$tmp/out")"
	# alone, it is the error
	error "$tmp/no-such-binary" -top "$tmp/no-such-binary"
	# a profile whose mappings name binaries that are gone: still a report
	need_input "$td/gperf/cpu.prof"
	run x -top "$td/gperf/cpu.prof"
	[ $rc -eq 0 ] || fail "gperf profile without its binary: exit $rc: $(cat "$tmp/err")" ;;
missing_source)
	# -list with sources nowhere to be found: the listing says so, no crash
	need_input "$td/go/cpu.pb.gz"
	run x -list=main -source_path="$tmp/nowhere" -trim_path=/ "$td/go/cpu.pb.gz"
	[ $rc -eq 0 ] || [ $rc -eq 2 ] || fail "exit $rc: $(head -c 300 "$tmp/err")"
	[ $rc -eq 0 ] || shape -list ;;
odd_file_names)
	need_input "$td/go/cpu.pb.gz"
	for n in 'with space.pb.gz' "quo'te\".pb.gz" $'new\nline.pb.gz' '-dash.pb.gz' '$(touch pwned).pb.gz' ';rm -rf x;.pb.gz'; do
		cp "$td/go/cpu.pb.gz" "$tmp/$n"
		run x -top "$tmp/$n"
		[ $rc -eq 0 ] || fail "'$n': exit $rc: $(cat "$tmp/err")"
		run x -svg -output="$tmp/out $n.svg" "$tmp/$n"
		[ $rc -eq 0 ] && [ -s "$tmp/out $n.svg" ] || fail "-svg -output for '$n': exit $rc"
		run x -proto -output="$tmp/o $n" "$tmp/$n"
		[ $rc -eq 0 ] && [ -s "$tmp/o $n" ] || fail "-proto -output for '$n': exit $rc"
	done
	[ ! -e pwned ] && [ ! -e "$tmp/pwned" ] || fail "a file name was run by a shell"
	# a missing file with a newline in its name: still one error line (escaped)
	run x -top "$tmp/$(printf 'no\nsuch')"
	[ $rc -eq 2 ] || fail "exit $rc" ;;
viewer_no_shell)
	# -web starts $BROWSER directly (no shell): odd TMPDIR and arguments pass intact
	need_input "$td/go/cpu.pb.gz"
	d="$tmp/dir with 'quotes' \$(touch pwned) ;"
	mkdir -p "$d"
	printf '#!/bin/sh\nprintf "%%s\\n" "$#" "$@" >"%s/args"\ncp "$1" "%s/seen.svg"\n' "$tmp" "$tmp" >"$tmp/fakebrowser"
	chmod +x "$tmp/fakebrowser"
	TMPDIR=$d BROWSER="$tmp/fakebrowser" run x -web "$td/go/cpu.pb.gz"
	[ $rc -eq 0 ] || fail "-web: exit $rc: $(cat "$tmp/err")"
	[ "$(head -n 1 "$tmp/args")" = 1 ] || fail "browser got $(head -n 1 "$tmp/args") arguments"
	case "$(sed -n 2p "$tmp/args")" in "$d"/*.svg) ;; *) fail "browser argument: $(cat "$tmp/args")" ;; esac
	grep -q '<svg' "$tmp/seen.svg" || fail "browser did not see the SVG"
	[ ! -e pwned ] && [ ! -e "$d/pwned" ] && [ ! -e "$tmp/pwned" ] || fail "a shell ran"
	[ -z "$(ls -A "$d")" ] || fail "temporary file left: $(ls -A "$d")" ;;
output_error_no_partial)
	need_input "$td/go/cpu.pb.gz"
	# unwritable destination directory: one error line, nothing created
	output_error "$tmp/nodir/out.svg" -svg -output="$tmp/nodir/out.svg" "$td/go/cpu.pb.gz"
	output_error "$tmp/nodir/out.pb.gz" -proto -output="$tmp/nodir/out.pb.gz" "$td/go/cpu.pb.gz"
	output_error "$tmp" -text -output="$tmp" "$td/go/cpu.pb.gz"
	[ ! -e "$tmp/nodir" ] || fail "directory created"
	error "$tmp/nodir/gc.json" gctrace -json -output="$tmp/nodir/gc.json" "$td/runtime/gc_steady.log"
	# an existing output is left as it was when the input is bad
	printf 'before\n' >"$tmp/keep.svg"
	printf 'junk' >"$tmp/junk"
	for fmt in -svg -dot -proto -callgrind -folded -flame -text; do
		error "$tmp/junk" $fmt -output="$tmp/keep.svg" "$tmp/junk"
		[ "$(cat "$tmp/keep.svg")" = before ] || fail "$fmt: output file changed"
	done
	[ -z "$(ls -A "$tmp" | grep -v '^\(out\|err\|junk\|keep.svg\)$')" ] || fail "stray files: $(ls -A "$tmp")" ;;
output_device)
	# an output that is a pipe or a device is written in place, never replaced
	need_input "$td/go/cpu.pb.gz"
	mkfifo "$tmp/fifo"
	cat "$tmp/fifo" >"$tmp/fromfifo" &
	reader=$!
	run x -top -output="$tmp/fifo" "$td/go/cpu.pb.gz"
	wait $reader
	[ $rc -eq 0 ] || fail "-output=FIFO: exit $rc: $(cat "$tmp/err")"
	[ -p "$tmp/fifo" ] || fail "the FIFO was replaced"
	grep -q '^File: workload' "$tmp/fromfifo" || fail "nothing came through the FIFO"
	# the streamed outputs too (a device such as /dev/null takes the same path)
	cat "$tmp/fifo" >"$tmp/fromfifo" &
	reader=$!
	run x -traces -output="$tmp/fifo" "$td/go/cpu.pb.gz"
	wait $reader
	[ $rc -eq 0 ] && [ -p "$tmp/fifo" ] || fail "-traces -output=FIFO: exit $rc: $(cat "$tmp/err")"
	grep -q '^-----------+-------------------------------------------------------$' "$tmp/fromfifo" ||
		fail "no traces came through the FIFO" ;;
proto_fails_after_release)
	# a profile.proto whose last sample is broken, after 6 MiB of samples
	# whose pages the decoder gives back: the legacy parsers must still see
	# the original bytes (read again), here a goroutine dump hidden in an
	# unknown field near the start, exactly as when read from stdin
	printf '\x12\x04\x08\x01\x10\x01' >"$tmp/s"
	for i in $(seq 13); do cat "$tmp/s" "$tmp/s" >"$tmp/s2"; mv "$tmp/s2" "$tmp/s"; done
	cp "$tmp/s" "$tmp/big"
	for i in $(seq 7); do cat "$tmp/big" "$tmp/big" >"$tmp/b2"; mv "$tmp/b2" "$tmp/big"; done
	g=$'\ngoroutine 1 [running]:\nmain.main()\n\t/x.go:1 +0x1\n\n'
	{
		cat "$tmp/s"
		printf "\\xa2\\x01\\$(printf %03o ${#g})%s" "$g"
		cat "$tmp/big"
		printf '\x12\x02\x0f\x01'
	} >"$tmp/t.pb"
	rm -f "$tmp/s" "$tmp/big"
	run "$tmp/t.pb" -traces "$tmp/t.pb"
	[ $rc -eq 0 ] || fail "exit status $rc: $(cat "$tmp/err")"
	grep -q 'main\.main' "$tmp/out" || fail "no goroutine: $(head -c 300 "$tmp/out")"
	mv "$tmp/out" "$tmp/want"
	timeout -k 5 "$limit" "$cprof" -traces - <"$tmp/t.pb" >"$tmp/out" 2>"$tmp/err"
	cmp -s "$tmp/want" "$tmp/out" || fail "file and stdin differ: $(diff "$tmp/want" "$tmp/out" | head -5)" ;;
*)
	echo "no such case: $name"; exit 2 ;;
esac
echo "ok $name ($runs runs)"
