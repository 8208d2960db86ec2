/*
 * heapgraph.c - a heap dump's object graph, its dominator tree, retained
 * sizes and the retention tree (see heapdump.h for the model).
 *
 * Steps, each linear or close to it in objects (n) and pointers (m):
 *
 *   1. objects by address: the dump lists each span's objects in address
 *      order, so the list is a few sorted runs; the runs are sorted
 *      (falling back to a full sort when they interleave), overlaps are
 *      an error.
 *   2. pointers resolved to the object holding them: a page table over
 *      the objects' address span (8 KiB pages) narrows each binary
 *      search to one page's objects. Values are turned into node numbers
 *      in place (8-byte values into 4-byte numbers in the same buffer).
 *   3. roots named and grouped (globals by symbol, frames by function,
 *      finalizers by function), their edges resolved.
 *   4. depth-first numbering from the super-root (iterative: a list of a
 *      million nodes is a path a million deep), deciding the finalizers'
 *      conditional edges on the way (registered finalizers come last, so
 *      whatever the other roots reach is numbered by then).
 *   5. predecessors of the numbered nodes, by counting sort.
 *   6. Lengauer and Tarjan's dominator algorithm ("A fast algorithm for
 *      finding dominators in a flowgraph", 1979), the simple version with
 *      path compression: O(m log n). The forest's ancestor links live in
 *      the parent array (a node is linked exactly when it has been
 *      processed, and its parent is no longer needed then).
 *   7. retained sizes: each node's own size added to its immediate
 *      dominator's, in reverse preorder.
 *   8. the retention tree: dominator tree nodes in preorder, each mapped
 *      to its dominator's tree node's child of its name (or to that node
 *      itself when the names are equal); done while the dominators are
 *      still preorder numbers, whose neighbours are near in memory.
 *
 * Memory: the dump keeps 12 bytes an object (address, size) and 8 a
 * pointer (4 once resolved); the peak is step 6, with 32 bytes a node
 * and 4 a pointer (the predecessors) beside the dump's 12 an object, the
 * objects' own pointers having been dropped by then (unless kept for the
 * caller).
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/heapdump.h"


#define NONE CPROF_NONE
#define WEAK 0x80000000u /* an edge kept only if its target is not reached otherwise */
#define PAGE_SHIFT 13
#define MAX_NODES 0x7ffffff0u

/* ---- a map of 64-bit keys to 32-bit values (NONE: absent) ---------------------- */

struct map {
	uint64_t *key;
	uint32_t *val;
	size_t size, count;
};

static uint64_t hash64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

static void map_release(struct map *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}

static uint32_t *map_slot(struct map *m, uint64_t key);

static void map_grow(struct map *m)
{
	struct map old = *m;
	m->size = old.size ? old.size * 2 : 64;
	m->key = cprof_xmalloc(cprof_st_mult(m->size, sizeof(*m->key)));
	m->val = cprof_xmalloc(cprof_st_mult(m->size, sizeof(*m->val)));
	memset(m->val, 0xff, m->size * sizeof(*m->val));
	m->count = 0;
	for (size_t i = 0; i < old.size; i++)
		if (old.val[i] != NONE) {
			*map_slot(m, old.key[i]) = old.val[i];
			m->count++;
		}
	free(old.key);
	free(old.val);
}

/* The value slot of key (NONE if new; the caller fills it and counts). */
static uint32_t *map_slot(struct map *m, uint64_t key)
{
	if ((m->count + 1) * 2 > m->size)
		map_grow(m);
	size_t mask = m->size - 1, i = hash64(key) & mask;
	while (m->val[i] != NONE && m->key[i] != key)
		i = (i + 1) & mask;
	m->key[i] = key;
	return &m->val[i];
}

static uint32_t map_get(const struct map *m, uint64_t key)
{
	if (!m->size)
		return NONE;
	size_t mask = m->size - 1, i = hash64(key) & mask;
	while (m->val[i] != NONE) {
		if (m->key[i] == key)
			return m->val[i];
		i = (i + 1) & mask;
	}
	return NONE;
}

/* Get or add: *added tells which. */
static uint32_t map_intern(struct map *m, uint64_t key, uint32_t next, bool *added)
{
	uint32_t *s = map_slot(m, key);
	*added = *s == NONE;
	if (*added) {
		*s = next;
		m->count++;
	}
	return *s;
}

/* ---- step 1: objects by address ----------------------------------------------------- */

static inline uint64_t end_of(uint64_t addr, uint64_t size)
{
	return addr + size < addr ? UINT64_MAX : addr + size;
}

struct run {
	uint64_t addr;
	uint32_t first, len;
};

static int cmp_run(const void *a, const void *b)
{
	const struct run *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int cmp_by_addr(const void *a, const void *b, void *ctx)
{
	const uint64_t *addr = ctx;
	uint64_t x = addr[*(const uint32_t *)a], y = addr[*(const uint32_t *)b];
	return x < y ? -1 : x > y;
}

/*
 * The objects' indices by address. A run is a stretch of the dump's
 * order where each object starts where the previous one ends (a span's
 * allocated slots between two free ones): runs of a sound dump are
 * disjoint, so sorting them by address sorts the objects. The order is
 * then checked; interleaving runs (a made-up dump) are sorted object by
 * object, overlapping objects are an error.
 */
static uint32_t *sort_objects(const struct cprof_heapdump *d, struct cprof_error *err)
{
	size_t n = d->nobj, nruns = 0, aruns = 0;
	struct run *runs = NULL;
	uint32_t *perm = cprof_heapdump_alloc(n, sizeof(*perm), false);
	uint64_t end = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t a = d->obj_addr[i];
		if (i == 0 || a != end) {
			ALLOC_GROW(runs, nruns + 1, aruns);
			runs[nruns++] = (struct run){a, (uint32_t)i, 0};
		}
		runs[nruns - 1].len++;
		end = end_of(a, cprof_heapdump_size(d, i));
	}
	if (nruns)
		qsort(runs, nruns, sizeof(*runs), cmp_run);
	size_t k = 0;
	for (size_t r = 0; r < nruns; r++)
		for (uint32_t j = 0; j < runs[r].len; j++)
			perm[k++] = runs[r].first + j;
	free(runs);
	for (int pass = 0; pass < 2; pass++) {
		size_t bad = 0;
		for (size_t i = 1; i < n && !bad; i++)
			if (d->obj_addr[perm[i]] < end_of(d->obj_addr[perm[i - 1]], cprof_heapdump_size(d, perm[i - 1])))
				bad = i;
		if (!bad)
			break;
		if (pass == 1 || d->obj_addr[perm[bad]] >= d->obj_addr[perm[bad - 1]]) {
			uint64_t a = d->obj_addr[perm[bad]];
			free(perm);
			cprof_error_set(err, CPROF_E_CORRUPT, "heap dump: objects overlap at 0x%llx", (unsigned long long)a);
			return NULL;
		}
		qsort_r(perm, n, sizeof(*perm), cmp_by_addr, d->obj_addr);
	}
	return perm;
}

