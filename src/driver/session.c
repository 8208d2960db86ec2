/*
 * session.c - the driver (session.h): profiles loaded once, then any
 * number of report requests.
 *
 * Loading is pprof's fetchProfiles: read every source (locateBinaries on
 * each), merge them, apply the base, symbolize, drop uninteresting frames,
 * add the comment, validate. A binary given on the command line, or else
 * the main mapping's file, is read on the second core meanwhile.
 *
 * A request is pprof's generateRawReport + report.Generate. pprof copies
 * the whole profile for every command and redoes every step; here what a
 * request makes of the loaded profile before its report (tag frames,
 * filters, aggregation: the "prepared" profile, and its totals before the
 * filters) is kept, keyed by the settings it depends on, and reused by the
 * next request that has the same ones. When a request needs no step at
 * all, the loaded profile itself is reported. The only change a report
 * makes to its profile (the file name clean-up of rpt.newGraph) is undone
 * after every request, so a kept profile stays what the steps made it.
 * Whole outputs are kept too: a request asked again is answered at once.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cprof/formats.h"
#include "cprof/heapdump.h"
#include "cprof/session.h"
#include "cprof/symbolize.h"
#include "src/driver/session_internal.h"

/* Prepared profiles kept (at most, and their bytes at most), and the bytes of whole outputs kept. */
#define PREP_CACHE 3
#define PREP_CACHE_BYTES ((size_t)512 << 20)
#define OUTPUT_CACHE_BYTES (64u << 20)
#define OUTPUT_CACHE_ONE (16u << 20)

struct prep {
	struct strbuf key;
	struct cprof_profile *p; /* owned, unless it is the session's own */
	bool owned;
	const char **filenames; /* function file names as the steps left them */
	struct strbuf notes;    /* what the steps printed, replayed on reuse */
	int64_t *totals;        /* before the filters: [2 * index + mean]; NULL with relative_percentages */
	struct cprof_graph_cache graphs; /* what its reports share */
	unsigned long used;
};

struct outcache {
	struct strbuf key, out, notes;
	unsigned long used;
};

struct cprof_session {
	struct cprof_profile *p; /* loaded */
	struct cprof_objtool *obj;
	struct cprof_label_unit *label_units;
	size_t nlabel_units;
	struct strbuf label_unit_notes;
	const char *single_source; /* the source's name when there is one, for "profile has no samples" */
	const char **sample_types;
	const char **fnames;
	size_t nfnames;
	bool fnames_done;
	bool one_shot, spent; /* cprof_session_opts.one_shot; its one request made */

	struct prep prep[PREP_CACHE];
	struct outcache *outs;
	size_t nouts, aouts, out_bytes;
	unsigned long clock;

	struct cprof_fetch *fetch; /* while loading: the URLs among the sources */

	/* load-time state of the symbolization prefetch */
	struct cprof_symbolize_opts prefetch_opts;
	bool prefetch_checked;
	const char *symbolize;
};

/* ---- loading ----------------------------------------------------------- */

/* pprof's isBuildID: a non-empty string of hex digits. */
bool cprof_is_build_id(const char *s)
{
	return *s && strspn(s, "0123456789abcdefABCDEF") == strlen(s);
}

bool cprof_is_object_file(const char *path)
{
	unsigned char magic[4];
	struct stat st;
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return false;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, magic, sizeof(magic));
	close(fd);
	return n == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
}

/*
 * Go's debug=1 text profiles name their addresses in '#' lines that pprof
 * ignores. Use them where pprof's local symbolizer would run (not with
 * -symbolize=none or remote alone, its token rules) and no binary is given.
 */
static void use_text_comments(struct cprof_profile *p, const char *exec, const char *spec)
{
	bool local = true, fast = false;
	const char *s = spec ? spec : "";

	while (p->text_comments && !(exec && *exec)) {
		size_t n = strcspn(s, ":");
		if ((n == 4 && !strncasecmp(s, "none", 4)) || (n == 2 && !strncasecmp(s, "no", 2)))
			break;
		if (n == 5 && !strncasecmp(s, "local", 5))
			local = true, fast = false;
		else if (n == 9 && !strncasecmp(s, "fastlocal", 9))
			local = fast = true;
		else if (n == 6 && !strncasecmp(s, "remote", 6))
			local = false;
		if (s[n]) {
			s += n + 1;
			continue;
		}
		if (local)
			cprof_profile_use_text_comments(p, !fast);
		break;
	}
	p->text_comments = NULL;
}

