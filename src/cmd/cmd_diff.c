/*
 * cmd_diff.c - `cprof diff`: compare profiles and gate on regressions.
 *
 *   cprof diff [flags] BASE NEW
 *   cprof diff [flags] BASE1 BASE2 ... -- NEW1 NEW2 ...
 *
 * The comparison is src/pipeline/diff.c (rules in include/cprof/diff.h), the
 * outputs are render/diff_text.c, render/diff_json.c and
 * render/flame_diff.c. Exit status: 0 no regression, 1 at least one
 * regression (never with -threshold=0), 2 any error, usage errors
 * included, so that a CI step can tell "slower" from "broken".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/cmd/commands.h"
#include "cprof/diff.h"
#include "cprof/formats.h"
#include "cprof/outfile.h"
#include "src/cmd/subcmd_flags.h"

static const char synopsis[] = "cprof diff [flags] BASE NEW\n"
			       "       cprof diff [flags] BASE1 BASE2 ... -- NEW1 NEW2 ...";
static const char summary[] =
	"Compare the profile(s) of a base run with those of a new run, per function (or\n"
	"file or line), and list regressions, improvements, new and vanished entries,\n"
	"biggest absolute change first. A regression grows by more than -threshold\n"
	"percent of its base value and more than -min_share percent of the base total;\n"
	"with several runs per side the two sides' [min, max] ranges must not overlap.\n"
	"A new entry above -min_share counts as a regression.\n"
	"Exit status: 0 no regression, 1 regression (never with -threshold=0), 2 error.";

/* "5%", "5", "0.5" -> percent; -1 when not a non-negative number. */
static double parse_percent(const char *s)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || errno || v < 0 || v != v)
		return -1;
	if (*end == '%')
		end++;
	return *end ? -1 : v;
}

static int usage(const struct cprof_error *err)
{
	fprintf(stderr, "cprof: error: %s\nTry 'cprof diff -help' for more information.\n", cprof_error_msg(err));
	return CPROF_EXIT_FATAL;
}

