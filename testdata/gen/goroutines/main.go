// Command goroutines parks goroutines in many runtime states and then dumps
// them, for cprof's goroutine-dump tests (testdata/goroutines/).
//
// -mode=dump (the default) parks two groups of goroutines and waits -wait
// after each, so the first group shows "2 minutes" and the second
// "1 minutes" when -wait is a little over a minute. The runtime dates a
// goroutine's wait lazily: the first GC that finds it blocked stamps it with
// the start of the previous GC's mark termination, so a GC runs just before
// each group is parked and another just after. It then writes, into -out:
//
//	dump_debug2.txt     pprof.Lookup("goroutine").WriteTo(f, 2)
//	goroutine_debug1.txt pprof.Lookup("goroutine").WriteTo(f, 1)
//	goroutine.pb.gz     pprof.Lookup("goroutine").WriteTo(f, 0)
//
// and panics on purpose (with a spinning goroutine running on another
// thread): run it with GOTRACEBACK=all and capture stderr for the crash
// traceback of the same goroutines.
//
// -mode=sigsegv parks a few goroutines and dereferences a nil pointer (run
// with GOTRACEBACK=system for runtime frames and fp/sp/pc). -mode=deadlock
// blocks every goroutine so the runtime reports "all goroutines are asleep".
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"syscall"
	"time"
)

var (
	outDir = flag.String("out", "", "output directory (mode dump)")
	mode   = flag.String("mode", "dump", "dump, sigsegv or deadlock")
	wait   = flag.Duration("wait", 0, "pause after parking each group (over 1m shows wait minutes)")
)

// sink defeats dead-code elimination.
var sink int

type request struct {
	path string
	id   int
}

type server struct {
	name  string
	queue chan request
}

// serve blocks in chan receive; its string argument prints as {ptr, len}.
func (s *server) serve(prefix string, limit int) {
	for r := range s.queue {
		sink += len(prefix) + r.id + limit
	}
}

// recvInline is small enough to be inlined: tracebacks show it as
// "main.recvInline(...)" without a PC offset.
func recvInline(c chan int) int { return <-c }

func recvWorker(c chan int) {
	sink += recvInline(c)
}

// park is generic: tracebacks show "main.park[...]".
func park[T any](c chan T) T { return <-c }

// recurse nests depth frames, then blocks: deep enough for
// "...additional frames elided...".
func recurse(depth int, c chan int) int {
	if depth == 0 {
		return <-c
	}
	return recurse(depth-1, c) + 1
}

// manyArgs has more arguments than a traceback prints ("...").
func manyArgs(a, b, c, d, e, f, g, h, i, j, k, l int, ch chan int) {
	sink += a + b + c + d + e + f + g + h + i + j + k + l + <-ch
}

// spawner starts a goroutine from a goroutine, so "created by" names a closure.
func spawner(c chan int, done *sync.WaitGroup) {
	go func() {
		done.Done()
		sink += <-c
	}()
}

type parked struct {
	never    chan int
	sendCh   chan int
	nilCh    chan int
	held     sync.Mutex
	rw       sync.RWMutex
	wg       sync.WaitGroup
	cmu      sync.Mutex
	cond     *sync.Cond
	pipeR    *os.File
	pipeW    *os.File // kept reachable: its finalizer would close the pipe
	rawFd    int
	requests chan request
	api      *server
}

func newParked() *parked {
	p := &parked{never: make(chan int), sendCh: make(chan int), requests: make(chan request)}
	p.api = &server{name: "api", queue: make(chan request)}
	p.held.Lock()
	p.rw.Lock()
	p.wg.Add(1)
	p.cond = sync.NewCond(&p.cmu)
	r, w, err := os.Pipe()
	if err != nil {
		log.Fatal(err)
	}
	p.pipeR, p.pipeW = r, w
	var fds [2]int
	if err := syscall.Pipe(fds[:]); err != nil { // blocking fds: a read stays in the syscall
		log.Fatal(err)
	}
	p.rawFd = fds[0]
	return p
}

