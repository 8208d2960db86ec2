/*
 * Unit tests of the goroutine dump parser and `cprof goroutines`
 * (test_goroutines.c), the runtime.MemStats block (test_memstats.c) and
 * the -legacy writer (test_legacy_out.c).
 */
#define TESTS_GOROUTINES(X) X(goroutine_dump_go119) X(goroutine_dump_newer_forms) \
	X(goroutine_dump_truncated) X(goroutine_dump_not_a_dump) X(goroutine_dump_bad_numbers) \
	X(goroutine_dump_depth_limit) X(goroutine_dump_registry) X(goroutines_group) \
	X(goroutines_not_count) X(memstats_parse) X(memstats_ring) X(memstats_errors) \
	X(memstats_truncated) X(legacy_out_heap) X(legacy_out_contention) X(legacy_out_count) \
	X(legacy_out_unsupported)
