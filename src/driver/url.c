/*
 * url.c - Go's net/url as pprof's fetch uses it (url.h).
 *
 *   [scheme:][//[userinfo@]host][/]path[?query][#fragment]
 *   scheme:opaque[?query][#fragment]
 *
 * The rules are Go 1.19's: a scheme is a letter then letters, digits,
 * '+', '-', '.' up to ':'; control bytes anywhere make the URL invalid; a
 * relative path's first segment may not hold ':'; a port is digits only;
 * host bytes are checked (only non-ASCII bytes and "%25" may be escaped);
 * escapes are "%XX" with two hex digits. String() keeps a path or
 * fragment as written when it is a valid encoding, and escapes it anew
 * otherwise.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/util.h"
#include "src/driver/url.h"

enum mode { M_PATH, M_HOST, M_USER, M_QUERY, M_FRAGMENT };

static bool is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int unhex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Go's shouldEscape. */
static bool should_escape(unsigned char c, enum mode m)
{
	if (is_alnum(c))
		return false;
	if (m == M_HOST && strchr("!$&'()*+,;=:[]<>\"", c) && c)
		return false;
	switch (c) {
	case '-':
	case '_':
	case '.':
	case '~':
		return false;
	case '$':
	case '&':
	case '+':
	case ',':
	case '/':
	case ':':
	case ';':
	case '=':
	case '?':
	case '@':
		switch (m) {
		case M_PATH:
			return c == '?';
		case M_USER:
			return c == '@' || c == '/' || c == '?' || c == ':';
		case M_QUERY:
			return true;
		case M_FRAGMENT:
			return false;
		case M_HOST:
			break;
		}
		break;
	default:
		break;
	}
	if (m == M_FRAGMENT && (c == '!' || c == '(' || c == ')' || c == '*'))
		return false;
	return true;
}

/* Go's unescape of s[0..n): 0 and the bytes in out, or -1. */
static int unescape(const char *s, size_t n, enum mode m, struct strbuf *out)
{
	strbuf_reset(out);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			if (i + 2 >= n)
				return -1;
			int h = unhex((unsigned char)s[i + 1]), l = unhex((unsigned char)s[i + 2]);
			if (h < 0 || l < 0)
				return -1;
			/* in a host, escapes only for non-ASCII bytes, and %25 */
			if (m == M_HOST && h < 8 && !(h == 2 && l == 5))
				return -1;
			strbuf_addch(out, h << 4 | l);
			i += 2;
		} else if (c == '+') {
			strbuf_addch(out, m == M_QUERY ? ' ' : '+');
		} else {
			if (m == M_HOST && c < 0x80 && should_escape(c, m))
				return -1;
			strbuf_addch(out, c);
		}
	}
	return 0;
}

/* Go's escape, appended to out. */
static void escape(const char *s, size_t n, enum mode m, struct strbuf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' && m == M_QUERY) {
			strbuf_addch(out, '+');
		} else if (should_escape(c, m)) {
			strbuf_addch(out, '%');
			strbuf_addch(out, hex[c >> 4]);
			strbuf_addch(out, hex[c & 15]);
		} else {
			strbuf_addch(out, c);
		}
	}
}

/* Go's validEncoded. */
static bool valid_encoded(const char *s, enum mode m)
{
	for (; *s; s++) {
		if (strchr("!$&'()*+,;=:@[]%", *s))
			continue;
		if (should_escape((unsigned char)*s, m))
			return false;
	}
	return true;
}

