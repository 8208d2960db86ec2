/*
 * registry.c - which parser reads a profile (pprof's profile.ParseData).
 *
 *   bytes ──► gunzip if 1f 8b ──► empty? "empty input file"
 *         ──► profile.proto ──► (not a profile) legacy parsers, in order
 *         ──► CheckValid
 *
 * A parser says "not mine" by failing with CPROF_E_FORMAT; the next one
 * then tries. Any other failure is final (a recognised but broken file,
 * "concatenated profiles detected", a limit). Parsers set complete
 * messages ("parsing profile: ..." or "malformed profile: ...").
 *
 * Each parser has a first-bytes rule (its probe, in its own file): what
 * the first 128 KiB say about whether it may read the input. Files are read
 * and inflated through cprof_profile_head_check(), which refuses an input
 * as soon as its head rules every parser out (or the first one that would
 * read it fails whatever follows), before the rest is inflated: a gzip
 * bomb of zeros is "bufio.Scanner: token too long" (the heap text parser's
 * error, pprof's too) after 128 KiB rather than after a gigabyte.
 *
 * pprof also runs perf.data files ("PERFILE2") through the external
 * perf_to_profile converter; cprof does not.
 */
#include <string.h>
#include <sys/stat.h>

#include "cprof/allocfreetrace.h"
#include "cprof/formats.h"
#include "cprof/goroutines.h"
#include "cprof/heapdump.h"

typedef int (*parse_fn)(const unsigned char *data, size_t len, struct cprof_profile **out,
			struct cprof_error *err);

struct parser {
	const char *name;
	parse_fn parse;
	cprof_probe_fn probe; /* its first-bytes rule; NULL: the whole input decides */
	bool checks_valid;    /* the parser already ran the validity check */
};

/* pprof's order (profile.go: ParseUncompressed, then parseLegacy's list). */
static const struct parser parsers[] = {
	{"profile.proto", cprof_pprof_decode, cprof_pprof_probe, true},
	{"binary CPU", cprof_legacy_cpu_parse, cprof_legacy_cpu_probe, false},
	{"heap text", cprof_legacy_heap_parse, cprof_legacy_heap_probe, false},
	{"Go count", cprof_legacy_count_parse, cprof_legacy_count_probe, false},
	{"threadz", cprof_legacy_thread_parse, cprof_legacy_thread_probe, false},
	{"contention text", cprof_legacy_contention_parse, cprof_legacy_contention_probe, false},
	{"Java heapz/contentionz", cprof_legacy_java_parse, cprof_legacy_java_probe, false},
	/* not in pprof: Go heap dumps, by their header; stacks are dominator paths */
	{"Go heap dump", cprof_heapdump_profile_parse, cprof_heapdump_probe, false},
	/* not in pprof: GODEBUG=allocfreetrace=1 logs, whose tracebacks the next would take */
	{"allocation trace", cprof_allocfreetrace_parse, cprof_allocfreetrace_probe, false},
	/* not in pprof: keep last, it looks for a goroutine header anywhere */
	{"goroutine dump", cprof_goroutine_dump_parse, cprof_goroutine_dump_probe, false},
	/* not in pprof: folded stacks (FlameGraph), detected by every line's shape */
	{"folded stacks", cprof_folded_parse, cprof_folded_probe, false},
};

int cprof_profile_head_check(const unsigned char *head, size_t len, void *ctx, struct cprof_error *err)
{
	(void)ctx;
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(parsers); i++) {
		enum cprof_probe r = parsers[i].probe ? parsers[i].probe(head, len, err) : CPROF_PROBE_MAYBE;
		if (r == CPROF_PROBE_MAYBE)
			return 0;
		if (r == CPROF_PROBE_FAIL)
			return -1;
	}
	return cprof_error_set(err, CPROF_E_FORMAT, "parsing profile: unrecognized profile format");
}

int cprof_text_head_check(const unsigned char *head, size_t len, void *ctx, struct cprof_error *err)
{
	(void)ctx;
	const unsigned char *nul = memchr(head, '\0', len);
	if (!nul)
		return 0;
	return cprof_error_set(err, CPROF_E_FORMAT, "not a text file: NUL byte in the first %zu KiB, at byte %zu",
			       CPROF_HEAD_BYTES >> 10, (size_t)(nul - head));
}

