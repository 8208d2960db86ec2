#!/usr/bin/env python3
"""gensymprof.py BINARY OUT.pb.gz [-addresses N] [-seed S]

Write an unsymbolized CPU profile (gzipped profile.proto) of BINARY for the
symbolization benchmark (bench/symbolize.sh): N distinct addresses (default
100,000; also written, as object addresses, to OUT.pb.gz.addrs) drawn inside the binary's function symbols (`nm -n -S`), one
mapping for the executable segment (has_* flags unset, so every tool must
symbolize), and one sample per address whose stack is that address plus up
to 7 random callers. Deterministic for a given seed; the profile.proto
encoding is written by hand (no protobuf library needed)."""
import gzip, random, subprocess, sys


def varint(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field(num, payload):  # length-delimited
    return varint(num << 3 | 2) + varint(len(payload)) + payload


def fint(num, v):
    return varint(num << 3) + varint(v)


def packed(num, vals):
    return field(num, b"".join(varint(v) for v in vals))


def main():
    args = sys.argv[1:]
    n, seed = 100000, 1
    pos = []
    i = 0
    while i < len(args):
        if args[i] == "-addresses":
            n = int(args[i + 1]); i += 2
        elif args[i] == "-seed":
            seed = int(args[i + 1]); i += 2
        else:
            pos.append(args[i]); i += 1
    binary, out = pos
    rnd = random.Random(seed)

    # executable PT_LOAD segments: (vaddr, memsz, offset)
    segs = []
    for line in subprocess.run(["readelf", "-lW", binary], capture_output=True, text=True).stdout.splitlines():
        f = line.split()
        if f and f[0] == "LOAD" and "E" in f[6:-1]:
            segs.append((int(f[2], 16), int(f[5], 16), int(f[1], 16)))
    vaddr, memsz, off = segs[0]
    # functions with a size inside that segment
    funcs = []
    nm = subprocess.run(["nm", "-n", "-S", "--defined-only", binary], capture_output=True, text=True).stdout
    if not nm.strip():  # stripped shared library: its dynamic symbols
        nm = subprocess.run(["nm", "-D", "-n", "-S", "--defined-only", binary], capture_output=True, text=True).stdout
    for line in nm.splitlines():
        f = line.split()
        if len(f) == 4 and f[2] in "tTwW":
            a, s = int(f[0], 16), int(f[1], 16)
            if s > 0 and vaddr <= a < vaddr + memsz:
                funcs.append((a, s))
    if not funcs:
        sys.exit("gensymprof: no sized function symbols in " + binary)
    # distinct addresses, weighted by function size, capped by what exists
    total = sum(s for _, s in funcs)
    n = min(n, total)
    addrs = set()
    cum = []
    acc = 0
    for a, s in funcs:
        acc += s
        cum.append(acc)
    import bisect
    while len(addrs) < n:
        r = rnd.randrange(total)
        k = bisect.bisect_right(cum, r)
        a, s = funcs[k]
        addrs.add(a + rnd.randrange(s))
    addrs = sorted(addrs)
    rnd.shuffle(addrs)

    strings = ["", "samples", "count", "cpu", "nanoseconds", binary]
    p = bytearray()
    p += field(1, fint(1, 1) + fint(2, 2))  # sample_type samples/count
    p += field(1, fint(1, 3) + fint(2, 4))  # cpu/nanoseconds
    for i in range(n):
        stack = [i + 1] + [rnd.randrange(n) + 1 for _ in range(rnd.randrange(8))]
        p += field(2, packed(1, stack) + packed(2, [1, 10000000]))
    # the mapping as the kernel placed the executable segment: at its vaddr for
    # an executable, at 0x7f0000000000 + vaddr for PIE and shared libraries
    etype = subprocess.run(["readelf", "-h", binary], capture_output=True, text=True).stdout
    bias = 0x7F0000000000 if "DYN" in etype else 0
    addrs = [a + bias for a in addrs]
    vaddr += bias
    start = vaddr - (vaddr % 4096)
    p += field(3, fint(1, 1) + fint(2, start) + fint(3, vaddr + memsz) + fint(4, off - (vaddr - start))
               + fint(5, 5))
    for i, a in enumerate(addrs):
        p += field(4, fint(1, i + 1) + fint(2, 1) + fint(3, a))
    for s in strings:
        p += field(6, s.encode())
    p += field(11, fint(1, 3) + fint(2, 4))  # period_type
    p += fint(12, 10000000)  # period
    with gzip.open(out, "wb") as fp:
        fp.write(bytes(p))
    # the object addresses, one per line, for timing symbolizers on their own
    with open(out + ".addrs", "w") as fp:
        for a in addrs:
            fp.write("0x%x\n" % (a - bias))
    print("gensymprof: %s: %d addresses in %d functions" % (out, n, len(funcs)), file=sys.stderr)


main()
