#!/usr/bin/env bash
# run_heapdump.sh NAME - one heap dump case (cases.txt, bad_cases.txt).
#
#   golden_*   cprof heapdump and report mode on the recorded dump
#              testdata/heapdump/small.dump.gz (and its binary) against
#              expected/NAME.out; UPDATE=1 rewrites the expected file.
#   recorded   the recorded dump's figures against small.expect, what its
#              generator built by construction.
#   go_*       testdata/gen/heapdump built and run now (Go 1.19): the
#              figures cprof finds against what the program built, the
#              dump's object totals against the runtime's own MemStats,
#              and the dump as a profile.proto read by go tool pprof.
#   bad_*      truncated, bit-flipped and hostile dumps (tests/tools/
#              mkheapdump.c): exit 0 (a valid if odd dump, with figures
#              checked where they are known) or 2 with exactly one line
#              "cprof: error: <file>: <what>"; bounded in time and memory.
name=$1
. "$(dirname "$0")/../lib.sh"
need_cprof
td=$src/testdata/heapdump
mk=${MKHEAPDUMP:-}
make_tmp heapdump
export ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=99} UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:exitcode=99}
limit=${BADINPUT_TIMEOUT:-60}
runs=0

# the recorded dump and its binary
small=$td/small.dump.gz
bin=$tmp/heapdump
[ -f "$small" ] && [ -f "$td/heapdump.gz" ] || fail "testdata/heapdump is incomplete"
gzip -dc "$td/heapdump.gz" >"$bin" && chmod +x "$bin"

# run ARGS...: cprof ARGS, bounded; sets rc; stdout in $tmp/out, stderr in $tmp/err
run() {
	timeout -k 5 "$limit" "$cprof" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	runs=$((runs + 1))
	[ $rc -ne 124 ] && [ $rc -ne 137 ] || fail "timed out after ${limit}s (args: $*)"
	[ $rc -lt 128 ] || fail "killed by signal $((rc - 128)) (args: $*)"
	[ $rc -ne 99 ] || fail "sanitizer report (args: $*): $(head -c 600 "$tmp/err")"
}
# the shape of an exit 2: nothing on stdout, one "cprof: error: FILE: ..." line
shape() {
	local file=$1
	[ ! -s "$tmp/out" ] || fail "exit 2 but stdout not empty: $(head -c 200 "$tmp/out")"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "want one stderr line, got: $(head -c 600 "$tmp/err")"
	local want="cprof: error: $file: "
	[ "$want" = "$(head -c ${#want} "$tmp/err")" ] || fail "bad error line: $(cat "$tmp/err")"
}
ok_or_error() { # FILE ARGS...
	local file=$1; shift
	run "$@"
	case $rc in
	0) ;;
	2) shape "$file" ;;
	*) fail "exit status $rc (args: $*): $(head -c 400 "$tmp/err")" ;;
	esac
}
error() { # FILE WHAT ARGS...: exit 2, the line says WHAT
	local file=$1 what=$2; shift 2
	run "$@"
	[ $rc -eq 2 ] || fail "exit status $rc, want 2 (args: $*): $(head -c 300 "$tmp/err")"
	shape "$file"
	grep -qF -- "$what" "$tmp/err" || fail "error line lacks '$what': $(cat "$tmp/err")"
}
valid() { # ARGS...: exit 0
	run "$@"
	[ $rc -eq 0 ] || fail "exit status $rc (args: $*): $(head -c 400 "$tmp/err")"
}
# golden ARGS...: stdout (the temporary directory written TMP, the source tree SRC) against expected/NAME.out
golden() {
	valid "$@"
	sed "s|$tmp|TMP|g; s|$src/|SRC/|g" "$tmp/out" >"$tmp/got"
	local expected=$here/expected/$name.out
	[ "${UPDATE:-0}" = 1 ] && cp "$tmp/got" "$expected"
	[ -f "$expected" ] || fail "missing $expected (UPDATE=1 writes it)"
	cmp -s "$tmp/got" "$expected" || { diff -u "$expected" "$tmp/got" | head -40; fail "differs from $expected"; }
}

