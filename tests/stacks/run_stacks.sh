#!/usr/bin/env bash
# run_stacks.sh NAME - one case of tests/stacks/cases.txt (folded stacks
# and flame graphs; the checks are described there).
#
# Environment: CPROF (the binary); UPDATE=1 rewrites golden files from
# cprof. Exit 77 (skipped) when a case needs a tool (go, xmllint, script,
# Chromium) and it is absent (see need in tests/lib.sh).
set -f
name=$1
. "$(dirname "$0")/../lib.sh"
need_cprof
repo=$src

line=$(awk -F'\t' -v n="$name" '$1 == n { print; exit }' "$here/cases.txt")
[ -n "$line" ] || { echo "no such case: $name"; exit 2; }
IFS=$'\t' read -r _ check argstr extra <<<"$line"
read -r -a args <<<"$argstr"

make_tmp stacks

# run OUT CMD...: from the repository root, stdout to OUT, stderr to OUT.err
run() {
	local out=$1
	shift
	(cd "$repo" && HOME=$tmp PPROF_TMPDIR=$tmp "$@" </dev/null >"$out" 2>"$out.err") ||
		fail "$* exited $?: $(head -c 300 "$out.err")"
}
has() { grep -qF -- "$2" "$1" || fail "$1 lacks: $2"; }
lacks() { ! grep -qiF -- "$2" "$1" || fail "$1 has: $2"; }
well_formed() {
	need xmllint
	xmllint --noout --nonet "$1" || fail "$1 is not well-formed XML"
}

case $check in
golden)
	expected=$here/expected/$name.out
	run "$tmp/out" "$cprof" "${args[@]}"
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$tmp/out" "$expected"
	fi
	[ -f "$expected" ] || fail "missing $expected (UPDATE=1 writes it)"
	cmp -s "$tmp/out" "$expected" || { diff -u "$expected" "$tmp/out" | head -40; fail "output differs"; }
	;;
oracle)
	need go
	pprof=("$(go env GOTOOLDIR)/pprof")
	[ -x "${pprof[0]}" ] || pprof=(go tool pprof)
	run "$tmp/folded" "$cprof" "${args[@]}"
	rest=()
	for a in "${args[@]}"; do [ "$a" = -folded ] || rest+=("$a"); done
	run "$tmp/top" "$cprof" -top "${rest[@]}"
	type=$(sed -n 's/^Type: //p' "$tmp/top")
	[ -n "$type" ] || fail "no Type: line in cprof -top"
	run "$tmp/raw" "${pprof[@]}" -raw "${rest[@]}"
	awk -v type="$type" -f "$here/raw_to_folded.awk" "$tmp/raw" | sort >"$tmp/want" ||
		fail "raw_to_folded.awk failed"
	sort "$tmp/folded" >"$tmp/got"
	[ -s "$tmp/want" ] || fail "the oracle found no stack"
	cmp -s "$tmp/want" "$tmp/got" ||
		{ diff -u --label oracle --label cprof "$tmp/want" "$tmp/got" | head -40; fail "stacks differ"; }
	# the stacks add up to the flat total of -top, untrimmed, in the sample unit
	total=$(awk '{ s += $NF } END { printf "%.0f", s }' "$tmp/folded")
	unit=$(awk -v type="$type" '/^Samples:/ { getline; for (i = 1; i <= NF; i++) { split($i, tu, "/"); if (tu[1] == type) { sub(/\[dflt\]$/, "", tu[2]); print tu[2] } }; exit }' "$tmp/raw")
	run "$tmp/top0" "$cprof" -top -nodefraction=0 -unit="$unit" "${rest[@]}"
	shown=$(sed -n 's/^Showing nodes accounting for \([^,]*\),.*/\1/p' "$tmp/top0" | tr -cd '0-9-')
	[ "$shown" = "$total" ] || fail "stacks add up to $total, -top shows $shown ($unit)"
	echo "$(wc -l <"$tmp/folded") stacks, total $total $unit ($type), as -top"
	;;
