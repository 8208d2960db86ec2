/*
 * legacy_java.c - Java's legacy heapz and contentionz profiles, and the
 * symbol section Java profiles (these and the binary CPU one) end with.
 *
 *   --- heapz 1 ---                 (or --- contentionz 1 ---)
 *   format = java
 *   resolution = bytes              (heap: inuse_space unit; contention: delay unit)
 *   sampling period = 100           (contention only)
 *   ms since reset = 6019923        (contention only)
 *             7048     1 @ 0x00000003 0x00000004 ...     <size or delay> <count> @ addrs
 *   ...
 *    0x00000003 com.example.function003 (Source003.java:103)
 *    0x0000002b java.lang.Thread.run (libjvm.so)
 *    0x0000003c GC
 *
 * pprof (Go 1.19, legacy_java_profile.go):
 *
 *  - header lines are `([\w ]+)=([\w ]+)`; an unknown attribute, or a
 *    format other than java, means "not this format"; the first line that
 *    is not an attribute starts the samples;
 *  - samples are `(\d+) +(\d+) +@ +(addrs)` (numbers with base prefixes),
 *    the two numbers swapped: heap values are [count, size] scaled as
 *    gperftools heap samples with rate 524288 and labelled bytes =
 *    size/count (a count of 0 is an error); contention values are
 *    multiplied by the sampling period; addresses are used as they are;
 *  - the first line that is not a sample starts the symbols:
 *    "0x<addr> <function> (<file>:<line>)", "... (<library path>)" (file
 *    = its base name), "... generated stub/JIT ..." (function STUB), or any
 *    other text (the function: GC, VM, Compile); the location loses its
 *    address; functions are shared by name;
 *  - finally every address is zeroed, so locations only differ by symbol.
 *
 * Lines are split at "\n" only (no length limit; the header and sample
 * sections ignore a last line without "\n", the symbol section does not).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/legacy.h"

/* The next "\n"-terminated line of *rest (trimmed), advancing *rest; false when there is none. */
static bool next_nl_line(struct span *rest, struct span *line)
{
	const char *nl = memchr(rest->p, '\n', rest->n);
	if (!nl)
		return false;
	*line = go_trim_space(span_make(rest->p, (size_t)(nl - rest->p)));
	rest->n -= (size_t)(nl + 1 - rest->p);
	rest->p = nl + 1;
	return true;
}

static bool word_or_space(int c)
{
	return re_word(c) || c == ' ';
}

/* attributeRx `([\w ]+)=([\w ]+)`, leftmost. */
static bool match_attribute(struct span s, struct span *key, struct span *val)
{
	for (size_t at = 0; at < s.n; at++) {
		if (!word_or_space((unsigned char)s.p[at]))
			continue;
		size_t e = at;
		while (e < s.n && word_or_space((unsigned char)s.p[e]))
			e++;
		if (e + 1 < s.n && s.p[e] == '=' && word_or_space((unsigned char)s.p[e + 1])) {
			size_t v = e + 1;
			while (v < s.n && word_or_space((unsigned char)s.p[v]))
				v++;
			*key = span_make(s.p + at, e - at);
			*val = span_make(s.p + e + 1, v - e - 1);
			return true;
		}
		at = e; /* starts inside the run fail the same way */
	}
	return false;
}

/* javaSampleRx ` *(\d+) +(\d+) +@ +([ x0-9a-f]*)`, leftmost. */
static bool match_sample(struct span s, struct span *g)
{
	for (size_t at = 0; at < s.n; at++) {
		if (!re_digit((unsigned char)s.p[at]) || (at > 0 && re_digit((unsigned char)s.p[at - 1])))
			continue;
		size_t i = at;
		bool ok = true;
		for (int k = 0; k < 2 && ok; k++) {
			size_t b = i;
			while (i < s.n && re_digit((unsigned char)s.p[i]))
				i++;
			g[k] = span_make(s.p + b, i - b);
			size_t sp = i;
			while (i < s.n && s.p[i] == ' ')
				i++;
			ok = sp > b && i > sp && i < s.n && (k == 0 ? re_digit((unsigned char)s.p[i]) : s.p[i] == '@');
		}
		if (!ok)
			continue;
		size_t sp = ++i;
		while (i < s.n && s.p[i] == ' ')
			i++;
		if (i == sp)
			continue;
		size_t e = i;
		while (e < s.n && (s.p[e] == ' ' || s.p[e] == 'x' || re_digit((unsigned char)s.p[e]) ||
				   (s.p[e] >= 'a' && s.p[e] <= 'f')))
			e++;
		g[2] = span_make(s.p + i, e - i);
		return true;
	}
	return false;
}

/* Go's filepath.Base on Unix. */
static struct span path_base(struct span s)
{
	if (s.n == 0)
		return span_make(".", 1);
	while (s.n > 0 && s.p[s.n - 1] == '/')
		s.n--;
	if (s.n == 0)
		return span_make("/", 1);
	size_t i = s.n;
	while (i > 0 && s.p[i - 1] != '/')
		i--;
	return span_make(s.p + i, s.n - i);
}

