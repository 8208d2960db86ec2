/*
 * shell_edit.c - reading the shell's lines (shell.h).
 *
 * From a pipe or a file: as pprof's stdUI, the prompt on standard output,
 * then a line; nothing is echoed.
 *
 * From a terminal: libedit (BSD licence, so it adds no terms to cprof's
 * own; GNU readline would make every binary GPL) through its readline
 * interface, with the prompt on standard error as pprof's terminal UI.
 * Beyond pprof: line editing, history kept in $HOME/.cprof_history (or
 * $CPROF_HISTFILE), and Tab completion of
 *
 *   the first word      commands, options (name=), sample type shortcuts
 *   help <word>         commands and options
 *   name=<value>        choices (sort, granularity), true/false, sample
 *                       types (sample_index), units, function names
 *                       (focus, ignore, hide, show, show_from, prune_from)
 *   command <words>     function names, for every report but tags (also
 *                       after "-", the ignore words)
 *
 * Function names are completed as regexps that match them literally
 * (QuoteMeta); what is typed is read with its backslashes removed, and
 * when no name starts with it, the names containing it are offered, as
 * pprof's own completer does. Ctrl-C abandons the line being typed, or
 * asks the running command to stop (cprof_interrupt); Ctrl-D on an empty
 * line leaves.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <editline/readline.h>

#include "cprof/strbuf.h"
#include "src/ui/shell.h"

struct cprof_shell_reader {
	bool terminal;
	struct cprof_session *s;
	char *histfile;
	char *last; /* the last line added to the history */
};

static struct cprof_shell_reader *the_reader; /* for the completion callback */
static volatile sig_atomic_t line_interrupted;
static volatile sig_atomic_t running_command;

static void on_sigint(int sig)
{
	(void)sig;
	if (running_command)
		cprof_interrupt = 1;
	else
		line_interrupted = 1;
}

void cprof_shell_interruptible(bool on)
{
	cprof_interrupt = 0;
	running_command = on;
}

/* A key at a time; a Ctrl-C while waiting gives up the line (EOF for libedit, flagged for us). */
static int getc_interruptible(FILE *f)
{
	unsigned char c;
	for (;;) {
		if (line_interrupted)
			return EOF;
		ssize_t n = read(fileno(f), &c, 1);
		if (n == 1)
			return c;
		if (n < 0 && errno == EINTR)
			continue;
		return EOF;
	}
}

/* ---- completion ------------------------------------------------------------- */

struct cands {
	char **v;
	size_t n, alloc;
};

static void cand_add(struct cands *c, const char *s, size_t len)
{
	ALLOC_GROW(c->v, c->n + 1, c->alloc);
	c->v[c->n++] = cprof_xstrndup(s, len);
}

/* Go's regexp.QuoteMeta */
static void quote_meta(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\.+*?()|[]{}^$", *s))
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, *s);
	}
}

static void unquote(struct strbuf *sb, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len)
			i++;
		strbuf_addch(sb, s[i]);
	}
}

static void complete_words(struct cands *out, const char *text, const char *const *words, size_t n,
			   const char *suffix)
{
	size_t tl = strlen(text);
	for (size_t i = 0; i < n; i++)
		if (!strncmp(words[i], text, tl)) {
			struct strbuf sb = STRBUF_INIT;
			strbuf_addf(&sb, "%s%s", words[i], suffix);
			cand_add(out, sb.buf, sb.len);
			strbuf_release(&sb);
		}
}

static void complete_functions(struct cands *out, const char *text)
{
	const char *const *names;
	size_t n = cprof_session_function_names(the_reader->s, &names);
	bool neg = *text == '-';
	struct strbuf want = STRBUF_INIT, sb = STRBUF_INIT;
	unquote(&want, text + neg, strlen(text + neg));
	for (int pass = 0; pass < 2 && !out->n; pass++) {
		for (size_t i = 0; i < n; i++) {
			bool hit = pass == 0 ? !strncmp(names[i], want.buf, want.len) : strstr(names[i], want.buf) != NULL;
			if (!hit)
				continue;
			strbuf_reset(&sb);
			if (neg)
				strbuf_addch(&sb, '-');
			quote_meta(&sb, names[i]);
			cand_add(out, sb.buf, sb.len);
		}
	}
	strbuf_release(&want);
	strbuf_release(&sb);
}

