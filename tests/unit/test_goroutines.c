/*
 * test_goroutines.c - the goroutine dump parser (formats/goroutine_dump.c)
 * and the grouping of `cprof goroutines` (src/runtime/goroutines.c).
 *
 * The dumps are cut from testdata/goroutines/ (Go 1.19, runtime output)
 * and testdata/goroutines/handmade_go123.txt (newer header forms).
 */
#include <stdlib.h>

#include "check.h"
#include "cprof/formats.h"
#include "cprof/goroutines.h"

static const char dump119[] =
	"panic: cprofgen: deliberate panic\n"
	"\n"
	"goroutine 1 [running]:\n"
	"main.main()\n"
	"\t/src/main.go:254 +0x454\n"
	"\n"
	"goroutine 20 [chan receive, 2 minutes]:\n"
	"main.recvInline(...)\n"
	"\t/src/main.go:65\n"
	"main.recvWorker(0x0?)\n"
	"\t/src/main.go:68 +0x27\n"
	"created by main.(*parked).groupOld\n"
	"\t/src/main.go:135 +0x27\n"
	"\n"
	"goroutine 21 [chan receive, 1 minutes]:\n"
	"main.recvInline(...)\n"
	"\t/src/main.go:65\n"
	"main.recvWorker(0x0?)\n"
	"\t/src/main.go:68 +0x27\n"
	"created by main.(*parked).groupOld\n"
	"\t/src/main.go:135 +0x27\n"
	"\n"
	"goroutine 29 [chan receive, 2 minutes]:\n"
	"main.(*server).serve(0x0?, {0x4e3781?, 0x4}, 0xa)\n"
	"\t/src/main.go:58 +0x77\n"
	"created by main.startServers\n"
	"\t/src/main.go:170 +0x253\n"
	"\n"
	"goroutine 37 [sleep, 1 minutes, locked to thread]:\n"
	"time.Sleep(0x34630b8a000)\n"
	"\t/usr/lib/go/src/runtime/time.go:195 +0x135\n"
	"main.park[...](0x0?)\n"
	"\t/src/main.go:71 +0x2a\n"
	"main.manyArgs(0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0x8, 0x9, 0xa, ...)\n"
	"\t/src/main.go:84 +0x65\n"
	"created by main.(*parked).groupNew\n"
	"\t/src/main.go:189 +0x22f\n";

static const char dump123[] =
	"log line before the crash\r\n"
	"fatal error: all goroutines are asleep - deadlock!\r\n"
	"\r\n"
	"goroutine 1 gp=0xc0000061c0 m=0 mp=0x7b2a20 [running]:\r\n"
	"panic({0x6a1f40?, 0x7a0c10?})\r\n"
	"\t/go/src/runtime/panic.go:785 +0x132 fp=0xc00011fdf8 sp=0xc00011fd48 pc=0x47c3f2\r\n"
	"main.main()\r\n"
	"\t/src/main.go:41 +0x2f7 fp=0xc00011ff50 sp=0xc00011fe98 pc=0x689777\r\n"
	"\r\n"
	"goroutine 9 gp=0xc000007dc0 m=3 mp=0xc000100008 [running]:\r\n"
	"\tgoroutine running on other thread; stack unavailable\r\n"
	"created by main.(*Server).Start in goroutine 1\r\n"
	"\t/src/server.go:44 +0x12c\r\n"
	"\r\n"
	"goroutine 11 gp=0xc000082380 m=nil [select, 12 minutes]:\r\n"
	"main.walk(0x0?)\r\n"
	"        /src/tree.go:12 +0x6f\r\n"
	"...72 frames elided...\r\n"
	"main.walk(0x4b?)\r\n"
	"        /src/tree.go:15 +0x3c\r\n"
	"created by main.(*Server).Start in goroutine 1\r\n"
	"\t/src/server.go:48 +0x1f0\r\n"
	"[originating from goroutine 1]:\r\n"
	"main.(*Server).Start(...)\r\n"
	"\t/src/server.go:48 +0x1f0\r\n"
	"\r\n"
	"goroutine 12 [sync.Mutex.Lock]:\r\n"
	"main.idle[...]({0x7c4e58, 0xc0000a0040})\r\n"
	"\t/src/idle.go:9 +0x18\r\n"
	"...additional frames elided...\r\n"
	"created by main.main\r\n"
	"\t/src/main.go:33 +0x213\r\n"
	"exit status 2\r\n";

static int parse(const char *s, size_t n, struct cprof_profile **p, struct cprof_error *err)
{
	memset(err, 0, sizeof(*err));
	return cprof_goroutine_dump_parse((const unsigned char *)s, n, p, err);
}

