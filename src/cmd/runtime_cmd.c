/*
 * runtime_cmd.c - the driver of cmd_gctrace.c and cmd_schedtrace.c (see
 * runtime_cmd.h).
 *
 *   cprof gctrace|schedtrace [-text|-json|-svg] [-output=FILE]
 *                            [-base=FILE [-max_regression=PCT]] LOG...
 *
 * Flags follow Go's flag package like the rest of cprof, through
 * src/cmd/subcmd_flags.c; "-" alone is a file (standard input).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/cmd/commands.h"
#include "cprof/outfile.h"
#include "cprof/util.h"
#include "src/cmd/runtime_cmd.h"
#include "src/cmd/subcmd_flags.h"

struct rt_opts {
	bool text, json, svg;
	const char *output;     /* -output=FILE, or NULL for standard output */
	const char *base;       /* -base=FILE, or NULL */
	double max_regression;  /* -max_regression=PCT, or NAN */
	char **files;           /* the logs */
	int nfiles;
};

static int usage_error(const char *cmd, const char *fmt, ...) CPROF_PRINTF(2, 3);
static int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fputs("cprof: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'cprof %s -help' for more information.\n", cmd);
	return CPROF_EXIT_USAGE;
}

/*
 * Parse argv into o. Returns -1 when the caller should go on, or the exit
 * status (0 after -help, 64 after a usage error, which it has printed).
 */
static int parse(const struct rt_command *cmd, int argc, char **argv, struct rt_opts *o)
{
	const char *max_regression = NULL;
	memset(o, 0, sizeof(*o));
	o->max_regression = NAN;
	const struct subcmd_flag flags[] = {
		{"text", SUBCMD_BOOL, &o->text, NULL, "the text report (the default)"},
		{"json", SUBCMD_BOOL, &o->json, NULL, "a JSON document instead"},
		{"svg", SUBCMD_BOOL, &o->svg, NULL, "a self-contained SVG chart instead"},
		{"output", SUBCMD_STRING, &o->output, "FILE", "write to FILE instead of standard output"},
		{"base", SUBCMD_STRING, &o->base, "FILE",
		 "compare with the log FILE (before a change): side by side, with deltas"},
		{"max_regression", SUBCMD_STRING, &max_regression, "PCT",
		 "with -base: exit 1 when a key figure got worse by more than PCT percent"},
	};
	struct cprof_error err = {0};
	int npos = 0;
	bool help = false;
	if (subcmd_flags_parse(flags, CPROF_ARRAY_SIZE(flags), argc, argv, &npos, &help, &err))
		return usage_error(cmd->name, "%s", cprof_error_msg(&err));
	if (help) {
		char synopsis[64], summary[1024];
		snprintf(synopsis, sizeof(synopsis), "cprof %s [flags] LOG...", cmd->name);
		snprintf(summary, sizeof(summary),
			 "%s\nLOG may be - (standard input); gzip-compressed logs are read as they are.", cmd->what);
		subcmd_flags_usage(stdout, synopsis, summary, flags, CPROF_ARRAY_SIZE(flags));
		return 0;
	}
	if (max_regression) {
		char *end;
		errno = 0;
		double d = strtod(max_regression, &end);
		if (errno || end == max_regression || *end || !(d >= 0) || !isfinite(d))
			return usage_error(cmd->name, "invalid value \"%s\" for -max_regression: want a percentage",
					   max_regression);
		o->max_regression = d;
	}
	if (o->json + o->svg + o->text > 1)
		return usage_error(cmd->name, "-text, -json and -svg are exclusive");
	if (!o->json && !o->svg)
		o->text = true;
	if (o->output && !*o->output)
		return usage_error(cmd->name, "-output needs a file name");
	if (o->base && !*o->base)
		return usage_error(cmd->name, "-base needs a file name");
	if (!isnan(o->max_regression) && !o->base)
		return usage_error(cmd->name, "-max_regression needs -base");
	if (npos < 1)
		return usage_error(cmd->name, "no log given (use - for standard input)");
	o->files = argv + 1;
	o->nfiles = npos;
	return -1;
}

/* strerror() in the house style: lower case ("no such file or directory"). */
static const char *errstr(int e)
{
	static char buf[256];
	snprintf(buf, sizeof(buf), "%s", strerror(e));
	if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
		buf[0] = (char)(buf[0] - 'A' + 'a');
	return buf;
}

/* Print the house error line for subject and return 2. */
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

/* "a.log, b.log" of the files, for headers and error subjects. */
static void subject(struct strbuf *sb, char *const *files, int nfiles)
{
	for (int i = 0; i < nfiles; i++) {
		if (i)
			strbuf_addstr(sb, ", ");
		strbuf_addstr(sb, files[i]);
	}
}

