/*
 * gzip.c - reading a file into memory, and inflating gzip (RFC 1952).
 *
 *   member := 1f 8b 08 flags mtime(4) xfl os [extra] [name] [comment] [hcrc]
 *             deflate-data crc32(4) isize(4)
 *   file   := member+
 *
 * e.g. a Go profile starts 1f 8b 08 00 00 00 00 00 04 ff ("max speed", OS
 * unknown). Like Go's gzip reader (which pprof uses), every member is
 * inflated and the outputs concatenated; bytes after the last member must
 * be another member, so trailing garbage is an error. The inflated size is
 * capped by cprof_limits.max_inflated: a 1 KB "gzip bomb" can expand to
 * gigabytes.
 *
 * Error texts follow Go's (compress/gzip, compress/flate), prefixed
 * "decompressing profile: " as pprof does.
 *
 * With libdeflate (optional, CPROF_HAVE_LIBDEFLATE), a single-member file
 * whose ISIZE field gives its size is inflated by it in one call, about
 * twice as fast as zlib; anything else, and any failure, goes through
 * zlib from the start, so errors are always zlib's.
 *
 * cprof_read_input() shows the first CPROF_HEAD_BYTES of the content
 * (inflated) to a check before reading or inflating the rest, so that a
 * gzip bomb whose first bytes cannot start the format the caller wants
 * (a megabyte of gzip holding a gigabyte of zeros) is refused after 128 KiB
 * instead of after the limit: the head is inflated on its own (zlib, across
 * members) and then, when the check passes, the whole input as before; the
 * 128 KiB inflated twice cost well under a millisecond.
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
#ifdef CPROF_HAVE_LIBDEFLATE
#include <libdeflate.h>
#endif

#include "cprof/formats.h"

struct cprof_limits cprof_limits = {
	.max_inflated = 1ULL << 30,
	.max_depth = 1000000,
	.max_samples = 100000000,
	.max_locations = 100000000,
	.max_string = 16u << 20,
};

/* "cannot open: no such file or directory": the caller names the file */
static int io_error(struct cprof_error *err, const char *what, int e)
{
	char msg[256];
	snprintf(msg, sizeof(msg), "%s", strerror(e));
	if (msg[0] >= 'A' && msg[0] <= 'Z' && !(msg[1] >= 'A' && msg[1] <= 'Z'))
		msg[0] = (char)(msg[0] - 'A' + 'a');
	return cprof_error_set(err, CPROF_E_IO, "%s: %s", what, msg);
}

/*
 * Read from fd into out until it holds at least want bytes or the input
 * ends (*eof set); -1 with err set on a read error or past the size limit.
 */
static int read_upto(int fd, struct strbuf *out, size_t want, bool *eof, struct cprof_error *err)
{
	*eof = false;
	while (out->len < want) {
		strbuf_grow(out, 64 << 10);
		size_t room = out->alloc - out->len - 1;
		if (room > want - out->len)
			room = want - out->len;
		ssize_t n = read(fd, out->buf + out->len, room);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return io_error(err, "cannot read", errno);
		}
		if (n == 0) {
			*eof = true;
			break;
		}
		strbuf_setlen(out, out->len + (size_t)n);
		if (out->len > cprof_limits.max_inflated)
			return cprof_error_set(err, CPROF_E_LIMIT,
					       "input size exceeds the limit of %llu bytes (-max_input_size)",
					       (unsigned long long)cprof_limits.max_inflated);
	}
	return 0;
}

/* Open path ("-": standard input) for reading; the fd, or -1 with err set. */
static int open_input(const char *path, struct strbuf *out, struct cprof_error *err)
{
	int stdin_ = strcmp(path, "-") == 0;
	int fd = stdin_ ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return io_error(err, "cannot open", errno);
	if (fstat(fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			if (!stdin_)
				close(fd);
			return cprof_error_set(err, CPROF_E_IO, "is a directory");
		}
		if (S_ISREG(st.st_mode) && st.st_size > 0)
			strbuf_grow(out, (size_t)st.st_size + 1);
	}
	return fd;
}

static void close_input(const char *path, int fd)
{
	if (strcmp(path, "-") != 0)
		close(fd);
}

int cprof_read_file(const char *path, struct strbuf *out, struct cprof_error *err)
{
	bool eof;
	int fd = open_input(path, out, err);
	if (fd < 0)
		return -1;
	int r = read_upto(fd, out, SIZE_MAX, &eof, err);
	close_input(path, fd);
	return r;
}

