/*
 * legacy.c - -legacy: a profile in the debug=1 text format the Go runtime
 * writes for its kind (runtime/pprof/pprof.go: writeHeapInternal,
 * writeProfileInternal, printCountProfile), which go tool pprof and cprof
 * read back to the same totals.
 *
 *   heap (alloc_*, inuse_* or objects/space):
 *     heap profile: 430: 1745824 [170303: 900989120] @ heap/8192
 *     80: 491520 [317: 1947648] @ 0x4cb73d 0x4cafd5 0x4c76d8 0x437db2 0x464c81
 *     #	0x4cb73c	main.fill+0x0		/work/main/testdata/gen/workload/main.go:448
 *
 *   contention (contentions/count, delay/nanoseconds: block and mutex):
 *     --- contention:
 *     cycles/second=1000000000
 *     2121294143 7833 @ 0x405f98 0x4c624a 0x464c81
 *
 *   count (one count column: goroutine, threadcreate, ...):
 *     goroutine profile: total 18
 *     2 @ 0x438176 0x44903e 0x449015 0x4611e5
 *     # labels: {"role":"locker"}
 *
 * Each record is followed by "#\t<pc>\t<function>+<offset>\t<file>:<line>"
 * lines (inlined frames share the pc) and a blank line, aligned by Go's
 * text/tabwriter (minwidth 1, tabwidth 8, padding 1, padded with tabs) as
 * the runtime does. The model has no function entry addresses, so the
 * offset is always +0x0. Stacks hold return addresses (location address
 * + 1): readers subtract one, which gives back the location's address.
 * Locations without an address (goroutine dumps) get made-up distinct ones
 * above every real address.
 *
 * Values. The profile holds estimated totals; the text holds what the
 * runtime sampled, and readers scale it again:
 *  - heap: a reader multiplies each count/bytes pair by
 *    s = 1/(1-exp(-(bytes/count)/R)), R = half the header's heap/N, and
 *    truncates; so cprof writes N = 2 × period, and for each pair the
 *    smallest count c with trunc(c·s) = C, and bytes b = c × the sample's
 *    `bytes` label (the object size) when that gives back B, else the b
 *    nearest B/s that does. Rounding the other way cannot be avoided in
 *    rare cases where no integer maps back exactly.
 *  - contention: delay is written in cycles at cycles/second=1000000000
 *    (so one cycle is one nanosecond) and the sampling period is 1, so
 *    the values are read back as they are.
 *  - count: counts as they are; samples with the same stack and string
 *    labels are merged and sorted by count as the runtime does. Numeric
 *    labels cannot be written. Go writes an empty stack as "N @", which go
 *    tool pprof rejects (threadcreate profiles have empty stacks).
 * Negative values (a -base difference) have no text form: an error.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/report.h"
#include "render/tabwriter.h"

/* Align text (whole lines) as the runtime's tabwriter.NewWriter(w, 1, 8, 1, '\t', 0) does. */
static void tabwriter(const struct strbuf *in, struct strbuf *out)
{
	static const struct go_tabwriter tw = {.minwidth = 1, .tabwidth = 8, .padding = 1, .padchar = '\t'};
	go_tabwriter_write(&tw, in->buf, in->len, out);
}

/* ---- stacks -------------------------------------------------------------------- */

struct writer {
	const struct cprof_profile *p;
	uint64_t synth_base; /* made-up addresses start here */
	struct strbuf text;  /* before alignment */
};

static uint64_t loc_address(const struct writer *w, uint32_t l)
{
	uint64_t a = w->p->location[l].address;
	return a ? a : w->synth_base + 16 * (uint64_t)l;
}

static void init_writer(struct writer *w, const struct cprof_profile *p)
{
	uint64_t max = 0;
	memset(w, 0, sizeof(*w));
	w->p = p;
	for (size_t i = 0; i < p->nlocation; i++)
		if (p->location[i].address > max)
			max = p->location[i].address;
	w->synth_base = (max | 0xfff) + 1 + 0x1000;
}

static void add_addrs(struct writer *w, const struct cprof_sample *s)
{
	strbuf_addstr(&w->text, " @");
	for (uint32_t i = 0; i < s->nloc; i++)
		strbuf_addf(&w->text, " %#" PRIx64, loc_address(w, s->loc[i]) + 1);
}

