/*
 * regex.c - Go's regular expressions on PCRE2 (see regex.h).
 *
 * A pattern is first read by the RE2 validator (regex_syntax.c), which
 * rejects what Go rejects with Go's message and spells out what Go means
 * in PCRE2's syntax; PCRE2 then compiles and runs that translation. Two
 * things remain for here:
 *
 *  - Text is read as Go reads it: an invalid UTF-8 byte is one rune,
 *    U+FFFD. PCRE2 refuses such text, so it is matched through a copy
 *    where each invalid byte is U+FFFD's three bytes, and the offsets of
 *    a match are mapped back.
 *  - Go's matching never backtracks: it takes time linear in the text.
 *    PCRE2's backtracking gives up past a match limit; a search that gives
 *    up is run again with PCRE2's DFA matcher, which does not backtrack and
 *    answers whether there is a match exactly; where, it answers with the
 *    longest match at the leftmost position, without groups (Go's is the
 *    leftmost-first one; only cprof's own fixed patterns ask where).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/regex.h"
#include "cprof/strbuf.h"
#include "src/core/regex_internal.h"

/* Deep enough for Go's deepest trees (height 1000) and the few groups the translation adds. */
#define PARENS_LIMIT 1100
#define MATCH_LIMIT 10000000

struct cprof_regex {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	char *pattern;
	int ngroups;
	int *group; /* PCRE2's number of each of Go's groups, from 1 */
};

static bool too_large(int errcode)
{
	return errcode == PCRE2_ERROR_PATTERN_TOO_LARGE || errcode == PCRE2_ERROR_PARENTHESES_NEST_TOO_DEEP ||
	       errcode == PCRE2_ERROR_PATTERN_TOO_COMPLICATED || errcode == PCRE2_ERROR_HEAP_FAILED ||
	       errcode == PCRE2_ERROR_INTERNAL_CODE_OVERFLOW || errcode == PCRE2_ERROR_INTERNAL_PARSED_OVERFLOW;
}

/*
 * The translation's callouts (?C"a,b"), after the body of a loop that can
 * match the empty string: fail an iteration that ends where it started
 * (group b), unless it is the first, which starts where the loop does
 * (group a). See regex_syntax.c.
 */
static int empty_iteration(pcre2_callout_block *cb, void *data)
{
	const char *s = (const char *)cb->callout_string;
	char *end;
	if (!s)
		return 0;
	unsigned long a = strtoul(s, &end, 10), b = strtoul(end + 1, NULL, 10);
	if (b >= cb->capture_top)
		return 0; /* not reached: the iteration's mark is set before its body */
	PCRE2_SIZE start = cb->offset_vector[2 * b];
	return start == cb->current_position && start != cb->offset_vector[2 * a] ? 1 : 0;
}

static struct cprof_regex *compile(const char *shown, const char *pattern, struct cprof_error *err)
{
	struct strbuf pcre = STRBUF_INIT;
	int ngroups = 0, *group = NULL;

	if (cprof_regex_translate(pattern, strlen(pattern), &pcre, &group, &ngroups, err)) {
		strbuf_release(&pcre);
		return NULL;
	}
	/* callouts defeat PCRE2's automatic possessive repeats */
	bool callouts = strstr(pcre.buf, "(?C") != NULL;
	pcre2_compile_context *cctx = pcre2_compile_context_create(NULL);
	if (!cctx)
		cprof_die_oom();
	pcre2_set_newline(cctx, PCRE2_NEWLINE_LF);
	pcre2_set_parens_nest_limit(cctx, PARENS_LIMIT);

	int errcode;
	PCRE2_SIZE erroff;
	/* ALT_CIRCUMFLEX: (?m)^ matches after a final \n too, as Go's does */
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)pcre.buf, pcre.len,
					 PCRE2_UTF | PCRE2_ALT_CIRCUMFLEX | (callouts ? PCRE2_NO_AUTO_POSSESS : 0),
					 &errcode, &erroff, cctx);
	pcre2_compile_context_free(cctx);
	strbuf_release(&pcre);
	if (!code) {
		/* Go takes it; PCRE2 cannot hold it */
		PCRE2_UCHAR buf[256];
		if (too_large(errcode))
			snprintf((char *)buf, sizeof(buf), "expression too large");
		else
			pcre2_get_error_message(errcode, buf, sizeof(buf));
		cprof_error_set(err, CPROF_E_REGEX, "error parsing regexp: %s: `%s`", (char *)buf, pattern);
		free(group);
		return NULL;
	}
	struct cprof_regex *re = cprof_xcalloc(1, sizeof(*re));
	re->code = code;
	re->md = pcre2_match_data_create_from_pattern(code, NULL);
	re->mctx = pcre2_match_context_create(NULL);
	if (!re->md || !re->mctx)
		cprof_die_oom();
	pcre2_set_match_limit(re->mctx, MATCH_LIMIT);
	if (callouts)
		pcre2_set_callout(re->mctx, empty_iteration, NULL);
	re->pattern = cprof_xstrdup(shown);
	re->ngroups = ngroups;
	re->group = group;
	return re;
}

struct cprof_regex *cprof_regex_compile(const char *pattern, struct cprof_error *err)
{
	return compile(pattern, pattern, err);
}

