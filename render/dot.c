/*
 * dot.c - the -dot report: pprof's call graph in Graphviz DOT (Go 1.19's
 * internal/graph/dotgraph.go and report.go GetDOT), built as a libcgraph
 * graph and printed from it.
 *
 *   digraph "<title or unnamed>" {
 *   node [style=filled fillcolor="#f8f8f8"]
 *   subgraph cluster_L { "<label 1>" [shape=box fontsize=16 label="<labels>\l" tooltip="<title>"] }
 *   N1 [label="line1000\n1.10s (98.21%)" id="node1" fontsize=24 shape=box tooltip="line1000 (1.10s)" color="#b20000" fillcolor="#edd5d5"]
 *   N1_0 [label = "key1:tag1\nkey2:tag1" id="N1_0" fontsize=8 shape=box3d tooltip="1s"]
 *   N1 -> N1_0 [label=" 1s" weight=100 tooltip="1s" labeltooltip="1s"]
 *   N2 -> N3 [label=" 1.11s\n (inline)" weight=100 penwidth=5 color="#b20000" tooltip="line3000 -> line3001 (1.11s)" labeltooltip="line3000 -> line3001 (1.11s)"]
 *   }
 *
 * (from the conformance golden pprof.cpu.flat.functions.dot). Each node is
 * followed by its nodelets (up to 4 label tags, numeric tags collapsed into
 * up to 4 ranges); then every edge, heaviest first.
 *
 * Why not agwrite(): it prints its own layout (tabs, attribute defaults
 * such as label="\N", attributes in dictionary order, a line per
 * statement with its own quoting), it cannot interleave node and edge
 * statements the way pprof does, and it spaces `label = ` of nodelets
 * like any other attribute. pprof's text is the contract, so a small
 * writer walks the cgraph graph in pprof's statement order (kept in
 * struct dot_graph) and prints each object's attributes from a per-kind
 * table, skipping the ones left at their declared default.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/regex.h"
#include "cprof/units.h"
#include "render/dot.h"
#include "render/report_graph.h"

enum { MAX_NODELETS = 4 };

/* ---- the attributes pprof uses, and how each statement kind prints them ---------- */

enum attr {
	A_LABEL, A_ID, A_FONTSIZE, A_SHAPE, A_TOOLTIP, A_COLOR, A_FILLCOLOR, A_STYLE,
	A_PERIPHERIES, A_URL, A_TARGET, A_WEIGHT, A_PENWIDTH, A_LABELTOOLTIP, A_MINLEN,
	A__COUNT
};

/* name, node default, edge default (NULL: not declared for that kind) */
static const struct {
	const char *name, *node_def, *edge_def;
} attrs[A__COUNT] = {
	[A_LABEL] = {"label", "\\N", ""},
	[A_ID] = {"id", "", NULL},
	[A_FONTSIZE] = {"fontsize", "", NULL},
	[A_SHAPE] = {"shape", "", NULL},
	[A_TOOLTIP] = {"tooltip", "", ""},
	[A_COLOR] = {"color", "", ""},
	[A_FILLCOLOR] = {"fillcolor", "#f8f8f8", NULL}, /* pprof's node [...] line */
	[A_STYLE] = {"style", "filled", ""},
	[A_PERIPHERIES] = {"peripheries", "", NULL},
	[A_URL] = {"URL", "", NULL},
	[A_TARGET] = {"target", "", NULL},
	[A_WEIGHT] = {NULL, NULL, ""},
	[A_PENWIDTH] = {NULL, NULL, ""},
	[A_LABELTOOLTIP] = {NULL, NULL, ""},
	[A_MINLEN] = {NULL, NULL, ""},
};

static const char *attr_name(enum attr a)
{
	static const char *const edge_only[] = {
		[A_WEIGHT] = "weight", [A_PENWIDTH] = "penwidth",
		[A_LABELTOOLTIP] = "labeltooltip", [A_MINLEN] = "minlen",
	};
	return attrs[a].name ? attrs[a].name : edge_only[a];
}

enum stmt_kind { S_LEGEND, S_NODE, S_NODELET, S_EDGE };

struct field {
	enum attr a;
	bool quoted;
};

#define END_FIELDS {A__COUNT, false}
/* The order and quoting of each statement's attributes, as pprof prints them. */
static const struct field defaults_fields[] = {{A_STYLE, false}, {A_FILLCOLOR, true}, END_FIELDS};
static const struct field legend_fields[] = {
	{A_SHAPE, false}, {A_FONTSIZE, false}, {A_LABEL, true}, {A_URL, true}, {A_TARGET, true},
	{A_TOOLTIP, true}, END_FIELDS};
static const struct field node_fields[] = {
	{A_LABEL, true}, {A_ID, true}, {A_FONTSIZE, false}, {A_SHAPE, false}, {A_TOOLTIP, true},
	{A_COLOR, true}, {A_FILLCOLOR, true}, {A_STYLE, true}, {A_PERIPHERIES, false}, {A_URL, true},
	{A_TARGET, true}, END_FIELDS};
