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
	X(PROTO, "proto", 0, "Outputs the profile in compressed protobuf format")

enum cprof_format {
	CPROF_FMT_NONE,
#define CPROF_FMT_ENUM_(name, flag, rx, help) CPROF_FMT_##name,
	CPROF_FORMATS(CPROF_FMT_ENUM_)
#undef CPROF_FMT_ENUM_
	CPROF_FMT__COUNT
};

struct cprof_label_unit; /* transform.h */

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

	/* pprof's NumLabelUnits (cprof_profile_num_label_units), sorted by key; may be empty */
	const struct cprof_label_unit *num_label_units;
	size_t nnum_label_units;
};

struct cprof_report {
	struct cprof_profile *prof;
	struct cprof_report_opts opt;
	int64_t total;
};

/*
 * Initialise rpt over prof: computes the total (pprof's computeTotal: sum
 * of |value|, only base-labelled samples when any are, divided by the
 * summed mean divisor with -mean).
 */
void cprof_report_init(struct cprof_report *rpt, struct cprof_profile *prof,
		       const struct cprof_report_opts *o);

/* pprof's rpt.formatValue: v × ratio truncated, scaled to the output unit. */
void cprof_report_format_value(const struct cprof_report *rpt, int64_t v, struct strbuf *out);

/* ProfileLabels (File/Build ID/comments/Type/Time/Duration), one per line. */
void cprof_report_profile_labels(const struct cprof_report *rpt, struct strbuf *out);

/* Renderers (one file each under render/). Each appends its whole output to out. */
int cprof_render_text(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err);
int cprof_render_traces(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err);
int cprof_render_comments(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err);

#endif