/*
 * The last "(" preceded by white space, with at least `min_inner` bytes
 * between it and `end`: where `^(.*)\s+\(` ends when (.*) is greedy.
 */
static size_t last_paren(struct span t, size_t end, size_t min_inner)
{
	for (size_t w = end; w-- > 1;)
		if (t.p[w] == '(' && re_space((unsigned char)t.p[w - 1]) && w + 1 + min_inner <= end)
			return w;
	return SIZE_MAX;
}

static uint32_t java_function(struct legacy *lp, struct addr_map *fns, struct span name, struct span file)
{
	struct cprof_profile *p = lp->p;
	const char *n = cprof_profile_strn(p, name.p, name.n);
	uint32_t i = addr_map_get(fns, (uint64_t)(uintptr_t)n);
	if (i != CPROF_NONE)
		return i;
	struct cprof_function *f = cprof_profile_add_function(p);
	f->name = f->system_name = n;
	f->filename = cprof_profile_strn(p, file.p, file.n);
	i = (uint32_t)(p->nfunction - 1);
	addr_map_put(fns, (uint64_t)(uintptr_t)n, i);
	return i;
}

int legacy_java_locations(struct legacy *lp, const char *data, size_t len, struct cprof_error *err)
{
	struct cprof_profile *p = lp->p;
	struct addr_map fns = {0};
	struct span rest = span_make(data, len);

	while (rest.n) {
		const char *nl = memchr(rest.p, '\n', rest.n);
		size_t n = nl ? (size_t)(nl - rest.p) : rest.n;
		struct span line = go_trim_space(span_make(rest.p, n));
		rest.p += nl ? n + 1 : n;
		rest.n -= nl ? n + 1 : n;

		/* javaLocationRx `^\s*0x([[:xdigit:]]+)\s+(.*)\s*$` */
		if (line.n < 3 || line.p[0] != '0' || line.p[1] != 'x')
			continue;
		size_t x = 2;
		while (x < line.n && re_xdigit((unsigned char)line.p[x]))
			x++;
		if (x == 2 || x >= line.n || !re_space((unsigned char)line.p[x]))
			continue;
		size_t b = x;
		while (b < line.n && re_space((unsigned char)line.p[b]))
			b++;
		struct span hex = span_make(line.p + 2, x - 2), t = span_make(line.p + b, line.n - b);
		uint64_t addr;
		char msg[300];
		if (go_parse_uint(hex, 16, &addr, msg, sizeof(msg)) < 0) {
			addr_map_release(&fns);
			return legacy_fail(err, "parsing sample %.*s: %s", (int)line.n, line.p, msg);
		}
		uint32_t li = addr_map_get(&lp->locs, addr);
		if (li == CPROF_NONE)
			continue;

		struct span func = t, file = span_make("", 0);
		int64_t lineno = 0;
		size_t lc = SIZE_MAX, w;
		if (t.n && t.p[t.n - 1] == ')')
			for (size_t k = t.n - 1; k-- > 0;)
				if (t.p[k] == ':') {
					lc = k;
					break;
				}
		/* `^(.*)\s+\((.+):(-?[[:digit:]]+)\)$` */
		bool file_line = false;
		if (lc != SIZE_MAX) {
			struct span num = span_make(t.p + lc + 1, t.n - 1 - lc - 1);
			size_t d = num.n && num.p[0] == '-' ? 1 : 0;
			bool digits = num.n > d;
			for (size_t k = d; k < num.n; k++)
				digits &= re_digit((unsigned char)num.p[k]) != 0;
			if (digits && (w = last_paren(t, lc, 1)) != SIZE_MAX) {
				func = span_make(t.p, w - 1);
				file = span_make(t.p + w + 1, lc - w - 1);
				int64_t v;
				if (go_parse_int(num, 10, &v, NULL, 0) == 0 && v > 0)
					lineno = v;
				file_line = true;
			}
		}
		/* `^(.*)\s+\((.*)\)$` */
		if (!file_line && t.n && t.p[t.n - 1] == ')' && (w = last_paren(t, t.n - 1, 0)) != SIZE_MAX) {
			func = span_make(t.p, w - 1);
			file = path_base(span_make(t.p + w + 1, t.n - 1 - w - 1));
		} else if (!file_line && span_contains(t, "generated stub/JIT")) {
			func = span_make("STUB", 4);
		}
		uint32_t fn = java_function(lp, &fns, func, file);
		struct cprof_location *l = &p->location[li];
		l->line = cprof_arena_calloc(&p->arena, 1, sizeof(*l->line));
		l->line[0].fn = fn;
		l->line[0].line = lineno;
		l->nline = 1;
		l->address = 0;
	}
	addr_map_release(&fns);
	legacy_remap(lp);
	return 0;
}

