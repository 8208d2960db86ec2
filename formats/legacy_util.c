/*
 * legacy_util.c - what the legacy parsers share (see legacy.h): Go's line
 * scanner, TrimSpace, strconv and float conversions, the location table,
 * renumbering, drop_frames lists.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/legacy.h"

/* ---- text ----------------------------------------------------------------- */

bool span_eq(struct span s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && memcmp(s.p, lit, n) == 0;
}

bool span_has_prefix(struct span s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n >= n && memcmp(s.p, lit, n) == 0;
}

bool span_contains(struct span s, const char *lit)
{
	size_t n = strlen(lit);
	return n == 0 || (s.n >= n && memmem(s.p, s.n, lit, n) != NULL);
}

static bool ascii_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/*
 * The UTF-8 encodings of the non-ASCII code points unicode.IsSpace accepts:
 * U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F,
 * U+3000. Returns the length of the one s starts with (at most n bytes), or 0.
 */
static size_t unicode_space_at(const unsigned char *s, size_t n)
{
	if (n >= 2 && s[0] == 0xc2 && (s[1] == 0x85 || s[1] == 0xa0))
		return 2;
	if (n < 3)
		return 0;
	if (s[0] == 0xe1 && s[1] == 0x9a && s[2] == 0x80)
		return 3;
	if (s[0] == 0xe2 && s[1] == 0x80 && ((s[2] >= 0x80 && s[2] <= 0x8a) || s[2] == 0xa8 || s[2] == 0xa9 || s[2] == 0xaf))
		return 3;
	if (s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0x9f)
		return 3;
	if (s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;
	return 0;
}

struct span go_trim_space(struct span s)
{
	const unsigned char *p = (const unsigned char *)s.p;
	size_t b = 0, e = s.n, k;

	while (b < e) {
		if (ascii_space(p[b]))
			b++;
		else if (p[b] >= 0x80 && (k = unicode_space_at(p + b, e - b)) != 0)
			b += k;
		else
			break;
	}
	while (e > b) {
		if (ascii_space(p[e - 1])) {
			e--;
			continue;
		}
		/* the last rune: its encoding must end exactly at e */
		if (e - b >= 2 && unicode_space_at(p + e - 2, 2) == 2)
			e -= 2;
		else if (e - b >= 3 && unicode_space_at(p + e - 3, 3) == 3)
			e -= 3;
		else
			break;
	}
	return span_make(s.p + b, e - b);
}

bool is_space_or_comment(struct span s)
{
	struct span t = go_trim_space(s);
	return t.n == 0 || t.p[0] == '#';
}

bool is_memory_map_sentinel(struct span s)
{
	return span_contains(s, "--- Memory map: ---") || span_contains(s, "MAPPED_LIBRARIES:");
}

static bool hex_lower(int c)
{
	return re_digit(c) || (c >= 'a' && c <= 'f');
}

bool next_hex_number(struct span s, size_t *pos, struct span *out)
{
	for (size_t i = *pos; i + 2 < s.n; i++) {
		if (s.p[i] != '0' || s.p[i + 1] != 'x' || !hex_lower((unsigned char)s.p[i + 2]))
			continue;
		size_t e = i + 3;
		while (e < s.n && hex_lower((unsigned char)s.p[e]))
			e++;
		*out = span_make(s.p + i, e - i);
		*pos = e;
		return true;
	}
	*pos = s.n;
	return false;
}

/* ---- bufio.Scanner -------------------------------------------------------- */

void lscan_init(struct line_scanner *s, const char *data, size_t len)
{
	memset(s, 0, sizeof(*s));
	s->data = data;
	s->len = len;
	s->text = span_make(data, 0);
}

bool lscan_next(struct line_scanner *s)
{
	s->text = span_make(s->data + s->pos, 0);
	if (s->too_long || s->pos >= s->len)
		return false;
	const char *b = s->data + s->pos;
	size_t rest = s->len - s->pos;
	const char *nl = memchr(b, '\n', rest < GO_MAX_TOKEN ? rest : GO_MAX_TOKEN);
	size_t n;
	if (nl) {
		n = (size_t)(nl - b);
		s->pos += n + 1;
	} else if (rest < GO_MAX_TOKEN) {
		n = rest;
		s->pos = s->len;
	} else {
		/* no room for the line in Go's 64 KiB buffer */
		s->too_long = true;
		return false;
	}
	if (n && b[n - 1] == '\r')
		n--;
	s->text = span_make(b, n);
	s->lineno++;
	return true;
}

bool lscan_next_head(struct line_scanner *s, bool *cut)
{
	size_t rest = s->pos < s->len ? s->len - s->pos : 0;
	*cut = false;
	if (s->too_long)
		return false;
	if (rest < GO_MAX_TOKEN && !memchr(s->data + s->pos, '\n', rest)) {
		*cut = true;
		return false;
	}
	return lscan_next(s);
}

int lscan_err(const struct line_scanner *s, struct cprof_error *err)
{
	if (!s->too_long)
		return 0;
	return cprof_error_set(err, CPROF_E_CORRUPT,
			       "parsing profile: bufio.Scanner: token too long");
}

/* ---- strconv -------------------------------------------------------------- */

static int lower(int c)
{
	return c | 0x20;
}

/* strconv.Quote for the strings the parsers quote (ASCII; other bytes as \xNN). */
static void go_quote(struct span s, char *out, size_t size)
{
	size_t o = 0;
#define PUT(c)                     \
	do {                           \
		if (o + 1 < size)          \
			out[o++] = (char)(c);  \
	} while (0)
	PUT('"');
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		const char *esc = NULL;
		switch (c) {
		case '\a': esc = "\\a"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		case '\v': esc = "\\v"; break;
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		}
		if (esc) {
			PUT(esc[0]);
			PUT(esc[1]);
		} else if (c >= 0x20 && c < 0x7f) {
			PUT(c);
		} else {
			static const char hex[] = "0123456789abcdef";
			PUT('\\');
			PUT('x');
			PUT(hex[c >> 4]);
			PUT(hex[c & 15]);
		}
	}
	PUT('"');
#undef PUT
	if (size)
		out[o < size ? o : size - 1] = '\0';
}

