/*
 * legacy_comments.c - the '#' comment lines of Go's debug=1 text profiles
 * (heap, allocs, block, mutex, goroutine, threadcreate), which pprof skips.
 *
 * runtime/pprof prints, after each "N @ pc pc ..." record, the frames of
 * the stack (runtime.CallersFrames: inlined calls are frames of their own,
 * innermost first, all with the PC of their physical call; Go 1.19 gives
 * each inlined caller a made-up PC of its own instead, which
 * fold_fake_pcs() puts back together as the runtime's proto writer does),
 * leaving out the runtime frames at the leaf end and runtime.goexit;
 * goroutine profiles
 * also print the goroutine's labels (Go's %q strings):
 *
 *   2 @ 0x438176 0x44903e 0x449015 0x4611e5 0x46a6a5 0x4cc798 0x4cc779 0x464c81
 *   # labels: {"role":"locker"}
 *   #	0x4611e4	sync.runtime_SemacquireMutex+0x24	/usr/lib/go-1.19/src/runtime/sema.go:77
 *   #	0x46a6a4	sync.(*Mutex).lockSlow+0x164		/usr/lib/go-1.19/src/sync/mutex.go:171
 *
 * The printed PC is the location's address (the return address - 1, as
 * pprof adjusts it). When the same PC appears k times in a row in a stack
 * (recursion), its frames are printed k times; one copy is its inline
 * chain. An address keeps the longest chain seen in any record, since
 * hidden leaf frames can shorten one.
 *
 * The parsers hand the lines over (legacy_comments_line); legacy_done()
 * turns them into the profile's text_comments; cprof_profile_use_text_comments()
 * gives the locations their functions and the samples their labels, as
 * pprof's local symbolizer would have from the binary.
 */
#include <stdlib.h>
#include <string.h>

#include "formats/legacy.h"

struct text_frame {
	const char *name, *file;
	int64_t line;
	uint64_t entry; /* the physical function's entry (pc - offset), or 0 */
};

struct text_symbol {
	uint64_t address;
	struct text_frame *frame; /* innermost first */
	uint32_t nframe;
};

struct text_labels {
	uint32_t sample;
	uint32_t nlabel;
	struct cprof_label *label;
};

struct cprof_text_comments {
	struct text_symbol *sym; /* sorted by address */
	size_t nsym;
	struct text_labels *lab; /* in sample order */
	size_t nlab;
	size_t nsample; /* the profile's sample count when parsed */
};

struct comment_line {
	uint32_t sample;
	struct span text;
};

struct text_comments_builder {
	struct comment_line *line;
	size_t nline, aline;
};

void legacy_comments_begin(struct legacy *lp)
{
	if (!lp->comments)
		lp->comments = cprof_xcalloc(1, sizeof(*lp->comments));
}

void legacy_comments_line(struct legacy *lp, struct span text)
{
	struct text_comments_builder *b = lp->comments;
	if (!b || lp->p->nsample == 0)
		return;
	ALLOC_GROW(b->line, b->nline + 1, b->aline);
	b->line[b->nline].sample = (uint32_t)(lp->p->nsample - 1);
	b->line[b->nline].text = text;
	b->nline++;
}

void legacy_comments_free(struct legacy *lp)
{
	if (lp->comments)
		free(lp->comments->line);
	free(lp->comments);
	lp->comments = NULL;
}

/* ---- one comment line ------------------------------------------------------ */

static size_t skip_blank(struct span s, size_t i)
{
	while (i < s.n && (s.p[i] == ' ' || s.p[i] == '\t'))
		i++;
	return i;
}

struct sym_line {
	uint64_t addr;
	struct span name, file;
	int64_t line;
	uint64_t entry; /* addr - the "+0x<offset>", or 0 without one */
};

/*
 * "#\t0x4cb73c\tmain.fill+0xfc\t\t/src/main.go:448", or "#\t0x4cb73c" for a
 * frame without a name (out->name empty); false for anything else.
 */
