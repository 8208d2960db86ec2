/*
 * formats_util.h - helpers for the formats/ unit tests: write protobuf wire
 * bytes by hand (for inputs protobuf-c would never produce), and a small
 * valid profile to start from.
 */
#ifndef CPROF_TEST_FORMATS_UTIL_H
#define CPROF_TEST_FORMATS_UTIL_H

#include <stdint.h>
#include <string.h>

#include "cprof/formats.h"
#include "cprof/strbuf.h"

static inline void pb_varint(struct strbuf *b, uint64_t v)
{
	while (v >= 0x80) {
		strbuf_addch(b, (int)(v & 0x7f) | 0x80);
		v >>= 7;
	}
	strbuf_addch(b, (int)v);
}

/* field = varint */
static inline void pb_int(struct strbuf *b, unsigned field, uint64_t v)
{
	pb_varint(b, (uint64_t)field << 3);
	pb_varint(b, v);
}

/* field = length-delimited bytes */
static inline void pb_bytes(struct strbuf *b, unsigned field, const void *data, size_t len)
{
	pb_varint(b, (uint64_t)field << 3 | 2);
	pb_varint(b, len);
	strbuf_add(b, data, len);
}

static inline void pb_str(struct strbuf *b, unsigned field, const char *s)
{
	pb_bytes(b, field, s, strlen(s));
}

/* field = sub-message m; m is reset */
static inline void pb_msg(struct strbuf *b, unsigned field, struct strbuf *m)
{
	pb_bytes(b, field, m->buf, m->len);
	strbuf_reset(m);
}

/*
 * The string table, sample type, function, location and mapping of a
 * minimal valid profile (no samples):
 *   strings "", samples, count, main, main.go, /bin/x
 *   sample_type samples/count; mapping 1 /bin/x; function 1 main main.go;
 *   location 1 (mapping 1, address 0x1000, main.go:10)
 */
static inline void pb_base(struct strbuf *b)
{
	struct strbuf m = STRBUF_INIT, l = STRBUF_INIT;
	static const char *const strs[] = {"", "samples", "count", "main", "main.go", "/bin/x"};

	pb_int(&m, 1, 1);
	pb_int(&m, 2, 2);
	pb_msg(b, 1, &m);
	pb_int(&m, 1, 1);
	pb_int(&m, 2, 0x1000);
	pb_int(&m, 3, 0x2000);
	pb_int(&m, 5, 5);
	pb_msg(b, 3, &m);
	pb_int(&l, 1, 1);
	pb_int(&l, 2, 10);
	pb_int(&m, 1, 1);
	pb_int(&m, 2, 1);
	pb_int(&m, 3, 0x1234);
	pb_msg(&m, 4, &l);
	pb_msg(b, 4, &m);
	pb_int(&m, 1, 1);
	pb_int(&m, 2, 3);
	pb_int(&m, 4, 4);
	pb_msg(b, 5, &m);
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		pb_str(b, 6, strs[i]);
	strbuf_release(&m);
	strbuf_release(&l);
}

/* A sample of location ids ids[0..n) with one value v (unpacked fields). */
static inline void pb_sample(struct strbuf *b, const uint64_t *ids, size_t n, int64_t v)
{
	struct strbuf m = STRBUF_INIT;
	for (size_t i = 0; i < n; i++)
		pb_int(&m, 1, ids[i]);
	pb_int(&m, 2, (uint64_t)v);
	pb_msg(b, 2, &m);
	strbuf_release(&m);
}

static inline int decode_sb(const struct strbuf *b, struct cprof_profile **p, struct cprof_error *err)
{
	memset(err, 0, sizeof(*err));
	return cprof_pprof_decode((const unsigned char *)b->buf, b->len, p, err);
}

#endif
