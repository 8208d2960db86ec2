/*
 * test_fetch.c - remote symbolization (src/driver/symbolz.c): how a symbol
 * handler's answer is read (pprof's regexp, line by line) and applied to a
 * fetched profile (offsets of moved mappings, which locations are asked,
 * the last answer for an address, one function per name and mapping), and
 * the -symbolize words that turn it on and off. How sources read as URLs
 * is compared with Go's net/url in tests/fetch (urls_*).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cprof/symbolize.h"
#include "src/driver/symbolz.h"

static void collect(void *ctx, uint64_t addr, const char *name, size_t n)
{
	strbuf_addf(ctx, "%llx=[%.*s]\n", (unsigned long long)addr, (int)n, name);
}

static int parsed_is(const char *resp, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	struct cprof_error err;
	int rc = cprof_symbolz_parse(resp, strlen(resp), collect, &sb, &err);
	int bad = rc != 0 || strcmp(sb.buf, want);
	if (bad)
		fprintf(stderr, "symbolz %s: rc %d\n[%s]\nwant\n[%s]\n", resp, rc, sb.buf, want);
	strbuf_release(&sb);
	return bad;
}

int test_symbolz_parse_lines(void)
{
	CHECK(!parsed_is("num_symbols: 1\n0x4cb73c main.fill\n", "4cb73c=[main.fill]\n"));
	/* the name runs to the newline: blanks inside and at the end, and \r, stay */
	CHECK(!parsed_is("0x10  a b \r\n", "10=[a b \r]\n"));
	/* the address may be anywhere in the line; leading zeros are fine */
	CHECK(!parsed_is("junk 0x00000000000000000abc\tname\n", "abc=[name]\n"));
	/* the white space may be the newline itself: the name is empty */
	CHECK(!parsed_is("0x10\n0x11 \n", "10=[]\n11=[]\n"));
	/* hex digits must be followed by white space; the next "0x" may match */
	CHECK(!parsed_is("0x12zz name\n0xq 0x13 x\n", "13=[x]\n"));
	/* no "0x": no answer; "0X" is not "0x" */
	CHECK(!parsed_is("12 name\n0X12 name\n", ""));
	/* a last line without its newline is dropped */
	CHECK(!parsed_is("0x1 a\n0x2 b", "1=[a]\n"));
	/* 64 bits at most */
	CHECK(!parsed_is("0xffffffffffffffff max\n", "ffffffffffffffff=[max]\n"));
	struct strbuf sb = STRBUF_INIT;
	struct cprof_error err;
	const char *big = "0x1 a\n0x10000000000000000 big\n";
	CHECK(cprof_symbolz_parse(big, strlen(big), collect, &sb, &err) == -1);
	CHECK(strstr(err.msg, "value out of range") != NULL);
	strbuf_release(&sb);
	return 0;
}

/* A fetched profile: mapping 0 (the server's, moved to 0x1000 by a merge), mapping 1 "[vdso]". */
static struct cprof_profile *fetched(void)
{
	static const struct {
		uint64_t addr;
		uint32_t mapping;
		bool has_line;
	} locs[] = {{0x1010, 0, false}, {0x1020, 0, false}, {0x1030, 0, true}, {0, 0, false}, {0x1010, 0, false},
		    {0x9000, 1, false}};
	struct cprof_profile *p = cprof_profile_new();
	struct cprof_value_type t = {"samples", "count"};
	cprof_profile_set_sample_types(p, &t, 1);
	struct cprof_mapping *m = cprof_profile_add_mapping(p);
	m->id = 1, m->start = 0x1000, m->limit = 0x2000;
	m->file = cprof_profile_str(p, "http://h/debug/pprof/heap");
	m = cprof_profile_add_mapping(p);
	m->id = 2, m->start = 0x9000, m->limit = 0xa000;
	m->file = cprof_profile_str(p, "[vdso]");
	struct cprof_function *f = cprof_profile_add_function(p);
	f->id = 1;
	f->name = f->system_name = cprof_profile_str(p, "known");
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(locs); i++) {
		struct cprof_location *l = cprof_profile_add_location(p);
		l->id = i + 1, l->address = locs[i].addr, l->mapping = locs[i].mapping;
		if (locs[i].has_line) {
			l->line = cprof_arena_alloc(&p->arena, sizeof(*l->line));
			l->line[0] = (struct cprof_line){0, 7, 0};
			l->nline = 1;
		}
	}
	return p;
}

struct server {
	const char *answer;
	struct strbuf asked, url;
	int calls;
	bool fail;
};

static int serve(void *ctx, const char *url, const char *body, size_t len, struct strbuf *out, struct cprof_error *err)
{
	struct server *s = ctx;
	s->calls++;
	strbuf_add(&s->asked, body, len);
	strbuf_addstr(&s->url, url);
	if (s->fail)
		return cprof_error_set(err, CPROF_E_IO, "server response: 404 Not Found");
	strbuf_addstr(out, s->answer);
	return 0;
}

static const char *name_at(const struct cprof_profile *p, size_t loc)
{
	const struct cprof_location *l = &p->location[loc];
	return l->nline == 1 ? p->function[l->line[0].fn].name : "-";
}

