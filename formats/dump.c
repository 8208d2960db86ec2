/*
 * dump.c - pprof's Profile.String(): what `pprof -raw` prints, and the
 * layout of the .string goldens in pprof's profile/testdata.
 *
 *   Comment: <c>                          one per comment
 *   Doc: <url>                            (upstream layout only, if set)
 *   PeriodType: <type> <unit>
 *   Period: <n>
 *   Time: 2006-01-02 15:04:05.999999999 -0700 MST     if non-zero
 *   Duration: 4h35                        Go's Duration string cut to 4 runes
 *   Samples:
 *   samples/count cpu/nanoseconds[dflt]
 *            1   10000000: 1 2 3          " %10d" per value, ": ", "<id> " per location
 *                   key:[v1 v2]           string labels, "key:[...]" items sorted
 *                   bytes:[1024 bytes]    numeric labels, units if any value has one
 *   Locations
 *        1: 0x4a5f3b M=1 [F] main.f /src/x.go:12 s=10(sysname)
 *                  main.g /src/x.go:20 s=18         further (caller) lines
 *   Mappings
 *   1: 0x400000/0x4c2000/0x0 /bin/x buildid [FN][FL][LN][IN]
 *
 * Trailing spaces are part of the format (sample lines, locations without
 * lines, empty mapping fields). The reference is Go 1.19's pprof (what
 * `go tool pprof -raw` prints); upstream pprof since added the Doc: line and
 * a column after the line number (":12:0"), which the testdata goldens use:
 * cprof_profile_dump_upstream() prints that layout.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/formats.h"
#include "cprof/units.h"
#include "formats/dump.h"

/* Go's %#x: "0x0" for zero, where C's %#x prints "0". */
static void add_hex(struct strbuf *sb, uint64_t v)
{
	strbuf_addf(sb, "0x%" PRIx64, v);
}

/* "%llu " without printf: -raw of a large profile prints tens of millions of ids */
static void add_id(struct strbuf *sb, uint64_t v)
{
	char buf[24];
	char *e = buf + sizeof(buf), *q = e;
	*--q = ' ';
	do
		*--q = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	strbuf_add(sb, q, (size_t)(e - q));
}

struct label_ref {
	const struct cprof_label *l;
	uint32_t pos;
};