/* The first line decides (it has no length limit here: a line cut by the head may still match). */
enum cprof_probe cprof_legacy_java_probe(const unsigned char *head, size_t len, struct cprof_error *err)
{
	struct span rest = span_make((const char *)head, len), line;
	(void)err;
	if (!next_nl_line(&rest, &line))
		return CPROF_PROBE_MAYBE;
	return span_eq(line, "--- heapz 1 ---") || span_eq(line, "--- contentionz 1 ---") ? CPROF_PROBE_MAYBE
											 : CPROF_PROBE_NOT;
}

int cprof_legacy_java_parse(const unsigned char *data, size_t len, struct cprof_profile **out,
			    struct cprof_error *err)
{
	struct span rest = span_make((const char *)data, len), line, key, val;
	struct legacy lp;
	bool heap;

	*out = NULL;
	if (!next_nl_line(&rest, &line))
		return legacy_unrecognized(err);
	if (span_eq(line, "--- heapz 1 ---"))
		heap = true;
	else if (span_eq(line, "--- contentionz 1 ---"))
		heap = false;
	else
		return legacy_unrecognized(err);

	legacy_init(&lp);
	struct cprof_profile *p = lp.p;

	/* attributes */
	for (struct span r = rest; next_nl_line(&r, &line); rest = r) {
		if (line.n == 0)
			continue;
		if (!match_attribute(line, &key, &val))
			break;
		key = go_trim_space(key);
		val = go_trim_space(val);
		char msg[300];
		int64_t v;
		if (span_eq(key, "format")) {
			if (!span_eq(val, "java"))
				goto unrecognized;
		} else if (span_eq(key, "resolution")) {
			const char *t[2] = {heap ? "inuse_objects" : "contentions", heap ? "inuse_space" : "delay"};
			char *unit = cprof_xstrndup(val.p, val.n);
			const char *u[2] = {"count", unit};
			legacy_set_types(&lp, t, u, 2);
			free(unit);
		} else if (!heap && span_eq(key, "sampling period")) {
			legacy_set_period_type(&lp, "contentions", "count");
			if (go_parse_int(val, 0, &p->period, msg, sizeof(msg)) < 0) {
				legacy_fail(err, "failed to parse attribute %.*s: %s", (int)line.n, line.p, msg);
				goto fail;
			}
		} else if (!heap && span_eq(key, "ms since reset")) {
			if (go_parse_int(val, 0, &v, msg, sizeof(msg)) < 0) {
				legacy_fail(err, "failed to parse attribute %.*s: %s", (int)line.n, line.p, msg);
				goto fail;
			}
			p->duration_nanos = go_mul(go_mul(v, 1000), 1000);
		} else {
			goto unrecognized;
		}
	}

	/* samples */
	for (struct span r = rest; next_nl_line(&r, &line); rest = r) {
		struct span g[3], a;
		if (line.n == 0)
			continue;
		if (!match_sample(line, g))
			break;
		for (size_t pos = 0; next_hex_number(g[2], &pos, &a);) {
			uint64_t addr;
			if (go_parse_uint(a, 0, &addr, NULL, 0) < 0) {
				legacy_fail(err, "malformed sample: %.*s: failed to parse as hex 64-bit number: %.*s",
					    (int)line.n, line.p, (int)a.n, a.p);
				goto fail;
			}
			legacy_push_addr(&lp, addr);
		}
		int64_t value[2];
		char msg[300];
		if (go_parse_int(g[1], 0, &value[0], msg, sizeof(msg)) < 0 ||
		    go_parse_int(g[0], 0, &value[1], msg, sizeof(msg)) < 0) {
			legacy_fail(err, "parsing sample %.*s: %s", (int)line.n, line.p, msg);
			goto fail;
		}
		int64_t bytes = 0;
		if (heap) {
			if (value[0] == 0) {
				legacy_fail(err, "parsing sample %.*s: second value must be non-zero", (int)line.n, line.p);
				goto fail;
			}
			bytes = go_div(value[1], value[0]);
			legacy_scale_heap(&value[0], &value[1], 524288);
		} else if (p->period != 0) {
			value[0] = go_mul(value[0], p->period);
			value[1] = go_mul(value[1], p->period);
		}
		if (legacy_add_sample(&lp, SIZE_MAX, value, 2, err) < 0)
			goto fail;
		if (heap)
			legacy_add_num_label(&lp, "bytes", bytes);
	}

	if (legacy_java_locations(&lp, rest.p, rest.n, err) < 0)
		goto fail;
	legacy_zero_addresses(&lp);
	if (p->nsample_type == 0 && p->nsample != 0) {
		legacy_fail(err, "missing sample type information");
		goto fail;
	}
	legacy_done(&lp, out);
	return 0;

unrecognized:
	legacy_unrecognized(err);
fail:
	legacy_release(&lp);
	return -1;
}
