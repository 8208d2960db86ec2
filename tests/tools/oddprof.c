/*
 * oddprof.c - test tool: odd but valid profile.proto files, the kind that
 * producers other than the Go runtime write (async-profiler and JFR
 * converters, Node.js, .NET, py-spy, pprof-rs, continuous-profiling
 * agents), for the differential tests against go tool pprof
 * (tests/diff/run_odd_diff.sh).
 *
 *   oddprof -list              the case names, one per line
 *   oddprof DIR [NAME...]      write DIR/NAME.pb (every case, or those named)
 *
 * Every profile passes pprof's CheckValid; what is odd is what the Go
 * runtime never writes: names that are not UTF-8, empty strings
 * everywhere, no mappings, ids of 0 (where allowed) and 2^64-1, locations
 * without lines, huge label sets, zero and negative values, many sample
 * types, equal names for different functions, very long names and deep
 * stacks, the fields in another order, packed and unpacked repeated
 * fields, strings that appear twice in the table. The protobuf is written
 * by hand (a few helpers below), so that the bytes are exactly what a case
 * says; each case is deterministic.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("oddprof: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

/* ---- protobuf wire format ------------------------------------------------- */

struct pb {
	unsigned char *b;
	size_t n, cap;
};

static void pb_put(struct pb *p, const void *d, size_t n)
{
	if (p->n + n > p->cap) {
		p->cap = (p->n + n) * 2 + 64;
		p->b = xrealloc(p->b, p->cap);
	}
	if (n)
		memcpy(p->b + p->n, d, n);
	p->n += n;
}

static void pb_varint(struct pb *p, uint64_t v)
{
	unsigned char t[10];
	size_t n = 0;
	do {
		t[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			t[n] |= 0x80;
		n++;
	} while (v);
	pb_put(p, t, n);
}

static void pb_key(struct pb *p, unsigned field, unsigned wt)
{
	pb_varint(p, (uint64_t)field << 3 | wt);
}

static void pb_u(struct pb *p, unsigned field, uint64_t v)
{
	pb_key(p, field, 0);
	pb_varint(p, v);
}

static void pb_bytes(struct pb *p, unsigned field, const void *d, size_t n)
{
	pb_key(p, field, 2);
	pb_varint(p, n);
	pb_put(p, d, n);
}

/* Append message m as field (and empty m for reuse). */
static void pb_sub(struct pb *p, unsigned field, struct pb *m)
{
	pb_bytes(p, field, m->b, m->n);
	m->n = 0;
}

/* A repeated varint field, packed or one field per value. */
static void pb_rep(struct pb *p, unsigned field, const uint64_t *v, size_t n, bool packed)
{
	if (!packed) {
		for (size_t i = 0; i < n; i++)
			pb_u(p, field, v[i]);
		return;
	}
	struct pb m = {0};
	for (size_t i = 0; i < n; i++)
		pb_varint(&m, v[i]);
	pb_sub(p, field, &m);
	free(m.b);
}

/* ---- a profile being written ---------------------------------------------- */

struct gen {
	struct pb body;  /* every top-level field but the string table */
	struct pb strs;  /* the string table, field 6 entries */
	char **str;      /* for dedup: the strings so far */
	size_t *slen, nstr;
	bool strings_first; /* write the string table before the rest */
	bool unpacked;      /* repeated scalars one field per value */
	uint64_t rnd;
};

/* The index of the n bytes at s, a new entry unless an equal one exists (or dup). */
static int64_t str_index(struct gen *g, const char *s, size_t n, bool dup)
{
	if (!dup)
		for (size_t i = 0; i < g->nstr; i++)
			if (g->slen[i] == n && memcmp(g->str[i], s, n) == 0)
				return (int64_t)i;
	g->str = xrealloc(g->str, (g->nstr + 1) * sizeof(*g->str));
	g->slen = xrealloc(g->slen, (g->nstr + 1) * sizeof(*g->slen));
	g->str[g->nstr] = xrealloc(NULL, n + 1);
	memcpy(g->str[g->nstr], s, n);
	g->slen[g->nstr] = n;
	pb_bytes(&g->strs, 6, s, n);
	return (int64_t)g->nstr++;
}

static int64_t S(struct gen *g, const char *s)
{
	return str_index(g, s, strlen(s), false);
}

static void gen_init(struct gen *g, uint64_t seed)
{
	memset(g, 0, sizeof(*g));
	g->rnd = seed * 0x9e3779b97f4a7c15ULL + 1;
	S(g, "");
}

static uint64_t rnd(struct gen *g)
{
	g->rnd ^= g->rnd << 13;
	g->rnd ^= g->rnd >> 7;
	g->rnd ^= g->rnd << 17;
	return g->rnd;
}

static uint64_t rndn(struct gen *g, uint64_t n)
{
	return n ? rnd(g) % n : 0;
}

static void value_type(struct pb *out, unsigned field, struct gen *g, const char *type, const char *unit)
{
	struct pb m = {0};
	int64_t t = S(g, type), u = S(g, unit);
	if (t)
		pb_u(&m, 1, (uint64_t)t);
	if (u)
		pb_u(&m, 2, (uint64_t)u);
	pb_sub(out, field, &m);
	free(m.b);
}

static void sample_type(struct gen *g, const char *type, const char *unit)
{
	value_type(&g->body, 1, g, type, unit);
}

static void period_type(struct gen *g, const char *type, const char *unit, int64_t period)
{
	value_type(&g->body, 11, g, type, unit);
	pb_u(&g->body, 12, (uint64_t)period);
}

enum { HAS_FUNCTIONS = 1, HAS_FILENAMES = 2, HAS_LINES = 4, HAS_INLINES = 8 };

static void mapping(struct gen *g, uint64_t id, uint64_t start, uint64_t limit, uint64_t off, const char *file,
		    const char *build_id, unsigned flags)
{
	struct pb m = {0};
	pb_u(&m, 1, id);
	pb_u(&m, 2, start);
	pb_u(&m, 3, limit);
	pb_u(&m, 4, off);
	if (file)
		pb_u(&m, 5, (uint64_t)S(g, file));
	if (build_id)
		pb_u(&m, 6, (uint64_t)S(g, build_id));
	for (unsigned b = 0; b < 4; b++)
		if (flags & (1u << b))
			pb_u(&m, 7 + b, 1);
	pb_sub(&g->body, 3, &m);
	free(m.b);
}

/* A function; name given with its length so that it may hold any bytes. */
static void function_n(struct gen *g, uint64_t id, const char *name, size_t nlen, const char *sys, const char *file,
		       int64_t start)
{
	struct pb m = {0};
	pb_u(&m, 1, id);
	int64_t n = name ? str_index(g, name, nlen, false) : 0;
	if (n)
		pb_u(&m, 2, (uint64_t)n);
	int64_t s = sys ? S(g, sys) : n;
	if (s)
		pb_u(&m, 3, (uint64_t)s);
	if (file && *file)
		pb_u(&m, 4, (uint64_t)S(g, file));
	if (start)
		pb_u(&m, 5, (uint64_t)start);
	pb_sub(&g->body, 5, &m);
	free(m.b);
}

static void function(struct gen *g, uint64_t id, const char *name, const char *file, int64_t start)
{
	function_n(g, id, name, name ? strlen(name) : 0, NULL, file, start);
}

struct line {
	uint64_t fn;
	int64_t line;
	int64_t column; /* 0: none (Line.column is newer than Go 1.19, which skips it) */
};

static void location(struct gen *g, uint64_t id, uint64_t mapping_id, uint64_t addr, const struct line *lines,
		     size_t n, bool folded)
{
	struct pb m = {0}, l = {0};
	pb_u(&m, 1, id);
	if (mapping_id)
		pb_u(&m, 2, mapping_id);
	if (addr)
		pb_u(&m, 3, addr);
	for (size_t i = 0; i < n; i++) {
		pb_u(&l, 1, lines[i].fn);
		if (lines[i].line)
			pb_u(&l, 2, (uint64_t)lines[i].line);
		if (lines[i].column)
			pb_u(&l, 3, (uint64_t)lines[i].column);
		pb_sub(&m, 4, &l);
	}
	if (folded)
		pb_u(&m, 5, 1);
	pb_sub(&g->body, 4, &m);
	free(m.b);
	free(l.b);
}

struct label {
	const char *key, *str; /* str NULL: a numeric label */
	int64_t num;
	const char *unit;
};

static void sample(struct gen *g, const uint64_t *locs, size_t nloc, const int64_t *vals, size_t nval,
		   const struct label *lab, size_t nlab)
{
	struct pb m = {0}, l = {0};
	pb_rep(&m, 1, locs, nloc, !g->unpacked);
	uint64_t v[64];
	if (nval > ARRAY_SIZE(v))
		die("too many values");
	for (size_t i = 0; i < nval; i++)
		v[i] = (uint64_t)vals[i];
	pb_rep(&m, 2, v, nval, !g->unpacked);
	for (size_t i = 0; i < nlab; i++) {
		pb_u(&l, 1, (uint64_t)S(g, lab[i].key));
		if (lab[i].str)
			pb_u(&l, 2, (uint64_t)S(g, lab[i].str));
		else if (lab[i].num)
			pb_u(&l, 3, (uint64_t)lab[i].num);
		if (lab[i].unit)
			pb_u(&l, 4, (uint64_t)S(g, lab[i].unit));
		pb_sub(&m, 3, &l);
	}
	pb_sub(&g->body, 2, &m);
	free(m.b);
	free(l.b);
}

/* One-location-per-function helpers: location id = function id, address 0x1000 * id. */
static void simple_fn(struct gen *g, uint64_t id, const char *name, const char *file, int64_t line,
		      uint64_t mapping_id)
{
	function(g, id, name, file, line ? line - 1 : 0);
	struct line l = {id, line, 0};
	location(g, id, mapping_id, mapping_id ? 0x400000 + 0x10 * id : 0, &l, 1, false);
}

static void sample1(struct gen *g, const uint64_t *locs, size_t nloc, int64_t v)
{
	sample(g, locs, nloc, &v, 1, NULL, 0);
}

static void sample2(struct gen *g, const uint64_t *locs, size_t nloc, int64_t a, int64_t b)
{
	int64_t v[2] = {a, b};
	sample(g, locs, nloc, v, 2, NULL, 0);
}

static void cpu_header(struct gen *g)
{
	sample_type(g, "samples", "count");
	sample_type(g, "cpu", "nanoseconds");
	period_type(g, "cpu", "nanoseconds", 10000000);
	pb_u(&g->body, 9, 1700000000000000000ULL);
	pb_u(&g->body, 10, 30000000000ULL);
}

static void write_profile(struct gen *g, const char *path)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		die("cannot create %s: %s", path, strerror(errno));
	if (g->strings_first)
		fwrite(g->strs.b, 1, g->strs.n, f);
	fwrite(g->body.b, 1, g->body.n, f);
	if (!g->strings_first)
		fwrite(g->strs.b, 1, g->strs.n, f);
	if (fclose(f) != 0)
		die("cannot write %s", path);
	for (size_t i = 0; i < g->nstr; i++)
		free(g->str[i]);
	free(g->str);
	free(g->slen);
	free(g->body.b);
	free(g->strs.b);
}

