// Package pool is a small goroutine worker pool fed by an unbuffered
// channel, so idle workers block in chan receive and the submitter blocks in
// chan send (block profile).
package pool

import (
	"sync"
	"sync/atomic"
)

// Job is a unit of work.
type Job func() int64

// Pool runs jobs on a fixed number of goroutines.
type Pool struct {
	jobs  chan Job
	wg    sync.WaitGroup
	total int64
	done  int64
}

// New starts n workers.
func New(n int) *Pool {
	p := &Pool{jobs: make(chan Job)}
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go p.worker(i)
	}
	return p
}

func (p *Pool) worker(id int) {
	defer p.wg.Done()
	for j := range p.jobs {
		p.run(j)
	}
}

// run is a separate (non-inlined because of the atomic ops and the call
// through a func value) frame between worker and the job closure.
func (p *Pool) run(j Job) {
	v := j()
	atomic.AddInt64(&p.total, v)
	atomic.AddInt64(&p.done, 1)
}

// Submit hands a job to a worker, blocking until one is free.
func (p *Pool) Submit(j Job) { p.jobs <- j }

// Wait closes the queue and waits for the workers.
func (p *Pool) Wait() (total, done int64) {
	close(p.jobs)
	p.wg.Wait()
	return atomic.LoadInt64(&p.total), atomic.LoadInt64(&p.done)
}
