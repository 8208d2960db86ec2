/*
 * fuzz_head.c - fuzz target: the registry's first-bytes rules
 * (cprof_profile_head_check, formats/registry.c) against the parsers.
 * Whenever the head check refuses a prefix of the input, parsing the whole
 * input must fail too, with the same message: a head check that refuses
 * what a parser would read, or says something else than it, aborts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static void check_prefix(const uint8_t *data, size_t len, const struct cprof_error *whole, bool parsed)
{
	struct cprof_error err = {0};
	if (len == 0 || cprof_profile_head_check(data, len, NULL, &err) == 0)
		return;
	if (parsed || strcmp(cprof_error_msg(&err), cprof_error_msg(whole)) != 0) {
		fprintf(stderr, "head check of %zu bytes: '%s'; whole input: '%s'\n", len, cprof_error_msg(&err),
			parsed ? "(parsed)" : cprof_error_msg(whole));
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cprof_profile *p = NULL;
	struct cprof_error whole = {0};

	fuzz_set_limits();
	bool parsed = cprof_parse_profile(data, size, &p, &whole) == 0;
	cprof_profile_free(p);
	/* every prefix of the first line or two, then a few longer ones */
	size_t short_end = size < 256 ? size : 256;
	for (size_t len = 1; len <= short_end; len++)
		check_prefix(data, len, &whole, parsed);
	for (size_t len = 512; len < size; len *= 2)
		check_prefix(data, len, &whole, parsed);
	if (size > short_end)
		check_prefix(data, size, &whole, parsed);
	return 0;
}
