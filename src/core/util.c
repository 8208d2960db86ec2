/* util.c - checked allocation and size arithmetic (see util.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/util.h"

volatile sig_atomic_t cprof_interrupt;

void cprof_die_oom(void)
{
	fputs("cprof: error: out of memory\n", stderr);
	exit(2);
}

void *cprof_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		cprof_die_oom();
	return p;
}

void *cprof_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		cprof_die_oom();
	return p;
}

void *cprof_xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		cprof_die_oom();
	return p;
}

char *cprof_xstrndup(const char *s, size_t n)
{
	char *p = cprof_xmalloc(cprof_st_add(n, 1));
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *cprof_xstrdup(const char *s)
{
	return cprof_xstrndup(s, strlen(s));
}

size_t cprof_st_mult(size_t a, size_t b)
{
	if (b && a > SIZE_MAX / b)
		cprof_die_oom();
	return a * b;
}

size_t cprof_st_add(size_t a, size_t b)
{
	if (a > SIZE_MAX - b)
		cprof_die_oom();
	return a + b;
}

size_t cprof_utf8_size(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned c = p[0];
	size_t need;
	unsigned lo = 0x80, hi = 0xbf; /* the range of the second byte */
	if (c < 0x80)
		return 1;
	if (c < 0xc2 || c > 0xf4)
		return 1;
	if (c < 0xe0) {
		need = 2;
	} else if (c < 0xf0) {
		need = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else {
		need = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	}
	if (n < need || p[1] < lo || p[1] > hi)
		return 1;
	for (size_t i = 2; i < need; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 1;
	return need;
}

size_t cprof_utf8_runes(const char *s, size_t n)
{
	size_t runes = 0;
	for (size_t i = 0; i < n; runes++) {
		if ((unsigned char)s[i] < 0x80)
			i++;
		else
			i += cprof_utf8_size(s + i, n - i);
	}
	return runes;
}
