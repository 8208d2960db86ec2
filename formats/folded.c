/*
 * folded.c - folded stacks as an input format: what FlameGraph's
 * stackcollapse-*.pl scripts, inferno-collapse-* and `cprof -folded`
 * write, and what flamegraph.pl and speedscope read.
 *
 *   file  = { line }
 *   line  = frames blanks count [ "\r" ] "\n"  |  blank line  |  "#" comment
 *   frames = frame { ";" frame }   frame: no ';' or NUL, no blank at
 *                                  either end
 *   count = [ "-" ] digit { digit }        an int64
 *
 * e.g. (tests/stacks/stacks.folded):
 *
 *   main;compute;fib 1430000000
 *
 * The stack is root first; the count is split off at the last run of
 * spaces or tabs, so frames may hold spaces ("fn file.go:12", as
 * `cprof -folded -lines` writes them). Detection is by content (the
 * registry tries this parser last), and strict enough that ordinary text
 * ending in numbers ("hello world 42", a table of figures, prose with a
 * ';') is "not this format", while what the stack collapsers write is:
 *
 *   - at least one stack, and every line is blank, a comment (starts
 *     with '#', as austin's header and footer) or has the shape above
 *     and starts with a frame (no leading blanks);
 *   - every frame is non-empty and has no blank at either end (tools
 *     write one symbol per frame, prose puts a blank after a ';');
 *   - a file in which no line has two frames (no ';' anywhere) is taken
 *     only when each frame is one word (not ending in ':' or '='), or
 *     words whose last one is a "file:line" position (what -lines and
 *     -addresses write): a list of "<name> <count>" is a flat profile,
 *     a sentence or "key: value" lines are not.
 *
 * The profile made of it:
 *
 *   sample type   samples/count
 *   function      one per distinct frame (name = system name = the frame),
 *                 ids 1, 2, ... in order of first appearance
 *   location      one per function, same id, one line, no address
 *   sample        one per line, locations leaf first, value = count
 *
 * so `cprof -folded` of such a file gives the same stacks back (summed,
 * sorted) and every other report works on it.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/formats.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Parse an optionally negative decimal int64 filling all of s[0..n). */
