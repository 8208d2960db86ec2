/*
 * runtime_render.h - helpers shared by the runtime-log renderers
 * (gctrace_text.c, schedtrace_text.c, runtime_json.c, runtime_svg.c).
 * Private to render/.
 */
#ifndef CPROF_RENDER_RUNTIME_RENDER_H
#define CPROF_RENDER_RUNTIME_RENDER_H

#include "cprof/runtime_logs.h"
#include "cprof/strbuf.h"

/* "%.*f" of v, or "-" when v is NaN or infinite, right-aligned in width. */
void rt_num(struct strbuf *out, int width, int decimals, double v);
/* A paragraph: "  * " then text wrapped at 100 columns, continuation lines indented. */
void rt_bullet(struct strbuf *out, const char *text);
/* The file list of a header: "a.log", "a.log, b.log", "standard input". */
void rt_files(struct strbuf *out, const struct cprof_runtime_src *src);
/* The comparison table of -base: one row per metric. */
void rt_compare(struct strbuf *out, const struct cprof_metric *m, size_t nm, const double *base,
		const double *cur);
/* "name": {"count":...} distribution object; "name": {"mean":..,"min":..,"max":..}. */
void rt_json_dist(struct strbuf *out, const char *name, const struct cprof_dist *d);
void rt_json_mmm(struct strbuf *out, const char *name, const struct cprof_mmm *m);
/* The "comparison" array of -base -json. */
void rt_json_compare(struct strbuf *out, const struct cprof_metric *m, size_t nm, const double *base,
		     const double *cur);

#endif
