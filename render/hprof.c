/*
 * hprof.c - `cprof heapdump -hprof=FILE`: a Go heap dump as a Java HPROF
 * file ("JAVA PROFILE 1.0.2"), for Eclipse MAT and VisualVM, which then
 * browse the object graph: dominators, paths to roots, references both
 * ways, an object's bytes.
 *
 *   file    = "JAVA PROFILE 1.0.2\0" u4:id-size(8) u8:time(ms) { record }
 *   record  = u1:tag u4:time u4:length body          (all big endian)
 *     0x01 UTF8            id, bytes
 *     0x02 LOAD CLASS      u4:serial, id:class, u4:trace, id:name
 *     0x04 STACK FRAME     id, id:method, id:signature, id:file, u4:class serial, i4:line
 *     0x05 STACK TRACE     u4:serial, u4:thread, u4:n, id{n}
 *     0x1c HEAP DUMP SEGMENT, sub-records:
 *       0xff ROOT UNKNOWN id | 0x03 ROOT JAVA FRAME id u4:thread u4:frame
 *       0x05 ROOT STICKY CLASS id | 0x08 ROOT THREAD OBJECT id u4:thread u4:trace
 *       0x20 CLASS DUMP id u4 id:super id id id id id u4:size u2:0 u2:statics {id u1:type value}
 *                       u2:fields {id u1:type}
 *       0x21 INSTANCE DUMP id u4:trace id:class u4:n bytes{n}
 *       0x22 OBJECT ARRAY DUMP id u4:trace u4:n id:class id{n}
 *       0x23 PRIMITIVE ARRAY DUMP id u4:trace u4:n u1:type bytes
 *     0x2c HEAP DUMP END
 *
 * What the Go dump carries, and so what the file says: objects have an
 * address (their id), a size and pointer fields, no type. An object
 * without pointers is a byte[] with its bytes (strings and buffers can
 * be read); one with pointers and at most 64 words is an instance of a
 * class per name and layout ("main.newNode [64 B]", "[48 B] #2"), its
 * fields p<offset> (references) and w<offset> (the other words, longs);
 * a bigger one is an Object[] of its pointers. Globals are the static
 * fields of a class "go.globals" (a sticky class: a root), named after
 * the binary's symbols; each goroutine is a thread (java.lang.Thread)
 * whose stack trace is its frames and whose frames' pointers are Java
 * frame roots; queued finalizers, the objects only registered finalizers
 * keep, other roots and panic arguments are unknown roots. Synthetic ids
 * are odd, so never an object's (aligned) address.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/heapdump.h"

#define NONE CPROF_NONE
#define MAX_WORDS 64
#define SEGMENT_BYTES (64u << 20)
#define HEADER 16 /* bytes */

enum { T_UTF8 = 0x01, T_LOAD_CLASS = 0x02, T_FRAME = 0x04, T_TRACE = 0x05, T_SEGMENT = 0x1c, T_END = 0x2c };
enum {
	R_UNKNOWN = 0xff,
	R_JAVA_FRAME = 0x03,
	R_STICKY = 0x05,
	R_THREAD = 0x08,
	D_CLASS = 0x20,
	D_INSTANCE = 0x21,
	D_OBJARRAY = 0x22,
	D_PRIMARRAY = 0x23,
};
enum { TY_OBJECT = 2, TY_BYTE = 8, TY_INT = 10, TY_LONG = 11 };

struct cls {
	uint64_t id, name, size;
	uint32_t serial, nwords, site;
	uint64_t mask; /* pointer words */
};

struct hp {
	const struct cprof_heapgraph *g;
	const struct cprof_heapdump *d;
	const struct cprof_hprof_opts *o;
	struct strbuf rec, seg;
	uint64_t next_id;
	uint32_t next_serial;
	int rc;
	/* interned names -> UTF8 ids */
	struct cprof_arena arena;
	struct cprof_strtab strs;
	const char **sname;
	uint64_t *sid;
	uint32_t *svariants; /* object classes of that name so far */
	size_t ssize, scount;
	/* object classes by (name, layout) */
	struct cls *cls;
	size_t ncls, acls;
	uint64_t *ckey;
	uint32_t *cval;
	size_t csize, ccount;
	uint64_t c_object, c_objarray, c_thread, c_globals, c_func;
	uint32_t func_serial;
};

