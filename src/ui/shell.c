/*
 * shell.c - pprof's interactive shell (Go 1.19 internal/driver/
 * interactive.go) over a loaded session: `cprof [flags] [binary] source...`
 * without an output format.
 *
 *   (pprof) top10 -cum main\.       a report: count, focus words, -ignore
 *   (pprof) focus=Parse //: note    an option, kept for later commands
 *   (pprof) alloc_space             a sample type shortcut
 *   (pprof) :                       clear the filters
 *   (pprof) o | help [topic] | q
 *
 * Every report is one request of the session, so after the load a command
 * costs its report only. What it prints, and where (reports on standard
 * output, messages and errors on standard error, the prompt on standard
 * output when reading a pipe), is pprof's, byte for byte; a terminal gets
 * line editing, history and completion besides (src/ui/shell_edit.c).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/session.h"
#include "src/ui/shell.h"
#include "src/ui/ui.h"

/* ---- the commands (pprof's pprofCommands) ---------------------------------- */

enum usage_kind { U_NONE, U_TEXT, U_REPORT, U_LIST };

struct shell_cmd {
	const char *name;
	enum cprof_format format;
	bool has_param;
	const char *description;
	enum usage_kind usage;
	bool cum, redirect; /* U_REPORT: reportHelp's flags; U_LIST: redirect */
	const char *text;   /* U_TEXT */
	bool own;           /* cprof's, not pprof's: not in pprof's `help` list */
};

static const struct shell_cmd commands[] = {
	{"comments", CPROF_FMT_COMMENTS, false, "Output all profile comments", U_NONE, 0, 0, NULL, false},
	{"disasm", CPROF_FMT_DISASM, true, "Output assembly listings annotated with samples", U_LIST, 0, true, NULL,
	 false},
	{"dot", CPROF_FMT_DOT, false, "Outputs a graph in DOT format", U_REPORT, false, true, NULL, false},
	{"list", CPROF_FMT_LIST, true, "Output annotated source for functions matching regexp", U_LIST, 0, false,
	 NULL, false},
	{"peek", CPROF_FMT_PEEK, true, "Output callers/callees of functions matching regexp", U_TEXT, 0, 0,
	 "peek func_regex\nDisplay callers and callees of functions matching func_regex.", false},
	{"raw", CPROF_FMT_RAW, false, "Outputs a text representation of the raw profile", U_NONE, 0, 0, NULL,
	 false},
	{"tags", CPROF_FMT_TAGS, false, "Outputs all tags in the profile", U_TEXT, 0, 0,
	 "tags [tag_regex]* [-ignore_regex]* [>file]\n"
	 "List tags with key:value matching tag_regex and exclude ignore_regex.",
	 false},
	{"text", CPROF_FMT_TEXT, false, "Outputs top entries in text form", U_REPORT, true, true, NULL, false},
	{"top", CPROF_FMT_TOP, false, "Outputs top entries in text form", U_REPORT, true, true, NULL, false},
	{"traces", CPROF_FMT_TRACES, false, "Outputs all profile samples in text form", U_NONE, 0, 0, NULL, false},
	{"tree", CPROF_FMT_TREE, false, "Outputs a text rendering of call graph", U_REPORT, true, true, NULL, false},
	{"callgrind", CPROF_FMT_CALLGRIND, false, "Outputs a graph in callgrind format", U_REPORT, false, true,
	 NULL, false},
	{"proto", CPROF_FMT_PROTO, false, "Outputs the profile in compressed protobuf format", U_NONE, 0, 0, NULL,
	 false},
	{"topproto", CPROF_FMT_TOPPROTO, false, "Outputs top entries in compressed protobuf format", U_NONE, 0, 0,
	 NULL, false},
	{"gif", CPROF_FMT_GIF, false, "Outputs a graph image in GIF format", U_REPORT, false, true, NULL, false},
	{"pdf", CPROF_FMT_PDF, false, "Outputs a graph in PDF format", U_REPORT, false, true, NULL, false},
	{"png", CPROF_FMT_PNG, false, "Outputs a graph image in PNG format", U_REPORT, false, true, NULL, false},
	{"ps", CPROF_FMT_PS, false, "Outputs a graph in PS format", U_REPORT, false, true, NULL, false},
	{"svg", CPROF_FMT_SVG, false, "Outputs a graph in SVG format", U_REPORT, false, true, NULL, false},
	{"eog", CPROF_FMT_EOG, false, "Visualize graph through eog", U_REPORT, false, false, NULL, false},
	{"evince", CPROF_FMT_EVINCE, false, "Visualize graph through evince", U_REPORT, false, false, NULL, false},
	{"gv", CPROF_FMT_GV, false, "Visualize graph through gv", U_REPORT, false, false, NULL, false},
	{"web", CPROF_FMT_WEB, false, "Visualize graph through web browser", U_REPORT, false, false, NULL, false},
	{"kcachegrind", CPROF_FMT_KCACHEGRIND, false, "Visualize report in KCachegrind", U_REPORT, false, false,
	 NULL, false},
	{"weblist", CPROF_FMT_WEBLIST, true, "Display annotated source in a web browser", U_LIST, 0, false, NULL,
	 false},
	/* cprof's own reports, as on its command line */
	{"folded", CPROF_FMT_FOLDED, false, "Outputs folded stacks (FlameGraph/speedscope/inferno input)",
	 U_REPORT, false, true, NULL, true},
	{"flame", CPROF_FMT_FLAME, false, "Outputs an interactive flame graph as a self-contained SVG", U_REPORT,
	 false, true, NULL, true},
	{"legacy", CPROF_FMT_LEGACY, false, "Outputs the profile in Go's debug=1 legacy text format", U_NONE, 0, 0,
	 NULL, true},
};

