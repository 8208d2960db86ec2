/*
 * runtime_logs.h - Go runtime trace logs: GODEBUG=gctrace=1 (with the
 * scavenger and gcpacertrace lines that share its output) and
 * GODEBUG=schedtrace=X[,scheddetail=1].
 *
 * The road is short and parallel to the profile pipeline:
 *
 *   cprof_log_read()                    formats/logread.c: file, stdin or gzip,
 *        │                              streamed line by line
 *        ▼
 *   cprof_gclog_add_line()              formats/gctrace.c: line shapes → records
 *   cprof_schedlog_add_line()           formats/schedtrace.c
 *        │
 *        ▼
 *   cprof_gc_summarize()                src/runtime/gcstats.c: percentiles, CPU shares,
 *   cprof_sched_summarize()             MMU, trends, hints, diagnoses
 *        │
 *        ▼
 *   render/gctrace_text.c, render/schedtrace_text.c, render/runtime_json.c,
 *   render/runtime_svg.c
 *
 * Records are recognised by the shape of the text, never by a Go version,
 * anywhere in a line (log prefixes, interleaved program output). Lines that
 * carry no record are counted and skipped; nothing in a log is an error.
 * Memory grows with the number of GCs (or schedtrace samples) only: a
 * handful of numbers each (struct cprof_gc, struct cprof_sched_sample);
 * everything else is aggregated as it streams.
 *
 * Absent figures: integer fields hold -1, floating fields NaN.
 */
#ifndef CPROF_RUNTIME_LOGS_H
#define CPROF_RUNTIME_LOGS_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cprof/error.h"
#include "cprof/strbuf.h"

/* ------------------------------------------------------------------ */
/* Reading                                                              */

/* Called once per line, without the newline (and without a trailing CR). */
typedef void (*cprof_line_fn)(void *ctx, const char *line, size_t len);

/* Longer lines are cut to this many bytes (the rest is dropped). */
#define CPROF_LOG_MAX_LINE (1u << 20)

/* What the reader saw. */
struct cprof_logread_stats {
	uint64_t bytes;      /* after decompression */
	uint64_t lines;
	uint64_t long_lines; /* lines cut to CPROF_LOG_MAX_LINE */
	bool gzip;           /* the last file read was gzip-compressed */
};

/*
 * Stream the lines of path ("-" is standard input) to fn. gzip input
 * (one or more members) is inflated on the fly; anything else is read as
 * it is. Returns 0, or -1 with err set (cannot open/read, corrupt or
 * truncated gzip); err's message does not name the file.
 */
int cprof_log_read(const char *path, cprof_line_fn fn, void *ctx, struct cprof_logread_stats *st,
		   struct cprof_error *err);

/* Split an in-memory buffer into lines for fn, as cprof_log_read does. */
void cprof_log_split(const char *buf, size_t len, cprof_line_fn fn, void *ctx);

/* ------------------------------------------------------------------ */
/* gctrace records (formats/gctrace.c)                                  */

/* The line shapes of every release (see formats/gctrace.c). */
#define CPROF_GC_SHAPES(X)                                                  \
	X(GO11, "go1.1-1.2", "gc#(#): #+#+# ms, # -> # MB # -> # (#-#) objects") \
	X(GO13, "go1.3", "gc#(#): #+#+#+# us, # -> # MB, # (#-#) objects")       \
	X(GO14, "go1.4", "... objects, # goroutines, ...")                       \
	X(GO15, "go1.5-1.6", "5 clock phases, 7 cpu values")                     \
	X(GO17, "go1.7-1.18", "3 clock phases, 5 cpu values")                    \
	X(GO119, "go1.19+", "... # MB stacks, # MB globals, # P")

enum cprof_gc_shape {
#define CPROF_GC_SHAPE_ENUM_(name, label, text) CPROF_GC_##name,
	CPROF_GC_SHAPES(CPROF_GC_SHAPE_ENUM_)
#undef CPROF_GC_SHAPE_ENUM_
	CPROF_GC__SHAPES
};

/* "go1.19+" etc. */
const char *cprof_gc_shape_name(enum cprof_gc_shape shape);

/*
 * One garbage collection, as one gctrace line tells it. Kept small (about
 * 150 bytes): it is the one thing stored per GC.
 */
