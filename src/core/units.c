/*
 * units.c - pprof's measurement package and the few Go formatting rules
 * that reports depend on (see units.h).
 *
 * Unit families, as Go 1.19's internal/measurement declares them:
 *
 *   memory  B (b, byte) · kB (kb, kbyte, kilobyte) 2^10 · MB 2^20 · GB 2^30
 *           · TB 2^40 · PB 2^50                                default B
 *   time    ns (ns, nanosecond) · us (μs, us, microsecond) · ms · s (s, sec,
 *           second) · hrs (hour, hr)                           default s
 *   gcu     n*GCU (nanogcu) 1e-9 ... P*GCU (petagcu) 1e15      default GCU
 *
 * A unit string is "sniffed": lower-cased, one trailing 's' dropped when
 * the string is longer than 2 bytes, then looked up among the aliases.
 * Arithmetic is done in double exactly as Go does it (value × factor, then
 * ÷ factor), so the "%.2f" that follows rounds the same way.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cprof/units.h"

struct unit {
	const char *name;
	const char *alias[4]; /* NULL-terminated */
	double factor;
};

struct unit_family {
	const struct unit *units;
	size_t nunits;
	const char *default_name;
	double default_factor;
};

static const struct unit memory_units[] = {
	{"B", {"b", "byte"}, 1},
	{"kB", {"kb", "kbyte", "kilobyte"}, (double)(1ULL << 10)},
	{"MB", {"mb", "mbyte", "megabyte"}, (double)(1ULL << 20)},
	{"GB", {"gb", "gbyte", "gigabyte"}, (double)(1ULL << 30)},
	{"TB", {"tb", "tbyte", "terabyte"}, (double)(1ULL << 40)},
	{"PB", {"pb", "pbyte", "petabyte"}, (double)(1ULL << 50)},
};

static const struct unit time_units[] = {
	{"ns", {"ns", "nanosecond"}, 1},
	{"us", {"\xce\xbcs", "us", "microsecond"}, 1e3},
	{"ms", {"ms", "millisecond"}, 1e6},
	{"s", {"s", "sec", "second"}, 1e9},
	{"hrs", {"hour", "hr"}, 3600e9},
};

static const struct unit gcu_units[] = {
	{"n*GCU", {"nanogcu"}, 1e-9},  {"u*GCU", {"microgcu"}, 1e-6}, {"m*GCU", {"milligcu"}, 1e-3},
	{"GCU", {"gcu"}, 1},           {"k*GCU", {"kilogcu"}, 1e3},   {"M*GCU", {"megagcu"}, 1e6},
	{"G*GCU", {"gigagcu"}, 1e9},   {"T*GCU", {"teragcu"}, 1e12},  {"P*GCU", {"petagcu"}, 1e15},
};

/* Order matters: Scale tries the families in this order (memory, time, gcu). */
static const struct unit_family families[] = {
	{memory_units, CPROF_ARRAY_SIZE(memory_units), "B", 1},
	{time_units, CPROF_ARRAY_SIZE(time_units), "s", 1e9},
	{gcu_units, CPROF_ARRAY_SIZE(gcu_units), "GCU", 1},
};

/* The unit of family f that the string s names, or NULL (pprof's sniffUnit). */
static const struct unit *sniff(const struct unit_family *f, const char *s)
{
	char low[64];
	size_t n = strlen(s);
	if (n >= sizeof(low))
		return NULL; /* no alias is that long */
	for (size_t i = 0; i < n; i++)
		low[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
	if (n > 2 && low[n - 1] == 's')
		n--;
	low[n] = '\0';
	for (size_t i = 0; i < f->nunits; i++)
		for (const char *const *a = f->units[i].alias; *a; a++)
			if (!strcmp(*a, low))
				return &f->units[i];
	return NULL;
}

int cprof_unit_family(const char *unit)
{
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(families); i++)
		if (sniff(&families[i], unit))
			return (int)i + 1;
	return 0;
}

/* autoScale: the largest unit in which v is still >= 1. */
static int auto_scale(const struct unit_family *f, double v, double *out, const char **name)
{
	double best = 0;
	const char *bname = NULL;
	for (size_t i = 0; i < f->nunits; i++) {
		if (f->units[i].factor >= best && v / f->units[i].factor >= 1.0) {
			best = f->units[i].factor;
			bname = f->units[i].name;
		}
	}
	if (best == 0)
		return 0;
	*out = v / best;
	*name = bname;
	return 1;
}

