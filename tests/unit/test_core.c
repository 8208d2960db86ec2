/* test_core.c - arena, intern table, string builder, option parsing. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "cprof/arena.h"
#include "cprof/profile.h"
#include "cprof/strbuf.h"
#include "cprof/regex.h"
#include "render/tabwriter.h"
#include "src/driver/options.h"

int test_arena_alignment(void)
{
	struct cprof_arena a = CPROF_ARENA_INIT;
	for (size_t i = 1; i < 1000; i++) {
		char *p = cprof_arena_alloc(&a, i);
		CHECK(((uintptr_t)p & 7) == 0);
		memset(p, 0xab, i);
	}
	int64_t *z = cprof_arena_calloc(&a, 100, sizeof(int64_t));
	for (int i = 0; i < 100; i++)
		CHECK_INT(z[i], 0);
	cprof_arena_release(&a);
	CHECK(a.head == NULL);
	return 0;
}

int test_arena_large(void)
{
	struct cprof_arena a = CPROF_ARENA_INIT;
	char *small = cprof_arena_alloc(&a, 16);
	char *big = cprof_arena_alloc(&a, (size_t)8 << 20);
	char *small2 = cprof_arena_alloc(&a, 16);
	memset(big, 1, (size_t)8 << 20);
	/* the dedicated chunk does not waste the current chunk's tail */
	CHECK(small2 == small + 16);
	char *s = cprof_arena_strndup(&a, "hello world", 5);
	CHECK_STR(s, "hello");
	cprof_arena_release(&a);
	return 0;
}

int test_strtab_identity(void)
{
	struct cprof_profile *p = cprof_profile_new();
	const char *a = cprof_profile_str(p, "main.main");
	char buf[] = "main.main";
	const char *b = cprof_profile_strn(p, buf, 9);
	CHECK(a == b);
	CHECK(cprof_profile_strn(p, "main.mainX", 9) == a);
	CHECK(cprof_profile_str(p, "") == p->source);
	CHECK(cprof_profile_str(p, "main.mai") != a);
	cprof_profile_free(p);
	return 0;
}

int test_strtab_grow(void)
{
	struct cprof_profile *p = cprof_profile_new();
	const char *first[5000];
	char buf[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(buf, sizeof(buf), "fn%d", i);
		first[i] = cprof_profile_str(p, buf);
	}
	for (int i = 0; i < 5000; i++) {
		snprintf(buf, sizeof(buf), "fn%d", i);
		CHECK(cprof_profile_str(p, buf) == first[i]);
		CHECK_STR(first[i], buf);
	}
	cprof_profile_free(p);
	return 0;
}

