/*
 * genaft.c - write a large GODEBUG=allocfreetrace=1 log, as a Go 1.19
 * program of a few hundred allocation sites would print it, for
 * bench/allocfreetrace.sh.
 *
 *   genaft [-size MB] [-seed N] [-sites N] [-gc-every N] [-prefix] > trace.log
 *          defaults: -size 1024 -seed 1 -sites 300 -gc-every 5000
 *
 * Every allocation is a tracealloc record with its goroutine header and a
 * traceback of 4 to 14 frames in the runtime's traceback=2 layout
 * (runtime.mallocgc, an entry point such as runtime.newobject, the
 * program's frames with file:line +0xNN fp= sp= pc=, inlined frames
 * printed as f(...), the goroutine's root or "created by"), then an empty
 * line. Each site has a type (or none), a size class and a lifetime: most
 * objects die at the next GC, some live a few GCs, a few sites keep a
 * small share of what they allocate for ever (the leak). Every -gc-every
 * allocations a tracegc record lists a dozen goroutines, then the sweep
 * frees what that GC found dead (tracefree records with the sweeper's
 * traceback, addresses reused by later allocations as the runtime reuses
 * them), and a gctrace line follows. About one line in 200 is the
 * program's own output. -prefix puts a syslog-style prefix of the same
 * width before every line, as a log shipper would.
 *
 * Deterministic for given flags (its own splitmix64 generator). On
 * standard error at the end: records, GCs and the objects still live.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static const unsigned size_classes[] = {8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240,
					256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024,
					1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864,
					5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288, 13568,
					14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768};
#define NCLASS (sizeof(size_classes) / sizeof(size_classes[0]))

static const char *const entries[] = {"runtime.newobject", "runtime.makeslice", "runtime.growslice",
				      "runtime.makemap_small", "runtime.rawstring", "runtime.convTstring",
				      "runtime.mapassign_faststr"};
static const char *const entry_files[] = {"malloc.go:1192", "slice.go:103", "slice.go:278", "map.go:294",
					  "string.go:279", "iface.go:384", "map_faststr.go:220"};
static const char *const type_names[] = {
	"*http.Request",      "[]uint8",         "bytes.Buffer",     "main.session",        "*main.session",
	"map.bucket[string]interface {}", "[]string", "string",       "json.decodeState",    "main.(*cache).entry",
	"[]*main.item",       "main.item",       "sync.poolLocal",   "[]interface {}",      "struct { a int; b string }",
	"func(context.Context) error", "[16]int64", "*sql.Rows", "grpc.header", "proto.Buffer"};
#define NTYPES (sizeof(type_names) / sizeof(type_names[0]))

struct site {
	unsigned entry;      /* index into entries */
	unsigned nframes;    /* program frames */
	unsigned fn[10];     /* function numbers */
	unsigned line[10];
	bool inl[10];
	int type;            /* -1: none */
	unsigned cls;        /* size class index */
	unsigned lifetime;   /* 1: dies at the next GC ... 6 */
	unsigned leak_per_mille;
	bool goexit;         /* root runtime.goexit + created by, else runtime.main */
};

struct obj {
	uint64_t addr;
	unsigned cls;
};

/* objects by the GC that frees them (a ring over the longest lifetime + 1) */
#define RING 8
static struct obj *dying[RING];
static size_t ndying[RING], adying[RING];
/* addresses free for reuse, per size class */
static uint64_t *freelist[NCLASS];
static size_t nfree[NCLASS], afree[NCLASS];
static uint64_t bump = 0xc000100000ULL;

static char prefix[64];
static int prefix_on;
static unsigned long long bytes_out, records, gcs, lines_out, live_now, leaked;

