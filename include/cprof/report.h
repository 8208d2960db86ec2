/*
 * report.h - options and entry points of the renderers (render/).
 *
 * The command layer resolves the command line into a struct
 * cprof_report_opts, runs the transform pipeline (transform.h), then calls
 * cprof_report_new() (which computes the total, as pprof's report.New) and
 * one renderer, which appends its output to a string buffer. Renderers
 * never print or exit.
 */
#ifndef CPROF_REPORT_H
#define CPROF_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include "cprof/error.h"
#include "cprof/graph.h"
#include "cprof/profile.h"
#include "cprof/regex.h"
#include "cprof/strbuf.h"

/* Output formats. X(name, flag, takes_regex, help) */
#define CPROF_FORMATS(X)                                                            \
	X(TEXT, "text", 0, "Outputs top entries in text form")                         \
	X(TOP, "top", 0, "Outputs top entries in text form")                           \
	X(TRACES, "traces", 0, "Outputs all profile samples in text form")             \
	X(RAW, "raw", 0, "Outputs a text representation of the raw profile")          \
	X(COMMENTS, "comments", 0, "Output all profile comments")                     \
	X(PROTO, "proto", 0, "Outputs the profile in compressed protobuf format")     \
	X(DOT, "dot", 0, "Outputs a graph in DOT format")                          \
	X(SVG, "svg", 0, "Outputs a graph in SVG format")                          \
	X(PNG, "png", 0, "Outputs a graph image in PNG format")                    \
	X(GIF, "gif", 0, "Outputs a graph image in GIF format")                    \
	X(PDF, "pdf", 0, "Outputs a graph in PDF format")                          \
	X(PS, "ps", 0, "Outputs a graph in PS format")                             \
	X(WEB, "web", 0, "Visualize graph through web browser")                    \
	X(EOG, "eog", 0, "Visualize graph through eog")                            \
	X(EVINCE, "evince", 0, "Visualize graph through evince")                   \
	X(GV, "gv", 0, "Visualize graph through gv")                               \
	X(CALLGRIND, "callgrind", 0, "Outputs a graph in callgrind format")        \
	X(KCACHEGRIND, "kcachegrind", 0, "Visualize report in KCachegrind")        \
	X(LIST, "list", 1, "Output annotated source for functions matching regexp")  \
	X(DISASM, "disasm", 1, "Output assembly listings annotated with samples")    \
	X(WEBLIST, "weblist", 1, "Output annotated source and assembly as an HTML page") \
	X(LEGACY, "legacy", 0, "Outputs the profile in Go's debug=1 legacy text format") \
	X(TREE, "tree", 0, "Outputs a text rendering of call graph")              \
	X(PEEK, "peek", 1, "Output callers/callees of functions matching regexp") \
	X(TAGS, "tags", 0, "Outputs all tags in the profile")                     \
	X(TOPPROTO, "topproto", 0, "Outputs top entries in compressed protobuf format") \
	X(FOLDED, "folded", 0, "Outputs folded stacks (FlameGraph/speedscope/inferno input)") \
	X(FLAME, "flame", 0, "Outputs an interactive flame graph as a self-contained SVG")

enum cprof_format {
	CPROF_FMT_NONE,
#define CPROF_FMT_ENUM_(name, flag, rx, help) CPROF_FMT_##name,
	CPROF_FORMATS(CPROF_FMT_ENUM_)
#undef CPROF_FMT_ENUM_
	CPROF_FMT__COUNT
};

struct cprof_label_unit; /* transform.h */
struct cprof_objtool;    /* symbolize.h */

struct cprof_report_opts {
	enum cprof_format format;
	bool cum_sort;
	bool call_tree;
	bool drop_negative;
	bool compact_labels;
	double ratio;            /* 1 / divide_by */
	const char *title;       /* basename of mapping[0].file or "" */
	const char **active_filters; /* "focus=re", ... in pprof's order */
	size_t nactive_filters;

	int nodecount;
	double nodefraction;
	double edgefraction;

	int sample_index;        /* value column reported */
	bool mean;               /* divide by column 0 */
	const char *sample_type; /* name shown as "Type:" ("mean_" prefixed with -mean) */
	const char *sample_unit; /* unit of the column as recorded (Go 1.19 does not lower-case it) */
	const char *output_unit; /* "minimum", "auto" or an explicit unit */

