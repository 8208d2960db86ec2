/*
 * runtime_svg.c - `cprof gctrace -svg` and `cprof schedtrace -svg`: one
 * self-contained SVG file (no scripts, no external fonts or styles) that a
 * person reads at a glance.
 *
 *   <svg xmlns="http://www.w3.org/2000/svg" width="1000" height="..." ...>
 *     <title>cprof gctrace: app.log</title>
 *     <text>612 GCs over 20.0 s · STW pause p99 0.90 ms · ...</text>   summary
 *     <g> frame, grid, ticks, legend, <polyline>/<path> per series </g>  one per panel
 *   </svg>
 *
 * gctrace panels: heap (at GC start, at GC end, live, goal, MB), STW pause
 * per GC (ms; forced GCs in red) and GC CPU per GC interval (%). schedtrace
 * panels: utilisation of the Ps (%, with each interval's diagnosis shaded
 * behind it), run queues (global, sum of local, longest local) and threads
 * (all, idle, off-P). The x axis is seconds (or
 * ms) on the log's time line, or the GC number for logs without
 * timestamps. With a base log the two logs stand side by side, each row
 * sharing its y scale so heights compare directly.
 *
 * Long logs are thinned per pixel column (its minimum and maximum kept),
 * so a day of data stays a small file and no spike is lost.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/runtime_logs.h"
#include "cprof/util.h"
#include "runtime_render.h"

enum draw { LINE, STEMS };

struct series {
	const char *name, *color, *dash;
	enum draw draw;
	double *x, *y;
	size_t n;
	const bool *hot; /* STEMS: drawn in red where set (forced GCs) */
};

/* A shaded stretch of the x axis with a word on it (a diagnosed phase). */
struct band {
	double x0, x1;
	const char *label, *color;
};

#define MAX_SERIES 5
struct panel {
	char title[96];
	double x0, x1, y0, y1;
	struct series s[MAX_SERIES];
	size_t ns;
	struct band band[CPROF_MAX_INTERVALS];
	size_t nband;
};

/* 1, 2 or 5 times a power of ten, about range/n. */
static double nice_step(double range, int n)
{
	if (!(range > 0))
		return 1;
	double raw = range / n, p = pow(10, floor(log10(raw))), f = raw / p;
	return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

static void esc(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			strbuf_addstr(out, "&amp;");
			break;
		case '<':
			strbuf_addstr(out, "&lt;");
			break;
		case '>':
			strbuf_addstr(out, "&gt;");
			break;
		case '"':
			strbuf_addstr(out, "&quot;");
			break;
		default:
			strbuf_addch(out, *s);
		}
	}
}

static void tick_label(char *buf, size_t n, double v, double step)
{
	if (step >= 1 || v == 0)
		snprintf(buf, n, "%.0f", v);
	else {
		int d = (int)ceil(-log10(step));
		snprintf(buf, n, "%.*f", d > 6 ? 6 : d, v);
	}
}

struct box {
	double l, t, w, h; /* plot area */
};

static double px(const struct box *b, const struct panel *p, double x)
{
	return b->l + (p->x1 > p->x0 ? (x - p->x0) / (p->x1 - p->x0) : 0.5) * b->w;
}

static double py(const struct box *b, const struct panel *p, double y)
{
	double f = p->y1 > p->y0 ? (y - p->y0) / (p->y1 - p->y0) : 0;
	return b->t + b->h - fmin(1, fmax(0, f)) * b->h;
}

