/*
 * genprof: write a large, realistic, gzipped pprof profile (profile.proto).
 *
 *   genprof [-samples N] [-locations N] [-functions N] [-seed S] [-level L]
 *           OUT.pb.gz
 *
 * The profile looks like a Go CPU profile of an HTTP server: a layered call
 * graph of application functions in ~200 packages under
 * github.com/acme/svc, entered from runtime.goexit / runtime.main /
 * net/http, with runtime helpers (allocation, maps, locks, syscalls) at the
 * leaves, GC worker and scheduler stacks, inlined frames, a little
 * recursion, string labels (handler, tenant) and a numeric label (bytes).
 *
 * Stacks are produced by weighted random walks over that call graph, so they
 * share prefixes like real programs do.  A pool of "base" stacks is drawn
 * first; each sample picks a base stack with a Zipf-like (log-uniform rank)
 * distribution and usually re-walks its last few frames, giving a few hot
 * paths and a long tail of distinct stacks.
 *
 * The protobuf is encoded by hand and streamed through zlib in gzip mode.
 * Output is deterministic for a given set of options.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

/* ------------------------------------------------------------------------ */
/* utilities                                                                */

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("genprof: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory (%zu bytes)", n);
    return p;
}

static void *xcalloc(size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz ? sz : 1);
    if (!p)
        die("out of memory (%zu x %zu bytes)", n, sz);
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("out of memory (%zu bytes)", n);
    return p;
}

/* splitmix64: small, fast, good enough, fully deterministic */
static uint64_t rng_state;

static uint64_t rnd64(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* uniform in [0, n) */
static uint32_t rnd_below(uint32_t n)
{
    return (uint32_t)(((rnd64() >> 32) * (uint64_t)n) >> 32);
}

/* uniform in [0, 1) */
static double rnd_u01(void)
{
    return (double)(rnd64() >> 11) * (1.0 / 9007199254740992.0);
}

/* percent chance */
static int chance(uint32_t pct)
{
    return rnd_below(100) < pct;
}

/* ------------------------------------------------------------------------ */
/* string table with de-duplication                                         */

typedef struct {
    char **s;          /* strings, index 0 is "" */
    size_t n, cap;
    uint32_t *ht;      /* open addressing: index+1, 0 = empty */
    size_t htcap;
} StrTab;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    while (*s) {
        h ^= (unsigned char)*s++;
        h *= 1099511628211ULL;
    }
    return h;
}

static void strtab_rehash(StrTab *t, size_t newcap)
{
    free(t->ht);
    t->ht = xcalloc(newcap, sizeof *t->ht);
    t->htcap = newcap;
    for (size_t i = 0; i < t->n; i++) {
        size_t j = (size_t)hash_str(t->s[i]) & (newcap - 1);
        while (t->ht[j])
            j = (j + 1) & (newcap - 1);
        t->ht[j] = (uint32_t)(i + 1);
    }
}

static int64_t str_intern(StrTab *t, const char *s)
{
    if (t->n * 2 >= t->htcap)
        strtab_rehash(t, t->htcap ? t->htcap * 2 : 1024);
    size_t j = (size_t)hash_str(s) & (t->htcap - 1);
    while (t->ht[j]) {
        if (strcmp(t->s[t->ht[j] - 1], s) == 0)
            return (int64_t)(t->ht[j] - 1);
        j = (j + 1) & (t->htcap - 1);
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 1024;
        t->s = xrealloc(t->s, t->cap * sizeof *t->s);
    }
    size_t len = strlen(s);
    char *c = xmalloc(len + 1);
    memcpy(c, s, len + 1);
    t->s[t->n] = c;
    t->ht[j] = (uint32_t)(t->n + 1);
    return (int64_t)t->n++;
}

static int64_t str_internf(StrTab *t, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (r < 0 || (size_t)r >= sizeof buf)
        die("string too long");
    return str_intern(t, buf);
}

/* ------------------------------------------------------------------------ */
/* protobuf encoding                                                        */

typedef struct {
    uint8_t *p;
    size_t n, cap;
} Buf;

static void buf_reserve(Buf *b, size_t extra)
{
    if (b->n + extra <= b->cap)
        return;
    size_t nc = b->cap ? b->cap : 256;
    while (nc < b->n + extra)
        nc *= 2;
    b->p = xrealloc(b->p, nc);
    b->cap = nc;
}