double cprof_unit_scale(int64_t v, const char *from, const char *to, const char **out_unit)
{
	const char *dummy;
	if (!out_unit)
		out_unit = &dummy;
	/* INT64_MIN cannot be negated: Go lets it fall through unsigned-less. */
	if (v < 0 && v != INT64_MIN) {
		double r = cprof_unit_scale(-v, from, to, out_unit);
		return -r;
	}
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(families); i++) {
		const struct unit_family *f = &families[i];
		const struct unit *fu = sniff(f, from);
		if (!fu)
			continue;
		double base = (double)v * fu->factor;
		if (!strcmp(to, "minimum") || !strcmp(to, "auto")) {
			double r;
			if (auto_scale(f, base, &r, out_unit))
				return r;
			*out_unit = f->default_name;
			return base / f->default_factor;
		}
		const struct unit *tu = sniff(f, to);
		if (!tu) {
			*out_unit = f->default_name;
			return base / f->default_factor;
		}
		*out_unit = tu->name;
		return base / tu->factor;
	}
	if (!strcmp(to, "count") || !strcmp(to, "sample") || !strcmp(to, "unit") ||
	    !strcmp(to, "minimum") || !strcmp(to, "auto"))
		*out_unit = "";
	else
		*out_unit = to;
	return (double)v;
}

void cprof_scaled_label(int64_t v, const char *from, const char *to, struct strbuf *out)
{
	const char *u;
	char num[512];
	double s = cprof_unit_scale(v, from, to, &u);
	int n = snprintf(num, sizeof(num), "%.2f", s);
	if (n < 0 || (size_t)n >= sizeof(num))
		n = (int)strlen(num);
	if (n >= 3 && !strcmp(num + n - 3, ".00"))
		num[n -= 3] = '\0';
	if (!strcmp(num, "0") || !strcmp(num, "-0")) {
		strbuf_addch(out, '0');
		return;
	}
	strbuf_addstr(out, num);
	strbuf_addstr(out, u);
}

void cprof_unit_label(int64_t v, const char *unit, struct strbuf *out)
{
	cprof_scaled_label(v, unit, "auto", out);
}

void cprof_percentage(int64_t v, int64_t total, struct strbuf *out)
{
	double ratio = 0;
	if (total != 0)
		ratio = fabs((double)v / (double)total) * 100;
	if (ratio >= 99.95 && ratio <= 100.05)
		strbuf_addstr(out, "  100%");
	else if (ratio >= 1.0)
		strbuf_addf(out, "%5.2f%%", ratio);
	else
		strbuf_addf(out, "%5.2g%%", ratio);
}

/* ---- Go time.Duration.String() ------------------------------------------ */

/*
 * Append u / 10^prec with the fraction's trailing zeros (and then the
 * point) removed, as Go's fmtFrac+fmtInt do.
 */
static void add_frac(struct strbuf *out, uint64_t u, int prec)
{
	uint64_t p10 = 1;
	for (int i = 0; i < prec; i++)
		p10 *= 10;
	strbuf_addf(out, "%llu", (unsigned long long)(u / p10));
	uint64_t frac = u % p10;
	if (!frac)
		return;
	char digits[24];
	snprintf(digits, sizeof(digits), "%0*llu", prec, (unsigned long long)frac);
	size_t n = strlen(digits);
	while (n > 0 && digits[n - 1] == '0')
		n--;
	strbuf_addch(out, '.');
	strbuf_add(out, digits, n);
}

void cprof_go_duration(int64_t ns, struct strbuf *out)
{
	uint64_t u = (uint64_t)ns;
	if (ns < 0) {
		u = 0 - u;
		strbuf_addch(out, '-');
	}
	if (u == 0) {
		strbuf_addstr(out, "0s");
		return;
	}
	if (u < 1000000000ULL) {
		if (u < 1000) {
			add_frac(out, u, 0);
			strbuf_addstr(out, "ns");
		} else if (u < 1000000) {
			add_frac(out, u, 3);
			strbuf_addstr(out, "\xc2\xb5s"); /* U+00B5 micro sign, as Go */
		} else {
			add_frac(out, u, 6);
			strbuf_addstr(out, "ms");
		}
		return;
	}
	uint64_t secs_ns = u % 60000000000ULL; /* seconds with fraction, in ns */
	uint64_t mins = u / 60000000000ULL;
	if (mins >= 60) {
		strbuf_addf(out, "%lluh", (unsigned long long)(mins / 60));
		strbuf_addf(out, "%llum", (unsigned long long)(mins % 60));
	} else if (mins > 0) {
		strbuf_addf(out, "%llum", (unsigned long long)mins);
	}
	add_frac(out, secs_ns, 9);
	strbuf_addch(out, 's');
}

/* ---- Go time formatting -------------------------------------------------- */

