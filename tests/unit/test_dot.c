/*
 * test_dot.c - the DOT writer (render/dot.c) on hand-made graphs, checked
 * against pprof's own DOT writer goldens (internal/graph/testdata/
 * compose*.dot of the conformance corpus, ../shared), and its pieces:
 * name shortening, multi-line labels, escaping and colours, whose expected
 * values were computed with Go 1.19's pprof code.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cprof/graph.h"
#include "render/dot.h"
#include "render/svgpan.h"

/* ---- pprof's baseGraph / baseAttrsAndConfig of dotgraph_test.go ------------------ */

struct test_graph {
	struct cprof_graph g;
	struct cprof_node src, dest, *nodes[2];
	struct cprof_edge edge, *out[1];
	struct cprof_tag label_tag, num_tag, *label_tags[1], *num_tags[1];
	struct cprof_tag_group group;
};

static void base_info(struct cprof_node_info *i, const char *name)
{
	memset(i, 0, sizeof(*i));
	i->name = name;
	i->orig_name = i->file = i->objfile = "";
}

static void base_graph(struct test_graph *t)
{
	memset(t, 0, sizeof(*t));
	base_info(&t->src.info, "src");
	t->src.flat = 10;
	t->src.cum = 25;
	base_info(&t->dest.info, "dest");
	t->dest.flat = 15;
	t->dest.cum = 25;
	t->edge.src = &t->src;
	t->edge.dest = &t->dest;
	t->edge.weight = 10;
	t->out[0] = &t->edge;
	t->src.out = t->out;
	t->src.nout = 1;
	t->nodes[0] = &t->src;
	t->nodes[1] = &t->dest;
	t->g.nodes = t->nodes;
	t->g.nnodes = 2;
}

static void decimal(int64_t v, struct strbuf *out, const void *ctx)
{
	(void)ctx;
	strbuf_addf(out, "%lld", (long long)v);
}

static char *base_labels[] = {"label1", "label2", "label3: \"foo\""};

static struct dot_config base_config(void)
{
	struct dot_config c = {
		.title = "testtitle",
		.labels = base_labels,
		.nlabels = 3,
		.format_value = decimal,
		.total = 100,
	};
	return c;
}

/* The golden's text, or NULL when the corpus is absent. */
static char *read_golden(const char *name)
{
	const char *shared = getenv("SHARED");
	struct strbuf path = STRBUF_INIT, data = STRBUF_INIT;
	if (shared && *shared) {
		strbuf_addstr(&path, shared);
	} else {
		/* this file is tests/unit/test_dot.c; the corpus is ../shared beside the repo */
		const char *f = __FILE__, *cut = strstr(f, "/tests/unit/");
		strbuf_add(&path, f, cut ? (size_t)(cut - f) : 0);
		strbuf_addstr(&path, "/../shared");
	}
	strbuf_addf(&path, "/conformance/pprof/internal/graph/testdata/%s", name);
	FILE *fp = fopen(path.buf, "rb");
	strbuf_release(&path);
	if (!fp)
		return NULL;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(&data, buf, n);
	fclose(fp);
	return strbuf_detach(&data, NULL);
}

/* Compose g with c, compare with the golden; 0 when equal (or the corpus is absent). */
static int compare_golden(const struct cprof_graph *g, const struct dot_config *c, const char *golden)
{
	struct strbuf out = STRBUF_INIT;
	struct dot_graph *d = dot_compose(g, c);
	dot_graph_write(d, &out);
	dot_graph_free(d);
	char *want = read_golden(golden);
	if (!want) {
		fprintf(stderr, "note: %s not found (../shared absent): not compared\n", golden);
		strbuf_release(&out);
		return 0;
	}
	int rc = 0;
	if (strcmp(out.buf, want)) {
		fprintf(stderr, "%s differs:\n--- got\n%s--- want\n%s", golden, out.buf, want);
		rc = 1;
	}
	free(want);
	strbuf_release(&out);
	return rc;
}

