/*
 * comments.c - the -comments report: every profile comment on its own
 * line, as recorded (pprof's printComments).
 */
#include "cprof/report.h"

int cprof_render_comments(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err)
{
	(void)err;
	for (size_t i = 0; i < rpt->prof->ncomment; i++) {
		strbuf_addstr(out, rpt->prof->comment[i]);
		strbuf_addch(out, '\n');
	}
	return 0;
}
