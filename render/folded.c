/*
 * folded.c - the -folded output: Brendan Gregg's "folded stacks", the
 * input of FlameGraph's flamegraph.pl, speedscope and inferno. pprof has
 * no such output (google/pprof#658).
 *
 *   runtime.main;main.main;main.compute;main.fib 1430000000
 *
 * One line per distinct stack: its frames root first joined by ';', a
 * space, and the integer value of the selected sample type. The choices
 * (documented in cprof(1)):
 *
 *  - frames are the report's node names at its granularity: function
 *    names by default, "fn file" with -filefunctions, "fn file:line" with
 *    -lines, "0000000000401a2b fn file:line" with -addresses; inline
 *    frames are expanded (caller first) unless -noinlines; ';' in a name
 *    becomes ':', line breaks become spaces;
 *  - identical stacks are summed; stacks worth 0 are left out, and so are
 *    negative ones with -drop_negative (a -diff_base profile keeps them);
 *  - values are in the sample type's unit (nanoseconds for cpu), or in the
 *    unit -unit names (minimum/auto leave them alone), divided by
 *    -divide_by, the mean per stack with -mean; always truncated to an
 *    integer;
 *  - lines are sorted by their frames, compared one frame at a time byte
 *    by byte, a stack before its own extensions: deterministic, and the
 *    same order `cprof -folded` gives a folded file read back (folded
 *    stacks are also an input format: formats/folded.c);
 *  - no trimming: -nodecount/-nodefraction do not apply, filters do.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/units.h"
#include "render/stacks.h"

struct frame_iter {
	uint32_t *child;
	size_t n, next;
	size_t path_len; /* length of the path before this node's frame */
};

int cprof_render_folded(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err)
{
	(void)err;
	struct stack_tree t;
	stack_tree_build(rpt, &t);
	const char *unit = rpt->opt.output_unit;
	bool convert = strcmp(unit, "minimum") && strcmp(unit, "auto");

	/* depth-first, children in frame order; path holds "root;...;frame" */
	struct strbuf path = STRBUF_INIT;
	struct frame_iter *stack = NULL;
	size_t depth = 0, alloc = 0;
	ALLOC_GROW(stack, 1, alloc);
	stack[0].child = stack_children_sorted(&t, 0, &stack[0].n);
	stack[0].next = 0;
	stack[0].path_len = 0;
	depth = 1;
	while (depth) {
		struct frame_iter *it = &stack[depth - 1];
		if (it->next == it->n) {
			free(it->child);
			strbuf_setlen(&path, it->path_len);
			depth--;
			continue;
		}
		uint32_t c = it->child[it->next++];
		const struct stack_node *n = &t.node[c];
		size_t before = path.len;
		if (before)
			strbuf_addch(&path, ';');
		strbuf_addstr(&path, n->frame);

		int64_t v = stack_node_value(rpt, n);
		if (convert && v)
			v = cprof_f2i(cprof_unit_scale(v, rpt->opt.sample_unit, unit, NULL));
		if (v != 0 && !(v < 0 && rpt->opt.drop_negative)) {
			strbuf_add(out, path.buf, path.len);
			strbuf_addf(out, " %lld\n", (long long)v);
			cprof_report_spill(rpt, out);
		}
		if (!n->first_child) {
			strbuf_setlen(&path, before);
			continue;
		}
		ALLOC_GROW(stack, depth + 1, alloc);
		it = &stack[depth++];
		it->child = stack_children_sorted(&t, c, &it->n);
		it->next = 0;
		it->path_len = before;
	}
	free(stack);
	strbuf_release(&path);
	stack_tree_release(&t);
	return 0;
}
