/*
 * logscan.h - a bounds-checked cursor over one line of a text log, shared
 * by the runtime-log parsers (gctrace.c, schedtrace.c). Private to formats/.
 *
 * Every reader takes the cursor, checks the bytes before it looks at them,
 * and on success moves past what it read; on failure the cursor may have
 * moved (callers that retry save a copy first). Numbers never overflow:
 * integers saturate, and more than 18 significant digits are ignored.
 */
#ifndef CPROF_FORMATS_LOGSCAN_H
#define CPROF_FORMATS_LOGSCAN_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct cur {
	const char *p; /* next byte */
	const char *e; /* one past the last byte */
};

/* The readers are small and called with constant literals: inline them so
 * memcmp of a known length becomes a few compares. */
#if defined(__GNUC__)
#define LOGSCAN_INLINE static inline __attribute__((always_inline))
#else
#define LOGSCAN_INLINE static inline
#endif

LOGSCAN_INLINE bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static inline bool only_space(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return false;
	return true;
}

LOGSCAN_INLINE bool cur_litn(struct cur *c, const char *s, size_t n)
{
	if ((size_t)(c->e - c->p) < n || memcmp(c->p, s, n))
		return false;
	c->p += n;
	return true;
}
/* Match a string literal. */
#define cur_lit(c, s) cur_litn((c), (s), sizeof(s) - 1)

LOGSCAN_INLINE bool cur_ch(struct cur *c, char ch)
{
	if (c->p < c->e && *c->p == ch) {
		c->p++;
		return true;
	}
	return false;
}

/* Whether s occurs in the rest of the line (the cursor does not move). */
#define cur_find(c, s) (memmem((c)->p, (size_t)((c)->e - (c)->p), (s), sizeof(s) - 1) != NULL)

/* One or more digits. */
LOGSCAN_INLINE bool cur_u64(struct cur *c, uint64_t *v)
{
	const char *p = c->p;
	uint64_t x = 0;
	/* up to 19 digits cannot overflow; past that, saturate */
	while (p < c->e && is_digit(*p) && p - c->p < 19)
		x = x * 10 + (unsigned)(*p++ - '0');
	while (p < c->e && is_digit(*p)) {
		unsigned d = (unsigned)(*p++ - '0');
		x = x > (UINT64_MAX - d) / 10 ? UINT64_MAX : x * 10 + d;
	}
	if (p == c->p)
		return false;
	c->p = p;
	*v = x;
	return true;
}

/* ["-"] digits, saturating at the int64 range. */
LOGSCAN_INLINE bool cur_i64(struct cur *c, int64_t *v)
{
	struct cur s = *c;
	bool neg = cur_ch(&s, '-');
	uint64_t u;
	if (!cur_u64(&s, &u))
		return false;
	if (u > (uint64_t)INT64_MAX)
		u = (uint64_t)INT64_MAX;
	*v = neg ? -(int64_t)u : (int64_t)u;
	*c = s;
	return true;
}

static const double logscan_pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8, 1e9,
				       1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};

/* digits ["." digits]: the decimals the runtime prints for times and percentages. */
LOGSCAN_INLINE bool cur_dec(struct cur *c, double *v)
{
	uint64_t ip;
	if (!cur_u64(c, &ip))
		return false;
	double x = (double)ip;
	if (c->p + 1 < c->e && *c->p == '.' && is_digit(c->p[1])) {
		const char *p = ++c->p;
		uint64_t f = 0;
		unsigned nf = 0;
		for (; p < c->e && is_digit(*p); p++)
			if (nf < 18) {
				f = f * 10 + (unsigned)(*p - '0');
				nf++;
			}
		c->p = p;
		x += (double)f / logscan_pow10[nf];
	}
	*v = x;
	return true;
}

/*
 * The runtime's printfloat: [+-]d.dddddde[+-]ddd, "NaN", "+Inf", "-Inf";
 * also plain decimals with an optional sign and exponent.
 */
static inline bool cur_rtfloat(struct cur *c, double *v)
{
	struct cur s = *c;
	if (cur_lit(&s, "NaN")) {
		*v = NAN;
		*c = s;
		return true;
	}
	bool neg = false;
	if (cur_ch(&s, '-'))
		neg = true;
	else
		(void)cur_ch(&s, '+');
	if (cur_lit(&s, "Inf")) {
		*v = neg ? -INFINITY : INFINITY;
		*c = s;
		return true;
	}
	double x;
	if (!cur_dec(&s, &x))
		return false;
	if (s.p < s.e && (*s.p == 'e' || *s.p == 'E')) {
		struct cur t = s;
		t.p++;
		bool eneg = false;
		if (cur_ch(&t, '-'))
			eneg = true;
		else
			(void)cur_ch(&t, '+');
		uint64_t ex;
		if (cur_u64(&t, &ex)) {
			if (ex > 400)
				ex = 400;
			x = eneg ? x / pow(10, (double)ex) : x * pow(10, (double)ex);
			s = t;
		}
	}
	*v = neg ? -x : x;
	*c = s;
	return true;
}

#endif
