// Package store is a mutex-protected key/value store used to create
// allocations (heap, allocs profiles) and lock contention (mutex, block).
package store

import (
	"runtime"
	"strconv"
	"sync"
)

// Record is one stored value.
type Record struct {
	Key  string
	Val  []byte
	Next *Record
}

// Store is a map guarded by a sync.Mutex.
type Store struct {
	mu     sync.Mutex
	m      map[string]*Record
	hits   int64
	misses int64
}

// New returns an empty store.
func New() *Store { return &Store{m: make(map[string]*Record)} }

// Put stores a copy of val under key, chaining the previous record.
func (s *Store) Put(key string, val []byte) {
	v := make([]byte, len(val))
	copy(v, val)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = &Record{Key: key, Val: v, Next: s.m[key]}
}

// Get returns the newest value for key.
func (s *Store) Get(key string) ([]byte, bool) {
	s.mu.Lock()
	r, ok := s.m[key]
	if ok {
		s.hits++
	} else {
		s.misses++
	}
	s.mu.Unlock()
	if !ok {
		return nil, false
	}
	return r.Val, true
}

// Update replaces the newest value of key with f(old) while holding the
// lock (f runs inside the critical section).
func (s *Store) Update(key string, f func([]byte) []byte) {
	s.mu.Lock()
	r := s.m[key]
	var old []byte
	if r != nil {
		old = r.Val
	}
	s.m[key] = &Record{Key: key, Val: f(old)}
	s.mu.Unlock()
}

// Len returns the number of keys.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}

// Trim drops all but the newest record of every key.
func (s *Store) Trim() {
	s.mu.Lock()
	for _, r := range s.m {
		r.Next = nil
	}
	s.mu.Unlock()
}

// Snapshot copies every value into a fresh slice (allocation heavy).
func (s *Store) Snapshot() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([][]byte, 0, len(s.m))
	for _, r := range s.m {
		out = append(out, append([]byte(nil), r.Val...))
	}
	return out
}

// Key formats a key.
func Key(prefix string, i int) string { return prefix + strconv.Itoa(i) }

// Encode serializes a record into a new buffer.
func Encode(r *Record) []byte {
	buf := make([]byte, 0, 16)
	for ; r != nil; r = r.Next {
		buf = strconv.AppendInt(buf, int64(len(r.Key)), 10)
		buf = append(buf, r.Key...)
		buf = append(buf, r.Val...)
	}
	return buf
}

// Cache is guarded by a RWMutex.
type Cache struct {
	mu sync.RWMutex
	m  map[int][]byte
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{m: make(map[int][]byte)} }

// Load reads under the read lock.
func (c *Cache) Load(k int) []byte {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[k]
}

// Store writes under the write lock and holds it for a while.
func (c *Cache) Store(k int, v []byte, spin int) {
	c.mu.Lock()
	c.m[k] = v
	x := 0
	for i := 0; i < spin; i++ {
		x += i * k
	}
	if x == -1 {
		c.m[0] = nil
	}
	if k%4 == 0 {
		runtime.Gosched() // let readers pile up on the lock
	}
	c.mu.Unlock()
}
