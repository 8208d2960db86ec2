/*
 * test_transform.c - merge, base/diff/normalize, sample index, filters,
 * pruning, tag frames and aggregation on small hand-built profiles.
 * Expected values come from pprof's own tests where they exist (see
 * ../shared/spec/pprof.md §8) and from running Go 1.19's pprof otherwise.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "check.h"
#include "cprof/formats.h"
#include "cprof/profile.h"
#include "cprof/strbuf.h"
#include "cprof/transform.h"
#include "src/pipeline/transform_internal.h"

/* ---- building profiles by hand -------------------------------------------- */

/* A profile with sample types "type/unit,type/unit" and period type pt/pu. */
static struct cprof_profile *mk(const char *types, const char *pt, const char *pu)
{
	struct cprof_profile *p = cprof_profile_new();
	struct cprof_value_type t[8];
	char buf[256];
	size_t n = 0;
	snprintf(buf, sizeof(buf), "%s", types);
	for (char *tok = strtok(buf, ","); tok && n < 8; tok = strtok(NULL, ",")) {
		char *slash = strchr(tok, '/');
		*slash = 0;
		t[n].type = tok;
		t[n].unit = slash + 1;
		n++;
	}
	cprof_profile_set_sample_types(p, t, n);
	p->period_type.type = cprof_profile_str(p, pt);
	p->period_type.unit = cprof_profile_str(p, pu);
	p->period = 1;
	return p;
}

static uint32_t mk_mapping(struct cprof_profile *p, uint64_t start, uint64_t limit, const char *file)
{
	struct cprof_mapping *m = cprof_profile_add_mapping(p);
	m->id = p->nmapping;
	m->start = start;
	m->limit = limit;
	m->file = cprof_profile_str(p, file);
	m->has_functions = m->has_filenames = m->has_line_numbers = m->has_inline_frames = true;
	return (uint32_t)(p->nmapping - 1);
}

/* The function named name in file, created on first use (id = index + 100). */
static uint32_t mk_fn(struct cprof_profile *p, const char *name, const char *file)
{
	name = cprof_profile_str(p, name);
	file = cprof_profile_str(p, file);
	for (size_t i = 0; i < p->nfunction; i++)
		if (p->function[i].name == name && p->function[i].filename == file)
			return (uint32_t)i;
	struct cprof_function *f = cprof_profile_add_function(p);
	f->id = p->nfunction + 100;
	f->name = name;
	f->system_name = name;
	f->filename = file;
	return (uint32_t)(p->nfunction - 1);
}

/*
 * A location at addr in mapping m with lines "name:line" (innermost
 * first), NULL-terminated; every function's file is "<name>.c".
 */
static uint32_t mk_loc(struct cprof_profile *p, uint32_t m, uint64_t addr, ...)
{
	va_list ap;
	struct cprof_line lines[8];
	uint32_t n = 0;
	va_start(ap, addr);
	for (const char *s; (s = va_arg(ap, const char *)) && n < 8;) {
		char name[64], file[70];
		const char *colon = strchr(s, ':');
		size_t len = colon ? (size_t)(colon - s) : strlen(s);
		snprintf(name, sizeof(name), "%.*s", (int)len, s);
		snprintf(file, sizeof(file), "%s.c", name);
		lines[n].fn = mk_fn(p, name, file);
		lines[n].line = colon ? atoi(colon + 1) : 0;
		lines[n].column = 0;
		n++;
	}
	va_end(ap);
	struct cprof_location *l = cprof_profile_add_location(p);
	l->id = p->nlocation * 10; /* ids are not indices */
	l->address = addr;
	l->mapping = m;
	l->line = cprof_arena_memdup(&p->arena, lines, n, sizeof(*lines));
	l->nline = n;
	return (uint32_t)(p->nlocation - 1);
}

/* A sample: values, then location indices (leaf first) ending with -1. */
static struct cprof_sample *mk_sample(struct cprof_profile *p, const int64_t *v, ...)
{
	va_list ap;
	uint32_t locs[64], n = 0;
	va_start(ap, v);
	for (int l; (l = va_arg(ap, int)) >= 0 && n < 64;)
		locs[n++] = (uint32_t)l;
	va_end(ap);
	struct cprof_sample *s = cprof_profile_add_sample(p);
	s->value = cprof_arena_memdup(&p->arena, v, p->nsample_type, sizeof(*v));
	s->loc = cprof_arena_memdup(&p->arena, locs, n, sizeof(*locs));
	s->nloc = n;
	return s;
}

static void add_label(struct cprof_profile *p, struct cprof_sample *s, const char *key, const char *str,
		      int64_t num, const char *unit)
{
	struct cprof_label *nl = cprof_arena_alloc(&p->arena, (s->nlabel + 1) * sizeof(*nl));
	if (s->nlabel)
		memcpy(nl, s->label, s->nlabel * sizeof(*nl));
	nl[s->nlabel].key = cprof_profile_str(p, key);
	nl[s->nlabel].str = str ? cprof_profile_str(p, str) : NULL;
	nl[s->nlabel].num = num;
	nl[s->nlabel].num_unit = cprof_profile_str(p, unit ? unit : "");
	s->label = nl;
	s->nlabel++;
}

