/* test_runtime.c - gctrace/schedtrace parsers, the streaming reader, the analysis. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "cprof/runtime_logs.h"

#define CHECK_NEAR(a, b)                                                                              \
	do {                                                                                              \
		double a_ = (a), b_ = (b);                                                                    \
		if (!(fabs(a_ - b_) <= 1e-9 * (1 + fabs(b_)))) {                                              \
			fprintf(stderr, "%s:%d: %s == %.12g, want %.12g\n", __FILE__, __LINE__, #a, a_, b_);     \
			return 1;                                                                                 \
		}                                                                                             \
	} while (0)

static struct cprof_gc parse1(const char *line, size_t *used)
{
	struct cprof_gc g;
	*used = cprof_gctrace_parse_gc(line, strlen(line), &g);
	return g;
}

int test_rt_float(void)
{
	static const struct {
		const char *in;
		double want;
		size_t used;
	} cases[] = {
		{"+2.635653e+001", 26.35653, 14}, {"-1.500000e-003", -0.0015, 14}, {"+0.000000e+000", 0, 14},
		{"12.5", 12.5, 4},                {"7", 7, 1},                      {"+1.0e+308x", 1e308, 9},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double v = 0;
		size_t n = cprof_parse_runtime_float(cases[i].in, strlen(cases[i].in), &v);
		CHECK_INT(n, cases[i].used);
		CHECK_NEAR(v, cases[i].want);
	}
	double v;
	CHECK_INT(cprof_parse_runtime_float("NaN", 3, &v), 3);
	CHECK(isnan(v));
	CHECK_INT(cprof_parse_runtime_float("+Inf", 4, &v), 4);
	CHECK(isinf(v) && v > 0);
	CHECK_INT(cprof_parse_runtime_float("-Inf", 4, &v), 4);
	CHECK(isinf(v) && v < 0);
	CHECK_INT(cprof_parse_runtime_float("+", 1, &v), 0);
	CHECK_INT(cprof_parse_runtime_float("e5", 2, &v), 0);
	/* an exponent without digits is not part of the number */
	CHECK_INT(cprof_parse_runtime_float("1.5e", 4, &v), 3);
	/* absurd exponents saturate instead of overflowing the parser */
	CHECK_INT(cprof_parse_runtime_float("1e99999999999999999999", 22, &v), 22);
	CHECK(isinf(v));
	return 0;
}

