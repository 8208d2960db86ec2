/*
 * heapdump.c - `cprof heapdump`: what a Go heap dump holds and what keeps
 * it alive, as text or JSON.
 *
 *   Heap dump: heap.dump (go1.7 heap dump; go1.19.8 amd64, 8-byte little-endian pointers, 2 CPUs)
 *   ...
 *   Top retainers (roots by retained memory):
 *         retained   share   objects  root
 *              1MB  40.12%         1  stack main.holder (1 frame on 1 goroutine)
 *          62.50kB   2.45%      1000  global main.list
 *
 * Sections: the totals; retained memory by root kind; the roots that
 * retain most; the dominator tree with nodes of one name merged (the
 * retention tree, its big nodes only); the largest objects, what holds
 * them and where they were allocated (when the dump has allocation
 * samples); allocation sites of the sampled objects. Byte figures are
 * pprof's units (cprof_unit_label); shares are of every object in the
 * dump, garbage included.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/heapdump.h"
#include "cprof/runtime_logs.h"
#include "cprof/units.h"

#define NONE CPROF_NONE

static void bytes(uint64_t v, struct strbuf *out)
{
	if (v > INT64_MAX)
		strbuf_addf(out, "%" PRIu64 "B", v);
	else
		cprof_unit_label((int64_t)v, "bytes", out);
}

static void share(uint64_t v, uint64_t total, struct strbuf *out)
{
	if (!total)
		strbuf_addstr(out, "     -");
	else
		strbuf_addf(out, "%6.2f%%", 100.0 * (double)v / (double)total);
}

/* "%12s" of a byte figure */
static void col_bytes(struct strbuf *out, uint64_t v, int width)
{
	struct strbuf t = STRBUF_INIT;
	bytes(v, &t);
	strbuf_addf(out, "%*s", width, t.buf);
	strbuf_release(&t);
}

static void col_share(struct strbuf *out, uint64_t v, uint64_t total)
{
	struct strbuf t = STRBUF_INIT;
	share(v, total, &t);
	strbuf_addf(out, " %7s", t.buf);
	strbuf_release(&t);
}

static const char *root_kind_word(enum cprof_heapnode_kind k)
{
	switch (k) {
	case CPROF_HN_GLOBAL:
		return "global";
	case CPROF_HN_STACK:
		return "stack";
	case CPROF_HN_QUEUED:
		return "queued finalizer";
	case CPROF_HN_FINALIZER:
		return "finalizer";
	case CPROF_HN_OTHER:
		return "other root";
	default:
		return "?";
	}
}

static void root_desc(const struct cprof_heaproot *r, struct strbuf *out)
{
	strbuf_addf(out, "%s %s", root_kind_word(r->kind), r->name);
	switch (r->kind) {
	case CPROF_HN_STACK:
		strbuf_addf(out, " (%u frame%s on %u goroutine%s)", r->count, r->count == 1 ? "" : "s", r->goroutines,
			    r->goroutines == 1 ? "" : "s");
		break;
	case CPROF_HN_FINALIZER:
	case CPROF_HN_QUEUED:
		if (r->count > 1)
			strbuf_addf(out, " (%u objects)", r->count);
		break;
	default:
		break;
	}
}

/* Roots sorted by retained bytes, most first (ties: by node number). */
static const struct cprof_heapgraph *sort_g;

static int cmp_root(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	uint64_t rx = sort_g->ret_bytes[sort_g->first_root + x], ry = sort_g->ret_bytes[sort_g->first_root + y];
	if (rx != ry)
		return rx > ry ? -1 : 1;
	return x < y ? -1 : x > y;
}

static uint32_t *sorted_roots(const struct cprof_heapgraph *g)
{
	uint32_t *r = cprof_xmalloc(cprof_st_mult(g->nroot ? g->nroot : 1, sizeof(uint32_t)));
	for (uint32_t i = 0; i < g->nroot; i++)
		r[i] = i;
	sort_g = g;
	qsort(r, g->nroot, sizeof(*r), cmp_root);
	return r;
}