/* ---- step 2: address lookup ---------------------------------------------------------- */

struct lookup {
	const struct cprof_heapdump *d;
	uint64_t *start; /* by address */
	uint32_t *size;  /* the same order; UINT32_MAX: look up the real size */
	uint32_t *perm;  /* object index by address */
	size_t n;
	uint64_t lo, hi;
	uint32_t *page; /* page[i]: objects starting before lo + i pages; NULL: no table */
	size_t npage;
};

/* Takes perm (the objects by address). */
static void lookup_init(struct lookup *l, const struct cprof_heapdump *d, uint32_t *perm)
{
	memset(l, 0, sizeof(*l));
	l->d = d;
	l->n = d->nobj;
	l->perm = perm;
	if (!l->n)
		return;
	l->start = cprof_heapdump_alloc(l->n, sizeof(uint64_t), false);
	l->size = cprof_heapdump_alloc(l->n, sizeof(uint32_t), false);
	for (size_t i = 0; i < l->n; i++) {
		l->start[i] = d->obj_addr[perm[i]];
		l->size[i] = d->obj_size[perm[i]];
	}
	l->lo = l->start[0];
	l->hi = end_of(l->start[l->n - 1], cprof_heapdump_size(d, perm[l->n - 1]));
	uint64_t span = (l->hi - l->lo) >> PAGE_SHIFT;
	if (span < 4 * (uint64_t)l->n + 65536) {
		l->npage = (size_t)span + 2;
		l->page = cprof_xmalloc(cprof_st_mult(l->npage, sizeof(*l->page)));
		size_t i = 0;
		for (size_t p = 0; p < l->npage; p++) {
			uint64_t at = l->lo + ((uint64_t)p << PAGE_SHIFT);
			while (i < l->n && l->start[i] < at)
				i++;
			l->page[p] = (uint32_t)i;
		}
	}
}

static void lookup_release(struct lookup *l)
{
	free(l->start);
	free(l->size);
	free(l->perm);
	free(l->page);
	memset(l, 0, sizeof(*l));
}

