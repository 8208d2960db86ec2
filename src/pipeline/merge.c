/*
 * merge.c - combining profiles, as Go 1.19's pprof does it.
 *
 *   combine(in[0..n))  = for each chunk of 64: ScaleProfiles + Merge,
 *                        then the chunk results pairwise (fetch.go chunkedGrab)
 *   apply_base(s, b)   = [label b pprof::base=true] [normalize s] b × −1,
 *                        combine(s, b)
 *
 * Merge builds a new profile whose objects are de-duplicated by value:
 *
 *   mapping   (limit − start rounded up to 4 KiB, offset, build id or file)
 *   function  (start line, name, system name, file name)
 *   location  (mapping, address rebased onto the kept mapping, folded flag,
 *              lines as (function, line) pairs)
 *   sample    (locations, labels per key with their values in order)
 *
 * New ids are 1..n in order of first use while walking the samples, except
 * that the first mapping of the first profile that has any is taken first so
 * it stays the main binary. Samples whose values are all zero are skipped;
 * if summing produced a zero sample, the result is merged once more on its
 * own, which also drops everything only that sample used.
 *
 * Go 1.19's driver merges even a single profile, so a lone input also comes
 * out compacted and renumbered.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/transform.h"
#include "cprof/units.h"
#include "src/pipeline/transform_internal.h"

void cprof_profile_scale_n(struct cprof_profile *p, const double *ratios)
{
	bool all_ones = true;
	for (size_t i = 0; i < p->nsample_type; i++)
		if (ratios[i] != 1)
			all_ones = false;
	if (all_ones)
		return;

	size_t kept = 0;
	for (size_t i = 0; i < p->nsample; i++) {
		struct cprof_sample *s = &p->sample[i];
		bool keep = false;
		for (size_t j = 0; j < p->nsample_type; j++) {
			if (ratios[j] == 1)
				continue; /* pprof only looks at the columns it scales */
			int64_t v = cprof_f2i(round((double)s->value[j] * ratios[j]));
			s->value[j] = v;
			keep = keep || v != 0;
		}
		if (keep)
			p->sample[kept++] = *s;
	}
	p->nsample = kept;
}

void cprof_profile_scale(struct cprof_profile *p, double ratio)
{
	if (ratio == 1)
		return;
	double *r = cprof_xmalloc(cprof_st_mult(p->nsample_type ? p->nsample_type : 1, sizeof(*r)));
	for (size_t i = 0; i < p->nsample_type; i++)
		r[i] = ratio;
	cprof_profile_scale_n(p, r);
	free(r);
}

/* ---- an index table: hash → index into one of the result arrays ---------- */

/*
 * Slot and hash share one 8-byte entry so a probe costs one cache miss:
 * with a million samples the table is far larger than the caches.
 */
struct idxent {
	uint32_t idx; /* CPROF_NONE = empty */
	uint32_t hash;
};

struct idxtab {
	struct idxent *e;
	size_t size, count;
};

typedef bool (*idx_eq_fn)(const void *ctx, uint32_t idx);

static uint32_t fold_hash(uint64_t h)
{
	return (uint32_t)(h ^ (h >> 32));
}

static void idxtab_release(struct idxtab *t)
{
	free(t->e);
	memset(t, 0, sizeof(*t));
}

static void idxtab_grow(struct idxtab *t)
{
	size_t nsize = t->size ? t->size * 2 : 256;
	struct idxent *ne = cprof_xmalloc(cprof_st_mult(nsize, sizeof(*ne)));
	memset(ne, 0xff, nsize * sizeof(*ne));
	for (size_t i = 0; i < t->size; i++) {
		if (t->e[i].idx == CPROF_NONE)
			continue;
		size_t j = t->e[i].hash & (nsize - 1);
		while (ne[j].idx != CPROF_NONE)
			j = (j + 1) & (nsize - 1);
		ne[j] = t->e[i];
	}
	free(t->e);
	t->e = ne;
	t->size = nsize;
}

/* The index whose key equals ctx's, or CPROF_NONE. */
static uint32_t idxtab_find(const struct idxtab *t, uint64_t hash, idx_eq_fn eq, const void *ctx)
{
	uint32_t h = fold_hash(hash);
	if (!t->size)
		return CPROF_NONE;
	for (size_t i = h & (t->size - 1);; i = (i + 1) & (t->size - 1)) {
		if (t->e[i].idx == CPROF_NONE)
			return CPROF_NONE;
		if (t->e[i].hash == h && eq(ctx, t->e[i].idx))
			return t->e[i].idx;
	}
}