/* The top objects by own size (ties: lower address first), at most n. */
static size_t largest_objects(const struct cprof_heapgraph *g, size_t n, uint32_t **out)
{
	const struct cprof_heapdump *d = g->dump;
	uint32_t *top = cprof_xmalloc(cprof_st_mult(n ? n : 1, sizeof(uint32_t)));
	size_t k = 0;
	for (uint32_t o = 0; o < d->nobj && n; o++) {
		/* insertion into a short sorted list */
		uint64_t s = cprof_heapdump_size(d, o);
		if (k == n && (s < cprof_heapdump_size(d, top[k - 1]) ||
			       (s == cprof_heapdump_size(d, top[k - 1]) && d->obj_addr[o] > d->obj_addr[top[k - 1]])))
			continue;
		size_t i = k < n ? k++ : n - 1;
		while (i > 0 && (cprof_heapdump_size(d, top[i - 1]) < s ||
				 (cprof_heapdump_size(d, top[i - 1]) == s && d->obj_addr[top[i - 1]] > d->obj_addr[o]))) {
			top[i] = top[i - 1];
			i--;
		}
		top[i] = o;
	}
	*out = top;
	return k;
}

/*
 * What holds node v: the root its dominator chain reaches, else the kind
 * node or the super-root (several roots share it). *depth counts the
 * objects on the way.
 */
static uint32_t holder(const struct cprof_heapgraph *g, uint32_t v, uint64_t *depth)
{
	*depth = 0;
	if (g->idom[v] == NONE)
		return NONE;
	while (v >= g->first_obj) {
		v = g->idom[v];
		(*depth)++;
	}
	return v;
}

static void holder_name(const struct cprof_heapgraph *g, uint32_t h, struct strbuf *out)
{
	if (h == NONE)
		strbuf_addstr(out, "unreachable");
	else if (h == 0)
		strbuf_addstr(out, "several roots of different kinds");
	else if (h < g->first_root)
		strbuf_addf(out, "several %s", cprof_heaproot_kind_name((enum cprof_heaproot_kind)(h - 1)));
	else
		root_desc(&g->root[h - g->first_root], out);
}

/* The site's frame: the first outside the runtime (else the first). */
static const struct cprof_heapdump_stackframe *site_frame(const struct cprof_heapdump *d,
							  const struct cprof_heapdump_bucket *b)
{
	const struct cprof_heapdump_stackframe *f = NULL;
	for (uint32_t j = 0; j < b->n; j++) {
		const struct cprof_heapdump_stackframe *x = &d->bucket_frame[b->first + j];
		if (!f)
			f = x;
		if (strncmp(x->func, "runtime.", 8)) {
			f = x;
			break;
		}
	}
	return f;
}

static int cmp_site(const void *a, const void *b)
{
	const struct cprof_heapsite *x = &sort_g->site[*(const uint32_t *)a], *y = &sort_g->site[*(const uint32_t *)b];
	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	return strcmp(x->func, y->func);
}

static uint32_t *sorted_sites(const struct cprof_heapgraph *g)
{
	uint32_t *s = cprof_xmalloc(cprof_st_mult(g->nsite ? g->nsite : 1, sizeof(uint32_t)));
	for (uint32_t i = 0; i < g->nsite; i++)
		s[i] = i;
	sort_g = g;
	qsort(s, g->nsite, sizeof(*s), cmp_site);
	return s;
}

/* ---- text ------------------------------------------------------------------------- */

