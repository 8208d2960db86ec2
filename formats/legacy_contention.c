/*
 * legacy_contention.c - contention profiles in text: gperftools'
 * contentionz and Go's debug=1 block and mutex profiles.
 *
 *   --- contentionz 1 ---          (or "--- mutex:", "--- contention:")
 *   cycles/second = 3201000000     key = value lines
 *   sampling period = 100
 *   ms since reset = 16907
 *   discarded samples = 0
 *   <delay> <count> @ <addr> <addr> ...
 *   ...
 *   [--- Memory map: --- and /proc/self/maps lines]
 *
 * e.g. Go's block profile (testdata/go/block.txt):
 *
 *   --- contention:
 *   cycles/second=2594927485
 *   2121294143 7833 @ 0x405f98 0x4c624a 0x464c81
 *   #	0x405f97	runtime.chanrecv2+0x17	/usr/lib/go-1.19/src/runtime/chan.go:447
 *
 * pprof (Go 1.19, parseContention): sample types contentions/count
 * delay/nanoseconds, period type contentions/count, period = sampling
 * period (1 when absent); with a sampling period P > 0 the delay becomes
 * delay * P / (cycles per ns) (when cycles/second > 0) and the count
 * count * P; duration = ms since reset. Header values take base prefixes;
 * an unknown key, or "format"/"resolution" (Java's contentionz), means "not
 * this format". A sample line that does not match
 * `(\d+) *(\d+) @([ x0-9a-f]*)` makes the whole file unrecognized too.
 * Every address moves back by one.
 */
#include <stdio.h>
#include <string.h>

#include "formats/legacy.h"

static size_t digits_end(struct span s, size_t i)
{
	while (i < s.n && re_digit((unsigned char)s.p[i]))
		i++;
	return i;
}

/*
 * contentionSampleRE `(\d+) *(\d+) @([ x0-9a-f]*)`, leftmost-first: at a
 * run of digits, either "<run> <spaces> <digits> @" or, with no space
 * between the numbers, the run split before its last digit ("12 @" gives
 * 1 and 2, as RE2's backtracking order does).
 */
static bool match_sample(struct span s, struct span *g)
{
	for (size_t at = 0; at < s.n; at++) {
		if (!re_digit((unsigned char)s.p[at]))
			continue;
		size_t q = digits_end(s, at), r = q;
		while (r < s.n && s.p[r] == ' ')
			r++;
		size_t t = digits_end(s, r), tail = SIZE_MAX;
		if (r > q && t > r && s.n - t >= 2 && s.p[t] == ' ' && s.p[t + 1] == '@') {
			g[0] = span_make(s.p + at, q - at);
			g[1] = span_make(s.p + r, t - r);
			tail = t + 2;
		} else if (q - at >= 2 && s.n - q >= 2 && s.p[q] == ' ' && s.p[q + 1] == '@') {
			g[0] = span_make(s.p + at, q - 1 - at);
			g[1] = span_make(s.p + q - 1, 1);
			tail = q + 2;
		}
		if (tail != SIZE_MAX) {
			size_t e = tail;
			while (e < s.n && (s.p[e] == ' ' || s.p[e] == 'x' || re_digit((unsigned char)s.p[e]) ||
					   (s.p[e] >= 'a' && s.p[e] <= 'f')))
				e++;
			g[2] = span_make(s.p + tail, e - tail);
			return true;
		}
		at = q - 1; /* a start inside the run fails the same way */
	}
	return false;
}

static bool header_ok(struct span line)
{
	return span_has_prefix(line, "--- contentionz ") || span_has_prefix(line, "--- mutex:") ||
	       span_has_prefix(line, "--- contention:");
}

/* The first line decides. */
enum cprof_probe cprof_legacy_contention_probe(const unsigned char *head, size_t len, struct cprof_error *err)
{
	struct line_scanner sc;
	bool cut;
	lscan_init(&sc, (const char *)head, len);
	if (!lscan_next_head(&sc, &cut))
		return cut ? CPROF_PROBE_MAYBE : lscan_err(&sc, err) < 0 ? CPROF_PROBE_FAIL : CPROF_PROBE_NOT;
	return header_ok(sc.text) ? CPROF_PROBE_MAYBE : CPROF_PROBE_NOT;
}

