/*
 * prune.c - cutting uninteresting frames off stacks (pprof's prune.go):
 *
 *   drop_frames/keep_frames  the profile's own patterns, anchored as
 *                            ^(re)$; run once after merging
 *   -prune_from              a user pattern, unanchored (called by filter.c)
 *
 * Both match the simplified function name: "._ZN3foo" loses its leading
 * '.', "ns::f(int) const" becomes "ns::f", but "(anonymous namespace)" and
 * "operator()" are not argument lists. Patterns are evaluated once per
 * function; the per-sample work only looks at per-location flags.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/regex.h"
#include "cprof/strbuf.h"
#include "cprof/transform.h"
#include "src/pipeline/transform_internal.h"

size_t xf_simplify_func(const char *name, const char **start)
{
	static const char anon[] = "(anonymous namespace)", op[] = "operator()";
	const char *s = name[0] == '.' ? name + 1 : name;
	size_t n = strlen(s);

	*start = s;
	/* Leftmost match of "(anonymous namespace)|operator\(\)|\(", scanning on. */
	for (size_t i = 0; i < n;) {
		if (!strncmp(s + i, anon, sizeof(anon) - 1)) {
			i += sizeof(anon) - 1;
		} else if (!strncmp(s + i, op, sizeof(op) - 1)) {
			i += sizeof(op) - 1;
		} else if (s[i] == '(') {
			return i;
		} else {
			i++;
		}
	}
	return n;
}

static bool match_simplified(const struct cprof_regex *re, const char *name)
{
	const char *start;
	size_t len = xf_simplify_func(name, &start);
	return cprof_regex_matchn(re, start, len);
}

/* Compile "^(" pattern ")$" exactly as pprof writes it. */
static struct cprof_regex *compile_anchored(const char *pattern, struct cprof_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	struct cprof_error e = {0};
	strbuf_addf(&sb, "^(%s)$", pattern);
	struct cprof_regex *re = cprof_regex_compile(sb.buf, &e);
	strbuf_release(&sb);
	if (!re)
		cprof_error_set(err, CPROF_E_REGEX, "failed to compile regexp %s: %s", pattern,
				cprof_error_msg(&e));
	return re;
}

int cprof_profile_remove_uninteresting(struct cprof_profile *p, struct cprof_error *err)
{
	struct cprof_regex *drop, *keep = NULL;

	if (!p->drop_frames || !p->drop_frames[0])
		return 0;
	if (!(drop = compile_anchored(p->drop_frames, err)))
		return -1;
	if (p->keep_frames && p->keep_frames[0] && !(keep = compile_anchored(p->keep_frames, err))) {
		cprof_regex_free(drop);
		return -1;
	}

	/* Per function: does a frame of it get pruned? */
	bool *fn_drop = cprof_xcalloc(p->nfunction ? p->nfunction : 1, sizeof(*fn_drop));
	for (size_t i = 0; i < p->nfunction; i++) {
		const char *name = p->function[i].name;
		if (!name[0] || !match_simplified(drop, name))
			continue;
		fn_drop[i] = !keep || !match_simplified(keep, name);
	}

	/*
	 * Per location, from the outermost line in: the first pruned frame.
	 * At the outermost line the whole location goes (PRUNE); deeper, the
	 * lines from there inwards go and the location stays as a new leaf
	 * (BENEATH).
	 */
	enum { KEEP, BENEATH, PRUNE };
	unsigned char *state = cprof_xcalloc(p->nlocation ? p->nlocation : 1, 1);
	for (size_t i = 0; i < p->nlocation; i++) {
		struct cprof_location *l = &p->location[i];
		long j;
		for (j = (long)l->nline - 1; j >= 0; j--) {
			uint32_t fn = l->line[j].fn;
			if (fn < p->nfunction && fn_drop[fn])
				break;
		}
		if (j < 0)
			continue;
		if (j == (long)l->nline - 1) {
			state[i] = PRUNE;
		} else {
			state[i] = BENEATH;
			l->line += j + 1;
			l->nline -= (uint32_t)(j + 1);
		}
	}

	/*
	 * Per sample, from the root: once a kept frame has been seen, cut at
	 * the first pruned location. Frames before the first kept one stay,
	 * so a stack is never pruned away entirely.
	 */
	for (size_t i = 0; i < p->nsample; i++) {
		struct cprof_sample *s = &p->sample[i];
		bool found_user = false;
		for (long j = (long)s->nloc - 1; j >= 0; j--) {
			unsigned char st = state[s->loc[j]];
			if (st == KEEP) {
				found_user = true;
				continue;
			}
			if (!found_user)
				continue;
			size_t cut = st == PRUNE ? (size_t)j + 1 : (size_t)j;
			s->loc += cut;
			s->nloc -= (uint32_t)cut;
			break;
		}
	}

	free(state);
	free(fn_drop);
	cprof_regex_free(drop);
	cprof_regex_free(keep);
	return 0;
}

void xf_prune_from(struct cprof_profile *p, const struct cprof_regex *re)
{
	/* 0 unknown, 1 matches, 2 does not */
	unsigned char *fn_match = cprof_xcalloc(p->nfunction ? p->nfunction : 1, 1);
	bool *beneath = cprof_xcalloc(p->nlocation ? p->nlocation : 1, sizeof(*beneath));

	for (size_t i = 0; i < p->nlocation; i++) {
		struct cprof_location *l = &p->location[i];
		for (uint32_t j = 0; j < l->nline; j++) {
			uint32_t fn = l->line[j].fn;
			if (fn >= p->nfunction || !p->function[fn].name[0])
				continue;
			if (!fn_match[fn])
				fn_match[fn] = match_simplified(re, p->function[fn].name) ? 1 : 2;
			if (fn_match[fn] == 1) {
				beneath[i] = true;
				l->line += j;
				l->nline -= j;
				break;
			}
		}
	}
	for (size_t i = 0; i < p->nsample; i++) {
		struct cprof_sample *s = &p->sample[i];
		for (uint32_t j = 0; j < s->nloc; j++) {
			if (beneath[s->loc[j]]) {
				s->loc += j;
				s->nloc -= j;
				break;
			}
		}
	}
	free(beneath);
	free(fn_match);
}