static void text_header(const struct cprof_heapgraph *g, const struct cprof_heapdump_report_opts *o,
			struct strbuf *out)
{
	const struct cprof_heapdump *d = g->dump;
	uint64_t total = d->obj_bytes;
	size_t nglob = 0, nstack = 0, nfin = 0, nq = 0, nother = 0, nframes = 0;
	for (uint32_t i = 0; i < g->nroot; i++) {
		switch (g->root[i].kind) {
		case CPROF_HN_GLOBAL: nglob++; break;
		case CPROF_HN_STACK: nstack++; nframes += g->root[i].count; break;
		case CPROF_HN_FINALIZER: nfin += g->root[i].count; break;
		case CPROF_HN_QUEUED: nq += g->root[i].count; break;
		default: nother++; break;
		}
	}
	strbuf_addf(out, "Heap dump: %s (%s heap dump; %s %s, %u-byte %s-endian pointers, %" PRIu64 " CPUs)\n",
		    o->source ? o->source : "-", d->version, *d->build ? d->build : "?", *d->arch ? d->arch : "?",
		    d->ptr_size, d->big_endian ? "big" : "little", d->ncpu);
	if (o->binary)
		strbuf_addf(out, "Binary: %s\n", o->binary);
	else
		strbuf_addstr(out, "Binary: none given (globals are named by their offset in the data or bss segment)\n");
	strbuf_addstr(out, "Objects: ");
	bytes(total, out);
	strbuf_addf(out, " in %zu objects, %" PRIu64 " pointers between them (%" PRIu64 " pointer fields)\n",
		    d->nobj, g->nobj_edge, d->nfields);
	strbuf_addstr(out, "  reachable   ");
	col_bytes(out, g->reachable_bytes, 10);
	strbuf_addf(out, " %9" PRIu64 " objects", g->reachable_count);
	col_share(out, g->reachable_bytes, total);
	strbuf_addstr(out, "\n  unreachable ");
	col_bytes(out, g->unreachable_bytes, 10);
	strbuf_addf(out, " %9" PRIu64 " objects", g->unreachable_count);
	col_share(out, g->unreachable_bytes, total);
	strbuf_addstr(out, "  (garbage not yet collected)\n");
	if (d->has_memstats) {
		strbuf_addstr(out, "MemStats: HeapAlloc ");
		bytes(d->memstats[CPROF_HDMS_HeapAlloc], out);
		strbuf_addf(out, ", HeapObjects %" PRIu64 ", HeapSys ", d->memstats[CPROF_HDMS_HeapObjects]);
		bytes(d->memstats[CPROF_HDMS_HeapSys], out);
		strbuf_addstr(out, ", Sys ");
		bytes(d->memstats[CPROF_HDMS_Sys], out);
		strbuf_addstr(out, ", StackInuse ");
		bytes(d->memstats[CPROF_HDMS_StackInuse], out);
		strbuf_addf(out, ", NumGC %" PRIu64 "\n", d->num_gc);
	}
	strbuf_addf(out,
		    "Roots: %zu globals, %zu functions in %zu frames of %zu goroutines, %zu finalizers, %zu queued finalizers, %zu other\n",
		    nglob, nstack, nframes, d->ngoroutine, nfin, nq, nother);
	if (d->nsample)
		strbuf_addf(out, "Allocation samples: %" PRIu64 " of the objects (%.1f%%)%s\n", g->sampled_count,
			    d->nobj ? 100.0 * (double)g->sampled_count / (double)d->nobj : 0.0,
			    g->site_names ? "; objects are named by allocation site" : "");
	else
		strbuf_addstr(out, "Allocation samples: none\n");
}

static void text_kinds(const struct cprof_heapgraph *g, struct strbuf *out)
{
	uint64_t total = g->dump->obj_bytes;
	strbuf_addstr(out, "\nRetained by root kind:\n      retained   share   objects  kind\n");
	for (uint32_t k = 0; k < CPROF_HK__COUNT; k++) {
		col_bytes(out, g->ret_bytes[1 + k], 14);
		col_share(out, g->ret_bytes[1 + k], total);
		strbuf_addf(out, " %9u  %s\n", g->ret_count[1 + k], cprof_heaproot_kind_name((enum cprof_heaproot_kind)k));
	}
	col_bytes(out, g->ret_bytes[0] - g->ret_bytes[1] - g->ret_bytes[2] - g->ret_bytes[3] - g->ret_bytes[4] -
			       g->ret_bytes[5], 14);
	col_share(out, g->ret_bytes[0] - g->ret_bytes[1] - g->ret_bytes[2] - g->ret_bytes[3] - g->ret_bytes[4] -
			       g->ret_bytes[5], total);
	strbuf_addf(out, " %9u  roots of different kinds together\n",
		    g->ret_count[0] - g->ret_count[1] - g->ret_count[2] - g->ret_count[3] - g->ret_count[4] -
			    g->ret_count[5]);
	col_bytes(out, g->unreachable_bytes, 14);
	col_share(out, g->unreachable_bytes, total);
	strbuf_addf(out, " %9" PRIu64 "  unreachable\n", g->unreachable_count);
}

