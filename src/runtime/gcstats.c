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
 * One GC as the utilisation function sees it, in ms (struct
 * cprof_mmu_unit): from t, f ms of stop-the-world (loss 1), m ms of
 * concurrent marking that takes the share L of the CPU from the program,
 * l ms of stop-the-world again; then nothing lost until the next GC. cum
 * is the time lost from the start of the log up to t. A GC whose printed
 * start (truncated to the ms) falls before the previous one's end is moved
 * to that end, keeping its durations.
 *
 * The time lost in a window [x, x+w] is piecewise linear in x; its slope,
 * loss(x+w) - loss(x), falls only where x passes a point where the loss
 * rises (the start of a stop-the-world phase) or x+w passes one where it
 * falls (the end of one), so the maximum is at one of those points or at
 * an end of the domain [t0, t1-w]. Each GC gives four such windows: two
 * that start at its STW starts (they need the GCs up to w ms later, so
 * they wait until a GC that late has come) and two that end at its STW
 * ends (they need the GCs up to w ms before, which are held). So the GCs
 * stream through a ring that holds about the last second of them, and
 * each window length keeps its worst loss so far.
 *
 * Per GC and window, a bound first: the windows that start in a GC lie in
 * [its start, its last STW start + w], and when that stretch does not
 * lose more than the worst window so far, neither can; the same for the
 * windows that end in it. A longer window holds any shorter one, so the
 * worst loss of the previous window length starts the search of the next,
 * and a window length that has reached MMU 0 is not searched further.
 */

#define MMU_MARGIN_MS 1.0 /* a window-start candidate waits for a GC this much past its window */

static inline double clampd(double d, double len)
{
	return d < 0 ? 0 : d > len ? len : d;
}

/* Time lost from the start of GC u up to x (x at or after u->t). */
static inline double lost_in(const struct cprof_mmu_unit *u, double x)
{
	double d = x - u->t;
	return u->cum + clampd(d, u->f) + u->L * clampd(d - u->f, u->m) + clampd(d - u->f - u->m, u->l);
}

static inline const struct cprof_mmu_unit *unit(const struct cprof_mmu_stream *s, uint64_t i)
{
	return &s->u[i & (s->cap - 1)];
}

/* The time lost after a unit: the cum of the one that follows. */
static inline double cum_after(const struct cprof_mmu_unit *u)
{
	return u->cum + (u->f + u->L * u->m + u->l);
}

/*
 * Time lost from the start up to x, for x that never decrease between
 * calls on one cursor: *j walks forward to the last unit that starts at or
 * before x (0 when none: nothing lost). Every unit that may follow *j
 * within x must be held (the callers see to it); past the last unit held,
 * the log is taken to end there.
 */
static double lost_upto(const struct cprof_mmu_stream *s, uint64_t *j, double x)
{
	uint64_t k = *j < s->lo ? s->lo - 1 : *j;
	while (k + 1 < s->hi && unit(s, k + 1)->t <= x)
		k++;
	if (k + 1 == s->lo && s->lo > 1) /* let go of early (a dense log): the oldest held stands in */
		k = s->lo;
	*j = k;
	if (k == 0 || k < s->lo)
		return 0;
	return lost_in(unit(s, k), x);
}

static void mmu_init(struct cprof_mmu_stream *s)
{
	memset(s, 0, sizeof(*s));
	s->nw = CPROF_MMU_WINDOWS;
	memcpy(s->w, cprof_mmu_windows_ms, sizeof(cprof_mmu_windows_ms));
	s->lo = s->hi = 1;
	s->end = -INFINITY;
	s->max_ring = CPROF_MMU_RING_MAX;
}

/* The worst loss so far of window k, or the one of the shorter window before it. */
static double best_of(const struct cprof_mmu_stream *s, size_t k)
{
	double best = s->worst[k];
	if (k > 0 && s->w[k - 1] <= s->w[k] && s->worst[k - 1] > best)
		best = s->worst[k - 1];
	return best;
}

#define MMU_SUB 2 /* units per bound check (measured best of 1, 2, 4, 16) */

