/*
 * test_memstats.c - the runtime.MemStats block parser (formats/memstats.c)
 * and the derived figures (src/runtime/memstats.c).
 */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "cprof/memstats.h"

/* The tail of a Go 1.19 heap?debug=1 profile, PauseNs cut to 4 GCs. */
static void block(struct strbuf *b, unsigned numgc, const uint64_t *pauses, size_t npauses)
{
	strbuf_addstr(b, "heap profile: 1: 16 [2: 32] @ heap/8192\n"
			 "1: 16 [2: 32] @ 0x1 0x2\n"
			 "#\t0x0\tmain.f+0x0\t/a.go:1\n"
			 "\n"
			 "\n"
			 "# runtime.MemStats\n"
			 "# Alloc = 4860984\n"
			 "# TotalAlloc = 1301626240\n"
			 "# Sys = 28161288\n"
			 "# Lookups = 0\n"
			 "# Mallocs = 735756\n"
			 "# Frees = 712940\n"
			 "# HeapAlloc = 4860984\n"
			 "# HeapSys = 16482304\n"
			 "# HeapIdle = 5922816\n"
			 "# HeapInuse = 10559488\n"
			 "# HeapReleased = 4235264\n"
			 "# HeapObjects = 22816\n"
			 "# Stack = 294912 / 327680\n"
			 "# MSpan = 150624 / 178992\n"
			 "# MCache = 2400 / 15600\n"
			 "# BuckHashSys = 1503709\n"
			 "# GCSys = 9014792\n"
			 "# OtherSys = 670979\n"
			 "# NextGC = 6890312\n"
			 "# LastGC = 1795323822601842203\n"
			 "# PauseNs = [");
	for (size_t i = 0; i < 256; i++)
		strbuf_addf(b, "%s%llu", i ? " " : "", (unsigned long long)(i < npauses ? pauses[i] : 0));
	strbuf_addstr(b, "]\n# PauseEnd = [");
	for (size_t i = 0; i < 256; i++)
		strbuf_addf(b, "%s%zu", i ? " " : "", i < npauses ? 1000 + i : 0);
	strbuf_addf(b, "]\n# NumGC = %u\n"
		       "# NumForcedGC = 1\n"
		       "# GCCPUFraction = 0.06379876332074555\n"
		       "# DebugGC = false\n"
		       "# MaxRSS = 17186816\n",
		    numgc);
}

int test_memstats_parse(void)
{
	struct strbuf b = STRBUF_INIT;
	struct cprof_memstats ms;
	struct cprof_error err = {0};
	const uint64_t pauses[] = {400, 100, 300, 200};

	block(&b, 4, pauses, 4);
	CHECK_INT(cprof_memstats_parse(b.buf, b.len, &ms, &err), 0);
	CHECK_INT(ms.line, 6);
	for (int f = 0; f < CPROF_MS__COUNT; f++)
		CHECK(ms.has[f]);
	CHECK_INT(ms.v[CPROF_MS_HeapAlloc], 4860984);
	CHECK_INT(ms.v[CPROF_MS_StackInuse], 294912);
	CHECK_INT(ms.v[CPROF_MS_StackSys], 327680);
	CHECK_INT(ms.v[CPROF_MS_MCacheSys], 15600);
	CHECK(ms.v[CPROF_MS_LastGC] == 1795323822601842203ULL);
	CHECK_INT(ms.npause_ns, 256);
	CHECK_INT(ms.pause_ns[2], 300);
	CHECK_INT(ms.pause_end[1], 1001);
	CHECK(ms.has_gc_cpu_fraction && ms.gc_cpu_fraction == 0.06379876332074555);
	CHECK(ms.has_debug_gc && !ms.debug_gc);
	CHECK_STR(cprof_memstats_name(CPROF_MS_MSpanInuse), "MSpanInuse");

	struct cprof_memstats_derived d;
	cprof_memstats_derive(&ms, &d);
	CHECK_INT(d.effective, 28161288 - 4235264);
	CHECK_INT(d.heap_unused, 10559488 - 4860984);
	CHECK_INT(d.heap_retained, 5922816 - 4235264);
	CHECK_INT(d.runtime_overhead, 178992 + 15600 + 1503709 + 9014792 + 670979);
	CHECK_INT(d.live_objects, 735756 - 712940);
	CHECK_INT(d.avg_object, 4860984 / 22816);
	/* only the first NumGC=4 ring entries are pauses */
	CHECK_INT(d.pauses.n, 4);
	CHECK_INT(d.pauses.last, 200);
	CHECK_INT(d.pauses.min, 100);
	CHECK_INT(d.pauses.p50, 200);
	CHECK_INT(d.pauses.p90, 400);
	CHECK_INT(d.pauses.max, 400);
	CHECK_INT(d.pauses.total, 1000);
	CHECK(d.pauses.mean == 250);

	struct strbuf out = STRBUF_INIT;
	cprof_memstats_render_json(&ms, &d, &out);
	CHECK(strstr(out.buf, "{\"memstats\": {\"Alloc\": 4860984, \"TotalAlloc\": 1301626240, ") == out.buf);
	CHECK(strstr(out.buf, "\"StackInuse\": 294912, \"StackSys\": 327680, "));
	CHECK(strstr(out.buf, "\"LastGC\": 1795323822601842203, \"PauseNs\": [400, 100, 300, 200, 0, "));
	CHECK(strstr(out.buf, "\"NumForcedGC\": 1, \"GCCPUFraction\": 0.06379876332074555, \"DebugGC\": false, "
			      "\"MaxRSS\": 17186816},"));
	CHECK(strstr(out.buf, "\"pauses\": {\"count\": 4, \"last_ns\": 200, \"min_ns\": 100, \"p50_ns\": 200, "));
	strbuf_release(&out);
	strbuf_release(&b);
	return 0;
}

