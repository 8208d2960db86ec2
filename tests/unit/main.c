/*
 * main.c - the unit-test runner: `cprof_unit NAME` runs one case (one ctest
 * each), `cprof_unit` runs them all, `cprof_unit --list` names them.
 * Cases are listed by the tests_*.h headers as X(name) entries; each is a
 * function `int test_<name>(void)` returning 0 on success.
 */
#include <stdio.h>
#include <string.h>

#include "all_tests.h"

#define DECLARE_(name) int test_##name(void);
ALL_TESTS(DECLARE_)
#undef DECLARE_

static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
#define ENTRY_(name) {#name, test_##name},
	ALL_TESTS(ENTRY_)
#undef ENTRY_
};

int main(int argc, char **argv)
{
	size_t n = sizeof(tests) / sizeof(tests[0]);
	int failed = 0, passed = 0;

	if (argc > 1 && !strcmp(argv[1], "--list")) {
		for (size_t i = 0; i < n; i++)
			puts(tests[i].name);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (argc > 1 && strcmp(argv[1], tests[i].name))
			continue;
		int rc = tests[i].fn();
		printf("%s %s\n", rc ? "FAIL" : "ok", tests[i].name);
		rc ? failed++ : passed++;
	}
	if (argc > 1 && failed + passed == 0) {
		fprintf(stderr, "no such test: %s\n", argv[1]);
		return 2;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
