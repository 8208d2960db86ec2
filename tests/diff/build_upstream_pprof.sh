#!/usr/bin/env bash
# build_upstream_pprof.sh OUTDIR - build "upstream pprof" into OUTDIR/pprof:
# the copy of github.com/google/pprof vendored in the installed Go
# toolchain ($(go env GOROOT)/src/cmd/vendor), driven by a three-line main
# without Go's own object tool, so it symbolizes and disassembles the way
# upstream pprof does: with llvm-symbolizer (or addr2line), llvm-nm and
# llvm-objdump (or objdump). It is the reference for symbolization of C
# and C++ binaries, which `go tool pprof` (cmd/pprof, with Go's debug/dwarf
# and no inline frames) does not symbolize the way upstream does.
#
# Offline: only the local Go installation is used (-mod=vendor, GOPROXY=off).
# Idempotent; exits 77 when go is missing (see need in tests/lib.sh).
set -e
out=${1:?usage: build_upstream_pprof.sh OUTDIR}
. "$(dirname "$0")/../lib.sh"
need go flock
vendor=$(go env GOROOT)/src/cmd/vendor
[ -d "$vendor/github.com/google/pprof/driver" ] || { echo "no vendored pprof in $vendor; skipping" >&2; exit 77; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
[ -x "$out/pprof" ] && exit 0
exec 9>"$out/.lock"
flock 9
[ -x "$out/pprof" ] && exit 0
make_tmp upprof
mkdir -p "$tmp/vendor/github.com/google" "$tmp/vendor/github.com/ianlancetaylor"
cp -r "$vendor/github.com/google/pprof" "$tmp/vendor/github.com/google/"
cp -r "$vendor/github.com/ianlancetaylor/demangle" "$tmp/vendor/github.com/ianlancetaylor/"
# the two modules' entries of the toolchain's modules.txt
awk '/^# github.com\/google\/pprof /{p=1} /^# / && !/google\/pprof|ianlancetaylor/{p=0} p' \
	"$vendor/modules.txt" >"$tmp/vendor/modules.txt"
pv=$(sed -n 's/^# github.com\/google\/pprof \([^ ]*\).*/\1/p' "$vendor/modules.txt")
dv=$(sed -n 's/^# github.com\/ianlancetaylor\/demangle \([^ ]*\).*/\1/p' "$vendor/modules.txt")
cat >"$tmp/go.mod" <<MOD
module upstreampprof

go 1.17

require (
	github.com/google/pprof $pv
	github.com/ianlancetaylor/demangle $dv
)
MOD
cat >"$tmp/main.go" <<'SRC'
// Command pprof: upstream pprof's driver with its default (binutils) object tool.
package main

import (
	"fmt"
	"os"

	"github.com/google/pprof/driver"
)

func main() {
	if err := driver.PProf(&driver.Options{}); err != nil {
		fmt.Fprintf(os.Stderr, "%v\n", err)
		os.Exit(2)
	}
}
SRC
(cd "$tmp" && GOFLAGS=-mod=vendor GOPROXY=off GOWORK=off go build -o "$out/pprof.tmp" .)
mv "$out/pprof.tmp" "$out/pprof"
