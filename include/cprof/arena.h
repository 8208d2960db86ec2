/*
 * arena.h - bump allocator owning every object and string of one profile.
 *
 * Objects are never freed one by one: cprof_arena_release() frees them all.
 * Allocations are 8-byte aligned. Large requests get a chunk of their own so
 * a big string table does not waste the tail of the current chunk.
 */
#ifndef CPROF_ARENA_H
#define CPROF_ARENA_H

#include <stddef.h>

struct cprof_arena_chunk;

struct cprof_arena {
	struct cprof_arena_chunk *head; /* current chunk; older ones follow ->next */
	char *cur;                      /* next free byte in head */
	char *end;                      /* one past the last byte of head */
	size_t total;                   /* bytes obtained from malloc, for statistics */
};

#define CPROF_ARENA_INIT {0}

void cprof_arena_init(struct cprof_arena *a);
/* Uninitialised memory, 8-byte aligned; never NULL (exits on OOM). */
void *cprof_arena_alloc(struct cprof_arena *a, size_t size);
/* Zeroed memory. */
void *cprof_arena_calloc(struct cprof_arena *a, size_t n, size_t size);
/* A NUL-terminated copy of s[0..len). */
char *cprof_arena_strndup(struct cprof_arena *a, const char *s, size_t len);
/* A copy of n elements of size bytes each (n may be 0: returns a valid pointer). */
void *cprof_arena_memdup(struct cprof_arena *a, const void *p, size_t n, size_t size);
/* Move every chunk of src into dst (what src holds now lives as long as dst); src is left empty. */
void cprof_arena_adopt(struct cprof_arena *dst, struct cprof_arena *src);
/* Free every chunk; the arena is empty and reusable afterwards. */
void cprof_arena_release(struct cprof_arena *a);

#endif
