/*
 * regex_syntax.c - Go's regular expression syntax (RE2, as Go 1.19's
 * regexp.Compile reads it), checked and translated into a PCRE2 pattern
 * that matches exactly the same strings (see regex.h).
 *
 * The syntax, with what each construct becomes in the translation:
 *
 *   x             a literal rune                   x, \x{...} or \c (punctuation)
 *   \Q...\E       literal text (to the end without \E)
 *   .             any rune but \n; any with (?s)   [^\n], (?s:.)
 *   [...] [^...]  class: ranges a-z, escapes, \d \s \w \D \S \W, \pN \p{Name}
 *                 \PN \P{^Name}, [:alpha:] [:^alpha:]; ] or - first is literal
 *   \d \s \w      [0-9] [\t\n\f\r ] [0-9A-Za-z_]    explicit ranges (PCRE2's \s has \v)
 *   \pL \p{Greek} Go's categories, scripts, Any     \p{..}; C is Cc|Cf|Co|Cs (no Cn)
 *   ^ $           text start/end; lines with (?m)  \A \z; (?m:^) (?m:$)
 *   \A \z \b \B   text start/end, ASCII word boundary
 *   \a \f \n \r \t \v \123 \x7F \x{10FFFF}, \ before punctuation
 *   x* x+ x? x{n} x{n,} x{n,m}, each followed by ? for non-greedy (n, m <= 1000)
 *   (re) (?P<name>re) (?:re) (?flags) (?flags:re), flags from imsU and -
 *   re|re         alternation, empty branches allowed
 *
 * and what Go rejects: \1 (backreferences), (?=, (?!, (?<=, (?<name>, \Z,
 * \C, \G, \K, \h, a**, x{2}{3}, x{1001}. The validator reads the pattern
 * left to right as Go's parser does and stops at the first error Go would
 * report, so the message is Go's err.Error(), byte for byte:
 *
 *   error parsing regexp: missing closing ): `(a`
 *
 * where the quoted part is what Go quotes: the whole pattern (missing or
 * unexpected parenthesis, nesting, size), the repetition operator, the
 * escape, the class (from [ to the end of the pattern), the range, the
 * group's opening, or the rest of the pattern from an invalid UTF-8 byte.
 *
 * Semantics are Go's, not PCRE2's: the translation spells every construct
 * out (classes become explicit ranges, ^ $ . become the assertions and
 * classes above, groups of flags become case folding on each literal and
 * class, (?U) becomes explicit lazy repetitions), so no PCRE2 option but
 * UTF and the newline convention (LF) changes the meaning. Case folding is
 * left to PCRE2's caseless matching of literals and ranges, which follows
 * the same Unicode simple folding as Go; for \p classes, which PCRE2 does
 * not fold, the runes Go adds under (?i) come from regex_unicode.c. The
 * one thing a translation cannot say is Go's rule for loops whose body
 * can match nothing (emit_repeat()); such patterns are flagged.
 *
 * The same tree also compiles to the program of the fallback matcher
 * (rx_prog_make(), run by regex_vm.c), in Go's shape.
 *
 * Go's parser also bounds a pattern's parse tree: height 1000, about 3.3
 * million instructions, 32 million runes in classes. The same limits are
 * computed here on this parser's own tree, which merges literals and
 * single-rune alternatives as Go's does but does not factor common
 * prefixes out of alternations, so near a limit the verdict may differ.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/regex.h"
#include "cprof/strbuf.h"
#include "src/core/regex_internal.h"

/* Go's error codes (regexp/syntax.ErrorCode), the ones its parser returns. */
#define RX_ERRORS(X)                                                \
	X(INTERNAL, "regexp/syntax: internal error")                    \
	X(CHAR_RANGE, "invalid character class range")                  \
	X(ESCAPE, "invalid escape sequence")                            \
	X(NAMED_CAPTURE, "invalid named capture")                       \
	X(PERL_OP, "invalid or unsupported Perl syntax")                \
	X(REPEAT_OP, "invalid nested repetition operator")              \
	X(REPEAT_SIZE, "invalid repeat count")                          \
	X(UTF8, "invalid UTF-8")                                        \
	X(MISSING_BRACKET, "missing closing ]")                         \
	X(MISSING_PAREN, "missing closing )")                           \
	X(MISSING_REPEAT_ARG, "missing argument to repetition operator") \
	X(TRAILING_BACKSLASH, "trailing backslash at end of expression") \
	X(UNEXPECTED_PAREN, "unexpected )")                             \
	X(NESTING_DEPTH, "expression nests too deeply")

enum rx_err {
#define RX_ENUM_(name, text) E_##name,
	RX_ERRORS(RX_ENUM_)
#undef RX_ENUM_
};

static const char *const err_text[] = {
#define RX_TEXT_(name, text) text,
	RX_ERRORS(RX_TEXT_)
#undef RX_TEXT_
};

/* Go's limits on a parse tree (regexp/syntax/parse.go). */
#define MAX_HEIGHT 1000
#define MAX_SIZE ((int64_t)(128 << 20) / 40) /* instructions */
#define MAX_RUNES ((size_t)(128 << 20) / 4)
#define MAX_REPEAT 1000
#define SIZE_CAP ((int64_t)1 << 40) /* sizes saturate here */

/* Parse flags: the state (?imsU) sets. */
enum { FL_FOLD = 1, FL_MULTILINE = 2, FL_DOTNL = 4, FL_UNGREEDY = 8 };

enum op {
	OP_EMPTY,
	OP_LIT, /* runes, folded or not */
	OP_CLASS,
	OP_ANY,   /* . with (?s) */
	OP_ANYNL, /* . */
	OP_BOL,   /* ^ with (?m) */
	OP_EOL,   /* $ with (?m) */
	OP_BOT,   /* ^, \A */
	OP_EOT,   /* $, \z */
	OP_WB,
	OP_NWB,
	OP_CAP,
	OP_STAR,
	OP_PLUS,
	OP_QUEST,
	OP_REPEAT,
	OP_CONCAT,
	OP_ALT,
	/* only on the parse stack */
	OP_LPAREN,
	OP_BAR,
};

struct node {
	uint8_t op;
	bool fold;     /* OP_LIT, OP_CLASS */
	bool lazy;     /* repetitions */
	uint8_t saved; /* OP_LPAREN: the flags ')' restores */
	int cap;       /* OP_LPAREN, OP_CAP: group number, 0 for (?: */
	int min, max;  /* OP_REPEAT; max -1 for {n,} */
	/*
	 * OP_LIT: runes [first, first+n) of rx.rune; OP_CLASS: rx.cls[first];
	 * OP_CONCAT, OP_ALT: kids [first, first+n) of rx.kid; OP_CAP and
	 * repetitions: the node first.
	 */
	uint32_t first, n;
	uint32_t height;
	int64_t size;  /* Go's estimate of the compiled size */
	bool nullable; /* matches the empty string */
	bool groups;   /* holds a capture group */
};

struct range {
	uint32_t lo, hi;
};

/*
 * A class, as the union of: explicit ranges, PCRE2 property items (\p{X},
 * or \P{X} with ITEM_NEG), and negative terms (the complement of a
 * property together with the runes case folding adds to it, which no
 * single PCRE2 item says); negated as a whole for [^...].
 */
#define ITEM_NEG 0x8000u
struct cls {
	struct range *r;
	size_t nr, ar;
	uint16_t *item;
	size_t ni, ai;
	uint16_t *negt;
	size_t nn, an;
	bool neg, fold;
};

struct rx {
	const char *pat, *end; /* the whole pattern */
	unsigned flags;
	struct node *node;
	size_t nnode, anode;
	uint32_t *stack;
	size_t nstack, astack;
	uint32_t *rune;
	size_t nrune, arune;
	uint32_t *kid;
	size_t nkid, akid;
	struct cls *cls;
	size_t ncls, acls;
	int ncap;
	/* Go's limits */
	int64_t repeats;  /* product of the repeat counts seen, until sizes are tracked */
	bool sizing;      /* sizes are checked on every new node */
	size_t allocated; /* nodes made, roughly as Go's parser counts them */
	size_t nclassrunes;
	/* the error: code and quoted text */
	enum rx_err code;
	const char *q, *qend;
};

static int fail(struct rx *rx, enum rx_err code, const char *q, const char *qend)
{
	rx->code = code;
	rx->q = q;
	rx->qend = qend;
	return -1;
}

static int fail_whole(struct rx *rx, enum rx_err code)
{
	return fail(rx, code, rx->pat, rx->end);
}

