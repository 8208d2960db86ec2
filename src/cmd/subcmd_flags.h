/*
 * subcmd_flags.h - the command line of a subcommand, declared as a table
 * that both the parser and the usage text walk.
 *
 * Syntax follows Go's flag package, as report mode does: -name and
 * --name; -name=value and -name value for strings; a boolean is set by
 * -name or -name=true and cleared by -name=false. Unlike Go, flags may
 * also follow the positional arguments (`cprof goroutines dump.txt -json`);
 * "--" ends the flags, and "-" alone is a positional argument (stdin).
 */
#ifndef CPROF_SUBCMD_FLAGS_H
#define CPROF_SUBCMD_FLAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cprof/error.h"

enum subcmd_flag_kind {
	SUBCMD_BOOL,   /* bool *value */
	SUBCMD_STRING, /* const char **value */
};

struct subcmd_flag {
	const char *name;
	enum subcmd_flag_kind kind;
	void *value;
	const char *arg;  /* placeholder in the usage text ("re"); NULL for booleans */
	const char *help;
};

/*
 * Parse argv[1..argc) (argv[0] is the command name) against flags[0..n).
 * Positional arguments are moved, in order, to the front of argv[1..];
 * their count is stored in *npos. -h, -help and --help set *help.
 * Returns 0, or -1 with err set (CPROF_E_USAGE).
 */
int subcmd_flags_parse(const struct subcmd_flag *flags, size_t n, int argc, char **argv, int *npos,
		       bool *help, struct cprof_error *err);

/* "usage: <synopsis>" then one line per flag. */
void subcmd_flags_usage(FILE *f, const char *synopsis, const char *summary, const struct subcmd_flag *flags,
			size_t n);

#endif
