/*
 * objfile.c - ELF object files for symbolization: load bias, frames at an
 * address (DWARF with inline frames, symbol tables), symbols, code bytes.
 *
 * The recipe, for a runtime address A of a mapping [start, limit) at file
 * offset `offset`:
 *
 *   1. object address  O = A - base, where base is pprof's GetBase for the
 *      PT_LOAD header holding A's file offset (A - start + offset):
 *      ET_EXEC and ET_DYN: base = start - offset + p_offset - p_vaddr.
 *   2. compile unit    the CU whose DW_AT_ranges (or low/high pc) hold O.
 *   3. inline chain    the deepest DW_TAG_subprogram or
 *                      DW_TAG_inlined_subroutine holding O, then its
 *                      enclosing inlined subroutines up to the subprogram.
 *                      Each CU is indexed once, on first use, into disjoint
 *                      address segments that name their deepest DIE (one
 *                      pass over its DIEs, walk_raw; libdw for the ranges).
 *   4. frames          innermost: the line-table row for O (the CU's line
 *                      program decoded once into a sorted array, in
 *                      libdw's row order, decode_lines); each caller: the
 *                      DW_AT_call_file/call_line of the frame below (read
 *                      once per DIE). Names: linkage name, else DW_AT_name,
 *                      through abstract_origin/specification.
 *   5. symbol table    the outermost frame takes the name of the ELF
 *                      symbol holding O (of the largest size among those at
 *                      one address); a symbol with size 0 reaches to the
 *                      next symbol. Without DWARF that is the only frame,
 *                      and a local symbol gets its STT_FILE's name as file.
 *
 * That is what llvm-symbolizer answers (and so upstream pprof), so that
 * profiles symbolized by cprof and by pprof agree.
 *
 * The DWARF may live in a separate file: <debug dir>/.build-id/xx/yyy.debug
 * first, then the .gnu_debuglink name (CRC checked) beside the binary, in
 * its .debug/ directory and under <debug dir>/<binary's directory>/.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#ifdef CPROF_HAVE_LIBDEFLATE
#include <libdeflate.h>
#endif

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>

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
	 * raw: walk_raw read the attributes die_name and sub_call_site look
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
	void **zbufs; /* debug sections inflated by cprof, for libdw (see inflate_sections) */
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
 * both threads find frames of one file at once (prefetch_finish), the
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
	struct elfobj *o; /* NULL: elfobj_open failed with err */
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
	 * time, taken through next, by the thread and by prefetch_finish.
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

static void prefetch_finish(struct cprof_objtool *t);

static const char *intern(struct cprof_objtool *t, const char *s)
{
	return s ? cprof_strtab_intern(&t->strs, s, strlen(s)) : "";
}

/*
 * A Go function name as the Go runtime prints it: the linker writes the
 * runtime's names with the type arguments of a generic instantiation
 * shortened to "[...]" ("main.sum[go.shape.float64_0]" is "main.sum[...]"),
 * and ABI0 assembly functions without their ".abi0" symbol suffix.
 */
static const char *go_name(struct cprof_objtool *t, const char *name)
{
	size_t n = strlen(name);
	if (n > 5 && !strcmp(name + n - 5, ".abi0"))
		n -= 5;
	const char *open = memchr(name, '[', n);
	const char *close = NULL;
	for (size_t i = n; i > 0 && open; i--)
		if (name[i - 1] == ']') {
			close = name + i - 1;
			break;
		}
	if (open && close && close > open && !(close - open == 4 && !strncmp(open, "[...]", 5))) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_add(&sb, name, (size_t)(open - name) + 1);
		strbuf_addstr(&sb, "...");
		strbuf_add(&sb, close, n - (size_t)(close - name));
		const char *r = cprof_strtab_intern(&t->strs, sb.buf, sb.len);
		strbuf_release(&sb);
		return r;
	}
	return cprof_strtab_intern(&t->strs, name, n);
}

/* ---- tool ------------------------------------------------------------------------ */

struct cprof_objtool *cprof_objtool_new(const struct cprof_objtool_opts *o)
{
	struct cprof_objtool *t = cprof_xcalloc(1, sizeof(*t));
	t->debug_dirs = cprof_xstrdup(o && o->debug_dirs ? o->debug_dirs : "/usr/lib/debug");
	cprof_arena_init(&t->arena);
	cprof_strtab_init(&t->strs, &t->arena);
	t->fc.arena = &t->arena;
	elf_version(EV_CURRENT);
	return t;
}

static void elfobj_free(struct elfobj *o)
{
	if (o->dw)
		dwarf_end(o->dw);
	if (o->delf)
		elf_end(o->delf);
	if (o->dfd >= 0)
		close(o->dfd);
	if (o->elf)
		elf_end(o->elf);
	if (o->fd >= 0)
		close(o->fd);
	for (size_t i = 0; i < o->nzbufs; i++)
		free(o->zbufs[i]);
	free(o->zbufs);
	for (size_t i = 0; i < o->ncus; i++) {
		free(o->cus[i].subs);
		free(o->cus[i].segs);
		free(o->cus[i].fnames);
		free(o->cus[i].laddr);
		free(o->cus[i].rows);
	}
	free(o->cus);
	free(o->cur);
	free(o->ph);
	free(o->syms);
	free(o->lsyms);
	free(o->fsyms);
	free(o->cache);
	free(o->pre_addr);
	free(o->pre_fr);
	free(o->pre_n);
	free(o->dpath);
	free(o->path);
	free(o);
}

void cprof_objtool_free(struct cprof_objtool *t)
{
	if (!t)
		return;
	prefetch_finish(t);
	for (struct elfobj *o = t->objs, *n; o; o = n) {
		n = o->next;
		elfobj_free(o);
	}
	for (struct cprof_objfile *f = t->files, *n; f; f = n) {
		n = f->next;
		free(f);
	}
	for (struct failed *f = t->failed, *n; f; f = n) {
		n = f->next;
		free(f->path);
		free(f);
	}
	cprof_strtab_release(&t->strs);
	cprof_arena_release(&t->arena);
	free(t->fc.scratch);
	free(t->debug_dirs);
	free(t);
}

/* ---- opening ---------------------------------------------------------------------- */

static void hex_build_id(Elf *elf, char *out, size_t outsz)
{
	const void *p;
	ssize_t n = dwelf_elf_gnu_build_id(elf, &p);
	out[0] = '\0';
	if (n <= 0)
		return;
	static const char hex[] = "0123456789abcdef";
	size_t k = 0;
	for (ssize_t i = 0; i < n && k + 2 < outsz; i++) {
		unsigned char c = ((const unsigned char *)p)[i];
		out[k++] = hex[c >> 4];
		out[k++] = hex[c & 15];
	}
	out[k] = '\0';
}

static struct elfobj *elfobj_open(const char *path, struct cprof_error *err)
{
	struct stat st;
	if (stat(path, &st)) {
		char msg[128];
		snprintf(msg, sizeof(msg), "%s", strerror(errno));
		msg[0] = (char)tolower((unsigned char)msg[0]); /* Go's error text */
		cprof_error_set(err, CPROF_E_IO, "stat %s: %s", path, msg);
		return NULL;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		cprof_error_set(err, CPROF_E_IO, "error opening %s: %s", path, strerror(errno));
		return NULL;
	}
	unsigned char magic[4];
	if (pread(fd, magic, 4, 0) != 4) {
		close(fd);
		cprof_error_set(err, CPROF_E_IO, "error reading magic number from %s: unexpected EOF", path);
		return NULL;
	}
	if (memcmp(magic, ELFMAG, 4)) {
		close(fd);
		cprof_error_set(err, CPROF_E_FORMAT, "unrecognized binary format: %s", path);
		return NULL;
	}
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP_PRIVATE, NULL); /* writable: hide_unread_sections */
	GElf_Ehdr eh;
	size_t nph = 0;
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh) || elf_getphdrnum(elf, &nph)) {
		cprof_error_set(err, CPROF_E_FORMAT, "error reading ELF file %s: %s", path,
				elf_errmsg(-1) ? elf_errmsg(-1) : "bad ELF header");
		if (elf)
			elf_end(elf);
		close(fd);
		return NULL;
	}
	struct elfobj *o = cprof_xcalloc(1, sizeof(*o));
	o->path = cprof_xstrdup(path);
	o->fd = fd;
	o->dfd = -1;
	o->elf = elf;
	o->eh = eh;
	o->ph = cprof_xcalloc(nph ? nph : 1, sizeof(*o->ph));
	for (size_t i = 0; i < nph; i++)
		if (gelf_getphdr(elf, (int)i, &o->ph[o->nph]))
			o->nph++;
	hex_build_id(elf, o->build_id, sizeof(o->build_id));
	size_t shstrndx;
	if (!elf_getshdrstrndx(elf, &shstrndx)) {
		for (Elf_Scn *s = elf_nextscn(elf, NULL); s; s = elf_nextscn(elf, s)) {
			GElf_Shdr sh;
			if (!gelf_getshdr(s, &sh))
				continue;
			const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
			if (name && !strcmp(name, ".text")) {
				o->have_text = true;
				o->text_addr = sh.sh_addr;
			}
			if (name && (!strcmp(name, ".gopclntab") || !strcmp(name, ".data.rel.ro.gopclntab") ||
				     !strcmp(name, ".note.go.buildid")))
				o->is_go = true;
		}
	}
	return o;
}

/* pprof's FindTextProgHeader: the executable PT_LOAD holding .text. */
static const GElf_Phdr *text_prog_header(const struct elfobj *o)
{
	if (!o->have_text)
		return NULL;
	for (size_t i = 0; i < o->nph; i++) {
		const GElf_Phdr *p = &o->ph[i];
		if (p->p_type == PT_LOAD && (p->p_flags & PF_X) && o->text_addr >= p->p_vaddr &&
		    o->text_addr < p->p_vaddr + p->p_memsz)
			return p;
	}
	return NULL;
}

/*
 * pprof's GetBase (HEAD): the bias to subtract from runtime addresses.
 * Kernel images (ET_EXEC in the upper half, or mapped at 0) get the
 * simple kernel rules; the _stext symbol refinements are not needed for
 * user-space profiles.
 */
static int get_base(const struct elfobj *o, const GElf_Phdr *seg, uint64_t start, uint64_t limit,
		    uint64_t offset, uint64_t *base, struct cprof_error *err)
{
	if (start == 0 && offset == 0 && (limit == UINT64_MAX || limit == 0)) {
		*base = 0; /* a fake mapping over the whole address space */
		return 0;
	}
	switch (o->eh.e_type) {
	case ET_EXEC:
		if (!seg) {
			*base = 0;
			return 0;
		}
		if (start > 0 && start < 0x8000000000000000ULL) {
			*base = start - offset + seg->p_offset - seg->p_vaddr;
			return 0;
		}
		if (seg->p_vaddr == start - offset) {
			*base = offset;
			return 0;
		}
		if (start >= seg->p_vaddr && limit > start &&
		    (offset == 0 || offset == 0xc000000000000000ULL || offset == start)) {
			*base = start - seg->p_vaddr;
			return 0;
		}
		if (start == 0 && limit != 0) {
			*base = start - seg->p_vaddr;
			return 0;
		}
		return cprof_error_set(err, CPROF_E_UNSUPPORTED,
				       "don't know how to handle EXEC segment: start=0x%llx limit=0x%llx offset=0x%llx",
				       (unsigned long long)start, (unsigned long long)limit,
				       (unsigned long long)offset);
	case ET_REL:
		if (offset != 0)
			return cprof_error_set(err, CPROF_E_UNSUPPORTED, "don't know how to handle mapping.Offset");
		*base = start;
		return 0;
	case ET_DYN:
		if (!seg)
			*base = start - offset;
		else
			*base = start - offset + seg->p_offset - seg->p_vaddr;
		return 0;
	}
	return cprof_error_set(err, CPROF_E_UNSUPPORTED, "don't know how to handle FileHeader.Type %u",
			       (unsigned)o->eh.e_type);
}

/*
 * pprof's findProgramHeader: the PT_LOAD segment of the mapping that
 * holds addr (ProgramHeadersForMapping + HeaderForFileOffset).
 */
static int find_header(const struct cprof_objfile *f, uint64_t addr, const GElf_Phdr **out,
		       struct cprof_error *err)
{
	const struct elfobj *o = f->o;
	*out = NULL;
	if (f->start >= f->limit || f->limit >= (1ULL << 63)) {
		*out = text_prog_header(o);
		return 0;
	}
	const uint64_t page = 4096;
	uint64_t map_off = f->offset, map_lim = f->offset + (f->limit - f->start);
	const GElf_Phdr *cand[64];
	size_t ncand = 0, nload = 0;
	for (size_t i = 0; i < o->nph; i++) {
		const GElf_Phdr *p = &o->ph[i];
		if (p->p_type != PT_LOAD)
			continue;
		nload++;
		if (p->p_filesz == 0)
			continue;
		uint64_t seg_lim = p->p_offset + p->p_memsz;
		if (!(map_off < seg_lim && p->p_offset < map_lim))
			continue;
		uint64_t aligned = p->p_offset > (p->p_vaddr & (page - 1)) ? p->p_offset - (p->p_vaddr & (page - 1)) : 0;
		if (map_off < aligned)
			continue;
		if (map_off > p->p_offset && seg_lim < map_off + page && map_lim >= seg_lim + page)
			continue;
		if (ncand < CPROF_ARRAY_SIZE(cand))
			cand[ncand++] = p;
	}
	if (nload == 0)
		return 0;
	if (ncand == 0)
		return cprof_error_set(err, CPROF_E_UNSUPPORTED, "no program header matches mapping info");
	if (ncand == 1) {
		*out = cand[0];
		return 0;
	}
	uint64_t foff = addr - f->start + f->offset;
	for (size_t i = 0; i < ncand; i++) {
		if (foff >= cand[i]->p_offset && foff < cand[i]->p_offset + cand[i]->p_memsz) {
			if (*out)
				return cprof_error_set(err, CPROF_E_UNSUPPORTED,
						       "found second program header that matches file offset %llx",
						       (unsigned long long)foff);
			*out = cand[i];
		}
	}
	if (!*out)
		return cprof_error_set(err, CPROF_E_UNSUPPORTED, "no program header matches file offset %llx",
				       (unsigned long long)foff);
	return 0;
}

