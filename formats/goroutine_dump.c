/*
 * goroutine_dump.c - Go goroutine dumps: runtime.Stack(buf, true),
 * /debug/pprof/goroutine?debug=2, SIGQUIT and crash tracebacks.
 *
 * The text, as the runtime prints it (runtime/traceback.go, Go 1.5 to 1.23):
 *
 *   dump     = { other-line } { block { other-line } }
 *   block    = header { frame | elided | unavail } [ creator ] { ancestor } ( "" | EOF )
 *   header   = "goroutine " ID { " " KEY "=" VALUE } " [" STATE { ", " EXTRA } "]:"
 *   EXTRA    = N " minutes" | "locked to thread" | anything else (ignored)
 *   frame    = FUNC "(" ARGS ")"  NL  TAB FILE ":" LINE [ " +0x" HEX ] [ " fp=.. sp=.. pc=.." ]
 *   creator  = "created by " FUNC [ " in goroutine " ID ]  NL  TAB FILE ":" LINE [ " +0x" HEX ]
 *   elided   = "...additional frames elided..." | "..." N " frames elided..."
 *   unavail  = TAB "goroutine running on other thread; stack unavailable"
 *   ancestor = "[originating from goroutine " ID "]:" frames (GODEBUG=tracebackancestors; skipped)
 *
 * for example (testdata/goroutines/dump_debug2.txt):
 *
 *   goroutine 19 [chan receive, 2 minutes]:
 *   main.recvInline(...)
 *           /work/main/testdata/gen/goroutines/main.go:64
 *   main.recvWorker(0x0?)
 *           /work/main/testdata/gen/goroutines/main.go:67 +0x27
 *   created by main.(*parked).groupOld
 *           /work/main/testdata/gen/goroutines/main.go:130 +0x27
 *
 * FUNC may itself hold parentheses and brackets (`main.(*T).m`,
 * `main.park[...]`); ARGS never holds parentheses (hex words, `{...}`
 * aggregates, `...`, a `?` after a possibly dead value), so the argument
 * list starts at the last '(' of the line. A frame printed as `f(...)`
 * without a PC offset is an inlined call (Go prints inlined frames so): it
 * joins the next frame's location as an inline line, as pprof models
 * inlining. Newer headers carry `gp=0x.. m=N mp=0x..` before the bracket
 * (Go 1.23, GOTRACEBACK=system or a runtime crash).
 *
 * A goroutine whose stack is "unavailable" gets the one pseudo frame
 * "<stack unavailable>": pprof drops samples without locations from every
 * report, and the goroutine should still count.
 *
 * Whatever is not a goroutine block (program output, "panic: ...",
 * "[signal SIGSEGV ...]", register dumps, "exit status 2") is skipped; the
 * crash message lines become profile comments. A line inside a block that
 * is none of the above ends the block. Carriage returns before a newline
 * are dropped. Nothing in a dump is an error except an impossible number
 * (an id or minute count beyond int64) or more frames than the depth limit.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/formats.h"
#include "cprof/goroutines.h"

#define MAX_COMMENTS 32
#define UNAVAILABLE_FRAME "<stack unavailable>"

/* Crash-message lines kept as profile comments. */
static const char *const comment_prefixes[] = {
	"panic: ", "\tpanic: ", "fatal error: ", "[signal ", "unexpected fault address ",
	"SIGQUIT: ", "SIGABRT: ", "SIGTRAP: ", "runtime: ", "fatal: ",
};

/* ---- hashing of interned pointers ----------------------------------------- */

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 32);
}

/*
 * A set of indices (functions or locations) keyed by a 64-bit hash; equal
 * hashes are told apart by the caller's comparison. Open addressing, load
 * below 1/2. Slot value 0 is empty, so indices are stored plus one.
 */
struct idxset {
	uint64_t *hash;
	uint32_t *idx1;
	size_t size, count;
};

static void idxset_release(struct idxset *s)
{
	free(s->hash);
	free(s->idx1);
	memset(s, 0, sizeof(*s));
}

