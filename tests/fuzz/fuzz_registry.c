/* fuzz_registry.c - fuzz target: the format registry, every parser in pprof's order (formats/registry.c). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parse_with(cprof_parse_profile, data, size);
}