int cprof_legacy_contention_parse(const unsigned char *data, size_t len, struct cprof_profile **out,
				  struct cprof_error *err)
{
	struct line_scanner sc;
	struct legacy lp;
	int64_t cpu_hz = 0;

	*out = NULL;
	lscan_init(&sc, (const char *)data, len);
	if (!lscan_next(&sc))
		return sc.too_long ? lscan_err(&sc, err) : legacy_unrecognized(err);
	if (!header_ok(sc.text))
		return legacy_unrecognized(err);

	legacy_init(&lp);
	struct cprof_profile *p = lp.p;
	static const char *const types[] = {"contentions", "delay"}, *const units[] = {"count", "nanoseconds"};
	legacy_set_types(&lp, types, units, 2);
	legacy_set_period_type(&lp, "contentions", "count");
	p->period = 1;

	/* "key = value" lines before the samples */
	while (lscan_next(&sc)) {
		struct span line = go_trim_space(sc.text);
		if (is_space_or_comment(line))
			continue;
		if (span_has_prefix(line, "---"))
			break;
		const char *eq = memchr(line.p, '=', line.n);
		if (!eq)
			break;
		struct span key = go_trim_space(span_make(line.p, (size_t)(eq - line.p)));
		struct span val = go_trim_space(span_make(eq + 1, line.n - (size_t)(eq + 1 - line.p)));
		int64_t v;
		if (span_eq(key, "discarded samples"))
			continue;
		if (!span_eq(key, "cycles/second") && !span_eq(key, "sampling period") &&
		    !span_eq(key, "ms since reset"))
			goto unrecognized;
		if (go_parse_int(val, 0, &v, NULL, 0) < 0)
			goto unrecognized;
		if (span_eq(key, "cycles/second"))
			cpu_hz = v;
		else if (span_eq(key, "sampling period"))
			p->period = v;
		else
			p->duration_nanos = go_mul(go_mul(v, 1000), 1000);
	}
	if (lscan_err(&sc, err) < 0)
		goto fail;

	legacy_comments_begin(&lp);
	for (;;) {
		struct span line = go_trim_space(sc.text), g[3], a;
		if (span_has_prefix(line, "---"))
			break;
		if (line.n && line.p[0] == '#') {
			legacy_comments_line(&lp, line);
		} else if (line.n) {
			char msg[512];
			int64_t v1, v2;
			if (!match_sample(line, g))
				goto unrecognized;
			if (go_parse_int(g[0], 10, &v1, msg, sizeof(msg)) < 0 ||
			    go_parse_int(g[1], 10, &v2, msg, sizeof(msg)) < 0) {
				legacy_fail(err, "malformed sample: %.*s: %s", (int)line.n, line.p, msg);
				legacy_fail_at_line(err, sc.lineno);
				goto fail;
			}
			if (p->period > 0) {
				if (cpu_hz > 0) {
					double ghz = (double)cpu_hz / 1e9;
					v1 = go_f2i((double)v1 * (double)p->period / ghz);
				}
				v2 = go_mul(v2, p->period);
			}
			for (size_t pos = 0; next_hex_number(g[2], &pos, &a);) {
				uint64_t addr;
				if (go_parse_uint(a, 0, &addr, NULL, 0) < 0) {
					legacy_fail(err, "malformed sample: %.*s: failed to parse as hex 64-bit number: %.*s",
						    (int)line.n, line.p, (int)a.n, a.p);
					legacy_fail_at_line(err, sc.lineno);
					goto fail;
				}
				legacy_push_addr(&lp, addr);
			}
			int64_t value[2] = {v2, v1};
			if (legacy_add_sample(&lp, 0, value, 2, err) < 0)
				goto fail;
		}
		if (!lscan_next(&sc))
			break;
	}
	if (lscan_err(&sc, err) < 0 || legacy_additional_sections(&lp, &sc, err) < 0)
		goto fail;
	legacy_done(&lp, out);
	return 0;

unrecognized:
	legacy_unrecognized(err);
fail:
	legacy_release(&lp);
	return -1;
}
