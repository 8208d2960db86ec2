/*
 * gctrace_text.c - the text report of `cprof gctrace`; e.g. (the start of
 * tests/runtime/expected/golden_gc_steady.out):
 *
 *   Log: testdata/runtime/gc_steady.log (103 GC trace lines of 103 lines; 0 other lines skipped)
 *   Shapes: go1.19+ 103
 *
 *   GCs: 103 (0 forced by runtime.GC/FreeOSMemory, 0 periodic after "GC forced"), 4 P
 *   Span: 0.003 s to 3.019 s (3.016 s), 33.89 GCs per second, one every 29.5 ms
 *
 *                            count       total      mean       min       p50  ...       max
 *   STW pause (ms)             103      16.301     0.158     0.020     0.088  ...     3.300
 *   Concurrent mark (ms)       103    1052.500    10.218     1.900     9.600  ...    32.000
 *
 *   GC CPU: ...  Mark CPU: ...  Heap (MB) ...  Over time ...
 *   Minimum mutator utilisation ...  Worst pauses ...  Scavenger ...  Pacer ...
 *
 *   Hints
 *     * frequent GCs on a small heap: 33.9 GCs per second (one every 30 ms) with a median heap goal of
 *       42 MB cost 9.4% of the CPU; ...
 *
 * Sections without data are left out. With -base, a comparison table of
 * the key figures (cprof_gc_metrics) comes first, then each log's hints.
 */
#include <math.h>
#include <string.h>

#include "cprof/runtime_logs.h"
#include "runtime_render.h"

static void dist_row(struct strbuf *out, const char *label, const struct cprof_dist *d)
{
	strbuf_addf(out, "%-22s %7zu", label, d->count);
	double v[] = {d->total, d->mean, d->min, d->p50, d->p90, d->p95, d->p99, d->max};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		strbuf_addch(out, ' ');
		rt_num(out, i == 0 ? 11 : 9, 3, v[i]);
	}
	strbuf_addch(out, '\n');
}

static void heap_row(struct strbuf *out, const char *label, const struct cprof_mmm *m)
{
	if (!m->count)
		return;
	strbuf_addf(out, "  %-16s", label);
	rt_num(out, 8, 0, m->min);
	rt_num(out, 9, 1, m->mean);
	rt_num(out, 8, 0, m->max);
	strbuf_addch(out, '\n');
}

static void header(struct strbuf *out, const struct cprof_gc_summary *s, const struct cprof_runtime_src *src)
{
	strbuf_addstr(out, "Log: ");
	rt_files(out, src);
	strbuf_addf(out, " (%llu GC trace lines of %llu lines; %llu other lines skipped",
		    (unsigned long long)s->records, (unsigned long long)s->lines,
		    (unsigned long long)s->skipped);
	if (s->malformed)
		strbuf_addf(out, ", %llu of them cut short or garbled records", (unsigned long long)s->malformed);
	if (s->other_traces)
		strbuf_addf(out, ", %llu schedtrace lines: see cprof schedtrace", (unsigned long long)s->other_traces);
	strbuf_addstr(out, ")\n");
	if (s->gc_count) {
		strbuf_addstr(out, "Shapes:");
		for (unsigned i = 0; i < CPROF_GC__SHAPES; i++)
			if (s->shapes[i])
				strbuf_addf(out, " %s %llu", cprof_gc_shape_name((enum cprof_gc_shape)i),
					    (unsigned long long)s->shapes[i]);
		strbuf_addch(out, '\n');
	}
	if (s->runs > 1)
		strbuf_addf(out, "Runs: %u (the GC numbering restarted %u times; later runs are placed after earlier ones)\n",
			    s->runs, s->runs - 1);
}

