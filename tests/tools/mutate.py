#!/usr/bin/env python3
"""mutate.py - a mutation campaign: mutants of every input kind through cprof.

    tests/tools/mutate.py CPROF [-n COUNT] [-seed S] [-jobs J] [-keep DIR] [-kinds K,K]

CPROF should be the sanitizer build (cmake -S . -B build-asan -DCPROF_SANITIZE=ON
-DCMAKE_BUILD_TYPE=Debug, then build-asan/cprof). COUNT mutants (default 4000)
are drawn from the inputs in testdata/ (and ../shared/conformance/pprof when
present) and from tests/tools/oddprof.c's profiles when its binary is built
beside CPROF: profile.proto raw and gzipped, each legacy text and binary
format, goroutine dumps, folded stacks, gctrace and schedtrace logs (plain
and gzipped) and memstats blocks. Mutations: bit flips, bytes set to
boundary values, inserted, deleted and duplicated chunks, splices of two
inputs, truncation; for text also lines duplicated, dropped, swapped and
numbers replaced by extreme ones; for profile.proto varints replaced by
extreme ones; gzip input is mutated inflated and compressed again, or
mutated compressed.

Every mutant goes through four commands of its kind, picked by the seed
(report mode with every text report, -proto, -folded, -flame, dump,
goroutines, diff; gctrace and schedtrace with -json, -svg, -base;
memstats). A run is a finding when it is killed by a signal, hangs
(20 s), prints a sanitizer report, exits with a status other than 0, 1
(diff's gate) or 2, or exits 2 without the one error line at the end of
standard error ("cprof: error: ...", after pprof's notes if any) and with
something on standard output. UndefinedBehaviorSanitizer's
signed integer overflows are counted apart (the value sums are being made
to wrap as Go's do).

Prints the counts per kind and per finding class; findings are kept (input,
command, stderr) in -keep DIR or a temporary directory. Exit status 0 when
there was no finding, 1 otherwise. Not part of ctest: a campaign takes
minutes.
"""
import argparse
import gzip
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.path.join(HERE, "..", ".."))
TD = os.path.join(SRC, "testdata")
CONF = os.path.join(SRC, "..", "shared", "conformance", "pprof", "profile", "testdata")

EXTREME = [b"0", b"-1", b"1", b"9223372036854775807", b"-9223372036854775808", b"18446744073709551615",
           b"99999999999999999999", b"0x7fffffffffffffff", b"0xffffffffffffffff", b"4294967296", b"-0",
           b"1e308", b"NaN", b"+Inf", b"2147483648", b"65536"]
VARINTS = [0, 1, 127, 128, 2**31, 2**32, 2**63 - 1, 2**63, 2**64 - 1]


def read(path):
    with open(path, "rb") as f:
        return f.read()


def inflate(data):
    try:
        return gzip.decompress(data)
    except Exception:
        return data


def glob(d, pred):
    if not os.path.isdir(d):
        return []
    return sorted(os.path.join(d, f) for f in os.listdir(d) if pred(f) and os.path.isfile(os.path.join(d, f)))


