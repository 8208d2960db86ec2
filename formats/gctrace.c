/*
 * gctrace.c - the lines GODEBUG=gctrace=1 makes the Go runtime print, in
 * every shape the runtime has used, recognised by shape (never by version)
 * anywhere in a line.
 *
 * The GC line, concurrent collector (go1.5 and later):
 *
 *   gc N @S.SSSs P%: C+C+C ms clock, U+A/B/I+U ms cpu, H->H->H MB, G MB goal, K MB stacks, K MB globals, N P (forced)
 *   └┬─┘ └──┬──┘ └┬┘ └───┬───┘             └──────┬──────┘      └───┬──┘  └───┬───┘ └───────────┬─────────┘ └┬┘ └──┬───┘
 *   number  start  cumulative    wall-clock phases:      CPU: STW, assist/       heap at start, goal   go1.19+ (optional)  P   runtime.GC()
 *           (s)    GC CPU %      STW sweep term, mark,   background/idle mark,   end, live (MiB,
 *                                STW mark termination    STW                     truncated)
 *
 *   e.g. gc 3 @0.019s 21%: 0.073+11+0.067 ms clock, 0.14+11/10/0+0.13 ms cpu, 16->19->18 MB, 18 MB goal, 0 MB stacks, 0 MB globals, 4 P
 *        (go1.19.8, line 3 of testdata/runtime/gc_steady.log)
 *
 *   go1.7-1.18 print the same without stacks and globals; go1.5-1.6 print 5
 *   clock phases (sweep termination, scan, synchronise Ps, mark, mark
 *   termination) and 7 cpu values (sweepTerm+scan+installWB+A/B/I+markTerm):
 *
 *   gc 1 @0.161s 0%: 0.016+0.63+0.007+0.85+0.22 ms clock, 0.016+0.63+0+0/0.74/0+0.22 ms cpu, 4->4->0 MB, 4 MB goal, 1 P
 *
 * The stop-the-world collectors (go1.1-1.4), whose every phase was STW:
 *
 *   go1.1-1.2  gc N(W): M+S+R ms, H0 -> H1 MB O0 -> O1 (A-F) objects, ... handoff, ... steal, ... yields
 *   go1.3      gc N(W): T+T+T+T us, L -> H MB, O (A-F) objects, S/S/S sweeps, ... handoff, ... steal, ... yields
 *   go1.4      gc N(W): T+T+T+T us, L -> H MB, O (A-F) objects, G goroutines, S/S/S sweeps, ...
 *   e.g.       gc9(2): 12+1+744+8 us, 2 -> 10 MB, 108615 (593983-485368) objects, 4825/3620/0 sweeps, ...
 *
 *   W is the number of GC worker threads. In go1.1-1.2, H0 -> H1 is the heap
 *   before and after; in go1.3/1.4, L is the live heap after the previous
 *   GC and H the heap when this one started. Everything after "objects" is
 *   optional here: the guide quotes these lines cut short.
 *
 * The other lines of the same output:
 *
 *   GC forced                                          sysmon's 2-minute GC follows
 *   scvg3: 12 MB released                              go1.1-1.13 scavenger
 *   scvg3: inuse: 4, idle: 12, sys: 16, released: 12, consumed: 4 (MB)
 *   scvg-1: ... / forced scvg: ... / scvg: ... / scvg: 512 KB released
 *   scav 1024 KiB work, 8192 KiB total, 97% util (forced)     scavtrace, go1.14+
 *   scav 12 1024 KiB work, ...                         (the docs' shape, with a cycle number)
 *   scav 64 KiB work (bg), 0 KiB work (eager), 4096 KiB now, 99% util [controller reset]
 *   pacer: assist ratio=+2.635653e+001 (scan 3 MB in 4->4 MB) workers=1++0.000000e+000
 *   pacer: H_m_prev=... h_t=... u_a=+2.5e-001 u_g=+2.5e-001 W_a=... ...   (go1.5-1.17)
 *   pacer: 27% CPU (25 exp.) for 1085456+5584+226480 B work (226480 B exp.) in 3997696 B -> 5488640 B (∆goal 1294336, cons/mark +0.000000e+000)
 *   pacer: sweep done at heap size 4MB; allocated 0MB during sweep; swept 120 pages at +1.2e-004 pages/byte
 *
 * Floats in pacer lines come from the runtime's own printer:
 * [+-]d.dddddde[+-]ddd, NaN, +Inf, -Inf (print.go printfloat).
 *
 * Sources: the runtime's mgc.go/mgc0.c, mgcpacer.go, mgcscavenge.go,
 * mheap.go, proc.go of the releases named, as summarised in
 * ../shared/spec/go-runtime-logs.md; go1.19 lines recorded by
 * testdata/gen/runtime/.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/runtime_logs.h"
#include "cprof/util.h"
#include "logscan.h"

static const char *const shape_names[] = {
#define SHAPE_NAME_(name, label, text) label,
	CPROF_GC_SHAPES(SHAPE_NAME_)
#undef SHAPE_NAME_
};

const char *cprof_gc_shape_name(enum cprof_gc_shape shape)
{
	return (unsigned)shape < CPROF_GC__SHAPES ? shape_names[shape] : "unknown";
}

size_t cprof_parse_runtime_float(const char *p, size_t n, double *out)
{
	struct cur c = {p, p + n};
	return cur_rtfloat(&c, out) ? (size_t)(c.p - p) : 0;
}

static void gc_clear(struct cprof_gc *g)
{
	memset(g, 0, sizeof(*g));
	g->at_s = NAN;
	g->cpu_pct = -1;
	g->pause_ms = g->mark_ms = g->first_ms = NAN;
	g->stw_cpu_ms = g->assist_ms = g->background_ms = g->idle_ms = g->gc_cpu_ms = NAN;
	g->heap_start_mb = g->heap_end_mb = g->heap_live_mb = g->heap_goal_mb = -1;
	g->stacks_mb = g->globals_mb = g->prev_live_mb = -1;
	g->goroutines = -1;
	g->procs = -1;
}

/* A size in MB as int32 (saturated: no heap is 2 PB). */
static bool cur_mb(struct cur *c, int32_t *v)
{
	int64_t x;
	if (!cur_i64(c, &x))
		return false;
	*v = x > INT32_MAX ? INT32_MAX : x < -1 ? -1 : (int32_t)x;
	return true;
}

