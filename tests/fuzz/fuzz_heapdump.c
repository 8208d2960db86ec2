/*
 * fuzz_heapdump.c - fuzz target: Go heap dumps (formats/heapdump.c), their
 * object graph and dominators (src/runtime/heapgraph.c), the reports and
 * the dump as a profile.
 */
#include "cprof/heapdump.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cprof_heapdump *d = NULL;
	struct cprof_heapgraph *g = NULL;
	struct cprof_error err;
	struct strbuf sb = STRBUF_INIT;
	struct cprof_heapdump_report_opts ro = {"fuzz", NULL, 5, -1, 0};

	fuzz_set_limits();
	if (cprof_heapdump_parse(data, size, NULL, &d, &err) < 0)
		return 0;
	if (cprof_heapgraph_build(d, NULL, &g, &err) == 0) {
		cprof_heapdump_render_text(g, &ro, &sb);
		cprof_heapdump_render_json(g, &ro, &sb);
		cprof_heapdump_render_dot(g, &ro, &sb);
		fuzz_use_profile(cprof_heapgraph_profile(g));
		cprof_heapgraph_free(g);
	}
	strbuf_release(&sb);
	cprof_heapdump_free(d);
	return 0;
}
