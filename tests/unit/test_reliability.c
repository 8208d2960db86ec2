/* test_reliability.c - input limits and profile warnings (tests_reliability.h). */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "cprof/formats.h"
#include "cprof/profile.h"
#include "cprof/strbuf.h"
#include "src/cmd/limits.h"

static const char folded[] = "main;a;b 3\nmain;a;c 2\nmain;d 1\n";

int test_limits_take_args(void)
{
	struct cprof_limits saved = cprof_limits;
	struct cprof_error err;
	char a0[] = "cprof", a1[] = "-max_depth=12", a2[] = "-top", a3[] = "--max_samples", a4[] = "3K",
	     a5[] = "file", a6[] = "--", a7[] = "-max_string=1";
	char *argv[] = {a0, a1, a2, a3, a4, a5, a6, a7, NULL};
	int argc = 8;

	CHECK_INT(cprof_limits_take_args(&argc, argv, &err), 0);
	CHECK_INT(argc, 5);
	CHECK_STR(argv[1], "-top");
	CHECK_STR(argv[2], "file");
	CHECK_STR(argv[3], "--");
	CHECK_STR(argv[4], "-max_string=1"); /* after "--": an argument */
	CHECK(argv[5] == NULL);
	CHECK_INT(cprof_limits.max_depth, 12);
	CHECK_INT(cprof_limits.max_samples, 3 << 10);
	CHECK_INT(cprof_limits.max_string, saved.max_string);
	cprof_limits = saved;
	return 0;
}

int test_limits_bad_args(void)
{
	struct cprof_limits saved = cprof_limits;
	static const char *const bad[] = {"-max_depth=0", "-max_depth=-1", "-max_depth=5x",
					  "-max_depth=4G", "-max_input_size=99999999999G", "-max_samples"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cprof_error err;
		char a0[] = "cprof", a1[64];
		snprintf(a1, sizeof(a1), "%s", bad[i]);
		char *argv[] = {a0, a1, NULL};
		int argc = 2;
		CHECK_INT(cprof_limits_take_args(&argc, argv, &err), -1);
		CHECK_INT(err.code, CPROF_E_USAGE);
	}
	CHECK(memcmp(&saved, &cprof_limits, sizeof(saved)) == 0);
	return 0;
}

int test_limit_samples_locations(void)
{
	struct cprof_limits saved = cprof_limits;
	struct cprof_profile *p = NULL;
	struct cprof_error err;

	cprof_limits.max_samples = 2;
	int r = cprof_parse_profile((const unsigned char *)folded, strlen(folded), &p, &err);
	cprof_limits = saved;
	CHECK_INT(r, -1);
	CHECK_INT(err.code, CPROF_E_LIMIT);
	CHECK_STR(cprof_error_msg(&err), "parsing profile: 3 samples exceed the limit of 2 (-max_samples)");
	cprof_limits.max_locations = 4;
	r = cprof_parse_profile((const unsigned char *)folded, strlen(folded), &p, &err);
	cprof_limits = saved;
	CHECK_INT(r, -1);
	CHECK(strstr(cprof_error_msg(&err), "locations exceed the limit of 4 (-max_locations)"));
	CHECK_INT(cprof_parse_profile((const unsigned char *)folded, strlen(folded), &p, &err), 0);
	CHECK_INT(p->nsample, 3);
	cprof_profile_free(p);
	return 0;
}

int test_limit_string(void)
{
	struct cprof_limits saved = cprof_limits;
	struct cprof_profile *p = NULL, *q = NULL;
	struct cprof_error err;
	struct strbuf raw = STRBUF_INIT;

	CHECK_INT(cprof_parse_profile((const unsigned char *)folded, strlen(folded), &p, &err), 0);
	CHECK_INT(cprof_pprof_encode_raw(p, &raw, &err), 0);
	cprof_limits.max_string = 3; /* "main" is 4 bytes */
	int r = cprof_pprof_decode((const unsigned char *)raw.buf, raw.len, &q, &err);
	cprof_limits = saved;
	CHECK_INT(r, -1);
	CHECK_INT(err.code, CPROF_E_LIMIT);
	CHECK(strstr(cprof_error_msg(&err), "is longer than 3 bytes (-max_string)"));
	CHECK_INT(cprof_pprof_decode((const unsigned char *)raw.buf, raw.len, &q, &err), 0);
	cprof_profile_free(q);
	cprof_profile_free(p);
	strbuf_release(&raw);
	return 0;
}

int test_lint_clean(void)
{
	struct cprof_profile *p = NULL;
	struct cprof_error err;
	struct strbuf notes = STRBUF_INIT;

	CHECK_INT(cprof_parse_profile((const unsigned char *)folded, strlen(folded), &p, &err), 0);
	CHECK_INT(cprof_profile_lint(p, &notes), 0);
	CHECK_STR(notes.buf, "");
	cprof_profile_free(p);
	return 0;
}

static struct cprof_mapping *add_map(struct cprof_profile *p, uint64_t id, uint64_t start, uint64_t limit,
				     const char *file)
{
	struct cprof_mapping *m = cprof_profile_add_mapping(p);
	m->id = id;
	m->start = start;
	m->limit = limit;
	m->file = cprof_profile_str(p, file);
	return m;
}

int test_lint_mappings(void)
{
	struct cprof_profile *p = NULL;
	struct cprof_error err;
	struct strbuf notes = STRBUF_INIT;

	CHECK_INT(cprof_parse_profile((const unsigned char *)folded, strlen(folded), &p, &err), 0);
	add_map(p, 1, 0x1000, 0x3000, "/bin/a");
	add_map(p, 2, 0x2000, 0x4000, "/lib/b.so");
	add_map(p, 3, 0x9000, 0x8000, "/lib/c.so");
	add_map(p, 4, 0x3800, 0x5000, "/lib/d.so");
	CHECK_INT(cprof_profile_lint(p, &notes), 2);
	CHECK_STR(notes.buf,
		  "Warning: mapping 3 (/lib/c.so) ends at 0x8000 before it starts at 0x9000\n"
		  "Warning: mappings 1 (/bin/a) and 2 (/lib/b.so) overlap at 0x2000 (2 overlaps in all): "
		  "addresses may be attributed to the wrong binary\n");
	strbuf_release(&notes);
	cprof_profile_free(p);
	return 0;
}

int test_lint_overflow(void)
{
	struct cprof_profile *p = NULL;
	struct cprof_error err;
	struct strbuf notes = STRBUF_INIT;

	CHECK_INT(cprof_parse_profile((const unsigned char *)folded, strlen(folded), &p, &err), 0);
	CHECK_INT(p->nsample, 3);
	p->sample[0].value[0] = INT64_MAX - 3;
	p->sample[1].value[0] = 1;
	p->sample[2].value[0] = 2;
	CHECK_INT(cprof_profile_lint(p, &notes), 0); /* exactly INT64_MAX */
	p->sample[2].value[0] = -3; /* |values| sum past INT64_MAX */
	CHECK_INT(cprof_profile_lint(p, &notes), 1);
	CHECK_STR(notes.buf, "Warning: samples/count values overflow a 64-bit total: totals and "
			     "percentages of this type are wrong\n");
	strbuf_release(&notes);
	cprof_profile_free(p);
	return 0;
}
