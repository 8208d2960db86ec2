/*
 * weblist.c - the -weblist=regex report: an HTML page of the source of the
 * matching functions, each line unfolding into its assembly (pprof's
 * printWebSource / PrintWebList, internal/report/source.go).
 *
 *   <h2>main.mul</h2><p class="filename">symgo/main.go</p>
 *   <pre onClick="pprof_toggle_asm(event)">
 *     Total:        30ms      260ms (flat, cum) 43.33%
 *   <span class=line>     24</span> <span class=deadsrc>  ... source ... </span>
 *   <span class=asm>  ... one line per instruction ... </span>
 *   </pre>
 *
 * The addresses of interest are those of samples whose frames (or
 * mapping file) match the regex; around them (500 bytes each way) the
 * binary is disassembled (capstone, render/asm.c) and every instruction
 * symbolized with its inline frames, which place it under the source
 * lines of the functions of interest. cprof writes the page to stdout
 * (or -output); pprof would hand it to a browser.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/source.h"
#include "cprof/units.h"
#include "render/asm.h"
#include "render/report_graph.h"

static const char page_css[] =
	"<style type=\"text/css\">\n"
	"body #content{\n"
	"font-family: sans-serif;\n"
	"}\n"
	"h1 {\n"
	"  font-size: 1.5em;\n"
	"}\n"
	".legend {\n"
	"  font-size: 1.25em;\n"
	"}\n"
	".line, .nop, .unimportant {\n"
	"  color: #aaaaaa;\n"
	"}\n"
	".inlinesrc {\n"
	"  color: #000066;\n"
	"}\n"
	".livesrc {\n"
	"cursor: pointer;\n"
	"}\n"
	".livesrc:hover {\n"
	"background-color: #eeeeee;\n"
	"}\n"
	".asm {\n"
	"color: #008800;\n"
	"display: none;\n"
	"}\n"
	"</style>";

static const char page_script[] =
	"<script type=\"text/javascript\">\n"
	"function pprof_toggle_asm(e) {\n"
	"  var target;\n"
	"  if (!e) e = window.event;\n"
	"  if (e.target) target = e.target;\n"
	"  else if (e.srcElement) target = e.srcElement;\n"
	"\n"
	"  if (target) {\n"
	"    var asm = target.nextSibling;\n"
	"    if (asm && asm.className == \"asm\") {\n"
	"      asm.style.display = (asm.style.display == \"block\" ? \"\" : \"block\");\n"
	"      e.preventDefault();\n"
	"      return false;\n"
	"    }\n"
	"  }\n"
	"}\n"
	"</script>";

/* ---- small maps ------------------------------------------------------------------- */

/* uint64 → index, open addressing (addresses of interest, instructions). */
struct umap {
	uint64_t *key;
	uint32_t *val;
	size_t n, size;
};

static uint32_t *umap_slot(struct umap *m, uint64_t k, bool insert)
{
	if (insert && m->n * 2 >= m->size) {
		size_t ns = m->size ? m->size * 2 : 64;
		uint64_t *nk = cprof_xcalloc(ns, sizeof(*nk));
		uint32_t *nv = cprof_xmalloc(ns * sizeof(*nv));
		for (size_t i = 0; i < ns; i++)
			nv[i] = UINT32_MAX;
		for (size_t i = 0; i < m->size; i++) {
			if (m->val[i] == UINT32_MAX)
				continue;
			size_t h = (size_t)(m->key[i] * 0x9e3779b97f4a7c15ULL) & (ns - 1);
			while (nv[h] != UINT32_MAX)
				h = (h + 1) & (ns - 1);
			nk[h] = m->key[i];
			nv[h] = m->val[i];
		}
		free(m->key);
		free(m->val);
		m->key = nk, m->val = nv, m->size = ns;
	}
	if (!m->size)
		return NULL;
	size_t h = (size_t)(k * 0x9e3779b97f4a7c15ULL) & (m->size - 1);
	while (m->val[h] != UINT32_MAX) {
		if (m->key[h] == k)
			return &m->val[h];
		h = (h + 1) & (m->size - 1);
	}
	if (!insert)
		return NULL;
	m->key[h] = k;
	m->n++;
	return &m->val[h];
}

static void umap_release(struct umap *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}

/* A set of strings (function names of interest), linear for the few names a regex picks. */
struct sset {
	const char **v;
	size_t n, alloc;
};

static bool sset_has(const struct sset *s, const char *k)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], k))
			return true;
	return false;
}

