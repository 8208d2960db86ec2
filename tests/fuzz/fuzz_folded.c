/* fuzz_folded.c - fuzz target: folded stacks (formats/folded.c). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parse_with(cprof_folded_parse, data, size);
}
