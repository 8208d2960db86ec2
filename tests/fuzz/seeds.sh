#!/usr/bin/env bash
# seeds.sh OUTDIR - build the seed corpora of the fuzz targets, one
# directory per target under OUTDIR, from testdata/ (and from
# ../shared/conformance/pprof when it is there). Nothing is stored in
# tests/fuzz: files are copied (or gunzipped) at run time, and the few
# formats testdata/ lacks get small seeds written here.
set -eu
out=${1:?usage: seeds.sh OUTDIR}
src=$(cd "$(dirname "$0")/../.." && pwd)
td=$src/testdata
conf=$src/../shared/conformance/pprof
mkdir -p "$out"

put() { # put TARGET FILE...: copy files into TARGET's corpus
	local t=$1; shift
	mkdir -p "$out/$t"
	for f in "$@"; do
		[ -f "$f" ] || continue
		cp "$f" "$out/$t/$(basename "$(dirname "$f")")_$(basename "$f")"
	done
}
putz() { # putz TARGET FILE...: gunzipped copies (parsers see inflated bytes)
	local t=$1; shift
	mkdir -p "$out/$t"
	for f in "$@"; do
		[ -f "$f" ] || continue
		gzip -dc "$f" >"$out/$t/$(basename "$(dirname "$f")")_$(basename "$f" .gz)" 2>/dev/null || true
	done
}
text() { # text TARGET NAME: a seed from standard input
	mkdir -p "$out/$1"
	cat >"$out/$1/$2"
}

