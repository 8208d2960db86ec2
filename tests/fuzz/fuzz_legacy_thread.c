/* fuzz_legacy_thread.c - fuzz target: threadz profiles (formats/legacy_thread.c). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parse_with(cprof_legacy_thread_parse, data, size);
}
