/*
 * report.c - the report object shared by every renderer: the total,
 * value formatting, header labels, and the trimmed graph of the
 * graph-based reports (pprof's internal/report/report.go, Go 1.19).
 *
 * Header lines this file produces (one per line):
 *
 *   File: <basename of mapping[0].file>
 *   Build ID: <mapping[0].build_id>
 *   <each comment not starting with '#'>
 *   Type: cpu
 *   Time: Jan 2, 2006 at 3:04pm (MST)
 *   Duration: 1.20s, Total samples = 1.12s (93.30%)
 *   Active filters:
 *      focus=main
 *   Showing nodes accounting for 1.12s, 100% of 1.12s total
 *   Dropped 3 nodes (cum <= 0.01s)
 *   Showing top 20 nodes out of 31
 *
 * The Duration line ends in a space when the sample unit is not a time
 * (Go prints "%s %s" with an empty ratio).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/transform.h"
#include "cprof/units.h"
#include "render/report_graph.h"

/* ---- line lists ----------------------------------------------------------------- */

void line_list_add(struct line_list *l, const char *s)
{
	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	l->v[l->n++] = cprof_xstrdup(s);
}

void line_list_addf(struct line_list *l, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	l->v[l->n++] = strbuf_detach(&sb, NULL);
}

void line_list_release(struct line_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void line_list_join(const struct line_list *l, const char *sep, struct strbuf *out)
{
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			strbuf_addstr(out, sep);
		strbuf_addstr(out, l->v[i]);
	}
}

/* ---- numeric label units ------------------------------------------------------------ */

const char *report_num_label_unit(const struct cprof_report *rpt, const char *key)
{
	if (rpt->opt.num_label_units)
		return cprof_label_unit_find(rpt->opt.num_label_units, rpt->opt.nnum_label_units, key);
	/* not supplied by the caller: derive them from the profile as it is now */
	struct cprof_label_unit *u = NULL;
	size_t n = cprof_profile_num_label_units(rpt->prof, &u, NULL);
	const char *r = cprof_label_unit_find(u, n, key);
	free(u);
	return r;
}

/* ---- total and values --------------------------------------------------------------- */

static bool is_diff_base_sample(const struct cprof_sample *s)
{
	for (uint32_t i = 0; i < s->nlabel; i++)
		if (s->label[i].str && !strcmp(s->label[i].key, "pprof::base") &&
		    !strcmp(s->label[i].str, "true"))
			return true;
	return false;
}

static int64_t sample_value(const struct cprof_report *rpt, const struct cprof_sample *s)
{
	int i = rpt->opt.sample_index;
	return (i >= 0 && (size_t)i < rpt->prof->nsample_type) ? s->value[i] : 0;
}

static int64_t sample_div(const struct cprof_report *rpt, const struct cprof_sample *s)
{
	return (rpt->opt.mean && rpt->prof->nsample_type > 0) ? s->value[0] : 0;
}

void cprof_report_spill(struct cprof_report *rpt, struct strbuf *out)
{
	if (rpt->spill && out->len >= ((size_t)4 << 20))
		rpt->spill(rpt->spill_ctx, out);
}

void cprof_report_init(struct cprof_report *rpt, struct cprof_profile *prof,
		       const struct cprof_report_opts *o)
{
	rpt->prof = prof;
	rpt->opt = *o;
	rpt->spill = NULL;
	rpt->spill_ctx = NULL;
	rpt->graphs = NULL;
	if (!rpt->opt.output_unit)
		rpt->opt.output_unit = "minimum";
	if (!rpt->opt.sample_unit)
		rpt->opt.sample_unit = "";
	if (!rpt->opt.sample_type)
		rpt->opt.sample_type = "";

	/* computeTotal: |values|, only the diff base when it is labelled */
	int64_t div = 0, total = 0, diff_div = 0, diff_total = 0;
	for (size_t i = 0; i < prof->nsample; i++) {
		const struct cprof_sample *s = &prof->sample[i];
		int64_t v = sample_value(rpt, s), d = sample_div(rpt, s);
		if (v < 0)
			v = cprof_neg_wrap(v);
		total = cprof_add_wrap(total, v);
		div = cprof_add_wrap(div, d);
		if (is_diff_base_sample(s)) {
			diff_total = cprof_add_wrap(diff_total, v);
			diff_div = cprof_add_wrap(diff_div, d);
		}
	}
	if (diff_total > 0) {
		total = diff_total;
		div = diff_div;
	}
	rpt->total = div ? cprof_div_wrap(total, div) : total;
}

