/*
 * diff.h - `cprof diff`: compare the profiles of a base run (or several)
 * with those of a new run (or several) function by function, and judge
 * which changes are regressions (src/pipeline/diff.c). The renderers of the result
 * are in render/diff_text.c (table, Markdown), render/diff_json.c and
 * render/flame_diff.c (differential flame graph).
 *
 * The model, in the order cprof_diff_compute() applies it to every input
 * profile:
 *
 *   1. drop_frames pruning, as reports do;
 *   2. the sample type: -sample_index resolved in each profile (pprof's
 *      rules); every profile must name the same type and unit;
 *   3. the run's total T_r: the sum of that value over all samples, before
 *      any filter (so -focus narrows what is judged, not the yardstick);
 *   4. -focus/-ignore/-hide, as in reports;
 *   5. per entry (function, file or "function file:line", by granularity)
 *      the flat value (the sample's leaf frame) or the cum value (once per
 *      sample for every entry on its stack, recursion counted once).
 *
 * Normalization (the default) scales run r's values by B / T_r, where B is
 * the mean of the base runs' totals: values become shares of their run's
 * total expressed in base units. Without it values are compared as
 * recorded. A side's value of an entry is the mean over its runs.
 *
 * With b the base value, n the new value, d = n - b and B the base total
 * (the new total when B is 0), an entry is
 *
 *   a regression   when b != 0, d > 0, d > threshold% of |b| and
 *                  d > min_share% of |B|;
 *   an improvement when b != 0, d < 0, -d > threshold% of |b| and
 *                  -d > min_share% of |B|;
 *   new            when b is 0 in every base run and |n| > min_share% of |B|;
 *   gone           when n is 0 in every new run and |b| > min_share% of |B|.
 *
 * Noise rule, when either side has several runs: a change must also clear
 * the spread between runs of the same side, that is the two sides' ranges
 * [min, max] over their runs must not overlap. A regression (or a new
 * entry) needs the lowest new run above the highest base run; an
 * improvement (or a gone entry) needs the highest new run below the lowest
 * base run. With one run per side the ranges are points and the rule is
 * the plain d != 0.
 *
 * The gate fails (cprof diff exits 1) when there is a regression or a new
 * entry and threshold > 0; threshold = 0 lists every growth beyond the
 * noise floor but never fails.
 */
#ifndef CPROF_DIFF_H
#define CPROF_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cprof/arena.h"
#include "cprof/error.h"
#include "cprof/profile.h"
#include "cprof/strbuf.h"
#include "cprof/transform.h"

enum cprof_diff_metric {
	CPROF_DIFF_FLAT,
	CPROF_DIFF_CUM,
};

enum cprof_diff_kind {
	CPROF_DIFF_SAME, /* within the thresholds (not reported) */
	CPROF_DIFF_REGRESSION,
	CPROF_DIFF_IMPROVEMENT,
	CPROF_DIFF_NEW,
	CPROF_DIFF_GONE,
};

struct cprof_diff_opts {
	const char *sample_index;             /* NULL or "": each profile's default */
	enum cprof_diff_metric metric;        /* flat (default) or cum */
	enum cprof_granularity granularity;   /* FUNCTIONS, FILES or LINES */
	bool normalize;                       /* compare shares of each run's total */
	double threshold;                     /* percent of the base value; 0 = gate off */
	double min_share;                     /* percent of the base total */
	const char *focus, *ignore, *hide;    /* NULL or "" = unset */
};

struct cprof_diff_entry {
	const char *name;
	double base, new_;    /* mean over each side's runs (normalized if asked) */
	double delta;         /* new_ - base */
	double delta_pct;     /* 100 * delta / |base|; 0 when base is 0 */
	double base_min, base_max, new_min, new_max; /* over the runs */
	enum cprof_diff_kind kind;
};

/* One frame of the merged call tree, for the differential flame graph. */
struct cprof_diff_frame {
	const char *name;     /* "all" for the root (frame 0) */
	uint32_t parent;      /* CPROF_NONE for the root */
	uint32_t depth;       /* 0 for the root */
	double base, new_;    /* mean value of every stack through this frame */
};

struct cprof_diff {
	struct cprof_arena arena; /* names */
	const char *sample_type, *unit;
	struct cprof_diff_opts opts;
	size_t nbase, nnew;       /* runs per side */
	double base_total, new_total; /* means; new_total == base_total when normalized */
	/* every entry with a non-zero value somewhere, biggest |delta| first, then by name */
	struct cprof_diff_entry *entry;
	size_t nentry;
	size_t count[5]; /* entries per enum cprof_diff_kind */
	/* the call tree: children after their parent, siblings by name */
	struct cprof_diff_frame *frame;
	size_t nframe;
	const char *error_source; /* on failure: the file at fault, or NULL */
};

/*
 * Compare base[0..nbase) with new_[0..nnew) (nbase, nnew >= 1). The
 * profiles are edited (pruned, filtered) but not freed. On success d is
 * filled (release it with cprof_diff_release); on failure returns -1 with
 * err set and d->error_source naming the profile at fault when there is
 * one ("incompatible sample types ...", sample_index errors, filter regex
 * errors). Filter notes ("Focus expression matched no samples") go to
 * notes when not NULL.
 */
int cprof_diff_compute(struct cprof_diff *d, struct cprof_profile **base, size_t nbase,
		       struct cprof_profile **new_, size_t nnew, const struct cprof_diff_opts *o,
		       struct strbuf *notes, struct cprof_error *err);
void cprof_diff_release(struct cprof_diff *d);

/* Whether the gate fails: a regression or a new entry, and threshold > 0. */
bool cprof_diff_failed(const struct cprof_diff *d);

/* "regressions", "improvements", "new", "gone" (kind != SAME). */
const char *cprof_diff_kind_name(enum cprof_diff_kind k);

/* ---- renderers (render/diff_text.c, render/diff_json.c, render/flame_diff.c) ---- */

/* The readable table: a header, then one section per kind, then the verdict. */
/* Append v in the diff's unit as pprof labels values ("1.20s", "64kB"); sign adds a '+' to positive values. */
void cprof_diff_value_label(const struct cprof_diff *d, double v, bool sign, struct strbuf *out);
void cprof_diff_render_text(const struct cprof_diff *d, struct strbuf *out);
/* The same as GitHub-flavoured Markdown, for a pull-request comment. */
void cprof_diff_render_markdown(const struct cprof_diff *d, struct strbuf *out);
/* {"regressions": [{"name", "base", "new", "delta", "delta_pct"}...], ...} plus the settings. */
void cprof_diff_render_json(const struct cprof_diff *d, struct strbuf *out);
/* A static SVG flame graph of the new side, red where frames grew, blue where they shrank. */
void cprof_diff_render_flame(const struct cprof_diff *d, struct strbuf *out);

#endif
