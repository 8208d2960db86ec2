/* fuzz_memstats.c - fuzz target: the "# runtime.MemStats" block (formats/memstats.c, src/runtime/memstats.c). */
#include "cprof/memstats.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cprof_memstats ms;
	struct cprof_memstats_derived d;
	struct cprof_error err;
	struct strbuf sb = STRBUF_INIT;

	if (cprof_memstats_parse((const char *)data, size, &ms, &err) < 0)
		return 0;
	cprof_memstats_derive(&ms, &d);
	cprof_memstats_render_text(&ms, &d, "fuzz", &sb);
	cprof_memstats_render_json(&ms, &d, &sb);
	strbuf_release(&sb);
	return 0;
}
