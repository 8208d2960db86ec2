#!/usr/bin/env bash
# Shell transcripts: the same commands typed at `cprof PROFILE` and at
# `go tool pprof PROFILE` (standard input a file, as a script feeds them).
#
#   tests/shell/run_shell.sh CPROF CASE
#
# tests/shell/cases/CASE.cmds holds the commands; its first line is
# `#! ARGS`, the command-line arguments (paths relative to the repository
# root; @SRC@ is the repository root itself). Both tools run in a fresh
# empty directory (where profileNNN.* files land) with LC_ALL=C TZ=UTC and
# HOME/PPROF_TMPDIR inside it. The case passes when standard output and
# standard error are byte-identical, and so is every file the commands
# wrote (*.pb.gz compared as `-raw` dumps, the bytes of a gzip stream
# being the compressor's business).
#
# With Go installed the oracle is go tool pprof itself; without it, the
# transcripts recorded from it in tests/shell/expected/ (CASE.out, CASE.err,
# CASE.files and CASE.file.NAME); SHELL_ORACLE=recorded uses those even with
# Go installed (they must still be what go tool pprof prints). UPDATE=1
# rewrites them from go tool pprof.
# Exit status: 0 pass, 1 fail, 77 neither Go nor a recorded transcript.
set -u
cprof=$1
name=$2
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cmds=$here/cases/$name.cmds
exp=$here/expected/$name
[ -r "$cmds" ] || { echo "no case $cmds" >&2; exit 1; }
case $cprof in /*) ;; *) cprof=$PWD/$cprof ;; esac

tmp=$(mktemp -d /tmp/cprof-shell.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
args=$(head -n 1 "$cmds" | sed -n 's/^#! *//p')
args=${args//@SRC@/$repo}
read -r -a argv <<<"$args"
for i in "${!argv[@]}"; do
	case ${argv[$i]} in
	testdata/* | tests/*) argv[$i]=$repo/${argv[$i]} ;;
	-*=testdata/*) argv[$i]=${argv[$i]%%=*}=$repo/${argv[$i]#*=} ;;
	esac
done
tail -n +2 "$cmds" >"$tmp/input"

# run TOOL DIR: the transcript of TOOL in DIR/{out,err,rc} and its files in DIR/cwd
run() {
	local dir=$1
	shift
	mkdir -p "$dir/cwd" "$dir/home"
	(cd "$dir/cwd" && env -u PPROF_BINARY_PATH -u BROWSER -u DISPLAY LC_ALL=C TZ=UTC HOME="$dir/home" \
		PPROF_TMPDIR="$dir/home/pprof" timeout 120 "$@" "${argv[@]}" <"$tmp/input" >"$dir/out" 2>"$dir/err")
	echo $? >"$dir/rc"
}

# files DIR: "name kind" of what the commands wrote, one per line, sorted
files() {
	(cd "$1/cwd" && for f in $(ls -A | LC_ALL=C sort); do
		case $f in *.pb.gz) echo "$f proto" ;; *) echo "$f bytes" ;; esac
	done)
}

# content DIR FILE TOOL...: what is compared of FILE
content() {
	local dir=$1 f=$2
	shift 2
	case $f in
	*.pb.gz) (cd "$dir/cwd" && LC_ALL=C TZ=UTC "$@" -raw "$f" 2>&1) ;;
	*) cat "$dir/cwd/$f" ;;
	esac
}

have_go=0
command -v go >/dev/null 2>&1 && have_go=1
[ "${SHELL_ORACLE:-}" = recorded ] && [ "${UPDATE:-0}" != 1 ] && have_go=0
# the live comparison is the test: under tests/run.sh it needs go tool pprof
if [ $have_go = 0 ] && [ "${SHELL_ORACLE:-}" != recorded ] && [ "${CPROF_TEST_STRICT:-0}" = 1 ]; then
	echo "FAIL $name: go not found (Debian package golang-go); sh tests/deps.sh --test installs it"
	exit 1
fi
if [ "${UPDATE:-0}" = 1 ]; then
	[ $have_go = 1 ] || { echo "UPDATE=1 needs go tool pprof" >&2; exit 1; }
	run "$tmp/p" go tool pprof
	cp "$tmp/p/out" "$exp.out"
	cp "$tmp/p/err" "$exp.err"
	files "$tmp/p" >"$exp.files"
	rm -f "$exp".file.*
	while read -r f kind; do
		content "$tmp/p" "$f" go tool pprof >"$exp.file.$f"
	done <"$exp.files"
	echo "updated $name"
	exit 0
fi

run "$tmp/c" "$cprof"
fail=0
report() {
	echo "FAIL $name: $1"
	[ -n "${2:-}" ] && diff -u "$2" "$3" | head -40
	fail=1
}
if [ $have_go = 1 ]; then
	run "$tmp/p" go tool pprof
	cmp -s "$tmp/p/out" "$tmp/c/out" || report "standard output differs (pprof, cprof)" "$tmp/p/out" "$tmp/c/out"
	cmp -s "$tmp/p/err" "$tmp/c/err" || report "standard error differs (pprof, cprof)" "$tmp/p/err" "$tmp/c/err"
	files "$tmp/p" >"$tmp/p.files"
	files "$tmp/c" >"$tmp/c.files"
	cmp -s "$tmp/p.files" "$tmp/c.files" || report "files written differ" "$tmp/p.files" "$tmp/c.files"
	while read -r f kind; do
		[ -e "$tmp/c/cwd/$f" ] || continue
		content "$tmp/p" "$f" go tool pprof >"$tmp/pf"
		content "$tmp/c" "$f" "$cprof" >"$tmp/cf"
		cmp -s "$tmp/pf" "$tmp/cf" || report "file $f differs" "$tmp/pf" "$tmp/cf"
	done <"$tmp/p.files"
elif [ -r "$exp.out" ]; then
	cmp -s "$exp.out" "$tmp/c/out" || report "standard output differs (recorded, cprof)" "$exp.out" "$tmp/c/out"
	cmp -s "$exp.err" "$tmp/c/err" || report "standard error differs (recorded, cprof)" "$exp.err" "$tmp/c/err"
	files "$tmp/c" >"$tmp/c.files"
	cmp -s "$exp.files" "$tmp/c.files" || report "files written differ" "$exp.files" "$tmp/c.files"
	while read -r f kind; do
		[ -e "$tmp/c/cwd/$f" ] || continue
		content "$tmp/c" "$f" "$cprof" >"$tmp/cf"
		cmp -s "$exp.file.$f" "$tmp/cf" || report "file $f differs (recorded, cprof)" "$exp.file.$f" "$tmp/cf"
	done <"$exp.files"
else
	echo "skip $name: no go tool pprof (Debian package golang-go) and no recorded transcript" >&2
	[ "${CPROF_TEST_STRICT:-0}" = 1 ] && exit 1
	exit 77
fi
[ "$(cat "$tmp/c/rc")" = 0 ] || report "cprof exited $(cat "$tmp/c/rc")"
[ $fail = 0 ] && echo "ok $name"
exit $fail