struct cprof_objfile *cprof_objtool_open(struct cprof_objtool *t, const char *path, uint64_t start,
					 uint64_t limit, uint64_t offset, struct cprof_error *err)
{
	/* other paths (PPROF_BINARY_PATH candidates) need nothing the second thread uses */
	if (t->pf && !strcmp(t->pf->path, path))
		prefetch_finish(t);
	for (struct cprof_objfile *f = t->files; f; f = f->next)
		if (!strcmp(f->o->path, path) && f->start == start && f->limit == limit && f->offset == offset)
			return f;
	for (struct failed *x = t->failed; x; x = x->next)
		if (!strcmp(x->path, path)) {
			*err = x->err;
			return NULL;
		}
	struct elfobj *o = NULL;
	for (o = t->objs; o; o = o->next)
		if (!strcmp(o->path, path))
			break;
	if (!o) {
		o = elfobj_open(path, err);
		if (!o) {
			struct failed *x = cprof_xcalloc(1, sizeof(*x));
			x->path = cprof_xstrdup(path);
			x->err = *err;
			x->next = t->failed;
			t->failed = x;
			return NULL;
		}
		o->next = t->objs;
		t->objs = o;
	}
	/* as pprof's openELF: check that some base can be computed */
	uint64_t b;
	if (get_base(o, text_prog_header(o), start, limit, offset, &b, err)) {
		cprof_error_prefix(err, "could not identify base for %s", path);
		return NULL;
	}
	struct cprof_objfile *f = cprof_xcalloc(1, sizeof(*f));
	f->t = t;
	f->o = o;
	f->start = start;
	f->limit = limit;
	f->offset = offset;
	f->next = t->files;
	t->files = f;
	return f;
}

const char *cprof_objfile_path(const struct cprof_objfile *f)
{
	return f->o->path;
}

const char *cprof_objfile_build_id(const struct cprof_objfile *f)
{
	return f->o->build_id;
}

int cprof_objfile_machine(const struct cprof_objfile *f, int *elf_class)
{
	if (elf_class)
		*elf_class = f->o->eh.e_ident[EI_CLASS] == ELFCLASS32 ? 32 : 64;
	return f->o->eh.e_machine;
}

int cprof_objfile_obj_addr(struct cprof_objfile *f, uint64_t addr, uint64_t *objaddr,
			   struct cprof_error *err)
{
	bool fake = f->start == 0 && f->offset == 0 && (f->limit == 0 || f->limit == UINT64_MAX);
	if (!f->base_done && !fake && (addr < f->start || addr >= f->limit)) {
		/* pprof would fix the bias (as an error) with this address; it belongs to another mapping */
		return cprof_error_set(err, CPROF_E_UNSUPPORTED,
				       "specified address %llx is outside the mapping range [%llx, %llx] for file \"%s\"",
				       (unsigned long long)addr, (unsigned long long)f->start,
				       (unsigned long long)f->limit, f->o->path);
	}
	if (!f->base_done) {
		struct cprof_error e = {0};
		const GElf_Phdr *ph = NULL;
		f->base_done = true;
		if (!fake)
			f->base_rc = find_header(f, addr, &ph, &e);
		if (!f->base_rc)
			f->base_rc = get_base(f->o, ph, f->start, f->limit, f->offset, &f->base, &e);
		if (f->base_rc)
			snprintf(f->base_err, sizeof(f->base_err), "%s", cprof_error_msg(&e));
	}
	if (f->base_rc)
		return cprof_error_set(err, CPROF_E_UNSUPPORTED, "%s", f->base_err);
	*objaddr = addr - f->base;
	return 0;
}

/* ---- symbol tables ---------------------------------------------------------------- */

static int cmp_esym(const void *a, const void *b)
{
	const struct esym *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	/* stable: symbol table order (idx holds the global position) */
	return 0;
}

struct esym_ord {
	struct esym s;
	size_t pos;
};

static int cmp_esym_ord(const void *a, const void *b)
{
	const struct esym_ord *x = a, *y = b;
	int c = cmp_esym(&x->s, &y->s);
	if (c)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static size_t read_symtab(struct cprof_objtool *t, struct elfobj *o, Elf *elf, Elf_Scn *scn,
			  struct esym_ord **v, size_t *n, size_t *alloc)
{
	GElf_Shdr sh;
	Elf_Data *data = elf_getdata(scn, NULL);
	if (!gelf_getshdr(scn, &sh) || !data || sh.sh_entsize == 0)
		return 0;
	size_t count = sh.sh_size / sh.sh_entsize, added = 0;
	Elf_Data *xdata = NULL;
	for (Elf_Scn *s = elf_nextscn(elf, NULL); s; s = elf_nextscn(elf, s)) {
		GElf_Shdr xs;
		if (gelf_getshdr(s, &xs) && xs.sh_type == SHT_SYMTAB_SHNDX && xs.sh_link == elf_ndxscn(scn))
			xdata = elf_getdata(s, NULL);
	}
	for (size_t i = 1; i < count; i++) {
		GElf_Sym sym;
		Elf32_Word xndx = 0;
		if (!gelf_getsymshndx(data, xdata, (int)i, &sym, &xndx))
			continue;
		const char *name = elf_strptr(elf, sh.sh_link, sym.st_name);
		if (!name)
			continue;
		int type = GELF_ST_TYPE(sym.st_info);
		size_t shndx = sym.st_shndx == SHN_XINDEX ? xndx : sym.st_shndx;
		if (sym.st_shndx == SHN_UNDEF || (sym.st_shndx >= SHN_LORESERVE && sym.st_shndx != SHN_XINDEX)) {
			if (type == STT_FILE) {
				ALLOC_GROW(o->fsyms, o->nfsyms + 1, o->afsyms);
				o->fsyms[o->nfsyms].idx = (uint32_t)i;
				o->fsyms[o->nfsyms].name = intern(t, name);
				o->nfsyms++;
			}
			continue;
		}
		(void)shndx;
		if (type != STT_NOTYPE && type != STT_FUNC && type != STT_OBJECT && type != STT_GNU_IFUNC)
			continue;
		ALLOC_GROW(*v, *n + 1, *alloc);
		struct esym_ord *e = &(*v)[*n];
		e->s.addr = sym.st_value;
		e->s.size = sym.st_size;
		e->s.name = o->is_go ? go_name(t, name) : intern(t, name);
		e->s.idx = GELF_ST_BIND(sym.st_info) == STB_LOCAL ? (uint32_t)i : 0;
		e->s.is_func = type == STT_FUNC || type == STT_GNU_IFUNC;
		e->s.is_data = type == STT_OBJECT;
		e->pos = *n;
		(*n)++;
		added++;
	}
	return added;
}

static void load_symbols(struct cprof_objtool *t, struct elfobj *o)
{
	if (o->syms_loaded)
		return;
	o->syms_loaded = true;
	struct esym_ord *v = NULL;
	size_t n = 0, alloc = 0;
	Elf_Scn *symtab = NULL, *dynsym = NULL;
	for (Elf_Scn *s = elf_nextscn(o->elf, NULL); s; s = elf_nextscn(o->elf, s)) {
		GElf_Shdr sh;
		if (!gelf_getshdr(s, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB && !symtab)
			symtab = s;
		else if (sh.sh_type == SHT_DYNSYM && !dynsym)
			dynsym = s;
	}
	/* .dynsym only when there is no .symtab (llvm-symbolizer's rule) */
	Elf *symelf = o->elf;
	if (symtab)
		read_symtab(t, o, symelf, symtab, &v, &n, &alloc);
	if (!symtab && dynsym) {
		o->dynsym_only = true;
		read_symtab(t, o, o->elf, dynsym, &v, &n, &alloc);
		for (size_t i = 0; i < n; i++)
			v[i].s.idx = 0;
		o->nfsyms = 0;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_esym_ord);
	o->syms = cprof_xcalloc(n ? n : 1, sizeof(*o->syms));
	o->lsyms = cprof_xcalloc(n ? n : 1, sizeof(*o->lsyms));
	for (size_t i = 0; i < n; i++)
		o->syms[i] = v[i].s;
	o->nsyms = n;
	/* one per address: the largest size, the last in table order among equals */
	for (size_t i = 0; i < n; i++) {
		if (i + 1 < n && v[i + 1].s.addr == v[i].s.addr)
			continue;
		o->lsyms[o->nlsyms++] = v[i].s;
	}
	free(v);
}

/* llvm-symbolizer's getNameFromSymbolTable. */
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

static const struct esym *symtab_lookup(const struct elfobj *o, uint64_t addr, size_t *hint)
{
	/* the first symbol with address > addr */
	size_t lo = o->nlsyms ? upper_bound_near(&o->lsyms[0].addr, sizeof(*o->lsyms), o->nlsyms, addr, hint) : 0;
	if (lo == 0)
		return NULL;
	const struct esym *s = &o->lsyms[lo - 1];
	if (s->size != 0 && s->addr + s->size <= addr)
		return NULL;
	return s;
}

static const char *symtab_file(const struct elfobj *o, const struct esym *s)
{
	if (!s->idx)
		return NULL;
	const char *name = NULL;
	for (size_t i = 0; i < o->nfsyms && o->fsyms[i].idx < s->idx; i++)
		name = o->fsyms[i].name;
	return name;
}

/* pprof's addr2LinerNM lookup (fastlocal): nearest symbol at or below addr. */
static const struct esym *nm_lookup(const struct elfobj *o, uint64_t addr)
{
	if (o->nsyms == 0 || addr < o->syms[0].addr ||
	    addr >= o->syms[o->nsyms - 1].addr + o->syms[o->nsyms - 1].size)
		return NULL;
	size_t lo = 0, hi = o->nsyms;
	while (lo + 1 < hi) {
		size_t mid = (lo + hi) / 2;
		uint64_t v = o->syms[mid].addr;
		if (addr == v) {
			lo = mid;
			break;
		} else if (addr > v) {
			lo = mid;
		} else {
			hi = mid;
		}
	}
	const struct esym *s = &o->syms[lo];
	/* nm's view bounds data symbols only; with .dynsym alone the local
	 * functions are missing, so every symbol keeps to its size */
	if ((s->is_data || o->dynsym_only) && addr >= s->addr + s->size)
		return NULL;
	return s;
}

/* ---- separate debug files ----------------------------------------------------------- */

static bool file_crc_matches(int fd, GElf_Word want)
{
	unsigned char buf[65536];
	uLong crc = crc32(0L, Z_NULL, 0);
	off_t off = 0;
	for (;;) {
		ssize_t r = pread(fd, buf, sizeof(buf), off);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		if (r == 0)
			break;
		crc = crc32(crc, buf, (uInt)r);
		off += r;
	}
	return (GElf_Word)crc == want;
}

static bool has_debug_info(Elf *elf)
{
	size_t shstrndx;
	if (elf_getshdrstrndx(elf, &shstrndx))
		return false;
	for (Elf_Scn *s = elf_nextscn(elf, NULL); s; s = elf_nextscn(elf, s)) {
		GElf_Shdr sh;
		if (!gelf_getshdr(s, &sh) || sh.sh_type == SHT_NOBITS)
			continue;
		const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (name && (!strcmp(name, ".debug_info") || !strcmp(name, ".zdebug_info")))
			return true;
	}
	return false;
}

/*
 * libdw inflates every compressed debug section when it opens a file,
 * including the location lists and call-frame tables that symbolization
 * never reads: in a Go binary .debug_loc alone is about half of the
 * inflated DWARF. Those sections lose their names (sh_name 0, the empty
 * string), in cprof's private copy-on-write mapping only, so libdw passes
 * them by. The file must be open with ELF_C_READ_MMAP_PRIVATE.
 */
static void hide_unread_sections(Elf *elf)
{
	static const char *const unread[] = {"debug_loc", "debug_loclists", "debug_frame", "debug_macinfo",
					     "debug_macro", "debug_pubnames", "debug_pubtypes", "debug_aranges"};
	size_t shstrndx;
	if (elf_getshdrstrndx(elf, &shstrndx))
		return;
	for (Elf_Scn *s = elf_nextscn(elf, NULL); s; s = elf_nextscn(elf, s)) {
		GElf_Shdr sh;
		if (!gelf_getshdr(s, &sh) || sh.sh_type == SHT_NOBITS || sh.sh_name == 0)
			continue;
		const char *n = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!n || n[0] != '.')
			continue;
		bool gnu = n[1] == 'z';
		if (!(sh.sh_flags & SHF_COMPRESSED) && !gnu)
			continue; /* nothing to inflate */
		for (size_t i = 0; i < CPROF_ARRAY_SIZE(unread); i++)
			if (!strcmp(n + 1 + gnu, unread[i])) {
				sh.sh_name = 0;
				gelf_update_shdr(s, &sh);
				break;
			}
	}
}

/*
 * libdw inflates SHF_COMPRESSED sections with zlib (elf_compress) when it
 * opens a file; libdeflate does the same in half the instructions. With
 * libdeflate, cprof inflates the debug sections that are left (after
 * hide_unread_sections) itself, hands the result to libelf as the section's
 * data and clears SHF_COMPRESSED in its private copy of the header, so that
 * libdw reads the data as it is. The buffers live in o->zbufs until the Elf
 * is closed. A section that fails here stays compressed, for libdw to try.
 */
static void inflate_sections(struct elfobj *o, Elf *elf)
{
#ifdef CPROF_HAVE_LIBDEFLATE
	size_t shstrndx;
	if (elf_getshdrstrndx(elf, &shstrndx))
		return;
	struct libdeflate_decompressor *d = NULL;
	for (Elf_Scn *s = elf_nextscn(elf, NULL); s; s = elf_nextscn(elf, s)) {
		GElf_Shdr sh;
		if (!gelf_getshdr(s, &sh) || sh.sh_type == SHT_NOBITS || sh.sh_name == 0 ||
		    !(sh.sh_flags & SHF_COMPRESSED))
			continue;
		const char *n = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!n || strncmp(n, ".debug_", 7))
			continue;
		GElf_Chdr ch;
		Elf_Data *raw = elf_rawdata(s, NULL);
		if (!raw || !raw->d_buf || !gelf_getchdr(s, &ch) || ch.ch_type != ELFCOMPRESS_ZLIB ||
		    ch.ch_size == 0 || ch.ch_size > ((size_t)1 << 34))
			continue;
		size_t hdr = gelf_getclass(elf) == ELFCLASS32 ? sizeof(Elf32_Chdr) : sizeof(Elf64_Chdr);
		if (raw->d_size <= hdr)
			continue;
		if (!d && !(d = libdeflate_alloc_decompressor()))
			return;
		void *buf = malloc(ch.ch_size);
		if (!buf)
			continue;
		size_t got = 0;
		Elf_Data *data;
		if (libdeflate_zlib_decompress(d, (const char *)raw->d_buf + hdr, raw->d_size - hdr, buf, ch.ch_size,
					       &got) != LIBDEFLATE_SUCCESS ||
		    got != ch.ch_size || !(data = elf_getdata(s, NULL))) {
			free(buf);
			continue;
		}
		data->d_buf = buf;
		data->d_size = ch.ch_size;
		data->d_type = ELF_T_BYTE;
		data->d_off = 0;
		data->d_align = ch.ch_addralign ? ch.ch_addralign : 1;
		sh.sh_flags &= ~(GElf_Xword)SHF_COMPRESSED;
		sh.sh_size = ch.ch_size;
		sh.sh_addralign = data->d_align;
		gelf_update_shdr(s, &sh);
		ALLOC_GROW(o->zbufs, o->nzbufs + 1, o->azbufs);
		o->zbufs[o->nzbufs++] = buf;
	}
	if (d)
		libdeflate_free_decompressor(d);
#else
	(void)o;
	(void)elf;
#endif
}

