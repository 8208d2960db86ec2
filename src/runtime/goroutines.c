/*
 * goroutines.c - group the goroutines of a goroutine profile or dump, as
 * panicparse does: goroutines with the same state, creator, labels and
 * stack are one group; groups are listed largest first.
 *
 * Works on the model, so a debug=2 dump or crash traceback (one sample per
 * goroutine, state and ids in labels), a debug=1 goroutine profile and a
 * profile.proto goroutine profile (one sample per distinct stack, value =
 * number of goroutines, no states) all give a summary.
 *
 * Grouping sorts a signature per sample (interned pointers, so equal
 * strings are equal words) and merges equal neighbours: O(n log n) in the
 * number of goroutines, no hashing of frames.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/goroutines.h"

struct gsample {
	size_t index; /* sample index */
	uint64_t *sig;
	size_t nsig;
};

/* The goroutine label keys of goroutines.h, interned in p (NULL when absent). */
struct keys {
	const char *state, *goid, *wait, *locked, *created_by, *created_at, *parent, *elided, *stack;
};

static const char *lookup(const struct cprof_profile *p, const char *s)
{
	/* the interning table is not const-safe to query; compare by content once */
	for (size_t i = 0; i < p->nsample; i++)
		for (uint32_t j = 0; j < p->sample[i].nlabel; j++)
			if (!strcmp(p->sample[i].label[j].key, s))
				return p->sample[i].label[j].key;
	return NULL;
}

static bool is_goroutine_key(const struct keys *k, const char *key)
{
	return key == k->state || key == k->goid || key == k->wait || key == k->locked ||
	       key == k->created_by || key == k->created_at || key == k->parent || key == k->elided ||
	       key == k->stack;
}

static const char *str_label(const struct cprof_sample *s, const char *key)
{
	if (!key)
		return NULL;
	for (uint32_t j = 0; j < s->nlabel; j++)
		if (s->label[j].key == key && s->label[j].str)
			return s->label[j].str;
	return NULL;
}

static bool num_label(const struct cprof_sample *s, const char *key, int64_t *v)
{
	if (!key)
		return false;
	for (uint32_t j = 0; j < s->nlabel; j++)
		if (s->label[j].key == key && !s->label[j].str) {
			*v = s->label[j].num;
			return true;
		}
	return false;
}

static bool frame_matches(const struct cprof_profile *p, const struct cprof_sample *s,
			  const struct cprof_regex *re)
{
	for (uint32_t i = 0; i < s->nloc; i++) {
		const struct cprof_location *l = &p->location[s->loc[i]];
		for (uint32_t j = 0; j < l->nline; j++)
			if (l->line[j].fn != CPROF_NONE && cprof_regex_match(re, p->function[l->line[j].fn].name))
				return true;
	}
	return false;
}

/* Other string labels of s, sorted by key then value, into a malloc'd array. */
static size_t other_labels(const struct keys *k, const struct cprof_sample *s, const struct cprof_label ***out)
{
	const struct cprof_label **l = cprof_xcalloc(s->nlabel + 1, sizeof(*l));
	size_t n = 0;
	for (uint32_t j = 0; j < s->nlabel; j++)
		if (s->label[j].str && !is_goroutine_key(k, s->label[j].key))
			l[n++] = &s->label[j];
	for (size_t i = 1; i < n; i++) /* insertion sort: a handful of labels */
		for (size_t j = i; j > 0; j--) {
			int c = strcmp(l[j - 1]->key, l[j]->key);
			if (c < 0 || (c == 0 && strcmp(l[j - 1]->str, l[j]->str) <= 0))
				break;
			const struct cprof_label *t = l[j];
			l[j] = l[j - 1];
			l[j - 1] = t;
		}
	*out = l;
	return n;
}

static void sig_push(struct gsample *g, size_t *alloc, uint64_t v)
{
	ALLOC_GROW(g->sig, g->nsig + 1, *alloc);
	g->sig[g->nsig++] = v;
}

#define PTR(x) ((uint64_t)(uintptr_t)(x))

