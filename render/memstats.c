/*
 * memstats.c - `cprof memstats`: runtime.MemStats explained, grouped the
 * way the Go performance guide reads it (memory from the OS and the
 * effective Sys-HeapReleased, the heap, stacks, runtime metadata, the GC
 * and its pauses), one line per figure:
 *
 *   Heap
 *     HeapAlloc                 4.64MB  current heap size: bytes in allocated heap objects
 *
 * and as JSON: {"memstats": {...}, "derived": {...}}.
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "cprof/memstats.h"
#include "cprof/units.h"

#define HAS(f) (ms->has[CPROF_MS_##f])
#define U(f) (ms->v[CPROF_MS_##f])

enum kind { BYTES, COUNT, NANOS };

static void fmt_value(uint64_t v, enum kind k, struct strbuf *out)
{
	if (v > INT64_MAX) {
		strbuf_addf(out, "%" PRIu64, v);
		return;
	}
	switch (k) {
	case BYTES:
		cprof_unit_label((int64_t)v, "bytes", out);
		break;
	case NANOS:
		cprof_go_duration((int64_t)v, out);
		break;
	case COUNT:
		strbuf_addf(out, "%" PRIu64, v);
		break;
	}
}

static void row_text(struct strbuf *out, const char *label, const char *value, const char *what)
{
	strbuf_addf(out, "  %-22s %12s%s%s\n", label, value, *what ? "  " : "", what);
}

static void row(struct strbuf *out, const char *label, uint64_t v, enum kind k, const char *what)
{
	struct strbuf val = STRBUF_INIT;
	fmt_value(v, k, &val);
	row_text(out, label, val.buf, what);
	strbuf_release(&val);
}

/* One field if present. */
static void field(const struct cprof_memstats *ms, struct strbuf *out, enum cprof_memstats_field f, enum kind k,
		  const char *what)
{
	if (ms->has[f])
		row(out, cprof_memstats_name(f), ms->v[f], k, what);
}

static void derived_row(struct strbuf *out, const char *label, int64_t v, enum kind k, const char *what)
{
	if (v >= 0)
		row(out, label, (uint64_t)v, k, what);
}

