/*
 * test_legacy.c - the legacy profile parsers (formats/legacy_*.c).
 *
 * Every expected dump below is what Go 1.19's pprof prints for the same
 * bytes (profile.ParseData, then Profile.String()); the inputs were
 * written to reach the odd corners of its parsers (memory map forms,
 * "$name" substitutions, glog prefixes, base prefixes in numbers, the
 * regular expressions' backtracking, duplicate leaf frames).
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "formats/dump.h"
#include "formats/legacy.h"
#include "formats_util.h"

/* ---- inputs and what pprof makes of them ---------------------------------- */

static const char in_heapv2[] =
	"heap profile:    4:    8192 [    6:   12288] @ heap_v2/524288\n"
	"     1:     4096 [     2:     8192] @ 0x400101 0x400201\n"
	"     3:     4096 [     4:     4096] @ 0x400301 0x400201 0x7f0000000101\n"
	"     0:        0 [     0:        0] @ 0x400401\n"
	"\n"
	"MAPPED_LIBRARIES:\n"
	"lib=/lib/libc.so.6\n"
	"I0101 12:00:00.000 1 heap.cc:12] 00400000-00500000 r-xp 00000000 08:01 1234 /bin/prog\n"
	"7f0000000000-7f0000100000: $lib\n"
	"7f0000100000-7f0000200000 rw-p 00000000 08:01 99 /lib/libc.so.6\n";
static const char out_heapv2[] =
	"PeriodType: space bytes\n"
	"Period: 524288\n"
	"Samples:\n"
	"alloc_objects/count alloc_space/bytes inuse_objects/count inuse_space/bytes\n"
	"        257    1052677        128     526338: 1 2 \n"
	"                bytes:[4096]\n"
	"       2050    2099200       1153    1574912: 3 2 4 \n"
	"                bytes:[1365]\n"
	"          0          0          0          0: 5 \n"
	"                bytes:[0]\n"
	"Locations\n"
	"     1: 0x400100 M=1 \n"
	"     2: 0x400200 M=1 \n"
	"     3: 0x400300 M=1 \n"
	"     4: 0x7f0000000100 M=2 \n"
	"     5: 0x400400 M=1 \n"
	"Mappings\n"
	"1: 0x400000/0x500000/0x0 /bin/prog  \n"
	"2: 0x7f0000000000/0x7f0000100000/0x0 /lib/libc.so.6  \n";

static const char in_goheap[] =
	"heap profile: 2: 100 [5: 700] @ heap/1024\n"
	"1: 50 [3: 600] @ 0x401001 0x402002\n"
	"#\t0x401000\tmain.alloc+0x10\t/src/main.go:12\n"
	"#\t0x402001\tmain.main+0x21\t/src/main.go:30\n"
	"\n"
	"1: 50 [2: 100] @ 0x401101 0x402002 0x403003\n"
	"#\t0x401100\tmain.inlined+0x1\t/src/x.go:3\n"
	"#\t0x401100\tmain.outer+0x20\t/src/x.go:9\n"
	"#\t0x402001\tmain.main+0x21\t/src/main.go:30\n"
	"\n"
	"0: 0 [1: 100] @ 0x405005 0x401001 0x402002 0x403003\n"
	"#\t0x401000\tmain.alloc+0x10\t/src/main.go:12\n"
	"#\t0x402001\tmain.main+0x21\t/src/main.go:30\n"
	"\n"
	"# runtime.MemStats\n"
	"# Alloc = 100\n";
static const char out_goheap[] =
	"PeriodType: space bytes\n"
	"Period: 512\n"
	"Samples:\n"
	"alloc_objects/count alloc_space/bytes inuse_objects/count inuse_space/bytes\n"
	"          9       1855         10        537: 1 2 \n"
	"                bytes:[50]\n"
	"         21       1074         10        537: 3 2 4 \n"
	"                bytes:[50]\n"
	"          5        563          0          0: 5 1 2 4 \n"
	"                bytes:[100]\n"
	"Locations\n"
	"     1: 0x401000 M=1 \n"
	"     2: 0x402001 M=1 \n"
	"     3: 0x401100 M=1 \n"
	"     4: 0x403002 M=1 \n"
	"     5: 0x405004 M=1 \n"
	"Mappings\n"
	"1: 0x0/0xffffffffffffffff/0x0   \n";

static const char in_count[] =
	"# comment\n"
	"\n"
	"goroutine profile: total 4\n"
	"2 @ 0x438176 0x4c624a 0x464c81\n"
	"# labels: {\"role\":\"w\\\"x\", \"group\":\"a\"}\n"
	"#\t0x4c6249\tpool.worker+0xa9\t/src/pool.go:34\n"
	"\n"
	"1 @ 0x438176 0x4cb894 0x4cb894 0x464c81\n"
	"#\t0x4cb893\tmain.nest+0x33\t/src/main.go:468\n"
	"#\t0x4cb893\tmain.nest+0x33\t/src/main.go:468\n"
	"\n"
	"010 @ 0x438176\n"
	"--- end\n";
static const char out_count[] =
	"PeriodType: goroutine count\n"
	"Period: 1\n"
	"Samples:\n"
	"goroutine/count\n"
	"          2: 1 2 3 \n"
	"          1: 1 4 4 3 \n"
	"          8: 1 \n"
	"Locations\n"
	"     1: 0x438175 M=1 \n"
	"     2: 0x4c6249 M=1 \n"
	"     3: 0x464c80 M=1 \n"
	"     4: 0x4cb893 M=1 \n"
	"Mappings\n"
	"1: 0x0/0xffffffffffffffff/0x0   \n";