static void sset_add(struct sset *s, const char *k)
{
	if (sset_has(s, k))
		return;
	ALLOC_GROW(s->v, s->n + 1, s->alloc);
	s->v[s->n++] = k;
}

/* ---- the printer's state ------------------------------------------------------------- */

struct call_id {
	const char *file;
	int64_t line;
};

struct src_inst {
	uint64_t addr;
	struct call_id *stack; /* callers first */
	size_t nstack;
};

struct src_line {
	int64_t line;
	struct src_inst *insts;
	size_t n, alloc;
	const char *func; /* first function seen on the line */
};

struct src_file {
	char *fname;
	int64_t flat, cum;
	struct src_line *lines;
	size_t n, alloc;
};

struct inst_info {
	uint64_t obj_addr;
	int length;
	const char *disasm; /* "" for synthesized instructions */
	const char *file;
	int64_t line;
	int64_t flat, cum;
};

struct addr_info {
	uint64_t addr;
	const struct cprof_location *loc;
	struct cprof_objfile *obj;
};

struct printer {
	struct cprof_report *rpt;
	struct cprof_objtool *tool;
	struct cprof_source_reader *reader;
	struct sset interest;
	/* system name → printable name */
	const char **pretty_sys, **pretty_name;
	size_t npretty, apretty;
	/* objects per mapping file (NULL after a failure) */
	const char **obj_file;
	struct cprof_objfile **obj;
	size_t nobj, aobj;
	/* instructions */
	struct umap inst_idx;
	struct inst_info *insts;
	size_t ninsts, ainsts;
	char **texts; /* owned instruction texts */
	size_t ntexts, atexts;
	/* files to print */
	struct src_file *files;
	size_t nfiles, afiles;
	struct strbuf scratch;
};

static const char *pretty(struct printer *sp, const char *sys, bool *found)
{
	for (size_t i = 0; i < sp->npretty; i++)
		if (!strcmp(sp->pretty_sys[i], sys)) {
			*found = true;
			return sp->pretty_name[i];
		}
	*found = false;
	return sys;
}

static void set_pretty(struct printer *sp, const char *sys, const char *name)
{
	for (size_t i = 0; i < sp->npretty; i++)
		if (!strcmp(sp->pretty_sys[i], sys)) {
			sp->pretty_name[i] = name;
			return;
		}
	ALLOC_GROW(sp->pretty_sys, sp->npretty + 1, sp->apretty);
	sp->pretty_name = cprof_xrealloc(sp->pretty_name, sp->apretty * sizeof(*sp->pretty_name));
	sp->pretty_sys[sp->npretty] = sys;
	sp->pretty_name[sp->npretty++] = name;
}

static struct cprof_objfile *object_file(struct printer *sp, const struct cprof_profile *p, uint32_t mi)
{
	if (mi == CPROF_NONE || mi >= p->nmapping)
		return NULL;
	const struct cprof_mapping *m = &p->mapping[mi];
	for (size_t i = 0; i < sp->nobj; i++)
		if (!strcmp(sp->obj_file[i], m->file))
			return sp->obj[i];
	struct cprof_error e = {0};
	struct cprof_objfile *f = cprof_objtool_open(sp->tool, m->file, m->start, m->limit, m->offset, &e);
	ALLOC_GROW(sp->obj_file, sp->nobj + 1, sp->aobj);
	sp->obj = cprof_xrealloc(sp->obj, sp->aobj * sizeof(*sp->obj));
	sp->obj_file[sp->nobj] = m->file;
	sp->obj[sp->nobj++] = f;
	return f;
}

static struct inst_info *inst_get(struct printer *sp, uint64_t addr)
{
	uint32_t *ix = umap_slot(&sp->inst_idx, addr, false);
	return ix ? &sp->insts[*ix] : NULL;
}

static struct inst_info *inst_put(struct printer *sp, uint64_t addr)
{
	uint32_t *ix = umap_slot(&sp->inst_idx, addr, true);
	if (*ix == UINT32_MAX) {
		ALLOC_GROW(sp->insts, sp->ninsts + 1, sp->ainsts);
		memset(&sp->insts[sp->ninsts], 0, sizeof(sp->insts[0]));
		*ix = (uint32_t)sp->ninsts++;
	}
	return &sp->insts[*ix];
}

