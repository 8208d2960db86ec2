/*
 * test_graph.c - graph construction, trimming and ordering (src/pipeline/graph*.c)
 * and the text/traces renderers (render/), on profiles built by hand.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "cprof/graph.h"
#include "cprof/profile.h"
#include "cprof/report.h"

/* ---- profile building helpers ------------------------------------------------ */

static struct cprof_profile *new_profile(int ntypes)
{
	struct cprof_profile *p = cprof_profile_new();
	struct cprof_value_type vt[2] = {{"samples", "count"}, {"cpu", "nanoseconds"}};
	cprof_profile_set_sample_types(p, ntypes == 1 ? vt + 1 : vt, (size_t)ntypes);
	return p;
}

static uint32_t add_fn(struct cprof_profile *p, const char *name, const char *file)
{
	struct cprof_function *f = cprof_profile_add_function(p);
	f->id = p->nfunction;
	f->name = f->system_name = cprof_profile_str(p, name);
	f->filename = cprof_profile_str(p, file);
	return (uint32_t)(p->nfunction - 1);
}

/* A location with n lines given as (fn, line) pairs, innermost first. */
static uint32_t add_loc(struct cprof_profile *p, uint64_t addr, int n, ...)
{
	struct cprof_location *l = cprof_profile_add_location(p);
	l->id = p->nlocation;
	l->address = addr;
	l->mapping = CPROF_NONE;
	l->nline = (uint32_t)n;
	l->line = cprof_arena_calloc(&p->arena, (size_t)(n ? n : 1), sizeof(*l->line));
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		l->line[i].fn = va_arg(ap, uint32_t);
		l->line[i].line = va_arg(ap, int);
	}
	va_end(ap);
	return (uint32_t)(p->nlocation - 1);
}

/* A sample with the values of every column (v, then 1 for a 2nd column) and n locations, leaf first. */
static struct cprof_sample *add_sample(struct cprof_profile *p, int64_t v, int n, ...)
{
	struct cprof_sample *s = cprof_profile_add_sample(p);
	s->nloc = (uint32_t)n;
	s->loc = cprof_arena_calloc(&p->arena, (size_t)(n ? n : 1), sizeof(*s->loc));
	s->value = cprof_arena_calloc(&p->arena, p->nsample_type, sizeof(*s->value));
	s->value[p->nsample_type - 1] = v;
	if (p->nsample_type > 1)
		s->value[0] = 1;
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		s->loc[i] = va_arg(ap, uint32_t);
	va_end(ap);
	return s;
}

static void add_labels(struct cprof_profile *p, struct cprof_sample *s, int n, ...)
{
	s->label = cprof_arena_calloc(&p->arena, (size_t)n, sizeof(*s->label));
	s->nlabel = (uint32_t)n;
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		s->label[i].key = cprof_profile_str(p, va_arg(ap, const char *));
		const char *str = va_arg(ap, const char *);
		s->label[i].num_unit = cprof_profile_str(p, "");
		if (str) {
			s->label[i].str = cprof_profile_str(p, str);
		} else {
			s->label[i].num = va_arg(ap, int64_t);
			s->label[i].num_unit = cprof_profile_str(p, va_arg(ap, const char *));
		}
	}
	va_end(ap);
}

static struct cprof_node *find(const struct cprof_graph *g, const char *printable)
{
	for (size_t i = 0; i < g->nnodes; i++)
		if (!strcmp(g->nodes[i]->printable, printable))
			return g->nodes[i];
	return NULL;
}

static struct cprof_edge *edge(const struct cprof_node *src, const char *dest)
{
	for (size_t i = 0; i < src->nout; i++)
		if (!strcmp(src->out[i]->dest->printable, dest))
			return src->out[i];
	return NULL;
}

static struct cprof_graph_opts default_opts(const struct cprof_profile *p)
{
	struct cprof_graph_opts o = {0};
	o.sample_index = (int)p->nsample_type - 1;
	o.mean_index = -1;
	return o;
}