static const char in_contention[] =
	"--- contentionz 1 ---\n"
	"cycles/second = 2000000000\n"
	"sampling period = 0x10\n"
	"ms since reset = 1000\n"
	"discarded samples = 3\n"
	"  1000 7 @ 0x400101 0x400201\n"
	" 12 @ 0x400301\n"
	"# comment\n"
	"--- Memory map: ---\n"
	"00400000-00500000 r-xp 00000000 08:01 1234 /bin/prog\n";
static const char out_contention[] =
	"PeriodType: contentions count\n"
	"Period: 16\n"
	"Duration: 1s\n"
	"Samples:\n"
	"contentions/count delay/nanoseconds\n"
	"        112       8000: 1 2 \n"
	"         32          8: 3 \n"
	"Locations\n"
	"     1: 0x400100 M=1 \n"
	"     2: 0x400200 M=1 \n"
	"     3: 0x400300 M=1 \n"
	"Mappings\n"
	"1: 0x400000/0x500000/0x0 /bin/prog  \n";

static const char in_thread[] =
	"--- threadz 1 ---\n"
	"\n"
	"--- Thread 7f794ab90940 (name: main/25376) stack: ---\n"
	"  0x0040be31: main\n"
	"  0x0040be41: start\n"
	"--- Thread 7f794ab80700 (name: t1/25378) stack: ---\n"
	"  same as previous thread\n"
	"--- Thread 7f794ab70700 (name: t2/25379) stack: ---\n"
	"  PC: 0x400100 0x400101 0x400201\n"
	"---- no stack trace for thread 7f794ab60700 ----\n"
	"--- Memory map: ---\n"
	"00400000-00500000 r-xp 00000000 08:01 1234 /bin/prog\n";
static const char out_thread[] =
	"PeriodType: thread count\n"
	"Period: 1\n"
	"Samples:\n"
	"thread/count\n"
	"          2: 1 2 \n"
	"          1: 3 3 4 \n"
	"Locations\n"
	"     1: 0x40be31 M=1 \n"
	"     2: 0x40be40 M=1 \n"
	"     3: 0x400100 M=1 \n"
	"     4: 0x400200 M=1 \n"
	"Mappings\n"
	"1: 0x400000/0x500000/0x0 /bin/prog  \n";

static const char in_jheap[] =
	"--- heapz 1 ---\n"
	"format = java\n"
	"resolution = bytes\n"
	"   7048     1 @ 0x00000003 0x00000004\n"
	"   4752     9 @ 0x00000004 0x00000005 0x00000006\n"
	"\n"
	" 0x00000003 com.example.f (Source.java:103)\n"
	" 0x00000004 com.example.g (Source.java:-1)\n"
	" 0x00000005 java.lang.Thread.run  (/usr/lib/libjvm.so)\n"
	" 0x00000006 generated stub/JIT\n"
	" 0x00000007 GC\n";
static const char out_jheap[] =
	"PeriodType:  \n"
	"Period: 0\n"
	"Samples:\n"
	"inuse_objects/count inuse_space/bytes\n"
	"         74     527819: 1 2 \n"
	"                bytes:[7048]\n"
	"       8941    4720968: 2 3 4 \n"
	"                bytes:[528]\n"
	"Locations\n"
	"     1: 0x0 com.example.f Source.java:103 s=0\n"
	"     2: 0x0 com.example.g Source.java:0 s=0\n"
	"     3: 0x0 java.lang.Thread.run  libjvm.so:0 s=0\n"
	"     4: 0x0 STUB :0 s=0\n"
	"Mappings\n";

static const char in_jcont[] =
	"--- contentionz 1 ---\n"
	"format = java\n"
	"resolution = microseconds\n"
	"sampling period = 100\n"
	"ms since reset = 6019923\n"
	"            1     1 @ 0x00000003 0x00000004\n"
	"\n"
	" 0x00000003 VM\n";
static const char out_jcont[] =
	"PeriodType: contentions count\n"
	"Period: 100\n"
	"Duration: 1h40\n"
	"Samples:\n"
	"contentions/count delay/microseconds\n"
	"        100        100: 1 2 \n"
	"Locations\n"
	"     1: 0x0 VM :0 s=0\n"
	"     2: 0x0 M=1 \n"
	"Mappings\n"
	"1: 0x0/0xffffffffffffffff/0x0   \n";

/* a binary CPU profile: 3 of 4 samples share a second frame (not enough to strip it) */
static const uint64_t cpu_words[] = {
	0, 3, 0, 10000, 0,
	3, 3, 0x400100, 0x400901, 0x400200,
	1, 3, 0x400110, 0x400901, 0x400300,
	2, 2, 0x7f0000000100, 0x400901,
	5, 3, 0x400151, 0x400151, 0x400200, /* the leaf again, as pc+1: dropped */
	0, 1, 0,
};
static const char cpu_maps[] =
	"00400000-00500000 r-xp 00000000 08:01 1234 /bin/prog\n"
	"7f0000000000-7f0000100000 r-xp 00000000 08:01 99 /lib/libc.so.6\n";