int test_strbuf_basics(void)
{
	struct strbuf sb = STRBUF_INIT;
	CHECK_STR(sb.buf, "");
	strbuf_addstr(&sb, "abc");
	strbuf_addf(&sb, "%5d|%-3s|", 42, "x");
	strbuf_addch(&sb, '!');
	strbuf_addchars(&sb, '-', 3);
	CHECK_STR(sb.buf, "abc   42|x  |!---");
	for (int i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d", i % 10);
	CHECK_INT(sb.len, 17 + 1000);
	strbuf_setlen(&sb, 3);
	CHECK_STR(sb.buf, "abc");
	strbuf_release(&sb);
	CHECK_STR(sb.buf, "");
	return 0;
}

static int parse(struct cprof_config *c, const char **args, int n, struct cprof_error *err)
{
	cprof_config_init(c);
	return cprof_config_parse(c, n, (char **)args, err);
}

int test_options_go_syntax(void)
{
	struct cprof_config c;
	struct cprof_error err = {0};
	const char *a1[] = {"--text", "-nodecount=10", "--focus", "main\\.", "-cum", "-trim=false",
			    "-nodefraction", "0.1", "prof.pb.gz", "-top"};
	CHECK_INT(parse(&c, a1, 10, &err), 8);
	CHECK(c.format_flag[CPROF_FMT_TEXT]);
	CHECK(!c.format_flag[CPROF_FMT_TOP]); /* after the first positional: not a flag */
	CHECK_INT(c.rc.nodecount, 10);
	CHECK_STR(c.rc.filter.focus, "main\\.");
	CHECK_STR(c.rc.sort, "cum");
	CHECK(!c.rc.trim);
	CHECK(c.rc.nodefraction == 0.1);

	const char *a2[] = {"-nodecount=x"};
	CHECK_INT(parse(&c, a2, 1, &err), -1);
	const char *a3[] = {"-nosuchflag"};
	CHECK_INT(parse(&c, a3, 1, &err), -1);
	CHECK_STR(err.msg, "flag provided but not defined: -nosuchflag");
	const char *a4[] = {"-focus"};
	CHECK_INT(parse(&c, a4, 1, &err), -1);
	const char *a5[] = {"-text", "--", "-weird-name.pb.gz"};
	CHECK_INT(parse(&c, a5, 3, &err), 2);
	const char *a6[] = {"-nodecount=0x10", "-divide_by=1e3"};
	CHECK_INT(parse(&c, a6, 2, &err), 2);
	CHECK_INT(c.rc.nodecount, 16);
	CHECK(c.rc.divide_by == 1000);
	return 0;
}

int test_options_conflicts(void)
{
	struct cprof_config c;
	struct cprof_error err = {0};
	enum cprof_format f;
	const char *fa;
	const char *a1[] = {"-text", "-traces"};
	CHECK_INT(parse(&c, a1, 2, &err), 2);
	CHECK_INT(cprof_config_finish(&c, &f, &fa, NULL, &err), -1);
	CHECK_STR(err.msg, "must set at most one output format");
	const char *a2[] = {"-lines", "-files"};
	parse(&c, a2, 2, &err);
	CHECK_INT(cprof_config_finish(&c, &f, &fa, NULL, &err), -1);
	CHECK_STR(err.msg, "conflicting options set: [files lines]");
	const char *a3[] = {"-lines", "-lines", "-top"};
	parse(&c, a3, 3, &err);
	CHECK_INT(cprof_config_finish(&c, &f, &fa, NULL, &err), 0);
	CHECK_INT(f, CPROF_FMT_TOP);
	const char *a4[] = {"-base=a", "-diff_base=b"};
	parse(&c, a4, 2, &err);
	CHECK_INT(cprof_config_finish(&c, &f, &fa, NULL, &err), -1);
	CHECK_STR(err.msg, "-base and -diff_base flags cannot both be specified");
	const char *a5[] = {"-normalize"};
	parse(&c, a5, 1, &err);
	CHECK_INT(cprof_config_finish(&c, &f, &fa, NULL, &err), -1);
	CHECK_STR(err.msg, "must have base profile to normalize by");
	return 0;
}

int test_options_aliases(void)
{
	struct cprof_config c;
	struct cprof_error err = {0};
	struct strbuf notes = STRBUF_INIT;
	enum cprof_format f;
	const char *fa;
	const char *a1[] = {"-mean_delay", "-alloc_space"};
	parse(&c, a1, 2, &err);
	CHECK_INT(cprof_config_finish(&c, &f, &fa, &notes, &err), 0);
	CHECK_STR(c.rc.sample_index, "delay");
	CHECK(c.rc.mean);
	CHECK_STR(notes.buf, "Multiple value selections, ignoring -alloc_space\n");
	strbuf_release(&notes);
	return 0;
}

/* Go's utf8.RuneCountInString and fmt's %*s, as Go 1.19 prints them. */
int test_utf8_go_rules(void)
{
	static const struct {
		const char *s;
		size_t runes;
	} cases[] = {
		{"\xe2\x82", 2}, {"\xc0\xaf", 2}, {"\xed\xa0\x80", 3}, {"\xf4\x90\x80\x80", 4},
		{"\xc3\xa9", 1}, {"\xf0\x9f\x98\x80", 1}, {"a\x80" "b", 3}, {"\xff\xfe", 2}, {"", 0},
	};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(cases); i++)
		CHECK_INT(cprof_utf8_runes(cases[i].s, strlen(cases[i].s)), cases[i].runes);
	struct strbuf sb = STRBUF_INIT;
	strbuf_addch(&sb, '[');
	strbuf_addpad(&sb, "\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87", 10);
	strbuf_addstr(&sb, "][");
	strbuf_addpad(&sb, "\xe2\x82x", -6);
	strbuf_addch(&sb, ']');
	CHECK_STR(sb.buf, "[      \xd0\xba\xd0\xbb\xd1\x8e\xd1\x87][\xe2\x82x   ]");
	strbuf_release(&sb);
	return 0;
}

