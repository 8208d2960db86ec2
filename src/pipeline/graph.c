/*
 * graph.c - pprof's internal/graph (include/cprof/graph.h) around the
 * graph itself: the node and edge accessors (value / divisor), node names
 * (PrintableName, fmt.Sprint of a NodeInfo, filepath.Clean and Base), the
 * orders the reports sort nodes and edges in (Nodes.Sort with its entropy
 * score, EdgeMap.Sort), sums, and freeing.
 *
 * The graph is built in graph_build.c and trimmed in graph_trim.c
 * (graph_internal.h has the map); what is left here reads a graph and
 * changes none of it but the order of its arrays.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "src/pipeline/graph_internal.h"

void cprof_graph_free(struct cprof_graph *g)
{
	if (!g)
		return;
	free(g->nodes);
	cprof_arena_release(&g->arena);
	free(g);
}


/* ---- filepath.Clean -------------------------------------------------------------- */

void cprof_clean_path(const char *path, struct strbuf *out)
{
	size_t n = strlen(path);
	if (n == 0) {
		strbuf_addch(out, '.');
		return;
	}
	size_t base = out->len;
	bool rooted = path[0] == '/';
	size_t r = 0, dotdot = 0; /* dotdot: out length up to which ".." cannot back */
	if (rooted) {
		strbuf_addch(out, '/');
		r = 1;
		dotdot = 1;
	}
	while (r < n) {
		if (path[r] == '/') {
			r++;
		} else if (path[r] == '.' && (r + 1 == n || path[r + 1] == '/')) {
			r++;
		} else if (path[r] == '.' && path[r + 1] == '.' && (r + 2 == n || path[r + 2] == '/')) {
			r += 2;
			size_t w = out->len - base;
			if (w > dotdot) {
				w--;
				while (w > dotdot && out->buf[base + w] != '/')
					w--;
				strbuf_setlen(out, base + w);
			} else if (!rooted) {
				if (w > 0)
					strbuf_addch(out, '/');
				strbuf_addstr(out, "..");
				dotdot = out->len - base;
			}
		} else {
			size_t w = out->len - base;
			if ((rooted && w != 1) || (!rooted && w != 0))
				strbuf_addch(out, '/');
			while (r < n && path[r] != '/')
				strbuf_addch(out, path[r++]);
		}
	}
	if (out->len == base)
		strbuf_addch(out, '.');
}

/* ---- accessors and names ------------------------------------------------------------ */

int64_t cprof_node_flat(const struct cprof_node *n)
{
	return n->flat_div ? cprof_div_wrap(n->flat, n->flat_div) : n->flat;
}

int64_t cprof_node_cum(const struct cprof_node *n)
{
	return n->cum_div ? cprof_div_wrap(n->cum, n->cum_div) : n->cum;
}

int64_t cprof_edge_weight(const struct cprof_edge *e)
{
	return e->weight_div ? cprof_div_wrap(e->weight, e->weight_div) : e->weight;
}

int64_t cprof_tag_flat(const struct cprof_tag *t)
{
	return t->flat_div ? cprof_div_wrap(t->flat, t->flat_div) : t->flat;
}

int64_t cprof_tag_cum(const struct cprof_tag *t)
{
	return t->cum_div ? cprof_div_wrap(t->cum, t->cum_div) : t->cum;
}

void cprof_path_base(const char *path, struct strbuf *out)
{
	size_t n = strlen(path);
	if (n == 0) {
		strbuf_addch(out, '.');
		return;
	}
	while (n > 0 && path[n - 1] == '/')
		n--;
	if (n == 0) {
		strbuf_addch(out, '/');
		return;
	}
	size_t start = n;
	while (start > 0 && path[start - 1] != '/')
		start--;
	strbuf_add(out, path + start, n - start);
}

void cprof_node_info_printable(const struct cprof_node_info *i, struct strbuf *out)
{
	size_t start = out->len;
#define SEP() do { if (out->len > start) strbuf_addch(out, ' '); } while (0)
	if (i->address)
		strbuf_addf(out, "%016llx", (unsigned long long)i->address);
	if (i->name[0]) {
		SEP();
		strbuf_addstr(out, i->name);
	}
	if (i->lineno) {
		SEP();
		strbuf_addf(out, "%s:%lld", i->file, (long long)i->lineno);
	} else if (i->file[0]) {
		SEP();
		strbuf_addstr(out, i->file);
	} else if (i->name[0]) {
		/* the name is all there is */
	} else if (i->objfile[0]) {
		SEP();
		strbuf_addch(out, '[');
		cprof_path_base(i->objfile, out);
		strbuf_addch(out, ']');
	} else {
		SEP();
		strbuf_addstr(out, "<unknown>");
	}
#undef SEP
}

void cprof_node_info_gostring(const struct cprof_node_info *i, struct strbuf *out)
{
	strbuf_addf(out, "{%s %s %llu %s %lld %lld %s}", i->name, i->orig_name,
		    (unsigned long long)i->address, i->file, (long long)i->start_line,
		    (long long)i->lineno, i->objfile);
}

/* ---- ordering ---------------------------------------------------------------------------- */

struct sort_ent {
	struct cprof_node *n;
	int64_t score;
};

static enum cprof_node_order sort_order;

static int cmp_i64_desc(int64_t a, int64_t b)
{
	return a > b ? -1 : a < b ? 1 : 0;
}

/* compareNodes: fmt.Sprint of the infos, as strings. */
static int compare_nodes(const struct cprof_node *l, const struct cprof_node *r)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	cprof_node_info_gostring(&l->info, &a);
	cprof_node_info_gostring(&r->info, &b);
	int c = strcmp(a.buf, b.buf);
	strbuf_release(&a);
	strbuf_release(&b);
	return c;
}

