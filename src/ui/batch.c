/*
 * batch.c - report mode: `cprof [flags] [binary] source...` with an output
 * format, pprof's command line. One session, one request, then exit; with
 * no output format the interactive shell takes the session instead
 * (src/ui/shell.c), as go tool pprof does.
 *
 * Exit status: 0 success, 2 fatal error (bad input), 64 usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/session.h"
#include "src/cmd/commands.h"
#include "src/driver/options.h"
#include "src/driver/output.h"
#include "src/driver/session_internal.h"
#include "src/ui/ui.h"

int cprof_ui_fatal(const char *subject, const struct cprof_error *err)
{
	fflush(stdout);
	if (subject && *subject)
		fprintf(stderr, "cprof: error: %s: %s\n", subject, cprof_error_msg(err));
	else
		fprintf(stderr, "cprof: error: %s\n", cprof_error_msg(err));
	return CPROF_EXIT_FATAL;
}

int cprof_ui_usage_error(const struct cprof_error *err)
{
	fprintf(stderr, "cprof: error: %s\nTry 'cprof --help' for more information.\n", cprof_error_msg(err));
	return CPROF_EXIT_USAGE;
}

/* Notes shown as soon as the session has them (before a -seconds wait). */
static void show_notes(void *ctx, struct strbuf *notes)
{
	(void)ctx;
	cprof_output_flush_notes(notes);
}

int cprof_ui_open_session(const struct cprof_config *cfg, const char **sources, size_t nsources,
			  bool one_shot, struct cprof_session **out)
{
	struct cprof_error err = {0};
	struct strbuf notes = STRBUF_INIT;
	const char *exec = NULL, *buildid = cfg->buildid, *subject;

	if (nsources > 1) {
		if (cprof_is_object_file(sources[0])) {
			exec = sources[0];
			sources++, nsources--;
		} else if ((!buildid || !*buildid) && cprof_is_build_id(sources[0])) {
			buildid = sources[0];
			sources++, nsources--;
		}
	}
	/* as Go 1.19's pprof, the value is one source (a comma is part of the file name) */
	bool diff = cfg->diff_base && cfg->diff_base[0];
	struct cprof_session_opts so = {
		.sources = sources,
		.nsources = nsources,
		.exec = exec,
		.buildid = buildid,
		.base = diff ? cfg->diff_base : cfg->base,
		.diff_base = diff,
		.normalize = cfg->rc.normalize,
		.symbolize = cfg->symbolize,
		.all_frames = cfg->all_frames,
		.add_comment = cfg->add_comment,
		.seconds = cfg->seconds,
		.timeout = cfg->timeout,
		.tls_cert = cfg->tls_cert,
		.tls_key = cfg->tls_key,
		.tls_ca = cfg->tls_ca,
		.notes_ready = show_notes,
		.one_shot = one_shot,
	};
	int r = cprof_session_open(out, &so, &notes, &subject, &err);
	cprof_output_flush_notes(&notes);
	strbuf_release(&notes);
	return r ? cprof_ui_fatal(subject, &err) : 0;
}

int cprof_ui_report(struct cprof_session *s, const struct cprof_request *rq0, bool interactive,
		    struct cprof_error *err, const char **subject)
{
	struct cprof_request rq = *rq0;
	struct strbuf out = STRBUF_INIT, notes = STRBUF_INIT;
	struct cprof_output o;

	cprof_output_init(&o, rq.format, rq.cfg.output, interactive, &notes);
	if (cprof_output_streams(&o)) {
		rq.spill = cprof_output_spill;
		rq.spill_ctx = &o;
	}
	*subject = "";
	int rc = cprof_session_report(s, &rq, &out, &notes, err);
	if (rc == 0)
		rc = cprof_output_finish(&o, &out, subject, err);
	cprof_output_abort(&o);
	cprof_output_flush_notes(&notes);
	strbuf_release(&out);
	strbuf_release(&notes);
	return rc;
}

int cprof_batch_main(int argc, char **argv)
{
	struct cprof_config cfg;
	struct cprof_error err = {0};
	struct strbuf notes = STRBUF_INIT;
	enum cprof_format format;
	const char *format_arg;

	cprof_config_init(&cfg);
	int first = cprof_config_parse(&cfg, argc, argv, &err);
	if (first < 0)
		return cprof_ui_usage_error(&err);
	if (cfg.help) {
		cprof_usage(stdout);
		return 0;
	}
	if (cfg.version)
		return cmd_version(0, NULL);
	int frc = cprof_config_finish(&cfg, &format, &format_arg, &notes, &err);
	cprof_output_flush_notes(&notes);
	strbuf_release(&notes);
	if (frc)
		return cprof_ui_usage_error(&err);

	const char **sources = (const char **)argv + first;
	size_t nsources = (size_t)(argc - first);
	if (nsources == 0) {
		cprof_error_set(&err, CPROF_E_USAGE, "no profile source specified");
		return cprof_ui_usage_error(&err);
	}
	if (cfg.rc.divide_by == 0) {
		cprof_error_set(&err, CPROF_E_USAGE, "zero divisor specified");
		return cprof_ui_usage_error(&err);
	}

	struct cprof_session *s;
	int rc = cprof_ui_open_session(&cfg, sources, nsources, format != CPROF_FMT_NONE, &s);
	if (rc)
		return rc;
	if (format == CPROF_FMT_NONE) {
		rc = cprof_shell_main(s, &cfg.rc);
	} else {
		struct cprof_request rq = {.format = format, .arg = format_arg, .cfg = cfg.rc};
		const char *subject;
		if (cprof_ui_report(s, &rq, false, &err, &subject))
			rc = cprof_ui_fatal(subject, &err);
	}
	cprof_session_free(s);
	return rc;
}