# check_figures JSON EXPECT: every line of EXPECT (KIND NAME OBJECTS BYTES,
# as testdata/gen/heapdump writes them) holds in cprof heapdump's JSON
check_figures() {
	need python3
	python3 - "$1" "$2" <<'PY' || fail "figures differ from what the program built (above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
def want(cond, what):
    if not cond:
        bad.append(what)
ret = {(r["kind"], r["name"]): r for r in j["retainers"]}
sites = {s["function"]: s for s in j["sites"]}
tree = {t["id"]: t for t in j["tree"]}
for line in open(sys.argv[2]):
    kind, name, objs, size = line.split()
    objs, size = int(objs), int(size)
    if kind in ("global", "stack", "finalizer"):
        r = ret.get((kind, name))
        want(r and r["retained_objects"] == objs and r["retained_bytes"] == size,
             "%s %s retains %s, want %d objects, %d bytes" % (kind, name, r and (r["retained_objects"], r["retained_bytes"]), objs, size))
    elif kind == "shared":
        # dominated by the globals together, not by either: a child of [globals]
        g = [t for t in j["tree"] if t["name"] == "[globals]"]
        kids = [t for t in j["tree"] if g and t.get("parent") == g[0]["id"] and t["name"] == "%s [%d B]" % (name, size)]
        want(kids and kids[0]["own_objects"] == objs and kids[0]["own_bytes"] == size,
             "no '%s [%d B]' of %d object under [globals]: %s" % (name, size, objs, kids))
    elif kind == "garbage":
        s = sites.get(name)
        want(s and s["objects"] == objs and s["bytes"] == size, "site %s: %s, want %d, %d" % (name, s, objs, size))
        want(j["unreachable"]["count"] >= objs and j["unreachable"]["bytes"] >= size,
             "unreachable %s, want at least %d objects, %d bytes" % (j["unreachable"], objs, size))
    elif kind == "site":
        s = sites.get(name)
        want(s and s["objects"] == objs and s["bytes"] == size, "site %s: %s, want %d, %d" % (name, s, objs, size))
    elif kind == "largest":
        l = j["largest"][0]
        want(l["size"] == size and l["held_by"].startswith("stack " + name) and
             any(f["function"] == name for f in l.get("allocated", [])),
             "largest object %s, want %d bytes held by stack %s, allocated there" % (l, size, name))
ms = j["memstats"]
want(j["objects"]["count"] == ms["HeapObjects"], "objects %d, MemStats.HeapObjects %d" % (j["objects"]["count"], ms["HeapObjects"]))
want(j["objects"]["bytes"] == ms["HeapAlloc"], "bytes %d, MemStats.HeapAlloc %d" % (j["objects"]["bytes"], ms["HeapAlloc"]))
want(j["reachable"]["count"] + j["unreachable"]["count"] == j["objects"]["count"], "reachable + unreachable != objects")
for b in bad:
    print("  " + b)
sys.exit(1 if bad else 0)
PY
}

# build_gen: testdata/gen/heapdump into $tmp/gen
build_gen() {
	need go
	(cd "$src/testdata/gen" && GO111MODULE=on GOFLAGS= go build -buildvcs=false -o "$tmp/gen" ./heapdump) ||
		fail "cannot build testdata/gen/heapdump"
}