static int cmp_node(const void *x, const void *y)
{
	const struct sort_ent *a = x, *b = y;
	const struct cprof_node *l = a->n, *r = b->n;
	int c;
	switch (sort_order) {
	case CPROF_ORDER_FLAT_NAME:
		if ((c = cmp_i64_desc(cprof_abs64(l->flat), cprof_abs64(r->flat))))
			return c;
		if ((c = strcmp(l->printable, r->printable)))
			return c;
		if ((c = cmp_i64_desc(cprof_abs64(l->cum), cprof_abs64(r->cum))))
			return c;
		break;
	case CPROF_ORDER_FLAT_CUM_NAME:
		if ((c = cmp_i64_desc(cprof_abs64(l->flat), cprof_abs64(r->flat))))
			return c;
		if ((c = cmp_i64_desc(cprof_abs64(l->cum), cprof_abs64(r->cum))))
			return c;
		if ((c = strcmp(l->printable, r->printable)))
			return c;
		break;
	case CPROF_ORDER_NAME:
		if ((c = strcmp(l->info.name, r->info.name)))
			return c;
		break;
	case CPROF_ORDER_FILE:
		if ((c = strcmp(l->info.file, r->info.file)))
			return c;
		if (l->info.start_line != r->info.start_line)
			return l->info.start_line < r->info.start_line ? -1 : 1;
		break;
	case CPROF_ORDER_ADDRESS:
		if (l->info.address != r->info.address)
			return l->info.address < r->info.address ? -1 : 1;
		break;
	case CPROF_ORDER_CUM_NAME:
	case CPROF_ORDER_ENTROPY:
		if ((c = cmp_i64_desc(cprof_abs64(a->score), cprof_abs64(b->score))))
			return c;
		if ((c = strcmp(l->printable, r->printable)))
			return c;
		if ((c = cmp_i64_desc(cprof_abs64(l->flat), cprof_abs64(r->flat))))
			return c;
		break;
	}
	c = compare_nodes(l, r);
	if (c)
		return c;
	/* equal infos only happen in call trees; keep creation order */
	return l->id < r->id ? -1 : l->id > r->id;
}

/* Go's math.Log2: frexp, exact powers of two, else Log(frac)/Ln2 + exp. */
static double go_log2(double x)
{
	int exp;
	double frac = frexp(x, &exp);
	if (frac == 0.5)
		return (double)(exp - 1);
	return log(frac) * (1 / 0.693147180559945309417232121458176568) + (double)exp;
}

static double edge_entropy(struct cprof_edge *const *edges, size_t n, int64_t self)
{
	double score = 0;
	int64_t total = self;
	for (size_t i = 0; i < n; i++)
		if (edges[i]->weight > 0)
			total = cprof_add_wrap(total, cprof_abs64(edges[i]->weight));
	if (total != 0) {
		for (size_t i = 0; i < n; i++) {
			double frac = (double)cprof_abs64(edges[i]->weight) / (double)total;
			score += -frac * go_log2(frac);
		}
		if (self > 0) {
			double frac = (double)cprof_abs64(self) / (double)total;
			score += -frac * go_log2(frac);
		}
	}
	return score;
}

static int64_t entropy_score(const struct cprof_node *n)
{
	double score = 0;
	if (n->nin == 0)
		score++;
	else
		score += edge_entropy(n->in, n->nin, 0);
	if (n->nout == 0)
		score++;
	else
		score += edge_entropy(n->out, n->nout, n->flat);
	return cprof_add_wrap(cprof_f2i(score * (double)n->cum), n->flat); /* wraps, as Go */
}

void cprof_nodes_sort(struct cprof_node **nodes, size_t n, enum cprof_node_order o)
{
	if (n < 2)
		return;
	struct sort_ent *ents = cprof_xmalloc(cprof_st_mult(n, sizeof(*ents)));
	for (size_t i = 0; i < n; i++) {
		ents[i].n = nodes[i];
		ents[i].score = o == CPROF_ORDER_CUM_NAME ? nodes[i]->cum
				: o == CPROF_ORDER_ENTROPY ? entropy_score(nodes[i])
							   : 0;
	}
	sort_order = o;
	qsort(ents, n, sizeof(*ents), cmp_node);
	for (size_t i = 0; i < n; i++)
		nodes[i] = ents[i].n;
	free(ents);
}

void cprof_graph_sort_nodes(struct cprof_graph *g, bool cum, bool visual)
{
	cprof_nodes_sort(g->nodes, g->nnodes,
			 visual ? CPROF_ORDER_ENTROPY : cum ? CPROF_ORDER_CUM_NAME : CPROF_ORDER_FLAT_NAME);
}

static int cmp_edge(const void *x, const void *y)
{
	const struct cprof_edge *a = *(struct cprof_edge *const *)x, *b = *(struct cprof_edge *const *)y;
	int c;
	if (a->weight != b->weight && (c = cmp_i64_desc(cprof_abs64(a->weight), cprof_abs64(b->weight))))
		return c;
	if ((c = strcmp(a->src->printable, b->src->printable)))
		return c;
	return strcmp(a->dest->printable, b->dest->printable);
}

void cprof_edges_sort(struct cprof_edge **e, size_t n)
{
	if (n > 1)
		qsort(e, n, sizeof(*e), cmp_edge);
}

void cprof_graph_sum(const struct cprof_graph *g, int64_t *flat, int64_t *cum)
{
	int64_t f = 0, c = 0;
	for (size_t i = 0; i < g->nnodes; i++) {
		f = cprof_add_wrap(f, g->nodes[i]->flat);
		c = cprof_add_wrap(c, g->nodes[i]->cum);
	}
	if (flat)
		*flat = f;
	if (cum)
		*cum = c;
}
