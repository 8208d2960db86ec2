/*
 * objfile_debugfile.c - where an object's DWARF lives, and getting it
 * ready for libdw: the separate debug file (by build id in each debug
 * directory, then by .gnu_debuglink with its CRC beside the binary, in its
 * .debug/ directory and under <debug dir>/<binary's directory>/), and the
 * compressed debug sections, of which only those symbolization reads are
 * inflated (with libdeflate when there is one).
 *
 * Its own file because it is the one step that looks outside the binary:
 * the paths tried, and in which order, decide which DWARF the frames come
 * from (gdb's and llvm-symbolizer's order, so that the frames agree).
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#ifdef CPROF_HAVE_LIBDEFLATE
#include <libdeflate.h>
#endif

#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>

#include "src/symbolize/objfile_internal.h"

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

bool of_has_debug_info(Elf *elf)
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
void of_hide_unread_sections(Elf *elf)
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
 * of_hide_unread_sections) itself, hands the result to libelf as the section's
 * data and clears SHF_COMPRESSED in its private copy of the header, so that
 * libdw reads the data as it is. The buffers live in o->zbufs until the Elf
 * is closed. A section that fails here stays compressed, for libdw to try.
 */
void of_inflate_sections(struct elfobj *o, Elf *elf)
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
	if (!elf || elf_kind(elf) != ELF_K_ELF || !of_has_debug_info(elf)) {
		if (elf)
			elf_end(elf);
		close(fd);
		return false;
	}
	of_hide_unread_sections(elf);
	of_inflate_sections(o, elf);
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

bool of_find_debug_file(struct cprof_objtool *t, struct elfobj *o)
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