/* The object (dump order) holding v, or NONE. */
static inline uint32_t lookup_obj(const struct lookup *l, uint64_t v)
{
	if (v < l->lo || v >= l->hi)
		return NONE;
	size_t lo = 0, hi = l->n;
	if (l->page) {
		size_t p = (size_t)((v - l->lo) >> PAGE_SHIFT);
		lo = l->page[p];
		hi = l->page[p + 1];
	}
	while (lo < hi) { /* first start > v */
		size_t mid = lo + (hi - lo) / 2;
		if (l->start[mid] <= v)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NONE;
	uint64_t off = v - l->start[lo - 1];
	uint32_t o = l->perm[lo - 1];
	if (off >= l->size[lo - 1] && (l->size[lo - 1] != UINT32_MAX || off >= cprof_heapdump_size(l->d, o)))
		return NONE;
	return o;
}

uint32_t cprof_heapgraph_find(const struct cprof_heapgraph *g, uint64_t addr)
{
	const struct cprof_heapdump *d = g->dump;
	size_t lo = 0, hi = g->obj_by_addr ? d->nobj : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->obj_addr[g->obj_by_addr[mid]] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NONE;
	uint32_t o = g->obj_by_addr[lo - 1];
	return addr - d->obj_addr[o] < cprof_heapdump_size(d, o) ? o : NONE;
}

/* ---- step 3: roots ----------------------------------------------------------------- */

struct edges {
	uint32_t *from, *to;
	size_t n, a;
};

static void edge_add(struct edges *e, uint32_t from, uint32_t to)
{
	if (e->n == e->a) {
		size_t a = e->a;
		ALLOC_GROW(e->from, e->n + 1, a);
		ALLOC_GROW(e->to, e->n + 1, e->a);
	}
	e->from[e->n] = from;
	e->to[e->n++] = to;
}

struct builder {
	struct cprof_heapgraph *g;
	struct cprof_heapdump *d;
	const struct cprof_heapgraph_opts *o;
	struct lookup lk;
	struct map roots[CPROF_HN_OBJECT]; /* per kind: key -> root index */
	size_t aroot;
	struct edges re;  /* root index -> node (objects: first_obj added later) */
	uint32_t *last_goroutine; /* per root: the last goroutine counted (stacks) */
	size_t alast;
	uint64_t bias;
};

static uint32_t add_root(struct builder *b, enum cprof_heapnode_kind kind, uint64_t key, const char *name,
			 uint64_t addr, uint64_t size)
{
	struct cprof_heapgraph *g = b->g;
	bool added;
	uint32_t r = map_intern(&b->roots[kind], key, g->nroot, &added);
	if (added) {
		ALLOC_GROW(g->root, g->nroot + 1, b->aroot);
		g->root[g->nroot] = (struct cprof_heaproot){kind, name, addr, size, 0, 0};
		ALLOC_GROW(b->last_goroutine, g->nroot + 1, b->alast);
		b->last_goroutine[g->nroot] = NONE;
		g->nroot++;
	}
	g->root[r].count++;
	return r;
}

static void root_edge(struct builder *b, uint32_t r, uint64_t v, bool weak)
{
	uint32_t o = lookup_obj(&b->lk, v);
	if (o != NONE)
		edge_add(&b->re, r, o | (weak ? WEAK : 0));
}

/* "<prefix><sep>0x<v>", interned. */
static const char *hexname(struct cprof_heapgraph *g, const char *prefix, const char *sep, uint64_t v)
{
	char buf[96];
	int n = snprintf(buf, sizeof(buf), "%s%s0x%llx", prefix, sep, (unsigned long long)v);
	return cprof_strtab_intern(&g->strs, buf, n > 0 ? (size_t)n : 0);
}

static void segment_roots(struct builder *b, const struct cprof_heapdump_segment *s, const char *segname)
{
	struct cprof_heapgraph *g = b->g;
	const struct cprof_heapdump *d = b->d;
	for (size_t i = s->slots.first; i < s->slots.first + s->slots.n; i++) {
		uint64_t at = s->addr + d->root_off[i], start = 0;
		const char *sym = b->o->syms ? cprof_heapsyms_find(b->o->syms, at, b->bias, true, &start) : NULL;
		uint32_t r;
		if (sym) {
			r = add_root(b, CPROF_HN_GLOBAL, (uint64_t)(uintptr_t)sym, cprof_strtab_intern(&g->strs, sym, strlen(sym)),
				     start, 0);
		} else {
			r = add_root(b, CPROF_HN_GLOBAL, at, hexname(g, segname, "+", d->root_off[i]), at, d->ptr_size);
		}
		root_edge(b, r, d->root_val[i], false);
	}
}

/* The function at pc, or its address ("0x4a1b20") as pprof names unknown code. */
static const char *func_name(struct builder *b, uint64_t pc)
{
	uint64_t start;
	const char *f = b->o->syms ? cprof_heapsyms_find(b->o->syms, pc, b->bias, false, &start) : NULL;
	if (f)
		return cprof_strtab_intern(&b->g->strs, f, strlen(f));
	return hexname(b->g, "", "", pc);
}

static void build_roots(struct builder *b)
{
	struct cprof_heapgraph *g = b->g;
	const struct cprof_heapdump *d = b->d;

	if (b->o->syms)
		b->bias = cprof_heapsyms_bias(b->o->syms, d);
	segment_roots(b, &d->data, "data");
	segment_roots(b, &d->bss, "bss");
	for (size_t i = 0; i < d->nframe; i++) {
		const struct cprof_heapdump_frame *f = &d->frame[i];
		uint32_t r = add_root(b, CPROF_HN_STACK, (uint64_t)(uintptr_t)f->func, f->func, f->entry, 0);
		if (f->goroutine != b->last_goroutine[r]) {
			b->last_goroutine[r] = f->goroutine;
			g->root[r].goroutines++;
		}
		for (size_t k = f->slots.first; k < f->slots.first + f->slots.n; k++)
			root_edge(b, r, d->root_val[k], false);
	}
	for (size_t i = 0; i < d->notherroot; i++) {
		const struct cprof_heapdump_otherroot *o = &d->otherroot[i];
		uint32_t r = add_root(b, CPROF_HN_OTHER, (uint64_t)(uintptr_t)o->desc, o->desc, 0, 0);
		root_edge(b, r, o->ptr, false);
	}
	for (size_t i = 0; i < d->npanic; i++) {
		const char *name = cprof_strtab_intern(&g->strs, "panic argument", 14);
		uint32_t r = add_root(b, CPROF_HN_OTHER, (uint64_t)(uintptr_t)name, name, 0, 0);
		root_edge(b, r, d->panic[i].argdata, false);
	}
	for (size_t i = 0; i < d->nfinalizer; i++) {
		const struct cprof_heapdump_finalizer *f = &d->finalizer[i];
		enum cprof_heapnode_kind k = f->queued ? CPROF_HN_QUEUED : CPROF_HN_FINALIZER;
		uint32_t r = add_root(b, k, f->fnpc, func_name(b, f->fnpc), f->fnpc, 0);
		root_edge(b, r, f->fn, false);
		root_edge(b, r, f->obj, !f->queued);
	}
}

/* ---- steps 4-7: numbering, predecessors, dominators, retained sizes ----------------- */

/* The edges of node v: *e and its count (object edges are the dump's ptr_node). */
struct csr {
	uint64_t *off; /* per non-object node, first_obj + 1 entries */
	uint32_t *to;
};

static inline uint32_t *edges_of(const struct cprof_heapgraph *g, const struct cprof_heapdump *d,
				 const struct csr *c, uint32_t v, uint32_t *n)
{
	if (v >= g->first_obj) {
		uint32_t o = v - g->first_obj;
		*n = (uint32_t)(d->obj_ptr[o + 1] - d->obj_ptr[o]);
		return d->ptr_node + d->obj_ptr[o];
	}
	*n = (uint32_t)(c->off[v + 1] - c->off[v]);
	return c->to + c->off[v];
}

struct treebuild;
static void tree_reachable(struct cprof_heapgraph *g, struct treebuild *tb, const uint32_t *vertex,
			   const uint32_t *idom, uint32_t nr, uint32_t *tn);

struct lt {
	uint32_t *vertex, *parent, *semi, *label, *idom, *bhead, *bnext;
	uint32_t *path; /* compress()'s stack */
	size_t apath;
};

/*
 * Path compression over the forest whose links are lt->parent of nodes
 * >= lim (the linked ones); iterative form of the textbook recursion.
 */
static void compress(struct lt *t, uint32_t v, uint32_t lim)
{
	size_t n = 0;
	while (t->parent[v] >= lim) { /* v's link leads to a linked node: compress that first */
		ALLOC_GROW(t->path, n + 1, t->apath);
		t->path[n++] = v;
		v = t->parent[v];
	}
	while (n) {
		uint32_t x = t->path[--n], a = t->parent[x];
		if (t->semi[t->label[a]] < t->semi[t->label[x]])
			t->label[x] = t->label[a];
		t->parent[x] = t->parent[a];
	}
}

static inline uint32_t eval(struct lt *t, uint32_t v, uint32_t lim)
{
	if (v < lim)
		return v;
	compress(t, v, lim);
	return t->label[v];
}

static int dominators(struct cprof_heapgraph *g, struct cprof_heapdump *d, struct csr *c, bool keep_pointers,
		      struct treebuild *tb, struct cprof_error *err)
{
	uint32_t n = g->nnode;
	uint32_t *dfn = cprof_heapdump_alloc(n, sizeof(uint32_t), false);
	struct lt t = {0};
	memset(dfn, 0xff, (size_t)n * sizeof(uint32_t));
	t.vertex = cprof_heapdump_alloc(n, sizeof(uint32_t), false);
	t.parent = cprof_heapdump_alloc(n, sizeof(uint32_t), false);
	t.semi = cprof_heapdump_alloc(n, sizeof(uint32_t), false);
	t.label = cprof_heapdump_alloc(n, sizeof(uint32_t), false);

	/* step 4: preorder numbers; semi and label are the DFS stack meanwhile */
	uint32_t *snode = t.semi, *spos = t.label, sp = 0, k = 0;
	dfn[0] = 0, t.vertex[0] = 0, t.parent[0] = NONE, k = 1;
	snode[sp] = 0, spos[sp++] = 0;
	while (sp) {
		uint32_t v = snode[sp - 1], cnt, pos = spos[sp - 1];
		uint32_t *e = edges_of(g, d, c, v, &cnt);
		bool pushed = false;
		while (pos < cnt) {
			uint32_t w = e[pos++];
			if (w == NONE)
				continue;
			if (w & WEAK) {
				w &= ~WEAK;
				e[pos - 1] = dfn[w] == NONE ? w : NONE;
			}
			if (dfn[w] != NONE)
				continue;
			dfn[w] = k;
			t.vertex[k] = w;
			t.parent[k] = dfn[v];
			k++;
			spos[sp - 1] = pos;
			snode[sp] = w, spos[sp++] = 0;
			pushed = true;
			break;
		}
		if (!pushed)
			sp--;
	}
	uint32_t nr = k; /* numbered (reachable) nodes */

	/*
	 * step 5: predecessors in preorder numbers, by counting sort; nodes
	 * are walked in node order, so the objects' edges are read in
	 * sequence (and the preorder numbers of their targets prefetched)
	 */
	uint32_t *poff = cprof_heapdump_alloc((size_t)nr + 1, sizeof(uint32_t), true);
	uint64_t total = 0;
	uint32_t *pred = NULL;
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t v = 0; v < n; v++) {
			uint32_t dv = dfn[v];
			if (dv == NONE)
				continue;
			uint32_t cnt, *e = edges_of(g, d, c, v, &cnt);
			for (uint32_t j = 0; j < cnt; j++) {
				uint32_t w = e[j];
				if (j + 8 < cnt && e[j + 8] < n)
					__builtin_prefetch(&dfn[e[j + 8]]);
				if (w == NONE || w == v)
					continue;
				uint32_t dw = dfn[w];
				if (pass == 0) {
					poff[dw]++;
					total++;
					g->nobj_edge += v >= g->first_obj;
				} else {
					pred[poff[dw]++] = dv;
				}
			}
		}
		if (pass == 0) {
			if (total > UINT32_MAX) {
				free(dfn), free(poff), free(t.vertex), free(t.parent), free(t.semi), free(t.label);
				return cprof_error_set(err, CPROF_E_LIMIT, "heap dump: more than 2^32 pointers between objects");
			}
			uint32_t sum = 0;
			for (uint32_t i = 0; i <= nr; i++) {
				uint32_t x = poff[i];
				poff[i] = sum;
				sum += x;
			}
			pred = cprof_heapdump_alloc(total, sizeof(uint32_t), false);
		}
	}
	g->nedge = total;
	for (uint32_t i = nr; i > 0; i--)
		poff[i] = poff[i - 1];
	poff[0] = 0;
	free(dfn);
	if (!keep_pointers) { /* the predecessors are all that is needed now */
		free(d->ptr_node), free(d->obj_ptr);
		d->ptr_node = NULL, d->obj_ptr = NULL;
	}

	/* step 6: Lengauer-Tarjan */
	t.idom = cprof_heapdump_alloc(nr, sizeof(uint32_t), false);
	t.bhead = cprof_heapdump_alloc(nr, sizeof(uint32_t), false);
	t.bnext = cprof_heapdump_alloc(nr, sizeof(uint32_t), false);
	for (uint32_t i = 0; i < nr; i++) {
		t.semi[i] = t.label[i] = i;
		t.bhead[i] = NONE;
	}
	t.idom[0] = 0;
	for (uint32_t w = nr - 1; w >= 1; w--) {
		uint32_t p = t.parent[w];
		/* nodes above w are linked (their parent links are the forest's) */
		for (uint32_t j = poff[w]; j < poff[w + 1]; j++) {
			uint32_t u = eval(&t, pred[j], w + 1);
			if (t.semi[u] < t.semi[w])
				t.semi[w] = t.semi[u];
		}
		t.bnext[w] = t.bhead[t.semi[w]];
		t.bhead[t.semi[w]] = w;
		/* link(p, w): w's parent link is already p */
		for (uint32_t v = t.bhead[p]; v != NONE; v = t.bnext[v]) {
			uint32_t u = eval(&t, v, w);
			t.idom[v] = t.semi[u] < t.semi[v] ? u : p;
		}
		t.bhead[p] = NONE;
	}
	for (uint32_t w = 1; w < nr; w++)
		if (t.idom[w] != t.semi[w])
			t.idom[w] = t.idom[t.idom[w]];
	free(pred), free(poff), free(t.bhead), free(t.bnext), free(t.path);
	free(t.parent);
	/* step 8 (part): the retention tree, while the dominators are preorder numbers */
	tree_reachable(g, tb, t.vertex, t.idom, nr, t.semi);
	free(t.semi);

	/* back to node numbers: idom per node, in label's memory (n entries) */
	uint32_t *idom = t.label;
	memset(idom, 0xff, (size_t)n * sizeof(uint32_t));
	for (uint32_t i = 0; i < nr; i++)
		idom[t.vertex[i]] = t.vertex[t.idom[i]];

	/* step 7: retained sizes */
	g->ret_bytes = cprof_heapdump_alloc(n, sizeof(uint64_t), true);
	g->ret_count = cprof_heapdump_alloc(n, sizeof(uint32_t), true);
	for (uint32_t v = g->first_obj; v < n; v++)
		if (idom[v] != NONE) {
			g->ret_bytes[v] = cprof_heapdump_size(d, v - g->first_obj);
			g->ret_count[v] = 1;
			g->reachable_count++;
			g->reachable_bytes += cprof_heapdump_size(d, v - g->first_obj);
		}
	for (uint32_t i = nr - 1; i >= 1; i--) {
		uint32_t v = t.vertex[i], p = t.vertex[t.idom[i]];
		g->ret_bytes[p] += g->ret_bytes[v];
		g->ret_count[p] += g->ret_count[v];
	}
	free(t.idom);
	g->idom = idom;
	g->unreachable_count = d->nobj - g->reachable_count;
	g->unreachable_bytes = d->obj_bytes - g->reachable_bytes;
	free(t.vertex);
	return 0;
}

