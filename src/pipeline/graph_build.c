/*
 * graph_build.c - pprof's internal/graph: samples folded into nodes and
 * edges, the first step of every report that shows a graph.
 *
 * How a graph is built (graph mode, Go 1.19's graph.newGraph):
 *
 *   1. every (location, line) gets a NodeInfo; equal infos are interned
 *      once ("ginfo"), so a location knows its nodes before any sample is
 *      read; a location without lines gets one address-only info;
 *   2. every sample walks its stack root first (last location first, and
 *      within a location the outermost inline caller first); each distinct
 *      node gets cum once per sample and each distinct caller→callee pair
 *      gets edge weight once per sample (stamps, no per-sample sets); the
 *      last node gets flat unless the stack ended on a node that was not
 *      kept;
 *   3. nodes with zero flat and cum (and negative ones with drop_negative)
 *      are left out of the node array.
 *
 * Call-tree mode keys a node by (parent node, info) instead, so each
 * calling context has its own node and nothing is deduplicated.
 *
 * NodeInfo strings are compared by content (hashes are computed once per
 * function and mapping), because cleaned file names are not interned in
 * the profile and node sets must outlive the graph they came from.
 *
 * Its own file because building is where a report's time goes (one walk
 * over every frame of every sample, twice for -top and -text): the walk,
 * its tables and the split over two threads are kept together here; what
 * is done to a built graph is in graph_trim.c and graph.c.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "src/pipeline/graph_internal.h"

/* ---- arena-backed growable pointer arrays -------------------------------------- */

void *gr_arena_grow(struct cprof_arena *a, void *arr, size_t n, size_t *alloc, size_t elem)
{
	if (n < *alloc)
		return arr;
	size_t na = *alloc ? cprof_st_mult(*alloc, 2) : 4;
	void *fresh = cprof_arena_alloc(a, cprof_st_mult(na, elem));
	if (n)
		memcpy(fresh, arr, n * elem);
	*alloc = na;
	return fresh;
}

void gr_edge_push(struct cprof_arena *a, struct cprof_edge ***arr, size_t *n, size_t *alloc,
		  struct cprof_edge *e)
{
	*arr = gr_arena_grow(a, *arr, *n, alloc, sizeof(**arr));
	(*arr)[(*n)++] = e;
}

/* ---- a map keyed by three pointers (tags, tree nodes) ------------------------- */

struct pmap_ent {
	const void *k1, *k2, *k3;
	void *v;
};

struct pmap {
	struct pmap_ent *e;
	size_t size, count;
};

static size_t pmap_slot(const struct pmap *m, const void *k1, const void *k2, const void *k3)
{
	uint64_t h = mix(mix((uint64_t)(uintptr_t)k1, (uint64_t)(uintptr_t)k2), (uint64_t)(uintptr_t)k3);
	size_t i = (size_t)h & (m->size - 1);
	while (m->e[i].v && !(m->e[i].k1 == k1 && m->e[i].k2 == k2 && m->e[i].k3 == k3))
		i = (i + 1) & (m->size - 1);
	return i;
}

static void pmap_grow(struct pmap *m)
{
	struct pmap_ent *old = m->e;
	size_t osize = m->size;
	m->size = osize ? osize * 2 : 1024;
	m->e = cprof_xcalloc(m->size, sizeof(*m->e));
	for (size_t i = 0; i < osize; i++)
		if (old[i].v)
			m->e[pmap_slot(m, old[i].k1, old[i].k2, old[i].k3)] = old[i];
	free(old);
}

/* The value slot for the key (NULL value when new; the caller fills it). */
static void **pmap_get(struct pmap *m, const void *k1, const void *k2, const void *k3)
{
	if ((m->count + 1) * 2 > m->size)
		pmap_grow(m);
	size_t i = pmap_slot(m, k1, k2, k3);
	if (!m->e[i].v) {
		m->e[i].k1 = k1;
		m->e[i].k2 = k2;
		m->e[i].k3 = k3;
		m->count++;
	}
	return &m->e[i].v;
}

static void pmap_release(struct pmap *m)
{
	free(m->e);
	memset(m, 0, sizeof(*m));
}

/* Distinct addresses used as the third key of the pmap. */
static const char mark_label_tag, mark_tag_group, mark_tree;

/*
 * Edges are the hottest lookup (once per frame of every sample): a compact
 * table keyed by (src id << 32 | dst id); ids start at 1, so 0 is empty.
 */
struct emap_ent {
	uint64_t key;
	struct gedge *v;
};

struct emap {
	struct emap_ent *e;
	size_t size, count;
	int shift; /* 64 - log2(size) */
};

static size_t emap_slot(const struct emap *m, uint64_t key)
{
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> m->shift);
	while (m->e[i].key && m->e[i].key != key)
		i = (i + 1) & (m->size - 1);
	return i;
}

