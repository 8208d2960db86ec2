/* fuzz_legacy_heap.c - fuzz target: heap text profiles (formats/legacy_heap.c). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parse_with(cprof_legacy_heap_parse, data, size);
}