/* ---- allocation sites -------------------------------------------------------------- */

static bool is_runtime(const char *f)
{
	return !strncmp(f, "runtime.", 8) || !strncmp(f, "runtime/internal/", 17);
}

static void build_sites(struct builder *b)
{
	struct cprof_heapgraph *g = b->g;
	const struct cprof_heapdump *d = b->d;
	struct map buckets = {0}, sites = {0};
	uint32_t *bucket_site;
	size_t asite = 0;
	bool added;

	if (!d->nsample || !d->nobj)
		return;
	bucket_site = cprof_xmalloc(cprof_st_mult(d->nbucket ? d->nbucket : 1, sizeof(uint32_t)));
	for (size_t i = 0; i < d->nbucket; i++) {
		const struct cprof_heapdump_bucket *k = &d->bucket[i];
		map_intern(&buckets, k->id, (uint32_t)i, &added);
		const char *f = "?";
		for (uint32_t j = 0; j < k->n; j++) {
			const char *fj = d->bucket_frame[k->first + j].func;
			if (j == 0)
				f = fj;
			if (!is_runtime(fj)) {
				f = fj;
				break;
			}
		}
		uint32_t s = map_intern(&sites, (uint64_t)(uintptr_t)f, g->nsite, &added);
		if (added) {
			ALLOC_GROW(g->site, g->nsite + 1, asite);
			g->site[g->nsite++] = (struct cprof_heapsite){f, (uint32_t)i, 0, 0};
		}
		bucket_site[i] = s;
	}
	g->obj_bucket = cprof_xmalloc(cprof_st_mult(d->nobj, sizeof(uint32_t)));
	memset(g->obj_bucket, 0xff, d->nobj * sizeof(uint32_t));
	for (size_t i = 0; i < d->nsample; i++) {
		uint32_t o = lookup_obj(&b->lk, d->sample[i].addr);
		uint32_t k = map_get(&buckets, d->sample[i].bucket);
		if (o == NONE || k == NONE)
			continue;
		if (g->obj_bucket[o] == NONE)
			g->sampled_count++;
		g->obj_bucket[o] = k;
	}
	g->bucket_site = bucket_site;
	map_release(&buckets);
	map_release(&sites);
}

