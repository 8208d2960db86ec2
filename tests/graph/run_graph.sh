#!/usr/bin/env bash
# run_graph.sh NAME - one call graph image or viewer case of cases.txt:
# images rendered in process (-svg -png -gif -pdf -ps), where output goes
# (-output, a terminal), -web and -kcachegrind with fake viewers, and the
# SVG in headless Chromium. A case whose tool (xmllint, python3, script,
# Chromium) is missing is skipped, exit 77 (see need in tests/lib.sh).
#
# Environment: CPROF (the binary). Runs from the repository root.
name=$1
. "$(dirname "$0")/../lib.sh"
need_cprof
cpu=$src/testdata/go/cpu.pb.gz
heap=$src/testdata/go/heap.pb.gz

make_tmp graph
cd "$tmp" || exit 1

# run OUT ARGS...: cprof with stdout to OUT, stderr to OUT.err; fails on a non-zero exit
run() {
	local out=$1
	shift
	"$cprof" "$@" >"$out" 2>"$out.err" || fail "cprof $* exited $?: $(head -c 300 "$out.err")"
}

# magic FILE BYTES: the file starts with BYTES (printf escapes allowed)
magic() {
	local want
	want=$(printf "$2" | od -An -tx1)
	[ "$(head -c "$(printf "$2" | wc -c)" "$1" | od -An -tx1)" = "$want" ] ||
		fail "$1 does not start with $2"
}

# well_formed FILE: an XML parser accepts it
well_formed() {
	need xmllint
	xmllint --noout --nonet "$1" || fail "$1 is not well-formed XML"
}

has() { grep -qF -- "$2" "$1" || fail "$1 lacks: $2"; }
lacks() { ! grep -qF -- "$2" "$1" || fail "$1 has: $2"; }

# pdf_text PDF: the literal strings its deflated content streams show
# (TJ arrays joined), one a line; nothing when the fonts are drawn by
# glyph number (needs python3)
pdf_text() {
	python3 - "$1" <<'PY'
import re, sys, zlib
lit = rb'\(((?:[^()\\]|\\.)*)\)'
data = open(sys.argv[1], 'rb').read()
for m in re.finditer(rb'stream\r?\n(.*?)\r?\nendstream', data, re.S):
    try:
        s = zlib.decompress(m.group(1))
    except zlib.error:
        continue
    for arr, one in re.findall(rb'\[(.*?)\]\s*TJ|' + lit + rb'\s*Tj', s, re.S):
        text = b''.join(re.findall(lit, arr)) if arr else one
        print(text.decode('latin-1'))
PY
}

# tty OUTFILE CMD...: run CMD with its stdout (and stderr) on a pseudo-terminal
tty_run() {
	local out=$1
	shift
	need script
	local cmd
	cmd=$(printf '%q ' "$@")
	script -qec "$cmd" /dev/null >"$out" 2>&1 </dev/null || fail "$* exited $? on a terminal: $(head -c 300 "$out")"
}

# a fake viewer that records its arguments and copies the file it is given
# (cp by its full path: some cases run it with PATH holding the viewer alone)
make_viewer() {
	local path=$1 status=${2:-0}
	cat >"$path" <<EOF
#!/bin/sh
printf '%s\n' "\$@" >"$tmp/viewer.args"
for f; do last=\$f; done
$(command -v cp) "\$last" "$tmp/viewer.copy"
exit $status
EOF
	chmod +x "$path"
}

# env -i keeps the sanitizer settings of a sanitizer test run
san_env=()
for v in ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS; do
	[ -n "${!v:-}" ] && san_env+=("$v=${!v}")
done

chromium_bin() {
	for b in chromium chromium-browser google-chrome; do
		if command -v "$b" >/dev/null 2>&1; then
			command -v "$b"
			return
		fi
	done
}

# chromium URL SCREENSHOT: headless Chromium with its console on stderr (chromium.log)
chromium_run() {
	local bin
	bin=$(chromium_bin)
	[ -n "$bin" ] || need chromium
	timeout 120 "$bin" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --allow-file-access-from-files \
		--user-data-dir="$tmp/chromium-profile" --enable-logging=stderr --v=0 \
		--screenshot="$2" --window-size=1200,900 "$1" >"$tmp/chromium.out" 2>"$tmp/chromium.log" ||
		fail "chromium exited $?: $(tail -5 "$tmp/chromium.log")"
	if grep -q "Uncaught" "$tmp/chromium.log"; then
		fail "script error: $(grep "Uncaught" "$tmp/chromium.log" | head -3)"
	fi
}

