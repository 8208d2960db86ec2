#!/bin/sh
# deps.sh [--test] - install what cprof needs on Debian 12, only what is
# missing. --test adds what the test suite needs (Go for the reference
# go tool pprof). Safe to run again: it does nothing when all is present.
set -eu

pkgs="build-essential cmake pkg-config protobuf-c-compiler libprotobuf-c-dev zlib1g-dev
libgraphviz-dev libelf-dev libdw-dev libpcre2-dev gzip libcapstone-dev libiberty-dev
libdeflate-dev"
if [ "${1:-}" = "--test" ]; then
	# llvm: llvm-symbolizer/llvm-objdump for the upstream-pprof oracle of the symbolization tests;
	# libgoogle-perftools-dev: CPU profiles of the C test programs; libc6-dbg: libc debug info
	pkgs="$pkgs golang-go time llvm libgoogle-perftools-dev libc6-dbg"
	# chromium: the call graph SVG's pan-and-zoom script is run headless; libxml2-utils:
	# xmllint checks the SVG is well-formed (tests/graph)
	pkgs="$pkgs chromium libxml2-utils"
	# valgrind: the golden cases under memcheck (tests/valgrind.sh); clang: the libFuzzer
	# targets (tests/fuzz/run.sh)
	pkgs="$pkgs valgrind clang"
	# visualvm (its heap library) and a JDK read cprof heapdump -hprof output (tests/heapdump)
	pkgs="$pkgs visualvm openjdk-17-jdk-headless"
fi

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || { echo "deps.sh: run as root to install:$missing" >&2; exit 1; }
	SUDO=sudo
fi
echo "deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
