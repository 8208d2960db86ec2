/*
 * runtime_stats.c - the statistics both runtime-log summaries use
 * (src/runtime/gcstats.c, src/runtime/schedstats.c): nearest-rank distributions, running
 * mean/min/max, and the list of hints (see include/cprof/runtime_logs.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/runtime_logs.h"
#include "cprof/util.h"

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

/* ---- distinct values and their counts (struct cprof_valcount) ---- */

static uint64_t dbits(double v)
{
	uint64_t b;
	v = v == 0 ? 0 : v; /* -0 is 0 */
	memcpy(&b, &v, sizeof(b));
	return b;
}

/* The slot of v: where it is, or the empty one where it goes. */
static struct cprof_valcount_ent *vc_slot(const struct cprof_valcount *vc, double v)
{
	/* a full mix: the values of a log differ in their high bits (integers, short decimals) */
	uint64_t b = dbits(v), h = b;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	size_t mask = vc->size - 1, i = (size_t)h & mask;
	while (vc->ent[i].count && dbits(vc->ent[i].key) != b)
		i = (i + 1) & mask;
	return &vc->ent[i];
}

static void vc_put(struct cprof_valcount *vc, double v, uint64_t c)
{
	if ((vc->used + 1) * 2 > vc->size) {
		struct cprof_valcount old = *vc;
		vc->size = vc->size ? vc->size * 2 : 64;
		vc->ent = cprof_xcalloc(vc->size, sizeof(*vc->ent));
		vc->used = 0;
		for (size_t i = 0; i < old.size; i++)
			if (old.ent[i].count)
				vc_put(vc, old.ent[i].key, old.ent[i].count);
		free(old.ent);
	}
	struct cprof_valcount_ent *e = vc_slot(vc, v);
	if (!e->count) {
		e->key = v == 0 ? 0 : v;
		vc->used++;
	}
	e->count += c;
}

/* v to 11 significant bits: the middle of its bucket (a relative error of at most 2^-11). */
static double vc_round(double v)
{
	if (v == 0 || !isfinite(v))
		return v;
	int e;
	double m = frexp(fabs(v), &e); /* [0.5, 1) */
	double q = (floor(m * 2048) + 0.5) / 2048;
	return copysign(ldexp(q, e), v);
}

void cprof_valcount_add(struct cprof_valcount *vc, double v)
{
	if (vc->n == 0 || v < vc->min)
		vc->min = v;
	if (vc->n == 0 || v > vc->max)
		vc->max = v;
	vc->total += v;
	vc->n++;
	if (!vc->rounded && vc->used >= CPROF_VALCOUNT_MAX) {
		/* too many distinct values to keep: round them, those held too */
		struct cprof_valcount old = *vc;
		vc->ent = NULL, vc->size = vc->used = 0;
		vc->rounded = true;
		for (size_t i = 0; i < old.size; i++)
			if (old.ent[i].count)
				vc_put(vc, vc_round(old.ent[i].key), old.ent[i].count);
		free(old.ent);
	}
	vc_put(vc, vc->rounded ? vc_round(v) : v, 1);
}


static int cmp_ent(const void *a, const void *b)
{
	const struct cprof_valcount_ent *x = a, *y = b;
	return x->key < y->key ? -1 : x->key > y->key;
}

void cprof_valcount_dist(const struct cprof_valcount *vc, struct cprof_dist *d)
{
	memset(d, 0, sizeof(*d));
	d->count = vc->n;
	if (vc->n == 0) {
		d->mean = d->min = d->p50 = d->p90 = d->p95 = d->p99 = d->max = NAN;
		return;
	}
	d->total = vc->total;
	d->min = vc->min;
	d->max = vc->max;
	d->mean = d->total / (double)vc->n;
	struct cprof_valcount_ent *e = cprof_xmalloc(vc->used * sizeof(*e));
	size_t n = 0;
	for (size_t i = 0; i < vc->size; i++)
		if (vc->ent[i].count)
			e[n++] = vc->ent[i];
	qsort(e, n, sizeof(*e), cmp_ent);
	static const unsigned pct[4] = {50, 90, 95, 99};
	double *out[4] = {&d->p50, &d->p90, &d->p95, &d->p99};
	size_t seen = 0, j = 0; /* seen: the values below e[j] */
	for (int i = 0; i < 4; i++) {
		size_t k = rank_index(vc->n, pct[i]);
		while (j + 1 < n && seen + e[j].count <= k)
			seen += e[j++].count;
		/* a rounded value stays within what was seen */
		double v = e[j].key;
		*out[i] = v < d->min ? d->min : v > d->max ? d->max : v;
	}
	free(e);
}

void cprof_valcount_release(struct cprof_valcount *vc)
{
	free(vc->ent);
	memset(vc, 0, sizeof(*vc));
}
