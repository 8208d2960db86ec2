/*
 * schedtrace_text.c - the text report of `cprof schedtrace`; e.g. (from
 * tests/runtime/expected/golden_sched_phases.out):
 *
 *   Log: testdata/runtime/sched_phases.log (389 schedtrace lines of 394 lines; 5 other lines skipped)
 *
 *   Samples: 389 over 8007 ms (one every 20.6 ms), GOMAXPROCS 4
 *
 *                                  mean      min      max
 *     utilisation (%)              50.8      0.0    100.0
 *     ...
 *   Samples: 54.2% starved (idle Ps, too little runnable), 4.4% imbalanced ...
 *
 *   Over time
 *    from (ms)    to (ms) samples    util  global q   local q max local  threads  state
 *            0        801      40    5.0%      0.03      0.00         0      7.0  starved
 *   ...
 *   Diagnosis
 *     * too many threads from 5618 to 8007 ms: up to 70 threads for 4 P, ...
 *
 * With scheddetail, P and G states, M counts and the top wait reasons come
 * before the diagnosis. With -base, a comparison table of
 * cprof_sched_metrics, then each log's diagnosis.
 */
#include <math.h>
#include <string.h>

#include "cprof/runtime_logs.h"
#include "runtime_render.h"

static void row(struct strbuf *out, const char *label, const struct cprof_mmm *m, int dec)
{
	if (!m->count)
		return;
	strbuf_addf(out, "  %-26s", label);
	rt_num(out, 9, dec > 0 ? dec : 2, m->mean);
	rt_num(out, 9, dec > 0 ? dec : 0, m->min);
	rt_num(out, 9, dec > 0 ? dec : 0, m->max);
	strbuf_addch(out, '\n');
}

static void pct_list(struct strbuf *out, const uint64_t *v, unsigned n, const char *(*name)(unsigned))
{
	uint64_t total = 0;
	for (unsigned i = 0; i < n; i++)
		total += v[i];
	bool first = true;
	for (unsigned i = 0; i < n && total; i++) {
		if (!v[i])
			continue;
		strbuf_addf(out, "%s%s %.1f%%", first ? " " : ", ", name(i), 100.0 * (double)v[i] / (double)total);
		first = false;
	}
	strbuf_addch(out, '\n');
}

static void detail(struct strbuf *out, const struct cprof_sched_summary *s)
{
	const struct cprof_sched_detail *d = &s->detail;
	if (!(d->p_lines + d->m_lines + d->g_lines))
		return;
	strbuf_addf(out, "\nScheddetail: %llu samples, %llu P lines, %llu M lines, %llu G lines\n",
		    (unsigned long long)d->samples, (unsigned long long)d->p_lines,
		    (unsigned long long)d->m_lines, (unsigned long long)d->g_lines);
	if (d->p_lines) {
		strbuf_addstr(out, "  P states:");
		pct_list(out, d->p_state, CPROF_NP_STATES, cprof_p_state_name);
	}
	if (d->g_lines) {
		strbuf_addstr(out, "  G states:");
		pct_list(out, d->g_state, CPROF_NG_STATES, cprof_g_state_name);
	}
	if (s->goroutines.count)
		strbuf_addf(out, "  goroutines per sample (not dead): mean %.1f, min %.0f, max %.0f\n",
			    s->goroutines.mean, s->goroutines.min, s->goroutines.max);
	if (d->m_lines)
		strbuf_addf(out, "  M: %llu lines; with a P %.1f%%, running a G %.1f%%, spinning %.1f%%, "
			    "blocked %.1f%%, locked to a G %.1f%%\n",
			    (unsigned long long)d->m_lines, 100.0 * (double)d->m_with_p / (double)d->m_lines,
			    100.0 * (double)d->m_running_g / (double)d->m_lines,
			    100.0 * (double)d->m_spinning / (double)d->m_lines,
			    100.0 * (double)d->m_blocked / (double)d->m_lines,
			    100.0 * (double)d->m_locked / (double)d->m_lines);
	if (d->reason[0].count) {
		uint64_t waiting = d->g_state[4];
		strbuf_addf(out, "  Top wait reasons (waiting goroutines)  %10s %10s %8s\n", "total", "per sample", "share");
		for (size_t i = 0; i < 10 && i < CPROF_WAIT_REASONS_MAX && d->reason[i].count; i++) {
			const struct cprof_wait_reason *r = &d->reason[i];
			strbuf_addf(out, "    %-36s %10llu ", r->name, (unsigned long long)r->count);
			rt_num(out, 10, 1, d->samples ? (double)r->count / (double)d->samples : NAN);
			rt_num(out, 8, 1, waiting ? 100.0 * (double)r->count / (double)waiting : NAN);
			strbuf_addstr(out, "%\n");
		}
		if (d->reason_other)
			strbuf_addf(out, "    %-36s %10llu\n", "(other reasons)", (unsigned long long)d->reason_other);
	}
}