/* ---- step 8: the retention tree ------------------------------------------------------ */

struct namer {
	struct map byptr; /* interned name -> name id */
	size_t aname;     /* g->tree_name's allocation */
	struct {
		uint64_t size;
		uint32_t site, id;
	} cache[4096];
};

static uint32_t name_id(struct cprof_heapgraph *g, struct namer *nm, const char *name)
{
	bool added;
	uint32_t id = map_intern(&nm->byptr, (uint64_t)(uintptr_t)name, g->ntree_name, &added);
	if (added) {
		ALLOC_GROW(g->tree_name, g->ntree_name + 1, nm->aname);
		g->tree_name[g->ntree_name++] = name;
	}
	return id;
}

void cprof_heapdump_size_name(uint64_t size, struct strbuf *out)
{
	if (size && size % (1u << 20) == 0)
		strbuf_addf(out, "%llu MiB", (unsigned long long)(size >> 20));
	else if (size && size % 1024 == 0)
		strbuf_addf(out, "%llu KiB", (unsigned long long)(size >> 10));
	else
		strbuf_addf(out, "%llu B", (unsigned long long)size);
}

static uint32_t object_name(struct cprof_heapgraph *g, struct namer *nm, uint32_t o)
{
	uint64_t size = cprof_heapdump_size(g->dump, o);
	uint32_t site = g->site_names ? cprof_heapgraph_obj_site(g, o) : NONE;
	size_t h = (size_t)(hash64(size ^ ((uint64_t)site << 40)) & 4095);
	if (nm->cache[h].id != NONE && nm->cache[h].size == size && nm->cache[h].site == site)
		return nm->cache[h].id;
	struct strbuf sb = STRBUF_INIT;
	if (site != NONE)
		strbuf_addf(&sb, "%s ", g->site[site].func);
	strbuf_addch(&sb, '[');
	cprof_heapdump_size_name(size, &sb);
	strbuf_addch(&sb, ']');
	uint32_t id = name_id(g, nm, cprof_strtab_intern(&g->strs, sb.buf, sb.len));
	strbuf_release(&sb);
	nm->cache[h].size = size, nm->cache[h].site = site, nm->cache[h].id = id;
	return id;
}