/* A line through the points, thinned to the extremes of each pixel column. */
static void draw_line(struct strbuf *out, const struct box *b, const struct panel *p, const struct series *s)
{
	strbuf_addf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.3\"%s%s%s points=\"", s->color,
		    s->dash ? " stroke-dasharray=\"" : "", s->dash ? s->dash : "", s->dash ? "\"" : "");
	long col = LONG_MIN;
	double lo = 0, hi = 0, last = 0, first = 0;
	size_t npts = 0;
	for (size_t i = 0; i <= s->n; i++) {
		long c = i < s->n ? lround(px(b, p, s->x[i])) : LONG_MAX;
		if (i < s->n && !isfinite(s->y[i]))
			continue;
		if (c != col) {
			if (col != LONG_MIN) {
				/* flush the previous column: entry, extremes, exit */
				strbuf_addf(out, "%ld,%.1f ", col, py(b, p, first));
				if (npts > 1) {
					strbuf_addf(out, "%ld,%.1f %ld,%.1f ", col, py(b, p, lo), col, py(b, p, hi));
					strbuf_addf(out, "%ld,%.1f ", col, py(b, p, last));
				}
			}
			if (i == s->n)
				break;
			col = c;
			lo = hi = first = last = s->y[i];
			npts = 1;
		} else {
			lo = fmin(lo, s->y[i]);
			hi = fmax(hi, s->y[i]);
			last = s->y[i];
			npts++;
		}
	}
	strbuf_addstr(out, "\"/>\n");
}

/* Vertical stems from zero, the tallest per pixel column (hot ones in red). */
static void draw_stems(struct strbuf *out, const struct box *b, const struct panel *p, const struct series *s)
{
	struct strbuf hot = STRBUF_INIT;
	strbuf_addf(out, "<path stroke=\"%s\" stroke-width=\"1\" d=\"", s->color);
	long col = LONG_MIN;
	double top = 0;
	bool is_hot = false;
	double y0 = py(b, p, p->y0);
	for (size_t i = 0; i <= s->n; i++) {
		long c = i < s->n ? lround(px(b, p, s->x[i])) : LONG_MAX;
		if (i < s->n && !isfinite(s->y[i]))
			continue;
		if (c != col) {
			if (col != LONG_MIN)
				strbuf_addf(is_hot ? &hot : out, "M%ld %.1fV%.1f", col, y0, py(b, p, top));
			if (i == s->n)
				break;
			col = c;
			top = s->y[i];
			is_hot = s->hot && s->hot[i];
		} else if (s->y[i] > top) {
			top = s->y[i];
			is_hot = s->hot && s->hot[i];
		}
	}
	strbuf_addstr(out, "\"/>\n");
	if (hot.len)
		strbuf_addf(out, "<path stroke=\"#d62728\" stroke-width=\"1.5\" d=\"%s\"/>\n", hot.buf);
	strbuf_release(&hot);
}

static void draw_panel(struct strbuf *out, double left, double top, double width, double height,
		       const struct panel *p, const char *xlabel, bool legend)
{
	struct box b = {left + 58, top + 22, width - 58 - 14, height - 22 - 30};
	strbuf_addstr(out, "<g>\n");
	strbuf_addf(out, "<text x=\"%.1f\" y=\"%.1f\" font-weight=\"bold\">", b.l, top + 14);
	esc(out, p->title);
	strbuf_addstr(out, "</text>\n");
	strbuf_addf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fcfcfc\" stroke=\"#888\"/>\n",
		    b.l, b.t, b.w, b.h);
	for (size_t i = 0; i < p->nband; i++) {
		const struct band *d = &p->band[i];
		double x0 = px(&b, p, d->x0), x1 = px(&b, p, d->x1);
		strbuf_addf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" fill-opacity=\"0.13\"/>",
			    x0, b.t, x1 - x0, b.h, d->color);
		if (x1 - x0 > 7.0 * (double)strlen(d->label))
			strbuf_addf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\" fill=\"%s\" "
				    "stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\">%s</text>",
				    (x0 + x1) / 2, b.t + 26, d->color, d->label);
		strbuf_addch(out, '\n');
	}
	/* y grid and labels */
	double ys = nice_step(p->y1 - p->y0, 5);
	/* (at most 64 ticks: with huge values v += ys may not move v) */
	int nt = 0;
	for (double v = ceil(p->y0 / ys) * ys; v <= p->y1 + ys * 1e-9 && nt < 64; v += ys, nt++) {
		char lbl[32];
		double y = py(&b, p, v);
		tick_label(lbl, sizeof(lbl), v, ys);
		strbuf_addf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>", b.l, y,
			    b.l + b.w, y);
		strbuf_addf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"10\">%s</text>\n", b.l - 4,
			    y + 3.5, lbl);
	}
	/* x ticks */
	double xs = nice_step(p->x1 - p->x0, 8);
	nt = 0;
	for (double v = ceil(p->x0 / xs) * xs; v <= p->x1 + xs * 1e-9 && nt < 64; v += xs, nt++) {
		char lbl[32];
		double x = px(&b, p, v);
		tick_label(lbl, sizeof(lbl), v, xs);
		strbuf_addf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\"/>", x, b.t + b.h, x,
			    b.t + b.h + 4);
		strbuf_addf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"10\">%s</text>\n", x,
			    b.t + b.h + 15, lbl);
	}
	strbuf_addf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"10\" fill=\"#555\">", b.l + b.w,
		    b.t + b.h + 27);
	esc(out, xlabel);
	strbuf_addstr(out, "</text>\n");
	for (size_t i = 0; i < p->ns; i++) {
		if (p->s[i].draw == STEMS)
			draw_stems(out, &b, p, &p->s[i]);
		else
			draw_line(out, &b, p, &p->s[i]);
	}
	if (legend) {
		double x = b.l + b.w;
		for (size_t i = p->ns; i-- > 0;) {
			const struct series *s = &p->s[i];
			x -= 7.0 * (double)strlen(s->name) + 30;
			strbuf_addf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"%s%s%s/>",
				    x, top + 10, x + 18, top + 10, s->color, s->dash ? " stroke-dasharray=\"" : "",
				    s->dash ? s->dash : "", s->dash ? "\"" : "");
			strbuf_addf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">", x + 22, top + 14);
			esc(out, s->name);
			strbuf_addstr(out, "</text>\n");
		}
	}
	strbuf_addstr(out, "</g>\n");
}

