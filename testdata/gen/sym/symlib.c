/* symlib.c - the shared library of the C workload (libsymlib.so). */
#include <stddef.h>
#include <stdint.h>

static inline uint32_t rotl(uint32_t x, int r)
{
	return (x << r) | (x >> (32 - r));
}

static uint32_t adler_step(uint32_t a, uint32_t b, uint8_t c, uint32_t *bo)
{
	a = (a + c) % 65521;
	*bo = (b + a) % 65521;
	return a;
}

uint64_t lib_checksum(const uint8_t *p, size_t n)
{
	uint32_t a = 1, b = 0, h = 0;
	for (int round = 0; round < 4; round++)
		for (size_t i = 0; i < n; i++) {
			a = adler_step(a, b, p[i], &b);
			h = rotl(h ^ a, 5);
		}
	return ((uint64_t)b << 32 | a) ^ h;
}
