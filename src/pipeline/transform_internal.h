/*
 * transform_internal.h - pieces shared by the pipeline steps of
 * include/cprof/transform.h (merge.c, filter.c, prune.c, tagroot.c), not
 * part of the public API.
 */
#ifndef CPROF_TRANSFORM_INTERNAL_H
#define CPROF_TRANSFORM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "cprof/profile.h"
#include "cprof/regex.h"

/* ---- hashing --------------------------------------------------------------- */

static inline uint64_t xf_hash_mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 32);
}

static inline uint64_t xf_hash_ptr(uint64_t h, const void *p)
{
	return xf_hash_mix(h, (uint64_t)(uintptr_t)p);
}

/*
 * A map from a pair of 64-bit keys to a 32-bit value, open addressing,
 * load factor below 1/2. Used for pointer-pair caches (interned strings
 * compare by address) and source-to-result translations.
 */
struct xf_pairmap {
	uint64_t *k1, *k2;
	uint32_t *val;
	unsigned char *used;
	size_t size, count; /* size is 0 or a power of two */
};

void xf_pairmap_release(struct xf_pairmap *m);
/* Pointer to the value of (k1, k2), or NULL. */
uint32_t *xf_pairmap_get(const struct xf_pairmap *m, uint64_t k1, uint64_t k2);
/* Pointer to the value of (k1, k2), inserting `def` first if absent; *added says which. */
uint32_t *xf_pairmap_put(struct xf_pairmap *m, uint64_t k1, uint64_t k2, uint32_t def, int *added);

/* ---- names ----------------------------------------------------------------- */

/*
 * pprof's simplifyFunc: drop one leading '.', then cut the argument list at
 * the first '(' that does not start "(anonymous namespace)" and is not part
 * of "operator()". Returns the length of the simplified name, which starts
 * at *start.
 */
size_t xf_simplify_func(const char *name, const char **start);

/* pprof's Profile.PruneFrom (prune.c): cut stacks at the first frame matching re. */
void xf_prune_from(struct cprof_profile *p, const struct cprof_regex *re);


/* ---- sorting locations ------------------------------------------------------- */

struct xf_loc_ord {
	uint64_t address;
	uint32_t mapping;
	uint32_t loc;
};

/*
 * Sort by (mapping, address), stably (location order within equal keys):
 * an LSD radix sort, 11 bits a pass, skipping the passes where every key
 * has the same digit (the high bits of addresses in one binary mostly).
 */
void xf_sort_loc_ord(struct xf_loc_ord *v, size_t n);

#endif