static void u1(struct strbuf *b, unsigned v)
{
	strbuf_addch(b, (int)(v & 0xff));
}

static void u2(struct strbuf *b, unsigned v)
{
	u1(b, v >> 8), u1(b, v);
}

static void u4(struct strbuf *b, uint32_t v)
{
	unsigned char x[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
			      (unsigned char)v};
	strbuf_add(b, x, 4);
}

static void u8(struct strbuf *b, uint64_t v)
{
	u4(b, (uint32_t)(v >> 32)), u4(b, (uint32_t)v);
}

static void emit(struct hp *h, const void *p, size_t n)
{
	if (!h->rc && n && h->o->write(h->o->ctx, p, n) < 0)
		h->rc = -1;
}

/* A top-level record of h->rec's bytes. */
static void record(struct hp *h, unsigned tag)
{
	unsigned char head[9] = {(unsigned char)tag, 0, 0, 0, 0};
	uint32_t n = (uint32_t)h->rec.len;
	head[5] = (unsigned char)(n >> 24), head[6] = (unsigned char)(n >> 16), head[7] = (unsigned char)(n >> 8),
	head[8] = (unsigned char)n;
	emit(h, head, 9);
	emit(h, h->rec.buf, h->rec.len);
	strbuf_reset(&h->rec);
}

/* The heap dump segment so far, as a record, once it is big (or at the end). */
static void segment_flush(struct hp *h, bool force)
{
	if (!h->seg.len || (!force && h->seg.len < SEGMENT_BYTES))
		return;
	struct strbuf t = h->rec;
	h->rec = h->seg;
	record(h, T_SEGMENT);
	h->seg = h->rec;
	h->rec = t;
}

static uint64_t hash64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

static uint64_t new_id(struct hp *h)
{
	uint64_t id = h->next_id;
	h->next_id += 2;
	return id;
}

/*
 * The slot of s in the name table (interned here), its UTF8 record
 * written on first use. A slot is good until the next call.
 */
static size_t str_slot(struct hp *h, const char *s)
{
	s = cprof_strtab_intern(&h->strs, s, strlen(s));
	if ((h->scount + 1) * 2 > h->ssize) {
		size_t n = h->ssize ? h->ssize * 2 : 1024;
		const char **name = cprof_xcalloc(n, sizeof(*name));
		uint64_t *id = cprof_xcalloc(n, sizeof(*id));
		uint32_t *var = cprof_xcalloc(n, sizeof(*var));
		for (size_t i = 0; i < h->ssize; i++)
			if (h->sname[i]) {
				size_t j = hash64((uintptr_t)h->sname[i]) & (n - 1);
				while (name[j])
					j = (j + 1) & (n - 1);
				name[j] = h->sname[i], id[j] = h->sid[i], var[j] = h->svariants[i];
			}
		free(h->sname), free(h->sid), free(h->svariants);
		h->sname = name, h->sid = id, h->svariants = var, h->ssize = n;
	}
	size_t j = hash64((uintptr_t)s) & (h->ssize - 1);
	while (h->sname[j] && h->sname[j] != s)
		j = (j + 1) & (h->ssize - 1);
	if (h->sname[j])
		return j;
	h->sname[j] = s;
	h->sid[j] = new_id(h);
	h->scount++;
	struct strbuf t = h->rec; /* a record may be half built: the UTF8 goes out first */
	h->rec = (struct strbuf)STRBUF_INIT;
	u8(&h->rec, h->sid[j]);
	strbuf_addstr(&h->rec, s);
	record(h, T_UTF8);
	strbuf_release(&h->rec);
	h->rec = t;
	return j;
}

