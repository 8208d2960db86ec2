/*
 * symbolz.c - pprof's remote symbolization (symbolz.h).
 *
 * The response grammar, as pprof's regexp reads it (RE2: \s is
 * [\t\n\f\r ], `.` stops at a newline):
 *
 *   line   = anything* "0x" hexdigit+ space+ name "\n"
 *   name   = (any byte but "\n")*          e.g. "0x4cb73c main.(*T).run"
 *
 * The first "0x" followed by hex digits and white space is the address:
 * its digits run as far as they go, the white space too (a name never
 * starts with a blank; "0x10 \n" names the address ""). Addresses are
 * read as pprof's ParseUint(s, 0, 64): more than 64 bits is an error.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/graph.h"
#include "src/driver/symbolz.h"
#include "src/driver/url.h"

static bool is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

int cprof_symbolz_parse(const char *data, size_t len, void (*fn)(void *ctx, uint64_t addr, const char *name, size_t n),
			void *ctx, struct cprof_error *err)
{
	size_t pos = 0;
	while (pos < len) {
		const char *line = data + pos;
		const char *nl = memchr(line, '\n', len - pos);
		if (!nl)
			break; /* a last line without its newline: pprof's reader drops it */
		size_t n = (size_t)(nl - line) + 1; /* with the newline, as \s may take it */
		pos += n;
		for (size_t i = 0; i + 2 < n; i++) {
			if (line[i] != '0' || line[i + 1] != 'x' || !is_hex((unsigned char)line[i + 2]))
				continue;
			size_t h = i + 2;
			while (h < n && is_hex((unsigned char)line[h]))
				h++;
			if (h >= n || !is_space((unsigned char)line[h]))
				continue;
			size_t s = h;
			while (s < n && is_space((unsigned char)line[s]))
				s++;
			/* the name: up to the newline (s may be past it when only blanks follow) */
			size_t e = n - 1;
			if (s > e)
				s = e;
			/* the digits, leading zeros aside, must fit in 64 bits */
			size_t d = i + 2;
			while (d < h - 1 && line[d] == '0')
				d++;
			if (h - d > 16)
				return cprof_error_set(err, CPROF_E_CORRUPT,
						       "unexpected parse failure %.*s: strconv.ParseUint: parsing \"%.*s\": "
						       "value out of range",
						       (int)(h - i), line + i, (int)(h - i), line + i);
			uint64_t a = 0;
			for (size_t k = d; k < h; k++) {
				unsigned char c = (unsigned char)line[k];
				a = a << 4 | (uint64_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
			}
			fn(ctx, a, line + s, e - s);
			break;
		}
	}
	return 0;
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);
	return n >= k && !strcmp(s + n - k, suf);
}

bool cprof_symbolz_url(const char *source, struct strbuf *out)
{
	static const char *const gperf[] = {"/pprof/heap", "/pprof/growth", "/pprof/profile", "/pprof/pmuprofile",
					    "/pprof/contention"};
	struct cprof_url u;
	strbuf_reset(out);
	if (cprof_url_parse(&u, source) || !u.host[0]) {
		cprof_url_release(&u);
		return false;
	}
	bool known = strstr(u.path, "/debug/pprof/") != NULL;
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(gperf); i++)
		known = known || has_suffix(u.path, gperf[i]);
	if (known) {
		struct strbuf p = STRBUF_INIT, c = STRBUF_INIT;
		strbuf_addf(&p, "%s/../symbol", u.path);
		cprof_clean_path(p.buf, &c);
		cprof_url_set_path(&u, c.buf);
		strbuf_release(&p);
		strbuf_release(&c);
	} else {
		cprof_url_set_path(&u, "/symbolz");
	}
	free(u.raw_query);
	u.raw_query = cprof_xstrdup("");
	cprof_url_string(&u, out);
	cprof_url_release(&u);
	return true;
}

/* profile.Mapping.Unsymbolizable, Go 1.19's. */
static bool unsymbolizable(const struct cprof_mapping *m)
{
	struct strbuf b = STRBUF_INIT;
	cprof_path_base(m->file, &b);
	bool r = b.buf[0] == '[' || !strncmp(b.buf, "linux-vdso", 10) || !strncmp(m->file, "/dev/dri/", 9);
	strbuf_release(&b);
	return r;
}

/* pprof's adjust: addr moved by a signed offset; false when it would wrap. */
static bool adjust(uint64_t addr, int64_t offset, uint64_t *out)
{
	uint64_t a = addr + (uint64_t)offset;
	if (offset < 0 ? a >= addr : a < addr)
		return false;
	*out = a;
	return true;
}

struct answer {
	uint64_t addr;
	uint32_t fn;
	size_t order;
};

struct answers {
	struct cprof_profile *p;
	int64_t offset;
	struct answer *v;
	size_t n, alloc;
	/* this mapping's functions by (interned) name: open addressing, size a power of 2 */
	const char **names;
	uint32_t *fns;
	size_t nnames, size;
	bool failed;
	struct cprof_error *err;
};

static size_t name_slot(const char *s, size_t size)
{
	return (size_t)(((uint64_t)(uintptr_t)s * 0x9e3779b97f4a7c15ULL) >> 32) & (size - 1);
}

