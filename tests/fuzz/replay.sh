#!/usr/bin/env bash
# replay.sh TARGET REPLAY_BINARY - the ctest of one fuzz target in any
# build: its saved crashers (tests/fuzz/crashers/TARGET/) and its seed
# corpus (seeds.sh, from testdata/) fed once each through the target's
# entry point. Fails on a crash or, in sanitizer builds, on any report.
target=$1
bin=$2
. "$(dirname "$0")/../lib.sh"
make_tmp fuzz-replay
"$here/seeds.sh" "$tmp" >/dev/null || exit 1
dirs=()
[ -d "$tmp/$target" ] && dirs+=("$tmp/$target")
[ -d "$here/crashers/$target" ] && dirs+=("$here/crashers/$target")
[ ${#dirs[@]} -gt 0 ] || { echo "no inputs for $target"; exit 1; }
"$bin" "${dirs[@]}"