int test_rt_gc_shapes(void)
{
	size_t n;
	/* go1.19+ */
	struct cprof_gc g = parse1("gc 3 @0.037s 8%: 0.51+28+0.086 ms clock, 1.0+3.0/11/0+0.17 ms cpu, "
				   "17->30->28 MB, 20 MB goal, 0 MB stacks, 1 MB globals, 4 P",
				   &n);
	CHECK(n > 0);
	CHECK_INT(g.shape, CPROF_GC_GO119);
	CHECK_INT(g.num, 3);
	CHECK_NEAR(g.at_s, 0.037);
	CHECK_INT(g.cpu_pct, 8);
	CHECK_NEAR(g.pause_ms, 0.51 + 0.086);
	CHECK_NEAR(g.mark_ms, 28);
	CHECK_NEAR(g.assist_ms, 3.0);
	CHECK_NEAR(g.background_ms, 11);
	CHECK_NEAR(g.idle_ms, 0);
	CHECK_NEAR(g.stw_cpu_ms, 1.17);
	CHECK_NEAR(g.gc_cpu_ms, 1.0 + 3.0 + 11 + 0.17);
	CHECK_INT(g.heap_start_mb, 17);
	CHECK_INT(g.heap_end_mb, 30);
	CHECK_INT(g.heap_live_mb, 28);
	CHECK_INT(g.heap_goal_mb, 20);
	CHECK_INT(g.stacks_mb, 0);
	CHECK_INT(g.globals_mb, 1);
	CHECK_INT(g.procs, 4);
	CHECK(!g.forced);

	/* go1.7-1.18, forced */
	g = parse1("gc 5 @4.001s 1%: 0.050+1.0+0.030 ms clock, 0.20+0/0.9/0+0.12 ms cpu, 4->4->2 MB, 8 MB goal, 4 P (forced)", &n);
	CHECK(n > 0);
	CHECK_INT(g.shape, CPROF_GC_GO17);
	CHECK(g.forced);
	CHECK_INT(g.stacks_mb, -1);
	CHECK_NEAR(g.pause_ms, 0.08);

	/* go1.5: 5 phases; unforced STW = first + last */
	g = parse1("gc 1 @0.161s 0%: 0.016+0.63+0.007+0.85+0.22 ms clock, 0.016+0.63+0+0/0.74/0+0.22 ms cpu, "
		   "4->4->0 MB, 4 MB goal, 1 P",
		   &n);
	CHECK(n > 0);
	CHECK_INT(g.shape, CPROF_GC_GO15);
	CHECK_NEAR(g.pause_ms, 0.236);
	CHECK_NEAR(g.mark_ms, 0.63 + 0.007 + 0.85);
	CHECK_NEAR(g.assist_ms, 0);
	CHECK_NEAR(g.background_ms, 0.74);
	CHECK_NEAR(g.gc_cpu_ms, 0.016 + 0.63 + 0.74 + 0.22);
	/* forced go1.5: every phase stopped the world */
	g = parse1("gc 3 @0.910s 1%: 2.1+0+0+0+4.4 ms clock, 8.4+0+0+0/0/0+17 ms cpu, 6->6->3 MB, 7 MB goal, 4 P (forced)", &n);
	CHECK(n > 0 && g.forced);
	CHECK_NEAR(g.pause_ms, 6.5);
	CHECK(isnan(g.mark_ms));

	/* go1.4 */
	g = parse1("gc6(5): 0+0+0+1000 us, 0 -> 0 MB, 2118 (2655-537) objects, 85 goroutines, 109/0/0 sweeps, "
		   "8(66) handoff, 11(38) steal, 103/4/0 yields",
		   &n);
	CHECK(n > 0);
	CHECK_INT(g.shape, CPROF_GC_GO14);
	CHECK_INT(g.num, 6);
	CHECK_INT(g.procs, 5);
	CHECK_NEAR(g.pause_ms, 1.0);
	CHECK_INT(g.goroutines, 85);
	CHECK(isnan(g.at_s));
	/* go1.3, cut short after "objects" as the guide prints it */
	g = parse1("gc9(2): 12+1+744+8 us, 2 -> 10 MB, 108615 (593983-485368) objects, 4825/3620/0 sweeps, 0(0)", &n);
	CHECK(n > 0);
	CHECK_INT(g.shape, CPROF_GC_GO13);
	CHECK_NEAR(g.pause_ms, 0.765);
	CHECK_INT(g.prev_live_mb, 2);
	CHECK_INT(g.heap_start_mb, 10);
	CHECK_INT(g.heap_live_mb, -1);
	/* go1.1: ms, before -> after */
	g = parse1("gc2(4): 2+1+0 ms, 4 -> 2 MB 35102 -> 21050 (57009-35959) objects, 12(345) handoff", &n);
	CHECK(n > 0);
	CHECK_INT(g.shape, CPROF_GC_GO11);
	CHECK_NEAR(g.pause_ms, 3);
	CHECK_INT(g.heap_start_mb, 4);
	CHECK_INT(g.heap_live_mb, 2);

	/* not GC lines */
	static const char *const bad[] = {
		"gc 3 @0.037s 8%: 0.51+28 ms clock, 1.0+3.0/11/0+0.17 ms cpu, 17->30->28 MB, 20 MB goal, 4 P",
		"gc 3 @0.037s 8%: 0.51+28+0.086 ms clock, 1.0+3.0+11+0+0.17 ms cpu, 17->30->28 MB, 4 P",
		"gc 3 @0.037s 8%: 0.51+28+0.086 ms clock, 1.0+3.0/11/0+0.17 ms cpu, 17->30->28 MB, 20 MB goal",
		"gc 53 @2026/11/22 05:46:15.683525 INFO handled 3389 requests (tick 27)",
		"gc9(2): 12+1+744+8 us, 2 -> 10 MB",
		"gc", "gc 1", "gcc -O2 main.c",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		parse1(bad[i], &n);
		if (n) {
			fprintf(stderr, "accepted: %s\n", bad[i]);
			return 1;
		}
	}
	return 0;
}

int test_rt_gc_log(void)
{
	static const char text[] =
		"starting\n"
		"2024-01-01T00:00:00Z app: gc 1 @0.010s 1%: 0.1+2+0.1 ms clock, 0.4+0.5/1.5/0.5+0.4 ms cpu, 4->5->2 MB, 5 MB goal, 4 P\n"
		"gc 2 @0.020s 2%: 0.2+3+0.2 ms clock, 0.8+1/2/1+0.8 ms cpu, 4->6->3 MB, 5 MB goal, 4 P (forced)\r\n"
		"GC forced\n"
		"gc 3 @121.000s 0%: 0.1+1+0.3 ms clock, 0.4+0/1/0+1.2 ms cpu, 4->4->2 MB, 6 MB goal, 4 P\n"
		"gc 4 @121.5"                     /* cut short */
		"\n"
		"gc 1 @0.005s 3%: 0.1+1+0.1 ms clock, 0.4+0/1/0+0.4 ms cpu, 4->4->1 MB, 4 MB goal, 2 P\n" /* restart */
		"scav 1024 KiB work, 8192 KiB total, 97% util (forced)\n"
		"pacer: assist ratio=+2.000000e+000 (scan 3 MB in 4->4 MB) workers=1++0.000000e+000\n"
		"pacer: 30% CPU (25 exp.) for 1+2+3 B work (4 B exp.) in 5 B -> 6 B (\xe2\x88\x86goal 7, cons/mark +1.0e+000)[controller reset]\n"
		"SCHED 100ms: gomaxprocs=4 idleprocs=4 threads=5 spinningthreads=0 idlethreads=3 runqueue=0 [0 0 0 0]\n"
		"the end";
	struct cprof_gclog log;
	cprof_gclog_init(&log);
	cprof_gclog_parse_buffer(&log, text, strlen(text));
	CHECK_INT(log.lines, 12);
	CHECK_INT(log.ngc, 4);
	CHECK_INT(log.records, 8);
	CHECK_INT(log.malformed, 1);
	CHECK_INT(log.other_traces, 1);
	CHECK_INT(log.forced_lines, 1);
	CHECK_INT(log.runs, 2);
	/* one run of the aggregates per GC in a log this short */
	CHECK_INT(log.stats.nrun, 4);
	CHECK(log.stats.run[1].nforced == 1 && log.stats.run[0].nforced == 0);
	/* the restarted run continues after the end of the previous one */
	CHECK_NEAR(log.stats.run[3].at_s, 121.0 + 1.4 / 1000 + 0.005);
	CHECK_INT(log.stats.run[3].num, 1);
	CHECK_INT(log.scav.lines, 1);
	CHECK_INT(log.scav.forced, 1);
	CHECK_INT(log.scav.total_kib, 8192);
	CHECK_NEAR(log.scav.released_mb, 1);
	CHECK_INT(log.pacer.starts, 1);
	CHECK_INT(log.pacer.ends, 1);
	CHECK_INT(log.pacer.resets, 1);
	CHECK_NEAR(log.pacer.util_sum, 30);

	struct cprof_gc_summary s;
	cprof_gc_summarize(&log, &s);
	CHECK_INT(s.gc_count, 4);
	CHECK_INT(s.forced_count, 1);
	CHECK_INT(s.periodic_count, 1);
	CHECK_INT(s.gc_cpu_pct_end, 3);
	CHECK_INT(s.heap_peak_mb, 6);
	CHECK_INT(s.live_peak_mb, 3);
	CHECK_INT(s.goal_min_mb, 4);
	CHECK_INT(s.goal_max_mb, 6);
	CHECK_INT(s.procs, 2);
	CHECK_INT(s.procs_max, 4);
	CHECK_NEAR(s.pause_ms.max, 0.4);
	CHECK_NEAR(s.pause_ms.total, 0.2 + 0.4 + 0.4 + 0.2);
	cprof_gclog_release(&log);
	return 0;
}