/* Open path as a debug file: an ELF with DWARF (and the CRC, when crc_check). */
static bool try_debug_file(struct elfobj *o, const char *path, bool crc_check, GElf_Word crc)
{
	if (!strcmp(path, o->path))
		return false;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (crc_check && !file_crc_matches(fd, crc)) {
		close(fd);
		return false;
	}
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP_PRIVATE, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !has_debug_info(elf)) {
		if (elf)
			elf_end(elf);
		close(fd);
		return false;
	}
	hide_unread_sections(elf);
	inflate_sections(o, elf);
	Dwarf *dw = dwarf_begin_elf(elf, DWARF_C_READ, NULL);
	if (!dw) {
		elf_end(elf);
		close(fd);
		return false;
	}
	o->dfd = fd;
	o->delf = elf;
	o->dw = dw;
	o->dpath = cprof_xstrdup(path);
	return true;
}

static bool find_debug_file(struct cprof_objtool *t, struct elfobj *o)
{
	struct strbuf p = STRBUF_INIT;
	bool found = false;
	/* by build id, in every debug directory */
	size_t bl = strlen(o->build_id);
	if (bl > 2) {
		for (const char *d = t->debug_dirs; d && *d && !found;) {
			const char *colon = strchr(d, ':');
			size_t len = colon ? (size_t)(colon - d) : strlen(d);
			if (len) {
				strbuf_reset(&p);
				strbuf_addf(&p, "%.*s/.build-id/%.2s/%s.debug", (int)len, d, o->build_id, o->build_id + 2);
				found = try_debug_file(o, p.buf, false, 0);
			}
			d = colon ? colon + 1 : NULL;
		}
	}
	/* by .gnu_debuglink */
	GElf_Word crc = 0;
	const char *link = found ? NULL : dwelf_elf_gnu_debuglink(o->elf, &crc);
	if (link && *link) {
		const char *slash = strrchr(o->path, '/');
		struct strbuf dir = STRBUF_INIT;
		if (slash)
			strbuf_add(&dir, o->path, (size_t)(slash - o->path));
		else
			strbuf_addch(&dir, '.');
		for (size_t i = 0; i < 2 && !found; i++) {
			strbuf_reset(&p);
			strbuf_addf(&p, "%s/%s%s", dir.buf, i ? ".debug/" : "", link);
			found = try_debug_file(o, p.buf, true, crc);
		}
		char *absdir = realpath(dir.buf, NULL);
		for (const char *d = t->debug_dirs; d && *d && !found && absdir;) {
			const char *colon = strchr(d, ':');
			size_t len = colon ? (size_t)(colon - d) : strlen(d);
			if (len) {
				strbuf_reset(&p);
				strbuf_addf(&p, "%.*s%s/%s", (int)len, d, absdir, link);
				found = try_debug_file(o, p.buf, true, crc);
			}
			d = colon ? colon + 1 : NULL;
		}
		free(absdir);
		strbuf_release(&dir);
	}
	strbuf_release(&p);
	return found;
}


/* ---- line table file names ------------------------------------------------------------ */

/*
 * The file table of a line program header (.debug_line, DWARF 2 to 5),
 * read here because the path llvm-symbolizer prints is built from the raw
 * parts (compilation directory, include directory, file name) by its own
 * rule, which is not libdw's:
 *
 *   name absolute                      -> name
 *   otherwise                          -> [comp_dir/][include_dir/]name
 *   where include_dir = dirs[idx] (v5) or dirs[idx-1] (v2-4, idx > 0),
 *   and comp_dir is prepended unless include_dir is absolute (even for
 *   DWARF 5's directory 0, which usually repeats comp_dir: LLVM 14 does so).
 *
 * Header layout (DWARF 5, 32-bit):
 *   unit_length u32 | version u16 | address_size u8 | seg_sel_size u8 |
 *   header_length u32 | min_inst_len u8 | max_ops u8 | default_is_stmt u8 |
 *   line_base s8 | line_range u8 | opcode_base u8 | std_opcode_lengths[opcode_base-1] |
 *   dir_format_count u8 | (content uleb, form uleb)* | dir_count uleb | dirs |
 *   file_format_count u8 | (content uleb, form uleb)* | file_count uleb | files
 * DWARF 2-4: ... opcode lengths | include dirs (strings, "" ends) |
 *   files (name string, dir uleb, mtime uleb, length uleb; "" ends).
 */
struct cur {
	const unsigned char *p, *end;
	bool bad;
};

static uint64_t rd_n(struct cur *c, size_t n)
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

static uint64_t rd_uleb(struct cur *c)
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

static const char *rd_str(struct cur *c)
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

static Elf_Data *debug_section(Elf *elf, const char *name)
{
	size_t shstrndx;
	if (elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	for (Elf_Scn *s = elf_nextscn(elf, NULL); s; s = elf_nextscn(elf, s)) {
		GElf_Shdr sh;
		if (!gelf_getshdr(s, &sh) || sh.sh_type == SHT_NOBITS)
			continue;
		const char *n = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!n)
			continue;
		bool gnu = n[0] == '.' && n[1] == 'z' && !strcmp(n + 2, name + 1);
		if (strcmp(n, name) && !gnu)
			continue;
		if (sh.sh_flags & SHF_COMPRESSED)
			elf_compress(s, 0, 0);
		else if (gnu)
			elf_compress_gnu(s, 0, 0);
		return elf_getdata(s, NULL);
	}
	return NULL;
}

/* The DWARF sections read without libdw, looked up once (libdw has inflated them). */
static void read_sections(struct elfobj *o)
{
	if (o->secs_read)
		return;
	o->secs_read = true;
	Elf *elf = dwarf_getelf(o->dw);
	o->sec_info = debug_section(elf, ".debug_info");
	o->sec_abbrev = debug_section(elf, ".debug_abbrev");
	o->sec_line = debug_section(elf, ".debug_line");
	o->sec_str = debug_section(elf, ".debug_str");
	o->sec_line_str = debug_section(elf, ".debug_line_str");
	o->sec_ranges = debug_section(elf, ".debug_ranges");
}

static const char *sec_str(Elf_Data *d, uint64_t off)
{
	if (!d || off >= d->d_size)
		return "";
	const char *s = (const char *)d->d_buf + off;
	return memchr(s, 0, d->d_size - off) ? s : "";
}

/* One DWARF 5 entry-format field: a string (path) or a number (directory index). */
static void rd_form(struct cur *c, uint64_t form, int offsz, Elf_Data *str, Elf_Data *line_str,
		    const char **sval, uint64_t *uval)
{
	*sval = NULL;
	*uval = 0;
	switch (form) {
	case DW_FORM_string: *sval = rd_str(c); break;
	case DW_FORM_line_strp: *sval = sec_str(line_str, rd_n(c, (size_t)offsz)); break;
	case DW_FORM_strp: *sval = sec_str(str, rd_n(c, (size_t)offsz)); break;
	case DW_FORM_udata: *uval = rd_uleb(c); break;
	case DW_FORM_data1: *uval = rd_n(c, 1); break;
	case DW_FORM_data2: *uval = rd_n(c, 2); break;
	case DW_FORM_data4: *uval = rd_n(c, 4); break;
	case DW_FORM_data8: *uval = rd_n(c, 8); break;
	case DW_FORM_data16: rd_n(c, 8), rd_n(c, 8); break;
	case DW_FORM_block: {
		uint64_t n = rd_uleb(c);
		if (n > (uint64_t)(c->end - c->p))
			c->bad = true, c->p = c->end;
		else
			c->p += n;
		break;
	}
	default: c->bad = true; break; /* strx and others: not used in line tables in practice */
	}
}

/* LLVM's sys::path::append of one component. */
static void path_append(struct strbuf *sb, const char *comp)
{
	if (sb->len && sb->buf[sb->len - 1] == '/') {
		while (*comp == '/')
			comp++;
		strbuf_addstr(sb, comp);
		return;
	}
	if (comp[0] != '/' && sb->len)
		strbuf_addch(sb, '/');
	strbuf_addstr(sb, comp);
}

static void read_file_names(struct cprof_objtool *t, struct elfobj *o, struct cu *c, Dwarf_Die *cudie)
{
	Dwarf_Attribute a;
	Dwarf_Word stmt;
	if (!dwarf_attr(cudie, DW_AT_stmt_list, &a) || dwarf_formudata(&a, &stmt))
		return;
	const char *comp_dir = dwarf_attr(cudie, DW_AT_comp_dir, &a) ? dwarf_formstring(&a) : NULL;
	if (!comp_dir)
		comp_dir = "";
	read_sections(o);
	Elf_Data *line = o->sec_line;
	if (!line || stmt >= line->d_size)
		return;
	Elf_Data *str = o->sec_str;
	Elf_Data *line_str = o->sec_line_str;
	struct cur cu = {(const unsigned char *)line->d_buf + stmt,
			 (const unsigned char *)line->d_buf + line->d_size, false};
	uint64_t len = rd_n(&cu, 4);
	int offsz = 4;
	if (len == 0xffffffff) {
		len = rd_n(&cu, 8);
		offsz = 8;
	}
	if (len < (uint64_t)(cu.end - cu.p))
		cu.end = cu.p + len;
	unsigned version = (unsigned)rd_n(&cu, 2);
	if (version < 2 || version > 5)
		return;
	if (version >= 5)
		rd_n(&cu, 2); /* address_size, segment_selector_size */
	rd_n(&cu, (size_t)offsz); /* header_length */
	rd_n(&cu, version >= 4 ? 5 : 4);
	unsigned opcode_base = (unsigned)rd_n(&cu, 1);
	for (unsigned i = 1; i < opcode_base; i++)
		rd_n(&cu, 1); /* standard_opcode_lengths */
	const char **dirs = NULL, **names = NULL;
	uint64_t *didx = NULL;
	size_t ndirs = 0, adirs = 0, nnames = 0, anames = 0, adidx = 0;
	if (version >= 5) {
		for (int pass = 0; pass < 2 && !cu.bad; pass++) {
			unsigned nfmt = (unsigned)rd_n(&cu, 1);
			uint64_t fmt[32][2];
			if (nfmt > 32) {
				cu.bad = true;
				break;
			}
			for (unsigned i = 0; i < nfmt; i++) {
				fmt[i][0] = rd_uleb(&cu);
				fmt[i][1] = rd_uleb(&cu);
			}
			uint64_t count = rd_uleb(&cu);
			for (uint64_t k = 0; k < count && !cu.bad; k++) {
				const char *path = "";
				uint64_t dir = 0;
				for (unsigned i = 0; i < nfmt; i++) {
					const char *sv;
					uint64_t uv;
					rd_form(&cu, fmt[i][1], offsz, str, line_str, &sv, &uv);
					if (fmt[i][0] == DW_LNCT_path && sv)
						path = sv;
					else if (fmt[i][0] == DW_LNCT_directory_index)
						dir = uv;
				}
				if (pass == 0) {
					ALLOC_GROW(dirs, ndirs + 1, adirs);
					dirs[ndirs++] = path;
				} else {
					ALLOC_GROW(names, nnames + 1, anames);
					ALLOC_GROW(didx, nnames + 1, adidx);
					names[nnames] = path;
					didx[nnames++] = dir;
				}
			}
		}
	} else {
		for (;;) {
			const char *d = rd_str(&cu);
			if (cu.bad || !*d)
				break;
			ALLOC_GROW(dirs, ndirs + 1, adirs);
			dirs[ndirs++] = d;
		}
		/* file indices start at 1: slot 0 stays empty */
		ALLOC_GROW(names, 1, anames);
		ALLOC_GROW(didx, 1, adidx);
		names[0] = NULL;
		didx[0] = 0;
		nnames = 1;
		for (;;) {
			const char *n = rd_str(&cu);
			if (cu.bad || !*n)
				break;
			uint64_t d = rd_uleb(&cu);
			rd_uleb(&cu), rd_uleb(&cu);
			ALLOC_GROW(names, nnames + 1, anames);
			ALLOC_GROW(didx, nnames + 1, adidx);
			names[nnames] = n;
			didx[nnames++] = d;
		}
	}
	c->fnames = cprof_xcalloc(nnames ? nnames : 1, sizeof(*c->fnames));
	c->nfnames = nnames;
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < nnames; i++) {
		if (!names[i])
			continue;
		const char *inc = "";
		if (names[i][0] != '/') {
			if (version >= 5 ? didx[i] < ndirs : (didx[i] > 0 && didx[i] <= ndirs))
				inc = dirs[version >= 5 ? didx[i] : didx[i] - 1];
			strbuf_reset(&sb);
			/* Go writes comp_dir "." and means the names as they are (runtime/proc.go) */
			if (comp_dir[0] && inc[0] != '/' && !(o->is_go && !strcmp(comp_dir, ".")))
				strbuf_addstr(&sb, comp_dir);
			if (inc[0])
				path_append(&sb, inc);
			path_append(&sb, names[i]);
			c->fnames[i] = intern(t, sb.buf);
		} else {
			c->fnames[i] = intern(t, names[i]);
		}
	}
	strbuf_release(&sb);
	free(dirs);
	free(names);
	free(didx);
}

