#!/usr/bin/env bash
# Differential test of -topproto: the gzip bytes of two encoders differ, the
# profile inside must not.
#
#   tests/diff/run_topproto.sh CPROF_BINARY CASE_FILE [NAME]
#
# CASE_FILE lines are `<name><TAB><args>` as in cases.txt; <args> include
# -topproto. For each case both tools write their profile, then:
#   1. `go tool pprof -raw` prints both profiles: the dumps must be equal;
#   2. cprof must read its own profile back: `cprof -text` of it must equal
#      `go tool pprof -text` of pprof's.
# Exit statuses are compared as in run_diff.sh (both zero or both not).
# Prints `ok NAME` / `FAIL NAME`, then `N passed, M failed`; exit 77 when
# `go` is not on PATH (see need in tests/lib.sh).
set -f
. "$(dirname "$0")/../lib.sh"

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: $0 CPROF_BINARY CASE_FILE [NAME]" >&2
	exit 1
fi
need go

case $1 in /*) cprof=$1 ;; *) cprof=$PWD/$1 ;; esac
case $2 in /*) casefile=$2 ;; *) casefile=$PWD/$2 ;; esac
only=${3:-}
repo=$src
pprof_tool="$(go env GOTOOLDIR 2>/dev/null)/pprof"
if [ -x "$pprof_tool" ]; then pprof_cmd=("$pprof_tool"); else pprof_cmd=(go tool pprof); fi

make_tmp topproto
mkdir -p "$tmp/home" "$tmp/pprof"

# run OUT CMD...: stdout to OUT, stderr discarded; prints the exit status
run() {
	local out=$1
	shift
	(
		cd "$repo" || exit 99
		unset PPROF_BINARY_PATH PPROF_TOOLS PPROF_OBJTOOL
		LC_ALL=C TZ=UTC HOME="$tmp/home" PPROF_TMPDIR="$tmp/pprof" "$@" </dev/null >"$out" 2>/dev/null
	)
	echo $?
}

passed=0 failed=0 found=0
tab=$(printf '\t')
while IFS= read -r line || [ -n "$line" ]; do
	case $line in '' | '#'*) continue ;; esac
	name=${line%%"$tab"*}
	argstr=${line#*"$tab"}
	[ -n "$only" ] && [ "$name" != "$only" ] && continue
	found=$((found + 1))
	read -r -a args <<<"$argstr"
	p_rc=$(run "$tmp/p.pb.gz" "${pprof_cmd[@]}" "${args[@]}")
	c_rc=$(run "$tmp/c.pb.gz" "$cprof" "${args[@]}")
	why=""
	if [ "$p_rc" = 0 ] && [ "$c_rc" = 0 ]; then
		run "$tmp/p.raw" "${pprof_cmd[@]}" -raw "$tmp/p.pb.gz" >/dev/null
		run "$tmp/c.raw" "${pprof_cmd[@]}" -raw "$tmp/c.pb.gz" >/dev/null
		run "$tmp/p.text" "${pprof_cmd[@]}" -text "$tmp/p.pb.gz" >/dev/null
		run "$tmp/c.text" "$cprof" -text "$tmp/c.pb.gz" >/dev/null
		if ! cmp -s "$tmp/p.raw" "$tmp/c.raw"; then
			why="profiles differ (go tool pprof -raw of each):"
			diff -u --label pprof --label cprof "$tmp/p.raw" "$tmp/c.raw" | head -n 30 >"$tmp/why"
		elif ! cmp -s "$tmp/p.text" "$tmp/c.text"; then
			why="cprof -text of cprof's profile differs from pprof -text of pprof's:"
			diff -u --label pprof --label cprof "$tmp/p.text" "$tmp/c.text" | head -n 30 >"$tmp/why"
		fi
	elif [ "$p_rc" = 0 ] || [ "$c_rc" = 0 ]; then
		why="exit status: go tool pprof $p_rc, cprof $c_rc"
		: >"$tmp/why"
	fi
	if [ -z "$why" ]; then
		echo "ok $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name"
		echo "    args: $argstr"
		echo "    $why"
		cat "$tmp/why"
		failed=$((failed + 1))
	fi
done <"$casefile"

if [ -n "$only" ] && [ "$found" -eq 0 ]; then
	echo "run_topproto.sh: no case named '$only' in $casefile" >&2
	exit 1
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
