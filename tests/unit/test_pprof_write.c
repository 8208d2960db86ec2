/*
 * test_pprof_write.c - the profile.proto encoder (formats/pprof_write.c):
 * round trips through the decoder, and pprof's string table order.
 */
#include <stdlib.h>

#include "check.h"
#include "formats/dump.h"
#include "formats_util.h"
#include "profile.pb-c.h"

static struct cprof_label *add_labels(struct cprof_profile *p, struct cprof_sample *s, uint32_t n)
{
	s->label = cprof_arena_calloc(&p->arena, n, sizeof(*s->label));
	s->nlabel = n;
	for (uint32_t i = 0; i < n; i++)
		s->label[i].num_unit = cprof_profile_str(p, "");
	return s->label;
}

/*
 * A profile using every field: two sample types, labels of both kinds in
 * mixed key order, inline frames with columns, a folded location, one
 * without mapping, mapping flags, negative values.
 */
static struct cprof_profile *full_profile(void)
{
	struct cprof_profile *p = cprof_profile_new();
	struct cprof_value_type st[2] = {{"alloc_objects", "count"}, {"alloc_space", "bytes"}};
#define S(x) cprof_profile_str(p, (x))

	cprof_profile_set_sample_types(p, st, 2);
	p->period_type.type = S("space");
	p->period_type.unit = S("bytes");
	p->period = 524288;
	p->time_nanos = 1600000000000000000;
	p->duration_nanos = 1500;
	p->drop_frames = S("runtime\\..*");
	p->keep_frames = S("keep");
	cprof_profile_add_comment(p, "first comment");
	cprof_profile_add_comment(p, "second");
	p->default_sample_type = S("alloc_space");
	p->doc_url = S("https://example.com/doc");

	struct cprof_mapping *m = cprof_profile_add_mapping(p);
	m->id = 1, m->start = 0x400000, m->limit = 0x800000, m->offset = 0;
	m->file = S("/usr/bin/app"), m->build_id = S("deadbeef");
	m->has_functions = m->has_filenames = m->has_line_numbers = m->has_inline_frames = true;
	m = cprof_profile_add_mapping(p);
	m->id = 2, m->start = 0x7f0000000000, m->limit = 0x7f0000100000, m->offset = 0x1000;
	m->file = S("/lib/libc.so.6");

	static const char *const names[3][3] = {
		{"main.main", "main.main", "main.go"},
		{"main.helper", "_ZN4main6helperE", "helper.go"},
		{"malloc", "malloc", ""},
	};
	for (int i = 0; i < 3; i++) {
		struct cprof_function *f = cprof_profile_add_function(p);
		f->id = (uint64_t)i + 1;
		f->name = S(names[i][0]);
		f->system_name = S(names[i][1]);
		f->filename = S(names[i][2]);
		f->start_line = i * 10;
	}
	for (int i = 0; i < 4; i++) {
		struct cprof_location *l = cprof_profile_add_location(p);
		l->id = (uint64_t)i + 100;
		l->address = 0x401000 + (uint64_t)i * 0x10;
		l->mapping = i == 3 ? CPROF_NONE : (i == 2 ? 1 : 0);
		l->is_folded = i == 1;
		l->nline = i == 0 ? 2 : (i == 3 ? 0 : 1);
		l->line = cprof_arena_calloc(&p->arena, l->nline, sizeof(*l->line));
		for (uint32_t j = 0; j < l->nline; j++) {
			l->line[j].fn = (uint32_t)(i == 0 ? 1 - j : (uint32_t)i);
			l->line[j].line = 10 + i + j;
			l->line[j].column = j == 0 ? 7 : 0;
		}
	}
	for (int i = 0; i < 3; i++) {
		struct cprof_sample *s = cprof_profile_add_sample(p);
		s->nloc = (uint32_t)(3 - i);
		s->loc = cprof_arena_alloc(&p->arena, s->nloc * sizeof(uint32_t));
		for (uint32_t j = 0; j < s->nloc; j++)
			s->loc[j] = (uint32_t)(3 - j - (uint32_t)i);
		s->value = cprof_arena_alloc(&p->arena, 2 * sizeof(int64_t));
		s->value[0] = i - 1;
		s->value[1] = (i - 1) * 4096;
		if (i == 0) {
			struct cprof_label *lb = add_labels(p, s, 5);
			lb[0].key = S("zeta"), lb[0].str = S("z1");
			lb[1].key = S("bytes"), lb[1].num = 4096, lb[1].num_unit = S("bytes");
			lb[2].key = S("alpha"), lb[2].str = S("a1");
			lb[3].key = S("zeta"), lb[3].str = S("z2");
			lb[4].key = S("count"), lb[4].num = -1;
		}
	}
#undef S
	return p;
}

