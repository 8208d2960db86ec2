/*
 * allocfreetrace_json.c - `cprof allocfreetrace -json`: the whole summary,
 * every row of every table, as one JSON object (fields in man/cprof.1):
 *
 *   {"log": {...}, "gcs": N, "totals": {...},
 *    "types": [{"type": "*main.node", "allocs": .., "alloc_bytes": .., ...}, ...],
 *    "sites": [{"function": "main.leak", "file": "...", "line": 19, "type": .., ...}, ...],
 *    "sizes": [{"min": 1, "max": 16, "objects": .., "bytes": ..}, ...],
 *    "lifetimes": [{"min": 1, "max": 1, "objects": .., "bytes": ..}, ...],
 *    "churn": [site index, ...], "live": [...], "leak_candidates": [...],
 *    "hints": [{"id": "churn", "text": "..."}]}
 *
 * Counts are exact integers (64-bit, as printed); "max": null is an open bin.
 * The three lists of site indexes point into "sites", in their own order.
 */
#include <inttypes.h>
#include <math.h>

#include "cprof/allocfreetrace.h"

static void key(struct strbuf *out, const char *k)
{
	cprof_json_str(out, k);
	strbuf_addch(out, ':');
}

static void u64(struct strbuf *out, const char *k, uint64_t v, bool comma)
{
	key(out, k);
	strbuf_addf(out, "%" PRIu64 "%s", v, comma ? "," : "");
}

static void row(struct strbuf *out, const struct cprof_aft_row *r, bool is_site)
{
	strbuf_addch(out, '{');
	if (is_site) {
		key(out, "function");
		cprof_json_str(out, r->name);
		strbuf_addch(out, ',');
		key(out, "file");
		cprof_json_str(out, r->file);
		strbuf_addf(out, ",\"line\":%" PRId64 ",", r->line);
		key(out, "type");
		cprof_json_str(out, r->type);
	} else {
		key(out, "type");
		cprof_json_str(out, r->name);
	}
	strbuf_addch(out, ',');
	u64(out, "allocs", r->allocs, true);
	u64(out, "alloc_bytes", r->alloc_bytes, true);
	u64(out, "frees", r->frees, true);
	u64(out, "free_bytes", r->free_bytes, true);
	u64(out, "live", r->live, true);
	u64(out, "live_bytes", r->live_bytes, true);
	u64(out, "short_lived", r->short_lived, true);
	u64(out, "short_lived_bytes", r->short_bytes, true);
	u64(out, "retained", r->retained, true);
	u64(out, "retained_bytes", r->retained_bytes, true);
	key(out, "mean_lifetime");
	cprof_json_num(out, r->frees ? (double)r->life_sum / (double)r->frees : NAN);
	strbuf_addch(out, ',');
	u64(out, "longest_lifetime", r->max_life, false);
	if (is_site && r->retained) {
		strbuf_addch(out, ',');
		u64(out, "retained_first_gc", r->ret_first_gc, true);
		u64(out, "retained_last_gc", r->ret_last_gc, false);
	}
	strbuf_addch(out, '}');
}

static void bins(struct strbuf *out, const char *name, const struct cprof_aft_bin *b, size_t n, bool skip_empty)
{
	key(out, name);
	strbuf_addch(out, '[');
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		if (skip_empty && !b[i].objects)
			continue;
		strbuf_addf(out, "%s\n{", first ? "" : ",");
		first = false;
		u64(out, "min", b[i].lo, true);
		key(out, "max");
		if (b[i].hi == UINT64_MAX)
			strbuf_addstr(out, "null,");
		else
			strbuf_addf(out, "%" PRIu64 ",", b[i].hi);
		u64(out, "objects", b[i].objects, true);
		u64(out, "bytes", b[i].bytes, false);
		strbuf_addch(out, '}');
	}
	strbuf_addstr(out, "],\n");
}

