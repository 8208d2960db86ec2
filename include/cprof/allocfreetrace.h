/*
 * allocfreetrace.h - GODEBUG=allocfreetrace=1 logs: every allocation, free
 * and garbage collection the Go runtime made, each with a traceback
 * (every release that has the setting; Go 1.23 removed it).
 *
 *   cprof_log_read()                  formats/logread.c: files, stdin, gzip, streamed
 *        │ lines
 *        ▼
 *   cprof_aftlog_add_line()           formats/allocfreetrace.c: records → buckets of
 *        │                            (stack, type, size) and the table of live objects
 *        ├──► cprof_aftlog_to_profile()     the log as a profile (the format registry)
 *        ▼
 *   cprof_aft_summarize()             src/runtime/allocstats.c: by type, by site, sizes,
 *        │                            lifetimes, churn, live at the end, leak candidates
 *        ▼
 *   cprof_aft_render_text() / _json() render/allocfreetrace_text.c, allocfreetrace_json.c
 *
 * Memory grows with what the program keeps, never with the length of the
 * log: one 16-byte slot per live object (the table is at most half full),
 * and one entry per distinct frame, stack, type and bucket (what a program
 * has a bounded number of). Records are aggregated as they stream.
 *
 * Lifetimes are counted in GC cycles: the number of tracegc records between
 * an object's allocation and its free. The runtime frees objects only when
 * it sweeps after a GC, so an object that died young has lifetime 1 (freed
 * after the first GC that followed its allocation). An object still live at
 * the end that was allocated before the last-but-one GC survived a complete
 * GC (the sweep of a GC is over by the time the next GC starts): it is
 * retained. Younger live objects may be garbage the runtime had not swept.
 */
#ifndef CPROF_ALLOCFREETRACE_H
#define CPROF_ALLOCFREETRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cprof/error.h"
#include "cprof/formats.h"
#include "cprof/profile.h"
#include "cprof/regex.h"
#include "cprof/runtime_logs.h"
#include "cprof/strbuf.h"

/* No Go allocation is larger than the address space the heap can use (2^48 on 64-bit platforms). */
#define CPROF_AFT_MAX_SIZE (UINT64_C(1) << 48)
/* Longest function name, file name or type name a record may hold. */
#define CPROF_AFT_MAX_NAME 65536

/* One traceback frame. Strings are interned in the log (equal strings, equal pointers). */
struct cprof_aft_frame {
	const char *fn;
	const char *file;  /* "" when the traceback printed no file line */
	uint32_t fn_len, file_len;
	int64_t line;
	bool inlined;      /* printed as f(...) without a PC offset: inlined into the next frame */
	bool runtime;      /* a function of package runtime */
};

/* A distinct traceback of an allocation. */
struct cprof_aft_stack {
	uint32_t first;    /* its frames: stack_frame[first .. first + n), leaf first */
	uint32_t n;
	uint32_t site;     /* frame index of the allocation site, CPROF_NONE without frames */
	bool kept;         /* passes the -focus/-ignore filters */
};

/*
 * Allocations of one stack, type and size. Byte figures are the counts
 * times size (the size the runtime printed: the size class it used).
 */
struct cprof_aft_bucket {
	uint32_t stack;
	uint32_t type;         /* index into type[]; 0 is "" (allocated without a type) */
	uint64_t size;
	uint64_t allocs;
	uint64_t frees;        /* tracefree records of these objects */
	uint64_t lost;         /* objects whose address was allocated again with no free between */
	uint64_t short_lived;  /* frees at the first GC after the allocation */
	uint64_t life_sum;     /* sum of the frees' lifetimes, in GC cycles */
	uint32_t max_life;     /* the longest of them */
	uint64_t live;         /* allocs - frees - lost */
	/* set by cprof_aftlog_finish(): */
	uint64_t retained;     /* live objects that survived a complete GC */
	uint32_t ret_first_gc, ret_last_gc; /* GC count when the first and the last of them was allocated */
};

/* Lifetime bins: 1, 2, 3-4, 5-8, ..., 129-256, more (a free before any GC counts as 1). */
#define CPROF_AFT_LIFE_BINS 10

struct cprof_aft_opts {
	const struct cprof_regex *focus;  /* keep allocations with a frame whose function matches; NULL: all */
	const struct cprof_regex *ignore; /* drop allocations with a frame whose function matches */
};