def inputs(cprof, tmp):
    """{kind: [bytes]} of the seed inputs."""
    k = {"proto": [], "legacy": [], "goroutine_dump": [], "folded": [], "gctrace": [], "schedtrace": [],
         "memstats": []}
    for p in glob(os.path.join(TD, "go"), lambda f: f.endswith(".pb.gz")) + \
            glob(os.path.join(TD, "goroutines"), lambda f: f.endswith(".pb.gz")):
        k["proto"].append(inflate(read(p)))
    odd = os.path.join(os.path.dirname(cprof), "tests", "cprof_oddprof")
    if os.access(odd, os.X_OK):
        d = os.path.join(tmp, "odd")
        os.makedirs(d, exist_ok=True)
        subprocess.run([odd, d], check=False)
        k["proto"] += [read(p) for p in glob(d, lambda f: f.endswith(".pb"))]
    for f in ["heap.txt", "allocs.txt", "block.txt", "mutex.txt", "goroutine.txt", "threadcreate.txt"]:
        p = os.path.join(TD, "go", f)
        if os.path.exists(p):
            k["legacy"].append(read(p))
    k["legacy"] += [read(p) for p in glob(os.path.join(TD, "gperf"), lambda f: f.endswith((".prof", ".heap")))]
    k["legacy"] += [read(p) for p in glob(CONF, lambda f: f.startswith(("cppbench.", "java.", "gobench.", "go.")))
                    if not p.endswith(".string")]
    k["goroutine_dump"] += [read(p) for p in glob(os.path.join(TD, "goroutines"), lambda f: f.endswith(".txt"))]
    p = os.path.join(TD, "go", "goroutine2.txt")
    if os.path.exists(p):
        k["goroutine_dump"].append(read(p))
    for src in ["cpu.pb.gz", "heap.pb.gz"]:
        r = subprocess.run([cprof, "-folded", os.path.join(TD, "go", src)], capture_output=True)
        if r.returncode == 0 and r.stdout:
            k["folded"].append(r.stdout)
    k["folded"].append(b"main;foo;bar 10\nmain;foo;baz 5\n# comment\nmain;qux 1\n")
    rt = os.path.join(TD, "runtime")
    logs = glob(rt, lambda f: f.endswith((".log", ".log.gz"))) + glob(os.path.join(rt, "old"), lambda f: True)
    for p in logs:
        name = os.path.basename(p)
        kind = "schedtrace" if "sched" in name else "gctrace"
        k[kind].append(inflate(read(p)))
        if "mixed" in name:
            k["schedtrace"].append(inflate(read(p)))
    for f in ["heap.txt", "allocs.txt"]:
        p = os.path.join(TD, "go", f)
        if os.path.exists(p):
            k["memstats"].append(read(p))
    return {kind: v for kind, v in k.items() if v}


def mutate_bytes(rng, data, pool):
    data = bytearray(data)
    for _ in range(rng.choice([1, 1, 1, 2, 3, 8])):
        n = len(data)
        op = rng.randrange(9)
        if n == 0:
            data += bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
            continue
        i = rng.randrange(n)
        if op == 0:
            data[i] ^= 1 << rng.randrange(8)
        elif op == 1:
            data[i] = rng.choice([0, 0xff, 0x7f, 0x80, 0x01, 0x0a, 0x20, 0x3a])
        elif op == 2:
            data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 9)))
        elif op == 3:
            del data[i:i + rng.randrange(1, 64)]
        elif op == 4:
            j = rng.randrange(n)
            data[j:j] = data[i:i + rng.randrange(1, 256)]
        elif op == 5:
            other = rng.choice(pool)
            j = rng.randrange(len(other) + 1)
            data = data[:i] + bytearray(other[j:j + rng.randrange(1, 512)]) + data[i:]
        elif op == 6:
            del data[i:]
        elif op == 7:
            data[i:i + 8] = rng.choice(EXTREME)
        else:
            data[i:i + 1] = bytes([rng.randrange(256)]) * rng.randrange(1, 100)
    return bytes(data)


NUM = re.compile(rb"-?(0x)?[0-9a-f]+")


def mutate_text(rng, data, pool):
    lines = data.split(b"\n")
    for _ in range(rng.choice([1, 1, 2, 4])):
        if not lines:
            break
        i = rng.randrange(len(lines))
        op = rng.randrange(6)
        if op == 0:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif op == 1:
            del lines[i]
        elif op == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3:
            nums = list(NUM.finditer(lines[i]))
            if nums:
                m = rng.choice(nums)
                lines[i] = lines[i][:m.start()] + rng.choice(EXTREME) + lines[i][m.end():]
        elif op == 4:
            lines[i] = lines[i] * rng.randrange(2, 50)
        else:
            other = rng.choice(pool).split(b"\n")
            lines.insert(i, rng.choice(other))
    out = b"\n".join(lines)
    return mutate_bytes(rng, out, pool) if rng.random() < 0.3 else out


