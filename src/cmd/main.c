/*
 * main.c - the command layer: subcommand dispatch, report mode's pipeline
 * (pprof's driver), and the only place that prints to the user and exits.
 *
 * Exit status: 0 success, 1 a CI gate tripped, 2 fatal error (bad input),
 * 64 usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cprof/formats.h"
#include "cprof/outfile.h"
#include "cprof/report.h"
#include "cprof/symbolize.h"
#include "cprof/transform.h"
#include "src/cmd/commands.h"
#include "src/cmd/limits.h"
#include "src/driver/options.h"
#include "src/ui/viewer.h"

#define EXIT_FATAL CPROF_EXIT_FATAL
#define EXIT_USAGE CPROF_EXIT_USAGE

static void print_notes(struct strbuf *notes)
{
	if (notes->len) {
		fputs(notes->buf, stderr);
		fflush(stderr);
		strbuf_reset(notes);
	}
}

static int fatal(const char *subject, const struct cprof_error *err)
{
	fflush(stdout);
	if (subject && *subject)
		fprintf(stderr, "cprof: error: %s: %s\n", subject, cprof_error_msg(err));
	else
		fprintf(stderr, "cprof: error: %s\n", cprof_error_msg(err));
	return EXIT_FATAL;
}

static int usage_error(const struct cprof_error *err)
{
	fprintf(stderr, "cprof: error: %s\nTry 'cprof --help' for more information.\n", cprof_error_msg(err));
	return EXIT_USAGE;
}


/* pprof's isBuildID: a non-empty string of hex digits. */
static bool is_build_id(const char *s)
{
	return strspn(s, "0123456789abcdefABCDEF") == strlen(s);
}

/* Whether path is an ELF file: the main binary given before the profiles. */
static bool is_object_file(const char *path)
{
	unsigned char magic[4];
	struct stat st;
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return false;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, magic, sizeof(magic));
	close(fd);
	return n == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
}

/*
 * The base sources of a -base/-diff_base value: as Go 1.19's pprof, the value
 * is one source (a comma is part of the file name) and a repeated flag keeps
 * the last value (tests/diff/base_cases.txt).
 */
static size_t split_sources(char *s, const char **out, size_t max)
{
	size_t n = 0;
	if (s && *s && n < max)
		out[n++] = s;
	return n;
}

/*
 * Read every source, as pprof's grabProfile + locateBinaries: validate,
 * give a mapping-less profile the fake mapping {id 1}, apply the binary
 * and build id overrides to mapping[0], then combine.
 */
/* Opens binaries for locateBinaries, symbolization and the -list/-disasm reports. */
static struct cprof_objtool *objtool;

/* The -symbolize value, for use_text_comments(). */
static const char *symbolize_spec;

/*
 * Go's debug=1 text profiles name their addresses in '#' lines that pprof
 * ignores. Use them where pprof's local symbolizer would run (not with
 * -symbolize=none or remote alone, its token rules) and no binary is given.
 */
static void use_text_comments(struct cprof_profile *p, const char *exec)
{
	bool local = true, fast = false;
	const char *s = symbolize_spec ? symbolize_spec : "";

	while (p->text_comments && !(exec && *exec)) {
		size_t n = strcspn(s, ":");
		if ((n == 4 && !strncasecmp(s, "none", 4)) || (n == 2 && !strncasecmp(s, "no", 2)))
			break;
		if (n == 5 && !strncasecmp(s, "local", 5))
			local = true, fast = false;
		else if (n == 9 && !strncasecmp(s, "fastlocal", 9))
			local = fast = true;
		else if (n == 6 && !strncasecmp(s, "remote", 6))
			local = false;
		if (s[n]) {
			s += n + 1;
			continue;
		}
		if (local)
			cprof_profile_use_text_comments(p, !fast);
		break;
	}
	p->text_comments = NULL;
}

/*
 * A binary given on the command line is read on the second core while the
 * profiles are read and merged, when local symbolization with DWARF may
 * need it. Once the first profile is read, prefetch_check() stops that if
 * the profile does not need it, or else hands over the main mapping's
 * addresses to symbolize there as well; without a binary on the command
 * line it starts the same with the main mapping's file, as soon as the
 * profile's mappings are decoded (prefetch_early()).
 */
static struct cprof_symbolize_opts prefetch_opts; /* -symbolize, parsed without its notes */

static void prefetch_binary(const char *exec)
{
	cprof_symbolize_parse(symbolize_spec, &prefetch_opts, NULL);
	if (objtool && exec && *exec && cprof_symbolize_uses_dwarf(&prefetch_opts))
		cprof_objtool_prefetch(objtool, exec);
}