static int roundtrip_check(const struct cprof_profile *p, const struct cprof_profile *q)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

	cprof_profile_dump_upstream(p, &a);
	cprof_profile_dump_upstream(q, &b);
	CHECK_STR(b.buf, a.buf);
	strbuf_reset(&a);
	strbuf_reset(&b);
	cprof_profile_dump(p, &a);
	cprof_profile_dump(q, &b);
	CHECK_STR(b.buf, a.buf);
	strbuf_release(&a);
	strbuf_release(&b);

	CHECK_STR(q->drop_frames, p->drop_frames);
	CHECK_STR(q->keep_frames, p->keep_frames);
	CHECK_STR(q->doc_url, p->doc_url);
	CHECK_INT(q->location[0].line[0].column, 7);
	CHECK_INT(q->nsample, p->nsample);
	/* labels come back grouped as pprof writes them: string keys sorted, then numeric */
	const struct cprof_sample *s = &q->sample[0];
	CHECK_INT(s->nlabel, 5);
	CHECK_STR(s->label[0].key, "alpha");
	CHECK_STR(s->label[1].str, "z1");
	CHECK_STR(s->label[2].str, "z2");
	CHECK_STR(s->label[3].key, "bytes");
	CHECK_STR(s->label[3].num_unit, "bytes");
	CHECK_STR(s->label[4].key, "count");
	CHECK_INT(s->label[4].num, -1);
	return 0;
}

int test_pprof_roundtrip(void)
{
	struct cprof_profile *p = full_profile(), *q, *r;
	struct cprof_error err;
	struct strbuf enc = STRBUF_INIT, enc2 = STRBUF_INIT;

	CHECK_INT(cprof_profile_check_valid(p, &err), 0);
	CHECK_INT(cprof_pprof_encode_raw(p, &enc, &err), 0);
	CHECK_INT(decode_sb(&enc, &q, &err), 0);
	CHECK(!roundtrip_check(p, q));
	/* encoding the decoded profile gives the same bytes */
	CHECK_INT(cprof_pprof_encode_raw(q, &enc2, &err), 0);
	CHECK_INT(enc2.len, enc.len);
	CHECK(memcmp(enc.buf, enc2.buf, enc.len) == 0);
	/* and a copy encodes the same too */
	r = cprof_profile_copy(q);
	strbuf_reset(&enc2);
	CHECK_INT(cprof_pprof_encode_raw(r, &enc2, &err), 0);
	CHECK(enc2.len == enc.len && memcmp(enc.buf, enc2.buf, enc.len) == 0);
	cprof_profile_free(p);
	cprof_profile_free(q);
	cprof_profile_free(r);
	strbuf_release(&enc);
	strbuf_release(&enc2);
	return 0;
}