static int num_error(const char *fn, struct span num, const char *what, char *msg, size_t size)
{
	if (msg && size) {
		char q[256];
		go_quote(num, q, sizeof(q));
		snprintf(msg, size, "strconv.%s: parsing %s: %s", fn, q, what);
	}
	return -1;
}

/* strconv's underscoreOK: underscores only between digits (base 0 only). */
static bool underscore_ok(struct span s)
{
	char saw = '^';
	size_t i = 0;
	bool hex = false;
	const char *p = s.p;
	size_t n = s.n;

	if (n >= 1 && (p[0] == '-' || p[0] == '+'))
		p++, n--;
	if (n >= 2 && p[0] == '0' && (lower(p[1]) == 'b' || lower(p[1]) == 'o' || lower(p[1]) == 'x')) {
		i = 2;
		saw = '0';
		hex = lower(p[1]) == 'x';
	}
	for (; i < n; i++) {
		if (re_digit(p[i]) || (hex && lower(p[i]) >= 'a' && lower(p[i]) <= 'f')) {
			saw = '0';
			continue;
		}
		if (p[i] == '_') {
			if (saw != '0')
				return false;
			saw = '_';
			continue;
		}
		if (saw == '_')
			return false;
		saw = '!';
	}
	return saw != '_';
}

enum { NUM_OK, NUM_SYNTAX, NUM_RANGE };

