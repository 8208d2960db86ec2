/*
 * legacy_count.c - Go's debug=1 count profiles (goroutine, threadcreate,
 * and any other runtime/pprof profile printed the same way).
 *
 *   [# comment lines and blank lines]
 *   <type> profile: total <n>
 *   <count> @ <addr> <addr> ...
 *   [# labels: {"k":"v"}]
 *   [#	<addr>	<function>+<offset>	<file>:<line>]
 *   ...
 *   [--- anything: the end of the samples]
 *
 * e.g. (testdata/go/goroutine.txt):
 *
 *   goroutine profile: total 18
 *   2 @ 0x438176 0x40645b 0x405f98 0x4c624a 0x464c81
 *   #	0x4c6249	cprofgen/workload/pool.(*Pool).worker+0xa9	/work/main/testdata/gen/workload/pool/pool.go:34
 *
 * pprof (Go 1.19, parseGoCount): sample type and period type <type>/count,
 * period 1; every address moved back by one; a sample line must match
 * `\A(\d+) @(( 0x[0-9a-f]+)+)\z` exactly (no trailing space, at least one
 * address), else the whole profile is "malformed profile format" (Go's
 * threadcreate profile with an empty stack, "5 @", is rejected so; cprof
 * adds where: ", at line 2: '5 @'"). The
 * count is read with base prefixes ("010" is 8). Comment lines, and so the
 * goroutine labels, are ignored; cprof keeps them aside (legacy_comments.c).
 */
#include <stdlib.h>
#include <string.h>

#include "formats/legacy.h"

/*
 * pprof's "malformed profile format", with the line number and the line
 * (its first 60 bytes, control bytes shown as '?', so the message stays
 * one printable line).
 */
static void malformed(const struct line_scanner *sc, struct cprof_error *err)
{
	char shown[64];
	size_t n = sc->text.n < 60 ? sc->text.n : 60;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)sc->text.p[i];
		shown[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	legacy_fail(err, "malformed profile format, at line %zu: '%.*s%s'", sc->lineno, (int)n, shown,
		    sc->text.n > n ? "..." : "");
}

/* countStartRE `\A(\S+) profile: total \d+\z`; the type in *type. */
static bool match_start(struct span s, struct span *type)
{
	static const char mid[] = " profile: total ";
	size_t i = 0;
	while (i < s.n && !re_space((unsigned char)s.p[i]))
		i++;
	if (i == 0 || s.n - i <= sizeof(mid) - 1 || memcmp(s.p + i, mid, sizeof(mid) - 1) != 0)
		return false;
	for (size_t k = i + sizeof(mid) - 1; k < s.n; k++)
		if (!re_digit((unsigned char)s.p[k]))
			return false;
	*type = span_make(s.p, i);
	return true;
}

/* countRE `\A(\d+) @(( 0x[0-9a-f]+)+)\z`: the count and the address list. */
static bool match_sample(struct span s, struct span *count, struct span *addrs)
{
	size_t i = 0;
	while (i < s.n && re_digit((unsigned char)s.p[i]))
		i++;
	if (i == 0 || s.n - i < 2 || s.p[i] != ' ' || s.p[i + 1] != '@')
		return false;
	*count = span_make(s.p, i);
	size_t b = i += 2;
	if (i == s.n)
		return false;
	while (i < s.n) {
		if (s.n - i < 4 || s.p[i] != ' ' || s.p[i + 1] != '0' || s.p[i + 2] != 'x')
			return false;
		size_t d = i += 3;
		while (i < s.n && ((s.p[i] >= '0' && s.p[i] <= '9') || (s.p[i] >= 'a' && s.p[i] <= 'f')))
			i++;
		if (i == d)
			return false;
	}
	*addrs = span_make(s.p + b, s.n - b);
	return true;
}

/* The first line that is not blank or a comment decides. */
enum cprof_probe cprof_legacy_count_probe(const unsigned char *head, size_t len, struct cprof_error *err)
{
	struct line_scanner sc;
	struct span type;
	bool cut, more;
	lscan_init(&sc, (const char *)head, len);
	while ((more = lscan_next_head(&sc, &cut)) && is_space_or_comment(sc.text))
		;
	if (cut)
		return CPROF_PROBE_MAYBE;
	if (lscan_err(&sc, err) < 0)
		return CPROF_PROBE_FAIL;
	return more && match_start(sc.text, &type) ? CPROF_PROBE_MAYBE : CPROF_PROBE_NOT;
}

int cprof_legacy_count_parse(const unsigned char *data, size_t len, struct cprof_profile **out,
			     struct cprof_error *err)
{
	struct line_scanner sc;
	struct legacy lp;
	struct span type;

	*out = NULL;
	lscan_init(&sc, (const char *)data, len);
	while (lscan_next(&sc) && is_space_or_comment(sc.text))
		;
	if (lscan_err(&sc, err) < 0)
		return -1;
	if (!match_start(sc.text, &type))
		return legacy_unrecognized(err);

	legacy_init(&lp);
	char *t = cprof_xstrndup(type.p, type.n);
	const char *types[] = {t}, *units[] = {"count"};
	legacy_set_types(&lp, types, units, 1);
	legacy_set_period_type(&lp, t, "count");
	free(t);
	lp.p->period = 1;

	legacy_comments_begin(&lp);
	while (lscan_next(&sc)) {
		struct span line = sc.text, count, addrs, a;
		if (is_space_or_comment(line)) {
			line = go_trim_space(line);
			if (line.n)
				legacy_comments_line(&lp, line);
			continue;
		}
		if (span_has_prefix(line, "---"))
			break;
		int64_t n;
		if (!match_sample(line, &count, &addrs) || go_parse_int(count, 0, &n, NULL, 0) < 0) {
			malformed(&sc, err);
			goto fail;
		}
		for (size_t pos = 0; next_hex_number(addrs, &pos, &a);) {
			uint64_t addr;
			if (go_parse_uint(a, 0, &addr, NULL, 0) < 0) {
				malformed(&sc, err);
				goto fail;
			}
			legacy_push_addr(&lp, addr);
		}
		if (legacy_add_sample(&lp, 0, &n, 1, err) < 0)
			goto fail;
	}
	if (lscan_err(&sc, err) < 0 || legacy_additional_sections(&lp, &sc, err) < 0)
		goto fail;
	legacy_done(&lp, out);
	return 0;

fail:
	legacy_release(&lp);
	return -1;
}