static const char *cu_file(const struct cu *c, size_t idx)
{
	return idx < c->nfnames ? c->fnames[idx] : NULL;
}

/* ---- DWARF index -------------------------------------------------------------------------- */

static int cmp_cur(const void *a, const void *b)
{
	const struct cu_range *x = a, *y = b;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->cu < y->cu ? -1 : x->cu > y->cu;
}

static void load_dwarf(struct cprof_objtool *t, struct elfobj *o)
{
	if (o->dw_tried)
		return;
	o->dw_tried = true;
	if (!find_debug_file(t, o) && has_debug_info(o->elf)) {
		hide_unread_sections(o->elf);
		inflate_sections(o, o->elf);
		o->dw = dwarf_begin_elf(o->elf, DWARF_C_READ, NULL);
		if (o->dw)
			o->dpath = cprof_xstrdup(o->path);
	}
	if (!o->dw)
		return;
	size_t acus = 0, acur = 0;
	Dwarf_CU *cu = NULL, *next;
	Dwarf_Die cudie, subdie;
	uint8_t unit_type;
	Dwarf_Half version;
	while (dwarf_get_units(o->dw, cu, &next, &version, &unit_type, &cudie, &subdie) == 0) {
		cu = next;
		if (unit_type == DW_UT_skeleton)
			cudie = subdie; /* split DWARF: the .dwo's unit, when libdw found it */
		if (dwarf_tag(&cudie) != DW_TAG_compile_unit && dwarf_tag(&cudie) != DW_TAG_partial_unit)
			continue;
		ALLOC_GROW(o->cus, o->ncus + 1, acus);
		struct cu *c = &o->cus[o->ncus];
		memset(c, 0, sizeof(*c));
		c->off = dwarf_dieoffset(&cudie);
		c->version = unit_type == DW_UT_skeleton ? 0 : 1; /* 0: not in this file's .debug_info */
		uint32_t ci = (uint32_t)o->ncus++;
		Dwarf_Addr base, lo, hi;
		ptrdiff_t off = 0;
		while ((off = dwarf_ranges(&cudie, off, &base, &lo, &hi)) > 0) {
			if (lo >= hi)
				continue;
			ALLOC_GROW(o->cur, o->ncur + 1, acur);
			o->cur[o->ncur++] = (struct cu_range){lo, hi, ci};
		}
	}
	if (o->ncur)
		qsort(o->cur, o->ncur, sizeof(*o->cur), cmp_cur);
	/* the unit headers, for walk_raw (units and CUs are both in file order) */
	Dwarf_Off uoff = 0, unext;
	size_t hsize, ci = 0;
	Dwarf_Off abbrev;
	uint8_t asz, osz;
	while (ci < o->ncus && dwarf_next_unit(o->dw, uoff, &unext, &hsize, &version, &abbrev, &asz, &osz, NULL, NULL) == 0) {
		Dwarf_Off die = uoff + hsize;
		while (ci < o->ncus && o->cus[ci].off < die)
			o->cus[ci++].version = 0;
		if (ci < o->ncus && o->cus[ci].off == die && o->cus[ci].version) {
			struct cu *c = &o->cus[ci++];
			c->hdr = uoff;
			c->raw_end = unext;
			c->abbrev_off = abbrev;
			c->version = version;
			c->addr_size = asz;
			c->off_size = osz;
		}
		uoff = unext;
	}
}

struct rng {
	uint64_t lo, hi;
	uint32_t sub; /* also the DFS order: later (deeper) wins */
};

struct walk {
	struct cu *c;
	struct rng *r;
	size_t nr, ar;
	uint64_t base; /* the CU's base address, as libdw takes it for .debug_ranges */
};

static void walk_die(struct walk *w, Dwarf_Die *die, uint32_t parent, int depth)
{
	Dwarf_Die child;
	if (depth > 256 || dwarf_child(die, &child) != 0)
		return;
	do {
		int tag = dwarf_tag(&child);
		uint32_t p = parent;
		if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine) {
			Dwarf_Addr base, lo, hi;
			ptrdiff_t off = 0;
			bool any = false;
			uint32_t idx = (uint32_t)w->c->nsubs;
			while ((off = dwarf_ranges(&child, off, &base, &lo, &hi)) > 0) {
				if (lo >= hi)
					continue;
				ALLOC_GROW(w->r, w->nr + 1, w->ar);
				w->r[w->nr++] = (struct rng){lo, hi, idx};
				any = true;
			}
			if (any || dwarf_haschildren(&child)) {
				ALLOC_GROW(w->c->subs, w->c->nsubs + 1, w->c->asubs);
				struct sub *s = &w->c->subs[w->c->nsubs++];
				memset(s, 0, sizeof(*s));
				s->off = dwarf_dieoffset(&child);
				s->inlined = tag == DW_TAG_inlined_subroutine;
				/* the chain ends at a subprogram (llvm's getInlinedChainForAddress) */
				s->parent = s->inlined ? parent : CPROF_NONE;
				s->name = NULL;
				s->call_read = false;
				s->call_file = s->call_line = s->call_col = 0;
				p = idx;
			}
		}
		if (dwarf_haschildren(&child))
			walk_die(w, &child, p, depth + 1);
	} while (dwarf_siblingof(&child, &child) == 0);
}

/*
 * walk_die without libdw: one pass over the CU's DIEs in .debug_info,
 * with the CU's abbreviation table, where libdw's dwarf_siblingof would
 * parse every subtree a second time to skip it (Go and many C compilers
 * write no DW_AT_sibling). Only subroutine DIEs go through libdw (their
 * ranges). The same subs and ranges as walk_die; false (and nothing
 * added) for anything it does not know, and walk_die runs instead.
 *
 *   abbrev table: (code uleb, tag uleb, children u8, (attr uleb, form uleb
 *                 [, implicit_const sleb])* 0 0)* 0
 *   DIE:          code uleb (0 ends a sibling list), attribute values
 */
struct abbrev {
	uint32_t tag;
	bool children;
	uint32_t first, n; /* attrs[first .. first+n) */
	uint32_t fixed;    /* bytes of the values when all have a fixed size in the CU, else UINT32_MAX */
};

struct abbrevs {
	struct abbrev *v; /* by code; tag 0 = undefined */
	size_t nv;
	struct abbrev_attr {
		uint16_t name, form; /* name 0xffff: one above 0xfffe */
		int16_t size;        /* form_size in the CU being walked */
	} *attrs;
	size_t nforms, aforms;
};

static bool read_abbrevs(Elf_Data *d, Dwarf_Off off, struct abbrevs *t)
{
	if (!d || off >= d->d_size)
		return false;
	struct cur c = {(const unsigned char *)d->d_buf + off, (const unsigned char *)d->d_buf + d->d_size, false};
	size_t av = 0;
	for (;;) {
		uint64_t code = rd_uleb(&c);
		if (c.bad)
			return false;
		if (code == 0)
			return true;
		if (code > (1u << 20))
			return false;
		uint64_t tag = rd_uleb(&c);
		bool children = rd_n(&c, 1) != 0;
		if (code >= t->nv) {
			size_t want = (size_t)code + 1;
			ALLOC_GROW(t->v, want, av);
			memset(t->v + t->nv, 0, (want - t->nv) * sizeof(*t->v));
			t->nv = want;
		}
		struct abbrev *a = &t->v[code];
		a->tag = tag > UINT32_MAX ? 0 : (uint32_t)tag;
		a->children = children;
		a->first = (uint32_t)t->nforms;
		a->n = 0;
		for (;;) {
			uint64_t name = rd_uleb(&c), form = rd_uleb(&c);
			if (c.bad || form > 0xffff)
				return false;
			if (name == 0 && form == 0)
				break;
			if (form == DW_FORM_implicit_const)
				(void)rd_uleb(&c); /* the value (sleb), not needed to skip */
			ALLOC_GROW(t->attrs, t->nforms + 1, t->aforms);
			t->attrs[t->nforms++] = (struct abbrev_attr){name > 0xfffe ? 0xffff : (uint16_t)name, (uint16_t)form, -1};
			a->n++;
		}
		if (a->tag == 0)
			return false;
	}
}

/* The size of a value of form in unit u when it is fixed, else -1. */
static inline int form_size(unsigned form, const struct cu *u)
{
	switch (form) {
	case DW_FORM_flag_present: case DW_FORM_implicit_const: return 0;
	case DW_FORM_data1: case DW_FORM_ref1: case DW_FORM_flag: case DW_FORM_strx1: case DW_FORM_addrx1: return 1;
	case DW_FORM_data2: case DW_FORM_ref2: case DW_FORM_strx2: case DW_FORM_addrx2: return 2;
	case DW_FORM_strx3: case DW_FORM_addrx3: return 3;
	case DW_FORM_data4: case DW_FORM_ref4: case DW_FORM_strx4: case DW_FORM_addrx4: case DW_FORM_ref_sup4: return 4;
	case DW_FORM_data8: case DW_FORM_ref8: case DW_FORM_ref_sig8: case DW_FORM_ref_sup8: return 8;
	case DW_FORM_data16: return 16;
	case DW_FORM_addr: return u->addr_size;
	case DW_FORM_ref_addr: return u->version == 2 ? u->addr_size : u->off_size;
	case DW_FORM_strp: case DW_FORM_line_strp: case DW_FORM_sec_offset: case DW_FORM_strp_sup:
	case DW_FORM_GNU_ref_alt: case DW_FORM_GNU_strp_alt:
		return u->off_size;
	default: return -1;
	}
}

static bool skip_bytes(struct cur *c, size_t n)
{
	if (c->bad || (size_t)(c->end - c->p) < n) {
		c->bad = true;
		return false;
	}
	c->p += n;
	return true;
}

/* Skip one attribute value; false for a form it does not know. */
static bool skip_form(struct cur *c, unsigned form, const struct cu *u, int depth)
{
	int fixed = form_size(form, u);
	if (fixed >= 0)
		return skip_bytes(c, (size_t)fixed);
	size_t n;
	switch (form) {
	case DW_FORM_sdata: case DW_FORM_udata: case DW_FORM_ref_udata: case DW_FORM_strx: case DW_FORM_addrx:
	case DW_FORM_loclistx: case DW_FORM_rnglistx: case DW_FORM_GNU_addr_index: case DW_FORM_GNU_str_index:
		(void)rd_uleb(c);
		return !c->bad;
	case DW_FORM_string: (void)rd_str(c); return !c->bad;
	case DW_FORM_block1: n = (size_t)rd_n(c, 1); break;
	case DW_FORM_block2: n = (size_t)rd_n(c, 2); break;
	case DW_FORM_block4: n = (size_t)rd_n(c, 4); break;
	case DW_FORM_block: case DW_FORM_exprloc: n = (size_t)rd_uleb(c); break;
	case DW_FORM_indirect: {
		uint64_t f = rd_uleb(c);
		return !c->bad && depth < 4 && f <= 0xffff && f != DW_FORM_implicit_const &&
		       skip_form(c, (unsigned)f, u, depth + 1);
	}
	default: return false;
	}
	return skip_bytes(c, n);
}

static void add_rng(struct walk *w, uint64_t lo, uint64_t hi, uint32_t sub)
{
	if (lo >= hi)
		return;
	ALLOC_GROW(w->r, w->nr + 1, w->ar);
	w->r[w->nr++] = (struct rng){lo, hi, sub};
}

/* The attributes of a subroutine DIE that walk_raw reads for die_name and sub_call_site. */
enum { RAW_NM0 = 0, RAW_ORIGIN = 3, RAW_SPEC, RAW_CALL_FILE, RAW_CALL_LINE, RAW_CALL_COL, RAW_NONE };

static int raw_attr_kind(unsigned name)
{
	switch (name) {
	case DW_AT_MIPS_linkage_name: return RAW_NM0;
	case DW_AT_linkage_name: return RAW_NM0 + 1;
	case DW_AT_name: return RAW_NM0 + 2;
	case DW_AT_abstract_origin: return RAW_ORIGIN;
	case DW_AT_specification: return RAW_SPEC;
	case DW_AT_call_file: return RAW_CALL_FILE;
	case DW_AT_call_line: return RAW_CALL_LINE;
	case DW_AT_call_column: return RAW_CALL_COL;
	default: return RAW_NONE;
	}
}