static uint64_t str_id(struct hp *h, const char *s)
{
	size_t j = str_slot(h, s); /* first: it may move h->sid */
	return h->sid[j];
}

static void load_class(struct hp *h, uint64_t id, uint32_t serial, const char *name)
{
	uint64_t n = str_id(h, name);
	u4(&h->rec, serial);
	u8(&h->rec, id);
	u4(&h->rec, 1);
	u8(&h->rec, n);
	record(h, T_LOAD_CLASS);
}

/* CLASS DUMP head: id, super, instance size; then the caller adds statics and fields. */
static void class_head(struct hp *h, uint64_t id, uint64_t super, uint32_t size)
{
	struct strbuf *s = &h->seg;
	u1(s, D_CLASS);
	u8(s, id);
	u4(s, 1);
	u8(s, super);
	for (int i = 0; i < 5; i++)
		u8(s, 0); /* loader, signers, protection domain, reserved */
	u4(s, size);
	u2(s, 0); /* constant pool */
}

static uint64_t simple_class(struct hp *h, const char *name, uint64_t super, uint32_t size)
{
	uint64_t id = new_id(h);
	load_class(h, id, h->next_serial++, name);
	class_head(h, id, super, size);
	u2(&h->seg, 0);
	u2(&h->seg, 0);
	return id;
}

/*
 * java.lang.ref.Reference, its "referent" field and its four kinds,
 * which VisualVM's search for roots expects (Go has no such references).
 */
static void reference_classes(struct hp *h)
{
	static const char *const kinds[] = {"java/lang/ref/WeakReference", "java/lang/ref/SoftReference",
					    "java/lang/ref/FinalReference", "java/lang/ref/PhantomReference"};
	uint64_t id = new_id(h), field = str_id(h, "referent");
	load_class(h, id, h->next_serial++, "java/lang/ref/Reference");
	class_head(h, id, h->c_object, 8);
	u2(&h->seg, 0);
	u2(&h->seg, 1);
	u8(&h->seg, field);
	u1(&h->seg, TY_OBJECT);
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(kinds); i++)
		simple_class(h, kinds[i], id, 0);
}

/* ---- object layouts ------------------------------------------------------------- */

static uint64_t word(const struct hp *h, const unsigned char *p)
{
	const struct cprof_heapdump *d = h->d;
	uint64_t v = 0;
	if (d->ptr_size == 8) {
		for (int i = 0; i < 8; i++)
			v |= (uint64_t)p[d->big_endian ? 7 - i : i] << (8 * i);
	} else {
		for (int i = 0; i < 4; i++)
			v |= (uint64_t)p[d->big_endian ? 3 - i : i] << (8 * i);
	}
	return v;
}

/* The target id of pointer field j (0: nil or not an object). */
static uint64_t target(const struct hp *h, size_t j)
{
	uint32_t n = h->d->ptr_node[j];
	if (n == NONE)
		return 0;
	return h->d->obj_addr[n - h->g->first_obj];
}

/* The pointer words of object o (bit w: word w holds a pointer); false past MAX_WORDS. */
static bool layout(const struct hp *h, uint32_t o, uint32_t *nwords, uint64_t *mask)
{
	const struct cprof_heapdump *d = h->d;
	uint64_t words = cprof_heapdump_size(d, o) / d->ptr_size;
	*mask = 0;
	if (words > MAX_WORDS)
		return false;
	*nwords = (uint32_t)words;
	for (uint32_t j = d->obj_ptr[o]; j < d->obj_ptr[o + 1]; j++) {
		uint32_t w = d->ptr_off[j] / d->ptr_size;
		if (w < words)
			*mask |= 1ULL << w;
	}
	return true;
}

