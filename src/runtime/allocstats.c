/*
 * allocstats.c - what an allocation trace says (`cprof allocfreetrace`):
 * allocations and frees by type and by site, sizes, lifetimes in GC
 * cycles, the short-lived churn, what is live at the end and the leak
 * candidates (see allocfreetrace.h).
 *
 * The log already holds one bucket per (stack, type, size) with its
 * counts; everything here is sums of buckets: types and sites are dense
 * ids of the log, so rows are arrays indexed by them, and one sort per
 * table orders them for display.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/allocfreetrace.h"
#include "cprof/units.h"

static inline uint64_t sadd(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static inline uint64_t smul(uint64_t a, uint64_t b)
{
	uint64_t r;
	return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

/* Add bucket b's figures to row r. */
static void row_add(struct cprof_aft_row *r, const struct cprof_aft_bucket *b)
{
	r->allocs = sadd(r->allocs, b->allocs);
	r->alloc_bytes = sadd(r->alloc_bytes, smul(b->allocs, b->size));
	r->frees = sadd(r->frees, b->frees);
	r->free_bytes = sadd(r->free_bytes, smul(b->frees, b->size));
	r->live = sadd(r->live, b->live);
	r->live_bytes = sadd(r->live_bytes, smul(b->live, b->size));
	r->short_lived = sadd(r->short_lived, b->short_lived);
	r->short_bytes = sadd(r->short_bytes, smul(b->short_lived, b->size));
	r->life_sum = sadd(r->life_sum, b->life_sum);
	if (b->max_life > r->max_life)
		r->max_life = b->max_life;
	if (b->retained) {
		if (!r->retained || b->ret_first_gc < r->ret_first_gc)
			r->ret_first_gc = b->ret_first_gc;
		if (!r->retained || b->ret_last_gc > r->ret_last_gc)
			r->ret_last_gc = b->ret_last_gc;
		r->retained = sadd(r->retained, b->retained);
		r->retained_bytes = sadd(r->retained_bytes, smul(b->retained, b->size));
	}
}

