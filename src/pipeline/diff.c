/*
 * diff.c - the comparison behind `cprof diff` (the model and the rules are
 * in include/cprof/diff.h).
 *
 * Every run is reduced to one value per entry name; names are interned in
 * a hash table mapping them to entry indices, and each entry keeps one raw
 * value per run (base runs first). The call tree of the flame graph is a
 * second table keyed by (parent frame, entry index). Both are filled in
 * one walk over the samples of each run; scaling, means, classification
 * and sorting happen once at the end.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/diff.h"
#include "cprof/util.h"

/* ---- an open-addressing table of uint32 indices ----------------------------- */

struct table {
	uint32_t *slot; /* CPROF_NONE = empty */
	size_t cap;     /* a power of two */
	size_t n;
};

static uint64_t hash_u64(uint64_t x);

/* FNV-1a, finalized (FNV's low bits alone cluster in a power-of-two table). */
static uint64_t hash_bytes(const char *s, size_t len, uint64_t h)
{
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211u;
	}
	return hash_u64(h);
}

/* MurmurHash3's 64-bit finalizer: every input bit reaches the low bits the table uses. */
static uint64_t hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdu;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53u;
	x ^= x >> 33;
	return x;
}

/* The work area of one comparison. */
struct run_values {
	double *v; /* nrun values */
	uint32_t mark; /* the sample that last credited cum (1-based) */
};

struct node {
	uint32_t parent, entry;
	double base, new_;
};

struct ctx {
	struct cprof_diff *d;
	size_t nrun;
	/* entries */
	const char **names;
	struct run_values *vals;
	size_t nent, aent;
	struct table by_name;
	/* call tree */
	struct node *nodes;
	size_t nnode, anode;
	struct table by_edge;
	uint32_t sample_mark;
};

static void table_init(struct table *t)
{
	t->cap = 1024;
	t->n = 0;
	t->slot = cprof_xmalloc(t->cap * sizeof(*t->slot));
	memset(t->slot, 0xff, t->cap * sizeof(*t->slot));
}

static uint64_t name_hash(const struct ctx *c, uint32_t i)
{
	return hash_bytes(c->names[i], strlen(c->names[i]), 14695981039346656037u);
}

static uint64_t edge_hash(const struct ctx *c, uint32_t i)
{
	return hash_u64(((uint64_t)c->nodes[i].parent << 32) ^ c->nodes[i].entry);
}

/* Double t's capacity, re-inserting with rehash(ctx, index). */
static void table_grow(struct table *t, const struct ctx *c, uint64_t (*rehash)(const struct ctx *, uint32_t))
{
	size_t cap = t->cap * 2;
	uint32_t *slot = cprof_xmalloc(cprof_st_mult(cap, sizeof(*slot)));
	memset(slot, 0xff, cap * sizeof(*slot));
	for (size_t i = 0; i < t->cap; i++) {
		if (t->slot[i] == CPROF_NONE)
			continue;
		size_t j = rehash(c, t->slot[i]) & (cap - 1);
		while (slot[j] != CPROF_NONE)
			j = (j + 1) & (cap - 1);
		slot[j] = t->slot[i];
	}
	free(t->slot);
	t->slot = slot;
	t->cap = cap;
}

/* The entry of name (len bytes), created with zero values when new. */
static uint32_t intern(struct ctx *c, const char *name, size_t len)
{
	if ((c->by_name.n + 1) * 2 > c->by_name.cap)
		table_grow(&c->by_name, c, name_hash);
	uint64_t h = hash_bytes(name, len, 14695981039346656037u);
	size_t j = h & (c->by_name.cap - 1);
	for (; c->by_name.slot[j] != CPROF_NONE; j = (j + 1) & (c->by_name.cap - 1)) {
		const char *s = c->names[c->by_name.slot[j]];
		if (!strncmp(s, name, len) && s[len] == '\0')
			return c->by_name.slot[j];
	}
	size_t had = c->aent;
	ALLOC_GROW(c->names, c->nent + 1, c->aent);
	if (c->aent != had)
		c->vals = cprof_xrealloc(c->vals, cprof_st_mult(c->aent, sizeof(*c->vals)));
	uint32_t e = (uint32_t)c->nent++;
	c->names[e] = cprof_arena_strndup(&c->d->arena, name, len);
	c->vals[e].v = cprof_xcalloc(c->nrun, sizeof(double));
	c->vals[e].mark = 0;
	c->by_name.slot[j] = e;
	c->by_name.n++;
	return e;
}