static void index_list(struct strbuf *out, const char *name, const size_t *v, size_t n)
{
	key(out, name);
	strbuf_addch(out, '[');
	for (size_t i = 0; i < n; i++)
		strbuf_addf(out, "%s%zu", i ? "," : "", v[i]);
	strbuf_addstr(out, "],\n");
}

void cprof_aft_render_json(const struct cprof_aft_summary *s, struct strbuf *out)
{
	const struct cprof_aft_row *t = &s->total;
	strbuf_addch(out, '{');
	key(out, "log");
	strbuf_addch(out, '{');
	u64(out, "lines", s->lines, true);
	u64(out, "records", s->records, true);
	u64(out, "other_lines", s->foreign, true);
	u64(out, "stray_lines", s->stray, true);
	u64(out, "garbled_lines", s->malformed, true);
	u64(out, "gctrace_lines", s->gctrace_lines, true);
	u64(out, "elided_tracebacks", s->elided, true);
	u64(out, "stacks", s->nstacks, true);
	u64(out, "buckets", s->nbuckets, false);
	strbuf_addstr(out, "},\n");
	u64(out, "gcs", s->gcs, true);
	strbuf_addch(out, '\n');
	key(out, "totals");
	strbuf_addch(out, '{');
	u64(out, "allocs", t->allocs, true);
	u64(out, "alloc_bytes", t->alloc_bytes, true);
	u64(out, "frees", t->frees, true);
	u64(out, "free_bytes", t->free_bytes, true);
	u64(out, "live", t->live, true);
	u64(out, "live_bytes", t->live_bytes, true);
	u64(out, "retained", t->retained, true);
	u64(out, "retained_bytes", t->retained_bytes, true);
	u64(out, "young", s->young, true);
	u64(out, "young_bytes", s->young_bytes, true);
	u64(out, "short_lived", t->short_lived, true);
	u64(out, "short_lived_bytes", t->short_bytes, true);
	u64(out, "untyped", s->untyped, true);
	u64(out, "untyped_bytes", s->untyped_bytes, true);
	u64(out, "peak_live_bytes", s->peak_live_bytes, true);
	u64(out, "unknown_frees", s->unknown_frees, true);
	u64(out, "unknown_free_bytes", s->unknown_free_bytes, true);
	u64(out, "reused_addresses", s->lost, true);
	u64(out, "reused_address_bytes", s->lost_bytes, true);
	u64(out, "filtered", s->filtered, true);
	u64(out, "filtered_bytes", s->filtered_bytes, true);
	key(out, "mean_lifetime");
	cprof_json_num(out, t->frees ? (double)t->life_sum / (double)t->frees : NAN);
	strbuf_addstr(out, "},\n");

	key(out, "types");
	strbuf_addch(out, '[');
	for (size_t i = 0; i < s->ntypes; i++) {
		strbuf_addstr(out, i ? ",\n" : "\n");
		row(out, &s->types[i], false);
	}
	strbuf_addstr(out, "],\n");
	key(out, "sites");
	strbuf_addch(out, '[');
	for (size_t i = 0; i < s->nsites; i++) {
		strbuf_addstr(out, i ? ",\n" : "\n");
		row(out, &s->sites[i], true);
	}
	strbuf_addstr(out, "],\n");
	bins(out, "sizes", s->size_bin, s->nsize_bins, false);
	bins(out, "lifetimes", s->life_bin, CPROF_AFT_LIFE_BINS, true);
	index_list(out, "churn", s->churn, s->nchurn);
	index_list(out, "live", s->live_sites, s->nlive_sites);
	index_list(out, "leak_candidates", s->leaks, s->nleaks);
	key(out, "hints");
	strbuf_addch(out, '[');
	for (size_t i = 0; i < s->nhint; i++) {
		strbuf_addstr(out, i ? ",\n{" : "\n{");
		key(out, "id");
		cprof_json_str(out, s->hint[i].id);
		strbuf_addch(out, ',');
		key(out, "text");
		cprof_json_str(out, s->hint[i].text);
		strbuf_addch(out, '}');
	}
	strbuf_addstr(out, "]}\n");
}