struct cprof_aft_state; /* the parser's private state */

struct cprof_aftlog {
	struct cprof_arena arena;
	struct cprof_strtab strs;
	struct cprof_aft_opts opts;

	struct cprof_aft_frame *frame;
	size_t nframe, aframe;
	uint32_t *stack_frame;
	size_t nstack_frame, astack_frame;
	struct cprof_aft_stack *stack;
	size_t nstack, astack;
	const char **type;     /* type[0] = "" */
	size_t ntype, atype;
	struct cprof_aft_bucket *bucket;
	size_t nbucket, abucket;

	uint64_t lines;        /* lines read */
	uint64_t records;      /* tracealloc, tracefree and tracegc records */
	uint64_t allocs, alloc_bytes, frees, free_bytes, gcs;
	uint64_t unknown_frees, unknown_free_bytes; /* frees of objects whose allocation the log lacks */
	uint64_t lost, lost_bytes;   /* see cprof_aft_bucket.lost */
	uint64_t foreign;      /* lines outside records: program output, gctrace, ... */
	uint64_t stray;        /* lines inside records that were not traceback lines */
	uint64_t malformed;    /* lines that began like a record but did not parse */
	uint64_t elided;       /* tracebacks the runtime cut ("...additional frames elided...") */
	uint64_t gctrace_lines; /* "gc N @..." lines among the foreign ones */
	/* over kept allocations only: */
	uint64_t life[CPROF_AFT_LIFE_BINS], life_bytes[CPROF_AFT_LIFE_BINS];
	uint64_t live_objects, live_bytes, peak_live_bytes;
	uint64_t live_slots;   /* live-table slots at the end (memory: 16 bytes each) */

	bool finished;
	bool failed;           /* a hard error: err says what, at line err_line of the file */
	struct cprof_error err;
	uint64_t file_line;    /* line number in the current file */
	struct cprof_aft_state *st;
};

/* opts may be NULL (no filters); the regexes must outlive the log. */
void cprof_aftlog_init(struct cprof_aftlog *log, const struct cprof_aft_opts *opts);
void cprof_aftlog_release(struct cprof_aftlog *log);

/*
 * Feed one line (without its newline). Returns 0, or -1 once the log has
 * met something no runtime prints (an address or size out of range, a
 * traceback deeper than -max_depth, a name longer than CPROF_AFT_MAX_NAME):
 * log->err holds "line N: ..." and later lines are ignored.
 */
int cprof_aftlog_add_line(struct cprof_aftlog *log, const char *line, size_t len);
/* A cprof_line_fn for cprof_log_read() with ctx = struct cprof_aftlog *. */
void cprof_aftlog_line_fn(void *ctx, const char *line, size_t len);
/* The next lines come from another file: line numbers restart, a record may continue. */
void cprof_aftlog_next_file(struct cprof_aftlog *log);
/*
 * End of input: close the last record, count the retained objects. Returns
 * 0, or -1 when the log failed. No more lines after it.
 */
int cprof_aftlog_finish(struct cprof_aftlog *log);
/* The fuzz entry point: a whole buffer, then cprof_aftlog_finish(). */
int cprof_aftlog_parse_buffer(struct cprof_aftlog *log, const char *buf, size_t len);

/* The frames of a stack, leaf first. */
static inline const uint32_t *cprof_aft_stack_frames(const struct cprof_aftlog *log, const struct cprof_aft_stack *s)
{
	return log->stack_frame + s->first;
}

/*
 * Whether text holds an allocation trace: a tracealloc or tracefree record
 * line followed by its goroutine header line (the strict test of the
 * format registry; prose, gctrace logs, goroutine dumps and folded stacks
 * have no such pair).
 */
bool cprof_allocfreetrace_detect(const char *text, size_t len);

/*
 * A finished log as a profile: sample types alloc_objects/count,
 * alloc_space/bytes, inuse_objects/count, inuse_space/bytes (inuse = live
 * at the end), one sample per bucket with the string label "type" (typed
 * allocations) and the numeric label "bytes" (the object size), the
 * traceback as its stack (inlined frames joined to their caller's
 * location), and pprof's drop_frames for Go heap profiles, so reports
 * start at the allocating code, not at runtime.mallocgc.
 */
