/*
 * symcheck.c - test tool: print the frames cprof finds for object
 * addresses, one address per input line (hex), in the form
 *
 *   0x<addr>
 *   <func>|<file>|<line>      one line per frame, innermost first
 *   (blank line)
 *
 * tests/tools/symcheck.py compares this with llvm-symbolizer's answers
 * read the way pprof reads them.
 *
 *   symcheck [-fast] BINARY < addresses
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/symbolize.h"
#include "cprof/util.h"

int main(int argc, char **argv)
{
	bool fast = argc > 1 && !strcmp(argv[1], "-fast");
	if (fast)
		argc--, argv++;
	if (argc != 2) {
		fprintf(stderr, "usage: symcheck [-fast] BINARY < addresses\n");
		return 64;
	}
	struct cprof_error err = {0};
	struct cprof_objtool *t = cprof_objtool_new(NULL);
	struct cprof_objfile *f = cprof_objtool_open(t, argv[1], 0, 0, 0, &err);
	if (!f) {
		fprintf(stderr, "symcheck: %s\n", cprof_error_msg(&err));
		return 2;
	}
	char line[256];
	while (fgets(line, sizeof(line), stdin)) {
		uint64_t a = strtoull(line, NULL, 16);
		const struct cprof_frame *fr;
		size_t n;
		cprof_objfile_frames_obj(f, a, fast, &fr, &n);
		printf("0x%" PRIx64 "\n", a);
		for (size_t i = 0; i < n; i++)
			printf("%s|%s|%" PRId64 "\n", fr[i].func, fr[i].file, fr[i].line);
		printf("\n");
	}
	cprof_objtool_free(t);
	return 0;
}