static const struct field edge_fields[] = {
	{A_LABEL, true}, {A_WEIGHT, false}, {A_PENWIDTH, false}, {A_COLOR, true}, {A_TOOLTIP, true},
	{A_LABELTOOLTIP, true}, {A_STYLE, true}, {A_MINLEN, false}, END_FIELDS};

struct dot_stmt {
	enum stmt_kind kind;
	void *obj; /* Agnode_t or Agedge_t */
};

struct dot_graph {
	Agraph_t *g;
	Agraph_t *legend; /* cluster_L, or NULL */
	Agsym_t *sym[2][A__COUNT]; /* [0] nodes, [1] edges */
	struct dot_stmt *stmts;
	size_t nstmts, astmts;
};

static void add_stmt(struct dot_graph *d, enum stmt_kind k, void *obj)
{
	ALLOC_GROW(d->stmts, d->nstmts + 1, d->astmts);
	d->stmts[d->nstmts].kind = k;
	d->stmts[d->nstmts].obj = obj;
	d->nstmts++;
}

static void set_attr(struct dot_graph *d, void *obj, enum attr a, const char *v)
{
	int e = agobjkind(obj) == AGEDGE;
	agxset(obj, d->sym[e][a], (char *)v);
}

static Agnode_t *new_node(struct dot_graph *d, Agraph_t *in, const char *name)
{
	return agnode(in, (char *)name, 1);
}

static struct dot_graph *dot_graph_new(const char *name)
{
	struct dot_graph *d = cprof_xcalloc(1, sizeof(*d));
	d->g = agopen((char *)name, Agdirected, NULL);
	for (int a = 0; a < A__COUNT; a++) {
		if (attrs[a].node_def)
			d->sym[0][a] = agattr(d->g, AGNODE, (char *)attr_name(a), (char *)attrs[a].node_def);
		if (attrs[a].edge_def)
			d->sym[1][a] = agattr(d->g, AGEDGE, (char *)attr_name(a), (char *)attrs[a].edge_def);
	}
	return d;
}

Agraph_t *dot_graph_cgraph(const struct dot_graph *d)
{
	return d->g;
}

void dot_graph_free(struct dot_graph *d)
{
	if (!d)
		return;
	agclose(d->g);
	free(d->stmts);
	free(d);
}

/* ---- string helpers ------------------------------------------------------------ */

void dot_escape(const char *s, struct strbuf *out)
{
	for (; *s; s++) {
		if (*s == '\\')
			strbuf_addstr(out, "\\\\");
		else if (*s == '"')
			strbuf_addstr(out, "\\\"");
		else if (*s == '\n')
			strbuf_addstr(out, "\\l");
		else
			strbuf_addch(out, *s);
	}
}

/* Replace every `from` in sb by `to` (strings.Replace(s, from, to, -1), from non-empty). */
static void replace_all(struct strbuf *sb, const char *from, const char *to)
{
	size_t fl = strlen(from);
	if (!strstr(sb->buf, from))
		return;
	struct strbuf r = STRBUF_INIT;
	const char *p = sb->buf, *q;
	while ((q = strstr(p, from))) {
		strbuf_add(&r, p, (size_t)(q - p));
		strbuf_addstr(&r, to);
		p = q + fl;
	}
	strbuf_addstr(&r, p);
	strbuf_reset(sb);
	strbuf_add(sb, r.buf, r.len);
	strbuf_release(&r);
}

/* ---- ShortenFunctionName --------------------------------------------------------------- */

/* graph.go's patterns (Go 1.19). */
static const char *const shorten_patterns[] = {
	"^\\(anonymous namespace\\)::",                      /* dropped */
	"^(.*?)/v(?:[2-9]|[1-9][0-9]+)([./].*)$",            /* module major version: $1$2 */
	"^(?:[\\w\\-\\.]+\\/)+(.+)",                         /* Go */
	"^(?:[a-z]\\w*\\.)*([A-Z][\\w\\$]*\\.(?:<init>|[a-z][\\w\\$]*(?:\\$\\d+)?))(?:(?:\\()|$)", /* Java */
	"^(?:[_a-zA-Z]\\w*::)+(_*[A-Z]\\w*::~?[_a-zA-Z]\\w*(?:<.*>)?)", /* C++ */
};

struct shortener {
	struct cprof_regex *re[CPROF_ARRAY_SIZE(shorten_patterns)];
};

static void shortener_init(struct shortener *s)
{
	struct cprof_error err = {0};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(shorten_patterns); i++)
		s->re[i] = cprof_regex_compile(shorten_patterns[i], &err); /* constant patterns */
}

static void shortener_release(struct shortener *s)
{
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(shorten_patterns); i++)
		cprof_regex_free(s->re[i]);
}