static int local_tm(int64_t unix_nanos, struct tm *tm, int64_t *frac)
{
	int64_t sec = unix_nanos / 1000000000LL;
	int64_t ns = unix_nanos % 1000000000LL;
	if (ns < 0) {
		ns += 1000000000LL;
		sec--;
	}
	time_t t = (time_t)sec;
	*frac = ns;
	tzset();
	return localtime_r(&t, tm) != NULL;
}

/* Go's "MST" layout element: the zone abbreviation, or -0700 without one. */
static void add_zone(struct strbuf *out, const struct tm *tm)
{
	if (tm->tm_zone && tm->tm_zone[0]) {
		strbuf_addstr(out, tm->tm_zone);
		return;
	}
	long off = tm->tm_gmtoff / 60;
	strbuf_addch(out, off < 0 ? '-' : '+');
	if (off < 0)
		off = -off;
	strbuf_addf(out, "%02ld%02ld", off / 60, off % 60);
}

void cprof_go_time(int64_t unix_nanos, struct strbuf *out)
{
	struct tm tm;
	int64_t frac;
	if (!local_tm(unix_nanos, &tm, &frac)) {
		strbuf_addf(out, "%lld", (long long)unix_nanos);
		return;
	}
	strbuf_addf(out, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		    tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (frac) {
		char d[16];
		snprintf(d, sizeof(d), "%09lld", (long long)frac);
		size_t n = 9;
		while (n > 0 && d[n - 1] == '0')
			n--;
		strbuf_addch(out, '.');
		strbuf_add(out, d, n);
	}
	long off = tm.tm_gmtoff / 60;
	strbuf_addf(out, " %c%02ld%02ld ", off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
	add_zone(out, &tm);
}

void cprof_go_time_pprof(int64_t unix_nanos, struct strbuf *out)
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	int64_t frac;
	if (!local_tm(unix_nanos, &tm, &frac)) {
		strbuf_addf(out, "%lld", (long long)unix_nanos);
		return;
	}
	int h12 = tm.tm_hour % 12;
	if (h12 == 0)
		h12 = 12;
	strbuf_addf(out, "%s %d, %d at %d:%02d%s (", months[tm.tm_mon % 12], tm.tm_mday,
		    tm.tm_year + 1900, h12, tm.tm_min, tm.tm_hour >= 12 ? "pm" : "am");
	add_zone(out, &tm);
	strbuf_addch(out, ')');
}

/* ---- Go shortest float formatting ---------------------------------------- */

void cprof_go_float(double f, struct strbuf *out)
{
	if (isnan(f)) {
		strbuf_addstr(out, "NaN");
		return;
	}
	if (isinf(f)) {
		strbuf_addstr(out, f > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (f == 0) {
		strbuf_addstr(out, signbit(f) ? "-0" : "0");
		return;
	}
	/* The fewest significant digits that read back as f. */
	char buf[64];
	for (int p = 1; p <= 17; p++) {
		snprintf(buf, sizeof(buf), "%.*e", p - 1, f);
		if (strtod(buf, NULL) == f)
			break;
	}
	/* buf is [-]d[.ddd]e±XX: split into digits and a decimal exponent. */
	const char *s = buf;
	bool neg = false;
	if (*s == '-') {
		neg = true;
		s++;
	}
	char digs[32];
	int nd = 0;
	for (; *s && *s != 'e'; s++)
		if (*s != '.')
			digs[nd++] = *s;
	int exp = atoi(s + 1);
	while (nd > 1 && digs[nd - 1] == '0')
		nd--;
	digs[nd] = '\0';
	int dp = exp + 1; /* position of the decimal point within digs */

	if (neg)
		strbuf_addch(out, '-');
	if (exp < -4 || exp >= 6) { /* shortest: Go uses precision 6 here */
		/* %e with the shortest digits: d[.ddd]e±XX (2-digit minimum). */
		strbuf_addch(out, digs[0]);
		if (nd > 1) {
			strbuf_addch(out, '.');
			strbuf_add(out, digs + 1, (size_t)nd - 1);
		}
		strbuf_addf(out, "e%c%02d", exp < 0 ? '-' : '+', abs(exp));
		return;
	}
	/* %f with max(nd - dp, 0) decimals */
	if (dp <= 0) {
		strbuf_addstr(out, "0.");
		strbuf_addchars(out, '0', (size_t)-dp);
		strbuf_add(out, digs, (size_t)nd);
	} else if (dp >= nd) {
		strbuf_add(out, digs, (size_t)nd);
		strbuf_addchars(out, '0', (size_t)(dp - nd));
	} else {
		strbuf_add(out, digs, (size_t)dp);
		strbuf_addch(out, '.');
		strbuf_add(out, digs + dp, (size_t)(nd - dp));
	}
}
