/*
 * transform.h - the profile-to-profile steps of the pipeline, in the order
 * the command layer runs them (pprof's driver order):
 *
 *   merge ─► base/diff_base ─► drop_frames pruning ─► tagroot/tagleaf
 *         ─► [relative_percentages: filters] ─► total ─► filters
 *         ─► granularity aggregation ─► graph
 *
 * Each step edits the profile in place or returns a new one; none prints.
 * Informational messages pprof prints on stderr (for example "Focus
 * expression matched no samples") are appended, one per line, to the
 * `notes` string buffer when it is not NULL.
 */
#ifndef CPROF_TRANSFORM_H
#define CPROF_TRANSFORM_H

#include <stdbool.h>
#include "cprof/profile.h"
#include "cprof/strbuf.h"

/* ---- merging (src/pipeline/merge.c) ------------------------------------------------ */

/*
 * pprof's combineProfiles (Go 1.19): rescale to common units
 * (ScaleProfiles), then Merge, in chunks of 64 as pprof fetches. A single
 * profile is merged too, as pprof does: zero samples dropped, equal samples
 * summed, unused objects removed, ids renumbered. The inputs are consumed
 * (freed) in every case.
 * Errors: "profiles have empty common sample type list",
 * "incompatible sample types ...", ...
 */
int cprof_profiles_combine(struct cprof_profile **in, size_t n, struct cprof_profile **out,
			   struct cprof_error *err);

/* Multiply every sample value by ratio (pprof's Profile.Scale), rounding as Go. */
void cprof_profile_scale(struct cprof_profile *p, double ratio);
/* Multiply column i of every sample by ratios[i]; ratios has nsample_type entries. */
void cprof_profile_scale_n(struct cprof_profile *p, const double *ratios);

/*
 * -base / -diff_base: label base samples pprof::base=true (diff only),
 * normalize if asked, negate the base, merge [source, base]. Both inputs
 * are consumed; *out is the result.
 */
int cprof_profile_apply_base(struct cprof_profile *src, struct cprof_profile *base, bool diff_base,
			     bool normalize, struct cprof_profile **out, struct cprof_error *err);

/* ---- sample index (src/pipeline/sample_index.c) ------------------------------------ */

/*
 * pprof's SampleIndexByName: "" = default_sample_type or the last type; a
 * number; an exact type name; the name with "inuse_" stripped. Errors as
 * pprof ("sample_index \"x\" must be one of: [a b]").
 */
int cprof_sample_index(const struct cprof_profile *p, const char *name, int *index,
		       struct cprof_error *err);

/* ---- frames and filters (src/pipeline/filter.c, src/pipeline/prune.c) ----------------------- */

/* drop_frames/keep_frames pruning (pprof's RemoveUninteresting). */
int cprof_profile_remove_uninteresting(struct cprof_profile *p, struct cprof_error *err);

struct cprof_filter_opts {
	const char *focus, *ignore, *hide, *show, *show_from, *prune_from;
	const char *tagfocus, *tagignore, *tagshow, *taghide;
};

/*
 * Apply the filters in pprof's order (focus/ignore/hide/show, show_from,
 * tagfocus/tagignore, tagshow/taghide, prune_from). NULL or "" means unset.
 * Adds "<Option> expression matched no samples" and "<name>:Interpreted
 * '<spec>' as range, not regexp" lines to notes as pprof prints them.
 */
int cprof_profile_filter(struct cprof_profile *p, const struct cprof_filter_opts *o,
			 struct strbuf *notes, struct cprof_error *err);

/*
 * -tagroot / -tagleaf: comma-separated label keys become pseudo frames.
 * out_unit is the report's output unit for numeric labels ("minimum"...).
 * Adds pprof's "TagRoot expression matched no samples" notes.
 */
int cprof_profile_add_tag_frames(struct cprof_profile *p, const char *tagroot, const char *tagleaf,
				 const char *out_unit, struct strbuf *notes, struct cprof_error *err);

/* ---- numeric label units (src/pipeline/labelunits.c) ------------------------------ */

struct cprof_label_unit {
	const char *key;  /* interned in the profile */
	const char *unit; /* interned in the profile */
};

/*
 * pprof's NumLabelUnits: the unit of each numeric label key (first
 * non-empty unit seen; "bytes" for keys alignment/request without units;
 * else the key itself). Returns a malloc'd array sorted by key in *out.
 * Conflicting units add pprof's "For tag K used unit U, also encountered
 * unit(s) V" line to notes.
 */
size_t cprof_profile_num_label_units(struct cprof_profile *p, struct cprof_label_unit **out,
				     struct strbuf *notes);
/* The unit of key in a table from cprof_profile_num_label_units, or NULL. */
const char *cprof_label_unit_find(const struct cprof_label_unit *u, size_t n, const char *key);

/* ---- granularity (src/pipeline/aggregate.c) ---------------------------------------- */

enum cprof_granularity {
	CPROF_GRAN_FUNCTIONS, /* the default */
	CPROF_GRAN_FILEFUNCTIONS,
	CPROF_GRAN_FILES,
	CPROF_GRAN_LINES,
	CPROF_GRAN_ADDRESSES,
};

/*
 * pprof's driver aggregate(): keep only what the granularity needs;
 * noinlines keeps only the outermost line of each location; addresses are
 * cleared except for CPROF_GRAN_ADDRESSES.
 */
int cprof_profile_aggregate(struct cprof_profile *p, enum cprof_granularity g, bool noinlines,
			    struct cprof_error *err);

#endif
