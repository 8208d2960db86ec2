/*
 * cmd_memstats.c - `cprof memstats HEAP.txt`: the runtime.MemStats block
 * of a Go heap?debug=1 (or allocs?debug=1) profile, explained.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "src/cmd/commands.h"
#include "cprof/formats.h"
#include "cprof/memstats.h"
#include "src/cmd/subcmd_flags.h"

static const char synopsis[] = "cprof memstats [-json] HEAP.txt";
static const char summary[] =
	"Explain the '# runtime.MemStats' block at the end of a Go heap or allocs profile\n"
	"written with debug=1 (/debug/pprof/heap?debug=1): heap, effective memory\n"
	"(Sys-HeapReleased), stacks, runtime metadata, GC overhead and pause percentiles.";

int cmd_memstats(int argc, char **argv)
{
	bool json = false, help = false;
	const struct subcmd_flag flags[] = {
		{"json", SUBCMD_BOOL, &json, NULL, "print every MemStats field and the derived figures as JSON"},
	};
	struct cprof_error err = {0};
	int npos;

	if (subcmd_flags_parse(flags, CPROF_ARRAY_SIZE(flags), argc, argv, &npos, &help, &err) == 0 && !help &&
	    npos != 1)
		cprof_error_set(&err, CPROF_E_USAGE, npos ? "one file expected, got %d" : "no file given", npos);
	if (help) {
		subcmd_flags_usage(stdout, synopsis, summary, flags, CPROF_ARRAY_SIZE(flags));
		return 0;
	}
	if (err.code) {
		fprintf(stderr, "cprof: error: %s\nTry 'cprof memstats -help' for more information.\n",
			cprof_error_msg(&err));
		return CPROF_EXIT_USAGE;
	}

	const char *path = argv[1];
	struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;
	struct cprof_memstats ms;
	struct cprof_memstats_derived d;
	int rc = 0;

	/* a heap profile is text: a NUL byte in its first 128 KiB refuses it before the rest is read */
	if (cprof_read_input(path, &text, cprof_text_head_check, NULL, &err) < 0 ||
	    cprof_memstats_parse(text.buf, text.len, &ms, &err) < 0) {
		fprintf(stderr, "cprof: error: %s: %s\n", path, cprof_error_msg(&err));
		rc = CPROF_EXIT_FATAL;
		goto done;
	}
	cprof_memstats_derive(&ms, &d);
	if (json)
		cprof_memstats_render_json(&ms, &d, &out);
	else
		cprof_memstats_render_text(&ms, &d, path, &out);
	if (strbuf_write(&out, stdout) || fflush(stdout)) {
		fprintf(stderr, "cprof: error: cannot write standard output: %s\n", strerror(errno));
		rc = CPROF_EXIT_FATAL;
	}
done:
	strbuf_release(&text);
	strbuf_release(&out);
	return rc;
}