struct cprof_gc {
	uint64_t num;               /* the runtime's GC number */
	double at_s;                /* start (sweep termination), s since program start; NaN in old shapes */
	/* Derived by the parser, so every shape reads the same (ms): */
	double pause_ms;            /* stop-the-world wall clock (see formats/gctrace.c) */
	double mark_ms;             /* concurrent phases' wall clock; NaN when all was STW */
	double first_ms;            /* the first clock phase (the last is pause_ms - first_ms) */
	double stw_cpu_ms;          /* CPU of the STW phases */
	double assist_ms, background_ms, idle_ms; /* mark CPU split; NaN in old shapes */
	double gc_cpu_ms;           /* CPU the runtime charges to GC: all but idle marking */
	int32_t heap_start_mb;      /* heap when the GC started */
	int32_t heap_end_mb;        /* heap when it ended */
	int32_t heap_live_mb;       /* heap marked live */
	int32_t heap_goal_mb;
	int32_t stacks_mb, globals_mb;
	int32_t prev_live_mb;       /* go1.3/1.4: live heap after the previous GC */
	int32_t goroutines;         /* go1.4 */
	int32_t procs;              /* "# P", or the GC worker count "(#)" of old shapes */
	int16_t cpu_pct;            /* the line's cumulative "#%" GC CPU figure, or -1 */
	uint8_t shape;              /* enum cprof_gc_shape */
	uint8_t nclock;             /* how many clock phases the line had */
	bool forced;                /* "(forced)": runtime.GC() or debug.FreeOSMemory() */
	bool periodic;              /* preceded by a "GC forced" line: sysmon's 2-minute GC */
	uint32_t run;               /* 0, or which process run (GC numbering restarted) */
};

/* The wall clock of a whole GC, all phases (ms). */
static inline double cprof_gc_dur_ms(const struct cprof_gc *g)
{
	return isnan(g->mark_ms) ? g->pause_ms : g->pause_ms + g->mark_ms;
}

/* Scavenger lines: scvg (go1.1-1.13) and scav (GODEBUG=scavtrace=1, go1.14+). */
struct cprof_scav_stats {
	uint64_t lines;
	uint64_t forced;            /* "forced scvg", "scvg-1", "scav ... (forced)" */
	uint64_t resets;            /* "[controller reset]" */
	double released_mb;         /* sum of "N MB released" and "N KiB work" */
	int64_t inuse_mb, idle_mb, sys_mb, rel_mb, consumed_mb; /* last scvg summary */
	int64_t total_kib;          /* last scav "KiB total" / "KiB now" */
	int util_pct;               /* last scav "% util" */
};

/* gcpacertrace lines. */
struct cprof_pacer_stats {
	uint64_t lines;
	uint64_t starts;            /* "pacer: assist ratio=..." */
	uint64_t ends;              /* end-of-cycle lines, old or new pacer */
	uint64_t sweeps;            /* "pacer: sweep done ..." */
	uint64_t resets;            /* "[controller reset]" */
	double assist_ratio_sum, assist_ratio_max;
	uint64_t util_n;            /* end lines with a utilisation figure */
	double util_sum, util_goal_sum; /* mark CPU utilisation, actual and goal, in % */
};

/* Which kind of record a line held. */
enum cprof_gcline_kind {
	CPROF_GCLINE_NONE,
	CPROF_GCLINE_GC,
	CPROF_GCLINE_FORCED, /* "GC forced" */
	CPROF_GCLINE_SCAV,
	CPROF_GCLINE_PACER,
};

/* Everything read from gctrace logs. */
struct cprof_gclog {
	struct cprof_gc *gc;
	size_t ngc, alloc_gc;
	uint64_t forced_lines;      /* "GC forced" lines */
	struct cprof_scav_stats scav;
	struct cprof_pacer_stats pacer;
	uint64_t shapes[CPROF_GC__SHAPES];
	uint64_t lines;             /* lines seen */
	uint64_t records;           /* lines that held a record */
	uint64_t malformed;         /* lines that began a record but did not parse */
	uint64_t other_traces;      /* schedtrace lines (not ours) */
	uint32_t runs;              /* process runs (1 + GC-number restarts) */
	/* parser state */
	double time_offset_s;       /* added to at_s after a restart */
	bool pending_periodic;
};

