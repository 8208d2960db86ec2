// Command workload generates Go runtime profiles used as cprof test data.
//
// With -mode=full (the default) it runs, in order:
//
//  1. a CPU phase (CPU profile running) where a worker pool executes parse,
//     compute, hash, sort and closure jobs, part of them inside pprof.Do with
//     string labels, so CPU samples carry labels;
//  2. a contention phase (sync.Mutex, sync.RWMutex, channels, select,
//     sync.Cond, WaitGroup) for the block and mutex profiles;
//  3. an allocation phase that retains part of what it allocates (heap
//     in-use) and discards the rest (allocs);
//  4. a goroutine phase that parks goroutines in several states, some with
//     pprof labels,
//
// and then writes every profile into -out. With -mode=cpu2 it runs only a CPU
// phase (different seed, job mix and labels) and writes cpu2.pb.gz.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"time"

	"cprofgen/workload/compute"
	"cprofgen/workload/parse"
	"cprofgen/workload/pool"
	"cprofgen/workload/store"
)

// memProfileRate is applied as early as possible (package initialization) so
// that every allocation of the run is sampled at this rate.
const memProfileRate = 4096

var _ = func() int { runtime.MemProfileRate = memProfileRate; return 0 }()

var (
	outDir  = flag.String("out", "", "output directory (required)")
	mode    = flag.String("mode", "full", "full: all profiles; cpu2: only cpu2.pb.gz")
	cpuTime = flag.Duration("cputime", 2*time.Second, "duration of the CPU-profiled phase")
	seed    = flag.Int64("seed", 1, "random seed")
)

// sink defeats dead-code elimination.
var sink int64

func main() {
	log.SetFlags(0)
	log.SetPrefix("workload: ")
	flag.Parse()
	if *outDir == "" {
		log.Fatal("-out is required")
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		log.Fatal(err)
	}
	switch *mode {
	case "cpu2":
		cpuPhase(filepath.Join(*outDir, "cpu2.pb.gz"), *cpuTime, *seed, "2", mixCPU2)
		return
	case "full":
	default:
		log.Fatalf("unknown -mode %q", *mode)
	}

	runtime.SetBlockProfileRate(1)
	runtime.SetMutexProfileFraction(1)

	cpuPhase(filepath.Join(*outDir, "cpu.pb.gz"), *cpuTime, *seed, "1", mixCPU1)
	contentionPhase()
	heapPhase()

	runtime.GC()
	writeProfile("heap", 0, "heap.pb.gz")
	writeProfile("heap", 1, "heap.txt")
	writeProfile("allocs", 0, "allocs.pb.gz")
	writeProfile("allocs", 1, "allocs.txt")

	release := parkGoroutines()
	writeProfile("goroutine", 0, "goroutine.pb.gz")
	writeProfile("goroutine", 1, "goroutine.txt")
	writeProfile("goroutine", 2, "goroutine2.txt")
	writeProfile("threadcreate", 0, "threadcreate.pb.gz")
	writeProfile("threadcreate", 1, "threadcreate.txt")
	writeProfile("block", 0, "block.pb.gz")
	writeProfile("block", 1, "block.txt")
	writeProfile("mutex", 0, "mutex.pb.gz")
	writeProfile("mutex", 1, "mutex.txt")
	release()
	fmt.Fprintln(os.Stderr, "workload: done, sink =", sink)
}