static void shorten(const struct shortener *s, const char *name, struct strbuf *out)
{
	struct strbuf f = STRBUF_INIT;
	long ov[6];
	strbuf_addstr(&f, name);
	if (s->re[0] && cprof_regex_find(s->re[0], f.buf, f.len, ov, 1)) {
		struct strbuf t = STRBUF_INIT;
		strbuf_add(&t, f.buf, (size_t)ov[0]);
		strbuf_addstr(&t, f.buf + ov[1]);
		strbuf_release(&f);
		f = t;
	}
	if (s->re[1] && cprof_regex_find(s->re[1], f.buf, f.len, ov, 3)) {
		struct strbuf t = STRBUF_INIT;
		for (int g = 1; g <= 2; g++)
			if (ov[2 * g] >= 0)
				strbuf_add(&t, f.buf + ov[2 * g], (size_t)(ov[2 * g + 1] - ov[2 * g]));
		strbuf_release(&f);
		f = t;
	}
	for (size_t i = 2; i < CPROF_ARRAY_SIZE(shorten_patterns); i++) {
		if (s->re[i] && cprof_regex_find(s->re[i], f.buf, f.len, ov, 2)) {
			if (ov[2] >= 0)
				strbuf_add(out, f.buf + ov[2], (size_t)(ov[3] - ov[2]));
			strbuf_release(&f);
			return;
		}
	}
	strbuf_add(out, f.buf, f.len);
	strbuf_release(&f);
}

void dot_shorten_function_name(const char *name, struct strbuf *out)
{
	struct shortener s;
	shortener_init(&s);
	shorten(&s, name, out);
	shortener_release(&s);
}

/* multilinePrintableName with a ready shortener. */
static void multiline_name(const struct shortener *s, const struct cprof_node_info *i,
			   struct strbuf *out)
{
	struct strbuf name = STRBUF_INIT, tmp = STRBUF_INIT;
	shorten(s, i->name, &tmp);
	dot_escape(tmp.buf, &name);
	replace_all(&name, "::", "\\n");
	replace_all(&name, "[...]", "[\xe2\x80\xa6]"); /* keep Go's type-parameter ellipsis */
	replace_all(&name, ".", "\\n");

	/* NameComponents of the modified copy, joined by \n, plus a final \n */
	if (i->address)
		strbuf_addf(out, "%016llx\\n", (unsigned long long)i->address);
	if (name.len) {
		strbuf_add(out, name.buf, name.len);
		strbuf_addstr(out, "\\n");
	}
	strbuf_reset(&tmp);
	if (i->file[0])
		cprof_path_base(i->file, &tmp);
	if (i->lineno) {
		strbuf_addf(out, "%s:%lld\\n", tmp.buf, (long long)i->lineno);
	} else if (i->file[0]) {
		strbuf_addf(out, "%s\\n", tmp.buf);
	} else if (name.len) {
		/* the name says it all */
	} else if (i->objfile[0]) {
		strbuf_addch(out, '[');
		cprof_path_base(i->objfile, out);
		strbuf_addstr(out, "]\\n");
	} else {
		strbuf_addstr(out, "<unknown>\\n");
	}
	strbuf_release(&name);
	strbuf_release(&tmp);
}

void dot_multiline_name(const struct cprof_node_info *i, struct strbuf *out)
{
	struct shortener s;
	shortener_init(&s);
	multiline_name(&s, i, out);
	shortener_release(&s);
}

/* ---- colours ------------------------------------------------------------------------- */

/* Go's uint8(f) on amd64 for f in [0, 256) or NaN (which converts to 0). */
static unsigned go_u8(double f)
{
	if (!(f >= 0 && f < 256))
		return 0;
	return (unsigned)f;
}

void dot_color(double score, bool background, char out[8])
{
	const double shift = 0.7;
	double saturation = background ? 0.1 : 1.0;
	double value = background ? 0.93 : 0.7;

	/* math.Max(-1, math.Min(1, score)), NaN propagating as in Go */
	if (!isnan(score))
		score = score > 1.0 ? 1.0 : score < -1.0 ? -1.0 : score;
	if (fabs(score) < 0.2)
		saturation *= fabs(score) / 0.2;
	if (score > 0.0)
		score = pow(score, 1.0 - shift);
	if (score < 0.0)
		score = -pow(-score, 1.0 - shift);

	double r, g, b;
	if (score < 0.0) {
		g = value;
		r = value * (1 + saturation * score);
	} else {
		r = value;
		g = value * (1 - saturation * score);
	}
	b = value * (1 - saturation);
	snprintf(out, 8, "#%02x%02x%02x", (unsigned char)go_u8(r * 255.0), (unsigned char)go_u8(g * 255.0),
		 (unsigned char)go_u8(b * 255.0));
}

/* ---- composing ------------------------------------------------------------------------- */

struct composer {
	struct dot_graph *d;
	const struct dot_config *c;
	struct shortener sh;
	struct strbuf sb, val; /* scratch */
};

