/*
 * allocfreetrace.c - the Go runtime's GODEBUG=allocfreetrace=1 output:
 * one record per allocation, free and garbage collection, each with a
 * traceback, as runtime/mprof.go prints them (tracealloc, tracefree and
 * tracegc, Go 1.5 to 1.22; the C runtime before, as the guide quotes Go
 * 1.3's, prints the same records with older traceback lines).
 *
 *   log      = { other-line | record }
 *   record   = alloc | free | gc
 *   alloc    = "tracealloc(" ADDR ", " SIZE [ ", " TYPE ] ")"  NL  trace  NL
 *   free     = "tracefree(" ADDR ", " SIZE ")"  NL  trace  NL
 *   gc       = "tracegc()" NL  { goroutine traceback of every goroutine }  "end tracegc" NL  NL
 *   trace    = header { frame | elided } [ creator ]
 *   header   = "goroutine " ID [ " " KEY "=" VALUE ... ] " [" STATE "]:"
 *   frame    = FUNC "(" ARGS ")"  NL  TAB FILE ":" LINE [ " +0x" HEX ] [ " fp=0x.. sp=0x.. pc=0x.." ]
 *   creator  = "created by " FUNC  NL  TAB FILE ":" LINE [ " +0x" HEX ]
 *   elided   = "...additional frames elided..." | "..." N " frames elided..."
 *   ADDR, SIZE = "0x" HEX      (the runtime prints the size in hex too)
 *
 * for example (Go 1.19, testdata/allocfreetrace/small.log.gz, lines 2674 and 2466):
 *
 *   tracealloc(0xc000098180, 0x40, main.leakObj)
 *   goroutine 1 [running]:
 *   runtime.mallocgc(0x40, 0x49bb20, 0x1)
 *   	runtime/malloc.go:1131 +0x7b1 fp=0xc0000a10d8 sp=0xc0000a1060 pc=0x40c5b1
 *   runtime.newobject(0x10?)
 *   	runtime/malloc.go:1202 +0x27 fp=0xc0000a1100 sp=0xc0000a10d8 pc=0x40c7e7
 *   main.leakSite(0x5)
 *   	cprofgen/allocfreetrace/main.go:59 +0x49 fp=0xc0000a1160 sp=0xc0000a1100 pc=0x48cda9
 *   ...
 *   (empty line)
 *   tracefree(0xc000014008, 0x8)
 *   goroutine 0 [idle]:
 *   runtime.(*sweepLocked).sweep(0xc00004be28?, 0x0)
 *   ...
 *
 * What the runtime prints, and so what this file relies on:
 *
 * - SIZE is the size the allocator used (the size class, or the page-rounded
 *   size of a large object), not the size asked for; TYPE is the type's
 *   string ("*main.node", "[]uint8", "map.bucket[string]int", "func(int)
 *   error"), absent for memory allocated without a type (strings, byte
 *   slices grown or converted, noscan slices). Tiny allocations (under 16
 *   bytes, no pointers) share 16-byte blocks: only a new block is traced.
 * - The traceback of an allocation starts at runtime.mallocgc (the
 *   traceback setting is 2, so runtime frames are shown, with fp/sp/pc).
 *   Frees are traced while the runtime sweeps, after a GC: their traceback
 *   is the sweeper's and says nothing of the object; the allocation with
 *   the same address says where it came from.
 * - tracegc is printed at mark termination, with the world stopped, and
 *   lists every goroutine; the frees that follow it are what that GC found
 *   dead. Records are printed under one lock, never inside one another.
 *
 * Parsing is line by line, so a log of any length streams (formats/logread.c).
 * Record lines are found anywhere in a line, after any prefix; a log
 * shipper's prefix (the same width on every line) is recognised on the
 * goroutine header line that follows and taken off the record's other lines.
 * Lines that hold no record (program output, gctrace lines) are counted and
 * skipped, inside a record too (other threads write to the same stream),
 * and a gctrace line the GC printed into the middle of a traceback line is
 * taken out and the line joined again (see glue()); a record ends at its
 * empty line, or at the next record. Errors are only what
 * no runtime prints: an address of more than 64 bits or 0, a size of 0 or
 * past 2^48, a traceback deeper than -max_depth, a name longer than 64 KiB.
 *
 * Each allocation is added to its bucket (stack, type, size) and its
 * address to the table of live objects; a free looks its address up there,
 * so memory follows what is live, not what was logged.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/allocfreetrace.h"
#include "cprof/formats.h"

/* ---- hashing ------------------------------------------------------------- */

static inline uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static uint64_t hash_bytes(const char *s, size_t n, uint64_t seed)
{
	uint64_t h = seed ^ ((uint64_t)n * 0x9e3779b97f4a7c15ULL);
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 31;
		s += 8;
		n -= 8;
	}
	if (n) {
		uint64_t w = 0;
		memcpy(&w, s, n);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 31;
	}
	return mix64(h);
}

/*
 * An index from a 64-bit hash to dense ids (frames, stacks, types,
 * buckets); the caller compares the candidates. Open addressing, load
 * below 1/2; id1 holds id + 1, 0 is empty.
 */
struct hidx {
	uint64_t *hash;
	uint32_t *id1;
	size_t size, count;
};

static void hidx_release(struct hidx *x)
{
	free(x->hash);
	free(x->id1);
	memset(x, 0, sizeof(*x));
}

/* Make room for one more entry (call before probing: slots stay valid). */
static void hidx_reserve(struct hidx *x)
{
	if (2 * (x->count + 1) <= x->size)
		return;
	size_t nsize = x->size ? x->size * 2 : 1024;
	uint64_t *nh = cprof_xcalloc(nsize, sizeof(*nh));
	uint32_t *ni = cprof_xcalloc(nsize, sizeof(*ni));
	for (size_t i = 0; i < x->size; i++) {
		if (!x->id1[i])
			continue;
		size_t j = x->hash[i] & (nsize - 1);
		while (ni[j])
			j = (j + 1) & (nsize - 1);
		nh[j] = x->hash[i];
		ni[j] = x->id1[i];
	}
	free(x->hash);
	free(x->id1);
	x->hash = nh;
	x->id1 = ni;
	x->size = nsize;
}

static inline void hidx_put(struct hidx *x, size_t slot, uint64_t h, size_t id)
{
	x->hash[slot] = h;
	x->id1[slot] = (uint32_t)id + 1;
	x->count++;
}

/* ---- the table of live objects ------------------------------------------ */

/* 16 bytes per live object; addr 0 marks an empty slot (0 is never allocated). */
struct live {
	uint64_t addr;
	uint32_t bucket;
	uint32_t gc;   /* GCs seen when it was allocated */
};

/* ---- the parser's state ---------------------------------------------------- */

enum pstate {
	S_OUT,   /* between records */
	S_HEAD,  /* after a record line: its goroutine header comes next */
	S_STACK, /* in a traceback */
	S_GC,    /* in a tracegc record, up to "end tracegc" */
};

