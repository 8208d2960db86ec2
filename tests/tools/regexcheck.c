/*
 * regexcheck.c - cprof's side of the regexp differential test
 * (tests/regex/run_regex.sh): reads the case file format of
 * tests/regex/goregex.go on standard input and prints the same results
 * from cprof_regex_compile() and cprof_regex_find(), so that the two
 * outputs can be compared byte for byte.
 *
 *   cprof_regexcheck <CASES
 *   cprof_regexcheck -vm <CASES    the same from the fallback matcher (regex_vm.c) alone
 *   cprof_regexcheck -t PATTERN    print the PCRE2 translation (or Go's error)
 *
 * A subject on which cprof_regex_match() and cprof_regex_find() disagree
 * prints "inconsistent", which the reference never prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/error.h"
#include "cprof/regex.h"
#include "cprof/strbuf.h"
#include "src/core/regex_internal.h"

static int unhex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The item of a line: kind 'p' or 's' and its bytes (in val); 0 for a bad line. */
static int decode(const char *line, size_t len, struct strbuf *val)
{
	strbuf_reset(val);
	if (len < 2 || line[1] != ' ')
		return 0;
	if (line[0] == 'p' || line[0] == 's') {
		strbuf_add(val, line + 2, len - 2);
		return line[0];
	}
	if (line[0] != 'P' && line[0] != 'S')
		return 0;
	if ((len - 2) % 2)
		return 0;
	for (size_t i = 2; i < len; i += 2) {
		int hi = unhex(line[i]), lo = unhex(line[i + 1]);
		if (hi < 0 || lo < 0)
			return 0;
		strbuf_addch(val, hi * 16 + lo);
	}
	return line[0] + 'a' - 'A';
}

static int translate(const char *pattern)
{
	struct cprof_regex_translation t;
	struct cprof_error err;
	int rc = cprof_regex_translate(pattern, strlen(pattern), &t, &err);
	printf("%s\n", rc ? cprof_error_msg(&err) : t.pcre.buf);
	cprof_regex_translation_release(&t);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "-t"))
		return translate(argv[2]);
	bool vm = argc == 2 && !strcmp(argv[1], "-vm");
	if (argc != 1 && !vm) {
		fprintf(stderr, "usage: cprof_regexcheck [-vm] <CASES | -t PATTERN\n");
		return 2;
	}
	struct rx_prog *prog = NULL;

	struct strbuf val = STRBUF_INIT;
	struct cprof_regex *re = NULL;
	long *ovec = NULL;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int status = 0;

	while ((n = getline(&line, &cap, stdin)) >= 0) {
		size_t len = (size_t)n;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		int kind = decode(line, len, &val);
		if (!kind) {
			fprintf(stderr, "cprof_regexcheck: bad line: %s\n", line);
			status = 2;
			break;
		}
		if (kind == 'p') {
			struct cprof_error err;
			cprof_regex_free(re);
			free(ovec);
			ovec = NULL;
			fwrite(line, 1, len, stdout);
			putchar('\n');
			if (strlen(val.buf) != val.len) {
				/* cprof's patterns are C strings */
				fprintf(stderr, "cprof_regexcheck: NUL in a pattern: %s\n", line);
				status = 2;
				break;
			}
			if (!(re = cprof_regex_compile(val.buf, &err))) {
				printf("  error %s\n", cprof_error_msg(&err));
				continue;
			}
			rx_prog_free(prog);
			prog = vm ? rx_prog_make(val.buf, val.len) : NULL;
			printf("  ok %d\n", cprof_regex_groups(re));
			ovec = calloc((size_t)cprof_regex_groups(re) + 1, 2 * sizeof(*ovec));
			continue;
		}
		if (!re)
			continue;
		int ncap = cprof_regex_groups(re) + 1;
		bool found, whether;
		if (vm) {
			found = prog && rx_prog_search(prog, val.buf, val.len, ovec, ncap) == 1;
			whether = prog && rx_prog_search(prog, val.buf, val.len, NULL, 0) == 1;
		} else {
			found = cprof_regex_find(re, val.buf, val.len, ovec, ncap);
			whether = cprof_regex_matchn(re, val.buf, val.len);
		}
		fwrite(line, 1, len, stdout);
		fputs(": ", stdout);
		if (found != whether) {
			printf("inconsistent\n");
			continue;
		}
		if (!found) {
			printf("no\n");
			continue;
		}
		for (int i = 0; i < ncap; i++) {
			if (i)
				putchar(' ');
			if (ovec[2 * i] < 0)
				putchar('-');
			else
				printf("%ld-%ld", ovec[2 * i], ovec[2 * i + 1]);
		}
		putchar('\n');
	}
	cprof_regex_free(re);
	rx_prog_free(prog);
	free(ovec);
	free(line);
	strbuf_release(&val);
	if (fflush(stdout))
		status = 2;
	return status;
}
