/*
 * session.h - the driver: profiles loaded once, reports asked any number
 * of times (pprof's internal/driver, with its per-command copy replaced by
 * caches).
 *
 *   sources ──► cprof_session_open()  read, locate binaries, merge, -base,
 *               symbolize, drop_frames, add_comment, validate: once
 *                        │
 *   request ──► cprof_session_report() tag frames, filters, aggregation,
 *   (format,                            report: per request, reusing what an
 *    config)                            earlier request with the same inputs made
 *
 * Three front ends ask it: the batch command line (src/ui/batch.c: one
 * request, then exit), the interactive shell (src/ui/shell.c) and the web
 * UI. None of them filters, aggregates or renders by itself.
 *
 * A request's error is returned and leaves the session as it was, so a
 * shell or a server goes on after a bad regexp.
 */
#ifndef CPROF_SESSION_H
#define CPROF_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include "cprof/arena.h"
#include "cprof/error.h"
#include "cprof/profile.h"
#include "cprof/report.h"
#include "cprof/strbuf.h"
#include "cprof/transform.h"

/* ---- report configuration (pprof's config, internal/driver/config.go) ------ */

/*
 * Every setting a report request may carry, with pprof's names. Strings
 * are never NULL once initialised ("" when unset) and are not owned: they
 * point at literals, at argv, or into an arena the caller keeps (see
 * cprof_report_config_set), so a config is copied with `=`.
 */
struct cprof_report_config {
	const char *output; /* "" = standard output */
	bool call_tree, relative_percentages, compact_labels, intel_syntax, mean, normalize;
	const char *unit;
	const char *source_path, *trim_path;
	const char *sample_index; /* "" = the profile's default */
	double divide_by;
	const char *sort; /* "flat" or "cum" */
	const char *tagroot, *tagleaf;
	bool drop_negative;
	int nodecount; /* -1 = the report's default */
	double nodefraction, edgefraction;
	bool trim;
	struct cprof_filter_opts filter;
	bool noinlines;
	const char *granularity; /* functions, filefunctions, files, lines, addresses */
};

/* pprof's defaultConfig(). */
void cprof_report_config_init(struct cprof_report_config *c);

enum cprof_config_type { CPROF_CFG_STRING, CPROF_CFG_INT, CPROF_CFG_FLOAT, CPROF_CFG_BOOL };

/*
 * One configurable field, in pprof's configFields order. A field with
 * choices (sort, granularity) is also set by naming a choice as a boolean
 * ("cum=true", or "-cum" on the command line).
 */
struct cprof_config_field {
	const char *name;     /* "nodecount" */
	const char *urlparam; /* "n", or NULL when not kept in URLs */
	bool saved;           /* kept in a saved web UI configuration */
	enum cprof_config_type type;
	size_t offset;                /* into struct cprof_report_config */
	const char *const *choices;   /* NULL-terminated, or NULL */
	const char *help;             /* pprof's configHelp text, "\n"-terminated lines */
};
extern const struct cprof_config_field cprof_config_fields[];
extern const size_t cprof_nconfig_fields;

/*
 * The field that `name` sets: a field name or one of its choices; NULL if
 * none. *is_choice tells which (may be NULL).
 */
const struct cprof_config_field *cprof_config_field_find(const char *name, bool *is_choice);
/* pprof's help text of a choice ("cum", "lines", ...), or NULL. */
const char *cprof_config_choice_help(const char *choice);
/* pprof's isBoolConfig: a boolean field or a choice. */
bool cprof_config_is_bool(const char *name);

/*
 * pprof's configure(name, value): set a field by name (or a choice, when
 * value parses as true), with pprof's parsing and messages ("strconv.Atoi:
 * parsing \"x\": invalid syntax", "invalid \"sort\" value \"x\"",
 * "unknown config field \"x\"", "illegal value \"x\" for bool variable").
 * A string value is copied into arena. Returns 0 or -1 with err set;
 * on error c is unchanged.
 */
