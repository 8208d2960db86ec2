/*
 * diff_text.c - `cprof diff` as a readable table and as Markdown.
 *
 * The table (values in the sample unit, labelled as pprof labels them;
 * normalized new values are in base units), from tests/diffgate:
 *
 *   Comparing cpu, flat, normalized to the base total: 1 base run, 1 new run
 *   Base total 3.51s, new total 3.51s
 *   A change counts when it exceeds 10% of its base value and 0.5% of the base total
 *
 *   Regressions (1)
 *           base          new        delta    delta%  name
 *          134ms     286.28ms    +152.28ms   +113.6%  main.checksum
 *
 *   Improvements (0)
 *     (none)
 *   ...
 *   Result: FAIL, 1 regression
 *
 * Sections with no entry print "(none)". The Markdown form has the same
 * content: a heading with the verdict, one table per non-empty section.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "cprof/diff.h"
#include "cprof/units.h"

static const struct {
	enum cprof_diff_kind kind;
	const char *title;
} sections[] = {
	{CPROF_DIFF_REGRESSION, "Regressions"},
	{CPROF_DIFF_IMPROVEMENT, "Improvements"},
	{CPROF_DIFF_NEW, "New"},
	{CPROF_DIFF_GONE, "Gone"},
};

/* v in the diff's unit, as pprof labels values ("1.20s", "64kB"); sign forces a '+'. */
void cprof_diff_value_label(const struct cprof_diff *d, double v, bool sign, struct strbuf *out)
{
	int64_t x = cprof_f2i(round(fabs(v)));
	if (v < 0 && x != 0)
		strbuf_addch(out, '-');
	else if (sign && x != 0)
		strbuf_addch(out, '+');
	cprof_unit_label(x, d->unit, out);
}

static void add_pct(const struct cprof_diff_entry *e, struct strbuf *out)
{
	if (e->kind == CPROF_DIFF_NEW || e->base == 0)
		strbuf_addstr(out, "new");
	else
		strbuf_addf(out, "%+.1f%%", e->delta_pct);
}

static const char *metric_name(const struct cprof_diff *d)
{
	return d->opts.metric == CPROF_DIFF_CUM ? "cum" : "flat";
}

static void add_plural(struct strbuf *out, size_t n, const char *one, const char *many)
{
	strbuf_addf(out, "%zu %s", n, n == 1 ? one : many);
}

static void add_verdict(const struct cprof_diff *d, struct strbuf *out)
{
	size_t reg = d->count[CPROF_DIFF_REGRESSION], added = d->count[CPROF_DIFF_NEW];
	if (reg + added == 0) {
		strbuf_addstr(out, "PASS, no regression");
		return;
	}
	strbuf_addstr(out, cprof_diff_failed(d) ? "FAIL, " : "PASS (threshold 0, gate off), ");
	add_plural(out, reg, "regression", "regressions");
	if (added) {
		strbuf_addstr(out, ", ");
		add_plural(out, added, "new entry", "new entries");
	}
}

static void add_header(const struct cprof_diff *d, struct strbuf *out, const char *code)
{
	strbuf_addf(out, "Comparing %s%s%s, %s, %s: ", code, d->sample_type, code, metric_name(d),
		    d->opts.normalize ? "normalized to the base total" : "absolute values");
	add_plural(out, d->nbase, "base run", "base runs");
	strbuf_addstr(out, ", ");
	add_plural(out, d->nnew, "new run", "new runs");
	strbuf_addstr(out, "\n");
}

static void add_rule(const struct cprof_diff *d, struct strbuf *out)
{
	strbuf_addf(out, "A change counts when it exceeds %g%% of its base value and %g%% of the base total",
		    d->opts.threshold, d->opts.min_share);
	if (d->nbase > 1 || d->nnew > 1)
		strbuf_addstr(out, ", and the runs of the two sides do not overlap");
	strbuf_addstr(out, "\n");
}

