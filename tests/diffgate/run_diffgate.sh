#!/usr/bin/env bash
# run_diffgate.sh NAME - one case of cases.txt for `cprof diff`, the CI gate.
#
# cases.txt lines: <name> TAB <exit status> TAB <check> TAB <args>; args are
# split on whitespace and run from the repository root as `cprof diff ARGS`.
# "@OUT@" in args is replaced by a temporary file path, and that file is then
# what gets checked instead of stdout. Every case must exit with the given
# status, and its output (stdout, or the @OUT@ file) must equal
# expected/NAME.out byte for byte (UPDATE=1 rewrites it from cprof). The check
# adds:
#   text      nothing more;
#   json      python3 -m json.tool accepts it, the four lists exist and every
#             entry has name, base, new, delta and delta_pct;
#   json=A,B  as json, and the regressions are exactly A and B ("json=" for
#             none): the gate names the culprit and nothing innocent;
#   svg       xmllint --noout accepts it, and it has both a red fill
#             (rgb(255,g,b), g < 255) and a blue one (rgb(r,g,255), r < 255);
#   error     stdout is empty and stderr is one "cprof: error: " line (usage
#             errors add a "Try 'cprof diff -help'" line), which is compared
#             instead of stdout.
# The json checks need python3, svg xmllint (see need in tests/lib.sh).
set -f
name=$1
. "$(dirname "$0")/../lib.sh"
need_cprof
repo=$src
line=$(awk -F'\t' -v n="$name" '$1 == n { print; exit }' "$here/cases.txt")
[ -n "$line" ] || { echo "no such case: $name"; exit 2; }
IFS=$'\t' read -r _ want_rc check args <<<"$line"

case $check in json*) need python3 ;; svg) need xmllint ;; esac
make_tmp diffgate
args=${args//@OUT@/$tmp/file}
read -r -a argv <<<"$args"
(cd "$repo" && "$cprof" diff "${argv[@]}") >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
fail() {
	echo "FAIL $name: $*"
	head -n 5 "$tmp/stderr"
	exit 1
}
[ "$rc" -eq "$want_rc" ] || fail "exit status $rc, want $want_rc"
out=$tmp/stdout
case $args in *"$tmp/file"*) out=$tmp/file ;; esac

case $check in
text) ;;
json | json=*)
	python3 -m json.tool "$out" >/dev/null || fail "not valid JSON"
	python3 - "$out" "$check" <<'PY' || fail "JSON keys or regressions"
import json, sys
d = json.load(open(sys.argv[1]))
if sys.argv[2].startswith("json="):
    want = sorted(n for n in sys.argv[2][5:].split(",") if n)
    got = sorted(e["name"] for e in d["regressions"])
    assert got == want, "regressions %s, want %s" % (got, want)
for k in ("regressions", "improvements", "new", "gone"):
    assert isinstance(d[k], list), k
    for e in d[k]:
        assert set(e) == {"name", "base", "new", "delta", "delta_pct"}, e
        assert isinstance(e["name"], str)
        assert abs(e["new"] - e["base"] - e["delta"]) <= 1, e
PY
	;;
svg)
	xmllint --noout "$out" || fail "not well-formed XML"
	grep -Eq 'fill="rgb\(255,([0-9]|[0-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-4]),' "$out" || fail "no red frame"
	grep -Eq 'fill="rgb\(([0-9]|[0-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-4]),[0-9]+,255\)' "$out" || fail "no blue frame"
	;;
error)
	[ ! -s "$out" ] || fail "stdout not empty"
	head -n 1 "$tmp/stderr" | grep -q '^cprof: error: ' || fail "stderr is not a cprof error line"
	case $(wc -l <"$tmp/stderr") in
	1) ;;
	2) [ "$(sed -n 2p "$tmp/stderr")" = "Try 'cprof diff -help' for more information." ] ||
		fail "unexpected second stderr line" ;;
	*) fail "want one error line" ;;
	esac
	out=$tmp/stderr
	;;
*) fail "unknown check '$check'" ;;
esac

expected=$here/expected/$name.out
if [ "${UPDATE:-0}" = 1 ]; then
	cp "$out" "$expected"
fi
[ -f "$expected" ] || fail "missing $expected (UPDATE=1 writes it)"
if cmp -s "$out" "$expected"; then
	echo "ok $name"
	exit 0
fi
echo "FAIL $name: output differs from expected/$name.out"
diff -u "$expected" "$out" | head -n 40
exit 1
