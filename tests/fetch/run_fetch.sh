#!/usr/bin/env bash
# run_fetch.sh NAME - one case of tests/fetch/cases.txt: profiles fetched
# from servers on 127.0.0.1, started by the case and ending by themselves.
#
# The server is testdata/gen/fetchserver (a Go program, built once per
# build directory into $FETCH_DIR): the Go runtime's net/http/pprof
# handlers of its own busy process (/debug/pprof/...), the recorded
# profiles of testdata/go with a symbol handler for their binary
# (/rec/debug/pprof/<file>), misbehaving answers (/bad/...), and https
# with a CA made at start (-tls), one port of it requiring a client
# certificate.
#
# Kinds of cases (the functions below, named by the case):
#   static_*   cprof and go tool pprof on the same URL: stdout byte for byte,
#              stderr too (the save directories named alike), and the saved
#              copies read back by go tool pprof the same (-raw)
#   live_*     the live handlers (each answer differs): cprof's report of
#              the URL equals go tool pprof's, and cprof's, on the copy
#              cprof saved; go tool pprof's saved copy reads the same in cprof
#   tls_*      https: -tls_ca, https+insecure://, -tls_cert/-tls_key
#   err_*      one line "cprof: error: <source>: <what>", exit 2, nothing on
#              standard output, nothing saved
#   urls_*     tests/fetch/urls.txt through cprof (tests/tools/urlcheck.c)
#              and Go's net/url (fetchserver -urls), line by line
#
# Every command runs under timeout; the server exits after -life, and is
# killed when the case ends. Exit: 0 pass, 1 fail, 77 skipped (no go).
set -u
name=${1:?usage: run_fetch.sh NAME}
src=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
cprof=${CPROF:?CPROF must name the cprof binary}
fetchdir=${FETCH_DIR:-$src/build/fetch}
export LC_ALL=C TZ=UTC
unset PPROF_BINARY_PATH PPROF_TOOLS http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY

command -v go >/dev/null 2>&1 || { echo "skipped: go not found (Debian package golang-go)"; [ "${CPROF_TEST_STRICT:-0}" = 1 ] && exit 1; exit 77; }
pprof_tool="$(go env GOTOOLDIR)/pprof"
[ -x "$pprof_tool" ] || { echo "skipped: $pprof_tool not found"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cprof-fetch.XXXXXX")
srv_pid=
cleanup() {
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
	echo "FAIL $name: $*"
	exit 1
}

# The server, built once (several cases start at once).
server=$fetchdir/fetchserver
mkdir -p "$fetchdir"
(
	flock 9
	if [ ! -x "$server" ] || [ "$src/testdata/gen/fetchserver/main.go" -nt "$server" ]; then
		(cd "$src/testdata/gen" && GO111MODULE=on GOFLAGS= HOME=${HOME:-$tmp} \
			go build -buildvcs=false -o "$server.tmp" ./fetchserver) && mv "$server.tmp" "$server"
	fi
) 9>"$fetchdir/.lock"
[ -x "$server" ] || fail "cannot build testdata/gen/fetchserver"

# start_server [ARGS]: HTTP, HTTPS and MTLS are its ports; $tmp/tls its CA and client certificate.
start_server() {
	mkdir -p "$tmp/tls"
	"$server" -dir "$src/testdata/go:$src/testdata/goroutines" -bin "$src/testdata/go/workload" -ports "$tmp/ports" \
		-tls "$tmp/tls" -life 90s "$@" >"$tmp/server.log" 2>&1 &
	srv_pid=$!
	for _ in $(seq 100); do
		[ -s "$tmp/ports" ] && break
		sleep 0.1
	done
	[ -s "$tmp/ports" ] || fail "the server did not start: $(cat "$tmp/server.log")"
	HTTP=$(awk '$1 == "http" { print $2 }' "$tmp/ports")
	HTTPS=$(awk '$1 == "https" { print $2 }' "$tmp/ports")
	MTLS=$(awk '$1 == "mtls" { print $2 }' "$tmp/ports")
	H=127.0.0.1:$HTTP
}

# run WHO OUT ARGS...: WHO is c (cprof) or p (go tool pprof); stdout to
# $tmp/OUT, stderr to $tmp/OUT.err, exit status to $tmp/OUT.rc; copies are
# saved in $tmp/save_WHO ($HOME is $tmp/home_WHO).
run() {
	local who=$1 out=$2
	shift 2
	local bin=$cprof
	[ "$who" = p ] && bin=$pprof_tool
	mkdir -p "$tmp/save_$who" "$tmp/home_$who"
	HOME=$tmp/home_$who PPROF_TMPDIR=${SAVE_DIR:-$tmp/save_$who} timeout 60 "$bin" "$@" \
		</dev/null >"$tmp/$out" 2>"$tmp/$out.err"
	echo $? >"$tmp/$out.rc"
}

rc_of() { cat "$tmp/$1.rc"; }

same() { # same A B WHAT: files equal, or fail with the diff
	cmp -s "$1" "$2" || fail "$3 differ:
$(diff -u "$1" "$2" | head -40)"
}

# The one file saved by WHO (fails unless exactly one).
saved() {
	local n
	n=$(find "$tmp/save_$1" -type f | wc -l)
	[ "$n" = 1 ] || fail "$n files saved by $1, not 1: $(ls "$tmp/save_$1")"
	find "$tmp/save_$1" -type f
}

# stderr of OUT with the save directory of WHO written as SAVE, into $tmp/OUT.norm (sorted with SORT_ERR=1)
norm_err() {
	if [ "${SORT_ERR:-0}" = 1 ]; then # concurrent fetches: pprof's lines come in any order
		sed "s#$tmp/save_$1#SAVE#g" "$tmp/$2.err" | sort >"$tmp/$2.norm"
	else
		sed "s#$tmp/save_$1#SAVE#g" "$tmp/$2.err" >"$tmp/$2.norm"
	fi
}

# static ARGS...: cprof and go tool pprof on the same sources.
static() {
	run c c.out "$@"
	run p p.out "$@"
	[ "$(rc_of c.out)" = 0 ] || fail "cprof exit $(rc_of c.out): $(cat "$tmp/c.out.err")"
	[ "$(rc_of p.out)" = 0 ] || fail "go tool pprof exit $(rc_of p.out): $(cat "$tmp/p.out.err")"
	[ -s "$tmp/c.out" ] || fail "empty report"
	same "$tmp/p.out" "$tmp/c.out" "reports (go tool pprof, cprof)"
	norm_err p p.out
	norm_err c c.out
	same "$tmp/p.out.norm" "$tmp/c.out.norm" "standard errors"
	local sc sp
	sc=$(saved c)
	sp=$(saved p)
	[ "$(basename "$sc")" = "$(basename "$sp")" ] || fail "saved as $(basename "$sc"), pprof: $(basename "$sp")"
	run p c.raw -raw "$sc"
	run p p.raw -raw "$sp"
	same "$tmp/p.raw" "$tmp/c.raw" "saved copies (go tool pprof -raw)"
}

# live FORMAT URL [ARGS]: cprof on the URL against both tools on cprof's saved copy.
live() {
	local fmt=$1 url=$2
	shift 2
	run c c.out "$fmt" "$@" "$url"
	[ "$(rc_of c.out)" = 0 ] || fail "cprof exit $(rc_of c.out): $(cat "$tmp/c.out.err")"
	[ -s "$tmp/c.out" ] || fail "empty report"
	grep -q "^Fetching profile over HTTP from " "$tmp/c.out.err" || fail "no Fetching line: $(cat "$tmp/c.out.err")"
	grep -q "^Saved profile in $tmp/save_c/pprof\." "$tmp/c.out.err" || fail "no Saved line: $(cat "$tmp/c.out.err")"
	local sc
	sc=$(saved c)
	run p p.copy "$fmt" "$@" "$sc"
	run c c.copy "$fmt" "$@" "$sc"
	same "$tmp/p.copy" "$tmp/c.out" "go tool pprof on the saved copy, cprof on the URL"
	same "$tmp/c.copy" "$tmp/c.out" "cprof on the saved copy, cprof on the URL"
	if [ "${BOTH_WAYS:-1}" = 1 ]; then
		run p p.out "$fmt" "$@" "$url"
		[ "$(rc_of p.out)" = 0 ] || fail "go tool pprof exit $(rc_of p.out): $(cat "$tmp/p.out.err")"
		local sp
		sp=$(saved p)
		run c c.pcopy "$fmt" "$@" "$sp"
		same "$tmp/p.out" "$tmp/c.pcopy" "go tool pprof on the URL, cprof on its saved copy"
	fi
}

# err EXPECTED ARGS...: exactly one error line, matching the pattern
# "cprof: error: EXPECTED", exit 2, no report, nothing saved.
err() {
	local want=$1
	shift
	run c c.out "$@"
	local rc
	rc=$(rc_of c.out)
	[ "$rc" = 2 ] || fail "exit $rc, not 2: $(cat "$tmp/c.out.err")"
	[ -s "$tmp/c.out" ] && fail "standard output not empty: $(head -3 "$tmp/c.out")"
	[ "$(grep -c '^cprof: error: ' "$tmp/c.out.err")" = 1 ] || fail "not one error line: $(cat "$tmp/c.out.err")"
	grep -v '^Fetching profile over HTTP from \|^Please wait' "$tmp/c.out.err" >"$tmp/c.rest"
	[ "$(wc -l <"$tmp/c.rest")" = 1 ] || fail "more than the error: $(cat "$tmp/c.out.err")"
	grep -q "^cprof: error: $want\$" "$tmp/c.rest" || fail "error line: $(cat "$tmp/c.rest"), wanted: cprof: error: $want"
	[ -z "$(find "$tmp/save_c" -mindepth 1)" ] || fail "left behind: $(find "$tmp/save_c" -mindepth 1)"
}

# timed MIN MAX CMD...: CMD took between MIN and MAX seconds
timed() {
	local min=$1 max=$2 t0 t1
	shift 2
	t0=$(date +%s.%N)
	"$@"
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" -v lo="$min" -v hi="$max" 'BEGIN { d = b - a; exit !(d >= lo && d <= hi) }' ||
		fail "took $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s, not between $min and $max"
}

R=/rec/debug/pprof
case $name in
urls_default | urls_seconds | urls_timeout | urls_zero)
	urlcheck=${URLCHECK:?URLCHECK must name cprof_urlcheck}
	case $name in
	urls_default) a=(-1 -1) ;;
	urls_seconds) a=(30 -1) ;;
	urls_timeout) a=(-1 10) ;;
	urls_zero) a=(5 0) ;;
	esac
	{ cat "$src/tests/fetch/urls.txt"; printf 'http://h/\001x\n'; } >"$tmp/urls"
	"$server" -urls -seconds "${a[0]}" -timeout "${a[1]}" <"$tmp/urls" >"$tmp/go.tsv" || fail "fetchserver -urls"
	"$urlcheck" "${a[@]}" <"$tmp/urls" >"$tmp/cprof.tsv" || fail "urlcheck"
	[ "$(wc -l <"$tmp/go.tsv")" -gt 60 ] || fail "too few lines"
	same "$tmp/go.tsv" "$tmp/cprof.tsv" "URLs (Go's net/url, cprof)"
	;;