static int gz_fail(struct cprof_error *err, const char *what)
{
	return cprof_error_set(err, CPROF_E_CORRUPT, "decompressing profile: %s", what);
}

/* The fixed part of a member header must be there and say "gzip, deflate". */
static int check_header(const unsigned char *p, size_t n, struct cprof_error *err)
{
	if (n < 10)
		return gz_fail(err, "unexpected EOF");
	if (p[0] != 0x1f || p[1] != 0x8b || p[2] != 8)
		return gz_fail(err, "gzip: invalid header");
	return 0;
}

/* Length of the member header at p (fixed part, optional fields), or n if cut short. */
static size_t header_len(const unsigned char *p, size_t n)
{
	size_t i = 10;
	unsigned flags = p[3];
	if (flags & 4) { /* FEXTRA */
		if (i + 2 > n)
			return n;
		i += 2 + (size_t)(p[i] | p[i + 1] << 8);
	}
	for (unsigned f = 8; f <= 16; f += 8) /* FNAME, FCOMMENT: NUL-terminated */
		if (flags & f) {
			while (i < n && p[i])
				i++;
			i++;
		}
	if (flags & 2) /* FHCRC */
		i += 2;
	return i < n ? i : n;
}

#ifdef CPROF_HAVE_LIBDEFLATE
/* The whole of data as one gzip member of isize bytes, appended to out; false if it is not. */
static bool gunzip_whole(const unsigned char *data, size_t len, uint32_t isize, struct strbuf *out)
{
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	if (!d)
		return false;
	size_t base = out->len, in_used = 0, out_len = 0;
	strbuf_grow(out, (size_t)isize + 1);
	enum libdeflate_result r = libdeflate_gzip_decompress_ex(d, data, len, out->buf + base,
								 isize, &in_used, &out_len);
	libdeflate_free_decompressor(d);
	if (r != LIBDEFLATE_SUCCESS || in_used != len || out_len != isize) {
		strbuf_setlen(out, base);
		return false;
	}
	strbuf_setlen(out, base + out_len);
	return true;
}
#endif

/*
 * Inflate the first CPROF_HEAD_BYTES of data (gzip, its members one after
 * the other) and show them to check. Returns -1 (err set) when the check
 * refuses them, 0 otherwise: when it passes, when the content is shorter
 * (nothing to save: it is read whole anyway) and when the gzip stream is
 * broken before (the full inflate reports that, with its usual message).
 */
static int check_gzip_head(const unsigned char *data, size_t len, cprof_head_check check, void *ctx,
			   struct cprof_error *err)
{
	unsigned char *head = cprof_xmalloc(CPROF_HEAD_BYTES);
	z_stream zs;
	int ret = 0;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
		free(head);
		return 0;
	}
	zs.next_in = (unsigned char *)data;
	zs.avail_in = len < UINT_MAX ? (uInt)len : UINT_MAX;
	zs.next_out = head;
	zs.avail_out = CPROF_HEAD_BYTES;
	while (zs.avail_out > 0) {
		int zr = inflate(&zs, Z_NO_FLUSH);
		if (zr == Z_STREAM_END) {
			size_t used = (size_t)(zs.next_in - data);
			if (zs.avail_in < 2 || data[used] != 0x1f || data[used + 1] != 0x8b ||
			    inflateReset(&zs) != Z_OK)
				break;
			continue;
		}
		if (zr != Z_OK)
			break;
	}
	if (zs.avail_out == 0)
		ret = check(head, CPROF_HEAD_BYTES, ctx, err);
	inflateEnd(&zs);
	free(head);
	return ret;
}