enum rkind { R_ALLOC, R_FREE };

struct cprof_aft_state {
	struct hidx frames, stacks, types, buckets;
	struct live *live;
	size_t live_size, live_count;
	unsigned live_shift;
	enum pstate state;
	/* the open record */
	enum rkind kind;
	uint64_t addr, size;
	uint32_t type;
	size_t prefix;        /* where the record line began in its line */
	size_t strip;         /* prefix width taken off the record's lines */
	uint64_t depth;       /* frame lines so far */
	unsigned head_stray;  /* lines between the record line and its header */
	bool have_fn;         /* fn holds a frame still waiting for its file line */
	bool fn_dots;         /* ... printed with "(...)" arguments */
	bool creator;         /* the next file line is the creator's */
	bool elided;
	bool has_carry;       /* carry holds the start of a line cut by a gctrace line */
	bool joining;         /* the line being read is carry + the next line */
	char *carry, *join;
	size_t carry_len, carry_alloc, join_alloc;
	char *fn;
	size_t fn_len, fn_alloc;
	uint32_t *fr;         /* frame ids of the open allocation, leaf first */
	size_t nfr, afr;
	const char *empty;
};

/* ---- small text helpers ----------------------------------------------------- */

static inline bool starts(const char *s, size_t n, const char *lit, size_t k)
{
	return n >= k && memcmp(s, lit, k) == 0;
}
#define STARTS(s, n, lit) starts((s), (n), (lit), sizeof(lit) - 1)

static inline size_t rtrim(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n;
}

static inline int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static inline uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/*
 * "0x" HEX at *p: the value, and *wide when it has more than 16
 * significant digits (then the value is meaningless). The digits are
 * [digits, digits + ndigits) for messages.
 */
static bool scan_hex(const char **p, const char *e, uint64_t *v, bool *wide, const char **digits, size_t *ndigits)
{
	const char *q = *p;
	if (e - q < 3 || q[0] != '0' || q[1] != 'x' || hexval(q[2]) < 0)
		return false;
	q += 2;
	*digits = q;
	uint64_t x = 0;
	unsigned sig = 0;
	*wide = false;
	for (; q < e && hexval(*q) >= 0; q++) {
		if (x == 0 && *q == '0')
			continue;
		if (++sig > 16)
			*wide = true;
		x = (x << 4) | (uint64_t)hexval(*q);
	}
	*ndigits = (size_t)(q - *digits);
	*v = x;
	*p = q;
	return true;
}

/* What a record line holds. */
enum hdr {
	H_NONE,  /* not a record line */
	H_ALLOC,
	H_FREE,
	H_GC,
	H_BAD,   /* began like one ("tracealloc(") but did not parse */
};

struct hdrval {
	uint64_t addr, size;
	const char *type;
	size_t type_len;
	const char *what;     /* non-NULL: a shape the runtime never prints (a hard error) */
	const char *digits;   /* ... and the number it is about */
	size_t ndigits;
};

/*
 * The record line starting at p, which ends at e (trailing blanks
 * removed). Pure: no state, no errors set (v->what says what is wrong).
 */
static enum hdr scan_header(const char *p, const char *e, struct hdrval *v)
{
	size_t n = (size_t)(e - p);
	enum hdr kind;
	v->what = NULL;
	v->type = NULL;
	v->type_len = 0;
	if (STARTS(p, n, "tracealloc(")) {
		kind = H_ALLOC;
		p += 11;
	} else if (STARTS(p, n, "tracefree(")) {
		kind = H_FREE;
		p += 10;
	} else if (STARTS(p, n, "tracegc(")) {
		return n == 9 && p[8] == ')' ? H_GC : H_BAD;
	} else {
		return H_NONE;
	}
	bool aw, sw;
	const char *ad, *sd;
	size_t an, sn;
	if (!scan_hex(&p, e, &v->addr, &aw, &ad, &an))
		return H_BAD;
	if (e - p < 2 || p[0] != ',' || p[1] != ' ')
		return H_BAD;
	p += 2;
	if (!scan_hex(&p, e, &v->size, &sw, &sd, &sn))
		return H_BAD;
	if (e - p == 1 && *p == ')') {
		/* no type */
	} else if (kind == H_ALLOC && e - p > 3 && p[0] == ',' && p[1] == ' ' && e[-1] == ')') {
		v->type = p + 2;
		v->type_len = (size_t)(e - 1 - v->type);
	} else {
		return H_BAD;
	}
	if (aw || v->addr == 0) {
		v->what = "an impossible address";
		v->digits = ad;
		v->ndigits = an;
	} else if (sw || v->size == 0 || v->size > CPROF_AFT_MAX_SIZE) {
		v->what = "an impossible size";
		v->digits = sd;
		v->ndigits = sn;
	}
	return kind;
}

/* "goroutine N [...]:" (any key=value words between), at s. */
static bool is_goroutine_header(const char *s, size_t n)
{
	if (!STARTS(s, n, "goroutine ") || n < 14 || s[10] < '0' || s[10] > '9')
		return false;
	return s[n - 2] == ']' && s[n - 1] == ':' && memchr(s + 10, '[', n - 12) != NULL;
}

/*
 * FUNC "(" ARGS ")": ARGS are what the runtime prints for arguments (hex
 * words, "{...}" aggregates, "...", a "?" after a value it is not sure
 * of), which keeps program output out. Sets the function's length and
 * whether the arguments were "..." (an inlined call).
 */
static bool is_frame(const char *s, size_t n, size_t *fn_len, bool *dots)
{
	if (n < 3 || s[n - 1] != ')')
		return false;
	const char *open = memrchr(s, '(', n - 1);
	if (!open || open == s)
		return false;
	for (const char *q = open + 1; q < s + n - 1; q++) {
		char c = *q;
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == 'x' || c == ',' || c == ' ' ||
		      c == '{' || c == '}' || c == '.' || c == '?'))
			return false;
	}
	*fn_len = (size_t)(open - s);
	*dots = s + n - open == 5 && memcmp(open, "(...)", 5) == 0;
	return true;
}