/* runtime/pprof's printStackRecord: leading runtime frames hidden unless all_frames */
static void stack_comments(struct writer *w, const struct cprof_sample *s, bool all_frames)
{
	const struct cprof_profile *p = w->p;
	bool show = all_frames;
	size_t start = w->text.len;

	if (s->nloc == 0) { /* Go's CallersFrames yields one empty frame */
		strbuf_addstr(&w->text, "#\t0x0\n\n");
		return;
	}

	for (uint32_t i = 0; i < s->nloc; i++) {
		const struct cprof_location *l = &p->location[s->loc[i]];
		uint64_t pc = loc_address(w, s->loc[i]);
		if (l->nline == 0) {
			show = true;
			strbuf_addf(&w->text, "#\t%#" PRIx64 "\n", pc);
			continue;
		}
		for (uint32_t j = 0; j < l->nline; j++) {
			const struct cprof_function *f =
				l->line[j].fn != CPROF_NONE ? &p->function[l->line[j].fn] : NULL;
			const char *name = f ? f->name : "";
			if (!name[0]) {
				show = true;
				strbuf_addf(&w->text, "#\t%#" PRIx64 "\n", pc);
			} else if (strcmp(name, "runtime.goexit") != 0 &&
				   (show || strncmp(name, "runtime.", 8) != 0)) {
				show = true;
				strbuf_addf(&w->text, "#\t%#" PRIx64 "\t%s+0x0\t%s:%" PRId64 "\n", pc, name, f->filename,
					    l->line[j].line);
			}
		}
	}
	if (!show) {
		strbuf_setlen(&w->text, start);
		stack_comments(w, s, true);
		return;
	}
	strbuf_addch(&w->text, '\n');
}

static int negative(struct cprof_error *err, size_t i)
{
	return cprof_error_set(err, CPROF_E_UNSUPPORTED,
			       "sample %zu has a negative value, which the legacy text format cannot hold", i + 1);
}

/* Sample order for writing: by key descending, stable. */
struct order {
	size_t index;
	int64_t key;
};

