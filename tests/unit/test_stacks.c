/*
 * test_stacks.c - folded stacks in (formats/folded.c) and out
 * (render/folded.c), the flame graph (render/flame.c), and the -tags
 * text layout (render/tags.c) on labels the Go testdata lacks.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cprof/formats.h"
#include "cprof/report.h"
#include "cprof/transform.h"

static int parse(const char *text, struct cprof_profile **p, struct cprof_error *err)
{
	return cprof_folded_parse((const unsigned char *)text, strlen(text), p, err);
}

/* The frames of sample i, leaf first, joined by ',' (function names). */
static const char *sample_frames(const struct cprof_profile *p, size_t i, char *buf, size_t size)
{
	const struct cprof_sample *s = &p->sample[i];
	buf[0] = '\0';
	for (uint32_t k = 0; k < s->nloc; k++) {
		const struct cprof_location *l = &p->location[s->loc[k]];
		const char *name = p->function[l->line[0].fn].name;
		size_t n = strlen(buf);
		snprintf(buf + n, size - n, "%s%s", k ? "," : "", name);
	}
	return buf;
}

int test_folded_parse(void)
{
	struct cprof_profile *p;
	struct cprof_error err;
	char buf[256];
	CHECK_INT(parse("main;work;leaf 30\n"
			"\n"
			"main;work 5\r\n"
			"  \t\n"
			"main;fn file.go:12;g x.go:3\t\t-7\n"
			"solo 0",
			&p, &err),
		  0);
	CHECK_INT(p->nsample_type, 1);
	CHECK_STR(p->sample_type[0].type, "samples");
	CHECK_STR(p->sample_type[0].unit, "count");
	CHECK_INT(p->nsample, 4);
	CHECK_STR(sample_frames(p, 0, buf, sizeof(buf)), "leaf,work,main");
	CHECK_INT(p->sample[0].value[0], 30);
	CHECK_STR(sample_frames(p, 1, buf, sizeof(buf)), "work,main");
	CHECK_INT(p->sample[1].value[0], 5);
	CHECK_STR(sample_frames(p, 2, buf, sizeof(buf)), "g x.go:3,fn file.go:12,main");
	CHECK_INT(p->sample[2].value[0], -7);
	CHECK_STR(sample_frames(p, 3, buf, sizeof(buf)), "solo");
	CHECK_INT(p->sample[3].value[0], 0);
	/* one function and one location per distinct frame, ids in order of appearance */
	CHECK_INT(p->nfunction, 6);
	CHECK_INT(p->nlocation, 6);
	for (size_t i = 0; i < p->nfunction; i++) {
		CHECK_INT(p->function[i].id, i + 1);
		CHECK_INT(p->location[i].id, i + 1);
		CHECK(p->function[i].system_name == p->function[i].name);
		CHECK_INT(p->location[i].nline, 1);
		CHECK_INT(p->location[i].line[0].fn, i);
	}
	CHECK_STR(p->function[0].name, "main");
	CHECK_STR(p->function[2].name, "leaf");
	CHECK_INT(cprof_profile_check_valid(p, &err), 0);
	cprof_profile_free(p);

	/* no ';' anywhere: one-word frames, or a last word that is file:line */
	CHECK_INT(parse("main 5\nfn file.go:12 3\n0000000000401a2b fn x.go:7 2\nVersion 2\n", &p, &err), 0);
	CHECK_INT(p->nsample, 4);
	CHECK_STR(sample_frames(p, 2, buf, sizeof(buf)), "0000000000401a2b fn x.go:7");
	cprof_profile_free(p);
	/* with a stack somewhere, frames may hold any words (C++, Java names) */
	CHECK_INT(parse("a;std::vector<int, std::allocator<int> >::push_back(int const&) 3\n"
			"operator new(unsigned long) 1\n",
			&p, &err),
		  0);
	CHECK_INT(p->nsample, 2);
	cprof_profile_free(p);

	/* '#' lines are comments (austin's header and footer) */
	CHECK_INT(parse("# austin: 3.3.0\n# mode: wall\n\nP1;T1;<frozen x>:f:12 105\n\n# duration: 9\n", &p, &err), 0);
	CHECK_INT(p->nsample, 1);
	CHECK_STR(sample_frames(p, 0, buf, sizeof(buf)), "<frozen x>:f:12,T1,P1");
	cprof_profile_free(p);

	/* int64 limits */
	CHECK_INT(parse("a 9223372036854775807\nb -9223372036854775808\n", &p, &err), 0);
	CHECK(p->sample[0].value[0] == INT64_MAX);
	CHECK(p->sample[1].value[0] == INT64_MIN);
	cprof_profile_free(p);
	return 0;
}