/* Add idx, known to be absent. */
static void idxtab_add(struct idxtab *t, uint64_t hash, uint32_t idx)
{
	uint32_t h = fold_hash(hash);
	if (2 * (t->count + 1) > t->size)
		idxtab_grow(t);
	size_t i = h & (t->size - 1);
	while (t->e[i].idx != CPROF_NONE)
		i = (i + 1) & (t->size - 1);
	t->e[i].idx = idx;
	t->e[i].hash = h;
	t->count++;
}

/* ---- the merger ------------------------------------------------------------ */

struct merger {
	struct cprof_profile *p; /* the result */
	struct idxtab samples, locations, functions, mappings;

	/* per source profile */
	const struct cprof_profile *src;
	bool steal; /* src is consumed: its sample arrays are reused in place */
	uint32_t *loc_map, *fn_map, *map_map; /* source index → result index */
	uint32_t *same_loc; /* see lineless_classes; NULL if not made */
	int64_t *map_off;                     /* address shift per source mapping */
	struct xf_pairmap str_map;            /* source string → strvec index */
	const char **strvec;
	size_t nstrvec, astrvec;

	/*
	 * Two prepared samples: while one is looked up, the next one's key
	 * is built and its table slot fetched into the cache.
	 */
	struct prepared {
		struct cprof_sample *ss;
		uint32_t *locs;
		size_t alocs;
		struct cprof_label *labels;
		size_t alabels;
		uint64_t hash;
	} prep[2];
};

/* The result's interned copy of a source string. */
static const char *xstr(struct merger *m, const char *s)
{
	int added;
	uint32_t *v = xf_pairmap_put(&m->str_map, (uint64_t)(uintptr_t)s, 0, 0, &added);
	if (added) {
		ALLOC_GROW(m->strvec, m->nstrvec + 1, m->astrvec);
		m->strvec[m->nstrvec] = cprof_profile_str(m->p, s);
		*v = (uint32_t)m->nstrvec++;
	}
	return m->strvec[*v];
}

/* mappings */

struct mapping_key {
	uint64_t size, offset;
	const char *id; /* build id, else file, else "" (fake mappings merge) */
};

static struct mapping_key mapping_key_of(const struct cprof_mapping *mp, const char *bid, const char *file)
{
	struct mapping_key k;
	k.size = mp->limit - mp->start;
	k.size = k.size + 0x1000 - 1;
	k.size -= k.size % 0x1000;
	k.offset = mp->offset;
	k.id = bid[0] ? bid : file;
	return k;
}

static uint64_t mapping_hash(const struct mapping_key *k)
{
	return xf_hash_ptr(xf_hash_mix(xf_hash_mix(1, k->size), k->offset), k->id);
}

struct mapping_ctx {
	const struct merger *m;
	struct mapping_key key;
};

static bool mapping_eq(const void *ctx, uint32_t idx)
{
	const struct mapping_ctx *c = ctx;
	const struct cprof_mapping *mp = &c->m->p->mapping[idx];
	struct mapping_key k = mapping_key_of(mp, mp->build_id, mp->file);
	return k.size == c->key.size && k.offset == c->key.offset && k.id == c->key.id;
}

static uint32_t map_mapping(struct merger *m, uint32_t si)
{
	if (si == CPROF_NONE || si >= m->src->nmapping)
		return CPROF_NONE;
	if (m->map_map[si] != CPROF_NONE)
		return m->map_map[si];

	const struct cprof_mapping *sm = &m->src->mapping[si];
	const char *bid = xstr(m, sm->build_id), *file = xstr(m, sm->file);
	struct mapping_ctx c = {m, mapping_key_of(sm, bid, file)};
	uint64_t h = mapping_hash(&c.key);
	uint32_t ri = idxtab_find(&m->mappings, h, mapping_eq, &c);
	if (ri != CPROF_NONE) {
		m->map_map[si] = ri;
		m->map_off[si] = (int64_t)(m->p->mapping[ri].start - sm->start);
		return ri;
	}
	struct cprof_mapping *rm = cprof_profile_add_mapping(m->p);
	*rm = *sm;
	ri = (uint32_t)(m->p->nmapping - 1);
	rm->id = (uint64_t)ri + 1;
	rm->file = file;
	rm->build_id = bid;
	idxtab_add(&m->mappings, h, ri);
	m->map_map[si] = ri;
	m->map_off[si] = 0;
	return ri;
}

/* functions */

static uint64_t function_hash(const struct cprof_function *f)
{
	uint64_t h = xf_hash_mix(2, (uint64_t)f->start_line);
	h = xf_hash_ptr(h, f->name);
	h = xf_hash_ptr(h, f->system_name);
	return xf_hash_ptr(h, f->filename);
}

struct function_ctx {
	const struct merger *m;
	struct cprof_function key;
};

