/* symc.h - shared declarations of the C symbolization workload. */
#include <stddef.h>
#include <stdint.h>

uint64_t matrix_work(int n, uint32_t seed);
uint64_t lib_checksum(const uint8_t *p, size_t n); /* in libsymlib.so */
