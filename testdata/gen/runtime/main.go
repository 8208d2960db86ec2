// Command runtime (cprofgen/runtime) is a set of small Go programs whose
// GODEBUG=gctrace=1 / schedtrace / scheddetail output becomes the test data
// of `cprof gctrace` and `cprof schedtrace` (testdata/runtime/). Each
// -scenario drives the garbage collector or the scheduler into one
// situation the Go performance guide teaches people to recognise.
//
// The runtime writes its traces to standard error; the program's own
// progress lines ("phase: ...") go there too, as they would in a real
// service log. With -prefix it is instead a filter that copies standard
// input to standard output, putting a syslog-like timestamp in front of
// every line (a log shipper's view of the same output).
//
// Standard library only; see generate.sh for the exact command lines.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type node struct {
	next  *node
	left  *node
	value [6]int64
	name  string
}

var (
	sink    atomic.Value // defeats escape analysis of garbage
	retain  []*node      // the "leak"
	retainM sync.Mutex
)

// garbage allocates n short-lived pointerful objects.
func garbage(n int) {
	var head *node
	for i := 0; i < n; i++ {
		head = &node{next: head, value: [6]int64{int64(i)}}
		if i%64 == 0 {
			head.name = fmt.Sprint(i)
		}
	}
	sink.Store(head)
}

// liveSet builds a linked structure of about mb megabytes that stays live.
func liveSet(mb int) []*node {
	n := mb << 20 / 96
	s := make([]*node, n)
	for i := range s {
		s[i] = &node{value: [6]int64{int64(i)}}
		if i > 0 {
			s[i].left = s[i-1]
		}
	}
	return s
}

// spin burns CPU for about d without allocating.
func spin(d time.Duration) {
	end := time.Now().Add(d)
	x := uint64(1)
	for time.Now().Before(end) {
		for i := 0; i < 1000; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	if x == 42 {
		fmt.Fprintln(os.Stderr, "unlikely")
	}
}

func phase(name string) { fmt.Fprintf(os.Stderr, "phase: %s\n", name) }

// workers runs f on n goroutines until the deadline.
func workers(n int, dur time.Duration, f func(w int)) {
	var wg sync.WaitGroup
	end := time.Now().Add(dur)
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for time.Now().Before(end) {
				f(w)
			}
		}(w)
	}
	wg.Wait()
}

// steady: a 16 MB live set and a constant stream of garbage.
func steady(dur time.Duration) {
	live := liveSet(16)
	workers(4, dur, func(int) { garbage(2000); time.Sleep(200 * time.Microsecond) })
	runtime.KeepAlive(live)
}

// leak: like steady, but one object in 40 is kept forever.
func leak(dur time.Duration) {
	live := liveSet(8)
	workers(4, dur, func(int) {
		var keep []*node
		for i := 0; i < 2000; i++ {
			n := &node{value: [6]int64{int64(i)}}
			if i%40 == 0 {
				keep = append(keep, n)
			}
		}
		retainM.Lock()
		retain = append(retain, keep...)
		retainM.Unlock()
		time.Sleep(500 * time.Microsecond)
	})
	runtime.KeepAlive(live)
}

// forced: explicit runtime.GC() every 100 ms and debug.FreeOSMemory()
// every 500 ms on top of normal allocation.
func forced(dur time.Duration) {
	live := liveSet(8)
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for i := 1; ; i++ {
			select {
			case <-done:
				return
			case <-t.C:
				if i%5 == 0 {
					debug.FreeOSMemory()
				} else {
					runtime.GC()
				}
			}
		}
	}()
	workers(2, dur, func(int) { garbage(2000); time.Sleep(time.Millisecond) })
	close(done)
	runtime.KeepAlive(live)
}

// alloc: allocation-heavy workers with no pauses (run with a small GOGC).
func alloc(dur time.Duration) {
	live := liveSet(4)
	workers(4, dur, func(int) { garbage(5000) })
	runtime.KeepAlive(live)
}

// memlimit: the live set grows towards GOMEMLIMIT while garbage keeps
// flowing, so the collector ends up running back to back.
func memlimit(dur time.Duration) {
	var live [][]*node
	step := dur / 12
	end := time.Now().Add(dur)
	go func() {
		for time.Now().Before(end) {
			if len(live) < 11 {
				retainM.Lock()
				live = append(live, liveSet(5))
				retainM.Unlock()
			}
			time.Sleep(step)
		}
	}()
	workers(4, dur, func(int) { garbage(3000) })
	retainM.Lock()
	runtime.KeepAlive(live)
	retainM.Unlock()
}

// idle: one GC's worth of allocation (the forced-GC clock starts at the
// first GC), then almost nothing to do for longer than the runtime's
// 2-minute forced-GC period, so sysmon's forcegc helper starts a GC and
// prints "GC forced" before its line.
func idle(dur time.Duration) {
	runtime.KeepAlive(liveSet(6))
	end := time.Now().Add(dur)
	for time.Now().Before(end) {
		garbage(100)
		time.Sleep(time.Second)
	}
}

