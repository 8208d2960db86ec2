/*
 * logread.c - streaming the lines of a text log, plain or gzip-compressed.
 *
 *   log  := line* [partial-line]
 *   line := byte* ("\n" | "\r\n")
 *
 * e.g. "2024-05-01T10:00:00Z app[42]: gc 7 @1.234s 3%: ...\n"
 *
 * Runtime trace logs are long (a day of schedtrace=1000 or a busy
 * gctrace) and are often stored rotated and gzipped, so they are never
 * read whole: zlib's gz* layer reads gzip members or plain bytes alike
 * (it looks at the first two bytes), and this file hands out one line at
 * a time from a fixed buffer. Memory is the buffer, whatever the input
 * size. A line longer than CPROF_LOG_MAX_LINE is cut there: no runtime
 * record is that long, and an endless line must not grow the buffer.
 *
 * A compressed log whose first 128 KiB (inflated) hold a NUL byte is
 * refused there: it is no text log, and a gzip bomb of zeros would
 * otherwise be inflated to its end. An uncompressed log is read whatever
 * it holds (a NUL-filled hole left by copytruncate rotation, say); its
 * size is what it is on disk.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "cprof/formats.h"
#include "cprof/runtime_logs.h"

#define CHUNK (1u << 20)

/* gzerror()'s message without the "<fd:3>: " that gzdopen() puts in front. */
static const char *gz_msg(gzFile gz, int *zerr)
{
	const char *msg = gzerror(gz, zerr);
	if (msg && !strncmp(msg, "<fd:", 4)) {
		const char *colon = strstr(msg, ": ");
		if (colon)
			msg = colon + 2;
	}
	return msg && *msg ? msg : "corrupt input";
}

static int sys_error(struct cprof_error *err, const char *what, int e)
{
	char msg[256];
	snprintf(msg, sizeof(msg), "%s", strerror(e));
	if (msg[0] >= 'A' && msg[0] <= 'Z' && !(msg[1] >= 'A' && msg[1] <= 'Z'))
		msg[0] = (char)(msg[0] - 'A' + 'a');
	return cprof_error_set(err, CPROF_E_IO, "%s: %s", what, msg);
}

/* Deliver one line, dropping a trailing CR. */
static inline void emit(cprof_line_fn fn, void *ctx, const char *p, size_t n, struct cprof_logread_stats *st)
{
	if (n && p[n - 1] == '\r')
		n--;
	st->lines++;
	fn(ctx, p, n);
}

/*
 * The line splitter over buf[0..len): calls fn for every complete line and
 * returns how many bytes it consumed (the rest is a partial line).
 */
static size_t split_lines(const char *buf, size_t len, cprof_line_fn fn, void *ctx,
			  struct cprof_logread_stats *st)
{
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		emit(fn, ctx, p, (size_t)(nl - p), st);
		p = nl + 1;
	}
	return (size_t)(p - buf);
}

void cprof_log_split(const char *buf, size_t len, cprof_line_fn fn, void *ctx)
{
	struct cprof_logread_stats st = {0};
	size_t used = split_lines(buf, len, fn, ctx, &st);
	if (used < len)
		emit(fn, ctx, buf + used, len - used, &st);
}

int cprof_log_read(const char *path, cprof_line_fn fn, void *ctx, struct cprof_logread_stats *st,
		   struct cprof_error *err)
{
	struct cprof_logread_stats dummy = {0};
	if (!st)
		st = &dummy;
	int is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sys_error(err, "cannot open", errno);
	struct stat sb;
	if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		close(fd);
		return cprof_error_set(err, CPROF_E_IO, "is a directory");
	}
	gzFile gz = gzdopen(fd, "rb");
	if (!gz) {
		close(fd);
		return cprof_error_set(err, CPROF_E_IO, "cannot open: out of memory");
	}
	gzbuffer(gz, 256u << 10);

	/* buf holds [partial line carried over][new data]; skipping = inside an over-long line */
	char *buf = cprof_xmalloc(CHUNK + CPROF_LOG_MAX_LINE);
	size_t have = 0;
	bool skipping = false;
	int rc = 0;
	for (;;) {
		int n = gzread(gz, buf + have, CHUNK);
		if (n < 0) {
			int zerr;
			const char *msg = gz_msg(gz, &zerr);
			if (zerr == Z_ERRNO)
				rc = sys_error(err, "cannot read", errno);
			else
				rc = cprof_error_set(err, CPROF_E_CORRUPT, "decompressing: %s", msg);
			break;
		}
		if (n == 0)
			break;
		if (st->bytes < CPROF_HEAD_BYTES && !gzdirect(gz)) {
			size_t look = CPROF_HEAD_BYTES - st->bytes < (size_t)n ? CPROF_HEAD_BYTES - st->bytes : (size_t)n;
			const char *nul = memchr(buf + have, '\0', look);
			if (nul) {
				rc = cprof_error_set(err, CPROF_E_FORMAT,
						     "not a text log: NUL byte in the first %zu KiB inflated, at byte %llu",
						     CPROF_HEAD_BYTES >> 10,
						     (unsigned long long)(st->bytes + (uint64_t)(nul - (buf + have))));
				break;
			}
		}
		st->bytes += (uint64_t)n;
		size_t len = have + (size_t)n;
		size_t start = 0;
		if (skipping) {
			/* drop the rest of an over-long line */
			const char *nl = memchr(buf, '\n', len);
			if (!nl) {
				have = 0;
				continue;
			}
			start = (size_t)(nl - buf) + 1;
			skipping = false;
		}
		size_t used = start + split_lines(buf + start, len - start, fn, ctx, st);
		have = len - used;
		if (have >= CPROF_LOG_MAX_LINE) {
			emit(fn, ctx, buf + used, CPROF_LOG_MAX_LINE, st);
			st->long_lines++;
			have = 0;
			skipping = true;
		} else if (have && used) {
			memmove(buf, buf + used, have);
		}
	}
	if (rc == 0) {
		/*
		 * gzread() returns 0 both at the end and when a gzip stream is cut
		 * short; gzerror() tells them apart.
		 */
		int zerr = Z_OK;
		const char *msg = gz_msg(gz, &zerr);
		if (zerr != Z_OK && zerr != Z_STREAM_END)
			rc = cprof_error_set(err, CPROF_E_CORRUPT, "decompressing: %s", msg);
		else if (have && !skipping)
			emit(fn, ctx, buf, have, st);
	}
	st->gzip = gzdirect(gz) == 0;
	free(buf);
	if (gzclose_r(gz) != Z_OK && rc == 0)
		rc = cprof_error_set(err, CPROF_E_IO, "cannot read: close failed");
	return rc;
}