func writeProfile(name string, debug int, file string) {
	f, err := os.Create(filepath.Join(*outDir, file))
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.Lookup(name).WriteTo(f, debug); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

// ---------------------------------------------------------------------------
// CPU phase

type jobKind int

const (
	jobParse jobKind = iota
	jobFib
	jobHofstadter
	jobMatrix
	jobHash
	jobPipeline
	jobSort
	jobLocal
)

// Job mixes: a job kind is picked round-robin from the slice.
var (
	mixCPU1 = []jobKind{jobParse, jobFib, jobMatrix, jobHash, jobHofstadter, jobPipeline, jobSort, jobParse, jobLocal}
	mixCPU2 = []jobKind{jobParse, jobMatrix, jobMatrix, jobHash, jobFib, jobSort, jobLocal}
)

func cpuPhase(path string, d time.Duration, seed int64, run string, mix []jobKind) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Fatal(err)
	}

	r := rand.New(rand.NewSource(seed))
	exprs := make([]string, 150)
	for i := range exprs {
		exprs[i] = parse.Generate(r, 9)
	}
	nums := make([]int, 4000)
	for i := range nums {
		nums[i] = r.Intn(1 << 20)
	}
	buf := make([]byte, 4096)
	r.Read(buf)

	ctx := context.Background()
	p := pool.New(3)
	deadline := time.Now().Add(d)
	for i := 0; time.Now().Before(deadline); i++ {
		k := mix[i%len(mix)]
		switch k {
		case jobParse:
			p.Submit(func() int64 {
				var v int64
				pprof.Do(ctx, pprof.Labels("phase", "parse", "run", run), func(ctx context.Context) {
					v = parse.EvalAll(exprs)
				})
				return v
			})
		case jobFib:
			p.Submit(func() int64 {
				var v int64
				pprof.Do(ctx, pprof.Labels("phase", "compute", "kind", "fib", "run", run), func(ctx context.Context) {
					v = int64(compute.Fib(24))
				})
				return v
			})
		case jobHofstadter:
			p.Submit(func() int64 {
				var v int64
				pprof.Do(ctx, pprof.Labels("phase", "compute", "kind", "hofstadter", "run", run), func(ctx context.Context) {
					for n := 18; n < 23; n++ {
						v += int64(compute.Female(n) + compute.Male(n))
					}
				})
				return v
			})
		case jobMatrix:
			p.Submit(func() int64 {
				a := compute.NewMatrix(56, float64(i%7))
				b := compute.NewMatrix(56, 1.5)
				return int64(a.Mul(b).Trace())
			})
		case jobHash:
			p.Submit(func() int64 { return int64(compute.HashRounds(buf, 25)) })
		case jobPipeline:
			p.Submit(func() int64 {
				var v int64
				pprof.Do(ctx, pprof.Labels("phase", "compute", "kind", "closure"), func(ctx context.Context) {
					v = int64(compute.Pipeline(nums, i))
				})
				return v
			})
		case jobSort:
			p.Submit(func() int64 { return int64(compute.SortAndSum(nums)) })
		case jobLocal:
			// Work on the main goroutine itself, without labels.
			sink += localWork(i)
		}
	}
	total, done := p.Wait()
	sink += total
	pprof.StopCPUProfile()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "workload: %s: %d jobs\n", filepath.Base(path), done)
}

// localWork runs on the main goroutine: a directly-called closure (inlined),
// a generic function and recursion.
func localWork(i int) int64 {
	xs := make([]int64, 2048)
	func() {
		for j := range xs {
			xs[j] = int64(j*i) % 1013
		}
	}()
	s := compute.Sum(xs)
	return s + int64(compute.Fib(20+i%3))
}

// ---------------------------------------------------------------------------
// Contention phase (block and mutex profiles)

func contentionPhase() {
	var wg sync.WaitGroup

	// sync.Mutex contention through store.(*Store).Put/Get.
	s := store.New()
	payload := make([]byte, 64)
	for g := 0; g < 6; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 2500; i++ {
				s.Put(store.Key("k", (i+g)%40), payload)
				if _, ok := s.Get(store.Key("k", i%40)); !ok {
					sink++
				}
			}
		}(g)
	}

	// sync.Mutex held across a yield: guaranteed contention in Update.
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 400; i++ {
				s.Update(store.Key("u", i%8), func(old []byte) []byte {
					if i%2 == 0 {
						runtime.Gosched()
					}
					return append(old[:0:0], byte(g))
				})
			}
		}(g)
	}

	// sync.RWMutex contention: writers hold the lock while spinning.
	c := store.NewCache()
	for g := 0; g < 2; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				c.Store(i%16, payload, 2000)
			}
		}(g)
	}
	for g := 0; g < 3; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1500; i++ {
				sink += int64(len(c.Load(i % 16)))
			}
		}()
	}

	// Unbuffered channel with a slow consumer: producers block in chan send,
	// the consumer blocks in chan receive when producers are slower.
	ch := make(chan int)
	done := make(chan struct{})
	for g := 0; g < 3; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			produce(ch, g, 200)
		}(g)
	}
	go func() {
		consume(ch, 600)
		close(done)
	}()

	// select over two channels fed by a ticker.
	tick := time.NewTicker(200 * time.Microsecond)
	quit := make(chan struct{})
	sel := make(chan int)
	wg.Add(1)
	go func() {
		defer wg.Done()
		selectLoop(tick.C, sel, quit)
	}()
	for i := 0; i < 200; i++ {
		sel <- i
	}
	close(quit)

	// sync.Cond
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	ready := 0
	for g := 0; g < 3; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			for ready == 0 {
				cond.Wait()
			}
			mu.Unlock()
		}()
	}
	time.Sleep(5 * time.Millisecond)
	mu.Lock()
	ready = 1
	cond.Broadcast()
	mu.Unlock()

	<-done
	wg.Wait()
	tick.Stop()
}

func produce(ch chan<- int, g, n int) {
	for i := 0; i < n; i++ {
		ch <- g*1000 + i
	}
}

func consume(ch <-chan int, n int) {
	for i := 0; i < n; i++ {
		v := <-ch
		sink += int64(compute.Fib(8 + v%4))
		if i%50 == 0 {
			time.Sleep(100 * time.Microsecond)
		}
	}
}

func selectLoop(tick <-chan time.Time, in <-chan int, quit <-chan struct{}) {
	for {
		select {
		case <-tick:
			sink++
		case v := <-in:
			sink += int64(v)
		case <-quit:
			return
		}
	}
}

