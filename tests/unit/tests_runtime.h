/* Unit tests of the Go runtime log parsers and analysis (test_runtime.c). */
#define TESTS_RUNTIME(X) X(rt_float) X(rt_gc_shapes) X(rt_gc_log) X(rt_dist) X(rt_mmu) X(rt_sched) \
	X(rt_logread) X(rt_garbage) X(rt_json_num) X(rt_dist_random) X(rt_mmu_random) \
	X(rt_valcount) X(rt_gc_runs_merged) X(rt_mmu_dense) X(rt_sched_runs_merged)
