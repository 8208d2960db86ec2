/*
 * http.c - HTTP requests with libcurl's multi interface (http.h).
 *
 * Every request of a run is one easy handle on one multi handle, so
 * several sources (a -seconds=30 profile from each of three servers) take
 * the time of one, as pprof fetches them concurrently. What comes back is
 * judged as Go's http client and pprof judge it:
 *
 *   HTTP/1.1 200 OK                     ─► the body (at most max_body bytes)
 *   HTTP/1.1 400 Bad Request
 *   X-Go-Pprof: 1
 *   Content-Type: text/plain; ...
 *
 *   profile duration exceeds ...        ─► "server response: 400 Bad Request -
 *                                           profile duration exceeds ..."
 *
 * Only the first line of an error body is kept (one error line), control
 * bytes shown as '?'. A transfer error becomes one lower-case line saying
 * what failed (connect, name lookup, TLS, timeout, body cut short).
 */
#include <curl/curl.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "src/driver/http.h"

#define ERROR_BODY_MAX 4096

struct xfer {
	struct cprof_http_req *rq;
	CURL *h;
	char *url;
	bool insecure;
	struct curl_slist *headers;
	char errbuf[CURL_ERROR_SIZE];
	/* the current response (redirects start a new one) */
	bool got_status, go_pprof, content_type_seen, text_plain;
	char status[128];
	long code;
	/* the body */
	bool over_limit, error_body_done;
	struct strbuf error_body;
};

/* "Failed to ..." reads "failed to ...", "OpenSSL ..." and "SSL ..." stay */
static void lower_first(char *s)
{
	if (s[0] < 'A' || s[0] > 'Z')
		return;
	for (const char *c = s + 1; *c && *c != ' ' && *c != ':'; c++)
		if (*c >= 'A' && *c <= 'Z')
			return;
	s[0] = (char)(s[0] - 'A' + 'a');
}

