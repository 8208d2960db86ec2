/*
 * schedstats.c - what a schedtrace log says: utilisation of the Ps over
 * time, threads, run queues and their balance, and a diagnosis in the
 * terms of the Go performance guide (work shortage, load imbalance, too
 * many threads, CPU-bound); with scheddetail, P and G states and the top
 * wait reasons.
 *
 * Per sample (one SCHED line):
 *
 *   utilisation   (gomaxprocs - idleprocs) / gomaxprocs
 *   runnable      runqueue + the sum of the local run queues
 *   imbalance     longest local run queue - shortest
 *   off-P threads threads - idlethreads - busy Ps: threads neither idle nor
 *                 running Go code, i.e. in system calls, cgo, or the
 *                 runtime's own (sysmon, templates)
 *   starved       some P idle, and fewer runnable goroutines than idle Ps:
 *                 not enough work to go round (the guide's "shortage of
 *                 work": idleprocs=6 ... runqueue=0 [0 2 0 0 0 1 0 0])
 *   imbalanced    some P idle although there are at least as many runnable
 *                 goroutines as idle Ps, piled up (2 or more) in a P's
 *                 local queue or the global one
 *   saturated     no P idle and goroutines waiting to run
 * (the three are disjoint)
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/runtime_logs.h"
#include "cprof/util.h"

static int cmp_reason(const void *a, const void *b)
{
	const struct cprof_wait_reason *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* Wait reasons of the runtime's own goroutines: not the program's waiting. */
static bool runtime_reason(const char *r)
{
	static const char *const own[] = {"GC worker (idle)", "force gc (idle)", "GC sweep wait",
					  "GC scavenge wait", "finalizer wait", "timer goroutine (idle)",
					  "trace reader (blocked)", "wait for GC cycle"};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(own); i++)
		if (!strcmp(r, own[i]))
			return true;
	return false;
}

/* Which profile shows where goroutines wait for a reason (prefix match). */
static const struct {
	const char *prefix, *advice;
} reason_advice[] = {
	{"chan ", "channel operations: a block profile shows where"},
	{"select", "channel operations: a block profile shows where"},
	{"semacquire", "locks: mutex and block profiles show which"},
	{"sync.", "locks: mutex and block profiles show which"},
	{"IO wait", "the network: the program waits on its peers"},
	{"sleep", "timers (time.Sleep, tickers)"},
	{"GC assist", "the garbage collector: see cprof gctrace"},
};

static const char *advice_for(const char *r)
{
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(reason_advice); i++)
		if (!strncmp(r, reason_advice[i].prefix, strlen(reason_advice[i].prefix)))
			return reason_advice[i].advice;
	return NULL;
}


/* Idle Ps, and not even one runnable goroutine for each (the guide's "shortage of work"). */
static bool starved(const struct cprof_sched_sample *x)
{
	return x->idleprocs > 0 && (double)x->runqueue + x->local_sum < x->idleprocs;
}

/* Idle Ps although there is work enough for them, piled up in some queue. */
static bool imbalanced(const struct cprof_sched_sample *x)
{
	return x->idleprocs > 0 && (double)x->runqueue + x->local_sum >= x->idleprocs &&
	       (x->local_max >= 2 || x->runqueue >= 2);
}

static bool saturated(const struct cprof_sched_sample *x)
{
	return x->idleprocs == 0 && (double)x->runqueue + x->local_sum > 0; /* no int overflow */
}

static void acc_add(struct cprof_sched_acc *a, const struct cprof_sched_sample *x)
{
	double busy = (double)x->gomaxprocs - x->idleprocs;
	if (a->n == 0)
		a->t0 = x->t_ms;
	a->t1 = x->t_ms;
	a->n++;
	a->starved += starved(x);
	a->imbalanced += imbalanced(x);
	a->saturated += saturated(x);
	a->util_sum += 100 * busy / x->gomaxprocs;
	a->runnable_sum += (double)x->runqueue + x->local_sum;
	if (x->idlethreads >= 0) {
		a->offp_sum += fmax(0, x->threads - x->idlethreads - busy);
		a->noffp++;
	}
	a->threads_max = fmax(a->threads_max, x->threads);
	a->local_max = fmax(a->local_max, x->local_max);
	a->runqueue_max = fmax(a->runqueue_max, x->runqueue);
}

