/*
 * test_regex.c - the RE2 validator and its PCRE2 translation
 * (src/core/regex_syntax.c, src/core/regex.c): Go's error texts, what
 * each construct becomes, the limits, and matching as Go reads text.
 * tests/regex/run_regex.sh compares the same against Go itself.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cprof/regex.h"
#include "cprof/strbuf.h"
#include "src/core/regex_internal.h"

/* The error of compiling p ("" when it compiles). */
static const char *compile_error(const char *p)
{
	static struct cprof_error err;
	struct cprof_regex *re = cprof_regex_compile(p, &err);
	if (re) {
		cprof_regex_free(re);
		return "";
	}
	return cprof_error_msg(&err);
}

/* The PCRE2 translation of p, or its error. */
static const char *translation(const char *p)
{
	static struct strbuf sb = STRBUF_INIT;
	struct cprof_regex_translation t;
	struct cprof_error err;
	strbuf_reset(&sb);
	if (cprof_regex_translate(p, strlen(p), &t, &err))
		strbuf_addstr(&sb, cprof_error_msg(&err));
	else
		strbuf_add(&sb, t.pcre.buf, t.pcre.len);
	cprof_regex_translation_release(&t);
	return sb.buf;
}

static bool matches(const char *p, const char *s, size_t len)
{
	struct cprof_error err;
	struct cprof_regex *re = cprof_regex_compile(p, &err);
	if (!re)
		return false;
	bool m = cprof_regex_matchn(re, s, len);
	cprof_regex_free(re);
	return m;
}

#define M(p, s) matches(p, s, strlen(s))

static const struct {
	const char *pattern, *error;
} errors[] = {
	{"(", "missing closing ): `(`"},
	{"a(b|c", "missing closing ): `a(b|c`"},
	{"a)", "unexpected ): `a)`"},
	{"x(?i))", "unexpected ): `x(?i))`"},
	{"*", "missing argument to repetition operator: `*`"},
	{"a|*?", "missing argument to repetition operator: `*?`"},
	{"(?i)+", "missing argument to repetition operator: `+`"},
	{"{2}", "missing argument to repetition operator: `{2}`"},
	{"a**", "invalid nested repetition operator: `**`"},
	{"a*?+", "invalid nested repetition operator: `*?+`"},
	{"a{2}{3}", "invalid nested repetition operator: `{2}{3}`"},
	{"a{1001}", "invalid repeat count: `{1001}`"},
	{"a{2,1}", "invalid repeat count: `{2,1}`"},
	{"a{100000000}", "invalid repeat count: `{100000000}`"},
	{"(a{2}){501}", "invalid repeat count: `{501}`"},
	{"(?:a{10}){101}?", "invalid repeat count: `{101}?`"},
	{"\\1", "invalid escape sequence: `\\1`"},
	{"\\8", "invalid escape sequence: `\\8`"},
	{"\\Z", "invalid escape sequence: `\\Z`"},
	{"\\C", "invalid escape sequence: `\\C`"},
	{"\\x{110000}", "invalid escape sequence: `\\x{110000`"},
	{"\\x{}", "invalid escape sequence: `\\x{}`"},
	{"\\xg1", "invalid escape sequence: `\\xg1`"},
	{"a\\", "trailing backslash at end of expression: ``"},
	{"[a", "missing closing ]: `[a`"},
	{"x[]a", "missing closing ]: `[]a`"},
	{"[z-a]", "invalid character class range: `z-a`"},
	{"[[:foo:]]", "invalid character class range: `[:foo:]`"},
	{"\\p{Foo}", "invalid character class range: `\\p{Foo}`"},
	{"\\p{Greek", "invalid character class range: `\\p{Greek`"},
	{"\\p{L&}", "invalid character class range: `\\p{L&}`"},
	{"[\\b]", "invalid escape sequence: `\\b`"},
	{"(?=a)", "invalid or unsupported Perl syntax: `(?=`"},
	{"(?<n>a)", "invalid or unsupported Perl syntax: `(?<`"},
	{"(?i-)", "invalid or unsupported Perl syntax: `(?i-)`"},
	{"(?x)", "invalid or unsupported Perl syntax: `(?x`"},
	{"(?", "invalid or unsupported Perl syntax: `(?`"},
	{"(?P<>a)", "invalid named capture: `(?P<>`"},
	{"(?P<a-b>c)", "invalid named capture: `(?P<a-b>`"},
	{"(?P<n", "invalid named capture: `(?P<n`"},
	{"a\xff", "invalid UTF-8: `\xff`"},
	{"[\xff" "b]", "invalid UTF-8: `\xff" "b]`"},
	{"\\Qa\xff" "b\\Ec", "invalid UTF-8: `\xff" "b`"},
};