static size_t trim_len(const char *s, size_t n)
{
	while (n && (s[n - 1] == '\r' || s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n;
}

static bool header_is(const char *line, size_t n, const char *name, const char **value, size_t *vlen)
{
	size_t k = strlen(name);
	if (n <= k || strncasecmp(line, name, k) || line[k] != ':')
		return false;
	const char *v = line + k + 1;
	size_t vl = n - k - 1;
	while (vl && (*v == ' ' || *v == '\t'))
		v++, vl--;
	*value = v;
	*vlen = trim_len(v, vl);
	return true;
}

static size_t on_header(char *buf, size_t size, size_t nitems, void *ctx)
{
	struct xfer *x = ctx;
	size_t n = size * nitems;
	const char *v;
	size_t vl;

	if (n > 5 && !memcmp(buf, "HTTP/", 5)) {
		/* a status line: a new response (after a redirect or 100 Continue) */
		const char *sp = memchr(buf, ' ', n);
		x->got_status = true;
		x->go_pprof = x->content_type_seen = x->text_plain = false;
		x->status[0] = '\0';
		if (sp) {
			while (sp < buf + n && *sp == ' ')
				sp++;
			size_t sl = trim_len(sp, (size_t)(buf + n - sp));
			if (sl >= sizeof(x->status))
				sl = sizeof(x->status) - 1;
			memcpy(x->status, sp, sl);
			x->status[sl] = '\0';
		}
	} else if (header_is(buf, n, "X-Go-Pprof", &v, &vl)) {
		if (vl)
			x->go_pprof = true;
	} else if (!x->content_type_seen && header_is(buf, n, "Content-Type", &v, &vl)) {
		x->content_type_seen = true;
		for (size_t i = 0; i + 10 <= vl; i++)
			if (!memcmp(v + i, "text/plain", 10))
				x->text_plain = true;
	}
	return n;
}

static size_t on_body(char *buf, size_t size, size_t nmemb, void *ctx)
{
	struct xfer *x = ctx;
	size_t n = size * nmemb;
	long code = 0;
	curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
	x->code = code;
	if (code != 200) {
		/* only the start is needed */
		size_t room = ERROR_BODY_MAX - x->error_body.len;
		strbuf_add(&x->error_body, buf, n < room ? n : room);
		if (x->error_body.len >= ERROR_BODY_MAX || memchr(buf, '\n', n)) {
			x->error_body_done = true;
			return 0; /* stop: what is needed is here */
		}
		return n;
	}
	struct strbuf *b = &x->rq->body;
	if (b->len + n > x->rq->max_body || b->len + n < b->len) {
		x->over_limit = true;
		return 0;
	}
	strbuf_add(b, buf, n);
	return n;
}

/* pprof's statusCodeError, with the first line of the body only. */
static void status_error(struct xfer *x)
{
	const char *status = x->status[0] ? x->status : "";
	char line[256];
	size_t n = 0;
	if (x->go_pprof && x->text_plain) {
		const char *b = x->error_body.buf;
		size_t bl = strcspn(b, "\n");
		bl = trim_len(b, bl);
		for (size_t i = 0; i < bl && n < sizeof(line) - 4; i++) {
			unsigned char c = (unsigned char)b[i];
			line[n++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
		}
		if (n < bl)
			memcpy(line + n, "...", 3), n += 3;
		line[n] = '\0';
		cprof_error_set(&x->rq->err, CPROF_E_IO, "server response: %s - %s", status, line);
	} else {
		if (!status[0])
			snprintf(x->status, sizeof(x->status), "%ld", x->code), status = x->status;
		cprof_error_set(&x->rq->err, CPROF_E_IO, "server response: %s", status);
	}
}

/* The URL's host and port, for messages. */
static void host_port(const char *url, char *host, size_t hl, char *port, size_t pl)
{
	CURLU *u = curl_url();
	char *h = NULL, *p = NULL;
	snprintf(host, hl, "?");
	snprintf(port, pl, "?");
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK) {
		if (curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK)
			snprintf(host, hl, "%s", h);
		if (curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) == CURLUE_OK)
			snprintf(port, pl, "%s", p);
	}
	curl_free(h);
	curl_free(p);
	curl_url_cleanup(u);
}

static void transfer_error(struct xfer *x, CURLcode rc)
{
	struct cprof_error *err = &x->rq->err;
	char host[256], port[16], what[CURL_ERROR_SIZE + 64];
	double secs = (double)x->rq->timeout_ms / 1000;

	snprintf(what, sizeof(what), "%s", x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));
	what[trim_len(what, strlen(what))] = '\0';
	lower_first(what);
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		host_port(x->url, host, sizeof(host), port, sizeof(port));
		cprof_error_set(err, CPROF_E_IO, "unknown host '%s'", host);
		break;
	case CURLE_COULDNT_CONNECT: {
		long e = 0;
		curl_easy_getinfo(x->h, CURLINFO_OS_ERRNO, &e);
		host_port(x->url, host, sizeof(host), port, sizeof(port));
		if (e) {
			char es[128];
			snprintf(es, sizeof(es), "%s", strerror((int)e));
			lower_first(es);
			cprof_error_set(err, CPROF_E_IO, "cannot connect to %s port %s: %s", host, port, es);
		} else {
			cprof_error_set(err, CPROF_E_IO, "cannot connect to %s port %s: %s", host, port, what);
		}
		break;
	}
	case CURLE_OPERATION_TIMEDOUT:
		if (x->got_status)
			cprof_error_set(err, CPROF_E_IO, "timeout reading the response body after %gs (-timeout)", secs);
		else
			cprof_error_set(err, CPROF_E_IO, "timeout awaiting response headers after %gs (-timeout)", secs);
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
		cprof_error_set(err, CPROF_E_IO, "TLS: server certificate not trusted (-tls_ca, https+insecure://): %s",
				what);
		break;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		/* a TLS alert of the server (a client certificate it wants) arrives as a read error */
		cprof_error_set(err, CPROF_E_IO, "%s%s", strstr(what, "SSL") ? "TLS: " : "", what);
		break;
	case CURLE_SSL_CONNECT_ERROR:
		cprof_error_set(err, CPROF_E_IO, "TLS handshake failed: %s", what);
		break;
	case CURLE_SSL_CERTPROBLEM:
		cprof_error_set(err, CPROF_E_IO, "TLS: cannot use the client certificate of -tls_cert and -tls_key: %s",
				what);
		break;
	case CURLE_SSL_CACERT_BADFILE:
		cprof_error_set(err, CPROF_E_IO, "TLS: cannot use the CA certificates of -tls_ca: %s", what);
		break;
	case CURLE_FILESIZE_EXCEEDED:
		cprof_error_set(err, CPROF_E_LIMIT, "response body exceeds the limit of %llu bytes (-max_input_size)",
				(unsigned long long)x->rq->max_body);
		break;
	case CURLE_PARTIAL_FILE:
		cprof_error_set(err, CPROF_E_IO, "response body cut short after %zu bytes: unexpected EOF",
				x->rq->body.len);
		break;
	case CURLE_GOT_NOTHING:
		cprof_error_set(err, CPROF_E_IO, "server closed the connection without a response");
		break;
	case CURLE_WEIRD_SERVER_REPLY:
		cprof_error_set(err, CPROF_E_IO, "malformed HTTP response: %s", what);
		break;
	case CURLE_UNSUPPORTED_PROTOCOL:
		if (strstr(what, "HTTP/0.9"))
			cprof_error_set(err, CPROF_E_IO, "malformed HTTP response (no HTTP/1.x status line)");
		else
			cprof_error_set(err, CPROF_E_IO, "%s", what);
		break;
	case CURLE_TOO_MANY_REDIRECTS:
		cprof_error_set(err, CPROF_E_IO, "stopped after 10 redirects");
		break;
	default:
		cprof_error_set(err, CPROF_E_IO, "%s", what);
		break;
	}
}

