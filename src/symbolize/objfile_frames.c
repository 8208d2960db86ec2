/*
 * objfile_frames.c - the frames at an object address: the recipe's
 * steps 3 to 5 joined (objfile.c). The unit and segment of the address
 * (objfile_dwarf.c) give the inline chain, innermost first; the line
 * table (objfile_lines.c) gives the innermost frame's file and line, each
 * inlined subroutine's call site its caller's; names come from the DIEs
 * (linkage name, else DW_AT_name, through abstract_origin and
 * specification), and the outermost frame takes the ELF symbol's
 * (objfile_symtab.c). Answers are cached per address.
 *
 * Its own file because this is where the steps meet and the answer is
 * shaped as llvm-symbolizer prints it, and because names and call sites
 * are read on first use, by either thread (see struct fctx).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <dwarf.h>
#include <elfutils/libdw.h>

#include "src/symbolize/objfile_internal.h"

/* The indexed sub at DIE offset off, walked by walk_raw, or NULL. */
static const struct sub *find_sub(const struct elfobj *o, Dwarf_Off off)
{
	size_t hint = SIZE_MAX; /* none: a plain binary search */
	size_t i = o->ncus ? upper_bound_near(&o->cus[0].off, sizeof(*o->cus), o->ncus, off, &hint) : 0;
	if (i == 0)
		return NULL;
	const struct cu *c = &o->cus[i - 1];
	if (!c->indexed || off >= c->raw_end || !c->nsubs)
		return NULL;
	hint = SIZE_MAX;
	i = upper_bound_near(&c->subs[0].off, sizeof(*c->subs), c->nsubs, off, &hint);
	if (i == 0 || c->subs[i - 1].off != off)
		return NULL;
	return &c->subs[i - 1];
}

/*
 * of_die_name from what walk_raw read, following DW_AT_abstract_origin or
 * DW_AT_specification for each name attribute in turn as libdw's
 * dwarf_attr_integrate does (17 DIEs at most); NULL where that needs libdw.
 */
static const char *raw_die_name(const struct elfobj *o, const struct cu *c, const struct sub *s)
{
	for (int k = c->go ? 2 : 0; k < 3; k++) {
		const struct sub *d = s;
		for (int chain = 16;; chain--) {
			if (!d->raw)
				return NULL;
			if (d->nm[k])
				return d->nm[k];
			if (!d->origin || chain == 0)
				break;
			d = find_sub(o, d->origin);
			if (!d)
				return NULL;
		}
	}
	return "";
}

/* Whether of_go_name() writes name differently. */
static bool go_name_changes(const char *name)
{
	size_t n = strlen(name);
	if (n > 5 && !strcmp(name + n - 5, ".abi0"))
		return true;
	return memchr(name, '[', n) != NULL;
}

const char *of_die_name(struct cprof_objtool *t, struct elfobj *o, const struct cu *c, struct sub *s,
			pthread_mutex_t *mu)
{
	const char *known = __atomic_load_n(&s->name, __ATOMIC_ACQUIRE);
	if (known)
		return known;
	/* a name from the section itself, where it needs no copy (equal names, equal DIEs mostly) */
	const char *raw = raw_die_name(o, c, s);
	if (raw && !(o->is_go && *raw && go_name_changes(raw))) {
		__atomic_store_n(&s->name, raw, __ATOMIC_RELEASE);
		return raw;
	}
	if (mu) {
		pthread_mutex_lock(mu);
		known = of_die_name(t, o, c, s, NULL);
		pthread_mutex_unlock(mu);
		return known;
	}
	const char *name = raw;
	Dwarf_Die die;
	if (!raw && dwarf_offdie(o->dw, s->off, &die)) {
		static const int attrs[] = {DW_AT_MIPS_linkage_name, DW_AT_linkage_name, DW_AT_name};
		for (size_t i = c->go ? 2 : 0; i < CPROF_ARRAY_SIZE(attrs) && !name; i++) {
			Dwarf_Attribute a;
			if (dwarf_attr_integrate(&die, attrs[i], &a))
				name = dwarf_formstring(&a);
		}
	}
	known = !name ? "" : o->is_go ? of_go_name(t, name) : of_intern(t, name);
	__atomic_store_n(&s->name, known, __ATOMIC_RELEASE);
	return known;
}

