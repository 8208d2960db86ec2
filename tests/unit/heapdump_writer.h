/*
 * heapdump_writer.h - writing Go heap dumps ("go1.7 heap dump") by hand,
 * record by record, for the unit tests (test_heapdump.c) and the tool
 * that makes hostile dumps (tests/tools/mkheapdump.c). The layout is the
 * one formats/heapdump.c reads (see its opening comment); nothing here
 * checks what is written, so that broken dumps can be made too.
 */
#ifndef CPROF_TESTS_HEAPDUMP_WRITER_H
#define CPROF_TESTS_HEAPDUMP_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cprof/strbuf.h"

enum {
	HW_EOF, HW_OBJECT, HW_OTHERROOT, HW_TYPE, HW_GOROUTINE, HW_FRAME, HW_PARAMS, HW_FINALIZER,
	HW_ITAB, HW_OSTHREAD, HW_MEMSTATS, HW_QFINALIZER, HW_DATA, HW_BSS, HW_DEFER, HW_PANIC,
	HW_MEMPROF, HW_ALLOCSAMPLE,
};

#define HW_HEAP 0xc000000000ULL /* where the test heaps start */

static inline void hw_uv(struct strbuf *b, uint64_t v)
{
	while (v >= 0x80) {
		strbuf_addch(b, (int)(v & 0x7f) | 0x80);
		v >>= 7;
	}
	strbuf_addch(b, (int)v);
}

static inline void hw_str(struct strbuf *b, const char *s)
{
	hw_uv(b, strlen(s));
	strbuf_add(b, s, strlen(s));
}

static inline void hw_header(struct strbuf *b)
{
	strbuf_addstr(b, "go1.7 heap dump\n");
}

/* params: little endian, 8-byte pointers, heap [HW_HEAP, HW_HEAP + 64 MiB) */
static inline void hw_params(struct strbuf *b)
{
	hw_uv(b, HW_PARAMS);
	hw_uv(b, 0);
	hw_uv(b, 8);
	hw_uv(b, HW_HEAP);
	hw_uv(b, HW_HEAP + (64u << 20));
	hw_str(b, "amd64");
	hw_str(b, "go1.19.8");
	hw_uv(b, 2);
}

static inline void hw_word(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/*
 * A region's contents (size bytes, zero but for the pointers) and its
 * fieldlist: ptrs[i] at offset 8 * i (so size >= 8 * n).
 */
static inline void hw_region(struct strbuf *b, uint64_t size, const uint64_t *ptrs, size_t n)
{
	hw_uv(b, size);
	size_t at = b->len;
	strbuf_addchars(b, 0, (size_t)size);
	for (size_t i = 0; i < n && 8 * i + 8 <= size; i++)
		hw_word((unsigned char *)b->buf + at + 8 * i, ptrs[i]);
	for (size_t i = 0; i < n; i++) {
		hw_uv(b, 1);
		hw_uv(b, 8 * i);
	}
	hw_uv(b, 0);
}

static inline void hw_object(struct strbuf *b, uint64_t addr, uint64_t size, const uint64_t *ptrs, size_t n)
{
	hw_uv(b, HW_OBJECT);
	hw_uv(b, addr);
	hw_region(b, size, ptrs, n);
}

/* The bss segment at addr: one pointer slot per entry of ptrs. */
static inline void hw_segment(struct strbuf *b, int tag, uint64_t addr, const uint64_t *ptrs, size_t n)
{
	hw_uv(b, (uint64_t)tag);
	hw_uv(b, addr);
	hw_region(b, 8 * n, ptrs, n);
}

static inline void hw_goroutine(struct strbuf *b, uint64_t addr, uint64_t goid)
{
	hw_uv(b, HW_GOROUTINE);
	hw_uv(b, addr);
	hw_uv(b, 0x7000);
	hw_uv(b, goid);
	hw_uv(b, 0x401000);
	hw_uv(b, 4);
	hw_uv(b, 0);
	hw_uv(b, 0);
	hw_uv(b, 0);
	hw_str(b, "chan receive");
	hw_uv(b, 0);
	hw_uv(b, 0);
	hw_uv(b, 0);
	hw_uv(b, 0);
}

static inline void hw_frame(struct strbuf *b, const char *func, uint64_t depth, const uint64_t *ptrs, size_t n)
{
	hw_uv(b, HW_FRAME);
	hw_uv(b, 0x7000 + 64 * depth);
	hw_uv(b, depth);
	hw_uv(b, depth ? 0x7000 + 64 * (depth - 1) : 0);
	hw_uv(b, 8 * n); /* contents */
	size_t at = b->len;
	strbuf_addchars(b, 0, 8 * n);
	for (size_t i = 0; i < n; i++)
		hw_word((unsigned char *)b->buf + at + 8 * i, ptrs[i]);
	hw_uv(b, 0x401000);
	hw_uv(b, 0x401010);
	hw_uv(b, 0x401010);
	hw_str(b, func);
	for (size_t i = 0; i < n; i++) {
		hw_uv(b, 1);
		hw_uv(b, 8 * i);
	}
	hw_uv(b, 0);
}

static inline void hw_finalizer(struct strbuf *b, bool queued, uint64_t obj, uint64_t fn, uint64_t fnpc)
{
	hw_uv(b, queued ? HW_QFINALIZER : HW_FINALIZER);
	hw_uv(b, obj);
	hw_uv(b, fn);
	hw_uv(b, fnpc);
	hw_uv(b, 0x4a0000);
	hw_uv(b, 0x4a0100);
}

static inline void hw_memstats(struct strbuf *b, uint64_t heap_alloc, uint64_t heap_objects)
{
	hw_uv(b, HW_MEMSTATS);
	for (int i = 0; i < 24; i++)
		hw_uv(b, i == 6 || i == 0 ? heap_alloc : i == 11 ? heap_objects : 0);
	for (int i = 0; i < 256; i++)
		hw_uv(b, 0);
	hw_uv(b, 0);
}

/* A bucket with one frame (func at file:line). */
static inline void hw_memprof(struct strbuf *b, uint64_t id, uint64_t size, const char *func, uint64_t line)
{
	hw_uv(b, HW_MEMPROF);
	hw_uv(b, id);
	hw_uv(b, size);
	hw_uv(b, 2);
	hw_str(b, "runtime.newobject");
	hw_str(b, "/go/src/runtime/malloc.go");
	hw_uv(b, 1192);
	hw_str(b, func);
	hw_str(b, "/src/main.go");
	hw_uv(b, line);
	hw_uv(b, 1);
	hw_uv(b, 0);
}

static inline void hw_sample(struct strbuf *b, uint64_t addr, uint64_t bucket)
{
	hw_uv(b, HW_ALLOCSAMPLE);
	hw_uv(b, addr);
	hw_uv(b, bucket);
}

static inline void hw_eof(struct strbuf *b)
{
	hw_uv(b, HW_EOF);
}

#endif
