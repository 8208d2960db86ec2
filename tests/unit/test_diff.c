/*
 * test_diff.c - the rules of src/pipeline/diff.c (include/cprof/diff.h) on small
 * folded-stack profiles: thresholds, the noise floor, new and gone
 * entries, normalization, the noise rule for several runs, cum under
 * recursion, and the renderers' basic shape.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cprof/diff.h"
#include "cprof/formats.h"

/* Compare base[0..nb) with new[0..nn) (folded text each); 0 or -1. */
static int run(struct cprof_diff *d, const char *const *base, size_t nb, const char *const *new_, size_t nn,
	       const struct cprof_diff_opts *o, struct cprof_error *err)
{
	struct cprof_profile *p[8] = {0};
	int rc = -1;
	for (size_t i = 0; i < nb + nn; i++) {
		const char *t = i < nb ? base[i] : new_[i - nb];
		if (cprof_folded_parse((const unsigned char *)t, strlen(t), &p[i], err))
			goto done;
	}
	rc = cprof_diff_compute(d, p, nb, p + nb, nn, o, NULL, err);
done:
	for (size_t i = 0; i < nb + nn; i++)
		cprof_profile_free(p[i]);
	return rc;
}

static const struct cprof_diff_entry *find(const struct cprof_diff *d, const char *name)
{
	for (size_t i = 0; i < d->nentry; i++)
		if (!strcmp(d->entry[i].name, name))
			return &d->entry[i];
	return NULL;
}

/* The kind of name, or -1 when it has no entry. */
static int kind(const struct cprof_diff *d, const char *name)
{
	const struct cprof_diff_entry *e = find(d, name);
	return e ? (int)e->kind : -1;
}

static const struct cprof_diff_opts defaults = {.threshold = 10, .min_share = 0.5};

int test_diff_rules(void)
{
	const char *base[] = {"main;a 100\nmain;b 100\nmain;c 800\n"};
	const char *new_[] = {"main;a 150\nmain;b 104\nmain;c 680\n"};
	struct cprof_diff d;
	struct cprof_error err = {0};
	struct cprof_diff_opts o = defaults; /* absolute values */

	CHECK_INT(run(&d, base, 1, new_, 1, &o, &err), 0);
	CHECK_INT(kind(&d, "a"), CPROF_DIFF_REGRESSION);  /* +50%, 5% of the total */
	CHECK_INT(kind(&d, "b"), CPROF_DIFF_SAME);        /* +4% < 10% */
	CHECK_INT(kind(&d, "c"), CPROF_DIFF_IMPROVEMENT); /* -15% */
	CHECK_INT(kind(&d, "main"), -1);                  /* no flat value anywhere */
	CHECK_STR(d.entry[0].name, "c");                  /* biggest |delta| first */
	CHECK_STR(d.entry[1].name, "a");
	CHECK(find(&d, "a")->delta == 50 && find(&d, "a")->delta_pct == 50);
	CHECK(cprof_diff_failed(&d));
	CHECK_INT(d.count[CPROF_DIFF_REGRESSION], 1);
	cprof_diff_release(&d);

	o.threshold = 60; /* a grew 50%: below */
	CHECK_INT(run(&d, base, 1, new_, 1, &o, &err), 0);
	CHECK_INT(kind(&d, "a"), CPROF_DIFF_SAME);
	CHECK(!cprof_diff_failed(&d));
	cprof_diff_release(&d);

	o.threshold = 0; /* lists every growth, never fails */
	CHECK_INT(run(&d, base, 1, new_, 1, &o, &err), 0);
	CHECK_INT(kind(&d, "a"), CPROF_DIFF_REGRESSION);
	CHECK_INT(kind(&d, "b"), CPROF_DIFF_SAME); /* +4 is under the 0.5% floor (5) */
	CHECK(!cprof_diff_failed(&d));
	cprof_diff_release(&d);

	/* a profile against itself: nothing */
	CHECK_INT(run(&d, base, 1, base, 1, &defaults, &err), 0);
	CHECK_INT(d.count[CPROF_DIFF_SAME], 3);
	CHECK(!cprof_diff_failed(&d));
	cprof_diff_release(&d);
	return 0;
}

