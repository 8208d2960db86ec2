// Command fetchserver is the server side of cprof's tests of remote sources
// (tests/fetch): one process, started by a test and ending by itself, that
// listens on 127.0.0.1 only and answers
//
//	/debug/pprof/...            the Go runtime's own net/http/pprof handlers
//	                            (CPU, heap, goroutine dumps, the symbol handler)
//	                            of this process, which keeps some goroutines
//	                            busy, allocating and blocking meanwhile
//	/rec/<path>/<file>          the recorded profile <file> of -dir (any
//	                            query), e.g. /rec/debug/pprof/heap.txt
//	/rec/<path>/symbol          a symbol handler (pprof's symbolz protocol)
//	                            for the addresses of -bin, from its ELF symbols
//	/bad/<what>                 misbehaving servers: status/<code>[/pprof],
//	                            stall, stallbody, cut, garbage, endless, empty,
//	                            nohttp, loop (endless redirects), slowdrip,
//	                            slow/<ms>/<file> (a recorded profile, late),
//	                            gzipenc/<file> (sent with Content-Encoding: gzip)
//	/symbolz                    the same, where pprof asks when a profile's path
//	                            is none it knows (/rec/cpu.prof)
//	/nosym/<path>/<file>        a recorded profile whose symbol handler is
//	                            missing (404)
//
// With -tls DIR it also listens for https with a certificate for 127.0.0.1
// signed by a CA made at start (DIR/ca.pem), and for https that requires a
// client certificate signed by that CA (DIR/client.pem, DIR/client.key).
// The ports go to -ports FILE ("http N", "https N", "mtls N" lines) once
// listening; the process exits after -life.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"debug/elf"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/pprof"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

var (
	dir   = flag.String("dir", ".", "directories (colon-separated) of the recorded profiles served under /rec/")
	bin   = flag.String("bin", "", "ELF binary whose symbols /rec/.../symbol answers with")
	ports = flag.String("ports", "", "file to write the listening ports to")
	life  = flag.Duration("life", 60*time.Second, "exit after this long")
	tlsd  = flag.String("tls", "", "directory for ca.pem, client.pem, client.key: also serve https")
	urls  = flag.Bool("urls", false, "print how Go's net/url reads each source line of stdin, and exit")
	secs  = flag.Int("seconds", -1, "with -urls: the -seconds flag")
	tmo   = flag.Int("timeout", -1, "with -urls: the -timeout flag")
)

func init() {
	runtime.MemProfileRate = 4096
}

// ---- the recorded profiles and their symbols ----

type sym struct {
	start, end uint64
	name       string
}

var syms []sym

func loadSymbols(name string) {
	f, err := elf.Open(name)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	all, err := f.Symbols()
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range all {
		if elf.ST_TYPE(s.Info) == elf.STT_FUNC && s.Value != 0 {
			syms = append(syms, sym{s.Value, s.Value + s.Size, s.Name})
		}
	}
	sort.Slice(syms, func(i, j int) bool { return syms[i].start < syms[j].start })
}

func lookup(pc uint64) string {
	i := sort.Search(len(syms), func(i int) bool { return syms[i].start > pc })
	if i == 0 || pc >= syms[i-1].end {
		return ""
	}
	return syms[i-1].name
}

// symbolHandler answers as net/http/pprof's Symbol does, from -bin.
func symbolHandler(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "num_symbols: 1\n")
	var in io.Reader = strings.NewReader(r.URL.RawQuery)
	if r.Method == "POST" {
		in = r.Body
	}
	b := bufio.NewReader(in)
	for {
		word, err := b.ReadSlice('+')
		if err == nil {
			word = word[:len(word)-1]
		}
		if pc, _ := strconv.ParseUint(string(word), 0, 64); pc != 0 {
			if name := lookup(pc); name != "" {
				fmt.Fprintf(&buf, "%#x %s\n", pc, name)
			}
		}
		if err != nil {
			break
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write(buf.Bytes())
}

func recorded(prefix string, withSymbols bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(r.URL.Path, prefix)
		base := path.Base(p)
		if (base == "symbol" || base == "symbolz") && withSymbols {
			symbolHandler(w, r)
			return
		}
		var data []byte
		err := os.ErrNotExist
		for _, d := range filepath.SplitList(*dir) {
			if data, err = os.ReadFile(filepath.Join(d, base)); err == nil {
				break
			}
		}
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(data)
	}
}

// ---- misbehaving servers ----

func hijack(w http.ResponseWriter) net.Conn {
	c, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		log.Fatal(err)
	}
	return c
}

func wait(r *http.Request, d time.Duration) {
	select {
	case <-r.Context().Done():
	case <-time.After(d):
	}
}