int test_folded_parse_reject(void)
{
	static const char *const bad[] = {
		"",                          /* no stack at all */
		"\n \n",                     /* blank lines only */
		"main;work\n",               /* no count */
		"main;work x\n",             /* count not a number */
		"main;work 1x\n",            /* trailing junk */
		"main;work 1.5\n",           /* not an integer */
		" 5\n",                      /* no frames */
		"5\n",                       /* no frames */
		";main 1\n",                 /* empty first frame */
		"main; 1\n",                 /* empty last frame */
		"main;;work 1\n",            /* empty frame inside */
		"a 1\nb 2\nnot folded\n",    /* one bad line spoils the file */
		"a 9223372036854775808\n",   /* int64 overflow */
		"a -9223372036854775809\n",  /* int64 overflow */
		"a -\n",                     /* sign alone */
		"heap profile: 1: 2 [3: 4] @ heap/1048576\n",
		/* text that only ends in numbers */
		"hello world 42\n",         /* a sentence, no stack anywhere */
		"1 2 3\n4 5 6\n",            /* a table of figures */
		"a 1\nsee page 12\n",        /* one prose line in a flat list */
		"Thanks; see you at 8\n",    /* prose with a ';': frame starts with a blank */
		" main;work 1\n",            /* a leading blank */
		"main ;work 1\n",            /* a blank ending a frame */
		"fn :12 1\n",                /* no file before the line number */
		"# only a comment\n",        /* no stack */
		"Total: 12\nsize= 3\n",       /* keys and values */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cprof_profile *p = NULL;
		struct cprof_error err = {0};
		if (parse(bad[i], &p, &err) != -1 || err.code != CPROF_E_FORMAT || p) {
			fprintf(stderr, "accepted %zu: [%s]\n", i, bad[i]);
			return 1;
		}
	}
	/* a NUL byte anywhere: not text */
	struct cprof_profile *p = NULL;
	struct cprof_error err = {0};
	CHECK_INT(cprof_folded_parse((const unsigned char *)"a\0b 1\n", 6, &p, &err), -1);
	CHECK_INT(err.code, CPROF_E_FORMAT);

	/* through the registry: folded is recognised last, and other formats keep theirs */
	CHECK_INT(cprof_parse_profile((const unsigned char *)"x;y 2\n", 6, &p, &err), 0);
	CHECK_INT(p->nsample, 1);
	cprof_profile_free(p);
	CHECK_INT(cprof_parse_profile((const unsigned char *)"x;y\n", 4, &p, &err), -1);
	CHECK_INT(err.code, CPROF_E_FORMAT);
	return 0;
}

static void opts(struct cprof_report_opts *o, enum cprof_format f)
{
	memset(o, 0, sizeof(*o));
	o->format = f;
	o->ratio = 1;
	o->sample_index = 0;
	o->sample_type = "samples";
	o->sample_unit = "count";
	o->output_unit = "minimum";
}

/* Parse text, run renderer r with o (or defaults), return 0 and the output in out. */
static int render(const char *text, int (*r)(struct cprof_report *, struct strbuf *, struct cprof_error *),
		  const struct cprof_report_opts *o, struct strbuf *out)
{
	struct cprof_profile *p;
	struct cprof_error err;
	struct cprof_report_opts def;
	if (parse(text, &p, &err))
		return -1;
	if (!o) {
		opts(&def, CPROF_FMT_FOLDED);
		o = &def;
	}
	struct cprof_report rpt;
	cprof_report_init(&rpt, p, o);
	strbuf_reset(out);
	int rc = r(&rpt, out, &err);
	cprof_profile_free(p);
	return rc;
}