int test_rt_dist(void)
{
	double v[100];
	struct cprof_dist d;
	for (int i = 0; i < 100; i++)
		v[i] = 100 - i; /* unsorted on purpose */
	cprof_dist_compute(&d, v, 100);
	CHECK_INT(d.count, 100);
	CHECK_NEAR(d.p50, 50);
	CHECK_NEAR(d.p90, 90);
	CHECK_NEAR(d.p95, 95);
	CHECK_NEAR(d.p99, 99);
	CHECK_NEAR(d.max, 100);
	CHECK_NEAR(d.min, 1);
	CHECK_NEAR(d.mean, 50.5);
	/* nearest rank: ceil(p/100*n) - 1 */
	double w[] = {3, 1, 2};
	cprof_dist_compute(&d, w, 3);
	CHECK_NEAR(d.p50, 2); /* ceil(1.5) = 2 */
	CHECK_NEAR(d.p90, 3); /* ceil(2.7) = 3 */
	double one[] = {7};
	cprof_dist_compute(&d, one, 1);
	CHECK_NEAR(d.p50, 7);
	CHECK_NEAR(d.p99, 7);
	cprof_dist_compute(&d, NULL, 0);
	CHECK(isnan(d.p50) && d.count == 0);
	double ten[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
	cprof_dist_compute(&d, ten, 10);
	CHECK_NEAR(d.p90, 9);  /* ceil(9.0) = 9, exactly: no floating error */
	CHECK_NEAR(d.p95, 10); /* ceil(9.5) = 10 */
	return 0;
}

int test_rt_mmu(void)
{
	/* One GC at 1 s: 1 ms STW, 10 ms mark using 1 of 4 P, 1 ms STW; then one at 2 s, all quiet. */
	static const char text[] =
		"gc 1 @1.000s 0%: 1+10+1 ms clock, 4+0/10/0+4 ms cpu, 4->4->2 MB, 4 MB goal, 4 P\n"
		"gc 2 @2.000s 0%: 0+0+0 ms clock, 0+0/0/0+0 ms cpu, 4->4->2 MB, 4 MB goal, 4 P\n";
	struct cprof_gclog log;
	static const double ws[] = {1, 2, 12, 100, 1000, 2000};
	cprof_gclog_init(&log);
	cprof_gclog_set_mmu_windows(&log, ws, 6);
	cprof_gclog_parse_buffer(&log, text, strlen(text));
	CHECK_INT(log.ngc, 2);
	CHECK_NEAR(cprof_gc_mmu(&log, 1), 0);
	CHECK_NEAR(cprof_gc_mmu(&log, 2), 0.375);         /* 1 ms STW + 1 ms at 75% */
	CHECK_NEAR(cprof_gc_mmu(&log, 12), 7.5 / 12);     /* 2 STW + 10 at 75% */
	CHECK_NEAR(cprof_gc_mmu(&log, 100), 1 - 4.5 / 100);
	CHECK_NEAR(cprof_gc_mmu(&log, 1000), 1 - 4.5 / 1000);
	CHECK(isnan(cprof_gc_mmu(&log, 2000))); /* longer than the log */
	cprof_gclog_release(&log);
	return 0;
}

int test_rt_sched(void)
{
	static const char text[] =
		"SCHED 1001ms: gomaxprocs=4 idleprocs=3 threads=6 idlethreads=3 runqueue=0 [0 0 0 0]\n"
		"x SCHED 2000ms: gomaxprocs=8 idleprocs=5 threads=12 spinningthreads=1 needspinning=1 idlethreads=7 runqueue=2 [0 1 0 4 0 0 0 0]\n"
		"SCHED 3000ms: gomaxprocs=4 idleprocs=1 threads=11 spinningthreads=0 idlethreads=5 runqueue=0 gcwaiting=false nmidlelocked=0 stopwait=0 sysmonwait=0\n"
		"  P0: status=1 schedtick=412 syscalltick=3 m=3 runqsize=2 gfreecnt=3 timerslen=1\n"
		"  P1: status=0 tick=390 m=nil runqsize=5/256 gfreecnt=1\n"
		"  M3: p=0 curg=18 mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning=true blocked=false lockedg=nil\n"
		"  M1: p=nil curg=nil mallocing=0 throwing=0 gcing=0 locks=1 dying=0 helpgc=0 spinning=0 blocked=1 lockedg=-1\n"
		"  G1: status=4(GC worker (idle)) m=nil lockedm=nil\n"
		"  G2: status=4100(chan receive) m=-1 lockedm=-1\n"
		"  G3: status=2() m=3 lockedm=-1\n"
		"  G4: status=6() m=-1 lockedm=-1\n"
		"  G5: status=4(unbalanced m=-1\n"
		"SCHED 10ms: gomaxprocs=4 idleprocs=4 threads=6 spinningthreads=0 idlethreads=3 runqueue=0 [0 0 0 0]\n";
	/* each sample as parsed: the one held back (log.last) once its lines are in */
	static const struct {
		size_t lines;
		int32_t spinning, needspinning, local_sum, local_max, nlocal, ng;
		bool detail;
	} want[] = {{1, -1, -1, 0, 0, 4, 0, false}, {2, 1, 1, 5, 4, 8, 0, false}, {12, 0, -1, 7, 5, 2, 3, true}};
	for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
		struct cprof_schedlog part;
		cprof_schedlog_init(&part);
		const char *p = text;
		for (size_t i = 0; i < want[w].lines; i++) {
			const char *nl = strchr(p, '\n');
			cprof_schedlog_add_line(&part, p, (size_t)(nl - p));
			p = nl + 1;
		}
		CHECK_INT(part.last.spinning, want[w].spinning);
		CHECK_INT(part.last.needspinning, want[w].needspinning);
		CHECK_INT(part.last.local_sum, want[w].local_sum);
		CHECK_INT(part.last.local_max, want[w].local_max);
		CHECK_INT(part.last.nlocal, want[w].nlocal);
		CHECK_INT(part.last.ng, want[w].ng);
		CHECK(part.last.detail == want[w].detail);
		if (want[w].detail)
			CHECK_INT(part.last.gcwaiting, 0);
		cprof_schedlog_finish(&part);
		cprof_schedlog_release(&part);
	}
	struct cprof_schedlog log;
	cprof_schedlog_init(&log);
	cprof_schedlog_parse_buffer(&log, text, strlen(text));
	CHECK_INT(log.ns, 4);
	CHECK_INT(log.records, 12);
	CHECK_INT(log.malformed, 1);
	CHECK_INT(log.detail.p_state[0], 1);
	CHECK_INT(log.detail.p_state[1], 1);
	CHECK_INT(log.detail.m_lines, 2);
	CHECK_INT(log.detail.m_with_p, 1);
	CHECK_INT(log.detail.m_spinning, 1);
	CHECK_INT(log.detail.m_blocked, 1);
	CHECK_INT(log.detail.g_state[4], 2);
	CHECK_INT(log.detail.g_state[6], 1);
	/* the clock went back: a new run, placed after the previous one */
	CHECK_INT(log.runs, 2);
	CHECK_INT(log.stats.nrun, 4);
	CHECK_NEAR(log.stats.run[3].acc.t0, 3010);
	CHECK_NEAR(log.stats.last_ms, 3010);

	struct cprof_sched_summary *s = calloc(1, sizeof(*s));
	cprof_sched_summarize(&log, s);
	CHECK_INT(s->samples, 4);
	CHECK_INT(s->gomaxprocs, 4);
	CHECK_INT(s->gomaxprocs_max, 8);
	CHECK_STR(s->detail.reason[0].name, "GC worker (idle)");
	CHECK_STR(s->detail.reason[1].name, "chan receive");
	CHECK_NEAR(s->threads.max, 12);
	CHECK_NEAR(s->spinning.max, 1);
	free(s);
	cprof_schedlog_release(&log);
	return 0;
}