int test_regex_errors(void)
{
	char want[256];
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(errors); i++) {
		snprintf(want, sizeof(want), "error parsing regexp: %s", errors[i].error);
		CHECK_STR(compile_error(errors[i].pattern), want);
	}
	/* accepted */
	static const char *const ok[] = {"(?)", "(?P<n>a)(?P<n>b)", "a{,5}", "a{1000}", "\\12", "\\_",
					 "[]a]", "[a-]", "^*", "a(?i)*", "\\pL", "x{2}?", "(?:a*)*"};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(ok); i++)
		CHECK_STR(compile_error(ok[i]), "");
	return 0;
}

/* The first error in the text is the one reported, as Go's parser reads left to right. */
int test_regex_error_order(void)
{
	CHECK_STR(compile_error("\\8("), "error parsing regexp: invalid escape sequence: `\\8`");
	CHECK_STR(compile_error("(\\8"), "error parsing regexp: invalid escape sequence: `\\8`");
	CHECK_STR(compile_error("a**)"), "error parsing regexp: invalid nested repetition operator: `**`");
	CHECK_STR(compile_error("a)**"), "error parsing regexp: unexpected ): `a)**`");
	CHECK_STR(compile_error("[a\\8"), "error parsing regexp: invalid escape sequence: `\\8`");
	CHECK_STR(compile_error("{1001}"), "error parsing regexp: invalid repeat count: `{1001}`");
	return 0;
}

int test_regex_translation(void)
{
	CHECK_STR(translation("a|b"), "a|b");
	CHECK_STR(translation("x(a|b)*"), "x(a|b)*");
	CHECK_STR(translation("ab*c"), "ab*c");
	CHECK_STR(translation("^a$"), "\\Aa\\z");
	CHECK_STR(translation("(?m)^a$"), "(?m:^)a(?m:$)");
	CHECK_STR(translation("a.(?s:.)"), "a[^\\n](?s:.)");
	CHECK_STR(translation("\\d\\s\\w"), "[0-9][\\x{9}-\\x{a}\\x{c}-\\x{d}\\x{20}][0-9A-Z\\_a-z]");
	CHECK_STR(translation("[[:^alpha:]]"), "[\\x{0}-\\@\\[-\\`\\{-\\x{d7ff}\\x{e000}-\\x{10ffff}]");
	CHECK_STR(translation("(?i)k"), "(?i:k)");
	/* Go folds \w before negating it: K (U+212A) and U+017F are not \W */
	CHECK_STR(translation("(?i)\\W"),
		  "(?i:[\\x{0}-\\/\\:-\\@\\[-\\^\\`\\{-\\x{17e}\\x{180}-\\x{2129}\\x{212b}-\\x{d7ff}\\x{e000}-\\x{10ffff}])");
	CHECK_STR(translation("\\pL\\PN\\p{Greek}"), "[\\p{L}][\\P{N}][\\p{sc:Greek}]");
	CHECK_STR(translation("\\pC"), "[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}]");
	CHECK_STR(translation("\\PC"), "(?:[^\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}])");
	CHECK_STR(translation("[^\\PCa]"), "(?:(?![a])[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}])");
	CHECK_STR(translation("(?i)\\p{Greek}"), "(?i:[\\x{b5}\\x{345}\\p{sc:Greek}])");
	CHECK_STR(translation("\\p{Any}\\P{Any}"), "[\\x{0}-\\x{d7ff}\\x{e000}-\\x{10ffff}][^\\x{0}-\\x{10ffff}]");
	CHECK_STR(translation("(?U)a+b*?"), "a+?b*");
	CHECK_STR(translation("x{2,5}?y{3,}"), "x{2,5}?y{3,}");
	CHECK_STR(translation("\\Q.*\\E+"), "\\.\\*+");
	CHECK_STR(translation("(?P<name>a)"), "(a)");
	CHECK_STR(translation("\\x{d800}[\\x{d7ff}-\\x{e000}]"), "(?!)[\\x{d7ff}\\x{e000}]");
	CHECK_STR(translation("\\b\\B\\A\\z"), "\\b\\B\\A\\z");
	CHECK_STR(translation("(?:\\b)*"), "(?:\\b)*");
	CHECK_STR(translation("(a*)*"), "(a*)*");
	return 0;
}

/*
 * Loops on a body that can match nothing are flagged (their positions come
 * from the VM), and Go's groups keep their numbers.
 */
