/*
 * demangle.c - C++ names for profiles, as pprof's symbolizer.Demangle.
 *
 * Itanium-ABI names (_Z..., _GLOBAL_...) go through libiberty's
 * cplus_demangle (Debian's libiberty-dev); pprof then simplifies them by
 * mode, which is done here on the demangled text:
 *
 *   mode       pprof's demangle options       what is left
 *   default    NoParams, NoTemplateParams     ns::Class::method
 *   templates  NoParams                       ns::Class<int>::method
 *   full       NoClones                       ns::Class<int>::method(int) const
 *   none       (no options: the demangler's  everything, clone suffixes too
 *               full output)
 *
 * A name that does not demangle but looks like demangled C++ (has "::"
 * or brackets, and is not a Go "pkg.(*T[...]).M" or Java "C.<init>"
 * name) loses its (...) and <...> groups per the same options.
 *
 * Limits: libiberty and pprof's Go demangler print a few constructs
 * differently (for example the parameter list of the function enclosing
 * a local name, kept here in the default mode); "operator<" and friends
 * keep their angle brackets.
 */
#include <stdlib.h>
#include <string.h>

#include <libiberty/demangle.h>

#include "cprof/symbolize.h"

/*
 * Remove nested start..end groups (pprof's removeMatching); abort on a
 * mismatch. ops: leave the brackets of operator names alone (the
 * demangler's own template removal knows them; pprof's text heuristic
 * does not).
 */
static void remove_matching(struct strbuf *s, char start, char end, bool ops)
{
	int nesting = 0;
	size_t first = 0;
	for (size_t i = 0; i < s->len; i++) {
		char c = s->buf[i];
		if (c != start && c != end)
			continue;
		/* operator<, operator<<, operator<=, operator->, operator() ... */
		if (ops && i >= 8 && !strncmp(s->buf + i - 8, "operator", 8))
			continue;
		if (ops && i >= 9 && !strncmp(s->buf + i - 9, "operator", 8) && s->buf[i - 1] == c)
			continue;
		if (c == start) {
			if (++nesting == 1)
				first = i;
		} else {
			nesting--;
			if (nesting < 0)
				return;
			if (nesting == 0) {
				/* libiberty writes "operator< <T>" to avoid "<<": drop that space too */
				if (ops && start == '<' && first >= 2 && s->buf[first - 1] == ' ' &&
				    (s->buf[first - 2] == '<' || s->buf[first - 2] == '>'))
					first--;
				memmove(s->buf + first, s->buf + i + 1, s->len - i - 1);
				strbuf_setlen(s, s->len - (i + 1 - first));
				i = first - 1;
			}
		}
	}
}

/* Drop " [clone .xxx]" suffixes. */
static void remove_clones(struct strbuf *s)
{
	char *p;
	while ((p = strstr(s->buf, " [clone ")) != NULL) {
		char *e = strchr(p, ']');
		if (!e)
			return;
		memmove(p, e + 1, strlen(e + 1) + 1);
		strbuf_setlen(s, strlen(s->buf));
	}
}

/* pprof's looksLikeDemangledCPlusPlus. */
static bool looks_demangled(const char *s)
{
	if (strstr(s, ".<") || strstr(s, "]).")) /* Java "C.<init>", Go "pkg.(*T[...]).M" */
		return false;
	return strpbrk(s, "<>[]") || strstr(s, "::");
}

bool cprof_demangle_itanium(const char *name, enum cprof_demangle_mode mode, struct strbuf *out)
{
	bool params = mode == CPROF_DEMANGLE_FULL || mode == CPROF_DEMANGLE_NONE;
	if (strncmp(name, "_Z", 2) && strncmp(name, "_GLOBAL_", 8))
		return false;
	char *d = cplus_demangle(name, DMGL_GNU_V3 | (params ? DMGL_PARAMS | DMGL_ANSI : 0));
	if (!d)
		return false;
	struct strbuf s = STRBUF_INIT;
	strbuf_addstr(&s, d);
	free(d);
	if (mode == CPROF_DEMANGLE_FULL)
		remove_clones(&s);
	if (mode == CPROF_DEMANGLE_DEFAULT)
		remove_matching(&s, '<', '>', true);
	strbuf_addstr(out, s.buf);
	strbuf_release(&s);
	return true;
}

void cprof_demangle(const char *name, enum cprof_demangle_mode mode, struct strbuf *out)
{
	if (cprof_demangle_itanium(name, mode, out))
		return;
	if (mode == CPROF_DEMANGLE_NONE || mode == CPROF_DEMANGLE_FULL || !looks_demangled(name)) {
		strbuf_addstr(out, name); /* as it is (most names) */
		return;
	}
	struct strbuf s = STRBUF_INIT;
	strbuf_addstr(&s, name);
	remove_matching(&s, '(', ')', false);
	if (mode == CPROF_DEMANGLE_DEFAULT)
		remove_matching(&s, '<', '>', false);
	strbuf_addstr(out, s.buf);
	strbuf_release(&s);
}

void cprof_profile_demangle(struct cprof_profile *p, bool force, enum cprof_demangle_mode mode)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < p->nfunction; i++) {
		struct cprof_function *f = &p->function[i];
		if (force && f->name[0] && f->system_name[0])
			f->name = f->system_name;
		if (f->name[0] && f->system_name != f->name)
			continue; /* demangled already */
		strbuf_reset(&sb);
		cprof_demangle(f->system_name, mode, &sb);
		f->name = strcmp(sb.buf, f->system_name) ? cprof_profile_strn(p, sb.buf, sb.len) : f->system_name;
	}
	strbuf_release(&sb);
}
