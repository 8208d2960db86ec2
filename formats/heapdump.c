/*
 * heapdump.c - Go heap dumps, as runtime/debug.WriteHeapDump writes them
 * (Go 1.19's runtime/heapdump.go; the format is the Go wiki's
 * "heapdump15-through-heapdump17").
 *
 *   dump      = header { record } eof-record
 *   header    = "go1.7 heap dump\n"            (also "go1.5", "go1.6": see below)
 *   record    = tag:uvarint fields...
 *   uvarint   = encoding/binary's: 7 bits a byte, low first, high bit = more
 *   string    = len:uvarint byte{len}
 *   bool      = uvarint 0 or 1
 *   fieldlist = { kind:uvarint offset:uvarint } 0      (kind 1 pointer; 2 iface,
 *                                                      3 eface in older dumps)
 *
 *   tag  record            fields
 *    0   EOF               (none; last)
 *    1   object            addr, contents:string, fieldlist
 *    2   other root        description:string, pointer
 *    3   type              addr, size, name:string, indirect:bool
 *    4   goroutine         addr, sp, goid, gopc, status, system:bool,
 *                          background:bool, waitsince, waitreason:string,
 *                          ctxt, m, defer, panic
 *    5   stack frame       sp, depth, child sp, contents:string, entry pc,
 *                          pc, continuation pc, function:string, fieldlist
 *    6   params            big endian:bool, pointer size, heap start, heap
 *                          end, arch:string, build:string, ncpu
 *    7   finalizer         object, funcval, fn pc, arg type, object type
 *    8   itab              addr, type addr
 *    9   OS thread         addr, id, OS id
 *   10   memstats          24 MemStats fields, PauseNs[256], NumGC
 *   11   queued finalizer  as 7
 *   12   data segment      addr, contents:string, fieldlist
 *   13   bss segment       as 12
 *   14   defer             addr, goroutine, argp, pc, funcval, fn pc, link
 *   15   panic             addr, goroutine, arg type, arg data, defer, link
 *   16   memprof bucket    id, size, nframes, { function:string, file:string,
 *                          line }, allocs, frees
 *   17   alloc sample      object addr, bucket id
 *
 * For example, the start of a dump (testdata/heapdump/small.dump):
 *
 *   676f312e3720686561702064756d700a   "go1.7 heap dump\n"
 *   06 00 08 8080808080 18 ...          params: little endian, 8-byte
 *                                       pointers, heap from 0xc000000000 ...
 *
 * Go 1.19 writes, in order: params, types and itabs, every object of
 * every in-use span (the contents are the whole size-class slot, so a
 * little bigger than the Go value; objects carry no type), goroutines
 * each followed by its frames (innermost first) and its defer and panic
 * records, OS threads, the data and bss segments with their pointer
 * maps, registered then queued finalizers, memstats, memory profile
 * buckets (the active counts: as of the last GC) and alloc samples (the
 * objects that the memory profiler sampled), EOF. Other roots are not
 * written by Go 1.19. The order is not relied on, except that params
 * (the pointer size) must come before any pointer field.
 *
 * Releases that write the same "go1.7" header (1.7 to 1.22) differ in
 * params: with the single heap arena of Go 1.10 and before, the heap
 * range is [arena_start, arena_used) and the build string GOEXPERIMENT;
 * with the sparse heap of later releases, the range spans the heap's
 * arenas and the build string is the runtime's version (buildVersion,
 * "go1.19.8"). From Go 1.22 (allocation headers) the first word of an
 * object of more than 512 bytes with pointers is its type's address, not
 * a field; it points outside the heap and so counts for nothing. "go1.5" and "go1.6" dumps have the same records (their
 * itab names a pointer type where go1.7's names the value's type); iface
 * and eface fields (pointer pairs, the second word the data) come only
 * from dumps older than Go 1.5, which are refused as unsupported.
 *
 * Everything is read through a bounds-checked cursor; a record that runs
 * past the end, a field outside its contents, an unknown tag or field
 * kind, an over-long varint or data after EOF is an error naming the byte
 * offset. Counts are never trusted for allocation: every element costs at
 * least a byte of input. Object contents are only looked into for their
 * pointer fields: a pointer is kept when it is not nil and lies in the
 * heap range given by params.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cprof/formats.h"
#include "cprof/heapdump.h"

enum {
	TAG_EOF,
	TAG_OBJECT,
	TAG_OTHERROOT,
	TAG_TYPE,
	TAG_GOROUTINE,
	TAG_FRAME,
	TAG_PARAMS,
	TAG_FINALIZER,
	TAG_ITAB,
	TAG_OSTHREAD,
	TAG_MEMSTATS,
	TAG_QFINALIZER,
	TAG_DATA,
	TAG_BSS,
	TAG_DEFER,
	TAG_PANIC,
	TAG_MEMPROF,
	TAG_ALLOCSAMPLE,
	TAG__COUNT
};

static const char *const tag_names[TAG__COUNT] = {
	"EOF",        "object",    "other root", "type",     "goroutine",        "stack frame",
	"params",     "finalizer", "itab",       "OS thread", "memstats",        "queued finalizer",
	"data segment", "bss segment", "defer",  "panic",    "memory profile bucket", "alloc sample",
};

static const char *const ms_names[CPROF_HDMS__COUNT] = {
#define CPROF_HD_MS_NAME_(name) #name,
	CPROF_HEAPDUMP_MEMSTATS(CPROF_HD_MS_NAME_)
#undef CPROF_HD_MS_NAME_
};

const char *cprof_heapdump_ms_name(enum cprof_heapdump_ms f)
{
	return (unsigned)f < CPROF_HDMS__COUNT ? ms_names[f] : "?";
}

/* ---- the cursor ------------------------------------------------------------------ */