static void text_roots(const struct cprof_heapgraph *g, size_t top, struct strbuf *out)
{
	uint64_t total = g->dump->obj_bytes;
	uint32_t *r = sorted_roots(g);
	strbuf_addstr(out, "\nTop retainers (roots by retained memory):\n      retained   share   objects  root\n");
	for (size_t i = 0; i < g->nroot && i < top; i++) {
		uint32_t v = g->first_root + r[i];
		if (!g->ret_count[v])
			break;
		col_bytes(out, g->ret_bytes[v], 14);
		col_share(out, g->ret_bytes[v], total);
		strbuf_addf(out, " %9u  ", g->ret_count[v]);
		root_desc(&g->root[r[i]], out);
		strbuf_addch(out, '\n');
	}
	free(r);
}

static void text_tree(const struct cprof_heapgraph *g, const struct cprof_heapdump_report_opts *o,
		      struct strbuf *out)
{
	uint64_t total = g->dump->obj_bytes;
	double frac = o->nodefraction >= 0 ? o->nodefraction : 0.01;
	uint32_t *t;
	size_t n = cprof_heaptree_select(g, (uint64_t)(frac * (double)total), o->nodecount ? o->nodecount : 40, &t);
	strbuf_addf(out, "\nDominator tree (nodes of one name merged; those retaining %g%% of the heap or more):\n"
			 "      retained   share   objects        own  name\n",
		    100 * frac);
	for (size_t i = 0; i < n; i++) {
		const struct cprof_heaptree_node *x = &g->tree[t[i]];
		col_bytes(out, x->bytes, 14);
		col_share(out, x->bytes, total);
		strbuf_addf(out, " %9" PRIu64 " ", x->count);
		col_bytes(out, x->self_bytes, 10);
		strbuf_addf(out, "  %*s%s\n", (int)(2 * x->depth), "", t[i] ? g->tree_name[x->name] : "[heap]");
	}
	free(t);
}

static void text_largest(const struct cprof_heapgraph *g, size_t top, struct strbuf *out)
{
	const struct cprof_heapdump *d = g->dump;
	uint32_t *objs;
	size_t n = largest_objects(g, top, &objs);
	strbuf_addstr(out, "\nLargest objects:\n          size    retained  address             held by\n");
	for (size_t i = 0; i < n; i++) {
		uint32_t o = objs[i], v = g->first_obj + o;
		uint64_t depth;
		uint32_t h = holder(g, v, &depth);
		col_bytes(out, cprof_heapdump_size(d, o), 14);
		col_bytes(out, g->ret_bytes[v], 12);
		strbuf_addf(out, "  0x%-16" PRIx64 "  ", d->obj_addr[o]);
		holder_name(g, h, out);
		if (depth > 1)
			strbuf_addf(out, ", through %" PRIu64 " object%s", depth - 1, depth == 2 ? "" : "s");
		strbuf_addch(out, '\n');
		uint32_t k = g->obj_bucket ? g->obj_bucket[o] : NONE;
		if (k != NONE) {
			const struct cprof_heapdump_bucket *b = &d->bucket[k];
			const struct cprof_heapdump_stackframe *f = site_frame(d, b);
			if (f)
				strbuf_addf(out, "%*sallocated at %s %s:%" PRIu64 "\n", 30, "", f->func, f->file, f->line);
		}
	}
	free(objs);
}

static void text_sites(const struct cprof_heapgraph *g, size_t top, struct strbuf *out)
{
	const struct cprof_heapdump *d = g->dump;
	if (!g->nsite)
		return;
	uint32_t *s = sorted_sites(g);
	strbuf_addstr(out, "\nAllocation sites (live objects with an allocation sample):\n"
			   "         bytes   objects  site\n");
	for (size_t i = 0; i < g->nsite && i < top; i++) {
		const struct cprof_heapsite *x = &g->site[s[i]];
		if (!x->count)
			break;
		const struct cprof_heapdump_stackframe *f = site_frame(d, &d->bucket[x->bucket]);
		col_bytes(out, x->bytes, 14);
		strbuf_addf(out, " %9" PRIu64 "  %s", x->count, x->func);
		if (f)
			strbuf_addf(out, " %s:%" PRIu64, f->file, f->line);
		strbuf_addch(out, '\n');
	}
	free(s);
}

void cprof_heapdump_render_text(const struct cprof_heapgraph *g, const struct cprof_heapdump_report_opts *o,
				struct strbuf *out)
{
	size_t top = o->top ? o->top : 20;
	text_header(g, o, out);
	text_kinds(g, out);
	text_roots(g, top, out);
	text_tree(g, o, out);
	text_largest(g, top, out);
	text_sites(g, top, out);
}