/* ---- the cases ------------------------------------------------------------- */

/* A small call graph over functions 1..n: main -> a mix of paths, values from the generator. */
static void tree_samples(struct gen *g, uint64_t nfn, size_t nsamples, size_t maxdepth, bool two)
{
	for (size_t s = 0; s < nsamples; s++) {
		uint64_t stack[64];
		size_t d = 1 + rndn(g, maxdepth);
		for (size_t i = 0; i < d; i++)
			stack[d - 1 - i] = i == 0 ? 1 : 1 + (i * 7 + rndn(g, 3)) % nfn;
		int64_t v = (int64_t)(1 + rndn(g, 9)) * 10000000;
		if (two)
			sample2(g, stack, d, v / 10000000, v);
		else
			sample1(g, stack, d, v);
	}
}

static void c_invalid_utf8(struct gen *g)
{
	static const char *const names[] = {
		"main.\xff\xfe",            /* bytes that never start a sequence */
		"pkg.f\xe2\x82",            /* a sequence cut short */
		"\xc0\xaf.overlong",        /* an overlong '/' */
		"x\x80y",                   /* a lone continuation byte */
		"surrogate.\xed\xa0\x80",   /* a UTF-16 surrogate */
		"caf\xc3\xa9.ok",           /* valid, for contrast */
		"\xf4\x90\x80\x80.toobig",  /* beyond U+10FFFF */
		"tab\tand\x01ctl",          /* control characters */
		"\xff",                     /* nothing but a bad byte */
		"\x80\x80",                 /* nothing but continuation bytes */
		"_Z3f\xffv",                /* a mangled-looking name */
		"pkg.(*T\xfe).M",           /* a Go method */
		"std::vector<\xff>::at",     /* a template */
	};
	cpu_header(g);
	mapping(g, 1, 0x400000, 0x500000, 0, "/bin/\xffodd", "", HAS_FUNCTIONS | HAS_FILENAMES | HAS_LINES);
	for (uint64_t i = 0; i < ARRAY_SIZE(names); i++) {
		const char *file = i % 2 ? "/src/\xe9t\xe9.go" : "/src/main.go";
		function(g, i + 1, names[i], file, 10 * (int64_t)i);
		struct line l = {i + 1, 10 * (int64_t)i + 3, 0};
		location(g, i + 1, 1, 0x400100 + 0x10 * i, &l, 1, false);
	}
	for (uint64_t i = 1; i < ARRAY_SIZE(names); i++) {
		uint64_t st[3] = {i + 1, i, 1};
		struct label lab[2] = {{"k\xff", "v\xe2\x82", 0, NULL}, {"ok", "\xc3\xa9t\xc3\xa9", 0, NULL}};
		int64_t v[2] = {(int64_t)i, (int64_t)i * 10000000};
		sample(g, st, i > 1 ? 3 : 2, v, 2, lab, 2);
	}
}