struct cur {
	const unsigned char *start, *p, *end;
	const unsigned char *rec; /* where the current record started */
	int tag;
	struct cprof_error *err;
	bool failed;
};

static size_t off(const struct cur *c, const unsigned char *at)
{
	return (size_t)(at - c->start);
}

/* Record the first failure (later ones are consequences); always false. */
static bool fail(struct cur *c, const char *what)
{
	if (!c->failed) {
		c->failed = true;
		if (c->tag >= 0)
			cprof_error_set(c->err, CPROF_E_CORRUPT, "heap dump: %s in the %s record at byte %zu", what,
					tag_names[c->tag], off(c, c->rec));
		else
			cprof_error_set(c->err, CPROF_E_CORRUPT, "heap dump: %s at byte %zu", what, off(c, c->p));
	}
	c->p = c->end;
	return false;
}

/* A uvarint of at most 10 bytes whose value fits 64 bits. */
static inline bool uv(struct cur *c, uint64_t *v)
{
	const unsigned char *p = c->p;
	*v = 0;
	if (c->end - p >= 10) { /* fast path: no bound checks inside */
		uint64_t x = 0;
		for (int s = 0; s < 64; s += 7) {
			unsigned b = *p++;
			if (b < 0x80) {
				if (s == 63 && b > 1)
					break;
				*v = x | (uint64_t)b << s;
				c->p = p;
				return true;
			}
			x |= (uint64_t)(b & 0x7f) << s;
		}
		return fail(c, "varint overflows 64 bits");
	}
	uint64_t x = 0;
	for (int s = 0; s < 64; s += 7) {
		if (p >= c->end)
			return fail(c, "truncated");
		unsigned b = *p++;
		if (b < 0x80) {
			if (s == 63 && b > 1)
				break;
			*v = x | (uint64_t)b << s;
			c->p = p;
			return true;
		}
		x |= (uint64_t)(b & 0x7f) << s;
	}
	return fail(c, "varint overflows 64 bits");
}

/* A run of n uvarints into v[]. */
static bool uvs(struct cur *c, uint64_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!uv(c, &v[i]))
			return false;
	return true;
}

