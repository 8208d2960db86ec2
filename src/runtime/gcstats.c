/*
 * gcstats.c - what a gctrace log says: pause and mark distributions, GC CPU
 * and its split, the heap over time and its live trend, minimum mutator
 * utilisation, the worst GCs, and hints with their evidence.
 *
 * Definitions (the man page repeats them; tests/runtime/expect_gctrace.awk
 * recomputes them independently):
 *
 *   pause       STW wall clock of a GC: sweep termination + mark
 *               termination; the sum of all phases for the STW collectors
 *               (go1.1-1.4) and for forced go1.5-1.6 GCs.
 *   percentile  nearest rank: sorted[ceil(p/100*n)-1].
 *   span        first GC start to last GC end; GC rate = (n-1) / (last start
 *               - first start).
 *   GC CPU      what the runtime charges to GC: the STW phases' CPU plus
 *               assist and background marking; idle marking is free (it
 *               runs on Ps that had nothing else to do). Its share is taken
 *               of the P time available: sum over GCs of P x time to the
 *               next GC start (to its own end for the last one).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/runtime_logs.h"
#include "cprof/util.h"

const double cprof_mmu_windows_ms[CPROF_MMU_WINDOWS] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};

static double gc_dur_ms(const struct cprof_gc *g)
{
	return cprof_gc_dur_ms(g);
}

static bool timed(const struct cprof_gc *g)
{
	return isfinite(g->at_s);
}

/* ---- minimum mutator utilisation ---- */

/*
 * One GC as the utilisation function sees it, in ms: from t, f ms of
 * stop-the-world (loss 1), m ms of concurrent marking that takes the
 * share L of the CPU from the program, l ms of stop-the-world again; then
 * nothing lost until the next GC. cum is the time lost from the start of
 * the log up to t. A GC whose printed start (truncated to the ms) falls
 * before the previous one's end is moved to that end, keeping its
 * durations. Kept per GC, not per phase: a third of the memory and of the
 * cursor steps.
 */
struct ugc {
	double t, f, m, L, l, cum;
};

static inline double clampd(double d, double len)
{
	return d < 0 ? 0 : d > len ? len : d;
}

/* Time lost from the start of GC u up to x (x at or after u->t). */
static inline double lost_in(const struct ugc *u, double x)
{
	double d = x - u->t;
	return u->cum + clampd(d, u->f) + u->L * clampd(d - u->f, u->m) + clampd(d - u->f - u->m, u->l);
}

/*
 * The GCs of the log as u[1..n], with sentinels u[0] (starting at
 * -infinity, nothing lost) and u[n+1] (starting at +infinity, holding the
 * total), so that a cursor never leaves the array.
 */
static size_t build_units(const struct cprof_gclog *log, struct ugc **out, double *t0, double *t1)
{
	struct ugc *u = cprof_xmalloc((log->ngc + 2) * sizeof(*u));
	size_t n = 0;
	double end = -INFINITY, cum = 0;
	*t0 = NAN;
	u[0] = (struct ugc){-INFINITY, 0, 0, 0, 0, 0};
	for (size_t i = 0; i < log->ngc; i++) {
		const struct cprof_gc *g = &log->gc[i];
		if (!timed(g))
			continue;
		double t = g->at_s * 1000;
		if (t < end)
			t = end;
		if (isnan(*t0))
			*t0 = t;
		struct ugc *x = &u[++n];
		x->t = t;
		x->cum = cum;
		if (isnan(g->mark_ms)) {
			/* every phase stopped the world */
			x->f = gc_dur_ms(g);
			x->m = x->l = x->L = 0;
		} else {
			double mark_cpu = g->gc_cpu_ms - g->stw_cpu_ms;
			double loss = 0;
			if (g->mark_ms > 0 && g->procs > 0)
				loss = fmin(1, fmax(0, mark_cpu / (g->mark_ms * g->procs)));
			x->f = g->first_ms;
			x->m = g->mark_ms;
			x->l = g->pause_ms - g->first_ms;
			x->L = loss > 0 ? loss : 0; /* NaN too */
		}
		cum += x->f + x->L * x->m + x->l;
		end = t + gc_dur_ms(g);
	}
	u[n + 1] = (struct ugc){INFINITY, 0, 0, 0, 0, cum};
	*t1 = end;
	*out = u;
	return n;
}

