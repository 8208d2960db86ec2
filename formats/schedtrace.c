/*
 * schedtrace.c - the lines GODEBUG=schedtrace=X[,scheddetail=1] makes the
 * Go runtime print every X ms, in every shape since go1.2, recognised by
 * shape anywhere in a line.
 *
 * The summary line (one per sample):
 *
 *   SCHED T ms: gomaxprocs=N idleprocs=N threads=N spinningthreads=N [needspinning=N] idlethreads=N runqueue=N [L L ... L]
 *         └┬┘   └─────┬─────┘                                                                       └──────┬──────┘ └────┬────┘
 *   ms since the      Ps, idle Ps, Ms, spinning Ms, idle Ms                                 global run queue   local run queue
 *   first sample                                                                                               of each P
 *
 *   e.g. SCHED 508ms: gomaxprocs=4 idleprocs=0 threads=7 spinningthreads=0 idlethreads=0 runqueue=7 [3 0 2 0]
 *        (go1.19.8, line 50 of testdata/runtime/sched_saturate.log)
 *
 *   go1.2/1.3 have no spinningthreads; needspinning= appears in go1.21+.
 *   The line is parsed as "key=value" words, so unknown keys are skipped
 *   and the order does not matter.
 *
 * With scheddetail=1 the summary has no [...] list but a suffix, and is
 * followed by one indented line per P, per M and per G:
 *
 *   SCHED 309ms: gomaxprocs=4 idleprocs=0 ... runqueue=0 gcwaiting=0 nmidlelocked=0 stopwait=0 sysmonwait=0
 *     P0: status=1 schedtick=120 syscalltick=2 m=3 runqsize=0 gfreecnt=1 timerslen=2
 *     M3: p=0 curg=66 mallocing=0 throwing=0 preemptoff= locks=1 dying=0 spinning=false blocked=true lockedg=-1
 *     G19: status=4(IO wait) m=-1 lockedm=-1
 *     G5: status=4(GC worker (idle)) m=-1 lockedm=-1
 *
 *   go1.2: " singleproc=0 gcwaiting=1 mlocked=0 nmspinning=0 stopwait=0
 *   sysmonwait=0", "P0: status=3 tick=1 m=0 runqsize=1/128 gfreecnt=0",
 *   "G1: status=2() m=0 lockedm=0"; go1.3 adds nmidlelocked=; go1.4 the
 *   schedtick/syscalltick/blocked fields; go1.5 preemptoff= (a string, often
 *   empty); go1.19 prints spinning=false/true; go1.23 prints "nil" for a
 *   missing id where older releases print -1. Wait reasons may contain
 *   spaces and parentheses ("GC worker (idle)"), so the reason ends at the
 *   ")" that balances the opening one. P status: 0 idle, 1 running,
 *   2 syscall, 3 gcstop, 4 dead. G status: 0 idle, 1 runnable, 2 running,
 *   3 syscall, 4 waiting, 6 dead, 8 copystack, 9 preempted, plus 0x1000
 *   while the GC scans it.
 *
 * Sources: proc.c (go1.2-1.4) and proc.go (go1.5+) schedtrace(), as
 * summarised in ../shared/spec/go-runtime-logs.md; go1.19 lines recorded by
 * testdata/gen/runtime/.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof/runtime_logs.h"
#include "cprof/util.h"
#include "logscan.h"

static const char *const p_states[CPROF_NP_STATES] = {
#define P_STATE_NAME_(name) #name,
	CPROF_P_STATES(P_STATE_NAME_)
#undef P_STATE_NAME_
	"other"};
static const char *const g_states[CPROF_NG_STATES] = {
	"idle", "runnable", "running", "syscall", "waiting", "moribund", "dead", "enqueue",
	"copystack", "preempted", "other"};

const char *cprof_p_state_name(unsigned i)
{
	return i < CPROF_NP_STATES ? p_states[i] : "other";
}

const char *cprof_g_state_name(unsigned i)
{
	return i < CPROF_NG_STATES ? g_states[i] : "other";
}

void cprof_schedlog_init(struct cprof_schedlog *log)
{
	memset(log, 0, sizeof(*log));
	cprof_schedstats_init(&log->stats);
}

void cprof_schedlog_release(struct cprof_schedlog *log)
{
	cprof_schedstats_release(&log->stats);
	cprof_schedlog_init(log);
}

/* A word "key=value": the key and the value's bounds (the value may be empty). */
static bool next_kv(struct cur *c, const char **k, size_t *kl, const char **v, size_t *vl)
{
	while (c->p < c->e && *c->p == ' ')
		c->p++;
	const char *s = c->p;
	while (c->p < c->e && *c->p != '=' && *c->p != ' ')
		c->p++;
	if (c->p == s || c->p == c->e || *c->p != '=')
		return false;
	*k = s, *kl = (size_t)(c->p - s);
	*v = ++c->p;
	while (c->p < c->e && *c->p != ' ')
		c->p++;
	*vl = (size_t)(c->p - *v);
	return true;
}