static int gunzip(const unsigned char *data, size_t len, struct strbuf *out, cprof_head_check check,
		  void *ctx, struct cprof_error *err)
{
	z_stream zs;
	size_t pos = 0; /* bytes of data consumed */
	size_t member_start = 0;
	int ret = -1, zr;

	if (len < 2 || data[0] != 0x1f || data[1] != 0x8b)
		return 0;
	if (check_header(data, len, err) < 0)
		return -1;
	if (check && check_gzip_head(data, len, check, ctx, err) < 0)
		return -1;

	/*
	 * Pre-size from the last member's ISIZE field (the size mod 2^32 of a
	 * single-member file), distrusting hints far beyond any real ratio.
	 */
	uint32_t isize = (uint32_t)data[len - 4] | (uint32_t)data[len - 3] << 8 |
			 (uint32_t)data[len - 2] << 16 | (uint32_t)data[len - 1] << 24;
	if (isize <= cprof_limits.max_inflated && isize / 1032 <= len) {
#ifdef CPROF_HAVE_LIBDEFLATE
		if (len >= 18 && gunzip_whole(data, len, isize, out))
			return 1;
#endif
		strbuf_grow(out, isize + 1);
	}

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return gz_fail(err, zs.msg ? zs.msg : "cannot initialise zlib");

	for (;;) {
		if (zs.avail_in == 0 && pos < len) {
			size_t chunk = len - pos < UINT_MAX ? len - pos : UINT_MAX;
			zs.next_in = (unsigned char *)data + pos;
			zs.avail_in = (uInt)chunk;
			pos += chunk;
		}
		if (out->alloc - out->len < 2)
			strbuf_grow(out, out->len < (64 << 10) ? (64 << 10) : out->len);
		size_t room = out->alloc - out->len - 1;
		if (room > UINT_MAX)
			room = UINT_MAX;
		zs.next_out = (unsigned char *)out->buf + out->len;
		zs.avail_out = (uInt)room;
		zr = inflate(&zs, Z_NO_FLUSH);
		strbuf_setlen(out, out->len + (room - zs.avail_out));
		if (out->len > cprof_limits.max_inflated) {
			cprof_error_set(err, CPROF_E_LIMIT,
					"decompressing profile: inflated size exceeds the limit of %llu bytes (-max_input_size)",
					(unsigned long long)cprof_limits.max_inflated);
			goto out;
		}
		if (zr == Z_STREAM_END) {
			/* another member, the end of input, or garbage */
			size_t consumed = pos - zs.avail_in;
			if (consumed == len)
				break;
			if (check_header(data + consumed, len - consumed, err) < 0)
				goto out;
			member_start = consumed;
			inflateReset(&zs);
			continue;
		}
		if (zr == Z_OK)
			continue;
		if (zr == Z_BUF_ERROR && zs.avail_in == 0 && pos == len) {
			gz_fail(err, "unexpected EOF");
			goto out;
		}
		if (zr == Z_BUF_ERROR)
			continue;
		if (zr == Z_DATA_ERROR && zs.msg &&
		    (strstr(zs.msg, "header") || strstr(zs.msg, "compression method") ||
		     strstr(zs.msg, "flags"))) {
			gz_fail(err, "gzip: invalid header");
		} else if (zr == Z_DATA_ERROR && zs.msg &&
			   (strstr(zs.msg, "data check") || strstr(zs.msg, "length check"))) {
			gz_fail(err, "gzip: invalid checksum");
		} else if (zr == Z_DATA_ERROR) {
			char buf[96];
			/* Go counts from the start of the deflate data */
			size_t at = pos - zs.avail_in - member_start;
			size_t hl = header_len(data + member_start, len - member_start);
			snprintf(buf, sizeof(buf), "flate: corrupt input before offset %zu",
				 at > hl ? at - hl : 0);
			gz_fail(err, buf);
		} else {
			gz_fail(err, zs.msg ? zs.msg : "zlib error");
		}
		goto out;
	}
	ret = 1;
out:
	inflateEnd(&zs);
	return ret;
}

int cprof_gunzip(const unsigned char *data, size_t len, struct strbuf *out, struct cprof_error *err)
{
	return gunzip(data, len, out, NULL, NULL, err);
}

int cprof_read_input(const char *path, struct strbuf *out, cprof_head_check check, void *ctx,
		     struct cprof_error *err)
{
	struct strbuf raw = STRBUF_INIT;
	bool eof = false;
	int fd = open_input(path, &raw, err), r = -1;

	if (fd < 0)
		goto out;
	/*
	 * Plain content gets its check once the head is in, before the rest
	 * is read; gzip is read whole (it is the small side) and inflated with
	 * the check.
	 */
	if (read_upto(fd, &raw, CPROF_HEAD_BYTES, &eof, err) < 0)
		goto out;
	bool gz = raw.len >= 2 && (unsigned char)raw.buf[0] == 0x1f && (unsigned char)raw.buf[1] == 0x8b;
	if (!gz && !eof && check && check((const unsigned char *)raw.buf, raw.len, ctx, err) < 0)
		goto out;
	if (!eof && read_upto(fd, &raw, SIZE_MAX, &eof, err) < 0)
		goto out;
	if (gz) {
		r = gunzip((const unsigned char *)raw.buf, raw.len, out, check, ctx, err) < 0 ? -1 : 0;
	} else {
		struct strbuf t = *out;
		*out = raw;
		raw = t;
		r = 0;
	}
out:
	if (fd >= 0)
		close_input(path, fd);
	strbuf_release(&raw);
	return r;
}