/* "v0 v1 ...: fn fn ... | ..." for every sample: a compact picture of the profile. */
static const char *dump(const struct cprof_profile *p)
{
	static struct strbuf sb = STRBUF_INIT;
	strbuf_reset(&sb);
	for (size_t i = 0; i < p->nsample; i++) {
		const struct cprof_sample *s = &p->sample[i];
		if (i)
			strbuf_addstr(&sb, " | ");
		for (size_t j = 0; j < p->nsample_type; j++)
			strbuf_addf(&sb, "%s%lld", j ? " " : "", (long long)s->value[j]);
		strbuf_addch(&sb, ':');
		for (uint32_t j = 0; j < s->nloc; j++) {
			const struct cprof_location *l = &p->location[s->loc[j]];
			strbuf_addch(&sb, ' ');
			for (uint32_t k = 0; k < l->nline; k++) {
				uint32_t fn = l->line[k].fn;
				strbuf_addf(&sb, "%s%s", k ? "+" : "", fn == CPROF_NONE ? "?" : p->function[fn].name);
			}
			if (!l->nline)
				strbuf_addf(&sb, "@%llx", (unsigned long long)l->address);
		}
		for (uint32_t j = 0; j < s->nlabel; j++) {
			const struct cprof_label *lb = &s->label[j];
			if (lb->str)
				strbuf_addf(&sb, " {%s=%s}", lb->key, lb->str);
			else
				strbuf_addf(&sb, " {%s=%lld%s}", lb->key, (long long)lb->num, lb->num_unit);
		}
	}
	return sb.buf;
}

#define V(...) ((const int64_t[]){__VA_ARGS__})

/*
 * A small CPU-like profile:
 *   loc0 main   loc1 foo   loc2 bar+baz(inlined into bar... innermost baz)
 *   loc3 libc (mapping 1, no lines)
 * samples: [10] main<-foo<-bar/baz, [20] main<-foo, [30] main<-libc, [0] main
 */
static struct cprof_profile *small(void)
{
	struct cprof_profile *p = mk("samples/count,cpu/nanoseconds", "cpu", "nanoseconds");
	uint32_t m0 = mk_mapping(p, 0x1000, 0x5000, "/bin/app");
	uint32_t m1 = mk_mapping(p, 0x7000, 0x9000, "/lib/libc.so");
	int main_ = (int)mk_loc(p, m0, 0x1010, "main:10", NULL);
	int foo = (int)mk_loc(p, m0, 0x1020, "foo:20", NULL);
	int bar = (int)mk_loc(p, m0, 0x1030, "baz:31", "bar:30", NULL);
	int libc = (int)mk_loc(p, m1, 0x7010, NULL);
	mk_sample(p, V(1, 10), bar, foo, main_, -1);
	mk_sample(p, V(2, 20), foo, main_, -1);
	mk_sample(p, V(3, 30), libc, main_, -1);
	mk_sample(p, V(0, 0), main_, -1);
	return p;
}

/* ---- merge -------------------------------------------------------------------- */

int test_merge_two(void)
{
	struct cprof_error err = {0};
	struct cprof_profile *a = mk("samples/count", "cpu", "nanoseconds");
	struct cprof_profile *b = mk("samples/count", "cpu", "nanoseconds");
	a->time_nanos = 2000;
	a->duration_nanos = 5;
	a->period = 10;
	cprof_profile_add_comment(a, "one");
	b->time_nanos = 1000;
	b->duration_nanos = 7;
	b->period = 20;
	cprof_profile_add_comment(b, "one");
	cprof_profile_add_comment(b, "two");
	b->drop_frames = cprof_profile_str(b, "ignored");
	b->default_sample_type = cprof_profile_str(b, "samples");

	uint32_t ma = mk_mapping(a, 0x400000, 0x401000, "/bin/app");
	int a_main = (int)mk_loc(a, ma, 0x400100, "main:1", NULL);
	int a_foo = (int)mk_loc(a, ma, 0x400200, "foo:2", NULL);
	mk_sample(a, V(5), a_foo, a_main, -1);

	/* the same binary loaded elsewhere (ASLR), listed in another order */
	uint32_t mb0 = mk_mapping(b, 0x10000, 0x11000, "/lib/other.so");
	uint32_t mb = mk_mapping(b, 0x500000, 0x500800, "/bin/app");
	int b_bar = (int)mk_loc(b, mb, 0x500300, "bar:3", NULL);
	int b_foo = (int)mk_loc(b, mb, 0x500200, "foo:2", NULL);
	int b_main = (int)mk_loc(b, mb, 0x500100, "main:1", NULL);
	(void)mb0;
	mk_sample(b, V(7), b_foo, b_main, -1);
	mk_sample(b, V(1), b_bar, b_main, -1);
	mk_sample(b, V(0), b_bar, -1); /* zero samples vanish */

	struct cprof_profile *in[2] = {a, b}, *p;
	CHECK_INT(cprof_profiles_combine(in, 2, &p, &err), 0);
	CHECK_STR(dump(p), "12: foo main | 1: bar main");
	CHECK_INT(p->nmapping, 1);
	CHECK_INT(p->mapping[0].id, 1);
	CHECK_INT(p->mapping[0].start, 0x400000);
	CHECK_INT(p->nlocation, 3);
	for (size_t i = 0; i < p->nlocation; i++)
		CHECK_INT(p->location[i].id, i + 1);
	CHECK_INT(p->location[2].address, 0x400300); /* rebased onto the kept mapping */
	CHECK_INT(p->nfunction, 3);
	CHECK_STR(p->function[0].name, "foo");
	CHECK_INT(p->function[0].id, 1);
	CHECK_INT(p->time_nanos, 1000);
	CHECK_INT(p->duration_nanos, 12);
	CHECK_INT(p->period, 20);
	CHECK_INT(p->ncomment, 2);
	CHECK_STR(p->comment[1], "two");
	CHECK_STR(p->drop_frames, "");
	CHECK_STR(p->default_sample_type, "samples");
	cprof_profile_free(p);
	return 0;
}

