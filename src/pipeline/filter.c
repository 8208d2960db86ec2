/*
 * filter.c - the report filters, in the order and with the messages of
 * pprof's applyFocus (driver_focus.go) over profile/filter.go:
 *
 *   compile focus ignore hide show show_from tagfocus tagignore prune_from
 *   focus/ignore/hide/show   by location   "Focus expression matched no samples", ...
 *   show_from                by location   "ShowFrom ..."
 *   tagfocus/tagignore       by sample     "TagFocus ...", "TagIgnore ..."
 *   tagshow/taghide          label keys    "TagShow ...", "TagHide ..."
 *   prune_from               by location
 *
 * A location "matches" a pattern when the name or file name of one of its
 * functions does, or its mapping's file does. Patterns are evaluated once
 * per function and once per mapping, never per sample frame; tag patterns
 * once per distinct (key, value) pair.
 *
 * Tag filter values, "[key=]spec":
 *
 *   -tagfocus=bytes=1mb:2gb    numeric range "N[unit]", "N[unit]:",
 *   -tagfocus=:64kb            ":N[unit]" or "N[unit]:M[unit]"; pprof says
 *                              "tagfocus:Interpreted '1mb:2gb' as range, not regexp"
 *   -tagfocus=key1=a.*,b       otherwise comma-separated regexps: with a key,
 *                              any of them matching any value of that key;
 *                              without, each matching some "key:value"
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/regex.h"
#include "cprof/strbuf.h"
#include "cprof/transform.h"
#include "cprof/units.h"
#include "src/pipeline/transform_internal.h"

static bool set(const char *s)
{
	return s && *s;
}

static struct cprof_regex *compile_option(const char *name, const char *value, struct cprof_error *err)
{
	struct cprof_error e = {0};
	struct cprof_regex *re = cprof_regex_compile(value, &e);
	if (!re)
		cprof_error_set(err, CPROF_E_REGEX, "parsing %s regexp: %s", name, cprof_error_msg(&e));
	return re;
}

static void warn_no_match(struct strbuf *notes, bool matched, const char *option)
{
	if (!matched && notes)
		strbuf_addf(notes, "%s expression matched no samples\n", option);
}

/* ---- name filters ----------------------------------------------------------- */

/* Match results of one pattern, cached per function and per mapping. */
struct name_match {
	const struct cprof_regex *re;
	const struct cprof_profile *p;
	unsigned char *fn;  /* 0 unknown, 1 yes, 2 no */
	unsigned char *map; /* idem */
};

static void nm_init(struct name_match *m, const struct cprof_profile *p, const struct cprof_regex *re)
{
	m->re = re;
	m->p = p;
	m->fn = re ? cprof_xcalloc(p->nfunction ? p->nfunction : 1, 1) : NULL;
	m->map = re ? cprof_xcalloc(p->nmapping ? p->nmapping : 1, 1) : NULL;
}

static void nm_release(struct name_match *m)
{
	free(m->fn);
	free(m->map);
}

/* Does function fn's name or file name match? CPROF_NONE never does. */
static bool nm_fn(struct name_match *m, uint32_t fn)
{
	if (fn >= m->p->nfunction)
		return false;
	if (!m->fn[fn]) {
		const struct cprof_function *f = &m->p->function[fn];
		m->fn[fn] = cprof_regex_match(m->re, f->name) || cprof_regex_match(m->re, f->filename) ? 1 : 2;
	}
	return m->fn[fn] == 1;
}

static bool nm_mapping(struct name_match *m, const struct cprof_location *l)
{
	if (l->mapping >= m->p->nmapping)
		return false;
	if (!m->map[l->mapping])
		m->map[l->mapping] = cprof_regex_match(m->re, m->p->mapping[l->mapping].file) ? 1 : 2;
	return m->map[l->mapping] == 1;
}

/* pprof's Location.matchesName. */
static bool nm_location(struct name_match *m, const struct cprof_location *l)
{
	for (uint32_t i = 0; i < l->nline; i++)
		if (nm_fn(m, l->line[i].fn))
			return true;
	return nm_mapping(m, l);
}

/* Keep the lines of l for which keep_matching == (the line matches); lines without a function stay. */
static void filter_lines(struct name_match *m, struct cprof_location *l, bool keep_matching)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < l->nline; i++) {
		uint32_t fn = l->line[i].fn;
		if (fn < m->p->nfunction && nm_fn(m, fn) != keep_matching)
			continue;
		l->line[n++] = l->line[i];
	}
	l->nline = n;
}