static struct gedge **emap_get(struct emap *m, uint64_t key)
{
	if ((m->count + 1) * 2 > m->size) {
		struct emap_ent *old = m->e;
		size_t osize = m->size;
		m->size = osize ? osize * 2 : 1024;
		m->shift = 64;
		for (size_t s = m->size; s > 1; s >>= 1)
			m->shift--;
		m->e = cprof_xcalloc(m->size, sizeof(*m->e));
		for (size_t i = 0; i < osize; i++)
			if (old[i].key)
				m->e[emap_slot(m, old[i].key)] = old[i];
		free(old);
	}
	size_t i = emap_slot(m, key);
	if (!m->e[i].key) {
		m->e[i].key = key;
		m->count++;
	}
	return &m->e[i].v;
}

/* ---- build-time state ------------------------------------------------------------ */

/* An interned NodeInfo. */
struct ginfo {
	struct cprof_node_info info;
	uint64_t hash;
	struct ginfo *func;  /* same info with address and lineno cleared */
	struct gnode *node;  /* graph mode: its node */
	bool kept;
};

/*
 * Per-function cache: cleaned file and string hashes, and the interned
 * info of a line of the function with no address and no line number when
 * that info does not depend on the location (no object file in it).
 */
struct fcache {
	const char *file;
	uint64_t hname, hsys, hfile;
	struct ginfo *gi;
	bool done;
};

struct numtag {
	const char *name, *unit;
	int64_t value;
};

struct builder {
	const struct cprof_profile *p;
	const struct cprof_graph_opts *o;
	struct cprof_graph *g;

	struct fcache *fc;
	uint64_t *map_hash;  /* per mapping: hash of its file */

	struct ginfo **itab; /* open addressing on ginfo hash */
	size_t isize, icount;

	uint32_t *loc_first;  /* loc_first[l]..loc_first[l+1] index loc_gi */
	struct ginfo **loc_gi;
	struct gnode **loc_node; /* graph mode */

	struct gnode **all;   /* every node created, in creation order */
	size_t nall, aall;

	struct emap edges;
	struct pmap tags, tree;
	uint32_t stamp;

	/* tags */
	struct cprof_strtab strs;
	struct strbuf scratch;
	size_t *lab_off;
	size_t nlab, alab;
	struct numtag *num;
	size_t nnum, anum;
	const char *labels; /* this sample's label tag, "" if none */
};

static const char empty_str[] = "";

/* ---- node infos ------------------------------------------------------------------- */

static struct fcache *func_cache(struct builder *b, uint32_t fi)
{
	struct fcache *c = &b->fc[fi];
	if (c->done)
		return c;
	const struct cprof_function *f = &b->p->function[fi];
	c->file = empty_str;
	if (f->filename[0]) {
		struct strbuf sb = STRBUF_INIT;
		cprof_clean_path(f->filename, &sb);
		c->file = strcmp(sb.buf, f->filename)
				  ? cprof_arena_strndup(&b->g->arena, sb.buf, sb.len)
				  : f->filename;
		strbuf_release(&sb);
	}
	c->hname = str_hash(f->name);
	c->hsys = str_hash(f->system_name);
	c->hfile = str_hash(c->file);
	c->done = true;
	return c;
}

static void itab_grow(struct builder *b)
{
	struct ginfo **old = b->itab;
	size_t osize = b->isize;
	b->isize = osize ? osize * 2 : 1024;
	b->itab = cprof_xcalloc(b->isize, sizeof(*b->itab));
	for (size_t i = 0; i < osize; i++) {
		if (!old[i])
			continue;
		size_t j = (size_t)old[i]->hash & (b->isize - 1);
		while (b->itab[j])
			j = (j + 1) & (b->isize - 1);
		b->itab[j] = old[i];
	}
	free(old);
}

static struct ginfo *intern_info(struct builder *b, const struct cprof_node_info *info, uint64_t h)
{
	if ((b->icount + 1) * 2 > b->isize)
		itab_grow(b);
	size_t j = (size_t)h & (b->isize - 1);
	for (; b->itab[j]; j = (j + 1) & (b->isize - 1))
		if (b->itab[j]->hash == h && info_eq(&b->itab[j]->info, info))
			return b->itab[j];
	struct ginfo *gi = cprof_arena_calloc(&b->g->arena, 1, sizeof(*gi));
	gi->info = *info;
	gi->hash = h;
	gi->kept = !b->o->kept || cprof_node_set_has(b->o->kept, info);
	b->itab[j] = gi;
	b->icount++;
	return gi;
}

