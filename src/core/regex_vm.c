/*
 * regex_vm.c - the fallback matcher: a Pike VM over the program
 * rx_prog_make() builds (see regex_internal.h).
 *
 * Every live thread advances one rune at a time; a thread is a program
 * counter and its group offsets. Threads are kept in priority order, and
 * a program counter enters a step's list once: the first (highest
 * priority) thread to reach it wins, which bounds the work by program
 * size times text length and gives Go's leftmost-first answer, Go's own
 * matcher working the same way. Text is read as Go reads it: an invalid
 * UTF-8 byte is one rune, U+FFFD.
 *
 * A class the program cannot say by ranges alone (\p, case folding) is
 * asked of PCRE2 on the rune's UTF-8, once per rune below 128 (a bitmap)
 * and on each other rune met.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/strbuf.h"
#include "src/core/regex_internal.h"

/* Memory for the thread lists stops here (bytes): a bigger search answers -1. */
#define MAX_LISTS ((size_t)256 << 20)

/* A list of threads: a sparse set of program counters, in order, and each one's groups. */
struct list {
	uint32_t *sparse, *dense;
	size_t n;
	long *cap; /* nslot per dense entry */
};

struct vm {
	pcre2_match_data *md;
	struct list l[2];
	long *cur; /* the groups of the thread being added */
	struct work {
		uint32_t pc; /* UINT32_MAX: restore slot to old */
		uint32_t slot;
		long old;
	} *stack;
	size_t astack;
	size_t nslot;
};

static bool on_list(const struct list *l, uint32_t pc)
{
	uint32_t d = l->sparse[pc];
	return d < l->n && l->dense[d] == pc;
}

static bool word(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

/* Whether the assertion op holds at pos. */
static bool holds(int op, const unsigned char *s, size_t len, size_t pos)
{
	int before = pos > 0 ? s[pos - 1] : -1, after = pos < len ? s[pos] : -1;
	switch (op) {
	case RX_I_BOL: return pos == 0 || before == '\n';
	case RX_I_EOL: return pos == len || after == '\n';
	case RX_I_BOT: return pos == 0;
	case RX_I_EOT: return pos == len;
	case RX_I_WB: return word(before) != word(after);
	default: return word(before) == word(after);
	}
}

/* Add the thread at pc (groups vm->cur) to l, following jumps, splits, groups and assertions. */
static void add(struct rx_prog *p, struct vm *vm, struct list *l, uint32_t pc0, const unsigned char *s, size_t len,
		size_t pos)
{
	size_t top = 0;
	vm->stack[top++] = (struct work){pc0, 0, 0};
	while (top) {
		struct work w = vm->stack[--top];
		if (w.pc == UINT32_MAX) {
			vm->cur[w.slot] = w.old;
			continue;
		}
		if (on_list(l, w.pc))
			continue;
		size_t d = l->n++;
		l->sparse[w.pc] = (uint32_t)d;
		l->dense[d] = w.pc;
		const struct rx_inst *in = &p->inst[w.pc];
		switch (in->op) {
		case RX_I_JMP:
			vm->stack[top++] = (struct work){in->x, 0, 0};
			break;
		case RX_I_SPLIT:
			vm->stack[top++] = (struct work){in->y, 0, 0};
			vm->stack[top++] = (struct work){in->x, 0, 0};
			break;
		case RX_I_SAVE:
			if (in->x < vm->nslot) {
				vm->stack[top++] = (struct work){UINT32_MAX, in->x, vm->cur[in->x]};
				vm->cur[in->x] = (long)pos;
			}
			vm->stack[top++] = (struct work){w.pc + 1, 0, 0};
			break;
		case RX_I_BOL:
		case RX_I_EOL:
		case RX_I_BOT:
		case RX_I_EOT:
		case RX_I_WB:
		case RX_I_NWB:
			if (holds(in->op, s, len, pos))
				vm->stack[top++] = (struct work){w.pc + 1, 0, 0};
			break;
		default: /* runes and MATCH: a thread */
			if (vm->nslot)
				memcpy(l->cap + d * vm->nslot, vm->cur, vm->nslot * sizeof(*vm->cur));
			break;
		}
	}
}

static bool in_set_slow(struct vm *vm, const struct rx_set *st, uint32_t c, const unsigned char *u, size_t n)
{
	if (st->exact) {
		size_t lo = 0, hi = st->nr;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (c < st->r[2 * mid])
				hi = mid;
			else if (c > st->r[2 * mid + 1])
				lo = mid + 1;
			else
				return !st->neg;
		}
		return st->neg;
	}
	return st->code && pcre2_match(st->code, u, n, 0, PCRE2_ANCHORED | PCRE2_NO_UTF_CHECK, vm->md, NULL) >= 0;
}

static bool in_set(struct vm *vm, const struct rx_set *st, uint32_t c, const unsigned char *u, size_t n)
{
	if (c < 128)
		return st->ascii[c / 8] >> (c % 8) & 1;
	return in_set_slow(vm, st, c, u, n);
}