# truncations FILE STEPS ARGS...: prefixes of FILE at STEPS points (and its first 20 bytes)
truncations() {
	local in=$1 steps=$2; shift 2
	local size cut
	size=$(wc -c <"$in")
	for ((cut = 0; cut < size; cut += (cut < 20 ? 1 : size / steps + 1))); do
		head -c "$cut" "$in" >"$tmp/cut"
		ok_or_error "$tmp/cut" "$@" "$tmp/cut"
		[ $rc -eq 2 ] || [ $cut -eq 0 ] || fail "a dump cut at $cut of $size bytes was accepted"
	done
}
# flips FILE COUNT ARGS...: COUNT copies with one byte changed
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
# hostile KIND: make the dump $tmp/KIND.dump
hostile() {
	[ -x "$mk" ] || fail "MKHEAPDUMP must name cprof_mkheapdump"
	"$mk" "$1" "$tmp/$1.dump" || fail "cprof_mkheapdump $1"
	echo "$tmp/$1.dump"
}
# cost SECONDS KIB ARGS...: at most SECONDS of CPU and KIB of memory
cost() {
	local secs=$1 kib=$2; shift 2
	need /usr/bin/time
	if ldd "$cprof" 2>/dev/null | grep -q 'libasan\|libubsan'; then
		secs=$((secs * 5)) kib=$((kib * 4))
	fi
	/usr/bin/time -f '%U %S %M' -o "$tmp/cost" "$cprof" "$@" >/dev/null 2>&1
	read -r u s m < <(tail -n 1 "$tmp/cost") || fail "no time figures"
	echo "cost of $*: ${u}s user, ${s}s system, ${m} KiB max RSS"
	awk -v u="$u" -v s="$s" -v l="$secs" 'BEGIN { exit !(u + s <= l) }' || fail "CPU time ${u}+${s}s > ${secs}s"
	[ "$m" -le "$kib" ] || fail "max RSS ${m} KiB > ${kib} KiB"
}
# json_has PYTHON-EXPR: the expression holds of cprof heapdump -json output j
json_has() {
	need python3
	python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' \
		"$tmp/out" "$1" || fail "JSON: $1 does not hold: $(head -c 600 "$tmp/out")"
}

# hprof_check FILE.hprof EXPECT JSON: VisualVM's heap library reads FILE and finds what EXPECT says
hprof_check() {
	local jar=/usr/share/visualvm/visualvm/modules/org-graalvm-visualvm-lib-jfluid-heap.jar
	need javac java visualvm python3 # visualvm: the package that has the jar
	[ -f "$jar" ] || fail "$jar missing (Debian package visualvm)"
	mkdir -p "$tmp/java"
	javac -d "$tmp/java" -cp "$jar" "$here/HprofCheck.java" || fail "cannot compile HprofCheck.java"
	local counts
	counts=$(python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(j["objects"]["count"], j["counts"]["goroutines"], j["unreachable"]["count"])' "$3") ||
		fail "no counts in $3"
	# shellcheck disable=SC2086
	java -cp "$jar:$tmp/java" HprofCheck "$1" "$2" $counts || fail "VisualVM's reading of the hprof file differs (above)"
}

case $name in
golden_text)
	golden heapdump "$small" "$bin" ;;
golden_text_nobinary)
	golden heapdump -top=8 "$small" ;;
golden_json)
	need python3
	golden heapdump -json "$small" "$bin"
	python3 -m json.tool "$tmp/out" >/dev/null || fail "not valid JSON" ;;
golden_dot)
	golden heapdump -dot "$small" "$bin" ;;
golden_sites_off)
	golden heapdump -sites=off -top=5 -nodefraction=0.02 "$small" "$bin" ;;
golden_top)
	golden -top -cum "$small" ;;
golden_traces)
	golden -traces -sample_index=retained_objects "$small" ;;
golden_tree)
	golden -tree -nodecount=12 "$small" ;;
golden_proto_top)
	# written with the binary (globals named), read back as any profile
	valid heapdump -proto -output="$tmp/p.pb.gz" "$small" "$bin"
	golden -top -cum -nodecount=15 "$tmp/p.pb.gz" ;;
report_binary)
	# report mode given the binary names the globals as the command does:
	# the same report as the profile the command writes, but for its File: line
	valid heapdump -proto -output="$tmp/p.pb.gz" "$small" "$bin"
	valid -top -cum -nodecount=40 "$tmp/p.pb.gz"
	cp "$tmp/out" "$tmp/want"
	valid -top -cum -nodecount=40 "$bin" "$small"
	grep -v '^File: ' "$tmp/out" | cmp -s - "$tmp/want" || fail "report mode with the binary: $(diff "$tmp/want" "$tmp/out" | head -5)"
	grep -q 'main\.list$' "$tmp/out" || fail "globals not named"
	# a binary that did not write the dump: one error line
	run -top "$cprof" "$small"
	[ $rc -eq 2 ] && grep -q "not a Go program" "$tmp/err" || fail "foreign binary: exit $rc: $(cat "$tmp/err")" ;;