void cprof_gclog_init(struct cprof_gclog *log);
void cprof_gclog_release(struct cprof_gclog *log);
/* Feed one line (without its newline); returns what it held. */
enum cprof_gcline_kind cprof_gclog_add_line(struct cprof_gclog *log, const char *line, size_t len);
/* A cprof_line_fn for cprof_log_read() with ctx = struct cprof_gclog *. */
void cprof_gclog_line_fn(void *ctx, const char *line, size_t len);
/*
 * The fuzz entry point: parse a whole buffer (any bytes) into log. Never
 * fails; memory is bounded by the number of records.
 */
void cprof_gclog_parse_buffer(struct cprof_gclog *log, const char *buf, size_t len);

/*
 * Parse one gctrace "gc ..." record starting exactly at p (no search).
 * Returns the number of bytes it used, or 0 when p[0..n) is not one.
 */
size_t cprof_gctrace_parse_gc(const char *p, size_t n, struct cprof_gc *out);

/*
 * The runtime's float printer (print.go printfloat): "+1.234560e+003",
 * "NaN", "+Inf", "-Inf"; plain decimals are accepted too. Returns bytes
 * used or 0.
 */
size_t cprof_parse_runtime_float(const char *p, size_t n, double *out);

/* ------------------------------------------------------------------ */
/* schedtrace records (formats/schedtrace.c)                            */

/* One "SCHED" line, plus what the scheddetail block after it told. */
struct cprof_sched_sample {
	double t_ms;                /* SCHED <ms> (+ the offset of earlier runs) */
	int32_t gomaxprocs, idleprocs, threads, idlethreads;
	int32_t spinning;           /* spinningthreads (nmspinning in go1.2/1.3), or -1 */
	int32_t needspinning;       /* go1.21+, or -1 */
	int32_t runqueue;           /* global run queue */
	int32_t nlocal;             /* local queues seen ([..] list or P lines), 0 if none */
	int32_t local_sum, local_max, local_min;
	int32_t gcwaiting;          /* detail, or -1 */
	bool detail;                /* a scheddetail sample */
	int32_t ng, ng_runnable, ng_running, ng_waiting, ng_syscall; /* detail: live Gs */
	uint32_t run;
};

/* P status values, as runtime2.go numbers them. */
#define CPROF_P_STATES(X) X(idle) X(running) X(syscall) X(gcstop) X(dead)
#define CPROF_NP_STATES 6   /* the five above and "other" */
/* G status values 0..9 (the _Gscan bit removed) and "other". */
#define CPROF_NG_STATES 11
const char *cprof_p_state_name(unsigned i);
const char *cprof_g_state_name(unsigned i);

#define CPROF_WAIT_REASONS_MAX 128

/* Aggregates of scheddetail P, M and G lines, over all detailed samples. */
struct cprof_sched_detail {
	uint64_t samples;           /* detailed SCHED lines */
	uint64_t p_lines, m_lines, g_lines;
	uint64_t p_state[CPROF_NP_STATES];
	uint64_t g_state[CPROF_NG_STATES];
	uint64_t m_with_p, m_spinning, m_blocked, m_locked, m_running_g;
	/* wait reasons of waiting goroutines (status 4): an open-addressed table */
	struct cprof_wait_reason {
		char name[48];
		uint64_t count;
	} reason[CPROF_WAIT_REASONS_MAX];
	size_t nreason;
	uint64_t reason_other;      /* goroutines whose reason did not fit the table */
};

struct cprof_schedlog {
	struct cprof_sched_sample *s;
	size_t ns, alloc_s;
	struct cprof_sched_detail detail;
	uint64_t lines, records, malformed;
	uint64_t other_traces;      /* gctrace lines (not ours) */
	uint32_t runs;
	double time_offset_ms;
};

void cprof_schedlog_init(struct cprof_schedlog *log);
void cprof_schedlog_release(struct cprof_schedlog *log);
/* Feed one line; returns true when it held a record (SCHED, P, M or G line). */
bool cprof_schedlog_add_line(struct cprof_schedlog *log, const char *line, size_t len);
void cprof_schedlog_line_fn(void *ctx, const char *line, size_t len);
/* The fuzz entry point, as cprof_gclog_parse_buffer(). */
void cprof_schedlog_parse_buffer(struct cprof_schedlog *log, const char *buf, size_t len);

/* ------------------------------------------------------------------ */
/* Analysis (src/runtime/gcstats.c, src/runtime/schedstats.c)                           */

