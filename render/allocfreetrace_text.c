/*
 * allocfreetrace_text.c - the `cprof allocfreetrace` text report, e.g.
 * (tests/allocfreetrace/expected/golden_small.out):
 *
 *   Log: testdata/allocfreetrace/small.log.gz (4770 lines: 221 records, 4 GCs; 7 other lines)
 *   Stacks: 110 distinct, 119 (stack, type, size) buckets
 *
 *                               objects        bytes
 *     allocated                     175      50.15kB
 *     freed                          39       4.45kB
 *     live at the end               136      45.70kB   retained 117 objects, 43.79kB (survived a complete GC)
 *     ...
 *
 *   By type (N of M, by bytes allocated)
 *        objects        bytes  bytes%  short%      freed       live   live bytes   life  type
 *             13       3.05kB    6.1%   98.5%         12          1          48B    1.0  uint8
 *
 * then By site, Sizes, Lifetimes, Short-lived churn by site, Live at the
 * end by site, Leak candidates and Hints. Every table is cut to the first
 * nodecount rows, with "N of M" in its title. Byte figures use pprof's
 * units (B, kB, MB, GB: powers of 1024); "life" is the mean lifetime of
 * the row's freed objects in GC cycles.
 */
#include <inttypes.h>
#include <string.h>

#include "cprof/allocfreetrace.h"
#include "cprof/units.h"
#include "runtime_render.h"

/* "1.50MB" right-aligned in width. */
static void bytes(struct strbuf *out, int width, uint64_t v)
{
	struct strbuf sb = STRBUF_INIT;
	cprof_unit_label(v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v, "bytes", &sb);
	strbuf_addf(out, "%*s", width, sb.buf);
	strbuf_release(&sb);
}

static double pct(uint64_t a, uint64_t b)
{
	return b ? 100.0 * (double)a / (double)b : 0;
}

static void percent(struct strbuf *out, int width, uint64_t a, uint64_t b)
{
	if (!b)
		strbuf_addf(out, "%*s", width, "-");
	else
		strbuf_addf(out, "%*.1f%%", width - 1, pct(a, b));
}

static void site(struct strbuf *out, const struct cprof_aft_row *r, bool with_type)
{
	strbuf_addstr(out, r->name);
	if (*r->file)
		strbuf_addf(out, " %s:%" PRId64, r->file, r->line);
	if (with_type)
		strbuf_addf(out, " (%s)", *r->type ? r->type : "untyped");
}

/* "Title (N of M, by ...)" or "Title (M, by ...)"; returns the rows to show. */
static size_t title(struct strbuf *out, const char *t, size_t n, size_t nodecount, const char *by)
{
	size_t shown = nodecount && n > nodecount ? nodecount : n;
	strbuf_addf(out, "\n%s (", t);
	if (shown < n)
		strbuf_addf(out, "%zu of %zu", shown, n);
	else
		strbuf_addf(out, "%zu", n);
	strbuf_addf(out, ", by %s)\n", by);
	return shown;
}

static void totals(const struct cprof_aft_summary *s, struct strbuf *out)
{
	const struct cprof_aft_row *t = &s->total;
	strbuf_addf(out, "\n%-22s %12s %12s\n", "", "objects", "bytes");
	strbuf_addf(out, "  %-20s %12" PRIu64, "allocated", t->allocs);
	bytes(out, 13, t->alloc_bytes);
	strbuf_addch(out, '\n');
	strbuf_addf(out, "  %-20s %12" PRIu64, "freed", t->frees);
	bytes(out, 13, t->free_bytes);
	strbuf_addch(out, '\n');
	strbuf_addf(out, "  %-20s %12" PRIu64, "live at the end", t->live);
	bytes(out, 13, t->live_bytes);
	if (s->gcs >= 2) {
		strbuf_addf(out, "   retained %" PRIu64 " object%s, ", t->retained, t->retained == 1 ? "" : "s");
		bytes(out, 0, t->retained_bytes);
		strbuf_addstr(out, " (survived a complete GC)");
	}
	strbuf_addch(out, '\n');
	strbuf_addf(out, "  %-20s %12" PRIu64, "short-lived", t->short_lived);
	bytes(out, 13, t->short_bytes);
	strbuf_addf(out, "   %.1f%% of the objects, %.1f%% of the bytes: garbage at the first GC\n",
		    pct(t->short_lived, t->allocs), pct(t->short_bytes, t->alloc_bytes));
	strbuf_addf(out, "  %-20s %12" PRIu64, "untyped", s->untyped);
	bytes(out, 13, s->untyped_bytes);
	strbuf_addstr(out, "   allocated without a type (strings, byte slices, noscan slice growth)\n");
	strbuf_addf(out, "  %-20s %12s", "peak live", "");
	bytes(out, 13, s->peak_live_bytes);
	strbuf_addstr(out, "   of the objects the log saw allocated\n");
	if (s->unknown_frees) {
		strbuf_addf(out, "  %-20s %12" PRIu64, "unknown frees", s->unknown_frees);
		bytes(out, 13, s->unknown_free_bytes);
		strbuf_addstr(out, "   of objects the log never saw allocated\n");
	}
	if (s->lost) {
		strbuf_addf(out, "  %-20s %12" PRIu64, "reused addresses", s->lost);
		bytes(out, 13, s->lost_bytes);
		strbuf_addstr(out, "   allocated again with no free seen: counted as gone\n");
	}
	if (s->filtered) {
		strbuf_addf(out, "  %-20s %12" PRIu64, "filtered out", s->filtered);
		bytes(out, 13, s->filtered_bytes);
		strbuf_addstr(out, "   by -focus/-ignore\n");
	}
}

