/*
 * graph.h - samples collected into a call graph (pprof's internal/graph).
 *
 * A node is a distinct NodeInfo (function, file, line, address... after
 * granularity aggregation); an edge joins a caller node to a callee node.
 * Each sample credits cum once per distinct node on its stack and edge
 * weight once per distinct (caller, callee) pair, so recursion is counted
 * once per sample; the leaf gets flat.
 *
 * Go 1.19's pprof is the reference: its NodeInfo has no column, so
 * columnno is always 0 and never part of a node's identity or name.
 *
 * Everything a graph allocates lives in its own arena (plus the node
 * array): cprof_graph_free() releases it in one call.
 */
#ifndef CPROF_GRAPH_H
#define CPROF_GRAPH_H

#include <stdbool.h>
#include <stdint.h>
#include "cprof/arena.h"
#include "cprof/profile.h"
#include "cprof/strbuf.h"

struct cprof_node_info {
	const char *name;      /* function name (interned in the profile), "" if none */
	const char *orig_name; /* system name when kept (OrigFnNames), else "" */
	uint64_t address;
	const char *file;      /* cleaned path, "" if none */
	int64_t start_line;
	int64_t lineno;
	int64_t columnno;      /* always 0 (Go 1.19 has no columns) */
	const char *objfile;   /* mapping file when kept (ObjNames), else "" */
};

struct cprof_node;

struct cprof_edge {
	struct cprof_node *src, *dest;
	int64_t weight, weight_div;
	bool residual; /* a path of removed nodes was skipped */
	bool inline_;  /* the call is an inlined call */
};

/* A label tag or numeric tag hanging from a node (used by dot; kept here). */
struct cprof_tag {
	const char *name;
	const char *unit; /* numeric tags only */
	int64_t value;    /* numeric tags only */
	int64_t flat, flat_div, cum, cum_div;
};

/*
 * Numeric tags of a node, grouped by the label tag of the samples they
 * came from (pprof's Node.NumericTags map); labels is "" for samples
 * without string labels.
 */
struct cprof_tag_group {
	const char *labels;
	struct cprof_tag **tags;
	size_t ntags, atags;
};

struct cprof_node {
	struct cprof_node_info info;
	struct cprof_node *function; /* the node of the same function (or itself) */
	int64_t flat, flat_div, cum, cum_div;
	struct cprof_edge **in, **out; /* edge arrays in insertion order */
	size_t nin, ain, nout, aout;
	uint32_t id; /* creation order in the graph, 1-based, unique per graph */
	const char *printable; /* PrintableName, computed once */
	/* tag lists, arena-allocated by the graph code */
	struct cprof_tag **label_tags;
	size_t nlabel_tags, alabel_tags;
	struct cprof_tag_group *numeric_tags;
	size_t nnumeric_tags, anumeric_tags;
	bool keep;  /* mark for the tree-trimming calls (NodePtrSet) */
	void *priv; /* scratch pointer for algorithms (renderers may use it) */
};

struct cprof_graph {
	struct cprof_node **nodes;
	size_t nnodes, anodes;
	struct cprof_arena arena;
	void *priv; /* owned by the graph code (src/pipeline/graph*.c) */
};

/*
 * A set of node infos (pprof's NodeSet) kept by trimming. It copies what
 * it stores, so it outlives the graph it was made from.
 */
struct cprof_node_set;

struct cprof_graph_opts {
	int sample_index;      /* value column */
	int mean_index;        /* divisor column for -mean (0), or -1 */
	bool obj_names;        /* keep the mapping file name in NodeInfo */
	bool orig_fn_names;    /* keep system names */
	bool call_tree;        /* build a tree instead of a graph */
	bool drop_negative;
	const struct cprof_node_set *kept; /* NULL: all nodes */
	/* format numeric tag values (for dot nodelets); NULL = decimal value */
	const char *(*format_tag)(int64_t v, const char *key, void *ctx);
	void *format_ctx;

	/* Tag collection (what report.newGraph does to the samples first). */
	bool no_tags;                 /* skip tags entirely (text reports never show them) */
	bool no_edges;                /* nodes only (graph mode): for choosing the nodes to keep */
	const char *drop_label_key;   /* string label key ignored ("pprof::base"), or NULL */
	const char *numeric_tag_key;  /* only this numeric label key makes tags, NULL = all */
	const char *numeric_tag_unit; /* unit for numeric_tag_key values, NULL = label's own */
};

/* Build the graph of p. Never NULL. */
struct cprof_graph *cprof_graph_new(const struct cprof_profile *p, const struct cprof_graph_opts *o);
void cprof_graph_free(struct cprof_graph *g);