/* ---- tests ----------------------------------------------------------------------- */

int test_graph_clean_path(void)
{
	static const char *const cases[][2] = {
		{"", "."},           {"a/b", "a/b"},     {"a//b", "a/b"},   {"a/./b", "a/b"},
		{"a/../b", "b"},     {"../a", "../a"},   {"/../a", "/a"},   {"a/b/", "a/b"},
		{"/", "/"},          {"./", "."},        {"a/..", "."},     {"../../x/../y", "../../y"},
		{"/a/b/../../..", "/"},
	};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(cases); i++) {
		struct strbuf sb = STRBUF_INIT;
		cprof_clean_path(cases[i][0], &sb);
		CHECK_STR(sb.buf, cases[i][1]);
		strbuf_release(&sb);
	}
	return 0;
}

int test_graph_printable_name(void)
{
	static const struct {
		struct cprof_node_info i;
		const char *want;
	} cases[] = {
		{{"main", "", 0, "", 0, 0, 0, ""}, "main"},
		{{"main", "", 0x1234, "", 0, 0, 0, ""}, "0000000000001234 main"},
		{{"main", "", 0, "a.go", 0, 12, 0, ""}, "main a.go:12"},
		{{"main", "", 0, "a.go", 0, 0, 0, ""}, "main a.go"},
		{{"", "", 0, "", 0, 0, 0, "/usr/lib/libc.so"}, "[libc.so]"},
		{{"", "", 0x10, "", 0, 0, 0, "/usr/lib/libc.so"}, "0000000000000010 [libc.so]"},
		{{"", "", 0, "", 0, 0, 0, ""}, "<unknown>"},
		{{"", "", 0, "", 0, 7, 0, ""}, ":7"},
	};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(cases); i++) {
		struct strbuf sb = STRBUF_INIT;
		cprof_node_info_printable(&cases[i].i, &sb);
		CHECK_STR(sb.buf, cases[i].want);
		strbuf_release(&sb);
	}
	struct strbuf sb = STRBUF_INIT;
	cprof_node_info_gostring(&cases[1].i, &sb);
	CHECK_STR(sb.buf, "{main  4660  0 0 }");
	strbuf_release(&sb);
	return 0;
}

/* Cum is credited once per sample even under recursion; flat goes to the leaf. */
int test_graph_flat_cum_recursion(void)
{
	struct cprof_profile *p = new_profile(1);
	uint32_t fa = add_fn(p, "a", ""), fb = add_fn(p, "b", ""), fc = add_fn(p, "c", "");
	uint32_t la = add_loc(p, 0, 1, fa, 0), lb = add_loc(p, 0, 1, fb, 0), lc = add_loc(p, 0, 1, fc, 0);
	uint32_t la2 = add_loc(p, 0, 1, fa, 0); /* a second location of a: same node */
	add_sample(p, 10, 3, lc, lb, la);
	add_sample(p, 5, 2, lb, la);
	add_sample(p, 3, 3, la2, lb, la); /* a -> b -> a */
	add_sample(p, 0, 2, lc, la);      /* zero: ignored */

	struct cprof_graph_opts o = default_opts(p);
	struct cprof_graph *g = cprof_graph_new(p, &o);
	CHECK_INT(g->nnodes, 3);
	struct cprof_node *a = find(g, "a"), *b = find(g, "b"), *c = find(g, "c");
	CHECK(a && b && c);
	CHECK_INT(a->flat, 3);
	CHECK_INT(a->cum, 18);
	CHECK_INT(b->flat, 5);
	CHECK_INT(b->cum, 18);
	CHECK_INT(c->flat, 10);
	CHECK_INT(c->cum, 10);
	CHECK(a->function == a);
	CHECK_INT(edge(a, "b")->weight, 18);
	CHECK_INT(edge(b, "a")->weight, 3);
	CHECK_INT(edge(b, "c")->weight, 10);
	CHECK(edge(a, "c") == NULL);
	CHECK_INT(a->nin, 1);
	CHECK(!edge(a, "b")->inline_ && !edge(a, "b")->residual);
	int64_t flat, cum;
	cprof_graph_sum(g, &flat, &cum);
	CHECK_INT(flat, 18);
	CHECK_INT(cum, 46);

	cprof_graph_sort_nodes(g, false, false);
	CHECK_STR(g->nodes[0]->printable, "c");
	CHECK_STR(g->nodes[1]->printable, "b");
	CHECK_STR(g->nodes[2]->printable, "a");
	cprof_graph_sort_nodes(g, true, false);
	CHECK_STR(g->nodes[0]->printable, "a"); /* ties on cum broken by name */
	CHECK_STR(g->nodes[1]->printable, "b");
	cprof_graph_free(g);
	cprof_profile_free(p);
	return 0;
}

