/*
 * cmd_goroutines.c - `cprof goroutines DUMP`: the goroutines of a dump or
 * goroutine profile, grouped by stack and state, busiest groups first.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "src/cmd/commands.h"
#include "cprof/formats.h"
#include "cprof/goroutines.h"
#include "src/cmd/subcmd_flags.h"

static const char synopsis[] = "cprof goroutines [-json] [-focus=re] [-ignore=re] DUMP";
static const char summary[] =
	"Summarize a goroutine dump (goroutine?debug=2, a crash or SIGQUIT traceback),\n"
	"a debug=1 goroutine profile or a profile.proto goroutine profile: goroutines\n"
	"with the same stack, state and creator form one group, largest first.";

int cmd_goroutines(int argc, char **argv)
{
	bool json = false, help = false;
	const char *focus = NULL, *ignore = NULL;
	const struct subcmd_flag flags[] = {
		{"json", SUBCMD_BOOL, &json, NULL, "print JSON instead of text"},
		{"focus", SUBCMD_STRING, &focus, "re", "only goroutines with a function matching re in their stack"},
		{"ignore", SUBCMD_STRING, &ignore, "re", "drop goroutines with a function matching re in their stack"},
	};
	struct cprof_error err = {0};
	int npos;

	if (subcmd_flags_parse(flags, CPROF_ARRAY_SIZE(flags), argc, argv, &npos, &help, &err) == 0 && !help &&
	    npos != 1)
		cprof_error_set(&err, CPROF_E_USAGE, npos ? "one dump expected, got %d" : "no dump given", npos);
	if (help) {
		subcmd_flags_usage(stdout, synopsis, summary, flags, CPROF_ARRAY_SIZE(flags));
		return 0;
	}
	if (err.code) {
		fprintf(stderr, "cprof: error: %s\nTry 'cprof goroutines -help' for more information.\n",
			cprof_error_msg(&err));
		return CPROF_EXIT_USAGE;
	}

	const char *path = argv[1];
	struct cprof_regex *fre = NULL, *ire = NULL;
	struct cprof_profile *p = NULL;
	struct cprof_goroutine_summary s = {0};
	struct strbuf out = STRBUF_INIT;
	int rc = 0;

	if ((focus && *focus && !(fre = cprof_regex_compile(focus, &err))) ||
	    (ignore && *ignore && !(ire = cprof_regex_compile(ignore, &err)))) {
		fprintf(stderr, "cprof: error: %s\n", cprof_error_msg(&err));
		rc = CPROF_EXIT_FATAL;
		goto done;
	}
	struct cprof_goroutine_opts o = {fre, ire};
	if (cprof_read_profile(path, &p, &err) == 0 && p->text_comments)
		cprof_profile_use_text_comments(p, true); /* a debug=1 profile names its frames in comments */
	if (!p || cprof_goroutines_summarize(p, &o, &s, &err)) {
		fprintf(stderr, "cprof: error: %s: %s\n", path, cprof_error_msg(&err));
		rc = CPROF_EXIT_FATAL;
		goto done;
	}
	if (json)
		cprof_goroutines_render_json(&s, &out);
	else
		cprof_goroutines_render_text(&s, &out);
	if (strbuf_write(&out, stdout) || fflush(stdout)) {
		fprintf(stderr, "cprof: error: cannot write standard output: %s\n", strerror(errno));
		rc = CPROF_EXIT_FATAL;
	}
done:
	strbuf_release(&out);
	cprof_goroutine_summary_release(&s);
	cprof_profile_free(p);
	cprof_regex_free(fre);
	cprof_regex_free(ire);
	return rc;
}