/* Stream every file (or "-") into log; a log without a single record is an error. */
static int load(const struct rt_command *cmd, void *log, char *const *files, int nfiles)
{
	for (int i = 0; i < nfiles; i++) {
		struct cprof_error err = {0};
		if (cprof_log_read(files[i], cmd->line_fn, log, NULL, &err))
			return fatal(files[i], "%s", cprof_error_msg(&err));
	}
	cmd->finish(log);
	uint64_t other = 0;
	if (cmd->count(log, &other))
		return 0;
	struct strbuf subj = STRBUF_INIT;
	subject(&subj, files, nfiles);
	int rc;
	if (other)
		rc = fatal(subj.buf, "no %s lines found, but %llu %s lines: try cprof %s", cmd->trace,
			   (unsigned long long)other, cmd->other, cmd->other);
	else
		rc = fatal(subj.buf, "no %s lines found (run the program with %s)", cmd->trace, cmd->godebug);
	strbuf_release(&subj);
	return rc;
}

/* Write out to -output (through a temporary file and a rename) or to stdout; 0 or 2. */
static int write_out(const struct rt_opts *o, const struct strbuf *out)
{
	if (!o->output) {
		if (strbuf_write(out, stdout) || fflush(stdout))
			return fatal("standard output", "cannot write: %s", errstr(errno));
		return 0;
	}
	struct cprof_error err = {0};
	if (cprof_write_file(o->output, out->buf, out->len, &err))
		return fatal(o->output, "%s", cprof_error_msg(&err));
	return 0;
}

/*
 * The -max_regression gate: 1 (after one stderr line per figure) when a
 * key figure with a better direction got worse than base by more than the
 * limit, else 0.
 */
static int gate(const struct rt_command *cmd, const struct rt_opts *o, const void *bsum, const void *sum)
{
	if (isnan(o->max_regression))
		return 0;
	int tripped = 0;
	const struct cprof_metric_set *set = cmd->metrics;
	for (size_t i = 0; i < *set->n; i++) {
		const struct cprof_metric *m = &set->m[i];
		double base = set->get(bsum, i), cur = set->get(sum, i);
		if (!m->better || !isfinite(base) || !isfinite(cur))
			continue;
		double d = cur - base;
		bool worse = m->better < 0 ? d > 0 : d < 0;
		if (!worse)
			continue;
		double pct = base != 0 ? 100 * fabs(d) / fabs(base) : INFINITY;
		if (pct <= o->max_regression)
			continue;
		char by[32];
		if (isfinite(pct))
			snprintf(by, sizeof(by), "%s%.1f%%", d > 0 ? "+" : "-", pct);
		else
			snprintf(by, sizeof(by), "from zero");
		fprintf(stderr, "cprof: regression: %s went from %.*f to %.*f%s%s (%s, limit %g%%)\n", m->label,
			m->decimals, base, m->decimals, cur, *m->unit ? " " : "", m->unit, by, o->max_regression);
		tripped = 1;
	}
	return tripped ? CPROF_EXIT_GATE : 0;
}

int rt_main(const struct rt_command *cmd, int argc, char **argv)
{
	struct rt_opts o;
	int rc = parse(cmd, argc, argv, &o);
	if (rc >= 0)
		return rc;

	void *log = cprof_xcalloc(1, cmd->log_size), *blog = cprof_xcalloc(1, cmd->log_size);
	void *sum = cprof_xcalloc(1, cmd->sum_size), *bsum = NULL;
	struct strbuf out = STRBUF_INIT;
	cmd->init(log);
	cmd->init(blog);
	if ((rc = load(cmd, log, o.files, o.nfiles)))
		goto done;
	if (o.base) {
		if ((rc = load(cmd, blog, (char *const *)&o.base, 1)))
			goto done;
		bsum = cprof_xcalloc(1, cmd->sum_size);
		cmd->summarize(blog, bsum);
	}
	cmd->summarize(log, sum);

	struct cprof_runtime_src src = {(const char *const *)o.files, (size_t)o.nfiles};
	struct cprof_runtime_src bsrc = {(const char *const *)&o.base, 1};
	if (o.json) {
		cmd->json(sum, log, bsum, &out);
	} else if (o.svg) {
		struct strbuf title = STRBUF_INIT;
		strbuf_addf(&title, "cprof %s: ", cmd->name);
		subject(&title, o.files, o.nfiles);
		if (o.base)
			strbuf_addf(&title, " (base: %s)", o.base);
		cmd->svg(log, sum, bsum ? blog : NULL, bsum, title.buf, &out);
		strbuf_release(&title);
	} else {
		cmd->text(sum, log, &src, bsum, &bsrc, &out);
	}
	if ((rc = write_out(&o, &out)))
		goto done;
	if (bsum)
		rc = gate(cmd, &o, bsum, sum);
done:
	strbuf_release(&out);
	cmd->release(log);
	cmd->release(blog);
	free(log);
	free(blog);
	free(sum);
	free(bsum);
	return rc;
}