int test_merge_single_compacts(void)
{
	/* Go 1.19 merges a lone profile too: zero samples and unused objects go. */
	struct cprof_error err = {0};
	struct cprof_profile *p = small(), *out;
	mk_loc(p, 0, 0x1fff, "unused:1", NULL);
	struct cprof_sample *s = mk_sample(p, V(4, 40), 1, 0, -1); /* same stack as the 2nd */
	(void)s;
	CHECK_INT(cprof_profiles_combine(&p, 1, &out, &err), 0);
	CHECK_STR(dump(out), "1 10: baz+bar foo main | 6 60: foo main | 3 30: @7010 main");
	CHECK_INT(out->nlocation, 4);
	CHECK_INT(out->nfunction, 4);
	CHECK_INT(out->nmapping, 2);
	CHECK_INT(out->location[3].id, 4);
	cprof_profile_free(out);
	return 0;
}

int test_merge_reuses_arrays(void)
{
	/*
	 * A decoded profile lends its sample arrays to the merge (rewritten in
	 * place); a copy, whose arrays are not known to be its own, is copied:
	 * both give the same result.
	 */
	struct cprof_error err = {0};
	struct cprof_profile *p = small(), *dec = NULL, *cp, *a, *b;
	mk_sample(p, V(4, 40), 1, 0, -1); /* the same stack as the 2nd sample: summed */
	struct strbuf raw = STRBUF_INIT, want = STRBUF_INIT;
	CHECK_INT(cprof_pprof_encode_raw(p, &raw, &err), 0);
	cprof_profile_free(p);
	CHECK_INT(cprof_pprof_decode((const unsigned char *)raw.buf, raw.len, &dec, &err), 0);
	strbuf_release(&raw);
	CHECK(dec->own_sample_arrays);
	cp = cprof_profile_copy(dec);
	CHECK(!cp->own_sample_arrays);
	CHECK_INT(cprof_profiles_combine(&cp, 1, &b, &err), 0);
	strbuf_addstr(&want, dump(b));
	CHECK_INT(cprof_profiles_combine(&dec, 1, &a, &err), 0);
	CHECK_STR(dump(a), want.buf);
	CHECK_STR(dump(a), "1 10: baz+bar foo main | 6 60: foo main | 3 30: @7010 main");
	CHECK(a->own_sample_arrays);
	/* merged again with itself as a second input: arrays lent twice over */
	struct cprof_profile *in[2] = {a, b}, *c;
	CHECK_INT(cprof_profiles_combine(in, 2, &c, &err), 0);
	CHECK_STR(dump(c), "2 20: baz+bar foo main | 12 120: foo main | 6 60: @7010 main");
	cprof_profile_free(c);
	strbuf_release(&want);
	return 0;
}

int test_merge_incompatible(void)
{
	struct cprof_error err = {0};
	struct cprof_profile *in[2], *out;

	in[0] = mk("samples/count,cpu/nanoseconds", "cpu", "nanoseconds");
	in[1] = mk("alloc_objects/count,alloc_space/bytes", "space", "bytes");
	CHECK_INT(cprof_profiles_combine(in, 2, &out, &err), -1);
	CHECK_STR(err.msg, "period type: incompatible types: {cpu nanoseconds 0 0} {space bytes 0 0}");

	in[0] = mk("samples/count,cpu/nanoseconds", "cpu", "nanoseconds");
	in[1] = mk("samples/count", "cpu", "nanoseconds");
	CHECK_INT(cprof_profiles_combine(in, 2, &out, &err), -1);
	CHECK_STR(err.msg, "inconsistent samples type count: 2 != 1");

	in[0] = mk("samples/count,cpu/nanoseconds", "cpu", "nanoseconds");
	in[1] = mk("samples/count,wall/nanoseconds", "cpu", "nanoseconds");
	CHECK_INT(cprof_profiles_combine(in, 2, &out, &err), -1);
	CHECK_STR(err.msg, "sample types: incompatible types: {cpu nanoseconds 0 0} {wall nanoseconds 0 0}");

	in[0] = mk("samples/count", "cpu", "nanoseconds");
	in[1] = mk("samples/count", "cpu", "bytes");
	CHECK_INT(cprof_profiles_combine(in, 2, &out, &err), -1);
	CHECK_STR(err.msg, "period type: incompatible types: {cpu nanoseconds 0 0} {cpu bytes 0 0}");
	return 0;
}