static const struct shell_cmd *find_command(const char *name, size_t len)
{
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(commands); i++)
		if (strlen(commands[i].name) == len && !strncmp(commands[i].name, name, len))
			return &commands[i];
	return NULL;
}

size_t cprof_shell_command_names(const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(commands) && n < max; i++)
		out[n++] = commands[i].name;
	return n;
}

bool cprof_shell_command_takes_functions(const char *name, size_t len)
{
	const struct shell_cmd *c = find_command(name, len);
	return c && c->format != CPROF_FMT_TAGS;
}

/* ---- printing, as Go's fmt does ---------------------------------------------- */

static size_t rune_count(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* fmt's %-Ns: width counted in runes */
static void add_padded(struct strbuf *sb, const char *s, size_t width)
{
	strbuf_addstr(sb, s);
	size_t n = rune_count(s);
	if (n < width)
		strbuf_addchars(sb, ' ', width - n);
}

/* Go's %q (strconv.Quote) for what people type: printable text kept, the rest escaped. */
static void add_go_quoted(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			strbuf_addstr(sb, "\\\"");
			continue;
		case '\\':
			strbuf_addstr(sb, "\\\\");
			continue;
		case '\a':
			strbuf_addstr(sb, "\\a");
			continue;
		case '\b':
			strbuf_addstr(sb, "\\b");
			continue;
		case '\f':
			strbuf_addstr(sb, "\\f");
			continue;
		case '\n':
			strbuf_addstr(sb, "\\n");
			continue;
		case '\r':
			strbuf_addstr(sb, "\\r");
			continue;
		case '\t':
			strbuf_addstr(sb, "\\t");
			continue;
		case '\v':
			strbuf_addstr(sb, "\\v");
			continue;
		}
		if (*p < 0x20 || *p == 0x7f) {
			strbuf_addf(sb, "\\x%02x", *p);
		} else if (*p < 0x80) {
			strbuf_addch(sb, (char)*p);
		} else {
			/* a valid UTF-8 sequence is kept whole, a stray byte escaped */
			size_t n = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : *p >= 0xc0 ? 2 : 0;
			size_t k = 1;
			while (n && k < n && (p[k] & 0xc0) == 0x80)
				k++;
			if (n && k == n && (*p != 0xc2 || p[1] >= 0xa0)) { /* C1 controls are escaped */
				strbuf_add(sb, p, n);
				p += n - 1;
			} else if (n == 2 && k == 2) {
				strbuf_addf(sb, "\\u%04x", ((p[0] & 0x1f) << 6) | (p[1] & 0x3f));
				p += 1;
			} else {
				strbuf_addf(sb, "\\x%02x", *p);
			}
		}
	}
	strbuf_addch(sb, '"');
}

struct shell {
	struct cprof_session *s;
	struct cprof_report_config cur; /* pprof's currentConfig */
	struct cprof_arena arena;       /* the strings of the options set */
	struct cprof_shell_reader *in;
	const char **types;
	size_t ntypes;
};

