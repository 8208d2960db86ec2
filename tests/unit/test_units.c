/* test_units.c - pprof's measurement rules and Go's formatting (src/core/units.c). */
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "cprof/units.h"

/* Expected values were printed by Go 1.19's internal/measurement. */
int test_units_percentage(void)
{
	static const struct {
		int64_t v, total;
		const char *want;
	} cases[] = {
		{0, 0, "    0%"},        {0, 100, "    0%"},     {1, 3, "33.33%"},
		{1, 1, "  100%"},        {-1, 1, "  100%"},      {9995, 10000, "  100%"},
		{10005, 10000, "  100%"}, {89, 10000, " 0.89%"}, {9, 1000, "  0.9%"},
		{9, 100000, "0.009%"},   {1, -3, "33.33%"},      {5, 1000000, "0.0005%"},
		{99, 100, "99.00%"},     {1, 100, " 1.00%"},
	};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(cases); i++) {
		struct strbuf sb = STRBUF_INIT;
		cprof_percentage(cases[i].v, cases[i].total, &sb);
		CHECK_STR(sb.buf, cases[i].want);
		strbuf_release(&sb);
	}
	return 0;
}

int test_units_scaled_label(void)
{
	static const struct {
		int64_t v;
		const char *from, *to, *want;
	} cases[] = {
		{1100000000, "nanoseconds", "auto", "1.10s"},
		{1000000000, "nanoseconds", "auto", "1s"},
		{65536000, "bytes", "auto", "62.50MB"},
		{1024000, "bytes", "kB", "1000kB"},
		{10000000, "nanoseconds", "s", "0.01s"},
		{0, "bytes", "auto", "0"},
		{-1500, "ns", "auto", "-1.50us"},
		{5, "cycles", "minimum", "5"},
		{5, "cycles", "cycles", "5cycles"},
		{7200000000000, "nanoseconds", "auto", "2hrs"},
		{3, "count", "minimum", "3"},
		{1536, "Bytes", "minimum", "1.50kB"},
		{2500, "microseconds", "ms", "2.50ms"},
		{1, "bytes", "hours", "1B"},
		{1500, "milligcu", "auto", "1.50GCU"},
		{2, "hrs", "minutes", "7200s"},
		{-1, "bytes", "auto", "-1B"},
		{999, "ns", "ms", "0"},
		{5, "nanoseconds", "sec", "0"},
	};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(cases); i++) {
		struct strbuf sb = STRBUF_INIT;
		cprof_scaled_label(cases[i].v, cases[i].from, cases[i].to, &sb);
		CHECK_STR(sb.buf, cases[i].want);
		strbuf_release(&sb);
	}
	struct strbuf sb = STRBUF_INIT;
	cprof_unit_label(1500000, "nanoseconds", &sb);
	CHECK_STR(sb.buf, "1.50ms");
	strbuf_release(&sb);
	const char *u;
	CHECK(cprof_unit_scale(3, "bytes", "minimum", &u) == 3.0);
	CHECK_STR(u, "B");
	CHECK(cprof_unit_scale(3, "count", "widgets", &u) == 3.0);
	CHECK_STR(u, "widgets");
	return 0;
}

int test_units_go_duration(void)
{
	static const struct {
		int64_t ns;
		const char *want;
	} cases[] = {
		{0, "0s"},
		{1, "1ns"},
		{999, "999ns"},
		{1000, "1\xc2\xb5s"},
		{1500, "1.5\xc2\xb5s"},
		{1500000, "1.5ms"},
		{1000000000, "1s"},
		{61500000000, "1m1.5s"},
		{10802000000000, "3h0m2s"},
		{-1500, "-1.5\xc2\xb5s"},
		{INT64_MIN, "-2562047h47m16.854775808s"},
	};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(cases); i++) {
		struct strbuf sb = STRBUF_INIT;
		cprof_go_duration(cases[i].ns, &sb);
		CHECK_STR(sb.buf, cases[i].want);
		strbuf_release(&sb);
	}
	return 0;
}

int test_units_go_float(void)
{
	static const struct {
		double f;
		const char *want;
	} cases[] = {
		{1e6, "1e+06"},   {123456, "123456"}, {1234567, "1.234567e+06"}, {1e20, "1e+20"},
		{0.0001, "0.0001"}, {0.00001, "1e-05"}, {1.5, "1.5"},           {100, "100"},
		{0.1, "0.1"},     {-2.5e-7, "-2.5e-07"}, {3e100, "3e+100"},      {0, "0"},
		{1.0 / 3, "0.3333333333333333"},
	};
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(cases); i++) {
		struct strbuf sb = STRBUF_INIT;
		cprof_go_float(cases[i].f, &sb);
		CHECK_STR(sb.buf, cases[i].want);
		strbuf_release(&sb);
	}
	return 0;
}

int test_units_go_time(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	struct strbuf sb = STRBUF_INIT;
	cprof_go_time(1234567890123456789LL, &sb);
	CHECK_STR(sb.buf, "2009-02-13 23:31:30.123456789 +0000 UTC");
	strbuf_reset(&sb);
	cprof_go_time(1234567890000000000LL, &sb);
	CHECK_STR(sb.buf, "2009-02-13 23:31:30 +0000 UTC");
	strbuf_reset(&sb);
	cprof_go_time_pprof(1234567890123456789LL, &sb);
	CHECK_STR(sb.buf, "Feb 13, 2009 at 11:31pm (UTC)");
	strbuf_reset(&sb);
	cprof_go_time_pprof(1234483200000000000LL, &sb); /* midnight */
	CHECK_STR(sb.buf, "Feb 13, 2009 at 12:00am (UTC)");
	strbuf_release(&sb);
	return 0;
}

int test_units_family(void)
{
	CHECK_INT(cprof_unit_family("bytes"), 1);
	CHECK_INT(cprof_unit_family("nanoseconds"), 2);
	CHECK_INT(cprof_unit_family("ms"), 2);
	CHECK_INT(cprof_unit_family("gcu"), 3);
	CHECK_INT(cprof_unit_family("count"), 0);
	CHECK_INT(cprof_unit_family(""), 0);
	return 0;
}
