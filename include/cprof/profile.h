/*
 * profile.h - the one model every parser fills and every report reads.
 *
 * It mirrors pprof's profile.proto (see formats/profile.proto) so nothing is
 * lost on a round trip:
 *
 *   profile ─┬─ sample_type[]          (type, unit) per value column
 *            ├─ sample[] ── loc[]      indices into location[], leaf first
 *            │           ├─ value[]    one per sample_type
 *            │           └─ label[]    string or numeric labels
 *            ├─ location[] ── line[]   inline frames, innermost first
 *            │             └─ mapping  index into mapping[] or CPROF_NONE
 *            ├─ function[]             line[].fn is an index into it
 *            └─ mapping[]              mapping[0] is the main binary
 *
 * Ownership: every object, sub-array and string lives in the profile's
 * arena, except the four top-level arrays (sample, location, function,
 * mapping), which grow with ALLOC_GROW and are freed by cprof_profile_free().
 *
 * Cross references are uint32 indices, never pointers, so the top-level
 * arrays may be reallocated while a parser is still adding to them, and a
 * stack costs 4 bytes a frame.
 *
 * Strings are interned in the profile's string table: two equal strings of
 * one profile are the same pointer, so code compares names with ==. Every
 * string field is non-NULL ("" when absent), except cprof_label.str, which
 * is NULL for a numeric label.
 *
 * The file's own ids (location.id, function.id, mapping.id) are kept for
 * printing (-raw, dump) and are not used as array indices; readers
 * range-check and translate them.
 */
#ifndef CPROF_PROFILE_H
#define CPROF_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cprof/arena.h"
#include "cprof/error.h"
#include "cprof/util.h"

/* ---- string interning ---------------------------------------------------- */

struct cprof_strtab {
	const char **slot; /* open addressing, NULL = empty; size is a power of 2 */
	uint32_t *hash;    /* cached hash per slot */
	size_t size;
	size_t count;
	struct cprof_arena *arena; /* where the bytes live */
};

void cprof_strtab_init(struct cprof_strtab *t, struct cprof_arena *arena);
void cprof_strtab_release(struct cprof_strtab *t);
/* The interned copy of s[0..len); equal contents give the same pointer. */
const char *cprof_strtab_intern(struct cprof_strtab *t, const char *s, size_t len);

/* ---- the model ----------------------------------------------------------- */

struct cprof_text_comments; /* formats/legacy_comments.c */

struct cprof_value_type {
	const char *type; /* "cpu", "alloc_space", ... */
	const char *unit; /* "nanoseconds", "bytes", "count", ... */
};

struct cprof_label {
	const char *key;
	const char *str;      /* NULL for a numeric label */
	int64_t num;          /* numeric labels only */
	const char *num_unit; /* numeric labels only; "" when absent */
};

struct cprof_sample {
	uint32_t *loc;             /* location indices, leaf first */
	int64_t *value;            /* profile->nsample_type values */
	struct cprof_label *label; /* string labels and numeric labels, file order */
	uint32_t nloc;
	uint32_t nlabel;
};

struct cprof_line {
	uint32_t fn;    /* index into profile->function; CPROF_NONE if unknown */
	int64_t line;
	int64_t column;
};

struct cprof_location {
	uint64_t id;
	uint64_t address;
	struct cprof_line *line; /* innermost (inlined callee) first */
	uint32_t nline;
	uint32_t mapping; /* index into profile->mapping, or CPROF_NONE */
	bool is_folded;
};

struct cprof_function {
	uint64_t id;
	const char *name;
	const char *system_name;
	const char *filename;
	int64_t start_line;
};

struct cprof_mapping {
	uint64_t id;
	uint64_t start;
	uint64_t limit;
	uint64_t offset;
	const char *file;
	const char *build_id;
	bool has_functions;
	bool has_filenames;
	bool has_line_numbers;
	bool has_inline_frames;
};

struct cprof_profile {
	struct cprof_arena arena;
	struct cprof_strtab strs;

	const char *source; /* the file it was read from, for messages; "" if none */

	struct cprof_value_type *sample_type;
	size_t nsample_type;

	struct cprof_sample *sample;
	size_t nsample, asample;
	struct cprof_location *location;
	size_t nlocation, alocation;
	struct cprof_function *function;
	size_t nfunction, afunction;
	struct cprof_mapping *mapping;
	size_t nmapping, amapping;

	const char *drop_frames;
	const char *keep_frames;
	int64_t time_nanos;
	int64_t duration_nanos;
	struct cprof_value_type period_type;
	int64_t period;
	const char **comment;
	size_t ncomment;
	const char *default_sample_type;
	const char *doc_url;

	/*
	 * What the '#' comment lines of a Go debug=1 text profile say (the
	 * function, file and line of each address, the labels of each
	 * goroutine), which pprof ignores. NULL for every other input. Lives
	 * in the arena; never copied, merged or written.
	 * cprof_profile_use_text_comments() (formats.h) applies it.
	 */
	struct cprof_text_comments *text_comments;

	/*
	 * No two samples share (part of) a loc, value or label array, and the
	 * arrays live in the arena: merging may then reuse them in place
	 * instead of copying them. Set by the protobuf reader and by merging;
	 * code that makes samples share arrays must clear it.
	 */
	bool own_sample_arrays;
};

/* A new empty profile (all strings ""). Never NULL. */
struct cprof_profile *cprof_profile_new(void);
/* Free the profile and everything it owns. NULL is fine. */
void cprof_profile_free(struct cprof_profile *p);

/* Intern helpers. */
const char *cprof_profile_str(struct cprof_profile *p, const char *s);
const char *cprof_profile_strn(struct cprof_profile *p, const char *s, size_t len);

/*
 * Appenders: each returns a pointer to the new zero-filled element (string
 * fields set to ""), valid until the next append to the same array; use the
 * index (nX - 1) to refer to it afterwards.
 */
struct cprof_sample *cprof_profile_add_sample(struct cprof_profile *p);
struct cprof_location *cprof_profile_add_location(struct cprof_profile *p);
struct cprof_function *cprof_profile_add_function(struct cprof_profile *p);
struct cprof_mapping *cprof_profile_add_mapping(struct cprof_profile *p);
/* Set the sample types (copied; strings interned). */
void cprof_profile_set_sample_types(struct cprof_profile *p, const struct cprof_value_type *t, size_t n);
void cprof_profile_add_comment(struct cprof_profile *p, const char *c);

/*
 * Deep copy: a new profile with its own arena, equal in every field.
 */
struct cprof_profile *cprof_profile_copy(const struct cprof_profile *src);

/*
 * pprof's CheckValid: every sample has nsample_type values; ids non-zero
 * and unique; references resolve. Returns 0 or -1 with err set
 * ("malformed profile: ...").
 */
int cprof_profile_check_valid(const struct cprof_profile *p, struct cprof_error *err);

/*
 * What pprof accepts but a report should not silently trust, appended to
 * notes as "Warning: ..." lines (formats/pprof_valid.c): mappings that
 * overlap or end before they start, and sample values whose total
 * overflows int64 (every total of that type is then wrong). Returns the
 * number of warnings.
 */
struct strbuf;
size_t cprof_profile_lint(const struct cprof_profile *p, struct strbuf *notes);

/*
 * Drop locations, functions and mappings no sample refers to, keeping the
 * order of the rest (pprof's "compaction" before writing). Ids are kept.
 */
void cprof_profile_compact(struct cprof_profile *p);

/* Index of the sample type named `name`, or -1. */
int cprof_profile_sample_type_index(const struct cprof_profile *p, const char *name);

#endif
