#!/usr/bin/env bash
# run_self.sh NAME - one golden case of self_cases.txt: cprof's stdout must
# equal self/NAME.out byte for byte. These cover what go tool pprof cannot
# produce (subcommands, goroutine dumps, -legacy), so the expected files are
# cprof's own reviewed output: UPDATE=1 rewrites self/NAME.out from cprof.
# A case whose args start with "!" expects exit status 2, nothing on stdout
# and one line on stderr, which is compared instead.
set -f
name=$1
. "$(dirname "$0")/../lib.sh"
need_cprof
args=$(awk -F'\t' -v n="$name" '$1 == n { print $2; exit }' "$here/self_cases.txt")
[ -n "$args" ] || { echo "no such case: $name"; exit 2; }
want_rc=0
if [ "${args:0:1}" = "!" ]; then
	want_rc=2
	args=${args:1}
fi
read -r -a argv <<<"$args"
expected=$here/self/$name.out
make_tmp self
out=$tmp/out err=$tmp/err
"$cprof" "${argv[@]}" >"$out" 2>"$err"
rc=$?
[ $rc -eq $want_rc ] || { echo "FAIL $name: exit status $rc, want $want_rc"; head -5 "$err"; exit 1; }
if [ $want_rc -ne 0 ]; then # a bad input: one error line, nothing on stdout
	[ ! -s "$out" ] || { echo "FAIL $name: stdout not empty"; exit 1; }
	[ "$(wc -l <"$err")" -eq 1 ] || { echo "FAIL $name: want one stderr line"; cat "$err"; exit 1; }
	cp "$err" "$out"
fi
if [ "${UPDATE:-0}" = 1 ]; then
	cp "$out" "$expected"
fi
[ -f "$expected" ] || { echo "missing $expected (UPDATE=1 writes it)"; exit 1; }
if cmp -s "$out" "$expected"; then
	echo "ok $name"
	exit 0
fi
echo "FAIL $name"
diff -u "$expected" "$out" | head -40
exit 1