/* Decode one rune at s; an invalid byte is Go's "invalid UTF-8" quoting the rest of the pattern. */
static int next_rune(struct rx *rx, const char *s, const char *end, uint32_t *r, const char **after)
{
	int n = rx_utf8_decode((const unsigned char *)s, (const unsigned char *)end, r);
	if (n < 0)
		return fail(rx, E_UTF8, s, rx->end);
	*after = s + n;
	return 0;
}

/* Go's checkUTF8: the first invalid byte of [s, end) quotes the rest of [s, end). */
static int check_utf8(struct rx *rx, const char *s, const char *end)
{
	while (s < end) {
		uint32_t r;
		int n = rx_utf8_decode((const unsigned char *)s, (const unsigned char *)end, &r);
		if (n < 0)
			return fail(rx, E_UTF8, s, end);
		s += n;
	}
	return 0;
}

static bool is_alnum(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int unhex(uint32_t c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (int)(c - 'A' + 10);
	return -1;
}

/* ---- the tree and Go's limits ------------------------------------------------- */

static bool single_rune(const struct node *nd)
{
	return (nd->op == OP_LIT && nd->n == 1) || nd->op == OP_CLASS || nd->op == OP_ANY || nd->op == OP_ANYNL;
}

static int64_t sat(int64_t v)
{
	return v > SIZE_CAP ? SIZE_CAP : v;
}

/* Height and size of node id, from its kids' (Go's calcHeight and calcSize). */
static void measure(struct rx *rx, uint32_t id)
{
	struct node *nd = &rx->node[id];
	uint32_t h = 0;
	int64_t s = 0, sub;

	nd->nullable = nd->op != OP_LIT && nd->op != OP_CLASS && nd->op != OP_ANY && nd->op != OP_ANYNL;
	nd->groups = nd->op == OP_CAP;
	switch (nd->op) {
	case OP_LIT:
		s = nd->n;
		break;
	case OP_CAP:
	case OP_STAR:
	case OP_PLUS:
	case OP_QUEST:
	case OP_REPEAT:
		sub = rx->node[nd->first].size;
		h = rx->node[nd->first].height;
		nd->groups |= rx->node[nd->first].groups;
		if (nd->op == OP_CAP || nd->op == OP_PLUS || (nd->op == OP_REPEAT && nd->min > 0))
			nd->nullable = rx->node[nd->first].nullable;
		if (nd->op == OP_CAP || nd->op == OP_STAR)
			s = 2 + sub;
		else if (nd->op != OP_REPEAT)
			s = 1 + sub;
		else if (nd->max == -1)
			s = nd->min == 0 ? 2 + sub : 1 + nd->min * sub;
		else
			s = nd->max * sub + (nd->max - nd->min);
		break;
	case OP_CONCAT:
		for (uint32_t i = 0; i < nd->n; i++) {
			const struct node *k = &rx->node[rx->kid[nd->first + i]];
			h = k->height > h ? k->height : h;
			s = sat(s + k->size);
			nd->nullable &= k->nullable;
			nd->groups |= k->groups;
		}
		break;
	case OP_ALT: {
		/* Go merges runs of single-rune branches into one class */
		uint32_t branches = 0;
		nd->nullable = false;
		for (uint32_t i = 0; i < nd->n; i++) {
			const struct node *k = &rx->node[rx->kid[nd->first + i]];
			nd->nullable |= k->nullable;
			nd->groups |= k->groups;
			if (i > 0 && single_rune(k) && single_rune(&rx->node[rx->kid[nd->first + i - 1]]))
				continue;
			branches++;
			h = k->height > h ? k->height : h;
			s = sat(s + (single_rune(k) ? 1 : k->size));
		}
		if (branches == 1)
			h--; /* one class: no alternation node above it */
		s += branches - 1;
		break;
	}
	default:
		break;
	}
	nd->height = h + 1;
	nd->size = s < 1 ? 1 : sat(s);
}

/* Go's checkLimits on a new node, after measure(). */
static int check_limits(struct rx *rx, uint32_t id)
{
	const struct node *nd = &rx->node[id];

	if (rx->nclassrunes > MAX_RUNES)
		return fail_whole(rx, E_INTERNAL);
	if (!rx->sizing) {
		/* Go computes sizes only once nodes times the product of repeat counts could pass the limit */
		if (nd->op == OP_REPEAT) {
			int64_t n = nd->max == -1 ? nd->min : nd->max;
			if (n <= 0)
				n = 1;
			rx->repeats = n > MAX_SIZE / rx->repeats ? MAX_SIZE : rx->repeats * n;
		}
		if ((int64_t)rx->allocated >= MAX_SIZE / rx->repeats) {
			rx->sizing = true;
			for (size_t i = 0; i < rx->nstack; i++)
				if (rx->node[rx->stack[i]].size > MAX_SIZE)
					return fail_whole(rx, E_INTERNAL);
		}
	}
	if (rx->sizing && nd->size > MAX_SIZE)
		return fail_whole(rx, E_INTERNAL);
	if (nd->height > MAX_HEIGHT)
		return fail_whole(rx, E_NESTING_DEPTH);
	return 0;
}

static uint32_t new_node(struct rx *rx, enum op op)
{
	ALLOC_GROW(rx->node, rx->nnode + 1, rx->anode);
	struct node *nd = &rx->node[rx->nnode];
	memset(nd, 0, sizeof(*nd));
	nd->op = (uint8_t)op;
	rx->allocated++;
	return (uint32_t)rx->nnode++;
}

static int push(struct rx *rx, uint32_t id)
{
	measure(rx, id);
	ALLOC_GROW(rx->stack, rx->nstack + 1, rx->astack);
	rx->stack[rx->nstack++] = id;
	return check_limits(rx, id);
}

static int push_op(struct rx *rx, enum op op)
{
	return push(rx, new_node(rx, op));
}

static int push_literal(struct rx *rx, uint32_t c)
{
	bool fold = rx->flags & FL_FOLD;
	/* a run of literals costs Go's parser two nodes, whatever its length */
	if (rx->nstack >= 2 && rx->node[rx->stack[rx->nstack - 1]].op == OP_LIT &&
	    rx->node[rx->stack[rx->nstack - 2]].op == OP_LIT)
		rx->allocated--;
	uint32_t id = new_node(rx, OP_LIT);
	ALLOC_GROW(rx->rune, rx->nrune + 1, rx->arune);
	rx->node[id].first = (uint32_t)rx->nrune;
	rx->node[id].n = 1;
	rx->node[id].fold = fold;
	rx->rune[rx->nrune++] = c;
	rx->nclassrunes++;
	return push(rx, id);
}

static bool pseudo(const struct node *nd)
{
	return nd->op == OP_LPAREN || nd->op == OP_BAR;
}

/* Go's repeatIsValid: no path multiplies the innermost item more than n times. */
static bool repeat_valid(const struct rx *rx, uint32_t id, int n)
{
	const struct node *nd = &rx->node[id];
	if (nd->op == OP_REPEAT) {
		int m = nd->max;
		if (m == 0)
			return true;
		if (m < 0)
			m = nd->min;
		if (m > n)
			return false;
		if (m > 0)
			n /= m;
	}
	switch (nd->op) {
	case OP_CAP:
	case OP_STAR:
	case OP_PLUS:
	case OP_QUEST:
	case OP_REPEAT:
		return repeat_valid(rx, nd->first, n);
	case OP_CONCAT:
	case OP_ALT:
		for (uint32_t i = 0; i < nd->n; i++)
			if (!repeat_valid(rx, rx->kid[nd->first + i], n))
				return false;
		return true;
	default:
		return true;
	}
}

/*
 * Apply a repetition (op, min, max) to the top of the stack. before is
 * where the operator starts, *after where it ends; a '?' there makes it
 * non-greedy (greedy under (?U)). last is where the previous item's
 * operator started, when the previous item was a repetition.
 */
static int repeat(struct rx *rx, enum op op, int min, int max, const char *before, const char **after,
		  const char *last)
{
	bool lazy = rx->flags & FL_UNGREEDY;
	if (*after < rx->end && **after == '?') {
		(*after)++;
		lazy = !lazy;
	}
	if (last)
		return fail(rx, E_REPEAT_OP, last, *after);
	if (rx->nstack == 0 || pseudo(&rx->node[rx->stack[rx->nstack - 1]]))
		return fail(rx, E_MISSING_REPEAT_ARG, before, *after);
	uint32_t id = new_node(rx, op);
	struct node *nd = &rx->node[id];
	nd->min = min;
	nd->max = max;
	nd->lazy = lazy;
	nd->first = rx->stack[rx->nstack - 1];
	rx->nstack--;
	if (push(rx, id))
		return -1;
	if (op == OP_REPEAT && (min >= 2 || max >= 2) && !repeat_valid(rx, id, MAX_REPEAT))
		return fail(rx, E_REPEAT_SIZE, before, *after);
	return 0;
}

static void add_kid(struct rx *rx, uint32_t id)
{
	ALLOC_GROW(rx->kid, rx->nkid + 1, rx->akid);
	rx->kid[rx->nkid++] = id;
}

/*
 * Replace the items above the topmost '(' or '|' by their concatenation:
 * runs of literals with the same folding become one literal, nested
 * concatenations are flattened, nothing is the empty match.
 */
static int concat(struct rx *rx)
{
	size_t i = rx->nstack;
	while (i > 0 && !pseudo(&rx->node[rx->stack[i - 1]]))
		i--;
	size_t nitems = rx->nstack - i;
	if (nitems == 0)
		return push_op(rx, OP_EMPTY);
	if (nitems == 1) {
		uint32_t only = rx->stack[--rx->nstack];
		return push(rx, only);
	}
	size_t kid0 = rx->nkid;
	for (size_t j = i; j < rx->nstack; j++) {
		uint32_t id = rx->stack[j];
		const struct node *nd = &rx->node[id];
		if (nd->op == OP_LIT && j + 1 < rx->nstack && rx->node[rx->stack[j + 1]].op == OP_LIT &&
		    rx->node[rx->stack[j + 1]].fold == nd->fold) {
			/* merge the run into a new literal */
			uint32_t lit = new_node(rx, OP_LIT);
			rx->allocated--;
			size_t start = rx->nrune;
			bool fold = rx->node[id].fold;
			while (j < rx->nstack && rx->node[rx->stack[j]].op == OP_LIT && rx->node[rx->stack[j]].fold == fold) {
				const struct node *k = &rx->node[rx->stack[j]];
				ALLOC_GROW(rx->rune, rx->nrune + k->n, rx->arune);
				memcpy(rx->rune + rx->nrune, rx->rune + k->first, k->n * sizeof(*rx->rune));
				rx->nrune += k->n;
				j++;
			}
			j--;
			rx->node[lit].first = (uint32_t)start;
			rx->node[lit].n = (uint32_t)(rx->nrune - start);
			rx->node[lit].fold = fold;
			measure(rx, lit);
			add_kid(rx, lit);
		} else if (nd->op == OP_CONCAT) {
			for (uint32_t k = 0; k < nd->n; k++)
				add_kid(rx, rx->kid[nd->first + k]);
		} else {
			add_kid(rx, id);
		}
	}
	rx->nstack = i;
	uint32_t id;
	if (rx->nkid - kid0 == 1) {
		id = rx->kid[kid0];
		rx->nkid = kid0;
	} else {
		id = new_node(rx, OP_CONCAT);
		rx->node[id].first = (uint32_t)kid0;
		rx->node[id].n = (uint32_t)(rx->nkid - kid0);
	}
	return push(rx, id);
}

/*
 * After concat(): replace the branches above the topmost '(' (one node
 * each, separated by '|' markers) by their alternation.
 */
static int alternate(struct rx *rx)
{
	size_t i = rx->nstack;
	while (i > 0 && rx->node[rx->stack[i - 1]].op != OP_LPAREN)
		i--;
	if (rx->nstack - i == 1) {
		uint32_t only = rx->stack[--rx->nstack];
		return push(rx, only);
	}
	size_t kid0 = rx->nkid;
	for (size_t j = i; j < rx->nstack; j++) {
		const struct node *nd = &rx->node[rx->stack[j]];
		if (nd->op == OP_BAR)
			continue;
		if (nd->op == OP_ALT)
			for (uint32_t k = 0; k < nd->n; k++)
				add_kid(rx, rx->kid[nd->first + k]);
		else
			add_kid(rx, rx->stack[j]);
	}
	rx->nstack = i;
	uint32_t id = new_node(rx, OP_ALT);
	rx->node[id].first = (uint32_t)kid0;
	rx->node[id].n = (uint32_t)(rx->nkid - kid0);
	return push(rx, id);
}

static int vertical_bar(struct rx *rx)
{
	if (concat(rx))
		return -1;
	return push_op(rx, OP_BAR);
}

static int right_paren(struct rx *rx)
{
	if (concat(rx) || alternate(rx))
		return -1;
	if (rx->nstack < 2)
		return fail_whole(rx, E_UNEXPECTED_PAREN);
	uint32_t body = rx->stack[--rx->nstack];
	uint32_t open = rx->stack[--rx->nstack];
	rx->flags = rx->node[open].saved;
	if (rx->node[open].cap == 0)
		return push(rx, body);
	rx->node[open].op = OP_CAP;
	rx->node[open].first = body;
	return push(rx, open);
}

/* ---- classes -------------------------------------------------------------------- */

#define R(a, b) {a, b}
static const struct range g_digit[] = {R('0', '9')};
static const struct range g_space[] = {R('\t', '\n'), R('\f', '\r'), R(' ', ' ')};
static const struct range g_word[] = {R('0', '9'), R('A', 'Z'), R('_', '_'), R('a', 'z')};
static const struct range g_alnum[] = {R('0', '9'), R('A', 'Z'), R('a', 'z')};
static const struct range g_alpha[] = {R('A', 'Z'), R('a', 'z')};
static const struct range g_ascii[] = {R(0, 0x7f)};
static const struct range g_blank[] = {R('\t', '\t'), R(' ', ' ')};
static const struct range g_cntrl[] = {R(0, 0x1f), R(0x7f, 0x7f)};
static const struct range g_graph[] = {R('!', '~')};
static const struct range g_lower[] = {R('a', 'z')};
static const struct range g_print[] = {R(' ', '~')};
static const struct range g_punct[] = {R('!', '/'), R(':', '@'), R('[', '`'), R('{', '~')};
static const struct range g_pspace[] = {R('\t', '\r'), R(' ', ' ')};
static const struct range g_upper[] = {R('A', 'Z')};
static const struct range g_xdigit[] = {R('0', '9'), R('A', 'F'), R('a', 'f')};
#undef R

/* An ASCII class: Perl's \d \s \w (name "d" ...) or POSIX's [:name:]. */
struct group {
	const char *name;
	const struct range *r;
	size_t n;
};
#define G(name, g) {name, g, CPROF_ARRAY_SIZE(g)}
static const struct group perl_groups[] = {G("d", g_digit), G("s", g_space), G("w", g_word)};
static const struct group posix_groups[] = {
	G("alnum", g_alnum), G("alpha", g_alpha), G("ascii", g_ascii), G("blank", g_blank),
	G("cntrl", g_cntrl), G("digit", g_digit), G("graph", g_graph), G("lower", g_lower),
	G("print", g_print), G("punct", g_punct), G("space", g_pspace), G("upper", g_upper),
	G("word", g_word),   G("xdigit", g_xdigit),
};
#undef G

static void cls_range(struct cls *c, uint32_t lo, uint32_t hi)
{
	ALLOC_GROW(c->r, c->nr + 1, c->ar);
	c->r[c->nr].lo = lo;
	c->r[c->nr].hi = hi;
	c->nr++;
}

static void cls_item(struct cls *c, uint16_t item)
{
	ALLOC_GROW(c->item, c->ni + 1, c->ai);
	c->item[c->ni++] = item;
}

/*
 * Add an ASCII group, negated when neg. Positive, PCRE2's caseless
 * matching folds it like any range; negated, the complement is written
 * out here, of the folded group under (?i): Go folds before negating, so
 * (?i)\W matches neither K (U+212A KELVIN SIGN) nor U+017F (long s).
 */
static void cls_group(struct rx *rx, struct cls *c, const struct group *g, bool neg)
{
	rx->nclassrunes += 2 * g->n;
	if (!neg) {
		for (size_t i = 0; i < g->n; i++)
			cls_range(c, g->r[i].lo, g->r[i].hi);
		return;
	}
	bool in[128] = {false};
	for (size_t i = 0; i < g->n; i++)
		for (uint32_t ch = g->r[i].lo; ch <= g->r[i].hi; ch++)
			in[ch] = true;
	bool kelvin = false, longs = false;
	if (c->fold) {
		for (uint32_t ch = 'A'; ch <= 'Z'; ch++)
			if (in[ch] || in[ch + 32])
				in[ch] = in[ch + 32] = true;
		kelvin = in['k'];
		longs = in['s'];
	}
	uint32_t lo = 0;
	for (uint32_t ch = 0; ch <= 128; ch++) {
		if (ch == 128 || in[ch]) {
			if (lo < ch)
				cls_range(c, lo, ch - 1);
			lo = ch + 1;
		}
	}
	/* [128, U+10FFFF] without the two non-ASCII runes folding to ASCII letters */
	uint32_t from = 128;
	if (longs)
		cls_range(c, from, 0x17e), from = 0x180;
	if (kelvin)
		cls_range(c, from, 0x2129), from = 0x212b;
	cls_range(c, from, RX_MAX_RUNE);
}

static int uclass_cmp(const void *key, const void *elem)
{
	const char *const *k = key;
	const struct rx_uclass *u = elem;
	/* key is a (start, end) pair: names are not NUL-terminated in the pattern */
	size_t n = (size_t)(k[1] - k[0]), m = strlen(u->name);
	int c = memcmp(k[0], u->name, n < m ? n : m);
	return c ? c : (n > m) - (n < m);
}

static int uclass_find(const char *name, const char *end)
{
	const char *key[2] = {name, end};
	const struct rx_uclass *u = bsearch(key, rx_uclasses, rx_nuclasses, sizeof(*u), uclass_cmp);
	return u ? (int)(u - rx_uclasses) : -1;
}

static int uclass_named(const char *name)
{
	return uclass_find(name, name + strlen(name));
}

/*
 * Add \p{name} (neg: \P{name}). Go's category C is Cc|Cf|Co|Cs, without
 * PCRE2's Cn (unassigned), so it is spelt as those four.
 */
static void cls_uclass(struct rx *rx, struct cls *c, int idx, bool neg)
{
	const struct rx_uclass *u = &rx_uclasses[idx];
	bool extra = c->fold && u->fold;
	rx->nclassrunes += c->fold ? u->nrunes_fold : u->nrunes;
	if (u->kind == RX_UANY) {
		if (!neg)
			cls_range(c, 0, RX_MAX_RUNE);
		return;
	}
	bool other = !strcmp(u->name, "C");
	if (neg && (extra || other)) {
		ALLOC_GROW(c->negt, c->nn + 1, c->an);
		c->negt[c->nn++] = (uint16_t)idx;
		return;
	}
	if (neg) {
		cls_item(c, (uint16_t)idx | ITEM_NEG);
		return;
	}
	if (other) {
		static const char *const parts[] = {"Cc", "Cf", "Co", "Cs"};
		for (size_t i = 0; i < CPROF_ARRAY_SIZE(parts); i++)
			cls_item(c, (uint16_t)uclass_named(parts[i]));
	} else {
		cls_item(c, (uint16_t)idx);
	}
	if (extra)
		for (size_t i = 0; i < u->nfold; i++)
			cls_range(c, u->fold[2 * i], u->fold[2 * i + 1]);
}

static uint32_t new_class(struct rx *rx, bool neg)
{
	ALLOC_GROW(rx->cls, rx->ncls + 1, rx->acls);
	struct cls *c = &rx->cls[rx->ncls];
	memset(c, 0, sizeof(*c));
	c->neg = neg;
	c->fold = rx->flags & FL_FOLD;
	uint32_t id = new_node(rx, OP_CLASS);
	rx->node[id].first = (uint32_t)rx->ncls++;
	rx->node[id].fold = c->fold;
	return id;
}

/*
 * At s (s[0] == '\\', s[1] == 'p' or 'P'): a Unicode class, added to c.
 * Stores where it ends in *after.
 */
static int parse_uclass(struct rx *rx, const char *s, struct cls *c, const char **after)
{
	bool neg = s[1] == 'P';
	const char *t = s + 2, *name, *name_end, *seq_end;
	uint32_t r;
	const char *next;

	if (next_rune(rx, t, rx->end, &r, &next))
		return -1;
	if (r != '{' || next == t) {
		name = t;
		name_end = seq_end = next; /* one rune, or none at the end */
	} else {
		const char *close = memchr(s, '}', (size_t)(rx->end - s));
		if (!close) {
			if (check_utf8(rx, s, rx->end))
				return -1;
			return fail(rx, E_CHAR_RANGE, s, rx->end);
		}
		name = s + 3;
		name_end = close;
		seq_end = close + 1;
		if (check_utf8(rx, name, name_end))
			return -1;
	}
	if (name < name_end && *name == '^') {
		neg = !neg;
		name++;
	}
	int idx = uclass_find(name, name_end);
	if (idx < 0)
		return fail(rx, E_CHAR_RANGE, s, seq_end);
	cls_uclass(rx, c, idx, neg);
	*after = seq_end;
	return 0;
}

static const struct group *perl_group(const char *s, const char *end, bool *neg)
{
	if (end - s < 2 || s[0] != '\\')
		return NULL;
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(perl_groups); i++) {
		char lower = perl_groups[i].name[0];
		if (s[1] == lower || s[1] == lower - 32) {
			*neg = s[1] != lower;
			return &perl_groups[i];
		}
	}
	return NULL;
}

