/*
 * arena.c - chunked bump allocator (see arena.h).
 *
 * Chunks double from 64 KiB up to 16 MiB; a request larger than a quarter
 * of the next chunk size gets a dedicated chunk, linked behind the current
 * one so the current chunk's free tail stays usable.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/arena.h"
#include "cprof/util.h"

struct cprof_arena_chunk {
	struct cprof_arena_chunk *next;
	size_t size;
	/* data follows, 16-byte aligned */
	_Alignas(16) char data[];
};

#define ARENA_MIN_CHUNK ((size_t)64 << 10)
#define ARENA_MAX_CHUNK ((size_t)16 << 20)

void cprof_arena_init(struct cprof_arena *a)
{
	memset(a, 0, sizeof(*a));
}

static struct cprof_arena_chunk *new_chunk(struct cprof_arena *a, size_t size)
{
	struct cprof_arena_chunk *c =
		cprof_xmalloc(cprof_st_add(sizeof(struct cprof_arena_chunk), size));
	c->size = size;
	a->total += size;
	return c;
}

void *cprof_arena_alloc(struct cprof_arena *a, size_t size)
{
	size = (size + 7) & ~(size_t)7;
	if (size == 0)
		size = 8;
	if ((size_t)(a->end - a->cur) >= size && a->cur) {
		void *p = a->cur;
		a->cur += size;
		return p;
	}
	size_t next = a->head ? a->head->size * 2 : ARENA_MIN_CHUNK;
	if (next > ARENA_MAX_CHUNK)
		next = ARENA_MAX_CHUNK;
	if (size > next / 4) {
		/* dedicated chunk, kept behind the current one */
		struct cprof_arena_chunk *c = new_chunk(a, size);
		if (a->head) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = NULL;
			a->head = c;
			a->cur = a->end = c->data + size;
		}
		return c->data;
	}
	struct cprof_arena_chunk *c = new_chunk(a, next);
	c->next = a->head;
	a->head = c;
	a->cur = c->data + size;
	a->end = c->data + next;
	return c->data;
}

void *cprof_arena_calloc(struct cprof_arena *a, size_t n, size_t size)
{
	size_t bytes = cprof_st_mult(n, size);
	void *p = cprof_arena_alloc(a, bytes);
	memset(p, 0, bytes);
	return p;
}

char *cprof_arena_strndup(struct cprof_arena *a, const char *s, size_t len)
{
	char *p = cprof_arena_alloc(a, cprof_st_add(len, 1));
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void *cprof_arena_memdup(struct cprof_arena *a, const void *src, size_t n, size_t size)
{
	size_t bytes = cprof_st_mult(n, size);
	void *p = cprof_arena_alloc(a, bytes);
	if (bytes)
		memcpy(p, src, bytes);
	return p;
}

void cprof_arena_adopt(struct cprof_arena *dst, struct cprof_arena *src)
{
	if (!src->head)
		return;
	struct cprof_arena_chunk *last = src->head;
	while (last->next)
		last = last->next;
	if (dst->head) {
		/* behind dst's current chunk, whose free tail stays in use */
		last->next = dst->head->next;
		dst->head->next = src->head;
	} else {
		dst->head = src->head;
		dst->cur = src->cur;
		dst->end = src->end;
	}
	dst->total += src->total;
	memset(src, 0, sizeof(*src));
}

void cprof_arena_release(struct cprof_arena *a)
{
	struct cprof_arena_chunk *c = a->head;
	while (c) {
		struct cprof_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	memset(a, 0, sizeof(*a));
}
