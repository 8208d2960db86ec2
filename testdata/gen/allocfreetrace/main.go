// Command allocfreetrace (cprofgen/allocfreetrace) allocates in a pattern
// known in advance, so that the GODEBUG=allocfreetrace=1 log it makes (on
// standard error) can be checked against what it did: tests/allocfreetrace
// computes every expected figure from the flags below, never from cprof.
//
// With GOGC=off (it also calls debug.SetGCPercent(-1)) the only GCs are
// its own runtime.GC() calls, and runtime.GC() sweeps everything before it
// returns, so every free of a cycle is in the log before the next cycle.
// Run -rounds R times, each round then ends with runtime.GC():
//
//	site          allocates per round                        lifetime
//	leakSite      -leak objects of main.leakObj (64 B)       never freed: kept in a global slice
//	churnSite     -churn []byte of 256 B, in a goroutine     garbage before the round's GC: 1 cycle
//	midSite       -mid objects of main.midObj (96 B)         dropped two rounds later: 3 cycles
//	strSite       -str strings of 40 B (untyped, 48 B)       garbage before the round's GC: 1 cycle
//
// So at the end the last two rounds' midObj are live (one round of them
// allocated before the last-but-one GC: retained), every leakObj is live
// (all but the last round's retained), and nothing of churnSite or strSite
// is. Every site function allocates one kind of object only and is not
// inlined; the slices that hold objects are made once, in main, before the
// rounds. Between rounds the program writes its own line to standard
// error ("round N done"), which the log interleaves with the runtime's.
//
// Standard library only; see tests/allocfreetrace/run_aft.sh and
// testdata/gen/allocfreetrace/generate.sh.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
)

type leakObj struct {
	next *leakObj
	pad  [7]int64
}

type midObj struct {
	self *midObj
	pad  [11]int64
}

var (
	leaked []*leakObj   // every leakObj, for ever
	ring   [2][]*midObj // the midObj of the last two rounds
	sink   []byte       // the last churn buffer, cleared before each GC
	strs   []string     // this round's strings, cleared before each GC
	src    []byte       // the bytes strSite copies
)

//go:noinline
func leakSite(n int) {
	for i := 0; i < n; i++ {
		leaked = append(leaked, new(leakObj)) // capacity made in main: no growth here
	}
}

//go:noinline
func churnSite(n int) {
	for i := 0; i < n; i++ {
		sink = make([]byte, 256)
	}
	sink = nil
}

//go:noinline
func midSite(slot []*midObj) {
	for i := range slot {
		slot[i] = new(midObj) // replaces the object of two rounds ago
	}
}

//go:noinline
func strSite(n int) {
	for i := 0; i < n; i++ {
		strs[i] = string(src)
	}
}

func main() {
	rounds := flag.Int("rounds", 6, "rounds, each ending with runtime.GC()")
	nleak := flag.Int("leak", 400, "leakObj per round")
	nchurn := flag.Int("churn", 300, "churn buffers per round")
	nmid := flag.Int("mid", 50, "midObj per round")
	nstr := flag.Int("str", 50, "strings per round")
	flag.Parse()
	debug.SetGCPercent(-1)

	leaked = make([]*leakObj, 0, *rounds**nleak)
	ring[0] = make([]*midObj, *nmid)
	ring[1] = make([]*midObj, *nmid)
	strs = make([]string, *nstr)
	src = make([]byte, 40)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	var wg sync.WaitGroup
	for r := 0; r < *rounds; r++ {
		leakSite(*nleak)
		wg.Add(1)
		go func() {
			defer wg.Done()
			churnSite(*nchurn)
		}()
		wg.Wait()
		midSite(ring[r%2])
		strSite(*nstr)
		for i := range strs {
			strs[i] = ""
		}
		runtime.GC()
		fmt.Fprintf(os.Stderr, "round %d done\n", r)
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	// what the runtime itself counted, for the test to compare with the tracegc records
	fmt.Printf("numgc %d\nrounds_numgc %d\n", after.NumGC, after.NumGC-before.NumGC)
	runtime.KeepAlive(leaked)
	runtime.KeepAlive(ring)
}