/*
 * The windows of length w[k] that start at the STW starts of units
 * [i, e). With at_end, the log is over: hk (its end less w) limits the
 * starts; before that, the units wait until one starts past their windows
 * (see mmu_add), which puts the windows inside the log.
 */
static void starts_of(struct cprof_mmu_stream *s, size_t k, uint64_t i, uint64_t e, bool at_end, double hk)
{
	double wk = s->w[k], best = best_of(s, k);
	if (i == 1 && !s->start_done[k]) {
		/* the domain's first window, [t0, t0 + w] */
		uint64_t j = 0, j0 = 0;
		double v = lost_upto(s, &j, s->t0 + wk) - lost_upto(s, &j0, s->t0);
		best = v > best ? v : best;
		s->start_done[k] = true;
	}
	const struct cprof_mmu_unit *z = unit(s, e - 1);
	if (best < wk && lost_upto(s, &s->jbb[k], z->t + z->f + z->m + wk) - unit(s, i)->cum > best) {
		for (uint64_t q = i; q < e; q++) {
			const struct cprof_mmu_unit *g = unit(s, q);
			double x = g->t;
			if (x >= s->t0 && (!at_end || x <= hk)) {
				double lost = lost_upto(s, &s->jab[k], x + wk) - g->cum;
				best = lost > best ? lost : best;
			}
			x = g->t + g->f + g->m;
			if (x >= s->t0 && (!at_end || x <= hk)) {
				double lost = lost_upto(s, &s->jab[k], x + wk) - (g->cum + g->f + g->L * g->m);
				best = lost > best ? lost : best;
			}
		}
	}
	s->worst[k] = best;
}

/* The windows of length w[k] that end at the STW ends of units [i, e) (all of whose past is held). */
static void ends_of(struct cprof_mmu_stream *s, size_t k, uint64_t i, uint64_t e)
{
	double wk = s->w[k], best = best_of(s, k);
	const struct cprof_mmu_unit *a = unit(s, i);
	if (best < wk && cum_after(unit(s, e - 1)) - lost_upto(s, &s->jcd[k], a->t + a->f - wk) > best) {
		for (uint64_t q = i; q < e; q++) {
			const struct cprof_mmu_unit *g = unit(s, q);
			double x = g->t + g->f - wk;
			if (x >= s->t0) {
				double lost = g->cum + g->f - lost_upto(s, &s->jcd[k], x);
				best = lost > best ? lost : best;
			}
			x = g->t + g->f + g->m + g->l - wk;
			if (x >= s->t0) {
				double lost = cum_after(g) - lost_upto(s, &s->jcd[k], x);
				best = lost > best ? lost : best;
			}
		}
	}
	s->worst[k] = best;
}

