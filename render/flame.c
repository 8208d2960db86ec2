/*
 * flame.c - the -flame output: an interactive flame graph as one
 * self-contained SVG file (no external reference: the style sheet and the
 * script are inline, the search box is an XHTML <input> in a
 * <foreignObject>).
 *
 *   <svg ... width="1200" height="H" data-unit="nanoseconds" data-total="3600000000">
 *     <style>...</style> <script>...</script>
 *     <text id="title">Flame Graph</text> <text id="subtitle">Type: cpu  ...</text>
 *     ... search box, "Reset Zoom", then below the frames the hover panel
 *     (left) and the search summary (right) ...
 *     <g id="frames">
 *       <g class="f" data-o="0" data-v="3600000000" data-d="0"><title>all (3.60s, 100.00%)</title>
 *         <rect x="10.00" y="..." width="1180.00" height="15" fill="rgb(...)"/><text ...>all</text></g>
 *       ...
 *
 * The stacks are those of -folded (render/stacks.c: same frames, same
 * granularity, filters applied), root at the bottom, children left to
 * right by name, each frame as wide as its value (the stacks' values,
 * summed; stacks of value <= 0 are not drawn). data-o/data-v are the
 * frame's offset and width in sample units, data-d its depth; the script
 * zooms and searches on them. Frames narrower than 0.1 pixel at full
 * width are left out, with all above them. Colours: a warm palette
 * indexed by a hash (FNV-1a) of the frame's package (Go "path/pkg" of
 * "path/pkg.Func", the first "ns" of "ns::f", else the function), so a
 * package keeps its colour across graphs. Everything is derived from the
 * profile alone: the same input gives the same bytes.
 *
 * Interaction (the script below): click a frame to zoom into it (its
 * callers stay as full-width bars), "Reset Zoom" or Escape to go back;
 * type a regular expression (or plain text, when it is not one) in the
 * search box (Ctrl-F or '/' focus it) to paint matching frames and get
 * their share of the total, counting nested matches once; hovering shows
 * a frame's name, value and share in the panel at the bottom, and every
 * frame also has an SVG <title> tooltip.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/units.h"
#include "render/report_graph.h"
#include "render/stacks.h"

enum {
	IMAGE_WIDTH = 1200,
	X_PAD = 10,
	FRAME_HEIGHT = 16,
	TOP = 62,    /* title, subtitle and search box above the frames */
	BOTTOM = 34, /* hover panel below */
};
#define CHAR_WIDTH 7.3 /* of the 12px monospace font, a little generous */
#define MIN_WIDTH 0.1  /* pixels: narrower frames are not drawn */

static const char style_sheet[] =
	"text { font-family: monospace; font-size: 12px; fill: #000; }\n"
	"#title { font-size: 17px; text-anchor: middle; }\n"
	"#subtitle { fill: #555; text-anchor: middle; }\n"
	"#matched { text-anchor: end; }\n"
	"#unzoom { cursor: pointer; fill: #1a4fc4; }\n"
	"#unzoom.hide, g.f.hide { display: none; }\n"
	"g.f { cursor: pointer; }\n"
	"g.f text { pointer-events: none; }\n"
	"g.f:hover rect { stroke: #000; stroke-width: 0.6; }\n"
	"g.f.parent { opacity: 0.55; }\n"
	"input { font: 12px monospace; width: 100%; box-sizing: border-box; padding: 2px 4px; }\n";

/*
 * The behaviour, written for this file: no library. Frames are read once
 * from the DOM at load; zoom and search only change attributes.
 */