void cprof_diff_render_text(const struct cprof_diff *d, struct strbuf *out)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT, p = STRBUF_INIT;

	add_header(d, out, "");
	strbuf_addstr(out, "Base total ");
	cprof_diff_value_label(d, d->base_total, false, out);
	strbuf_addstr(out, ", new total ");
	cprof_diff_value_label(d, d->new_total, false, out);
	strbuf_addstr(out, "\n");
	add_rule(d, out);
	for (size_t s = 0; s < CPROF_ARRAY_SIZE(sections); s++) {
		strbuf_addf(out, "\n%s (%zu)\n", sections[s].title, d->count[sections[s].kind]);
		if (!d->count[sections[s].kind]) {
			strbuf_addstr(out, "  (none)\n");
			continue;
		}
		strbuf_addf(out, "%12s %12s %12s %9s  %s\n", "base", "new", "delta", "delta%", "name");
		for (size_t i = 0; i < d->nentry; i++) {
			const struct cprof_diff_entry *e = &d->entry[i];
			if (e->kind != sections[s].kind)
				continue;
			strbuf_reset(&a), strbuf_reset(&b), strbuf_reset(&c), strbuf_reset(&p);
			cprof_diff_value_label(d, e->base, false, &a);
			cprof_diff_value_label(d, e->new_, false, &b);
			cprof_diff_value_label(d, e->delta, true, &c);
			add_pct(e, &p);
			strbuf_addf(out, "%12s %12s %12s %9s  %s\n", a.buf, b.buf, c.buf, p.buf, e->name);
		}
	}
	strbuf_addstr(out, "\nResult: ");
	add_verdict(d, out);
	strbuf_addstr(out, "\n");
	strbuf_release(&a), strbuf_release(&b), strbuf_release(&c), strbuf_release(&p);
}

/* A name inside a Markdown table cell, as code: '|' escaped, '`' replaced. */
static void add_md_name(struct strbuf *out, const char *s)
{
	strbuf_addch(out, '`');
	for (; *s; s++) {
		if (*s == '|')
			strbuf_addstr(out, "\\|");
		else if (*s == '`')
			strbuf_addch(out, '\'');
		else if (*s == '\n' || *s == '\r')
			strbuf_addch(out, ' ');
		else
			strbuf_addch(out, *s);
	}
	strbuf_addch(out, '`');
}

void cprof_diff_render_markdown(const struct cprof_diff *d, struct strbuf *out)
{
	const char *what = d->opts.granularity == CPROF_GRAN_FILES   ? "file"
			   : d->opts.granularity == CPROF_GRAN_LINES ? "line"
								     : "function";
	bool any = false;

	strbuf_addstr(out, "### cprof diff: ");
	add_verdict(d, out);
	strbuf_addstr(out, "\n\n");
	add_header(d, out, "`");
	strbuf_addstr(out, "(base total ");
	cprof_diff_value_label(d, d->base_total, false, out);
	strbuf_addstr(out, ", new total ");
	cprof_diff_value_label(d, d->new_total, false, out);
	strbuf_addstr(out, ").\n");
	add_rule(d, out);
	for (size_t s = 0; s < CPROF_ARRAY_SIZE(sections); s++) {
		if (!d->count[sections[s].kind])
			continue;
		any = true;
		strbuf_addf(out, "\n#### %s (%zu)\n\n", sections[s].title, d->count[sections[s].kind]);
		strbuf_addf(out, "| %s | base | new | delta | delta %% |\n", what);
		strbuf_addstr(out, "| --- | ---: | ---: | ---: | ---: |\n");
		for (size_t i = 0; i < d->nentry; i++) {
			const struct cprof_diff_entry *e = &d->entry[i];
			if (e->kind != sections[s].kind)
				continue;
			strbuf_addstr(out, "| ");
			add_md_name(out, e->name);
			strbuf_addstr(out, " | ");
			cprof_diff_value_label(d, e->base, false, out);
			strbuf_addstr(out, " | ");
			cprof_diff_value_label(d, e->new_, false, out);
			strbuf_addstr(out, " | ");
			cprof_diff_value_label(d, e->delta, true, out);
			strbuf_addstr(out, " | ");
			add_pct(e, out);
			strbuf_addstr(out, " |\n");
		}
	}
	if (!any)
		strbuf_addstr(out, "\nNo change beyond the thresholds.\n");
}
