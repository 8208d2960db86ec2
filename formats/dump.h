/*
 * dump.h - formats-private: the upstream variant of the profile dump.
 *
 * cprof_profile_dump() (formats.h) prints Go 1.19's Profile.String(), the
 * reference for -raw. Current upstream pprof prints a "Doc: <url>" line and
 * a column after each line number ("x.go:12:0"); its profile/testdata/
 * *.string goldens use that layout, so the golden tests dump with this.
 */
#ifndef CPROF_FORMATS_DUMP_H
#define CPROF_FORMATS_DUMP_H

#include "cprof/profile.h"
#include "cprof/strbuf.h"

void cprof_profile_dump_upstream(const struct cprof_profile *p, struct strbuf *out);

#endif