func bad(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/bad/"), "/")
	switch parts[0] {
	case "status": // status/<code>[/pprof]: an error as a pprof handler gives it, or a plain one
		code, _ := strconv.Atoi(parts[1])
		if len(parts) > 2 && parts[2] == "pprof" {
			w.Header().Set("X-Go-Pprof", "1")
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(code)
			fmt.Fprintf(w, "profile duration exceeds server's WriteTimeout\nsecond line\n")
			return
		}
		w.WriteHeader(code)
		fmt.Fprintf(w, "<html>nothing here</html>\n")
	case "stall": // no answer at all
		wait(r, *life)
	case "stallbody": // the headers and a little, then nothing
		w.Header().Set("Content-Length", "100000")
		w.WriteHeader(200)
		w.Write([]byte{0x1f, 0x8b, 8, 0})
		w.(http.Flusher).Flush()
		wait(r, *life)
	case "cut": // a real profile cut short: the connection closes mid-body
		data, err := os.ReadFile(filepath.Join(filepath.SplitList(*dir)[0], "cpu.pb.gz"))
		if err != nil {
			log.Fatal(err)
		}
		c := hijack(w)
		fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n", len(data))
		c.Write(data[:len(data)/3])
		c.Close()
	case "garbage":
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, "<html><body>Welcome to the server. This is not a profile.</body></html>\n")
	case "endless": // a body without end, as fast as it goes
		w.Header().Set("Content-Type", "application/octet-stream")
		chunk := bytes.Repeat([]byte("0123456789abcdef"), 4096)
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	case "slowdrip": // a byte now and then, never the end
		w.Header().Set("Content-Type", "application/octet-stream")
		for i := 0; ; i++ {
			if _, err := w.Write([]byte{'x'}); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(200 * time.Millisecond):
			}
		}
	case "slow": // slow/<ms>/<file>: a recorded profile after a while
		ms, _ := strconv.Atoi(parts[1])
		wait(r, time.Duration(ms)*time.Millisecond)
		r.URL.Path = "/rec/" + strings.Join(parts[2:], "/")
		recorded("/rec/", true)(w, r)
	case "gzipenc": // gzipenc/<file>: a recorded profile sent with Content-Encoding: gzip
		var data []byte
		err := os.ErrNotExist
		for _, d := range filepath.SplitList(*dir) {
			if data, err = os.ReadFile(filepath.Join(d, parts[len(parts)-1])); err == nil {
				break
			}
		}
		if err != nil {
			http.NotFound(w, r)
			return
		}
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write(data)
		zw.Close()
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(z.Bytes())
	case "empty":
		w.WriteHeader(200)
	case "nohttp": // not HTTP at all
		c := hijack(w)
		c.Write([]byte("SSH-2.0-OpenSSH_9.2\r\nProtocol mismatch.\r\n"))
		c.Close()
	case "loop":
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	default:
		http.NotFound(w, r)
	}
}

// ---- the live process: work to profile ----

//go:noinline
func spin(n int) uint64 {
	h := sha256.New()
	var sum uint64
	buf := make([]byte, 4096)
	for i := 0; i < n; i++ {
		buf[i%len(buf)] = byte(i)
		h.Write(buf)
		sum += uint64(h.Sum(nil)[0])
	}
	return sum
}

var keep [][]byte
var keepMu sync.Mutex

//go:noinline
func allocate() {
	keepMu.Lock()
	keep = append(keep, make([]byte, 64<<10))
	if len(keep) > 64 {
		keep = keep[1:]
	}
	keepMu.Unlock()
}

func work() {
	go func() {
		for {
			spin(200)
			allocate()
		}
	}()
	go func() {
		for {
			spin(100)
			time.Sleep(time.Millisecond)
		}
	}()
	ch := make(chan int)
	for i := 0; i < 3; i++ {
		go func() { <-ch }()
	}
}

// ---- certificates ----

func writePEM(name, typ string, der []byte) {
	if err := os.WriteFile(name, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0600); err != nil {
		log.Fatal(err)
	}
}

func makeCerts(d string) (server tls.Certificate, pool *x509.CertPool) {
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	now := time.Now()
	ca := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "cprof test CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		log.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	writePEM(filepath.Join(d, "ca.pem"), "CERTIFICATE", caDER)
	pool = x509.NewCertPool()
	pool.AddCert(caCert)

	leaf := func(serial int64, usage x509.ExtKeyUsage, cert, key string) tls.Certificate {
		k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		t := &x509.Certificate{
			SerialNumber: big.NewInt(serial),
			Subject:      pkix.Name{CommonName: "127.0.0.1"},
			NotBefore:    now.Add(-time.Hour),
			NotAfter:     now.Add(24 * time.Hour),
			KeyUsage:     x509.KeyUsageDigitalSignature,
			ExtKeyUsage:  []x509.ExtKeyUsage{usage},
			IPAddresses:  []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
			DNSNames:     []string{"localhost"},
		}
		der, err := x509.CreateCertificate(rand.Reader, t, caCert, &k.PublicKey, caKey)
		if err != nil {
			log.Fatal(err)
		}
		kder, _ := x509.MarshalECPrivateKey(k)
		if cert != "" {
			writePEM(filepath.Join(d, cert), "CERTIFICATE", der)
			writePEM(filepath.Join(d, key), "EC PRIVATE KEY", kder)
		}
		return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: k}
	}
	server = leaf(2, x509.ExtKeyUsageServerAuth, "", "")
	leaf(3, x509.ExtKeyUsageClientAuth, "client.pem", "client.key")
	return server, pool
}

