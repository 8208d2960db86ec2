/*
 * fetch.c - the sources of a session: local files (formats/registry.c
 * reads them).
 */
#include "cprof/formats.h"
#include "src/driver/session_internal.h"

int cprof_read_source(const char *source, const struct cprof_session_opts *o, struct cprof_profile **out,
		      struct strbuf *notes, struct cprof_error *err)
{
	(void)o, (void)notes;
	return cprof_read_profile(source, out, err);
}
