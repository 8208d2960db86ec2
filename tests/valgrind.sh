#!/usr/bin/env bash
# valgrind.sh [BUILD_DIR] - the golden cases (tests/golden/cases.txt and
# self_cases.txt) with cprof run under valgrind memcheck: any invalid read
# or write, use of uninitialised memory or definite/indirect leak fails the
# case (--error-exitcode), and the output must still match byte for byte.
# Skips (77) without valgrind, fails under CPROF_TEST_STRICT=1 (see need in
# tests/lib.sh). BUILD_DIR defaults to build; a non-sanitized build is
# needed (valgrind and ASan do not mix).
. "$(dirname "$0")/lib.sh"
root=$(cd "$tests/.." && pwd)
build=${1:-$root/build}
cprof_bin=$(cd "$build" && pwd)/cprof
need valgrind
[ -x "$cprof_bin" ] || { echo "valgrind.sh: no $cprof_bin"; exit 2; }
make_tmp valgrind
# the cprof the case scripts run: the real one under memcheck
cat >"$tmp/cprof" <<WRAP
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \\
	--show-leak-kinds=definite,indirect --suppressions="$root/tests/valgrind.supp" \\
	--log-file="$tmp/vg.%p" "$cprof_bin" "\$@"
WRAP
chmod +x "$tmp/cprof"
export CPROF=$tmp/cprof LC_ALL=C TZ=UTC SRCDIR=$root
cd "$root"
pass=0 failed=0
for list in golden/cases.txt:golden/run_golden.sh golden/self_cases.txt:golden/run_self.sh; do
	cases=$root/tests/${list%%:*}
	script=$root/tests/${list##*:}
	for name in $(grep -v '^#' "$cases" | cut -f1); do
		rm -f "$tmp"/vg.*
		if out=$(bash "$script" "$name" 2>&1) && ! grep -qs . "$tmp"/vg.*; then
			pass=$((pass + 1))
		else
			failed=$((failed + 1))
			echo "FAIL $name"
			echo "$out" | head -n 20
			cat "$tmp"/vg.* 2>/dev/null | head -n 60
		fi
	done
done
echo "valgrind: $pass passed, $failed failed"
[ $failed -eq 0 ]