static void c_no_mappings(struct gen *g)
{
	cpu_header(g);
	for (uint64_t i = 1; i <= 6; i++) {
		char name[32];
		snprintf(name, sizeof(name), "pkg.fn%llu", (unsigned long long)i);
		function(g, i, name, "/src/pkg/a.go", 10 * (int64_t)i);
		struct line l = {i, 10 * (int64_t)i + 2, 0};
		location(g, i, 0, i % 2 ? 0 : 0x1000 * i, &l, 1, false);
	}
	tree_samples(g, 6, 40, 5, true);
}

static void c_no_mappings_addresses_only(struct gen *g)
{
	/* what a symbolizer-less agent sends: addresses, no mappings, no functions */
	cpu_header(g);
	for (uint64_t i = 1; i <= 5; i++)
		location(g, i, 0, 0x7f0000001000 + 0x40 * i, NULL, 0, false);
	tree_samples(g, 5, 30, 4, true);
}

static void c_extreme_ids(struct gen *g)
{
	static const uint64_t ids[] = {UINT64_MAX, 1, UINT64_MAX - 1, 1ULL << 63, 42, 0x100000000ULL};
	cpu_header(g);
	mapping(g, UINT64_MAX, 0x400000, 0x800000, 0, "/bin/app", "0123abcd", HAS_FUNCTIONS);
	mapping(g, 1ULL << 63, 0x7f0000000000, 0x7f0000100000, 0x1000, "/lib/libc.so.6", "", 0);
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		char name[32];
		snprintf(name, sizeof(name), "f%zu", i);
		function(g, ids[ARRAY_SIZE(ids) - 1 - i], name, "x.c", (int64_t)i);
		struct line l = {ids[ARRAY_SIZE(ids) - 1 - i], (int64_t)i + 1, 0};
		location(g, ids[i], i % 2 ? 1ULL << 63 : UINT64_MAX, i % 2 ? 0x7f0000000100 + i : 0x400100 + i, &l, 1,
			 false);
	}
	for (size_t s = 0; s < 20; s++) {
		uint64_t st[4];
		size_t d = 1 + s % 4;
		for (size_t k = 0; k < d; k++)
			st[k] = ids[(s + k) % ARRAY_SIZE(ids)];
		sample2(g, st, d, (int64_t)(s % 5), (int64_t)(s % 5) * 10000000);
	}
}

static void c_empty_strings(struct gen *g)
{
	/* empty sample type and unit, empty names and files, empty label keys and values */
	sample_type(g, "", "");
	period_type(g, "", "", 0);
	mapping(g, 1, 0x1000, 0x2000, 0, "", "", 0);
	function(g, 1, "", "", 0);
	function(g, 2, "named", "", 0);
	function(g, 3, "", "file.go", 7);
	struct line l1 = {1, 0, 0}, l2 = {2, 0, 0}, l3 = {3, 12, 0};
	location(g, 1, 1, 0x1100, &l1, 1, false);
	location(g, 2, 1, 0, &l2, 1, false);
	location(g, 3, 0, 0x1200, &l3, 1, false);
	location(g, 4, 1, 0, NULL, 0, false);
	uint64_t st1[] = {1, 2}, st2[] = {3, 1}, st3[] = {4, 3, 2};
	struct label lab[] = {{"", "", 0, NULL}, {"k", "", 0, NULL}, {"n", NULL, 5, ""}};
	int64_t v = 3;
	sample(g, st1, 2, &v, 1, lab, 3);
	sample1(g, st2, 2, 5);
	sample1(g, st3, 3, 7);
	pb_u(&g->body, 13, (uint64_t)S(g, ""));
}

static void c_lineless(struct gen *g)
{
	/* locations without lines, some with a mapping, some without; a mix with symbolized ones */
	cpu_header(g);
	mapping(g, 1, 0x400000, 0x500000, 0, "/usr/bin/server", "beef", 0);
	mapping(g, 2, 0x7f0000000000, 0x7f0000200000, 0, "[vdso]", "", 0);
	function(g, 1, "main.main", "/src/main.go", 5);
	struct line l = {1, 9, 0};
	location(g, 1, 1, 0x401000, &l, 1, false);
	location(g, 2, 1, 0x402000, NULL, 0, false);
	location(g, 3, 2, 0x7f0000000400, NULL, 0, false);
	location(g, 4, 0, 0x900000, NULL, 0, false);
	location(g, 5, 1, 0x402000, NULL, 0, false); /* same address as 2 */
	uint64_t a[] = {2, 1}, b[] = {3, 2, 1}, c[] = {4}, d[] = {5, 1};
	sample2(g, a, 2, 1, 10000000);
	sample2(g, b, 3, 2, 20000000);
	sample2(g, c, 1, 3, 30000000);
	sample2(g, d, 2, 4, 40000000);
}

static void c_huge_labels(struct gen *g)
{
	/* a continuous profiler's samples: many string and numeric labels each */
	cpu_header(g);
	for (uint64_t i = 1; i <= 4; i++) {
		char name[32];
		snprintf(name, sizeof(name), "svc.handler%llu", (unsigned long long)i);
		simple_fn(g, i, name, "/src/svc/h.go", 20 * (int64_t)i, 0);
	}
	struct label lab[260];
	char keys[260][24], vals[260][24];
	for (size_t s = 0; s < 12; s++) {
		size_t n = 0;
		for (size_t k = 0; k < 200; k++, n++) {
			snprintf(keys[n], sizeof(keys[n]), "key%03zu", k);
			snprintf(vals[n], sizeof(vals[n]), "v%zu_%zu", k, (s + k) % 3);
			lab[n] = (struct label){keys[n], vals[n], 0, NULL};
		}
		lab[n++] = (struct label){"span_id", NULL, (int64_t)(s * 7919 + 1), NULL};
		lab[n++] = (struct label){"bytes", NULL, (int64_t)(1 << (s % 20)), "bytes"};
		lab[n++] = (struct label){"wait", NULL, (int64_t)s * 1000, "nanoseconds"};
		lab[n++] = (struct label){"bytes", NULL, 3, "bytes"}; /* the same key twice */
		uint64_t st[2] = {1 + s % 4, 1};
		int64_t v[2] = {(int64_t)s + 1, ((int64_t)s + 1) * 10000000};
		sample(g, st, s % 4 ? 2 : 1, v, 2, lab, n);
	}
}

static void c_zero_values(struct gen *g)
{
	cpu_header(g);
	for (uint64_t i = 1; i <= 4; i++) {
		char name[32];
		snprintf(name, sizeof(name), "z.f%llu", (unsigned long long)i);
		simple_fn(g, i, name, "/src/z.go", 10 * (int64_t)i, 0);
	}
	uint64_t a[] = {2, 1}, b[] = {3, 1}, c[] = {4, 3, 1};
	sample2(g, a, 2, 0, 0);
	sample2(g, b, 2, 0, 0);
	sample2(g, c, 3, 5, 0);
	sample2(g, a, 2, 0, 0);
}