// groupOld: the goroutines that wait longest.
func (p *parked) groupOld() {
	for i := 0; i < 3; i++ {
		go recvWorker(p.never)
	}
	go func() { // chan send
		p.sendCh <- 1
	}()
	go func() { // select on two channels
		select {
		case <-p.never:
		case <-p.requests:
		}
	}()
	go func() { select {} }() // select (no cases)
	for i := 0; i < 2; i++ {  // sync.Mutex.Lock
		go func() {
			p.held.Lock()
			p.held.Unlock()
		}()
	}
	go func() { // WaitGroup
		p.wg.Wait()
	}()
	go func() { // IO wait
		buf := make([]byte, 1)
		p.pipeR.Read(buf)
	}()
	go func() { // sleep
		time.Sleep(time.Hour)
	}()
	startServers(p.api, 2)
}

// startServers is called for both groups: same stack and creator, so the
// goroutines group together with a range of wait times.
func startServers(s *server, n int) {
	for i := 0; i < n; i++ {
		go s.serve("/v1/", 10)
	}
}

// groupNew: parked later, so their wait is shorter.
func (p *parked) groupNew() {
	go func() { <-p.nilCh }()    // chan receive (nil chan)
	go func() { p.nilCh <- 1 }() // chan send (nil chan)
	go func() {                  // RWMutex read lock while a writer holds it
		p.rw.RLock()
		p.rw.RUnlock()
	}()
	go func() { // sync.Cond
		p.cmu.Lock()
		p.cond.Wait()
		p.cmu.Unlock()
	}()
	go func() { // syscall on a blocking pipe
		buf := make([]byte, 1)
		syscall.Read(p.rawFd, buf)
	}()
	go func() { // sleep, locked to thread
		runtime.LockOSThread()
		time.Sleep(time.Hour)
	}()
	go func() { sink += park(p.never) }()
	go func() { sink += recurse(120, p.never) }()
	go manyArgs(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, p.never)
	var started sync.WaitGroup
	started.Add(1)
	go spawner(p.never, &started)
	started.Wait()
	startServers(p.api, 1)
}

func settle() {
	time.Sleep(50 * time.Millisecond)
	runtime.GC() // marks every blocked goroutine's wait start
	if *wait > 0 {
		time.Sleep(*wait)
	}
}

func write(name string, debug int) {
	f, err := os.Create(filepath.Join(*outDir, name))
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.Lookup("goroutine").WriteTo(f, debug); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

type node struct{ next *node }

//go:noinline
func walk(n *node, depth int) int {
	if depth == 0 {
		if n.next.next == nil { // n.next is nil: SIGSEGV
			return 1
		}
		return 0
	}
	return walk(n, depth-1)
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("goroutines: ")
	flag.Parse()
	p := newParked()
	switch *mode {
	case "dump":
		if *outDir == "" {
			log.Fatal("-out is required")
		}
		runtime.GC()
		p.groupOld()
		settle()
		runtime.GC()
		p.groupNew()
		settle()
		write("dump_debug2.txt", 2)
		write("goroutine_debug1.txt", 1)
		write("goroutine.pb.gz", 0)
		go func() { // running on another thread when the panic traceback is printed
			for {
				sink++
			}
		}()
		time.Sleep(10 * time.Millisecond)
		runtime.KeepAlive(p)
		panic(fmt.Sprintf("cprofgen: deliberate panic after parking %d goroutines", runtime.NumGoroutine()))
	case "sigsegv":
		p.groupOld()
		time.Sleep(50 * time.Millisecond)
		sink += walk(&node{}, 3)
	case "deadlock":
		// Only channel and lock waits: a sleeping goroutine, an IO wait or
		// a raw syscall would keep the runtime from declaring a deadlock.
		for i := 0; i < 2; i++ {
			go recvWorker(p.never)
		}
		go func() { p.sendCh <- 1 }()
		go func() { p.held.Lock() }()
		go func() { p.wg.Wait() }()
		go func() { <-p.nilCh }()
		<-p.requests
	default:
		log.Fatalf("unknown -mode %q", *mode)
	}
}