/*
 * Time lost from the start up to x, for x that never decrease between
 * calls: *cursor walks forward to the last GC that starts at or before x.
 * The first two steps are branch-free: the walk is short and its length
 * unpredictable.
 */
static inline double lost_upto(const struct ugc *u, size_t *cursor, double x)
{
	size_t j = *cursor;
	j += u[j + 1].t <= x;
	j += u[j + 1].t <= x;
	while (u[j + 1].t <= x)
		j++;
	*cursor = j;
	return lost_in(&u[j], x);
}

/* Time lost up to x anywhere in the log: a binary search for the cursor. */
static double lost_at(const struct ugc *u, size_t n, double x)
{
	size_t lo = 0, hi = n + 1; /* the last GC starting at or before x is below hi */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (u[mid].t <= x)
			lo = mid;
		else
			hi = mid;
	}
	return lost_upto(u, &lo, x);
}

#define MMU_BLOCK 128 /* GCs per block: a block stays in cache through all the windows */
#define MMU_SUB 2     /* GCs per bound check (measured best of 1, 2, 4, 16) */

/*
 * The time lost in a window [x, x+w] is piecewise linear in x; its slope,
 * loss(x+w) - loss(x), falls only where x passes a point where the loss
 * rises (the start of a stop-the-world phase) or x+w passes one where it
 * falls (the end of one), so the maximum is at one of those points or at
 * an end of the domain [t0, t1-w]. Each GC has two of each; they ascend,
 * so the other end of the window is found with a forward-only cursor per
 * window: O(n) per window.
 *
 * The GCs go in blocks, each block through every window before the next,
 * so a block and what it touches are read from memory once. Within a
 * block, every 2 GCs are first bounded as one: the windows starting in
 * them lie within [first start, last STW start + w] (ending in them: [first
 * STW end - w, last end]), and when that stretch does not lose more than
 * the worst window so far, none of them can. The windows ascend and a
 * window holds any shorter one, so the worst loss of the previous window
 * starts the search of the next. A window that has reached MMU 0 is not
 * searched further.
 */