/* A distribution: nearest-rank percentiles, sorted[ceil(p/100*n)-1]. */
struct cprof_dist {
	size_t count;
	double total, mean, min, p50, p90, p95, p99, max; /* NaN when count is 0 */
};

/* Fills d from v[0..n), which it reorders (selection, not a full sort). */
void cprof_dist_compute(struct cprof_dist *d, double *v, size_t n);

/* mean/min/max of one figure over samples (NaN when there was none). */
struct cprof_mmm {
	size_t count;
	double mean, min, max;
};

/* Add a value (mean holds the sum until cprof_mmm_done()); then finish. */
void cprof_mmm_add(struct cprof_mmm *m, double v);
void cprof_mmm_done(struct cprof_mmm *m);

/* A hint or a diagnosis: an id for machines, a sentence with the evidence for people. */
struct cprof_hint {
	const char *id;
	char text[600];
	double from, to; /* the stretch of the log it is about, or NaN for the whole log */
};
#define CPROF_MAX_HINTS 12

/*
 * Append a hint to list[0..*n) (CPROF_MAX_HINTS long) and return it, its
 * range unset (NaN); when the list is full the hint is dropped (the
 * pointer returned is a scratch one).
 */
struct cprof_hint *cprof_hint_add(struct cprof_hint *list, size_t *n, const char *id, const char *fmt, ...)
	CPROF_PRINTF(4, 5);

#define CPROF_MMU_WINDOWS 10   /* 1, 2, 5 ... 500 ms, 1 s */
extern const double cprof_mmu_windows_ms[CPROF_MMU_WINDOWS];

#define CPROF_MAX_INTERVALS 10
#define CPROF_WORST_GCS 5

/* One slice of the log's time span. */
struct cprof_gc_interval {
	double start_s, end_s;
	size_t ngc, nforced;
	double gc_cpu_pct;          /* GC CPU over the slice's wall clock × P */
	double assist_pct, background_pct, idle_pct; /* of the slice's mark CPU */
	double pause_max_ms, pause_total_ms;
	int64_t heap_max_mb, live_max_mb, goal_max_mb, live_last_mb;
};

struct cprof_gc_summary {
	size_t gc_count, forced_count, periodic_count;
	uint64_t forced_lines;
	uint32_t runs;
	bool timed;                 /* the log has @ timestamps */
	double first_s, last_s;     /* first GC start, last GC end */
	double span_s;              /* last_s - first_s */
	double gc_per_s, interval_mean_ms;
	struct cprof_dist pause_ms, mark_ms;
	int gc_cpu_pct_end;         /* last line's "#%", or -1 */
	double gc_cpu_pct_computed; /* from the cpu fields over the span */
	double assist_ms, background_ms, idle_ms, stw_cpu_ms, gc_cpu_ms;
	double assist_pct;          /* assist share of (assist + background) mark CPU */
	struct cprof_mmm heap_start, heap_end, heap_live, heap_goal;
	int64_t heap_peak_mb, live_peak_mb, goal_min_mb, goal_max_mb;
	int64_t stacks_max_mb, globals_max_mb;
	int procs, procs_min, procs_max;
	/* live heap trend: means of the first and last thirds of the GCs, the
	 * least-squares slope after the first third (which often holds start-up) */
	double live_first_mean, live_last_mean, live_slope_mb_per_min;
	bool leak_suspect;
	double mmu[CPROF_MMU_WINDOWS]; /* fraction 0..1, NaN when not computable */
	struct cprof_gc_interval interval[CPROF_MAX_INTERVALS];
	size_t ninterval;
	size_t worst[CPROF_WORST_GCS]; /* indexes into the log's gc[], by pause */
	size_t nworst;
	struct cprof_hint hint[CPROF_MAX_HINTS];
	size_t nhint;
	uint64_t shapes[CPROF_GC__SHAPES];
	uint64_t lines, records, skipped, malformed, other_traces;
	struct cprof_scav_stats scav;
	struct cprof_pacer_stats pacer;
};

/* Summarise log (which it does not change). Never fails; an empty log gives gc_count 0. */
void cprof_gc_summarize(const struct cprof_gclog *log, struct cprof_gc_summary *s);

/*
 * Minimum mutator utilisation over windows of w ms, of the utilisation
 * function the log describes (0 during STW phases, 1 - GC CPU share of P
 * during concurrent marking, 1 elsewhere), over [0, end of the last GC].
 * NaN when the log has no timestamps or spans less than w.
 */
