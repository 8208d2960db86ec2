/*
 * dot.h - the call graph as a cgraph graph (pprof's internal/graph/dotgraph.go,
 * Go 1.19). Private to render/ (and the unit tests).
 *
 * dot_compose() turns a trimmed struct cprof_graph into a libcgraph graph
 * carrying every node, nodelet, edge and attribute pprof's ComposeDot
 * prints; dot_graph_write() prints it as pprof's DOT text, byte for byte;
 * render/graphviz.c lays the same graph out in process with gvc.
 *
 * Attribute values are stored exactly as they appear between the quotes
 * of pprof's text (already escaped for DOT: \" \\ \n \l). Graphviz reads
 * label values as escape strings, so a label renders the same as it
 * would from the parsed text.
 */
#ifndef CPROF_RENDER_DOT_H
#define CPROF_RENDER_DOT_H

#include <stdbool.h>
#include <stdint.h>
#include <cgraph.h>

#include "cprof/graph.h"
#include "cprof/report.h"
#include "cprof/strbuf.h"

/* Per-node visual overrides (pprof's DotNodeAttributes). */
struct dot_node_attrs {
	const char *shape; /* NULL or "": box */
	bool bold;
	int peripheries;
	const char *url;
	/* replaces the multi-line printable name in the label; appends to out */
	void (*formatter)(const struct cprof_node_info *i, struct strbuf *out);
};

/* pprof's DotConfig. */
struct dot_config {
	const char *title;      /* graph name ("unnamed" if empty) and legend tooltip */
	const char *legend_url; /* NULL or "": none */
	char *const *labels;    /* legend lines; none: no legend */
	size_t nlabels;
	/* formats a value (appends to out) */
	void (*format_value)(int64_t v, struct strbuf *out, const void *ctx);
	const void *format_ctx;
	int64_t total;
	/* overrides for g->nodes[i], or NULL (entries may be NULL) */
	const struct dot_node_attrs *const *node_attrs;
};

/* A composed graph: the cgraph graph and the order of pprof's statements. */
struct dot_graph;

/* ComposeDot: build the cgraph graph of g (g is only read). Never NULL. */
struct dot_graph *dot_compose(const struct cprof_graph *g, const struct dot_config *c);
/* The -dot report's graph: pprof's GetDOT (trimmed graph, labels, units) composed. */
struct dot_graph *dot_report_graph(struct cprof_report *rpt);
Agraph_t *dot_graph_cgraph(const struct dot_graph *d);
/* pprof's DOT text of the graph, appended to out. */
void dot_graph_write(const struct dot_graph *d, struct strbuf *out);
void dot_graph_free(struct dot_graph *d);

/* ---- layout and rendering (render/graphviz.c) ------------------------------------ */

/*
 * Lay d out with Graphviz's dot engine and render it with the device
 * ("svg", "png", "gif", "pdf", "ps"), in process; SVG is then passed
 * through graphviz_massage_svg(). Appends to out; -1 with err set when
 * Graphviz fails (a missing plugin, say).
 */
int graphviz_render(struct dot_graph *d, const char *device, struct strbuf *out,
		    struct cprof_error *err);
/* The same for any cgraph graph (the heap dump's retention graph, say). */
int graphviz_render_graph(Agraph_t *g, const char *device, struct strbuf *out, struct cprof_error *err);
/* pprof's massageSVG: full-window drawing, pan-and-zoom script, viewport group. */
void graphviz_massage_svg(const char *svg, size_t len, struct strbuf *out);

/* ---- pieces with their own tests ----------------------------------------------- */

/* graph.ShortenFunctionName, appended to out. */
void dot_shorten_function_name(const char *name, struct strbuf *out);
/* multilinePrintableName: the node label's name lines, each ending in "\n" (two chars). */
void dot_multiline_name(const struct cprof_node_info *i, struct strbuf *out);
/* escapeForDot: \ -> \\, " -> \", newline -> \l. Appends to out. */
void dot_escape(const char *s, struct strbuf *out);
/* dotColor: "#rrggbb" of score in [-1, 1] (red positive, green negative). */
void dot_color(double score, bool background, char out[8]);

#endif
