/*
 * list.c - the -list=regex report: annotated source of every function
 * whose name matches (pprof's printSource, internal/report/source.go).
 *
 *   Total: 11111
 *   ROUTINE ======================== bar in testdata/source1
 *           10        110 (flat, cum)  0.99% of Total
 *            .          .      5:source1 line 5;
 *           10        110     10:source1 line 10;
 *
 * Per function (sorted by name), per source file (sorted by name): the
 * header "ROUTINE ======================== %s in %s", the sums
 * "%10s %10s (flat, cum) %s of Total", then "%10s %10s %6d:%s" for each
 * line of the window, "." for zero. The window runs from the function's
 * start line (or the first sampled line - 5) to the last sampled line + 5,
 * clipped to the file. A file that cannot be found prints " Error: <why>"
 * after the sums; a function without file information prints
 * "No source information for <name>".
 *
 * Values are raw sums of the line nodes (no -mean division), each scaled
 * on its own (the output unit stays "minimum"), as pprof prints them.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/source.h"
#include "cprof/units.h"
#include "render/report_graph.h"

struct group {
	const char *key; /* function name or file name */
	struct cprof_node **nodes;
	size_t n, alloc;
};

struct groups {
	struct group *v;
	size_t n, alloc;
};

static struct group *group_get(struct groups *gs, const char *key)
{
	for (size_t i = 0; i < gs->n; i++)
		if (gs->v[i].key == key || !strcmp(gs->v[i].key, key))
			return &gs->v[i];
	ALLOC_GROW(gs->v, gs->n + 1, gs->alloc);
	struct group *g = &gs->v[gs->n++];
	memset(g, 0, sizeof(*g));
	g->key = key;
	return g;
}

static void group_add(struct group *g, struct cprof_node *n)
{
	ALLOC_GROW(g->nodes, g->n + 1, g->alloc);
	g->nodes[g->n++] = n;
}

static void groups_release(struct groups *gs)
{
	for (size_t i = 0; i < gs->n; i++)
		free(gs->v[i].nodes);
	free(gs->v);
	memset(gs, 0, sizeof(*gs));
}

static int cmp_group(const void *a, const void *b)
{
	return strcmp(((const struct group *)a)->key, ((const struct group *)b)->key);
}

static void value_or_dot(const struct cprof_report *rpt, int64_t v, struct strbuf *buf)
{
	strbuf_reset(buf);
	if (v == 0)
		strbuf_addch(buf, '.');
	else
		cprof_report_format_value(rpt, v, buf);
}