static void upper_name(const struct cprof_node_info *i, struct strbuf *out)
{
	for (const char *s = i->name; *s; s++)
		strbuf_addch(out, *s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s);
}

int test_dot_compose_goldens(void)
{
	struct test_graph t;
	struct dot_config c;

	/* compose1: the standard graph */
	base_graph(&t);
	c = base_config();
	CHECK(!compare_golden(&t.g, &c, "compose1.dot"));

	/* compose2: node attributes on the first node, zero flat on the second */
	base_graph(&t);
	c = base_config();
	struct dot_node_attrs a = {"folder", true, 2, "www.google.com", upper_name};
	const struct dot_node_attrs *attrs[2] = {&a, NULL};
	c.node_attrs = attrs;
	t.dest.flat = 0;
	CHECK(!compare_golden(&t.g, &c, "compose2.dot"));

	/* compose3: a label tag, a numeric tag without labels, a residual edge */
	base_graph(&t);
	c = base_config();
	t.label_tag = (struct cprof_tag){.name = "tag1", .unit = "", .flat = 10, .cum = 10};
	t.num_tag = (struct cprof_tag){.name = "tag2", .unit = "ms", .flat = 20, .cum = 20};
	t.label_tags[0] = &t.label_tag;
	t.num_tags[0] = &t.num_tag;
	t.src.label_tags = t.label_tags;
	t.src.nlabel_tags = 1;
	t.group = (struct cprof_tag_group){.labels = "", .tags = t.num_tags, .ntags = 1};
	t.src.numeric_tags = &t.group;
	t.src.nnumeric_tags = 1;
	t.edge.residual = true;
	CHECK(!compare_golden(&t.g, &c, "compose3.dot"));

	/* compose5: the numeric tag under the label tag */
	t.edge.residual = false;
	t.group.labels = "tag1";
	CHECK(!compare_golden(&t.g, &c, "compose5.dot"));

	/* compose4: no nodes */
	struct cprof_graph empty = {0};
	c = base_config();
	CHECK(!compare_golden(&empty, &c, "compose4.dot"));

	/* compose6: a legend URL */
	base_graph(&t);
	c = base_config();
	c.legend_url = "http://example.com";
	CHECK(!compare_golden(&t.g, &c, "compose6.dot"));

	/* compose7: names that need escaping */
	base_graph(&t);
	c = base_config();
	t.src.info.name = "var\"src\"";
	t.dest.info.name = "var\"#dest#\"";
	CHECK(!compare_golden(&t.g, &c, "compose7.dot"));

	/* compose9: legend lines with newlines and quotes */
	base_graph(&t);
	c = base_config();
	char *labels9[] = {"comment line 1\ncomment line 2 \"unterminated double quote",
			   "second comment \"double quote\""};
	c.labels = labels9;
	c.nlabels = 2;
	CHECK(!compare_golden(&t.g, &c, "compose9.dot"));
	return 0;
}

/* The cgraph graph holds what was printed: nodes, nodelets, edges, attributes. */
int test_dot_cgraph_model(void)
{
	struct test_graph t;
	base_graph(&t);
	struct dot_config c = base_config();
	struct dot_graph *d = dot_compose(&t.g, &c);
	Agraph_t *g = dot_graph_cgraph(d);
	CHECK_INT(agnnodes(g), 3); /* legend, N1, N2 */
	CHECK_INT(agnedges(g), 1);
	Agnode_t *n1 = agnode(g, "N1", 0), *n2 = agnode(g, "N2", 0);
	CHECK(n1 && n2);
	CHECK_STR(agget(n1, "fontsize"), "22");
	CHECK_STR(agget(n1, "color"), "#b23c00");
	CHECK_STR(agget(n2, "id"), "node2");
	CHECK_STR(agget(n2, "style"), "filled"); /* the node [...] default */
	Agedge_t *e = agedge(g, n1, n2, NULL, 0);
	CHECK(e != NULL);
	CHECK_STR(agget(e, "weight"), "11");
	CHECK(agsubg(g, "cluster_L", 0) != NULL);
	dot_graph_free(d);
	return 0;
}

