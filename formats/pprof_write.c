/*
 * pprof_write.c - writing profile.proto through the protobuf-c code that the
 * build generates from formats/profile.proto.
 *
 * What must match pprof's encoder (profile/encode.go, preEncode) so files
 * read back identically, and so cprof's string tables look like pprof's:
 *
 *  - string_table in first-use order: "", then sample types (type, unit),
 *    then per sample its labels - string labels by sorted key, then numeric
 *    labels by sorted key (key, then the unit of each value that has one),
 *    values of one key in their original order - then mappings (file,
 *    build id), functions (name, system name, filename), drop_frames,
 *    keep_frames, period type (type, unit), comments, default sample type,
 *    doc_url;
 *  - labels are written in that same grouped order;
 *  - period_type only when its type or unit is non-empty;
 *  - doc_url and Line.column are written as current pprof does; Go 1.19's
 *    pprof skips both when reading, harmlessly;
 *  - zero scalars are omitted (proto3 does that by itself). pprof always
 *    writes default_sample_type, even as 0; an absent field reads as 0, so
 *    the difference is invisible to readers.
 *
 * Each repeated message is packed on its own as it is reached (see struct
 * enc), so memory stays flat however large the profile.
 *
 * protobuf-c packs every repeated scalar (pprof packs only runs of more than
 * two); every reader accepts both. The gzip stream is zlib's, not Go's
 * byte for byte; it inflates to the same bytes.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "cprof/formats.h"
#include "profile.pb-c.h"

/* ---- the string table in first-use order ---------------------------------- */

struct stab {
	char **str; /* the table, as protobuf-c wants it */
	size_t n, a;
	uint32_t *slot; /* index + 1; 0 = empty */
	uint32_t *hash; /* per table entry */
	size_t size;
};

static uint32_t str_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

static void stab_grow(struct stab *t)
{
	free(t->slot);
	t->size = t->size ? t->size * 2 : 1024;
	t->slot = cprof_xcalloc(t->size, sizeof(*t->slot));
	for (size_t i = 0; i < t->n; i++) {
		size_t j = t->hash[i] & (t->size - 1);
		while (t->slot[j])
			j = (j + 1) & (t->size - 1);
		t->slot[j] = (uint32_t)(i + 1);
	}
}

/* pprof's addString: the index of s, added at the end if new. */
static int64_t stab_add(struct stab *t, const char *s)
{
	if ((t->n + 1) * 2 > t->size)
		stab_grow(t);
	uint32_t h = str_hash(s);
	size_t j = h & (t->size - 1);
	while (t->slot[j]) {
		size_t i = t->slot[j] - 1;
		/* strings of one profile are interned: equal pointers are the common hit */
		if (t->hash[i] == h && (t->str[i] == s || strcmp(t->str[i], s) == 0))
			return (int64_t)i;
		j = (j + 1) & (t->size - 1);
	}
	size_t oa = t->a;
	ALLOC_GROW(t->str, t->n + 1, t->a);
	if (t->a != oa)
		t->hash = cprof_xrealloc(t->hash, cprof_st_mult(t->a, sizeof(*t->hash)));
	t->str[t->n] = (char *)s;
	t->hash[t->n] = h;
	t->slot[j] = (uint32_t)(t->n + 1);
	return (int64_t)t->n++;
}

static void stab_release(struct stab *t)
{
	free(t->str);
	free(t->slot);
	free(t->hash);
}

/* ---- labels in pprof's order ---------------------------------------------- */

struct label_ref {
	const struct cprof_label *l;
	uint32_t pos;
};

