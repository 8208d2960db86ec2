/*
 * symbolize.c - pprof's Symbolize step for a whole profile, and
 * locateBinaries (PPROF_BINARY_PATH).
 *
 * For every mapping that has locations and no symbols yet (or all with
 * :force), open its file through the objtool (objfile.c), check the build
 * id, then give each of its locations the frames of its address: new
 * functions (name = system name = the raw name, file, start line 0) are
 * shared between locations, the mapping's has_* flags are set, and every
 * function is finally demangled (demangle.c). Locations that cannot be
 * symbolized keep their address and print as "[binary]".
 *
 * Messages, as pprof prints them on stderr (added to `notes`):
 *   Main binary filename not available.
 *   Local symbolization failed for <base> (build ID <id>): <error>
 *   Some binary filenames not available. Symbolization may be incomplete.
 *   Try setting PPROF_BINARY_PATH to the search path for local binaries.
 *   Ignoring local file <path>: build-id mismatch (<want> != <have>)
 */
#include <ctype.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cprof/graph.h"
#include "cprof/symbolize.h"
#include "src/pipeline/transform_internal.h"

void cprof_symbolize_parse(const char *spec, struct cprof_symbolize_opts *o, struct strbuf *notes)
{
	memset(o, 0, sizeof(*o));
	o->local = o->remote = true;
	o->demangle = CPROF_DEMANGLE_DEFAULT;
	if (!spec)
		return;
	char *low = cprof_xstrdup(spec);
	for (char *c = low; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	for (char *tok = low, *next; tok; tok = next) {
		next = strchr(tok, ':');
		if (next)
			*next++ = '\0';
		if (!*tok)
			continue;
		if (!strcmp(tok, "none") || !strcmp(tok, "no")) {
			o->none = true;
			break;
		} else if (!strcmp(tok, "local")) {
			o->local = true, o->remote = false;
		} else if (!strcmp(tok, "fastlocal")) {
			o->local = o->fast = true, o->remote = false;
		} else if (!strcmp(tok, "remote")) {
			o->local = false, o->remote = true;
		} else if (!strcmp(tok, "force")) {
			o->force = true;
		} else {
			const char *d = !strncmp(tok, "demangle=", 9) ? tok + 9 : tok;
			if (!strcmp(d, "full") || !strcmp(d, "none") || !strcmp(d, "templates")) {
				o->demangle = d[0] == 'f' ? CPROF_DEMANGLE_FULL
					      : d[0] == 'n' ? CPROF_DEMANGLE_NONE
							    : CPROF_DEMANGLE_TEMPLATES;
				o->force = true;
			} else if (strcmp(d, "default")) {
				if (notes)
					strbuf_addf(notes,
						    "ignoring unrecognized symbolization option: %s\n"
						    "expecting -symbolize=[local|fastlocal|remote|none][:force][:demangle=[none|full|templates|default]\n",
						    spec);
			}
		}
	}
	free(low);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s && s[1] ? s + 1 : path;
}

/* Go's filepath.Join of up to three parts (empty parts skipped), cleaned. */
static void path_join(struct strbuf *out, const char *a, const char *b, const char *c)
{
	struct strbuf raw = STRBUF_INIT;
	const char *parts[] = {a, b, c};
	for (size_t i = 0; i < 3; i++) {
		if (!parts[i] || !*parts[i])
			continue;
		if (raw.len)
			strbuf_addch(&raw, '/');
		strbuf_addstr(&raw, parts[i]);
	}
	strbuf_reset(out);
	if (raw.len)
		cprof_clean_path(raw.buf, out);
	strbuf_release(&raw);
}

void cprof_profile_locate_binaries(struct cprof_profile *p, struct cprof_objtool *t,
				   const char *search_path, struct strbuf *notes)
{
	struct strbuf def = STRBUF_INIT, name = STRBUF_INIT;
	if (!search_path || !*search_path) {
		const char *home = getenv("HOME");
		path_join(&def, home ? home : "", "pprof", "binaries");
		search_path = def.buf;
	}
	for (size_t mi = 0; mi < p->nmapping; mi++) {
		struct cprof_mapping *m = &p->mapping[mi];
		const char *base = m->file[0] ? base_name(m->file) : "";
		bool done = false;
		char *list = cprof_xstrdup(search_path);
		for (char *dir = list, *next; dir && !done; dir = next) {
			next = strchr(dir, ':');
			if (next)
				*next++ = '\0';
			/* the candidates, in pprof's order */
			char **cand = NULL;
			size_t ncand = 0, acand = 0;
			if (m->build_id[0]) {
				glob_t g;
				path_join(&name, dir, m->build_id, base);
				ALLOC_GROW(cand, ncand + 1, acand);
				cand[ncand++] = cprof_xstrdup(name.buf);
				path_join(&name, dir, m->build_id, "*");
				if (glob(name.buf, 0, NULL, &g) == 0) {
					for (size_t k = 0; k < g.gl_pathc; k++) {
						ALLOC_GROW(cand, ncand + 1, acand);
						cand[ncand++] = cprof_xstrdup(g.gl_pathv[k]);
					}
					globfree(&g);
				}
				path_join(&name, dir, m->file, m->build_id);
				ALLOC_GROW(cand, ncand + 1, acand);
				cand[ncand++] = cprof_xstrdup(name.buf);
			}
			if (m->file[0]) {
				if (base[0]) {
					path_join(&name, dir, base, NULL);
					ALLOC_GROW(cand, ncand + 1, acand);
					cand[ncand++] = cprof_xstrdup(name.buf);
				}
				path_join(&name, dir, m->file, NULL);
				ALLOC_GROW(cand, ncand + 1, acand);
				cand[ncand++] = cprof_xstrdup(name.buf);
			}
			for (size_t k = 0; k < ncand && !done; k++) {
				struct cprof_error err = {0};
				struct cprof_objfile *f =
					cprof_objtool_open(t, cand[k], m->start, m->limit, m->offset, &err);
				if (!f)
					continue;
				const char *fid = cprof_objfile_build_id(f);
				if (m->build_id[0] && strcmp(m->build_id, fid)) {
					if (notes)
						strbuf_addf(notes, "Ignoring local file %s: build-id mismatch (%s != %s)\n",
							    cand[k], m->build_id, fid);
				} else {
					m->file = cprof_profile_str(p, cand[k]);
					done = true;
				}
			}
			for (size_t k = 0; k < ncand; k++)
				free(cand[k]);
			free(cand);
		}
		free(list);
	}
	strbuf_release(&def);
	strbuf_release(&name);
}

/* profile.Mapping.Unsymbolizable, plus the anonymous mappings pprof HEAD skips. */
static bool unsymbolizable(const struct cprof_mapping *m)
{
	const char *base = base_name(m->file);
	return base[0] == '[' || !strncmp(base, "linux-vdso", 10) || !strncmp(m->file, "/dev/dri/", 9) ||
	       !strncmp(m->file, "//anon", 6) || !strncmp(m->file, "/memfd:", 7);
}

static bool has_symbols(const struct cprof_mapping *m)
{
	return m->has_functions || m->has_filenames || m->has_line_numbers;
}

static bool is_http_url(const char *s);

/* A mapping whose file local symbolization leaves alone (pseudo files, remote sources). */
static bool not_local_file(const struct cprof_mapping *m)
{
	return unsymbolizable(m) || (!m->build_id[0] && is_http_url(m->file));
}

bool cprof_symbolize_uses_dwarf(const struct cprof_symbolize_opts *o)
{
	return !o->none && o->local && !o->fast;
}

static bool is_http_url(const char *s)
{
	const char *colon = strstr(s, "://");
	if (!colon)
		return false;
	for (const char *c = s; c < colon; c++)
		if (!isalpha((unsigned char)*c))
			return false;
	for (const char *c = s; c + 4 <= colon; c++)
		if (!strncasecmp(c, "http", 4))
			return true;
	return false;
}

/* New functions, de-duplicated by (name, file), as pprof's map of Function values. */
struct fn_ent {
	const char *name, *file;
	uint32_t idx;
};

struct fn_map {
	struct fn_ent *v;
	size_t n, size;
};

static uint32_t fn_find_or_add(struct cprof_profile *p, struct fn_map *m, const char *name, const char *file)
{
	if (m->n * 2 >= m->size) {
		size_t ns = m->size ? m->size * 2 : 256;
		struct fn_ent *nv = cprof_xcalloc(ns, sizeof(*nv));
		for (size_t i = 0; i < m->size; i++) {
			if (!m->v[i].name)
				continue;
			size_t h = ((uintptr_t)m->v[i].name * 31 + (uintptr_t)m->v[i].file) * 0x9e3779b97f4a7c15ULL & (ns - 1);
			while (nv[h].name)
				h = (h + 1) & (ns - 1);
			nv[h] = m->v[i];
		}
		free(m->v);
		m->v = nv;
		m->size = ns;
	}
	size_t h = ((uintptr_t)name * 31 + (uintptr_t)file) * 0x9e3779b97f4a7c15ULL & (m->size - 1);
	while (m->v[h].name) {
		if (m->v[h].name == name && m->v[h].file == file)
			return m->v[h].idx;
		h = (h + 1) & (m->size - 1);
	}
	struct cprof_function *f = cprof_profile_add_function(p);
	f->id = p->nfunction;
	f->name = name;
	f->system_name = name;
	f->filename = file;
	f->start_line = 0;
	m->v[h].name = name;
	m->v[h].file = file;
	m->v[h].idx = (uint32_t)(p->nfunction - 1);
	m->n++;
	return m->v[h].idx;
}

/*
 * The distinct (name, file) pointer pairs of objtool frames, numbered in
 * the order met: equal pointers are equal strings, so most frames are
 * told apart without hashing their strings; equal strings under other
 * pointers get other numbers and meet again in fn_find_or_add.
 */
struct fr_ent {
	const char *func, *file;
	uint32_t key;
};

struct fr_map {
	struct fr_ent *v;
	size_t n, size;
	const struct cprof_frame **first; /* by key: a frame with that pair */
	size_t afirst;
};

static size_t fr_hash(const char *func, const char *file, size_t size)
{
	uint64_t k = ((uint64_t)(uintptr_t)func * 31 + (uint64_t)(uintptr_t)file) * 0x9e3779b97f4a7c15ULL;
	return (size_t)(k >> 32) & (size - 1);
}

static uint32_t fr_key(struct fr_map *m, const struct cprof_frame *fr)
{
	if (m->n * 2 >= m->size) {
		size_t ns = m->size ? m->size * 2 : 1024;
		struct fr_ent *nv = cprof_xcalloc(ns, sizeof(*nv));
		for (size_t i = 0; i < m->size; i++) {
			if (!m->v[i].func)
				continue;
			size_t h = fr_hash(m->v[i].func, m->v[i].file, ns);
			while (nv[h].func)
				h = (h + 1) & (ns - 1);
			nv[h] = m->v[i];
		}
		free(m->v);
		m->v = nv;
		m->size = ns;
	}
	size_t h = fr_hash(fr->func, fr->file, m->size);
	while (m->v[h].func) {
		if (m->v[h].func == fr->func && m->v[h].file == fr->file)
			return m->v[h].key;
		h = (h + 1) & (m->size - 1);
	}
	uint32_t key = (uint32_t)m->n++;
	m->v[h] = (struct fr_ent){fr->func, fr->file, key};
	ALLOC_GROW(m->first, m->n, m->afirst);
	m->first[key] = fr;
	return key;
}

/* The lines found for one location (NULL/0: none), functions as fr_key numbers. */
struct loc_frames {
	struct cprof_line *line;
	uint32_t n;
};

static void local_symbolize(struct cprof_profile *p, struct cprof_objtool *t, const struct cprof_symbolize_opts *o,
			    struct strbuf *notes)
{
	struct cprof_objfile **seg = cprof_xcalloc(p->nmapping ? p->nmapping : 1, sizeof(*seg));
	bool *used = cprof_xcalloc(p->nmapping ? p->nmapping : 1, sizeof(*used));
	for (size_t i = 0; i < p->nlocation; i++)
		if (p->location[i].mapping != CPROF_NONE && p->location[i].mapping < p->nmapping)
			used[p->location[i].mapping] = true;
	bool missing = false;
	struct strbuf name = STRBUF_INIT;
	for (size_t mi = 0; mi < p->nmapping; mi++) {
		struct cprof_mapping *m = &p->mapping[mi];
		if (!used[mi])
			continue;
		if (!o->force && has_symbols(m))
			continue;
		if (!m->file[0]) {
			if (mi == 0) {
				if (notes)
					strbuf_addstr(notes, "Main binary filename not available.\n");
			} else {
				missing = true;
			}
			continue;
		}
		if (not_local_file(m))
			continue;
		strbuf_reset(&name);
		strbuf_addstr(&name, base_name(m->file));
		if (m->build_id[0])
			strbuf_addf(&name, " (build ID %s)", m->build_id);
		struct cprof_error err = {0};
		struct cprof_objfile *f = cprof_objtool_open(t, m->file, m->start, m->limit, m->offset, &err);
		if (!f) {
			if (notes)
				strbuf_addf(notes, "Local symbolization failed for %s: %s\n", name.buf, cprof_error_msg(&err));
			missing = true;
			continue;
		}
		const char *fid = cprof_objfile_build_id(f);
		if (m->build_id[0] && fid[0] && strcmp(fid, m->build_id)) {
			if (notes)
				strbuf_addf(notes, "Local symbolization failed for %s: build ID mismatch\n", name.buf);
			continue;
		}
		seg[mi] = f;
	}
	strbuf_release(&name);
	if (missing && notes)
		strbuf_addstr(notes, "Some binary filenames not available. Symbolization may be incomplete.\n"
				     "Try setting PPROF_BINARY_PATH to the search path for local binaries.\n");

	/*
	 * Look the addresses up once each, in address order: neighbouring
	 * addresses share compile units, segments and line rows, so the
	 * searches stay in cache, and a (mapping, address) pair that several
	 * locations share is looked up once. Functions are then made in
	 * location order, as pprof numbers them.
	 */
	struct xf_loc_ord *ord = cprof_xcalloc(p->nlocation ? p->nlocation : 1, sizeof(*ord));
	struct loc_frames *lf = cprof_xcalloc(p->nlocation ? p->nlocation : 1, sizeof(*lf));
	size_t nord = 0;
	for (size_t i = 0; i < p->nlocation; i++) {
		const struct cprof_location *l = &p->location[i];
		if (l->mapping != CPROF_NONE && l->mapping < p->nmapping && seg[l->mapping])
			ord[nord++] = (struct xf_loc_ord){l->address, l->mapping, (uint32_t)i};
	}
	if (nord)
		xf_sort_loc_ord(ord, nord);
	struct cprof_error err = {0}; /* not reported: an address that fails keeps no frames */
	struct fr_map frm = {0};
	struct cprof_arena keyed; /* lines with fr_key numbers, in address order */
	cprof_arena_init(&keyed);
	for (size_t i = 0; i < nord; i++) {
		if (i && ord[i].mapping == ord[i - 1].mapping && ord[i].address == ord[i - 1].address) {
			lf[ord[i].loc] = lf[ord[i - 1].loc];
			continue;
		}
		const struct cprof_frame *fr;
		size_t n;
		if (cprof_objfile_frames_once(seg[ord[i].mapping], ord[i].address, o->fast, &fr, &n, &err) || n == 0)
			continue;
		/* the lines and the mapping's flags here, while the frames are in cache */
		struct cprof_line *lines = cprof_arena_alloc(&keyed, n * sizeof(*lines));
		for (size_t k = 0; k < n; k++)
			lines[k] = (struct cprof_line){fr_key(&frm, &fr[k]), fr[k].line, 0};
		lf[ord[i].loc] = (struct loc_frames){lines, (uint32_t)n};
		struct cprof_mapping *m = &p->mapping[ord[i].mapping];
		for (size_t k = 0; k < n; k++) {
			if (fr[k].func[0])
				m->has_functions = true;
			if (fr[k].file[0])
				m->has_filenames = true;
			if (fr[k].line)
				m->has_line_numbers = true;
		}
		m->has_inline_frames = true;
	}
	free(ord);

	/*
	 * Functions made in location order, as pprof numbers them, and the
	 * lines copied in that order too: reports read them so.
	 */
	struct fn_map fm = {0};
	uint32_t *fn_of = cprof_xmalloc(cprof_st_mult(frm.n ? frm.n : 1, sizeof(*fn_of)));
	memset(fn_of, 0xff, frm.n * sizeof(*fn_of));
	for (size_t i = 0; i < p->nlocation; i++) {
		if (!lf[i].n)
			continue;
		const struct cprof_line *kl = lf[i].line;
		struct cprof_line *lines = cprof_arena_alloc(&p->arena, lf[i].n * sizeof(*lines));
		for (size_t k = 0; k < lf[i].n; k++) {
			uint32_t key = kl[k].fn;
			if (fn_of[key] == CPROF_NONE) {
				const struct cprof_frame *fr = frm.first[key];
				fn_of[key] = fn_find_or_add(p, &fm, cprof_profile_str(p, fr->func),
							    cprof_profile_str(p, fr->file));
			}
			lines[k] = (struct cprof_line){fn_of[key], kl[k].line, 0};
		}
		struct cprof_location *l = &p->location[i];
		l->line = lines;
		l->nline = lf[i].n;
		l->is_folded = false;
	}
	free(fn_of);
	cprof_arena_release(&keyed);
	free(frm.v);
	free(frm.first);
	free(fm.v);
	free(lf);
	free(seg);
	free(used);
}

/* local_symbolize's conditions for opening the main mapping's file with DWARF */
static bool wants_main_binary(const struct cprof_mapping *m, const struct cprof_symbolize_opts *o)
{
	return m && cprof_symbolize_uses_dwarf(o) && m->file[0] && (o->force || !has_symbols(m)) &&
	       !not_local_file(m);
}

void cprof_profile_prefetch_binary(const struct cprof_profile *p, struct cprof_objtool *t,
				   const struct cprof_symbolize_opts *o)
{
	const struct cprof_mapping *m = p->nmapping ? &p->mapping[0] : NULL;
	if (!cprof_objtool_prefetching(t) && wants_main_binary(m, o))
		cprof_objtool_prefetch(t, m->file);
}

void cprof_profile_prefetch_symbols(const struct cprof_profile *p, struct cprof_objtool *t,
				    const struct cprof_symbolize_opts *o)
{
	const struct cprof_mapping *m = p->nmapping ? &p->mapping[0] : NULL;
	const char *busy = cprof_objtool_prefetching(t);
	bool want = wants_main_binary(m, o);
	if (want && busy && strcmp(busy, m->file))
		want = false; /* one prefetch per tool, and that one is of no use */
	uint64_t *a = NULL;
	size_t n = 0;
	if (want) {
		a = cprof_xmalloc(cprof_st_mult(p->nlocation ? p->nlocation : 1, sizeof(*a)));
		for (size_t i = 0; i < p->nlocation; i++)
			if (p->location[i].mapping == 0)
				a[n++] = p->location[i].address;
	}
	if (!n) {
		cprof_objtool_prefetch_cancel(t);
	} else {
		if (!busy)
			cprof_objtool_prefetch(t, m->file);
		cprof_objtool_prefetch_addresses(t, m->start, m->limit, m->offset, a, n);
	}
	free(a);
}

int cprof_profile_symbolize(struct cprof_profile *p, struct cprof_objtool *t,
			    const struct cprof_symbolize_opts *o, struct strbuf *notes,
			    struct cprof_error *err)
{
	if (o->none)
		return 0;
	if (o->local)
		local_symbolize(p, t, o, notes);
	if (o->remote && o->remote_fn && o->remote_fn(p, o->force, o->remote_ctx, notes, err))
		return -1; /* as pprof: out of options */
	cprof_profile_demangle(p, o->force, o->demangle);
	return 0;
}
