/*
 * fuzz_regex.c - fuzz target: the RE2 validator and its PCRE2 translation
 * (src/core/regex_syntax.c, src/core/regex.c). The input is a pattern, as
 * a user types it after -focus=. Whatever the validator accepts must
 * compile in PCRE2 (or be too large for it): anything else is a
 * translation PCRE2 does not understand, and aborts. Compiled patterns
 * are then matched against fixed texts, the pattern itself and its tail.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "cprof/regex.h"
#include "src/core/regex_internal.h"

static const char *const texts[] = {
	"", "a", "main.main", "runtime.mallocgc", "cprofgen/workload/compute.(*Matrix).Mul",
	"aAbBkK\xe2\x84\xaasS\xc5\xbf \t\n\v_0-9.", "x\ny\n", "\xff\xfe", "\xc3\xa9\xe6\x97\xa5\xcf\x82\xed\xa0\x80",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
};

static void use(const struct cprof_regex *re, struct rx_prog *prog, const char *s, size_t len)
{
	long ov[8], vov[8];
	bool m = cprof_regex_matchn(re, s, len);
	if (m != cprof_regex_find(re, s, len, ov, 4))
		abort();
	if (m && (ov[0] < 0 || ov[0] > ov[1] || (size_t)ov[1] > len))
		abort();
	/* the VM takes program size times text length: keep each run short */
	if (!prog || prog->ninst * (len + 1) > 2000000)
		return;
	int v = rx_prog_search(prog, s, len, NULL, 0);
	if (v >= 0 && v != m)
		abort();
	if (v > 0 && rx_prog_search(prog, s, len, vov, 4) == 1 && memcmp(ov, vov, sizeof(ov)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cprof_regex_translation t;
	struct cprof_error err;

	if (cprof_regex_translate((const char *)data, size, &t, &err) == 0) {
		/* cprof's patterns are C strings: the part before a NUL */
		char *pattern = cprof_xstrndup((const char *)data, size);
		if (strlen(pattern) == size) {
			struct cprof_regex *re = cprof_regex_compile(pattern, &err);
			if (!re && !strstr(cprof_error_msg(&err), ": expression too large: `"))
				abort();
			if (re) {
				struct rx_prog *prog = rx_prog_make(pattern, size);
				for (size_t i = 0; i < CPROF_ARRAY_SIZE(texts); i++)
					use(re, prog, texts[i], strlen(texts[i]));
				use(re, prog, pattern, size);
				use(re, prog, pattern + size / 2, size - size / 2);
				rx_prog_free(prog);
				cprof_regex_free(re);
			}
		}
		free(pattern);
	} else if (strncmp(cprof_error_msg(&err), "error parsing regexp: ", 22)) {
		abort();
	}
	cprof_regex_translation_release(&t);
	return 0;
}