static bool function_eq(const void *ctx, uint32_t idx)
{
	const struct function_ctx *c = ctx;
	const struct cprof_function *f = &c->m->p->function[idx];
	return f->start_line == c->key.start_line && f->name == c->key.name &&
	       f->system_name == c->key.system_name && f->filename == c->key.filename;
}

static uint32_t map_function(struct merger *m, uint32_t si)
{
	if (si == CPROF_NONE || si >= m->src->nfunction)
		return CPROF_NONE;
	if (m->fn_map[si] != CPROF_NONE)
		return m->fn_map[si];
	const struct cprof_function *sf = &m->src->function[si];
	struct function_ctx c = {m, *sf};
	c.key.name = xstr(m, sf->name);
	c.key.system_name = xstr(m, sf->system_name);
	c.key.filename = xstr(m, sf->filename);
	uint64_t h = function_hash(&c.key);
	uint32_t ri = idxtab_find(&m->functions, h, function_eq, &c);
	if (ri == CPROF_NONE) {
		struct cprof_function *rf = cprof_profile_add_function(m->p);
		*rf = c.key;
		ri = (uint32_t)(m->p->nfunction - 1);
		rf->id = (uint64_t)ri + 1;
		idxtab_add(&m->functions, h, ri);
	}
	m->fn_map[si] = ri;
	return ri;
}

/* locations */

struct location_ctx {
	const struct merger *m;
	uint64_t address;
	uint32_t mapping;
	bool is_folded;
	const struct cprof_line *line; /* function indices already translated */
	uint32_t nline;
};

static bool location_eq(const void *ctx, uint32_t idx)
{
	const struct location_ctx *c = ctx;
	const struct cprof_location *l = &c->m->p->location[idx];
	if (l->mapping != c->mapping || l->address != c->address || l->is_folded != c->is_folded ||
	    l->nline != c->nline)
		return false;
	for (uint32_t i = 0; i < l->nline; i++)
		if (l->line[i].fn != c->line[i].fn || l->line[i].line != c->line[i].line)
			return false;
	return true;
}

static uint32_t *none_array(size_t n);

/*
 * One profile merged on its own, with no two mappings alike (the usual
 * case), needs no table lookup for its locations without lines: equal
 * ones (same mapping, address and folding) are found by sorting instead,
 * which reads memory in order. same_loc[i] is the first location equal to
 * location i, or CPROF_NONE for a location with lines; NULL when the
 * conditions do not hold (or there are many mappings to compare).
 */
static uint32_t *lineless_classes(const struct cprof_profile *src)
{
	if (src->nmapping > 64)
		return NULL; /* the pairwise check below would cost more than it saves */
	for (size_t i = 0; i < src->nmapping; i++) {
		const struct cprof_mapping *a = &src->mapping[i];
		struct mapping_key ka = mapping_key_of(a, a->build_id, a->file);
		for (size_t j = 0; j < i; j++) {
			const struct cprof_mapping *b = &src->mapping[j];
			struct mapping_key kb = mapping_key_of(b, b->build_id, b->file);
			if (ka.size == kb.size && ka.offset == kb.offset && !strcmp(ka.id, kb.id))
				return NULL;
		}
	}
	uint32_t *same = none_array(src->nlocation);
	struct xf_loc_ord *ord = cprof_xmalloc(cprof_st_mult(src->nlocation ? src->nlocation : 1, sizeof(*ord)));
	size_t n = 0;
	for (size_t i = 0; i < src->nlocation; i++) {
		const struct cprof_location *l = &src->location[i];
		if (l->nline)
			continue;
		/* the mapping (CPROF_NONE: none) and the folding as one key */
		uint32_t mk = l->mapping == CPROF_NONE || l->mapping >= src->nmapping ? UINT32_MAX - 1
										 : l->mapping * 2;
		ord[n++] = (struct xf_loc_ord){l->address, mk | (l->is_folded ? 1u : 0u), (uint32_t)i};
	}
	xf_sort_loc_ord(ord, n);
	for (size_t i = 0, first = 0; i < n; i++) {
		if (i == 0 || ord[i].mapping != ord[i - 1].mapping || ord[i].address != ord[i - 1].address)
			first = i;
		same[ord[i].loc] = ord[first].loc;
	}
	free(ord);
	return same;
}