// ---------------------------------------------------------------------------
// Allocation phase (heap and allocs profiles)

// retained keeps part of the allocations live so inuse_* is non-trivial.
var retained struct {
	store *store.Store
	trees []*parse.Node
	big   [][]byte
	strs  []string
	funcs []func() int
}

func heapPhase() {
	r := rand.New(rand.NewSource(*seed + 100))

	// Small and medium records, retained.
	s := store.New()
	put := s.Put // method value: store.(*Store).Put-fm
	fill(put, r, 20000)
	s.Trim() // drops older versions: they become garbage
	retained.store = s

	// Large objects, retained and discarded.
	for i := 0; i < 12; i++ {
		b := allocBig(64<<10 + i*16<<10)
		if i%2 == 0 {
			retained.big = append(retained.big, b)
		}
	}

	// Parse trees, half retained.
	for i := 0; i < 600; i++ {
		n, err := parse.Parse(parse.Generate(r, 4))
		if err == nil && i%2 == 0 {
			retained.trees = append(retained.trees, n)
		}
	}

	// Pure garbage: snapshots and encodings.
	for i := 0; i < 4; i++ {
		snap := s.Snapshot()
		sink += int64(len(snap))
	}
	for i := 0; i < 5000; i++ {
		rec := &store.Record{Key: store.Key("enc", i), Val: make([]byte, 48+(i%2)*100)}
		sink += int64(len(store.Encode(rec)))
	}

	// Strings and escaping closures, retained.
	for i := 0; i < 3000; i++ {
		str := fmt.Sprintf("item-%d-%s", i, strconv.Itoa(i*i))
		if i%3 == 0 {
			retained.strs = append(retained.strs, str)
		}
		k := i
		retained.funcs = append(retained.funcs, func() int { return k * 2 })
	}
	sink += int64(s.Len())
}

var recordSizes = []int{24, 100, 200, 480}

func fill(put func(string, []byte), r *rand.Rand, n int) {
	for i := 0; i < n; i++ {
		// A few distinct sizes only: every (stack, size class) pair is a
		// separate bucket, and the debug=1 text profiles grow with them.
		size := recordSizes[r.Intn(len(recordSizes))]
		if i%50 == 0 {
			size = 6000
		}
		put(store.Key("user", i%5000), make([]byte, size))
	}
}

//go:noinline
func allocBig(n int) []byte {
	b := make([]byte, n)
	b[n-1] = 1
	return b
}

// ---------------------------------------------------------------------------
// Goroutine phase

// nest calls f through depth extra frames of recursion.
func nest(depth int, f func()) {
	if depth == 0 {
		f()
		return
	}
	nest(depth-1, f)
}

func parkGoroutines() (release func()) {
	ctx := context.Background()
	never := make(chan int)
	a, b, sendCh := make(chan int), make(chan int), make(chan int)
	stop := make(chan struct{})
	var held sync.Mutex
	held.Lock()
	var cmu sync.Mutex
	cond := sync.NewCond(&cmu)
	var wgNever sync.WaitGroup
	wgNever.Add(1)
	pr, pw, err := os.Pipe()
	if err != nil {
		log.Fatal(err)
	}

	// chan receive, labeled (child goroutines inherit the labels).
	pprof.Do(ctx, pprof.Labels("role", "waiter", "group", "a"), func(context.Context) {
		for i := 0; i < 3; i++ {
			go nest(i, func() {
				select {
				case <-never:
				case <-stop:
				}
			})
		}
		go func() {
			for range never {
			}
		}()
	})
	// select on two channels, unlabeled.
	for i := 0; i < 2; i++ {
		go func() {
			select {
			case <-a:
			case <-b:
			case <-stop:
			}
		}()
	}
	// sync.Mutex lock, labeled.
	pprof.Do(ctx, pprof.Labels("role", "locker"), func(context.Context) {
		for i := 0; i < 2; i++ {
			go func() {
				held.Lock()
				held.Unlock()
			}()
		}
	})
	// sleep, labeled.
	pprof.Do(ctx, pprof.Labels("role", "sleeper", "group", "b"), func(context.Context) {
		for i := 0; i < 2; i++ {
			go nest(2, func() { time.Sleep(time.Hour) })
		}
	})
	// chan send (nobody ever receives from sendCh).
	go func() { sendCh <- 1 }()
	// select with no cases.
	go func() { select {} }()
	// sync.Cond wait.
	go func() {
		cmu.Lock()
		cond.Wait()
		cmu.Unlock()
	}()
	// WaitGroup wait.
	go func() { wgNever.Wait() }()
	// IO wait on a pipe.
	go func() {
		buf := make([]byte, 1)
		pr.Read(buf)
	}()
	// Idle worker pool: workers parked in chan receive inside pool.
	idle := pool.New(2)

	time.Sleep(50 * time.Millisecond)
	return func() {
		close(stop)
		held.Unlock()
		cond.Broadcast()
		wgNever.Done()
		pw.Close()
		idle.Wait()
	}
}