/* The class of object o's name and layout, made (LOAD CLASS and CLASS DUMP) on first use. */
static const struct cls *object_class(struct hp *h, uint32_t o, uint32_t nwords, uint64_t mask)
{
	const struct cprof_heapgraph *g = h->g;
	uint32_t site = g->site_names ? cprof_heapgraph_obj_site(g, o) : NONE;
	uint64_t size = cprof_heapdump_size(h->d, o);
	/* looked up by (site, size, layout): the name is only made for a new class */
	uint64_t key = hash64(size ^ (uint64_t)site << 40) ^ hash64(mask + 0x9e3779b97f4a7c15ULL * nwords);
	if ((h->ccount + 1) * 2 > h->csize) {
		size_t n = h->csize ? h->csize * 2 : 256;
		uint64_t *k = cprof_xcalloc(n, sizeof(*k));
		uint32_t *v = cprof_xmalloc(n * sizeof(*v));
		memset(v, 0xff, n * sizeof(*v));
		for (size_t i = 0; i < h->csize; i++)
			if (h->cval[i] != NONE) {
				size_t j = hash64(h->ckey[i]) & (n - 1);
				while (v[j] != NONE)
					j = (j + 1) & (n - 1);
				k[j] = h->ckey[i], v[j] = h->cval[i];
			}
		free(h->ckey), free(h->cval);
		h->ckey = k, h->cval = v, h->csize = n;
	}
	size_t j = hash64(key) & (h->csize - 1);
	for (; h->cval[j] != NONE; j = (j + 1) & (h->csize - 1)) {
		const struct cls *c = &h->cls[h->cval[j]];
		if (h->ckey[j] == key && c->mask == mask && c->nwords == nwords && c->size == size && c->site == site)
			return c;
	}
	struct strbuf name = STRBUF_INIT;
	/* not "[...": the tools would read an array class name */
	strbuf_addf(&name, "%s ", site != NONE ? g->site[site].func : "go");
	strbuf_addch(&name, '[');
	cprof_heapdump_size_name(size, &name);
	strbuf_addch(&name, ']');
	size_t slot = str_slot(h, name.buf);
	uint64_t nid = h->sid[slot];
	size_t variants = h->svariants[slot]++; /* layouts of one name get #2, #3, ... */
	ALLOC_GROW(h->cls, h->ncls + 1, h->acls);
	struct cls *c = &h->cls[h->ncls];
	c->id = new_id(h);
	c->name = nid;
	c->serial = h->next_serial++;
	c->nwords = nwords;
	c->mask = mask;
	c->size = size;
	c->site = site;
	if (variants)
		strbuf_addf(&name, " #%zu", variants + 1);
	load_class(h, c->id, c->serial, name.buf);
	strbuf_release(&name);
	uint32_t isize = 0;
	for (uint32_t w = 0; w < nwords; w++)
		isize += (mask >> w & 1) ? 8 : h->d->ptr_size;
	class_head(h, c->id, h->c_object, isize);
	u2(&h->seg, 0);
	u2(&h->seg, (unsigned)nwords);
	for (uint32_t w = 0; w < nwords; w++) {
		char fname[32];
		snprintf(fname, sizeof(fname), "%c%" PRIu64, (mask >> w & 1) ? 'p' : 'w', (uint64_t)w * h->d->ptr_size);
		u8(&h->seg, str_id(h, fname));
		u1(&h->seg, (mask >> w & 1) ? TY_OBJECT : h->d->ptr_size == 8 ? TY_LONG : TY_INT);
	}
	h->ckey[j] = key;
	h->cval[j] = (uint32_t)h->ncls;
	h->ccount++;
	return &h->cls[h->ncls++];
}

