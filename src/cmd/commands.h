/*
 * commands.h - cprof's subcommands. Each lives in its own src/cmd_*.c and
 * is listed once in the table of src/cmd/commands.c; src/cmd/main.c dispatches on argv[1]
 * and prints the list in `cprof --help`. Anything that is not a
 * subcommand name is report mode (pprof's command line).
 *
 * The table itself is in src/cmd/commands.c.
 *
 * A command gets argv without the program name (argv[0] is the command
 * name) and returns the exit status: 0 success, 1 a CI gate tripped,
 * 2 fatal error, 64 usage error. Commands print their own errors in the
 * house form "cprof: error: <file>: <what>".
 */
#ifndef CPROF_COMMANDS_H
#define CPROF_COMMANDS_H

#define CPROF_EXIT_GATE 1
#define CPROF_EXIT_FATAL 2
#define CPROF_EXIT_USAGE 64

struct cprof_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary; /* one line for --help */
};

extern const struct cprof_command cprof_commands[];
extern const unsigned cprof_ncommands;

int cmd_version(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_goroutines(int argc, char **argv);
int cmd_memstats(int argc, char **argv);
int cmd_gctrace(int argc, char **argv);
int cmd_schedtrace(int argc, char **argv);
int cmd_allocfreetrace(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_heapdump(int argc, char **argv);

#endif
