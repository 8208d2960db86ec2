/*
 * cmd_gctrace.c - `cprof gctrace [flags] LOG...`: read GODEBUG=gctrace=1
 * logs and say what they mean (src/runtime/gcstats.c), as text, JSON or an SVG
 * chart, alone or side by side with a -base log. The driver is
 * src/cmd/runtime_cmd.c; this file is the gctrace column of its table.
 */
#include "src/cmd/commands.h"
#include "cprof/runtime_logs.h"
#include "src/cmd/runtime_cmd.h"

static void init(void *log)
{
	cprof_gclog_init(log);
}

static void release(void *log)
{
	cprof_gclog_release(log);
}

static void finish(void *log)
{
	cprof_gclog_finish(log);
}

static uint64_t count(const void *log, uint64_t *other)
{
	const struct cprof_gclog *l = log;
	*other = l->other_traces;
	return l->ngc;
}

static void summarize(const void *log, void *sum)
{
	cprof_gc_summarize(log, sum);
}

static void text(const void *sum, const void *log, const struct cprof_runtime_src *src, const void *base,
		 const struct cprof_runtime_src *base_src, struct strbuf *out)
{
	cprof_gc_render_text(sum, log, src, base, base_src, out);
}

static void json(const void *sum, const void *log, const void *base, struct strbuf *out)
{
	cprof_gc_render_json(sum, log, base, out);
}

static void svg(const void *log, const void *sum, const void *blog, const void *bsum, const char *title,
		struct strbuf *out)
{
	cprof_gc_render_svg(log, sum, blog, bsum, title, out);
}

static const struct rt_command gctrace = {
	.name = "gctrace",
	.what = "Summarise Go GC traces (GODEBUG=gctrace=1 output, any Go release, mixed with other\n"
		"output): GC count and rate, stop-the-world pauses, mark time, GC CPU and its split,\n"
		"heap over time, live-heap trend, minimum mutator utilisation, worst GCs, and hints.",
	.trace = "gctrace",
	.other = "schedtrace",
	.godebug = "GODEBUG=gctrace=1",
	.log_size = sizeof(struct cprof_gclog),
	.sum_size = sizeof(struct cprof_gc_summary),
	.init = init,
	.release = release,
	.line_fn = cprof_gclog_line_fn,
	.finish = finish,
	.count = count,
	.summarize = summarize,
	.text = text,
	.json = json,
	.svg = svg,
	.metrics = &cprof_gc_metric_set,
};

int cmd_gctrace(int argc, char **argv)
{
	return rt_main(&gctrace, argc, argv);
}