int test_folded_render(void)
{
	struct strbuf out = STRBUF_INIT;
	/* equal stacks summed, zero totals dropped, frame-wise order ("a" before "a.b"), leaf-only stacks kept */
	CHECK_INT(render("a.b;x 1\n"
			 "a;z 2\n"
			 "a;y 4\n"
			 "a;z 3\n"
			 "a 7\n"
			 "b;c 5\n"
			 "b;c -5\n"
			 "a;y;q 0\n"
			 "a.b 1\n",
			 cprof_render_folded, NULL, &out),
		  0);
	CHECK_STR(out.buf, "a 7\n"
			   "a;y 4\n"
			   "a;z 5\n"
			   "a.b 1\n"
			   "a.b;x 1\n");

	/* what -folded writes, folded reads back to the same lines */
	const char *once = "main;fn file.go:12;g x.go:3 12\nmain;work 3\nroot 1\n";
	CHECK_INT(render(once, cprof_render_folded, NULL, &out), 0);
	CHECK_STR(out.buf, once);

	/* -divide_by (ratio) truncates; negative stacks kept unless -drop_negative; -unit converts */
	struct cprof_report_opts o;
	opts(&o, CPROF_FMT_FOLDED);
	o.ratio = 1.0 / 4;
	CHECK_INT(render("a 10\nb -10\nc 3\n", cprof_render_folded, &o, &out), 0);
	CHECK_STR(out.buf, "a 2\nb -2\n");
	o.drop_negative = true;
	CHECK_INT(render("a 10\nb -10\nc 3\n", cprof_render_folded, &o, &out), 0);
	CHECK_STR(out.buf, "a 2\n");
	strbuf_release(&out);
	return 0;
}

/* A profile built by hand: location 1 is inl (f.c:5) inlined into main (f.c:9). */
static struct cprof_profile *inline_profile(void)
{
	struct cprof_profile *p = cprof_profile_new();
	struct cprof_value_type st[2] = {{"contentions", "count"}, {"delay", "nanoseconds"}};
	cprof_profile_set_sample_types(p, st, 2);
	const char *names[] = {"main", "inl", "op;er", "leaf"};
	for (size_t i = 0; i < 4; i++) {
		struct cprof_function *f = cprof_profile_add_function(p);
		f->id = i + 1;
		f->name = cprof_profile_str(p, names[i]);
		f->system_name = f->name;
		f->filename = cprof_profile_str(p, "f.c");
	}
	struct cprof_location *l = cprof_profile_add_location(p);
	l->id = 1;
	l->mapping = CPROF_NONE;
	l->nline = 2;
	l->line = cprof_arena_calloc(&p->arena, 2, sizeof(*l->line));
	l->line[0] = (struct cprof_line){1, 5, 0};
	l->line[1] = (struct cprof_line){0, 9, 0};
	for (uint32_t i = 2; i <= 3; i++) { /* location 2: op;er (f.c:22), 3: leaf (f.c:23) */
		l = cprof_profile_add_location(p);
		l->id = i;
		l->mapping = CPROF_NONE;
		l->nline = 1;
		l->line = cprof_arena_calloc(&p->arena, 1, sizeof(*l->line));
		l->line[0] = (struct cprof_line){i, 20 + i, 0};
	}
	/* leaf <- op;er <- inl/main: 2 contentions, 3ms; leaf <- inl/main: 1, 60us */
	static const uint32_t stacks[][3] = {{2, 1, 0}, {2, 0, 0}};
	static const int64_t values[][2] = {{2, 3000000}, {1, 60000}};
	static const uint32_t depth[] = {3, 2};
	for (size_t i = 0; i < 2; i++) {
		struct cprof_sample *s = cprof_profile_add_sample(p);
		s->nloc = depth[i];
		s->loc = cprof_arena_calloc(&p->arena, 3, sizeof(*s->loc));
		memcpy(s->loc, stacks[i], 3 * sizeof(*s->loc));
		s->value = cprof_arena_calloc(&p->arena, 2, sizeof(*s->value));
		memcpy(s->value, values[i], sizeof(values[i]));
	}
	return p;
}

