/*
 * viewer.h - showing a report in another program (-web, -kcachegrind), as
 * pprof's invokeVisualizer: the data goes to a temporary file that the
 * first viewer able to start is given as its last argument. No shell is
 * involved: each candidate is split at spaces into a program and its
 * arguments and started with posix_spawnp.
 */
#ifndef CPROF_VIEWER_H
#define CPROF_VIEWER_H

#include <stdbool.h>
#include <stddef.h>
#include "cprof/error.h"

/*
 * The candidates for showing an SVG, in pprof's order: $BROWSER, chrome,
 * google-chrome, chromium, firefox, sensible-browser, then xdg-open when a
 * desktop is running (DISPLAY or WAYLAND_DISPLAY set). Fills at most max
 * entries of out (strings owned by the environment or static) and
 * returns how many.
 */
size_t cprof_browsers(const char **out, size_t max);

/*
 * Write data[0..len) to $TMPDIR/cprof-XXXXXX.<suffix>, start the first of
 * viewers[0..n) that exists, wait for it (and at least a second, so a
 * viewer that hands the file to a running program has time to read it),
 * then remove the file. Returns 0, or -1 with err set: none of the viewers
 * could be started (`none` is the message then), or the viewer failed.
 * With background (the interactive shell, as pprof's), the viewer is not
 * waited for (only the second) and its file is removed at exit.
 */
int cprof_view(const char *data, size_t len, const char *suffix, const char *const *viewers,
	       size_t n, const char *none, bool background, struct cprof_error *err);

#endif