static bool key_is(const char *k, size_t kl, const char *name)
{
	return strlen(name) == kl && !memcmp(k, name, kl);
}

/* An id or count: digits, -1, "nil" (-1), true/false (1/0); a leading number of "1/128". */
static bool value_int(const char *v, size_t vl, int64_t *out)
{
	struct cur c = {v, v + vl};
	if (cur_lit(&c, "nil") || cur_lit(&c, "false")) {
		*out = c.p == c.e && v[0] == 'n' ? -1 : 0;
		return c.p == c.e;
	}
	if (cur_lit(&c, "true")) {
		*out = 1;
		return c.p == c.e;
	}
	if (!cur_i64(&c, out))
		return false;
	if (*out > INT32_MAX)
		*out = INT32_MAX;
	if (*out < INT32_MIN)
		*out = INT32_MIN;
	return c.p == c.e || *c.p == '/';
}

/* The summary keys, in the order of the fields of struct cprof_sched_sample they fill. */
enum skey { K_GOMAXPROCS, K_IDLEPROCS, K_THREADS, K_IDLETHREADS, K_SPINNING, K_NEEDSPINNING,
	    K_RUNQUEUE, K_GCWAITING, K_DETAIL, K__N };
static const struct {
	const char *name;
	enum skey key;
} summary_keys[] = {
	{"gomaxprocs", K_GOMAXPROCS},   {"idleprocs", K_IDLEPROCS},   {"threads", K_THREADS},
	{"idlethreads", K_IDLETHREADS}, {"spinningthreads", K_SPINNING}, {"nmspinning", K_SPINNING},
	{"needspinning", K_NEEDSPINNING}, {"runqueue", K_RUNQUEUE},   {"gcwaiting", K_GCWAITING},
	{"nmidlelocked", K_DETAIL},     {"stopwait", K_DETAIL},       {"sysmonwait", K_DETAIL},
	{"singleproc", K_DETAIL},       {"mlocked", K_DETAIL},
};

/* "SCHED T ms: ..." at c (after "SCHED "). */
static bool parse_summary(struct cur *c, struct cprof_sched_sample *s)
{
	uint64_t t;
	if (!cur_u64(c, &t) || !cur_lit(c, "ms:"))
		return false;
	memset(s, 0, sizeof(*s));
	s->t_ms = (double)t;
	s->spinning = s->needspinning = s->gcwaiting = -1;
	s->local_min = -1;
	int64_t val[K__N] = {0};
	bool seen[K__N] = {false};
	for (;;) {
		while (c->p < c->e && *c->p == ' ')
			c->p++;
		if (c->p == c->e)
			break;
		if (*c->p == '[') {
			/* [l0 l1 ... ln]: local run queues */
			c->p++;
			for (;;) {
				uint64_t q;
				while (c->p < c->e && *c->p == ' ')
					c->p++;
				if (cur_ch(c, ']'))
					break;
				if (!cur_u64(c, &q))
					return false;
				int32_t qi = q > INT32_MAX ? INT32_MAX : (int32_t)q;
				s->nlocal++;
				s->local_sum = s->local_sum > INT32_MAX - qi ? INT32_MAX : s->local_sum + qi;
				if (qi > s->local_max)
					s->local_max = qi;
				if (s->local_min < 0 || qi < s->local_min)
					s->local_min = qi;
			}
			continue;
		}
		const char *k, *v;
		size_t kl, vl;
		struct cur save = *c;
		if (!next_kv(c, &k, &kl, &v, &vl)) {
			/* trailing text that is not ours (interleaved output): stop here */
			*c = save;
			break;
		}
		for (size_t i = 0; i < CPROF_ARRAY_SIZE(summary_keys); i++) {
			if (!key_is(k, kl, summary_keys[i].name))
				continue;
			enum skey key = summary_keys[i].key;
			int64_t x;
			if (!value_int(v, vl, &x))
				return false;
			val[key] = x;
			seen[key] = true;
			break;
		}
	}
	if (!seen[K_GOMAXPROCS] || !seen[K_IDLEPROCS] || !seen[K_THREADS] || !seen[K_RUNQUEUE])
		return false;
	s->gomaxprocs = (int32_t)val[K_GOMAXPROCS];
	s->idleprocs = (int32_t)val[K_IDLEPROCS];
	s->threads = (int32_t)val[K_THREADS];
	s->idlethreads = seen[K_IDLETHREADS] ? (int32_t)val[K_IDLETHREADS] : -1;
	s->runqueue = (int32_t)val[K_RUNQUEUE];
	if (seen[K_SPINNING])
		s->spinning = (int32_t)val[K_SPINNING];
	if (seen[K_NEEDSPINNING])
		s->needspinning = (int32_t)val[K_NEEDSPINNING];
	if (seen[K_GCWAITING])
		s->gcwaiting = (int32_t)val[K_GCWAITING];
	s->detail = seen[K_GCWAITING] || seen[K_DETAIL];
	if (s->gomaxprocs <= 0 || s->idleprocs < 0 || s->threads < 0 || s->runqueue < 0)
		return false;
	if (s->local_min < 0)
		s->local_min = 0;
	return true;
}