/*
 * Read one such value at c into sa (*spec for DW_AT_specification), as
 * libdw's dwarf_formstring, dwarf_formref_die and dwarf_formudata read
 * it, for the forms compilers use; false (c unmoved) for another form,
 * and with c->bad set for a value past its section. The first of a
 * repeated attribute counts, as dwarf_attr finds it.
 */
static bool raw_attr(const struct elfobj *o, const struct cu *u, struct cur *c, unsigned form, int k,
		     struct sub *sa, Dwarf_Off *spec)
{
	if (k < RAW_ORIGIN) {
		const char *str;
		if (form == DW_FORM_string) {
			str = rd_str(c);
		} else if (form == DW_FORM_strp || form == DW_FORM_line_strp) {
			Elf_Data *d = form == DW_FORM_strp ? o->sec_str : o->sec_line_str;
			uint64_t off = rd_n(c, u->off_size);
			if (c->bad)
				return false;
			if (!d || !d->d_buf || off >= d->d_size || !memchr((const char *)d->d_buf + off, 0, d->d_size - off)) {
				c->bad = true;
				return false;
			}
			str = (const char *)d->d_buf + off;
		} else {
			return false;
		}
		if (c->bad)
			return false;
		if (!sa->nm[k])
			sa->nm[k] = str;
		return true;
	}
	uint64_t v;
	switch (form) {
	case DW_FORM_data1: case DW_FORM_ref1: v = rd_n(c, 1); break;
	case DW_FORM_data2: case DW_FORM_ref2: v = rd_n(c, 2); break;
	case DW_FORM_data4: case DW_FORM_ref4: v = rd_n(c, 4); break;
	case DW_FORM_data8: case DW_FORM_ref8: v = rd_n(c, 8); break;
	case DW_FORM_udata: case DW_FORM_ref_udata: v = rd_uleb(c); break;
	case DW_FORM_ref_addr: v = rd_n(c, u->version == 2 ? u->addr_size : u->off_size); break;
	default: return false;
	}
	if (c->bad)
		return false;
	bool ref = form == DW_FORM_ref1 || form == DW_FORM_ref2 || form == DW_FORM_ref4 || form == DW_FORM_ref8 ||
		   form == DW_FORM_ref_udata || form == DW_FORM_ref_addr;
	if (k == RAW_ORIGIN || k == RAW_SPEC) {
		if (!ref)
			return false;
		Dwarf_Off target = form == DW_FORM_ref_addr ? v : u->hdr + v;
		if (target == 0)
			return false;
		if (k == RAW_ORIGIN && !sa->origin)
			sa->origin = target;
		else if (k == RAW_SPEC && !*spec)
			*spec = target;
		return true;
	}
	if (ref)
		return false;
	uint32_t x = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
	uint8_t bit = (uint8_t)(1u << (k - RAW_CALL_FILE));
	if (!(sa->call_set & bit)) {
		sa->call_set |= bit;
		if (k == RAW_CALL_FILE)
			sa->call_file = x;
		else if (k == RAW_CALL_LINE)
			sa->call_line = x;
		else
			sa->call_col = x;
	}
	return true;
}

/*
 * The ranges of a subroutine DIE whose attribute values start at c, read
 * as libdw's dwarf_ranges reads them, for the simple cases: DW_AT_low_pc
 * (an address) with DW_AT_high_pc (an address or an offset), else
 * DW_AT_ranges into .debug_ranges (DWARF 2 to 4), else none. Moves c past
 * the values and returns true; false (c anywhere, w->nr as it was) where
 * libdw must do it.
 */
static bool raw_ranges(const struct elfobj *o, const struct abbrevs *ab, const struct abbrev *a, struct cur *c,
		       struct walk *w, uint32_t sub, struct sub *sa)
{
	const struct cu *u = w->c;
	uint64_t low = 0, high = 0, roff = 0;
	bool has_low = false, has_high = false, high_off = false, has_ranges = false;
	Dwarf_Off spec = 0;
	sa->raw = true;
	for (uint32_t i = 0; i < a->n; i++) {
		struct abbrev_attr at = ab->attrs[a->first + i];
		if (at.name != DW_AT_low_pc && at.name != DW_AT_high_pc && at.name != DW_AT_ranges) {
			int k = raw_attr_kind(at.name);
			if (k == RAW_NONE) {
				if (!skip_form(c, at.form, u, 0))
					return false;
			} else if (!raw_attr(o, u, c, at.form, k, sa, &spec)) {
				if (c->bad || !skip_form(c, at.form, u, 0))
					return false;
				sa->raw = false; /* a form read only by libdw */
			}
			continue;
		}
		uint64_t v;
		switch (at.form) {
		case DW_FORM_addr: v = rd_n(c, u->addr_size); break;
		case DW_FORM_data1: v = rd_n(c, 1); break;
		case DW_FORM_data2: v = rd_n(c, 2); break;
		case DW_FORM_data4: v = rd_n(c, 4); break;
		case DW_FORM_data8: v = rd_n(c, 8); break;
		case DW_FORM_udata: v = rd_uleb(c); break;
		case DW_FORM_sec_offset: v = rd_n(c, u->off_size); break;
		default: return false;
		}
		if (c->bad)
			return false;
		if (at.name == DW_AT_low_pc) {
			if (has_low || at.form != DW_FORM_addr)
				return false;
			low = v;
			has_low = true;
		} else if (at.name == DW_AT_high_pc) {
			if (has_high || at.form == DW_FORM_sec_offset)
				return false;
			high = v;
			high_off = at.form != DW_FORM_addr;
			has_high = true;
		} else {
			if (has_ranges || u->version >= 5 ||
			    (at.form != DW_FORM_sec_offset && at.form != DW_FORM_data4 && at.form != DW_FORM_data8))
				return false;
			roff = v;
			has_ranges = true;
		}
	}
	if (!sa->origin)
		sa->origin = spec;
	if (has_low && has_high) {
		add_rng(w, low, high_off ? low + high : high, sub);
		return true;
	}
	if (!has_ranges)
		return true; /* no ranges */
	Elf_Data *d = o->sec_ranges;
	if (!d || !d->d_buf || roff >= d->d_size)
		return false;
	size_t nr0 = w->nr;
	struct cur r = {(const unsigned char *)d->d_buf + roff, (const unsigned char *)d->d_buf + d->d_size, false};
	uint64_t escape = u->addr_size == 8 ? UINT64_MAX : UINT32_MAX, base = w->base;
	for (;;) {
		uint64_t b = rd_n(&r, u->addr_size), e = rd_n(&r, u->addr_size);
		if (r.bad || (b == escape && e == escape)) {
			w->nr = nr0;
			return false;
		}
		if (b == 0 && e == 0)
			return true;
		if (b == escape)
			base = e;
		else
			add_rng(w, b + base, e + base, sub);
	}
}

static bool walk_raw(struct elfobj *o, struct walk *w)
{
	struct cu *u = w->c;
	read_sections(o);
	Elf_Data *info = o->sec_info;
	if (!u->raw_end || !info || u->raw_end > info->d_size || u->off >= u->raw_end ||
	    (u->addr_size != 4 && u->addr_size != 8) || (u->off_size != 4 && u->off_size != 8))
		return false;
	struct abbrevs ab = {0};
	uint32_t *parents = NULL; /* parents[d]: the sub enclosing the DIEs of nesting level d + 1 */
	size_t aparents = 0;
	bool ok = read_abbrevs(o->sec_abbrev, u->abbrev_off, &ab);
	/* values of a fixed size are skipped without a call, whole DIEs of them in one step */
	for (size_t i = 0; ok && i < ab.nforms; i++)
		ab.attrs[i].size = (int16_t)form_size(ab.attrs[i].form, u);
	for (size_t i = 0; ok && i < ab.nv; i++) {
		struct abbrev *a = &ab.v[i];
		uint64_t sum = 0;
		for (uint32_t k = 0; k < a->n && sum < UINT32_MAX; k++) {
			int sz = ab.attrs[a->first + k].size;
			sum = sz < 0 ? UINT32_MAX : sum + (uint64_t)sz;
		}
		a->fixed = sum < UINT32_MAX ? (uint32_t)sum : UINT32_MAX;
	}
	const unsigned char *base = info->d_buf;
	struct cur c = {base + u->off, base + u->raw_end, false};
	size_t depth = 0; /* nesting level of the next DIE: 0 the CU DIE, 1 its children */
	while (ok) {
		const unsigned char *at = c.p;
		uint64_t code = rd_uleb(&c);
		if (c.bad) {
			ok = false;
			break;
		}
		if (code == 0) { /* end of a sibling list */
			if (depth <= 1)
				break;
			depth--;
			continue;
		}
		if (code >= ab.nv || !ab.v[code].tag) {
			ok = false;
			break;
		}
		const struct abbrev *a = &ab.v[code];
		uint32_t parent = depth >= 1 ? parents[depth - 1] : CPROF_NONE;
		uint32_t p = parent;
		/* walk_die looks at DIEs down to nesting level 257 (depth > 256 stops it) */
		bool seen = depth >= 1 && depth <= 257;
		bool skipped = false; /* the attribute values read already */
		if (seen && (a->tag == DW_TAG_subprogram || a->tag == DW_TAG_inlined_subroutine)) {
			uint32_t idx = (uint32_t)u->nsubs;
			size_t nr0 = w->nr;
			struct cur rc = c;
			struct sub sa;
			memset(&sa, 0, sizeof(sa));
			if (raw_ranges(o, &ab, a, &rc, w, idx, &sa)) {
				c = rc;
				skipped = true;
			} else {
				sa.raw = false;
				Dwarf_Die die;
				if (!dwarf_offdie(o->dw, (Dwarf_Off)(at - base), &die)) {
					ok = false;
					break;
				}
				Dwarf_Addr rbase, lo, hi;
				ptrdiff_t off = 0;
				while ((off = dwarf_ranges(&die, off, &rbase, &lo, &hi)) > 0)
					add_rng(w, lo, hi, idx);
			}
			bool any = w->nr > nr0;
			/* with its attributes read, a sub without code still names the subs that refer to it */
			if (any || a->children || sa.raw) {
				ALLOC_GROW(u->subs, u->nsubs + 1, u->asubs);
				struct sub *sb = &u->subs[u->nsubs++];
				*sb = sa;
				sb->off = (Dwarf_Off)(at - base);
				sb->inlined = a->tag == DW_TAG_inlined_subroutine;
				sb->parent = sb->inlined ? parent : CPROF_NONE;
				sb->call_read = sa.raw; /* call_* read, or 0 where absent */
				if (any || a->children)
					p = idx;
			}
		}
		if (!skipped && a->fixed != UINT32_MAX) {
			if ((size_t)(c.end - c.p) < a->fixed)
				ok = false;
			else
				c.p += a->fixed;
		} else if (!skipped) {
			for (uint32_t i = 0; i < a->n && ok; i++) {
				const struct abbrev_attr *va = &ab.attrs[a->first + i];
				if (va->size < 0)
					ok = skip_form(&c, va->form, u, 0);
				else if ((size_t)(c.end - c.p) < (size_t)va->size)
					ok = false;
				else
					c.p += va->size;
			}
		}
		if (!ok)
			break;
		if (a->children) {
			ALLOC_GROW(parents, depth + 1, aparents);
			parents[depth] = depth == 0 ? CPROF_NONE : p;
			depth++;
		} else if (depth == 0) {
			break; /* a CU DIE without children */
		}
	}
	free(ab.v);
	free(ab.attrs);
	free(parents);
	return ok;
}

struct heap {
	struct rng *v;
	size_t n, a;
};

static void heap_push(struct heap *h, struct rng r)
{
	ALLOC_GROW(h->v, h->n + 1, h->a);
	size_t i = h->n++;
	h->v[i] = r;
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (h->v[p].sub >= h->v[i].sub)
			break;
		struct rng tmp = h->v[p];
		h->v[p] = h->v[i];
		h->v[i] = tmp;
		i = p;
	}
}

static void heap_pop(struct heap *h)
{
	h->v[0] = h->v[--h->n];
	size_t i = 0;
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < h->n && h->v[l].sub > h->v[m].sub)
			m = l;
		if (r < h->n && h->v[r].sub > h->v[m].sub)
			m = r;
		if (m == i)
			break;
		struct rng tmp = h->v[m];
		h->v[m] = h->v[i];
		h->v[i] = tmp;
		i = m;
	}
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

/* The ranges by lo (they are made in DFS order, so this orders them by lo, then sub), and plain addresses. */
#define RNG_BEFORE(x, y) ((x)->lo < (y)->lo)
#define U64_BEFORE(x, y) (*(x) < *(y))
DEFINE_MERGE_SORT(sort_rng_by_lo, struct rng, RNG_BEFORE)
DEFINE_MERGE_SORT(sort_u64, uint64_t, U64_BEFORE)

/*
 * Index one CU: its subroutine DIEs (DFS order, parents first) and the
 * disjoint segments where each is the last one, in DFS order, whose
 * ranges hold the address, i.e. the deepest.
 */
