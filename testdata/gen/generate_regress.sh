#!/usr/bin/env bash
# Regenerates testdata/regress/: builds testdata/gen/regress, runs it three
# times normally (base1..3) and three times with -slow (new1..3), and copies each
# run's cpu.pb.gz and allocs.pb.gz into OUTDIR as <run>.cpu.pb.gz and
# <run>.allocs.pb.gz.
#
#   testdata/gen/generate_regress.sh [OUTDIR]      (default: testdata/regress)
#
# Needs only the Go toolchain. As generate.sh, the binary is built and run
# from a temporary directory that is deleted afterwards. Asynchronous
# preemption is turned off (GODEBUG=asyncpreemptoff=1) so that no CPU sample
# lands in runtime.asyncPreempt instead of the function it interrupted.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${1:-$repo/testdata/regress}

command -v go >/dev/null || { echo "generate_regress.sh: go not found on PATH" >&2; exit 1; }

tmp=$(mktemp -d /tmp/cprofgen.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

cd "$here"
GO111MODULE=on GOFLAGS= go build -buildvcs=false -o "$tmp/regress" ./regress

mkdir -p "$out"
for run in base1 base2 base3 new1 new2 new3; do
	mkdir -p "$tmp/$run"
	slow=false
	case $run in new*) slow=true ;; esac
	# stderr: the runtime's "cannot set cpu profile rate" warning
	GODEBUG=asyncpreemptoff=1 "$tmp/regress" -out "$tmp/$run" -slow="$slow" 2>/dev/null
	cp "$tmp/$run/cpu.pb.gz" "$out/$run.cpu.pb.gz"
	cp "$tmp/$run/allocs.pb.gz" "$out/$run.allocs.pb.gz"
done
go version >"$out/GOVERSION"
(cd "$out" && ls -l) >&2