static const char script[] =
	"\"use strict\";\n"
	"(function () {\n"
	"var svg, frames = [], byG = new Map(), total = 1, unit = \"\", zoomed = null;\n"
	"var W = 0, PAD = 0, CW = 0, details, matched, unzoom, search;\n"
	"function attr(e, n) { return e.getAttribute(n); }\n"
	"function shortName(name) {\n"
	"  var end = name.search(/[\\[( ]/), head = end < 0 ? name : name.slice(0, end);\n"
	"  return name.slice(head.lastIndexOf(\"/\") + 1);\n"
	"}\n"
	"function fit(name, width) {\n"
	"  var n = Math.floor((width - 6) / CW);\n"
	"  if (n < 3) return \"\";\n"
	"  if (Array.from(name).length <= n) return name;\n"
	"  var cs = Array.from(shortName(name));\n"
	"  if (cs.length <= n) return cs.join(\"\");\n"
	"  return cs.slice(0, n - 2).join(\"\") + \"..\";\n"
	"}\n"
	"var units = {\n"
	"  nanoseconds: [1, [[3600e9, \"hrs\"], [60e9, \"mins\"], [1e9, \"s\"], [1e6, \"ms\"], [1e3, \"us\"], [1, \"ns\"]]],\n"
	"  microseconds: [1e3, null], milliseconds: [1e6, null], seconds: [1e9, null],\n"
	"  bytes: [1, [[1125899906842624, \"PB\"], [1099511627776, \"TB\"], [1073741824, \"GB\"],\n"
	"    [1048576, \"MB\"], [1024, \"kB\"], [1, \"B\"]]]\n"
	"};\n"
	"function label(v) {\n"
	"  var u = units[unit], scale = 1, steps;\n"
	"  if (u) { scale = u[0]; steps = u[1] || units.nanoseconds[1]; }\n"
	"  if (!steps) return String(v) + (unit && unit !== \"count\" ? \" \" + unit : \"\");\n"
	"  var b = v * scale, a = Math.abs(b);\n"
	"  for (var i = 0; i < steps.length; i++)\n"
	"    if (a >= steps[i][0] || i === steps.length - 1)\n"
	"      return (b / steps[i][0]).toFixed(2).replace(/\\.00$/, \"\") + steps[i][1];\n"
	"}\n"
	"function pct(v) { return (100 * v / total).toFixed(2) + \"%\"; }\n"
	"function place(f, x, w, cls) {\n"
	"  f.g.setAttribute(\"class\", cls);\n"
	"  f.rect.setAttribute(\"x\", x.toFixed(2));\n"
	"  f.rect.setAttribute(\"width\", w.toFixed(2));\n"
	"  f.text.setAttribute(\"x\", (x + 3).toFixed(2));\n"
	"  f.text.textContent = fit(f.name, w);\n"
	"}\n"
	"function zoom(z) {\n"
	"  zoomed = z && z.d > 0 ? z : null;\n"
	"  var o = zoomed ? z.o : 0, v = zoomed ? z.v : total, d = zoomed ? z.d : 0;\n"
	"  var scale = (W - 2 * PAD) / v;\n"
	"  frames.forEach(function (f) {\n"
	"    if (f.d >= d && f.o >= o && f.o + f.v <= o + v)\n"
	"      place(f, PAD + (f.o - o) * scale, f.v * scale, \"f\");\n"
	"    else if (f.d < d && f.o <= o && f.o + f.v >= o + v)\n"
	"      place(f, PAD, W - 2 * PAD, \"f parent\");\n"
	"    else\n"
	"      f.g.setAttribute(\"class\", \"f hide\");\n"
	"  });\n"
	"  unzoom.setAttribute(\"class\", zoomed ? \"\" : \"hide\");\n"
	"}\n"
	"function find(term) {\n"
	"  var re = null, hits = [];\n"
	"  if (term) { try { re = new RegExp(term); } catch (e) { re = null; } }\n"
	"  frames.forEach(function (f) {\n"
	"    var hit = term !== \"\" && f.d > 0 &&\n"
	"      (re ? re.test(f.name) : f.name.indexOf(term) >= 0);\n"
	"    f.rect.setAttribute(\"fill\", hit ? \"rgb(230,0,230)\" : f.fill);\n"
	"    if (hit) hits.push(f);\n"
	"  });\n"
	"  if (term === \"\") { matched.textContent = \"\"; return; }\n"
	"  hits.sort(function (a, b) { return a.o - b.o || b.v - a.v; });\n"
	"  var sum = 0, end = -1;\n"
	"  hits.forEach(function (f) {\n"
	"    var s = Math.max(f.o, end), e = f.o + f.v;\n"
	"    if (e > s) { sum += e - s; end = e; }\n"
	"  });\n"
	"  matched.textContent = \"Matched: \" + pct(sum) + \" (\" + label(sum) + \", \" +\n"
	"    hits.length + (hits.length === 1 ? \" frame)\" : \" frames)\");\n"
	"}\n"
	"function frameOf(e) {\n"
	"  var g = e.target.closest ? e.target.closest(\"g.f\") : null;\n"
	"  return g ? byG.get(g) : null;\n"
	"}\n"
	"function init() {\n"
	"  svg = document.documentElement;\n"
	"  W = +attr(svg, \"width\"); PAD = +attr(svg, \"data-pad\"); CW = +attr(svg, \"data-cw\");\n"
	"  total = +attr(svg, \"data-total\") || 1; unit = attr(svg, \"data-unit\") || \"\";\n"
	"  details = document.getElementById(\"details\");\n"
	"  matched = document.getElementById(\"matched\");\n"
	"  unzoom = document.getElementById(\"unzoom\");\n"
	"  search = document.getElementById(\"search\");\n"
	"  document.querySelectorAll(\"g.f\").forEach(function (g) {\n"
	"    var t = g.querySelector(\"title\").textContent, r = g.querySelector(\"rect\");\n"
	"    var f = { g: g, rect: r, text: g.querySelector(\"text\"), fill: attr(r, \"fill\"),\n"
	"      name: t.slice(0, t.lastIndexOf(\" (\")), title: t,\n"
	"      o: +attr(g, \"data-o\"), v: +attr(g, \"data-v\"), d: +attr(g, \"data-d\") };\n"
	"    frames.push(f); byG.set(g, f);\n"
	"  });\n"
	"  var area = document.getElementById(\"frames\");\n"
	"  area.addEventListener(\"click\", function (e) { var f = frameOf(e); if (f) zoom(f); });\n"
	"  area.addEventListener(\"mouseover\", function (e) {\n"
	"    var f = frameOf(e); if (f) details.textContent = fit(f.title, 0.62 * (W - 2 * PAD));\n"
	"  });\n"
	"  area.addEventListener(\"mouseout\", function () { details.textContent = \" \"; });\n"
	"  unzoom.addEventListener(\"click\", function () { zoom(null); });\n"
	"  if (search) search.addEventListener(\"input\", function () { find(search.value); });\n"
	"  document.addEventListener(\"keydown\", function (e) {\n"
	"    var typing = e.target === search;\n"
	"    if ((e.ctrlKey && e.key === \"f\") || (e.key === \"/\" && !typing)) {\n"
	"      if (search) { e.preventDefault(); search.focus(); }\n"
	"    } else if (e.key === \"Escape\") {\n"
	"      if (search) { search.value = \"\"; search.blur(); }\n"
	"      find(\"\"); zoom(null);\n"
	"    }\n"
	"  });\n"
	"}\n"
	"window.addEventListener(\"load\", init);\n"
	"})();\n";