/* pprof's canonicalizeFileName. */
static void canonical_file(const char *f, struct strbuf *out)
{
	if (!strncmp(f, "/proc/self/cwd/", 15))
		f += 15;
	if (!strncmp(f, "./", 2))
		f += 2;
	strbuf_reset(out);
	cprof_clean_path(f, out);
}

static struct src_file *file_get(struct printer *sp, const char *fname)
{
	for (size_t i = 0; i < sp->nfiles; i++)
		if (!strcmp(sp->files[i].fname, fname))
			return &sp->files[i];
	ALLOC_GROW(sp->files, sp->nfiles + 1, sp->afiles);
	struct src_file *f = &sp->files[sp->nfiles++];
	memset(f, 0, sizeof(*f));
	f->fname = cprof_xstrdup(fname);
	return f;
}

static struct src_line *line_get(struct src_file *f, int64_t line)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->lines[i].line == line)
			return &f->lines[i];
	ALLOC_GROW(f->lines, f->n + 1, f->alloc);
	struct src_line *l = &f->lines[f->n++];
	memset(l, 0, sizeof(*l));
	l->line = line;
	return l;
}

static const struct src_line *line_find(const struct src_file *f, int64_t line)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->lines[i].line == line)
			return &f->lines[i];
	return NULL;
}

/* addStack: file the instruction under each frame of interest. */
static void add_stack(struct printer *sp, uint64_t addr, const struct cprof_frame *frames, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!sset_has(&sp->interest, frames[i].func))
			continue;
		canonical_file(frames[i].file, &sp->scratch);
		struct src_file *f = file_get(sp, sp->scratch.buf);
		struct src_line *l = line_get(f, frames[i].line);
		ALLOC_GROW(l->insts, l->n + 1, l->alloc);
		struct src_inst *si = &l->insts[l->n++];
		si->addr = addr;
		si->nstack = i;
		si->stack = i ? cprof_xcalloc(i, sizeof(*si->stack)) : NULL;
		for (size_t j = 0; j < i; j++) /* reversed: callers first */
			si->stack[j] = (struct call_id){frames[i - 1 - j].file, frames[i - 1 - j].line};
		if (!l->func)
			l->func = frames[i].func;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

struct range {
	uint64_t begin, end;
	struct cprof_objfile *obj;
	int64_t score;
	size_t order;
};

static int cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* ---- building (newSourcePrinter) --------------------------------------------------------- */

