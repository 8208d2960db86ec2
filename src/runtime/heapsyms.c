/*
 * heapsyms.c - the symbols of a Go binary that name a heap dump's roots:
 * data objects (global variables, for the data and bss pointer slots) and
 * functions (finalizers), from the ELF symbol table (.symtab, else
 * .dynsym), with libelf.
 *
 * The dump gives the data and bss segments' run-time addresses; the Go
 * linker marks their starts with the symbols runtime.data and
 * runtime.bss (else the .data and .bss sections' addresses are used), so
 * the difference is the load bias of a position-independent binary (0
 * otherwise).
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cprof/heapdump.h"

struct hsym {
	uint64_t start, size;
	const char *name;
};

struct cprof_heapsyms {
	struct hsym *data, *func;
	size_t ndata, adata, nfunc, afunc;
	uint64_t data_start, bss_start; /* binary addresses; 0 if unknown */
	uint64_t data_end, bss_end;     /* runtime.edata, runtime.ebss; 0 if unknown */
	struct cprof_arena arena;
};

static int cmp_hsym(const void *a, const void *b)
{
	const struct hsym *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	/* the larger symbol first, so that a lookup lands on the innermost last */
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void read_symtab(struct cprof_heapsyms *s, Elf *elf, Elf_Scn *scn, GElf_Shdr *sh)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	if (!data || !sh->sh_entsize)
		return;
	size_t n = sh->sh_size / sh->sh_entsize;
	for (size_t i = 0; i < n; i++) {
		GElf_Sym sym;
		if (!gelf_getsym(data, (int)i, &sym) || sym.st_shndx == SHN_UNDEF)
			continue;
		const char *name = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		int type = GELF_ST_TYPE(sym.st_info);
		if (!strcmp(name, "runtime.data"))
			s->data_start = sym.st_value;
		else if (!strcmp(name, "runtime.bss"))
			s->bss_start = sym.st_value;
		else if (!strcmp(name, "runtime.edata"))
			s->data_end = sym.st_value;
		else if (!strcmp(name, "runtime.ebss"))
			s->bss_end = sym.st_value;
		if (!sym.st_size || (type != STT_OBJECT && type != STT_FUNC))
			continue;
		struct hsym h = {sym.st_value, sym.st_size, cprof_arena_strndup(&s->arena, name, strlen(name))};
		if (type == STT_OBJECT) {
			ALLOC_GROW(s->data, s->ndata + 1, s->adata);
			s->data[s->ndata++] = h;
		} else {
			ALLOC_GROW(s->func, s->nfunc + 1, s->afunc);
			s->func[s->nfunc++] = h;
		}
	}
}

int cprof_heapsyms_load(const char *path, struct cprof_heapsyms **out, struct cprof_error *err)
{
	*out = NULL;
	elf_version(EV_CURRENT);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cprof_error_set(err, CPROF_E_IO, "cannot open '%s': %s", path, strerror(errno));
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		if (elf)
			elf_end(elf);
		close(fd);
		return cprof_error_set(err, CPROF_E_FORMAT, "'%s' is not an ELF binary", path);
	}
	struct cprof_heapsyms *s = cprof_xcalloc(1, sizeof(*s));
	cprof_arena_init(&s->arena);
	uint64_t sec_data = 0, sec_bss = 0;
	size_t shstrndx = 0;
	bool have_symtab = false;
	elf_getshdrstrndx(elf, &shstrndx);
	for (int pass = 0; pass < 2; pass++) {
		for (Elf_Scn *scn = NULL; (scn = elf_nextscn(elf, scn));) {
			GElf_Shdr sh;
			if (!gelf_getshdr(scn, &sh))
				continue;
			if (pass == 0) {
				const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
				if (name && !strcmp(name, ".data"))
					sec_data = sh.sh_addr;
				else if (name && !strcmp(name, ".bss"))
					sec_bss = sh.sh_addr;
				if (sh.sh_type == SHT_SYMTAB) {
					read_symtab(s, elf, scn, &sh);
					have_symtab = true;
				}
			} else if (!have_symtab && sh.sh_type == SHT_DYNSYM) {
				read_symtab(s, elf, scn, &sh);
			}
		}
	}
	elf_end(elf);
	close(fd);
	if (!s->data_start)
		s->data_start = sec_data;
	if (!s->bss_start)
		s->bss_start = sec_bss;
	if (s->ndata)
		qsort(s->data, s->ndata, sizeof(*s->data), cmp_hsym);
	if (s->nfunc)
		qsort(s->func, s->nfunc, sizeof(*s->func), cmp_hsym);
	*out = s;
	return 0;
}

void cprof_heapsyms_free(struct cprof_heapsyms *s)
{
	if (!s)
		return;
	free(s->data);
	free(s->func);
	cprof_arena_release(&s->arena);
	free(s);
}

int cprof_heapsyms_check(const struct cprof_heapsyms *s, const struct cprof_heapdump *d, struct cprof_error *err)
{
	if (!s->ndata && !s->nfunc)
		return cprof_error_set(err, CPROF_E_INCOMPATIBLE, "no symbol table (a stripped binary names nothing)");
	if (!s->data_end && !s->bss_end)
		return cprof_error_set(err, CPROF_E_INCOMPATIBLE,
				       "not a Go program (no runtime.edata or runtime.ebss symbol)");
	const struct {
		const char *name;
		const struct cprof_heapdump_segment *seg;
		uint64_t start, end;
	} segs[] = {{"data", &d->data, s->data_start, s->data_end}, {"bss", &d->bss, s->bss_start, s->bss_end}};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(segs); i++) {
		if (!segs[i].seg->present || !segs[i].start || segs[i].end < segs[i].start)
			continue;
		uint64_t n = segs[i].end - segs[i].start;
		if (n != segs[i].seg->size)
			return cprof_error_set(err, CPROF_E_INCOMPATIBLE,
					       "not the program that wrote the dump: its %s segment has %llu bytes, the dump's %llu",
					       segs[i].name, (unsigned long long)n, (unsigned long long)segs[i].seg->size);
	}
	return 0;
}

uint64_t cprof_heapsyms_bias(const struct cprof_heapsyms *s, const struct cprof_heapdump *d)
{
	if (d->data.present && s->data_start)
		return d->data.addr - s->data_start;
	if (d->bss.present && s->bss_start)
		return d->bss.addr - s->bss_start;
	return 0;
}

const char *cprof_heapsyms_find(const struct cprof_heapsyms *s, uint64_t addr, uint64_t bias, bool data,
				uint64_t *start)
{
	const struct hsym *v = data ? s->data : s->func;
	size_t n = data ? s->ndata : s->nfunc, lo = 0, hi = n;
	uint64_t a = addr - bias;
	while (lo < hi) { /* the first symbol starting after a */
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].start <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* symbols may nest (rarely): look back a few for one that holds a */
	for (size_t i = lo, k = 0; i > 0 && k < 8; i--, k++) {
		const struct hsym *h = &v[i - 1];
		if (a - h->start < h->size) {
			*start = h->start + bias;
			return h->name;
		}
	}
	return NULL;
}