static void acc_merge(struct cprof_sched_acc *a, const struct cprof_sched_acc *b)
{
	if (!b->n)
		return;
	if (!a->n)
		a->t0 = b->t0;
	a->t1 = b->t1;
	a->n += b->n, a->starved += b->starved, a->imbalanced += b->imbalanced;
	a->saturated += b->saturated, a->noffp += b->noffp;
	a->util_sum += b->util_sum, a->runnable_sum += b->runnable_sum, a->offp_sum += b->offp_sum;
	a->threads_max = fmax(a->threads_max, b->threads_max);
	a->local_max = fmax(a->local_max, b->local_max);
	a->runqueue_max = fmax(a->runqueue_max, b->runqueue_max);
}

/* The diagnoses, most specific first. */
enum { D_THREADS, D_SHORTAGE, D_IMBALANCE, D_CPU, D__N };
static const char *const state_names[D__N] = {"threads", "starved", "imbalanced", "cpu-bound"};

static bool cond(int d, const struct cprof_sched_acc *a, int p)
{
	double n = (double)a->n, util = a->util_sum / n;
	switch (d) {
	case D_THREADS:
		/* in double: gomaxprocs comes from the log and may be as large as INT_MAX */
		return a->noffp && a->offp_sum / (double)a->noffp >= (4.0 * p > 32 ? 4.0 * p : 32);
	case D_SHORTAGE:
		return 100 * (double)a->starved / n >= 25 && util < 75;
	case D_IMBALANCE:
		return 100 * (double)a->imbalanced / n >= 5 && a->imbalanced >= 3;
	default:
		return 100 * (double)a->saturated / n >= 80 && util >= 95;
	}
}

/* One diagnosis with the evidence of a; when is "" or " (from X to Y ms)". */
static void say(struct cprof_sched_summary *s, int d, const struct cprof_sched_acc *a, const char *when, const char *why)
{
	double n = (double)a->n, util = a->util_sum / n;
	int p = s->gomaxprocs;
	struct cprof_hint *h;
	switch (d) {
	case D_THREADS:
		h = cprof_hint_add(s->diag, &s->ndiag, "too_many_threads",
			 "too many threads%s: up to %.0f threads for %d P, and on average %.0f of them neither "
			 "idle nor running Go code: blocked in system calls or cgo, each holding an OS "
			 "thread; use the netpoller (non-blocking I/O), or bound the number of goroutines "
			 "that make blocking calls",
			 when, a->threads_max, p, a->offp_sum / (double)a->noffp);
		break;
	case D_SHORTAGE:
		h = cprof_hint_add(s->diag, &s->ndiag, "work_shortage",
			 "work shortage%s: Ps were idle with less runnable work than idle Ps in %.0f%% of samples and the "
			 "mean utilisation was %.0f%% of %d P; the program does not have enough runnable "
			 "goroutines to keep the Ps busy%s. Find where goroutines block with a goroutine "
			 "profile (cprof -top goroutine.pb.gz) and a block profile",
			 when, 100 * (double)a->starved / n, util, p, why ? why : "");
		break;
	case D_IMBALANCE:
		h = cprof_hint_add(s->diag, &s->ndiag, "load_imbalance",
			 "load imbalance%s: in %.0f%% of samples (%zu) some Ps were idle while goroutines "
			 "waited in a run queue (up to %.0f on one P, %.0f in the global queue); work is "
			 "created in bursts faster than idle Ps steal it: spread the spawning over several "
			 "goroutines or hand out fewer, larger pieces of work",
			 when, 100 * (double)a->imbalanced / n, a->imbalanced, a->local_max, a->runqueue_max);
		break;
	default:
		h = cprof_hint_add(s->diag, &s->ndiag, "cpu_bound",
			 "CPU-bound%s: every P was busy in %.0f%% of samples with %.1f goroutines waiting to "
			 "run on average: the program uses all %d P; it scales with more CPUs (GOMAXPROCS), "
			 "or with cheaper work (CPU profile)",
			 when, 100 * (double)a->saturated / n, a->runnable_sum / n, p);
		break;
	}
	if (*when)
		h->from = a->t0, h->to = a->t1;
}