static bool valid_port(const char *p)
{
	if (!*p)
		return true;
	if (*p++ != ':')
		return false;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

static char *dup_n(const char *s, size_t n)
{
	char *d = cprof_xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* Go's parseHost, of host[0..n): the host as written, or NULL. */
static char *parse_host(const char *h, size_t n)
{
	struct strbuf tmp = STRBUF_INIT;
	char *host = dup_n(h, n);
	int ok;
	if (host[0] == '[') {
		char *close = strrchr(host, ']');
		if (!close || !valid_port(close + 1))
			goto bad;
		/* a zone ("%25eth0") may hold what a host may not; the rest is checked */
		char *zone = strstr(host, "%25");
		if (zone && zone < close) {
			ok = unescape(host, (size_t)(zone - host), M_HOST, &tmp) == 0 &&
			     unescape(close, strlen(close), M_HOST, &tmp) == 0;
		} else {
			ok = unescape(host, n, M_HOST, &tmp) == 0;
		}
	} else {
		char *colon = strrchr(host, ':');
		if (colon && !valid_port(colon))
			goto bad;
		ok = unescape(host, n, M_HOST, &tmp) == 0;
	}
	strbuf_release(&tmp);
	if (ok)
		return host;
bad:
	strbuf_release(&tmp);
	free(host);
	return NULL;
}

static bool valid_userinfo(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_alnum((unsigned char)s[i]) && !strchr("-._:~!$&'()*+,;=%@", s[i]))
			return false;
	return true;
}

static void url_init(struct cprof_url *u)
{
	memset(u, 0, sizeof(*u));
	u->scheme = cprof_xstrdup("");
	u->opaque = cprof_xstrdup("");
	u->host = cprof_xstrdup("");
	u->path = cprof_xstrdup("");
	u->raw_query = cprof_xstrdup("");
	u->fragment = cprof_xstrdup("");
	u->raw_fragment = cprof_xstrdup("");
}

static void set_str(char **field, const char *s, size_t n)
{
	free(*field);
	*field = dup_n(s, n);
}

int cprof_url_parse(struct cprof_url *u, const char *s)
{
	struct strbuf t = STRBUF_INIT;
	url_init(u);

	const char *hash = strchr(s, '#');
	size_t len = hash ? (size_t)(hash - s) : strlen(s);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			goto bad;
	if (len == 1 && s[0] == '*') {
		set_str(&u->path, "*", 1);
		goto fragment;
	}

	/* scheme */
	const char *rest = s;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			continue;
		if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
			if (i == 0)
				break;
			continue;
		}
		if (c == ':') {
			if (i == 0)
				goto bad;
			set_str(&u->scheme, s, i);
			for (char *p = u->scheme; *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p = (char)(*p - 'A' + 'a');
			rest = s + i + 1;
		}
		break;
	}
	size_t rlen = len - (size_t)(rest - s);

	/* query */
	const char *q = memchr(rest, '?', rlen);
	if (q && q == rest + rlen - 1) {
		u->force_query = true;
		rlen--;
	} else if (q) {
		set_str(&u->raw_query, q + 1, rlen - (size_t)(q + 1 - rest));
		rlen = (size_t)(q - rest);
	}

	if (rlen == 0 || rest[0] != '/') {
		if (u->scheme[0]) {
			set_str(&u->opaque, rest, rlen);
			goto fragment;
		}
		const char *slash = memchr(rest, '/', rlen);
		size_t seg = slash ? (size_t)(slash - rest) : rlen;
		if (memchr(rest, ':', seg))
			goto bad;
	}

	if (rlen >= 2 && rest[0] == '/' && rest[1] == '/' && (u->scheme[0] || !(rlen >= 3 && rest[2] == '/'))) {
		const char *auth = rest + 2;
		size_t alen = rlen - 2;
		const char *slash = memchr(auth, '/', alen);
		if (slash)
			alen = (size_t)(slash - auth);
		const char *at = NULL;
		for (size_t i = 0; i < alen; i++)
			if (auth[i] == '@')
				at = auth + i;
		const char *h = at ? at + 1 : auth;
		char *host = parse_host(h, alen - (size_t)(h - auth));
		if (!host)
			goto bad;
		free(u->host);
		u->host = host;
		if (at) {
			size_t ulen = (size_t)(at - auth);
			if (!valid_userinfo(auth, ulen))
				goto bad;
			const char *colon = memchr(auth, ':', ulen);
			size_t nlen = colon ? (size_t)(colon - auth) : ulen;
			if (unescape(auth, nlen, M_USER, &t) ||
			    (colon && unescape(colon + 1, ulen - nlen - 1, M_USER, &t)))
				goto bad;
			u->user = dup_n(auth, ulen);
		}
		rlen -= (size_t)(auth + alen - rest);
		rest = auth + alen;
	}

	/* setPath */
	if (unescape(rest, rlen, M_PATH, &t))
		goto bad;
	set_str(&u->path, t.buf, t.len);
	u->raw_path = dup_n(rest, rlen);

fragment:
	if (hash && hash[1]) {
		if (unescape(hash + 1, strlen(hash + 1), M_FRAGMENT, &t))
			goto bad;
		set_str(&u->fragment, t.buf, t.len);
		set_str(&u->raw_fragment, hash + 1, strlen(hash + 1));
	}
	strbuf_release(&t);
	return 0;
bad:
	strbuf_release(&t);
	cprof_url_release(u);
	url_init(u);
	return -1;
}