int test_merge_units(void)
{
	/* cpu/milliseconds + cpu/nanoseconds: everything in the finer unit. */
	struct cprof_error err = {0};
	struct cprof_profile *a = mk("cpu/milliseconds", "cpu", "milliseconds");
	struct cprof_profile *b = mk("cpu/nanoseconds", "cpu", "nanoseconds");
	a->period = 10;
	b->period = 1000;
	uint32_t ma = mk_mapping(a, 0, 0x1000, "x");
	uint32_t mb = mk_mapping(b, 0, 0x1000, "x");
	mk_sample(a, V(3), (int)mk_loc(a, ma, 1, "f", NULL), -1);
	mk_sample(b, V(5), (int)mk_loc(b, mb, 1, "f", NULL), -1);
	struct cprof_profile *in[2] = {a, b}, *p;
	CHECK_INT(cprof_profiles_combine(in, 2, &p, &err), 0);
	CHECK_STR(dump(p), "3000005: f");
	CHECK_STR(p->sample_type[0].type, "cpu");
	CHECK_STR(p->sample_type[0].unit, "nanoseconds");
	CHECK_STR(p->period_type.unit, "nanoseconds");
	CHECK_INT(p->period, 10000000);
	cprof_profile_free(p);

	/* "cpus" passes the unit check but Merge wants equal types */
	a = mk("cpu/milliseconds", "cpu", "milliseconds");
	b = mk("cpus/nanoseconds", "cpu", "nanoseconds");
	in[0] = a;
	in[1] = b;
	CHECK_INT(cprof_profiles_combine(in, 2, &p, &err), -1);
	CHECK_STR(err.msg, "incompatible sample types [{cpu nanoseconds}] and [{cpus nanoseconds}]");
	return 0;
}

int test_merge_labels(void)
{
	/* Equal label maps merge whatever their order; value order matters. */
	struct cprof_error err = {0};
	struct cprof_profile *p = mk("samples/count", "", ""), *out;
	uint32_t m = mk_mapping(p, 0, 0x1000, "x");
	int f = (int)mk_loc(p, m, 1, "f", NULL);
	struct cprof_sample *s;
	s = mk_sample(p, V(1), f, -1);
	add_label(p, s, "b", "1", 0, NULL);
	add_label(p, s, "a", "x", 0, NULL);
	add_label(p, s, "a", "y", 0, NULL);
	add_label(p, s, "n", NULL, 5, "bytes");
	s = mk_sample(p, V(2), f, -1);
	add_label(p, s, "n", NULL, 5, "bytes");
	add_label(p, s, "a", "x", 0, NULL);
	add_label(p, s, "b", "1", 0, NULL);
	add_label(p, s, "a", "y", 0, NULL);
	s = mk_sample(p, V(4), f, -1);
	add_label(p, s, "a", "y", 0, NULL);
	add_label(p, s, "a", "x", 0, NULL);
	add_label(p, s, "b", "1", 0, NULL);
	add_label(p, s, "n", NULL, 5, "bytes");
	s = mk_sample(p, V(8), f, -1);
	add_label(p, s, "a", "x", 0, NULL);
	add_label(p, s, "a", "y", 0, NULL);
	add_label(p, s, "b", "1", 0, NULL);
	add_label(p, s, "n", NULL, 5, "");
	CHECK_INT(cprof_profiles_combine(&p, 1, &out, &err), 0);
	CHECK_STR(dump(out), "3: f {a=x} {a=y} {b=1} {n=5bytes} | 4: f {a=y} {a=x} {b=1} {n=5bytes} | "
			     "8: f {a=x} {a=y} {b=1} {n=5}");
	cprof_profile_free(out);
	return 0;
}

/* ---- base, diff_base, normalize ------------------------------------------------- */

/*
 * The six samples of pprof's cppbench.contention, and its one-sample
 * cppbench.small.contention (same stack as the first), as the legacy
 * parser produces them: contentions/count, delay/nanoseconds.
 */
static struct cprof_profile *contention(bool small_one)
{
	static const int64_t v[6][2] = {{2700, 608881724}, {100, 23992},   {200, 179943},
					 {100, 17778444},  {100, 75976},   {300, 63568134}};
	struct cprof_profile *p = mk("contentions/count,delay/nanoseconds", "contentions", "count");
	p->period = 100;
	uint32_t m = mk_mapping(p, 0x400000, 0xfcb000, "cppbench_server_main");
	int root = (int)mk_loc(p, m, 0x79e809, NULL);
	for (int i = 0; i < (small_one ? 1 : 6); i++) {
		int leaf = (int)mk_loc(p, m, 0xbccc96 + (uint64_t)i * 16, NULL);
		mk_sample(p, small_one ? V(1000, 3124) : v[i], leaf, root, -1);
	}
	return p;
}

static const char *values(const struct cprof_profile *p)
{
	static struct strbuf sb = STRBUF_INIT;
	strbuf_reset(&sb);
	for (size_t i = 0; i < p->nsample; i++) {
		strbuf_addf(&sb, "%s[", i ? " " : "");
		for (size_t j = 0; j < p->nsample_type; j++)
			strbuf_addf(&sb, "%s%lld", j ? " " : "", (long long)p->sample[i].value[j]);
		strbuf_addch(&sb, ']');
	}
	return sb.buf;
}

int test_base_cancels(void)
{
	struct cprof_error err = {0};
	struct cprof_profile *out;
	CHECK_INT(cprof_profile_apply_base(contention(false), contention(false), false, false, &out, &err), 0);
	CHECK_INT(out->nsample, 0);
	CHECK_INT(out->nlocation, 0);
	cprof_profile_free(out);
	CHECK_INT(cprof_profile_apply_base(contention(false), contention(false), false, true, &out, &err), 0);
	CHECK_INT(out->nsample, 0);
	cprof_profile_free(out);

	CHECK_INT(cprof_profile_apply_base(contention(false), contention(true), false, false, &out, &err), 0);
	CHECK_STR(values(out), "[1700 608878600] [100 23992] [200 179943] [100 17778444] [100 75976] "
			       "[300 63568134]");
	cprof_profile_free(out);
	return 0;
}