svg)
	need xmllint
	valid heapdump -svg "$small" "$bin"
	xmllint --noout "$tmp/out" || fail "SVG not well-formed"
	for want in 'main.holder' 'main.list' '\[globals\]' 'retains 64kB' '<script'; do
		grep -q "$want" "$tmp/out" || fail "SVG lacks $want"
	done
	valid heapdump -svg -output="$tmp/g.svg" "$small" "$bin"
	[ ! -s "$tmp/out" ] && cmp -s "$tmp/g.svg" <("$cprof" heapdump -svg "$small" "$bin") || fail "-output differs"
	valid -svg -output="$tmp/p.svg" "$small"
	xmllint --noout "$tmp/p.svg" || fail "report-mode SVG not well-formed" ;;
flame)
	need xmllint
	valid -flame "$small"
	xmllint --noout "$tmp/out" || fail "flame graph not well-formed"
	grep -q 'main.holder' "$tmp/out" || fail "flame graph lacks main.holder" ;;
hprof)
	valid heapdump -json "$small" "$bin"
	cp "$tmp/out" "$tmp/s.json"
	valid heapdump -hprof="$tmp/s.hprof" "$small" "$bin"
	[ ! -s "$tmp/out" ] || fail "-hprof printed something"
	[ "$(head -c 18 "$tmp/s.hprof")" = "JAVA PROFILE 1.0.2" ] || fail "not an hprof file"
	hprof_check "$tmp/s.hprof" "$td/small.expect" "$tmp/s.json"
	# an unwritable destination: one error line, nothing left behind
	error "$tmp/nodir/x.hprof" "cannot create" heapdump -hprof="$tmp/nodir/x.hprof" "$small" "$bin"
	[ ! -e "$tmp/nodir" ] || fail "directory created"
	printf 'not a dump\n' >"$tmp/text"
	error "$tmp/text" "not a Go heap dump" heapdump -hprof="$tmp/bad.hprof" "$tmp/text"
	[ ! -e "$tmp/bad.hprof" ] || fail "an hprof file was left for a bad dump" ;;
go_hprof)
	build_gen
	GOMAXPROCS=2 "$tmp/gen" -out "$tmp/t.dump" -expect "$tmp/t.expect" || fail "the generator failed"
	valid heapdump -json "$tmp/t.dump" "$tmp/gen"
	cp "$tmp/out" "$tmp/t.json"
	valid heapdump -hprof="$tmp/t.hprof" "$tmp/t.dump" "$tmp/gen"
	hprof_check "$tmp/t.hprof" "$tmp/t.expect" "$tmp/t.json" ;;
recorded)
	valid heapdump -json -sites=on -nodefraction=0 -nodecount=100000 "$small" "$bin"
	check_figures "$tmp/out" "$td/small.expect" ;;
go_construction)
	build_gen
	GOMAXPROCS=2 "$tmp/gen" -out "$tmp/t.dump" -expect "$tmp/t.expect" || fail "the generator failed"
	valid heapdump -json -sites=on -nodefraction=0 -nodecount=100000 "$tmp/t.dump" "$tmp/gen"
	check_figures "$tmp/out" "$tmp/t.expect"
	# the same figures by the site names of the text report's tree
	valid heapdump -nodefraction=0.001 "$tmp/t.dump" "$tmp/gen"
	grep -q '^ *62.50kB .* 1000  *62.50kB  *main.buildList \[64 B\]$' "$tmp/out" ||
		fail "text report: no main.buildList [64 B] node of 1000 objects, 62.50kB" ;;
go_default_rate)
	# without allocation samples for most objects: retention is the same, names are sizes
	build_gen
	GOMAXPROCS=2 "$tmp/gen" -rate 0 -out "$tmp/t.dump" -expect "$tmp/t.expect" || fail "the generator failed"
	valid heapdump -json -nodefraction=0 -nodecount=100000 "$tmp/t.dump" "$tmp/gen"
	grep '^\(global\|stack\|finalizer\) ' "$tmp/t.expect" >"$tmp/roots.expect"
	check_figures "$tmp/out" "$tmp/roots.expect"
	json_has 'any(t["name"] == "[64 B]" and t["own_objects"] == 1000 for t in j["tree"])' ;;