/* The current sample, when the detail block belongs to one. */
static struct cprof_sched_sample *detail_sample(struct cprof_schedlog *log)
{
	if (!log->ns || !log->last.detail)
		return NULL;
	return &log->last;
}

/* "P<n>: status=..." at c (after "P<n>: "). */
static bool parse_p(struct cprof_schedlog *log, struct cur *c)
{
	const char *k, *v;
	size_t kl, vl;
	int64_t status = -1, runq = -1, x;
	while (next_kv(c, &k, &kl, &v, &vl)) {
		if (key_is(k, kl, "status") && value_int(v, vl, &x))
			status = x;
		else if (key_is(k, kl, "runqsize") && value_int(v, vl, &x))
			runq = x;
	}
	if (status < 0)
		return false;
	struct cprof_sched_detail *d = &log->detail;
	d->p_lines++;
	d->p_state[status < CPROF_NP_STATES - 1 ? status : CPROF_NP_STATES - 1]++;
	struct cprof_sched_sample *s = detail_sample(log);
	if (s && runq >= 0) {
		int32_t q = (int32_t)runq;
		s->local_min = s->nlocal == 0 || q < s->local_min ? q : s->local_min;
		s->nlocal++;
		s->local_sum = s->local_sum > INT32_MAX - q ? INT32_MAX : s->local_sum + q;
		if (q > s->local_max)
			s->local_max = q;
	}
	return true;
}

/* "M<n>: p=..." */
static bool parse_m(struct cprof_schedlog *log, struct cur *c)
{
	const char *k, *v;
	size_t kl, vl;
	int64_t x;
	bool seen_p = false;
	struct cprof_sched_detail *d = &log->detail;
	while (next_kv(c, &k, &kl, &v, &vl)) {
		if (!value_int(v, vl, &x))
			continue; /* preemptoff= is a string */
		if (key_is(k, kl, "p")) {
			seen_p = true;
			d->m_with_p += x >= 0;
		} else if (key_is(k, kl, "curg")) {
			d->m_running_g += x >= 0;
		} else if (key_is(k, kl, "spinning")) {
			d->m_spinning += x > 0;
		} else if (key_is(k, kl, "blocked")) {
			d->m_blocked += x > 0;
		} else if (key_is(k, kl, "lockedg")) {
			d->m_locked += x >= 0;
		}
	}
	if (!seen_p)
		return false;
	d->m_lines++;
	return true;
}

