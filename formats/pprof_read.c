/*
 * pprof_read.c - hand-written decoder for profile.proto (see profile.proto).
 *
 * The wire format, as much of it as pprof uses:
 *
 *   message := field*
 *   field   := tag payload            tag = varint (number << 3 | wire type)
 *   payload := varint                 wire type 0 (int64, uint64, bool)
 *            | 8 bytes little endian  wire type 1 (no pprof field uses it)
 *            | varint length, bytes   wire type 2 (message, string, packed)
 *            | 4 bytes little endian  wire type 5 (no pprof field uses it)
 *
 * e.g. the start of a Go CPU profile:
 *
 *   0a 04 08 01 10 02   sample_type { type: 1 ("samples") unit: 2 ("count") }
 *   12 0a 0a 03 01 02 03 12 03 01 ..   sample { location_id: [1 2 3] value: [1 ..] }
 *
 * Why not protobuf-c's unpacker: whether a byte string "is a profile" decides
 * whether cprof tries the legacy text parsers, so the decoder must accept and
 * reject exactly what pprof's own decoder (profile/proto.go, encode.go) does:
 *
 *  - wire types 0, 1, 2, 5; anything else is an error ("unknown wire type");
 *  - a known field with the wrong wire type is an error ("type mismatch");
 *    unknown field numbers are skipped whatever their wire type;
 *  - repeated scalars may be packed (wire type 2) or not, and may be split
 *    over several fields (the values are concatenated);
 *  - a varint longer than 10 bytes, or cut short, is an error;
 *  - string_table[0] must be "";
 *  - a second non-zero time_nanos is "concatenated profiles detected", an
 *    error that stops the legacy fallback;
 *  - a string index out of range is "malformed profile format" (pprof finds
 *    it after decoding, so any wire error wins over it);
 *  - a label with str != 0 is a string label, else with num != 0 or
 *    num_unit != 0 a numeric label, else it is dropped;
 *  - unknown location, mapping or function ids are not decode errors: they
 *    leave the reference empty, and the validity check rejects what must
 *    not be empty (a sample location, a line function);
 *  - with duplicate ids the last object wins (the validity check rejects
 *    duplicates anyway);
 *  - a missing period_type decodes as an empty one;
 *  - Line.column (field 3) and Profile.doc_url (field 15) are newer than Go
 *    1.19's pprof, which skips them: they are stored when they are varints
 *    and skipped otherwise, never an error.
 *
 * One deliberate difference: a top-level field numbered 0, which protobuf
 * does not have and pprof skips, makes the bytes "not a profile". So the
 * first bytes of a hostile input (a gigabyte of zeros reads as field 0
 * varints) rule profile.proto out before the rest is inflated
 * (cprof_pprof_probe below).
 *
 * The result is then checked like pprof's ParseData does (CheckValid); the
 * one check that needs the raw value count of a sample is done here, the
 * rest in cprof_profile_check_valid() (pprof_valid.c).
 *
 * Speed: a 100 MB profile must decode in well under a second. The decoder
 * makes four walks over the top-level fields, each skipping what it does not
 * decode (a skip costs two varints) and each limited to the span where its
 * kind of message lies: (1) strings, scalars, sample types and counts of the
 * repeated messages, (2) mappings and functions, (3) locations, which need
 * the function ids, (4) samples, which need the location ids.
 * The top-level arrays are allocated once at their final size; each sample
 * is walked twice (count, then fill) so its arrays come from the arena in
 * one exact allocation. Ids map to indices through a direct table for ids
 * up to the object count (the usual 1..n) and a hash table above.
 *
 * Memory: walk 4 is the last to read the sample span and reads it once,
 * front to back, while the sample arrays grow by about as much as it reads.
 * cprof_pprof_decode_consume() gives the pages it has passed back every
 * 4 MiB, so the peak holds the decoded samples and not also their encoding
 * (on a 1M-sample profile, 90 MB of the 110 MB input). Nothing reads the
 * input after walk 4: strings are interned, errors keep only offsets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cprof/formats.h"

/* ---- wire level ----------------------------------------------------------- */

enum { WT_VARINT = 0, WT_I64 = 1, WT_LEN = 2, WT_I32 = 5 };

struct field {
	uint64_t num;
	int wt;
	uint64_t u;          /* wire types 0, 1, 5 */
	const uint8_t *data; /* wire type 2 */
	size_t len;
};

struct dec {
	struct cprof_profile *p;
	const uint8_t *base; /* start of the input, for offsets in messages */
	const char *wire_err; /* first wire-level error, static text */
	int bad_wt;           /* for "unknown wire type: %d" */
	bool too_deep;        /* a sample exceeds cprof_limits.max_depth */
	bool too_long;        /* a string exceeds cprof_limits.max_string */
	size_t err_off;       /* where the error was found */
	bool malformed;       /* a string index was out of range */
	bool concat;          /* a second time_nanos */
	const char *empty;

	const char **str; /* the string table, interned */
	size_t nstr, astr;
};

