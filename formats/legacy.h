/*
 * legacy.h - formats-private: what the legacy profile parsers share.
 *
 * The legacy parsers (legacy_cpu.c, legacy_heap.c, legacy_count.c,
 * legacy_thread.c, legacy_contention.c, legacy_java.c) read the formats
 * pprof read before profile.proto existed. Their reference is Go 1.19's
 * vendored pprof (profile/legacy_profile.go, legacy_java_profile.go): a
 * file must give the same profile, or the same error, as there. Go's
 * behaviour leaks into the details, so the pieces of Go they rely on are
 * rebuilt here once:
 *
 *  - bufio.Scanner's line splitting ("\n", one trailing "\r" dropped, a
 *    line of 64 KiB or more is the error "bufio.Scanner: token too long",
 *    the text after the last line is "");
 *  - strings.TrimSpace and pprof's isSpaceOrComment;
 *  - strconv.ParseInt / ParseUint with their bases, underscores, overflow
 *    rules and error texts;
 *  - Go's float64 -> int64 conversion (out of range gives INT64_MIN, as
 *    amd64 does) and math.Exp as Go computes it on amd64;
 *  - the regular expressions: each parser matches its lines with a small
 *    hand-written matcher that finds what RE2 (leftmost-first) would find,
 *    in linear time, so hostile lines cannot make a parser slow.
 *
 * Building the profile: parsers add locations by address (one location per
 * distinct address, in order of creation) and samples; legacy_finish()
 * then does what pprof does after every legacy parse: read the memory map,
 * massage the mappings, renumber locations, functions and mappings, and
 * set drop_frames / keep_frames for the profile's kind.
 */
#ifndef CPROF_FORMATS_LEGACY_H
#define CPROF_FORMATS_LEGACY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cprof/formats.h"

/* ---- pieces of text ------------------------------------------------------- */

struct span {
	const char *p;
	size_t n;
};

static inline struct span span_make(const char *p, size_t n)
{
	struct span s = {p, n};
	return s;
}