static int parse_uint(struct span s0, int base, uint64_t *out)
{
	struct span s = s0;
	bool base0 = false, underscores = false;
	uint64_t n = 0;

	*out = 0;
	if (s.n == 0)
		return NUM_SYNTAX;
	if (base == 0) {
		base = 10;
		if (s.p[0] == '0') {
			if (s.n >= 3 && lower(s.p[1]) == 'b')
				base = 2, s.p += 2, s.n -= 2;
			else if (s.n >= 3 && lower(s.p[1]) == 'o')
				base = 8, s.p += 2, s.n -= 2;
			else if (s.n >= 3 && lower(s.p[1]) == 'x')
				base = 16, s.p += 2, s.n -= 2;
			else
				base = 8, s.p += 1, s.n -= 1;
		}
		base0 = true;
	}
	uint64_t cutoff = UINT64_MAX / (uint64_t)base + 1;
	for (size_t i = 0; i < s.n; i++) {
		int c = (unsigned char)s.p[i], d;
		if (c == '_' && base0) {
			underscores = true;
			continue;
		} else if (re_digit(c)) {
			d = c - '0';
		} else if (lower(c) >= 'a' && lower(c) <= 'z') {
			d = lower(c) - 'a' + 10;
		} else {
			return NUM_SYNTAX;
		}
		if (d >= base)
			return NUM_SYNTAX;
		if (n >= cutoff) {
			*out = UINT64_MAX;
			return NUM_RANGE;
		}
		n *= (uint64_t)base;
		uint64_t n1 = n + (uint64_t)d;
		if (n1 < n) {
			*out = UINT64_MAX;
			return NUM_RANGE;
		}
		n = n1;
	}
	if (underscores && !underscore_ok(s0))
		return NUM_SYNTAX;
	*out = n;
	return NUM_OK;
}

int go_parse_uint(struct span s, int base, uint64_t *out, char *msg, size_t msgsize)
{
	switch (parse_uint(s, base, out)) {
	case NUM_SYNTAX:
		*out = 0;
		return num_error("ParseUint", s, "invalid syntax", msg, msgsize);
	case NUM_RANGE:
		return num_error("ParseUint", s, "value out of range", msg, msgsize);
	}
	return 0;
}

int go_parse_int(struct span s0, int base, int64_t *out, char *msg, size_t msgsize)
{
	struct span s = s0;
	bool neg = false;
	uint64_t un;

	*out = 0;
	if (s.n == 0)
		return num_error("ParseInt", s0, "invalid syntax", msg, msgsize);
	if (s.p[0] == '+') {
		s.p++, s.n--;
	} else if (s.p[0] == '-') {
		neg = true;
		s.p++, s.n--;
	}
	int r = parse_uint(s, base, &un);
	if (r == NUM_SYNTAX)
		return num_error("ParseInt", s0, "invalid syntax", msg, msgsize);
	const uint64_t cutoff = (uint64_t)1 << 63;
	if (!neg && un >= cutoff) {
		*out = INT64_MAX;
		return num_error("ParseInt", s0, "value out of range", msg, msgsize);
	}
	if (neg && un > cutoff) {
		*out = INT64_MIN;
		return num_error("ParseInt", s0, "value out of range", msg, msgsize);
	}
	*out = neg ? (int64_t)(0 - un) : (int64_t)un;
	return 0;
}

/* ---- floating point as Go does it ----------------------------------------- */

int64_t go_f2i(double f)
{
	/* CVTTSD2SQ: truncation; NaN and out of range give the "integer indefinite" */
	if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0))
		return INT64_MIN;
	return (int64_t)f;
}

static bool cpu_has_fma(void)
{
#if defined(__x86_64__) && defined(__GNUC__)
	static int has = -1;
	if (has < 0) {
		__builtin_cpu_init();
		has = __builtin_cpu_supports("avx") && __builtin_cpu_supports("fma");
	}
	return has;
#else
	return false;
#endif
}

static double bits_double(uint64_t b)
{
	double d;
	memcpy(&d, &b, sizeof(d));
	return d;
}

