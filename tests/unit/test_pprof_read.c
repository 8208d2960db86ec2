/*
 * test_pprof_read.c - the profile.proto decoder (formats/pprof_read.c) and
 * the validity checks (formats/pprof_valid.c). Inputs are built with the
 * protobuf-c code generated from formats/profile.proto, or byte by byte
 * (formats_util.h) for what protobuf-c would never write.
 */
#include <stdlib.h>

#include "check.h"
#include "formats_util.h"
#include "profile.pb-c.h"

/* ---- a complete profile through protobuf-c -------------------------------- */

enum {
	S_EMPTY, S_SAMPLES, S_COUNT, S_CPU, S_NS, S_BIN, S_BUILDID, S_MAIN, S_MAIN_SYS, S_APP_GO,
	S_INLINED, S_KEY, S_VAL, S_BYTES, S_DROP, S_KEEP, S_COMMENT, S_DOC, S_N
};
static const char *const handbuilt_strs[S_N] = {
	"", "samples", "count", "cpu", "nanoseconds", "/bin/app", "abc123", "main", "_main",
	"app.go", "inlined", "key", "val", "bytes", "drop.*", "keep.*", "comment one", "http://x/doc",
};

static size_t pack_handbuilt(uint8_t **out)
{
	Perftools__Profiles__Profile p = PERFTOOLS__PROFILES__PROFILE__INIT;
	Perftools__Profiles__ValueType st[2] = {PERFTOOLS__PROFILES__VALUE_TYPE__INIT,
						 PERFTOOLS__PROFILES__VALUE_TYPE__INIT};
	Perftools__Profiles__ValueType *stp[2] = {&st[0], &st[1]};
	Perftools__Profiles__ValueType pt = PERFTOOLS__PROFILES__VALUE_TYPE__INIT;
	Perftools__Profiles__Mapping m = PERFTOOLS__PROFILES__MAPPING__INIT, *mp = &m;
	Perftools__Profiles__Function f[2] = {PERFTOOLS__PROFILES__FUNCTION__INIT,
					      PERFTOOLS__PROFILES__FUNCTION__INIT};
	Perftools__Profiles__Function *fp[2] = {&f[0], &f[1]};
	Perftools__Profiles__Line ln[3] = {PERFTOOLS__PROFILES__LINE__INIT, PERFTOOLS__PROFILES__LINE__INIT,
					   PERFTOOLS__PROFILES__LINE__INIT};
	Perftools__Profiles__Line *l1[2] = {&ln[0], &ln[1]}, *l2[1] = {&ln[2]};
	Perftools__Profiles__Location loc[2] = {PERFTOOLS__PROFILES__LOCATION__INIT,
						PERFTOOLS__PROFILES__LOCATION__INIT};
	Perftools__Profiles__Location *locp[2] = {&loc[0], &loc[1]};
	Perftools__Profiles__Label lab[3] = {PERFTOOLS__PROFILES__LABEL__INIT, PERFTOOLS__PROFILES__LABEL__INIT,
					     PERFTOOLS__PROFILES__LABEL__INIT};
	Perftools__Profiles__Label *labp[3] = {&lab[0], &lab[1], &lab[2]};
	Perftools__Profiles__Sample s[2] = {PERFTOOLS__PROFILES__SAMPLE__INIT, PERFTOOLS__PROFILES__SAMPLE__INIT};
	Perftools__Profiles__Sample *sp[2] = {&s[0], &s[1]};
	uint64_t ids0[2] = {20, 10}, ids1[1] = {10};
	int64_t v0[2] = {1, 10000000}, v1[2] = {-2, -20000000}, comments[1] = {S_COMMENT};

	st[0].type = S_SAMPLES, st[0].unit = S_COUNT;
	st[1].type = S_CPU, st[1].unit = S_NS;
	p.n_sample_type = 2, p.sample_type = stp;
	pt.type = S_CPU, pt.unit = S_NS;
	p.period_type = &pt;
	p.period = 10000000;
	p.time_nanos = 1234567890123456789;
	p.duration_nanos = 5000000000;
	p.drop_frames = S_DROP, p.keep_frames = S_KEEP;
	p.n_comment = 1, p.comment = comments;
	p.default_sample_type = S_CPU;
	p.doc_url = S_DOC;

	m.id = 7, m.memory_start = 0x400000, m.memory_limit = 0x500000, m.file_offset = 0x1000;
	m.filename = S_BIN, m.build_id = S_BUILDID;
	m.has_functions = m.has_line_numbers = 1;
	p.n_mapping = 1, p.mapping = &mp;

	f[0].id = 1, f[0].name = S_MAIN, f[0].system_name = S_MAIN_SYS, f[0].filename = S_APP_GO;
	f[0].start_line = 3;
	f[1].id = 2, f[1].name = S_INLINED, f[1].system_name = S_INLINED, f[1].filename = S_APP_GO;
	p.n_function = 2, p.function = fp;

	ln[0].function_id = 2, ln[0].line = 42, ln[0].column = 5; /* inlined callee first */
	ln[1].function_id = 1, ln[1].line = 7;
	ln[2].function_id = 1, ln[2].line = 8;
	loc[0].id = 10, loc[0].mapping_id = 7, loc[0].address = 0x401000, loc[0].n_line = 2, loc[0].line = l1;
	loc[1].id = 20, loc[1].address = 0x402000, loc[1].n_line = 1, loc[1].line = l2;
	loc[1].is_folded = 1;
	p.n_location = 2, p.location = locp;

	lab[0].key = S_KEY, lab[0].str = S_VAL;
	lab[1].key = S_BYTES, lab[1].num = 4096, lab[1].num_unit = S_BYTES;
	lab[2].key = S_KEY; /* neither string nor number: dropped */
	s[0].n_location_id = 2, s[0].location_id = ids0, s[0].n_value = 2, s[0].value = v0;
	s[0].n_label = 3, s[0].label = labp;
	s[1].n_location_id = 1, s[1].location_id = ids1, s[1].n_value = 2, s[1].value = v1;
	p.n_sample = 2, p.sample = sp;

	p.n_string_table = S_N;
	p.string_table = (char **)handbuilt_strs;

	size_t n = perftools__profiles__profile__get_packed_size(&p);
	*out = malloc(n);
	perftools__profiles__profile__pack(&p, *out);
	return n;
}