/* "D+D+D": up to max decimals separated by '+'; returns the count or 0. */
static unsigned plus_list(struct cur *c, double *v, unsigned max)
{
	unsigned n = 0;
	do {
		if (n == max || !cur_dec(c, &v[n]))
			return 0;
		n++;
	} while (cur_ch(c, '+'));
	return n;
}

/* The part after "gc N" of the concurrent shapes: " @S.SSSs P%: ..." */
static bool parse_concurrent(struct cur *c, struct cprof_gc *g)
{
	double k[5], u[7];
	int64_t pct;
	if (!cur_lit(c, " @") || !cur_dec(c, &g->at_s) || !cur_lit(c, "s ") || !cur_i64(c, &pct) ||
	    !cur_lit(c, "%: "))
		return false;
	g->cpu_pct = pct < 0 || pct > 10000 ? -1 : (int16_t)pct;
	unsigned nclock = plus_list(c, k, 5);
	if ((nclock != 3 && nclock != 5) || !cur_lit(c, " ms clock, "))
		return false;
	g->nclock = (uint8_t)nclock;

	/* cpu: values separated by '+' or '/', exactly two '/' around the mark split */
	unsigned ncpu = 0, nslash = 0, first_slash = 0;
	for (;;) {
		if (ncpu == 7 || !cur_dec(c, &u[ncpu]))
			return false;
		ncpu++;
		if (cur_ch(c, '/')) {
			if (nslash++ == 0)
				first_slash = ncpu;
		} else if (!cur_ch(c, '+')) {
			break;
		}
	}
	if (nslash != 2 || ncpu != nclock + 2 || first_slash != ncpu - 3 || !cur_lit(c, " ms cpu, "))
		return false;

	if (!cur_mb(c, &g->heap_start_mb) || !cur_lit(c, "->") || !cur_mb(c, &g->heap_end_mb) ||
	    !cur_lit(c, "->") || !cur_mb(c, &g->heap_live_mb) || !cur_lit(c, " MB"))
		return false;
	/* ", N MB goal", ", N MB stacks", ", N MB globals" (each optional), ", N P" */
	for (;;) {
		int32_t v;
		if (!cur_lit(c, ", ") || !cur_mb(c, &v))
			return false;
		if (cur_lit(c, " MB goal"))
			g->heap_goal_mb = v;
		else if (cur_lit(c, " MB stacks"))
			g->stacks_mb = v;
		else if (cur_lit(c, " MB globals") || cur_lit(c, "MB globals"))
			g->globals_mb = v;
		else if (cur_lit(c, " P")) {
			g->procs = v > 0 && v < 1 << 24 ? v : -1;
			break;
		} else
			return false;
	}
	g->forced = cur_lit(c, " (forced)");

	unsigned last = ncpu - 1, m = first_slash - 1; /* assist, background, idle at m..m+2 */
	g->assist_ms = u[m];
	g->background_ms = u[m + 1];
	g->idle_ms = u[m + 2];
	g->stw_cpu_ms = u[0] + u[last];
	g->gc_cpu_ms = 0;
	for (unsigned i = 0; i < ncpu; i++)
		g->gc_cpu_ms += i == m + 2 ? 0 : u[i];
	g->first_ms = k[0];
	if (nclock == 3) {
		g->shape = g->stacks_mb >= 0 || g->globals_mb >= 0 ? CPROF_GC_GO119 : CPROF_GC_GO17;
		g->pause_ms = k[0] + k[2];
		g->mark_ms = k[1];
	} else {
		/* go1.5-1.6: a forced GC ran every phase with the world stopped */
		g->shape = CPROF_GC_GO15;
		if (g->forced) {
			g->pause_ms = k[0] + k[1] + k[2] + k[3] + k[4];
		} else {
			g->pause_ms = k[0] + k[4];
			g->mark_ms = k[1] + k[2] + k[3];
		}
	}
	return true;
}