static const struct cprof_label *label(const struct cprof_sample *s, const char *key)
{
	for (uint32_t i = 0; i < s->nlabel; i++)
		if (!strcmp(s->label[i].key, key))
			return &s->label[i];
	return NULL;
}

static const char *fn_of(const struct cprof_profile *p, const struct cprof_sample *s, uint32_t loc, uint32_t line)
{
	const struct cprof_location *l = &p->location[s->loc[loc]];
	return line < l->nline ? p->function[l->line[line].fn].name : "?";
}

int test_goroutine_dump_go119(void)
{
	struct cprof_profile *p;
	struct cprof_error err;

	CHECK_INT(parse(dump119, sizeof(dump119) - 1, &p, &err), 0);
	CHECK_INT(cprof_profile_check_valid(p, &err), 0);
	CHECK_INT(p->nsample, 5);
	CHECK_INT(p->nsample_type, 1);
	CHECK_STR(p->sample_type[0].type, "goroutine");
	CHECK_STR(p->period_type.type, "goroutine");
	CHECK_INT(p->ncomment, 1);
	CHECK_STR(p->comment[0], "panic: cprofgen: deliberate panic");
	CHECK(p->mapping[0].has_functions && p->mapping[0].has_filenames && p->mapping[0].has_line_numbers);

	const struct cprof_sample *s = &p->sample[1];
	CHECK_INT(s->value[0], 1);
	CHECK_STR(label(s, "state")->str, "chan receive");
	CHECK_INT(label(s, "goid")->num, 20);
	CHECK_INT(label(s, "wait")->num, 2);
	CHECK_STR(label(s, "wait")->num_unit, "minutes");
	CHECK_STR(label(s, "created_by")->str, "main.(*parked).groupOld");
	CHECK_STR(label(s, "created_at")->str, "/src/main.go:135");
	CHECK(!label(s, "parent_goid") && !label(s, "locked_to_thread"));
	/* the inlined recvInline(...) joins recvWorker's location */
	CHECK_INT(s->nloc, 1);
	CHECK_INT(p->location[s->loc[0]].nline, 2);
	CHECK_STR(fn_of(p, s, 0, 0), "main.recvInline");
	CHECK_STR(fn_of(p, s, 0, 1), "main.recvWorker");
	CHECK_INT(p->location[s->loc[0]].line[0].line, 65);
	CHECK_STR(p->function[p->location[s->loc[0]].line[1].fn].filename, "/src/main.go");
	/* equal frames share locations */
	CHECK_INT(p->sample[2].loc[0], s->loc[0]);

	s = &p->sample[3];
	CHECK_STR(fn_of(p, s, 0, 0), "main.(*server).serve");
	s = &p->sample[4];
	CHECK_STR(label(s, "state")->str, "sleep");
	CHECK_STR(label(s, "locked_to_thread")->str, "true");
	CHECK_INT(label(s, "wait")->num, 1);
	CHECK_INT(s->nloc, 3);
	CHECK_STR(fn_of(p, s, 1, 0), "main.park[...]");
	CHECK_STR(fn_of(p, s, 2, 0), "main.manyArgs");
	CHECK(!label(&p->sample[0], "wait"));
	cprof_profile_free(p);
	return 0;
}

int test_goroutine_dump_newer_forms(void)
{
	struct cprof_profile *p;
	struct cprof_error err;

	CHECK_INT(parse(dump123, sizeof(dump123) - 1, &p, &err), 0);
	CHECK_INT(cprof_profile_check_valid(p, &err), 0);
	CHECK_INT(p->nsample, 4);
	CHECK_STR(p->comment[0], "fatal error: all goroutines are asleep - deadlock!");

	const struct cprof_sample *s = &p->sample[0];
	CHECK_STR(fn_of(p, s, 0, 0), "panic");
	CHECK_INT(p->location[s->loc[0]].line[0].line, 785); /* fp= sp= pc= dropped */
	CHECK_STR(p->function[p->location[s->loc[1]].line[0].fn].filename, "/src/main.go");

	s = &p->sample[1]; /* stack unavailable: one pseudo frame */
	CHECK_INT(label(s, "goid")->num, 9);
	CHECK_STR(label(s, "stack")->str, "unavailable");
	CHECK_INT(s->nloc, 1);
	CHECK_STR(fn_of(p, s, 0, 0), "<stack unavailable>");
	CHECK_STR(label(s, "created_by")->str, "main.(*Server).Start");
	CHECK_INT(label(s, "parent_goid")->num, 1);

	s = &p->sample[2]; /* middle elision, space indents, ancestors skipped */
	CHECK_INT(s->nloc, 2);
	CHECK_STR(label(s, "elided")->str, "true");
	CHECK_INT(label(s, "wait")->num, 12);
	CHECK_INT(p->location[s->loc[1]].line[0].line, 15);
	CHECK_STR(label(s, "created_at")->str, "/src/server.go:48");

	s = &p->sample[3];
	CHECK_STR(label(s, "state")->str, "sync.Mutex.Lock");
	CHECK_STR(fn_of(p, s, 0, 0), "main.idle[...]");
	CHECK_STR(label(s, "elided")->str, "true");
	CHECK_STR(label(s, "created_by")->str, "main.main");
	CHECK(!label(s, "parent_goid"));
	cprof_profile_free(p);
	return 0;
}

