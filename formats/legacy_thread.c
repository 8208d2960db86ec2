/*
 * legacy_thread.c - threadz profiles: the stacks of all threads of a
 * process, one block per thread.
 *
 *   --- threadz 1 ---
 *
 *   --- Thread 7f794ab90940 (name: main/25376) stack: ---
 *     0x0040be31: main
 *     0x7f794b38576d: __libc_start_main
 *   --- Thread 7f794ab80700 (name: thread1/25378) stack: ---
 *     same as previous thread
 *   ---- no stack trace for thread 7f794ab70700 ----
 *   --- Memory map: ---
 *     ...
 *
 * or without symbols, "PC: 0x40be31 0x7f794b38576d" lines.
 *
 * pprof (Go 1.19, parseThread): sample type and period type thread/count,
 * period 1; every hex number of a block is a frame (the first is the leaf
 * and stays, the others move back by one); a block saying "same as
 * previous thread" (or without addresses) adds one to the previous sample;
 * "---- no stack trace for" ends the samples. A block header that is not
 * `--- Thread <hex> (name: <n>/<tid>) stack: ---` makes the file
 * unrecognized, and so does running out of lines before a memory map or
 * that end marker.
 */
#include <string.h>

#include "formats/legacy.h"

/* threadzStartRE `--- threadz \d+ ---` anywhere. */
static bool match_threadz(struct span s)
{
	static const char a[] = "--- threadz ";
	for (size_t i = 0; i + sizeof(a) - 1 <= s.n; i++) {
		if (memcmp(s.p + i, a, sizeof(a) - 1) != 0)
			continue;
		size_t d = i + sizeof(a) - 1, e = d;
		while (e < s.n && re_digit((unsigned char)s.p[e]))
			e++;
		if (e > d && s.n - e >= 4 && memcmp(s.p + e, " ---", 4) == 0)
			return true;
	}
	return false;
}

/*
 * threadStartRE `--- Thread ([[:xdigit:]]+) \(name: (.*)/(\d+)\) stack: ---`
 * anywhere: "--- Thread <hex> (name: " and, somewhere after it,
 * "/<digits>) stack: ---".
 */
static bool match_thread_start(struct span s)
{
	static const char a[] = "--- Thread ", b[] = " (name: ", c[] = ") stack: ---";
	size_t an = sizeof(a) - 1, bn = sizeof(b) - 1, cn = sizeof(c) - 1;
	size_t first_end = SIZE_MAX; /* the earliest end of a "--- Thread <hex> (name: " */

	for (size_t i = 0; i + an <= s.n; i++) {
		if (memcmp(s.p + i, a, an) != 0)
			continue;
		size_t e = i + an;
		while (e < s.n && re_xdigit((unsigned char)s.p[e]))
			e++;
		if (e > i + an && s.n - e >= bn && memcmp(s.p + e, b, bn) == 0) {
			first_end = e + bn;
			break;
		}
	}
	if (first_end == SIZE_MAX)
		return false;
	for (size_t k = first_end; k + cn <= s.n; k++) {
		if (memcmp(s.p + k, c, cn) != 0)
			continue;
		size_t d = k;
		while (d > first_end && re_digit((unsigned char)s.p[d - 1]))
			d--;
		if (d < k && d > first_end && s.p[d - 1] == '/')
			return true;
	}
	return false;
}

/*
 * parseThreadSample: the lines of one block up to the next "---" line.
 * Sets *next to that line (or to the last line read), *same when the block
 * said "same as previous thread"; the addresses go to lp->addrs.
 */
static int read_block(struct legacy *lp, struct line_scanner *sc, struct span *next, bool *same,
		      struct cprof_error *err)
{
	struct span line = span_make(sc->data, 0);
	*same = false;
	while (lscan_next(sc)) {
		line = go_trim_space(sc->text);
		if (line.n == 0)
			continue;
		if (span_has_prefix(line, "---"))
			break;
		if (span_contains(line, "same as previous thread")) {
			*same = true;
			continue;
		}
		struct span a;
		for (size_t pos = 0; next_hex_number(line, &pos, &a);) {
			uint64_t addr;
			if (go_parse_uint(a, 0, &addr, NULL, 0) < 0)
				return legacy_fail(err, "malformed sample: %.*s: failed to parse as hex 64-bit number: %.*s",
						   (int)line.n, line.p, (int)a.n, a.p);
			legacy_push_addr(lp, addr);
		}
	}
	if (lscan_err(sc, err) < 0)
		return -1;
	*next = line;
	return 0;
}

/* The first line that is not blank or a comment decides (a line too long reads as empty). */
enum cprof_probe cprof_legacy_thread_probe(const unsigned char *head, size_t len, struct cprof_error *err)
{
	struct line_scanner sc;
	bool cut, more;
	(void)err;
	lscan_init(&sc, (const char *)head, len);
	while ((more = lscan_next_head(&sc, &cut)) && is_space_or_comment(sc.text))
		;
	if (cut)
		return CPROF_PROBE_MAYBE;
	struct span line = more ? sc.text : span_make((const char *)head, 0);
	return match_threadz(line) || match_thread_start(line) ? CPROF_PROBE_MAYBE : CPROF_PROBE_NOT;
}

int cprof_legacy_thread_parse(const unsigned char *data, size_t len, struct cprof_profile **out,
			      struct cprof_error *err)
{
	struct line_scanner sc;
	struct legacy lp;

	*out = NULL;
	lscan_init(&sc, (const char *)data, len);
	while (lscan_next(&sc) && is_space_or_comment(sc.text))
		;
	struct span line = sc.text;
	if (match_threadz(line)) {
		while (lscan_next(&sc)) {
			line = sc.text;
			if (is_memory_map_sentinel(line) || span_has_prefix(line, "-"))
				break;
		}
	} else if (!match_thread_start(line)) {
		return legacy_unrecognized(err);
	}

	legacy_init(&lp);
	static const char *const types[] = {"thread"}, *const units[] = {"count"};
	legacy_set_types(&lp, types, units, 1);
	legacy_set_period_type(&lp, "thread", "count");
	lp.p->period = 1;

	while (!is_memory_map_sentinel(line)) {
		bool same;
		if (span_has_prefix(line, "---- no stack trace for"))
			break;
		if (!match_thread_start(line))
			goto unrecognized;
		if (read_block(&lp, &sc, &line, &same, err) < 0)
			goto fail;
		if (same || lp.naddrs == 0) {
			lp.naddrs = 0;
			if (lp.p->nsample)
				lp.p->sample[lp.p->nsample - 1].value[0]++;
			continue;
		}
		int64_t one = 1;
		if (legacy_add_sample(&lp, 1, &one, 1, err) < 0)
			goto fail;
	}
	if (legacy_additional_sections(&lp, &sc, err) < 0)
		goto fail;
	legacy_drop_duplicate_leaf(&lp);
	legacy_done(&lp, out);
	return 0;

unrecognized:
	legacy_unrecognized(err);
fail:
	legacy_release(&lp);
	return -1;
}