static bool is_elided(const char *s, size_t n)
{
	if (n == 30 && STARTS(s, n, "...additional frames elided..."))
		return true;
	/* Go 1.21+: "...N frames elided..." */
	if (!STARTS(s, n, "...") || n < 21 || memcmp(s + n - 17, " frames elided...", 17) != 0)
		return false;
	for (size_t i = 3; i < n - 17; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n - 17 > 3;
}

/* ---- errors ------------------------------------------------------------------ */

static int fail(struct cprof_aftlog *log, enum cprof_errcode code, const char *what, const char *digits,
		size_t ndigits)
{
	if (log->failed)
		return -1;
	log->failed = true;
	if (digits) {
		int k = ndigits > 40 ? 40 : (int)ndigits;
		cprof_error_set(&log->err, code, "line %llu: %s 0x%.*s%s", (unsigned long long)log->file_line, what,
				k, digits, ndigits > 40 ? "..." : "");
	} else {
		cprof_error_set(&log->err, code, "line %llu: %s", (unsigned long long)log->file_line, what);
	}
	return -1;
}

/* ---- interning ----------------------------------------------------------------- */

static int check_count(struct cprof_aftlog *log, size_t n, const char *what)
{
	if (n < UINT32_MAX - 1)
		return 0;
	char msg[96];
	snprintf(msg, sizeof(msg), "more than %u distinct %s", UINT32_MAX - 2, what);
	return fail(log, CPROF_E_LIMIT, msg, NULL, 0);
}

static int name_check(struct cprof_aftlog *log, size_t n, const char *what)
{
	if (n <= CPROF_AFT_MAX_NAME)
		return 0;
	char msg[96];
	snprintf(msg, sizeof(msg), "%s of %zu bytes (at most %u)", what, n, CPROF_AFT_MAX_NAME);
	return fail(log, CPROF_E_CORRUPT, msg, NULL, 0);
}

/* The id of a type string; 0 for "". -1 on error. */
static int64_t intern_type(struct cprof_aftlog *log, const char *s, size_t n)
{
	struct cprof_aft_state *st = log->st;
	if (n == 0)
		return 0;
	if (name_check(log, n, "a type name"))
		return -1;
	uint64_t h = hash_bytes(s, n, 3);
	hidx_reserve(&st->types);
	size_t j = (size_t)h & (st->types.size - 1);
	for (; st->types.id1[j]; j = (j + 1) & (st->types.size - 1)) {
		uint32_t id = st->types.id1[j] - 1;
		if (st->types.hash[j] == h && strlen(log->type[id]) == n && !memcmp(log->type[id], s, n))
			return id;
	}
	if (check_count(log, log->ntype, "types"))
		return -1;
	ALLOC_GROW(log->type, log->ntype + 1, log->atype);
	log->type[log->ntype] = cprof_strtab_intern(&log->strs, s, n);
	hidx_put(&st->types, j, h, log->ntype);
	return (int64_t)log->ntype++;
}

/* The id of the frame (fn, file, line, inlined); -1 on error. */
static int64_t intern_frame(struct cprof_aftlog *log, const char *fn, size_t fn_len, const char *file,
			    size_t file_len, int64_t line, bool inlined)
{
	struct cprof_aft_state *st = log->st;
	uint64_t h = hash_bytes(fn, fn_len, 1) ^ (hash_bytes(file, file_len, 2) * 3) ^
		     mix64((uint64_t)line * 2 + inlined);
	hidx_reserve(&st->frames);
	size_t j = (size_t)h & (st->frames.size - 1);
	for (; st->frames.id1[j]; j = (j + 1) & (st->frames.size - 1)) {
		if (st->frames.hash[j] != h)
			continue;
		const struct cprof_aft_frame *f = &log->frame[st->frames.id1[j] - 1];
		if (f->line == line && f->inlined == inlined && f->fn_len == fn_len && f->file_len == file_len &&
		    !memcmp(f->fn, fn, fn_len) && !memcmp(f->file, file, file_len))
			return st->frames.id1[j] - 1;
	}
	if (name_check(log, fn_len, "a function name") || name_check(log, file_len, "a file name") ||
	    check_count(log, log->nframe, "frames"))
		return -1;
	ALLOC_GROW(log->frame, log->nframe + 1, log->aframe);
	struct cprof_aft_frame *f = &log->frame[log->nframe];
	f->fn = cprof_strtab_intern(&log->strs, fn, fn_len);
	f->file = file_len ? cprof_strtab_intern(&log->strs, file, file_len) : st->empty;
	f->fn_len = (uint32_t)fn_len;
	f->file_len = (uint32_t)file_len;
	f->line = line;
	f->inlined = inlined;
	f->runtime = STARTS(fn, fn_len, "runtime.");
	hidx_put(&st->frames, j, h, log->nframe);
	return (int64_t)log->nframe++;
}

static bool frame_matches(const struct cprof_aftlog *log, const uint32_t *fr, size_t n, const struct cprof_regex *re)
{
	for (size_t i = 0; i < n; i++)
		if (cprof_regex_match(re, log->frame[fr[i]].fn))
			return true;
	return false;
}

/*
 * The allocation site: the first frame outside package runtime. When every
 * frame is the runtime's, the runtime allocated for itself: skip the
 * switch to the system stack (a goroutine's traceback seen from g0 ends
 * there), then runtime.mallocgc and the allocation entry point that called
 * it (newobject, makeslice, growslice, ...): mallocgc <- newobject <- malg
 * gives runtime.malg.
 */
static bool is_fn(const struct cprof_aft_frame *f, const char *name)
{
	return f->fn_len == strlen(name) && !memcmp(f->fn, name, f->fn_len);
}

static uint32_t find_site(const struct cprof_aftlog *log, const uint32_t *fr, size_t n)
{
	if (n == 0)
		return CPROF_NONE;
	for (size_t i = 0; i < n; i++)
		if (!log->frame[fr[i]].runtime)
			return fr[i];
	size_t i = 0;
	while (i + 1 < n && (is_fn(&log->frame[fr[i]], "runtime.systemstack_switch") ||
			     is_fn(&log->frame[fr[i]], "runtime.systemstack")))
		i++;
	if (is_fn(&log->frame[fr[i]], "runtime.mallocgc"))
		i = i + 2 < n ? i + 2 : n - 1;
	return fr[i];
}

static int64_t intern_stack(struct cprof_aftlog *log, const uint32_t *fr, size_t n)
{
	struct cprof_aft_state *st = log->st;
	uint64_t h = 0x51ed27;
	for (size_t i = 0; i < n; i++)
		h = mix64(h ^ fr[i]) + i;
	hidx_reserve(&st->stacks);
	size_t j = (size_t)h & (st->stacks.size - 1);
	for (; st->stacks.id1[j]; j = (j + 1) & (st->stacks.size - 1)) {
		if (st->stacks.hash[j] != h)
			continue;
		const struct cprof_aft_stack *s = &log->stack[st->stacks.id1[j] - 1];
		if (s->n == n && !memcmp(log->stack_frame + s->first, fr, n * sizeof(*fr)))
			return st->stacks.id1[j] - 1;
	}
	if (check_count(log, log->nstack, "stacks") || check_count(log, log->nstack_frame + n, "stack frames"))
		return -1;
	ALLOC_GROW(log->stack_frame, log->nstack_frame + n, log->astack_frame);
	memcpy(log->stack_frame + log->nstack_frame, fr, n * sizeof(*fr));
	ALLOC_GROW(log->stack, log->nstack + 1, log->astack);
	struct cprof_aft_stack *s = &log->stack[log->nstack];
	s->first = (uint32_t)log->nstack_frame;
	s->n = (uint32_t)n;
	s->site = find_site(log, fr, n);
	s->kept = true;
	if (log->opts.focus && !frame_matches(log, fr, n, log->opts.focus))
		s->kept = false;
	if (log->opts.ignore && frame_matches(log, fr, n, log->opts.ignore))
		s->kept = false;
	log->nstack_frame += n;
	hidx_put(&st->stacks, j, h, log->nstack);
	return (int64_t)log->nstack++;
}

static int64_t intern_bucket(struct cprof_aftlog *log, uint32_t stack, uint32_t type, uint64_t size)
{
	struct cprof_aft_state *st = log->st;
	uint64_t h = mix64(mix64(((uint64_t)stack << 32) | type) ^ size);
	hidx_reserve(&st->buckets);
	size_t j = (size_t)h & (st->buckets.size - 1);
	for (; st->buckets.id1[j]; j = (j + 1) & (st->buckets.size - 1)) {
		if (st->buckets.hash[j] != h)
			continue;
		const struct cprof_aft_bucket *b = &log->bucket[st->buckets.id1[j] - 1];
		if (b->stack == stack && b->type == type && b->size == size)
			return st->buckets.id1[j] - 1;
	}
	if (check_count(log, log->nbucket, "buckets"))
		return -1;
	ALLOC_GROW(log->bucket, log->nbucket + 1, log->abucket);
	struct cprof_aft_bucket *b = &log->bucket[log->nbucket];
	memset(b, 0, sizeof(*b));
	b->stack = stack;
	b->type = type;
	b->size = size;
	hidx_put(&st->buckets, j, h, log->nbucket);
	return (int64_t)log->nbucket++;
}

/* ---- live objects ----------------------------------------------------------------- */

static inline size_t live_home(const struct cprof_aft_state *st, uint64_t addr)
{
	return (size_t)((addr * 0x9e3779b97f4a7c15ULL) >> st->live_shift);
}

static void live_grow(struct cprof_aft_state *st)
{
	size_t osize = st->live_size, nsize = osize ? osize * 2 : 4096;
	struct live *old = st->live;
	st->live = cprof_xcalloc(nsize, sizeof(*st->live));
	st->live_size = nsize;
	unsigned bits = 0;
	while (((size_t)1 << bits) < nsize)
		bits++;
	st->live_shift = 64 - bits;
	for (size_t i = 0; i < osize; i++) {
		if (!old[i].addr)
			continue;
		size_t j = live_home(st, old[i].addr);
		while (st->live[j].addr)
			j = (j + 1) & (nsize - 1);
		st->live[j] = old[i];
	}
	free(old);
}

/* The slot of addr, or of the empty slot where it would go. */
static inline size_t live_find(const struct cprof_aft_state *st, uint64_t addr)
{
	size_t mask = st->live_size - 1, j = live_home(st, addr);
	while (st->live[j].addr && st->live[j].addr != addr)
		j = (j + 1) & mask;
	return j;
}

/* Empty slot j, moving later entries of the run back (no tombstones). */
static void live_delete(struct cprof_aft_state *st, size_t j)
{
	size_t mask = st->live_size - 1, i = j;
	for (;;) {
		j = (j + 1) & mask;
		if (!st->live[j].addr)
			break;
		size_t k = live_home(st, st->live[j].addr);
		/* the entry at j may stay when its home lies cyclically in (i, j] */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		st->live[i] = st->live[j];
		i = j;
	}
	st->live[i].addr = 0;
	st->live_count--;
}

/* ---- records ------------------------------------------------------------------------ */

static unsigned life_bin(uint64_t life)
{
	unsigned b = 0;
	uint64_t hi = 1;
	while (b + 1 < CPROF_AFT_LIFE_BINS && life > hi) {
		hi *= 2;
		b++;
	}
	return b;
}

/* One object leaves bucket b (freed, or its address reused). */
static void drop_live(struct cprof_aftlog *log, struct cprof_aft_bucket *b)
{
	b->live--;
	if (log->stack[b->stack].kept) {
		log->live_objects--;
		log->live_bytes -= b->size;
	}
}

static int end_alloc(struct cprof_aftlog *log)
{
	struct cprof_aft_state *st = log->st;
	int64_t stack = intern_stack(log, st->fr, st->nfr);
	if (stack < 0)
		return -1;
	int64_t bi = intern_bucket(log, (uint32_t)stack, st->type, st->size);
	if (bi < 0)
		return -1;
	struct cprof_aft_bucket *b = &log->bucket[bi];
	b->allocs++;
	b->live++;
	log->allocs++;
	log->alloc_bytes = sat_add(log->alloc_bytes, st->size);
	if (log->stack[stack].kept) {
		log->live_objects++;
		log->live_bytes += st->size;
		if (log->live_bytes > log->peak_live_bytes)
			log->peak_live_bytes = log->live_bytes;
	}
	if (2 * (st->live_count + 1) > st->live_size)
		live_grow(st);
	size_t j = live_find(st, st->addr);
	if (st->live[j].addr) {
		/* allocated again without a free: the old object is gone */
		struct cprof_aft_bucket *ob = &log->bucket[st->live[j].bucket];
		ob->lost++;
		drop_live(log, ob);
		log->lost++;
		log->lost_bytes = sat_add(log->lost_bytes, ob->size);
	} else {
		st->live_count++;
	}
	st->live[j].addr = st->addr;
	st->live[j].bucket = (uint32_t)bi;
	st->live[j].gc = log->gcs > UINT32_MAX ? UINT32_MAX : (uint32_t)log->gcs;
	return 0;
}

static void end_free(struct cprof_aftlog *log)
{
	struct cprof_aft_state *st = log->st;
	size_t j = st->live_size ? live_find(st, st->addr) : 0;
	if (!st->live_size || !st->live[j].addr) {
		log->unknown_frees++;
		log->unknown_free_bytes = sat_add(log->unknown_free_bytes, st->size);
		return;
	}
	struct cprof_aft_bucket *b = &log->bucket[st->live[j].bucket];
	uint64_t gcs = log->gcs > UINT32_MAX ? UINT32_MAX : log->gcs;
	uint64_t life = gcs - st->live[j].gc;
	if (life == 0)
		life = 1;
	live_delete(st, j);
	b->frees++;
	b->life_sum = sat_add(b->life_sum, life);
	if (life > b->max_life)
		b->max_life = (uint32_t)life;
	if (life == 1)
		b->short_lived++;
	drop_live(log, b);
	log->frees++;
	log->free_bytes = sat_add(log->free_bytes, b->size);
	if (log->stack[b->stack].kept) {
		unsigned k = life_bin(life);
		log->life[k]++;
		log->life_bytes[k] = sat_add(log->life_bytes[k], b->size);
	}
}

/* Close the frame waiting for its file line (it has none). */
static int close_frame(struct cprof_aftlog *log, const char *file, size_t file_len, int64_t line, bool pc)
{
	struct cprof_aft_state *st = log->st;
	if (!st->have_fn)
		return 0;
	st->have_fn = false;
	if (st->kind != R_ALLOC)
		return 0;
	int64_t id = intern_frame(log, st->fn, st->fn_len, file, file_len, line, st->fn_dots && !pc);
	if (id < 0)
		return -1;
	ALLOC_GROW(st->fr, st->nfr + 1, st->afr);
	st->fr[st->nfr++] = (uint32_t)id;
	return 0;
}

/* The open record is complete. */
static int end_record(struct cprof_aftlog *log)
{
	struct cprof_aft_state *st = log->st;
	enum pstate was = st->state;
	st->state = S_OUT;
	if (was == S_GC || was == S_OUT)
		return 0;
	if (close_frame(log, "", 0, 0, false))
		return -1;
	if (st->elided)
		log->elided++;
	if (st->kind == R_ALLOC)
		return end_alloc(log);
	end_free(log);
	return 0;
}

/* Open a record of the line at offset off (v from scan_header). */
static int begin_record(struct cprof_aftlog *log, enum hdr h, const struct hdrval *v, size_t off)
{
	struct cprof_aft_state *st = log->st;
	if (v->what) {
		char msg[96];
		snprintf(msg, sizeof(msg), "%s with %s", h == H_ALLOC ? "tracealloc" : "tracefree", v->what);
		return fail(log, CPROF_E_CORRUPT, msg, v->digits, v->ndigits);
	}
	log->records++;
	if (h == H_GC) {
		log->gcs++;
		st->state = S_GC;
		return 0;
	}
	st->state = S_HEAD;
	st->kind = h == H_ALLOC ? R_ALLOC : R_FREE;
	st->addr = v->addr;
	st->size = v->size;
	st->type = 0;
	if (v->type) {
		int64_t t = intern_type(log, v->type, v->type_len);
		if (t < 0)
			return -1;
		st->type = (uint32_t)t;
	}
	st->prefix = off;
	st->strip = 0;
	st->depth = 0;
	st->head_stray = 0;
	st->have_fn = st->fn_dots = st->creator = st->elided = false;
	st->nfr = 0;
	return 0;
}

/*
 * Look for a record line anywhere in line[0..n). Returns what it found
 * (H_BAD when only something malformed) with *off its offset.
 */
static enum hdr find_header(const char *line, size_t n, struct hdrval *v, size_t *off)
{
	enum hdr found = H_NONE;
	const char *p = line, *e = line + n;
	while (p < e) {
		const char *t = memmem(p, (size_t)(e - p), "trace", 5);
		if (!t)
			break;
		enum hdr h = scan_header(t, e, v);
		if (h != H_NONE && h != H_BAD) {
			*off = (size_t)(t - line);
			return h;
		}
		if (h == H_BAD)
			found = H_BAD;
		p = t + 5;
	}
	return found;
}

/* A line that holds a new record ends the open one and begins that one. */
static int restart(struct cprof_aftlog *log, enum hdr h, const struct hdrval *v, size_t off)
{
	if (end_record(log))
		return -1;
	return begin_record(log, h, v, off);
}

/* The longest start of a runtime line kept to join with its rest. */
#define GLUE_MAX 4096

/* Whether a gctrace line ("gc 12 @3.4s ...") starts at p. */
static bool gctrace_at(const char *p, const char *e)
{
	if (e - p < 6 || p[0] != 'g' || p[1] != 'c' || p[2] != ' ' || p[3] < '0' || p[3] > '9')
		return false;
	p += 3;
	while (p < e && *p >= '0' && *p <= '9')
		p++;
	return e - p >= 3 && p[0] == ' ' && p[1] == '@' && p[2] >= '0' && p[2] <= '9';
}

/* The offset of the first gctrace line in s[0..n), or n. */
static size_t find_gctrace(const char *s, size_t n)
{
	const char *p = s, *e = s + n;
	while ((p = memmem(p, (size_t)(e - p), "gc ", 3)) != NULL) {
		if (gctrace_at(p, e))
			return (size_t)(p - s);
		p++;
	}
	return n;
}

/*
 * A gctrace line that another thread printed into the middle of one of
 * the runtime's lines: the runtime prints a traceback line in several
 * print calls and the GC's line (a whole line, under the print lock) can
 * come between two of them, so
 *
 *   \truntime/proc.go:250gc 2 @0.184s 0%: ... 2 P (forced)
 *    +0x212 fp=0xc0000a3fe0 sp=0xc0000a3f80 pc=0x435c32
 *
 * Keep the part before it; the next line is the rest of the runtime's
 * line (maybe empty) and is joined to it.
 */
static int glue(struct cprof_aftlog *log, const char *line, size_t k)
{
	struct cprof_aft_state *st = log->st;
	log->gctrace_lines++;
	log->foreign++;
	/*
	 * A runtime line is short; and a joined line is not cut again, or a
	 * run of such lines would grow the carry without end.
	 */
	if (st->joining || k > GLUE_MAX)
		return 0;
	if (k + 1 > st->carry_alloc) {
		st->carry_alloc = k + 256;
		st->carry = cprof_xrealloc(st->carry, st->carry_alloc);
	}
	memcpy(st->carry, line, k);
	st->carry_len = k;
	st->has_carry = true;
	return 0;
}

/* A whole gctrace line between two lines of a record: the GC's own output, not the record's. */
static int gc_line(struct cprof_aftlog *log)
{
	log->gctrace_lines++;
	log->foreign++;
	return 0;
}

static int line_out(struct cprof_aftlog *log, const char *line, size_t n)
{
	struct hdrval v;
	size_t off;
	if (n == 0)
		return 0;
	enum hdr h = find_header(line, n, &v, &off);
	if (h != H_NONE && h != H_BAD)
		return begin_record(log, h, &v, off);
	size_t k = find_gctrace(line, n);
	if (k && k < n && h == H_BAD)
		return glue(log, line, k);
	if (h == H_BAD)
		log->malformed++;
	log->foreign++;
	if (k < n)
		log->gctrace_lines++;
	return 0;
}

static int line_head(struct cprof_aftlog *log, const char *line, size_t n)
{
	struct cprof_aft_state *st = log->st;
	if (n == 0)
		return end_record(log);
	if (is_goroutine_header(line, n)) {
		st->strip = 0;
		st->state = S_STACK;
		return 0;
	}
	if (st->prefix && n > st->prefix && is_goroutine_header(line + st->prefix, n - st->prefix)) {
		st->strip = st->prefix;
		st->state = S_STACK;
		return 0;
	}
	struct hdrval v;
	size_t off;
	enum hdr h = find_header(line, n, &v, &off);
	if (h != H_NONE && h != H_BAD)
		return restart(log, h, &v, off);
	size_t k = find_gctrace(line, n);
	if (k < n)
		return k ? glue(log, line, k) : gc_line(log);
	if (h == H_BAD)
		log->malformed++;
	log->stray++;
	/* a record line with no traceback after it: give up on it */
	if (++st->head_stray > 8)
		return end_record(log);
	return 0;
}

/*
 * TAB FILE ":" LINE [" +0x" HEX] [" fp=0x.. sp=0x.. pc=0x.."]: FILE ends at
 * the first ':' followed by a digit (a path may hold blanks, and "C:/...").
 */
static int file_line(struct cprof_aftlog *log, const char *line, const char *s, size_t n)
{
	struct cprof_aft_state *st = log->st;
	while (n && (*s == '\t' || *s == ' '))
		s++, n--;
	const char *e = s + n, *colon = s;
	while ((colon = memchr(colon, ':', (size_t)(e - colon))) != NULL) {
		if (colon + 1 < e && colon[1] >= '0' && colon[1] <= '9')
			break;
		colon++;
	}
	int64_t lineno = 0;
	const char *fe = e, *tail = e;
	if (colon) {
		const char *d = colon + 1;
		while (d < e && *d >= '0' && *d <= '9') {
			if (lineno < (INT64_MAX - 9) / 10)
				lineno = lineno * 10 + (*d - '0');
			d++;
		}
		fe = colon;
		tail = d;
	}
	const char *g = memchr(tail, 'g', (size_t)(e - tail));
	if (g && gctrace_at(g, e))
		return glue(log, line, (size_t)(g - line));
	if (st->creator) {
		st->creator = false;
		return 0;
	}
	if (!st->have_fn) {
		log->stray++;
		return 0;
	}
	if (st->kind != R_ALLOC) {
		st->have_fn = false;
		return 0;
	}
	bool pc = e - tail >= 4 && memcmp(tail, " +0x", 4) == 0;
	return close_frame(log, s, (size_t)(fe - s), lineno, pc);
}

static int line_stack(struct cprof_aftlog *log, const char *line, size_t n)
{
	struct cprof_aft_state *st = log->st;
	const char *s = line;
	if (st->strip) {
		if (n <= st->strip)
			n = 0;
		else
			s += st->strip, n -= st->strip;
	}
	if (n == 0)
		return end_record(log);
	struct hdrval v;
	size_t off;
	char c = s[0];
	if (c == '\t' || c == ' ')
		return file_line(log, line, s, n);
	if (c == 't' && STARTS(s, n, "trace")) {
		enum hdr h = scan_header(s, s + n, &v);
		if (h != H_NONE && h != H_BAD)
			return restart(log, h, &v, (size_t)(s - line));
	}
	if (s[n - 1] == ')') {
		size_t fn_len;
		bool dots;
		if (is_frame(s, n, &fn_len, &dots)) {
			if (close_frame(log, "", 0, 0, false))
				return -1;
			if (++st->depth > cprof_limits.max_depth) {
				char msg[96];
				snprintf(msg, sizeof(msg), "a traceback of more than %u frames (-max_depth)",
					 cprof_limits.max_depth);
				return fail(log, CPROF_E_LIMIT, msg, NULL, 0);
			}
			st->creator = false;
			st->have_fn = true;
			if (st->kind == R_ALLOC) {
				if (name_check(log, fn_len, "a function name"))
					return -1;
				if (fn_len + 1 > st->fn_alloc) {
					st->fn_alloc = fn_len + 64;
					st->fn = cprof_xrealloc(st->fn, st->fn_alloc);
				}
				memcpy(st->fn, s, fn_len);
				st->fn_len = fn_len;
				st->fn_dots = dots;
			}
			return 0;
		}
	} else if (STARTS(s, n, "created by ")) {
		if (close_frame(log, "", 0, 0, false))
			return -1;
		st->creator = true;
		return 0;
	} else if (s[0] == '.' && is_elided(s, n)) {
		st->elided = true;
		return close_frame(log, "", 0, 0, false);
	}
	/* not a traceback line: other output, which may hold the next record */
	size_t full = n + (size_t)(s - line);
	enum hdr h = find_header(line, full, &v, &off);
	if (h != H_NONE && h != H_BAD)
		return restart(log, h, &v, off);
	size_t k = find_gctrace(s, n);
	if (k < n)
		return k ? glue(log, line, (size_t)(s - line) + k) : gc_line(log);
	if (h == H_BAD)
		log->malformed++;
	log->stray++;
	return 0;
}

static int line_gc(struct cprof_aftlog *log, const char *line, size_t n)
{
	const char *p = line, *e = line + n;
	while (p < e) {
		const char *t = memmem(p, (size_t)(e - p), "trace", 5);
		if (!t)
			return 0;
		if (t - line >= 4 && memcmp(t - 4, "end ", 4) == 0 && e - t == 7 && memcmp(t, "tracegc", 7) == 0) {
			log->st->state = S_OUT;
			return 0;
		}
		struct hdrval v;
		enum hdr h = scan_header(t, e, &v);
		if (h != H_NONE && h != H_BAD)
			return restart(log, h, &v, (size_t)(t - line));
		p = t + 5;
	}
	return 0;
}

/* ---- the public entry points ----------------------------------------------------------- */

void cprof_aftlog_init(struct cprof_aftlog *log, const struct cprof_aft_opts *opts)
{
	memset(log, 0, sizeof(*log));
	cprof_arena_init(&log->arena);
	cprof_strtab_init(&log->strs, &log->arena);
	if (opts)
		log->opts = *opts;
	log->st = cprof_xcalloc(1, sizeof(*log->st));
	log->st->empty = cprof_strtab_intern(&log->strs, "", 0);
	ALLOC_GROW(log->type, 1, log->atype);
	log->type[0] = log->st->empty;
	log->ntype = 1;
	/* never NULL, so that an empty stack (a record without frames) is a valid array */
	ALLOC_GROW(log->stack_frame, 1, log->astack_frame);
	ALLOC_GROW(log->st->fr, 1, log->st->afr);
}

void cprof_aftlog_release(struct cprof_aftlog *log)
{
	struct cprof_aft_state *st = log->st;
	if (st) {
		hidx_release(&st->frames);
		hidx_release(&st->stacks);
		hidx_release(&st->types);
		hidx_release(&st->buckets);
		free(st->live);
		free(st->fn);
		free(st->fr);
		free(st->carry);
		free(st->join);
		free(st);
	}
	free(log->frame);
	free(log->stack_frame);
	free(log->stack);
	free(log->type);
	free(log->bucket);
	cprof_strtab_release(&log->strs);
	cprof_arena_release(&log->arena);
	memset(log, 0, sizeof(*log));
}

static int dispatch(struct cprof_aftlog *log, const char *line, size_t len)
{
	len = rtrim(line, len);
	switch (log->st->state) {
	case S_OUT:
		return line_out(log, line, len);
	case S_HEAD:
		return line_head(log, line, len);
	case S_STACK:
		return line_stack(log, line, len);
	case S_GC:
		return line_gc(log, line, len);
	}
	return 0;
}

int cprof_aftlog_add_line(struct cprof_aftlog *log, const char *line, size_t len)
{
	struct cprof_aft_state *st = log->st;
	if (log->failed)
		return -1;
	if (log->finished)
		return 0;
	log->lines++;
	log->file_line++;
	if (!st->has_carry)
		return dispatch(log, line, len);
	/* the rest of a line a gctrace line was printed into (see glue()) */
	st->has_carry = false;
	size_t n = st->carry_len + len;
	if (n > CPROF_LOG_MAX_LINE)
		n = CPROF_LOG_MAX_LINE;
	if (n + 1 > st->join_alloc) {
		st->join_alloc = n + 256;
		st->join = cprof_xrealloc(st->join, st->join_alloc);
	}
	memcpy(st->join, st->carry, st->carry_len);
	memcpy(st->join + st->carry_len, line, n - st->carry_len);
	st->joining = true;
	int rc = dispatch(log, st->join, n);
	st->joining = false;
	return rc;
}

void cprof_aftlog_line_fn(void *ctx, const char *line, size_t len)
{
	(void)cprof_aftlog_add_line(ctx, line, len);
}

void cprof_aftlog_next_file(struct cprof_aftlog *log)
{
	log->file_line = 0;
}

int cprof_aftlog_finish(struct cprof_aftlog *log)
{
	if (log->failed)
		return -1;
	if (log->finished)
		return 0;
	struct cprof_aft_state *st = log->st;
	if (st->has_carry) {
		st->has_carry = false;
		if (dispatch(log, st->carry, st->carry_len))
			return -1;
	}
	if (end_record(log))
		return -1;
	log->finished = true;
	/* what is still live: retained when it survived a complete GC */
	uint64_t gcs = log->gcs > UINT32_MAX ? UINT32_MAX : log->gcs;
	for (size_t i = 0; i < st->live_size; i++) {
		const struct live *l = &st->live[i];
		if (!l->addr || gcs - l->gc < 2)
			continue;
		struct cprof_aft_bucket *b = &log->bucket[l->bucket];
		if (b->retained++ == 0) {
			b->ret_first_gc = b->ret_last_gc = l->gc;
		} else {
			if (l->gc < b->ret_first_gc)
				b->ret_first_gc = l->gc;
			if (l->gc > b->ret_last_gc)
				b->ret_last_gc = l->gc;
		}
	}
	log->live_slots = st->live_size;
	return 0;
}

int cprof_aftlog_parse_buffer(struct cprof_aftlog *log, const char *buf, size_t len)
{
	cprof_log_split(buf, len, cprof_aftlog_line_fn, log);
	return cprof_aftlog_finish(log);
}

bool cprof_allocfreetrace_detect(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *t = memmem(p, (size_t)(end - p), "trace", 5);
		if (!t)
			return false;
		const char *ls = t;
		while (ls > text && ls[-1] != '\n')
			ls--;
		const char *le = memchr(t, '\n', (size_t)(end - t));
		if (!le)
			return false; /* a record line needs its header line after it */
		size_t n = rtrim(ls, (size_t)(le - ls - (le > ls && le[-1] == '\r')));
		struct hdrval v;
		size_t off = 0;
		enum hdr h = find_header(ls, n, &v, &off);
		if (h == H_ALLOC || h == H_FREE) {
			const char *ns = le + 1;
			const char *ne = memchr(ns, '\n', (size_t)(end - ns));
			if (!ne)
				ne = end;
			size_t m = (size_t)(ne - ns);
			if (m && ns[m - 1] == '\r')
				m--;
			m = rtrim(ns, m);
			if (is_goroutine_header(ns, m) || (off && m > off && is_goroutine_header(ns + off, m - off)))
				return true;
		}
		p = le + 1;
	}
	return false;
}

