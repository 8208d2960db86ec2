/*
 * source.h - finding and reading the source files named in a profile, for
 * the -list and -weblist reports (pprof's sourceReader, openSourceFile and
 * trimPath in internal/report/source.go), plus the places pprof does not
 * look.
 *
 * Lookup of a file name, first as pprof:
 *   1. trim it: the -trim_path prefixes (and /proc/self/cwd/), or without
 *      -trim_path the part after "/<basename of a search directory>/";
 *   2. an absolute result must exist as it is;
 *   3. a relative one is tried in every search directory and each of its
 *      parents.
 * then, only when pprof would fail:
 *   4. Go's standard library: "$GOROOT/src/..." and paths of another
 *      machine's GOROOT (".../src/<pkg>/<file>"), and -trimpath names
 *      ("runtime/proc.go"), under $GOROOT or `go env GOROOT`;
 *   5. the Go module cache: "<module>@<version>/<file>" (as -trimpath
 *      writes it, or after ".../pkg/mod/") under $GOMODCACHE (default
 *      $GOPATH/pkg/mod, $HOME/go/pkg/mod) with upper-case letters escaped
 *      as "!x";
 *   6. vendor/ directories and go.mod files of the search directories and
 *      their parents ("<module>/<file>" of a -trimpath main module).
 * A file that is not found keeps pprof's error ("could not find file X on
 * path Y", or "open X: no such file or directory" for an absolute name).
 *
 * Lines are split as Go's bufio.Scanner does (on '\n', a trailing '\r'
 * dropped).
 */
#ifndef CPROF_SOURCE_H
#define CPROF_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "cprof/strbuf.h"

struct cprof_source_reader;

/*
 * search_path: colon-separated directories (-source_path), NULL or "" for
 * the current directory; trim_path: colon-separated prefixes (-trim_path).
 */
struct cprof_source_reader *cprof_source_reader_new(const char *search_path, const char *trim_path);
void cprof_source_reader_free(struct cprof_source_reader *r);

/* The search path in use (the current directory when none was given). */
const char *cprof_source_search_path(const struct cprof_source_reader *r);

/*
 * Line lineno (1-based) of the file path names, without its newline.
 * false when the line does not exist or the file cannot be read.
 */
bool cprof_source_line(struct cprof_source_reader *r, const char *path, int64_t lineno, const char **text,
		       size_t *len);

/* The error met reading path (after a cprof_source_line call), or NULL. */
const char *cprof_source_error(struct cprof_source_reader *r, const char *path);

/*
 * pprof's trimPath: the part of path to keep, a suffix of path (so the
 * result points into it).
 */
const char *cprof_source_trim_path(const char *path, const char *trim_path, const char *search_path);

#endif
