/*
 * flame_diff.c - `cprof diff -flame`: a differential flame graph as one
 * static, self-contained SVG (no script).
 *
 *   <svg ... width="1200" height="H" data-unit="nanoseconds">
 *     <text id="title">Differential Flame Graph</text> <text id="subtitle">...</text>
 *     <g id="frames">
 *       <g class="f" data-base="546000000" data-new="546000000"><title>all (base 546ms, new 546ms, delta 0)</title>
 *         <rect x="10.00" y="..." width="1180.00" height="15" fill="rgb(224,224,224)"/><text ...>all</text></g>
 *       ...
 *
 * The layout is the one of -flame (render/flame.c): root at the bottom,
 * children left to right by name, 16 pixel rows, the same margins and
 * font. Frames are the merged stacks of the new side, each as wide as its
 * new value (mean of the new runs, normalized like the table); frames
 * narrower than 0.1 pixel are left out. The colour says how the frame's
 * value moved from the base side: red when it grew, blue when it shrank,
 * the deeper the larger the change relative to the largest change of the
 * graph, grey when it did not move. Code that vanished in the new runs
 * has no width here; the table and -json list it under "gone".
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/diff.h"
#include "cprof/units.h"

enum {
	IMAGE_WIDTH = 1200,
	X_PAD = 10,
	FRAME_HEIGHT = 16,
	TOP = 50,
	BOTTOM = 16,
};
#define CHAR_WIDTH 7.3
#define MIN_WIDTH 0.1

static void add_escaped(struct strbuf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len && s[i]; i++) {
		switch (s[i]) {
		case '<': strbuf_addstr(out, "&lt;"); break;
		case '>': strbuf_addstr(out, "&gt;"); break;
		case '&': strbuf_addstr(out, "&amp;"); break;
		case '"': strbuf_addstr(out, "&quot;"); break;
		default:
			if ((unsigned char)s[i] < 0x20)
				strbuf_addch(out, ' ');
			else
				strbuf_addch(out, s[i]);
		}
	}
}

/* The label inside a frame: the name, cut with ".." to fit, or nothing. */
static void add_fitted(struct strbuf *out, const char *name, double width)
{
	long n = (long)floor((width - 6) / CHAR_WIDTH);
	size_t len = strlen(name);
	if (n < 3)
		return;
	if ((size_t)n >= len) {
		add_escaped(out, name, len);
		return;
	}
	size_t cut = (size_t)n - 2;
	while (cut > 0 && ((unsigned char)name[cut] & 0xc0) == 0x80)
		cut--; /* not inside a UTF-8 sequence */
	add_escaped(out, name, cut);
	strbuf_addstr(out, "..");
}

static void add_fill(struct strbuf *out, double delta, double max_delta)
{
	if (delta == 0 || max_delta == 0) {
		strbuf_addstr(out, "rgb(224,224,224)");
		return;
	}
	double t = fabs(delta) / max_delta;
	int pale = (int)lround(225 - 185 * (t > 1 ? 1 : t));
	if (delta > 0)
		strbuf_addf(out, "rgb(255,%d,%d)", pale, pale);
	else
		strbuf_addf(out, "rgb(%d,%d,255)", pale, pale);
}

