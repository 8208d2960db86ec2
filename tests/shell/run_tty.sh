#!/usr/bin/env bash
# The shell at a terminal, as a person uses it: cprof runs in a tmux pane,
# keys are sent with send-keys and the screen is read with capture-pane.
#
#   tests/shell/run_tty.sh CPROF CASE
#
# Cases: banner, complete_command, complete_option, complete_sample_type,
# complete_function, complete_value, history, ctrl_c_line, ctrl_c_command,
# ctrl_d, error_red. Each runs on its own tmux server, ends it, and gives
# up on any screen after 15 s. Exit status: 0 pass, 1 fail, 77 no tmux
# (tests/run.sh installs it).
set -u
cprof=$1
name=$2
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
td=$repo/testdata
case $cprof in /*) ;; *) cprof=$PWD/$cprof ;; esac
command -v tmux >/dev/null 2>&1 || { echo "run_tty.sh: tmux not found (Debian package tmux)" >&2; [ "${CPROF_TEST_STRICT:-0}" = 1 ] && exit 1; exit 77; }

tmp=$(mktemp -d /tmp/cprof-tty.XXXXXX)
sock=cprof-tty-$$
cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/home" "$tmp/cwd"

fail() {
	echo "FAIL $name: $*"
	echo "--- screen:"
	screen
	exit 1
}
screen() { tmux -L "$sock" capture-pane -p -t t 2>/dev/null; }

# start ARGS...: cprof ARGS in a fresh pane; the pane stays after cprof exits
start() {
	tmux -L "$sock" kill-server 2>/dev/null
	tmux -L "$sock" -f /dev/null new-session -d -s t -x 180 -y 50 \
		"cd '$tmp/cwd' && env HOME='$tmp/home' TERM=xterm LC_ALL=C TZ=UTC '$cprof' $* ; echo \"EXITED \$?\"; sleep 60" ||
		fail "tmux cannot start"
	wait_for '^\(pprof\)'
}
keys() { tmux -L "$sock" send-keys -t t "$@"; }
# wait_for REGEX: until a screen line matches (extended regexp)
wait_for() {
	for _ in $(seq 150); do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.1
	done
	fail "no line matching /$1/"
}
# the line being typed: the last prompt line (capture-pane drops trailing blanks)
line() { screen | grep '^(pprof)' | tail -n 1; }
expect_line() {
	local want=$1
	want=${want%"${want##*[! ]}"}
	for _ in $(seq 50); do
		[ "$(line)" = "$want" ] && return 0
		sleep 0.1
	done
	fail "the line is '$(line)', want '$want'"
}

case $name in
banner)
	start "$td/go/cpu.pb.gz"
	screen | grep -q '^Entering interactive mode (type "help" for commands, "o" for options)$' || fail "no banner"
	screen | grep -q '^Type: cpu$' || fail "no profile labels" ;;
complete_command)
	start "$td/go/cpu.pb.gz"
	keys 'tre' Tab
	expect_line '(pprof) tree '
	keys C-u 'topp' Tab
	expect_line '(pprof) topproto '
	keys Enter
	wait_for '^Generating report in profile001.pb.gz$'
	[ -s "$tmp/cwd/profile001.pb.gz" ] || fail "no profile001.pb.gz"
	keys 'hel' Tab 'noinl' Tab
	expect_line '(pprof) help noinlines '
	keys Enter
	wait_for '^Attributes inlined functions to their first out-of-line caller.$' ;;
complete_option)
	start "$td/go/cpu.pb.gz"
	keys 'nodef' Tab
	expect_line '(pprof) nodefraction='
	keys C-u 'granularity=li' Tab
	expect_line '(pprof) granularity=lines '
	keys C-u 'noinl' Tab 'tr' Tab
	expect_line '(pprof) noinlines=true ' ;;
complete_sample_type)
	start "$td/go/heap.pb.gz"
	keys 'alloc_s' Tab
	expect_line '(pprof) alloc_space '
	keys C-u 'mean_inuse_o' Tab
	expect_line '(pprof) mean_inuse_objects '
	keys C-u 'sample_index=inuse_o' Tab
	expect_line '(pprof) sample_index=inuse_objects ' ;;
complete_function)
	start "$td/go/cpu.pb.gz"
	# no name starts with "Fib": the one that contains it, as a literal regexp
	keys 'list Fi' Tab
	expect_line '(pprof) list cprofgen/workload/compute\.Fib '
	keys C-u 'top10 -cprofgen/workload/compute.Fi' Tab
	expect_line '(pprof) top10 -cprofgen/workload/compute\.Fib '
	keys C-u 'peek cprofgen/workload/compute.(*Matrix).M' Tab
	expect_line '(pprof) peek cprofgen/workload/compute\.\(\*Matrix\)\.Mul '
	keys Enter
	wait_for 'cprofgen/workload/compute\.\(\*Matrix\)\.Mul$' ;;
complete_value)
	start "$td/go/cpu.pb.gz"
	keys 'focus=Fema' Tab
	expect_line '(pprof) focus=cprofgen/workload/compute\.Female '
	keys Enter 'top 3' Enter
	wait_for 'Active filters:' ;;
history)
	start "$td/go/cpu.pb.gz"
	keys 'top 2' Enter
	wait_for 'Showing top 2 nodes'
	keys 'tree 1' Enter
	wait_for 'Showing top 1 nodes'
	keys Up Up
	expect_line '(pprof) top 2'
	keys C-u 'q' Enter
	wait_for '^EXITED 0$'
	[ -s "$tmp/home/.cprof_history" ] || fail "no history file in HOME"
	# a new session remembers
	start "$td/go/cpu.pb.gz"
	keys Up
	expect_line '(pprof) q'
	keys Up
	expect_line '(pprof) tree 1' ;;
ctrl_c_line)
	start "$td/go/cpu.pb.gz"
	keys 'top 3 half typed'
	expect_line '(pprof) top 3 half typed'
	keys C-c
	expect_line '(pprof) '
	keys 'top 1' Enter
	wait_for 'Showing top 1 nodes out of' ;;
ctrl_c_command)
	[ -n "${GENPROF:-}" ] && [ -x "$GENPROF" ] || { echo "run_tty.sh: GENPROF not set" >&2; exit 1; }
	"$GENPROF" -samples 300000 "$tmp/big.pb.gz" >/dev/null 2>&1 || fail "genprof failed"
	start "$tmp/big.pb.gz"
	keys 'traces >t.txt' Enter
	sleep 0.3
	keys C-c
	wait_for '^interrupted$'
	expect_line '(pprof) '
	[ ! -e "$tmp/cwd/t.txt" ] || fail "an interrupted report left t.txt"
	[ -z "$(ls -A "$tmp/cwd")" ] || fail "files left: $(ls -A "$tmp/cwd")"
	keys 'top 1' Enter
	wait_for 'Showing top 1 nodes out of' ;;
ctrl_d)
	start "$td/go/cpu.pb.gz"
	keys 'top 1' Enter
	wait_for 'Showing top 1 nodes'
	keys C-d
	wait_for '^EXITED 0$' ;;
error_red)
	start "$td/go/cpu.pb.gz"
	keys 'nosuchcommand' Enter
	wait_for '^unrecognized command: "nosuchcommand"$'
	tmux -L "$sock" capture-pane -p -e -t t | grep -q $'\033\\[0\\?;\\?31m.*unrecognized command' ||
		fail "the error is not red" ;;
*)
	echo "run_tty.sh: no case $name" >&2
	exit 1 ;;
esac
echo "ok $name"
