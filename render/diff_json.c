/*
 * diff_json.c - `cprof diff -json`: one JSON object, settings first, then
 * the four lists in the order of the table, biggest |delta| first.
 *
 *   {"sample_type": "cpu", "unit": "nanoseconds", "metric": "flat", "normalized": true,
 *    "threshold": 10, "min_share": 0.5, "base_runs": 1, "new_runs": 1,
 *    "base_total": 3512000000, "new_total": 3512000000, "failed": true,
 *    "regressions": [
 *     {"name": "main.checksum", "base": 134000000, "new": 286277977.342,
 *      "delta": 152277977.342, "delta_pct": 113.64}
 *    ],
 *    "improvements": [], "new": [], "gone": []}
 *
 * Values are in the sample unit (normalized new values in base units),
 * whole numbers when they are whole; delta_pct is null for new entries.
 */
#include <math.h>
#include <stdint.h>

#include "cprof/diff.h"

static void add_string(struct strbuf *out, const char *s)
{
	strbuf_addch(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_addf(out, "\\%c", *p);
		else if (*p == '\n')
			strbuf_addstr(out, "\\n");
		else if (*p == '\t')
			strbuf_addstr(out, "\\t");
		else if (*p < 0x20)
			strbuf_addf(out, "\\u%04x", *p);
		else
			strbuf_addch(out, (char)*p);
	}
	strbuf_addch(out, '"');
}

/* A number: whole values without a fraction, others with up to 3 decimals; never NaN/Inf. */
static void add_number(struct strbuf *out, double v)
{
	if (!isfinite(v))
		v = 0;
	if (fabs(v - nearbyint(v)) < 1e-9 && fabs(v) < 9e15)
		strbuf_addf(out, "%.0f", nearbyint(v) == 0 ? 0.0 : nearbyint(v));
	else {
		/* three decimals, trailing zeros dropped: 0.5, 286277977.342 */
		size_t at = out->len;
		strbuf_addf(out, "%.3f", v);
		size_t n = out->len;
		while (n > at && out->buf[n - 1] == '0')
			n--;
		if (n > at && out->buf[n - 1] == '.')
			n--; /* 0.0004 -> "0" */
		strbuf_setlen(out, n);
	}
}

void cprof_diff_render_json(const struct cprof_diff *d, struct strbuf *out)
{
	static const enum cprof_diff_kind kinds[] = {CPROF_DIFF_REGRESSION, CPROF_DIFF_IMPROVEMENT,
						     CPROF_DIFF_NEW, CPROF_DIFF_GONE};

	strbuf_addstr(out, "{\"sample_type\": ");
	add_string(out, d->sample_type);
	strbuf_addstr(out, ", \"unit\": ");
	add_string(out, d->unit);
	strbuf_addf(out, ", \"metric\": \"%s\", \"normalized\": %s, \"threshold\": ",
		    d->opts.metric == CPROF_DIFF_CUM ? "cum" : "flat", d->opts.normalize ? "true" : "false");
	add_number(out, d->opts.threshold);
	strbuf_addstr(out, ", \"min_share\": ");
	add_number(out, d->opts.min_share);
	strbuf_addf(out, ", \"base_runs\": %zu, \"new_runs\": %zu, \"base_total\": ", d->nbase, d->nnew);
	add_number(out, d->base_total);
	strbuf_addstr(out, ", \"new_total\": ");
	add_number(out, d->new_total);
	strbuf_addf(out, ", \"failed\": %s", cprof_diff_failed(d) ? "true" : "false");
	for (size_t k = 0; k < CPROF_ARRAY_SIZE(kinds); k++) {
		bool first = true;
		strbuf_addf(out, ",\n \"%s\": [", cprof_diff_kind_name(kinds[k]));
		for (size_t i = 0; i < d->nentry; i++) {
			const struct cprof_diff_entry *e = &d->entry[i];
			if (e->kind != kinds[k])
				continue;
			strbuf_addstr(out, first ? "\n  {\"name\": " : ",\n  {\"name\": ");
			first = false;
			add_string(out, e->name);
			strbuf_addstr(out, ", \"base\": ");
			add_number(out, e->base);
			strbuf_addstr(out, ", \"new\": ");
			add_number(out, e->new_);
			strbuf_addstr(out, ", \"delta\": ");
			add_number(out, e->delta);
			strbuf_addstr(out, ", \"delta_pct\": ");
			if (e->base == 0)
				strbuf_addstr(out, "null");
			else
				strbuf_addf(out, "%.2f", e->delta_pct);
			strbuf_addch(out, '}');
		}
		strbuf_addstr(out, first ? "]" : "\n ]");
	}
	strbuf_addstr(out, "}\n");
}
