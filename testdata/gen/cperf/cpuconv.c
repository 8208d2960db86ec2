/*
 * cpuconv.c - rewrite a gperftools binary CPU profile with another word
 * size and byte order, for the 32-bit and big-endian test profiles of
 * testdata/gperf/ (the profiler on this machine only writes 64-bit
 * little-endian ones).
 *
 *   cpuconv 32|64 le|be < cpu.prof > out.prof
 *
 * The input is a 64-bit little-endian profile: header words
 * 0 3 0 <period> 0, records <count> <n> <pc>..., trailer 0 1 0, then the
 * /proc/self/maps text. Every word is written again in the chosen form;
 * the text is copied, except for 32-bit output:
 *
 *  - addresses at or above 4 GiB (shared libraries, the stack) are moved
 *    down by one fixed amount, so that the lowest of them lands at
 *    0xb0000000, where a 32-bit Linux process keeps its libraries; a maps
 *    line is rewritten the same way, or left out when it still does not
 *    fit (the stack, [vdso]);
 *  - a pc that does not fit after the move is an error.
 *
 * So the converted profile describes the same samples in the same
 * mappings; pprof reads it to the same report, addresses aside.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOW_BASE 0xb0000000ull
#define FOUR_GIB 0x100000000ull

static unsigned char *in;
static size_t in_len, in_pos;
static int out_bits;
static int out_big;
static uint64_t delta; /* subtracted from addresses >= 4 GiB (32-bit output) */

static void die(const char *msg)
{
	fprintf(stderr, "cpuconv: %s\n", msg);
	exit(1);
}

static int read_word(uint64_t *w)
{
	if (in_len - in_pos < 8)
		return -1;
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | in[in_pos + (size_t)i];
	in_pos += 8;
	*w = v;
	return 0;
}

static void write_word(uint64_t v)
{
	int n = out_bits / 8;
	unsigned char b[8];
	if (n == 4 && v >= FOUR_GIB)
		die("a word does not fit in 32 bits");
	for (int i = 0; i < n; i++)
		b[out_big ? n - 1 - i : i] = (unsigned char)(v >> (8 * i));
	fwrite(b, 1, (size_t)n, stdout);
}

static uint64_t move_addr(uint64_t a)
{
	return out_bits == 32 && a >= FOUR_GIB ? a - delta : a;
}

/* The lowest address at or above 4 GiB among the pcs and the maps' starts. */
static uint64_t lowest_high(size_t text_at)
{
	uint64_t low = UINT64_MAX, w[2];
	size_t save = in_pos;

	in_pos = 5 * 8;
	for (;;) {
		if (read_word(&w[0]) < 0 || read_word(&w[1]) < 0)
			die("truncated record");
		if (w[0] == 0 && w[1] == 1) {
			in_pos += 8;
			break;
		}
		for (uint64_t i = 0; i < w[1]; i++) {
			uint64_t pc;
			if (read_word(&pc) < 0)
				die("truncated record");
			if (pc >= FOUR_GIB && pc < low)
				low = pc;
		}
	}
	for (size_t i = text_at; i < in_len;) {
		uint64_t start;
		if (sscanf((const char *)in + i, "%" SCNx64 "-", &start) == 1 && start >= FOUR_GIB &&
		    start < low)
			low = start;
		const char *nl = memchr(in + i, '\n', in_len - i);
		i = nl ? (size_t)((const unsigned char *)nl - in) + 1 : in_len;
	}
	in_pos = save;
	return low;
}

/* One maps line, moved for 32-bit output (or dropped when it does not fit). */
static void copy_line(const char *line, size_t n)
{
	uint64_t start, limit;
	int used = 0;
	char buf[4096];

	if (out_bits == 64 || n >= sizeof(buf)) {
		fwrite(line, 1, n, stdout);
		return;
	}
	memcpy(buf, line, n);
	buf[n] = '\0';
	if (sscanf(buf, "%" SCNx64 "-%" SCNx64 "%n", &start, &limit, &used) != 2 || limit < FOUR_GIB) {
		fwrite(line, 1, n, stdout);
		return;
	}
	start = move_addr(start);
	limit = move_addr(limit);
	if (start >= FOUR_GIB || limit > FOUR_GIB)
		return;
	printf("%08" PRIx64 "-%08" PRIx64 "%s", start, limit, buf + used);
}

int main(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[1], "32") && strcmp(argv[1], "64")) ||
	    (strcmp(argv[2], "le") && strcmp(argv[2], "be")))
		die("usage: cpuconv 32|64 le|be < in.prof > out.prof");
	out_bits = atoi(argv[1]);
	out_big = !strcmp(argv[2], "be");

	size_t cap = 1 << 16;
	in = malloc(cap);
	for (size_t got; in && (got = fread(in + in_len, 1, cap - in_len, stdin)) > 0;) {
		in_len += got;
		if (in_len == cap)
			in = realloc(in, cap *= 2);
	}
	if (!in)
		die("out of memory");

	uint64_t h[5];
	for (int i = 0; i < 5; i++)
		if (read_word(&h[i]) < 0)
			die("not a 64-bit little-endian CPU profile");
	if (h[0] != 0 || h[1] != 3 || h[2] != 0 || h[4] != 0)
		die("not a 64-bit little-endian CPU profile");

	/* find where the text starts, for the lowest high address */
	size_t text_at;
	{
		uint64_t w[2];
		for (;;) {
			if (read_word(&w[0]) < 0 || read_word(&w[1]) < 0)
				die("truncated record");
			if (w[0] == 0 && w[1] == 1) {
				in_pos += 8;
				break;
			}
			in_pos += 8 * w[1];
			if (in_pos > in_len)
				die("truncated record");
		}
		text_at = in_pos;
		in_pos = 5 * 8;
	}
	uint64_t low = lowest_high(text_at);
	delta = low == UINT64_MAX ? 0 : (low & ~0xfffull) - LOW_BASE;

	for (int i = 0; i < 5; i++)
		write_word(h[i]);
	for (;;) {
		uint64_t count = 0, n = 0, pc = 0;
		read_word(&count);
		read_word(&n);
		write_word(count);
		write_word(n);
		if (count == 0 && n == 1) {
			read_word(&pc);
			write_word(pc);
			break;
		}
		for (uint64_t i = 0; i < n; i++) {
			read_word(&pc);
			write_word(move_addr(pc));
		}
	}
	for (size_t i = text_at; i < in_len;) {
		const char *nl = memchr(in + i, '\n', in_len - i);
		size_t end = nl ? (size_t)((const unsigned char *)nl - in) + 1 : in_len;
		copy_line((const char *)in + i, end - i);
		i = end;
	}
	free(in);
	return fflush(stdout) == 0 ? 0 : 1;
}