static void object(struct hp *h, uint32_t o)
{
	const struct cprof_heapdump *d = h->d;
	const unsigned char *body = h->o->data + d->obj_data[o];
	uint64_t id = d->obj_addr[o], size = cprof_heapdump_size(d, o);
	struct strbuf *s = &h->seg;
	uint32_t first = d->obj_ptr[o], n = d->obj_ptr[o + 1] - first, nwords;
	uint64_t mask;

	if (n == 0) { /* no pointers: its bytes */
		u1(s, D_PRIMARRAY);
		u8(s, id);
		u4(s, 1);
		u4(s, (uint32_t)size);
		u1(s, TY_BYTE);
		strbuf_add(s, body, (size_t)size);
	} else if (layout(h, o, &nwords, &mask)) {
		const struct cls *c = object_class(h, o, nwords, mask);
		u1(s, D_INSTANCE);
		u8(s, id);
		u4(s, 1);
		u8(s, c->id);
		uint32_t len = 0;
		for (uint32_t w = 0; w < nwords; w++)
			len += (mask >> w & 1) ? 8 : d->ptr_size;
		u4(s, len);
		uint32_t j = first;
		for (uint32_t w = 0; w < nwords; w++) {
			if (mask >> w & 1) {
				while (j + 1 < first + n && d->ptr_off[j] / d->ptr_size < w)
					j++;
				u8(s, target(h, j));
			} else if (d->ptr_size == 8) {
				u8(s, word(h, body + 8 * w));
			} else {
				u4(s, (uint32_t)word(h, body + 4 * w));
			}
		}
	} else { /* a big one: its pointers */
		u1(s, D_OBJARRAY);
		u8(s, id);
		u4(s, 1);
		u4(s, n);
		u8(s, h->c_objarray);
		for (uint32_t j = first; j < first + n; j++)
			u8(s, target(h, j));
	}
	segment_flush(h, false);
}

/* ---- roots ------------------------------------------------------------------------ */

static uint64_t slot_target(const struct hp *h, uint64_t v)
{
	uint32_t o = cprof_heapgraph_find(h->g, v);
	return o == NONE ? 0 : h->d->obj_addr[o];
}

/* go.globals: a static field per pointer slot of data and bss that points at an object. */
static void globals(struct hp *h)
{
	const struct cprof_heapdump *d = h->d;
	const struct cprof_heapdump_segment *segs[2] = {&d->data, &d->bss};
	uint64_t bias = h->o->syms ? cprof_heapsyms_bias(h->o->syms, d) : 0;
	size_t nstatic = 0;
	for (int k = 0; k < 2; k++)
		for (size_t i = segs[k]->slots.first; i < segs[k]->slots.first + segs[k]->slots.n; i++)
			nstatic += slot_target(h, d->root_val[i]) != 0;
	if (nstatic > 65535)
		nstatic = 65535; /* the format's limit: the rest are unknown roots */
	h->c_globals = new_id(h);
	load_class(h, h->c_globals, h->next_serial++, "go.globals");
	struct strbuf names = STRBUF_INIT;
	/* the names first (UTF8 records go outside the segment) */
	uint64_t *ids = cprof_xmalloc(cprof_st_mult(nstatic ? nstatic : 1, sizeof(uint64_t)));
	size_t m = 0;
	for (int k = 0; k < 2; k++)
		for (size_t i = segs[k]->slots.first; i < segs[k]->slots.first + segs[k]->slots.n && m < nstatic; i++) {
			if (!slot_target(h, d->root_val[i]))
				continue;
			uint64_t at = segs[k]->addr + d->root_off[i], start = 0;
			const char *sym = h->o->syms ? cprof_heapsyms_find(h->o->syms, at, bias, true, &start) : NULL;
			strbuf_reset(&names);
			if (sym && at == start)
				strbuf_addstr(&names, sym);
			else if (sym)
				strbuf_addf(&names, "%s+%" PRIu64, sym, at - start);
			else
				strbuf_addf(&names, "%s+0x%" PRIx64, k ? "bss" : "data", d->root_off[i]);
			ids[m++] = str_id(h, names.buf);
		}
	strbuf_release(&names);
	class_head(h, h->c_globals, h->c_object, 0);
	u2(&h->seg, (unsigned)nstatic);
	m = 0;
	for (int k = 0; k < 2; k++)
		for (size_t i = segs[k]->slots.first; i < segs[k]->slots.first + segs[k]->slots.n; i++) {
			uint64_t t = slot_target(h, d->root_val[i]);
			if (!t)
				continue;
			if (m < nstatic) {
				u8(&h->seg, ids[m++]);
				u1(&h->seg, TY_OBJECT);
				u8(&h->seg, t);
			}
		}
	u2(&h->seg, 0);
	free(ids);
	u1(&h->seg, R_STICKY);
	u8(&h->seg, h->c_globals);
	m = 0;
	for (int k = 0; k < 2; k++) /* past the statics' limit */
		for (size_t i = segs[k]->slots.first; i < segs[k]->slots.first + segs[k]->slots.n; i++) {
			uint64_t t = slot_target(h, d->root_val[i]);
			if (t && m++ >= nstatic) {
				u1(&h->seg, R_UNKNOWN);
				u8(&h->seg, t);
			}
		}
}

