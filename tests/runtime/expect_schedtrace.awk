# expect_schedtrace.awk - recomputes from a schedtrace log (stdin) the
# figures that `cprof schedtrace -json` must report, with its own parsing.
# Prints "key value" lines for compare.awk.
#
# Per sample: utilisation = (gomaxprocs - idleprocs) / gomaxprocs; local
# queues from the [..] list or, in scheddetail, the P lines' runqsize;
# starved = idle Ps and fewer runnable goroutines than idle Ps; imbalanced
# = idle Ps, at least as many runnable as idle Ps, and a queue of 2 or
# more; saturated = no idle P and something runnable. A SCHED clock that
# goes back starts a new run placed after the previous sample.

function acc(name, v) {
	if (!(name in cnt) || v < mn[name]) mn[name] = v
	if (!(name in cnt) || v > mx[name]) mx[name] = v
	sum[name] += v
	cnt[name]++
}
function out(name) {
	if (!(name in cnt)) { printf "%s.mean null\n%s.min null\n%s.max null\n", name, name, name; return }
	printf "%s.mean %.10g\n%s.min %.10g\n%s.max %.10g\n", name, sum[name] / cnt[name], name, mn[name], name, mx[name]
}
# Close the current sample: classify it and add its figures.
function flush() {
	if (!open_) return
	open_ = 0
	runnable = rq + lsum
	acc("idleprocs", idle); acc("global_runqueue", rq); acc("threads", thr)
	acc("utilisation_percent", 100 * (gmp - idle) / gmp)
	if (ithr >= 0) acc("idlethreads", ithr)
	if (spin >= 0) acc("spinningthreads", spin)
	if (nloc > 0) { acc("local_runqueue_sum", lsum); acc("local_runqueue_max", lmax); acc("local_runqueue_imbalance", lmax - lmin) }
	if (idle > 0 && runnable < idle) starved++
	if (idle > 0 && runnable >= idle && (lmax >= 2 || rq >= 2)) imbalanced++
	if (idle == 0 && runnable > 0) saturated++
}
function kv(rec, key,   i, rest) {
	i = index(rec, " " key "=")
	if (!i) return ""
	rest = substr(rec, i + length(key) + 2)
	sub(/ .*/, "", rest)
	if (rest == "true") return 1
	if (rest == "false") return 0
	return rest + 0
}

BEGIN { samples = 0; offset = 0; prevt = -1; runs = 0; records = 0 }
{
	line = $0
	sub(/\r$/, "", line)
	if (match(line, /SCHED [0-9]+ms: gomaxprocs=[0-9]+ idleprocs=[0-9]+ threads=[0-9]+/)) {
		flush()
		rec = substr(line, RSTART)
		t = substr(rec, 7) + 0
		if (runs == 0) runs = 1
		if (prevt >= 0 && t + offset < prevt) { runs++; offset = prevt }
		t += offset
		if (samples == 0) firstt = t
		lastt = t; prevt = t
		samples++
		records++
		rec = " " substr(rec, index(rec, ":") + 1)
		gmp = kv(rec, "gomaxprocs"); idle = kv(rec, "idleprocs"); thr = kv(rec, "threads")
		rq = kv(rec, "runqueue")
		ithr = kv(rec, "idlethreads"); if (ithr == "") ithr = -1
		spin = kv(rec, "spinningthreads"); if (spin == "") spin = kv(rec, "nmspinning"); if (spin == "") spin = -1
		lastgmp = gmp
		detail = index(rec, " gcwaiting=") || index(rec, " stopwait=")
		detailn += detail ? 1 : 0
		nloc = 0; lsum = 0; lmax = 0; lmin = ""
		if (match(rec, /\[[0-9 ]*\]/)) {
			l = substr(rec, RSTART + 1, RLENGTH - 2)
			nloc = split(l, q, " ")
			for (i = 1; i <= nloc; i++) { lsum += q[i]; if (q[i] + 0 > lmax) lmax = q[i] + 0; if (lmin == "" || q[i] + 0 < lmin) lmin = q[i] + 0 }
		}
		open_ = 1
		next
	}
	if (match(line, /P[0-9]+: status=[0-9]+ /)) {
		records++; plines++
		rec = " " substr(line, RSTART)
		if (open_ && detail && (r = kv(rec, "runqsize")) != "") { nloc++; lsum += r; if (r > lmax) lmax = r; if (lmin == "" || r < lmin) lmin = r }
		next
	}
	if (match(line, /M[0-9]+: p=(-?[0-9]+|nil) /)) { records++; mlines++; next }
	if (match(line, /G[0-9]+: status=[0-9]+\(.*\) m=/)) {
		records++; glines++
		st = substr(line, RSTART); sub(/^G[0-9]+: status=/, "", st); st = (st + 0) % 4096
		if (st == 4) {
			gwait++
			# the wait reason: between "status=4(" and ") m="
			r = substr(line, RSTART); sub(/^G[0-9]+: status=[0-9]+\(/, "", r); sub(/\) m=.*$/, "", r)
			reason[r]++
		}
		next
	}
}
END {
	flush()
	printf "samples %d\ndetail_samples %d\nruns %d\n", samples, detailn, runs
	printf "span_ms %.10g\ngomaxprocs %d\n", lastt - firstt, lastgmp
	out("idleprocs"); out("global_runqueue"); out("local_runqueue_sum"); out("threads")
	out("idlethreads"); out("spinningthreads"); out("utilisation_percent"); out("local_runqueue_max")
	out("local_runqueue_imbalance")
	printf "starved_samples %d\nimbalanced_samples %d\nsaturated_samples %d\n", starved, imbalanced, saturated
	printf "lines.read %d\nlines.records %d\nlines.skipped %d\n", NR, records, NR - records
	if (plines + mlines + glines) {
		printf "detail.p_lines %d\ndetail.m_lines %d\ndetail.g_lines %d\n", plines, mlines, glines
		if (gwait) printf "detail.g_states.waiting %d\n", gwait
		# the most frequent wait reason (the first name among equals)
		top = ""
		for (r in reason) if (top == "" || reason[r] > reason[top] || (reason[r] == reason[top] && r < top)) top = r
		if (top != "") {
			w1 = top; sub(/ .*/, "", w1) # compare.awk compares the first word
			printf "detail.wait_reasons.0.reason %s\ndetail.wait_reasons.0.count %d\n", w1, reason[top]
		}
	}
}
