/*
 * urlcheck - how cprof reads each source line of standard input as a URL,
 * one line out per line in, to compare with Go's net/url (fetchserver
 * -urls prints the same from Go 1.19's):
 *
 *   <source> TAB <URL to fetch or "-"> TAB <timeout ms> TAB <symbolz URL or "-"> TAB <abs 0/1>
 *
 * Arguments: the -seconds and -timeout values (-1 for none).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/driver/session_internal.h"
#include "src/driver/symbolz.h"
#include "src/driver/url.h"

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : -1, timeout = argc > 2 ? atoi(argv[2]) : -1;
	char line[8192];
	struct strbuf url = STRBUF_INIT, sz = STRBUF_INIT;
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		int64_t t = 0;
		bool is = cprof_fetch_adjust_url(line, seconds, timeout, &url, &t);
		bool has_sz = is && cprof_symbolz_url(url.buf, &sz);
		struct cprof_url u;
		bool abs = cprof_url_parse(&u, line) == 0 && u.scheme[0];
		cprof_url_release(&u);
		printf("%s\t%s\t%lld\t%s\t%d\n", line, is ? url.buf : "-", (long long)(is ? t : 0), has_sz ? sz.buf : "-",
		       abs);
	}
	strbuf_release(&url);
	strbuf_release(&sz);
	return 0;
}