static const char out_cpu[] =
	"PeriodType: cpu nanoseconds\n"
	"Period: 10000000\n"
	"Samples:\n"
	"samples/count cpu/nanoseconds\n"
	"          3   30000000: 1 2 3 \n"
	"          1   10000000: 4 2 5 \n"
	"          2   20000000: 6 2 \n"
	"          5   50000000: 7 3 \n"
	"Locations\n"
	"     1: 0x400100 M=1 \n"
	"     2: 0x400900 M=1 \n"
	"     3: 0x4001ff M=1 \n"
	"     4: 0x400110 M=1 \n"
	"     5: 0x4002ff M=1 \n"
	"     6: 0x7f0000000100 M=2 \n"
	"     7: 0x400151 M=1 \n"
	"     8: 0x400150 M=1 \n"
	"Mappings\n"
	"1: 0x400000/0x500000/0x0 /bin/prog  \n"
	"2: 0x7f0000000000/0x7f0000100000/0x0 /lib/libc.so.6  \n";

/* the same in 32-bit words: 0x7f0000000100 becomes 0x100, outside every mapping */
static const char out_cpu32[] =
	"PeriodType: cpu nanoseconds\n"
	"Period: 10000000\n"
	"Samples:\n"
	"samples/count cpu/nanoseconds\n"
	"          3   30000000: 1 2 3 \n"
	"          1   10000000: 4 2 5 \n"
	"          2   20000000: 6 2 \n"
	"          5   50000000: 7 3 \n"
	"Locations\n"
	"     1: 0x400100 M=1 \n"
	"     2: 0x400900 M=1 \n"
	"     3: 0x4001ff M=1 \n"
	"     4: 0x400110 M=1 \n"
	"     5: 0x4002ff M=1 \n"
	"     6: 0x100 M=3 \n"
	"     7: 0x400151 M=1 \n"
	"     8: 0x400150 M=1 \n"
	"Mappings\n"
	"1: 0x400000/0x500000/0x0 /bin/prog  \n"
	"2: 0x7f0000000000/0x7f0000100000/0x0 /lib/libc.so.6  \n"
	"3: 0x0/0xffffffffffffffff/0x0   \n";

static void put_word(struct strbuf *b, uint64_t w, int size, bool big)
{
	for (int i = 0; i < size; i++) {
		int shift = big ? 8 * (size - 1 - i) : 8 * i;
		strbuf_addch(b, (int)(w >> shift & 0xff));
	}
}

static void cpu_profile(struct strbuf *b, int size, bool big)
{
	strbuf_reset(b);
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(cpu_words); i++)
		put_word(b, size == 4 ? cpu_words[i] & 0xffffffff : cpu_words[i], size, big);
	strbuf_addstr(b, cpu_maps);
}

/* Parse with the registry, dump in Go 1.19's layout, compare. */
static int expect_dump(const void *data, size_t len, const char *want)
{
	struct cprof_profile *p = NULL;
	struct cprof_error err = {0};
	struct strbuf out = STRBUF_INIT;

	if (cprof_parse_profile(data, len, &p, &err) < 0) {
		fprintf(stderr, "parse failed: %s\n", cprof_error_msg(&err));
		return 1;
	}
	cprof_profile_dump(p, &out);
	CHECK_STR(out.buf, want);
	cprof_profile_free(p);
	strbuf_release(&out);
	return 0;
}

static int expect_error(const char *data, const char *msg)
{
	struct cprof_profile *p = NULL;
	struct cprof_error err = {0};

	CHECK_INT(cprof_parse_profile((const unsigned char *)data, strlen(data), &p, &err), -1);
	CHECK(p == NULL);
	CHECK_STR(cprof_error_msg(&err), msg);
	return 0;
}

int test_legacy_cpu_forms(void)
{
	struct strbuf b = STRBUF_INIT;
	cpu_profile(&b, 8, false);
	CHECK_INT(expect_dump(b.buf, b.len, out_cpu), 0);
	cpu_profile(&b, 8, true);
	CHECK_INT(expect_dump(b.buf, b.len, out_cpu), 0);
	cpu_profile(&b, 4, false);
	CHECK_INT(expect_dump(b.buf, b.len, out_cpu32), 0);
	cpu_profile(&b, 4, true);
	CHECK_INT(expect_dump(b.buf, b.len, out_cpu32), 0);
	strbuf_release(&b);
	return 0;
}

int test_legacy_cpu_signal_frame(void)
{
	/* 33 samples, 32 with second frame 0x500 (>= 33 - 33/32): removed, twice at most */
	struct strbuf b = STRBUF_INIT;
	static const uint64_t hdr[] = {0, 3, 0, 1, 0};
	for (size_t i = 0; i < 5; i++)
		put_word(&b, hdr[i], 8, false);
	for (int i = 0; i < 33; i++) {
		uint64_t rec[] = {1, 4, 0x100 + (uint64_t)i, i ? 0x501 : 0x601, 0x701, 0x801};
		for (size_t k = 0; k < 6; k++)
			put_word(&b, rec[k], 8, false);
	}
	struct cprof_profile *p = NULL;
	struct cprof_error err;
	CHECK_INT(cprof_parse_profile((unsigned char *)b.buf, b.len, &p, &err), 0);
	CHECK_INT(p->period, 1000);
	/* first pass strips 0x500, the second 0x700 (now second in 32 of 33) */
	CHECK_INT(p->sample[1].nloc, 2);
	CHECK_INT(p->location[p->sample[1].loc[1]].address, 0x800);
	CHECK_INT(p->sample[0].nloc, 4);
	CHECK_INT(p->location[p->sample[0].loc[1]].address, 0x600);
	CHECK_INT(p->nmapping, 1); /* the fake one */
	CHECK_INT(p->mapping[0].limit, (int64_t)UINT64_MAX);
	cprof_profile_free(p);
	strbuf_release(&b);
	return 0;
}

