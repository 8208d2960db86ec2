/*
 * sample_index.c - choosing the value column a report shows (pprof's
 * Profile.SampleIndexByName, profile/index.go).
 *
 *   ""            default_sample_type if it names a column, else the last
 *   "2"           a column number (Go strconv.Atoi syntax: [+-]digits)
 *   "alloc_space" a type name; "inuse_space" also finds legacy "space"
 */
#include <string.h>

#include "cprof/strbuf.h"
#include "cprof/transform.h"

/* strconv.Atoi on a 64-bit platform: optional sign, then only digits. */
static bool go_atoi(const char *s, long long *out)
{
	bool neg = false;
	unsigned long long v = 0;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		unsigned d = (unsigned)(*s - '0');
		if (v > (9223372036854775808ULL - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (!neg && v > 9223372036854775807ULL)
		return false;
	*out = neg ? (long long)(0 - v) : (long long)v;
	return true;
}

/* Go's %q (strconv.Quote) for the strings users type. */
static void go_quote(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '"');
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		switch (*c) {
		case '"': strbuf_addstr(sb, "\\\""); break;
		case '\\': strbuf_addstr(sb, "\\\\"); break;
		case '\a': strbuf_addstr(sb, "\\a"); break;
		case '\b': strbuf_addstr(sb, "\\b"); break;
		case '\f': strbuf_addstr(sb, "\\f"); break;
		case '\n': strbuf_addstr(sb, "\\n"); break;
		case '\r': strbuf_addstr(sb, "\\r"); break;
		case '\t': strbuf_addstr(sb, "\\t"); break;
		case '\v': strbuf_addstr(sb, "\\v"); break;
		default:
			if (*c < 0x20 || *c == 0x7f)
				strbuf_addf(sb, "\\x%02x", *c);
			else
				strbuf_addch(sb, (char)*c);
		}
	}
	strbuf_addch(sb, '"');
}

int cprof_sample_index(const struct cprof_profile *p, const char *name, int *index,
		       struct cprof_error *err)
{
	int n = (int)p->nsample_type;
	long long num;

	if (n == 0)
		return cprof_error_set(err, CPROF_E_USAGE, "profile has no samples");
	if (!name || !*name) {
		const char *dst = p->default_sample_type;
		if (dst && *dst) {
			for (int i = 0; i < n; i++) {
				if (!strcmp(p->sample_type[i].type, dst)) {
					*index = i;
					return 0;
				}
			}
		}
		*index = n - 1;
		return 0;
	}
	if (go_atoi(name, &num)) {
		if (num < 0 || num >= n)
			return cprof_error_set(err, CPROF_E_USAGE, "sample_index %s is outside the range [0..%d]",
					       name, n - 1);
		*index = (int)num;
		return 0;
	}
	const char *no_inuse = strncmp(name, "inuse_", 6) ? name : name + 6;
	for (int i = 0; i < n; i++) {
		const char *t = p->sample_type[i].type;
		if (!strcmp(t, name) || !strcmp(t, no_inuse)) {
			*index = i;
			return 0;
		}
	}

	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "sample_index ");
	go_quote(&sb, name);
	strbuf_addstr(&sb, " must be one of: [");
	for (int i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s", i ? " " : "", p->sample_type[i].type);
	strbuf_addch(&sb, ']');
	cprof_error_set(err, CPROF_E_USAGE, "%s", sb.buf);
	strbuf_release(&sb);
	return -1;
}