void cprof_report_format_value(const struct cprof_report *rpt, int64_t v, struct strbuf *out)
{
	double r = rpt->opt.ratio;
	if (r > 0 && r != 1)
		v = cprof_f2i((double)v * r);
	cprof_scaled_label(v, rpt->opt.sample_unit, rpt->opt.output_unit, out);
}

const char *report_value_str(const struct cprof_report *rpt, int64_t v, struct strbuf *buf)
{
	strbuf_reset(buf);
	cprof_report_format_value(rpt, v, buf);
	return buf->buf;
}

/* ---- labels ------------------------------------------------------------------------- */

void report_profile_labels(const struct cprof_report *rpt, struct line_list *out)
{
	const struct cprof_profile *p = rpt->prof;
	struct strbuf sb = STRBUF_INIT;
	if (p->nmapping > 0) {
		if (p->mapping[0].file[0]) {
			strbuf_addstr(&sb, "File: ");
			cprof_path_base(p->mapping[0].file, &sb);
			line_list_add(out, sb.buf);
		}
		if (p->mapping[0].build_id[0])
			line_list_addf(out, "Build ID: %s", p->mapping[0].build_id);
	}
	for (size_t i = 0; i < p->ncomment; i++)
		if (p->comment[i][0] != '#')
			line_list_add(out, p->comment[i]);
	if (rpt->opt.sample_type[0])
		line_list_addf(out, "Type: %s", rpt->opt.sample_type);
	if (p->time_nanos != 0) {
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "Time: ");
		cprof_go_time_pprof(p->time_nanos, &sb);
		line_list_add(out, sb.buf);
	}
	if (p->duration_nanos != 0) {
		const char *unit;
		double total_ns = cprof_unit_scale(rpt->total, rpt->opt.sample_unit, "nanoseconds", &unit);
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "Duration: ");
		cprof_unit_label(p->duration_nanos, "nanoseconds", &sb);
		strbuf_addstr(&sb, ", Total samples = ");
		cprof_report_format_value(rpt, rpt->total, &sb);
		strbuf_addch(&sb, ' ');
		if (!strcmp(unit, "ns") && total_ns != 0) {
			strbuf_addch(&sb, '(');
			cprof_percentage(cprof_f2i(total_ns), p->duration_nanos, &sb);
			strbuf_addch(&sb, ')');
		}
		line_list_add(out, sb.buf);
	}
	strbuf_release(&sb);
}

void cprof_report_profile_labels(const struct cprof_report *rpt, struct strbuf *out)
{
	struct line_list l = {0};
	report_profile_labels(rpt, &l);
	for (size_t i = 0; i < l.n; i++) {
		strbuf_addstr(out, l.v[i]);
		strbuf_addch(out, '\n');
	}
	if (l.n == 0) /* Println of the lines joined: an empty line */
		strbuf_addch(out, '\n');
	line_list_release(&l);
}

static void add_trimmed_pct(struct strbuf *out, int64_t v, int64_t total)
{
	struct strbuf p = STRBUF_INIT;
	cprof_percentage(v, total, &p);
	const char *s = p.buf;
	while (*s == ' ')
		s++;
	strbuf_addstr(out, s); /* Percentage never ends in a space */
	strbuf_release(&p);
}

static void add_dropped(const struct cprof_report *rpt, struct line_list *out, int d, const char *what,
			const char *cmp, double fraction)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "Dropped %d %s%s (%s <= ", d, what, d > 1 ? "s" : "", cmp);
	cprof_report_format_value(rpt, cprof_abs64(cprof_f2i((double)rpt->total * fraction)), &sb);
	strbuf_addch(&sb, ')');
	line_list_add(out, sb.buf);
	strbuf_release(&sb);
}