double cprof_gc_mmu(const struct cprof_gclog *log, double w_ms);

struct cprof_sched_interval {
	double start_ms, end_ms;
	size_t samples;
	double util_pct, runqueue_mean, local_sum_mean, threads_mean;
	int32_t local_max;
	const char *state;          /* the first diagnosis that holds in it, or "" */
};

struct cprof_sched_summary {
	size_t samples, detail_samples;
	uint32_t runs;
	double first_ms, last_ms, span_ms;
	int32_t gomaxprocs, gomaxprocs_min, gomaxprocs_max;
	struct cprof_mmm idleprocs, util_pct, runqueue, local_sum, local_max, threads, idlethreads,
		spinning, runnable, syscall_threads, imbalance, goroutines;
	bool has_local, has_spinning;
	size_t starved, imbalanced, saturated; /* samples of each kind (see src/runtime/schedstats.c) */
	struct cprof_sched_interval interval[CPROF_MAX_INTERVALS];
	size_t ninterval;
	struct cprof_hint diag[CPROF_MAX_HINTS];
	size_t ndiag;
	struct cprof_sched_detail detail;  /* copied; reasons sorted by count */
	uint64_t lines, records, skipped, malformed, other_traces;
};

void cprof_sched_summarize(const struct cprof_schedlog *log, struct cprof_sched_summary *s);

/* ------------------------------------------------------------------ */
/* Comparison tables (src/runtime/gcstats.c, src/runtime/schedstats.c)                  */

/* One key figure of a summary, for -base comparisons and the JSON deltas. */
struct cprof_metric {
	const char *label;          /* text report */
	const char *key;            /* JSON */
	const char *unit;
	int decimals;
	int better;                 /* -1 lower is better, +1 higher, 0 neither */
};
extern const struct cprof_metric cprof_gc_metrics[];
extern const size_t cprof_gc_nmetrics;
double cprof_gc_metric(const struct cprof_gc_summary *s, size_t i);
extern const struct cprof_metric cprof_sched_metrics[];
extern const size_t cprof_sched_nmetrics;
double cprof_sched_metric(const struct cprof_sched_summary *s, size_t i);

/* A metric table with its getter, for code that serves both logs. */
struct cprof_metric_set {
	const struct cprof_metric *m;
	const size_t *n;
	double (*get)(const void *summary, size_t i);
};
extern const struct cprof_metric_set cprof_gc_metric_set, cprof_sched_metric_set;

/* ------------------------------------------------------------------ */
/* Rendering (render/)                                                  */

/* Where the data came from, for headers. */
struct cprof_runtime_src {
	const char *const *files;
	size_t nfiles;
};

/* Text reports; with base non-NULL, the side-by-side comparison. */
void cprof_gc_render_text(const struct cprof_gc_summary *s, const struct cprof_gclog *log,
			  const struct cprof_runtime_src *src, const struct cprof_gc_summary *base,
			  const struct cprof_runtime_src *base_src, struct strbuf *out);
void cprof_sched_render_text(const struct cprof_sched_summary *s, const struct cprof_runtime_src *src,
			     const struct cprof_sched_summary *base,
			     const struct cprof_runtime_src *base_src, struct strbuf *out);

/* JSON documents (one object, then a newline). */
void cprof_gc_render_json(const struct cprof_gc_summary *s, const struct cprof_gclog *log,
			  const struct cprof_gc_summary *base, struct strbuf *out);
void cprof_sched_render_json(const struct cprof_sched_summary *s, const struct cprof_sched_summary *base,
			     struct strbuf *out);

/* Self-contained SVG charts; with a base, the two logs side by side. */
void cprof_gc_render_svg(const struct cprof_gclog *log, const struct cprof_gc_summary *s,
			 const struct cprof_gclog *base, const struct cprof_gc_summary *bs,
			 const char *title, struct strbuf *out);
void cprof_sched_render_svg(const struct cprof_schedlog *log, const struct cprof_sched_summary *s,
			    const struct cprof_schedlog *base, const struct cprof_sched_summary *bs,
			    const char *title, struct strbuf *out);

/* JSON helpers shared by the renderers: a number (null for NaN/Inf), a quoted string. */
void cprof_json_num(struct strbuf *out, double v);
void cprof_json_str(struct strbuf *out, const char *s);

#endif