struct cprof_regex *cprof_regex_compile_full(const char *pattern, struct cprof_error *err)
{
	size_t n = strlen(pattern) + 8;
	char *full = cprof_xmalloc(n);
	snprintf(full, n, "^(?:%s)$", pattern);
	struct cprof_regex *re = compile(pattern, full, err);
	free(full);
	return re;
}

/*
 * Text with invalid UTF-8, as Go sees it: each invalid byte becomes
 * U+FFFD. pos[i] is the offset in the original text of offset i of the
 * copy (for every i up to its length).
 */
struct go_text {
	struct strbuf sb;
	size_t *pos;
};

static void go_text_make(struct go_text *gt, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	strbuf_init(&gt->sb, len + 16);
	gt->pos = cprof_xmalloc(cprof_st_mult(cprof_st_add(cprof_st_mult(len, 3), 1), sizeof(*gt->pos)));
	while (p < end) {
		uint32_t r;
		int n = rx_utf8_decode(p, end, &r);
		size_t at = (size_t)(p - (const unsigned char *)s);
		if (n < 0) {
			for (int i = 0; i < 3; i++)
				gt->pos[gt->sb.len + (size_t)i] = at;
			strbuf_add(&gt->sb, "\xef\xbf\xbd", 3);
			p++;
		} else {
			for (int i = 0; i < n; i++)
				gt->pos[gt->sb.len + (size_t)i] = at + (size_t)i;
			strbuf_add(&gt->sb, p, (size_t)n);
			p += n;
		}
	}
	gt->pos[gt->sb.len] = len;
}

static void go_text_release(struct go_text *gt)
{
	strbuf_release(&gt->sb);
	free(gt->pos);
}

static bool utf8_error(int rc)
{
	return rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21;
}

static bool gave_up(int rc)
{
	return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT;
}

/*
 * Whether re matches s, by the DFA matcher (no backtracking); the longest
 * match at the leftmost position where one starts is then re->md's first
 * pair.
 */
static bool dfa_match(const struct cprof_regex *re, const char *s, size_t len)
{
	size_t nws = 4096;
	for (;;) {
		int *ws = cprof_xmalloc(nws * sizeof(*ws));
		int rc = pcre2_dfa_match(re->code, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK, re->md, NULL, ws,
					 nws);
		free(ws);
		if (rc != PCRE2_ERROR_DFA_WSSIZE || nws >= (1u << 22))
			return rc >= 0;
		nws *= 4;
	}
}

bool cprof_regex_matchn(const struct cprof_regex *re, const char *s, size_t len)
{
	int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->md, re->mctx);
	if (rc >= 0)
		return true;
	if (gave_up(rc))
		return dfa_match(re, s, len);
	if (!utf8_error(rc))
		return false;
	struct go_text gt;
	go_text_make(&gt, s, len);
	rc = pcre2_match(re->code, (PCRE2_SPTR)gt.sb.buf, gt.sb.len, 0, PCRE2_NO_UTF_CHECK, re->md, re->mctx);
	bool m = rc >= 0 || (gave_up(rc) && dfa_match(re, gt.sb.buf, gt.sb.len));
	go_text_release(&gt);
	return m;
}

bool cprof_regex_match(const struct cprof_regex *re, const char *s)
{
	return cprof_regex_matchn(re, s, strlen(s));
}

bool cprof_regex_find(const struct cprof_regex *re, const char *s, size_t len, long *ovec, int ncap)
{
	struct go_text gt = {STRBUF_INIT, NULL};
	const char *text = s;
	size_t tlen = len;
	int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->md, re->mctx);
	if (utf8_error(rc)) {
		go_text_make(&gt, s, len);
		text = gt.sb.buf, tlen = gt.sb.len;
		rc = pcre2_match(re->code, (PCRE2_SPTR)text, tlen, 0, PCRE2_NO_UTF_CHECK, re->md, re->mctx);
	}
	/* given up: where the DFA matcher's longest match is, without groups */
	if (gave_up(rc))
		rc = dfa_match(re, text, tlen) ? 1 : PCRE2_ERROR_NOMATCH;
	if (rc < 0) {
		go_text_release(&gt);
		return false;
	}
	PCRE2_SIZE *v = pcre2_get_ovector_pointer(re->md);
	uint32_t have = pcre2_get_ovector_count(re->md);
	for (int i = 0; i < ncap; i++) {
		uint32_t g = i == 0 ? 0 : i <= re->ngroups ? (uint32_t)re->group[i] : UINT32_MAX;
		if (g < have && g < (uint32_t)rc && v[2 * g] != PCRE2_UNSET) {
			size_t a = v[2 * g], b = v[2 * g + 1];
			if (gt.pos)
				a = gt.pos[a], b = gt.pos[b];
			ovec[2 * i] = (long)a;
			ovec[2 * i + 1] = (long)b;
		} else {
			ovec[2 * i] = ovec[2 * i + 1] = -1;
		}
	}
	go_text_release(&gt);
	return true;
}

const char *cprof_regex_pattern(const struct cprof_regex *re)
{
	return re->pattern;
}

int cprof_regex_groups(const struct cprof_regex *re)
{
	return re->ngroups;
}

void cprof_regex_free(struct cprof_regex *re)
{
	if (!re)
		return;
	pcre2_code_free(re->code);
	pcre2_match_data_free(re->md);
	pcre2_match_context_free(re->mctx);
	free(re->pattern);
	free(re->group);
	free(re);
}