static void expand_addresses(struct printer *sp, const struct cprof_profile *p, struct addr_info *ai,
			     size_t nai, struct umap *flat_idx, const int64_t *flat)
{
	/* splitIntoRanges: addresses with an object file, in order; the others as they are */
	uint64_t *addrs = cprof_xcalloc(nai ? nai : 1, sizeof(*addrs));
	size_t na = 0;
	for (size_t i = 0; i < nai; i++)
		if (ai[i].obj)
			addrs[na++] = ai[i].addr;
	if (na)
		qsort(addrs, na, sizeof(*addrs), cmp_u64);
	struct range *ranges = NULL;
	size_t nr = 0, ar = 0;
	const uint64_t expand = 500;
	for (size_t i = 0; i < na;) {
		uint64_t begin = addrs[i], end = addrs[i];
		uint32_t *fi = umap_slot(flat_idx, begin, false);
		int64_t sum = fi ? flat[*fi] : 0;
		const struct addr_info *info = NULL;
		for (size_t k = 0; k < nai && !info; k++)
			if (ai[k].addr == begin)
				info = &ai[k];
		i++;
		const struct cprof_mapping *m = &p->mapping[info->loc->mapping];
		while (i < na && addrs[i] <= end + 2 * expand && addrs[i] < m->limit) {
			end = addrs[i];
			fi = umap_slot(flat_idx, end, false);
			sum = cprof_add_wrap(sum, fi ? flat[*fi] : 0);
			i++;
		}
		/* unsigned arithmetic, as pprof */
		begin = m->start - begin >= expand ? begin - expand : m->start;
		end = m->limit - end >= expand ? end + expand : m->limit;
		ALLOC_GROW(ranges, nr + 1, ar);
		ranges[nr] = (struct range){begin, end, info->obj, sum, nr};
		nr++;
	}
	free(addrs);

	/* handleUnprocessed: instructions made up from the locations' own lines */
	for (size_t i = 0; i < nai; i++) {
		if (ai[i].obj)
			continue;
		const struct cprof_location *loc = ai[i].loc;
		struct cprof_frame *fr = cprof_xcalloc(loc->nline ? loc->nline : 1, sizeof(*fr));
		size_t n = 0;
		for (uint32_t k = 0; k < loc->nline; k++) {
			if (loc->line[k].fn == CPROF_NONE)
				continue;
			const struct cprof_function *fn = &p->function[loc->line[k].fn];
			fr[n++] = (struct cprof_frame){fn->name, fn->filename, loc->line[k].line, 0};
		}
		struct inst_info *x = inst_put(sp, ai[i].addr);
		*x = (struct inst_info){ai[i].addr, 1, "", n ? fr[0].file : "", n ? fr[0].line : 0, 0, 0};
		add_stack(sp, ai[i].addr, fr, n);
		free(fr);
	}

	if (nr)
		qsort(ranges, nr, sizeof(*ranges), cmp_range);
	if (nr > 25)
		nr = 25;
	for (size_t r = 0; r < nr; r++) {
		struct cprof_error e = {0};
		uint64_t obj_begin, obj_end;
		if (cprof_objfile_obj_addr(ranges[r].obj, ranges[r].begin, &obj_begin, &e) ||
		    cprof_objfile_obj_addr(ranges[r].obj, ranges[r].end, &obj_end, &e))
			continue;
		uint64_t base = ranges[r].begin - obj_begin;
		struct asm_list insts = {0};
		if (asm_disassemble(ranges[r].obj, obj_begin, obj_end, sp->rpt->opt.intel_syntax, &insts, &e)) {
			asm_list_release(&insts);
			continue;
		}
		const struct cprof_frame *last_frames = NULL;
		size_t nlast = 0;
		uint64_t last_addr = 0, max_addr = 0;
		for (size_t k = 0; k < insts.n; k++) {
			const struct asm_inst *in = &insts.v[k];
			uint64_t addr = in->addr + base;
			if (addr <= max_addr)
				continue;
			max_addr = addr;
			int length = 1;
			if (k + 1 < insts.n && insts.v[k + 1].addr > in->addr)
				length = (int)(insts.v[k + 1].addr - in->addr);
			const struct cprof_frame *fr;
			size_t nfr;
			struct cprof_frame one;
			if (cprof_objfile_frames(ranges[r].obj, addr, false, &fr, &nfr, &e)) {
				one = (struct cprof_frame){in->func, in->file, in->line, 0};
				fr = &one;
				nfr = 1;
			}
			ALLOC_GROW(sp->texts, sp->ntexts + 1, sp->atexts);
			sp->texts[sp->ntexts++] = cprof_xstrdup(in->text);
			struct inst_info *x = inst_put(sp, addr);
			*x = (struct inst_info){in->addr, length, sp->texts[sp->ntexts - 1], "", 0, 0, 0};
			if (nfr) {
				x->file = fr[0].file;
				x->line = fr[0].line;
			}
			/* instructions without a line borrow the previous one's frames, if close */
			if (nfr && fr[0].line != 0) {
				last_frames = fr;
				nlast = nfr;
				last_addr = addr;
			} else if (addr - last_addr <= 32 && last_frames) {
				fr = last_frames;
				nfr = nlast;
			}
			add_stack(sp, addr, fr, nfr);
		}
		asm_list_release(&insts);
	}
	free(ranges);
}

/* ---- printing ------------------------------------------------------------------------------ */

/* Go's template.HTMLEscapeString. */
static void html_escape(const char *s, size_t n, struct strbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '<': strbuf_addstr(out, "&lt;"); break;
		case '>': strbuf_addstr(out, "&gt;"); break;
		case '&': strbuf_addstr(out, "&amp;"); break;
		case '\'': strbuf_addstr(out, "&#39;"); break;
		case '"': strbuf_addstr(out, "&#34;"); break;
		case '\0': strbuf_addstr(out, "\xef\xbf\xbd"); break;
		default: strbuf_addch(out, s[i]); break;
		}
	}
}

static void html_escape_str(const char *s, struct strbuf *out)
{
	html_escape(s, strlen(s), out);
}

static void value_or_dot(const struct cprof_report *rpt, int64_t v, struct strbuf *buf)
{
	strbuf_reset(buf);
	if (v == 0)
		strbuf_addch(buf, '.');
	else
		cprof_report_format_value(rpt, v, buf);
}

/* pprof's indentation: leading blanks, a tab to the next multiple of 8. */
static int indentation(const char *s, size_t n)
{
	int col = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ')
			col++;
		else if (s[i] == '\t')
			col = (col / 8 + 1) * 8;
		else
			break;
	}
	return col;
}