static void idxset_grow(struct idxset *s)
{
	size_t nsize = s->size ? s->size * 2 : 256;
	uint64_t *nh = cprof_xcalloc(nsize, sizeof(*nh));
	uint32_t *ni = cprof_xcalloc(nsize, sizeof(*ni));
	for (size_t i = 0; i < s->size; i++) {
		if (!s->idx1[i])
			continue;
		size_t j = s->hash[i] & (nsize - 1);
		while (ni[j])
			j = (j + 1) & (nsize - 1);
		nh[j] = s->hash[i];
		ni[j] = s->idx1[i];
	}
	free(s->hash);
	free(s->idx1);
	s->hash = nh;
	s->idx1 = ni;
	s->size = nsize;
}

/* ---- the parser state ------------------------------------------------------ */

struct frame {
	const char *fn, *file; /* interned */
	int64_t line;
	bool inlined;
};

struct gor {
	bool open;
	int64_t goid;
	const char *state;
	int64_t wait; /* -1: not printed */
	bool locked, elided, unavailable, in_ancestor;
	const char *created_by, *created_at; /* NULL: none */
	int64_t parent;                      /* -1: none */
	bool creator_wants_file;
	struct frame *frames;
	size_t nframes, aframes;
	bool frame_wants_file; /* the last frame has not had its file line yet */
};

struct parser {
	struct cprof_profile *p;
	struct cprof_error *err;
	size_t lineno;
	struct idxset fns, locs;
	struct cprof_line *lines; /* scratch: lines of one location */
	size_t alines;
	uint32_t *stack; /* scratch: location indices of one goroutine */
	size_t astack;
	struct gor g;
	const char *empty;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool all_digits(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && is_digit(s[i]))
		i++;
	return n > 0 && i == n;
}

