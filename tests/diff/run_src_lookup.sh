#!/usr/bin/env bash
# run_src_lookup.sh - source lookup for -list where pprof gives up: the Go
# module cache (with its !-escaped capitals), $GOROOT for the standard
# library of -trimpath builds and of other machines, go.mod and vendor/.
#
# The script writes, in a temporary directory:
#   heap.txt   a Go heap profile (debug=1) whose frames name source files
#              the way Go binaries do: "example.com/Foo/bar@v1.2.3/bar.go"
#              (-trimpath module), "/home/builder/go/pkg/mod/example.com/
#              !foo/bar@v1.2.3/baz.go" (module cache of another machine),
#              "myapp/cmd/main.go" (-trimpath main module),
#              "github.com/dep/lib/lib.go" (vendored), "bufio/fakeproc.go"
#              (-trimpath standard library), "/opt/otherbuild/go/src/sort/
#              fakesort.go" (another GOROOT), "$GOROOT/src/strings/fake.go"
#              and a file that exists nowhere;
#   heap.pb.gz the same as profile.proto (cprof -proto), for both tools;
#   go/        the Go layout cprof is pointed at: GOMODCACHE (escaped
#              names), GOROOT, and a project with go.mod and vendor/;
#   flat/      the same sources at the paths pprof can find: relative to
#              -source_path, absolute ones after -trim_path.
# cprof runs with GOMODCACHE, GOROOT and -source_path=<project>, go tool
# pprof with -source_path=flat; both with -trim_path for the absolute names
# (pprof prints the trimmed name). Both listings must be the same bytes
# (the missing file gets pprof's message in both); then cprof alone finds
# the absolute ones without -trim_path.
# Exit: 0 pass, 1 fail, 77 skipped (go not found; see need in tests/lib.sh).
. "$(dirname "$0")/../lib.sh"
need_cprof
need go
pprof="$(go env GOTOOLDIR)/pprof"

make_tmp srclookup
cd "$tmp" || exit 1

# put FILE TEXT: a source file of a few numbered lines
put() {
	mkdir -p "$(dirname "$1")"
	printf '%b' "$2" >"$1"
}
body='package p\n\n// line 3\nfunc F() []byte {\n\treturn make([]byte, 1024) // line 5\n}\n\n// line 8\n'

go_mod=$tmp/go/mod project=$tmp/go/appsrc goroot=$tmp/go/root flat=$tmp/flat
put "$go_mod/example.com/!foo/bar@v1.2.3/bar.go" "$body// module file, trimpath\n"
put "$go_mod/example.com/!foo/bar@v1.2.3/baz.go" "$body// module file, absolute\n"
put "$project/go.mod" 'module myapp\n\ngo 1.19\n'
put "$project/cmd/main.go" "$body// main module\n"
put "$project/vendor/github.com/dep/lib/lib.go" "$body// vendored\n"
put "$goroot/src/bufio/fakeproc.go" "$body// GOROOT, trimpath\n"
put "$goroot/src/sort/fakesort.go" "$body// GOROOT, another machine\n"
put "$goroot/src/strings/fake.go" "$body// GOROOT, \$GOROOT form\n"
put "$flat/example.com/Foo/bar@v1.2.3/bar.go" "$body// module file, trimpath\n"
put "$flat/example.com/!foo/bar@v1.2.3/baz.go" "$body// module file, absolute\n"
put "$flat/myapp/cmd/main.go" "$body// main module\n"
put "$flat/github.com/dep/lib/lib.go" "$body// vendored\n"
put "$flat/bufio/fakeproc.go" "$body// GOROOT, trimpath\n"
put "$flat/sort/fakesort.go" "$body// GOROOT, another machine\n"
put "$flat/\$GOROOT/src/strings/fake.go" "$body// GOROOT, \$GOROOT form\n"

t=$(printf '\t')
cat >heap.txt <<EOF
heap profile: 8: 8192 [8: 8192] @ heap/1
1: 1024 [1: 1024] @ 0x1005 0x9005
#${t}0x1004${t}example.com/Foo/bar.F+0x4${t}example.com/Foo/bar@v1.2.3/bar.go:5
#${t}0x9004${t}main.main+0x4${t}myapp/cmd/main.go:4

1: 1024 [1: 1024] @ 0x2005 0x9005
#${t}0x2004${t}example.com/Foo/bar.G+0x4${t}/home/builder/go/pkg/mod/example.com/!foo/bar@v1.2.3/baz.go:5
#${t}0x9004${t}main.main+0x4${t}myapp/cmd/main.go:4