int test_pprof_decode_handbuilt(void)
{
	struct cprof_profile *p;
	struct cprof_error err = {0};
	uint8_t *buf;
	size_t n = pack_handbuilt(&buf);

	CHECK_INT(cprof_pprof_decode(buf, n, &p, &err), 0);
	free(buf);

	CHECK_INT(p->nsample_type, 2);
	CHECK_STR(p->sample_type[0].type, "samples");
	CHECK_STR(p->sample_type[1].unit, "nanoseconds");
	CHECK_STR(p->period_type.type, "cpu");
	CHECK_INT(p->period, 10000000);
	CHECK_INT(p->time_nanos, 1234567890123456789);
	CHECK_INT(p->duration_nanos, 5000000000);
	CHECK_STR(p->drop_frames, "drop.*");
	CHECK_STR(p->keep_frames, "keep.*");
	CHECK_INT(p->ncomment, 1);
	CHECK_STR(p->comment[0], "comment one");
	CHECK_STR(p->default_sample_type, "cpu");
	CHECK_STR(p->doc_url, "http://x/doc");

	CHECK_INT(p->nmapping, 1);
	CHECK_INT(p->mapping[0].id, 7);
	CHECK_INT(p->mapping[0].start, 0x400000);
	CHECK_INT(p->mapping[0].limit, 0x500000);
	CHECK_INT(p->mapping[0].offset, 0x1000);
	CHECK_STR(p->mapping[0].file, "/bin/app");
	CHECK_STR(p->mapping[0].build_id, "abc123");
	CHECK(p->mapping[0].has_functions && !p->mapping[0].has_filenames);
	CHECK(p->mapping[0].has_line_numbers && !p->mapping[0].has_inline_frames);

	CHECK_INT(p->nfunction, 2);
	CHECK_STR(p->function[0].name, "main");
	CHECK_STR(p->function[0].system_name, "_main");
	CHECK_STR(p->function[0].filename, "app.go");
	CHECK_INT(p->function[0].start_line, 3);
	/* interned: equal strings are equal pointers */
	CHECK(p->function[0].filename == p->function[1].filename);

	CHECK_INT(p->nlocation, 2);
	const struct cprof_location *l = &p->location[0];
	CHECK_INT(l->id, 10);
	CHECK_INT(l->mapping, 0);
	CHECK_INT(l->address, 0x401000);
	CHECK_INT(l->nline, 2);
	CHECK_INT(l->line[0].fn, 1);
	CHECK_INT(l->line[0].line, 42);
	CHECK_INT(l->line[0].column, 5);
	CHECK_INT(l->line[1].fn, 0);
	CHECK(!l->is_folded);
	CHECK_INT(p->location[1].mapping, CPROF_NONE);
	CHECK(p->location[1].is_folded);

	CHECK_INT(p->nsample, 2);
	const struct cprof_sample *s = &p->sample[0];
	CHECK_INT(s->nloc, 2);
	CHECK_INT(s->loc[0], 1);
	CHECK_INT(s->loc[1], 0);
	CHECK_INT(s->value[1], 10000000);
	CHECK_INT(s->nlabel, 2);
	CHECK_STR(s->label[0].key, "key");
	CHECK_STR(s->label[0].str, "val");
	CHECK_STR(s->label[1].key, "bytes");
	CHECK(s->label[1].str == NULL);
	CHECK_INT(s->label[1].num, 4096);
	CHECK_STR(s->label[1].num_unit, "bytes");
	CHECK_INT(p->sample[1].value[0], -2);
	CHECK_INT(p->sample[1].nlabel, 0);
	cprof_profile_free(p);
	return 0;
}

