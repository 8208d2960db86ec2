/*
 * asm.h - the in-process disassembler (capstone) behind -disasm and
 * -weblist, in place of pprof's objdump. Private to render/.
 *
 * Each instruction comes with what pprof reads from
 * `objdump --disassemble --demangle --line-numbers`: the function (the
 * demangled symbol, as llvm-objdump names it), and the source file and
 * line of the line table, carried over from the previous instruction when
 * an instruction has none.
 */
#ifndef CPROF_RENDER_ASM_H
#define CPROF_RENDER_ASM_H

#include <stdbool.h>
#include <stdint.h>
#include "cprof/symbolize.h"

struct asm_inst {
	uint64_t addr;    /* object address */
	uint32_t size;
	char *text;       /* "movl\t(%rdi), %edx", owned */
	const char *func; /* "" if unknown; owned by the list's pool */
	const char *file; /* full path, "" if unknown */
	int64_t line;
};

struct asm_list {
	struct asm_inst *v;
	size_t n, alloc;
	struct strbuf pool; /* unused; names live in the objtool */
	char **owned;       /* demangled names */
	size_t nowned, aowned;
};

/*
 * Disassemble object addresses [start, end) of f (end may be far: it is
 * clipped at the end of the segment). intel: Intel syntax instead of
 * AT&T. Returns 0, or -1 with err set ("cannot disasm: ...").
 */
int asm_disassemble(struct cprof_objfile *f, uint64_t start, uint64_t end, bool intel, struct asm_list *out,
		    struct cprof_error *err);
void asm_list_release(struct asm_list *l);

#endif