/* Parse s[0..n) as a non-negative decimal int64: 0, or -1 on overflow/non-digit. */
static int parse_i64(const char *s, size_t n, int64_t *v)
{
	uint64_t x = 0;
	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		if (x > ((uint64_t)INT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	*v = (int64_t)x;
	return 0;
}

static int corrupt(struct parser *ps, const char *what, const char *s, size_t n)
{
	if (n > 40)
		n = 40;
	return cprof_error_set(ps->err, CPROF_E_CORRUPT, "parsing profile: goroutine dump, line %zu: %s '%.*s'",
			       ps->lineno, what, (int)n, s);
}

static bool starts(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);
	return n >= k && memcmp(s, prefix, k) == 0;
}

/*
 * Recognise a goroutine header. On success sets the digits of the id
 * (id_s, id_n) and the bracket contents (st, stn) and returns true.
 */
static bool match_header(const char *s, size_t n, const char **id_s, size_t *id_n, const char **st,
			 size_t *stn)
{
	static const char head[] = "goroutine ";
	size_t i = sizeof(head) - 1;
	if (n < i + 5 || memcmp(s, head, i) != 0 || !is_digit(s[i]))
		return false;
	*id_s = s + i;
	while (i < n && is_digit(s[i]))
		i++;
	*id_n = (size_t)(s + i - *id_s);
	/* optional " key=value" words (gp=0x.. m=0 mp=0x..) */
	while (i < n && s[i] == ' ' && i + 1 < n && s[i + 1] != '[') {
		size_t j = i + 1;
		bool eq = false;
		while (j < n && s[j] != ' ') {
			if (s[j] == '=')
				eq = true;
			j++;
		}
		if (!eq)
			return false;
		i = j;
	}
	if (i + 2 > n || s[i] != ' ' || s[i + 1] != '[')
		return false;
	i += 2;
	if (n < 2 || s[n - 2] != ']' || s[n - 1] != ':' || n - 2 < i)
		return false;
	*st = s + i;
	*stn = n - 2 - i;
	return memchr(*st, ']', *stn) == NULL;
}

/* ---- building the model ------------------------------------------------------ */

static uint32_t intern_function(struct parser *ps, const char *name, const char *file)
{
	struct cprof_profile *p = ps->p;
	struct idxset *s = &ps->fns;
	uint64_t h = mix(mix(1, (uint64_t)(uintptr_t)name), (uint64_t)(uintptr_t)file);

	if (2 * (s->count + 1) > s->size)
		idxset_grow(s);
	size_t j = h & (s->size - 1);
	for (; s->idx1[j]; j = (j + 1) & (s->size - 1)) {
		const struct cprof_function *f = &p->function[s->idx1[j] - 1];
		if (s->hash[j] == h && f->name == name && f->filename == file)
			return s->idx1[j] - 1;
	}
	struct cprof_function *f = cprof_profile_add_function(p);
	f->id = p->nfunction;
	f->name = f->system_name = name;
	f->filename = file;
	s->hash[j] = h;
	s->idx1[j] = (uint32_t)p->nfunction;
	s->count++;
	return (uint32_t)(p->nfunction - 1);
}

/* The location of lines[0..n) (innermost first), made on first use. */
static uint32_t intern_location(struct parser *ps, const struct cprof_line *lines, size_t n)
{
	struct cprof_profile *p = ps->p;
	struct idxset *s = &ps->locs;
	uint64_t h = mix(2, n);
	for (size_t i = 0; i < n; i++)
		h = mix(mix(h, lines[i].fn), (uint64_t)lines[i].line);

	if (2 * (s->count + 1) > s->size)
		idxset_grow(s);
	size_t j = h & (s->size - 1);
	for (; s->idx1[j]; j = (j + 1) & (s->size - 1)) {
		const struct cprof_location *l = &p->location[s->idx1[j] - 1];
		if (s->hash[j] != h || l->nline != n)
			continue;
		size_t k = 0;
		while (k < n && l->line[k].fn == lines[k].fn && l->line[k].line == lines[k].line)
			k++;
		if (k == n)
			return s->idx1[j] - 1;
	}
	struct cprof_location *l = cprof_profile_add_location(p);
	l->id = p->nlocation;
	l->mapping = 0;
	l->line = cprof_arena_memdup(&p->arena, lines, n, sizeof(*lines));
	l->nline = (uint32_t)n;
	s->hash[j] = h;
	s->idx1[j] = (uint32_t)p->nlocation;
	s->count++;
	return (uint32_t)(p->nlocation - 1);
}

static void add_str_label(struct parser *ps, struct cprof_label *l, const char *key, const char *val)
{
	l->key = cprof_profile_str(ps->p, key);
	l->str = val;
	l->num = 0;
	l->num_unit = ps->empty;
}

static void add_num_label(struct parser *ps, struct cprof_label *l, const char *key, int64_t v,
			  const char *unit)
{
	l->key = cprof_profile_str(ps->p, key);
	l->str = NULL;
	l->num = v;
	l->num_unit = cprof_profile_str(ps->p, unit);
}

/* Turn the open goroutine into a sample. */
static int finish(struct parser *ps)
{
	struct gor *g = &ps->g;
	struct cprof_profile *p = ps->p;
	size_t nloc = 0;

	if (!g->open)
		return 0;
	g->open = false;
	if (g->nframes > cprof_limits.max_depth)
		return cprof_error_set(ps->err, CPROF_E_LIMIT,
				       "parsing profile: goroutine %lld has more than %u frames",
				       (long long)g->goid, cprof_limits.max_depth);

	/*
	 * pprof drops samples without locations from every report; a goroutine
	 * whose stack the runtime could not print still counts, under a
	 * pseudo frame.
	 */
	if (g->nframes == 0 && g->unavailable) {
		ALLOC_GROW(g->frames, 1, g->aframes);
		g->frames[0].fn = cprof_profile_str(p, UNAVAILABLE_FRAME);
		g->frames[0].file = ps->empty;
		g->frames[0].line = 0;
		g->frames[0].inlined = false;
		g->nframes = 1;
	}

	/* frames (leaf first) → locations: inlined frames join the next frame */
	for (size_t i = 0; i < g->nframes;) {
		size_t k = 0;
		for (;;) {
			const struct frame *f = &g->frames[i++];
			ALLOC_GROW(ps->lines, k + 1, ps->alines);
			ps->lines[k].fn = intern_function(ps, f->fn, f->file);
			ps->lines[k].line = f->line;
			ps->lines[k].column = 0;
			k++;
			if (!f->inlined || i == g->nframes)
				break;
		}
		ALLOC_GROW(ps->stack, nloc + 1, ps->astack);
		ps->stack[nloc++] = intern_location(ps, ps->lines, k);
	}

	struct cprof_sample *s = cprof_profile_add_sample(p);
	s->loc = cprof_arena_memdup(&p->arena, ps->stack, nloc, sizeof(*ps->stack));
	s->nloc = (uint32_t)nloc;
	s->value = cprof_arena_alloc(&p->arena, sizeof(int64_t));
	s->value[0] = 1;

	struct cprof_label lab[10];
	uint32_t n = 0;
	add_str_label(ps, &lab[n++], CPROF_GLABEL_STATE, g->state);
	add_num_label(ps, &lab[n++], CPROF_GLABEL_GOID, g->goid, "");
	if (g->wait >= 0)
		add_num_label(ps, &lab[n++], CPROF_GLABEL_WAIT, g->wait, CPROF_GLABEL_WAIT_UNIT);
	if (g->locked)
		add_str_label(ps, &lab[n++], CPROF_GLABEL_LOCKED, cprof_profile_str(p, "true"));
	if (g->created_by)
		add_str_label(ps, &lab[n++], CPROF_GLABEL_CREATED_BY, g->created_by);
	if (g->created_at)
		add_str_label(ps, &lab[n++], CPROF_GLABEL_CREATED_AT, g->created_at);
	if (g->parent >= 0)
		add_num_label(ps, &lab[n++], CPROF_GLABEL_PARENT, g->parent, "");
	if (g->elided)
		add_str_label(ps, &lab[n++], CPROF_GLABEL_ELIDED, cprof_profile_str(p, "true"));
	if (g->unavailable)
		add_str_label(ps, &lab[n++], CPROF_GLABEL_STACK, cprof_profile_str(p, "unavailable"));
	s->label = cprof_arena_memdup(&p->arena, lab, n, sizeof(*lab));
	s->nlabel = n;
	return 0;
}

/* ---- line handlers ------------------------------------------------------------- */

static int start_goroutine(struct parser *ps, const char *id_s, size_t id_n, const char *st, size_t stn)
{
	struct gor *g = &ps->g;
	int64_t goid;

	if (parse_i64(id_s, id_n, &goid) < 0)
		return corrupt(ps, "goroutine id out of range", id_s, id_n);
	g->open = true;
	g->goid = goid;
	g->wait = -1;
	g->parent = -1;
	g->locked = g->elided = g->unavailable = g->in_ancestor = false;
	g->created_by = g->created_at = NULL;
	g->creator_wants_file = g->frame_wants_file = false;
	g->nframes = 0;

	/* STATE { ", " EXTRA } */
	const char *end = st + stn, *comma = NULL;
	for (const char *q = st; q + 1 < end; q++)
		if (q[0] == ',' && q[1] == ' ') {
			comma = q;
			break;
		}
	g->state = cprof_profile_strn(ps->p, st, (size_t)((comma ? comma : end) - st));
	while (comma) {
		const char *x = comma + 2, *next = NULL;
		for (const char *q = x; q + 1 < end; q++)
			if (q[0] == ',' && q[1] == ' ') {
				next = q;
				break;
			}
		const char *xe = next ? next : end;
		size_t xn = (size_t)(xe - x), d = 0;
		while (d < xn && is_digit(x[d]))
			d++;
		if (d > 0 && (xn - d == 8 || xn - d == 7) && starts(x + d, xn - d, " minute")) {
			if (parse_i64(x, d, &g->wait) < 0)
				return corrupt(ps, "wait time out of range", x, d);
		} else if (xn == 16 && starts(x, xn, "locked to thread")) {
			g->locked = true;
		}
		comma = next;
	}
	return 0;
}

/* "\tFILE:LINE [+0x..] [fp=.. sp=.. pc=..]" → file, line */
static void parse_file_line(struct parser *ps, const char *s, size_t n, const char **file, int64_t *line)
{
	const char *e = s + n;
	for (const char *q = s; q < e; q++)
		if (*q == ' ' && (starts(q, (size_t)(e - q), " +0x") || starts(q, (size_t)(e - q), " fp="))) {
			e = q;
			break;
		}
	const char *colon = NULL;
	for (const char *q = e; q > s; q--)
		if (q[-1] == ':') {
			colon = q - 1;
			break;
		}
	*line = 0;
	if (colon && colon + 1 < e && parse_i64(colon + 1, (size_t)(e - colon - 1), line) == 0) {
		*file = cprof_profile_strn(ps->p, s, (size_t)(colon - s));
		return;
	}
	*line = 0;
	*file = cprof_profile_strn(ps->p, s, (size_t)(e - s));
}

static bool has_pc_offset(const char *s, size_t n)
{
	for (size_t i = 0; i + 4 <= n; i++)
		if (memcmp(s + i, " +0x", 4) == 0)
			return true;
	return false;
}

/* "FUNC(ARGS)" → push a frame; false when the line is not a frame. */
static bool push_frame(struct parser *ps, const char *s, size_t n)
{
	struct gor *g = &ps->g;
	if (n < 3 || s[n - 1] != ')')
		return false;
	const char *open = NULL;
	for (size_t i = n - 1; i-- > 0;)
		if (s[i] == '(') {
			open = s + i;
			break;
		}
	if (!open || open == s)
		return false;
	ALLOC_GROW(g->frames, g->nframes + 1, g->aframes);
	struct frame *f = &g->frames[g->nframes++];
	f->fn = cprof_profile_strn(ps->p, s, (size_t)(open - s));
	f->file = ps->empty;
	f->line = 0;
	/* inlined until its file line shows a PC offset; Go prints inlined calls as f(...) */
	f->inlined = (size_t)(s + n - open) == 5 && memcmp(open, "(...)", 5) == 0;
	g->frame_wants_file = true;
	return true;
}

static bool is_elided(const char *s, size_t n)
{
	if (n == 30 && starts(s, n, "...additional frames elided..."))
		return true;
	/* Go 1.21+: "...N frames elided..." between the innermost and outermost frames */
	if (!starts(s, n, "...") || n < 3 + 1 + 17)
		return false;
	size_t i = 3;
	while (i < n && is_digit(s[i]))
		i++;
	return i > 3 && n - i == 17 && memcmp(s + i, " frames elided...", 17) == 0;
}

/* One line inside a goroutine block; false when it ends the block. */
static int block_line(struct parser *ps, const char *s, size_t n, bool *ended)
{
	struct gor *g = &ps->g;
	*ended = false;

	if (s[0] == '\t' || s[0] == ' ') { /* file lines; pasted dumps may indent with spaces */
		while (n && (s[0] == '\t' || s[0] == ' '))
			s++, n--;
		if (g->creator_wants_file) {
			const char *file;
			int64_t line;
			parse_file_line(ps, s, n, &file, &line);
			struct strbuf at = STRBUF_INIT;
			strbuf_addstr(&at, file);
			if (line)
				strbuf_addf(&at, ":%lld", (long long)line);
			g->created_at = cprof_profile_strn(ps->p, at.buf, at.len);
			strbuf_release(&at);
			g->creator_wants_file = false;
		} else if (g->in_ancestor) {
			/* frames of an ancestor goroutine: not part of this stack */
		} else if (g->frame_wants_file) {
			struct frame *f = &g->frames[g->nframes - 1];
			parse_file_line(ps, s, n, &f->file, &f->line);
			if (f->inlined && has_pc_offset(s, n))
				f->inlined = false;
			g->frame_wants_file = false;
		} else if (starts(s, n, "goroutine running on other thread")) {
			g->unavailable = true;
		}
		return 0;
	}
	g->frame_wants_file = false;
	g->creator_wants_file = false;
	if (g->in_ancestor)
		return 0;
	if (starts(s, n, "created by ")) {
		/* "created by F" or, Go 1.21+, "created by F in goroutine N" */
		static const char in_g[] = " in goroutine ";
		const char *fn = s + 11, *e = s + n;
		size_t fnlen = n - 11, k = sizeof(in_g) - 1; /* the last " in goroutine " with a digit after it */
		for (size_t i = fnlen > k ? fnlen - k : 0; i-- > 0;) {
			const char *q = fn + i;
			if (memcmp(q, in_g, k) != 0)
				continue;
			const char *d = q + k;
			size_t dn = (size_t)(e - d);
			if (all_digits(d, dn)) {
				if (parse_i64(d, dn, &g->parent) < 0)
					return corrupt(ps, "goroutine id out of range", d, dn);
				e = q;
			}
			break;
		}
		g->created_by = cprof_profile_strn(ps->p, fn, (size_t)(e - fn));
		g->creator_wants_file = true;
		return 0;
	}
	if (is_elided(s, n)) {
		g->elided = true;
		return 0;
	}
	if (starts(s, n, "[originating from goroutine ")) {
		g->in_ancestor = true;
		return 0;
	}
	if (!g->created_by && push_frame(ps, s, n))
		return 0;
	*ended = true;
	return 0;
}

static void maybe_comment(struct parser *ps, const char *s, size_t n)
{
	if (ps->p->ncomment >= MAX_COMMENTS)
		return;
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(comment_prefixes); i++)
		if (starts(s, n, comment_prefixes[i])) {
			char *c = cprof_xstrndup(s, n);
			for (char *q = c; *q; q++)
				if (*q == '\t')
					*q = ' ';
			cprof_profile_add_comment(ps->p, c + (*c == ' '));
			free(c);
			return;
		}
}