/* Why goroutines waited, from scheddetail: the top reason that is the program's own. */
static void wait_why(const struct cprof_sched_summary *s, char *why, size_t n)
{
	const struct cprof_sched_detail *d = &s->detail;
	uint64_t waiting = d->g_state[4];
	why[0] = '\0';
	for (size_t i = 0; i < CPROF_WAIT_REASONS_MAX && d->reason[i].count && waiting; i++) {
		const char *r = d->reason[i].name;
		if (runtime_reason(r))
			continue;
		const char *adv = advice_for(r);
		snprintf(why, n, "; its goroutines waited most often on \"%s\" (%.0f%% of waiting goroutines)%s%s", r,
			 100.0 * (double)d->reason[i].count / (double)waiting, adv ? ": " : "", adv ? adv : "");
		return;
	}
}

/*
 * Each diagnosis is tried on the whole log, then, when it does not hold
 * there, on runs of consecutive intervals (at least 5 samples), so a
 * phase of a long log gets its diagnosis with its time range.
 */
static void diagnose(struct cprof_sched_summary *s, const struct cprof_sched_acc *all, const struct cprof_sched_acc *iv, size_t niv)
{
	char why[300];
	wait_why(s, why, sizeof(why));
	for (int d = 0; d < D__N; d++) {
		if (cond(d, all, s->gomaxprocs)) {
			say(s, d, all, "", why);
			continue;
		}
		for (size_t i = 0; i < niv;) {
			if (!iv[i].n || !cond(d, &iv[i], s->gomaxprocs)) {
				i++;
				continue;
			}
			struct cprof_sched_acc run = {0};
			while (i < niv && iv[i].n && cond(d, &iv[i], s->gomaxprocs))
				acc_merge(&run, &iv[i++]);
			if (run.n < 5)
				continue;
			char when[96];
			snprintf(when, sizeof(when), " from %.0f to %.0f ms", run.t0, run.t1);
			say(s, d, &run, when, NULL);
		}
	}
	for (size_t i = 0; i < niv; i++) {
		s->interval[i].state = "";
		for (int d = 0; d < D__N; d++)
			if (iv[i].n && cond(d, &iv[i], s->gomaxprocs)) {
				s->interval[i].state = state_names[d];
				break;
			}
	}
	if (s->gomaxprocs_min != s->gomaxprocs_max)
		cprof_hint_add(s->diag, &s->ndiag, "gomaxprocs_changed", "GOMAXPROCS changed during the log: from %d to %d P",
		     s->gomaxprocs_min, s->gomaxprocs_max);
	if (s->ndiag == 0)
		cprof_hint_add(s->diag, &s->ndiag, "no_problem",
		     "no scheduler problem stands out: mean utilisation %.0f%% of %d P, %.1f goroutines "
		     "runnable on average, at most %.0f threads",
		     s->util_pct.mean, s->gomaxprocs, s->runnable.mean, s->threads.max);
}

/* ---- runs of samples, and the aggregates ---- */

/* The twelve mean/min/max figures of the summary, in the order of st->mmm. */
enum { M_IDLEPROCS, M_UTIL, M_RUNQUEUE, M_THREADS, M_RUNNABLE, M_IDLETHREADS, M_SYSCALL, M_SPINNING,
       M_LOCAL_SUM, M_LOCAL_MAX, M_IMBALANCE, M_GOROUTINES, M__N };