/*
 * math.Exp of Go 1.19 on amd64 (math/exp_amd64.s): a reduction by ln 2,
 * a Taylor series of x/16 squared back four times, then a scaling by
 * 2^k; with fused multiply-adds when the CPU has FMA and AVX, as Go
 * chooses at start-up. It differs from the C library's exp() in the last
 * bit for some inputs, and pprof's heap scaling truncates its result.
 */
double go_exp(double x)
{
	const double ln2u = 0.69314718055966295651160180568695068359375;
	const double ln2l = 0.28235290563031577122588448175013436025525412068e-12;
	const double log2e = 1.4426950408889634073599246810018920;
	const double c[] = {0.5,
			    1.0,
			    2.0,
			    1.6666666666666666667e-1,
			    4.1666666666666666667e-2,
			    8.3333333333333333333e-3,
			    1.3888888888888888889e-3,
			    1.9841269841269841270e-4,
			    2.4801587301587301587e-5};
	uint64_t bits;

	memcpy(&bits, &x, sizeof(bits));
	if ((bits & ~(1ULL << 63)) >= 0x7ff0000000000000ULL) /* NaN or infinite */
		return bits == 0xfff0000000000000ULL ? 0 : x;
	if (x > 7.09782712893384e+02)
		return bits_double(0x7ff0000000000000ULL);

	/* CVTSD2SL: round to nearest even, out of int32 range gives INT32_MIN */
	double r = nearbyint(log2e * x);
	int32_t k = (r >= -2147483648.0 && r <= 2147483647.0) ? (int32_t)r : INT32_MIN;
	double fk = (double)k, y, t;

	if (cpu_has_fma()) {
		y = fma(-ln2u, fk, x);
		y = fma(-ln2l, fk, y);
		y *= 0.0625;
		t = c[8];
		t = fma(t, y, c[7]);
		t = fma(t, y, c[6]);
		t = fma(t, y, c[5]);
		t = fma(t, y, c[4]);
		t = fma(t, y, c[3]);
		t = fma(t, y, c[0]);
		t = fma(t, y, c[1]);
		y *= t;
		for (int i = 0; i < 3; i++) {
			t = y + c[2];
			y *= t;
		}
		t = y + c[2];
		y = fma(t, y, c[1]);
	} else {
		volatile double v; /* keep each product rounded on its own */
		v = ln2u * fk;
		y = x - v;
		v = ln2l * fk;
		y = y - v;
		y *= 0.0625;
		t = c[8];
		for (int i = 7; i >= 3; i--) {
			v = t * y;
			t = v + c[i];
		}
		v = t * y;
		t = v + c[0];
		v = t * y;
		t = v + c[1];
		y *= t;
		for (int i = 0; i < 4; i++) {
			t = c[2] + y;
			y *= t;
		}
		y += c[1];
	}

	/* y * 2^k, through the bias arithmetic of the assembly (32-bit) */
	int64_t e = (int64_t)k + 0x3ff;
	if (e > 0) {
		if (e >= 0x7ff)
			return bits_double(0x7ff0000000000000ULL);
		return y * bits_double((uint64_t)e << 52);
	}
	if (e < -52)
		return 0;
	y *= bits_double((uint64_t)(e + 0x3fe) << 52);
	return y * bits_double(1ULL << 52);
}

/* scaleHeapSample: undo the Poisson sampling at mean rate `rate`. */
void legacy_scale_heap(int64_t *count, int64_t *size, int64_t rate)
{
	if (*count == 0 || *size == 0) {
		*count = *size = 0;
		return;
	}
	if (rate <= 1)
		return;
	double avg = (double)*size / (double)*count;
	double scale = 1 / (1 - go_exp(-avg / (double)rate));
	*count = go_f2i((double)*count * scale);
	*size = go_f2i((double)*size * scale);
}

/* ---- the location table --------------------------------------------------- */

