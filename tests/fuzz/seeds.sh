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
# the first-bytes rules: every input of every parser, and the shapes of gzip bombs
mkdir -p "$out/head"
for d in registry legacy_cpu legacy_heap legacy_count legacy_thread legacy_contention legacy_java \
	goroutine_dump folded; do
	[ -d "$out/$d" ] && cp "$out/$d"/* "$out/head/" 2>/dev/null
done
head -c 70000 /dev/zero >"$out/head/zeros"
{ printf '\n'; head -c 70000 /dev/zero; } >"$out/head/newline_zeros"
{ printf '\x32\xff\xff\xff\xff\x0f'; head -c 70000 /dev/zero; } >"$out/head/long_string"
echo "$out"
