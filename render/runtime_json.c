/*
 * runtime_json.c - `cprof gctrace -json` and `cprof schedtrace -json`.
 *
 * One JSON object (RFC 8259), keys in a fixed order, then a newline.
 * Figures that a log does not give are null. Numbers are integers when
 * they are whole, otherwise up to 6 decimals.
 *
 *   {"tool":"cprof gctrace","gc_count":612,"forced_gc_count":3,...,
 *    "pause_ms":{"count":612,"total":61.234,"mean":0.100056,"min":0.003,
 *                "p50":0.08,"p90":0.2,"p95":0.3,"p99":0.9,"max":4.1},...}
 *
 * With -base the report of the new log keeps its keys at the top level
 * and gains "base" (the whole report of the old log) and "comparison"
 * (one entry per key figure: base, new, delta, delta_percent, better).
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cprof/runtime_logs.h"
#include "runtime_render.h"

void cprof_json_num(struct strbuf *out, double v)
{
	if (!isfinite(v)) {
		strbuf_addstr(out, "null");
		return;
	}
	if (v == floor(v) && fabs(v) < 1e15) {
		strbuf_addf(out, "%.0f", v == 0 ? 0.0 : v);
		return;
	}
	char buf[64];
	int n = snprintf(buf, sizeof(buf), "%.6f", v);
	if (n < 0 || n >= (int)sizeof(buf)) { /* |v| past about 1e56: exponent form */
		strbuf_addf(out, "%.17g", v);
		return;
	}
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	if (!strcmp(buf, "-0"))
		strcpy(buf, "0");
	strbuf_addstr(out, buf);
}

void cprof_json_str(struct strbuf *out, const char *s)
{
	strbuf_addch(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			strbuf_addstr(out, "\\\"");
			break;
		case '\\':
			strbuf_addstr(out, "\\\\");
			break;
		case '\n':
			strbuf_addstr(out, "\\n");
			break;
		case '\t':
			strbuf_addstr(out, "\\t");
			break;
		case '\r':
			strbuf_addstr(out, "\\r");
			break;
		default:
			if (*p < 0x20)
				strbuf_addf(out, "\\u%04x", *p);
			else
				strbuf_addch(out, (char)*p);
		}
	}
	strbuf_addch(out, '"');
}

/* ,"key": */
static void key(struct strbuf *out, const char *k)
{
	if (out->len && out->buf[out->len - 1] != '{' && out->buf[out->len - 1] != '[')
		strbuf_addch(out, ',');
	cprof_json_str(out, k);
	strbuf_addch(out, ':');
}

static void kv_num(struct strbuf *out, const char *k, double v)
{
	key(out, k);
	cprof_json_num(out, v);
}

static void kv_int(struct strbuf *out, const char *k, int64_t v, bool present)
{
	key(out, k);
	if (present)
		strbuf_addf(out, "%lld", (long long)v);
	else
		strbuf_addstr(out, "null");
}

static void kv_bool(struct strbuf *out, const char *k, bool v)
{
	key(out, k);
	strbuf_addstr(out, v ? "true" : "false");
}

static void kv_str(struct strbuf *out, const char *k, const char *v)
{
	key(out, k);
	cprof_json_str(out, v);
}

static void open_obj(struct strbuf *out, const char *k)
{
	if (k)
		key(out, k);
	else if (out->len && out->buf[out->len - 1] == '}')
		strbuf_addch(out, ',');
	strbuf_addch(out, '{');
}

static void open_arr(struct strbuf *out, const char *k)
{
	key(out, k);
	strbuf_addch(out, '[');
}

void rt_json_dist(struct strbuf *out, const char *name, const struct cprof_dist *d)
{
	open_obj(out, name);
	kv_num(out, "count", (double)d->count);
	kv_num(out, "total", d->count ? d->total : NAN);
	kv_num(out, "mean", d->mean);
	kv_num(out, "min", d->min);
	kv_num(out, "p50", d->p50);
	kv_num(out, "p90", d->p90);
	kv_num(out, "p95", d->p95);
	kv_num(out, "p99", d->p99);
	kv_num(out, "max", d->max);
	strbuf_addch(out, '}');
}

void rt_json_mmm(struct strbuf *out, const char *name, const struct cprof_mmm *m)
{
	open_obj(out, name);
	kv_num(out, "mean", m->mean);
	kv_num(out, "min", m->min);
	kv_num(out, "max", m->max);
	strbuf_addch(out, '}');
}