static size_t addr_slot(const struct addr_map *m, uint64_t addr)
{
	uint64_t h = addr * 0x9e3779b97f4a7c15ULL;
	size_t mask = m->size - 1;
	size_t i = (size_t)(h >> 32) & mask;
	while (m->val[i] != CPROF_NONE && m->key[i] != addr)
		i = (i + 1) & mask;
	return i;
}

uint32_t addr_map_get(const struct addr_map *m, uint64_t addr)
{
	if (!m->size)
		return CPROF_NONE;
	return m->val[addr_slot(m, addr)];
}

void addr_map_put(struct addr_map *m, uint64_t addr, uint32_t val)
{
	if ((m->count + 1) * 2 > m->size) {
		struct addr_map n = {0};
		n.size = m->size ? m->size * 2 : 256;
		n.key = cprof_xmalloc(cprof_st_mult(n.size, sizeof(*n.key)));
		n.val = cprof_xmalloc(cprof_st_mult(n.size, sizeof(*n.val)));
		memset(n.val, 0xff, n.size * sizeof(*n.val));
		for (size_t i = 0; i < m->size; i++)
			if (m->val[i] != CPROF_NONE) {
				size_t j = addr_slot(&n, m->key[i]);
				n.key[j] = m->key[i];
				n.val[j] = m->val[i];
			}
		n.count = m->count;
		addr_map_release(m);
		*m = n;
	}
	size_t i = addr_slot(m, addr);
	if (m->val[i] == CPROF_NONE)
		m->count++;
	m->key[i] = addr;
	m->val[i] = val;
}

void addr_map_release(struct addr_map *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}

/* ---- building ------------------------------------------------------------- */

void legacy_init(struct legacy *lp)
{
	memset(lp, 0, sizeof(*lp));
	lp->p = cprof_profile_new();
}

void legacy_release(struct legacy *lp)
{
	legacy_comments_free(lp);
	cprof_profile_free(lp->p);
	addr_map_release(&lp->locs);
	free(lp->addrs);
	free(lp->stack);
	memset(lp, 0, sizeof(*lp));
}

uint32_t legacy_location(struct legacy *lp, uint64_t addr)
{
	uint32_t i = addr_map_get(&lp->locs, addr);
	if (i != CPROF_NONE)
		return i;
	struct cprof_location *l = cprof_profile_add_location(lp->p);
	l->address = addr;
	i = (uint32_t)(lp->p->nlocation - 1);
	addr_map_put(&lp->locs, addr, i);
	return i;
}

void legacy_push_addr(struct legacy *lp, uint64_t addr)
{
	ALLOC_GROW(lp->addrs, lp->naddrs + 1, lp->aaddrs);
	lp->addrs[lp->naddrs++] = addr;
}

int legacy_add_sample(struct legacy *lp, size_t adjust_from, const int64_t *value, size_t nvalue,
		      struct cprof_error *err)
{
	struct cprof_profile *p = lp->p;
	size_t n = lp->naddrs;

	lp->naddrs = 0;
	if (n > cprof_limits.max_depth)
		return cprof_error_set(err, CPROF_E_LIMIT,
				       "parsing profile: sample %zu has more than %u frames", p->nsample,
				       cprof_limits.max_depth);
	uint32_t *loc = cprof_arena_alloc(&p->arena, cprof_st_mult(n ? n : 1, sizeof(*loc)));
	for (size_t i = 0; i < n; i++)
		loc[i] = legacy_location(lp, i >= adjust_from ? lp->addrs[i] - 1 : lp->addrs[i]);
	struct cprof_sample *s = cprof_profile_add_sample(p);
	s->loc = loc;
	s->nloc = (uint32_t)n;
	s->value = cprof_arena_memdup(&p->arena, value, nvalue, sizeof(*value));
	return 0;
}

