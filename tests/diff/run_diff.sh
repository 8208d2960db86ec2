#!/usr/bin/env bash
# Differential test: compare cprof's stdout with `go tool pprof`'s.
#
#   tests/diff/run_diff.sh CPROF_BINARY CASE_FILE [NAME]
#
# CASE_FILE has one case per line: `<name><TAB><args>`. Blank lines and lines
# starting with '#' are ignored. <args> are pprof flags and input paths
# relative to the repository root; they are split on whitespace (no quoting,
# no globbing), so an argument cannot contain spaces.
#
# For every case (or only case NAME when given) both programs run from the
# repository root with the same arguments, stdin from /dev/null, and the
# environment LC_ALL=C TZ=UTC, HOME and PPROF_TMPDIR pointing into a private
# temporary directory (nothing is written to the real $HOME or the repo) and
# PPROF_BINARY_PATH unset. A case passes when stdout is byte-for-byte equal
# and both exit statuses are zero or both are non-zero (the pprof tool exits
# 2 on errors; `go tool pprof` reports that as 1). stderr is not compared.
#
# Prints `ok NAME` or `FAIL NAME` (followed by the first 40 lines of a unified
# diff, or the two exit statuses), then `N passed, M failed`.
# Exit status: 0 all passed, 1 some failed (or usage error / unknown NAME),
# 77 when `go` is not on PATH (ctest SKIP_RETURN_CODE; a failure under
# CPROF_TEST_STRICT=1, see tests/lib.sh).
#
# Environment:
#   DIFF_KEEP=DIR   keep every case's outputs in DIR/<name>.{pprof,cprof}{,.rc}
#   DIFF_TIMEOUT=S  per-command timeout in seconds (default 120)
set -f
. "$(dirname "$0")/../lib.sh"

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: $0 CPROF_BINARY CASE_FILE [NAME]" >&2
	exit 1
fi

need go

abspath() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s\n' "$PWD/$1" ;;
	esac
}

cprof=$(abspath "$1")
casefile=$(abspath "$2")
only=${3:-}
repo=$src

if [ ! -x "$cprof" ]; then
	echo "run_diff.sh: $cprof is not an executable file" >&2
	exit 1
fi
if [ ! -r "$casefile" ]; then
	echo "run_diff.sh: cannot read $casefile" >&2
	exit 1
fi

# Prefer the pprof tool binary itself (same program `go tool pprof` runs,
# without the go command's start-up cost per case).
pprof_tool="$(go env GOTOOLDIR 2>/dev/null)/pprof"
if [ -x "$pprof_tool" ]; then
	pprof_cmd=("$pprof_tool")
else
	pprof_cmd=(go tool pprof)
fi

make_tmp diff
mkdir -p "$tmp/home" "$tmp/pprof" "$tmp/out"

keep=${DIFF_KEEP:-}
if [ -n "$keep" ]; then
	mkdir -p "$keep"
	keep=$(cd "$keep" && pwd)
fi

timeout_s=${DIFF_TIMEOUT:-120}
timeout_cmd=()
if command -v timeout >/dev/null 2>&1; then
	timeout_cmd=(timeout "$timeout_s")
fi

# run OUTFILE CMD... : runs CMD in the test environment, stdout to OUTFILE,
# stderr to OUTFILE.err; prints the exit status.
run() {
	local out=$1
	shift
	(
		cd "$repo" || exit 99
		unset PPROF_BINARY_PATH PPROF_TOOLS PPROF_OBJTOOL
		LC_ALL=C TZ=UTC HOME="$tmp/home" PPROF_TMPDIR="$tmp/pprof" \
			${timeout_cmd[@]+"${timeout_cmd[@]}"} "$@" <"/dev/null" >"$out" 2>"$out.err"
	)
	echo $?
}

passed=0
failed=0
found=0
failed_names=()
tab=$(printf '\t')

while IFS= read -r line || [ -n "$line" ]; do
	case $line in
	'' | '#'*) continue ;;
	esac
	name=${line%%"$tab"*}
	if [ "$name" = "$line" ]; then
		echo "run_diff.sh: malformed line (no TAB): $line" >&2
		failed=$((failed + 1))
		continue
	fi
	argstr=${line#*"$tab"}
	if [ -n "$only" ] && [ "$name" != "$only" ]; then
		continue
	fi
	found=$((found + 1))
	read -r -a args <<<"$argstr"

	exp="$tmp/out/$name.pprof"
	act="$tmp/out/$name.cprof"
	exp_rc=$(run "$exp" "${pprof_cmd[@]}" "${args[@]}")
	act_rc=$(run "$act" "$cprof" "${args[@]}")

	if [ -n "$keep" ]; then
		cp "$exp" "$keep/$name.pprof"
		cp "$act" "$keep/$name.cprof"
		echo "$exp_rc" >"$keep/$name.pprof.rc"
		echo "$act_rc" >"$keep/$name.cprof.rc"
	fi

	# Exit statuses are compared as success (0) / failure (non-zero): the
	# pprof tool exits 2 on errors, `go tool pprof` turns that into 1.
	exp_ok=$([ "$exp_rc" = 0 ] && echo 0 || echo 1)
	act_ok=$([ "$act_rc" = 0 ] && echo 0 || echo 1)
	if cmp -s "$exp" "$act" && [ "$exp_ok" = "$act_ok" ]; then
		echo "ok $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name"
		echo "    args: $argstr"
		if [ "$exp_ok" != "$act_ok" ]; then
			echo "    exit status: go tool pprof $exp_rc, cprof $act_rc"
			if [ "$act_rc" != 0 ] && [ -s "$act.err" ]; then
				echo "    cprof stderr: $(head -c 300 "$act.err")"
			fi
		fi
		if ! cmp -s "$exp" "$act"; then
			diff -u --label "go tool pprof $argstr" --label "cprof $argstr" \
				"$exp" "$act" | head -n 40
		fi
		failed=$((failed + 1))
		failed_names+=("$name")
	fi
	rm -f "$exp" "$exp.err" "$act" "$act.err"
done <"$casefile"

if [ -n "$only" ] && [ "$found" -eq 0 ]; then
	echo "run_diff.sh: no case named '$only' in $casefile" >&2
	exit 1
fi

if [ "$failed" -gt 0 ] && [ -z "$only" ]; then
	echo "failed cases: ${failed_names[*]+${failed_names[*]}}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