void cprof_schedstats_init(struct cprof_schedstats *st)
{
	memset(st, 0, sizeof(*st));
	st->first_ms = st->last_ms = NAN;
	st->gomaxprocs = st->gomaxprocs_min = st->gomaxprocs_max = -1;
	st->max_runs = CPROF_SCHED_MAX_RUNS;
	st->per_run = 1;
}

void cprof_schedstats_release(struct cprof_schedstats *st)
{
	free(st->run);
	memset(st, 0, sizeof(*st));
}

static void run_merge(struct cprof_sched_run *a, const struct cprof_sched_run *b)
{
	acc_merge(&a->acc, &b->acc);
	a->runqueue_sum += b->runqueue_sum, a->local_sum_sum += b->local_sum_sum;
	a->threads_sum += b->threads_sum, a->local_max_sum += b->local_max_sum, a->idle_sum += b->idle_sum;
	a->nlocal += b->nlocal, a->nidle += b->nidle;
	if (b->local_max > a->local_max)
		a->local_max = b->local_max;
}

/* The run x goes into; when all are used, neighbours merge in pairs and runs take twice as many. */
static struct cprof_sched_run *run_for(struct cprof_schedstats *st)
{
	if (st->nrun && st->run[st->nrun - 1].acc.n < st->per_run)
		return &st->run[st->nrun - 1];
	if (st->nrun == st->max_runs) {
		size_t m = 0;
		for (size_t i = 0; i < st->nrun; i += 2) {
			st->run[m] = st->run[i];
			if (i + 1 < st->nrun)
				run_merge(&st->run[m], &st->run[i + 1]);
			m++;
		}
		st->nrun = m;
		st->per_run *= 2;
	}
	if (!st->run)
		st->run = cprof_xmalloc(st->max_runs * sizeof(*st->run));
	struct cprof_sched_run *r = &st->run[st->nrun++];
	memset(r, 0, sizeof(*r));
	return r;
}

void cprof_schedstats_add(struct cprof_schedstats *st, const struct cprof_sched_sample *x)
{
	double busy = (double)x->gomaxprocs - x->idleprocs;
	double runnable = (double)x->runqueue + x->local_sum;
	st->detail_samples += x->detail;
	if (isnan(st->first_ms))
		st->first_ms = x->t_ms;
	st->last_ms = x->t_ms;
	st->gomaxprocs = x->gomaxprocs;
	if (st->gomaxprocs_min < 0 || x->gomaxprocs < st->gomaxprocs_min)
		st->gomaxprocs_min = x->gomaxprocs;
	if (x->gomaxprocs > st->gomaxprocs_max)
		st->gomaxprocs_max = x->gomaxprocs;
	cprof_mmm_add(&st->mmm[M_IDLEPROCS], x->idleprocs);
	cprof_mmm_add(&st->mmm[M_UTIL], 100 * busy / x->gomaxprocs);
	cprof_mmm_add(&st->mmm[M_RUNQUEUE], x->runqueue);
	cprof_mmm_add(&st->mmm[M_THREADS], x->threads);
	cprof_mmm_add(&st->mmm[M_RUNNABLE], runnable);
	if (x->idlethreads >= 0) {
		cprof_mmm_add(&st->mmm[M_IDLETHREADS], x->idlethreads);
		cprof_mmm_add(&st->mmm[M_SYSCALL], fmax(0, x->threads - x->idlethreads - busy));
	}
	if (x->spinning >= 0) {
		st->has_spinning = true;
		cprof_mmm_add(&st->mmm[M_SPINNING], x->spinning);
	}
	if (x->nlocal > 0) {
		st->has_local = true;
		cprof_mmm_add(&st->mmm[M_LOCAL_SUM], x->local_sum);
		cprof_mmm_add(&st->mmm[M_LOCAL_MAX], x->local_max);
		cprof_mmm_add(&st->mmm[M_IMBALANCE], x->local_max - x->local_min);
	}
	if (x->detail)
		cprof_mmm_add(&st->mmm[M_GOROUTINES], x->ng);
	st->starved += starved(x);
	st->imbalanced += imbalanced(x);
	st->saturated += saturated(x);
	acc_add(&st->all, x);

	struct cprof_sched_run *r = run_for(st);
	acc_add(&r->acc, x);
	r->runqueue_sum += x->runqueue;
	r->local_sum_sum += x->local_sum;
	r->threads_sum += x->threads;
	if (x->local_max > r->local_max)
		r->local_max = x->local_max;
	if (x->nlocal) {
		r->local_max_sum += x->local_max;
		r->nlocal++;
	}
	if (x->idlethreads >= 0) {
		r->idle_sum += x->idlethreads;
		r->nidle++;
	}
}