int test_legacy_cpu_truncated_words(void)
{
	/*
	 * 64-bit words, a record length checked in 4-byte words: the missing
	 * pc reads as 0 (then -1); as the only sample, its second and third
	 * frames count as the signal handler's and go
	 */
	struct strbuf b = STRBUF_INIT;
	static const uint64_t w[] = {0, 3, 0, 100, 0, 7, 3, 0x1234, 0x5678};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(w); i++)
		put_word(&b, w[i], 8, false);
	CHECK_INT(expect_dump(b.buf, b.len,
			      "PeriodType: cpu nanoseconds\n"
			      "Period: 100000\n"
			      "Samples:\n"
			      "samples/count cpu/nanoseconds\n"
			      "          7     700000: 1 \n"
			      "Locations\n"
			      "     1: 0x1234 M=1 \n"
			      "Mappings\n"
			      "1: 0x0/0xffffffffffffffff/0x0   \n"),
		  0);
	/* a record longer than the data: not this format */
	strbuf_reset(&b);
	static const uint64_t w2[] = {0, 3, 0, 100, 0, 7, 3};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(w2); i++)
		put_word(&b, w2[i], 4, false);
	struct cprof_profile *p = NULL;
	struct cprof_error err;
	CHECK_INT(cprof_legacy_cpu_parse((unsigned char *)b.buf, b.len, &p, &err), -1);
	CHECK_INT(err.code, CPROF_E_FORMAT);
	strbuf_release(&b);
	return 0;
}

int test_legacy_heap(void)
{
	CHECK_INT(expect_dump(in_heapv2, strlen(in_heapv2), out_heapv2), 0);
	CHECK_INT(expect_dump(in_goheap, strlen(in_goheap), out_goheap), 0);
	return 0;
}

int test_legacy_count(void)
{
	return expect_dump(in_count, strlen(in_count), out_count);
}

int test_legacy_contention(void)
{
	return expect_dump(in_contention, strlen(in_contention), out_contention);
}

int test_legacy_thread(void)
{
	return expect_dump(in_thread, strlen(in_thread), out_thread);
}

int test_legacy_java(void)
{
	CHECK_INT(expect_dump(in_jheap, strlen(in_jheap), out_jheap), 0);
	CHECK_INT(expect_dump(in_jcont, strlen(in_jcont), out_jcont), 0);
	return 0;
}

int test_legacy_errors(void)
{
	/* pprof's fuzz crasher 7e3c9248... */
	CHECK_INT(expect_error("--- heapz 1 ---\nformat = java\n0 0 @ 0\n",
			       "parsing profile: parsing sample 0 0 @ 0: second value must be non-zero"),
		  0);
	CHECK_INT(expect_error("--- heapz 1 ---\nformat = java\n 5 1 @ 0x1\n",
			       "parsing profile: missing sample type information"),
		  0);
	CHECK_INT(expect_error("--- contentionz 1 ---\nformat = java\nsampling period = 1x\n",
			       "parsing profile: failed to parse attribute sampling period = 1x: "
			       "strconv.ParseInt: parsing \"1x\": invalid syntax"),
		  0);
	CHECK_INT(expect_error("--- heapz 1 ---\nformat = java\nresolution = bytes\n 5 09 @ 0x1\n",
			       "parsing profile: parsing sample 5 09 @ 0x1: strconv.ParseInt: parsing \"09\": invalid syntax"),
		  0);
	CHECK_INT(expect_error("threadcreate profile: total 5\n5 @\n",
			       "parsing profile: malformed profile format, at line 2: '5 @'"), 0);
	CHECK_INT(expect_error("goroutine profile: total 5\n1 @ 0x1 \n",
			       "parsing profile: malformed profile format, at line 2: '1 @ 0x1 '"), 0);
	CHECK_INT(expect_error("heap profile: 1: 2 [3: 4] @ heap/2\n0: 5 [0: 0] @ 0x1\n",
			       "parsing profile: inuse count was 0 but inuse bytes was 5, at line 2"),
		  0);
	CHECK_INT(expect_error("heap profile: 1: 2 [3: 4] @ heap/2\nfoo\n",
			       "parsing profile: unexpected number of sample values: got 0, want 6, at line 2"),
		  0);
	CHECK_INT(expect_error("heap profile: 1: 2 [3: 4] @ heap/2\n1: 99999999999999999999 [0: 0] @ 0x1\n",
			       "parsing profile: malformed sample: 1: 99999999999999999999 [0: 0] @ 0x1: "
			       "strconv.ParseInt: parsing \"99999999999999999999\": value out of range, at line 2"),
		  0);
	CHECK_INT(expect_error("heap profile: 1: 2 [3: 4] @ heap/2\n1: 1 [0: 0] @ 0x11112222333344445\n",
			       "parsing profile: malformed sample: 1: 1 [0: 0] @ 0x11112222333344445: "
			       "failed to parse as hex 64-bit number: 0x11112222333344445, at line 2"),
		  0);
	CHECK_INT(expect_error("heap profile: 1: 2 [3: 4] @ heapz\n", "parsing profile: unrecognized profile format"), 0);
	CHECK_INT(expect_error("--- contention:\nfoo = 1\n", "parsing profile: unrecognized profile format"), 0);
	/* bufio.Scanner's limit: a 64 KiB line */
	struct strbuf b = STRBUF_INIT;
	strbuf_addstr(&b, "# x\n");
	strbuf_addchars(&b, 'a', 65536);
	CHECK_INT(expect_error(b.buf, "parsing profile: bufio.Scanner: token too long"), 0);
	strbuf_setlen(&b, b.len - 1);
	CHECK_INT(expect_error(b.buf, "parsing profile: unrecognized profile format"), 0);
	strbuf_release(&b);
	return 0;
}

