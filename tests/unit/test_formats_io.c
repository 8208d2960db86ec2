/*
 * test_formats_io.c - gzip (formats/gzip.c), file reading and the format
 * registry (formats/registry.c), and the textual dump (formats/dump.c).
 *
 * The expected dump below was checked against Go 1.19's pprof
 * (profile.Parse then Profile.String() on the same bytes, TZ=UTC).
 */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "formats/dump.h"
#include "formats_util.h"

/* ---- gzip ----------------------------------------------------------------- */

static void gzip_member(struct strbuf *out, const void *data, size_t len)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	strbuf_grow(out, deflateBound(&zs, len) + 32);
	zs.next_in = (unsigned char *)data;
	zs.avail_in = (uInt)len;
	zs.next_out = (unsigned char *)out->buf + out->len;
	zs.avail_out = (uInt)(out->alloc - out->len - 1);
	deflate(&zs, Z_FINISH);
	strbuf_setlen(out, out->len + (out->alloc - out->len - 1 - zs.avail_out));
	deflateEnd(&zs);
}

int test_gunzip_members(void)
{
	struct strbuf gz = STRBUF_INIT, out = STRBUF_INIT;
	struct cprof_error err;

	/* not gzip: untouched */
	CHECK_INT(cprof_gunzip((const unsigned char *)"hello", 5, &out, &err), 0);
	CHECK_INT(out.len, 0);
	gzip_member(&gz, "hello ", 6);
	gzip_member(&gz, "", 0);
	gzip_member(&gz, "world", 5);
	CHECK_INT(cprof_gunzip((unsigned char *)gz.buf, gz.len, &out, &err), 1);
	CHECK_STR(out.buf, "hello world");
	strbuf_release(&gz);
	strbuf_release(&out);
	return 0;
}

static int expect_gunzip_error(struct strbuf *gz, const char *msg)
{
	struct strbuf out = STRBUF_INIT;
	struct cprof_error err;

	CHECK_INT(cprof_gunzip((unsigned char *)gz->buf, gz->len, &out, &err), -1);
	CHECK_STR(cprof_error_msg(&err), msg);
	strbuf_release(&out);
	strbuf_reset(gz);
	return 0;
}