void rt_json_compare(struct strbuf *out, const struct cprof_metric_set *set, const void *bsum, const void *sum)
{
	const struct cprof_metric *m = set->m;
	open_arr(out, "comparison");
	for (size_t i = 0; i < *set->n; i++) {
		double base = set->get(bsum, i), cur = set->get(sum, i);
		double d = cur - base;
		open_obj(out, NULL);
		kv_str(out, "key", m[i].key);
		kv_str(out, "label", m[i].label);
		kv_num(out, "base", base);
		kv_num(out, "new", cur);
		kv_num(out, "delta", d);
		kv_num(out, "delta_percent", base != 0 ? 100 * d / fabs(base) : NAN);
		kv_str(out, "better", m[i].better < 0 ? "lower" : m[i].better > 0 ? "higher" : "neither");
		strbuf_addch(out, '}');
	}
	strbuf_addch(out, ']');
}

static void hints_json(struct strbuf *out, const char *name, const struct cprof_hint *h, size_t n,
		       const char *unit)
{
	open_arr(out, name);
	for (size_t i = 0; i < n; i++) {
		char k[16];
		open_obj(out, NULL);
		kv_str(out, "id", h[i].id);
		kv_str(out, "text", h[i].text);
		snprintf(k, sizeof(k), "from_%s", unit);
		kv_num(out, k, h[i].from);
		snprintf(k, sizeof(k), "to_%s", unit);
		kv_num(out, k, h[i].to);
		strbuf_addch(out, '}');
	}
	strbuf_addch(out, ']');
}

/* "lines": what was read, what held records, what was skipped. */
static void lines_json(struct strbuf *out, uint64_t read, uint64_t records, uint64_t skipped, uint64_t malformed,
		       uint64_t other)
{
	open_obj(out, "lines");
	kv_num(out, "read", (double)read);
	kv_num(out, "records", (double)records);
	kv_num(out, "skipped", (double)skipped);
	kv_num(out, "malformed", (double)malformed);
	kv_num(out, "other_traces", (double)other);
	strbuf_addch(out, '}');
}

/*
 * A whole document: the report of sum, and with a base the base's report
 * and the comparison of their key figures.
 */
static void document(struct strbuf *out, void (*body)(struct strbuf *, const void *sum, const void *log),
		     const void *sum, const void *log, const void *base, const struct cprof_metric_set *set)
{
	strbuf_addch(out, '{');
	body(out, sum, log);
	if (base) {
		open_obj(out, "base");
		body(out, base, NULL);
		strbuf_addch(out, '}');
		rt_json_compare(out, set, base, sum);
	}
	strbuf_addstr(out, "}\n");
}

/* ---- gctrace ---- */