/*
 * The symbolization prefetch: a binary given on the command line is read
 * on the second core while the profiles are read and merged, when local
 * symbolization with DWARF may need it. Once the first profile is read,
 * prefetch_check() stops that if the profile does not need it, or else
 * hands over the main mapping's addresses to symbolize there as well;
 * without a binary on the command line it starts the same with the main
 * mapping's file, as soon as the profile's mappings are decoded
 * (prefetch_early()).
 */
static void prefetch_binary(struct cprof_session *s, const char *exec)
{
	cprof_symbolize_parse(s->symbolize, &s->prefetch_opts, NULL);
	if (exec && *exec && cprof_symbolize_uses_dwarf(&s->prefetch_opts))
		cprof_objtool_prefetch(s->obj, exec);
}

/* For the first source profile only (not again for a -base profile). */
static void prefetch_check(struct cprof_session *s, const struct cprof_profile *p)
{
	if (!s->prefetch_checked)
		cprof_profile_prefetch_symbols(p, s->obj, &s->prefetch_opts);
	s->prefetch_checked = true;
}

/* The same profile's mappings, before its locations and samples are decoded. */
static void prefetch_early(const struct cprof_profile *p, void *ctx)
{
	struct cprof_session *s = ctx;
	if (!s->prefetch_checked)
		cprof_profile_prefetch_binary(p, s->obj, &s->prefetch_opts);
}

/* One source, as pprof's grabProfile + locateBinaries, with the overrides of mapping 0. */
static int grab_profile(struct cprof_session *s, const struct cprof_session_opts *o, const char *path,
			bool first, struct cprof_profile **out, struct strbuf *notes, struct cprof_error *err)
{
	const char *url;
	cprof_pprof_set_mapping_hook(first ? prefetch_early : NULL, s);
	cprof_heapdump_set_binary(o->exec);
	int r = cprof_read_source(s->fetch, path, out, &url, notes, err); /* checked valid there */
	cprof_pprof_set_mapping_hook(NULL, NULL);
	cprof_heapdump_set_binary(NULL);
	if (r)
		return -1;
	struct cprof_profile *p = *out;
	if (url && s->prefetch_opts.remote)
		p->text_comments = NULL; /* its server names the addresses, as pprof asks it */
	use_text_comments(p, o->exec, s->symbolize);
	cprof_profile_locate_binaries(p, s->obj, getenv("PPROF_BINARY_PATH"), notes);
	if (p->nmapping == 0) {
		struct cprof_mapping *m = cprof_profile_add_mapping(p);
		m->id = 1;
		for (size_t l = 0; l < p->nlocation; l++)
			p->location[l].mapping = 0;
	}
	if (o->exec && *o->exec)
		p->mapping[0].file = cprof_profile_str(p, o->exec);
	if (o->buildid && *o->buildid)
		p->mapping[0].build_id = cprof_profile_str(p, o->buildid);
	if (url)
		cprof_fetch_collect_sources(s->fetch, p, url);
	if (first)
		prefetch_check(s, p);
	return 0;
}

/*
 * pprof's chunkedGrab: every source read, the ones that fail reported and
 * skipped when there are others, the rest merged. A lone source that fails
 * is the error itself (with its file as subject).
 */
static int grab_sources(struct cprof_session *s, const struct cprof_session_opts *o, const char *const *paths,
			size_t n, const char *what, bool first, struct cprof_profile **out, struct strbuf *notes,
			const char **subject, struct cprof_error *err)
{
	struct cprof_profile **ps = cprof_xcalloc(n ? n : 1, sizeof(*ps));
	size_t got = 0;

	for (size_t i = 0; i < n; i++) {
		if (!grab_profile(s, o, paths[i], first && got == 0, &ps[got], notes, err)) {
			got++;
			continue;
		}
		if (n == 1) {
			*subject = paths[i];
			free(ps);
			return -1;
		}
		strbuf_addf(notes, "%s: %s\n", paths[i], cprof_error_msg(err));
	}
	if (got == 0) {
		free(ps);
		return cprof_error_set(err, CPROF_E_IO, "failed to fetch any %s profiles", what);
	}
	if (got != n)
		strbuf_addf(notes, "Fetched %zu %s profiles out of %zu\n", got, what, n);
	if (cprof_profiles_combine(ps, got, out, err)) {
		free(ps);
		cprof_error_prefix(err, "problem fetching %s profiles", what);
		return -1;
	}
	free(ps);
	return 0;
}

int cprof_session_open(struct cprof_session **out, const struct cprof_session_opts *o,
		       struct strbuf *notes, const char **subject, struct cprof_error *err)
{
	struct cprof_session *s = cprof_xcalloc(1, sizeof(*s));
	struct strbuf debug_dirs = STRBUF_INIT;

