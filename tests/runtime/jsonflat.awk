# jsonflat.awk - a strict JSON reader (RFC 8259) in POSIX awk: validates
# the document on stdin and prints one "path value" line per scalar, paths
# joined with "." (array elements by index from 0). Strings are printed
# unquoted, with their escapes decoded except \uXXXX. Exits 1 with a message
# on stderr at the first error. Used by run_runtime.sh so the tests need
# no Python.
BEGIN { RS = "\001"; s = "" }
{ s = s $0 "\n" }
END {
	n = length(s); pos = 1; bad = 0
	ws()
	value("")
	ws()
	if (!bad && pos <= n) fail("data after the document")
	exit bad
}
function fail(msg) {
	if (!bad) printf "jsonflat: invalid JSON at byte %d: %s\n", pos, msg > "/dev/stderr"
	bad = 1
	pos = n + 1
}
function ws(   c) {
	while (pos <= n) {
		c = substr(s, pos, 1)
		if (c != " " && c != "\t" && c != "\n" && c != "\r") return
		pos++
	}
}
function join(path, k) { return path == "" ? k : path "." k }
function value(path,   c, k, i, t) {
	if (bad) return
	if (pos > n) { fail("unexpected end"); return }
	c = substr(s, pos, 1)
	if (c == "{") {
		pos++; ws()
		if (substr(s, pos, 1) == "}") { pos++; return }
		for (;;) {
			ws()
			if (substr(s, pos, 1) != "\"") { fail("want a key"); return }
			k = str()
			ws()
			if (substr(s, pos, 1) != ":") { fail("want ':'"); return }
			pos++; ws()
			value(join(path, k))
			if (bad) return
			ws()
			c = substr(s, pos, 1)
			if (c == ",") { pos++; continue }
			if (c == "}") { pos++; return }
			fail("want ',' or '}'"); return
		}
	}
	if (c == "[") {
		pos++; ws()
		if (substr(s, pos, 1) == "]") { pos++; return }
		for (i = 0; ; i++) {
			ws()
			value(join(path, i))
			if (bad) return
			ws()
			c = substr(s, pos, 1)
			if (c == ",") { pos++; continue }
			if (c == "]") { pos++; return }
			fail("want ',' or ']'"); return
		}
	}
	if (c == "\"") { t = str(); if (!bad) print path, t; return }
	if (substr(s, pos, 4) == "true") { pos += 4; print path, "true"; return }
	if (substr(s, pos, 5) == "false") { pos += 5; print path, "false"; return }
	if (substr(s, pos, 4) == "null") { pos += 4; print path, "null"; return }
	t = substr(s, pos, 64)
	if (match(t, /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/)) {
		print path, substr(t, 1, RLENGTH)
		pos += RLENGTH
		return
	}
	fail("want a value")
}
function str(   out, c, e) {
	pos++
	out = ""
	while (pos <= n) {
		c = substr(s, pos, 1)
		if (c == "\"") { pos++; return out }
		if (c < " ") { fail("control character in a string"); return "" }
		if (c == "\\") {
			e = substr(s, pos + 1, 1)
			if (e == "u") {
				if (substr(s, pos + 2, 4) !~ /^[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]$/) { fail("bad \\u escape"); return "" }
				out = out "\\u" substr(s, pos + 2, 4); pos += 6; continue
			}
			if (e == "\"" || e == "\\" || e == "/") out = out e
			else if (e == "n") out = out "\\n"
			else if (e == "t") out = out "\\t"
			else if (e == "r") out = out "\\r"
			else if (e == "b" || e == "f") out = out "\\" e
			else { fail("bad escape"); return "" }
			pos += 2
			continue
		}
		out = out c
		pos++
	}
	fail("unterminated string")
	return ""
}
