/*
 * limits.c - the -max_* flags: how much input cprof accepts.
 *
 *   -max_input_size  bytes of a file, or of a gzip file once inflated
 *   -max_depth       frames in one sample (or one goroutine's stack)
 *   -max_samples     samples in one profile
 *   -max_locations   locations in one profile
 *   -max_string      bytes of one string in a profile.proto string table
 *
 * The defaults (include/cprof/formats.h, formats/gzip.c) are far above any
 * real profile; they are there so that a hostile or corrupt file fails
 * with one clear line instead of exhausting memory.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/formats.h"
#include "cprof/util.h"
#include "src/cmd/limits.h"

struct limit_flag {
	const char *name;
	const char *help;
	uint64_t max; /* largest value the field holds */
};

static const struct limit_flag limit_flags[] = {
	{"max_input_size", "Max bytes of an input file, or of gzip input once inflated", UINT64_MAX},
	{"max_depth", "Max frames in one sample", UINT32_MAX},
	{"max_samples", "Max samples in one profile", UINT64_MAX},
	{"max_locations", "Max locations in one profile", UINT64_MAX},
	{"max_string", "Max bytes of one profile.proto string", UINT64_MAX},
};

static void limit_set(size_t i, uint64_t v)
{
	switch (i) {
	case 0: cprof_limits.max_inflated = v; break;
	case 1: cprof_limits.max_depth = (uint32_t)v; break;
	case 2: cprof_limits.max_samples = v; break;
	case 3: cprof_limits.max_locations = v; break;
	case 4: cprof_limits.max_string = v; break;
	}
}

static uint64_t limit_get(size_t i)
{
	switch (i) {
	case 0: return cprof_limits.max_inflated;
	case 1: return cprof_limits.max_depth;
	case 2: return cprof_limits.max_samples;
	case 3: return cprof_limits.max_locations;
	default: return cprof_limits.max_string;
	}
}

/* "123", "64K", "8G": a positive count. */
static int parse_size(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned shift = 0;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	}
	if (*end || v == 0 || v > (UINT64_MAX >> shift) || (v << shift) > max)
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

/* The flag argv[i] names, or -1; *val is its "=value" part (or NULL). */
static int match_flag(const char *arg, const char **val)
{
	if (arg[0] != '-')
		return -1;
	arg += arg[1] == '-' ? 2 : 1;
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(limit_flags); i++) {
		size_t n = strlen(limit_flags[i].name);
		if (strncmp(arg, limit_flags[i].name, n) != 0)
			continue;
		if (arg[n] == '=') {
			*val = arg + n + 1;
			return (int)i;
		}
		if (arg[n] == '\0') {
			*val = NULL;
			return (int)i;
		}
	}
	return -1;
}

int cprof_limits_take_args(int *argc, char **argv, struct cprof_error *err)
{
	int in = 1, out = 1;

	while (in < *argc) {
		const char *val;
		int f;
		if (strcmp(argv[in], "--") == 0)
			break;
		f = match_flag(argv[in], &val);
		if (f < 0) {
			argv[out++] = argv[in++];
			continue;
		}
		int used = 1;
		if (!val) {
			if (in + 1 >= *argc)
				return cprof_error_set(err, CPROF_E_USAGE, "flag needs an argument: -%s",
						       limit_flags[f].name);
			val = argv[in + 1];
			used = 2;
		}
		uint64_t v;
		if (parse_size(val, limit_flags[f].max, &v) < 0)
			return cprof_error_set(err, CPROF_E_USAGE,
					       "invalid value \"%s\" for flag -%s: want a positive number, "
					       "optionally with K, M or G",
					       val, limit_flags[f].name);
		limit_set((size_t)f, v);
		in += used;
	}
	while (in < *argc)
		argv[out++] = argv[in++];
	argv[out] = NULL;
	*argc = out;
	return 0;
}

void cprof_limits_usage(FILE *f)
{
	fputs("\n  Limits (N may end in K, M or G):\n", f);
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(limit_flags); i++) {
		char name[64];
		snprintf(name, sizeof(name), "-%s=N", limit_flags[i].name);
		fprintf(f, "    %-24s %s (default %llu)\n", name, limit_flags[i].help,
			(unsigned long long)limit_get(i));
	}
}
