/*
 * tagroot.c - label values as pseudo stack frames (pprof's -tagroot and
 * -tagleaf, internal/driver/tagroot.go).
 *
 * For "-tagroot=a,b -tagleaf=c" a sample with labels a:[x] c:[1024 bytes]
 * and stack leaf..root becomes
 *
 *     "1kB"(file c)  leaf ... root  "x"(file a)  ""(file b)
 *
 * The first root key ends up outermost, the last leaf key innermost. A
 * frame's function name is the sample's values for the key joined with ','
 * (string values first, then numeric ones scaled to the output unit); its
 * file name is the key. A key the sample lacks still yields a frame, with
 * an empty name. Equal (name, key) pairs share one new function and
 * location, numbered after the profile's largest ids.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/strbuf.h"
#include "cprof/transform.h"
#include "cprof/units.h"
#include "src/pipeline/transform_internal.h"

struct keys {
	const char **k; /* interned */
	size_t n;
};

static void split_keys(struct cprof_profile *p, const char *s, struct keys *out)
{
	out->k = NULL;
	out->n = 0;
	if (!s)
		return;
	for (;;) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		if (len) {
			out->k = cprof_xrealloc(out->k, (out->n + 1) * sizeof(*out->k));
			out->k[out->n++] = cprof_profile_strn(p, s, len);
		}
		if (!comma)
			break;
		s = comma + 1;
	}
}

struct tagger {
	struct cprof_profile *p;
	const char *out_unit;
	uint64_t next_loc_id, next_fn_id;
	struct xf_pairmap locs; /* (name, key) → location index */
	struct strbuf sb;
};

/* pprof's formatLabelValues joined with ','; returns whether there was any value. */
static bool label_values(struct tagger *t, const struct cprof_sample *s, const char *key)
{
	bool any = false, has_units = false;
	strbuf_reset(&t->sb);
	for (uint32_t i = 0; i < s->nlabel; i++) {
		const struct cprof_label *l = &s->label[i];
		if (l->key != key)
			continue;
		if (l->str) {
			if (any)
				strbuf_addch(&t->sb, ',');
			strbuf_addstr(&t->sb, l->str);
			any = true;
		} else if (l->num_unit && l->num_unit[0]) {
			has_units = true;
		}
	}
	for (uint32_t i = 0; i < s->nlabel; i++) {
		const struct cprof_label *l = &s->label[i];
		if (l->key != key || l->str)
			continue;
		if (any)
			strbuf_addch(&t->sb, ',');
		if (has_units)
			cprof_scaled_label(l->num, l->num_unit ? l->num_unit : "", t->out_unit, &t->sb);
		else
			cprof_scaled_label(l->num, "", "", &t->sb);
		any = true;
	}
	return any;
}

static uint32_t intern_loc(struct tagger *t, const char *name, const char *key)
{
	struct cprof_profile *p = t->p;
	int added;
	uint32_t *v = xf_pairmap_put(&t->locs, (uint64_t)(uintptr_t)name, (uint64_t)(uintptr_t)key, 0, &added);
	if (!added)
		return *v;

	struct cprof_function *f = cprof_profile_add_function(p);
	f->id = t->next_fn_id++;
	f->name = name;
	f->filename = key;
	uint32_t fi = (uint32_t)(p->nfunction - 1);

	struct cprof_location *l = cprof_profile_add_location(p);
	l->id = t->next_loc_id++;
	l->line = cprof_arena_calloc(&p->arena, 1, sizeof(*l->line));
	l->line[0].fn = fi;
	l->nline = 1;
	*v = (uint32_t)(p->nlocation - 1);
	return *v;
}

/* Frames for keys, last key first (so the list reads leaf-first). */
static bool add_frames(struct tagger *t, const struct cprof_sample *s, const struct keys *k, uint32_t *out)
{
	bool match = false;
	for (size_t i = 0; i < k->n; i++) {
		const char *key = k->k[k->n - 1 - i];
		match |= label_values(t, s, key);
		const char *name = cprof_profile_strn(t->p, t->sb.buf, t->sb.len);
		out[i] = intern_loc(t, name, key);
	}
	return match;
}

static int add_tag_frames(struct cprof_profile *p, const char *tagroot, const char *tagleaf,
			  const char *out_unit, struct strbuf *notes)
{
	struct keys root, leaf;
	split_keys(p, tagroot, &root);
	split_keys(p, tagleaf, &leaf);

	struct tagger t = {p, out_unit ? out_unit : "minimum", 1, 1, {0}, STRBUF_INIT};
	for (size_t i = 0; i < p->nlocation; i++)
		if (p->location[i].id >= t.next_loc_id)
			t.next_loc_id = p->location[i].id + 1;
	for (size_t i = 0; i < p->nfunction; i++)
		if (p->function[i].id >= t.next_fn_id)
			t.next_fn_id = p->function[i].id + 1;

	bool rootm = false, leafm = false;
	if (root.n || leaf.n) {
		for (size_t i = 0; i < p->nsample; i++) {
			struct cprof_sample *s = &p->sample[i];
			size_t n = leaf.n + s->nloc + root.n;
			uint32_t *locs = cprof_arena_alloc(&p->arena, cprof_st_mult(n ? n : 1, sizeof(*locs)));
			rootm |= add_frames(&t, s, &root, locs + leaf.n + s->nloc);
			leafm |= add_frames(&t, s, &leaf, locs);
			if (s->nloc)
				memcpy(locs + leaf.n, s->loc, s->nloc * sizeof(*locs));
			s->loc = locs;
			s->nloc = (uint32_t)n;
		}
	}
	if (notes && tagroot && *tagroot && !rootm)
		strbuf_addstr(notes, "TagRoot expression matched no samples\n");
	if (notes && tagleaf && *tagleaf && !leafm)
		strbuf_addstr(notes, "TagLeaf expression matched no samples\n");

	xf_pairmap_release(&t.locs);
	strbuf_release(&t.sb);
	free(root.k);
	free(leaf.k);
	return 0;
}

int cprof_profile_add_tag_frames(struct cprof_profile *p, const char *tagroot, const char *tagleaf,
				 const char *out_unit, struct strbuf *notes, struct cprof_error *err)
{
	(void)err;
	return add_tag_frames(p, tagroot, tagleaf, out_unit, notes);
}
