/*
 * memstats.c - the figures the Go performance guide reads off
 * runtime.MemStats (memstats.h): effective memory, overheads, and GC pause
 * percentiles over the valid part of the PauseNs ring.
 *
 * PauseNs is a circular buffer: the pause of GC number k (1-based) is at
 * PauseNs[(k+255) % 256], so only the last min(NumGC, 256) entries hold
 * pauses; the rest are zero from before the first GC.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/memstats.h"

#define V(f) ((int64_t)ms->v[CPROF_MS_##f])
#define HAS(f) (ms->has[CPROF_MS_##f])

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* nearest rank: the ceil(q*n)-th smallest */
static uint64_t rank(const uint64_t *sorted, size_t n, double q)
{
	size_t r = (size_t)ceil(q * (double)n);
	if (r < 1)
		r = 1;
	if (r > n)
		r = n;
	return sorted[r - 1];
}

static void pause_stats(const struct cprof_memstats *ms, struct cprof_pause_stats *ps)
{
	memset(ps, 0, sizeof(*ps));
	if (!HAS(NumGC) || ms->npause_ns != CPROF_MEMSTATS_PAUSES || ms->v[CPROF_MS_NumGC] == 0)
		return;
	uint64_t numgc = ms->v[CPROF_MS_NumGC];
	size_t n = numgc < CPROF_MEMSTATS_PAUSES ? (size_t)numgc : CPROF_MEMSTATS_PAUSES;
	uint64_t sorted[CPROF_MEMSTATS_PAUSES];
	for (size_t k = 0; k < n; k++) /* GC numbers numgc, numgc-1, ... */
		sorted[k] = ms->pause_ns[(numgc - 1 - k) % CPROF_MEMSTATS_PAUSES];
	ps->last = sorted[0];
	for (size_t k = 0; k < n; k++)
		ps->total += sorted[k];
	qsort(sorted, n, sizeof(*sorted), cmp_u64);
	ps->n = n;
	ps->min = sorted[0];
	ps->max = sorted[n - 1];
	ps->p50 = rank(sorted, n, 0.50);
	ps->p90 = rank(sorted, n, 0.90);
	ps->p99 = rank(sorted, n, 0.99);
	ps->mean = (double)ps->total / (double)n;
}

void cprof_memstats_derive(const struct cprof_memstats *ms, struct cprof_memstats_derived *d)
{
	d->effective = HAS(Sys) && HAS(HeapReleased) ? V(Sys) - V(HeapReleased) : -1;
	d->heap_unused = HAS(HeapInuse) && HAS(HeapAlloc) ? V(HeapInuse) - V(HeapAlloc) : -1;
	d->heap_retained = HAS(HeapIdle) && HAS(HeapReleased) ? V(HeapIdle) - V(HeapReleased) : -1;
	d->runtime_overhead = HAS(MSpanSys) && HAS(MCacheSys) && HAS(BuckHashSys) && HAS(GCSys) && HAS(OtherSys)
				      ? V(MSpanSys) + V(MCacheSys) + V(BuckHashSys) + V(GCSys) + V(OtherSys)
				      : -1;
	d->live_objects = HAS(Mallocs) && HAS(Frees) ? V(Mallocs) - V(Frees) : -1;
	d->avg_object = HAS(HeapAlloc) && HAS(HeapObjects) && V(HeapObjects) > 0 ? V(HeapAlloc) / V(HeapObjects) : -1;
	d->heap_goal_used = HAS(HeapAlloc) && HAS(NextGC) && V(NextGC) > 0 ? (double)V(HeapAlloc) / (double)V(NextGC)
									    : NAN;
	pause_stats(ms, &d->pauses);
}