/* ---- text ------------------------------------------------------------------------ */

/*
 * s as valid XML character data: invalid UTF-8 and characters XML 1.0
 * forbids become U+FFFD, other control characters '?'. Appended to out.
 */
static void add_clean_utf8(struct strbuf *out, const char *s)
{
	static const char replacement[] = "\xef\xbf\xbd";
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p;
		if (c < 0x80) {
			strbuf_addch(out, c < 0x20 || c == 0x7f ? '?' : (int)c);
			p++;
			continue;
		}
		size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
		if (c > 0xF4)
			n = 0;
		uint32_t cp = n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
		size_t k = 1;
		for (; n && k < n; k++) {
			if ((p[k] & 0xC0) != 0x80)
				break;
			cp = cp << 6 | (p[k] & 0x3F);
		}
		bool ok = n && k == n && !(n == 3 && cp < 0x800) && !(n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) &&
			  !(cp >= 0xD800 && cp <= 0xDFFF) && cp != 0xFFFE && cp != 0xFFFF;
		if (ok) {
			strbuf_add(out, p, n);
			p += n;
		} else {
			strbuf_addstr(out, replacement);
			p += k ? k : 1;
		}
	}
}

static void add_escaped(struct strbuf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		switch (s[i]) {
		case '&':
			strbuf_addstr(out, "&amp;");
			break;
		case '<':
			strbuf_addstr(out, "&lt;");
			break;
		case '>':
			strbuf_addstr(out, "&gt;");
			break;
		case '"':
			strbuf_addstr(out, "&quot;");
			break;
		case '\'':
			strbuf_addstr(out, "&#39;");
			break;
		default:
			strbuf_addch(out, s[i]);
		}
	}
}

