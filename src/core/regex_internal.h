/*
 * regex_internal.h - what regex.c, regex_syntax.c and the generated table
 * of Unicode classes (regex_unicode.c) share.
 */
#ifndef CPROF_REGEX_INTERNAL_H
#define CPROF_REGEX_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "cprof/util.h"

#define RX_MAX_RUNE 0x10ffffu
#define RX_RUNE_ERROR 0xfffdu

enum rx_ukind { RX_UANY, RX_UCATEGORY, RX_USCRIPT };

/* One name of \p{Name}, as Go's unicode package has it. */
struct rx_uclass {
	const char *name;
	enum rx_ukind kind;
	/* length of the rune list Go's parser keeps for \p{Name}, without and with (?i) */
	uint32_t nrunes, nrunes_fold;
	/*
	 * The runes outside the class that (?i) adds to it (the ones whose case
	 * folding meets the class), as nfold [lo, hi] pairs; NULL when none.
	 */
	const uint32_t *fold;
	size_t nfold;
};

/* Sorted by name (strcmp). */
extern const struct rx_uclass rx_uclasses[];
extern const size_t rx_nuclasses;

/*
 * Decode the UTF-8 sequence at s (before end) as Go's utf8.DecodeRune does:
 * stores the rune and returns its length; returns 0 at end (rune
 * RX_RUNE_ERROR) and -1 for a byte that does not start a valid sequence
 * (overlong forms, surrogates and values past U+10FFFF included).
 */
static inline int rx_utf8_decode(const unsigned char *s, const unsigned char *end, uint32_t *r)
{
	*r = RX_RUNE_ERROR;
	if (s >= end)
		return 0;
	unsigned c = s[0];
	if (c < 0x80) {
		*r = c;
		return 1;
	}
	int n;
	unsigned lo = 0x80, hi = 0xbf;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
	else
		return -1;
	if (end - s < n || s[1] < lo || s[1] > hi)
		return -1;
	uint32_t v = c & (0x7fu >> n);
	for (int i = 1; i < n; i++) {
		if (i > 1 && (s[i] < 0x80 || s[i] > 0xbf))
			return -1;
		v = v << 6 | (s[i] & 0x3fu);
	}
	*r = v;
	return n;
}

#endif

/*
 * The fallback matcher (regex_vm.c): the pattern compiled to a program of
 * Go's shape and run by a Pike VM (every thread in step over the text, a
 * state taken once per position), in time linear in the text whatever the
 * pattern. regex.c uses it when PCRE2's backtracking gives up.
 */
enum rx_iop {
	RX_I_RUNE,  /* x: the rune */
	RX_I_SET,   /* x: index into set */
	RX_I_ANY,   /* any rune */
	RX_I_ANYNL, /* any rune but \n */
	RX_I_BOL,
	RX_I_EOL,
	RX_I_BOT,
	RX_I_EOT,
	RX_I_WB,
	RX_I_NWB,
	RX_I_SPLIT, /* x first, then y */
	RX_I_JMP,   /* x */
	RX_I_SAVE,  /* x: slot, 2 * group + (0 start, 1 end) */
	RX_I_MATCH,
};

struct rx_inst {
	uint8_t op;
	uint32_t x, y;
};

/*
 * A class: sorted [lo, hi] pairs (negated when neg) when exact, else the
 * PCRE2 translation of the class, matching one rune.
 */
struct rx_set {
	uint32_t *r;
	size_t nr;
	bool neg, exact;
	char *pcre;
	void *code;         /* regex_vm.c: the compiled pcre */
	uint8_t ascii[16];  /* regex_vm.c: membership of runes below 128 */
};

struct rx_prog {
	struct rx_inst *inst;
	size_t ninst;
	struct rx_set *set;
	size_t nset;
	int ncap; /* Go's groups */
	void *vm; /* regex_vm.c */
};

/* Programs stop here (instructions): past it, rx_prog_make() gives NULL. */
#define RX_PROG_MAX (1u << 21)

/* regex_syntax.c: the program of a pattern cprof_regex_translate() accepts, or NULL. */
struct rx_prog *rx_prog_make(const char *pattern, size_t len);
/*
 * regex_vm.c: search s for Go's leftmost-first match; with ncap > 0 store
 * the offsets of the match and groups as cprof_regex_find() does. Returns
 * 1 (match), 0 (none) or -1 (the program cannot run: too big to hold).
 */
int rx_prog_search(struct rx_prog *p, const char *s, size_t len, long *ovec, int ncap);
void rx_prog_free(struct rx_prog *p);