int cprof_report_config_set(struct cprof_report_config *c, const char *name, const char *value,
			    struct cprof_arena *arena, struct cprof_error *err);
/* A field's value as pprof prints it (fmt.Sprint), into out (replaced). */
void cprof_report_config_get(const struct cprof_report_config *c, const struct cprof_config_field *f,
			     struct strbuf *out);

/* ---- the session --------------------------------------------------------- */

struct cprof_objtool;
struct cprof_session;

struct cprof_session_opts {
	const char *const *sources; /* files or URLs, merged */
	size_t nsources;
	const char *exec;    /* the binary named on the command line, or NULL */
	const char *buildid; /* -buildid or a build id before the sources, or NULL */
	const char *base;    /* -base or -diff_base source, or NULL */
	bool diff_base;
	bool normalize;
	const char *symbolize; /* -symbolize, or NULL */
	bool all_frames;
	const char *add_comment;
	/* URL sources */
	int seconds, timeout; /* -1 = pprof's default */
	const char *tls_cert, *tls_key, *tls_ca;
	/*
	 * Called when the notes so far should be shown at once (before
	 * waiting for a profile of -seconds=30); NULL: they wait for the end.
	 */
	void (*notes_ready)(void *ctx, struct strbuf *notes);
	void *notes_ctx;
	/*
	 * The session answers one request (the batch command line): its steps
	 * may change the loaded profile instead of a copy, which saves the
	 * copy's time and memory. Later requests then fail.
	 */
	bool one_shot;
};

/*
 * Load the sources. A source that is not a local file and is a URL by
 * pprof's rules (http://, https://, https+insecure://, host:port/path) is
 * fetched; when one was, the loaded profile is saved under $PPROF_TMPDIR
 * as pprof saves it. Messages pprof prints while fetching (warnings about
 * missing binaries, "Fetching profile over HTTP from ...", "Saved profile
 * in ...") are appended to notes. On error returns -1 with err set, its subject (a file name) in
 * *subject when the error concerns one source ("" otherwise).
 */
int cprof_session_open(struct cprof_session **out, const struct cprof_session_opts *o,
		       struct strbuf *notes, const char **subject, struct cprof_error *err);
void cprof_session_free(struct cprof_session *s);

/* The loaded profile (merged, base applied, symbolized). */
const struct cprof_profile *cprof_session_profile(const struct cprof_session *s);
/* The names of the loaded profile's sample types, in order. */
size_t cprof_session_sample_types(const struct cprof_session *s, const char ***names);
/* The object tool of the session (opens binaries for -list, -disasm). */
struct cprof_objtool *cprof_session_objtool(struct cprof_session *s);

struct cprof_request {
	enum cprof_format format;
	const char *arg; /* the regexp of list, disasm, weblist, peek; NULL if none */
	struct cprof_report_config cfg;
	/*
	 * Where -traces and -folded go while they are made (see
	 * cprof_report.spill); NULL: all of it stays in out.
	 */
	void (*spill)(void *ctx, struct strbuf *out);
	void *spill_ctx;
};

/*
 * Run one report into out (appended). What pprof prints on its standard
 * error while making it ("Focus expression matched no samples", ...) is
 * appended to notes. Returns 0, or -1 with err set; the session is
 * unchanged either way. The output file, viewer and terminal rules are
 * the front end's (src/driver/output.c).
 */
int cprof_session_report(struct cprof_session *s, const struct cprof_request *rq, struct strbuf *out,
			 struct strbuf *notes, struct cprof_error *err);

/*
 * The profile's header lines (File, Build ID, Type, Time, Duration...) as
 * a report with cfg would print them, one per line, and whether its total
 * is zero (pprof's greetings: the interactive shell's banner).
 */
int cprof_session_labels(struct cprof_session *s, const struct cprof_report_config *cfg,
			 struct strbuf *out, bool *zero_total, struct strbuf *notes, struct cprof_error *err);

/* The distinct function names of the profile, sorted (shell completion). */
size_t cprof_session_function_names(struct cprof_session *s, const char *const **names);

#endif