static void put(const char *s)
{
	if (prefix_on) {
		fputs(prefix, stdout);
		bytes_out += strlen(prefix);
	}
	fputs(s, stdout);
	fputc('\n', stdout);
	bytes_out += strlen(s) + 1;
	lines_out++;
	if (prefix_on && lines_out % 64 == 0) {
		/* the clock moves; the width stays */
		unsigned ms = (unsigned)(lines_out / 64 % 1000);
		snprintf(prefix, sizeof(prefix), "2024-05-01T10:00:%02u.%03uZ host app[4242]: ",
			 (unsigned)(lines_out / 64000 % 60), ms);
	}
}

static void push(struct obj **v, size_t *n, size_t *a, struct obj o)
{
	if (*n == *a) {
		*a = *a ? *a * 2 : 1024;
		*v = realloc(*v, *a * sizeof(**v));
		if (!*v)
			exit(2);
	}
	(*v)[(*n)++] = o;
}

static uint64_t take_addr(unsigned cls)
{
	if (nfree[cls])
		return freelist[cls][--nfree[cls]];
	uint64_t a = bump;
	bump += size_classes[cls] < 16 ? 16 : size_classes[cls];
	return a;
}

static void give_addr(unsigned cls, uint64_t addr)
{
	if (nfree[cls] == afree[cls]) {
		afree[cls] = afree[cls] ? afree[cls] * 2 : 1024;
		freelist[cls] = realloc(freelist[cls], afree[cls] * sizeof(uint64_t));
		if (!freelist[cls])
			exit(2);
	}
	freelist[cls][nfree[cls]++] = addr;
}

static uint64_t sp_base = 0xc00008e000ULL;

static void frame(const char *fn, const char *args, const char *file, unsigned line,
		  bool inl, uint64_t *sp)
{
	char l[512];
	snprintf(l, sizeof(l), "%s(%s)", fn, inl ? "..." : args);
	put(l);
	if (inl) {
		snprintf(l, sizeof(l), "\t%s:%u", file, line);
	} else {
		uint64_t fp = *sp + 0x28 + (rnd() & 0x1f8);
		snprintf(l, sizeof(l), "\t%s:%u +0x%x fp=0x%" PRIx64 " sp=0x%" PRIx64 " pc=0x%" PRIx64, file, line,
			 (unsigned)(rnd() & 0x7ff), fp, *sp, 0x400000 + (rnd() & 0x7ffff));
		*sp = fp;
	}
	put(l);
}

static void alloc_record(const struct site *s, unsigned gid)
{
	char l[512], args[128];
	unsigned cls = s->cls;
	if (s->entry == 2 && below(4) == 0 && cls + 3 < NCLASS)
		cls += below(4); /* growslice: several sizes */
	uint64_t addr = take_addr(cls);
	if (s->type >= 0)
		snprintf(l, sizeof(l), "tracealloc(0x%" PRIx64 ", 0x%x, %s)", addr, size_classes[cls], type_names[s->type]);
	else
		snprintf(l, sizeof(l), "tracealloc(0x%" PRIx64 ", 0x%x)", addr, size_classes[cls]);
	put(l);
	snprintf(l, sizeof(l), "goroutine %u [running]:", gid);
	put(l);
	uint64_t sp = sp_base + (uint64_t)gid * 0x8000;
	snprintf(args, sizeof(args), "0x%x, 0x%x, 0x1", size_classes[cls], 0x480000 + below(0x20000));
	frame("runtime.mallocgc", args, "/usr/local/go/src/runtime/malloc.go", 1131, false, &sp);
	char ef[128];
	const char *colon = strchr(entry_files[s->entry], ':');
	snprintf(ef, sizeof(ef), "/usr/local/go/src/runtime/%.*s", (int)(colon - entry_files[s->entry]),
		 entry_files[s->entry]);
	snprintf(args, sizeof(args), "0x%x?", 0x480000 + below(0x20000));
	frame(entries[s->entry], args, ef, (unsigned)atoi(colon + 1), false, &sp);
	for (unsigned i = 0; i < s->nframes; i++) {
		char fn[96], file[128];
		unsigned f = s->fn[i];
		if (f % 3)
			snprintf(fn, sizeof(fn), "github.com/acme/svc/pkg%02u.(*Type%u).Method%u", f % 40, f % 17, f % 23);
		else
			snprintf(fn, sizeof(fn), "github.com/acme/svc/pkg%02u.verb%u", f % 40, f % 29);
		snprintf(file, sizeof(file), "/src/github.com/acme/svc/pkg%02u/file%u.go", f % 40, f % 7);
		snprintf(args, sizeof(args), "0xc%09" PRIx64 ", {0x%x, 0x%x}, 0x%x", (uint64_t)(rnd() & 0xfffffffffULL), below(0x1000),
			 below(64), below(16));
		frame(fn, args, file, s->line[i], s->inl[i], &sp);
	}
	if (s->goexit) {
		frame("runtime.goexit", "{}", "/usr/local/go/src/runtime/asm_amd64.s", 1594, false, &sp);
		put("created by net/http.(*Server).Serve");
		put("\t/usr/local/go/src/net/http/server.go:3102 +0x4db");
	} else {
		frame("main.main", "", "/src/github.com/acme/svc/main.go", 88, false, &sp);
		frame("runtime.main", "", "/usr/local/go/src/runtime/proc.go", 250, false, &sp);
		frame("runtime.goexit", "{}", "/usr/local/go/src/runtime/asm_amd64.s", 1594, false, &sp);
	}
	put("");
	records++;

	unsigned die = s->lifetime;
	if (s->leak_per_mille && below(1000) < s->leak_per_mille) {
		leaked++;
		live_now++;
		return; /* never freed */
	}
	if (die > 1 && below(3) == 0)
		die += below(3);
	if (die >= RING)
		die = RING - 1;
	size_t slot = (size_t)((gcs + die) % RING);
	push(&dying[slot], &ndying[slot], &adying[slot], (struct obj){addr, cls});
	live_now++;
}