/* pprof's rightPad: tabs to 8-column stops, then spaces to width n (counted in runes). */
static void right_pad(const char *s, int n, struct strbuf *out)
{
	int col = 0;
	for (; *s; s++) {
		if (((unsigned char)*s & 0xc0) == 0x80) {
			strbuf_addch(out, *s); /* continuation byte of the rune already counted */
			continue;
		}
		col++;
		if (*s == '\t') {
			strbuf_addch(out, ' ');
			while (col % 8 != 0) {
				col++;
				strbuf_addch(out, ' ');
			}
		} else {
			strbuf_addch(out, *s);
		}
	}
	for (; col < n; col++)
		strbuf_addch(out, ' ');
}

static const char *trim_space(const char *s, size_t n, size_t *outn)
{
	while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\v' || *s == '\f'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r' ||
		     s[n - 1] == '\v' || s[n - 1] == '\f'))
		n--;
	*outn = n;
	return s;
}

static const char *path_base(const char *p)
{
	const char *s = strrchr(p, '/');
	return s && s[1] ? s + 1 : p;
}

struct asm_row {
	uint64_t address;
	const char *instruction;
	const char *file;
	int64_t line;
	int64_t flat, cum;
	bool starts_block;
	const struct call_id *calls;
	size_t ncalls;
};

static void print_nested(struct printer *sp, int src_indent, const struct asm_row *rows, size_t n,
			 struct strbuf *out)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, text = STRBUF_INIT, pad = STRBUF_INIT;
	strbuf_addstr(out, "<span class=asm>");
	const struct call_id *cur = NULL;
	size_t ncur = 0;
	for (size_t i = 0; i < n; i++) {
		const struct asm_row *an = &rows[i];
		if (an->starts_block && i != 0)
			/* Go's %28s pads "⋮" as one rune */
			strbuf_addf(out, " %8s %27s\xe2\x8b\xae\n", "", "");
		for (size_t j = 0; j < an->ncalls; j++) {
			const struct call_id *c = &an->calls[j];
			if (j < ncur && cur[j].line == c->line && !strcmp(cur[j].file, c->file))
				continue;
			ncur = 0;
			const char *ft = "";
			size_t fl = 0;
			if (!cprof_source_line(sp->reader, c->file, c->line, &ft, &fl))
				ft = "", fl = 0;
			size_t tn;
			const char *tt = trim_space(ft, fl, &tn);
			strbuf_reset(&text);
			strbuf_addchars(&text, ' ', (size_t)(src_indent + 4 + 4 * (int)j));
			strbuf_add(&text, tt, tn);
			strbuf_reset(&pad);
			right_pad(text.buf, 80, &pad);
			strbuf_addf(out, " %8s %10s %10s %8s  <span class=inlinesrc>", "", "", "", "");
			html_escape(pad.buf, pad.len, out);
			strbuf_addstr(out, "</span> <span class=unimportant>");
			html_escape_str(path_base(c->file), out);
			strbuf_addf(out, ":%lld</span>\n", (long long)c->line);
		}
		cur = an->calls;
		ncur = an->ncalls;
		if (!an->instruction[0])
			continue;
		strbuf_reset(&text);
		strbuf_addchars(&text, ' ', (size_t)(src_indent + 4 + 4 * (int)ncur));
		strbuf_addstr(&text, an->instruction);
		strbuf_reset(&pad);
		right_pad(text.buf, 80, &pad);
		value_or_dot(sp->rpt, an->flat, &a);
		value_or_dot(sp->rpt, an->cum, &b);
		strbuf_addf(out, " %8s %10s %10s %8llx: ", "", a.buf, b.buf, (unsigned long long)an->address);
		html_escape(pad.buf, pad.len, out);
		strbuf_addstr(out, " <span class=unimportant>");
		if (an->file[0]) {
			html_escape_str(path_base(an->file), out);
			strbuf_addf(out, ":%lld", (long long)an->line);
		}
		strbuf_addstr(out, "</span>\n");
	}
	strbuf_addstr(out, "</span>");
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&text);
	strbuf_release(&pad);
}

struct func_range {
	const char *name;
	int64_t begin, end;
	int64_t flat, cum;
};

static int cmp_line(const void *a, const void *b)
{
	int64_t x = ((const struct src_line *)a)->line, y = ((const struct src_line *)b)->line;
	return x < y ? -1 : x > y;
}

