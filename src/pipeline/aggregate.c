/*
 * aggregate.c - reducing locations to what the report's granularity shows
 * (pprof's driver aggregate() over Profile.Aggregate).
 *
 *   granularity    function name   file   line   address
 *   functions          kept         -      -       -
 *   filefunctions      kept        kept    -       -
 *   files               -          kept    -       -
 *   lines              kept        kept   kept     -
 *   addresses          kept        kept   kept    kept
 *
 * -noinlines keeps only the outermost line of each location; addresses with
 * inlines kept change nothing at all. The mappings' has_* flags lose what
 * was dropped. Columns are always cleared: Go 1.19's pprof has none.
 * Locations are edited in place; equal ones merge later in the graph.
 */
#include "cprof/transform.h"

int cprof_profile_aggregate(struct cprof_profile *p, enum cprof_granularity g, bool noinlines,
			    struct cprof_error *err)
{
	bool inlines = !noinlines;
	bool function = false, filename = false, linenumber = false, address = false;

	switch (g) {
	case CPROF_GRAN_ADDRESSES:
		if (inlines)
			return 0;
		function = filename = linenumber = address = true;
		break;
	case CPROF_GRAN_LINES:
		function = filename = linenumber = true;
		break;
	case CPROF_GRAN_FILES:
		filename = true;
		break;
	case CPROF_GRAN_FUNCTIONS:
		function = true;
		break;
	case CPROF_GRAN_FILEFUNCTIONS:
		function = filename = true;
		break;
	default:
		return cprof_error_set(err, CPROF_E_USAGE, "unexpected granularity");
	}

	for (size_t i = 0; i < p->nmapping; i++) {
		struct cprof_mapping *m = &p->mapping[i];
		m->has_inline_frames = m->has_inline_frames && inlines;
		m->has_functions = m->has_functions && function;
		m->has_filenames = m->has_filenames && filename;
		m->has_line_numbers = m->has_line_numbers && linenumber;
	}

	if (!function || !filename) {
		const char *empty = cprof_profile_str(p, "");
		for (size_t i = 0; i < p->nfunction; i++) {
			struct cprof_function *f = &p->function[i];
			if (!function)
				f->name = f->system_name = empty;
			if (!filename)
				f->filename = empty;
		}
	}

	for (size_t i = 0; i < p->nlocation; i++) {
		struct cprof_location *l = &p->location[i];
		if (!inlines && l->nline > 1) {
			l->line += l->nline - 1;
			l->nline = 1;
		}
		for (uint32_t j = 0; j < l->nline; j++) {
			if (!linenumber)
				l->line[j].line = 0;
			l->line[j].column = 0;
		}
		if (!address)
			l->address = 0;
	}
	return 0;
}
