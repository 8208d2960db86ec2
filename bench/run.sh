#!/usr/bin/env bash
# bench/run.sh: time cprof against `go tool pprof` on large synthetic profiles.
#
# usage: bench/run.sh [--quick] [--no-pprof] [--no-pprof-traces] [--pprof-cases LIST]
#                     [--timeout SECONDS]
#
#   --quick             use 100,000-sample profiles (bench/out/small*.pb.gz)
#                       instead of the 1,000,000-sample ones (bench/out/big*.pb.gz)
#   --no-pprof          do not run pprof at all
#   --no-pprof-traces   skip pprof for the -traces case (it is very slow)
#   --pprof-cases LIST  run pprof only for these cases (comma-separated: top,
#                       text_cum, traces, dot, list, merge, diff); the others
#                       show "skipped"
#   --timeout SECONDS   per-command time limit (default 300); a command that
#                       hits it is reported as "timeout"
#
# environment:
#   CPROF    cprof binary            (default build/cprof)
#   GENPROF  profile generator       (default build/bench/genprof)
#   PPROF    pprof command           (default: the pprof binary in `go env GOTOOLDIR`,
#                                     else `go tool pprof`)
#
# Relative paths are taken from the repository root.  Nothing is built here:
# build first (cmake -S . -B build && cmake --build build).  The markdown
# table goes to stdout and to bench/out/results*.md; progress goes to stderr.

set -u -o pipefail

QUICK=0
NO_PPROF=0
NO_PPROF_TRACES=0
PPROF_CASES=
TIMEOUT=300

usage() {
    sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --no-pprof) NO_PPROF=1 ;;
        --no-pprof-traces) NO_PPROF_TRACES=1 ;;
        --pprof-cases)
            [ $# -ge 2 ] || usage 2
            PPROF_CASES=$2
            shift
            ;;
        --pprof-cases=*) PPROF_CASES=${1#--pprof-cases=} ;;
        --timeout)
            [ $# -ge 2 ] || usage 2
            TIMEOUT=$2
            shift
            ;;
        --timeout=*) TIMEOUT=${1#--timeout=} ;;
        -h|--help) usage 0 ;;
        *) echo "run.sh: unknown argument: $1" >&2; usage 2 ;;
    esac
    shift
done
case "$TIMEOUT" in
    ''|*[!0-9]*) echo "run.sh: --timeout wants whole seconds" >&2; exit 2 ;;
esac

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
OUTDIR=bench/out
mkdir -p "$OUTDIR"

CPROF=${CPROF:-build/cprof}
GENPROF=${GENPROF:-build/bench/genprof}

log() { printf '%s\n' "$*" >&2; }

if [ ! -x /usr/bin/time ]; then
    log "run.sh: /usr/bin/time (GNU time) is required: apt-get install -y time"
    exit 1
fi
if ! command -v timeout >/dev/null 2>&1; then
    log "run.sh: timeout(1) (coreutils) is required"
    exit 1
fi

# ---- the profiles ---------------------------------------------------------
# PROF: the main profile; PROF2: a second run (other seed) for the diff case;
# MANY: 100 small profiles (20,000 samples each) for the merge case.
if [ "$QUICK" = 1 ]; then
    PROF=$OUTDIR/small.pb.gz PROF2=$OUTDIR/small2.pb.gz
    GENARGS=(-samples 100000)
    NMANY=20
    TAG=quick
else
    PROF=$OUTDIR/big.pb.gz PROF2=$OUTDIR/big2.pb.gz
    GENARGS=()
    NMANY=100
    TAG=full
fi
MANYDIR=$OUTDIR/many

# gen FILE ARGS...: create FILE with the generator unless it exists
gen() {
    local f=$1
    shift
    [ -s "$f" ] && return 0
    if [ ! -x "$GENPROF" ]; then
        log "run.sh: $f does not exist and the generator $GENPROF is not built."
        log "        build it (cmake -S . -B build && cmake --build build --target genprof)"
        log "        or point GENPROF at it."
        exit 1
    fi
    log "generating $f ..."
    if ! "$GENPROF" "$@" "$f.tmp" 2>/dev/null; then
        rm -f "$f.tmp"
        log "run.sh: $GENPROF failed"
        exit 1
    fi
    mv "$f.tmp" "$f"
}

