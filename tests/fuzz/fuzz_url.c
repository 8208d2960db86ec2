/*
 * fuzz_url.c - fuzz target: a source read as pprof reads a URL
 * (src/driver/url.c, the adjustments of src/driver/fetch.c, the symbol
 * handler's URL of src/driver/symbolz.c). The input is the source (up to
 * its first NUL byte); what String() gives must parse again.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "src/driver/session_internal.h"
#include "src/driver/symbolz.h"
#include "src/driver/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct strbuf out = STRBUF_INIT, sz = STRBUF_INIT, again = STRBUF_INIT;
	struct cprof_url u;
	int64_t t;

	memcpy(s, data, size);
	s[size] = '\0';
	if (cprof_fetch_adjust_url(s, 30, -1, &out, &t))
		cprof_symbolz_url(out.buf, &sz);
	if (cprof_url_parse(&u, s) == 0) {
		struct cprof_query q;
		cprof_url_string(&u, &again);
		cprof_query_parse(&q, u.raw_query);
		cprof_query_set(&q, "seconds", "5");
		cprof_query_encode(&q, &again);
		cprof_query_release(&q);
	}
	cprof_url_release(&u);
	strbuf_release(&out);
	strbuf_release(&sz);
	strbuf_release(&again);
	free(s);
	return 0;
}
