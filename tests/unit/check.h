/*
 * check.h - assertion macros for unit tests: on failure they print the
 * place and the values and make the test function return 1.
 */
#ifndef CPROF_TEST_CHECK_H
#define CPROF_TEST_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define CHECK(cond)                                                                   \
	do {                                                                              \
		if (!(cond)) {                                                                \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			return 1;                                                                 \
		}                                                                             \
	} while (0)

#define CHECK_INT(a, b)                                                                        \
	do {                                                                                       \
		long long a_ = (long long)(a), b_ = (long long)(b);                                    \
		if (a_ != b_) {                                                                        \
			fprintf(stderr, "%s:%d: %s == %lld, want %lld\n", __FILE__, __LINE__, #a, a_, b_); \
			return 1;                                                                          \
		}                                                                                      \
	} while (0)

#define CHECK_STR(a, b)                                                                              \
	do {                                                                                             \
		const char *a_ = (a), *b_ = (b);                                                             \
		if (strcmp(a_, b_)) {                                                                        \
			fprintf(stderr, "%s:%d: %s ==\n[%s]\nwant\n[%s]\n", __FILE__, __LINE__, #a, a_, b_);     \
			return 1;                                                                                \
		}                                                                                            \
	} while (0)

#endif
