/*
 * tabwriter.c - Go's text/tabwriter, byte for byte (see tabwriter.h).
 *
 * The text is cut into cells at '\t', '\v', '\n' and '\f'; a line ends at
 * '\n' or '\f'. A column's width is the widest cell (in runes, as
 * utf8.RuneCount counts them, plus padding) of the run of consecutive
 * lines that have that column; the last cell of a line takes no part in
 * alignment. A line of a single cell, or a '\f', flushes what is pending
 * (no column runs across it). Go's Escape byte, 0xff, starts a segment
 * that runs to the next 0xff (or to the flush): its bytes, the two 0xff
 * included, are copied as they are, tabs and newlines too, and its width
 * is its runes without the two escapes. So a name holding a 0xff byte
 * changes the layout of what follows it, in pprof as here.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/util.h"
#include "render/tabwriter.h"

#define ESCAPE 0xff

struct cell {
	size_t off, size;
	long width; /* may go below 0: a lone escape counts -1 */
};

struct tw {
	const struct go_tabwriter *o;
	const char *text;
	struct cell *cells;
	size_t ncells, acells;
	size_t *first; /* line i holds cells [first[i], first[i + 1]); the last line to ncells */
	size_t nlines, alines;
	long *widths;
	size_t nwidths, awidths;
	struct strbuf *out;
};

static size_t line_cells(const struct tw *t, size_t i)
{
	return (i + 1 < t->nlines ? t->first[i + 1] : t->ncells) - t->first[i];
}

static void add_line(struct tw *t)
{
	ALLOC_GROW(t->first, t->nlines + 1, t->alines);
	t->first[t->nlines++] = t->ncells;
}

static void pad(struct tw *t, long textw, long cellw)
{
	const struct go_tabwriter *o = t->o;
	if (o->padchar == '\t') {
		if (o->tabwidth == 0)
			return;
		long tw = (long)o->tabwidth;
		cellw = (cellw + tw - 1) / tw * tw;
		long n = cellw - textw;
		strbuf_addchars(t->out, '\t', n > 0 ? (size_t)((n + tw - 1) / tw) : 0);
		return;
	}
	if (cellw > textw)
		strbuf_addchars(t->out, o->padchar, (size_t)(cellw - textw));
}

static void write_lines(struct tw *t, size_t line0, size_t line1)
{
	for (size_t i = line0; i < line1; i++) {
		size_t n = line_cells(t, i);
		for (size_t j = 0; j < n; j++) {
			const struct cell *c = &t->cells[t->first[i] + j];
			bool col = j < t->nwidths;
			if (c->size == 0) {
				if (col)
					pad(t, c->width, t->widths[j]);
			} else if (t->o->align_right) {
				if (col)
					pad(t, c->width, t->widths[j]);
				strbuf_add(t->out, t->text + c->off, c->size);
			} else {
				strbuf_add(t->out, t->text + c->off, c->size);
				if (col)
					pad(t, c->width, t->widths[j]);
			}
		}
		/* the last line has no newline of its own: it is the one being written */
		if (i + 1 < t->nlines)
			strbuf_addch(t->out, '\n');
	}
}

/* Writer.format: lay out column nwidths over [line0, line1), the columns to its right recursively. */
static void format(struct tw *t, size_t line0, size_t line1)
{
	size_t column = t->nwidths;
	for (size_t this = line0; this < line1; this++) {
		if (column + 1 >= line_cells(t, this))
			continue;
		write_lines(t, line0, this);
		line0 = this;
		long width = (long)t->o->minwidth;
		for (; this < line1 && column + 1 < line_cells(t, this); this++) {
			long w = t->cells[t->first[this] + column].width + (long)t->o->padding;
			if (w > width)
				width = w;
		}
		ALLOC_GROW(t->widths, t->nwidths + 1, t->awidths);
		t->widths[t->nwidths++] = width;
		format(t, line0, this);
		t->nwidths--;
		line0 = this;
	}
	write_lines(t, line0, line1);
}

static void flush(struct tw *t)
{
	format(t, 0, t->nlines);
	t->ncells = t->nlines = 0;
	add_line(t);
}

void go_tabwriter_write(const struct go_tabwriter *o, const char *text, size_t len, struct strbuf *out)
{
	struct tw t = {.o = o, .text = text, .out = out};
	size_t start = 0;   /* the current cell's first byte */
	size_t counted = 0; /* text[start..counted) is in width */
	long width = 0;
	bool escaped = false;

	add_line(&t);
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)text[i];
		if (escaped) {
			if (ch == ESCAPE) {
				width += (long)cprof_utf8_runes(text + counted, i + 1 - counted) - 2;
				counted = i + 1;
				escaped = false;
			}
			continue;
		}
		if (ch == ESCAPE) {
			width += (long)cprof_utf8_runes(text + counted, i - counted);
			counted = i;
			escaped = true;
			continue;
		}
		if (ch != '\t' && ch != '\v' && ch != '\n' && ch != '\f')
			continue;
		width += (long)cprof_utf8_runes(text + counted, i - counted);
		ALLOC_GROW(t.cells, t.ncells + 1, t.acells);
		t.cells[t.ncells++] = (struct cell){start, i - start, width};
		start = counted = i + 1;
		width = 0;
		if (ch == '\n' || ch == '\f') {
			size_t n = line_cells(&t, t.nlines - 1);
			add_line(&t);
			if (ch == '\f' || n == 1)
				flush(&t);
		}
	}
	/* Flush(): the pending cell ends (an open escape with it) */
	if (len > start) {
		width += (long)cprof_utf8_runes(text + counted, len - counted) - (escaped ? 2 : 0);
		ALLOC_GROW(t.cells, t.ncells + 1, t.acells);
		t.cells[t.ncells++] = (struct cell){start, len - start, width};
	}
	format(&t, 0, t.nlines);
	free(t.cells);
	free(t.first);
	free(t.widths);
}
