#!/usr/bin/env python3
"""legacy_fuzz.py - differential fuzzing of cprof's legacy parsers against Go 1.19's.

    tests/tools/legacy_fuzz.py CPROF [COUNT] [SEED]

Builds a tiny oracle program against the pprof `profile` package vendored in
the installed Go toolchain ($(go env GOROOT)/src/cmd/vendor/.../profile,
copied into a temporary module at run time), then feeds both it and
`CPROF dump -go119` COUNT inputs (default 2000): mutations of the legacy
inputs found in ../shared/conformance/pprof/profile/testdata, testdata/go
and testdata/gperf (truncations, byte changes, inserted format tokens,
duplicated or deleted lines) and, for every fourth case, a heap profile
whose memory map is made of random map-line pieces. The parsed profile
(Profile.String()) or the error message must be the same.

Known, deliberate differences are not reported: strings with NUL bytes
(cprof's model keeps C strings), and inputs pprof does not recognize that
cprof reads as Go goroutine dumps (a format pprof lacks).

Exit status: 0 no difference, 1 differences (the inputs are kept in
$FUZZ_KEEP or a temporary directory, printed), 77 Go not found.
"""
import os
import random
import shutil
import subprocess
import sys
import tempfile

ORACLE_MAIN = r'''package main

import (
	"fmt"
	"io/ioutil"
	"os"

	"oracle/profile"
)

func main() {
	data, err := ioutil.ReadFile(os.Args[1])
	if err == nil {
		var p *profile.Profile
		if p, err = profile.ParseData(data); err == nil {
			fmt.Print(p.String())
			return
		}
	}
	fmt.Printf("ERR %v\n", err)
}
'''

TOKENS = [b'\n', b' ', b'0x', b'@', b':', b'[', b']', b'---', b'#', b'=', b'\t', b'\r', b'(', b')',
          b'0', b'9', b'-', b'ffffffffffffffffff', b'--- Memory map: ---\n', b'MAPPED_LIBRARIES:\n',
          b'same as previous thread', b'heap profile: ', b'/', b'.so', b'(deleted)',
          b'0x400000-0x500000 r-xp 0 00:00 0 /bin/x\n', b'a=b\n', b'$a', b'99999999999999999999',
          b'sampling period = 7\n', b'cycles/second = 0x10\n', b'format = java\n',
          b'resolution = bytes\n', b' 0 0 @ 0\n', b'heap_v2/1', b'0b101', b'1_000',
          b'---- no stack trace for', b'--- Thread 1 (name: a/2) stack: ---\n']