static int render_inline(enum cprof_granularity g, bool noinlines, bool mean, const char *unit,
			 struct strbuf *out)
{
	struct cprof_profile *p = inline_profile();
	struct cprof_error err;
	if (cprof_profile_aggregate(p, g, noinlines, &err))
		return -1;
	struct cprof_report_opts o;
	opts(&o, CPROF_FMT_FOLDED);
	o.sample_index = 1;
	o.sample_type = "delay";
	o.sample_unit = "nanoseconds";
	o.mean = mean;
	o.output_unit = unit;
	struct cprof_report rpt;
	cprof_report_init(&rpt, p, &o);
	strbuf_reset(out);
	int rc = cprof_render_folded(&rpt, out, &err);
	cprof_profile_free(p);
	return rc;
}

int test_folded_render_profile(void)
{
	struct strbuf out = STRBUF_INIT;
	/* inline frames expanded caller first; ';' in a name becomes ':' */
	CHECK_INT(render_inline(CPROF_GRAN_FUNCTIONS, false, false, "minimum", &out), 0);
	CHECK_STR(out.buf, "main;inl;leaf 60000\n"
			   "main;inl;op:er;leaf 3000000\n");
	/* -noinlines: the inlined frame goes */
	CHECK_INT(render_inline(CPROF_GRAN_FUNCTIONS, true, false, "minimum", &out), 0);
	CHECK_STR(out.buf, "main;leaf 60000\n"
			   "main;op:er;leaf 3000000\n");
	/* -lines and -filefunctions: the report's node names */
	CHECK_INT(render_inline(CPROF_GRAN_LINES, false, false, "minimum", &out), 0);
	CHECK_STR(out.buf, "main f.c:9;inl f.c:5;leaf f.c:23 60000\n"
			   "main f.c:9;inl f.c:5;op:er f.c:22;leaf f.c:23 3000000\n");
	CHECK_INT(render_inline(CPROF_GRAN_FILEFUNCTIONS, false, false, "minimum", &out), 0);
	CHECK_STR(out.buf, "main f.c;inl f.c;leaf f.c 60000\n"
			   "main f.c;inl f.c;op:er f.c;leaf f.c 3000000\n");
	/* -unit=ms truncates (60us is 0ms: dropped); -mean divides per stack */
	CHECK_INT(render_inline(CPROF_GRAN_FUNCTIONS, false, false, "ms", &out), 0);
	CHECK_STR(out.buf, "main;inl;op:er;leaf 3\n");
	CHECK_INT(render_inline(CPROF_GRAN_FUNCTIONS, false, true, "us", &out), 0);
	CHECK_STR(out.buf, "main;inl;leaf 60\n"
			   "main;inl;op:er;leaf 1500\n");
	strbuf_release(&out);
	return 0;
}

/*
 * Labels the Go testdata has not: non-ASCII keys and values (tabwriter
 * widths count runes), several values per key, numeric labels with and
 * without units, zero and negative values, a key whose total is negative.
 */