	*subject = "";
	*out = NULL;
	strbuf_init(&s->label_unit_notes, 0);
	/* separate debug files are looked for in PPROF_BINARY_PATH, then /usr/lib/debug */
	if (getenv("PPROF_BINARY_PATH") && *getenv("PPROF_BINARY_PATH"))
		strbuf_addf(&debug_dirs, "%s:", getenv("PPROF_BINARY_PATH"));
	strbuf_addstr(&debug_dirs, "/usr/lib/debug");
	s->obj = cprof_objtool_new(&(struct cprof_objtool_opts){.debug_dirs = debug_dirs.buf});
	strbuf_release(&debug_dirs);
	s->symbolize = o->symbolize;
	prefetch_binary(s, o->exec);

	/* the URLs among the sources and the base, fetched at once */
	const char **all = cprof_xcalloc(o->nsources + 1, sizeof(*all));
	size_t nall = o->nsources;
	memcpy(all, o->sources, o->nsources * sizeof(*all));
	if (o->base && *o->base)
		all[nall++] = o->base;
	s->fetch = cprof_fetch_new(o);
	cprof_fetch_start(s->fetch, all, nall, notes);
	free(all);
	if (grab_sources(s, o, o->sources, o->nsources, "source", true, &s->p, notes, subject, err))
		goto fail;
	if (o->base && *o->base) {
		struct cprof_profile *base = NULL, *merged = NULL;
		const char *b[] = {o->base};
		if (grab_sources(s, o, b, 1, "base", false, &base, notes, subject, err))
			goto fail;
		int r = cprof_profile_apply_base(s->p, base, o->diff_base, o->normalize, &merged, err);
		s->p = merged; /* both inputs are consumed */
		if (r)
			goto fail;
	}

	/* pprof's Symbolize: addresses to functions and lines from the binaries, then demangling */
	struct cprof_symbolize_opts sym_opts;
	cprof_symbolize_parse(o->symbolize, &sym_opts, notes);
	sym_opts.remote_fn = cprof_fetch_symbolize;
	sym_opts.remote_ctx = s->fetch;
	if (cprof_profile_symbolize(s->p, s->obj, &sym_opts, notes, err))
		goto fail;
	/* as pprof, a drop_frames/keep_frames expression that does not compile disables pruning */
	if (!o->all_frames)
		(void)cprof_profile_remove_uninteresting(s->p, err);
	cprof_unsource_mappings(s->p);
	if (o->add_comment && o->add_comment[0])
		cprof_profile_add_comment(s->p, o->add_comment);
	/* a copy of what was fetched, to be read again */
	cprof_fetch_save(s->fetch, s->p, notes);
	cprof_fetch_free(s->fetch);
	s->fetch = NULL;
	if (cprof_profile_check_valid(s->p, err))
		goto fail;
	cprof_profile_lint(s->p, notes); /* what pprof accepts but a report should not trust */

	/* pprof's identifyNumLabelUnits, whose notes every report repeats */
	s->nlabel_units = cprof_profile_num_label_units(s->p, &s->label_units, &s->label_unit_notes);
	if (o->nsources == 1)
		s->single_source = o->sources[0];
	s->one_shot = o->one_shot;
	s->sample_types = cprof_xcalloc(s->p->nsample_type + 1, sizeof(*s->sample_types));
	for (size_t i = 0; i < s->p->nsample_type; i++)
		s->sample_types[i] = s->p->sample_type[i].type;
	*out = s;
	return 0;
fail:
	cprof_session_free(s);
	return -1;
}

static void prep_clear(struct prep *e)
{
	if (e->owned)
		cprof_profile_free(e->p);
	strbuf_release(&e->key);
	strbuf_release(&e->notes);
	free(e->filenames);
	free(e->totals);
	cprof_graph_cache_release(&e->graphs);
	memset(e, 0, sizeof(*e));
}

void cprof_session_free(struct cprof_session *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < PREP_CACHE; i++)
		prep_clear(&s->prep[i]);
	for (size_t i = 0; i < s->nouts; i++) {
		strbuf_release(&s->outs[i].key);
		strbuf_release(&s->outs[i].out);
		strbuf_release(&s->outs[i].notes);
	}
	free(s->outs);
	free(s->label_units);
	strbuf_release(&s->label_unit_notes);
	free(s->sample_types);
	free(s->fnames);
	cprof_fetch_free(s->fetch);
	cprof_profile_free(s->p);
	cprof_objtool_free(s->obj);
	free(s);
}

const struct cprof_profile *cprof_session_profile(const struct cprof_session *s)
{
	return s->p;
}

size_t cprof_session_sample_types(const struct cprof_session *s, const char ***names)
{
	*names = s->sample_types;
	return s->p->nsample_type;
}