static void series_alloc(struct series *s, size_t n)
{
	s->x = cprof_xcalloc(n + 1, sizeof(double));
	s->y = cprof_xcalloc(n + 1, sizeof(double));
	s->n = 0;
}

static void panel_free(struct panel *p)
{
	for (size_t i = 0; i < p->ns; i++) {
		free(p->s[i].x);
		free(p->s[i].y);
		free((void *)p->s[i].hot);
	}
}

static void panel_ranges(struct panel *p)
{
	p->x0 = INFINITY, p->x1 = -INFINITY, p->y0 = 0, p->y1 = -INFINITY;
	for (size_t i = 0; i < p->ns; i++)
		for (size_t j = 0; j < p->s[i].n; j++) {
			if (!isfinite(p->s[i].y[j]))
				continue;
			p->x0 = fmin(p->x0, p->s[i].x[j]);
			p->x1 = fmax(p->x1, p->s[i].x[j]);
			p->y1 = fmax(p->y1, p->s[i].y[j]);
		}
	if (!isfinite(p->x0))
		p->x0 = 0, p->x1 = 1;
	if (p->x1 <= p->x0)
		p->x1 = p->x0 + 1;
	if (!(p->y1 > 0))
		p->y1 = 1;
	p->y1 *= 1.05;
}

/* The header: title, then one summary line per log (base first, as the columns). */
static void document(struct strbuf *out, double w, double h, const char *title, const char *summary,
		     const char *bsummary)
{
	strbuf_addf(out,
		    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
		    "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n<title>",
		    w, h, w, h);
	esc(out, title);
	strbuf_addf(out, "</title>\n<rect width=\"%.0f\" height=\"%.0f\" fill=\"white\"/>\n", w, h);
	strbuf_addstr(out, "<text x=\"12\" y=\"20\" font-size=\"15\" font-weight=\"bold\">");
	esc(out, title);
	strbuf_addstr(out, "</text>\n<text x=\"12\" y=\"38\" fill=\"#333\">");
	esc(out, bsummary ? bsummary : summary);
	strbuf_addstr(out, "</text>\n");
	if (bsummary) {
		strbuf_addstr(out, "<text x=\"12\" y=\"54\" fill=\"#333\">");
		esc(out, summary);
		strbuf_addstr(out, "</text>\n");
	}
}