/* pprof's FilterSamplesByName. Returns the four "matched" flags in f[]. */
static void filter_by_name(struct cprof_profile *p, const struct cprof_regex *focus,
			   const struct cprof_regex *ignore, const struct cprof_regex *hide,
			   const struct cprof_regex *show, bool f[4])
{
	enum { NONE, FOCUSED, IGNORED };
	struct name_match mf, mi, mh, ms;
	nm_init(&mf, p, focus);
	nm_init(&mi, p, ignore);
	nm_init(&mh, p, hide);
	nm_init(&ms, p, show);
	unsigned char *state = cprof_xcalloc(p->nlocation ? p->nlocation : 1, 1);
	bool *hidden = cprof_xcalloc(p->nlocation ? p->nlocation : 1, sizeof(*hidden));
	bool any_hidden = false;

	f[0] = f[1] = f[2] = f[3] = false;
	for (size_t i = 0; i < p->nlocation; i++) {
		struct cprof_location *l = &p->location[i];
		if (ignore && nm_location(&mi, l)) {
			f[1] = true;
			state[i] = IGNORED;
		} else if (!focus || nm_location(&mf, l)) {
			f[0] = true;
			state[i] = FOCUSED;
		}
		if (hide && nm_location(&mh, l)) {
			f[2] = true;
			if (nm_mapping(&mh, l))
				l->nline = 0;
			else
				filter_lines(&mh, l, false);
			if (l->nline == 0)
				hidden[i] = any_hidden = true;
		}
		if (show) {
			if (!nm_mapping(&ms, l))
				filter_lines(&ms, l, true);
			if (l->nline == 0)
				hidden[i] = any_hidden = true;
			else
				f[3] = true;
		}
	}

	size_t kept = 0;
	for (size_t i = 0; i < p->nsample; i++) {
		struct cprof_sample *s = &p->sample[i];
		bool focused = false, ignored = false;
		for (uint32_t j = 0; j < s->nloc && !ignored; j++) {
			unsigned char st = state[s->loc[j]];
			focused |= st == FOCUSED;
			ignored = st == IGNORED;
		}
		if (!focused || ignored)
			continue;
		if (any_hidden) {
			uint32_t n = 0;
			for (uint32_t j = 0; j < s->nloc; j++)
				if (!hidden[s->loc[j]])
					s->loc[n++] = s->loc[j];
			if (n == 0)
				continue;
			s->nloc = n;
		}
		p->sample[kept++] = *s;
	}
	p->nsample = kept;

	free(hidden);
	free(state);
	nm_release(&mf);
	nm_release(&mi);
	nm_release(&mh);
	nm_release(&ms);
}

/* pprof's Profile.ShowFrom. */
static bool show_from(struct cprof_profile *p, const struct cprof_regex *re)
{
	struct name_match m;
	bool matched = false;
	nm_init(&m, p, re);
	bool *from = cprof_xcalloc(p->nlocation ? p->nlocation : 1, sizeof(*from));

	for (size_t i = 0; i < p->nlocation; i++) {
		struct cprof_location *l = &p->location[i];
		if (nm_mapping(&m, l)) {
			from[i] = matched = true;
			continue;
		}
		/* Keep the lines up to the outermost matching one. */
		for (long j = (long)l->nline - 1; j >= 0; j--) {
			if (nm_fn(&m, l->line[j].fn)) {
				l->nline = (uint32_t)j + 1;
				from[i] = matched = true;
				break;
			}
		}
	}

	size_t kept = 0;
	for (size_t i = 0; i < p->nsample; i++) {
		struct cprof_sample *s = &p->sample[i];
		for (long j = (long)s->nloc - 1; j >= 0; j--) {
			if (from[s->loc[j]]) {
				s->nloc = (uint32_t)j + 1;
				p->sample[kept++] = *s;
				break;
			}
		}
	}
	p->nsample = kept;
	free(from);
	nm_release(&m);
	return matched;
}

/* ---- tag filters ------------------------------------------------------------ */

struct tag_filter {
	const char *name; /* option name for messages */
	const char *key;  /* interned; NULL = any key */

	/* numeric range form */
	bool numeric;
	int op; /* '=' equal, '>' at least, '<' at most, 'r' between */
	double lo, hi;
	const char *unit; /* the range's unit ("" if none) */
	const struct cprof_label_unit *units;
	size_t nunits;

	/* regexp form */
	struct cprof_regex **rx;
	size_t nrx;
	struct xf_pairmap cache; /* (key, value) → bitmask of matching rx + 1 */
	struct strbuf tmp;
};