# ---- recorded profiles: cprof and go tool pprof on the same URL ----
static_cpu) start_server && static -top "http://$H$R/cpu.pb.gz" ;;
static_cpu_text_cum) start_server && static -text -cum -nodecount=12 "http://$H$R/cpu.pb.gz" ;;
static_cpu2_traces) start_server && static -traces "http://$H$R/cpu2.pb.gz" ;;
static_heap_proto) start_server && static -top -sample_index=alloc_space "http://$H$R/heap.pb.gz" ;;
static_hostport) start_server && static -top "$H$R/block.pb.gz" ;;
static_query) start_server && static -top "http://$H$R/mutex.pb.gz?z=1&debug=0&a=x+y" ;;
# Go's debug=1 text: no mappings; named by the server's symbol handler (symbolz)
static_heap_text) start_server && static -top "http://$H$R/heap.txt" ;;
static_goroutine_text) start_server && static -traces "http://$H$R/goroutine.txt" ;;
static_allocs_text_tree) start_server && static -tree "http://$H$R/allocs.txt" ;;
static_block_text_remote) start_server && static -top -symbolize=remote "http://$H$R/block.txt" ;;
static_heap_text_none) start_server && static -top -symbolize=none "http://$H$R/heap.txt" ;;
static_raw) start_server && static -raw "http://$H$R/mutex.txt" ;;
# gperftools profiles: mappings with files; what local symbolization leaves, the server names
# (-symbolize=remote: local symbolization of libc differs, see cprof(1) SYMBOLIZATION)
static_gperf_cpu) start_server -dir "$src/testdata/gperf" -bin "$src/testdata/gperf/cperf" && static -symbolize=remote -top "http://$H/rec/cpu.prof" ;;
static_gperf_heap) start_server -dir "$src/testdata/gperf" -bin "$src/testdata/gperf/cperf" && static -symbolize=remote -top "http://$H/rec/pprof/heap/heap.live.heap" ;;
static_content_encoding) # a body sent gzip-encoded: decoded on the way, as Go's client does
	start_server && static -top "http://$H/bad/gzipenc/heap.txt" ;;
