/*
 * callgrind.c - the -callgrind report (Go 1.19 pprof's printCallgrind), for
 * KCachegrind and other readers of Valgrind's callgrind format.
 *
 *   positions: instr line
 *   events: cpu(ms)
 *
 *   ob=(1) /path/to/testbinary
 *   fl=(1) testdata/file1000.src
 *   fn=(1) line1000
 *   0x1000 1 1000
 *   * 1 100
 *
 *   ob=(1)
 *   fl=(3) testdata/file3000.src
 *   fn=(3) line3002
 *   +4096 2 10
 *   cfl=(2)
 *   cfn=(4) line2000 [1/2]
 *   calls=0 * 4
 *   * * 1000
 *
 * (from the conformance golden pprof.cpu.call_tree.callgrind). Nodes come
 * in graph order; a new "ob= fl= fn=" block starts whenever object, file
 * or function differ from the previous node. Names are compressed: the
 * first use prints "(N) name", later ones "(N)". A cost line is
 * "<address> <line> <flat>"; an address is absolute (%#x) for the first
 * node, "*" when equal to the previous node's, else a signed difference
 * when that is shorter. Each outgoing edge (heaviest first) names the
 * callee's file and function (with " [i/n]" when one name stands for
 * several contexts, as in -call_tree) and its inclusive cost. Values are
 * scaled to the report unit and truncated; edge costs use the raw edge
 * weight (no -mean division), as pprof does.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/units.h"
#include "render/report_graph.h"

/* ---- callgrind's name compression: string -> id in first-use order ---------------- */

