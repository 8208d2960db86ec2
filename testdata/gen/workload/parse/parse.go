// Package parse implements a tiny arithmetic-expression lexer, a recursive
// descent parser (mutually recursive parseExpr/parseTerm/parseFactor) and a
// recursive tree evaluator. It exists only to give CPU and heap profiles
// interesting, multi-package stacks.
package parse

import (
	"errors"
	"math/rand"
	"strconv"
	"strings"

	"cprofgen/workload/compute"
)

// Kind is a token kind.
type Kind int

const (
	EOF Kind = iota
	Num
	Op
	LParen
	RParen
)

// Token is one lexical token.
type Token struct {
	Kind Kind
	Val  int64
	Op   byte
}

// Lexer splits an expression into tokens.
type Lexer struct {
	src string
	pos int
}

// Small helpers: the compiler inlines these into their callers, so samples
// in them appear as inlined frames.
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }

func (l *Lexer) peek() byte {
	if l.pos < len(l.src) {
		return l.src[l.pos]
	}
	return 0
}

func (l *Lexer) skipSpace() {
	for l.pos < len(l.src) && isSpace(l.src[l.pos]) {
		l.pos++
	}
}

// Next returns the next token.
func (l *Lexer) Next() Token {
	l.skipSpace()
	c := l.peek()
	switch {
	case c == 0:
		return Token{Kind: EOF}
	case isDigit(c):
		var v int64
		for isDigit(l.peek()) {
			v = v*10 + int64(l.peek()-'0')
			l.pos++
		}
		return Token{Kind: Num, Val: v}
	case c == '(':
		l.pos++
		return Token{Kind: LParen}
	case c == ')':
		l.pos++
		return Token{Kind: RParen}
	default:
		l.pos++
		return Token{Kind: Op, Op: c}
	}
}

// Node is an expression tree node.
type Node struct {
	Op   byte
	Val  int64
	L, R *Node
}

// Eval evaluates the tree recursively.
func (n *Node) Eval() int64 {
	if n.Op == 0 {
		return n.Val
	}
	l := n.L.Eval()
	if n.Op == 'n' {
		return -l
	}
	r := n.R.Eval()
	switch n.Op {
	case '+':
		return l + r
	case '-':
		return l - r
	case '*':
		return compute.Clamp(l*r, -1<<40, 1<<40)
	case '/':
		if r == 0 {
			return 0
		}
		return l / r
	case '%':
		if r == 0 {
			return 0
		}
		return l % r
	}
	return 0
}

// Parser is a recursive descent parser.
type Parser struct {
	lex   Lexer
	tok   Token
	err   error
	nodes int
	arena []Node // when non-nil, nodes are carved from it
}

// New returns a parser for src.
func New(src string) *Parser {
	p := &Parser{lex: Lexer{src: src}}
	p.advance()
	return p
}

func (p *Parser) advance() { p.tok = p.lex.Next() }

func (p *Parser) node(op byte, l, r *Node) *Node {
	n := p.alloc()
	n.Op, n.L, n.R = op, l, r
	return n
}

func (p *Parser) alloc() *Node {
	p.nodes++
	if p.arena != nil && len(p.arena) < cap(p.arena) {
		p.arena = p.arena[:len(p.arena)+1]
		return &p.arena[len(p.arena)-1]
	}
	return &Node{}
}

var errSyntax = errors.New("syntax error")

// parseExpr, parseTerm and parseFactor are mutually recursive.
func (p *Parser) parseExpr() *Node {
	n := p.parseTerm()
	for p.tok.Kind == Op && (p.tok.Op == '+' || p.tok.Op == '-') {
		op := p.tok.Op
		p.advance()
		n = p.node(op, n, p.parseTerm())
	}
	return n
}

func (p *Parser) parseTerm() *Node {
	n := p.parseFactor()
	for p.tok.Kind == Op && (p.tok.Op == '*' || p.tok.Op == '/' || p.tok.Op == '%') {
		op := p.tok.Op
		p.advance()
		n = p.node(op, n, p.parseFactor())
	}
	return n
}

func (p *Parser) parseFactor() *Node {
	switch p.tok.Kind {
	case Num:
		n := p.alloc()
		n.Val = p.tok.Val
		p.advance()
		return n
	case LParen:
		p.advance()
		n := p.parseExpr()
		if p.tok.Kind != RParen {
			p.err = errSyntax
		}
		p.advance()
		return n
	case Op:
		if p.tok.Op == '-' {
			p.advance()
			return p.node('n', p.parseFactor(), nil)
		}
	}
	p.err = errSyntax
	p.advance()
	return &Node{}
}

// Parse parses a complete expression.
func Parse(src string) (*Node, error) {
	p := New(src)
	n := p.parseExpr()
	if p.err == nil && p.tok.Kind != EOF {
		p.err = errSyntax
	}
	return n, p.err
}

// Generate returns a random expression of the given nesting depth.
func Generate(r *rand.Rand, depth int) string {
	var b strings.Builder
	gen(&b, r, depth)
	return b.String()
}

func gen(b *strings.Builder, r *rand.Rand, depth int) {
	if depth == 0 || r.Intn(4) == 0 {
		b.WriteString(strconv.Itoa(r.Intn(1000)))
		return
	}
	switch r.Intn(6) {
	case 0:
		b.WriteString("(")
		gen(b, r, depth-1)
		b.WriteString(")")
	case 1:
		b.WriteString("-")
		gen(b, r, depth-1)
	default:
		gen(b, r, depth-1)
		b.WriteByte(" +-*/%"[1+r.Intn(5)])
		gen(b, r, depth-1)
	}
}

// EvalAll parses and evaluates every expression and returns the sum. Its
// parsers allocate nodes from one arena per expression (at most one node per
// input byte), which keeps the number of distinct allocation stacks small.
func EvalAll(exprs []string) int64 {
	var sum int64
	for _, e := range exprs {
		p := New(e)
		p.arena = make([]Node, 0, len(e)+1)
		n := p.parseExpr()
		if p.err != nil || p.tok.Kind != EOF {
			continue
		}
		sum += n.Eval()
	}
	return sum
}