static void gc_body(struct strbuf *out, const void *sum, const void *logp)
{
	const struct cprof_gc_summary *s = sum;
	const struct cprof_gclog *log = logp;
	kv_str(out, "tool", "cprof gctrace");
	kv_num(out, "gc_count", (double)s->gc_count);
	kv_num(out, "forced_gc_count", (double)s->forced_count);
	kv_num(out, "periodic_gc_count", (double)s->periodic_count);
	kv_num(out, "gc_forced_lines", (double)s->forced_lines);
	kv_num(out, "runs", (double)s->runs);
	kv_num(out, "span_seconds", s->span_s);
	kv_num(out, "first_gc_seconds", s->first_s);
	kv_num(out, "last_gc_end_seconds", s->last_s);
	kv_num(out, "gc_per_second", s->gc_per_s);
	kv_num(out, "gc_interval_mean_ms", s->interval_mean_ms);
	rt_json_dist(out, "pause_ms", &s->pause_ms);
	rt_json_dist(out, "mark_ms", &s->mark_ms);
	kv_int(out, "gc_cpu_percent_end", s->gc_cpu_pct_end, s->gc_cpu_pct_end >= 0);
	kv_num(out, "gc_cpu_percent_computed", s->gc_cpu_pct_computed);
	bool split = s->assist_ms + s->background_ms + s->idle_ms > 0 || s->timed;
	open_obj(out, "cpu_ms");
	kv_num(out, "stw", split ? s->stw_cpu_ms : NAN);
	kv_num(out, "assist", split ? s->assist_ms : NAN);
	kv_num(out, "background", split ? s->background_ms : NAN);
	kv_num(out, "idle", split ? s->idle_ms : NAN);
	kv_num(out, "gc", split ? s->gc_cpu_ms : NAN);
	strbuf_addch(out, '}');
	kv_num(out, "assist_percent", s->assist_pct);
	static const struct {
		const char *key;
		size_t off;
	} heap[] = {
		{"heap_start_mb", offsetof(struct cprof_gc_summary, heap_start)},
		{"heap_end_mb", offsetof(struct cprof_gc_summary, heap_end)},
		{"heap_live_mb", offsetof(struct cprof_gc_summary, heap_live)},
		{"heap_goal_mb", offsetof(struct cprof_gc_summary, heap_goal)},
	};
	for (size_t i = 0; i < sizeof(heap) / sizeof(heap[0]); i++)
		rt_json_mmm(out, heap[i].key, (const struct cprof_mmm *)((const char *)s + heap[i].off));
	kv_int(out, "heap_peak_mb", s->heap_peak_mb, s->heap_peak_mb >= 0);
	kv_int(out, "live_heap_peak_mb", s->live_peak_mb, s->live_peak_mb >= 0);
	kv_int(out, "stacks_max_mb", s->stacks_max_mb, s->stacks_max_mb >= 0);
	kv_int(out, "globals_max_mb", s->globals_max_mb, s->globals_max_mb >= 0);
	kv_int(out, "procs", s->procs, s->procs > 0);
	kv_int(out, "procs_min", s->procs_min, s->procs_min > 0);
	kv_int(out, "procs_max", s->procs_max, s->procs_max > 0);

	open_obj(out, "live_heap_trend");
	kv_num(out, "first_third_mean_mb", s->live_first_mean);
	kv_num(out, "last_third_mean_mb", s->live_last_mean);
	kv_num(out, "slope_mb_per_minute", s->live_slope_mb_per_min);
	kv_bool(out, "possible_leak", s->leak_suspect);
	strbuf_addch(out, '}');

	open_obj(out, "mmu_percent");
	for (size_t i = 0; i < CPROF_MMU_WINDOWS; i++) {
		char k[16];
		double w = cprof_mmu_windows_ms[i];
		if (w >= 1000)
			snprintf(k, sizeof(k), "%.0fs", w / 1000);
		else
			snprintf(k, sizeof(k), "%.0fms", w);
		kv_num(out, k, 100 * s->mmu[i]);
	}
	strbuf_addch(out, '}');

	open_arr(out, "intervals");
	for (size_t i = 0; i < s->ninterval; i++) {
		const struct cprof_gc_interval *iv = &s->interval[i];
		open_obj(out, NULL);
		kv_num(out, "start_seconds", iv->start_s);
		kv_num(out, "end_seconds", iv->end_s);
		kv_num(out, "gc_count", (double)iv->ngc);
		kv_num(out, "forced_gc_count", (double)iv->nforced);
		kv_num(out, "gc_cpu_percent", iv->gc_cpu_pct);
		kv_num(out, "assist_percent", iv->assist_pct);
		kv_num(out, "background_percent", iv->background_pct);
		kv_num(out, "idle_percent", iv->idle_pct);
		kv_num(out, "pause_max_ms", iv->ngc ? iv->pause_max_ms : NAN);
		kv_num(out, "pause_total_ms", iv->pause_total_ms);
		kv_int(out, "heap_max_mb", iv->heap_max_mb, iv->heap_max_mb >= 0);
		kv_int(out, "live_max_mb", iv->live_max_mb, iv->live_max_mb >= 0);
		kv_int(out, "goal_max_mb", iv->goal_max_mb, iv->goal_max_mb >= 0);
		strbuf_addch(out, '}');
	}
	strbuf_addch(out, ']');

	open_arr(out, "worst_gcs");
	for (size_t i = 0; i < s->nworst && log; i++) {
		const struct cprof_gc *g = &s->worst[i];
		open_obj(out, NULL);
		kv_num(out, "gc", (double)g->num);
		kv_num(out, "at_seconds", g->at_s);
		kv_num(out, "pause_ms", g->pause_ms);
		kv_num(out, "mark_ms", g->mark_ms);
		kv_int(out, "heap_start_mb", g->heap_start_mb, g->heap_start_mb >= 0);
		kv_int(out, "heap_end_mb", g->heap_end_mb, g->heap_end_mb >= 0);
		kv_int(out, "heap_live_mb", g->heap_live_mb, g->heap_live_mb >= 0);
		kv_int(out, "heap_goal_mb", g->heap_goal_mb, g->heap_goal_mb >= 0);
		kv_bool(out, "forced", g->forced);
		strbuf_addch(out, '}');
	}
	strbuf_addch(out, ']');

	key(out, "scavenger");
	if (s->scav.lines) {
		const struct cprof_scav_stats *v = &s->scav;
		strbuf_addch(out, '{');
		kv_num(out, "lines", (double)v->lines);
		kv_num(out, "forced", (double)v->forced);
		kv_num(out, "controller_resets", (double)v->resets);
		kv_num(out, "released_mb", v->released_mb);
		kv_int(out, "last_inuse_mb", v->inuse_mb, v->inuse_mb >= 0);
		kv_int(out, "last_idle_mb", v->idle_mb, v->idle_mb >= 0);
		kv_int(out, "last_sys_mb", v->sys_mb, v->sys_mb >= 0);
		kv_int(out, "last_released_mb", v->rel_mb, v->rel_mb >= 0);
		kv_int(out, "last_consumed_mb", v->consumed_mb, v->consumed_mb >= 0);
		kv_int(out, "last_total_kib", v->total_kib, v->total_kib >= 0);
		kv_int(out, "last_util_percent", v->util_pct, v->util_pct >= 0);
		strbuf_addch(out, '}');
	} else {
		strbuf_addstr(out, "null");
	}
	key(out, "pacer");
	if (s->pacer.lines) {
		const struct cprof_pacer_stats *v = &s->pacer;
		strbuf_addch(out, '{');
		kv_num(out, "lines", (double)v->lines);
		kv_num(out, "cycle_starts", (double)v->starts);
		kv_num(out, "cycle_ends", (double)v->ends);
		kv_num(out, "sweeps", (double)v->sweeps);
		kv_num(out, "controller_resets", (double)v->resets);
		kv_num(out, "assist_ratio_mean", v->starts ? v->assist_ratio_sum / (double)v->starts : NAN);
		kv_num(out, "assist_ratio_max", v->starts ? v->assist_ratio_max : NAN);
		kv_num(out, "mark_cpu_percent_mean", v->util_n ? v->util_sum / (double)v->util_n : NAN);
		kv_num(out, "mark_cpu_goal_percent_mean",
		       v->util_n ? v->util_goal_sum / (double)v->util_n : NAN);
		strbuf_addch(out, '}');
	} else {
		strbuf_addstr(out, "null");
	}

	hints_json(out, "hints", s->hint, s->nhint, "seconds");
	open_obj(out, "shapes");
	for (unsigned i = 0; i < CPROF_GC__SHAPES; i++)
		if (s->shapes[i])
			kv_num(out, cprof_gc_shape_name((enum cprof_gc_shape)i), (double)s->shapes[i]);
	strbuf_addch(out, '}');
	lines_json(out, s->lines, s->records, s->skipped, s->malformed, s->other_traces);
}

