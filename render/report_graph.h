/*
 * report_graph.h - what the graph-based renderers (text/top, tree/peek,
 * dot, callgrind, topproto) share: pprof's rpt.newGraph, newTrimmedGraph,
 * selectOutputUnit and reportLabels. Private to render/.
 */
#ifndef CPROF_RENDER_REPORT_GRAPH_H
#define CPROF_RENDER_REPORT_GRAPH_H

#include <stdbool.h>
#include "cprof/graph.h"
#include "cprof/report.h"
#include "cprof/strbuf.h"

/* How a renderer wants its graph (what pprof derives from OutputFormat). */
struct report_graph_mode {
	bool visual;    /* dot family: entropy order, tag counting, redundant edges removed */
	bool call_tree; /* honour -call_tree (dot, callgrind) */
	bool obj_names; /* keep object file names (raw, list, weblist, disasm, callgrind) */
	bool tags;      /* collect label/numeric tags (dot nodelets) */
};

/* A growable list of malloc'd lines (pprof's []string labels). */
struct line_list {
	char **v;
	size_t n, alloc;
};

void line_list_add(struct line_list *l, const char *s);
void line_list_addf(struct line_list *l, const char *fmt, ...) CPROF_PRINTF(2, 3);
void line_list_release(struct line_list *l);
/* Append the lines joined by sep. */
void line_list_join(const struct line_list *l, const char *sep, struct strbuf *out);

/*
 * rpt.newGraph: cleans function file names in the profile (trimPath, as
 * pprof does, in place), then builds the graph keeping only "bytes"
 * numeric tags and ignoring the pprof::base label. kept may be NULL.
 */
struct cprof_graph *report_new_graph(struct cprof_report *rpt, const struct report_graph_mode *m,
				     const struct cprof_node_set *kept);

/*
 * The graph node of every (location, line) of the profile, as
 * cprof_graph_location_nodes() gives them, after the same file name
 * clean-up as report_new_graph (for the stack-based outputs: folded,
 * flame). Free the graph with cprof_graph_free() and both arrays with free().
 */
struct cprof_graph *report_location_nodes(struct cprof_report *rpt, uint32_t **loc_first,
					  struct cprof_node ***loc_nodes);

struct trimmed_graph {
	struct cprof_graph *g;
	int orig_count;
	int dropped_nodes;
	int dropped_edges;
};

/* rpt.newTrimmedGraph. Free with cprof_graph_free(t->g). */
void report_trimmed_graph(struct cprof_report *rpt, const struct report_graph_mode *m,
			  struct trimmed_graph *t);

/* rpt.selectOutputUnit: with unit "minimum", pick the unit from g (callgrind: no ×100). */
void report_select_output_unit(struct cprof_report *rpt, const struct cprof_graph *g, bool callgrind);

/* ProfileLabels as a list. */
void report_profile_labels(const struct cprof_report *rpt, struct line_list *out);

/* reportLabels. */
void report_labels(const struct cprof_report *rpt, const struct cprof_graph *g, int orig_count,
		   int dropped_nodes, int dropped_edges, bool full_headers, struct line_list *out);

/*
 * The unit of numeric label key (opt.num_label_units, or computed from the
 * profile when the caller gave none), NULL if the key is unknown.
 */
const char *report_num_label_unit(const struct cprof_report *rpt, const char *key);

/* formatValue into a fresh string in buf (reset first); returns buf->buf. */
const char *report_value_str(const struct cprof_report *rpt, int64_t v, struct strbuf *buf);

#endif