static void mmu_all(const struct cprof_gclog *log, const double *w, size_t nw, double *out)
{
	struct ugc *u;
	double t0, t1;
	size_t n = build_units(log, &u, &t0, &t1);
	double worst[CPROF_MMU_WINDOWS], hi[CPROF_MMU_WINDOWS];
	size_t jw[CPROF_MMU_WINDOWS], jx[CPROF_MMU_WINDOWS];
	size_t jwb[CPROF_MMU_WINDOWS], jxb[CPROF_MMU_WINDOWS];
	size_t nk = 0;
	for (size_t k = 0; k < nw && k < CPROF_MMU_WINDOWS; k++)
		if (n && t1 - t0 >= w[k] && w[k] > 0)
			nk = k + 1;
	for (size_t k = 0; k < nk; k++) {
		hi[k] = t1 - w[k];
		worst[k] = 0;
		jw[k] = jx[k] = jwb[k] = jxb[k] = 0;
		if (!(t1 - t0 >= w[k] && w[k] > 0))
			continue;
		/* the two ends of the domain */
		worst[k] = fmax(lost_at(u, n, t0 + w[k]) - lost_at(u, n, t0),
				lost_at(u, n, t1) - lost_at(u, n, hi[k]));
	}
	for (size_t i0 = 1; i0 <= n; i0 += MMU_BLOCK) {
		size_t i1 = i0 + MMU_BLOCK <= n + 1 ? i0 + MMU_BLOCK : n + 1;
		for (size_t k = 0; k < nk; k++) {
			double wk = w[k], hk = hi[k], best = worst[k];
			if (k > 0 && w[k - 1] <= wk && worst[k - 1] > best)
				best = worst[k - 1];
			/* windows that start where a stop-the-world phase starts */
			size_t j = jw[k], jb = jwb[k];
			for (size_t i = i0; i < i1 && best < wk; i += MMU_SUB) {
				size_t e = i + MMU_SUB < i1 ? i + MMU_SUB : i1;
				/* jb is at the previous sub-block's last target, before these */
				j = j > jb ? j : jb;
				const struct ugc *z = &u[e - 1];
				if (lost_upto(u, &jb, z->t + z->f + z->m + wk) - u[i].cum <= best)
					continue;
				for (size_t q = i; q < e; q++) {
					const struct ugc *g = &u[q];
					double x = g->t;
					if (x >= t0 && x <= hk) {
						double lost = lost_upto(u, &j, x + wk) - g->cum;
						best = lost > best ? lost : best;
					}
					x = g->t + g->f + g->m;
					if (x >= t0 && x <= hk) {
						double lost = lost_upto(u, &j, x + wk) - (g->cum + g->f + g->L * g->m);
						best = lost > best ? lost : best;
					}
				}
			}
			jw[k] = j;
			jwb[k] = jb;
			/* windows that end where a stop-the-world phase ends */
			j = jx[k], jb = jxb[k];
			for (size_t i = i0; i < i1 && best < wk; i += MMU_SUB) {
				size_t e = i + MMU_SUB < i1 ? i + MMU_SUB : i1;
				if (u[e].cum - lost_upto(u, &jb, u[i].t + u[i].f - wk) <= best)
					continue;
				/* jb is at the first target of this sub-block, before the others */
				j = j > jb ? j : jb;
				for (size_t q = i; q < e; q++) {
					const struct ugc *g = &u[q];
					double x = g->t + g->f - wk;
					if (x >= t0 && x <= hk) {
						double lost = g->cum + g->f - lost_upto(u, &j, x);
						best = lost > best ? lost : best;
					}
					x = g->t + g->f + g->m + g->l - wk;
					if (x >= t0 && x <= hk) {
						double lost = u[q + 1].cum - lost_upto(u, &j, x);
						best = lost > best ? lost : best;
					}
				}
			}
			jx[k] = j;
			jxb[k] = jb;
			worst[k] = best;
		}
	}
	for (size_t k = 0; k < nw; k++)
		out[k] = k < nk && t1 - t0 >= w[k] && w[k] > 0 ? fmax(0, 1 - worst[k] / w[k]) : NAN;
	free(u);
}

double cprof_gc_mmu(const struct cprof_gclog *log, double w_ms)
{
	double r;
	mmu_all(log, &w_ms, 1, &r);
	return r;
}

/* ---- hints ---- */

/* GC CPU share and heap figures of the last quarter of the span. */
struct tail {
	size_t ngc;
	double gc_cpu_pct, live_mean, goal_mean, goal_min, goal_max;
};

static void tail_of(const struct cprof_gclog *log, const struct cprof_gc_summary *s, struct tail *t)
{
	memset(t, 0, sizeof(*t));
	t->gc_cpu_pct = NAN;
	double from = s->last_s - s->span_s / 4, cpu = 0, avail = 0, live = 0, goal = 0;
	size_t nlive = 0, ngoal = 0;
	const struct cprof_gc *prev = NULL;
	t->goal_min = INFINITY, t->goal_max = -INFINITY;
	for (size_t i = 0; i < log->ngc; i++) {
		const struct cprof_gc *g = &log->gc[i];
		if (!timed(g))
			continue;
		if (prev && prev->at_s >= from) {
			cpu += prev->gc_cpu_ms;
			avail += (g->at_s - prev->at_s) * 1000 * (prev->procs > 0 ? prev->procs : 1);
		}
		prev = g;
		if (g->at_s < from)
			continue;
		t->ngc++;
		if (g->heap_live_mb >= 0) {
			live += (double)g->heap_live_mb;
			nlive++;
		}
		if (g->heap_goal_mb >= 0) {
			goal += (double)g->heap_goal_mb;
			ngoal++;
			t->goal_min = fmin(t->goal_min, (double)g->heap_goal_mb);
			t->goal_max = fmax(t->goal_max, (double)g->heap_goal_mb);
		}
	}
	if (avail > 0)
		t->gc_cpu_pct = 100 * cpu / avail;
	t->live_mean = nlive ? live / (double)nlive : NAN;
	t->goal_mean = ngoal ? goal / (double)ngoal : NAN;
}

