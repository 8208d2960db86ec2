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
 * Memory is bounded whatever the length of the log: records are
 * aggregated as they stream (struct cprof_gcstats, struct
 * cprof_schedstats), percentiles from the distinct values and their
 * counts, minimum mutator utilisation over the GCs of the last second,
 * and what needs the whole span first (time slices, thirds) from runs of
 * consecutive records, one record each up to a bound, merged beyond it.
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

/* ---- streaming aggregates (src/runtime/gcstats.c) ---- */

/* mean/min/max of one figure over samples (NaN when there was none). */
struct cprof_mmm {
	size_t count;
	double mean, min, max;
};


/*
 * A distribution kept as its distinct values and their counts: exact
 * nearest-rank percentiles in memory that grows with the distinct values,
 * not with the values. gctrace prints its times with two significant
 * digits (whole ms from 10 ms), so millions of GCs make a few thousand.
 * Past CPROF_VALCOUNT_MAX distinct values (a synthetic or hostile log)
 * values are rounded to 11 significant bits from then on, the held ones
 * too: percentiles then within 0.05%; count, total, min and max stay exact.
 */
#define CPROF_VALCOUNT_MAX (1u << 17)
struct cprof_valcount_ent {
	double key;
	uint64_t count; /* 0: an empty slot */
};
struct cprof_valcount {
	struct cprof_valcount_ent *ent;
	size_t size, used; /* open addressing; size 0 or a power of 2 */
	bool rounded;
	size_t n;
	double total, min, max; /* total summed in the order the values came */
};

/* One GC as minimum mutator utilisation sees it (see src/runtime/gcstats.c). */
struct cprof_mmu_unit {
	double t, f, m, L, l, cum;
};

/*
 * Minimum mutator utilisation as the GCs stream: the GCs held are those of
 * the last window length and those whose windows are still open (a second's
 * worth), at most CPROF_MMU_RING_MAX; in a log with more GCs than that in a
 * second the oldest are let go early, and the figure may come out high.
 */
#define CPROF_MMU_MAX_WINDOWS 16
#define CPROF_MMU_RING_MAX (1u << 16)
struct cprof_mmu_stream {
	struct cprof_mmu_unit *u; /* a ring: unit i at u[i & (cap - 1)] */
	size_t cap, max_ring;     /* max_ring: CPROF_MMU_RING_MAX unless set lower (tests); a power of 2 */
	uint64_t lo, hi; /* units lo..hi-1 held; units are numbered from 1 */
	double t0, end, cum; /* the first start, the last end, the time lost before the next unit */
	size_t nw;
	double w[CPROF_MMU_MAX_WINDOWS], worst[CPROF_MMU_MAX_WINDOWS];
	uint64_t ab[CPROF_MMU_MAX_WINDOWS];  /* the first unit whose windows that start in it wait */
	uint64_t cd[CPROF_MMU_MAX_WINDOWS];  /* the first unit whose windows that end in it wait */
	uint64_t jab[CPROF_MMU_MAX_WINDOWS], jbb[CPROF_MMU_MAX_WINDOWS], jcd[CPROF_MMU_MAX_WINDOWS]; /* cursors */
	bool start_done[CPROF_MMU_MAX_WINDOWS];
	bool overflowed;
};

/*
 * Consecutive GCs summed up, for what needs the whole span of the log
 * before it knows where a GC goes (the time slices, the live-heap thirds,
 * the last quarter, the chart): one run per GC while the log has at most
 * CPROF_GC_MAX_RUNS of them, so that every figure is exact; beyond,
 * neighbouring runs are merged in pairs, and a run that straddles a slice
 * or a third goes with its first GC (the thirds' sums by share).
 */
#define CPROF_GC_MAX_RUNS (1u << 15)
struct cprof_gc_run {
	uint64_t num;          /* the first GC's number */
	double at_s;           /* the first GC's start (a timed run) */
	uint32_t n, nforced, npause, nlive, nreg, ngoal, nchart;
	bool timed;            /* its GCs are all timed, or none is */
	double pause_total, pause_max;          /* over finite pauses */
	int32_t heap_start_max, heap_end_max, live_max, goal_max, live_last, procs_max;
	double cpu, assist, background, idle;   /* finite figures summed */
	double live_sum, live_min;              /* GCs with a live heap figure */
	double sx, sy, sxx, sxy;                /* those timed: minutes and MB, for the slope */
	double goal_sum, goal_min;              /* GCs with a goal */
	double pair_cpu, pair_avail;            /* timed GC pairs whose first GC is here */
	double chart_cpu, chart_den;            /* the chart's GC CPU per interval */
};

#define CPROF_WORST_GCS 5