/* Every prefix of both dumps parses or fails cleanly (ASan watches). */
int test_goroutine_dump_truncated(void)
{
	const char *dumps[] = {dump119, dump123};
	for (size_t d = 0; d < 2; d++) {
		size_t len = strlen(dumps[d]);
		for (size_t n = 0; n <= len; n++) {
			struct cprof_profile *p = NULL;
			struct cprof_error err;
			/* a copy of exactly n bytes, so reading past it is caught */
			char *copy = cprof_xmalloc(n ? n : 1);
			memcpy(copy, dumps[d], n);
			int rc = parse(copy, n, &p, &err);
			if (rc == 0) {
				CHECK_INT(cprof_profile_check_valid(p, &err), 0);
				CHECK(p->nsample >= 1);
				cprof_profile_free(p);
			} else {
				CHECK_INT(err.code, CPROF_E_FORMAT);
				CHECK(p == NULL);
			}
			free(copy);
		}
	}
	return 0;
}

int test_goroutine_dump_not_a_dump(void)
{
	static const char *const inputs[] = {
		"",
		"hello\n",
		"goroutine profile: total 3\n3 @ 0x1 0x2\n",
		"goroutine 1 [running]\n",       /* no colon */
		"goroutine x [running]:\n",      /* no id */
		"goroutine 1 foo [running]:\n",  /* a word without '=' */
		"goroutine 1 [run]ning]:\n",
		" goroutine 1 [running]:\n",
	};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(inputs); i++) {
		struct cprof_profile *p = NULL;
		struct cprof_error err;
		CHECK_INT(parse(inputs[i], strlen(inputs[i]), &p, &err), -1);
		CHECK_INT(err.code, CPROF_E_FORMAT);
	}
	/* a NUL byte: binary, not a dump */
	struct cprof_profile *p = NULL;
	struct cprof_error err;
	CHECK_INT(parse("goroutine 1 [running]:\n\0", 24, &p, &err), -1);
	CHECK_INT(err.code, CPROF_E_FORMAT);
	return 0;
}

int test_goroutine_dump_bad_numbers(void)
{
	static const struct {
		const char *in, *msg;
	} cases[] = {
		{"goroutine 99999999999999999999 [running]:\n",
		 "parsing profile: goroutine dump, line 1: goroutine id out of range '99999999999999999999'"},
		{"x\ngoroutine 1 [select, 99999999999999999999 minutes]:\n",
		 "parsing profile: goroutine dump, line 2: wait time out of range '99999999999999999999'"},
		{"goroutine 1 [select]:\nmain.f()\n\t/a.go:1\ncreated by main.g in goroutine 99999999999999999999\n",
		 "parsing profile: goroutine dump, line 4: goroutine id out of range '99999999999999999999'"},
	};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(cases); i++) {
		struct cprof_profile *p = NULL;
		struct cprof_error err;
		CHECK_INT(parse(cases[i].in, strlen(cases[i].in), &p, &err), -1);
		CHECK_INT(err.code, CPROF_E_CORRUPT);
		CHECK_STR(cprof_error_msg(&err), cases[i].msg);
	}
	/* a line number too long is not a line number: kept in the file name */
	struct cprof_profile *p;
	struct cprof_error err;
	const char *in = "goroutine 1 [select]:\nmain.f()\n\t/a.go:99999999999999999999 +0x1\n";
	CHECK_INT(parse(in, strlen(in), &p, &err), 0);
	CHECK_STR(p->function[0].filename, "/a.go:99999999999999999999");
	cprof_profile_free(p);
	return 0;
}

int test_goroutine_dump_depth_limit(void)
{
	struct strbuf b = STRBUF_INIT;
	uint32_t saved = cprof_limits.max_depth;
	cprof_limits.max_depth = 10;
	strbuf_addstr(&b, "goroutine 5 [select]:\n");
	for (int i = 0; i < 11; i++)
		strbuf_addf(&b, "main.f%d()\n\t/a.go:%d +0x1\n", i, i + 1);
	struct cprof_profile *p = NULL;
	struct cprof_error err;
	int rc = parse(b.buf, b.len, &p, &err);
	cprof_limits.max_depth = saved;
	CHECK_INT(rc, -1);
	CHECK_INT(err.code, CPROF_E_LIMIT);
	CHECK_STR(cprof_error_msg(&err), "parsing profile: goroutine 5 has more than 10 frames");
	strbuf_release(&b);
	return 0;
}