/* The interned info of line li of location l (li == NULL: no line). */
static struct ginfo *line_info(struct builder *b, const struct cprof_location *l,
			       const struct cprof_line *li)
{
	struct cprof_node_info ni = {empty_str, empty_str, l->address, empty_str, 0, 0, 0, empty_str};
	struct info_strhash sh;
	const char *objfile = empty_str;
	uint64_t hobj = str_hash(empty_str);
	sh.name = sh.orig = sh.file = sh.obj = hobj;
	if (l->mapping != CPROF_NONE && l->mapping < b->p->nmapping && b->p->mapping[l->mapping].file[0]) {
		objfile = b->p->mapping[l->mapping].file;
		hobj = b->map_hash[l->mapping];
	}
	struct fcache *c = NULL;
	bool per_function = false; /* the info is the function's alone */
	if (!li || li->fn == CPROF_NONE || li->fn >= b->p->nfunction) {
		ni.objfile = objfile;
		sh.obj = hobj;
	} else {
		const struct cprof_function *f = &b->p->function[li->fn];
		c = func_cache(b, li->fn);
		if (c->gi && l->address == 0 && li->line == 0)
			return c->gi;
		ni.lineno = li->line;
		ni.name = f->name;
		sh.name = c->hname;
		ni.file = c->file;
		sh.file = c->hfile;
		if (b->o->orig_fn_names) {
			ni.orig_name = f->system_name;
			sh.orig = c->hsys;
		}
		if (b->o->obj_names || (!ni.name[0] && !ni.orig_name[0])) {
			ni.objfile = objfile;
			sh.obj = hobj;
			ni.start_line = f->start_line;
		} else {
			per_function = true;
		}
	}
	struct ginfo *gi = intern_info(b, &ni, info_hash(&ni, &sh));
	if (!gi->func) {
		if (ni.address == 0 && ni.lineno == 0) {
			gi->func = gi;
		} else {
			ni.address = 0;
			ni.lineno = 0;
			gi->func = intern_info(b, &ni, info_hash(&ni, &sh));
			gi->func->func = gi->func;
		}
	}
	if (per_function)
		c->gi = gi->func; /* the same info with no address and no line */
	return gi;
}

static void map_locations(struct builder *b)
{
	const struct cprof_profile *p = b->p;
	size_t total = 0;
	for (size_t i = 0; i < p->nlocation; i++)
		total += p->location[i].nline ? p->location[i].nline : 1;
	b->loc_first = cprof_xmalloc(cprof_st_mult(p->nlocation + 1, sizeof(*b->loc_first)));
	b->loc_gi = cprof_xmalloc(cprof_st_mult(total ? total : 1, sizeof(*b->loc_gi)));
	size_t k = 0;
	for (size_t i = 0; i < p->nlocation; i++) {
		const struct cprof_location *l = &p->location[i];
		b->loc_first[i] = (uint32_t)k;
		if (!l->nline)
			b->loc_gi[k++] = line_info(b, l, NULL);
		for (uint32_t j = 0; j < l->nline; j++)
			b->loc_gi[k++] = line_info(b, l, &l->line[j]);
	}
	b->loc_first[p->nlocation] = (uint32_t)k;
}

/* ---- nodes and edges -------------------------------------------------------------- */

static struct gnode *new_node(struct builder *b, struct ginfo *gi)
{
	struct gnode *n = cprof_arena_calloc(&b->g->arena, 1, sizeof(*n));
	n->n.info = gi->info;
	n->gi = gi;
	ALLOC_GROW(b->all, b->nall + 1, b->aall);
	b->all[b->nall++] = n;
	n->n.id = (uint32_t)b->nall;
	return n;
}

/* Graph mode FindOrInsertNode (the caller checked kept). */
static struct gnode *graph_node(struct builder *b, struct ginfo *gi)
{
	if (gi->node)
		return gi->node;
	struct gnode *n = gi->node = new_node(b, gi);
	if (gi->func == gi) {
		n->n.function = &n->n;
	} else {
		struct gnode *f = graph_node(b, gi->func);
		n->n.function = &f->n;
	}
	return n;
}

/* Tree mode: the node of gi under parent (NULL for roots). */
static struct gnode *tree_node(struct builder *b, struct gnode *parent, struct ginfo *gi)
{
	void **slot = pmap_get(&b->tree, parent, gi, &mark_tree);
	if (*slot)
		return *slot;
	struct gnode *n = new_node(b, gi);
	*slot = n;
	if (gi->func == gi) {
		n->n.function = &n->n;
	} else {
		struct gnode *f = tree_node(b, parent, gi->func);
		n->n.function = &f->n;
	}
	return n;
}

static struct gedge *new_edge(struct builder *b, struct gnode *src, struct gnode *dst, bool residual,
			      bool inl, struct gedge **slot);