/* The count limits (cprof_limits), checked once whatever the parser. */
static int check_counts(const struct cprof_profile *p, struct cprof_error *err)
{
	if (p->nsample > cprof_limits.max_samples)
		return cprof_error_set(err, CPROF_E_LIMIT,
				       "parsing profile: %zu samples exceed the limit of %llu (-max_samples)",
				       p->nsample, (unsigned long long)cprof_limits.max_samples);
	if (p->nlocation > cprof_limits.max_locations)
		return cprof_error_set(err, CPROF_E_LIMIT,
				       "parsing profile: %zu locations exceed the limit of %llu (-max_locations)",
				       p->nlocation, (unsigned long long)cprof_limits.max_locations);
	return 0;
}

/*
 * Try the parsers from the first-th on. With released set, data is the
 * caller's to spoil and profile.proto decodes it with
 * cprof_pprof_decode_consume(); when that fails after giving pages back,
 * stop there with its CPROF_E_FORMAT error and *released true, so the
 * caller reads the bytes again for the next parsers.
 */
static int parse_from(unsigned char *data, size_t len, size_t first, bool *released,
		      struct cprof_profile **out, struct cprof_error *err)
{
	for (size_t i = first; i < CPROF_ARRAY_SIZE(parsers); i++) {
		struct cprof_profile *p = NULL;
		int r = i == 0 && released
				? cprof_pprof_decode_consume(data, len, &p, err, released)
				: parsers[i].parse(data, len, &p, err);
		if (r < 0) {
			if (err->code == CPROF_E_FORMAT && !(i == 0 && released && *released))
				continue;
			return -1;
		}
		if (!parsers[i].checks_valid && cprof_profile_check_valid(p, err) < 0) {
			cprof_profile_free(p);
			return -1;
		}
		if (check_counts(p, err) < 0) {
			cprof_profile_free(p);
			return -1;
		}
		*out = p;
		return 0;
	}
	return cprof_error_set(err, CPROF_E_FORMAT, "parsing profile: unrecognized profile format");
}

int cprof_parse_profile(const unsigned char *data, size_t len, struct cprof_profile **out,
			struct cprof_error *err)
{
	struct cprof_error local;

	if (!err)
		err = &local;
	*out = NULL;
	if (len == 0)
		return cprof_error_set(err, CPROF_E_EMPTY, "parsing profile: empty input file");
	/* without released, no parser writes to data */
	return parse_from((unsigned char *)data, len, 0, NULL, out, err);
}

/* The bytes of path, inflated when gzip; 0, or -1 with err set. */
static int load(const char *path, struct strbuf *bytes, struct cprof_error *err)
{
	return cprof_read_input(path, bytes, cprof_profile_head_check, NULL, err);
}

int cprof_read_profile(const char *path, struct cprof_profile **out, struct cprof_error *err)
{
	struct strbuf bytes = STRBUF_INIT;
	struct cprof_error local;
	struct stat st;
	int ret = -1;

	if (!err)
		err = &local;
	*out = NULL;
	if (load(path, &bytes, err) < 0)
		goto out;
	if (bytes.len == 0) {
		cprof_error_set(err, CPROF_E_EMPTY, "parsing profile: empty input file");
		goto out;
	}
	/*
	 * A regular file can be read again, so its bytes may be given back as
	 * they are decoded (most of a big profile's peak memory otherwise). In
	 * the rare case that profile.proto then fails, read it again for the
	 * legacy parsers.
	 */
	bool released = false;
	bool rereadable = strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode);
	ret = parse_from((unsigned char *)bytes.buf, bytes.len, 0, rereadable ? &released : NULL,
			 out, err);
	if (ret < 0 && released && err->code == CPROF_E_FORMAT) {
		strbuf_reset(&bytes);
		if (load(path, &bytes, err) < 0)
			goto out;
		ret = parse_from((unsigned char *)bytes.buf, bytes.len, 1, NULL, out, err);
	}
	if (ret == 0)
		(*out)->source = cprof_profile_str(*out, path);
out:
	strbuf_release(&bytes);
	return ret;
}