static uint32_t fnv1a(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void count_reason(struct cprof_sched_detail *d, const char *r, size_t n)
{
	if (n == 0)
		r = "(none)", n = 6;
	if (n >= sizeof(d->reason[0].name))
		n = sizeof(d->reason[0].name) - 1;
	uint32_t h = fnv1a(r, n) & (CPROF_WAIT_REASONS_MAX - 1);
	for (unsigned probe = 0; probe < CPROF_WAIT_REASONS_MAX; probe++) {
		struct cprof_wait_reason *e = &d->reason[(h + probe) & (CPROF_WAIT_REASONS_MAX - 1)];
		if (e->count == 0) {
			if (d->nreason >= CPROF_WAIT_REASONS_MAX * 3 / 4)
				break; /* keep probes short: the rest is "other" */
			memcpy(e->name, r, n);
			e->name[n] = '\0';
			e->count = 1;
			d->nreason++;
			return;
		}
		if (strlen(e->name) == n && !memcmp(e->name, r, n)) {
			e->count++;
			return;
		}
	}
	d->reason_other++;
}

/* "G<n>: status=S(reason) m=..." */
static bool parse_g(struct cprof_schedlog *log, struct cur *c)
{
	uint64_t st;
	if (!cur_lit(c, "status=") || !cur_u64(c, &st) || !cur_ch(c, '('))
		return false;
	const char *r = c->p;
	int depth = 1;
	while (c->p < c->e) {
		if (*c->p == '(')
			depth++;
		else if (*c->p == ')' && --depth == 0)
			break;
		c->p++;
	}
	if (c->p == c->e)
		return false;
	size_t rl = (size_t)(c->p - r);
	c->p++;
	if (!cur_lit(c, " m="))
		return false;
	st &= ~(uint64_t)0x1000; /* _Gscan */
	unsigned si = st < CPROF_NG_STATES - 1 ? (unsigned)st : CPROF_NG_STATES - 1;
	struct cprof_sched_detail *d = &log->detail;
	d->g_lines++;
	d->g_state[si]++;
	if (si == 4)
		count_reason(d, r, rl);
	struct cprof_sched_sample *s = detail_sample(log);
	if (s && si != 6) {
		s->ng++;
		s->ng_runnable += si == 1;
		s->ng_running += si == 2;
		s->ng_syscall += si == 3;
		s->ng_waiting += si == 4;
	}
	return true;
}

static void add_sample(struct cprof_schedlog *log, struct cprof_sched_sample *s)
{
	if (!log->runs)
		log->runs = 1;
	if (log->ns) {
		const struct cprof_sched_sample *prev = &log->last;
		if (s->t_ms + log->time_offset_ms < prev->t_ms) {
			/* the clock restarted: another run of the program (or another file) */
			log->runs++;
			log->time_offset_ms = prev->t_ms;
		}
	}
	s->t_ms += log->time_offset_ms;
	s->run = log->runs - 1;
	if (s->detail)
		log->detail.samples++;
	/* the sample before is complete now (its scheddetail lines came before this one) */
	if (log->ns)
		cprof_schedstats_add(&log->stats, &log->last);
	log->last = *s;
	log->ns++;
}

/* The bytes a record can start with: the scan skips every other byte in a tight loop. */
static const bool starts[256] = {['S'] = true, ['P'] = true, ['M'] = true, ['G'] = true, ['g'] = true};

bool cprof_schedlog_add_line(struct cprof_schedlog *log, const char *line, size_t len)
{
	bool looked = false;
	log->lines++;
	for (size_t i = 0; i < len; i++) {
		while (i < len && !starts[(unsigned char)line[i]])
			i++;
		if (i == len)
			break;
		const char *p = line + i;
		size_t n = len - i;
		char ch = *p;
		if (ch == 'S') {
			if (n > 7 && !memcmp(p, "SCHED ", 6) && is_digit(p[6])) {
				struct cur c = {p + 6, p + n};
				struct cprof_sched_sample s;
				looked = true;
				if (parse_summary(&c, &s)) {
					add_sample(log, &s);
					log->records++;
					return true;
				}
			}
		} else if (ch == 'P' || ch == 'M' || ch == 'G') {
			if (n < 4 || !is_digit(p[1]))
				continue;
			struct cur c = {p + 1, p + n};
			uint64_t id;
			if (!cur_u64(&c, &id) || !cur_lit(&c, ": "))
				continue;
			bool ok;
			if (ch == 'P') {
				if (!cur_find(&c, "status="))
					continue;
				looked = true;
				ok = parse_p(log, &c);
			} else if (ch == 'M') {
				if (!(c.e - c.p > 2 && c.p[0] == 'p' && c.p[1] == '='))
					continue;
				looked = true;
				ok = parse_m(log, &c);
			} else {
				if (!(c.e - c.p > 7 && !memcmp(c.p, "status=", 7)))
					continue;
				looked = true;
				ok = parse_g(log, &c);
			}
			if (ok) {
				log->records++;
				return true;
			}
		} else if (ch == 'g') {
			if (n > 6 && p[1] == 'c' && p[2] == ' ' && is_digit(p[3]) && memchr(p, '@', n) &&
			    memmem(p, n, " ms clock, ", 11)) {
				log->other_traces++;
				return false;
			}
		}
	}
	if (looked)
		log->malformed++;
	return false;
}

void cprof_schedlog_line_fn(void *ctx, const char *line, size_t len)
{
	(void)cprof_schedlog_add_line(ctx, line, len);
}

void cprof_schedlog_parse_buffer(struct cprof_schedlog *log, const char *buf, size_t len)
{
	cprof_log_split(buf, len, cprof_schedlog_line_fn, log);
	cprof_schedlog_finish(log);
}

void cprof_schedlog_finish(struct cprof_schedlog *log)
{
	if (log->finished)
		return;
	if (log->ns)
		cprof_schedstats_add(&log->stats, &log->last);
	log->finished = true;
}
