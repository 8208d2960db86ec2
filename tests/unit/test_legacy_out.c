/*
 * test_legacy_out.c - the -legacy writer (render/legacy.c): Go's debug=1
 * text of heap, contention and count profiles.
 *
 * The expected texts follow runtime/pprof's writers; their column
 * alignment was checked against Go 1.19's text/tabwriter.
 */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "cprof/report.h"

/* A profile with the given sample types and functions f0..fn-1 in /src/x.go, one location each. */
static struct cprof_profile *mk(const struct cprof_value_type *vt, size_t nvt, size_t nfn)
{
	struct cprof_profile *p = cprof_profile_new();
	cprof_profile_set_sample_types(p, vt, nvt);
	struct cprof_mapping *m = cprof_profile_add_mapping(p);
	m->id = 1;
	m->start = 0x400000;
	m->limit = 0x500000;
	for (size_t i = 0; i < nfn; i++) {
		char name[32];
		snprintf(name, sizeof(name), i == 0 ? "runtime.mallocgc" : "main.function%zu", i);
		struct cprof_function *f = cprof_profile_add_function(p);
		f->id = i + 1;
		f->name = f->system_name = cprof_profile_str(p, name);
		f->filename = cprof_profile_str(p, "/src/x.go");
		struct cprof_location *l = cprof_profile_add_location(p);
		l->id = i + 1;
		l->mapping = 0;
		l->address = 0x401000 + 0x10 * i;
		l->line = cprof_arena_calloc(&p->arena, 1, sizeof(*l->line));
		l->nline = 1;
		l->line[0].fn = (uint32_t)i;
		l->line[0].line = (int64_t)(10 + i);
	}
	return p;
}

static struct cprof_sample *add(struct cprof_profile *p, const uint32_t *locs, uint32_t nloc, const int64_t *v)
{
	struct cprof_sample *s = cprof_profile_add_sample(p);
	s->loc = cprof_arena_memdup(&p->arena, locs, nloc, sizeof(*locs));
	s->nloc = nloc;
	s->value = cprof_arena_memdup(&p->arena, v, p->nsample_type, sizeof(*v));
	return s;
}

static int render(struct cprof_profile *p, struct strbuf *out, struct cprof_error *err)
{
	struct cprof_report rpt = {0};
	rpt.prof = p;
	memset(err, 0, sizeof(*err));
	return cprof_render_legacy(&rpt, out, err);
}

/* pprof's scaleHeapSample, as a reader applies it */
static void scale(int64_t c, int64_t b, int64_t rate, int64_t *sc, int64_t *sb)
{
	if (c == 0 || b == 0) {
		*sc = *sb = 0;
		return;
	}
	double s = 1 / (1 - exp(-((double)b / (double)c) / (double)rate));
	*sc = (int64_t)((double)c * s);
	*sb = (int64_t)((double)b * s);
}

int test_legacy_out_heap(void)
{
	static const struct cprof_value_type vt[] = {
		{"alloc_objects", "count"}, {"alloc_space", "bytes"}, {"inuse_objects", "count"}, {"inuse_space", "bytes"}};
	struct cprof_profile *p = mk(vt, 4, 3);
	struct cprof_error err;
	struct strbuf out = STRBUF_INIT;
	const int64_t rate = 4096;
	p->period = rate;

	/* estimated values as the runtime computes them from raw (count, size) records */
	static const struct {
		int64_t ac, inuse_c, size;
	} recs[] = {{317, 80, 6144}, {1, 1, 229376}, {1027, 342, 24}, {3591, 3591, 16}, {5, 0, 20480}};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(recs); i++) {
		int64_t v[4];
		scale(recs[i].ac, recs[i].ac * recs[i].size, rate, &v[0], &v[1]);
		scale(recs[i].inuse_c, recs[i].inuse_c * recs[i].size, rate, &v[2], &v[3]);
		const uint32_t locs[] = {0, (uint32_t)(1 + i % 2)};
		struct cprof_sample *s = add(p, locs, 2, v);
		s->label = cprof_arena_calloc(&p->arena, 1, sizeof(*s->label));
		s->nlabel = 1;
		s->label[0].key = cprof_profile_str(p, "bytes");
		s->label[0].num = recs[i].size;
		s->label[0].num_unit = cprof_profile_str(p, "bytes");
	}
	CHECK_INT(render(p, &out, &err), 0);
	/* the raw records come back, sorted by in-use bytes as the runtime writes them;
	 * the runtime.* leaf is hidden as printStackRecord hides it */
	CHECK_STR(out.buf, "heap profile: 4014: 786560 [4941: 2361528] @ heap/8192\n"
			   "80: 491520 [317: 1947648] @ 0x401001 0x401011\n"
			   "#\t0x401010\tmain.function1+0x0\t/src/x.go:11\n"
			   "\n"
			   "1: 229376 [1: 229376] @ 0x401001 0x401021\n"
			   "#\t0x401020\tmain.function2+0x0\t/src/x.go:12\n"
			   "\n"
			   "3591: 57456 [3591: 57456] @ 0x401001 0x401021\n"
			   "#\t0x401020\tmain.function2+0x0\t/src/x.go:12\n"
			   "\n"
			   "342: 8208 [1027: 24648] @ 0x401001 0x401011\n"
			   "#\t0x401010\tmain.function1+0x0\t/src/x.go:11\n"
			   "\n"
			   "0: 0 [5: 102400] @ 0x401001 0x401011\n"
			   "#\t0x401010\tmain.function1+0x0\t/src/x.go:11\n"
			   "\n");

	/* without the bytes label the averages still find values that scale back */
	for (size_t i = 0; i < p->nsample; i++)
		p->sample[i].nlabel = 0;
	strbuf_reset(&out);
	CHECK_INT(render(p, &out, &err), 0);
	const char *q = strchr(out.buf, '\n') + 1;
	for (size_t i = 0; i < p->nsample; i++) {
		long long c, b, ac, ab;
		CHECK_INT(sscanf(q, "%lld: %lld [%lld: %lld]", &c, &b, &ac, &ab), 4);
		int64_t sc, sb, sac, sab;
		scale(c, b, rate, &sc, &sb);
		scale(ac, ab, rate, &sac, &sab);
		bool found = false;
		for (size_t j = 0; j < p->nsample; j++) {
			const int64_t *v = p->sample[j].value;
			found |= v[0] == sac && v[1] == sab && v[2] == sc && v[3] == sb;
		}
		CHECK(found);
		while (*q && !(q[0] == '\n' && q[1] != '#' && q[1] != '\n'))
			q++;
		q++;
	}

	/* no text form for negative values, or for bytes without objects */
	p->sample[0].value[3] = -1;
	strbuf_reset(&out);
	CHECK_INT(render(p, &out, &err), -1);
	CHECK_STR(cprof_error_msg(&err), "sample 1 has a negative value, which the legacy text format cannot hold");
	strbuf_release(&out);
	cprof_profile_free(p);
	return 0;
}

