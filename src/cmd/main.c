/*
 * main.c - cprof's entry point: the -max_* limits, then a subcommand
 * (src/cmd/commands.c) or report mode (src/ui/batch.c: pprof's command
 * line, or its interactive shell).
 *
 * Exit status: 0 success, 1 a CI gate tripped, 2 fatal error (bad input),
 * 64 usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/cmd/commands.h"
#include "src/cmd/limits.h"
#include "src/ui/ui.h"

/*
 * Much of a run that is not computing goes to page faults: one for every
 * 4 KiB first touched, 10 to 20 thousand for a profile of a few MiB, and
 * far more for a big one. So, with glibc's allocator: blocks up to 64 MiB
 * come from the heap, which keeps up to 512 MiB free at its top, and one
 * heap serves both threads; its first 256 MiB are reserved at once (address
 * space only) and marked for transparent huge pages, which kernels set to
 * "madvise" give where asked: one fault per 2 MiB. Nothing changes where
 * the heap cannot grow that way (sbrk fails, or another allocator runs).
 */
static void tune_malloc(void)
{
#if defined(__GLIBC__) && defined(M_ARENA_MAX) && defined(MADV_HUGEPAGE)
	const uintptr_t huge = (uintptr_t)2 << 20;
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 512 << 20);
	mallopt(M_ARENA_MAX, 1);
	mallopt(M_TOP_PAD, 256 << 20);
	char *lo = sbrk(0);
	void *volatile first = malloc(1 << 20); /* more than the heap has left: it grows by the pad (volatile: kept) */
	char *hi = sbrk(0);
	uintptr_t a = ((uintptr_t)lo + huge - 1) & ~(huge - 1), b = (uintptr_t)hi & ~(huge - 1);
	if (lo != (char *)-1 && hi != (char *)-1 && b > a)
		(void)madvise((void *)a, b - a, MADV_HUGEPAGE);
	free(first);
	mallopt(M_TOP_PAD, 16 << 20);
#endif
}

int main(int argc, char **argv)
{
	struct cprof_error lerr = {0};

	tune_malloc();

	if (cprof_limits_take_args(&argc, argv, &lerr) < 0)
		return cprof_ui_usage_error(&lerr);
	if (argc >= 2) {
		for (unsigned i = 0; i < cprof_ncommands; i++)
			if (!strcmp(argv[1], cprof_commands[i].name))
				return cprof_commands[i].run(argc - 1, argv + 1);
	}
	if (argc < 2) {
		cprof_usage(stderr);
		return CPROF_EXIT_USAGE;
	}
	return cprof_batch_main(argc - 1, argv + 1);
}