static struct gedge *find_edge(struct builder *b, struct gnode *src, struct gnode *dst, bool residual,
			       bool inl)
{
	/* most callers have few callees: their out-list is cheaper than the table */
	if (src->n.nout <= 8) {
		for (size_t i = 0; i < src->n.nout; i++)
			if (src->n.out[i]->dest == &dst->n)
				return (struct gedge *)src->n.out[i];
		if (src->n.nout < 8)
			return new_edge(b, src, dst, residual, inl, NULL);
		/* the 9th callee: from now on this source's edges are in the table */
		for (size_t i = 0; i < 8; i++)
			*emap_get(&b->edges, (uint64_t)src->n.id << 32 | src->n.out[i]->dest->id) =
				(struct gedge *)src->n.out[i];
	}
	struct gedge **slot = emap_get(&b->edges, (uint64_t)src->n.id << 32 | dst->n.id);
	if (*slot)
		return *slot;
	return new_edge(b, src, dst, residual, inl, slot);
}

/* A new edge; slot is its table entry, NULL while the source has < 8 callees. */
static struct gedge *new_edge(struct builder *b, struct gnode *src, struct gnode *dst, bool residual,
			      bool inl, struct gedge **slot)
{
	struct gedge *e = cprof_arena_calloc(&b->g->arena, 1, sizeof(*e));
	e->e.src = &src->n;
	e->e.dest = &dst->n;
	e->e.residual = residual;
	e->e.inline_ = inl;
	gr_edge_push(&b->g->arena, &src->n.out, &src->n.nout, &src->n.aout, &e->e);
	gr_edge_push(&b->g->arena, &dst->n.in, &dst->n.nin, &dst->n.ain, &e->e);
	if (slot)
		*slot = e;
	return e;
}

static void edge_add(struct gedge *e, int64_t dw, int64_t w, bool residual, bool inl)
{
	e->e.weight_div = cprof_add_wrap(e->e.weight_div, dw);
	e->e.weight = cprof_add_wrap(e->e.weight, w);
	if (residual)
		e->e.residual = true;
	if (!inl)
		e->e.inline_ = false;
}

/* ---- tags --------------------------------------------------------------------------- */

static const char *intern(struct builder *b, const char *s)
{
	if (!s[0])
		return empty_str;
	return cprof_strtab_intern(&b->strs, s, strlen(s));
}

static const char *cmp_lab_base;

static int by_label(const void *x, const void *y)
{
	return strcmp(cmp_lab_base + *(const size_t *)x, cmp_lab_base + *(const size_t *)y);
}

/*
 * pprof's joinLabels ("k:v" sorted, joined by a literal backslash-n) and
 * the numeric tags of sample s, into b->labels and b->num.
 */
static void sample_tags(struct builder *b, const struct cprof_sample *s)
{
	const struct cprof_graph_opts *o = b->o;
	b->labels = empty_str;
	b->nnum = 0;
	b->nlab = 0;
	if (!s->nlabel)
		return;
	strbuf_reset(&b->scratch);
	for (uint32_t i = 0; i < s->nlabel; i++) {
		const struct cprof_label *l = &s->label[i];
		if (!l->str)
			continue;
		if (o->drop_label_key && !strcmp(l->key, o->drop_label_key))
			continue;
		ALLOC_GROW(b->lab_off, b->nlab + 1, b->alab);
		b->lab_off[b->nlab++] = b->scratch.len;
		strbuf_addstr(&b->scratch, l->key);
		strbuf_addch(&b->scratch, ':');
		strbuf_addstr(&b->scratch, l->str);
		strbuf_addch(&b->scratch, '\0');
	}
	if (b->nlab) {
		cmp_lab_base = b->scratch.buf;
		qsort(b->lab_off, b->nlab, sizeof(*b->lab_off), by_label);
		struct strbuf joined = STRBUF_INIT;
		for (size_t i = 0; i < b->nlab; i++) {
			if (i)
				strbuf_addstr(&joined, "\\n");
			strbuf_addstr(&joined, b->scratch.buf + b->lab_off[i]);
		}
		b->labels = intern(b, joined.buf);
		strbuf_release(&joined);
	}
	for (uint32_t i = 0; i < s->nlabel; i++) {
		const struct cprof_label *l = &s->label[i];
		if (l->str)
			continue;
		const char *unit;
		if (o->numeric_tag_key) {
			if (strcmp(l->key, o->numeric_tag_key))
				continue;
			unit = o->numeric_tag_unit ? o->numeric_tag_unit : l->num_unit;
		} else {
			unit = l->num_unit;
		}
		if (!unit[0])
			unit = l->key;
		const char *name;
		char dec[32];
		if (o->format_tag) {
			name = o->format_tag(l->num, unit, o->format_ctx);
		} else {
			snprintf(dec, sizeof(dec), "%lld", (long long)l->num);
			name = dec;
		}
		ALLOC_GROW(b->num, b->nnum + 1, b->anum);
		b->num[b->nnum].name = intern(b, name);
		b->num[b->nnum].unit = intern(b, unit);
		b->num[b->nnum].value = l->num;
		b->nnum++;
	}
}

