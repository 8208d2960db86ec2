/*
 * goroutines.c - the `cprof goroutines` summary, as text and as JSON.
 *
 * Text: a count line, a states line, then one block per group in the
 * runtime's own traceback layout (function, then the tab-indented
 * file:line), so it reads like the dump it came from:
 *
 *   24 goroutines, 17 groups
 *   states: chan receive 9, semacquire 4, sleep 2, IO wait 1, ...
 *
 *   3 goroutines [chan receive, 2 minutes]: ids 18, 19, 20
 *   main.recvInline (inlined)
 *           /work/main/testdata/gen/goroutines/main.go:64
 *   main.recvWorker
 *           /work/main/testdata/gen/goroutines/main.go:67
 *   created by main.(*parked).groupOld
 *           /work/main/testdata/gen/goroutines/main.go:132
 *
 * JSON: {"goroutines": N, "unfiltered": M, "states": {...}, "groups": [...]},
 * one group per line; fields are listed in man/cprof.1.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/goroutines.h"
#include "cprof/runtime_logs.h"

#define MAX_TEXT_IDS 10

/* "file:line" → file length and line (0 when there is none). */
static size_t split_file_line(const char *at, int64_t *line)
{
	const char *colon = strrchr(at, ':');
	*line = 0;
	if (!colon || !colon[1] || strspn(colon + 1, "0123456789") != strlen(colon + 1))
		return strlen(at);
	*line = strtoll(colon + 1, NULL, 10);
	return (size_t)(colon - at);
}

static void text_header(const struct cprof_goroutine_group *g, struct strbuf *out)
{
	strbuf_addf(out, "%" PRId64 " goroutine%s", g->count, g->count == 1 ? "" : "s");
	const char *sep = " [";
	if (g->state) {
		strbuf_addf(out, "%s%s", sep, g->state);
		sep = ", ";
	}
	if (g->wait_max > 0) {
		if (g->wait_min == g->wait_max)
			strbuf_addf(out, "%s%" PRId64 " minutes", sep, g->wait_max);
		else
			strbuf_addf(out, "%s%" PRId64 "-%" PRId64 " minutes", sep, g->wait_min, g->wait_max);
		sep = ", ";
	}
	if (g->locked) {
		strbuf_addf(out, "%slocked to thread", sep);
		sep = ", ";
	}
	if (sep[0] == ',')
		strbuf_addch(out, ']');
	strbuf_addch(out, ':');
	if (g->nids) {
		strbuf_addstr(out, g->nids == 1 ? " id " : " ids ");
		for (size_t i = 0; i < g->nids && i < MAX_TEXT_IDS; i++)
			strbuf_addf(out, "%s%" PRId64, i ? ", " : "", g->ids[i]);
		if (g->nids > MAX_TEXT_IDS)
			strbuf_addf(out, " and %zu more", g->nids - MAX_TEXT_IDS);
	}
	strbuf_addch(out, '\n');
	if (g->nlabels) {
		strbuf_addstr(out, "labels:");
		for (size_t i = 0; i < g->nlabels; i++)
			strbuf_addf(out, " %s=%s", g->labels[i].key, g->labels[i].str);
		strbuf_addch(out, '\n');
	}
}

void cprof_goroutines_render_text(const struct cprof_goroutine_summary *s, struct strbuf *out)
{
	strbuf_addf(out, "%" PRId64 " goroutine%s, %zu group%s", s->total, s->total == 1 ? "" : "s",
		    s->ngroups, s->ngroups == 1 ? "" : "s");
	if (s->total != s->unfiltered)
		strbuf_addf(out, " (%" PRId64 " in the input)", s->unfiltered);
	strbuf_addch(out, '\n');
	if (s->nstates) {
		strbuf_addstr(out, "states:");
		for (size_t i = 0; i < s->nstates; i++)
			strbuf_addf(out, "%s %s %" PRId64, i ? "," : "", s->states[i].state, s->states[i].count);
		strbuf_addch(out, '\n');
	}
	for (size_t i = 0; i < s->ngroups; i++) {
		const struct cprof_goroutine_group *g = &s->groups[i];
		strbuf_addch(out, '\n');
		text_header(g, out);
		for (size_t j = 0; j < g->nstack; j++) {
			const struct cprof_goroutine_frame *f = &g->stack[j];
			if (!f->function[0] && !f->file[0]) {
				strbuf_addf(out, "%#" PRIx64 "\n", f->address);
				continue;
			}
			strbuf_addf(out, "%s%s\n", f->function[0] ? f->function : "?", f->inlined ? " (inlined)" : "");
			if (f->file[0] || f->line)
				strbuf_addf(out, "\t%s:%" PRId64 "\n", f->file, f->line);
		}
		if (g->elided)
			strbuf_addstr(out, "...additional frames elided...\n");
		if (g->created_by) {
			strbuf_addf(out, "created by %s\n", g->created_by);
			if (g->created_at && g->created_at[0])
				strbuf_addf(out, "\t%s\n", g->created_at);
		}
	}
}

