/*
 * fetch.c - the sources of a session: local files, and URLs fetched over
 * HTTP as go tool pprof fetches them (Go 1.19's cmd/pprof and
 * internal/driver/fetch.go).
 *
 *   source ──► a file that exists?  read it (formats/registry.c)
 *          ──► a URL (adjust_url)?  "Fetching profile over HTTP from URL"
 *                                   GET, all URLs at once (http.c)
 *                                   gunzip, parse as any file
 *          ──► else                 read it as a file (and fail)
 *
 * adjust_url is pprof's: a source that url.Parse reads with a host, or
 * with "http://" in front ("localhost:6060/debug/pprof/heap"); an empty
 * path is /debug/pprof/profile; -seconds=N sets ?seconds=N, else the
 * URL's own seconds count; the timeout is -timeout, else 1.5 times the
 * seconds, else 60 s, and the request may take it plus 5 s.
 *
 * A fetched profile keeps where its mappings came from (pprof's
 * MappingSources: key build id or file; a mapping with neither gets the
 * URL as its file until symbolization is over) for remote symbolization
 * (symbolz.c), and the merged profile is saved once loaded, so it can be
 * read again: $PPROF_TMPDIR, else $HOME/pprof, else the temporary
 * directory, as pprof.<main binary>.<sample types>.NNN.pb.gz.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cprof/formats.h"
#include "cprof/graph.h"
#include "src/driver/http.h"
#include "src/driver/session_internal.h"
#include "src/driver/symbolz.h"
#include "src/driver/url.h"

struct download {
	char *source, *url;
	int64_t timeout_ms;
	bool taken;
	struct cprof_http_req rq;
};

struct msource {
	char *key, *url;
	uint64_t start;
};

struct cprof_fetch {
	const struct cprof_session_opts *o;
	struct download *dl;
	size_t ndl, adl;
	struct msource *ms;
	size_t nms, ams;
	bool remote; /* a fetched profile was read: save the result */
};

struct cprof_fetch *cprof_fetch_new(const struct cprof_session_opts *o)
{
	struct cprof_fetch *f = cprof_xcalloc(1, sizeof(*f));
	f->o = o;
	return f;
}

void cprof_fetch_free(struct cprof_fetch *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->ndl; i++) {
		free(f->dl[i].source);
		free(f->dl[i].url);
		strbuf_release(&f->dl[i].rq.body);
	}
	for (size_t i = 0; i < f->nms; i++) {
		free(f->ms[i].key);
		free(f->ms[i].url);
	}
	free(f->dl);
	free(f->ms);
	free(f);
}

/* Go's strconv.ParseInt(s, 10, 32). */
static bool parse_int32(const char *s, size_t n, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	if (i == n)
		return false;
	int64_t v = 0;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
		if (v > 2147483648LL)
			return false;
	}
	if (neg)
		v = -v;
	if (v > 2147483647LL || v < -2147483648LL)
		return false;
	*out = v;
	return true;
}

bool cprof_fetch_adjust_url(const char *source, int seconds, int timeout, struct strbuf *out, int64_t *timeout_ms)
{
	struct cprof_url u;
	bool ok = cprof_url_parse(&u, source) == 0;
	if (!ok || (!u.host[0] && u.scheme[0] && strcmp(u.scheme, "file"))) {
		/* "host:port/path": url.Parse takes the host for a scheme */
		struct strbuf h = STRBUF_INIT;
		strbuf_addf(&h, "http://%s", source);
		cprof_url_release(&u);
		ok = cprof_url_parse(&u, h.buf) == 0;
		strbuf_release(&h);
	}
	if (!ok || !u.host[0]) {
		cprof_url_release(&u);
		return false;
	}
	if (!u.path[0] || !strcmp(u.path, "/"))
		cprof_url_set_path(&u, "/debug/pprof/profile");

	struct cprof_query q;
	int64_t duration = seconds > 0 ? seconds : 0;
	cprof_query_parse(&q, u.raw_query);
	if (seconds > 0) {
		char n[16];
		snprintf(n, sizeof(n), "%d", seconds);
		cprof_query_set(&q, "seconds", n);
	} else {
		const struct cprof_query_pair *s = cprof_query_get(&q, "seconds");
		int64_t v;
		if (s && s->vlen && parse_int32(s->value, s->vlen, &v))
			duration = v;
	}
	int64_t t = timeout > 0 ? (int64_t)timeout * 1000 : duration > 0 ? duration * 1000 + duration * 500 : 60000;
	*timeout_ms = t + 5000;
	struct strbuf enc = STRBUF_INIT;
	cprof_query_encode(&q, &enc);
	free(u.raw_query);
	u.raw_query = strbuf_detach(&enc, NULL);
	cprof_query_release(&q);
	strbuf_reset(out);
	cprof_url_string(&u, out);
	cprof_url_release(&u);
	return true;
}