static void make_hints(const struct cprof_gclog *log, struct cprof_gc_summary *s, double goal_median)
{
	struct tail t;
	tail_of(log, s, &t);
	double pct = s->gc_cpu_pct_computed;

	/*
	 * Little headroom: the goal hardly above the live heap while the GC
	 * takes a quarter of the CPU or more. A GOMEMLIMIT squeeze (the goal is
	 * pinned under the limit whatever GOGC says) or a very low GOGC; either
	 * way the GC runs back to back, and raising GOGC alone does not help
	 * under a limit.
	 */
	bool squeezed = false;
	if (s->timed && t.ngc >= 8 && t.gc_cpu_pct >= 25) {
		squeezed = t.live_mean > 0 && t.goal_mean <= 1.25 * t.live_mean;
		if (squeezed)
			cprof_hint_add(s->hint, &s->nhint, "memory_limit_spiral",
			     "GC CPU near its ceiling with no heap headroom: %.1f%% of the %d P in the last "
			     "quarter of the log (the runtime caps GC at about 50%% under GOMEMLIMIT), and the "
			     "heap goal (%.0f MB on average, %.0f-%.0f) only %.0f%% above the live heap (%.0f "
			     "MB): the program is at its memory limit (or runs with a tiny GOGC) and collects "
			     "back to back, the GOMEMLIMIT death spiral; raise GOMEMLIMIT or shrink the live "
			     "heap",
			     t.gc_cpu_pct, s->procs, t.goal_mean, t.goal_min, t.goal_max,
			     100 * (t.goal_mean / t.live_mean - 1), t.live_mean);
		else if (t.gc_cpu_pct >= 40)
			cprof_hint_add(s->hint, &s->nhint, "gc_cpu_high",
			     "GC CPU near its ceiling: %.1f%% of the %d P in the last quarter of the log; "
			     "allocate less (alloc_objects profile) or give the heap more room (GOGC, "
			     "GOMEMLIMIT)",
			     t.gc_cpu_pct, s->procs);
	}
	/* frequent GCs on a small heap (not when the heap has no room to grow) */
	if (!squeezed && s->timed && s->gc_count >= 10 && s->gc_per_s >= 1 && goal_median >= 0 &&
	    goal_median < 128 && pct >= 5)
		cprof_hint_add(s->hint, &s->nhint, "frequent_small_heap",
		     "frequent GCs on a small heap: %.1f GCs per second (one every %.0f ms) with a median "
		     "heap goal of %.0f MB cost %.1f%% of the CPU; raise GOGC (GOGC=200 halves the number "
		     "of GCs for twice the headroom) or set GOMEMLIMIT with a higher GOGC to use the "
		     "memory you have",
		     s->gc_per_s, s->interval_mean_ms, goal_median, pct);
	/* mutator assists */
	double mark = s->assist_ms + s->background_ms + s->idle_ms;
	if (mark > 0 && s->assist_pct >= 25 && s->gc_count >= 5)
		cprof_hint_add(s->hint, &s->nhint, "high_assist",
		     "high assist share: goroutines that allocate did %.0f%% of the mark work (%.1f ms "
		     "of %.1f ms mark CPU) instead of the background workers, which slows the hot "
		     "path; allocate less there: look at an alloc_objects profile (cprof "
		     "-sample_index=alloc_objects heap.pb.gz)",
		     s->assist_pct, s->assist_ms, mark);
	/* forced GCs */
	if (s->forced_count >= 2 && s->forced_count * 10 >= s->gc_count)
		cprof_hint_add(s->hint, &s->nhint, "many_forced",
		     "many forced GCs: %zu of %zu GCs (%.0f%%) were forced by runtime.GC() or "
		     "debug.FreeOSMemory(); each is a full collection the pacer did not ask for: "
		     "remove the explicit calls",
		     s->forced_count, s->gc_count, 100.0 * (double)s->forced_count / (double)s->gc_count);
	/* a growing live heap */
	if (s->leak_suspect)
		cprof_hint_add(s->hint, &s->nhint, "live_heap_growing",
		     "possible leak: the live heap grew from %.1f MB (mean of the first third of the "
		     "GCs) to %.1f MB (last third)%s%.2f MB per minute, and every GC of the last third "
		     "kept more than any of the first; compare two inuse_space heap profiles taken "
		     "apart (cprof -base=old.pb.gz new.pb.gz)",
		     s->live_first_mean, s->live_last_mean, isfinite(s->live_slope_mb_per_min) ? ", " : "",
		     isfinite(s->live_slope_mb_per_min) ? s->live_slope_mb_per_min : 0);
	/* long pauses */
	if (s->pause_ms.count >= 1 && (s->pause_ms.p99 >= 10 || s->pause_ms.max >= 50))
		cprof_hint_add(s->hint, &s->nhint, "long_pauses",
		     "long stop-the-world pauses: p99 %.2f ms, max %.2f ms (GC #%llu); pauses this long "
		     "usually mean the process did not get CPU (GOMAXPROCS above the container's CPU "
		     "quota, an overloaded host) or goroutines slow to reach a safe point",
		     s->pause_ms.p99, s->pause_ms.max,
		     s->nworst ? (unsigned long long)log->gc[s->worst[0]].num : 0ULL);
}

