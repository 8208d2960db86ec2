/*
 * fuzz_legacy_comments.c - fuzz target: Go debug=1 '#' comment lines
 * (formats/legacy_comments.c) after the registry parsed the profile.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cprof_profile *p = NULL;
	struct cprof_error err;

	fuzz_set_limits();
	if (cprof_parse_profile(data, size, &p, &err) < 0)
		return 0;
	cprof_profile_use_text_comments(p, size & 1);
	fuzz_use_profile(p);
	return 0;
}