static void fmt_value(struct composer *k, int64_t v, struct strbuf *out)
{
	k->c->format_value(v, out, k->c->format_ctx);
}

/* strings.TrimSpace(measurement.Percentage(v, total)) */
static void add_pct(struct strbuf *out, int64_t v, int64_t total)
{
	struct strbuf p = STRBUF_INIT;
	cprof_percentage(v, total, &p);
	const char *s = p.buf;
	while (*s == ' ')
		s++;
	strbuf_addstr(out, s);
	strbuf_release(&p);
}

static void printable(const struct cprof_node *n, struct strbuf *out)
{
	if (n->printable)
		strbuf_addstr(out, n->printable);
	else
		cprof_node_info_printable(&n->info, out);
}

static void add_legend(struct composer *k)
{
	const struct dot_config *c = k->c;
	if (!c->nlabels)
		return;
	struct dot_graph *d = k->d;
	/*
	 * The first line names the legend node. Names are kept as Graphviz's
	 * parser would store them from pprof's quoted text (\" read as "), so
	 * the SVG's <title> matches; the writer quotes them back.
	 */
	strbuf_reset(&k->sb);
	dot_escape(c->labels[0], &k->sb);
	strbuf_reset(&k->val);
	for (const char *p = k->sb.buf; *p; p++) {
		if (p[0] == '\\' && p[1] == '"')
			p++;
		strbuf_addch(&k->val, *p);
	}
	d->legend = agsubg(d->g, (char *)"cluster_L", 1);
	Agnode_t *n = new_node(d, d->legend, k->val.buf);
	set_attr(d, n, A_SHAPE, "box");
	set_attr(d, n, A_FONTSIZE, "16");
	strbuf_reset(&k->sb);
	for (size_t i = 0; i < c->nlabels; i++) {
		if (i)
			strbuf_addstr(&k->sb, "\\l");
		dot_escape(c->labels[i], &k->sb);
	}
	strbuf_addstr(&k->sb, "\\l");
	set_attr(d, n, A_LABEL, k->sb.buf);
	if (c->legend_url && c->legend_url[0]) {
		set_attr(d, n, A_URL, c->legend_url);
		set_attr(d, n, A_TARGET, "_blank");
	}
	if (c->title && c->title[0])
		set_attr(d, n, A_TOOLTIP, c->title);
	add_stmt(d, S_LEGEND, n);
}

static Agnode_t *add_node(struct composer *k, const struct cprof_node *node, int id,
			  const struct dot_node_attrs *at, double max_flat)
{
	struct dot_graph *d = k->d;
	const struct dot_config *c = k->c;
	int64_t flat = cprof_node_flat(node), cum = cprof_node_cum(node);
	struct strbuf *label = &k->sb, *v = &k->val;
	strbuf_reset(label);
	if (at && at->formatter)
		at->formatter(&node->info, label);
	else
		multiline_name(&k->sh, &node->info, label);

	struct strbuf flat_s = STRBUF_INIT, cum_s = STRBUF_INIT;
	fmt_value(k, flat, &flat_s);
	if (flat != 0) {
		strbuf_addf(label, "%s (", flat_s.buf);
		add_pct(label, flat, c->total);
		strbuf_addch(label, ')');
	} else {
		strbuf_addch(label, '0');
	}
	if (cum != flat) {
		strbuf_addstr(label, flat != 0 ? "\\n" : " ");
		fmt_value(k, cum, &cum_s);
		strbuf_addf(label, "of %s (", cum_s.buf);
		add_pct(label, cum, c->total);
		strbuf_addch(label, ')');
	} else {
		strbuf_add(&cum_s, flat_s.buf, flat_s.len);
	}

	/* font size 8..24, growing with the square root of the flat share */
	int font = 8;
	double af = (double)cprof_abs64(flat);
	if (max_flat != 0 && flat != 0 && af <= max_flat)
		font += (int)ceil(16.0 * sqrt(af / max_flat));

	char name[32];
	snprintf(name, sizeof(name), "N%d", id);
	Agnode_t *n = new_node(d, d->g, name);
	set_attr(d, n, A_LABEL, label->buf);
	strbuf_reset(v);
	strbuf_addf(v, "node%d", id);
	set_attr(d, n, A_ID, v->buf);
	strbuf_reset(v);
	strbuf_addf(v, "%d", font);
	set_attr(d, n, A_FONTSIZE, v->buf);
	set_attr(d, n, A_SHAPE, at && at->shape && at->shape[0] ? at->shape : "box");
	strbuf_reset(v);
	strbuf_reset(label);
	printable(node, label);
	dot_escape(label->buf, v);
	strbuf_addf(v, " (%s)", cum_s.buf);
	set_attr(d, n, A_TOOLTIP, v->buf);
	char color[8];
	double score = (double)cum / (double)cprof_abs64(c->total);
	dot_color(score, false, color);
	set_attr(d, n, A_COLOR, color);
	dot_color(score, true, color);
	set_attr(d, n, A_FILLCOLOR, color);
	if (at) {
		if (at->bold)
			set_attr(d, n, A_STYLE, "bold,filled");
		if (at->peripheries) {
			strbuf_reset(v);
			strbuf_addf(v, "%d", at->peripheries);
			set_attr(d, n, A_PERIPHERIES, v->buf);
		}
		if (at->url && at->url[0]) {
			set_attr(d, n, A_URL, at->url);
			set_attr(d, n, A_TARGET, "_blank");
		}
	}
	add_stmt(d, S_NODE, n);
	strbuf_release(&flat_s);
	strbuf_release(&cum_s);
	return n;
}