int test_legacy_out_contention(void)
{
	static const struct cprof_value_type vt[] = {{"contentions", "count"}, {"delay", "nanoseconds"}};
	struct cprof_profile *p = mk(vt, 2, 3);
	struct cprof_error err;
	struct strbuf out = STRBUF_INIT;
	const uint32_t a[] = {1, 2}, b[] = {2};
	const int64_t va[] = {7833, 817477234}, vb[] = {5, 9000000000000};
	add(p, a, 2, va);
	add(p, b, 1, vb);
	CHECK_INT(render(p, &out, &err), 0);
	CHECK_STR(out.buf, "--- contention:\n"
			   "cycles/second=1000000000\n"
			   "9000000000000 5 @ 0x401021\n"
			   "#\t0x401020\tmain.function2+0x0\t/src/x.go:12\n"
			   "\n"
			   "817477234 7833 @ 0x401011 0x401021\n"
			   "#\t0x401010\tmain.function1+0x0\t/src/x.go:11\n"
			   "#\t0x401020\tmain.function2+0x0\t/src/x.go:12\n"
			   "\n");
	/* every leaf an Unlock: a mutex profile */
	p->function[1].name = cprof_profile_str(p, "sync.(*Mutex).Unlock");
	p->function[2].name = cprof_profile_str(p, "sync.(*RWMutex).RUnlock");
	strbuf_reset(&out);
	CHECK_INT(render(p, &out, &err), 0);
	CHECK(strstr(out.buf, "--- mutex:\ncycles/second=1000000000\nsampling period=1\n9000000000000 5 @") == out.buf);
	strbuf_release(&out);
	cprof_profile_free(p);
	return 0;
}

int test_legacy_out_count(void)
{
	static const struct cprof_value_type vt[] = {{"goroutine", "count"}};
	struct cprof_profile *p = mk(vt, 1, 3);
	struct cprof_error err;
	struct strbuf out = STRBUF_INIT;
	const uint32_t a[] = {0, 1}, b[] = {2};
	const int64_t one[] = {1}, two[] = {2};
	/* runtime-only leaves are hidden; equal stacks and labels merge */
	struct cprof_sample *s = add(p, a, 2, one);
	s->label = cprof_arena_calloc(&p->arena, 3, sizeof(*s->label));
	s->nlabel = 3;
	s->label[0] = (struct cprof_label){cprof_profile_str(p, "role"), cprof_profile_str(p, "a\"b"), 0, ""};
	s->label[1] = (struct cprof_label){cprof_profile_str(p, "goid"), NULL, 7, ""}; /* numeric: dropped */
	s->label[2] = (struct cprof_label){cprof_profile_str(p, "group"), cprof_profile_str(p, "x"), 0, ""};
	struct cprof_sample *s2 = add(p, a, 2, two);
	s2->label = s->label;
	s2->nlabel = 3;
	add(p, b, 1, two);
	add(p, b, 0, one); /* an empty stack, as threadcreate has */
	/* a location without an address (goroutine dumps) gets a made-up one */
	p->location[2].address = 0;
	CHECK_INT(render(p, &out, &err), 0);
	CHECK_STR(out.buf, "goroutine profile: total 6\n"
			   "3 @ 0x401001 0x401011\n"
			   "# labels: {\"group\":\"x\", \"role\":\"a\\\"b\"}\n"
			   "#\t0x401010\tmain.function1+0x0\t/src/x.go:11\n"
			   "\n"
			   "2 @ 0x403021\n"
			   "#\t0x403020\tmain.function2+0x0\t/src/x.go:12\n"
			   "\n"
			   "1 @\n"
			   "#\t0x0\n"
			   "\n");
	strbuf_release(&out);
	cprof_profile_free(p);
	return 0;
}

int test_legacy_out_unsupported(void)
{
	static const struct cprof_value_type vt[] = {{"samples", "count"}, {"cpu", "nanoseconds"}};
	struct cprof_profile *p = mk(vt, 2, 1);
	struct cprof_error err;
	struct strbuf out = STRBUF_INIT;
	CHECK_INT(render(p, &out, &err), -1);
	CHECK_INT(err.code, CPROF_E_UNSUPPORTED);
	CHECK_STR(cprof_error_msg(&err), "no legacy text format for sample types [samples/count cpu/nanoseconds]: "
					 "-legacy writes heap, contention and count profiles");
	strbuf_release(&out);
	cprof_profile_free(p);
	return 0;
}
