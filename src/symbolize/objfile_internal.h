/*
 * objfile_internal.h - what the files of the object-file layer share
 * (include/cprof/symbolize.h's cprof_objtool and cprof_objfile), not part
 * of the public API. Functions named of_* are internal to that layer; the
 * cursor readers and the search below stay static inline, as they run once
 * a byte or once an address in the files that use them.
 *
 * The layer follows the symbolization recipe of objfile.c's opening
 * comment, one file a step:
 *
 *   objfile.c            the tool; ELF opening and the load bias (step 1)
 *   objfile_debugfile.c  separate debug files: build id, .gnu_debuglink,
 *                        compressed sections
 *   objfile_dwarf.c      the DWARF unit index: units, their address ranges,
 *                        the raw DIE walk and its abbreviations (steps 2, 3)
 *   objfile_lines.c      line tables: file names, decode_lines (step 4)
 *   objfile_symtab.c     symbol tables: the frames' ELF symbols (step 5) and
 *                        nm's symbol list (cprof_objfile_symbols)
 *   objfile_code.c       code bytes, for the disassembler
 *   objfile_frames.c     frames at an address, subroutine names and call
 *                        sites, the per-address cache (steps 3 to 5 joined)
 *   objfile_prefetch.c   the second thread that reads the main binary (and
 *                        finds its frames) while the profile is read
 */
#ifndef CPROF_OBJFILE_INTERNAL_H
#define CPROF_OBJFILE_INTERNAL_H

#include <gelf.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <elfutils/libdw.h>

#include "cprof/arena.h"
#include "cprof/symbolize.h"

/* ---- data --------------------------------------------------------------------- */

struct esym {
	uint64_t addr, size;
	const char *name;
	uint32_t idx;   /* symbol table index for local symbols, else 0 */
	bool is_func;   /* STT_FUNC or STT_GNU_IFUNC */
	bool is_data;   /* STT_OBJECT */
};

struct file_sym {
	uint32_t idx;
	const char *name;
};

/* A subprogram or inlined subroutine DIE of an indexed CU. */
struct sub {
	Dwarf_Off off;      /* DIE offset */
	uint32_t parent;    /* enclosing inlined subroutine/subprogram, or CPROF_NONE */
	bool inlined;       /* DW_TAG_inlined_subroutine */
	/*
	 * raw: walk_raw read the attributes of_die_name and of_sub_call_site look
	 * at, so that they need no libdw: the names (DW_AT_MIPS_linkage_name,
	 * DW_AT_linkage_name, DW_AT_name; NULL if absent) and the DIE they are
	 * otherwise taken from (DW_AT_abstract_origin, else
	 * DW_AT_specification; 0 if none). call_* below are then read too.
	 */
	bool raw;
	uint8_t call_set; /* call_file, call_line, call_col read (bits 0-2; walk_raw only) */
	const char *nm[3];
	Dwarf_Off origin;
	bool call_read;     /* call_* below read from the DIE (atomic: see struct fctx) */
	const char *name;   /* resolved on first use; NULL until then (atomic: see struct fctx) */
	uint32_t call_file, call_line, call_col; /* an inlined subroutine's call site */
};

/* A disjoint address segment [lo, hi) whose deepest subroutine is sub. */
struct seg {
	uint64_t lo, hi;
	uint32_t sub;
};

/* One row of a line table. */
struct lrow {
	uint64_t addr;
	uint32_t seq;  /* creation order, for sorting */
	uint32_t file; /* raw file register */
	int32_t line;
	uint16_t col;
	bool end;      /* end_sequence */
};

struct cu {
	Dwarf_Off off; /* CU DIE offset */
	Dwarf_Off hdr; /* unit header offset (CU-relative references start there) */
	/* the unit header, for the raw DIE walk (raw_end 0: walk with libdw) */
	Dwarf_Off raw_end, abbrev_off;
	uint16_t version;
	uint8_t addr_size, off_size;
	bool indexed;
	bool go;       /* DW_LANG_Go: names are DW_AT_name alone (no linkage names) */
	struct sub *subs;
	size_t nsubs, asubs;
	struct seg *segs;
	size_t nsegs;
	struct lrow *rows;  /* the line table, in libdw's order; NULL if none (or not read yet) */
	size_t nlines;
	uint64_t *laddr;    /* the rows' addresses, for a cache-friendly search */
	bool lines_read;
	const char **fnames; /* file names as llvm-symbolizer forms them, by raw file index */
	size_t nfnames;
};