/* render/tabwriter.c against Go 1.19's text/tabwriter (outputs printed by Go). */
int test_go_tabwriter(void)
{
	static const struct {
		const char *in, *pprof, *runtime;
	} cases[] = {
		{"k\xff:\t Total 1\n \t2 (x):\t v\n\nok:\t Total 3\n \t44 (y):\t w\n\n",
		 "k\xff:\t Total 1\n \t2 (x):\t v\n\nok:\t Total 3\n \t44 (y):\t w\n\n",
		 "k\xff:\t Total 1\n \t2 (x):\t v\n\nok:\t Total 3\n \t44 (y):\t w\n\n"},
		{"a\xff" "b\tc\xff" "d\te\nlong cell\tx\ty\n",
		 "     a\xff" "b\tc\xff" "de\n long cell xy\n",
		 "a\xff" "b\tc\xff" "d\t\te\nlong cell\tx\ty\n"},
		{"\xff\n", "\xff\n", "\xff\n"},
		{"x\t\xe2\x82\ty\nxyz\tq\tr\n",
		 "   x \xe2\x82y\n xyz  qr\n",
		 "x\t\xe2\x82\ty\nxyz\tq\tr\n"},
		{"no newline\tat end", " no newlineat end", "no newline\tat end"},
		{"a\tb\nc\n\td\te\f\tf\tg\n", " ab\nc\n  de\n  fg\n", "a\tb\nc\n\td\te\n\tf\tg\n"},
	};
	static const struct go_tabwriter pprof = {0, 0, 1, ' ', true}, runtime = {1, 8, 1, '\t', false};
	struct strbuf out = STRBUF_INIT;
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(cases); i++) {
		strbuf_reset(&out);
		go_tabwriter_write(&pprof, cases[i].in, strlen(cases[i].in), &out);
		CHECK_STR(out.buf, cases[i].pprof);
		strbuf_reset(&out);
		go_tabwriter_write(&runtime, cases[i].in, strlen(cases[i].in), &out);
		CHECK_STR(out.buf, cases[i].runtime);
	}
	strbuf_release(&out);
	return 0;
}

/* Go's regexp reads a byte that starts no valid UTF-8 sequence as U+FFFD. */
int test_regex_invalid_utf8(void)
{
	struct cprof_error err;
	struct cprof_regex *dot = cprof_regex_compile(".", &err), *neg = cprof_regex_compile_full("[^a]", &err);
	struct cprof_regex *b = cprof_regex_compile("b+", &err);
	CHECK(dot && neg && b);
	CHECK(cprof_regex_match(dot, "\xff"));
	CHECK(cprof_regex_match(dot, "\x80\x80"));
	CHECK(cprof_regex_match(neg, "\xe2\x82" + 1));
	CHECK(!cprof_regex_match(neg, "\xe2\x82"));
	long ov[2];
	CHECK(cprof_regex_find(b, "\xff\xfe" "bb\xff", 5, ov, 1));
	CHECK_INT(ov[0], 2);
	CHECK_INT(ov[1], 4);
	cprof_regex_free(dot);
	cprof_regex_free(neg);
	cprof_regex_free(b);
	return 0;
}
