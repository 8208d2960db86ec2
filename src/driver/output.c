/*
 * output.c - delivering a report (output.h), with pprof's rules: the
 * commands table of Go 1.19's internal/driver/commands.go says which
 * formats never go to a terminal (awayFromTTY: they go to
 * profileNNN.<ext>) and which are shown by a viewer (invokeVisualizer).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "src/driver/output.h"
#include "src/driver/viewer.h"

static const struct {
	enum cprof_format f;
	const char *ext;
} away_from_tty[] = {
	{CPROF_FMT_PROTO, "pb.gz"}, {CPROF_FMT_TOPPROTO, "pb.gz"}, {CPROF_FMT_FLAME, "svg"},
	{CPROF_FMT_CALLGRIND, "callgraph.out"}, {CPROF_FMT_SVG, "svg"}, {CPROF_FMT_PNG, "png"},
	{CPROF_FMT_GIF, "gif"}, {CPROF_FMT_PDF, "pdf"}, {CPROF_FMT_PS, "ps"},
};

#define BROWSERS NULL /* the viewer list is cprof_browsers() */

static const struct visualizer {
	enum cprof_format f;
	const char *suffix;
	const char *viewer; /* BROWSERS, or the one program (split at spaces) */
	bool interactive_only;
} visualizers[] = {
	{CPROF_FMT_WEB, "svg", BROWSERS, false},
	{CPROF_FMT_KCACHEGRIND, "grind", "kcachegrind", false},
	{CPROF_FMT_EOG, "svg", "eog", false},
	{CPROF_FMT_EVINCE, "pdf", "evince", false},
	{CPROF_FMT_GV, "ps", "gv --noantialias", false},
	/* pprof opens weblist in a browser; cprof's command line prints it (see cprof(1)) */
	{CPROF_FMT_WEBLIST, "html", BROWSERS, true},
};

void cprof_output_flush_notes(struct strbuf *notes)
{
	if (notes && notes->len) {
		fflush(stdout);
		fwrite(notes->buf, 1, notes->len, stderr);
		fflush(stderr);
		strbuf_reset(notes);
	}
}

static void say(struct cprof_output *o, const char *what)
{
	cprof_output_flush_notes(o->notes);
	fprintf(stderr, "Generating report in %s\n", what);
	fflush(stderr);
}

static const struct visualizer *find_visualizer(const struct cprof_output *o)
{
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(visualizers); i++)
		if (visualizers[i].f == o->format && (o->interactive || !visualizers[i].interactive_only))
			return &visualizers[i];
	return NULL;
}

void cprof_output_init(struct cprof_output *o, enum cprof_format f, const char *path, bool interactive,
		       struct strbuf *notes)
{
	memset(o, 0, sizeof(*o));
	o->format = f;
	o->path = path && *path ? path : NULL;
	o->interactive = interactive;
	o->notes = notes;
	o->dest = o->path;
	if (o->dest || find_visualizer(o))
		return;
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(away_from_tty); i++) {
		if (away_from_tty[i].f != f || !(interactive || isatty(STDOUT_FILENO)))
			continue;
		/* pprof's awayFromTTY: binary output never goes to a terminal */
		for (int n = 1; n < 10000; n++) {
			snprintf(o->autoname, sizeof(o->autoname), "profile%03d.%s", n, away_from_tty[i].ext);
			if (access(o->autoname, F_OK) != 0)
				break;
		}
		o->dest = o->autoname;
	}
}

bool cprof_output_streams(const struct cprof_output *o)
{
	return o->format == CPROF_FMT_TRACES || o->format == CPROF_FMT_FOLDED;
}

static void open_dest(struct cprof_output *o)
{
	if (o->opened || o->open_failed || !o->dest)
		return;
	say(o, o->dest);
	if (cprof_outfile_open(&o->file, o->dest, &o->open_err) == 0)
		o->opened = true;
	else
		o->open_failed = true;
}

void cprof_output_spill(void *ctx, struct strbuf *out)
{
	struct cprof_output *o = ctx;
	if (o->dest) {
		open_dest(o);
		if (o->opened)
			cprof_outfile_write(&o->file, out->buf, out->len); /* an error waits for the commit */
	} else {
		cprof_output_flush_notes(o->notes);
		if (!o->failed && strbuf_write(out, stdout))
			o->failed = true, o->error = errno;
	}
	strbuf_reset(out);
}

int cprof_output_finish(struct cprof_output *o, struct strbuf *out, const char **subject,
			struct cprof_error *err)
{
	const struct visualizer *v = find_visualizer(o);
	*subject = "";
	if (!o->dest && v) {
		const char *viewers[8] = {v->viewer};
		size_t nv = 1;
		char none[128];
		if (v->viewer == BROWSERS) {
			nv = cprof_browsers(viewers, CPROF_ARRAY_SIZE(viewers));
			snprintf(none, sizeof(none), "no browser found: set BROWSER");
		} else {
			snprintf(none, sizeof(none), "cannot run '%.*s': not found", (int)strcspn(v->viewer, " "),
				 v->viewer);
		}
		cprof_output_flush_notes(o->notes);
		return cprof_view(out->buf, out->len, v->suffix, viewers, nv, none, o->interactive, err);
	}
	if (o->dest && cprof_output_streams(o)) {
		open_dest(o);
		if (!o->opened) {
			*subject = o->dest;
			*err = o->open_err;
			return -1;
		}
		cprof_outfile_write(&o->file, out->buf, out->len);
		o->opened = false;
		if (cprof_outfile_commit(&o->file, err)) {
			*subject = o->dest;
			return -1;
		}
		return 0;
	}
	if (o->dest) {
		say(o, o->dest);
		if (cprof_write_file(o->dest, out->buf, out->len, err)) {
			*subject = o->dest;
			return -1;
		}
		return 0;
	}
	cprof_output_flush_notes(o->notes);
	if (o->failed || strbuf_write(out, stdout) || fflush(stdout))
		return cprof_error_set(err, CPROF_E_IO, "cannot write standard output: %s",
				       strerror(o->failed ? o->error : errno));
	return 0;
}

void cprof_output_abort(struct cprof_output *o)
{
	if (o->opened)
		cprof_outfile_abort(&o->file);
	o->opened = false;
}
