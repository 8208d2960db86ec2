#!/usr/bin/env bash
# run.sh SECONDS [TARGET...] - build the libFuzzer targets with clang
# (-DCPROF_FUZZ=ON: ASan + UBSan) and run each for SECONDS, one after the
# other, from the seeds of seeds.sh plus the saved crashers.
#
#   FUZZ_BUILD  build directory (default: build-fuzz in the source tree)
#   FUZZ_WORK   corpora and findings (default: $FUZZ_BUILD/fuzz-work);
#               new crashers land in $FUZZ_WORK/findings/<target>/
#   FUZZ_JOBS   build parallelism (default 2)
#   FUZZ_MAX_LEN  largest input tried, bytes (default 65536)
#
# Exit status 1 when a target found a crash, leak, hang or UB; the
# input is then in findings/ (copy it to crashers/<target>/ once fixed).
# Exit 77 without clang, 1 under CPROF_TEST_STRICT=1 (see need in
# tests/lib.sh).
secs=${1:?usage: run.sh SECONDS [TARGET...]}
shift
. "$(dirname "$0")/../lib.sh"
build=${FUZZ_BUILD:-$src/build-fuzz}
work=${FUZZ_WORK:-$build/fuzz-work}
need clang clangrt:fuzzer clangrt:asan cmake

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for f in "$here"/fuzz_*.c; do
		t=$(basename "$f" .c)
		targets+=("${t#fuzz_}")
	done
fi

CC=clang cmake -S "$src" -B "$build" -DCPROF_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 1
bins=()
for t in "${targets[@]}"; do bins+=("fuzz_$t"); done
cmake --build "$build" -j"${FUZZ_JOBS:-2}" --target "${bins[@]}" >"$build/fuzz-build.log" 2>&1 || { tail -n 30 "$build/fuzz-build.log"; exit 1; }

"$here/seeds.sh" "$work/seeds" >/dev/null
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in "${targets[@]}"; do
	corpus=$work/corpus/$t
	found=$work/findings/$t
	mkdir -p "$corpus" "$found" "$work/seeds/$t"
	dirs=("$corpus" "$work/seeds/$t")
	[ -d "$here/crashers/$t" ] && dirs+=("$here/crashers/$t")
	dict=()
	[ -f "$here/dict/$t.dict" ] && dict=(-dict="$here/dict/$t.dict")
	echo "== $t: ${secs}s"
	if ! "$build/tests/fuzz_$t" "${dict[@]}" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len="${FUZZ_MAX_LEN:-65536}" -print_final_stats=1 -artifact_prefix="$found/" "${dirs[@]}" \
		>"$work/$t.log" 2>&1; then
		echo "   FOUND: $(ls "$found" | head -3) (log: $work/$t.log)"
		status=1
	fi
	grep -E "^stat::number_of_executed_units|^stat::new_units_added" "$work/$t.log" | tr '\n' ' '
	echo
done
exit $status