func listen() net.Listener {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	return l
}

// ---- URLs, as go tool pprof reads them (for tests/tools/urlcheck.c) ----

// adjust is what Go 1.19's cmd/pprof does to a source before fetching it.
func adjust(source string, duration, timeout time.Duration) (string, time.Duration) {
	u, err := url.Parse(source)
	if err != nil || (u.Host == "" && u.Scheme != "" && u.Scheme != "file") {
		u, err = url.Parse("http://" + source)
	}
	if err != nil || u.Host == "" {
		return "", 0
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/debug/pprof/profile"
	}
	values := u.Query()
	if duration > 0 {
		values.Set("seconds", fmt.Sprint(int(duration.Seconds())))
	} else if s := values.Get("seconds"); s != "" {
		if us, err := strconv.ParseInt(s, 10, 32); err == nil {
			duration = time.Duration(us) * time.Second
		}
	}
	if timeout <= 0 {
		if duration > 0 {
			timeout = duration + duration/2
		} else {
			timeout = 60 * time.Second
		}
	}
	u.RawQuery = values.Encode()
	return u.String(), timeout
}

// symbolzURL is pprof's symbolz(): the symbol handler beside a profile URL.
func symbolzURL(source string) string {
	u, err := url.Parse(source)
	if err != nil || u.Host == "" {
		return ""
	}
	known := strings.Contains(u.Path, "/debug/pprof/")
	for _, s := range []string{"/pprof/heap", "/pprof/growth", "/pprof/profile", "/pprof/pmuprofile", "/pprof/contention"} {
		known = known || strings.HasSuffix(u.Path, s)
	}
	if known {
		u.Path = path.Clean(u.Path + "/../symbol")
	} else {
		u.Path = "/symbolz"
	}
	u.RawQuery = ""
	return u.String()
}

func printURLs() {
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		src := in.Text()
		fetch, t := adjust(src, time.Duration(*secs)*time.Second, time.Duration(*tmo)*time.Second)
		sz, ms := "-", int64(0)
		if fetch != "" {
			ms = (t + 5*time.Second).Milliseconds()
			if s := symbolzURL(fetch); s != "" {
				sz = s
			}
		} else {
			fetch = "-"
		}
		abs := 0
		if u, err := url.Parse(src); err == nil && u.IsAbs() {
			abs = 1
		}
		fmt.Printf("%s\t%s\t%d\t%s\t%d\n", src, fetch, ms, sz, abs)
	}
}

func main() {
	flag.Parse()
	if *urls {
		printURLs()
		return
	}
	if *bin != "" {
		loadSymbols(*bin)
	}
	runtime.SetBlockProfileRate(1)
	runtime.SetMutexProfileFraction(1)
	work()

	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("/rec/", recorded("/rec/", true))
	mux.HandleFunc("/nosym/", recorded("/nosym/", false))
	mux.HandleFunc("/symbolz", symbolHandler) // for profile URLs pprof knows no symbol handler beside
	mux.HandleFunc("/bad/", bad)

	var lines []string
	l := listen()
	lines = append(lines, fmt.Sprintf("http %d", l.Addr().(*net.TCPAddr).Port))
	go http.Serve(l, mux)
	if *tlsd != "" {
		cert, pool := makeCerts(*tlsd)
		for _, mtls := range []bool{false, true} {
			cfg := &tls.Config{Certificates: []tls.Certificate{cert}}
			name := "https"
			if mtls {
				cfg.ClientAuth = tls.RequireAndVerifyClientCert
				cfg.ClientCAs = pool
				name = "mtls"
			}
			tl := listen()
			lines = append(lines, fmt.Sprintf("%s %d", name, tl.Addr().(*net.TCPAddr).Port))
			srv := &http.Server{Handler: mux, TLSConfig: cfg, ErrorLog: log.New(io.Discard, "", 0)}
			go srv.Serve(tls.NewListener(tl, cfg))
		}
	}
	if *ports != "" {
		tmp := *ports + ".tmp"
		if err := os.WriteFile(tmp, []byte(strings.Join(lines, "\n")+"\n"), 0644); err != nil {
			log.Fatal(err)
		}
		os.Rename(tmp, *ports)
	}
	time.Sleep(*life)
}
