/*
 * runtime_cmd.c - the command-line plumbing shared by cmd_gctrace.c and
 * cmd_schedtrace.c (see runtime_cmd.h).
 *
 * Flags follow Go's flag package like the rest of cprof: -name or --name,
 * -name=value or -name value (booleans only as -name or -name=false);
 * parsing stops at the first argument that is not a flag, or after "--";
 * "-" alone is a file (standard input).
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

#include "commands.h"
#include "runtime_cmd.h"

enum kind { BOOL, STRING, PERCENT };

#define O(f) offsetof(struct rt_opts, f)
static const struct {
	const char *name;
	enum kind kind;
	size_t off;
	const char *arg, *help;
} flags[] = {
	{"text", BOOL, O(text), NULL, "the text report (the default)"},
	{"json", BOOL, O(json), NULL, "a JSON document instead"},
	{"svg", BOOL, O(svg), NULL, "a self-contained SVG chart instead"},
	{"output", STRING, O(output), "FILE", "write to FILE instead of standard output"},
	{"base", STRING, O(base), "FILE", "compare with the log FILE (before a change): side by side, with deltas"},
	{"max_regression", PERCENT, O(max_regression), "PCT",
	 "with -base: exit 1 when a key figure got worse by more than PCT percent"},
	{"help", BOOL, O(help), NULL, "print this help"},
	{"h", BOOL, O(help), NULL, NULL},
};

static void usage(FILE *f, const char *cmd, const char *what)
{
	fprintf(f, "usage: cprof %s [flags] LOG...\n\n%s\nLOG may be - (standard input); gzip-compressed logs are read as they are.\n\nFlags:\n",
		cmd, what);
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (!flags[i].help)
			continue;
		char lhs[64];
		snprintf(lhs, sizeof(lhs), "-%s%s%s", flags[i].name, flags[i].arg ? "=" : "",
			 flags[i].arg ? flags[i].arg : "");
		fprintf(f, "  %-22s %s\n", lhs, flags[i].help);
	}
}

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

int rt_parse(const char *cmd, const char *what, int argc, char **argv, struct rt_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_regression = NAN;
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		const char *name = a + 1 + (a[1] == '-');
		const char *eq = strchr(name, '=');
		size_t nl = eq ? (size_t)(eq - name) : strlen(name);
		size_t f = 0, nf = sizeof(flags) / sizeof(flags[0]);
		while (f < nf && !(strlen(flags[f].name) == nl && !memcmp(flags[f].name, name, nl)))
			f++;
		if (f == nf)
			return usage_error(cmd, "flag provided but not defined: -%.*s", (int)nl, name);
		char *field = (char *)o + flags[f].off;
		if (flags[f].kind == BOOL) {
			bool v = true;
			if (eq) {
				const char *t = eq + 1;
				if (!strcmp(t, "true") || !strcmp(t, "1") || !strcmp(t, "t") || !strcmp(t, "TRUE"))
					v = true;
				else if (!strcmp(t, "false") || !strcmp(t, "0") || !strcmp(t, "f") || !strcmp(t, "FALSE"))
					v = false;
				else
					return usage_error(cmd, "invalid boolean value \"%s\" for -%s", t, flags[f].name);
			}
			*(bool *)field = v;
			continue;
		}
		const char *v = eq ? eq + 1 : NULL;
		if (!v) {
			if (i + 1 >= argc)
				return usage_error(cmd, "flag needs an argument: -%s", flags[f].name);
			v = argv[++i];
		}
		if (flags[f].kind == STRING) {
			*(const char **)field = v;
		} else {
			char *end;
			errno = 0;
			double d = strtod(v, &end);
			if (errno || end == v || *end || !(d >= 0) || !isfinite(d))
				return usage_error(cmd, "invalid value \"%s\" for -%s: want a percentage", v, flags[f].name);
			*(double *)field = d;
		}
	}
	if (o->help) {
		usage(stdout, cmd, what);
		return 0;
	}
	if (o->json + o->svg + o->text > 1)
		return usage_error(cmd, "-text, -json and -svg are exclusive");
	if (!o->json && !o->svg)
		o->text = true;
	if (o->output && !*o->output)
		return usage_error(cmd, "-output needs a file name");
	if (o->base && !*o->base)
		return usage_error(cmd, "-base needs a file name");
	if (!isnan(o->max_regression) && !o->base)
		return usage_error(cmd, "-max_regression needs -base");
	if (i >= argc)
		return usage_error(cmd, "no log given (use - for standard input)");
	o->files = argv + i;
	o->nfiles = argc - i;
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

int rt_fatal(const char *subject, const char *fmt, ...)
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

void rt_subject(struct strbuf *sb, char *const *files, int nfiles)
{
	for (int i = 0; i < nfiles; i++) {
		if (i)
			strbuf_addstr(sb, ", ");
		strbuf_addstr(sb, files[i]);
	}
}

int rt_read(const char *const *files, int nfiles, cprof_line_fn fn, void *ctx)
{
	for (int i = 0; i < nfiles; i++) {
		struct cprof_error err = {0};
		if (cprof_log_read(files[i], fn, ctx, NULL, &err))
			return rt_fatal(files[i], "%s", cprof_error_msg(&err));
	}
	return 0;
}

int rt_write(const struct rt_opts *o, const struct strbuf *out)
{
	if (!o->output) {
		if (strbuf_write(out, stdout) || fflush(stdout))
			return rt_fatal("standard output", "cannot write: %s", errstr(errno));
		return 0;
	}
	/* a temporary file renamed into place: an error never leaves half a file */
	size_t n = strlen(o->output) + 16;
	char *tmp = cprof_xmalloc(n);
	snprintf(tmp, n, "%s.XXXXXX", o->output);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return rt_fatal(o->output, "cannot create: %s", errstr(errno));
	}
	size_t off = 0;
	while (off < out->len) {
		ssize_t w = write(fd, out->buf + off, out->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			int e = errno;
			close(fd);
			unlink(tmp);
			free(tmp);
			return rt_fatal(o->output, "cannot write: %s", errstr(e));
		}
		off += (size_t)w;
	}
	mode_t um = umask(0);
	umask(um);
	(void)fchmod(fd, 0666 & ~um);
	if (close(fd) || rename(tmp, o->output)) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		return rt_fatal(o->output, "cannot write: %s", errstr(e));
	}
	free(tmp);
	return 0;
}

int rt_gate(const struct rt_opts *o, const struct cprof_metric *m, size_t nm, const double *base,
	    const double *cur)
{
	if (isnan(o->max_regression))
		return 0;
	int tripped = 0;
	for (size_t i = 0; i < nm; i++) {
		if (!m[i].better || !isfinite(base[i]) || !isfinite(cur[i]))
			continue;
		double d = cur[i] - base[i];
		bool worse = m[i].better < 0 ? d > 0 : d < 0;
		if (!worse)
			continue;
		double pct = base[i] != 0 ? 100 * fabs(d) / fabs(base[i]) : INFINITY;
		if (pct <= o->max_regression)
			continue;
		char by[32];
		if (isfinite(pct))
			snprintf(by, sizeof(by), "%s%.1f%%", d > 0 ? "+" : "-", pct);
		else
			snprintf(by, sizeof(by), "from zero");
		fprintf(stderr, "cprof: regression: %s went from %.*f to %.*f%s%s (%s, limit %g%%)\n",
			m[i].label, m[i].decimals, base[i], m[i].decimals, cur[i], *m[i].unit ? " " : "",
			m[i].unit, by, o->max_regression);
		tripped = 1;
	}
	return tripped ? CPROF_EXIT_GATE : 0;
}