/*
 * An escape at s (s[0] == '\\') standing for one rune: \n, \123, \x7f,
 * \x{1F600}, \. ... (Go's parseEscape).
 */
static int parse_escape(struct rx *rx, const char *s, uint32_t *out, const char **after)
{
	const char *t = s + 1;
	uint32_t c;

	if (t >= rx->end)
		return fail(rx, E_TRAILING_BACKSLASH, t, t);
	if (next_rune(rx, t, rx->end, &c, &t))
		return -1;
	switch (c) {
	case '1':
	case '2':
	case '3':
	case '4':
	case '5':
	case '6':
	case '7':
		/* a lone non-zero digit would be a backreference */
		if (t >= rx->end || *t < '0' || *t > '7')
			break;
		/* fall through */
	case '0': {
		uint32_t r = c - '0';
		for (int i = 1; i < 3 && t < rx->end && *t >= '0' && *t <= '7'; i++)
			r = r * 8 + (uint32_t)(*t++ - '0');
		*out = r;
		*after = t;
		return 0;
	}
	case 'x': {
		if (t >= rx->end)
			break;
		if (next_rune(rx, t, rx->end, &c, &t))
			return -1;
		if (c == '{') {
			uint32_t r = 0;
			int nhex = 0;
			for (;;) {
				if (t >= rx->end)
					return fail(rx, E_ESCAPE, s, t);
				if (next_rune(rx, t, rx->end, &c, &t))
					return -1;
				if (c == '}')
					break;
				int v = unhex(c);
				if (v < 0)
					return fail(rx, E_ESCAPE, s, t);
				r = r * 16 + (uint32_t)v;
				if (r > RX_MAX_RUNE)
					return fail(rx, E_ESCAPE, s, t);
				nhex++;
			}
			if (nhex == 0)
				return fail(rx, E_ESCAPE, s, t);
			*out = r;
			*after = t;
			return 0;
		}
		int x = unhex(c);
		if (next_rune(rx, t, rx->end, &c, &t))
			return -1;
		int y = unhex(c);
		if (x < 0 || y < 0)
			break;
		*out = (uint32_t)(x * 16 + y);
		*after = t;
		return 0;
	}
	case 'a': *out = '\a'; *after = t; return 0;
	case 'f': *out = '\f'; *after = t; return 0;
	case 'n': *out = '\n'; *after = t; return 0;
	case 'r': *out = '\r'; *after = t; return 0;
	case 't': *out = '\t'; *after = t; return 0;
	case 'v': *out = '\v'; *after = t; return 0;
	default:
		/* punctuation escapes itself; letters and digits not listed are errors */
		if (c < 0x80 && !is_alnum(c)) {
			*out = c;
			*after = t;
			return 0;
		}
		break;
	}
	return fail(rx, E_ESCAPE, s, t);
}