/* ---- wire-level leniency -------------------------------------------------- */

int test_pprof_decode_packed_unpacked(void)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, m = STRBUF_INIT, pk = STRBUF_INIT;
	struct cprof_profile *pa, *pb;
	struct cprof_error err;
	struct strbuf da = STRBUF_INIT, db = STRBUF_INIT;

	/* a: one sample, location ids 1 1 1 unpacked, one value */
	pb_base(&a);
	uint64_t ids[3] = {1, 1, 1};
	pb_sample(&a, ids, 3, 5);
	/* b: the same ids split into a packed run of two and one unpacked, value packed */
	pb_base(&b);
	pb_varint(&pk, 1);
	pb_varint(&pk, 1);
	pb_bytes(&m, 1, pk.buf, pk.len);
	strbuf_reset(&pk);
	pb_int(&m, 1, 1);
	pb_varint(&pk, 5);
	pb_bytes(&m, 2, pk.buf, pk.len);
	pb_msg(&b, 2, &m);

	CHECK_INT(decode_sb(&a, &pa, &err), 0);
	CHECK_INT(decode_sb(&b, &pb, &err), 0);
	cprof_profile_dump(pa, &da);
	cprof_profile_dump(pb, &db);
	CHECK_STR(db.buf, da.buf);
	CHECK_INT(pb->sample[0].nloc, 3);
	CHECK_INT(pb->sample[0].value[0], 5);
	cprof_profile_free(pa);
	cprof_profile_free(pb);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&m);
	strbuf_release(&pk);
	strbuf_release(&da);
	strbuf_release(&db);
	return 0;
}

int test_pprof_decode_unknown_fields(void)
{
	struct strbuf b = STRBUF_INIT, m = STRBUF_INIT;
	struct cprof_profile *p;
	struct cprof_error err;

	pb_base(&b);
	/* unknown top-level fields of every wire type */
	pb_int(&b, 99, 12345);
	pb_str(&b, 100, "whatever");
	pb_varint(&b, 101 << 3 | 1);
	strbuf_add(&b, "12345678", 8);
	pb_varint(&b, 102 << 3 | 5);
	strbuf_add(&b, "1234", 4);
	/* an unknown field inside a sample; a doc_url given as bytes (skipped like Go 1.19) */
	pb_int(&m, 1, 1);
	pb_int(&m, 2, 3);
	pb_str(&m, 9, "x");
	pb_msg(&b, 2, &m);
	pb_str(&b, 15, "not an index");
	CHECK_INT(decode_sb(&b, &p, &err), 0);
	CHECK_INT(p->nsample, 1);
	CHECK_INT(p->sample[0].value[0], 3);
	CHECK_STR(p->doc_url, "");
	cprof_profile_free(p);
	strbuf_release(&b);
	strbuf_release(&m);
	return 0;
}

/* decode b and expect a "not a profile" failure */
static int expect_format_error(struct strbuf *b, const char *msg)
{
	struct cprof_profile *p = (struct cprof_profile *)1;
	struct cprof_error err;

	CHECK_INT(decode_sb(b, &p, &err), -1);
	CHECK(p == NULL);
	CHECK_INT(err.code, CPROF_E_FORMAT);
	if (msg)
		CHECK_STR(cprof_error_msg(&err), msg);
	strbuf_reset(b);
	return 0;
}