putz pprof "$td"/go/*.pb.gz "$td"/goroutines/*.pb.gz "$conf"/synthetic/*.pb.gz
put gzip "$td"/go/*.pb.gz "$td"/runtime/*.gz
put registry "$td"/go/*.txt "$td"/gperf/*.prof "$td"/gperf/*.heap "$td"/goroutines/*.txt \
	"$conf"/profile/testdata/cppbench.{contention,cpu,heap,thread,growth} \
	"$conf"/profile/testdata/java.{contention,cpu,heap}
putz registry "$td"/go/cpu.pb.gz
put legacy_cpu "$td"/gperf/cpu.prof "$conf"/profile/testdata/{cppbench,go.crc32,gobench}.cpu \
	"$conf"/profile/testdata/java.cpu
put legacy_heap "$td"/go/heap.txt "$td"/go/allocs.txt "$td"/gperf/*.heap \
	"$conf"/profile/testdata/{cppbench,gobench}.heap "$conf"/profile/testdata/cppbench.growth
put legacy_count "$td"/go/goroutine.txt "$td"/go/threadcreate.txt "$td"/goroutines/goroutine_debug1.txt
put legacy_thread "$conf"/profile/testdata/cppbench.thread* "$conf"/profile/testdata/go.godoc.thread
put legacy_contention "$td"/go/block.txt "$td"/go/mutex.txt "$conf"/profile/testdata/cppbench.contention
put legacy_java "$conf"/profile/testdata/java.{contention,cpu,heap}
put legacy_comments "$td"/go/heap.txt "$td"/go/goroutine.txt "$td"/go/block.txt "$td"/goroutines/goroutine_debug1.txt
put goroutine_dump "$td"/go/goroutine2.txt "$td"/goroutines/*.txt
put gctrace "$td"/runtime/gc_*.log "$td"/runtime/mixed.log "$td"/runtime/old/*
put schedtrace "$td"/runtime/sched_*.log "$td"/runtime/mixed.log
put memstats "$td"/go/heap.txt "$td"/go/allocs.txt
put allocfreetrace "$td"/allocfreetrace/old_go13.log
putz allocfreetrace "$td"/allocfreetrace/small.log.gz
# heap dumps: the recorded one cut to the fuzzers' input size, and a tiny one
mkdir -p "$out/heapdump"
gzip -dc "$td/heapdump/small.dump.gz" 2>/dev/null | head -c 60000 >"$out/heapdump/small_head" || true
gzip -dc "$td/heapdump/small.dump.gz" 2>/dev/null | tail -c 20000 | cat <(printf 'go1.7 heap dump\n\x06\x00\x08\x80\x80\x80\x80\x80\x18\x80\x80\x80\x80\x80\x19\x05amd64\x08go1.19.8\x02') - >"$out/heapdump/small_tail" || true
printf 'go1.7 heap dump\n\x06\x00\x08\x80\x80\x80\x80\x80\x18\x80\x80\x80\x80\x80\x19\x05amd64\x08go1.19.8\x02\x01\x80\x80\x80\x80\x80\x18\x10\x10\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x0d\x80\x80\x16\x08\x00\x00\x00\x00\xc0\x00\x00\x00\x01\x00\x00\x07\x80\x80\x80\x80\x80\x18\x00\x80\x80\x04\x00\x00\x00' >"$out/heapdump/tiny"
# the memory map target gets its heap profile head from the target itself
mkdir -p "$out/legacy_maps"
for f in "$td"/gperf/*.heap "$conf"/profile/testdata/cppbench.heap; do
	[ -f "$f" ] || continue
	sed -n '/MAPPED_LIBRARIES:\|--- Memory map:/,$p' "$f" | tail -n +2 >"$out/legacy_maps/$(basename "$f")"
done
text legacy_maps small <<'T'
00400000-00452000 r-xp 00000000 08:01 1234 /usr/bin/prog
7f0000000000-7f0000100000 r-xp 00001000 08:01 99 /lib/libc.so.6
7fff00000000-7fff00001000 rw-p 00000000 00:00 0 [stack]
T
text threadz small <<'T'
--- threadz 2 ---

--- Thread 7f794e8fe700 (name: main/1) stack: ---
  PC: 0x4007a4 0x4005c3 0x7f7946d27f45
--- Thread 7f794e8fe701 (name: worker/2) stack: ---
  PC: 0x4007a4 0x4005d3
--- Memory map: ---
00400000-00401000 r-xp 00000000 08:01 1 /bin/prog
T
mv "$out/threadz/small" "$out/legacy_thread/small" 2>/dev/null || true
rmdir "$out/threadz" 2>/dev/null || true
text folded small <<'T'
main;foo;bar 10
main;foo;baz 5
main;qux 1
T
text folded frames <<'T'
runtime.main;main.main;main.(*T).work;runtime.mallocgc 1200
runtime.main;main.main;main.(*T).work 42
runtime.goexit;runtime.gcBgMarkWorker 7
T
text symbolz small <<'T'
num_symbols: 1
0x401000 main.main
0x401010 main.(*T).run
junk 0x4cb73c	runtime.mallocgc
0x10
0x00000000000000000000401000 main.zeros
0x10000000000000000 overflow
0x4cb73c last line without newline
T
# the URLs of the remote-source tests, one per seed
mkdir -p "$out/url"
n=0
while IFS= read -r line; do
	n=$((n + 1))
	printf '%s' "$line" >"$out/url/url_$n"
done <"$src/tests/fetch/urls.txt"
text allocfreetrace glued <<'T'
tracealloc(0xc000010000, 0x30, main.T)
goroutine 1 [running]:
runtime.mallocgc(0x30, 0x48e340, 0x1)
	runtime/malloc.go:1131gc 2 @0.184s 0%: 0.015+0.27+0.55 ms clock, 0.030+0/0.081/0.10+1.1 ms cpu, 0->0->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)
 +0x7b1 fp=0xc00008eea0 sp=0xc00008ee28 pc=0x40bc91
main.f(...)
	main.go:3
main.main()
	main.go:9 +0x25 fp=0xc00008ef80 sp=0xc00008ef28 pc=0x481485
created by main.start in goroutine 1
	main.go:12 +0x1

tracegc()
end tracegc

tracefree(0xc000010000, 0x30)
goroutine 0 [idle]:

T
# regex: one pattern a file, from the tables of tests/regex (p lines; P lines hex)
mkdir -p "$out/regex"
n=0
for f in "$src"/tests/regex/syntax.txt "$src"/tests/regex/match.txt; do
	[ -f "$f" ] || continue
	while IFS= read -r line; do
		case $line in
		'p '*) n=$((n + 1)); printf '%s' "${line#p }" >"$out/regex/$(basename "$f" .txt)_$n" ;;
		'P '*) n=$((n + 1)); printf '%b' "$(printf '%s' "${line#P }" | sed 's/../\\x&/g')" >"$out/regex/$(basename "$f" .txt)_$n" ;;
		esac
	done <"$f"
done
# the first-bytes rules: every input of every parser, and the shapes of gzip bombs
mkdir -p "$out/head"
for d in registry legacy_cpu legacy_heap legacy_count legacy_thread legacy_contention legacy_java \
	goroutine_dump folded heapdump allocfreetrace; do
	[ -d "$out/$d" ] && cp "$out/$d"/* "$out/head/" 2>/dev/null
done
head -c 70000 /dev/zero >"$out/head/zeros"
{ printf '\n'; head -c 70000 /dev/zero; } >"$out/head/newline_zeros"
{ printf '\x32\xff\xff\xff\xff\x0f'; head -c 70000 /dev/zero; } >"$out/head/long_string"
echo "$out"
