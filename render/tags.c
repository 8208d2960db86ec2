/*
 * tags.c - the -tags report in Go 1.19 pprof's layout (printTags): the
 * sample value summed per label key and value.
 *
 *    key1: Total 1.1s
 *          1.0s (89.29%): tag1
 *        100.0ms ( 8.93%): tag2
 *
 * (then an empty line after each key). What is printed:
 *
 *   "%s:\t Total %.1f%s\n"           per key, keys sorted by name
 *   " \t%.1f%s (%s):\t %s\n"         per value, by |value| desc then name
 *   " \t%.1f%s:\t %s\n"              the same when the key's total is <= 0
 *   "\n"
 *
 * through Go's text/tabwriter (minwidth 0, tabwidth 0, padding 1, pad
 * ' ', AlignRight; render/tabwriter.c), which also gives a 0xff byte in
 * a label its meaning there (an escape). Amounts are measurement.Scale of the
 * raw sample values (no -mean divisor, no -divide_by) to the -unit as
 * given ("minimum" picks a unit per amount). Numeric label values become
 * strings first, ScaledLabel(v, unit of the key, -unit), so values that
 * print alike are summed together, as in pprof's map. pprof HEAD prints
 * "Total <v> of <total> (<pct>)" instead; Go 1.19 is the reference here.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/units.h"
#include "render/report_graph.h"
#include "render/tabwriter.h"

/* ---- the report ------------------------------------------------------------------ */

struct tag_entry {
	const char *key, *value;
	int64_t weight;
};

static int by_key_value(const void *a, const void *b)
{
	const struct tag_entry *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->value, y->value);
}

/* graph.SortTags(flat): |weight| desc, then name. */
static int by_weight_name(const void *a, const void *b)
{
	const struct tag_entry *x = a, *y = b;
	if (x->weight != y->weight) {
		int64_t ax = cprof_abs64(x->weight), ay = cprof_abs64(y->weight);
		if (ax != ay)
			return ax > ay ? -1 : 1;
		/* Go's Less says neither is smaller: fall back to the name */
	}
	return strcmp(x->value, y->value);
}

static void add_amount(const struct cprof_report *rpt, int64_t v, struct strbuf *out)
{
	const char *unit;
	double f = cprof_unit_scale(v, rpt->opt.sample_unit, rpt->opt.output_unit, &unit);
	strbuf_addf(out, "%.1f%s", f, unit);
}

int cprof_render_tags(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err)
{
	(void)err;
	const struct cprof_profile *p = rpt->prof;
	int si = rpt->opt.sample_index;
	struct cprof_arena arena;
	struct cprof_strtab strs;
	cprof_arena_init(&arena);
	cprof_strtab_init(&strs, &arena);

	/* one entry per label value of every sample, then sorted and summed */
	struct tag_entry *e = NULL;
	size_t n = 0, alloc = 0;
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < p->nsample; i++) {
		const struct cprof_sample *s = &p->sample[i];
		int64_t v = (si >= 0 && (size_t)si < p->nsample_type) ? s->value[si] : 0;
		for (uint32_t j = 0; j < s->nlabel; j++) {
			const struct cprof_label *l = &s->label[j];
			const char *value = l->str;
			if (!value) {
				const char *unit = report_num_label_unit(rpt, l->key);
				strbuf_reset(&sb);
				cprof_scaled_label(l->num, unit ? unit : "", rpt->opt.output_unit, &sb);
				value = cprof_strtab_intern(&strs, sb.buf, sb.len);
			}
			ALLOC_GROW(e, n + 1, alloc);
			e[n++] = (struct tag_entry){l->key, value, v};
		}
	}
	if (n)
		qsort(e, n, sizeof(*e), by_key_value);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (m && !strcmp(e[m - 1].key, e[i].key) && !strcmp(e[m - 1].value, e[i].value))
			e[m - 1].weight = cprof_add_wrap(e[m - 1].weight, e[i].weight);
		else
			e[m++] = e[i];
	}

	struct strbuf text = STRBUF_INIT, pct = STRBUF_INIT;
	for (size_t k = 0; k < m;) {
		size_t end = k;
		int64_t total = 0;
		while (end < m && !strcmp(e[end].key, e[k].key))
			total = cprof_add_wrap(total, e[end++].weight);
		strbuf_addf(&text, "%s:\t Total ", e[k].key);
		add_amount(rpt, total, &text);
		strbuf_addch(&text, '\n');
		qsort(e + k, end - k, sizeof(*e), by_weight_name);
		for (size_t i = k; i < end; i++) {
			strbuf_addstr(&text, " \t");
			add_amount(rpt, e[i].weight, &text);
			if (total > 0) {
				strbuf_reset(&pct);
				cprof_percentage(e[i].weight, total, &pct);
				strbuf_addf(&text, " (%s)", pct.buf);
			}
			strbuf_addf(&text, ":\t %s\n", e[i].value);
		}
		strbuf_addch(&text, '\n');
		k = end;
	}
	static const struct go_tabwriter tw = {.minwidth = 0, .tabwidth = 0, .padding = 1, .padchar = ' ',
					       .align_right = true};
	go_tabwriter_write(&tw, text.buf, text.len, out);

	strbuf_release(&text);
	strbuf_release(&pct);
	strbuf_release(&sb);
	free(e);
	cprof_strtab_release(&strs);
	cprof_arena_release(&arena);
	return 0;
}
