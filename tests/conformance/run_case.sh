#!/usr/bin/env bash
# run_case.sh ROW [proto] - run one row (1-based line number) of
# ../shared/conformance/pprof/CASES.tsv through cprof and compare stdout
# with the golden byte for byte. With "proto", a parse-only row dumps the
# profile after a round trip through profile.proto (cprof dump -proto).
#
# Environment: CPROF (the binary), SHARED (../shared). Exit 77 (skipped)
# when the corpus is absent, when the row needs something the reference
# Go 1.19 pprof cannot reproduce (status other than verified/upstream-test,
# except -all_frames which cprof implements as pprof HEAD does), or when
# the row's output format is one cprof does not offer yet.
rowno=$1
mode=${2:-}
. "$(dirname "$0")/../lib.sh"
need_cprof
root=$shared/conformance/pprof
[ -f "$root/CASES.tsv" ] || { echo "conformance corpus absent"; exit 77; }
make_tmp conformance

row=$(sed -n "${rowno}p" "$root/CASES.tsv")
[ -n "$row" ] || { echo "no such row: $rowno"; exit 2; }
IFS=$'\t' read -r golden input cwd args status prestep <<<"$row"

case "$status" in
verified|upstream-test) ;;
*) case "$args" in
	*-all_frames*) ;; # a pprof HEAD flag that cprof implements
	*) echo "skipped: $status"; exit 77 ;;
	esac ;;
esac

help=$("$cprof" --help 2>&1)
if [[ $args == "(parse only"* ]]; then
	if ! "$cprof" dump --help >/dev/null 2>&1; then
		echo "skipped: cprof dump not available"; exit 77
	fi
	cmd=("$cprof" dump ${mode:+-$mode} "$root/$input")
	workdir=$root
else
	read -r -a argv <<<"$args"
	for a in "${argv[@]}"; do
		flag=${a#-}; flag=${flag%%=*}
		if ! grep -qE -- "^ +-$flag(=| |$)" <<<"$help"; then
			echo "skipped: cprof has no -$flag yet"; exit 77
		fi
	done
	workdir=$root/$cwd
	if [ -n "$prestep" ]; then
		step1=${prestep#step1: }; step1=${step1%%;*}
		read -r -a pre <<<"${step1% > top.pb.gz}"
		last=${pre[${#pre[@]}-1]}; unset 'pre[${#pre[@]}-1]'
		for a in "${pre[@]}"; do
			flag=${a#-}; flag=${flag%%=*}
			grep -qE -- "^ +-$flag(=| |$)" <<<"$help" || { echo "skipped: cprof has no -$flag yet"; exit 77; }
		done
		(cd "$root" && "$cprof" "${pre[@]}" "$last" >"$tmp/top.pb.gz") || { echo "prestep failed"; exit 1; }
		input=$tmp/top.pb.gz
	else
		input=$root/$input
	fi
	cmd=("$cprof" "${argv[@]}" "$input")
fi

out=$tmp/out
(cd "$workdir" && "${cmd[@]}") >"$out" 2>"$out.err"
rc=$?
if [ $rc -ne 0 ]; then
	echo "cprof exited $rc:"; cat "$out.err"; exit 1
fi
if cmp -s "$out" "$root/$golden"; then
	echo "ok $golden"
	exit 0
fi
echo "FAIL $golden"
diff -u "$root/$golden" "$out" | head -60
exit 1
