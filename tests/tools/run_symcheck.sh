#!/usr/bin/env bash
# run_symcheck.sh - every byte of the C/C++ test binaries' code symbolized
# by cprof (SYMCHECK=cprof_symcheck) and by llvm-symbolizer, read as pprof
# reads it, must agree; and every 13th byte of libc's, with its debug file
# (libc6-dbg). Left out on purpose: Go binaries (cprof names Go functions
# as the Go runtime does). Skipped when a tool is missing (see need in
# tests/lib.sh).
name=llvm_agree
. "$(dirname "$0")/../lib.sh"
need llvm-symbolizer python3 readelf debug:libc.so.6
need go gcc g++ objcopy strip lib:libprofiler.so
STRIPSYM=${STRIPSYM:?} bash "$src/testdata/gen/sym/build.sh" "${SYMDATA:?}" || exit $?
rc=0
for b in c_O1:1 c_O2:1 c_nodwarf:1 c_strip:1 bidlink/c_bid:1 cc_O2:1 libsymlib.so:1; do
	python3 "$src/tests/tools/symcheck.py" "${SYMCHECK:?}" "$SYMDATA/${b%%:*}" "${b##*:}" || rc=1
done
libc=$(readlink -f "$(gcc -print-file-name=libc.so.6 2>/dev/null)" 2>/dev/null)
[ -f "$libc" ] || fail "gcc finds no libc.so.6"
python3 "$src/tests/tools/symcheck.py" "$SYMCHECK" "$libc" 13 || rc=1
exit $rc