struct cprof_objtool *cprof_session_objtool(struct cprof_session *s)
{
	return s->obj;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

size_t cprof_session_function_names(struct cprof_session *s, const char *const **names)
{
	if (!s->fnames_done) {
		/* interned: equal names are equal pointers, so sorting makes duplicates neighbours */
		s->fnames = cprof_xcalloc(s->p->nfunction + 1, sizeof(*s->fnames));
		for (size_t i = 0; i < s->p->nfunction; i++)
			s->fnames[i] = s->p->function[i].name;
		qsort(s->fnames, s->p->nfunction, sizeof(*s->fnames), cmp_str);
		size_t n = 0;
		for (size_t i = 0; i < s->p->nfunction; i++)
			if (*s->fnames[i] && (n == 0 || strcmp(s->fnames[n - 1], s->fnames[i])))
				s->fnames[n++] = s->fnames[i];
		s->nfnames = n;
		s->fnames_done = true;
	}
	*names = s->fnames;
	return s->nfnames;
}

/* ---- requests -------------------------------------------------------------- */

static const char *const granularity_names[] = {"functions", "filefunctions", "files", "lines", "addresses"};

/* pprof's applyCommandOverrides. */
static void apply_overrides(struct cprof_report_config *c, enum cprof_format f)
{
	bool trim = c->trim;
	switch (f) {
	case CPROF_FMT_DISASM:
		trim = false;
		c->granularity = "addresses";
		c->noinlines = true; /* one source location per address */
		break;
	case CPROF_FMT_WEBLIST:
		trim = false;
		c->granularity = "addresses";
		c->noinlines = false; /* inline frames are shown */
		break;
	case CPROF_FMT_LIST:
		trim = false;
		c->granularity = "lines";
		break;
	case CPROF_FMT_PEEK:
		trim = false;
		break;
	case CPROF_FMT_TEXT:
	case CPROF_FMT_TOP:
	case CPROF_FMT_TOPPROTO:
	case CPROF_FMT_FOLDED: /* not pprof's: whole stacks, never trimmed */
	case CPROF_FMT_FLAME:
		if (c->nodecount == -1)
			c->nodecount = 0;
		break;
	default:
		if (c->nodecount == -1)
			c->nodecount = 80;
		break;
	}
	if (f == CPROF_FMT_PROTO || f == CPROF_FMT_RAW || f == CPROF_FMT_LEGACY || f == CPROF_FMT_CALLGRIND ||
	    f == CPROF_FMT_KCACHEGRIND) {
		trim = false;
		c->granularity = "addresses";
		c->noinlines = false;
	}
	if (!trim) {
		c->nodecount = 0;
		c->nodefraction = 0;
		c->edgefraction = 0;
	}
}

static bool set(const char *s)
{
	return s && *s;
}

static bool has_filters(const struct cprof_filter_opts *f)
{
	return set(f->focus) || set(f->ignore) || set(f->hide) || set(f->show) || set(f->show_from) ||
	       set(f->prune_from) || set(f->tagfocus) || set(f->tagignore) || set(f->tagshow) ||
	       set(f->taghide);
}

/* Each string with its length, so that no two settings make the same key. */
static void key_add(struct strbuf *k, const char *s)
{
	s = s ? s : "";
	strbuf_addf(k, "%zu:%s;", strlen(s), s);
}

/* What the prepared profile depends on. */
static void prep_key(const struct cprof_report_config *c, enum cprof_granularity gran, struct strbuf *k)
{
	const struct cprof_filter_opts *f = &c->filter;
	bool tags = set(c->tagroot) || set(c->tagleaf);
	strbuf_reset(k);
	key_add(k, c->tagroot);
	key_add(k, c->tagleaf);
	key_add(k, tags ? c->unit : ""); /* numeric label frames are printed in the output unit */
	const char *fs[] = {f->focus,    f->ignore,   f->hide,      f->show,    f->show_from,
			    f->tagfocus, f->tagignore, f->tagshow, f->taghide, f->prune_from};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(fs); i++)
		key_add(k, fs[i]);
	strbuf_addf(k, "%d%d%d", c->relative_percentages, (int)gran, c->noinlines);
}

/* pprof's Profile.Aggregate does nothing for addresses with inline frames. */
static bool aggregate_is_noop(enum cprof_granularity g, bool noinlines)
{
	return g == CPROF_GRAN_ADDRESSES && !noinlines;
}

/*
 * The totals report.New computes before the filters, for every sample
 * index with and without -mean (the reports of a kept profile need them),
 * or only for [only] when it is not negative.
 */