static void complete_first_word(struct cands *out, const char *text)
{
	const char *words[64];
	size_t n = cprof_shell_command_names(words, CPROF_ARRAY_SIZE(words));
	static const char *const shell_words[] = {"help", "o", "options", "quit", "exit"};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(shell_words); i++)
		words[n++] = shell_words[i];
	complete_words(out, text, words, n, "");
	for (size_t i = 0; i < cprof_nconfig_fields; i++) {
		const struct cprof_config_field *f = &cprof_config_fields[i];
		complete_words(out, text, &f->name, 1, "=");
		for (const char *const *ch = f->choices; ch && *ch; ch++)
			complete_words(out, text, ch, 1, "");
	}
	const char **types;
	size_t nt = cprof_session_sample_types(the_reader->s, &types);
	for (size_t i = 0; i < nt; i++) {
		struct strbuf total = STRBUF_INIT, mean = STRBUF_INIT;
		strbuf_addf(&total, "total_%s", types[i]);
		strbuf_addf(&mean, "mean_%s", types[i]);
		const char *forms[3] = {types[i], total.buf, mean.buf};
		complete_words(out, text, forms, 3, "");
		strbuf_release(&total);
		strbuf_release(&mean);
	}
}

static void complete_value(struct cands *out, const char *name, size_t nlen, const char *text)
{
	char key[64];
	snprintf(key, sizeof(key), "%.*s", (int)nlen, name);
	bool choice;
	const struct cprof_config_field *f = cprof_config_field_find(key, &choice);
	if (!f)
		return;
	static const char *const bools[] = {"true", "false"};
	static const char *const units[] = {"minimum", "auto", "nanoseconds", "microseconds", "milliseconds",
					    "seconds", "minutes", "hours", "bytes", "kilobytes", "megabytes",
					    "gigabytes", "terabytes", "ns", "us", "ms", "s", "B", "kB", "MB",
					    "GB", "TB"};
	static const char *const fn_fields[] = {"focus", "ignore", "hide", "show", "show_from", "prune_from"};
	if (choice || f->type == CPROF_CFG_BOOL) {
		complete_words(out, text, bools, 2, "");
	} else if (f->choices) {
		for (const char *const *ch = f->choices; *ch; ch++)
			complete_words(out, text, ch, 1, "");
	} else if (!strcmp(f->name, "sample_index")) {
		const char **types;
		size_t nt = cprof_session_sample_types(the_reader->s, &types);
		complete_words(out, text, types, nt, "");
	} else if (!strcmp(f->name, "unit")) {
		complete_words(out, text, units, CPROF_ARRAY_SIZE(units), "");
	} else {
		for (size_t i = 0; i < CPROF_ARRAY_SIZE(fn_fields); i++)
			if (!strcmp(f->name, fn_fields[i]))
				complete_functions(out, text);
	}
}

