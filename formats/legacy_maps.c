/*
 * legacy_maps.c - the memory map that follows many legacy profiles, and
 * the mapping fix-ups pprof applies to it (ParseMemoryMapFromScanner,
 * massageMappings).
 *
 * The section starts after a line containing "--- Memory map: ---" or
 * "MAPPED_LIBRARIES:" (binary CPU profiles: right after the samples). Two
 * line shapes are read, /proc/<pid>/maps and a brief one:
 *
 *   00400000-00c6a000 r-xp 00000000 fc:01 1720362    /usr/local/bin/server
 *   0x40000-0x80000 /path/to/binary (@FF00) abc123456
 *   start-end[:] [perms] [file] [(@offset)] [build id]
 *
 * A glog prefix ("I0123 12:00:00.000000 1234 file.cc:56] ") is removed
 * first. Entries whose permissions lack "x" are skipped. Any other line of
 * the form "name=value" defines "$name", replaced by value in the lines
 * that follow (earlier definitions win, as with Go's strings.Replacer).
 *
 * The two line shapes are pprof's regular expressions procMapsRE and
 * briefMapsRE. They are matched here by enumerating, in RE2's priority
 * order, only the ways of splitting "start-end" that can succeed (the rest
 * of procMapsRE is deterministic once its optional groups are chosen, and
 * the rest of briefMapsRE always matches), so a hostile line costs linear
 * time while the captured fields stay exactly those of RE2.
 */
#include <stdlib.h>
#include <string.h>

#include "formats/legacy.h"

static size_t skip_ws(struct span s, size_t i)
{
	while (i < s.n && re_space((unsigned char)s.p[i]))
		i++;
	return i;
}

static size_t xrun(struct span s, size_t i)
{
	while (i < s.n && re_xdigit((unsigned char)s.p[i]))
		i++;
	return i;
}

static bool perm_char(int c)
{
	return c == '-' || c == 'r' || c == 'w' || c == 'x' || c == 'p';
}

static bool has_0x(struct span s, size_t i)
{
	return i + 1 < s.n && s.p[i] == '0' && s.p[i + 1] == 'x';
}

static struct span sub(struct span s, size_t b, size_t e)
{
	return span_make(s.p + b, e - b);
}

/* `\s+` followed by a non-empty run of class `cls`; returns the run or false. */
static bool ws_then(struct span s, size_t i, bool (*cls)(int), size_t *b, size_t *e)
{
	size_t w = skip_ws(s, i);
	if (w == i)
		return false;
	size_t r = w;
	while (r < s.n && cls((unsigned char)s.p[r]))
		r++;
	if (r == w)
		return false;
	*b = w, *e = r;
	return true;
}

static bool cls_perm(int c)
{
	return perm_char(c);
}
static bool cls_xdigit(int c)
{
	return re_xdigit(c);
}
static bool cls_digit(int c)
{
	return re_digit(c);
}
static bool cls_nonspace(int c)
{
	return !re_space(c);
}

/*
 * The tail of procMapsRE from t:
 *   (?:\s+([-rwxp]+))? (?:\s+([[:xdigit:]]+))? \s+[[:xdigit:]]+:[[:xdigit:]]+ \s+[[:digit:]]+ (?:\s+(\S+))?
 * Runs are maximal (anything shorter is followed by a character the next
 * element cannot start with), so only the two optional groups branch.
 */
static bool proc_tail(struct span s, size_t t, struct map_entry *e)
{
	size_t pb = 0, pe = 0, hb = 0, he = 0, b, x;
	bool have_perm = ws_then(s, t, cls_perm, &pb, &pe);

	for (int perm = have_perm ? 1 : 0; perm >= 0; perm--) {
		size_t t1 = perm ? pe : t;
		bool have_hex = ws_then(s, t1, cls_xdigit, &hb, &he);
		for (int hex = have_hex ? 1 : 0; hex >= 0; hex--) {
			size_t u = hex ? he : t1;
			if (!ws_then(s, u, cls_xdigit, &b, &x) || x >= s.n || s.p[x] != ':')
				continue;
			size_t y = xrun(s, x + 1);
			if (y == x + 1)
				continue;
			size_t db, de;
			if (!ws_then(s, y, cls_digit, &db, &de))
				continue;
			size_t fb, fe;
			e->perm = perm ? sub(s, pb, pe) : sub(s, 0, 0);
			e->offset = hex ? sub(s, hb, he) : sub(s, 0, 0);
			e->file = ws_then(s, de, cls_nonspace, &fb, &fe) ? sub(s, fb, fe) : sub(s, 0, 0);
			e->build_id = sub(s, 0, 0);
			return true;
		}
	}
	return false;
}