/* ---- the log as a profile ------------------------------------------------------------------ */

struct pbuild {
	struct cprof_profile *p;
	struct hidx fns, locs;
	uint32_t *fn_of_frame;      /* function index per frame, CPROF_NONE until made */
	struct cprof_line *lines;
	size_t alines;
	uint32_t *locs_of_stack;    /* scratch */
	size_t alocs;
};

static uint32_t pb_function(struct pbuild *b, const struct cprof_aftlog *log, uint32_t fi)
{
	if (b->fn_of_frame[fi] != CPROF_NONE)
		return b->fn_of_frame[fi];
	const struct cprof_aft_frame *f = &log->frame[fi];
	struct cprof_profile *p = b->p;
	const char *name = cprof_profile_strn(p, f->fn, f->fn_len);
	const char *file = cprof_profile_strn(p, f->file, f->file_len);
	uint64_t h = mix64((uint64_t)(uintptr_t)name * 31 + (uint64_t)(uintptr_t)file);
	hidx_reserve(&b->fns);
	size_t j = (size_t)h & (b->fns.size - 1);
	for (; b->fns.id1[j]; j = (j + 1) & (b->fns.size - 1)) {
		const struct cprof_function *fn = &p->function[b->fns.id1[j] - 1];
		if (b->fns.hash[j] == h && fn->name == name && fn->filename == file)
			return b->fn_of_frame[fi] = b->fns.id1[j] - 1;
	}
	struct cprof_function *fn = cprof_profile_add_function(p);
	fn->id = p->nfunction;
	fn->name = fn->system_name = name;
	fn->filename = file;
	hidx_put(&b->fns, j, h, p->nfunction - 1);
	return b->fn_of_frame[fi] = (uint32_t)(p->nfunction - 1);
}

