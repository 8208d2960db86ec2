/*
 * options.c - the report-mode option table and a Go-flag-compatible parser.
 *
 * Names, defaults and help texts follow pprof's (internal/driver/config.go,
 * cli.go) so scripts switch from `go tool pprof` by changing one word.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "src/cmd/commands.h"
#include "src/cmd/limits.h"
#include "src/driver/options.h"

#define F(field) offsetof(struct cprof_config, field)
#define FMT_FLAG(name, flag, rx, help) {flag, OPT_FORMAT, CPROF_FMT_##name, rx ? "" : NULL, "Output formats (select at most one)", help},

const struct cprof_opt cprof_opts[] = {
	CPROF_FORMATS(FMT_FLAG)

	{"output", OPT_STRING, F(rc.output), NULL, "Options", "Output filename for file-based outputs"},
	{"sample_index", OPT_STRING, F(rc.sample_index), NULL, "Options", "Sample value to report (0-based index or name)"},
	{"mean", OPT_BOOL, F(rc.mean), NULL, "Options", "Average sample value over first value (count)"},
	{"divide_by", OPT_FLOAT, F(rc.divide_by), NULL, "Options", "Ratio to divide all samples before visualization"},
	{"unit", OPT_STRING, F(rc.unit), NULL, "Options", "Measurement units to display (minimum, auto, or a unit such as ms, MB)"},
	{"compact_labels", OPT_BOOL, F(rc.compact_labels), NULL, "Options", "Show minimal headers"},
	{"drop_negative", OPT_BOOL, F(rc.drop_negative), NULL, "Options", "Ignore negative differences"},
	{"relative_percentages", OPT_BOOL, F(rc.relative_percentages), NULL, "Options", "Show percentages relative to focused subgraph"},
	{"call_tree", OPT_BOOL, F(rc.call_tree), NULL, "Options", "Create a context-sensitive call tree (graph outputs)"},
	{"normalize", OPT_BOOL, F(rc.normalize), NULL, "Options", "Scales profile based on the base profile"},
	{"source_path", OPT_STRING, F(rc.source_path), NULL, "Options", "Search path for source files"},
	{"trim_path", OPT_STRING, F(rc.trim_path), NULL, "Options", "Path to trim from source paths before search"},
	{"intel_syntax", OPT_BOOL, F(rc.intel_syntax), NULL, "Options", "Show assembly in Intel syntax"},
	{"tagroot", OPT_STRING, F(rc.tagroot), NULL, "Options", "Adds pseudo stack frames for labels key/value pairs at the callstack root"},
	{"tagleaf", OPT_STRING, F(rc.tagleaf), NULL, "Options", "Adds pseudo stack frames for labels key/value pairs at the callstack leaf"},

	{"flat", OPT_CHOICE, F(rc.sort), "flat", "Sort order", "Sort entries based on own weight (default)"},
	{"cum", OPT_CHOICE, F(rc.sort), "cum", "Sort order", "Sort entries based on cumulative weight"},

	{"functions", OPT_CHOICE, F(rc.granularity), "functions", "Granularity", "Aggregate at the function level (default)"},
	{"filefunctions", OPT_CHOICE, F(rc.granularity), "filefunctions", "Granularity", "Aggregate at the function level, keeping the file"},
	{"files", OPT_CHOICE, F(rc.granularity), "files", "Granularity", "Aggregate at the file level"},
	{"lines", OPT_CHOICE, F(rc.granularity), "lines", "Granularity", "Aggregate at the source code line level"},
	{"addresses", OPT_CHOICE, F(rc.granularity), "addresses", "Granularity", "Aggregate at the address level"},
	{"noinlines", OPT_BOOL, F(rc.noinlines), NULL, "Granularity", "Ignore inlines: attribute inlined frames to their caller"},

	{"nodecount", OPT_INT, F(rc.nodecount), NULL, "Trimming", "Max number of nodes to show"},
	{"nodefraction", OPT_FLOAT, F(rc.nodefraction), NULL, "Trimming", "Hide nodes below <f>*total"},
	{"edgefraction", OPT_FLOAT, F(rc.edgefraction), NULL, "Trimming", "Hide edges below <f>*total"},
	{"trim", OPT_BOOL, F(rc.trim), NULL, "Trimming", "Honor nodefraction/edgefraction/nodecount defaults"},

	{"focus", OPT_STRING, F(rc.filter.focus), NULL, "Filters", "Restricts to samples going through a node matching regexp"},
	{"ignore", OPT_STRING, F(rc.filter.ignore), NULL, "Filters", "Skips paths going through any nodes matching regexp"},
	{"prune_from", OPT_STRING, F(rc.filter.prune_from), NULL, "Filters", "Drops any functions below the matched frame"},
	{"hide", OPT_STRING, F(rc.filter.hide), NULL, "Filters", "Skips nodes matching regexp"},
	{"show", OPT_STRING, F(rc.filter.show), NULL, "Filters", "Only show nodes matching regexp"},
	{"show_from", OPT_STRING, F(rc.filter.show_from), NULL, "Filters", "Drops functions above the highest matched frame"},
	{"tagfocus", OPT_STRING, F(rc.filter.tagfocus), NULL, "Filters", "Restricts to samples with tags in range or matched by regexp"},
	{"tagignore", OPT_STRING, F(rc.filter.tagignore), NULL, "Filters", "Discard samples with tags in range or matched by regexp"},
	{"tagshow", OPT_STRING, F(rc.filter.tagshow), NULL, "Filters", "Only consider tags matching this regexp"},
	{"taghide", OPT_STRING, F(rc.filter.taghide), NULL, "Filters", "Skip tags matching this regexp"},

	{"base", OPT_STRING, F(base), NULL, "Source options", "Source of base profile for profile subtraction"},
	{"diff_base", OPT_STRING, F(diff_base), NULL, "Source options", "Source of base profile for comparison"},
	{"symbolize", OPT_STRING, F(symbolize), NULL, "Source options", "Symbolization: local, fastlocal, remote, none, force, demangle=default|templates|full|none"},
	{"buildid", OPT_STRING, F(buildid), NULL, "Source options", "Override build id for first mapping"},
	{"add_comment", OPT_STRING, F(add_comment), NULL, "Source options", "Annotation string to record in the profile"},
	{"all_frames", OPT_BOOL, F(all_frames), NULL, "Source options", "Ignore drop_frames and keep_frames regexps"},
	{"seconds", OPT_INT, F(seconds), NULL, "Source options", "Length of time for dynamic profiles (?seconds= of a URL)"},
	{"timeout", OPT_INT, F(timeout), NULL, "Source options", "Timeout in seconds for fetching a profile (default 1.5 x seconds, else 60)"},
	{"tls_cert", OPT_STRING, F(tls_cert), NULL, "Source options", "TLS client certificate file for fetching profile and symbols"},
	{"tls_key", OPT_STRING, F(tls_key), NULL, "Source options", "TLS private key file for fetching profile and symbols"},
	{"tls_ca", OPT_STRING, F(tls_ca), NULL, "Source options", "TLS CA certs file for fetching profile and symbols"},
	{"tools", OPT_STRING, F(tools), NULL, "Source options", "Path for object tool pathnames (accepted, unused: tools are built in)"},

	{"inuse_space", OPT_BOOL, F(inuse_space), NULL, "Legacy convenience options", "Same as -sample_index=inuse_space"},
	{"inuse_objects", OPT_BOOL, F(inuse_objects), NULL, "Legacy convenience options", "Same as -sample_index=inuse_objects"},
	{"alloc_space", OPT_BOOL, F(alloc_space), NULL, "Legacy convenience options", "Same as -sample_index=alloc_space"},
	{"alloc_objects", OPT_BOOL, F(alloc_objects), NULL, "Legacy convenience options", "Same as -sample_index=alloc_objects"},
	{"total_delay", OPT_BOOL, F(total_delay), NULL, "Legacy convenience options", "Same as -sample_index=delay"},
	{"contentions", OPT_BOOL, F(contentions), NULL, "Legacy convenience options", "Same as -sample_index=contentions"},
	{"mean_delay", OPT_BOOL, F(mean_delay), NULL, "Legacy convenience options", "Same as -mean -sample_index=delay"},

	{"help", OPT_BOOL, F(help), NULL, "Misc", "Print this help and exit"},
	{"version", OPT_BOOL, F(version), NULL, "Misc", "Print the version and linked library versions"},
};
const size_t cprof_nopts = CPROF_ARRAY_SIZE(cprof_opts);

void cprof_config_init(struct cprof_config *c)
{
	memset(c, 0, sizeof(*c));
	cprof_report_config_init(&c->rc);
	c->seconds = -1;
	c->timeout = -1;
	c->tools = getenv("PPROF_TOOLS") ? getenv("PPROF_TOOLS") : "";
}

#define FIELD(c, off, type) ((type *)(void *)((char *)(c) + (off)))

static const struct cprof_opt *find_opt(const char *name, size_t len)
{
	for (size_t i = 0; i < cprof_nopts; i++)
		if (strlen(cprof_opts[i].name) == len && !strncmp(cprof_opts[i].name, name, len))
			return &cprof_opts[i];
	return NULL;
}

/* Go's strconv.ParseBool */
static int parse_bool(const char *v, bool *out)
{
	static const char *const t[] = {"1", "t", "T", "TRUE", "true", "True"};
	static const char *const f[] = {"0", "f", "F", "FALSE", "false", "False"};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(t); i++) {
		if (!strcmp(v, t[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(v, f[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* Go's strconv.ParseInt(v, 0, 64) as flag.Int uses (int range). */
static int parse_int(const char *v, int *out)
{
	char *end;
	const char *s = v;
	int base = 10;
	bool neg = false;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2;
	else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		base = 2, s += 2;
	else if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
		base = 8, s += 2;
	else if (s[0] == '0' && s[1])
		base = 8, s += 1;
	if (!*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	long long x = strtoll(s, &end, base);
	if (*end || errno || x > 2147483647LL || x < -2147483648LL)
		return -1;
	*out = (int)(neg ? -x : x);
	return 0;
}

static int parse_float(const char *v, double *out)
{
	char *end;
	if (!*v || isspace((unsigned char)*v))
		return -1;
	errno = 0;
	double d = strtod(v, &end);
	if (*end || errno == ERANGE)
		return -1;
	*out = d;
	return 0;
}

static int set_value(struct cprof_config *c, const struct cprof_opt *o, const char *val,
		     bool has_val, struct cprof_error *err)
{
	bool b = true;
	switch (o->kind) {
	case OPT_BOOL:
	case OPT_CHOICE:
		if (has_val && parse_bool(val, &b))
			return cprof_error_set(err, CPROF_E_USAGE,
					       "invalid boolean value \"%s\" for -%s: parse error", val, o->name);
		if (o->kind == OPT_BOOL) {
			*FIELD(c, o->offset, bool) = b;
		} else if (b) {
			/* conflicts between choices are found in cprof_config_finish */
			*FIELD(c, o->offset, const char *) = o->choice;
		}
		return 0;
	case OPT_INT:
		if (parse_int(val, FIELD(c, o->offset, int)))
			return cprof_error_set(err, CPROF_E_USAGE, "invalid value \"%s\" for flag -%s: parse error",
					       val, o->name);
		return 0;
	case OPT_FLOAT:
		if (parse_float(val, FIELD(c, o->offset, double)))
			return cprof_error_set(err, CPROF_E_USAGE, "invalid value \"%s\" for flag -%s: parse error",
					       val, o->name);
		return 0;
	case OPT_STRING:
		*FIELD(c, o->offset, const char *) = val;
		return 0;
	case OPT_FORMAT:
		if (o->choice) {
			c->format_arg[o->offset] = val;
		} else {
			if (has_val && parse_bool(val, &b))
				return cprof_error_set(err, CPROF_E_USAGE,
						       "invalid boolean value \"%s\" for -%s: parse error", val,
						       o->name);
			c->format_flag[o->offset] = b;
		}
		return 0;
	}
	return 0;
}

static bool takes_value(const struct cprof_opt *o)
{
	switch (o->kind) {
	case OPT_BOOL:
	case OPT_CHOICE:
		return false;
	case OPT_FORMAT:
		return o->choice != NULL;
	default:
		return true;
	}
}

/* choice flags seen, in command-line order, for pprof's conflict message */
static const struct cprof_opt *choices_seen[64];
static size_t nchoices_seen;

int cprof_config_parse(struct cprof_config *c, int argc, char **argv, struct cprof_error *err)
{
	int i = 0;
	nchoices_seen = 0;
	while (i < argc) {
		const char *a = argv[i];
		if (a[0] != '-' || a[1] == '\0')
			break; /* first non-flag argument */
		const char *name = a + 1;
		if (name[0] == '-') {
			name++;
			if (name[0] == '\0') {
				i++; /* "--" ends the flags */
				break;
			}
		}
		if (name[0] == '-' || name[0] == '=')
			return cprof_error_set(err, CPROF_E_USAGE, "bad flag syntax: %s", a);
		const char *eq = strchr(name, '=');
		size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
		const struct cprof_opt *o = find_opt(name, nlen);
		if (!o) {
			if (nlen == 1 && name[0] == 'h')
				o = find_opt("help", 4);
			else
				return cprof_error_set(err, CPROF_E_USAGE, "flag provided but not defined: -%.*s",
						       (int)nlen, name);
		}
		i++;
		const char *val = NULL;
		bool has_val = eq != NULL;
		if (eq) {
			val = eq + 1;
		} else if (takes_value(o)) {
			if (i >= argc)
				return cprof_error_set(err, CPROF_E_USAGE, "flag needs an argument: -%s", o->name);
			val = argv[i++];
			has_val = true;
		}
		if (set_value(c, o, val, has_val, err))
			return -1;
		if (o->kind == OPT_CHOICE) {
			bool on = true;
			if (has_val)
				parse_bool(val, &on);
			size_t k;
			for (k = 0; k < nchoices_seen; k++)
				if (choices_seen[k] == o)
					break;
			if (on && k == nchoices_seen && nchoices_seen < CPROF_ARRAY_SIZE(choices_seen))
				choices_seen[nchoices_seen++] = o;
			if (!on && k < nchoices_seen) {
				memmove(&choices_seen[k], &choices_seen[k + 1],
					(nchoices_seen - k - 1) * sizeof(choices_seen[0]));
				nchoices_seen--;
			}
		}
	}
	return i;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int cprof_config_finish(struct cprof_config *c, enum cprof_format *format, const char **format_arg,
			struct strbuf *notes, struct cprof_error *err)
{
	/* conflicting choices within one group (sort, granularity) */
	for (size_t k = 0; k < nchoices_seen; k++) {
		const char *set[16];
		size_t nset = 0;
		for (size_t m = 0; m < nchoices_seen && nset < 16; m++)
			if (choices_seen[m]->offset == choices_seen[k]->offset)
				set[nset++] = choices_seen[m]->choice;
		if (nset > 1) {
			struct strbuf sb = STRBUF_INIT;
			qsort(set, nset, sizeof(set[0]), cmp_str);
			for (size_t m = 0; m < nset; m++)
				strbuf_addf(&sb, "%s%s", m ? " " : "", set[m]);
			cprof_error_set(err, CPROF_E_USAGE, "conflicting options set: [%s]", sb.buf);
			strbuf_release(&sb);
			return -1;
		}
	}

	*format = CPROF_FMT_NONE;
	*format_arg = NULL;
	for (int f = 1; f < CPROF_FMT__COUNT; f++) {
		bool on = c->format_flag[f] || (c->format_arg[f] && c->format_arg[f][0]);
		if (!on)
			continue;
		if (*format != CPROF_FMT_NONE)
			return cprof_error_set(err, CPROF_E_USAGE, "must set at most one output format");
		*format = (enum cprof_format)f;
		*format_arg = c->format_arg[f];
	}

	if ((c->base && c->base[0]) && (c->diff_base && c->diff_base[0]))
		return cprof_error_set(err, CPROF_E_USAGE, "-base and -diff_base flags cannot both be specified");

	/* legacy sample index aliases, in pprof's order */
	static const struct {
		size_t off;
		const char *index, *flag;
	} aliases[] = {
		{F(total_delay), "delay", "-total_delay"},
		{F(mean_delay), "delay", "-mean_delay"},
		{F(contentions), "contentions", "-contentions"},
		{F(inuse_space), "inuse_space", "-inuse_space"},
		{F(inuse_objects), "inuse_objects", "-inuse_objects"},
		{F(alloc_space), "alloc_space", "-alloc_space"},
		{F(alloc_objects), "alloc_objects", "-alloc_objects"},
	};
	for (size_t k = 0; k < CPROF_ARRAY_SIZE(aliases); k++) {
		if (!*FIELD(c, aliases[k].off, bool))
			continue;
		if (!c->rc.sample_index[0])
			c->rc.sample_index = aliases[k].index;
		else if (notes)
			strbuf_addf(notes, "Multiple value selections, ignoring %s\n", aliases[k].flag);
	}
	if (c->mean_delay)
		c->rc.mean = true;

	bool have_base = (c->base && c->base[0]) || (c->diff_base && c->diff_base[0]);
	if (c->rc.normalize && !have_base)
		return cprof_error_set(err, CPROF_E_USAGE, "must have base profile to normalize by");
	return 0;
}

void cprof_usage(FILE *f)
{
	fputs("usage: cprof [options] [binary] <profile or URL> ...\n"
	      "       cprof <command> [options] [args]\n"
	      "\n"
	      "Reads pprof profiles (profile.proto, gzipped or not, and the legacy formats),\n"
	      "from files or fetched from URLs (http://host:port/debug/pprof/profile,\n"
	      "https://, https+insecure://, host:port/path), and prints the report chosen\n"
	      "by one output format flag; without one it starts pprof's interactive\n"
	      "shell on them (commands from a terminal, or a script on standard input:\n"
	      "top, list, peek, focus=..., help, o, q; see \"INTERACTIVE SHELL\" in cprof(1)).\n"
	      "Flags take one or two dashes and a value as -flag=value or -flag value; they\n"
	      "must come before the profiles. An executable given before the profiles names\n"
	      "the main binary.\n",
	      f);
	fputs("\n  Commands:\n", f);
	for (unsigned i = 0; i < cprof_ncommands; i++)
		fprintf(f, "    %-24s %s\n", cprof_commands[i].name, cprof_commands[i].summary);
	const char *section = NULL;
	for (size_t i = 0; i < cprof_nopts; i++) {
		const struct cprof_opt *o = &cprof_opts[i];
		if (!section || strcmp(section, o->section)) {
			section = o->section;
			fprintf(f, "\n  %s:\n", section);
		}
		char name[64];
		const char *arg = "";
		switch (o->kind) {
		case OPT_INT:
			arg = "=N";
			break;
		case OPT_FLOAT:
			arg = "=F";
			break;
		case OPT_STRING:
			arg = "=S";
			break;
		case OPT_FORMAT:
			arg = o->choice ? "=REGEX" : "";
			break;
		default:
			break;
		}
		snprintf(name, sizeof(name), "-%s%s", o->name, arg);
		fprintf(f, "    %-24s %s\n", name, o->help);
	}
	cprof_limits_usage(f);
	fputs("\n  A fetched profile is saved as $PPROF_TMPDIR/pprof.<binary>.<types>.NNN.pb.gz\n"
	      "  (default $HOME/pprof); PPROF_BINARY_PATH: where binaries are looked for.\n",
	      f);
	fputs("\n  Exit status: 0 success, 2 error (bad input), 64 usage error.\n"
	      "  See cprof(1) for details and the differences from go tool pprof.\n",
	      f);
}
