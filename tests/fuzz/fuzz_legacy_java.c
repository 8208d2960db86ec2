/* fuzz_legacy_java.c - fuzz target: Java heapz/contentionz/CPU profiles (formats/legacy_java.c). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parse_with(cprof_legacy_java_parse, data, size);
}