int test_dot_shorten_names(void)
{
	/* expected values computed with Go 1.19's ShortenFunctionName */
	static const char *const cases[][2] = {
		{"root", "root"},
		{"syscall.Syscall", "syscall.Syscall"},
		{"net/http.(*conn).serve", "http.(*conn).serve"},
		{"github.com/blahBlah/foo.Foo", "foo.Foo"},
		{"github.com/blah-blah/foo_bar.(*FooBar).Foo", "foo_bar.(*FooBar).Foo"},
		{"encoding/json.(*structEncoder).(encoding/json.encode)-fm",
		 "json.(*structEncoder).(encoding/json.encode)-fm"},
		{"github.com/foo/bar/v4.(*Foo).Bar", "bar.(*Foo).Bar"},
		{"github.com/foo/bar/v4/baz.Foo.Bar", "baz.Foo.Bar"},
		{"github.com/foo/bar/v123.(*Foo).Bar", "bar.(*Foo).Bar"},
		{"github.com/foobar/v0.(*Foo).Bar", "v0.(*Foo).Bar"},
		{"example.org/v2xyz.Foo", "v2xyz.Foo"},
		{"java.util.concurrent.ThreadPoolExecutor$Worker.run", "ThreadPoolExecutor$Worker.run"},
		{"java.bar.foo.FooBar.run(java.lang.Runnable)", "FooBar.run"},
		{"(anonymous namespace)::Bar::Foo", "Bar::Foo"},
		{"(anonymous namespace)::foo", "foo"},
		{"cpp::namespace::Class::method()::$_100::operator()", "Class::method"},
		{"foo_bar::Foo::bar", "Foo::bar"},
		{"cpp::namespace::Class::method<float, long, int>()", "Class::method<float, long, int>"},
		{"com.google.perftools.gwp.benchmark.FloatBench.lambda$run$0", "FloatBench.lambda$run$0"},
		{"java.bar.foo.FooBar.run$0", "FooBar.run$0"},
		{"main.Sum[...]", "main.Sum[...]"},
		{"(anonymous namespace)::", ""},
		{"a/b/", "b/"},
		{"h\xc3\xa9llo/w\xc3\xb6rld.F\xc3\xbcnc", "h\xc3\xa9llo/w\xc3\xb6rld.F\xc3\xbcnc"},
	};
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(cases); i++) {
		strbuf_reset(&sb);
		dot_shorten_function_name(cases[i][0], &sb);
		CHECK_STR(sb.buf, cases[i][1]);
	}
	strbuf_release(&sb);
	return 0;
}

int test_dot_multiline_name(void)
{
	struct cprof_node_info i;
	struct strbuf sb = STRBUF_INIT;
	/* pprof's TestMultilinePrintableName */
	base_info(&i, "test1.test2::test3");
	i.file = "src/file.cc";
	i.address = 123;
	i.lineno = 999;
	dot_multiline_name(&i, &sb);
	CHECK_STR(sb.buf, "000000000000007b\\ntest1\\ntest2\\ntest3\\nfile.cc:999\\n");

	/* Go type parameters keep their ellipsis */
	strbuf_reset(&sb);
	base_info(&i, "cprofgen/workload/compute.Sum[...]");
	dot_multiline_name(&i, &sb);
	CHECK_STR(sb.buf, "compute\\nSum[\xe2\x80\xa6]\\n");

	/* no name: the object file, then <unknown> */
	strbuf_reset(&sb);
	base_info(&i, "");
	i.objfile = "/usr/lib/libc.so.6";
	dot_multiline_name(&i, &sb);
	CHECK_STR(sb.buf, "[libc.so.6]\\n");
	strbuf_reset(&sb);
	base_info(&i, "");
	dot_multiline_name(&i, &sb);
	CHECK_STR(sb.buf, "<unknown>\\n");

	/* the name is escaped, the file name is not (as pprof) */
	strbuf_reset(&sb);
	base_info(&i, "a\"b\\c");
	i.file = "/x/y\"z.go";
	dot_multiline_name(&i, &sb);
	CHECK_STR(sb.buf, "a\\\"b\\\\c\\ny\"z.go\\n");
	strbuf_release(&sb);
	return 0;
}