void legacy_add_num_label(struct legacy *lp, const char *key, int64_t num)
{
	struct cprof_profile *p = lp->p;
	struct cprof_sample *s = &p->sample[p->nsample - 1];
	struct cprof_label *l = cprof_arena_calloc(&p->arena, 1, sizeof(*l));
	l->key = cprof_profile_str(p, key);
	l->num = num;
	l->num_unit = cprof_profile_str(p, "");
	s->label = l;
	s->nlabel = 1;
}

void legacy_set_types(struct legacy *lp, const char *const *types, const char *const *units, size_t n)
{
	struct cprof_value_type vt[4];
	for (size_t i = 0; i < n && i < CPROF_ARRAY_SIZE(vt); i++) {
		vt[i].type = types[i];
		vt[i].unit = units[i];
	}
	cprof_profile_set_sample_types(lp->p, vt, n);
}

void legacy_set_period_type(struct legacy *lp, const char *type, const char *unit)
{
	lp->p->period_type.type = cprof_profile_str(lp->p, type);
	lp->p->period_type.unit = cprof_profile_str(lp->p, unit);
}

/* ---- renumbering ---------------------------------------------------------- */

/* remapLocationIDs: locations in order of first use by a sample; unused ones go. */
static void remap_locations(struct cprof_profile *p)
{
	uint32_t *newidx = cprof_xmalloc(cprof_st_mult(p->nlocation ? p->nlocation : 1, sizeof(*newidx)));
	struct cprof_location *nl = cprof_xmalloc(cprof_st_mult(p->nlocation ? p->nlocation : 1, sizeof(*nl)));
	uint32_t n = 0;

	memset(newidx, 0xff, p->nlocation * sizeof(*newidx));
	for (size_t i = 0; i < p->nsample; i++) {
		struct cprof_sample *s = &p->sample[i];
		for (uint32_t j = 0; j < s->nloc; j++) {
			uint32_t old = s->loc[j];
			if (newidx[old] == CPROF_NONE) {
				nl[n] = p->location[old];
				nl[n].id = n + 1;
				newidx[old] = n++;
			}
			s->loc[j] = newidx[old];
		}
	}
	free(p->location);
	free(newidx);
	p->location = nl;
	p->nlocation = n;
	p->alocation = p->nlocation ? p->nlocation : 1;
}

/* remapFunctionIDs: functions in order of first use by a location; unused ones go. */
static void remap_functions(struct cprof_profile *p)
{
	size_t nf = p->nfunction ? p->nfunction : 1;
	uint32_t *newidx = cprof_xmalloc(cprof_st_mult(nf, sizeof(*newidx)));
	struct cprof_function *nfn = cprof_xmalloc(cprof_st_mult(nf, sizeof(*nfn)));
	uint32_t n = 0;

	memset(newidx, 0xff, p->nfunction * sizeof(*newidx));
	for (size_t i = 0; i < p->nlocation; i++) {
		struct cprof_location *l = &p->location[i];
		for (uint32_t j = 0; j < l->nline; j++) {
			uint32_t old = l->line[j].fn;
			if (old == CPROF_NONE)
				continue;
			if (newidx[old] == CPROF_NONE) {
				nfn[n] = p->function[old];
				nfn[n].id = n + 1;
				newidx[old] = n++;
			}
			l->line[j].fn = newidx[old];
		}
	}
	free(p->function);
	free(newidx);
	p->function = nfn;
	p->nfunction = n;
	p->afunction = nf;
}

static void remove_mapping(struct cprof_profile *p, size_t at)
{
	memmove(&p->mapping[at], &p->mapping[at + 1], (p->nmapping - at - 1) * sizeof(*p->mapping));
	p->nmapping--;
	for (size_t i = 0; i < p->nlocation; i++) {
		uint32_t *m = &p->location[i].mapping;
		if (*m != CPROF_NONE && *m > at)
			(*m)--;
		else if (*m == at)
			*m = CPROF_NONE;
	}
}

/*
 * remapMappingIDs: fix up the main mapping, attach every location with a
 * non-zero address to the mapping that holds it (or to a fake one covering
 * everything), number the mappings 1..n.
 */
