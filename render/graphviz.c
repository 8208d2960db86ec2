/*
 * graphviz.c - -svg, -png, -gif, -pdf, -ps (and -web's SVG): the call
 * graph of render/dot.c laid out by Graphviz's dot engine and rendered
 * by its plugins, all in process (gvLayout, gvRenderData); no `dot`
 * program is run.
 *
 * SVG output is then reshaped for viewing in a browser, as pprof's
 * massageSVG does:
 *
 *   <svg width="260pt" height="424pt"                  <svg width="100%" height="100%"
 *    viewBox="0.00 0.00 260.00 424.00" xmlns=...>   =>  xmlns=...>
 *   <g id="graph0" class="graph" ...>                  <script type="text/ecmascript"><![CDATA[...]]></script>
 *   ...                                                <g id="viewport" transform="scale(0.5,0.5) translate(0,0)">
 *   </g>                                               <g id="graph0" class="graph" ...>
 *   </svg>                                             ...
 *                                                      </g>
 *                                                      </g>
 *                                                      </svg>
 *
 * so the drawing fills the window and the embedded script
 * (render/svgpan.c) can pan and zoom the viewport group. Graphviz's
 * unquoted "&;" is also repaired to "&amp;;" (an old dot bug pprof works
 * around too).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gvc.h>

#include "cprof/regex.h"
#include "render/dot.h"
#include "render/svgpan.h"

/* The Graphviz output format of each graph image format. */
static const struct {
	enum cprof_format f;
	const char *device;
} devices[] = {
	{CPROF_FMT_SVG, "svg"}, {CPROF_FMT_WEB, "svg"}, {CPROF_FMT_PNG, "png"},
	{CPROF_FMT_GIF, "gif"}, {CPROF_FMT_PDF, "pdf"}, {CPROF_FMT_PS, "ps"},
	{CPROF_FMT_EOG, "svg"}, {CPROF_FMT_EVINCE, "pdf"}, {CPROF_FMT_GV, "ps"},
};

/* Graphviz reports problems through a callback: keep the last one for our error. */
static char gv_last_error[256];

static int gv_error(char *msg)
{
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	if (n >= sizeof(gv_last_error))
		n = sizeof(gv_last_error) - 1;
	memcpy(gv_last_error, msg, n);
	gv_last_error[n] = '\0';
	return 0;
}

/* Copy svg[0..len) to out with every "&;" made "&amp;;". */
static void add_fixing_amp(struct strbuf *out, const char *svg, size_t len)
{
	const char *p = svg, *end = svg + len;
	while (p < end) {
		const char *q = memchr(p, '&', (size_t)(end - p));
		if (!q) {
			strbuf_add(out, p, (size_t)(end - p));
			break;
		}
		strbuf_add(out, p, (size_t)(q - p) + 1);
		if (q + 1 < end && q[1] == ';')
			strbuf_addstr(out, "amp;"); /* "&;" becomes "&amp;;" */
		p = q + 1;
	}
}

/* Replace the first match of re in sb by the match's prefix/suffix around `insert`. */
static void edit_first(struct strbuf *sb, const struct cprof_regex *re, const char *before,
		       bool keep_match)
{
	long ov[2];
	if (!re || !cprof_regex_find(re, sb->buf, sb->len, ov, 1))
		return;
	struct strbuf r = STRBUF_INIT;
	strbuf_add(&r, sb->buf, (size_t)ov[0]);
	strbuf_addstr(&r, before);
	size_t from = keep_match ? (size_t)ov[0] : (size_t)ov[1];
	strbuf_add(&r, sb->buf + from, sb->len - from);
	strbuf_release(sb);
	*sb = r;
}