int test_pprof_roundtrip_gzip(void)
{
	struct cprof_profile *p = full_profile(), *q;
	struct cprof_error err;
	struct strbuf gz = STRBUF_INIT, raw = STRBUF_INIT;

	CHECK_INT(cprof_pprof_encode(p, &gz, &err), 0);
	CHECK(gz.len > 10 && (unsigned char)gz.buf[0] == 0x1f && (unsigned char)gz.buf[1] == 0x8b);
	CHECK_INT(cprof_gunzip((unsigned char *)gz.buf, gz.len, &raw, &err), 1);
	CHECK_INT(decode_sb(&raw, &q, &err), 0);
	CHECK(!roundtrip_check(p, q));
	cprof_profile_free(q);
	/* through the registry (which takes inflated bytes) */
	CHECK_INT(cprof_parse_profile((unsigned char *)raw.buf, raw.len, &q, &err), 0);
	CHECK(!roundtrip_check(p, q));
	cprof_profile_free(q);
	cprof_profile_free(p);
	strbuf_release(&gz);
	strbuf_release(&raw);
	return 0;
}

/* pprof's preEncode order of first use. */
int test_pprof_encode_string_order(void)
{
	struct cprof_profile *p = full_profile();
	struct cprof_error err;
	struct strbuf enc = STRBUF_INIT;
	static const char *const want[] = {
		"", "alloc_objects", "count", "alloc_space", "bytes", /* sample types */
		"alpha", "a1", "zeta", "z1", "z2",                    /* string labels by key */
		/* numeric labels by key: bytes (known), then count (known) */
		"/usr/bin/app", "deadbeef", "/lib/libc.so.6",          /* mappings */
		"main.main", "main.go", "main.helper", "_ZN4main6helperE", "helper.go", "malloc",
		"runtime\\..*", "keep", "space",                       /* drop, keep, period type */
		"first comment", "second",                            /* comments; default known */
		"https://example.com/doc",
	};

	CHECK_INT(cprof_pprof_encode_raw(p, &enc, &err), 0);
	Perftools__Profiles__Profile *m =
		perftools__profiles__profile__unpack(NULL, enc.len, (uint8_t *)enc.buf);
	CHECK(m != NULL);
	CHECK_INT(m->n_string_table, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < m->n_string_table; i++)
		CHECK_STR(m->string_table[i], want[i]);
	CHECK_INT(m->default_sample_type, 3);
	CHECK_INT(m->sample[0]->n_label, 5);
	CHECK_INT(m->sample[0]->label[0]->key, 5);
	CHECK_INT(m->sample[0]->label[3]->num_unit, 4);
	CHECK_INT(m->sample[0]->label[4]->num_unit, 0);
	CHECK_INT(m->location[0]->line[0]->function_id, 2);
	CHECK_INT(m->location[3]->mapping_id, 0);
	perftools__profiles__profile__free_unpacked(m, NULL);
	cprof_profile_free(p);
	strbuf_release(&enc);
	return 0;
}

int test_pprof_encode_period_type(void)
{
	struct cprof_profile *p = cprof_profile_new(), *q;
	struct cprof_error err;
	struct strbuf enc = STRBUF_INIT;

	CHECK_INT(cprof_pprof_encode_raw(p, &enc, &err), 0);
	Perftools__Profiles__Profile *m =
		perftools__profiles__profile__unpack(NULL, enc.len, (uint8_t *)enc.buf);
	CHECK(m != NULL);
	CHECK(m->period_type == NULL);
	CHECK_INT(m->n_string_table, 1);
	perftools__profiles__profile__free_unpacked(m, NULL);
	/* an empty profile still decodes (the string table is there) */
	CHECK_INT(decode_sb(&enc, &q, &err), 0);
	CHECK_STR(q->period_type.type, "");
	cprof_profile_free(q);

	strbuf_reset(&enc);
	p->period_type.unit = cprof_profile_str(p, "count");
	CHECK_INT(cprof_pprof_encode_raw(p, &enc, &err), 0);
	m = perftools__profiles__profile__unpack(NULL, enc.len, (uint8_t *)enc.buf);
	CHECK(m != NULL && m->period_type != NULL);
	CHECK_INT(m->period_type->type, 0);
	CHECK_INT(m->period_type->unit, 1);
	perftools__profiles__profile__free_unpacked(m, NULL);
	cprof_profile_free(p);
	strbuf_release(&enc);
	return 0;
}