static void c_all_zero(struct gen *g)
{
	/* a profile whose every value is zero: total 0 */
	cpu_header(g);
	for (uint64_t i = 1; i <= 3; i++)
		simple_fn(g, i, i == 1 ? "main" : i == 2 ? "a" : "b", "/m.c", (int64_t)i * 3, 0);
	uint64_t a[] = {2, 1}, b[] = {3, 1};
	sample2(g, a, 2, 0, 0);
	sample2(g, b, 2, 0, 0);
}

static void c_many_sample_types(struct gen *g)
{
	char t[40][24];
	for (int i = 0; i < 40; i++) {
		snprintf(t[i], sizeof(t[i]), "type%02d", i);
		static const char *const units[] = {"count", "bytes", "nanoseconds", "seconds", "", "widgets", "ms", "kB"};
		sample_type(g, t[i], units[i % 8]);
	}
	pb_u(&g->body, 14, (uint64_t)S(g, "type07"));
	for (uint64_t i = 1; i <= 5; i++) {
		char name[32];
		snprintf(name, sizeof(name), "m.f%llu", (unsigned long long)i);
		simple_fn(g, i, name, "/src/m.go", 5 * (int64_t)i, 0);
	}
	for (size_t s = 0; s < 15; s++) {
		uint64_t st[3] = {1 + (s + 2) % 5, 1 + (s + 1) % 5, 1};
		int64_t v[40];
		for (int i = 0; i < 40; i++)
			v[i] = (int64_t)((s * 31 + (size_t)i * 17) % 97) * (i % 3 ? 1 : 1024);
		sample(g, st, 1 + s % 3, v, 40, NULL, 0);
	}
}

static void c_negative(struct gen *g)
{
	/* what a diff of two profiles written by an agent holds */
	cpu_header(g);
	for (uint64_t i = 1; i <= 6; i++) {
		char name[32];
		snprintf(name, sizeof(name), "neg.f%llu", (unsigned long long)i);
		simple_fn(g, i, name, "/src/neg.go", 10 * (int64_t)i, 0);
	}
	for (size_t s = 0; s < 24; s++) {
		uint64_t st[4] = {1 + (s * 5 + 3) % 6, 1 + (s * 3 + 1) % 6, 1 + s % 2, 1};
		int64_t c = (int64_t)(s % 7) - 3;
		sample2(g, st, 2 + s % 3, c, c * 10000000 - (int64_t)s);
	}
}

static void c_duplicate_names(struct gen *g)
{
	/* different functions of one name: other files, other start lines, other ids for one name */
	cpu_header(g);
	mapping(g, 1, 0x400000, 0x500000, 0, "/bin/app", "", HAS_FUNCTIONS | HAS_FILENAMES | HAS_LINES);
	function(g, 1, "main", "/src/main.go", 1);
	function(g, 2, "util.Do", "/src/a/util.go", 10);
	function(g, 3, "util.Do", "/src/b/util.go", 10);
	function(g, 4, "util.Do", "/src/a/util.go", 50);
	function_n(g, 5, "util.Do", 7, "util.Do#sys", "/src/a/util.go", 10);
	struct pb m = {0};
	/* and a function whose name is a second copy of the string in the table */
	pb_u(&m, 1, 6);
	pb_u(&m, 2, (uint64_t)str_index(g, "util.Do", 7, true));
	pb_u(&m, 4, (uint64_t)S(g, "/src/a/util.go"));
	pb_u(&m, 5, 10);
	pb_sub(&g->body, 5, &m);
	free(m.b);
	for (uint64_t i = 1; i <= 6; i++) {
		struct line l = {i, 20 + (int64_t)i, 0};
		location(g, i, 1, 0x400000 + 0x100 * i, &l, 1, false);
	}
	for (size_t s = 0; s < 18; s++) {
		uint64_t st[3] = {2 + s % 5, 2 + (s + 1) % 5, 1};
		sample2(g, st, 2 + s % 2, 1 + (int64_t)(s % 4), (1 + (int64_t)(s % 4)) * 10000000);
	}
}

static void c_long_names(struct gen *g)
{
	/* C++ and Rust template names, kilobytes long */
	cpu_header(g);
	static char a[5000], b[20000], c[300];
	strcpy(a, "std::vector<");
	while (strlen(a) < sizeof(a) - 100)
		strcat(a, "std::map<int, std::basic_string<char, std::char_traits<char> > >, ");
	strcat(a, "int>::push_back(int const&)");
	memset(b, 'x', sizeof(b) - 1);
	memcpy(b, "core::ptr::drop_in_place<", 25);
	b[sizeof(b) - 2] = '>';
	strcpy(c, "<alloc::vec::Vec<T,A> as core::ops::drop::Drop>::drop::h0123456789abcdef");
	function(g, 1, "main", "/src/main.rs", 1);
	function(g, 2, a, "/usr/include/c++/12/bits/stl_vector.h", 1200);
	function(g, 3, b, "/rustc/abc/library/core/src/ptr/mod.rs", 490);
	function(g, 4, c, "/rustc/abc/library/alloc/src/vec/mod.rs", 3000);
	for (uint64_t i = 1; i <= 4; i++) {
		struct line l = {i, 10 + (int64_t)i, 0};
		location(g, i, 0, 0, &l, 1, false);
	}
	uint64_t x[] = {2, 1}, y[] = {3, 4, 1}, z[] = {4, 1};
	sample2(g, x, 2, 3, 30000000);
	sample2(g, y, 3, 2, 20000000);
	sample2(g, z, 2, 1, 10000000);
}

static void c_deep_recursive(struct gen *g)
{
	/* deep stacks, recursion through two functions, a self-recursive leaf */
	cpu_header(g);
	simple_fn(g, 1, "main", "/src/r.go", 3, 0);
	simple_fn(g, 2, "r.even", "/src/r.go", 10, 0);
	simple_fn(g, 3, "r.odd", "/src/r.go", 20, 0);
	simple_fn(g, 4, "r.leaf", "/src/r.go", 30, 0);
	static uint64_t st[3000];
	for (size_t s = 0; s < 6; s++) {
		size_t d = 50 + s * 500;
		size_t k = 0;
		for (size_t r = 0; r < s + 1; r++)
			st[k++] = 4;
		while (k < d - 1) {
			st[k] = k % 2 ? 2 : 3;
			k++;
		}
		st[k++] = 1;
		sample2(g, st, k, (int64_t)s + 1, ((int64_t)s + 1) * 10000000);
	}
}