static void index_cu(struct elfobj *o, struct cu *c)
{
	c->indexed = true;
	Dwarf_Die cudie;
	if (!dwarf_offdie(o->dw, c->off, &cudie))
		return;
	Dwarf_Attribute lang;
	Dwarf_Word lv;
	c->go = dwarf_attr(&cudie, DW_AT_language, &lang) && !dwarf_formudata(&lang, &lv) && lv == DW_LANG_Go;
	struct walk w = {c, NULL, 0, 0, 0};
	/* __libdw_cu_base_address: DW_AT_low_pc, else DW_AT_entry_pc, else 0 */
	Dwarf_Attribute ea;
	if (dwarf_lowpc(&cudie, &w.base) != 0 && dwarf_formaddr(dwarf_attr(&cudie, DW_AT_entry_pc, &ea), &w.base) != 0)
		w.base = 0;
	if (!walk_raw(o, &w)) {
		/* start over with libdw */
		w.nr = 0;
		c->nsubs = 0;
		walk_die(&w, &cudie, CPROF_NONE, 0);
	}
	if (w.nr == 0) {
		free(w.r);
		return;
	}
	/* sweep over the boundaries with a max-heap on DFS order */
	uint64_t *pts = cprof_xmalloc(cprof_st_mult(4 * w.nr, sizeof(*pts))); /* and the sorts' scratch */
	sort_rng_by_lo(w.r, (struct rng *)(void *)pts, w.nr);
	for (size_t i = 0; i < w.nr; i++) {
		pts[2 * i] = w.r[i].lo;
		pts[2 * i + 1] = w.r[i].hi;
	}
	sort_u64(pts, pts + 2 * w.nr, 2 * w.nr);
	size_t npts = 0;
	for (size_t i = 0; i < 2 * w.nr; i++)
		if (npts == 0 || pts[npts - 1] != pts[i])
			pts[npts++] = pts[i];
	struct heap h = {0};
	size_t next = 0, aseg = 0;
	for (size_t i = 0; i + 1 < npts; i++) {
		uint64_t lo = pts[i], hi = pts[i + 1];
		while (next < w.nr && w.r[next].lo <= lo)
			heap_push(&h, w.r[next++]);
		while (h.n && h.v[0].hi <= lo)
			heap_pop(&h);
		if (!h.n)
			continue;
		uint32_t s = h.v[0].sub;
		if (c->nsegs && c->segs[c->nsegs - 1].hi == lo && c->segs[c->nsegs - 1].sub == s) {
			c->segs[c->nsegs - 1].hi = hi;
			continue;
		}
		ALLOC_GROW(c->segs, c->nsegs + 1, aseg);
		c->segs[c->nsegs++] = (struct seg){lo, hi, s};
	}
	free(h.v);
	free(pts);
	free(w.r);
}