/* Lines of one location: the inner ones are reached by inline edges. */
int test_graph_inline_edges(void)
{
	struct cprof_profile *p = new_profile(1);
	uint32_t fm = add_fn(p, "main", "m.go"), fi = add_fn(p, "inl", "i.go"), fl = add_fn(p, "leaf", "l.go");
	uint32_t l1 = add_loc(p, 0, 2, fi, 0, fm, 0); /* inl inlined into main */
	uint32_t l2 = add_loc(p, 0, 1, fl, 0);
	uint32_t l3 = add_loc(p, 0, 1, fm, 0);
	add_sample(p, 7, 2, l2, l1);
	add_sample(p, 1, 2, l2, l3); /* main calls leaf directly too */
	add_sample(p, 2, 1, l1);

	struct cprof_graph_opts o = default_opts(p);
	struct cprof_graph *g = cprof_graph_new(p, &o);
	struct cprof_node *m = find(g, "main m.go"), *in = find(g, "inl i.go"), *lf = find(g, "leaf l.go");
	CHECK(m && in && lf);
	CHECK(edge(m, "inl i.go")->inline_);
	CHECK(!edge(in, "leaf l.go")->inline_);
	CHECK(!edge(m, "leaf l.go")->inline_);
	CHECK_INT(edge(m, "inl i.go")->weight, 9);
	CHECK_INT(in->flat, 2);
	CHECK_INT(m->cum, 10);
	cprof_graph_free(g);

	/* the node of every (location, line), as -traces uses them */
	uint32_t *first;
	struct cprof_node **nodes;
	g = cprof_graph_location_nodes(p, &o, &first, &nodes);
	CHECK_INT(g->nnodes, 0);
	CHECK_INT(first[0], 0);
	CHECK_INT(first[1], 2);
	CHECK_INT(first[3], 4);
	CHECK_STR(nodes[0]->printable, "inl i.go");
	CHECK_STR(nodes[1]->printable, "main m.go");
	CHECK(nodes[1] == nodes[3]);
	free(first);
	free(nodes);
	cprof_graph_free(g);
	cprof_profile_free(p);

	/* line-level nodes point at a node of their whole function */
	p = new_profile(1);
	fm = add_fn(p, "main", "./src//m.go");
	l1 = add_loc(p, 0x10, 1, fm, 20);
	add_sample(p, 1, 1, l1);
	o = default_opts(p);
	g = cprof_graph_new(p, &o);
	CHECK_INT(g->nnodes, 1);
	struct cprof_node *n = g->nodes[0];
	CHECK_STR(n->printable, "0000000000000010 main src/m.go:20");
	CHECK(n->function != n);
	CHECK_INT(n->function->info.address, 0);
	CHECK_INT(n->function->info.lineno, 0);
	CHECK(n->function->function == n->function);
	cprof_graph_free(g);
	cprof_profile_free(p);
	return 0;
}