/* pprof's transport checks of the -tls_* files, before any request. */
static int check_tls(const struct cprof_http_tls *t, struct cprof_error *err)
{
	bool cert = t && t->cert && *t->cert, key = t && t->key && *t->key;
	if (key && !cert)
		return cprof_error_set(err, CPROF_E_USAGE, "-tls_key is specified, so -tls_cert must also be specified");
	if (cert && !key)
		return cprof_error_set(err, CPROF_E_USAGE, "-tls_cert is specified, so -tls_key must also be specified");
	const char *files[] = {cert ? t->cert : NULL, key ? t->key : NULL, t && t->ca && *t->ca ? t->ca : NULL};
	for (size_t i = 0; i < 3; i++) {
		if (!files[i] || access(files[i], R_OK) == 0)
			continue;
		char es[128];
		snprintf(es, sizeof(es), "%s", strerror(errno));
		lower_first(es);
		if (i < 2)
			return cprof_error_set(err, CPROF_E_IO,
					       "could not load certificate/key pair specified by -tls_cert and -tls_key: "
					       "cannot open '%s': %s",
					       files[i], es);
		return cprof_error_set(err, CPROF_E_IO, "could not load CA specified by -tls_ca: cannot open '%s': %s",
				       files[i], es);
	}
	return 0;
}

static bool curl_ready(void)
{
	static int state; /* 0 not yet, 1 ready, -1 failed */
	if (!state)
		state = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 1 : -1;
	return state > 0;
}

/* Loopback addresses never go through a proxy, as Go's ProxyFromEnvironment. */
static void no_proxy_list(struct strbuf *out)
{
	const char *env = getenv("no_proxy");
	if (!env || !*env)
		env = getenv("NO_PROXY");
	if (env && *env)
		strbuf_addf(out, "%s,", env);
	strbuf_addstr(out, "localhost,127.0.0.0/8,::1");
}

static int setup(struct xfer *x, const struct cprof_http_tls *tls, const char *noproxy)
{
	struct cprof_http_req *rq = x->rq;
	static const char insecure[] = "https+insecure://";
	CURL *h = x->h = curl_easy_init();
	if (!h)
		return cprof_error_set(&rq->err, CPROF_E_IO, "cannot start an HTTP request");

	if (!strncasecmp(rq->url, insecure, sizeof(insecure) - 1)) {
		x->insecure = true;
		size_t n = strlen(rq->url) - (sizeof(insecure) - 1);
		x->url = cprof_xmalloc(n + sizeof("https://"));
		memcpy(x->url, "https://", 8);
		memcpy(x->url + 8, rq->url + sizeof(insecure) - 1, n + 1);
	} else {
		x->url = cprof_xstrdup(rq->url);
	}
	strbuf_init(&x->error_body, 0);
	curl_easy_setopt(h, CURLOPT_PRIVATE, x);
	curl_easy_setopt(h, CURLOPT_URL, x->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 10L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)rq->timeout_ms);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)rq->timeout_ms);
	curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "cprof/" CPROF_VERSION);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "gzip");
	curl_easy_setopt(h, CURLOPT_NOPROXY, noproxy);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
	if (rq->max_body < (uint64_t)INT64_MAX)
		curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)rq->max_body);
	if (x->insecure) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (tls && tls->cert && *tls->cert) {
		curl_easy_setopt(h, CURLOPT_SSLCERT, tls->cert);
		curl_easy_setopt(h, CURLOPT_SSLKEY, tls->key);
	}
	if (tls && tls->ca && *tls->ca) {
		/* as Go's RootCAs: these CAs only */
		curl_easy_setopt(h, CURLOPT_CAINFO, tls->ca);
		curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
	}
	if (rq->post) {
		x->headers = curl_slist_append(x->headers, "Content-Type: application/octet-stream");
		x->headers = curl_slist_append(x->headers, "Expect:");
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, x->headers);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->postlen);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, rq->post);
	}
	return 0;
}

