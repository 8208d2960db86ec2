#!/bin/sh
# run.sh - the whole test suite, as CI runs it: install what is missing,
# build with warnings as errors, run every ctest; then build again with
# AddressSanitizer + UndefinedBehaviorSanitizer and run the suite again.
# Between the two: the golden cases under valgrind and, when clang is
# there, each fuzz target for CPROF_FUZZ_SECONDS (10) seconds
# (CPROF_SKIP_FUZZ=1 skips it). Set CPROF_SKIP_SANITIZE=1 to run only the
# first pass.
set -eu
cd "$(dirname "$0")/.."
sh tests/deps.sh --test

jobs=$(nproc 2>/dev/null || echo 2)
export LC_ALL=C TZ=UTC

echo "== build (warnings are errors)"
cmake -S . -B build -DCPROF_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
echo "== test"
(cd build && ctest -j"$jobs" --output-on-failure)
echo "== golden cases under valgrind"
sh -c 'bash tests/valgrind.sh build; rc=$?; [ $rc -eq 0 ] || [ $rc -eq 77 ]'
if command -v clang >/dev/null 2>&1 && [ "${CPROF_SKIP_FUZZ:-0}" != 1 ]; then
	echo "== fuzz smoke (clang, ASan + UBSan; ${CPROF_FUZZ_SECONDS:-10} s per target)"
	FUZZ_BUILD=$(pwd)/build-fuzz FUZZ_JOBS=$jobs bash tests/fuzz/run.sh "${CPROF_FUZZ_SECONDS:-10}"
fi

if [ "${CPROF_SKIP_SANITIZE:-0}" != 1 ]; then
	echo "== build (ASan + UBSan)"
	cmake -S . -B build-asan -DCPROF_WERROR=ON -DCPROF_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	cmake --build build-asan -j"$jobs"
	echo "== test under sanitizers"
	# Graphviz and fontconfig leak internally: tests/lsan.supp names their libraries only
	supp=$(pwd)/tests/lsan.supp
	(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		LSAN_OPTIONS="suppressions=$supp:print_suppressions=0" \
		ctest -j"$jobs" --output-on-failure)
fi