static_mixed) start_server && static -top "http://$H$R/cpu.pb.gz" "$src/testdata/go/cpu2.pb.gz" ;;
static_two_urls) start_server && SORT_ERR=1 static -top "http://$H$R/cpu.pb.gz" "http://$H$R/cpu2.pb.gz" ;;
static_base_url) start_server && static -top -base="http://$H$R/cpu.pb.gz" "$src/testdata/go/cpu2.pb.gz" ;;
static_diff_base_urls) start_server && SORT_ERR=1 static -top -diff_base="http://$H$R/cpu2.pb.gz" "http://$H$R/cpu.pb.gz" ;;
static_concurrent) # sources and base fetched at once: three answers 2 s late take 2 s
	start_server
	timed 1.9 3.9 run c c.out -top -base="http://$H/bad/slow/2000/cpu2.pb.gz" "http://$H/bad/slow/2000/cpu.pb.gz" \
		"http://$H/bad/slow/2000/cpu2.pb.gz"
	run p p.out -top -base="http://$H/bad/slow/2000/cpu2.pb.gz" "http://$H/bad/slow/2000/cpu.pb.gz" \
		"http://$H/bad/slow/2000/cpu2.pb.gz"
	[ "$(rc_of c.out)" = 0 ] || fail "exit $(rc_of c.out): $(cat "$tmp/c.out.err")"
	same "$tmp/p.out" "$tmp/c.out" "reports"
	;;
static_one_fails) # a warning, and the rest goes on
	start_server && SORT_ERR=1 static -top "http://$H$R/cpu.pb.gz" "http://$H/bad/status/404"
	grep -qx "http://$H/bad/status/404: server response: 404 Not Found" "$tmp/c.out.err" || fail "no warning"
	grep -qx "Fetched 1 source profiles out of 2" "$tmp/c.out.err" || fail "no count"
	;;
static_add_comment) start_server && static -comments -add_comment=fetched "http://$H$R/cpu.pb.gz" ;;
static_exec) # the binary named first
	start_server && static -top "$src/testdata/go/workload" "http://$H$R/cpu.pb.gz" ;;