static uint32_t pb_location(struct pbuild *b, const struct cprof_line *lines, size_t n)
{
	struct cprof_profile *p = b->p;
	uint64_t h = n;
	for (size_t i = 0; i < n; i++)
		h = mix64(h ^ ((uint64_t)lines[i].fn << 32) ^ (uint64_t)lines[i].line);
	hidx_reserve(&b->locs);
	size_t j = (size_t)h & (b->locs.size - 1);
	for (; b->locs.id1[j]; j = (j + 1) & (b->locs.size - 1)) {
		const struct cprof_location *l = &p->location[b->locs.id1[j] - 1];
		if (b->locs.hash[j] != h || l->nline != n)
			continue;
		size_t k = 0;
		while (k < n && l->line[k].fn == lines[k].fn && l->line[k].line == lines[k].line)
			k++;
		if (k == n)
			return b->locs.id1[j] - 1;
	}
	struct cprof_location *l = cprof_profile_add_location(p);
	l->id = p->nlocation;
	l->mapping = 0;
	l->line = cprof_arena_memdup(&p->arena, lines, n, sizeof(*lines));
	l->nline = (uint32_t)n;
	hidx_put(&b->locs, j, h, p->nlocation - 1);
	return (uint32_t)(p->nlocation - 1);
}

static inline int64_t sat_mul_i64(uint64_t a, uint64_t b)
{
	uint64_t r;
	if (__builtin_mul_overflow(a, b, &r) || r > (uint64_t)INT64_MAX)
		return INT64_MAX;
	return (int64_t)r;
}

