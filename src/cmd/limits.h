/*
 * limits.h - the -max_* flags that set cprof_limits (include/cprof/formats.h).
 *
 * They apply to report mode and to every command, so main() takes them out
 * of argv before anything else parses it.
 */
#ifndef CPROF_LIMITS_H
#define CPROF_LIMITS_H

#include <stdio.h>

#include "cprof/error.h"

/*
 * Remove every limit flag (-max_input_size=N, --max_depth N, ...) from
 * argv[1..*argc) up to a "--", setting cprof_limits, and shift the rest
 * down (*argc shrinks). N is a positive integer, optionally followed by
 * K, M or G (times 1024, 1024^2, 1024^3). Returns 0, or -1 with err set
 * (CPROF_E_USAGE) for a bad or missing value.
 */
int cprof_limits_take_args(int *argc, char **argv, struct cprof_error *err);

/* The "Limits" section of --help. */
void cprof_limits_usage(FILE *f);

#endif
