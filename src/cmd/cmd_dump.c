/*
 * cmd_dump.c - `cprof dump FILE`: a profile exactly as parsed, before any
 * processing (no merging, symbolization, drop_frames pruning, fake
 * mapping), in pprof's Profile.String() layout: what the .string goldens
 * of pprof's profile/testdata hold, and what `-raw` prints after the
 * pipeline. Any input format cprof reads is accepted.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "src/cmd/commands.h"
#include "cprof/formats.h"
#include "formats/dump.h"
#include "src/cmd/subcmd_flags.h"

static const char synopsis[] = "cprof dump [-proto] [-go119] FILE";
static const char summary[] =
	"Print the profile in FILE as parsed, before any processing, in pprof's\n"
	"Profile.String() layout (current pprof: \"Doc:\" line, line:column).";

int cmd_dump(int argc, char **argv)
{
	bool proto = false, go119 = false, help = false;
	const struct subcmd_flag flags[] = {
		{"proto", SUBCMD_BOOL, &proto, NULL,
		 "encode the profile as gzipped profile.proto and parse that before printing (a round trip)"},
		{"go119", SUBCMD_BOOL, &go119, NULL,
		 "print Go 1.19's layout (no \"Doc:\" line, no column), as its pprof -raw does"},
	};
	struct cprof_error err = {0};
	int npos;

	if (subcmd_flags_parse(flags, CPROF_ARRAY_SIZE(flags), argc, argv, &npos, &help, &err) == 0 && !help &&
	    npos != 1)
		cprof_error_set(&err, CPROF_E_USAGE, npos ? "one file expected, got %d" : "no file given", npos);
	if (help) {
		subcmd_flags_usage(stdout, synopsis, summary, flags, CPROF_ARRAY_SIZE(flags));
		return 0;
	}
	if (err.code) {
		fprintf(stderr, "cprof: error: %s\nTry 'cprof dump -help' for more information.\n",
			cprof_error_msg(&err));
		return CPROF_EXIT_USAGE;
	}

	const char *path = argv[1];
	struct cprof_profile *p = NULL, *q = NULL;
	struct strbuf enc = STRBUF_INIT, raw = STRBUF_INIT, out = STRBUF_INIT;
	int rc = 0;

	if (cprof_read_profile(path, &p, &err) < 0)
		goto fail;
	if (proto) {
		if (cprof_pprof_encode(p, &enc, &err) < 0 ||
		    cprof_gunzip((const unsigned char *)enc.buf, enc.len, &raw, &err) < 0 ||
		    cprof_parse_profile((const unsigned char *)raw.buf, raw.len, &q, &err) < 0) {
			cprof_error_prefix(&err, "round trip");
			goto fail;
		}
		cprof_profile_free(p);
		p = q;
	}
	if (go119)
		cprof_profile_dump(p, &out);
	else
		cprof_profile_dump_upstream(p, &out);
	if (strbuf_write(&out, stdout) || fflush(stdout)) {
		fprintf(stderr, "cprof: error: cannot write standard output: %s\n", strerror(errno));
		rc = CPROF_EXIT_FATAL;
	}
	goto done;

fail:
	fflush(stdout);
	fprintf(stderr, "cprof: error: %s: %s\n", path, cprof_error_msg(&err));
	rc = CPROF_EXIT_FATAL;
done:
	cprof_profile_free(p);
	strbuf_release(&enc);
	strbuf_release(&raw);
	strbuf_release(&out);
	return rc;
}
