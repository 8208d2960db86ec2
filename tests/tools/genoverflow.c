/*
 * genoverflow.c - writes a profile.proto whose sample values are near the
 * ends of int64, so that every sum a report makes wraps: flat and cum of
 * nodes, edge weights, tag values, the report's total, merged samples,
 * -base and -diff_base differences, -mean quotients (INT64_MIN / -1).
 *
 *   cprof_genoverflow cpu|base|heap FILE
 *
 * cpu   a CPU profile (samples/count, cpu/nanoseconds) of a few stacks:
 *       a leaf under an inlined caller, recursion through two locations
 *       of one function, negative values, string and numeric labels; some
 *       stacks repeated so that their sums wrap more than once.
 * base  a profile of the same types and functions with other huge values,
 *       for -base and -diff_base against the first.
 * heap  a heap profile (alloc_objects, alloc_space, inuse_objects,
 *       inuse_space) of the same stacks, with "bytes" labels, for the
 *       sample-index choices, -mean of the space columns and -legacy.
 *
 * The bytes are encoded here from profile.proto's field numbers (not with
 * cprof's writer, which the tests check); uncompressed, as both tools
 * accept. Output is deterministic.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a growable byte buffer and the protobuf wire format ------------------------ */

struct buf {
	unsigned char *p;
	size_t n, a;
};

static void put(struct buf *b, const void *d, size_t n)
{
	if (b->n + n > b->a) {
		b->a = (b->n + n) * 2 + 64;
		b->p = realloc(b->p, b->a);
		if (!b->p) {
			perror("genoverflow");
			exit(2);
		}
	}
	memcpy(b->p + b->n, d, n);
	b->n += n;
}

