#!/usr/bin/env bash
# bench/shell.sh: the interactive shell after the load. A session of one
# command and a session of ten, typed into `cprof PROFILE` and into
# `go tool pprof PROFILE` (commands on standard input), side by side.
#
# usage: bench/shell.sh [--quick] [--no-pprof] [--timeout SECONDS] [PROFILE]
#
#   PROFILE      default bench/out/big.pb.gz (1,000,000 samples; made with
#                the generator if missing), or bench/out/small.pb.gz with --quick
#   --no-pprof   cprof only
#   --timeout S  per session (default 900: pprof's ten commands take minutes)
#
# The ten commands: top, top -cum, top10 with a regexp, peek, focus=
# then top, hide= then top, traces of one function, tree. What a session
# costs beyond the load is the session's time less the time of a session
# that only quits; "ten - one" is what nine more commands cost. Each session
# runs once (pprof's take minutes), cprof's sessions three times (best
# kept). Environment: CPROF (build/cprof), GENPROF (build/bench/genprof),
# PPROF (the pprof binary of `go env GOTOOLDIR`).
set -u -o pipefail
cd "$(dirname "$0")/.."

QUICK=0 NO_PPROF=0 TIMEOUT=900 PROF=
while [ $# -gt 0 ]; do
	case $1 in
	--quick) QUICK=1 ;;
	--no-pprof) NO_PPROF=1 ;;
	--timeout) TIMEOUT=$2; shift ;;
	--timeout=*) TIMEOUT=${1#*=} ;;
	-h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "shell.sh: unknown argument $1" >&2; exit 2 ;;
	*) PROF=$1 ;;
	esac
	shift
done
CPROF=${CPROF:-build/cprof}
GENPROF=${GENPROF:-build/bench/genprof}
OUT=bench/out
mkdir -p "$OUT"
if [ -z "$PROF" ]; then
	if [ $QUICK = 1 ]; then PROF=$OUT/small.pb.gz GEN=(-samples 100000); else PROF=$OUT/big.pb.gz GEN=(); fi
	if [ ! -s "$PROF" ]; then
		[ -x "$GENPROF" ] || { echo "shell.sh: build $GENPROF first" >&2; exit 1; }
		"$GENPROF" "${GEN[@]}" "$PROF.tmp" >&2 && mv "$PROF.tmp" "$PROF" || exit 1
	fi
fi
[ -x "$CPROF" ] || { echo "shell.sh: build $CPROF first" >&2; exit 1; }
case $PROF in /*) ;; *) PROF=$PWD/$PROF ;; esac
case $CPROF in /*) ;; *) CPROF=$PWD/$CPROF ;; esac
PPROF_CMD=()
if [ $NO_PPROF = 0 ]; then
	if [ -n "${PPROF:-}" ]; then
		read -r -a PPROF_CMD <<<"$PPROF"
	elif command -v go >/dev/null 2>&1 && [ -x "$(go env GOTOOLDIR)/pprof" ]; then
		PPROF_CMD=("$(go env GOTOOLDIR)/pprof")
	fi
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'q\n' >"$tmp/zero"
printf 'top\n' >"$tmp/one"
# the ten commands; the regexps name functions of the generated profile
cat >"$tmp/ten" <<'EOF'
top
top -cum
top10 Sort1
peek Sort79$
focus=Sort7
top
hide=runtime
top
:
traces Sort791$
tree
EOF

# session TOOL... < script: sets WALL CPU RSS STATUS
session() {
	local script=$1
	shift
	local t0 t1 rc
	t0=$(date +%s%N)
	(cd "$tmp" && /usr/bin/time -f '%U %S %M' -o "$tmp/time" timeout -k 10 "$TIMEOUT" "$@" "$PROF" \
		<"$script" >"$tmp/out" 2>"$tmp/err")
	rc=$?
	t1=$(date +%s%N)
	WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
	read -r u s m <"$tmp/time" 2>/dev/null || { u=0 s=0 m=0; }
	CPU=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
	RSS=$(awk -v m="$m" 'BEGIN { printf "%.0f", m / 1024 }')
	case $rc in 0) STATUS=ok ;; 124 | 137) STATUS=timeout ;; *) STATUS="error($rc)" ;; esac
}

declare -A W C R S
measure() { # TOOLNAME REPEATS CMD...
	local tool=$1 reps=$2
	shift 2
	for sc in zero one ten; do
		local best=
		for _ in $(seq "$reps"); do
			session "$tmp/$sc" "$@"
			echo "  $tool $sc: ${WALL}s wall, ${CPU}s CPU, ${RSS} MB ($STATUS)" >&2
			if [ -z "$best" ] || awk -v a="$WALL" -v b="$best" 'BEGIN { exit !(a < b) }'; then
				best=$WALL W[$tool.$sc]=$WALL C[$tool.$sc]=$CPU R[$tool.$sc]=$RSS S[$tool.$sc]=$STATUS
			fi
		done
	done
}
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "profile $PROF; load $LOAD0" >&2
measure cprof 3 "$CPROF"
[ ${#PPROF_CMD[@]} -gt 0 ] && measure pprof 1 "${PPROF_CMD[@]}"
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }
echo "Profile: \`$PROF\` ($(du -m "$PROF" | cut -f1) MB); $(nproc) CPUs; load average before $LOAD0, after $LOAD1; timeout ${TIMEOUT}s"
echo
echo "| tool | load only (q) wall s | one command wall s | ten commands wall s | ten - one wall s | ten - one CPU s | peak RSS MB (ten) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for tool in cprof pprof; do
	[ -n "${S[$tool.ten]:-}" ] || continue
	if [ "${S[$tool.ten]}" != ok ] || [ "${S[$tool.one]}" != ok ]; then
		echo "| $tool | ${W[$tool.zero]} | ${W[$tool.one]} (${S[$tool.one]}) | ${W[$tool.ten]} (${S[$tool.ten]}) | n/a | n/a | ${R[$tool.ten]} |"
		continue
	fi
	echo "| $tool | ${W[$tool.zero]} | ${W[$tool.one]} | ${W[$tool.ten]} | $(sub "${W[$tool.ten]}" "${W[$tool.one]}") | $(sub "${C[$tool.ten]}" "${C[$tool.one]}") | ${R[$tool.ten]} |"
done