/* Lay out rows of panels: one column, or base | new. */
static void layout(struct strbuf *out, struct panel *cur, struct panel *base, size_t nrows, const char *xlabel,
		   const char *bxlabel, double top)
{
	double width = base ? 1400 : 1000, colw = base ? 700 : 1000, rowh = 250;
	for (size_t r = 0; r < nrows; r++) {
		if (base) {
			/* a shared y scale per row, so the two columns compare directly */
			double y1 = fmax(cur[r].y1, base[r].y1);
			cur[r].y1 = base[r].y1 = y1;
			draw_panel(out, 0, top + rowh * (double)r, colw, rowh, &base[r], bxlabel, true);
			draw_panel(out, colw, top + rowh * (double)r, colw, rowh, &cur[r], xlabel, true);
		} else {
			draw_panel(out, 0, top + rowh * (double)r, width, rowh, &cur[r], xlabel, true);
		}
	}
	strbuf_addstr(out, "</svg>\n");
}

/* ---- gctrace ---- */

#define GC_ROWS 3

/*
 * One point per run of GCs (src/runtime/gcstats.c): per GC while the log
 * has few enough, then the largest figure of each run of neighbours.
 */
static void gc_panels(const struct cprof_gclog *log, const struct cprof_gc_summary *s, struct panel *p,
		      const char *tag)
{
	const struct cprof_gcstats *st = &log->stats;
	size_t n = st->nrun;
	memset(p, 0, sizeof(*p) * GC_ROWS);
	snprintf(p[0].title, sizeof(p[0].title), "%s%sHeap (MB)", tag ? tag : "", tag ? ": " : "");
	snprintf(p[1].title, sizeof(p[1].title), "%s%sStop-the-world pause per GC (ms; forced in red)",
		 tag ? tag : "", tag ? ": " : "");
	snprintf(p[2].title, sizeof(p[2].title), "%s%sGC CPU per GC interval (%% of the P time)",
		 tag ? tag : "", tag ? ": " : "");

	const char *names[4] = {"at GC start", "at GC end", "live", "goal"};
	const char *colors[4] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#555555"};
	p[0].ns = 4;
	for (int k = 0; k < 4; k++) {
		p[0].s[k] = (struct series){names[k], colors[k], k == 3 ? "5,3" : NULL, LINE, NULL, NULL, 0, NULL};
		series_alloc(&p[0].s[k], n);
	}
	p[1].ns = 1;
	p[1].s[0] = (struct series){"pause", "#1f77b4", NULL, STEMS, NULL, NULL, 0, NULL};
	series_alloc(&p[1].s[0], n);
	bool *hot = cprof_xcalloc(n + 1, sizeof(bool));
	p[1].s[0].hot = hot;
	p[2].ns = 1;
	p[2].s[0] = (struct series){"GC CPU", "#9467bd", NULL, LINE, NULL, NULL, 0, NULL};
	series_alloc(&p[2].s[0], n);

	for (size_t i = 0; i < n; i++) {
		const struct cprof_gc_run *r = &st->run[i];
		double x = s->timed ? r->at_s : (double)r->num;
		if (s->timed && (!r->timed || !isfinite(x)))
			continue;
		int64_t v[4] = {r->heap_start_max, r->heap_end_max, r->live_max, r->goal_max};
		for (int k = 0; k < 4; k++) {
			struct series *se = &p[0].s[k];
			se->x[se->n] = x;
			se->y[se->n++] = v[k] >= 0 ? (double)v[k] : NAN;
		}
		struct series *ps = &p[1].s[0];
		hot[ps->n] = r->nforced > 0;
		ps->x[ps->n] = x;
		ps->y[ps->n++] = r->npause ? r->pause_max : NAN;
		/* GC CPU of the intervals from each GC's start to the next one's */
		if (s->timed && r->nchart) {
			struct series *cs = &p[2].s[0];
			cs->x[cs->n] = x;
			cs->y[cs->n++] = 100 * r->chart_cpu / r->chart_den;
		}
	}
	for (int r = 0; r < GC_ROWS; r++)
		panel_ranges(&p[r]);
	if (p[2].y1 < 10)
		p[2].y1 = 10;
}