/* The child of frame parent for entry e, created when new. */
static uint32_t child(struct ctx *c, uint32_t parent, uint32_t e)
{
	if ((c->by_edge.n + 1) * 2 > c->by_edge.cap)
		table_grow(&c->by_edge, c, edge_hash);
	uint64_t h = hash_u64(((uint64_t)parent << 32) ^ e);
	size_t j = h & (c->by_edge.cap - 1);
	for (; c->by_edge.slot[j] != CPROF_NONE; j = (j + 1) & (c->by_edge.cap - 1)) {
		const struct node *n = &c->nodes[c->by_edge.slot[j]];
		if (n->parent == parent && n->entry == e)
			return c->by_edge.slot[j];
	}
	ALLOC_GROW(c->nodes, c->nnode + 1, c->anode);
	uint32_t i = (uint32_t)c->nnode++;
	c->nodes[i] = (struct node){.parent = parent, .entry = e};
	c->by_edge.slot[j] = i;
	c->by_edge.n++;
	return i;
}

/* ---- one run ------------------------------------------------------------------ */

/* The name of one frame (location l, line k) at the chosen granularity. */
static void frame_name(const struct cprof_profile *p, const struct cprof_location *loc, uint32_t k,
		       enum cprof_granularity g, struct strbuf *out)
{
	strbuf_reset(out);
	const struct cprof_function *f = NULL;
	if (k < loc->nline && loc->line[k].fn != CPROF_NONE && loc->line[k].fn < p->nfunction)
		f = &p->function[loc->line[k].fn];
	if (!f || !f->name || !f->name[0]) {
		strbuf_addf(out, "0x%" PRIx64, loc->address);
		return;
	}
	switch (g) {
	case CPROF_GRAN_FILES:
		strbuf_addstr(out, f->filename && f->filename[0] ? f->filename : f->name);
		break;
	case CPROF_GRAN_LINES:
		strbuf_addf(out, "%s %s:%" PRId64, f->name, f->filename ? f->filename : "",
			    loc->line[k].line);
		break;
	default:
		strbuf_addstr(out, f->name);
		break;
	}
}

/*
 * Add run r of profile p (value column si, scaled by scale for the tree)
 * to the tables. base says which side the tree value goes to; weight is
 * 1/runs of that side, so the tree holds means.
 */