static size_t rune_count(const char *s, size_t len)
{
	size_t runes = 0;
	for (size_t i = 0; i < len; i++)
		runes += ((unsigned char)s[i] & 0xC0) != 0x80;
	return runes;
}

/*
 * Escaped s (already clean UTF-8) as the script's fit() shows it in width
 * pixels: whole if it fits, else without its package path ("a/b/pkg.F" is
 * "pkg.F"), cut with ".." if that is still too long, nothing under 3
 * characters.
 */
static void add_fitted(struct strbuf *out, const char *s, double width)
{
	double room = (width - 6) / CHAR_WIDTH;
	size_t n = room > 0 ? (size_t)room : 0, len = strlen(s);
	if (n < 3)
		return;
	if (rune_count(s, len) <= n) {
		add_escaped(out, s, len);
		return;
	}
	size_t head = strcspn(s, "[( ");
	for (size_t i = head; i-- > 0;) {
		if (s[i] == '/') {
			s += i + 1;
			len -= i + 1;
			break;
		}
	}
	if (rune_count(s, len) <= n) {
		add_escaped(out, s, len);
		return;
	}
	size_t runes = 0, cut = 0;
	for (size_t i = 0; i < len && runes <= n - 2; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue;
		if (runes == n - 2)
			cut = i;
		runes++;
	}
	add_escaped(out, s, cut);
	strbuf_addstr(out, "..");
}

/* ---- colours --------------------------------------------------------------------- */

/* The package a function name belongs to (a prefix of it), for colouring. */
static size_t package_len(const char *f)
{
	size_t end = strcspn(f, "[( ");
	size_t slash = 0;
	for (size_t i = 0; i < end; i++)
		if (f[i] == '/')
			slash = i + 1;
	const char *colons = strstr(f, "::");
	const char *dot = memchr(f + slash, '.', end - slash);
	if (dot)
		return (size_t)(dot - f);
	if (colons && (size_t)(colons - f) < end)
		return (size_t)(colons - f);
	return end;
}

static void add_colour(struct strbuf *out, const char *func, bool root)
{
	if (root) {
		strbuf_addstr(out, "rgb(216,216,206)");
		return;
	}
	uint32_t h = 2166136261u;
	size_t n = package_len(func);
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)func[i];
		h *= 16777619u;
	}
	h ^= h >> 15; /* FNV's low bits mix poorly for short names */
	h *= 0x2c1b3c6du;
	h ^= h >> 12;
	/* the "hot" palette: red 205-255, green 0-230, blue 0-55 */
	unsigned r = 205 + (h & 0xFF) * 50 / 255;
	unsigned g = ((h >> 8) & 0xFF) * 230 / 255;
	unsigned b = ((h >> 16) & 0xFF) * 55 / 255;
	strbuf_addf(out, "rgb(%u,%u,%u)", r, g, b);
}

/* ---- the graph ------------------------------------------------------------------- */