/* Go's time.Duration String() of whole seconds. */
static void add_duration(struct strbuf *sb, int64_t s)
{
	if (s < 60)
		strbuf_addf(sb, "%llds", (long long)s);
	else if (s < 3600)
		strbuf_addf(sb, "%lldm%llds", (long long)(s / 60), (long long)(s % 60));
	else
		strbuf_addf(sb, "%lldh%lldm%llds", (long long)(s / 3600), (long long)(s % 3600 / 60),
			    (long long)(s % 60));
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

void cprof_fetch_start(struct cprof_fetch *f, const char *const *srcs, size_t n, struct strbuf *notes)
{
	const struct cprof_session_opts *o = f->o;
	struct strbuf url = STRBUF_INIT;
	size_t first = f->ndl;
	for (size_t i = 0; i < n; i++) {
		int64_t tmo;
		if (exists(srcs[i]) || !cprof_fetch_adjust_url(srcs[i], o->seconds, o->timeout, &url, &tmo))
			continue;
		ALLOC_GROW(f->dl, f->ndl + 1, f->adl);
		struct download *d = &f->dl[f->ndl++];
		memset(d, 0, sizeof(*d));
		d->source = cprof_xstrdup(srcs[i]);
		d->url = cprof_xstrdup(url.buf);
		d->timeout_ms = tmo;
		strbuf_addf(notes, "Fetching profile over HTTP from %s\n", url.buf);
		if (o->seconds > 0) {
			strbuf_addstr(notes, "Please wait... (");
			add_duration(notes, o->seconds);
			strbuf_addstr(notes, ")\n");
		}
	}
	strbuf_release(&url);
	if (f->ndl == first)
		return;
	if (o->notes_ready)
		o->notes_ready(o->notes_ctx, notes); /* shown before the wait */

	size_t k = f->ndl - first;
	struct cprof_http_req *rq = cprof_xcalloc(k, sizeof(*rq));
	for (size_t i = 0; i < k; i++) {
		struct download *d = &f->dl[first + i];
		rq[i] = (struct cprof_http_req){.url = d->url, .timeout_ms = d->timeout_ms,
						.max_body = cprof_limits.max_inflated};
	}
	struct cprof_http_tls tls = {o->tls_cert, o->tls_key, o->tls_ca};
	cprof_http_run(rq, k, &tls);
	for (size_t i = 0; i < k; i++)
		f->dl[first + i].rq = rq[i];
	free(rq);
}

/* The bytes of a response as a profile, as cprof_read_profile() reads a file's. */
static int parse_body(struct strbuf *body, struct cprof_profile **out, struct cprof_error *err)
{
	struct strbuf inflated = STRBUF_INIT;
	int gz = cprof_gunzip((const unsigned char *)body->buf, body->len, &inflated, err);
	if (gz < 0) {
		strbuf_release(&inflated);
		return -1;
	}
	const struct strbuf *b = gz ? &inflated : body;
	int rc = cprof_parse_profile((const unsigned char *)b->buf, b->len, out, err);
	strbuf_release(&inflated);
	return rc;
}

int cprof_read_source(struct cprof_fetch *f, const char *source, struct cprof_profile **out, const char **url,
		      struct strbuf *notes, struct cprof_error *err)
{
	(void)notes;
	*url = NULL;
	for (size_t i = 0; f && i < f->ndl; i++) {
		struct download *d = &f->dl[i];
		if (d->taken || strcmp(d->source, source))
			continue;
		d->taken = true;
		if (d->rq.rc) {
			*err = d->rq.err;
			return -1;
		}
		int rc = parse_body(&d->rq.body, out, err);
		strbuf_release(&d->rq.body);
		if (rc)
			return -1;
		(*out)->source = cprof_profile_str(*out, source);
		*url = d->url;
		return 0;
	}
	return cprof_read_profile(source, out, err);
}

void cprof_fetch_collect_sources(struct cprof_fetch *f, struct cprof_profile *p, const char *url)
{
	for (size_t i = 0; i < p->nmapping; i++) {
		struct cprof_mapping *m = &p->mapping[i];
		const char *key = m->build_id[0] ? m->build_id : m->file;
		if (!key[0]) {
			/* symbolized remotely from the URL (Go's legacy profiles have no mappings) */
			m->file = cprof_profile_str(p, url);
			key = m->file;
		}
		ALLOC_GROW(f->ms, f->nms + 1, f->ams);
		f->ms[f->nms++] = (struct msource){cprof_xstrdup(key), cprof_xstrdup(url), m->start};
	}
	f->remote = true;
}

/* The symbolz request, through the transport of the fetches. */
static int post(void *ctx, const char *url, const char *body, size_t len, struct strbuf *out, struct cprof_error *err)
{
	struct cprof_fetch *f = ctx;
	const struct cprof_session_opts *o = f->o;
	struct cprof_http_req rq = {
		.url = url,
		.post = body,
		.postlen = len,
		.timeout_ms = (o->timeout > 0 ? (int64_t)o->timeout * 1000 : 60000) + 5000,
		.max_body = cprof_limits.max_inflated,
	};
	struct cprof_http_tls tls = {o->tls_cert, o->tls_key, o->tls_ca};
	cprof_http_run(&rq, 1, &tls);
	if (rq.rc) {
		*err = rq.err;
		cprof_error_prefix(err, "http post %s", url);
		return -1;
	}
	strbuf_add(out, rq.body.buf, rq.body.len);
	strbuf_release(&rq.body);
	return 0;
}

int cprof_fetch_symbolize(struct cprof_profile *p, bool force, void *ctx, struct strbuf *notes,
			  struct cprof_error *err)
{
	struct cprof_fetch *f = ctx;
	(void)notes;
	if (!f->nms)
		return 0;
	struct cprof_mapping_source *ms = cprof_xcalloc(f->nms, sizeof(*ms));
	for (size_t i = 0; i < f->nms; i++)
		ms[i] = (struct cprof_mapping_source){f->ms[i].key, f->ms[i].url, f->ms[i].start};
	int rc = cprof_symbolz(p, force, ms, f->nms, post, f, err);
	free(ms);
	return rc;
}

void cprof_unsource_mappings(struct cprof_profile *p)
{
	for (size_t i = 0; i < p->nmapping; i++) {
		struct cprof_mapping *m = &p->mapping[i];
		struct cprof_url u;
		if (m->build_id[0] || !m->file[0])
			continue;
		if (cprof_url_parse(&u, m->file) == 0 && u.scheme[0])
			m->file = cprof_profile_str(p, "");
		cprof_url_release(&u);
	}
}

static void add_errno(struct strbuf *sb, int e)
{
	char es[128];
	snprintf(es, sizeof(es), "%s", strerror(e));
	if (es[0] >= 'A' && es[0] <= 'Z' && !(es[1] >= 'A' && es[1] <= 'Z'))
		es[0] = (char)(es[0] - 'A' + 'a');
	strbuf_addstr(sb, es);
}

/* Go's os.MkdirAll(dir, 0755); 0 or the errno, the directory that failed in *where. */
static int mkdir_all(const char *dir, struct strbuf *where)
{
	struct stat st;
	if (stat(dir, &st) == 0)
		return S_ISDIR(st.st_mode) ? 0 : (strbuf_addstr(where, dir), ENOTDIR);
	struct strbuf parent = STRBUF_INIT;
	strbuf_addstr(&parent, dir);
	while (parent.len > 1 && parent.buf[parent.len - 1] == '/')
		strbuf_setlen(&parent, parent.len - 1);
	char *slash = strrchr(parent.buf, '/');
	int e = 0;
	if (slash && slash != parent.buf) {
		strbuf_setlen(&parent, (size_t)(slash - parent.buf));
		e = mkdir_all(parent.buf, where);
	}
	strbuf_release(&parent);
	if (e)
		return e;
	if (mkdir(dir, 0755) && errno != EEXIST) {
		strbuf_addstr(where, dir);
		return errno;
	}
	return 0;
}

/* pprof's setTmpDir. */
static int tmp_dir(struct strbuf *dir, struct strbuf *notes)
{
	struct strbuf home = STRBUF_INIT;
	const char *dirs[3];
	size_t n = 0;
	const char *env = getenv("PPROF_TMPDIR");
	if (env && *env)
		dirs[n++] = env;
	env = getenv("HOME");
	if (env && *env) {
		struct strbuf raw = STRBUF_INIT;
		strbuf_addf(&raw, "%s/pprof", env);
		cprof_clean_path(raw.buf, &home);
		strbuf_release(&raw);
		dirs[n++] = home.buf;
	}
	env = getenv("TMPDIR");
	dirs[n++] = env && *env ? env : "/tmp";
	for (size_t i = 0; i < n; i++) {
		struct strbuf where = STRBUF_INIT;
		int e = mkdir_all(dirs[i], &where);
		if (!e) {
			strbuf_addstr(dir, dirs[i]);
			strbuf_release(&where);
			strbuf_release(&home);
			return 0;
		}
		strbuf_addf(notes, "Could not use temp dir %s: mkdir %s: ", dirs[i], where.buf);
		add_errno(notes, e);
		strbuf_addch(notes, '\n');
		strbuf_release(&where);
	}
	strbuf_release(&home);
	return -1;
}

void cprof_fetch_save(struct cprof_fetch *f, const struct cprof_profile *p, struct strbuf *notes)
{
	struct strbuf dir = STRBUF_INIT, prefix = STRBUF_INIT, name = STRBUF_INIT, data = STRBUF_INIT;
	struct cprof_error err = {0};
	if (!f || !f->remote)
		return;
	if (tmp_dir(&dir, notes)) {
		strbuf_addstr(notes, "Could not save profile: failed to identify temp dir\n");
		goto out;
	}
	/* pprof.<main binary>.<sample types>.NNN.pb.gz */
	strbuf_addstr(&prefix, "pprof.");
	if (p->nmapping && p->mapping[0].file[0]) {
		cprof_path_base(p->mapping[0].file, &prefix);
		strbuf_addch(&prefix, '.');
	}
	for (size_t i = 0; i < p->nsample_type; i++)
		strbuf_addf(&prefix, "%s.", p->sample_type[i].type);

	if (cprof_pprof_encode(p, &data, &err)) {
		strbuf_addf(notes, "Could not save profile: %s\n", cprof_error_msg(&err));
		goto out;
	}
	int fd = -1, e = 0;
	for (int i = 1; i < 10000; i++) {
		struct strbuf raw = STRBUF_INIT;
		strbuf_addf(&raw, "%s/%s%03d.pb.gz", dir.buf, prefix.buf, i);
		strbuf_reset(&name);
		cprof_clean_path(raw.buf, &name); /* filepath.Join */
		strbuf_release(&raw);
		fd = open(name.buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		e = errno;
		if (e == EEXIST) {
			strbuf_addf(notes, "Could not save profile: could not create file of the form %s001.pb.gz\n",
				    prefix.buf);
		} else {
			strbuf_addf(notes, "Could not save profile: open %s: ", name.buf);
			add_errno(notes, e);
			strbuf_addch(notes, '\n');
		}
		goto out;
	}
	for (size_t off = 0; off < data.len && !e;) {
		ssize_t w = write(fd, data.buf + off, data.len - off);
		if (w < 0 && errno != EINTR)
			e = errno;
		else if (w > 0)
			off += (size_t)w;
	}
	if (close(fd) && !e)
		e = errno;
	if (e) {
		unlink(name.buf); /* no half-written copy */
		strbuf_addf(notes, "Could not save profile: write %s: ", name.buf);
		add_errno(notes, e);
		strbuf_addch(notes, '\n');
		goto out;
	}
	strbuf_addf(notes, "Saved profile in %s\n", name.buf);
out:
	strbuf_release(&dir);
	strbuf_release(&prefix);
	strbuf_release(&name);
	strbuf_release(&data);
}
