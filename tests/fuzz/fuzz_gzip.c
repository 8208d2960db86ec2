/* fuzz_gzip.c - fuzz target: gzip input (formats/gzip.c), then the format registry. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf out = STRBUF_INIT;
	struct cprof_error err;
	struct cprof_profile *p = NULL;

	fuzz_set_limits();
	if (cprof_gunzip(data, size, &out, &err) > 0 &&
	    cprof_parse_profile((const unsigned char *)out.buf, out.len, &p, &err) == 0)
		fuzz_use_profile(p);
	strbuf_release(&out);
	return 0;
}
