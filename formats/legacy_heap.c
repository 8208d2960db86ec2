/*
 * legacy_heap.c - heap profiles in text: gperftools' heapz / heap_v2 /
 * heapprofile, growthz and fragmentationz, and Go's debug=1 heap profile.
 *
 *   heap profile: <inuse n>: <inuse bytes> [<alloc n>: <alloc bytes>] @ <kind>[/<rate>]
 *   <inuse n>: <inuse bytes> [<alloc n>: <alloc bytes>] @ <addr> <addr> ...
 *   ...
 *   [--- Memory map: --- / MAPPED_LIBRARIES:, then /proc/self/maps lines]
 *
 * e.g. (Go, MemProfileRate 4096, which the runtime writes as heap/8192):
 *
 *   heap profile: 430: 1745824 [170303: 900989120] @ heap/8192
 *   80: 491520 [317: 1947648] @ 0x4cb73d 0x4cafd5 0x4c76d8 0x437db2 0x464c81
 *   #	0x4cb73c	main.fill+0xfc		/work/main/testdata/gen/workload/main.go:448
 *   ...
 *   # runtime.MemStats
 *   # Alloc = 1745824
 *
 * What pprof (Go 1.19, profile/legacy_profile.go parseHeap) makes of it:
 *
 *  - <kind> heapz_v2 or heap_v2: sampled with mean rate R = <rate>; heap
 *    (Go): R = <rate> / 2; heapprofile: not sampled, period 1; another
 *    "heap..." word: not a heap profile. "@ growthz" / "@ growth" and
 *    "@ fragmentationz" headers: period 1, not sampled.
 *  - sample types objects/count space/bytes, or alloc_objects alloc_space
 *    inuse_objects inuse_space when the header's alloc pair differs from
 *    the in-use pair (textually, unless it is "0"); period type space/bytes.
 *  - each sampled count/bytes pair is scaled by 1/(1 - e^(-(bytes/count)/R))
 *    (nothing when R <= 1); a count of 0 with bytes is an error; label
 *    "bytes" = bytes/count of the last non-zero pair.
 *  - every address is moved back by one (to the call instruction).
 *  - every other non-comment line before the memory map must be a sample:
 *    "#" lines (Go's symbols and runtime.MemStats) are skipped.
 *
 * The '#\t0x.. func+0x.. file:line' lines are kept aside for
 * cprof_profile_use_text_comments() (legacy_comments.c).
 */
#include <stdio.h>
#include <string.h>

#include "formats/legacy.h"

struct heap_header {
	struct span inuse_n, inuse_b, alloc_n, alloc_b, kind, rate;
};

static size_t skip_char(struct span s, size_t i, char c)
{
	while (i < s.n && s.p[i] == c)
		i++;
	return i;
}

static size_t digits_end(struct span s, size_t i)
{
	while (i < s.n && re_digit((unsigned char)s.p[i]))
		i++;
	return i;
}

/*
 * ` *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\]` from i: the two pairs. With
 * `open_space`, the spaces before "]" are ` *`; returns the index after
 * "]" or SIZE_MAX.
 */
static size_t match_pairs(struct span s, size_t i, struct span *g)
{
	static const char seps[] = ":[:]";
	for (int k = 0; k < 4; k++) {
		size_t b = skip_char(s, i, ' '), e = digits_end(s, b);
		if (e == b)
			return SIZE_MAX;
		g[k] = span_make(s.p + b, e - b);
		i = e;
		if (k == 1 || k == 3)
			i = skip_char(s, i, ' ');
		if (i >= s.n || s.p[i] != seps[k])
			return SIZE_MAX;
		i++;
	}
	return i;
}

/*
 * heapHeaderRE: `heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] *@ *(heap[_a-z0-9]*)/?(\d*)`,
 * the first match anywhere in the line (every step is deterministic, so
 * the first start that matches is RE2's leftmost match).
 */
static bool match_heap_header(struct span s, struct heap_header *h)
{
	static const char lit[] = "heap profile:";
	for (size_t at = 0; at + sizeof(lit) - 1 <= s.n; at++) {
		if (memcmp(s.p + at, lit, sizeof(lit) - 1) != 0)
			continue;
		struct span g[4];
		size_t i = match_pairs(s, at + sizeof(lit) - 1, g);
		if (i == SIZE_MAX)
			continue;
		i = skip_char(s, i, ' ');
		if (i >= s.n || s.p[i] != '@')
			continue;
		i = skip_char(s, i + 1, ' ');
		if (s.n - i < 4 || memcmp(s.p + i, "heap", 4) != 0)
			continue;
		size_t e = i + 4;
		while (e < s.n && (s.p[e] == '_' || (s.p[e] >= 'a' && s.p[e] <= 'z') || re_digit((unsigned char)s.p[e])))
			e++;
		h->inuse_n = g[0], h->inuse_b = g[1], h->alloc_n = g[2], h->alloc_b = g[3];
		h->kind = span_make(s.p + i, e - i);
		if (e < s.n && s.p[e] == '/')
			e++;
		size_t r = digits_end(s, e);
		h->rate = span_make(s.p + e, r - e);
		return true;
	}
	return false;
}

