/*
 * strtab.c - string interning with open addressing (see profile.h).
 *
 * Keys are FNV-1a hashes; the table keeps the hash per slot so growing
 * never rehashes bytes, and compares lengths via strncmp + terminator.
 * Load factor stays below 1/2.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/profile.h"

static uint32_t hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

void cprof_strtab_init(struct cprof_strtab *t, struct cprof_arena *arena)
{
	memset(t, 0, sizeof(*t));
	t->arena = arena;
}

void cprof_strtab_release(struct cprof_strtab *t)
{
	free(t->slot);
	free(t->hash);
	t->slot = NULL;
	t->hash = NULL;
	t->size = t->count = 0;
}

static void grow(struct cprof_strtab *t)
{
	size_t nsize = t->size ? t->size * 2 : 256;
	const char **nslot = cprof_xcalloc(nsize, sizeof(*nslot));
	uint32_t *nhash = cprof_xcalloc(nsize, sizeof(*nhash));
	for (size_t i = 0; i < t->size; i++) {
		if (!t->slot[i])
			continue;
		size_t j = t->hash[i] & (nsize - 1);
		while (nslot[j])
			j = (j + 1) & (nsize - 1);
		nslot[j] = t->slot[i];
		nhash[j] = t->hash[i];
	}
	free(t->slot);
	free(t->hash);
	t->slot = nslot;
	t->hash = nhash;
	t->size = nsize;
}

const char *cprof_strtab_intern(struct cprof_strtab *t, const char *s, size_t len)
{
	if ((t->count + 1) * 2 > t->size)
		grow(t);
	uint32_t h = hash_bytes(s, len);
	size_t j = h & (t->size - 1);
	while (t->slot[j]) {
		if (t->hash[j] == h && strncmp(t->slot[j], s, len) == 0 && t->slot[j][len] == '\0')
			return t->slot[j];
		j = (j + 1) & (t->size - 1);
	}
	const char *copy = cprof_arena_strndup(t->arena, s, len);
	t->slot[j] = copy;
	t->hash[j] = h;
	t->count++;
	return copy;
}
