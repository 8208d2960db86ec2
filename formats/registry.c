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
 * pprof also runs perf.data files ("PERFILE2") through the external
 * perf_to_profile converter; cprof does not.
 */
#include <string.h>

#include "cprof/formats.h"
#include "cprof/goroutines.h"

typedef int (*parse_fn)(const unsigned char *data, size_t len, struct cprof_profile **out,
			struct cprof_error *err);

struct parser {
	const char *name;
	parse_fn parse;
	bool checks_valid; /* the parser already ran the validity check */
};

/* pprof's order (profile.go: ParseUncompressed, then parseLegacy's list). */
static const struct parser parsers[] = {
	{"profile.proto", cprof_pprof_decode, true},
	{"binary CPU", cprof_legacy_cpu_parse, false},
	{"heap text", cprof_legacy_heap_parse, false},
	{"Go count", cprof_legacy_count_parse, false},
	{"threadz", cprof_legacy_thread_parse, false},
	{"contention text", cprof_legacy_contention_parse, false},
	{"Java heapz/contentionz", cprof_legacy_java_parse, false},
	/* not in pprof: keep last, it looks for a goroutine header anywhere */
	{"goroutine dump", cprof_goroutine_dump_parse, false},
	/* not in pprof: folded stacks (FlameGraph), detected by every line's shape */
	{"folded stacks", cprof_folded_parse, false},
};

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

int cprof_parse_profile(const unsigned char *data, size_t len, struct cprof_profile **out,
			struct cprof_error *err)
{
	struct cprof_error local;

	if (!err)
		err = &local;
	*out = NULL;
	if (len == 0)
		return cprof_error_set(err, CPROF_E_EMPTY, "parsing profile: empty input file");

	for (size_t i = 0; i < CPROF_ARRAY_SIZE(parsers); i++) {
		struct cprof_profile *p = NULL;
		if (parsers[i].parse(data, len, &p, err) < 0) {
			if (err->code == CPROF_E_FORMAT)
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

int cprof_read_profile(const char *path, struct cprof_profile **out, struct cprof_error *err)
{
	struct strbuf raw = STRBUF_INIT, inflated = STRBUF_INIT;
	int ret = -1, gz;

	*out = NULL;
	if (cprof_read_file(path, &raw, err) < 0)
		goto out;
	gz = cprof_gunzip((const unsigned char *)raw.buf, raw.len, &inflated, err);
	if (gz < 0)
		goto out;
	if (gz > 0) {
		strbuf_release(&raw);
		ret = cprof_parse_profile((const unsigned char *)inflated.buf, inflated.len, out, err);
	} else {
		ret = cprof_parse_profile((const unsigned char *)raw.buf, raw.len, out, err);
	}
	if (ret == 0)
		(*out)->source = cprof_profile_str(*out, path);
out:
	strbuf_release(&raw);
	strbuf_release(&inflated);
	return ret;
}