reject)
	# not a profile: one error line, exit status 2, nothing on stdout
	(cd "$repo" && HOME=$tmp "$cprof" "${args[@]}" </dev/null >"$tmp/out" 2>"$tmp/err")
	rc=$?
	[ $rc = 2 ] || fail "exit status $rc, want 2: $(head -c 300 "$tmp/out")"
	[ ! -s "$tmp/out" ] || fail "stdout not empty: $(head -c 300 "$tmp/out")"
	file=${args[${#args[@]}-1]}
	[ "$(cat "$tmp/err")" = "cprof: error: $file: parsing profile: unrecognized profile format" ] ||
		fail "unexpected error: $(head -c 300 "$tmp/err")"
	;;
roundtrip)
	run "$tmp/once" "$cprof" "${args[@]}"
	cp "$tmp/once" "$tmp/once.folded"
	run "$tmp/twice" "$cprof" -folded "$tmp/once.folded"
	cmp -s "$tmp/once" "$tmp/twice" || { diff -u "$tmp/once" "$tmp/twice" | head -40; fail "not the same after a round trip"; }
	total=$(awk '{ s += $NF } END { printf "%.0f", s }' "$tmp/once")
	run "$tmp/text" "$cprof" -text -unit=count "$tmp/once.folded"
	grep -q "^Showing nodes accounting for .* of $total total\$" "$tmp/text" ||
		fail "-text of the folded file does not show total $total: $(grep Showing "$tmp/text")"
	;;
flame)
	run "$tmp/a.svg" "$cprof" "${args[@]}"
	well_formed "$tmp/a.svg"
	has "$tmp/a.svg" "<title>$extra"
	has "$tmp/a.svg" '<g class="f"'
	has "$tmp/a.svg" '<script><![CDATA['
	# self-contained: nothing to fetch
	lacks "$tmp/a.svg" 'href'
	lacks "$tmp/a.svg" 'src='
	lacks "$tmp/a.svg" 'url('
	lacks "$tmp/a.svg" '@import'
	lacks "$tmp/a.svg" 'fetch('
	lacks "$tmp/a.svg" 'XMLHttpRequest'
	[ "$(grep -o 'http[s]*://[^"]*' "$tmp/a.svg" | sort -u | tr '\n' ' ')" = \
		"http://www.w3.org/1999/xhtml http://www.w3.org/2000/svg " ] ||
		fail "URLs other than the two namespace names: $(grep -o 'http[s]*://[^"]*' "$tmp/a.svg" | sort -u)"
	# deterministic, and -output writes the same bytes (and nothing else)
	run "$tmp/b.svg" "$cprof" "${args[@]}"
	cmp -s "$tmp/a.svg" "$tmp/b.svg" || fail "a second run gives other bytes"
	mkdir "$tmp/out"
	run "$tmp/stdout" "$cprof" -output="$tmp/out/flame.svg" "${args[@]}"
	[ ! -s "$tmp/stdout" ] || fail "-output also wrote to stdout"
	cmp -s "$tmp/a.svg" "$tmp/out/flame.svg" || fail "-output wrote other bytes"
	[ "$(ls "$tmp/out")" = flame.svg ] || fail "-output left other files: $(ls "$tmp/out")"
	# a terminal gets profile001.svg in the current directory, as pprof's binary outputs
	if have script; then
		mkdir "$tmp/tty"
		abs=()
		for a in "${args[@]}"; do
			case $a in -*) abs+=("$a") ;; *) abs+=("$repo/$a") ;; esac
		done
		(cd "$tmp/tty" && script -qec "$(printf '%q ' "$cprof" "${abs[@]}")" /dev/null >"$tmp/tty.log" 2>&1 </dev/null) ||
			fail "on a terminal: $(head -c 300 "$tmp/tty.log")"
		grep -q "Generating report in profile001.svg" "$tmp/tty.log" || fail "no 'Generating report' note on a terminal"
		cmp -s "$tmp/a.svg" "$tmp/tty/profile001.svg" || fail "profile001.svg differs from stdout's"
	fi
	echo "$(grep -c '<g class="f"' "$tmp/a.svg") frames, $(wc -c <"$tmp/a.svg") bytes"
	;;