static void gc_record(void)
{
	char l[256];
	gcs++;
	records++;
	put("tracegc()");
	put("");
	for (unsigned g = 1; g <= 12; g++) {
		uint64_t sp = sp_base + (uint64_t)g * 0x8000;
		snprintf(l, sizeof(l), "goroutine %u [%s]:", g, g == 1 ? "garbage collection" : g % 3 ? "IO wait" : "select");
		put(l);
		frame("runtime.gopark", "0x0?, 0x0?, 0x0?, 0x0?, 0x0?", "/usr/local/go/src/runtime/proc.go",
		      363, false, &sp);
		frame("runtime.netpollblock", "0x0?, 0x0?, 0x0?", "/usr/local/go/src/runtime/netpoll.go", 526,
		      false, &sp);
		frame("internal/poll.runtime_pollWait", "0x7f0000000000, 0x72",
		      "/usr/local/go/src/runtime/netpoll.go", 305, false, &sp);
		frame("runtime.goexit", "{}", "/usr/local/go/src/runtime/asm_amd64.s", 1594, false, &sp);
		put("created by net/http.(*Server).Serve");
		put("\t/usr/local/go/src/net/http/server.go:3102 +0x4db");
		put("");
	}
	put("end tracegc");
	put("");
	size_t slot = (size_t)(gcs % RING);
	for (size_t i = 0; i < ndying[slot]; i++) {
		const struct obj *o = &dying[slot][i];
		snprintf(l, sizeof(l), "tracefree(0x%" PRIx64 ", 0x%x)", o->addr, size_classes[o->cls]);
		put(l);
		put("goroutine 0 [idle]:");
		uint64_t sp = 0xc000049d08ULL;
		frame("runtime.(*sweepLocked).sweep", "0xc000049e28?, 0x0",
		      "/usr/local/go/src/runtime/mgcsweep.go", 577, false, &sp);
		frame("runtime.(*mcentral).cacheSpan", "0x7f0000000000", "/usr/local/go/src/runtime/mcentral.go",
		      158, false, &sp);
		frame("runtime.(*mcache).refill", "0x7f0000000108, 0x2",
		      "/usr/local/go/src/runtime/mcache.go", 162, false, &sp);
		frame("runtime.(*mcache).nextFree", "0x7f0000000108, 0x2",
		      "/usr/local/go/src/runtime/malloc.go", 886, false, &sp);
		frame("runtime.systemstack", "0x0", "/usr/local/go/src/runtime/asm_amd64.s", 492, false, &sp);
		put("");
		give_addr(o->cls, o->addr);
		records++;
		live_now--;
	}
	ndying[slot] = 0;
	snprintf(l, sizeof(l),
		 "gc %llu @%llu.%03us 3%%: 0.030+1.2+0.021 ms clock, 0.12+0.40/1.1/0+0.084 ms cpu, 8->9->4 MB, 9 MB goal, 0 MB stacks, 0 MB globals, 4 P",
		 gcs, gcs / 10, (unsigned)(gcs % 10) * 100);
	put(l);
}