/* ui.Print / ui.PrintErr: a line on standard error (errors in red on a terminal). */
static void print_msg(struct shell *sh, bool is_err, const char *text)
{
	fflush(stdout);
	size_t n = strlen(text);
	bool color = is_err && cprof_shell_reader_is_terminal(sh->in);
	if (color)
		fputs("\033[0;31m", stderr);
	fputs(text, stderr);
	if (!n || text[n - 1] != '\n')
		fputc('\n', stderr);
	if (color)
		fputs("\033[0m", stderr);
	fflush(stderr);
}

static void print_err(struct shell *sh, const char *msg)
{
	print_msg(sh, true, msg);
}

/* ---- help (pprof's usage, commandHelp, command.help) ------------------------ */

static void add_first_line(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strcspn(s, "\n"));
}

/* fmtHelp: "    %-16s %s" with the first line of the description */
static void fmt_help(struct strbuf *sb, const char *name, const char *desc)
{
	strbuf_addstr(sb, "    ");
	add_padded(sb, name, 16);
	strbuf_addch(sb, ' ');
	add_first_line(sb, desc ? desc : "");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The lines of items, sorted, joined by "\n". */
static void add_sorted(struct strbuf *out, char **items, size_t n)
{
	qsort(items, n, sizeof(*items), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_addch(out, '\n');
		strbuf_addstr(out, items[i]);
		free(items[i]);
	}
}

static char *fmt_help_dup(const char *name, const char *desc)
{
	struct strbuf sb = STRBUF_INIT;
	fmt_help(&sb, name, desc);
	return strbuf_detach(&sb, NULL);
}

static void usage(struct strbuf *out)
{
	char *items[64];
	size_t n = 0;

	strbuf_addstr(out, "  Commands:\n");
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(commands); i++)
		if (!commands[i].own)
			items[n++] = fmt_help_dup(commands[i].name, commands[i].description);
	add_sorted(out, items, n);
	strbuf_addch(out, '\n');
	fmt_help(out, "o/options", "List options and their current values");
	strbuf_addch(out, '\n');
	fmt_help(out, "q/quit/exit/^D", "Exit pprof");
	strbuf_addstr(out, "\n\n  Options:\n");

	n = 0;
	char *radio[8];
	size_t nradio = 0;
	for (size_t i = 0; i < cprof_nconfig_fields; i++) {
		const struct cprof_config_field *f = &cprof_config_fields[i];
		if (!f->choices) {
			items[n++] = fmt_help_dup(f->name, f->help);
			continue;
		}
		struct strbuf g = STRBUF_INIT;
		fmt_help(&g, f->name, "");
		for (const char *const *ch = f->choices; *ch; ch++) {
			strbuf_addstr(&g, "\n  ");
			fmt_help(&g, *ch, cprof_config_choice_help(*ch));
		}
		radio[nradio++] = strbuf_detach(&g, NULL);
	}
	add_sorted(out, items, n);
	strbuf_addstr(out, "\n\n  Option groups (only set one per group):\n");
	add_sorted(out, radio, nradio);
}

/* reportHelp and listHelp */
static void command_usage(const struct shell_cmd *c, struct strbuf *u)
{
	switch (c->usage) {
	case U_NONE:
		break;
	case U_TEXT:
		strbuf_addstr(u, c->text);
		break;
	case U_REPORT:
		strbuf_addf(u, "%s [n] [focus_regex]* [-ignore_regex]*%s%s\n", c->name, c->cum ? " [-cum]" : "",
			    c->redirect ? " >f" : "");
		strbuf_addstr(u, "Include up to n samples\n"
				 "Include samples matching focus_regex, and exclude ignore_regex.");
		if (c->cum)
			strbuf_addstr(u, "\n-cum sorts the output by cumulative weight");
		if (c->redirect)
			strbuf_addstr(u, "\nOptionally save the report on the file f");
		break;
	case U_LIST:
		strbuf_addf(u, "%s<func_regex|address> [-focus_regex]* [-ignore_regex]*%s\n", c->name,
			    c->redirect ? " >f" : "");
		strbuf_addstr(u, "Include functions matching func_regex, or including the address specified.\n"
				 "Include samples matching focus_regex, and exclude ignore_regex.");
		if (c->redirect)
			strbuf_addstr(u, "\nOptionally save the report on the file f");
		break;
	}
}