static void mmu_add(struct cprof_mmu_stream *s, const struct cprof_gc *g)
{
	double t = g->at_s * 1000;
	if (t < s->end)
		t = s->end;
	if (s->hi == 1)
		s->t0 = t;
	if (s->hi - s->lo == s->cap) {
		if (s->cap < s->max_ring) {
			size_t cap = s->cap ? s->cap * 2 : s->max_ring < 256 ? s->max_ring : 256;
			struct cprof_mmu_unit *u = cprof_xmalloc(cap * sizeof(*u));
			for (uint64_t i = s->lo; i < s->hi; i++)
				u[i & (cap - 1)] = *unit(s, i);
			free(s->u);
			s->u = u;
			s->cap = cap;
		} else {
			/* let the oldest go: its waiting windows are taken as the log allows now */
			for (size_t k = 0; k < s->nw; k++) {
				if (s->ab[k] == s->lo)
					starts_of(s, k, s->lo, ++s->ab[k], false, 0);
				if (s->cd[k] == s->lo)
					ends_of(s, k, s->lo, ++s->cd[k]);
			}
			s->lo++;
			s->overflowed = true;
		}
	}
	struct cprof_mmu_unit *x = &s->u[s->hi & (s->cap - 1)];
	x->t = t;
	x->cum = s->cum;
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
	s->cum += x->f + x->L * x->m + x->l;
	s->end = t + gc_dur_ms(g);
	uint64_t q = s->hi++;
	double wmax = 0;
	uint64_t keep = q;
	for (size_t k = 0; k < s->nw; k++) {
		if (!s->ab[k])
			s->ab[k] = s->cd[k] = q;
		/* the windows that start in earlier units, MMU_SUB at a time, once a unit starts past them */
		while (s->ab[k] + MMU_SUB <= q) {
			const struct cprof_mmu_unit *z = unit(s, s->ab[k] + MMU_SUB - 1);
			if (!(t > z->t + z->f + z->m + s->w[k] + MMU_MARGIN_MS))
				break;
			starts_of(s, k, s->ab[k], s->ab[k] + MMU_SUB, false, 0);
			s->ab[k] += MMU_SUB;
		}
		/* the windows that end in the units up to this one */
		if (s->cd[k] + MMU_SUB <= q + 1) {
			ends_of(s, k, s->cd[k], s->cd[k] + MMU_SUB);
			s->cd[k] += MMU_SUB;
		}
		wmax = s->w[k] > wmax ? s->w[k] : wmax;
		keep = s->ab[k] < keep ? s->ab[k] : keep;
		keep = s->cd[k] < keep ? s->cd[k] : keep;
	}
	/*
	 * Let go of what no window needs: the units waiting stay, and the past
	 * that the longest window reaches back to from the log's end and from
	 * the waiting window ends.
	 */
	double horizon = s->end - wmax;
	for (size_t k = 0; k < s->nw; k++)
		if (s->cd[k] < s->hi)
			horizon = fmin(horizon, unit(s, s->cd[k])->t - wmax);
	while (s->lo < keep && unit(s, s->lo + 1)->t <= horizon - MMU_MARGIN_MS)
		s->lo++;
}

/* The log is over: the windows still waiting, the domain's last window, and the figures. */
static void mmu_finish(struct cprof_mmu_stream *s, double *out)
{
	double t1 = s->end;
	bool any = s->hi > 1;
	for (size_t k = 0; k < s->nw; k++) {
		double wk = s->w[k];
		if (!(any && t1 - s->t0 >= wk && wk > 0)) {
			out[k] = NAN;
			continue;
		}
		double hk = t1 - wk;
		for (; s->cd[k] < s->hi; s->cd[k]++)
			ends_of(s, k, s->cd[k], s->cd[k] + 1);
		for (; s->ab[k] < s->hi; s->ab[k]++)
			starts_of(s, k, s->ab[k], s->ab[k] + 1, true, hk);
		uint64_t j = 0, i = 0;
		double v = lost_upto(s, &j, t1) - lost_upto(s, &i, hk);
		double best = best_of(s, k);
		s->worst[k] = v > best ? v : best;
		out[k] = fmax(0, 1 - s->worst[k] / wk);
	}
}

/* ---- runs of GCs ---- */

static void run_start(struct cprof_gc_run *r, const struct cprof_gc *g)
{
	memset(r, 0, sizeof(*r));
	r->num = g->num;
	r->at_s = g->at_s;
	r->timed = timed(g);
	r->pause_max = -INFINITY;
	r->heap_start_max = r->heap_end_max = r->live_max = r->goal_max = r->live_last = r->procs_max = -1;
	r->live_min = r->goal_min = INFINITY;
}

static void imax32(int32_t *a, int32_t b)
{
	if (b > *a)
		*a = b;
}

