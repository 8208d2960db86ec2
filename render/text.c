/*
 * text.c - the -text and -top reports (pprof's printText over TextItems).
 *
 *   <report labels, one per line>
 *         flat  flat%   sum%        cum   cum%
 *        1.10s 98.21% 98.21%      1.10s 98.21%  line1000
 *            0     0%   100%      1.01s 90.18%  line2000 (inline)
 *
 * Header "%10s %5s%% %5s%% %10s %5s%%"; rows "%10s %s %s %10s %s  %s%s":
 * flat, flat%, running sum%, cum, cum%, name, then " (inline)" when every
 * incoming edge is inlined or " (partial-inline)" when only some are.
 */
#include "render/report_graph.h"
#include "cprof/units.h"

int cprof_render_text(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err)
{
	(void)err;
	struct report_graph_mode mode = {0};
	struct trimmed_graph t;
	report_trimmed_graph(rpt, &mode, &t);
	report_select_output_unit(rpt, t.g, false);

	struct line_list labels = {0};
	report_labels(rpt, t.g, t.orig_count, t.dropped_nodes, 0, false, &labels);
	line_list_join(&labels, "\n", out);
	strbuf_addch(out, '\n');
	line_list_release(&labels);

	strbuf_addf(out, "%10s %5s%% %5s%% %10s %5s%%\n", "flat", "flat", "sum", "cum", "cum");
	struct strbuf flat = STRBUF_INIT, cum = STRBUF_INIT;
	int64_t flat_sum = 0;
	for (size_t i = 0; i < t.g->nnodes; i++) {
		const struct cprof_node *n = t.g->nodes[i];
		bool inl = false, noinl = false;
		for (size_t j = 0; j < n->nin; j++) {
			if (n->in[j]->inline_)
				inl = true;
			else
				noinl = true;
		}
		int64_t fv = cprof_node_flat(n), cv = cprof_node_cum(n);
		flat_sum = cprof_add_wrap(flat_sum, fv);
		strbuf_addf(out, "%10s ", report_value_str(rpt, fv, &flat));
		cprof_percentage(fv, rpt->total, out);
		strbuf_addch(out, ' ');
		cprof_percentage(flat_sum, rpt->total, out);
		strbuf_addf(out, " %10s ", report_value_str(rpt, cv, &cum));
		cprof_percentage(cv, rpt->total, out);
		strbuf_addf(out, "  %s%s\n", n->printable,
			    inl ? (noinl ? " (partial-inline)" : " (inline)") : "");
	}
	strbuf_release(&flat);
	strbuf_release(&cum);
	cprof_graph_free(t.g);
	return 0;
}