// starve: one goroutine works in short bursts and sleeps in between: most
// Ps are idle and every run queue is empty.
func starve(dur time.Duration) {
	workers(1, dur, func(int) { spin(300 * time.Microsecond); time.Sleep(2 * time.Millisecond) })
}

// saturate: 16 CPU-bound goroutines for GOMAXPROCS Ps: every P busy and
// runnable goroutines waiting in the queues.
func saturate(dur time.Duration) {
	workers(16, dur, func(int) { spin(time.Millisecond) })
}

// imbalance: a single producer goroutine spawns bursts of tiny goroutines
// into its own P's local run queue, then waits; the other Ps wake up,
// steal and go idle again.
func imbalance(dur time.Duration) {
	end := time.Now().Add(dur)
	var wg sync.WaitGroup
	for time.Now().Before(end) {
		for i := 0; i < 400; i++ {
			wg.Add(1)
			go func() { spin(50 * time.Microsecond); wg.Done() }()
		}
		spin(3 * time.Millisecond)
		wg.Wait()
		time.Sleep(time.Millisecond)
	}
}

// syscalls: 64 goroutines block in raw nanosleep system calls, each
// holding an OS thread: the runtime has to create threads for the Ps.
func syscalls(dur time.Duration) {
	workers(64, dur, func(int) {
		ts := syscall.Timespec{Nsec: int64(20 * time.Millisecond)}
		syscall.Nanosleep(&ts, nil)
	})
}

// phases runs starve, saturate, imbalance and syscalls one after the other.
func phases(dur time.Duration) {
	d := dur / 4
	phase("starve")
	starve(d)
	phase("saturate")
	saturate(d)
	phase("imbalance")
	imbalance(d)
	phase("syscalls")
	syscalls(d)
	phase("done")
}

// detail parks goroutines in many different wait states next to some
// CPU-bound ones, for scheddetail.
func detail(dur time.Duration) {
	var mu sync.Mutex
	cond := sync.NewCond(&sync.Mutex{})
	never := make(chan int)
	unbuf := make(chan int)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err == nil {
		go func() { c, _ := ln.Accept(); _ = c }() // IO wait
	}
	mu.Lock()
	for i := 0; i < 3; i++ {
		go func() { <-never }() // chan receive
	}
	for i := 0; i < 2; i++ {
		go func() { unbuf <- 1 }() // chan send
	}
	go func() {
		select {
		case <-never:
		case <-unbuf:
		}
	}() // select (it may take one of the sends: fine)
	go func() { select {} }() // select (no cases)
	for i := 0; i < 4; i++ {
		go func() { mu.Lock(); mu.Unlock() }() // semacquire
	}
	go func() { cond.L.Lock(); cond.Wait(); cond.L.Unlock() }() // sync.Cond.Wait
	for i := 0; i < 3; i++ {
		go func() { time.Sleep(time.Hour) }() // sleep
	}
	end := time.Now().Add(dur)
	workers(6, dur, func(int) { spin(time.Millisecond); garbage(500) })
	for time.Now().Before(end) {
		time.Sleep(10 * time.Millisecond)
	}
	mu.Unlock()
}

// mixed: a service-like program that logs its own lines (with the log
// package's timestamps) between the runtime's traces.
func mixed(dur time.Duration) {
	live := liveSet(8)
	end := time.Now().Add(dur)
	var reqs int64
	go workers(3, dur, func(int) { garbage(1500); atomic.AddInt64(&reqs, 1); time.Sleep(300 * time.Microsecond) })
	for i := 0; time.Now().Before(end); i++ {
		fmt.Fprintf(os.Stderr, "%s INFO handled %d requests (tick %d)\n",
			time.Now().UTC().Format("2006/01/02 15:04:05.000000"), atomic.LoadInt64(&reqs), i)
		time.Sleep(50 * time.Millisecond)
	}
	runtime.KeepAlive(live)
}

// prefix copies stdin to stdout with a syslog-like timestamp on each line.
func prefix() {
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	host, _ := os.Hostname()
	_ = host
	for {
		line, err := in.ReadString('\n')
		if line != "" {
			fmt.Fprintf(out, "%s svc-7f9c app[4242]: %s", time.Now().UTC().Format("2006-01-02T15:04:05.000000Z"), line)
			if line[len(line)-1] != '\n' {
				out.WriteByte('\n')
			}
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

var scenarios = map[string]func(time.Duration){
	"steady": steady, "leak": leak, "forced": forced, "alloc": alloc,
	"memlimit": memlimit, "idle": idle, "starve": starve, "saturate": saturate,
	"imbalance": imbalance, "syscalls": syscalls, "phases": phases,
	"detail": detail, "mixed": mixed,
}

func main() {
	scenario := flag.String("scenario", "", "what to run")
	dur := flag.Duration("dur", 2*time.Second, "how long")
	pfx := flag.Bool("prefix", false, "filter stdin to stdout, prefixing each line with a timestamp")
	flag.Parse()
	if *pfx {
		prefix()
		return
	}
	f, ok := scenarios[*scenario]
	if !ok {
		fmt.Fprintf(os.Stderr, "unknown scenario %q\n", *scenario)
		os.Exit(2)
	}
	f(*dur)
}
