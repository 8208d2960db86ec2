#!/usr/bin/env bash
# regen.sh - rewrite every expected file from go tool pprof (the reference).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
for n in $(grep -v '^#' "$here/cases.txt" | cut -f1); do
	UPDATE=1 bash "$here/run_golden.sh" "$n" | tail -1
done
