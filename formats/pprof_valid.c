/*
 * pprof_valid.c - pprof's CheckValid and the compaction before writing
 * (see profile.h).
 *
 * cprof_profile_check_valid() makes pprof's checks in pprof's order, so the
 * first problem it reports is the one pprof reports:
 *
 *   1. samples without sample types   "missing sample type information"
 *   2. per sample, an unknown location "sample has nil location"
 *      (the value count is fixed by the model; readers check it, see
 *      pprof_read.c)
 *   3. mapping ids: zero, duplicates  "found mapping with reserved ID=0"
 *   4. function ids: zero, duplicates
 *   5. location ids: zero, duplicates, then each location's mapping and
 *      line functions must resolve    "location id: 7 has a line with nil function"
 *
 * pprof prints the Go pointer in "inconsistent mapping %p: %d"; the index
 * model has no pointers, so those two messages name the index instead.
 * They cannot come from a decoded file (a dangling index is impossible
 * there); they catch bugs in code that builds profiles.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/profile.h"
#include "cprof/strbuf.h"

/*
 * A set of uint64 ids: a byte per id for ids up to the object count (the
 * usual 1..n), a hash table above. add() returns false if the id was there.
 */
struct idset {
	uint8_t *dense;
	size_t ndense;
	uint64_t *key;
	bool *used;
	size_t size, count;
};

static void idset_init(struct idset *s, size_t n)
{
	memset(s, 0, sizeof(*s));
	s->ndense = cprof_st_add(n, 1);
	s->dense = cprof_xcalloc(s->ndense, 1);
}

static void idset_release(struct idset *s)
{
	free(s->dense);
	free(s->key);
	free(s->used);
}

static size_t idset_slot(const struct idset *s, uint64_t id)
{
	size_t mask = s->size - 1;
	size_t j = (size_t)((id * 0x9e3779b97f4a7c15ULL) >> 32) & mask;
	while (s->used[j] && s->key[j] != id)
		j = (j + 1) & mask;
	return j;
}

static bool idset_add(struct idset *s, uint64_t id)
{
	if (id < s->ndense) {
		if (s->dense[id])
			return false;
		s->dense[id] = 1;
		return true;
	}
	if ((s->count + 1) * 2 > s->size) {
		uint64_t *okey = s->key;
		bool *oused = s->used;
		size_t osize = s->size;
		s->size = osize ? osize * 2 : 64;
		s->key = cprof_xcalloc(s->size, sizeof(*s->key));
		s->used = cprof_xcalloc(s->size, sizeof(*s->used));
		for (size_t i = 0; i < osize; i++)
			if (oused[i]) {
				size_t j = idset_slot(s, okey[i]);
				s->used[j] = true;
				s->key[j] = okey[i];
			}
		free(okey);
		free(oused);
	}
	size_t j = idset_slot(s, id);
	if (s->used[j])
		return false;
	s->used[j] = true;
	s->key[j] = id;
	s->count++;
	return true;
}

#define MALFORMED(...) cprof_error_set(err, CPROF_E_CORRUPT, "malformed profile: " __VA_ARGS__)

