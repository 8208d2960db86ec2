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

/*
 * Limits against hostile input; raised (or lowered) with the -max_* flags
 * (src/cmd/limits.c). Each is checked where the input is read, and a profile
 * past one fails with CPROF_E_LIMIT and a message naming the flag.
 */
struct cprof_limits {
	uint64_t max_inflated;  /* -max_input_size: bytes read or inflated; default 1 GiB */
	uint32_t max_depth;     /* -max_depth: frames per sample; default 1,000,000 */
	uint64_t max_samples;   /* -max_samples: samples per profile; default 100,000,000 */
	uint64_t max_locations; /* -max_locations: locations per profile; default 100,000,000 */
	uint64_t max_string;    /* -max_string: bytes of one profile.proto string; default 16 MiB */
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
 * First-bytes rules. A gzip bomb (a megabyte holding a gigabyte of zeros)
 * should be refused once its first bytes show that it cannot be what the
 * caller reads, not after inflating up to the limit: a head check looks at
 * the first CPROF_HEAD_BYTES of an input's content (inflated) before the
 * rest is read or inflated. It returns 0 to go on, or -1 with err set to
 * refuse the input; it must refuse only what reading the whole input
 * would refuse, with the same error. 128 KiB: Go's text parsers fail on a
 * line of 64 KiB ("bufio.Scanner: token too long"), so the head shows
 * whether any line that starts in its first half is one.
 */
#define CPROF_HEAD_BYTES ((size_t)128 << 10)
typedef int (*cprof_head_check)(const unsigned char *head, size_t len, void *ctx, struct cprof_error *err);

/*
 * Read a file (or stdin for "-") whole into out, inflated when it is gzip
 * (bounded by cprof_limits.max_inflated), calling check (may be NULL) on
 * the first CPROF_HEAD_BYTES of the content when there are more. Returns
 * 0 or -1 with err set.
 */
int cprof_read_input(const char *path, struct strbuf *out, cprof_head_check check, void *ctx,
		     struct cprof_error *err);

/*
 * What the first bytes of an input say about one format: each parser's
 * first-bytes rule (the parsers' probes below). head holds the first len
 * bytes of an input at least that long.
 */
enum cprof_probe {
	CPROF_PROBE_MAYBE, /* it may be this format: read on */
	CPROF_PROBE_NOT,   /* the parser says "not this format" (CPROF_E_FORMAT) whatever follows */
	CPROF_PROBE_FAIL,  /* the parser fails with the error now in err, whatever follows */
};
typedef enum cprof_probe (*cprof_probe_fn)(const unsigned char *head, size_t len, struct cprof_error *err);

/*
 * The registry's head check (a cprof_head_check, ctx unused): the probes
 * in the parsers' order; the input is refused when none may read it (with
 * "unrecognized profile format") or when the first that does not say
 * "not mine" fails.
 */
int cprof_profile_head_check(const unsigned char *head, size_t len, void *ctx, struct cprof_error *err);

/*
 * A head check for inputs that must be text: a NUL byte in the head refuses
 * them ("not a text file: NUL byte in the first 128 KiB, at byte N").
 */
int cprof_text_head_check(const unsigned char *head, size_t len, void *ctx, struct cprof_error *err);

/*
 * Parse bytes (already inflated) as any supported format. *out is a new
 * profile on success, checked with cprof_profile_check_valid(). Errors
 * follow pprof: empty input is "empty input file", a second time_nanos is
 * "concatenated profiles detected", nothing recognised is "unrecognized
 * profile format".
 */
int cprof_parse_profile(const unsigned char *data, size_t len, struct cprof_profile **out,
			struct cprof_error *err);

/*
 * Read, inflate and parse a file; sets p->source to path. Like
 * cprof_parse_profile(), the profile has passed cprof_profile_check_valid().
 */
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
 * The same, for a buffer the caller owns and will not read again unless
 * told: as the samples (usually most of the file) are decoded, the whole
 * pages behind them are given back to the system (madvise MADV_DONTNEED),
 * so they read as zeros afterwards. *released says whether any page went;
 * if so and the decode fails, the bytes must be read again before another
 * parser looks at them. data must be private anonymous memory (malloc).
 */
int cprof_pprof_decode_consume(unsigned char *data, size_t len, struct cprof_profile **out,
			       struct cprof_error *err, bool *released);
/*
 * The first-bytes rule of profile.proto: CPROF_PROBE_NOT when a top-level
 * field in head is one pprof's decoder rejects (a wire type other than 0,
 * 1, 2, 5, a known field with the wrong wire type, a varint of more than
 * 10 bytes, a first string that is not empty, a length that cannot fit
 * under -max_input_size) or has the number 0 (which the protobuf encoding
 * does not have; pprof would skip it).
 */
enum cprof_probe cprof_pprof_probe(const unsigned char *head, size_t len, struct cprof_error *err);
/*
 * A function the profile.proto decoder calls, in the calling thread, once
 * a profile's mappings are decoded and before its locations and samples
 * are (p then holds the header and the mappings only): the main binary can
 * be opened while the rest is read. NULL (the default) for none.
 */
typedef void (*cprof_pprof_mapping_hook)(const struct cprof_profile *p, void *ctx);
void cprof_pprof_set_mapping_hook(cprof_pprof_mapping_hook hook, void *ctx);

/*
 * The legacy formats (formats/legacy_*.c), one parser each, tried in this
 * order after profile.proto: gperftools/Go binary CPU (and Java CPU), heap
 * text (heapz, heap_v2, Go debug=1 heap, growthz, fragmentationz), Go count
 * profiles (goroutine, threadcreate), threadz, contention (contentionz, Go
 * block and mutex), Java heapz/contentionz. Same contract as
 * cprof_pprof_decode(): -1 with err->code CPROF_E_FORMAT means "not this
 * format"; other errors are final ("parsing profile: ..."). The result is
 * what Go 1.19's pprof makes of the file, drop_frames/keep_frames included
 * (not yet checked with cprof_profile_check_valid()).
 */
int cprof_legacy_cpu_parse(const unsigned char *data, size_t len, struct cprof_profile **out,
			   struct cprof_error *err);
int cprof_legacy_heap_parse(const unsigned char *data, size_t len, struct cprof_profile **out,
			    struct cprof_error *err);
int cprof_legacy_count_parse(const unsigned char *data, size_t len, struct cprof_profile **out,
			     struct cprof_error *err);
int cprof_legacy_thread_parse(const unsigned char *data, size_t len, struct cprof_profile **out,
			      struct cprof_error *err);
int cprof_legacy_contention_parse(const unsigned char *data, size_t len, struct cprof_profile **out,
				  struct cprof_error *err);
int cprof_legacy_java_parse(const unsigned char *data, size_t len, struct cprof_profile **out,
			    struct cprof_error *err);
/* Their first-bytes rules: the header (binary CPU) or first lines they decide on. */
enum cprof_probe cprof_legacy_cpu_probe(const unsigned char *head, size_t len, struct cprof_error *err);
enum cprof_probe cprof_legacy_heap_probe(const unsigned char *head, size_t len, struct cprof_error *err);
enum cprof_probe cprof_legacy_count_probe(const unsigned char *head, size_t len, struct cprof_error *err);
enum cprof_probe cprof_legacy_thread_probe(const unsigned char *head, size_t len, struct cprof_error *err);
enum cprof_probe cprof_legacy_contention_probe(const unsigned char *head, size_t len, struct cprof_error *err);
enum cprof_probe cprof_legacy_java_probe(const unsigned char *head, size_t len, struct cprof_error *err);

/*
 * Folded stacks (formats/folded.c): "root;...;leaf <count>" per line, as
 * FlameGraph and `cprof -folded` write them; sample type samples/count,
 * one function and location per distinct frame. Same contract as
 * cprof_pprof_decode(); tried last.
 */
int cprof_folded_parse(const unsigned char *data, size_t len, struct cprof_profile **out,
		       struct cprof_error *err);
/* Its first-bytes rule: a complete line in head that is not blank, a comment or a stack. */
enum cprof_probe cprof_folded_probe(const unsigned char *head, size_t len, struct cprof_error *err);

/*
 * Use what a Go debug=1 text profile's '#' comment lines say, which pprof
 * ignores (p->text_comments, set by the heap, count and contention
 * parsers): locations without lines get the frames printed for their
 * address (innermost first; with lines false only the outermost function,
 * without file or line, as symbol-table-only symbolization gives), their
 * mapping the has_* flags pprof's symbolizer would set, and goroutine
 * samples their labels. Meant right after parsing, instead of
 * symbolizing from a binary. Clears p->text_comments; returns the number
 * of locations named.
 */
size_t cprof_profile_use_text_comments(struct cprof_profile *p, bool lines);

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
