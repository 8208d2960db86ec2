#!/usr/bin/env bash
# bench/run.sh: time cprof against `go tool pprof` on a large synthetic profile.
#
# usage: bench/run.sh [--quick] [--no-pprof] [--no-pprof-traces] [--timeout SECONDS]
#
#   --quick             use a 100,000-sample profile (bench/out/small.pb.gz)
#                       instead of the 1,000,000-sample one (bench/out/big.pb.gz)
#   --no-pprof          do not run pprof at all
#   --no-pprof-traces   skip pprof for the -traces case (it is very slow)
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
TIMEOUT=300

usage() {
    sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --no-pprof) NO_PPROF=1 ;;
        --no-pprof-traces) NO_PPROF_TRACES=1 ;;
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

# ---- the profile ----------------------------------------------------------
if [ "$QUICK" = 1 ]; then
    PROF=$OUTDIR/small.pb.gz
    GENARGS=(-samples 100000)
    TAG=quick
else
    PROF=$OUTDIR/big.pb.gz
    GENARGS=()
    TAG=full
fi

if [ ! -s "$PROF" ]; then
    if [ ! -x "$GENPROF" ]; then
        log "run.sh: $PROF does not exist and the generator $GENPROF is not built."
        log "        build it (cmake -S . -B build && cmake --build build --target genprof)"
        log "        or point GENPROF at it."
        exit 1
    fi
    log "generating $PROF ..."
    if ! "$GENPROF" "${GENARGS[@]}" "$PROF.tmp"; then
        rm -f "$PROF.tmp"
        log "run.sh: $GENPROF failed"
        exit 1
    fi
    mv "$PROF.tmp" "$PROF"
fi

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
# run_timed TAG STDOUT-FILE CMD...
# sets R_WALL (seconds), R_RSS (MB), R_STATUS (ok | timeout | error(N))
run_timed() {
    local tag=$1 out=$2
    shift 2
    local tf="$OUTDIR/$tag.time" ef="$OUTDIR/$tag.stderr"
    local t0 t1 rc
    t0=$(date +%s%N)
    /usr/bin/time -v -o "$tf" timeout -k 10 "$TIMEOUT" "$@" >"$out" 2>"$ef"
    rc=$?
    t1=$(date +%s%N)
    R_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
    R_RSS=$(awk -F': *' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$tf" 2>/dev/null)
    [ -n "$R_RSS" ] || R_RSS="?"
    case $rc in
        0) R_STATUS=ok ;;
        124|137) R_STATUS=timeout ;;
        *) R_STATUS="error($rc)" ;;
    esac
    if [ "$R_STATUS" != ok ]; then
        log "    -> $R_STATUS after ${R_WALL}s (stderr: $ef)"
    else
        log "    -> ${R_WALL}s, ${R_RSS} MB"
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

NPROC=$(nproc 2>/dev/null || echo '?')
SIZE_MB=$(awk -v b="$(wc -c <"$PROF")" 'BEGIN { printf "%.1f", b / 1048576 }')
RESULTS=$OUTDIR/results-$TAG.md

ROWS=()
log "profile: $PROF ($SIZE_MB MiB gzipped); timeout ${TIMEOUT}s; $NPROC CPUs"

# floor: inflating the file and nothing else
log "floor: gzip -dc"
run_timed "floor-$TAG" /dev/null gzip -dc "$PROF"
ROWS+=("| floor: \`gzip -dc\` (inflate only) | $(wall_cell "$R_STATUS" "$R_WALL") | $(rss_cell "$R_STATUS" "$R_RSS") | - | - | - | - |")

CASES=("-top" "-text -cum" "-traces")
TOP_CPROF=$OUTDIR/top-$TAG.cprof.txt
TOP_PPROF=$OUTDIR/top-$TAG.pprof.txt
rm -f "$TOP_CPROF" "$TOP_PPROF" "$OUTDIR/top-$TAG.diff"
TOP_CPROF_OK=0
TOP_PPROF_OK=0

for c in "${CASES[@]}"; do
    read -r -a args <<<"$c"
    slug=$(printf '%s' "$c" | LC_ALL=C tr -c '[:lower:]' '_' | sed 's/^_*//; s/_*$//')
    cs=na cw='' cr=''
    ps=na pw='' pr=''
    [ "$NO_PPROF" = 1 ] && ps=skipped

    if [ "$HAVE_CPROF" = 1 ]; then
        out=/dev/null
        [ "$c" = "-top" ] && out=$TOP_CPROF
        log "cprof $c"
        run_timed "cprof-$slug-$TAG" "$out" "$CPROF" "${args[@]}" "$PROF"
        cs=$R_STATUS cw=$R_WALL cr=$R_RSS
        [ "$c" = "-top" ] && [ "$cs" = ok ] && TOP_CPROF_OK=1
    fi

    if [ "$HAVE_PPROF" = 1 ]; then
        if [ "$c" = "-traces" ] && [ "$NO_PPROF_TRACES" = 1 ]; then
            ps=skipped
        else
            out=/dev/null
            [ "$c" = "-top" ] && out=$TOP_PPROF
            log "pprof $c"
            run_timed "pprof-$slug-$TAG" "$out" "${PPROF_CMD[@]}" "${args[@]}" "$PROF"
            ps=$R_STATUS pw=$R_WALL pr=$R_RSS
            [ "$c" = "-top" ] && [ "$ps" = ok ] && TOP_PPROF_OK=1
        fi
    fi

    if [ "$cs" = na ]; then
        ccells="n/a | n/a"
    else
        ccells="$(wall_cell "$cs" "$cw") | $(rss_cell "$cs" "$cr")"
    fi
    if [ "$ps" = na ] || [ "$ps" = skipped ]; then
        v=n/a
        [ "$ps" = skipped ] && v=skipped
        pcells="$v | $v"
    else
        pcells="$(wall_cell "$ps" "$pw") | $(rss_cell "$ps" "$pr")"
    fi
    ROWS+=("| \`$c\` | $ccells | $pcells | $(ratio_cell "$ps" "$pw" "$cs" "$cw") | $(ratio_cell "$ps" "$pr" "$cs" "$cr") |")
done

# outputs pprof does not have: cprof alone
for c in "-folded" "-flame"; do
    [ "$HAVE_CPROF" = 1 ] || break
    slug=${c#-}
    log "cprof $c"
    run_timed "cprof-$slug-$TAG" /dev/null "$CPROF" "$c" "$PROF"
    ROWS+=("| \`$c\` (cprof only) | $(wall_cell "$R_STATUS" "$R_WALL") | $(rss_cell "$R_STATUS" "$R_RSS") | - | - | - | - |")
done

# ---- report ------------------------------------------------------------------
{
    echo "Profile: \`$PROF\` ($SIZE_MB MiB gzipped), $NPROC CPUs, timeout ${TIMEOUT}s"
    echo
    echo "| case | cprof wall s | cprof peak RSS MB | pprof wall s | pprof peak RSS MB | speed ratio | memory ratio |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
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