static void gc_summary_line(char *buf, size_t n, const struct cprof_gc_summary *s, const char *tag)
{
	char span[64] = "", cpu[64] = "";
	if (s->timed)
		snprintf(span, sizeof(span), " over %.1f s", s->span_s);
	if (s->gc_cpu_pct_end >= 0)
		snprintf(cpu, sizeof(cpu), " \xc2\xb7 GC CPU %d%% at the end", s->gc_cpu_pct_end);
	snprintf(buf, n,
		 "%s%zu GCs%s (%zu forced) \xc2\xb7 STW pause p50 %.3f ms, p99 %.3f ms, max %.3f ms%s \xc2\xb7 "
		 "peak heap %lld MB, peak live %lld MB",
		 tag ? tag : "", s->gc_count, span, s->forced_count, s->pause_ms.p50, s->pause_ms.p99,
		 s->pause_ms.max, cpu, (long long)s->heap_peak_mb, (long long)s->live_peak_mb);
}

void cprof_gc_render_svg(const struct cprof_gclog *log, const struct cprof_gc_summary *s,
			 const struct cprof_gclog *base, const struct cprof_gc_summary *bs,
			 const char *title, struct strbuf *out)
{
	struct panel cur[GC_ROWS], old[GC_ROWS];
	char sum[400], bsum[400];
	bool cmp = base && bs;
	gc_panels(log, s, cur, cmp ? "new" : NULL);
	gc_summary_line(sum, sizeof(sum), s, cmp ? "new: " : NULL);
	if (cmp) {
		gc_panels(base, bs, old, "base");
		gc_summary_line(bsum, sizeof(bsum), bs, "base: ");
	}
	double top = cmp ? 64 : 48;
	document(out, cmp ? 1400 : 1000, top + 250 * GC_ROWS + 6, title, sum, cmp ? bsum : NULL);
	layout(out, cur, cmp ? old : NULL, GC_ROWS, s->timed ? "seconds since program start" : "GC number",
	       cmp && bs->timed ? "seconds since program start" : "GC number", top);
	for (int r = 0; r < GC_ROWS; r++) {
		panel_free(&cur[r]);
		if (cmp)
			panel_free(&old[r]);
	}
}

/* ---- schedtrace ---- */

#define SCHED_ROWS 3

static const char *state_color(const char *state)
{
	static const struct {
		const char *state, *color;
	} colors[] = {{"threads", "#ff7f0e"}, {"starved", "#7f7f7f"}, {"imbalanced", "#d62728"}, {"cpu-bound", "#2ca02c"}};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(colors); i++)
		if (!strcmp(state, colors[i].state))
			return colors[i].color;
	return "#9467bd";
}

