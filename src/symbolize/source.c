/*
 * source.c - source files for -list and -weblist: pprof's lookup rules
 * first, then Go's standard library, module cache, vendor/ and go.mod
 * (see include/cprof/source.h for the order). Files are read once and
 * kept as arrays of lines.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cprof/graph.h"
#include "cprof/source.h"

struct src_file {
	char *name;  /* the name asked for */
	char *data;  /* whole file */
	size_t *off; /* line i (1-based) starts at off[i-1] with length len[i-1] */
	size_t *len;
	size_t nlines;
	char *err;   /* NULL when read */
	struct src_file *next;
};

struct cprof_source_reader {
	char *search;
	char *trim;
	struct src_file *files;
	bool goroot_tried;
	char *goroot;
};

struct cprof_source_reader *cprof_source_reader_new(const char *search_path, const char *trim_path)
{
	struct cprof_source_reader *r = cprof_xcalloc(1, sizeof(*r));
	if (search_path && *search_path) {
		r->search = cprof_xstrdup(search_path);
	} else {
		char *cwd = getcwd(NULL, 0);
		r->search = cwd ? cwd : cprof_xstrdup(".");
	}
	r->trim = cprof_xstrdup(trim_path ? trim_path : "");
	return r;
}

void cprof_source_reader_free(struct cprof_source_reader *r)
{
	if (!r)
		return;
	for (struct src_file *f = r->files, *n; f; f = n) {
		n = f->next;
		free(f->name);
		free(f->data);
		free(f->off);
		free(f->len);
		free(f->err);
		free(f);
	}
	free(r->search);
	free(r->trim);
	free(r->goroot);
	free(r);
}

const char *cprof_source_search_path(const struct cprof_source_reader *r)
{
	return r->search;
}

/* Go's filepath.Base, appended to out. */
static void go_base(const char *p, struct strbuf *out)
{
	size_t n = strlen(p);
	if (n == 0) {
		strbuf_addch(out, '.');
		return;
	}
	while (n > 0 && p[n - 1] == '/')
		n--;
	if (n == 0) {
		strbuf_addch(out, '/');
		return;
	}
	size_t s = n;
	while (s > 0 && p[s - 1] != '/')
		s--;
	strbuf_add(out, p + s, n - s);
}

/* Walks a colon-separated list (Go's filepath.SplitList: "" has no element). */
static const char *list_next(const char *s, struct strbuf *elem)
{
	strbuf_reset(elem);
	const char *colon = strchr(s, ':');
	size_t len = colon ? (size_t)(colon - s) : strlen(s);
	strbuf_add(elem, s, len);
	return colon ? colon + 1 : NULL;
}

const char *cprof_source_trim_path(const char *path, const char *trim_path, const char *search_path)
{
	struct strbuf elem = STRBUF_INIT, want = STRBUF_INIT;
	const char *res = NULL;
	if (!trim_path || !*trim_path) {
		for (const char *s = search_path && *search_path ? search_path : NULL; s && !res;) {
			s = list_next(s, &elem);
			strbuf_reset(&want);
			strbuf_addch(&want, '/');
			go_base(elem.buf, &want);
			strbuf_addch(&want, '/');
			const char *found = strstr(path, want.buf);
			if (found)
				res = found + want.len;
		}
	}
	for (const char *s = trim_path && *trim_path ? trim_path : NULL; s && !res;) {
		s = list_next(s, &elem);
		if (!elem.len || elem.buf[elem.len - 1] != '/')
			strbuf_addch(&elem, '/');
		if (!strncmp(path, elem.buf, elem.len))
			res = path + elem.len;
	}
	static const char *const fixed[] = {"/proc/self/cwd/./", "/proc/self/cwd/"};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(fixed) && !res; i++)
		if (!strncmp(path, fixed[i], strlen(fixed[i])))
			res = path + strlen(fixed[i]);
	strbuf_release(&elem);
	strbuf_release(&want);
	return res ? res : path;
}

/* Go's filepath.Join(a, b), cleaned, into out. */
static void join(struct strbuf *out, const char *a, const char *b)
{
	struct strbuf raw = STRBUF_INIT;
	if (a && *a)
		strbuf_addstr(&raw, a);
	if (b && *b) {
		if (raw.len)
			strbuf_addch(&raw, '/');
		strbuf_addstr(&raw, b);
	}
	strbuf_reset(out);
	if (raw.len)
		cprof_clean_path(raw.buf, out);
	strbuf_release(&raw);
}

/* Go's filepath.Dir. */
static void go_dir(const char *p, struct strbuf *out)
{
	const char *slash = strrchr(p, '/');
	struct strbuf d = STRBUF_INIT;
	if (slash)
		strbuf_add(&d, p, (size_t)(slash - p + 1));
	strbuf_reset(out);
	cprof_clean_path(d.len ? d.buf : ".", out);
	strbuf_release(&d);
}

