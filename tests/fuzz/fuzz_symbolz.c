/*
 * fuzz_symbolz.c - fuzz target: a symbol handler's answer
 * (src/driver/symbolz.c), applied to a small fetched profile whose
 * mapping has no symbols: the input is the response body.
 */
#include <string.h>

#include "fuzz.h"
#include "src/driver/symbolz.h"

static const uint8_t *in;
static size_t nin;

static int answer(void *ctx, const char *url, const char *body, size_t len, struct strbuf *out,
		  struct cprof_error *err)
{
	(void)ctx, (void)url, (void)body, (void)len, (void)err;
	strbuf_add(out, in, nin);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t addrs[] = {0x401000, 0x401010, 0x4cb73c, 0xffffffffffffff00ULL, 0x10};
	const char *url = "http://127.0.0.1:6060/debug/pprof/heap";
	struct cprof_profile *p = cprof_profile_new();
	struct cprof_value_type t = {"samples", "count"};
	struct cprof_error err;

	fuzz_set_limits();
	in = data, nin = size;
	cprof_profile_set_sample_types(p, &t, 1);
	struct cprof_mapping *m = cprof_profile_add_mapping(p);
	m->id = 1;
	m->start = 0x400000;
	m->limit = 0x500000;
	m->file = cprof_profile_str(p, url);
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(addrs); i++) {
		struct cprof_location *l = cprof_profile_add_location(p);
		l->id = i + 1;
		l->address = addrs[i];
		l->mapping = 0;
		struct cprof_sample *s = cprof_profile_add_sample(p);
		s->loc = cprof_arena_alloc(&p->arena, sizeof(*s->loc));
		s->loc[0] = (uint32_t)i;
		s->nloc = 1;
		s->value = cprof_arena_alloc(&p->arena, sizeof(*s->value));
		s->value[0] = 1;
	}
	/* the mapping moved by a merge: offsets applied both ways */
	struct cprof_mapping_source ms[] = {{url, url, 0x400100}};
	if (cprof_symbolz(p, false, ms, 1, answer, NULL, &err) == 0)
		fuzz_use_profile(p);
	else
		cprof_profile_free(p);
	return 0;
}