static void report(struct strbuf *out, const struct cprof_gc_summary *s, const struct cprof_gclog *log)
{
	strbuf_addf(out, "\nGCs: %zu (%zu forced by runtime.GC/FreeOSMemory, %zu periodic after \"GC forced\")",
		    s->gc_count, s->forced_count, s->periodic_count);
	if (s->procs > 0) {
		strbuf_addf(out, ", %d P", s->procs);
		if (s->procs_min != s->procs_max)
			strbuf_addf(out, " (%d-%d)", s->procs_min, s->procs_max);
	}
	strbuf_addch(out, '\n');
	if (s->timed) {
		strbuf_addf(out, "Span: %.3f s to %.3f s (%.3f s)", s->first_s, s->last_s, s->span_s);
		if (isfinite(s->gc_per_s))
			strbuf_addf(out, ", %.2f GCs per second, one every %.1f ms", s->gc_per_s, s->interval_mean_ms);
		strbuf_addch(out, '\n');
	} else {
		strbuf_addstr(out, "Span: unknown (these lines carry no timestamps)\n");
	}

	strbuf_addf(out, "\n%-22s %7s %11s %9s %9s %9s %9s %9s %9s %9s\n", "", "count", "total", "mean",
		    "min", "p50", "p90", "p95", "p99", "max");
	dist_row(out, "STW pause (ms)", &s->pause_ms);
	if (s->mark_ms.count)
		dist_row(out, "Concurrent mark (ms)", &s->mark_ms);

	if (s->gc_cpu_pct_end >= 0 || isfinite(s->gc_cpu_pct_computed)) {
		strbuf_addstr(out, "\nGC CPU:");
		if (s->gc_cpu_pct_end >= 0)
			strbuf_addf(out, " %d%% at the end (the runtime's figure since program start)", s->gc_cpu_pct_end);
		if (isfinite(s->gc_cpu_pct_computed))
			strbuf_addf(out, "%s%.2f%% of the P time over the log (from the cpu fields)",
				    s->gc_cpu_pct_end >= 0 ? "; " : " ", s->gc_cpu_pct_computed);
		strbuf_addch(out, '\n');
		double mark = s->assist_ms + s->background_ms + s->idle_ms;
		if (mark > 0)
			strbuf_addf(out,
				    "Mark CPU: assist %.1f%%, background %.1f%%, idle %.1f%% (%.1f / %.1f / %.1f ms); "
				    "STW phases %.1f ms\n",
				    100 * s->assist_ms / mark, 100 * s->background_ms / mark, 100 * s->idle_ms / mark,
				    s->assist_ms, s->background_ms, s->idle_ms, s->stw_cpu_ms);
	}

	if (s->heap_start.count || s->heap_live.count) {
		strbuf_addf(out, "\n%-18s%8s%9s%8s\n", "Heap (MB)", "min", "mean", "max");
		heap_row(out, "at GC start", &s->heap_start);
		heap_row(out, "at GC end", &s->heap_end);
		heap_row(out, "live", &s->heap_live);
		heap_row(out, "goal", &s->heap_goal);
		strbuf_addf(out, "Peak heap %lld MB, peak live heap %lld MB", (long long)s->heap_peak_mb,
			    (long long)s->live_peak_mb);
		if (s->stacks_max_mb >= 0)
			strbuf_addf(out, "; stacks up to %lld MB, globals up to %lld MB", (long long)s->stacks_max_mb,
				    (long long)s->globals_max_mb);
		strbuf_addch(out, '\n');
		if (isfinite(s->live_first_mean)) {
			strbuf_addf(out, "Live heap trend: %.1f MB (first third of the GCs) -> %.1f MB (last third)",
				    s->live_first_mean, s->live_last_mean);
			if (isfinite(s->live_slope_mb_per_min))
				strbuf_addf(out, ", %+.2f MB per minute", s->live_slope_mb_per_min);
			strbuf_addf(out, ": %s\n", s->leak_suspect ? "GROWING (possible leak)" : "no steady growth");
		}
	}

	if (s->ninterval) {
		strbuf_addf(out, "\nOver time\n%10s %10s %6s %6s %7s %7s %10s %9s %9s %9s\n", "from (s)", "to (s)",
			    "GCs", "forced", "GC CPU", "assist", "pause max", "heap max", "live max", "goal max");
		for (size_t i = 0; i < s->ninterval; i++) {
			const struct cprof_gc_interval *iv = &s->interval[i];
			strbuf_addf(out, "%10.3f %10.3f %6zu %6zu ", iv->start_s, iv->end_s, iv->ngc, iv->nforced);
			rt_num(out, 6, 1, iv->gc_cpu_pct);
			strbuf_addstr(out, isfinite(iv->gc_cpu_pct) ? "% " : "  ");
			rt_num(out, 6, 1, iv->assist_pct);
			strbuf_addstr(out, isfinite(iv->assist_pct) ? "% " : "  ");
			rt_num(out, 10, 3, iv->ngc ? iv->pause_max_ms : NAN);
			rt_num(out, 10, 0, iv->heap_max_mb >= 0 ? (double)iv->heap_max_mb : NAN);
			rt_num(out, 10, 0, iv->live_max_mb >= 0 ? (double)iv->live_max_mb : NAN);
			rt_num(out, 10, 0, iv->goal_max_mb >= 0 ? (double)iv->goal_max_mb : NAN);
			strbuf_addch(out, '\n');
		}
	}

	if (s->timed) {
		strbuf_addstr(out, "\nMinimum mutator utilisation (STW pauses and mark CPU taken from the program)\n  window");
		for (size_t i = 0; i < CPROF_MMU_WINDOWS; i++) {
			double w = cprof_mmu_windows_ms[i];
			char lbl[16];
			snprintf(lbl, sizeof(lbl), w >= 1000 ? "%.0fs" : "%.0fms", w >= 1000 ? w / 1000 : w);
			strbuf_addf(out, " %7s", lbl);
		}
		strbuf_addstr(out, "\n  MMU   ");
		for (size_t i = 0; i < CPROF_MMU_WINDOWS; i++) {
			rt_num(out, 7, 1, 100 * s->mmu[i]);
			strbuf_addch(out, isfinite(s->mmu[i]) ? '%' : ' ');
		}
		strbuf_addch(out, '\n');
	}

	if (s->nworst && log) {
		strbuf_addf(out, "\nWorst pauses\n%10s %10s %10s %10s  %s\n", "GC", "at (s)", "pause (ms)",
			    "mark (ms)", "heap (MB: start->end->live, goal)");
		for (size_t i = 0; i < s->nworst; i++) {
			const struct cprof_gc *g = &s->worst[i];
			strbuf_addf(out, "%10llu ", (unsigned long long)g->num);
			rt_num(out, 10, 3, g->at_s);
			strbuf_addch(out, ' ');
			rt_num(out, 10, 3, g->pause_ms);
			strbuf_addch(out, ' ');
			rt_num(out, 10, 3, g->mark_ms);
			strbuf_addstr(out, "  ");
			if (g->heap_start_mb >= 0)
				strbuf_addf(out, "%lld", (long long)g->heap_start_mb);
			else
				strbuf_addch(out, '?');
			if (g->heap_end_mb >= 0)
				strbuf_addf(out, "->%lld->%lld", (long long)g->heap_end_mb, (long long)g->heap_live_mb);
			if (g->heap_goal_mb >= 0)
				strbuf_addf(out, ", %lld goal", (long long)g->heap_goal_mb);
			if (g->forced)
				strbuf_addstr(out, " (forced)");
			strbuf_addch(out, '\n');
		}
	}

	if (s->scav.lines) {
		const struct cprof_scav_stats *v = &s->scav;
		strbuf_addf(out, "\nScavenger: %llu lines (%llu forced), %.1f MB returned to the OS",
			    (unsigned long long)v->lines, (unsigned long long)v->forced, v->released_mb);
		if (v->sys_mb >= 0)
			strbuf_addf(out, "; last: inuse %lld, idle %lld, sys %lld, released %lld, consumed %lld MB",
				    (long long)v->inuse_mb, (long long)v->idle_mb, (long long)v->sys_mb,
				    (long long)v->rel_mb, (long long)v->consumed_mb);
		if (v->total_kib >= 0)
			strbuf_addf(out, "; last: %lld KiB released in total, %d%% of retained memory in use",
				    (long long)v->total_kib, v->util_pct);
		strbuf_addch(out, '\n');
	}
	if (s->pacer.lines) {
		const struct cprof_pacer_stats *v = &s->pacer;
		strbuf_addf(out, "\nPacer: %llu lines (%llu cycle starts, %llu cycle ends, %llu sweeps",
			    (unsigned long long)v->lines, (unsigned long long)v->starts,
			    (unsigned long long)v->ends, (unsigned long long)v->sweeps);
		if (v->resets)
			strbuf_addf(out, ", %llu controller resets", (unsigned long long)v->resets);
		strbuf_addch(out, ')');
		if (v->starts)
			strbuf_addf(out, "; assist ratio mean %.3f, max %.3f", v->assist_ratio_sum / (double)v->starts,
				    v->assist_ratio_max);
		if (v->util_n)
			strbuf_addf(out, "; mark CPU %.1f%% against a goal of %.1f%% on average",
				    v->util_sum / (double)v->util_n, v->util_goal_sum / (double)v->util_n);
		strbuf_addch(out, '\n');
	}
}

void cprof_gc_render_text(const struct cprof_gc_summary *s, const struct cprof_gclog *log,
			  const struct cprof_runtime_src *src, const struct cprof_gc_summary *base,
			  const struct cprof_runtime_src *base_src, struct strbuf *out)
{
	if (base) {
		rt_compare(out, base_src, src, &cprof_gc_metric_set, base, s);
		rt_hints(out, "Hints (base)", base->hint, base->nhint, "none");
		rt_hints(out, "Hints (new)", s->hint, s->nhint, "none");
		return;
	}
	header(out, s, src);
	report(out, s, log);
	rt_hints(out, "Hints", s->hint, s->nhint, "none: no GC problem stands out in this log");
}