static uint32_t map_location(struct merger *m, uint32_t si)
{
	if (m->loc_map[si] != CPROF_NONE)
		return m->loc_map[si];
	const struct cprof_location *sl = &m->src->location[si];
	if (m->same_loc && m->same_loc[si] != CPROF_NONE) {
		uint32_t first = m->same_loc[si];
		if (m->loc_map[first] != CPROF_NONE)
			return m->loc_map[si] = m->loc_map[first];
		struct cprof_location *rl = cprof_profile_add_location(m->p);
		uint32_t ri = (uint32_t)(m->p->nlocation - 1);
		rl->id = (uint64_t)ri + 1;
		rl->mapping = map_mapping(m, sl->mapping);
		rl->address = sl->address + (rl->mapping != CPROF_NONE ? (uint64_t)m->map_off[sl->mapping] : 0);
		rl->is_folded = sl->is_folded;
		return m->loc_map[first] = m->loc_map[si] = ri;
	}
	struct location_ctx c = {m, sl->address, CPROF_NONE, sl->is_folded, NULL, sl->nline};

	c.mapping = map_mapping(m, sl->mapping);
	if (c.mapping != CPROF_NONE)
		c.address = sl->address + (uint64_t)m->map_off[sl->mapping];
	struct cprof_line *lines = cprof_arena_memdup(&m->p->arena, sl->line, sl->nline, sizeof(*lines));
	for (uint32_t i = 0; i < sl->nline; i++)
		lines[i].fn = map_function(m, sl->line[i].fn);
	c.line = lines;

	/* The key: address relative to the mapping, the mapping, lines, folded. */
	uint64_t h = xf_hash_mix(3, c.mapping);
	h = xf_hash_mix(h, c.address);
	h = xf_hash_mix(h, c.is_folded);
	for (uint32_t i = 0; i < c.nline; i++)
		h = xf_hash_mix(xf_hash_mix(h, lines[i].fn), (uint64_t)lines[i].line);

	uint32_t ri = idxtab_find(&m->locations, h, location_eq, &c);
	if (ri == CPROF_NONE) {
		struct cprof_location *rl = cprof_profile_add_location(m->p);
		ri = (uint32_t)(m->p->nlocation - 1);
		rl->id = (uint64_t)ri + 1;
		rl->address = c.address;
		rl->mapping = c.mapping;
		rl->is_folded = c.is_folded;
		rl->line = lines;
		rl->nline = c.nline;
		idxtab_add(&m->locations, h, ri);
	}
	m->loc_map[si] = ri;
	return ri;
}

/* samples */

/*
 * Labels are put in a canonical order, string labels before numeric ones,
 * each group sorted by key, values of one key in their original order:
 * the order pprof writes them in, and one where equal label maps are equal
 * arrays.
 */
static int label_cmp(const struct cprof_label *a, const struct cprof_label *b)
{
	if ((a->str == NULL) != (b->str == NULL))
		return a->str ? -1 : 1;
	return a->key == b->key ? 0 : strcmp(a->key, b->key);
}

static void sort_labels(struct cprof_label *l, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) { /* insertion sort: stable, n is tiny */
		struct cprof_label t = l[i];
		uint32_t j = i;
		while (j > 0 && label_cmp(&l[j - 1], &t) > 0) {
			l[j] = l[j - 1];
			j--;
		}
		l[j] = t;
	}
}

struct sample_ctx {
	const struct merger *m;
	const struct prepared *k;
};

static bool label_eq(const struct cprof_label *a, const struct cprof_label *b)
{
	if (a->key != b->key || a->str != b->str)
		return false;
	return a->str || (a->num == b->num && a->num_unit == b->num_unit);
}

static bool sample_eq(const void *ctx, uint32_t idx)
{
	const struct sample_ctx *c = ctx;
	const struct cprof_sample *s = &c->m->p->sample[idx];
	const struct cprof_sample *ss = c->k->ss;
	if (s->nloc != ss->nloc || s->nlabel != ss->nlabel)
		return false;
	if (ss->nloc && memcmp(s->loc, c->k->locs, ss->nloc * sizeof(*s->loc)))
		return false;
	for (uint32_t i = 0; i < ss->nlabel; i++)
		if (!label_eq(&s->label[i], &c->k->labels[i]))
			return false;
	return true;
}

static bool is_zero_sample(const int64_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i])
			return false;
	return true;
}

/*
 * Ahead of sample s, bring in what mapping the locations of later samples
 * reads at random: their loc_map entries 16 samples ahead and, 8 ahead,
 * the source locations not mapped yet.
 */
static inline void prefetch_sample(const struct merger *m, size_t s)
{
	const struct cprof_profile *src = m->src;
	if (s + 16 < src->nsample) {
		const struct cprof_sample *f = &src->sample[s + 16];
		for (uint32_t i = 0; i < f->nloc; i++)
			__builtin_prefetch(&m->loc_map[f->loc[i]]);
	}
	if (s + 8 < src->nsample) {
		const struct cprof_sample *f = &src->sample[s + 8];
		for (uint32_t i = 0; i < f->nloc; i++)
			if (m->loc_map[f->loc[i]] == CPROF_NONE)
				__builtin_prefetch(&src->location[f->loc[i]]);
	}
}

