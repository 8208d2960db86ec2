/*
 * strbuf.h - growable string builder. sb.buf is never NULL and always
 * NUL-terminated, even right after STRBUF_INIT.
 */
#ifndef CPROF_STRBUF_H
#define CPROF_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include "cprof/util.h"

struct strbuf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT {0, 0, strbuf_slopbuf}

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
/* Take ownership of the buffer (malloc'd, NUL-terminated); sb is reset. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_setlen(struct strbuf *sb, size_t len);
#define strbuf_reset(sb) strbuf_setlen((sb), 0)
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addchars(struct strbuf *sb, int c, size_t n);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) CPROF_PRINTF(2, 3);
/*
 * Go's "%*s": s with spaces before it up to width runes (as Go counts
 * them, see cprof_utf8_runes), or after it for a negative width ("%-*s").
 * C's printf counts bytes, which differs as soon as s is not ASCII.
 */
void strbuf_addpad(struct strbuf *sb, const char *s, int width);
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Write the whole buffer to f; returns 0 or -1 (errno set). */
int strbuf_write(const struct strbuf *sb, FILE *f);

#endif
