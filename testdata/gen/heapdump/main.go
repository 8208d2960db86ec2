// Command heapdump builds a heap whose retained structure is known by
// construction and writes it with runtime/debug.WriteHeapDump.
//
// -mode=test (the default) builds:
//
//   - main.list: a global holding a singly linked list of 1000 nodes of
//     64 bytes each (a size class of its own), reachable from nothing
//     else;
//   - main.tree: a global holding a complete binary tree of 1023 nodes
//     of 32 bytes;
//   - one 32-byte object that the list's last node and the tree's root
//     both point to: dominated by neither global, only by the globals
//     together;
//   - main.holder: a goroutine whose stack frame holds a 1 MiB buffer,
//     parked on a channel;
//   - a finalizer set on a 24-byte object holding a 256 KiB buffer, the
//     object dropped: only the finalizer keeps both alive;
//   - garbage: 100 buffers of 8 KiB, unreachable.
//
// -small makes each of them smaller (100 nodes, 63 tree nodes, 64 KiB,
// 16 KiB, 10 buffers of 4 KiB), for a dump small enough to keep in the
// repository. -expect FILE writes what was built, figures by
// construction, one line each: KIND NAME OBJECTS BYTES.
//
// The garbage collector is off (debug.SetGCPercent(-1)) in test mode so
// that nothing is collected or finalized between building and dumping, and
// runtime.MemProfileRate is set before anything is allocated (-rate,
// default 1: every object has its allocation sample in the dump).
//
// -mode=big builds a heap of about -size bytes (a dump of about that
// size) for benchmarks: a global map of string keys to records, each
// record with a linked list of small nodes and a byte buffer, plus a
// global slice of trees.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"unsafe"
)

var (
	listLen   = 1000
	treeDepth = 10
	holdBytes = 1 << 20
	finBytes  = 256 << 10
	dropBufs  = 100
	dropBytes = 8 << 10
)

func small() {
	listLen, treeDepth, holdBytes, finBytes, dropBufs, dropBytes = 100, 6, 64<<10, 16<<10, 10, 4<<10
}

type node struct { // 64 bytes
	next  *node
	extra *[4]int64
	id    int64
	pad   [5]int64
}

type tnode struct { // 32 bytes
	left, right *tnode
	extra       *[4]int64
	id          int64
}

type finObj struct { // 24 bytes
	data []byte
}

var (
	list  *node
	tree  *tnode
	ready = make(chan struct{})
	stop  = make(chan struct{})
)

//go:noinline
func buildList(n int) *node {
	var head *node
	for i := n; i > 0; i-- {
		head = &node{next: head, id: int64(i)}
	}
	return head
}

//go:noinline
func buildTree(depth int, id *int64) *tnode {
	if depth == 0 {
		return nil
	}
	*id++
	t := &tnode{id: *id}
	t.left = buildTree(depth-1, id)
	t.right = buildTree(depth-1, id)
	return t
}

//go:noinline
func holder() {
	buf := make([]byte, holdBytes)
	buf[0] = 1
	ready <- struct{}{}
	<-stop
	runtime.KeepAlive(buf)
}

//go:noinline
func finalized() {
	o := &finObj{data: make([]byte, finBytes)}
	runtime.SetFinalizer(o, func(*finObj) {})
}

// drop holds each garbage buffer in turn (so that it escapes to the heap).
var drop []byte

//go:noinline
func garbage() {
	for i := 0; i < dropBufs; i++ {
		drop = make([]byte, dropBytes)
		drop[0] = byte(i)
	}
	drop = nil
}

// expectations: what buildTest makes, by construction.
func expectations() string {
	treeNodes := 1<<treeDepth - 1
	nodeSize, tnodeSize := int(unsafe.Sizeof(node{})), int(unsafe.Sizeof(tnode{}))
	finSize, sharedSize := int(unsafe.Sizeof(finObj{})), int(unsafe.Sizeof([4]int64{}))
	lines := []string{
		fmt.Sprintf("global main.list %d %d", listLen, listLen*nodeSize),
		fmt.Sprintf("global main.tree %d %d", treeNodes, treeNodes*tnodeSize),
		fmt.Sprintf("stack main.holder 1 %d", holdBytes),
		fmt.Sprintf("finalizer main.finalized.func1 2 %d", finSize+finBytes),
		fmt.Sprintf("shared main.buildTest 1 %d", sharedSize),
		fmt.Sprintf("garbage main.garbage %d %d", dropBufs, dropBufs*dropBytes),
		fmt.Sprintf("site main.buildList %d %d", listLen, listLen*nodeSize),
		fmt.Sprintf("site main.buildTree %d %d", treeNodes, treeNodes*tnodeSize),
		fmt.Sprintf("largest main.holder 1 %d", holdBytes),
	}
	return strings.Join(lines, "\n") + "\n"
}

func buildTest() {
	list = buildList(listLen)
	var id int64
	tree = buildTree(treeDepth, &id)
	shared := new([4]int64)
	last := list
	for last.next != nil {
		last = last.next
	}
	last.extra = shared
	tree.extra = shared
	go holder()
	<-ready
	finalized()
	garbage()
}

// big mode: records in a map, each with a list and a buffer.
type record struct {
	name  string
	items *item
	buf   []byte
}

type item struct {
	next *item
	val  [3]int64
}

var (
	table  map[string]*record
	forest []*tnode
)

//go:noinline
func buildBig(size int64) {
	table = make(map[string]*record)
	var used int64
	for i := 0; used < size*3/4; i++ {
		r := &record{name: "record-" + strconv.Itoa(i), buf: make([]byte, 64+i%512)}
		for j := 0; j < 40; j++ {
			r.items = &item{next: r.items, val: [3]int64{int64(i), int64(j), 0}}
		}
		table[r.name] = r
		used += 48 + int64(len(r.buf)) + 40*32 + 40
	}
	for used < size {
		var id int64
		t := buildTree(12, &id)
		forest = append(forest, t)
		used += int64(id) * 32
	}
}

func parseSize(s string) int64 {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "G"):
		mult, s = 1<<30, strings.TrimSuffix(s, "G")
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, strings.TrimSuffix(s, "M")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		fmt.Fprintln(os.Stderr, "heapdump: bad -size:", s)
		os.Exit(2)
	}
	return n * mult
}

func main() {
	out := flag.String("out", "heap.dump", "file to write the dump to")
	mode := flag.String("mode", "test", "test or big")
	rate := flag.Int("rate", 1, "runtime.MemProfileRate (0: the default)")
	size := flag.String("size", "64M", "big mode: heap size (K, M, G)")
	smallFlag := flag.Bool("small", false, "test mode: smaller structures")
	expect := flag.String("expect", "", "test mode: write the figures by construction to this file")
	flag.Parse()
	if *smallFlag {
		small()
	}
	if *rate > 0 {
		runtime.MemProfileRate = *rate
	}
	switch *mode {
	case "test":
		debug.SetGCPercent(-1)
		buildTest()
	case "big":
		buildBig(parseSize(*size))
	default:
		fmt.Fprintln(os.Stderr, "heapdump: unknown -mode", *mode)
		os.Exit(2)
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "heapdump:", err)
		os.Exit(1)
	}
	debug.WriteHeapDump(f.Fd())
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "heapdump:", err)
		os.Exit(1)
	}
	if *expect != "" && *mode == "test" {
		if err := os.WriteFile(*expect, []byte(expectations()), 0o666); err != nil {
			fmt.Fprintln(os.Stderr, "heapdump:", err)
			os.Exit(1)
		}
	}
	runtime.KeepAlive(list)
	runtime.KeepAlive(tree)
	close(stop)
}