int test_base_normalize(void)
{
	struct cprof_error err = {0};
	struct cprof_profile *out;
	CHECK_INT(cprof_profile_apply_base(contention(false), contention(true), false, true, &out, &err), 0);
	CHECK_STR(values(out), "[-229 -369] [29 0] [57 1] [29 80] [29 0] [86 288]");
	cprof_profile_free(out);
	return 0;
}

int test_base_twice(void)
{
	struct cprof_error err = {0};
	struct cprof_profile *in[2] = {contention(false), contention(false)}, *base, *out;
	CHECK_INT(cprof_profiles_combine(in, 2, &base, &err), 0);
	CHECK_INT(cprof_profile_apply_base(contention(false), base, false, false, &out, &err), 0);
	CHECK_STR(values(out), "[-2700 -608881724] [-100 -23992] [-200 -179943] [-100 -17778444] "
			       "[-100 -75976] [-300 -63568134]");
	cprof_profile_free(out);
	return 0;
}

int test_diff_base(void)
{
	struct cprof_error err = {0};
	struct cprof_profile *out;
	CHECK_INT(cprof_profile_apply_base(contention(false), contention(false), true, false, &out, &err), 0);
	CHECK_INT(out->nsample, 12);
	CHECK_STR(values(out), "[2700 608881724] [100 23992] [200 179943] [100 17778444] [100 75976] "
			       "[300 63568134] [-2700 -608881724] [-100 -23992] [-200 -179943] "
			       "[-100 -17778444] [-100 -75976] [-300 -63568134]");
	CHECK_INT(out->sample[0].nlabel, 0);
	CHECK_INT(out->sample[6].nlabel, 1);
	CHECK_STR(out->sample[6].label[0].key, "pprof::base");
	CHECK_STR(out->sample[6].label[0].str, "true");
	CHECK_INT(out->nlocation, 7); /* shared by both halves */
	cprof_profile_free(out);
	return 0;
}

int test_scale_n(void)
{
	struct cprof_profile *p = mk("a/count,b/count", "", "");
	uint32_t m = mk_mapping(p, 0, 1, "");
	int f = (int)mk_loc(p, m, 0, "f", NULL);
	mk_sample(p, V(5, 1), f, -1);
	mk_sample(p, V(5, 0), f, -1); /* dropped: only scaled columns count */
	mk_sample(p, V(-3, 3), f, -1);
	mk_sample(p, V(7, -1), f, -1);
	cprof_profile_scale_n(p, (const double[]){1, 0.5});
	CHECK_STR(values(p), "[5 1] [-3 2] [7 -1]"); /* math.Round: half away from zero */
	cprof_profile_scale(p, 1); /* no-op, even for zero samples */
	cprof_profile_scale(p, -2);
	CHECK_STR(values(p), "[-10 -2] [6 -4] [-14 2]");
	cprof_profile_free(p);
	return 0;
}

/* ---- sample index ------------------------------------------------------------------- */

int test_sample_index(void)
{
	struct cprof_error err = {0};
	struct cprof_profile *p = mk("alloc_objects/count,alloc_space/bytes,space/bytes", "", "");
	int i = -1;
	CHECK_INT(cprof_sample_index(p, "", &i, &err), 0);
	CHECK_INT(i, 2);
	p->default_sample_type = cprof_profile_str(p, "alloc_space");
	CHECK_INT(cprof_sample_index(p, NULL, &i, &err), 0);
	CHECK_INT(i, 1);
	CHECK_INT(cprof_sample_index(p, "0", &i, &err), 0);
	CHECK_INT(i, 0);
	CHECK_INT(cprof_sample_index(p, "+1", &i, &err), 0);
	CHECK_INT(i, 1);
	CHECK_INT(cprof_sample_index(p, "inuse_space", &i, &err), 0);
	CHECK_INT(i, 2);
	CHECK_INT(cprof_sample_index(p, "alloc_objects", &i, &err), 0);
	CHECK_INT(i, 0);
	CHECK_INT(cprof_sample_index(p, "3", &i, &err), -1);
	CHECK_STR(err.msg, "sample_index 3 is outside the range [0..2]");
	CHECK_INT(cprof_sample_index(p, "-1", &i, &err), -1);
	CHECK_STR(err.msg, "sample_index -1 is outside the range [0..2]");
	CHECK_INT(cprof_sample_index(p, "cpu\"x", &i, &err), -1);
	CHECK_STR(err.msg, "sample_index \"cpu\\\"x\" must be one of: [alloc_objects alloc_space space]");
	cprof_profile_free(p);
	p = mk("", "", "");
	CHECK_INT(cprof_sample_index(p, "", &i, &err), -1);
	CHECK_STR(err.msg, "profile has no samples");
	cprof_profile_free(p);
	return 0;
}

/* ---- filters ---------------------------------------------------------------------- */

static int run_filter(struct cprof_profile *p, struct cprof_filter_opts o, const char *want_notes,
		      const char *want)
{
	struct cprof_error err = {0};
	struct strbuf notes = STRBUF_INIT;
	CHECK_INT(cprof_profile_filter(p, &o, &notes, &err), 0);
	CHECK_STR(notes.buf, want_notes);
	CHECK_STR(dump(p), want);
	strbuf_release(&notes);
	cprof_profile_free(p);
	return 0;
}