static int64_t *all_totals(struct cprof_profile *p, int only)
{
	int64_t *t = cprof_xcalloc(2 * p->nsample_type, sizeof(*t));
	for (size_t i = 0; i < p->nsample_type; i++)
		for (int mean = 0; mean < 2; mean++) {
			if (only >= 0 && only != (int)(2 * i) + mean)
				continue;
			struct cprof_report rpt;
			struct cprof_report_opts ro = {.sample_index = (int)i, .mean = mean, .ratio = 1};
			cprof_report_init(&rpt, p, &ro);
			t[2 * i + (size_t)mean] = rpt.total;
		}
	return t;
}

static struct prep *prep_lookup(struct cprof_session *s, const struct strbuf *key)
{
	for (size_t i = 0; i < PREP_CACHE; i++)
		if (s->prep[i].p && s->prep[i].key.len == key->len && !memcmp(s->prep[i].key.buf, key->buf, key->len))
			return &s->prep[i];
	return NULL;
}

/* What a kept profile holds in memory, roughly: its arena and its four arrays. */
static size_t prep_bytes(const struct prep *e)
{
	const struct cprof_profile *p = e->p;
	if (!e->owned || !p)
		return 0;
	return p->arena.total + p->asample * sizeof(*p->sample) + p->alocation * sizeof(*p->location) +
	       p->afunction * sizeof(*p->function) + p->amapping * sizeof(*p->mapping);
}

/* Make room for one more kept profile: the least recently used go while all of them hold too much. */
static void prep_make_room(struct cprof_session *s, const struct prep *fresh)
{
	for (;;) {
		size_t bytes = prep_bytes(fresh);
		struct prep *old = NULL;
		for (size_t i = 0; i < PREP_CACHE; i++) {
			if (!s->prep[i].p)
				continue;
			bytes += prep_bytes(&s->prep[i]);
			if (!old || s->prep[i].used < old->used)
				old = &s->prep[i];
		}
		if (!old || bytes <= PREP_CACHE_BYTES)
			return;
		prep_clear(old);
	}
}

static struct prep *prep_slot(struct cprof_session *s)
{
	struct prep *e = &s->prep[0];
	for (size_t i = 0; i < PREP_CACHE; i++) {
		if (!s->prep[i].p)
			return &s->prep[i];
		if (s->prep[i].used < e->used)
			e = &s->prep[i];
	}
	prep_clear(e);
	return e;
}

/*
 * The steps between the loaded profile and a report (tag frames, filters,
 * aggregation), in pprof's order; e is filled on success. The sample
 * index and the -list/-peek regexp are checked by the caller before the
 * filters, where pprof checks them.
 */
static int prepare(struct cprof_session *s, const struct cprof_report_config *c, enum cprof_granularity gran,
		   int sindex, struct prep *e, struct cprof_error *err)
{
	const struct cprof_filter_opts *f = &c->filter;
	bool tags = set(c->tagroot) || set(c->tagleaf);
	struct cprof_profile *p;

	strbuf_init(&e->notes, 0);
	if (s->one_shot || (!tags && !has_filters(f) && aggregate_is_noop(gran, c->noinlines))) {
		p = s->p; /* nothing to change, or nothing to keep: the loaded profile itself */
		e->owned = false;
		s->spent = s->one_shot;
	} else {
		p = cprof_profile_copy(s->p);
		p->own_sample_arrays = true; /* the copy's arrays are its own */
		e->owned = true;
	}
	e->p = p;
	if (tags && cprof_profile_add_tag_frames(p, c->tagroot, c->tagleaf, c->unit, &e->notes, err))
		return -1;
	if (c->relative_percentages) {
		if (cprof_profile_filter(p, f, &e->notes, err))
			return -1;
	} else {
		e->totals = all_totals(p, s->one_shot ? 2 * sindex + c->mean : -1);
		if (cprof_profile_filter(p, f, &e->notes, err))
			return -1;
	}
	if (cprof_profile_aggregate(p, gran, c->noinlines, err))
		return -1;
	e->filenames = cprof_xcalloc(p->nfunction + 1, sizeof(*e->filenames));
	for (size_t i = 0; i < p->nfunction; i++)
		e->filenames[i] = p->function[i].filename;
	return 0;
}

/* Undo what a report did to its profile (rpt.newGraph's file name clean-up). */
static void prep_restore(struct prep *e)
{
	for (size_t i = 0; i < e->p->nfunction; i++)
		e->p->function[i].filename = e->filenames[i];
}

/* Everything a whole output depends on. */
static void request_key(const struct cprof_request *rq, struct strbuf *k)
{
	struct strbuf v = STRBUF_INIT;
	strbuf_reset(k);
	strbuf_addf(k, "%d;", (int)rq->format);
	key_add(k, rq->arg);
	for (size_t i = 0; i < cprof_nconfig_fields; i++) {
		if (!strcmp(cprof_config_fields[i].name, "output"))
			continue;
		cprof_report_config_get(&rq->cfg, &cprof_config_fields[i], &v);
		key_add(k, v.buf);
	}
	strbuf_release(&v);
}

