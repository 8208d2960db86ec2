/*
 * topproto.c - the -topproto output (Go 1.19 pprof's printTopProto): the
 * rows of the -top table as a gzipped profile.proto.
 *
 *   sample_type  [cum/<unit>, flat/<unit>]   unit = the report's output unit
 *   location i   id i, the node's address, one line {node's line, function}
 *   sample i     location [i], values [cum, flat] in that unit
 *   function     one per distinct (name, system name, file, start line),
 *                ids in order of first use
 *   time, duration, period type and period copied from the profile
 *
 * for the nodes of the trimmed graph in -top order (i = 1, 2, ...). Values
 * are measurement.Scale'd to the output unit and truncated to integers,
 * so "1.10s" of a cpu profile reported in "s" becomes 1. There is no
 * mapping; readers give it the usual fake one.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/formats.h"
#include "cprof/units.h"
#include "render/report_graph.h"

/*
 * pprof's functionMap: one function per distinct (name, system name, file,
 * start line), added on first use. The strings are interned in the new
 * profile, so the key compares pointers; slots hold function index + 1.
 */
struct function_map {
	uint32_t *slot;
	size_t size;
};

static size_t function_hash(const struct cprof_function *f, size_t mask)
{
	uint64_t h = (uint64_t)(uintptr_t)f->name * 0x9E3779B97F4A7C15ull;
	h ^= (uint64_t)(uintptr_t)f->system_name + (h << 6) + (h >> 2);
	h ^= (uint64_t)(uintptr_t)f->filename + (h << 6) + (h >> 2);
	h ^= (uint64_t)f->start_line + (h << 6) + (h >> 2);
	h *= 0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 17) & mask;
}

static uint32_t find_or_add_function(struct cprof_profile *top, struct function_map *m,
				     const struct cprof_node_info *i)
{
	struct cprof_function key = {
		.name = cprof_profile_str(top, i->name),
		.system_name = cprof_profile_str(top, i->orig_name),
		.filename = cprof_profile_str(top, i->file),
		.start_line = i->start_line,
	};
	size_t mask = m->size - 1;
	for (size_t h = function_hash(&key, mask);; h = (h + 1) & mask) {
		if (!m->slot[h]) {
			struct cprof_function *f = cprof_profile_add_function(top);
			*f = key;
			f->id = top->nfunction;
			m->slot[h] = (uint32_t)top->nfunction;
			return (uint32_t)(top->nfunction - 1);
		}
		const struct cprof_function *f = &top->function[m->slot[h] - 1];
		if (f->name == key.name && f->system_name == key.system_name &&
		    f->filename == key.filename && f->start_line == key.start_line)
			return m->slot[h] - 1;
	}
}

int cprof_render_topproto(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err)
{
	struct report_graph_mode mode = {0};
	struct trimmed_graph t;
	report_trimmed_graph(rpt, &mode, &t);
	report_select_output_unit(rpt, t.g, false);

	const struct cprof_profile *p = rpt->prof;
	const char *unit = rpt->opt.output_unit;
	struct cprof_profile *top = cprof_profile_new();
	struct cprof_value_type types[2] = {{"cum", unit}, {"flat", unit}};
	cprof_profile_set_sample_types(top, types, 2);
	top->time_nanos = p->time_nanos;
	top->duration_nanos = p->duration_nanos;
	top->period_type.type = cprof_profile_str(top, p->period_type.type);
	top->period_type.unit = cprof_profile_str(top, p->period_type.unit);
	top->period = p->period;

	/* at most one function per node: a table twice that size never fills */
	struct function_map fm = {NULL, 16};
	while (fm.size < 2 * t.g->nnodes)
		fm.size *= 2;
	fm.slot = cprof_xcalloc(fm.size, sizeof(*fm.slot));
	for (size_t i = 0; i < t.g->nnodes; i++) {
		const struct cprof_node *n = t.g->nodes[i];
		uint32_t fn = find_or_add_function(top, &fm, &n->info);

		struct cprof_location *l = cprof_profile_add_location(top);
		l->id = i + 1;
		l->address = n->info.address;
		l->mapping = CPROF_NONE;
		l->nline = 1;
		l->line = cprof_arena_calloc(&top->arena, 1, sizeof(*l->line));
		l->line[0].fn = fn;
		l->line[0].line = n->info.lineno;

		struct cprof_sample *s = cprof_profile_add_sample(top);
		s->nloc = 1;
		s->loc = cprof_arena_calloc(&top->arena, 1, sizeof(*s->loc));
		s->loc[0] = (uint32_t)(top->nlocation - 1);
		s->value = cprof_arena_calloc(&top->arena, 2, sizeof(*s->value));
		s->value[0] = cprof_f2i(cprof_unit_scale(cprof_node_cum(n), rpt->opt.sample_unit, unit, NULL));
		s->value[1] = cprof_f2i(cprof_unit_scale(cprof_node_flat(n), rpt->opt.sample_unit, unit, NULL));
	}
	free(fm.slot);
	cprof_graph_free(t.g);
	int rc = cprof_pprof_encode(top, out, err);
	cprof_profile_free(top);
	return rc;
}
