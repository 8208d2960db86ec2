/*
 * fuzz.h - what the fuzz targets share.
 *
 * Each tests/fuzz/fuzz_<parser>.c defines LLVMFuzzerTestOneInput() for one
 * parser. Built with -DCPROF_FUZZ=ON (clang) they link against libFuzzer;
 * in every build they also link with replay.c, a small main that feeds
 * files to the same entry point (the crasher regression tests).
 */
#ifndef CPROF_TESTS_FUZZ_H
#define CPROF_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "cprof/error.h"
#include "cprof/formats.h"
#include "cprof/profile.h"
#include "cprof/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Limits low enough that a fuzzer cannot make a target use gigabytes
 * (the defaults are meant for real profiles).
 */
static inline void fuzz_set_limits(void)
{
	cprof_limits.max_inflated = 16u << 20;
	cprof_limits.max_depth = 4096;
}

/* Exercise what a parsed profile feeds: the validity check and the dump. */
static inline void fuzz_use_profile(struct cprof_profile *p)
{
	struct cprof_error err;
	struct strbuf sb = STRBUF_INIT;

	if (!p)
		return;
	if (cprof_profile_check_valid(p, &err) == 0) {
		cprof_profile_dump(p, &sb);
		strbuf_release(&sb);
	}
	cprof_profile_free(p);
}

/* Run one parser with the registry's contract and use what it returns. */
static inline int fuzz_parse_with(int (*parse)(const unsigned char *, size_t, struct cprof_profile **,
					       struct cprof_error *),
				  const uint8_t *data, size_t size)
{
	struct cprof_profile *p = NULL;
	struct cprof_error err;

	fuzz_set_limits();
	if (parse(data, size, &p, &err) == 0)
		fuzz_use_profile(p);
	return 0;
}

#endif