int test_gunzip_errors(void)
{
	struct strbuf gz = STRBUF_INIT;
	static const char text[] = "some text that compresses, some text that compresses";

	gzip_member(&gz, text, sizeof(text));
	strbuf_setlen(&gz, gz.len - 5);
	CHECK(!expect_gunzip_error(&gz, "decompressing profile: unexpected EOF"));
	strbuf_addstr(&gz, "\x1f\x8b\x08");
	CHECK(!expect_gunzip_error(&gz, "decompressing profile: unexpected EOF"));
	strbuf_add(&gz, "\x1f\x8b\x07\x00\x00\x00\x00\x00\x00\xff\x01\x02", 12);
	CHECK(!expect_gunzip_error(&gz, "decompressing profile: gzip: invalid header"));
	/* trailing garbage after a good member */
	gzip_member(&gz, text, sizeof(text));
	strbuf_addstr(&gz, "garbage garbage");
	CHECK(!expect_gunzip_error(&gz, "decompressing profile: gzip: invalid header"));
	gzip_member(&gz, text, sizeof(text));
	strbuf_addstr(&gz, "xy");
	CHECK(!expect_gunzip_error(&gz, "decompressing profile: unexpected EOF"));
	/* a wrong CRC */
	gzip_member(&gz, text, sizeof(text));
	gz.buf[gz.len - 8] ^= 1;
	CHECK(!expect_gunzip_error(&gz, "decompressing profile: gzip: invalid checksum"));
	/* corrupt deflate data: block type 3 */
	strbuf_add(&gz, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff\x07\x00\x00\x00\x00\x00\x00\x00\x00\x00", 20);
	struct strbuf out = STRBUF_INIT;
	struct cprof_error err;
	CHECK_INT(cprof_gunzip((unsigned char *)gz.buf, gz.len, &out, &err), -1);
	CHECK(strstr(cprof_error_msg(&err), "decompressing profile: flate: corrupt input") != NULL);
	strbuf_release(&out);
	strbuf_release(&gz);
	return 0;
}

int test_gunzip_limit(void)
{
	struct strbuf gz = STRBUF_INIT, out = STRBUF_INIT;
	struct cprof_error err;
	char *zeros = calloc(1, 1 << 20);
	uint64_t saved = cprof_limits.max_inflated;

	gzip_member(&gz, zeros, 1 << 20);
	cprof_limits.max_inflated = 100000;
	int r = cprof_gunzip((unsigned char *)gz.buf, gz.len, &out, &err);
	cprof_limits.max_inflated = saved;
	CHECK_INT(r, -1);
	CHECK_INT(err.code, CPROF_E_LIMIT);
	CHECK(out.len <= 100000 + (64 << 10) + 1);
	strbuf_reset(&out);
	CHECK_INT(cprof_gunzip((unsigned char *)gz.buf, gz.len, &out, &err), 1);
	CHECK_INT(out.len, 1 << 20);
	free(zeros);
	strbuf_release(&gz);
	strbuf_release(&out);
	return 0;
}

/* ---- first-bytes rules ----------------------------------------------------- */

/* The head check on the first 128 KiB of prefix + zeros: 0, or -1 with msg its message. */
static int head_of(const char *prefix, size_t plen, char fill, struct cprof_error *err)
{
	unsigned char *head = malloc(CPROF_HEAD_BYTES);
	memset(head, fill, CPROF_HEAD_BYTES);
	memcpy(head, prefix, plen);
	int r = cprof_profile_head_check(head, CPROF_HEAD_BYTES, NULL, err);
	free(head);
	return r;
}

int test_head_check(void)
{
	struct cprof_error err;
	static const struct {
		const char *prefix;
		size_t len;
		char fill;
		const char *msg; /* NULL: not refused */
	} cases[] = {
		/* zeros: field 0 is no profile.proto, no line ends within 64 KiB */
		{"", 0, 0, "parsing profile: bufio.Scanner: token too long"},
		/* an empty line first: the count parser skips it and meets the long one */
		{"\n", 1, 0, "parsing profile: bufio.Scanner: token too long"},
		{"x\n", 2, 0, "parsing profile: unrecognized profile format"},
		/* newlines: every line empty so far, the rest decides */
		{"", 0, '\n', NULL},
		{"heap profile: 1: 2 [3: 4] @ heap/1048576\n", 41, 0, NULL},
		{"goroutine profile: total 4\n", 27, 0, NULL},
		{"--- mutex:\ncycles/second=1\n", 27, 0, NULL},
		{"--- contentionz 1 ---\n", 22, 0, NULL},
		/* a string table whose first string is not "" */
		{"\x32\x01x", 3, 0, "parsing profile: bufio.Scanner: token too long"},
		/* sample_type, then field 0 */
		{"\x0a\x00", 2, 0, "parsing profile: bufio.Scanner: token too long"},
		/* a string longer than -max_input_size */
		{"\x32\xff\xff\xff\xff\x0f", 6, 0, "parsing profile: bufio.Scanner: token too long"},
		/* a sample cut by the head: the rest decides */
		{"\x12\xff\xff\x3f", 4, 0, NULL},
		/* an unknown field of any kind is skipped, so what follows decides */
		{"\xa2\x06\x00", 3, 0, "parsing profile: bufio.Scanner: token too long"},
		{"\xa2\x06\x00", 3, '\n', NULL},
		/* wire type 7, then a line of NULs (text without NUL may be a goroutine dump) */
		{"\x0f\n", 2, 0, "parsing profile: unrecognized profile format"},
		{"\x0f\n", 2, '\n', NULL},
		/* text with no line end: the heap and contention parsers' long line */
		{"", 0, 'a', "parsing profile: bufio.Scanner: token too long"},
	};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(cases); i++) {
		int r = head_of(cases[i].prefix, cases[i].len, cases[i].fill, &err);
		if (!cases[i].msg) {
			CHECK_INT(r, 0);
			continue;
		}
		CHECK_INT(r, -1);
		CHECK_STR(cprof_error_msg(&err), cases[i].msg);
	}
	/* text required: a NUL refuses */
	CHECK_INT(cprof_text_head_check((const unsigned char *)"gc 1 @0.1s\n", 11, NULL, &err), 0);
	CHECK_INT(cprof_text_head_check((const unsigned char *)"gc 1\0", 5, NULL, &err), -1);
	CHECK_STR(cprof_error_msg(&err), "not a text file: NUL byte in the first 128 KiB, at byte 4");
	return 0;
}

