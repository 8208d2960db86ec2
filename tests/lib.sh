# lib.sh - what the test scripts share, sourced by them (bash):
#
#   . "$(dirname "$0")/../lib.sh"        (from tests/<suite>/run_*.sh)
#
# Sets, after `set -u` and `export LC_ALL=C TZ=UTC`:
#   here    the directory of the calling script
#   tests   this directory (tests/)
#   src     the source tree: SRCDIR, or the parent of tests/
#   shared  ../shared beside it: SHARED, or $src/../shared
#   cprof   CPROF, the cprof binary, when set (need_cprof insists on it)
#
# Functions:
#   need_cprof      fail unless CPROF names the binary
#   make_tmp LABEL  tmp=a new directory ${TMPDIR:-/tmp}/cprof-LABEL.XXXXXX,
#                   removed on exit (after giving back the permissions a case
#                   took away)
#   fail MSG...     "FAIL NAME: MSG", exit 1 (NAME: $name, or the script's)
#   skip MSG...     "skipped NAME: MSG", exit 77, ctest's "skipped"
#   need TOOL...    every TOOL (a program of tests/tools.txt) is there; when
#                   one is missing the case is skipped, with a message that
#                   names its Debian package, or, when CPROF_TEST_STRICT=1
#                   (tests/run.sh sets it), fails
#   have TOOL       true when TOOL is there; when it is not, a note that the
#                   checks needing it are left out (false), or under
#                   CPROF_TEST_STRICT=1 a failure
#   tool_package TOOL   the Debian package of TOOL (tests/tools.txt)
set -u
export LC_ALL=C TZ=UTC
here=$(cd "$(dirname "${BASH_SOURCE[1]:-$0}")" && pwd)
tests=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=${SRCDIR:-$(dirname "$tests")}
shared=${SHARED:-$src/../shared}
cprof=${CPROF:-}

need_cprof() {
	[ -n "$cprof" ] || { echo "${0##*/}: CPROF must name the cprof binary" >&2; exit 2; }
}

fail() {
	echo "FAIL ${name:-${0##*/}}: $*"
	exit 1
}

skip() {
	echo "skipped ${name:-${0##*/}}: $*"
	exit 77
}

tmp=
_lib_cleanup() {
	if [ -n "$tmp" ] && [ -d "$tmp" ]; then
		chmod -R u+rwx "$tmp" 2>/dev/null
		rm -rf "$tmp"
	fi
}
make_tmp() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/cprof-${1:-test}.XXXXXX") || { echo "mktemp failed" >&2; exit 2; }
	trap _lib_cleanup EXIT
}

tool_package() {
	awk -F'\t' -v t="$1" '!/^#/ && NF >= 2 {
		n = split($1, p, ",")
		for (i = 1; i <= n; i++) if (p[i] == t) { print $2; exit }
	}' "$tests/tools.txt"
}

# _tool_present TOOL: the program, path, lib: or debug: file is there
_tool_present() {
	local f bid
	case $1 in
	lib:*)
		f=$(gcc -print-file-name="${1#lib:}" 2>/dev/null) || return 1
		[ "${f#/}" != "$f" ] && [ -e "$f" ]
		;;
	debug:*)
		f=$(gcc -print-file-name="${1#debug:}" 2>/dev/null) || return 1
		[ "${f#/}" != "$f" ] && [ -e "$f" ] || return 1
		bid=$(readelf -n "$(readlink -f "$f")" 2>/dev/null | sed -n 's/.*Build ID: \([0-9a-f]*\).*/\1/p')
		[ -n "$bid" ] && [ -f "/usr/lib/debug/.build-id/${bid:0:2}/${bid:2}.debug" ]
		;;
	clangrt:*)
		f=$(clang -print-resource-dir 2>/dev/null) || return 1
		[ -n "$f" ] && [ -f "$f/lib/linux/libclang_rt.${1#clangrt:}-$(uname -m).a" ]
		;;
	/*) [ -x "$1" ] ;;
	*) command -v "$1" >/dev/null 2>&1 ;;
	esac
}

# _tool_missing TOOL: empty when TOOL is there, else what to say
_tool_missing() {
	local pkg
	pkg=$(tool_package "$1")
	if [ -z "$pkg" ]; then
		echo "FAIL ${name:-${0##*/}}: '$1' is not listed in tests/tools.txt"
		exit 2
	fi
	_tool_present "$1" && return 0
	case $1 in
	lib:*) echo "library ${1#lib:} not found (Debian package $pkg)" ;;
	debug:*) echo "no debug file for ${1#debug:} (Debian package $pkg)" ;;
	clangrt:*) echo "clang's ${1#clangrt:} runtime not found (Debian package $pkg)" ;;
	*) echo "$1 not found (Debian package $pkg)" ;;
	esac
}

need() {
	local t why
	for t in "$@"; do
		why=$(_tool_missing "$t") || { echo "$why"; exit 2; }
		[ -z "$why" ] && continue
		if [ "${CPROF_TEST_STRICT:-0}" = 1 ]; then
			fail "$why; sh tests/deps.sh --test installs it"
		fi
		skip "$why"
	done
}

have() {
	local why
	why=$(_tool_missing "$1") || { echo "$why"; exit 2; }
	[ -z "$why" ] && return 0
	if [ "${CPROF_TEST_STRICT:-0}" = 1 ]; then
		fail "$why; sh tests/deps.sh --test installs it"
	fi
	echo "note: $why: the checks that need it are left out"
	return 1
}