static void count_line(void *ctx, const char *line, size_t len)
{
	size_t *c = ctx;
	c[0]++;
	c[1] += len;
	if (len && line[len - 1] == '\r')
		c[2]++;
}

/* The streaming reader: lines across its 1 MiB chunks, CRLF, an over-long line, gzip. */
int test_rt_logread(void)
{
	char path[] = "/tmp/cprof_rt_XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	FILE *f = fdopen(fd, "w");
	size_t want_lines = 0, want_bytes = 0;
	for (int i = 0; i < 40000; i++) {
		int n = fprintf(f, "line %d of a log with some text in it\r\n", i);
		want_lines++;
		want_bytes += (size_t)n - 2;
	}
	for (size_t i = 0; i < 3 * CPROF_LOG_MAX_LINE; i++)
		fputc('x', f);
	fputs("\nlast", f);
	fclose(f);
	want_lines += 2;
	want_bytes += CPROF_LOG_MAX_LINE + 4;

	size_t c[3] = {0};
	struct cprof_logread_stats st = {0};
	struct cprof_error err = {0};
	CHECK_INT(cprof_log_read(path, count_line, c, &st, &err), 0);
	CHECK_INT(c[0], want_lines);
	CHECK_INT(c[1], want_bytes);
	CHECK_INT(c[2], 0);
	CHECK_INT(st.long_lines, 1);
	CHECK(!st.gzip);

	/* the same through gzip, in two members */
	char gzpath[64];
	snprintf(gzpath, sizeof(gzpath), "%s.gz", path);
	gzFile gz = gzopen(gzpath, "wb");
	CHECK(gz != NULL);
	gzputs(gz, "gc 1 @0.010s 1%: 0.1+2+0.1 ms clock, 0.4+0.5/1.5/0.5+0.4 ms cpu, 4->5->2 MB, 5 MB goal, 4 P\n");
	gzclose(gz);
	gz = gzopen(gzpath, "ab");
	gzputs(gz, "gc 2 @0.020s 1%: 0.1+2+0.1 ms clock, 0.4+0.5/1.5/0.5+0.4 ms cpu, 4->5->2 MB, 5 MB goal, 4 P\n");
	gzclose(gz);
	struct cprof_gclog log;
	cprof_gclog_init(&log);
	CHECK_INT(cprof_log_read(gzpath, cprof_gclog_line_fn, &log, &st, &err), 0);
	CHECK(st.gzip);
	CHECK_INT(log.ngc, 2);
	cprof_gclog_release(&log);

	/* a truncated gzip stream is an error, not a short log */
	FILE *g = fopen(gzpath, "r+");
	fseek(g, 0, SEEK_END);
	long size = ftell(g);
	fclose(g);
	CHECK(truncate(gzpath, size - 12) == 0);
	cprof_gclog_init(&log);
	CHECK_INT(cprof_log_read(gzpath, cprof_gclog_line_fn, &log, &st, &err), -1);
	CHECK(strstr(cprof_error_msg(&err), "decompressing") != NULL);
	cprof_gclog_release(&log);

	CHECK_INT(cprof_log_read("/nonexistent/cprof.log", count_line, c, &st, &err), -1);
	CHECK(strstr(cprof_error_msg(&err), "cannot open") != NULL);
	CHECK_INT(cprof_log_read("/tmp", count_line, c, &st, &err), -1);
	unlink(path);
	unlink(gzpath);
	return 0;
}