static_insecure_pprof) # go tool pprof's own https+insecure:// fetch
	start_server && static -top "https+insecure://127.0.0.1:$HTTPS$R/cpu.pb.gz" ;;
static_tmpdir_file) # PPROF_TMPDIR is a file: "Could not use temp dir", then $HOME/pprof
	start_server
	: >"$tmp/notadir"
	SAVE_DIR=$tmp/notadir run c c.out -top "http://$H$R/cpu.pb.gz"
	SAVE_DIR=$tmp/notadir run p p.out -top "http://$H$R/cpu.pb.gz"
	same "$tmp/p.out" "$tmp/c.out" "reports"
	sed "s#$tmp/home_p#HOME#g" "$tmp/p.out.err" >"$tmp/p.norm"
	sed "s#$tmp/home_c#HOME#g" "$tmp/c.out.err" >"$tmp/c.norm"
	same "$tmp/p.norm" "$tmp/c.norm" "standard errors"
	grep -q "^Could not use temp dir $tmp/notadir: mkdir $tmp/notadir: not a directory$" "$tmp/c.out.err" ||
		fail "no temp dir warning: $(cat "$tmp/c.out.err")"
	[ -f "$tmp/home_c/pprof/pprof.workload.samples.cpu.001.pb.gz" ] || fail "not saved in \$HOME/pprof"
	;;
static_numbering) # a second fetch is saved as .002
	start_server
	run c c.out -top "http://$H$R/cpu.pb.gz"
	run c c.out -top "http://$H$R/cpu.pb.gz"
	grep -qx "Saved profile in $tmp/save_c/pprof.workload.samples.cpu.002.pb.gz" "$tmp/c.out.err" ||
		fail "$(cat "$tmp/c.out.err")"
	;;
static_debug2) # a goroutine dump (pprof reads none): as cprof reads the same file
	start_server
	run c c.out -top "http://$H/rec/debug/pprof/dump_debug2.txt?debug=2"
	[ "$(rc_of c.out)" = 0 ] || fail "exit $(rc_of c.out): $(cat "$tmp/c.out.err")"
	run c c.file -top "$src/testdata/goroutines/dump_debug2.txt"
	same "$tmp/c.file" "$tmp/c.out" "the dump fetched and read from its file"
	run c c.copy -top "$(saved c)"
	same "$tmp/c.file" "$tmp/c.copy" "the dump from its file and the saved copy"
	;;
static_shell) # the shell on a fetched session: the same transcript as pprof's
	start_server
	printf 'top5\ntraces\nsample_index=alloc_space\ntop3 -cum\nquit\n' >"$tmp/in"
	for who in c p; do
		bin=$cprof
		[ "$who" = p ] && bin=$pprof_tool
		mkdir -p "$tmp/save_$who" "$tmp/home_$who"
		HOME=$tmp/home_$who PPROF_TMPDIR=$tmp/save_$who timeout 60 "$bin" "http://$H$R/heap.txt" <"$tmp/in" \
			>"$tmp/$who.out" 2>"$tmp/$who.out.err" || fail "$who exit $?: $(cat "$tmp/$who.out.err")"
		norm_err "$who" "$who.out"
	done
	grep -q "Showing nodes accounting for" "$tmp/c.out" || fail "no report: $(head "$tmp/c.out")"
	same "$tmp/p.out" "$tmp/c.out" "transcripts"
	same "$tmp/p.out.norm" "$tmp/c.out.norm" "standard errors"
	;;