static bool prefetch_checked;

/* For the first source profile only (not again for a -base profile). */
static void prefetch_check(const struct cprof_profile *p)
{
	if (objtool && !prefetch_checked)
		cprof_profile_prefetch_symbols(p, objtool, &prefetch_opts);
	prefetch_checked = true;
}

/* The same profile's mappings, before its locations and samples are decoded. */
static void prefetch_early(const struct cprof_profile *p, void *ctx)
{
	(void)ctx;
	if (objtool && !prefetch_checked)
		cprof_profile_prefetch_binary(p, objtool, &prefetch_opts);
}

static int load_profiles(const char **paths, size_t n, const char *exec, const char *buildid,
			 const char *what, struct cprof_profile **out)
{
	struct cprof_error err = {0};
	struct cprof_profile **ps = cprof_xcalloc(n, sizeof(*ps));

	for (size_t i = 0; i < n; i++) {
		cprof_pprof_set_mapping_hook(i == 0 ? prefetch_early : NULL, NULL);
		int r = cprof_read_profile(paths[i], &ps[i], &err); /* checked valid there */
		cprof_pprof_set_mapping_hook(NULL, NULL);
		if (r) {
			int rc = fatal(paths[i], &err);
			for (size_t j = 0; j <= i; j++)
				cprof_profile_free(ps[j]);
			free(ps);
			return rc;
		}
		struct cprof_profile *p = ps[i];
		use_text_comments(p, exec);
		if (objtool) {
			struct strbuf notes = STRBUF_INIT;
			cprof_profile_locate_binaries(p, objtool, getenv("PPROF_BINARY_PATH"), &notes);
			print_notes(&notes);
			strbuf_release(&notes);
		}
		if (p->nmapping == 0) {
			struct cprof_mapping *m = cprof_profile_add_mapping(p);
			m->id = 1;
			for (size_t l = 0; l < p->nlocation; l++)
				p->location[l].mapping = 0;
		}
		if (exec && *exec)
			p->mapping[0].file = cprof_profile_str(p, exec);
		if (buildid && *buildid)
			p->mapping[0].build_id = cprof_profile_str(p, buildid);
		if (i == 0)
			prefetch_check(p);
	}
	if (cprof_profiles_combine(ps, n, out, &err)) {
		free(ps);
		cprof_error_prefix(&err, "problem fetching %s profiles", what);
		return fatal(NULL, &err);
	}
	free(ps);
	return 0;
}

static const char *granularity_names[] = {"functions", "filefunctions", "files", "lines", "addresses"};

/* pprof's applyCommandOverrides. */
static void apply_overrides(struct cprof_config *c, enum cprof_format f)
{
	bool trim = c->trim;
	switch (f) {
	case CPROF_FMT_DISASM:
		trim = false;
		c->granularity = "addresses";
		c->noinlines = true; /* one source location per address */
		break;
	case CPROF_FMT_WEBLIST:
		trim = false;
		c->granularity = "addresses";
		c->noinlines = false; /* inline frames are shown */
		break;
	case CPROF_FMT_LIST:
		trim = false;
		c->granularity = "lines";
		break;
	case CPROF_FMT_PEEK:
		trim = false;
		break;
	case CPROF_FMT_TEXT:
	case CPROF_FMT_TOP:
	case CPROF_FMT_TOPPROTO:
	case CPROF_FMT_FOLDED: /* not pprof's: whole stacks, never trimmed */
	case CPROF_FMT_FLAME:
		if (c->nodecount == -1)
			c->nodecount = 0;
		break;
	default:
		if (c->nodecount == -1)
			c->nodecount = 80;
		break;
	}
	if (f == CPROF_FMT_PROTO || f == CPROF_FMT_RAW || f == CPROF_FMT_LEGACY ||
	    f == CPROF_FMT_CALLGRIND || f == CPROF_FMT_KCACHEGRIND) {
		trim = false;
		c->granularity = "addresses";
		c->noinlines = false;
	}
	if (!trim) {
		c->nodecount = 0;
		c->nodefraction = 0;
		c->edgefraction = 0;
	}
}

/*
 * pprof's awayFromTTY: the file extension of the formats that go to
 * profileNNN.<ext> instead of a terminal, or NULL.
 */