/* Outputs written while they are made are not kept (they can be larger than the profile). */
static bool output_cacheable(const struct cprof_request *rq)
{
	return !rq->spill;
}

static struct outcache *output_lookup(struct cprof_session *s, const struct strbuf *key)
{
	for (size_t i = 0; i < s->nouts; i++)
		if (s->outs[i].key.len == key->len && !memcmp(s->outs[i].key.buf, key->buf, key->len))
			return &s->outs[i];
	return NULL;
}

static void output_store(struct cprof_session *s, const struct strbuf *key, const struct strbuf *out,
			 const struct strbuf *notes)
{
	if (out->len > OUTPUT_CACHE_ONE)
		return;
	while (s->nouts && s->out_bytes + out->len > OUTPUT_CACHE_BYTES) {
		size_t old = 0;
		for (size_t i = 1; i < s->nouts; i++)
			if (s->outs[i].used < s->outs[old].used)
				old = i;
		s->out_bytes -= s->outs[old].out.len;
		strbuf_release(&s->outs[old].key);
		strbuf_release(&s->outs[old].out);
		strbuf_release(&s->outs[old].notes);
		s->outs[old] = s->outs[--s->nouts];
	}
	ALLOC_GROW(s->outs, s->nouts + 1, s->aouts);
	struct outcache *o = &s->outs[s->nouts++];
	strbuf_init(&o->key, key->len);
	strbuf_add(&o->key, key->buf, key->len);
	strbuf_init(&o->out, out->len);
	strbuf_add(&o->out, out->buf, out->len);
	strbuf_init(&o->notes, notes->len);
	strbuf_add(&o->notes, notes->buf, notes->len);
	o->used = ++s->clock;
	s->out_bytes += out->len;
}

/* The renderer of a format. */
static int render(struct cprof_report *rpt, enum cprof_format f, struct strbuf *out, struct cprof_error *err)
{
	struct cprof_profile *p = rpt->prof;
	switch (f) {
	case CPROF_FMT_TEXT:
	case CPROF_FMT_TOP:
		return cprof_render_text(rpt, out, err);
	case CPROF_FMT_TRACES:
		return cprof_render_traces(rpt, out, err);
	case CPROF_FMT_RAW:
		cprof_profile_dump(p, out);
		return 0;
	case CPROF_FMT_COMMENTS:
		return cprof_render_comments(rpt, out, err);
	case CPROF_FMT_TREE:
	case CPROF_FMT_PEEK:
		return cprof_render_tree(rpt, out, err);
	case CPROF_FMT_TAGS:
		return cprof_render_tags(rpt, out, err);
	case CPROF_FMT_TOPPROTO:
		return cprof_render_topproto(rpt, out, err);
	case CPROF_FMT_FOLDED:
		return cprof_render_folded(rpt, out, err);
	case CPROF_FMT_FLAME:
		return cprof_render_flame(rpt, out, err);
	case CPROF_FMT_LIST:
		return cprof_render_list(rpt, out, err);
	case CPROF_FMT_DISASM:
		return cprof_render_disasm(rpt, out, err);
	case CPROF_FMT_WEBLIST:
		return cprof_render_weblist(rpt, out, err);
	case CPROF_FMT_LEGACY:
	case CPROF_FMT_PROTO: {
		/* Profile.Scale changes the profile: on a copy, the kept one stays */
		struct cprof_profile *q = NULL;
		struct cprof_report r2 = *rpt;
		if (rpt->opt.ratio != 1) {
			q = cprof_profile_copy(p);
			cprof_profile_scale(q, rpt->opt.ratio);
			r2.prof = q;
		}
		int rc = f == CPROF_FMT_PROTO ? cprof_pprof_encode(r2.prof, out, err)
					      : cprof_render_legacy(&r2, out, err);
		cprof_profile_free(q);
		return rc;
	}
	case CPROF_FMT_DOT:
		return cprof_render_dot(rpt, out, err);
	case CPROF_FMT_SVG:
	case CPROF_FMT_PNG:
	case CPROF_FMT_GIF:
	case CPROF_FMT_PDF:
	case CPROF_FMT_PS:
	case CPROF_FMT_WEB:
	case CPROF_FMT_EOG:
	case CPROF_FMT_EVINCE:
	case CPROF_FMT_GV:
		return cprof_render_graphviz(rpt, f, out, err);
	case CPROF_FMT_CALLGRIND:
	case CPROF_FMT_KCACHEGRIND:
		return cprof_render_callgrind(rpt, out, err);
	default:
		return cprof_error_set(err, CPROF_E_UNSUPPORTED, "output format not supported");
	}
}

