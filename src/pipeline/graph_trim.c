/*
 * graph_trim.c - what a report keeps of a built graph (Go 1.19's
 * internal/graph trimming): node sets (NodeSet, kept by content so they
 * outlive the graph they came from and select the nodes of the next one),
 * the low-frequency and top-node selections, TrimTree for call trees, the
 * low-frequency tags and edges, and the redundant residual edges.
 *
 * Its own file because these steps work on a graph already built, through
 * its nodes' edge lists alone, and are where the reports' -nodecount,
 * -nodefraction and -edgefraction take effect.
 */
#include <stdlib.h>
#include <string.h>

#include "src/pipeline/graph_internal.h"

/* ---- edge lists and strings ------------------------------------------------------- */

/* Remove e from arr keeping the order; returns true if it was there. */
static bool edge_remove(struct cprof_edge **arr, size_t *n, const struct cprof_edge *e)
{
	for (size_t i = 0; i < *n; i++) {
		if (arr[i] == e) {
			memmove(arr + i, arr + i + 1, (*n - i - 1) * sizeof(*arr));
			(*n)--;
			return true;
		}
	}
	return false;
}

static const char empty_str[] = "";

/* ---- node sets ---------------------------------------------------------------------- */

struct set_ent {
	struct cprof_node_info info;
	uint64_t hash;
};

struct cprof_node_set {
	struct cprof_arena arena;
	struct set_ent **slot;
	size_t size, count;
};

struct cprof_node_set *cprof_node_set_new(void)
{
	struct cprof_node_set *s = cprof_xcalloc(1, sizeof(*s));
	cprof_arena_init(&s->arena);
	return s;
}

void cprof_node_set_free(struct cprof_node_set *s)
{
	if (!s)
		return;
	free(s->slot);
	cprof_arena_release(&s->arena);
	free(s);
}

static size_t set_find(const struct cprof_node_set *s, const struct cprof_node_info *i, uint64_t h)
{
	size_t j = (size_t)h & (s->size - 1);
	while (s->slot[j] && !(s->slot[j]->hash == h && info_eq(&s->slot[j]->info, i)))
		j = (j + 1) & (s->size - 1);
	return j;
}

static const char *set_str(struct cprof_node_set *s, const char *str)
{
	return str[0] ? cprof_arena_strndup(&s->arena, str, strlen(str)) : empty_str;
}

void cprof_node_set_add(struct cprof_node_set *s, const struct cprof_node_info *i)
{
	if ((s->count + 1) * 2 > s->size) {
		struct set_ent **old = s->slot;
		size_t osize = s->size;
		s->size = osize ? osize * 2 : 64;
		s->slot = cprof_xcalloc(s->size, sizeof(*s->slot));
		for (size_t k = 0; k < osize; k++)
			if (old[k])
				s->slot[set_find(s, &old[k]->info, old[k]->hash)] = old[k];
		free(old);
	}
	uint64_t h = info_hash_slow(i);
	size_t j = set_find(s, i, h);
	if (s->slot[j])
		return;
	struct set_ent *e = cprof_arena_alloc(&s->arena, sizeof(*e));
	e->info = *i;
	e->info.name = set_str(s, i->name);
	e->info.orig_name = set_str(s, i->orig_name);
	e->info.file = set_str(s, i->file);
	e->info.objfile = set_str(s, i->objfile);
	e->info.columnno = 0;
	e->hash = h;
	s->slot[j] = e;
	s->count++;
}

bool cprof_node_set_has(const struct cprof_node_set *s, const struct cprof_node_info *i)
{
	if (!s->count)
		return false;
	return s->slot[set_find(s, i, info_hash_slow(i))] != NULL;
}

size_t cprof_node_set_count(const struct cprof_node_set *s)
{
	return s->count;
}

static uint32_t walk_stamp(struct cprof_graph *g);

/* ---- trimming ------------------------------------------------------------------------ */

struct cprof_node_set *cprof_graph_discard_low_frequency_nodes(const struct cprof_graph *g,
							       int64_t cutoff)
{
	struct cprof_node_set *s = cprof_node_set_new();
	for (size_t i = 0; i < g->nnodes; i++)
		if (cprof_abs64(g->nodes[i]->cum) >= cutoff)
			cprof_node_set_add(s, &g->nodes[i]->info);
	return s;
}

size_t cprof_graph_mark_low_frequency_nodes(struct cprof_graph *g, int64_t cutoff)
{
	size_t kept = 0;
	for (size_t i = 0; i < g->nnodes; i++) {
		g->nodes[i]->keep = cprof_abs64(g->nodes[i]->cum) >= cutoff;
		kept += g->nodes[i]->keep;
	}
	return kept;
}

enum { MAX_NODELETS = 4 };

static int count_tags(const struct cprof_node *n)
{
	int c = 0;
	for (size_t i = 0; i < n->nlabel_tags; i++)
		c += n->label_tags[i]->flat != 0;
	for (size_t g = 0; g < n->nnumeric_tags; g++)
		for (size_t i = 0; i < n->numeric_tags[g].ntags; i++)
			c += n->numeric_tags[g].tags[i]->flat != 0;
	return c;
}

