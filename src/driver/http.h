/*
 * http.h - HTTP requests for remote sources and symbols (src/driver/http.c,
 * libcurl in process): GET or POST, several at once, each bounded in
 * time and in the bytes it may bring.
 *
 * pprof's transport rules: "https+insecure://" is https without
 * certificate checks; -tls_cert and -tls_key (both or neither) give a
 * client certificate, -tls_ca the only CAs trusted; redirects are
 * followed (10 at most); a status other than 200 is pprof's
 * statusCodeError ("server response: 404 Not Found", with " - <first line
 * of the body>" when the server is a Go pprof handler: an X-Go-Pprof
 * header and a text/plain body).
 */
#ifndef CPROF_HTTP_H
#define CPROF_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include "cprof/error.h"
#include "cprof/strbuf.h"

struct cprof_http_tls {
	const char *cert, *key, *ca; /* files, NULL or "" for none */
};

struct cprof_http_req {
	/* in */
	const char *url;  /* http://, https:// or https+insecure:// */
	const char *post; /* the body of a POST, NULL for a GET */
	size_t postlen;
	int64_t timeout_ms; /* the whole request, connection to last byte */
	uint64_t max_body;  /* bytes of the body at most; past them the request fails */
	/* out */
	int rc; /* 0, or -1 with err set (never naming the URL: the caller does) */
	struct cprof_error err;
	struct strbuf body; /* the body of a 200 answer */
	/* private to http.c */
	void *priv;
};

/*
 * Run the n requests at once and wait for all of them. Each gets rc, err
 * and body; body is released by the caller.
 */
void cprof_http_run(struct cprof_http_req *reqs, size_t n, const struct cprof_http_tls *tls);

/* libcurl's version ("7.88.1"), for `cprof version`. */
const char *cprof_http_version(void);

#endif
