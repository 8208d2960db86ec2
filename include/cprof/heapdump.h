/*
 * heapdump.h - Go heap dumps (runtime/debug.WriteHeapDump) and what keeps
 * their memory alive.
 *
 *   bytes ──► cprof_heapdump_parse()        formats/heapdump.c: the records,
 *                                           pointer fields read out of the contents
 *         ──► cprof_heapgraph_build()       src/runtime/heapgraph.c: objects by
 *                                           address, pointers resolved, roots named
 *                                           (binary's symbols), dominator tree
 *                                           (Lengauer-Tarjan), retained sizes, the
 *                                           retention tree
 *         ──► cprof_heapgraph_profile()     src/runtime/heapprofile.c: the dump as a
 *                                           profile (dominator paths as stacks)
 *         ──► render/heapdump*.c            text, JSON, DOT/SVG, hprof
 *
 * The object graph. Node 0 is a super-root; its children are one node per
 * kind of root (globals, goroutine stacks, other roots, queued finalizers,
 * finalizers), whose children are the roots themselves: one node per global
 * variable (a symbol of the binary; without it, per pointer slot of the
 * data and bss segments), per function with frames on some goroutine
 * stack, per finalizer function, per other-root description. Objects
 * follow, in the dump's order. An edge is a pointer field whose value
 * falls inside an object (interior pointers included).
 *
 * A registered finalizer keeps its object alive only if nothing else does
 * (the collector then queues it instead of freeing it); so its edge to the
 * object counts only when the object is not reachable from the other
 * roots. Its function value always counts, as the collector marks it.
 *
 * A node's immediate dominator is the last node every path from the
 * super-root to it passes through; what a node retains is itself and
 * everything it dominates: the memory freed if it were gone. Objects that
 * no root reaches (garbage not yet collected) are "unreachable".
 */
#ifndef CPROF_HEAPDUMP_H
#define CPROF_HEAPDUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cprof/arena.h"
#include "cprof/error.h"
#include "cprof/formats.h"
#include "cprof/profile.h"
#include "cprof/strbuf.h"

/* ---- the dump (formats/heapdump.c) ----------------------------------------- */

/* runtime.MemStats as the dump records it, in its order. */
#define CPROF_HEAPDUMP_MEMSTATS(X)                                                          \
	X(Alloc) X(TotalAlloc) X(Sys) X(Lookups) X(Mallocs) X(Frees) X(HeapAlloc) X(HeapSys)   \
	X(HeapIdle) X(HeapInuse) X(HeapReleased) X(HeapObjects) X(StackInuse) X(StackSys)      \
	X(MSpanInuse) X(MSpanSys) X(MCacheInuse) X(MCacheSys) X(BuckHashSys) X(GCSys)          \
	X(OtherSys) X(NextGC) X(LastGC) X(PauseTotalNs)

enum cprof_heapdump_ms {
#define CPROF_HD_MS_ENUM_(name) CPROF_HDMS_##name,
	CPROF_HEAPDUMP_MEMSTATS(CPROF_HD_MS_ENUM_)
#undef CPROF_HD_MS_ENUM_
	CPROF_HDMS__COUNT
};
const char *cprof_heapdump_ms_name(enum cprof_heapdump_ms f);

struct cprof_heapdump_type {
	uint64_t addr, size;
	const char *name;
	bool indirect; /* an interface holding it holds a pointer to it */
};

struct cprof_heapdump_itab {
	uint64_t addr, type;
};

struct cprof_heapdump_goroutine {
	uint64_t addr, sp, goid, gopc, status, waitsince, ctxt, m, defer, panic;
	const char *waitreason;
	bool system, background;
	uint32_t first_frame, nframes; /* its stack frames, innermost first */
};

/*
 * Pointer slots of a root region (a stack frame, the data or bss
 * segment): pointer values, and their offsets in the region, in
 * d->root_off / d->root_val [first, first + n).
 */
struct cprof_heapdump_slots {
	size_t first, n;
};

struct cprof_heapdump_frame {
	uint64_t sp, depth, child_sp, size, entry, pc, continpc;
	const char *func;
	uint32_t goroutine; /* index into d->goroutine, CPROF_NONE if none came before */
	struct cprof_heapdump_slots slots;
};

struct cprof_heapdump_segment {
	uint64_t addr, size;
	struct cprof_heapdump_slots slots;
	bool present;
};

struct cprof_heapdump_otherroot {
	const char *desc;
	uint64_t ptr;
};

struct cprof_heapdump_finalizer {
	uint64_t obj, fn, fnpc, fint, ot;
	bool queued; /* ready to run (the finalizer queue), not just registered */
};

