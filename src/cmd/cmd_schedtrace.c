/*
 * cmd_schedtrace.c - `cprof schedtrace [flags] LOG...`: read
 * GODEBUG=schedtrace=X[,scheddetail=1] logs and say what they mean
 * (src/runtime/schedstats.c), as text, JSON or an SVG chart, alone or side by
 * side with a -base log. The driver is src/cmd/runtime_cmd.c; this file is
 * the schedtrace column of its table.
 */
#include "src/cmd/commands.h"
#include "cprof/runtime_logs.h"
#include "src/cmd/runtime_cmd.h"

static void init(void *log)
{
	cprof_schedlog_init(log);
}

static void release(void *log)
{
	cprof_schedlog_release(log);
}

static void finish(void *log)
{
	cprof_schedlog_finish(log);
}

static uint64_t count(const void *log, uint64_t *other)
{
	const struct cprof_schedlog *l = log;
	*other = l->other_traces;
	return l->ns;
}

static void summarize(const void *log, void *sum)
{
	cprof_sched_summarize(log, sum);
}

static void text(const void *sum, const void *log, const struct cprof_runtime_src *src, const void *base,
		 const struct cprof_runtime_src *base_src, struct strbuf *out)
{
	(void)log;
	cprof_sched_render_text(sum, src, base, base_src, out);
}

static void json(const void *sum, const void *log, const void *base, struct strbuf *out)
{
	(void)log;
	cprof_sched_render_json(sum, base, out);
}

static void svg(const void *log, const void *sum, const void *blog, const void *bsum, const char *title,
		struct strbuf *out)
{
	cprof_sched_render_svg(log, sum, blog, bsum, title, out);
}

static const struct rt_command schedtrace = {
	.name = "schedtrace",
	.what = "Summarise Go scheduler traces (GODEBUG=schedtrace=X[,scheddetail=1] output, any Go\n"
		"release, mixed with other output): utilisation of the Ps over time, threads, global and\n"
		"local run queues and their balance, P and G states and wait reasons, and a diagnosis\n"
		"(work shortage, load imbalance, too many threads, CPU-bound).",
	.trace = "schedtrace",
	.other = "gctrace",
	.godebug = "GODEBUG=schedtrace=1000",
	.log_size = sizeof(struct cprof_schedlog),
	.sum_size = sizeof(struct cprof_sched_summary),
	.init = init,
	.release = release,
	.line_fn = cprof_schedlog_line_fn,
	.finish = finish,
	.count = count,
	.summarize = summarize,
	.text = text,
	.json = json,
	.svg = svg,
	.metrics = &cprof_sched_metric_set,
};

int cmd_schedtrace(int argc, char **argv)
{
	return rt_main(&schedtrace, argc, argv);
}