/* One nodelet box and the edge to it from src; returns the box. */
static Agnode_t *add_nodelet(struct composer *k, Agnode_t *src, const char *name, const char *label,
			int64_t w, bool dotted)
{
	struct dot_graph *d = k->d;
	struct strbuf weight = STRBUF_INIT, v = STRBUF_INIT;
	fmt_value(k, w, &weight);
	Agnode_t *n = new_node(d, d->g, name);
	set_attr(d, n, A_LABEL, label);
	set_attr(d, n, A_ID, name);
	set_attr(d, n, A_FONTSIZE, "8");
	set_attr(d, n, A_SHAPE, "box3d");
	set_attr(d, n, A_TOOLTIP, weight.buf);
	add_stmt(d, S_NODELET, n);

	Agedge_t *e = agedge(d->g, src, n, NULL, 1);
	strbuf_addf(&v, " %s", weight.buf);
	set_attr(d, e, A_LABEL, v.buf);
	set_attr(d, e, A_WEIGHT, "100");
	set_attr(d, e, A_TOOLTIP, weight.buf);
	set_attr(d, e, A_LABELTOOLTIP, weight.buf);
	if (dotted)
		set_attr(d, e, A_STYLE, "dotted");
	add_stmt(d, S_EDGE, e);
	strbuf_release(&weight);
	strbuf_release(&v);
	return n;
}

/* graph.SortTags order: |cum| (unless flat), |flat|, name. */
static bool tag_less(const struct cprof_tag *a, const struct cprof_tag *b, bool flat)
{
	if (!flat && a->cum != b->cum)
		return cprof_abs64(a->cum) > cprof_abs64(b->cum);
	if (a->flat != b->flat)
		return cprof_abs64(a->flat) > cprof_abs64(b->flat);
	return strcmp(a->name, b->name) < 0;
}

static int tag_cmp(const struct cprof_tag *a, const struct cprof_tag *b, bool flat)
{
	return tag_less(a, b, flat) ? -1 : tag_less(b, a, flat) ? 1 : 0;
}

static int tag_cmp_flat(const void *x, const void *y)
{
	return tag_cmp(*(struct cprof_tag *const *)x, *(struct cprof_tag *const *)y, true);
}

static int tag_cmp_cum(const void *x, const void *y)
{
	return tag_cmp(*(struct cprof_tag *const *)x, *(struct cprof_tag *const *)y, false);
}

static void sort_tags(struct cprof_tag **t, size_t n, bool flat)
{
	if (n > 1)
		qsort(t, n, sizeof(*t), flat ? tag_cmp_flat : tag_cmp_cum);
}

static double tag_distance(const struct cprof_tag *t, const struct cprof_tag *u)
{
	const char *unit;
	double v = cprof_unit_scale(u->value, u->unit, t->unit, &unit);
	return v < (double)t->value ? (double)t->value - v : v - (double)t->value;
}

/* tagGroupLabel: the group's range name and summed weights, into *out. */
static void group_tag(struct cprof_tag *const *g, size_t n, struct cprof_tag *out, struct strbuf *name)
{
	const char *unit;
	if (n == 1) {
		cprof_unit_label(g[0]->value, g[0]->unit, name);
		out->flat = cprof_tag_flat(g[0]);
		out->cum = cprof_tag_cum(g[0]);
		return;
	}
	const struct cprof_tag *min = g[0], *max = g[0];
	int64_t df = min->flat_div, f = min->flat, dc = min->cum_div, c = min->cum;
	for (size_t i = 1; i < n; i++) {
		const struct cprof_tag *t = g[i];
		if (cprof_f2i(cprof_unit_scale(t->value, t->unit, min->unit, &unit)) < min->value)
			min = t;
		if (cprof_f2i(cprof_unit_scale(t->value, t->unit, max->unit, &unit)) > max->value)
			max = t;
		f = cprof_add_wrap(f, t->flat);
		df = cprof_add_wrap(df, t->flat_div);
		c = cprof_add_wrap(c, t->cum);
		dc = cprof_add_wrap(dc, t->cum_div);
	}
	if (df != 0)
		f = cprof_div_wrap(f, df);
	if (dc != 0)
		c = cprof_div_wrap(c, dc);
	cprof_unit_label(min->value, min->unit, name);
	strbuf_addstr(name, "..");
	cprof_unit_label(max->value, max->unit, name);
	out->flat = f;
	out->cum = c;
}

