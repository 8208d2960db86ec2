/*
 * runtime_cmd.h - what `cprof gctrace` and `cprof schedtrace` share: their
 * option table and parser (Go flag syntax, as the rest of cprof), reading
 * several logs into one, writing the output, and the -base gate.
 */
#ifndef CPROF_SRC_RUNTIME_CMD_H
#define CPROF_SRC_RUNTIME_CMD_H

#include <stdbool.h>

#include "cprof/runtime_logs.h"
#include "cprof/strbuf.h"

struct rt_opts {
	bool text, json, svg, help;
	const char *output;     /* -output=FILE, or NULL for standard output */
	const char *base;       /* -base=FILE, or NULL */
	double max_regression;  /* -max_regression=PCT, or NAN */
	char **files;           /* the logs */
	int nfiles;
};

/*
 * Parse argv (argv[0] is the command name). Returns -1 when the caller
 * should go on, or the exit status (0 after -help, 64 after a usage error,
 * which it has printed).
 */
int rt_parse(const char *cmd, const char *what, int argc, char **argv, struct rt_opts *o);

/*
 * Stream every file (or "-") through fn into ctx. On error prints
 * "cprof: error: <file>: <what>" and returns 2; otherwise 0.
 */
int rt_read(const char *const *files, int nfiles, cprof_line_fn fn, void *ctx);

/* Print the house error line for subject and return 2. */
int rt_fatal(const char *subject, const char *fmt, ...) CPROF_PRINTF(2, 3);

/* Write out to -output (through a temporary file and a rename) or to stdout; 0 or 2. */
int rt_write(const struct rt_opts *o, const struct strbuf *out);

/*
 * The -max_regression gate: 1 (after one stderr line per figure) when a
 * key figure with a better direction got worse than base by more than the
 * limit, else 0.
 */
int rt_gate(const struct rt_opts *o, const struct cprof_metric *m, size_t nm, const double *base,
	    const double *cur);

/* "a.log, b.log" of the files, for headers and error subjects. */
void rt_subject(struct strbuf *sb, char *const *files, int nfiles);

#endif