struct cu_range {
	uint64_t lo, hi;
	uint32_t cu;
};

/* Cached answer for one object address. */
struct cache_ent {
	uint64_t addr;
	struct cprof_frame *frames;
	uint32_t n;
	uint8_t used; /* 0 empty, 1 full answer, 2 fast answer */
};

/* One ELF file (shared by every mapping that names it). */
struct elfobj {
	char *path;
	int fd;
	Elf *elf;
	GElf_Ehdr eh;
	GElf_Phdr *ph;
	size_t nph;
	char build_id[129];
	bool have_text;
	bool is_go; /* a Go binary: its symbol names are shown as Go prints them */
	uint64_t text_addr; /* .text section address, for FindTextProgHeader */

	/* symbols */
	bool syms_loaded;
	struct esym *syms; /* all accepted symbols, by address */
	size_t nsyms;
	struct esym *lsyms; /* llvm-symbolizer's view: one per address (largest size) */
	size_t nlsyms;
	struct file_sym *fsyms;
	size_t nfsyms, afsyms;
	bool dynsym_only; /* no .symtab: the exported symbols only, so sizes must hold */

	/* DWARF */
	bool dw_tried;
	int dfd;
	Elf *delf;
	Dwarf *dw;
	char *dpath;
	void **zbufs; /* debug sections inflated by cprof, for libdw (see of_inflate_sections) */
	size_t nzbufs, azbufs;
	struct cu *cus;
	size_t ncus;
	struct cu_range *cur;
	size_t ncur;
	bool secs_read; /* the sections below looked up (in the DWARF file) */
	Elf_Data *sec_info, *sec_abbrev, *sec_line, *sec_str, *sec_line_str, *sec_ranges;

	/* answers */
	uint64_t *pre_addr; /* object addresses symbolized ahead (prefetch), sorted, distinct */
	struct cprof_frame **pre_fr;
	uint32_t *pre_n;    /* PRE_NONE: not found (the prefetch stopped first) */
	size_t npre, pre_hint;
	struct cache_ent *cache;
	size_t ncache, acache; /* acache is a power of 2 */

	struct elfobj *next;
};

struct cprof_objfile {
	struct cprof_objtool *t;
	struct elfobj *o;
	uint64_t start, limit, offset;
	bool base_done;
	int base_rc;
	char base_err[512];
	uint64_t base;
	struct cprof_objfile *next;
};

/* A path that could not be opened, with its error (tried once). */
struct failed {
	char *path;
	struct cprof_error err;
	struct failed *next;
};

/*
 * What one thread finds frames with: where they are stored, a scratch
 * buffer, and where its last searches ended (see upper_bound_near). When
 * both threads find frames of one file at once (of_prefetch_finish), the
 * subroutines' names and call sites, read on first use, are read under mu
 * (libdw and the tool's string table are not thread-safe) and published
 * with release stores that the unlocked fast path reads with acquire loads.
 */
struct fctx {
	struct cprof_arena *arena;
	struct cprof_frame *scratch;
	size_t ascratch;
	size_t lsym_hint, seg_hint, line_hint;
	pthread_mutex_t *mu; /* NULL: one thread only */
};

#define PRE_NONE UINT32_MAX

enum { PF_LOADING, PF_FRAMES, PF_DONE };

/* A file being read on a second thread (cprof_objtool_prefetch). */
struct prefetch {
	pthread_t th;
	struct cprof_objtool *t;
	char *path;
	struct elfobj *o; /* NULL: of_elfobj_open failed with err */
	struct cprof_error err;
	atomic_bool stop;
	/* the main mapping's addresses, to find frames for once the DWARF is read */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	atomic_bool have_addrs; /* set (under mu) once, with addrs and the mapping */
	uint64_t start, limit, offset;
	uint64_t *addrs;
	size_t naddrs;
	/*
	 * PF_FRAMES (set under mu): the unit indexes, line tables and o->pre_*
	 * arrays are made, and frames are found a chunk of o->pre_addr at a
	 * time, taken through next, by the thread and by of_prefetch_finish.
	 */
	atomic_int phase;
	bool all_lines; /* every unit was indexed with its lines (before PF_FRAMES) */
	atomic_size_t next;
	struct fctx fc;             /* the thread's */
	struct cprof_arena farena;  /* the thread's frames */
	pthread_mutex_t names;
};

