/*
 * config.c - the report configuration every front end sets (session.h):
 * pprof's config fields in their order, with their URL parameter names,
 * help texts and parsing rules (Go 1.19 internal/driver/config.go,
 * commands.go), so that the shell's `name=value`, the web UI's query
 * parameters and its saved settings read and print as pprof's do.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cprof/session.h"
#include "cprof/units.h"

#define F(field) offsetof(struct cprof_report_config, field)
#define FIELD(c, off, type) ((type *)(void *)((char *)(c) + (off)))

static const char *const sort_choices[] = {"cum", "flat", NULL};
static const char *const granularity_choices[] = {"functions", "filefunctions", "files", "lines",
						  "addresses", NULL};

#define TAG_EXAMPLES                                                                               \
	"Use name=value syntax to limit the matching to a specific tag.\n"                         \
	"Numeric tag filter examples: 1kb, 1kb:10kb, memory=32mb:\n"                               \
	"String tag filter examples: foo, foo.*bar, mytag=foo.*bar\n"
#define MATCHING "Matching includes the function name, filename or object name.\n"

/*
 * pprof's configFields: struct order; saved = has a JSON name (kept in
 * settings.json); urlparam as its urlparam table. Help texts are pprof's,
 * byte for byte ("help <option>" prints them).
 */
