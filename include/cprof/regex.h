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
 * unanchored search, as Go's MatchString, and leftmost-first, and takes
 * time linear in the text when PCRE2's backtracking would not (a Pike VM
 * of Go's shape takes over, regex_vm.c).
 */
#ifndef CPROF_REGEX_H
#define CPROF_REGEX_H

#include <stdbool.h>
#include <stddef.h>
#include "cprof/error.h"
#include "cprof/strbuf.h"

struct cprof_regex;

/*
 * Compile; NULL with err set on error, err's message then exactly Go's
 * err.Error() ("error parsing regexp: missing closing ): `(`"). A pattern
 * Go accepts but neither PCRE2 nor the fallback matcher can hold (a
 * compiled form past 64 KiB and 2 million instructions) gives "error
 * parsing regexp: expression too large: `...`".
 */
struct cprof_regex *cprof_regex_compile(const char *pattern, struct cprof_error *err);
/* Compile `^(?:pattern)$` (full match, as drop_frames/keep_frames); errors quote that. */
struct cprof_regex *cprof_regex_compile_full(const char *pattern, struct cprof_error *err);
bool cprof_regex_match(const struct cprof_regex *re, const char *s);
bool cprof_regex_matchn(const struct cprof_regex *re, const char *s, size_t len);
/*
 * Find the first match in s; on success stores the offsets of the whole
 * match and of up to ncap-1 capture groups in ovec[2*i], ovec[2*i+1]
 * (-1 for unset groups) and returns true. (Should backtracking take too
 * long and the fallback matcher not hold the pattern, the match is the
 * longest at the leftmost position, without groups.)
 */
bool cprof_regex_find(const struct cprof_regex *re, const char *s, size_t len, long *ovec, int ncap);
const char *cprof_regex_pattern(const struct cprof_regex *re);
/* The number of capture groups, (re) and (?P<name>re). */
int cprof_regex_groups(const struct cprof_regex *re);
void cprof_regex_free(struct cprof_regex *re);

/* A pattern translated for PCRE2 (cprof_regex_translate()). */
struct cprof_regex_translation {
	struct strbuf pcre; /* for PCRE2_UTF, newline LF, PCRE2_ALT_CIRCUMFLEX and no other option */
	int ngroups;        /* Go's capture groups */
	int *group;         /* PCRE2's number of each, from index 1 (the translation may add groups) */
	/*
	 * A loop whose body can match the empty string: PCRE2 may place groups,
	 * or the end of the match, elsewhere than Go (not whether it matches).
	 */
	bool empty_loops;
};

/*
 * The RE2 validator: check pattern[0, len) as Go's regexp/syntax parser
 * does (Perl flags, as regexp.Compile) and translate it into a PCRE2
 * pattern that matches the same texts. Returns 0, or -1 with err's
 * message Go's error text; t is to be released either way.
 */
int cprof_regex_translate(const char *pattern, size_t len, struct cprof_regex_translation *t,
			  struct cprof_error *err);
void cprof_regex_translation_release(struct cprof_regex_translation *t);

#endif