struct cprof_objtool {
	char *debug_dirs;
	struct prefetch *pf; /* while the second thread may run: it alone uses strs and arena */
	struct elfobj *objs;
	struct cprof_objfile *files;
	struct failed *failed;
	struct cprof_arena arena;
	struct cprof_strtab strs;
	struct fctx fc; /* the calling thread's */
};

/* ---- cursor ------------------------------------------------------------------- */

/*
 * A bounds-checked cursor over section bytes: a read past end sets bad,
 * leaves p at end and yields 0 (or "").
 */
struct cur {
	const unsigned char *p, *end;
	bool bad;
};

static inline uint64_t rd_n(struct cur *c, size_t n)
{
	uint64_t v = 0;
	if ((size_t)(c->end - c->p) < n) {
		c->bad = true;
		c->p = c->end;
		return 0;
	}
	for (size_t i = 0; i < n; i++) /* little-endian only: x86-64, aarch64 */
		v |= (uint64_t)c->p[i] << (8 * i);
	c->p += n;
	return v;
}

static inline uint64_t rd_uleb(struct cur *c)
{
	uint64_t v = 0;
	int shift = 0;
	while (c->p < c->end) {
		unsigned char b = *c->p++;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			return v;
	}
	c->bad = true;
	return 0;
}

static inline const char *rd_str(struct cur *c)
{
	const unsigned char *z = memchr(c->p, 0, (size_t)(c->end - c->p));
	if (!z) {
		c->bad = true;
		c->p = c->end;
		return "";
	}
	const char *s = (const char *)c->p;
	c->p = z + 1;
	return s;
}

/* ---- searching and sorting ----------------------------------------------------- */

/*
 * The index of the first of n sorted keys greater than addr, where key i
 * is the uint64_t at key0 + i * stride bytes. Profiles are symbolized in
 * address order, so the search starts from where the previous one ended
 * (*hint) and gallops from there, falling back to a plain binary search.
 */