struct flame {
	struct cprof_report *rpt;
	struct stack_tree t;
	int64_t *total; /* per node: positive stack values of its subtree */
	double scale;   /* pixels per unit */
	int height;
	struct strbuf *out;
	struct strbuf name, tmp;
};

static void add_value_label(struct flame *f, int64_t v, struct strbuf *out)
{
	cprof_scaled_label(v, f->rpt->opt.sample_unit, f->rpt->opt.output_unit, out);
}

static void emit_frame(struct flame *f, uint32_t i, int64_t offset, uint32_t depth)
{
	const struct stack_node *n = &f->t.node[i];
	int64_t v = f->total[i];
	double x = X_PAD + (double)offset * f->scale, w = (double)v * f->scale;
	int y = f->height - BOTTOM - (int)(depth + 1) * FRAME_HEIGHT;
	struct strbuf *out = f->out;

	strbuf_reset(&f->name);
	add_clean_utf8(&f->name, i ? n->frame : "all");
	strbuf_addf(out, "<g class=\"f\" data-o=\"%lld\" data-v=\"%lld\" data-d=\"%u\"><title>",
		    (long long)offset, (long long)v, depth);
	add_escaped(out, f->name.buf, f->name.len);
	strbuf_addstr(out, " (");
	strbuf_reset(&f->tmp);
	add_value_label(f, v, &f->tmp);
	add_escaped(out, f->tmp.buf, f->tmp.len);
	strbuf_addf(out, ", %.2f%%)</title><rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" rx=\"2\" fill=\"",
		    100.0 * (double)v / (double)f->total[0], x, y, w, FRAME_HEIGHT - 1);
	add_colour(out, n->func, i == 0);
	strbuf_addf(out, "\"/><text x=\"%.2f\" y=\"%.1f\">", x + 3, y + 11.5);
	add_fitted(out, f->name.buf, w);
	strbuf_addstr(out, "</text></g>\n");
}

/* Depth-first, children by name left to right; frames under MIN_WIDTH are skipped with their subtrees. */
static void emit_frames(struct flame *f)
{
	struct item {
		uint32_t node, depth;
		int64_t offset;
	} *stack = NULL;
	size_t n = 0, alloc = 0;
	ALLOC_GROW(stack, 1, alloc);
	stack[n++] = (struct item){0, 0, 0};
	while (n) {
		struct item it = stack[--n];
		emit_frame(f, it.node, it.offset, it.depth);
		size_t nc;
		uint32_t *c = stack_children_sorted(&f->t, it.node, &nc);
		/* push right to left so the leftmost child comes out first */
		int64_t off = it.offset;
		for (size_t k = 0; k < nc; k++)
			off += f->total[c[k]];
		for (size_t k = nc; k-- > 0;) {
			off -= f->total[c[k]];
			if (f->total[c[k]] <= 0 || (double)f->total[c[k]] * f->scale < MIN_WIDTH)
				continue;
			ALLOC_GROW(stack, n + 1, alloc);
			stack[n++] = (struct item){c[k], it.depth + 1, off};
		}
		free(c);
	}
	free(stack);
}

/* Deepest frame that will be drawn, for the image height. */
static uint32_t drawn_depth(const struct flame *f)
{
	uint32_t *depth = cprof_xcalloc(f->t.n, sizeof(*depth));
	uint32_t max = 0;
	for (size_t i = 1; i < f->t.n; i++) {
		const struct stack_node *n = &f->t.node[i];
		/* parents come before children, so the parent's depth is known */
		bool drawn = f->total[i] > 0 && (double)f->total[i] * f->scale >= MIN_WIDTH &&
			     (n->parent == 0 || depth[n->parent] > 0);
		depth[i] = drawn ? depth[n->parent] + 1 : 0;
		if (depth[i] > max)
			max = depth[i];
	}
	free(depth);
	return max;
}