/* ---- the summary ---- */

void cprof_gc_summarize(const struct cprof_gclog *log, struct cprof_gc_summary *s)
{
	memset(s, 0, sizeof(*s));
	size_t n = log->ngc;
	s->gc_count = n;
	s->forced_lines = log->forced_lines;
	s->runs = log->runs;
	memcpy(s->shapes, log->shapes, sizeof(s->shapes));
	s->lines = log->lines;
	s->records = log->records;
	s->skipped = log->lines - log->records;
	s->malformed = log->malformed;
	s->other_traces = log->other_traces;
	s->scav = log->scav;
	s->pacer = log->pacer;
	s->gc_cpu_pct_end = -1;
	s->first_s = s->last_s = s->span_s = s->gc_per_s = s->interval_mean_ms = NAN;
	s->gc_cpu_pct_computed = s->assist_pct = NAN;
	s->live_first_mean = s->live_last_mean = s->live_slope_mb_per_min = NAN;
	s->heap_peak_mb = s->live_peak_mb = s->goal_min_mb = s->goal_max_mb = -1;
	s->stacks_max_mb = s->globals_max_mb = -1;
	s->procs = s->procs_min = s->procs_max = -1;

	/*
	 * One pass over the GCs (they may not fit in cache: every pass costs a
	 * read of the whole array) gathers the pauses, mark times and goals
	 * into three scratch arrays for the percentiles.
	 */
	double *pv = cprof_xcalloc(3 * n + 1, sizeof(double)), *mv = pv + n, *gv = pv + 2 * n;
	size_t np = 0, nm = 0, ngoal = 0, ntimed = 0, nl = 0;
	double first_start = NAN, last_start = NAN, avail = 0, timed_cpu = 0;
	const struct cprof_gc *prev_timed = NULL;

	for (size_t i = 0; i < n; i++) {
		const struct cprof_gc *g = &log->gc[i];
		s->forced_count += g->forced;
		s->periodic_count += g->periodic;
		if (isfinite(g->pause_ms))
			pv[np++] = g->pause_ms;
		if (isfinite(g->mark_ms))
			mv[nm++] = g->mark_ms;
		if (g->cpu_pct >= 0)
			s->gc_cpu_pct_end = g->cpu_pct;
		if (isfinite(g->assist_ms)) {
			s->assist_ms += g->assist_ms;
			s->background_ms += g->background_ms;
			s->idle_ms += g->idle_ms;
		}
		if (isfinite(g->stw_cpu_ms))
			s->stw_cpu_ms += g->stw_cpu_ms;
		if (isfinite(g->gc_cpu_ms))
			s->gc_cpu_ms += g->gc_cpu_ms;
		if (g->heap_start_mb >= 0)
			cprof_mmm_add(&s->heap_start, (double)g->heap_start_mb);
		if (g->heap_end_mb >= 0)
			cprof_mmm_add(&s->heap_end, (double)g->heap_end_mb);
		if (g->heap_live_mb >= 0) {
			cprof_mmm_add(&s->heap_live, (double)g->heap_live_mb);
			nl++;
		}
		if (g->heap_goal_mb >= 0) {
			cprof_mmm_add(&s->heap_goal, (double)g->heap_goal_mb);
			gv[ngoal++] = (double)g->heap_goal_mb;
		}
		int64_t peak = g->heap_start_mb > g->heap_end_mb ? g->heap_start_mb : g->heap_end_mb;
		if (peak > s->heap_peak_mb)
			s->heap_peak_mb = peak;
		if (g->heap_live_mb > s->live_peak_mb)
			s->live_peak_mb = g->heap_live_mb;
		if (g->stacks_mb > s->stacks_max_mb)
			s->stacks_max_mb = g->stacks_mb;
		if (g->globals_mb > s->globals_max_mb)
			s->globals_max_mb = g->globals_mb;
		if (g->procs > 0) {
			s->procs = g->procs;
			if (s->procs_min < 0 || g->procs < s->procs_min)
				s->procs_min = g->procs;
			if (g->procs > s->procs_max)
				s->procs_max = g->procs;
		}
		if (timed(g)) {
			ntimed++;
			if (isnan(first_start))
				first_start = g->at_s;
			last_start = g->at_s;
			double end = g->at_s + gc_dur_ms(g) / 1000;
			if (isnan(s->last_s) || end > s->last_s)
				s->last_s = end;
			if (prev_timed) {
				avail += (g->at_s - prev_timed->at_s) * 1000 *
					 (prev_timed->procs > 0 ? prev_timed->procs : 1);
				timed_cpu += prev_timed->gc_cpu_ms;
			}
			prev_timed = g;
		}
	}
	cprof_mmm_done(&s->heap_start);
	cprof_mmm_done(&s->heap_end);
	cprof_mmm_done(&s->heap_live);
	cprof_mmm_done(&s->heap_goal);
	if (s->heap_goal.count) {
		s->goal_min_mb = (int64_t)s->heap_goal.min;
		s->goal_max_mb = (int64_t)s->heap_goal.max;
	}
	cprof_dist_compute(&s->pause_ms, pv, np);
	cprof_dist_compute(&s->mark_ms, mv, nm);
	double goal_median = -1;
	if (ngoal) {
		struct cprof_dist gd;
		cprof_dist_compute(&gd, gv, ngoal);
		goal_median = gd.p50;
	}
	free(pv);
	double mark = s->assist_ms + s->background_ms + s->idle_ms;
	if (mark > 0)
		s->assist_pct = 100 * s->assist_ms / mark;

	s->timed = ntimed > 0;
	if (s->timed) {
		s->first_s = first_start;
		s->span_s = s->last_s - first_start;
		if (ntimed > 1 && last_start > first_start) {
			s->interval_mean_ms = (last_start - first_start) * 1000 / (double)(ntimed - 1);
			s->gc_per_s = (double)(ntimed - 1) / (last_start - first_start);
		}
		/* the last GC: from its start to its end */
		avail += (s->last_s - last_start) * 1000 * (prev_timed->procs > 0 ? prev_timed->procs : 1);
		timed_cpu += prev_timed->gc_cpu_ms;
		if (avail > 0 && isfinite(timed_cpu))
			s->gc_cpu_pct_computed = 100 * timed_cpu / avail;
		mmu_all(log, cprof_mmu_windows_ms, CPROF_MMU_WINDOWS, s->mmu);
	} else {
		for (size_t i = 0; i < CPROF_MMU_WINDOWS; i++)
			s->mmu[i] = NAN;
	}

	/* live heap trend */
	if (nl >= 9) {
		size_t third = nl / 3, k = 0;
		double fsum = 0, lsum = 0, fmax_ = -1, lmin = INFINITY;
		double sx = 0, sy = 0, sxx = 0, sxy = 0;
		size_t nreg = 0;
		for (size_t i = 0; i < n; i++) {
			const struct cprof_gc *g = &log->gc[i];
			if (g->heap_live_mb < 0)
				continue;
			double y = (double)g->heap_live_mb;
			if (k < third) {
				fsum += y;
				fmax_ = fmax(fmax_, y);
			}
			if (k >= nl - third) {
				lsum += y;
				lmin = fmin(lmin, y);
			}
			if (timed(g) && k >= third) {
				double x = g->at_s / 60;
				sx += x, sy += y, sxx += x * x, sxy += x * y;
				nreg++;
			}
			k++;
		}
		s->live_first_mean = fsum / (double)third;
		s->live_last_mean = lsum / (double)third;
		double den = (double)nreg * sxx - sx * sx;
		if (nreg >= 2 && den > 0)
			s->live_slope_mb_per_min = ((double)nreg * sxy - sx * sy) / den;
		s->leak_suspect = lmin > fmax_ && s->live_last_mean >= 1.2 * s->live_first_mean &&
				  !(s->live_slope_mb_per_min <= 0);
	}

	/* intervals: up to 10 equal slices of the span; a GC belongs to the slice of its start */
	if (s->timed && s->span_s > 0) {
		size_t k = ntimed < CPROF_MAX_INTERVALS ? ntimed : CPROF_MAX_INTERVALS;
		double width = s->span_s / (double)k;
		double cpu[CPROF_MAX_INTERVALS] = {0}, as[CPROF_MAX_INTERVALS] = {0};
		double bg[CPROF_MAX_INTERVALS] = {0}, id[CPROF_MAX_INTERVALS] = {0};
		int procs[CPROF_MAX_INTERVALS] = {0};
		s->ninterval = k;
		for (size_t j = 0; j < k; j++) {
			struct cprof_gc_interval *iv = &s->interval[j];
			iv->start_s = s->first_s + width * (double)j;
			iv->end_s = j + 1 == k ? s->last_s : s->first_s + width * (double)(j + 1);
			iv->heap_max_mb = iv->live_max_mb = iv->goal_max_mb = iv->live_last_mb = -1;
			iv->gc_cpu_pct = iv->assist_pct = iv->background_pct = iv->idle_pct = NAN;
		}
		for (size_t i = 0; i < n; i++) {
			const struct cprof_gc *g = &log->gc[i];
			if (!timed(g))
				continue;
			/* a start before first_s (clock restarts, hand edits) goes to the first slice */
			double x = (g->at_s - s->first_s) / width;
			size_t j = !(x > 0) ? 0 : x >= (double)k ? k - 1 : (size_t)x;
			struct cprof_gc_interval *iv = &s->interval[j];
			iv->ngc++;
			iv->nforced += g->forced;
			if (isfinite(g->pause_ms)) {
				iv->pause_total_ms += g->pause_ms;
				iv->pause_max_ms = fmax(iv->pause_max_ms, g->pause_ms);
			}
			int64_t peak = g->heap_start_mb > g->heap_end_mb ? g->heap_start_mb : g->heap_end_mb;
			if (peak > iv->heap_max_mb)
				iv->heap_max_mb = peak;
			if (g->heap_live_mb > iv->live_max_mb)
				iv->live_max_mb = g->heap_live_mb;
			if (g->heap_goal_mb > iv->goal_max_mb)
				iv->goal_max_mb = g->heap_goal_mb;
			if (g->heap_live_mb >= 0)
				iv->live_last_mb = g->heap_live_mb;
			if (isfinite(g->gc_cpu_ms))
				cpu[j] += g->gc_cpu_ms;
			if (isfinite(g->assist_ms)) {
				as[j] += g->assist_ms;
				bg[j] += g->background_ms;
				id[j] += g->idle_ms;
			}
			if (g->procs > procs[j])
				procs[j] = g->procs;
		}
		for (size_t j = 0; j < k; j++) {
			struct cprof_gc_interval *iv = &s->interval[j];
			double w = (iv->end_s - iv->start_s) * 1000;
			if (iv->ngc && w > 0 && procs[j] > 0)
				iv->gc_cpu_pct = 100 * cpu[j] / (w * procs[j]);
			double m = as[j] + bg[j] + id[j];
			if (m > 0) {
				iv->assist_pct = 100 * as[j] / m;
				iv->background_pct = 100 * bg[j] / m;
				iv->idle_pct = 100 * id[j] / m;
			}
		}
	}

	/* the worst GCs by pause */
	for (size_t i = 0; i < n; i++) {
		double p = log->gc[i].pause_ms;
		if (!isfinite(p))
			continue;
		size_t pos = s->nworst;
		while (pos > 0 && log->gc[s->worst[pos - 1]].pause_ms < p)
			pos--;
		if (pos >= CPROF_WORST_GCS)
			continue;
		size_t last = s->nworst < CPROF_WORST_GCS ? s->nworst : CPROF_WORST_GCS - 1;
		memmove(&s->worst[pos + 1], &s->worst[pos], (last - pos) * sizeof(s->worst[0]));
		s->worst[pos] = i;
		if (s->nworst < CPROF_WORST_GCS)
			s->nworst++;
	}

	make_hints(log, s, goal_median);
}

