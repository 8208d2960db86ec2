/*
 * subcmd_flags.c - Go-flag-style parsing for subcommands (subcmd_flags.h).
 */
#include <string.h>

#include "src/cmd/subcmd_flags.h"

static const struct subcmd_flag *find(const struct subcmd_flag *flags, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(flags[i].name) == len && memcmp(flags[i].name, name, len) == 0)
			return &flags[i];
	return NULL;
}

int subcmd_flags_parse(const struct subcmd_flag *flags, size_t n, int argc, char **argv, int *npos,
		       bool *help, struct cprof_error *err)
{
	int out = 1;
	bool only_pos = false;

	*help = false;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (only_pos || a[0] != '-' || a[1] == '\0') {
			argv[out++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_pos = true;
			continue;
		}
		const char *name = a + 1 + (a[1] == '-');
		const char *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		if ((len == 1 && name[0] == 'h') || (len == 4 && !memcmp(name, "help", 4))) {
			*help = true;
			continue;
		}
		const struct subcmd_flag *f = find(flags, n, name, len);
		if (!f)
			return cprof_error_set(err, CPROF_E_USAGE, "flag provided but not defined: -%.*s", (int)len, name);
		if (f->kind == SUBCMD_BOOL) {
			bool v = true;
			if (eq) {
				const char *s = eq + 1;
				if (!strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "t") || !strcmp(s, "TRUE") ||
				    !strcmp(s, "True") || !strcmp(s, "T"))
					v = true;
				else if (!strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "f") ||
					 !strcmp(s, "FALSE") || !strcmp(s, "False") || !strcmp(s, "F"))
					v = false;
				else
					return cprof_error_set(err, CPROF_E_USAGE,
							       "invalid boolean value '%s' for -%s", s, f->name);
			}
			*(bool *)f->value = v;
			continue;
		}
		if (eq) {
			*(const char **)f->value = eq + 1;
		} else if (i + 1 < argc) {
			*(const char **)f->value = argv[++i];
		} else {
			return cprof_error_set(err, CPROF_E_USAGE, "flag needs an argument: -%s", f->name);
		}
	}
	*npos = out - 1;
	return 0;
}

void subcmd_flags_usage(FILE *f, const char *synopsis, const char *summary, const struct subcmd_flag *flags,
			size_t n)
{
	fprintf(f, "usage: %s\n\n%s\n\nflags:\n", synopsis, summary);
	/* the help column starts at 21, or further right when a flag is longer */
	int width = 18;
	for (size_t i = 0; i < n; i++) {
		int len = (int)(1 + strlen(flags[i].name) + (flags[i].arg ? 1 + strlen(flags[i].arg) : 0));
		if (len > width && len < 64)
			width = len;
	}
	for (size_t i = 0; i < n; i++) {
		char left[64];
		snprintf(left, sizeof(left), "-%s%s%s", flags[i].name, flags[i].arg ? "=" : "",
			 flags[i].arg ? flags[i].arg : "");
		fprintf(f, "  %-*s %s\n", width, left, flags[i].help);
	}
}
