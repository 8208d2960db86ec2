/*
 * url.h - the part of Go's net/url that decides how pprof treats a source
 * (src/driver/url.c): whether it is a URL, and the URL it then fetches.
 *
 *   "localhost:6060/debug/pprof/heap?debug=1"
 *      └ url.Parse: scheme "localhost", opaque "6060/..." (no host)
 *      └ again as "http://localhost:6060/debug/pprof/heap?debug=1"
 *      └ query re-encoded (keys sorted, QueryEscape) ─► String()
 *
 * Only what pprof's fetch and symbolz use: Parse, String, Query and
 * Encode.
 */
#ifndef CPROF_URL_H
#define CPROF_URL_H

#include <stdbool.h>
#include <stddef.h>
#include "cprof/strbuf.h"

/* A parsed URL, Go's url.URL. Every string is owned ("" when absent). */
struct cprof_url {
	char *scheme;   /* lower case */
	char *opaque;   /* "scheme:opaque", no "//" */
	char *user;     /* userinfo as written (valid), NULL if none */
	char *host;     /* host[:port] as written */
	char *path;     /* decoded */
	char *raw_path; /* as written; NULL once path is set anew */
	bool force_query;
	char *raw_query;
	char *fragment; /* decoded */
	char *raw_fragment;
};

/* Go's url.Parse; -1 when Go would return an error. */
int cprof_url_parse(struct cprof_url *u, const char *s);
void cprof_url_release(struct cprof_url *u);
/* Go's URL.String(), appended to out. */
void cprof_url_string(const struct cprof_url *u, struct strbuf *out);
/* Replace the path (decoded), as assigning URL.Path does. */
void cprof_url_set_path(struct cprof_url *u, const char *path);

/* One key=value of a query, decoded (may hold NUL bytes). */
struct cprof_query_pair {
	char *key, *value;
	size_t klen, vlen;
};
/* url.Values: pairs in query order. */
struct cprof_query {
	struct cprof_query_pair *v;
	size_t n, alloc;
};

/* Go's ParseQuery, errors ignored as URL.Query() does. */
void cprof_query_parse(struct cprof_query *q, const char *raw);
void cprof_query_release(struct cprof_query *q);
/* Values.Get: the first value of key, or NULL. */
const struct cprof_query_pair *cprof_query_get(const struct cprof_query *q, const char *key);
/* Values.Set: key's values replaced by value. */
void cprof_query_set(struct cprof_query *q, const char *key, const char *value);
/* Values.Encode: sorted by key, each value QueryEscape'd; appended to out. */
void cprof_query_encode(const struct cprof_query *q, struct strbuf *out);

#endif