/*
 * The tail of briefMapsRE from t; every group is optional, so it always
 * matches, each group taken when it can be:
 *   (?:\s+([-rwxp]+))? (?:\s+(\S+))? (?:\s+\(@([[:xdigit:]]+)\))? (?:\s+([[:xdigit:]]+))?
 */
static void brief_tail(struct span s, size_t t, struct map_entry *e)
{
	size_t b, x;
	e->perm = e->file = e->offset = e->build_id = sub(s, 0, 0);
	if (ws_then(s, t, cls_perm, &b, &x))
		e->perm = sub(s, b, x), t = x;
	if (ws_then(s, t, cls_nonspace, &b, &x))
		e->file = sub(s, b, x), t = x;
	size_t w = skip_ws(s, t);
	if (w > t && w + 1 < s.n && s.p[w] == '(' && s.p[w + 1] == '@') {
		size_t r = xrun(s, w + 2);
		if (r > w + 2 && r < s.n && s.p[r] == ')') {
			e->offset = sub(s, w + 2, r);
			t = r + 1;
		}
	}
	if (ws_then(s, t, cls_xdigit, &b, &x))
		e->build_id = sub(s, b, x);
}

struct tail_memo {
	size_t t[8];
	bool ok[8];
	struct map_entry e[8];
	int n;
};

static bool proc_tail_memo(struct span s, size_t t, struct map_entry *e, struct tail_memo *m)
{
	for (int i = 0; i < m->n; i++)
		if (m->t[i] == t) {
			*e = m->e[i];
			return m->ok[i];
		}
	bool ok = proc_tail(s, t, e);
	int slot = m->n < 8 ? m->n++ : 7;
	m->t[slot] = t, m->ok[slot] = ok, m->e[slot] = *e;
	return ok;
}

/*
 * The common head `^\s*(?:0x)?([[:xdigit:]]+)[\s-]?\s*(?:0x)?([[:xdigit:]]+):?`
 * followed by a tail, in RE2's order of preference: with "0x" before
 * without, the first number longest first; the second number is always
 * the whole run (a shorter one is followed by a hex digit, which no tail
 * accepts), ":" taken before not.
 */
static bool match_head(struct span s, bool proc, struct map_entry *e)
{
	struct tail_memo memo;
	size_t p0 = skip_ws(s, 0);

	memo.n = 0;
	for (int x1 = 1; x1 >= 0; x1--) {
		if (x1 && !has_0x(s, p0))
			continue;
		size_t s1 = p0 + 2 * (size_t)x1, r1 = xrun(s, s1);
		if (r1 == s1)
			continue;
		for (size_t e1 = r1; e1 > s1; e1--) {
			size_t q = e1;
			if (e1 == r1 && e1 < s.n && (re_space((unsigned char)s.p[e1]) || s.p[e1] == '-'))
				q = skip_ws(s, e1 + 1);
			for (int x2 = 1; x2 >= 0; x2--) {
				if (x2 && !has_0x(s, q))
					continue;
				size_t s2 = q + 2 * (size_t)x2;
				/* inside the first run, the second number ends where it does */
				size_t r2 = s2 < r1 ? r1 : xrun(s, s2);
				if (r2 == s2)
					continue;
				bool colon = r2 < s.n && s.p[r2] == ':';
				for (int c = colon ? 1 : 0; c >= 0; c--) {
					size_t t = r2 + (size_t)c;
					if (proc ? proc_tail_memo(s, t, e, &memo) : (brief_tail(s, t, e), true)) {
						e->start = sub(s, s1, e1);
						e->limit = sub(s, s2, r2);
						return true;
					}
				}
			}
		}
	}
	return false;
}

bool legacy_match_map_line(struct span line, struct map_entry *e)
{
	return match_head(line, true, e) || match_head(line, false, e);
}

/*
 * logInfoRE `^[^\[\]]+:[0-9]+]\s`: the prefix ends at the first bracket,
 * which must be "]" preceded by ":<digits>" and followed by white space.
 */