int test_pprof_decode_wire_errors(void)
{
	struct strbuf b = STRBUF_INIT, m = STRBUF_INIT;

	/* a varint of 11 bytes */
	pb_base(&b);
	strbuf_addstr(&b, "\x48\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01");
	CHECK(!expect_format_error(&b, "parsing profile: bad varint"));
	/* 10 bytes are fine, the bits past 64 dropped */
	pb_base(&b);
	strbuf_addstr(&b, "\x48\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f");
	struct cprof_profile *p;
	struct cprof_error err;
	CHECK_INT(decode_sb(&b, &p, &err), 0);
	CHECK_INT(p->time_nanos, -1);
	cprof_profile_free(p);
	strbuf_reset(&b);
	/* a top-level field numbered 0 (pprof skips it; protobuf has none) */
	pb_base(&b);
	pb_int(&b, 0, 1);
	CHECK(!expect_format_error(&b, "parsing profile: invalid field number 0"));
	/* wire types 3, 4, 6, 7 */
	pb_base(&b);
	pb_varint(&b, 50 << 3 | 3);
	CHECK(!expect_format_error(&b, "parsing profile: unknown wire type: 3"));
	/* a known scalar field as bytes */
	pb_base(&b);
	pb_str(&b, 12, "x");
	CHECK(!expect_format_error(&b, "parsing profile: type mismatch"));
	/* a known message field as a varint */
	pb_base(&b);
	pb_int(&b, 2, 1);
	CHECK(!expect_format_error(&b, "parsing profile: type mismatch"));
	/* a fixed64 for an int64 field */
	pb_base(&b);
	pb_varint(&b, 12 << 3 | 1);
	strbuf_add(&b, "12345678", 8);
	CHECK(!expect_format_error(&b, "parsing profile: type mismatch"));
	/* a length beyond the end */
	pb_base(&b);
	strbuf_addstr(&b, "\x12\x05\x08");
	CHECK(!expect_format_error(&b, "parsing profile: too much data"));
	/* fixed32 cut short */
	pb_base(&b);
	strbuf_addstr(&b, "\xfd\x03\x01");
	CHECK(!expect_format_error(&b, "parsing profile: not enough data"));
	/* a bad varint inside a packed run inside a sample */
	pb_base(&b);
	pb_bytes(&m, 1, "\x01\x81", 2);
	pb_int(&m, 2, 1);
	pb_msg(&b, 2, &m);
	CHECK(!expect_format_error(&b, "parsing profile: bad varint"));
	/* a bad field inside a line inside a location */
	pb_base(&b);
	pb_bytes(&m, 4, "\x08", 1);
	pb_int(&m, 1, 2);
	pb_msg(&b, 4, &m);
	CHECK(!expect_format_error(&b, "parsing profile: bad varint"));
	/* text is not a profile */
	strbuf_addstr(&b, "heap profile: 1: 2 [3: 4] @ heap/1048576\n");
	CHECK(!expect_format_error(&b, NULL));
	strbuf_release(&b);
	strbuf_release(&m);
	return 0;
}

/* Every prefix of a real encoding decodes or fails cleanly (run under ASan). */
int test_pprof_decode_truncated(void)
{
	uint8_t *buf;
	size_t n = pack_handbuilt(&buf);
	size_t ok = 0;

	for (size_t len = 0; len < n; len++) {
		uint8_t *copy = malloc(len ? len : 1); /* exact size, so ASan sees overreads */
		memcpy(copy, buf, len);
		struct cprof_profile *p = NULL;
		struct cprof_error err = {0};
		int r = cprof_pprof_decode(copy, len, &p, &err);
		if (r == 0) {
			CHECK(p != NULL);
			ok++;
			cprof_profile_free(p);
		} else {
			CHECK(p == NULL);
			CHECK(err.code != CPROF_E_OK);
			CHECK(cprof_error_msg(&err)[0] != '\0');
		}
		free(copy);
	}
	/* and with every byte flipped */
	for (size_t i = 0; i < n; i++) {
		for (int bit = 0; bit < 8; bit += 3) {
			uint8_t *copy = malloc(n);
			memcpy(copy, buf, n);
			copy[i] ^= (uint8_t)(1u << bit);
			struct cprof_profile *p = NULL;
			struct cprof_error err = {0};
			if (cprof_pprof_decode(copy, n, &p, &err) == 0)
				cprof_profile_free(p);
			free(copy);
		}
	}
	free(buf);
	CHECK(ok < n);
	return 0;
}