struct name_ids {
	const char **key; /* open addressing, NULL = empty */
	int *id;
	size_t size, count;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void name_ids_grow(struct name_ids *m)
{
	size_t size = m->size ? m->size * 2 : 64;
	const char **key = cprof_xcalloc(size, sizeof(*key));
	int *id = cprof_xcalloc(size, sizeof(*id));
	for (size_t i = 0; i < m->size; i++) {
		if (!m->key[i])
			continue;
		size_t j = hash_str(m->key[i]) & (size - 1);
		while (key[j])
			j = (j + 1) & (size - 1);
		key[j] = m->key[i];
		id[j] = m->id[i];
	}
	free(m->key);
	free(m->id);
	m->key = key;
	m->id = id;
	m->size = size;
}

/* callgrindName: "" for "", "(N)" when seen, else "(N) name" with a new N. */
static void callgrind_name(struct name_ids *m, const char *name, struct strbuf *out)
{
	if (!name[0])
		return;
	if ((m->count + 1) * 2 > m->size)
		name_ids_grow(m);
	size_t j = hash_str(name) & (m->size - 1);
	while (m->key[j]) {
		if (!strcmp(m->key[j], name)) {
			strbuf_addf(out, "(%d)", m->id[j]);
			return;
		}
		j = (j + 1) & (m->size - 1);
	}
	m->key[j] = name; /* the string outlives the map */
	m->id[j] = (int)++m->count;
	strbuf_addf(out, "(%d) %s", m->id[j], name);
}

static void name_ids_release(struct name_ids *m)
{
	free(m->key);
	free(m->id);
}

/* callgrindAddress: the subposition of curr relative to the previous node's address. */
static void callgrind_address(const struct cprof_node_info *prev, uint64_t curr, struct strbuf *out)
{
	char abs[24], rel[24];
	snprintf(abs, sizeof(abs), curr ? "%#llx" : "0x0", (unsigned long long)curr); /* Go's %#x */
	if (!prev) {
		strbuf_addstr(out, abs);
		return;
	}
	if (prev->address == curr) {
		strbuf_addch(out, '*');
		return;
	}
	snprintf(rel, sizeof(rel), "%+lld", (long long)(int64_t)(curr - prev->address));
	strbuf_addstr(out, strlen(rel) < strlen(abs) ? rel : abs);
}

/* ---- getDisambiguatedNames ------------------------------------------------------------- */

struct name_key {
	const struct cprof_node *n;
	size_t index; /* position in the graph */
};

static int by_file_name_index(const void *x, const void *y)
{
	const struct name_key *a = x, *b = y;
	int c = strcmp(a->n->info.file, b->n->info.file);
	if (!c)
		c = strcmp(a->n->info.name, b->n->info.name);
	if (!c)
		c = a->index < b->index ? -1 : a->index > b->index;
	return c;
}

static int by_function_index(const void *x, const void *y)
{
	const struct name_key *a = x, *b = y;
	uintptr_t fa = (uintptr_t)a->n->function, fb = (uintptr_t)b->n->function;
	if (fa != fb)
		return fa < fb ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

static int by_ptr(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t)((const struct name_key *)x)->n;
	uintptr_t b = (uintptr_t)((const struct name_key *)y)->n;
	return a < b ? -1 : a > b;
}

static int by_index(const void *x, const void *y)
{
	const struct name_key *a = x, *b = y;
	return a->index < b->index ? -1 : a->index > b->index;
}

/*
 * Callgrind merges functions of equal (file, name); nodes of the same name
 * but different ->function (call-tree contexts) get " [i/n]", i numbering
 * the functions in order of first appearance. Fills names[i] for node i
 * (malloc'd, or NULL for the plain name).
 */
static void disambiguated_names(const struct cprof_graph *g, char **names)
{
	size_t n = g->nnodes;
	struct name_key *k = cprof_xcalloc(n ? n : 1, sizeof(*k));
	for (size_t i = 0; i < n; i++)
		k[i] = (struct name_key){g->nodes[i], i};
	qsort(k, n, sizeof(*k), by_file_name_index);
	size_t *rank = cprof_xcalloc(n ? n : 1, sizeof(*rank));
	for (size_t lo = 0, hi; lo < n; lo = hi) {
		for (hi = lo + 1; hi < n; hi++)
			if (strcmp(k[lo].n->info.file, k[hi].n->info.file) ||
			    strcmp(k[lo].n->info.name, k[hi].n->info.name))
				break;
		/* the run's functions, each at its first appearance */
		size_t m = hi - lo;
		struct name_key *run = k + lo;
		qsort(run, m, sizeof(*run), by_function_index);
		struct name_key *firsts = cprof_xcalloc(m, sizeof(*firsts));
		size_t nf = 0;
		for (size_t i = 0; i < m; i++)
			if (i == 0 || run[i].n->function != run[i - 1].n->function)
				firsts[nf++] = run[i];
		if (nf > 1) {
			qsort(firsts, nf, sizeof(*firsts), by_index);
			for (size_t f = 0; f < nf; f++)
				rank[firsts[f].index] = f + 1; /* rank of the function, by its first node */
			for (size_t i = 0, f = 0; i < m; i++) {
				if (i == 0 || run[i].n->function != run[i - 1].n->function)
					f = rank[run[i].index];
				struct strbuf sb = STRBUF_INIT;
				strbuf_addf(&sb, "%s [%zu/%zu]", run[i].n->info.name, f, nf);
				names[run[i].index] = strbuf_detach(&sb, NULL);
			}
		}
		free(firsts);
	}
	free(rank);
	free(k);
}

/* ---- the report ------------------------------------------------------------------------ */

static int64_t scaled(const struct cprof_report *rpt, int64_t v)
{
	const char *unit;
	double f = cprof_unit_scale(v, rpt->opt.sample_unit, rpt->opt.output_unit, &unit);
	if (!(f > -9223372036854775808.0 && f < 9223372036854775808.0))
		return INT64_MIN; /* Go's int64(f) on amd64 */
	return (int64_t)f;
}

int cprof_render_callgrind(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err)
{
	(void)err;
	rpt->opt.nodefraction = 0;
	rpt->opt.edgefraction = 0;
	rpt->opt.nodecount = 0;
	struct report_graph_mode mode = {.call_tree = true, .obj_names = true};
	struct trimmed_graph t;
	report_trimmed_graph(rpt, &mode, &t);
	report_select_output_unit(rpt, t.g, true);
	const struct cprof_graph *g = t.g;

	char **names = cprof_xcalloc(g->nnodes ? g->nnodes : 1, sizeof(*names));
	disambiguated_names(g, names);
	/* node -> position, to find a callee's name */
	struct name_key *byptr = cprof_xcalloc(g->nnodes ? g->nnodes : 1, sizeof(*byptr));
	for (size_t i = 0; i < g->nnodes; i++)
		byptr[i] = (struct name_key){g->nodes[i], i};
	qsort(byptr, g->nnodes, sizeof(*byptr), by_ptr);

	strbuf_addstr(out, "positions: instr line\n");
	strbuf_addf(out, "events: %s(%s)\n", rpt->opt.sample_type, rpt->opt.output_unit);

	struct name_ids objfiles = {0}, files = {0}, fnames = {0};
	struct cprof_edge **edges = NULL;
	size_t aedges = 0;
	const struct cprof_node_info *prev = NULL;
	for (size_t i = 0; i < g->nnodes; i++) {
		const struct cprof_node *n = g->nodes[i];
		const struct cprof_node_info *in = &n->info;
		if (!prev || strcmp(in->objfile, prev->objfile) || strcmp(in->file, prev->file) ||
		    strcmp(in->name, prev->name)) {
			strbuf_addstr(out, "\nob=");
			callgrind_name(&objfiles, in->objfile, out);
			strbuf_addstr(out, "\nfl=");
			callgrind_name(&files, in->file, out);
			strbuf_addstr(out, "\nfn=");
			callgrind_name(&fnames, in->name, out);
			strbuf_addch(out, '\n');
		}
		callgrind_address(prev, in->address, out);
		strbuf_addf(out, " %lld %lld\n", (long long)in->lineno,
			    (long long)scaled(rpt, cprof_node_flat(n)));

		ALLOC_GROW(edges, n->nout, aedges);
		if (n->nout)
			memcpy(edges, n->out, n->nout * sizeof(*edges));
		cprof_edges_sort(edges, n->nout);
		for (size_t j = 0; j < n->nout; j++) {
			const struct cprof_edge *e = edges[j];
			const struct cprof_node *callee = e->dest;
			strbuf_addstr(out, "cfl=");
			callgrind_name(&files, callee->info.file, out);
			strbuf_addstr(out, "\ncfn=");
			struct name_key key = {callee, 0};
			const struct name_key *f = bsearch(&key, byptr, g->nnodes, sizeof(*byptr), by_ptr);
			/* a callee outside the graph (its weights cancelled out) has no name, as in pprof */
			const char *cname = !f ? "" : names[f->index] ? names[f->index] : callee->info.name;
			callgrind_name(&fnames, cname, out);
			strbuf_addstr(out, "\ncalls=0 ");
			/* relative to the previous node, as pprof does */
			callgrind_address(prev, callee->info.address, out);
			strbuf_addf(out, " %lld\n", (long long)callee->info.lineno);
			strbuf_addf(out, "* * %lld\n", (long long)scaled(rpt, e->weight));
		}
		prev = in;
	}

	free(edges);
	free(byptr);
	name_ids_release(&objfiles);
	name_ids_release(&files);
	name_ids_release(&fnames);
	for (size_t i = 0; i < g->nnodes; i++)
		free(names[i]);
	free(names);
	cprof_graph_free(t.g);
	return 0;
}
