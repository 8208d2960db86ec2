/*
 * disasm.c - the -disasm=regex report: the assembly of every symbol that
 * matches, annotated with samples (pprof's PrintAssembly, report.go).
 *
 *   Total: 298ms
 *   ROUTINE ======================== cmp_u32
 *         62ms       62ms (flat, cum) 20.81% of Total
 *         10ms       10ms       1350: movl	(%rdi), %edx                       ;cmp_u32 symc.c:43
 *                                                                           ;cmp_u32 symc.c:44
 *          6ms        6ms       1354: movl	$0xffffffff, %eax
 *
 * Symbols come from the binaries of the mappings with matching samples
 * (or holding the address, when the regex is a number), grouped by
 * address as pprof reads `nm -n`; sorted by name then address; only those
 * with samples are printed. Per instruction "%10s %10s %10x: %s", with
 * "%-40s;<function> <file>:<line>" when the location changes (on a line
 * of its own, "%74s;...", before an instruction of 40 characters or
 * more). Samples between two instructions count for the first.
 *
 * The instructions come from capstone (render/asm.c), not objdump: their
 * text is capstone's AT&T (or Intel) syntax.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/units.h"
#include "render/asm.h"
#include "render/report_graph.h"

struct dsym {
	struct cprof_sym sym;
	struct cprof_objfile *f;
	struct cprof_node **nodes;
	size_t n, alloc;
};

/* Go's strconv.ParseUint(s, 0, 64). */
static bool parse_address(const char *s, uint64_t *out)
{
	int base = 10;
	const char *p = s;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		base = 16, p += 2;
	else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O'))
		base = 8, p += 2;
	else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B'))
		base = 2, p += 2;
	else if (p[0] == '0' && p[1])
		base = 8, p += 1;
	if (!*p)
		return base == 10 && *s ? (*out = 0, true) : false;
	uint64_t v = 0;
	bool under_ok = base != 10 || p != s;
	char prev = '_';
	for (; *p; p++) {
		int d;
		if (*p == '_' && under_ok && prev != '_') {
			prev = '_';
			continue;
		}
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'z')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'Z')
			d = *p - 'A' + 10;
		else
			return false;
		if (d >= base || v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return false;
		v = v * (uint64_t)base + (uint64_t)d;
		prev = *p;
	}
	if (prev == '_')
		return false;
	*out = v;
	return true;
}

static int cmp_dsym(const void *a, const void *b)
{
	const struct dsym *x = a, *y = b;
	int c = strcmp(x->sym.names[0], y->sym.names[0]);
	if (c)
		return c;
	return x->sym.start < y->sym.start ? -1 : x->sym.start > y->sym.start;
}

static void value_or_dot(const struct cprof_report *rpt, int64_t v, struct strbuf *buf)
{
	strbuf_reset(buf);
	if (v == 0)
		strbuf_addch(buf, '.');
	else
		cprof_report_format_value(rpt, v, buf);
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s && s[1] ? s + 1 : p;
}

/* Characters (runes) of s, as Go's %-40s counts them. */
static size_t runes(const char *s)
{
	return cprof_utf8_runes(s, strlen(s));
}

static void print_routine(const struct cprof_report *rpt, struct dsym *s, const struct asm_list *insts,
			  struct strbuf *out)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, loc = STRBUF_INIT;
	int64_t flat_sum = 0, cum_sum = 0;
	for (size_t i = 0; i < s->n; i++) {
		flat_sum = cprof_add_wrap(flat_sum, s->nodes[i]->flat);
		cum_sum = cprof_add_wrap(cum_sum, s->nodes[i]->cum);
	}
	strbuf_addf(out, "ROUTINE ======================== %s\n", s->sym.names[0]);
	for (size_t i = 1; i < s->sym.nnames; i++)
		strbuf_addf(out, "    AKA ======================== %s\n", s->sym.names[i]);
	cprof_report_format_value(rpt, flat_sum, &a);
	cprof_report_format_value(rpt, cum_sum, &b);
	strbuf_addf(out, "%10s %10s (flat, cum) ", a.buf, b.buf);
	cprof_percentage(cum_sum, rpt->total, out);
	strbuf_addstr(out, " of Total\n");

	/* annotateAssembly: samples (by address) summed into the instruction at or before them */
	cprof_nodes_sort(s->nodes, s->n, CPROF_ORDER_ADDRESS);
	size_t si = 0;
	const char *function = "", *file = "";
	int64_t line = 0;
	for (size_t i = 0; i < insts->n; i++) {
		const struct asm_inst *in = &insts->v[i];
		uint64_t next = i + 1 < insts->n ? insts->v[i + 1].addr : UINT64_MAX;
		int64_t flat = 0, cum = 0, flat_div = 0, cum_div = 0;
		const char *ifile = in->file[0] ? base_name(in->file) : "";
		const char *ifunc = in->func;
		int64_t iline = in->line;
		for (; si < s->n; si++) {
			uint64_t oa;
			struct cprof_error e = {0};
			if (cprof_objfile_obj_addr(s->f, s->nodes[si]->info.address, &oa, &e) || oa >= next)
				break;
			const struct cprof_node *n = s->nodes[si];
			flat = cprof_add_wrap(flat, n->flat), flat_div = cprof_add_wrap(flat_div, n->flat_div);
			cum = cprof_add_wrap(cum, n->cum), cum_div = cprof_add_wrap(cum_div, n->cum_div);
			if (n->info.file[0] && !ifile[0])
				ifile = base_name(n->info.file);
			if (n->info.lineno && !iline)
				iline = n->info.lineno;
			if (n->info.name[0] && !ifunc[0])
				ifunc = n->info.name;
		}
		int64_t fv = flat_div ? cprof_div_wrap(flat, flat_div) : flat;
		int64_t cv = cum_div ? cprof_div_wrap(cum, cum_div) : cum;
		strbuf_reset(&loc);
		if (strcmp(ifunc, function) || strcmp(ifile, file) || iline != line) {
			function = ifunc, file = ifile, line = iline;
			if (ifunc[0])
				strbuf_addf(&loc, "%s ", ifunc);
			if (ifile[0]) {
				strbuf_addstr(&loc, ifile);
				if (iline)
					strbuf_addf(&loc, ":%lld", (long long)iline);
			}
		}
		value_or_dot(rpt, fv, &a);
		value_or_dot(rpt, cv, &b);
		if (!loc.len) {
			strbuf_addf(out, "%10s %10s %10llx: %s\n", a.buf, b.buf, (unsigned long long)in->addr, in->text);
		} else if (strlen(in->text) < 40) {
			strbuf_addf(out, "%10s %10s %10llx: %s", a.buf, b.buf, (unsigned long long)in->addr, in->text);
			for (size_t k = runes(in->text); k < 40; k++)
				strbuf_addch(out, ' ');
			strbuf_addf(out, ";%s\n", loc.buf);
		} else {
			strbuf_addf(out, "%74s;%s\n", "", loc.buf);
			strbuf_addf(out, "%10s %10s %10llx: %s\n", a.buf, b.buf, (unsigned long long)in->addr, in->text);
		}
	}
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&loc);
}