/* Every prefix of every input parses or fails cleanly (run under ASan in CI). */
int test_legacy_truncation(void)
{
	const char *texts[] = {in_heapv2, in_goheap, in_count, in_contention, in_thread, in_jheap, in_jcont};
	struct strbuf b = STRBUF_INIT;

	for (int k = 0; k < 4; k++) {
		cpu_profile(&b, k < 2 ? 4 : 8, k & 1);
		for (size_t n = 0; n <= b.len; n++) {
			char *copy = cprof_xmalloc(n ? n : 1); /* exact size: ASan sees overreads */
			memcpy(copy, b.buf, n);
			struct cprof_profile *p = NULL;
			struct cprof_error err;
			if (cprof_parse_profile((unsigned char *)copy, n, &p, &err) == 0)
				CHECK(cprof_profile_check_valid(p, &err) == 0);
			cprof_profile_free(p);
			free(copy);
		}
	}
	for (size_t t = 0; t < CPROF_ARRAY_SIZE(texts); t++) {
		size_t len = strlen(texts[t]);
		for (size_t n = 0; n <= len; n++) {
			char *copy = cprof_xmalloc(n ? n : 1);
			memcpy(copy, texts[t], n);
			struct cprof_profile *p = NULL;
			struct cprof_error err;
			if (cprof_parse_profile((unsigned char *)copy, n, &p, &err) == 0)
				CHECK(cprof_profile_check_valid(p, &err) == 0);
			else
				CHECK(strncmp(cprof_error_msg(&err), "parsing profile: ", 17) == 0 ||
				      strncmp(cprof_error_msg(&err), "malformed profile: ", 19) == 0);
			cprof_profile_free(p);
			free(copy);
		}
	}
	strbuf_release(&b);
	return 0;
}

int test_legacy_drop_frames(void)
{
	struct cprof_profile *p = NULL;
	struct cprof_error err;

	CHECK_INT(cprof_parse_profile((const unsigned char *)in_heapv2, strlen(in_heapv2), &p, &err), 0);
	CHECK(strncmp(p->drop_frames, "calloc|cfree|malloc|free|memalign|", 34) == 0);
	CHECK(strstr(p->drop_frames, "|runtime\\..*|") != NULL);
	CHECK(strstr(p->drop_frames, "|operator new(\\[\\])?|simple_alloc::allocate") != NULL);
	CHECK_STR(p->keep_frames, "runtime\\.panic|runtime\\.reflectcall|runtime\\.call[0-9]*");
	cprof_profile_free(p);
	CHECK_INT(cprof_parse_profile((const unsigned char *)in_contention, strlen(in_contention), &p, &err), 0);
	CHECK(strncmp(p->drop_frames, "RecordLockProfileData|(base::)?RecordLockProfileData.*|", 55) == 0);
	CHECK_STR(p->keep_frames, "");
	cprof_profile_free(p);
	CHECK_INT(cprof_parse_profile((const unsigned char *)in_thread, strlen(in_thread), &p, &err), 0);
	CHECK_STR(p->drop_frames, "ProfileData::Add|ProfileData::prof_handler|CpuProfiler::prof_handler|"
				  "__pthread_sighandler|__restore");
	cprof_profile_free(p);
	return 0;
}

/* (in_heapv2 is left out: its label bytes:[0] does not survive profile.proto, in pprof either) */
int test_legacy_roundtrip(void)
{
	const char *texts[] = {in_goheap, in_count, in_contention, in_thread, in_jheap, in_jcont};
	for (size_t t = 0; t < CPROF_ARRAY_SIZE(texts); t++) {
		struct cprof_profile *p = NULL, *q = NULL;
		struct cprof_error err;
		struct strbuf a = STRBUF_INIT, enc = STRBUF_INIT, b = STRBUF_INIT;
		CHECK_INT(cprof_parse_profile((const unsigned char *)texts[t], strlen(texts[t]), &p, &err), 0);
		CHECK_INT(cprof_pprof_encode_raw(p, &enc, &err), 0);
		CHECK_INT(cprof_parse_profile((unsigned char *)enc.buf, enc.len, &q, &err), 0);
		cprof_profile_dump_upstream(p, &a);
		cprof_profile_dump_upstream(q, &b);
		CHECK_STR(b.buf, a.buf);
		CHECK_STR(q->drop_frames, p->drop_frames);
		cprof_profile_free(p);
		cprof_profile_free(q);
		strbuf_release(&a);
		strbuf_release(&b);
		strbuf_release(&enc);
	}
	return 0;
}

/* ---- Go's number parsing and arithmetic ------------------------------------ */