struct cprof_profile *cprof_aftlog_to_profile(const struct cprof_aftlog *log);

/*
 * The format registry's parser: CPROF_E_FORMAT unless
 * cprof_allocfreetrace_detect() holds; CPROF_E_CORRUPT or CPROF_E_LIMIT
 * for a log that fails ("parsing profile: allocfreetrace line N: ...").
 */
/* Its first-bytes rule (formats.h): a log is text, without NUL bytes. */
enum cprof_probe cprof_allocfreetrace_probe(const unsigned char *head, size_t len, struct cprof_error *err);
int cprof_allocfreetrace_parse(const unsigned char *data, size_t len, struct cprof_profile **out,
			       struct cprof_error *err);

/* ---- the summary (src/runtime/allocstats.c) -------------------------------- */

/* Figures of a type, an allocation site, or the whole log. */
struct cprof_aft_row {
	const char *name;      /* the type ("" untyped), or the site's function */
	const char *file;      /* site rows: "" for types */
	int64_t line;
	const char *type;      /* site rows: the type with the most bytes allocated there */
	uint64_t allocs, alloc_bytes;
	uint64_t frees, free_bytes;
	uint64_t live, live_bytes;
	uint64_t short_lived, short_bytes;
	uint64_t retained, retained_bytes;
	uint64_t life_sum;     /* GC cycles summed over the frees */
	uint32_t max_life;     /* the longest lifetime of a free */
	uint32_t ret_first_gc, ret_last_gc;
};

/* A histogram bin: [lo, hi] (hi UINT64_MAX: no upper bound). */
struct cprof_aft_bin {
	uint64_t lo, hi;
	uint64_t objects, bytes;
};

#define CPROF_AFT_SIZE_BINS 32

struct cprof_aft_summary {
	struct cprof_aft_row total;       /* over the kept allocations */
	uint64_t young, young_bytes;      /* live at the end, allocated since the last complete GC */
	uint64_t untyped, untyped_bytes;  /* allocations without a type */
	uint64_t filtered, filtered_bytes; /* allocations dropped by -focus/-ignore */
	uint64_t peak_live_bytes;
	uint64_t gcs, lines, records, foreign, stray, malformed, elided, gctrace_lines;
	uint64_t unknown_frees, unknown_free_bytes, lost, lost_bytes;
	size_t nstacks, nbuckets;
	struct cprof_aft_row *types;      /* by bytes allocated, then name */
	size_t ntypes;
	struct cprof_aft_row *sites;      /* by bytes allocated, then function, file, line */
	size_t nsites;
	size_t *churn, nchurn;            /* sites with short-lived objects, by their bytes */
	size_t *live_sites, nlive_sites;  /* sites with live objects, by live bytes */
	size_t *leaks, nleaks;            /* leak candidates, by retained bytes */
	struct cprof_aft_bin size_bin[CPROF_AFT_SIZE_BINS]; /* non-empty bins, ascending */
	size_t nsize_bins;
	struct cprof_aft_bin life_bin[CPROF_AFT_LIFE_BINS];
	struct cprof_hint hint[CPROF_MAX_HINTS];
	size_t nhint;
};

/*
 * Summarise a finished log (strings point into it, so it must outlive the
 * summary). A site is the first frame outside package runtime; for the
 * runtime's own allocations, the caller of the function that called
 * mallocgc. A leak candidate is a site holding retained objects allocated
 * in more than one GC cycle, the oldest of which has lived longer than any
 * object of the site that was freed: it keeps adding objects that stay,
 * beyond the lifetime its other objects have.
 */
void cprof_aft_summarize(const struct cprof_aftlog *log, struct cprof_aft_summary *s);
void cprof_aft_summary_release(struct cprof_aft_summary *s);

/* ---- output (render/allocfreetrace_text.c, allocfreetrace_json.c) ---------- */

/* The text report, each table cut to nodecount rows (0: all). */
void cprof_aft_render_text(const struct cprof_aft_summary *s, const struct cprof_runtime_src *src,
			   size_t nodecount, struct strbuf *out);
/* One JSON document with every row, then a newline. */
void cprof_aft_render_json(const struct cprof_aft_summary *s, struct strbuf *out);

#endif