/* The help text of an option, with the shell's addition for sample_index. */
static void config_help(struct shell *sh, const char *name, struct strbuf *out)
{
	const struct cprof_config_field *f = NULL;
	for (size_t i = 0; i < cprof_nconfig_fields; i++)
		if (!strcmp(cprof_config_fields[i].name, name))
			f = &cprof_config_fields[i];
	const char *h = f ? f->help : cprof_config_choice_help(name);
	if (!h)
		return;
	strbuf_addstr(out, h);
	if (f && !strcmp(f->name, "sample_index")) {
		strbuf_addstr(out, "Or use sample_index=name, with name in [");
		for (size_t i = 0; i < sh->ntypes; i++)
			strbuf_addf(out, "%s%s", i ? " " : "", sh->types[i]);
		strbuf_addstr(out, "].\n");
	}
}

static void command_help(struct shell *sh, const char *args)
{
	struct strbuf out = STRBUF_INIT;
	if (!*args) {
		usage(&out);
		strbuf_addstr(&out, "\n  :   Clear focus/ignore/hide/tagfocus/tagignore\n\n"
				    "  type \"help <cmd|option>\" for more information\n");
		print_msg(sh, false, out.buf);
	} else if (!strcmp(args, "cprof")) {
		strbuf_addstr(&out, "  Commands of cprof besides pprof's:\n");
		for (size_t i = 0; i < CPROF_ARRAY_SIZE(commands); i++)
			if (commands[i].own) {
				fmt_help(&out, commands[i].name, commands[i].description);
				strbuf_addch(&out, '\n');
			}
		print_msg(sh, false, out.buf);
	} else {
		const struct shell_cmd *c = find_command(args, strlen(args));
		if (c) {
			struct strbuf u = STRBUF_INIT;
			command_usage(c, &u);
			strbuf_addf(&out, "%s\n", c->description);
			if (u.len) {
				strbuf_addstr(&out, "  Usage:\n");
				for (char *line = u.buf, *nl;; line = nl + 1) {
					nl = strchr(line, '\n');
					strbuf_addf(&out, "    %.*s\n", nl ? (int)(nl - line) : (int)strlen(line), line);
					if (!nl)
						break;
				}
			}
			strbuf_addch(&out, '\n');
			strbuf_release(&u);
			print_msg(sh, false, out.buf);
		} else {
			config_help(sh, args, &out);
			if (out.len) {
				strbuf_addch(&out, '\n');
				print_msg(sh, false, out.buf);
			} else {
				strbuf_addf(&out, "Unknown command: %s", args);
				print_err(sh, out.buf);
			}
		}
	}
	strbuf_release(&out);
}

/* pprof's printCurrentOptions */
static void print_options(struct shell *sh)
{
	char *lines[64];
	size_t n = 0;
	struct strbuf v = STRBUF_INIT;
	for (size_t i = 0; i < cprof_nconfig_fields; i++) {
		const struct cprof_config_field *f = &cprof_config_fields[i];
		struct strbuf comment = STRBUF_INIT, line = STRBUF_INIT;
		cprof_report_config_get(&sh->cur, f, &v);
		if (f->choices) {
			const char *ch[16];
			size_t nch = 0;
			for (const char *const *c = f->choices; *c; c++)
				ch[nch++] = *c;
			qsort(ch, nch, sizeof(*ch), cmp_str);
			strbuf_addch(&comment, '[');
			for (size_t k = 0; k < nch; k++)
				strbuf_addf(&comment, "%s%s", k ? " | " : "", ch[k]);
			strbuf_addch(&comment, ']');
		} else if (!strcmp(f->name, "sample_index")) {
			if (!v.len && sh->ntypes)
				strbuf_addstr(&v, sh->types[sh->ntypes - 1]);
			strbuf_addch(&comment, '[');
			for (size_t k = 0; k < sh->ntypes; k++)
				strbuf_addf(&comment, "%s%s", k ? " | " : "", sh->types[k]);
			strbuf_addch(&comment, ']');
		} else if (!strcmp(f->name, "source_path")) {
			strbuf_release(&comment);
			continue;
		} else if (!strcmp(f->name, "nodecount") && !strcmp(v.buf, "-1")) {
			strbuf_addstr(&comment, "default");
		} else if (!v.len) {
			strbuf_addstr(&v, "\"\"");
		}
		strbuf_addstr(&line, "  ");
		add_padded(&line, f->name, 25);
		strbuf_addstr(&line, " = ");
		add_padded(&line, v.buf, 20);
		strbuf_addch(&line, ' ');
		if (comment.len)
			strbuf_addf(&line, "//: %s", comment.buf);
		lines[n++] = strbuf_detach(&line, NULL);
		strbuf_release(&comment);
	}
	struct strbuf out = STRBUF_INIT;
	add_sorted(&out, lines, n);
	print_msg(sh, false, out.buf);
	strbuf_release(&out);
	strbuf_release(&v);
}