static bool boolean(struct cur *c, bool *b)
{
	uint64_t v;
	if (!uv(c, &v))
		return false;
	if (v > 1)
		return fail(c, "bool is neither 0 nor 1");
	*b = v == 1;
	return true;
}

/* A string's bytes, left in place. */
static bool bytes(struct cur *c, const unsigned char **s, uint64_t *len)
{
	*s = c->p;
	if (!uv(c, len))
		return false;
	if (*len > (uint64_t)(c->end - c->p))
		return fail(c, "truncated");
	*s = c->p;
	c->p += *len;
	return true;
}

static bool str(struct cur *c, struct cprof_heapdump *d, const char **out)
{
	const unsigned char *s;
	uint64_t len;
	if (!bytes(c, &s, &len))
		return false;
	*out = cprof_strtab_intern(&d->strs, (const char *)s, (size_t)len);
	return true;
}

/* ---- growing the parallel arrays ------------------------------------------------- */

void *cprof_heapdump_alloc(size_t n, size_t size, bool zero)
{
	size_t len = cprof_st_mult(n ? n : 1, size);
	return zero ? cprof_xcalloc(1, len) : cprof_xmalloc(len);
}

static void *regrow(void *p, size_t n, size_t size)
{
	return cprof_xrealloc(p, cprof_st_mult(n, size));
}

static void grow_objects(struct cprof_heapdump *d, bool keep_layout)
{
	size_t n = CPROF_ALLOC_NR(d->aobj);
	d->obj_addr = regrow(d->obj_addr, n, sizeof(uint64_t));
	d->obj_size = regrow(d->obj_size, n, sizeof(uint32_t));
	d->obj_ptr = regrow(d->obj_ptr, cprof_st_add(n, 1), sizeof(uint32_t));
	if (keep_layout)
		d->obj_data = regrow(d->obj_data, n, sizeof(uint64_t));
	d->aobj = n;
}

static void grow_ptrs(struct cprof_heapdump *d, bool keep_layout)
{
	size_t n = CPROF_ALLOC_NR(d->aptr);
	d->ptr_val = regrow(d->ptr_val, n, sizeof(uint64_t));
	if (keep_layout)
		d->ptr_off = regrow(d->ptr_off, n, sizeof(uint32_t));
	d->aptr = n;
}

static void grow_roots(struct cprof_heapdump *d)
{
	size_t n = CPROF_ALLOC_NR(d->aroot_slot);
	d->root_off = regrow(d->root_off, n, sizeof(uint64_t));
	d->root_val = regrow(d->root_val, n, sizeof(uint64_t));
	d->aroot_slot = n;
}

/* ---- pointer fields ------------------------------------------------------------- */

static inline uint64_t read_ptr(const struct cprof_heapdump *d, const unsigned char *at)
{
	if (d->ptr_size == 8) {
		uint64_t v;
		memcpy(&v, at, 8);
		return d->big_endian ? __builtin_bswap64(v) : v;
	}
	uint32_t v;
	memcpy(&v, at, 4);
	return d->big_endian ? __builtin_bswap32(v) : v;
}

/*
 * Walk a fieldlist over contents [body, body + len), calling add() for
 * each pointer word (offset, value). Iface and eface fields count their
 * data word.
 */
#define FIELDS_WALK(c, d, body, len, ADD)                                                  \
	do {                                                                                   \
		for (;;) {                                                                         \
			uint64_t kind_, o_;                                                            \
			if (!uv(c, &kind_))                                                            \
				return false;                                                              \
			if (kind_ == 0)                                                                \
				break;                                                                     \
			if (kind_ > 3)                                                                 \
				return fail(c, "unknown field kind");                                      \
			if (!(d)->has_params)                                                          \
				return fail(c, "pointer field before the params record");                  \
			if (!uv(c, &o_))                                                               \
				return false;                                                              \
			if (kind_ > 1)                                                                 \
				o_ += (d)->ptr_size; /* an interface: its data word */                     \
			if (o_ > (len) || (len) - o_ < (d)->ptr_size)                                  \
				return fail(c, "pointer field outside the contents");                      \
			uint64_t v_ = read_ptr(d, (body) + o_);                                        \
			ADD(o_, v_);                                                                   \
		}                                                                                  \
	} while (0)

