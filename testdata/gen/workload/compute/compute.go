// Package compute holds CPU-bound kernels: direct recursion (Fib), mutual
// recursion (Hofstadter Female/Male), matrix multiplication with inlined
// accessors, a hash with an inlined mixing step, a generic function, and
// closures.
package compute

import (
	"sort"
)

// Clamp is small enough to be inlined, including across packages.
func Clamp(v, lo, hi int64) int64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// Fib is directly recursive.
func Fib(n int) int {
	if n < 2 {
		return n
	}
	return Fib(n-1) + Fib(n-2)
}

// Female and Male are the mutually recursive Hofstadter sequences.
func Female(n int) int {
	if n == 0 {
		return 1
	}
	return n - Male(Female(n-1))
}

// Male: see Female.
func Male(n int) int {
	if n == 0 {
		return 0
	}
	return n - Female(Male(n-1))
}

// Matrix is a dense square matrix.
type Matrix struct {
	n int
	a []float64
}

// NewMatrix returns an n x n matrix filled from seed.
func NewMatrix(n int, seed float64) *Matrix {
	m := &Matrix{n: n, a: make([]float64, n*n)}
	for i := range m.a {
		m.a[i] = seed + float64(i%17)*0.25
	}
	return m
}

func (m *Matrix) at(i, j int) float64 { return m.a[i*m.n+j] }

func (m *Matrix) set(i, j int, v float64) { m.a[i*m.n+j] = v }

func fma(acc, x, y float64) float64 { return acc + x*y }

// Mul returns m*o.
func (m *Matrix) Mul(o *Matrix) *Matrix {
	r := &Matrix{n: m.n, a: make([]float64, m.n*m.n)}
	for i := 0; i < m.n; i++ {
		for j := 0; j < m.n; j++ {
			var acc float64
			for k := 0; k < m.n; k++ {
				acc = fma(acc, m.at(i, k), o.at(k, j))
			}
			r.set(i, j, acc)
		}
	}
	return r
}

// Trace returns the sum of the diagonal.
func (m *Matrix) Trace() float64 {
	var t float64
	for i := 0; i < m.n; i++ {
		t += m.at(i, i)
	}
	return t
}

// Hasher is an FNV-like hash.
type Hasher struct {
	h uint64
}

func mix(h, x uint64) uint64 {
	h ^= x
	h *= 1099511628211
	return h ^ (h >> 29)
}

// Write hashes p.
func (h *Hasher) Write(p []byte) {
	for _, b := range p {
		h.h = mix(h.h, uint64(b))
	}
}

// Sum64 returns the hash.
func (h *Hasher) Sum64() uint64 { return h.h }

// HashRounds hashes buf n times.
func HashRounds(buf []byte, n int) uint64 {
	h := &Hasher{h: 14695981039346656037}
	for i := 0; i < n; i++ {
		h.Write(buf)
	}
	return h.Sum64()
}

// Number is the constraint of the generic Sum.
type Number interface {
	~int | ~int64 | ~float64
}

// Sum is generic.
func Sum[T Number](xs []T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

// MapReduce applies m to each element and folds with r.
func MapReduce(xs []int, m func(int) int, r func(a, b int) int) int {
	acc := 0
	for _, x := range xs {
		acc = r(acc, m(x))
	}
	return acc
}

// Pipeline uses closures that capture local state.
func Pipeline(xs []int, k int) int {
	offset := k * 3
	square := func(x int) int { return (x + offset) * (x + offset) % 1000003 }
	add := func(a, b int) int { return (a + b) % 1000003 }
	total := 0
	for round := 0; round < 20; round++ {
		total += MapReduce(xs, square, add)
		offset++
	}
	return total
}

// SortAndSum sorts a copy of xs with a closure comparator.
func SortAndSum(xs []int) int {
	ys := make([]int, len(xs))
	copy(ys, xs)
	sort.Slice(ys, func(i, j int) bool { return ys[i]%977 < ys[j]%977 })
	return Sum(ys[:len(ys)/2])
}
