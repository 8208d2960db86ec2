/*
 * traces.c - the -traces report (Go 1.19 pprof's printTraces): the
 * profile labels, then every sample with a stack, leaf first.
 *
 *   File: pprof
 *   Type: cpu
 *   -----------+-------------------------------------------------------
 *         key1:  tag1 tag2
 *        bytes:  1kB
 *        1.10s   line1000 (inline)
 *                line2000
 *   -----------+-------------------------------------------------------
 *
 * String labels ("%10s:  %s", values of a key joined by spaces) are
 * sorted as whole lines, then numeric labels likewise, each value
 * auto-scaled in its key's unit. Only the first frame shows the value;
 * every frame but the outermost line of its location is " (inline)".
 * The value is not scaled to a common report unit (no selectOutputUnit).
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/transform.h"
#include "cprof/units.h"
#include "render/report_graph.h"

static const char separator[] = "-----------+-------------------------------------------------------";

static int by_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lines "%10s:  v1 v2..." for the string (numeric=false) or numeric labels of s. */
static void label_lines(const struct cprof_label_unit *units, size_t nunits,
			const struct cprof_sample *s, bool numeric, struct strbuf *out)
{
	struct line_list lines = {0};
	struct strbuf sb = STRBUF_INIT;
	/* keys in first-seen order; values of a key in file order (Go's map of slices) */
	for (uint32_t i = 0; i < s->nlabel; i++) {
		const struct cprof_label *l = &s->label[i];
		if ((l->str == NULL) != numeric)
			continue;
		bool seen = false;
		for (uint32_t j = 0; j < i && !seen; j++)
			seen = (s->label[j].str == NULL) == numeric && !strcmp(s->label[j].key, l->key);
		if (seen)
			continue;
		const char *unit = "";
		if (numeric) {
			const char *u = cprof_label_unit_find(units, nunits, l->key);
			if (u)
				unit = u;
		}
		strbuf_reset(&sb);
		strbuf_addpad(&sb, l->key, 10);
		strbuf_addstr(&sb, ":  ");
		bool first = true;
		for (uint32_t j = i; j < s->nlabel; j++) {
			const struct cprof_label *m = &s->label[j];
			if ((m->str == NULL) != numeric || strcmp(m->key, l->key))
				continue;
			if (!first)
				strbuf_addch(&sb, ' ');
			first = false;
			if (numeric)
				cprof_unit_label(m->num, unit, &sb);
			else
				strbuf_addstr(&sb, m->str);
		}
		strbuf_addch(&sb, '\n');
		line_list_add(&lines, sb.buf);
	}
	if (lines.n > 1)
		qsort(lines.v, lines.n, sizeof(*lines.v), by_line);
	line_list_join(&lines, "", out);
	line_list_release(&lines);
	strbuf_release(&sb);
}

int cprof_render_traces(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err)
{
	(void)err;
	const struct cprof_profile *p = rpt->prof;
	cprof_report_profile_labels(rpt, out);

	/* graph.CreateNodes(prof, &graph.Options{}): default options */
	struct cprof_graph_opts go = {.sample_index = rpt->opt.sample_index, .mean_index = -1,
				      .no_tags = true};
	uint32_t *first;
	struct cprof_node **nodes;
	struct cprof_graph *g = cprof_graph_location_nodes(p, &go, &first, &nodes);

	/* NumLabelUnits: the caller's, or computed once from the profile */
	const struct cprof_label_unit *units = rpt->opt.num_label_units;
	size_t nunits = rpt->opt.nnum_label_units;
	struct cprof_label_unit *own = NULL;
	if (!units) {
		nunits = cprof_profile_num_label_units(rpt->prof, &own, NULL);
		units = own;
	}

	struct strbuf val = STRBUF_INIT;
	for (size_t si = 0; si < p->nsample; si++) {
		if ((si & 4095) == 0 && cprof_interrupted())
			break; /* the caller reports it */
		const struct cprof_sample *s = &p->sample[si];
		size_t depth = 0;
		for (uint32_t i = 0; i < s->nloc; i++)
			if (s->loc[i] < p->nlocation)
				depth += first[s->loc[i] + 1] - first[s->loc[i]];
		if (!depth)
			continue;

		strbuf_addstr(out, separator);
		strbuf_addch(out, '\n');
		label_lines(units, nunits, s, false, out);
		label_lines(units, nunits, s, true, out);

		int idx = rpt->opt.sample_index;
		int64_t v = (idx >= 0 && (size_t)idx < p->nsample_type) ? s->value[idx] : 0;
		int64_t d = (rpt->opt.mean && p->nsample_type) ? s->value[0] : 0;
		if (d != 0)
			v = cprof_div_wrap(v, d);
		bool top = true;
		for (uint32_t i = 0; i < s->nloc; i++) {
			uint32_t l = s->loc[i];
			if (l >= p->nlocation)
				continue;
			for (uint32_t k = first[l]; k < first[l + 1]; k++) {
				strbuf_addf(out, "%10s   %s%s\n", top ? report_value_str(rpt, v, &val) : "",
					    nodes[k]->printable, k != first[l + 1] - 1 ? " (inline)" : "");
				top = false;
			}
		}
		cprof_report_spill(rpt, out);
	}
	strbuf_addstr(out, separator);
	strbuf_addch(out, '\n');
	strbuf_release(&val);
	free(own);
	free(first);
	free(nodes);
	cprof_graph_free(g);
	return 0;
}