static size_t top_count(const struct cprof_graph *g, int max_nodes, bool visual)
{
	if (max_nodes > 0 && visual) {
		int count = 0;
		for (size_t i = 0; i < g->nnodes; i++) {
			int tags = count_tags(g->nodes[i]);
			if (tags > MAX_NODELETS)
				tags = MAX_NODELETS;
			count += tags + 1;
			if (count >= max_nodes) {
				max_nodes = (int)i + 1;
				break;
			}
		}
	}
	if (max_nodes < 0)
		max_nodes = 0;
	return (size_t)max_nodes > g->nnodes ? g->nnodes : (size_t)max_nodes;
}

struct cprof_node_set *cprof_graph_select_top_nodes(const struct cprof_graph *g, int max_nodes,
						    bool visual)
{
	struct cprof_node_set *s = cprof_node_set_new();
	size_t n = top_count(g, max_nodes, visual);
	for (size_t i = 0; i < n; i++)
		cprof_node_set_add(s, &g->nodes[i]->info);
	return s;
}

size_t cprof_graph_mark_top_nodes(struct cprof_graph *g, int max_nodes, bool visual)
{
	size_t n = top_count(g, max_nodes, visual);
	for (size_t i = 0; i < g->nnodes; i++)
		g->nodes[i]->keep = i < n;
	return n;
}

static struct cprof_edge *in_edge_from(struct cprof_node *dst, const struct cprof_node *src, size_t *at)
{
	for (size_t i = 0; i < dst->nin; i++) {
		if (dst->in[i]->src == src) {
			if (at)
				*at = i;
			return dst->in[i];
		}
	}
	return NULL;
}

/*
 * TrimTree. Out-lists are edited with holes (NULL) that are closed at the
 * end, and an edge's index in its source's out-list is remembered, so a
 * parent that inherits many grandchildren costs no quadratic searching.
 */
static void out_append(struct cprof_graph *g, struct cprof_node *n, struct cprof_edge *e)
{
	gr_edge_push(&g->arena, &n->out, &n->nout, &n->aout, e);
	((struct gedge *)e)->out_at = (uint32_t)(n->nout - 1);
}

static size_t out_index(const struct cprof_node *src, const struct cprof_edge *e)
{
	size_t at = ((const struct gedge *)e)->out_at;
	if (at < src->nout && src->out[at] == e)
		return at;
	for (at = 0; at < src->nout; at++)
		if (src->out[at] == e)
			break;
	return at;
}

void cprof_graph_trim_tree(struct cprof_graph *g)
{
	size_t kept = 0;
	uint32_t stamp = walk_stamp(g);
	struct cprof_node **holed = NULL; /* nodes whose out-list has holes */
	size_t nholed = 0, aholed = 0;
	for (size_t i = 0; i < g->nnodes; i++)
		for (size_t j = 0; j < g->nodes[i]->nout; j++)
			((struct gedge *)g->nodes[i]->out[j])->out_at = (uint32_t)j;

	for (size_t i = 0; i < g->nnodes; i++) {
		struct cprof_node *cur = g->nodes[i];
		if (cur->keep) {
			g->nodes[kept++] = cur;
			continue;
		}
		if (cur->nin == 0) {
			/* a root: its children become roots */
			for (size_t j = 0; j < cur->nout; j++)
				if (cur->out[j])
					edge_remove(cur->out[j]->dest->in, &cur->out[j]->dest->nin, cur->out[j]);
			continue;
		}
		struct cprof_node *parent = cur->in[0]->src;
		size_t at;
		struct cprof_edge *pe = NULL;
		/* the edge parent→cur, the one in cur's in-list (a tree node has one) */
		if (in_edge_from(cur, parent, &at)) {
			at = out_index(parent, cur->in[at]);
			if (at < parent->nout)
				pe = parent->out[at];
		}
		bool parent_inline = pe && pe->inline_;
		if (pe) {
			parent->out[at] = NULL;
			struct gnode *gp = (struct gnode *)parent;
			if (gp->stamp != stamp) {
				gp->stamp = stamp;
				ALLOC_GROW(holed, nholed + 1, aholed);
				holed[nholed++] = parent;
			}
		}
		for (size_t j = 0; j < cur->nout; j++) {
			struct cprof_edge *oe = cur->out[j];
			if (!oe)
				continue;
			struct cprof_node *child = oe->dest;
			edge_remove(child->in, &child->nin, oe);
			/* map assignment: replace an existing entry, else append */
			struct cprof_edge *old = in_edge_from(child, parent, &at);
			if (old)
				child->in[at] = oe;
			else
				gr_edge_push(&g->arena, &child->in, &child->nin, &child->ain, oe);
			/* in- and out-lists hold the same edges: parent→child is where child's is */
			if (old && (at = out_index(parent, old)) < parent->nout) {
				parent->out[at] = oe;
				((struct gedge *)oe)->out_at = (uint32_t)at;
			} else {
				out_append(g, parent, oe);
			}
			oe->src = parent;
			oe->residual = true;
			oe->inline_ = parent_inline && oe->inline_;
		}
	}
	g->nnodes = kept;
	for (size_t i = 0; i < nholed; i++) {
		struct cprof_node *n = holed[i];
		size_t k = 0;
		for (size_t j = 0; j < n->nout; j++)
			if (n->out[j])
				n->out[k++] = n->out[j];
		n->nout = k;
	}
	free(holed);
	cprof_graph_remove_redundant_edges(g);
}