/* Descending by one figure, then by name, file and line (a stable, total order). */
static int cmp_rows(const struct cprof_aft_row *x, const struct cprof_aft_row *y, uint64_t a, uint64_t b)
{
	if (a != b)
		return a > b ? -1 : 1;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	if ((c = strcmp(x->file, y->file)))
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int by_alloc_bytes(const void *a, const void *b)
{
	const struct cprof_aft_row *x = a, *y = b;
	if (x->alloc_bytes == y->alloc_bytes && x->allocs != y->allocs)
		return x->allocs > y->allocs ? -1 : 1;
	return cmp_rows(x, y, x->alloc_bytes, y->alloc_bytes);
}

/* Index sorts over the site rows (qsort has no context argument). */
static const struct cprof_aft_row *sort_rows;
static int sort_key; /* 0 short bytes, 1 live bytes, 2 retained bytes */

static uint64_t key_of(const struct cprof_aft_row *r)
{
	return sort_key == 0 ? r->short_bytes : sort_key == 1 ? r->live_bytes : r->retained_bytes;
}

static int by_key(const void *a, const void *b)
{
	const struct cprof_aft_row *x = &sort_rows[*(const size_t *)a], *y = &sort_rows[*(const size_t *)b];
	return cmp_rows(x, y, key_of(x), key_of(y));
}

/*
 * A leak candidate: retained objects allocated in more than one GC cycle,
 * the oldest older than the longest lifetime of the site's freed objects
 * (objects that merely live a few cycles are not: their live ones are as
 * young as the freed ones were old).
 */
static bool is_leak(const struct cprof_aft_row *r, uint64_t gcs)
{
	return r->retained && r->ret_first_gc != r->ret_last_gc && gcs - r->ret_first_gc > r->max_life;
}

static size_t *select_sites(const struct cprof_aft_summary *s, int key, bool leaks, size_t *n)
{
	size_t *v = cprof_xmalloc(cprof_st_mult(s->nsites + 1, sizeof(size_t)));
	size_t k = 0;
	for (size_t i = 0; i < s->nsites; i++) {
		const struct cprof_aft_row *r = &s->sites[i];
		if (leaks ? is_leak(r, s->gcs) : key == 0 ? r->short_lived != 0 : r->live != 0)
			v[k++] = i;
	}
	sort_rows = s->sites;
	sort_key = key;
	qsort(v, k, sizeof(*v), by_key);
	*n = k;
	return v;
}

/* (site, type, bytes) of one bucket, to find each site's main type. */
struct site_type {
	uint32_t site, type;
	uint64_t bytes;
};

static int by_site_type(const void *a, const void *b)
{
	const struct site_type *x = a, *y = b;
	if (x->site != y->site)
		return x->site < y->site ? -1 : 1;
	return x->type < y->type ? -1 : x->type > y->type;
}

static void size_bins(const struct cprof_aftlog *log, struct cprof_aft_summary *s)
{
	/* power-of-two bins: 1-16, 17-32, ..., 2^k+1 - 2^(k+1); the last is open */
	struct cprof_aft_bin bin[CPROF_AFT_SIZE_BINS];
	memset(bin, 0, sizeof(bin));
	for (size_t i = 0; i < CPROF_AFT_SIZE_BINS; i++) {
		bin[i].lo = i == 0 ? 1 : (UINT64_C(16) << (i - 1)) + 1;
		bin[i].hi = i + 1 == CPROF_AFT_SIZE_BINS ? UINT64_MAX : UINT64_C(16) << i;
	}
	for (size_t i = 0; i < log->nbucket; i++) {
		const struct cprof_aft_bucket *b = &log->bucket[i];
		if (!log->stack[b->stack].kept)
			continue;
		size_t k = 0;
		while (k + 1 < CPROF_AFT_SIZE_BINS && b->size > bin[k].hi)
			k++;
		bin[k].objects = sadd(bin[k].objects, b->allocs);
		bin[k].bytes = sadd(bin[k].bytes, smul(b->allocs, b->size));
	}
	s->nsize_bins = 0;
	for (size_t i = 0; i < CPROF_AFT_SIZE_BINS; i++)
		if (bin[i].objects)
			s->size_bin[s->nsize_bins++] = bin[i];
}

static double pct(uint64_t a, uint64_t b)
{
	return b ? 100.0 * (double)a / (double)b : 0;
}

static void site_label(const struct cprof_aft_row *r, char *buf, size_t n)
{
	if (*r->file)
		snprintf(buf, n, "%s (%s:%lld)", r->name, r->file, (long long)r->line);
	else
		snprintf(buf, n, "%s", r->name);
}

/* "1.50MB", pprof's byte label, in buf. */
static const char *bytes_label(uint64_t v, char *buf, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	cprof_unit_label(v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v, "bytes", &sb);
	snprintf(buf, n, "%s", sb.buf);
	strbuf_release(&sb);
	return buf;
}

static void hints(const struct cprof_aftlog *log, struct cprof_aft_summary *s)
{
	char b1[32];
	const struct cprof_aft_row *t = &s->total;
	char site[400];
	if (s->gcs < 2)
		cprof_hint_add(s->hint, &s->nhint, "few_gcs",
			       "the log has %llu tracegc record%s: lifetimes, retained objects and leak candidates need "
			       "at least two GCs (run longer, or call runtime.GC() where the program should be idle)",
			       (unsigned long long)s->gcs, s->gcs == 1 ? "" : "s");
	if (t->alloc_bytes && pct(t->short_bytes, t->alloc_bytes) >= 50 && s->nchurn) {
		const struct cprof_aft_row *c = &s->sites[s->churn[0]];
		site_label(c, site, sizeof(site));
		cprof_hint_add(s->hint, &s->nhint, "churn",
			       "%.1f%% of the bytes allocated (%s, %llu objects) were garbage at the first GC after their "
			       "allocation; the most is at %s, %.1f%% of all bytes: reuse its objects (sync.Pool, a "
			       "buffer kept across calls), size them once, or keep them on the stack",
			       pct(t->short_bytes, t->alloc_bytes), bytes_label(t->short_bytes, b1, sizeof(b1)),
			       (unsigned long long)t->short_lived, site,
			       pct(c->short_bytes, t->alloc_bytes));
	}
	for (size_t i = 0; i < s->nleaks && i < 3; i++) {
		const struct cprof_aft_row *r = &s->sites[s->leaks[i]];
		char freed[96];
		site_label(r, site, sizeof(site));
		if (r->frees)
			snprintf(freed, sizeof(freed), "while the objects it freed lived %u at most", r->max_life);
		else
			snprintf(freed, sizeof(freed), "and it freed none");
		cprof_hint_add(s->hint, &s->nhint, "leak",
			       "%s keeps what it allocates: %llu objects (%s) still live at the end survived a "
			       "complete GC, allocated from GC cycle %u to %u of %llu, the oldest %llu cycles old, "
			       "%s; see what holds them (cprof -peek or -traces -focus on it with "
			       "-sample_index=inuse_space)",
			       site, (unsigned long long)r->retained, bytes_label(r->retained_bytes, b1, sizeof(b1)),
			       r->ret_first_gc, r->ret_last_gc, (unsigned long long)s->gcs,
			       (unsigned long long)(s->gcs - r->ret_first_gc), freed);
	}
	/* the runtime allocates a little before it reads GODEBUG: a few such frees are normal */
	if (s->unknown_frees > 100 && s->unknown_frees >= t->frees / 10)
		cprof_hint_add(s->hint, &s->nhint, "unknown_frees",
			       "%llu frees (%s) are of objects the log never saw allocated, more than the few the "
			       "runtime makes before it reads GODEBUG: the log starts after the program did, or lost "
			       "lines; live and retained figures miss what those objects were",
			       (unsigned long long)s->unknown_frees, bytes_label(s->unknown_free_bytes, b1, sizeof(b1)));
	(void)log;
}

void cprof_aft_summarize(const struct cprof_aftlog *log, struct cprof_aft_summary *s)
{
	memset(s, 0, sizeof(*s));
	s->gcs = log->gcs;
	s->lines = log->lines;
	s->records = log->records;
	s->foreign = log->foreign;
	s->stray = log->stray;
	s->malformed = log->malformed;
	s->elided = log->elided;
	s->gctrace_lines = log->gctrace_lines;
	s->unknown_frees = log->unknown_frees;
	s->unknown_free_bytes = log->unknown_free_bytes;
	s->lost = log->lost;
	s->lost_bytes = log->lost_bytes;
	s->peak_live_bytes = log->peak_live_bytes;
	s->nstacks = log->nstack;
	s->nbuckets = log->nbucket;
	s->total.name = s->total.file = "";
	s->total.type = "";

	/* rows indexed by type id and by site frame id (the last one: no traceback) */
	struct cprof_aft_row *types = cprof_xcalloc(log->ntype + 1, sizeof(*types));
	struct cprof_aft_row *sites = cprof_xcalloc(log->nframe + 1, sizeof(*sites));
	struct site_type *st = cprof_xmalloc(cprof_st_mult(log->nbucket + 1, sizeof(*st)));
	size_t nst = 0;
	for (size_t i = 0; i < log->nbucket; i++) {
		const struct cprof_aft_bucket *b = &log->bucket[i];
		const struct cprof_aft_stack *stk = &log->stack[b->stack];
		if (!stk->kept) {
			s->filtered = sadd(s->filtered, b->allocs);
			s->filtered_bytes = sadd(s->filtered_bytes, smul(b->allocs, b->size));
			continue;
		}
		uint32_t site = stk->site == CPROF_NONE ? (uint32_t)log->nframe : stk->site;
		row_add(&s->total, b);
		row_add(&types[b->type], b);
		row_add(&sites[site], b);
		if (b->type == 0) {
			s->untyped = sadd(s->untyped, b->allocs);
			s->untyped_bytes = sadd(s->untyped_bytes, smul(b->allocs, b->size));
		}
		st[nst++] = (struct site_type){site, b->type, smul(b->allocs, b->size)};
	}
	s->young = s->total.live - s->total.retained;
	s->young_bytes = s->total.live_bytes - s->total.retained_bytes;

	/* the type with the most bytes at each site */
	qsort(st, nst, sizeof(*st), by_site_type);
	const char **main_type = cprof_xcalloc(log->nframe + 1, sizeof(*main_type));
	uint64_t *main_bytes = cprof_xcalloc(log->nframe + 1, sizeof(*main_bytes));
	for (size_t i = 0; i < nst;) {
		size_t j = i;
		uint64_t sum = 0;
		while (j < nst && st[j].site == st[i].site && st[j].type == st[i].type)
			sum = sadd(sum, st[j++].bytes);
		if (!main_type[st[i].site] || sum > main_bytes[st[i].site]) {
			main_type[st[i].site] = log->type[st[i].type];
			main_bytes[st[i].site] = sum;
		}
		i = j;
	}

	/* compact the rows that allocated something */
	s->types = cprof_xcalloc(log->ntype + 1, sizeof(*s->types));
	for (size_t i = 0; i < log->ntype; i++) {
		if (!types[i].allocs)
			continue;
		types[i].name = log->type[i];
		types[i].file = types[i].type = "";
		s->types[s->ntypes++] = types[i];
	}
	s->sites = cprof_xcalloc(log->nframe + 1, sizeof(*s->sites));
	for (size_t i = 0; i <= log->nframe; i++) {
		if (!sites[i].allocs)
			continue;
		if (i < log->nframe) {
			sites[i].name = log->frame[i].fn;
			sites[i].file = log->frame[i].file;
			sites[i].line = log->frame[i].line;
		} else {
			sites[i].name = "<no traceback>";
			sites[i].file = "";
		}
		sites[i].type = main_type[i] ? main_type[i] : "";
		s->sites[s->nsites++] = sites[i];
	}
	qsort(s->types, s->ntypes, sizeof(*s->types), by_alloc_bytes);
	qsort(s->sites, s->nsites, sizeof(*s->sites), by_alloc_bytes);
	s->churn = select_sites(s, 0, false, &s->nchurn);
	s->live_sites = select_sites(s, 1, false, &s->nlive_sites);
	s->leaks = select_sites(s, 2, true, &s->nleaks);

	size_bins(log, s);
	for (size_t k = 0; k < CPROF_AFT_LIFE_BINS; k++) {
		s->life_bin[k].lo = k == 0 ? 1 : (UINT64_C(1) << (k - 1)) + 1;
		s->life_bin[k].hi = k + 1 == CPROF_AFT_LIFE_BINS ? UINT64_MAX : UINT64_C(1) << k;
		s->life_bin[k].objects = log->life[k];
		s->life_bin[k].bytes = log->life_bytes[k];
	}
	hints(log, s);

	free(types);
	free(sites);
	free(st);
	free(main_type);
	free(main_bytes);
}

void cprof_aft_summary_release(struct cprof_aft_summary *s)
{
	free(s->types);
	free(s->sites);
	free(s->churn);
	free(s->live_sites);
	free(s->leaks);
	memset(s, 0, sizeof(*s));
}
