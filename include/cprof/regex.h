/*
 * regex.h - regular expressions with Go's syntax and meaning, as pprof's
 * users type them (-focus, -ignore, -show, -tagfocus, -list ...).
 *
 * A pattern is checked against Go's RE2 syntax first (regex_syntax.c):
 * what Go's regexp.Compile rejects is rejected, with Go's error text, and
 * what it accepts is translated into a PCRE2 pattern that matches the same
 * strings, which PCRE2 then compiles and runs. So \d, \s, \w, \b and the
 * POSIX classes are ASCII, . and [^...] read runes, $ is the end of the
 * text unless (?m), (?i) folds case as Go does, there are no
 * backreferences or lookarounds, repetitions stop at 1000, and text that
 * is not valid UTF-8 is read one U+FFFD per bad byte. Matching is an
 * unanchored search, as Go's MatchString, and leftmost-first.
 */
#ifndef CPROF_REGEX_H
#define CPROF_REGEX_H

#include <stdbool.h>
#include <stddef.h>
#include "cprof/error.h"

struct cprof_regex;
struct strbuf;

/*
 * Compile; NULL with err set on error, err's message then exactly Go's
 * err.Error() ("error parsing regexp: missing closing ): `(`"). A pattern
 * Go accepts but PCRE2 cannot hold (a compiled form past 64 KiB) gives
 * "error parsing regexp: expression too large: `...`".
 */
struct cprof_regex *cprof_regex_compile(const char *pattern, struct cprof_error *err);
/* Compile `^(?:pattern)$` (full match, as drop_frames/keep_frames); errors quote that. */
struct cprof_regex *cprof_regex_compile_full(const char *pattern, struct cprof_error *err);
bool cprof_regex_match(const struct cprof_regex *re, const char *s);
bool cprof_regex_matchn(const struct cprof_regex *re, const char *s, size_t len);
/*
 * Find the first match in s; on success stores the offsets of the whole
 * match and of up to ncap-1 capture groups in ovec[2*i], ovec[2*i+1]
 * (-1 for unset groups) and returns true. (When backtracking would take
 * too long, the match is the longest at the leftmost position, without
 * groups.)
 */
bool cprof_regex_find(const struct cprof_regex *re, const char *s, size_t len, long *ovec, int ncap);
const char *cprof_regex_pattern(const struct cprof_regex *re);
/* The number of capture groups, (re) and (?P<name>re). */
int cprof_regex_groups(const struct cprof_regex *re);
void cprof_regex_free(struct cprof_regex *re);

/*
 * The RE2 validator: check pattern[0, len) as Go's regexp/syntax parser
 * does (Perl flags, as regexp.Compile) and append to out a PCRE2 pattern
 * (for PCRE2_UTF, newline LF, PCRE2_ALT_CIRCUMFLEX, no other option) that
 * matches what Go's matches. Returns 0, or -1 with err's message Go's
 * error text.
 *
 * *ngroups (when not NULL) gets the number of Go's capture groups and
 * *groups (when not NULL; free() it) their PCRE2 numbers, from index 1:
 * the translation may add groups of its own. It may also hold callouts
 * (?C"a,b"), which must fail when the current position is where group b
 * starts and group b does not start where group a does (regex.c's
 * callout does that).
 */
int cprof_regex_translate(const char *pattern, size_t len, struct strbuf *out, int **groups, int *ngroups,
			  struct cprof_error *err);

#endif