/* Nodes outside a kept set are skipped; the edge over them is residual. */
int test_graph_kept_residual(void)
{
	struct cprof_profile *p = new_profile(1);
	uint32_t fa = add_fn(p, "a", ""), fb = add_fn(p, "b", ""), fc = add_fn(p, "c", "");
	uint32_t la = add_loc(p, 0, 1, fa, 0), lb = add_loc(p, 0, 1, fb, 0), lc = add_loc(p, 0, 1, fc, 0);
	add_sample(p, 10, 3, lc, lb, la);
	add_sample(p, 4, 2, lb, la);

	struct cprof_graph_opts o = default_opts(p);
	struct cprof_graph *full = cprof_graph_new(p, &o);
	struct cprof_node_set *keep = cprof_node_set_new();
	cprof_node_set_add(keep, &find(full, "a")->info);
	cprof_node_set_add(keep, &find(full, "c")->info);
	cprof_node_set_add(keep, &find(full, "c")->info);
	CHECK_INT(cprof_node_set_count(keep), 2);
	cprof_graph_free(full); /* the set owns copies */

	o.kept = keep;
	struct cprof_graph *g = cprof_graph_new(p, &o);
	CHECK_INT(g->nnodes, 2);
	struct cprof_node *a = find(g, "a"), *c = find(g, "c");
	CHECK(a && c);
	CHECK(edge(a, "c")->residual);
	CHECK_INT(edge(a, "c")->weight, 10);
	CHECK_INT(a->cum, 14);
	CHECK_INT(a->flat, 0); /* the stack of sample 2 ended on a dropped node */
	CHECK_INT(c->flat, 10);
	cprof_graph_free(g);
	cprof_node_set_free(keep);
	cprof_profile_free(p);
	return 0;
}

int test_graph_mean_and_negative(void)
{
	struct cprof_profile *p = new_profile(2);
	uint32_t fa = add_fn(p, "a", ""), fb = add_fn(p, "b", "");
	uint32_t la = add_loc(p, 0, 1, fa, 0), lb = add_loc(p, 0, 1, fb, 0);
	add_sample(p, 10, 2, lb, la);
	add_sample(p, 20, 2, lb, la);
	add_sample(p, -50, 1, la);

	struct cprof_graph_opts o = default_opts(p);
	o.mean_index = 0;
	struct cprof_graph *g = cprof_graph_new(p, &o);
	struct cprof_node *a = find(g, "a"), *b = find(g, "b");
	CHECK_INT(b->flat, 30);
	CHECK_INT(b->flat_div, 2);
	CHECK_INT(cprof_node_flat(b), 15);
	CHECK_INT(a->cum, -20);
	CHECK_INT(a->cum_div, 3);
	CHECK_INT(cprof_node_cum(a), -6);
	CHECK_INT(cprof_edge_weight(edge(a, "b")), 15);
	cprof_graph_free(g);

	o.mean_index = -1;
	o.drop_negative = true;
	g = cprof_graph_new(p, &o);
	CHECK_INT(g->nnodes, 1); /* a: flat -50 */
	CHECK_STR(g->nodes[0]->printable, "b");
	cprof_graph_free(g);
	cprof_profile_free(p);
	return 0;
}