/* numericNodelets: the numeric tags ts (modified: sorted) hanging from `source`. */
static void numeric_nodelets(struct composer *k, Agnode_t *src, const char *source,
			     struct cprof_tag **ts, size_t n, bool flat_tags)
{
	const size_t count = MAX_NODELETS;
	sort_tags(ts, n, flat_tags);
	/* collapsedTags: more tags than boxes are grouped around the heaviest ones */
	struct cprof_tag groups[MAX_NODELETS];
	struct cprof_tag *gp[MAX_NODELETS];
	struct strbuf names[MAX_NODELETS];
	struct cprof_tag **shown = ts;
	size_t nshown = n;
	if (n > count) {
		size_t *assign = cprof_xcalloc(n, sizeof(*assign));
		struct cprof_tag **members = cprof_xcalloc(n, sizeof(*members));
		for (size_t i = count; i < n; i++) {
			size_t best = 0;
			double bd = tag_distance(ts[i], ts[0]);
			for (size_t j = 1; j < count; j++) {
				double nd = tag_distance(ts[i], ts[j]);
				if (nd < bd)
					best = j, bd = nd;
			}
			assign[i] = best;
		}
		for (size_t j = 0; j < count; j++) {
			size_t m = 0;
			members[m++] = ts[j];
			for (size_t i = count; i < n; i++)
				if (assign[i] == j)
					members[m++] = ts[i];
			memset(&groups[j], 0, sizeof(groups[j]));
			strbuf_init(&names[j], 0);
			group_tag(members, m, &groups[j], &names[j]);
			groups[j].name = names[j].buf;
			gp[j] = &groups[j];
		}
		free(assign);
		free(members);
		sort_tags(gp, count, flat_tags);
		shown = gp;
		nshown = count;
	}

	struct strbuf name = STRBUF_INIT;
	for (size_t j = 0; j < nshown; j++) {
		const struct cprof_tag *t = shown[j];
		int64_t w = cprof_tag_cum(t);
		bool dotted = true;
		if (flat_tags || cprof_tag_flat(t) == cprof_tag_cum(t)) {
			w = cprof_tag_flat(t);
			dotted = false;
		}
		if (w == 0)
			continue;
		strbuf_reset(&name);
		strbuf_addf(&name, "N%s_%zu", source, j);
		add_nodelet(k, src, name.buf, t->name, w, dotted);
	}
	strbuf_release(&name);
	if (n > count)
		for (size_t j = 0; j < count; j++)
			strbuf_release(&names[j]);
}

/* The tags of node's numeric group for label string `labels`, copied into *out. */
static size_t numeric_group(const struct cprof_node *node, const char *labels, struct cprof_tag ***out)
{
	for (size_t i = 0; i < node->nnumeric_tags; i++) {
		const struct cprof_tag_group *grp = &node->numeric_tags[i];
		if (grp->ntags && !strcmp(grp->labels, labels)) {
			*out = cprof_xcalloc(grp->ntags, sizeof(**out));
			memcpy(*out, grp->tags, grp->ntags * sizeof(**out));
			return grp->ntags;
		}
	}
	*out = NULL;
	return 0;
}

/* addNodelets: returns whether any nodelet was added. */
static bool add_nodelets(struct composer *k, const struct cprof_node *node, Agnode_t *n, int id)
{
	size_t before = k->d->nstmts;
	bool flat_tags = node->nout > 0; /* leaves show cum, which includes removed children */
	struct cprof_tag **ts = NULL, **nts;
	size_t nts_n;
	char source[48];

	if (node->nlabel_tags) {
		ts = cprof_xcalloc(node->nlabel_tags, sizeof(*ts));
		memcpy(ts, node->label_tags, node->nlabel_tags * sizeof(*ts));
		sort_tags(ts, node->nlabel_tags, flat_tags);
	}
	size_t nts_top = node->nlabel_tags < MAX_NODELETS ? node->nlabel_tags : MAX_NODELETS;
	for (size_t i = 0; i < nts_top; i++) {
		const struct cprof_tag *t = ts[i];
		int64_t w = flat_tags ? cprof_tag_flat(t) : cprof_tag_cum(t);
		if (w == 0)
			continue;
		snprintf(source, sizeof(source), "N%d_%zu", id, i);
		Agnode_t *lab = add_nodelet(k, n, source, t->name, w, false);
		if ((nts_n = numeric_group(node, t->name, &nts))) {
			numeric_nodelets(k, lab, source, nts, nts_n, flat_tags);
			free(nts);
		}
	}
	free(ts);
	if ((nts_n = numeric_group(node, "", &nts))) {
		snprintf(source, sizeof(source), "N%d", id);
		numeric_nodelets(k, n, source, nts, nts_n, flat_tags);
		free(nts);
	}
	return k->d->nstmts != before;
}