static void mean_life(struct strbuf *out, const struct cprof_aft_row *r)
{
	if (r->frees)
		strbuf_addf(out, " %6.1f", (double)r->life_sum / (double)r->frees);
	else
		strbuf_addf(out, " %6s", "-");
}

static void types_table(const struct cprof_aft_summary *s, size_t nodecount, struct strbuf *out)
{
	size_t n = title(out, "By type", s->ntypes, nodecount, "bytes allocated");
	strbuf_addf(out, "%12s %12s %7s %7s %10s %10s %12s %6s  %s\n", "objects", "bytes", "bytes%", "short%", "freed",
		    "live", "live bytes", "life", "type");
	for (size_t i = 0; i < n; i++) {
		const struct cprof_aft_row *r = &s->types[i];
		strbuf_addf(out, "%12" PRIu64, r->allocs);
		bytes(out, 13, r->alloc_bytes);
		percent(out, 8, r->alloc_bytes, s->total.alloc_bytes);
		percent(out, 8, r->short_bytes, r->alloc_bytes);
		strbuf_addf(out, " %10" PRIu64 " %10" PRIu64, r->frees, r->live);
		bytes(out, 13, r->live_bytes);
		mean_life(out, r);
		strbuf_addf(out, "  %s\n", *r->name ? r->name : "(untyped)");
	}
}

static void sites_table(const struct cprof_aft_summary *s, size_t nodecount, struct strbuf *out)
{
	size_t n = title(out, "By site: the first frame outside the runtime", s->nsites, nodecount,
			 "bytes allocated");
	strbuf_addf(out, "%12s %12s %7s %7s %10s %12s %6s  %s\n", "objects", "bytes", "bytes%", "short%", "live",
		    "live bytes", "life", "site (main type)");
	for (size_t i = 0; i < n; i++) {
		const struct cprof_aft_row *r = &s->sites[i];
		strbuf_addf(out, "%12" PRIu64, r->allocs);
		bytes(out, 13, r->alloc_bytes);
		percent(out, 8, r->alloc_bytes, s->total.alloc_bytes);
		percent(out, 8, r->short_bytes, r->alloc_bytes);
		strbuf_addf(out, " %10" PRIu64, r->live);
		bytes(out, 13, r->live_bytes);
		mean_life(out, r);
		strbuf_addstr(out, "  ");
		site(out, r, true);
		strbuf_addch(out, '\n');
	}
}

static void bin_range(struct strbuf *out, int width, const struct cprof_aft_bin *b)
{
	char buf[64];
	if (b->hi == UINT64_MAX)
		snprintf(buf, sizeof(buf), "%" PRIu64 "+", b->lo);
	else if (b->lo == b->hi)
		snprintf(buf, sizeof(buf), "%" PRIu64, b->lo);
	else
		snprintf(buf, sizeof(buf), "%" PRIu64 "-%" PRIu64, b->lo, b->hi);
	strbuf_addf(out, "%*s", width, buf);
}

static void hist_row(struct strbuf *out, const struct cprof_aft_summary *s, uint64_t objects, uint64_t nbytes)
{
	strbuf_addf(out, " %12" PRIu64, objects);
	percent(out, 10, objects, s->total.allocs);
	bytes(out, 13, nbytes);
	percent(out, 8, nbytes, s->total.alloc_bytes);
}

static void histograms(const struct cprof_aft_summary *s, struct strbuf *out)
{
	strbuf_addstr(out, "\nSizes (as allocated: the size class or the rounded large size)\n");
	strbuf_addf(out, "%22s %12s %9s %12s %7s\n", "size (bytes)", "objects", "objects%", "bytes", "bytes%");
	for (size_t i = 0; i < s->nsize_bins; i++) {
		bin_range(out, 22, &s->size_bin[i]);
		hist_row(out, s, s->size_bin[i].objects, s->size_bin[i].bytes);
		strbuf_addch(out, '\n');
	}

	strbuf_addstr(out, "\nLifetimes (GC cycles from allocation to free)\n");
	strbuf_addf(out, "%22s %12s %9s %12s %7s\n", "GC cycles", "objects", "objects%", "bytes", "bytes%");
	for (size_t i = 0; i < CPROF_AFT_LIFE_BINS; i++) {
		const struct cprof_aft_bin *b = &s->life_bin[i];
		if (!b->objects)
			continue;
		bin_range(out, 22, b);
		hist_row(out, s, b->objects, b->bytes);
		strbuf_addch(out, '\n');
	}
	strbuf_addf(out, "%22s", "live, retained");
	hist_row(out, s, s->total.retained, s->total.retained_bytes);
	strbuf_addstr(out, "   survived a complete GC\n");
	strbuf_addf(out, "%22s", "live, young");
	hist_row(out, s, s->young, s->young_bytes);
	strbuf_addstr(out, "   allocated since the last complete GC\n");
}