/* ---- commands --------------------------------------------------------------- */

/* strings.Fields, for ASCII white space */
static size_t split_fields(char *s, char **out, size_t max)
{
	size_t n = 0;
	for (char *p = s;;) {
		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		char *start = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (n < max)
			out[n++] = start;
		if (!*p)
			break;
		*p++ = '\0';
	}
	return n;
}

/* Go's strconv.ParseInt(t, 10, 32) */
static bool parse_int32(const char *t, int *out)
{
	const char *p = t;
	bool neg = false;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (!*p)
		return false;
	long long v = 0;
	for (; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return false;
		v = v * 10 + (*p - '0');
		if (v > 2147483648LL)
			return false;
	}
	if (neg)
		v = -v;
	if (v > 2147483647LL || v < -2147483648LL)
		return false;
	*out = (int)v;
	return true;
}

static void cat_regex(struct strbuf *sb, const char *re)
{
	if (sb->len && *re)
		strbuf_addch(sb, '|');
	strbuf_addstr(sb, re);
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

/* pprof's parseCommandLine + generateReport: one report command. */
static void run_command(struct shell *sh, char **tok, size_t ntok)
{
	struct strbuf msg = STRBUF_INIT, focus = STRBUF_INIT, ignore = STRBUF_INIT;
	struct cprof_arena tmp;
	const char *name = tok[0];
	size_t nlen = strlen(name);
	char **args = tok + 1;
	size_t nargs = ntok - 1;
	char *digits_arg[1];
	char **argv2 = NULL;

	cprof_arena_init(&tmp);
	const struct shell_cmd *c = find_command(name, nlen);
	if (!c) {
		/* top10: the count glued to the name */
		size_t d = nlen;
		while (d && isdigit((unsigned char)name[d - 1]))
			d--;
		if (d < nlen && d > 0 && all_digits(name + d, nlen - d)) {
			c = find_command(name, d);
			if (c) {
				digits_arg[0] = (char *)name + d;
				argv2 = cprof_xcalloc(nargs + 1, sizeof(*argv2));
				argv2[0] = digits_arg[0];
				memcpy(argv2 + 1, args, nargs * sizeof(*args));
				args = argv2;
				nargs++;
			}
		}
	}
	if (!c) {
		bool choice;
		if (cprof_config_field_find(name, &choice) &&
		    (choice || strcmp(name, "sort") != 0) && strcmp(name, "granularity") != 0)
			strbuf_addf(&msg, "did you mean: %s=%s", name, nargs ? args[0] : "<val>");
		else {
			strbuf_addstr(&msg, "unrecognized command: ");
			add_go_quoted(&msg, name);
		}
		print_err(sh, msg.buf);
		goto done;
	}
	const char *arg = NULL;
	if (c->has_param) {
		if (!nargs) {
			strbuf_addf(&msg, "command %s requires an argument", c->name);
			print_err(sh, msg.buf);
			goto done;
		}
		arg = args[0];
		args++, nargs--;
	}

	struct cprof_report_config v = sh->cur; /* options on the command line do not persist */
	for (size_t i = 0; i < nargs; i++) {
		const char *t = args[i];
		int num;
		if (parse_int32(t, &num)) {
			v.nodecount = num;
			continue;
		}
		if (t[0] == '>') {
			const char *file = t + 1;
			if (!*file) {
				if (++i >= nargs) {
					print_err(sh, "unexpected end of line after >");
					goto done;
				}
				file = args[i];
			}
			v.output = file;
		} else if (t[0] == '-') {
			if (!strcmp(t, "--cum") || !strcmp(t, "-cum")) {
				v.sort = "cum";
				continue;
			}
			cat_regex(&ignore, t + 1);
		} else {
			cat_regex(&focus, t);
		}
	}
	if (c->format == CPROF_FMT_TAGS) {
		if (focus.len)
			v.filter.tagfocus = focus.buf;
		if (ignore.len)
			v.filter.tagignore = ignore.buf;
	} else {
		if (focus.len)
			v.filter.focus = focus.buf;
		if (ignore.len)
			v.filter.ignore = ignore.buf;
	}
	if (v.nodecount == -1 && (c->format == CPROF_FMT_TEXT || c->format == CPROF_FMT_TOP))
		v.nodecount = 10;

	struct cprof_request rq = {.format = c->format, .arg = arg, .cfg = v};
	struct cprof_error err = {0};
	const char *subject;
	cprof_shell_interruptible(true);
	int rc = cprof_ui_report(sh->s, &rq, true, &err, &subject);
	if (rc && cprof_interrupted() && cprof_shell_reader_is_terminal(sh->in))
		fputc('\n', stderr); /* after the terminal's "^C" */
	cprof_shell_interruptible(false);
	if (rc) {
		if (subject && *subject)
			strbuf_addf(&msg, "%s: ", subject);
		strbuf_addstr(&msg, cprof_error_msg(&err));
		print_err(sh, msg.buf);
	}
done:
	free(argv2);
	cprof_arena_release(&tmp);
	strbuf_release(&msg);
	strbuf_release(&focus);
	strbuf_release(&ignore);
}

/* A name=value assignment, or NULL when name is not an option (then the input is a command). */
static bool assign(struct shell *sh, const char *input)
{
	const char *eq = strchr(input, '=');
	size_t nlen = eq ? (size_t)(eq - input) : strlen(input);
	struct strbuf name = STRBUF_INIT, value = STRBUF_INIT, msg = STRBUF_INIT;
	bool handled = false;

	while (nlen && isspace((unsigned char)*input))
		input++, nlen--;
	while (nlen && isspace((unsigned char)input[nlen - 1]))
		nlen--;
	strbuf_add(&name, input, nlen);
	if (!cprof_config_field_find(name.buf, NULL))
		goto done;
	handled = true;
	if (eq) {
		const char *val = eq + 1;
		size_t vlen = strlen(val);
		/* the last "//:" starts a comment */
		for (const char *p = val; (p = strstr(p, "//:")); p++)
			vlen = (size_t)(p - val);
		while (vlen && isspace((unsigned char)*val))
			val++, vlen--;
		while (vlen && isspace((unsigned char)val[vlen - 1]))
			vlen--;
		strbuf_add(&value, val, vlen);
	} else if (!cprof_config_is_bool(name.buf)) {
		strbuf_addf(&msg, "please specify a value, e.g. %s=<val>", name.buf);
		print_err(sh, msg.buf);
		goto done;
	}
	struct cprof_error err = {0};
	if (!strcmp(name.buf, "sample_index")) {
		int index;
		if (cprof_sample_index(cprof_session_profile(sh->s), value.buf, &index, &err)) {
			print_err(sh, cprof_error_msg(&err));
			goto done;
		}
		strbuf_reset(&value);
		strbuf_addstr(&value, sh->types[index]);
	}
	if (cprof_report_config_set(&sh->cur, name.buf, value.buf, &sh->arena, &err))
		print_err(sh, cprof_error_msg(&err));
done:
	strbuf_release(&name);
	strbuf_release(&value);
	strbuf_release(&msg);
	return handled;
}

/* One input, after shortcut expansion: an assignment, a shell command or a report. Returns 1 to quit. */
static int process(struct shell *sh, const char *input)
{
	if (assign(sh, input))
		return 0;
	char *buf = cprof_xstrdup(input);
	char *tok[256];
	size_t ntok = split_fields(buf, tok, CPROF_ARRAY_SIZE(tok));
	int quit = 0;
	if (ntok == 0) {
		;
	} else if (!strcmp(tok[0], "o") || !strcmp(tok[0], "options")) {
		print_options(sh);
	} else if (!strcmp(tok[0], "exit") || !strcmp(tok[0], "quit") || !strcmp(tok[0], "q")) {
		quit = 1;
	} else if (!strcmp(tok[0], "help")) {
		struct strbuf args = STRBUF_INIT;
		for (size_t i = 1; i < ntok; i++)
			strbuf_addf(&args, "%s%s", i > 1 ? " " : "", tok[i]);
		command_help(sh, args.buf);
		strbuf_release(&args);
	} else {
		run_command(sh, tok, ntok);
	}
	free(buf);
	return quit;
}

/*
 * pprof's shortcuts: ":" clears the filters; a sample type's name selects
 * it, total_<type> and mean_<type> with -mean off or on. The whole input
 * (trimmed) must match.
 */
static int expand_and_process(struct shell *sh, const char *line)
{
	size_t len = strlen(line);
	while (len && isspace((unsigned char)*line))
		line++, len--;
	while (len && isspace((unsigned char)line[len - 1]))
		len--;
	struct strbuf in = STRBUF_INIT, cmd = STRBUF_INIT;
	strbuf_add(&in, line, len);
	int quit = 0;
	if (!strcmp(in.buf, ":")) {
		static const char *const clear[] = {"focus=", "ignore=", "hide=", "tagfocus=", "tagignore="};
		for (size_t i = 0; i < CPROF_ARRAY_SIZE(clear); i++)
			process(sh, clear[i]);
		goto done;
	}
	/* the last sample type of a name wins, as a map filled in order */
	for (size_t i = sh->ntypes; i-- > 0;) {
		const char *t = sh->types[i];
		const char *mean = NULL;
		if (!strcmp(in.buf, t))
			mean = "";
		else if (!strncmp(in.buf, "total_", 6) && !strcmp(in.buf + 6, t))
			mean = "mean=0";
		else if (!strncmp(in.buf, "mean_", 5) && !strcmp(in.buf + 5, t))
			mean = "mean=1";
		if (!mean)
			continue;
		if (*mean)
			process(sh, mean);
		strbuf_addf(&cmd, "sample_index=%s", t);
		process(sh, cmd.buf);
		goto done;
	}
	quit = process(sh, in.buf);
done:
	strbuf_release(&in);
	strbuf_release(&cmd);
	return quit;
}

/* pprof's greetings */
static void greetings(struct shell *sh)
{
	struct strbuf labels = STRBUF_INIT, notes = STRBUF_INIT;
	struct cprof_error err = {0};
	bool zero = false;
	if (cprof_session_labels(sh->s, &sh->cur, &labels, &zero, &notes, &err) == 0) {
		for (const char *p = notes.buf; *p;) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			struct strbuf one = STRBUF_INIT;
			strbuf_add(&one, p, n);
			print_err(sh, one.buf);
			strbuf_release(&one);
			p += n + (nl != NULL);
		}
		if (labels.len && labels.buf[labels.len - 1] == '\n')
			strbuf_setlen(&labels, labels.len - 1);
		print_msg(sh, false, labels.buf);
		if (zero && sh->ntypes > 1) {
			print_msg(sh, false, "No samples were found with the default sample value type.");
			print_msg(sh, false, "Try \"sample_index\" command to analyze different sample values.");
		}
	}
	print_msg(sh, false, "Entering interactive mode (type \"help\" for commands, \"o\" for options)");
	strbuf_release(&labels);
	strbuf_release(&notes);
}

int cprof_shell_main(struct cprof_session *s, const struct cprof_report_config *cfg)
{
	struct shell sh = {.s = s, .cur = *cfg};
	struct cprof_error err = {0};
	cprof_arena_init(&sh.arena);
	sh.ntypes = cprof_session_sample_types(s, &sh.types);
	sh.cur.compact_labels = true; /* pprof's configure("compact_labels", "true") */

	sh.in = cprof_shell_reader_open(s);
	greetings(&sh);
	for (;;) {
		char *line = NULL;
		int r = cprof_shell_read_line(sh.in, "(pprof) ", &line, &err);
		if (r < 0) {
			print_err(&sh, cprof_error_msg(&err));
			break;
		}
		if (r == 0 && !line)
			break; /* end of input */
		/* a last line without its newline is run, then the prompt comes once more, as pprof's */
		int quit = expand_and_process(&sh, line);
		free(line);
		if (quit)
			break;
	}
	cprof_shell_reader_close(sh.in);
	cprof_arena_release(&sh.arena);
	return 0;
}