struct node_id {
	const struct cprof_node *n;
	int id;
};

static int by_ptr(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t)((const struct node_id *)x)->n;
	uintptr_t b = (uintptr_t)((const struct node_id *)y)->n;
	return a < b ? -1 : a > b;
}

static int node_id(const struct node_id *ids, size_t n, const struct cprof_node *node)
{
	struct node_id key = {node, 0};
	const struct node_id *f = bsearch(&key, ids, n, sizeof(*ids), by_ptr);
	return f ? f->id : 0;
}

static void add_edge(struct composer *k, const struct cprof_edge *e, Agnode_t *from, Agnode_t *to,
		     bool has_nodelets)
{
	struct dot_graph *d = k->d;
	const struct dot_config *c = k->c;
	int64_t wv = cprof_edge_weight(e);
	struct strbuf w = STRBUF_INIT, *v = &k->val;
	fmt_value(k, wv, &w);
	Agedge_t *ed = agedge(d->g, from, to, NULL, 1);

	strbuf_reset(v);
	strbuf_addf(v, " %s%s", w.buf, e->inline_ ? "\\n (inline)" : "");
	set_attr(d, ed, A_LABEL, v->buf);
	if (c->total != 0) {
		/* edge weights may exceed the total in diff profiles */
		int64_t weight = cprof_abs64(cprof_div_wrap(cprof_mul_wrap(wv, 100), c->total));
		weight = 1 + (weight < 100 ? weight : 100);
		if (weight > 1) {
			strbuf_reset(v);
			strbuf_addf(v, "%d", (int)weight);
			set_attr(d, ed, A_WEIGHT, v->buf);
		}
		int64_t width = cprof_abs64(cprof_div_wrap(cprof_mul_wrap(wv, 5), c->total));
		width = 1 + (width < 5 ? width : 5);
		if (width > 1) {
			strbuf_reset(v);
			strbuf_addf(v, "%d", (int)width);
			set_attr(d, ed, A_PENWIDTH, v->buf);
		}
		char color[8];
		dot_color((double)wv / (double)cprof_abs64(c->total), false, color);
		set_attr(d, ed, A_COLOR, color);
	}
	strbuf_reset(v);
	strbuf_reset(&k->sb);
	printable(e->src, &k->sb);
	dot_escape(k->sb.buf, v);
	strbuf_addstr(v, e->residual ? " ... " : " -> ");
	strbuf_reset(&k->sb);
	printable(e->dest, &k->sb);
	dot_escape(k->sb.buf, v);
	strbuf_addf(v, " (%s)", w.buf);
	set_attr(d, ed, A_TOOLTIP, v->buf);
	set_attr(d, ed, A_LABELTOOLTIP, v->buf);
	if (e->residual)
		set_attr(d, ed, A_STYLE, "dotted");
	if (has_nodelets)
		set_attr(d, ed, A_MINLEN, "2"); /* room for the source's tag boxes */
	add_stmt(d, S_EDGE, ed);
	strbuf_release(&w);
}

struct dot_graph *dot_compose(const struct cprof_graph *g, const struct dot_config *c)
{
	struct composer k = {.c = c, .sb = STRBUF_INIT, .val = STRBUF_INIT};
	k.d = dot_graph_new(c->title && c->title[0] ? c->title : "unnamed");
	shortener_init(&k.sh);
	add_legend(&k);

	size_t n = g->nnodes;
	if (n) {
		struct node_id *ids = cprof_xcalloc(n, sizeof(*ids));
		Agnode_t **an = cprof_xcalloc(n, sizeof(*an));
		bool *nodelets = cprof_xcalloc(n, sizeof(*nodelets));
		double max_flat = (double)cprof_abs64(cprof_node_flat(g->nodes[0]));
		for (size_t i = 0; i < n; i++) {
			ids[i].n = g->nodes[i];
			ids[i].id = (int)i + 1;
			double f = (double)cprof_abs64(cprof_node_flat(g->nodes[i]));
			if (f > max_flat)
				max_flat = f;
		}
		size_t nedges = 0;
		for (size_t i = 0; i < n; i++) {
			const struct dot_node_attrs *at = c->node_attrs ? c->node_attrs[i] : NULL;
			an[i] = add_node(&k, g->nodes[i], (int)i + 1, at, max_flat);
			nodelets[i] = add_nodelets(&k, g->nodes[i], an[i], (int)i + 1);
			nedges += g->nodes[i]->nout;
		}
		qsort(ids, n, sizeof(*ids), by_ptr);

		/* every edge once, heaviest first: a hint to the layout engine */
		struct cprof_edge **edges = cprof_xcalloc(nedges ? nedges : 1, sizeof(*edges));
		size_t ne = 0;
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < g->nodes[i]->nout; j++)
				edges[ne++] = g->nodes[i]->out[j];
		cprof_edges_sort(edges, ne);
		for (size_t i = 0; i < ne; i++) {
			int from = node_id(ids, n, edges[i]->src), to = node_id(ids, n, edges[i]->dest);
			if (!from)
				continue;
			/*
			 * An edge kept into a node left out of the graph (its flat
			 * and cum summed to 0, while the edge cutoff is 0): pprof
			 * draws it to node number 0, which it never declares.
			 */
			Agnode_t *dest = to ? an[to - 1] : new_node(k.d, k.d->g, "N0");
			add_edge(&k, edges[i], an[from - 1], dest, nodelets[from - 1]);
		}
		free(edges);
		free(ids);
		free(an);
		free(nodelets);
	}
	shortener_release(&k.sh);
	strbuf_release(&k.sb);
	strbuf_release(&k.val);
	return k.d;
}