static void add_run(struct ctx *c, const struct cprof_profile *p, int si, size_t r, bool base,
		    double scale)
{
	struct strbuf name = STRBUF_INIT;
	uint32_t *stack = NULL;
	size_t nstack = 0, astack = 0;
	double w = scale / (double)(base ? c->d->nbase : c->d->nnew);
	bool cum = c->d->opts.metric == CPROF_DIFF_CUM;

	/*
	 * The entries of every location once, outermost line first: samples
	 * share locations, so names are built and hashed per location, not
	 * per frame.
	 */
	uint32_t *first = cprof_xmalloc(cprof_st_mult(p->nlocation + 1, sizeof(*first)));
	uint32_t *ents = NULL;
	size_t nents = 0, aents = 0;
	for (size_t l = 0; l < p->nlocation; l++) {
		const struct cprof_location *loc = &p->location[l];
		uint32_t nl = loc->nline ? loc->nline : 1;
		first[l] = (uint32_t)nents;
		for (uint32_t k = nl; k-- > 0;) {
			frame_name(p, loc, k, c->d->opts.granularity, &name);
			ALLOC_GROW(ents, nents + 1, aents);
			ents[nents++] = intern(c, name.buf, name.len);
		}
	}
	first[p->nlocation] = (uint32_t)nents;

	for (size_t i = 0; i < p->nsample; i++) {
		const struct cprof_sample *s = &p->sample[i];
		int64_t v = s->value[si];
		if (v == 0)
			continue;
		/* the frames, root first: locations from the last, lines outermost first */
		nstack = 0;
		for (uint32_t li = s->nloc; li-- > 0;) {
			uint32_t l = s->loc[li];
			if (l >= p->nlocation)
				continue;
			size_t n = first[l + 1] - first[l];
			ALLOC_GROW(stack, nstack + n, astack);
			memcpy(stack + nstack, ents + first[l], n * sizeof(*stack));
			nstack += n;
		}
		if (nstack == 0)
			continue;
		c->sample_mark++;
		if (cum) {
			for (size_t k = 0; k < nstack; k++) {
				struct run_values *rv = &c->vals[stack[k]];
				if (rv->mark != c->sample_mark) {
					rv->mark = c->sample_mark;
					rv->v[r] += (double)v;
				}
			}
		} else {
			c->vals[stack[nstack - 1]].v[r] += (double)v;
		}
		uint32_t at = 0; /* the root */
		if (base)
			c->nodes[0].base += (double)v * w;
		else
			c->nodes[0].new_ += (double)v * w;
		for (size_t k = 0; k < nstack; k++) {
			at = child(c, at, stack[k]);
			if (base)
				c->nodes[at].base += (double)v * w;
			else
				c->nodes[at].new_ += (double)v * w;
		}
	}
	free(stack);
	free(first);
	free(ents);
	strbuf_release(&name);
}

/* ---- classification ------------------------------------------------------------- */

static int entry_cmp(const void *a, const void *b)
{
	const struct cprof_diff_entry *x = a, *y = b;
	double dx = fabs(x->delta), dy = fabs(y->delta);
	if (dx != dy)
		return dx > dy ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void classify(struct cprof_diff_entry *e, const struct cprof_diff *d)
{
	const struct cprof_diff_opts *o = &d->opts;
	double total = fabs(d->base_total != 0 ? d->base_total : d->new_total);
	double floor = o->min_share / 100 * total;
	bool several = d->nbase > 1 || d->nnew > 1;
	bool base_zero = e->base_min == 0 && e->base_max == 0;
	bool new_zero = e->new_min == 0 && e->new_max == 0;

	e->kind = CPROF_DIFF_SAME;
	if (base_zero) {
		if (!new_zero && fabs(e->new_) > floor && (!several || e->new_min > 0 || e->new_max < 0))
			e->kind = CPROF_DIFF_NEW;
		return;
	}
	if (new_zero) {
		if (fabs(e->base) > floor && (!several || e->base_min > 0 || e->base_max < 0))
			e->kind = CPROF_DIFF_GONE;
		return;
	}
	double rel = o->threshold / 100 * fabs(e->base);
	if (e->delta > 0 && e->delta > rel && e->delta > floor && (!several || e->new_min > e->base_max))
		e->kind = CPROF_DIFF_REGRESSION;
	else if (e->delta < 0 && -e->delta > rel && -e->delta > floor &&
		 (!several || e->new_max < e->base_min))
		e->kind = CPROF_DIFF_IMPROVEMENT;
}

struct kid {
	const char *name;
	uint32_t node;
};

static int kid_cmp(const void *a, const void *b)
{
	const struct kid *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->node > y->node) - (x->node < y->node);
}