/* sp.functions: the lines of a file split into per-function ranges. */
static size_t functions(struct printer *sp, struct src_file *f, struct func_range **out)
{
	if (f->n)
		qsort(f->lines, f->n, sizeof(*f->lines), cmp_line);
	struct func_range *v = NULL;
	size_t n = 0, a = 0;
	for (size_t i = 0; i < f->n; i++) {
		const struct src_line *l = &f->lines[i];
		bool found;
		const char *name = pretty(sp, l->func, &found);
		struct func_range fn = {name, l->line, l->line + 1, 0, 0};
		for (size_t k = 0; k < l->n; k++) {
			const struct inst_info *x = inst_get(sp, l->insts[k].addr);
			fn.flat = cprof_add_wrap(fn.flat, x->flat);
			fn.cum = cprof_add_wrap(fn.cum, x->cum);
		}
		if (n > 0 && l->line - v[n - 1].end < 20 && !strcmp(v[n - 1].name, name)) {
			v[n - 1].end = l->line + 1;
			v[n - 1].flat = cprof_add_wrap(v[n - 1].flat, fn.flat);
			v[n - 1].cum = cprof_add_wrap(v[n - 1].cum, fn.cum);
			continue;
		}
		ALLOC_GROW(v, n + 1, a);
		v[n++] = fn;
	}
	const int64_t expand = 5;
	for (size_t i = 0; i < n; i++) {
		if (i == 0) {
			if (v[i].begin > expand)
				v[i].begin -= expand;
			else if (v[i].begin > 1)
				v[i].begin = 1;
		} else {
			int64_t half = (v[i].begin - v[i - 1].end) / 2;
			if (half > expand)
				half = expand;
			v[i - 1].end += half;
			v[i].begin -= half;
		}
	}
	if (n > 0)
		v[n - 1].end += expand;
	*out = v;
	return n;
}

static void print_file(struct printer *sp, struct src_file *f, struct strbuf *out)
{
	struct func_range *fns;
	size_t nfns = functions(sp, f, &fns);
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct asm_row *rows = NULL;
	size_t arows = 0;
	for (size_t fi = 0; fi < nfns; fi++) {
		const struct func_range *fn = &fns[fi];
		if (fn->cum == 0)
			continue;
		strbuf_addstr(out, "<h2>");
		html_escape_str(fn->name, out);
		strbuf_addstr(out, "</h2><p class=\"filename\">");
		html_escape_str(f->fname, out);
		strbuf_addstr(out, "</p>\n<pre onClick=\"pprof_toggle_asm(event)\">\n");
		strbuf_reset(&a);
		strbuf_reset(&b);
		cprof_report_format_value(sp->rpt, fn->flat, &a);
		cprof_report_format_value(sp->rpt, fn->cum, &b);
		strbuf_addf(out, "  Total:  %10s %10s (flat, cum) ", a.buf, b.buf);
		cprof_percentage(fn->cum, sp->rpt->total, out);
		strbuf_addch(out, '\n');
		for (int64_t l = fn->begin; l < fn->end; l++) {
			const char *text;
			size_t tlen;
			const struct src_line *sl = line_find(f, l);
			if (!cprof_source_line(sp->reader, f->fname, l, &text, &tlen)) {
				if (!sl || sl->n == 0)
					continue;
				text = l == 0 ? "<instructions with unknown line numbers>" : "???";
				tlen = strlen(text);
			}
			size_t nrows = 0;
			int64_t flat = 0, cum = 0;
			uint64_t last = 0;
			for (size_t k = 0; sl && k < sl->n; k++) {
				uint64_t addr = sl->insts[k].addr;
				const struct inst_info *x = inst_get(sp, addr);
				const struct inst_info *lx = inst_get(sp, last);
				flat = cprof_add_wrap(flat, x->flat);
				cum = cprof_add_wrap(cum, x->cum);
				bool starts = addr != last + (uint64_t)(lx ? lx->length : 0);
				last = addr;
				ALLOC_GROW(rows, nrows + 1, arows);
				rows[nrows++] = (struct asm_row){x->obj_addr, x->disasm, x->file, x->line, x->flat, x->cum,
								 starts, sl->insts[k].stack, sl->insts[k].nstack};
			}
			value_or_dot(sp->rpt, flat, &a);
			value_or_dot(sp->rpt, cum, &b);
			if (nrows == 0) {
				strbuf_addf(out, "<span class=line> %6lld</span> <span class=nop>  %10s %10s %8s  ",
					    (long long)l, a.buf, b.buf, "");
				html_escape(text, tlen, out);
				strbuf_addstr(out, " </span>\n");
				continue;
			}
			bool nested = false;
			for (size_t k = 0; k < nrows; k++)
				if (rows[k].ncalls || rows[k].instruction[0])
					nested = true;
			strbuf_addf(out, "<span class=line> %6lld</span> <span class=%s>  %10s %10s %8s  ", (long long)l,
				    nested ? "livesrc" : "deadsrc", a.buf, b.buf, "");
			html_escape(text, tlen, out);
			strbuf_addstr(out, " </span>");
			if (nested)
				print_nested(sp, indentation(text, tlen), rows, nrows, out);
			strbuf_addch(out, '\n');
		}
		strbuf_addstr(out, "</pre>\n");
	}
	free(rows);
	free(fns);
	strbuf_release(&a);
	strbuf_release(&b);
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct src_file *)a)->fname, ((const struct src_file *)b)->fname);
}

