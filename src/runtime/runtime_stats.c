/*
 * runtime_stats.c - the statistics both runtime-log summaries use
 * (src/runtime/gcstats.c, src/runtime/schedstats.c): nearest-rank distributions, running
 * mean/min/max, and the list of hints (see include/cprof/runtime_logs.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cprof/runtime_logs.h"

/*
 * Move the k-th smallest of v[lo..hi) to v[k], with nothing larger before
 * it and nothing smaller after (Hoare's selection, median-of-three pivot):
 * O(n) on average, where sorting for four percentiles would be O(n log n).
 */
static void select_k(double *v, size_t lo, size_t hi, size_t k)
{
	while (hi - lo > 2) {
		size_t mid = lo + (hi - lo) / 2;
		double a = v[lo], b = v[mid], c = v[hi - 1];
		double pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
		size_t i = lo, j = hi - 1;
		for (;;) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i >= j)
				break;
			double t = v[i];
			v[i++] = v[j];
			v[j--] = t;
		}
		/* now v[lo..j] <= pivot <= v[j+1..hi) */
		if (k <= j)
			hi = j + 1;
		else
			lo = j + 1;
	}
	if (hi - lo == 2 && v[lo] > v[lo + 1]) {
		double t = v[lo];
		v[lo] = v[lo + 1];
		v[lo + 1] = t;
	}
}

/* Nearest rank, as a 0-based index: ceil(p/100*n) - 1, in integers. */
static size_t rank_index(size_t n, unsigned p)
{
	size_t r = (p * n + 99) / 100;
	return r ? r - 1 : 0;
}

void cprof_dist_compute(struct cprof_dist *d, double *v, size_t n)
{
	memset(d, 0, sizeof(*d));
	d->count = n;
	if (n == 0) {
		d->mean = d->min = d->p50 = d->p90 = d->p95 = d->p99 = d->max = NAN;
		return;
	}
	d->min = d->max = v[0];
	for (size_t i = 0; i < n; i++) {
		d->total += v[i];
		if (v[i] < d->min)
			d->min = v[i];
		if (v[i] > d->max)
			d->max = v[i];
	}
	d->mean = d->total / (double)n;
	/* ascending ranks: each selection leaves only larger values to its right */
	static const unsigned pct[4] = {50, 90, 95, 99};
	double *out[4] = {&d->p50, &d->p90, &d->p95, &d->p99};
	size_t from = 0;
	for (int i = 0; i < 4; i++) {
		size_t k = rank_index(n, pct[i]);
		select_k(v, from, n, k);
		*out[i] = v[k];
		from = k;
	}
}

void cprof_mmm_add(struct cprof_mmm *m, double v)
{
	if (m->count == 0 || v < m->min)
		m->min = v;
	if (m->count == 0 || v > m->max)
		m->max = v;
	m->mean += v; /* a sum until cprof_mmm_done() */
	m->count++;
}

void cprof_mmm_done(struct cprof_mmm *m)
{
	if (m->count)
		m->mean /= (double)m->count;
	else
		m->mean = m->min = m->max = NAN;
}

struct cprof_hint *cprof_hint_add(struct cprof_hint *list, size_t *n, const char *id, const char *fmt, ...)
{
	/* a full list drops the rest: a caller that fills in from/to writes here */
	static struct cprof_hint spare;
	struct cprof_hint *h = *n < CPROF_MAX_HINTS ? &list[(*n)++] : &spare;
	h->id = id;
	h->from = h->to = NAN;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(h->text, sizeof(h->text), fmt, ap);
	va_end(ap);
	return h;
}