def build_oracle(tmp):
    try:
        goroot = subprocess.run(['go', 'env', 'GOROOT'], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        print('legacy_fuzz.py: go not found; skipping')
        sys.exit(77)
    src = os.path.join(goroot, 'src/cmd/vendor/github.com/google/pprof/profile')
    dst = os.path.join(tmp, 'profile')
    os.makedirs(dst)
    for f in os.listdir(src):
        if f.endswith('.go') and not f.endswith('_test.go'):
            shutil.copy(os.path.join(src, f), dst)
    with open(os.path.join(tmp, 'go.mod'), 'w') as f:
        f.write('module oracle\n\ngo 1.19\n')
    with open(os.path.join(tmp, 'main.go'), 'w') as f:
        f.write(ORACLE_MAIN)
    exe = os.path.join(tmp, 'oracle')
    subprocess.run(['go', 'build', '-o', exe, '.'], cwd=tmp, check=True,
                   env=dict(os.environ, GOFLAGS='-mod=mod', GO111MODULE='on'))
    return exe


def mutate(rng, data):
    d = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randint(0, 6)
        if op == 0 and d:
            del d[rng.randint(0, len(d)):]
        elif op == 1 and d:
            d[rng.randrange(len(d))] = rng.randrange(256)
        elif op == 2:
            i = rng.randint(0, len(d))
            d[i:i] = rng.choice(TOKENS)
        elif op == 3 and d:
            i = rng.randrange(len(d))
            del d[i:i + rng.randint(1, 20)]
        elif op in (4, 6):
            lines = bytes(d).split(b'\n')
            i = rng.randrange(len(lines))
            if op == 4:
                lines.insert(i, lines[i])
            elif len(lines) > 1:
                del lines[i]
            d = bytearray(b'\n'.join(lines))
        elif op == 5:
            idx = [i for i in range(len(d)) if 48 <= d[i] <= 57]
            if idx:
                d[rng.choice(idx)] = rng.choice(b'0123456789abcdefx-')
    return bytes(d)


def map_case(rng):
    def hexs():
        return rng.choice(['', '0x']) + ''.join(rng.choice('0123456789abcdefABCDEF') for _ in range(rng.randint(0, 10)))

    def piece():
        return rng.choice([hexs(), '-', ' ', '  ', ':', '\t', rng.choice(['r-xp', 'rw-p', 'r--p', '--xp', 'x', 'p']),
                           '(@' + hexs() + ')', '/bin/' + rng.choice(['a', 'b.so', 'c.so.1', 'd.so_2', '[vdso]', 'e (deleted)']),
                           '08:01', '1234', '$x', '$y', 'x=', 'y =/lib', 'I0101 12:00:00.0 1 f.cc:12] ', '[', ']', '=',
                           '/anon_hugepage', '0x400000', '0x500000', '400000-500000', 'abc123'])

    def line():
        if rng.random() < 0.5:
            parts = [rng.choice(['', '  ', '0x']), hexs(), rng.choice(['-', '- ', ' ', '', '  ']),
                     rng.choice(['', '0x']), hexs(), rng.choice(['', ':'])]
            parts += [rng.choice([' ', '\t', '  ']) + piece() for _ in range(rng.randint(0, 5))]
            return ''.join(parts)
        return ''.join(piece() for _ in range(rng.randint(1, 8)))

    addrs = ' '.join(hex(rng.choice([0x400100, 0x400500, 0x500010, 0x1000, 0x7f0000001000, rng.randrange(1 << 48)]))
                     for _ in range(4))
    body = 'heap profile: 1: 10 [1: 10] @ heapprofile\n1: 10 [1: 10] @ %s\n--- Memory map: ---\n' % addrs
    body += '\n'.join(line() for _ in range(rng.randint(1, 6))) + rng.choice(['', '\n'])
    return body.encode()


def seeds(repo):
    found = []
    for d in [os.path.join(repo, '../shared/conformance/pprof/profile/testdata'),
              os.path.join(repo, 'testdata/go'), os.path.join(repo, 'testdata/gperf')]:
        if os.path.isdir(d):
            for f in sorted(os.listdir(d)):
                p = os.path.join(d, f)
                if f.endswith(('.string', '.gz', 'GOVERSION', 'VERSIONS')) or f in ('workload', 'cperf', 'goroutine2.txt'):
                    continue
                if os.path.isfile(p) and os.path.getsize(p) < 200000:
                    found.append(p)
    return found


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 1
    cprof = os.path.abspath(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), '../..'))
    tmp = tempfile.mkdtemp(prefix='cprof-legacy-fuzz.')
    keep = os.environ.get('FUZZ_KEEP') or tempfile.mkdtemp(prefix='cprof-legacy-fuzz-fail.')
    try:
        oracle = build_oracle(os.path.join(tmp, 'oracle'))
        inputs = [open(p, 'rb').read() for p in seeds(repo)]
        if not inputs:
            print('legacy_fuzz.py: no seed inputs found')
            return 1
        case = os.path.join(tmp, 'case')
        fails = 0
        for n in range(count):
            data = map_case(rng) if n % 4 == 3 else mutate(rng, rng.choice(inputs))
            with open(case, 'wb') as f:
                f.write(data)
            want = subprocess.run([oracle, case], capture_output=True, timeout=120).stdout
            r = subprocess.run([cprof, 'dump', '-go119', case], capture_output=True, timeout=120)
            if r.returncode == 0:
                got = r.stdout
            elif r.returncode == 2:
                msg = r.stderr.rstrip(b'\n')
                prefix = b'cprof: error: ' + case.encode() + b': '
                got = b'ERR ' + msg[len(prefix):] + b'\n' if msg.startswith(prefix) else r.stderr
            else:
                got = b'CRASH %d: ' % r.returncode + r.stderr[-400:]
            if got == want or b'\0' in want:
                continue
            if want.startswith(b'ERR parsing profile: unrecognized') and got.startswith(b'PeriodType:  \nPeriod: 0\n'):
                continue  # read as a goroutine dump
            fails += 1
            path = os.path.join(keep, 'case%d' % fails)
            with open(path, 'wb') as f:
                f.write(data)
            print('DIFF %s\n  pprof: %r\n  cprof: %r' % (path, want[:300], got[:300]))
        print('%d cases, %d differences%s' % (count, fails, ' (inputs in %s)' % keep if fails else ''))
        if not fails and not os.environ.get('FUZZ_KEEP'):
            shutil.rmtree(keep, ignore_errors=True)
        return 1 if fails else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
