/*
 * session_internal.h - what the driver's files share (src/driver/), not
 * part of the public API.
 */
#ifndef CPROF_SESSION_INTERNAL_H
#define CPROF_SESSION_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "cprof/session.h"

/*
 * The remote side of a session (src/driver/fetch.c): URLs among the
 * sources fetched, where each fetched mapping came from, and the copy of
 * the loaded profile saved when one was fetched.
 */
struct cprof_fetch;
struct cprof_fetch *cprof_fetch_new(const struct cprof_session_opts *o);
void cprof_fetch_free(struct cprof_fetch *f);
/*
 * Fetch the URLs among srcs (not local files, and URLs by pprof's rules),
 * all at once, as pprof fetches its sources concurrently: "Fetching
 * profile over HTTP from URL" (and "Please wait... (30s)") to notes,
 * which are shown first (o->notes_ready). cprof_read_source() then takes
 * the answers. Call it again for more sources.
 */
void cprof_fetch_start(struct cprof_fetch *f, const char *const *srcs, size_t n, struct strbuf *notes);
/*
 * Go's cmd/pprof adjustURL: whether source is a URL, the URL to fetch
 * (into out, replaced) and the time the request may take (-timeout, else
 * 1.5 x the seconds of -seconds or of the URL, else 60 s; plus 5 s).
 * seconds and timeout: the flags (-1 when not given).
 */
bool cprof_fetch_adjust_url(const char *source, int seconds, int timeout, struct strbuf *out, int64_t *timeout_ms);
/*
 * Read one source: the answer of a URL fetched by cprof_fetch_start() (*url
 * then the URL fetched), or a local file (*url NULL). f may be NULL. Same
 * contract as cprof_read_profile().
 */
int cprof_read_source(struct cprof_fetch *f, const char *source, struct cprof_profile **out, const char **url,
		      struct strbuf *notes, struct cprof_error *err);
/*
 * pprof's collectMappingSources, for a profile fetched from url once its
 * binaries are located: what remote symbolization asks about; a mapping
 * with no file and no build id gets url as its file meanwhile.
 */
void cprof_fetch_collect_sources(struct cprof_fetch *f, struct cprof_profile *p, const char *url);
/* The remote step of symbolization (cprof_symbolize_opts.remote_fn); ctx: the fetch. */
int cprof_fetch_symbolize(struct cprof_profile *p, bool force, void *ctx, struct strbuf *notes,
			  struct cprof_error *err);
/* pprof's unsourceMappings: mapping files that are URLs (and no build id) become "". */
void cprof_unsource_mappings(struct cprof_profile *p);
/*
 * When a source was fetched, save p as pprof does ("Saved profile in
 * FILE", or "Could not save profile: ..." to notes).
 */
void cprof_fetch_save(struct cprof_fetch *f, const struct cprof_profile *p, struct strbuf *notes);

/* pprof's isBuildID: a non-empty string of hex digits. */
bool cprof_is_build_id(const char *s);
/* Whether path is an ELF file (the binary named before the profiles). */
bool cprof_is_object_file(const char *path);

#endif