static inline size_t upper_bound_near(const uint64_t *key0, size_t stride, size_t n, uint64_t addr, size_t *hint)
{
#define KEY(i) (*(const uint64_t *)(const void *)((const char *)key0 + (i) * stride))
	size_t lo = 0, hi = n, h = *hint;
	if (h <= n && (h == 0 || KEY(h - 1) <= addr)) {
		/* answer >= h: gallop up */
		size_t step = 1;
		lo = h;
		while (lo < n && KEY(lo) <= addr) {
			size_t next = lo + step;
			if (next >= n || KEY(next) > addr) {
				hi = next < n ? next : n;
				lo++;
				break;
			}
			lo = next + 1;
			step *= 2;
		}
		if (lo >= n || KEY(lo) > addr)
			hi = lo; /* found: lo */
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (KEY(mid) <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
#undef KEY
	*hint = lo;
	return lo;
}

/*
 * DEFINE_MERGE_SORT(name, type, before): a stable merge sort of n values
 * of type with scratch room for n / 2, before(a, b) (pointers) saying a
 * sorts strictly before b. The comparison inlines, where qsort calls a
 * function for each; runs already in order cost one comparison.
 */
#define DEFINE_MERGE_SORT(name, type, before)                                   \
	static void name(type *v, type *tmp, size_t n)                          \
	{                                                                       \
		if (n <= 16) {                                                  \
			for (size_t i = 1; i < n; i++) {                        \
				type x = v[i];                                  \
				size_t j = i;                                   \
				for (; j > 0 && before(&x, &v[j - 1]); j--)     \
					v[j] = v[j - 1];                        \
				v[j] = x;                                       \
			}                                                       \
			return;                                                 \
		}                                                               \
		size_t h = n / 2;                                               \
		name(v, tmp, h);                                                \
		name(v + h, tmp, n - h);                                        \
		if (!before(&v[h], &v[h - 1]))                                  \
			return;                                                 \
		memcpy(tmp, v, h * sizeof(*v));                                 \
		size_t i = 0, j = h, k = 0;                                     \
		while (i < h && j < n)                                          \
			v[k++] = before(&v[j], &tmp[i]) ? v[j++] : tmp[i++];    \
		while (i < h)                                                   \
			v[k++] = tmp[i++];                                      \
	}

/* ---- objfile.c ------------------------------------------------------------------ */

/* s interned in the tool's string table ("" for NULL). */
const char *of_intern(struct cprof_objtool *t, const char *s);
/* A Go symbol name as the Go runtime prints it, interned. */
const char *of_go_name(struct cprof_objtool *t, const char *name);
/* Open path as an ELF file; NULL (and err) if it is not one. */
struct elfobj *of_elfobj_open(const char *path, struct cprof_error *err);

/* ---- objfile_debugfile.c ---------------------------------------------------------- */

/* Whether elf has a .debug_info (or .zdebug_info) with contents. */
bool of_has_debug_info(Elf *elf);
/* Unname the compressed debug sections symbolization never reads, so libdw does not inflate them. */
void of_hide_unread_sections(Elf *elf);
/* With libdeflate, inflate the compressed debug sections libdw would inflate. */
void of_inflate_sections(struct elfobj *o, Elf *elf);
/* Find and open o's separate debug file (build id, then .gnu_debuglink) into o->dw. */
bool of_find_debug_file(struct cprof_objtool *t, struct elfobj *o);

/* ---- objfile_dwarf.c --------------------------------------------------------------- */

/* Open o's DWARF (once) and list its units and their address ranges. */
void of_load_dwarf(struct cprof_objtool *t, struct elfobj *o);
/* Look up the sections read without libdw (once). */
void of_read_sections(struct elfobj *o);
/* Index unit c: its subroutines and the address segments naming the deepest. */
void of_index_cu(struct elfobj *o, struct cu *c);
/* The unit whose ranges hold addr, or NULL. */
struct cu *of_cu_for_addr(struct elfobj *o, uint64_t addr);
/* The segment of indexed unit c that holds addr, or NULL. */
const struct seg *of_seg_for_addr(const struct cu *c, uint64_t addr, size_t *hint);

/* ---- objfile_lines.c ---------------------------------------------------------------- */

/* Read unit c's line table and file names (once). */
void of_read_lines(struct cprof_objtool *t, struct elfobj *o, struct cu *c);
/* The line-table row of c for addr, or NULL. */
const struct lrow *of_line_for_addr(const struct cu *c, uint64_t addr, size_t *hint);
/* File name idx of c's line table, or NULL. */
const char *of_cu_file(const struct cu *c, size_t idx);

/* ---- objfile_symtab.c ---------------------------------------------------------------- */

/* Read o's symbol table (once). */
void of_load_symbols(struct cprof_objtool *t, struct elfobj *o);
/* llvm-symbolizer's symbol for addr, or NULL. */
const struct esym *of_symtab_lookup(const struct elfobj *o, uint64_t addr, size_t *hint);
/* The STT_FILE name of a local symbol, or NULL. */
const char *of_symtab_file(const struct elfobj *o, const struct esym *s);
/* pprof's nm-based lookup: the nearest symbol at or below addr, or NULL. */
const struct esym *of_nm_lookup(const struct elfobj *o, uint64_t addr);

/* ---- objfile_frames.c ---------------------------------------------------------------- */

/* A subroutine's name (read once; under mu when two threads share o). */
const char *of_die_name(struct cprof_objtool *t, struct elfobj *o, const struct cu *c, struct sub *s,
			pthread_mutex_t *mu);
/* An inlined subroutine's call site (read once; under mu when two threads share o). */
void of_sub_call_site(struct elfobj *o, struct sub *s, pthread_mutex_t *mu);
/* The frames at objaddr, computed into x's arena (no cache). */
void of_compute_frames(struct cprof_objfile *f, uint64_t objaddr, bool fast, struct cprof_frame **frames,
		       size_t *n, struct fctx *x);

/* ---- objfile_prefetch.c --------------------------------------------------------------- */

/* Wait for the prefetch thread, if any, and take over what it read. */
void of_prefetch_finish(struct cprof_objtool *t);

#endif
