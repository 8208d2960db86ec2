/*
 * cmd_schedtrace.c - `cprof schedtrace [flags] LOG...`: read
 * GODEBUG=schedtrace=X[,scheddetail=1] logs and say what they mean
 * (src/schedstats.c), as text, JSON or an SVG chart, alone or side by
 * side with a -base log.
 */
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "cprof/runtime_logs.h"
#include "runtime_cmd.h"

static const char what[] =
	"Summarise Go scheduler traces (GODEBUG=schedtrace=X[,scheddetail=1] output, any Go\n"
	"release, mixed with other output): utilisation of the Ps over time, threads, global and\n"
	"local run queues and their balance, P and G states and wait reasons, and a diagnosis\n"
	"(work shortage, load imbalance, too many threads, CPU-bound).";

static int load(struct cprof_schedlog *log, char *const *files, int nfiles)
{
	int rc = rt_read((const char *const *)files, nfiles, cprof_schedlog_line_fn, log);
	if (rc)
		return rc;
	if (log->ns == 0) {
		struct strbuf subj = STRBUF_INIT;
		rt_subject(&subj, files, nfiles);
		if (log->other_traces)
			rc = rt_fatal(subj.buf, "no schedtrace lines found, but %llu gctrace lines: try cprof gctrace",
				      (unsigned long long)log->other_traces);
		else
			rc = rt_fatal(subj.buf,
				      "no schedtrace lines found (run the program with GODEBUG=schedtrace=1000)");
		strbuf_release(&subj);
	}
	return rc;
}

int cmd_schedtrace(int argc, char **argv)
{
	struct rt_opts o;
	int rc = rt_parse("schedtrace", what, argc, argv, &o);
	if (rc >= 0)
		return rc;

	struct cprof_schedlog log, blog;
	struct cprof_sched_summary *s = cprof_xcalloc(2, sizeof(*s)), *bs = NULL;
	struct strbuf out = STRBUF_INIT;
	cprof_schedlog_init(&log);
	cprof_schedlog_init(&blog);
	if ((rc = load(&log, o.files, o.nfiles)))
		goto done;
	if (o.base) {
		if ((rc = load(&blog, (char *const *)&o.base, 1)))
			goto done;
		bs = &s[1];
		cprof_sched_summarize(&blog, bs);
	}
	cprof_sched_summarize(&log, s);

	struct cprof_runtime_src src = {(const char *const *)o.files, (size_t)o.nfiles};
	struct cprof_runtime_src bsrc = {(const char *const *)&o.base, 1};
	if (o.json) {
		cprof_sched_render_json(s, bs, &out);
	} else if (o.svg) {
		struct strbuf title = STRBUF_INIT;
		strbuf_addstr(&title, "cprof schedtrace: ");
		rt_subject(&title, o.files, o.nfiles);
		if (o.base)
			strbuf_addf(&title, " (base: %s)", o.base);
		cprof_sched_render_svg(&log, s, bs ? &blog : NULL, bs, title.buf, &out);
		strbuf_release(&title);
	} else {
		cprof_sched_render_text(s, &src, bs, &bsrc, &out);
	}
	if ((rc = rt_write(&o, &out)))
		goto done;
	if (bs) {
		double b[64], c[64];
		size_t nm = cprof_sched_nmetrics < 64 ? cprof_sched_nmetrics : 64;
		for (size_t i = 0; i < nm; i++) {
			b[i] = cprof_sched_metric(bs, i);
			c[i] = cprof_sched_metric(s, i);
		}
		rc = rt_gate(&o, cprof_sched_metrics, nm, b, c);
	}
done:
	strbuf_release(&out);
	cprof_schedlog_release(&log);
	cprof_schedlog_release(&blog);
	free(s);
	return rc;
}