void cprof_diff_render_flame(const struct cprof_diff *d, struct strbuf *out)
{
	double total = d->nframe ? d->frame[0].new_ : 0;
	double scale = total > 0 ? (IMAGE_WIDTH - 2 * X_PAD) / total : 0;
	double max_delta = 0;
	uint32_t depth = 0;
	/* per frame: its x, and where its next child starts */
	double *x = cprof_xcalloc(d->nframe ? d->nframe : 1, sizeof(*x));
	double *next = cprof_xcalloc(d->nframe ? d->nframe : 1, sizeof(*next));
	bool *drawn = cprof_xcalloc(d->nframe ? d->nframe : 1, sizeof(*drawn));
	struct strbuf v = STRBUF_INIT;

	for (size_t i = 0; i < d->nframe; i++) {
		const struct cprof_diff_frame *f = &d->frame[i];
		double w = f->new_ > 0 ? f->new_ * scale : 0;
		if (i == 0) {
			x[i] = X_PAD;
			drawn[i] = w >= MIN_WIDTH;
		} else {
			x[i] = next[f->parent];
			next[f->parent] += w;
			drawn[i] = drawn[f->parent] && w >= MIN_WIDTH;
		}
		next[i] = x[i];
		if (drawn[i]) {
			if (f->depth > depth)
				depth = f->depth;
			if (fabs(f->new_ - f->base) > max_delta && i != 0)
				max_delta = fabs(f->new_ - f->base);
		}
	}
	int height = TOP + (int)(depth + 1) * FRAME_HEIGHT + BOTTOM;

	strbuf_addf(out,
		    "<?xml version=\"1.0\" standalone=\"no\"?>\n"
		    "<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		    "viewBox=\"0 0 %d %d\" data-unit=\"",
		    IMAGE_WIDTH, height, IMAGE_WIDTH, height);
	add_escaped(out, d->unit, strlen(d->unit));
	strbuf_addstr(out, "\">\n<style>\n"
			   "text { font-family: monospace; font-size: 12px; fill: #000; }\n"
			   "#title { font-size: 17px; text-anchor: middle; }\n"
			   "#subtitle { fill: #555; text-anchor: middle; }\n"
			   "g.f:hover rect { stroke: #000; stroke-width: 0.6; }\n"
			   "</style>\n");
	strbuf_addf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", IMAGE_WIDTH,
		    height);
	strbuf_addf(out, "<text id=\"title\" x=\"%d\" y=\"22\">Differential Flame Graph</text>\n",
		    IMAGE_WIDTH / 2);
	strbuf_addf(out, "<text id=\"subtitle\" x=\"%d\" y=\"40\">", IMAGE_WIDTH / 2);
	strbuf_addf(out, "Type: ");
	add_escaped(out, d->sample_type, strlen(d->sample_type));
	strbuf_addf(out, ", %s%s, width: new (%zu run%s), colour: red grew, blue shrank vs base (%zu run%s)</text>\n",
		    d->opts.metric == CPROF_DIFF_CUM ? "cum" : "flat",
		    d->opts.normalize ? ", normalized" : "", d->nnew, d->nnew == 1 ? "" : "s", d->nbase,
		    d->nbase == 1 ? "" : "s");
	strbuf_addstr(out, "<g id=\"frames\">\n");
	for (size_t i = 0; i < d->nframe; i++) {
		const struct cprof_diff_frame *f = &d->frame[i];
		if (!drawn[i])
			continue;
		double w = f->new_ * scale;
		double y = height - BOTTOM - (double)(f->depth + 1) * FRAME_HEIGHT;
		strbuf_addstr(out, "<g class=\"f\" data-base=\"");
		strbuf_addf(out, "%.0f\" data-new=\"%.0f\"><title>", f->base, f->new_);
		add_escaped(out, f->name, strlen(f->name));
		strbuf_reset(&v);
		strbuf_addstr(&v, " (base ");
		cprof_diff_value_label(d, f->base, false, &v);
		strbuf_addstr(&v, ", new ");
		cprof_diff_value_label(d, f->new_, false, &v);
		strbuf_addstr(&v, ", delta ");
		cprof_diff_value_label(d, f->new_ - f->base, true, &v);
		if (f->base != 0)
			strbuf_addf(&v, ", %+.1f%%", 100 * (f->new_ - f->base) / fabs(f->base));
		strbuf_addstr(&v, ")");
		add_escaped(out, v.buf, v.len);
		strbuf_addf(out, "</title><rect x=\"%.2f\" y=\"%.0f\" width=\"%.2f\" height=\"%d\" fill=\"", x[i], y,
			    w, FRAME_HEIGHT - 1);
		add_fill(out, i == 0 ? 0 : f->new_ - f->base, max_delta);
		strbuf_addf(out, "\"/><text x=\"%.2f\" y=\"%.0f\">", x[i] + 3, y + 11.5);
		add_fitted(out, f->name, w);
		strbuf_addstr(out, "</text></g>\n");
	}
	strbuf_addstr(out, "</g>\n</svg>\n");
	strbuf_release(&v);
	free(x);
	free(next);
	free(drawn);
}