int test_regex_groups(void)
{
	struct cprof_regex_translation t;
	struct cprof_error err;
	CHECK_INT(cprof_regex_translate("(a)(b*)*(c)", 11, &t, &err), 0);
	CHECK_INT(t.ngroups, 3);
	CHECK_INT(t.group[1], 1);
	CHECK_INT(t.group[2], 2);
	CHECK_INT(t.group[3], 3);
	CHECK(t.empty_loops);
	cprof_regex_translation_release(&t);
	CHECK_INT(cprof_regex_translate("(a+)*x{2,}(?:y?){3}", 19, &t, &err), 0);
	CHECK(!t.empty_loops);
	cprof_regex_translation_release(&t);

	struct cprof_regex *re = cprof_regex_compile("(a)((b*)*)(c)", &err);
	CHECK(re);
	CHECK_INT(cprof_regex_groups(re), 4);
	long ov[10];
	CHECK(cprof_regex_find(re, "xabbc", 5, ov, 5));
	CHECK_INT(ov[0], 1);
	CHECK_INT(ov[1], 5);
	CHECK_INT(ov[2], 1);
	CHECK_INT(ov[3], 2);
	CHECK_INT(ov[4], 2);
	CHECK_INT(ov[5], 4);
	CHECK_INT(ov[6], 2); /* Go: the iteration that read "bb", not an empty one after it */
	CHECK_INT(ov[7], 4);
	CHECK_INT(ov[8], 4);
	CHECK_INT(ov[9], 5);
	cprof_regex_free(re);
	/* Go's machine never enters a state twice at one position: (a*?) iterates once */
	re = cprof_regex_compile("(a*?)*?b", &err);
	CHECK(re && cprof_regex_find(re, "aab", 3, ov, 2));
	CHECK_INT(ov[2], 0);
	CHECK_INT(ov[3], 2);
	cprof_regex_free(re);
	return 0;
}

int test_regex_semantics(void)
{
	/* $ and \z: the end of the text only; no \Z */
	CHECK(!M("a$", "a\n"));
	CHECK(M("a$", "xa"));
	CHECK(M("(?m)a$", "a\nb"));
	CHECK(M("(?m)^$", "a\n"));
	CHECK(!M("^b", "a\nb"));
	/* . and classes */
	CHECK(!M("a.b", "a\nb"));
	CHECK(M("(?s)a.b", "a\nb"));
	CHECK(M("a[^x]b", "a\nb"));
	CHECK(!M("\\s", "\v"));
	CHECK(M("[[:space:]]", "\v"));
	CHECK(!M("\\w", "\xc3\xa9"));
	CHECK(M("\\bx", "\xc3\xa9x"));
	/* folding */
	CHECK(M("(?i)k", "\xe2\x84\xaa"));
	CHECK(M("(?i)\\p{Lu}", "a"));
	CHECK(!M("\\p{Lu}", "a"));
	CHECK(!M("(?i)\\W", "\xe2\x84\xaa"));
	CHECK(M("\\W", "\xe2\x84\xaa"));
	/* Go's \pC has no unassigned code points; U+0378 is one */
	CHECK(!M("\\pC", "\xcd\xb8"));
	/* scripts by the Script property: U+0345 is Inherited */
	CHECK(!M("\\p{Greek}", "\xcd\x85"));
	CHECK(M("\\p{Inherited}", "\xcd\x85"));
	/* leftmost-first, empty branches, lazy */
	long ov[4];
	struct cprof_error err;
	struct cprof_regex *re = cprof_regex_compile("a|ab|", &err);
	CHECK(re && cprof_regex_find(re, "ab", 2, ov, 1));
	CHECK_INT(ov[1], 1);
	cprof_regex_free(re);
	re = cprof_regex_compile("(?U)a+", &err);
	CHECK(re && cprof_regex_find(re, "aaa", 3, ov, 1));
	CHECK_INT(ov[1], 1);
	cprof_regex_free(re);
	/* an iteration that matches nothing ends no loop of Go's: the whole "ab" */
	re = cprof_regex_compile("(?:a|(?:|b))*", &err);
	CHECK(re && cprof_regex_find(re, "ab", 2, ov, 1));
	CHECK_INT(ov[0], 0);
	CHECK_INT(ov[1], 2);
	cprof_regex_free(re);
	return 0;
}

/* Invalid UTF-8 in the text is one U+FFFD per byte, and offsets are the text's. */
int test_regex_invalid_text(void)
{
	CHECK(matches("^.$", "\xff", 1));
	CHECK(matches("^..$", "\xe2\x82", 2));
	CHECK(matches("^\\x{fffd}b$", "\xff" "b", 2));
	CHECK(matches("a.b", "a\xed\xa0\x80" "b", 5) == false); /* a surrogate: three runes */
	CHECK(matches("a...b", "a\xed\xa0\x80" "b", 5));
	CHECK(!matches("\\xff", "\xff", 1));
	struct cprof_error err;
	struct cprof_regex *re = cprof_regex_compile("(b+)(\\x{fffd})", &err);
	CHECK(re);
	long ov[6];
	CHECK(cprof_regex_find(re, "\xc3\xa9\xff" "bb\xff", 7, ov, 3));
	CHECK_INT(ov[0], 3);
	CHECK_INT(ov[1], 6);
	CHECK_INT(ov[2], 3);
	CHECK_INT(ov[3], 5);
	CHECK_INT(ov[4], 5);
	CHECK_INT(ov[5], 6);
	cprof_regex_free(re);
	return 0;
}