/* The part after "gc" of the STW shapes: "N(W): T+T+T[+T] ms|us, ..." */
static bool parse_stw(struct cur *c, struct cprof_gc *g)
{
	uint64_t workers;
	int32_t h0, h1;
	double k[5];
	if (!cur_u64(c, &g->num) || !cur_ch(c, '(') || !cur_u64(c, &workers) || !cur_lit(c, "): "))
		return false;
	g->procs = workers < 1 << 24 ? (int32_t)workers : -1;
	unsigned nclock = plus_list(c, k, 5);
	double scale;
	if (cur_lit(c, " ms, "))
		scale = 1;
	else if (cur_lit(c, " us, "))
		scale = 1e-3;
	else
		return false;
	if (nclock < 3 || nclock > 4)
		return false;
	g->nclock = (uint8_t)nclock;
	if (!cur_mb(c, &h0) || !cur_lit(c, " -> ") || !cur_mb(c, &h1) || !cur_lit(c, " MB"))
		return false;
	int64_t o0, o1, a, f;
	if (cur_lit(c, ", ")) {
		/* go1.3/1.4: L -> H MB, O (A-F) objects[, G goroutines] */
		if (!cur_i64(c, &o1) || !cur_lit(c, " (") || !cur_i64(c, &a) || !cur_ch(c, '-') ||
		    !cur_i64(c, &f) || !cur_lit(c, ") objects"))
			return false;
		int32_t gs;
		struct cur save = *c;
		if (cur_lit(c, ", ") && cur_mb(c, &gs) && cur_lit(c, " goroutines")) {
			g->goroutines = gs;
			g->shape = CPROF_GC_GO14;
		} else {
			*c = save;
			g->shape = CPROF_GC_GO13;
		}
		g->prev_live_mb = h0;
		g->heap_start_mb = h1;
	} else {
		/* go1.1-1.2: H0 -> H1 MB O0 -> O1 (A-F) objects */
		if (!cur_ch(c, ' ') || !cur_i64(c, &o0) || !cur_lit(c, " -> ") || !cur_i64(c, &o1) ||
		    !cur_lit(c, " (") || !cur_i64(c, &a) || !cur_ch(c, '-') || !cur_i64(c, &f) ||
		    !cur_lit(c, ") objects"))
			return false;
		g->shape = CPROF_GC_GO11;
		g->heap_start_mb = h0;
		g->heap_end_mb = g->heap_live_mb = h1;
	}
	g->pause_ms = 0;
	for (unsigned i = 0; i < nclock; i++)
		g->pause_ms += k[i] * scale;
	g->first_ms = k[0] * scale;
	return true;
}

