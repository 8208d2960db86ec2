/* error.c - the library's error record (see error.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cprof/error.h"

static const char *const generic[] = {
#define CPROF_ERR_STR_(name, msg) msg,
	CPROF_ERRORS(CPROF_ERR_STR_)
#undef CPROF_ERR_STR_
};

const char *cprof_errcode_str(enum cprof_errcode code)
{
	if ((unsigned)code >= CPROF_ARRAY_SIZE(generic))
		return "unknown error";
	return generic[code];
}

int cprof_error_set(struct cprof_error *err, enum cprof_errcode code, const char *fmt, ...)
{
	if (!err)
		return -1;
	err->code = code;
	err->msg[0] = '\0';
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return -1;
}

const char *cprof_error_msg(const struct cprof_error *err)
{
	return err->msg[0] ? err->msg : cprof_errcode_str(err->code);
}

void cprof_error_prefix(struct cprof_error *err, const char *fmt, ...)
{
	char prefix[512], old[sizeof(err->msg)];
	size_t np, no;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	no = strlen(cprof_error_msg(err));
	if (no >= sizeof(old))
		no = sizeof(old) - 1;
	memcpy(old, cprof_error_msg(err), no);
	old[no] = '\0';
	/* "<prefix>: <old>", cut to fit: the message is for a human, not a parser */
	np = strlen(prefix);
	if (np > sizeof(err->msg) - 3)
		np = sizeof(err->msg) - 3;
	memcpy(err->msg, prefix, np);
	memcpy(err->msg + np, ": ", 2);
	if (no > sizeof(err->msg) - np - 3)
		no = sizeof(err->msg) - np - 3;
	memcpy(err->msg + np + 2, old, no);
	err->msg[np + 2 + no] = '\0';
}