static inline int64_t clamp_i64(uint64_t v)
{
	return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
}

/* pprof's drop_frames and keep_frames of Go heap profiles (profile/legacy_profile.go) */
static const char drop_frames[] =
	"calloc|cfree|malloc|free|memalign|do_memalign|(__)?posix_memalign|pvalloc|valloc|realloc|"
	"runtime\\..*";
static const char keep_frames[] = "runtime\\.panic|runtime\\.reflectcall|runtime\\.call[0-9]*";

struct cprof_profile *cprof_aftlog_to_profile(const struct cprof_aftlog *log)
{
	struct pbuild b = {0};
	struct cprof_profile *p = cprof_profile_new();
	b.p = p;
	static const struct cprof_value_type vt[] = {
		{"alloc_objects", "count"},
		{"alloc_space", "bytes"},
		{"inuse_objects", "count"},
		{"inuse_space", "bytes"},
	};
	cprof_profile_set_sample_types(p, vt, CPROF_ARRAY_SIZE(vt));
	p->period_type.type = cprof_profile_str(p, "space");
	p->period_type.unit = cprof_profile_str(p, "bytes");
	p->period = 1;
	p->drop_frames = cprof_profile_str(p, drop_frames);
	p->keep_frames = cprof_profile_str(p, keep_frames);
	struct cprof_mapping *m = cprof_profile_add_mapping(p);
	m->id = 1;
	m->has_functions = m->has_filenames = m->has_line_numbers = m->has_inline_frames = true;
	char c[160];
	snprintf(c, sizeof(c), "allocfreetrace: %llu allocations, %llu frees, %llu GCs",
		 (unsigned long long)log->allocs, (unsigned long long)log->frees, (unsigned long long)log->gcs);
	cprof_profile_add_comment(p, c);

