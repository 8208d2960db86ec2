/*
 * regex.h - regular expressions with Go RE2 syntax, as pprof uses them.
 *
 * Backed by PCRE2, whose syntax is a superset of RE2's for everything pprof
 * users write (classes, alternation, \d \w \s, (?i), non-greedy, anchors).
 * Matching is unanchored search unless the pattern anchors itself, as in Go's
 * regexp.MatchString.
 */
#ifndef CPROF_REGEX_H
#define CPROF_REGEX_H

#include <stdbool.h>
#include <stddef.h>
#include "cprof/error.h"

struct cprof_regex;

/* Compile; NULL with err set ("invalid regular expression 'x': ...") on error. */
struct cprof_regex *cprof_regex_compile(const char *pattern, struct cprof_error *err);
/* Compile `^(?:pattern)$` (full match, as drop_frames/keep_frames). */
struct cprof_regex *cprof_regex_compile_full(const char *pattern, struct cprof_error *err);
bool cprof_regex_match(const struct cprof_regex *re, const char *s);
bool cprof_regex_matchn(const struct cprof_regex *re, const char *s, size_t len);
/*
 * Find the first match in s; on success stores the offsets of the whole
 * match and of up to ncap-1 capture groups in ovec[2*i], ovec[2*i+1]
 * (-1 for unset groups) and returns true.
 */
bool cprof_regex_find(const struct cprof_regex *re, const char *s, size_t len, long *ovec, int ncap);
const char *cprof_regex_pattern(const struct cprof_regex *re);
void cprof_regex_free(struct cprof_regex *re);

#endif