void cprof_gc_render_json(const struct cprof_gc_summary *s, const struct cprof_gclog *log,
			  const struct cprof_gc_summary *base, struct strbuf *out)
{
	document(out, gc_body, s, log, base, &cprof_gc_metric_set);
}

/* ---- schedtrace ---- */

static void sched_body(struct strbuf *out, const void *sum, const void *log)
{
	const struct cprof_sched_summary *s = sum;
	(void)log;
	kv_str(out, "tool", "cprof schedtrace");
	kv_num(out, "samples", (double)s->samples);
	kv_num(out, "detail_samples", (double)s->detail_samples);
	kv_num(out, "runs", (double)s->runs);
	kv_num(out, "span_ms", s->span_ms);
	kv_num(out, "first_ms", s->first_ms);
	kv_num(out, "last_ms", s->last_ms);
	kv_int(out, "gomaxprocs", s->gomaxprocs, s->gomaxprocs > 0);
	kv_int(out, "gomaxprocs_min", s->gomaxprocs_min, s->gomaxprocs_min > 0);
	kv_int(out, "gomaxprocs_max", s->gomaxprocs_max, s->gomaxprocs_max > 0);
	static const struct {
		const char *key;
		size_t off;
	} series[] = {
#define S(k, f) {k, offsetof(struct cprof_sched_summary, f)}
		S("utilisation_percent", util_pct),   S("idleprocs", idleprocs),
		S("global_runqueue", runqueue),       S("local_runqueue_sum", local_sum),
		S("local_runqueue_max", local_max),   S("local_runqueue_imbalance", imbalance),
		S("runnable", runnable),              S("threads", threads),
		S("idlethreads", idlethreads),        S("spinningthreads", spinning),
		S("offp_threads", syscall_threads),
#undef S
	};
	for (size_t i = 0; i < sizeof(series) / sizeof(series[0]); i++)
		rt_json_mmm(out, series[i].key, (const struct cprof_mmm *)((const char *)s + series[i].off));
	double n = (double)s->samples;
	kv_num(out, "starved_samples", (double)s->starved);
	kv_num(out, "imbalanced_samples", (double)s->imbalanced);
	kv_num(out, "saturated_samples", (double)s->saturated);
	kv_num(out, "starved_percent", n ? 100 * (double)s->starved / n : NAN);
	kv_num(out, "imbalanced_percent", n ? 100 * (double)s->imbalanced / n : NAN);
	kv_num(out, "saturated_percent", n ? 100 * (double)s->saturated / n : NAN);

	open_arr(out, "intervals");
	for (size_t i = 0; i < s->ninterval; i++) {
		const struct cprof_sched_interval *iv = &s->interval[i];
		open_obj(out, NULL);
		kv_num(out, "start_ms", iv->start_ms);
		kv_num(out, "end_ms", iv->end_ms);
		kv_num(out, "samples", (double)iv->samples);
		kv_num(out, "utilisation_percent", iv->util_pct);
		kv_num(out, "global_runqueue_mean", iv->runqueue_mean);
		kv_num(out, "local_runqueue_sum_mean", iv->local_sum_mean);
		kv_num(out, "local_runqueue_max", iv->samples ? iv->local_max : NAN);
		kv_num(out, "threads_mean", iv->threads_mean);
		kv_str(out, "state", iv->state ? iv->state : "");
		strbuf_addch(out, '}');
	}
	strbuf_addch(out, ']');

	key(out, "detail");
	const struct cprof_sched_detail *d = &s->detail;
	if (d->p_lines + d->m_lines + d->g_lines) {
		strbuf_addch(out, '{');
		kv_num(out, "samples", (double)d->samples);
		kv_num(out, "p_lines", (double)d->p_lines);
		kv_num(out, "m_lines", (double)d->m_lines);
		kv_num(out, "g_lines", (double)d->g_lines);
		open_obj(out, "p_states");
		for (unsigned i = 0; i < CPROF_NP_STATES; i++)
			if (d->p_state[i])
				kv_num(out, cprof_p_state_name(i), (double)d->p_state[i]);
		strbuf_addch(out, '}');
		open_obj(out, "g_states");
		for (unsigned i = 0; i < CPROF_NG_STATES; i++)
			if (d->g_state[i])
				kv_num(out, cprof_g_state_name(i), (double)d->g_state[i]);
		strbuf_addch(out, '}');
		open_obj(out, "m");
		kv_num(out, "with_p", (double)d->m_with_p);
		kv_num(out, "running_g", (double)d->m_running_g);
		kv_num(out, "spinning", (double)d->m_spinning);
		kv_num(out, "blocked", (double)d->m_blocked);
		kv_num(out, "locked", (double)d->m_locked);
		strbuf_addch(out, '}');
		rt_json_mmm(out, "goroutines", &s->goroutines);
		open_arr(out, "wait_reasons");
		for (size_t i = 0; i < CPROF_WAIT_REASONS_MAX && d->reason[i].count; i++) {
			open_obj(out, NULL);
			kv_str(out, "reason", d->reason[i].name);
			kv_num(out, "count", (double)d->reason[i].count);
			kv_num(out, "per_sample", d->samples ? (double)d->reason[i].count / (double)d->samples : NAN);
			strbuf_addch(out, '}');
		}
		strbuf_addch(out, ']');
		kv_num(out, "wait_reasons_other", (double)d->reason_other);
		strbuf_addch(out, '}');
	} else {
		strbuf_addstr(out, "null");
	}
	hints_json(out, "diagnosis", s->diag, s->ndiag, "ms");
	lines_json(out, s->lines, s->records, s->skipped, s->malformed, s->other_traces);
}

void cprof_sched_render_json(const struct cprof_sched_summary *s, const struct cprof_sched_summary *base,
			     struct strbuf *out)
{
	document(out, sched_body, s, NULL, base, &cprof_sched_metric_set);
}