void cprof_sched_summarize(const struct cprof_schedlog *log, struct cprof_sched_summary *s)
{
	const struct cprof_schedstats *st = &log->stats;
	memset(s, 0, sizeof(*s));
	size_t n = log->ns;
	s->samples = n;
	s->runs = log->runs;
	s->lines = log->lines;
	s->records = log->records;
	s->skipped = log->lines - log->records;
	s->malformed = log->malformed;
	s->other_traces = log->other_traces;
	s->detail = log->detail;
	qsort(s->detail.reason, CPROF_WAIT_REASONS_MAX, sizeof(s->detail.reason[0]), cmp_reason);
	s->first_ms = st->first_ms;
	s->last_ms = st->last_ms;
	s->span_ms = NAN;
	s->gomaxprocs = st->gomaxprocs;
	s->gomaxprocs_min = st->gomaxprocs_min;
	s->gomaxprocs_max = st->gomaxprocs_max;
	s->detail_samples = st->detail_samples;
	struct cprof_mmm *out[M__N] = {&s->idleprocs, &s->util_pct, &s->runqueue, &s->threads, &s->runnable,
				       &s->idlethreads, &s->syscall_threads, &s->spinning, &s->local_sum,
				       &s->local_max, &s->imbalance, &s->goroutines};
	for (int i = 0; i < M__N; i++) {
		*out[i] = st->mmm[i];
		cprof_mmm_done(out[i]);
	}
	s->has_local = st->has_local;
	s->has_spinning = st->has_spinning;
	s->starved = st->starved;
	s->imbalanced = st->imbalanced;
	s->saturated = st->saturated;
	struct cprof_sched_acc iv_acc[CPROF_MAX_INTERVALS];
	memset(iv_acc, 0, sizeof(iv_acc));
	if (n)
		s->span_ms = s->last_ms - s->first_ms;

	/* intervals: up to 10 equal slices of the span; a sample (a run) goes to the slice of its time */
	if (n >= 2 && s->span_ms > 0) {
		size_t k = n < CPROF_MAX_INTERVALS ? n : CPROF_MAX_INTERVALS;
		double width = s->span_ms / (double)k;
		double th[CPROF_MAX_INTERVALS] = {0};
		s->ninterval = k;
		for (size_t j = 0; j < k; j++) {
			s->interval[j].start_ms = s->first_ms + width * (double)j;
			s->interval[j].end_ms = j + 1 == k ? s->last_ms : s->first_ms + width * (double)(j + 1);
		}
		for (size_t i = 0; i < st->nrun; i++) {
			const struct cprof_sched_run *r = &st->run[i];
			/* a time before first_ms (clock restarts, hand edits) goes to the first slice */
			double pos = (r->acc.t0 - s->first_ms) / width;
			size_t j = !(pos > 0) ? 0 : pos >= (double)k ? k - 1 : (size_t)pos;
			struct cprof_sched_interval *iv = &s->interval[j];
			acc_merge(&iv_acc[j], &r->acc);
			iv->samples += r->acc.n;
			iv->util_pct += r->acc.util_sum;
			iv->runqueue_mean += r->runqueue_sum;
			iv->local_sum_mean += r->local_sum_sum;
			th[j] += r->threads_sum;
			if (r->local_max > iv->local_max)
				iv->local_max = r->local_max;
		}
		for (size_t j = 0; j < k; j++) {
			struct cprof_sched_interval *iv = &s->interval[j];
			double c = (double)iv->samples;
			if (iv->samples) {
				iv->util_pct /= c;
				iv->runqueue_mean /= c;
				iv->local_sum_mean /= c;
				iv->threads_mean = th[j] / c;
			} else {
				iv->util_pct = iv->runqueue_mean = iv->local_sum_mean = iv->threads_mean = NAN;
			}
		}
	}
	if (n)
		diagnose(s, &st->all, iv_acc, s->ninterval);
}

