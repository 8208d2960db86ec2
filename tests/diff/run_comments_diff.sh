#!/usr/bin/env bash
# run_comments_diff.sh NAME - one case of tests/diff/comments_cases.txt:
# go tool pprof ARGS on the runtime's profile.proto against cprof ARGS on
# the debug=1 text of the same data, "File:" and "Time:" lines left out.
# Runs from the repository root with LC_ALL=C TZ=UTC and HOME in a
# temporary directory. Exit: 0 pass, 1 fail, 77 skipped (no go; see need in
# tests/lib.sh).
set -f
name=${1:?usage: run_comments_diff.sh NAME}
. "$(dirname "$0")/../lib.sh"
need_cprof
tab=$(printf '\t')
line=$(grep -m1 "^$name$tab" "$src/tests/diff/comments_cases.txt") || { echo "no case $name" >&2; exit 1; }
IFS=$tab read -r _ proto text argstr <<<"$line"
read -r -a args <<<"$argstr"

need go
pprof=$(go env GOTOOLDIR)/pprof
[ -x "$pprof" ] || pprof=
make_tmp comments
mkdir -p "$tmp/home"

run() { # run OUT CMD...
	local out=$1
	shift
	(cd "$src" && unset PPROF_BINARY_PATH PPROF_TOOLS &&
		LC_ALL=C TZ=UTC HOME="$tmp/home" PPROF_TMPDIR="$tmp" "$@" </dev/null >"$out.raw" 2>"$out.err") ||
		{ echo "FAIL $name: $* failed: $(head -c 300 "$out.err")"; exit 1; }
	grep -v -e '^File: ' -e '^Time: ' "$out.raw" >"$out"
}
if [ -n "$pprof" ]; then
	run "$tmp/pprof" "$pprof" "${args[@]}" "$proto"
else
	run "$tmp/pprof" go tool pprof "${args[@]}" "$proto"
fi
run "$tmp/cprof" "$cprof" "${args[@]}" "$text"
if ! cmp -s "$tmp/pprof" "$tmp/cprof"; then
	echo "FAIL $name"
	diff -u --label "go tool pprof ${args[*]} $proto" --label "cprof ${args[*]} $text" "$tmp/pprof" "$tmp/cprof" | head -n 40
	exit 1
fi
echo "ok $name"