int cprof_render_disasm(struct cprof_report *rpt, struct strbuf *out, struct cprof_error *err)
{
	const struct cprof_regex *re = rpt->opt.symbol;
	struct cprof_profile *p = rpt->prof;
	struct report_graph_mode mode = {.obj_names = true};
	struct cprof_graph *g = report_new_graph(rpt, &mode, NULL);
	struct cprof_objtool *own = NULL, *tool = rpt->opt.obj;
	if (!tool)
		tool = own = cprof_objtool_new(NULL);
	uint64_t address = 0;
	bool have_address = re && parse_address(cprof_regex_pattern(re), &address);

	strbuf_addstr(out, "Total: ");
	cprof_report_format_value(rpt, rpt->total, out);
	strbuf_addch(out, '\n');

	/* symbolsFromBinaries: mappings whose file has matching samples */
	struct dsym *syms = NULL;
	size_t nsyms = 0, asyms = 0;
	for (size_t mi = 0; mi < p->nmapping; mi++) {
		const struct cprof_mapping *m = &p->mapping[mi];
		bool has = false;
		for (size_t i = 0; i < g->nnodes && !has; i++) {
			const struct cprof_node *n = g->nodes[i];
			has = n->info.objfile[0] && !strcmp(n->info.objfile, m->file) &&
			      (!re || cprof_regex_match(re, n->printable));
		}
		if (!has && !(have_address && m->start <= address && address <= m->limit))
			continue;
		struct cprof_error e = {0};
		struct cprof_objfile *f = cprof_objtool_open(tool, m->file, m->start, m->limit, m->offset, &e);
		if (!f) {
			strbuf_addf(out, "%s\n", cprof_error_msg(&e)); /* pprof prints it on stdout */
			continue;
		}
		struct cprof_sym *ms;
		size_t nms = cprof_objfile_symbols(f, re, have_address ? address : 0, &ms);
		for (size_t k = 0; k < nms; k++) {
			ALLOC_GROW(syms, nsyms + 1, asyms);
			syms[nsyms] = (struct dsym){ms[k], f, NULL, 0, 0};
			ms[k].names = NULL;
			nsyms++;
		}
		cprof_syms_free(ms, nms);
	}

	/* nodesPerSymbol: the graph's nodes inside each symbol */
	size_t keep = 0;
	for (size_t k = 0; k < nsyms; k++) {
		struct dsym *s = &syms[k];
		for (size_t i = 0; i < g->nnodes; i++) {
			uint64_t oa;
			struct cprof_error e = {0};
			if (!cprof_objfile_obj_addr(s->f, g->nodes[i]->info.address, &oa, &e) && oa >= s->sym.start &&
			    oa < s->sym.end) {
				ALLOC_GROW(s->nodes, s->n + 1, s->alloc);
				s->nodes[s->n++] = g->nodes[i];
			}
		}
		if (s->n)
			syms[keep++] = *s;
		else
			free(s->sym.names);
	}
	nsyms = keep;
	if (nsyms)
		qsort(syms, nsyms, sizeof(*syms), cmp_dsym);

	int rc = 0;
	if (nsyms == 0)
		rc = cprof_error_set(err, CPROF_E_NOMATCH, "no matches found for regexp: %s",
				     re ? cprof_regex_pattern(re) : "");
	for (size_t k = 0; k < nsyms && !rc; k++) {
		struct asm_list insts = {0};
		if (asm_disassemble(syms[k].f, syms[k].sym.start, syms[k].sym.end, rpt->opt.intel_syntax, &insts,
				    err)) {
			rc = -1;
			asm_list_release(&insts);
			break;
		}
		print_routine(rpt, &syms[k], &insts, out);
		asm_list_release(&insts);
	}
	for (size_t k = 0; k < nsyms; k++) {
		free(syms[k].sym.names);
		free(syms[k].nodes);
	}
	free(syms);
	cprof_objtool_free(own);
	cprof_graph_free(g);
	return rc;
}