static void remap_mappings(struct cprof_profile *p)
{
	if (p->nmapping > 1 && strncmp(p->mapping[0].file, "/anon_hugepage", 14) == 0 &&
	    p->mapping[0].limit == p->mapping[1].start)
		remove_mapping(p, 0);
	if (p->nmapping > 0) {
		struct cprof_mapping *m = &p->mapping[0];
		if (m->start - m->offset == 0x400000) {
			m->start = 0x400000;
			m->offset = 0;
		}
	}

	uint32_t fake = CPROF_NONE;
	for (size_t i = 0; i < p->nlocation; i++) {
		struct cprof_location *l = &p->location[i];
		uint64_t a = l->address;
		if (l->mapping != CPROF_NONE || a == 0)
			continue;
		for (size_t j = 0; j < p->nmapping && l->mapping == CPROF_NONE; j++)
			if (p->mapping[j].start <= a && a < p->mapping[j].limit)
				l->mapping = (uint32_t)j;
		/* the first part of a mapping split in two, which some writers leave out */
		for (size_t j = 0; j < p->nmapping && l->mapping == CPROF_NONE; j++) {
			struct cprof_mapping *m = &p->mapping[j];
			if (m->offset != 0 && m->start - m->offset <= a && a < m->start) {
				m->start -= m->offset;
				m->offset = 0;
				l->mapping = (uint32_t)j;
			}
		}
		if (l->mapping != CPROF_NONE)
			continue;
		if (fake == CPROF_NONE) {
			struct cprof_mapping *m = cprof_profile_add_mapping(p);
			m->limit = UINT64_MAX;
			fake = (uint32_t)(p->nmapping - 1);
		}
		l->mapping = fake;
	}
	for (size_t i = 0; i < p->nmapping; i++)
		p->mapping[i].id = i + 1;
}

void legacy_remap(struct legacy *lp)
{
	/* location indices change: the address table no longer applies */
	addr_map_release(&lp->locs);
	remap_locations(lp->p);
	remap_functions(lp->p);
	remap_mappings(lp->p);
}

void legacy_drop_duplicate_leaf(struct legacy *lp)
{
	struct cprof_profile *p = lp->p;
	for (size_t i = 0; i < p->nsample; i++) {
		struct cprof_sample *s = &p->sample[i];
		if (s->nloc > 1 && p->location[s->loc[0]].address == p->location[s->loc[1]].address + 1) {
			memmove(&s->loc[1], &s->loc[2], (s->nloc - 2) * sizeof(*s->loc));
			s->nloc--;
		}
	}
}

void legacy_zero_addresses(struct legacy *lp)
{
	for (size_t i = 0; i < lp->p->nlocation; i++)
		lp->p->location[i].address = 0;
}

/* ---- drop_frames for each kind of profile (addLegacyFrameInfo) ------------- */

/* Allocation routines: frames at the top of heap stacks that say nothing. */
static const char alloc_rx[] =
	"calloc|cfree|malloc|free|memalign|do_memalign|(__)?posix_memalign|pvalloc|valloc|realloc|"
	"tcmalloc::.*|tc_calloc|tc_cfree|tc_malloc|tc_free|tc_memalign|tc_posix_memalign|"
	"tc_pvalloc|tc_valloc|tc_realloc|tc_new|tc_delete|tc_newarray|tc_deletearray|"
	"tc_new_nothrow|tc_newarray_nothrow|"
	"malloc_zone_malloc|malloc_zone_calloc|malloc_zone_valloc|malloc_zone_realloc|"
	"malloc_zone_memalign|malloc_zone_free|"
	"runtime\\..*|"
	"BaseArena::.*|(::)?do_malloc_no_errno|(::)?do_malloc_pages|(::)?do_malloc|"
	"DoSampledAllocation|MallocedMemBlock::MallocedMemBlock|_M_allocate|"
	"__builtin_(vec_)?delete|__builtin_(vec_)?new|__gnu_cxx::new_allocator::allocate|"
	"__libc_malloc|__malloc_alloc_template::allocate|allocate|cpp_alloc|"
	"operator new(\\[\\])?|simple_alloc::allocate";
