/*
 * stripsym.c - test tool: remove the symbolization from a profile.
 *
 *   stripsym IN OUT
 *
 * Reads any profile cprof reads, drops every location's lines and every
 * function, clears the mappings' has_functions/has_filenames/
 * has_line_numbers/has_inline_frames flags and writes gzipped
 * profile.proto. Addresses and mappings are kept, so both cprof and
 * go tool pprof have to symbolize the result from the binary (the Go
 * runtime writes symbolized profiles, and `go tool pprof -proto
 * -symbolize=none` keeps what is there).
 */
#include <stdio.h>
#include <string.h>

#include "cprof/formats.h"

int main(int argc, char **argv)
{
	struct cprof_error err = {0};
	struct cprof_profile *p = NULL;
	struct strbuf out = STRBUF_INIT;
	if (argc != 3) {
		fprintf(stderr, "usage: stripsym IN OUT\n");
		return 64;
	}
	if (cprof_read_profile(argv[1], &p, &err)) {
		fprintf(stderr, "stripsym: %s: %s\n", argv[1], cprof_error_msg(&err));
		return 2;
	}
	for (size_t i = 0; i < p->nlocation; i++) {
		p->location[i].nline = 0;
		p->location[i].is_folded = false;
	}
	p->nfunction = 0;
	for (size_t i = 0; i < p->nmapping; i++) {
		struct cprof_mapping *m = &p->mapping[i];
		m->has_functions = m->has_filenames = m->has_line_numbers = m->has_inline_frames = false;
	}
	if (cprof_pprof_encode(p, &out, &err)) {
		fprintf(stderr, "stripsym: %s\n", cprof_error_msg(&err));
		return 2;
	}
	FILE *f = fopen(argv[2], "wb");
	if (!f || fwrite(out.buf, 1, out.len, f) != out.len || fclose(f)) {
		fprintf(stderr, "stripsym: cannot write '%s'\n", argv[2]);
		return 2;
	}
	strbuf_release(&out);
	cprof_profile_free(p);
	return 0;
}