/* Whatever the bytes, the parsers neither crash nor read out of bounds (run under ASan). */
int test_rt_garbage(void)
{
	static const char *const seeds[] = {
		"gc 3 @0.037s 8%: 0.51+28+0.086 ms clock, 1.0+3.0/11/0+0.17 ms cpu, 17->30->28 MB, 20 MB goal, 0 MB stacks, 1 MB globals, 4 P (forced)\n",
		"gc9(2): 12+1+744+8 us, 2 -> 10 MB, 108615 (593983-485368) objects, 85 goroutines, 4825/3620/0 sweeps\n",
		"gc2(4): 2+1+0 ms, 4 -> 2 MB 35102 -> 21050 (57009-35959) objects\n",
		"scvg-1: inuse: 36, idle: 39, sys: 75, released: 3, consumed: 72 (MB)\nforced scvg: 6 MB released\n",
		"scav 3 64 KiB work (bg), 128 KiB work (eager), 8896 KiB now, 99% util [controller reset]\n",
		"pacer: H_m_prev=1 h_t=+9.5e-001 u_a=+2.9e-001 u_g=+2.5e-001\npacer: assist ratio=+1.2e+000 (x)\n",
		"SCHED 2000ms: gomaxprocs=8 idleprocs=5 threads=12 spinningthreads=1 idlethreads=7 runqueue=2 [0 1 0 4]\n",
		"SCHED 3000ms: gomaxprocs=4 idleprocs=1 threads=11 idlethreads=5 runqueue=0 gcwaiting=0\n  P0: status=1 m=3 runqsize=2\n",
		"  M3: p=0 curg=18 preemptoff= spinning=true\n  G1: status=4(GC worker (idle)) m=nil lockedm=nil\n",
	};
	struct cprof_gclog gl;
	struct cprof_schedlog sl;
	unsigned seed = 12345;
	for (size_t k = 0; k < sizeof(seeds) / sizeof(seeds[0]); k++) {
		size_t n = strlen(seeds[k]);
		/* every prefix, then random byte flips */
		for (size_t cut = 0; cut <= n; cut++) {
			char *buf = malloc(cut ? cut : 1);
			memcpy(buf, seeds[k], cut);
			cprof_gclog_init(&gl);
			cprof_schedlog_init(&sl);
			cprof_gclog_parse_buffer(&gl, buf, cut);
			cprof_schedlog_parse_buffer(&sl, buf, cut);
			cprof_gclog_release(&gl);
			cprof_schedlog_release(&sl);
			free(buf);
		}
		for (int r = 0; r < 300; r++) {
			char *buf = malloc(n);
			memcpy(buf, seeds[k], n);
			for (int f = 0; f < 3; f++) {
				seed = seed * 1103515245 + 12345;
				buf[(seed >> 8) % n] = (char)(seed >> 20);
			}
			cprof_gclog_init(&gl);
			cprof_schedlog_init(&sl);
			cprof_gclog_parse_buffer(&gl, buf, n);
			cprof_schedlog_parse_buffer(&sl, buf, n);
			struct cprof_gc_summary gs;
			cprof_gc_summarize(&gl, &gs);
			struct cprof_sched_summary *ss = calloc(1, sizeof(*ss));
			cprof_sched_summarize(&sl, ss);
			free(ss);
			cprof_gclog_release(&gl);
			cprof_schedlog_release(&sl);
			free(buf);
		}
	}
	return 0;
}

