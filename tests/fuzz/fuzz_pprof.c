/* fuzz_pprof.c - fuzz target: profile.proto decoder (formats/pprof_read.c, formats/pprof_valid.c). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parse_with(cprof_pprof_decode, data, size);
}
