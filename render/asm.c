/*
 * asm.c - capstone disassembly for -disasm and -weblist (see asm.h).
 *
 * Text follows llvm-objdump's layout: mnemonic, a tab, the operands, and
 * for direct calls and jumps the target's symbol (" <name+0x14>").
 * Immediates are printed as capstone prints them (hexadecimal), not as
 * llvm-objdump does (decimal with a "# imm = 0x..." comment).
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include <capstone/capstone.h>

#include "render/asm.h"

static const char *demangled(struct asm_list *l, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	if (!cprof_demangle_itanium(name, CPROF_DEMANGLE_NONE, &sb)) {
		strbuf_release(&sb);
		return name;
	}
	ALLOC_GROW(l->owned, l->nowned + 1, l->aowned);
	l->owned[l->nowned++] = strbuf_detach(&sb, NULL);
	return l->owned[l->nowned - 1];
}

/* The function name as pprof reads it from "; NAME():" (a trailing "()" is eaten). */
static const char *objdump_func(struct asm_list *l, const char *name)
{
	const char *d = demangled(l, name);
	size_t n = strlen(d);
	if (n >= 2 && !strcmp(d + n - 2, "()")) {
		ALLOC_GROW(l->owned, l->nowned + 1, l->aowned);
		l->owned[l->nowned++] = cprof_xstrndup(d, n - 2);
		return l->owned[l->nowned - 1];
	}
	return d;
}

int asm_disassemble(struct cprof_objfile *f, uint64_t start, uint64_t end, bool intel, struct asm_list *out,
		    struct cprof_error *err)
{
	int cls;
	int machine = cprof_objfile_machine(f, &cls);
	cs_arch arch;
	cs_mode mode;
	switch (machine) {
	case EM_X86_64:
		arch = CS_ARCH_X86, mode = CS_MODE_64;
		break;
	case EM_386:
		arch = CS_ARCH_X86, mode = CS_MODE_32;
		break;
	case EM_AARCH64:
		arch = CS_ARCH_ARM64, mode = CS_MODE_ARM;
		break;
	case EM_ARM:
		arch = CS_ARCH_ARM, mode = CS_MODE_ARM;
		break;
	default:
		return cprof_error_set(err, CPROF_E_UNSUPPORTED, "cannot disasm: unsupported machine %d", machine);
	}
	const unsigned char *code;
	size_t size;
	/* decode up to the end of the segment: the last instruction may cross `end` */
	if (end <= start || cprof_objfile_code(f, start, UINT64_MAX, &code, &size))
		return cprof_error_set(err, CPROF_E_UNSUPPORTED, "cannot disasm: no code at 0x%llx",
				       (unsigned long long)start);
	csh h;
	if (cs_open(arch, mode, &h) != CS_ERR_OK)
		return cprof_error_set(err, CPROF_E_UNSUPPORTED, "cannot disasm: capstone: cannot open");
	if (arch == CS_ARCH_X86)
		cs_option(h, CS_OPT_SYNTAX, intel ? CS_OPT_SYNTAX_INTEL : CS_OPT_SYNTAX_ATT);
	cs_option(h, CS_OPT_DETAIL, CS_OPT_ON);
	cs_insn *insn = cs_malloc(h);
	uint64_t addr = start;
	const char *file = "", *func = "";
	int64_t line = 0;
	struct strbuf text = STRBUF_INIT;
	while (size > 0 && addr < end) {
		const uint8_t *p = code;
		uint64_t a = addr;
		if (!cs_disasm_iter(h, &p, &size, &a, insn)) {
			/* undecodable byte: llvm-objdump prints "<unknown>" and moves on */
			strbuf_reset(&text);
			strbuf_addstr(&text, "<unknown>");
			insn->size = 1;
			p = code + 1;
			size--;
			a = addr + 1;
		} else {
			strbuf_reset(&text);
			strbuf_addstr(&text, insn->mnemonic);
			if (insn->op_str[0]) {
				strbuf_addch(&text, '\t');
				strbuf_addstr(&text, insn->op_str);
			}
			/* a direct call or jump: name its target as llvm-objdump does */
			bool branch = false;
			for (uint8_t g = 0; insn->detail && g < insn->detail->groups_count; g++)
				if (insn->detail->groups[g] == CS_GRP_JUMP || insn->detail->groups[g] == CS_GRP_CALL)
					branch = true;
			char *endp;
			unsigned long long target = strtoull(insn->op_str, &endp, 16);
			if (branch && !strncmp(insn->op_str, "0x", 2) && *endp == '\0') {
				uint64_t sstart;
				const char *sym = cprof_objfile_symbol_at(f, target, &sstart);
				if (sym) {
					sym = demangled(out, sym);
					if (target == sstart)
						strbuf_addf(&text, " <%s>", sym);
					else
						strbuf_addf(&text, " <%s+0x%llx>", sym, (unsigned long long)(target - sstart));
				}
			}
		}
		/* what objdump --line-numbers tells pprof about this address */
		const struct cprof_frame *fr;
		size_t nfr = 0;
		cprof_objfile_frames_obj(f, addr, false, &fr, &nfr);
		uint64_t sstart;
		const char *sym = cprof_objfile_symbol_at(f, addr, &sstart);
		if (sym)
			func = objdump_func(out, sym);
		else if (nfr && fr[0].func[0])
			func = objdump_func(out, fr[0].func);
		if (nfr && fr[0].file[0] && fr[0].line != 0) {
			file = fr[0].file;
			line = fr[0].line;
		}
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		out->v[out->n++] = (struct asm_inst){addr, (uint32_t)(a - addr), cprof_xstrdup(text.buf), func, file, line};
		code = p;
		addr = a;
	}
	strbuf_release(&text);
	cs_free(insn, 1);
	cs_close(&h);
	return 0;
}

void asm_list_release(struct asm_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	for (size_t i = 0; i < l->nowned; i++)
		free(l->owned[i]);
	free(l->owned);
	strbuf_release(&l->pool);
	memset(l, 0, sizeof(*l));
}
