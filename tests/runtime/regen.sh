#!/usr/bin/env bash
# regen.sh - rewrite every golden of tests/runtime/cases.txt from the
# current cprof (CPROF, default build/cprof), after a deliberate change of
# a report or after testdata/gen/runtime/generate.sh. Review the diff.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
export CPROF=${CPROF:-$PWD/build/cprof}
for n in $(awk -F'\t' '$2 == "golden" { print $1 }' "$here/cases.txt"); do
	UPDATE=1 bash "$here/run_runtime.sh" "$n" | tail -1
done
