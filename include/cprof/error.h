/*
 * error.h - one error list for the library. Library code (formats/, render/,
 * the pipeline) never prints or exits: it fills a struct cprof_error and
 * returns -1. Only the command layer (src/cmd/main.c) talks to the user.
 *
 * Messages follow the house style: lower case, no full stop, quoted subject.
 */
#ifndef CPROF_ERROR_H
#define CPROF_ERROR_H

#include "cprof/util.h"

/* X(name, generic message) */
#define CPROF_ERRORS(X)                                   \
	X(OK, "success")                                      \
	X(IO, "input/output error")                           \
	X(FORMAT, "unrecognized profile format")              \
	X(CORRUPT, "malformed profile")                       \
	X(EMPTY, "empty input file")                          \
	X(LIMIT, "input exceeds a limit")                     \
	X(INCOMPATIBLE, "incompatible profiles")              \
	X(USAGE, "invalid option")                            \
	X(REGEX, "invalid regular expression")                \
	X(NOMATCH, "no matches")                              \
	X(UNSUPPORTED, "unsupported")

enum cprof_errcode {
#define CPROF_ERR_ENUM_(name, msg) CPROF_E_##name,
	CPROF_ERRORS(CPROF_ERR_ENUM_)
#undef CPROF_ERR_ENUM_
	CPROF_E__COUNT
};

struct cprof_error {
	enum cprof_errcode code;
	char msg[1024]; /* specific message; empty means use the generic one */
};

/* The generic message of a code. */
const char *cprof_errcode_str(enum cprof_errcode code);
/* Record an error; always returns -1 so callers can `return cprof_error_set(...)`. */
int cprof_error_set(struct cprof_error *err, enum cprof_errcode code, const char *fmt, ...)
	CPROF_PRINTF(3, 4);
/* The message to show: err->msg, or the generic text when it is empty. */
const char *cprof_error_msg(const struct cprof_error *err);
/* Prefix the current message with "<prefix>: ". */
void cprof_error_prefix(struct cprof_error *err, const char *fmt, ...) CPROF_PRINTF(2, 3);

#endif