static bool parse_count(const char *s, size_t n, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	if (n && s[0] == '-')
		neg = true, i = 1;
	if (i == n)
		return false;
	uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (limit - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

/* One line split into its frames part and count; false when it is not folded. */
static bool split_line(const char *s, size_t n, size_t *frames_len, int64_t *count)
{
	if (memchr(s, '\0', n) || is_blank(s[0]))
		return false;
	size_t end = n;
	size_t c = end;
	while (c > 0 && !is_blank(s[c - 1]))
		c--;
	if (c == 0 || c == end || !parse_count(s + c, end - c, count))
		return false;
	size_t f = c;
	while (f > 0 && is_blank(s[f - 1]))
		f--;
	if (f == 0)
		return false;
	/* every frame non-empty, with no blank at either end */
	for (size_t a = 0; a <= f;) {
		const char *semi = memchr(s + a, ';', f - a);
		size_t b = semi ? (size_t)(semi - s) : f;
		if (b == a || is_blank(s[a]) || is_blank(s[b - 1]))
			return false;
		a = b + 1;
	}
	*frames_len = f;
	return true;
}

/* A frame in a file with no ';': one word, or words of which the last is
 * "file:line" ("fn file.go:12", "0000000000401a2b fn file.go:12", as
 * -lines and -addresses write them), so a sentence is not a frame. */
static bool lone_frame_ok(const char *s, size_t n)
{
	size_t w = n;
	while (w > 0 && !is_blank(s[w - 1]))
		w--;
	if (w == 0) /* one word, but not a key ("Total:", "n=") */
		return s[n - 1] != ':' && s[n - 1] != '=';
	size_t d = n;
	while (d > w && s[d - 1] >= '0' && s[d - 1] <= '9')
		d--;
	return d < n && d > w + 1 && s[d - 1] == ':';
}

/* interned frame name -> function index + 1 */
struct frame_map {
	const char **key;
	uint32_t *val;
	size_t size, count;
};

static size_t ptr_hash(const char *p, size_t mask)
{
	uint64_t h = ((uint64_t)(uintptr_t)p >> 3) * 0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 20) & mask;
}

static void frame_map_grow(struct frame_map *m)
{
	size_t size = m->size ? m->size * 2 : 256;
	const char **key = cprof_xcalloc(size, sizeof(*key));
	uint32_t *val = cprof_xcalloc(size, sizeof(*val));
	for (size_t i = 0; i < m->size; i++) {
		if (!m->key[i])
			continue;
		size_t h = ptr_hash(m->key[i], size - 1);
		while (key[h])
			h = (h + 1) & (size - 1);
		key[h] = m->key[i];
		val[h] = m->val[i];
	}
	free(m->key);
	free(m->val);
	m->key = key;
	m->val = val;
	m->size = size;
}

/* The location index of frame (interned), adding its function and location. */
static uint32_t frame_location(struct cprof_profile *p, struct frame_map *m, const char *frame)
{
	if ((m->count + 1) * 2 > m->size)
		frame_map_grow(m);
	size_t mask = m->size - 1, h = ptr_hash(frame, mask);
	for (; m->key[h]; h = (h + 1) & mask)
		if (m->key[h] == frame)
			return m->val[h] - 1;
	struct cprof_function *f = cprof_profile_add_function(p);
	f->id = p->nfunction;
	f->name = frame;
	f->system_name = frame;
	uint32_t fn = (uint32_t)(p->nfunction - 1);
	struct cprof_location *l = cprof_profile_add_location(p);
	l->id = p->nlocation;
	l->mapping = CPROF_NONE;
	l->nline = 1;
	l->line = cprof_arena_calloc(&p->arena, 1, sizeof(*l->line));
	l->line[0].fn = fn;
	m->key[h] = frame;
	m->val[h] = (uint32_t)p->nlocation;
	m->count++;
	return (uint32_t)(p->nlocation - 1);
}

/*
 * Every line must have its shape: one that ends in the head and has not,
 * or the cut last one when it holds a NUL and is no comment, rules the
 * format out.
 */
enum cprof_probe cprof_folded_probe(const unsigned char *head, size_t len, struct cprof_error *err)
{
	const char *text = (const char *)head;
	(void)err;
	for (size_t pos = 0; pos < len;) {
		const char *s = text + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		pos += n + 1;
		if (!nl)
			return s[0] != '#' && memchr(s, '\0', n) ? CPROF_PROBE_NOT : CPROF_PROBE_MAYBE;
		if (n && s[n - 1] == '\r')
			n--;
		size_t k = 0, flen;
		int64_t count;
		while (k < n && is_blank(s[k]))
			k++;
		if (k < n && s[0] != '#' && !split_line(s, n, &flen, &count))
			return CPROF_PROBE_NOT;
	}
	return CPROF_PROBE_MAYBE;
}

int cprof_folded_parse(const unsigned char *data, size_t len, struct cprof_profile **out,
		       struct cprof_error *err)
{
	const char *text = (const char *)data;
	*out = NULL;

	/* first pass: is every non-blank line "<frames> <count>"? */
	size_t stacks = 0;
	bool nested = false, lone_ok = true;
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len, n = end - pos;
		const char *s = text + pos;
		pos = nl ? end + 1 : len;
		if (n && s[n - 1] == '\r')
			n--;
		size_t k = 0;
		while (k < n && is_blank(s[k]))
			k++;
		if (k == n || s[0] == '#')
			continue;
		size_t flen;
		int64_t count;
		if (!split_line(s, n, &flen, &count))
			return cprof_error_set(err, CPROF_E_FORMAT, "parsing profile: not folded stacks");
		if (memchr(s, ';', flen))
			nested = true;
		else if (lone_ok)
			lone_ok = lone_frame_ok(s, flen);
		stacks++;
	}
	if (!stacks || (!nested && !lone_ok))
		return cprof_error_set(err, CPROF_E_FORMAT, "parsing profile: not folded stacks");

	struct cprof_profile *p = cprof_profile_new();
	struct cprof_value_type st = {"samples", "count"};
	cprof_profile_set_sample_types(p, &st, 1);
	struct frame_map m = {0};
	uint32_t *locs = NULL;
	size_t nlocs = 0, alocs = 0, lineno = 0;
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len, n = end - pos;
		const char *s = text + pos;
		pos = nl ? end + 1 : len;
		lineno++;
		if (n && s[n - 1] == '\r')
			n--;
		size_t k = 0;
		while (k < n && is_blank(s[k]))
			k++;
		if (k == n || s[0] == '#')
			continue;
		size_t flen;
		int64_t count;
		split_line(s, n, &flen, &count); /* checked above */

		nlocs = 0;
		for (size_t a = 0; a < flen;) {
			const char *semi = memchr(s + a, ';', flen - a);
			size_t b = semi ? (size_t)(semi - s) : flen;
			const char *frame = cprof_profile_strn(p, s + a, b - a);
			ALLOC_GROW(locs, nlocs + 1, alocs);
			locs[nlocs++] = frame_location(p, &m, frame);
			a = b + 1;
		}
		if (nlocs > cprof_limits.max_depth) {
			cprof_error_set(err, CPROF_E_LIMIT,
					"parsing profile: folded stacks: line %zu: more than %u frames", lineno,
					cprof_limits.max_depth);
			free(locs);
			free(m.key);
			free(m.val);
			cprof_profile_free(p);
			return -1;
		}
		struct cprof_sample *sm = cprof_profile_add_sample(p);
		sm->nloc = (uint32_t)nlocs;
		sm->loc = cprof_arena_alloc(&p->arena, nlocs * sizeof(*sm->loc));
		for (size_t i = 0; i < nlocs; i++)
			sm->loc[i] = locs[nlocs - 1 - i]; /* leaf first */
		sm->value = cprof_arena_alloc(&p->arena, sizeof(*sm->value));
		sm->value[0] = count;
	}
	free(locs);
	free(m.key);
	free(m.val);
	*out = p;
	return 0;
}