/* One rune of a class at s; class is where the class started (the quote of "missing ]"). */
static int class_char(struct rx *rx, const char *s, const char *class, uint32_t *r, const char **after)
{
	if (s >= rx->end)
		return fail(rx, E_MISSING_BRACKET, class, rx->end);
	if (*s == '\\')
		return parse_escape(rx, s, r, after);
	return next_rune(rx, s, rx->end, r, after);
}

/* The class at s (s[0] == '['), pushed; *after is where it ends. */
static int parse_class(struct rx *rx, const char *s, const char **after)
{
	const char *t = s + 1;
	bool neg = t < rx->end && *t == '^';
	if (neg)
		t++;
	uint32_t id = new_class(rx, neg);
	bool first = true; /* ] is a literal first */

	while (t >= rx->end || *t != ']' || first) {
		first = false;
		/* [:name:] or [:^name:], up to the next ":]" wherever it is */
		if (rx->end - t > 2 && t[0] == '[' && t[1] == ':') {
			const char *close = NULL;
			for (const char *p = t + 2; p + 1 < rx->end; p++)
				if (p[0] == ':' && p[1] == ']') {
					close = p;
					break;
				}
			if (close) {
				const char *name = t + 2;
				bool gneg = name < close && *name == '^';
				name += gneg;
				const struct group *g = NULL;
				for (size_t i = 0; i < CPROF_ARRAY_SIZE(posix_groups); i++)
					if ((size_t)(close - name) == strlen(posix_groups[i].name) &&
					    !memcmp(name, posix_groups[i].name, (size_t)(close - name)))
						g = &posix_groups[i];
				if (!g)
					return fail(rx, E_CHAR_RANGE, t, close + 2);
				cls_group(rx, &rx->cls[rx->node[id].first], g, gneg);
				t = close + 2;
				continue;
			}
		}
		struct cls *c = &rx->cls[rx->node[id].first];
		if (rx->end - t >= 2 && t[0] == '\\' && (t[1] == 'p' || t[1] == 'P')) {
			if (parse_uclass(rx, t, c, &t))
				return -1;
			continue;
		}
		bool gneg;
		const struct group *g = perl_group(t, rx->end, &gneg);
		if (g) {
			cls_group(rx, c, g, gneg);
			t += 2;
			continue;
		}
		const char *rng = t;
		uint32_t lo, hi;
		if (class_char(rx, t, s, &lo, &t))
			return -1;
		hi = lo;
		/* a - before ] is a literal */
		if (rx->end - t >= 2 && t[0] == '-' && t[1] != ']') {
			t++;
			if (class_char(rx, t, s, &hi, &t))
				return -1;
			if (hi < lo)
				return fail(rx, E_CHAR_RANGE, rng, t);
		}
		cls_range(c, lo, hi);
		rx->nclassrunes += 2;
	}
	*after = t + 1;
	return push(rx, id);
}

