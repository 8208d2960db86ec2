/*
 * fuzz_legacy_maps.c - fuzz target: the memory map section of legacy
 * profiles (formats/legacy_maps.c), after a fixed heap profile.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static const char head[] = "heap profile: 1: 2 [3: 4] @ heap/1048576\n"
			   "1: 2 [3: 4] @ 0x401000 0x7f0000001000 0x402000\n"
			   "--- Memory map: ---\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = sizeof(head) - 1;
	unsigned char *buf = malloc(n + size + 1);

	if (!buf)
		return 0;
	memcpy(buf, head, n);
	if (size)
		memcpy(buf + n, data, size);
	fuzz_parse_with(cprof_legacy_heap_parse, buf, n + size);
	free(buf);
	return 0;
}