gen "$PROF" "${GENARGS[@]}"
gen "$PROF2" "${GENARGS[@]}" -seed 2
mkdir -p "$MANYDIR"
MANY=()
for i in $(seq 1 "$NMANY"); do
    f=$(printf '%s/p%03d.pb.gz' "$MANYDIR" "$i")
    gen "$f" -samples 20000 -locations 20000 -functions 5000 -seed $((1000 + i))
    MANY+=("$f")
done

# ---- the tools -------------------------------------------------------------
HAVE_CPROF=1
if [ ! -x "$CPROF" ]; then
    HAVE_CPROF=0
    log "run.sh: cprof binary not found at $CPROF (build it, or set CPROF); cprof columns will show n/a"
fi

HAVE_PPROF=1
PPROF_CMD=()
if [ "$NO_PPROF" = 1 ]; then
    HAVE_PPROF=0
elif [ -n "${PPROF:-}" ]; then
    read -r -a PPROF_CMD <<<"$PPROF"
elif command -v go >/dev/null 2>&1; then
    tooldir=$(go env GOTOOLDIR 2>/dev/null || true)
    if [ -n "$tooldir" ] && [ -x "$tooldir/pprof" ]; then
        # the tool binary itself: `go tool` would add its own start-up
        PPROF_CMD=("$tooldir/pprof")
    else
        PPROF_CMD=(go tool pprof)
    fi
else
    HAVE_PPROF=0
    log "run.sh: go not found; pprof columns will show n/a"
fi

# ---- measuring ---------------------------------------------------------------
# run_timed TAG STDOUT-FILE OK-CODES CMD...
# sets R_WALL (seconds), R_CPU (user + sys seconds), R_RSS (MB),
# R_STATUS (ok | timeout | error(N)); OK-CODES: exit codes that count as
# success, comma-separated (cprof diff exits 1 when it finds a regression).
run_timed() {
    local tag=$1 out=$2 okc=$3
    shift 3
    local tf="$OUTDIR/$tag.time" ef="$OUTDIR/$tag.stderr"
    local t0 t1 rc
    t0=$(date +%s%N)
    /usr/bin/time -v -o "$tf" timeout -k 10 "$TIMEOUT" "$@" >"$out" 2>"$ef"
    rc=$?
    t1=$(date +%s%N)
    R_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
    R_RSS=$(awk -F': *' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$tf" 2>/dev/null)
    R_CPU=$(awk -F': *' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$tf" 2>/dev/null)
    [ -n "$R_RSS" ] || R_RSS="?"
    [ -n "$R_CPU" ] || R_CPU="?"
    case ",$okc," in
        *",$rc,"*) R_STATUS=ok ;;
        *)
            case $rc in
                124|137) R_STATUS=timeout ;;
                *) R_STATUS="error($rc)" ;;
            esac
            ;;
    esac
    if [ "$R_STATUS" != ok ]; then
        log "    -> $R_STATUS after ${R_WALL}s (stderr: $ef)"
    else
        log "    -> ${R_WALL}s wall, ${R_CPU}s CPU, ${R_RSS} MB"
    fi
}