static struct cprof_tag *find_tag(struct builder *b, struct cprof_tag ***arr, size_t *n, size_t *alloc,
				  const void *k1, const void *k2, const void *k3, const char *name,
				  const char *unit, int64_t value)
{
	void **slot = pmap_get(&b->tags, k1, k2, k3);
	if (*slot)
		return *slot;
	struct cprof_tag *t = cprof_arena_calloc(&b->g->arena, 1, sizeof(*t));
	t->name = name;
	t->unit = unit;
	t->value = value;
	*arr = gr_arena_grow(&b->g->arena, *arr, *n, alloc, sizeof(**arr));
	(*arr)[(*n)++] = t;
	*slot = t;
	return t;
}

static void tag_add(struct cprof_tag *t, int64_t dw, int64_t w, bool flat)
{
	if (flat) {
		t->flat_div = cprof_add_wrap(t->flat_div, dw);
		t->flat = cprof_add_wrap(t->flat, w);
	} else {
		t->cum_div = cprof_add_wrap(t->cum_div, dw);
		t->cum = cprof_add_wrap(t->cum, w);
	}
}

static void add_sample(struct builder *b, struct gnode *gn, int64_t dw, int64_t w, bool flat)
{
	struct cprof_node *n = &gn->n;
	if (flat) {
		n->flat_div = cprof_add_wrap(n->flat_div, dw);
		n->flat = cprof_add_wrap(n->flat, w);
	} else {
		n->cum_div = cprof_add_wrap(n->cum_div, dw);
		n->cum = cprof_add_wrap(n->cum, w);
	}
	if (b->o->no_tags)
		return;
	if (b->labels != empty_str) {
		struct cprof_tag *t = find_tag(b, &n->label_tags, &n->nlabel_tags, &n->alabel_tags, n,
					       b->labels, &mark_label_tag, b->labels, empty_str, 0);
		tag_add(t, dw, w, flat);
	}
	if (!b->nnum)
		return;
	void **gslot = pmap_get(&b->tags, n, b->labels, &mark_tag_group);
	struct cprof_tag_group *grp;
	if (!*gslot) {
		n->numeric_tags = gr_arena_grow(&b->g->arena, n->numeric_tags, n->nnumeric_tags,
					     &n->anumeric_tags, sizeof(*n->numeric_tags));
		grp = &n->numeric_tags[n->nnumeric_tags++];
		memset(grp, 0, sizeof(*grp));
		grp->labels = b->labels;
		/* store the index: the group array may move when it grows */
		*gslot = (void *)(uintptr_t)n->nnumeric_tags;
	} else {
		grp = &n->numeric_tags[(uintptr_t)*gslot - 1];
	}
	for (size_t i = 0; i < b->nnum; i++) {
		struct cprof_tag *t = find_tag(b, &grp->tags, &grp->ntags, &grp->atags, n, b->labels,
					       b->num[i].name, b->num[i].name, b->num[i].unit,
					       b->num[i].value);
		tag_add(t, dw, w, flat);
	}
}

/* ---- the two builders ---------------------------------------------------------------- */

static uint32_t next_stamp(struct builder *b)
{
	if (++b->stamp == 0) {
		for (size_t i = 0; i < b->nall; i++) {
			b->all[i]->stamp = 0;
			for (size_t j = 0; j < b->all[i]->n.nout; j++)
				((struct gedge *)b->all[i]->n.out[j])->stamp = 0;
		}
		b->stamp = 1;
	}
	return b->stamp;
}

static bool sample_weights(const struct builder *b, const struct cprof_sample *s, int64_t *w,
			   int64_t *dw)
{
	const struct cprof_graph_opts *o = b->o;
	*w = (o->sample_index >= 0 && (size_t)o->sample_index < b->p->nsample_type)
		     ? s->value[o->sample_index]
		     : 0;
	*dw = (o->mean_index >= 0 && (size_t)o->mean_index < b->p->nsample_type) ? s->value[o->mean_index]
										   : 0;
	return *w != 0 || *dw != 0;
}

/*
 * What build_graph does for every frame, without tags: the values a walk
 * touches are packed by node id (a few hundred kilobytes that stay in the
 * cache) instead of being spread over the node structures.
 */
struct hot_node {
	uint32_t stamp;
	int64_t cum, cum_div, flat, flat_div;
};