static struct cprof_profile *label_profile(void)
{
	struct cprof_profile *p = cprof_profile_new();
	struct cprof_value_type st[2] = {{"samples", "count"}, {"cpu", "nanoseconds"}};
	cprof_profile_set_sample_types(p, st, 2);
	struct cprof_function *f = cprof_profile_add_function(p);
	f->id = 1;
	f->name = cprof_profile_str(p, "main");
	f->system_name = f->name;
	struct cprof_location *l = cprof_profile_add_location(p);
	l->id = 1;
	l->mapping = CPROF_NONE;
	l->nline = 1;
	l->line = cprof_arena_calloc(&p->arena, 1, sizeof(*l->line));
	static const struct {
		int64_t v;
		const char *labels[6]; /* key=value (string) or key#number[#unit] (numeric) */
	} samples[] = {
		{1500000000, {"r\xc3\xa9gion=\xc3\x8ele-de-France", "bytes#2048", "request#1024", "k=v1", "k=v2"}},
		{250000000, {"r\xc3\xa9gion=\xe6\x9d\xb1\xe4\xba\xac", "bytes#2048", "k=v2", "t#1500#ms"}},
		{0, {"r\xc3\xa9gion=x"}},
		{-200000000, {"k=v3", "t#3#s", "neg=yes"}},
	};
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		struct cprof_sample *s = cprof_profile_add_sample(p);
		s->nloc = 1;
		s->loc = cprof_arena_calloc(&p->arena, 1, sizeof(*s->loc));
		s->value = cprof_arena_calloc(&p->arena, 2, sizeof(*s->value));
		s->value[0] = 1;
		s->value[1] = samples[i].v;
		s->label = cprof_arena_calloc(&p->arena, 6, sizeof(*s->label));
		for (size_t k = 0; k < 6 && samples[i].labels[k]; k++) {
			char buf[64];
			snprintf(buf, sizeof(buf), "%s", samples[i].labels[k]);
			struct cprof_label *lb = &s->label[s->nlabel++];
			char *eq = strchr(buf, '='), *hash = strchr(buf, '#');
			if (eq) {
				*eq = '\0';
				lb->key = cprof_profile_str(p, buf);
				lb->str = cprof_profile_str(p, eq + 1);
			} else {
				*hash = '\0';
				lb->key = cprof_profile_str(p, buf);
				char *unit = strchr(hash + 1, '#');
				if (unit)
					*unit++ = '\0';
				lb->num = strtoll(hash + 1, NULL, 10);
				lb->num_unit = cprof_profile_str(p, unit ? unit : "");
			}
		}
	}
	return p;
}

int test_tags_layout(void)
{
	struct cprof_profile *p = label_profile();
	struct cprof_report_opts o;
	opts(&o, CPROF_FMT_TAGS);
	o.sample_index = 1;
	o.sample_type = "cpu";
	o.sample_unit = "nanoseconds";
	struct cprof_report rpt;
	struct cprof_error err;
	struct strbuf out = STRBUF_INIT;
	cprof_report_init(&rpt, p, &o);
	/* both outputs checked against go tool pprof -tags (Go 1.19), on this profile written out */
	CHECK_INT(cprof_render_tags(&rpt, &out, &err), 0);
	CHECK_STR(out.buf,
		" bytes: Total 1.8s\n"
		"        1.8s (  100%): 2kB\n"
		"\n"
		" k: Total 3.0s\n"
		"        1.8s (57.38%): v2\n"
		"        1.5s (49.18%): v1\n"
		"    -200.0ms ( 6.56%): v3\n"
		"\n"
		" neg: Total -200.0ms\n"
		"      -200.0ms: yes\n"
		"\n"
		" request: Total 1.5s\n"
		"          1.5s (  100%): 1kB\n"
		"\n"
		" r\xc3\xa9gion: Total 1.8s\n"
		"            1.5s (85.71%): \xc3\x8ele-de-France\n"
		"         250.0ms (14.29%): \xe6\x9d\xb1\xe4\xba\xac\n"
		"            0.0s (    0%): x\n"
		"\n"
		" t: Total 50.0ms\n"
		"     250.0ms (500.00%): 1.50s\n"
		"    -200.0ms (400.00%): 3ms\n"
		"\n");
	strbuf_reset(&out);
	o.output_unit = "ms";
	cprof_report_init(&rpt, p, &o);
	CHECK_INT(cprof_render_tags(&rpt, &out, &err), 0);
	CHECK_STR(out.buf,
		" bytes: Total 1750.0ms\n"
		"        1750.0ms (  100%): 2048B\n"
		"\n"
		" k: Total 3050.0ms\n"
		"    1750.0ms (57.38%): v2\n"
		"    1500.0ms (49.18%): v1\n"
		"    -200.0ms ( 6.56%): v3\n"
		"\n"
		" neg: Total -200.0ms\n"
		"      -200.0ms: yes\n"
		"\n"
		" request: Total 1500.0ms\n"
		"          1500.0ms (  100%): 1024B\n"
		"\n"
		" r\xc3\xa9gion: Total 1750.0ms\n"
		"         1500.0ms (85.71%): \xc3\x8ele-de-France\n"
		"          250.0ms (14.29%): \xe6\x9d\xb1\xe4\xba\xac\n"
		"            0.0ms (    0%): x\n"
		"\n"
		" t: Total 50.0ms\n"
		"     250.0ms (500.00%): 1500ms\n"
		"    -200.0ms (400.00%): 3ms\n"
		"\n");
	strbuf_release(&out);
	cprof_profile_free(p);
	return 0;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *s = strstr(hay, needle); s; s = strstr(s + 1, needle))
		n++;
	return n;
}