# cell text for a result
wall_cell() {
    case $1 in
        ok) printf '%s' "$2" ;;
        timeout) printf 'timeout (>%s)' "$TIMEOUT" ;;
        *) printf '%s' "$1" ;;
    esac
}
rss_cell() {
    case $1 in
        ok) printf '%s' "$2" ;;
        timeout) printf '>=%s' "$2" ;;
        *) printf 'n/a' ;;
    esac
}
# ratio_cell PPROF-STATUS PPROF-VALUE CPROF-STATUS CPROF-VALUE
ratio_cell() {
    if [ "$3" != ok ] || { [ "$1" != ok ] && [ "$1" != timeout ]; }; then
        printf 'n/a'
        return
    fi
    awk -v p="$2" -v c="$4" -v t="$1" 'BEGIN {
        if (p == "?" || c == "?" || c + 0 <= 0) { printf "n/a"; exit }
        printf "%s%.1fx", (t == "timeout" ? ">=" : ""), p / c
    }'
}
# floor_cell VALUE FLOOR: VALUE / FLOOR as "N.Nx"
floor_cell() {
    awk -v c="$1" -v f="$2" 'BEGIN {
        if (c == "?" || f == "?" || f + 0 <= 0) { printf "n/a"; exit }
        printf "%.1fx", c / f
    }'
}

NPROC=$(nproc 2>/dev/null || echo '?')
mib() { awk -v b="$(cat "$@" | wc -c)" 'BEGIN { printf "%.1f", b / 1048576 }'; }
SIZE_MB=$(mib "$PROF")
MANY_MB=$(mib "${MANY[@]}")
RESULTS=$OUTDIR/results-$TAG.md
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')

ROWS=()
log "profile: $PROF ($SIZE_MB MiB gzipped); timeout ${TIMEOUT}s; $NPROC CPUs; load $LOAD0"

# floors: inflating the inputs and nothing else (gzip -dc), per input set
declare -A FLOOR_CPU
floor() {
    local key=$1 label=$2
    shift 2
    log "floor $key: gzip -dc"
    run_timed "floor-$key-$TAG" /dev/null 0 gzip -dc "$@"
    FLOOR_CPU[$key]=$R_CPU
    ROWS+=("| floor: \`gzip -dc\` $label | $(wall_cell "$R_STATUS" "$R_WALL") | $R_CPU | $(rss_cell "$R_STATUS" "$R_RSS") | 1.0x | - | - | - | - | - | - |")
}
floor one "(1 profile)" "$PROF"
floor two "(2 profiles)" "$PROF" "$PROF2"
floor many "($NMANY small profiles)" "${MANY[@]}"

TOP_CPROF=$OUTDIR/top-$TAG.cprof.txt
TOP_PPROF=$OUTDIR/top-$TAG.pprof.txt
rm -f "$TOP_CPROF" "$TOP_PPROF" "$OUTDIR/top-$TAG.diff"
TOP_CPROF_OK=0
TOP_PPROF_OK=0