static void varint(struct buf *b, uint64_t v)
{
	unsigned char c[10];
	size_t n = 0;
	do {
		c[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			c[n] |= 0x80;
		n++;
	} while (v);
	put(b, c, n);
}

/* A varint field (wire type 0); int64 values are their two's complement. */
static void field_u(struct buf *b, unsigned field, uint64_t v)
{
	varint(b, (uint64_t)field << 3);
	varint(b, v);
}

/* A length-delimited field (wire type 2) holding sub. */
static void field_b(struct buf *b, unsigned field, const struct buf *sub)
{
	varint(b, (uint64_t)field << 3 | 2);
	varint(b, sub->n);
	put(b, sub->p, sub->n);
}

static void buf_free(struct buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* ---- the string table ---------------------------------------------------------- */

static const char *strs[64];
static size_t nstrs;

static uint64_t str(const char *s)
{
	for (size_t i = 0; i < nstrs; i++)
		if (!strcmp(strs[i], s))
			return i;
	if (nstrs == sizeof(strs) / sizeof(strs[0])) {
		fprintf(stderr, "genoverflow: too many strings\n");
		exit(2);
	}
	strs[nstrs] = s;
	return nstrs++;
}

/* ---- profile messages (field numbers from profile.proto) ------------------------ */

static void value_type(struct buf *prof, unsigned field, const char *type, const char *unit)
{
	struct buf m = {0};
	field_u(&m, 1, str(type));
	field_u(&m, 2, str(unit));
	field_b(prof, field, &m);
	buf_free(&m);
}

static void function(struct buf *prof, uint64_t id, const char *name, const char *file, int64_t start)
{
	struct buf m = {0};
	field_u(&m, 1, id);
	field_u(&m, 2, str(name));
	field_u(&m, 3, str(name));
	field_u(&m, 4, str(file));
	field_u(&m, 5, (uint64_t)start);
	field_b(prof, 5, &m);
	buf_free(&m);
}

/* A location of mapping 1 with lines (function id, line), innermost first. */
static void location(struct buf *prof, uint64_t id, uint64_t addr, const int64_t (*lines)[2], size_t nlines)
{
	struct buf m = {0};
	field_u(&m, 1, id);
	field_u(&m, 2, 1);
	field_u(&m, 3, addr);
	for (size_t i = 0; i < nlines; i++) {
		struct buf l = {0};
		field_u(&l, 1, (uint64_t)lines[i][0]);
		field_u(&l, 2, (uint64_t)lines[i][1]);
		field_b(&m, 4, &l);
		buf_free(&l);
	}
	field_b(prof, 4, &m);
	buf_free(&m);
}

struct label {
	const char *key, *str; /* str NULL: numeric */
	int64_t num;
	const char *unit;
};

/* A sample of nv values (packed), locations leaf first. */
static void sample_n(struct buf *prof, const uint64_t *locs, size_t nlocs, const int64_t *v, size_t nv,
		     const struct label *labels, size_t nlabels)
{
	struct buf m = {0}, ids = {0}, vals = {0};
	for (size_t i = 0; i < nlocs; i++)
		varint(&ids, locs[i]);
	field_b(&m, 1, &ids);
	for (size_t i = 0; i < nv; i++)
		varint(&vals, (uint64_t)v[i]);
	field_b(&m, 2, &vals);
	for (size_t i = 0; i < nlabels; i++) {
		struct buf l = {0};
		field_u(&l, 1, str(labels[i].key));
		if (labels[i].str) {
			field_u(&l, 2, str(labels[i].str));
		} else {
			field_u(&l, 3, (uint64_t)labels[i].num);
			if (labels[i].unit)
				field_u(&l, 4, str(labels[i].unit));
		}
		field_b(&m, 3, &l);
		buf_free(&l);
	}
	field_b(prof, 2, &m);
	buf_free(&m);
	buf_free(&ids);
	buf_free(&vals);
}

static void sample(struct buf *prof, const uint64_t *locs, size_t nlocs, int64_t count, int64_t nanos,
		   const struct label *labels, size_t nlabels)
{
	const int64_t v[2] = {count, nanos};
	sample_n(prof, locs, nlocs, v, 2, labels, nlabels);
}

/* ---- the two profiles ------------------------------------------------------------ */

enum { F_MAIN = 1, F_SERVE, F_HOT, F_INLINED, F_REC, F_NEG, F_COLD };

static void functions_and_locations(struct buf *prof)
{
	function(prof, F_MAIN, "main.main", "/src/huge/main.go", 10);
	function(prof, F_SERVE, "main.serve", "/src/huge/serve.go", 20);
	function(prof, F_HOT, "main.hot", "/src/huge/hot.go", 30);
	function(prof, F_INLINED, "main.inlined", "/src/huge/hot.go", 40);
	function(prof, F_REC, "main.rec", "/src/huge/rec.go", 50);
	function(prof, F_NEG, "main.neg", "/src/huge/neg.go", 60);
	function(prof, F_COLD, "main.cold", "/src/huge/cold.go", 70);

	struct buf m = {0};
	field_u(&m, 1, 1);
	field_u(&m, 2, 0x400000);
	field_u(&m, 3, 0x500000);
	field_u(&m, 5, str("/usr/bin/huge"));
	field_u(&m, 7, 1);
	field_u(&m, 8, 1);
	field_u(&m, 9, 1);
	field_u(&m, 10, 1);
	field_b(prof, 3, &m);
	buf_free(&m);

	static const int64_t l1[][2] = {{F_MAIN, 12}};
	static const int64_t l2[][2] = {{F_SERVE, 22}};
	static const int64_t l3[][2] = {{F_HOT, 33}, {F_INLINED, 41}}; /* main.inlined inlined into main.hot */
	static const int64_t l4[][2] = {{F_REC, 51}};
	static const int64_t l5[][2] = {{F_REC, 55}};
	static const int64_t l6[][2] = {{F_NEG, 61}};
	static const int64_t l7[][2] = {{F_COLD, 71}};
	location(prof, 1, 0x401000, l1, 1);
	location(prof, 2, 0x402000, l2, 1);
	location(prof, 3, 0x403000, l3, 2);
	location(prof, 4, 0x404000, l4, 1);
	location(prof, 5, 0x405000, l5, 1);
	location(prof, 6, 0x406000, l6, 1);
	location(prof, 7, 0x407000, l7, 1);
}

static void cpu_samples(struct buf *prof)
{
	static const uint64_t hot[] = {3, 2, 1};       /* main.main -> main.serve -> main.hot (inlined) */
	static const uint64_t rec[] = {4, 5, 4, 2, 1}; /* main.rec recursing through two locations */
	static const uint64_t neg[] = {6, 1};
	static const uint64_t cold[] = {7, 2, 1};
	static const uint64_t serve[] = {2, 1};
	const struct label r1[] = {{"region", "r1", 0, NULL}, {"bytes", NULL, INT64_MAX, "bytes"}};
	const struct label r2[] = {{"region", "r2", 0, NULL}, {"bytes", NULL, INT64_MIN, "bytes"},
				   {"size", NULL, 0x7000000000000000, NULL}};
	const struct label big[] = {{"bytes", NULL, 0x6000000000000000, "bytes"}};
	/* the same stack many times: its sums wrap around int64 more than once */
	for (int i = 0; i < 5; i++)
		sample(prof, hot, 3, INT64_MAX, INT64_MAX, r1, 2);
	sample(prof, hot, 3, INT64_MAX - 1, 0x7000000000000000, r2, 3);
	sample(prof, hot, 3, 3, 0x4000000000000000, NULL, 0);
	for (int i = 0; i < 3; i++)
		sample(prof, rec, 5, 0x4000000000000000, INT64_MAX, big, 1);
	sample(prof, rec, 5, INT64_MIN, INT64_MIN, r1, 2);
	/* -mean divides INT64_MIN by -1 here: Go gives INT64_MIN */
	sample(prof, neg, 2, -1, INT64_MIN, NULL, 0);
	sample(prof, cold, 3, 1, 0x6000000000000000, r2, 3);
	sample(prof, cold, 3, 1, 0x6000000000000000, NULL, 0);
	sample(prof, serve, 2, INT64_MAX, -INT64_MAX, NULL, 0);
}

static void base_samples(struct buf *prof)
{
	static const uint64_t hot[] = {3, 2, 1};
	static const uint64_t neg[] = {6, 1};
	static const uint64_t cold[] = {7, 2, 1};
	static const uint64_t rec[] = {4, 2, 1};
	const struct label r1[] = {{"region", "r1", 0, NULL}, {"bytes", NULL, INT64_MAX, "bytes"}};
	/* subtracted (scaled by -1 as a double: INT64_MIN stays INT64_MIN) and summed with the new profile */
	sample(prof, hot, 3, INT64_MIN, INT64_MIN, r1, 2);
	sample(prof, hot, 3, -INT64_MAX, 0x5000000000000000, NULL, 0);
	sample(prof, neg, 2, INT64_MAX, INT64_MAX, NULL, 0);
	sample(prof, cold, 3, -0x6000000000000000, -0x6000000000000000, NULL, 0);
	sample(prof, rec, 3, 0x7000000000000000, 0x7000000000000000, r1, 2);
}

static void heap_samples(struct buf *prof)
{
	static const uint64_t hot[] = {3, 2, 1};
	static const uint64_t rec[] = {4, 5, 4, 2, 1};
	static const uint64_t neg[] = {6, 1};
	static const uint64_t cold[] = {7, 2, 1};
	const struct label b16[] = {{"bytes", NULL, 16, NULL}};
	const struct label b4k[] = {{"bytes", NULL, 4096, NULL}};
	const struct label bmax[] = {{"bytes", NULL, INT64_MAX, NULL}};
	const int64_t v1[4] = {INT64_MAX, INT64_MAX, 0x4000000000000000, INT64_MAX};
	const int64_t v2[4] = {3, 0x7000000000000000, 1, 0x7000000000000000};
	const int64_t v3[4] = {0x6000000000000000, INT64_MIN, -1, INT64_MIN};
	const int64_t v4[4] = {1, INT64_MAX, 1, INT64_MAX};
	const int64_t v5[4] = {-1, INT64_MIN, INT64_MIN, -INT64_MAX};
	for (int i = 0; i < 3; i++)
		sample_n(prof, hot, 3, v1, 4, b16, 1);
	sample_n(prof, hot, 3, v2, 4, b4k, 1);
	sample_n(prof, rec, 5, v3, 4, bmax, 1);
	sample_n(prof, rec, 5, v1, 4, b4k, 1);
	sample_n(prof, cold, 3, v4, 4, bmax, 1);
	sample_n(prof, neg, 2, v5, 4, b16, 1);
}

int main(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[1], "cpu") && strcmp(argv[1], "base") && strcmp(argv[1], "heap"))) {
		fprintf(stderr, "usage: genoverflow cpu|base|heap FILE\n");
		return 64;
	}
	struct buf prof = {0};
	str("");
	if (!strcmp(argv[1], "heap")) {
		value_type(&prof, 1, "alloc_objects", "count");
		value_type(&prof, 1, "alloc_space", "bytes");
		value_type(&prof, 1, "inuse_objects", "count");
		value_type(&prof, 1, "inuse_space", "bytes");
		functions_and_locations(&prof);
		heap_samples(&prof);
		value_type(&prof, 11, "space", "bytes");     /* period_type */
		field_u(&prof, 12, 524288);                  /* period */
	} else {
		value_type(&prof, 1, "samples", "count");
		value_type(&prof, 1, "cpu", "nanoseconds");
		functions_and_locations(&prof);
		if (!strcmp(argv[1], "base"))
			base_samples(&prof);
		else
			cpu_samples(&prof);
		field_u(&prof, 9, 1700000000000000000ULL);  /* time_nanos */
		field_u(&prof, 10, (uint64_t)INT64_MAX);      /* duration_nanos */
		value_type(&prof, 11, "cpu", "nanoseconds"); /* period_type */
		field_u(&prof, 12, 10000000);                /* period */
	}
	/* the string table last: every index above was taken while encoding */
	struct buf tail = {0};
	for (size_t i = 0; i < nstrs; i++) {
		varint(&tail, 6 << 3 | 2);
		varint(&tail, strlen(strs[i]));
		put(&tail, strs[i], strlen(strs[i]));
	}
	FILE *f = fopen(argv[2], "wb");
	if (!f || fwrite(prof.p, 1, prof.n, f) != prof.n || fwrite(tail.p, 1, tail.n, f) != tail.n || fclose(f)) {
		perror(argv[2]);
		return 2;
	}
	buf_free(&prof);
	buf_free(&tail);
	return 0;
}