/*
 * growthHeaderRE / fragmentationHeaderRE:
 * `heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] @ <word>z?` anywhere.
 */
static bool match_other_header(struct span s, const char *word)
{
	static const char lit[] = "heap profile:";
	size_t wn = strlen(word);
	for (size_t at = 0; at + sizeof(lit) - 1 <= s.n; at++) {
		if (memcmp(s.p + at, lit, sizeof(lit) - 1) != 0)
			continue;
		struct span g[4];
		size_t i = match_pairs(s, at + sizeof(lit) - 1, g);
		if (i == SIZE_MAX || s.n - i < 3 + wn || memcmp(s.p + i, " @ ", 3) != 0 ||
		    memcmp(s.p + i + 3, word, wn) != 0)
			continue;
		return true;
	}
	return false;
}

/*
 * heapSampleRE: `(-?\d+): *(-?\d+) *\[ *(\d+): *(\d+) *] @([ x0-9a-f]*)`,
 * leftmost match: g[0..3] the numbers, g[4] the address list.
 */
static bool match_heap_sample(struct span s, struct span *g)
{
	for (size_t at = 0; at < s.n; at++) {
		char c = s.p[at];
		if (!re_digit((unsigned char)c) && c != '-')
			continue;
		size_t i = at;
		bool ok = true;
		for (int k = 0; k < 4 && ok; k++) {
			size_t b = k ? skip_char(s, i, ' ') : i;
			size_t d = b;
			if (k < 2 && d < s.n && s.p[d] == '-')
				d++;
			size_t e = digits_end(s, d);
			if (e == d) {
				ok = false;
				break;
			}
			g[k] = span_make(s.p + b, e - b);
			i = e;
			if (k == 1 || k == 3)
				i = skip_char(s, i, ' ');
			char want = k == 0 || k == 2 ? ':' : (k == 1 ? '[' : ']');
			if (i >= s.n || s.p[i] != want)
				ok = false;
			else
				i++;
		}
		if (ok && s.n - i >= 2 && s.p[i] == ' ' && s.p[i + 1] == '@') {
			size_t b = i + 2, e = b;
			while (e < s.n && (s.p[e] == ' ' || s.p[e] == 'x' || re_digit((unsigned char)s.p[e]) ||
					   (s.p[e] >= 'a' && s.p[e] <= 'f')))
				e++;
			g[4] = span_make(s.p + b, e - b);
			return true;
		}
		/* a later start inside the same number fails the same way */
		if (c != '-')
			at = digits_end(s, at) - 1;
	}
	return false;
}

struct heap_state {
	int64_t rate;
	bool sampled, has_alloc;
	int64_t blocksize;
};

static int add_pair(struct heap_state *h, struct span line, struct span cs, struct span ss,
		    const char *label, int64_t *out, struct cprof_error *err)
{
	char msg[512];
	int64_t count, size;
	if (go_parse_int(cs, 10, &count, msg, sizeof(msg)) < 0 ||
	    go_parse_int(ss, 10, &size, msg, sizeof(msg)) < 0)
		return legacy_fail(err, "malformed sample: %.*s: %s", (int)line.n, line.p, msg);
	if (count == 0 && size != 0)
		return legacy_fail(err, "%s count was 0 but %s bytes was %lld", label, label, (long long)size);
	if (count != 0) {
		h->blocksize = go_div(size, count);
		if (h->sampled)
			legacy_scale_heap(&count, &size, h->rate);
	}
	out[0] = count;
	out[1] = size;
	return 0;
}

static int parse_sample(struct legacy *lp, struct heap_state *h, struct span line, struct cprof_error *err)
{
	struct span g[5];
	int64_t value[4];
	size_t nv = 0;

	if (!match_heap_sample(line, g))
		return legacy_fail(err, "unexpected number of sample values: got 0, want 6");
	h->blocksize = 0;
	if (h->has_alloc) {
		if (add_pair(h, line, g[2], g[3], "allocation", value, err) < 0)
			return -1;
		nv = 2;
	}
	if (add_pair(h, line, g[0], g[1], "inuse", value + nv, err) < 0)
		return -1;
	nv += 2;

	struct span a;
	size_t pos = 0;
	while (next_hex_number(g[4], &pos, &a)) {
		uint64_t addr;
		if (go_parse_uint(a, 0, &addr, NULL, 0) < 0) {
			lp->naddrs = 0;
			return legacy_fail(err, "malformed sample: %.*s: failed to parse as hex 64-bit number: %.*s",
					   (int)line.n, line.p, (int)a.n, a.p);
		}
		legacy_push_addr(lp, addr);
	}
	if (legacy_add_sample(lp, 0, value, nv, err) < 0)
		return -1;
	legacy_add_num_label(lp, "bytes", h->blocksize);
	return 0;
}

