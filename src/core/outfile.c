/* outfile.c - output files written through a temporary name (see outfile.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cprof/outfile.h"
#include "cprof/util.h"

int cprof_outfile_open(struct cprof_outfile *f, const char *path, struct cprof_error *err)
{
	struct stat st;
	memset(f, 0, sizeof(*f));
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		/* a device or a pipe (-output=/dev/null, /dev/stdout): written in place, never replaced */
		f->fd = open(path, O_WRONLY | O_CLOEXEC);
		if (f->fd < 0)
			return cprof_error_set(err, CPROF_E_IO, "cannot create: %s", strerror(errno));
		f->path = cprof_xstrdup(path);
		return 0;
	}
	size_t n = cprof_st_add(strlen(path), 8);
	f->tmp = cprof_xmalloc(n);
	snprintf(f->tmp, n, "%s.XXXXXX", path);
	f->fd = mkstemp(f->tmp);
	if (f->fd < 0) {
		cprof_error_set(err, CPROF_E_IO, "cannot create: %s", strerror(errno));
		free(f->tmp);
		f->tmp = NULL;
		return -1;
	}
	f->path = cprof_xstrdup(path);
	return 0;
}

int cprof_outfile_write(struct cprof_outfile *f, const void *data, size_t len)
{
	const char *p = data;
	size_t off = 0;
	while (off < len && !f->error) {
		ssize_t w = write(f->fd, p + off, len - off);
		if (w > 0)
			off += (size_t)w;
		else if (w < 0 && errno != EINTR)
			f->error = errno;
	}
	return f->error ? -1 : 0;
}

static void outfile_release(struct cprof_outfile *f)
{
	free(f->tmp);
	free(f->path);
	f->tmp = f->path = NULL;
	f->fd = -1;
}

int cprof_outfile_commit(struct cprof_outfile *f, struct cprof_error *err)
{
	int e = f->error;
	if (!f->tmp) { /* written in place */
		if (close(f->fd) && !e)
			e = errno;
		if (e)
			cprof_error_set(err, CPROF_E_IO, "cannot write: %s", strerror(e));
		outfile_release(f);
		return e ? -1 : 0;
	}
	/* mkstemp made the file 0600; give it what fopen() would have */
	mode_t um = umask(0);
	umask(um);
	if (!e && fchmod(f->fd, 0666 & ~um))
		e = errno;
	if (close(f->fd) && !e)
		e = errno;
	if (!e && rename(f->tmp, f->path))
		e = errno;
	if (e) {
		cprof_error_set(err, CPROF_E_IO, "cannot write: %s", strerror(e));
		unlink(f->tmp);
	}
	outfile_release(f);
	return e ? -1 : 0;
}

void cprof_outfile_abort(struct cprof_outfile *f)
{
	if (!f->path)
		return;
	close(f->fd);
	if (f->tmp)
		unlink(f->tmp);
	outfile_release(f);
}

int cprof_write_file(const char *path, const void *data, size_t len, struct cprof_error *err)
{
	struct cprof_outfile f;
	if (cprof_outfile_open(&f, path, err))
		return -1;
	cprof_outfile_write(&f, data, len);
	return cprof_outfile_commit(&f, err);
}