int test_pprof_decode_string_index(void)
{
	struct strbuf b = STRBUF_INIT, m = STRBUF_INIT;
	struct cprof_profile *p;
	struct cprof_error err;

	/* a function name past the table */
	pb_base(&b);
	pb_int(&m, 1, 2);
	pb_int(&m, 2, 6);
	pb_msg(&b, 5, &m);
	CHECK(!expect_format_error(&b, "parsing profile: malformed profile format"));
	/* negative */
	pb_base(&b);
	pb_int(&b, 7, (uint64_t)-1);
	CHECK(!expect_format_error(&b, "parsing profile: malformed profile format"));
	/* the key of a label that is dropped is still looked up */
	pb_base(&b);
	struct strbuf l = STRBUF_INIT;
	pb_int(&l, 1, 99);
	pb_int(&m, 1, 1);
	pb_int(&m, 2, 1);
	pb_msg(&m, 3, &l);
	pb_msg(&b, 2, &m);
	CHECK(!expect_format_error(&b, "parsing profile: malformed profile format"));
	/* no string table at all: even index 0 (drop_frames) is out of range */
	pb_int(&b, 12, 5);
	CHECK(!expect_format_error(&b, "parsing profile: malformed profile format"));
	/* the last valid index is fine */
	pb_base(&b);
	pb_int(&b, 14, 5);
	CHECK_INT(decode_sb(&b, &p, &err), 0);
	CHECK_STR(p->default_sample_type, "/bin/x");
	cprof_profile_free(p);
	strbuf_release(&b);
	strbuf_release(&m);
	strbuf_release(&l);
	return 0;
}

int test_pprof_decode_string0(void)
{
	struct strbuf b = STRBUF_INIT;

	pb_str(&b, 6, "x");
	pb_str(&b, 6, "");
	CHECK(!expect_format_error(&b, "parsing profile: string_table[0] must be ''"));
	strbuf_release(&b);
	return 0;
}

int test_pprof_decode_labels(void)
{
	struct strbuf b = STRBUF_INIT, m = STRBUF_INIT, l = STRBUF_INIT;
	struct cprof_profile *p;
	struct cprof_error err;

	pb_base(&b);
	pb_int(&m, 1, 1);
	pb_int(&m, 2, 1);
	pb_int(&l, 1, 1);        /* samples: str 3 */
	pb_int(&l, 2, 3);
	pb_int(&l, 3, 77);       /* num is ignored when str is set */
	pb_msg(&m, 3, &l);
	pb_int(&l, 1, 2);        /* count: num 0 unit 5 → numeric */
	pb_int(&l, 4, 5);
	pb_msg(&m, 3, &l);
	pb_int(&l, 1, 2);        /* count: num -3, no unit */
	pb_int(&l, 3, (uint64_t)-3);
	pb_msg(&m, 3, &l);
	pb_int(&l, 1, 2);        /* count: all zero → dropped */
	pb_msg(&m, 3, &l);
	pb_msg(&b, 2, &m);
	CHECK_INT(decode_sb(&b, &p, &err), 0);
	const struct cprof_sample *s = &p->sample[0];
	CHECK_INT(s->nlabel, 3);
	CHECK_STR(s->label[0].str, "main");
	CHECK(s->label[1].str == NULL);
	CHECK_INT(s->label[1].num, 0);
	CHECK_STR(s->label[1].num_unit, "/bin/x");
	CHECK_INT(s->label[2].num, -3);
	CHECK_STR(s->label[2].num_unit, "");
	struct strbuf d = STRBUF_INIT;
	cprof_profile_dump(p, &d);
	CHECK(strstr(d.buf, "\n          1: 1 \n                samples:[main]\n"
			    "                count:[0 /bin/x -3 ]\n"));
	strbuf_release(&d);
	cprof_profile_free(p);
	strbuf_release(&b);
	strbuf_release(&m);
	strbuf_release(&l);
	return 0;
}

int test_pprof_decode_concatenated(void)
{
	struct strbuf b = STRBUF_INIT, m = STRBUF_INIT;
	struct cprof_profile *p;
	struct cprof_error err;

	pb_base(&b);
	pb_int(&b, 9, 100);
	size_t one = b.len;
	char *copy = cprof_xmalloc(one);
	memcpy(copy, b.buf, one);
	strbuf_add(&b, copy, one);
	free(copy);
	CHECK_INT(decode_sb(&b, &p, &err), -1);
	CHECK(err.code != CPROF_E_FORMAT);
	CHECK_STR(cprof_error_msg(&err), "parsing profile: concatenated profiles detected");
	/* the same through the registry: no legacy fallback */
	CHECK_INT(cprof_parse_profile((unsigned char *)b.buf, b.len, &p, &err), -1);
	CHECK_STR(cprof_error_msg(&err), "parsing profile: concatenated profiles detected");
	strbuf_reset(&b);

	/* a first time_nanos of 0 does not count */
	pb_base(&b);
	pb_int(&b, 9, 0);
	pb_int(&b, 9, 100);
	CHECK_INT(decode_sb(&b, &p, &err), 0);
	CHECK_INT(p->time_nanos, 100);
	cprof_profile_free(p);
	strbuf_reset(&b);

	/* a wire error before the second time_nanos wins; one after it is never seen */
	pb_base(&b);
	pb_int(&b, 9, 100);
	pb_bytes(&m, 1, "\x81", 1);
	pb_msg(&b, 2, &m);
	pb_int(&b, 9, 100);
	CHECK(!expect_format_error(&b, "parsing profile: bad varint"));
	pb_base(&b);
	pb_int(&b, 9, 100);
	pb_int(&b, 9, 100);
	pb_bytes(&m, 1, "\x81", 1);
	pb_msg(&b, 2, &m);
	/* ...and so is a bad string index */
	pb_int(&b, 7, 1000);
	CHECK_INT(decode_sb(&b, &p, &err), -1);
	CHECK_STR(cprof_error_msg(&err), "parsing profile: concatenated profiles detected");
	strbuf_release(&b);
	strbuf_release(&m);
	return 0;
}