/* ---- writing ------------------------------------------------------------------------------ */

static void write_fields(const struct dot_graph *d, void *obj, const struct field *f, bool nodelet,
			 struct strbuf *out)
{
	int e = agobjkind(obj) == AGEDGE;
	bool first = true;
	for (; f->a != A__COUNT; f++) {
		Agsym_t *sym = d->sym[e][f->a];
		if (!sym)
			continue;
		const char *v = agxget(obj, sym);
		if (!v || !strcmp(v, sym->defval))
			continue;
		if (!first)
			strbuf_addch(out, ' ');
		strbuf_addstr(out, attr_name(f->a));
		/* pprof spaces the label of tag boxes as `label = "..."` */
		strbuf_addstr(out, nodelet && f->a == A_LABEL ? " = " : "=");
		if (f->quoted)
			strbuf_addf(out, "\"%s\"", v);
		else
			strbuf_addstr(out, v);
		first = false;
	}
}

void dot_graph_write(const struct dot_graph *d, struct strbuf *out)
{
	strbuf_addf(out, "digraph \"%s\" {\n", agnameof(d->g));
	strbuf_addstr(out, "node [");
	bool first = true;
	for (const struct field *f = defaults_fields; f->a != A__COUNT; f++) {
		const char *v = d->sym[0][f->a]->defval;
		strbuf_addf(out, f->quoted ? "%s%s=\"%s\"" : "%s%s=%s", first ? "" : " ",
			    attr_name(f->a), v);
		first = false;
	}
	strbuf_addstr(out, "]\n");

	for (size_t i = 0; i < d->nstmts; i++) {
		const struct dot_stmt *s = &d->stmts[i];
		switch (s->kind) {
		case S_LEGEND:
			strbuf_addf(out, "subgraph %s { \"", agnameof(d->legend));
			for (const char *p = agnameof(s->obj); *p; p++) {
				if (*p == '"')
					strbuf_addch(out, '\\');
				strbuf_addch(out, *p);
			}
			strbuf_addstr(out, "\" [");
			write_fields(d, s->obj, legend_fields, false, out);
			strbuf_addstr(out, "] }\n");
			break;
		case S_NODE:
		case S_NODELET:
			strbuf_addf(out, "%s [", agnameof(s->obj));
			write_fields(d, s->obj, node_fields, s->kind == S_NODELET, out);
			strbuf_addstr(out, "]\n");
			break;
		case S_EDGE:
			strbuf_addf(out, "%s -> %s [", agnameof(agtail((Agedge_t *)s->obj)),
				    agnameof(aghead((Agedge_t *)s->obj)));
			write_fields(d, s->obj, edge_fields, false, out);
			strbuf_addstr(out, "]\n");
			break;
		}
	}
	strbuf_addstr(out, "}\n");
}

/* ---- the report ------------------------------------------------------------------------- */

static void report_format(int64_t v, struct strbuf *out, const void *ctx)
{
	cprof_report_format_value(ctx, v, out);
}

struct dot_graph *dot_report_graph(struct cprof_report *rpt)
{
	struct report_graph_mode mode = {.visual = true, .call_tree = true, .tags = true};
	struct trimmed_graph t;
	report_trimmed_graph(rpt, &mode, &t);
	report_select_output_unit(rpt, t.g, false);
	struct line_list labels = {0};
	report_labels(rpt, t.g, t.orig_count, t.dropped_nodes, t.dropped_edges, true, &labels);

	struct dot_config c = {
		.title = rpt->opt.title,
		.labels = labels.v,
		.nlabels = labels.n,
		.format_value = report_format,
		.format_ctx = rpt,
		.total = rpt->total,
	};
	struct dot_graph *d = dot_compose(t.g, &c);
	line_list_release(&labels);
	cprof_graph_free(t.g);
	return d;
}

int cprof_render_dot(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err)
{
	(void)err;
	struct dot_graph *d = dot_report_graph(rpt);
	dot_graph_write(d, out);
	dot_graph_free(d);
	return 0;
}