static void c_inline(struct gen *g)
{
	/* inlined frames: several lines per location, repeated names across inline levels */
	cpu_header(g);
	mapping(g, 1, 0x400000, 0x500000, 0, "/bin/app", "", HAS_FUNCTIONS | HAS_FILENAMES | HAS_LINES | HAS_INLINES);
	function(g, 1, "main.main", "/src/main.go", 1);
	function(g, 2, "main.outer", "/src/main.go", 10);
	function(g, 3, "main.inner", "/src/main.go", 20);
	function(g, 4, "strings.Index", "/opt/lib/strings/strings.go", 100);
	struct line l1[] = {{1, 5, 0}}, l2[] = {{3, 22, 0}, {2, 12, 0}}, l3[] = {{4, 110, 0}, {3, 24, 0}, {2, 13, 0}},
		    l4[] = {{2, 14, 0}, {2, 15, 0}};
	location(g, 1, 1, 0x401000, l1, 1, false);
	location(g, 2, 1, 0x402000, l2, 2, false);
	location(g, 3, 1, 0x403000, l3, 3, false);
	location(g, 4, 1, 0x404000, l4, 2, true);
	uint64_t a[] = {2, 1}, b[] = {3, 1}, c[] = {4, 1}, d[] = {3, 2, 1};
	sample2(g, a, 2, 1, 10000000);
	sample2(g, b, 2, 2, 20000000);
	sample2(g, c, 2, 3, 30000000);
	sample2(g, d, 3, 4, 40000000);
}

static void c_unicode_names(struct gen *g)
{
	/* valid UTF-8 of every length, combining marks, wide characters */
	cpu_header(g);
	static const char *const names[] = {"main", "π.计算", "émoji.😀", "mañana.e\xcc\x81", "ſchön", "日本語.関数"};
	for (uint64_t i = 0; i < ARRAY_SIZE(names); i++)
		simple_fn(g, i + 1, names[i], i % 2 ? "/src/ünï.go" : "/src/a.go", 10 * (int64_t)i + 1, 0);
	for (uint64_t i = 1; i < ARRAY_SIZE(names); i++) {
		uint64_t st[2] = {i + 1, 1};
		struct label lab[] = {{"ключ", "значение", 0, NULL}, {"größe", NULL, (int64_t)i * 1000, "bytes"}};
		int64_t v[2] = {(int64_t)i, (int64_t)i * 10000000};
		sample(g, st, 2, v, 2, lab, 2);
	}
}

static void c_special_chars(struct gen *g)
{
	/* what DOT and callgrind must escape */
	cpu_header(g);
	static const char *const names[] = {"main", "q\"uote", "back\\slash", "new\nline", "per%cent", "<angle>&amp;",
					    "{brace}|bar", "semi;colon", "tab\there"};
	for (uint64_t i = 0; i < ARRAY_SIZE(names); i++)
		simple_fn(g, i + 1, names[i], i % 3 ? "/src/we\"ird\\path.go" : "/src/a b.go", (int64_t)i + 2, 0);
	for (uint64_t i = 1; i < ARRAY_SIZE(names); i++) {
		uint64_t st[3] = {i + 1, 1 + i % 3, 1};
		struct label lab[] = {{"k\"ey", "v\\al\nue", 0, NULL}};
		int64_t v[2] = {(int64_t)i, (int64_t)i * 10000000};
		sample(g, st, i % 3 ? 3 : 2, v, 2, lab, 1);
	}
}

static void c_jfr(struct gen *g)
{
	/* an async-profiler / JFR converter: Java names, no mappings, wall and alloc types */
	sample_type(g, "samples", "count");
	sample_type(g, "wall", "nanoseconds");
	sample_type(g, "alloc_in_new_tlab_bytes", "bytes");
	period_type(g, "wall", "nanoseconds", 10000000);
	pb_u(&g->body, 14, (uint64_t)S(g, "wall"));
	static const char *const names[] = {"java.lang.Thread.run", "java/util/concurrent/ThreadPoolExecutor$Worker.run",
					    "com.example.Service.handle(Lcom/example/Request;)V", "Interpreter",
					    "[unknown_Java]", "__GI___libc_write", "JVM_Sleep", "[tid=12345]"};
	for (uint64_t i = 0; i < ARRAY_SIZE(names); i++) {
		function_n(g, i + 1, names[i], strlen(names[i]), "", i < 3 ? "Service.java" : "", 0);
		struct line l = {i + 1, i < 3 ? 40 + (int64_t)i : 0, 0};
		location(g, i + 1, 0, 0, &l, 1, false);
	}
	for (size_t s = 0; s < 30; s++) {
		uint64_t st[5] = {1 + (s * 3 + 2) % 8, 3, 2, 1, 8};
		size_t d = 2 + s % 4;
		uint64_t *p = st + (5 - d);
		struct label lab[] = {{"thread", s % 2 ? "main" : "worker-1", 0, NULL},
				      {"thread_id", NULL, (int64_t)(s % 3 + 1), NULL}};
		int64_t v[3] = {1, 10000000 * (int64_t)(1 + s % 3), s % 4 ? 0 : 4096 * (int64_t)s};
		sample(g, p, d, v, 3, lab, 2);
	}
}

static void c_nodejs(struct gen *g)
{
	/* Node.js (pprof-nodejs): column numbers, file URLs, (anonymous) and (program) frames */
	sample_type(g, "sample", "count");
	sample_type(g, "wall", "microseconds");
	period_type(g, "wall", "microseconds", 1000);
	static const char *const names[] = {"(root)", "(program)", "(garbage collector)", "(anonymous)", "processTicksAndRejections",
					    "handleRequest", "JSON.parse", ""};
	static const char *const files[] = {"", "", "", "file:///app/server.js", "node:internal/process/task_queues",
					    "file:///app/server.js", "", "file:///app/lib/util.js"};
	for (uint64_t i = 0; i < ARRAY_SIZE(names); i++) {
		function(g, i + 1, names[i], files[i], (int64_t)i * 3);
		struct line l = {i + 1, files[i][0] ? 10 + (int64_t)i : 0, files[i][0] ? 5 + (int64_t)i : 0};
		location(g, i + 1, 0, 0, &l, 1, false);
	}
	for (size_t s = 0; s < 25; s++) {
		uint64_t st[4] = {1 + (s * 5) % 8, 1 + (s + 3) % 8, s % 2 ? 6 : 4, 1};
		int64_t v[2] = {1, 1000 * (int64_t)(1 + s % 5)};
		sample(g, st, 2 + s % 3, v, 2, NULL, 0);
	}
}

static void c_dotnet(struct gen *g)
{
	/* .NET (dotnet-pgo / agents): Module!Namespace.Type.Method, generics, a CPU type in ms */
	sample_type(g, "cpu", "milliseconds");
	period_type(g, "cpu", "milliseconds", 10);
	mapping(g, 1, 0, 0, 0, "System.Private.CoreLib.dll", "", HAS_FUNCTIONS);
	mapping(g, 2, 0, 0, 0, "App.dll", "", HAS_FUNCTIONS);
	static const char *const names[] = {"App!Program.Main(string[])", "App!App.Worker`1[System.Int32].Run()",
					    "System.Private.CoreLib!System.Threading.Monitor.Enter(object)",
					    "System.Private.CoreLib!System.Collections.Generic.Dictionary`2[System.__Canon,System.__Canon].FindValue(!0)",
					    "[Native Frames]"};
	for (uint64_t i = 0; i < ARRAY_SIZE(names); i++) {
		function(g, i + 1, names[i], "", 0);
		struct line l = {i + 1, 0, 0};
		location(g, i + 1, i == 2 || i == 3 ? 1 : 2, 0, &l, 1, false);
	}
	for (size_t s = 0; s < 20; s++) {
		uint64_t st[4] = {1 + (s % 3) + 2, 2, 1};
		sample1(g, st, 2 + s % 2, 10 * (int64_t)(1 + s % 4));
	}
}