void cprof_memstats_render_text(const struct cprof_memstats *ms, const struct cprof_memstats_derived *d,
				const char *source, struct strbuf *out)
{
	struct strbuf s = STRBUF_INIT;

	strbuf_addf(out, "runtime.MemStats of %s (line %zu)\n", source, ms->line);

	strbuf_addstr(out, "\nMemory from the OS\n");
	field(ms, out, CPROF_MS_Sys, BYTES, "everything the runtime obtained from the OS (virtual address space)");
	field(ms, out, CPROF_MS_HeapReleased, BYTES,
	      "heap memory returned to the OS (unused for 5 minutes, or debug.FreeOSMemory)");
	derived_row(out, "Sys-HeapReleased", d->effective, BYTES, "effective memory consumption of the program");
	field(ms, out, CPROF_MS_MaxRSS, BYTES, "peak resident set size of the process (getrusage, not MemStats)");

	strbuf_addstr(out, "\nHeap\n");
	field(ms, out, CPROF_MS_HeapAlloc, BYTES, "current heap size: bytes in allocated heap objects");
	field(ms, out, CPROF_MS_HeapSys, BYTES, "total heap size: heap memory obtained from the OS");
	field(ms, out, CPROF_MS_HeapInuse, BYTES, "bytes in spans holding at least one object");
	derived_row(out, "HeapInuse-HeapAlloc", d->heap_unused, BYTES,
		    "free space inside in-use spans (fragmentation upper bound)");
	field(ms, out, CPROF_MS_HeapIdle, BYTES, "bytes in spans holding no object");
	derived_row(out, "HeapIdle-HeapReleased", d->heap_retained, BYTES,
		    "idle heap kept for reuse, still counted in Sys");
	if (HAS(HeapObjects)) {
		strbuf_reset(&s);
		strbuf_addstr(&s, "total number of objects in the heap");
		if (d->avg_object >= 0) {
			strbuf_addstr(&s, " (");
			cprof_unit_label(d->avg_object, "bytes", &s);
			strbuf_addstr(&s, " on average)");
		}
		row(out, "HeapObjects", U(HeapObjects), COUNT, s.buf);
	}
	if (HAS(NextGC)) {
		strbuf_reset(&s);
		strbuf_addstr(&s, "heap size at which the next GC ends (the goal)");
		if (!isnan(d->heap_goal_used))
			strbuf_addf(&s, "; HeapAlloc is %.0f%% of it", 100 * d->heap_goal_used);
		row(out, "NextGC", U(NextGC), BYTES, s.buf);
	}

	strbuf_addstr(out, "\nAllocation since the program started\n");
	field(ms, out, CPROF_MS_TotalAlloc, BYTES, "cumulative bytes allocated for heap objects");
	field(ms, out, CPROF_MS_Mallocs, COUNT, "heap objects allocated");
	field(ms, out, CPROF_MS_Frees, COUNT, "heap objects freed");
	derived_row(out, "Mallocs-Frees", d->live_objects, COUNT, "live objects");
	field(ms, out, CPROF_MS_Lookups, COUNT, "pointer lookups performed by the runtime");

	strbuf_addstr(out, "\nGoroutine stacks\n");
	field(ms, out, CPROF_MS_StackInuse, BYTES, "bytes in stack spans");
	field(ms, out, CPROF_MS_StackSys, BYTES,
	      "stack memory from the OS (stacks allocated from the heap are not counted here)");

	strbuf_addstr(out, "\nRuntime metadata (generally not interesting, unless too high)\n");
	field(ms, out, CPROF_MS_MSpanInuse, BYTES, "mspan structures in use");
	field(ms, out, CPROF_MS_MSpanSys, BYTES, "memory for mspan structures");
	field(ms, out, CPROF_MS_MCacheInuse, BYTES, "mcache structures in use");
	field(ms, out, CPROF_MS_MCacheSys, BYTES, "memory for mcache structures");
	field(ms, out, CPROF_MS_BuckHashSys, BYTES, "profiling bucket hash tables");
	field(ms, out, CPROF_MS_GCSys, BYTES, "garbage collection metadata");
	field(ms, out, CPROF_MS_OtherSys, BYTES, "other off-heap runtime allocations");
	derived_row(out, "total", d->runtime_overhead, BYTES, "MSpanSys+MCacheSys+BuckHashSys+GCSys+OtherSys");

	strbuf_addstr(out, "\nGarbage collector\n");
	field(ms, out, CPROF_MS_NumGC, COUNT, "completed GC cycles");
	field(ms, out, CPROF_MS_NumForcedGC, COUNT, "cycles forced by the program (runtime.GC, debug.FreeOSMemory)");
	if (ms->has_gc_cpu_fraction) {
		strbuf_reset(&s);
		strbuf_addf(&s, "%.2f%%", 100 * ms->gc_cpu_fraction);
		row_text(out, "GCCPUFraction", s.buf, "share of the available CPU used by the GC since the program started");
	}
	if (HAS(LastGC) && U(LastGC) > 0 && U(LastGC) <= INT64_MAX) {
		strbuf_reset(&s);
		cprof_go_time((int64_t)U(LastGC), &s);
		strbuf_addf(out, "  %-22s %s\n", "LastGC", s.buf);
	}
	if (ms->has_debug_gc)
		row_text(out, "DebugGC", ms->debug_gc ? "true" : "false", "unused by the runtime");

	const struct cprof_pause_stats *ps = &d->pauses;
	if (ps->n) {
		strbuf_addf(out, "\nGC pauses (PauseNs: the last %zu of %" PRIu64 " cycles)\n", ps->n, U(NumGC));
		row(out, "last", ps->last, NANOS, "the most recent cycle");
		row(out, "min", ps->min, NANOS, "");
		row(out, "p50", ps->p50, NANOS, "");
		row(out, "p90", ps->p90, NANOS, "");
		row(out, "p99", ps->p99, NANOS, "");
		row(out, "max", ps->max, NANOS, "");
		row(out, "mean", (uint64_t)llround(ps->mean), NANOS, "");
		row(out, "total", ps->total, NANOS, "stopped-the-world time of these cycles");
	}

	/* hints, each from a plain rule */
	strbuf_reset(&s);
	if (ms->has_gc_cpu_fraction && ms->gc_cpu_fraction >= 0.05)
		strbuf_addf(&s,
			    "- the GC used %.1f%% of the CPU: allocate less (cprof -sample_index=alloc_space on the\n"
			    "  heap profile shows where) or trade memory for CPU with GOGC\n",
			    100 * ms->gc_cpu_fraction);
	if (d->effective >= 0 && HAS(HeapAlloc) && U(HeapAlloc) > 0 && (uint64_t)d->effective > 4 * U(HeapAlloc))
		strbuf_addstr(&s, "- effective memory is over 4x the live heap: look at HeapIdle, stacks and metadata\n");
	if (d->runtime_overhead >= 0 && HAS(HeapSys) && (uint64_t)d->runtime_overhead > U(HeapSys) / 2)
		strbuf_addstr(&s, "- runtime metadata is over half the heap size\n");
	if (s.len)
		strbuf_addf(out, "\nNotes\n%s", s.buf);
	strbuf_release(&s);
}