# ---- the live net/http/pprof handlers of the server ----
live_cpu_seconds) # -seconds=1 on the server's root: ?seconds=1 of /debug/pprof/profile
	start_server
	BOTH_WAYS=0 timed 0.9 20 live -top "$H" -seconds=1
	grep -qx "Fetching profile over HTTP from http://$H/debug/pprof/profile?seconds=1" "$tmp/c.out.err" || fail "URL: $(cat "$tmp/c.out.err")"
	grep -qx "Please wait... (1s)" "$tmp/c.out.err" || fail "no wait message"
	grep -q "crypto/sha256\|main\.spin" "$tmp/c.out" || fail "not the server's work: $(head -12 "$tmp/c.out")"
	;;
live_cpu_url_seconds) start_server && BOTH_WAYS=0 live -traces "http://$H/debug/pprof/profile?seconds=1" ;;
live_heap) start_server && live -top "http://$H/debug/pprof/heap" -sample_index=alloc_space ;;
live_allocs_text) start_server && live -top "http://$H/debug/pprof/allocs?debug=1" ;;
live_goroutine_text) # debug=1: named by the server's symbol handler
	start_server && live -traces "http://$H/debug/pprof/goroutine?debug=1"
	grep -q "main\.work" "$tmp/c.out" || fail "no symbols from the server: $(head -20 "$tmp/c.out")"
	;;
live_goroutine_remote) start_server && live -top "http://$H/debug/pprof/goroutine?debug=1" -symbolize=remote ;;
live_goroutine_dump) # debug=2 (pprof reads none): the saved copy reads the same
	start_server
	run c c.out -top "http://$H/debug/pprof/goroutine?debug=2"
	[ "$(rc_of c.out)" = 0 ] || fail "exit $(rc_of c.out): $(cat "$tmp/c.out.err")"
	run c c.copy -top "$(saved c)"
	same "$tmp/c.copy" "$tmp/c.out" "the dump and its saved copy"
	run p p.copy -top "$(saved c)"
	same "$tmp/p.copy" "$tmp/c.out" "go tool pprof on the saved copy"
	grep -q "main\.work" "$tmp/c.out" || fail "not the server's goroutines: $(head "$tmp/c.out")"
	;;
live_allocs_delta) # -seconds on another profile: Go's handler answers the growth over that time
	start_server && BOTH_WAYS=0 timed 0.9 20 live -top "http://$H/debug/pprof/allocs" -seconds=1
	grep -qx "Fetching profile over HTTP from http://$H/debug/pprof/allocs?seconds=1" "$tmp/c.out.err" || fail "URL: $(cat "$tmp/c.out.err")"
	;;
live_mutex) start_server && live -top "http://$H/debug/pprof/mutex" ;;
live_block_text) start_server && live -top "http://$H/debug/pprof/block?debug=1" ;;
live_threadcreate) start_server && live -raw "http://$H/debug/pprof/threadcreate" ;;
live_symbol_post) # the symbol handler itself, as pprof's symbolz client uses it
	start_server
	run c c.out -symbolize=remote -raw "http://$H/debug/pprof/goroutine?debug=1"
	grep -q "main\.work" "$tmp/c.out" || fail "no names: $(cat "$tmp/c.out.err")"
	run c c.local -symbolize=local -raw "http://$H/debug/pprof/goroutine?debug=1"
	grep -q "main\.work.*main.go" "$tmp/c.local" || fail "-symbolize=local: not the '#' lines"
	;;

# ---- https ----
tls_untrusted) start_server && err "https://127.0.0.1:$HTTPS$R/cpu.pb.gz: TLS: server certificate not trusted .*" -top "https://127.0.0.1:$HTTPS$R/cpu.pb.gz" ;;
tls_ca)
	start_server
	run c c.out -tls_ca="$tmp/tls/ca.pem" -top "https://127.0.0.1:$HTTPS$R/cpu.pb.gz"
	run c c.http -top "http://$H$R/cpu.pb.gz"
	[ "$(rc_of c.out)" = 0 ] || fail "exit $(rc_of c.out): $(cat "$tmp/c.out.err")"
	same "$tmp/c.http" "$tmp/c.out" "https and http"
	;;