static void buf_bytes(Buf *b, const void *p, size_t n)
{
    if (n == 0)
        return;
    buf_reserve(b, n);
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

static void buf_varint(Buf *b, uint64_t v)
{
    buf_reserve(b, 10);
    while (v >= 0x80) {
        b->p[b->n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    b->p[b->n++] = (uint8_t)v;
}

enum { WT_VARINT = 0, WT_LEN = 2 };

static void buf_tag(Buf *b, uint32_t field, uint32_t wt)
{
    buf_varint(b, ((uint64_t)field << 3) | wt);
}

/* varint field, omitted when zero (proto3 default) */
static void pb_int(Buf *b, uint32_t field, uint64_t v)
{
    if (v == 0)
        return;
    buf_tag(b, field, WT_VARINT);
    buf_varint(b, v);
}

static void pb_bytes(Buf *b, uint32_t field, const void *p, size_t n)
{
    buf_tag(b, field, WT_LEN);
    buf_varint(b, n);
    buf_bytes(b, p, n);
}

/* ------------------------------------------------------------------------ */
/* gzip output stream                                                       */

typedef struct {
    FILE *f;
    const char *path;
    z_stream zs;
    uint8_t in[1 << 17];
    size_t nin;
    uint8_t out[1 << 17];
    uint64_t raw_bytes;
} Out;

static void out_deflate(Out *o, int flush)
{
    o->zs.next_in = o->in;
    o->zs.avail_in = (uInt)o->nin;
    do {
        o->zs.next_out = o->out;
        o->zs.avail_out = (uInt)sizeof o->out;
        int r = deflate(&o->zs, flush);
        if (r == Z_STREAM_ERROR)
            die("deflate failed");
        size_t have = sizeof o->out - o->zs.avail_out;
        if (have && fwrite(o->out, 1, have, o->f) != have)
            die("write %s: %s", o->path, strerror(errno));
    } while (o->zs.avail_out == 0);
    o->nin = 0;
}

static void out_open(Out *o, const char *path, int level)
{
    o->path = path;
    o->f = fopen(path, "wb");
    if (!o->f)
        die("open %s: %s", path, strerror(errno));
    memset(&o->zs, 0, sizeof o->zs);
    if (deflateInit2(&o->zs, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        die("deflateInit2 failed");
    o->nin = 0;
    o->raw_bytes = 0;
}

static void out_write(Out *o, const void *p, size_t n)
{
    const uint8_t *s = p;
    o->raw_bytes += n;
    while (n) {
        size_t k = sizeof o->in - o->nin;
        if (k > n)
            k = n;
        memcpy(o->in + o->nin, s, k);
        o->nin += k;
        s += k;
        n -= k;
        if (o->nin == sizeof o->in)
            out_deflate(o, Z_NO_FLUSH);
    }
}

static void out_close(Out *o)
{
    out_deflate(o, Z_FINISH);
    deflateEnd(&o->zs);
    if (fclose(o->f) != 0)
        die("close %s: %s", o->path, strerror(errno));
}

/* write a top-level length-delimited field whose body is in b */
static void out_field(Out *o, uint32_t field, const Buf *b)
{
    Buf h = {0};
    uint8_t tmp[16];
    h.p = tmp;
    h.cap = sizeof tmp;
    buf_tag(&h, field, WT_LEN);
    buf_varint(&h, b->n);
    out_write(o, h.p, h.n);
    out_write(o, b->p, b->n);
}

/* ------------------------------------------------------------------------ */
/* the program model                                                        */

#define MAX_LINES 3     /* lines per location */
#define MAX_KIND 63     /* max sites of one kind per function */
#define MAX_DEPTH 64    /* hard cap on stack depth */
#define NLEVELS 80      /* layers of the application call graph */

enum { SITE_APP, SITE_RT, SITE_LEAF, SITE_NKIND };

typedef struct {
    uint32_t fn;        /* function index */
    int32_t line;
} LineInfo;

typedef struct {
    uint64_t addr;
    uint32_t owner;     /* outermost function */
    int32_t callee;     /* function called from here, -1 for a leaf pc */
    uint8_t nlines;
    LineInfo line[MAX_LINES]; /* innermost first */
} Loc;

typedef struct {
    int64_t name, file;   /* string indices */
    int64_t start_line;
    int32_t body;         /* lines in the body */
    int32_t level;        /* app call-graph layer, -1 for special */
    int32_t pkg;          /* app package, -1 for special */
    uint64_t addr, size;
    /* sites: locations inside this function, grouped by kind */
    uint32_t *site[SITE_NKIND];
    uint32_t nsite[SITE_NKIND];
    uint32_t capsite[SITE_NKIND];
    /* for special functions: a weight per site (all kinds in one list) */
    uint32_t *sp_site;
    double *sp_cum;
    uint32_t nsp;
} Func;

static Func *funcs;
static uint32_t nfuncs;
static Loc *locs;
static uint32_t nlocs, caplocs;
static StrTab st;

/* ---- special (runtime / stdlib) functions -------------------------------
 * callees: comma separated "target:weight" where target is
 *   NAME        a call site calling special function NAME
 *   =NAME       a leaf pc inside NAME inlined into this function
 *   @leafN      N leaf pcs sharing the weight
 *   @appN       N call sites into entry-level application functions
 */
typedef struct {
    const char *name, *file;
    int line;
    const char *callees;
} SpecDef;

#define GOROOT "/usr/local/go/src/"
static const SpecDef specs[] = {
    {"runtime.goexit", GOROOT "runtime/asm_amd64.s", 1594,
     "runtime.main:14,net/http.(*conn).serve:50,runtime.gcBgMarkWorker:6,@app40:30"},
    {"runtime.main", GOROOT "runtime/proc.go", 144, "main.main:1"},
    {"main.main", "/src/github.com/acme/svc/cmd/server/main.go", 21, "@app12:1"},
    {"net/http.(*conn).serve", GOROOT "net/http/server.go", 1835,
     "net/http.serverHandler.ServeHTTP:85,net/http.(*conn).readRequest:10,@leaf2:5"},
    {"net/http.(*conn).readRequest", GOROOT "net/http/server.go", 963,
     "net/textproto.(*Reader).ReadMIMEHeader:40,runtime.newobject:30,@leaf2:30"},
    {"net/textproto.(*Reader).ReadMIMEHeader", GOROOT "net/textproto/reader.go", 490,
     "runtime.mapassign_faststr:30,runtime.concatstrings:20,@leaf3:50"},
    {"net/http.serverHandler.ServeHTTP", GOROOT "net/http/server.go", 2909,
     "net/http.(*ServeMux).ServeHTTP:1"},
    {"net/http.(*ServeMux).ServeHTTP", GOROOT "net/http/server.go", 2480,
     "net/http.HandlerFunc.ServeHTTP:1"},
    {"net/http.HandlerFunc.ServeHTTP", GOROOT "net/http/server.go", 2109, "@app60:1"},
    {"runtime.mcall", GOROOT "runtime/asm_amd64.s", 425,
     "runtime.park_m:70,runtime.goexit0:30"},
    {"runtime.park_m", GOROOT "runtime/proc.go", 3336, "runtime.schedule:1"},
    {"runtime.goexit0", GOROOT "runtime/proc.go", 3475, "runtime.schedule:90,@leaf1:10"},
    {"runtime.schedule", GOROOT "runtime/proc.go", 3187, "runtime.findrunnable:85,@leaf2:15"},
    {"runtime.findrunnable", GOROOT "runtime/proc.go", 2723,
     "runtime.netpoll:35,runtime.stopm:45,@leaf3:20"},
    {"runtime.netpoll", GOROOT "runtime/netpoll_epoll.go", 124, "runtime.epollwait:80,@leaf1:20"},
    {"runtime.epollwait", GOROOT "runtime/sys_linux_amd64.s", 689, "@leaf1:1"},
    {"runtime.stopm", GOROOT "runtime/proc.go", 2340, "runtime.notesleep:1"},
    {"runtime.notesleep", GOROOT "runtime/lock_futex.go", 160, "runtime.futexsleep:1"},
    {"runtime.futexsleep", GOROOT "runtime/os_linux.go", 69, "runtime.futex:1"},
    {"runtime.futex", GOROOT "runtime/sys_linux_amd64.s", 557, "@leaf1:1"},
    {"runtime.gcBgMarkWorker", GOROOT "runtime/mgc.go", 1235, "runtime.systemstack:1"},
    {"runtime.systemstack", GOROOT "runtime/asm_amd64.s", 492,
     "runtime.gcBgMarkWorker.func2:1"},
    {"runtime.gcBgMarkWorker.func2", GOROOT "runtime/mgc.go", 1296, "runtime.gcDrain:1"},
    {"runtime.gcDrain", GOROOT "runtime/mgcmark.go", 1083,
     "runtime.scanobject:75,runtime.markroot:15,@leaf2:10"},
    {"runtime.markroot", GOROOT "runtime/mgcmark.go", 159, "runtime.scanblock:60,@leaf1:40"},
    {"runtime.scanblock", GOROOT "runtime/mgcmark.go", 1265, "runtime.greyobject:30,@leaf2:70"},
    {"runtime.scanobject", GOROOT "runtime/mgcmark.go", 1334,
     "runtime.findObject:25,runtime.greyobject:25,=runtime.heapBits.next:10,@leaf4:40"},
    {"runtime.findObject", GOROOT "runtime/mbitmap.go", 340, "=runtime.spanOf:30,@leaf2:70"},
    {"runtime.greyobject", GOROOT "runtime/mgcmark.go", 1476, "@leaf3:1"},
    {"runtime.heapBits.next", GOROOT "runtime/mbitmap.go", 455, ""},
    {"runtime.spanOf", GOROOT "runtime/mheap.go", 624, ""},
    /* helpers called from application code */
    {"runtime.newobject", GOROOT "runtime/malloc.go", 1192, "runtime.mallocgc:1"},
    {"runtime.makeslice", GOROOT "runtime/slice.go", 103, "runtime.mallocgc:1"},
    {"runtime.growslice", GOROOT "runtime/slice.go", 278,
     "runtime.mallocgc:60,runtime.memmove:30,@leaf1:10"},
    {"runtime.mallocgc", GOROOT "runtime/malloc.go", 905,
     "runtime.memclrNoHeapPointers:20,runtime.heapBitsSetType:15,"
     "runtime.(*mcache).nextFree:10,=runtime.nextFreeFast:20,@leaf4:35"},
    {"runtime.nextFreeFast", GOROOT "runtime/malloc.go", 854, ""},
    {"runtime.(*mcache).nextFree", GOROOT "runtime/malloc.go", 873, "runtime.(*mcache).refill:1"},
    {"runtime.(*mcache).refill", GOROOT "runtime/mcache.go", 162,
     "runtime.(*mcentral).cacheSpan:1"},
    {"runtime.(*mcentral).cacheSpan", GOROOT "runtime/mcentral.go", 84,
     "runtime.(*mcentral).grow:30,@leaf2:70"},
    {"runtime.(*mcentral).grow", GOROOT "runtime/mcentral.go", 244, "@leaf2:1"},
    {"runtime.memclrNoHeapPointers", GOROOT "runtime/memclr_amd64.s", 28, "@leaf3:1"},
    {"runtime.heapBitsSetType", GOROOT "runtime/mbitmap.go", 829, "@leaf3:1"},
    {"runtime.memmove", GOROOT "runtime/memmove_amd64.s", 34, "@leaf4:1"},
    {"runtime.mapaccess2_faststr", GOROOT "runtime/map_faststr.go", 108,
     "runtime.strhash:35,@leaf4:65"},
    {"runtime.mapassign_faststr", GOROOT "runtime/map_faststr.go", 203,
     "runtime.(*hmap).newoverflow:10,runtime.strhash:25,@leaf3:65"},
    {"runtime.(*hmap).newoverflow", GOROOT "runtime/map.go", 244, "runtime.newobject:1"},
    {"runtime.strhash", GOROOT "runtime/asm_amd64.s", 1181, "runtime.aeshashbody:1"},
    {"runtime.aeshashbody", GOROOT "runtime/asm_amd64.s", 1208, "@leaf3:1"},
    {"sync.(*Mutex).Lock", GOROOT "sync/mutex.go", 81, "sync.(*Mutex).lockSlow:40,@leaf1:60"},
    {"sync.(*Mutex).lockSlow", GOROOT "sync/mutex.go", 138, "sync.runtime_doSpin:30,@leaf3:70"},
    {"sync.runtime_doSpin", GOROOT "runtime/proc.go", 6345, "runtime.procyield:1"},
    {"runtime.procyield", GOROOT "runtime/asm_amd64.s", 727, "@leaf1:1"},
    {"sync.(*Mutex).Unlock", GOROOT "sync/mutex.go", 212, "@leaf1:1"},
    {"syscall.Syscall", GOROOT "syscall/syscall_linux.go", 68,
     "runtime/internal/syscall.Syscall6:80,runtime.entersyscall:10,runtime.exitsyscall:10"},
    {"runtime/internal/syscall.Syscall6", GOROOT "runtime/internal/syscall/asm_linux_amd64.s", 36,
     "@leaf1:1"},
    {"runtime.entersyscall", GOROOT "runtime/proc.go", 3795, "@leaf2:1"},
    {"runtime.exitsyscall", GOROOT "runtime/proc.go", 3917, "@leaf2:1"},
    {"runtime.selectgo", GOROOT "runtime/select.go", 121, "@leaf5:1"},
    {"runtime.chansend1", GOROOT "runtime/chan.go", 145, "runtime.chansend:1"},
    {"runtime.chansend", GOROOT "runtime/chan.go", 160, "runtime.lock2:30,@leaf3:70"},
    {"runtime.lock2", GOROOT "runtime/lock_futex.go", 56, "runtime.procyield:40,@leaf2:60"},
    {"runtime.concatstrings", GOROOT "runtime/string.go", 21,
     "runtime.rawstringtmp:50,runtime.memmove:30,@leaf2:20"},
    {"runtime.rawstringtmp", GOROOT "runtime/string.go", 180, "runtime.rawstring:1"},
    {"runtime.rawstring", GOROOT "runtime/string.go", 276, "runtime.mallocgc:1"},
    {"runtime.convTstring", GOROOT "runtime/iface.go", 389, "runtime.mallocgc:1"},
    {"runtime.assertE2I", GOROOT "runtime/iface.go", 456, "@leaf2:1"},
    {"runtime.duffcopy", GOROOT "runtime/duff_amd64.s", 353, "@leaf1:1"},
};
#define NSPECS (sizeof specs / sizeof specs[0])

/* runtime helpers that application code calls directly, with weights */
static const struct {
    const char *name;
    uint32_t w;
} rt_entry[] = {
    {"runtime.newobject", 18},    {"runtime.makeslice", 8},
    {"runtime.growslice", 10},    {"runtime.memmove", 10},
    {"runtime.mapaccess2_faststr", 10}, {"runtime.mapassign_faststr", 6},
    {"sync.(*Mutex).Lock", 8},    {"sync.(*Mutex).Unlock", 4},
    {"syscall.Syscall", 6},       {"runtime.selectgo", 4},
    {"runtime.chansend1", 3},     {"runtime.concatstrings", 5},
    {"runtime.convTstring", 4},   {"runtime.assertE2I", 2},
    {"runtime.duffcopy", 2},
};
#define NRT_ENTRY (sizeof rt_entry / sizeof rt_entry[0])

static uint32_t spec_index(const char *name)
{
    for (uint32_t i = 0; i < NSPECS; i++)
        if (strcmp(specs[i].name, name) == 0)
            return i;
    die("internal: unknown special function %s", name);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* building the model                                                       */

static uint32_t napp_first;  /* first application function index */
static uint32_t npkgs;
static uint32_t *level_list[NLEVELS];
static uint32_t level_n[NLEVELS];
static uint32_t *entry_fns;  /* app functions with level <= 3 */
static uint32_t nentry;
static uint32_t *pkg_first, *pkg_count; /* packages own contiguous ranges */

static const char *verbs[] = {
    "Process", "handle", "decode", "Encode", "parse", "validate", "Get",
    "Put", "compute", "Serve", "read", "Write", "flush", "lookup", "Merge",
    "apply", "Build", "marshal", "Unmarshal", "Load", "store", "scan",
    "Resolve", "dispatch", "Sort", "filter", "Update", "index", "Call", "wait",
};
#define NVERBS (sizeof verbs / sizeof verbs[0])

static uint32_t new_loc(void)
{
    if (nlocs == caplocs) {
        caplocs = caplocs ? caplocs * 2 : 4096;
        locs = xrealloc(locs, caplocs * sizeof *locs);
    }
    Loc *l = &locs[nlocs];
    memset(l, 0, sizeof *l);
    l->callee = -1;
    return nlocs++;
}

static void add_site(Func *f, int kind, uint32_t loc)
{
    if (f->nsite[kind] == f->capsite[kind]) {
        f->capsite[kind] = f->capsite[kind] ? f->capsite[kind] * 2 : 4;
        f->site[kind] = xrealloc(f->site[kind], f->capsite[kind] * sizeof(uint32_t));
    }
    f->site[kind][f->nsite[kind]++] = loc;
}

static void add_sp_site(Func *f, uint32_t loc, double w)
{
    f->sp_site = xrealloc(f->sp_site, (f->nsp + 1) * sizeof *f->sp_site);
    f->sp_cum = xrealloc(f->sp_cum, (f->nsp + 1) * sizeof *f->sp_cum);
    f->sp_site[f->nsp] = loc;
    f->sp_cum[f->nsp] = (f->nsp ? f->sp_cum[f->nsp - 1] : 0.0) + w;
    f->nsp++;
}

static int32_t rnd_line_in(uint32_t fn)
{
    const Func *f = &funcs[fn];
    return (int32_t)f->start_line + 1 + (int32_t)rnd_below((uint32_t)f->body);
}

/* random app function with level in [lo, hi], preferring package pkg */
static int32_t pick_callee(int32_t pkg, int32_t lo, int32_t hi)
{
    if (lo >= NLEVELS)
        return -1;
    if (hi >= NLEVELS)
        hi = NLEVELS - 1;
    if (pkg >= 0 && chance(50)) {
        uint32_t first = pkg_first[pkg], cnt = pkg_count[pkg];
        uint32_t start = rnd_below(cnt);
        for (uint32_t i = 0; i < cnt; i++) {
            uint32_t fn = first + (start + i) % cnt;
            if (funcs[fn].level >= lo && funcs[fn].level <= hi)
                return (int32_t)fn;
        }
    }
    for (int32_t tries = 0; tries < 4; tries++) {
        int32_t lv = lo + (int32_t)rnd_below((uint32_t)(hi - lo + 1));
        if (level_n[lv])
            return (int32_t)level_list[lv][rnd_below(level_n[lv])];
    }
    for (int32_t lv = lo; lv < NLEVELS; lv++)
        if (level_n[lv])
            return (int32_t)level_list[lv][rnd_below(level_n[lv])];
    return -1;
}

static uint32_t rt_entry_fn[NRT_ENTRY];
static double rt_entry_cum[NRT_ENTRY];

static uint32_t pick_rt_entry(void)
{
    double u = rnd_u01() * rt_entry_cum[NRT_ENTRY - 1];
    for (uint32_t i = 0; i < NRT_ENTRY; i++)
        if (u < rt_entry_cum[i])
            return rt_entry_fn[i];
    return rt_entry_fn[NRT_ENTRY - 1];
}

/* fill an application location: owner fn, optional inlined frames */
static void fill_app_loc(uint32_t li, uint32_t fn)
{
    Loc *l = &locs[li];
    const Func *f = &funcs[fn];
    l->owner = fn;
    uint32_t ninl = 0;
    uint32_t r = rnd_below(100);
    if (r < 4)
        ninl = 2;
    else if (r < 20)
        ninl = 1;
    /* inlined callees: small functions from the same package */
    for (uint32_t i = 0; i < ninl; i++) {
        uint32_t g = pkg_first[f->pkg] + rnd_below(pkg_count[f->pkg]);
        if (g == fn)
            continue;
        l->line[l->nlines].fn = g;
        l->line[l->nlines].line = rnd_line_in(g);
        l->nlines++;
    }
    l->line[l->nlines].fn = fn;
    l->line[l->nlines].line = rnd_line_in(fn);
    l->nlines++;
}

static void build_model(uint32_t want_funcs, uint32_t want_locs)
{
    funcs = xcalloc(want_funcs, sizeof *funcs);
    nfuncs = want_funcs;
    str_intern(&st, "");

    /* special functions */
    for (uint32_t i = 0; i < NSPECS; i++) {
        Func *f = &funcs[i];
        f->name = str_intern(&st, specs[i].name);
        f->file = str_intern(&st, specs[i].file);
        f->start_line = specs[i].line;
        f->body = 40 + (int32_t)rnd_below(200);
        f->level = -1;
        f->pkg = -1;
    }
    napp_first = (uint32_t)NSPECS;
    uint32_t napp = nfuncs - napp_first;

    /* packages and application functions */
    npkgs = napp / 20;
    if (npkgs > 200)
        npkgs = 200;
    if (npkgs < 1)
        npkgs = 1;
    pkg_first = xcalloc(npkgs, sizeof *pkg_first);
    pkg_count = xcalloc(npkgs, sizeof *pkg_count);
    uint32_t fn = napp_first;
    for (uint32_t p = 0; p < npkgs; p++) {
        uint32_t cnt = napp / npkgs + (p < napp % npkgs ? 1 : 0);
        pkg_first[p] = fn;
        pkg_count[p] = cnt;
        int32_t base_level = p < 4 ? 0 : (int32_t)rnd_below(NLEVELS - 20);
        uint32_t nfiles = 4 + p % 9;
        int64_t *file_str = xmalloc(nfiles * sizeof *file_str);
        int64_t *file_line = xmalloc(nfiles * sizeof *file_line);
        for (uint32_t k = 0; k < nfiles; k++) {
            file_str[k] = str_internf(&st, "/src/github.com/acme/svc/pkg%03u/file%02u.go", p, k);
            file_line[k] = 10 + rnd_below(30);
        }
        for (uint32_t k = 0; k < cnt; k++, fn++) {
            Func *f = &funcs[fn];
            char pkgname[64];
            snprintf(pkgname, sizeof pkgname, "github.com/acme/svc/pkg%03u", p);
            const char *verb = verbs[rnd_below(NVERBS)];
            uint32_t type = k / 6;
            uint32_t file;
            uint32_t r = rnd_below(100);
            if (r < 45) {
                f->name = str_internf(&st, "%s.(*Type%02u).Method%02u", pkgname, type, k);
                file = type % nfiles;
            } else if (r < 55) {
                f->name = str_internf(&st, "%s.Type%02u.Method%02u", pkgname, type, k);
                file = type % nfiles;
            } else if (r < 80) {
                f->name = str_internf(&st, "%s.%s%02u", pkgname, verb, k);
                file = k % nfiles;
            } else if (r < 92) {
                f->name = str_internf(&st, "%s.%s%02u.func%u", pkgname, verb, k, 1 + rnd_below(3));
                file = k % nfiles;
            } else {
                f->name = str_internf(&st, "%s.(*Type%02u).Method%02u.func%u", pkgname, type, k,
                                      1 + rnd_below(2));
                file = type % nfiles;
            }
            f->file = file_str[file];
            f->body = 8 + (int32_t)rnd_below(60) + (chance(15) ? (int32_t)rnd_below(300) : 0);
            f->start_line = file_line[file] + 3 + rnd_below(20);
            file_line[file] = f->start_line + f->body;
            f->pkg = (int32_t)p;
            f->level = base_level + (int32_t)rnd_below(20);
            if (f->level >= NLEVELS)
                f->level = NLEVELS - 1;
        }
        free(file_str);
        free(file_line);
    }
    for (uint32_t i = napp_first; i < nfuncs; i++)
        level_n[funcs[i].level]++;
    for (uint32_t lv = 0; lv < NLEVELS; lv++) {
        level_list[lv] = xmalloc((level_n[lv] ? level_n[lv] : 1) * sizeof(uint32_t));
        level_n[lv] = 0;
    }
    entry_fns = xmalloc(napp * sizeof *entry_fns);
    for (uint32_t i = napp_first; i < nfuncs; i++) {
        int32_t lv = funcs[i].level;
        level_list[lv][level_n[lv]++] = i;
        if (lv <= 3)
            entry_fns[nentry++] = i;
    }
    if (nentry == 0)
        die("internal: no entry functions");

    for (uint32_t i = 0; i < NRT_ENTRY; i++) {
        rt_entry_fn[i] = spec_index(rt_entry[i].name);
        rt_entry_cum[i] = (i ? rt_entry_cum[i - 1] : 0.0) + rt_entry[i].w;
    }

    /* special functions' sites */
    for (uint32_t i = 0; i < NSPECS; i++) {
        const char *p = specs[i].callees;
        while (*p) {
            char tok[128];
            size_t n = strcspn(p, ",");
            if (n >= sizeof tok)
                die("internal: token too long");
            memcpy(tok, p, n);
            tok[n] = 0;
            p += n;
            if (*p == ',')
                p++;
            char *colon = strrchr(tok, ':');
            if (!colon)
                die("internal: bad callee spec %s", tok);
            *colon = 0;
            double w = atof(colon + 1);
            if (tok[0] == '@') {
                int is_app = strncmp(tok + 1, "app", 3) == 0;
                uint32_t cnt = (uint32_t)atoi(tok + (is_app ? 4 : 5));
                for (uint32_t k = 0; k < cnt; k++) {
                    uint32_t li = new_loc();
                    locs[li].owner = i;
                    locs[li].nlines = 1;
                    locs[li].line[0].fn = i;
                    locs[li].line[0].line = rnd_line_in(i);
                    if (is_app)
                        locs[li].callee = (int32_t)entry_fns[rnd_below(nentry)];
                    /* entry dispatch is skewed too: w/(k+1) */
                    add_sp_site(&funcs[i], li, is_app ? w / (double)(k + 1) : w / (double)cnt);
                }
            } else if (tok[0] == '=') {
                uint32_t g = spec_index(tok + 1);
                uint32_t li = new_loc();
                locs[li].owner = i;
                locs[li].nlines = 2;
                locs[li].line[0].fn = g;
                locs[li].line[0].line = rnd_line_in(g);
                locs[li].line[1].fn = i;
                locs[li].line[1].line = rnd_line_in(i);
                add_sp_site(&funcs[i], li, w);
            } else {
                uint32_t g = spec_index(tok);
                uint32_t li = new_loc();
                locs[li].owner = i;
                locs[li].nlines = 1;
                locs[li].line[0].fn = i;
                locs[li].line[0].line = rnd_line_in(i);
                locs[li].callee = (int32_t)g;
                add_sp_site(&funcs[i], li, w);
            }
        }
    }

    /* application sites: one leaf pc and (below the bottom layer) one call
     * site each, then the rest spread at random */
    for (uint32_t i = napp_first; i < nfuncs; i++) {
        Func *f = &funcs[i];
        uint32_t li = new_loc();
        fill_app_loc(li, i);
        add_site(f, SITE_LEAF, li);
        int32_t c = pick_callee(f->pkg, f->level + 1, f->level + 2);
        if (c >= 0) {
            li = new_loc();
            fill_app_loc(li, i);
            locs[li].callee = c;
            add_site(f, SITE_APP, li);
        }
        /* a little direct recursion */
        if (chance(1)) {
            li = new_loc();
            fill_app_loc(li, i);
            locs[li].callee = (int32_t)i;
            add_site(f, SITE_APP, li);
        }
    }
    while (nlocs < want_locs) {
        uint32_t i = napp_first + rnd_below(napp);
        Func *f = &funcs[i];
        uint32_t r = rnd_below(100);
        int kind = r < 50 ? SITE_APP : r < 75 ? SITE_RT : SITE_LEAF;
        if (f->nsite[kind] >= MAX_KIND)
            continue;
        int32_t c = -1;
        if (kind == SITE_APP) {
            int32_t lo = f->level + 1;
            c = pick_callee(f->pkg, lo, lo + (chance(20) ? 4 : 1));
            if (c < 0) {
                kind = SITE_LEAF;
                if (f->nsite[kind] >= MAX_KIND)
                    continue;
            }
        } else if (kind == SITE_RT) {
            c = (int32_t)pick_rt_entry();
        }
        uint32_t li = new_loc();
        fill_app_loc(li, i);
        locs[li].callee = c;
        add_site(f, kind, li);
    }

    /* lay out code: functions in order, sites at increasing addresses */
    uint64_t addr = 0x401000;
    uint32_t *tmp = xmalloc(want_locs * sizeof *tmp + 64 * sizeof *tmp);
    for (uint32_t i = 0; i < nfuncs; i++) {
        Func *f = &funcs[i];
        uint32_t n = 0;
        for (uint32_t j = 0; j < f->nsp; j++)
            tmp[n++] = f->sp_site[j];
        for (int k = 0; k < SITE_NKIND; k++)
            for (uint32_t j = 0; j < f->nsite[k]; j++)
                tmp[n++] = f->site[k][j];
        uint64_t size = (uint64_t)f->body * 12;
        if (size < 32ULL * (n + 2))
            size = 32ULL * (n + 2);
        size = (size + 63) & ~63ULL;
        f->addr = addr;
        f->size = size;
        /* shuffle the order in which sites appear in the code */
        for (uint32_t j = n; j > 1; j--) {
            uint32_t k = rnd_below(j);
            uint32_t t = tmp[j - 1];
            tmp[j - 1] = tmp[k];
            tmp[k] = t;
        }
        uint64_t stride = size / (n + 1);
        for (uint32_t j = 0; j < n; j++)
            locs[tmp[j]].addr = addr + stride * (j + 1) + rnd_below((uint32_t)(stride / 2)) + 1;
        addr += size;
    }
    free(tmp);
}

/* ------------------------------------------------------------------------ */
/* stack walks                                                              */

static double zipf_cdf[MAX_KIND + 1][MAX_KIND + 1];

static void init_zipf(void)
{
    for (uint32_t n = 1; n <= MAX_KIND; n++) {
        double c = 0;
        for (uint32_t k = 0; k < n; k++) {
            c += 1.0 / pow((double)(k + 1), 1.3);
            zipf_cdf[n][k] = c;
        }
    }
}

static uint32_t pick_zipf(uint32_t n)
{
    double u = rnd_u01() * zipf_cdf[n][n - 1];
    for (uint32_t k = 0; k < n; k++)
        if (u < zipf_cdf[n][k])
            return k;
    return n - 1;
}

static uint32_t pick_sp(const Func *f)
{
    double u = rnd_u01() * f->sp_cum[f->nsp - 1];
    for (uint32_t k = 0; k < f->nsp; k++)
        if (u < f->sp_cum[k])
            return f->sp_site[k];
    return f->sp_site[f->nsp - 1];
}

/* Continue a root-first stack frames[0..n) executing in function fn.
 * depth_target: how deep application code goes before it stops.
 * Returns the new length. */
static uint32_t walk(uint32_t *frames, uint32_t n, uint32_t fn, uint32_t depth_target)
{
    for (;;) {
        const Func *f = &funcs[fn];
        uint32_t li;
        if (f->level < 0) {
            if (f->nsp == 0)
                die("internal: special function %s has no sites", specs[fn].name);
            li = pick_sp(f);
            if (n >= MAX_DEPTH - 1 && locs[li].callee >= 0) {
                /* at the cap: stop at a leaf if there is one */
                for (uint32_t k = 0; k < f->nsp; k++)
                    if (locs[f->sp_site[k]].callee < 0)
                        li = f->sp_site[k];
            }
        } else if (n + 1 < depth_target && f->nsite[SITE_APP]) {
            li = f->site[SITE_APP][pick_zipf(f->nsite[SITE_APP])];
        } else if (f->nsite[SITE_RT] && n + 1 < MAX_DEPTH - 6 && chance(40)) {
            li = f->site[SITE_RT][pick_zipf(f->nsite[SITE_RT])];
        } else {
            li = f->site[SITE_LEAF][pick_zipf(f->nsite[SITE_LEAF])];
        }
        frames[n++] = li;
        if (locs[li].callee < 0 || n >= MAX_DEPTH)
            return n;
        fn = (uint32_t)locs[li].callee;
    }
}

static uint32_t pick_depth(void)
{
    /* triangular-ish 10..54 app depth, mean ~32; runtime tail adds a few */
    return 10 + (rnd_below(23) + rnd_below(23));
}

static uint32_t spec_goexit, spec_mcall;

static uint32_t new_stack(uint32_t *frames)
{
    uint32_t root = chance(7) ? spec_mcall : spec_goexit;
    return walk(frames, 0, root, pick_depth());
}

/* ------------------------------------------------------------------------ */
/* output                                                                   */

static void write_value_type(Out *o, uint32_t field, int64_t type, int64_t unit)
{
    Buf b = {0};
    pb_int(&b, 1, (uint64_t)type);
    pb_int(&b, 2, (uint64_t)unit);
    out_field(o, field, &b);
    free(b.p);
}

typedef struct {
    uint32_t samples, locations, functions;
    uint64_t seed;
    int level;
    const char *out;
} Opts;

static void usage(void)
{
    fprintf(stderr,
            "usage: genprof [-samples N] [-locations N] [-functions N] [-seed S] [-level L] "
            "OUT.pb.gz\n"
            "  defaults: -samples 1000000 -locations 100000 -functions 20000 -seed 1 -level 6\n");
    exit(2);
}

static uint64_t parse_num(const char *flag, const char *s, uint64_t min, uint64_t max)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end || end == s || s[0] == '-' || v < min || v > max)
        die("bad value for %s: %s (want %llu..%llu)", flag, s, (unsigned long long)min,
            (unsigned long long)max);
    return (uint64_t)v;
}

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    Opts o = {1000000, 100000, 20000, 1, 6, NULL};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1] == '-')
            a++;
        if (!strcmp(a, "-h") || !strcmp(a, "-help"))
            usage();
        if (a[0] == '-' && a[1]) {
            if (i + 1 >= argc)
                usage();
            const char *v = argv[++i];
            if (!strcmp(a, "-samples"))
                o.samples = (uint32_t)parse_num(a, v, 1, 100000000);
            else if (!strcmp(a, "-locations"))
                o.locations = (uint32_t)parse_num(a, v, 1, 50000000);
            else if (!strcmp(a, "-functions"))
                o.functions = (uint32_t)parse_num(a, v, 1, 10000000);
            else if (!strcmp(a, "-seed"))
                o.seed = parse_num(a, v, 0, UINT64_MAX);
            else if (!strcmp(a, "-level"))
                o.level = (int)parse_num(a, v, 0, 9);
            else
                usage();
        } else {
            if (o.out)
                usage();
            o.out = a;
        }
    }
    if (!o.out)
        usage();

    double t0 = now_sec();
    rng_state = o.seed * 0x2545F4914F6CDD1DULL + 0x1234567ULL;
    init_zipf();

    uint32_t min_funcs = (uint32_t)NSPECS + 20;
    if (o.functions < min_funcs) {
        fprintf(stderr, "genprof: raising -functions to %u\n", min_funcs);
        o.functions = min_funcs;
    }
    build_model(o.functions, o.locations);
    if (nlocs > o.locations)
        fprintf(stderr, "genprof: note: %u locations needed (more than -locations %u)\n", nlocs,
                o.locations);
    spec_goexit = spec_index("runtime.goexit");
    spec_mcall = spec_index("runtime.mcall");

    /* location ids: a random permutation, like ids assigned in order of
     * first appearance in a real profile */
    uint32_t *loc_id = xmalloc(nlocs * sizeof *loc_id);
    for (uint32_t i = 0; i < nlocs; i++)
        loc_id[i] = i + 1;
    for (uint32_t i = nlocs; i > 1; i--) {
        uint32_t k = rnd_below(i);
        uint32_t t = loc_id[i - 1];
        loc_id[i - 1] = loc_id[k];
        loc_id[k] = t;
    }

    /* pool of base stacks */
    uint32_t npool = o.samples / 4;
    if (npool < 64)
        npool = 64;
    uint32_t *pool_off = xmalloc((npool + 1) * sizeof *pool_off);
    Buf pool = {0};
    {
        uint32_t frames[MAX_DEPTH];
        for (uint32_t i = 0; i < npool; i++) {
            uint32_t n = new_stack(frames);
            pool_off[i] = (uint32_t)(pool.n / sizeof(uint32_t));
            buf_bytes(&pool, frames, n * sizeof(uint32_t));
        }
        pool_off[npool] = (uint32_t)(pool.n / sizeof(uint32_t));
    }
    const uint32_t *pool_frames = (const uint32_t *)(const void *)pool.p;

    /* label strings */
    static const char *routes[] = {
        "/api/v1/users", "/api/v1/users/{id}", "/api/v1/orders", "/api/v1/orders/{id}",
        "/api/v1/search", "/api/v1/cart", "/api/v1/checkout", "/api/v1/payments",
        "/api/v1/inventory", "/api/v1/sessions", "/api/v2/feed", "/api/v2/recommendations",
        "/api/v2/notifications", "/api/v2/media/upload", "/api/v2/media/{id}", "/internal/health",
        "/internal/metrics", "/internal/debug/vars", "/admin/reindex", "/admin/config",
    };
    Out *out = xcalloc(1, sizeof *out);
    int64_t s_handler = str_intern(&st, "handler");
    int64_t s_tenant = str_intern(&st, "tenant");
    int64_t s_bytes = str_intern(&st, "bytes");
    int64_t s_routes[20], s_tenants[50];
    for (uint32_t i = 0; i < 20; i++)
        s_routes[i] = str_intern(&st, routes[i]);
    for (uint32_t i = 0; i < 50; i++)
        s_tenants[i] = str_internf(&st, "tenant-%03u", i * 7 + 3);
    int64_t s_samples = str_intern(&st, "samples");
    int64_t s_count = str_intern(&st, "count");
    int64_t s_cpu = str_intern(&st, "cpu");
    int64_t s_ns = str_intern(&st, "nanoseconds");
    int64_t s_binary = str_intern(&st, "/usr/local/bin/server");
    int64_t s_buildid = str_intern(&st, "9c2f4d1e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d");
    const int64_t period = 10000000;

    out_open(out, o.out, o.level);

    /* 1: sample_type */
    write_value_type(out, 1, s_samples, s_count);
    write_value_type(out, 1, s_cpu, s_ns);

    /* 2: samples */
    Buf smp = {0}, ids = {0}, vals = {0}, lab = {0};
    uint32_t frames[MAX_DEPTH];
    double lnpool = log((double)npool);
    uint64_t total_frames = 0, total_count = 0;
    for (uint32_t s = 0; s < o.samples; s++) {
        /* log-uniform rank: P(rank r) ~ 1/r */
        uint32_t rank = (uint32_t)(exp(rnd_u01() * lnpool)) - 1;
        if (rank >= npool)
            rank = npool - 1;
        uint32_t off = pool_off[rank], n = pool_off[rank + 1] - off;
        memcpy(frames, pool_frames + off, n * sizeof(uint32_t));
        if (n > 2 && chance(65)) {
            /* vary the tail: re-walk the last few frames */
            uint32_t back = 1 + rnd_below(n - 2 < 6 ? n - 2 : 6);
            uint32_t cut = n - back;
            int32_t callee = locs[frames[cut - 1]].callee;
            if (callee >= 0)
                n = walk(frames, cut, (uint32_t)callee, n + rnd_below(3));
        }
        total_frames += n;

        /* count: heavy tail (Pareto, alpha ~1.7), mean ~2.5 */
        double u = 1.0 - rnd_u01();
        uint64_t count = (uint64_t)(1.0 / pow(u, 0.6));
        if (count > 100000)
            count = 100000;
        total_count += count;

        ids.n = vals.n = smp.n = 0;
        for (uint32_t k = n; k-- > 0;)
            buf_varint(&ids, loc_id[frames[k]]);
        buf_varint(&vals, count);
        buf_varint(&vals, count * (uint64_t)period);
        pb_bytes(&smp, 1, ids.p, ids.n);
        pb_bytes(&smp, 2, vals.p, vals.n);
        if (chance(30)) {
            uint32_t r = rnd_below(10);
            if (r < 8) { /* handler: correlated with the stack */
                uint32_t h = chance(80) ? (rank * 2654435761u) % 20 : rnd_below(20);
                lab.n = 0;
                pb_int(&lab, 1, (uint64_t)s_handler);
                pb_int(&lab, 2, (uint64_t)s_routes[h]);
                pb_bytes(&smp, 3, lab.p, lab.n);
            }
            if (r >= 4) { /* tenant: a few big tenants */
                uint32_t t = (uint32_t)(exp(rnd_u01() * log(51.0))) - 1;
                if (t > 49)
                    t = 49;
                lab.n = 0;
                pb_int(&lab, 1, (uint64_t)s_tenant);
                pb_int(&lab, 2, (uint64_t)s_tenants[t]);
                pb_bytes(&smp, 3, lab.p, lab.n);
            }
        }
        if (chance(10)) {
            lab.n = 0;
            pb_int(&lab, 1, (uint64_t)s_bytes);
            pb_int(&lab, 3, ((uint64_t)1 << (6 + rnd_below(15))) + rnd_below(4096));
            pb_int(&lab, 4, (uint64_t)s_bytes);
            pb_bytes(&smp, 3, lab.p, lab.n);
        }
        out_field(out, 2, &smp);
    }

    /* 3: mapping */
    uint64_t mem_start = 0x400000;
    uint64_t mem_limit = (funcs[nfuncs - 1].addr + funcs[nfuncs - 1].size + 0xFFFF) & ~0xFFFULL;
    {
        Buf b = {0};
        pb_int(&b, 1, 1);
        pb_int(&b, 2, mem_start);
        pb_int(&b, 3, mem_limit);
        pb_int(&b, 4, 0);
        pb_int(&b, 5, (uint64_t)s_binary);
        pb_int(&b, 6, (uint64_t)s_buildid);
        pb_int(&b, 7, 1);
        pb_int(&b, 8, 1);
        pb_int(&b, 9, 1);
        pb_int(&b, 10, 1);
        out_field(out, 3, &b);
        free(b.p);
    }

    /* 4: locations, in id order */
    {
        uint32_t *by_id = xmalloc(nlocs * sizeof *by_id);
        for (uint32_t i = 0; i < nlocs; i++)
            by_id[loc_id[i] - 1] = i;
        Buf b = {0}, ln = {0};
        for (uint32_t id = 1; id <= nlocs; id++) {
            const Loc *l = &locs[by_id[id - 1]];
            b.n = 0;
            pb_int(&b, 1, id);
            pb_int(&b, 2, 1);
            pb_int(&b, 3, l->addr);
            for (uint32_t k = 0; k < l->nlines; k++) {
                ln.n = 0;
                pb_int(&ln, 1, l->line[k].fn + 1);
                pb_int(&ln, 2, (uint64_t)(int64_t)l->line[k].line);
                pb_bytes(&b, 4, ln.p, ln.n);
            }
            out_field(out, 4, &b);
        }
        free(b.p);
        free(ln.p);
        free(by_id);
    }

    /* 5: functions */
    {
        Buf b = {0};
        for (uint32_t i = 0; i < nfuncs; i++) {
            const Func *f = &funcs[i];
            b.n = 0;
            pb_int(&b, 1, i + 1);
            pb_int(&b, 2, (uint64_t)f->name);
            pb_int(&b, 3, (uint64_t)f->name);
            pb_int(&b, 4, (uint64_t)f->file);
            pb_int(&b, 5, (uint64_t)f->start_line);
            out_field(out, 5, &b);
        }
        free(b.p);
    }

    /* 6: string table (index 0 is "") */
    {
        Buf b = {0};
        for (size_t i = 0; i < st.n; i++) {
            b.n = 0;
            buf_bytes(&b, st.s[i], strlen(st.s[i]));
            out_field(out, 6, &b);
        }
        free(b.p);
    }

    /* 9..12: time, duration, period type, period */
    {
        Buf b = {0};
        pb_int(&b, 9, 1700000000000000000ULL);
        /* a duration that makes ~12 busy cores: keeps "Total samples"
         * percentages plausible however many samples were asked for */
        uint64_t dur = total_count * (uint64_t)period / 12;
        dur = (dur / 1000000000ULL + 1) * 1000000000ULL;
        pb_int(&b, 10, dur);
        out_write(out, b.p, b.n);
        free(b.p);
        write_value_type(out, 11, s_cpu, s_ns);
        b = (Buf){0};
        pb_int(&b, 12, (uint64_t)period);
        out_write(out, b.p, b.n);
        free(b.p);
    }

    uint64_t raw = out->raw_bytes;
    out_close(out);
    free(out);
    free(smp.p);
    free(ids.p);
    free(vals.p);
    free(lab.p);
    free(pool.p);
    free(pool_off);
    free(loc_id);
    double t1 = now_sec();
    FILE *f = fopen(o.out, "rb");
    long gz = -1;
    if (f && fseek(f, 0, SEEK_END) == 0)
        gz = ftell(f);
    if (f)
        fclose(f);
    fprintf(stderr,
            "genprof: %s: %u samples (avg depth %.1f, total count %llu), %u locations, "
            "%u functions, %zu strings; %.1f MB raw, %.1f MB gzipped; %.2f s\n",
            o.out, o.samples, o.samples ? (double)total_frames / o.samples : 0.0,
            (unsigned long long)total_count, nlocs, nfuncs, st.n, (double)raw / 1e6,
            (double)gz / 1e6, t1 - t0);
    return 0;
}