const struct cprof_config_field cprof_config_fields[] = {
	{"output", NULL, false, CPROF_CFG_STRING, F(output), NULL,
	 "Output filename for file-based outputs\n"},
	{"call_tree", "calltree", true, CPROF_CFG_BOOL, F(call_tree), NULL,
	 "Create a context-sensitive call tree\n"
	 "Treat locations reached through different paths as separate.\n"},
	{"relative_percentages", "rel", true, CPROF_CFG_BOOL, F(relative_percentages), NULL,
	 "Show percentages relative to focused subgraph\n"
	 "If unset, percentages are relative to full graph before focusing\n"
	 "to facilitate comparison with original graph.\n"},
	{"unit", "unit", true, CPROF_CFG_STRING, F(unit), NULL,
	 "Measurement units to display\n"
	 "Scale the sample values to this unit.\n"
	 "For time-based profiles, use seconds, milliseconds, nanoseconds, etc.\n"
	 "For memory profiles, use megabytes, kilobytes, bytes, etc.\n"
	 "Using auto will scale each value independently to the most natural unit.\n"},
	{"compact_labels", "compact", true, CPROF_CFG_BOOL, F(compact_labels), NULL, "Show minimal headers"},
	{"source_path", NULL, false, CPROF_CFG_STRING, F(source_path), NULL, "Search path for source files"},
	{"trim_path", NULL, false, CPROF_CFG_STRING, F(trim_path), NULL,
	 "Path to trim from source paths before search"},
	{"intel_syntax", "intel", true, CPROF_CFG_BOOL, F(intel_syntax), NULL,
	 "Show assembly in Intel syntax\n"
	 "Only applicable to commands `disasm` and `weblist`\n"},
	{"mean", "mean", true, CPROF_CFG_BOOL, F(mean), NULL,
	 "Average sample value over first value (count)\n"
	 "For memory profiles, report average memory per allocation.\n"
	 "For time-based profiles, report average time per event.\n"},
	{"sample_index", "si", false, CPROF_CFG_STRING, F(sample_index), NULL,
	 "Sample value to report (0-based index or name)\n"
	 "Profiles contain multiple values per sample.\n"
	 "Use sample_index=i to select the ith value (starting at 0).\n"},
	{"divide_by", NULL, false, CPROF_CFG_FLOAT, F(divide_by), NULL,
	 "Ratio to divide all samples before visualization\n"
	 "Divide all samples values by a constant, eg the number of processors or jobs.\n"},
	{"normalize", "norm", true, CPROF_CFG_BOOL, F(normalize), NULL, "Scales profile based on the base profile.\n"},
	{"sort", "sort", true, CPROF_CFG_STRING, F(sort), sort_choices, NULL},
	{"tagroot", NULL, true, CPROF_CFG_STRING, F(tagroot), NULL,
	 "Adds pseudo stack frames for labels key/value pairs at the callstack root.\n"
	 "A comma-separated list of label keys.\n"
	 "The first key creates frames at the new root.\n"},
	{"tagleaf", NULL, true, CPROF_CFG_STRING, F(tagleaf), NULL,
	 "Adds pseudo stack frames for labels key/value pairs at the callstack leaf.\n"
	 "A comma-separated list of label keys.\n"
	 "The last key creates frames at the new leaf.\n"},
	{"drop_negative", "dropneg", true, CPROF_CFG_BOOL, F(drop_negative), NULL,
	 "Ignore negative differences\n"
	 "Do not show any locations with values <0.\n"},
	{"nodecount", "n", true, CPROF_CFG_INT, F(nodecount), NULL,
	 "Max number of nodes to show\n"
	 "Uses heuristics to limit the number of locations to be displayed.\n"
	 "On graphs, dotted edges represent paths through nodes that have been removed.\n"},
	{"nodefraction", "nf", true, CPROF_CFG_FLOAT, F(nodefraction), NULL, "Hide nodes below <f>*total"},
	{"edgefraction", "ef", true, CPROF_CFG_FLOAT, F(edgefraction), NULL, "Hide edges below <f>*total"},
	{"trim", "trim", true, CPROF_CFG_BOOL, F(trim), NULL,
	 "Honor nodefraction/edgefraction/nodecount defaults\n"
	 "Set to false to get the full profile, without any trimming.\n"},
	{"focus", "f", true, CPROF_CFG_STRING, F(filter.focus), NULL,
	 "Restricts to samples going through a node matching regexp\n"
	 "Discard samples that do not include a node matching this regexp.\n" MATCHING},
	{"ignore", "i", true, CPROF_CFG_STRING, F(filter.ignore), NULL,
	 "Skips paths going through any nodes matching regexp\n"
	 "If set, discard samples that include a node matching this regexp.\n" MATCHING},
	{"prune_from", "prunefrom", true, CPROF_CFG_STRING, F(filter.prune_from), NULL,
	 "Drops any functions below the matched frame.\n"
	 "If set, any frames matching the specified regexp and any frames\n"
	 "below it will be dropped from each sample.\n"},
	{"hide", "h", true, CPROF_CFG_STRING, F(filter.hide), NULL,
	 "Skips nodes matching regexp\n"
	 "Discard nodes that match this location.\n"
	 "Other nodes from samples that include this location will be shown.\n" MATCHING},
	{"show", "s", true, CPROF_CFG_STRING, F(filter.show), NULL,
	 "Only show nodes matching regexp\n"
	 "If set, only show nodes that match this location.\n" MATCHING},
	{"show_from", "sf", true, CPROF_CFG_STRING, F(filter.show_from), NULL,
	 "Drops functions above the highest matched frame.\n"
	 "If set, all frames above the highest match are dropped from every sample.\n" MATCHING},
	{"tagfocus", "tf", true, CPROF_CFG_STRING, F(filter.tagfocus), NULL,
	 "Restricts to samples with tags in range or matched by regexp\n" TAG_EXAMPLES},
	{"tagignore", "ti", true, CPROF_CFG_STRING, F(filter.tagignore), NULL,
	 "Discard samples with tags in range or matched by regexp\n" TAG_EXAMPLES},
	{"tagshow", "ts", true, CPROF_CFG_STRING, F(filter.tagshow), NULL,
	 "Only consider tags matching this regexp\n"
	 "Discard tags that do not match this regexp\n"},
	{"taghide", "th", true, CPROF_CFG_STRING, F(filter.taghide), NULL,
	 "Skip tags matching this regexp\n"
	 "Discard tags that match this regexp\n"},
	{"noinlines", "noinlines", true, CPROF_CFG_BOOL, F(noinlines), NULL,
	 "Ignore inlines.\n"
	 "Attributes inlined functions to their first out-of-line caller.\n"},
	{"granularity", "g", true, CPROF_CFG_STRING, F(granularity), granularity_choices, NULL},
};
const size_t cprof_nconfig_fields = CPROF_ARRAY_SIZE(cprof_config_fields);