static const char *const kind_names[CPROF_HK__COUNT] = {
	"globals", "stacks", "other roots", "queued finalizers", "finalizers",
};

const char *cprof_heaproot_kind_name(enum cprof_heaproot_kind k)
{
	return (unsigned)k < CPROF_HK__COUNT ? kind_names[k] : "?";
}

static uint32_t node_name(struct cprof_heapgraph *g, struct namer *nm, uint32_t v)
{
	if (v >= g->first_obj)
		return object_name(g, nm, v - g->first_obj);
	if (v >= g->first_root)
		return name_id(g, nm, g->root[v - g->first_root].name);
	char buf[32];
	int len = v == 0 ? 0 : snprintf(buf, sizeof(buf), "[%s]", kind_names[v - 1]);
	return name_id(g, nm, cprof_strtab_intern(&g->strs, buf, len > 0 ? (size_t)len : 0));
}

/*
 * The tree's children, by (parent, name): a map, with a direct-mapped
 * cache in front (siblings of one name are looked up again and again).
 */
struct kids {
	struct map map;
	struct {
		uint64_t key;
		uint32_t child;
	} cache[1 << 14];
};

static uint32_t tree_child(struct cprof_heapgraph *g, struct kids *kids, uint32_t parent, uint32_t name,
			   size_t *atree)
{
	bool added;
	uint64_t key = (uint64_t)parent << 32 | name;
	size_t h = (size_t)(hash64(key) & (CPROF_ARRAY_SIZE(kids->cache) - 1));
	if (kids->cache[h].child != NONE && kids->cache[h].key == key)
		return kids->cache[h].child;
	uint32_t c = map_intern(&kids->map, key, g->ntree, &added);
	kids->cache[h].key = key;
	kids->cache[h].child = c;
	if (added) {
		ALLOC_GROW(g->tree, g->ntree + 1, *atree);
		g->tree[g->ntree] = (struct cprof_heaptree_node){parent, name, g->tree[parent].depth + 1, NONE, NONE, false,
								  0, 0, 0, 0};
		g->ntree++;
	}
	return c;
}

struct treebuild {
	struct namer *nm;
	struct kids *kids;
	size_t atree;
};

static void tree_release(struct treebuild *tb)
{
	if (tb->nm)
		map_release(&tb->nm->byptr);
	if (tb->kids)
		map_release(&tb->kids->map);
	free(tb->nm);
	free(tb->kids);
	tb->nm = NULL, tb->kids = NULL;
}

static void tree_start(struct cprof_heapgraph *g, struct treebuild *tb)
{
	tb->nm = cprof_xmalloc(sizeof(*tb->nm));
	tb->kids = cprof_xmalloc(sizeof(*tb->kids));
	tb->atree = 0;
	memset(&tb->nm->byptr, 0, sizeof(tb->nm->byptr));
	tb->nm->aname = 0;
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(tb->nm->cache); i++)
		tb->nm->cache[i].id = NONE;
	memset(&tb->kids->map, 0, sizeof(tb->kids->map));
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(tb->kids->cache); i++)
		tb->kids->cache[i].child = NONE;
	ALLOC_GROW(g->tree, 1, tb->atree);
	g->tree[0] = (struct cprof_heaptree_node){NONE, node_name(g, tb->nm, 0), 0, NONE, NONE, false, 0, 0, 0, 0};
	g->ntree = 1;
}

/*
 * Where an object named name under tree node pt folds back, or NONE: the
 * node u among the last CPROF_HEAPTREE_FOLD objects above that has its
 * name, when the names from u down to pt repeat the ones just above u (a
 * period seen twice: A B A B, then A again folds into the second A). A
 * single A B A is not folded: objects of one size but of unrelated types
 * (a map header, its buckets, the 48-byte values in them) would be.
 */
static uint32_t fold(const struct cprof_heapgraph *g, uint32_t pt, uint32_t name)
{
	uint32_t a[2 * CPROF_HEAPTREE_FOLD], n = 0;
	for (uint32_t u = pt; u != NONE && g->tree[u].object && n < CPROF_ARRAY_SIZE(a); u = g->tree[u].parent)
		a[n++] = u;
	for (uint32_t p = 2; p <= CPROF_HEAPTREE_FOLD && 2 * p <= n; p++) {
		if (g->tree[a[p - 1]].name != name)
			continue;
		uint32_t k = 0;
		while (k < p && g->tree[a[k]].name == g->tree[a[k + p]].name)
			k++;
		if (k == p)
			return a[p - 1];
	}
	return NONE;
}

/*
 * The reachable nodes, in preorder (vertex[k]) with their immediate
 * dominators as preorder numbers (idom[k] < k): each node's tree node
 * comes from its dominator's, so one pass in preorder does. tn (nr
 * entries) is scratch.
 */
