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
 * A path that names a device or a pipe (/dev/null, /dev/stdout, a FIFO)
 * is written in place: renaming over it would replace the device.
 */
int cprof_write_file(const char *path, const void *data, size_t len, struct cprof_error *err);

/*
 * The same in steps, for output written as it is made: open creates the
 * temporary file ("cannot create: ..."), write appends (an error is kept
 * for commit), commit renames it over path ("cannot write: ..."), abort
 * removes it. Each returns 0 or -1.
 */
struct cprof_outfile {
	char *path, *tmp;
	int fd;
	int error; /* the first errno of a write */
};
int cprof_outfile_open(struct cprof_outfile *f, const char *path, struct cprof_error *err);
int cprof_outfile_write(struct cprof_outfile *f, const void *data, size_t len);
int cprof_outfile_commit(struct cprof_outfile *f, struct cprof_error *err);
void cprof_outfile_abort(struct cprof_outfile *f);

#endif