/* decode b and expect a validity failure with message msg */
static int expect_invalid(struct strbuf *b, const char *msg)
{
	struct cprof_profile *p;
	struct cprof_error err;

	CHECK_INT(decode_sb(b, &p, &err), -1);
	CHECK_INT(err.code, CPROF_E_CORRUPT);
	CHECK_STR(cprof_error_msg(&err), msg);
	strbuf_reset(b);
	return 0;
}

int test_pprof_decode_id_zero(void)
{
	struct strbuf b = STRBUF_INIT, m = STRBUF_INIT;

	pb_base(&b);
	pb_int(&m, 2, 0x1);
	pb_msg(&b, 3, &m); /* mapping without id */
	CHECK(!expect_invalid(&b, "malformed profile: found mapping with reserved ID=0"));
	pb_base(&b);
	pb_int(&m, 2, 3);
	pb_msg(&b, 5, &m);
	CHECK(!expect_invalid(&b, "malformed profile: found function with reserved ID=0"));
	pb_base(&b);
	pb_int(&m, 3, 0x10);
	pb_msg(&b, 4, &m);
	CHECK(!expect_invalid(&b, "malformed profile: found location with reserved id=0"));
	/* a sample naming location 0 finds the location with id 0 (as pprof does) */
	pb_base(&b);
	pb_int(&m, 3, 0x10);
	pb_msg(&b, 4, &m);
	uint64_t zero = 0;
	pb_sample(&b, &zero, 1, 1);
	CHECK(!expect_invalid(&b, "malformed profile: found location with reserved id=0"));
	strbuf_release(&b);
	strbuf_release(&m);
	return 0;
}

int test_pprof_decode_duplicate_ids(void)
{
	struct strbuf b = STRBUF_INIT, m = STRBUF_INIT;

	pb_base(&b);
	pb_int(&m, 1, 1);
	pb_msg(&b, 3, &m);
	CHECK(!expect_invalid(&b, "malformed profile: multiple mappings with same id: 1"));
	pb_base(&b);
	pb_int(&m, 1, 1);
	pb_msg(&b, 5, &m);
	CHECK(!expect_invalid(&b, "malformed profile: multiple functions with same id: 1"));
	pb_base(&b);
	pb_int(&m, 1, 1);
	pb_msg(&b, 4, &m);
	CHECK(!expect_invalid(&b, "malformed profile: multiple locations with same id: 1"));
	/* large sparse ids go through the hash table */
	pb_base(&b);
	pb_int(&m, 1, 1ULL << 40);
	pb_msg(&b, 4, &m);
	pb_int(&m, 1, 1ULL << 40);
	pb_msg(&b, 4, &m);
	CHECK(!expect_invalid(&b, "malformed profile: multiple locations with same id: 1099511627776"));
	strbuf_release(&b);
	strbuf_release(&m);
	return 0;
}

int test_pprof_decode_unknown_refs(void)
{
	struct strbuf b = STRBUF_INIT, m = STRBUF_INIT, l = STRBUF_INIT;
	struct cprof_profile *p;
	struct cprof_error err;

	pb_base(&b);
	uint64_t ids[2] = {1, 2};
	pb_sample(&b, ids, 2, 1);
	CHECK(!expect_invalid(&b, "malformed profile: sample has nil location"));
	/* a line naming no function, or an unknown one */
	pb_base(&b);
	pb_int(&l, 2, 5);
	pb_int(&m, 1, 2);
	pb_msg(&m, 4, &l);
	pb_msg(&b, 4, &m);
	CHECK(!expect_invalid(&b, "malformed profile: location id: 2 has a line with nil function"));
	pb_base(&b);
	pb_int(&l, 1, 9);
	pb_int(&m, 1, 2);
	pb_msg(&m, 4, &l);
	pb_msg(&b, 4, &m);
	CHECK(!expect_invalid(&b, "malformed profile: location id: 2 has a line with nil function"));
	/* an unknown mapping id is silently no mapping */
	pb_base(&b);
	pb_int(&m, 1, 2);
	pb_int(&m, 2, 9);
	pb_msg(&b, 4, &m);
	CHECK_INT(decode_sb(&b, &p, &err), 0);
	CHECK_INT(p->location[1].mapping, CPROF_NONE);
	cprof_profile_free(p);
	strbuf_release(&b);
	strbuf_release(&m);
	strbuf_release(&l);
	return 0;
}