static const char *away_from_tty_ext(enum cprof_format f)
{
	switch (f) {
	case CPROF_FMT_PROTO:
	case CPROF_FMT_TOPPROTO:
		return "pb.gz";
	case CPROF_FMT_FLAME:
		return "svg";
	case CPROF_FMT_CALLGRIND:
		return "callgraph.out";
	case CPROF_FMT_SVG:
		return "svg";
	case CPROF_FMT_PNG:
		return "png";
	case CPROF_FMT_GIF:
		return "gif";
	case CPROF_FMT_PDF:
		return "pdf";
	case CPROF_FMT_PS:
		return "ps";
	default:
		return NULL;
	}
}

/* Where -traces and -folded go while they are made: the output file, else standard output. */
struct stream {
	struct cprof_outfile *file;
	bool failed; /* standard output: error is the errno */
	int error;
};

static void spill_out(void *ctx, struct strbuf *out)
{
	struct stream *st = ctx;
	if (st->file)
		cprof_outfile_write(st->file, out->buf, out->len); /* an error waits for the commit */
	else if (!st->failed && strbuf_write(out, stdout)) {
		st->failed = true;
		st->error = errno;
	}
	strbuf_reset(out);
}

static int report_mode(int argc, char **argv)
{
	struct cprof_config cfg;
	struct cprof_error err = {0};
	struct strbuf notes = STRBUF_INIT;
	enum cprof_format format;
	const char *format_arg;
	int rc = 0;
	/* everything owned, released at done: */
	struct cprof_profile *p = NULL, *base = NULL;
	struct cprof_label_unit *label_units = NULL;
	size_t nlabel_units = 0;
	const char *filters[9];
	size_t nfilters = 0;
	struct strbuf filterbuf[9];
	struct strbuf stype = STRBUF_INIT, title = STRBUF_INIT, out = STRBUF_INIT;
	struct cprof_regex *symbol_re = NULL; /* the -list/-disasm/-weblist argument */
	struct cprof_outfile outf;
	struct stream stream = {0};

	cprof_config_init(&cfg);
	int first = cprof_config_parse(&cfg, argc, argv, &err);
	if (first < 0)
		return usage_error(&err);
	if (cfg.help) {
		cprof_usage(stdout);
		return 0;
	}
	if (cfg.version)
		return cmd_version(0, NULL);
	if (cprof_config_finish(&cfg, &format, &format_arg, &notes, &err)) {
		strbuf_release(&notes);
		return usage_error(&err);
	}
	print_notes(&notes);
	if (format == CPROF_FMT_NONE)
		format = CPROF_FMT_TOP; /* pprof would start its interactive shell */

	const char **sources = (const char **)argv + first;
	size_t nsources = (size_t)(argc - first);
	if (nsources == 0) {
		cprof_error_set(&err, CPROF_E_USAGE, "no profile source specified");
		strbuf_release(&notes);
		return usage_error(&err);
	}
	const char *exec = NULL;
	const char *buildid = cfg.buildid;
	if (nsources > 1) {
		if (is_object_file(sources[0])) {
			exec = sources[0];
			sources++, nsources--;
		} else if ((!buildid || !*buildid) && is_build_id(sources[0])) {
			buildid = sources[0];
			sources++, nsources--;
		}
	}
	if (cfg.divide_by == 0) {
		cprof_error_set(&err, CPROF_E_USAGE, "zero divisor specified");
		strbuf_release(&notes);
		return usage_error(&err);
	}

	/* fetch; separate debug files are looked for in PPROF_BINARY_PATH, then /usr/lib/debug */
	struct strbuf debug_dirs = STRBUF_INIT;
	if (getenv("PPROF_BINARY_PATH") && *getenv("PPROF_BINARY_PATH"))
		strbuf_addf(&debug_dirs, "%s:", getenv("PPROF_BINARY_PATH"));
	strbuf_addstr(&debug_dirs, "/usr/lib/debug");
	objtool = cprof_objtool_new(&(struct cprof_objtool_opts){.debug_dirs = debug_dirs.buf});
	strbuf_release(&debug_dirs);
	symbolize_spec = cfg.symbolize;
	prefetch_binary(exec);
	if ((rc = load_profiles(sources, nsources, exec, buildid, "source", &p)))
		goto done;
	const char *base_src[1];
	bool diff = cfg.diff_base && cfg.diff_base[0];
	size_t nbase = split_sources((char *)(diff ? cfg.diff_base : cfg.base), base_src, 1);
	if (nbase) {
		if ((rc = load_profiles(base_src, nbase, exec, buildid, "base", &base)))
			goto done;
		struct cprof_profile *merged = NULL;
		int r = cprof_profile_apply_base(p, base, diff, cfg.normalize, &merged, &err);
		p = merged; /* both inputs are consumed */
		base = NULL;
		if (r) {
			rc = fatal(NULL, &err);
			goto done;
		}
	}

	/* pprof's Symbolize: addresses to functions and lines from the binaries, then demangling */
	struct cprof_symbolize_opts sym_opts;
	cprof_symbolize_parse(cfg.symbolize, &sym_opts, &notes);
	if (cprof_profile_symbolize(p, objtool, &sym_opts, &notes, &err)) {
		rc = fatal(NULL, &err);
		goto done;
	}
	print_notes(&notes);

	/* as pprof, a drop_frames/keep_frames expression that does not compile disables pruning */
	if (!cfg.all_frames)
		(void)cprof_profile_remove_uninteresting(p, &err);
	if (cfg.add_comment && cfg.add_comment[0])
		cprof_profile_add_comment(p, cfg.add_comment);
	if (cprof_profile_check_valid(p, &err)) {
		rc = fatal(NULL, &err);
		goto done;
	}
	cprof_profile_lint(p, &notes); /* what pprof accepts but a report should not trust */
	print_notes(&notes);

	/* generateRawReport: label units are taken before tag frames and filters change the samples */
	nlabel_units = cprof_profile_num_label_units(p, &label_units, &notes);
	print_notes(&notes);
	apply_overrides(&cfg, format);
	if (cprof_profile_add_tag_frames(p, cfg.tagroot, cfg.tagleaf, cfg.unit, &notes, &err)) {
		rc = fatal(NULL, &err);
		goto done;
	}
	if (cfg.relative_percentages && cprof_profile_filter(p, &cfg.filter, &notes, &err)) {
		print_notes(&notes);
		rc = fatal(NULL, &err);
		goto done;
	}
	print_notes(&notes);

	struct cprof_report rpt;
	struct cprof_report_opts ro = {0};
	int sindex = 0;
	if (p->nsample_type == 0) {
		cprof_error_set(&err, CPROF_E_CORRUPT, "profile has no samples");
		rc = fatal(nsources == 1 ? sources[0] : NULL, &err);
		goto done;
	}
	if (cprof_sample_index(p, cfg.sample_index, &sindex, &err)) {
		rc = fatal(NULL, &err);
		goto done;
	}
	const struct {
		const char *name, *value;
	} fl[] = {
		{"focus", cfg.filter.focus},         {"ignore", cfg.filter.ignore},
		{"hide", cfg.filter.hide},           {"show", cfg.filter.show},
		{"show_from", cfg.filter.show_from}, {"tagfocus", cfg.filter.tagfocus},
		{"tagignore", cfg.filter.tagignore}, {"tagshow", cfg.filter.tagshow},
		{"taghide", cfg.filter.taghide},
	};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(fl); i++) {
		if (!fl[i].value || !fl[i].value[0])
			continue;
		strbuf_init(&filterbuf[nfilters], 0);
		strbuf_addf(&filterbuf[nfilters], "%s=%s", fl[i].name, fl[i].value);
		filters[nfilters] = filterbuf[nfilters].buf;
		nfilters++;
	}
	if (cfg.mean)
		strbuf_addstr(&stype, "mean_");
	strbuf_addstr(&stype, p->sample_type[sindex].type);

	ro.format = format;
	ro.cum_sort = !strcmp(cfg.sort, "cum");
	ro.call_tree = cfg.call_tree;
	ro.drop_negative = cfg.drop_negative;
	ro.compact_labels = cfg.compact_labels;
	ro.ratio = 1 / cfg.divide_by;
	ro.active_filters = filters;
	ro.nactive_filters = nfilters;
	ro.nodecount = cfg.nodecount;
	ro.nodefraction = cfg.nodefraction;
	ro.edgefraction = cfg.edgefraction;
	ro.sample_index = sindex;
	ro.mean = cfg.mean;
	ro.sample_type = stype.buf;
	ro.sample_unit = p->sample_type[sindex].unit; /* as recorded: pprof does not lower-case it */
	ro.num_label_units = label_units;
	ro.nnum_label_units = nlabel_units;
	ro.output_unit = cfg.unit;
	ro.source_path = cfg.source_path;
	ro.trim_path = cfg.trim_path;
	ro.intel_syntax = cfg.intel_syntax;
	ro.obj = objtool;
	if (format_arg && *format_arg) {
		symbol_re = cprof_regex_compile(format_arg, &err);
		if (!symbol_re) {
			char why[sizeof(err.msg)];
			snprintf(why, sizeof(why), "%s", cprof_error_msg(&err));
			cprof_error_set(&err, CPROF_E_USAGE, "parsing argument regexp %s: %s", format_arg, why);
			rc = fatal(NULL, &err);
			goto done;
		}
		ro.symbol = symbol_re;
	}
	ro.title = "";
	if (p->nmapping && p->mapping[0].file[0]) {
		cprof_path_base(p->mapping[0].file, &title);
		ro.title = title.buf;
	}
	cprof_report_init(&rpt, p, &ro);

	if (!cfg.relative_percentages && cprof_profile_filter(p, &cfg.filter, &notes, &err)) {
		print_notes(&notes);
		rc = fatal(NULL, &err);
		goto done;
	}
	print_notes(&notes);
	enum cprof_granularity gran = CPROF_GRAN_FUNCTIONS;
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(granularity_names); i++)
		if (!strcmp(cfg.granularity, granularity_names[i]))
			gran = (enum cprof_granularity)i;
	if (cprof_profile_aggregate(p, gran, cfg.noinlines, &err)) {
		rc = fatal(NULL, &err);
		goto done;
	}

	const char *output = cfg.output;
	char autoname[64];
	const char *tty_ext = away_from_tty_ext(format);
	if ((!output || !*output) && tty_ext && isatty(STDOUT_FILENO)) {
		/* pprof's awayFromTTY: binary output never goes to a terminal */
		for (int i = 1; i < 10000; i++) {
			snprintf(autoname, sizeof(autoname), "profile%03d.%s", i, tty_ext);
			if (access(autoname, F_OK) != 0)
				break;
		}
		output = autoname;
	}
	/* -traces and -folded go out while they are made (they can be larger than the profile) */
	if (format == CPROF_FMT_TRACES || format == CPROF_FMT_FOLDED) {
		if (output && *output) {
			fprintf(stderr, "Generating report in %s\n", output);
			if (cprof_outfile_open(&outf, output, &err)) {
				rc = fatal(output, &err);
				goto done;
			}
			stream.file = &outf;
		}
		rpt.spill = spill_out;
		rpt.spill_ctx = &stream;
	}

	int r = 0;
	switch (format) {
	case CPROF_FMT_TEXT:
	case CPROF_FMT_TOP:
		r = cprof_render_text(&rpt, &out, &err);
		break;
	case CPROF_FMT_TRACES:
		r = cprof_render_traces(&rpt, &out, &err);
		break;
	case CPROF_FMT_RAW:
		cprof_profile_dump(p, &out);
		break;
	case CPROF_FMT_COMMENTS:
		r = cprof_render_comments(&rpt, &out, &err);
		break;
	case CPROF_FMT_TREE:
	case CPROF_FMT_PEEK:
		r = cprof_render_tree(&rpt, &out, &err);
		break;
	case CPROF_FMT_TAGS:
		r = cprof_render_tags(&rpt, &out, &err);
		break;
	case CPROF_FMT_TOPPROTO:
		r = cprof_render_topproto(&rpt, &out, &err);
		break;
	case CPROF_FMT_FOLDED:
		r = cprof_render_folded(&rpt, &out, &err);
		break;
	case CPROF_FMT_FLAME:
		r = cprof_render_flame(&rpt, &out, &err);
		break;
	case CPROF_FMT_LIST:
		r = cprof_render_list(&rpt, &out, &err);
		break;
	case CPROF_FMT_DISASM:
		r = cprof_render_disasm(&rpt, &out, &err);
		break;
	case CPROF_FMT_WEBLIST:
		r = cprof_render_weblist(&rpt, &out, &err);
		break;
	case CPROF_FMT_LEGACY:
		if (rpt.opt.ratio != 1)
			cprof_profile_scale(p, rpt.opt.ratio);
		r = cprof_render_legacy(&rpt, &out, &err);
		break;
	case CPROF_FMT_PROTO:
		if (rpt.opt.ratio != 1)
			cprof_profile_scale(p, rpt.opt.ratio);
		r = cprof_pprof_encode(p, &out, &err);
		break;
	case CPROF_FMT_DOT:
		r = cprof_render_dot(&rpt, &out, &err);
		break;
	case CPROF_FMT_SVG:
	case CPROF_FMT_PNG:
	case CPROF_FMT_GIF:
	case CPROF_FMT_PDF:
	case CPROF_FMT_PS:
	case CPROF_FMT_WEB:
		r = cprof_render_graphviz(&rpt, format, &out, &err);
		break;
	case CPROF_FMT_CALLGRIND:
	case CPROF_FMT_KCACHEGRIND:
		r = cprof_render_callgrind(&rpt, &out, &err);
		break;
	default:
		cprof_error_set(&err, CPROF_E_UNSUPPORTED, "output format not supported");
		r = -1;
		break;
	}
	if (r) {
		rc = fatal(NULL, &err);
		goto done;
	}

	if ((!output || !*output) && (format == CPROF_FMT_WEB || format == CPROF_FMT_KCACHEGRIND)) {
		/* pprof's visualizers: a temporary file opened in a browser or KCachegrind */
		const char *viewers[8] = {"kcachegrind"};
		bool web = format == CPROF_FMT_WEB;
		size_t nv = web ? cprof_browsers(viewers, CPROF_ARRAY_SIZE(viewers)) : 1;
		if (cprof_view(out.buf, out.len, web ? "svg" : "grind", viewers, nv,
			       web ? "no browser found: set BROWSER" : "cannot run 'kcachegrind': not found",
			       &err))
			rc = fatal(NULL, &err);
	} else if (stream.file) {
		cprof_outfile_write(&outf, out.buf, out.len);
		if (cprof_outfile_commit(&outf, &err))
			rc = fatal(output, &err);
	} else if (output && *output) {
		fprintf(stderr, "Generating report in %s\n", output);
		if (cprof_write_file(output, out.buf, out.len, &err))
			rc = fatal(output, &err);
	} else if (stream.failed || strbuf_write(&out, stdout) || fflush(stdout)) {
		cprof_error_set(&err, CPROF_E_IO, "cannot write standard output: %s",
				strerror(stream.failed ? stream.error : errno));
		rc = fatal(NULL, &err);
	}