static inline bool in_heap(const struct cprof_heapdump *d, uint64_t v)
{
	return v && (d->heap_end <= d->heap_start || (v >= d->heap_start && v < d->heap_end));
}

static bool root_fields(struct cur *c, struct cprof_heapdump *d, const unsigned char *body, uint64_t len,
			struct cprof_heapdump_slots *slots)
{
	slots->first = d->nroot_slot;
#define ADD_ROOT_(o, v)                                                         \
	do {                                                                        \
		if (in_heap(d, v)) {                                                    \
			if (d->nroot_slot == d->aroot_slot)                                \
				grow_roots(d);                                                  \
			d->root_off[d->nroot_slot] = (o);                                   \
			d->root_val[d->nroot_slot++] = (v);                                 \
		}                                                                       \
	} while (0)
	FIELDS_WALK(c, d, body, len, ADD_ROOT_);
#undef ADD_ROOT_
	slots->n = d->nroot_slot - slots->first;
	return true;
}

/* ---- records --------------------------------------------------------------------- */

static bool rec_object(struct cur *c, struct cprof_heapdump *d, bool keep_layout)
{
	uint64_t addr, len;
	const unsigned char *body;
	if (!uv(c, &addr) || !bytes(c, &body, &len))
		return false;
	if (d->nobj == d->aobj)
		grow_objects(d, keep_layout);
	if (d->nobj >= UINT32_MAX - 1)
		return fail(c, "more than 2^32 objects");
	d->obj_addr[d->nobj] = addr;
	d->obj_size[d->nobj] = len < UINT32_MAX ? (uint32_t)len : UINT32_MAX;
	if (len >= UINT32_MAX) {
		ALLOC_GROW(d->huge, d->nhuge + 1, d->ahuge);
		d->huge[d->nhuge++] = (struct cprof_heapdump_huge){d->nobj, len};
	}
	d->obj_ptr[d->nobj] = (uint32_t)d->nptr;
	if (keep_layout)
		d->obj_data[d->nobj] = off(c, body);
	d->obj_bytes += len;
#define ADD_PTR_(o, v)                                                          \
	do {                                                                        \
		d->nfields++;                                                           \
		if (keep_layout || in_heap(d, v)) {                                     \
			if (d->nptr == d->aptr)                                             \
				grow_ptrs(d, keep_layout);                                      \
			if (keep_layout)                                                    \
				d->ptr_off[d->nptr] = (uint32_t)(o);                            \
			d->ptr_val[d->nptr++] = (v);                                        \
		}                                                                       \
	} while (0)
	FIELDS_WALK(c, d, body, len, ADD_PTR_);
#undef ADD_PTR_
	if (keep_layout && len > UINT32_MAX)
		return fail(c, "object too large to copy");
	if (d->nptr > UINT32_MAX)
		return fail(c, "more than 2^32 pointers");
	d->nobj++;
	d->obj_ptr[d->nobj] = (uint32_t)d->nptr;
	return true;
}

static bool rec_frame(struct cur *c, struct cprof_heapdump *d)
{
	struct cprof_heapdump_frame f = {0};
	const unsigned char *body;
	if (!uvs(c, &f.sp, 3) || !bytes(c, &body, &f.size) || !uv(c, &f.entry) || !uv(c, &f.pc) ||
	    !uv(c, &f.continpc) || !str(c, d, &f.func) || !root_fields(c, d, body, f.size, &f.slots))
		return false;
	f.goroutine = d->ngoroutine ? (uint32_t)(d->ngoroutine - 1) : CPROF_NONE;
	if (f.goroutine != CPROF_NONE) {
		struct cprof_heapdump_goroutine *g = &d->goroutine[f.goroutine];
		if (!g->nframes)
			g->first_frame = (uint32_t)d->nframe;
		if (g->first_frame + g->nframes == d->nframe)
			g->nframes++;
	}
	ALLOC_GROW(d->frame, d->nframe + 1, d->aframe);
	d->frame[d->nframe++] = f;
	return true;
}

