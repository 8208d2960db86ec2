/*
 * objfile_code.c - code bytes: the bytes of a range of object addresses,
 * from the loadable segment that holds them, for the disassembler
 * (-disasm, -weblist).
 *
 * Its own file because it is the one answer that is not a name or a
 * line: it reads the file's program headers and its mapped image, and
 * nothing from the DWARF or the symbol tables.
 */
#include <gelf.h>

#include "src/symbolize/objfile_internal.h"

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