static const struct {
	const char *name, *help;
} choice_help[] = {
	{"flat", "Sort entries based on own weight\n"},
	{"cum", "Sort entries based on cumulative weight\n"},
	{"functions", "Aggregate at the function level.\n"
		      "Ignores the filename where the function was defined.\n"},
	{"filefunctions", "Aggregate at the function level.\n"
			  "Takes into account the filename where the function was defined.\n"},
	{"files", "Aggregate at the file level."},
	{"lines", "Aggregate at the source code line level."},
	{"addresses", "Aggregate at the address level.\n"
		      "Includes functions' addresses in the output.\n"},
};

const char *cprof_config_choice_help(const char *choice)
{
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(choice_help); i++)
		if (!strcmp(choice_help[i].name, choice))
			return choice_help[i].help;
	return NULL;
}

void cprof_report_config_init(struct cprof_report_config *c)
{
	memset(c, 0, sizeof(*c));
	c->output = c->unit = c->source_path = c->trim_path = c->sample_index = "";
	c->tagroot = c->tagleaf = "";
	c->filter.focus = c->filter.ignore = c->filter.hide = c->filter.show = "";
	c->filter.show_from = c->filter.prune_from = c->filter.tagfocus = c->filter.tagignore = "";
	c->filter.tagshow = c->filter.taghide = "";
	c->unit = "minimum";
	c->nodecount = -1;
	c->nodefraction = 0.005;
	c->edgefraction = 0.001;
	c->trim = true;
	c->divide_by = 1.0;
	c->sort = "flat";
	c->granularity = "functions";
}

const struct cprof_config_field *cprof_config_field_find(const char *name, bool *is_choice)
{
	for (size_t i = 0; i < cprof_nconfig_fields; i++) {
		const struct cprof_config_field *f = &cprof_config_fields[i];
		if (!strcmp(f->name, name)) {
			if (is_choice)
				*is_choice = false;
			return f;
		}
		for (const char *const *ch = f->choices; ch && *ch; ch++)
			if (!strcmp(*ch, name)) {
				if (is_choice)
					*is_choice = true;
				return f;
			}
	}
	return NULL;
}

bool cprof_config_is_bool(const char *name)
{
	bool choice;
	const struct cprof_config_field *f = cprof_config_field_find(name, &choice);
	return f && (choice || f->type == CPROF_CFG_BOOL);
}

/* pprof's stringToBool: "" is true, as old pprof had it. */
static int string_to_bool(const char *s, bool *out)
{
	static const char *const t[] = {"true", "t", "yes", "y", "1", ""};
	static const char *const f[] = {"false", "f", "no", "n", "0"};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(t); i++)
		if (!strcasecmp(s, t[i]))
			return *out = true, 0;
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(f); i++)
		if (!strcasecmp(s, f[i]))
			return *out = false, 0;
	return -1;
}

/* Go's strconv.ParseBool. */
static int go_parse_bool(const char *s, bool *out)
{
	static const char *const t[] = {"1", "t", "T", "TRUE", "true", "True"};
	static const char *const f[] = {"0", "f", "F", "FALSE", "false", "False"};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(t); i++) {
		if (!strcmp(s, t[i]))
			return *out = true, 0;
		if (!strcmp(s, f[i]))
			return *out = false, 0;
	}
	return -1;
}

/*
 * Go's strconv.Atoi: optional sign, decimal digits (underscores are not
 * allowed in base 10). Go's int is 64 bits; a value beyond the int range
 * of this field is kept at its limit (a node count past every node means
 * the same).
 */
static int go_atoi(const char *s, int *out, struct cprof_error *err)
{
	const char *p = s;
	bool neg = false;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (!*p)
		goto syntax;
	unsigned long long v = 0;
	bool range = false;
	for (; *p; p++) {
		if (!isdigit((unsigned char)*p))
			goto syntax;
		if (v > (ULLONG_MAX - 9) / 10)
			range = true;
		else
			v = v * 10 + (unsigned)(*p - '0');
	}
	if (range || v > (neg ? (unsigned long long)INT64_MAX + 1 : (unsigned long long)INT64_MAX))
		return cprof_error_set(err, CPROF_E_USAGE, "strconv.Atoi: parsing \"%s\": value out of range", s);
	if (neg)
		*out = v > (unsigned long long)INT_MAX + 1 ? INT_MIN : (int)(0 - v);
	else
		*out = v > INT_MAX ? INT_MAX : (int)v;
	return 0;
syntax:
	return cprof_error_set(err, CPROF_E_USAGE, "strconv.Atoi: parsing \"%s\": invalid syntax", s);
}