static size_t trim_tags(struct cprof_tag **t, size_t n, int64_t cutoff)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (cprof_abs64(t[i]->flat) >= cutoff || cprof_abs64(t[i]->cum) >= cutoff)
			t[k++] = t[i];
	return k;
}

void cprof_graph_trim_low_frequency_tags(struct cprof_graph *g, int64_t cutoff)
{
	for (size_t i = 0; i < g->nnodes; i++) {
		struct cprof_node *n = g->nodes[i];
		n->nlabel_tags = trim_tags(n->label_tags, n->nlabel_tags, cutoff);
		for (size_t j = 0; j < n->nnumeric_tags; j++)
			n->numeric_tags[j].ntags =
				trim_tags(n->numeric_tags[j].tags, n->numeric_tags[j].ntags, cutoff);
	}
}

size_t cprof_graph_trim_low_frequency_edges(struct cprof_graph *g, int64_t cutoff)
{
	/*
	 * Drop the light in-edges of every node, remembering each source once
	 * (sources need not be in g->nodes), then compact those out-lists in
	 * one pass each instead of one search per edge.
	 */
	size_t dropped = 0;
	uint32_t stamp = walk_stamp(g);
	struct cprof_node **srcs = NULL;
	size_t nsrcs = 0, asrcs = 0;
	for (size_t i = 0; i < g->nnodes; i++) {
		struct cprof_node *n = g->nodes[i];
		size_t k = 0;
		for (size_t j = 0; j < n->nin; j++) {
			struct cprof_edge *e = n->in[j];
			if (cprof_abs64(e->weight) >= cutoff) {
				n->in[k++] = e;
				continue;
			}
			((struct gedge *)e)->dead = true;
			dropped++;
			struct gnode *src = (struct gnode *)e->src;
			if (src->stamp != stamp) {
				src->stamp = stamp;
				ALLOC_GROW(srcs, nsrcs + 1, asrcs);
				srcs[nsrcs++] = e->src;
			}
		}
		n->nin = k;
	}
	for (size_t i = 0; i < nsrcs; i++) {
		struct cprof_node *n = srcs[i];
		size_t k = 0;
		for (size_t j = 0; j < n->nout; j++)
			if (!((struct gedge *)n->out[j])->dead)
				n->out[k++] = n->out[j];
		n->nout = k;
	}
	free(srcs);
	return dropped;
}

/* isRedundantEdge: can e->src reach e->dest without e? (BFS over in-edges) */
static bool is_redundant(struct cprof_edge *e, struct cprof_node ***queue, size_t *aqueue,
			 uint32_t stamp)
{
	struct cprof_node *src = e->src;
	size_t head = 0, tail = 0;
	ALLOC_GROW(*queue, 1, *aqueue);
	(*queue)[tail++] = e->dest;
	((struct gnode *)e->dest)->stamp = stamp;
	while (head < tail) {
		struct cprof_node *n = (*queue)[head++];
		for (size_t i = 0; i < n->nin; i++) {
			struct cprof_edge *ie = n->in[i];
			struct gnode *s = (struct gnode *)ie->src;
			if (ie == e || s->stamp == stamp)
				continue;
			if (ie->src == src)
				return true;
			s->stamp = stamp;
			ALLOC_GROW(*queue, tail + 1, *aqueue);
			(*queue)[tail++] = ie->src;
		}
	}
	return false;
}

static uint32_t walk_stamp(struct cprof_graph *g)
{
	struct gpriv *gp = g->priv;
	if (++gp->stamp == 0) {
		/* wrapped: stamps of nodes outside g->nodes may be stale, but only
		 * after 4G walks; clear what we can reach and go on */
		for (size_t i = 0; i < g->nnodes; i++)
			((struct gnode *)g->nodes[i])->stamp = 0;
		gp->stamp = 1;
	}
	return gp->stamp;
}

void cprof_graph_remove_redundant_edges(struct cprof_graph *g)
{
	struct cprof_node **queue = NULL;
	size_t aqueue = 0;
	struct cprof_edge **in = NULL;
	size_t ain = 0;
	for (size_t i = g->nnodes; i > 0; i--) {
		struct cprof_node *n = g->nodes[i - 1];
		size_t nin = n->nin;
		ALLOC_GROW(in, nin, ain);
		if (nin)
			memcpy(in, n->in, nin * sizeof(*in));
		cprof_edges_sort(in, nin);
		for (size_t j = nin; j > 0; j--) {
			struct cprof_edge *e = in[j - 1];
			if (!e->residual)
				break;
			if (is_redundant(e, &queue, &aqueue, walk_stamp(g))) {
				edge_remove(e->src->out, &e->src->nout, e);
				edge_remove(e->dest->in, &e->dest->nin, e);
			}
		}
	}
	free(queue);
	free(in);
}