int cprof_render_weblist(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err)
{
	struct cprof_profile *p = rpt->prof;
	const struct cprof_regex *re = rpt->opt.symbol;
	struct printer sp = {0};
	sp.rpt = rpt;
	struct cprof_objtool *own = NULL;
	sp.tool = rpt->opt.obj;
	if (!sp.tool)
		sp.tool = own = cprof_objtool_new(NULL);
	sp.reader = cprof_source_reader_new(rpt->opt.source_path, rpt->opt.trim_path);
	strbuf_init(&sp.scratch, 0);

	/* a regex that reads as a number also selects that address */
	uint64_t address = 0;
	bool have_address = false;
	if (re) {
		char *e;
		const char *pat = cprof_regex_pattern(re);
		address = strtoull(pat, &e, 0);
		have_address = *pat && *e == '\0' && pat[0] != '-' && pat[0] != '+';
	}
	/* synthetic addresses for locations without one, above every mapping */
	uint64_t synth_next = 1;
	for (size_t i = 0; i < p->nmapping; i++)
		if (synth_next < p->mapping[i].limit)
			synth_next = p->mapping[i].limit;
	uint64_t *synth = cprof_xcalloc(p->nlocation ? p->nlocation : 1, sizeof(*synth));

	struct umap flat_idx = {0};
	int64_t *flat = NULL, *cum = NULL;
	size_t nvals = 0, avals = 0;
	struct addr_info *ai = NULL;
	size_t nai = 0, aai = 0;
	struct umap ai_idx = {0};

	for (size_t si = 0; si < p->nsample; si++) {
		const struct cprof_sample *s = &p->sample[si];
		int64_t value = s->value[rpt->opt.sample_index];
		if (rpt->opt.mean && s->value[0] != 0)
			value = cprof_div_wrap(value, s->value[0]);
		for (uint32_t i = s->nloc; i-- > 0;) {
			uint32_t li = s->loc[i];
			const struct cprof_location *loc = &p->location[li];
			for (uint32_t k = 0; k < loc->nline; k++)
				if (loc->line[k].fn != CPROF_NONE)
					set_pretty(&sp, p->function[loc->line[k].fn].system_name,
						   p->function[loc->line[k].fn].name);
			uint64_t addr = loc->address;
			if (addr == 0) {
				if (!synth[li])
					synth[li] = synth_next++;
				addr = synth[li];
			}
			uint32_t *vi = umap_slot(&flat_idx, addr, true);
			if (*vi == UINT32_MAX) {
				ALLOC_GROW(flat, nvals + 1, avals);
				cum = cprof_xrealloc(cum, avals * sizeof(*cum));
				flat[nvals] = cum[nvals] = 0;
				*vi = (uint32_t)nvals++;
			}
			cum[*vi] = cprof_add_wrap(cum[*vi], value);
			if (i == 0)
				flat[*vi] = cprof_add_wrap(flat[*vi], value);

			/* the frames of interest at this address */
			bool all_outer = !re || (have_address && addr == address);
			bool match_file = !all_outer && loc->mapping != CPROF_NONE && loc->mapping < p->nmapping &&
					  cprof_regex_match(re, p->mapping[loc->mapping].file);
			for (uint32_t j = 0; j < loc->nline; j++) {
				if (all_outer && j != loc->nline - 1)
					continue;
				uint32_t fi = loc->line[j].fn;
				if (fi == CPROF_NONE)
					continue;
				const struct cprof_function *fn = &p->function[fi];
				if (!all_outer && !(j == 0 && match_file) && !cprof_regex_match(re, fn->name) &&
				    !cprof_regex_match(re, fn->system_name) && !cprof_regex_match(re, fn->filename))
					continue;
				sset_add(&sp.interest, fn->name);
				sset_add(&sp.interest, fn->system_name);
				uint32_t *x = umap_slot(&ai_idx, addr, true);
				if (*x == UINT32_MAX) {
					ALLOC_GROW(ai, nai + 1, aai);
					ai[nai] = (struct addr_info){addr, loc, object_file(&sp, p, loc->mapping)};
					*x = (uint32_t)nai++;
				}
			}
		}
	}

	int rc = 0;
	if (sp.interest.n == 0) {
		rc = cprof_error_set(err, CPROF_E_NOMATCH, "no matches found for regexp: %s",
				     re ? cprof_regex_pattern(re) : "");
	} else {
		expand_addresses(&sp, p, ai, nai, &flat_idx, flat);
		/* initSamples: samples inside an instruction count for it */
		for (size_t i = 0; i < sp.inst_idx.size; i++) {
			if (sp.inst_idx.val[i] == UINT32_MAX)
				continue;
			uint64_t addr = sp.inst_idx.key[i];
			struct inst_info *x = &sp.insts[sp.inst_idx.val[i]];
			for (uint64_t a = addr; a < addr + (uint64_t)x->length; a++) {
				uint32_t *vi = umap_slot(&flat_idx, a, false);
				if (vi) {
					x->flat = cprof_add_wrap(x->flat, flat[*vi]);
					x->cum = cprof_add_wrap(x->cum, cum[*vi]);
				}
			}
		}

		/* the page */
		strbuf_addstr(out, "\n<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"UTF-8\">\n<title>Pprof listing</title>\n");
		strbuf_addf(out, "%s\n%s\n</head>\n<body>\n\n", page_css, page_script);
		struct line_list labels = {0};
		report_profile_labels(rpt, &labels);
		strbuf_addstr(out, "<div class=\"legend\">");
		for (size_t i = 0; i < labels.n; i++) {
			if (i)
				strbuf_addstr(out, "<br>\n");
			html_escape_str(labels.v[i], out);
		}
		line_list_release(&labels);
		strbuf_addstr(out, "<br>Total: ");
		cprof_report_format_value(rpt, rpt->total, out);
		strbuf_addstr(out, "</div>");

		/* per-file sums, an address counted once per file */
		for (size_t fi = 0; fi < sp.nfiles; fi++) {
			struct src_file *f = &sp.files[fi];
			struct umap seen = {0};
			for (size_t l = 0; l < f->n; l++) {
				for (size_t k = 0; k < f->lines[l].n; k++) {
					uint32_t *x = umap_slot(&seen, f->lines[l].insts[k].addr, true);
					if (*x != UINT32_MAX)
						continue;
					*x = 0;
					const struct inst_info *in = inst_get(&sp, f->lines[l].insts[k].addr);
					f->cum = cprof_add_wrap(f->cum, in->cum);
					f->flat = cprof_add_wrap(f->flat, in->flat);
				}
			}
			umap_release(&seen);
		}
		if (sp.nfiles)
			qsort(sp.files, sp.nfiles, sizeof(*sp.files), cmp_file);
		for (size_t fi = 0; fi < sp.nfiles; fi++)
			print_file(&sp, &sp.files[fi], out);
		strbuf_addstr(out, "\n</body>\n</html>\n");
	}

	for (size_t fi = 0; fi < sp.nfiles; fi++) {
		struct src_file *f = &sp.files[fi];
		for (size_t l = 0; l < f->n; l++) {
			for (size_t k = 0; k < f->lines[l].n; k++)
				free(f->lines[l].insts[k].stack);
			free(f->lines[l].insts);
		}
		free(f->lines);
		free(f->fname);
	}
	free(sp.files);
	for (size_t i = 0; i < sp.ntexts; i++)
		free(sp.texts[i]);
	free(sp.texts);
	free(sp.insts);
	umap_release(&sp.inst_idx);
	free(sp.interest.v);
	free(sp.pretty_sys);
	free(sp.pretty_name);
	free(sp.obj_file);
	free(sp.obj);
	strbuf_release(&sp.scratch);
	cprof_source_reader_free(sp.reader);
	umap_release(&flat_idx);
	umap_release(&ai_idx);
	free(flat);
	free(cum);
	free(ai);
	free(synth);
	cprof_objtool_free(own);
	return rc;
}