static void make_sig(const struct cprof_profile *p, const struct keys *k, size_t index, struct gsample *g)
{
	const struct cprof_sample *s = &p->sample[index];
	size_t alloc = 0;
	const struct cprof_label **l;
	size_t nl = other_labels(k, s, &l);

	g->index = index;
	sig_push(g, &alloc, PTR(str_label(s, k->state)));
	sig_push(g, &alloc, PTR(str_label(s, k->locked)));
	sig_push(g, &alloc, PTR(str_label(s, k->created_by)));
	sig_push(g, &alloc, PTR(str_label(s, k->created_at)));
	sig_push(g, &alloc, PTR(str_label(s, k->elided)));
	sig_push(g, &alloc, nl);
	for (size_t i = 0; i < nl; i++) {
		sig_push(g, &alloc, PTR(l[i]->key));
		sig_push(g, &alloc, PTR(l[i]->str));
	}
	free(l);
	sig_push(g, &alloc, s->nloc);
	for (uint32_t i = 0; i < s->nloc; i++) {
		const struct cprof_location *loc = &p->location[s->loc[i]];
		sig_push(g, &alloc, loc->nline);
		if (loc->nline == 0)
			sig_push(g, &alloc, loc->address);
		for (uint32_t j = 0; j < loc->nline; j++) {
			const struct cprof_line *ln = &loc->line[j];
			const struct cprof_function *f = ln->fn != CPROF_NONE ? &p->function[ln->fn] : NULL;
			sig_push(g, &alloc, PTR(f ? f->name : NULL));
			sig_push(g, &alloc, PTR(f ? f->filename : NULL));
			sig_push(g, &alloc, (uint64_t)ln->line);
		}
	}
}