struct cprof_heapdump_thread {
	uint64_t addr, id, procid;
};

struct cprof_heapdump_defer {
	uint64_t addr, g, argp, pc, fn, fnpc, link;
};

struct cprof_heapdump_panic {
	uint64_t addr, g, argtype, argdata, defer, link;
};

struct cprof_heapdump_stackframe {
	const char *func, *file;
	uint64_t line;
};

/* A memory profile bucket: allocations of one size from one stack. */
struct cprof_heapdump_bucket {
	uint64_t id, size, allocs, frees;
	uint32_t first, n; /* frames in d->bucket_frame, innermost first */
};

struct cprof_heapdump_sample {
	uint64_t addr, bucket; /* the object, its bucket's id */
};

/*
 * Objects are kept as parallel arrays, the dump's order: obj_addr[i],
 * its size (the size class: the contents' length; cprof_heapdump_size()),
 * and the pointer values of its pointer fields that may point into the
 * heap, in ptr_val[obj_ptr[i] .. obj_ptr[i + 1]) (nil and values outside
 * the heap's range dropped). Sizes of 4 GiB and more are kept aside
 * (obj_size[i] is UINT32_MAX for them). With keep_layout, also where
 * each object's contents start in the input (obj_data) and each
 * pointer's offset in its object (ptr_off), every pointer field kept
 * (nil and non-heap ones too), for writers that copy the layout and the
 * contents (-hprof).
 */
struct cprof_heapdump {
	struct cprof_arena arena; /* strings */
	struct cprof_strtab strs;

	char version[16]; /* "go1.7" from the header */

	bool has_params, big_endian;
	uint32_t ptr_size;
	uint64_t heap_start, heap_end, ncpu;
	const char *arch;
	const char *build; /* runtime version (Go 1.1x on), GOEXPERIMENT before */

	size_t nobj;
	uint64_t *obj_addr;
	uint32_t *obj_size;
	uint32_t *obj_ptr;  /* nobj + 1 entries */
	uint64_t *obj_data; /* keep_layout only */
	size_t aobj;
	struct cprof_heapdump_huge {
		uint64_t index, size;
	} *huge; /* objects of 4 GiB or more, by index */
	size_t nhuge, ahuge;
	uint64_t *ptr_val;
	uint32_t *ptr_node; /* after cprof_heapgraph_build(): ptr_val's memory, as object indices */
	uint32_t *ptr_off;  /* keep_layout only */
	size_t nptr, aptr;
	uint64_t nfields;    /* pointer fields of objects, nil and non-heap included */
	uint64_t obj_bytes;  /* sum of obj_size */

	uint64_t *root_off, *root_val;
	size_t nroot_slot, aroot_slot;

	struct cprof_heapdump_segment data, bss;

#define CPROF_HD_ARRAY_(type, name) \
	type *name;                      \
	size_t n##name, a##name
	CPROF_HD_ARRAY_(struct cprof_heapdump_type, type);
	CPROF_HD_ARRAY_(struct cprof_heapdump_itab, itab);
	CPROF_HD_ARRAY_(struct cprof_heapdump_goroutine, goroutine);
	CPROF_HD_ARRAY_(struct cprof_heapdump_frame, frame);
	CPROF_HD_ARRAY_(struct cprof_heapdump_otherroot, otherroot);
	CPROF_HD_ARRAY_(struct cprof_heapdump_finalizer, finalizer);
	CPROF_HD_ARRAY_(struct cprof_heapdump_thread, thread);
	CPROF_HD_ARRAY_(struct cprof_heapdump_defer, defer);
	CPROF_HD_ARRAY_(struct cprof_heapdump_panic, panic);
	CPROF_HD_ARRAY_(struct cprof_heapdump_bucket, bucket);
	CPROF_HD_ARRAY_(struct cprof_heapdump_stackframe, bucket_frame);
	CPROF_HD_ARRAY_(struct cprof_heapdump_sample, sample);
#undef CPROF_HD_ARRAY_

	bool has_memstats;
	uint64_t memstats[CPROF_HDMS__COUNT];
	uint64_t pause_ns[256];
	uint64_t num_gc;

	uint64_t input_size; /* bytes parsed */
};

struct cprof_heapdump_parse_opts {
	/*
	 * The input is a private read-only mapping of a file: pages behind
	 * the cursor may be dropped (madvise) as it moves on, so the dump's
	 * contents never stay resident. Not with keep_layout.
	 */
	bool release_behind;
	bool keep_layout; /* fill obj_data and ptr_off */
};