static int write_temp(char *path, const void *data, size_t len);

/* cprof_read_input: the check sees the head (inflated) only when there is more. */
static int count_check(const unsigned char *head, size_t len, void *ctx, struct cprof_error *err)
{
	(void)err;
	*(size_t *)ctx = len;
	return head[0] == 'R' ? cprof_error_set(err, CPROF_E_FORMAT, "refused") : 0;
}

int test_read_input_head(void)
{
	char path[64];
	struct strbuf gz = STRBUF_INIT, out = STRBUF_INIT;
	struct cprof_error err;
	size_t seen;
	char *big = malloc(200000);

	memset(big, 'a', 200000);
	for (int zip = 0; zip < 2; zip++) {
		strbuf_reset(&gz);
		if (zip)
			gzip_member(&gz, big, 200000);
		else
			strbuf_add(&gz, big, 200000);
		strcpy(path, "/tmp/cprof-unit-XXXXXX");
		CHECK(!write_temp(path, gz.buf, gz.len));
		seen = 0;
		CHECK_INT(cprof_read_input(path, &out, count_check, &seen, &err), 0);
		CHECK_INT(seen, CPROF_HEAD_BYTES);
		CHECK_INT(out.len, 200000);
		unlink(path);
		strbuf_reset(&out);
		/* refused: nothing read past the head */
		big[0] = 'R';
		strbuf_reset(&gz);
		if (zip)
			gzip_member(&gz, big, 200000);
		else
			strbuf_add(&gz, big, 200000);
		strcpy(path, "/tmp/cprof-unit-XXXXXX");
		CHECK(!write_temp(path, gz.buf, gz.len));
		CHECK_INT(cprof_read_input(path, &out, count_check, &seen, &err), -1);
		CHECK_STR(cprof_error_msg(&err), "refused");
		unlink(path);
		big[0] = 'a';
		/* short: no check */
		seen = 0;
		strcpy(path, "/tmp/cprof-unit-XXXXXX");
		CHECK(!write_temp(path, "Rabc", 4));
		CHECK_INT(cprof_read_input(path, &out, count_check, &seen, &err), 0);
		CHECK_INT(seen, 0);
		unlink(path);
		strbuf_reset(&out);
	}
	free(big);
	strbuf_release(&gz);
	strbuf_release(&out);
	return 0;
}

/* ---- files and the registry ----------------------------------------------- */

int test_read_file_errors(void)
{
	struct strbuf sb = STRBUF_INIT;
	struct cprof_error err;
	struct cprof_profile *p;

	CHECK_INT(cprof_read_file("/nonexistent/cprof.pb.gz", &sb, &err), -1);
	CHECK_STR(cprof_error_msg(&err), "cannot open: no such file or directory");
	CHECK_INT(cprof_read_file("/", &sb, &err), -1);
	CHECK_STR(cprof_error_msg(&err), "is a directory");
	CHECK_INT(cprof_read_profile("/", &p, &err), -1);
	CHECK(p == NULL);
	strbuf_release(&sb);
	return 0;
}