int test_dot_escape(void)
{
	/* pprof's TestEscapeForDot */
	static const char *const cases[][2] = {
		{"label: \"foo\" and \"bar\"", "label: \\\"foo\\\" and \\\"bar\\\""},
		{"label: foo \n bar", "label: foo \\l bar"},
		{"label: \\\\", "label: \\\\\\\\"},
		{"label: \"\"", "label: \\\"\\\""},
	};
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(cases); i++) {
		strbuf_reset(&sb);
		dot_escape(cases[i][0], &sb);
		CHECK_STR(sb.buf, cases[i][1]);
	}
	strbuf_release(&sb);
	return 0;
}

int test_dot_colors(void)
{
	/* expected values computed with Go 1.19's dotColor */
	static const struct {
		double score;
		const char *fg, *bg;
	} cases[] = {
		{1, "#b20000", "#edd5d5"},      {0.5, "#b22100", "#edd9d5"},
		{0.25, "#b23c00", "#edddd5"},   {0.1, "#b28559", "#ede7e1"},
		{0.01, "#b2b0a9", "#edeceb"},   {0, "#b2b2b2", "#ededed"},
		{-0.01, "#b0b2a9", "#ecedeb"},  {-0.1, "#85b259", "#e7ede1"},
		{-0.25, "#3cb200", "#ddedd5"},  {-0.5, "#21b200", "#d9edd5"},
		{-1, "#00b200", "#d5edd5"},     {2, "#b20000", "#edd5d5"},
		{-3, "#00b200", "#d5edd5"},     {1.0 / 0.0, "#b20000", "#edd5d5"},
	};
	char c[8];
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(cases); i++) {
		dot_color(cases[i].score, false, c);
		CHECK_STR(c, cases[i].fg);
		dot_color(cases[i].score, true, c);
		CHECK_STR(c, cases[i].bg);
	}
	/* a zero total makes 0/0: Go's uint8(NaN) is 0 */
	dot_color(0.0 / 0.0, false, c);
	CHECK_STR(c, "#b20000");
	dot_color(0.0 / 0.0, true, c);
	CHECK_STR(c, "#ed00d5");
	return 0;
}

/* ---- rendering (render/graphviz.c) ------------------------------------------------ */

/*
 * A small well-formedness check: every element closed in order, one root,
 * quoted attribute values, entities of the form &name; or &#N;.
 */