case $name in
svg_cpu)
	run g.svg -svg "$cpu"
	well_formed g.svg
	has g.svg '<svg width="100%" height="100%"'
	lacks g.svg 'viewBox='
	has g.svg '<script type="text/ecmascript"><![CDATA['
	has g.svg '<g id="viewport" transform="scale(0.5,0.5) translate(0,0)"><g id="graph0"'
	has g.svg '</g></svg>'
	has g.svg '<title>workload</title>'
	has g.svg 'File: workload'
	has g.svg '>Fib</text>'
	has g.svg 'id="node1"'
	lacks g.svg '&;'
	[ ! -s g.svg.err ] || fail "stderr not empty: $(head -c 300 g.svg.err)"
	;;
svg_call_tree)
	run g.svg -svg -call_tree "$heap"
	well_formed g.svg
	has g.svg 'Type: inuse_space'
	has g.svg 'id="viewport"'
	;;
svg_empty)
	run g.svg -svg -focus=no_such_function_anywhere "$cpu"
	well_formed g.svg
	has g.svg 'Showing nodes accounting for 0, 0% of 3.60s total'
	has g.svg '<title>cluster_L</title>'
	lacks g.svg '<title>N1</title>'
	;;
png_cpu)
	run g.png -png "$cpu"
	magic g.png '\211PNG\r\n\032\n'
	[ "$(wc -c <g.png)" -gt 20000 ] || fail "g.png is only $(wc -c <g.png) bytes"
	# IHDR: width and height, big-endian, at bytes 16..23; the graph is larger than 500x500
	read -r w h < <(od -An -tu1 -j16 -N8 g.png | awk '{ print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }')
	[ "$w" -gt 500 ] && [ "$h" -gt 500 ] || fail "g.png is only ${w}x$h"
	;;
gif_cpu)
	run g.gif -gif -nodecount=20 "$cpu"
	magic g.gif 'GIF8'
	;;
pdf_cpu)
	run g.pdf -pdf "$cpu"
	magic g.pdf '%%PDF-'
	tail -c 16 g.pdf | grep -q '%%EOF' || fail "g.pdf has no %%EOF trailer"
	need python3
	pdf_text g.pdf >g.txt
	[ -s g.txt ] || fail "no text read from g.pdf (its fonts drawn by glyph number?)"
	has g.txt 'File: workload'
	has g.txt 'Showing top 59 nodes out of 129'
	grep -qx 'Fib' g.txt || fail "g.pdf lacks the label Fib"
	;;
ps_cpu)
	run g.ps -ps "$cpu"
	magic g.ps '%%!PS'
	has g.ps '%%Title: workload'
	has g.ps '(File: workload) alignedtext'
	has g.ps '(Fib) alignedtext'
	;;
svg_output)
	run stdout -svg -output=out.svg "$cpu"
	[ ! -s stdout ] || fail "stdout not empty"
	has stdout.err "Generating report in out.svg"
	has out.svg 'id="viewport"'
	;;
svg_tty)
	tty_run log1 "$cprof" -svg "$cpu"
	has log1 "Generating report in profile001.svg"
	has profile001.svg 'id="viewport"'
	tty_run log2 "$cprof" -svg "$cpu"
	has log2 "Generating report in profile002.svg"
	[ -f profile002.svg ] || fail "no profile002.svg"
	;;
callgrind_tty)
	tty_run log "$cprof" -callgrind "$cpu"
	has log "Generating report in profile001.callgraph.out"
	has profile001.callgraph.out 'positions: instr line'
	;;
dot_tty)
	tty_run log "$cprof" -dot "$cpu"
	has log 'digraph "workload" {'
	[ -z "$(ls profile* 2>/dev/null)" ] || fail "a file was written: $(ls profile*)"
	;;
web_browser)
	make_viewer "$tmp/browser"
	BROWSER=$tmp/browser TMPDIR=$tmp run stdout -web "$cpu"
	[ ! -s stdout ] || fail "stdout not empty"
	[ "$(wc -l <viewer.args)" = 1 ] || fail "browser args: $(cat viewer.args)"
	file=$(cat viewer.args)
	case $file in "$tmp"/cprof-*.svg) ;; *) fail "unexpected file $file" ;; esac
	[ ! -e "$file" ] || fail "$file was not removed"
	has viewer.copy 'id="viewport"'
	well_formed viewer.copy
	;;
web_browser_args)
	make_viewer "$tmp/browser"
	BROWSER="$tmp/browser --new-window  -x" TMPDIR=$tmp run stdout -web "$cpu"
	[ "$(sed -n 1p viewer.args)" = "--new-window" ] || fail "browser args: $(cat viewer.args)"
	[ "$(sed -n 2p viewer.args)" = "-x" ] || fail "browser args: $(cat viewer.args)"
	[ "$(wc -l <viewer.args)" = 3 ] || fail "browser args: $(cat viewer.args)"
	;;
