/*
 * regex.c - Go-flavoured regular expressions on PCRE2 (see regex.h).
 *
 * RE2 and PCRE2 agree on the syntax pprof users write. Two differences are
 * handled here: RE2 has no backreferences or lookaround (PCRE2 accepts
 * them; harmless), and RE2's `$` matches only at the very end of text
 * (PCRE2_DOLLAR_ENDONLY). Patterns are UTF-8 (PCRE2_UTF), and matching
 * never backtracks without bound thanks to a match limit.
 *
 * Text that is not valid UTF-8 (a function name of another producer): Go's
 * regexp reads each byte that does not start a valid sequence as U+FFFD,
 * which '.' and negated classes match, where PCRE2 (PCRE2_MATCH_INVALID_UTF)
 * matches nothing across it. So such text is matched as a copy with each
 * bad byte made U+FFFD, and offsets are mapped back to the original bytes.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/regex.h"

struct cprof_regex {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	char *pattern;
};

static struct cprof_regex *compile(const char *shown, const char *pattern, struct cprof_error *err)
{
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
					 PCRE2_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_MATCH_INVALID_UTF,
					 &errcode, &erroff, NULL);
	if (!code) {
		PCRE2_UCHAR buf[256];
		pcre2_get_error_message(errcode, buf, sizeof(buf));
		cprof_error_set(err, CPROF_E_REGEX, "parsing regexp '%s': %s", shown, (char *)buf);
		return NULL;
	}
	struct cprof_regex *re = cprof_xcalloc(1, sizeof(*re));
	re->code = code;
	re->md = pcre2_match_data_create_from_pattern(code, NULL);
	re->mctx = pcre2_match_context_create(NULL);
	if (!re->md || !re->mctx)
		cprof_die_oom();
	pcre2_set_match_limit(re->mctx, 10000000);
	re->pattern = cprof_xstrdup(shown);
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

/* Whether s[0..len) is valid UTF-8, as Go decodes it (the usual case). */
static bool valid_utf8(const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = cprof_utf8_size(s + i, len - i);
		if (n == 1)
			return false;
		i += n;
	}
	return true;
}

/*
 * s with each bad byte as U+FFFD (EF BF BD), as Go's regexp sees it; with
 * orig non-NULL, (*orig)[k] is the original offset of the copy's byte k
 * (and [copy length] the original length).
 */
static char *as_go_text(const char *s, size_t len, size_t *out_len, size_t **orig)
{
	char *t = cprof_xmalloc(cprof_st_add(cprof_st_mult(len, 3), 1));
	size_t *o = orig ? cprof_xmalloc(cprof_st_mult(cprof_st_add(cprof_st_mult(len, 3), 1), sizeof(*o))) : NULL;
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		size_t k = (unsigned char)s[i] < 0x80 ? 1 : cprof_utf8_size(s + i, len - i);
		if (k == 1 && (unsigned char)s[i] >= 0x80) {
			for (int j = 0; j < 3; j++) {
				if (o)
					o[n] = i;
				t[n++] = "\xef\xbf\xbd"[j];
			}
		} else {
			for (size_t j = 0; j < k; j++) {
				if (o)
					o[n] = i + j;
				t[n++] = s[i + j];
			}
		}
		i += k;
	}
	if (o)
		o[n] = len;
	t[n] = '\0';
	*out_len = n;
	if (orig)
		*orig = o;
	return t;
}

bool cprof_regex_matchn(const struct cprof_regex *re, const char *s, size_t len)
{
	if (valid_utf8(s, len))
		return pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->md, re->mctx) >= 0;
	size_t n;
	char *t = as_go_text(s, len, &n, NULL);
	int rc = pcre2_match(re->code, (PCRE2_SPTR)t, n, 0, 0, re->md, re->mctx);
	free(t);
	return rc >= 0;
}

bool cprof_regex_match(const struct cprof_regex *re, const char *s)
{
	return cprof_regex_matchn(re, s, strlen(s));
}

bool cprof_regex_find(const struct cprof_regex *re, const char *s, size_t len, long *ovec, int ncap)
{
	size_t *orig = NULL, n = len;
	char *t = NULL;
	if (!valid_utf8(s, len))
		t = as_go_text(s, len, &n, &orig);
	int rc = pcre2_match(re->code, (PCRE2_SPTR)(t ? t : s), n, 0, 0, re->md, re->mctx);
	free(t);
	if (rc < 0) {
		free(orig);
		return false;
	}
	PCRE2_SIZE *v = pcre2_get_ovector_pointer(re->md);
	uint32_t have = pcre2_get_ovector_count(re->md);
	for (int i = 0; i < ncap; i++) {
		if ((uint32_t)i < have && (uint32_t)i < (uint32_t)rc && v[2 * i] != PCRE2_UNSET) {
			ovec[2 * i] = (long)(orig ? orig[v[2 * i]] : v[2 * i]);
			ovec[2 * i + 1] = (long)(orig ? orig[v[2 * i + 1]] : v[2 * i + 1]);
		} else {
			ovec[2 * i] = ovec[2 * i + 1] = -1;
		}
	}
	free(orig);
	return true;
}

const char *cprof_regex_pattern(const struct cprof_regex *re)
{
	return re->pattern;
}

void cprof_regex_free(struct cprof_regex *re)
{
	if (!re)
		return;
	pcre2_code_free(re->code);
	pcre2_match_data_free(re->md);
	pcre2_match_context_free(re->mctx);
	free(re->pattern);
	free(re);
}