/* ---- groups and flags ------------------------------------------------------------ */

static bool capture_name_ok(const char *s, const char *end)
{
	if (s == end)
		return false;
	for (; s < end; s++)
		if (*s != '_' && !is_alnum((unsigned char)*s))
			return false;
	return true;
}

/* At s, "(?": a named group, a group of flags, or a non-capturing group. */
static int parse_perl_flags(struct rx *rx, const char *s, const char **after)
{
	if (rx->end - s > 4 && s[2] == 'P' && s[3] == '<') {
		const char *gt = memchr(s, '>', (size_t)(rx->end - s));
		if (!gt) {
			if (check_utf8(rx, s, rx->end))
				return -1;
			return fail(rx, E_NAMED_CAPTURE, s, rx->end);
		}
		if (check_utf8(rx, s + 4, gt))
			return -1;
		if (!capture_name_ok(s + 4, gt))
			return fail(rx, E_NAMED_CAPTURE, s, gt + 1);
		uint32_t id = new_node(rx, OP_LPAREN);
		rx->node[id].cap = ++rx->ncap;
		rx->node[id].saved = (uint8_t)rx->flags;
		*after = gt + 1;
		return push(rx, id);
	}

	unsigned on = 0, off = 0;
	bool negate = false, saw = false;
	const char *t = s + 2;
	while (t < rx->end) {
		uint32_t c;
		if (next_rune(rx, t, rx->end, &c, &t))
			return -1;
		unsigned bit = 0;
		switch (c) {
		case 'i': bit = FL_FOLD; break;
		case 'm': bit = FL_MULTILINE; break;
		case 's': bit = FL_DOTNL; break;
		case 'U': bit = FL_UNGREEDY; break;
		case '-':
			if (negate)
				return fail(rx, E_PERL_OP, s, t);
			negate = true;
			saw = false;
			continue;
		case ':':
		case ')':
			if (negate && !saw)
				return fail(rx, E_PERL_OP, s, t);
			if (c == ':') {
				uint32_t id = new_node(rx, OP_LPAREN);
				rx->node[id].saved = (uint8_t)rx->flags;
				if (push(rx, id))
					return -1;
			}
			rx->flags = (rx->flags | on) & ~off;
			*after = t;
			return 0;
		default:
			return fail(rx, E_PERL_OP, s, t);
		}
		if (negate)
			off |= bit;
		else
			on |= bit;
		saw = true;
	}
	return fail(rx, E_PERL_OP, s, t);
}

/*
 * At s, "{": a repetition {n}, {n,} or {n,m} (Go's parseRepeat); false
 * when it is not one (then { is a literal). A number past 10^8 is -1.
 */
static bool parse_int(const char **s, const char *end, int *n)
{
	const char *t = *s;
	if (t >= end || *t < '0' || *t > '9')
		return false;
	if (end - t >= 2 && t[0] == '0' && t[1] >= '0' && t[1] <= '9')
		return false; /* no leading zeros */
	long v = 0;
	for (; t < end && *t >= '0' && *t <= '9'; t++)
		if (v >= 0)
			v = v >= 100000000 ? -1 : v * 10 + (*t - '0');
	*n = (int)v;
	*s = t;
	return true;
}

static bool parse_repeat(const char *s, const char *end, int *min, int *max, const char **after)
{
	const char *t = s + 1;
	if (!parse_int(&t, end, min) || t >= end)
		return false;
	if (*t != ',') {
		*max = *min;
	} else {
		t++;
		if (t >= end)
			return false;
		if (*t == '}')
			*max = -1;
		else if (!parse_int(&t, end, max))
			return false;
		else if (*max < 0)
			*min = -1;
	}
	if (t >= end || *t != '}')
		return false;
	*after = t + 1;
	return true;
}

/* ---- the parser ------------------------------------------------------------------- */

static int parse(struct rx *rx)
{
	const char *t = rx->pat, *last_repeat = NULL;

	while (t < rx->end) {
		const char *repeat_op = NULL;
		uint32_t c;
		int rc = 0;

		switch (*t) {
		case '(':
			if (rx->end - t >= 2 && t[1] == '?') {
				rc = parse_perl_flags(rx, t, &t);
				break;
			}
			{
				uint32_t id = new_node(rx, OP_LPAREN);
				rx->node[id].cap = ++rx->ncap;
				rx->node[id].saved = (uint8_t)rx->flags;
				rc = push(rx, id);
				t++;
			}
			break;
		case '|':
			rc = vertical_bar(rx);
			t++;
			break;
		case ')':
			rc = right_paren(rx);
			t++;
			break;
		case '^':
			rc = push_op(rx, rx->flags & FL_MULTILINE ? OP_BOL : OP_BOT);
			t++;
			break;
		case '$':
			rc = push_op(rx, rx->flags & FL_MULTILINE ? OP_EOL : OP_EOT);
			t++;
			break;
		case '.':
			rc = push_op(rx, rx->flags & FL_DOTNL ? OP_ANY : OP_ANYNL);
			t++;
			break;
		case '[':
			rc = parse_class(rx, t, &t);
			break;
		case '*':
		case '+':
		case '?': {
			const char *before = t;
			enum op op = *t == '*' ? OP_STAR : *t == '+' ? OP_PLUS : OP_QUEST;
			t++;
			rc = repeat(rx, op, 0, 0, before, &t, last_repeat);
			repeat_op = before;
			break;
		}
		case '{': {
			const char *before = t, *after;
			int min, max;
			if (!parse_repeat(t, rx->end, &min, &max, &after)) {
				rc = push_literal(rx, '{');
				t++;
				break;
			}
			if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max))
				return fail(rx, E_REPEAT_SIZE, before, after);
			t = after;
			rc = repeat(rx, OP_REPEAT, min, max, before, &t, last_repeat);
			repeat_op = before;
			break;
		}
		case '\\': {
			char e = rx->end - t >= 2 ? t[1] : 0;
			if (e == 'A' || e == 'z' || e == 'b' || e == 'B') {
				rc = push_op(rx, e == 'A' ? OP_BOT : e == 'z' ? OP_EOT : e == 'b' ? OP_WB : OP_NWB);
				t += 2;
				break;
			}
			if (e == 'C') /* any byte: not in Go */
				return fail(rx, E_ESCAPE, t, t + 2);
			if (e == 'Q') {
				const char *lit = t + 2, *stop = lit;
				while (stop < rx->end && !(stop[0] == '\\' && stop + 1 < rx->end && stop[1] == 'E'))
					stop++;
				t = stop < rx->end ? stop + 2 : stop;
				while (lit < stop && rc == 0) {
					int n = rx_utf8_decode((const unsigned char *)lit, (const unsigned char *)stop, &c);
					if (n < 0)
						return fail(rx, E_UTF8, lit, stop);
					lit += n;
					rc = push_literal(rx, c);
				}
				break;
			}
			if (e == 'p' || e == 'P') {
				uint32_t id = new_class(rx, false);
				if (parse_uclass(rx, t, &rx->cls[rx->node[id].first], &t))
					return -1;
				rc = push(rx, id);
				break;
			}
			bool gneg;
			const struct group *g = perl_group(t, rx->end, &gneg);
			if (g) {
				uint32_t id = new_class(rx, false);
				cls_group(rx, &rx->cls[rx->node[id].first], g, gneg);
				rc = push(rx, id);
				t += 2;
				break;
			}
			if (parse_escape(rx, t, &c, &t))
				return -1;
			rc = push_literal(rx, c);
			break;
		}
		default:
			if (next_rune(rx, t, rx->end, &c, &t))
				return -1;
			rc = push_literal(rx, c);
			break;
		}
		if (rc)
			return -1;
		last_repeat = repeat_op;
	}
	if (concat(rx) || alternate(rx))
		return -1;
	if (rx->nstack != 1)
		return fail_whole(rx, E_MISSING_PAREN);
	return 0;
}

