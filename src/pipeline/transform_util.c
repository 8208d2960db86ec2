/*
 * transform_util.c - the small hash map and the location sort that the
 * pipeline steps share (see transform_internal.h).
 */
#include <stdlib.h>
#include <string.h>

#include "src/pipeline/transform_internal.h"

void xf_pairmap_release(struct xf_pairmap *m)
{
	free(m->k1);
	free(m->k2);
	free(m->val);
	free(m->used);
	memset(m, 0, sizeof(*m));
}

static size_t slot_of(const struct xf_pairmap *m, uint64_t k1, uint64_t k2)
{
	return (size_t)xf_hash_mix(xf_hash_mix(0, k1), k2) & (m->size - 1);
}

uint32_t *xf_pairmap_get(const struct xf_pairmap *m, uint64_t k1, uint64_t k2)
{
	if (!m->size)
		return NULL;
	for (size_t i = slot_of(m, k1, k2);; i = (i + 1) & (m->size - 1)) {
		if (!m->used[i])
			return NULL;
		if (m->k1[i] == k1 && m->k2[i] == k2)
			return &m->val[i];
	}
}

static void grow(struct xf_pairmap *m)
{
	struct xf_pairmap n = {0};
	n.size = m->size ? m->size * 2 : 64;
	n.k1 = cprof_xcalloc(n.size, sizeof(*n.k1));
	n.k2 = cprof_xcalloc(n.size, sizeof(*n.k2));
	n.val = cprof_xcalloc(n.size, sizeof(*n.val));
	n.used = cprof_xcalloc(n.size, 1);
	for (size_t i = 0; i < m->size; i++) {
		if (!m->used[i])
			continue;
		size_t j = slot_of(&n, m->k1[i], m->k2[i]);
		while (n.used[j])
			j = (j + 1) & (n.size - 1);
		n.used[j] = 1;
		n.k1[j] = m->k1[i];
		n.k2[j] = m->k2[i];
		n.val[j] = m->val[i];
	}
	n.count = m->count;
	xf_pairmap_release(m);
	*m = n;
}

uint32_t *xf_pairmap_put(struct xf_pairmap *m, uint64_t k1, uint64_t k2, uint32_t def, int *added)
{
	if (2 * (m->count + 1) > m->size)
		grow(m);
	size_t i = slot_of(m, k1, k2);
	for (; m->used[i]; i = (i + 1) & (m->size - 1)) {
		if (m->k1[i] == k1 && m->k2[i] == k2) {
			if (added)
				*added = 0;
			return &m->val[i];
		}
	}
	m->used[i] = 1;
	m->k1[i] = k1;
	m->k2[i] = k2;
	m->val[i] = def;
	m->count++;
	if (added)
		*added = 1;
	return &m->val[i];
}

void xf_sort_loc_ord(struct xf_loc_ord *v, size_t n)
{
	enum { BITS = 11, RADIX = 1 << BITS };
	if (n < 2)
		return;
	struct xf_loc_ord *tmp = cprof_xmalloc(cprof_st_mult(n, sizeof(*tmp)));
	size_t *count = cprof_xcalloc(RADIX, sizeof(*count));
	for (int key = 1; key >= 0; key--) { /* address first, then mapping */
		for (int shift = 0; shift < (key ? 64 : 32); shift += BITS) {
			memset(count, 0, RADIX * sizeof(*count));
			for (size_t i = 0; i < n; i++) {
				uint64_t k = key ? v[i].address : v[i].mapping;
				count[(k >> shift) & (RADIX - 1)]++;
			}
			uint64_t k0 = key ? v[0].address : v[0].mapping;
			if (count[(k0 >> shift) & (RADIX - 1)] == n)
				continue; /* one digit: the order stays */
			for (size_t d = 0, sum = 0; d < RADIX; d++) {
				size_t c = count[d];
				count[d] = sum;
				sum += c;
			}
			for (size_t i = 0; i < n; i++) {
				uint64_t k = key ? v[i].address : v[i].mapping;
				tmp[count[(k >> shift) & (RADIX - 1)]++] = v[i];
			}
			memcpy(v, tmp, n * sizeof(*v));
		}
	}
	free(count);
	free(tmp);
}
