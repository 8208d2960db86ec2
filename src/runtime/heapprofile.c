/*
 * heapprofile.c - a heap dump as a profile: one sample per node of the
 * retention tree that holds objects itself, its stack the node's path
 * from the root (pprof stores stacks leaf first):
 *
 *   [globals] ─ main.list ─ [64 B]                 1000 objects, 64000 bytes
 *   [stacks] ─ main.holder ─ [1 MiB]                  1 object, 1048576 bytes
 *   [unreachable] ─ [8 KiB]                         100 objects, 819200 bytes
 *
 * Sample types retained_objects (count) and retained_space (bytes, the
 * default); a sample's values are its objects' own, so a frame's flat
 * value is what objects of that name hold themselves and its cumulative
 * value what it retains: `cprof -top -cum heap.dump` lists retainers, and
 * -tree, -peek, -flame, -svg and the filters apply as to any profile.
 * Every distinct name is one function and one location (no address, no
 * file), so equal names aggregate across paths.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/heapdump.h"

struct cprof_profile *cprof_heapgraph_profile(const struct cprof_heapgraph *g)
{
	struct cprof_profile *p = cprof_profile_new();
	const struct cprof_value_type vt[2] = {{"retained_objects", "count"}, {"retained_space", "bytes"}};
	cprof_profile_set_sample_types(p, vt, 2);
	p->default_sample_type = cprof_profile_str(p, "retained_space");
	p->period_type.type = cprof_profile_str(p, "space");
	p->period_type.unit = cprof_profile_str(p, "bytes");
	p->period = 1;
	struct cprof_mapping *m = cprof_profile_add_mapping(p);
	m->id = 1;
	m->has_functions = true;
	cprof_profile_add_comment(p, "Go heap dump: stacks are dominator paths (root first), values the objects "
				     "that the path's last node holds itself");

	/* a location per name, made on first use */
	uint32_t *loc = cprof_xmalloc(cprof_st_mult(g->ntree_name ? g->ntree_name : 1, sizeof(uint32_t)));
	memset(loc, 0xff, g->ntree_name * sizeof(uint32_t));
	uint32_t *stack = cprof_xmalloc(sizeof(uint32_t) * (CPROF_HEAPTREE_MAX_DEPTH + 2));
	for (uint32_t t = 1; t < g->ntree; t++) {
		const struct cprof_heaptree_node *x = &g->tree[t];
		if (!x->self_count)
			continue;
		uint32_t n = 0;
		for (uint32_t u = t; u != 0 && n < CPROF_HEAPTREE_MAX_DEPTH + 2; u = g->tree[u].parent) {
			uint32_t name = g->tree[u].name;
			if (loc[name] == CPROF_NONE) {
				struct cprof_function *f = cprof_profile_add_function(p);
				f->id = p->nfunction;
				f->name = f->system_name = cprof_profile_str(p, g->tree_name[name]);
				struct cprof_location *l = cprof_profile_add_location(p);
				l->id = p->nlocation;
				l->mapping = 0;
				l->line = cprof_arena_calloc(&p->arena, 1, sizeof(*l->line));
				l->line[0].fn = (uint32_t)(p->nfunction - 1);
				l->nline = 1;
				loc[name] = (uint32_t)(p->nlocation - 1);
			}
			stack[n++] = loc[name];
		}
		struct cprof_sample *s = cprof_profile_add_sample(p);
		s->loc = cprof_arena_memdup(&p->arena, stack, n, sizeof(*stack));
		s->nloc = n;
		s->value = cprof_arena_calloc(&p->arena, 2, sizeof(int64_t));
		s->value[0] = x->self_count > INT64_MAX ? INT64_MAX : (int64_t)x->self_count;
		s->value[1] = x->self_bytes > INT64_MAX ? INT64_MAX : (int64_t)x->self_bytes;
	}
	free(stack);
	free(loc);
	p->own_sample_arrays = true;
	return p;
}

enum cprof_probe cprof_heapdump_probe(const unsigned char *head, size_t len, struct cprof_error *err)
{
	(void)err;
	/* a head too short for the header decides nothing: the whole input is as short */
	return cprof_heapdump_sniff(head, len) || len < 16 ? CPROF_PROBE_MAYBE : CPROF_PROBE_NOT;
}

static const char *report_binary; /* cprof_heapdump_set_binary() */

void cprof_heapdump_set_binary(const char *path)
{
	report_binary = path && *path ? path : NULL;
}

int cprof_heapdump_profile_parse(const unsigned char *data, size_t len, struct cprof_profile **out,
				 struct cprof_error *err)
{
	struct cprof_heapdump *d = NULL;
	struct cprof_heapgraph *g = NULL;
	struct cprof_heapsyms *syms = NULL;
	int rc = -1;

	*out = NULL;
	if (!cprof_heapdump_sniff(data, len))
		return cprof_error_set(err, CPROF_E_FORMAT, "parsing profile: unrecognized profile format");
	if (cprof_heapdump_parse(data, len, NULL, &d, err) < 0)
		return -1;
	/* the binary that wrote the dump names its globals, as `cprof heapdump DUMP BINARY` does */
	if (report_binary && (cprof_heapsyms_load(report_binary, &syms, err) < 0 ||
			      cprof_heapsyms_check(syms, d, err) < 0)) {
		cprof_error_prefix(err, "%s", report_binary);
		goto done;
	}
	struct cprof_heapgraph_opts go = {.syms = syms, .site_names = -1};
	if (cprof_heapgraph_build(d, &go, &g, err) < 0)
		goto done;
	*out = cprof_heapgraph_profile(g);
	rc = 0;
done:
	cprof_heapgraph_free(g);
	cprof_heapsyms_free(syms);
	cprof_heapdump_free(d);
	return rc;
}