int test_graph_call_tree(void)
{
	struct cprof_profile *p = new_profile(1);
	uint32_t fa = add_fn(p, "a", ""), fb = add_fn(p, "b", ""), fc = add_fn(p, "c", "");
	uint32_t la = add_loc(p, 0, 1, fa, 0), lb = add_loc(p, 0, 1, fb, 0), lc = add_loc(p, 0, 1, fc, 0);
	add_sample(p, 10, 3, lc, lb, la); /* a -> b -> c */
	add_sample(p, 4, 2, lc, la);      /* a -> c */
	add_sample(p, 1, 3, la, lb, la);  /* a -> b -> a */

	struct cprof_graph_opts o = default_opts(p);
	o.call_tree = true;
	struct cprof_graph *g = cprof_graph_new(p, &o);
	CHECK_INT(g->nnodes, 5); /* a, a/b, a/b/c, a/c, a/b/a */
	int na = 0, nc = 0;
	for (size_t i = 0; i < g->nnodes; i++) {
		na += !strcmp(g->nodes[i]->printable, "a");
		nc += !strcmp(g->nodes[i]->printable, "c");
		CHECK(g->nodes[i]->nin <= 1);
	}
	CHECK_INT(na, 2);
	CHECK_INT(nc, 2);

	/* drop a/b: its children hang from a through residual edges */
	for (size_t i = 0; i < g->nnodes; i++)
		g->nodes[i]->keep = strcmp(g->nodes[i]->printable, "b") != 0;
	cprof_graph_trim_tree(g);
	CHECK_INT(g->nnodes, 4);
	struct cprof_node *root = NULL;
	for (size_t i = 0; i < g->nnodes; i++)
		if (!strcmp(g->nodes[i]->printable, "a") && g->nodes[i]->nin == 0)
			root = g->nodes[i];
	CHECK(root);
	CHECK_INT(root->nout, 3); /* c (direct), then c and a through the removed b */
	int residual = 0;
	for (size_t i = 0; i < root->nout; i++)
		residual += root->out[i]->residual;
	CHECK_INT(residual, 2);
	cprof_graph_free(g);
	cprof_profile_free(p);
	return 0;
}

int test_graph_sort_orders(void)
{
	struct cprof_profile *p = new_profile(1);
	uint32_t fz = add_fn(p, "z", "b.go"), fy = add_fn(p, "y", "a.go"), fx = add_fn(p, "x", "a.go");
	uint32_t lz = add_loc(p, 0x30, 1, fz, 0), ly = add_loc(p, 0x10, 1, fy, 0), lx = add_loc(p, 0x20, 1, fx, 0);
	add_sample(p, 5, 1, lz);
	add_sample(p, 5, 2, ly, lx);
	add_sample(p, -7, 1, lx);

	struct cprof_graph_opts o = default_opts(p);
	o.obj_names = true;
	struct cprof_graph *g = cprof_graph_new(p, &o);
	const char *want_flat[] = {"0000000000000020 x a.go", "0000000000000010 y a.go", "0000000000000030 z b.go"};
	cprof_nodes_sort(g->nodes, g->nnodes, CPROF_ORDER_FLAT_NAME);
	for (int i = 0; i < 3; i++)
		CHECK_STR(g->nodes[i]->printable, want_flat[i]);
	cprof_nodes_sort(g->nodes, g->nnodes, CPROF_ORDER_ADDRESS);
	CHECK_STR(g->nodes[0]->info.name, "y");
	cprof_nodes_sort(g->nodes, g->nnodes, CPROF_ORDER_NAME);
	CHECK_STR(g->nodes[0]->info.name, "x");
	cprof_nodes_sort(g->nodes, g->nnodes, CPROF_ORDER_FILE);
	CHECK_STR(g->nodes[2]->info.name, "z");
	cprof_nodes_sort(g->nodes, g->nnodes, CPROF_ORDER_FLAT_CUM_NAME);
	CHECK_STR(g->nodes[0]->info.name, "x");
	CHECK_STR(g->nodes[1]->info.name, "y"); /* flat 5 ties with z: cum 5 each, then name */
	cprof_nodes_sort(g->nodes, g->nnodes, CPROF_ORDER_ENTROPY);
	CHECK_INT(g->nnodes, 3);
	cprof_graph_free(g);
	cprof_profile_free(p);
	return 0;
}