void report_labels(const struct cprof_report *rpt, const struct cprof_graph *g, int orig_count,
		   int dropped_nodes, int dropped_edges, bool full_headers, struct line_list *out)
{
	const struct cprof_report_opts *o = &rpt->opt;
	if (full_headers || !o->compact_labels)
		report_profile_labels(rpt, out);

	int64_t flat_sum = 0;
	for (size_t i = 0; i < g->nnodes; i++)
		flat_sum = cprof_add_wrap(flat_sum, cprof_node_flat(g->nodes[i]));

	if (o->nactive_filters > 0) {
		line_list_add(out, "Active filters:");
		for (size_t i = 0; i < o->nactive_filters; i++) {
			const char *f = o->active_filters[i];
			if (strlen(f) > 80) /* bytes, as Go slices the string */
				line_list_addf(out, "   %.80s\xe2\x80\xa6", f);
			else
				line_list_addf(out, "   %s", f);
		}
	}

	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "Showing nodes accounting for ");
	cprof_report_format_value(rpt, flat_sum, &sb);
	strbuf_addstr(&sb, ", ");
	add_trimmed_pct(&sb, flat_sum, rpt->total);
	strbuf_addstr(&sb, " of ");
	cprof_report_format_value(rpt, rpt->total, &sb);
	strbuf_addstr(&sb, " total");
	line_list_add(out, sb.buf);
	strbuf_release(&sb);

	if (rpt->total != 0) {
		if (dropped_nodes > 0)
			add_dropped(rpt, out, dropped_nodes, "node", "cum", o->nodefraction);
		if (dropped_edges > 0)
			add_dropped(rpt, out, dropped_edges, "edge", "freq", o->edgefraction);
		int node_count = (int)g->nnodes;
		if (node_count > 0 && node_count < orig_count)
			line_list_addf(out, "Showing top %d nodes out of %d", node_count, orig_count);
	}
	if (full_headers)
		line_list_add(out, "\nSee https://git.io/JfYMW for how to read the graph");
}

/* ---- the report graph --------------------------------------------------------------- */

/* Go's filepath.SplitList on Unix: "" is no element, else split on ':'. */
static const char *next_list_elem(const char *s, size_t *len)
{
	const char *colon = strchr(s, ':');
	*len = colon ? (size_t)(colon - s) : strlen(s);
	return colon ? colon + 1 : NULL;
}

/* pprof's trimPath: the part of path to keep (a suffix of it). */
static const char *trim_path(const char *path, const char *trim, const char *search)
{
	if (!trim[0] && search[0]) {
		/* heuristic: cut after "/<basename of a search dir>/" */
		const char *s = search;
		while (s) {
			size_t len;
			const char *next = next_list_elem(s, &len);
			struct strbuf dir = STRBUF_INIT, want = STRBUF_INIT;
			strbuf_add(&dir, s, len);
			strbuf_addch(&want, '/');
			if (!len) {
				strbuf_addch(&want, '.');
			} else {
				/* filepath.Base */
				size_t n = dir.len;
				while (n > 0 && dir.buf[n - 1] == '/')
					n--;
				if (!n) {
					strbuf_addch(&want, '/');
				} else {
					size_t st = n;
					while (st > 0 && dir.buf[st - 1] != '/')
						st--;
					strbuf_add(&want, dir.buf + st, n - st);
				}
			}
			strbuf_addch(&want, '/');
			const char *found = strstr(path, want.buf);
			size_t wl = want.len;
			strbuf_release(&dir);
			strbuf_release(&want);
			if (found)
				return found + wl;
			s = next;
		}
	}
	/* configured prefixes, then the two /proc/self/cwd forms */
	const char *s = trim[0] ? trim : NULL;
	while (s) {
		size_t len;
		const char *next = next_list_elem(s, &len);
		size_t need = len;
		bool slash = len > 0 && s[len - 1] == '/';
		if (!strncmp(path, s, len) && (slash || path[len] == '/'))
			return path + need + (slash ? 0 : 1);
		s = next;
	}
	static const char *const fixed[] = {"/proc/self/cwd/./", "/proc/self/cwd/"};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(fixed); i++)
		if (!strncmp(path, fixed[i], strlen(fixed[i])))
			return path + strlen(fixed[i]);
	return path;
}

struct tag_fmt_ctx {
	const struct cprof_report *rpt;
	struct strbuf buf;
};

static const char *format_tag(int64_t v, const char *key, void *ctx)
{
	struct tag_fmt_ctx *c = ctx;
	strbuf_reset(&c->buf);
	cprof_scaled_label(v, key, c->rpt->opt.output_unit, &c->buf);
	return c->buf.buf;
}

/* The file name clean-up rpt.newGraph starts with (in place, as pprof does); whether it changed one. */
static bool trim_function_paths(struct cprof_report *rpt)
{
	struct cprof_profile *p = rpt->prof;
	const char *tp = rpt->opt.trim_path ? rpt->opt.trim_path : "";
	const char *sp = rpt->opt.source_path ? rpt->opt.source_path : "";
	bool changed = false;
	for (size_t i = 0; i < p->nfunction; i++) {
		const char *f = p->function[i].filename;
		const char *t = trim_path(f, tp, sp);
		if (t != f) {
			p->function[i].filename = cprof_profile_str(p, t);
			changed = true;
		}
	}
	return changed;
}