static bool rec_goroutine(struct cur *c, struct cprof_heapdump *d)
{
	struct cprof_heapdump_goroutine g = {0};
	uint64_t v[5];
	if (!uvs(c, v, 5) || !boolean(c, &g.system) || !boolean(c, &g.background) || !uv(c, &g.waitsince) ||
	    !str(c, d, &g.waitreason) || !uv(c, &g.ctxt) || !uv(c, &g.m) || !uv(c, &g.defer) || !uv(c, &g.panic))
		return false;
	g.addr = v[0], g.sp = v[1], g.goid = v[2], g.gopc = v[3], g.status = v[4];
	ALLOC_GROW(d->goroutine, d->ngoroutine + 1, d->agoroutine);
	d->goroutine[d->ngoroutine++] = g;
	return true;
}

static bool rec_segment(struct cur *c, struct cprof_heapdump *d, struct cprof_heapdump_segment *s)
{
	const unsigned char *body;
	if (s->present)
		return fail(c, "second record");
	if (!uv(c, &s->addr) || !bytes(c, &body, &s->size) || !root_fields(c, d, body, s->size, &s->slots))
		return false;
	s->present = true;
	return true;
}

static bool rec_params(struct cur *c, struct cprof_heapdump *d)
{
	uint64_t ps;
	if (d->has_params)
		return fail(c, "second record");
	if (!boolean(c, &d->big_endian) || !uv(c, &ps) || !uv(c, &d->heap_start) || !uv(c, &d->heap_end) ||
	    !str(c, d, &d->arch) || !str(c, d, &d->build) || !uv(c, &d->ncpu))
		return false;
	if (ps != 4 && ps != 8)
		return fail(c, "pointer size is neither 4 nor 8");
	d->ptr_size = (uint32_t)ps;
	d->has_params = true;
	return true;
}

static bool rec_memprof(struct cur *c, struct cprof_heapdump *d)
{
	struct cprof_heapdump_bucket b = {0};
	uint64_t n;
	if (!uv(c, &b.id) || !uv(c, &b.size) || !uv(c, &n))
		return false;
	if (n > (uint64_t)(c->end - c->p) / 3) /* each frame takes 3 bytes or more */
		return fail(c, "more frames than the bytes left");
	if (d->nbucket_frame + n > UINT32_MAX)
		return fail(c, "too many frames");
	b.first = (uint32_t)d->nbucket_frame;
	b.n = (uint32_t)n;
	ALLOC_GROW(d->bucket_frame, d->nbucket_frame + n, d->abucket_frame);
	for (uint64_t i = 0; i < n; i++) {
		struct cprof_heapdump_stackframe *f = &d->bucket_frame[d->nbucket_frame];
		if (!str(c, d, &f->func) || !str(c, d, &f->file) || !uv(c, &f->line))
			return false;
		d->nbucket_frame++;
	}
	if (!uv(c, &b.allocs) || !uv(c, &b.frees))
		return false;
	ALLOC_GROW(d->bucket, d->nbucket + 1, d->abucket);
	d->bucket[d->nbucket++] = b;
	return true;
}