int main(int argc, char **argv)
{
	unsigned long long size_mb = 1024, seed = 1, nsites = 300, gc_every = 5000;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-prefix")) {
			prefix_on = 1;
			continue;
		}
		if (i + 1 >= argc)
			goto usage;
		unsigned long long v = strtoull(argv[i + 1], NULL, 10);
		if (!strcmp(argv[i], "-size"))
			size_mb = v;
		else if (!strcmp(argv[i], "-seed"))
			seed = v;
		else if (!strcmp(argv[i], "-sites"))
			nsites = v;
		else if (!strcmp(argv[i], "-gc-every"))
			gc_every = v;
		else
			goto usage;
		i++;
	}
	if (!nsites || !gc_every || nsites > 100000)
		goto usage;
	rng_state = seed;
	snprintf(prefix, sizeof(prefix), "2024-05-01T10:00:00.000Z host app[4242]: ");
	static char obuf[1 << 20];
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));

	struct site *sites = calloc(nsites, sizeof(*sites));
	if (!sites)
		return 2;
	for (unsigned i = 0; i < nsites; i++) {
		struct site *s = &sites[i];
		s->entry = below(sizeof(entries) / sizeof(entries[0]));
		s->nframes = 2 + below(9);
		for (unsigned k = 0; k < s->nframes; k++) {
			s->fn[k] = below(2000);
			s->line[k] = 10 + below(900);
			s->inl[k] = k + 1 < s->nframes && below(6) == 0;
		}
		s->type = s->entry == 4 ? -1 : below(8) == 0 ? -1 : (int)below(NTYPES);
		/* mostly small objects, some large */
		s->cls = below(10) ? below(26) : 26 + below(NCLASS - 26);
		unsigned r = below(100);
		s->lifetime = r < 70 ? 1 : r < 90 ? 2 : 3 + below(4);
		s->leak_per_mille = i % 50 == 7 ? 5 : 0;
		s->goexit = below(3) != 0;
	}
	unsigned long long limit = size_mb << 20, allocs = 0;
	while (bytes_out < limit) {
		/* sites drawn with weights 1/rank: a few hot ones, a long tail */
		unsigned k = (unsigned)(nsites * (rnd() % 1000000) / 1000000);
		k = (unsigned)((unsigned long long)k * k / nsites);
		alloc_record(&sites[k], 20 + k % 64);
		if (++allocs % gc_every == 0)
			gc_record();
		if (below(200) == 0) {
			char l[160];
			snprintf(l, sizeof(l), "2024/05/01 10:00:00 INFO handled request id=%08x path=/api/v1/items/%u status=200",
				 (unsigned)rnd(), below(100000));
			put(l);
		}
	}
	fflush(stdout);
	fprintf(stderr, "genaft: %llu MB, %llu lines, %llu records (%llu allocations), %llu GCs, %llu objects live at the end (%llu leaked)\n",
		bytes_out >> 20, lines_out, records, allocs, gcs, live_now, leaked);
	return 0;
usage:
	fprintf(stderr, "usage: genaft [-size MB] [-seed N] [-sites N] [-gc-every N] [-prefix] > trace.log\n");
	return 64;
}