struct fbuf {
	struct cprof_frame *v;
	size_t n, a;
};

static void fbuf_add(struct fbuf *b, const char *func, const char *file, int64_t line, int64_t col)
{
	ALLOC_GROW(b->v, b->n + 1, b->a);
	b->v[b->n++] = (struct cprof_frame){func, file, line, col};
}

/* An inlined subroutine's call site, read once. */
void of_sub_call_site(struct elfobj *o, struct sub *s, pthread_mutex_t *mu)
{
	if (!s->inlined || __atomic_load_n(&s->call_read, __ATOMIC_ACQUIRE))
		return;
	if (mu) {
		pthread_mutex_lock(mu);
		of_sub_call_site(o, s, NULL);
		pthread_mutex_unlock(mu);
		return;
	}
	Dwarf_Die die;
	Dwarf_Attribute a;
	Dwarf_Word v;
	if (dwarf_offdie(o->dw, s->off, &die)) {
		if (dwarf_attr(&die, DW_AT_call_file, &a) && !dwarf_formudata(&a, &v))
			s->call_file = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
		if (dwarf_attr(&die, DW_AT_call_line, &a) && !dwarf_formudata(&a, &v))
			s->call_line = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
		if (dwarf_attr(&die, DW_AT_call_column, &a) && !dwarf_formudata(&a, &v))
			s->call_col = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
	}
	__atomic_store_n(&s->call_read, true, __ATOMIC_RELEASE);
}

/* What llvm-symbolizer prints for addr, as frames (name NULL = "??", file NULL = "??"). */
static void dwarf_frames(struct cprof_objtool *t, struct elfobj *o, uint64_t addr, struct fbuf *b, struct fctx *x)
{
	of_load_dwarf(t, o);
	if (!o->dw)
		return;
	struct cu *c = of_cu_for_addr(o, addr);
	if (!c)
		return;
	if (!c->indexed)
		of_index_cu(o, c);
	of_read_lines(t, o, c);
	const struct seg *sg = of_seg_for_addr(c, addr, &x->seg_hint);
	const struct lrow *l = c->nlines ? of_line_for_addr(c, addr, &x->line_hint) : NULL;
	const char *lfile = NULL;
	int64_t lline = 0, lcol = 0;
	if (l) {
		lfile = l->file == UINT32_MAX ? NULL : of_cu_file(c, l->file);
		lline = l->line;
		lcol = l->col;
	}
	if (!sg) {
		if (l)
			fbuf_add(b, NULL, lfile, lline, lcol);
		return;
	}
	uint64_t call_file = 0, call_line = 0, call_col = 0;
	bool first = true;
	for (uint32_t si = sg->sub; si != CPROF_NONE; si = c->subs[si].parent) {
		struct sub *s = &c->subs[si];
		const char *name = of_die_name(t, o, c, s, x->mu);
		if (first) {
			fbuf_add(b, *name ? name : NULL, lfile, lfile ? lline : 0, lfile ? lcol : 0);
			first = false;
		} else {
			const char *f = of_cu_file(c, (size_t)call_file);
			fbuf_add(b, *name ? name : NULL, f, (int64_t)call_line, (int64_t)call_col);
		}
		of_sub_call_site(o, s, x->mu);
		call_file = s->call_file;
		call_line = s->call_line;
		call_col = s->call_col;
	}
}

/* Fibonacci hashing: the product's high bits depend on every bit of the key. */
static size_t cache_hash(uint64_t key, size_t size)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 32) & (size - 1);
}

static struct cache_ent *cache_slot(struct elfobj *o, uint64_t addr)
{
	if (o->ncache * 2 >= o->acache) {
		size_t na = o->acache ? o->acache * 2 : 1024;
		struct cache_ent *nv = cprof_xcalloc(na, sizeof(*nv));
		for (size_t i = 0; i < o->acache; i++) {
			if (!o->cache[i].used)
				continue;
			size_t h = cache_hash(o->cache[i].addr, na);
			while (nv[h].used)
				h = (h + 1) & (na - 1);
			nv[h] = o->cache[i];
		}
		free(o->cache);
		o->cache = nv;
		o->acache = na;
	}
	size_t h = cache_hash(addr, o->acache);
	while (o->cache[h].used && o->cache[h].addr != addr)
		h = (h + 1) & (o->acache - 1);
	return &o->cache[h];
}

