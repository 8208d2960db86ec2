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
 * ' ', AlignRight), emulated below. Amounts are measurement.Scale of the
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

/* ---- Go's text/tabwriter --------------------------------------------------------- */

/*
 * The subset of text/tabwriter that pprof's writers use: cells end at a
 * tab, a line that holds a single cell flushes the pending block, a
 * column's width is the widest cell of the run of consecutive lines that
 * have that column, plus padding; the last cell of a line takes no part
 * in alignment. Widths count runes (utf8.RuneCount), as Go does.
 */
struct tw_cell {
	size_t off, size, width;
};

struct tabwriter {
	const char *text;
	struct tw_cell *cells;
	size_t ncells, acells;
	size_t *line_first; /* first cell of each line; line i has cells [first[i], first[i+1]) */
	size_t nlines, alines;
	size_t *widths;
	size_t nwidths, awidths;
	size_t minwidth, padding;
	bool align_right;
	struct strbuf *out;
};

static size_t tw_line_len(const struct tabwriter *w, size_t line)
{
	size_t end = line + 1 < w->nlines ? w->line_first[line + 1] : w->ncells;
	return end - w->line_first[line];
}

static void tw_write_lines(struct tabwriter *w, size_t line0, size_t line1)
{
	for (size_t i = line0; i < line1; i++) {
		size_t n = tw_line_len(w, i);
		for (size_t j = 0; j < n; j++) {
			const struct tw_cell *c = &w->cells[w->line_first[i] + j];
			size_t pad = j < w->nwidths && w->widths[j] > c->width ? w->widths[j] - c->width : 0;
			if (c->size == 0) {
				strbuf_addchars(w->out, ' ', pad);
			} else if (w->align_right) {
				strbuf_addchars(w->out, ' ', pad);
				strbuf_add(w->out, w->text + c->off, c->size);
			} else {
				strbuf_add(w->out, w->text + c->off, c->size);
				strbuf_addchars(w->out, ' ', pad);
			}
		}
		strbuf_addch(w->out, '\n');
	}
}

/* Go's Writer.format: align column `column` over [line0, line1) and recurse to the right. */
static void tw_format(struct tabwriter *w, size_t line0, size_t line1)
{
	size_t column = w->nwidths;
	for (size_t this = line0; this < line1; this++) {
		if (column + 1 >= tw_line_len(w, this))
			continue;
		tw_write_lines(w, line0, this);
		line0 = this;
		size_t width = w->minwidth;
		for (; this < line1; this++) {
			if (column + 1 >= tw_line_len(w, this))
				break;
			size_t cw = w->cells[w->line_first[this] + column].width + w->padding;
			if (cw > width)
				width = cw;
		}
		ALLOC_GROW(w->widths, w->nwidths + 1, w->awidths);
		w->widths[w->nwidths++] = width;
		tw_format(w, line0, this);
		w->nwidths--;
		line0 = this;
	}
	tw_write_lines(w, line0, line1);
}

static void tw_flush(struct tabwriter *w)
{
	tw_format(w, 0, w->nlines);
	w->ncells = w->nlines = 0;
}

/* Run text (every line ending in '\n') through the tabwriter into out. */
static void tabwriter_text(const char *text, size_t len, size_t minwidth, size_t padding,
			   bool align_right, struct strbuf *out)
{
	struct tabwriter w = {.text = text, .minwidth = minwidth, .padding = padding,
			      .align_right = align_right, .out = out};
	size_t start = 0, width = 0, line_cells = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)text[i];
		if (ch != '\t' && ch != '\v' && ch != '\n' && ch != '\f') {
			width += (ch & 0xC0) != 0x80;
			continue;
		}
		if (line_cells == 0) {
			ALLOC_GROW(w.line_first, w.nlines + 1, w.alines);
			w.line_first[w.nlines++] = w.ncells;
		}
		ALLOC_GROW(w.cells, w.ncells + 1, w.acells);
		w.cells[w.ncells++] = (struct tw_cell){start, i - start, width};
		line_cells++;
		start = i + 1;
		width = 0;
		if (ch == '\n' || ch == '\f') {
			if (ch == '\f' || line_cells == 1)
				tw_flush(&w);
			line_cells = 0;
		}
	}
	if (line_cells)
		tw_flush(&w);
	if (start < len) /* an unterminated last line */
		strbuf_add(out, text + start, len - start);
	free(w.cells);
	free(w.line_first);
	free(w.widths);
}

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
	tabwriter_text(text.buf, text.len, 0, 1, true, out);

	strbuf_release(&text);
	strbuf_release(&pct);
	strbuf_release(&sb);
	free(e);
	cprof_strtab_release(&strs);
	cprof_arena_release(&arena);
	return 0;
}
