/*
 * outfile.h - writing an output file so that an error never leaves half of
 * it behind: the bytes go to a temporary file beside the destination, which
 * is renamed over it only once everything is written and closed.
 */
#ifndef CPROF_OUTFILE_H
#define CPROF_OUTFILE_H

#include <stddef.h>

#include "cprof/error.h"

/*
 * Write len bytes of data to path through "<path>.XXXXXX" and rename(2).
 * The file gets mode 0666 less the umask, as fopen() would give it. On error
 * the temporary file is removed, path is untouched, and err says what failed
 * ("cannot create: ..." or "cannot write: ..."); returns 0 or -1.
 */
int cprof_write_file(const char *path, const void *data, size_t len, struct cprof_error *err);

#endif
