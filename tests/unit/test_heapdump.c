/*
 * test_heapdump.c - Go heap dumps: the parser (formats/heapdump.c), the
 * object graph and its dominators (src/runtime/heapgraph.c, checked
 * against a naive dominator computation on random graphs), the dump as a
 * profile (src/runtime/heapprofile.c). Dumps are written by hand with
 * heapdump_writer.h.
 */
#include <stdlib.h>

#include "check.h"
#include "cprof/formats.h"
#include "cprof/heapdump.h"
#include "heapdump_writer.h"

static int parse_build(struct strbuf *b, struct cprof_heapdump **d, struct cprof_heapgraph **g)
{
	struct cprof_error err = {0};
	*g = NULL;
	if (cprof_heapdump_parse((const unsigned char *)b->buf, b->len, NULL, d, &err) < 0) {
		fprintf(stderr, "parse: %s\n", cprof_error_msg(&err));
		return 1;
	}
	if (cprof_heapgraph_build(*d, NULL, g, &err) < 0) {
		fprintf(stderr, "build: %s\n", cprof_error_msg(&err));
		cprof_heapdump_free(*d);
		return 1;
	}
	return 0;
}

/* The root node named name, or CPROF_NONE. */
static uint32_t root_named(const struct cprof_heapgraph *g, const char *name)
{
	for (uint32_t r = 0; r < g->nroot; r++)
		if (!strcmp(g->root[r].name, name))
			return g->first_root + r;
	return CPROF_NONE;
}

int test_heapdump_parse(void)
{
	struct strbuf b = STRBUF_INIT;
	hw_header(&b);
	hw_params(&b);
	uint64_t p1[] = {HW_HEAP + 64, 0, 0x1234}; /* a heap pointer, nil, outside the heap */
	hw_object(&b, HW_HEAP, 32, p1, 3);
	hw_object(&b, HW_HEAP + 64, 16, NULL, 0);
	hw_goroutine(&b, 0xc000001000, 7);
	uint64_t fp[] = {HW_HEAP};
	hw_frame(&b, "main.main", 0, fp, 1);
	hw_frame(&b, "runtime.main", 1, NULL, 0);
	uint64_t bss[] = {HW_HEAP + 64};
	hw_segment(&b, HW_BSS, 0x5a0000, bss, 1);
	hw_memstats(&b, 48, 2);
	hw_memprof(&b, 0xb0, 32, "main.alloc", 12);
	hw_sample(&b, HW_HEAP, 0xb0);
	hw_eof(&b);

	struct cprof_heapdump *d;
	struct cprof_error err = {0};
	CHECK(cprof_heapdump_sniff((const unsigned char *)b.buf, b.len));
	CHECK(cprof_heapdump_parse((const unsigned char *)b.buf, b.len, NULL, &d, &err) == 0);
	CHECK_STR(d->version, "go1.7");
	CHECK_STR(d->arch, "amd64");
	CHECK_STR(d->build, "go1.19.8");
	CHECK_INT(d->ptr_size, 8);
	CHECK_INT(d->nobj, 2);
	CHECK_INT(d->obj_bytes, 48);
	CHECK_INT(d->nfields, 3);
	CHECK_INT(d->nptr, 1); /* nil and the non-heap value dropped */
	CHECK_INT(d->ptr_val[0], HW_HEAP + 64);
	CHECK_INT(d->ngoroutine, 1);
	CHECK_INT(d->goroutine[0].goid, 7);
	CHECK_INT(d->goroutine[0].nframes, 2);
	CHECK_INT(d->nframe, 2);
	CHECK_STR(d->frame[1].func, "runtime.main");
	CHECK_INT(d->frame[0].goroutine, 0);
	CHECK(d->bss.present && !d->data.present);
	CHECK_INT(d->bss.slots.n, 1);
	CHECK(d->has_memstats);
	CHECK_INT(d->memstats[CPROF_HDMS_HeapAlloc], 48);
	CHECK_INT(d->nbucket, 1);
	CHECK_INT(d->bucket[0].n, 2);
	CHECK_STR(d->bucket_frame[d->bucket[0].first + 1].func, "main.alloc");
	CHECK_INT(d->nsample, 1);

	struct cprof_heapgraph *g;
	CHECK(cprof_heapgraph_build(d, NULL, &g, &err) == 0);
	uint32_t f = root_named(g, "main.main"), s = root_named(g, "bss+0x0");
	CHECK(f != CPROF_NONE && s != CPROF_NONE);
	CHECK_INT(g->reachable_count, 2);
	/* object 1 is reached from the frame (through object 0) and from bss: neither dominates it */
	CHECK_INT(g->idom[g->first_obj + 1], 0);
	CHECK_INT(g->idom[g->first_obj + 0], f);
	CHECK_INT(g->ret_bytes[f], 32);
	CHECK_INT(g->ret_bytes[s], 0);
	CHECK_INT(g->ret_bytes[0], 48);
	CHECK_INT(g->sampled_count, 1);
	CHECK_INT(g->nsite, 1);
	CHECK_STR(g->site[0].func, "main.alloc");
	cprof_heapgraph_free(g);
	cprof_heapdump_free(d);
	strbuf_release(&b);
	return 0;
}