/* ---- entry point ---------------------------------------------------------------- */

/* Whether the text holds a goroutine header anywhere (cheap pre-check). */
static bool has_header(const char *s, size_t len)
{
	const char *e = s + len;
	for (const char *q = s; q < e;) {
		const char *nl = memchr(q, '\n', (size_t)(e - q));
		size_t n = (size_t)((nl ? nl : e) - q);
		if (n && q[n - 1] == '\r')
			n--;
		const char *a, *b;
		size_t an, bn;
		if (match_header(q, n, &a, &an, &b, &bn))
			return true;
		q = nl ? nl + 1 : e;
	}
	return false;
}

enum cprof_probe cprof_goroutine_dump_probe(const unsigned char *head, size_t len, struct cprof_error *err)
{
	(void)err;
	return memchr(head, '\0', len) ? CPROF_PROBE_NOT : CPROF_PROBE_MAYBE;
}

int cprof_goroutine_dump_parse(const unsigned char *data, size_t len, struct cprof_profile **out,
			       struct cprof_error *err)
{
	const char *text = (const char *)data;
	*out = NULL;
	if (len == 0 || memchr(data, '\0', len) || !has_header(text, len))
		return cprof_error_set(err, CPROF_E_FORMAT, "parsing profile: unrecognized profile format");

