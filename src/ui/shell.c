/* shell.c - placeholder while the shell is written: the -top report. */
#include "src/ui/ui.h"

int cprof_shell_main(struct cprof_session *s, const struct cprof_report_config *cfg)
{
	struct cprof_error err = {0};
	const char *subject;
	struct cprof_request rq = {.format = CPROF_FMT_TOP, .cfg = *cfg};
	if (cprof_ui_report(s, &rq, false, &err, &subject))
		return cprof_ui_fatal(subject, &err);
	return 0;
}