int test_graph_select_and_trim(void)
{
	struct cprof_profile *p = new_profile(1);
	uint32_t f[6], l[6];
	char name[16];
	for (int i = 0; i < 6; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		f[i] = add_fn(p, name, "");
		l[i] = add_loc(p, 0, 1, f[i], 0);
	}
	for (int i = 1; i < 6; i++)
		add_sample(p, 10 * i, 2, l[i], l[0]);

	struct cprof_graph_opts o = default_opts(p);
	struct cprof_graph *g = cprof_graph_new(p, &o);
	cprof_graph_sort_nodes(g, false, false);
	CHECK_STR(g->nodes[0]->printable, "f5");
	struct cprof_node_set *top = cprof_graph_select_top_nodes(g, 2, false);
	CHECK_INT(cprof_node_set_count(top), 2);
	CHECK(cprof_node_set_has(top, &find(g, "f4")->info));
	CHECK(!cprof_node_set_has(top, &find(g, "f0")->info));
	cprof_node_set_free(top);

	struct cprof_node_set *big = cprof_graph_discard_low_frequency_nodes(g, 30);
	CHECK_INT(cprof_node_set_count(big), 4); /* f0 (cum 150), f3, f4, f5 */
	cprof_node_set_free(big);

	CHECK_INT(cprof_graph_trim_low_frequency_edges(g, 25), 2);
	CHECK_INT(find(g, "f0")->nout, 3);
	CHECK(edge(find(g, "f0"), "f1") == NULL);
	CHECK_INT(find(g, "f1")->nin, 0);
	CHECK_INT(cprof_graph_mark_top_nodes(g, 10, false), 6);
	cprof_graph_free(g);
	cprof_profile_free(p);
	return 0;
}

int test_graph_tags(void)
{
	struct cprof_profile *p = new_profile(1);
	uint32_t fa = add_fn(p, "a", ""), fb = add_fn(p, "b", "");
	uint32_t la = add_loc(p, 0, 1, fa, 0), lb = add_loc(p, 0, 1, fb, 0);
	struct cprof_sample *s = add_sample(p, 10, 2, lb, la);
	add_labels(p, s, 4, "z", "1", "k", "v", "bytes", NULL, (int64_t)2048, "", "pprof::base", "true");
	s = add_sample(p, 5, 2, lb, la);
	add_labels(p, s, 2, "k", "v", "z", "1");
	s = add_sample(p, 1, 1, la);
	add_labels(p, s, 1, "bytes", NULL, (int64_t)64, "");

	struct cprof_graph_opts o = default_opts(p);
	o.drop_label_key = "pprof::base";
	o.numeric_tag_key = "bytes";
	o.numeric_tag_unit = "bytes";
	struct cprof_graph *g = cprof_graph_new(p, &o);
	struct cprof_node *a = find(g, "a"), *b = find(g, "b");
	CHECK_INT(b->nlabel_tags, 1);
	CHECK_STR(b->label_tags[0]->name, "k:v\\nz:1");
	CHECK_INT(b->label_tags[0]->flat, 15);
	CHECK_INT(b->label_tags[0]->cum, 15);
	CHECK_INT(a->nlabel_tags, 1);
	CHECK_INT(a->label_tags[0]->flat, 0);
	CHECK_INT(a->nnumeric_tags, 2); /* under "k:v\nz:1" and under "" */
	CHECK_STR(a->numeric_tags[0].labels, "k:v\\nz:1");
	CHECK_STR(a->numeric_tags[0].tags[0]->name, "2048");
	CHECK_STR(a->numeric_tags[0].tags[0]->unit, "bytes");
	CHECK_STR(a->numeric_tags[1].labels, "");
	CHECK_INT(a->numeric_tags[1].tags[0]->flat, 1);

	cprof_graph_trim_low_frequency_tags(g, 5);
	CHECK_INT(a->numeric_tags[1].ntags, 0);
	CHECK_INT(a->numeric_tags[0].ntags, 1);
	/* visual mode counts flat tags: b has 1 label tag + 1 numeric tag */
	cprof_graph_sort_nodes(g, false, false);
	CHECK_STR(g->nodes[0]->printable, "b");
	CHECK_INT(cprof_graph_mark_top_nodes(g, 2, true), 1);
	cprof_graph_free(g);

	o.no_tags = true;
	g = cprof_graph_new(p, &o);
	CHECK_INT(find(g, "a")->nlabel_tags, 0);
	cprof_graph_free(g);
	cprof_profile_free(p);
	return 0;
}

