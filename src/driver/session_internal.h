/*
 * session_internal.h - what the driver's files share (src/driver/), not
 * part of the public API.
 */
#ifndef CPROF_SESSION_INTERNAL_H
#define CPROF_SESSION_INTERNAL_H

#include <stdbool.h>
#include "cprof/session.h"

/*
 * Read one source: a local file, or a URL fetched as pprof fetches it
 * (src/driver/fetch.c). Notes get pprof's messages about it. Same contract
 * as cprof_read_profile().
 */
int cprof_read_source(const char *source, const struct cprof_session_opts *o, struct cprof_profile **out,
		      struct strbuf *notes, struct cprof_error *err);

/* pprof's isBuildID: a non-empty string of hex digits. */
bool cprof_is_build_id(const char *s);
/* Whether path is an ELF file (the binary named before the profiles). */
bool cprof_is_object_file(const char *path);

#endif
