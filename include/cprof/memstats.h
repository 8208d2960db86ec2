/*
 * memstats.h - the runtime.MemStats block at the end of a Go
 * heap?debug=1 (or allocs?debug=1) profile, and `cprof memstats`.
 *
 *   text ──► cprof_memstats_parse()    formats/memstats.c
 *        ──► cprof_memstats_derive()   src/runtime/memstats.c: effective memory,
 *                                      overheads, GC pause percentiles
 *        ──► cprof_memstats_render_text() / _json()   render/memstats.c
 *
 * Field names are runtime.MemStats's. The text prints some in pairs
 * ("# Stack = StackInuse / StackSys"); MaxRSS is not a MemStats field but
 * follows the block on Linux (getrusage), so it is kept too. Fields the
 * block does not have (older or newer Go) are marked absent.
 */
#ifndef CPROF_MEMSTATS_H
#define CPROF_MEMSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cprof/error.h"
#include "cprof/strbuf.h"

/* The unsigned integer fields, in the order the runtime prints them. */
#define CPROF_MEMSTATS_FIELDS(X)                                                      \
	X(Alloc) X(TotalAlloc) X(Sys) X(Lookups) X(Mallocs) X(Frees) X(HeapAlloc)         \
	X(HeapSys) X(HeapIdle) X(HeapInuse) X(HeapReleased) X(HeapObjects) X(StackInuse)  \
	X(StackSys) X(MSpanInuse) X(MSpanSys) X(MCacheInuse) X(MCacheSys) X(BuckHashSys) \
	X(GCSys) X(OtherSys) X(NextGC) X(LastGC) X(NumGC) X(NumForcedGC) X(MaxRSS)

enum cprof_memstats_field {
#define CPROF_MS_ENUM_(name) CPROF_MS_##name,
	CPROF_MEMSTATS_FIELDS(CPROF_MS_ENUM_)
#undef CPROF_MS_ENUM_
	CPROF_MS__COUNT
};

#define CPROF_MEMSTATS_PAUSES 256 /* length of the PauseNs / PauseEnd rings */

struct cprof_memstats {
	uint64_t v[CPROF_MS__COUNT];
	bool has[CPROF_MS__COUNT];
	double gc_cpu_fraction;
	bool has_gc_cpu_fraction;
	bool debug_gc, has_debug_gc;
	uint64_t pause_ns[CPROF_MEMSTATS_PAUSES];  /* the ring as printed */
	size_t npause_ns;                          /* entries printed (256 normally) */
	uint64_t pause_end[CPROF_MEMSTATS_PAUSES];
	size_t npause_end;
	size_t line;                               /* line of "# runtime.MemStats" */
};

/* The MemStats name of a field ("HeapAlloc"). */
const char *cprof_memstats_name(enum cprof_memstats_field f);

/*
 * Find the "# runtime.MemStats" block in text and parse it. Errors:
 * CPROF_E_FORMAT "no '# runtime.MemStats' block found";
 * CPROF_E_CORRUPT "line N: bad value for HeapAlloc: 'x'".
 */
int cprof_memstats_parse(const char *text, size_t len, struct cprof_memstats *ms, struct cprof_error *err);

/* GC pause statistics over the valid part of the PauseNs ring. */
struct cprof_pause_stats {
	size_t n;                  /* min(NumGC, 256) pauses, or 0 */
	uint64_t min, p50, p90, p99, max, last;
	double mean;
	uint64_t total;            /* of those n pauses */
};

/* What the Go performance guide reads off the block; -1 when an input is absent. */
struct cprof_memstats_derived {
	int64_t effective;         /* Sys - HeapReleased: the program's effective memory */
	int64_t heap_unused;       /* HeapInuse - HeapAlloc: free space inside in-use spans */
	int64_t heap_retained;     /* HeapIdle - HeapReleased: idle, still held from the OS */
	int64_t runtime_overhead;  /* MSpanSys + MCacheSys + BuckHashSys + GCSys + OtherSys */
	int64_t live_objects;      /* Mallocs - Frees */
	int64_t avg_object;        /* HeapAlloc / HeapObjects */
	double heap_goal_used;     /* HeapAlloc / NextGC; NaN when absent */
	struct cprof_pause_stats pauses;
};

/*
 * Percentiles are nearest-rank: the smallest pause p such that at least
 * q·n of the n valid pauses are <= p.
 */
void cprof_memstats_derive(const struct cprof_memstats *ms, struct cprof_memstats_derived *d);

void cprof_memstats_render_text(const struct cprof_memstats *ms, const struct cprof_memstats_derived *d,
				const char *source, struct strbuf *out);
/* {"memstats": {every field by its MemStats name}, "derived": {...}} and a newline. */
void cprof_memstats_render_json(const struct cprof_memstats *ms, const struct cprof_memstats_derived *d,
				struct strbuf *out);

#endif