/* Fail with a wire-level error at p; returns -1. */
static int wire_fail(struct dec *d, const uint8_t *at, const char *what)
{
	if (!d->wire_err) {
		d->wire_err = what;
		d->err_off = at ? (size_t)(at - d->base) : 0;
	}
	return -1;
}

/* Go's decodeVarint: at most 10 bytes; bits past 64 are dropped. */
static inline int get_varint(const uint8_t **pp, const uint8_t *end, uint64_t *out)
{
	const uint8_t *p = *pp;
	/* fast path: most tags, lengths and small values are 1 byte */
	if (p < end && *p < 0x80) {
		*out = *p;
		*pp = p + 1;
		return 0;
	}
	uint64_t v = 0;
#if defined(__GNUC__) && (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
	if (end - p >= 8) {
		/*
		 * Branch-free for varints of up to 8 bytes: the lowest byte with
		 * the top bit clear ends it; drop the continuation bits and
		 * close the 7-bit groups up. Location ids in a random order mix
		 * 2- and 3-byte varints, which made the byte loop mispredict.
		 */
		uint64_t w;
		memcpy(&w, p, 8);
		uint64_t stop = ~w & 0x8080808080808080ULL;
		if (stop) {
			unsigned bit = (unsigned)__builtin_ctzll(stop);
			w &= stop ^ (stop - 1); /* bytes up to the last one */
			w = (w & 0x7f) | (w & 0x7f00) >> 1 | (w & 0x7f0000) >> 2 | (w & 0x7f000000) >> 3 |
			    (w & 0x7f00000000ULL) >> 4 | (w & 0x7f0000000000ULL) >> 5 |
			    (w & 0x7f000000000000ULL) >> 6 | (w & 0x7f00000000000000ULL) >> 7;
			*out = w;
			*pp = p + (bit >> 3) + 1;
			return 0;
		}
	}
#endif
	/* long varints, and those near the end of the input */
	for (unsigned i = 0; i < 10; i++) {
		if (p + i >= end)
			return -1;
		v |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if (!(p[i] & 0x80)) {
			*out = v;
			*pp = p + i + 1;
			return 0;
		}
	}
	return -1;
}

