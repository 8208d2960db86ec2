/*
 * regex.c - Go-flavoured regular expressions on PCRE2 (see regex.h).
 *
 * RE2 and PCRE2 agree on the syntax pprof users write. Two differences are
 * handled here: RE2 has no backreferences or lookaround (PCRE2 accepts
 * them; harmless), and RE2's `$` matches only at the very end of text
 * (PCRE2_DOLLAR_ENDONLY). Patterns are UTF-8 (PCRE2_UTF), and matching
 * never backtracks without bound thanks to a match limit.
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

bool cprof_regex_matchn(const struct cprof_regex *re, const char *s, size_t len)
{
	int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->md, re->mctx);
	return rc >= 0;
}

bool cprof_regex_match(const struct cprof_regex *re, const char *s)
{
	return cprof_regex_matchn(re, s, strlen(s));
}

bool cprof_regex_find(const struct cprof_regex *re, const char *s, size_t len, long *ovec, int ncap)
{
	int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->md, re->mctx);
	if (rc < 0)
		return false;
	PCRE2_SIZE *v = pcre2_get_ovector_pointer(re->md);
	uint32_t have = pcre2_get_ovector_count(re->md);
	for (int i = 0; i < ncap; i++) {
		if ((uint32_t)i < have && (uint32_t)i < (uint32_t)rc && v[2 * i] != PCRE2_UNSET) {
			ovec[2 * i] = (long)v[2 * i];
			ovec[2 * i + 1] = (long)v[2 * i + 1];
		} else {
			ovec[2 * i] = ovec[2 * i + 1] = -1;
		}
	}
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