/* The sample's key in the result's terms (locations, labels) and its hash. */
static void prepare_sample(struct merger *m, struct prepared *k, struct cprof_sample *ss)
{
	k->ss = ss;
	ALLOC_GROW(k->locs, ss->nloc, k->alocs);
	for (uint32_t i = 0; i < ss->nloc; i++)
		k->locs[i] = map_location(m, ss->loc[i]);
	ALLOC_GROW(k->labels, ss->nlabel, k->alabels);
	for (uint32_t i = 0; i < ss->nlabel; i++) {
		struct cprof_label *l = &k->labels[i];
		*l = ss->label[i];
		l->key = xstr(m, l->key);
		if (l->str)
			l->str = xstr(m, l->str);
		l->num_unit = xstr(m, l->num_unit ? l->num_unit : "");
	}
	sort_labels(k->labels, ss->nlabel);

	uint64_t h = xf_hash_mix(4, ss->nloc);
	for (uint32_t i = 0; i < ss->nloc; i++)
		h = xf_hash_mix(h, k->locs[i]);
	for (uint32_t i = 0; i < ss->nlabel; i++) {
		const struct cprof_label *l = &k->labels[i];
		h = xf_hash_ptr(xf_hash_ptr(h, l->key), l->str);
		if (!l->str)
			h = xf_hash_ptr(xf_hash_mix(h, (uint64_t)l->num), l->num_unit);
	}
	k->hash = h;
	if (m->samples.size) /* the probe below starts here */
		__builtin_prefetch(&m->samples.e[fold_hash(h) & (m->samples.size - 1)]);
}

/* Add the prepared sample to the result, or its values to its equal. */
static void commit_sample(struct merger *m, const struct prepared *k)
{
	struct cprof_profile *p = m->p;
	struct cprof_sample *ss = k->ss;
	size_t nv = p->nsample_type;
	struct sample_ctx c = {m, k};
	uint32_t ri = idxtab_find(&m->samples, k->hash, sample_eq, &c);
	if (ri != CPROF_NONE) {
		int64_t *v = p->sample[ri].value;
		for (size_t i = 0; i < nv; i++) /* wraps, as Go's += */
			v[i] = cprof_add_wrap(v[i], ss->value[i]);
		return;
	}
	struct cprof_sample *rs = cprof_profile_add_sample(p);
	rs->nloc = ss->nloc;
	rs->nlabel = ss->nlabel;
	if (m->steal) {
		/* the source's own arrays, rewritten: its arena joins the result's */
		if (ss->nloc)
			memcpy(ss->loc, k->locs, ss->nloc * sizeof(*rs->loc));
		if (ss->nlabel)
			memcpy(ss->label, k->labels, ss->nlabel * sizeof(*rs->label));
		rs->loc = ss->loc;
		rs->value = ss->value;
		rs->label = ss->label;
	} else {
		rs->loc = cprof_arena_memdup(&p->arena, k->locs, ss->nloc, sizeof(*rs->loc));
		rs->value = cprof_arena_memdup(&p->arena, ss->value, nv, sizeof(*rs->value));
		rs->label = cprof_arena_memdup(&p->arena, k->labels, ss->nlabel, sizeof(*rs->label));
	}
	idxtab_add(&m->samples, k->hash, (uint32_t)(p->nsample - 1));
}

/* ---- headers --------------------------------------------------------------- */

static void value_type_str(struct strbuf *sb, const struct cprof_value_type *t, size_t n)
{
	strbuf_addch(sb, '[');
	for (size_t i = 0; i < n; i++)
		strbuf_addf(sb, "%s{%s %s}", i ? " " : "", t[i].type, t[i].unit);
	strbuf_addch(sb, ']');
}

/* pprof's Profile.compatible. */
static int check_compatible(const struct cprof_profile *a, const struct cprof_profile *b,
			    struct cprof_error *err)
{
	if (strcmp(a->period_type.type, b->period_type.type) ||
	    strcmp(a->period_type.unit, b->period_type.unit))
		return cprof_error_set(err, CPROF_E_INCOMPATIBLE,
				       "incompatible period types &{%s %s 0 0} and &{%s %s 0 0}",
				       a->period_type.type, a->period_type.unit, b->period_type.type,
				       b->period_type.unit);
	bool same = a->nsample_type == b->nsample_type;
	for (size_t i = 0; same && i < a->nsample_type; i++)
		same = !strcmp(a->sample_type[i].type, b->sample_type[i].type) &&
		       !strcmp(a->sample_type[i].unit, b->sample_type[i].unit);
	if (!same) {
		/* Go prints the two slices of pointers; show the types instead. */
		struct strbuf sa = STRBUF_INIT, sb = STRBUF_INIT;
		value_type_str(&sa, a->sample_type, a->nsample_type);
		value_type_str(&sb, b->sample_type, b->nsample_type);
		cprof_error_set(err, CPROF_E_INCOMPATIBLE, "incompatible sample types %s and %s", sa.buf,
				sb.buf);
		strbuf_release(&sa);
		strbuf_release(&sb);
		return -1;
	}
	return 0;
}