/* Goroutines as threads: stack frames, traces, thread objects, frame roots. */
static void goroutines(struct hp *h)
{
	const struct cprof_heapdump *d = h->d;
	uint64_t unknown = str_id(h, "?"), sig = str_id(h, "()");
	for (size_t i = 0; i < d->ngoroutine; i++) {
		const struct cprof_heapdump_goroutine *gr = &d->goroutine[i];
		uint64_t *frames = cprof_xmalloc(cprof_st_mult(gr->nframes ? gr->nframes : 1, sizeof(uint64_t)));
		for (uint32_t k = 0; k < gr->nframes; k++) {
			const struct cprof_heapdump_frame *f = &d->frame[gr->first_frame + k];
			uint64_t method = str_id(h, f->func);
			frames[k] = new_id(h);
			u8(&h->rec, frames[k]);
			u8(&h->rec, method);
			u8(&h->rec, sig);
			u8(&h->rec, unknown);
			u4(&h->rec, h->func_serial);
			u4(&h->rec, 0);
			record(h, T_FRAME);
		}
		u4(&h->rec, (uint32_t)(2 + i)); /* trace serial */
		u4(&h->rec, (uint32_t)(1 + i)); /* thread serial */
		u4(&h->rec, gr->nframes);
		for (uint32_t k = 0; k < gr->nframes; k++)
			u8(&h->rec, frames[k]);
		record(h, T_TRACE);
		free(frames);
		uint64_t thread = new_id(h);
		u1(&h->seg, D_INSTANCE);
		u8(&h->seg, thread);
		u4(&h->seg, (uint32_t)(2 + i));
		u8(&h->seg, h->c_thread);
		u4(&h->seg, 0);
		u1(&h->seg, R_THREAD);
		u8(&h->seg, thread);
		u4(&h->seg, (uint32_t)(1 + i));
		u4(&h->seg, (uint32_t)(2 + i));
		for (uint32_t k = 0; k < gr->nframes; k++) {
			const struct cprof_heapdump_frame *f = &d->frame[gr->first_frame + k];
			for (size_t j = f->slots.first; j < f->slots.first + f->slots.n; j++) {
				uint64_t t = slot_target(h, d->root_val[j]);
				if (!t)
					continue;
				u1(&h->seg, R_JAVA_FRAME);
				u8(&h->seg, t);
				u4(&h->seg, (uint32_t)(1 + i));
				u4(&h->seg, k);
			}
		}
		segment_flush(h, false);
	}
}

/* Whether a registered finalizer's object is kept by finalizers only (see heapdump.h). */
static bool finalizer_keeps(const struct hp *h, uint64_t obj)
{
	const struct cprof_heapgraph *g = h->g;
	uint32_t o = cprof_heapgraph_find(g, obj);
	if (o == NONE)
		return false;
	uint32_t v = g->first_obj + o;
	while (v != NONE && v >= g->first_obj)
		v = g->idom[v];
	if (v == NONE)
		return false;
	if (v == 1 + CPROF_HK_FINALIZERS)
		return true;
	return v >= g->first_root && g->root[v - g->first_root].kind == CPROF_HN_FINALIZER;
}