web_output)
	make_viewer "$tmp/browser"
	BROWSER=$tmp/browser run stdout -web -output=w.svg "$cpu"
	[ ! -e viewer.args ] || fail "a browser was started"
	has w.svg 'id="viewport"'
	;;
web_no_browser)
	mkdir empty
	env -i ${san_env[@]+"${san_env[@]}"} PATH="$tmp/empty" HOME="$tmp" TMPDIR="$tmp" "$cprof" -web "$cpu" >stdout 2>stderr
	rc=$?
	[ $rc = 2 ] || fail "exit status $rc, want 2"
	has stderr "cprof: error: no browser found: set BROWSER"
	[ -z "$(ls "$tmp"/cprof-* 2>/dev/null)" ] || fail "temporary file left: $(ls "$tmp"/cprof-*)"
	;;
web_xdg_open)
	# no BROWSER, no browser on PATH: the desktop's opener, only inside a desktop session
	mkdir bin
	make_viewer "$tmp/bin/xdg-open"
	env -i ${san_env[@]+"${san_env[@]}"} PATH="$tmp/bin" HOME="$tmp" TMPDIR="$tmp" DISPLAY=:0 \
		"$cprof" -web "$cpu" >stdout 2>stderr || fail "exited $?: $(head -c 300 stderr)"
	case $(cat viewer.args) in "$tmp"/cprof-*.svg) ;; *) fail "xdg-open args: $(cat viewer.args)" ;; esac
	has viewer.copy 'id="viewport"'
	rm -f viewer.args
	env -i ${san_env[@]+"${san_env[@]}"} PATH="$tmp/bin" HOME="$tmp" TMPDIR="$tmp" \
		"$cprof" -web "$cpu" >stdout 2>stderr
	rc=$?
	[ $rc = 2 ] || fail "without DISPLAY: exit status $rc, want 2"
	[ ! -e viewer.args ] || fail "xdg-open started outside a desktop session"
	has stderr "cprof: error: no browser found: set BROWSER"
	;;
web_browser_fails)
	make_viewer "$tmp/browser" 3
	BROWSER=$tmp/browser TMPDIR=$tmp "$cprof" -web "$cpu" >stdout 2>stderr
	rc=$?
	[ $rc = 2 ] || fail "exit status $rc, want 2"
	has stderr "exited with status 3"
	;;
kcachegrind_fake)
	mkdir bin
	make_viewer "$tmp/bin/kcachegrind"
	PATH="$tmp/bin:$PATH" TMPDIR=$tmp run stdout -kcachegrind "$cpu"
	case $(cat viewer.args) in "$tmp"/cprof-*.grind) ;; *) fail "kcachegrind args: $(cat viewer.args)" ;; esac
	has viewer.copy 'positions: instr line'
	"$cprof" -callgrind "$cpu" >expected || fail "cprof -callgrind failed"
	cmp -s viewer.copy expected || fail "kcachegrind got other text than -callgrind prints"
	;;
kcachegrind_missing)
	mkdir empty
	env -i ${san_env[@]+"${san_env[@]}"} PATH="$tmp/empty" HOME="$tmp" TMPDIR="$tmp" "$cprof" -kcachegrind "$cpu" >stdout 2>stderr
	rc=$?
	[ $rc = 2 ] || fail "exit status $rc, want 2"
	has stderr "cprof: error: cannot run 'kcachegrind'"
	;;
chromium_screenshot)
	[ -n "$(chromium_bin)" ] || need chromium
	run graph.svg -svg "$cpu"
	chromium_run "file://$tmp/graph.svg" "$tmp/shot.png"
	[ -f shot.png ] || fail "no screenshot"
	magic shot.png '\211PNG'
	# a blank 1200x900 page compresses to a few kB; the drawn graph is far larger
	size=$(wc -c <shot.png)
	[ "$size" -gt 30000 ] || fail "screenshot is only $size bytes: blank page?"
	;;
chromium_pan_zoom)
	[ -n "$(chromium_bin)" ] || need chromium
	run graph.svg -svg "$cpu"
	cp "$here/pan_test.html" .
	chromium_run "file://$tmp/pan_test.html" "$tmp/shot.png"
	grep -q '"cprof-pan-test ok"' chromium.log ||
		fail "$(grep -o 'cprof-pan-test[^"]*' chromium.log || echo 'no result logged')"
	;;
*)
	echo "no such case: $name"
	exit 2
	;;
esac
echo "ok $name"
