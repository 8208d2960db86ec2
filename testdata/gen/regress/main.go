// Command regress generates the profile pairs of testdata/regress/: a fixed
// amount of work split over four functions, where -slow makes exactly one of
// them (main.checksum) do twice the work. cprof diff must name checksum as
// the regression between a normal run and a -slow run, and nothing else.
//
// The work is fixed (-batches batches), not the duration, so the absolute
// CPU time of the three innocent functions (main.parseRecords,
// main.sortRecords, main.encodeRecords) is the same in both modes; only
// their share of the total moves a little (checksum is about 3% of a
// normal run, about 6% of a slow one). Inner loops do not allocate and work on
// small buffers, so the Go runtime and the caches add little noise.
//
// Each function also allocates one heap buffer per batch (checksum a 1 kB
// one per round, so two with -slow) and runtime.MemProfileRate is 1, so the
// allocs profile of the workload is exact: the same sample values for the
// four functions on every run (only runtime/pprof's own allocations, about
// 1% of the total, vary a little).
//
// Output in -out: cpu.pb.gz (CPU profile at -hz samples per second) and
// allocs.pb.gz (the allocs profile after the run).
package main

import (
	"flag"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
)

var _ = func() int { runtime.MemProfileRate = 1; return 0 }()

var (
	outDir  = flag.String("out", "", "output directory (required)")
	slow    = flag.Bool("slow", false, "make main.checksum do twice its work (the regression)")
	batches = flag.Int("batches", 40000, "number of batches of work")
	hz      = flag.Int("hz", 1000, "CPU profiling rate in samples per second")
)

// sink and escaped defeat dead-code elimination; storing each buffer in
// escaped also moves it to the heap, so that the allocs profile sees it.
var (
	sink    uint64
	escaped []byte
	keys32  []uint32
)

const recLen = 4096

//go:noinline
func parseRecords(seed uint64) uint64 {
	buf := make([]byte, recLen)
	x := seed
	for i := range buf {
		x = x*6364136223846793005 + 1442695040888963407
		buf[i] = byte(x >> 56)
	}
	var fields uint64
	for r := 0; r < 40; r++ {
		for i, c := range buf {
			if c < 32 || c == ',' {
				fields += uint64(i) ^ uint64(r)
			} else {
				fields = fields*31 + uint64(c)
			}
		}
	}
	escaped = buf
	return fields
}

//go:noinline
func sortRecords(seed uint64) uint64 {
	keys := make([]uint32, 512)
	x := uint32(seed)
	for i := range keys {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		keys[i] = x
	}
	// insertion sort: quadratic on purpose, no calls
	for i := 1; i < len(keys); i++ {
		k := keys[i]
		j := i - 1
		for j >= 0 && keys[j] > k {
			keys[j+1] = keys[j]
			j--
		}
		keys[j+1] = k
	}
	keys32 = keys
	return uint64(keys[len(keys)/2])
}

//go:noinline
func encodeRecords(seed uint64) uint64 {
	const values = recLen / 4
	out := make([]byte, 10*values) // room for the longest varints
	var n uint64
	for r := 0; r < 36; r++ {
		v, k := seed+uint64(r), 0
		for i := 0; i < values; i++ {
			v = v*2862933555777941757 + 3037000493
			w := v >> uint(i&63)
			for w >= 0x80 {
				out[k] = byte(w) | 0x80
				k++
				w >>= 7
			}
			out[k] = byte(w)
			k++
		}
		n += uint64(k)
	}
	escaped = out
	return n
}

//go:noinline
func checksum(seed uint64, rounds int) uint64 {
	var h uint64 = 14695981039346656037
	for r := 0; r < rounds; r++ {
		buf := make([]byte, recLen/4)
		for i := range buf {
			buf[i] = byte(seed >> uint(i&7*8))
		}
		for k := 0; k < 12; k++ {
			for _, c := range buf {
				h ^= uint64(c) + uint64(k)
				h *= 1099511628211
			}
		}
		escaped = buf
	}
	return h
}

//go:noinline
func runBatch(i int) uint64 {
	seed := uint64(i)*0x9e3779b97f4a7c15 + 1
	rounds := 1
	if *slow {
		rounds = 2
	}
	return parseRecords(seed) ^ sortRecords(seed) ^ encodeRecords(seed) ^ checksum(seed, rounds)
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("regress: ")
	flag.Parse()
	if *outDir == "" {
		log.Fatal("-out is required")
	}
	cpu, err := os.Create(filepath.Join(*outDir, "cpu.pb.gz"))
	if err != nil {
		log.Fatal(err)
	}
	// Setting the rate first makes StartCPUProfile keep it (it prints a
	// harmless "cannot set cpu profile rate" warning).
	runtime.SetCPUProfileRate(*hz)
	if err := pprof.StartCPUProfile(cpu); err != nil {
		log.Fatal(err)
	}
	for i := 0; i < *batches; i++ {
		sink ^= runBatch(i)
	}
	pprof.StopCPUProfile()
	if err := cpu.Close(); err != nil {
		log.Fatal(err)
	}
	allocs, err := os.Create(filepath.Join(*outDir, "allocs.pb.gz"))
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.Lookup("allocs").WriteTo(allocs, 0); err != nil {
		log.Fatal(err)
	}
	if err := allocs.Close(); err != nil {
		log.Fatal(err)
	}
}