int test_symbolz_apply(void)
{
	struct cprof_profile *p = fetched();
	struct cprof_error err;
	/* fetched with the mapping at 0x2000: the server's addresses are 0x1000 higher */
	struct cprof_mapping_source ms[] = {{"http://h/debug/pprof/heap", "http://h/debug/pprof/heap?debug=1", 0x2000},
					    {"[vdso]", "http://h/debug/pprof/heap", 0x9000}};
	struct server s = {.answer = "num_symbols: 1\n0x2010 first\n0x2020 same\n0x2010 main.f\n0x2030 asked.not\n"
				     "0x2050 unused\n0x2020 same\n",
			   .asked = STRBUF_INIT,
			   .url = STRBUF_INIT};
	CHECK(cprof_symbolz(p, false, ms, 2, serve, &s, &err) == 0);
	/* one request, for the addresses without lines (0 never), as sent: moved back */
	CHECK_INT(s.calls, 1);
	CHECK_STR(s.url.buf, "http://h/debug/pprof/symbol");
	CHECK_STR(s.asked.buf, "0x2010+0x2020+0x2010");
	CHECK_STR(name_at(p, 0), "main.f"); /* the last answer for an address */
	CHECK_STR(name_at(p, 4), "main.f");
	CHECK_STR(name_at(p, 1), "same");
	CHECK_STR(name_at(p, 2), "asked.not"); /* answered: replaced, as pprof does */
	CHECK_STR(name_at(p, 3), "-");
	CHECK_STR(name_at(p, 5), "-"); /* [vdso] is never asked */
	CHECK(p->mapping[0].has_functions);
	CHECK(!p->mapping[1].has_functions);
	/* one function per name: first, same, main.f, asked.not, unused after "known" */
	CHECK_INT(p->nfunction, 6);
	CHECK(p->location[1].line[0].fn == p->location[1].line[0].fn);
	CHECK_STR(p->function[1].name, "first");
	CHECK_INT(p->function[1].id, 2);
	CHECK(p->function[1].system_name == p->function[1].name);
	CHECK_STR(p->function[1].filename, "");
	CHECK_INT(p->location[0].line[0].line, 0);

	/* now with functions: asked again only with force */
	s.calls = 0;
	CHECK(cprof_symbolz(p, false, ms, 2, serve, &s, &err) == 0);
	CHECK_INT(s.calls, 0);
	cprof_profile_free(p);

	/* a mapping without sources, or without locations to ask about, asks nothing */
	p = fetched();
	struct cprof_mapping_source other[] = {{"elsewhere", "http://h/debug/pprof/heap", 0x1000}};
	CHECK(cprof_symbolz(p, false, other, 1, serve, &s, &err) == 0);
	CHECK_INT(s.calls, 0);
	CHECK(!p->mapping[0].has_functions);
	/* a source URL pprof finds no symbol handler for: the next source is tried */
	struct cprof_mapping_source two[] = {{"http://h/debug/pprof/heap", "relative/path", 0x1000},
					     {"http://h/debug/pprof/heap", "http://h/x/profile", 0x1000}};
	strbuf_reset(&s.url);
	CHECK(cprof_symbolz(p, false, two, 2, serve, &s, &err) == 0);
	CHECK_INT(s.calls, 1);
	CHECK_STR(s.url.buf, "http://h/symbolz");
	cprof_profile_free(p);
	strbuf_release(&s.asked);
	strbuf_release(&s.url);
	return 0;
}

int test_symbolz_failures(void)
{
	struct cprof_error err;
	struct cprof_mapping_source ms[] = {{"http://h/debug/pprof/heap", "http://h/debug/pprof/heap", 0x1000}};
	struct server s = {.asked = STRBUF_INIT, .url = STRBUF_INIT, .fail = true};
	struct cprof_profile *p = fetched();
	CHECK(cprof_symbolz(p, false, ms, 1, serve, &s, &err) == -1);
	CHECK_STR(err.msg, "server response: 404 Not Found");
	cprof_profile_free(p);

	/* an answer that would move an address past 64 bits */
	s.fail = false;
	s.answer = "0xfffffffffffffff0 high\n";
	struct cprof_mapping_source up[] = {{"http://h/debug/pprof/heap", "http://h/debug/pprof/heap", 0x1800}};
	p = fetched();
	p->mapping[0].start = 0x2000;
	CHECK(cprof_symbolz(p, false, up, 1, serve, &s, &err) == -1);
	CHECK(strstr(err.msg, "cannot adjust") != NULL);
	cprof_profile_free(p);
	strbuf_release(&s.asked);
	strbuf_release(&s.url);
	return 0;
}

int test_symbolize_remote_words(void)
{
	static const struct {
		const char *spec;
		bool local, remote, fast, none;
	} cases[] = {
		{NULL, true, true, false, false},          {"", true, true, false, false},
		{"local", true, false, false, false},      {"fastlocal", true, false, true, false},
		{"remote", false, true, false, false},     {"REMOTE:force", false, true, false, false},
		{"local:remote", false, true, false, false}, {"remote:local", true, false, false, false},
		{"none", true, true, false, true},         {"demangle=full", true, true, false, false},
	};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(cases); i++) {
		struct cprof_symbolize_opts o;
		cprof_symbolize_parse(cases[i].spec, &o, NULL);
		if (o.local != cases[i].local || o.remote != cases[i].remote || o.fast != cases[i].fast ||
		    o.none != cases[i].none || o.remote_fn) {
			fprintf(stderr, "-symbolize=%s: local %d remote %d fast %d none %d\n",
				cases[i].spec ? cases[i].spec : "(none)", o.local, o.remote, o.fast, o.none);
			return 1;
		}
	}
	return 0;
}
