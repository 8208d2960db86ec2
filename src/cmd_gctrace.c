/*
 * cmd_gctrace.c - `cprof gctrace [flags] LOG...`: read GODEBUG=gctrace=1
 * logs and say what they mean (src/gcstats.c), as text, JSON or an SVG
 * chart, alone or side by side with a -base log.
 */
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "cprof/runtime_logs.h"
#include "runtime_cmd.h"

static const char what[] =
	"Summarise Go GC traces (GODEBUG=gctrace=1 output, any Go release, mixed with other\n"
	"output): GC count and rate, stop-the-world pauses, mark time, GC CPU and its split,\n"
	"heap over time, live-heap trend, minimum mutator utilisation, worst GCs, and hints.";

/* Read files into log; a log without a single GC line is an error. */
static int load(struct cprof_gclog *log, char *const *files, int nfiles)
{
	int rc = rt_read((const char *const *)files, nfiles, cprof_gclog_line_fn, log);
	if (rc)
		return rc;
	if (log->ngc == 0) {
		struct strbuf subj = STRBUF_INIT;
		rt_subject(&subj, files, nfiles);
		if (log->other_traces)
			rc = rt_fatal(subj.buf,
				      "no gctrace lines found, but %llu schedtrace lines: try cprof schedtrace",
				      (unsigned long long)log->other_traces);
		else
			rc = rt_fatal(subj.buf, "no gctrace lines found (run the program with GODEBUG=gctrace=1)");
		strbuf_release(&subj);
	}
	return rc;
}

int cmd_gctrace(int argc, char **argv)
{
	struct rt_opts o;
	int rc = rt_parse("gctrace", what, argc, argv, &o);
	if (rc >= 0)
		return rc;

	struct cprof_gclog log, blog;
	struct cprof_gc_summary *s = cprof_xcalloc(2, sizeof(*s)), *bs = NULL;
	struct strbuf out = STRBUF_INIT;
	cprof_gclog_init(&log);
	cprof_gclog_init(&blog);
	if ((rc = load(&log, o.files, o.nfiles)))
		goto done;
	if (o.base) {
		if ((rc = load(&blog, (char *const *)&o.base, 1)))
			goto done;
		bs = &s[1];
		cprof_gc_summarize(&blog, bs);
	}
	cprof_gc_summarize(&log, s);

	struct cprof_runtime_src src = {(const char *const *)o.files, (size_t)o.nfiles};
	struct cprof_runtime_src bsrc = {(const char *const *)&o.base, 1};
	if (o.json) {
		cprof_gc_render_json(s, &log, bs, &out);
	} else if (o.svg) {
		struct strbuf title = STRBUF_INIT;
		strbuf_addstr(&title, "cprof gctrace: ");
		rt_subject(&title, o.files, o.nfiles);
		if (o.base)
			strbuf_addf(&title, " (base: %s)", o.base);
		cprof_gc_render_svg(&log, s, bs ? &blog : NULL, bs, title.buf, &out);
		strbuf_release(&title);
	} else {
		cprof_gc_render_text(s, &log, &src, bs, &bsrc, &out);
	}
	if ((rc = rt_write(&o, &out)))
		goto done;
	if (bs) {
		double b[64], c[64];
		size_t nm = cprof_gc_nmetrics < 64 ? cprof_gc_nmetrics : 64;
		for (size_t i = 0; i < nm; i++) {
			b[i] = cprof_gc_metric(bs, i);
			c[i] = cprof_gc_metric(s, i);
		}
		rc = rt_gate(&o, cprof_gc_metrics, nm, b, c);
	}
done:
	strbuf_release(&out);
	cprof_gclog_release(&log);
	cprof_gclog_release(&blog);
	free(s);
	return rc;
}
