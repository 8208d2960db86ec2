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