/* Whether data starts with a heap dump header of any version ("goN.M heap dump\n"). */
bool cprof_heapdump_sniff(const unsigned char *data, size_t len);

/*
 * Parse a heap dump ("go1.5 heap dump" to "go1.7 heap dump"). Returns 0,
 * or -1 with err set: CPROF_E_FORMAT when data is not a heap dump at all,
 * CPROF_E_UNSUPPORTED for older versions, CPROF_E_CORRUPT for a broken
 * one ("heap dump: truncated in the object record at byte N", "heap
 * dump: data after the EOF record at byte N", ...). o may be NULL.
 */
int cprof_heapdump_parse(const unsigned char *data, size_t len, const struct cprof_heapdump_parse_opts *o,
			 struct cprof_heapdump **out, struct cprof_error *err);
void cprof_heapdump_free(struct cprof_heapdump *d);

/* The size of object i when it is 4 GiB or more (d->huge); see cprof_heapdump_size(). */
uint64_t cprof_heapdump_huge_size(const struct cprof_heapdump *d, size_t i);

/* n elements of size bytes (n may be 0), zeroed or not; never NULL. */
void *cprof_heapdump_alloc(size_t n, size_t size, bool zero);
/* The size of object i (dump order). */
static inline uint64_t cprof_heapdump_size(const struct cprof_heapdump *d, size_t i)
{
	uint32_t s = d->obj_size[i];
	return s != UINT32_MAX ? s : cprof_heapdump_huge_size(d, i);
}

/* ---- names from the binary (src/runtime/heapsyms.c) ---------------------------- */

/*
 * The data and function symbols of the program's ELF binary, to name
 * global variables (the dump's data and bss addresses, a position
 * independent binary's load bias found from the segment starts) and
 * finalizer functions.
 */
struct cprof_heapsyms;
int cprof_heapsyms_load(const char *path, struct cprof_heapsyms **out, struct cprof_error *err);
void cprof_heapsyms_free(struct cprof_heapsyms *s);
/*
 * The symbol holding addr (a data object for data, a function otherwise),
 * NULL if none; *start is the symbol's address. bias is added to the
 * binary's addresses (cprof_heapsyms_bias()).
 */
const char *cprof_heapsyms_find(const struct cprof_heapsyms *s, uint64_t addr, uint64_t bias, bool data,
				uint64_t *start);
/*
 * Whether the binary can be the program that wrote d: its data and bss
 * segments (runtime.data to runtime.edata, runtime.bss to runtime.ebss)
 * have the dump's sizes. 0, or -1 with err set (CPROF_E_INCOMPATIBLE).
 */
int cprof_heapsyms_check(const struct cprof_heapsyms *s, const struct cprof_heapdump *d, struct cprof_error *err);
/* The load bias that puts the binary's data segment where the dump says it was. */
uint64_t cprof_heapsyms_bias(const struct cprof_heapsyms *s, const struct cprof_heapdump *d);

/* ---- the object graph and its dominators (src/runtime/heapgraph.c) -------------- */

enum cprof_heapnode_kind {
	CPROF_HN_SUPER,
	CPROF_HN_KIND,      /* one per root kind */
	CPROF_HN_GLOBAL,    /* a global variable */
	CPROF_HN_STACK,     /* frames of one function */
	CPROF_HN_OTHER,     /* an other root (description) or a panic argument */
	CPROF_HN_QUEUED,    /* a finalizer ready to run */
	CPROF_HN_FINALIZER, /* a registered finalizer */
	CPROF_HN_OBJECT,
};

/* The root kinds, in the super-root's order (registered finalizers last, see above). */
enum cprof_heaproot_kind {
	CPROF_HK_GLOBALS,
	CPROF_HK_STACKS,
	CPROF_HK_OTHER,
	CPROF_HK_QUEUED,
	CPROF_HK_FINALIZERS,
	CPROF_HK__COUNT
};

/* A root node (a child of a kind node). */
struct cprof_heaproot {
	enum cprof_heapnode_kind kind;
	const char *name;  /* "main.list", "main.worker", "bss+0x1a8", "0x4a1b20" (a finalizer, no binary) */
	uint64_t addr;     /* the variable's (or slot's) address, the function's entry or PC */
	uint64_t size;     /* globals: the variable's size, when known */
	uint32_t count;    /* pointer slots, frames or finalizers it stands for */
	uint32_t goroutines; /* stacks: goroutines with such a frame */
};