/*
 * rpt.newGraph; with nodes_only, a graph without edges and tags, enough to
 * choose the nodes to keep (what a full graph costs is mostly its edges);
 * trim: clean the file names first (once per graph pprof builds).
 */
static struct cprof_graph *new_graph(struct cprof_report *rpt, const struct report_graph_mode *m,
				     const struct cprof_node_set *kept, bool nodes_only, bool trim)
{
	struct cprof_profile *p = rpt->prof;
	if (trim)
		trim_function_paths(rpt);

	struct tag_fmt_ctx ctx = {rpt, STRBUF_INIT};
	const char *bytes_unit = m->tags ? report_num_label_unit(rpt, "bytes") : NULL;
	struct cprof_graph_opts go = {
		.sample_index = rpt->opt.sample_index,
		.mean_index = rpt->opt.mean ? 0 : -1,
		.obj_names = m->obj_names,
		.orig_fn_names = false,
		.call_tree = rpt->opt.call_tree && m->call_tree,
		.drop_negative = rpt->opt.drop_negative,
		.kept = kept,
		.format_tag = format_tag,
		.format_ctx = &ctx,
		.no_tags = !m->tags || nodes_only,
		.no_edges = nodes_only,
		.drop_label_key = "pprof::base",
		.numeric_tag_key = "bytes",
		.numeric_tag_unit = bytes_unit ? bytes_unit : "bytes",
	};
	struct cprof_graph *g = cprof_graph_new(p, &go);
	strbuf_release(&ctx.buf);
	return g;
}

struct cprof_graph *report_new_graph(struct cprof_report *rpt, const struct report_graph_mode *m,
				     const struct cprof_node_set *kept)
{
	return new_graph(rpt, m, kept, false, true);
}

struct cprof_graph *report_location_nodes(struct cprof_report *rpt, uint32_t **loc_first,
					  struct cprof_node ***loc_nodes)
{
	trim_function_paths(rpt);
	struct cprof_graph_opts go = {
		.sample_index = rpt->opt.sample_index,
		.mean_index = rpt->opt.mean ? 0 : -1,
		.drop_negative = rpt->opt.drop_negative,
		.no_tags = true,
		.drop_label_key = "pprof::base",
	};
	return cprof_graph_location_nodes(rpt->prof, &go, loc_first, loc_nodes);
}

void cprof_graph_cache_release(struct cprof_graph_cache *c)
{
	for (size_t i = 0; i < CPROF_GRAPH_CACHE; i++) {
		free(c->ent[i].key);
		cprof_graph_free(c->ent[i].g);
	}
	memset(c, 0, sizeof(*c));
}

/* What the first graph of report_trimmed_graph depends on, besides the profile. */
static void first_graph_key(const struct cprof_report *rpt, const struct report_graph_mode *m, struct strbuf *k)
{
	const struct cprof_report_opts *o = &rpt->opt;
	strbuf_addf(k, "%d;%d;%d;%d;%zu:%s;%zu:%s", o->sample_index, o->mean, o->drop_negative, m->obj_names,
		    strlen(o->trim_path ? o->trim_path : ""), o->trim_path ? o->trim_path : "",
		    strlen(o->source_path ? o->source_path : ""), o->source_path ? o->source_path : "");
}

/*
 * The nodes-only graph of all nodes (after the file name clean-up it
 * starts with): from rpt->graphs when an earlier report made it, else
 * built, and kept there. *owned says whether the caller frees it.
 */
static struct cprof_graph *first_graph(struct cprof_report *rpt, const struct report_graph_mode *m, bool *owned)
{
	struct cprof_graph_cache *c = rpt->graphs;
	*owned = !c;
	if (!c)
		return new_graph(rpt, m, NULL, true, true);
	struct strbuf key = STRBUF_INIT;
	first_graph_key(rpt, m, &key);
	size_t slot = 0;
	for (size_t i = 0; i < CPROF_GRAPH_CACHE; i++) {
		if (c->ent[i].key && !strcmp(c->ent[i].key, key.buf)) {
			c->ent[i].used = ++c->clock;
			strbuf_release(&key);
			trim_function_paths(rpt); /* as building it would have */
			return c->ent[i].g;
		}
		if (c->ent[i].used < c->ent[slot].used)
			slot = i;
	}
	struct cprof_graph *g = new_graph(rpt, m, NULL, true, true);
	if (cprof_interrupted()) { /* its sums are partial: not kept */
		*owned = true;
		strbuf_release(&key);
		return g;
	}
	free(c->ent[slot].key);
	cprof_graph_free(c->ent[slot].g);
	c->ent[slot].g = g;
	c->ent[slot].key = strbuf_detach(&key, NULL);
	c->ent[slot].used = ++c->clock;
	return c->ent[slot].g;
}