static void c_pyspy(struct gen *g)
{
	/* py-spy: <module>, file paths with line numbers, one sample type, no period */
	sample_type(g, "samples", "count");
	static const char *const names[] = {"<module>", "main", "process (worker.py:12)", "_bootstrap_inner", "run"};
	for (uint64_t i = 0; i < ARRAY_SIZE(names); i++) {
		function(g, i + 1, names[i], i % 2 ? "/usr/lib/python3.11/threading.py" : "/app/worker.py", 0);
		struct line l = {i + 1, 1 + 7 * (int64_t)i, 0};
		location(g, i + 1, 0, 0, &l, 1, false);
	}
	for (size_t s = 0; s < 20; s++) {
		uint64_t st[4] = {3, 2 + s % 3, 1 + s % 2, 1};
		struct label lab[] = {{"thread", s % 3 ? "MainThread" : "Thread-1", 0, NULL},
				      {"pid", NULL, 4242, NULL}};
		int64_t v = 1 + (int64_t)(s % 3);
		sample(g, st, 2 + s % 3, &v, 1, lab, 2);
	}
}

static void c_pprof_rs(struct gen *g)
{
	/* pprof-rs: Rust symbol names, one mapping without a file, frames with line 0 */
	sample_type(g, "cpu", "count");
	period_type(g, "cpu", "count", 10000000);
	pb_u(&g->body, 9, 1);
	static const char *const names[] = {"std::rt::lang_start::{{closure}}", "app::main",
					    "<tokio::runtime::Runtime as Drop>::drop", "alloc::raw_vec::finish_grow",
					    "__libc_start_main", "_start"};
	for (uint64_t i = 0; i < ARRAY_SIZE(names); i++) {
		function(g, i + 1, names[i], i < 4 ? "src/main.rs" : "", 0);
		struct line l = {i + 1, i < 4 ? (int64_t)i * 11 : 0, 0};
		location(g, i + 1, 0, 0, &l, 1, false);
	}
	for (size_t s = 0; s < 16; s++) {
		uint64_t st[6] = {4 - s % 2, 3, 2, 1, 5, 6};
		struct label lab[] = {{"thread", "tokio-runtime-worker", 0, NULL}};
		int64_t v = 1 + (int64_t)(s % 4);
		sample(g, st + (s % 3), 6 - s % 3, &v, 1, lab, 1);
	}
}

static void c_agent(struct gen *g)
{
	/* a continuous profiler's upload: comments, drop/keep frames, default type, doc_url, odd period */
	sample_type(g, "samples", "count");
	sample_type(g, "cpu", "nanoseconds");
	sample_type(g, "alloc_space", "bytes");
	period_type(g, "cpu", "nanoseconds", 1);
	pb_u(&g->body, 9, (uint64_t)-5); /* a time before 1970 */
	pb_u(&g->body, 10, 0);
	pb_u(&g->body, 13, (uint64_t)S(g, "uploaded by agent 1.2.3"));
	pb_u(&g->body, 13, (uint64_t)S(g, "#env=prod"));
	pb_u(&g->body, 14, (uint64_t)S(g, "cpu"));
	pb_u(&g->body, 7, (uint64_t)S(g, "runtime\\..*"));
	pb_u(&g->body, 8, (uint64_t)S(g, "runtime\\.main"));
	pb_bytes(&g->body, 15, "x", 0); /* doc_url as bytes: skipped by Go 1.19 */
	static const char *const names[] = {"runtime.goexit", "runtime.main", "main.main", "runtime.mallocgc", "app.work"};
	for (uint64_t i = 0; i < ARRAY_SIZE(names); i++)
		simple_fn(g, i + 1, names[i], "/src/x.go", 10 + (int64_t)i, 0);
	for (size_t s = 0; s < 20; s++) {
		uint64_t st[5] = {s % 2 ? 4 : 5, 5, 3, 2, 1};
		struct label lab[] = {{"service_name", "checkout", 0, NULL},
				      {"span_id", NULL, (int64_t)(0x7fffffff00000000LL + (int64_t)s), NULL},
				      {"pprof::base", "true", 0, NULL}};
		int64_t v[3] = {1, 10000000, s % 2 ? 1024 * (int64_t)s : 0};
		sample(g, st + s % 2, 5 - s % 2, v, 3, lab, s % 5 ? 2 : 3);
	}
}

static void c_field_order(struct gen *g)
{
	/* strings first, samples before the locations they use, unpacked repeated fields */
	g->strings_first = true;
	g->unpacked = true;
	uint64_t a[] = {3, 2, 1}, b[] = {2, 1};
	sample_type(g, "alloc_objects", "count");
	sample_type(g, "alloc_space", "bytes");
	sample2(g, a, 3, 4, 4096);
	sample2(g, b, 2, 1, 512);
	for (uint64_t i = 3; i >= 1; i--) {
		struct line l = {i, 30 + (int64_t)i, 0};
		location(g, i, 1, 0x10000 * i, &l, 1, false);
	}
	function(g, 3, "bytes.(*Buffer).grow", "/opt/lib/bytes/buffer.go", 100);
	function(g, 2, "encoding/json.Marshal", "/opt/lib/encoding/json/encode.go", 150);
	function(g, 1, "main.main", "/app/main.go", 10);
	mapping(g, 1, 0x10000, 0x100000, 0, "/app/bin", "", HAS_FUNCTIONS | HAS_FILENAMES | HAS_LINES);
	period_type(g, "space", "bytes", 524288);
}

static void c_extreme_lines(struct gen *g)
{
	/* line numbers 0, negative, huge; start lines negative; addresses 0 and 2^64-1 */
	cpu_header(g);
	mapping(g, 1, 0, UINT64_MAX, 0, "/bin/all", "", HAS_FUNCTIONS | HAS_FILENAMES | HAS_LINES);
	function(g, 1, "main", "/src/m.go", -5);
	function(g, 2, "big", "/src/m.go", INT64_MAX);
	function(g, 3, "neg", "/src/n.go", 0);
	struct line l1 = {1, 0, 0}, l2 = {2, INT64_MAX, 0}, l3 = {3, -7, 0}, l4 = {3, 1, 0};
	location(g, 1, 1, 0, &l1, 1, false);
	location(g, 2, 1, UINT64_MAX, &l2, 1, false);
	location(g, 3, 1, 0x8000000000000000ULL, &l3, 1, false);
	location(g, 4, 1, 1, &l4, 1, false);
	uint64_t a[] = {2, 1}, b[] = {3, 1}, c[] = {4, 2, 1};
	sample2(g, a, 2, 1, 10000000);
	sample2(g, b, 2, 2, 20000000);
	sample2(g, c, 3, 3, 30000000);
}