/*
 * The retention tree: the dominator tree with nodes of the same name
 * merged, so that it can be read (and drawn) as a call tree is: a node
 * whose name is its parent's joins the parent (a list of nodes of one
 * kind is one node), and siblings of one name are one node. A repeating
 * chain of up to CPROF_HEAPTREE_FOLD names folds back once its period has
 * been seen twice, as recursion does in a call tree (nodes and their
 * slices, A B A B A B ..., are four nodes: A B A B); the objects in
 * between then do not count what follows in what they retain, the node
 * above them does. Roots and kinds are named by what they are; objects
 * by their size ("[64 B]"), or, when most objects have allocation
 * samples, by the function that allocated them and the size
 * ("main.newNode [64 B]"). Depth is capped (CPROF_HEAPTREE_MAX_DEPTH):
 * deeper nodes join the one at the cap.
 */
#define CPROF_HEAPTREE_MAX_DEPTH 64
#define CPROF_HEAPTREE_FOLD 4
struct cprof_heaptree_node {
	uint32_t parent; /* CPROF_NONE for the top */
	uint32_t name;   /* index into g->tree_name */
	uint32_t depth;  /* 0 for the top (the super-root) */
	uint32_t first_child, next_sibling; /* CPROF_NONE-terminated */
	bool object;                        /* a node of objects (not the top, a kind or a root) */
	uint64_t self_bytes, self_count;    /* objects that are this node */
	uint64_t bytes, count;              /* retained: this node and below */
};

struct cprof_heapgraph_opts {
	const struct cprof_heapsyms *syms; /* NULL: no binary */
	int site_names; /* objects named by allocation site: -1 auto, 0 never, 1 when sampled */
	/*
	 * Keep the objects' pointers (d->ptr_node, d->obj_ptr) for the
	 * caller; without, they are freed once the dominators no longer need
	 * them, which lowers the peak memory.
	 */
	bool keep_pointers;
};

struct cprof_heapgraph {
	const struct cprof_heapdump *dump;

	/* nodes: 0 super, 1..CPROF_HK__COUNT kinds, then roots, then objects */
	uint32_t nnode, first_root, first_obj;
	struct cprof_heaproot *root; /* node first_root + i is root[i] */
	uint32_t nroot;

	uint32_t *idom;         /* per node; CPROF_NONE if unreachable (idom[0] = 0) */
	uint64_t *ret_bytes;    /* retained bytes per node */
	uint32_t *ret_count;    /* retained objects per node */
	uint32_t *obj_bucket;   /* per object: its sample's bucket (index into dump->bucket), CPROF_NONE
				   without a sample; NULL when the dump has no samples */
	uint32_t *bucket_site;  /* per bucket: index into site[] */
	uint32_t *obj_by_addr;  /* objects (dump order) by address; with keep_pointers only */

	uint64_t nedge;            /* edges between reachable nodes (roots' included) */
	uint64_t nobj_edge;        /* of which from an object to an object */
	uint64_t reachable_count, reachable_bytes;
	uint64_t unreachable_count, unreachable_bytes;
	uint64_t sampled_count;    /* objects with an allocation sample */

	/* allocation sites: the first function outside the runtime of a bucket's stack */
	struct cprof_heapsite {
		const char *func;
		uint32_t bucket; /* a bucket of this site (its stack), index into dump->bucket */
		uint64_t count, bytes; /* live objects of this site (that have a sample) */
	} *site;
	uint32_t nsite;

	/* the retention tree: node 0 is the top (the super-root) */
	struct cprof_heaptree_node *tree;
	uint32_t ntree;
	const char **tree_name;
	uint32_t ntree_name;
	uint32_t unreachable_tree; /* the "[unreachable]" child of the top, CPROF_NONE if none */
	bool site_names;           /* objects were named by site */

	struct cprof_arena arena; /* names */
	struct cprof_strtab strs;
};

/*
 * Build the graph of d (which must outlive it): resolve pointers, name
 * roots, compute dominators and retained sizes, build the retention
 * tree. The pointer values are turned into node numbers in place, to
 * save memory: afterwards d->ptr_val is gone and d->ptr_node holds, at
 * the same indices, the object each pointer points into (CPROF_NONE for
 * none). -1 with err set for a dump whose objects overlap (corrupt) or
 * that is too large for 31-bit node numbers.
 */
int cprof_heapgraph_build(struct cprof_heapdump *d, const struct cprof_heapgraph_opts *o,
			  struct cprof_heapgraph **out, struct cprof_error *err);
void cprof_heapgraph_free(struct cprof_heapgraph *g);