/* The registry tries the dump parser after the others. */
int test_goroutine_dump_registry(void)
{
	struct cprof_profile *p;
	struct cprof_error err = {0};
	CHECK_INT(cprof_parse_profile((const unsigned char *)dump119, sizeof(dump119) - 1, &p, &err), 0);
	CHECK_INT(p->nsample, 5);
	cprof_profile_free(p);
	return 0;
}

int test_goroutines_group(void)
{
	struct cprof_profile *p;
	struct cprof_error err;
	struct cprof_goroutine_summary s;

	CHECK_INT(parse(dump119, sizeof(dump119) - 1, &p, &err), 0);
	CHECK_INT(cprof_goroutines_summarize(p, NULL, &s, &err), 0);
	CHECK_INT(s.total, 5);
	CHECK_INT(s.ngroups, 4);
	/* goroutines 20 and 21: same stack, state and creator; waits 2 and 1 */
	const struct cprof_goroutine_group *g = &s.groups[0];
	CHECK_INT(g->count, 2);
	CHECK_STR(g->state, "chan receive");
	CHECK_INT(g->wait_min, 1);
	CHECK_INT(g->wait_max, 2);
	CHECK_INT(g->nids, 2);
	CHECK_INT(g->ids[0], 20);
	CHECK_INT(g->ids[1], 21);
	CHECK_INT(g->nstack, 2);
	CHECK(g->stack[0].inlined && !g->stack[1].inlined);
	CHECK_STR(g->stack[1].function, "main.recvWorker");
	CHECK_STR(g->created_at, "/src/main.go:135");
	/* then the singletons in file order */
	CHECK_INT(s.groups[1].ids[0], 1);
	CHECK(s.groups[1].created_by == NULL);
	CHECK_INT(s.groups[2].ids[0], 29);
	CHECK_INT(s.groups[3].ids[0], 37);
	CHECK(s.groups[3].locked);
	CHECK_INT(s.nstates, 3);
	CHECK_STR(s.states[0].state, "chan receive");
	CHECK_INT(s.states[0].count, 3);
	CHECK_STR(s.states[1].state, "running"); /* ties by name */
	cprof_goroutine_summary_release(&s);

	struct cprof_goroutine_opts o = {cprof_regex_compile("serve|park", &err), cprof_regex_compile("Sleep", &err)};
	CHECK_INT(cprof_goroutines_summarize(p, &o, &s, &err), 0);
	CHECK_INT(s.total, 1);
	CHECK_INT(s.unfiltered, 5);
	CHECK_INT(s.groups[0].ids[0], 29);
	cprof_goroutine_summary_release(&s);
	cprof_regex_free((struct cprof_regex *)o.focus);
	cprof_regex_free((struct cprof_regex *)o.ignore);

	struct strbuf out = STRBUF_INIT;
	CHECK_INT(cprof_goroutines_summarize(p, NULL, &s, &err), 0);
	cprof_goroutines_render_text(&s, &out);
	CHECK(strstr(out.buf, "5 goroutines, 4 groups\nstates: chan receive 3, running 1, sleep 1\n\n"
			      "2 goroutines [chan receive, 1-2 minutes]: ids 20, 21\n"
			      "main.recvInline (inlined)\n\t/src/main.go:65\n") == out.buf);
	strbuf_reset(&out);
	cprof_goroutines_render_json(&s, &out);
	CHECK(strstr(out.buf, "{\"goroutines\": 5, \"unfiltered\": 5, \"states\": {\"chan receive\": 3, ") == out.buf);
	CHECK(strstr(out.buf, "\"wait_minutes\": {\"min\": 1, \"max\": 2}"));
	strbuf_release(&out);
	cprof_goroutine_summary_release(&s);
	cprof_profile_free(p);
	return 0;
}

int test_goroutines_not_count(void)
{
	struct cprof_profile *p = cprof_profile_new();
	struct cprof_value_type vt[2] = {{"samples", "count"}, {"cpu", "nanoseconds"}};
	struct cprof_goroutine_summary s;
	struct cprof_error err;
	cprof_profile_set_sample_types(p, vt, 2);
	CHECK_INT(cprof_goroutines_summarize(p, NULL, &s, &err), -1);
	CHECK_STR(cprof_error_msg(&err), "not a goroutine profile (sample types: samples/count cpu/nanoseconds)");
	cprof_profile_free(p);
	return 0;
}