/* With more than 256 GCs the ring wrapped: all 256 are pauses, the last at (NumGC-1)%256. */
int test_memstats_ring(void)
{
	struct strbuf b = STRBUF_INIT;
	struct cprof_memstats ms;
	struct cprof_memstats_derived d;
	struct cprof_error err = {0};
	uint64_t pauses[256];
	for (size_t i = 0; i < 256; i++)
		pauses[i] = 1000 + i;
	pauses[(682 - 1) % 256] = 7;

	block(&b, 682, pauses, 256);
	CHECK_INT(cprof_memstats_parse(b.buf, b.len, &ms, &err), 0);
	cprof_memstats_derive(&ms, &d);
	CHECK_INT(d.pauses.n, 256);
	CHECK_INT(d.pauses.last, 7);
	CHECK_INT(d.pauses.min, 7);
	CHECK_INT(d.pauses.max, 1255);
	/* nearest rank: p50 is the 128th smallest: 7, then 1000.. */
	CHECK_INT(d.pauses.p50, 1000 + 126);
	CHECK_INT(d.pauses.p99, 1000 + 253);
	strbuf_release(&b);

	/* NumGC 0: no pauses */
	block(&b, 0, pauses, 0);
	CHECK_INT(cprof_memstats_parse(b.buf, b.len, &ms, &err), 0);
	cprof_memstats_derive(&ms, &d);
	CHECK_INT(d.pauses.n, 0);
	strbuf_release(&b);
	return 0;
}

int test_memstats_errors(void)
{
	static const struct {
		const char *in;
		enum cprof_errcode code;
		const char *msg;
	} cases[] = {
		{"heap profile: 0: 0 [0: 0] @ heap/8192\n", CPROF_E_FORMAT, "no '# runtime.MemStats' block found"},
		{"# runtime.MemStats\n# Alloc = x\n", CPROF_E_CORRUPT, "line 2: bad value for Alloc: 'x'"},
		{"# runtime.MemStats\n# Alloc = 18446744073709551616\n", CPROF_E_CORRUPT,
		 "line 2: bad value for Alloc: '18446744073709551616'"},
		{"# runtime.MemStats\n# Stack = 1 /\n", CPROF_E_CORRUPT, "line 2: bad value for Stack: '1 /'"},
		{"# runtime.MemStats\n# PauseNs = [1 2\n", CPROF_E_CORRUPT, "line 2: bad value for PauseNs: '[1 2'"},
		{"# runtime.MemStats\n# GCCPUFraction = nan\n", CPROF_E_CORRUPT,
		 "line 2: bad value for GCCPUFraction: 'nan'"},
		{"# runtime.MemStats\n# DebugGC = maybe\n", CPROF_E_CORRUPT, "line 2: bad value for DebugGC: 'maybe'"},
	};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(cases); i++) {
		struct cprof_memstats ms;
		struct cprof_error err = {0};
		CHECK_INT(cprof_memstats_parse(cases[i].in, strlen(cases[i].in), &ms, &err), -1);
		CHECK_INT(err.code, cases[i].code);
		CHECK_STR(cprof_error_msg(&err), cases[i].msg);
	}
	/* unknown keys (a newer runtime's) and the end of the block */
	const char *in = "# runtime.MemStats\n# NewField = 12\n# Alloc = 5\nnot a comment\n# Sys = 9\n";
	struct cprof_memstats ms;
	struct cprof_error err = {0};
	CHECK_INT(cprof_memstats_parse(in, strlen(in), &ms, &err), 0);
	CHECK(ms.has[CPROF_MS_Alloc] && !ms.has[CPROF_MS_Sys]);
	struct cprof_memstats_derived d;
	cprof_memstats_derive(&ms, &d);
	CHECK_INT(d.effective, -1);
	CHECK(isnan(d.heap_goal_used));
	return 0;
}

int test_memstats_truncated(void)
{
	struct strbuf b = STRBUF_INIT;
	const uint64_t pauses[] = {400, 100, 300, 200};
	block(&b, 4, pauses, 4);
	for (size_t n = 0; n <= b.len; n++) {
		char *copy = cprof_xmalloc(n ? n : 1);
		memcpy(copy, b.buf, n);
		struct cprof_memstats ms;
		struct cprof_memstats_derived d;
		struct cprof_error err = {0};
		if (cprof_memstats_parse(copy, n, &ms, &err) == 0)
			cprof_memstats_derive(&ms, &d);
		free(copy);
	}
	strbuf_release(&b);
	return 0;
}