static int by_key_then_pos(const void *a, const void *b)
{
	const struct label_ref *x = a, *y = b;
	int c = strcmp(x->l->key, y->l->key);
	if (c)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * One label line: the labels of one kind (string or numeric) grouped by key
 * as "key:[v1 v2]", values in file order, the items sorted as strings and
 * joined by spaces (Go formats a map, then sorts).
 */
static void add_labels(struct strbuf *out, const struct cprof_sample *s, bool numeric)
{
	struct label_ref *ref = cprof_xmalloc(cprof_st_mult(s->nlabel, sizeof(*ref)));
	char **item = cprof_xmalloc(cprof_st_mult(s->nlabel, sizeof(*item)));
	size_t n = 0, nitem = 0;

	for (uint32_t i = 0; i < s->nlabel; i++)
		if ((s->label[i].str == NULL) == numeric) {
			ref[n].l = &s->label[i];
			ref[n].pos = i;
			n++;
		}
	if (!n)
		goto out;
	qsort(ref, n, sizeof(*ref), by_key_then_pos);

	for (size_t i = 0, j; i < n; i = j) {
		struct strbuf sb = STRBUF_INIT;
		bool units = false;
		for (j = i; j < n && strcmp(ref[j].l->key, ref[i].l->key) == 0; j++)
			units |= numeric && ref[j].l->num_unit[0] != '\0';
		strbuf_addf(&sb, "%s:[", ref[i].l->key);
		for (size_t k = i; k < j; k++) {
			const struct cprof_label *l = ref[k].l;
			if (k > i)
				strbuf_addch(&sb, ' ');
			if (!numeric)
				strbuf_addstr(&sb, l->str);
			else if (units)
				strbuf_addf(&sb, "%" PRId64 " %s", l->num, l->num_unit);
			else
				strbuf_addf(&sb, "%" PRId64, l->num);
		}
		strbuf_addch(&sb, ']');
		item[nitem++] = strbuf_detach(&sb, NULL);
	}
	qsort(item, nitem, sizeof(*item), by_string);

	strbuf_addstr(out, "\n                ");
	for (size_t i = 0; i < nitem; i++) {
		if (i)
			strbuf_addch(out, ' ');
		strbuf_addstr(out, item[i]);
		free(item[i]);
	}
out:
	free(ref);
	free(item);
}

/* Go's "%.4v" of a string: at most 4 runes (an invalid byte is one, as Go counts). */
static void add_runes(struct strbuf *out, const char *s, size_t max)
{
	size_t i = 0, n = strlen(s);
	for (size_t runes = 0; i < n && runes < max; runes++)
		i += cprof_utf8_size(s + i, n - i);
	strbuf_add(out, s, i);
}

static void dump(const struct cprof_profile *p, struct strbuf *out, bool upstream)
{
	struct strbuf tmp = STRBUF_INIT;

	for (size_t i = 0; i < p->ncomment; i++)
		strbuf_addf(out, "Comment: %s\n", p->comment[i]);
	if (upstream && p->doc_url[0])
		strbuf_addf(out, "Doc: %s\n", p->doc_url);
	strbuf_addf(out, "PeriodType: %s %s\n", p->period_type.type, p->period_type.unit);
	strbuf_addf(out, "Period: %" PRId64 "\n", p->period);
	if (p->time_nanos != 0) {
		strbuf_addstr(out, "Time: ");
		cprof_go_time(p->time_nanos, out);
		strbuf_addch(out, '\n');
	}
	if (p->duration_nanos != 0) {
		cprof_go_duration(p->duration_nanos, &tmp);
		strbuf_addstr(out, "Duration: ");
		add_runes(out, tmp.buf, 4);
		strbuf_addch(out, '\n');
		strbuf_reset(&tmp);
	}

	/* the sample type line, trimmed (of spaces that an empty type leaves) */
	strbuf_addstr(out, "Samples:\n");
	for (size_t i = 0; i < p->nsample_type; i++) {
		const struct cprof_value_type *st = &p->sample_type[i];
		strbuf_addf(&tmp, "%s/%s%s ", st->type, st->unit,
			    strcmp(st->type, p->default_sample_type) == 0 ? "[dflt]" : "");
	}
	size_t b = 0, e = tmp.len;
	while (b < e && strchr(" \t\n\v\f\r", tmp.buf[b]))
		b++;
	while (e > b && strchr(" \t\n\v\f\r", tmp.buf[e - 1]))
		e--;
	strbuf_add(out, tmp.buf + b, e - b);
	strbuf_addch(out, '\n');
	strbuf_release(&tmp);

	for (size_t i = 0; i < p->nsample; i++) {
		const struct cprof_sample *s = &p->sample[i];
		for (size_t j = 0; j < p->nsample_type; j++)
			strbuf_addf(out, " %10" PRId64, s->value[j]);
		strbuf_addstr(out, ": ");
		for (uint32_t j = 0; j < s->nloc; j++)
			add_id(out, s->loc[j] < p->nlocation ? p->location[s->loc[j]].id : 0);
		if (s->nlabel) {
			add_labels(out, s, false);
			add_labels(out, s, true);
		}
		strbuf_addch(out, '\n');
	}

	strbuf_addstr(out, "Locations\n");
	for (size_t i = 0; i < p->nlocation; i++) {
		const struct cprof_location *l = &p->location[i];
		strbuf_addf(out, "%6" PRIu64 ": ", l->id);
		add_hex(out, l->address);
		strbuf_addch(out, ' ');
		if (l->mapping < p->nmapping)
			strbuf_addf(out, "M=%" PRIu64 " ", p->mapping[l->mapping].id);
		if (l->is_folded)
			strbuf_addstr(out, "[F] ");
		for (uint32_t j = 0; j < l->nline; j++) {
			const struct cprof_line *ln = &l->line[j];
			if (j)
				strbuf_addstr(out, "\n             ");
			if (ln->fn >= p->nfunction) {
				strbuf_addstr(out, "??");
				continue;
			}
			const struct cprof_function *f = &p->function[ln->fn];
			strbuf_addf(out, "%s %s:%" PRId64, f->name, f->filename, ln->line);
			if (upstream)
				strbuf_addf(out, ":%" PRId64, ln->column);
			strbuf_addf(out, " s=%" PRId64, f->start_line);
			if (strcmp(f->name, f->system_name) != 0)
				strbuf_addf(out, "(%s)", f->system_name);
		}
		strbuf_addch(out, '\n');
	}

	strbuf_addstr(out, "Mappings\n");
	for (size_t i = 0; i < p->nmapping; i++) {
		const struct cprof_mapping *m = &p->mapping[i];
		strbuf_addf(out, "%" PRIu64 ": ", m->id);
		add_hex(out, m->start);
		strbuf_addch(out, '/');
		add_hex(out, m->limit);
		strbuf_addch(out, '/');
		add_hex(out, m->offset);
		strbuf_addf(out, " %s %s %s%s%s%s\n", m->file, m->build_id,
			    m->has_functions ? "[FN]" : "", m->has_filenames ? "[FL]" : "",
			    m->has_line_numbers ? "[LN]" : "", m->has_inline_frames ? "[IN]" : "");
	}
}

void cprof_profile_dump(const struct cprof_profile *p, struct strbuf *out)
{
	dump(p, out, false);
}

void cprof_profile_dump_upstream(const struct cprof_profile *p, struct strbuf *out)
{
	dump(p, out, true);
}