go_pprof)
	# the dump as a profile.proto, read by go tool pprof: retained figures by construction
	build_gen
	GOMAXPROCS=2 "$tmp/gen" -out "$tmp/t.dump" -expect "$tmp/t.expect" || fail "the generator failed"
	valid heapdump -proto -output="$tmp/p.pb.gz" "$tmp/t.dump" "$tmp/gen"
	go tool pprof -top -cum -unit=byte -nodecount=1000 -nodefraction=0 "$tmp/p.pb.gz" >"$tmp/pprof.txt" 2>"$tmp/pprof.err" ||
		fail "go tool pprof: $(cat "$tmp/pprof.err")"
	go tool pprof -top -cum -sample_index=retained_objects -nodecount=1000 -nodefraction=0 "$tmp/p.pb.gz" >"$tmp/pprof_n.txt" \
		2>/dev/null || fail "go tool pprof -sample_index=retained_objects"
	while read -r kind fn objs bytes; do
		case $kind in global | stack | finalizer) ;; *) continue ;; esac
		awk -v f="$fn" -v b="$bytes" '$6 == f && $4 == b "B" { ok = 1 } END { exit !ok }' "$tmp/pprof.txt" ||
			fail "go tool pprof: $fn cum is not ${bytes}B: $(grep -F " $fn" "$tmp/pprof.txt")"
		awk -v f="$fn" -v n="$objs" '$6 == f && $4 == n { ok = 1 } END { exit !ok }' "$tmp/pprof_n.txt" ||
			fail "go tool pprof: $fn cum is not $objs objects: $(grep -F " $fn" "$tmp/pprof_n.txt")"
	done <"$tmp/t.expect"
	# and cprof's report mode on the dump itself gives pprof's -top on the proto (globals aside: no binary)
	"$cprof" heapdump -proto -output="$tmp/q.pb.gz" "$tmp/t.dump" || fail "-proto without binary"
	valid -top -cum -nodecount=40 "$tmp/t.dump"
	go tool pprof -top -cum -nodecount=40 "$tmp/q.pb.gz" 2>/dev/null | grep -v '^File:' >"$tmp/pprof_q.txt"
	grep -v '^File:' "$tmp/out" | diff - "$tmp/pprof_q.txt" >/dev/null ||
		fail "cprof -top on the dump differs from go tool pprof -top on its -proto: $(grep -v '^File:' "$tmp/out" | diff - "$tmp/pprof_q.txt" | head -10)" ;;
bad_truncated)
	gzip -dc "$small" >"$tmp/s.dump"
	truncations "$tmp/s.dump" 120 heapdump
	truncations "$tmp/s.dump" 30 -top
	truncations "$small" 30 heapdump -json ;;
bad_flipped)
	gzip -dc "$small" >"$tmp/s.dump"
	flips "$tmp/s.dump" 150 heapdump
	flips "$tmp/s.dump" 40 -top
	flips "$small" 40 heapdump -json ;;
bad_hostile)
	for k in overlap dup; do
		f=$(hostile $k); error "$f" "objects overlap" heapdump "$f"; error "$f" "objects overlap" -top "$f"
	done
	f=$(hostile hugecount); error "$f" "more frames than the bytes left" heapdump "$f"
	f=$(hostile hugestring); error "$f" "truncated in the other root record" heapdump "$f"
	f=$(hostile hugeobject); error "$f" "truncated in the object record" heapdump "$f"
	f=$(hostile badtag); error "$f" "unknown record tag" heapdump "$f"
	f=$(hostile badkind); error "$f" "unknown field kind" heapdump "$f"
	f=$(hostile fieldoutside); error "$f" "pointer field outside the contents" heapdump "$f"
	f=$(hostile trailing); error "$f" "data after the EOF record" heapdump "$f"
	f=$(hostile noeof); error "$f" "no EOF record" heapdump "$f"
	f=$(hostile varint); error "$f" "varint overflows 64 bits" heapdump "$f"
	f=$(hostile oldversion); error "$f" "version go1.4 is not supported" heapdump "$f"
	error "$f" "version go1.4 is not supported" -top "$f"
	f=$(hostile noparams); error "$f" "before the params record" heapdump "$f"
	: >"$tmp/empty"; error "$tmp/empty" "empty input file" heapdump "$tmp/empty"
	printf 'go1.7 heap dump\n' >"$tmp/header"; error "$tmp/header" "no EOF record" heapdump "$tmp/header"
	printf 'not a dump\n' >"$tmp/text"; error "$tmp/text" "not a Go heap dump" heapdump "$tmp/text"
	mkdir "$tmp/dir"; error "$tmp/dir" "directory" heapdump "$tmp/dir"
	error "$tmp/nope" "No such file" heapdump "$tmp/nope"
	error "$tmp/nobin" "cannot open" heapdump "$small" "$tmp/nobin"
	error "$tmp/text" "not an ELF binary" heapdump "$small" "$tmp/text"
	error "$cprof" "not a Go program" heapdump "$small" "$cprof"
	need strip
	strip -o "$tmp/stripped" "$bin" || fail "strip"
	error "$tmp/stripped" "no symbol table" heapdump "$small" "$tmp/stripped"
	error "$small" "exceeds the limit" -max_input_size=64K heapdump "$small"
	cp "$small" "$tmp/s.gz"; gzip -d "$tmp/s.gz"
	error "$tmp/s" "exceeds the limit" -max_input_size=64K heapdump "$tmp/s" ;;