1: 1024 [1: 1024] @ 0x3005 0x9005
#${t}0x3004${t}github.com/dep/lib.F+0x4${t}github.com/dep/lib/lib.go:5
#${t}0x9004${t}main.main+0x4${t}myapp/cmd/main.go:4

1: 1024 [1: 1024] @ 0x4005 0x9005
#${t}0x4004${t}bufio.fakeproc+0x4${t}bufio/fakeproc.go:5
#${t}0x9004${t}main.main+0x4${t}myapp/cmd/main.go:4

1: 1024 [1: 1024] @ 0x5005 0x9005
#${t}0x5004${t}sort.fakesort+0x4${t}/opt/otherbuild/go/src/sort/fakesort.go:5
#${t}0x9004${t}main.main+0x4${t}myapp/cmd/main.go:4

1: 1024 [1: 1024] @ 0x6005 0x9005
#${t}0x6004${t}strings.fake+0x4${t}\$GOROOT/src/strings/fake.go:5
#${t}0x9004${t}main.main+0x4${t}myapp/cmd/main.go:4

1: 1024 [1: 1024] @ 0x7005 0x9005
#${t}0x7004${t}main.gone+0x4${t}/nonexistent/cprof-test/gone.go:5
#${t}0x9004${t}main.main+0x4${t}myapp/cmd/main.go:4

1: 1024 [1: 1024] @ 0x8005 0x9005
#${t}0x8004${t}main.helper+0x4${t}myapp/cmd/main.go:7
#${t}0x9004${t}main.main+0x4${t}myapp/cmd/main.go:4

EOF
mkdir -p home
export LC_ALL=C TZ=UTC HOME=$tmp/home
unset PPROF_BINARY_PATH GOFLAGS
"$cprof" -proto -output=heap.pb.gz heap.txt 2>/dev/null || { echo "FAIL: cprof -proto"; exit 1; }

fail=0
for re in . 'bar\.' 'main\.main'; do
	GOROOT=/nonexistent-goroot "$pprof" "-list=$re" -source_path="$flat" \
		-trim_path=/home/builder/go/pkg/mod:/opt/otherbuild/go/src heap.pb.gz >expected 2>expected.err
	rc_e=$?
	GOROOT=$goroot GOMODCACHE=$go_mod "$cprof" "-list=$re" -source_path="$project" \
		-trim_path=/home/builder/go/pkg/mod:/opt/otherbuild/go/src heap.pb.gz >actual 2>actual.err
	rc_a=$?
	if [ "$rc_e" != 0 ] || [ "$rc_a" != 0 ] || ! cmp -s expected actual || ! [ -s expected ]; then
		echo "FAIL -list=$re (exit: pprof $rc_e, cprof $rc_a)"
		head -c 300 expected.err
		head -c 300 actual.err
		diff -u --label pprof --label cprof expected actual | head -60
		fail=1
	fi
	# the listings must show the sources, not only the error for the missing one
	if [ "$re" = . ] && [ "$(grep -c 'line 5' actual)" != 8 ]; then
		echo "FAIL -list=.: expected eight routines with their source in the listing"
		fail=1
	fi
done
# absolute paths of another machine need no -trim_path in cprof: the module
# cache and GOROOT are found from the path's /pkg/mod/ and /src/ (pprof
# prints the name it was given, so this part is checked without pprof)
GOROOT=$goroot GOMODCACHE=$go_mod "$cprof" -list=. -source_path="$project" heap.pb.gz >actual 2>actual.err
for want in 'module file, absolute' 'GOROOT, another machine' 'in /home/builder/go/pkg/mod/example.com/!foo/bar@v1.2.3/baz.go' \
	'in /opt/otherbuild/go/src/sort/fakesort.go'; do
	if ! grep -qF "$want" actual; then
		echo "FAIL -list=. without -trim_path: no '$want'"
		fail=1
	fi
done
# without the Go layout cprof finds no more than pprof: the same messages
GOROOT=/nonexistent-goroot "$pprof" -list=. -source_path="$tmp/home" heap.pb.gz >expected 2>/dev/null
GOROOT=/nonexistent-goroot GOMODCACHE=/nonexistent-modcache "$cprof" -list=. -source_path="$tmp/home" heap.pb.gz \
	>actual 2>/dev/null
if ! cmp -s expected actual; then
	echo "FAIL -list=. without sources"
	diff -u --label pprof --label cprof expected actual | head -40
	fail=1
fi
[ $fail = 0 ] && echo "ok src_lookup"
exit $fail
