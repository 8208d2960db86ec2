/*
 * tabwriter.h - Go's text/tabwriter (Go 1.19), for the outputs that Go
 * programs align with it: pprof's -tags (minwidth 0, tabwidth 0, padding
 * 1, ' ', AlignRight) and the runtime's debug=1 "#\t..." comment columns
 * written by -legacy (1, 8, 1, '\t', 0). Private to render/.
 */
#ifndef CPROF_RENDER_TABWRITER_H
#define CPROF_RENDER_TABWRITER_H

#include <stdbool.h>
#include <stddef.h>

#include "cprof/strbuf.h"

struct go_tabwriter {
	size_t minwidth, tabwidth, padding;
	char padchar;
	bool align_right;
};

/*
 * Write text[0..len) through a tabwriter with these settings and flush it,
 * appending to out: what Go prints for the same bytes written to a
 * tabwriter.Writer and then Flush().
 */
void go_tabwriter_write(const struct go_tabwriter *w, const char *text, size_t len, struct strbuf *out);

#endif