/*
 * pprof's newTrimmedGraph for a graph (not a call tree) that is not
 * drawn: the nodes to keep and then the top ones are chosen from the
 * first graph's nodes, whose sums are what pprof's rebuilt graphs give
 * the kept nodes (a sample's flat part and cum part of a kept node do not
 * depend on the other nodes), ordered the same way; only the final graph
 * is built again, with its edges. The file name clean-up runs as often as
 * pprof runs it; when a second run changes a name (a -trim_path that
 * applies twice), the graphs pprof builds are what count, and false is
 * returned for the caller to build them.
 */
static bool trimmed_from_first(struct cprof_report *rpt, const struct report_graph_mode *m, struct trimmed_graph *t)
{
	const struct cprof_report_opts *o = &rpt->opt;
	bool owned;
	struct cprof_graph *g1 = first_graph(rpt, m, &owned);
	int64_t total;
	cprof_graph_sum(g1, &total, NULL);
	int64_t node_cutoff = cprof_abs64(cprof_f2i((double)total * o->nodefraction));
	int64_t edge_cutoff = cprof_abs64(cprof_f2i((double)total * o->edgefraction));
	bool ok = true;

	struct cprof_node_set *kept = NULL;
	if (node_cutoff > 0) {
		kept = cprof_graph_discard_low_frequency_nodes(g1, node_cutoff);
		if (cprof_node_set_count(kept) != g1->nnodes) {
			t->dropped_nodes = (int)(g1->nnodes - cprof_node_set_count(kept));
		} else {
			cprof_node_set_free(kept);
			kept = NULL;
		}
	}
	if (kept && trim_function_paths(rpt)) /* pprof's second graph */
		ok = false;
	/* the nodes of pprof's second graph, in its order */
	struct cprof_graph view = {0};
	view.nodes = cprof_xmalloc(cprof_st_mult(g1->nnodes + 1, sizeof(*view.nodes)));
	for (size_t i = 0; i < g1->nnodes; i++)
		if (!kept || cprof_node_set_has(kept, &g1->nodes[i]->info))
			view.nodes[view.nnodes++] = g1->nodes[i];
	t->orig_count = (int)view.nnodes;
	cprof_graph_sort_nodes(&view, o->cum_sort, false);

	struct cprof_node_set *top = NULL;
	if (ok && o->nodecount > 0) {
		top = cprof_graph_select_top_nodes(&view, o->nodecount, false);
		if (cprof_node_set_count(top) == view.nnodes) {
			cprof_node_set_free(top);
			top = NULL;
		} else if (trim_function_paths(rpt)) { /* pprof's third graph */
			ok = false;
		}
	}
	free(view.nodes);
	if (ok) {
		struct cprof_graph *g = new_graph(rpt, m, top ? top : kept, false, false);
		cprof_graph_sort_nodes(g, o->cum_sort, false);
		if (o->nodecount > 0 && !top) {
			/* pprof's second graph was the last: its trimming before the selection */
			cprof_graph_trim_low_frequency_tags(g, node_cutoff);
			cprof_graph_trim_low_frequency_edges(g, edge_cutoff);
		}
		cprof_graph_trim_low_frequency_tags(g, node_cutoff);
		t->dropped_edges = (int)cprof_graph_trim_low_frequency_edges(g, edge_cutoff);
		t->g = g;
	}
	cprof_node_set_free(kept);
	cprof_node_set_free(top);
	if (owned)
		cprof_graph_free(g1);
	return ok;
}

void report_trimmed_graph(struct cprof_report *rpt, const struct report_graph_mode *m,
			  struct trimmed_graph *t)
{
	const struct cprof_report_opts *o = &rpt->opt;
	bool visual = m->visual, cum_sort = o->cum_sort;
	bool call_tree = o->call_tree && m->call_tree;
	memset(t, 0, sizeof(*t));

	if (!visual && !call_tree && !m->tags) {
		struct cprof_profile *p = rpt->prof;
		const char **names = cprof_xmalloc(cprof_st_mult(p->nfunction + 1, sizeof(*names)));
		for (size_t i = 0; i < p->nfunction; i++)
			names[i] = p->function[i].filename;
		bool done = trimmed_from_first(rpt, m, t);
		if (!done) { /* start again from the names as they were */
			for (size_t i = 0; i < p->nfunction; i++)
				p->function[i].filename = names[i];
			memset(t, 0, sizeof(*t));
		}
		free(names);
		if (done)
			return;
	}