static int prepare(struct rx_prog *p)
{
	if (p->vm)
		return 0;
	size_t nslot = 2 * ((size_t)p->ncap + 1);
	size_t need = 2 * p->ninst * (2 * sizeof(uint32_t) + nslot * sizeof(long));
	if (need > MAX_LISTS)
		return -1;
	struct vm *vm = cprof_xcalloc(1, sizeof(*vm));
	vm->md = pcre2_match_data_create(1, NULL);
	if (!vm->md)
		cprof_die_oom();
	vm->nslot = nslot;
	for (int i = 0; i < 2; i++) {
		vm->l[i].sparse = cprof_xcalloc(p->ninst, sizeof(uint32_t));
		vm->l[i].dense = cprof_xcalloc(p->ninst, sizeof(uint32_t));
		vm->l[i].cap = cprof_xcalloc(cprof_st_mult(p->ninst, nslot), sizeof(long));
	}
	vm->cur = cprof_xcalloc(nslot, sizeof(long));
	/* each instruction entered once: two pushes for a split, a restore for a group */
	vm->astack = 3 * p->ninst + 4;
	vm->stack = cprof_xcalloc(vm->astack, sizeof(*vm->stack));
	for (size_t k = 0; k < p->nset; k++) {
		struct rx_set *st = &p->set[k];
		if (st->pcre) {
			int err;
			PCRE2_SIZE off;
			st->code = pcre2_compile((PCRE2_SPTR)st->pcre, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &err, &off, NULL);
		}
		for (uint32_t c = 0; c < 128; c++) {
			unsigned char u = (unsigned char)c;
			if (in_set_slow(vm, st, c, &u, 1))
				st->ascii[c / 8] |= (uint8_t)(1u << (c % 8));
		}
	}
	p->vm = vm;
	return 0;
}

int rx_prog_search(struct rx_prog *p, const char *text, size_t len, long *ovec, int ncap)
{
	if (prepare(p))
		return -1;
	struct vm *vm = p->vm;
	const unsigned char *s = (const unsigned char *)text;
	struct list *clist = &vm->l[0], *nlist = &vm->l[1];
	long *best = ncap > 0 ? cprof_xcalloc(vm->nslot, sizeof(long)) : NULL;
	bool matched = false;
	size_t saved_nslot = vm->nslot;

	if (ncap <= 0)
		vm->nslot = 0; /* no groups to keep */
	clist->n = nlist->n = 0;
	for (size_t pos = 0;;) {
		if (!matched) { /* a thread starting here, after all others */
			for (size_t i = 0; i < vm->nslot; i++)
				vm->cur[i] = -1;
			add(p, vm, clist, 0, s, len, pos);
		}
		if (clist->n == 0)
			break;
		uint32_t c = RX_RUNE_ERROR;
		int w = 0;
		const unsigned char *u = (const unsigned char *)"\xef\xbf\xbd";
		size_t un = 3;
		if (pos < len) {
			w = rx_utf8_decode(s + pos, s + len, &c);
			if (w < 0)
				w = 1, c = RX_RUNE_ERROR;
			else
				u = s + pos, un = (size_t)w;
		}
		nlist->n = 0;
		for (size_t i = 0; i < clist->n; i++) {
			const struct rx_inst *in = &p->inst[clist->dense[i]];
			bool ok;
			switch (in->op) {
			case RX_I_MATCH:
				matched = true;
				if (best)
					memcpy(best, clist->cap + i * vm->nslot, vm->nslot * sizeof(long));
				i = clist->n; /* lower priorities lose */
				continue;
			case RX_I_RUNE: ok = w > 0 && c == in->x; break;
			case RX_I_ANY: ok = w > 0; break;
			case RX_I_ANYNL: ok = w > 0 && c != '\n'; break;
			case RX_I_SET: ok = w > 0 && in_set(vm, &p->set[in->x], c, u, un); break;
			default: ok = false; break;
			}
			if (ok) {
				if (vm->nslot)
					memcpy(vm->cur, clist->cap + i * vm->nslot, vm->nslot * sizeof(long));
				add(p, vm, nlist, clist->dense[i] + 1, s, len, pos + (size_t)w);
			}
		}
		struct list *t = clist;
		clist = nlist, nlist = t;
		if ((matched && !best) || w == 0)
			break; /* whether, not where; or the end of the text */
		pos += (size_t)w;
	}
	vm->nslot = saved_nslot;
	for (int i = 0; best && matched && i < ncap; i++) {
		bool set = (size_t)(2 * i + 1) < vm->nslot && best[2 * i] >= 0 && best[2 * i + 1] >= 0;
		ovec[2 * i] = set ? best[2 * i] : -1;
		ovec[2 * i + 1] = set ? best[2 * i + 1] : -1;
	}
	free(best);
	return matched;
}

void rx_prog_free(struct rx_prog *p)
{
	if (!p)
		return;
	struct vm *vm = p->vm;
	for (size_t k = 0; k < p->nset; k++) {
		free(p->set[k].r);
		free(p->set[k].pcre);
		pcre2_code_free(p->set[k].code);
	}
	if (vm) {
		for (int i = 0; i < 2; i++) {
			free(vm->l[i].sparse);
			free(vm->l[i].dense);
			free(vm->l[i].cap);
		}
		free(vm->cur);
		free(vm->stack);
		pcre2_match_data_free(vm->md);
		free(vm);
	}
	free(p->set);
	free(p->inst);
	free(p);
}
