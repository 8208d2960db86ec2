#!/usr/bin/env bash
# run_shared_diff.sh NAME - one case of tests/diff/legacy_shared_cases.txt:
# @T@ becomes $SHARED/conformance/pprof/profile/testdata, then
# tests/diff/run_diff.sh compares cprof with go tool pprof on it.
# Exit 77 (skipped) when that directory or go is absent.
name=${1:?usage: run_shared_diff.sh NAME}
. "$(dirname "$0")/../lib.sh"
need_cprof
data=$shared/conformance/pprof/profile/testdata
[ -d "$data" ] || { echo "skipped: $data absent"; exit 77; }
make_tmp shared
sed "s|@T@|$data|g" "$src/tests/diff/legacy_shared_cases.txt" >"$tmp/cases.txt"
bash "$src/tests/diff/run_diff.sh" "$cprof" "$tmp/cases.txt" "$name"
