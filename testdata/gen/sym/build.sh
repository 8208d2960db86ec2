#!/usr/bin/env bash
# build.sh OUTDIR - build the symbolization test binaries and record their
# CPU profiles into OUTDIR (see testdata/README.md, "Symbolization test
# data"). Idempotent: does nothing when OUTDIR/.stamp is newer than every
# source. Needs gcc, g++, objcopy, strip, gperftools' libprofiler and go;
# exits 77 (ctest's "skipped") when one is missing.
#
# Outputs (all absolute paths inside OUTDIR are recorded in the profiles):
#   c_O1            gcc -O1 -g, non-PIE, + libsymlib.so       c_O1.prof, c_O1.pb.gz
#   c_O2            gcc -O2 -g, PIE                           c_O2.prof, c_O2.pb.gz
#   c_nodwarf       gcc -O2 without -g (symbol table only)    c_nodwarf.prof, c_nodwarf.pb.gz
#   c_strip         c_O2 stripped, c_strip.debug beside it via .gnu_debuglink
#   c_bid           c_O2 stripped, debug file only under OUTDIR/debug/.build-id/
#                   (bidlink/c_bid: the same with a debuglink, for the reference)
#   c_moved         c_O2 profiled, then moved to bin/c_moved (missing binary,
#                   PPROF_BINARY_PATH)
#   cc_O2           g++ -O2 -g, PIE                            cc_O2.prof, cc_O2.pb.gz
#   go_plain        go build                                  go_plain.pb.gz (symbols stripped)
#   go_trim         go build -trimpath                        go_trim.pb.gz (symbols stripped)
#   go_pie          go build -buildmode=pie                   go_pie.pb.gz (symbols stripped)
# *.prof are gperftools legacy CPU profiles; *.pb.gz of the C/C++ binaries
# are the same converted by `go tool pprof -proto -symbolize=none` (no
# symbols); the Go ones are the runtime's profiles with every function and
# line removed by STRIPSYM (tests/tools/stripsym.c) so that both tools
# must symbolize them from the binary.
set -eu
out=${1:?usage: build.sh OUTDIR}
src=$(cd "$(dirname "$0")" && pwd)
stripsym=${STRIPSYM:-}
secs=${SYM_SECONDS:-0.6}

need() { command -v "$1" >/dev/null 2>&1 || { echo "build.sh: $1 not found; skipping" >&2; exit 77; }; }
need gcc; need g++; need objcopy; need strip; need go
prof_lib=$(gcc -print-file-name=libprofiler.so)
[ -f "$prof_lib" ] || { echo "build.sh: gperftools libprofiler not found; skipping" >&2; exit 77; }
[ -n "$stripsym" ] && [ -x "$stripsym" ] || { echo "build.sh: STRIPSYM must name tests/tools/stripsym" >&2; exit 1; }

mkdir -p "$out"
out=$(cd "$out" && pwd)
stamp=$out/.stamp
if [ -f "$stamp" ] && [ -z "$(find "$src" -newer "$stamp" -type f | head -1)" ]; then
	exit 0
fi
# One builder at a time (ctest may start several tests at once).
exec 9>"$out/.lock"
flock 9
if [ -f "$stamp" ] && [ -z "$(find "$src" -newer "$stamp" -type f | head -1)" ]; then
	exit 0
fi
rm -f "$stamp"
cd "$out"

gopprof() { "$(go env GOTOOLDIR)/pprof" "$@"; }

# The shared library and the C programs.
mkdir -p bin
gcc -O2 -g -fPIC -shared -o libsymlib.so "$src/symlib.c"
cbuild() { # name flags...
	local name=$1; shift
	gcc "$@" -I"$src" -o "$name" "$src/symc.c" "$src/symc_util.c" -L. -lsymlib -Wl,-rpath,"$out" \
		-Wl,--no-as-needed -lprofiler -Wl,--as-needed -Wl,--build-id
}
cbuild c_O1 -O1 -g -no-pie -fno-pie
cbuild c_O2 -O2 -g -pie -fpie
cbuild c_nodwarf -O2 -pie -fpie
cp c_O2 c_strip
objcopy --only-keep-debug c_strip c_strip.debug
strip c_strip
objcopy --add-gnu-debuglink=c_strip.debug c_strip
cp c_O2 c_bid
cp c_O2 c_moved
bid=$(readelf -n c_bid | sed -n 's/.*Build ID: \([0-9a-f]*\).*/\1/p')
mkdir -p "debug/.build-id/${bid:0:2}"
objcopy --only-keep-debug c_bid "debug/.build-id/${bid:0:2}/${bid:2}.debug"
strip c_bid
# for the reference only: the same stripped binary with a .gnu_debuglink to a copy
# of its debug file (llvm-symbolizer looks in /usr/lib/debug alone for build ids)
mkdir -p bidlink
cp c_bid bidlink/c_bid
cp "debug/.build-id/${bid:0:2}/${bid:2}.debug" bidlink/c_bid.debug
objcopy --add-gnu-debuglink=bidlink/c_bid.debug bidlink/c_bid
g++ -O2 -g -pie -fpie -o cc_O2 "$src/symcc.cc" -Wl,--no-as-needed -lprofiler -Wl,--as-needed -Wl,--build-id

for b in c_O1 c_O2 c_nodwarf c_strip c_bid c_moved cc_O2; do
	CPUPROFILE=$b.prof CPUPROFILE_FREQUENCY=500 "./$b" "$secs" >/dev/null 2>&1
	gopprof -proto -symbolize=none "$b.prof" >"$b.pb.gz" 2>/dev/null
done
# c_moved's binary is gone from where it ran: only PPROF_BINARY_PATH=OUTDIR/bin finds it
mv c_moved bin/c_moved

# The Go programs (module symgo, standard library only).
gobuild() { # name flags...
	local name=$1; shift
	(cd "$src/go" && GOFLAGS=-mod=mod go build -buildvcs=false "$@" -o "$out/$name" .)
}
gobuild go_plain
gobuild go_trim -trimpath
gobuild go_pie -buildmode=pie
for b in go_plain go_trim go_pie; do
	"./$b" -out "$b.sym.pb.gz" -t "${secs}s"
	"$stripsym" "$b.sym.pb.gz" "$b.pb.gz"
done
touch "$stamp"
