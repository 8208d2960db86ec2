/*
 * version.c - `cprof version`: cprof's version and the versions of the
 * libraries it is linked with, as they report themselves at run time.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <elfutils/libdwfl.h>
#include <gvc.h>
#include <pcre2.h>
#include <protobuf-c/protobuf-c.h>
#include <zlib.h>

#include "src/cmd/version.h"
#include "src/driver/http.h"

void cprof_version_print(FILE *f)
{
	char pcre[64] = "";
	fprintf(f, "cprof %s\n", CPROF_VERSION);
	fprintf(f, "zlib %s\n", zlibVersion());
	fprintf(f, "protobuf-c %s\n", protobuf_c_version());
	GVC_t *gvc = gvContext();
	if (gvc) {
		fprintf(f, "graphviz %s\n", gvcVersion(gvc));
		gvFreeContext(gvc);
	}
	fprintf(f, "elfutils %s\n", dwfl_version(NULL));
	pcre2_config(PCRE2_CONFIG_VERSION, pcre);
	fprintf(f, "pcre2 %s\n", pcre);
	fprintf(f, "libcurl %s\n", cprof_http_version());
}