int test_rt_json_num(void)
{
	struct strbuf sb = STRBUF_INIT;
	double v[] = {0, -0.0, 1, 1.5, 0.1234567, 1e20, NAN, INFINITY, -2.25, 123456789012.0};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		cprof_json_num(&sb, v[i]);
		strbuf_addch(&sb, ' ');
	}
	CHECK_STR(sb.buf, "0 0 1 1.5 0.123457 100000000000000000000 null null -2.25 123456789012 ");
	strbuf_reset(&sb);
	cprof_json_str(&sb, "a\"b\\c\n\x01\xe2\x88\x86");
	CHECK_STR(sb.buf, "\"a\\\"b\\\\c\\n\\u0001\xe2\x88\x86\"");
	strbuf_release(&sb);
	return 0;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Selection gives the percentiles a full sort gives, duplicates and all. */
int test_rt_dist_random(void)
{
	unsigned seed = 99;
	double v[300], w[300];
	for (int round = 0; round < 400; round++) {
		seed = seed * 1103515245 + 12345;
		size_t n = 1 + (seed >> 8) % 300;
		unsigned spread = round % 3 == 0 ? 4 : 1000; /* many duplicates, or few */
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			v[i] = w[i] = (double)((seed >> 10) % spread) / 8;
		}
		struct cprof_dist d;
		cprof_dist_compute(&d, v, n);
		qsort(w, n, sizeof(double), cmp_d);
		static const unsigned pct[4] = {50, 90, 95, 99};
		double got[4] = {d.p50, d.p90, d.p95, d.p99};
		for (int k = 0; k < 4; k++) {
			size_t r = (pct[k] * n + 99) / 100;
			CHECK_NEAR(got[k], w[r - 1]);
		}
		CHECK_NEAR(d.min, w[0]);
		CHECK_NEAR(d.max, w[n - 1]);
	}
	return 0;
}

/* Lost time in [x, x+w] of segments (a, b, loss), by direct integration. */
static double brute_lost(const double (*seg)[3], size_t n, double x, double w)
{
	double lost = 0;
	for (size_t i = 0; i < n; i++) {
		double lo = seg[i][0] > x ? seg[i][0] : x, hi = seg[i][1] < x + w ? seg[i][1] : x + w;
		if (hi > lo)
			lost += (hi - lo) * seg[i][2];
	}
	return lost;
}

/* The O(n) MMU search against a brute force over every edge, on random logs. */
int test_rt_mmu_random(void)
{
	unsigned seed = 7;
	for (int round = 0; round < 60; round++) {
		struct strbuf text = STRBUF_INIT;
		double seg[3 * 40][3];
		size_t nseg = 0;
		double t = 0, end = 0, t0 = 0;
		int ngc = 2 + round % 30;
		for (int i = 0; i < ngc; i++) {
			seed = seed * 1103515245 + 12345;
			t += 0.001 * (double)(1 + (seed >> 8) % 40); /* 1-40 ms apart, in whole ms */
			double c1 = 0.1 * (double)(1 + (seed >> 14) % 30), c2 = 0.5 * (double)((seed >> 20) % 20);
			double c3 = 0.1 * (double)(1 + (seed >> 26) % 20);
			int procs = 1 + (int)((seed >> 4) % 4);
			double bg = c2 * 0.25 * procs, as = c2 * 0.1 * (double)((seed >> 2) % 5);
			strbuf_addf(&text, "gc %d @%.3fs 1%%: %.1f+%.1f+%.1f ms clock, 0.1+%.3f/%.3f/0.5+0.1 ms cpu, 4->4->2 MB, 4 MB goal, %d P\n",
				    i + 1, t, c1, c2, c3, as, bg, procs);
			double s0 = t * 1000 < end ? end : t * 1000;
			if (i == 0)
				t0 = s0;
			double loss = c2 > 0 ? (as + bg) / (c2 * procs) : 0;
			if (loss > 1)
				loss = 1;
			seg[nseg][0] = s0, seg[nseg][1] = s0 + c1, seg[nseg++][2] = 1;
			if (loss > 0)
				seg[nseg][0] = s0 + c1, seg[nseg][1] = s0 + c1 + c2, seg[nseg++][2] = loss;
			seg[nseg][0] = s0 + c1 + c2, seg[nseg][1] = s0 + c1 + c2 + c3, seg[nseg++][2] = 1;
			end = s0 + c1 + c2 + c3;
		}
		struct cprof_gclog log;
		static const double ws[] = {0.5, 1, 2, 3.3, 5, 10, 20, 50, 100};
		cprof_gclog_init(&log);
		cprof_gclog_set_mmu_windows(&log, ws, sizeof(ws) / sizeof(ws[0]));
		cprof_gclog_parse_buffer(&log, text.buf, text.len);
		CHECK_INT(log.ngc, (size_t)ngc);
		for (size_t k = 0; k < sizeof(ws) / sizeof(ws[0]); k++) {
			double w = ws[k], got = cprof_gc_mmu(&log, w);
			if (end - t0 < w) {
				CHECK(isnan(got));
				continue;
			}
			double worst = 0;
			for (size_t i = 0; i <= nseg; i++) {
				double cand[4] = {t0, end - w, 0, 0};
				if (i < nseg)
					cand[0] = seg[i][0], cand[1] = seg[i][1], cand[2] = seg[i][0] - w, cand[3] = seg[i][1] - w;
				for (int q = 0; q < 4; q++) {
					double x = cand[q] < t0 ? t0 : cand[q] > end - w ? end - w : cand[q];
					double l = brute_lost(seg, nseg, x, w);
					if (l > worst)
						worst = l;
				}
			}
			double want = 1 - worst / w;
			if (fabs(got - want) > 1e-9) {
				fprintf(stderr, "round %d window %g: mmu %.12f, brute force %.12f\n", round, w, got, want);
				return 1;
			}
		}
		cprof_gclog_release(&log);
		strbuf_release(&text);
	}
	return 0;
}

