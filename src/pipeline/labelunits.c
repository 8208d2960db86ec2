/*
 * labelunits.c - the unit of every numeric label key (pprof's
 * Profile.NumLabelUnits), shared by tag filters and the traces report.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/transform.h"

struct key_units {
	const char *key;
	const char *unit;     /* first non-empty unit, or NULL */
	const char **ignored; /* other units seen (malloc'd) */
	size_t nignored, aignored;
};

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct key_units *)a)->key, ((const struct key_units *)b)->key);
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static struct key_units *find_key(struct key_units *k, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (k[i].key == key)
			return &k[i];
	return NULL;
}

size_t cprof_profile_num_label_units(struct cprof_profile *p, struct cprof_label_unit **out,
				     struct strbuf *notes)
{
	struct key_units *keys = NULL;
	size_t nkeys = 0, akeys = 0;

	/* Label keys are few; a linear scan over interned pointers is enough. */
	for (size_t i = 0; i < p->nsample; i++) {
		const struct cprof_sample *s = &p->sample[i];
		for (uint32_t j = 0; j < s->nlabel; j++) {
			const struct cprof_label *l = &s->label[j];
			if (l->str)
				continue;
			struct key_units *k = find_key(keys, nkeys, l->key);
			if (!k) {
				ALLOC_GROW(keys, nkeys + 1, akeys);
				k = &keys[nkeys++];
				memset(k, 0, sizeof(*k));
				k->key = l->key;
			}
			if (!l->num_unit[0])
				continue;
			if (!k->unit) {
				k->unit = l->num_unit;
			} else if (k->unit != l->num_unit) {
				size_t m;
				for (m = 0; m < k->nignored; m++)
					if (k->ignored[m] == l->num_unit)
						break;
				if (m == k->nignored) {
					ALLOC_GROW(k->ignored, k->nignored + 1, k->aignored);
					k->ignored[k->nignored++] = l->num_unit;
				}
			}
		}
	}
	if (nkeys)
		qsort(keys, nkeys, sizeof(*keys), by_key);

	struct cprof_label_unit *u = cprof_xcalloc(nkeys ? nkeys : 1, sizeof(*u));
	for (size_t i = 0; i < nkeys; i++) {
		struct key_units *k = &keys[i];
		u[i].key = k->key;
		if (k->unit)
			u[i].unit = k->unit;
		else if (!strcmp(k->key, "alignment") || !strcmp(k->key, "request"))
			u[i].unit = cprof_profile_str(p, "bytes");
		else
			u[i].unit = k->key;
		if (k->nignored && notes) {
			qsort(k->ignored, k->nignored, sizeof(*k->ignored), by_str);
			strbuf_addf(notes, "For tag %s used unit %s, also encountered unit(s) ", k->key,
				    u[i].unit);
			for (size_t m = 0; m < k->nignored; m++)
				strbuf_addf(notes, "%s%s", m ? ", " : "", k->ignored[m]);
			strbuf_addch(notes, '\n');
		}
		free(k->ignored);
	}
	free(keys);
	*out = u;
	return nkeys;
}

const char *cprof_label_unit_find(const struct cprof_label_unit *u, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (u[i].key == key || !strcmp(u[i].key, key))
			return u[i].unit;
	return NULL;
}