static int cmp_order(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* ---- heap ------------------------------------------------------------------------ */

/* pprof's scaleHeapSample, the reader's side */
static void scale_pair(int64_t c, int64_t b, int64_t rate, int64_t *sc, int64_t *sb)
{
	if (c == 0 || b == 0) {
		*sc = *sb = 0;
		return;
	}
	if (rate <= 1) {
		*sc = c, *sb = b;
		return;
	}
	double s = 1 / (1 - exp(-((double)b / (double)c) / (double)rate));
	*sc = cprof_f2i((double)c * s);
	*sb = cprof_f2i((double)b * s);
}

/*
 * For a raw count c, the raw bytes b that the reader turns into (C, B),
 * where it computes s = 1/(1-exp(-(b/c)/R)), count trunc(c·s) and bytes
 * trunc(b·s). As b grows, b·s = c·R·x/(1-exp(-x)) (x = b/(c·R)) grows and
 * c·s shrinks: binary searches find the b range giving bytes B, then the
 * b in it giving count C. Small objects make the range wide (b·s grows by
 * about half a byte per byte), which is why bytes alone do not do.
 */
static int64_t first_bytes_at_least(int64_t c, int64_t B, int64_t rate)
{
	int64_t lo = 1, hi = B > 1 ? B : 1;
	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2, sc, sb;
		scale_pair(c, mid, rate, &sc, &sb);
		if (sb < B)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool solve_bytes(int64_t c, int64_t C, int64_t B, int64_t rate, int64_t *b)
{
	int64_t sc, sb;
	int64_t lo = first_bytes_at_least(c, B, rate);
	scale_pair(c, lo, rate, &sc, &sb);
	if (sb != B)
		return false;
	/* the last b giving B (B + 1 wraps for INT64_MAX, where no b gives more) */
	int64_t hi = B == INT64_MAX ? INT64_MAX : first_bytes_at_least(c, B + 1, rate) - 1;
	while (lo < hi) { /* first b in [lo, hi] whose count is <= C */
		int64_t mid = lo + (hi - lo) / 2;
		scale_pair(c, mid, rate, &sc, &sb);
		if (sc > C)
			lo = mid + 1;
		else
			hi = mid;
	}
	scale_pair(c, lo, rate, &sc, &sb);
	*b = lo;
	return sc == C && sb == B;
}

/*
 * Raw (c, b) that the reader scales back to (C, B); block is the object
 * size (the sample's "bytes" label) or 0. Counts near C/s are tried with
 * b = c × block first, then with solve_bytes; the first pair that gives
 * back both C and B wins, else the count nearest C/s.
 */
static void unscale_pair(int64_t C, int64_t B, int64_t block, int64_t rate, int64_t *c, int64_t *b)
{
	if (C == 0 || B == 0 || rate <= 1) {
		*c = C, *b = C ? B : 0;
		return;
	}
	double avg = block > 0 ? (double)block : (double)B / (double)C;
	double s = 1 / (1 - exp(-avg / (double)rate));
	int64_t c0 = cprof_f2i(round((double)C / s));
	static const int64_t tries[] = {0, -1, 1, -2, 2};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(tries); i++) {
		int64_t k = cprof_add_wrap(c0, tries[i]), sc, sb, kb;
		if (k < 1)
			continue;
		if (block > 0 && k <= INT64_MAX / block) {
			scale_pair(k, k * block, rate, &sc, &sb);
			if (sc == C && sb == B) {
				*c = k, *b = k * block;
				return;
			}
		}
		if (solve_bytes(k, C, B, rate, &kb)) {
			*c = k, *b = kb;
			return;
		}
	}
	*c = c0 > 0 ? c0 : 1;
	*b = block > 0 && *c <= INT64_MAX / block ? *c * block : first_bytes_at_least(*c, B, rate);
}

static int find_type(const struct cprof_profile *p, const char *type, const char *unit)
{
	for (size_t i = 0; i < p->nsample_type; i++)
		if (!strcmp(p->sample_type[i].type, type) && !strcmp(p->sample_type[i].unit, unit))
			return (int)i;
	return -1;
}

struct heap_cols {
	int ao, as, io, is;
};

static bool heap_columns(const struct cprof_profile *p, struct heap_cols *h)
{
	h->ao = find_type(p, "alloc_objects", "count");
	h->as = find_type(p, "alloc_space", "bytes");
	h->io = find_type(p, "inuse_objects", "count");
	h->is = find_type(p, "inuse_space", "bytes");
	if (h->io < 0 || h->is < 0) {
		h->io = find_type(p, "objects", "count");
		h->is = find_type(p, "space", "bytes");
	}
	if (h->ao < 0 || h->as < 0)
		h->ao = h->as = -1;
	return h->io >= 0 && h->is >= 0;
}

static int64_t block_size(const struct cprof_sample *s)
{
	for (uint32_t j = 0; j < s->nlabel; j++)
		if (!s->label[j].str && !strcmp(s->label[j].key, "bytes"))
			return s->label[j].num;
	return 0;
}

static int write_heap(struct writer *w, struct cprof_error *err)
{
	const struct cprof_profile *p = w->p;
	struct heap_cols h;
	heap_columns(p, &h);
	int64_t rate = p->period > 0 ? p->period : 0;
	int64_t (*raw)[4] = cprof_xcalloc(p->nsample + 1, sizeof(*raw));
	struct order *ord = cprof_xcalloc(p->nsample + 1, sizeof(*ord));
	int64_t tot[4] = {0};

	for (size_t i = 0; i < p->nsample; i++) {
		const struct cprof_sample *s = &p->sample[i];
		int64_t ic = s->value[h.io], ib = s->value[h.is];
		int64_t ac = h.ao >= 0 ? s->value[h.ao] : ic, ab = h.ao >= 0 ? s->value[h.as] : ib;
		if (ic < 0 || ib < 0 || ac < 0 || ab < 0) {
			free(raw);
			free(ord);
			return negative(err, i);
		}
		int64_t block = block_size(s);
		unscale_pair(ic, ib, block, rate, &raw[i][0], &raw[i][1]);
		unscale_pair(ac, ab, block, rate, &raw[i][2], &raw[i][3]);
		for (int k = 0; k < 4; k++)
			tot[k] = cprof_add_wrap(tot[k], raw[i][k]);
		ord[i].index = i;
		ord[i].key = raw[i][1]; /* the runtime sorts by in-use bytes */
	}
	qsort(ord, p->nsample, sizeof(*ord), cmp_order);
	strbuf_addf(&w->text, "heap profile: %" PRId64 ": %" PRId64 " [%" PRId64 ": %" PRId64 "] @ heap/%" PRId64 "\n",
		    tot[0], tot[1], tot[2], tot[3], 2 * rate);
	for (size_t k = 0; k < p->nsample; k++) {
		size_t i = ord[k].index;
		strbuf_addf(&w->text, "%" PRId64 ": %" PRId64 " [%" PRId64 ": %" PRId64 "]", raw[i][0], raw[i][1],
			    raw[i][2], raw[i][3]);
		add_addrs(w, &p->sample[i]);
		strbuf_addch(&w->text, '\n');
		stack_comments(w, &p->sample[i], false);
	}
	free(raw);
	free(ord);
	return 0;
}

/* ---- contention ---------------------------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

/* A mutex profile records at the unlock: every leaf is an Unlock/RUnlock. */
static bool is_mutex(const struct cprof_profile *p)
{
	if (!p->nsample)
		return false;
	for (size_t i = 0; i < p->nsample; i++) {
		const struct cprof_sample *s = &p->sample[i];
		if (!s->nloc)
			return false;
		const struct cprof_location *l = &p->location[s->loc[0]];
		if (!l->nline || l->line[0].fn == CPROF_NONE || !ends_with(p->function[l->line[0].fn].name, "Unlock"))
			return false;
	}
	return true;
}

static int write_contention(struct writer *w, struct cprof_error *err)
{
	const struct cprof_profile *p = w->p;
	int c = find_type(p, "contentions", "count"), d = find_type(p, "delay", "nanoseconds");
	struct order *ord = cprof_xcalloc(p->nsample + 1, sizeof(*ord));

	for (size_t i = 0; i < p->nsample; i++) {
		if (p->sample[i].value[c] < 0 || p->sample[i].value[d] < 0) {
			free(ord);
			return negative(err, i);
		}
		ord[i].index = i;
		ord[i].key = p->sample[i].value[d];
	}
	qsort(ord, p->nsample, sizeof(*ord), cmp_order);
	if (is_mutex(p))
		strbuf_addstr(&w->text, "--- mutex:\ncycles/second=1000000000\nsampling period=1\n");
	else
		strbuf_addstr(&w->text, "--- contention:\ncycles/second=1000000000\n");
	for (size_t k = 0; k < p->nsample; k++) {
		const struct cprof_sample *s = &p->sample[ord[k].index];
		strbuf_addf(&w->text, "%" PRId64 " %" PRId64, s->value[d], s->value[c]);
		add_addrs(w, s);
		strbuf_addch(&w->text, '\n');
		stack_comments(w, s, true);
	}
	free(ord);
	return 0;
}

/* ---- count ------------------------------------------------------------------------------ */

/* Go's %q of a label key or value (printable ASCII and UTF-8 kept). */
static void go_quote(struct strbuf *out, const char *s)
{
	strbuf_addch(out, '"');
	for (const unsigned char *q = (const unsigned char *)s; *q; q++) {
		switch (*q) {
		case '"': strbuf_addstr(out, "\\\""); break;
		case '\\': strbuf_addstr(out, "\\\\"); break;
		case '\a': strbuf_addstr(out, "\\a"); break;
		case '\b': strbuf_addstr(out, "\\b"); break;
		case '\f': strbuf_addstr(out, "\\f"); break;
		case '\n': strbuf_addstr(out, "\\n"); break;
		case '\r': strbuf_addstr(out, "\\r"); break;
		case '\t': strbuf_addstr(out, "\\t"); break;
		case '\v': strbuf_addstr(out, "\\v"); break;
		default:
			if (*q < 0x20 || *q == 0x7f)
				strbuf_addf(out, "\\x%02x", *q);
			else
				strbuf_addch(out, *q);
		}
	}
	strbuf_addch(out, '"');
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct count_rec {
	char *key; /* "@ 0x.. 0x..[\n# labels: {...}]", as the runtime's map key */
	size_t first;
	int64_t count;
};

static int cmp_rec_key(const void *a, const void *b)
{
	const struct count_rec *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->first < y->first ? -1 : x->first > y->first);
}

static int cmp_rec_count(const void *a, const void *b)
{
	const struct count_rec *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->key, y->key);
}

