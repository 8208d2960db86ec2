/*
 * formats.h - reading and writing profile files.
 *
 * cprof_read_profile() is the one entry point for every input format: it
 * reads the file, inflates gzip (bounded), and tries the parsers of the
 * format registry (formats/registry.c) in pprof's order: profile.proto
 * first, then the legacy text and binary formats.
 */
#ifndef CPROF_FORMATS_H
#define CPROF_FORMATS_H

#include <stddef.h>
#include <stdint.h>
#include "cprof/profile.h"
#include "cprof/strbuf.h"

/* Limits against hostile input; raised with command-line flags. */
struct cprof_limits {
	uint64_t max_inflated;  /* bytes after gunzip; default 4 GiB */
	uint32_t max_depth;     /* frames per sample; default 1,000,000 */
};
extern struct cprof_limits cprof_limits;

/*
 * Read a whole file (or stdin for "-") into memory. Returns 0 or -1 with
 * err set ("cannot open 'x': No such file or directory").
 */
int cprof_read_file(const char *path, struct strbuf *out, struct cprof_error *err);

/*
 * If data starts with the gzip magic, inflate it (all members) into out
 * and return 1; return 0 when it is not gzip; -1 on error ("decompressing
 * profile: ...") or when the output would exceed cprof_limits.max_inflated.
 */
int cprof_gunzip(const unsigned char *data, size_t len, struct strbuf *out, struct cprof_error *err);

/*
 * Parse bytes (already inflated) as any supported format. *out is a new
 * profile on success. Errors follow pprof: empty input is
 * "empty input file", a second time_nanos is "concatenated profiles
 * detected", nothing recognised is "unrecognized profile format".
 */
int cprof_parse_profile(const unsigned char *data, size_t len, struct cprof_profile **out,
			struct cprof_error *err);

/* Read, inflate and parse a file; sets p->source to path. */
int cprof_read_profile(const char *path, struct cprof_profile **out, struct cprof_error *err);

/*
 * profile.proto decoder (formats/pprof_read.c), following pprof's own
 * decoder rules (unknown fields skipped, packed or unpacked repeated
 * scalars, string index range checks). Returns 0, or -1 with err->code
 * CPROF_E_FORMAT when the bytes are not a profile (so legacy parsers may
 * try), or another code for a definite error.
 */
int cprof_pprof_decode(const unsigned char *data, size_t len, struct cprof_profile **out,
		       struct cprof_error *err);

/*
 * profile.proto encoder (formats/pprof_write.c, through protobuf-c code
 * generated from formats/profile.proto). Writes the profile gzipped, with
 * pprof's string table order, to out.
 */
int cprof_pprof_encode(const struct cprof_profile *p, struct strbuf *out, struct cprof_error *err);
/* The same, not compressed. */
int cprof_pprof_encode_raw(const struct cprof_profile *p, struct strbuf *out, struct cprof_error *err);

/*
 * The parse-only dump: pprof's Profile.String() layout (also what -raw
 * prints after processing). Appends to out.
 */
void cprof_profile_dump(const struct cprof_profile *p, struct strbuf *out);

#endif