int test_graph_redundant_edges(void)
{
	/* a -> b -> c and a residual a -> c: the residual one is redundant */
	struct cprof_profile *p = new_profile(1);
	uint32_t fa = add_fn(p, "a", ""), fb = add_fn(p, "b", ""), fc = add_fn(p, "c", ""), fd = add_fn(p, "d", "");
	uint32_t la = add_loc(p, 0, 1, fa, 0), lb = add_loc(p, 0, 1, fb, 0), lc = add_loc(p, 0, 1, fc, 0),
		 ld = add_loc(p, 0, 1, fd, 0);
	add_sample(p, 10, 3, lc, lb, la);
	add_sample(p, 3, 3, lc, ld, la);

	struct cprof_graph_opts o = default_opts(p);
	struct cprof_graph *full = cprof_graph_new(p, &o);
	struct cprof_node_set *keep = cprof_node_set_new();
	cprof_node_set_add(keep, &find(full, "a")->info);
	cprof_node_set_add(keep, &find(full, "b")->info);
	cprof_node_set_add(keep, &find(full, "c")->info);
	cprof_graph_free(full);
	o.kept = keep;
	struct cprof_graph *g = cprof_graph_new(p, &o);
	struct cprof_node *a = find(g, "a");
	CHECK(edge(a, "c") && edge(a, "c")->residual);
	cprof_graph_sort_nodes(g, false, true);
	cprof_graph_remove_redundant_edges(g);
	CHECK(edge(a, "c") == NULL);
	CHECK(edge(a, "b") != NULL);
	CHECK_INT(find(g, "c")->nin, 1);
	cprof_graph_free(g);
	cprof_node_set_free(keep);
	cprof_profile_free(p);
	return 0;
}

/* ---- renderers ---------------------------------------------------------------------- */

static struct cprof_profile *report_profile(void)
{
	struct cprof_profile *p = new_profile(2);
	/* as after function granularity: no files, no lines */
	uint32_t fm = add_fn(p, "main", ""), fi = add_fn(p, "inl", ""), fw = add_fn(p, "work", "");
	uint32_t l1 = add_loc(p, 0, 2, fi, 0, fm, 0);
	uint32_t l2 = add_loc(p, 0, 1, fw, 0);
	uint32_t l3 = add_loc(p, 0, 1, fm, 0);
	struct cprof_sample *s = add_sample(p, 1100000000, 2, l2, l1);
	add_labels(p, s, 3, "k", "v1", "bytes", NULL, (int64_t)2048, "", "k", "v2");
	add_sample(p, 10000000, 2, l2, l3);
	add_sample(p, 10000000, 1, l1);
	p->duration_nanos = 2000000000;
	return p;
}

static void report_opts(struct cprof_report_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = CPROF_FMT_TEXT;
	o->ratio = 1;
	o->nodecount = -1;
	o->nodefraction = 0.005;
	o->edgefraction = 0.001;
	o->sample_index = 1;
	o->sample_type = "cpu";
	o->sample_unit = "nanoseconds";
	o->output_unit = "minimum";
}

