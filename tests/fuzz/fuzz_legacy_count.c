/* fuzz_legacy_count.c - fuzz target: Go count profiles, goroutine and threadcreate (formats/legacy_count.c). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parse_with(cprof_legacy_count_parse, data, size);
}