static void tree_reachable(struct cprof_heapgraph *g, struct treebuild *tb, const uint32_t *vertex,
			   const uint32_t *idom, uint32_t nr, uint32_t *tn)
{
	const struct cprof_heapdump *d = g->dump;
	tn[0] = 0;
	for (uint32_t k = 1; k < nr; k++) {
		uint32_t v = vertex[k], pt = tn[idom[k]];
		uint32_t name = node_name(g, tb->nm, v);
		uint32_t t = NONE;
		if (v >= g->first_obj && g->tree[pt].name == name)
			t = pt; /* a list: one node */
		else if (v >= g->first_obj)
			t = fold(g, pt, name);
		if (t == NONE)
			t = g->tree[pt].depth >= CPROF_HEAPTREE_MAX_DEPTH ? pt : tree_child(g, tb->kids, pt, name, &tb->atree);
		g->tree[t].object = v >= g->first_obj;
		tn[k] = t;
		if (v >= g->first_obj) {
			g->tree[t].self_bytes += cprof_heapdump_size(d, v - g->first_obj);
			g->tree[t].self_count++;
		}
	}
}

/* The unreachable objects under "[unreachable]", then the totals and child lists. */
static void tree_finish(struct cprof_heapgraph *g, struct treebuild *tb)
{
	const struct cprof_heapdump *d = g->dump;
	g->unreachable_tree = NONE;
	if (g->unreachable_count) {
		const char *u = cprof_strtab_intern(&g->strs, "[unreachable]", 13);
		g->unreachable_tree = tree_child(g, tb->kids, 0, name_id(g, tb->nm, u), &tb->atree);
		for (uint32_t o = 0; o < d->nobj; o++) {
			if (g->idom[g->first_obj + o] != NONE)
				continue;
			uint32_t t = tree_child(g, tb->kids, g->unreachable_tree, object_name(g, tb->nm, o), &tb->atree);
			g->tree[t].object = true;
			g->tree[t].self_bytes += cprof_heapdump_size(d, o);
			g->tree[t].self_count++;
		}
	}
	for (uint32_t t = 0; t < g->ntree; t++) {
		g->tree[t].bytes = g->tree[t].self_bytes;
		g->tree[t].count = g->tree[t].self_count;
	}
	for (uint32_t t = g->ntree - 1; t >= 1; t--) {
		struct cprof_heaptree_node *x = &g->tree[t], *p = &g->tree[x->parent];
		p->bytes += x->bytes;
		p->count += x->count;
		x->next_sibling = p->first_child;
		p->first_child = t;
	}
	tree_release(tb);
}

/* ---- selecting the big nodes ------------------------------------------------------- */

/* Tree children sorted by retained bytes (then name). */
static const struct cprof_heapgraph *sort_tree_g;

static int cmp_tree(const void *a, const void *b)
{
	const struct cprof_heaptree_node *x = &sort_tree_g->tree[*(const uint32_t *)a], *y = &sort_tree_g->tree[*(const uint32_t *)b];
	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	return strcmp(sort_tree_g->tree_name[x->name], sort_tree_g->tree_name[y->name]);
}

size_t cprof_heaptree_select(const struct cprof_heapgraph *g, uint64_t min, size_t max, uint32_t **out)
{
	uint32_t *res = cprof_xmalloc(cprof_st_mult(max ? max : 1, sizeof(uint32_t)));
	uint32_t *stack = NULL, *kids = NULL;
	size_t n = 0, sp = 0, astack = 0, akids = 0;
	ALLOC_GROW(stack, 1, astack);
	stack[sp++] = 0;
	while (sp && n < max) {
		uint32_t t = stack[--sp];
		res[n++] = t;
		size_t nk = 0;
		for (uint32_t c = g->tree[t].first_child; c != NONE; c = g->tree[c].next_sibling)
			if (g->tree[c].bytes >= min && g->tree[c].bytes) {
				ALLOC_GROW(kids, nk + 1, akids);
				kids[nk++] = c;
			}
		sort_tree_g = g;
		if (nk)
			qsort(kids, nk, sizeof(*kids), cmp_tree);
		ALLOC_GROW(stack, sp + nk, astack);
		for (size_t i = nk; i > 0; i--)
			stack[sp++] = kids[i - 1];
	}
	free(stack);
	free(kids);
	*out = res;
	return n;
}

/* ---- putting it together --------------------------------------------------------------- */

static enum cprof_heaproot_kind root_kind(enum cprof_heapnode_kind k)
{
	switch (k) {
	case CPROF_HN_GLOBAL:
		return CPROF_HK_GLOBALS;
	case CPROF_HN_STACK:
		return CPROF_HK_STACKS;
	case CPROF_HN_QUEUED:
		return CPROF_HK_QUEUED;
	case CPROF_HN_FINALIZER:
		return CPROF_HK_FINALIZERS;
	default:
		return CPROF_HK_OTHER;
	}
}

/* Pointer values into node numbers, in the same buffer (4-byte numbers over 8-byte values). */
static void resolve_pointers(struct builder *b)
{
	struct cprof_heapdump *d = b->d;
	unsigned char *buf = (unsigned char *)d->ptr_val;
	uint32_t first = b->g->first_obj;
	for (size_t i = 0; i < d->nptr; i++) {
		uint64_t v;
		memcpy(&v, buf + 8 * i, 8); /* read before the write below can reach it (4i < 8i) */
		uint32_t o = lookup_obj(&b->lk, v);
		uint32_t node = o == NONE ? NONE : first + o;
		memcpy(buf + 4 * i, &node, 4);
	}
	d->ptr_val = NULL;
	d->aptr = 0;
	d->ptr_node = cprof_xrealloc(buf, cprof_st_mult(d->nptr ? d->nptr : 1, sizeof(uint32_t)));
}