int test_filter_focus_ignore(void)
{
	/* Unfiltered, samples without locations go (the zero one has one, it stays). */
	struct cprof_profile *p = small();
	mk_sample(p, V(9, 9), -1);
	if (run_filter(p, (struct cprof_filter_opts){0}, "",
		       "1 10: baz+bar foo main | 2 20: foo main | 3 30: @7010 main | 0 0: main"))
		return 1;
	/* focus matches a function name, an inlined one, a file, a mapping */
	if (run_filter(small(), (struct cprof_filter_opts){.focus = "baz"}, "", "1 10: baz+bar foo main"))
		return 1;
	if (run_filter(small(), (struct cprof_filter_opts){.focus = "foo\\.c"}, "",
		       "1 10: baz+bar foo main | 2 20: foo main"))
		return 1;
	if (run_filter(small(), (struct cprof_filter_opts){.focus = "libc"}, "", "3 30: @7010 main"))
		return 1;
	/* ignore wins over focus */
	if (run_filter(small(), (struct cprof_filter_opts){.focus = "foo", .ignore = "ba[rz]"}, "",
		       "2 20: foo main"))
		return 1;
	return run_filter(small(), (struct cprof_filter_opts){.focus = "nothing", .ignore = "nothing"},
			  "Focus expression matched no samples\nIgnore expression matched no samples\n", "");
}

int test_filter_hide_show(void)
{
	/* hide drops matching lines; a location left empty leaves the stacks */
	if (run_filter(small(), (struct cprof_filter_opts){.hide = "baz|main"}, "",
		       "1 10: bar foo | 2 20: foo | 3 30: @7010"))
		return 1;
	/* hide by mapping file removes the whole location */
	if (run_filter(small(), (struct cprof_filter_opts){.hide = "libc"}, "",
		       "1 10: baz+bar foo main | 2 20: foo main | 3 30: main | 0 0: main"))
		return 1;
	/* show keeps matching lines; the libc location has none and goes */
	if (run_filter(small(), (struct cprof_filter_opts){.show = "ba"}, "", "1 10: baz+bar"))
		return 1;
	if (run_filter(small(), (struct cprof_filter_opts){.show = "baz"}, "", "1 10: baz"))
		return 1;
	return run_filter(small(), (struct cprof_filter_opts){.hide = "zzz", .show = "zzz"},
			  "Hide expression matched no samples\nShow expression matched no samples\n", "");
}

int test_filter_show_from(void)
{
	if (run_filter(small(), (struct cprof_filter_opts){.show_from = "foo"}, "",
		       "1 10: baz+bar foo | 2 20: foo"))
		return 1;
	/* inside a location, lines outside the outermost match go */
	if (run_filter(small(), (struct cprof_filter_opts){.show_from = "baz"}, "", "1 10: baz"))
		return 1;
	return run_filter(small(), (struct cprof_filter_opts){.show_from = "nope"},
			  "ShowFrom expression matched no samples\n", "");
}

static struct cprof_profile *tagged(void)
{
	struct cprof_profile *p = mk("objects/count,space/bytes", "space", "bytes");
	uint32_t m = mk_mapping(p, 0, 0x1000, "app");
	int f = (int)mk_loc(p, m, 1, "f", NULL);
	struct cprof_sample *s;
	s = mk_sample(p, V(1, 1), f, -1);
	add_label(p, s, "bytes", NULL, 1024, "");
	add_label(p, s, "key1", "tag1", 0, NULL);
	s = mk_sample(p, V(2, 2), f, -1);
	add_label(p, s, "bytes", NULL, 3 << 20, "");
	add_label(p, s, "key1", "tag2", 0, NULL);
	add_label(p, s, "key2", "tag1", 0, NULL);
	s = mk_sample(p, V(3, 3), f, -1);
	add_label(p, s, "bytes", NULL, 64, "");
	add_label(p, s, "request", NULL, 3 << 20, "");
	return p;
}

int test_filter_tagfocus_range(void)
{
	if (run_filter(tagged(), (struct cprof_filter_opts){.tagfocus = "1mb:4mb"},
		       "tagfocus:Interpreted '1mb:4mb' as range, not regexp\n",
		       "2 2: f {bytes=3145728} {key1=tag2} {key2=tag1} | 3 3: f {bytes=64} {request=3145728}"))
		return 1;
	if (run_filter(tagged(), (struct cprof_filter_opts){.tagfocus = "bytes=1mb:4mb"},
		       "tagfocus:Interpreted '1mb:4mb' as range, not regexp\n",
		       "2 2: f {bytes=3145728} {key1=tag2} {key2=tag1}"))
		return 1;
	if (run_filter(tagged(), (struct cprof_filter_opts){.tagfocus = "1kb"},
		       "tagfocus:Interpreted '1kb' as range, not regexp\n", "1 1: f {bytes=1024} {key1=tag1}"))
		return 1;
	if (run_filter(tagged(), (struct cprof_filter_opts){.tagfocus = ":1kb", .tagignore = "64"},
		       "tagfocus:Interpreted ':1kb' as range, not regexp\n"
		       "tagignore:Interpreted '64' as range, not regexp\n"
		       "TagIgnore expression matched no samples\n",
		       "1 1: f {bytes=1024} {key1=tag1} | 3 3: f {bytes=64} {request=3145728}"))
		return 1;
	if (run_filter(tagged(), (struct cprof_filter_opts){.tagfocus = "64b", .tagignore = "2mb:"},
		       "tagfocus:Interpreted '64b' as range, not regexp\n"
		       "tagignore:Interpreted '2mb:' as range, not regexp\n",
		       ""))
		return 1;
	/* mixed unit families are not a range: a regexp that matches nothing here */
	return run_filter(tagged(), (struct cprof_filter_opts){.tagfocus = "1kb:2ms"},
			  "TagFocus expression matched no samples\n", "");
}

