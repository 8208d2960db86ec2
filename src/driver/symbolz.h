/*
 * symbolz.h - remote symbolization, pprof's symbolz protocol
 * (src/driver/symbolz.c).
 *
 * A profile fetched from a server whose mappings have no function names
 * asks the server's symbol handler, found beside the profile's URL
 * (".../debug/pprof/profile" gives ".../debug/pprof/symbol", other paths
 * "/symbolz"), by a POST of its addresses:
 *
 *   request   0x4cb73c+0x4cb8e0+0x46ab21
 *   response  num_symbols: 1
 *             0x4cb73c main.fill
 *             0x4cb8e0 main.main
 *
 * Each response line that holds "0x<hex><white space><name>" names an
 * address (Go's regexp `(0x[[:xdigit:]]+)\s+(.*)`, anywhere in the line);
 * other lines are ignored, and so is a last line without its newline.
 */
#ifndef CPROF_SYMBOLZ_H
#define CPROF_SYMBOLZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "cprof/error.h"
#include "cprof/profile.h"
#include "cprof/strbuf.h"

/* Where a fetched profile's mapping came from (pprof's MappingSources). */
struct cprof_mapping_source {
	const char *key;   /* the mapping's build id, or else its file */
	const char *url;   /* the URL the profile was fetched from */
	uint64_t start;    /* the mapping's start in that profile */
};

/* The request: POST body to url; 0 with the response body in out, or -1 with err set. */
typedef int (*cprof_symbolz_post)(void *ctx, const char *url, const char *body, size_t len, struct strbuf *out,
				  struct cprof_error *err);

/*
 * pprof's symbolz.Symbolize: every mapping without function names (any,
 * with force), not a pseudo file ("[vdso]"), with sources, asks the
 * symbol handler of its first source for the addresses of its locations
 * that have none, then gets a function per name (one line, no file, line
 * 0) and counts as having functions. -1 with err set when a request or
 * an address fails (pprof then gives up: no report).
 */
int cprof_symbolz(struct cprof_profile *p, bool force, const struct cprof_mapping_source *ms, size_t nms,
		  cprof_symbolz_post post, void *ctx, struct cprof_error *err);

/* pprof's symbolz(): the symbol handler's URL for a source URL, into out (replaced); false if none. */
bool cprof_symbolz_url(const char *source, struct strbuf *out);

/*
 * Read a response: fn(ctx, address, name, name length) for every line
 * that names an address, in order. -1 with err set for an address past
 * 64 bits (as pprof's strconv.ParseUint failure).
 */
int cprof_symbolz_parse(const char *data, size_t len, void (*fn)(void *ctx, uint64_t addr, const char *name, size_t n),
			void *ctx, struct cprof_error *err);

#endif