	const char *k_type = cprof_profile_str(p, "type"), *k_bytes = cprof_profile_str(p, "bytes");
	const char *unit_none = cprof_profile_str(p, "");
	b.fn_of_frame = cprof_xmalloc(cprof_st_mult(log->nframe + 1, sizeof(uint32_t)));
	for (size_t i = 0; i < log->nframe; i++)
		b.fn_of_frame[i] = CPROF_NONE;
	uint32_t *stack_locs = cprof_xmalloc(cprof_st_mult(log->nstack + 1, sizeof(uint32_t)));
	uint32_t *stack_nloc = cprof_xmalloc(cprof_st_mult(log->nstack + 1, sizeof(uint32_t)));
	uint32_t *loc_pool = NULL;
	size_t nloc_pool = 0, aloc_pool = 0;
	uint32_t nostack_fn = CPROF_NONE;

	/* each stack's locations: frames leaf first, inlined frames joined to the next */
	for (size_t si = 0; si < log->nstack; si++) {
		const struct cprof_aft_stack *s = &log->stack[si];
		const uint32_t *fr = cprof_aft_stack_frames(log, s);
		stack_locs[si] = (uint32_t)nloc_pool;
		size_t nloc = 0;
		if (s->n == 0) {
			/* pprof drops samples without a location: keep them under a pseudo frame */
			if (nostack_fn == CPROF_NONE) {
				struct cprof_function *fn = cprof_profile_add_function(p);
				fn->id = p->nfunction;
				fn->name = fn->system_name = cprof_profile_str(p, "<no traceback>");
				nostack_fn = (uint32_t)(p->nfunction - 1);
			}
			struct cprof_line one = {nostack_fn, 0, 0};
			ALLOC_GROW(loc_pool, nloc_pool + 1, aloc_pool);
			loc_pool[nloc_pool++] = pb_location(&b, &one, 1);
			nloc = 1;
		}
		for (size_t i = 0; i < s->n;) {
			size_t k = 0;
			for (;;) {
				const struct cprof_aft_frame *f = &log->frame[fr[i]];
				ALLOC_GROW(b.lines, k + 1, b.alines);
				b.lines[k].fn = pb_function(&b, log, fr[i]);
				b.lines[k].line = f->line;
				b.lines[k].column = 0;
				k++;
				i++;
				if (!f->inlined || i == s->n)
					break;
			}
			ALLOC_GROW(loc_pool, nloc_pool + 1, aloc_pool);
			loc_pool[nloc_pool++] = pb_location(&b, b.lines, k);
			nloc++;
		}
		stack_nloc[si] = (uint32_t)nloc;
	}

