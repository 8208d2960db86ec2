/* fuzz_goroutine_dump.c - fuzz target: goroutine dumps and tracebacks (formats/goroutine_dump.c). */
#include "cprof/goroutines.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cprof_profile *p = NULL;
	struct cprof_error err;
	struct cprof_goroutine_opts opts = {NULL, NULL};
	struct cprof_goroutine_summary s;
	struct strbuf sb = STRBUF_INIT;

	fuzz_set_limits();
	if (cprof_goroutine_dump_parse(data, size, &p, &err) < 0)
		return 0;
	if (cprof_goroutines_summarize(p, &opts, &s, &err) == 0) {
		cprof_goroutines_render_text(&s, &sb);
		cprof_goroutines_render_json(&s, &sb);
		cprof_goroutine_summary_release(&s);
	}
	strbuf_release(&sb);
	fuzz_use_profile(p);
	return 0;
}