/* Distinct values and counts give cprof_dist_compute()'s figures; past the cap, within 2^-11. */
int test_rt_valcount(void)
{
	unsigned seed = 5;
	for (int round = 0; round < 50; round++) {
		struct cprof_valcount vc = {0};
		size_t n = 1 + (size_t)round * 37;
		double *v = malloc(n * sizeof(*v));
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			v[i] = (double)((seed >> 10) % (round % 2 ? 7 : 5000)) / 100;
			cprof_valcount_add(&vc, v[i]);
		}
		struct cprof_dist a, b;
		cprof_valcount_dist(&vc, &a);
		cprof_dist_compute(&b, v, n);
		CHECK_INT(a.count, b.count);
		CHECK(a.total == b.total && a.mean == b.mean && a.min == b.min && a.max == b.max);
		CHECK(a.p50 == b.p50 && a.p90 == b.p90 && a.p95 == b.p95 && a.p99 == b.p99);
		cprof_valcount_release(&vc);
		free(v);
	}
	/* more distinct values than kept: rounded, within 2^-11 of the exact percentiles */
	struct cprof_valcount vc = {0};
	size_t n = CPROF_VALCOUNT_MAX * 2;
	double *v = malloc(n * sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		v[i] = 1 + (double)((i * 7919) % n) / 1000;
		cprof_valcount_add(&vc, v[i]);
	}
	CHECK(vc.rounded);
	struct cprof_dist a, b;
	cprof_valcount_dist(&vc, &a);
	cprof_dist_compute(&b, v, n);
	CHECK(a.total == b.total && a.min == b.min && a.max == b.max && a.count == b.count);
	CHECK(fabs(a.p50 - b.p50) <= b.p50 / 2048 && fabs(a.p99 - b.p99) <= b.p99 / 2048);
	cprof_valcount_release(&vc);
	free(v);
	return 0;
}

/* A timed log of n GCs, leaking: live heap and goal grow, a pause spike now and then. */
static void leak_log(struct strbuf *out, int n, double gap_s)
{
	unsigned seed = 11;
	double t = 0.01;
	for (int i = 1; i <= n; i++) {
		seed = seed * 1103515245 + 12345;
		t += gap_s * (0.5 + (double)((seed >> 8) % 100) / 100);
		int live = 10 + i / 20 + (int)((seed >> 16) % 5);
		strbuf_addf(out, "gc %d @%.3fs 2%%: 0.0%d+%d.%d+0.0%d ms clock, 0.1+0.2/0.%d/0.1+0.1 ms cpu, %d->%d->%d MB, %d MB goal, 4 P%s\n",
			    i, t, 1 + (int)(seed % 9), 1 + (int)((seed >> 4) % 3), (int)((seed >> 6) % 10),
			    1 + (int)((seed >> 9) % 9), 1 + (int)((seed >> 12) % 9), 2 * live, 2 * live + 1, live,
			    2 * live, i % 97 == 0 ? " (forced)" : "");
	}
}

/*
 * With runs merged (256 of 3000 GCs allowed: 16 GCs a run), the figures that need no runs stay
 * exact, the slices add up, and the trend stays close.
 */
