/*
 * graph_internal.h - what the files of the graph (include/cprof/graph.h)
 * share, not part of the public API. Functions named gr_* are internal to
 * them; the hashes and comparisons of node infos stay static inline, as
 * they run once per (location, line) while a graph is built.
 *
 *   graph_build.c  samples into nodes and edges (graph and call-tree
 *                  mode, tags, the per-part walk on two threads);
 *                  cprof_graph_new and cprof_graph_location_nodes
 *   graph_trim.c   node sets and what the reports keep: low-frequency
 *                  nodes, tags and edges, the top nodes, TrimTree,
 *                  redundant edges
 *   graph.c        the rest of the public API: accessors, node names and
 *                  paths, ordering (Nodes.Sort, entropy, edges), sums
 *
 * A node is a struct gnode and an edge a struct gedge, whose first
 * member is the public struct, so graph code casts between them; the
 * extra fields are build and walk state.
 */
#ifndef CPROF_GRAPH_INTERNAL_H
#define CPROF_GRAPH_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cprof/graph.h"

/* ---- hashing node infos ---------------------------------------------------------- */

static inline uint64_t str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static inline uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 29);
}

/* String hashes of an info's string fields, precomputed where possible. */
struct info_strhash {
	uint64_t name, orig, file, obj;
};

static inline uint64_t info_hash(const struct cprof_node_info *i, const struct info_strhash *sh)
{
	uint64_t h = mix(sh->name, sh->orig);
	h = mix(h, i->address);
	h = mix(h, sh->file);
	h = mix(h, (uint64_t)i->start_line);
	h = mix(h, (uint64_t)i->lineno);
	return mix(h, sh->obj);
}

static inline uint64_t info_hash_slow(const struct cprof_node_info *i)
{
	struct info_strhash sh = {str_hash(i->name), str_hash(i->orig_name), str_hash(i->file),
				  str_hash(i->objfile)};
	return info_hash(i, &sh);
}

static inline bool str_eq(const char *a, const char *b)
{
	return a == b || !strcmp(a, b);
}

static inline bool info_eq(const struct cprof_node_info *a, const struct cprof_node_info *b)
{
	return a->address == b->address && a->lineno == b->lineno && a->start_line == b->start_line &&
	       str_eq(a->name, b->name) && str_eq(a->file, b->file) &&
	       str_eq(a->orig_name, b->orig_name) && str_eq(a->objfile, b->objfile);
}

/* ---- nodes and edges as the graph code sees them --------------------------------- */

struct ginfo;

struct gnode {
	struct cprof_node n; /* first: a cprof_node * is a gnode * */
	struct ginfo *gi;
	uint32_t stamp;
};

struct gedge {
	struct cprof_edge e; /* first */
	uint32_t stamp;
	uint32_t out_at; /* cprof_graph_trim_tree: likely index in e.src->out */
	bool dead; /* being removed by cprof_graph_trim_low_frequency_edges */
};

/* g->priv: state kept after construction. */
struct gpriv {
	uint32_t stamp; /* for graph walks; every node's stamp is below it */
};

/* ---- graph_build.c ------------------------------------------------------------------ */

/* arr (n used, *alloc room, elem bytes each) with room for one more, in arena a. */
void *gr_arena_grow(struct cprof_arena *a, void *arr, size_t n, size_t *alloc, size_t elem);
/* Append e to an arena-backed edge array. */
void gr_edge_push(struct cprof_arena *a, struct cprof_edge ***arr, size_t *n, size_t *alloc,
		  struct cprof_edge *e);

#endif