int cprof_profile_check_valid(const struct cprof_profile *p, struct cprof_error *err)
{
	struct idset set;
	int ret = -1;

	if (p->nsample_type == 0 && p->nsample != 0)
		return MALFORMED("missing sample type information");
	for (size_t i = 0; i < p->nsample; i++) {
		const struct cprof_sample *s = &p->sample[i];
		for (uint32_t j = 0; j < s->nloc; j++)
			if (s->loc[j] >= p->nlocation)
				return MALFORMED("sample has nil location");
	}

	idset_init(&set, p->nmapping);
	for (size_t i = 0; i < p->nmapping; i++) {
		uint64_t id = p->mapping[i].id;
		if (id == 0) {
			MALFORMED("found mapping with reserved ID=0");
			goto out;
		}
		if (!idset_add(&set, id)) {
			MALFORMED("multiple mappings with same id: %llu", (unsigned long long)id);
			goto out;
		}
	}
	idset_release(&set);

	idset_init(&set, p->nfunction);
	for (size_t i = 0; i < p->nfunction; i++) {
		uint64_t id = p->function[i].id;
		if (id == 0) {
			MALFORMED("found function with reserved ID=0");
			goto out;
		}
		if (!idset_add(&set, id)) {
			MALFORMED("multiple functions with same id: %llu", (unsigned long long)id);
			goto out;
		}
	}
	idset_release(&set);

	idset_init(&set, p->nlocation);
	for (size_t i = 0; i < p->nlocation; i++) {
		const struct cprof_location *l = &p->location[i];
		if (l->id == 0) {
			MALFORMED("found location with reserved id=0");
			goto out;
		}
		if (!idset_add(&set, l->id)) {
			MALFORMED("multiple locations with same id: %llu", (unsigned long long)l->id);
			goto out;
		}
		if (l->mapping != CPROF_NONE && l->mapping >= p->nmapping) {
			MALFORMED("inconsistent mapping index %u: location id %llu", l->mapping,
				  (unsigned long long)l->id);
			goto out;
		}
		for (uint32_t j = 0; j < l->nline; j++) {
			uint32_t fn = l->line[j].fn;
			if (fn == CPROF_NONE) {
				MALFORMED("location id: %llu has a line with nil function",
					  (unsigned long long)l->id);
				goto out;
			}
			if (fn >= p->nfunction) {
				MALFORMED("inconsistent function index %u: location id %llu", fn,
					  (unsigned long long)l->id);
				goto out;
			}
		}
	}
	ret = 0;
out:
	idset_release(&set);
	return ret;
}

/*
 * Compaction: mark what samples reach, then slide the survivors down in
 * order and rewrite the indices through old→new tables.
 */
void cprof_profile_compact(struct cprof_profile *p)
{
	uint32_t *lmap = cprof_xmalloc(cprof_st_mult(p->nlocation + 1, sizeof(uint32_t)));
	uint32_t *fmap = cprof_xmalloc(cprof_st_mult(p->nfunction + 1, sizeof(uint32_t)));
	uint32_t *mmap = cprof_xmalloc(cprof_st_mult(p->nmapping + 1, sizeof(uint32_t)));
	size_t n;

	memset(lmap, 0xff, (p->nlocation + 1) * sizeof(uint32_t));
	memset(fmap, 0xff, (p->nfunction + 1) * sizeof(uint32_t));
	memset(mmap, 0xff, (p->nmapping + 1) * sizeof(uint32_t));

	/* mark (CPROF_NONE = unused, 0 = used) */
	for (size_t i = 0; i < p->nsample; i++) {
		const struct cprof_sample *s = &p->sample[i];
		for (uint32_t j = 0; j < s->nloc; j++)
			if (s->loc[j] < p->nlocation)
				lmap[s->loc[j]] = 0;
	}
	for (size_t i = 0; i < p->nlocation; i++) {
		const struct cprof_location *l = &p->location[i];
		if (lmap[i] == CPROF_NONE)
			continue;
		if (l->mapping < p->nmapping)
			mmap[l->mapping] = 0;
		for (uint32_t j = 0; j < l->nline; j++)
			if (l->line[j].fn < p->nfunction)
				fmap[l->line[j].fn] = 0;
	}

	/* slide down, numbering the survivors; slot [old count] stays CPROF_NONE */
	size_t onl = p->nlocation, onf = p->nfunction, onm = p->nmapping;
	n = 0;
	for (size_t i = 0; i < onm; i++)
		if (mmap[i] != CPROF_NONE) {
			mmap[i] = (uint32_t)n;
			p->mapping[n++] = p->mapping[i];
		}
	p->nmapping = n;
	n = 0;
	for (size_t i = 0; i < onf; i++)
		if (fmap[i] != CPROF_NONE) {
			fmap[i] = (uint32_t)n;
			p->function[n++] = p->function[i];
		}
	p->nfunction = n;
	n = 0;
	for (size_t i = 0; i < onl; i++) {
		if (lmap[i] == CPROF_NONE)
			continue;
		lmap[i] = (uint32_t)n;
		struct cprof_location *l = &p->location[n++];
		*l = p->location[i];
		/* dangling indices (invalid profiles) become CPROF_NONE */
		l->mapping = mmap[l->mapping < onm ? l->mapping : onm];
		for (uint32_t j = 0; j < l->nline; j++)
			l->line[j].fn = fmap[l->line[j].fn < onf ? l->line[j].fn : onf];
	}
	p->nlocation = n;
	for (size_t i = 0; i < p->nsample; i++) {
		struct cprof_sample *s = &p->sample[i];
		for (uint32_t j = 0; j < s->nloc; j++)
			s->loc[j] = lmap[s->loc[j] < onl ? s->loc[j] : onl];
	}

	free(lmap);
	free(fmap);
	free(mmap);
}