int test_diff_floor_new_gone(void)
{
	const char *base[] = {"main;a 990\nmain;tiny 2\nmain;old 8\n"};
	const char *new_[] = {"main;a 984\nmain;tiny 4\nmain;fresh 12\n"};
	struct cprof_diff d;
	struct cprof_error err = {0};

	CHECK_INT(run(&d, base, 1, new_, 1, &defaults, &err), 0);
	CHECK_INT(kind(&d, "tiny"), CPROF_DIFF_SAME);  /* +100% but 0.2% of the total */
	CHECK_INT(kind(&d, "old"), CPROF_DIFF_GONE);   /* 0.8% > 0.5% */
	CHECK_INT(kind(&d, "fresh"), CPROF_DIFF_NEW);  /* 1.2% */
	CHECK(find(&d, "fresh")->delta_pct == 0);
	CHECK(cprof_diff_failed(&d)); /* a new entry fails the gate */
	cprof_diff_release(&d);

	struct cprof_diff_opts o = defaults;
	o.min_share = 2; /* now both are noise */
	CHECK_INT(run(&d, base, 1, new_, 1, &o, &err), 0);
	CHECK_INT(kind(&d, "old"), CPROF_DIFF_SAME);
	CHECK_INT(kind(&d, "fresh"), CPROF_DIFF_SAME);
	CHECK(!cprof_diff_failed(&d));
	cprof_diff_release(&d);
	return 0;
}

int test_diff_normalize(void)
{
	/* the new run is twice as long with the same shares */
	const char *base[] = {"main;a 300\nmain;b 700\n"};
	const char *new_[] = {"main;a 600\nmain;b 1400\n"};
	struct cprof_diff d;
	struct cprof_error err = {0};
	struct cprof_diff_opts o = defaults;

	o.normalize = true;
	CHECK_INT(run(&d, base, 1, new_, 1, &o, &err), 0);
	CHECK_INT(kind(&d, "a"), CPROF_DIFF_SAME);
	CHECK_INT(kind(&d, "b"), CPROF_DIFF_SAME);
	CHECK(find(&d, "a")->new_ == 300); /* in base units */
	CHECK(d.base_total == 1000 && d.new_total == 1000);
	cprof_diff_release(&d);

	o.normalize = false;
	CHECK_INT(run(&d, base, 1, new_, 1, &o, &err), 0);
	CHECK_INT(kind(&d, "a"), CPROF_DIFF_REGRESSION);
	CHECK_INT(kind(&d, "b"), CPROF_DIFF_REGRESSION);
	CHECK(d.new_total == 2000);
	cprof_diff_release(&d);
	return 0;
}

int test_diff_noise_rule(void)
{
	/* a: means 100 -> 125 (+25%), but the runs overlap (90..110 vs 105..145) */
	const char *base[] = {"main;a 90\nmain;z 910\n", "main;a 110\nmain;z 890\n"};
	const char *noisy[] = {"main;a 105\nmain;z 895\n", "main;a 145\nmain;z 855\n"};
	/* b: 100 -> 130 with every new run above every base run */
	const char *clear[] = {"main;a 115\nmain;z 885\n", "main;a 135\nmain;z 865\n"};
	struct cprof_diff d;
	struct cprof_error err = {0};

	CHECK_INT(run(&d, base, 2, noisy, 2, &defaults, &err), 0);
	CHECK_INT(kind(&d, "a"), CPROF_DIFF_SAME);
	CHECK(find(&d, "a")->base_min == 90 && find(&d, "a")->new_max == 145);
	cprof_diff_release(&d);

	CHECK_INT(run(&d, base, 2, clear, 2, &defaults, &err), 0);
	CHECK_INT(kind(&d, "a"), CPROF_DIFF_REGRESSION);
	CHECK_INT(kind(&d, "z"), CPROF_DIFF_SAME); /* -3.4% */
	cprof_diff_release(&d);

	/* one run against the same run twice: the ranges are points */
	CHECK_INT(run(&d, base, 1, clear, 1, &defaults, &err), 0);
	CHECK_INT(kind(&d, "a"), CPROF_DIFF_REGRESSION); /* 90 -> 115 */
	cprof_diff_release(&d);
	return 0;
}