static void unknown_root(struct hp *h, uint64_t v)
{
	uint64_t t = slot_target(h, v);
	if (t) {
		u1(&h->seg, R_UNKNOWN);
		u8(&h->seg, t);
	}
}

int cprof_heapdump_write_hprof(const struct cprof_heapgraph *g, const struct cprof_hprof_opts *o,
			       struct cprof_error *err)
{
	const struct cprof_heapdump *d = g->dump;
	struct hp h = {0};

	if (!d->obj_data || !d->ptr_off || !d->ptr_node || !g->obj_by_addr)
		return cprof_error_set(err, CPROF_E_USAGE, "hprof: the dump was not read with its layout kept");
	h.g = g, h.d = d, h.o = o;
	h.rec = (struct strbuf)STRBUF_INIT;
	h.seg = (struct strbuf)STRBUF_INIT;
	h.next_id = 0x11;
	h.next_serial = 1;
	cprof_arena_init(&h.arena);
	cprof_strtab_init(&h.strs, &h.arena);

	static const char head[] = "JAVA PROFILE 1.0.2";
	strbuf_add(&h.rec, head, sizeof(head)); /* with its NUL */
	u4(&h.rec, 8);
	u8(&h.rec, d->has_memstats ? d->memstats[CPROF_HDMS_LastGC] / 1000000 : 0);
	emit(&h, h.rec.buf, h.rec.len);
	strbuf_reset(&h.rec);

	/* trace 1: the empty one every object names */
	u4(&h.rec, 1);
	u4(&h.rec, 0);
	u4(&h.rec, 0);
	record(&h, T_TRACE);

	/* class names in the JVM's internal form, which the tools expect (and turn into java.lang.Object) */
	/*
	 * java.lang.Object's instance size is the object header the tools add
	 * to every object (as a 64-bit JVM's dump says; VisualVM wants it)
	 */
	h.c_object = simple_class(&h, "java/lang/Object", 0, HEADER);
	simple_class(&h, "java/lang/Class", h.c_object, 0); /* the class of class objects */
	h.c_objarray = simple_class(&h, "[Ljava/lang/Object;", h.c_object, 0);
	simple_class(&h, "[B", h.c_object, 0);
	h.c_thread = simple_class(&h, "java/lang/Thread", h.c_object, 0);
	reference_classes(&h);
	h.func_serial = h.next_serial;
	h.c_func = simple_class(&h, "go.func", h.c_object, 0);
	globals(&h);
	goroutines(&h);
	for (size_t i = 0; i < d->nfinalizer; i++) {
		const struct cprof_heapdump_finalizer *f = &d->finalizer[i];
		if (f->queued || finalizer_keeps(&h, f->obj))
			unknown_root(&h, f->obj);
		unknown_root(&h, f->fn);
	}
	for (size_t i = 0; i < d->notherroot; i++)
		unknown_root(&h, d->otherroot[i].ptr);
	for (size_t i = 0; i < d->npanic; i++)
		unknown_root(&h, d->panic[i].argdata);
	/* every class before the instances (as a JVM writes them, and as VisualVM reads them) */
	for (uint32_t ob = 0; ob < d->nobj && !h.rc; ob++) {
		uint32_t nwords;
		uint64_t mask;
		if (d->obj_ptr[ob + 1] > d->obj_ptr[ob] && layout(&h, ob, &nwords, &mask))
			object_class(&h, ob, nwords, mask);
	}
	for (uint32_t ob = 0; ob < d->nobj && !h.rc; ob++)
		object(&h, ob);
	segment_flush(&h, true);
	record(&h, T_END);

	strbuf_release(&h.rec);
	strbuf_release(&h.seg);
	free(h.sname), free(h.sid), free(h.svariants), free(h.cls), free(h.ckey), free(h.cval);
	cprof_strtab_release(&h.strs);
	cprof_arena_release(&h.arena);
	if (h.rc)
		return cprof_error_set(err, CPROF_E_IO, "cannot write the hprof file");
	return 0;
}