/* ---- the translation -------------------------------------------------------------- */

static void emit_rune(struct strbuf *sb, uint32_t c)
{
	if (c < 0x80 && is_alnum(c))
		strbuf_addch(sb, (int)c);
	else if (c > ' ' && c < 0x7f)
		strbuf_addch(sb, '\\'), strbuf_addch(sb, (int)c);
	else
		strbuf_addf(sb, "\\x{%x}", (unsigned)c);
}

static int range_cmp(const void *a, const void *b)
{
	const struct range *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Sort and merge the ranges; surrogates, which no UTF-8 text holds and PCRE2 refuses, go. */
static void clean_ranges(struct cls *c)
{
	size_t n = c->nr;
	for (size_t i = 0; i < n; i++) {
		struct range *r = &c->r[i];
		if (r->lo < 0xd800 && r->hi > 0xdfff) {
			uint32_t hi = r->hi;
			r->hi = 0xd7ff;
			cls_range(c, 0xe000, hi);
			r = &c->r[i];
		} else if (r->lo >= 0xd800 && r->hi <= 0xdfff) {
			r->lo = 1, r->hi = 0; /* empty */
		} else if (r->lo >= 0xd800 && r->lo <= 0xdfff) {
			r->lo = 0xe000;
		} else if (r->hi >= 0xd800 && r->hi <= 0xdfff) {
			r->hi = 0xd7ff;
		}
	}
	if (c->nr > 1) /* (a class of \p items alone has no ranges, and r is NULL) */
		qsort(c->r, c->nr, sizeof(*c->r), range_cmp);
	size_t w = 0;
	for (size_t i = 0; i < c->nr; i++) {
		if (c->r[i].lo > c->r[i].hi)
			continue;
		if (w > 0 && c->r[i].lo <= c->r[w - 1].hi + 1) {
			if (c->r[i].hi > c->r[w - 1].hi)
				c->r[w - 1].hi = c->r[i].hi;
			continue;
		}
		c->r[w++] = c->r[i];
	}
	c->nr = w;
}

/*
 * \p{Name}: a category, or a script by its Script property (sc:), as Go
 * reads scripts; PCRE2's \p{Greek} alone would read Script_Extensions and
 * take U+0345, an Inherited mark, as Greek.
 */
static void emit_property(struct strbuf *sb, uint16_t item)
{
	const struct rx_uclass *u = &rx_uclasses[item & ~ITEM_NEG];
	strbuf_addf(sb, "\\%c{%s%s}", item & ITEM_NEG ? 'P' : 'p', u->kind == RX_USCRIPT ? "sc:" : "", u->name);
}

/* The positive members of c (ranges and items) inside [ ] (nothing when there are none). */
static void emit_members(struct strbuf *sb, const struct cls *c)
{
	for (size_t i = 0; i < c->nr; i++) {
		emit_rune(sb, c->r[i].lo);
		if (c->r[i].hi > c->r[i].lo) {
			strbuf_addch(sb, '-');
			emit_rune(sb, c->r[i].hi);
		}
	}
	for (size_t i = 0; i < c->ni; i++)
		emit_property(sb, c->item[i]);
}

/* What the negative term idx excludes: the class, C as its four parts, and its fold runes. */
static void emit_negterm(struct strbuf *sb, uint16_t idx, bool fold)
{
	const struct rx_uclass *u = &rx_uclasses[idx];
	if (!strcmp(u->name, "C"))
		strbuf_addstr(sb, "\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}");
	else
		emit_property(sb, idx);
	for (size_t i = 0; fold && i < u->nfold; i++) {
		emit_rune(sb, u->fold[2 * i]);
		if (u->fold[2 * i + 1] > u->fold[2 * i]) {
			strbuf_addch(sb, '-');
			emit_rune(sb, u->fold[2 * i + 1]);
		}
	}
}

static void emit_class(struct strbuf *sb, struct cls *c)
{
	clean_ranges(c);
	bool members = c->nr || c->ni;
	if (c->fold)
		strbuf_addstr(sb, "(?i:");
	if (!c->nn) {
		if (!members)
			strbuf_addstr(sb, c->neg ? "[\\x{0}-\\x{10ffff}]" : "[^\\x{0}-\\x{10ffff}]");
		else {
			strbuf_addstr(sb, c->neg ? "[^" : "[");
			emit_members(sb, c);
			strbuf_addch(sb, ']');
		}
	} else if (!c->neg) {
		/* members, or outside a negative term, or outside another */
		strbuf_addstr(sb, "(?:");
		if (members) {
			strbuf_addch(sb, '[');
			emit_members(sb, c);
			strbuf_addstr(sb, "]|");
		}
		for (size_t i = 0; i < c->nn; i++) {
			strbuf_addstr(sb, i ? "|[^" : "[^");
			emit_negterm(sb, c->negt[i], c->fold);
			strbuf_addch(sb, ']');
		}
		strbuf_addch(sb, ')');
	} else {
		/* not a member, and inside every negative term */
		strbuf_addstr(sb, "(?:");
		if (members) {
			strbuf_addstr(sb, "(?![");
			emit_members(sb, c);
			strbuf_addstr(sb, "])");
		}
		for (size_t i = 0; i < c->nn; i++) {
			strbuf_addstr(sb, i + 1 < c->nn ? "(?=[" : "[");
			emit_negterm(sb, c->negt[i], c->fold);
			strbuf_addstr(sb, i + 1 < c->nn ? "])" : "]");
		}
		strbuf_addch(sb, ')');
	}
	if (c->fold)
		strbuf_addch(sb, ')');
}

/*
 * The emitter. Groups the translation adds (see MAX_PLAIN_DEPTH) shift
 * PCRE2's numbers of Go's groups: group[i] is PCRE2's number of Go's
 * group i.
 */
struct emitter {
	struct rx *rx;
	struct strbuf *sb;
	int npcre;  /* PCRE2 groups so far */
	int *group; /* [0, rx->ncap] */
	int depth;  /* non-capturing groups open */
	bool empty_loops;
};

/*
 * PCRE2 keeps its non-capturing groups on a small stack (about 500 deep);
 * deeper than this, the translation groups with capturing groups, which
 * Go never sees.
 */
#define MAX_PLAIN_DEPTH 400

static void open_group(struct emitter *e)
{
	if (e->depth >= MAX_PLAIN_DEPTH) {
		strbuf_addch(e->sb, '(');
		e->npcre++;
	} else {
		strbuf_addstr(e->sb, "(?:");
	}
	e->depth++;
}

static void close_group(struct emitter *e)
{
	strbuf_addch(e->sb, ')');
	e->depth--;
}

static void emit_seq(struct emitter *e, uint32_t id);

/* id as part of a concatenation: an alternation is grouped. */
static void emit_item(struct emitter *e, uint32_t id)
{
	if (e->rx->node[id].op != OP_ALT) {
		emit_seq(e, id);
		return;
	}
	open_group(e);
	emit_seq(e, id);
	close_group(e);
}

/* Nodes whose translation a quantifier can follow as it is. */
static bool atomic(const struct node *nd)
{
	switch (nd->op) {
	case OP_LIT:
		return nd->n == 1;
	case OP_CLASS:
	case OP_ANY:
	case OP_ANYNL:
	case OP_CAP:
	case OP_EMPTY:
	case OP_BOL:
	case OP_EOL:
		return true;
	default:
		return false;
	}
}

/* id as one item, for a quantifier to follow. */
static void emit_atom(struct emitter *e, uint32_t id)
{
	if (atomic(&e->rx->node[id])) {
		emit_seq(e, id);
		return;
	}
	open_group(e);
	emit_seq(e, id);
	close_group(e);
}

static void emit_quantifier(struct strbuf *sb, const struct node *nd, int min, int max)
{
	if (nd->op == OP_STAR)
		strbuf_addch(sb, '*');
	else if (nd->op == OP_PLUS)
		strbuf_addch(sb, '+');
	else if (nd->op == OP_QUEST)
		strbuf_addch(sb, '?');
	else if (max == min)
		strbuf_addf(sb, "{%d}", min);
	else if (max < 0)
		strbuf_addf(sb, "{%d,}", min);
	else
		strbuf_addf(sb, "{%d,%d}", min, max);
	if (nd->lazy)
		strbuf_addch(sb, '?');
}

/*
 * A repetition. Go and PCRE2 differ on loops whose body can match the
 * empty string: PCRE2 takes an iteration that matched nothing and leaves
 * the loop; Go's machines never enter one of their states twice at one
 * position, so an iteration that comes back to the loop without reading
 * anything fails (and the alternatives inside it are tried). Whether a
 * text matches is the same; where groups, or rarely the match, end is
 * not: (a|(|b))* matches "ab" whole in Go, "a" in PCRE2; (a*)* leaves
 * group 1 at "aaa" in Go, at "" in PCRE2. Such a pattern is flagged, and
 * regex.c asks its positions of the VM (regex_vm.c), which is Go's shape.
 */
static void emit_repeat(struct emitter *e, const struct node *nd)
{
	const struct node *kid = &e->rx->node[nd->first];
	/* as Go simplifies: x** is x* (x++, x??), nothing repeated is nothing */
	if (kid->op == nd->op && kid->lazy == nd->lazy && nd->op != OP_REPEAT) {
		emit_seq(e, nd->first);
		return;
	}
	if (kid->op == OP_EMPTY) {
		strbuf_addstr(e->sb, "(?:)");
		return;
	}
	bool loop = nd->op == OP_STAR || nd->op == OP_PLUS || (nd->op == OP_REPEAT && nd->max < 0);
	if (loop && kid->nullable)
		e->empty_loops = true;
	emit_atom(e, nd->first);
	emit_quantifier(e->sb, nd, nd->min, nd->max);
}

/* id where a sequence may stand: at the top, in a group, as a branch. */
static void emit_seq(struct emitter *e, uint32_t id)
{
	struct rx *rx = e->rx;
	struct strbuf *sb = e->sb;
	const struct node *nd = &rx->node[id];
	static const char *const fixed[OP_LPAREN] = {
		[OP_EMPTY] = "(?:)",  [OP_ANY] = "(?s:.)",  [OP_ANYNL] = "[^\\n]", [OP_BOL] = "(?m:^)",
		[OP_EOL] = "(?m:$)", [OP_BOT] = "\\A",     [OP_EOT] = "\\z",       [OP_WB] = "\\b",
		[OP_NWB] = "\\B",
	};

	switch (nd->op) {
	case OP_LIT:
		if (nd->fold)
			strbuf_addstr(sb, "(?i:");
		for (uint32_t i = 0; i < nd->n; i++) {
			uint32_t c = rx->rune[nd->first + i];
			if (c >= 0xd800 && c <= 0xdfff)
				strbuf_addstr(sb, "(?!)"); /* a surrogate: matches no text */
			else
				emit_rune(sb, c);
		}
		if (nd->fold)
			strbuf_addch(sb, ')');
		break;
	case OP_CLASS:
		emit_class(sb, &rx->cls[nd->first]);
		break;
	case OP_CAP:
		strbuf_addch(sb, '(');
		e->group[nd->cap] = ++e->npcre;
		emit_seq(e, nd->first);
		strbuf_addch(sb, ')');
		break;
	case OP_STAR:
	case OP_PLUS:
	case OP_QUEST:
	case OP_REPEAT:
		emit_repeat(e, nd);
		break;
	case OP_CONCAT:
		for (uint32_t i = 0; i < nd->n; i++)
			emit_item(e, rx->kid[nd->first + i]);
		break;
	case OP_ALT:
		for (uint32_t i = 0; i < nd->n; i++) {
			if (i)
				strbuf_addch(sb, '|');
			emit_seq(e, rx->kid[nd->first + i]);
		}
		break;
	default:
		strbuf_addstr(sb, fixed[nd->op]);
		break;
	}
}

/* ---- the program of the fallback matcher (regex_vm.c) ---------------------------- */

/*
 * The tree compiled as Go compiles it (regexp/syntax's compile.go, after
 * Simplify): a loop on a body that can match nothing is (x+)?, x{n,m} is n
 * copies and m-n nested optional ones, x{n,} is n-1 copies and x+, a
 * repetition of the same repetition is one. With the Pike VM's rule that
 * a state is entered once per position, the program then matches as Go's
 * does, groups included.
 */
struct pbuild {
	struct rx *rx;
	struct rx_prog *p;
	size_t ainst, aset;
	bool too_big;
	/* the set of each class node and of each folded rune, made once for all copies */
	uint32_t *class_set;          /* by node, UINT32_MAX: none yet */
	uint32_t (*fold_set)[2];      /* open addressing: rune + 1 (0: free), set */
	size_t nfold, afold;
};

static uint32_t inst(struct pbuild *b, enum rx_iop op, uint32_t x, uint32_t y)
{
	if (b->p->ninst >= RX_PROG_MAX) {
		b->too_big = true;
		return (uint32_t)b->p->ninst;
	}
	ALLOC_GROW(b->p->inst, b->p->ninst + 1, b->ainst);
	b->p->inst[b->p->ninst] = (struct rx_inst){(uint8_t)op, x, y};
	return (uint32_t)b->p->ninst++;
}

static uint32_t here(const struct pbuild *b)
{
	return (uint32_t)b->p->ninst;
}

static void patch(struct pbuild *b, uint32_t at, uint32_t x, uint32_t y)
{
	if (at < b->p->ninst)
		b->p->inst[at].x = x, b->p->inst[at].y = y;
}

static uint32_t new_set(struct pbuild *b)
{
	ALLOC_GROW(b->p->set, b->p->nset + 1, b->aset);
	memset(&b->p->set[b->p->nset], 0, sizeof(*b->p->set));
	return (uint32_t)b->p->nset++;
}

static uint32_t class_set(struct pbuild *b, uint32_t id)
{
	if (b->class_set[id] != UINT32_MAX)
		return b->class_set[id];
	struct cls *c = &b->rx->cls[b->rx->node[id].first];
	uint32_t k = b->class_set[id] = new_set(b);
	struct rx_set *st = &b->p->set[k];
	clean_ranges(c);
	st->exact = !c->fold && !c->ni && !c->nn;
	if (st->exact) {
		st->neg = c->neg;
		st->nr = c->nr;
		st->r = cprof_xmalloc(cprof_st_mult(c->nr + 1, 2 * sizeof(*st->r)));
		for (size_t i = 0; i < c->nr; i++)
			st->r[2 * i] = c->r[i].lo, st->r[2 * i + 1] = c->r[i].hi;
	} else {
		struct strbuf sb = STRBUF_INIT;
		emit_class(&sb, c);
		st->pcre = strbuf_detach(&sb, NULL);
	}
	return k;
}

static uint32_t folded_rune_set(struct pbuild *b, uint32_t r)
{
	if (2 * (b->nfold + 1) > b->afold) { /* grow the table, and put its entries back */
		size_t n = b->afold ? 2 * b->afold : 64;
		uint32_t(*t)[2] = cprof_xcalloc(n, sizeof(*t));
		for (size_t i = 0; i < b->afold; i++)
			if (b->fold_set[i][0]) {
				size_t h = b->fold_set[i][0] * 2654435761u % n;
				while (t[h][0])
					h = (h + 1) % n;
				t[h][0] = b->fold_set[i][0], t[h][1] = b->fold_set[i][1];
			}
		free(b->fold_set);
		b->fold_set = t, b->afold = n;
	}
	size_t h = (r + 1) * 2654435761u % b->afold;
	while (b->fold_set[h][0] && b->fold_set[h][0] != r + 1)
		h = (h + 1) % b->afold;
	if (b->fold_set[h][0])
		return b->fold_set[h][1];
	uint32_t k = new_set(b);
	b->fold_set[h][0] = r + 1, b->fold_set[h][1] = k;
	b->nfold++;
	struct rx_set *st = &b->p->set[k];
	if (r >= 0xd800 && r <= 0xdfff) {
		st->exact = true; /* empty: no text holds a surrogate */
		return k;
	}
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "(?i:");
	emit_rune(&sb, r);
	strbuf_addch(&sb, ')');
	st->pcre = strbuf_detach(&sb, NULL);
	return k;
}