/* ---- warnings (cprof_profile_lint) ---------------------------------------- */

static int cmp_mapping_start(const void *a, const void *b)
{
	const struct cprof_mapping *x = *(const struct cprof_mapping *const *)a;
	const struct cprof_mapping *y = *(const struct cprof_mapping *const *)b;
	return x->start < y->start ? -1 : x->start > y->start;
}

size_t cprof_profile_lint(const struct cprof_profile *p, struct strbuf *notes)
{
	size_t nwarn = 0;

	/* mappings: limit before start, then overlaps (sorted by start) */
	const struct cprof_mapping **m = cprof_xcalloc(p->nmapping ? p->nmapping : 1, sizeof(*m));
	size_t nm = 0;
	for (size_t i = 0; i < p->nmapping; i++) {
		const struct cprof_mapping *x = &p->mapping[i];
		if (x->start == 0 && x->limit == 0)
			continue; /* Go's fake mapping when there are none */
		if (x->limit < x->start) {
			strbuf_addf(notes, "Warning: mapping %llu (%s) ends at %#llx before it starts at %#llx\n",
				    (unsigned long long)x->id, x->file, (unsigned long long)x->limit,
				    (unsigned long long)x->start);
			nwarn++;
			continue;
		}
		m[nm++] = x;
	}
	qsort(m, nm, sizeof(*m), cmp_mapping_start);
	size_t overlaps = 0, first = 0;
	for (size_t i = 1; i < nm; i++)
		if (m[i]->start < m[i - 1]->limit && !overlaps++)
			first = i;
	if (overlaps) {
		strbuf_addf(notes, "Warning: mappings %llu (%s) and %llu (%s) overlap at %#llx",
			    (unsigned long long)m[first - 1]->id, m[first - 1]->file,
			    (unsigned long long)m[first]->id, m[first]->file,
			    (unsigned long long)m[first]->start);
		if (overlaps > 1)
			strbuf_addf(notes, " (%zu overlaps in all)", overlaps);
		strbuf_addstr(notes, ": addresses may be attributed to the wrong binary\n");
		nwarn++;
	}
	free(m);

	/* per sample type: does the sum of the absolute values overflow int64? */
	for (size_t t = 0; t < p->nsample_type; t++) {
		uint64_t sum = 0;
		bool over = false;
		for (size_t i = 0; i < p->nsample && !over; i++) {
			int64_t v = p->sample[i].value[t];
			uint64_t a = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
			over = a > (uint64_t)INT64_MAX - sum;
			sum += over ? 0 : a;
		}
		if (over) {
			strbuf_addf(notes, "Warning: %s/%s values overflow a 64-bit total: totals and percentages of this type are wrong\n",
				    p->sample_type[t].type, p->sample_type[t].unit);
			nwarn++;
		}
	}
	return nwarn;
}
