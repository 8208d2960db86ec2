/*
 * goroutines.h - Go goroutine dumps and the `cprof goroutines` summary.
 *
 *   debug=2 dump / crash traceback ──► formats/goroutine_dump.c ──┐
 *   debug=1 goroutine profile  ──► legacy count parser ───────────┤ one
 *   profile.proto goroutine profile ──► proto decoder ────────────┤ model
 *                                                                 ▼
 *   cprof_goroutines_summarize()   src/runtime/goroutines.c: filter, group equal
 *        │                         stacks and states, busiest first
 *        ▼
 *   cprof_goroutines_render_text() / _json()   render/goroutines.c
 *
 * A dump becomes an ordinary profile (sample type goroutine/count, one
 * sample of value 1 per goroutine, locations with function, file and line,
 * inlined frames folded into their caller's location), so every report and
 * filter of report mode works on it. What the goroutine header and the
 * "created by" line say goes into labels:
 *
 *   key               kind     example            when
 *   state             string   "chan receive"     always (the text in [...])
 *   goid              numeric  7                  always
 *   wait              numeric  3 (unit minutes)   the header gives "N minutes"
 *   locked_to_thread  string   "true"             ", locked to thread"
 *   created_by        string   "main.main"        a "created by" line
 *   created_at        string   "/src/x.go:12"     a "created by" line
 *   parent_goid       numeric  1                  "created by F in goroutine N"
 *   elided            string   "true"             "...frames elided..."
 *   stack             string   "unavailable"      "goroutine running on other
 *                                                 thread; stack unavailable"
 *                                                 (the stack is then the one
 *                                                 pseudo frame
 *                                                 "<stack unavailable>")
 *
 * The runtime prints wait times only from one minute on, so a blocked
 * goroutine without a `wait` label has waited less than a minute (or was
 * never seen blocked by a GC, which starts the clock).
 */
#ifndef CPROF_GOROUTINES_H
#define CPROF_GOROUTINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cprof/error.h"
#include "cprof/formats.h"
#include "cprof/profile.h"
#include "cprof/regex.h"
#include "cprof/strbuf.h"

#define CPROF_GLABEL_STATE "state"
#define CPROF_GLABEL_GOID "goid"
#define CPROF_GLABEL_WAIT "wait"
#define CPROF_GLABEL_WAIT_UNIT "minutes"
#define CPROF_GLABEL_LOCKED "locked_to_thread"
#define CPROF_GLABEL_CREATED_BY "created_by"
#define CPROF_GLABEL_CREATED_AT "created_at"
#define CPROF_GLABEL_PARENT "parent_goid"
#define CPROF_GLABEL_ELIDED "elided"
#define CPROF_GLABEL_STACK "stack"

/*
 * Parse a goroutine dump (formats/goroutine_dump.c): runtime.Stack(all) /
 * goroutine?debug=2 text, or a crash traceback with whatever precedes it
 * (the panic or fatal error message and [signal ...] lines become profile
 * comments). Fails with CPROF_E_FORMAT when the bytes hold no goroutine
 * header, so the format registry can try the next parser; a recognised
 * dump with an impossible number fails with CPROF_E_CORRUPT.
 */
int cprof_goroutine_dump_parse(const unsigned char *data, size_t len, struct cprof_profile **out,
			       struct cprof_error *err);
/* Its first-bytes rule: a NUL byte in head (a dump is text; the parser refuses any NUL). */
enum cprof_probe cprof_goroutine_dump_probe(const unsigned char *head, size_t len, struct cprof_error *err);

/* ---- the summary (src/runtime/goroutines.c) -------------------------------------- */

struct cprof_goroutine_frame {
	const char *function; /* "" when the location is not symbolized */
	const char *file;     /* "" when unknown */
	int64_t line;
	uint64_t address;     /* 0 in dumps */
	bool inlined;         /* inlined into the next frame (its caller) */
};

struct cprof_goroutine_group {
	int64_t count;
	const char *state;      /* NULL when the input has no states (debug=1, proto) */
	bool locked;            /* locked to thread */
	bool elided;            /* the runtime left frames out ("...frames elided...") */
	int64_t wait_min, wait_max; /* minutes; 0 when not printed */
	const char *created_by; /* NULL when none */
	const char *created_at; /* "file:line" of the go statement, NULL when none */
	struct cprof_goroutine_frame *stack; /* leaf first */
	size_t nstack;
	int64_t *ids;           /* goroutine ids, ascending; empty for profiles */
	size_t nids;
	const struct cprof_label *labels; /* other string labels (pprof labels), by key */
	size_t nlabels;
	size_t first;           /* index of its first sample (ties sort in file order) */
};

struct cprof_goroutine_state_count {
	const char *state;
	int64_t count;
};

struct cprof_goroutine_summary {
	int64_t total;          /* goroutines left after filtering */
	int64_t unfiltered;     /* goroutines in the input */
	struct cprof_goroutine_state_count *states; /* most frequent first */
	size_t nstates;
	struct cprof_goroutine_group *groups;       /* largest first */
	size_t ngroups;
};

struct cprof_goroutine_opts {
	const struct cprof_regex *focus;  /* keep goroutines with a frame matching; NULL = all */
	const struct cprof_regex *ignore; /* drop goroutines with a frame matching; NULL = none */
};

/*
 * Group the goroutines of p: equal state, locked flag, creator, string
 * labels and stack (compared frame by frame: function, file, line, or the
 * address when unsymbolized) make one group. The profile must have one
 * sample type of unit count (a goroutine profile); a sample counts as its
 * value. Strings point into p, which must outlive the summary.
 */
int cprof_goroutines_summarize(const struct cprof_profile *p, const struct cprof_goroutine_opts *o,
			       struct cprof_goroutine_summary *out, struct cprof_error *err);
void cprof_goroutine_summary_release(struct cprof_goroutine_summary *s);

/* ---- output (render/goroutines.c) ----------------------------------------- */

void cprof_goroutines_render_text(const struct cprof_goroutine_summary *s, struct strbuf *out);
/* {"goroutines": N, "states": {...}, "groups": [...]} and a newline. */
void cprof_goroutines_render_json(const struct cprof_goroutine_summary *s, struct strbuf *out);

#endif