/* Children after their parent, siblings by name: a depth-first order. */
static void order_frames(struct ctx *c, struct cprof_diff *d)
{
	size_t n = c->nnode;
	uint32_t *first = cprof_xmalloc(cprof_st_mult(n + 1, sizeof(*first)));
	struct kid *kids = cprof_xmalloc(cprof_st_mult(n ? n : 1, sizeof(*kids)));
	uint32_t *fill = cprof_xcalloc(n + 1, sizeof(*fill));
	uint32_t *stack = cprof_xmalloc(cprof_st_mult(n ? n : 1, sizeof(*stack)));
	uint32_t *newidx = cprof_xmalloc(cprof_st_mult(n ? n : 1, sizeof(*newidx)));

	/* counting sort of the children by parent, then each family by name */
	for (size_t i = 1; i < n; i++)
		fill[c->nodes[i].parent + 1]++;
	first[0] = 0;
	for (size_t i = 0; i < n; i++)
		first[i + 1] = first[i] + fill[i + 1];
	memset(fill, 0, (n + 1) * sizeof(*fill));
	for (size_t i = 1; i < n; i++) {
		uint32_t p = c->nodes[i].parent;
		kids[first[p] + fill[p]++] = (struct kid){c->names[c->nodes[i].entry], (uint32_t)i};
	}
	for (size_t p = 0; p < n; p++)
		if (first[p + 1] - first[p] > 1)
			qsort(kids + first[p], first[p + 1] - first[p], sizeof(*kids), kid_cmp);
	d->frame = cprof_xcalloc(n ? n : 1, sizeof(*d->frame));
	size_t top = 0, out = 0;
	stack[top++] = 0;
	while (top) {
		uint32_t i = stack[--top];
		const struct node *nd = &c->nodes[i];
		struct cprof_diff_frame *f = &d->frame[out];
		newidx[i] = (uint32_t)out++;
		f->name = i == 0 ? "all" : c->names[nd->entry];
		f->parent = i == 0 ? CPROF_NONE : newidx[nd->parent];
		f->depth = i == 0 ? 0 : d->frame[f->parent].depth + 1;
		f->base = nd->base;
		f->new_ = nd->new_;
		/* push in reverse so the first child by name comes out first */
		for (uint32_t k = first[i + 1]; k-- > first[i];)
			stack[top++] = kids[k].node;
	}
	d->nframe = out;
	free(first);
	free(kids);
	free(fill);
	free(stack);
	free(newidx);
}

/* ---- the entry point ------------------------------------------------------------ */

static int fail(struct cprof_diff *d, const struct cprof_profile *p)
{
	d->error_source = p->source && p->source[0] ? p->source : NULL;
	return -1;
}

int cprof_diff_compute(struct cprof_diff *d, struct cprof_profile **base, size_t nbase,
		       struct cprof_profile **new_, size_t nnew, const struct cprof_diff_opts *o,
		       struct strbuf *notes, struct cprof_error *err)
{
	size_t nrun = nbase + nnew;
	int *si = cprof_xcalloc(nrun, sizeof(*si));
	double *total = cprof_xcalloc(nrun, sizeof(*total));
	struct ctx c = {.d = d, .nrun = nrun};
	int rc = -1;

	memset(d, 0, sizeof(*d));
	cprof_arena_init(&d->arena);
	d->opts = *o;
	d->nbase = nbase;
	d->nnew = nnew;
	table_init(&c.by_name);
	table_init(&c.by_edge);
	ALLOC_GROW(c.nodes, 1, c.anode);
	c.nodes[0] = (struct node){.parent = CPROF_NONE, .entry = CPROF_NONE};
	c.nnode = 1;

