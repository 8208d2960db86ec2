#!/usr/bin/env bash
# run_regex.sh GROUP - cprof's regular expressions against Go's regexp.
#
#   syntax  tests/regex/syntax.txt: patterns Go rejects and accepts; the
#           compile error text (or group count) of cprof_regex_compile
#           equals Go's err.Error(), and the matches on a few subjects
#   match   tests/regex/match.txt: what each construct matches
#   random  random patterns (a third of them broken) and subjects, made by
#           tests/regex/goregex.go gen with fixed seeds
#   vm      the tables and other random patterns through the fallback
#           matcher alone (src/core/regex_vm.c, cprof_regexcheck -vm)
#   cli     tests/regex/cli.txt: cprof's error line for bad patterns of
#           -focus, -ignore, -tagfocus ... (with -top) and -list, -peek ...
#           equals go tool pprof's (after "cprof: error: ")
#   tables  src/core/regex_unicode.c is what tests/regex/gen_unicode.go writes
#
# For syntax, match and random, tests/regex/goregex.go (run with go run)
# and cprof_regexcheck print one line per pattern and subject, which must
# be equal. Exit 77 when go is absent.
#
# Environment: REGEXCHECK (cprof_regexcheck), CPROF (for cli), SRCDIR.
# REGEX_KEEP=DIR keeps both outputs in DIR.
set -u
group=${1:?usage: run_regex.sh syntax|match|random|vm|cli|tables}
src=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
export LC_ALL=C TZ=UTC

if ! command -v go >/dev/null 2>&1; then
	echo "run_regex.sh: go not found on PATH; skipping" >&2
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the Go build cache lives in the test's directory unless there is a usable one
if [ -z "${GOCACHE:-}" ] && ! go env GOCACHE 2>/dev/null | grep -q '^/'; then
	export GOCACHE=$tmp/gocache
fi
export GOFLAGS= GO111MODULE=off GOTOOLCHAIN=local

fail() { echo "FAIL regex.$group: $*"; exit 1; }

# compare CASEFILE [-vm]: both sides on the same cases, outputs equal
compare() {
	local cases=$1 how=${2:-}
	[ -x "${REGEXCHECK:-}" ] || fail "REGEXCHECK must name the cprof_regexcheck binary"
	go run "$src/tests/regex/goregex.go" <"$cases" >"$tmp/go.out" || fail "goregex.go failed"
	"$REGEXCHECK" $how <"$cases" >"$tmp/cprof.out" || fail "cprof_regexcheck failed"
	if [ -n "${REGEX_KEEP:-}" ]; then
		mkdir -p "$REGEX_KEEP" && cp "$tmp/go.out" "$REGEX_KEEP/$group.go" &&
			cp "$tmp/cprof.out" "$REGEX_KEEP/$group.cprof"
	fi
	local patterns subjects errors
	patterns=$(grep -c '^[pP] ' "$tmp/go.out")
	subjects=$(grep -c '^[sS] ' "$tmp/go.out")
	errors=$(grep -c '^  error ' "$tmp/go.out")
	if ! cmp -s "$tmp/go.out" "$tmp/cprof.out"; then
		diff -U2 --label go --label cprof "$tmp/go.out" "$tmp/cprof.out" | cut -c1-300 | head -80
		fail "$(diff "$tmp/go.out" "$tmp/cprof.out" | grep -c '^>') lines differ from Go's"
	fi
	echo "ok regex.$group: $patterns patterns ($errors rejected), $subjects subjects, as Go"
}

case $group in
syntax | match)
	compare "$src/tests/regex/$group.txt" ;;
random)
	for seed in 1 2 3; do
		go run "$src/tests/regex/goregex.go" gen "$seed" 400 >>"$tmp/random.txt" || fail "goregex.go gen failed"
	done
	compare "$tmp/random.txt" ;;
vm)
	cat "$src/tests/regex/syntax.txt" "$src/tests/regex/match.txt" >"$tmp/vm.txt"
	go run "$src/tests/regex/goregex.go" gen 4 400 >>"$tmp/vm.txt" || fail "goregex.go gen failed"
	compare "$tmp/vm.txt" -vm ;;
cli)
	[ -x "${CPROF:-}" ] || fail "CPROF must name the cprof binary"
	prof=$src/testdata/go/cpu.pb.gz
	[ -f "$prof" ] || { echo "skipped: $prof absent"; exit 77; }
	export HOME=$tmp PPROF_TMPDIR=$tmp
	unset PPROF_BINARY_PATH
	n=0
	# one bad pattern per line: the flag, a tab, its value
	while IFS=$'\t' read -r flag value; do
		case $flag in '' | '#'*) continue ;; esac
		# the report's own regexp (-list, -peek ...) or a filter of -top
		case $flag in list | peek | disasm | weblist) args=("-$flag=$value") ;; *) args=(-top "-$flag=$value") ;; esac
		go tool pprof "${args[@]}" "$prof" >/dev/null 2>"$tmp/pprof.err" </dev/null
		[ $? -ne 0 ] || fail "go tool pprof accepted -$flag=$value"
		"$CPROF" "${args[@]}" "$prof" >"$tmp/out" 2>"$tmp/cprof.err" </dev/null
		rc=$?
		[ $rc -eq 2 ] || fail "-$flag=$value: exit status $rc, want 2"
		[ ! -s "$tmp/out" ] || fail "-$flag=$value: stdout not empty"
		want=$(cat "$tmp/pprof.err")
		got=$(sed 's/^cprof: error: //' "$tmp/cprof.err")
		[ "$(wc -l <"$tmp/cprof.err")" -eq 1 ] || fail "-$flag=$value: $(cat "$tmp/cprof.err")"
		[ "$got" = "$want" ] || fail "-$flag=$value: cprof says [$got], pprof [$want]"
		n=$((n + 1))
	done <"$src/tests/regex/cli.txt"
	echo "ok regex.cli: $n error lines as go tool pprof's" ;;
tables)
	go run "$src/tests/regex/gen_unicode.go" >"$tmp/regex_unicode.c" || fail "gen_unicode.go failed"
	cmp -s "$tmp/regex_unicode.c" "$src/src/core/regex_unicode.c" ||
		fail "src/core/regex_unicode.c is out of date: go run tests/regex/gen_unicode.go >src/core/regex_unicode.c"
	echo "ok regex.tables" ;;
*)
	echo "run_regex.sh: no such group: $group" >&2
	exit 2 ;;
esac