/* ---- JSON ------------------------------------------------------------------------- */

static void jnum(struct strbuf *out, const char *key, uint64_t v, bool comma)
{
	strbuf_addf(out, "\"%s\": %" PRIu64 "%s", key, v, comma ? ", " : "");
}

static void jstr(struct strbuf *out, const char *key, const char *v, bool comma)
{
	strbuf_addf(out, "\"%s\": ", key);
	cprof_json_str(out, v);
	if (comma)
		strbuf_addstr(out, ", ");
}

static void json_frame(struct strbuf *out, const struct cprof_heapdump_stackframe *f)
{
	strbuf_addch(out, '{');
	jstr(out, "function", f->func, true);
	jstr(out, "file", f->file, true);
	jnum(out, "line", f->line, false);
	strbuf_addch(out, '}');
}

void cprof_heapdump_render_json(const struct cprof_heapgraph *g, const struct cprof_heapdump_report_opts *o,
				struct strbuf *out)
{
	const struct cprof_heapdump *d = g->dump;
	size_t top = o->top ? o->top : 20;

	strbuf_addstr(out, "{\n  ");
	jstr(out, "file", o->source ? o->source : "-", true);
	if (o->binary)
		jstr(out, "binary", o->binary, true);
	jstr(out, "version", d->version, true);
	jstr(out, "build", d->build, true);
	jstr(out, "arch", d->arch, true);
	jnum(out, "pointer_size", d->ptr_size, true);
	strbuf_addf(out, "\"big_endian\": %s, ", d->big_endian ? "true" : "false");
	jnum(out, "ncpu", d->ncpu, true);
	jnum(out, "heap_start", d->heap_start, true);
	jnum(out, "heap_end", d->heap_end, false);
	strbuf_addstr(out, ",\n  \"objects\": {");
	jnum(out, "count", d->nobj, true);
	jnum(out, "bytes", d->obj_bytes, true);
	jnum(out, "pointers", g->nobj_edge, true);
	jnum(out, "pointer_fields", d->nfields, true);
	jnum(out, "sampled", g->sampled_count, false);
	strbuf_addstr(out, "},\n  \"reachable\": {");
	jnum(out, "count", g->reachable_count, true);
	jnum(out, "bytes", g->reachable_bytes, false);
	strbuf_addstr(out, "},\n  \"unreachable\": {");
	jnum(out, "count", g->unreachable_count, true);
	jnum(out, "bytes", g->unreachable_bytes, false);
	strbuf_addstr(out, "},\n  \"counts\": {");
	jnum(out, "goroutines", d->ngoroutine, true);
	jnum(out, "frames", d->nframe, true);
	jnum(out, "threads", d->nthread, true);
	jnum(out, "finalizers", d->nfinalizer, true);
	jnum(out, "types", d->ntype, true);
	jnum(out, "itabs", d->nitab, true);
	jnum(out, "defers", d->ndefer, true);
	jnum(out, "panics", d->npanic, true);
	jnum(out, "memprof_buckets", d->nbucket, true);
	jnum(out, "alloc_samples", d->nsample, true);
	jnum(out, "data_bytes", d->data.size, true);
	jnum(out, "bss_bytes", d->bss.size, false);
	strbuf_addch(out, '}');
	if (d->has_memstats) {
		strbuf_addstr(out, ",\n  \"memstats\": {");
		for (int i = 0; i < CPROF_HDMS__COUNT; i++)
			jnum(out, cprof_heapdump_ms_name((enum cprof_heapdump_ms)i), d->memstats[i], true);
		jnum(out, "NumGC", d->num_gc, false);
		strbuf_addch(out, '}');
	}
	strbuf_addstr(out, ",\n  \"kinds\": [");
	for (uint32_t k = 0; k < CPROF_HK__COUNT; k++) {
		strbuf_addstr(out, k ? ",\n    {" : "\n    {");
		jstr(out, "kind", cprof_heaproot_kind_name((enum cprof_heaproot_kind)k), true);
		jnum(out, "retained_bytes", g->ret_bytes[1 + k], true);
		jnum(out, "retained_objects", g->ret_count[1 + k], false);
		strbuf_addch(out, '}');
	}
	strbuf_addstr(out, "\n  ],\n  \"retainers\": [");
	uint32_t *r = sorted_roots(g);
	for (uint32_t i = 0; i < g->nroot; i++) {
		const struct cprof_heaproot *x = &g->root[r[i]];
		uint32_t v = g->first_root + r[i];
		if (!g->ret_count[v])
			break;
		strbuf_addstr(out, i ? ",\n    {" : "\n    {");
		jstr(out, "kind", root_kind_word(x->kind), true);
		jstr(out, "name", x->name, true);
		jnum(out, "address", x->addr, true);
		jnum(out, "retained_bytes", g->ret_bytes[v], true);
		jnum(out, "retained_objects", g->ret_count[v], true);
		if (x->kind == CPROF_HN_STACK)
			jnum(out, "goroutines", x->goroutines, true);
		jnum(out, x->kind == CPROF_HN_STACK ? "frames" : x->kind == CPROF_HN_GLOBAL ? "pointer_slots" : "count",
		     x->count, false);
		strbuf_addch(out, '}');
	}
	free(r);
	strbuf_addstr(out, "\n  ],\n  \"tree\": [");
	uint32_t *t;
	double frac = o->nodefraction >= 0 ? o->nodefraction : 0.005;
	size_t nt = cprof_heaptree_select(g, (uint64_t)(frac * (double)d->obj_bytes), o->nodecount ? o->nodecount : 1000, &t);
	for (size_t i = 0; i < nt; i++) {
		const struct cprof_heaptree_node *x = &g->tree[t[i]];
		strbuf_addstr(out, i ? ",\n    {" : "\n    {");
		jnum(out, "id", t[i], true);
		if (t[i])
			jnum(out, "parent", x->parent, true);
		jstr(out, "name", t[i] ? g->tree_name[x->name] : "[heap]", true);
		jnum(out, "retained_bytes", x->bytes, true);
		jnum(out, "retained_objects", x->count, true);
		jnum(out, "own_bytes", x->self_bytes, true);
		jnum(out, "own_objects", x->self_count, false);
		strbuf_addch(out, '}');
	}
	free(t);
	strbuf_addstr(out, "\n  ],\n  \"largest\": [");
	uint32_t *objs;
	size_t n = largest_objects(g, top, &objs);
	for (size_t i = 0; i < n; i++) {
		uint32_t ob = objs[i], v = g->first_obj + ob;
		uint64_t depth;
		uint32_t h = holder(g, v, &depth);
		struct strbuf hn = STRBUF_INIT;
		holder_name(g, h, &hn);
		strbuf_addstr(out, i ? ",\n    {" : "\n    {");
		jnum(out, "address", d->obj_addr[ob], true);
		jnum(out, "size", cprof_heapdump_size(d, ob), true);
		jnum(out, "retained_bytes", g->ret_bytes[v], true);
		jnum(out, "retained_objects", g->ret_count[v], true);
		jstr(out, "held_by", hn.buf, true);
		jnum(out, "depth", depth, false);
		strbuf_release(&hn);
		uint32_t k = g->obj_bucket ? g->obj_bucket[ob] : NONE;
		if (k != NONE) {
			const struct cprof_heapdump_bucket *b = &d->bucket[k];
			strbuf_addstr(out, ", \"allocated\": [");
			for (uint32_t j = 0; j < b->n; j++) {
				if (j)
					strbuf_addstr(out, ", ");
				json_frame(out, &d->bucket_frame[b->first + j]);
			}
			strbuf_addch(out, ']');
		}
		strbuf_addch(out, '}');
	}
	free(objs);
	strbuf_addstr(out, "\n  ],\n  \"sites\": [");
	uint32_t *ss = sorted_sites(g);
	for (uint32_t i = 0; i < g->nsite; i++) {
		const struct cprof_heapsite *x = &g->site[ss[i]];
		if (!x->count)
			break;
		strbuf_addstr(out, i ? ",\n    {" : "\n    {");
		jstr(out, "function", x->func, true);
		jnum(out, "objects", x->count, true);
		jnum(out, "bytes", x->bytes, false);
		const struct cprof_heapdump_stackframe *f = site_frame(d, &d->bucket[x->bucket]);
		if (f) {
			strbuf_addstr(out, ", \"frame\": ");
			json_frame(out, f);
		}
		strbuf_addch(out, '}');
	}
	free(ss);
	strbuf_addstr(out, "\n  ]\n}\n");
}