	/* pass 1: sample type, totals, filters */
	for (size_t r = 0; r < nrun; r++) {
		struct cprof_profile *p = r < nbase ? base[r] : new_[r - nbase];
		(void)cprof_profile_remove_uninteresting(p, err);
		memset(err, 0, sizeof(*err));
		if (p->nsample_type == 0) {
			cprof_error_set(err, CPROF_E_CORRUPT, "profile has no sample types");
			rc = fail(d, p);
			goto done;
		}
		if (cprof_sample_index(p, o->sample_index, &si[r], err)) {
			rc = fail(d, p);
			goto done;
		}
		const struct cprof_value_type *t = &p->sample_type[si[r]];
		if (r == 0) {
			d->sample_type = cprof_arena_strndup(&d->arena, t->type, strlen(t->type));
			d->unit = cprof_arena_strndup(&d->arena, t->unit, strlen(t->unit));
		} else if (strcmp(t->type, d->sample_type) || strcmp(t->unit, d->unit)) {
			cprof_error_set(err, CPROF_E_INCOMPATIBLE,
					"incompatible sample types: %s/%s here, %s/%s in '%s'", t->type,
					t->unit, d->sample_type, d->unit, base[0]->source ? base[0]->source : "");
			rc = fail(d, p);
			goto done;
		}
		for (size_t i = 0; i < p->nsample; i++)
			total[r] += (double)p->sample[i].value[si[r]];
		struct cprof_filter_opts fo = {.focus = o->focus, .ignore = o->ignore, .hide = o->hide};
		if (cprof_profile_filter(p, &fo, notes, err)) {
			rc = fail(d, p);
			goto done;
		}
	}
	for (size_t r = 0; r < nrun; r++)
		if (r < nbase)
			d->base_total += total[r] / (double)nbase;
		else
			d->new_total += total[r] / (double)nnew;

	/* pass 2: values per entry and run, the tree */
	double *scale = cprof_xcalloc(nrun, sizeof(*scale));
	for (size_t r = 0; r < nrun; r++) {
		struct cprof_profile *p = r < nbase ? base[r] : new_[r - nbase];
		scale[r] = o->normalize && total[r] != 0 ? d->base_total / total[r] : 1;
		add_run(&c, p, si[r], r, r < nbase, scale[r]);
	}
	if (o->normalize)
		d->new_total = d->base_total;

	/* means, ranges, classification */
	d->entry = cprof_xcalloc(c.nent ? c.nent : 1, sizeof(*d->entry));
	for (size_t i = 0; i < c.nent; i++) {
		struct cprof_diff_entry *e = &d->entry[d->nentry];
		const double *v = c.vals[i].v;
		bool any = false;
		e->name = c.names[i];
		for (size_t r = 0; r < nrun; r++) {
			double x = v[r] * scale[r];
			any |= v[r] != 0;
			if (r < nbase) {
				e->base += x / (double)nbase;
				e->base_min = r == 0 || x < e->base_min ? x : e->base_min;
				e->base_max = r == 0 || x > e->base_max ? x : e->base_max;
			} else {
				e->new_ += x / (double)nnew;
				e->new_min = r == nbase || x < e->new_min ? x : e->new_min;
				e->new_max = r == nbase || x > e->new_max ? x : e->new_max;
			}
		}
		if (!any)
			continue; /* e.g. an inner frame under -metric=flat */
		e->delta = e->new_ - e->base;
		e->delta_pct = e->base != 0 ? 100 * e->delta / fabs(e->base) : 0;
		classify(e, d);
		d->count[e->kind]++;
		d->nentry++;
	}
	qsort(d->entry, d->nentry, sizeof(*d->entry), entry_cmp);
	order_frames(&c, d);
	free(scale);
	rc = 0;
done:
	for (size_t i = 0; i < c.nent; i++)
		free(c.vals[i].v);
	free(c.vals);
	free(c.names);
	free(c.nodes);
	free(c.by_name.slot);
	free(c.by_edge.slot);
	free(si);
	free(total);
	if (rc) {
		const char *src = d->error_source;
		cprof_diff_release(d);
		d->error_source = src;
	}
	return rc;
}

void cprof_diff_release(struct cprof_diff *d)
{
	free(d->entry);
	free(d->frame);
	cprof_arena_release(&d->arena);
	memset(d, 0, sizeof(*d));
}

bool cprof_diff_failed(const struct cprof_diff *d)
{
	return d->opts.threshold > 0 && (d->count[CPROF_DIFF_REGRESSION] || d->count[CPROF_DIFF_NEW]);
}

const char *cprof_diff_kind_name(enum cprof_diff_kind k)
{
	static const char *const names[] = {"same", "regressions", "improvements", "new", "gone"};
	return (unsigned)k < CPROF_ARRAY_SIZE(names) ? names[k] : "?";
}
