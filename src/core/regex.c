/*
 * regex.c - Go's regular expressions on PCRE2 (see regex.h).
 *
 * A pattern is first read by the RE2 validator (regex_syntax.c), which
 * rejects what Go rejects with Go's message and spells out what Go means
 * in PCRE2's syntax; PCRE2 then compiles and runs that translation. What
 * remains for here:
 *
 *  - Text is read as Go reads it: an invalid UTF-8 byte is one rune,
 *    U+FFFD. PCRE2 refuses such text, so it is matched through a copy
 *    where each invalid byte is U+FFFD's three bytes, and the offsets of
 *    a match are mapped back.
 *  - Go's matching never backtracks: it takes time linear in the text.
 *    PCRE2's backtracking gives up past a match limit; from then on that
 *    pattern is run by the Pike VM of regex_vm.c, linear too and Go's
 *    answer, groups included. (Should the VM not hold the pattern either,
 *    PCRE2's DFA matcher answers: whether exactly, where with the longest
 *    match at the leftmost position.)
 *  - Where a match is, for a pattern with a loop on a body that can match
 *    nothing (see regex_syntax.c), is the VM's answer too: PCRE2 places
 *    groups differently there. Whether it matches is PCRE2's.
 *  - A pattern Go takes that PCRE2 cannot hold (a compiled form past
 *    64 KiB, as nested counted repetitions make) runs on the VM alone.
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
#define MATCH_LIMIT 200000 /* steps of backtracking before the VM takes over */

struct cprof_regex {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	char *pattern; /* as given */
	char *source;  /* as translated (compile_full wraps it) */
	int ngroups;
	int *group;        /* PCRE2's number of each of Go's groups, from 1 */
	bool vm_positions; /* where it matches: the VM's answer (a loop on a body matching nothing) */
	struct fallback {
		bool slow;           /* backtracking gave up once: the VM from now on */
		bool tried;          /* prog made, or not possible */
		struct rx_prog *prog; /* regex_vm.c's program */
	} *fb;
};

static bool too_large(int errcode)
{
	return errcode == PCRE2_ERROR_PATTERN_TOO_LARGE || errcode == PCRE2_ERROR_PARENTHESES_NEST_TOO_DEEP ||
	       errcode == PCRE2_ERROR_PATTERN_TOO_COMPLICATED || errcode == PCRE2_ERROR_HEAP_FAILED ||
	       errcode == PCRE2_ERROR_INTERNAL_CODE_OVERFLOW || errcode == PCRE2_ERROR_INTERNAL_PARSED_OVERFLOW;
}

static struct cprof_regex *compile(const char *shown, const char *pattern, struct cprof_error *err)
{
	struct cprof_regex_translation t;

	if (cprof_regex_translate(pattern, strlen(pattern), &t, err)) {
		cprof_regex_translation_release(&t);
		return NULL;
	}
	pcre2_compile_context *cctx = pcre2_compile_context_create(NULL);
	if (!cctx)
		cprof_die_oom();
	pcre2_set_newline(cctx, PCRE2_NEWLINE_LF);
	pcre2_set_parens_nest_limit(cctx, PARENS_LIMIT);

	int errcode;
	PCRE2_SIZE erroff;
	/* ALT_CIRCUMFLEX: (?m)^ matches after a final \n too, as Go's does */
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)t.pcre.buf, t.pcre.len, PCRE2_UTF | PCRE2_ALT_CIRCUMFLEX,
					 &errcode, &erroff, cctx);
	pcre2_compile_context_free(cctx);
	/* Go takes it; PCRE2 cannot hold it (a compiled form past 64 KiB): the VM alone, if it can */
	struct rx_prog *prog = NULL;
	if (!code && too_large(errcode)) {
		prog = rx_prog_make(pattern, strlen(pattern));
		if (prog && rx_prog_search(prog, "", 0, NULL, 0) < 0)
			rx_prog_free(prog), prog = NULL;
	}
	if (!code && !prog) {
		PCRE2_UCHAR buf[256];
		if (too_large(errcode))
			snprintf((char *)buf, sizeof(buf), "expression too large");
		else
			pcre2_get_error_message(errcode, buf, sizeof(buf));
		cprof_error_set(err, CPROF_E_REGEX, "error parsing regexp: %s: `%s`", (char *)buf, pattern);
		cprof_regex_translation_release(&t);
		return NULL;
	}
	struct cprof_regex *re = cprof_xcalloc(1, sizeof(*re));
	re->fb = cprof_xcalloc(1, sizeof(*re->fb));
	re->code = code;
	re->md = code ? pcre2_match_data_create_from_pattern(code, NULL) : pcre2_match_data_create(1, NULL);
	re->mctx = pcre2_match_context_create(NULL);
	if (!re->md || !re->mctx)
		cprof_die_oom();
	if (prog)
		re->fb->slow = re->fb->tried = true, re->fb->prog = prog;
	pcre2_set_match_limit(re->mctx, MATCH_LIMIT);
	re->pattern = cprof_xstrdup(shown);
	re->source = cprof_xstrdup(pattern);
	re->ngroups = t.ngroups;
	re->group = t.group;
	re->vm_positions = t.empty_loops;
	t.group = NULL;
	cprof_regex_translation_release(&t);
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
 * PCRE2's backtracking on s (as Go reads it: through gt when s is not
 * valid UTF-8): the pcre2_match() result, PCRE2_ERROR_MATCHLIMIT when it
 * gives up.
 */