/* string labels before numeric ones, then by key, then file order (stable) */
static int label_cmp(const void *a, const void *b)
{
	const struct label_ref *x = a, *y = b;
	int xn = x->l->str == NULL, yn = y->l->str == NULL;
	if (xn != yn)
		return xn - yn;
	int c = strcmp(x->l->key, y->l->key);
	if (c)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* ---- streaming the top-level fields --------------------------------------- */

/*
 * A message is a sequence of fields, and the repeated message fields of
 * Profile come first (1-5) and never refer back to anything written later
 * except through string indices, which are assigned in that same order. So
 * the encoder packs one sub-message at a time into the output with
 * protobuf-c, reusing one scratch buffer, and finishes with a Profile
 * message holding only the string table and the scalars (6-15): the
 * concatenation is the profile, fields in ascending order as pprof writes
 * them. Building the whole protobuf-c tree first would take several times
 * the size of the profile in memory.
 */
struct enc {
	struct strbuf *out;
	struct stab strs;
	uint64_t *locid; /* location index → id, dense for the cache (stacks jump around) */
	/* scratch for one sample */
	uint64_t *ids;
	size_t aids;
	struct label_ref *ref;
	Perftools__Profiles__Label *lab;
	Perftools__Profiles__Label **labp;
	size_t alab;
	/* scratch for one location */
	Perftools__Profiles__Line *line;
	Perftools__Profiles__Line **linep;
	size_t aline;
};

static void put_varint(struct strbuf *sb, uint64_t v)
{
	char b[10];
	size_t n = 0;
	while (v >= 0x80) {
		b[n++] = (char)(v | 0x80);
		v >>= 7;
	}
	b[n++] = (char)v;
	strbuf_add(sb, b, n);
}

/* field `num` = message m, length-delimited */
static void put_msg(struct strbuf *sb, unsigned num, const ProtobufCMessage *m)
{
	size_t size = protobuf_c_message_get_packed_size(m);
	put_varint(sb, (uint64_t)num << 3 | 2);
	put_varint(sb, size);
	strbuf_grow(sb, size);
	size_t got = protobuf_c_message_pack(m, (uint8_t *)sb->buf + sb->len);
	strbuf_setlen(sb, sb->len + got);
}

static void put_value_type(struct enc *e, unsigned num, const struct cprof_value_type *vt)
{
	Perftools__Profiles__ValueType v = PERFTOOLS__PROFILES__VALUE_TYPE__INIT;
	v.type = stab_add(&e->strs, vt->type);
	v.unit = stab_add(&e->strs, vt->unit);
	put_msg(e->out, num, &v.base);
}

/*
 * pprof writes a unit for every value of a numeric key as soon as one value
 * of that key has one (the others as index 0, ""); writing "" as 0 is the
 * same thing, so each label simply writes its own unit.
 */
static void put_sample(struct enc *e, const struct cprof_profile *p, const struct cprof_sample *s)
{
	static const Perftools__Profiles__Label label_init = PERFTOOLS__PROFILES__LABEL__INIT;
	Perftools__Profiles__Sample m = PERFTOOLS__PROFILES__SAMPLE__INIT;

	ALLOC_GROW(e->ids, s->nloc, e->aids);
	for (uint32_t j = 0; j < s->nloc; j++)
		e->ids[j] = s->loc[j] < p->nlocation ? e->locid[s->loc[j]] : 0;
	m.n_location_id = s->nloc;
	m.location_id = e->ids;
	m.n_value = p->nsample_type;
	m.value = s->value;

	if (s->nlabel) {
		if (s->nlabel > e->alab) {
			e->alab = s->nlabel;
			e->ref = cprof_xrealloc(e->ref, cprof_st_mult(e->alab, sizeof(*e->ref)));
			e->lab = cprof_xrealloc(e->lab, cprof_st_mult(e->alab, sizeof(*e->lab)));
			e->labp = cprof_xrealloc(e->labp, cprof_st_mult(e->alab, sizeof(*e->labp)));
		}
		for (uint32_t i = 0; i < s->nlabel; i++) {
			e->ref[i].l = &s->label[i];
			e->ref[i].pos = i;
		}
		qsort(e->ref, s->nlabel, sizeof(*e->ref), label_cmp);
		for (uint32_t i = 0; i < s->nlabel; i++) {
			const struct cprof_label *l = e->ref[i].l;
			Perftools__Profiles__Label *lb = &e->lab[i];
			*lb = label_init;
			lb->key = stab_add(&e->strs, l->key);
			if (l->str) {
				lb->str = stab_add(&e->strs, l->str);
			} else {
				lb->num = l->num;
				lb->num_unit = stab_add(&e->strs, l->num_unit);
			}
			e->labp[i] = lb;
		}
		m.n_label = s->nlabel;
		m.label = e->labp;
	}
	put_msg(e->out, 2, &m.base);
}

static void put_mapping(struct enc *e, const struct cprof_mapping *mp)
{
	Perftools__Profiles__Mapping m = PERFTOOLS__PROFILES__MAPPING__INIT;
	m.id = mp->id;
	m.memory_start = mp->start;
	m.memory_limit = mp->limit;
	m.file_offset = mp->offset;
	m.filename = stab_add(&e->strs, mp->file);
	m.build_id = stab_add(&e->strs, mp->build_id);
	m.has_functions = mp->has_functions;
	m.has_filenames = mp->has_filenames;
	m.has_line_numbers = mp->has_line_numbers;
	m.has_inline_frames = mp->has_inline_frames;
	put_msg(e->out, 3, &m.base);
}

static void put_location(struct enc *e, const struct cprof_profile *p, const struct cprof_location *l)
{
	static const Perftools__Profiles__Line line_init = PERFTOOLS__PROFILES__LINE__INIT;
	Perftools__Profiles__Location m = PERFTOOLS__PROFILES__LOCATION__INIT;

	m.id = l->id;
	m.mapping_id = l->mapping < p->nmapping ? p->mapping[l->mapping].id : 0;
	m.address = l->address;
	m.is_folded = l->is_folded;
	if (l->nline > e->aline) {
		e->aline = l->nline;
		e->line = cprof_xrealloc(e->line, cprof_st_mult(e->aline, sizeof(*e->line)));
		e->linep = cprof_xrealloc(e->linep, cprof_st_mult(e->aline, sizeof(*e->linep)));
	}
	for (uint32_t j = 0; j < l->nline; j++) {
		const struct cprof_line *ln = &l->line[j];
		e->line[j] = line_init;
		e->line[j].function_id = ln->fn < p->nfunction ? p->function[ln->fn].id : 0;
		e->line[j].line = ln->line;
		e->line[j].column = ln->column;
		e->linep[j] = &e->line[j];
	}
	m.n_line = l->nline;
	m.line = e->linep;
	put_msg(e->out, 4, &m.base);
}

static void put_function(struct enc *e, const struct cprof_function *f)
{
	Perftools__Profiles__Function m = PERFTOOLS__PROFILES__FUNCTION__INIT;
	m.id = f->id;
	m.name = stab_add(&e->strs, f->name);
	m.system_name = stab_add(&e->strs, f->system_name);
	m.filename = stab_add(&e->strs, f->filename);
	m.start_line = f->start_line;
	put_msg(e->out, 5, &m.base);
}

int cprof_pprof_encode_raw(const struct cprof_profile *p, struct strbuf *out, struct cprof_error *err)
{
	Perftools__Profiles__Profile tail = PERFTOOLS__PROFILES__PROFILE__INIT;
	Perftools__Profiles__ValueType pt = PERFTOOLS__PROFILES__VALUE_TYPE__INIT;
	struct enc e;

	(void)err;
	memset(&e, 0, sizeof(e));
	e.out = out;
	stab_add(&e.strs, "");
	e.locid = cprof_xmalloc(cprof_st_mult(p->nlocation + 1, sizeof(*e.locid)));
	for (size_t i = 0; i < p->nlocation; i++)
		e.locid[i] = p->location[i].id;

	for (size_t i = 0; i < p->nsample_type; i++)
		put_value_type(&e, 1, &p->sample_type[i]);
	for (size_t i = 0; i < p->nsample; i++)
		put_sample(&e, p, &p->sample[i]);
	for (size_t i = 0; i < p->nmapping; i++)
		put_mapping(&e, &p->mapping[i]);
	for (size_t i = 0; i < p->nlocation; i++)
		put_location(&e, p, &p->location[i]);
	for (size_t i = 0; i < p->nfunction; i++)
		put_function(&e, &p->function[i]);

	tail.drop_frames = stab_add(&e.strs, p->drop_frames);
	tail.keep_frames = stab_add(&e.strs, p->keep_frames);
	tail.time_nanos = p->time_nanos;
	tail.duration_nanos = p->duration_nanos;
	pt.type = stab_add(&e.strs, p->period_type.type);
	pt.unit = stab_add(&e.strs, p->period_type.unit);
	if (pt.type || pt.unit)
		tail.period_type = &pt;
	tail.period = p->period;
	int64_t *comments = cprof_xmalloc(cprof_st_mult(p->ncomment, sizeof(*comments)));
	for (size_t i = 0; i < p->ncomment; i++)
		comments[i] = stab_add(&e.strs, p->comment[i]);
	tail.n_comment = p->ncomment;
	tail.comment = comments;
	tail.default_sample_type = stab_add(&e.strs, p->default_sample_type);
	tail.doc_url = stab_add(&e.strs, p->doc_url);
	tail.n_string_table = e.strs.n;
	tail.string_table = e.strs.str;

	size_t size = perftools__profiles__profile__get_packed_size(&tail);
	strbuf_grow(out, size);
	size_t got = perftools__profiles__profile__pack(&tail, (uint8_t *)out->buf + out->len);
	strbuf_setlen(out, out->len + got);

	free(comments);
	free(e.locid);
	free(e.ids);
	free(e.ref);
	free(e.lab);
	free(e.labp);
	free(e.line);
	free(e.linep);
	stab_release(&e.strs);
	return 0;
}

int cprof_pprof_encode(const struct cprof_profile *p, struct strbuf *out, struct cprof_error *err)
{
	struct strbuf raw = STRBUF_INIT;
	z_stream zs;
	int ret = -1;

	if (cprof_pprof_encode_raw(p, &raw, err) < 0)
		return -1;

	memset(&zs, 0, sizeof(zs));
	/* windowBits 16 + 15: a gzip wrapper, as Go's gzip.NewWriter writes */
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK) {
		cprof_error_set(err, CPROF_E_IO, "compressing profile: cannot initialise zlib");
		goto out;
	}
	size_t pos = 0;
	strbuf_grow(out, deflateBound(&zs, raw.len > ULONG_MAX ? ULONG_MAX : raw.len) + 64);
	for (;;) {
		if (zs.avail_in == 0 && pos < raw.len) {
			size_t chunk = raw.len - pos < UINT_MAX ? raw.len - pos : UINT_MAX;
			zs.next_in = (unsigned char *)raw.buf + pos;
			zs.avail_in = (uInt)chunk;
			pos += chunk;
		}
		if (out->alloc - out->len < 1024)
			strbuf_grow(out, 64 << 10);
		size_t room = out->alloc - out->len - 1;
		if (room > UINT_MAX)
			room = UINT_MAX;
		zs.next_out = (unsigned char *)out->buf + out->len;
		zs.avail_out = (uInt)room;
		int zr = deflate(&zs, pos == raw.len && zs.avail_in == 0 ? Z_FINISH : Z_NO_FLUSH);
		strbuf_setlen(out, out->len + (room - zs.avail_out));
		if (zr == Z_STREAM_END)
			break;
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			cprof_error_set(err, CPROF_E_IO, "compressing profile: %s",
					zs.msg ? zs.msg : "zlib error");
			deflateEnd(&zs);
			goto out;
		}
	}
	deflateEnd(&zs);
	ret = 0;
out:
	strbuf_release(&raw);
	return ret;
}
