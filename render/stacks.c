/*
 * stacks.c - the stack tree behind -folded and -flame (see stacks.h).
 *
 * Frames of a location come from pprof's graph nodes (one per line of the
 * location, innermost first), so names, granularity and file path
 * trimming are exactly those of the other reports. The tree is keyed by
 * (parent, interned frame) in one open-addressing table, which makes
 * building it one probe per frame of every sample.
 */
#include <stdlib.h>
#include <string.h>

#include "render/report_graph.h"
#include "render/stacks.h"

/* splitmix64's finaliser over (parent, frame). */
static size_t slot_hash(uint32_t parent, const char *frame, size_t mask)
{
	uint64_t h = (uint64_t)(uintptr_t)frame ^ ((uint64_t)parent << 40 | (uint64_t)parent >> 24);
	h ^= h >> 30;
	h *= 0xBF58476D1CE4E5B9ull;
	h ^= h >> 27;
	h *= 0x94D049BB133111EBull;
	h ^= h >> 31;
	return (size_t)h & mask;
}

static void grow_slots(struct stack_tree *t)
{
	size_t size = t->size ? t->size * 2 : 1024;
	struct stack_slot *slot = cprof_xcalloc(size, sizeof(*slot));
	for (size_t i = 0; i < t->size; i++) {
		const struct stack_slot *o = &t->slot[i];
		if (!o->child)
			continue;
		size_t h = slot_hash(o->parent, o->frame, size - 1);
		while (slot[h].child)
			h = (h + 1) & (size - 1);
		slot[h] = *o;
	}
	free(t->slot);
	t->slot = slot;
	t->size = size;
}

/*
 * The child of parent for frame (interned), created when absent. The
 * slots carry their key, so a lookup touches the table only: with
 * millions of nodes, every extra memory access is a cache miss.
 */
static uint32_t child(struct stack_tree *t, uint32_t parent, const char *frame, const char *func)
{
	if ((t->n + 1) * 2 > t->size)
		grow_slots(t);
	size_t mask = t->size - 1;
	size_t h = slot_hash(parent, frame, mask);
	for (; t->slot[h].child; h = (h + 1) & mask)
		if (t->slot[h].parent == parent && t->slot[h].frame == frame)
			return t->slot[h].child;
	if (t->n >= UINT32_MAX)
		cprof_die_oom();
	uint32_t i = (uint32_t)t->n;
	ALLOC_GROW(t->node, t->n + 1, t->alloc);
	t->node[t->n++] = (struct stack_node){frame, func, parent, 0, t->node[parent].first_child, 0, 0};
	t->node[parent].first_child = i;
	t->slot[h] = (struct stack_slot){frame, parent, i};
	return i;
}

/* A node's printable name made safe for one folded field, interned. */
static const char *frame_name(struct stack_tree *t, const char *printable, struct strbuf *sb)
{
	strbuf_reset(sb);
	strbuf_addstr(sb, printable);
	for (size_t i = 0; i < sb->len; i++) {
		if (sb->buf[i] == ';')
			sb->buf[i] = ':';
		else if (sb->buf[i] == '\n' || sb->buf[i] == '\r')
			sb->buf[i] = ' ';
	}
	return cprof_strtab_intern(&t->strs, sb->buf, sb->len);
}

void stack_tree_build(struct cprof_report *rpt, struct stack_tree *t)
{
	memset(t, 0, sizeof(*t));
	cprof_arena_init(&t->arena);
	cprof_strtab_init(&t->strs, &t->arena);
	ALLOC_GROW(t->node, 1, t->alloc);
	t->node[t->n++] = (struct stack_node){"", "", 0, 0, 0, 0, 0};

	const struct cprof_profile *p = rpt->prof;
	uint32_t *loc_first;
	struct cprof_node **loc_nodes;
	struct cprof_graph *g = report_location_nodes(rpt, &loc_first, &loc_nodes);

	/* the frames of every location, outermost (caller) first */
	size_t nk = loc_first[p->nlocation];
	const char **frames = cprof_xmalloc(cprof_st_mult(nk ? nk : 1, sizeof(*frames)));
	const char **funcs = cprof_xmalloc(cprof_st_mult(nk ? nk : 1, sizeof(*funcs)));
	struct strbuf sb = STRBUF_INIT;
	for (size_t l = 0; l < p->nlocation; l++) {
		uint32_t a = loc_first[l], b = loc_first[l + 1];
		for (uint32_t k = a; k < b; k++) {
			const struct cprof_node *n = loc_nodes[b - 1 - (k - a)];
			frames[k] = n ? frame_name(t, n->printable, &sb) : NULL;
			funcs[k] = n ? cprof_strtab_intern(&t->strs, n->info.name, strlen(n->info.name)) : NULL;
		}
	}
	strbuf_release(&sb);

	int si = rpt->opt.sample_index;
	bool mean = rpt->opt.mean && p->nsample_type > 0;
	for (size_t i = 0; i < p->nsample; i++) {
		const struct cprof_sample *s = &p->sample[i];
		int64_t v = (si >= 0 && (size_t)si < p->nsample_type) ? s->value[si] : 0;
		int64_t d = mean ? s->value[0] : 0;
		if (v == 0 && d == 0)
			continue;
		uint32_t at = 0, depth = 0;
		for (uint32_t j = s->nloc; j-- > 0;) {
			uint32_t l = s->loc[j];
			if (l >= p->nlocation)
				continue;
			for (uint32_t k = loc_first[l]; k < loc_first[l + 1]; k++) {
				if (!frames[k])
					continue;
				at = child(t, at, frames[k], funcs[k]);
				depth++;
			}
		}
		if (at == 0)
			continue; /* no frame at all: nothing to draw or print */
		struct stack_node *n = &t->node[at];
		n->self = cprof_add_wrap(n->self, v);
		n->self_div = cprof_add_wrap(n->self_div, d);
		if (depth > t->max_depth)
			t->max_depth = depth;
	}
	free(frames);
	free(funcs);
	free(loc_first);
	free(loc_nodes);
	cprof_graph_free(g);
	free(t->slot); /* lookups are over */
	t->slot = NULL;
	t->size = 0;
}

void stack_tree_release(struct stack_tree *t)
{
	free(t->node);
	free(t->slot);
	cprof_strtab_release(&t->strs);
	cprof_arena_release(&t->arena);
	memset(t, 0, sizeof(*t));
}

int64_t stack_node_value(const struct cprof_report *rpt, const struct stack_node *n)
{
	int64_t v = n->self;
	if (n->self_div)
		v = cprof_div_wrap(v, n->self_div); /* INT64_MIN / -1 wraps, as in Go */
	double r = rpt->opt.ratio;
	if (r > 0 && r != 1)
		v = cprof_f2i((double)v * r);
	return v;
}

static int by_frame(const void *a, const void *b, void *ctx)
{
	const struct stack_tree *t = ctx;
	return strcmp(t->node[*(const uint32_t *)a].frame, t->node[*(const uint32_t *)b].frame);
}

uint32_t *stack_children_sorted(const struct stack_tree *t, uint32_t i, size_t *n)
{
	size_t count = 0;
	for (uint32_t c = t->node[i].first_child; c; c = t->node[c].next_sibling)
		count++;
	uint32_t *v = cprof_xmalloc(cprof_st_mult(count ? count : 1, sizeof(*v)));
	count = 0;
	for (uint32_t c = t->node[i].first_child; c; c = t->node[c].next_sibling)
		v[count++] = c;
	qsort_r(v, count, sizeof(*v), by_frame, (void *)t);
	*n = count;
	return v;
}