static int write_count(struct writer *w, struct cprof_error *err)
{
	const struct cprof_profile *p = w->p;
	struct count_rec *rec = cprof_xcalloc(p->nsample + 1, sizeof(*rec));
	struct strbuf key = STRBUF_INIT, lab = STRBUF_INIT;
	int64_t total = 0;

	for (size_t i = 0; i < p->nsample; i++) {
		const struct cprof_sample *s = &p->sample[i];
		if (s->value[0] < 0) {
			for (size_t j = 0; j < i; j++)
				free(rec[j].key);
			free(rec);
			strbuf_release(&key);
			strbuf_release(&lab);
			return negative(err, i);
		}
		strbuf_reset(&key);
		strbuf_addch(&key, '@');
		for (uint32_t j = 0; j < s->nloc; j++)
			strbuf_addf(&key, " %#" PRIx64, loc_address(w, s->loc[j]) + 1);
		char **kv = cprof_xcalloc(s->nlabel + 1, sizeof(*kv));
		size_t nkv = 0;
		for (uint32_t j = 0; j < s->nlabel; j++) {
			if (!s->label[j].str)
				continue;
			strbuf_reset(&lab);
			go_quote(&lab, s->label[j].key);
			strbuf_addch(&lab, ':');
			go_quote(&lab, s->label[j].str);
			kv[nkv++] = cprof_xstrdup(lab.buf);
		}
		if (nkv) {
			qsort(kv, nkv, sizeof(*kv), cmp_str);
			strbuf_addstr(&key, "\n# labels: {");
			for (size_t j = 0; j < nkv; j++)
				strbuf_addf(&key, "%s%s", j ? ", " : "", kv[j]);
			strbuf_addch(&key, '}');
		}
		for (size_t j = 0; j < nkv; j++)
			free(kv[j]);
		free(kv);
		rec[i].key = cprof_xstrdup(key.buf);
		rec[i].first = i;
		rec[i].count = s->value[0];
		total = cprof_add_wrap(total, s->value[0]);
	}
	/* merge equal keys (first sample keeps the stack), then the runtime's order */
	qsort(rec, p->nsample, sizeof(*rec), cmp_rec_key);
	size_t n = 0;
	for (size_t i = 0; i < p->nsample; i++) {
		if (n && !strcmp(rec[n - 1].key, rec[i].key)) {
			rec[n - 1].count = cprof_add_wrap(rec[n - 1].count, rec[i].count);
			free(rec[i].key);
			continue;
		}
		rec[n++] = rec[i];
	}
	qsort(rec, n, sizeof(*rec), cmp_rec_count);

	strbuf_addf(&w->text, "%s profile: total %" PRId64 "\n", p->sample_type[0].type, total);
	for (size_t i = 0; i < n; i++) {
		strbuf_addf(&w->text, "%" PRId64 " %s\n", rec[i].count, rec[i].key);
		stack_comments(w, &p->sample[rec[i].first], false);
		free(rec[i].key);
	}
	free(rec);
	strbuf_release(&key);
	strbuf_release(&lab);
	(void)err;
	return 0;
}