int test_pprof_decode_value_count(void)
{
	struct strbuf b = STRBUF_INIT, m = STRBUF_INIT;
	uint64_t nine = 9;

	pb_base(&b);
	pb_int(&m, 2, 1);
	pb_int(&m, 2, 2);
	pb_msg(&b, 2, &m);
	CHECK(!expect_invalid(&b, "malformed profile: mismatch: sample has 2 values vs. 1 types"));
	/* in sample order: an earlier nil location wins over a later count mismatch */
	pb_base(&b);
	pb_sample(&b, &nine, 1, 1);
	pb_msg(&b, 2, &m);
	CHECK(!expect_invalid(&b, "malformed profile: sample has nil location"));
	/* within a sample the count is checked first */
	pb_base(&b);
	pb_int(&m, 1, 9);
	pb_msg(&b, 2, &m);
	CHECK(!expect_invalid(&b, "malformed profile: mismatch: sample has 0 values vs. 1 types"));
	/* samples without sample types */
	pb_str(&b, 6, "");
	pb_int(&m, 1, 1);
	pb_msg(&b, 2, &m);
	CHECK(!expect_invalid(&b, "malformed profile: missing sample type information"));
	strbuf_release(&b);
	strbuf_release(&m);
	return 0;
}

/* Ids that are not 1..n in order: the hash and non-identity paths. */
int test_pprof_decode_sparse_ids(void)
{
	struct strbuf b = STRBUF_INIT, m = STRBUF_INIT, l = STRBUF_INIT;
	struct cprof_profile *p;
	struct cprof_error err;
	const uint64_t big = 0xfedcba9876543210ULL;

	pb_base(&b);
	for (uint64_t id = 1000; id < 1300; id++) {
		pb_int(&l, 1, 1);
		pb_int(&m, 1, id * 7919);
		pb_int(&m, 2, 1);
		pb_msg(&m, 4, &l);
		pb_msg(&b, 4, &m);
	}
	pb_int(&m, 1, big);
	pb_msg(&b, 4, &m);
	uint64_t ids[4] = {big, 1, 1100 * 7919, 1000 * 7919};
	pb_sample(&b, ids, 4, 1);
	CHECK_INT(decode_sb(&b, &p, &err), 0);
	CHECK_INT(p->nlocation, 302);
	const struct cprof_sample *s = &p->sample[0];
	CHECK_INT(s->loc[0], 301);
	CHECK_INT(s->loc[1], 0);
	CHECK_INT(s->loc[2], 101);
	CHECK_INT(s->loc[3], 1);
	CHECK_INT(p->location[101].id, 1100 * 7919);
	cprof_profile_free(p);
	strbuf_release(&b);
	strbuf_release(&m);
	strbuf_release(&l);
	return 0;
}

int test_pprof_decode_depth_limit(void)
{
	struct strbuf b = STRBUF_INIT;
	struct cprof_profile *p;
	struct cprof_error err;
	uint64_t ids[5] = {1, 1, 1, 1, 1};
	uint32_t saved = cprof_limits.max_depth;

	pb_base(&b);
	pb_sample(&b, ids, 5, 1);
	cprof_limits.max_depth = 4;
	int r = decode_sb(&b, &p, &err);
	cprof_limits.max_depth = saved;
	CHECK_INT(r, -1);
	CHECK_INT(err.code, CPROF_E_LIMIT);
	CHECK(strstr(cprof_error_msg(&err), "more than 4 frames"));
	CHECK_INT(decode_sb(&b, &p, &err), 0);
	cprof_profile_free(p);
	strbuf_release(&b);
	return 0;
}

/* ---- validity and compaction on the model --------------------------------- */