static int64_t wrap_add(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

/* pprof's getSourceFromFile window and lines, appended to out; -1 on a file error. */
static int print_file(const struct cprof_report *rpt, struct cprof_source_reader *reader, const char *file,
		      const struct group *fg, struct strbuf *out)
{
	const int64_t margin = 5;
	int64_t start, end;
	const struct cprof_node *first = fg->nodes[0];
	/* line numbers come from the profile: the window wraps around int64 as Go's does */
	start = first->info.start_line ? first->info.start_line : wrap_add(first->info.lineno, -margin);
	end = wrap_add(first->info.lineno, margin);
	for (size_t i = 0; i < fg->n; i++) {
		int64_t ln = fg->nodes[i]->info.lineno;
		int64_t ns = fg->nodes[i]->info.start_line ? fg->nodes[i]->info.start_line : wrap_add(ln, -margin);
		if (ns < start)
			start = ns; /* pprof's quirk: a node that lowers the start does not raise the end */
		else if (wrap_add(ln, margin) > end)
			end = wrap_add(ln, margin);
	}
	if (start < 1)
		start = 1;
	struct strbuf f = STRBUF_INIT, c = STRBUF_INIT, lines = STRBUF_INIT;
	for (int64_t l = start; l <= end; l++) {
		const char *text;
		size_t len;
		if (!cprof_source_line(reader, file, l, &text, &len) || l == INT64_MAX)
			break;
		int64_t flat = 0, cum = 0;
		for (size_t i = 0; i < fg->n; i++) {
			if (fg->nodes[i]->info.lineno == l) {
				flat = cprof_add_wrap(flat, fg->nodes[i]->flat);
				cum = cprof_add_wrap(cum, fg->nodes[i]->cum);
			}
		}
		value_or_dot(rpt, flat, &f);
		value_or_dot(rpt, cum, &c);
		strbuf_addf(&lines, "%10s %10s %6lld:", f.buf, c.buf, (long long)l);
		strbuf_add(&lines, text, len);
		strbuf_addch(&lines, '\n');
	}
	const char *e = cprof_source_error(reader, file);
	if (!e)
		strbuf_add(out, lines.buf, lines.len);
	strbuf_release(&f);
	strbuf_release(&c);
	strbuf_release(&lines);
	return e ? -1 : 0;
}

int cprof_render_list(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err)
{
	struct report_graph_mode mode = {.obj_names = true};
	struct cprof_graph *g = report_new_graph(rpt, &mode, NULL);
	const struct cprof_regex *re = rpt->opt.symbol;

	/* the matching functions, each with its nodes, in graph order */
	struct groups fns = {0};
	for (size_t i = 0; i < g->nnodes; i++) {
		struct cprof_node *n = g->nodes[i];
		if (re && !cprof_regex_match(re, n->info.name))
			continue;
		group_add(group_get(&fns, n->info.name), n);
	}
	if (fns.n == 0) {
		cprof_error_set(err, CPROF_E_NOMATCH, "no matches found for regexp: %s",
				re ? cprof_regex_pattern(re) : "");
		groups_release(&fns);
		cprof_graph_free(g);
		return -1;
	}
	qsort(fns.v, fns.n, sizeof(*fns.v), cmp_group);

	struct cprof_source_reader *reader = cprof_source_reader_new(rpt->opt.source_path, rpt->opt.trim_path);
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	strbuf_addstr(out, "Total: ");
	cprof_report_format_value(rpt, rpt->total, out);
	strbuf_addch(out, '\n');
	for (size_t fi = 0; fi < fns.n; fi++) {
		const struct group *fn = &fns.v[fi];
		struct groups files = {0};
		for (size_t i = 0; i < fn->n; i++)
			if (fn->nodes[i]->info.file[0])
				group_add(group_get(&files, fn->nodes[i]->info.file), fn->nodes[i]);
		if (files.n == 0) {
			strbuf_addf(out, "No source information for %s\n", fn->key);
			groups_release(&files);
			continue;
		}
		qsort(files.v, files.n, sizeof(*files.v), cmp_group);
		for (size_t k = 0; k < files.n; k++) {
			const struct group *fg = &files.v[k];
			int64_t flat = 0, cum = 0;
			for (size_t i = 0; i < fg->n; i++) {
				flat = cprof_add_wrap(flat, fg->nodes[i]->flat);
				cum = cprof_add_wrap(cum, fg->nodes[i]->cum);
			}
			strbuf_addf(out, "ROUTINE ======================== %s in %s\n", fn->key, fg->key);
			strbuf_reset(&a);
			strbuf_reset(&b);
			cprof_report_format_value(rpt, flat, &a);
			cprof_report_format_value(rpt, cum, &b);
			strbuf_addf(out, "%10s %10s (flat, cum) ", a.buf, b.buf);
			cprof_percentage(cum, rpt->total, out);
			strbuf_addstr(out, " of Total\n");
			if (print_file(rpt, reader, fg->key, fg, out))
				strbuf_addf(out, " Error: %s\n", cprof_source_error(reader, fg->key));
		}
		groups_release(&files);
	}
	strbuf_release(&a);
	strbuf_release(&b);
	cprof_source_reader_free(reader);
	groups_release(&fns);
	cprof_graph_free(g);
	return 0;
}