done:
	if (stream.file)
		cprof_outfile_abort(&outf); /* nothing if committed */
	print_notes(&notes);
	strbuf_release(&out);
	strbuf_release(&notes);
	strbuf_release(&stype);
	free(label_units);
	strbuf_release(&title);
	for (size_t i = 0; i < nfilters; i++)
		strbuf_release(&filterbuf[i]);
	cprof_profile_free(p);
	cprof_profile_free(base);
	cprof_regex_free(symbol_re);
	cprof_objtool_free(objtool);
	objtool = NULL;
	return rc;
}

/*
 * Much of a run that is not computing goes to page faults: one for every
 * 4 KiB first touched, 10 to 20 thousand for a profile of a few MiB, and
 * far more for a big one. So, with glibc's allocator: blocks up to 64 MiB
 * come from the heap, which keeps up to 512 MiB free at its top, and one
 * heap serves both threads; its first 256 MiB are reserved at once (address
 * space only) and marked for transparent huge pages, which kernels set to
 * "madvise" give where asked: one fault per 2 MiB. Nothing changes where
 * the heap cannot grow that way (sbrk fails, or another allocator runs).
 */
static void tune_malloc(void)
{
#if defined(__GLIBC__) && defined(M_ARENA_MAX) && defined(MADV_HUGEPAGE)
	const uintptr_t huge = (uintptr_t)2 << 20;
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 512 << 20);
	mallopt(M_ARENA_MAX, 1);
	mallopt(M_TOP_PAD, 256 << 20);
	char *lo = sbrk(0);
	void *volatile first = malloc(1 << 20); /* more than the heap has left: it grows by the pad (volatile: kept) */
	char *hi = sbrk(0);
	uintptr_t a = ((uintptr_t)lo + huge - 1) & ~(huge - 1), b = (uintptr_t)hi & ~(huge - 1);
	if (lo != (char *)-1 && hi != (char *)-1 && b > a)
		(void)madvise((void *)a, b - a, MADV_HUGEPAGE);
	free(first);
	mallopt(M_TOP_PAD, 16 << 20);
#endif
}

int main(int argc, char **argv)
{
	struct cprof_error lerr = {0};

	tune_malloc();

	if (cprof_limits_take_args(&argc, argv, &lerr) < 0)
		return usage_error(&lerr);
	if (argc >= 2) {
		for (unsigned i = 0; i < cprof_ncommands; i++)
			if (!strcmp(argv[1], cprof_commands[i].name))
				return cprof_commands[i].run(argc - 1, argv + 1);
	}
	if (argc < 2) {
		cprof_usage(stderr);
		return EXIT_USAGE;
	}
	return report_mode(argc - 1, argv + 1);
}