static struct cu *cu_for_addr(struct elfobj *o, uint64_t addr)
{
	size_t lo = 0, hi = o->ncur;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (o->cur[mid].lo <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* the nearest ranges below addr; CU ranges may nest in odd DWARF, so look back a little */
	for (size_t i = lo, k = 0; i > 0 && k < 8; i--, k++)
		if (addr < o->cur[i - 1].hi)
			return &o->cus[o->cur[i - 1].cu];
	return NULL;
}

static const struct seg *seg_for_addr(const struct cu *c, uint64_t addr, size_t *hint)
{
	size_t lo = c->nsegs ? upper_bound_near(&c->segs[0].lo, sizeof(*c->segs), c->nsegs, addr, hint) : 0;
	if (lo == 0 || addr >= c->segs[lo - 1].hi)
		return NULL;
	return &c->segs[lo - 1];
}

/* libdw's row order: by address, an end of sequence first, then as made. */
static inline bool lrow_before(const struct lrow *x, const struct lrow *y)
{
	if (x->addr != y->addr)
		return x->addr < y->addr;
	if (x->end != y->end)
		return x->end;
	return x->seq < y->seq;
}

/* Sort rows in that order (a total one: seq differs). */
DEFINE_MERGE_SORT(sort_lrows, struct lrow, lrow_before)

/*
 * The rows of the line program at .debug_line offset stmt, decoded as
 * libdw's dwarf_getsrclines decodes them (same rows, same order, the last
 * row marked as ending a sequence) without its per-row bookkeeping.
 * False for anything unusual (VLIW op_index, DW_LNE_define_file, a value
 * libdw would reject): the caller asks libdw then.
 *
 *   header: unit_length | version u16 | [v5: address_size u8, seg_sel u8] |
 *           header_length | min_inst_len u8 | [v4+: max_ops u8] |
 *           default_is_stmt u8 | line_base s8 | line_range u8 |
 *           opcode_base u8 | standard_opcode_lengths[opcode_base - 1] | ...
 *   program at header_length's end: special opcodes (>= opcode_base),
 *           standard opcodes 1..12, extended opcodes (0, len uleb, op).
 */
static bool decode_lines(struct elfobj *o, uint64_t stmt, unsigned addr_size, struct lrow **out, size_t *nout)
{
	Elf_Data *d = o->sec_line;
	*out = NULL;
	*nout = 0;
	if (!d || stmt >= d->d_size || (addr_size != 4 && addr_size != 8))
		return false;
	struct cur c = {(const unsigned char *)d->d_buf + stmt, (const unsigned char *)d->d_buf + d->d_size, false};
	uint64_t len = rd_n(&c, 4);
	size_t offsz = 4;
	if (len == 0xffffffff) {
		len = rd_n(&c, 8);
		offsz = 8;
	}
	if (c.bad || len > (uint64_t)(c.end - c.p))
		return false;
	c.end = c.p + len;
	unsigned version = (unsigned)rd_n(&c, 2);
	if (version < 2 || version > 5)
		return false;
	if (version >= 5 && (rd_n(&c, 1) != addr_size || rd_n(&c, 1) != 0))
		return false;
	uint64_t hlen = rd_n(&c, offsz);
	if (c.bad || hlen > (uint64_t)(c.end - c.p))
		return false;
	const unsigned char *prog = c.p + hlen;
	unsigned min_inst = (unsigned)rd_n(&c, 1);
	unsigned max_ops = version >= 4 ? (unsigned)rd_n(&c, 1) : 1;
	bool default_stmt = rd_n(&c, 1) != 0;
	(void)default_stmt;
	int line_base = (int8_t)rd_n(&c, 1);
	unsigned line_range = (unsigned)rd_n(&c, 1);
	unsigned opcode_base = (unsigned)rd_n(&c, 1);
	if (c.bad || max_ops != 1 || line_range == 0 || opcode_base == 0 ||
	    (size_t)(c.end - c.p) < opcode_base - 1)
		return false;
	uint8_t oplen[256] = {0};
	for (unsigned i = 1; i < opcode_base; i++)
		oplen[i] = (uint8_t)rd_n(&c, 1);
	/* the standard opcodes' operand counts libdw insists on */
	static const uint8_t want[13] = {0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1};
	for (unsigned i = 1; i < 13 && i < opcode_base; i++)
		if (oplen[i] != want[i])
			return false;
	c.p = prog;

	/* every row takes at least one byte of the program: no regrowing (the rest is given back below) */
	size_t a = (size_t)(c.end - c.p) + 1, n = 0;
	struct lrow *v = cprof_xmalloc(cprof_st_mult(a, sizeof(*v)));
	uint64_t addr = 0, file = 1, col = 0, isa = 0, disc = 0;
	int64_t line = 1;
	bool ok = true, sorted = true;
#define EMIT(end_seq)                                                                                 \
	do {                                                                                          \
		if (file > UINT32_MAX || line < INT32_MIN || line > INT32_MAX || col > UINT16_MAX ||  \
		    isa > 255 || disc >= (1u << 24) || n >= UINT32_MAX) {                              \
			ok = false;                                                                   \
			break;                                                                        \
		}                                                                                     \
		ALLOC_GROW(v, n + 1, a);                                                              \
		v[n] = (struct lrow){addr, (uint32_t)n, (uint32_t)file, (int32_t)line, (uint16_t)col, \
				     (end_seq)};                                                      \
		if (n && lrow_before(&v[n], &v[n - 1]))                                                \
			sorted = false;                                                               \
		n++;                                                                                  \
	} while (0)
	while (ok && c.p < c.end) {
		unsigned op = (unsigned)rd_n(&c, 1);
		if (op >= opcode_base) {
			unsigned adj = op - opcode_base;
			line += line_base + (int)(adj % line_range);
			addr += (uint64_t)min_inst * (adj / line_range);
			EMIT(false);
			disc = 0;
		} else if (op == 0) {
			uint64_t elen = rd_uleb(&c);
			/* libdw reads the length as one byte: longer ones are its business */
			if (c.bad || elen == 0 || elen >= 128 || elen > (uint64_t)(c.end - c.p)) {
				ok = false;
				break;
			}
			unsigned eop = (unsigned)rd_n(&c, 1);
			switch (eop) {
			case DW_LNE_end_sequence:
				EMIT(true);
				addr = 0, file = 1, line = 1, col = 0, isa = 0, disc = 0;
				break;
			case DW_LNE_set_address:
				if ((size_t)(c.end - c.p) < addr_size) {
					ok = false;
					break;
				}
				addr = rd_n(&c, addr_size);
				break;
			case DW_LNE_set_discriminator:
				if (oplen[4] != 1) /* libdw checks this slot, oddly */
					ok = false;
				disc = rd_uleb(&c);
				break;
			default: /* DW_LNE_define_file and the unknown: libdw's own reading */
				ok = false;
				break;
			}
			/* libdw goes on from what it read for these, not from the length */
		} else if (op <= DW_LNS_set_isa) {
			switch (op) {
			case DW_LNS_copy: EMIT(false); disc = 0; break;
			case DW_LNS_advance_pc: addr += (uint64_t)min_inst * rd_uleb(&c); break;
			case DW_LNS_advance_line: {
				/* sleb128 */
				int64_t sv = 0;
				unsigned shift = 0;
				unsigned char byte;
				do {
					byte = (unsigned char)rd_n(&c, 1);
					if (shift < 64)
						sv |= (int64_t)((uint64_t)(byte & 0x7f) << shift);
					shift += 7;
				} while ((byte & 0x80) && !c.bad);
				if (shift < 64 && (byte & 0x40))
					sv |= -(int64_t)((uint64_t)1 << shift);
				line += sv;
				break;
			}
			case DW_LNS_set_file: file = rd_uleb(&c); break;
			case DW_LNS_set_column: col = rd_uleb(&c); break;
			case DW_LNS_negate_stmt: case DW_LNS_set_basic_block: case DW_LNS_set_prologue_end:
			case DW_LNS_set_epilogue_begin:
				break;
			case DW_LNS_const_add_pc: addr += (uint64_t)min_inst * ((255 - opcode_base) / line_range); break;
			case DW_LNS_fixed_advance_pc: addr += rd_n(&c, 2); break;
			case DW_LNS_set_isa: isa = rd_uleb(&c); break;
			}
		} else {
			for (unsigned k = oplen[op]; k > 0; k--)
				(void)rd_uleb(&c);
		}
		if (c.bad)
			ok = false;
	}
#undef EMIT
	if (!ok) {
		free(v);
		return false;
	}
	if (n < a)
		v = cprof_xrealloc(v, (n ? n : 1) * sizeof(*v));
	if (!sorted) {
		struct lrow *tmp = cprof_xmalloc(cprof_st_mult(n / 2 + 1, sizeof(*tmp)));
		sort_lrows(v, tmp, n);
		free(tmp);
	}
	if (n)
		v[n - 1].end = true;
	*out = v;
	*nout = n;
	return true;
}

static void read_lines(struct cprof_objtool *t, struct elfobj *o, struct cu *c)
{
	if (c->lines_read)
		return;
	c->lines_read = true;
	Dwarf_Die cudie;
	if (!dwarf_offdie(o->dw, c->off, &cudie))
		return;
	Dwarf_Attribute a;
	Dwarf_Word stmt;
	read_sections(o);
	if (!c->raw_end || !dwarf_attr(&cudie, DW_AT_stmt_list, &a) || dwarf_formudata(&a, &stmt) ||
	    !decode_lines(o, stmt, c->addr_size, &c->rows, &c->nlines)) {
		Dwarf_Lines *lines;
		size_t n;
		if (dwarf_getsrclines(&cudie, &lines, &n))
			n = 0;
		c->rows = n ? cprof_xcalloc(n, sizeof(*c->rows)) : NULL;
		c->nlines = n;
		for (size_t i = 0; i < n; i++) {
			Dwarf_Line *l = dwarf_onesrcline(lines, i);
			Dwarf_Addr la = 0;
			int ln = 0, col = 0;
			bool end = false;
			Dwarf_Files *files;
			size_t idx = 0;
			dwarf_lineaddr(l, &la);
			dwarf_lineno(l, &ln);
			dwarf_linecol(l, &col);
			dwarf_lineendsequence(l, &end);
			if (dwarf_line_file(l, &files, &idx))
				idx = UINT32_MAX;
			c->rows[i] = (struct lrow){la, (uint32_t)i, idx > UINT32_MAX ? UINT32_MAX : (uint32_t)idx, ln,
						   (uint16_t)col, end};
		}
	}
	if (c->nlines) {
		c->laddr = cprof_xmalloc(cprof_st_mult(c->nlines, sizeof(*c->laddr)));
		for (size_t i = 0; i < c->nlines; i++)
			c->laddr[i] = c->rows[i].addr;
	}
	read_file_names(t, o, c, &cudie);
}

/*
 * The line-table row for addr: the last row at or below addr, unless it
 * ends a sequence (llvm's LineTable::lookupAddress over libdw's rows,
 * which are sorted by address, end-of-sequence first, else in file order).
 */
static const struct lrow *line_for_addr(const struct cu *c, uint64_t addr, size_t *hint)
{
	size_t lo = upper_bound_near(c->laddr, sizeof(*c->laddr), c->nlines, addr, hint);
	if (lo == 0 || c->rows[lo - 1].end)
		return NULL;
	return &c->rows[lo - 1];
}

/* The indexed sub at DIE offset off, walked by walk_raw, or NULL. */
static const struct sub *find_sub(const struct elfobj *o, Dwarf_Off off)
{
	size_t hint = SIZE_MAX; /* none: a plain binary search */
	size_t i = o->ncus ? upper_bound_near(&o->cus[0].off, sizeof(*o->cus), o->ncus, off, &hint) : 0;
	if (i == 0)
		return NULL;
	const struct cu *c = &o->cus[i - 1];
	if (!c->indexed || off >= c->raw_end || !c->nsubs)
		return NULL;
	hint = SIZE_MAX;
	i = upper_bound_near(&c->subs[0].off, sizeof(*c->subs), c->nsubs, off, &hint);
	if (i == 0 || c->subs[i - 1].off != off)
		return NULL;
	return &c->subs[i - 1];
}

/*
 * die_name from what walk_raw read, following DW_AT_abstract_origin or
 * DW_AT_specification for each name attribute in turn as libdw's
 * dwarf_attr_integrate does (17 DIEs at most); NULL where that needs libdw.
 */
static const char *raw_die_name(const struct elfobj *o, const struct cu *c, const struct sub *s)
{
	for (int k = c->go ? 2 : 0; k < 3; k++) {
		const struct sub *d = s;
		for (int chain = 16;; chain--) {
			if (!d->raw)
				return NULL;
			if (d->nm[k])
				return d->nm[k];
			if (!d->origin || chain == 0)
				break;
			d = find_sub(o, d->origin);
			if (!d)
				return NULL;
		}
	}
	return "";
}

/* Whether go_name() writes name differently. */
static bool go_name_changes(const char *name)
{
	size_t n = strlen(name);
	if (n > 5 && !strcmp(name + n - 5, ".abi0"))
		return true;
	return memchr(name, '[', n) != NULL;
}

static const char *die_name(struct cprof_objtool *t, struct elfobj *o, const struct cu *c, struct sub *s,
			    pthread_mutex_t *mu)
{
	const char *known = __atomic_load_n(&s->name, __ATOMIC_ACQUIRE);
	if (known)
		return known;
	/* a name from the section itself, where it needs no copy (equal names, equal DIEs mostly) */
	const char *raw = raw_die_name(o, c, s);
	if (raw && !(o->is_go && *raw && go_name_changes(raw))) {
		__atomic_store_n(&s->name, raw, __ATOMIC_RELEASE);
		return raw;
	}
	if (mu) {
		pthread_mutex_lock(mu);
		known = die_name(t, o, c, s, NULL);
		pthread_mutex_unlock(mu);
		return known;
	}
	const char *name = raw;
	Dwarf_Die die;
	if (!raw && dwarf_offdie(o->dw, s->off, &die)) {
		static const int attrs[] = {DW_AT_MIPS_linkage_name, DW_AT_linkage_name, DW_AT_name};
		for (size_t i = c->go ? 2 : 0; i < CPROF_ARRAY_SIZE(attrs) && !name; i++) {
			Dwarf_Attribute a;
			if (dwarf_attr_integrate(&die, attrs[i], &a))
				name = dwarf_formstring(&a);
		}
	}
	known = !name ? "" : o->is_go ? go_name(t, name) : intern(t, name);
	__atomic_store_n(&s->name, known, __ATOMIC_RELEASE);
	return known;
}

/* ---- frames ---------------------------------------------------------------------------------- */

struct fbuf {
	struct cprof_frame *v;
	size_t n, a;
};

static void fbuf_add(struct fbuf *b, const char *func, const char *file, int64_t line, int64_t col)
{
	ALLOC_GROW(b->v, b->n + 1, b->a);
	b->v[b->n++] = (struct cprof_frame){func, file, line, col};
}

/* An inlined subroutine's call site, read once. */
static void sub_call_site(struct elfobj *o, struct sub *s, pthread_mutex_t *mu)
{
	if (!s->inlined || __atomic_load_n(&s->call_read, __ATOMIC_ACQUIRE))
		return;
	if (mu) {
		pthread_mutex_lock(mu);
		sub_call_site(o, s, NULL);
		pthread_mutex_unlock(mu);
		return;
	}
	Dwarf_Die die;
	Dwarf_Attribute a;
	Dwarf_Word v;
	if (dwarf_offdie(o->dw, s->off, &die)) {
		if (dwarf_attr(&die, DW_AT_call_file, &a) && !dwarf_formudata(&a, &v))
			s->call_file = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
		if (dwarf_attr(&die, DW_AT_call_line, &a) && !dwarf_formudata(&a, &v))
			s->call_line = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
		if (dwarf_attr(&die, DW_AT_call_column, &a) && !dwarf_formudata(&a, &v))
			s->call_col = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
	}
	__atomic_store_n(&s->call_read, true, __ATOMIC_RELEASE);
}

/* What llvm-symbolizer prints for addr, as frames (name NULL = "??", file NULL = "??"). */
static void dwarf_frames(struct cprof_objtool *t, struct elfobj *o, uint64_t addr, struct fbuf *b, struct fctx *x)
{
	load_dwarf(t, o);
	if (!o->dw)
		return;
	struct cu *c = cu_for_addr(o, addr);
	if (!c)
		return;
	if (!c->indexed)
		index_cu(o, c);
	read_lines(t, o, c);
	const struct seg *sg = seg_for_addr(c, addr, &x->seg_hint);
	const struct lrow *l = c->nlines ? line_for_addr(c, addr, &x->line_hint) : NULL;
	const char *lfile = NULL;
	int64_t lline = 0, lcol = 0;
	if (l) {
		lfile = l->file == UINT32_MAX ? NULL : cu_file(c, l->file);
		lline = l->line;
		lcol = l->col;
	}
	if (!sg) {
		if (l)
			fbuf_add(b, NULL, lfile, lline, lcol);
		return;
	}
	uint64_t call_file = 0, call_line = 0, call_col = 0;
	bool first = true;
	for (uint32_t si = sg->sub; si != CPROF_NONE; si = c->subs[si].parent) {
		struct sub *s = &c->subs[si];
		const char *name = die_name(t, o, c, s, x->mu);
		if (first) {
			fbuf_add(b, *name ? name : NULL, lfile, lfile ? lline : 0, lfile ? lcol : 0);
			first = false;
		} else {
			const char *f = cu_file(c, (size_t)call_file);
			fbuf_add(b, *name ? name : NULL, f, (int64_t)call_line, (int64_t)call_col);
		}
		sub_call_site(o, s, x->mu);
		call_file = s->call_file;
		call_line = s->call_line;
		call_col = s->call_col;
	}
}

/* ---- prefetching -------------------------------------------------------------------- */

static void compute_frames(struct cprof_objfile *f, uint64_t objaddr, bool fast, struct cprof_frame **frames,
			   size_t *n, struct fctx *x);

/*
 * Sort n values: LSD radix sort, a byte a pass, skipping the bytes where
 * every value has the same (most of an address's bytes, within one file).
 */
static void radix_sort_u64(uint64_t *v, size_t n)
{
	if (n < 2)
		return;
	uint64_t differ = 0;
	for (size_t i = 1; i < n; i++)
		differ |= v[i] ^ v[0];
	uint64_t *tmp = cprof_xmalloc(cprof_st_mult(n, sizeof(*tmp)));
	size_t count[256];
	for (unsigned shift = 0; shift < 64; shift += 8) {
		if (!((differ >> shift) & 0xff))
			continue;
		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++)
			count[(v[i] >> shift) & 0xff]++;
		for (size_t d = 0, sum = 0; d < 256; d++) {
			size_t c = count[d];
			count[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[count[(v[i] >> shift) & 0xff]++] = v[i];
		memcpy(v, tmp, n * sizeof(*v));
	}
	free(tmp);
}

/* Chunks of addresses taken at a time by each thread. */
#define PF_CHUNK 512
/*
 * From this many addresses on, the thread reads every unit's line table
 * before finding frames, and the caller waits for that and helps; fewer
 * are looked up on demand, reading only their units.
 */
#define PF_EAGER_MIN 2048

/* Find frames for chunks of o->pre_addr until none is left (or the prefetch stops). */
static void frames_work(struct prefetch *pf, struct elfobj *o, struct fctx *x)
{
	struct cprof_objfile f = {.t = pf->t, .o = o, .start = pf->start, .limit = pf->limit, .offset = pf->offset};
	for (;;) {
		if (atomic_load_explicit(&pf->stop, memory_order_relaxed))
			return;
		size_t i = atomic_fetch_add(&pf->next, PF_CHUNK);
		if (i >= o->npre)
			return;
		size_t end = i + PF_CHUNK < o->npre ? i + PF_CHUNK : o->npre;
		for (; i < end; i++) {
			struct cprof_frame *v;
			size_t nv;
			compute_frames(&f, o->pre_addr[i], false, &v, &nv, x);
			o->pre_fr[i] = v;
			o->pre_n[i] = (uint32_t)nv;
		}
	}
}

/*
 * The main mapping's addresses as object addresses, sorted and distinct,
 * into o->pre_addr; then their frames into o->pre_fr and o->pre_n, with
 * prefetch_finish's help once it is called.
 */
static void prefetch_frames(struct prefetch *pf, struct elfobj *o)
{
	struct cprof_objfile f = {.t = pf->t, .o = o, .start = pf->start, .limit = pf->limit, .offset = pf->offset};
	uint64_t *a = pf->addrs;
	size_t n = pf->naddrs, k = 0;
	if (!n)
		return;
	radix_sort_u64(a, n);
	o->pre_addr = cprof_xmalloc(cprof_st_mult(n, sizeof(*o->pre_addr)));
	for (size_t i = 0; i < n; i++) {
		struct cprof_error err = {0};
		uint64_t oa;
		if ((i && a[i] == a[i - 1]) || cprof_objfile_obj_addr(&f, a[i], &oa, &err))
			continue;
		if (k && oa <= o->pre_addr[k - 1])
			continue; /* not increasing (the base cannot move them back, but stay sorted) */
		o->pre_addr[k++] = oa;
	}
	o->pre_fr = cprof_xcalloc(k ? k : 1, sizeof(*o->pre_fr));
	o->pre_n = cprof_xmalloc(cprof_st_mult(k ? k : 1, sizeof(*o->pre_n)));
	for (size_t i = 0; i < k; i++)
		o->pre_n[i] = PRE_NONE;
	o->npre = k;
	pthread_mutex_lock(&pf->mu);
	atomic_store(&pf->phase, PF_FRAMES);
	pthread_cond_broadcast(&pf->cv);
	pthread_mutex_unlock(&pf->mu);
	frames_work(pf, o, &pf->fc);
}

static void prefetch_run(struct prefetch *pf)
{
	struct cprof_objtool *t = pf->t;
	struct elfobj *o = elfobj_open(pf->path, &pf->err);
	pf->o = o;
	if (!o || atomic_load_explicit(&pf->stop, memory_order_relaxed))
		return;
	load_symbols(t, o);
	if (atomic_load_explicit(&pf->stop, memory_order_relaxed))
		return;
	load_dwarf(t, o);
	size_t i = 0;
	for (; o->dw && i < o->ncus; i++) {
		if (atomic_load_explicit(&pf->stop, memory_order_relaxed))
			break;
		/* a few addresses: their units alone, on demand */
		if (atomic_load(&pf->have_addrs) && pf->naddrs < PF_EAGER_MIN)
			break;
		struct cu *c = &o->cus[i];
		if (!c->indexed)
			index_cu(o, c);
		read_lines(t, o, c);
	}
	pf->all_lines = o->dw && i == o->ncus;
	/* then what each subroutine's frame shows: its name and call site */
	for (size_t ci = 0; o->dw && ci < o->ncus; ci++) {
		if (atomic_load_explicit(&pf->stop, memory_order_relaxed) ||
		    atomic_load_explicit(&pf->have_addrs, memory_order_relaxed))
			break;
		struct cu *c = &o->cus[ci];
		for (size_t k = 0; k < c->nsubs; k++) {
			if (c->subs[k].raw)
				continue; /* cheap on demand, without libdw */
			die_name(t, o, c, &c->subs[k], NULL);
			sub_call_site(o, &c->subs[k], NULL);
		}
	}
	pthread_mutex_lock(&pf->mu);
	while (!atomic_load(&pf->have_addrs) && !atomic_load(&pf->stop))
		pthread_cond_wait(&pf->cv, &pf->mu);
	bool go = atomic_load(&pf->have_addrs);
	pthread_mutex_unlock(&pf->mu);
	if (go)
		prefetch_frames(pf, o);
}

static void *prefetch_main(void *arg)
{
	struct prefetch *pf = arg;
	prefetch_run(pf);
	pthread_mutex_lock(&pf->mu);
	atomic_store(&pf->phase, PF_DONE);
	pthread_cond_broadcast(&pf->cv);
	pthread_mutex_unlock(&pf->mu);
	return NULL;
}

void cprof_objtool_prefetch(struct cprof_objtool *t, const char *path)
{
	if (t->pf || !path || !*path)
		return;
	for (struct elfobj *o = t->objs; o; o = o->next)
		if (!strcmp(o->path, path))
			return;
	for (struct failed *x = t->failed; x; x = x->next)
		if (!strcmp(x->path, path))
			return;
	struct prefetch *pf = cprof_xcalloc(1, sizeof(*pf));
	pf->t = t;
	pf->path = cprof_xstrdup(path);
	atomic_init(&pf->stop, false);
	atomic_init(&pf->have_addrs, false);
	atomic_init(&pf->phase, PF_LOADING);
	atomic_init(&pf->next, 0);
	cprof_arena_init(&pf->farena);
	pf->fc.arena = &pf->farena;
	pf->fc.mu = &pf->names;
	pthread_mutex_init(&pf->mu, NULL);
	pthread_mutex_init(&pf->names, NULL);
	pthread_cond_init(&pf->cv, NULL);
	if (pthread_create(&pf->th, NULL, prefetch_main, pf)) {
		pthread_mutex_destroy(&pf->mu);
		pthread_mutex_destroy(&pf->names);
		pthread_cond_destroy(&pf->cv);
		free(pf->path);
		free(pf);
		return;
	}
	t->pf = pf;
}

static void prefetch_wake(struct prefetch *pf, const uint64_t *addrs, size_t n, bool stop)
{
	pthread_mutex_lock(&pf->mu);
	if (stop) {
		atomic_store(&pf->stop, true);
	} else if (!atomic_load(&pf->have_addrs)) {
		pf->addrs = cprof_xmalloc(cprof_st_mult(n ? n : 1, sizeof(*pf->addrs)));
		if (n)
			memcpy(pf->addrs, addrs, n * sizeof(*addrs));
		pf->naddrs = n;
		atomic_store(&pf->have_addrs, true);
	}
	pthread_cond_broadcast(&pf->cv);
	pthread_mutex_unlock(&pf->mu);
}

const char *cprof_objtool_prefetching(const struct cprof_objtool *t)
{
	return t->pf ? t->pf->path : NULL;
}

void cprof_objtool_prefetch_cancel(struct cprof_objtool *t)
{
	if (t->pf)
		prefetch_wake(t->pf, NULL, 0, true);
}

void cprof_objtool_prefetch_addresses(struct cprof_objtool *t, uint64_t start, uint64_t limit, uint64_t offset,
				      const uint64_t *addrs, size_t n)
{
	struct prefetch *pf = t->pf;
	if (!pf || atomic_load(&pf->have_addrs))
		return;
	pf->start = start; /* read by the thread only after the handoff below */
	pf->limit = limit;
	pf->offset = offset;
	prefetch_wake(pf, addrs, n, false);
}

/*
 * Wait for the second thread and take over what it read. When it was
 * given many addresses, the caller waits for the line tables and then
 * finds frames alongside it; otherwise the thread stops at its next step
 * and what is left is done on demand.
 */
static void prefetch_finish(struct cprof_objtool *t)
{
	struct prefetch *pf = t->pf;
	if (!pf)
		return;
	bool help = false;
	pthread_mutex_lock(&pf->mu);
	if (atomic_load(&pf->have_addrs) && pf->naddrs >= PF_EAGER_MIN) {
		while (atomic_load(&pf->phase) == PF_LOADING && !atomic_load(&pf->stop))
			pthread_cond_wait(&pf->cv, &pf->mu);
		help = atomic_load(&pf->phase) == PF_FRAMES && pf->all_lines;
	}
	pthread_mutex_unlock(&pf->mu);
	struct cprof_arena mine;
	cprof_arena_init(&mine);
	if (help) {
		struct fctx x = {.arena = &mine, .mu = &pf->names};
		frames_work(pf, pf->o, &x);
		free(x.scratch);
	} else {
		prefetch_wake(pf, NULL, 0, true);
	}
	pthread_join(pf->th, NULL);
	cprof_arena_adopt(&t->arena, &pf->farena);
	cprof_arena_adopt(&t->arena, &mine);
	free(pf->fc.scratch);
	pthread_mutex_destroy(&pf->mu);
	pthread_mutex_destroy(&pf->names);
	pthread_cond_destroy(&pf->cv);
	free(pf->addrs);
	t->pf = NULL;
	if (pf->o) {
		pf->o->next = t->objs;
		t->objs = pf->o;
	} else {
		struct failed *x = cprof_xcalloc(1, sizeof(*x));
		x->path = pf->path;
		x->err = pf->err;
		x->next = t->failed;
		t->failed = x;
		pf->path = NULL;
	}
	free(pf->path);
	free(pf);
}

/* Fibonacci hashing: the product's high bits depend on every bit of the key. */
static size_t cache_hash(uint64_t key, size_t size)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 32) & (size - 1);
}

