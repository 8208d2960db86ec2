# svgcheck.awk - checks that stdin is a well-formed, self-contained SVG
# document: an XML declaration, one <svg> root in the SVG namespace, every
# tag closed in order, no '&' but the five XML entities, no scripts and no
# external references (href, url(), @import). Exits 1 with a message.
BEGIN { RS = "\001"; s = "" }
{ s = s $0 "\n" }
END {
	if (s !~ /^<\?xml version="1\.0"/) die("no XML declaration")
	if (s !~ /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/) die("no svg root in the SVG namespace")
	if (s ~ /<script|href=|url\(|@import/) die("not self-contained")
	t = s
	gsub(/&(amp|lt|gt|quot|apos);/, "", t)
	if (index(t, "&")) die("bare '&'")
	depth = 0; roots = 0; rest = s
	while ((i = index(rest, "<")) > 0) {
		rest = substr(rest, i + 1)
		j = index(rest, ">")
		if (!j) die("unterminated tag")
		tag = substr(rest, 1, j - 1)
		rest = substr(rest, j + 1)
		if (tag ~ /^\?/) continue
		if (tag ~ /^\//) {
			name = substr(tag, 2)
			if (depth == 0 || stack[depth] != name) die("</" name "> does not close <" stack[depth] ">")
			depth--
			continue
		}
		split(tag, w, /[ \t\n]/)
		name = w[1]
		if (name !~ /^[a-zA-Z][a-zA-Z0-9:-]*$/) die("bad tag name '" name "'")
		if (depth == 0) { roots++; if (name != "svg") die("root is <" name ">") }
		if (tag ~ /\/$/) continue
		stack[++depth] = name
	}
	if (depth) die("<" stack[depth] "> not closed")
	if (roots != 1) die(roots " root elements")
	exit 0
}
function die(msg) { print "svgcheck: " msg > "/dev/stderr"; exit 1 }