void graphviz_massage_svg(const char *svg, size_t len, struct strbuf *out)
{
	struct cprof_error err = {0};
	struct cprof_regex *view_box = cprof_regex_compile(
		"<svg\\s*width=\"[^\"]+\"\\s*height=\"[^\"]+\"\\s*viewBox=\"[^\"]+\"", &err);
	struct cprof_regex *graph_id = cprof_regex_compile("<g id=\"graph\\d\"", &err);
	struct cprof_regex *svg_close = cprof_regex_compile("</svg>", &err);
	struct strbuf sb = STRBUF_INIT, head = STRBUF_INIT;

	add_fixing_amp(&sb, svg, len);
	edit_first(&sb, view_box, "<svg width=\"100%\" height=\"100%\"", false);
	strbuf_addstr(&head, "<script type=\"text/ecmascript\"><![CDATA[");
	strbuf_addstr(&head, cprof_svgpan_js);
	strbuf_addstr(&head, "]]></script><g id=\"viewport\" transform=\"scale(0.5,0.5) translate(0,0)\">");
	edit_first(&sb, graph_id, head.buf, true);
	edit_first(&sb, svg_close, "</g>", true);
	strbuf_add(out, sb.buf, sb.len);

	strbuf_release(&sb);
	strbuf_release(&head);
	cprof_regex_free(view_box);
	cprof_regex_free(graph_id);
	cprof_regex_free(svg_close);
}

/*
 * One Graphviz context for the whole process, released at exit. Graphviz
 * 2.42's text layout plugin keeps a pointer into the context that loaded
 * it, so a second context after gvFreeContext() reads freed memory.
 */
static GVC_t *the_gvc;

static void free_gvc(void)
{
	gvFreeContext(the_gvc);
	the_gvc = NULL;
}

static GVC_t *gvc_get(void)
{
	if (!the_gvc) {
		the_gvc = gvContext();
		atexit(free_gvc);
	}
	return the_gvc;
}

/*
 * Pango (1.50), which Graphviz's text layout plugin uses to measure
 * labels, asks fontconfig for each font in threads of its own and does
 * not wait for all of them ("[pango] FcFontSetSort"), so one may still
 * run when cprof exits. That is harmless in itself, but a sanitizer's
 * leak check at exit then races with it (a thread that is not stopped
 * in time, its memory reachable from nowhere yet) and now and then adds
 * a report or a warning to stderr. So after each layout, wait (at most
 * two seconds) until the process is down to the threads it had before,
 * counted in /proc/self/task; nothing is done where that is absent.
 */
static size_t thread_count(void)
{
	DIR *dir = opendir("/proc/self/task");
	if (!dir)
		return 0;
	size_t n = 0;
	for (struct dirent *e; (e = readdir(dir));)
		if (e->d_name[0] != '.')
			n++;
	closedir(dir);
	return n;
}

static void wait_text_layout_threads(size_t before)
{
	struct timespec ms = {0, 1000000};
	for (int i = 0; i < 2000 && thread_count() > before; i++)
		nanosleep(&ms, NULL);
}

int graphviz_render(struct dot_graph *d, const char *device, struct strbuf *out,
		    struct cprof_error *err)
{
	return graphviz_render_graph(dot_graph_cgraph(d), device, out, err);
}

int graphviz_render_graph(Agraph_t *g, const char *device, struct strbuf *out, struct cprof_error *err)
{
	agusererrf old = agseterrf(gv_error);
	gv_last_error[0] = '\0';
	GVC_t *gvc = gvc_get();
	size_t threads = thread_count();
	int rc = 0;
	char *data = NULL;
	unsigned int len = 0;

	if (gvLayout(gvc, g, "dot")) {
		rc = cprof_error_set(err, CPROF_E_UNSUPPORTED, "graphviz cannot lay out the graph%s%s",
				     gv_last_error[0] ? ": " : "", gv_last_error);
	} else {
		if (gvRenderData(gvc, g, device, &data, &len) || !data) {
			rc = cprof_error_set(err, CPROF_E_UNSUPPORTED,
					     "graphviz cannot render %s (is its plugin installed?)%s%s",
					     device, gv_last_error[0] ? ": " : "", gv_last_error);
		} else if (!strcmp(device, "svg")) {
			graphviz_massage_svg(data, len, out);
		} else {
			strbuf_add(out, data, len);
		}
		if (data)
			gvFreeRenderData(data);
		gvFreeLayout(gvc, g);
	}
	wait_text_layout_threads(threads);
	agseterrf(old);
	return rc;
}

int cprof_render_graphviz(struct cprof_report *rpt, enum cprof_format f, struct strbuf *out,
			  struct cprof_error *err)
{
	const char *device = NULL;
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(devices); i++)
		if (devices[i].f == f)
			device = devices[i].device;
	if (!device)
		return cprof_error_set(err, CPROF_E_UNSUPPORTED, "not a graph image format");
	struct dot_graph *d = dot_report_graph(rpt);
	int rc = graphviz_render(d, device, out, err);
	dot_graph_free(d);
	return rc;
}