tls_insecure)
	start_server
	run c c.out -top "https+insecure://127.0.0.1:$HTTPS$R/heap.txt"
	run p p.out -top "https+insecure://127.0.0.1:$HTTPS$R/heap.txt"
	[ "$(rc_of c.out)" = 0 ] || fail "exit $(rc_of c.out): $(cat "$tmp/c.out.err")"
	same "$tmp/p.out" "$tmp/c.out" "reports (symbols asked over https+insecure:// too)"
	;;
tls_client_cert)
	start_server
	run c c.out -tls_ca="$tmp/tls/ca.pem" -tls_cert="$tmp/tls/client.pem" -tls_key="$tmp/tls/client.key" \
		-top "https://127.0.0.1:$MTLS$R/heap.txt"
	[ "$(rc_of c.out)" = 0 ] || fail "exit $(rc_of c.out): $(cat "$tmp/c.out.err")"
	run p p.out -top "http://$H$R/heap.txt"
	same "$tmp/p.out" "$tmp/c.out" "reports"
	;;
tls_no_client_cert) start_server && err "https://127.0.0.1:$MTLS$R/cpu.pb.gz: TLS: .*" -tls_ca="$tmp/tls/ca.pem" -top "https://127.0.0.1:$MTLS$R/cpu.pb.gz" ;;
tls_key_alone) start_server && err "https://127.0.0.1:$MTLS/x: -tls_key is specified, so -tls_cert must also be specified" -tls_key="$tmp/tls/client.key" -top "https://127.0.0.1:$MTLS/x" ;;
tls_cert_alone) start_server && err "https://127.0.0.1:$MTLS/x: -tls_cert is specified, so -tls_key must also be specified" -tls_cert="$tmp/tls/client.pem" -top "https://127.0.0.1:$MTLS/x" ;;
tls_ca_missing) start_server && err "https://127.0.0.1:$HTTPS/x: could not load CA specified by -tls_ca: cannot open '$tmp/nope': no such file or directory" -tls_ca="$tmp/nope" -top "https://127.0.0.1:$HTTPS/x" ;;
tls_bad_cert) # a file that is no certificate
	start_server && echo junk >"$tmp/junk.pem" && err "https://127.0.0.1:$MTLS/x: TLS: cannot use the client certificate .*" -tls_cert="$tmp/junk.pem" -tls_key="$tmp/junk.pem" -top "https://127.0.0.1:$MTLS/x" ;;
tls_http_to_https) start_server && err "http://127.0.0.1:$HTTPS/x: server response: 400 Bad Request" -top "http://127.0.0.1:$HTTPS/x" ;;

# ---- errors ----
err_refused) err "http://127.0.0.1:1/debug/pprof/heap: cannot connect to 127.0.0.1 port 1: connection refused" -top http://127.0.0.1:1/debug/pprof/heap ;;
err_refused_hostport) err "127.0.0.1:1: cannot connect to 127.0.0.1 port 1: connection refused" -top 127.0.0.1:1 ;;
err_unknown_host) err "http://nosuch.invalid/x: unknown host 'nosuch.invalid'" -timeout=2 -top http://nosuch.invalid/x ;;
err_404) start_server && err "http://$H/bad/status/404: server response: 404 Not Found" -top "http://$H/bad/status/404" ;;
err_500_pprof) # a pprof handler's error: status and the first line of its body
	start_server && err "http://$H/bad/status/500/pprof: server response: 500 Internal Server Error - profile duration exceeds server's WriteTimeout" -top "http://$H/bad/status/500/pprof" ;;
