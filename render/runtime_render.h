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
/*
 * The head of a -base report: "Base: files", "New: files", then the
 * comparison table, one row per key figure of the two summaries.
 */
void rt_compare(struct strbuf *out, const struct cprof_runtime_src *base_src, const struct cprof_runtime_src *src,
		const struct cprof_metric_set *set, const void *base, const void *cur);
/* "\nTITLE\n" then one bullet per hint, or "  * NONE" when there is none. */
void rt_hints(struct strbuf *out, const char *title, const struct cprof_hint *h, size_t n, const char *none);
/* "name": {"count":...} distribution object; "name": {"mean":..,"min":..,"max":..}. */
void rt_json_dist(struct strbuf *out, const char *name, const struct cprof_dist *d);
void rt_json_mmm(struct strbuf *out, const char *name, const struct cprof_mmm *m);
/* The "comparison" array of -base -json. */
void rt_json_compare(struct strbuf *out, const struct cprof_metric_set *set, const void *base, const void *cur);

#endif
