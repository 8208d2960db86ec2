#!/usr/bin/env bash
# run_symcheck.sh - every byte of the C/C++ test binaries' code symbolized
# by cprof (SYMCHECK=cprof_symcheck) and by llvm-symbolizer, read as pprof
# reads it, must agree. Left out on purpose: Go binaries (cprof names Go
# functions as the Go runtime does).
set -u
src=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v llvm-symbolizer >/dev/null 2>&1 || { echo "skipped: llvm-symbolizer not found"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "skipped: python3 not found"; exit 77; }
STRIPSYM=${STRIPSYM:?} bash "$src/testdata/gen/sym/build.sh" "${SYMDATA:?}" || exit $?
rc=0
for b in c_O1:1 c_O2:1 c_nodwarf:1 c_strip:1 bidlink/c_bid:1 cc_O2:1 libsymlib.so:1; do
	python3 "$src/tests/tools/symcheck.py" "${SYMCHECK:?}" "$SYMDATA/${b%%:*}" "${b##*:}" || rc=1
done
libc=$(readlink -f "$(gcc -print-file-name=libc.so.6 2>/dev/null)" 2>/dev/null)
[ -f "$libc" ] && { python3 "$src/tests/tools/symcheck.py" "$SYMCHECK" "$libc" 13 || rc=1; }
exit $rc