/* pprof's reportOptions, without the sample index (resolved by the caller). */
static void report_options(struct cprof_session *s, const struct cprof_report_config *c, int sindex,
			   enum cprof_format format, struct cprof_report_opts *ro, const char **filters,
			   size_t *nfilters, struct strbuf *filterbuf, struct strbuf *stype, struct strbuf *title)
{
	const struct {
		const char *name, *value;
	} fl[] = {
		{"focus", c->filter.focus},         {"ignore", c->filter.ignore},
		{"hide", c->filter.hide},           {"show", c->filter.show},
		{"show_from", c->filter.show_from}, {"tagfocus", c->filter.tagfocus},
		{"tagignore", c->filter.tagignore}, {"tagshow", c->filter.tagshow},
		{"taghide", c->filter.taghide},
	};
	size_t n = 0;
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(fl); i++) {
		if (!set(fl[i].value))
			continue;
		strbuf_addf(&filterbuf[n], "%s=%s", fl[i].name, fl[i].value);
		filters[n] = filterbuf[n].buf;
		n++;
	}
	*nfilters = n;
	if (c->mean)
		strbuf_addstr(stype, "mean_");
	strbuf_addstr(stype, s->p->sample_type[sindex].type);

	memset(ro, 0, sizeof(*ro));
	ro->format = format;
	ro->cum_sort = !strcmp(c->sort, "cum");
	ro->call_tree = c->call_tree;
	ro->drop_negative = c->drop_negative;
	ro->compact_labels = c->compact_labels;
	ro->ratio = 1 / c->divide_by;
	ro->active_filters = filters;
	ro->nactive_filters = n;
	ro->nodecount = c->nodecount;
	ro->nodefraction = c->nodefraction;
	ro->edgefraction = c->edgefraction;
	ro->sample_index = sindex;
	ro->mean = c->mean;
	ro->sample_type = stype->buf;
	ro->sample_unit = s->p->sample_type[sindex].unit; /* as recorded: pprof does not lower-case it */
	ro->num_label_units = s->label_units;
	ro->nnum_label_units = s->nlabel_units;
	ro->output_unit = c->unit;
	ro->source_path = c->source_path;
	ro->trim_path = c->trim_path;
	ro->intel_syntax = c->intel_syntax;
	ro->obj = s->obj;
	ro->title = "";
	if (s->p->nmapping && s->p->mapping[0].file[0]) {
		cprof_path_base(s->p->mapping[0].file, title);
		ro->title = title->buf;
	}
}

/* The sample index of a config, with pprof's errors. */
static int sample_index(struct cprof_session *s, const struct cprof_report_config *c, int *sindex,
			const char **subject, struct cprof_error *err)
{
	*subject = NULL;
	if (s->p->nsample_type == 0) {
		*subject = s->single_source;
		return cprof_error_set(err, CPROF_E_CORRUPT, "profile has no samples");
	}
	if (cprof_sample_index(s->p, c->sample_index, sindex, err))
		return -1;
	if (c->divide_by == 0)
		return cprof_error_set(err, CPROF_E_USAGE, "zero divisor specified");
	return 0;
}

int cprof_session_report(struct cprof_session *s, const struct cprof_request *rq, struct strbuf *out,
			 struct strbuf *notes, struct cprof_error *err)
{
	struct cprof_report_config c = rq->cfg;
	struct strbuf key = STRBUF_INIT, stype = STRBUF_INIT, title = STRBUF_INIT, mynotes = STRBUF_INIT;
	struct strbuf filterbuf[9];
	const char *filters[9];
	size_t nfilters = 0;
	struct cprof_regex *symbol_re = NULL;
	struct prep *e = NULL;
	const char *subject;
	int sindex = 0, rc = -1;
	bool cache_out = output_cacheable(rq);

	for (size_t i = 0; i < CPROF_ARRAY_SIZE(filterbuf); i++)
		strbuf_init(&filterbuf[i], 0);
	if (s->spent) {
		cprof_error_set(err, CPROF_E_UNSUPPORTED, "the session has answered its one request");
		goto done;
	}
	if (cache_out) {
		request_key(rq, &key);
		struct outcache *o = output_lookup(s, &key);
		if (o) {
			strbuf_add(notes, o->notes.buf, o->notes.len);
			strbuf_add(out, o->out.buf, o->out.len);
			o->used = ++s->clock;
			rc = 0;
			goto done;
		}
	}