size_t cprof_gctrace_parse_gc(const char *p, size_t n, struct cprof_gc *g)
{
	struct cur c = {p, p + n};
	gc_clear(g);
	if (!cur_lit(&c, "gc"))
		return 0;
	bool ok;
	if (cur_ch(&c, ' '))
		ok = cur_u64(&c, &g->num) && parse_concurrent(&c, g);
	else
		ok = parse_stw(&c, g);
	return ok ? (size_t)(c.p - p) : 0;
}

/* ---- scavenger ---- */

/* "scvg..." at c (after an optional "forced " the caller saw). */
static bool parse_scvg(struct cur *c, struct cprof_scav_stats *s, bool forced)
{
	uint64_t v;
	if (!cur_lit(c, "scvg"))
		return false;
	if (cur_lit(c, "-1"))
		forced = true; /* debug.FreeOSMemory */
	else
		(void)cur_u64(c, &v); /* cycle number, absent in go1.12+ */
	if (!cur_lit(c, ": "))
		return false;
	int64_t in, id, sy, re, co;
	if (cur_lit(c, "inuse: ")) {
		if (!cur_i64(c, &in) || !cur_lit(c, ", idle: ") || !cur_i64(c, &id) || !cur_lit(c, ", sys: ") ||
		    !cur_i64(c, &sy) || !cur_lit(c, ", released: ") || !cur_i64(c, &re) ||
		    !cur_lit(c, ", consumed: ") || !cur_i64(c, &co) || !cur_lit(c, " (MB)"))
			return false;
		s->inuse_mb = in, s->idle_mb = id, s->sys_mb = sy, s->rel_mb = re, s->consumed_mb = co;
	} else {
		if (!cur_u64(c, &v))
			return false;
		if (cur_lit(c, " MB released"))
			s->released_mb += (double)v;
		else if (cur_lit(c, " KB released"))
			s->released_mb += (double)v / 1024;
		else
			return false;
	}
	s->lines++;
	s->forced += forced;
	return true;
}

/* "scav ..." (scavtrace). */
static bool parse_scav(struct cur *c, struct cprof_scav_stats *s)
{
	uint64_t a, b, work;
	if (!cur_lit(c, "scav ") || !cur_u64(c, &a))
		return false;
	if (cur_lit(c, " KiB work"))
		work = a;
	else if (cur_ch(c, ' ') && cur_u64(c, &b) && cur_lit(c, " KiB work"))
		work = b; /* "scav # # KiB work": cycle number first */
	else
		return false;
	(void)cur_lit(c, " (bg)");
	bool util = false;
	while (cur_lit(c, ", ")) {
		if (!cur_u64(c, &a))
			return false;
		if (cur_lit(c, " KiB work (eager)")) {
			work += a;
		} else if (cur_lit(c, " KiB total") || cur_lit(c, " KiB now")) {
			s->total_kib = (int64_t)(a > INT64_MAX ? INT64_MAX : a);
		} else if (cur_lit(c, "% util")) {
			s->util_pct = a > 1000 ? -1 : (int)a;
			util = true;
		} else {
			return false;
		}
	}
	if (!util)
		return false;
	if (cur_lit(c, " (forced)"))
		s->forced++;
	else if (cur_lit(c, " [controller reset]"))
		s->resets++;
	s->released_mb += (double)work / 1024;
	s->lines++;
	return true;
}

/* ---- pacer ---- */

