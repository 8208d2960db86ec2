/*
 * profile.c - life cycle of the model (see profile.h): creation, appenders,
 * deep copy, lookups. Validation and compaction live in
 * formats/pprof_valid.c next to the reader that relies on them.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/profile.h"

struct cprof_profile *cprof_profile_new(void)
{
	struct cprof_profile *p = cprof_xcalloc(1, sizeof(*p));
	cprof_arena_init(&p->arena);
	cprof_strtab_init(&p->strs, &p->arena);
	const char *empty = cprof_profile_str(p, "");
	p->source = empty;
	p->drop_frames = p->keep_frames = empty;
	p->period_type.type = p->period_type.unit = empty;
	p->default_sample_type = p->doc_url = empty;
	return p;
}

void cprof_profile_free(struct cprof_profile *p)
{
	if (!p)
		return;
	free(p->sample);
	free(p->location);
	free(p->function);
	free(p->mapping);
	cprof_strtab_release(&p->strs);
	cprof_arena_release(&p->arena);
	free(p);
}

const char *cprof_profile_strn(struct cprof_profile *p, const char *s, size_t len)
{
	return cprof_strtab_intern(&p->strs, s, len);
}

const char *cprof_profile_str(struct cprof_profile *p, const char *s)
{
	return cprof_strtab_intern(&p->strs, s, strlen(s));
}

struct cprof_sample *cprof_profile_add_sample(struct cprof_profile *p)
{
	ALLOC_GROW(p->sample, p->nsample + 1, p->asample);
	struct cprof_sample *s = &p->sample[p->nsample++];
	memset(s, 0, sizeof(*s));
	return s;
}

struct cprof_location *cprof_profile_add_location(struct cprof_profile *p)
{
	ALLOC_GROW(p->location, p->nlocation + 1, p->alocation);
	struct cprof_location *l = &p->location[p->nlocation++];
	memset(l, 0, sizeof(*l));
	l->mapping = CPROF_NONE;
	return l;
}

struct cprof_function *cprof_profile_add_function(struct cprof_profile *p)
{
	ALLOC_GROW(p->function, p->nfunction + 1, p->afunction);
	struct cprof_function *f = &p->function[p->nfunction++];
	const char *empty = cprof_profile_str(p, "");
	memset(f, 0, sizeof(*f));
	f->name = f->system_name = f->filename = empty;
	return f;
}

struct cprof_mapping *cprof_profile_add_mapping(struct cprof_profile *p)
{
	ALLOC_GROW(p->mapping, p->nmapping + 1, p->amapping);
	struct cprof_mapping *m = &p->mapping[p->nmapping++];
	const char *empty = cprof_profile_str(p, "");
	memset(m, 0, sizeof(*m));
	m->file = m->build_id = empty;
	return m;
}

void cprof_profile_set_sample_types(struct cprof_profile *p, const struct cprof_value_type *t, size_t n)
{
	struct cprof_value_type *nt = cprof_arena_calloc(&p->arena, n, sizeof(*nt));
	for (size_t i = 0; i < n; i++) {
		nt[i].type = cprof_profile_str(p, t[i].type);
		nt[i].unit = cprof_profile_str(p, t[i].unit);
	}
	p->sample_type = nt;
	p->nsample_type = n;
}

void cprof_profile_add_comment(struct cprof_profile *p, const char *c)
{
	const char **nc = cprof_arena_alloc(&p->arena, (p->ncomment + 1) * sizeof(*nc));
	if (p->ncomment)
		memcpy(nc, p->comment, p->ncomment * sizeof(*nc));
	nc[p->ncomment++] = cprof_profile_str(p, c);
	p->comment = nc;
}

int cprof_profile_sample_type_index(const struct cprof_profile *p, const char *name)
{
	for (size_t i = 0; i < p->nsample_type; i++)
		if (strcmp(p->sample_type[i].type, name) == 0)
			return (int)i;
	return -1;
}

struct cprof_profile *cprof_profile_copy(const struct cprof_profile *src)
{
	struct cprof_profile *p = cprof_profile_new();
#define S(x) cprof_profile_str(p, (x))
	p->source = S(src->source);
	cprof_profile_set_sample_types(p, src->sample_type, src->nsample_type);
	p->drop_frames = S(src->drop_frames);
	p->keep_frames = S(src->keep_frames);
	p->time_nanos = src->time_nanos;
	p->duration_nanos = src->duration_nanos;
	p->period_type.type = S(src->period_type.type);
	p->period_type.unit = S(src->period_type.unit);
	p->period = src->period;
	for (size_t i = 0; i < src->ncomment; i++)
		cprof_profile_add_comment(p, src->comment[i]);
	p->default_sample_type = S(src->default_sample_type);
	p->doc_url = S(src->doc_url);

	for (size_t i = 0; i < src->nmapping; i++) {
		struct cprof_mapping *m = cprof_profile_add_mapping(p);
		*m = src->mapping[i];
		m->file = S(m->file);
		m->build_id = S(m->build_id);
	}
	for (size_t i = 0; i < src->nfunction; i++) {
		struct cprof_function *f = cprof_profile_add_function(p);
		*f = src->function[i];
		f->name = S(f->name);
		f->system_name = S(f->system_name);
		f->filename = S(f->filename);
	}
	for (size_t i = 0; i < src->nlocation; i++) {
		struct cprof_location *l = cprof_profile_add_location(p);
		*l = src->location[i];
		l->line = cprof_arena_memdup(&p->arena, l->line, l->nline, sizeof(*l->line));
	}
	ALLOC_GROW(p->sample, src->nsample, p->asample);
	for (size_t i = 0; i < src->nsample; i++) {
		const struct cprof_sample *ss = &src->sample[i];
		struct cprof_sample *s = &p->sample[i];
		s->nloc = ss->nloc;
		s->nlabel = ss->nlabel;
		s->loc = cprof_arena_memdup(&p->arena, ss->loc, ss->nloc, sizeof(*s->loc));
		s->value = cprof_arena_memdup(&p->arena, ss->value, src->nsample_type, sizeof(*s->value));
		s->label = cprof_arena_memdup(&p->arena, ss->label, ss->nlabel, sizeof(*s->label));
		for (uint32_t j = 0; j < s->nlabel; j++) {
			struct cprof_label *lb = &s->label[j];
			lb->key = S(lb->key);
			if (lb->str)
				lb->str = S(lb->str);
			lb->num_unit = S(lb->num_unit);
		}
	}
	p->nsample = src->nsample;
#undef S
	return p;
}
