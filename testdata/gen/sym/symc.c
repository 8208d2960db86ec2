/*
 * symc.c - the C workload of the symbolization tests (testdata/README.md).
 *
 * Built at -O1 and -O2, PIE and non-PIE, with and without DWARF, and
 * stripped with a separate debug file, then run under gperftools'
 * CPU profiler (CPUPROFILE=...). It is written to give the profile
 * inlined frames (static inline helpers), gcc clones (constprop/isra),
 * recursion, a second compilation unit (symc_util.c), a shared library
 * (libsymlib.so) and calls into libc.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "symc.h"

static volatile uint64_t sink;

static inline uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v;
	h *= 0x100000001b3ULL;
	return h ^ (h >> 29);
}

static inline uint64_t hash_block(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++)
		h = mix(h, p[i]);
	return h;
}

static uint64_t fib(unsigned n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static __attribute__((noinline)) void sort_work(uint32_t *v, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		v[i] = seed >> 8;
	}
	qsort(v, n, sizeof(v[0]), cmp_u32);
}

static __attribute__((noinline)) uint64_t hash_work(uint8_t *buf, size_t n, int rounds)
{
	uint64_t h = 0;
	for (int r = 0; r < rounds; r++) {
		memset(buf, r, n);
		h += hash_block(buf, n);
	}
	return h;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 0.5;
	uint32_t *v = malloc(4096 * sizeof(*v));
	uint8_t *buf = malloc(8192);
	double end = now() + seconds;
	uint32_t round = 0;
	while (now() < end) {
		sort_work(v, 4096, round);
		sink += hash_work(buf, 8192, 8);
		sink += fib(20);
		sink += matrix_work(24, round);
		sink += lib_checksum(buf, 8192);
		round++;
	}
	printf("%u rounds\n", (unsigned)round);
	free(v);
	free(buf);
	return 0;
}