/* ---- the kinds, tried in order ------------------------------------------------------- */

static bool is_heap(const struct cprof_profile *p)
{
	struct heap_cols h;
	return heap_columns(p, &h);
}

static bool is_contention(const struct cprof_profile *p)
{
	return find_type(p, "contentions", "count") >= 0 && find_type(p, "delay", "nanoseconds") >= 0;
}

static bool is_count(const struct cprof_profile *p)
{
	return p->nsample_type == 1 && !strcmp(p->sample_type[0].unit, "count");
}

static const struct {
	const char *name;
	bool (*match)(const struct cprof_profile *p);
	int (*write)(struct writer *w, struct cprof_error *err);
} kinds[] = {
	{"heap", is_heap, write_heap},
	{"contention", is_contention, write_contention},
	{"count", is_count, write_count},
};

int cprof_render_legacy(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err)
{
	const struct cprof_profile *p = rpt->prof;
	for (size_t k = 0; k < CPROF_ARRAY_SIZE(kinds); k++) {
		if (!kinds[k].match(p))
			continue;
		struct writer w;
		init_writer(&w, p);
		int rc = kinds[k].write(&w, err);
		if (rc == 0)
			tabwriter(&w.text, out);
		strbuf_release(&w.text);
		return rc;
	}
	struct strbuf types = STRBUF_INIT;
	for (size_t i = 0; i < p->nsample_type; i++)
		strbuf_addf(&types, "%s%s/%s", i ? " " : "", p->sample_type[i].type, p->sample_type[i].unit);
	cprof_error_set(err, CPROF_E_UNSUPPORTED,
			"no legacy text format for sample types [%s]: -legacy writes heap, contention and count "
			"profiles",
			types.buf);
	strbuf_release(&types);
	return -1;
}
