/* fuzz_gctrace.c - fuzz target: GODEBUG=gctrace=1 logs (formats/gctrace.c, src/runtime/gcstats.c). */
#include "cprof/runtime_logs.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cprof_gclog log;
	struct cprof_gc_summary s;
	struct strbuf sb = STRBUF_INIT;

	cprof_gclog_init(&log);
	cprof_gclog_parse_buffer(&log, (const char *)data, size);
	cprof_gc_summarize(&log, &s);
	cprof_gc_render_text(&s, &log, NULL, NULL, NULL, &sb);
	cprof_gc_render_json(&s, &log, NULL, &sb);
	cprof_gc_render_svg(&log, &s, NULL, NULL, "fuzz", &sb);
	strbuf_release(&sb);
	cprof_gclog_release(&log);
	return 0;
}
