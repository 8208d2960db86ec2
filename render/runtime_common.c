/*
 * runtime_common.c - small pieces of text layout shared by the runtime-log
 * reports (see runtime_render.h).
 */
#include <math.h>
#include <string.h>

#include "runtime_render.h"

#define WRAP 100

void rt_num(struct strbuf *out, int width, int decimals, double v)
{
	if (!isfinite(v))
		strbuf_addf(out, "%*s", width, "-");
	else
		strbuf_addf(out, "%*.*f", width, decimals, v == 0 ? 0.0 : v);
}

void rt_bullet(struct strbuf *out, const char *text)
{
	const char *p = text;
	size_t col = 4;
	strbuf_addstr(out, "  * ");
	while (*p) {
		while (*p == ' ')
			p++;
		size_t w = strcspn(p, " ");
		if (w == 0)
			break;
		if (col > 4 && col + 1 + w > WRAP) {
			strbuf_addstr(out, "\n    ");
			col = 4;
		} else if (col > 4) {
			strbuf_addch(out, ' ');
			col++;
		}
		strbuf_add(out, p, w);
		col += w;
		p += w;
	}
	strbuf_addch(out, '\n');
}

void rt_files(struct strbuf *out, const struct cprof_runtime_src *src)
{
	if (!src || src->nfiles == 0) {
		strbuf_addstr(out, "standard input");
		return;
	}
	for (size_t i = 0; i < src->nfiles; i++) {
		if (i)
			strbuf_addstr(out, ", ");
		strbuf_addstr(out, strcmp(src->files[i], "-") ? src->files[i] : "standard input");
	}
}

void rt_hints(struct strbuf *out, const char *title, const struct cprof_hint *h, size_t n, const char *none)
{
	strbuf_addf(out, "\n%s\n", title);
	if (!n)
		strbuf_addf(out, "  * %s\n", none);
	for (size_t i = 0; i < n; i++)
		rt_bullet(out, h[i].text);
}

void rt_compare(struct strbuf *out, const struct cprof_runtime_src *base_src, const struct cprof_runtime_src *src,
		const struct cprof_metric_set *set, const void *bsum, const void *sum)
{
	const struct cprof_metric *m = set->m;
	strbuf_addstr(out, "Base: ");
	rt_files(out, base_src);
	strbuf_addstr(out, "\nNew:  ");
	rt_files(out, src);
	strbuf_addstr(out, "\n\n");
	strbuf_addf(out, "%-24s %14s %14s %14s %9s\n", "", "base", "new", "delta", "delta%");
	for (size_t i = 0; i < *set->n; i++) {
		char label[64];
		double base = set->get(bsum, i), cur = set->get(sum, i);
		double d = cur - base;
		snprintf(label, sizeof(label), "%s%s%s%s", m[i].label, *m[i].unit ? " (" : "", m[i].unit,
			 *m[i].unit ? ")" : "");
		strbuf_addf(out, "%-24s ", label);
		rt_num(out, 14, m[i].decimals, base);
		strbuf_addch(out, ' ');
		rt_num(out, 14, m[i].decimals, cur);
		strbuf_addch(out, ' ');
		if (isfinite(d))
			strbuf_addf(out, "%+14.*f", m[i].decimals, d == 0 ? 0.0 : d);
		else
			strbuf_addf(out, "%14s", "-");
		double pct = base != 0 ? 100 * d / fabs(base) : NAN;
		if (isfinite(pct))
			strbuf_addf(out, " %+8.1f%%", pct == 0 ? 0.0 : pct);
		else
			strbuf_addf(out, " %9s", "-");
		/* say which way is better, when there is one */
		if (isfinite(d) && d != 0 && m[i].better)
			strbuf_addstr(out, (d < 0) == (m[i].better < 0) ? "  better" : "  worse");
		strbuf_addch(out, '\n');
	}
}