static inline uint64_t le_bytes(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/*
 * Read the next field of [*pp, end). Returns 1 with f filled, 0 at the end,
 * -1 on a wire error (recorded in d).
 */
static inline int next_field(struct dec *d, const uint8_t **pp, const uint8_t *end, struct field *f)
{
	const uint8_t *p = *pp;
	uint64_t tag, n;

	if (p >= end)
		return 0;
	if (get_varint(&p, end, &tag) < 0)
		return wire_fail(d, p, "bad varint");
	f->num = tag >> 3;
	f->wt = (int)(tag & 7);
	switch (f->wt) {
	case WT_VARINT:
		if (get_varint(&p, end, &f->u) < 0)
			return wire_fail(d, p, "bad varint");
		break;
	case WT_I64:
		if (end - p < 8)
			return wire_fail(d, p, "not enough data");
		f->u = le_bytes(p, 8);
		p += 8;
		break;
	case WT_LEN:
		if (get_varint(&p, end, &n) < 0)
			return wire_fail(d, p, "bad varint");
		if (n > (uint64_t)(end - p))
			return wire_fail(d, p, "too much data");
		f->data = p;
		f->len = (size_t)n;
		p += n;
		break;
	case WT_I32:
		if (end - p < 4)
			return wire_fail(d, p, "not enough data");
		f->u = le_bytes(p, 4);
		p += 4;
		break;
	default:
		d->bad_wt = f->wt;
		return wire_fail(d, p, "unknown wire type");
	}
	*pp = p;
	return 1;
}

/* A scalar field must be a varint. */
static inline int want_varint(struct dec *d, const struct field *f)
{
	return f->wt == WT_VARINT ? 0 : wire_fail(d, NULL, "type mismatch");
}

/* A message or string field must be length-delimited. */
static inline int want_len(struct dec *d, const struct field *f)
{
	return f->wt == WT_LEN ? 0 : wire_fail(d, NULL, "type mismatch");
}

/*
 * Number of values in a repeated scalar field: a varint counts 1, a packed
 * run counts its terminating bytes (exact once the run is known valid,
 * which the fill walk checks).
 */
static inline size_t count_scalars(struct dec *d, const struct field *f, int *bad)
{
	if (f->wt == WT_VARINT)
		return 1;
	if (f->wt != WT_LEN) {
		*bad = wire_fail(d, NULL, "type mismatch");
		return 0;
	}
	/* a varint ends at each byte below 0x80: count them 8 at a time */
	const uint8_t *q = f->data;
	size_t n = 0, i = 0;
	for (; i + 8 <= f->len; i += 8) {
		uint64_t w;
		memcpy(&w, q + i, 8);
		w = (~w & 0x8080808080808080ULL) >> 7;          /* 1 per ending byte */
		n += (size_t)((w * 0x0101010101010101ULL) >> 56); /* sum of the 8 bytes */
	}
	for (; i < f->len; i++)
		n += q[i] < 0x80;
	return n;
}

/* Decode a packed run of varints into out[room]; returns the count, *bad = -1 on error. */
static size_t unpack_varints(struct dec *d, const struct field *f, uint64_t *out, size_t room, int *bad)
{
	const uint8_t *p = f->data, *end = f->data + f->len;
	size_t n = 0;
	while (p < end) {
		uint64_t v;
		if (get_varint(&p, end, &v) < 0 || n >= room) {
			*bad = wire_fail(d, p, "bad varint");
			return n;
		}
		out[n++] = v;
	}
	return n;
}

/* ---- strings -------------------------------------------------------------- */

/* pprof's getString: an index out of range is remembered, not fatal yet. */
static inline const char *get_str(struct dec *d, int64_t idx)
{
	if ((uint64_t)idx >= d->nstr) {
		d->malformed = true;
		return d->empty;
	}
	return d->str[idx];
}

/* ---- id → index tables ---------------------------------------------------- */

/*
 * Ids below ndense index dense[] directly (pprof's own trick: ids are
 * usually 1..n); larger ids go to an open-addressing hash table. Lookups of
 * absent ids give CPROF_NONE; a later put of the same id overwrites.
 */
struct idmap {
	uint32_t *dense;
	size_t ndense;
	uint64_t *key;
	uint32_t *val; /* CPROF_NONE = empty slot */
	size_t size, count;
};

static void idmap_init(struct idmap *m, size_t n)
{
	memset(m, 0, sizeof(*m));
	m->ndense = cprof_st_add(n, 1);
	m->dense = cprof_xmalloc(cprof_st_mult(m->ndense, sizeof(*m->dense)));
	memset(m->dense, 0xff, m->ndense * sizeof(*m->dense));
}

static void idmap_release(struct idmap *m)
{
	free(m->dense);
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}

static inline size_t id_hash(uint64_t id, size_t mask)
{
	return (size_t)((id * 0x9e3779b97f4a7c15ULL) >> 32) & mask;
}

static void idmap_put(struct idmap *m, uint64_t id, uint32_t idx);

static void idmap_grow(struct idmap *m)
{
	uint64_t *okey = m->key;
	uint32_t *oval = m->val;
	size_t osize = m->size;

	m->size = osize ? osize * 2 : 64;
	m->key = cprof_xmalloc(cprof_st_mult(m->size, sizeof(*m->key)));
	m->val = cprof_xmalloc(cprof_st_mult(m->size, sizeof(*m->val)));
	memset(m->val, 0xff, m->size * sizeof(*m->val));
	m->count = 0;
	for (size_t i = 0; i < osize; i++)
		if (oval[i] != CPROF_NONE)
			idmap_put(m, okey[i], oval[i]);
	free(okey);
	free(oval);
}

static void idmap_put(struct idmap *m, uint64_t id, uint32_t idx)
{
	if (id < m->ndense) {
		m->dense[id] = idx;
		return;
	}
	if ((m->count + 1) * 2 > m->size)
		idmap_grow(m);
	size_t mask = m->size - 1, j = id_hash(id, mask);
	while (m->val[j] != CPROF_NONE && m->key[j] != id)
		j = (j + 1) & mask;
	if (m->val[j] == CPROF_NONE)
		m->count++;
	m->key[j] = id;
	m->val[j] = idx;
}

static inline uint32_t idmap_get(const struct idmap *m, uint64_t id)
{
	if (id < m->ndense)
		return m->dense[id];
	if (!m->count)
		return CPROF_NONE;
	size_t mask = m->size - 1, j = id_hash(id, mask);
	while (m->val[j] != CPROF_NONE) {
		if (m->key[j] == id)
			return m->val[j];
		j = (j + 1) & mask;
	}
	return CPROF_NONE;
}

/* ---- messages ------------------------------------------------------------- */

/* ValueType { type = 1; unit = 2 } as raw string indices. */
static int decode_value_type(struct dec *d, const struct field *outer, int64_t *type, int64_t *unit)
{
	const uint8_t *p = outer->data, *end = p + outer->len;
	struct field f;
	int r;

	*type = *unit = 0;
	while ((r = next_field(d, &p, end, &f)) > 0) {
		if (f.num == 1 || f.num == 2) {
			if (want_varint(d, &f) < 0)
				return -1;
			*(f.num == 1 ? type : unit) = (int64_t)f.u;
		}
	}
	return r;
}

static int decode_mapping(struct dec *d, const struct field *outer, struct cprof_mapping *m)
{
	const uint8_t *p = outer->data, *end = p + outer->len;
	struct field f;
	int64_t file = 0, build_id = 0;
	int r;

	while ((r = next_field(d, &p, end, &f)) > 0) {
		if (f.num < 1 || f.num > 10)
			continue;
		if (want_varint(d, &f) < 0)
			return -1;
		switch (f.num) {
		case 1: m->id = f.u; break;
		case 2: m->start = f.u; break;
		case 3: m->limit = f.u; break;
		case 4: m->offset = f.u; break;
		case 5: file = (int64_t)f.u; break;
		case 6: build_id = (int64_t)f.u; break;
		case 7: m->has_functions = f.u != 0; break;
		case 8: m->has_filenames = f.u != 0; break;
		case 9: m->has_line_numbers = f.u != 0; break;
		case 10: m->has_inline_frames = f.u != 0; break;
		}
	}
	if (r < 0)
		return -1;
	m->file = get_str(d, file);
	m->build_id = get_str(d, build_id);
	return 0;
}

static int decode_function(struct dec *d, const struct field *outer, struct cprof_function *fn)
{
	const uint8_t *p = outer->data, *end = p + outer->len;
	struct field f;
	int64_t name = 0, sys = 0, file = 0;
	int r;

	while ((r = next_field(d, &p, end, &f)) > 0) {
		if (f.num < 1 || f.num > 5)
			continue;
		if (want_varint(d, &f) < 0)
			return -1;
		switch (f.num) {
		case 1: fn->id = f.u; break;
		case 2: name = (int64_t)f.u; break;
		case 3: sys = (int64_t)f.u; break;
		case 4: file = (int64_t)f.u; break;
		case 5: fn->start_line = (int64_t)f.u; break;
		}
	}
	if (r < 0)
		return -1;
	fn->name = get_str(d, name);
	fn->system_name = get_str(d, sys);
	fn->filename = get_str(d, file);
	return 0;
}

/* Line { function_id = 1; line = 2; column = 3 (newer than Go 1.19) } */
static int decode_line(struct dec *d, const struct field *outer, const struct idmap *funcs,
		       struct cprof_line *ln)
{
	const uint8_t *p = outer->data, *end = p + outer->len;
	struct field f;
	uint64_t fid = 0;
	int r;

	ln->line = ln->column = 0;
	while ((r = next_field(d, &p, end, &f)) > 0) {
		if (f.num == 1 || f.num == 2) {
			if (want_varint(d, &f) < 0)
				return -1;
			if (f.num == 1)
				fid = f.u;
			else
				ln->line = (int64_t)f.u;
		} else if (f.num == 3 && f.wt == WT_VARINT) {
			ln->column = (int64_t)f.u;
		}
	}
	/* pprof never looks up function id 0: it is "no function" */
	ln->fn = fid ? idmap_get(funcs, fid) : CPROF_NONE;
	return r;
}

static int decode_location(struct dec *d, const struct field *outer, const struct idmap *maps,
			   const struct idmap *funcs, struct cprof_location *loc)
{
	const uint8_t *p = outer->data, *end = p + outer->len;
	struct field f;
	uint64_t mid = 0;
	uint32_t nline = 0;
	int r;

	/* walk 1: scalars, and count the lines */
	while ((r = next_field(d, &p, end, &f)) > 0) {
		if (f.num < 1 || f.num > 5)
			continue;
		if (f.num == 4) {
			if (want_len(d, &f) < 0)
				return -1;
			if (nline == UINT32_MAX)
				return wire_fail(d, p, "too many lines");
			nline++;
			continue;
		}
		if (want_varint(d, &f) < 0)
			return -1;
		switch (f.num) {
		case 1: loc->id = f.u; break;
		case 2: mid = f.u; break;
		case 3: loc->address = f.u; break;
		case 5: loc->is_folded = f.u != 0; break;
		}
	}
	if (r < 0)
		return -1;
	loc->mapping = idmap_get(maps, mid);
	loc->nline = nline;
	if (!nline)
		return 0;

	/* walk 2: the lines, into one exact arena array */
	loc->line = cprof_arena_alloc(&d->p->arena, nline * sizeof(*loc->line));
	p = outer->data;
	uint32_t i = 0;
	while (next_field(d, &p, end, &f) > 0)
		if (f.num == 4 && decode_line(d, &f, funcs, &loc->line[i++]) < 0)
			return -1;
	return 0;
}

/* Label { key = 1; str = 2; num = 3; num_unit = 4 } as raw values. */
struct raw_label {
	int64_t key, str, num, unit;
};

static int decode_label(struct dec *d, const struct field *outer, struct raw_label *l)
{
	const uint8_t *p = outer->data, *end = p + outer->len;
	struct field f;
	int r;

	memset(l, 0, sizeof(*l));
	while ((r = next_field(d, &p, end, &f)) > 0) {
		if (f.num < 1 || f.num > 4)
			continue;
		if (want_varint(d, &f) < 0)
			return -1;
		switch (f.num) {
		case 1: l->key = (int64_t)f.u; break;
		case 2: l->str = (int64_t)f.u; break;
		case 3: l->num = (int64_t)f.u; break;
		case 4: l->unit = (int64_t)f.u; break;
		}
	}
	return r;
}

static inline bool label_kept(const struct raw_label *l)
{
	return l->str != 0 || l->num != 0 || l->unit != 0;
}

/* What the sample walk learns for the validity check. */
struct sample_check {
	size_t first_bad;  /* first sample with a wrong value count or an unknown location */
	size_t nvalue_bad; /* its value count, when that is what is wrong */
	bool bad_is_count;
};

/*
 * Location id → index. When the file numbers its locations 1..n in order
 * (the Go runtime and pprof both do), the index is id - 1 and the table is
 * not touched: with random stacks over 100k locations, its cache misses
 * were a third of the decoding time.
 */
static inline uint32_t loc_index(const struct idmap *locs, size_t identity_n, uint64_t id)
{
	if (identity_n)
		return id - 1 < identity_n ? (uint32_t)(id - 1) : CPROF_NONE;
	return id < locs->ndense ? locs->dense[id] : idmap_get(locs, id);
}

static int decode_sample(struct dec *d, const struct field *outer, const struct idmap *locs,
			 size_t identity_n, struct cprof_sample *s, size_t si,
			 struct sample_check *chk)
{
	const uint8_t *p = outer->data, *end = p + outer->len;
	struct field f;
	size_t nloc = 0, nval = 0, nlab = 0;
	int bad = 0, r;

	/* walk 1: count */
	while ((r = next_field(d, &p, end, &f)) > 0) {
		switch (f.num) {
		case 1: nloc += count_scalars(d, &f, &bad); break;
		case 2: nval += count_scalars(d, &f, &bad); break;
		case 3: {
			struct raw_label rl;
			if (want_len(d, &f) < 0 || decode_label(d, &f, &rl) < 0)
				return -1;
			nlab += label_kept(&rl);
			break;
		}
		}
		if (bad < 0)
			return -1;
	}
	if (r < 0)
		return -1;
	if (nloc > cprof_limits.max_depth) {
		d->too_deep = true;
		return wire_fail(d, outer->data, "too many frames");
	}
	if (nlab > UINT32_MAX)
		return wire_fail(d, outer->data, "too many labels");

	/* one exact allocation: values, labels, then location indices */
	size_t vbytes = nval * sizeof(int64_t), lbytes = nlab * sizeof(struct cprof_label);
	char *mem = cprof_arena_alloc(&d->p->arena, vbytes + lbytes + nloc * sizeof(uint32_t));
	s->value = (int64_t *)mem;
	s->label = (struct cprof_label *)(mem + vbytes);
	s->loc = (uint32_t *)(mem + vbytes + lbytes);
	s->nloc = (uint32_t)nloc;
	s->nlabel = (uint32_t)nlab;

	/* walk 2: fill */
	size_t il = 0, iv = 0, ib = 0;
	bool unknown_loc = false;
	p = outer->data;
	while (next_field(d, &p, end, &f) > 0) {
		if (f.num == 1) {
			if (f.wt == WT_VARINT) {
				uint32_t x = loc_index(locs, identity_n, f.u);
				unknown_loc |= x == CPROF_NONE;
				s->loc[il++] = x;
				continue;
			}
			const uint8_t *q = f.data, *qend = f.data + f.len;
			while (q < qend) {
				uint64_t id;
				if (get_varint(&q, qend, &id) < 0 || il >= nloc)
					return wire_fail(d, q, "bad varint");
				uint32_t x = loc_index(locs, identity_n, id);
				unknown_loc |= x == CPROF_NONE;
				s->loc[il++] = x;
			}
		} else if (f.num == 2) {
			if (f.wt == WT_VARINT) {
				s->value[iv++] = (int64_t)f.u;
				continue;
			}
			if (f.len == 0) /* an empty packed field (s->value may be NULL) */
				continue;
			size_t got = unpack_varints(d, &f, (uint64_t *)(s->value + iv), nval - iv, &bad);
			if (bad < 0)
				return -1;
			iv += got;
		} else if (f.num == 3) {
			struct raw_label rl;
			decode_label(d, &f, &rl);
			const char *key = get_str(d, rl.key);
			if (!label_kept(&rl))
				continue;
			struct cprof_label *lb = &s->label[ib++];
			lb->key = key;
			if (rl.str != 0) {
				lb->str = get_str(d, rl.str);
				lb->num = 0;
				lb->num_unit = d->empty;
			} else {
				lb->str = NULL;
				lb->num = rl.num;
				lb->num_unit = rl.unit ? get_str(d, rl.unit) : d->empty;
			}
		}
	}

	if (chk->first_bad == SIZE_MAX) {
		if (nval != d->p->nsample_type) {
			chk->first_bad = si;
			chk->nvalue_bad = nval;
			chk->bad_is_count = true;
		} else if (unknown_loc) {
			chk->first_bad = si;
		}
	}
	if (nval != d->p->nsample_type)
		s->value = cprof_arena_calloc(&d->p->arena, d->p->nsample_type, sizeof(int64_t));
	return 0;
}

/* ---- the profile ---------------------------------------------------------- */

/*
 * Per repeated message kind (index = field number 2..5): how many, and the
 * span from the first to the end of the last, so the later walks skip the
 * rest of the file (writers group each kind together).
 */
struct counts {
	size_t n[6];
	const uint8_t *first[6], *last[6];
};

struct top {
	int64_t drop, keep, period_type, period_unit, dflt, doc_url;
	bool have_doc_url;
	int64_t *comment;
	size_t ncomment, acomment;
	int64_t *st; /* type and unit string index per sample type */
	size_t nst, ast;
};

static void push_comment(struct top *t, int64_t c)
{
	ALLOC_GROW(t->comment, t->ncomment + 1, t->acomment);
	t->comment[t->ncomment++] = c;
}

/*
 * Walk 1: everything but the four repeated message kinds, which it counts.
 * Stops early at a second time_nanos (*end is moved there): pprof reports
 * concatenated profiles only if nothing before it failed.
 */
static int walk_top(struct dec *d, const uint8_t *start, const uint8_t **endp, struct top *t,
		    struct counts *c)
{
	const uint8_t *p = start, *end = *endp, *at;
	struct cprof_profile *prof = d->p;
	struct field f;
	int r, bad = 0;

	for (at = p; (r = next_field(d, &p, end, &f)) > 0; at = p) {
		switch (f.num) {
		case 0:
			/* no such field in protobuf; pprof skips it (see cprof_pprof_probe) */
			return wire_fail(d, at, "invalid field number 0");
		case 1:
			if (want_len(d, &f) < 0)
				return -1;
			ALLOC_GROW(t->st, 2 * (t->nst + 1), t->ast);
			if (decode_value_type(d, &f, &t->st[2 * t->nst], &t->st[2 * t->nst + 1]) < 0)
				return -1;
			t->nst++;
			break;
		case 2: case 3: case 4: case 5:
			if (want_len(d, &f) < 0)
				return -1;
			if (!c->n[f.num]++)
				c->first[f.num] = at;
			c->last[f.num] = p;
			break;
		case 6:
			if (want_len(d, &f) < 0)
				return -1;
			if (f.len > cprof_limits.max_string) {
				d->too_long = true;
				return wire_fail(d, at, "string too long");
			}
			ALLOC_GROW(d->str, d->nstr + 1, d->astr);
			d->str[d->nstr++] = cprof_profile_strn(prof, (const char *)f.data, f.len);
			if (d->nstr == 1 && f.len != 0) /* "\0" too, as in Go */
				return wire_fail(d, at, "string_table[0] must be ''");
			break;
		case 9:
			if (prof->time_nanos != 0) {
				d->concat = true;
				*endp = at;
				return 0;
			}
			if (want_varint(d, &f) < 0)
				return -1;
			prof->time_nanos = (int64_t)f.u;
			break;
		case 7: case 8: case 10: case 12: case 14:
			if (want_varint(d, &f) < 0)
				return -1;
			switch (f.num) {
			case 7: t->drop = (int64_t)f.u; break;
			case 8: t->keep = (int64_t)f.u; break;
			case 10: prof->duration_nanos = (int64_t)f.u; break;
			case 12: prof->period = (int64_t)f.u; break;
			case 14: t->dflt = (int64_t)f.u; break;
			}
			break;
		case 11:
			if (want_len(d, &f) < 0 ||
			    decode_value_type(d, &f, &t->period_type, &t->period_unit) < 0)
				return -1;
			break;
		case 13:
			if (f.wt == WT_VARINT) {
				push_comment(t, (int64_t)f.u);
			} else {
				size_t n = count_scalars(d, &f, &bad);
				if (bad < 0)
					return -1;
				if (n == 0) /* an empty packed field: no comment array yet */
					break;
				ALLOC_GROW(t->comment, t->ncomment + n, t->acomment);
				size_t got = unpack_varints(d, &f, (uint64_t *)(t->comment + t->ncomment), n, &bad);
				if (bad < 0)
					return -1;
				t->ncomment += got;
			}
			break;
		case 15:
			/* doc_url: newer than Go 1.19, which skips the field */
			if (f.wt == WT_VARINT) {
				t->doc_url = (int64_t)f.u;
				t->have_doc_url = true;
			}
			break;
		}
	}
	return r;
}

/* Fill the profile fields that walk 1 kept as string indices. */
static void resolve_top(struct dec *d, struct top *t)
{
	struct cprof_profile *p = d->p;

	p->sample_type = cprof_arena_calloc(&p->arena, t->nst, sizeof(*p->sample_type));
	p->nsample_type = t->nst;
	for (size_t i = 0; i < t->nst; i++) {
		p->sample_type[i].type = get_str(d, t->st[2 * i]);
		p->sample_type[i].unit = get_str(d, t->st[2 * i + 1]);
	}
	p->drop_frames = get_str(d, t->drop);
	p->keep_frames = get_str(d, t->keep);
	p->period_type.type = get_str(d, t->period_type);
	p->period_type.unit = get_str(d, t->period_unit);
	p->comment = cprof_arena_calloc(&p->arena, t->ncomment, sizeof(*p->comment));
	p->ncomment = t->ncomment;
	for (size_t i = 0; i < t->ncomment; i++)
		p->comment[i] = get_str(d, t->comment[i]);
	p->default_sample_type = get_str(d, t->dflt);
	/* Go 1.19 ignores doc_url, so a bad index is not an error either */
	if (t->have_doc_url && (uint64_t)t->doc_url < d->nstr)
		p->doc_url = d->str[t->doc_url];
}

static int decode_error(struct dec *d, struct cprof_error *err)
{
	if (d->too_deep)
		return cprof_error_set(err, CPROF_E_LIMIT,
				       "parsing profile: sample at byte %zu has more than %u frames (-max_depth)",
				       d->err_off, cprof_limits.max_depth);
	if (d->too_long)
		return cprof_error_set(err, CPROF_E_LIMIT,
				       "parsing profile: string at byte %zu is longer than %llu bytes (-max_string)",
				       d->err_off, (unsigned long long)cprof_limits.max_string);
	if (d->wire_err && strcmp(d->wire_err, "unknown wire type") == 0)
		return cprof_error_set(err, CPROF_E_FORMAT, "parsing profile: unknown wire type: %d",
				       d->bad_wt);
	return cprof_error_set(err, CPROF_E_FORMAT, "parsing profile: %s", d->wire_err);
}

/*
 * Give the pages of [from, to) back to the system once walk 4 has read them
 * (see cprof_pprof_decode_consume). Only whole pages strictly inside the
 * span go: the partial pages at both ends may hold bytes still to be read
 * or the allocator's own. Returns the new start of what is still held.
 */
#define RELEASE_STEP ((size_t)4 << 20)

static const uint8_t *release_read(const uint8_t *from, const uint8_t *to, bool *released)
{
#ifdef MADV_DONTNEED
	static size_t page;
	if (!page) {
		long ps = sysconf(_SC_PAGESIZE);
		page = ps > 0 ? (size_t)ps : 4096;
	}
	uintptr_t a = ((uintptr_t)from + page - 1) & ~(uintptr_t)(page - 1);
	uintptr_t b = (uintptr_t)to & ~(uintptr_t)(page - 1);
	if (a < b && madvise((void *)a, b - a, MADV_DONTNEED) == 0) {
		*released = true;
		return (const uint8_t *)b;
	}
#else
	(void)to;
	(void)released;
#endif
	return from;
}

static cprof_pprof_mapping_hook mapping_hook;
static void *mapping_hook_ctx;

void cprof_pprof_set_mapping_hook(cprof_pprof_mapping_hook hook, void *ctx)
{
	mapping_hook = hook;
	mapping_hook_ctx = ctx;
}

static int decode(const unsigned char *data, size_t len, struct cprof_profile **out,
		  struct cprof_error *err, bool *released)
{
	struct dec d = {0};
	struct top t = {0};
	struct counts c = {0};
	struct idmap maps, funcs, locs;
	struct sample_check chk = {SIZE_MAX, 0, false};
	const uint8_t *end = data + len, *p;
	struct field f;
	int ret = -1;

	*out = NULL;
	if (len == 0)
		return cprof_error_set(err, CPROF_E_EMPTY, "parsing profile: empty input file");

	d.p = cprof_profile_new();
	d.p->own_sample_arrays = true; /* decode_sample: one allocation per sample */
	d.base = data;
	d.empty = cprof_profile_str(d.p, "");
	memset(&maps, 0, sizeof(maps));
	memset(&funcs, 0, sizeof(funcs));
	memset(&locs, 0, sizeof(locs));

	if (walk_top(&d, data, &end, &t, &c) < 0)
		goto fail;
	resolve_top(&d, &t);

	struct cprof_profile *prof = d.p;
	prof->mapping = cprof_xcalloc(c.n[3], sizeof(*prof->mapping));
	prof->amapping = c.n[3];
	prof->function = cprof_xcalloc(c.n[5], sizeof(*prof->function));
	prof->afunction = c.n[5];
	prof->location = cprof_xcalloc(c.n[4], sizeof(*prof->location));
	prof->alocation = c.n[4];
	prof->sample = cprof_xcalloc(c.n[2], sizeof(*prof->sample));
	prof->asample = c.n[2];
	idmap_init(&maps, c.n[3]);
	idmap_init(&funcs, c.n[5]);
	idmap_init(&locs, c.n[4]);

	/* walk 2: mappings and functions */
	for (int k = 3; k <= 5; k += 2) {
		for (p = c.first[k]; c.n[k] && next_field(&d, &p, c.last[k], &f) > 0;) {
			if (f.num == 3 && k == 3) {
				struct cprof_mapping *m = &prof->mapping[prof->nmapping];
				if (decode_mapping(&d, &f, m) < 0)
					goto fail;
				idmap_put(&maps, m->id, (uint32_t)prof->nmapping++);
			} else if (f.num == 5 && k == 5) {
				struct cprof_function *fn = &prof->function[prof->nfunction];
				if (decode_function(&d, &f, fn) < 0)
					goto fail;
				idmap_put(&funcs, fn->id, (uint32_t)prof->nfunction++);
			}
		}
	}
	if (mapping_hook)
		mapping_hook(prof, mapping_hook_ctx);
	/* walk 3: locations */
	for (p = c.first[4]; c.n[4] && next_field(&d, &p, c.last[4], &f) > 0;) {
		if (f.num != 4)
			continue;
		struct cprof_location *l = &prof->location[prof->nlocation];
		if (decode_location(&d, &f, &maps, &funcs, l) < 0)
			goto fail;
		idmap_put(&locs, l->id, (uint32_t)prof->nlocation++);
	}
	/* walk 4: samples */
	size_t identity_n = prof->nlocation;
	for (size_t i = 0; i < prof->nlocation && identity_n; i++)
		if (prof->location[i].id != i + 1)
			identity_n = 0;
	const uint8_t *held = c.first[2]; /* first byte not yet given back */
	for (p = c.first[2]; c.n[2] && next_field(&d, &p, c.last[2], &f) > 0;) {
		if (f.num != 2)
			continue;
		if (decode_sample(&d, &f, &locs, identity_n, &prof->sample[prof->nsample],
				  prof->nsample, &chk) < 0)
			goto fail;
		prof->nsample++;
		if (released && (size_t)(p - held) >= RELEASE_STEP)
			held = release_read(held, p, released);
	}
	if (d.wire_err)
		goto fail;

	/* the order of pprof's ParseData: concatenation, string indices, validity */
	if (d.concat) {
		cprof_error_set(err, CPROF_E_CORRUPT, "parsing profile: concatenated profiles detected");
		goto out;
	}
	if (d.malformed) {
		cprof_error_set(err, CPROF_E_FORMAT, "parsing profile: malformed profile format");
		goto out;
	}
	if (chk.bad_is_count && prof->nsample_type != 0) {
		cprof_error_set(err, CPROF_E_CORRUPT,
				"malformed profile: mismatch: sample has %zu values vs. %zu types",
				chk.nvalue_bad, prof->nsample_type);
		goto out;
	}
	if (cprof_profile_check_valid(prof, err) < 0)
		goto out;

	*out = prof;
	d.p = NULL;
	ret = 0;
	goto out;

fail:
	decode_error(&d, err);
out:
	cprof_profile_free(d.p);
	idmap_release(&maps);
	idmap_release(&funcs);
	idmap_release(&locs);
	free(d.str);
	free(t.comment);
	free(t.st);
	return ret;
}

/*
 * The first-bytes rule: walk the top-level fields of the head as walk 1
 * would and say NOT only on what makes decode() fail with CPROF_E_FORMAT
 * whatever the rest of the input holds. Anything it does not model (the
 * inside of messages, a second time_nanos, a string over -max_string that
 * may fit) ends the walk with MAYBE: decode() then decides on the whole.
 */
enum cprof_probe cprof_pprof_probe(const unsigned char *head, size_t len, struct cprof_error *err)
{
	const uint8_t *p = head, *end = head + len;
	bool time_set = false, first_string = true;

	(void)err;
	while (p < end) {
		const uint8_t *at = p;
		uint64_t tag, v;
		/* a varint cut by the end of the head may still end well */
		if (get_varint(&p, end, &tag) < 0)
			return end - at >= 10 ? CPROF_PROBE_NOT : CPROF_PROBE_MAYBE;
		uint64_t num = tag >> 3;
		int wt = (int)(tag & 7);
		if (num == 0 || (wt != WT_VARINT && wt != WT_I64 && wt != WT_LEN && wt != WT_I32))
			return CPROF_PROBE_NOT;
		if (num == 9 && time_set)
			return CPROF_PROBE_MAYBE; /* concatenated profiles, unless something before fails */
		/* the wire type each known field must have: a payload that is there or not, it fails */
		bool want_len_ = (num >= 1 && num <= 6) || num == 11;
		bool want_var = (num >= 7 && num <= 10) || num == 12 || num == 14;
		if ((want_len_ && wt != WT_LEN) || (want_var && wt != WT_VARINT) ||
		    (num == 13 && wt != WT_VARINT && wt != WT_LEN))
			return CPROF_PROBE_NOT;
		switch (wt) {
		case WT_VARINT:
			if (get_varint(&p, end, &v) < 0)
				return end - p >= 10 ? CPROF_PROBE_NOT : CPROF_PROBE_MAYBE;
			if (num == 9 && v != 0)
				time_set = true;
			break;
		case WT_I64:
		case WT_I32:
			if (end - p < (wt == WT_I64 ? 8 : 4))
				return CPROF_PROBE_MAYBE;
			p += wt == WT_I64 ? 8 : 4;
			break;
		default:
			if (get_varint(&p, end, &v) < 0)
				return end - p >= 10 ? CPROF_PROBE_NOT : CPROF_PROBE_MAYBE;
			/* longer than any input under the size limit: "too much data" */
			if (v > cprof_limits.max_inflated || v > cprof_limits.max_inflated - (uint64_t)(p - head))
				return CPROF_PROBE_NOT;
			if (num == 6) {
				if (v > cprof_limits.max_string)
					return CPROF_PROBE_MAYBE; /* the limit's error if it is all there */
				/* string_table[0] must be "": it is not, or it is cut short */
				if (first_string && v > 0)
					return CPROF_PROBE_NOT;
				first_string = false;
			}
			if (v > (uint64_t)(end - p))
				return CPROF_PROBE_MAYBE;
			p += v;
			break;
		}
	}
	return CPROF_PROBE_MAYBE;
}

int cprof_pprof_decode(const unsigned char *data, size_t len, struct cprof_profile **out,
		       struct cprof_error *err)
{
	return decode(data, len, out, err, NULL);
}

int cprof_pprof_decode_consume(unsigned char *data, size_t len, struct cprof_profile **out,
			       struct cprof_error *err, bool *released)
{
	*released = false;
	return decode(data, len, out, err, released);
}
