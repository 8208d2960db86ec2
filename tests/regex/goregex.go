//go:build ignore

// goregex.go - the reference side of cprof's regexp differential test: it
// reads a case file and prints, for each pattern, Go's compile error or
// group count and, for each subject, Go's leftmost-first match with its
// groups; tests/tools/regexcheck.c prints the same for cprof.
//
//	go run tests/regex/goregex.go <CASES      results
//	go run tests/regex/goregex.go gen SEED N  N random patterns, a case file
//
// Case file, one item a line ('#' lines and blank lines are skipped):
//
//	p PATTERN    a pattern (the rest of the line, bytes as they are)
//	s SUBJECT    a subject for the last pattern
//	P HEX, S HEX the same, hex-encoded (for newlines, CR or any byte)
//
// Results, one line for each input item:
//
//	p PATTERN              the item again, as it was written
//	  error MESSAGE        err.Error(), or
//	  ok GROUPS            the number of capture groups
//	s SUBJECT: SPANS       "no" or the match and each group as start-end ("-" unset)
package main

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"math/rand"
	"os"
	"regexp"
	"strconv"
	"strings"
)

func decode(line string) (kind byte, val string, ok bool) {
	if len(line) < 2 || line[1] != ' ' {
		return 0, "", false
	}
	switch line[0] {
	case 'p', 's':
		return line[0], line[2:], true
	case 'P', 'S':
		b, err := hex.DecodeString(line[2:])
		if err != nil {
			return 0, "", false
		}
		return line[0] + 'a' - 'A', string(b), true
	}
	return 0, "", false
}

func spans(loc []int) string {
	if loc == nil {
		return "no"
	}
	var parts []string
	for i := 0; i < len(loc); i += 2 {
		if loc[i] < 0 {
			parts = append(parts, "-")
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", loc[i], loc[i+1]))
		}
	}
	return strings.Join(parts, " ")
}

func check() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	var re *regexp.Regexp
	for in.Scan() {
		line := in.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		kind, val, ok := decode(line)
		if !ok {
			fmt.Fprintf(os.Stderr, "goregex: bad line: %q\n", line)
			os.Exit(2)
		}
		if kind == 'p' {
			var err error
			fmt.Fprintf(out, "%s\n", line)
			if re, err = regexp.Compile(val); err != nil {
				// cprof's error messages hold 1023 bytes
				msg := err.Error()
				if len(msg) > 1023 {
					msg = msg[:1023]
				}
				fmt.Fprintf(out, "  error %s\n", msg)
			} else {
				fmt.Fprintf(out, "  ok %d\n", re.NumSubexp())
			}
			continue
		}
		if re == nil {
			continue
		}
		loc := re.FindStringSubmatchIndex(val)
		if (loc != nil) != re.MatchString(val) {
			fmt.Fprintf(os.Stderr, "goregex: Match and Find disagree on %q\n", line)
			os.Exit(2)
		}
		fmt.Fprintf(out, "%s: %s\n", line, spans(loc))
	}
}

// ---- random cases -------------------------------------------------------------

var (
	runes = []string{"a", "b", "c", "A", "B", "k", "K", "s", "S", "z", "0", "7", "_", " ", "-",
		".", "\n", "é", "É", "ß", "ſ", "\u212a", "Σ", "σ", "ς", "日", "µ", "Μ"}
	escapes = []string{`\d`, `\D`, `\w`, `\W`, `\s`, `\S`, `\b`, `\B`, `\A`, `\z`, `^`, `$`, `.`,
		`\pL`, `\p{Lu}`, `\p{Ll}`, `\PL`, `\p{Greek}`, `\P{Greek}`, `\pN`, `\p{^Lu}`, `\p{Any}`,
		`\p{C}`, `\PC`, `\x41`, `\x{e9}`, `\x{212A}`, `\101`, `\0`, `\.`, `\n`, `\t`, `\-`, `\Qa.b\E`,
		`\v`, `\f`}
	classItems = []string{"a", "b", "k", "s", "z", "A-Z", "a-c", "0-9", "_", "-", "é", "\u212a",
		"ſ", "Σ", `\d`, `\W`, `\s`, `\S`, `\pL`, `\PL`, `\p{Lu}`, `\P{Lu}`, `\p{Greek}`, `\PC`,
		"[:alpha:]", "[:^alpha:]", "[:space:]", "[:^lower:]", "[:upper:]", "[:punct:]", "[:word:]",
		`\x{100}-\x{17f}`, `\n`, `.`, "^", "]"}
	flags  = []string{"i", "m", "s", "U", "-i", "i-s", "im", "-m", "-U"}
	broken = []string{"(", ")", "[", "]", "{", "}", "*", "+", "?", "|", "\\", "^", "$", "-", ":",
		",", "1", "0", "P", "<", ">", "=", "!", "x", "p", "{1001}", "{2}", "\xff", "\\Q", "\\E",
		"[:", ":]", "(?", "(?P<", "\\x{", "\\p{"}
)

