/*
 * heapdump_dot.c - `cprof heapdump -dot` and `-svg`: the retainers' graph,
 * the retention tree's big nodes (the dominator tree with nodes of one
 * name merged) drawn as pprof draws a call graph: a box per node, its
 * font and colour growing with what it retains, an edge from each node
 * to the ones it dominates, labelled with what they retain. Only nodes
 * retaining -nodefraction of the heap (0.5%) or more, at most -nodecount
 * (40), biggest first, so the graph shows what holds most of the heap
 * and stays readable however many objects the dump has.
 *
 *   digraph "heap.dump" {
 *   node [style=filled fillcolor="#f8f8f8"]
 *   subgraph cluster_L { "File: heap.dump" [shape=box fontsize=16 label="File: heap.dump\l..."] }
 *   N0 [label="[heap]\nretains 2.53MB (100%)\n3210 objects" ...]
 *   N0 -> N1 [label=" 1.20MB" weight=47 penwidth=3 color="#b22e00"]
 *   }
 *
 * -svg lays the same text out with Graphviz's dot engine in process
 * (render/graphviz.c), as the call graph's -svg.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/heapdump.h"
#include "cprof/units.h"
#include "render/dot.h"

static void bytes(uint64_t v, struct strbuf *out)
{
	if (v > INT64_MAX)
		strbuf_addf(out, "%" PRIu64 "B", v);
	else
		cprof_unit_label((int64_t)v, "bytes", out);
}

static void pct(uint64_t v, uint64_t total, struct strbuf *out)
{
	strbuf_addf(out, "%.2f%%", total ? 100.0 * (double)v / (double)total : 0.0);
}

void cprof_heapdump_render_dot(const struct cprof_heapgraph *g, const struct cprof_heapdump_report_opts *o,
			       struct strbuf *out)
{
	const struct cprof_heapdump *d = g->dump;
	uint64_t total = d->obj_bytes;
	double frac = o->nodefraction >= 0 ? o->nodefraction : 0.005;
	uint64_t min = (uint64_t)ceil(frac * (double)total);
	uint32_t *sel;
	size_t n = cprof_heaptree_select(g, min, o->nodecount ? o->nodecount : 40, &sel);
	struct strbuf t = STRBUF_INIT, lab = STRBUF_INIT;
	const char *name = o->source ? o->source : "heap dump";

	/* node numbers of the selected tree nodes */
	uint32_t *num = cprof_xmalloc(cprof_st_mult(g->ntree ? g->ntree : 1, sizeof(uint32_t)));
	memset(num, 0xff, g->ntree * sizeof(uint32_t));
	for (size_t i = 0; i < n; i++)
		num[sel[i]] = (uint32_t)i;

	strbuf_addstr(out, "digraph \"");
	dot_escape(name, out);
	strbuf_addstr(out, "\" {\nnode [style=filled fillcolor=\"#f8f8f8\"]\n");
	dot_escape(name, &t);
	strbuf_addf(&lab, "File: %s\\lType: retained_space\\lHeap: ", t.buf);
	bytes(total, &lab);
	strbuf_addf(&lab, " in %zu objects\\lReachable: ", d->nobj);
	bytes(g->reachable_bytes, &lab);
	strbuf_addstr(&lab, " (");
	pct(g->reachable_bytes, total, &lab);
	strbuf_addstr(&lab, ")\\lShowing nodes retaining at least ");
	bytes(min, &lab);
	strbuf_addf(&lab, " (%g%%), %zu of %u nodes\\lEach node retains what it dominates\\l", 100 * frac, n,
		    g->ntree);
	strbuf_addf(out, "subgraph cluster_L { \"File: %s\" [shape=box fontsize=16 label=\"%s\" tooltip=\"%s\"] }\n",
		    t.buf, lab.buf, t.buf);

	for (size_t i = 0; i < n; i++) {
		const struct cprof_heaptree_node *x = &g->tree[sel[i]];
		double share = total ? (double)x->bytes / (double)total : 0;
		char fill[8], edge[8];
		dot_color(share, true, fill);
		dot_color(share, false, edge);
		strbuf_reset(&t);
		dot_escape(sel[i] ? g->tree_name[x->name] : "[heap]", &t);
		strbuf_addf(out, "N%zu [label=\"%s\\nretains ", i, t.buf);
		bytes(x->bytes, out);
		strbuf_addstr(out, " (");
		pct(x->bytes, total, out);
		strbuf_addf(out, ")\\n%" PRIu64 " object%s", x->count, x->count == 1 ? "" : "s");
		if (x->self_bytes && x->self_bytes != x->bytes) {
			strbuf_addstr(out, "\\nown ");
			bytes(x->self_bytes, out);
		}
		strbuf_addf(out, "\" id=\"node%zu\" fontsize=%d shape=box tooltip=\"%s (", i,
			    (int)(8 + 24 * sqrt(share) + 0.5), t.buf);
		bytes(x->bytes, out);
		strbuf_addf(out, ")\" color=\"%s\" fillcolor=\"%s\"]\n", edge, fill);
	}
	for (size_t i = 1; i < n; i++) {
		const struct cprof_heaptree_node *x = &g->tree[sel[i]];
		uint32_t from = num[x->parent];
		if (from == CPROF_NONE)
			continue;
		double share = total ? (double)x->bytes / (double)total : 0;
		char color[8];
		dot_color(share, false, color);
		strbuf_addf(out, "N%u -> N%zu [label=\" ", from, i);
		bytes(x->bytes, out);
		strbuf_addf(out, "\" weight=%d penwidth=%d color=\"%s\" tooltip=\"", (int)(1 + 100 * share),
			    (int)(1 + 5 * share), color);
		strbuf_reset(&t);
		dot_escape(x->parent ? g->tree_name[g->tree[x->parent].name] : "[heap]", &t);
		strbuf_addf(out, "%s -> ", t.buf);
		strbuf_reset(&t);
		dot_escape(g->tree_name[x->name], &t);
		strbuf_addf(out, "%s (", t.buf);
		bytes(x->bytes, out);
		strbuf_addstr(out, ")\"]\n");
	}
	strbuf_addstr(out, "}\n");
	free(num);
	free(sel);
	strbuf_release(&t);
	strbuf_release(&lab);
}

int cprof_heapdump_render_svg(const struct cprof_heapgraph *g, const struct cprof_heapdump_report_opts *o,
			      struct strbuf *out, struct cprof_error *err)
{
	struct strbuf text = STRBUF_INIT;
	cprof_heapdump_render_dot(g, o, &text);
	Agraph_t *ag = agmemread(text.buf);
	strbuf_release(&text);
	if (!ag)
		return cprof_error_set(err, CPROF_E_UNSUPPORTED, "graphviz cannot read the retainers' graph");
	int rc = graphviz_render_graph(ag, "svg", out, err);
	agclose(ag);
	return rc;
}