/* Find "key" in c and parse the runtime float after it. */
static bool find_float(const struct cur *c, const char *key, double *v)
{
	size_t kl = strlen(key);
	for (const char *p = c->p; p + kl <= c->e; p++) {
		p = memchr(p, key[0], (size_t)(c->e - p));
		if (!p || p + kl > c->e)
			return false;
		if (!memcmp(p, key, kl))
			return cprof_parse_runtime_float(p + kl, (size_t)(c->e - p - kl), v) != 0;
	}
	return false;
}

static bool parse_pacer(struct cur *c, struct cprof_pacer_stats *s)
{
	double v, ua, ug;
	int64_t pct, exp_;
	if (!cur_lit(c, "pacer: "))
		return false;
	if (cur_lit(c, "assist ratio=")) {
		if (!cur_rtfloat(c, &v))
			return false;
		s->starts++;
		if (isfinite(v)) {
			s->assist_ratio_sum += v;
			if (v > s->assist_ratio_max)
				s->assist_ratio_max = v;
		}
	} else if (cur_lit(c, "H_m_prev=")) {
		/* the proportional pacer (go1.5-1.17): utilisation u_a against goal u_g */
		s->ends++;
		if (find_float(c, " u_a=", &ua) && find_float(c, " u_g=", &ug) && isfinite(ua) &&
		    isfinite(ug)) {
			s->util_n++;
			s->util_sum += ua * 100;
			s->util_goal_sum += ug * 100;
		}
	} else if (cur_i64(c, &pct)) {
		if (!cur_lit(c, "% CPU (") || !cur_i64(c, &exp_) || !cur_lit(c, " exp.)"))
			return false;
		s->ends++;
		s->util_n++;
		s->util_sum += (double)pct;
		s->util_goal_sum += (double)exp_;
		if (cur_find(c, "[controller reset]"))
			s->resets++;
	} else if (cur_lit(c, "sweep done")) {
		s->sweeps++;
	} else {
		return false;
	}
	s->lines++;
	return true;
}

/* ---- the log ---- */

/* "gc N @" or "gcN(W): ": a GC line, whether or not the rest parses. */
static bool strong_gc_prefix(const char *p, size_t n)
{
	struct cur c = {p + 2, p + n};
	uint64_t v;
	if (cur_ch(&c, ' '))
		return cur_u64(&c, &v) && cur_lit(&c, " @");
	return cur_u64(&c, &v) && cur_ch(&c, '(') && cur_u64(&c, &v) && cur_lit(&c, "):");
}

void cprof_gclog_init(struct cprof_gclog *log)
{
	memset(log, 0, sizeof(*log));
	log->scav.inuse_mb = log->scav.idle_mb = log->scav.sys_mb = -1;
	log->scav.rel_mb = log->scav.consumed_mb = log->scav.total_kib = -1;
	log->scav.util_pct = -1;
	cprof_gcstats_init(&log->stats);
}

void cprof_gclog_release(struct cprof_gclog *log)
{
	cprof_gcstats_release(&log->stats);
	cprof_gclog_init(log);
}

void cprof_gclog_set_mmu_windows(struct cprof_gclog *log, const double *w_ms, size_t n)
{
	struct cprof_mmu_stream *m = &log->stats.mmu;
	m->nw = n < CPROF_MMU_MAX_WINDOWS ? n : CPROF_MMU_MAX_WINDOWS;
	memcpy(m->w, w_ms, m->nw * sizeof(*w_ms));
}

void cprof_gclog_finish(struct cprof_gclog *log)
{
	if (log->finished)
		return;
	if (log->ngc)
		cprof_gcstats_add(&log->stats, &log->last, NULL);
	log->finished = true;
}

/* End of a GC in seconds on the log's time line. */
static double gc_end_s(const struct cprof_gc *g)
{
	return g->at_s + cprof_gc_dur_ms(g) / 1000;
}

/*
 * The previous GC (log->last) is held back until this one is read: the
 * go1.3/1.4 line tells the live heap of the GC before it. Then it joins
 * the aggregates and this one is held back in turn.
 */
