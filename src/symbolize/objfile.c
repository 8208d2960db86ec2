/*
 * objfile.c - ELF object files for symbolization: load bias, frames at an
 * address (DWARF with inline frames, symbol tables), symbols, code bytes;
 * here the tool and step 1 below, the other steps in objfile_*.c.
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
 *
 * The layer is one file a step (the map is in objfile_internal.h). This
 * one holds the tool, which every step shares (its caches of open files,
 * its strings), and step 1: opening an ELF file and the load bias that
 * turns a runtime address into an object address, as pprof computes it.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>

#include "src/symbolize/objfile_internal.h"

const char *of_intern(struct cprof_objtool *t, const char *s)
{
	return s ? cprof_strtab_intern(&t->strs, s, strlen(s)) : "";
}

/*
 * A Go function name as the Go runtime prints it: the linker writes the
 * runtime's names with the type arguments of a generic instantiation
 * shortened to "[...]" ("main.sum[go.shape.float64_0]" is "main.sum[...]"),
 * and ABI0 assembly functions without their ".abi0" symbol suffix.
 */
const char *of_go_name(struct cprof_objtool *t, const char *name)
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
	of_prefetch_finish(t);
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

struct elfobj *of_elfobj_open(const char *path, struct cprof_error *err)
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
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP_PRIVATE, NULL); /* writable: of_hide_unread_sections */
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
		of_prefetch_finish(t);
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
		o = of_elfobj_open(path, err);
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

bool cprof_objfile_has_dwarf(const struct cprof_objfile *f)
{
	return f->o->dw != NULL;
}

const char *cprof_objfile_debug_path(const struct cprof_objfile *f)
{
	return f->o->dpath ? f->o->dpath : "";
}