def varint(v):
    out = bytearray()
    while True:
        b = v & 0x7f
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def mutate_proto(rng, data, pool):
    if rng.random() < 0.5 or len(data) < 2:
        return mutate_bytes(rng, data, pool)
    # replace a varint-looking run (a byte < 0x80 after bytes >= 0x80, or a lone byte)
    data = bytearray(data)
    for _ in range(rng.choice([1, 2, 4])):
        i = rng.randrange(len(data))
        j = i
        while j < len(data) and data[j] & 0x80 and j - i < 9:
            j += 1
        data[i:j + 1] = varint(rng.choice(VARINTS))
    return bytes(data)


def gz(data, rng):
    return gzip.compress(data, compresslevel=rng.choice([1, 6, 9]))


def make_mutant(rng, kind, seeds):
    data = rng.choice(seeds)
    if kind == "proto":
        m = mutate_proto(rng, data, seeds)
        r = rng.random()
        if r < 0.3:
            return gz(m, rng)
        if r < 0.4:
            return mutate_bytes(rng, gzip.compress(data), seeds)
        return m
    if kind == "legacy" and data[:4] in (b"\0\0\0\0",):
        return mutate_bytes(rng, data, seeds)  # binary CPU profiles
    m = mutate_text(rng, data, seeds) if rng.random() < 0.7 else mutate_bytes(rng, data, seeds)
    if kind in ("gctrace", "schedtrace") and rng.random() < 0.2:
        return gz(m, rng)
    return m


PROFILE_CMDS = [["-top"], ["-traces"], ["-raw"], ["-tree"], ["-dot"], ["-callgrind"], ["-tags"], ["-peek=."],
                ["-text", "-lines"], ["-text", "-addresses"], ["-list=."], ["-top", "-cum", "-focus=.", "-hide=a"],
                ["-proto", "-output=@OUT@"], ["-folded"], ["-flame", "-output=@OUT@"], ["-topproto", "-output=@OUT@"],
                ["-legacy"], ["-traces", "-tagfocus=state=a"], ["-top", "-sample_index=0", "-mean"],
                ["-svg", "-output=@OUT@"], ["dump"], ["goroutines"], ["goroutines", "-json"],
                ["diff", "@IN@", "@ORIG@"], ["-top", "-base=@ORIG@"]]
CMDS = {
    "proto": PROFILE_CMDS, "legacy": PROFILE_CMDS, "goroutine_dump": PROFILE_CMDS, "folded": PROFILE_CMDS,
    "gctrace": [["gctrace"], ["gctrace", "-json"], ["gctrace", "-svg"], ["gctrace", "-base=@ORIG@"]],
    "schedtrace": [["schedtrace"], ["schedtrace", "-json"], ["schedtrace", "-svg"], ["schedtrace", "-base=@ORIG@"]],
    "memstats": [["memstats"], ["memstats", "-json"], ["-top"], ["-traces"]],
}


