#!/usr/bin/env bash
# run_sym_diff.sh NAME - one differential case of tests/diff/symbolize_cases.txt.
#
# The test binaries and their profiles are built first, once per build
# directory (testdata/gen/sym/build.sh into $SYMDATA). A case line is
#
#   <name> TAB <oracle> TAB <mode> TAB <cprof args> [TAB <oracle args>]
#
# oracle   upstream  upstream pprof with llvm-symbolizer/llvm-objdump, built
#                    from Go's vendored copy (tests/diff/build_upstream_pprof.sh)
#          go        go tool pprof (Go 1.19), for example on the profile the Go
#                    runtime symbolized itself (*.sym.pb.gz)
# mode     exact     stdout byte for byte
#          asm       instruction text taken out first (tests/diff/asm_normalize.py):
#                    cprof disassembles with capstone, pprof with llvm-objdump
#          abi0      byte for byte once the oracle's Go names are printed as Go
#                    prints them: llvm-symbolizer gives the DWARF names of assembly
#                    functions (runtime.futex.abi0) and of generic instances
#                    (main.sum[go.shape.float64_0]), the Go runtime and cprof
#                    runtime.futex and main.sum[...]. Used for the Go reports that print
#                    file names, where the runtime's own profile is no oracle:
#                    it keys functions by name alone, so a function's lines from
#                    another file (runtime.mallocgc at mcache.go:127, code of an
#                    inlined call that has no inline record) take the file of its
#                    first line (malloc.go:127).
# args     split on whitespace; @SYM@ is $SYMDATA; leading NAME=VALUE words
#          are environment settings; oracle args default to cprof's.
# -weblist output goes to a file for pprof (it would open a browser).
#
# Runs from the repository root with LC_ALL=C TZ=UTC, HOME in a temporary
# directory, PPROF_BINARY_PATH unset (unless a case sets it).
# Exit: 0 pass, 1 fail, 77 skipped (go, a compiler, gperftools, LLVM tools or
# python3 missing; see need in tests/lib.sh).
name=${1:?usage: run_sym_diff.sh NAME}
. "$(dirname "$0")/../lib.sh"
need_cprof
symdata=${SYMDATA:?SYMDATA must name the test data directory}
casefile=$src/tests/diff/symbolize_cases.txt
tab=$(printf '\t')

line=$(grep -m1 "^$name$tab" "$casefile") || { echo "no case $name" >&2; exit 1; }
IFS=$tab read -r _ oracle mode cargs oargs <<<"$line"
[ -n "${oargs:-}" ] || oargs=$cargs

need go gcc g++ objcopy strip readelf lib:libprofiler.so
[ "$mode" = asm ] && need python3
STRIPSYM=${STRIPSYM:?} bash "$src/testdata/gen/sym/build.sh" "$symdata" || exit $?
case $oracle in
upstream)
	need llvm-symbolizer llvm-objdump llvm-nm
	up=${UPPROF_DIR:-$symdata/../upprof}
	bash "$src/tests/diff/build_upstream_pprof.sh" "$up" || exit $?
	ref=("$up/pprof")
	;;
go)
	ref=("$(go env GOTOOLDIR)/pprof")
	;;
*)
	echo "unknown oracle $oracle" >&2
	exit 1
	;;
esac

make_tmp sym
mkdir -p "$tmp/home"

# run OUT ARGS...: one tool, environment words first
run() {
	local out=$1
	shift
	local env=() args=()
	for a in "$@"; do
		a=${a//@SYM@/$symdata}
		if [ ${#args[@]} -eq 0 ] && [[ $a =~ ^[A-Z_]+= ]]; then
			env+=("$a")
		else
			args+=("$a")
		fi
	done
	(
		cd "$src" || exit 99
		unset PPROF_BINARY_PATH PPROF_TOOLS PPROF_OBJTOOL
		env LC_ALL=C TZ=UTC HOME="$tmp/home" PPROF_TMPDIR="$tmp/pprof" ${env[@]+"${env[@]}"} \
			"${args[@]}" </dev/null >"$out" 2>"$out.err"
	)
	echo $?
}

read -r -a cv <<<"$cargs"
read -r -a ov <<<"$oargs"
exp=$tmp/expected act=$tmp/actual
if [[ " $oargs " == *" -weblist"* ]]; then
	# pprof hands the page to a browser unless -output names a file
	names=() rest=()
	for a in "${ov[@]}"; do
		if [ ${#rest[@]} -eq 0 ] && [[ $a =~ ^[A-Z_]+= ]]; then names+=("$a"); else rest+=("$a"); fi
	done
	rc_e=$(run "$tmp/ref.out" ${names[@]+"${names[@]}"} "${ref[@]}" "-output=$tmp/ref.html" "${rest[@]}")
	cp "$tmp/ref.html" "$exp" 2>/dev/null || : >"$exp"
else
	names=() rest=()
	for a in "${ov[@]}"; do
		if [ ${#rest[@]} -eq 0 ] && [[ $a =~ ^[A-Z_]+= ]]; then names+=("$a"); else rest+=("$a"); fi
	done
	rc_e=$(run "$exp" ${names[@]+"${names[@]}"} "${ref[@]}" "${rest[@]}")
fi
names=() rest=()
for a in "${cv[@]}"; do
	if [ ${#rest[@]} -eq 0 ] && [[ $a =~ ^[A-Z_]+= ]]; then names+=("$a"); else rest+=("$a"); fi
done
rc_a=$(run "$act" ${names[@]+"${names[@]}"} "$cprof" "${rest[@]}")

if [ "$mode" = abi0 ]; then
	sed -E -e 's/\.abi0( |$)/\1/' -e 's/\[go\.shape\.[^ ]*\]( |$)/[...]\1/' "$exp" >"$exp.n"
	exp=$exp.n
fi
if [ "$mode" = asm ]; then
	python3 "$src/tests/diff/asm_normalize.py" "$exp" >"$exp.n"
	python3 "$src/tests/diff/asm_normalize.py" "$act" >"$act.n"
	exp=$exp.n act=$act.n
fi
ok_e=$([ "$rc_e" = 0 ] && echo 0 || echo 1)
ok_a=$([ "$rc_a" = 0 ] && echo 0 || echo 1)
if cmp -s "$exp" "$act" && [ "$ok_e" = "$ok_a" ] && [ -s "$exp" -o "$rc_e" != 0 ]; then
	echo "ok $name"
	exit 0
fi
echo "FAIL $name ($oracle, $mode)"
echo "    cprof:  $cargs"
echo "    oracle: $oargs"
[ "$ok_e" = "$ok_a" ] || echo "    exit status: oracle $rc_e, cprof $rc_a; oracle stderr: $(head -c 300 "$tmp/expected.err"); cprof stderr: $(head -c 300 "$tmp/actual.err")"
diff -u --label oracle --label cprof "$exp" "$act" | head -60
exit 1
