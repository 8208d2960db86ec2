#!/usr/bin/env bash
# run_shared_diff.sh NAME - one case of tests/diff/legacy_shared_cases.txt:
# @T@ becomes $SHARED/conformance/pprof/profile/testdata, then
# tests/diff/run_diff.sh compares cprof with go tool pprof on it.
# Exit 77 (skipped) when that directory or go is absent.
set -u
name=${1:?usage: run_shared_diff.sh NAME}
src=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
cprof=${CPROF:?CPROF must name the cprof binary}
data=${SHARED:-$src/../shared}/conformance/pprof/profile/testdata
[ -d "$data" ] || { echo "skipped: $data absent"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cprof-shared.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
sed "s|@T@|$data|g" "$src/tests/diff/legacy_shared_cases.txt" >"$tmp/cases.txt"
bash "$src/tests/diff/run_diff.sh" "$cprof" "$tmp/cases.txt" "$name"