err_503) start_server && err "http://$H/bad/status/503: server response: 503 Service Unavailable" -top "http://$H/bad/status/503" ;;
err_garbage) start_server && err "http://$H/bad/garbage: parsing profile: unrecognized profile format" -top "http://$H/bad/garbage" ;;
err_empty) start_server && err "http://$H/bad/empty: parsing profile: empty input file" -top "http://$H/bad/empty" ;;
err_cut) start_server && err "http://$H/bad/cut: response body cut short after [0-9]* bytes: unexpected EOF" -top "http://$H/bad/cut" ;;
err_nohttp) start_server && err "http://$H/bad/nohttp: malformed HTTP response .*" -top "http://$H/bad/nohttp" ;;
err_redirect_loop) start_server && err "http://$H/bad/loop: stopped after 10 redirects" -top "http://$H/bad/loop" ;;
err_endless) # past -max_input_size the transfer stops
	start_server && timed 0 20 err "http://$H/bad/endless: response body exceeds the limit of 1048576 bytes (-max_input_size)" -max_input_size=1M -top "http://$H/bad/endless" ;;
err_stall) # no answer: -timeout=1 and pprof's 5 s more
	start_server && timed 5.5 15 err "http://$H/bad/stall: timeout awaiting response headers after 6s (-timeout)" -timeout=1 -top "http://$H/bad/stall" ;;
err_stall_body) start_server && timed 5.5 15 err "http://$H/bad/stallbody: timeout reading the response body after 6s (-timeout)" -timeout=1 -top "http://$H/bad/stallbody" ;;
err_slow_drip) # a byte now and then: the whole transfer is bounded too
	start_server && timed 5.5 15 err "http://$H/bad/slowdrip: timeout reading the response body after 6s (-timeout)" -timeout=1 -top "http://$H/bad/slowdrip" ;;
err_seconds_timeout) # the timeout of -seconds=2: 3 s and 5 s more
	start_server && timed 7.5 15 err "http://$H/bad/stall: timeout awaiting response headers after 8s (-timeout)" -seconds=2 -top "http://$H/bad/stall" ;;
err_no_symbol_handler) # as pprof: remote symbolization that fails ends the run
	start_server && err "http post http://$H/nosym/debug/pprof/symbol: server response: 404 Not Found" -top "http://$H/nosym/debug/pprof/heap.txt" ;;
err_trace) # an execution trace is no profile (pprof says the same)
	start_server && timed 0.9 20 err "http://$H/debug/pprof/trace: parsing profile: unrecognized profile format" -seconds=1 -top "http://$H/debug/pprof/trace" ;;
err_all_fail) # each a warning, then the error
	start_server
	run c c.out -top "http://$H/bad/garbage" "http://$H/bad/status/404"
	[ "$(rc_of c.out)" = 2 ] || fail "exit $(rc_of c.out)"
	[ -s "$tmp/c.out" ] && fail "a report"
	grep -v '^Fetching profile' "$tmp/c.out.err" >"$tmp/c.rest"
	printf '%s\n' "http://$H/bad/garbage: parsing profile: unrecognized profile format" \
		"http://$H/bad/status/404: server response: 404 Not Found" \
		"cprof: error: failed to fetch any source profiles" >"$tmp/want"
	same "$tmp/want" "$tmp/c.rest" "messages"
	;;
err_base_fails) start_server && err "http://$H/bad/empty: parsing profile: empty input file" -top -base="http://$H/bad/empty" "$src/testdata/go/cpu.pb.gz" ;;
err_unsaveable) # nowhere to save: a warning, the report still made
	start_server
	: >"$tmp/f"
	HOME=$tmp/f PPROF_TMPDIR=$tmp/f TMPDIR=$tmp/f timeout 60 "$cprof" -top "http://$H$R/cpu.pb.gz" >"$tmp/c.out" 2>"$tmp/c.out.err" ||
		fail "exit $?: $(cat "$tmp/c.out.err")"
	grep -qx "Could not save profile: failed to identify temp dir" "$tmp/c.out.err" || fail "$(cat "$tmp/c.out.err")"
	[ -s "$tmp/c.out" ] || fail "no report"
	;;
*)
	echo "no case $name" >&2
	exit 1
	;;
esac
echo "ok $name"