static void gen(struct pbuild *b, uint32_t id);

/* x? (lazy: x??), then where it goes on */
static void gen_quest(struct pbuild *b, uint32_t kid, bool lazy)
{
	uint32_t s = inst(b, RX_I_SPLIT, 0, 0);
	gen(b, kid);
	patch(b, s, lazy ? here(b) : s + 1, lazy ? s + 1 : here(b));
}

/* x+; x* as a loop, or as (x+)? when x can match nothing */
static void gen_loop(struct pbuild *b, uint32_t kid, bool star, bool lazy)
{
	const struct node *k = &b->rx->node[kid];
	uint32_t skip = UINT32_MAX;
	if (star && !k->nullable) {
		uint32_t l = inst(b, RX_I_SPLIT, 0, 0);
		gen(b, kid);
		inst(b, RX_I_JMP, l, 0);
		patch(b, l, lazy ? here(b) : l + 1, lazy ? l + 1 : here(b));
		return;
	}
	if (star)
		skip = inst(b, RX_I_SPLIT, 0, 0);
	uint32_t start = here(b);
	gen(b, kid);
	uint32_t l = inst(b, RX_I_SPLIT, 0, 0);
	patch(b, l, lazy ? here(b) : start, lazy ? start : here(b));
	if (star)
		patch(b, skip, lazy ? here(b) : start, lazy ? start : here(b));
}