#define PUSH(arr, val)                                         \
	do {                                                       \
		ALLOC_GROW(d->arr, d->n##arr + 1, d->a##arr);          \
		d->arr[d->n##arr++] = (val);                           \
	} while (0)

static bool record(struct cur *c, struct cprof_heapdump *d, int tag, bool keep_layout)
{
	uint64_t v[7];
	switch (tag) {
	case TAG_OBJECT:
		return rec_object(c, d, keep_layout);
	case TAG_OTHERROOT: {
		struct cprof_heapdump_otherroot r;
		if (!str(c, d, &r.desc) || !uv(c, &r.ptr))
			return false;
		PUSH(otherroot, r);
		return true;
	}
	case TAG_TYPE: {
		struct cprof_heapdump_type t;
		if (!uv(c, &t.addr) || !uv(c, &t.size) || !str(c, d, &t.name) || !boolean(c, &t.indirect))
			return false;
		PUSH(type, t);
		return true;
	}
	case TAG_GOROUTINE:
		return rec_goroutine(c, d);
	case TAG_FRAME:
		return rec_frame(c, d);
	case TAG_PARAMS:
		return rec_params(c, d);
	case TAG_FINALIZER:
	case TAG_QFINALIZER: {
		if (!uvs(c, v, 5))
			return false;
		struct cprof_heapdump_finalizer f = {v[0], v[1], v[2], v[3], v[4], tag == TAG_QFINALIZER};
		PUSH(finalizer, f);
		return true;
	}
	case TAG_ITAB: {
		if (!uvs(c, v, 2))
			return false;
		struct cprof_heapdump_itab t = {v[0], v[1]};
		PUSH(itab, t);
		return true;
	}
	case TAG_OSTHREAD: {
		if (!uvs(c, v, 3))
			return false;
		struct cprof_heapdump_thread t = {v[0], v[1], v[2]};
		PUSH(thread, t);
		return true;
	}
	case TAG_MEMSTATS:
		if (d->has_memstats)
			return fail(c, "second record");
		if (!uvs(c, d->memstats, CPROF_HDMS__COUNT) || !uvs(c, d->pause_ns, 256) || !uv(c, &d->num_gc))
			return false;
		d->has_memstats = true;
		return true;
	case TAG_DATA:
		return rec_segment(c, d, &d->data);
	case TAG_BSS:
		return rec_segment(c, d, &d->bss);
	case TAG_DEFER: {
		if (!uvs(c, v, 7))
			return false;
		struct cprof_heapdump_defer f = {v[0], v[1], v[2], v[3], v[4], v[5], v[6]};
		PUSH(defer, f);
		return true;
	}
	case TAG_PANIC: {
		if (!uvs(c, v, 6))
			return false;
		struct cprof_heapdump_panic p = {v[0], v[1], v[2], v[3], v[4], v[5]};
		PUSH(panic, p);
		return true;
	}
	case TAG_MEMPROF:
		return rec_memprof(c, d);
	case TAG_ALLOCSAMPLE: {
		if (!uvs(c, v, 2))
			return false;
		struct cprof_heapdump_sample s = {v[0], v[1]};
		PUSH(sample, s);
		return true;
	}
	}
	return fail(c, "unknown record tag");
}

/* ---- the header -------------------------------------------------------------------- */

/* The header's length ("goN.M heap dump\n"), or 0; the version text in ver. */
static size_t header(const unsigned char *data, size_t len, char ver[16])
{
	static const char tail[] = " heap dump\n";
	size_t i = 0;
	if (len < 4 || memcmp(data, "go1.", 4))
		return 0;
	for (i = 4; i < len && i < 12 && data[i] >= '0' && data[i] <= '9'; i++)
		;
	if (i == 4 || len - i < sizeof(tail) - 1 || memcmp(data + i, tail, sizeof(tail) - 1))
		return 0;
	memcpy(ver, data, i);
	ver[i] = '\0';
	return i + sizeof(tail) - 1;
}

bool cprof_heapdump_sniff(const unsigned char *data, size_t len)
{
	char ver[16];
	return header(data, len, ver) != 0;
}

uint64_t cprof_heapdump_huge_size(const struct cprof_heapdump *d, size_t i)
{
	size_t lo = 0, hi = d->nhuge;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->huge[mid].index < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < d->nhuge && d->huge[lo].index == i ? d->huge[lo].size : UINT32_MAX;
}

void cprof_heapdump_free(struct cprof_heapdump *d)
{
	if (!d)
		return;
	free(d->obj_addr);
	free(d->obj_size);
	free(d->obj_ptr);
	free(d->huge);
	free(d->obj_data);
	free(d->ptr_val);
	free(d->ptr_node);
	free(d->ptr_off);
	free(d->root_off);
	free(d->root_val);
	free(d->type);
	free(d->itab);
	free(d->goroutine);
	free(d->frame);
	free(d->otherroot);
	free(d->finalizer);
	free(d->thread);
	free(d->defer);
	free(d->panic);
	free(d->bucket);
	free(d->bucket_frame);
	free(d->sample);
	cprof_strtab_release(&d->strs);
	cprof_arena_release(&d->arena);
	free(d);
}

/* Drop the whole pages of [*done, upto) from memory (a file mapping reads them again if touched). */
static void release(const unsigned char *base, size_t *done, size_t upto)
{
	static size_t page;
	if (!page) {
		long ps = sysconf(_SC_PAGESIZE);
		page = ps > 0 ? (size_t)ps : 4096;
	}
	uintptr_t a = ((uintptr_t)base + *done + page - 1) & ~(uintptr_t)(page - 1);
	uintptr_t b = ((uintptr_t)base + upto) & ~(uintptr_t)(page - 1);
	if (b > a)
		(void)madvise((void *)a, b - a, MADV_DONTNEED);
	*done = upto;
}

int cprof_heapdump_parse(const unsigned char *data, size_t len, const struct cprof_heapdump_parse_opts *o,
			 struct cprof_heapdump **out, struct cprof_error *err)
{
	static const struct cprof_heapdump_parse_opts none;
	struct cprof_error local;
	char ver[16];
	size_t h = header(data, len, ver);

	if (!o)
		o = &none;
	if (!err)
		err = &local;
	*out = NULL;
	if (!h)
		return cprof_error_set(err, CPROF_E_FORMAT, "not a Go heap dump (no 'go1.N heap dump' header)");
	if (strcmp(ver, "go1.5") && strcmp(ver, "go1.6") && strcmp(ver, "go1.7"))
		return cprof_error_set(err, CPROF_E_UNSUPPORTED,
				       "heap dump version %s is not supported (only go1.5 to go1.7, written by Go 1.5 and later)",
				       ver);

	struct cprof_heapdump *d = cprof_xcalloc(1, sizeof(*d));
	cprof_arena_init(&d->arena);
	cprof_strtab_init(&d->strs, &d->arena);
	memcpy(d->version, ver, sizeof(ver));
	d->arch = d->build = cprof_strtab_intern(&d->strs, "", 0);
	d->obj_ptr = cprof_xcalloc(1, sizeof(*d->obj_ptr));

	struct cur c = {data, data + h, data + len, data + h, -1, err, false};
	bool release_behind = o->release_behind && !o->keep_layout;
	size_t released = 0;
	bool eof = false;
	while (c.p < c.end) {
		size_t at = off(&c, c.p);
		if (release_behind && at - released >= ((size_t)64 << 20))
			release(data, &released, at);
		c.rec = c.p;
		c.tag = -1;
		uint64_t tag;
		if (!uv(&c, &tag))
			break;
		if (tag >= TAG__COUNT) {
			fail(&c, "unknown record tag");
			break;
		}
		c.tag = (int)tag;
		if (tag == TAG_EOF) {
			eof = true;
			break;
		}
		if (!record(&c, d, (int)tag, o->keep_layout))
			break;
	}
	if (!c.failed && !eof) {
		c.tag = -1;
		fail(&c, "truncated: no EOF record");
	}
	if (!c.failed && c.p != c.end) {
		c.tag = -1;
		fail(&c, "data after the EOF record");
	}
	if (c.failed) {
		cprof_heapdump_free(d);
		return -1;
	}
	if (release_behind)
		release(data, &released, len);
	d->input_size = len;
	*out = d;
	return 0;
}
