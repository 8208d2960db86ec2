/*
 * commands.c - the table of subcommands (see commands.h). To add one, write
 * src/cmd_<name>.c, declare its function in commands.h and add a line here.
 */
#include <stdio.h>

#include "src/cmd/commands.h"
#include "cprof/util.h"
#include "src/driver/options.h"
#include "src/cmd/version.h"

int cmd_version(int argc, char **argv)
{
	(void)argc, (void)argv;
	cprof_version_print(stdout);
	return 0;
}

int cmd_help(int argc, char **argv)
{
	(void)argc, (void)argv;
	cprof_usage(stdout);
	return 0;
}

/* The subcommands, in the order --help lists them. */
const struct cprof_command cprof_commands[] = {
	{"version", cmd_version, "print the version and the linked library versions"},
	{"goroutines", cmd_goroutines, "group a goroutine dump or profile by stack and state"},
	{"dump", cmd_dump, "print a profile as parsed, in pprof's Profile.String() layout"},
	{"memstats", cmd_memstats, "explain the runtime.MemStats block of a Go heap?debug=1 profile"},
	{"gctrace", cmd_gctrace, "summarise GODEBUG=gctrace=1 logs: pauses, GC CPU, heap, MMU, hints"},
	{"schedtrace", cmd_schedtrace, "summarise GODEBUG=schedtrace logs: utilisation, run queues, threads, diagnosis"},
	{"allocfreetrace", cmd_allocfreetrace, "summarise GODEBUG=allocfreetrace=1 logs: types, sites, lifetimes, churn, leaks"},
	{"heapdump", cmd_heapdump, "explain a Go heap dump: what retains the memory (dominators), largest objects"},
	{"diff", cmd_diff, "compare profiles per function; exit 1 on a regression (a CI gate)"},
	{"help", cmd_help, "print this help"},
};
const unsigned cprof_ncommands = CPROF_ARRAY_SIZE(cprof_commands);