static void finish(struct xfer *x, CURLcode rc)
{
	struct cprof_http_req *rq = x->rq;
	long code = 0;
	curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
	if (code)
		x->code = code;
	rq->rc = -1;
	if (x->over_limit) {
		cprof_error_set(&rq->err, CPROF_E_LIMIT, "response body exceeds the limit of %llu bytes (-max_input_size)",
				(unsigned long long)rq->max_body);
	} else if ((rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && x->error_body_done)) && x->code != 200) {
		status_error(x);
	} else if (rc != CURLE_OK) {
		transfer_error(x, rc);
	} else {
		rq->rc = 0;
	}
	if (rq->rc)
		strbuf_release(&rq->body);
}

void cprof_http_run(struct cprof_http_req *reqs, size_t n, const struct cprof_http_tls *tls)
{
	struct xfer *xs = cprof_xcalloc(n ? n : 1, sizeof(*xs));
	struct strbuf noproxy = STRBUF_INIT;
	struct cprof_error tls_err = {0};
	CURLM *m = NULL;
	size_t active = 0;

	for (size_t i = 0; i < n; i++) {
		strbuf_init(&reqs[i].body, 0);
		reqs[i].rc = -1;
		memset(&reqs[i].err, 0, sizeof(reqs[i].err));
	}
	if (check_tls(tls, &tls_err)) {
		for (size_t i = 0; i < n; i++)
			reqs[i].err = tls_err;
		goto out;
	}
	if (!curl_ready() || !(m = curl_multi_init())) {
		for (size_t i = 0; i < n; i++)
			cprof_error_set(&reqs[i].err, CPROF_E_IO, "cannot start libcurl");
		goto out;
	}
	no_proxy_list(&noproxy);
	for (size_t i = 0; i < n; i++) {
		xs[i].rq = &reqs[i];
		if (setup(&xs[i], tls, noproxy.buf) == 0 && curl_multi_add_handle(m, xs[i].h) == CURLM_OK)
			active++;
		else if (!reqs[i].err.msg[0])
			cprof_error_set(&reqs[i].err, CPROF_E_IO, "cannot start an HTTP request");
	}

	/* a server that closes early must not kill the process with SIGPIPE */
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old);
	int running = (int)active;
	while (running > 0) {
		if (curl_multi_perform(m, &running) != CURLM_OK)
			break;
		if (running > 0 && curl_multi_poll(m, NULL, 0, 1000, NULL) != CURLM_OK)
			break;
	}
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(m, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		struct xfer *x = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		if (x)
			finish(x, msg->data.result);
	}
	sigaction(SIGPIPE, &old, NULL);

out:
	for (size_t i = 0; i < n; i++) {
		struct xfer *x = &xs[i];
		if (reqs[i].rc && !reqs[i].err.msg[0])
			cprof_error_set(&reqs[i].err, CPROF_E_IO, "the request did not finish");
		if (x->h) {
			if (m)
				curl_multi_remove_handle(m, x->h);
			curl_easy_cleanup(x->h);
		}
		curl_slist_free_all(x->headers);
		strbuf_release(&x->error_body);
		free(x->url);
	}
	if (m)
		curl_multi_cleanup(m);
	strbuf_release(&noproxy);
	free(xs);
}

const char *cprof_http_version(void)
{
	return curl_version_info(CURLVERSION_NOW)->version;
}
