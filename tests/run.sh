#!/bin/sh
# run.sh - the whole test suite, as CI runs it: install what is missing
# (tests/deps.sh --test: the packages of tests/tools.txt), build with
# warnings as errors, run every ctest; the golden cases under valgrind;
# each fuzz target for CPROF_FUZZ_SECONDS (10) seconds (CPROF_SKIP_FUZZ=1
# leaves it out); then build again with AddressSanitizer +
# UndefinedBehaviorSanitizer and run the suite again (CPROF_SKIP_SANITIZE=1
# leaves it out).
#
# Tests run with CPROF_TEST_STRICT=1: a test whose tool is missing fails,
# naming its Debian package, where a plain ctest run skips it. After each
# ctest pass tests/summary.sh prints how many tests ran, passed, failed and
# skipped, per suite and in total; a skip that tests/conformance/skips.txt
# does not list fails the run. The summaries are printed again at the end.
# Exit status 0 only when every step passed.
set -eu
cd "$(dirname "$0")/.."
sh tests/deps.sh --test

jobs=$(nproc 2>/dev/null || echo 2)
export LC_ALL=C TZ=UTC CPROF_TEST_STRICT=1
summary=$(mktemp "${TMPDIR:-/tmp}/cprof-run.XXXXXX")
trap 'rm -f "$summary" "$summary.rc"' EXIT
failed=""

# logged LOG CMD...: CMD with its output shown and kept in LOG; its exit status in rc
logged() {
	log=$1
	shift
	echo 1 >"$summary.rc"
	{ if "$@"; then echo 0 >"$summary.rc"; else echo $? >"$summary.rc"; fi; } 2>&1 | tee "$log"
	rc=$(cat "$summary.rc")
}

# ctest_pass DIR LABEL: ctest in DIR, shown and kept in DIR/ctest.log, then its summary
ctest_pass() {
	logged "$1/ctest.log" sh -c 'cd "$1" && ctest -j"$2" --output-on-failure' sh "$1" "$jobs"
	sh tests/summary.sh "$2" "$1" "$1/ctest.log" >"$1/summary.txt" || rc=1
	cat "$1/summary.txt" | tee -a "$summary"
	[ "$rc" = 0 ] || failed="$failed $2"
}

# finish: the summaries again, and the exit status
finish() {
	echo
	echo "== summary"
	cat "$summary"
	if [ -n "$failed" ]; then
		echo "tests/run.sh: FAILED:$failed"
		exit 1
	fi
	echo "tests/run.sh: all passed"
	exit 0
}

echo "== build (warnings are errors)"
cmake -S . -B build -DCPROF_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
echo "== test"
ctest_pass build "ctest (build)"

echo "== golden cases under valgrind"
logged build/valgrind.log bash tests/valgrind.sh build
echo "== $(tail -n 1 build/valgrind.log) (exit $rc)" >>"$summary"
[ $rc = 0 ] || failed="$failed valgrind"

if [ "${CPROF_SKIP_FUZZ:-0}" != 1 ]; then
	echo "== fuzz smoke (clang, ASan + UBSan; ${CPROF_FUZZ_SECONDS:-10} s per target)"
	logged build/fuzz.log env FUZZ_BUILD="$(pwd)/build-fuzz" FUZZ_JOBS="$jobs" bash tests/fuzz/run.sh "${CPROF_FUZZ_SECONDS:-10}"
	echo "== fuzz smoke: $(grep -c '^== ' build/fuzz.log) targets for ${CPROF_FUZZ_SECONDS:-10} s each, $(grep -c 'FOUND' build/fuzz.log) found a crash (exit $rc)" >>"$summary"
	[ $rc = 0 ] || failed="$failed fuzz"
else
	echo "== fuzz smoke: left out (CPROF_SKIP_FUZZ=1)" >>"$summary"
fi

if [ "${CPROF_SKIP_SANITIZE:-0}" != 1 ]; then
	echo "== build (ASan + UBSan)"
	cmake -S . -B build-asan -DCPROF_WERROR=ON -DCPROF_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	cmake --build build-asan -j"$jobs"
	echo "== test under sanitizers"
	# Graphviz and fontconfig leak internally: tests/lsan.supp names their libraries only
	supp=$(pwd)/tests/lsan.supp
	export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		LSAN_OPTIONS="suppressions=$supp:print_suppressions=0"
	ctest_pass build-asan "ctest (ASan + UBSan)"
else
	echo "== ctest (ASan + UBSan): left out (CPROF_SKIP_SANITIZE=1)" >>"$summary"
fi
finish