static void c_empty_stacks(struct gen *g)
{
	/* samples without locations (dropped by reports, counted in totals?) */
	cpu_header(g);
	simple_fn(g, 1, "main", "/m.go", 3, 0);
	simple_fn(g, 2, "work", "/m.go", 9, 0);
	uint64_t a[] = {2, 1};
	sample2(g, NULL, 0, 5, 50000000);
	sample2(g, a, 2, 1, 10000000);
	sample2(g, NULL, 0, 2, 20000000);
}

static void c_kernel_mappings(struct gen *g)
{
	/* perf-style mappings: the kernel, [vdso], anonymous regions, overlapping ranges */
	cpu_header(g);
	mapping(g, 1, 0xffffffff81000000ULL, 0xffffffff82000000ULL, 0, "[kernel.kallsyms]_text", "", 0);
	mapping(g, 2, 0x7ffd00000000, 0x7ffd00002000, 0, "[vdso]", "", 0);
	mapping(g, 3, 0x400000, 0x600000, 0x1000, "/usr/local/bin/app (deleted)", "aa", 0);
	mapping(g, 4, 0x500000, 0x700000, 0, "", "", 0);
	mapping(g, 5, 0x7f1234560000, 0x7f1234570000, 0, "/memfd:jit (deleted)", "", 0);
	location(g, 1, 1, 0xffffffff81234567ULL, NULL, 0, false);
	location(g, 2, 2, 0x7ffd00000a10, NULL, 0, false);
	location(g, 3, 3, 0x401234, NULL, 0, false);
	location(g, 4, 4, 0x650000, NULL, 0, false);
	location(g, 5, 5, 0x7f1234561000, NULL, 0, false);
	uint64_t a[] = {1, 3}, b[] = {2, 3}, c[] = {4, 5, 3}, d[] = {3};
	sample2(g, a, 2, 5, 50000000);
	sample2(g, b, 2, 1, 10000000);
	sample2(g, c, 3, 2, 20000000);
	sample2(g, d, 1, 3, 30000000);
}

static void c_big_values(struct gen *g)
{
	/* values near int64's range whose sums do not overflow; a huge period */
	sample_type(g, "space", "bytes");
	sample_type(g, "time", "nanoseconds");
	period_type(g, "space", "bytes", INT64_MAX);
	for (uint64_t i = 1; i <= 4; i++)
		simple_fn(g, i, i == 1 ? "main" : i == 2 ? "alloc" : i == 3 ? "grow" : "fill", "/b.go", 10 * (int64_t)i, 0);
	uint64_t a[] = {2, 1}, b[] = {3, 2, 1}, c[] = {4, 1};
	sample2(g, a, 2, 1LL << 60, 1LL << 61);
	sample2(g, b, 2, 1LL << 59, -(1LL << 61));
	sample2(g, c, 2, 3, (1LL << 61) + 12345);
	sample2(g, b, 3, 1LL << 58, 1);
}

static void c_numeric_tags(struct gen *g)
{
	/* numeric labels of many units, for -tags and the DOT tag boxes */
	sample_type(g, "alloc_objects", "count");
	sample_type(g, "alloc_space", "bytes");
	for (uint64_t i = 1; i <= 4; i++)
		simple_fn(g, i, i == 1 ? "main" : i == 2 ? "a" : i == 3 ? "b" : "c", "/t.go", 10 * (int64_t)i, 0);
	static const char *const units[] = {"bytes", "kilobytes", "ms", "nanoseconds", "requests", "", "seconds", "MB"};
	for (size_t s = 0; s < 32; s++) {
		uint64_t st[2] = {2 + s % 3, 1};
		struct label lab[3] = {{"bytes", NULL, (int64_t)(1ULL << (s % 40)), "bytes"},
				       {"lat", NULL, (int64_t)(s * s * 997), units[s % 8]},
				       {"zero", NULL, 0, "count"}};
		int64_t v[2] = {(int64_t)s + 1, ((int64_t)s + 1) * (int64_t)(1ULL << (s % 40))};
		sample(g, st, 2, v, 2, lab, 3);
	}
}

static void c_header_empty(struct gen *g)
{
	/* no sample type names, no period type, no time: every header line empty */
	sample_type(g, "", "");
	for (uint64_t i = 1; i <= 3; i++)
		simple_fn(g, i, i == 1 ? "main" : i == 2 ? "f" : "g", "/h.go", (int64_t)i, 0);
	uint64_t a[] = {2, 1}, b[] = {3, 1};
	sample1(g, a, 2, 7);
	sample1(g, b, 2, 3);
}

static void c_same_address(struct gen *g)
{
	/* distinct locations of one address and mapping, with different lines */
	cpu_header(g);
	mapping(g, 1, 0x400000, 0x500000, 0, "/bin/app", "", HAS_FUNCTIONS);
	function(g, 1, "main", "/m.c", 1);
	function(g, 2, "f", "/m.c", 10);
	function(g, 3, "g", "/m.c", 20);
	struct line l1 = {1, 2, 0}, l2 = {2, 11, 0}, l3 = {3, 21, 0}, l4 = {2, 12, 0};
	location(g, 1, 1, 0x401000, &l1, 1, false);
	location(g, 2, 1, 0x402000, &l2, 1, false);
	location(g, 3, 1, 0x402000, &l3, 1, false);
	location(g, 4, 1, 0x402000, &l4, 1, false);
	uint64_t a[] = {2, 1}, b[] = {3, 1}, c[] = {4, 1}, d[] = {2, 3, 4, 1};
	sample2(g, a, 2, 1, 10000000);
	sample2(g, b, 2, 2, 20000000);
	sample2(g, c, 2, 3, 30000000);
	sample2(g, d, 4, 4, 40000000);
}

static void c_many_nodes(struct gen *g)
{
	/* more nodes than the graph keeps (trimming, "Dropped N nodes"), ties in every order */
	cpu_header(g);
	for (uint64_t i = 1; i <= 150; i++) {
		char name[32];
		snprintf(name, sizeof(name), "pkg%llu.fn", (unsigned long long)(i % 37));
		function(g, i, name, i % 2 ? "/a.go" : "/b.go", (int64_t)i);
		struct line l = {i, (int64_t)i + 1, 0};
		location(g, i, 0, 0, &l, 1, false);
	}
	for (size_t s = 0; s < 400; s++) {
		uint64_t st[8];
		size_t d = 1 + rndn(g, 8);
		for (size_t k = 0; k < d; k++)
			st[k] = 1 + rndn(g, 150);
		st[d - 1] = 1;
		int64_t c = (int64_t)(1 + rndn(g, 3));
		sample2(g, st, d, c, c * 10000000);
	}
}