	/* generateRawReport */
	strbuf_add(&mynotes, s->label_unit_notes.buf, s->label_unit_notes.len);
	apply_overrides(&c, rq->format);
	enum cprof_granularity gran = CPROF_GRAN_FUNCTIONS;
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(granularity_names); i++)
		if (!strcmp(c.granularity, granularity_names[i]))
			gran = (enum cprof_granularity)i;

	struct strbuf pkey = STRBUF_INIT;
	prep_key(&c, gran, &pkey);
	e = prep_lookup(s, &pkey);
	bool fresh = !e;
	struct prep tmp = {0};
	if (fresh) {
		/* with relative_percentages the filters run before the sample index is checked */
		if (!c.relative_percentages) {
			if (sample_index(s, &c, &sindex, &subject, err))
				goto fail_key;
			if (set(rq->arg) && !(symbol_re = cprof_regex_compile(rq->arg, err)))
				goto bad_regexp;
		}
		if (prepare(s, &c, gran, sindex, &tmp, err) ||
		    (cprof_interrupted() && cprof_error_set(err, CPROF_E_IO, "interrupted"))) {
			strbuf_add(&mynotes, tmp.notes.buf, tmp.notes.len);
			prep_clear(&tmp);
			goto fail_key;
		}
	}
	if (!fresh || c.relative_percentages) {
		if (sample_index(s, &c, &sindex, &subject, err))
			goto fail_key;
		if (!symbol_re && set(rq->arg) && !(symbol_re = cprof_regex_compile(rq->arg, err)))
			goto bad_regexp;
	}
	if (fresh) {
		prep_make_room(s, &tmp);
		e = prep_slot(s);
		*e = tmp;
		e->key = pkey;
		strbuf_init(&pkey, 0);
	}
	strbuf_release(&pkey);
	e->used = ++s->clock;
	strbuf_add(&mynotes, e->notes.buf, e->notes.len);

	struct cprof_report rpt;
	struct cprof_report_opts ro;
	report_options(s, &c, sindex, rq->format, &ro, filters, &nfilters, filterbuf, &stype, &title);
	ro.symbol = symbol_re;
	cprof_report_init(&rpt, e->p, &ro);
	if (e->totals)
		rpt.total = e->totals[2 * (size_t)sindex + c.mean];
	rpt.spill = rq->spill;
	rpt.spill_ctx = rq->spill_ctx;
	if (!s->one_shot)
		rpt.graphs = &e->graphs;
	if (rq->spill)
		strbuf_add(notes, mynotes.buf, mynotes.len), strbuf_reset(&mynotes);
	rc = cprof_interrupted() ? cprof_error_set(err, CPROF_E_IO, "interrupted") : render(&rpt, rq->format, out, err);
	prep_restore(e);
	if (rc == 0 && cprof_interrupted())
		rc = cprof_error_set(err, CPROF_E_IO, "interrupted");
	if (rc == 0 && cache_out)
		output_store(s, &key, out, &mynotes);
	goto done;

bad_regexp: {
	char why[sizeof(err->msg)];
	snprintf(why, sizeof(why), "%s", cprof_error_msg(err));
	cprof_error_set(err, CPROF_E_USAGE, "parsing argument regexp %s: %s", rq->arg, why);
}
fail_key:
	strbuf_release(&pkey);
	if (subject && *subject)
		cprof_error_prefix(err, "%s", subject);
done:
	strbuf_add(notes, mynotes.buf, mynotes.len);
	strbuf_release(&mynotes);
	strbuf_release(&key);
	strbuf_release(&stype);
	strbuf_release(&title);
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(filterbuf); i++)
		strbuf_release(&filterbuf[i]);
	cprof_regex_free(symbol_re);
	return rc;
}

int cprof_session_labels(struct cprof_session *s, const struct cprof_report_config *cfg, struct strbuf *out,
			 bool *zero_total, struct strbuf *notes, struct cprof_error *err)
{
	struct strbuf stype = STRBUF_INIT, title = STRBUF_INIT;
	struct strbuf filterbuf[9];
	const char *filters[9], *subject;
	size_t nfilters;
	int sindex;
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(filterbuf); i++)
		strbuf_init(&filterbuf[i], 0);
	strbuf_add(notes, s->label_unit_notes.buf, s->label_unit_notes.len);
	int rc = sample_index(s, cfg, &sindex, &subject, err);
	if (rc == 0) {
		struct cprof_report rpt;
		struct cprof_report_opts ro;
		report_options(s, cfg, sindex, CPROF_FMT_TEXT, &ro, filters, &nfilters, filterbuf, &stype, &title);
		cprof_report_init(&rpt, s->p, &ro);
		cprof_report_profile_labels(&rpt, out);
		*zero_total = rpt.total == 0;
	}
	strbuf_release(&stype);
	strbuf_release(&title);
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(filterbuf); i++)
		strbuf_release(&filterbuf[i]);
	return rc;
}
