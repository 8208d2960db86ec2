/*
 * tree.c - the -tree and -peek=regex reports (Go 1.19 pprof's printTree):
 * the text call graph, every node with its callers above and its callees
 * below.
 *
 *   Showing nodes accounting for 1.12s, 100% of 1.12s total
 *   ----------------------------------------------------------+-------------
 *         flat  flat%   sum%        cum   cum%   calls calls% + context 	 	 
 *   ----------------------------------------------------------+-------------
 *                                                1.01s   100% |   line2000 (inline)
 *        0.01s  0.89%  0.89%      1.01s 90.18%                | line2001
 *                                                   1s 99.01% |   line1000
 *   ----------------------------------------------------------+-------------
 *
 * The legend ends in " \t \t " (pprof's literal). Node lines are
 * "%10s %s %s %10s %s                | %s" (flat, flat%, running sum%,
 * cum, cum%, name); edge lines "%50s %s |   %s%s" (weight, its share of
 * the node's cum, the other end, " (inline)"). Edges are sorted by
 * |weight|, then caller name, then callee name. Edge weights are the raw
 * sums, not divided by the -mean divisor, exactly as pprof prints them.
 *
 * -peek prints only the nodes whose printable name matches the regex (the
 * running sum% then adds up the printed nodes only) and fails with
 * "no matches found for regexp: <re>" when none does. The command layer
 * turns trimming off for -peek, as pprof does.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/units.h"
#include "render/report_graph.h"

static const char separator[] = "----------------------------------------------------------+-------------";
static const char legend[] = "      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t ";

/* Go's "%*s": pad on the left to width runes (fmt counts runes, not bytes). */
static void add_padded(struct strbuf *out, const char *s, size_t width)
{
	size_t runes = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		runes += (*p & 0xC0) != 0x80;
	if (runes < width)
		strbuf_addchars(out, ' ', width - runes);
	strbuf_addstr(out, s);
}

static void edge_line(const struct cprof_report *rpt, const struct cprof_edge *e,
		      const struct cprof_node *other, int64_t cum, struct strbuf *tmp,
		      struct strbuf *out)
{
	add_padded(out, report_value_str(rpt, e->weight, tmp), 50);
	strbuf_addch(out, ' ');
	cprof_percentage(e->weight, cum, out);
	strbuf_addf(out, " |   %s%s\n", other->printable, e->inline_ ? " (inline)" : "");
}

/* The node's edges (in or out), sorted as pprof's EdgeMap.Sort, in a fresh array. */
static struct cprof_edge **sorted_edges(struct cprof_edge **e, size_t n)
{
	struct cprof_edge **v = cprof_xmalloc(cprof_st_mult(n ? n : 1, sizeof(*v)));
	if (n)
		memcpy(v, e, n * sizeof(*v));
	cprof_edges_sort(v, n);
	return v;
}

int cprof_render_tree(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err)
{
	struct report_graph_mode mode = {0};
	struct trimmed_graph t;
	report_trimmed_graph(rpt, &mode, &t);
	report_select_output_unit(rpt, t.g, false);

	struct line_list labels = {0};
	report_labels(rpt, t.g, t.orig_count, t.dropped_nodes, 0, false, &labels);
	line_list_join(&labels, "\n", out);
	strbuf_addch(out, '\n');
	line_list_release(&labels);

	strbuf_addf(out, "%s\n%s\n", separator, legend);
	const struct cprof_regex *rx = rpt->opt.symbol;
	struct strbuf tmp = STRBUF_INIT;
	int64_t flat_sum = 0;
	size_t matched = 0;
	for (size_t i = 0; i < t.g->nnodes; i++) {
		const struct cprof_node *n = t.g->nodes[i];
		if (rx && !cprof_regex_match(rx, n->printable))
			continue;
		matched++;
		int64_t flat = cprof_node_flat(n), cum = cprof_node_cum(n);
		strbuf_addf(out, "%s\n", separator);

		struct cprof_edge **in = sorted_edges(n->in, n->nin);
		for (size_t j = 0; j < n->nin; j++)
			edge_line(rpt, in[j], in[j]->src, cum, &tmp, out);
		free(in);

		flat_sum = cprof_add_wrap(flat_sum, flat);
		add_padded(out, report_value_str(rpt, flat, &tmp), 10);
		strbuf_addch(out, ' ');
		cprof_percentage(flat, rpt->total, out);
		strbuf_addch(out, ' ');
		cprof_percentage(flat_sum, rpt->total, out);
		strbuf_addch(out, ' ');
		add_padded(out, report_value_str(rpt, cum, &tmp), 10);
		strbuf_addch(out, ' ');
		cprof_percentage(cum, rpt->total, out);
		strbuf_addf(out, "                | %s\n", n->printable);

		struct cprof_edge **o = sorted_edges(n->out, n->nout);
		for (size_t j = 0; j < n->nout; j++)
			edge_line(rpt, o[j], o[j]->dest, cum, &tmp, out);
		free(o);
	}
	if (t.g->nnodes > 0)
		strbuf_addf(out, "%s\n", separator);
	strbuf_release(&tmp);
	cprof_graph_free(t.g);
	if (rx && matched == 0) {
		cprof_error_set(err, CPROF_E_NOMATCH, "no matches found for regexp: %s", cprof_regex_pattern(rx));
		return -1;
	}
	return 0;
}