static void add_gc(struct cprof_gclog *log, struct cprof_gc *g)
{
	struct cprof_gc *prev = log->ngc ? &log->last : NULL;
	if (!log->runs)
		log->runs = 1;
	if (prev && g->num <= prev->num) {
		/* the numbering restarted: another run of the program (or another file) */
		log->runs++;
		if (isfinite(prev->at_s))
			log->time_offset_s = gc_end_s(prev);
		prev = NULL;
	}
	g->run = log->runs - 1;
	if (isfinite(g->at_s))
		g->at_s += log->time_offset_s;
	/* go1.3/1.4 tell the previous GC's live heap on the next line */
	if (prev && g->prev_live_mb >= 0 && prev->num + 1 == g->num && prev->heap_live_mb < 0)
		prev->heap_end_mb = prev->heap_live_mb = g->prev_live_mb;
	g->periodic = log->pending_periodic;
	log->pending_periodic = false;
	if (log->ngc)
		cprof_gcstats_add(&log->stats, &log->last, g);
	log->last = *g;
	log->ngc++;
	log->shapes[g->shape]++;
}

/* The bytes a record can start with: the scan skips every other byte in a tight loop. */
static const bool starts[256] = {['g'] = true, ['G'] = true, ['s'] = true, ['p'] = true, ['S'] = true};

enum cprof_gcline_kind cprof_gclog_add_line(struct cprof_gclog *log, const char *line, size_t len)
{
	bool looked = false;
	log->lines++;
	for (size_t i = 0; i < len; i++) {
		while (i < len && !starts[(unsigned char)line[i]])
			i++;
		if (i == len)
			break;
		const char *p = line + i;
		size_t n = len - i;
		switch (*p) {
		case 'g':
			if (n > 3 && p[1] == 'c' && (p[2] == ' ' ? is_digit(p[3]) : is_digit(p[2]))) {
				struct cprof_gc g;
				if (cprof_gctrace_parse_gc(p, n, &g)) {
					add_gc(log, &g);
					log->records++;
					return CPROF_GCLINE_GC;
				}
				looked |= strong_gc_prefix(p, n);
			}
			break;
		case 'G':
			if (n >= 9 && !memcmp(p, "GC forced", 9) && only_space(p + 9, n - 9)) {
				log->forced_lines++;
				log->pending_periodic = true;
				log->records++;
				return CPROF_GCLINE_FORCED;
			}
			break;
		case 's':
			if (n > 5 && p[1] == 'c' && p[2] == 'v' && p[3] == 'g') {
				struct cur c = {p, p + n};
				bool forced = i >= 7 && !memcmp(p - 7, "forced ", 7);
				looked = true;
				if (parse_scvg(&c, &log->scav, forced)) {
					log->records++;
					return CPROF_GCLINE_SCAV;
				}
			} else if (n > 5 && p[1] == 'c' && p[2] == 'a' && p[3] == 'v' && p[4] == ' ' &&
				   is_digit(p[5])) {
				struct cur c = {p, p + n};
				looked = true;
				if (parse_scav(&c, &log->scav)) {
					log->records++;
					return CPROF_GCLINE_SCAV;
				}
			}
			break;
		case 'p':
			if (n > 7 && !memcmp(p, "pacer: ", 7)) {
				struct cur c = {p, p + n};
				looked = true;
				if (parse_pacer(&c, &log->pacer)) {
					log->records++;
					return CPROF_GCLINE_PACER;
				}
			}
			break;
		case 'S':
			if (n > 7 && !memcmp(p, "SCHED ", 6) && is_digit(p[6])) {
				log->other_traces++;
				return CPROF_GCLINE_NONE;
			}
			break;
		default:
			break;
		}
	}
	if (looked)
		log->malformed++;
	return CPROF_GCLINE_NONE;
}

void cprof_gclog_line_fn(void *ctx, const char *line, size_t len)
{
	(void)cprof_gclog_add_line(ctx, line, len);
}

void cprof_gclog_parse_buffer(struct cprof_gclog *log, const char *buf, size_t len)
{
	cprof_log_split(buf, len, cprof_gclog_line_fn, log);
	cprof_gclog_finish(log);
}