void cprof_url_release(struct cprof_url *u)
{
	free(u->scheme);
	free(u->opaque);
	free(u->user);
	free(u->host);
	free(u->path);
	free(u->raw_path);
	free(u->raw_query);
	free(u->fragment);
	free(u->raw_fragment);
	memset(u, 0, sizeof(*u));
}

void cprof_url_set_path(struct cprof_url *u, const char *path)
{
	set_str(&u->path, path, strlen(path));
	free(u->raw_path);
	u->raw_path = NULL;
}

/* A decoded part as String() writes it: as written when that is a valid encoding of it. */
static void add_escaped(struct strbuf *out, const char *raw, const char *decoded, enum mode m)
{
	if (raw && valid_encoded(raw, m)) {
		strbuf_addstr(out, raw);
		return;
	}
	if (m == M_PATH && !strcmp(decoded, "*")) {
		strbuf_addch(out, '*');
		return;
	}
	escape(decoded, strlen(decoded), m, out);
}

void cprof_url_string(const struct cprof_url *u, struct strbuf *out)
{
	size_t start = out->len;
	if (u->scheme[0]) {
		strbuf_addstr(out, u->scheme);
		strbuf_addch(out, ':');
	}
	if (u->opaque[0]) {
		strbuf_addstr(out, u->opaque);
	} else {
		if (u->scheme[0] || u->host[0] || u->user) {
			if (u->host[0] || u->path[0] || u->user)
				strbuf_addstr(out, "//");
			if (u->user) {
				/* userinfo escaped again: name and password apart */
				struct strbuf t = STRBUF_INIT;
				const char *colon = strchr(u->user, ':');
				size_t nlen = colon ? (size_t)(colon - u->user) : strlen(u->user);
				unescape(u->user, nlen, M_USER, &t);
				escape(t.buf, t.len, M_USER, out);
				if (colon) {
					unescape(colon + 1, strlen(colon + 1), M_USER, &t);
					strbuf_addch(out, ':');
					escape(t.buf, t.len, M_USER, out);
				}
				strbuf_release(&t);
				strbuf_addch(out, '@');
			}
			/* hosts are checked ASCII: only other bytes need escapes */
			for (const char *h = u->host; *h; h++) {
				if ((unsigned char)*h >= 0x80)
					strbuf_addf(out, "%%%02X", (unsigned char)*h);
				else
					strbuf_addch(out, *h);
			}
		}
		struct strbuf path = STRBUF_INIT;
		add_escaped(&path, u->raw_path, u->path, M_PATH);
		if (path.len && path.buf[0] != '/' && u->host[0])
			strbuf_addch(out, '/');
		if (out->len == start) {
			const char *slash = strchr(path.buf, '/');
			size_t seg = slash ? (size_t)(slash - path.buf) : path.len;
			if (memchr(path.buf, ':', seg))
				strbuf_addstr(out, "./");
		}
		strbuf_add(out, path.buf, path.len);
		strbuf_release(&path);
	}
	if (u->force_query || u->raw_query[0]) {
		strbuf_addch(out, '?');
		strbuf_addstr(out, u->raw_query);
	}
	if (u->fragment[0]) {
		strbuf_addch(out, '#');
		add_escaped(out, u->raw_fragment, u->fragment, M_FRAGMENT);
	}
}