/* The first line decides: one of the headers below, else "not this format". */
static bool header_ok(struct span line)
{
	struct heap_header hdr;
	int64_t rate;
	if (match_heap_header(line, &hdr))
		return (!hdr.rate.n || go_parse_int(hdr.rate, 10, &rate, NULL, 0) == 0) &&
		       (span_eq(hdr.kind, "heapz_v2") || span_eq(hdr.kind, "heap_v2") ||
			span_eq(hdr.kind, "heapprofile") || span_eq(hdr.kind, "heap"));
	return match_other_header(line, "growth") || match_other_header(line, "fragmentation");
}

enum cprof_probe cprof_legacy_heap_probe(const unsigned char *head, size_t len, struct cprof_error *err)
{
	struct line_scanner sc;
	bool cut;
	lscan_init(&sc, (const char *)head, len);
	if (!lscan_next_head(&sc, &cut))
		return cut ? CPROF_PROBE_MAYBE : lscan_err(&sc, err) < 0 ? CPROF_PROBE_FAIL : CPROF_PROBE_NOT;
	return header_ok(sc.text) ? CPROF_PROBE_MAYBE : CPROF_PROBE_NOT;
}

int cprof_legacy_heap_parse(const unsigned char *data, size_t len, struct cprof_profile **out,
			    struct cprof_error *err)
{
	struct line_scanner sc;
	struct legacy lp;
	struct heap_state h = {0};
	struct heap_header hdr;

	*out = NULL;
	lscan_init(&sc, (const char *)data, len);
	if (!lscan_next(&sc))
		return sc.too_long ? lscan_err(&sc, err) : legacy_unrecognized(err);
	if (!header_ok(sc.text))
		return legacy_unrecognized(err);

	legacy_init(&lp);
	struct cprof_profile *p = lp.p;
	legacy_set_period_type(&lp, "space", "bytes");
	if (match_heap_header(sc.text, &hdr)) {
		if (hdr.rate.n && go_parse_int(hdr.rate, 10, &p->period, NULL, 0) < 0)
			goto unrecognized;
		h.has_alloc = (!span_eq(hdr.alloc_n, "0") && (hdr.alloc_n.n != hdr.inuse_n.n ||
				memcmp(hdr.alloc_n.p, hdr.inuse_n.p, hdr.inuse_n.n) != 0)) ||
			      (!span_eq(hdr.alloc_b, "0") && (hdr.alloc_b.n != hdr.inuse_b.n ||
				memcmp(hdr.alloc_b.p, hdr.inuse_b.p, hdr.inuse_b.n) != 0));
		if (span_eq(hdr.kind, "heapz_v2") || span_eq(hdr.kind, "heap_v2")) {
			h.sampled = true;
		} else if (span_eq(hdr.kind, "heapprofile")) {
			p->period = 1;
		} else if (span_eq(hdr.kind, "heap")) {
			h.sampled = true;
			p->period /= 2;
		} else {
			goto unrecognized;
		}
	} else if (match_other_header(sc.text, "growth") || match_other_header(sc.text, "fragmentation")) {
		p->period = 1;
	} else {
		goto unrecognized;
	}
	h.rate = p->period;

	static const char *const t2[] = {"objects", "space"}, *const u2[] = {"count", "bytes"};
	static const char *const t4[] = {"alloc_objects", "alloc_space", "inuse_objects", "inuse_space"};
	static const char *const u4[] = {"count", "bytes", "count", "bytes"};
	if (h.has_alloc)
		legacy_set_types(&lp, t4, u4, 4);
	else
		legacy_set_types(&lp, t2, u2, 2);

	legacy_comments_begin(&lp);
	while (lscan_next(&sc)) {
		struct span line = go_trim_space(sc.text);
		if (is_space_or_comment(line)) {
			if (line.n)
				legacy_comments_line(&lp, line);
			continue;
		}
		if (is_memory_map_sentinel(line))
			break;
		if (parse_sample(&lp, &h, line, err) < 0) {
			legacy_fail_at_line(err, sc.lineno);
			goto fail;
		}
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