def classify(rc, out, err, timed_out, args):
    """None when fine, else (class, detail)."""
    if timed_out:
        return ("hang", "")
    m = re.search(r"runtime error: ([^\n]*)", err)
    if m:
        cls = "int64-overflow" if "signed integer overflow" in m.group(1) else "ubsan"
        loc = re.search(r"(\S+:\d+:\d+): runtime error", err)
        return (cls, (loc.group(1) if loc else "") + " " + m.group(1)[:120])
    if "AddressSanitizer" in err or "LeakSanitizer" in err:
        m = re.search(r"ERROR: \w+Sanitizer: ([^\n]*)", err)
        frame = re.search(r"#\d+ 0x[0-9a-f]+ in (\S+) (\S+)", err)
        return ("asan", (m.group(1)[:80] if m else "") + " " + (frame.group(2) if frame else ""))
    if rc < 0 or rc >= 128:
        return ("signal", str(rc))
    if rc not in (0, 1, 2):
        return ("status", str(rc))
    if rc == 1 and args[0] != "diff":
        return ("status", "1")
    if rc == 2:
        # pprof's own notes and warnings may come first; the error is one last line
        lines = [l for l in err.split("\n") if l]
        errors = [l for l in lines if l.startswith("cprof: error: ")]
        if not lines or len(errors) != 1 or lines[-1] != errors[0] or out:
            return ("shape", (lines and lines[-1][:120]) or "no message")
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cprof")
    ap.add_argument("-n", type=int, default=4000)
    ap.add_argument("-seed", type=int, default=1)
    ap.add_argument("-jobs", type=int, default=2)
    ap.add_argument("-keep")
    ap.add_argument("-kinds")
    a = ap.parse_args()
    cprof = os.path.abspath(a.cprof)
    tmp = tempfile.mkdtemp(prefix="cprof-mutate.")
    keep = a.keep or os.path.join(tmp, "findings")
    os.makedirs(keep, exist_ok=True)
    seeds = inputs(cprof, tmp)
    if a.kinds:
        seeds = {k: v for k, v in seeds.items() if k in a.kinds.split(",")}
    kinds = sorted(seeds)
    env = dict(os.environ, LC_ALL="C", TZ="UTC", HOME=tmp, PPROF_TMPDIR=tmp,
               ASAN_OPTIONS="detect_leaks=1:exitcode=99:abort_on_error=0:allocator_may_return_null=1",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=99",
               LSAN_OPTIONS="suppressions=" + os.path.join(SRC, "tests", "lsan.supp"))
    rng = random.Random(a.seed)
    jobs = []
    for i in range(a.n):
        kind = kinds[i % len(kinds)]
        m = make_mutant(rng, kind, seeds[kind])
        orig = rng.choice(seeds[kind])
        cmds = rng.sample(CMDS[kind], min(4, len(CMDS[kind])))
        jobs.append((i, kind, m, orig, cmds))

    def run(job):
        i, kind, data, orig, cmds = job
        d = os.path.join(tmp, "m%d" % i)
        os.makedirs(d)
        inp, org, outf = os.path.join(d, "in"), os.path.join(d, "orig"), os.path.join(d, "out")
        with open(inp, "wb") as f:
            f.write(data)
        with open(org, "wb") as f:
            f.write(orig)
        results = []
        for c in cmds:
            args = [x.replace("@IN@", inp).replace("@ORIG@", org).replace("@OUT@", outf) for x in c]
            if "@IN@" not in " ".join(c):
                args = args + [inp]
            timed_out = False
            try:
                r = subprocess.run([cprof] + args, capture_output=True, env=env, timeout=20, cwd=d,
                                   stdin=subprocess.DEVNULL)
                rc, out, err = r.returncode, r.stdout, r.stderr.decode("utf-8", "replace")
            except subprocess.TimeoutExpired:
                rc, out, err, timed_out = -1, b"", "", True
            f = classify(rc, out, err, timed_out, args)
            results.append((args, f, err))
            if os.path.exists(outf):
                os.remove(outf)
        found = [r for r in results if r[1]]
        if found:
            fd = os.path.join(keep, "%s_%d" % (kind, i))
            os.makedirs(fd, exist_ok=True)
            shutil.copy(inp, os.path.join(fd, "input"))
            shutil.copy(org, os.path.join(fd, "orig"))
            with open(os.path.join(fd, "report.txt"), "w") as f:
                for args, cls, err in found:
                    f.write("%s: cprof %s\n%s\n\n" % (cls, " ".join(args), err[:4000]))
        shutil.rmtree(d)
        return kind, len(cmds), [(r[1], " ".join(r[0])) for r in found]

    per_kind = {k: [0, 0] for k in kinds}
    classes = {}
    with ThreadPoolExecutor(max_workers=a.jobs) as ex:
        for kind, nruns, found in ex.map(run, jobs):
            per_kind[kind][0] += 1
            per_kind[kind][1] += nruns
            for (cls, detail), cmd in found:
                classes.setdefault((cls, detail), []).append(cmd)
    total = sum(v[1] for v in per_kind.values())
    print("mutants: %d, runs: %d (seed %d)" % (a.n, total, a.seed))
    for k in kinds:
        print("  %-15s %5d mutants %6d runs" % (k, per_kind[k][0], per_kind[k][1]))
    nfind = sum(len(v) for v in classes.values())
    print("findings: %d runs in %d classes" % (nfind, len(classes)))
    for (cls, detail), cmds in sorted(classes.items()):
        print("  %-15s %4d  %s  (e.g. cprof %s)" % (cls, len(cmds), detail, cmds[0]))
    if nfind:
        print("kept in", keep)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if nfind else 0


if __name__ == "__main__":
    sys.exit(main())