static int cmp_sig(const void *a, const void *b)
{
	const struct gsample *x = a, *y = b;
	size_t n = x->nsig < y->nsig ? x->nsig : y->nsig;
	for (size_t i = 0; i < n; i++)
		if (x->sig[i] != y->sig[i])
			return x->sig[i] < y->sig[i] ? -1 : 1;
	if (x->nsig != y->nsig)
		return x->nsig < y->nsig ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static bool same_sig(const struct gsample *x, const struct gsample *y)
{
	return x->nsig == y->nsig && memcmp(x->sig, y->sig, x->nsig * sizeof(*x->sig)) == 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_group(const void *a, const void *b)
{
	const struct cprof_goroutine_group *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

static int cmp_state(const void *a, const void *b)
{
	const struct cprof_goroutine_state_count *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->state, y->state);
}

static void fill_stack(const struct cprof_profile *p, const struct cprof_sample *s,
		       struct cprof_goroutine_group *g)
{
	size_t n = 0, alloc = 0;
	for (uint32_t i = 0; i < s->nloc; i++) {
		const struct cprof_location *loc = &p->location[s->loc[i]];
		uint32_t nl = loc->nline ? loc->nline : 1;
		for (uint32_t j = 0; j < nl; j++) {
			ALLOC_GROW(g->stack, n + 1, alloc);
			struct cprof_goroutine_frame *f = &g->stack[n++];
			memset(f, 0, sizeof(*f));
			f->function = f->file = "";
			f->address = loc->address;
			if (!loc->nline)
				continue;
			const struct cprof_line *ln = &loc->line[j];
			if (ln->fn != CPROF_NONE) {
				f->function = p->function[ln->fn].name;
				f->file = p->function[ln->fn].filename;
			}
			f->line = ln->line;
			f->inlined = j + 1 < nl;
		}
	}
	g->nstack = n;
}

int cprof_goroutines_summarize(const struct cprof_profile *p, const struct cprof_goroutine_opts *o,
			       struct cprof_goroutine_summary *out, struct cprof_error *err)
{
	memset(out, 0, sizeof(*out));
	if (p->nsample_type != 1 || strcmp(p->sample_type[0].unit, "count") != 0) {
		struct strbuf types = STRBUF_INIT;
		for (size_t i = 0; i < p->nsample_type; i++)
			strbuf_addf(&types, "%s%s/%s", i ? " " : "", p->sample_type[i].type, p->sample_type[i].unit);
		cprof_error_set(err, CPROF_E_INCOMPATIBLE, "not a goroutine profile (sample types: %s)",
				types.len ? types.buf : "none");
		strbuf_release(&types);
		return -1;
	}

	struct keys k = {
		lookup(p, CPROF_GLABEL_STATE),      lookup(p, CPROF_GLABEL_GOID),
		lookup(p, CPROF_GLABEL_WAIT),       lookup(p, CPROF_GLABEL_LOCKED),
		lookup(p, CPROF_GLABEL_CREATED_BY), lookup(p, CPROF_GLABEL_CREATED_AT),
		lookup(p, CPROF_GLABEL_PARENT),     lookup(p, CPROF_GLABEL_ELIDED),
		lookup(p, CPROF_GLABEL_STACK),
	};

	struct gsample *gs = cprof_xcalloc(p->nsample + 1, sizeof(*gs));
	size_t n = 0;
	for (size_t i = 0; i < p->nsample; i++) {
		const struct cprof_sample *s = &p->sample[i];
		if (s->value[0] == 0)
			continue;
		out->unfiltered += s->value[0];
		if (o && o->focus && !frame_matches(p, s, o->focus))
			continue;
		if (o && o->ignore && frame_matches(p, s, o->ignore))
			continue;
		make_sig(p, &k, i, &gs[n++]);
	}
	qsort(gs, n, sizeof(*gs), cmp_sig);

	size_t agroups = 0, astates = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && same_sig(&gs[i], &gs[j]))
			j++;
		ALLOC_GROW(out->groups, out->ngroups + 1, agroups);
		struct cprof_goroutine_group *g = &out->groups[out->ngroups++];
		memset(g, 0, sizeof(*g));
		const struct cprof_sample *s0 = &p->sample[gs[i].index];
		g->first = gs[i].index; /* the sort keeps sample order among equals */
		g->state = str_label(s0, k.state);
		g->locked = str_label(s0, k.locked) != NULL;
		g->elided = str_label(s0, k.elided) != NULL;
		g->created_by = str_label(s0, k.created_by);
		g->created_at = str_label(s0, k.created_at);
		const struct cprof_label **l;
		g->nlabels = other_labels(&k, s0, &l);
		struct cprof_label *copy = cprof_xcalloc(g->nlabels + 1, sizeof(*copy));
		for (size_t m = 0; m < g->nlabels; m++)
			copy[m] = *l[m];
		free(l);
		g->labels = copy;
		fill_stack(p, s0, g);

		size_t aids = 0;
		bool first_wait = true;
		for (size_t m = i; m < j; m++) {
			const struct cprof_sample *s = &p->sample[gs[m].index];
			int64_t v, w = 0;
			g->count += s->value[0];
			if (num_label(s, k.goid, &v)) {
				ALLOC_GROW(g->ids, g->nids + 1, aids);
				g->ids[g->nids++] = v;
			}
			(void)num_label(s, k.wait, &w);
			if (first_wait || w < g->wait_min)
				g->wait_min = w;
			if (first_wait || w > g->wait_max)
				g->wait_max = w;
			first_wait = false;
		}
		if (g->nids > 1)
			qsort(g->ids, g->nids, sizeof(*g->ids), cmp_i64);
		out->total += g->count;

		if (g->state) {
			size_t m = 0;
			while (m < out->nstates && out->states[m].state != g->state)
				m++;
			if (m == out->nstates) {
				ALLOC_GROW(out->states, out->nstates + 1, astates);
				out->states[out->nstates].state = g->state;
				out->states[out->nstates++].count = 0;
			}
			out->states[m].count += g->count;
		}
		i = j;
	}
	for (size_t i = 0; i < n; i++)
		free(gs[i].sig);
	free(gs);
	if (out->ngroups > 1)
		qsort(out->groups, out->ngroups, sizeof(*out->groups), cmp_group);
	if (out->nstates > 1)
		qsort(out->states, out->nstates, sizeof(*out->states), cmp_state);
	return 0;
}

void cprof_goroutine_summary_release(struct cprof_goroutine_summary *s)
{
	for (size_t i = 0; i < s->ngroups; i++) {
		free(s->groups[i].stack);
		free(s->groups[i].ids);
		free((void *)s->groups[i].labels);
	}
	free(s->groups);
	free(s->states);
	memset(s, 0, sizeof(*s));
}