/* What to offer for the word text at line[start..]. */
static void candidates(const char *line, int start, const char *text, struct cands *out)
{
	const char *eq = NULL;
	for (int i = 0; i < start; i++)
		if (line[i] == '=')
			eq = line + i;
	size_t lead = strspn(line, " \t");
	bool first = true;
	for (int i = (int)lead; i < start; i++)
		if (isspace((unsigned char)line[i]))
			first = false;
	if (eq && eq == line + start - 1) {
		const char *name = line + lead;
		size_t nlen = (size_t)(eq - name);
		while (nlen && isspace((unsigned char)name[nlen - 1]))
			nlen--;
		complete_value(out, name, nlen, text);
		return;
	}
	if (eq)
		return;
	if (first) {
		complete_first_word(out, text);
		return;
	}
	const char *w = line + lead;
	size_t wl = strcspn(w, " \t");
	if (wl == 4 && !strncmp(w, "help", 4)) {
		const char *words[64];
		size_t n = cprof_shell_command_names(words, CPROF_ARRAY_SIZE(words));
		complete_words(out, text, words, n, "");
		for (size_t i = 0; i < cprof_nconfig_fields; i++)
			complete_words(out, text, &cprof_config_fields[i].name, 1, "");
		return;
	}
	/* top10 takes functions as top does */
	size_t cl = wl;
	while (cl && isdigit((unsigned char)w[cl - 1]))
		cl--;
	if (cprof_shell_command_takes_functions(w, wl) || (cl && cprof_shell_command_takes_functions(w, cl)))
		complete_functions(out, text);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **complete(const char *text, int start, int end)
{
	(void)end;
	struct cands c = {0};
	rl_attempted_completion_over = 1; /* never file names */
	candidates(rl_line_buffer, start, text, &c);
	if (!c.n)
		return NULL;
	qsort(c.v, c.n, sizeof(*c.v), cmp_str);
	size_t k = 0;
	for (size_t i = 0; i < c.n; i++) { /* drop duplicates */
		if (k && !strcmp(c.v[k - 1], c.v[i])) {
			free(c.v[i]);
			continue;
		}
		c.v[k++] = c.v[i];
	}
	c.n = k;
	/* matches[0] replaces the word: the longest common prefix, unless that would lose what was typed */
	size_t lcp = strlen(c.v[0]);
	for (size_t i = 1; i < c.n; i++) {
		size_t j = 0;
		while (j < lcp && c.v[0][j] == c.v[i][j])
			j++;
		lcp = j;
	}
	char **m = cprof_xcalloc(c.n + 2, sizeof(*m));
	if (c.n == 1) {
		m[0] = c.v[0];
		size_t len = strlen(m[0]);
		rl_completion_append_character = len && m[0][len - 1] == '=' ? '\0' : ' ';
	} else {
		m[0] = lcp >= strlen(text) ? cprof_xstrndup(c.v[0], lcp) : cprof_xstrdup(text);
		rl_completion_append_character = ' ';
		for (size_t i = 0; i < c.n; i++)
			m[i + 1] = c.v[i];
	}
	free(c.v);
	return m;
}

/* ---- the reader ------------------------------------------------------------- */

struct cprof_shell_reader *cprof_shell_reader_open(struct cprof_session *s)
{
	struct cprof_shell_reader *r = cprof_xcalloc(1, sizeof(*r));
	const char *term = getenv("TERM");
	r->s = s;
	r->terminal = isatty(STDIN_FILENO) && term && *term && strcmp(term, "dumb") != 0;
	if (!r->terminal)
		return r;

	the_reader = r;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: a read waiting for a key returns */
	sigaction(SIGINT, &sa, NULL);

	rl_readline_name = "cprof";
	rl_instream = stdin;
	rl_outstream = stderr;
	rl_catch_signals = 0;
	rl_getc_function = getc_interruptible;
	rl_attempted_completion_function = complete;
	rl_basic_word_break_characters = " \t=";
	rl_completer_word_break_characters = (char *)" \t=";
	rl_initialize();

	const char *hf = getenv("CPROF_HISTFILE"), *home = getenv("HOME");
	struct strbuf path = STRBUF_INIT;
	if (hf && *hf)
		strbuf_addstr(&path, hf);
	else if (home && *home)
		strbuf_addf(&path, "%s/.cprof_history", home);
	if (path.len) {
		r->histfile = strbuf_detach(&path, NULL);
		using_history();
		stifle_history(1000);
		read_history(r->histfile);
	}
	strbuf_release(&path);
	return r;
}

void cprof_shell_reader_close(struct cprof_shell_reader *r)
{
	if (!r)
		return;
	if (r->terminal && r->histfile)
		write_history(r->histfile);
	if (r->terminal)
		signal(SIGINT, SIG_DFL);
	the_reader = NULL;
	free(r->histfile);
	free(r->last);
	free(r);
}

bool cprof_shell_reader_is_terminal(const struct cprof_shell_reader *r)
{
	return r->terminal;
}

/* pprof's stdUI.ReadLine: the prompt on standard output, then bytes up to a newline. */
static int read_plain(const char *prompt, char **line, struct cprof_error *err)
{
	fputs(prompt, stdout);
	fflush(stdout);
	char *buf = NULL;
	size_t cap = 0;
	errno = 0;
	ssize_t n = getline(&buf, &cap, stdin);
	if (n < 0) {
		free(buf);
		*line = NULL;
		if (ferror(stdin))
			return cprof_error_set(err, CPROF_E_IO, "cannot read standard input: %s", strerror(errno));
		return 0;
	}
	bool nl = n > 0 && buf[n - 1] == '\n';
	if (nl)
		buf[--n] = '\0';
	*line = buf;
	return nl ? 1 : 0;
}

int cprof_shell_read_line(struct cprof_shell_reader *r, const char *prompt, char **line, struct cprof_error *err)
{
	if (!r->terminal)
		return read_plain(prompt, line, err);
	for (;;) {
		line_interrupted = 0;
		fflush(stdout);
		char *l = readline(prompt);
		if (!l && line_interrupted) {
			/* Ctrl-C: the line is abandoned, the session goes on */
			fputs("^C\n", stderr);
			fflush(stderr);
			continue;
		}
		if (!l) {
			fputc('\n', stderr);
			*line = NULL;
			return 0;
		}
		const char *p = l + strspn(l, " \t");
		if (*p && (!r->last || strcmp(r->last, l))) {
			add_history(l);
			free(r->last);
			r->last = cprof_xstrdup(l);
		}
		*line = l;
		return 1;
	}
}
