#!/usr/bin/env python3
"""symcheck.py SYMCHECK BINARY [STEP] - compare cprof's frames with
llvm-symbolizer's, read as pprof reads them (internal/binutils
addr2liner_llvm.go), for every STEP-th byte of the binary's executable
segments. Prints the differences and exits 1 if there are any, 77 when
llvm-symbolizer is missing."""
import shutil, subprocess, sys

def load_segments(path):
    out = subprocess.run(["readelf", "-lW", path], capture_output=True, text=True).stdout
    segs = []
    for line in out.splitlines():
        f = line.split()
        if f and f[0] == "LOAD" and "E" in f[6:-1]:
            segs.append((int(f[2], 16), int(f[5], 16)))
    return segs

def llvm(path, addrs):
    inp = "".join("CODE %s 0x%x\n" % (path, a) for a in addrs)
    out = subprocess.run(["llvm-symbolizer", "--inlining", "-demangle=false"], input=inp,
                         capture_output=True, text=True).stdout.split("\n")
    res, i = [], 0
    for a in addrs:
        stack = []
        while i < len(out) and out[i] != "":
            fn = out[i]; i += 1
            fl = out[i] if i < len(out) else ""; i += 1
            if fn == "??": fn = ""
            line = 0
            if fl in ("??:0", "??:0:0"):
                fl = ""
            else:
                sp = fl.split(":")
                if len(sp) == 1: fl = sp[0]
                elif len(sp) in (2, 3):
                    fl = sp[0]
                    try: line = int(sp[1])
                    except ValueError: pass
            if (fn, fl, line) != ("", "", 0):
                stack.append((fn, fl, line))
        i += 1
        res.append(stack)
    return res

def cprof(tool, path, addrs):
    out = subprocess.run([tool, path], input="".join("%x\n" % a for a in addrs),
                         capture_output=True, text=True).stdout.split("\n")
    res, i = [], 0
    for a in addrs:
        i += 1
        stack = []
        while i < len(out) and out[i] != "":
            fn, fl, ln = out[i].rsplit("|", 2)
            stack.append((fn, fl, int(ln)))
            i += 1
        i += 1
        res.append(stack)
    return res

def main():
    if not shutil.which("llvm-symbolizer"):
        sys.exit(77)
    tool, path = sys.argv[1], sys.argv[2]
    step = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    addrs = []
    for lo, sz in load_segments(path):
        addrs.extend(range(lo, lo + sz, step))
    a, b = llvm(path, addrs), cprof(tool, path, addrs)
    bad = 0
    for addr, x, y in zip(addrs, a, b):
        if x != y:
            bad += 1
            if bad <= 15:
                print("0x%x\n  llvm:  %s\n  cprof: %s" % (addr, x, y))
    print("%s: %d addresses, %d differ" % (path, len(addrs), bad))
    sys.exit(1 if bad else 0)

main()
