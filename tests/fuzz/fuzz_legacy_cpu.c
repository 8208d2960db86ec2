/* fuzz_legacy_cpu.c - fuzz target: gperftools / Go binary CPU profiles (formats/legacy_cpu.c). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parse_with(cprof_legacy_cpu_parse, data, size);
}
