/* symc_util.c - a second compilation unit of the C workload. */
#include <stdlib.h>
#include "symc.h"

static inline double at(const double *m, int n, int i, int j)
{
	return m[i * n + j];
}

static inline void fma_set(double *m, int n, int i, int j, double v)
{
	m[i * n + j] += v;
}

static void mul(const double *a, const double *b, double *c, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			for (int k = 0; k < n; k++)
				fma_set(c, n, i, j, at(a, n, i, k) * at(b, n, k, j));
}

uint64_t matrix_work(int n, uint32_t seed)
{
	double *a = calloc((size_t)(n * n), sizeof(double));
	double *b = calloc((size_t)(n * n), sizeof(double));
	double *c = calloc((size_t)(n * n), sizeof(double));
	for (int i = 0; i < n * n; i++) {
		seed = seed * 1664525u + 1013904223u;
		a[i] = (double)(seed >> 16) / 65536.0;
		b[i] = (double)(seed & 0xffff) / 65536.0;
	}
	for (int r = 0; r < 4; r++)
		mul(a, b, c, n);
	uint64_t s = (uint64_t)c[n + 1];
	free(a);
	free(b);
	free(c);
	return s;
}
