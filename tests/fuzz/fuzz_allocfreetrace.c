/* fuzz_allocfreetrace.c - fuzz target: GODEBUG=allocfreetrace=1 logs (formats/allocfreetrace.c, src/runtime/allocstats.c). */
#include "cprof/allocfreetrace.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cprof_aftlog log;
	struct cprof_aft_summary s;
	struct strbuf sb = STRBUF_INIT;

	fuzz_set_limits();
	/* the streaming command: summary, text and JSON */
	cprof_aftlog_init(&log, NULL);
	if (cprof_aftlog_parse_buffer(&log, (const char *)data, size) == 0) {
		cprof_aft_summarize(&log, &s);
		cprof_aft_render_text(&s, NULL, 0, &sb);
		cprof_aft_render_json(&s, &sb);
		cprof_aft_summary_release(&s);
	}
	cprof_aftlog_release(&log);
	strbuf_release(&sb);
	/* the same bytes through the registry's parser: a profile */
	return fuzz_parse_with(cprof_allocfreetrace_parse, data, size);
}