void cprof_goroutines_render_json(const struct cprof_goroutine_summary *s, struct strbuf *out)
{
	strbuf_addf(out, "{\"goroutines\": %" PRId64 ", \"unfiltered\": %" PRId64 ", \"states\": {", s->total,
		    s->unfiltered);
	for (size_t i = 0; i < s->nstates; i++) {
		if (i)
			strbuf_addstr(out, ", ");
		cprof_json_str(out, s->states[i].state);
		strbuf_addf(out, ": %" PRId64, s->states[i].count);
	}
	strbuf_addstr(out, "}, \"groups\": [");
	for (size_t i = 0; i < s->ngroups; i++) {
		const struct cprof_goroutine_group *g = &s->groups[i];
		strbuf_addstr(out, i ? ",\n" : "\n");
		strbuf_addf(out, "{\"count\": %" PRId64 ", \"state\": ", g->count);
		if (g->state)
			cprof_json_str(out, g->state);
		else
			strbuf_addstr(out, "null");
		strbuf_addf(out, ", \"wait_minutes\": {\"min\": %" PRId64 ", \"max\": %" PRId64 "}", g->wait_min,
			    g->wait_max);
		strbuf_addf(out, ", \"locked_to_thread\": %s, \"elided\": %s, \"created_by\": ", g->locked ? "true" : "false",
			    g->elided ? "true" : "false");
		if (g->created_by) {
			int64_t line = 0;
			const char *at = g->created_at ? g->created_at : "";
			size_t flen = split_file_line(at, &line);
			strbuf_addstr(out, "{\"function\": ");
			cprof_json_str(out, g->created_by);
			strbuf_addstr(out, ", \"file\": ");
			char *file = cprof_xstrndup(at, flen);
			cprof_json_str(out, file);
			free(file);
			strbuf_addf(out, ", \"line\": %" PRId64 "}", line);
		} else {
			strbuf_addstr(out, "null");
		}
		strbuf_addstr(out, ", \"labels\": {");
		for (size_t j = 0; j < g->nlabels; j++) {
			if (j)
				strbuf_addstr(out, ", ");
			cprof_json_str(out, g->labels[j].key);
			strbuf_addstr(out, ": ");
			cprof_json_str(out, g->labels[j].str);
		}
		strbuf_addstr(out, "}, \"stack\": [");
		for (size_t j = 0; j < g->nstack; j++) {
			const struct cprof_goroutine_frame *f = &g->stack[j];
			strbuf_addstr(out, j ? ", {\"function\": " : "{\"function\": ");
			cprof_json_str(out, f->function);
			strbuf_addstr(out, ", \"file\": ");
			cprof_json_str(out, f->file);
			strbuf_addf(out, ", \"line\": %" PRId64, f->line);
			if (f->inlined)
				strbuf_addstr(out, ", \"inlined\": true");
			if (f->address)
				strbuf_addf(out, ", \"address\": \"%#" PRIx64 "\"", f->address);
			strbuf_addch(out, '}');
		}
		strbuf_addstr(out, "], \"ids\": [");
		for (size_t j = 0; j < g->nids; j++)
			strbuf_addf(out, "%s%" PRId64, j ? ", " : "", g->ids[j]);
		strbuf_addstr(out, "]}");
	}
	strbuf_addstr(out, s->ngroups ? "\n]}\n" : "]}\n");
}
