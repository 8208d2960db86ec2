/* outfile.c - output files written through a temporary name (see outfile.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cprof/outfile.h"
#include "cprof/util.h"

int cprof_write_file(const char *path, const void *data, size_t len, struct cprof_error *err)
{
	size_t n = cprof_st_add(strlen(path), 8);
	char *tmp = cprof_xmalloc(n);
	snprintf(tmp, n, "%s.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		cprof_error_set(err, CPROF_E_IO, "cannot create: %s", strerror(errno));
		free(tmp);
		return -1;
	}
	const char *p = data;
	size_t off = 0;
	int e = 0;
	while (off < len && !e) {
		ssize_t w = write(fd, p + off, len - off);
		if (w > 0)
			off += (size_t)w;
		else if (w < 0 && errno != EINTR)
			e = errno;
	}
	/* mkstemp made the file 0600; give it what fopen() would have */
	mode_t um = umask(0);
	umask(um);
	if (!e && fchmod(fd, 0666 & ~um))
		e = errno;
	if (close(fd) && !e)
		e = errno;
	if (!e && rename(tmp, path))
		e = errno;
	if (e) {
		cprof_error_set(err, CPROF_E_IO, "cannot write: %s", strerror(e));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}