chromium)
	browser=
	for b in chromium chromium-browser google-chrome; do
		command -v "$b" >/dev/null 2>&1 && { browser=$b; break; }
	done
	[ -n "$browser" ] || need chromium
	run "$tmp/flame.svg" "$cprof" "${args[@]}"
	# the same graph plus a script that clicks the first frame of depth 2 and searches "runtime"
	sed 's#</svg>$##' "$tmp/flame.svg" >"$tmp/probe.svg"
	cat >>"$tmp/probe.svg" <<'PROBE'
<script><![CDATA[
window.addEventListener("load", function () {
  var r = [], z = null;
  document.querySelectorAll("g.f").forEach(function (g) { if (!z && g.getAttribute("data-d") === "2") z = g; });
  r.push("frames=" + document.querySelectorAll("g.f").length);
  z.dispatchEvent(new MouseEvent("click", { bubbles: true }));
  r.push("zoomw=" + z.querySelector("rect").getAttribute("width"));
  r.push("parents=" + document.querySelectorAll("g.f.parent").length);
  r.push("hidden=" + (document.querySelectorAll("g.f.hide").length > 0));
  r.push("unzoom=" + document.getElementById("unzoom").getAttribute("class"));
  z.dispatchEvent(new MouseEvent("mouseover", { bubbles: true }));
  r.push("details=" + (document.getElementById("details").textContent.length > 1));
  var s = document.getElementById("search");
  s.value = "runtime"; s.dispatchEvent(new Event("input"));
  r.push("matched=" + /^Matched: [0-9.]+% \(/.test(document.getElementById("matched").textContent));
  document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
  r.push("reset=" + document.querySelectorAll("g.f.hide").length + "/" + document.getElementById("matched").textContent);
  document.documentElement.setAttribute("data-probe", r.join(" "));
});
]]></script>
</svg>
PROBE
	flags=(--headless --no-sandbox --disable-gpu --disable-background-networking
		--disable-component-update --disable-sync --no-first-run --enable-logging=stderr --v=0)
	timeout 120 "$browser" "${flags[@]}" --user-data-dir="$tmp/ud1" --screenshot="$tmp/shot.png" \
		--window-size=1200,900 "file://$tmp/flame.svg" >"$tmp/shot.log" 2>&1 ||
		fail "$browser --screenshot exited $?: $(tail -c 300 "$tmp/shot.log")"
	timeout 120 "$browser" "${flags[@]}" --user-data-dir="$tmp/ud2" --dump-dom \
		"file://$tmp/probe.svg" >"$tmp/dom" 2>"$tmp/dom.log" ||
		fail "$browser --dump-dom exited $?: $(tail -c 300 "$tmp/dom.log")"
	if grep -E "Uncaught|SyntaxError|TypeError|ReferenceError" "$tmp/shot.log" "$tmp/dom.log"; then
		fail "script errors in the page"
	fi
	[ -s "$tmp/shot.png" ] || fail "no screenshot"
	[ "$(head -c 8 "$tmp/shot.png" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] || fail "screenshot is not a PNG"
	# not blank: a one-colour 1200x900 PNG compresses to a few kB, the graph to far more
	size=$(wc -c <"$tmp/shot.png")
	[ "$size" -gt 20000 ] || fail "screenshot looks blank ($size bytes)"
	if [ -n "${FLAME_SHOT:-}" ]; then cp "$tmp/shot.png" "$FLAME_SHOT"; fi
	probe=$(grep -o 'data-probe="[^"]*"' "$tmp/dom") || fail "the probe script did not run: $(tail -c 300 "$tmp/dom.log")"
	echo "$probe"
	case $probe in
	*"zoomw=1180.00 parents=2 hidden=true unzoom= details=true matched=true reset=0/"*) ;;
	*) fail "unexpected page state: $probe" ;;
	esac
	;;
*)
	fail "unknown check '$check'"
	;;
esac
echo "ok $name"