/* Everything the gctrace summary needs, gathered one GC at a time. */
struct cprof_gcstats {
	size_t forced, periodic, ntimed, nlive;
	int gc_cpu_pct_end;
	double assist_ms, background_ms, idle_ms, stw_cpu_ms, gc_cpu_ms;
	struct cprof_mmm heap_start, heap_end, heap_live, heap_goal; /* not done: mean holds the sum */
	int64_t heap_peak_mb, live_peak_mb, stacks_max_mb, globals_max_mb;
	int procs, procs_min, procs_max;
	double first_start, last_start, last_s, avail, timed_cpu;
	bool have_prev_timed;
	double prev_at, prev_cpu;   /* the last timed GC */
	int32_t prev_procs;
	size_t prev_run;            /* its run */
	struct cprof_valcount pause, mark, goal;
	struct cprof_gc worst[CPROF_WORST_GCS]; /* by pause */
	size_t nworst;
	struct cprof_mmu_stream mmu;
	struct cprof_gc_run *run;
	size_t nrun, max_runs;      /* max_runs: CPROF_GC_MAX_RUNS unless set lower (tests) */
	uint64_t per_run;           /* GCs a new run takes: 1, then 2, 4, ... once runs merge */
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
	size_t ngc;                 /* GCs read */
	struct cprof_gc last;       /* the last one, held back: the next line may complete it */
	struct cprof_gcstats stats; /* the GCs before it, aggregated */
	bool finished;              /* cprof_gclog_finish() ran */
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
/*
 * After the last line: the last GC, held back, joins the aggregates.
 * cprof_gc_summarize() needs it; no line may follow.
 */
void cprof_gclog_finish(struct cprof_gclog *log);
/*
 * The windows (ms, ascending, at most CPROF_MMU_MAX_WINDOWS) the
 * utilisation is computed for; cprof_mmu_windows_ms unless set before the
 * first line.
 */
void cprof_gclog_set_mmu_windows(struct cprof_gclog *log, const double *w_ms, size_t n);
/* A cprof_line_fn for cprof_log_read() with ctx = struct cprof_gclog *. */
void cprof_gclog_line_fn(void *ctx, const char *line, size_t len);
/*
 * The fuzz entry point: parse a whole buffer (any bytes) into log, then
 * finish it. Never fails.
 */
void cprof_gclog_parse_buffer(struct cprof_gclog *log, const char *buf, size_t len);

/* The aggregates (src/runtime/gcstats.c): gclog_init/release/add_line call these. */
void cprof_gcstats_init(struct cprof_gcstats *st);
void cprof_gcstats_release(struct cprof_gcstats *st);
/* Add one GC (in log order); next is the GC after it in the log, or NULL for the last. */
void cprof_gcstats_add(struct cprof_gcstats *st, const struct cprof_gc *g, const struct cprof_gc *next);

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

/*
 * What the diagnosis looks at, over any stretch of samples (a run, a time
 * slice, the whole log): see src/runtime/schedstats.c.
 */
struct cprof_sched_acc {
	size_t n, starved, imbalanced, saturated, noffp;
	double util_sum, runnable_sum, offp_sum;
	double threads_max, local_max, runqueue_max;
	double t0, t1;
};

/*
 * Consecutive samples summed up, as gctrace's runs (struct cprof_gc_run):
 * one per sample up to CPROF_SCHED_MAX_RUNS, then merged in pairs, for
 * the time slices and the chart (a merged run is charted as its means).
 */
#define CPROF_SCHED_MAX_RUNS (1u << 15)
struct cprof_sched_run {
	struct cprof_sched_acc acc;        /* t0: the first sample's time */
	double runqueue_sum, local_sum_sum, threads_sum, local_max_sum, idle_sum;
	uint32_t nlocal, nidle;
	int32_t local_max;
};

/* Everything the schedtrace summary needs, gathered one sample at a time. */
struct cprof_schedstats {
	struct cprof_sched_acc all;
	size_t detail_samples;
	double first_ms, last_ms;
	int32_t gomaxprocs, gomaxprocs_min, gomaxprocs_max;
	struct cprof_mmm mmm[12]; /* idleprocs, util_pct, ... (schedstats.c); not done: mean holds the sum */
	bool has_local, has_spinning;
	size_t starved, imbalanced, saturated;
	struct cprof_sched_run *run;
	size_t nrun, max_runs;
	uint64_t per_run;
};

struct cprof_schedlog {
	size_t ns;                    /* samples read */
	struct cprof_sched_sample last; /* the last one, held back: its scheddetail lines follow it */
	struct cprof_schedstats stats;  /* the samples before it, aggregated */
	bool finished;
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
/* After the last line (cprof_sched_summarize() needs it); no line may follow. */
void cprof_schedlog_finish(struct cprof_schedlog *log);
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

/* Add a (finite) value; fill d as cprof_dist_compute() of the values added would. */
void cprof_valcount_add(struct cprof_valcount *vc, double v);
void cprof_valcount_dist(const struct cprof_valcount *vc, struct cprof_dist *d);
void cprof_valcount_release(struct cprof_valcount *vc);


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
	struct cprof_gc worst[CPROF_WORST_GCS]; /* by pause, longest first */
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
 * NaN when the log has no timestamps or spans less than w, and when w is
 * not one of the log's windows (cprof_gclog_set_mmu_windows). The log
 * must be finished.
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

/* The aggregates (src/runtime/schedstats.c): schedlog_init/release/add_line call these. */
void cprof_schedstats_init(struct cprof_schedstats *st);
void cprof_schedstats_release(struct cprof_schedstats *st);
void cprof_schedstats_add(struct cprof_schedstats *st, const struct cprof_sched_sample *x);

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