/* pprof's combineHeaders: a new, empty profile with the merged header. */
static struct cprof_profile *combine_headers(struct cprof_profile **in, size_t n, struct cprof_error *err)
{
	for (size_t i = 1; i < n; i++)
		if (check_compatible(in[0], in[i], err))
			return NULL;

	struct cprof_profile *p = cprof_profile_new();
	int64_t time_nanos = 0, period = 0;
	uint64_t duration = 0;
	const char *dst = "", *doc = "";
	struct xf_pairmap seen = {0};

	for (size_t i = 0; i < n; i++) {
		const struct cprof_profile *s = in[i];
		if (time_nanos == 0 || s->time_nanos < time_nanos)
			time_nanos = s->time_nanos;
		duration += (uint64_t)s->duration_nanos;
		if (period == 0 || period < s->period)
			period = s->period;
		for (size_t c = 0; c < s->ncomment; c++) {
			const char *rc = cprof_profile_str(p, s->comment[c]);
			int added;
			xf_pairmap_put(&seen, (uint64_t)(uintptr_t)rc, 0, 0, &added);
			if (added)
				cprof_profile_add_comment(p, rc);
		}
		if (!dst[0])
			dst = s->default_sample_type;
		if (!doc[0])
			doc = s->doc_url ? s->doc_url : "";
	}
	xf_pairmap_release(&seen);

	cprof_profile_set_sample_types(p, in[0]->sample_type, in[0]->nsample_type);
	p->source = cprof_profile_str(p, in[0]->source ? in[0]->source : "");
	p->drop_frames = cprof_profile_str(p, in[0]->drop_frames);
	p->keep_frames = cprof_profile_str(p, in[0]->keep_frames);
	p->time_nanos = time_nanos;
	p->duration_nanos = (int64_t)duration;
	p->period_type.type = cprof_profile_str(p, in[0]->period_type.type);
	p->period_type.unit = cprof_profile_str(p, in[0]->period_type.unit);
	p->period = period;
	p->default_sample_type = cprof_profile_str(p, dst);
	p->doc_url = cprof_profile_str(p, doc);
	return p;
}

/* ---- Merge ----------------------------------------------------------------- */

static void merger_release(struct merger *m)
{
	idxtab_release(&m->samples);
	idxtab_release(&m->locations);
	idxtab_release(&m->functions);
	idxtab_release(&m->mappings);
	free(m->loc_map);
	free(m->fn_map);
	free(m->map_map);
	free(m->map_off);
	free(m->same_loc);
	xf_pairmap_release(&m->str_map);
	free(m->strvec);
	for (int i = 0; i < 2; i++) {
		free(m->prep[i].locs);
		free(m->prep[i].labels);
	}
}

static uint32_t *none_array(size_t n)
{
	uint32_t *a = cprof_xmalloc(cprof_st_mult(n ? n : 1, sizeof(*a)));
	memset(a, 0xff, n * sizeof(*a));
	return a;
}

/*
 * pprof's profile.Merge. The inputs are consumed: the caller frees them
 * afterwards and nothing else. Those with own_sample_arrays lend their
 * sample arrays and arena to the result; the others are left untouched.
 */
static struct cprof_profile *merge(struct cprof_profile **in, size_t n, struct cprof_error *err)
{
	struct merger m = {0};
	m.p = combine_headers(in, n, err);
	if (!m.p)
		return NULL;
	/* room for every sample: no rehashing on the way */
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += in[i]->nsample;
	while (m.samples.size < 2 * total)
		idxtab_grow(&m.samples);

	for (size_t i = 0; i < n; i++) {
		struct cprof_profile *src = in[i];
		m.src = src;
		/* the same profile twice would be rewritten twice */
		m.steal = src->own_sample_arrays;
		for (size_t j = 0; j < n; j++)
			if (j != i && in[j] == src)
				m.steal = false;
		free(m.loc_map);
		free(m.fn_map);
		free(m.map_map);
		free(m.map_off);
		m.loc_map = none_array(src->nlocation);
		free(m.same_loc);
		m.same_loc = n == 1 ? lineless_classes(src) : NULL;
		m.fn_map = none_array(src->nfunction);
		m.map_map = none_array(src->nmapping);
		m.map_off = cprof_xcalloc(src->nmapping ? src->nmapping : 1, sizeof(*m.map_off));
		xf_pairmap_release(&m.str_map);
		m.nstrvec = 0;

		if (m.p->nmapping == 0 && src->nmapping > 0)
			map_mapping(&m, 0); /* the main binary stays first */
		struct prepared *pending = NULL;
		int next = 0;
		for (size_t s = 0; s < src->nsample; s++) {
			prefetch_sample(&m, s);
			if (is_zero_sample(src->sample[s].value, src->nsample_type))
				continue;
			prepare_sample(&m, &m.prep[next], &src->sample[s]);
			if (pending)
				commit_sample(&m, pending);
			pending = &m.prep[next];
			next ^= 1;
		}
		if (pending)
			commit_sample(&m, pending);
		if (m.steal) {
			cprof_arena_adopt(&m.p->arena, &src->arena);
			src->own_sample_arrays = false;
		}
	}
	merger_release(&m);