struct span legacy_strip_log_prefix(struct span s)
{
	size_t k = 0;
	while (k < s.n && s.p[k] != '[' && s.p[k] != ']')
		k++;
	if (k >= s.n || s.p[k] != ']' || k + 1 >= s.n || !re_space((unsigned char)s.p[k + 1]))
		return s;
	size_t j = k;
	while (j > 0 && re_digit((unsigned char)s.p[j - 1]))
		j--;
	if (j == k || j < 2 || s.p[j - 1] != ':')
		return s;
	return span_make(s.p + k + 2, s.n - k - 2);
}

bool legacy_is_lib_name(struct span s)
{
	for (size_t i = 0; i + 3 <= s.n; i++) {
		if (memcmp(s.p + i, ".so", 3) != 0)
			continue;
		if (i + 3 == s.n)
			return true;
		if (i + 4 < s.n && (s.p[i + 3] == '.' || s.p[i + 3] == '_') && re_digit((unsigned char)s.p[i + 4]))
			return true;
	}
	return false;
}

/* ---- $name substitutions (strings.NewReplacer semantics) ------------------ */

/*
 * A byte trie of the names; at each position of a line the longest walk
 * is taken and, among the names ending on it, the one defined first wins.
 */
struct trie_node {
	uint32_t child, next; /* first child, next sibling; 0 = none (node 0 is the root) */
	uint32_t value;       /* index into values + 1; 0 = no name ends here */
	unsigned char c;
};

struct replacement {
	size_t off, len; /* the value, in keys */
};

struct replacer {
	struct trie_node *node;
	size_t nnode, anode;
	struct replacement *value;
	size_t nvalue, avalue;
	struct strbuf buf; /* the replaced line */
	struct strbuf keys; /* the values' bytes */
};

static void replacer_init(struct replacer *r)
{
	memset(r, 0, sizeof(*r));
	strbuf_init(&r->buf, 0);
	strbuf_init(&r->keys, 0);
	ALLOC_GROW(r->node, 1, r->anode);
	memset(&r->node[0], 0, sizeof(r->node[0]));
	r->nnode = 1;
}

static void replacer_release(struct replacer *r)
{
	free(r->node);
	free(r->value);
	strbuf_release(&r->buf);
	strbuf_release(&r->keys);
}

static uint32_t trie_child(struct replacer *r, uint32_t n, unsigned char c, bool add)
{
	for (uint32_t k = r->node[n].child; k; k = r->node[k].next)
		if (r->node[k].c == c)
			return k;
	if (!add)
		return 0;
	ALLOC_GROW(r->node, r->nnode + 1, r->anode);
	uint32_t k = (uint32_t)r->nnode++;
	r->node[k].c = c;
	r->node[k].child = 0;
	r->node[k].value = 0;
	r->node[k].next = r->node[n].child;
	r->node[n].child = k;
	return k;
}

/* Define "$name" = value; values are copied (offsets into r->keys). */
static void replacer_add(struct replacer *r, struct span name, struct span value)
{
	uint32_t n = trie_child(r, 0, '$', true);
	for (size_t i = 0; i < name.n; i++)
		n = trie_child(r, n, (unsigned char)name.p[i], true);
	if (r->node[n].value)
		return; /* the first definition wins */
	ALLOC_GROW(r->value, r->nvalue + 1, r->avalue);
	r->value[r->nvalue].off = r->keys.len;
	r->value[r->nvalue].len = value.n;
	strbuf_add(&r->keys, value.p, value.n);
	r->node[n].value = (uint32_t)++r->nvalue;
}

static struct span replacer_apply(struct replacer *r, struct span line)
{
	if (r->nvalue == 0)
		return line;
	strbuf_reset(&r->buf);
	for (size_t i = 0; i < line.n;) {
		uint32_t n = 0, best = 0;
		size_t bestlen = 0;
		for (size_t j = i; j < line.n; j++) {
			n = trie_child(r, n, (unsigned char)line.p[j], false);
			if (!n)
				break;
			uint32_t v = r->node[n].value;
			if (v && (!best || v < best))
				best = v, bestlen = j + 1 - i;
		}
		if (!best) {
			strbuf_addch(&r->buf, line.p[i]);
			i++;
			continue;
		}
		const struct replacement *v = &r->value[best - 1];
		strbuf_add(&r->buf, r->keys.buf + v->off, v->len);
		i += bestlen;
	}
	return span_make(r->buf.buf, r->buf.len);
}

/* ---- reading the section --------------------------------------------------- */