int cmd_diff(int argc, char **argv)
{
	const char *threshold = "10%", *min_share = "0.5%", *metric = "flat", *output = NULL;
	struct cprof_diff_opts o = {.normalize = true};
	bool lines = false, files = false, functions = false, json = false, markdown = false, flame = false;
	bool help = false, help2 = false;
	const struct subcmd_flag flags[] = {
		{"threshold", SUBCMD_STRING, &threshold, "pct",
		 "regression when growing more than pct% of the base value (\"5%\" or \"5\"; default 10%; 0 never fails)"},
		{"min_share", SUBCMD_STRING, &min_share, "pct",
		 "noise floor: a change must also exceed pct% of the base total (default 0.5%)"},
		{"metric", SUBCMD_STRING, &metric, "m", "flat (default) or cum"},
		{"normalize", SUBCMD_BOOL, &o.normalize, NULL,
		 "compare shares of each run's total (default true; -normalize=false compares absolute values)"},
		{"functions", SUBCMD_BOOL, &functions, NULL, "compare per function (the default)"},
		{"files", SUBCMD_BOOL, &files, NULL, "compare per source file"},
		{"lines", SUBCMD_BOOL, &lines, NULL, "compare per source line"},
		{"focus", SUBCMD_STRING, &o.focus, "re", "judge only samples with a frame matching re"},
		{"ignore", SUBCMD_STRING, &o.ignore, "re", "leave out samples with a frame matching re"},
		{"hide", SUBCMD_STRING, &o.hide, "re", "remove frames matching re from the stacks"},
		{"sample_index", SUBCMD_STRING, &o.sample_index, "s",
		 "sample value to compare (index or name, as in reports)"},
		{"json", SUBCMD_BOOL, &json, NULL, "print JSON: {\"regressions\": [...], \"improvements\", \"new\", \"gone\"}"},
		{"markdown", SUBCMD_BOOL, &markdown, NULL, "print Markdown, for a pull-request comment"},
		{"flame", SUBCMD_BOOL, &flame, NULL, "write a differential flame graph (SVG; red grew, blue shrank)"},
		{"output", SUBCMD_STRING, &output, "file", "write the output to file instead of standard output"},
	};
	struct cprof_error err = {0};
	int split = -1, nb = 0, nn = 0;

	/* "--" separates the base runs from the new runs; flags may be on both sides */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			split = i;
			break;
		}
	int argc1 = split < 0 ? argc : split;
	if (subcmd_flags_parse(flags, CPROF_ARRAY_SIZE(flags), argc1, argv, &nb, &help, &err))
		return usage(&err);
	char **rest = argv + (split < 0 ? argc : split); /* rest[0] is "--", taken as the command name */
	int argc2 = split < 0 ? 0 : argc - split;
	if (argc2 && subcmd_flags_parse(flags, CPROF_ARRAY_SIZE(flags), argc2, rest, &nn, &help2, &err))
		return usage(&err);
	if (help || help2) {
		subcmd_flags_usage(stdout, synopsis, summary, flags, CPROF_ARRAY_SIZE(flags));
		return 0;
	}

	char **bases, **news;
	size_t nbase, nnew;
	if (split < 0) {
		if (nb != 2)
			cprof_error_set(&err, CPROF_E_USAGE, "two profiles expected (BASE NEW), got %d", nb);
		bases = argv + 1, nbase = 1;
		news = argv + 2, nnew = 1;
	} else {
		if (nb < 1 || nn < 1)
			cprof_error_set(&err, CPROF_E_USAGE, "at least one profile expected on each side of --");
		bases = argv + 1, nbase = (size_t)nb;
		news = rest + 1, nnew = (size_t)nn;
	}
	if (!err.code && (o.threshold = parse_percent(threshold)) < 0)
		cprof_error_set(&err, CPROF_E_USAGE, "invalid -threshold '%s': want a percentage such as 10%% or 10",
				threshold);
	if (!err.code && (o.min_share = parse_percent(min_share)) < 0)
		cprof_error_set(&err, CPROF_E_USAGE, "invalid -min_share '%s': want a percentage such as 0.5%%",
				min_share);
	if (!err.code && strcmp(metric, "flat") && strcmp(metric, "cum"))
		cprof_error_set(&err, CPROF_E_USAGE, "invalid -metric '%s': want flat or cum", metric);
	if (!err.code && (int)lines + (int)files + (int)functions > 1)
		cprof_error_set(&err, CPROF_E_USAGE, "-functions, -files and -lines are exclusive");
	if (!err.code && (int)json + (int)markdown + (int)flame > 1)
		cprof_error_set(&err, CPROF_E_USAGE, "-json, -markdown and -flame are exclusive");
	if (err.code)
		return usage(&err);
	o.metric = !strcmp(metric, "cum") ? CPROF_DIFF_CUM : CPROF_DIFF_FLAT;
	o.granularity = lines ? CPROF_GRAN_LINES : files ? CPROF_GRAN_FILES : CPROF_GRAN_FUNCTIONS;

	size_t nrun = nbase + nnew;
	struct cprof_profile **p = cprof_xcalloc(nrun, sizeof(*p));
	struct strbuf notes = STRBUF_INIT, out = STRBUF_INIT;
	struct cprof_diff d;
	int rc = CPROF_EXIT_FATAL;
	bool have = false;

	for (size_t r = 0; r < nrun; r++) {
		const char *path = r < nbase ? bases[r] : news[r - nbase];
		if (cprof_read_profile(path, &p[r], &err)) { /* checked valid there */
			fprintf(stderr, "cprof: error: %s: %s\n", path, cprof_error_msg(&err));
			goto done;
		}
	}
	if (cprof_diff_compute(&d, p, nbase, p + nbase, nnew, &o, &notes, &err)) {
		fprintf(stderr, "cprof: error: %s: %s\n", d.error_source ? d.error_source : bases[0],
			cprof_error_msg(&err));
		goto done;
	}
	have = true;
	fputs(notes.buf, stderr);
	if (json)
		cprof_diff_render_json(&d, &out);
	else if (markdown)
		cprof_diff_render_markdown(&d, &out);
	else if (flame)
		cprof_diff_render_flame(&d, &out);
	else
		cprof_diff_render_text(&d, &out);

	if (output && *output) {
		if (cprof_write_file(output, out.buf, out.len, &err)) {
			fprintf(stderr, "cprof: error: %s: %s\n", output, cprof_error_msg(&err));
			goto done;
		}
	} else if (strbuf_write(&out, stdout) || fflush(stdout)) {
		fprintf(stderr, "cprof: error: standard output: cannot write: %s\n", strerror(errno));
		goto done;
	}
	rc = cprof_diff_failed(&d) ? CPROF_EXIT_GATE : 0;
done:
	if (have)
		cprof_diff_release(&d);
	for (size_t r = 0; r < nrun; r++)
		cprof_profile_free(p[r]);
	free(p);
	strbuf_release(&notes);
	strbuf_release(&out);
	return rc;
}
