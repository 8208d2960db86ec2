/*
 * stacks.h - the samples of a report as a tree of whole stacks, root
 * first: what -folded prints line by line and -flame draws. Private to
 * render/.
 *
 * Node 0 is the root (no frame). Every other node is one frame under its
 * parent; a sample whose stack ends at a node adds its value there
 * (`self`). Frames are the printable names of pprof's graph nodes at the
 * report's granularity (function names by default, "fn file:line" with
 * -lines, ...), inline frames expanded (caller before callee), with ';'
 * turned into ':' and line breaks into spaces so a frame never breaks the
 * folded syntax. Identical frames under one parent share a node, so equal
 * stacks are summed.
 */
#ifndef CPROF_RENDER_STACKS_H
#define CPROF_RENDER_STACKS_H

#include <stdint.h>
#include "cprof/report.h"

struct stack_node {
	const char *frame; /* interned in the tree: equal frames, equal pointers */
	const char *func;  /* the frame's function name ("" if none), for colouring */
	uint32_t parent;
	uint32_t first_child, next_sibling; /* 0 = none (node 0 is never a child) */
	int64_t self, self_div; /* summed sample values ending here; -mean divisor */
};

struct stack_slot {
	const char *frame;
	uint32_t parent, child; /* child 0: empty slot */
};

struct stack_tree {
	struct stack_node *node;
	size_t n, alloc;
	uint32_t max_depth; /* deepest stack, in frames */
	/* private: (parent, frame) -> child index */
	struct stack_slot *slot;
	size_t size;
	struct cprof_arena arena;
	struct cprof_strtab strs;
};

/* Build the tree of rpt's profile (selected sample type, -mean divisor). */
void stack_tree_build(struct cprof_report *rpt, struct stack_tree *t);
void stack_tree_release(struct stack_tree *t);

/*
 * The value a stack ending at node i stands for: self, divided by the
 * -mean divisor when there is one, times the -divide_by ratio, truncated
 * toward zero as pprof's int64(f).
 */
int64_t stack_node_value(const struct cprof_report *rpt, const struct stack_node *n);

/*
 * The children of node i sorted by frame (byte-wise), in a malloc'd array
 * with their count in *n.
 */
uint32_t *stack_children_sorted(const struct stack_tree *t, uint32_t i, size_t *n);

#endif