/* ---- random graphs against a naive dominator computation ---------------------- */

#define MAXN 200

struct naive {
	int n;
	int nsucc[MAXN];
	int succ[MAXN][12];
	uint64_t dom[MAXN][(MAXN + 63) / 64]; /* dom[v]: the nodes dominating v */
	int idom[MAXN];
	bool reach[MAXN];
};

static void naive_add(struct naive *x, int from, int to)
{
	if (x->nsucc[from] < 12)
		x->succ[from][x->nsucc[from]++] = to;
}

static void naive_solve(struct naive *x)
{
	int words = (x->n + 63) / 64;
	/* reachability from 0 */
	int stack[MAXN * 12], sp = 0;
	memset(x->reach, 0, sizeof(x->reach));
	x->reach[0] = true;
	stack[sp++] = 0;
	while (sp) {
		int v = stack[--sp];
		for (int i = 0; i < x->nsucc[v]; i++)
			if (!x->reach[x->succ[v][i]]) {
				x->reach[x->succ[v][i]] = true;
				stack[sp++] = x->succ[v][i];
			}
	}
	for (int v = 0; v < x->n; v++) {
		memset(x->dom[v], v ? 0xff : 0, sizeof(x->dom[v]));
		if (!v)
			x->dom[0][0] = 1;
	}
	for (bool changed = true; changed;) {
		changed = false;
		for (int v = 1; v < x->n; v++) {
			if (!x->reach[v])
				continue;
			uint64_t nd[(MAXN + 63) / 64];
			memset(nd, 0xff, sizeof(nd));
			for (int u = 0; u < x->n; u++) {
				if (!x->reach[u])
					continue;
				for (int i = 0; i < x->nsucc[u]; i++)
					if (x->succ[u][i] == v && u != v)
						for (int w = 0; w < words; w++)
							nd[w] &= x->dom[u][w];
			}
			nd[v / 64] |= 1ULL << (v % 64);
			if (memcmp(nd, x->dom[v], sizeof(nd))) {
				memcpy(x->dom[v], nd, sizeof(nd));
				changed = true;
			}
		}
	}
	/* the immediate dominator: the strict dominator dominated by all the others */
	for (int v = 0; v < x->n; v++) {
		x->idom[v] = -1;
		if (!x->reach[v] || !v)
			continue;
		int best = -1, bestcount = -1;
		for (int d = 0; d < x->n; d++) {
			if (d == v || !(x->dom[v][d / 64] >> (d % 64) & 1))
				continue;
			int c = 0;
			for (int w = 0; w < words; w++)
				c += __builtin_popcountll(x->dom[d][w]);
			if (c > bestcount)
				bestcount = c, best = d;
		}
		x->idom[v] = best;
	}
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * nobj objects of 64 bytes at HW_HEAP + 64 i, random pointers (some
 * interior, some nil, some outside every object), nslot bss slots and a
 * frame of two slots. The naive graph has the builder's shape: 0 super,
 * 1 globals, 2 stacks, 3.. one root per bss slot that holds a heap value,
 * then the frame's function, then the objects.
 */
static int random_case(uint64_t seed, int nobj, int nslot)
{
	struct naive *x = calloc(1, sizeof(*x));
	struct strbuf b = STRBUF_INIT;
	uint64_t s = seed * 2654435761u + 1;
	uint64_t bss[16], frame[2];
	int obj_target[MAXN][8];
	int slot_target[16], frame_target[2];

	hw_header(&b);
	hw_params(&b);
	/* objects in an order of runs, not by address, to exercise the sort */
	int order[MAXN];
	for (int i = 0; i < nobj; i++)
		order[i] = i;
	for (int i = nobj - 1; i > 0; i--) {
		int j = (int)(rnd(&s) % (uint64_t)(i + 1)), t = order[i];
		order[i] = order[j], order[j] = t;
	}
	for (int k = 0; k < nobj; k++) {
		int i = order[k];
		uint64_t p[8];
		int np = (int)(rnd(&s) % 4);
		for (int j = 0; j < np; j++) {
			int kind = (int)(rnd(&s) % 10), t = (int)(rnd(&s) % (uint64_t)nobj);
			obj_target[i][j] = kind == 0 ? -1 : t;
			p[j] = kind == 0 ? 0 : HW_HEAP + 64 * (uint64_t)t + (kind == 1 ? 40 : 0);
			if (kind == 2) { /* past the last object: resolves to nothing */
				p[j] = HW_HEAP + 64 * (uint64_t)nobj + 8;
				obj_target[i][j] = -1;
			}
		}
		for (int j = np; j < 8; j++)
			obj_target[i][j] = -1;
		hw_object(&b, HW_HEAP + 64 * (uint64_t)i, 64, p, (size_t)np);
	}
	for (int i = 0; i < nslot; i++) {
		int t = (int)(rnd(&s) % (uint64_t)(nobj + 2));
		slot_target[i] = t < nobj ? t : -1;
		bss[i] = t < nobj ? HW_HEAP + 64 * (uint64_t)t : 0;
	}
	for (int i = 0; i < 2; i++) {
		int t = (int)(rnd(&s) % (uint64_t)nobj);
		frame_target[i] = t;
		frame[i] = HW_HEAP + 64 * (uint64_t)t + 8;
	}
	hw_goroutine(&b, 0xc0ffee, 1);
	hw_frame(&b, "main.f", 0, frame, 2);
	hw_segment(&b, HW_BSS, 0x5a0000, bss, (size_t)nslot);
	hw_eof(&b);

	/* the naive graph */
	int slot_node[16], nroots = 3;
	for (int i = 0; i < nslot; i++)
		slot_node[i] = slot_target[i] >= 0 ? nroots++ : -1;
	int fnode = nroots++, first = nroots;
	x->n = first + nobj;
	naive_add(x, 0, 1);
	naive_add(x, 0, 2);
	for (int i = 0; i < nslot; i++)
		if (slot_node[i] >= 0) {
			naive_add(x, 1, slot_node[i]);
			naive_add(x, slot_node[i], first + slot_target[i]);
		}
	naive_add(x, 2, fnode);
	for (int i = 0; i < 2; i++)
		naive_add(x, fnode, first + frame_target[i]);
	for (int i = 0; i < nobj; i++)
		for (int j = 0; j < 8; j++)
			if (obj_target[i][j] >= 0)
				naive_add(x, first + i, first + obj_target[i][j]);
	naive_solve(x);

	struct cprof_heapdump *d;
	struct cprof_heapgraph *g;
	int rc = parse_build(&b, &d, &g);
	strbuf_release(&b);
	if (rc) {
		free(x);
		return 1;
	}
	/* map the naive node numbers to the graph's */
	uint32_t map[MAXN];
	map[0] = 0, map[1] = 1 + CPROF_HK_GLOBALS, map[2] = 1 + CPROF_HK_STACKS;
	for (int i = 0; i < nslot; i++)
		if (slot_node[i] >= 0) {
			char name[32];
			snprintf(name, sizeof(name), "bss+0x%x", 8 * i);
			map[slot_node[i]] = root_named(g, name);
		}
	map[fnode] = root_named(g, "main.f");
	for (int k = 0; k < nobj; k++) /* objects are in the dump's order */
		map[first + order[k]] = g->first_obj + (uint32_t)k;
	for (int v = 1; v < x->n; v++) {
		uint32_t want = x->reach[v] ? map[x->idom[v]] : CPROF_NONE;
		if (g->idom[map[v]] != want) {
			fprintf(stderr, "seed %llu: node %d (graph %u): idom %u, want %u (naive %d)\n",
				(unsigned long long)seed, v, map[v], g->idom[map[v]], want, x->idom[v]);
			rc = 1;
			break;
		}
		/* retained: the objects v dominates */
		uint64_t want_count = 0;
		for (int u = first; u < x->n; u++)
			if (x->reach[u] && (x->dom[u][v / 64] >> (v % 64) & 1))
				want_count++;
		if (x->reach[v] && (g->ret_count[map[v]] != want_count || g->ret_bytes[map[v]] != 64 * want_count)) {
			fprintf(stderr, "seed %llu: node %d: retains %u objects, want %llu\n", (unsigned long long)seed,
				v, g->ret_count[map[v]], (unsigned long long)want_count);
			rc = 1;
			break;
		}
	}
	cprof_heapgraph_free(g);
	cprof_heapdump_free(d);
	free(x);
	return rc;
}

int test_heapdump_dominators_random(void)
{
	for (uint64_t seed = 1; seed <= 1000; seed++) {
		int nobj = 2 + (int)(seed * 7 % 150), nslot = 1 + (int)(seed % 12);
		if (random_case(seed, nobj, nslot))
			return 1;
	}
	return 0;
}

/* A list of a million nodes: a path as deep as that (iterative walks), all retained by its global. */
int test_heapdump_long_list(void)
{
	enum { N = 1000000 };
	struct strbuf b = STRBUF_INIT;
	hw_header(&b);
	hw_params(&b);
	for (uint64_t i = 0; i < N; i++) {
		uint64_t next = i + 1 < N ? HW_HEAP + 16 * (i + 1) : 0;
		hw_object(&b, HW_HEAP + 16 * i, 16, &next, 1);
	}
	uint64_t head = HW_HEAP;
	hw_segment(&b, HW_BSS, 0x5a0000, &head, 1);
	hw_eof(&b);
	struct cprof_heapdump *d;
	struct cprof_heapgraph *g;
	CHECK(parse_build(&b, &d, &g) == 0);
	strbuf_release(&b);
	uint32_t r = root_named(g, "bss+0x0");
	CHECK(r != CPROF_NONE);
	CHECK_INT(g->ret_count[r], N);
	CHECK_INT(g->ret_bytes[r], 16 * N);
	CHECK_INT(g->ret_count[g->first_obj + N / 2], N / 2);
	CHECK_INT(g->idom[g->first_obj + N - 1], g->first_obj + N - 2);
	/* the retention tree: the list is one node under its root */
	uint32_t t = g->tree[0].first_child; /* [globals] */
	CHECK(t != CPROF_NONE);
	t = g->tree[t].first_child; /* bss+0x0 */
	CHECK(t != CPROF_NONE);
	t = g->tree[t].first_child; /* [16 B] */
	CHECK(t != CPROF_NONE && g->tree[t].first_child == CPROF_NONE);
	CHECK_STR(g->tree_name[g->tree[t].name], "[16 B]");
	CHECK_INT(g->tree[t].self_count, N);
	cprof_heapgraph_free(g);
	cprof_heapdump_free(d);
	return 0;
}

/*
 * A registered finalizer retains its object only when nothing else
 * reaches it; a queued one always; cycles are fine.
 */
int test_heapdump_finalizers(void)
{
	struct strbuf b = STRBUF_INIT;
	hw_header(&b);
	hw_params(&b);
	uint64_t a2b = HW_HEAP + 0x100, b2a = HW_HEAP;
	hw_object(&b, HW_HEAP, 64, &a2b, 1);         /* a <-> b: a cycle, otherwise unreachable */
	hw_object(&b, HW_HEAP + 0x100, 64, &b2a, 1);
	hw_object(&b, HW_HEAP + 0x200, 32, NULL, 0); /* c: a global's, with a finalizer too */
	hw_object(&b, HW_HEAP + 0x300, 16, NULL, 0); /* d: in the finalizer queue */
	uint64_t glob = HW_HEAP + 0x200;
	hw_segment(&b, HW_BSS, 0x5a0000, &glob, 1);
	hw_finalizer(&b, false, HW_HEAP, 0, 0x4b0000);
	hw_finalizer(&b, false, HW_HEAP + 0x200, 0, 0x4b0100);
	hw_finalizer(&b, true, HW_HEAP + 0x300, 0, 0x4b0200);
	hw_eof(&b);
	struct cprof_heapdump *d;
	struct cprof_heapgraph *g;
	CHECK(parse_build(&b, &d, &g) == 0);
	strbuf_release(&b);
	uint32_t fa = root_named(g, "0x4b0000"), fc = root_named(g, "0x4b0100");
	uint32_t q = root_named(g, "0x4b0200"), gl = root_named(g, "bss+0x0");
	CHECK(fa != CPROF_NONE && fc != CPROF_NONE && q != CPROF_NONE && gl != CPROF_NONE);
	CHECK_INT(g->ret_bytes[fa], 128);
	CHECK_INT(g->ret_bytes[fc], 0);
	CHECK_INT(g->ret_bytes[gl], 32);
	CHECK_INT(g->ret_bytes[q], 16);
	CHECK_INT(g->root[q - g->first_root].kind, CPROF_HN_QUEUED);
	CHECK_INT(g->unreachable_count, 0);
	cprof_heapgraph_free(g);
	cprof_heapdump_free(d);
	return 0;
}

/* Each broken dump gives its error, never a crash. */
int test_heapdump_errors(void)
{
	static const struct {
		const char *name;
		int cut; /* bytes to cut from the end, or -1 */
		const char *want;
	} cases[] = {
		{"truncated", 5, "truncated"},
		{"no eof", 1, "no EOF record"},
	};
	struct strbuf b = STRBUF_INIT;
	hw_header(&b);
	hw_params(&b);
	uint64_t p = HW_HEAP;
	hw_object(&b, HW_HEAP, 16, &p, 1);
	hw_eof(&b);
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(cases); i++) {
		struct cprof_heapdump *d = NULL;
		struct cprof_error err = {0};
		CHECK(cprof_heapdump_parse((const unsigned char *)b.buf, b.len - (size_t)cases[i].cut, NULL, &d, &err) <
		      0);
		if (!strstr(cprof_error_msg(&err), cases[i].want)) {
			fprintf(stderr, "%s: %s\n", cases[i].name, cprof_error_msg(&err));
			return 1;
		}
	}
	/* every prefix fails cleanly, the whole parses */
	for (size_t len = 0; len < b.len; len++) {
		struct cprof_heapdump *d = NULL;
		struct cprof_error err = {0};
		CHECK(cprof_heapdump_parse((const unsigned char *)b.buf, len, NULL, &d, &err) < 0 && !d);
	}
	static const struct {
		const char *bytes;
		size_t len;
		const char *want;
	} raw[] = {
		{"go1.4 heap dump\n", 16, "not supported"},
		{"go1.7 heap dump\n\x63", 17, "unknown record tag"},
		{"go1.7 heap dump\n\x01\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01", 28, "varint overflows"},
		{"go1.7 heap dump\n\x01\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00", 30, "before the params"},
		{"go1.7 heap dump\n\x06\x00\x05\x00\x00\x00\x00\x00\x00", 25, "neither 4 nor 8"},
		{"go1.7 heap dump\n\x00\x00", 18, "after the EOF"},
		{"go1.7 heap dump\n\x10\x01\x08\xff\xff\xff\xff\x0f", 24, "more frames than the bytes left"},
		{"go1.7 heap dump\n\x02\xff\xff\xff\xff\x0f", 22, "truncated"},
		{"hello", 5, "not a Go heap dump"},
	};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(raw); i++) {
		struct cprof_heapdump *d = NULL;
		struct cprof_error err = {0};
		CHECK(cprof_heapdump_parse((const unsigned char *)raw[i].bytes, raw[i].len, NULL, &d, &err) < 0);
		if (!strstr(cprof_error_msg(&err), raw[i].want)) {
			fprintf(stderr, "case %zu: %s\n", i, cprof_error_msg(&err));
			return 1;
		}
	}
	/* a field outside its object, overlapping objects */
	strbuf_reset(&b);
	hw_header(&b);
	hw_params(&b);
	hw_uv(&b, HW_OBJECT);
	hw_uv(&b, HW_HEAP);
	hw_uv(&b, 8);
	strbuf_addchars(&b, 0, 8);
	hw_uv(&b, 1);
	hw_uv(&b, 8); /* offset 8 of 8 bytes */
	hw_uv(&b, 0);
	hw_eof(&b);
	struct cprof_heapdump *d = NULL;
	struct cprof_heapgraph *g = NULL;
	struct cprof_error err = {0};
	CHECK(cprof_heapdump_parse((const unsigned char *)b.buf, b.len, NULL, &d, &err) < 0);
	CHECK(strstr(cprof_error_msg(&err), "outside the contents"));
	strbuf_reset(&b);
	hw_header(&b);
	hw_params(&b);
	hw_object(&b, HW_HEAP, 64, NULL, 0);
	hw_object(&b, HW_HEAP + 32, 64, NULL, 0);
	hw_eof(&b);
	CHECK(cprof_heapdump_parse((const unsigned char *)b.buf, b.len, NULL, &d, &err) == 0);
	CHECK(cprof_heapgraph_build(d, NULL, &g, &err) < 0);
	CHECK(strstr(cprof_error_msg(&err), "objects overlap at 0xc000000020"));
	cprof_heapdump_free(d);
	strbuf_release(&b);
	return 0;
}