static void sched_panels(const struct cprof_schedlog *log, const struct cprof_sched_summary *sum, struct panel *p,
			 const char *tag)
{
	const char *names[SCHED_ROWS] = {"Utilisation of the Ps (%)", "Run queues (goroutines)", "Threads (Ms)"};
	memset(p, 0, sizeof(*p) * SCHED_ROWS);
	for (int r = 0; r < SCHED_ROWS; r++)
		snprintf(p[r].title, sizeof(p[r].title), "%s%s%s", tag ? tag : "", tag ? ": " : "", names[r]);
	const struct cprof_schedstats *st = &log->stats;
	size_t n = st->nrun;
	p[0].ns = 1;
	p[0].s[0] = (struct series){"utilisation", "#1f77b4", NULL, LINE, NULL, NULL, 0, NULL};
	p[1].ns = 3;
	p[1].s[0] = (struct series){"global", "#d62728", NULL, LINE, NULL, NULL, 0, NULL};
	p[1].s[1] = (struct series){"local (sum)", "#1f77b4", NULL, LINE, NULL, NULL, 0, NULL};
	p[1].s[2] = (struct series){"longest local", "#2ca02c", "4,2", LINE, NULL, NULL, 0, NULL};
	p[2].ns = 3;
	p[2].s[0] = (struct series){"threads", "#1f77b4", NULL, LINE, NULL, NULL, 0, NULL};
	p[2].s[1] = (struct series){"idle", "#999999", "4,2", LINE, NULL, NULL, 0, NULL};
	p[2].s[2] = (struct series){"off-P (syscalls...)", "#ff7f0e", NULL, LINE, NULL, NULL, 0, NULL};
	for (int r = 0; r < SCHED_ROWS; r++)
		for (size_t k = 0; k < p[r].ns; k++)
			series_alloc(&p[r].s[k], n);
	/* one point per run of samples (src/runtime/schedstats.c): a sample, or the means of neighbours */
	for (size_t i = 0; i < n; i++) {
		const struct cprof_sched_run *x = &st->run[i];
		double t = x->acc.t0 / 1000, c = (double)x->acc.n;
		double v[SCHED_ROWS][3] = {
			{x->acc.util_sum / c, 0, 0},
			{x->runqueue_sum / c, x->nlocal ? x->local_sum_sum / x->nlocal : NAN,
			 x->nlocal ? x->local_max_sum / x->nlocal : NAN},
			{x->threads_sum / c, x->nidle ? x->idle_sum / x->nidle : NAN,
			 x->acc.noffp ? x->acc.offp_sum / (double)x->acc.noffp : NAN},
		};
		for (int r = 0; r < SCHED_ROWS; r++)
			for (size_t k = 0; k < p[r].ns; k++) {
				struct series *se = &p[r].s[k];
				se->x[se->n] = t;
				se->y[se->n++] = v[r][k];
			}
	}
	for (int r = 0; r < SCHED_ROWS; r++)
		panel_ranges(&p[r]);
	p[0].y1 = 105;
	/* the diagnosed state of each interval, shaded behind the utilisation */
	for (size_t i = 0; i < sum->ninterval; i++) {
		const struct cprof_sched_interval *iv = &sum->interval[i];
		if (!iv->state || !*iv->state)
			continue;
		struct band *last = p[0].nband ? &p[0].band[p[0].nband - 1] : NULL;
		if (last && !strcmp(last->label, iv->state) && last->x1 == iv->start_ms / 1000)
			last->x1 = iv->end_ms / 1000; /* one band per run of equal states */
		else
			p[0].band[p[0].nband++] = (struct band){iv->start_ms / 1000, iv->end_ms / 1000, iv->state,
								state_color(iv->state)};
	}
}

static void sched_summary_line(char *buf, size_t n, const struct cprof_sched_summary *s, const char *tag)
{
	snprintf(buf, n,
		 "%s%zu samples over %.1f s \xc2\xb7 GOMAXPROCS %d \xc2\xb7 utilisation mean %.1f%% \xc2\xb7 "
		 "global queue mean %.1f, max %.0f \xc2\xb7 threads max %.0f",
		 tag ? tag : "", s->samples, s->span_ms / 1000, s->gomaxprocs, s->util_pct.mean, s->runqueue.mean,
		 s->runqueue.max, s->threads.max);
}

void cprof_sched_render_svg(const struct cprof_schedlog *log, const struct cprof_sched_summary *s,
			    const struct cprof_schedlog *base, const struct cprof_sched_summary *bs,
			    const char *title, struct strbuf *out)
{
	struct panel cur[SCHED_ROWS], old[SCHED_ROWS];
	char sum[400], bsum[400];
	bool cmp = base && bs;
	sched_panels(log, s, cur, cmp ? "new" : NULL);
	sched_summary_line(sum, sizeof(sum), s, cmp ? "new: " : NULL);
	if (cmp) {
		sched_panels(base, bs, old, "base");
		sched_summary_line(bsum, sizeof(bsum), bs, "base: ");
	}
	double top = cmp ? 64 : 48;
	document(out, cmp ? 1400 : 1000, top + 250 * SCHED_ROWS + 6, title, sum, cmp ? bsum : NULL);
	layout(out, cur, cmp ? old : NULL, SCHED_ROWS, "seconds since the first sample",
	       "seconds since the first sample", top);
	for (int r = 0; r < SCHED_ROWS; r++) {
		panel_free(&cur[r]);
		if (cmp)
			panel_free(&old[r]);
	}
}