/* Fold b (the run after a) into a. */
static void run_merge(struct cprof_gc_run *a, const struct cprof_gc_run *b)
{
	a->timed = a->timed || b->timed;
	if (!isfinite(a->at_s))
		a->at_s = b->at_s;
	a->n += b->n, a->nforced += b->nforced, a->npause += b->npause, a->nlive += b->nlive;
	a->nreg += b->nreg, a->ngoal += b->ngoal, a->nchart += b->nchart;
	a->pause_total += b->pause_total;
	a->pause_max = fmax(a->pause_max, b->pause_max);
	imax32(&a->heap_start_max, b->heap_start_max);
	imax32(&a->heap_end_max, b->heap_end_max);
	imax32(&a->live_max, b->live_max);
	imax32(&a->goal_max, b->goal_max);
	imax32(&a->procs_max, b->procs_max);
	if (b->live_last >= 0)
		a->live_last = b->live_last;
	a->cpu += b->cpu, a->assist += b->assist, a->background += b->background, a->idle += b->idle;
	a->live_sum += b->live_sum, a->live_min = fmin(a->live_min, b->live_min);
	a->sx += b->sx, a->sy += b->sy, a->sxx += b->sxx, a->sxy += b->sxy;
	a->goal_sum += b->goal_sum, a->goal_min = fmin(a->goal_min, b->goal_min);
	a->pair_cpu += b->pair_cpu, a->pair_avail += b->pair_avail;
	a->chart_cpu += b->chart_cpu, a->chart_den += b->chart_den;
}

/*
 * The run g goes into: the last one while it takes more GCs of g's kind
 * (timed or not), else a new one; when the runs are all used, neighbours
 * of one kind merge in pairs (of any kind if that frees too little) and
 * runs take twice as many GCs from then on.
 */
static struct cprof_gc_run *run_for(struct cprof_gcstats *st, const struct cprof_gc *g)
{
	struct cprof_gc_run *last = st->nrun ? &st->run[st->nrun - 1] : NULL;
	if (last && last->n < st->per_run && last->timed == timed(g))
		return last;
	if (st->nrun == st->max_runs) {
		for (int any_kind = 0; any_kind < 2 && st->nrun > st->max_runs * 3 / 4; any_kind++) {
			size_t m = 0;
			for (size_t i = 0; i < st->nrun; i++) {
				if (st->prev_run == i)
					st->prev_run = m;
				if (i + 1 < st->nrun && (any_kind || st->run[i].timed == st->run[i + 1].timed)) {
					if (st->prev_run == i + 1)
						st->prev_run = m;
					st->run[m] = st->run[i];
					run_merge(&st->run[m++], &st->run[++i]);
				} else {
					st->run[m++] = st->run[i];
				}
			}
			st->nrun = m;
		}
		st->per_run *= 2;
	}
	if (!st->run)
		st->run = cprof_xmalloc(st->max_runs * sizeof(*st->run));
	struct cprof_gc_run *r = &st->run[st->nrun++];
	run_start(r, g);
	return r;
}

static void run_add(struct cprof_gc_run *r, const struct cprof_gc *g)
{
	r->n++;
	r->nforced += g->forced;
	if (isfinite(g->pause_ms)) {
		r->pause_total += g->pause_ms;
		r->pause_max = fmax(r->pause_max, g->pause_ms);
		r->npause++;
	}
	imax32(&r->heap_start_max, g->heap_start_mb);
	imax32(&r->heap_end_max, g->heap_end_mb);
	imax32(&r->live_max, g->heap_live_mb);
	imax32(&r->goal_max, g->heap_goal_mb);
	imax32(&r->procs_max, g->procs);
	if (g->heap_live_mb >= 0) {
		double y = (double)g->heap_live_mb;
		r->live_last = g->heap_live_mb;
		r->live_sum += y;
		r->live_min = fmin(r->live_min, y);
		r->nlive++;
		if (timed(g)) {
			double x = g->at_s / 60;
			r->sx += x, r->sy += y, r->sxx += x * x, r->sxy += x * y;
			r->nreg++;
		}
	}
	if (g->heap_goal_mb >= 0) {
		r->goal_sum += (double)g->heap_goal_mb;
		r->goal_min = fmin(r->goal_min, (double)g->heap_goal_mb);
		r->ngoal++;
	}
	if (isfinite(g->gc_cpu_ms))
		r->cpu += g->gc_cpu_ms;
	if (isfinite(g->assist_ms)) {
		r->assist += g->assist_ms;
		r->background += g->background_ms;
		r->idle += g->idle_ms;
	}
}

