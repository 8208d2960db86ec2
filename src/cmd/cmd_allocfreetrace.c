/*
 * cmd_allocfreetrace.c - `cprof allocfreetrace [flags] LOG...`: read
 * GODEBUG=allocfreetrace=1 logs as they stream (formats/allocfreetrace.c)
 * and say what they hold (src/runtime/allocstats.c), as text or JSON.
 *
 *   cprof allocfreetrace [-json] [-output=FILE] [-focus=re] [-ignore=re] [-nodecount=N] LOG...
 *
 * Flags follow Go's flag package through src/cmd/subcmd_flags.c, as the
 * other subcommands; "-" alone is standard input. Several logs are read in
 * order as one (a log split or rotated); the same log read as a profile
 * (`cprof -top trace.log`) is the way to compare runs (-base, cprof diff).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/allocfreetrace.h"
#include "cprof/outfile.h"
#include "cprof/regex.h"
#include "src/cmd/commands.h"
#include "src/cmd/subcmd_flags.h"

static const char synopsis[] = "cprof allocfreetrace [flags] LOG...";
static const char summary[] =
	"Summarise Go allocation traces (GODEBUG=allocfreetrace=1 output, mixed with other\n"
	"output): allocations and frees by type and by site, sizes, lifetimes in GC cycles,\n"
	"short-lived churn, what is live at the end and the leak candidates.\n"
	"LOG may be - (standard input); gzip-compressed logs are read as they are; several\n"
	"logs are read in order as one. The same log is also a profile: cprof -top trace.log.";

static int usage_error(const char *fmt, ...) CPROF_PRINTF(1, 2);
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("cprof: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'cprof allocfreetrace -help' for more information.\n", stderr);
	return CPROF_EXIT_USAGE;
}

static int fatal(const char *subject, const char *fmt, ...) CPROF_PRINTF(2, 3);
static int fatal(const char *subject, const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fprintf(stderr, "cprof: error: %s: ", subject);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CPROF_EXIT_FATAL;
}

/* strerror() in the house style: lower case ("broken pipe"). */
static const char *errstr(int e)
{
	static char buf[256];
	snprintf(buf, sizeof(buf), "%s", strerror(e));
	if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
		buf[0] = (char)(buf[0] - 'A' + 'a');
	return buf;
}

static const char *display(const char *path)
{
	return strcmp(path, "-") ? path : "standard input";
}

/* Stream every log into log; a log without a single record is an error. */
static int load(struct cprof_aftlog *log, char *const *files, int nfiles)
{
	for (int i = 0; i < nfiles; i++) {
		struct cprof_error err = {0};
		cprof_aftlog_next_file(log);
		if (cprof_log_read(files[i], cprof_aftlog_line_fn, log, NULL, &err))
			return fatal(display(files[i]), "%s", cprof_error_msg(&err));
		if (log->failed)
			return fatal(display(files[i]), "%s", cprof_error_msg(&log->err));
	}
	if (cprof_aftlog_finish(log))
		return fatal(display(files[nfiles - 1]), "%s", cprof_error_msg(&log->err));
	if (log->records)
		return 0;
	struct strbuf subj = STRBUF_INIT;
	for (int i = 0; i < nfiles; i++)
		strbuf_addf(&subj, "%s%s", i ? ", " : "", display(files[i]));
	int rc;
	if (log->gctrace_lines)
		rc = fatal(subj.buf, "no allocfreetrace records found, but %llu gctrace lines: try cprof gctrace",
			   (unsigned long long)log->gctrace_lines);
	else
		rc = fatal(subj.buf, "no allocfreetrace records found (run the program with "
				     "GODEBUG=allocfreetrace=1, Go 1.22 or older)");
	strbuf_release(&subj);
	return rc;
}

int cmd_allocfreetrace(int argc, char **argv)
{
	bool text = false, json = false, help = false;
	const char *output = NULL, *focus = NULL, *ignore = NULL, *nodecount_s = NULL;
	const struct subcmd_flag flags[] = {
		{"text", SUBCMD_BOOL, &text, NULL, "the text report (the default)"},
		{"json", SUBCMD_BOOL, &json, NULL, "a JSON document instead, with every row"},
		{"output", SUBCMD_STRING, &output, "FILE", "write to FILE instead of standard output"},
		{"focus", SUBCMD_STRING, &focus, "re", "only allocations with a function matching re in their stack"},
		{"ignore", SUBCMD_STRING, &ignore, "re", "drop allocations with a function matching re in their stack"},
		{"nodecount", SUBCMD_STRING, &nodecount_s, "N", "rows per table in the text report (default 20, 0: all)"},
	};
	struct cprof_error err = {0};
	int npos = 0;
	if (subcmd_flags_parse(flags, CPROF_ARRAY_SIZE(flags), argc, argv, &npos, &help, &err))
		return usage_error("%s", cprof_error_msg(&err));
	if (help) {
		subcmd_flags_usage(stdout, synopsis, summary, flags, CPROF_ARRAY_SIZE(flags));
		return 0;
	}
	size_t nodecount = 20;
	if (nodecount_s) {
		char *end;
		errno = 0;
		long long v = strtoll(nodecount_s, &end, 10);
		if (errno || end == nodecount_s || *end || v < 0)
			return usage_error("invalid value \"%s\" for -nodecount: want a count", nodecount_s);
		nodecount = (size_t)v;
	}
	if (text && json)
		return usage_error("-text and -json are exclusive");
	if (output && !*output)
		return usage_error("-output needs a file name");
	if (npos < 1)
		return usage_error("no log given (use - for standard input)");

	struct cprof_regex *fre = NULL, *ire = NULL;
	if ((focus && *focus && !(fre = cprof_regex_compile(focus, &err))) ||
	    (ignore && *ignore && !(ire = cprof_regex_compile(ignore, &err)))) {
		fprintf(stderr, "cprof: error: %s\n", cprof_error_msg(&err));
		cprof_regex_free(fre);
		return CPROF_EXIT_FATAL;
	}
	struct cprof_aft_opts opts = {fre, ire};
	struct cprof_aftlog log;
	struct cprof_aft_summary s = {0};
	struct strbuf out = STRBUF_INIT;
	cprof_aftlog_init(&log, &opts);
	int rc = load(&log, argv + 1, npos);
	if (rc)
		goto done;
	cprof_aft_summarize(&log, &s);
	if (json) {
		cprof_aft_render_json(&s, &out);
	} else {
		struct cprof_runtime_src src = {(const char *const *)(argv + 1), (size_t)npos};
		cprof_aft_render_text(&s, &src, nodecount, &out);
	}
	if (!output) {
		if (strbuf_write(&out, stdout) || fflush(stdout))
			rc = fatal("standard output", "cannot write: %s", errstr(errno));
	} else if (cprof_write_file(output, out.buf, out.len, &err)) {
		rc = fatal(output, "%s", cprof_error_msg(&err));
	}
done:
	strbuf_release(&out);
	cprof_aft_summary_release(&s);
	cprof_aftlog_release(&log);
	cprof_regex_free(fre);
	cprof_regex_free(ire);
	return rc;
}