int test_pprof_check_valid_order(void)
{
	struct cprof_profile *p = cprof_profile_new();
	struct cprof_error err;
	struct cprof_value_type st = {"samples", "count"};

	CHECK_INT(cprof_profile_check_valid(p, &err), 0);
	struct cprof_sample *s = cprof_profile_add_sample(p);
	s->value = cprof_arena_calloc(&p->arena, 1, sizeof(int64_t));
	CHECK_INT(cprof_profile_check_valid(p, &err), -1);
	CHECK_STR(cprof_error_msg(&err), "malformed profile: missing sample type information");
	cprof_profile_set_sample_types(p, &st, 1);
	CHECK_INT(cprof_profile_check_valid(p, &err), 0);

	/* function and location problems: mappings are checked before functions, functions before locations */
	struct cprof_location *l = cprof_profile_add_location(p);
	l->id = 1;
	l->nline = 1;
	l->line = cprof_arena_calloc(&p->arena, 1, sizeof(*l->line));
	l->line[0].fn = CPROF_NONE;
	cprof_profile_add_function(p)->id = 0;
	cprof_profile_add_mapping(p)->id = 3;
	cprof_profile_add_mapping(p)->id = 3;
	CHECK_INT(cprof_profile_check_valid(p, &err), -1);
	CHECK_STR(cprof_error_msg(&err), "malformed profile: multiple mappings with same id: 3");
	p->mapping[1].id = 4;
	CHECK_INT(cprof_profile_check_valid(p, &err), -1);
	CHECK_STR(cprof_error_msg(&err), "malformed profile: found function with reserved ID=0");
	p->function[0].id = 1;
	CHECK_INT(cprof_profile_check_valid(p, &err), -1);
	CHECK_STR(cprof_error_msg(&err), "malformed profile: location id: 1 has a line with nil function");
	p->location[0].line[0].fn = 0;
	CHECK_INT(cprof_profile_check_valid(p, &err), 0);
	p->location[0].mapping = 5;
	CHECK_INT(cprof_profile_check_valid(p, &err), -1);
	CHECK_INT(err.code, CPROF_E_CORRUPT);
	p->location[0].mapping = 1;
	s = &p->sample[0];
	s->loc = cprof_arena_alloc(&p->arena, sizeof(uint32_t));
	s->loc[0] = 1;
	s->nloc = 1;
	CHECK_INT(cprof_profile_check_valid(p, &err), -1);
	CHECK_STR(cprof_error_msg(&err), "malformed profile: sample has nil location");
	s->loc[0] = 0;
	CHECK_INT(cprof_profile_check_valid(p, &err), 0);
	cprof_profile_free(p);
	return 0;
}

int test_pprof_compact(void)
{
	struct cprof_profile *p = cprof_profile_new();
	struct cprof_error err;
	struct cprof_value_type st = {"samples", "count"};

	cprof_profile_set_sample_types(p, &st, 1);
	for (int i = 0; i < 4; i++) {
		struct cprof_mapping *m = cprof_profile_add_mapping(p);
		m->id = 10 + i;
		struct cprof_function *f = cprof_profile_add_function(p);
		f->id = 20 + i;
		struct cprof_location *l = cprof_profile_add_location(p);
		l->id = 30 + i;
		l->mapping = i;
		l->nline = 1;
		l->line = cprof_arena_calloc(&p->arena, 1, sizeof(*l->line));
		l->line[0].fn = 3 - i;
	}
	/* samples use locations 1 and 3 → mappings 1, 3 and functions 2, 0 */
	struct cprof_sample *s = cprof_profile_add_sample(p);
	s->value = cprof_arena_calloc(&p->arena, 1, sizeof(int64_t));
	s->loc = cprof_arena_alloc(&p->arena, 2 * sizeof(uint32_t));
	s->loc[0] = 3;
	s->loc[1] = 1;
	s->nloc = 2;
	cprof_profile_compact(p);
	CHECK_INT(p->nlocation, 2);
	CHECK_INT(p->nmapping, 2);
	CHECK_INT(p->nfunction, 2);
	CHECK_INT(p->location[0].id, 31);
	CHECK_INT(p->location[1].id, 33);
	CHECK_INT(p->sample[0].loc[0], 1);
	CHECK_INT(p->sample[0].loc[1], 0);
	CHECK_INT(p->mapping[p->location[0].mapping].id, 11);
	CHECK_INT(p->mapping[p->location[1].mapping].id, 13);
	CHECK_INT(p->function[p->location[0].line[0].fn].id, 22);
	CHECK_INT(p->function[p->location[1].line[0].fn].id, 20);
	CHECK_INT(p->function[0].id, 20);
	CHECK_INT(cprof_profile_check_valid(p, &err), 0);
	cprof_profile_free(p);
	return 0;
}