/* An edge as one part of the samples sees it (walk_part). */
struct edge_acc {
	uint64_t key; /* source id << 32 | destination id */
	int64_t w, dw;
	uint32_t stamp;
	bool residual, inl;
};

struct part {
	const struct builder *b;
	const uint32_t *loc_id;
	struct hot_node *hot;
	size_t from, to;
	bool edges;
	struct edge_acc *acc;
	size_t nacc, aacc;
	uint32_t *slot; /* open addressing on key: index + 1 into acc, 0 empty */
	size_t nslot;
};

static struct edge_acc *part_edge(struct part *w, uint64_t key)
{
	if ((w->nacc + 1) * 2 > w->nslot) {
		size_t ns = w->nslot ? w->nslot * 2 : 1024;
		uint32_t *nv = cprof_xcalloc(ns, sizeof(*nv));
		for (size_t i = 0; i < w->nacc; i++) {
			size_t j = (size_t)((w->acc[i].key * 0x9e3779b97f4a7c15ULL) >> 32) & (ns - 1);
			while (nv[j])
				j = (j + 1) & (ns - 1);
			nv[j] = (uint32_t)i + 1;
		}
		free(w->slot);
		w->slot = nv;
		w->nslot = ns;
	}
	size_t j = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 32) & (w->nslot - 1);
	while (w->slot[j]) {
		struct edge_acc *e = &w->acc[w->slot[j] - 1];
		if (e->key == key)
			return e;
		j = (j + 1) & (w->nslot - 1);
	}
	ALLOC_GROW(w->acc, w->nacc + 1, w->aacc);
	w->slot[j] = (uint32_t)++w->nacc;
	struct edge_acc *e = &w->acc[w->nacc - 1];
	*e = (struct edge_acc){key, 0, 0, 0, false, true};
	return e;
}

/*
 * Samples [from, to) into hot (stamps of its own) and, with edges, into
 * acc: each edge once, in the order first met, with its weights and flags
 * as one pass gives them (residual if any sample says so, inline if every
 * sample does, each sample counted once).
 */
static void *walk_part(void *arg)
{
	struct part *w = arg;
	const struct cprof_profile *p = w->b->p;
	struct hot_node *hot = w->hot;
	uint32_t stamp = 0;
	for (size_t si = w->from; si < w->to; si++) {
		if ((si & 8191) == 0 && cprof_interrupted())
			break; /* the sums are dropped: the report fails */
		const struct cprof_sample *s = &p->sample[si];
		int64_t wt, dw;
		if (!sample_weights(w->b, s, &wt, &dw))
			continue;
		if (++stamp == 0) {
			for (size_t i = 0; i <= w->b->nall; i++)
				hot[i].stamp = 0;
			for (size_t i = 0; i < w->nacc; i++)
				w->acc[i].stamp = 0;
			stamp = 1;
		}
		uint32_t parent = 0;
		bool residual = false;
		for (uint32_t i = s->nloc; i-- > 0;) {
			uint32_t l = s->loc[i];
			if (l >= p->nlocation)
				continue;
			uint32_t first = w->b->loc_first[l], last = w->b->loc_first[l + 1];
			for (uint32_t k = last; k-- > first;) {
				uint32_t id = w->loc_id[k];
				if (!id) {
					residual = true;
					continue;
				}
				struct hot_node *h = &hot[id];
				if (h->stamp != stamp) {
					h->stamp = stamp;
					h->cum_div = cprof_add_wrap(h->cum_div, dw);
					h->cum = cprof_add_wrap(h->cum, wt);
				}
				if (w->edges && parent && id != parent) {
					bool inl = k != last - 1;
					struct edge_acc *e = part_edge(w, (uint64_t)parent << 32 | id);
					if (e->stamp != stamp) {
						e->stamp = stamp;
						e->dw = cprof_add_wrap(e->dw, dw);
						e->w = cprof_add_wrap(e->w, wt);
						e->residual |= residual;
						e->inl &= inl;
					}
				}
				parent = id;
				residual = false;
			}
		}
		if (parent && !residual) {
			hot[parent].flat_div = cprof_add_wrap(hot[parent].flat_div, dw);
			hot[parent].flat = cprof_add_wrap(hot[parent].flat, wt);
		}
	}
	return NULL;
}

/* From this many samples on, a graph without tags is summed on two threads. */
#define PARTS_MIN 20000

/*
 * Sum the samples (walk_part), from PARTS_MIN samples on in two halves,
 * the first on a second thread; then add the sums (in wrapping
 * arithmetic, as one pass would) and make the edges in the order one pass
 * meets them: the first half's, then those the second half adds.
 */