	struct cprof_profile *p = m.p;
	p->own_sample_arrays = true;
	for (size_t s = 0; s < p->nsample; s++) {
		if (is_zero_sample(p->sample[s].value, p->nsample_type)) {
			/* Merge once more on its own to collect what zero samples used. */
			struct cprof_profile *again = merge(&p, 1, err);
			cprof_profile_free(p);
			return again;
		}
	}
	return p;
}

/* ---- ScaleProfiles (measurement.go) --------------------------------------- */

static bool compatible_value_types(const struct cprof_value_type *a, const struct cprof_value_type *b)
{
	size_t la = strlen(a->type), lb = strlen(b->type);
	if (la && a->type[la - 1] == 's')
		la--;
	if (lb && b->type[lb - 1] == 's')
		lb--;
	if (la != lb || memcmp(a->type, b->type, la))
		return false;
	if (!strcmp(a->unit, b->unit))
		return true;
	int fa = cprof_unit_family(a->unit);
	return fa != 0 && fa == cprof_unit_family(b->unit);
}

/* measurement.CommonValueType over t[0..n): the finest of compatible types, or NULL. */
static int common_value_type(const struct cprof_value_type **t, size_t n,
			     const struct cprof_value_type **out, struct strbuf *msg)
{
	*out = NULL;
	if (n <= 1)
		return 0;
	const struct cprof_value_type *min = t[0];
	for (size_t i = 1; i < n; i++) {
		if (!compatible_value_types(min, t[i])) {
			strbuf_addf(msg, "incompatible types: {%s %s 0 0} {%s %s 0 0}", min->type, min->unit,
				    t[i]->type, t[i]->unit);
			return -1;
		}
		if (cprof_unit_scale(1, t[i]->unit, min->unit, NULL) < 1)
			min = t[i];
	}
	*out = min;
	return 0;
}

static int scale_profiles(struct cprof_profile **in, size_t n, struct cprof_error *err)
{
	struct strbuf msg = STRBUF_INIT;
	const struct cprof_value_type **t = cprof_xcalloc(n, sizeof(*t));
	const struct cprof_value_type *period_type, **common = NULL;
	struct cprof_value_type period_copy = {0}, *common_copy = NULL;
	size_t nst = in[0]->nsample_type;
	int rc = -1;

	for (size_t i = 0; i < n; i++)
		t[i] = &in[i]->period_type;
	if (common_value_type(t, n, &period_type, &msg)) {
		cprof_error_set(err, CPROF_E_INCOMPATIBLE, "period type: %s", msg.buf);
		goto out;
	}
	if (period_type)
		period_copy = *period_type;

	for (size_t i = 1; i < n; i++) {
		if (in[i]->nsample_type != nst) {
			cprof_error_set(err, CPROF_E_INCOMPATIBLE, "inconsistent samples type count: %zu != %zu",
					nst, in[i]->nsample_type);
			goto out;
		}
	}
	common = cprof_xcalloc(nst ? nst : 1, sizeof(*common));
	common_copy = cprof_xcalloc(nst ? nst : 1, sizeof(*common_copy));
	for (size_t j = 0; j < nst; j++) {
		for (size_t i = 0; i < n; i++)
			t[i] = &in[i]->sample_type[j];
		if (common_value_type(t, n, &common[j], &msg)) {
			cprof_error_set(err, CPROF_E_INCOMPATIBLE, "sample types: %s", msg.buf);
			goto out;
		}
		if (common[j]) {
			common_copy[j] = *common[j]; /* the profiles' own types change below */
			common[j] = &common_copy[j];
		}
	}

	double *ratios = cprof_xcalloc(nst ? nst : 1, sizeof(*ratios));
	for (size_t i = 0; i < n; i++) {
		struct cprof_profile *p = in[i];
		if (period_type) {
			double v = cprof_unit_scale(p->period, p->period_type.unit, period_copy.unit, NULL);
			p->period = cprof_f2i(v);
			p->period_type.unit = cprof_profile_str(p, period_copy.unit);
		}
		for (size_t j = 0; j < nst; j++) {
			if (!common[j]) {
				ratios[j] = 1;
				continue;
			}
			ratios[j] = cprof_unit_scale(1, p->sample_type[j].unit, common[j]->unit, NULL);
			p->sample_type[j].unit = cprof_profile_str(p, common[j]->unit);
		}
		cprof_profile_scale_n(p, ratios);
	}
	free(ratios);
	rc = 0;
out:
	free(t);
	free(common);
	free(common_copy);
	strbuf_release(&msg);
	return rc;
}