	for (size_t bi = 0; bi < log->nbucket; bi++) {
		const struct cprof_aft_bucket *bk = &log->bucket[bi];
		struct cprof_sample *s = cprof_profile_add_sample(p);
		s->nloc = stack_nloc[bk->stack];
		s->loc = cprof_arena_memdup(&p->arena, loc_pool + stack_locs[bk->stack], s->nloc, sizeof(uint32_t));
		s->value = cprof_arena_alloc(&p->arena, 4 * sizeof(int64_t));
		s->value[0] = clamp_i64(bk->allocs);
		s->value[1] = sat_mul_i64(bk->allocs, bk->size);
		s->value[2] = clamp_i64(bk->live);
		s->value[3] = sat_mul_i64(bk->live, bk->size);
		struct cprof_label lab[2];
		uint32_t n = 0;
		if (bk->type) {
			lab[n].key = k_type;
			lab[n].str = cprof_profile_str(p, log->type[bk->type]);
			lab[n].num = 0;
			lab[n].num_unit = unit_none;
			n++;
		}
		lab[n].key = k_bytes;
		lab[n].str = NULL;
		lab[n].num = clamp_i64(bk->size);
		lab[n].num_unit = unit_none;
		n++;
		s->label = cprof_arena_memdup(&p->arena, lab, n, sizeof(*lab));
		s->nlabel = n;
	}
	p->own_sample_arrays = true;

	free(loc_pool);
	free(stack_locs);
	free(stack_nloc);
	free(b.fn_of_frame);
	free(b.lines);
	hidx_release(&b.fns);
	hidx_release(&b.locs);
	return p;
}

enum cprof_probe cprof_allocfreetrace_probe(const unsigned char *head, size_t len, struct cprof_error *err)
{
	(void)err;
	return memchr(head, '\0', len) ? CPROF_PROBE_NOT : CPROF_PROBE_MAYBE;
}

int cprof_allocfreetrace_parse(const unsigned char *data, size_t len, struct cprof_profile **out,
			       struct cprof_error *err)
{
	const char *text = (const char *)data;
	*out = NULL;
	if (len == 0 || memchr(data, '\0', len) || !cprof_allocfreetrace_detect(text, len))
		return cprof_error_set(err, CPROF_E_FORMAT, "parsing profile: unrecognized profile format");
	struct cprof_aftlog log;
	cprof_aftlog_init(&log, NULL);
	if (cprof_aftlog_parse_buffer(&log, text, len) < 0) {
		*err = log.err;
		cprof_error_prefix(err, "parsing profile: allocation trace");
		cprof_aftlog_release(&log);
		return -1;
	}
	*out = cprof_aftlog_to_profile(&log);
	cprof_aftlog_release(&log);
	return 0;
}