/* ---- comparison table ---- */

#define GC_METRICS(X)                                                                          \
	X("GCs", "gc_count", "", 0, 0, (double)s->gc_count)                                      \
	X("forced GCs", "forced_gc_count", "", 0, -1, (double)s->forced_count)                   \
	X("span", "span_seconds", "s", 3, 0, s->span_s)                                           \
	X("GC rate", "gc_per_second", "/s", 2, -1, s->gc_per_s)                                   \
	X("pause p50", "pause_ms.p50", "ms", 3, -1, s->pause_ms.p50)                              \
	X("pause p99", "pause_ms.p99", "ms", 3, -1, s->pause_ms.p99)                              \
	X("pause max", "pause_ms.max", "ms", 3, -1, s->pause_ms.max)                              \
	X("pause total", "pause_ms.total", "ms", 3, -1, s->pause_ms.total)                        \
	X("mark mean", "mark_ms.mean", "ms", 3, -1, s->mark_ms.mean)                              \
	X("mark p99", "mark_ms.p99", "ms", 3, -1, s->mark_ms.p99)                                 \
	X("GC CPU (runtime, end)", "gc_cpu_percent_end", "%", 0, -1,                              \
	  s->gc_cpu_pct_end < 0 ? NAN : (double)s->gc_cpu_pct_end)                                \
	X("GC CPU (computed)", "gc_cpu_percent_computed", "%", 2, -1, s->gc_cpu_pct_computed)     \
	X("assist share", "assist_percent", "%", 1, -1, s->assist_pct)                            \
	X("heap peak", "heap_peak_mb", "MB", 0, -1, s->heap_peak_mb < 0 ? NAN : (double)s->heap_peak_mb) \
	X("live heap peak", "live_heap_peak_mb", "MB", 0, -1,                                     \
	  s->live_peak_mb < 0 ? NAN : (double)s->live_peak_mb)                                    \
	X("heap goal max", "heap_goal_mb.max", "MB", 0, -1,                                       \
	  s->goal_max_mb < 0 ? NAN : (double)s->goal_max_mb)                                      \
	X("MMU 10ms", "mmu_percent.10ms", "%", 1, 1, 100 * s->mmu[3])                             \
	X("MMU 100ms", "mmu_percent.100ms", "%", 1, 1, 100 * s->mmu[6])

const struct cprof_metric cprof_gc_metrics[] = {
#define GC_METRIC_ROW_(label, key, unit, dec, better, expr) {label, key, unit, dec, better},
	GC_METRICS(GC_METRIC_ROW_)
#undef GC_METRIC_ROW_
};
const size_t cprof_gc_nmetrics = CPROF_ARRAY_SIZE(cprof_gc_metrics);

double cprof_gc_metric(const struct cprof_gc_summary *s, size_t i)
{
	size_t k = 0;
#define GC_METRIC_GET_(label, key, unit, dec, better, expr) \
	if (k++ == i)                                           \
		return (expr);
	GC_METRICS(GC_METRIC_GET_)
#undef GC_METRIC_GET_
	return NAN;
}

static double gc_metric_get(const void *s, size_t i)
{
	return cprof_gc_metric(s, i);
}

const struct cprof_metric_set cprof_gc_metric_set = {cprof_gc_metrics, &cprof_gc_nmetrics, gc_metric_get};