/* Every name of Go's \p{...} is one PCRE2 knows, in every form the translation writes. */
int test_regex_unicode_names(void)
{
	static const char *const forms[][2] = {{"\\p{", "}"},         {"\\P{", "}"},
						{"(?i)\\p{", "}"},     {"(?i)\\P{", "}"},
						{"[^a\\p{", "}]"},     {"(?i)[^a\\P{", "}]"},
						{"[\\P{", "}b\\pL]"}};
	char p[128];
	CHECK(rx_nuclasses > 150);
	for (size_t i = 0; i < rx_nuclasses; i++) {
		if (i)
			CHECK(strcmp(rx_uclasses[i - 1].name, rx_uclasses[i].name) < 0);
		for (size_t f = 0; f < CPROF_ARRAY_SIZE(forms); f++) {
			snprintf(p, sizeof(p), "%s%s%s", forms[f][0], rx_uclasses[i].name, forms[f][1]);
			if (*compile_error(p)) {
				fprintf(stderr, "%s: %s\n", p, compile_error(p));
				return 1;
			}
		}
	}
	return 0;
}

static char *repeat_str(const char *a, int n, const char *mid, const char *b, int m)
{
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < n; i++)
		strbuf_addstr(&sb, a);
	strbuf_addstr(&sb, mid);
	for (int i = 0; i < m; i++)
		strbuf_addstr(&sb, b);
	return strbuf_detach(&sb, NULL);
}

/* Go's limits, and patterns Go takes that need PCRE2 deep or large. */
int test_regex_limits(void)
{
	char *p = repeat_str("(", 999, "", ")", 999);
	CHECK_STR(compile_error(p), "");
	free(p);
	p = repeat_str("(", 1000, "", ")", 1000);
	CHECK(!strncmp(compile_error(p), "error parsing regexp: expression nests too deeply: `((((", 56));
	free(p);
	/* 900 nested repetitions: deeper than PCRE2's stack of non-capturing groups */
	p = repeat_str("(?:", 900, "a", ")*", 900);
	struct cprof_error err;
	struct cprof_regex *re = cprof_regex_compile(p, &err);
	CHECK(re);
	CHECK(cprof_regex_match(re, "xa"));
	cprof_regex_free(re);
	free(p);
	/* deep wrappers (past PCRE2's stack of non-capturing groups), then a group of Go's: still group 1 */
	p = repeat_str("(?:x", 450, "(b)", ")?", 450);
	re = cprof_regex_compile(p, &err);
	CHECK(re);
	char *s = repeat_str("x", 450, "b", "", 0);
	long ov[4];
	CHECK(cprof_regex_find(re, s, strlen(s), ov, 2));
	CHECK_INT(ov[0], 0);
	CHECK_INT(ov[1], 451);
	CHECK_INT(ov[2], 450);
	CHECK_INT(ov[3], 451);
	cprof_regex_free(re);
	free(s);
	free(p);
	/* Go's size limit */
	p = repeat_str("(?:abcdefghij){1000}", 400, "", "", 0);
	CHECK(!strncmp(compile_error(p), "error parsing regexp: regexp/syntax: internal error: `(?:abc", 60));
	free(p);
	/* Go takes 300 of them; PCRE2 cannot hold the compiled form */
	p = repeat_str("(?:abcdefghij){1000}", 300, "", "", 0);
	CHECK(!strncmp(compile_error(p), "error parsing regexp: expression too large: `(?:abc", 51));
	free(p);
	return 0;
}

/* A pattern that makes PCRE2's backtracking give up is answered by its DFA matcher. */
int test_regex_backtracking(void)
{
	struct cprof_error err;
	struct cprof_regex *re = cprof_regex_compile("(x+x+)+y|z", &err);
	CHECK(re);
	char s[64];
	memset(s, 'x', 40);
	strcpy(s + 40, "z");
	CHECK(cprof_regex_match(re, s));
	s[40] = 'w';
	CHECK(!cprof_regex_match(re, s));
	cprof_regex_free(re);
	return 0;
}

int test_regex_full(void)
{
	struct cprof_error err;
	struct cprof_regex *re = cprof_regex_compile_full("a|b", &err);
	CHECK(re);
	CHECK(cprof_regex_match(re, "a"));
	CHECK(!cprof_regex_match(re, "ab"));
	CHECK_STR(cprof_regex_pattern(re), "a|b");
	cprof_regex_free(re);
	CHECK(!cprof_regex_compile_full("a(", &err));
	CHECK_STR(cprof_error_msg(&err), "error parsing regexp: missing closing ): `^(?:a()$`");
	return 0;
}