int test_flame_svg(void)
{
	/* names with XML specials, a bad UTF-8 byte, a control character */
	const char *text = "main;a<b&c\"d' 30\n"
			   "main;bad\xff;x 10\n"
			   "main;tab\x01z 20\n"
			   "main;tiny 0\n"
			   "other -5\n";
	struct strbuf out = STRBUF_INIT, again = STRBUF_INIT;
	CHECK_INT(render(text, cprof_render_flame, NULL, &out), 0);
	CHECK_INT(render(text, cprof_render_flame, NULL, &again), 0);
	CHECK_STR(out.buf, again.buf); /* deterministic */
	CHECK(!strncmp(out.buf, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<svg ", 60));
	CHECK(strstr(out.buf, "data-total=\"60\"")); /* positive stacks only */
	/* all, main, a<b.., bad?, x, tab?z: zero and negative stacks are not drawn */
	CHECK_INT(count(out.buf, "<g class=\"f\""), 6);
	CHECK(strstr(out.buf, "<title>all (60, 100.00%)</title><rect x=\"10.00\" y=\"110\" width=\"1180.00\""));
	CHECK(strstr(out.buf, "<title>a&lt;b&amp;c&quot;d&#39; (30, 50.00%)</title>"));
	CHECK(strstr(out.buf, "<title>bad\xef\xbf\xbd (10, 16.67%)</title>"));
	CHECK(strstr(out.buf, "<title>tab?z (20, 33.33%)</title>"));
	/* children by name left to right: a<b... at 0, bad at 30, tab at 40 */
	CHECK(strstr(out.buf, "data-o=\"0\" data-v=\"30\" data-d=\"2\""));
	CHECK(strstr(out.buf, "data-o=\"30\" data-v=\"10\" data-d=\"2\""));
	CHECK(strstr(out.buf, "data-o=\"40\" data-v=\"20\" data-d=\"2\""));
	CHECK(strstr(out.buf, "data-o=\"30\" data-v=\"10\" data-d=\"3\"><title>x (10, 16.67%)"));
	/* self-contained: nothing fetched (the namespace names are not fetched) */
	CHECK_INT(count(out.buf, "http"), 2);
	CHECK_INT(count(out.buf, "xmlns=\"http://www.w3.org/"), 2);
	CHECK_INT(count(out.buf, "href"), 0);
	CHECK_INT(count(out.buf, "url("), 0);
	CHECK_INT(count(out.buf, "<script>"), 1);
	CHECK_INT(count(out.buf, "]]>"), 1);

	/* labels: whole when they fit, else without the package path, else cut with ".." */
	CHECK_INT(render("github.com/acme/svc/pkg.(*Type).Method 1\n"
			 "github.com/acme/svc/pkg.(*Type).Method;"
			 "github.com/acme/svc/pkg.(*Type).MethodWithAVeryLongNameIndeedThatGoesOnAndOnAndOnForeverAndEverAndMore 1\n"
			 "z 2\n",
			 cprof_render_flame, NULL, &out),
		  0);
	CHECK(strstr(out.buf, ">github.com/acme/svc/pkg.(*Type).Method</text>"));
	CHECK(strstr(out.buf, ">pkg.(*Type).MethodWithAVeryLongNameIn..</text>"));
	CHECK(strstr(out.buf, ">z</text>"));

	/* nothing to draw: still a valid document */
	CHECK_INT(render("a 0\n", cprof_render_flame, NULL, &out), 0);
	CHECK_INT(count(out.buf, "<g class=\"f\""), 0);
	CHECK(strstr(out.buf, "</svg>\n"));
	strbuf_release(&out);
	strbuf_release(&again);
	return 0;
}