/* The dump as a profile: dominator paths as stacks, the objects' own values. */
int test_heapdump_profile(void)
{
	struct strbuf b = STRBUF_INIT;
	hw_header(&b);
	hw_params(&b);
	uint64_t next = HW_HEAP + 64;
	hw_object(&b, HW_HEAP, 64, &next, 1);   /* list node */
	hw_object(&b, HW_HEAP + 64, 64, NULL, 0); /* list node */
	hw_object(&b, HW_HEAP + 128, 8192, NULL, 0); /* garbage */
	uint64_t head = HW_HEAP;
	hw_segment(&b, HW_BSS, 0x5a0000, &head, 1);
	hw_eof(&b);
	struct cprof_profile *p = NULL;
	struct cprof_error err = {0};
	CHECK(cprof_parse_profile((const unsigned char *)b.buf, b.len, &p, &err) == 0);
	strbuf_release(&b);
	CHECK_INT(p->nsample_type, 2);
	CHECK_STR(p->sample_type[1].type, "retained_space");
	CHECK_STR(p->default_sample_type, "retained_space");
	CHECK_INT(p->nsample, 2);
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < p->nsample; i++) {
		const struct cprof_sample *s = &p->sample[i];
		for (uint32_t j = s->nloc; j > 0; j--)
			strbuf_addf(&sb, "%s%s", p->function[p->location[s->loc[j - 1]].line[0].fn].name, j > 1 ? ";" : "");
		strbuf_addf(&sb, " %lld %lld\n", (long long)s->value[0], (long long)s->value[1]);
	}
	CHECK_STR(sb.buf, "[globals];bss+0x0;[64 B] 2 128\n[unreachable];[8 KiB] 1 8192\n");
	strbuf_release(&sb);
	cprof_profile_free(p);
	return 0;
}