static int int_case(const char *s, int base, int64_t want, const char *msg)
{
	int64_t v;
	char m[200] = "";
	int r = go_parse_int(span_make(s, strlen(s)), base, &v, m, sizeof(m));
	if (msg) {
		CHECK_INT(r, -1);
		CHECK_STR(m, msg);
	} else {
		CHECK_INT(r, 0);
		CHECK_INT(v, want);
	}
	return 0;
}

int test_legacy_strconv(void)
{
	CHECK_INT(int_case("010", 0, 8, NULL), 0);
	CHECK_INT(int_case("0x1F", 0, 31, NULL), 0);
	CHECK_INT(int_case("0b101", 0, 5, NULL), 0);
	CHECK_INT(int_case("0o17", 0, 15, NULL), 0);
	CHECK_INT(int_case("-1_000", 0, -1000, NULL), 0);
	CHECK_INT(int_case("0", 0, 0, NULL), 0);
	CHECK_INT(int_case("+7", 10, 7, NULL), 0);
	CHECK_INT(int_case("-9223372036854775808", 10, INT64_MIN, NULL), 0);
	CHECK_INT(int_case("09", 0, 0, "strconv.ParseInt: parsing \"09\": invalid syntax"), 0);
	CHECK_INT(int_case("0x", 0, 0, "strconv.ParseInt: parsing \"0x\": invalid syntax"), 0);
	CHECK_INT(int_case("1__0", 0, 0, "strconv.ParseInt: parsing \"1__0\": invalid syntax"), 0);
	CHECK_INT(int_case("1_0", 10, 0, "strconv.ParseInt: parsing \"1_0\": invalid syntax"), 0);
	CHECK_INT(int_case("", 10, 0, "strconv.ParseInt: parsing \"\": invalid syntax"), 0);
	CHECK_INT(int_case("9223372036854775808", 10, 0,
			   "strconv.ParseInt: parsing \"9223372036854775808\": value out of range"),
		  0);
	/* the range error is found before the bad digit */
	CHECK_INT(int_case("99999999999999999999x", 10, 0,
			   "strconv.ParseInt: parsing \"99999999999999999999x\": value out of range"),
		  0);

	uint64_t u;
	char m[200];
	CHECK_INT(go_parse_uint(span_make("ffffffffffffffff", 16), 16, &u, m, sizeof(m)), 0);
	CHECK(u == UINT64_MAX);
	CHECK_INT(go_parse_uint(span_make("10000000000000000", 17), 16, &u, m, sizeof(m)), -1);
	CHECK_STR(m, "strconv.ParseUint: parsing \"10000000000000000\": value out of range");

	CHECK_INT(go_f2i(1e300), INT64_MIN);
	CHECK_INT(go_f2i(NAN), INT64_MIN);
	CHECK_INT(go_f2i(-2.9), -2);
	CHECK_INT(go_div(INT64_MIN, -1), INT64_MIN);
	CHECK_INT(go_mul(INT64_MAX, 2), -2);
	return 0;
}

/* math.Exp of Go 1.19 on amd64 with FMA, bit for bit. */
int test_legacy_go_exp(void)
{
	static const struct {
		uint64_t x, want;
	} cases[] = {
		{0xbf80000000000000ULL, 0x3fefc03fd56aa225ULL}, /* -1/128 */
		{0xbfd5555555555555ULL, 0x3fe6edd3122f2ea5ULL}, /* -1/3 */
		{0xbfe0000000000000ULL, 0x3fe368b2fc6f960aULL},
		{0xbff0000000000000ULL, 0x3fd78b56362cef38ULL},
		{0xc004000000000000ULL, 0x3fb50385c094f425ULL},
		{0xc024000000000000ULL, 0x3f07cd79b5647c9bULL},
		{0xc059000000000000ULL, 0x36ea8c1f14e2af5dULL},
		{0xc085e00000000000ULL, 0x00d14f2b0fb9307fULL}, /* -700: subnormal */
		{0xc087480000000000ULL, 0x0000000000000001ULL}, /* -745 */
		{0xc087500000000000ULL, 0x0000000000000000ULL}, /* -746 */
		{0xc202a05f20000000ULL, 0x0000000000000000ULL}, /* -1e10 */
		{0x0000000000000000ULL, 0x3ff0000000000000ULL},
		{0x3ff0000000000000ULL, 0x4005bf0a8b145769ULL},
		{0x3fe62d0e56041893ULL, 0x3ffffecb5cda67f1ULL},
		{0x4086280000000000ULL, 0x7fdd422d2be5dc9bULL}, /* 709 */
		{0x4086300000000000ULL, 0x7ff0000000000000ULL}, /* 710 */
		{0xbf1f75104d551d69ULL, 0x3fefff045b5b1ab0ULL},
		{0xc02abd70a3d70a3dULL, 0x3eba31ad57ba12f4ULL},
		{0xbe29c511dc3a41dfULL, 0x3feffffffe63aee2ULL},
	};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(cases); i++) {
		double x, y;
		uint64_t got;
		memcpy(&x, &cases[i].x, sizeof(x));
		y = go_exp(x);
		memcpy(&got, &y, sizeof(got));
#if defined(__x86_64__) && defined(__GNUC__)
		if (__builtin_cpu_supports("avx") && __builtin_cpu_supports("fma")) {
			if (got != cases[i].want)
				fprintf(stderr, "go_exp(%a) = %#" PRIx64 ", want %#" PRIx64 "\n", x, got, cases[i].want);
			CHECK(got == cases[i].want);
			continue;
		}
#endif
		/* without FMA Go takes another path: close, not bit-exact here */
		double w;
		memcpy(&w, &cases[i].want, sizeof(w));
		CHECK(w == y || fabs(w - y) <= 4e-16 * fabs(w));
	}
	return 0;
}

