/*
 * legacy_cpu.c - the binary CPU profile of gperftools (and of Go before
 * profile.proto), and its Java variant.
 *
 * A sequence of machine words (32 or 64 bits, either byte order: the first
 * reading whose header fits wins, in the order 32 LE, 32 BE, 64 LE, 64 BE):
 *
 *   header   0  3  0|1  <period in µs, > 0>  0        third word 1 = Java
 *   record   <count>  <n>  <pc 1> ... <pc n>          pc 1 is the leaf
 *   ...
 *   trailer  0  1  0
 *   text     /proc/self/maps lines (C++), or Java's symbol lines
 *
 * e.g. the first 40 bytes of a 64-bit little-endian profile at 100 Hz:
 *
 *   00000000 00000000  03000000 00000000  00000000 00000000  10270000 00000000
 *   00000000 00000000                     (period 10000 µs)
 *
 * pprof (Go 1.19, parseCPU, cpuProfile, javaCPUProfile):
 *
 *  - sample types samples/count cpu/nanoseconds, period type
 *    cpu/nanoseconds, period = µs * 1000, values [count, count * period];
 *  - a record longer than the data (counted in 4-byte words even for 64-bit
 *    profiles), or data ending inside a count or length, means "not this
 *    format"; missing addresses at the very end read as 0;
 *  - C++: every pc but the leaf moves back by one; up to twice, a pc seen
 *    as the second frame of nearly all samples (all but len/32) is the
 *    signal handler's frame and is removed; then the memory map is read;
 *    finally a second frame equal to the leaf's pc - 1 is removed;
 *  - Java: pcs stay as they are, the symbol lines name them, addresses are
 *    then zeroed.
 */
#include <stdlib.h>
#include <string.h>

#include "formats/legacy.h"

struct words {
	const unsigned char *p;
	size_t n;   /* bytes left */
	int size;   /* 4 or 8 */
	bool big;
	bool ended; /* a read ran past the end (Go's nil slice) */
};

/* One word; past the end it reads 0 and the data is gone from then on. */
static uint64_t get_word(struct words *w)
{
	if (w->ended || w->n < (size_t)w->size) {
		w->ended = true;
		w->n = 0;
		return 0;
	}
	uint64_t v = 0;
	for (int i = 0; i < w->size; i++) {
		unsigned b = w->p[w->big ? i : w->size - 1 - i];
		v = v << 8 | b;
	}
	w->p += w->size;
	w->n -= (size_t)w->size;
	return v;
}

/* parseCPUSamples; on success w holds what follows the trailer. */
static int read_samples(struct legacy *lp, struct words *w, bool adjust, struct cprof_error *err)
{
	int64_t period = lp->p->period;

	while (w->n > 0) {
		uint64_t count = get_word(w), nstk = get_word(w);
		if (w->ended || nstk > w->n / 4)
			return legacy_unrecognized(err);
		lp->naddrs = 0;
		for (uint64_t i = 0; i < nstk; i++)
			legacy_push_addr(lp, get_word(w));
		if (count == 0 && nstk == 1 && lp->addrs[0] == 0) {
			lp->naddrs = 0;
			break;
		}
		int64_t value[2] = {(int64_t)count, go_mul((int64_t)count, period)};
		if (legacy_add_sample(lp, adjust ? 1 : SIZE_MAX, value, 2, err) < 0)
			return -1;
	}
	return 0;
}

/*
 * The profiler's signal frame: if one address is the second frame of at
 * least len - len/32 samples, remove it from them (at most one address can
 * qualify, as the counts add up to at most len).
 */
static void strip_signal_frame(struct cprof_profile *p)
{
	size_t margin = p->nsample / 32;
	uint32_t *count = cprof_xcalloc(p->nlocation ? p->nlocation : 1, sizeof(*count));

	for (int iter = 0; iter < 2; iter++) {
		memset(count, 0, p->nlocation * sizeof(*count));
		uint32_t hit = CPROF_NONE;
		for (size_t i = 0; i < p->nsample; i++) {
			const struct cprof_sample *s = &p->sample[i];
			if (s->nloc > 1 && ++count[s->loc[1]] >= p->nsample - margin)
				hit = s->loc[1];
		}
		if (hit == CPROF_NONE)
			continue;
		for (size_t i = 0; i < p->nsample; i++) {
			struct cprof_sample *s = &p->sample[i];
			if (s->nloc > 1 && s->loc[1] == hit) {
				memmove(&s->loc[1], &s->loc[2], (s->nloc - 2) * sizeof(*s->loc));
				s->nloc--;
			}
		}
	}
	free(count);
}

/*
 * The first reading whose header fits: true with *w just past the header
 * and h[] its five words. Needs the first 40 bytes at most.
 */
static bool find_header(const unsigned char *data, size_t len, struct words *w, uint64_t h[5])
{
	static const struct {
		int size;
		bool big;
	} forms[] = {{4, false}, {4, true}, {8, false}, {8, true}};

	for (size_t f = 0; f < CPROF_ARRAY_SIZE(forms); f++) {
		*w = (struct words){data, len, forms[f].size, forms[f].big, false};
		for (int i = 0; i < 5; i++)
			h[i] = get_word(w);
		if (!w->ended && h[0] == 0 && h[1] == 3 && (h[2] == 0 || h[2] == 1) && h[3] > 0 && h[4] == 0)
			return true;
	}
	return false;
}

enum cprof_probe cprof_legacy_cpu_probe(const unsigned char *head, size_t len, struct cprof_error *err)
{
	struct words w;
	uint64_t h[5];
	(void)err;
	return len >= 40 && !find_header(head, len, &w, h) ? CPROF_PROBE_NOT : CPROF_PROBE_MAYBE;
}

int cprof_legacy_cpu_parse(const unsigned char *data, size_t len, struct cprof_profile **out,
			   struct cprof_error *err)
{
	struct words w;
	uint64_t h[5];

	*out = NULL;
	if (!find_header(data, len, &w, h))
		return legacy_unrecognized(err);
	bool java = h[2] == 1;

	struct legacy lp;
	legacy_init(&lp);
	struct cprof_profile *p = lp.p;
	static const char *const types[] = {"samples", "cpu"}, *const units[] = {"count", "nanoseconds"};
	legacy_set_types(&lp, types, units, 2);
	legacy_set_period_type(&lp, "cpu", "nanoseconds");
	p->period = go_mul((int64_t)h[3], 1000);

	if (read_samples(&lp, &w, !java, err) < 0)
		goto fail;
	if (java) {
		if (legacy_java_locations(&lp, (const char *)w.p, w.n, err) < 0)
			goto fail;
		legacy_zero_addresses(&lp);
	} else {
		struct line_scanner sc;
		strip_signal_frame(p);
		lscan_init(&sc, (const char *)w.p, w.n);
		if (legacy_read_maps(&lp, &sc, err) < 0)
			goto fail;
		legacy_drop_duplicate_leaf(&lp);
	}
	legacy_done(&lp, out);
	return 0;

fail:
	legacy_release(&lp);
	return -1;
}
