// Command symgo is the Go workload of the symbolization tests
// (testdata/README.md): inlined functions, methods, closures and a
// generic function, profiled with runtime/pprof.
package main

import (
	"flag"
	"os"
	"runtime/pprof"
	"sort"
	"strconv"
	"time"
)

type matrix struct {
	n int
	v []float64
}

func (m *matrix) at(i, j int) float64 { return m.v[i*m.n+j] }

func (m *matrix) add(i, j int, x float64) { m.v[i*m.n+j] += x }

func mul(a, b, c *matrix) {
	for i := 0; i < a.n; i++ {
		for j := 0; j < a.n; j++ {
			for k := 0; k < a.n; k++ {
				c.add(i, j, a.at(i, k)*b.at(k, j))
			}
		}
	}
}

func sum[T int | float64](v []T) T {
	var s T
	for _, x := range v {
		s += x
	}
	return s
}

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func words(seed uint32, n int) []string {
	w := make([]string, n)
	for i := range w {
		seed = seed*1664525 + 1013904223
		w[i] = "w" + strconv.Itoa(int(seed%97))
	}
	sort.Slice(w, func(i, j int) bool { return w[i] > w[j] })
	return w
}

var sink float64

func main() {
	out := flag.String("out", "cpu.pb.gz", "profile to write")
	secs := flag.Duration("t", 500*time.Millisecond, "how long to run")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		panic(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		panic(err)
	}
	end := time.Now().Add(*secs)
	n := 24
	a := &matrix{n, make([]float64, n*n)}
	b := &matrix{n, make([]float64, n*n)}
	c := &matrix{n, make([]float64, n*n)}
	for i := range a.v {
		a.v[i] = float64(i % 7)
		b.v[i] = float64(i % 5)
	}
	for round := 0; time.Now().Before(end); round++ {
		mul(a, b, c)
		sink += sum(c.v)
		sink += float64(fib(18))
		sink += float64(len(words(uint32(round), 500)))
		sink += float64(sum([]int{round, 1, 2}))
	}
	pprof.StopCPUProfile()
	f.Close()
}