int test_filter_tagfocus_regex(void)
{
	/* without a key, every regexp must match some "key:value" */
	if (run_filter(tagged(), (struct cprof_filter_opts){.tagfocus = "key1:tag2,key2"}, "",
		       "2 2: f {bytes=3145728} {key1=tag2} {key2=tag1}"))
		return 1;
	if (run_filter(tagged(), (struct cprof_filter_opts){.tagfocus = "tag1"}, "",
		       "1 1: f {bytes=1024} {key1=tag1} | 2 2: f {bytes=3145728} {key1=tag2} {key2=tag1}"))
		return 1;
	/* with a key, any regexp matching any value of that key */
	if (run_filter(tagged(), (struct cprof_filter_opts){.tagfocus = "key1=nomatch,^tag1$"}, "",
		       "1 1: f {bytes=1024} {key1=tag1}"))
		return 1;
	return run_filter(tagged(), (struct cprof_filter_opts){.tagignore = "key2=tag"}, "",
			  "1 1: f {bytes=1024} {key1=tag1} | 3 3: f {bytes=64} {request=3145728}");
}

int test_filter_tagshow_taghide(void)
{
	if (run_filter(tagged(), (struct cprof_filter_opts){.tagshow = "key"}, "",
		       "1 1: f {key1=tag1} | 2 2: f {key1=tag2} {key2=tag1} | 3 3: f"))
		return 1;
	if (run_filter(tagged(), (struct cprof_filter_opts){.taghide = "key|req"}, "",
		       "1 1: f {bytes=1024} | 2 2: f {bytes=3145728} | 3 3: f {bytes=64}"))
		return 1;
	return run_filter(tagged(), (struct cprof_filter_opts){.tagshow = "zz", .taghide = "zz"},
			  "TagShow expression matched no samples\nTagHide expression matched no samples\n",
			  "1 1: f | 2 2: f | 3 3: f");
}

int test_filter_prune_from(void)
{
	/* the first matching frame becomes the leaf; lines inside it go */
	if (run_filter(small(), (struct cprof_filter_opts){.prune_from = "^bar$"}, "",
		       "1 10: bar foo main | 2 20: foo main | 3 30: @7010 main | 0 0: main"))
		return 1;
	return run_filter(small(), (struct cprof_filter_opts){.prune_from = "foo"}, "",
			  "1 10: foo main | 2 20: foo main | 3 30: @7010 main | 0 0: main");
}

int test_filter_bad_regex(void)
{
	struct cprof_error err = {0};
	struct strbuf notes = STRBUF_INIT;
	struct cprof_profile *p = small();
	struct cprof_filter_opts o = {.tagfocus = "1kb", .show = "(", .focus = "main"};
	CHECK_INT(cprof_profile_filter(p, &o, &notes, &err), -1);
	CHECK(!strncmp(err.msg, "parsing show regexp: ", 21));
	CHECK_STR(notes.buf, ""); /* show fails before tagfocus is looked at */
	CHECK_INT(p->nsample, 4);
	o = (struct cprof_filter_opts){.tagfocus = "1kb", .tagignore = "a,["};
	CHECK_INT(cprof_profile_filter(p, &o, &notes, &err), -1);
	CHECK(!strncmp(err.msg, "parsing tagignore regexp: ", 26));
	CHECK_STR(notes.buf, "tagfocus:Interpreted '1kb' as range, not regexp\n");
	strbuf_release(&notes);
	cprof_profile_free(p);
	return 0;
}

/* ---- drop_frames -------------------------------------------------------------------- */