bool span_eq(struct span s, const char *lit);
bool span_has_prefix(struct span s, const char *lit);
bool span_contains(struct span s, const char *lit);
/* Go's strings.TrimSpace (ASCII and Unicode white space). */
struct span go_trim_space(struct span s);
/* pprof's isSpaceOrComment: empty after trimming, or starting with '#'. */
bool is_space_or_comment(struct span s);
/* Go's regexp \s: [\t\n\f\r ] (no \v). */
static inline bool re_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}
static inline bool re_digit(int c)
{
	return c >= '0' && c <= '9';
}
static inline bool re_xdigit(int c)
{
	return re_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
/* Go's regexp \w: [0-9A-Za-z_]. */
static inline bool re_word(int c)
{
	return re_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
/* pprof's memory map sentinels: "--- Memory map: ---" or "MAPPED_LIBRARIES:" anywhere. */
bool is_memory_map_sentinel(struct span s);

/*
 * pprof's hexNumberRE (0x[0-9a-f]+) as FindAllString: the next match at or
 * after *pos in s; advances *pos past it. Returns false when there is none.
 */
bool next_hex_number(struct span s, size_t *pos, struct span *out);

/* ---- bufio.Scanner -------------------------------------------------------- */

#define GO_MAX_TOKEN 65536 /* bufio.MaxScanTokenSize */

struct line_scanner {
	const char *data;
	size_t len, pos;
	struct span text; /* the current line; empty after the last one */
	size_t lineno;    /* 1-based number of the current line */
	bool too_long;    /* stopped at a line of GO_MAX_TOKEN bytes or more */
};

void lscan_init(struct line_scanner *s, const char *data, size_t len);
/* The next line, as Scanner.Scan; false at the end or on a too long line. */
bool lscan_next(struct line_scanner *s);
/* Scanner.Err(): sets the error and returns -1 when the scan stopped on a long line. */
int lscan_err(const struct line_scanner *s, struct cprof_error *err);
/*
 * lscan_next() over a head, the start of a longer input (the first-bytes
 * rules): false with *cut set when the next line does not end in the
 * head, so the rest of the input decides; false without *cut after a
 * line too long (that much is known from the head).
 */
bool lscan_next_head(struct line_scanner *s, bool *cut);

/* ---- strconv -------------------------------------------------------------- */

/*
 * strconv.ParseInt(s, base, 64) and ParseUint(s, base, 64) for base 0, 10
 * or 16. Return 0, or -1 with msg (may be NULL) set to Go's error text,
 * e.g. `strconv.ParseInt: parsing "09": invalid syntax`.
 */
int go_parse_int(struct span s, int base, int64_t *out, char *msg, size_t msgsize);
int go_parse_uint(struct span s, int base, uint64_t *out, char *msg, size_t msgsize);

/* int64(f) as Go compiles it on amd64: NaN and out of range give INT64_MIN. */
int64_t go_f2i(double f);
/* math.Exp as Go 1.19 computes it on amd64 (FMA used when the CPU has it). */
double go_exp(double x);
/*
 * scaleHeapSample: undo the Poisson sampling of a heap sample taken with
 * mean rate `rate` (none when rate <= 1); a zero count or size gives 0, 0.
 */
void legacy_scale_heap(int64_t *count, int64_t *size, int64_t rate);
/* Wrapping int64 arithmetic (Go's overflow semantics). */
static inline int64_t go_mul(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a * (uint64_t)b);
}
/* a / b for b != 0; INT64_MIN / -1 is INT64_MIN, as in Go. */
static inline int64_t go_div(int64_t a, int64_t b)
{
	if (b == -1)
		return (int64_t)(0 - (uint64_t)a);
	return a / b;
}

/* ---- building the profile ------------------------------------------------- */

struct addr_map {
	uint64_t *key;
	uint32_t *val;
	size_t size, count; /* size is 0 or a power of 2 */
};

struct text_comments_builder; /* legacy_comments.c */

struct legacy {
	struct cprof_profile *p;
	struct addr_map locs;       /* address -> location index */
	uint64_t *addrs;            /* scratch: addresses of the sample being read */
	size_t naddrs, aaddrs;
	uint32_t *stack;            /* scratch: its location indices */
	size_t astack;
	struct text_comments_builder *comments; /* Go debug=1 '#' lines, or NULL */
};

void legacy_init(struct legacy *lp);
void legacy_release(struct legacy *lp);
void addr_map_release(struct addr_map *m);
/* The location index for addr, or CPROF_NONE. */
uint32_t addr_map_get(const struct addr_map *m, uint64_t addr);
void addr_map_put(struct addr_map *m, uint64_t addr, uint32_t val);

/* The location for an address: the existing one, or a new one. */
uint32_t legacy_location(struct legacy *lp, uint64_t addr);
/* Append an address to the scratch list (lp->addrs). */
void legacy_push_addr(struct legacy *lp, uint64_t addr);
/*
 * Add a sample with the scratch addresses (each adjusted by -1 from index
 * `adjust_from` on: 0 = all, 1 = all but the leaf, SIZE_MAX = none), and
 * nvalue values. Fails (CPROF_E_LIMIT) past cprof_limits.max_depth frames.
 */
int legacy_add_sample(struct legacy *lp, size_t adjust_from, const int64_t *value, size_t nvalue,
		      struct cprof_error *err);
/* Add a numeric label (no unit) to the last sample. */
void legacy_add_num_label(struct legacy *lp, const char *key, int64_t num);

/* Set the sample types and the period type. */
void legacy_set_types(struct legacy *lp, const char *const *types, const char *const *units, size_t n);
void legacy_set_period_type(struct legacy *lp, const char *type, const char *unit);

/*
 * pprof's parseAdditionalSections: skip to the memory map sentinel (unless
 * the current line is one), then as legacy_read_maps().
 */
int legacy_additional_sections(struct legacy *lp, struct line_scanner *sc, struct cprof_error *err);
/*
 * pprof's ParseMemoryMapFromScanner: parse the rest of the scanner as a
 * memory map, append the mappings, massage them, renumber locations,
 * functions and mappings (legacy_remap()).
 */
int legacy_read_maps(struct legacy *lp, struct line_scanner *sc, struct cprof_error *err);
/* remapLocationIDs, remapFunctionIDs, remapMappingIDs. */
void legacy_remap(struct legacy *lp);
/* cleanupDuplicateLocations: drop a second frame equal to the leaf's address - 1. */
void legacy_drop_duplicate_leaf(struct legacy *lp);
/* Zero every location address (pprof's Aggregate(..., address=false)). */
void legacy_zero_addresses(struct legacy *lp);
/*
 * The end of a successful parse: drop_frames / keep_frames for the
 * profile's kind (addLegacyFrameInfo), the '#' comments attached. Hands
 * the profile to *out.
 */
void legacy_done(struct legacy *lp, struct cprof_profile **out);

/* errUnrecognized: "not mine" (CPROF_E_FORMAT), so the next parser tries. */
int legacy_unrecognized(struct cprof_error *err);
/* A final parse error: "parsing profile: <msg>". */
int legacy_fail(struct cprof_error *err, const char *fmt, ...) CPROF_PRINTF(2, 3);
/*
 * Say where a final parse error (set by legacy_fail) was met: appends
 * ", at line N" (pprof's messages do not say; cprof's do).
 */
void legacy_fail_at_line(struct cprof_error *err, size_t lineno);

/* ---- the memory map (legacy_maps.c) --------------------------------------- */

struct map_entry {
	struct span start, limit, perm, offset, file, build_id;
};
/*
 * pprof's parseMappingEntry regular expressions (procMapsRE, then
 * briefMapsRE) on one line. Returns true and the captured fields (empty
 * spans for absent ones) when a line matches.
 */
bool legacy_match_map_line(struct span line, struct map_entry *e);
/* removeLoggingInfo: the line without a glog "file:line] " prefix. */
struct span legacy_strip_log_prefix(struct span line);
/* pprof's libRx: the name of a shared library (".so" at the end, ".so.N", ".so_N"). */
bool legacy_is_lib_name(struct span s);

/* ---- Java symbol sections (legacy_java.c) --------------------------------- */

/* parseJavaLocations: name the locations from "0x<addr> <function> (<file>:<line>)" lines. */
int legacy_java_locations(struct legacy *lp, const char *data, size_t len, struct cprof_error *err);

/* ---- Go debug=1 comment lines (legacy_comments.c) ------------------------- */

/* Start collecting (parsers of Go's text formats call this once). */
void legacy_comments_begin(struct legacy *lp);
/*
 * A comment line (trimmed, starting with '#'); it describes the last
 * sample added. The span must stay valid until legacy_done().
 */
void legacy_comments_line(struct legacy *lp, struct span line);
/* Hand what was collected to the profile (p->text_comments); frees the builder. */
void legacy_comments_end(struct legacy *lp);
void legacy_comments_free(struct legacy *lp);

#endif
