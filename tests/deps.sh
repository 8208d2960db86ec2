#!/bin/sh
# deps.sh [--test] - install what cprof needs on Debian 12, only what is
# missing. --test adds what the test suite needs: the packages of
# tests/tools.txt (Go for the reference go tool pprof, python3, LLVM,
# Chromium, valgrind, clang ...). Safe to run again: it does nothing when
# all is present.
set -eu

pkgs="build-essential cmake pkg-config protobuf-c-compiler libprotobuf-c-dev zlib1g-dev
libgraphviz-dev libelf-dev libdw-dev libpcre2-dev gzip libcapstone-dev libiberty-dev
libdeflate-dev libedit-dev libcurl4-openssl-dev"
if [ "${1:-}" = "--test" ]; then
	tools=$(dirname "$0")/tools.txt
	[ -r "$tools" ] || { echo "deps.sh: cannot read $tools" >&2; exit 1; }
	pkgs="$pkgs $(awk -F'\t' '!/^#/ && NF >= 2 { print $2 }' "$tools" | sort -u)"
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