static void c_with_sources(struct gen *g)
{
	/* sources that exist (relative to the repository root, where the tests run), one that does not */
	cpu_header(g);
	function(g, 1, "main", "tests/tools/oddprof.c", 20);
	function(g, 2, "pb_varint", "tests/tools/oddprof.c", 66);
	function(g, 3, "pb_key", "./tests/tools/../tools/oddprof.c", 79);
	function(g, 4, "gone", "tests/tools/no_such_file.c", 5);
	function(g, 5, "nofile", "", 0);
	struct line l1[] = {{1, 24, 0}}, l2[] = {{2, 70, 0}}, l3[] = {{3, 81, 0}, {2, 72, 0}}, l4[] = {{4, 9, 0}},
		    l5[] = {{5, 3, 0}}, l6[] = {{2, 300, 0}};
	location(g, 1, 0, 0, l1, 1, false);
	location(g, 2, 0, 0, l2, 1, false);
	location(g, 3, 0, 0, l3, 2, false);
	location(g, 4, 0, 0, l4, 1, false);
	location(g, 5, 0, 0, l5, 1, false);
	location(g, 6, 0, 0, l6, 1, false);
	uint64_t a[] = {2, 1}, b[] = {3, 1}, c[] = {4, 1}, d[] = {5, 3, 1}, e[] = {6, 1};
	sample2(g, a, 2, 1, 10000000);
	sample2(g, b, 2, 2, 20000000);
	sample2(g, c, 2, 3, 30000000);
	sample2(g, d, 3, 4, 40000000);
	sample2(g, e, 2, 5, 50000000);
}

static void c_duplicate_types(struct gen *g)
{
	/* two sample types of one name (pprof takes the first), a default naming it, comments */
	sample_type(g, "samples", "count");
	sample_type(g, "cpu", "nanoseconds");
	sample_type(g, "cpu", "milliseconds");
	period_type(g, "cpu", "nanoseconds", 1000000);
	pb_u(&g->body, 14, (uint64_t)S(g, "cpu"));
	pb_u(&g->body, 13, (uint64_t)S(g, "first comment"));
	pb_u(&g->body, 13, (uint64_t)S(g, ""));
	pb_u(&g->body, 13, (uint64_t)S(g, "# third, \xff not UTF-8"));
	for (uint64_t i = 1; i <= 3; i++)
		simple_fn(g, i, i == 1 ? "main" : i == 2 ? "a" : "b", "/d.go", 10 * (int64_t)i, 0);
	for (size_t s = 0; s < 9; s++) {
		uint64_t st[2] = {2 + s % 2, 1};
		int64_t v[3] = {1, (int64_t)s * 1000000, (int64_t)s};
		sample(g, st, 2, v, 3, NULL, 0);
	}
}

static void c_binary_only(struct gen *g)
{
	/* what an unsymbolized agent sends: shared libraries by file name, addresses, no functions */
	cpu_header(g);
	mapping(g, 1, 0x400000, 0x800000, 0, "/usr/local/bin/server", "f00d", 0);
	mapping(g, 2, 0x7f0000000000, 0x7f0000200000, 0x1000, "/usr/lib/x86_64-linux-gnu/libssl.so.3", "", 0);
	mapping(g, 3, 0x7f1000000000, 0x7f1000100000, 0, "/lib/x86_64-linux-gnu/libc.so.6", "c0ffee", 0);
	for (uint64_t i = 1; i <= 6; i++)
		location(g, i, 1 + i % 3, (i % 3 == 0 ? 0x401000 : i % 3 == 1 ? 0x7f0000001000 : 0x7f1000001000) + 0x40 * i,
			 NULL, 0, false);
	tree_samples(g, 6, 30, 4, true);
}

static void c_repeated_label_keys(struct gen *g)
{
	/* a key given several values in one sample; numeric keys with and without units */
	cpu_header(g);
	for (uint64_t i = 1; i <= 3; i++)
		simple_fn(g, i, i == 1 ? "main" : i == 2 ? "h" : "k", "/r.go", 10 * (int64_t)i, 0);
	for (size_t s = 0; s < 8; s++) {
		uint64_t st[2] = {2 + s % 2, 1};
		struct label lab[] = {{"tag", "b", 0, NULL}, {"tag", "a", 0, NULL}, {"tag", s % 2 ? "c" : "a", 0, NULL},
				      {"n", NULL, (int64_t)s, NULL}, {"n", NULL, 7, NULL}, {"ms", NULL, (int64_t)s * 3, "ms"}};
		int64_t v[2] = {1, 10000000};
		sample(g, st, 2, v, 2, lab, 6);
	}
}

static const struct {
	const char *name;
	void (*make)(struct gen *g);
} cases[] = {
	{"invalid_utf8", c_invalid_utf8},
	{"no_mappings", c_no_mappings},
	{"no_mappings_addresses", c_no_mappings_addresses_only},
	{"extreme_ids", c_extreme_ids},
	{"empty_strings", c_empty_strings},
	{"lineless", c_lineless},
	{"huge_labels", c_huge_labels},
	{"zero_values", c_zero_values},
	{"all_zero", c_all_zero},
	{"many_sample_types", c_many_sample_types},
	{"negative", c_negative},
	{"duplicate_names", c_duplicate_names},
	{"long_names", c_long_names},
	{"deep_recursive", c_deep_recursive},
	{"inline", c_inline},
	{"unicode_names", c_unicode_names},
	{"special_chars", c_special_chars},
	{"jfr", c_jfr},
	{"nodejs", c_nodejs},
	{"dotnet", c_dotnet},
	{"pyspy", c_pyspy},
	{"pprof_rs", c_pprof_rs},
	{"agent", c_agent},
	{"field_order", c_field_order},
	{"extreme_lines", c_extreme_lines},
	{"empty_stacks", c_empty_stacks},
	{"kernel_mappings", c_kernel_mappings},
	{"big_values", c_big_values},
	{"numeric_tags", c_numeric_tags},
	{"header_empty", c_header_empty},
	{"same_address", c_same_address},
	{"many_nodes", c_many_nodes},
	{"with_sources", c_with_sources},
	{"duplicate_types", c_duplicate_types},
	{"binary_only", c_binary_only},
	{"repeated_label_keys", c_repeated_label_keys},
};

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "-list") == 0) {
		for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
			printf("%s\n", cases[i].name);
		return 0;
	}
	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: oddprof -list | oddprof DIR [NAME...]\n");
		return 64;
	}
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		bool want = argc == 2;
		for (int a = 2; a < argc && !want; a++)
			want = strcmp(argv[a], cases[i].name) == 0;
		if (!want)
			continue;
		struct gen g;
		gen_init(&g, i + 1);
		cases[i].make(&g);
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s.pb", argv[1], cases[i].name);
		write_profile(&g, path);
	}
	for (int a = 2; a < argc; a++) {
		bool known = false;
		for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
			known = known || strcmp(argv[a], cases[i].name) == 0;
		if (!known)
			die("no case named '%s'", argv[a]);
	}
	return 0;
}