static void grow_names(struct answers *a)
{
	size_t ns = a->size ? 2 * a->size : 64;
	const char **names = cprof_xcalloc(ns, sizeof(*names));
	uint32_t *fns = cprof_xcalloc(ns, sizeof(*fns));
	for (size_t i = 0; i < a->size; i++) {
		if (!a->names[i])
			continue;
		size_t h = name_slot(a->names[i], ns);
		while (names[h])
			h = (h + 1) & (ns - 1);
		names[h] = a->names[i];
		fns[h] = a->fns[i];
	}
	free(a->names);
	free(a->fns);
	a->names = names;
	a->fns = fns;
	a->size = ns;
}

static void on_answer(void *ctx, uint64_t orig, const char *name, size_t n)
{
	struct answers *a = ctx;
	uint64_t addr;
	if (a->failed)
		return;
	if (!adjust(orig, -a->offset, &addr)) {
		a->failed = true;
		cprof_error_set(a->err, CPROF_E_CORRUPT, "cannot adjust symbolz address %llu by %lld, it would overflow",
				(unsigned long long)orig, (long long)-a->offset);
		return;
	}
	const char *s = cprof_profile_strn(a->p, name, n);
	if (2 * (a->nnames + 1) > a->size)
		grow_names(a);
	size_t h = name_slot(s, a->size);
	while (a->names[h] && a->names[h] != s)
		h = (h + 1) & (a->size - 1);
	if (!a->names[h]) {
		struct cprof_function *f = cprof_profile_add_function(a->p);
		f->id = a->p->nfunction;
		f->name = f->system_name = s;
		a->names[h] = s;
		a->fns[h] = (uint32_t)(a->p->nfunction - 1);
		a->nnames++;
	}
	uint32_t fn = a->fns[h];
	ALLOC_GROW(a->v, a->n + 1, a->alloc);
	a->v[a->n] = (struct answer){addr, fn, a->n};
	a->n++;
}

static int cmp_answer(const void *x, const void *y)
{
	const struct answer *a = x, *b = y;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order; /* the last answer for an address wins */
}

/* pprof's symbolizeMapping. */
static int symbolize_mapping(struct cprof_profile *p, uint32_t mi, const char *url, int64_t offset,
			     cprof_symbolz_post post, void *ctx, struct cprof_error *err)
{
	struct strbuf q = STRBUF_INIT, resp = STRBUF_INIT;
	for (size_t i = 0; i < p->nlocation; i++) {
		const struct cprof_location *l = &p->location[i];
		if (l->mapping != mi || l->address == 0 || l->nline)
			continue;
		uint64_t a;
		if (!adjust(l->address, offset, &a)) {
			strbuf_release(&q);
			return cprof_error_set(err, CPROF_E_CORRUPT, "cannot adjust address %llu by %lld, it would overflow",
					       (unsigned long long)l->address, (long long)offset);
		}
		strbuf_addf(&q, "%s0x%llx", q.len ? "+" : "", (unsigned long long)a);
	}
	if (!q.len) {
		strbuf_release(&q);
		return 0;
	}
	int rc = post(ctx, url, q.buf, q.len, &resp, err);
	strbuf_release(&q);
	if (rc) {
		strbuf_release(&resp);
		return -1;
	}
	struct answers a = {.p = p, .offset = offset, .err = err};
	rc = cprof_symbolz_parse(resp.buf, resp.len, on_answer, &a, err);
	strbuf_release(&resp);
	if (rc == 0 && a.failed)
		rc = -1;
	if (rc == 0 && a.n) {
		qsort(a.v, a.n, sizeof(*a.v), cmp_answer);
		for (size_t i = 0; i < p->nlocation; i++) {
			struct cprof_location *l = &p->location[i];
			if (l->mapping != mi)
				continue;
			/* the last of the answers for this address */
			size_t lo = 0, hi = a.n;
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (a.v[mid].addr <= l->address)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo == 0 || a.v[lo - 1].addr != l->address)
				continue;
			struct cprof_line *line = cprof_arena_alloc(&p->arena, sizeof(*line));
			*line = (struct cprof_line){a.v[lo - 1].fn, 0, 0};
			l->line = line;
			l->nline = 1;
		}
	}
	free(a.v);
	free(a.names);
	free(a.fns);
	return rc;
}

int cprof_symbolz(struct cprof_profile *p, bool force, const struct cprof_mapping_source *ms, size_t nms,
		  cprof_symbolz_post post, void *ctx, struct cprof_error *err)
{
	struct strbuf url = STRBUF_INIT;
	for (size_t mi = 0; mi < p->nmapping; mi++) {
		struct cprof_mapping *m = &p->mapping[mi];
		if ((!force && m->has_functions) || unsymbolizable(m))
			continue;
		/* the sources of its file, then of its build id */
		for (int pass = 0; pass < 2; pass++) {
			const char *key = pass == 0 ? m->file : m->build_id;
			if (pass == 1 && !key[0])
				break;
			size_t i;
			for (i = 0; i < nms; i++) {
				if (strcmp(ms[i].key, key) || !cprof_symbolz_url(ms[i].url, &url))
					continue;
				int64_t offset = (int64_t)ms[i].start - (int64_t)m->start;
				if (symbolize_mapping(p, (uint32_t)mi, url.buf, offset, post, ctx, err)) {
					strbuf_release(&url);
					return -1;
				}
				p->mapping[mi].has_functions = true;
				break;
			}
			if (i < nms)
				break;
		}
	}
	strbuf_release(&url);
	return 0;
}