/* The frames at objaddr, computed (into x's arena). */
void of_compute_frames(struct cprof_objfile *f, uint64_t objaddr, bool fast, struct cprof_frame **frames,
		       size_t *n, struct fctx *x)
{
	struct elfobj *o = f->o;
	struct cprof_objtool *t = f->t;
	struct fbuf b = {x->scratch, 0, x->ascratch};
	of_load_symbols(t, o);
	if (fast) {
		const struct esym *s = of_nm_lookup(o, objaddr);
		if (s)
			fbuf_add(&b, s->name, "", 0, 0);
	} else {
		dwarf_frames(t, o, objaddr, &b, x);
		const struct esym *s = of_symtab_lookup(o, objaddr, &x->lsym_hint);
		if (s) {
			if (b.n == 0)
				fbuf_add(&b, NULL, NULL, 0, 0);
			struct cprof_frame *last = &b.v[b.n - 1];
			last->func = s->name;
			if (!last->file) {
				const char *fn = of_symtab_file(o, s);
				if (fn)
					last->file = fn;
			}
		}
		/* pprof reads "??" as empty and drops frames with nothing in them */
		size_t k = 0;
		for (size_t i = 0; i < b.n; i++) {
			struct cprof_frame fr = b.v[i];
			if (!fr.func)
				fr.func = "";
			if (!fr.file) {
				fr.file = "";
				if (fr.line == 0)
					fr.column = 0;
				else
					fr.file = "??";
			}
			if (!*fr.func && !*fr.file && fr.line == 0)
				continue;
			b.v[k++] = fr;
		}
		b.n = k;
	}
	*n = b.n;
	*frames = b.n ? cprof_arena_memdup(x->arena, b.v, b.n, sizeof(*b.v)) : NULL;
	x->scratch = b.v;
	x->ascratch = b.a;
}

int cprof_objfile_frames_obj(struct cprof_objfile *f, uint64_t objaddr, bool fast,
			     const struct cprof_frame **frames, size_t *n)
{
	of_prefetch_finish(f->t);
	struct elfobj *o = f->o;
	uint64_t key = objaddr * 2 + (fast ? 1 : 0);
	struct cache_ent *e = cache_slot(o, key);
	if (!e->used) {
		struct cprof_frame *v;
		size_t nv;
		of_compute_frames(f, objaddr, fast, &v, &nv, &f->t->fc);
		e = cache_slot(o, key); /* computing does not touch the cache, but stay safe */
		e->addr = key;
		e->used = 1;
		e->n = (uint32_t)nv;
		e->frames = v;
		o->ncache++;
	}
	*frames = e->frames;
	*n = e->n;
	return 0;
}

int cprof_objfile_frames_once(struct cprof_objfile *f, uint64_t addr, bool fast,
			      const struct cprof_frame **frames, size_t *n, struct cprof_error *err)
{
	uint64_t oa;
	struct cprof_frame *v;
	struct elfobj *o = f->o;
	of_prefetch_finish(f->t);
	*frames = NULL;
	*n = 0;
	if (cprof_objfile_obj_addr(f, addr, &oa, err))
		return -1;
	if (!fast && o->npre) {
		size_t i = upper_bound_near(o->pre_addr, sizeof(*o->pre_addr), o->npre, oa, &o->pre_hint);
		if (i && o->pre_addr[i - 1] == oa && o->pre_n[i - 1] != PRE_NONE) {
			*frames = o->pre_fr[i - 1];
			*n = o->pre_n[i - 1];
			return 0;
		}
	}
	of_compute_frames(f, oa, fast, &v, n, &f->t->fc);
	*frames = v;
	return 0;
}

int cprof_objfile_frames(struct cprof_objfile *f, uint64_t addr, bool fast,
			 const struct cprof_frame **frames, size_t *n, struct cprof_error *err)
{
	uint64_t oa;
	*frames = NULL;
	*n = 0;
	if (cprof_objfile_obj_addr(f, addr, &oa, err))
		return -1;
	return cprof_objfile_frames_obj(f, oa, fast, frames, n);
}