/* One match of ([+-]?[[:digit:]]+)([[:alpha:]]+)? at or after *pos. */
struct range_tok {
	size_t start, end;         /* whole match */
	size_t num_end;            /* end of the number */
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool next_range_tok(const char *s, size_t *pos, struct range_tok *t)
{
	for (size_t i = *pos; s[i]; i++) {
		size_t j = i;
		if ((s[j] == '+' || s[j] == '-') && is_digit(s[j + 1]))
			j++;
		if (!is_digit(s[j]))
			continue;
		t->start = i;
		while (is_digit(s[j]))
			j++;
		t->num_end = j;
		while (is_alpha(s[j]))
			j++;
		t->end = j;
		*pos = j;
		return true;
	}
	return false;
}

/* strconv.ParseInt(s, 10, 64) for an already-validated [+-]?digits token. */
static bool parse_int64(const char *s, size_t len, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	unsigned long long v = 0;
	if (s[0] == '+' || s[0] == '-')
		neg = s[i++] == '-';
	for (; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (9223372036854775808ULL - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (!neg && v > 9223372036854775807ULL)
		return false;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

/* pprof's parseTagFilterRange; false when spec is not a range. */
static bool parse_range(struct tag_filter *tf, const char *spec, struct cprof_profile *p)
{
	struct range_tok t[2];
	size_t pos = 0, n = 0;
	int64_t v;
	char unit0[64], unit1[64];
	const char *u;

	while (n < 2 && next_range_tok(spec, &pos, &t[n]))
		n++;
	if (n == 0)
		return false;
	/* pprof panics on numbers beyond int64; treat them as not a range */
	if (!parse_int64(spec + t[0].start, t[0].num_end - t[0].start, &v))
		return false;
	size_t ul = t[0].end - t[0].num_end;
	if (ul >= sizeof(unit0))
		return false;
	memcpy(unit0, spec + t[0].num_end, ul);
	unit0[ul] = 0;
	tf->lo = cprof_unit_scale(v, unit0, unit0, &u);
	tf->unit = cprof_profile_str(p, u ? u : "");

	size_t mlen = t[0].end - t[0].start, slen = strlen(spec);
	if (n == 1) {
		if (t[0].start == 0 && slen == mlen)
			tf->op = '=';
		else if (t[0].start == 0 && slen == mlen + 1 && spec[mlen] == ':')
			tf->op = '>';
		else if (t[0].start == 1 && spec[0] == ':' && slen == mlen + 1)
			tf->op = '<';
		else
			return false;
		return true;
	}
	if (!(t[0].start == 0 && spec[t[0].end] == ':' && t[1].start == t[0].end + 1 && spec[t[1].end] == 0))
		return false;
	if (!parse_int64(spec + t[1].start, t[1].num_end - t[1].start, &v))
		return false;
	ul = t[1].end - t[1].num_end;
	if (ul >= sizeof(unit1))
		return false;
	memcpy(unit1, spec + t[1].num_end, ul);
	unit1[ul] = 0;
	tf->hi = cprof_unit_scale(v, unit1, tf->unit, &u);
	if (strcmp(u ? u : "", tf->unit))
		return false;
	tf->op = 'r';
	return true;
}

static void tag_filter_release(struct tag_filter *tf)
{
	if (!tf)
		return;
	for (size_t i = 0; i < tf->nrx; i++)
		cprof_regex_free(tf->rx[i]);
	free(tf->rx);
	xf_pairmap_release(&tf->cache);
	strbuf_release(&tf->tmp);
	free(tf);
}

/* pprof's compileTagFilter. NULL with err set on a bad regexp. */
static struct tag_filter *compile_tag_filter(const char *name, const char *value, struct cprof_profile *p,
					     const struct cprof_label_unit *units, size_t nunits,
					     struct strbuf *notes, struct cprof_error *err)
{
	struct tag_filter *tf = cprof_xcalloc(1, sizeof(*tf));
	const char *eq = strchr(value, '=');
	const char *spec = value;

	tf->name = name;
	strbuf_init(&tf->tmp, 0);
	if (eq) {
		/* "=spec" has an empty key, which pprof treats as no key */
		if (eq != value)
			tf->key = cprof_profile_strn(p, value, (size_t)(eq - value));
		spec = eq + 1;
	}
	if (parse_range(tf, spec, p)) {
		if (notes)
			strbuf_addf(notes, "%s:Interpreted '%s' as range, not regexp\n", name, spec);
		tf->numeric = true;
		tf->units = units;
		tf->nunits = nunits;
		return tf;
	}
	for (const char *s = spec;;) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		char *one = cprof_xstrndup(s, len);
		struct cprof_regex *re = compile_option(name, one, err);
		free(one);
		if (!re) {
			tag_filter_release(tf);
			return NULL;
		}
		tf->rx = cprof_xrealloc(tf->rx, (tf->nrx + 1) * sizeof(*tf->rx));
		tf->rx[tf->nrx++] = re;
		if (!comma)
			break;
		s = comma + 1;
	}
	return tf;
}

static bool in_range(const struct tag_filter *tf, int64_t v, const char *unit)
{
	const char *su;
	double sv = cprof_unit_scale(v, unit, tf->unit, &su);
	if (strcmp(su ? su : "", tf->unit))
		return false;
	switch (tf->op) {
	case '=': return sv == tf->lo;
	case '>': return sv >= tf->lo;
	case '<': return sv <= tf->lo;
	default: return sv >= tf->lo && sv <= tf->hi;
	}
}

/* Bitmask of the regexps matching "key:value" (no filter key) or "value" (with one). */
static uint64_t rx_mask(struct tag_filter *tf, const struct cprof_label *l)
{
	int added;
	uint32_t *v = xf_pairmap_put(&tf->cache, (uint64_t)(uintptr_t)l->key, (uint64_t)(uintptr_t)l->str, 0,
				     &added);
	if (added) {
		const char *subject = l->str;
		if (!tf->key) {
			strbuf_reset(&tf->tmp);
			strbuf_addf(&tf->tmp, "%s:%s", l->key, l->str);
			subject = tf->tmp.buf;
		}
		uint32_t mask = 0;
		for (size_t i = 0; i < tf->nrx; i++)
			if (cprof_regex_match(tf->rx[i], subject))
				mask |= 1u << i;
		*v = mask;
	}
	return *v;
}

static bool tag_match(struct tag_filter *tf, const struct cprof_sample *s)
{
	if (tf->numeric) {
		for (uint32_t i = 0; i < s->nlabel; i++) {
			const struct cprof_label *l = &s->label[i];
			if (l->str || (tf->key && l->key != tf->key))
				continue;
			const char *unit = cprof_label_unit_find(tf->units, tf->nunits, l->key);
			if (in_range(tf, l->num, unit ? unit : ""))
				return true;
		}
		return false;
	}
	if (tf->nrx > 32) {
		/* Too many for the bitmask cache: match directly. */
		for (size_t r = 0; r < tf->nrx; r++) {
			bool hit = false;
			for (uint32_t i = 0; i < s->nlabel && !hit; i++) {
				const struct cprof_label *l = &s->label[i];
				if (!l->str || (tf->key && l->key != tf->key))
					continue;
				strbuf_reset(&tf->tmp);
				if (!tf->key)
					strbuf_addf(&tf->tmp, "%s:", l->key);
				strbuf_addstr(&tf->tmp, l->str);
				hit = cprof_regex_match(tf->rx[r], tf->tmp.buf);
			}
			if (tf->key && hit)
				return true;
			if (!tf->key && !hit)
				return false;
		}
		return !tf->key;
	}
	uint64_t all = 0;
	for (uint32_t i = 0; i < s->nlabel; i++) {
		const struct cprof_label *l = &s->label[i];
		if (!l->str || (tf->key && l->key != tf->key))
			continue;
		all |= rx_mask(tf, l);
	}
	if (tf->key)
		return all != 0; /* any regexp on any value of the key */
	return all == (1ULL << tf->nrx) - 1; /* each regexp somewhere */
}

/* pprof's FilterSamplesByTag. */
static void filter_by_tag(struct cprof_profile *p, struct tag_filter *focus, struct tag_filter *ignore,
			  bool *fm, bool *im)
{
	size_t kept = 0;
	*fm = *im = false;
	for (size_t i = 0; i < p->nsample; i++) {
		struct cprof_sample *s = &p->sample[i];
		bool focused = !focus || tag_match(focus, s);
		bool ignored = ignore && tag_match(ignore, s);
		*fm = *fm || focused;
		*im = *im || ignored;
		if (focused && !ignored)
			p->sample[kept++] = *s;
	}
	p->nsample = kept;
}

/* pprof's FilterTagsByName: drop label keys not matching show or matching hide. */
static void filter_tags_by_name(struct cprof_profile *p, const struct cprof_regex *show,
				const struct cprof_regex *hide, bool *sm, bool *hm)
{
	struct xf_pairmap cache = {0}; /* key → 1 + (remove ? 1 : 0) | show 4 | hide 8 */
	*sm = *hm = false;
	for (size_t i = 0; i < p->nsample; i++) {
		struct cprof_sample *s = &p->sample[i];
		uint32_t n = 0;
		for (uint32_t j = 0; j < s->nlabel; j++) {
			const struct cprof_label *l = &s->label[j];
			int added;
			uint32_t *v = xf_pairmap_put(&cache, (uint64_t)(uintptr_t)l->key, 0, 0, &added);
			if (added) {
				bool ms = !show || cprof_regex_match(show, l->key);
				bool mh = hide && cprof_regex_match(hide, l->key);
				*v = (ms ? 4u : 0) | (mh ? 8u : 0) | (!ms || mh ? 2u : 0);
			}
			*sm = *sm || (*v & 4);
			*hm = *hm || (*v & 8);
			if (!(*v & 2))
				s->label[n++] = *l;
		}
		s->nlabel = n;
	}
	xf_pairmap_release(&cache);
}

/* ---- the driver ------------------------------------------------------------- */

int cprof_profile_filter(struct cprof_profile *p, const struct cprof_filter_opts *o,
			 struct strbuf *notes, struct cprof_error *err)
{
	struct cprof_regex *focus = NULL, *ignore = NULL, *hide = NULL, *show = NULL, *showfrom = NULL,
			   *prunefrom = NULL, *tagshow = NULL, *taghide = NULL;
	struct tag_filter *tagfocus = NULL, *tagignore = NULL;
	struct cprof_label_unit *units = NULL;
	size_t nunits = 0;
	bool m[4];
	int rc = -1;

	if (set(o->tagfocus) || set(o->tagignore))
		nunits = cprof_profile_num_label_units(p, &units, NULL);

	/* Compile in pprof's order so the first bad option is the one reported. */
	if ((set(o->focus) && !(focus = compile_option("focus", o->focus, err))) ||
	    (set(o->ignore) && !(ignore = compile_option("ignore", o->ignore, err))) ||
	    (set(o->hide) && !(hide = compile_option("hide", o->hide, err))) ||
	    (set(o->show) && !(show = compile_option("show", o->show, err))) ||
	    (set(o->show_from) && !(showfrom = compile_option("show_from", o->show_from, err))) ||
	    (set(o->tagfocus) &&
	     !(tagfocus = compile_tag_filter("tagfocus", o->tagfocus, p, units, nunits, notes, err))) ||
	    (set(o->tagignore) &&
	     !(tagignore = compile_tag_filter("tagignore", o->tagignore, p, units, nunits, notes, err))) ||
	    (set(o->prune_from) && !(prunefrom = compile_option("prune_from", o->prune_from, err))))
		goto out;

	/* Always run: it also drops samples without locations, as pprof does. */
	filter_by_name(p, focus, ignore, hide, show, m);
	warn_no_match(notes, !focus || m[0], "Focus");
	warn_no_match(notes, !ignore || m[1], "Ignore");
	warn_no_match(notes, !hide || m[2], "Hide");
	warn_no_match(notes, !show || m[3], "Show");

	if (showfrom)
		warn_no_match(notes, show_from(p, showfrom), "ShowFrom");

	if (tagfocus || tagignore) {
		bool fm, im;
		filter_by_tag(p, tagfocus, tagignore, &fm, &im);
		warn_no_match(notes, !tagfocus || fm, "TagFocus");
		warn_no_match(notes, !tagignore || im, "TagIgnore");
	}

	/* pprof compiles these only now; an error still comes after the notes above. */
	if ((set(o->tagshow) && !(tagshow = compile_option("tagshow", o->tagshow, err))) ||
	    (set(o->taghide) && !(taghide = compile_option("taghide", o->taghide, err))))
		goto out;
	if (tagshow || taghide) {
		bool sm, hm;
		filter_tags_by_name(p, tagshow, taghide, &sm, &hm);
		warn_no_match(notes, !tagshow || sm, "TagShow");
		warn_no_match(notes, !taghide || hm, "TagHide");
	}

	if (prunefrom)
		xf_prune_from(p, prunefrom);
	rc = 0;
out:
	cprof_regex_free(focus);
	cprof_regex_free(ignore);
	cprof_regex_free(hide);
	cprof_regex_free(show);
	cprof_regex_free(showfrom);
	cprof_regex_free(prunefrom);
	cprof_regex_free(tagshow);
	cprof_regex_free(taghide);
	tag_filter_release(tagfocus);
	tag_filter_release(tagignore);
	free(units);
	return rc;
}