static void churn_table(const struct cprof_aft_summary *s, size_t nodecount, struct strbuf *out)
{
	size_t n = title(out, "Short-lived churn by site: garbage at the first GC after the allocation", s->nchurn,
			 nodecount, "bytes");
	strbuf_addf(out, "%12s %12s %8s %8s  %s\n", "objects", "bytes", "of all", "of site", "site (main type)");
	for (size_t i = 0; i < n; i++) {
		const struct cprof_aft_row *r = &s->sites[s->churn[i]];
		strbuf_addf(out, "%12" PRIu64, r->short_lived);
		bytes(out, 13, r->short_bytes);
		percent(out, 9, r->short_bytes, s->total.alloc_bytes);
		percent(out, 9, r->short_bytes, r->alloc_bytes);
		strbuf_addstr(out, "  ");
		site(out, r, true);
		strbuf_addch(out, '\n');
	}
}

static void live_table(const struct cprof_aft_summary *s, size_t nodecount, struct strbuf *out)
{
	size_t n = title(out, "Live at the end by site", s->nlive_sites, nodecount, "live bytes");
	strbuf_addf(out, "%12s %12s %12s %14s  %s\n", "live", "live bytes", "retained", "retained bytes",
		    "site (main type)");
	for (size_t i = 0; i < n; i++) {
		const struct cprof_aft_row *r = &s->sites[s->live_sites[i]];
		strbuf_addf(out, "%12" PRIu64, r->live);
		bytes(out, 13, r->live_bytes);
		strbuf_addf(out, " %12" PRIu64, r->retained);
		bytes(out, 15, r->retained_bytes);
		strbuf_addstr(out, "  ");
		site(out, r, true);
		strbuf_addch(out, '\n');
	}
}

static void leak_table(const struct cprof_aft_summary *s, size_t nodecount, struct strbuf *out)
{
	size_t n = title(out, "Leak candidates: sites adding objects that outlive their freed ones", s->nleaks,
			 nodecount, "retained bytes");
	if (!s->nleaks) {
		strbuf_addstr(out, s->gcs >= 2 ? "  none\n" : "  none: the log needs at least two GCs\n");
		return;
	}
	strbuf_addf(out, "%12s %12s %16s %8s  %s\n", "retained", "bytes", "allocated in GC", "max life", "site (main type)");
	for (size_t i = 0; i < n; i++) {
		const struct cprof_aft_row *r = &s->sites[s->leaks[i]];
		char cyc[48];
		strbuf_addf(out, "%12" PRIu64, r->retained);
		bytes(out, 13, r->retained_bytes);
		snprintf(cyc, sizeof(cyc), "%u-%u of %" PRIu64, r->ret_first_gc, r->ret_last_gc, s->gcs);
		strbuf_addf(out, " %16s", cyc);
		if (r->frees)
			strbuf_addf(out, " %8u  ", r->max_life);
		else
			strbuf_addf(out, " %8s  ", "never");
		site(out, r, true);
		strbuf_addch(out, '\n');
	}
}

void cprof_aft_render_text(const struct cprof_aft_summary *s, const struct cprof_runtime_src *src,
			   size_t nodecount, struct strbuf *out)
{
	strbuf_addstr(out, "Log: ");
	rt_files(out, src);
	strbuf_addf(out, " (%" PRIu64 " lines: %" PRIu64 " records, %" PRIu64 " GCs; %" PRIu64 " other lines",
		    s->lines, s->records, s->gcs, s->foreign);
	if (s->stray)
		strbuf_addf(out, ", %" PRIu64 " inside records", s->stray);
	if (s->malformed)
		strbuf_addf(out, ", %" PRIu64 " garbled", s->malformed);
	strbuf_addstr(out, ")\n");
	strbuf_addf(out, "Stacks: %zu distinct, %zu (stack, type, size) buckets", s->nstacks, s->nbuckets);
	if (s->elided)
		strbuf_addf(out, "; %" PRIu64 " tracebacks cut by the runtime", s->elided);
	strbuf_addch(out, '\n');
	totals(s, out);
	types_table(s, nodecount, out);
	sites_table(s, nodecount, out);
	histograms(s, out);
	churn_table(s, nodecount, out);
	live_table(s, nodecount, out);
	leak_table(s, nodecount, out);
	rt_hints(out, "Hints", s->hint, s->nhint, "none");
}