int test_report_text(void)
{
	struct cprof_profile *p = report_profile();
	struct cprof_report_opts o;
	report_opts(&o);
	struct cprof_report rpt;
	cprof_report_init(&rpt, p, &o);
	CHECK_INT(rpt.total, 1120000000);
	struct strbuf out = STRBUF_INIT;
	struct cprof_error err;
	CHECK_INT(cprof_render_text(&rpt, &out, &err), 0);
	CHECK_STR(out.buf, "Type: cpu\n"
			   "Duration: 2s, Total samples = 1.12s (56.00%)\n"
			   "Showing nodes accounting for 1.12s, 100% of 1.12s total\n"
			   "      flat  flat%   sum%        cum   cum%\n"
			   "     1.11s 99.11% 99.11%      1.11s 99.11%  work\n"
			   "     0.01s  0.89%   100%      1.11s 99.11%  inl (inline)\n"
			   "         0     0%   100%      1.12s   100%  main\n");
	strbuf_release(&out);

	/* -cum -unit=ms -compact_labels with an active filter (checked against go tool pprof) */
	report_opts(&o);
	o.cum_sort = true;
	o.output_unit = "ms";
	o.compact_labels = true;
	const char *filters[] = {"focus=main"};
	o.active_filters = filters;
	o.nactive_filters = 1;
	cprof_report_init(&rpt, p, &o);
	CHECK_INT(cprof_render_text(&rpt, &out, &err), 0);
	CHECK_STR(out.buf, "Active filters:\n"
			   "   focus=main\n"
			   "Showing nodes accounting for 1120ms, 100% of 1120ms total\n"
			   "      flat  flat%   sum%        cum   cum%\n"
			   "         0     0%     0%     1120ms   100%  main\n"
			   "      10ms  0.89%  0.89%     1110ms 99.11%  inl (inline)\n"
			   "    1110ms 99.11%   100%     1110ms 99.11%  work\n");
	strbuf_release(&out);
	cprof_profile_free(p);
	return 0;
}

int test_report_traces(void)
{
	struct cprof_profile *p = report_profile();
	struct cprof_report_opts o;
	report_opts(&o);
	o.format = CPROF_FMT_TRACES;
	struct cprof_report rpt;
	cprof_report_init(&rpt, p, &o);
	struct strbuf out = STRBUF_INIT;
	struct cprof_error err;
	CHECK_INT(cprof_render_traces(&rpt, &out, &err), 0);
	CHECK_STR(out.buf, "Type: cpu\n"
			   "Duration: 2s, Total samples = 1.12s (56.00%)\n"
			   "-----------+-------------------------------------------------------\n"
			   "         k:  v1 v2\n"
			   "     bytes:  2kB\n"
			   "     1.10s   work\n"
			   "             inl (inline)\n"
			   "             main\n"
			   "-----------+-------------------------------------------------------\n"
			   "      10ms   work\n"
			   "             main\n"
			   "-----------+-------------------------------------------------------\n"
			   "      10ms   inl (inline)\n"
			   "             main\n"
			   "-----------+-------------------------------------------------------\n");
	strbuf_release(&out);
	cprof_profile_free(p);
	return 0;
}

int test_report_labels_duration(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	struct cprof_profile *p = report_profile();
	struct cprof_mapping *m = cprof_profile_add_mapping(p);
	m->id = 1;
	m->file = cprof_profile_str(p, "/usr/bin/prog");
	m->build_id = cprof_profile_str(p, "abc");
	cprof_profile_add_comment(p, "a comment");
	cprof_profile_add_comment(p, "#hidden");
	p->time_nanos = 1234567890123456789LL;
	struct cprof_report_opts o;
	report_opts(&o);
	o.sample_index = 0; /* counts: no ratio, the line ends in a space */
	o.sample_type = "samples";
	o.sample_unit = "count";
	struct cprof_report rpt;
	cprof_report_init(&rpt, p, &o);
	struct strbuf out = STRBUF_INIT;
	cprof_report_profile_labels(&rpt, &out);
	CHECK_STR(out.buf, "File: prog\n"
			   "Build ID: abc\n"
			   "a comment\n"
			   "Type: samples\n"
			   "Time: Feb 13, 2009 at 11:31pm (UTC)\n"
			   "Duration: 2s, Total samples = 3 \n");
	strbuf_release(&out);
	cprof_profile_free(p);
	return 0;
}