int test_diff_cum_recursion(void)
{
	const char *base[] = {"main;f;f;f 10\nmain;g 10\n"};
	const char *new_[] = {"main;f;f;f 20\nmain;g 10\n"};
	struct cprof_diff d;
	struct cprof_error err = {0};
	struct cprof_diff_opts o = defaults;

	o.metric = CPROF_DIFF_CUM;
	CHECK_INT(run(&d, base, 1, new_, 1, &o, &err), 0);
	CHECK(find(&d, "f")->base == 10 && find(&d, "f")->new_ == 20); /* once per sample */
	CHECK(find(&d, "main")->base == 20 && find(&d, "main")->new_ == 30);
	CHECK_INT(kind(&d, "main"), CPROF_DIFF_REGRESSION);
	/* the tree: all, main, f, f, f, g */
	CHECK_INT(d.nframe, 6);
	CHECK_STR(d.frame[0].name, "all");
	CHECK_STR(d.frame[2].name, "f");
	CHECK_INT(d.frame[4].depth, 4);
	CHECK_STR(d.frame[5].name, "g");
	CHECK(d.frame[5].parent == 1);
	cprof_diff_release(&d);
	return 0;
}

int test_diff_incompatible(void)
{
	const char *base[] = {"main;a 10\n"};
	struct cprof_profile *p[2] = {0};
	struct cprof_error err = {0};
	struct cprof_diff d;

	CHECK_INT(cprof_folded_parse((const unsigned char *)base[0], strlen(base[0]), &p[0], &err), 0);
	CHECK_INT(cprof_folded_parse((const unsigned char *)base[0], strlen(base[0]), &p[1], &err), 0);
	p[1]->sample_type[0].type = cprof_profile_str(p[1], "cpu");
	p[1]->source = cprof_profile_str(p[1], "new.pb.gz");
	CHECK_INT(cprof_diff_compute(&d, p, 1, p + 1, 1, &defaults, NULL, &err), -1);
	CHECK_STR(d.error_source, "new.pb.gz");
	CHECK(strstr(cprof_error_msg(&err), "incompatible sample types"));
	cprof_profile_free(p[0]);
	cprof_profile_free(p[1]);
	return 0;
}

int test_diff_renderers(void)
{
	const char *base[] = {"main;a 100\nmain;b|x 900\n"};
	const char *new_[] = {"main;a 200\nmain;b|x 800\n"};
	struct cprof_diff d;
	struct cprof_error err = {0};
	struct strbuf out = STRBUF_INIT;

	CHECK_INT(run(&d, base, 1, new_, 1, &defaults, &err), 0);
	cprof_diff_render_text(&d, &out);
	CHECK(strstr(out.buf, "Regressions (1)\n"));
	CHECK(strstr(out.buf, "+100.0%  a\n"));
	CHECK(strstr(out.buf, "Result: FAIL, 1 regression\n"));
	strbuf_reset(&out);
	cprof_diff_render_markdown(&d, &out);
	CHECK(strstr(out.buf, "| `b\\|x` | 900 | 800 | -100 | -11.1% |\n"));
	strbuf_reset(&out);
	cprof_diff_render_json(&d, &out);
	CHECK(strstr(out.buf, "{\"name\": \"a\", \"base\": 100, \"new\": 200, \"delta\": 100, \"delta_pct\": 100.00}"));
	strbuf_reset(&out);
	cprof_diff_render_flame(&d, &out);
	CHECK(strstr(out.buf, "fill=\"rgb(255,"));  /* a grew */
	CHECK(strstr(out.buf, ",255)\"/><text"));   /* b|x shrank */
	CHECK(strstr(out.buf, "</svg>\n"));
	strbuf_release(&out);
	cprof_diff_release(&d);
	return 0;
}
