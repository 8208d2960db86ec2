/*
 * objfile_dwarf.c - the DWARF unit index, steps 2 and 3 of the recipe
 * (objfile.c): the units and their address ranges, read once per file,
 * and for each unit, on first use, its subroutine DIEs with the disjoint
 * address segments that name the deepest one, from which an address's
 * inline chain is read (objfile_frames.c).
 *
 * Its own file because it is the costly part of symbolization: a unit's
 * DIEs are walked in one pass over .debug_info with the unit's
 * abbreviation table (walk_raw), without libdw's second parse of every
 * subtree it skips, reading on the way what frames need later (names,
 * origins, call sites); libdw walks the units walk_raw does not know.
 */
#include <stdlib.h>
#include <string.h>

#include <dwarf.h>
#include <elfutils/libdw.h>

#include "src/symbolize/objfile_internal.h"

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
void of_read_sections(struct elfobj *o)
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

static int cmp_cur(const void *a, const void *b)
{
	const struct cu_range *x = a, *y = b;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->cu < y->cu ? -1 : x->cu > y->cu;
}

void of_load_dwarf(struct cprof_objtool *t, struct elfobj *o)
{
	if (o->dw_tried)
		return;
	o->dw_tried = true;
	if (!of_find_debug_file(t, o) && of_has_debug_info(o->elf)) {
		of_hide_unread_sections(o->elf);
		of_inflate_sections(o, o->elf);
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

/* The attributes of a subroutine DIE that walk_raw reads for of_die_name and of_sub_call_site. */
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
	of_read_sections(o);
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
void of_index_cu(struct elfobj *o, struct cu *c)
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

struct cu *of_cu_for_addr(struct elfobj *o, uint64_t addr)
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

const struct seg *of_seg_for_addr(const struct cu *c, uint64_t addr, size_t *hint)
{
	size_t lo = c->nsegs ? upper_bound_near(&c->segs[0].lo, sizeof(*c->segs), c->nsegs, addr, hint) : 0;
	if (lo == 0 || addr >= c->segs[lo - 1].hi)
		return NULL;
	return &c->segs[lo - 1];
}