/* ---- the aggregates ---- */

void cprof_gcstats_init(struct cprof_gcstats *st)
{
	memset(st, 0, sizeof(*st));
	st->gc_cpu_pct_end = -1;
	st->heap_peak_mb = st->live_peak_mb = st->stacks_max_mb = st->globals_max_mb = -1;
	st->procs = st->procs_min = st->procs_max = -1;
	st->first_start = st->last_start = st->last_s = NAN;
	st->max_runs = CPROF_GC_MAX_RUNS;
	st->per_run = 1;
	st->prev_run = SIZE_MAX;
	mmu_init(&st->mmu);
}

void cprof_gcstats_release(struct cprof_gcstats *st)
{
	cprof_valcount_release(&st->pause);
	cprof_valcount_release(&st->mark);
	cprof_valcount_release(&st->goal);
	free(st->mmu.u);
	free(st->run);
	memset(st, 0, sizeof(*st));
}

void cprof_gcstats_add(struct cprof_gcstats *st, const struct cprof_gc *g, const struct cprof_gc *next)
{
	st->forced += g->forced;
	st->periodic += g->periodic;
	if (isfinite(g->pause_ms))
		cprof_valcount_add(&st->pause, g->pause_ms);
	if (isfinite(g->mark_ms))
		cprof_valcount_add(&st->mark, g->mark_ms);
	if (g->cpu_pct >= 0)
		st->gc_cpu_pct_end = g->cpu_pct;
	if (isfinite(g->assist_ms)) {
		st->assist_ms += g->assist_ms;
		st->background_ms += g->background_ms;
		st->idle_ms += g->idle_ms;
	}
	if (isfinite(g->stw_cpu_ms))
		st->stw_cpu_ms += g->stw_cpu_ms;
	if (isfinite(g->gc_cpu_ms))
		st->gc_cpu_ms += g->gc_cpu_ms;
	if (g->heap_start_mb >= 0)
		cprof_mmm_add(&st->heap_start, (double)g->heap_start_mb);
	if (g->heap_end_mb >= 0)
		cprof_mmm_add(&st->heap_end, (double)g->heap_end_mb);
	if (g->heap_live_mb >= 0) {
		cprof_mmm_add(&st->heap_live, (double)g->heap_live_mb);
		st->nlive++;
	}
	if (g->heap_goal_mb >= 0) {
		cprof_mmm_add(&st->heap_goal, (double)g->heap_goal_mb);
		cprof_valcount_add(&st->goal, (double)g->heap_goal_mb);
	}
	int64_t peak = g->heap_start_mb > g->heap_end_mb ? g->heap_start_mb : g->heap_end_mb;
	if (peak > st->heap_peak_mb)
		st->heap_peak_mb = peak;
	if (g->heap_live_mb > st->live_peak_mb)
		st->live_peak_mb = g->heap_live_mb;
	if (g->stacks_mb > st->stacks_max_mb)
		st->stacks_max_mb = g->stacks_mb;
	if (g->globals_mb > st->globals_max_mb)
		st->globals_max_mb = g->globals_mb;
	if (g->procs > 0) {
		st->procs = g->procs;
		if (st->procs_min < 0 || g->procs < st->procs_min)
			st->procs_min = g->procs;
		if (g->procs > st->procs_max)
			st->procs_max = g->procs;
	}

	struct cprof_gc_run *r = run_for(st, g);
	if (timed(g)) {
		st->ntimed++;
		if (isnan(st->first_start))
			st->first_start = g->at_s;
		st->last_start = g->at_s;
		double end = g->at_s + gc_dur_ms(g) / 1000;
		if (isnan(st->last_s) || end > st->last_s)
			st->last_s = end;
		if (st->have_prev_timed) {
			double a = (g->at_s - st->prev_at) * 1000 * (st->prev_procs > 0 ? st->prev_procs : 1);
			st->avail += a;
			st->timed_cpu += st->prev_cpu;
			/* the pair's share of the last quarter goes with its first GC */
			struct cprof_gc_run *pr = &st->run[st->prev_run];
			pr->pair_cpu += st->prev_cpu;
			pr->pair_avail += a;
		}
		st->have_prev_timed = true;
		st->prev_at = g->at_s;
		st->prev_cpu = g->gc_cpu_ms;
		st->prev_procs = g->procs;
		st->prev_run = (size_t)(r - st->run);
		mmu_add(&st->mmu, g);
	}
	run_add(r, g);
	/* the chart's GC CPU of the interval from this GC's start to the next one's */
	if (timed(g) && next && isfinite(next->at_s) && next->at_s > g->at_s && g->procs > 0 &&
	    isfinite(g->gc_cpu_ms)) {
		r->chart_cpu += g->gc_cpu_ms;
		r->chart_den += (next->at_s - g->at_s) * 1000 * g->procs;
		r->nchart++;
	}

	/* the worst GCs by pause; of equal pauses, the first */
	double p = g->pause_ms;
	if (isfinite(p)) {
		size_t pos = st->nworst;
		while (pos > 0 && st->worst[pos - 1].pause_ms < p)
			pos--;
		if (pos < CPROF_WORST_GCS) {
			size_t last = st->nworst < CPROF_WORST_GCS ? st->nworst : CPROF_WORST_GCS - 1;
			memmove(&st->worst[pos + 1], &st->worst[pos], (last - pos) * sizeof(st->worst[0]));
			st->worst[pos] = *g;
			if (st->nworst < CPROF_WORST_GCS)
				st->nworst++;
		}
	}
}