# bench LABEL SLUG INPUTS CPROF-ARGS PPROF-ARGS
#   INPUTS: one | two | many (which files, and which floor);
#   CPROF-ARGS / PPROF-ARGS: flags, space-separated; PPROF-ARGS "-" means
#   pprof has no such output.
bench() {
    local label=$1 slug=$2 inputs=$3 cargs pargs files okc=0
    read -r -a cargs <<<"$4"
    read -r -a pargs <<<"$5"
    case $inputs in
        one) files=("$PROF") ;;
        two) files=("$PROF" "$PROF2") ;;
        many) files=("${MANY[@]}") ;;
    esac
    local cs=na cw='' cc='' cr='' ps=na pw='' pc='' pr=''
    [ "$NO_PPROF" = 1 ] && ps=skipped
    [ "$5" = "-" ] && ps=none
    [ "$slug" = diff ] && okc=0,1

    if [ "$HAVE_CPROF" = 1 ]; then
        local out=/dev/null
        [ "$slug" = top ] && out=$TOP_CPROF
        log "cprof $label"
        run_timed "cprof-$slug-$TAG" "$out" "$okc" "$CPROF" "${cargs[@]}" "${files[@]}"
        cs=$R_STATUS cw=$R_WALL cc=$R_CPU cr=$R_RSS
        [ "$slug" = top ] && [ "$cs" = ok ] && TOP_CPROF_OK=1
    fi

    if [ "$HAVE_PPROF" = 1 ] && [ "$ps" = na ]; then
        if [ "$slug" = traces ] && [ "$NO_PPROF_TRACES" = 1 ]; then
            ps=skipped
        elif [ -n "$PPROF_CASES" ] && [[ ",$PPROF_CASES," != *",$slug,"* ]]; then
            ps=skipped
        else
            local pout=/dev/null pfiles=("${files[@]}")
            [ "$slug" = top ] && pout=$TOP_PPROF
            # pprof's form of a diff: -diff_base=BASE NEW
            [ "$slug" = diff ] && pfiles=("-diff_base=$PROF" "$PROF2")
            log "pprof $label"
            run_timed "pprof-$slug-$TAG" "$pout" 0 "${PPROF_CMD[@]}" "${pargs[@]}" "${pfiles[@]}"
            ps=$R_STATUS pw=$R_WALL pc=$R_CPU pr=$R_RSS
            [ "$slug" = top ] && [ "$ps" = ok ] && TOP_PPROF_OK=1
        fi
    fi

    local ccells pcells
    if [ "$cs" = na ]; then
        ccells="n/a | n/a | n/a | n/a"
    else
        local fl='n/a'
        [ "$cs" = ok ] && fl=$(floor_cell "$cc" "${FLOOR_CPU[$inputs]}")
        ccells="$(wall_cell "$cs" "$cw") | $cc | $(rss_cell "$cs" "$cr") | $fl"
    fi
    case $ps in
        na) pcells="n/a | n/a | n/a" ;;
        skipped) pcells="skipped | skipped | skipped" ;;
        none) pcells="- | - | -" ;;
        *) pcells="$(wall_cell "$ps" "$pw") | $pc | $(rss_cell "$ps" "$pr")" ;;
    esac
    ROWS+=("| $label | $ccells | $pcells | $(ratio_cell "$ps" "$pw" "$cs" "$cw") | $(ratio_cell "$ps" "$pc" "$cs" "$cc") | $(ratio_cell "$ps" "$pr" "$cs" "$cr") |")
}

bench '`-top`' top one "-top" "-top"
bench '`-text -cum`' text_cum one "-text -cum" "-text -cum"
bench '`-traces`' traces one "-traces" "-traces"
bench '`-dot`' dot one "-dot" "-dot"
bench '`-svg` (pprof: needs the `dot` program)' svg one "-svg" "-"
bench '`-list=Sort79`' list one "-list=Sort79" "-list=Sort79"
bench '`-folded` (cprof only)' folded one "-folded" "-"
bench '`-flame` (cprof only)' flame one "-flame" "-"
bench "\`-top\`, $NMANY profiles merged" merge many "-top" "-top"
bench '`cprof diff` (pprof: `-top -diff_base`)' diff two "diff" "-top"

# ---- report ------------------------------------------------------------------
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
{
    echo "Profiles: \`$PROF\` ($SIZE_MB MiB gzipped; \`$PROF2\` for the diff), $NMANY small profiles ($MANY_MB MiB in all); $NPROC CPUs; load average before $LOAD0, after $LOAD1; timeout ${TIMEOUT}s"
    echo
    echo "| case | cprof wall s | cprof CPU s | cprof peak RSS MB | cprof CPU ÷ floor CPU | pprof wall s | pprof CPU s | pprof peak RSS MB | speed ratio (wall) | speed ratio (CPU) | memory ratio |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for r in "${ROWS[@]}"; do
        echo "$r"
    done
    echo
    if [ "$TOP_CPROF_OK" = 1 ] && [ "$TOP_PPROF_OK" = 1 ]; then
        if cmp -s "$TOP_CPROF" "$TOP_PPROF"; then
            echo "-top output: identical (cprof vs pprof)"
        else
            diff -u "$TOP_PPROF" "$TOP_CPROF" >"$OUTDIR/top-$TAG.diff"
            n=$(grep -c '^[-+][^-+]' "$OUTDIR/top-$TAG.diff" || true)
            echo "-top output: DIFFERENT ($n changed lines; see $OUTDIR/top-$TAG.diff)"
        fi
    else
        echo "-top output: not compared (needs both cprof and pprof to succeed)"
    fi
} | tee "$RESULTS"
log "(table saved in $RESULTS)"
