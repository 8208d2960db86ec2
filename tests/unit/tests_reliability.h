/*
 * Unit tests of the input limits (src/cmd/limits.c, the checks in
 * formats/registry.c and formats/pprof_read.c) and of the warnings of
 * cprof_profile_lint() (formats/pprof_valid.c): test_reliability.c.
 */
#define TESTS_RELIABILITY(X) X(limits_take_args) X(limits_bad_args) X(limit_samples_locations) \
	X(limit_string) X(lint_clean) X(lint_mappings) X(lint_overflow)