int test_simplify_func(void)
{
	static const char *cases[][2] = {
		{"foo", "foo"},
		{".foo", "foo"},
		{"ns::f(int) const", "ns::f"},
		{"(anonymous namespace)::f(int)", "(anonymous namespace)::f"},
		{"Foo::operator()(int)", "Foo::operator()"},
		{"a(b(anonymous namespace)", "a"},
		{"..x(", ".x"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *start;
		size_t n = xf_simplify_func(cases[i][0], &start);
		char buf[128];
		snprintf(buf, sizeof(buf), "%.*s", (int)n, start);
		CHECK_STR(buf, cases[i][1]);
	}
	return 0;
}

int test_drop_frames(void)
{
	struct cprof_error err = {0};
	struct cprof_profile *p = mk("samples/count", "", "");
	uint32_t m = mk_mapping(p, 0, 0x1000, "app");
	int main_ = (int)mk_loc(p, m, 1, "main", NULL);
	int mal = (int)mk_loc(p, m, 2, "malloc(unsigned long)", NULL);
	int inner = (int)mk_loc(p, m, 3, "memset", "operator new", "user", NULL);
	int leaf = (int)mk_loc(p, m, 4, "leaf", NULL);
	int newk = (int)mk_loc(p, m, 5, "new_kept", NULL);
	mk_sample(p, V(1), leaf, mal, main_, -1);   /* cut at malloc: main */
	mk_sample(p, V(2), leaf, inner, main_, -1); /* operator new inner: keeps "user" as leaf */
	mk_sample(p, V(3), mal, -1);                /* nothing before the first user frame */
	mk_sample(p, V(4), leaf, newk, main_, -1);  /* kept by keep_frames */
	p->drop_frames = cprof_profile_str(p, "malloc|operator new|new_.*");
	p->keep_frames = cprof_profile_str(p, "new_kept");
	CHECK_INT(cprof_profile_remove_uninteresting(p, &err), 0);
	CHECK_STR(dump(p), "1: main | 2: user main | 3: malloc(unsigned long) | 4: leaf new_kept main");

	/* drop_frames is anchored: "mall" does not match "malloc" */
	p->drop_frames = cprof_profile_str(p, "mall");
	p->keep_frames = cprof_profile_str(p, "");
	CHECK_INT(cprof_profile_remove_uninteresting(p, &err), 0);
	CHECK_STR(dump(p), "1: main | 2: user main | 3: malloc(unsigned long) | 4: leaf new_kept main");
	p->drop_frames = cprof_profile_str(p, "(");
	CHECK_INT(cprof_profile_remove_uninteresting(p, &err), -1);
	CHECK(!strncmp(err.msg, "failed to compile regexp (: ", 28));
	cprof_profile_free(p);
	return 0;
}

/* ---- tag frames ----------------------------------------------------------------------- */

int test_tag_frames(void)
{
	struct cprof_error err = {0};
	struct strbuf notes = STRBUF_INIT;
	struct cprof_profile *p = tagged();
	p->sample[0].label[0].num_unit = cprof_profile_str(p, "bytes");
	CHECK_INT(cprof_profile_add_tag_frames(p, "key1,bytes", ",key2,,", "minimum", &notes, &err), 0);
	CHECK_STR(dump(p), "1 1:  f 1kB tag1 {bytes=1024bytes} {key1=tag1} | "
			   "2 2: tag1 f 3145728 tag2 {bytes=3145728} {key1=tag2} {key2=tag1} | "
			   "3 3:  f 64  {bytes=64} {request=3145728}");
	CHECK_STR(notes.buf, "");
	/* new functions and locations are numbered after the largest ids, roots first */
	CHECK_INT(p->location[1].id, 11);
	CHECK_INT(p->location[1].line[0].line, 0);
	CHECK_STR(p->function[p->location[1].line[0].fn].filename, "bytes");
	CHECK_STR(p->function[p->location[1].line[0].fn].name, "1kB");
	CHECK_INT(p->function[p->location[1].line[0].fn].id, 102);
	CHECK_STR(p->function[p->location[3].line[0].fn].filename, "key2");
	CHECK_STR(p->function[p->location[3].line[0].fn].name, "");
	size_t nloc = p->nlocation;
	CHECK_INT(cprof_profile_add_tag_frames(p, "nokey", "", "minimum", &notes, &err), 0);
	CHECK_STR(notes.buf, "TagRoot expression matched no samples\n");
	CHECK_INT(p->nlocation, nloc + 1);
	strbuf_release(&notes);
	cprof_profile_free(p);
	return 0;
}

/* ---- aggregation ------------------------------------------------------------------------ */

static const char *loc_dump(const struct cprof_profile *p)
{
	static struct strbuf sb = STRBUF_INIT;
	strbuf_reset(&sb);
	for (size_t i = 0; i < p->nlocation; i++) {
		const struct cprof_location *l = &p->location[i];
		strbuf_addf(&sb, "%s%llx", i ? " | " : "", (unsigned long long)l->address);
		for (uint32_t j = 0; j < l->nline; j++) {
			const struct cprof_function *f = &p->function[l->line[j].fn];
			strbuf_addf(&sb, " %s/%s/%s:%lld", f->name, f->system_name, f->filename,
				    (long long)l->line[j].line);
		}
	}
	const struct cprof_mapping *m = &p->mapping[0];
	strbuf_addf(&sb, " [%d%d%d%d]", m->has_functions, m->has_filenames, m->has_line_numbers,
		    m->has_inline_frames);
	return sb.buf;
}

int test_aggregate_granularity(void)
{
	static const struct {
		enum cprof_granularity g;
		bool noinlines;
		const char *want;
	} cases[] = {
		{CPROF_GRAN_ADDRESSES, false, "1030 baz/baz/baz.c:31 bar/bar/bar.c:30 [1111]"},
		{CPROF_GRAN_ADDRESSES, true, "1030 bar/bar/bar.c:30 [1110]"},
		{CPROF_GRAN_LINES, false, "0 baz/baz/baz.c:31 bar/bar/bar.c:30 [1111]"},
		{CPROF_GRAN_FUNCTIONS, false, "0 baz/baz/:0 bar/bar/:0 [1001]"},
		{CPROF_GRAN_FUNCTIONS, true, "0 bar/bar/:0 [1000]"},
		{CPROF_GRAN_FILEFUNCTIONS, false, "0 baz/baz/baz.c:0 bar/bar/bar.c:0 [1101]"},
		{CPROF_GRAN_FILES, false, "0 //baz.c:0 //bar.c:0 [0101]"},
	};
	struct cprof_error err = {0};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cprof_profile *p = mk("samples/count", "", "");
		uint32_t m = mk_mapping(p, 0x1000, 0x2000, "app");
		mk_loc(p, m, 0x1030, "baz:31", "bar:30", NULL);
		p->location[0].line[0].column = 7;
		CHECK_INT(cprof_profile_aggregate(p, cases[i].g, cases[i].noinlines, &err), 0);
		CHECK_STR(loc_dump(p), cases[i].want);
		if (cases[i].g != CPROF_GRAN_ADDRESSES || cases[i].noinlines)
			CHECK_INT(p->location[0].line[0].column, 0);
		cprof_profile_free(p);
	}
	return 0;
}
