/*
 * shell.h - the interactive shell's two halves: commands (src/ui/shell.c)
 * and reading lines (src/ui/shell_edit.c: a pipe, or a terminal with
 * libedit's line editing, history and completion).
 */
#ifndef CPROF_SHELL_H
#define CPROF_SHELL_H

#include <stdbool.h>
#include <stddef.h>
#include "cprof/error.h"
#include "cprof/session.h"

struct cprof_shell_reader;

/*
 * A terminal (standard input a tty and TERM neither empty nor "dumb", as
 * pprof decides) gets line editing; anything else is read as it comes.
 */
struct cprof_shell_reader *cprof_shell_reader_open(struct cprof_session *s);
/* Saves the history (terminal) and frees the reader. */
void cprof_shell_reader_close(struct cprof_shell_reader *r);
bool cprof_shell_reader_is_terminal(const struct cprof_shell_reader *r);
/*
 * Print the prompt and read a line into *line (malloc'd, no newline).
 * Returns 1 for a line, 0 at the end of input (*line holds a last line
 * without its newline, or NULL), -1 on a read error (err set). Ctrl-C at
 * a terminal abandons the line and prompts again.
 */
int cprof_shell_read_line(struct cprof_shell_reader *r, const char *prompt, char **line, struct cprof_error *err);
/*
 * While a command runs, Ctrl-C asks it to stop (cprof_interrupted());
 * outside, the line editor has it.
 */
void cprof_shell_interruptible(bool on);

/* The shell's command names, for completion. */
size_t cprof_shell_command_names(const char **out, size_t max);
/* Whether the words after command `name` are function regexps (not tags). */
bool cprof_shell_command_takes_functions(const char *name, size_t len);

#endif