bad_cycles)
	f=$(hostile cycle); valid heapdump -json "$f"
	json_has 'j["reachable"]["count"] == 1000 and j["unreachable"]["count"] == 1000'
	json_has 'j["retainers"][0]["retained_objects"] == 1000'
	f=$(hostile selfloop); valid heapdump -json "$f"
	json_has 'j["retainers"][0]["retained_bytes"] == 32'
	valid -top "$f" ;;
bad_out_of_range)
	f=$(hostile outofrange); valid heapdump -json "$f"
	json_has 'j["objects"]["pointers"] == 0 and j["reachable"]["count"] == 2'
	f=$(hostile orphans); valid heapdump -json "$f"
	json_has 'j["objects"]["sampled"] == 0 and j["reachable"]["count"] == 1'
	valid -top "$f"
	f=$(hostile zerosize); valid heapdump -json "$f"
	json_has 'j["objects"]["count"] == 100 and j["objects"]["bytes"] == 400'
	f=$(hostile bigendian); valid heapdump -json "$f"
	json_has 'j["pointer_size"] == 4 and j["big_endian"] and j["retainers"][0]["retained_objects"] == 2' ;;
bad_huge_counts)
	# deep, wide and long-named structures: linear, bounded, and right
	f=$(hostile deep); valid heapdump -json "$f"
	json_has 'j["retainers"][0]["retained_objects"] == 2000000'
	cost 20 400000 heapdump "$f"
	valid -top "$f"
	grep -q '30.52MB  *100%.*\[16 B\]$' "$tmp/out" || fail "-top: the list is not one [16 B] node: $(head -12 "$tmp/out")"
	f=$(hostile wide); valid heapdump -json "$f"
	json_has 'j["retainers"][0]["retained_objects"] == 200001'
	# a chain of alternating names folds once its period is seen twice (A B A B A ... is A B A B)
	f=$(hostile alternate); valid heapdump -json "$f"
	json_has 'j["retainers"][0]["retained_objects"] == 100000'
	json_has '[(t["name"], t["retained_objects"], t["own_objects"]) for t in j["tree"][-4:]] == [("[16 B]", 100000, 1), ("[32 B]", 99999, 1), ("[16 B]", 99998, 49999), ("[32 B]", 49999, 49999)]'
	valid -traces "$f"
	awk '/^-+\+/ { d = 0; next } NF { d++; if (d > m) m = d } END { exit !(m <= 8) }' "$tmp/out" ||
		fail "a stack deeper than the folded chain"
	f=$(hostile interleave); valid heapdump -json "$f"
	json_has 'j["objects"]["count"] == 10000'
	f=$(hostile manyroots); valid heapdump -json "$f"
	json_has 'j["reachable"]["count"] == 1000 and len(j["retainers"]) == 0'
	cost 10 200000 heapdump "$f" ;;
*)
	echo "no such case: $name"; exit 2 ;;
esac
echo "ok $name ($runs runs)"