/* ---- comparison table ---- */

#define SCHED_METRICS(X)                                                                          \
	X("samples", "samples", "", 0, 0, (double)s->samples)                                       \
	X("span", "span_ms", "ms", 0, 0, s->span_ms)                                                  \
	X("GOMAXPROCS", "gomaxprocs", "", 0, 0, (double)s->gomaxprocs)                               \
	X("utilisation mean", "utilisation_percent.mean", "%", 1, 1, s->util_pct.mean)               \
	X("idle Ps mean", "idleprocs.mean", "", 2, -1, s->idleprocs.mean)                            \
	X("global queue mean", "global_runqueue.mean", "", 2, -1, s->runqueue.mean)                   \
	X("global queue max", "global_runqueue.max", "", 0, -1, s->runqueue.max)                      \
	X("local queues mean", "local_runqueue_sum.mean", "", 2, -1, s->local_sum.mean)               \
	X("local queues max", "local_runqueue_sum.max", "", 0, -1, s->local_sum.max)                  \
	X("imbalance mean", "local_runqueue_imbalance.mean", "", 2, -1, s->imbalance.mean)            \
	X("threads max", "threads.max", "", 0, -1, s->threads.max)                                    \
	X("idle threads mean", "idlethreads.mean", "", 2, 0, s->idlethreads.mean)                     \
	X("spinning mean", "spinningthreads.mean", "", 2, -1, s->spinning.mean)                       \
	X("off-P threads mean", "offp_threads.mean", "", 2, -1, s->syscall_threads.mean)              \
	X("starved samples", "starved_percent", "%", 1, -1,                                           \
	  s->samples ? 100.0 * (double)s->starved / (double)s->samples : NAN)                         \
	X("imbalanced samples", "imbalanced_percent", "%", 1, -1,                                     \
	  s->samples ? 100.0 * (double)s->imbalanced / (double)s->samples : NAN)

const struct cprof_metric cprof_sched_metrics[] = {
#define SCHED_METRIC_ROW_(label, key, unit, dec, better, expr) {label, key, unit, dec, better},
	SCHED_METRICS(SCHED_METRIC_ROW_)
#undef SCHED_METRIC_ROW_
};
const size_t cprof_sched_nmetrics = CPROF_ARRAY_SIZE(cprof_sched_metrics);

double cprof_sched_metric(const struct cprof_sched_summary *s, size_t i)
{
	size_t k = 0;
#define SCHED_METRIC_GET_(label, key, unit, dec, better, expr) \
	if (k++ == i)                                              \
		return (expr);
	SCHED_METRICS(SCHED_METRIC_GET_)
#undef SCHED_METRIC_GET_
	return NAN;
}

static double sched_metric_get(const void *s, size_t i)
{
	return cprof_sched_metric(s, i);
}

const struct cprof_metric_set cprof_sched_metric_set = {cprof_sched_metrics, &cprof_sched_nmetrics,
							 sched_metric_get};