/*
 * The retention tree's nodes that retain min bytes or more (and more than
 * none), in preorder with siblings biggest first, at most max of them;
 * node 0 (the top) first. *out is malloc'ed. Returns the count.
 */
size_t cprof_heaptree_select(const struct cprof_heapgraph *g, uint64_t min, size_t max, uint32_t **out);
/* The object (dump order) holding addr, or CPROF_NONE; built with keep_pointers only. */
uint32_t cprof_heapgraph_find(const struct cprof_heapgraph *g, uint64_t addr);
/* The allocation site of object o (dump order), CPROF_NONE if it has no sample. */
static inline uint32_t cprof_heapgraph_obj_site(const struct cprof_heapgraph *g, uint32_t o)
{
	uint32_t k = g->obj_bucket ? g->obj_bucket[o] : CPROF_NONE;
	return k == CPROF_NONE ? CPROF_NONE : g->bucket_site[k];
}
/* The name of node n: a kind, a root, an object ("[64 B] 0xc000012345"). Appends to out. */
void cprof_heapgraph_node_name(const struct cprof_heapgraph *g, uint32_t n, struct strbuf *out);
/* "64 B", "8 KiB", "1 MiB": exact, in the largest unit that divides size. Appends to out. */
void cprof_heapdump_size_name(uint64_t size, struct strbuf *out);
/* The kind names: "globals", "stacks", "other roots", "queued finalizers", "finalizers". */
const char *cprof_heaproot_kind_name(enum cprof_heaproot_kind k);

/* ---- the dump as a profile (src/runtime/heapprofile.c) --------------------------- */

/*
 * One sample per node of the retention tree that has objects of its own:
 * its path from the top (root first, the objects last, leaf first in
 * the sample as pprof stores stacks), values retained_objects and
 * retained_space (the objects' own count and bytes, so that a frame's
 * cumulative value is what it retains). Unreachable objects sit under
 * "[unreachable]".
 */
struct cprof_profile *cprof_heapgraph_profile(const struct cprof_heapgraph *g);

/*
 * The registry's parser: parse, build the graph (globals named from the
 * binary of cprof_heapdump_set_binary(), which must be the one that wrote
 * the dump), make the profile. CPROF_E_FORMAT when not a heap dump.
 */
int cprof_heapdump_profile_parse(const unsigned char *data, size_t len, struct cprof_profile **out,
				 struct cprof_error *err);
/* Its first-bytes rule (formats.h): a heap dump starts with its header. */
enum cprof_probe cprof_heapdump_probe(const unsigned char *head, size_t len, struct cprof_error *err);
/* The binary named on the command line, for the dumps read as profiles next; NULL: none. */
void cprof_heapdump_set_binary(const char *path);

/* ---- reports (render/heapdump.c, render/heapdump_dot.c, render/hprof.c) ----------- */

struct cprof_heapdump_report_opts {
	const char *source;  /* the dump's file name */
	const char *binary;  /* the binary's, or NULL */
	size_t top;          /* rows per table (default 20) */
	double nodefraction; /* hide tree nodes retaining less than this share; < 0: the default */
	size_t nodecount;    /* -dot: at most this many tree nodes (40) */
};

void cprof_heapdump_render_text(const struct cprof_heapgraph *g, const struct cprof_heapdump_report_opts *o,
				struct strbuf *out);
void cprof_heapdump_render_json(const struct cprof_heapgraph *g, const struct cprof_heapdump_report_opts *o,
				struct strbuf *out);
/* The retention tree's big nodes as DOT text (appended to out). */
void cprof_heapdump_render_dot(const struct cprof_heapgraph *g, const struct cprof_heapdump_report_opts *o,
			       struct strbuf *out);
/* The same laid out by Graphviz in process, as SVG. -1 with err set when Graphviz fails. */
int cprof_heapdump_render_svg(const struct cprof_heapgraph *g, const struct cprof_heapdump_report_opts *o,
			      struct strbuf *out, struct cprof_error *err);

/*
 * The dump as a Java HPROF file (render/hprof.c; the mapping is drawn
 * there), written through write() as it is made. The graph must have
 * been built with keep_pointers from a dump parsed with keep_layout, and
 * data be the dump's bytes as parsed (the objects' contents are copied).
 */
struct cprof_hprof_opts {
	const unsigned char *data;
	const struct cprof_heapsyms *syms; /* names of globals, or NULL */
	int (*write)(void *ctx, const void *p, size_t n); /* -1 on error */
	void *ctx;
};
int cprof_heapdump_write_hprof(const struct cprof_heapgraph *g, const struct cprof_hprof_opts *o,
			       struct cprof_error *err);

#endif