static int xml_well_formed(const char *s)
{
	const char *stack[256];
	size_t depth = 0;
	int roots = 0;
	while (*s) {
		if (*s == '&') {
			size_t n = strspn(s + 1, "#abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
			if (!n || s[1 + n] != ';')
				return 0;
			s += n + 2;
			continue;
		}
		if (*s != '<') {
			s++;
			continue;
		}
		const char *end;
		if (!strncmp(s, "<?", 2)) {
			end = strstr(s, "?>");
			s = end ? end + 2 : NULL;
		} else if (!strncmp(s, "<!--", 4)) {
			end = strstr(s, "-->");
			s = end ? end + 3 : NULL;
		} else if (!strncmp(s, "<![CDATA[", 9)) {
			end = strstr(s, "]]>");
			s = end ? end + 3 : NULL;
		} else if (!strncmp(s, "<!", 2)) {
			end = strchr(s, '>');
			s = end ? end + 1 : NULL;
		} else if (s[1] == '/') {
			size_t n = strcspn(s + 2, " >");
			if (!depth || strncmp(stack[depth - 1], s + 2, n) ||
			    strcspn(stack[depth - 1], " \t\r\n/>") != n)
				return 0;
			depth--;
			end = strchr(s, '>');
			s = end ? end + 1 : NULL;
		} else {
			const char *name = s + 1, *p = name;
			char quote = 0;
			for (; *p && (quote || *p != '>'); p++)
				if (quote && *p == quote)
					quote = 0;
				else if (!quote && (*p == '"' || *p == '\''))
					quote = *p;
			if (!*p)
				return 0;
			if (p[-1] != '/') {
				if (depth == CPROF_ARRAY_SIZE(stack))
					return 0;
				if (!depth)
					roots++;
				stack[depth++] = name;
			} else if (!depth) {
				roots++;
			}
			s = p + 1;
		}
		if (!s)
			return 0;
	}
	return depth == 0 && roots == 1;
}

int test_dot_svg_massage(void)
{
	static const char in[] =
		"<?xml version=\"1.0\"?>\n<svg width=\"62pt\" height=\"116pt\"\n"
		" viewBox=\"0.00 0.00 62.00 116.00\" xmlns=\"http://www.w3.org/2000/svg\">\n"
		"<g id=\"graph0\" class=\"graph\">\n<text>a &; b</text>\n</g>\n</svg>\n";
	struct strbuf out = STRBUF_INIT, want = STRBUF_INIT;
	graphviz_massage_svg(in, sizeof(in) - 1, &out);
	strbuf_addstr(&want, "<?xml version=\"1.0\"?>\n<svg width=\"100%\" height=\"100%\""
			     " xmlns=\"http://www.w3.org/2000/svg\">\n"
			     "<script type=\"text/ecmascript\"><![CDATA[");
	strbuf_addstr(&want, cprof_svgpan_js);
	strbuf_addstr(&want, "]]></script><g id=\"viewport\" transform=\"scale(0.5,0.5) translate(0,0)\">"
			     "<g id=\"graph0\" class=\"graph\">\n<text>a &amp;; b</text>\n</g>\n</g></svg>\n");
	CHECK_STR(out.buf, want.buf);
	CHECK(xml_well_formed(out.buf));
	CHECK(!strstr(cprof_svgpan_js, "]]>"));
	strbuf_release(&out);
	strbuf_release(&want);
	return 0;
}

int test_dot_graphviz_render(void)
{
	struct test_graph t;
	base_graph(&t);
	struct dot_config c = base_config();
	struct cprof_error err = {0};
	struct strbuf out = STRBUF_INIT;

	struct dot_graph *d = dot_compose(&t.g, &c);
	CHECK(graphviz_render(d, "svg", &out, &err) == 0);
	CHECK(xml_well_formed(out.buf));
	CHECK(strstr(out.buf, "<svg width=\"100%\" height=\"100%\""));
	CHECK(!strstr(out.buf, "viewBox="));
	CHECK(strstr(out.buf, "<g id=\"viewport\""));
	CHECK(strstr(out.buf, "<title>testtitle</title>"));
	CHECK(strstr(out.buf, "<title>N1&#45;&gt;N2</title>"));
	CHECK(strstr(out.buf, ">src</text>"));
	CHECK(strstr(out.buf, ">label3: &quot;foo&quot;</text>")); /* the legend's \" renders as " */
	CHECK(strstr(out.buf, "id=\"node1\""));

	static const struct {
		const char *device, *magic;
	} images[] = {{"png", "\x89PNG"}, {"gif", "GIF8"}, {"pdf", "%PDF"}, {"ps", "%!PS"}};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(images); i++) {
		strbuf_reset(&out);
		CHECK(graphviz_render(d, images[i].device, &out, &err) == 0);
		CHECK(out.len > 100 && !memcmp(out.buf, images[i].magic, strlen(images[i].magic)));
	}
	strbuf_reset(&out);
	CHECK(graphviz_render(d, "no-such-device", &out, &err) == -1);
	CHECK(strstr(cprof_error_msg(&err), "graphviz cannot render no-such-device"));
	dot_graph_free(d);
	strbuf_release(&out);
	return 0;
}