void cprof_sched_render_text(const struct cprof_sched_summary *s, const struct cprof_runtime_src *src,
			     const struct cprof_sched_summary *base,
			     const struct cprof_runtime_src *base_src, struct strbuf *out)
{
	if (base) {
		rt_compare(out, base_src, src, &cprof_sched_metric_set, base, s);
		rt_hints(out, "Diagnosis (base)", base->diag, base->ndiag, "none");
		rt_hints(out, "Diagnosis (new)", s->diag, s->ndiag, "none");
		return;
	}

	strbuf_addstr(out, "Log: ");
	rt_files(out, src);
	strbuf_addf(out, " (%llu schedtrace lines of %llu lines; %llu other lines skipped",
		    (unsigned long long)s->records, (unsigned long long)s->lines, (unsigned long long)s->skipped);
	if (s->malformed)
		strbuf_addf(out, ", %llu of them cut short or garbled records", (unsigned long long)s->malformed);
	if (s->other_traces)
		strbuf_addf(out, ", %llu gctrace lines: see cprof gctrace", (unsigned long long)s->other_traces);
	strbuf_addstr(out, ")\n");
	if (s->runs > 1)
		strbuf_addf(out, "Runs: %u (the SCHED clock restarted %u times; later runs are placed after earlier ones)\n",
			    s->runs, s->runs - 1);

	strbuf_addf(out, "\nSamples: %zu", s->samples);
	if (s->detail_samples)
		strbuf_addf(out, " (%zu with scheddetail)", s->detail_samples);
	strbuf_addf(out, " over %.0f ms", s->span_ms);
	if (s->samples > 1)
		strbuf_addf(out, " (one every %.1f ms)", s->span_ms / (double)(s->samples - 1));
	strbuf_addf(out, ", GOMAXPROCS %d", s->gomaxprocs);
	if (s->gomaxprocs_min != s->gomaxprocs_max)
		strbuf_addf(out, " (%d-%d)", s->gomaxprocs_min, s->gomaxprocs_max);
	strbuf_addf(out, "\n\n  %-26s%9s%9s%9s\n", "", "mean", "min", "max");
	row(out, "utilisation (%)", &s->util_pct, 1);
	row(out, "idle Ps", &s->idleprocs, 0);
	row(out, "threads", &s->threads, 0);
	row(out, "idle threads", &s->idlethreads, 0);
	row(out, "spinning threads", &s->spinning, 0);
	row(out, "off-P threads (syscall...)", &s->syscall_threads, 0);
	row(out, "global run queue", &s->runqueue, 0);
	row(out, "local run queues (sum)", &s->local_sum, 0);
	row(out, "longest local run queue", &s->local_max, 0);
	row(out, "local queue spread", &s->imbalance, 0);
	row(out, "runnable goroutines", &s->runnable, 0);
	double n = (double)s->samples;
	strbuf_addf(out,
		    "Samples: %.1f%% starved (idle Ps, too little runnable), %.1f%% imbalanced (idle Ps, queued "
		    "work), %.1f%% saturated (no idle P, work waiting)\n",
		    100 * (double)s->starved / n, 100 * (double)s->imbalanced / n, 100 * (double)s->saturated / n);

	if (s->ninterval) {
		strbuf_addf(out, "\nOver time\n%10s %10s %7s %7s %9s %9s %9s %8s  %s\n", "from (ms)", "to (ms)",
			    "samples", "util", "global q", "local q", "max local", "threads", "state");
		for (size_t i = 0; i < s->ninterval; i++) {
			const struct cprof_sched_interval *iv = &s->interval[i];
			strbuf_addf(out, "%10.0f %10.0f %7zu ", iv->start_ms, iv->end_ms, iv->samples);
			rt_num(out, 6, 1, iv->util_pct);
			strbuf_addch(out, isfinite(iv->util_pct) ? '%' : ' ');
			rt_num(out, 10, 2, iv->runqueue_mean);
			rt_num(out, 10, 2, iv->local_sum_mean);
			rt_num(out, 10, 0, iv->samples ? (double)iv->local_max : NAN);
			rt_num(out, 9, 1, iv->threads_mean);
			if (iv->state && *iv->state)
				strbuf_addf(out, "  %s", iv->state);
			strbuf_addch(out, '\n');
		}
	}
	detail(out, s);
	rt_hints(out, "Diagnosis", s->diag, s->ndiag, "none");
}