/* Go's strconv.ParseFloat(s, 64), for the forms people type (no hex floats or underscores). */
static int go_parse_float(const char *s, double *out, struct cprof_error *err)
{
	const char *p = s;
	if (*p == '+' || *p == '-')
		p++;
	if (!strcasecmp(p, "inf") || !strcasecmp(p, "infinity")) {
		*out = *s == '-' ? -INFINITY : INFINITY;
		return 0;
	}
	if (!strcasecmp(p, "nan") && p == s) {
		*out = NAN;
		return 0;
	}
	/* digits [. digits] [e [sign] digits], at least one mantissa digit */
	const char *q = p;
	size_t digits = 0;
	while (isdigit((unsigned char)*q))
		q++, digits++;
	if (*q == '.')
		for (q++; isdigit((unsigned char)*q); q++)
			digits++;
	if (digits && (*q == 'e' || *q == 'E')) {
		const char *e = q + 1;
		if (*e == '+' || *e == '-')
			e++;
		if (!isdigit((unsigned char)*e))
			goto syntax;
		while (isdigit((unsigned char)*e))
			e++;
		q = e;
	}
	if (!digits || *q)
		goto syntax;
	errno = 0;
	double d = strtod(s, NULL);
	if (errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL))
		return cprof_error_set(err, CPROF_E_USAGE, "strconv.ParseFloat: parsing \"%s\": value out of range", s);
	*out = d;
	return 0;
syntax:
	return cprof_error_set(err, CPROF_E_USAGE, "strconv.ParseFloat: parsing \"%s\": invalid syntax", s);
}

/* pprof's cfg.set(f, value). */
static int set_field(struct cprof_report_config *c, const struct cprof_config_field *f, const char *value,
		     struct cprof_arena *arena, struct cprof_error *err)
{
	switch (f->type) {
	case CPROF_CFG_STRING:
		if (f->choices) {
			for (const char *const *ch = f->choices; *ch; ch++)
				if (!strcmp(*ch, value)) {
					*FIELD(c, f->offset, const char *) = *ch;
					return 0;
				}
			return cprof_error_set(err, CPROF_E_USAGE, "invalid \"%s\" value \"%s\"", f->name, value);
		}
		*FIELD(c, f->offset, const char *) =
			*value ? cprof_arena_strndup(arena, value, strlen(value)) : "";
		return 0;
	case CPROF_CFG_INT:
		return go_atoi(value, FIELD(c, f->offset, int), err);
	case CPROF_CFG_FLOAT:
		return go_parse_float(value, FIELD(c, f->offset, double), err);
	case CPROF_CFG_BOOL:
		if (string_to_bool(value, FIELD(c, f->offset, bool)))
			return cprof_error_set(err, CPROF_E_USAGE, "illegal value \"%s\" for bool variable", value);
		return 0;
	}
	return 0;
}

int cprof_report_config_set(struct cprof_report_config *c, const char *name, const char *value,
			    struct cprof_arena *arena, struct cprof_error *err)
{
	bool choice;
	const struct cprof_config_field *f = cprof_config_field_find(name, &choice);
	if (!f)
		return cprof_error_set(err, CPROF_E_USAGE, "unknown config field \"%s\"", name);
	if (!choice)
		return set_field(c, f, value, arena, err);
	bool on;
	if (!go_parse_bool(value, &on) && on)
		return set_field(c, f, name, arena, err);
	return cprof_error_set(err, CPROF_E_USAGE, "unknown config field \"%s\"", name);
}

void cprof_report_config_get(const struct cprof_report_config *c, const struct cprof_config_field *f,
			     struct strbuf *out)
{
	strbuf_reset(out);
	switch (f->type) {
	case CPROF_CFG_STRING:
		strbuf_addstr(out, *FIELD(c, f->offset, const char *const));
		break;
	case CPROF_CFG_INT:
		strbuf_addf(out, "%d", *FIELD(c, f->offset, const int));
		break;
	case CPROF_CFG_FLOAT:
		cprof_go_float(*FIELD(c, f->offset, const double), out);
		break;
	case CPROF_CFG_BOOL:
		strbuf_addstr(out, *FIELD(c, f->offset, const bool) ? "true" : "false");
		break;
	}
}