type gen struct {
	r *rand.Rand
}

func (g *gen) pick(list []string) string { return list[g.r.Intn(len(list))] }

func (g *gen) class() string {
	var b strings.Builder
	b.WriteString("[")
	if g.r.Intn(3) == 0 {
		b.WriteString("^")
	}
	for n := 1 + g.r.Intn(3); n > 0; n-- {
		item := g.pick(classItems)
		if item == "]" || item == "^" {
			item = `\` + item
		}
		b.WriteString(item)
	}
	b.WriteString("]")
	return b.String()
}

func (g *gen) atom(depth int) string {
	switch n := g.r.Intn(20); {
	case n < 7:
		return g.pick(runes)
	case n < 11:
		return g.pick(escapes)
	case n < 14:
		return g.class()
	case depth > 3:
		return g.pick(runes)
	case n < 16:
		return "(" + g.re(depth+1) + ")"
	case n < 17:
		return "(?:" + g.re(depth+1) + ")"
	case n < 18:
		return "(?" + g.pick(flags) + ":" + g.re(depth+1) + ")"
	case n < 19:
		return "(?P<n" + strconv.Itoa(depth) + ">" + g.re(depth+1) + ")"
	default:
		return "(?" + g.pick(flags) + ")"
	}
}

func (g *gen) piece(depth int) string {
	a := g.atom(depth)
	switch n := g.r.Intn(12); {
	case n < 6:
		return a
	case n < 8:
		a += g.pick([]string{"*", "+", "?"})
	case n < 9:
		a += fmt.Sprintf("{%d}", g.r.Intn(4))
	case n < 10:
		a += fmt.Sprintf("{%d,}", g.r.Intn(3))
	default:
		lo := g.r.Intn(3)
		a += fmt.Sprintf("{%d,%d}", lo, lo+g.r.Intn(3))
	}
	if g.r.Intn(3) == 0 {
		a += "?"
	}
	return a
}

func (g *gen) re(depth int) string {
	var b strings.Builder
	for alt := g.r.Intn(4) == 0; ; alt = g.r.Intn(5) == 0 {
		for n := g.r.Intn(4); n > 0; n-- {
			b.WriteString(g.piece(depth))
		}
		if !alt {
			break
		}
		b.WriteString("|")
	}
	return b.String()
}

// mutate breaks a pattern here and there: most are then invalid.
func (g *gen) mutate(p string) string {
	for n := 1 + g.r.Intn(2); n > 0; n-- {
		i := 0
		if len(p) > 0 {
			i = g.r.Intn(len(p) + 1)
		}
		switch g.r.Intn(3) {
		case 0:
			p = p[:i] + g.pick(broken) + p[i:]
		case 1:
			if i < len(p) {
				p = p[:i] + p[i+1:]
			}
		default:
			p = p[:i] + g.pick(broken) + g.pick(broken) + p[i:]
		}
	}
	return p
}

func (g *gen) subject() string {
	var b strings.Builder
	for n := g.r.Intn(9); n > 0; n-- {
		if g.r.Intn(25) == 0 {
			b.WriteString("\xff")
		} else {
			b.WriteString(g.pick(runes))
		}
	}
	return b.String()
}

func item(kind byte, s string) string {
	if strings.ContainsAny(s, "\n\r") {
		return fmt.Sprintf("%c %s", kind+'A'-'a', hex.EncodeToString([]byte(s)))
	}
	return fmt.Sprintf("%c %s", kind, s)
}

func generate(seed int64, n int) {
	g := &gen{rand.New(rand.NewSource(seed))}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	fmt.Fprintf(out, "# %d random patterns, seed %d (tests/regex/goregex.go gen)\n", n, seed)
	for i := 0; i < n; i++ {
		p := g.re(0)
		if g.r.Intn(3) == 0 {
			p = g.mutate(p)
		}
		fmt.Fprintln(out, item('p', p))
		for j := 0; j < 8; j++ {
			fmt.Fprintln(out, item('s', g.subject()))
		}
	}
}

func main() {
	if len(os.Args) == 4 && os.Args[1] == "gen" {
		seed, err1 := strconv.ParseInt(os.Args[2], 10, 64)
		n, err2 := strconv.Atoi(os.Args[3])
		if err1 != nil || err2 != nil {
			fmt.Fprintln(os.Stderr, "usage: goregex gen SEED N")
			os.Exit(2)
		}
		generate(seed, n)
		return
	}
	check()
}
