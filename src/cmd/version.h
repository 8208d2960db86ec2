/* version.h - `cprof version` (src/cmd/version.c). */
#ifndef CPROF_VERSION_H
#define CPROF_VERSION_H
#include <stdio.h>
void cprof_version_print(FILE *f);
#endif