int test_rt_gc_runs_merged(void)
{
	struct strbuf text = STRBUF_INIT;
	leak_log(&text, 3000, 0.02);
	struct cprof_gclog a, b;
	cprof_gclog_init(&a);
	cprof_gclog_init(&b);
	b.stats.max_runs = 256;
	cprof_gclog_parse_buffer(&a, text.buf, text.len);
	cprof_gclog_parse_buffer(&b, text.buf, text.len);
	CHECK_INT(a.stats.nrun, 3000);
	CHECK(b.stats.nrun <= 256 && b.stats.nrun < 3000);
	struct cprof_gc_summary *x = calloc(2, sizeof(*x)), *y = x + 1;
	cprof_gc_summarize(&a, x);
	cprof_gc_summarize(&b, y);
	CHECK(x->pause_ms.p99 == y->pause_ms.p99 && x->mark_ms.p50 == y->mark_ms.p50);
	CHECK(x->gc_cpu_pct_computed == y->gc_cpu_pct_computed);
	for (int k = 0; k < CPROF_MMU_WINDOWS; k++)
		CHECK(x->mmu[k] == y->mmu[k] || (isnan(x->mmu[k]) && isnan(y->mmu[k])));
	CHECK_INT(y->nworst, CPROF_WORST_GCS);
	for (int k = 0; k < CPROF_WORST_GCS; k++)
		CHECK_INT(y->worst[k].num, x->worst[k].num);
	size_t ngc = 0, nforced = 0;
	CHECK_INT(y->ninterval, x->ninterval);
	for (size_t j = 0; j < y->ninterval; j++) {
		ngc += y->interval[j].ngc;
		nforced += y->interval[j].nforced;
		CHECK(fabs(y->interval[j].gc_cpu_pct - x->interval[j].gc_cpu_pct) < 0.1 * x->interval[j].gc_cpu_pct);
	}
	CHECK_INT(ngc, 3000);
	CHECK_INT(nforced, 3000 / 97);
	CHECK(fabs(y->live_first_mean - x->live_first_mean) < 0.02 * x->live_first_mean);
	CHECK(fabs(y->live_last_mean - x->live_last_mean) < 0.02 * x->live_last_mean);
	CHECK(fabs(y->live_slope_mb_per_min - x->live_slope_mb_per_min) < 0.05 * x->live_slope_mb_per_min);
	CHECK(x->leak_suspect && y->leak_suspect);
	CHECK_INT(y->nhint, x->nhint);
	free(x);
	cprof_gclog_release(&a);
	cprof_gclog_release(&b);
	strbuf_release(&text);
	return 0;
}

/* More GCs within a second than the ring holds: no crash, and the utilisation never lower than exact. */
int test_rt_mmu_dense(void)
{
	struct strbuf text = STRBUF_INIT;
	leak_log(&text, 3000, 0.0002);
	struct cprof_gclog a, b;
	cprof_gclog_init(&a);
	cprof_gclog_init(&b);
	b.stats.mmu.max_ring = 64;
	cprof_gclog_parse_buffer(&a, text.buf, text.len);
	cprof_gclog_parse_buffer(&b, text.buf, text.len);
	CHECK(!a.stats.mmu.overflowed && b.stats.mmu.overflowed);
	struct cprof_gc_summary *x = calloc(2, sizeof(*x)), *y = x + 1;
	cprof_gc_summarize(&a, x);
	cprof_gc_summarize(&b, y);
	for (int k = 0; k < CPROF_MMU_WINDOWS; k++) {
		if (isnan(x->mmu[k])) {
			CHECK(isnan(y->mmu[k]));
			continue;
		}
		CHECK(y->mmu[k] >= x->mmu[k] - 1e-12 && y->mmu[k] <= 1);
	}
	free(x);
	cprof_gclog_release(&a);
	cprof_gclog_release(&b);
	strbuf_release(&text);
	return 0;
}

int test_rt_sched_runs_merged(void)
{
	struct strbuf text = STRBUF_INIT;
	for (int i = 0; i < 2000; i++)
		strbuf_addf(&text, "SCHED %dms: gomaxprocs=8 idleprocs=%d threads=%d spinningthreads=0 idlethreads=%d runqueue=%d [%d 0 1 0 %d 0 0 0]\n",
			    10 * i, i % 9 > 8 ? 8 : i % 9, 12 + i % 3, i % 5, i % 7, i % 4, (i / 100) % 6);
	struct cprof_schedlog a, b;
	cprof_schedlog_init(&a);
	cprof_schedlog_init(&b);
	b.stats.max_runs = 16;
	cprof_schedlog_parse_buffer(&a, text.buf, text.len);
	cprof_schedlog_parse_buffer(&b, text.buf, text.len);
	CHECK_INT(a.stats.nrun, 2000);
	CHECK(b.stats.nrun <= 16);
	struct cprof_sched_summary *x = calloc(2, sizeof(*x)), *y = x + 1;
	cprof_sched_summarize(&a, x);
	cprof_sched_summarize(&b, y);
	CHECK(x->util_pct.mean == y->util_pct.mean && x->runqueue.max == y->runqueue.max);
	CHECK_INT(y->starved, x->starved);
	size_t n = 0;
	for (size_t j = 0; j < y->ninterval; j++) {
		n += y->interval[j].samples;
		CHECK(fabs(y->interval[j].util_pct - x->interval[j].util_pct) < 5);
	}
	CHECK_INT(n, 2000);
	free(x);
	cprof_schedlog_release(&a);
	cprof_schedlog_release(&b);
	strbuf_release(&text);
	return 0;
}