/* fetch.go combineProfiles: the inputs are modified, not freed. */
static struct cprof_profile *combine(struct cprof_profile **in, size_t n, struct cprof_error *err)
{
	if (scale_profiles(in, n, err))
		return NULL;
	return merge(in, n, err);
}

static void free_all(struct cprof_profile **in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		cprof_profile_free(in[i]);
		in[i] = NULL;
	}
}

int cprof_profiles_combine(struct cprof_profile **in, size_t n, struct cprof_profile **out,
			   struct cprof_error *err)
{
	enum { CHUNK = 64 }; /* chunkedGrab's chunk size in Go 1.19 */
	struct cprof_profile *acc = NULL;

	*out = NULL;
	if (n == 0)
		return cprof_error_set(err, CPROF_E_USAGE, "no profiles to merge");
	for (size_t start = 0; start < n; start += CHUNK) {
		size_t len = n - start < CHUNK ? n - start : CHUNK;
		struct cprof_profile *chunk = combine(in + start, len, err);
		if (!chunk)
			goto fail;
		free_all(in + start, len);
		if (!acc) {
			acc = chunk;
			continue;
		}
		struct cprof_profile *pair[2] = {acc, chunk};
		struct cprof_profile *both = combine(pair, 2, err);
		cprof_profile_free(chunk);
		cprof_profile_free(acc);
		acc = both;
		if (!acc)
			goto fail;
	}
	*out = acc;
	return 0;
fail:
	cprof_profile_free(acc);
	free_all(in, n);
	return -1;
}

/* ---- base / diff_base ------------------------------------------------------- */

/* pprof's Profile.SetLabel(key, [value]) on every sample. */
static void set_label(struct cprof_profile *p, const char *key, const char *value)
{
	key = cprof_profile_str(p, key);
	value = cprof_profile_str(p, value);
	for (size_t i = 0; i < p->nsample; i++) {
		struct cprof_sample *s = &p->sample[i];
		struct cprof_label *nl = cprof_arena_alloc(&p->arena, (s->nlabel + 1) * sizeof(*nl));
		uint32_t n = 0;
		for (uint32_t j = 0; j < s->nlabel; j++)
			if (!(s->label[j].key == key && s->label[j].str))
				nl[n++] = s->label[j];
		nl[n].key = key;
		nl[n].str = value;
		nl[n].num = 0;
		nl[n].num_unit = cprof_profile_str(p, "");
		s->label = nl;
		s->nlabel = n + 1;
	}
}

/* pprof's Profile.Normalize: scale p so its column sums equal base's. */
static int normalize(struct cprof_profile *p, const struct cprof_profile *base, struct cprof_error *err)
{
	if (check_compatible(p, base, err))
		return -1;
	size_t n = p->nsample_type;
	uint64_t *bsum = cprof_xcalloc(n ? n : 1, sizeof(*bsum));
	uint64_t *ssum = cprof_xcalloc(n ? n : 1, sizeof(*ssum));
	double *ratio = cprof_xcalloc(n ? n : 1, sizeof(*ratio));
	for (size_t i = 0; i < base->nsample; i++)
		for (size_t j = 0; j < n; j++)
			bsum[j] += (uint64_t)base->sample[i].value[j];
	for (size_t i = 0; i < p->nsample; i++)
		for (size_t j = 0; j < n; j++)
			ssum[j] += (uint64_t)p->sample[i].value[j];
	for (size_t j = 0; j < n; j++)
		ratio[j] = ssum[j] == 0 ? 0.0 : (double)(int64_t)bsum[j] / (double)(int64_t)ssum[j];
	cprof_profile_scale_n(p, ratio);
	free(bsum);
	free(ssum);
	free(ratio);
	return 0;
}

int cprof_profile_apply_base(struct cprof_profile *src, struct cprof_profile *base, bool diff_base,
			     bool norm, struct cprof_profile **out, struct cprof_error *err)
{
	*out = NULL;
	if (diff_base)
		set_label(base, "pprof::base", "true");
	if (norm && normalize(src, base, err)) {
		cprof_profile_free(src);
		cprof_profile_free(base);
		return -1;
	}
	cprof_profile_scale(base, -1);
	struct cprof_profile *in[2] = {src, base};
	return cprof_profiles_combine(in, 2, out, err);
}