int cprof_render_flame(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err)
{
	(void)err;
	struct flame f = {.rpt = rpt, .out = out, .name = STRBUF_INIT, .tmp = STRBUF_INIT};
	stack_tree_build(rpt, &f.t);

	/* subtree totals of the positive stack values; children have larger indices */
	f.total = cprof_xcalloc(f.t.n, sizeof(*f.total));
	for (size_t i = f.t.n; i-- > 1;) {
		int64_t v = stack_node_value(rpt, &f.t.node[i]);
		if (v > 0)
			f.total[i] = cprof_add_wrap(f.total[i], v);
		f.total[f.t.node[i].parent] = cprof_add_wrap(f.total[f.t.node[i].parent], f.total[i]);
	}
	int64_t total = f.total[0];
	f.scale = total > 0 ? (double)(IMAGE_WIDTH - 2 * X_PAD) / (double)total : 0;
	uint32_t depth = total > 0 ? drawn_depth(&f) : 0;
	f.height = TOP + (int)(depth + 1) * FRAME_HEIGHT + BOTTOM;

	strbuf_addstr(out, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
	strbuf_addf(out,
		    "<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		    "viewBox=\"0 0 %d %d\" data-pad=\"%d\" data-cw=\"%.1f\" data-total=\"%lld\" data-unit=\"",
		    IMAGE_WIDTH, f.height, IMAGE_WIDTH, f.height, X_PAD, CHAR_WIDTH, (long long)total);
	strbuf_reset(&f.tmp);
	add_clean_utf8(&f.tmp, rpt->opt.sample_unit);
	add_escaped(out, f.tmp.buf, f.tmp.len);
	strbuf_addstr(out, "\">\n<style>\n");
	strbuf_addstr(out, style_sheet);
	strbuf_addstr(out, "</style>\n<script><![CDATA[\n");
	strbuf_addstr(out, script);
	strbuf_addstr(out, "]]></script>\n");
	strbuf_addf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#f6f6f1\"/>\n", IMAGE_WIDTH,
		    f.height);
	strbuf_addf(out, "<text id=\"title\" x=\"%d\" y=\"24\">Flame Graph</text>\n", IMAGE_WIDTH / 2);

	/* the profile's own labels (File, Type, Time, Duration...) as a subtitle */
	struct line_list labels = {0};
	report_profile_labels(rpt, &labels);
	strbuf_reset(&f.tmp);
	for (size_t i = 0; i < labels.n; i++) {
		if (i)
			strbuf_addstr(&f.tmp, " \xc2\xb7 ");
		add_clean_utf8(&f.tmp, labels.v[i]);
	}
	line_list_release(&labels);
	strbuf_addf(out, "<text id=\"subtitle\" x=\"%d\" y=\"46\">", IMAGE_WIDTH / 2);
	add_fitted(out, f.tmp.buf, IMAGE_WIDTH - 2 * X_PAD);
	strbuf_addstr(out, "</text>\n");

	strbuf_addf(out, "<text id=\"unzoom\" class=\"hide\" x=\"%d\" y=\"24\">Reset Zoom</text>\n", X_PAD);
	strbuf_addf(out,
		    "<foreignObject x=\"%d\" y=\"6\" width=\"260\" height=\"26\">"
		    "<input xmlns=\"http://www.w3.org/1999/xhtml\" id=\"search\" type=\"search\" "
		    "placeholder=\"Search (regexp)  Ctrl-F\" autocomplete=\"off\"/></foreignObject>\n",
		    IMAGE_WIDTH - X_PAD - 260);
	strbuf_addf(out, "<text id=\"matched\" x=\"%d\" y=\"%d\"> </text>\n", IMAGE_WIDTH - X_PAD,
		    f.height - 12);
	strbuf_addf(out, "<text id=\"details\" x=\"%d\" y=\"%d\"> </text>\n", X_PAD, f.height - 12);

	strbuf_addstr(out, "<g id=\"frames\">\n");
	if (total > 0)
		emit_frames(&f);
	strbuf_addstr(out, "</g>\n</svg>\n");

	free(f.total);
	strbuf_release(&f.name);
	strbuf_release(&f.tmp);
	stack_tree_release(&f.t);
	return 0;
}