/*
 * The retention tree: a list is one node; a header, its array and values
 * of the header's size (A B A) stay three nodes; A B A B A folds.
 */
int test_heapdump_tree_fold(void)
{
	struct strbuf b = STRBUF_INIT;
	hw_header(&b);
	hw_params(&b);
	uint64_t h2a = HW_HEAP + 0x100, a2v[2] = {HW_HEAP + 0x200, HW_HEAP + 0x240}, v2i = HW_HEAP + 0x300;
	hw_object(&b, HW_HEAP, 48, &h2a, 1);          /* a map header */
	hw_object(&b, HW_HEAP + 0x100, 256, a2v, 2);  /* its buckets */
	hw_object(&b, HW_HEAP + 0x200, 48, &v2i, 1);  /* two values of the header's size */
	hw_object(&b, HW_HEAP + 0x240, 48, NULL, 0);
	hw_object(&b, HW_HEAP + 0x300, 32, NULL, 0);  /* what a value holds */
	uint64_t root = HW_HEAP;
	hw_segment(&b, HW_BSS, 0x5a0000, &root, 1);
	hw_eof(&b);
	struct cprof_heapdump *d;
	struct cprof_heapgraph *g;
	CHECK(parse_build(&b, &d, &g) == 0);
	strbuf_release(&b);
	struct strbuf path = STRBUF_INIT;
	for (uint32_t t = g->tree[0].first_child; t != CPROF_NONE; t = g->tree[t].first_child)
		strbuf_addf(&path, "%s(%llu);", g->tree_name[g->tree[t].name], (unsigned long long)g->tree[t].self_count);
	CHECK_STR(path.buf, "[globals](0);bss+0x0(0);[48 B](1);[256 B](1);[48 B](2);[32 B](1);");
	strbuf_release(&path);
	cprof_heapgraph_free(g);
	cprof_heapdump_free(d);
	return 0;
}