/* ---- queries ------------------------------------------------------------- */

static void add_pair(struct cprof_query *q, const char *k, size_t kl, const char *v, size_t vl)
{
	ALLOC_GROW(q->v, q->n + 1, q->alloc);
	struct cprof_query_pair *p = &q->v[q->n++];
	p->key = dup_n(k, kl);
	p->klen = kl;
	p->value = dup_n(v, vl);
	p->vlen = vl;
}

void cprof_query_parse(struct cprof_query *q, const char *raw)
{
	struct strbuf k = STRBUF_INIT, v = STRBUF_INIT;
	memset(q, 0, sizeof(*q));
	while (*raw) {
		const char *amp = strchr(raw, '&');
		size_t n = amp ? (size_t)(amp - raw) : strlen(raw);
		const char *item = raw;
		raw += n + (amp ? 1 : 0);
		if (n == 0 || memchr(item, ';', n))
			continue;
		const char *eq = memchr(item, '=', n);
		size_t kl = eq ? (size_t)(eq - item) : n;
		if (unescape(item, kl, M_QUERY, &k))
			continue;
		if (eq ? unescape(eq + 1, n - kl - 1, M_QUERY, &v) : (strbuf_reset(&v), 0))
			continue;
		add_pair(q, k.buf, k.len, v.buf, v.len);
	}
	strbuf_release(&k);
	strbuf_release(&v);
}

void cprof_query_release(struct cprof_query *q)
{
	for (size_t i = 0; i < q->n; i++) {
		free(q->v[i].key);
		free(q->v[i].value);
	}
	free(q->v);
	memset(q, 0, sizeof(*q));
}

static bool key_is(const struct cprof_query_pair *p, const char *key)
{
	return p->klen == strlen(key) && !memcmp(p->key, key, p->klen);
}

const struct cprof_query_pair *cprof_query_get(const struct cprof_query *q, const char *key)
{
	for (size_t i = 0; i < q->n; i++)
		if (key_is(&q->v[i], key))
			return &q->v[i];
	return NULL;
}

void cprof_query_set(struct cprof_query *q, const char *key, const char *value)
{
	size_t w = 0;
	for (size_t i = 0; i < q->n; i++) {
		if (key_is(&q->v[i], key)) {
			free(q->v[i].key);
			free(q->v[i].value);
		} else {
			q->v[w++] = q->v[i];
		}
	}
	q->n = w;
	add_pair(q, key, strlen(key), value, strlen(value));
}

static int cmp_key(const struct cprof_query_pair *a, const struct cprof_query_pair *b)
{
	size_t n = a->klen < b->klen ? a->klen : b->klen;
	int c = memcmp(a->key, b->key, n);
	return c ? c : (a->klen > b->klen) - (a->klen < b->klen);
}

void cprof_query_encode(const struct cprof_query *q, struct strbuf *out)
{
	/* keys in byte order, each key's values in query order: a stable insertion sort */
	const struct cprof_query_pair **ord = cprof_xcalloc(q->n ? q->n : 1, sizeof(*ord));
	for (size_t i = 0; i < q->n; i++) {
		size_t j = i;
		while (j > 0 && cmp_key(ord[j - 1], &q->v[i]) > 0) {
			ord[j] = ord[j - 1];
			j--;
		}
		ord[j] = &q->v[i];
	}
	for (size_t i = 0; i < q->n; i++) {
		if (i)
			strbuf_addch(out, '&');
		escape(ord[i]->key, ord[i]->klen, M_QUERY, out);
		strbuf_addch(out, '=');
		escape(ord[i]->value, ord[i]->vlen, M_QUERY, out);
	}
	free(ord);
}