static void json_u64(struct strbuf *out, const char *key, uint64_t v, bool *first)
{
	strbuf_addf(out, "%s\"%s\": %" PRIu64, *first ? "" : ", ", key, v);
	*first = false;
}

static void json_i64(struct strbuf *out, const char *key, int64_t v, bool *first)
{
	strbuf_addf(out, "%s\"%s\": ", *first ? "" : ", ", key);
	if (v < 0)
		strbuf_addstr(out, "null");
	else
		strbuf_addf(out, "%" PRId64, v);
	*first = false;
}

static void json_f(struct strbuf *out, const char *key, double v, bool *first)
{
	strbuf_addf(out, "%s\"%s\": ", *first ? "" : ", ", key);
	if (isfinite(v))
		cprof_go_float(v, out);
	else
		strbuf_addstr(out, "null");
	*first = false;
}

static void json_ring(struct strbuf *out, const char *key, const uint64_t *r, size_t n, bool *first)
{
	strbuf_addf(out, "%s\"%s\": [", *first ? "" : ", ", key);
	for (size_t i = 0; i < n; i++)
		strbuf_addf(out, "%s%" PRIu64, i ? ", " : "", r[i]);
	strbuf_addch(out, ']');
	*first = false;
}

void cprof_memstats_render_json(const struct cprof_memstats *ms, const struct cprof_memstats_derived *d,
				struct strbuf *out)
{
	bool first = true;
	strbuf_addstr(out, "{\"memstats\": {");
	for (int f = 0; f < CPROF_MS__COUNT; f++) {
		if (ms->has[f])
			json_u64(out, cprof_memstats_name((enum cprof_memstats_field)f), ms->v[f], &first);
		if (f == CPROF_MS_LastGC) { /* the runtime's order: the rings follow LastGC */
			if (ms->npause_ns)
				json_ring(out, "PauseNs", ms->pause_ns, ms->npause_ns, &first);
			if (ms->npause_end)
				json_ring(out, "PauseEnd", ms->pause_end, ms->npause_end, &first);
		}
		if (f == CPROF_MS_NumForcedGC) {
			if (ms->has_gc_cpu_fraction)
				json_f(out, "GCCPUFraction", ms->gc_cpu_fraction, &first);
			if (ms->has_debug_gc) {
				strbuf_addf(out, "%s\"DebugGC\": %s", first ? "" : ", ", ms->debug_gc ? "true" : "false");
				first = false;
			}
		}
	}
	strbuf_addstr(out, "},\n\"derived\": {");
	first = true;
	json_i64(out, "effective_bytes", d->effective, &first);
	json_i64(out, "heap_unused_bytes", d->heap_unused, &first);
	json_i64(out, "heap_retained_bytes", d->heap_retained, &first);
	json_i64(out, "runtime_overhead_bytes", d->runtime_overhead, &first);
	json_i64(out, "live_objects", d->live_objects, &first);
	json_i64(out, "avg_object_bytes", d->avg_object, &first);
	json_f(out, "heap_goal_used", d->heap_goal_used, &first);
	json_f(out, "gc_cpu_percent", ms->has_gc_cpu_fraction ? 100 * ms->gc_cpu_fraction : NAN, &first);
	strbuf_addstr(out, ", \"pauses\": ");
	const struct cprof_pause_stats *ps = &d->pauses;
	if (!ps->n) {
		strbuf_addstr(out, "null");
	} else {
		bool pf = true;
		strbuf_addch(out, '{');
		json_u64(out, "count", ps->n, &pf);
		json_u64(out, "last_ns", ps->last, &pf);
		json_u64(out, "min_ns", ps->min, &pf);
		json_u64(out, "p50_ns", ps->p50, &pf);
		json_u64(out, "p90_ns", ps->p90, &pf);
		json_u64(out, "p99_ns", ps->p99, &pf);
		json_u64(out, "max_ns", ps->max, &pf);
		json_f(out, "mean_ns", ps->mean, &pf);
		json_u64(out, "total_ns", ps->total, &pf);
		strbuf_addch(out, '}');
	}
	strbuf_addstr(out, "}}\n");
}
