/*
 * cperf.c - a small C program profiled with gperftools to make the legacy
 * profiles in testdata/gperf/ (see generate.sh next to it and
 * testdata/README.md).
 *
 * A fixed amount of work, no timing and no randomness beyond a fixed
 * seed, so each run does the same thing:
 *
 *   CPU phase (CPU profiler on): hashing, a recursive Fibonacci, a small
 *   matrix product, qsort with a callback (frames inside libc), and a
 *   function reached through two call paths.
 *
 *   heap phase (heap profiler on): list nodes that stay live, buffers of
 *   several sizes of which half are freed, strdup/calloc/realloc; a heap
 *   profile is written before the frees ("live") and after them ("end").
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gperftools/heap-profiler.h>
#include <gperftools/profiler.h>

#define NOINLINE __attribute__((noinline))

static volatile uint64_t sink;

NOINLINE static uint64_t hash_bytes(const unsigned char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

NOINLINE static uint64_t fib(int n)
{
	return n < 2 ? (uint64_t)n : fib(n - 1) + fib(n - 2);
}

#define N 96
static double ma[N][N], mb[N][N], mc[N][N];

NOINLINE static void matmul(void)
{
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			double s = 0;
			for (int k = 0; k < N; k++)
				s += ma[i][k] * mb[k][j];
			mc[i][j] = s;
		}
}

NOINLINE static int cmp_ints(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

NOINLINE static void sort_ints(int *v, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		v[i] = (int)(seed >> 8);
	}
	qsort(v, n, sizeof(*v), cmp_ints);
}

NOINLINE static uint64_t shared_work(int rounds)
{
	unsigned char buf[4096];
	uint64_t h = 0;
	for (int r = 0; r < rounds; r++) {
		memset(buf, r & 0xff, sizeof(buf));
		h += hash_bytes(buf, sizeof(buf));
	}
	return h;
}

NOINLINE static void path_a(void)
{
	sink += shared_work(3000);
}

NOINLINE static void path_b(void)
{
	sink += shared_work(1500);
}

NOINLINE static void cpu_phase(void)
{
	static unsigned char data[1 << 16];
	static int ints[1 << 16];

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 7);
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++)
			ma[i][j] = i + j, mb[i][j] = i - j;
	for (int round = 0; round < 6; round++) {
		for (int i = 0; i < 200; i++)
			sink += hash_bytes(data, sizeof(data));
		sink += fib(30);
		for (int i = 0; i < 80; i++)
			matmul();
		for (int i = 0; i < 6; i++)
			sort_ints(ints, sizeof(ints) / sizeof(ints[0]), (unsigned)(round * 20 + i));
		path_a();
		path_b();
	}
}

struct node {
	struct node *next;
	char payload[48];
};

NOINLINE static struct node *make_node(struct node *next)
{
	struct node *n = malloc(sizeof(*n));
	n->next = next;
	memset(n->payload, 1, sizeof(n->payload));
	return n;
}

NOINLINE static void *make_buffer(size_t size)
{
	void *p = malloc(size);
	memset(p, 2, size);
	return p;
}

NOINLINE static char *make_name(int i)
{
	char tmp[64];
	snprintf(tmp, sizeof(tmp), "name-%d-with-some-text", i);
	return strdup(tmp);
}

NOINLINE static int *grow_array(int *a, size_t n)
{
	a = realloc(a, n * sizeof(*a));
	for (size_t i = 0; i < n; i++)
		a[i] = (int)i;
	return a;
}

int main(int argc, char **argv)
{
	const char *out = argc > 1 ? argv[1] : ".";
	char path[4096];

	snprintf(path, sizeof(path), "%s/cpu.prof", out);
	ProfilerStart(path);
	cpu_phase();
	ProfilerStop();

	snprintf(path, sizeof(path), "%s/heap", out);
	HeapProfilerStart(path);
	struct node *list = NULL;
	void *bufs[300];
	char *names[200];
	int *arr = NULL;
	for (int i = 0; i < 2000; i++)
		list = make_node(list);
	for (int i = 0; i < 300; i++)
		bufs[i] = make_buffer(i % 3 == 0 ? 100 : i % 3 == 1 ? 4096 : 65536);
	for (int i = 0; i < 200; i++)
		names[i] = make_name(i);
	for (size_t n = 16; n <= 1 << 16; n *= 2)
		arr = grow_array(arr, n);
	int *zeros = calloc(1000, sizeof(int));
	HeapProfilerDump("live");
	for (int i = 0; i < 300; i += 2)
		free(bufs[i]);
	for (int i = 0; i < 200; i += 2)
		free(names[i]);
	free(zeros);
	HeapProfilerDump("end");
	HeapProfilerStop();
	sink += (uintptr_t)list + (uintptr_t)arr;
	return 0;
}