static bool is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* pprof's openSourceFile without opening: the path to read, or an error. */
static bool pprof_lookup(struct cprof_source_reader *r, const char *path, struct strbuf *found,
			 struct strbuf *err)
{
	const char *p = cprof_source_trim_path(path, r->trim, r->search);
	if (p[0] == '/') {
		if (is_file(p) || access(p, R_OK) == 0) {
			strbuf_reset(found);
			strbuf_addstr(found, p);
			return true;
		}
		char msg[128];
		snprintf(msg, sizeof(msg), "%s", strerror(errno ? errno : ENOENT));
		msg[0] = (char)tolower((unsigned char)msg[0]);
		strbuf_addf(err, "open %s: %s", p, msg);
		return false;
	}
	struct strbuf elem = STRBUF_INIT, dir = STRBUF_INIT, parent = STRBUF_INIT;
	bool ok = false;
	for (const char *s = r->search; s && !ok;) {
		s = list_next(s, &elem);
		strbuf_reset(&dir);
		strbuf_addstr(&dir, elem.buf);
		for (;;) {
			join(found, dir.buf, p);
			if (is_file(found->buf)) {
				ok = true;
				break;
			}
			go_dir(dir.buf, &parent);
			if (!strcmp(parent.buf, dir.buf))
				break;
			strbuf_reset(&dir);
			strbuf_addstr(&dir, parent.buf);
		}
	}
	if (!ok)
		strbuf_addf(err, "could not find file %s on path %s", p, r->search);
	strbuf_release(&elem);
	strbuf_release(&dir);
	strbuf_release(&parent);
	return ok;
}

static const char *goroot(struct cprof_source_reader *r)
{
	if (r->goroot_tried)
		return r->goroot;
	r->goroot_tried = true;
	const char *env = getenv("GOROOT");
	if (env && *env) {
		r->goroot = cprof_xstrdup(env);
		return r->goroot;
	}
	FILE *f = popen("go env GOROOT 2>/dev/null", "r");
	if (f) {
		char buf[4096];
		if (fgets(buf, sizeof(buf), f)) {
			buf[strcspn(buf, "\n")] = '\0';
			if (*buf)
				r->goroot = cprof_xstrdup(buf);
		}
		pclose(f);
	}
	return r->goroot;
}

static void mod_cache(struct strbuf *out)
{
	const char *m = getenv("GOMODCACHE");
	strbuf_reset(out);
	if (m && *m) {
		strbuf_addstr(out, m);
		return;
	}
	const char *gp = getenv("GOPATH");
	if (gp && *gp) {
		size_t n = strcspn(gp, ":");
		strbuf_add(out, gp, n);
	} else {
		const char *home = getenv("HOME");
		strbuf_addf(out, "%s/go", home ? home : "");
	}
	strbuf_addstr(out, "/pkg/mod");
}

/* The module cache's case escaping: "Azure" is stored as "!azure". */
static void escape_module(const char *p, struct strbuf *out)
{
	for (; *p; p++) {
		if (*p >= 'A' && *p <= 'Z') {
			strbuf_addch(out, '!');
			strbuf_addch(out, *p - 'A' + 'a');
		} else {
			strbuf_addch(out, *p);
		}
	}
}

static bool try_path(struct strbuf *found, const char *a, const char *b)
{
	join(found, a, b);
	return is_file(found->buf);
}

/* The module path declared in dir/go.mod, into mod; false if none. */
static bool go_mod_module(const char *dir, struct strbuf *mod)
{
	struct strbuf p = STRBUF_INIT;
	join(&p, dir, "go.mod");
	FILE *f = fopen(p.buf, "r");
	strbuf_release(&p);
	if (!f)
		return false;
	char line[1024];
	bool ok = false;
	while (!ok && fgets(line, sizeof(line), f)) {
		char *s = line;
		while (isspace((unsigned char)*s))
			s++;
		if (strncmp(s, "module", 6) || !isspace((unsigned char)s[6]))
			continue;
		s += 6;
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '"')
			s++;
		size_t n = strcspn(s, "\" \t\r\n");
		strbuf_reset(mod);
		strbuf_add(mod, s, n);
		ok = n > 0;
	}
	fclose(f);
	return ok;
}

