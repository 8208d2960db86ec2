/*
 * memstats.c - the "# runtime.MemStats" block that runtime/pprof appends
 * to heap and allocs profiles written with debug=1 (writeHeapInternal in
 * Go's runtime/pprof/pprof.go).
 *
 *   block = "# runtime.MemStats" NL { "# " KEY " = " VALUE NL }
 *   VALUE = UINT | UINT " / " UINT | "[" UINT { " " UINT } "]" | FLOAT | "true" | "false"
 *
 * for example (testdata/go/heap.txt):
 *
 *   # runtime.MemStats
 *   # Alloc = 4860984
 *   # Stack = 294912 / 294912
 *   # PauseNs = [101871 99548 135972 ...]
 *   # GCCPUFraction = 0.06379876332074555
 *   # DebugGC = false
 *   # MaxRSS = 17186816
 *
 * The pairs are "Stack = StackInuse / StackSys", "MSpan = MSpanInuse /
 * MSpanSys", "MCache = MCacheInuse / MCacheSys". The block ends at the
 * first line that does not start with '#'. Keys this table does not know
 * (a newer runtime's) are skipped; a known key with a bad value is an
 * error that names the line.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/memstats.h"

static const char *const names[] = {
#define CPROF_MS_NAME_(name) #name,
	CPROF_MEMSTATS_FIELDS(CPROF_MS_NAME_)
#undef CPROF_MS_NAME_
};

/* Keys printed as "inuse / sys" pairs. */
static const struct {
	const char *key;
	enum cprof_memstats_field a, b;
} pairs[] = {
	{"Stack", CPROF_MS_StackInuse, CPROF_MS_StackSys},
	{"MSpan", CPROF_MS_MSpanInuse, CPROF_MS_MSpanSys},
	{"MCache", CPROF_MS_MCacheInuse, CPROF_MS_MCacheSys},
};

const char *cprof_memstats_name(enum cprof_memstats_field f)
{
	return (unsigned)f < CPROF_MS__COUNT ? names[f] : "";
}

struct span {
	const char *p;
	size_t n;
};

static bool span_eq(struct span s, const char *lit)
{
	return strlen(lit) == s.n && memcmp(s.p, lit, s.n) == 0;
}

static struct span trim(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		n--;
	struct span s = {p, n};
	return s;
}

/* A decimal uint64 at *s (advanced past it); false when none or overflow. */
static bool take_u64(struct span *s, uint64_t *v)
{
	uint64_t x = 0;
	size_t i = 0;
	while (i < s->n && s->p[i] >= '0' && s->p[i] <= '9') {
		unsigned d = (unsigned)(s->p[i] - '0');
		if (x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
		i++;
	}
	if (i == 0)
		return false;
	s->p += i;
	s->n -= i;
	*v = x;
	return true;
}

static void skip_spaces(struct span *s)
{
	while (s->n && *s->p == ' ')
		s->p++, s->n--;
}

static int bad(struct cprof_error *err, size_t line, struct span key, struct span val)
{
	int n = val.n > 40 ? 40 : (int)val.n;
	return cprof_error_set(err, CPROF_E_CORRUPT, "line %zu: bad value for %.*s: '%.*s%s'", line, (int)key.n,
			       key.p, n, val.p, val.n > 40 ? "..." : "");
}

static int parse_ring(struct span v, uint64_t *ring, size_t *n)
{
	if (!v.n || v.p[0] != '[' || v.p[v.n - 1] != ']')
		return -1;
	struct span s = {v.p + 1, v.n - 2};
	*n = 0;
	skip_spaces(&s);
	while (s.n) {
		uint64_t x;
		if (*n == CPROF_MEMSTATS_PAUSES || !take_u64(&s, &x))
			return -1;
		ring[(*n)++] = x;
		if (s.n && *s.p != ' ')
			return -1;
		skip_spaces(&s);
	}
	return 0;
}

static int parse_value(struct cprof_memstats *ms, struct span key, struct span v, size_t line,
		       struct cprof_error *err)
{
	struct span s = v;
	uint64_t a, b;

	if (span_eq(key, "PauseNs") || span_eq(key, "PauseEnd")) {
		bool ns = span_eq(key, "PauseNs");
		if (parse_ring(v, ns ? ms->pause_ns : ms->pause_end, ns ? &ms->npause_ns : &ms->npause_end))
			return bad(err, line, key, v);
		return 0;
	}
	if (span_eq(key, "GCCPUFraction")) {
		char buf[64];
		char *end;
		if (v.n == 0 || v.n >= sizeof(buf))
			return bad(err, line, key, v);
		memcpy(buf, v.p, v.n);
		buf[v.n] = '\0';
		errno = 0;
		double f = strtod(buf, &end);
		if (*end || errno || !isfinite(f) || strspn(buf, "0123456789.eE+-") != v.n)
			return bad(err, line, key, v);
		ms->gc_cpu_fraction = f;
		ms->has_gc_cpu_fraction = true;
		return 0;
	}
	if (span_eq(key, "DebugGC")) {
		if (!span_eq(v, "true") && !span_eq(v, "false"))
			return bad(err, line, key, v);
		ms->debug_gc = span_eq(v, "true");
		ms->has_debug_gc = true;
		return 0;
	}
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(pairs); i++) {
		if (!span_eq(key, pairs[i].key))
			continue;
		if (!take_u64(&s, &a))
			return bad(err, line, key, v);
		skip_spaces(&s);
		if (!s.n || *s.p != '/')
			return bad(err, line, key, v);
		s.p++, s.n--;
		skip_spaces(&s);
		if (!take_u64(&s, &b) || s.n)
			return bad(err, line, key, v);
		ms->v[pairs[i].a] = a;
		ms->v[pairs[i].b] = b;
		ms->has[pairs[i].a] = ms->has[pairs[i].b] = true;
		return 0;
	}
	for (size_t i = 0; i < CPROF_MS__COUNT; i++) {
		if (!span_eq(key, names[i]))
			continue;
		if (!take_u64(&s, &a) || s.n)
			return bad(err, line, key, v);
		ms->v[i] = a;
		ms->has[i] = true;
		return 0;
	}
	return 0; /* a field this version does not know */
}

int cprof_memstats_parse(const char *text, size_t len, struct cprof_memstats *ms, struct cprof_error *err)
{
	const char *e = text + len;
	size_t lineno = 0;
	bool in = false;

	memset(ms, 0, sizeof(*ms));
	for (const char *q = text; q < e;) {
		const char *nl = memchr(q, '\n', (size_t)(e - q));
		struct span l = trim(q, (size_t)((nl ? nl : e) - q));
		q = nl ? nl + 1 : e;
		lineno++;
		if (!in) {
			if (span_eq(l, "# runtime.MemStats")) {
				in = true;
				ms->line = lineno;
			}
			continue;
		}
		if (!l.n || l.p[0] != '#')
			break;
		struct span body = trim(l.p + 1, l.n - 1);
		const char *eq = memchr(body.p, '=', body.n);
		if (!eq)
			continue;
		struct span key = trim(body.p, (size_t)(eq - body.p));
		struct span val = trim(eq + 1, (size_t)(body.p + body.n - eq - 1));
		if (parse_value(ms, key, val, lineno, err))
			return -1;
	}
	if (!in)
		return cprof_error_set(err, CPROF_E_FORMAT, "no '# runtime.MemStats' block found");
	return 0;
}