/* The super-root's, kinds' and roots' edges. */
static void build_csr(struct builder *b, struct csr *c)
{
	struct cprof_heapgraph *g = b->g;
	uint32_t nsmall = g->first_obj;
	size_t total = CPROF_HK__COUNT + g->nroot + b->re.n;
	c->off = cprof_xcalloc((size_t)nsmall + 1, sizeof(uint64_t));
	c->to = cprof_xmalloc(cprof_st_mult(total, sizeof(uint32_t)));
	c->off[1] = CPROF_HK__COUNT;
	for (uint32_t r = 0; r < g->nroot; r++)
		c->off[1 + 1 + root_kind(g->root[r].kind)]++;
	for (size_t e = 0; e < b->re.n; e++)
		c->off[g->first_root + b->re.from[e] + 1]++;
	for (uint32_t v = 0; v < nsmall; v++)
		c->off[v + 1] += c->off[v];
	uint64_t *pos = cprof_xmalloc(cprof_st_mult(nsmall ? nsmall : 1, sizeof(uint64_t)));
	memcpy(pos, c->off, nsmall * sizeof(uint64_t));
	for (uint32_t k = 0; k < CPROF_HK__COUNT; k++)
		c->to[pos[0]++] = 1 + k;
	for (uint32_t r = 0; r < g->nroot; r++)
		c->to[pos[1 + root_kind(g->root[r].kind)]++] = g->first_root + r;
	for (size_t e = 0; e < b->re.n; e++) {
		uint32_t to = b->re.to[e];
		c->to[pos[g->first_root + b->re.from[e]]++] = (g->first_obj + (to & ~WEAK)) | (to & WEAK);
	}
	free(pos);
}

int cprof_heapgraph_build(struct cprof_heapdump *d, const struct cprof_heapgraph_opts *o,
			  struct cprof_heapgraph **out, struct cprof_error *err)
{
	static const struct cprof_heapgraph_opts none = {NULL, -1, false};
	struct builder b = {0};
	struct csr c = {0};
	struct treebuild tb = {0};
	struct cprof_heapgraph *g = cprof_xcalloc(1, sizeof(*g));

	*out = NULL;
	if (!o)
		o = &none;
	g->dump = d;
	cprof_arena_init(&g->arena);
	cprof_strtab_init(&g->strs, &g->arena);
	b.g = g, b.d = d, b.o = o;
	if (d->nobj > MAX_NODES / 2) {
		cprof_error_set(err, CPROF_E_LIMIT, "heap dump: %zu objects, more than this build handles", d->nobj);
		goto fail;
	}
	if (!d->ptr_val && d->nptr) {
		cprof_error_set(err, CPROF_E_USAGE, "heap dump: graph built twice");
		goto fail;
	}
	uint32_t *perm = sort_objects(d, err);
	if (!perm)
		goto fail;
	lookup_init(&b.lk, d, perm);
	build_roots(&b);
	g->first_root = 1 + CPROF_HK__COUNT;
	g->first_obj = g->first_root + g->nroot;
	if ((uint64_t)g->first_obj + d->nobj > MAX_NODES) {
		cprof_error_set(err, CPROF_E_LIMIT, "heap dump: too many objects and roots");
		goto fail;
	}
	g->nnode = g->first_obj + (uint32_t)d->nobj;
	resolve_pointers(&b);
	build_sites(&b);
	g->site_names = o->site_names < 0 ? g->sampled_count && g->sampled_count * 2 >= d->nobj : o->site_names > 0;
	if (o->keep_pointers) { /* cprof_heapgraph_find() needs the order */
		g->obj_by_addr = b.lk.perm;
		b.lk.perm = NULL;
	}
	lookup_release(&b.lk);
	build_csr(&b, &c);
	free(b.re.from), free(b.re.to), free(b.last_goroutine);
	b.re.from = b.re.to = b.last_goroutine = NULL;
	for (size_t k = 0; k < CPROF_ARRAY_SIZE(b.roots); k++)
		map_release(&b.roots[k]);
	tree_start(g, &tb);
	if (dominators(g, d, &c, o->keep_pointers, &tb, err) < 0)
		goto fail;
	free(c.off), free(c.to);
	c.off = NULL, c.to = NULL;
	for (uint32_t s = 0; s < g->nsite; s++)
		g->site[s].count = g->site[s].bytes = 0;
	if (g->obj_bucket)
		for (uint32_t i = 0; i < d->nobj; i++) {
			uint32_t s = cprof_heapgraph_obj_site(g, i);
			if (s == NONE)
				continue;
			g->site[s].count++;
			g->site[s].bytes += cprof_heapdump_size(d, i);
		}
	tree_finish(g, &tb);
	*out = g;
	return 0;
fail:
	lookup_release(&b.lk);
	free(b.re.from), free(b.re.to), free(b.last_goroutine);
	for (size_t k = 0; k < CPROF_ARRAY_SIZE(b.roots); k++)
		map_release(&b.roots[k]);
	free(c.off), free(c.to);
	tree_release(&tb);
	cprof_heapgraph_free(g);
	return -1;
}

void cprof_heapgraph_free(struct cprof_heapgraph *g)
{
	if (!g)
		return;
	free(g->root);
	free(g->idom);
	free(g->ret_bytes);
	free(g->ret_count);
	free(g->obj_bucket);
	free(g->bucket_site);
	free(g->obj_by_addr);
	free(g->site);
	free(g->tree);
	free(g->tree_name);
	cprof_strtab_release(&g->strs);
	cprof_arena_release(&g->arena);
	free(g);
}

void cprof_heapgraph_node_name(const struct cprof_heapgraph *g, uint32_t n, struct strbuf *out)
{
	if (n == 0) {
		strbuf_addstr(out, "[heap]");
	} else if (n < g->first_root) {
		strbuf_addf(out, "[%s]", kind_names[n - 1]);
	} else if (n < g->first_obj) {
		strbuf_addstr(out, g->root[n - g->first_root].name);
	} else if (n < g->nnode) {
		uint32_t o = n - g->first_obj;
		uint32_t s = cprof_heapgraph_obj_site(g, o);
		if (s != NONE)
			strbuf_addf(out, "%s ", g->site[s].func);
		strbuf_addch(out, '[');
		cprof_heapdump_size_name(cprof_heapdump_size(g->dump, o), out);
		strbuf_addf(out, "] 0x%llx", (unsigned long long)g->dump->obj_addr[o]);
	}
}