/* ---- text pieces ------------------------------------------------------------- */

int test_legacy_trim_space(void)
{
	struct span s = go_trim_space(span_make("\v\xc2\xa0 x y\t\xe3\x80\x80", 11));
	CHECK_INT(s.n, 3);
	CHECK(memcmp(s.p, "x y", 3) == 0);
	s = go_trim_space(span_make("\xe2\x80\x8bx", 4)); /* U+200B is not a space */
	CHECK_INT(s.n, 4);
	CHECK(is_space_or_comment(span_make("  # x", 5)));
	CHECK(!is_space_or_comment(span_make(" x #", 4)));
	return 0;
}

static int map_case(const char *line, const char *start, const char *limit, const char *perm,
		    const char *offset, const char *file, const char *build_id)
{
	struct map_entry e;
	bool ok = legacy_match_map_line(span_make(line, strlen(line)), &e);
	if (!start) {
		CHECK(!ok);
		return 0;
	}
	CHECK(ok);
#define FIELD(f, want)                                                                 \
	do {                                                                               \
		char *got_ = cprof_xstrndup(e.f.p, e.f.n);                                     \
		if (strcmp(got_, want)) {                                                      \
			fprintf(stderr, "%s: " #f " = [%s], want [%s]\n", line, got_, want);       \
			free(got_);                                                                \
			return 1;                                                                  \
		}                                                                              \
		free(got_);                                                                    \
	} while (0)
	FIELD(start, start);
	FIELD(limit, limit);
	FIELD(perm, perm);
	FIELD(offset, offset);
	FIELD(file, file);
	FIELD(build_id, build_id);
#undef FIELD
	return 0;
}

int test_legacy_map_lines(void)
{
	/* /proc/self/maps */
	CHECK_INT(map_case("00400000-00c6a000 r-xp 00000000 fc:01 1720362    /usr/local/bin/server", "00400000",
			   "00c6a000", "r-xp", "00000000", "/usr/local/bin/server", ""), 0);
	CHECK_INT(map_case("7f0000000000-7f0000001000 r-xp 00001000 08:01 99", "7f0000000000", "7f0000001000",
			   "r-xp", "00001000", "", ""), 0);
	/* no offset column: the device is the hex pair */
	CHECK_INT(map_case("400000-500000 r-xp 08:01 1234 /x", "400000", "500000", "r-xp", "", "/x", ""), 0);
	/* brief forms */
	CHECK_INT(map_case("0x40000-0x80000 /path/to/binary (@FF00) abc123456", "40000", "80000", "", "FF00",
			   "/path/to/binary", "abc123456"), 0);
	CHECK_INT(map_case("  40000-80000: /lib/x.so", "40000", "80000", "", "", "/lib/x.so", ""), 0);
	CHECK_INT(map_case("40000 80000 r-x /bin/y", "40000", "80000", "r-x", "", "/bin/y", ""), 0);
	/* RE2's backtracking: "abc-xyz" splits the first number */
	CHECK_INT(map_case("abc-xyz", "ab", "c", "", "", "", ""), 0);
	CHECK_INT(map_case("-400000", NULL, NULL, NULL, NULL, NULL, NULL), 0);
	CHECK_INT(map_case("", NULL, NULL, NULL, NULL, NULL, NULL), 0);

	struct span s = legacy_strip_log_prefix(span_make("I0101 12:00:00.000 1 heap.cc:12] 0-1 x", 38));
	CHECK_INT(s.n, 5);
	s = legacy_strip_log_prefix(span_make("a [b:1] c", 9));
	CHECK_INT(s.n, 9);
	CHECK(legacy_is_lib_name(span_make("/lib/libc.so.6", 14)));
	CHECK(legacy_is_lib_name(span_make("x.so", 4)));
	CHECK(legacy_is_lib_name(span_make("x.so_1", 6)));
	CHECK(!legacy_is_lib_name(span_make("x.sox", 5)));
	return 0;
}

/* ---- Go's '#' comment lines ------------------------------------------------- */

static const char *fn_name(const struct cprof_profile *p, const struct cprof_location *l, uint32_t k)
{
	return p->function[l->line[k].fn].name;
}

int test_legacy_text_comments(void)
{
	struct cprof_profile *p = NULL;
	struct cprof_error err;
	struct strbuf out = STRBUF_INIT;

	CHECK_INT(cprof_parse_profile((const unsigned char *)in_goheap, strlen(in_goheap), &p, &err), 0);
	CHECK(p->text_comments != NULL);
	CHECK_INT(cprof_profile_use_text_comments(p, true), 5);
	CHECK(p->text_comments == NULL);
	/* 0x401000 main.alloc, 0x402001 main.main, 0x401100 inlined+outer, 0x403002 goexit, 0x405004 hidden */
	CHECK_INT(p->location[0].nline, 1);
	CHECK_STR(fn_name(p, &p->location[0], 0), "main.alloc");
	CHECK_STR(p->function[p->location[0].line[0].fn].filename, "/src/main.go");
	CHECK_INT(p->location[0].line[0].line, 12);
	CHECK_INT(p->location[2].nline, 2);
	CHECK_STR(fn_name(p, &p->location[2], 0), "main.inlined");
	CHECK_STR(fn_name(p, &p->location[2], 1), "main.outer");
	CHECK_STR(fn_name(p, &p->location[3], 0), "runtime.goexit");
	CHECK_STR(fn_name(p, &p->location[4], 0), "runtime.<hidden>");
	CHECK(p->mapping[0].has_functions && p->mapping[0].has_filenames && p->mapping[0].has_line_numbers &&
	      p->mapping[0].has_inline_frames);
	CHECK_INT(p->nfunction, 6);
	CHECK_INT(p->function[5].id, 6);
	CHECK_INT(cprof_profile_check_valid(p, &err), 0);
	cprof_profile_free(p);

	/* symbol table only: the outermost function, no file or line */
	CHECK_INT(cprof_parse_profile((const unsigned char *)in_goheap, strlen(in_goheap), &p, &err), 0);
	CHECK_INT(cprof_profile_use_text_comments(p, false), 5);
	CHECK_INT(p->location[2].nline, 1);
	CHECK_STR(fn_name(p, &p->location[2], 0), "main.outer");
	CHECK_STR(p->function[p->location[2].line[0].fn].filename, "");
	CHECK(!p->mapping[0].has_filenames && !p->mapping[0].has_line_numbers);
	cprof_profile_free(p);

	/* recursion: one frame per copy; labels with Go's quoting */
	CHECK_INT(cprof_parse_profile((const unsigned char *)in_count, strlen(in_count), &p, &err), 0);
	cprof_profile_use_text_comments(p, true);
	cprof_profile_dump(p, &out);
	CHECK_STR(out.buf, "PeriodType: goroutine count\n"
			   "Period: 1\n"
			   "Samples:\n"
			   "goroutine/count\n"
			   "          2: 1 2 3 \n"
			   "                group:[a] role:[w\"x]\n"
			   "          1: 1 4 4 3 \n"
			   "          8: 1 \n"
			   "Locations\n"
			   "     1: 0x438175 M=1 runtime.<hidden> :0 s=0\n"
			   "     2: 0x4c6249 M=1 pool.worker /src/pool.go:34 s=0\n"
			   "     3: 0x464c80 M=1 runtime.goexit :0 s=0\n"
			   "     4: 0x4cb893 M=1 main.nest /src/main.go:468 s=0\n"
			   "Mappings\n"
			   "1: 0x0/0xffffffffffffffff/0x0   [FN][FL][LN][IN]\n");
	cprof_profile_free(p);

	/*
	 * Go 1.19's fake PCs: inl (entry 0x401000 + 0x26) inlined into outer
	 * (entry 0x401000), then a recursive outer (same entry, same name):
	 * the first two entries become one location, shared by both stacks
	 */
	static const char in_fake[] = "goroutine profile: total 3\n"
				      "2 @ 0x401027 0x401015 0x401015 0x402001\n"
				      "#\t0x401026\tmain.inl+0x26\t/src/a.go:5\n"
				      "#\t0x401014\tmain.outer+0x14\t/src/a.go:9\n"
				      "#\t0x401014\tmain.outer+0x14\t/src/a.go:9\n"
				      "#\t0x402000\tmain.main+0x0\t/src/a.go:20\n"
				      "\n"
				      "1 @ 0x401027 0x401015 0x403001\n"
				      "#\t0x401026\tmain.inl+0x26\t/src/a.go:5\n"
				      "#\t0x401014\tmain.outer+0x14\t/src/a.go:9\n"
				      "#\t0x403000\tmain.other+0x0\t/src/a.go:30\n";
	strbuf_reset(&out);
	CHECK_INT(cprof_parse_profile((const unsigned char *)in_fake, strlen(in_fake), &p, &err), 0);
	cprof_profile_use_text_comments(p, true);
	CHECK_INT(p->nsample, 2);
	CHECK_INT(p->sample[0].nloc, 3);
	CHECK_INT(p->sample[1].nloc, 2);
	CHECK_INT(p->sample[0].loc[0], p->sample[1].loc[0]);
	const struct cprof_location *fl = &p->location[p->sample[0].loc[0]];
	CHECK_INT(fl->address, 0x401026);
	CHECK_INT(fl->nline, 2);
	CHECK_STR(fn_name(p, fl, 0), "main.inl");
	CHECK_STR(fn_name(p, fl, 1), "main.outer");
	CHECK_STR(fn_name(p, &p->location[p->sample[0].loc[1]], 0), "main.outer");
	CHECK_INT(p->location[p->sample[0].loc[1]].nline, 1);
	CHECK_INT(cprof_profile_check_valid(p, &err), 0);
	cprof_profile_free(p);
	/* without line information nothing is folded */
	CHECK_INT(cprof_parse_profile((const unsigned char *)in_fake, strlen(in_fake), &p, &err), 0);
	cprof_profile_use_text_comments(p, false);
	CHECK_INT(p->sample[0].nloc, 4);
	cprof_profile_free(p);

	/* formats without such lines have none */
	CHECK_INT(cprof_parse_profile((const unsigned char *)in_heapv2, strlen(in_heapv2), &p, &err), 0);
	CHECK(p->text_comments == NULL);
	CHECK_INT(cprof_profile_use_text_comments(p, true), 0);
	cprof_profile_free(p);
	strbuf_release(&out);
	return 0;
}
