/*
 * options.h - the command line of report mode, declared once as a table
 * (src/driver/options.c) that both the parser and --help walk.
 *
 * Flags follow Go's flag package, as pprof's do: -name and --name,
 * -name=value and -name value (not for booleans: -name=false), parsing
 * stops at the first argument that is not a flag or after "--".
 */
#ifndef CPROF_OPTIONS_H
#define CPROF_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>
#include "cprof/report.h"
#include "cprof/session.h"
#include "cprof/transform.h"

/* Every value the command line can set, with pprof's defaults. */
struct cprof_config {
	/* report configuration (pprof's config struct), the default of every request */
	struct cprof_report_config rc;

	/* source options */
	const char *base, *diff_base;
	const char *symbolize, *buildid, *add_comment, *tools, *http;
	const char *tls_cert, *tls_key, *tls_ca;
	int seconds, timeout;
	bool no_browser, all_frames;
	bool inuse_space, inuse_objects, alloc_space, alloc_objects;
	bool total_delay, contentions, mean_delay;

	/* output formats: one flag (bool) or one regex each */
	bool format_flag[CPROF_FMT__COUNT];
	const char *format_arg[CPROF_FMT__COUNT];

	bool help, version;
};

enum cprof_opt_kind {
	OPT_BOOL,   /* bool field */
	OPT_INT,    /* int field */
	OPT_FLOAT,  /* double field */
	OPT_STRING, /* const char * field */
	OPT_CHOICE, /* boolean flag that selects `choice` in a string field */
	OPT_FORMAT, /* output format flag (bool or regex) */
};

struct cprof_opt {
	const char *name;
	enum cprof_opt_kind kind;
	size_t offset;       /* into struct cprof_config (fields); format index for OPT_FORMAT */
	const char *choice;  /* OPT_CHOICE: value stored; OPT_FORMAT: non-NULL when it takes a regex */
	const char *section; /* heading under which --help lists it */
	const char *help;
};

extern const struct cprof_opt cprof_opts[];
extern const size_t cprof_nopts;

/* Defaults as pprof's defaultConfig(). */
void cprof_config_init(struct cprof_config *c);

/*
 * Parse argv[0..argc) (without the program name). On success returns the
 * index of the first positional argument. On a usage error returns -1
 * with err set (the caller exits 64).
 */
int cprof_config_parse(struct cprof_config *c, int argc, char **argv, struct cprof_error *err);

/* pprof's post-parse checks and settings: output format, choices, sample
 * index aliases. Fills *format and *format_arg; adds notes for ignored
 * aliases. Returns 0 or -1 (usage error). */
int cprof_config_finish(struct cprof_config *c, enum cprof_format *format, const char **format_arg,
			struct strbuf *notes, struct cprof_error *err);

void cprof_usage(FILE *f);

#endif
