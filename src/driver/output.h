/*
 * output.h - where a report goes once it is made (pprof's generateReport
 * tail): standard output, the -output file, a profileNNN.<ext> file
 * rather than a terminal for binary formats (awayFromTTY), or a viewer
 * started on a temporary file (-web, -kcachegrind, -eog, -evince, -gv;
 * in the shell also weblist). Shared by the batch command line and the
 * shell.
 *
 * Messages ("Generating report in FILE") go to standard error, after the
 * notes the report made so far (flushed from *notes first).
 */
#ifndef CPROF_OUTPUT_H
#define CPROF_OUTPUT_H

#include <stdbool.h>
#include "cprof/error.h"
#include "cprof/outfile.h"
#include "cprof/report.h"
#include "cprof/strbuf.h"

struct cprof_output {
	enum cprof_format format;
	const char *path; /* "" or NULL: no -output */
	bool interactive; /* the shell: awayFromTTY always, viewers in the background */
	struct strbuf *notes;
	/* state */
	char autoname[64];
	const char *dest; /* the file written, or NULL for standard output */
	bool opened;      /* dest open as file (streamed outputs) */
	struct cprof_outfile file;
	bool open_failed;
	struct cprof_error open_err;
	bool failed; /* standard output failed: error is the errno */
	int error;
};

void cprof_output_init(struct cprof_output *o, enum cprof_format f, const char *path, bool interactive,
		       struct strbuf *notes);
/* Whether the report should be handed over while it is made (-traces, -folded). */
bool cprof_output_streams(const struct cprof_output *o);
/* The spill callback of a streamed report (ctx: the struct cprof_output). */
void cprof_output_spill(void *ctx, struct strbuf *out);
/*
 * Deliver out (the whole report, or its rest when streamed). Returns 0, or
 * -1 with err set and *subject the file concerned ("" if none).
 */
int cprof_output_finish(struct cprof_output *o, struct strbuf *out, const char **subject,
			struct cprof_error *err);
/* Remove a half-written file (nothing once finished). */
void cprof_output_abort(struct cprof_output *o);
/* Flush the notes to standard error. */
void cprof_output_flush_notes(struct strbuf *notes);

#endif
