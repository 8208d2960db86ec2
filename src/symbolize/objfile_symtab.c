/*
 * objfile_symtab.c - symbol tables, step 5 of the recipe (objfile.c): the
 * ELF symbols that name a frame (llvm-symbolizer's view: .symtab, else
 * .dynsym, one symbol per address, the largest), pprof's nm-style lookup
 * for -symbolize=fastlocal, and the symbol list that -disasm and -list
 * search (what `nm -n` prints, cprof_objfile_symbols).
 *
 * Its own file because symbols are the one source of names a binary
 * without DWARF has, and the nm view and llvm-symbolizer's view of the
 * same tables differ in ways both must keep.
 */
#include <gelf.h>
#include <stdlib.h>
#include <string.h>

#include "src/symbolize/objfile_internal.h"

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
				o->fsyms[o->nfsyms].name = of_intern(t, name);
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
		e->s.name = o->is_go ? of_go_name(t, name) : of_intern(t, name);
		e->s.idx = GELF_ST_BIND(sym.st_info) == STB_LOCAL ? (uint32_t)i : 0;
		e->s.is_func = type == STT_FUNC || type == STT_GNU_IFUNC;
		e->s.is_data = type == STT_OBJECT;
		e->pos = *n;
		(*n)++;
		added++;
	}
	return added;
}

void of_load_symbols(struct cprof_objtool *t, struct elfobj *o)
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
const struct esym *of_symtab_lookup(const struct elfobj *o, uint64_t addr, size_t *hint)
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

const char *of_symtab_file(const struct elfobj *o, const struct esym *s)
{
	if (!s->idx)
		return NULL;
	const char *name = NULL;
	for (size_t i = 0; i < o->nfsyms && o->fsyms[i].idx < s->idx; i++)
		name = o->fsyms[i].name;
	return name;
}

/* pprof's addr2LinerNM lookup (fastlocal): nearest symbol at or below addr. */
const struct esym *of_nm_lookup(const struct elfobj *o, uint64_t addr)
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
		of_load_dwarf(t, o);
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
			v[n++] = (struct nmsym){sym.st_value, of_intern(t, name)};
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
				hit = of_intern(t, sb.buf);
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
	of_prefetch_finish(f->t);
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

const char *cprof_objfile_symbol_at(struct cprof_objfile *f, uint64_t objaddr, uint64_t *start)
{
	of_prefetch_finish(f->t);
	of_load_symbols(f->t, f->o);
	const struct esym *s = of_symtab_lookup(f->o, objaddr, &f->t->fc.lsym_hint);
	if (!s)
		return NULL;
	if (start)
		*start = s->addr;
	return s->name;
}