	/*
	 * In graph mode the first graph only chooses the nodes, unless none
	 * is dropped: it is built without edges and tags, and built again in
	 * full when it is kept.
	 */
	struct cprof_graph *g = new_graph(rpt, m, NULL, !call_tree, true);
	int64_t total;
	cprof_graph_sum(g, &total, NULL);
	int64_t node_cutoff = cprof_abs64(cprof_f2i((double)total * o->nodefraction));
	int64_t edge_cutoff = cprof_abs64(cprof_f2i((double)total * o->edgefraction));

	if (call_tree) {
		size_t kept;
		if (node_cutoff > 0 && (kept = cprof_graph_mark_low_frequency_nodes(g, node_cutoff)) != g->nnodes) {
			t->dropped_nodes = (int)(g->nnodes - kept);
			cprof_graph_trim_tree(g);
		}
	} else {
		struct cprof_node_set *kept = NULL;
		if (node_cutoff > 0) {
			kept = cprof_graph_discard_low_frequency_nodes(g, node_cutoff);
			if (cprof_node_set_count(kept) != g->nnodes) {
				t->dropped_nodes = (int)(g->nnodes - cprof_node_set_count(kept));
			} else {
				cprof_node_set_free(kept);
				kept = NULL;
			}
		}
		cprof_graph_free(g);
		g = new_graph(rpt, m, kept, false, kept != NULL);
		cprof_node_set_free(kept);
	}
	t->orig_count = (int)g->nnodes;

	cprof_graph_sort_nodes(g, cum_sort, visual);
	if (o->nodecount > 0) {
		cprof_graph_trim_low_frequency_tags(g, node_cutoff);
		cprof_graph_trim_low_frequency_edges(g, edge_cutoff);
		if (call_tree) {
			size_t kept = cprof_graph_mark_top_nodes(g, o->nodecount, visual);
			if (kept != g->nnodes) {
				cprof_graph_trim_tree(g);
				cprof_graph_sort_nodes(g, cum_sort, visual);
			}
		} else {
			struct cprof_node_set *kept = cprof_graph_select_top_nodes(g, o->nodecount, visual);
			if (cprof_node_set_count(kept) != g->nnodes) {
				cprof_graph_free(g);
				g = report_new_graph(rpt, m, kept);
				cprof_graph_sort_nodes(g, cum_sort, visual);
			}
			cprof_node_set_free(kept);
		}
	}

	cprof_graph_trim_low_frequency_tags(g, node_cutoff);
	t->dropped_edges = (int)cprof_graph_trim_low_frequency_edges(g, edge_cutoff);
	if (visual)
		cprof_graph_remove_redundant_edges(g);
	t->g = g;
}

void report_select_output_unit(struct cprof_report *rpt, const struct cprof_graph *g, bool callgrind)
{
	struct cprof_report_opts *o = &rpt->opt;
	if (strcmp(o->output_unit, "minimum") || g->nnodes == 0)
		return;
	int64_t min_value = 0;
	for (size_t i = 0; i < g->nnodes; i++) {
		int64_t node_min = cprof_abs64(cprof_node_flat(g->nodes[i]));
		if (node_min == 0)
			node_min = cprof_abs64(cprof_node_cum(g->nodes[i]));
		if (node_min > 0 && (min_value == 0 || node_min < min_value))
			min_value = node_min;
	}
	int64_t max_value = rpt->total;
	if (min_value == 0)
		min_value = max_value;
	double r = o->ratio;
	if (r > 0 && r != 1) {
		min_value = cprof_f2i((double)min_value * r);
		max_value = cprof_f2i((double)max_value * r);
	}
	const char *min_unit, *max_unit, *unit;
	cprof_unit_scale(min_value, o->sample_unit, "minimum", &min_unit);
	cprof_unit_scale(max_value, o->sample_unit, "minimum", &max_unit);
	unit = min_unit;
	int64_t min100 = cprof_mul_wrap(min_value, 100); /* wraps as Go */
	if (strcmp(min_unit, max_unit) && min100 < max_value && !callgrind)
		cprof_unit_scale(min100, o->sample_unit, "minimum", &unit);
	o->output_unit = unit[0] ? unit : o->sample_unit;
}