/* Go runtime frames kept although they match the list above. */
static const char alloc_skip_rx[] = "runtime\\.panic|runtime\\.reflectcall|runtime\\.call[0-9]*";
/* The profiler's own frames at the top of CPU stacks. */
static const char cpu_profiler_rx[] =
	"ProfileData::Add|ProfileData::prof_handler|CpuProfiler::prof_handler|"
	"__pthread_sighandler|__restore";
/* Lock routines at the top of contention stacks. */
static const char lock_rx[] =
	"RecordLockProfileData|(base::)?RecordLockProfileData.*|(base::)?SubmitMutexProfileData.*|"
	"(base::)?SubmitSpinLockProfileData.*|(base::Mutex::)?AwaitCommon.*|"
	"(base::Mutex::)?Unlock.*|(base::Mutex::)?UnlockSlow.*|(base::Mutex::)?ReaderUnlock.*|"
	"(base::MutexLock::)?~MutexLock.*|(Mutex::)?AwaitCommon.*|(Mutex::)?Unlock.*|"
	"(Mutex::)?UnlockSlow.*|(Mutex::)?ReaderUnlock.*|(MutexLock::)?~MutexLock.*|"
	"(SpinLock::)?Unlock.*|(SpinLock::)?SlowUnlock.*|(SpinLockHolder::)?~SpinLockHolder.*";

/* Sample type lists (types only, exact) that make a profile a heap profile. */
static const char *const heap_kinds[][5] = {
	{"allocations", "size"},
	{"objects", "space"},
	{"inuse_objects", "inuse_space"},
	{"alloc_objects", "alloc_space"},
	{"alloc_objects", "alloc_space", "inuse_objects", "inuse_space"},
};

static bool has_types(const struct cprof_profile *p, const char *const *t)
{
	size_t n = 0;
	while (n < 5 && t[n])
		n++;
	if (p->nsample_type != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(p->sample_type[i].type, t[i]) != 0)
			return false;
	return true;
}

static void set_frame_info(struct cprof_profile *p)
{
	static const char *const contention[] = {"contentions", "delay", NULL};

	for (size_t i = 0; i < CPROF_ARRAY_SIZE(heap_kinds); i++)
		if (has_types(p, heap_kinds[i])) {
			p->drop_frames = cprof_profile_str(p, alloc_rx);
			p->keep_frames = cprof_profile_str(p, alloc_skip_rx);
			return;
		}
	if (has_types(p, contention)) {
		p->drop_frames = cprof_profile_str(p, lock_rx);
		p->keep_frames = cprof_profile_str(p, "");
		return;
	}
	p->drop_frames = cprof_profile_str(p, cpu_profiler_rx);
	p->keep_frames = cprof_profile_str(p, "");
}

void legacy_done(struct legacy *lp, struct cprof_profile **out)
{
	set_frame_info(lp->p);
	legacy_comments_end(lp);
	*out = lp->p;
	lp->p = NULL;
	legacy_release(lp);
}

int legacy_unrecognized(struct cprof_error *err)
{
	return cprof_error_set(err, CPROF_E_FORMAT, "parsing profile: unrecognized profile format");
}

int legacy_fail(struct cprof_error *err, const char *fmt, ...)
{
	char msg[sizeof(err->msg)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cprof_error_set(err, CPROF_E_CORRUPT, "parsing profile: %s", msg);
}

void legacy_fail_at_line(struct cprof_error *err, size_t lineno)
{
	size_t n = strlen(err->msg);
	if (err->code == CPROF_E_CORRUPT && n + 32 < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - n, ", at line %zu", lineno);
}
