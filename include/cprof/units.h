/*
 * units.h - pprof's measurement package: unit families, scaling, labels and
 * percentages, plus the Go formatting rules pprof's output depends on.
 */
#ifndef CPROF_UNITS_H
#define CPROF_UNITS_H

#include <stdint.h>
#include "cprof/strbuf.h"

/*
 * measurement.Scale: value of v (in unit `from`) expressed in unit `to`
 * ("minimum"/"auto" pick the largest unit whose value is >= 1). *out_unit
 * receives the unit name (static string or `to`/"" as pprof does).
 */
double cprof_unit_scale(int64_t v, const char *from, const char *to, const char **out_unit);
/* measurement.ScaledLabel: "%.2f" trimmed of ".00", unit appended. */
void cprof_scaled_label(int64_t v, const char *from, const char *to, struct strbuf *out);
/* measurement.Label: ScaledLabel with "auto". */
void cprof_unit_label(int64_t v, const char *unit, struct strbuf *out);
/* measurement.Percentage: "  100%", "%5.2f%%" or "%5.2g%%". */
void cprof_percentage(int64_t v, int64_t total, struct strbuf *out);
/* true if the unit names a known family (time, memory, gcu) */
int cprof_unit_family(const char *unit); /* 0 none, 1 memory, 2 time, 3 gcu */

/* Go's time.Duration.String() of ns (e.g. "1h2m3.5s", "1.5ms", "0s"). */
void cprof_go_duration(int64_t ns, struct strbuf *out);
/* Go's %v of a time.Time in the local zone: "2006-01-02 15:04:05.999999999 -0700 MST". */
void cprof_go_time(int64_t unix_nanos, struct strbuf *out);
/* Go 1.19 pprof's "Time:" header layout "Jan 2, 2006 at 3:04pm (MST)", local zone. */
void cprof_go_time_pprof(int64_t unix_nanos, struct strbuf *out);
/* Go's strconv.FormatFloat(f, 'g', -1, 64) (shortest repr), as %v prints floats. */
void cprof_go_float(double f, struct strbuf *out);

#endif