	const struct cprof_regex *symbol; /* -list/-peek/-disasm regex, NULL if none */
	const char *source_path;
	const char *trim_path;
	bool intel_syntax;            /* -disasm/-weblist assembly syntax */
	struct cprof_objtool *obj;    /* opens binaries for -disasm and -weblist; may be NULL */

	/* pprof's NumLabelUnits (cprof_profile_num_label_units), sorted by key; may be empty */
	const struct cprof_label_unit *num_label_units;
	size_t nnum_label_units;
};

/*
 * Graphs reports of one profile may share, kept by the caller between
 * reports (the session keeps one per prepared profile): the nodes-only
 * graph that chooses the nodes to keep (render/report.c), by the options
 * it depends on. Zero-filled: empty. Never changed once stored.
 */
#define CPROF_GRAPH_CACHE 4
struct cprof_graph_cache {
	struct {
		char *key;
		struct cprof_graph *g;
		unsigned long used;
	} ent[CPROF_GRAPH_CACHE];
	unsigned long clock;
};
/* Free what the cache holds; it is empty again. */
void cprof_graph_cache_release(struct cprof_graph_cache *c);

struct cprof_report {
	struct cprof_profile *prof;
	struct cprof_report_opts opt;
	int64_t total;
	/*
	 * Where a long output goes while it is made (-traces and -folded call
	 * cprof_report_spill()): spill(ctx, out) writes out's bytes and
	 * empties it. NULL (cprof_report_init's default): all stays in out.
	 */
	void (*spill)(void *ctx, struct strbuf *out);
	void *spill_ctx;
	/* graphs kept from earlier reports of the same profile; NULL (the default): none */
	struct cprof_graph_cache *graphs;
};

/* Hand out's bytes to rpt->spill once there are a few MiB of them. */
void cprof_report_spill(struct cprof_report *rpt, struct strbuf *out);

/*
 * Initialise rpt over prof: computes the total (pprof's computeTotal: sum
 * of |value|, only base-labelled samples when any are, divided by the
 * summed mean divisor with -mean).
 */
void cprof_report_init(struct cprof_report *rpt, struct cprof_profile *prof,
		       const struct cprof_report_opts *o);

/* pprof's rpt.formatValue: v × ratio truncated, scaled to the output unit. */
void cprof_report_format_value(const struct cprof_report *rpt, int64_t v, struct strbuf *out);

/* ProfileLabels (File/Build ID/comments/Type/Time/Duration), one per line; an empty line when there is none (pprof prints them joined with Println). */
void cprof_report_profile_labels(const struct cprof_report *rpt, struct strbuf *out);

/* Renderers (one file each under render/). Each appends its whole output to out. */
int cprof_render_text(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err);
int cprof_render_traces(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err);
int cprof_render_comments(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err);
/* -tree, and -peek when opt.symbol is set (render/tree.c). */
int cprof_render_tree(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err);
/* -tags in Go 1.19's layout (render/tags.c). */
int cprof_render_tags(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err);
/* -topproto: the top table as a gzipped profile.proto (render/topproto.c). */
int cprof_render_topproto(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err);
/* -folded: one "root;...;leaf value" line per distinct stack (render/folded.c). */
int cprof_render_folded(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err);
/* -flame: a self-contained interactive flame graph SVG (render/flame.c). */
int cprof_render_flame(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err);
/* -dot: pprof's DOT text (render/dot.c). */
int cprof_render_dot(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err);
/*
 * -svg, -png, -gif, -pdf, -ps: the DOT graph laid out and rendered in
 * process by Graphviz (render/graphviz.c); SVG gets a pan-and-zoom script.
 */
int cprof_render_graphviz(struct cprof_report *rpt, enum cprof_format f, struct strbuf *out,
			  struct cprof_error *err);
/* -callgrind: the callgrind format of pprof (render/callgrind.c). */
int cprof_render_callgrind(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err);
/* -list=regex: annotated source (render/list.c). */
int cprof_render_list(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err);
/* -disasm=regex: annotated assembly (render/disasm.c). */
int cprof_render_disasm(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err);
/* -weblist=regex: HTML page of source with its assembly (render/weblist.c). */
int cprof_render_weblist(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err);
/* Go's debug=1 text of the profile's kind: heap, contention or count (render/legacy.c). */
int cprof_render_legacy(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err);

#endif