/* ---- hints ---- */

/* GC CPU share and heap figures of the last quarter of the span. */
struct tail {
	size_t ngc;
	double gc_cpu_pct, live_mean, goal_mean, goal_min, goal_max;
};

static void tail_of(const struct cprof_gclog *log, const struct cprof_gc_summary *s, struct tail *t)
{
	const struct cprof_gcstats *st = &log->stats;
	memset(t, 0, sizeof(*t));
	t->gc_cpu_pct = NAN;
	double from = s->last_s - s->span_s / 4, cpu = 0, avail = 0, live = 0, goal = 0;
	size_t nlive = 0, ngoal = 0;
	t->goal_min = INFINITY, t->goal_max = -INFINITY;
	for (size_t i = 0; i < st->nrun; i++) {
		const struct cprof_gc_run *r = &st->run[i];
		if (!r->timed || !isfinite(r->at_s))
			continue;
		if (r->at_s < from)
			continue;
		/* the pairs of timed GCs that start here (each GC's time to the next) */
		cpu += r->pair_cpu;
		avail += r->pair_avail;
		t->ngc += r->n;
		if (r->nlive) {
			live += r->live_sum;
			nlive += r->nlive;
		}
		if (r->ngoal) {
			goal += r->goal_sum;
			ngoal += r->ngoal;
			t->goal_min = fmin(t->goal_min, r->goal_min);
			t->goal_max = fmax(t->goal_max, (double)r->goal_max);
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
		     s->nworst ? (unsigned long long)s->worst[0].num : 0ULL);
}

/* ---- the summary ---- */

/* The live heap trend: means of the first and last thirds of the GCs with a live figure, the slope after the first. */
static void live_trend(const struct cprof_gcstats *st, struct cprof_gc_summary *s)
{
	size_t nl = st->nlive;
	if (nl < 9)
		return;
	size_t third = nl / 3, k = 0, nreg = 0;
	double fsum = 0, lsum = 0, fmax_ = -1, lmin = INFINITY;
	double sx = 0, sy = 0, sxx = 0, sxy = 0;
	for (size_t i = 0; i < st->nrun; i++) {
		const struct cprof_gc_run *r = &st->run[i];
		if (!r->nlive)
			continue;
		/* a run's share of each third: all of it, none, or (a merged run) a part */
		size_t n = r->nlive, end = k + n;
		size_t in_first = third > k ? (third - k < n ? third - k : n) : 0;
		size_t in_last = end > nl - third ? (end - (nl - third) < n ? end - (nl - third) : n) : 0;
		size_t after_first = n - in_first;
		if (in_first) {
			fsum += in_first == n ? r->live_sum : r->live_sum * (double)in_first / (double)n;
			fmax_ = fmax(fmax_, (double)r->live_max);
		}
		if (in_last) {
			lsum += in_last == n ? r->live_sum : r->live_sum * (double)in_last / (double)n;
			lmin = fmin(lmin, r->live_min);
		}
		if (after_first && r->nreg) {
			double f = after_first == n ? 1 : (double)after_first / (double)n;
			if (f == 1) {
				sx += r->sx, sy += r->sy, sxx += r->sxx, sxy += r->sxy;
				nreg += r->nreg;
			} else {
				sx += r->sx * f, sy += r->sy * f, sxx += r->sxx * f, sxy += r->sxy * f;
				nreg += (size_t)((double)r->nreg * f + 0.5);
			}
		}
		k = end;
	}
	s->live_first_mean = fsum / (double)third;
	s->live_last_mean = lsum / (double)third;
	double den = (double)nreg * sxx - sx * sx;
	if (nreg >= 2 && den > 0)
		s->live_slope_mb_per_min = ((double)nreg * sxy - sx * sy) / den;
	s->leak_suspect = lmin > fmax_ && s->live_last_mean >= 1.2 * s->live_first_mean &&
			  !(s->live_slope_mb_per_min <= 0);
}

/* Up to 10 equal slices of the span; a GC (a run) belongs to the slice of its start. */
static void intervals(const struct cprof_gcstats *st, struct cprof_gc_summary *s)
{
	size_t ntimed = st->ntimed;
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
	for (size_t i = 0; i < st->nrun; i++) {
		const struct cprof_gc_run *r = &st->run[i];
		if (!r->timed || !isfinite(r->at_s))
			continue;
		/* a start before first_s (clock restarts, hand edits) goes to the first slice */
		double x = (r->at_s - s->first_s) / width;
		size_t j = !(x > 0) ? 0 : x >= (double)k ? k - 1 : (size_t)x;
		struct cprof_gc_interval *iv = &s->interval[j];
		iv->ngc += r->n;
		iv->nforced += r->nforced;
		if (r->npause) {
			iv->pause_total_ms += r->pause_total;
			iv->pause_max_ms = fmax(iv->pause_max_ms, r->pause_max);
		}
		int64_t peak = r->heap_start_max > r->heap_end_max ? r->heap_start_max : r->heap_end_max;
		if (peak > iv->heap_max_mb)
			iv->heap_max_mb = peak;
		if (r->live_max > iv->live_max_mb)
			iv->live_max_mb = r->live_max;
		if (r->goal_max > iv->goal_max_mb)
			iv->goal_max_mb = r->goal_max;
		if (r->live_last >= 0)
			iv->live_last_mb = r->live_last;
		cpu[j] += r->cpu;
		as[j] += r->assist;
		bg[j] += r->background;
		id[j] += r->idle;
		if (r->procs_max > procs[j])
			procs[j] = r->procs_max;
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

void cprof_gc_summarize(const struct cprof_gclog *log, struct cprof_gc_summary *s)
{
	const struct cprof_gcstats *st = &log->stats;
	memset(s, 0, sizeof(*s));
	s->gc_count = log->ngc;
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
	s->first_s = s->last_s = s->span_s = s->gc_per_s = s->interval_mean_ms = NAN;
	s->gc_cpu_pct_computed = s->assist_pct = NAN;
	s->live_first_mean = s->live_last_mean = s->live_slope_mb_per_min = NAN;
	s->goal_min_mb = s->goal_max_mb = -1;

	s->forced_count = st->forced;
	s->periodic_count = st->periodic;
	s->gc_cpu_pct_end = st->gc_cpu_pct_end;
	s->assist_ms = st->assist_ms;
	s->background_ms = st->background_ms;
	s->idle_ms = st->idle_ms;
	s->stw_cpu_ms = st->stw_cpu_ms;
	s->gc_cpu_ms = st->gc_cpu_ms;
	s->heap_start = st->heap_start;
	s->heap_end = st->heap_end;
	s->heap_live = st->heap_live;
	s->heap_goal = st->heap_goal;
	cprof_mmm_done(&s->heap_start);
	cprof_mmm_done(&s->heap_end);
	cprof_mmm_done(&s->heap_live);
	cprof_mmm_done(&s->heap_goal);
	s->heap_peak_mb = st->heap_peak_mb;
	s->live_peak_mb = st->live_peak_mb;
	s->stacks_max_mb = st->stacks_max_mb;
	s->globals_max_mb = st->globals_max_mb;
	s->procs = st->procs;
	s->procs_min = st->procs_min;
	s->procs_max = st->procs_max;
	if (s->heap_goal.count) {
		s->goal_min_mb = (int64_t)s->heap_goal.min;
		s->goal_max_mb = (int64_t)s->heap_goal.max;
	}
	cprof_valcount_dist(&st->pause, &s->pause_ms);
	cprof_valcount_dist(&st->mark, &s->mark_ms);
	double goal_median = -1;
	if (st->goal.n) {
		struct cprof_dist gd;
		cprof_valcount_dist(&st->goal, &gd);
		goal_median = gd.p50;
	}
	double mark = s->assist_ms + s->background_ms + s->idle_ms;
	if (mark > 0)
		s->assist_pct = 100 * s->assist_ms / mark;

	s->timed = st->ntimed > 0;
	if (s->timed) {
		double avail = st->avail, timed_cpu = st->timed_cpu;
		s->first_s = st->first_start;
		s->last_s = st->last_s;
		s->span_s = s->last_s - st->first_start;
		if (st->ntimed > 1 && st->last_start > st->first_start) {
			s->interval_mean_ms = (st->last_start - st->first_start) * 1000 / (double)(st->ntimed - 1);
			s->gc_per_s = (double)(st->ntimed - 1) / (st->last_start - st->first_start);
		}
		/* the last GC: from its start to its end */
		avail += (s->last_s - st->last_start) * 1000 * (st->prev_procs > 0 ? st->prev_procs : 1);
		timed_cpu += st->prev_cpu;
		if (avail > 0 && isfinite(timed_cpu))
			s->gc_cpu_pct_computed = 100 * timed_cpu / avail;
		/* the stream's last windows close on a copy: the log stays as it is */
		struct cprof_mmu_stream m = st->mmu;
		m.u = cprof_xmalloc((m.cap ? m.cap : 1) * sizeof(*m.u));
		if (m.cap)
			memcpy(m.u, st->mmu.u, m.cap * sizeof(*m.u));
		double mmu[CPROF_MMU_MAX_WINDOWS];
		mmu_finish(&m, mmu);
		free(m.u);
		for (size_t i = 0; i < CPROF_MMU_WINDOWS; i++)
			s->mmu[i] = i < m.nw ? mmu[i] : NAN;
	} else {
		for (size_t i = 0; i < CPROF_MMU_WINDOWS; i++)
			s->mmu[i] = NAN;
	}

	live_trend(st, s);
	if (s->timed && s->span_s > 0)
		intervals(st, s);
	memcpy(s->worst, st->worst, sizeof(s->worst));
	s->nworst = st->nworst;
	make_hints(log, s, goal_median);
}

double cprof_gc_mmu(const struct cprof_gclog *log, double w_ms)
{
	const struct cprof_mmu_stream *st = &log->stats.mmu;
	for (size_t k = 0; k < st->nw; k++) {
		if (st->w[k] != w_ms)
			continue;
		struct cprof_mmu_stream m = *st;
		m.u = cprof_xmalloc((m.cap ? m.cap : 1) * sizeof(*m.u));
		if (m.cap)
			memcpy(m.u, st->u, m.cap * sizeof(*m.u));
		double out[CPROF_MMU_MAX_WINDOWS];
		mmu_finish(&m, out);
		free(m.u);
		return out[k];
	}
	return NAN;
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
