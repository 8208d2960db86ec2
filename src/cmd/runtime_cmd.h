/*
 * runtime_cmd.h - the one driver behind `cprof gctrace` and `cprof
 * schedtrace`: options (src/cmd/subcmd_flags.c, as every subcommand), reading
 * several logs into one, summarising, rendering as text, JSON or SVG,
 * alone or beside a -base log, writing the output, and the
 * -max_regression gate. Each command is a table of its log's functions
 * (struct rt_command); the driver knows no log by name.
 */
#ifndef CPROF_SRC_RUNTIME_CMD_H
#define CPROF_SRC_RUNTIME_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cprof/runtime_logs.h"
#include "cprof/strbuf.h"

/*
 * A runtime-log command. "log" is the command's log struct (struct
 * cprof_gclog, struct cprof_schedlog), "sum" its summary; the driver only
 * allocates them (log_size, sum_size) and hands them back.
 */
struct rt_command {
	const char *name;       /* "gctrace" */
	const char *what;       /* the -help paragraph */
	const char *trace;      /* what the log holds, for errors: "gctrace" */
	const char *other;      /* the other command's trace: "schedtrace" */
	const char *godebug;    /* how to get such a log: "GODEBUG=gctrace=1" */
	size_t log_size, sum_size;
	void (*init)(void *log);
	void (*release)(void *log);
	cprof_line_fn line_fn;
	void (*finish)(void *log); /* after the last line of the last file */
	/* records found, and lines of the other command's trace */
	uint64_t (*count)(const void *log, uint64_t *other);
	void (*summarize)(const void *log, void *sum);
	void (*text)(const void *sum, const void *log, const struct cprof_runtime_src *src, const void *base,
		     const struct cprof_runtime_src *base_src, struct strbuf *out);
	void (*json)(const void *sum, const void *log, const void *base, struct strbuf *out);
	void (*svg)(const void *log, const void *sum, const void *blog, const void *bsum, const char *title,
		    struct strbuf *out);
	const struct cprof_metric_set *metrics; /* key figures, for the gate */
};

/* Run cmd on argv (argv[0] is the command name); returns the exit status. */
int rt_main(const struct rt_command *cmd, int argc, char **argv);

#endif