	struct parser ps = {0};
	ps.err = err;
	ps.p = cprof_profile_new();
	struct cprof_profile *p = ps.p;
	ps.empty = cprof_profile_str(p, "");
	const struct cprof_value_type vt = {"goroutine", "count"};
	cprof_profile_set_sample_types(p, &vt, 1);
	p->period_type.type = cprof_profile_str(p, "goroutine");
	p->period_type.unit = cprof_profile_str(p, "count");
	p->period = 1;
	struct cprof_mapping *m = cprof_profile_add_mapping(p);
	m->id = 1;
	m->has_functions = m->has_filenames = m->has_line_numbers = m->has_inline_frames = true;

	int rc = 0;
	const char *e = text + len;
	for (const char *q = text; q < e;) {
		const char *nl = memchr(q, '\n', (size_t)(e - q));
		size_t n = (size_t)((nl ? nl : e) - q);
		const char *line = q;
		q = nl ? nl + 1 : e;
		ps.lineno++;
		if (n && line[n - 1] == '\r')
			n--;

		const char *id_s, *st;
		size_t id_n, stn;
		if (match_header(line, n, &id_s, &id_n, &st, &stn)) {
			if ((rc = finish(&ps)) == 0)
				rc = start_goroutine(&ps, id_s, id_n, st, stn);
			continue;
		}
		if (ps.g.open) {
			bool ended = true;
			if (n && (rc = block_line(&ps, line, n, &ended)) != 0)
				break;
			if (!ended)
				continue;
			if ((rc = finish(&ps)) != 0)
				break;
		}
		if (n)
			maybe_comment(&ps, line, n);
	}
	if (rc == 0)
		rc = finish(&ps);

	idxset_release(&ps.fns);
	idxset_release(&ps.locs);
	free(ps.lines);
	free(ps.stack);
	free(ps.g.frames);
	if (rc) {
		cprof_profile_free(p);
		return -1;
	}
	*out = p;
	return 0;
}
