/*
 * mkheapdump.c - hostile and odd Go heap dumps for the bad-input tests
 * (tests/heapdump/run_heapdump.sh):
 *
 *   cprof_mkheapdump KIND FILE
 *
 * Valid but unusual (cprof must analyse them, and fast): cycle, selfloop,
 * outofrange, deep, wide, alternate, interleave, manyroots, bigendian,
 * zerosize, orphans. Broken (one error line, exit 2): overlap, dup,
 * hugecount, hugestring, hugeobject, noparams, badtag, badkind,
 * fieldoutside, trailing, noeof, varint, oldversion.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/heapdump_writer.h"

static void root(struct strbuf *b, uint64_t addr)
{
	hw_segment(b, HW_BSS, 0x5a0000, &addr, 1);
}

static int make(const char *kind, struct strbuf *b)
{
	hw_header(b);
	if (strcmp(kind, "noparams") && strcmp(kind, "bigendian"))
		hw_params(b);
	if (!strcmp(kind, "cycle")) {
		/* a reachable ring of 1000 and an unreachable one of 1000 */
		for (uint64_t r = 0; r < 2; r++)
			for (uint64_t i = 0; i < 1000; i++) {
				uint64_t next = HW_HEAP + r * 0x100000 + 32 * ((i + 1) % 1000);
				hw_object(b, HW_HEAP + r * 0x100000 + 32 * i, 32, &next, 1);
			}
		root(b, HW_HEAP + 32 * 500);
	} else if (!strcmp(kind, "selfloop")) {
		uint64_t self[4] = {HW_HEAP, HW_HEAP + 8, HW_HEAP, HW_HEAP + 24};
		hw_object(b, HW_HEAP, 32, self, 4);
		root(b, HW_HEAP);
	} else if (!strcmp(kind, "outofrange")) {
		/* pointers past the heap, into gaps, at the heap's last byte, all ones */
		uint64_t p[6] = {HW_HEAP + (64u << 20) - 1, UINT64_MAX, HW_HEAP + 0x50, HW_HEAP - 8, 1, HW_HEAP + 0x1000};
		hw_object(b, HW_HEAP, 64, p, 6);
		hw_object(b, HW_HEAP + 0x100, 64, p, 6);
		root(b, HW_HEAP + 0x100);
		uint64_t fp[3] = {UINT64_MAX, HW_HEAP + 0x10, 42};
		hw_goroutine(b, 0xc0ffee, 1);
		hw_frame(b, "main.f", 0, fp, 3);
		hw_finalizer(b, false, UINT64_MAX, HW_HEAP + 0x90, 0x401000);
		hw_sample(b, UINT64_MAX, 12345);
	} else if (!strcmp(kind, "deep")) {
		for (uint64_t i = 0; i < 2000000; i++) {
			uint64_t next = i + 1 < 2000000 ? HW_HEAP + 16 * (i + 1) : 0;
			hw_object(b, HW_HEAP + 16 * i, 16, &next, 1);
		}
		root(b, HW_HEAP);
	} else if (!strcmp(kind, "wide")) {
		/* one array of 200000 pointers to 200000 small objects, and to itself */
		enum { N = 200000 };
		uint64_t *p = malloc(sizeof(uint64_t) * (N + 1));
		for (uint64_t i = 0; i < N; i++)
			p[i] = HW_HEAP + 0x200000 + 16 * i;
		p[N] = HW_HEAP;
		hw_object(b, HW_HEAP, 8 * (N + 1), p, N + 1);
		for (uint64_t i = 0; i < N; i++)
			hw_object(b, HW_HEAP + 0x200000 + 16 * i, 16, &p[N], 1);
		free(p);
		root(b, HW_HEAP);
	} else if (!strcmp(kind, "alternate")) {
		/* a chain of 100000 alternating 16- and 32-byte objects: names alternate */
		uint64_t at = HW_HEAP;
		for (uint64_t i = 0; i < 100000; i++) {
			uint64_t size = i % 2 ? 32 : 16, next = i + 1 < 100000 ? at + size : 0;
			hw_object(b, at, size, &next, 1);
			at += size;
		}
		root(b, HW_HEAP);
	} else if (!strcmp(kind, "interleave")) {
		/* objects of two spans, alternately: runs interleave, a full sort */
		for (uint64_t i = 0; i < 10000; i++) {
			uint64_t a = HW_HEAP + 64 * (2 * (i % 5000)) + (i < 5000 ? 0 : 64);
			uint64_t p = HW_HEAP + 64 * ((i * 7919) % 10000);
			hw_object(b, a, 64, &p, 1);
		}
		root(b, HW_HEAP);
	} else if (!strcmp(kind, "manyroots")) {
		enum { N = 200000 };
		uint64_t *p = malloc(sizeof(uint64_t) * N);
		for (uint64_t i = 0; i < N; i++) {
			p[i] = HW_HEAP + 16 * (i % 1000);
			if (i < 1000)
				hw_object(b, HW_HEAP + 16 * i, 16, NULL, 0);
		}
		hw_segment(b, HW_BSS, 0x5a0000, p, N);
		hw_segment(b, HW_DATA, 0x580000, p, N);
		free(p);
	} else if (!strcmp(kind, "bigendian")) {
		/* big endian, 4-byte pointers */
		hw_uv(b, HW_PARAMS);
		hw_uv(b, 1);
		hw_uv(b, 4);
		hw_uv(b, 0x10000000);
		hw_uv(b, 0x20000000);
		hw_str(b, "mips");
		hw_str(b, "go1.19.8");
		hw_uv(b, 1);
		hw_uv(b, HW_OBJECT);
		hw_uv(b, 0x10000000);
		hw_uv(b, 8);
		strbuf_add(b, "\x10\x00\x00\x10\x00\x00\x00\x00", 8); /* 0x10000010 */
		hw_uv(b, 1);
		hw_uv(b, 0);
		hw_uv(b, 0);
		hw_uv(b, HW_OBJECT);
		hw_uv(b, 0x10000010);
		hw_uv(b, 16);
		strbuf_addchars(b, 0, 16);
		hw_uv(b, 0);
		hw_uv(b, HW_BSS);
		hw_uv(b, 0x5000);
		hw_uv(b, 4);
		strbuf_add(b, "\x10\x00\x00\x00", 4);
		hw_uv(b, 1);
		hw_uv(b, 0);
		hw_uv(b, 0);
	} else if (!strcmp(kind, "zerosize")) {
		for (uint64_t i = 0; i < 100; i++)
			hw_object(b, HW_HEAP + 8 * (i / 2), i % 2 ? 8 : 0, NULL, 0);
		root(b, HW_HEAP);
	} else if (!strcmp(kind, "orphans")) {
		/* samples, buckets, frames and finalizers that match nothing */
		hw_object(b, HW_HEAP, 16, NULL, 0);
		hw_frame(b, "main.before_any_goroutine", 0, (uint64_t[]){HW_HEAP}, 1);
		hw_sample(b, HW_HEAP + 0x1000, 1);
		hw_sample(b, HW_HEAP, 99);
		hw_memprof(b, 1, 16, "main.f", 3);
		hw_memprof(b, 1, 16, "main.g", 4); /* the same id twice */
		hw_finalizer(b, true, HW_HEAP + 0x1000, 0, 0);
		hw_uv(b, HW_OTHERROOT);
		hw_str(b, "mystery");
		hw_uv(b, HW_HEAP);
		hw_uv(b, HW_PANIC);
		for (int i = 0; i < 6; i++)
			hw_uv(b, i == 3 ? HW_HEAP : 0);
	} else if (!strcmp(kind, "overlap")) {
		hw_object(b, HW_HEAP, 64, NULL, 0);
		hw_object(b, HW_HEAP + 64, 64, NULL, 0);
		hw_object(b, HW_HEAP + 96, 64, NULL, 0);
	} else if (!strcmp(kind, "dup")) {
		hw_object(b, HW_HEAP, 64, NULL, 0);
		hw_object(b, HW_HEAP, 64, NULL, 0);
	} else if (!strcmp(kind, "hugecount")) {
		hw_uv(b, HW_MEMPROF);
		hw_uv(b, 1);
		hw_uv(b, 16);
		hw_uv(b, 1ULL << 60); /* frames */
		hw_str(b, "main.f");
	} else if (!strcmp(kind, "hugestring")) {
		hw_uv(b, HW_OTHERROOT);
		hw_uv(b, 1ULL << 62);
		strbuf_addstr(b, "abc");
	} else if (!strcmp(kind, "hugeobject")) {
		hw_uv(b, HW_OBJECT);
		hw_uv(b, HW_HEAP);
		hw_uv(b, 1ULL << 40); /* a TiB of contents, then the file ends */
		strbuf_addchars(b, 0, 4096);
	} else if (!strcmp(kind, "badtag")) {
		hw_uv(b, 99);
	} else if (!strcmp(kind, "badkind")) {
		hw_uv(b, HW_OBJECT);
		hw_uv(b, HW_HEAP);
		hw_uv(b, 16);
		strbuf_addchars(b, 0, 16);
		hw_uv(b, 7);
		hw_uv(b, 0);
		hw_uv(b, 0);
	} else if (!strcmp(kind, "fieldoutside")) {
		hw_uv(b, HW_OBJECT);
		hw_uv(b, HW_HEAP);
		hw_uv(b, 16);
		strbuf_addchars(b, 0, 16);
		hw_uv(b, 1);
		hw_uv(b, 1ULL << 50);
		hw_uv(b, 0);
	} else if (!strcmp(kind, "trailing")) {
		hw_object(b, HW_HEAP, 16, NULL, 0);
		hw_eof(b);
		strbuf_addstr(b, "more");
		return 0;
	} else if (!strcmp(kind, "noeof")) {
		hw_object(b, HW_HEAP, 16, NULL, 0);
		return 0;
	} else if (!strcmp(kind, "varint")) {
		strbuf_addstr(b, "\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01");
		return 0;
	} else if (!strcmp(kind, "oldversion")) {
		strbuf_reset(b);
		strbuf_addstr(b, "go1.4 heap dump\n");
		hw_eof(b);
		return 0;
	} else if (!strcmp(kind, "noparams")) {
		uint64_t p = HW_HEAP;
		hw_object(b, HW_HEAP, 16, &p, 1);
	} else {
		return -1;
	}
	hw_eof(b);
	return 0;
}

int main(int argc, char **argv)
{
	struct strbuf b = STRBUF_INIT;
	if (argc != 3) {
		fprintf(stderr, "usage: cprof_mkheapdump KIND FILE\n");
		return 64;
	}
	if (make(argv[1], &b) < 0) {
		fprintf(stderr, "cprof_mkheapdump: unknown kind '%s'\n", argv[1]);
		return 64;
	}
	FILE *f = fopen(argv[2], "wb");
	if (!f || fwrite(b.buf, 1, b.len, f) != b.len || fclose(f)) {
		perror(argv[2]);
		return 1;
	}
	strbuf_release(&b);
	return 0;
}