static void build_in_parts(struct builder *b, const uint32_t *loc_id, struct hot_node *hot, bool edges)
{
	size_t n = b->p->nsample, mid = n >= PARTS_MIN ? n / 2 : 0;
	struct hot_node *other = mid ? cprof_xcalloc(b->nall + 1, sizeof(*other)) : NULL;
	struct part parts[2] = {{.b = b, .loc_id = loc_id, .hot = other, .from = 0, .to = mid, .edges = edges},
				{.b = b, .loc_id = loc_id, .hot = hot, .from = mid, .to = n, .edges = edges}};
	pthread_t th;
	bool threaded = mid && pthread_create(&th, NULL, walk_part, &parts[0]) == 0;
	walk_part(&parts[1]);
	if (threaded)
		pthread_join(th, NULL);
	else if (mid)
		walk_part(&parts[0]);
	for (size_t i = 0; other && i <= b->nall; i++) {
		hot[i].cum = cprof_add_wrap(hot[i].cum, other[i].cum);
		hot[i].cum_div = cprof_add_wrap(hot[i].cum_div, other[i].cum_div);
		hot[i].flat = cprof_add_wrap(hot[i].flat, other[i].flat);
		hot[i].flat_div = cprof_add_wrap(hot[i].flat_div, other[i].flat_div);
	}
	free(other);
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < parts[k].nacc; i++) {
			const struct edge_acc *a = &parts[k].acc[i];
			struct gnode *src = b->all[(a->key >> 32) - 1], *dst = b->all[(uint32_t)a->key - 1];
			edge_add(find_edge(b, src, dst, a->residual, a->inl), a->dw, a->w, a->residual, a->inl);
		}
		free(parts[k].acc);
		free(parts[k].slot);
	}
}

static void build_graph_untagged(struct builder *b, size_t nk)
{
	uint32_t *loc_id = cprof_xmalloc(cprof_st_mult(nk ? nk : 1, sizeof(*loc_id)));
	for (size_t k = 0; k < nk; k++)
		loc_id[k] = b->loc_node[k] ? b->loc_node[k]->n.id : 0;
	struct hot_node *hot = cprof_xcalloc(b->nall + 1, sizeof(*hot));
	build_in_parts(b, loc_id, hot, !b->o->no_edges);
	for (size_t i = 0; i < b->nall; i++) {
		struct cprof_node *n = &b->all[i]->n;
		const struct hot_node *h = &hot[n->id];
		n->cum = cprof_add_wrap(n->cum, h->cum);
		n->cum_div = cprof_add_wrap(n->cum_div, h->cum_div);
		n->flat = cprof_add_wrap(n->flat, h->flat);
		n->flat_div = cprof_add_wrap(n->flat_div, h->flat_div);
	}
	free(hot);
	free(loc_id);
}

static void build_graph(struct builder *b)
{
	const struct cprof_profile *p = b->p;
	size_t nk = b->loc_first[p->nlocation];
	b->loc_node = cprof_xmalloc(cprof_st_mult(nk ? nk : 1, sizeof(*b->loc_node)));
	/* CreateNodes: every location's nodes exist before the samples are read. */
	for (size_t k = 0; k < nk; k++)
		b->loc_node[k] = b->loc_gi[k]->kept ? graph_node(b, b->loc_gi[k]) : NULL;
	if (b->o->no_tags) {
		build_graph_untagged(b, nk);
		return;
	}

	bool no_edges = b->o->no_edges;
	for (size_t si = 0; si < p->nsample; si++) {
		const struct cprof_sample *s = &p->sample[si];
		int64_t w, dw;
		if (!sample_weights(b, s, &w, &dw))
			continue;
		uint32_t stamp = next_stamp(b);
		if (!b->o->no_tags)
			sample_tags(b, s);
		struct gnode *parent = NULL;
		bool residual = false;
		for (uint32_t i = s->nloc; i-- > 0;) {
			uint32_t l = s->loc[i];
			if (l >= p->nlocation)
				continue;
			uint32_t first = b->loc_first[l], last = b->loc_first[l + 1];
			for (uint32_t k = last; k-- > first;) {
				struct gnode *n = b->loc_node[k];
				if (!n) {
					residual = true;
					continue;
				}
				if (n->stamp != stamp) {
					n->stamp = stamp;
					add_sample(b, n, dw, w, false);
				}
				if (parent && n != parent && !no_edges) {
					bool inl = k != last - 1;
					struct gedge *e = find_edge(b, parent, n, residual, inl);
					if (e->stamp != stamp) {
						e->stamp = stamp;
						edge_add(e, dw, w, residual, inl);
					}
				}
				parent = n;
				residual = false;
			}
		}
		if (parent && !residual)
			add_sample(b, parent, dw, w, true);
	}
}