static int write_temp(char *path, const void *data, size_t len)
{
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	if (write(fd, data, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

int test_parse_empty(void)
{
	struct cprof_profile *p;
	struct cprof_error err;
	struct strbuf gz = STRBUF_INIT;
	char path[] = "/tmp/cprof-unit-XXXXXX";

	CHECK_INT(cprof_parse_profile((const unsigned char *)"", 0, &p, &err), -1);
	CHECK_INT(err.code, CPROF_E_EMPTY);
	CHECK_STR(cprof_error_msg(&err), "parsing profile: empty input file");
	/* a gzip file of nothing is empty too */
	gzip_member(&gz, "", 0);
	CHECK_INT(write_temp(path, gz.buf, gz.len), 0);
	int r = cprof_read_profile(path, &p, &err);
	unlink(path);
	CHECK_INT(r, -1);
	CHECK_STR(cprof_error_msg(&err), "parsing profile: empty input file");
	strbuf_release(&gz);
	return 0;
}

int test_parse_unrecognized(void)
{
	struct cprof_profile *p;
	struct cprof_error err;
	struct strbuf b = STRBUF_INIT, gz = STRBUF_INIT;
	char path[] = "/tmp/cprof-unit-XXXXXX";
	static const char text[] = "this is not a profile\n";

	CHECK_INT(cprof_parse_profile((const unsigned char *)text, sizeof(text) - 1, &p, &err), -1);
	CHECK_INT(err.code, CPROF_E_FORMAT);
	CHECK_STR(cprof_error_msg(&err), "parsing profile: unrecognized profile format");
	/* a string index out of range ends there too (after the legacy parsers) */
	pb_base(&b);
	pb_int(&b, 7, 99);
	CHECK_INT(cprof_parse_profile((unsigned char *)b.buf, b.len, &p, &err), -1);
	CHECK_STR(cprof_error_msg(&err), "parsing profile: unrecognized profile format");
	/* a valid gzipped profile through cprof_read_profile, with its source set */
	strbuf_reset(&b);
	pb_base(&b);
	gzip_member(&gz, b.buf, b.len);
	CHECK_INT(write_temp(path, gz.buf, gz.len), 0);
	int r = cprof_read_profile(path, &p, &err);
	unlink(path);
	CHECK_INT(r, 0);
	CHECK_STR(p->source, path);
	CHECK_INT(p->nlocation, 1);
	cprof_profile_free(p);
	strbuf_release(&b);
	strbuf_release(&gz);
	return 0;
}

/* ---- the dump ------------------------------------------------------------- */

/*
 * The input of the dump tests. Strings:
 *   0 ""  1 samples  2 count  3 cpu  4 nanoseconds  5 main  6 main.go  7 inl
 *   8 /bin/x  9 bid  10 key  11 v1  12 v2  13 k0  14 bytes  15 a comment  16 _sys
 *   17 https://doc
 */
static void dump_input(struct strbuf *b)
{
	struct strbuf m = STRBUF_INIT, l = STRBUF_INIT;
	static const char *const strs[] = {
		"", "samples", "count", "cpu", "nanoseconds", "main", "main.go", "inl", "/bin/x",
		"bid", "key", "v1", "v2", "k0", "bytes", "a comment", "_sys", "https://doc",
	};

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		pb_str(b, 6, strs[i]);
	pb_int(&m, 1, 1), pb_int(&m, 2, 2), pb_msg(b, 1, &m);
	pb_int(&m, 1, 3), pb_int(&m, 2, 4), pb_msg(b, 1, &m);
	pb_int(b, 14, 3);
	pb_int(&m, 1, 3), pb_int(&m, 2, 4), pb_msg(b, 11, &m);
	pb_int(b, 12, 10000000);
	pb_int(b, 9, 1257894000000000000);
	pb_int(b, 10, 1500);
	pb_int(b, 13, 15);
	pb_int(b, 15, 17);

	pb_int(&m, 1, 1), pb_int(&m, 2, 0x400000), pb_int(&m, 3, 0x500000);
	pb_int(&m, 5, 8), pb_int(&m, 6, 9), pb_int(&m, 7, 1), pb_int(&m, 10, 1);
	pb_msg(b, 3, &m);
	pb_int(&m, 1, 2), pb_msg(b, 3, &m);

	pb_int(&m, 1, 1), pb_int(&m, 2, 5), pb_int(&m, 3, 16), pb_int(&m, 4, 6), pb_int(&m, 5, 3);
	pb_msg(b, 5, &m);
	pb_int(&m, 1, 2), pb_int(&m, 2, 7), pb_int(&m, 3, 7), pb_int(&m, 4, 6);
	pb_msg(b, 5, &m);

	pb_int(&m, 1, 1), pb_int(&m, 2, 1), pb_int(&m, 3, 0x401000);
	pb_int(&l, 1, 2), pb_int(&l, 2, 20), pb_int(&l, 3, 4), pb_msg(&m, 4, &l);
	pb_int(&l, 1, 1), pb_int(&l, 2, 10), pb_msg(&m, 4, &l);
	pb_msg(b, 4, &m);
	pb_int(&m, 1, 2), pb_int(&m, 5, 1), pb_msg(b, 4, &m);
	pb_int(&m, 1, 3), pb_int(&m, 2, 2), pb_int(&m, 3, 0x10);
	pb_int(&l, 1, 1), pb_int(&l, 2, 11), pb_msg(&m, 4, &l);
	pb_msg(b, 4, &m);

	/* sample 1: labels in mixed order, numeric with and without units */
	pb_int(&m, 1, 1), pb_int(&m, 1, 2), pb_int(&m, 1, 3);
	pb_int(&m, 2, 1), pb_int(&m, 2, 100);
	pb_int(&l, 1, 10), pb_int(&l, 2, 12), pb_msg(&m, 3, &l);
	pb_int(&l, 1, 13), pb_int(&l, 2, 11), pb_msg(&m, 3, &l);
	pb_int(&l, 1, 10), pb_int(&l, 2, 11), pb_msg(&m, 3, &l);
	pb_int(&l, 1, 14), pb_int(&l, 3, 1024), pb_int(&l, 4, 14), pb_msg(&m, 3, &l);
	pb_int(&l, 1, 14), pb_int(&l, 3, 2048), pb_msg(&m, 3, &l);
	pb_int(&l, 1, 2), pb_int(&l, 3, 7), pb_msg(&m, 3, &l);
	pb_msg(b, 2, &m);
	/* sample 2: negative values, no locations */
	pb_int(&m, 2, (uint64_t)-5), pb_int(&m, 2, 1234567890123), pb_msg(b, 2, &m);
	strbuf_release(&m);
	strbuf_release(&l);
}

static const char dump_want[] =
	"Comment: a comment\n"
	"PeriodType: cpu nanoseconds\n"
	"Period: 10000000\n"
	"Time: 2009-11-10 23:00:00 +0000 UTC\n"
	"Duration: 1.5\xc2\xb5\n"
	"Samples:\n"
	"samples/count cpu/nanoseconds[dflt]\n"
	"          1        100: 1 2 3 \n"
	"                k0:[v1] key:[v2 v1]\n"
	"                bytes:[1024 bytes 2048 ] count:[7]\n"
	"         -5 1234567890123: \n"
	"Locations\n"
	"     1: 0x401000 M=1 inl main.go:20 s=0\n"
	"             main main.go:10 s=3(_sys)\n"
	"     2: 0x0 [F] \n"
	"     3: 0x10 M=2 main main.go:11 s=3(_sys)\n"
	"Mappings\n"
	"1: 0x400000/0x500000/0x0 /bin/x bid [FN][IN]\n"
	"2: 0x0/0x0/0x0   \n";

static int dump_of_input(struct strbuf *out, bool upstream)
{
	struct strbuf b = STRBUF_INIT;
	struct cprof_profile *p;
	struct cprof_error err;

	setenv("TZ", "UTC", 1);
	tzset();
	dump_input(&b);
	CHECK_INT(decode_sb(&b, &p, &err), 0);
	if (upstream)
		cprof_profile_dump_upstream(p, out);
	else
		cprof_profile_dump(p, out);
	cprof_profile_free(p);
	strbuf_release(&b);
	return 0;
}

int test_dump_layout(void)
{
	struct strbuf out = STRBUF_INIT;

	CHECK(!dump_of_input(&out, false));
	CHECK_STR(out.buf, dump_want);
	strbuf_release(&out);
	return 0;
}

/* Upstream pprof adds "Doc:" and columns (the layout of its .string goldens). */
int test_dump_upstream_layout(void)
{
	struct strbuf out = STRBUF_INIT;

	CHECK(!dump_of_input(&out, true));
	CHECK(strstr(out.buf, "Comment: a comment\nDoc: https://doc\nPeriodType:") != NULL);
	CHECK(strstr(out.buf, "     1: 0x401000 M=1 inl main.go:20:4 s=0\n"
			      "             main main.go:10:0 s=3(_sys)\n") != NULL);
	CHECK(strstr(out.buf, "     3: 0x10 M=2 main main.go:11:0 s=3(_sys)\n") != NULL);
	strbuf_release(&out);
	return 0;
}