/*
 * pprof's CreateNodes alone (no samples): the node of every (location,
 * line) pair. Location l's nodes are (*loc_nodes)[(*loc_first)[l] ..
 * (*loc_first)[l+1]), in the order of its lines (innermost first); a
 * location without lines has one address-only node; NULL where o->kept
 * excludes the info. Both arrays are malloc'd for the caller to free; the
 * nodes live in the returned graph (whose node array is empty, as no
 * sample was added).
 */
struct cprof_graph *cprof_graph_location_nodes(const struct cprof_profile *p,
					       const struct cprof_graph_opts *o, uint32_t **loc_first,
					       struct cprof_node ***loc_nodes);

/* pprof's node flat/cum accessors: value / div when a divisor is present. */
int64_t cprof_node_flat(const struct cprof_node *n);
int64_t cprof_node_cum(const struct cprof_node *n);
int64_t cprof_edge_weight(const struct cprof_edge *e);
int64_t cprof_tag_flat(const struct cprof_tag *t);
int64_t cprof_tag_cum(const struct cprof_tag *t);

/* PrintableName: "[%016x ]name file:line" etc. Appends to out. */
void cprof_node_info_printable(const struct cprof_node_info *i, struct strbuf *out);
/* fmt.Sprint(NodeInfo) of Go 1.19: "{name orig addr file start line objfile}". */
void cprof_node_info_gostring(const struct cprof_node_info *i, struct strbuf *out);

/* ---- node sets ------------------------------------------------------------ */

struct cprof_node_set *cprof_node_set_new(void);
void cprof_node_set_free(struct cprof_node_set *s);
void cprof_node_set_add(struct cprof_node_set *s, const struct cprof_node_info *i);
bool cprof_node_set_has(const struct cprof_node_set *s, const struct cprof_node_info *i);
size_t cprof_node_set_count(const struct cprof_node_set *s);

/* ---- trimming and ordering (graph.go) --------------------------------------- */

/* DiscardLowFrequencyNodes: the infos of nodes with |cum| >= cutoff. */
struct cprof_node_set *cprof_graph_discard_low_frequency_nodes(const struct cprof_graph *g,
							       int64_t cutoff);
/* DiscardLowFrequencyNodePtrs: set ->keep on nodes with |cum| >= cutoff; returns their count. */
size_t cprof_graph_mark_low_frequency_nodes(struct cprof_graph *g, int64_t cutoff);
/*
 * SelectTopNodes: the infos of the first max_nodes nodes (in visual mode
 * each node also counts min(#tags with flat, 4)).
 */
struct cprof_node_set *cprof_graph_select_top_nodes(const struct cprof_graph *g, int max_nodes,
						    bool visual);
/* SelectTopNodePtrs: set ->keep on the same nodes; returns their count. */
size_t cprof_graph_mark_top_nodes(struct cprof_graph *g, int max_nodes, bool visual);
/* TrimTree: splice out nodes without ->keep (call-tree graphs only). */
void cprof_graph_trim_tree(struct cprof_graph *g);

/* TrimLowFrequencyTags: drop tags whose |flat| and |cum| are both < cutoff. */
void cprof_graph_trim_low_frequency_tags(struct cprof_graph *g, int64_t cutoff);
/* TrimLowFrequencyEdges: drop edges with |weight| < cutoff; returns how many. */
size_t cprof_graph_trim_low_frequency_edges(struct cprof_graph *g, int64_t cutoff);
/* RemoveRedundantEdges: drop residual edges whose target stays reachable. */
void cprof_graph_remove_redundant_edges(struct cprof_graph *g);

enum cprof_node_order {
	CPROF_ORDER_FLAT_NAME,
	CPROF_ORDER_FLAT_CUM_NAME,
	CPROF_ORDER_CUM_NAME,
	CPROF_ORDER_NAME,
	CPROF_ORDER_FILE,
	CPROF_ORDER_ADDRESS,
	CPROF_ORDER_ENTROPY,
};

/* Nodes.Sort. */
void cprof_nodes_sort(struct cprof_node **nodes, size_t n, enum cprof_node_order o);
/* SortNodes: entropy when visual, else cum or flat. */
void cprof_graph_sort_nodes(struct cprof_graph *g, bool cum, bool visual);
/* EdgeMap.Sort: by |weight| desc, then source name, then destination name. */
void cprof_edges_sort(struct cprof_edge **e, size_t n);
/* Flat and cum sums over the graph (Nodes.Sum, raw values). */
void cprof_graph_sum(const struct cprof_graph *g, int64_t *flat, int64_t *cum);

/* Go's filepath.Clean of path, appended to out. */
void cprof_clean_path(const char *path, struct strbuf *out);

/* Go's filepath.Base: "" gives ".", trailing slashes dropped, only slashes give "/". Appends to out. */
void cprof_path_base(const char *path, struct strbuf *out);

#endif
