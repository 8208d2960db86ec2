/*
 * objfile_lines.c - line tables, step 4 of the recipe (objfile.c): a
 * unit's line program decoded once into rows sorted as libdw sorts them
 * (decode_lines, libdw where it is unusual), and its file names formed
 * as llvm-symbolizer forms them (read_file_names), so that the innermost
 * frame's file and line are the ones pprof prints.
 *
 * Its own file because both readers of a unit's .debug_line program are
 * here, its header's file table and its rows, and nothing else reads that
 * section.
 */
#include <stdlib.h>
#include <string.h>

#include <dwarf.h>
#include <elfutils/libdw.h>

#include "src/symbolize/objfile_internal.h"

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
	of_read_sections(o);
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
			c->fnames[i] = of_intern(t, sb.buf);
		} else {
			c->fnames[i] = of_intern(t, names[i]);
		}
	}
	strbuf_release(&sb);
	free(dirs);
	free(names);
	free(didx);
}

const char *of_cu_file(const struct cu *c, size_t idx)
{
	return idx < c->nfnames ? c->fnames[idx] : NULL;
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

void of_read_lines(struct cprof_objtool *t, struct elfobj *o, struct cu *c)
{
	if (c->lines_read)
		return;
	c->lines_read = true;
	Dwarf_Die cudie;
	if (!dwarf_offdie(o->dw, c->off, &cudie))
		return;
	Dwarf_Attribute a;
	Dwarf_Word stmt;
	of_read_sections(o);
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
const struct lrow *of_line_for_addr(const struct cu *c, uint64_t addr, size_t *hint)
{
	size_t lo = upper_bound_near(c->laddr, sizeof(*c->laddr), c->nlines, addr, hint);
	if (lo == 0 || c->rows[lo - 1].end)
		return NULL;
	return &c->rows[lo - 1];
}