static bool parse_hex(struct span s, uint64_t *v)
{
	return go_parse_uint(s, 16, v, NULL, 0) == 0;
}

/* parseMappingEntry: 1 a mapping, 0 skipped (not executable), -1 not a mapping line. */
static int parse_entry(struct cprof_profile *p, struct span line)
{
	struct map_entry e;
	uint64_t start, limit, offset = 0;

	if (!legacy_match_map_line(line, &e))
		return -1;
	if (e.perm.n && !memchr(e.perm.p, 'x', e.perm.n))
		return 0;
	if (!parse_hex(e.start, &start) || !parse_hex(e.limit, &limit) ||
	    (e.offset.n && !parse_hex(e.offset, &offset)))
		return -1;
	struct cprof_mapping *m = cprof_profile_add_mapping(p);
	m->start = start;
	m->limit = limit;
	m->offset = offset;
	m->file = cprof_profile_strn(p, e.file.p, e.file.n);
	m->build_id = cprof_profile_strn(p, e.build_id.p, e.build_id.n);
	return 1;
}

/* adjacent: two entries that are one mapping split in two. */
static bool adjacent(const struct cprof_mapping *a, const struct cprof_mapping *b)
{
	if (a->file[0] && b->file[0] && a->file != b->file)
		return false;
	if (a->build_id[0] && b->build_id[0] && a->build_id != b->build_id)
		return false;
	if (a->limit != b->start)
		return false;
	if (a->offset != 0 && b->offset != 0 && a->offset + (a->limit - a->start) != b->offset)
		return false;
	return true;
}

/* The file name with "(deleted)" removed and white space trimmed. */
static struct span main_candidate(const char *file, struct strbuf *tmp)
{
	strbuf_reset(tmp);
	for (const char *f = file; *f;) {
		if (strncmp(f, "(deleted)", 9) == 0) {
			f += 9;
			continue;
		}
		strbuf_addch(tmp, *f++);
	}
	return go_trim_space(span_make(tmp->buf, tmp->len));
}

/* massageMappings: join split mappings, move the main binary first, number them. */
static void massage_mappings(struct cprof_profile *p)
{
	if (p->nmapping > 1) {
		size_t n = 1;
		for (size_t i = 1; i < p->nmapping; i++) {
			struct cprof_mapping *last = &p->mapping[n - 1], *m = &p->mapping[i];
			if (adjacent(last, m)) {
				last->limit = m->limit;
				if (m->file[0])
					last->file = m->file;
				if (m->build_id[0])
					last->build_id = m->build_id;
				continue;
			}
			p->mapping[n++] = *m;
		}
		p->nmapping = n;
	}

	struct strbuf tmp = STRBUF_INIT;
	for (size_t i = 0; i < p->nmapping; i++) {
		struct span f = main_candidate(p->mapping[i].file, &tmp);
		if (f.n == 0 || legacy_is_lib_name(f) || f.p[0] == '[')
			continue;
		struct cprof_mapping t = p->mapping[0];
		p->mapping[0] = p->mapping[i];
		p->mapping[i] = t;
		break;
	}
	strbuf_release(&tmp);
	for (size_t i = 0; i < p->nmapping; i++)
		p->mapping[i].id = i + 1;
}

int legacy_read_maps(struct legacy *lp, struct line_scanner *sc, struct cprof_error *err)
{
	struct replacer r;

	replacer_init(&r);
	while (lscan_next(sc)) {
		struct span line = replacer_apply(&r, legacy_strip_log_prefix(sc->text));
		if (parse_entry(lp->p, line) >= 0)
			continue;
		const char *eq = memchr(line.p, '=', line.n);
		if (eq) {
			struct span name = go_trim_space(span_make(line.p, (size_t)(eq - line.p)));
			struct span value = go_trim_space(span_make(eq + 1, line.n - (size_t)(eq - line.p) - 1));
			/* name and value may live in r.buf, which replacer_add does not touch */
			replacer_add(&r, name, value);
		}
	}
	replacer_release(&r);
	if (lscan_err(sc, err) < 0)
		return -1;
	massage_mappings(lp->p);
	legacy_remap(lp);
	return 0;
}

int legacy_additional_sections(struct legacy *lp, struct line_scanner *sc, struct cprof_error *err)
{
	while (!is_memory_map_sentinel(sc->text) && lscan_next(sc))
		;
	if (lscan_err(sc, err) < 0)
		return -1;
	return legacy_read_maps(lp, sc, err);
}
