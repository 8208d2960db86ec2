/*
 * util.h - the small pieces every part of cprof uses: checked allocation,
 * one growable-array macro, overflow-checked size arithmetic.
 *
 * Out of memory is the one condition library code does not return as an
 * error: cprof_xmalloc() and friends print one line and exit with status 2.
 * Threading an ENOMEM path through every parser would add code that is never
 * exercised; a profile analyser that cannot allocate cannot do anything
 * useful either.
 */
#ifndef CPROF_UTIL_H
#define CPROF_UTIL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define CPROF_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define CPROF_NONE UINT32_MAX /* "no index" for uint32_t index fields */

#if defined(__GNUC__)
#define CPROF_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define CPROF_NORETURN __attribute__((noreturn))
#define CPROF_UNUSED __attribute__((unused))
#else
#define CPROF_PRINTF(f, a)
#define CPROF_NORETURN
#define CPROF_UNUSED
#endif

/*
 * Set from a signal handler (the interactive shell's Ctrl-C) when the user
 * asks the running report to stop. Long loops poll cprof_interrupted()
 * and give up with an error; nothing sets it in batch mode.
 */
extern volatile sig_atomic_t cprof_interrupt;
static inline bool cprof_interrupted(void)
{
	return cprof_interrupt != 0;
}

void *cprof_xmalloc(size_t size);
void *cprof_xcalloc(size_t n, size_t size);
void *cprof_xrealloc(void *ptr, size_t size);
char *cprof_xstrdup(const char *s);
char *cprof_xstrndup(const char *s, size_t n);
CPROF_NORETURN void cprof_die_oom(void);

/* a * b, or exit through cprof_die_oom() on overflow */
size_t cprof_st_mult(size_t a, size_t b);
/* a + b, or exit through cprof_die_oom() on overflow */
size_t cprof_st_add(size_t a, size_t b);

/* The grow rule: at least nr, and 1.5x the old allocation + 16. */
#define CPROF_ALLOC_NR(x) (((x) + 16) * 3 / 2)

/*
 * Make room for at least nr elements in x (whose allocated element count is
 * alloc). The one and only realloc-doubling idiom in the tree.
 */
#define ALLOC_GROW(x, nr, alloc)                                                \
	do {                                                                        \
		if ((size_t)(nr) > (alloc)) {                                           \
			size_t alloc_grow_n_ = CPROF_ALLOC_NR(alloc);                       \
			if (alloc_grow_n_ < (size_t)(nr))                                   \
				alloc_grow_n_ = (nr);                                           \
			(x) = cprof_xrealloc((x), cprof_st_mult(alloc_grow_n_, sizeof(*(x)))); \
			(alloc) = alloc_grow_n_;                                            \
		}                                                                       \
	} while (0)

/*
 * int64 arithmetic as Go does it: sums, products and negations of sample
 * values wrap around (two's complement) where C's signed overflow is
 * undefined, so profiles whose values reach the ends of int64 print what
 * pprof prints. Computed in uint64_t, whose conversion back to int64_t
 * GCC and Clang define as modulo 2^64.
 */
static inline int64_t cprof_add_wrap(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

static inline int64_t cprof_mul_wrap(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a * (uint64_t)b);
}

static inline int64_t cprof_neg_wrap(int64_t a)
{
	return (int64_t)(0 - (uint64_t)a);
}

/* Go's a / b for b != 0: INT64_MIN / -1 is INT64_MIN (in C it traps). */
static inline int64_t cprof_div_wrap(int64_t a, int64_t b)
{
	return b == -1 ? cprof_neg_wrap(a) : a / b;
}

/*
 * Go's UTF-8 rules, for the widths Go's fmt and text/tabwriter count in
 * runes: cprof_utf8_size() is the length of the rune at s[0..n) (n > 0)
 * as utf8.DecodeRune reads it, 1 for a byte that does not start a valid
 * sequence (overlong forms, surrogates, beyond U+10FFFF, cut short);
 * cprof_utf8_runes() is utf8.RuneCount (each such byte one rune).
 */
size_t cprof_utf8_size(const char *s, size_t n);
size_t cprof_utf8_runes(const char *s, size_t n);

/* Sign-agnostic absolute value for int64 (INT64_MIN stays INT64_MIN, as in Go). */
static inline int64_t cprof_abs64(int64_t v)
{
	return v < 0 ? cprof_neg_wrap(v) : v;
}

/*
 * Go's int64(f) as amd64 computes it (CVTTSD2SQ): truncation toward zero,
 * and 0x8000000000000000 (INT64_MIN) for NaN and for anything out of
 * range, where the C conversion is undefined.
 */
static inline int64_t cprof_f2i(double f)
{
	if (!(f > -9223372036854775808.0 && f < 9223372036854775808.0))
		return INT64_MIN;
	return (int64_t)f;
}

#endif
