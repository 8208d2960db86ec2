/* Unit tests of the comparison behind `cprof diff` (test_diff.c). */
#define TESTS_DIFF(X) X(diff_rules) X(diff_floor_new_gone) X(diff_normalize) X(diff_noise_rule) \
	X(diff_cum_recursion) X(diff_incompatible) X(diff_renderers)
