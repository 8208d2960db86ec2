/*
 * objfile_prefetch.c - the second thread: the main binary is opened and
 * its symbols, DWARF unit indexes and line tables are read while the
 * profile is still being read and merged; once the main mapping's
 * addresses are handed over (cprof_objtool_prefetch_addresses), their
 * frames are found on that thread, and by the caller too once it asks for
 * frames (of_prefetch_finish).
 *
 * Its own file because it is the only code that runs on two threads: what
 * each side may touch, and when, is stated at struct prefetch and struct
 * fctx (objfile_internal.h) and kept here.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "src/symbolize/objfile_internal.h"

/*
 * Sort n values: LSD radix sort, a byte a pass, skipping the bytes where
 * every value has the same (most of an address's bytes, within one file).
 */
static void radix_sort_u64(uint64_t *v, size_t n)
{
	if (n < 2)
		return;
	uint64_t differ = 0;
	for (size_t i = 1; i < n; i++)
		differ |= v[i] ^ v[0];
	uint64_t *tmp = cprof_xmalloc(cprof_st_mult(n, sizeof(*tmp)));
	size_t count[256];
	for (unsigned shift = 0; shift < 64; shift += 8) {
		if (!((differ >> shift) & 0xff))
			continue;
		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++)
			count[(v[i] >> shift) & 0xff]++;
		for (size_t d = 0, sum = 0; d < 256; d++) {
			size_t c = count[d];
			count[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[count[(v[i] >> shift) & 0xff]++] = v[i];
		memcpy(v, tmp, n * sizeof(*v));
	}
	free(tmp);
}

/* Chunks of addresses taken at a time by each thread. */
#define PF_CHUNK 512
/*
 * From this many addresses on, the thread reads every unit's line table
 * before finding frames, and the caller waits for that and helps; fewer
 * are looked up on demand, reading only their units.
 */
#define PF_EAGER_MIN 2048

/* Find frames for chunks of o->pre_addr until none is left (or the prefetch stops). */
static void frames_work(struct prefetch *pf, struct elfobj *o, struct fctx *x)
{
	struct cprof_objfile f = {.t = pf->t, .o = o, .start = pf->start, .limit = pf->limit, .offset = pf->offset};
	for (;;) {
		if (atomic_load_explicit(&pf->stop, memory_order_relaxed))
			return;
		size_t i = atomic_fetch_add(&pf->next, PF_CHUNK);
		if (i >= o->npre)
			return;
		size_t end = i + PF_CHUNK < o->npre ? i + PF_CHUNK : o->npre;
		for (; i < end; i++) {
			struct cprof_frame *v;
			size_t nv;
			of_compute_frames(&f, o->pre_addr[i], false, &v, &nv, x);
			o->pre_fr[i] = v;
			o->pre_n[i] = (uint32_t)nv;
		}
	}
}

/*
 * The main mapping's addresses as object addresses, sorted and distinct,
 * into o->pre_addr; then their frames into o->pre_fr and o->pre_n, with
 * of_prefetch_finish's help once it is called.
 */
static void prefetch_frames(struct prefetch *pf, struct elfobj *o)
{
	struct cprof_objfile f = {.t = pf->t, .o = o, .start = pf->start, .limit = pf->limit, .offset = pf->offset};
	uint64_t *a = pf->addrs;
	size_t n = pf->naddrs, k = 0;
	if (!n)
		return;
	radix_sort_u64(a, n);
	o->pre_addr = cprof_xmalloc(cprof_st_mult(n, sizeof(*o->pre_addr)));
	for (size_t i = 0; i < n; i++) {
		struct cprof_error err = {0};
		uint64_t oa;
		if ((i && a[i] == a[i - 1]) || cprof_objfile_obj_addr(&f, a[i], &oa, &err))
			continue;
		if (k && oa <= o->pre_addr[k - 1])
			continue; /* not increasing (the base cannot move them back, but stay sorted) */
		o->pre_addr[k++] = oa;
	}
	o->pre_fr = cprof_xcalloc(k ? k : 1, sizeof(*o->pre_fr));
	o->pre_n = cprof_xmalloc(cprof_st_mult(k ? k : 1, sizeof(*o->pre_n)));
	for (size_t i = 0; i < k; i++)
		o->pre_n[i] = PRE_NONE;
	o->npre = k;
	pthread_mutex_lock(&pf->mu);
	atomic_store(&pf->phase, PF_FRAMES);
	pthread_cond_broadcast(&pf->cv);
	pthread_mutex_unlock(&pf->mu);
	frames_work(pf, o, &pf->fc);
}

static void prefetch_run(struct prefetch *pf)
{
	struct cprof_objtool *t = pf->t;
	struct elfobj *o = of_elfobj_open(pf->path, &pf->err);
	pf->o = o;
	if (!o || atomic_load_explicit(&pf->stop, memory_order_relaxed))
		return;
	of_load_symbols(t, o);
	if (atomic_load_explicit(&pf->stop, memory_order_relaxed))
		return;
	of_load_dwarf(t, o);
	size_t i = 0;
	for (; o->dw && i < o->ncus; i++) {
		if (atomic_load_explicit(&pf->stop, memory_order_relaxed))
			break;
		/* a few addresses: their units alone, on demand */
		if (atomic_load(&pf->have_addrs) && pf->naddrs < PF_EAGER_MIN)
			break;
		struct cu *c = &o->cus[i];
		if (!c->indexed)
			of_index_cu(o, c);
		of_read_lines(t, o, c);
	}
	pf->all_lines = o->dw && i == o->ncus;
	/* then what each subroutine's frame shows: its name and call site */
	for (size_t ci = 0; o->dw && ci < o->ncus; ci++) {
		if (atomic_load_explicit(&pf->stop, memory_order_relaxed) ||
		    atomic_load_explicit(&pf->have_addrs, memory_order_relaxed))
			break;
		struct cu *c = &o->cus[ci];
		for (size_t k = 0; k < c->nsubs; k++) {
			if (c->subs[k].raw)
				continue; /* cheap on demand, without libdw */
			of_die_name(t, o, c, &c->subs[k], NULL);
			of_sub_call_site(o, &c->subs[k], NULL);
		}
	}
	pthread_mutex_lock(&pf->mu);
	while (!atomic_load(&pf->have_addrs) && !atomic_load(&pf->stop))
		pthread_cond_wait(&pf->cv, &pf->mu);
	bool go = atomic_load(&pf->have_addrs);
	pthread_mutex_unlock(&pf->mu);
	if (go)
		prefetch_frames(pf, o);
}

static void *prefetch_main(void *arg)
{
	struct prefetch *pf = arg;
	prefetch_run(pf);
	pthread_mutex_lock(&pf->mu);
	atomic_store(&pf->phase, PF_DONE);
	pthread_cond_broadcast(&pf->cv);
	pthread_mutex_unlock(&pf->mu);
	return NULL;
}

void cprof_objtool_prefetch(struct cprof_objtool *t, const char *path)
{
	if (t->pf || !path || !*path)
		return;
	for (struct elfobj *o = t->objs; o; o = o->next)
		if (!strcmp(o->path, path))
			return;
	for (struct failed *x = t->failed; x; x = x->next)
		if (!strcmp(x->path, path))
			return;
	struct prefetch *pf = cprof_xcalloc(1, sizeof(*pf));
	pf->t = t;
	pf->path = cprof_xstrdup(path);
	atomic_init(&pf->stop, false);
	atomic_init(&pf->have_addrs, false);
	atomic_init(&pf->phase, PF_LOADING);
	atomic_init(&pf->next, 0);
	cprof_arena_init(&pf->farena);
	pf->fc.arena = &pf->farena;
	pf->fc.mu = &pf->names;
	pthread_mutex_init(&pf->mu, NULL);
	pthread_mutex_init(&pf->names, NULL);
	pthread_cond_init(&pf->cv, NULL);
	if (pthread_create(&pf->th, NULL, prefetch_main, pf)) {
		pthread_mutex_destroy(&pf->mu);
		pthread_mutex_destroy(&pf->names);
		pthread_cond_destroy(&pf->cv);
		free(pf->path);
		free(pf);
		return;
	}
	t->pf = pf;
}

static void prefetch_wake(struct prefetch *pf, const uint64_t *addrs, size_t n, bool stop)
{
	pthread_mutex_lock(&pf->mu);
	if (stop) {
		atomic_store(&pf->stop, true);
	} else if (!atomic_load(&pf->have_addrs)) {
		pf->addrs = cprof_xmalloc(cprof_st_mult(n ? n : 1, sizeof(*pf->addrs)));
		if (n)
			memcpy(pf->addrs, addrs, n * sizeof(*addrs));
		pf->naddrs = n;
		atomic_store(&pf->have_addrs, true);
	}
	pthread_cond_broadcast(&pf->cv);
	pthread_mutex_unlock(&pf->mu);
}

const char *cprof_objtool_prefetching(const struct cprof_objtool *t)
{
	return t->pf ? t->pf->path : NULL;
}

void cprof_objtool_prefetch_cancel(struct cprof_objtool *t)
{
	if (t->pf)
		prefetch_wake(t->pf, NULL, 0, true);
}

void cprof_objtool_prefetch_addresses(struct cprof_objtool *t, uint64_t start, uint64_t limit, uint64_t offset,
				      const uint64_t *addrs, size_t n)
{
	struct prefetch *pf = t->pf;
	if (!pf || atomic_load(&pf->have_addrs))
		return;
	pf->start = start; /* read by the thread only after the handoff below */
	pf->limit = limit;
	pf->offset = offset;
	prefetch_wake(pf, addrs, n, false);
}

/*
 * Wait for the second thread and take over what it read. When it was
 * given many addresses, the caller waits for the line tables and then
 * finds frames alongside it; otherwise the thread stops at its next step
 * and what is left is done on demand.
 */
void of_prefetch_finish(struct cprof_objtool *t)
{
	struct prefetch *pf = t->pf;
	if (!pf)
		return;
	bool help = false;
	pthread_mutex_lock(&pf->mu);
	if (atomic_load(&pf->have_addrs) && pf->naddrs >= PF_EAGER_MIN) {
		while (atomic_load(&pf->phase) == PF_LOADING && !atomic_load(&pf->stop))
			pthread_cond_wait(&pf->cv, &pf->mu);
		help = atomic_load(&pf->phase) == PF_FRAMES && pf->all_lines;
	}
	pthread_mutex_unlock(&pf->mu);
	struct cprof_arena mine;
	cprof_arena_init(&mine);
	if (help) {
		struct fctx x = {.arena = &mine, .mu = &pf->names};
		frames_work(pf, pf->o, &x);
		free(x.scratch);
	} else {
		prefetch_wake(pf, NULL, 0, true);
	}
	pthread_join(pf->th, NULL);
	cprof_arena_adopt(&t->arena, &pf->farena);
	cprof_arena_adopt(&t->arena, &mine);
	free(pf->fc.scratch);
	pthread_mutex_destroy(&pf->mu);
	pthread_mutex_destroy(&pf->names);
	pthread_cond_destroy(&pf->cv);
	free(pf->addrs);
	t->pf = NULL;
	if (pf->o) {
		pf->o->next = t->objs;
		t->objs = pf->o;
	} else {
		struct failed *x = cprof_xcalloc(1, sizeof(*x));
		x->path = pf->path;
		x->err = pf->err;
		x->next = t->failed;
		t->failed = x;
		pf->path = NULL;
	}
	free(pf->path);
	free(pf);
}