static struct cache_ent *cache_slot(struct elfobj *o, uint64_t addr)
{
	if (o->ncache * 2 >= o->acache) {
		size_t na = o->acache ? o->acache * 2 : 1024;
		struct cache_ent *nv = cprof_xcalloc(na, sizeof(*nv));
		for (size_t i = 0; i < o->acache; i++) {
			if (!o->cache[i].used)
				continue;
			size_t h = cache_hash(o->cache[i].addr, na);
			while (nv[h].used)
				h = (h + 1) & (na - 1);
			nv[h] = o->cache[i];
		}
		free(o->cache);
		o->cache = nv;
		o->acache = na;
	}
	size_t h = cache_hash(addr, o->acache);
	while (o->cache[h].used && o->cache[h].addr != addr)
		h = (h + 1) & (o->acache - 1);
	return &o->cache[h];
}

/* The frames at objaddr, computed (into x's arena). */
static void compute_frames(struct cprof_objfile *f, uint64_t objaddr, bool fast, struct cprof_frame **frames,
			   size_t *n, struct fctx *x)
{
	struct elfobj *o = f->o;
	struct cprof_objtool *t = f->t;
	struct fbuf b = {x->scratch, 0, x->ascratch};
	load_symbols(t, o);
	if (fast) {
		const struct esym *s = nm_lookup(o, objaddr);
		if (s)
			fbuf_add(&b, s->name, "", 0, 0);
	} else {
		dwarf_frames(t, o, objaddr, &b, x);
		const struct esym *s = symtab_lookup(o, objaddr, &x->lsym_hint);
		if (s) {
			if (b.n == 0)
				fbuf_add(&b, NULL, NULL, 0, 0);
			struct cprof_frame *last = &b.v[b.n - 1];
			last->func = s->name;
			if (!last->file) {
				const char *fn = symtab_file(o, s);
				if (fn)
					last->file = fn;
			}
		}
		/* pprof reads "??" as empty and drops frames with nothing in them */
		size_t k = 0;
		for (size_t i = 0; i < b.n; i++) {
			struct cprof_frame fr = b.v[i];
			if (!fr.func)
				fr.func = "";
			if (!fr.file) {
				fr.file = "";
				if (fr.line == 0)
					fr.column = 0;
				else
					fr.file = "??";
			}
			if (!*fr.func && !*fr.file && fr.line == 0)
				continue;
			b.v[k++] = fr;
		}
		b.n = k;
	}
	*n = b.n;
	*frames = b.n ? cprof_arena_memdup(x->arena, b.v, b.n, sizeof(*b.v)) : NULL;
	x->scratch = b.v;
	x->ascratch = b.a;
}

int cprof_objfile_frames_obj(struct cprof_objfile *f, uint64_t objaddr, bool fast,
			     const struct cprof_frame **frames, size_t *n)
{
	prefetch_finish(f->t);
	struct elfobj *o = f->o;
	uint64_t key = objaddr * 2 + (fast ? 1 : 0);
	struct cache_ent *e = cache_slot(o, key);
	if (!e->used) {
		struct cprof_frame *v;
		size_t nv;
		compute_frames(f, objaddr, fast, &v, &nv, &f->t->fc);
		e = cache_slot(o, key); /* computing does not touch the cache, but stay safe */
		e->addr = key;
		e->used = 1;
		e->n = (uint32_t)nv;
		e->frames = v;
		o->ncache++;
	}
	*frames = e->frames;
	*n = e->n;
	return 0;
}

int cprof_objfile_frames_once(struct cprof_objfile *f, uint64_t addr, bool fast,
			      const struct cprof_frame **frames, size_t *n, struct cprof_error *err)
{
	uint64_t oa;
	struct cprof_frame *v;
	struct elfobj *o = f->o;
	prefetch_finish(f->t);
	*frames = NULL;
	*n = 0;
	if (cprof_objfile_obj_addr(f, addr, &oa, err))
		return -1;
	if (!fast && o->npre) {
		size_t i = upper_bound_near(o->pre_addr, sizeof(*o->pre_addr), o->npre, oa, &o->pre_hint);
		if (i && o->pre_addr[i - 1] == oa && o->pre_n[i - 1] != PRE_NONE) {
			*frames = o->pre_fr[i - 1];
			*n = o->pre_n[i - 1];
			return 0;
		}
	}
	compute_frames(f, oa, fast, &v, n, &f->t->fc);
	*frames = v;
	return 0;
}

int cprof_objfile_frames(struct cprof_objfile *f, uint64_t addr, bool fast,
			 const struct cprof_frame **frames, size_t *n, struct cprof_error *err)
{
	uint64_t oa;
	*frames = NULL;
	*n = 0;
	if (cprof_objfile_obj_addr(f, addr, &oa, err))
		return -1;
	return cprof_objfile_frames_obj(f, oa, fast, frames, n);
}

const char *cprof_objfile_symbol_at(struct cprof_objfile *f, uint64_t objaddr, uint64_t *start)
{
	prefetch_finish(f->t);
	load_symbols(f->t, f->o);
	const struct esym *s = symtab_lookup(f->o, objaddr, &f->t->fc.lsym_hint);
	if (!s)
		return NULL;
	if (start)
		*start = s->addr;
	return s->name;
}

bool cprof_objfile_has_dwarf(const struct cprof_objfile *f)
{
	return f->o->dw != NULL;
}

const char *cprof_objfile_debug_path(const struct cprof_objfile *f)
{
	return f->o->dpath ? f->o->dpath : "";
}

/* ---- symbols and code --------------------------------------------------------------------------- */

static void load_dwarf(struct cprof_objtool *t, struct elfobj *o);

struct nmsym {
	uint64_t addr;
	const char *name;
};

static int cmp_nmsym(const void *a, const void *b)
{
	const struct nmsym *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * What `nm -n` lists: every defined symbol but file and section symbols,
 * by (address, name). A stripped file borrows the .symtab of its separate
 * debug file (nm would list nothing).
 */
static size_t nm_symbols(struct cprof_objtool *t, struct elfobj *o, struct nmsym **out)
{
	struct nmsym *v = NULL;
	size_t n = 0, a = 0;
	Elf *elf = o->elf;
	bool has_symtab = false;
	for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn && !has_symtab; scn = elf_nextscn(elf, scn)) {
		GElf_Shdr sh;
		has_symtab = gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB;
	}
	if (!has_symtab) {
		load_dwarf(t, o);
		if (o->delf)
			elf = o->delf;
	}
	for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn; scn = elf_nextscn(elf, scn)) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || sh.sh_entsize == 0)
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		size_t count = sh.sh_size / sh.sh_entsize;
		for (size_t i = 1; i < count; i++) {
			GElf_Sym sym;
			if (!gelf_getsym(data, (int)i, &sym) || sym.st_shndx == SHN_UNDEF)
				continue;
			int type = GELF_ST_TYPE(sym.st_info);
			if (type == STT_FILE || type == STT_SECTION)
				continue;
			const char *name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (!name || !*name)
				continue;
			ALLOC_GROW(v, n + 1, a);
			v[n++] = (struct nmsym){sym.st_value, intern(t, name)};
		}
		break;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_nmsym);
	*out = v;
	return n;
}

/* pprof's matchSymbol: the names to show for the group, or 0 names. */
static size_t match_group(struct cprof_objtool *t, const struct nmsym *g, size_t ng, uint64_t end,
			  const struct cprof_regex *re, uint64_t addr, const char ***names)
{
	if (addr != 0 && addr >= g[0].addr && addr <= end) {
		*names = cprof_xcalloc(ng, sizeof(**names));
		for (size_t i = 0; i < ng; i++)
			(*names)[i] = g[i].name;
		return ng;
	}
	static const enum cprof_demangle_mode modes[] = {CPROF_DEMANGLE_FULL, CPROF_DEMANGLE_TEMPLATES,
							 CPROF_DEMANGLE_DEFAULT};
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < ng; i++) {
		const char *hit = NULL;
		if (!re || cprof_regex_match(re, g[i].name))
			hit = g[i].name;
		for (size_t m = 0; !hit && m < CPROF_ARRAY_SIZE(modes); m++) {
			strbuf_reset(&sb);
			if (cprof_demangle_itanium(g[i].name, modes[m], &sb) && cprof_regex_match(re, sb.buf))
				hit = intern(t, sb.buf);
		}
		if (hit) {
			strbuf_release(&sb);
			*names = cprof_xcalloc(1, sizeof(**names));
			(*names)[0] = hit;
			return 1;
		}
	}
	strbuf_release(&sb);
	return 0;
}

size_t cprof_objfile_symbols(struct cprof_objfile *f, const struct cprof_regex *re, uint64_t addr,
			     struct cprof_sym **out)
{
	struct nmsym *v;
	prefetch_finish(f->t);
	size_t nv = nm_symbols(f->t, f->o, &v);
	struct cprof_sym *res = NULL;
	size_t n = 0, a = 0;
	for (size_t i = 0; i < nv;) {
		size_t j = i;
		while (j < nv && v[j].addr == v[i].addr)
			j++;
		/* a group ends before the next address; the last one at the end of the list */
		uint64_t end = j < nv ? v[j].addr - 1 : UINT64_MAX;
		const char **names;
		size_t nn = match_group(f->t, v + i, j - i, end, re, addr, &names);
		if (nn) {
			ALLOC_GROW(res, n + 1, a);
			res[n++] = (struct cprof_sym){names, nn, v[i].addr, end};
		}
		i = j;
	}
	free(v);
	*out = res;
	return n;
}

void cprof_syms_free(struct cprof_sym *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].names);
	free(v);
}

int cprof_objfile_code(struct cprof_objfile *f, uint64_t start, uint64_t end, const unsigned char **data,
		       size_t *n)
{
	struct elfobj *o = f->o;
	for (size_t i = 0; i < o->nph; i++) {
		const GElf_Phdr *p = &o->ph[i];
		if (p->p_type != PT_LOAD || start < p->p_vaddr || start >= p->p_vaddr + p->p_filesz)
			continue;
		size_t fsize = 0;
		char *raw = elf_rawfile(o->elf, &fsize);
		uint64_t off = p->p_offset + (start - p->p_vaddr);
		if (!raw || off >= fsize)
			return -1;
		uint64_t len = end > start ? end - start : 0;
		uint64_t seg_left = p->p_vaddr + p->p_filesz - start;
		if (len > seg_left)
			len = seg_left;
		if (len > fsize - off)
			len = fsize - off;
		*data = (const unsigned char *)raw + off;
		*n = (size_t)len;
		return 0;
	}
	return -1;
}
