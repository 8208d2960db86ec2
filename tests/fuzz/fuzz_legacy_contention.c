/* fuzz_legacy_contention.c - fuzz target: contention, block and mutex text profiles (formats/legacy_contention.c). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parse_with(cprof_legacy_contention_parse, data, size);
}