static void gen(struct pbuild *b, uint32_t id)
{
	struct rx *rx = b->rx;
	const struct node *nd = &rx->node[id];
	static const uint8_t fixed[OP_LPAREN] = {
		[OP_ANY] = RX_I_ANY, [OP_ANYNL] = RX_I_ANYNL, [OP_BOL] = RX_I_BOL, [OP_EOL] = RX_I_EOL,
		[OP_BOT] = RX_I_BOT, [OP_EOT] = RX_I_EOT,     [OP_WB] = RX_I_WB,   [OP_NWB] = RX_I_NWB,
	};

	if (b->too_big)
		return;
	switch (nd->op) {
	case OP_EMPTY:
		break;
	case OP_LIT:
		for (uint32_t i = 0; i < nd->n; i++) {
			uint32_t r = rx->rune[nd->first + i];
			if (nd->fold)
				inst(b, RX_I_SET, folded_rune_set(b, r), 0);
			else
				inst(b, RX_I_RUNE, r, 0);
		}
		break;
	case OP_CLASS:
		inst(b, RX_I_SET, class_set(b, id), 0);
		break;
	case OP_CAP:
		inst(b, RX_I_SAVE, 2 * (uint32_t)nd->cap, 0);
		gen(b, nd->first);
		inst(b, RX_I_SAVE, 2 * (uint32_t)nd->cap + 1, 0);
		break;
	case OP_STAR:
	case OP_PLUS:
	case OP_QUEST: {
		const struct node *k = &rx->node[nd->first];
		if (k->op == OP_EMPTY)
			break;
		if (k->op == nd->op && k->lazy == nd->lazy) { /* x** is x* */
			gen(b, nd->first);
			break;
		}
		if (nd->op == OP_QUEST)
			gen_quest(b, nd->first, nd->lazy);
		else
			gen_loop(b, nd->first, nd->op == OP_STAR, nd->lazy);
		break;
	}
	case OP_REPEAT:
		if (nd->max == 0 || rx->node[nd->first].op == OP_EMPTY)
			break;
		if (nd->max < 0) {
			for (int i = 1; i < nd->min; i++)
				gen(b, nd->first);
			gen_loop(b, nd->first, nd->min == 0, nd->lazy);
			break;
		}
		for (int i = 0; i < nd->min; i++)
			gen(b, nd->first);
		if (nd->max > nd->min) {
			/* x{2,5} = xx(x(x(x)?)?)?: the optional copies all skip to the end */
			uint32_t *skips = cprof_xmalloc((size_t)(nd->max - nd->min) * sizeof(*skips));
			for (int i = 0; i < nd->max - nd->min; i++) {
				skips[i] = inst(b, RX_I_SPLIT, 0, 0);
				gen(b, nd->first);
			}
			for (int i = 0; i < nd->max - nd->min; i++)
				patch(b, skips[i], nd->lazy ? here(b) : skips[i] + 1, nd->lazy ? skips[i] + 1 : here(b));
			free(skips);
		}
		break;
	case OP_CONCAT:
		for (uint32_t i = 0; i < nd->n; i++)
			gen(b, rx->kid[nd->first + i]);
		break;
	case OP_ALT: {
		uint32_t *jumps = cprof_xmalloc(nd->n * sizeof(*jumps));
		for (uint32_t i = 0; i + 1 < nd->n; i++) {
			uint32_t s = inst(b, RX_I_SPLIT, 0, 0);
			gen(b, rx->kid[nd->first + i]);
			jumps[i] = inst(b, RX_I_JMP, 0, 0);
			patch(b, s, s + 1, here(b));
		}
		gen(b, rx->kid[nd->first + nd->n - 1]);
		for (uint32_t i = 0; i + 1 < nd->n; i++)
			patch(b, jumps[i], here(b), 0);
		free(jumps);
		break;
	}
	default:
		inst(b, fixed[nd->op], 0, 0);
		break;
	}
}

static void rx_release(struct rx *rx)
{
	for (size_t i = 0; i < rx->ncls; i++) {
		free(rx->cls[i].r);
		free(rx->cls[i].item);
		free(rx->cls[i].negt);
	}
	free(rx->cls);
	free(rx->node);
	free(rx->stack);
	free(rx->rune);
	free(rx->kid);
}

int cprof_regex_translate(const char *pattern, size_t len, struct cprof_regex_translation *t,
			  struct cprof_error *err)
{
	struct rx rx = {0};
	rx.pat = pattern;
	rx.end = pattern + len;
	rx.repeats = 1;

	memset(t, 0, sizeof(*t));
	strbuf_init(&t->pcre, 0);
	int rc = parse(&rx);
	if (rc) {
		cprof_error_set(err, CPROF_E_REGEX, "error parsing regexp: %s: `%.*s`", err_text[rx.code],
				(int)(rx.qend - rx.q), rx.q);
	} else {
		struct emitter e = {&rx, &t->pcre, 0, NULL, 0, false};
		e.group = cprof_xcalloc((size_t)rx.ncap + 1, sizeof(*e.group));
		emit_seq(&e, rx.stack[0]);
		t->ngroups = rx.ncap;
		t->group = e.group;
		t->empty_loops = e.empty_loops;
	}
	rx_release(&rx);
	return rc;
}

void cprof_regex_translation_release(struct cprof_regex_translation *t)
{
	strbuf_release(&t->pcre);
	free(t->group);
	t->group = NULL;
}

struct rx_prog *rx_prog_make(const char *pattern, size_t len)
{
	struct rx rx = {0};
	rx.pat = pattern;
	rx.end = pattern + len;
	rx.repeats = 1;
	if (parse(&rx)) {
		rx_release(&rx);
		return NULL;
	}
	struct rx_prog *p = cprof_xcalloc(1, sizeof(*p));
	struct pbuild b = {&rx, p, 0, 0, false, NULL, NULL, 0, 0};
	b.class_set = cprof_xmalloc(cprof_st_mult(rx.nnode, sizeof(*b.class_set)));
	memset(b.class_set, 0xff, rx.nnode * sizeof(*b.class_set));
	p->ncap = rx.ncap;
	inst(&b, RX_I_SAVE, 0, 0);
	gen(&b, rx.stack[0]);
	inst(&b, RX_I_SAVE, 1, 0);
	inst(&b, RX_I_MATCH, 0, 0);
	free(b.class_set);
	free(b.fold_set);
	rx_release(&rx);
	if (b.too_big) {
		rx_prog_free(p);
		return NULL;
	}
	return p;
}