static int backtrack(const struct cprof_regex *re, const char *s, size_t len, struct go_text *gt)
{
	int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->md, re->mctx);
	if (utf8_error(rc)) {
		go_text_make(gt, s, len);
		rc = pcre2_match(re->code, (PCRE2_SPTR)gt->sb.buf, gt->sb.len, 0, PCRE2_NO_UTF_CHECK, re->md,
				 re->mctx);
	}
	return gave_up(rc) ? PCRE2_ERROR_MATCHLIMIT : rc;
}

/*
 * Where backtracking gives up: the Pike VM of regex_vm.c (exact, linear);
 * for a program too big for it, PCRE2's DFA matcher, which answers
 * whether exactly and where with the longest match at the leftmost
 * position, without groups.
 */
static bool fallback(const struct cprof_regex *re, const char *s, size_t len, long *ovec, int ncap)
{
	struct fallback *fb = re->fb;
	fb->slow = true;
	if (!fb->tried) {
		fb->tried = true;
		fb->prog = rx_prog_make(re->source, strlen(re->source));
	}
	int m = fb->prog ? rx_prog_search(fb->prog, s, len, ovec, ncap) : -1;
	if (m >= 0 || !re->code)
		return m > 0;

	struct go_text gt; /* the text as Go reads it */
	go_text_make(&gt, s, len);
	size_t nws = 4096;
	int rc;
	for (;;) {
		int *ws = cprof_xmalloc(nws * sizeof(*ws));
		rc = pcre2_dfa_match(re->code, (PCRE2_SPTR)gt.sb.buf, gt.sb.len, 0, PCRE2_NO_UTF_CHECK, re->md, NULL, ws,
				     nws);
		free(ws);
		if (rc != PCRE2_ERROR_DFA_WSSIZE || nws >= (1u << 22))
			break;
		nws *= 4;
	}
	if (rc >= 0 && ncap > 0) {
		PCRE2_SIZE *v = pcre2_get_ovector_pointer(re->md);
		ovec[0] = (long)gt.pos[v[0]];
		ovec[1] = (long)gt.pos[v[1]];
		for (int i = 1; i < ncap; i++)
			ovec[2 * i] = ovec[2 * i + 1] = -1;
	}
	go_text_release(&gt);
	return rc >= 0;
}

bool cprof_regex_matchn(const struct cprof_regex *re, const char *s, size_t len)
{
	if (re->fb->slow)
		return fallback(re, s, len, NULL, 0);
	struct go_text gt = {STRBUF_INIT, NULL};
	int rc = backtrack(re, s, len, &gt);
	go_text_release(&gt);
	if (rc == PCRE2_ERROR_MATCHLIMIT)
		return fallback(re, s, len, NULL, 0);
	return rc >= 0;
}

bool cprof_regex_match(const struct cprof_regex *re, const char *s)
{
	return cprof_regex_matchn(re, s, strlen(s));
}

bool cprof_regex_find(const struct cprof_regex *re, const char *s, size_t len, long *ovec, int ncap)
{
	if (re->fb->slow)
		return fallback(re, s, len, ovec, ncap);
	if (re->vm_positions && ncap > 0) {
		struct fallback *fb = re->fb;
		if (!fb->tried) {
			fb->tried = true;
			fb->prog = rx_prog_make(re->source, strlen(re->source));
		}
		int m = fb->prog ? rx_prog_search(fb->prog, s, len, ovec, ncap) : -1;
		if (m >= 0)
			return m;
	}
	struct go_text gt = {STRBUF_INIT, NULL};
	int rc = backtrack(re, s, len, &gt);
	if (rc == PCRE2_ERROR_MATCHLIMIT) {
		go_text_release(&gt);
		return fallback(re, s, len, ovec, ncap);
	}
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
	free(re->source);
	free(re->group);
	rx_prog_free(re->fb->prog);
	free(re->fb);
	free(re);
}
