# raw_to_folded.awk - folded stacks from `go tool pprof -raw` output, an
# oracle for cprof -folded written independently of cprof's code.
#
#   go tool pprof -raw FILE | awk -v type=cpu -f raw_to_folded.awk
#
# type is the sample type to sum (as "Type:" of the -top header). Frames
# are function names (-raw prints one location line per inline frame,
# innermost first, then its callers); stacks are printed root first, frames
# joined by ';', with their summed value; stacks summing to 0 are left out.
# The order is awk's: sort the output. Function names must not hold spaces.
/^Samples:/ {
	section = "samples"
	getline
	for (i = 1; i <= NF; i++) {
		split($i, tu, "/")
		if (tu[1] == type)
			col = i
	}
	if (!col) {
		print "raw_to_folded.awk: no sample type " type > "/dev/stderr"
		exit 2
	}
	next
}
/^Locations/ { section = "locations"; next }
/^Mappings/ { section = "mappings"; next }
section == "samples" && /^ *-?[0-9]+( +-?[0-9]+)*:( [0-9]+)* *$/ {
	colon = index($0, ":")
	split(substr($0, 1, colon - 1), v, " ")
	n++
	value[n] = v[col]
	stack[n] = substr($0, colon + 1)
	next
}
section == "locations" && /^ *[0-9]+: / {
	cur = $1
	sub(":", "", cur)
	nlines[cur] = 0
	if (NF >= 4) {
		nlines[cur] = 1
		line[cur, 1] = $4
	}
	next
}
section == "locations" && /^  +[^ ]/ {
	nlines[cur]++
	line[cur, nlines[cur]] = $1
	next
}
END {
	for (i = 1; i <= n; i++) {
		m = split(stack[i], ids, " ")
		s = ""
		for (j = m; j >= 1; j--) {
			id = ids[j]
			for (k = nlines[id]; k >= 1; k--)
				s = s (s == "" ? "" : ";") line[id, k]
		}
		if (s != "")
			sum[s] += value[i]
	}
	for (s in sum)
		if (sum[s] != 0)
			printf "%s %.0f\n", s, sum[s]
}