static void build_tree(struct builder *b)
{
	const struct cprof_profile *p = b->p;
	for (size_t si = 0; si < p->nsample; si++) {
		const struct cprof_sample *s = &p->sample[si];
		int64_t w, dw;
		if (!sample_weights(b, s, &w, &dw))
			continue;
		if (!b->o->no_tags)
			sample_tags(b, s);
		struct gnode *parent = NULL;
		for (uint32_t i = s->nloc; i-- > 0;) {
			uint32_t l = s->loc[i];
			if (l >= p->nlocation)
				continue;
			uint32_t first = b->loc_first[l], last = b->loc_first[l + 1];
			for (uint32_t k = last; k-- > first;) {
				struct ginfo *gi = b->loc_gi[k];
				if (!gi->kept)
					continue;
				struct gnode *n = tree_node(b, parent, gi);
				add_sample(b, n, dw, w, false);
				if (parent) {
					bool inl = k != last - 1;
					/* no per-sample dedup in a tree: one pmap key per pair */
					struct gedge *e = find_edge(b, parent, n, false, inl);
					edge_add(e, dw, w, false, inl);
				}
				parent = n;
			}
		}
		if (parent)
			add_sample(b, parent, dw, w, true);
	}
}

static bool is_negative(const struct cprof_node *n)
{
	return n->flat < 0 || (n->flat == 0 && n->cum < 0);
}

static void builder_init(struct builder *b, const struct cprof_profile *p,
			 const struct cprof_graph_opts *o, struct cprof_graph *g)
{
	memset(b, 0, sizeof(*b));
	b->p = p;
	b->o = o;
	b->g = g;
	b->fc = cprof_xcalloc(p->nfunction ? p->nfunction : 1, sizeof(*b->fc));
	b->map_hash = cprof_xcalloc(p->nmapping ? p->nmapping : 1, sizeof(*b->map_hash));
	for (size_t i = 0; i < p->nmapping; i++)
		b->map_hash[i] = str_hash(p->mapping[i].file);
	cprof_strtab_init(&b->strs, &g->arena);
	strbuf_init(&b->scratch, 0);
	map_locations(b);
}

/* Name every node created, select the graph's nodes, and hand the graph over. */
static void builder_finish(struct builder *b)
{
	struct cprof_graph *g = b->g;
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < b->nall; i++) {
		struct cprof_node *n = &b->all[i]->n;
		strbuf_reset(&sb);
		cprof_node_info_printable(&n->info, &sb);
		n->printable = cprof_arena_strndup(&g->arena, sb.buf, sb.len);
		/* selectNodesForGraph */
		if (n->cum == 0 && n->flat == 0)
			continue;
		if (b->o->drop_negative && is_negative(n))
			continue;
		ALLOC_GROW(g->nodes, g->nnodes + 1, g->anodes);
		g->nodes[g->nnodes++] = n;
	}
	strbuf_release(&sb);
	/* node stamps now belong to graph walks (cprof_graph_remove_redundant_edges) */
	for (size_t i = 0; i < b->nall; i++)
		b->all[i]->stamp = 0;
	g->priv = cprof_arena_calloc(&g->arena, 1, sizeof(struct gpriv));

	free(b->fc);
	free(b->map_hash);
	free(b->itab);
	free(b->loc_first);
	free(b->loc_gi);
	free(b->loc_node);
	free(b->all);
	free(b->lab_off);
	free(b->num);
	free(b->edges.e);
	pmap_release(&b->tags);
	pmap_release(&b->tree);
	cprof_strtab_release(&b->strs);
	strbuf_release(&b->scratch);
}

struct cprof_graph *cprof_graph_new(const struct cprof_profile *p, const struct cprof_graph_opts *o)
{
	struct cprof_graph *g = cprof_xcalloc(1, sizeof(*g));
	struct builder b;
	cprof_arena_init(&g->arena);
	builder_init(&b, p, o, g);
	if (o->call_tree)
		build_tree(&b);
	else
		build_graph(&b);
	builder_finish(&b);
	return g;
}

struct cprof_graph *cprof_graph_location_nodes(const struct cprof_profile *p,
					       const struct cprof_graph_opts *o, uint32_t **loc_first,
					       struct cprof_node ***loc_nodes)
{
	struct cprof_graph *g = cprof_xcalloc(1, sizeof(*g));
	struct builder b;
	cprof_arena_init(&g->arena);
	builder_init(&b, p, o, g);
	size_t nk = b.loc_first[p->nlocation];
	struct cprof_node **nodes = cprof_xmalloc(cprof_st_mult(nk ? nk : 1, sizeof(*nodes)));
	for (size_t k = 0; k < nk; k++)
		nodes[k] = b.loc_gi[k]->kept ? &graph_node(&b, b.loc_gi[k])->n : NULL;
	*loc_first = b.loc_first;
	*loc_nodes = nodes;
	b.loc_first = NULL;
	builder_finish(&b);
	return g;
}
