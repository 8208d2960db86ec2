#!/usr/bin/env python3
"""asm_normalize.py FILE - print a -disasm or -weblist report with the text
of each instruction taken out, so that capstone's text (cprof) and
llvm-objdump's (pprof) compare equal when everything else does: samples,
addresses, the source locations and the lines they sit on."""
import re, sys

text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
if "<html>" in text:
    # weblist: " %8s %10s %10s %8x: <instruction padded to 80> <span class=unimportant>"
    text = re.sub(r"( [0-9a-f]{1,16}: )[^\n]*?( <span class=unimportant>)", r"\1X\2", text)
    sys.stdout.write(text)
    sys.exit(0)
pending = None
for line in text.split("\n"):
    if line.startswith(" " * 74 + ";"):
        pending = line[75:]
        continue
    m = re.match(r"^(.{10}) (.{10}) +([0-9a-f]+): (.*)$", line)
    if not m:
        print(line)
        continue
    flat, cum, addr, rest = m.groups()
    loc = pending
    pending = None
    if loc is None and ";" in rest:
        loc = rest.split(";", 1)[1]
    print("%s|%s|%s|%s" % (flat.strip(), cum.strip(), addr, loc if loc is not None else ""))
