/* fuzz_schedtrace.c - fuzz target: GODEBUG=schedtrace logs (formats/schedtrace.c, src/runtime/schedstats.c). */
#include "cprof/runtime_logs.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cprof_schedlog log;
	struct cprof_sched_summary s;
	struct strbuf sb = STRBUF_INIT;

	cprof_schedlog_init(&log);
	cprof_schedlog_parse_buffer(&log, (const char *)data, size);
	cprof_sched_summarize(&log, &s);
	cprof_sched_render_text(&s, NULL, NULL, NULL, &sb);
	cprof_sched_render_json(&s, NULL, &sb);
	cprof_sched_render_svg(&log, &s, NULL, NULL, "fuzz", &sb);
	strbuf_release(&sb);
	cprof_schedlog_release(&log);
	return 0;
}