static bool parse_sym_line(struct span s, struct sym_line *out)
{
	size_t i = skip_blank(s, 1), b;
	if (i + 2 >= s.n || s.p[i] != '0' || s.p[i + 1] != 'x')
		return false;
	b = i += 2;
	uint64_t addr = 0;
	while (i < s.n && re_xdigit((unsigned char)s.p[i]) && i - b < 16) {
		int c = (unsigned char)s.p[i++];
		addr = addr << 4 | (uint64_t)(re_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	if (i == b || (i < s.n && s.p[i] != ' ' && s.p[i] != '\t'))
		return false;
	i = skip_blank(s, i);
	b = i;
	while (i < s.n && s.p[i] != ' ' && s.p[i] != '\t')
		i++;
	struct span name = span_make(s.p + b, i - b);
	uint64_t entry = 0;
	/* drop "+0x<offset>", keeping pc - offset: the entry of the function that holds the pc */
	for (size_t k = name.n; k-- > 0;) {
		if (name.p[k] == '+') {
			if (k + 2 < name.n && name.p[k + 1] == '0' && name.p[k + 2] == 'x') {
				uint64_t off;
				if (go_parse_uint(span_make(name.p + k + 1, name.n - k - 1), 0, &off, NULL, 0) == 0 &&
				    off <= addr)
					entry = addr - off;
				name.n = k;
			}
			break;
		}
	}
	struct span rest = go_trim_space(span_make(s.p + i, s.n - i));
	int64_t line = 0;
	const char *colon = NULL;
	for (size_t k = rest.n; k-- > 0;)
		if (rest.p[k] == ':') {
			colon = rest.p + k;
			break;
		}
	if (colon) {
		struct span num = span_make(colon + 1, rest.n - (size_t)(colon + 1 - rest.p));
		bool digits = num.n > 0;
		for (size_t k = 0; k < num.n; k++)
			digits &= re_digit((unsigned char)num.p[k]) != 0;
		if (digits && go_parse_int(num, 10, &line, NULL, 0) == 0)
			rest.n = (size_t)(colon - rest.p);
		else
			line = 0;
	}
	out->addr = addr;
	out->entry = entry;
	out->name = name;
	out->file = name.n ? rest : span_make(rest.p, 0);
	out->line = name.n ? line : 0;
	return true;
}

/* Go's strconv.Unquote of a double-quoted string at s[*i]; appends to out. */
static bool unquote(struct span s, size_t *i, struct strbuf *out)
{
	size_t k = *i;
	if (k >= s.n || s.p[k] != '"')
		return false;
	for (k++; k < s.n; k++) {
		unsigned char c = (unsigned char)s.p[k];
		if (c == '"') {
			*i = k + 1;
			return true;
		}
		if (c != '\\') {
			strbuf_addch(out, c);
			continue;
		}
		if (++k >= s.n)
			return false;
		c = (unsigned char)s.p[k];
		int esc = -1;
		switch (c) {
		case 'a': esc = '\a'; break;
		case 'b': esc = '\b'; break;
		case 'f': esc = '\f'; break;
		case 'n': esc = '\n'; break;
		case 'r': esc = '\r'; break;
		case 't': esc = '\t'; break;
		case 'v': esc = '\v'; break;
		case '\\': esc = '\\'; break;
		case '"': esc = '"'; break;
		}
		if (esc >= 0) {
			strbuf_addch(out, esc);
			continue;
		}
		int ndig = c == 'x' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;
		uint32_t v = 0;
		if (ndig) {
			for (int d = 0; d < ndig; d++) {
				if (++k >= s.n || !re_xdigit((unsigned char)s.p[k]))
					return false;
				int h = (unsigned char)s.p[k];
				v = v << 4 | (uint32_t)(re_digit(h) ? h - '0' : (h | 0x20) - 'a' + 10);
			}
		} else if (c >= '0' && c <= '7') {
			v = c - '0';
			for (int d = 0; d < 2; d++) {
				if (++k >= s.n || s.p[k] < '0' || s.p[k] > '7')
					return false;
				v = v << 3 | (uint32_t)(s.p[k] - '0');
			}
			if (v > 255)
				return false;
			ndig = 2; /* a byte */
		} else {
			return false;
		}
		if (ndig == 2) {
			strbuf_addch(out, (int)v);
		} else if (v < 0x80) {
			strbuf_addch(out, (int)v);
		} else if (v < 0x800) {
			strbuf_addch(out, (int)(0xc0 | v >> 6));
			strbuf_addch(out, (int)(0x80 | (v & 0x3f)));
		} else if (v < 0x10000) {
			strbuf_addch(out, (int)(0xe0 | v >> 12));
			strbuf_addch(out, (int)(0x80 | (v >> 6 & 0x3f)));
			strbuf_addch(out, (int)(0x80 | (v & 0x3f)));
		} else if (v < 0x110000) {
			strbuf_addch(out, (int)(0xf0 | v >> 18));
			strbuf_addch(out, (int)(0x80 | (v >> 12 & 0x3f)));
			strbuf_addch(out, (int)(0x80 | (v >> 6 & 0x3f)));
			strbuf_addch(out, (int)(0x80 | (v & 0x3f)));
		} else {
			return false;
		}
	}
	return false;
}

/* `# labels: {"k":"v", "k2":"v2"}` (runtime/pprof's labelMap.String) */
static bool parse_labels(struct cprof_profile *p, struct span s, struct text_labels *out)
{
	static const char head[] = "labels:";
	size_t i = skip_blank(s, 1);
	if (s.n - i < sizeof(head) - 1 || memcmp(s.p + i, head, sizeof(head) - 1) != 0)
		return false;
	i = skip_blank(s, i + sizeof(head) - 1);
	if (i >= s.n || s.p[i] != '{')
		return false;
	i++;

	struct strbuf k = STRBUF_INIT, v = STRBUF_INIT;
	struct cprof_label *l = NULL;
	size_t n = 0, a = 0;
	bool ok = false;
	for (;;) {
		i = skip_blank(s, i);
		if (i < s.n && s.p[i] == '}' && n == 0) {
			ok = i + 1 == s.n;
			break;
		}
		strbuf_reset(&k);
		strbuf_reset(&v);
		if (!unquote(s, &i, &k) || i >= s.n || s.p[i++] != ':' || !unquote(s, &i, &v))
			break;
		ALLOC_GROW(l, n + 1, a);
		l[n].key = cprof_profile_strn(p, k.buf, k.len);
		l[n].str = cprof_profile_strn(p, v.buf, v.len);
		l[n].num = 0;
		l[n].num_unit = cprof_profile_str(p, "");
		n++;
		if (i < s.n && s.p[i] == ',') {
			i++;
			continue;
		}
		ok = i + 1 == s.n && s.p[i] == '}';
		break;
	}
	if (ok && n) {
		out->label = cprof_arena_memdup(&p->arena, l, n, sizeof(*l));
		out->nlabel = (uint32_t)n;
	}
	free(l);
	strbuf_release(&k);
	strbuf_release(&v);
	return ok && n;
}

/* ---- building the table ----------------------------------------------------- */

struct sym_build {
	struct addr_map index; /* address -> index into sym */
	struct text_symbol *sym;
	bool *inferred; /* per sym: named by inference, not by a printed line */
	size_t nsym, asym, ainferred;
};

/*
 * Keep `n` frames for the address unless a longer printed chain is known
 * (printed chains replace inferred ones).
 */
static void offer_chain(struct cprof_profile *p, struct sym_build *sb, uint64_t addr,
			const struct sym_line *f, size_t n, bool inferred)
{
	uint32_t i = addr_map_get(&sb->index, addr);
	if (i != CPROF_NONE && (inferred || (!sb->inferred[i] && sb->sym[i].nframe >= n)))
		return;
	if (i == CPROF_NONE) {
		ALLOC_GROW(sb->sym, sb->nsym + 1, sb->asym);
		ALLOC_GROW(sb->inferred, sb->nsym + 1, sb->ainferred);
		i = (uint32_t)sb->nsym++;
		addr_map_put(&sb->index, addr, i);
	}
	struct text_frame *fr = cprof_arena_alloc(&p->arena, cprof_st_mult(n, sizeof(*fr)));
	for (size_t k = 0; k < n; k++) {
		fr[k].name = cprof_profile_strn(p, f[k].name.p, f[k].name.n);
		fr[k].file = cprof_profile_strn(p, f[k].file.p, f[k].file.n);
		fr[k].line = f[k].line;
		fr[k].entry = f[k].entry;
	}
	sb->sym[i].address = addr;
	sb->sym[i].frame = fr;
	sb->sym[i].nframe = (uint32_t)n;
	sb->inferred[i] = inferred;
}

/*
 * The frame lines of one record, matched against its stack. Go's writer
 * (printStackRecord) leaves out runtime.goexit and, until it has printed
 * one frame, every runtime.* frame: so a stack entry without lines is
 * runtime.goexit after the first printed frame, and some runtime function
 * before it, named "runtime.<hidden>" here (so that drop_frames patterns
 * such as heap profiles' runtime\..* treat it as pprof would treat the
 * real name).
 */
static void take_record(struct cprof_profile *p, struct sym_build *sb, const struct cprof_sample *s,
			const struct sym_line *f, size_t nf)
{
	static const struct sym_line goexit = {0, {"runtime.goexit", 14}, {"", 0}, 0, 0};
	static const struct sym_line hidden = {0, {"runtime.<hidden>", 16}, {"", 0}, 0, 0};
	size_t at = 0; /* position in the stack */
	bool shown = false;

	for (size_t g = 0; g < nf;) {
		size_t ge = g + 1;
		while (ge < nf && f[ge].addr == f[g].addr)
			ge++;
		uint64_t addr = f[g].addr;
		size_t from = at;
		while (at < s->nloc && p->location[s->loc[at]].address != addr)
			at++;
		if (at == s->nloc)
			return; /* not this stack's frames: trust the record no further */
		for (size_t k = from; k < at; k++)
			offer_chain(p, sb, p->location[s->loc[k]].address, shown ? &goexit : &hidden, 1, true);
		size_t k = 0;
		while (at < s->nloc && p->location[s->loc[at]].address == addr)
			at++, k++;
		size_t n = ge - g;
		if (n % k == 0)
			n /= k;
		if (f[g].name.n)
			offer_chain(p, sb, addr, &f[g], n, false);
		shown = true;
		g = ge;
	}
	for (; shown && at < s->nloc; at++)
		offer_chain(p, sb, p->location[s->loc[at]].address, &goexit, 1, true);
}

static int by_address(const void *a, const void *b)
{
	const struct text_symbol *x = a, *y = b;
	return x->address < y->address ? -1 : x->address > y->address;
}

void legacy_comments_end(struct legacy *lp)
{
	struct text_comments_builder *b = lp->comments;
	struct cprof_profile *p = lp->p;
	struct sym_build sb = {0};
	struct sym_line *f = NULL;
	size_t nf = 0, af = 0;
	struct text_labels *lab = NULL;
	size_t nlab = 0, alab = 0;

	if (!b || !b->nline) {
		legacy_comments_free(lp);
		return;
	}
	for (size_t i = 0; i < b->nline;) {
		uint32_t sample = b->line[i].sample;
		nf = 0;
		for (; i < b->nline && b->line[i].sample == sample; i++) {
			struct sym_line sl;
			struct text_labels tl;
			if (parse_sym_line(b->line[i].text, &sl)) {
				ALLOC_GROW(f, nf + 1, af);
				f[nf++] = sl;
			} else if (parse_labels(p, b->line[i].text, &tl)) {
				tl.sample = sample;
				ALLOC_GROW(lab, nlab + 1, alab);
				lab[nlab++] = tl;
			}
		}
		if (nf && sample < p->nsample)
			take_record(p, &sb, &p->sample[sample], f, nf);
	}
	free(f);
	addr_map_release(&sb.index);

	if (sb.nsym || nlab) {
		struct cprof_text_comments *tc = cprof_arena_calloc(&p->arena, 1, sizeof(*tc));
		if (sb.nsym) {
			qsort(sb.sym, sb.nsym, sizeof(*sb.sym), by_address);
			tc->sym = cprof_arena_memdup(&p->arena, sb.sym, sb.nsym, sizeof(*sb.sym));
			tc->nsym = sb.nsym;
		}
		if (nlab) {
			tc->lab = cprof_arena_memdup(&p->arena, lab, nlab, sizeof(*lab));
			tc->nlab = nlab;
		}
		tc->nsample = p->nsample;
		p->text_comments = tc;
	}
	free(sb.sym);
	free(sb.inferred);
	free(lab);
	legacy_comments_free(lp);
}

/* ---- applying ---------------------------------------------------------------- */

static const struct text_symbol *find_symbol(const struct cprof_text_comments *tc, uint64_t addr)
{
	size_t lo = 0, hi = tc->nsym;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (tc->sym[mid].address < addr)
			lo = mid + 1;
		else if (tc->sym[mid].address > addr)
			hi = mid;
		else
			return &tc->sym[mid];
	}
	return NULL;
}

/* Functions made here, found again by (name, file). */
struct fn_index {
	const char **name, **file;
	uint32_t *fn;
	size_t size, count;
};

static uint32_t fn_get(struct cprof_profile *p, struct fn_index *ix, const char *name, const char *file)
{
	if ((ix->count + 1) * 2 > ix->size) {
		struct fn_index n = {0};
		n.size = ix->size ? ix->size * 2 : 64;
		n.name = cprof_xcalloc(n.size, sizeof(*n.name));
		n.file = cprof_xcalloc(n.size, sizeof(*n.file));
		n.fn = cprof_xcalloc(n.size, sizeof(*n.fn));
		n.count = ix->count;
		for (size_t i = 0; i < ix->size; i++) {
			if (!ix->name[i])
				continue;
			size_t h = ((uintptr_t)ix->name[i] * 31 + (uintptr_t)ix->file[i]) * 0x9e3779b97f4a7c15ULL >> 20;
			size_t j = h & (n.size - 1);
			while (n.name[j])
				j = (j + 1) & (n.size - 1);
			n.name[j] = ix->name[i], n.file[j] = ix->file[i], n.fn[j] = ix->fn[i];
		}
		free(ix->name), free(ix->file), free(ix->fn);
		*ix = n;
	}
	size_t h = ((uintptr_t)name * 31 + (uintptr_t)file) * 0x9e3779b97f4a7c15ULL >> 20;
	size_t j = h & (ix->size - 1);
	while (ix->name[j]) {
		if (ix->name[j] == name && ix->file[j] == file)
			return ix->fn[j];
		j = (j + 1) & (ix->size - 1);
	}
	struct cprof_function *f = cprof_profile_add_function(p);
	f->id = p->nfunction;
	f->name = f->system_name = name;
	f->filename = file;
	ix->name[j] = name, ix->file[j] = file, ix->fn[j] = (uint32_t)(p->nfunction - 1);
	ix->count++;
	return ix->fn[j];
}

static void add_labels(struct cprof_profile *p, struct cprof_sample *s, const struct text_labels *tl)
{
	struct cprof_label *l = cprof_arena_alloc(&p->arena, cprof_st_mult(s->nlabel + tl->nlabel, sizeof(*l)));
	if (s->nlabel)
		memcpy(l, s->label, s->nlabel * sizeof(*l));
	memcpy(l + s->nlabel, tl->label, tl->nlabel * sizeof(*l));
	s->label = l;
	s->nlabel += tl->nlabel;
}

/*
 * Go 1.19's fake PCs. Its tracebacks give an inlined call a stack entry of
 * its own: the pc inside the inlined body, then a made-up pc in the caller
 * (the NOP the compiler left at the call site), each printed as one frame.
 * The runtime's profile.proto writer (runtime/pprof/proto.go, pcDeck)
 * folds such a run back into one location with the inline chain as its
 * lines, and so does cprof here, by the same rule: the next entry joins
 * the run when its frame has the same function entry as the run's last
 * frame (pc - offset: an inlined frame reports the entry of the function
 * it is inlined into) under another name (the same name is recursion).
 * A run becomes one new location (the first entry's address, every
 * frame's line) shared by all stacks that hold the same run.
 */
struct inl_info {
	uint64_t first_entry, last_entry; /* of the location's innermost / outermost frame */
	const char *first_name, *last_name;
};

struct run_index {
	struct addr_map map;  /* hash of a run -> index into runs */
	uint32_t *pool;       /* the runs' location indices, back to back */
	size_t npool, apool;
	struct run { size_t off; uint32_t n, loc; } *runs;
	size_t nruns, aruns;
};

static bool joins(const struct inl_info *in, uint32_t last, uint32_t next)
{
	const struct inl_info *a = &in[last], *b = &in[next];
	return a->last_entry && b->first_entry == a->last_entry && a->last_name && b->first_name &&
	       strcmp(a->last_name, b->first_name) != 0;
}

static uint32_t run_location(struct cprof_profile *p, struct run_index *ri, const uint32_t *loc, uint32_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (uint32_t k = 0; k < n; k++)
		h = (h ^ loc[k]) * 0x100000001b3ULL;
	for (;; h++) {
		uint32_t r = addr_map_get(&ri->map, h);
		if (r == CPROF_NONE)
			break;
		if (ri->runs[r].n == n && !memcmp(ri->pool + ri->runs[r].off, loc, n * sizeof(*loc)))
			return ri->runs[r].loc;
	}
	uint32_t nline = 0;
	for (uint32_t k = 0; k < n; k++)
		nline += p->location[loc[k]].nline;
	struct cprof_line *ln = cprof_arena_alloc(&p->arena, cprof_st_mult(nline, sizeof(*ln)));
	nline = 0;
	for (uint32_t k = 0; k < n; k++) {
		const struct cprof_location *src = &p->location[loc[k]];
		memcpy(ln + nline, src->line, src->nline * sizeof(*ln));
		nline += src->nline;
	}
	struct cprof_location first = p->location[loc[0]];
	struct cprof_location *l = cprof_profile_add_location(p);
	l->id = p->nlocation;
	l->address = first.address;
	l->mapping = first.mapping;
	l->line = ln;
	l->nline = nline;

	ALLOC_GROW(ri->pool, ri->npool + n, ri->apool);
	memcpy(ri->pool + ri->npool, loc, n * sizeof(*loc));
	ALLOC_GROW(ri->runs, ri->nruns + 1, ri->aruns);
	ri->runs[ri->nruns] = (struct run){ri->npool, n, (uint32_t)(p->nlocation - 1)};
	ri->npool += n;
	addr_map_put(&ri->map, h, (uint32_t)ri->nruns++);
	return (uint32_t)(p->nlocation - 1);
}

static void fold_fake_pcs(struct cprof_profile *p, const struct inl_info *in)
{
	struct run_index ri = {0};
	size_t nloc0 = p->nlocation;

	for (size_t i = 0; i < p->nsample; i++) {
		struct cprof_sample *s = &p->sample[i];
		uint32_t out = 0;
		for (uint32_t k = 0; k < s->nloc;) {
			uint32_t e = k + 1;
			while (e < s->nloc && s->loc[e - 1] < nloc0 && s->loc[e] < nloc0 && joins(in, s->loc[e - 1], s->loc[e]))
				e++;
			uint32_t loc = e - k > 1 ? run_location(p, &ri, s->loc + k, e - k) : s->loc[k];
			s->loc[out++] = loc;
			k = e;
		}
		s->nloc = out;
	}
	addr_map_release(&ri.map);
	free(ri.pool);
	free(ri.runs);
}

size_t cprof_profile_use_text_comments(struct cprof_profile *p, bool lines)
{
	const struct cprof_text_comments *tc = p->text_comments;
	struct fn_index ix = {0};
	size_t done = 0;
	struct inl_info *in;

	if (!tc)
		return 0;
	in = cprof_xcalloc(p->nlocation ? p->nlocation : 1, sizeof(*in));
	for (size_t i = 0; i < p->nlocation; i++) {
		struct cprof_location *l = &p->location[i];
		const struct text_symbol *sym;
		if (l->nline || !(sym = find_symbol(tc, l->address)))
			continue;
		in[i].first_entry = sym->frame[0].entry;
		in[i].first_name = sym->frame[0].name;
		in[i].last_entry = sym->frame[sym->nframe - 1].entry;
		in[i].last_name = sym->frame[sym->nframe - 1].name;
		/* without line information: only the function the address is in (the outermost frame) */
		const struct text_frame *fr = lines ? sym->frame : sym->frame + sym->nframe - 1;
		uint32_t n = lines ? sym->nframe : 1;
		const char *empty = cprof_profile_str(p, "");
		struct cprof_line *ln = cprof_arena_calloc(&p->arena, n, sizeof(*ln));
		struct cprof_mapping *m = l->mapping < p->nmapping ? &p->mapping[l->mapping] : NULL;
		for (uint32_t k = 0; k < n; k++) {
			const char *file = lines ? fr[k].file : empty;
			ln[k].fn = fn_get(p, &ix, fr[k].name, file);
			ln[k].line = lines ? fr[k].line : 0;
			if (m) {
				m->has_functions |= fr[k].name[0] != '\0';
				m->has_filenames |= file[0] != '\0';
				m->has_line_numbers |= ln[k].line != 0;
			}
		}
		if (m)
			m->has_inline_frames = true;
		l = &p->location[i];
		l->line = ln;
		l->nline = n;
		l->is_folded = false;
		done++;
	}
	free(ix.name), free(ix.file), free(ix.fn);
	if (lines)
		fold_fake_pcs(p, in);
	free(in);

	if (tc->nsample == p->nsample)
		for (size_t i = 0; i < tc->nlab; i++)
			add_labels(p, &p->sample[tc->lab[i].sample], &tc->lab[i]);
	p->text_comments = NULL;
	return done;
}
