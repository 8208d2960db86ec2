/*
 * ui.h - the front ends over the driver (session.h): the batch command
 * line (src/ui/batch.c) and the interactive shell (src/ui/shell.c).
 */
#ifndef CPROF_UI_H
#define CPROF_UI_H

#include <stdbool.h>
#include "cprof/session.h"
#include "src/driver/options.h"

/* Report mode: pprof's command line (argv without the program name). */
int cprof_batch_main(int argc, char **argv);
/* pprof's interactive shell on a loaded session; cfg: the command line's settings. */
int cprof_shell_main(struct cprof_session *s, const struct cprof_report_config *cfg);

/* "cprof: error: <subject>: <what>" on standard error; returns exit status 2. */
int cprof_ui_fatal(const char *subject, const struct cprof_error *err);
/* A usage error and the --help hint; returns exit status 64. */
int cprof_ui_usage_error(const struct cprof_error *err);
/*
 * The session of the command line's sources (the binary or build id
 * before them taken out, -base or -diff_base); one_shot: for one request
 * (cprof_session_opts.one_shot). Returns 0, or the exit
 * status after printing the error.
 */
int cprof_ui_open_session(const struct cprof_config *cfg, const char **sources, size_t nsources,
			  bool one_shot, struct cprof_session **out);
/*
 * One request, delivered as pprof delivers it (src/driver/output.h);
 * interactive: the shell's rules. Notes are printed as they come. Returns
 * 0 or -1 with err and *subject set.
 */
int cprof_ui_report(struct cprof_session *s, const struct cprof_request *rq, bool interactive,
		    struct cprof_error *err, const char **subject);

#endif