/* The places pprof does not look (Go toolchain layouts). */
static bool go_lookup(struct cprof_source_reader *r, const char *path, struct strbuf *found)
{
	const char *p = cprof_source_trim_path(path, r->trim, r->search);
	struct strbuf sb = STRBUF_INIT;
	bool ok = false;

	/* the standard library */
	const char *gr = goroot(r);
	if (gr) {
		if (!strncmp(path, "$GOROOT/", 8))
			ok = try_path(found, gr, path + 8);
		for (const char *s = strstr(path, "/src/"); s && !ok; s = strstr(s + 1, "/src/")) {
			strbuf_reset(&sb);
			strbuf_addf(&sb, "src/%s", s + 5);
			ok = try_path(found, gr, sb.buf);
		}
		if (!ok && p[0] != '/') {
			strbuf_reset(&sb);
			strbuf_addf(&sb, "src/%s", p);
			ok = try_path(found, gr, sb.buf);
		}
	}

	/* the module cache */
	if (!ok) {
		const char *rel = NULL;
		const char *pm = strstr(path, "/pkg/mod/");
		if (pm)
			rel = pm + 9;
		else if (p[0] != '/' && strchr(p, '@'))
			rel = p;
		if (rel) {
			struct strbuf mc = STRBUF_INIT;
			mod_cache(&mc);
			strbuf_reset(&sb);
			if (pm)
				strbuf_addstr(&sb, rel); /* already escaped on disk */
			else
				escape_module(rel, &sb);
			ok = try_path(found, mc.buf, sb.buf);
			strbuf_release(&mc);
		}
	}

	/* vendor/ and go.mod of the search directories and their parents */
	if (!ok && p[0] != '/') {
		struct strbuf elem = STRBUF_INIT, dir = STRBUF_INIT, parent = STRBUF_INIT, mod = STRBUF_INIT;
		for (const char *s = r->search; s && !ok;) {
			s = list_next(s, &elem);
			cprof_clean_path(elem.len ? elem.buf : ".", &dir);
			for (;;) {
				strbuf_reset(&sb);
				strbuf_addf(&sb, "vendor/%s", p);
				if ((ok = try_path(found, dir.buf, sb.buf)))
					break;
				if (go_mod_module(dir.buf, &mod) && !strncmp(p, mod.buf, mod.len) && p[mod.len] == '/' &&
				    (ok = try_path(found, dir.buf, p + mod.len + 1)))
					break;
				go_dir(dir.buf, &parent);
				if (!strcmp(parent.buf, dir.buf))
					break;
				strbuf_reset(&dir);
				strbuf_addstr(&dir, parent.buf);
			}
		}
		strbuf_release(&elem);
		strbuf_release(&dir);
		strbuf_release(&parent);
		strbuf_release(&mod);
	}
	strbuf_release(&sb);
	return ok;
}

static void load(struct cprof_source_reader *r, struct src_file *f)
{
	struct strbuf found = STRBUF_INIT, err = STRBUF_INIT;
	if (!pprof_lookup(r, f->name, &found, &err) && !go_lookup(r, f->name, &found)) {
		f->err = strbuf_detach(&err, NULL);
		strbuf_release(&found);
		return;
	}
	FILE *fp = fopen(found.buf, "rb");
	if (!fp) {
		strbuf_addf(&err, "open %s: %s", found.buf, strerror(errno));
		f->err = strbuf_detach(&err, NULL);
		strbuf_release(&found);
		return;
	}
	struct strbuf data = STRBUF_INIT;
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(&data, buf, n);
	fclose(fp);
	strbuf_release(&found);
	strbuf_release(&err);
	f->data = strbuf_detach(&data, &n);
	size_t alloc_off = 0, alloc_len = 0;
	for (size_t pos = 0; pos < n;) {
		const char *nl = memchr(f->data + pos, '\n', n - pos);
		size_t end = nl ? (size_t)(nl - f->data) : n;
		size_t len = end - pos;
		/* bufio.Scanner gives up on a line that does not fit its 64 KiB buffer */
		if (len >= 65536)
			break;
		if (len > 0 && f->data[pos + len - 1] == '\r')
			len--;
		ALLOC_GROW(f->off, f->nlines + 1, alloc_off);
		ALLOC_GROW(f->len, f->nlines + 1, alloc_len);
		f->off[f->nlines] = pos;
		f->len[f->nlines] = len;
		f->nlines++;
		pos = nl ? end + 1 : n;
	}
}

static struct src_file *get_file(struct cprof_source_reader *r, const char *path)
{
	for (struct src_file *f = r->files; f; f = f->next)
		if (!strcmp(f->name, path))
			return f;
	struct src_file *f = cprof_xcalloc(1, sizeof(*f));
	f->name = cprof_xstrdup(path);
	load(r, f);
	f->next = r->files;
	r->files = f;
	return f;
}

bool cprof_source_line(struct cprof_source_reader *r, const char *path, int64_t lineno, const char **text,
		       size_t *len)
{
	struct src_file *f = get_file(r, path);
	if (lineno <= 0 || (uint64_t)lineno > f->nlines)
		return false;
	*text = f->data + f->off[lineno - 1];
	*len = f->len[lineno - 1];
	return true;
}

const char *cprof_source_error(struct cprof_source_reader *r, const char *path)
{
	for (struct src_file *f = r->files; f; f = f->next)
		if (!strcmp(f->name, path))
			return f->err;
	return NULL;
}
