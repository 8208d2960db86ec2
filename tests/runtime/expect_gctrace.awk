# expect_gctrace.awk - recomputes from a gctrace log (stdin) the figures
# that `cprof gctrace -json` must report, independently of cprof's C code:
# its own regular expressions, its own sort, its own MMU search. Prints
# "key value" lines (JSON paths as jsonflat.awk prints them) for compare.awk.
#
# Definitions (the man page's): pause = first + last clock phase (every
# phase for a forced 5-phase GC, the sum for go1.1-1.4 lines); mark = the
# middle phase(s); percentiles by nearest rank, sorted[ceil(p*n/100)-1];
# GC CPU = cpu fields without idle marking, over the sum of P x time to the
# next GC start (the last GC: to its end); a GC number that does not grow
# starts a new run, placed after the end of the previous GC. Also: the
# mark CPU split, the worst GCs, the live-heap trend and leak flag, the
# per-interval GC CPU and split, skipped lines.
#
#   awk -v mmu=1 -f expect_gctrace.awk LOG     (mmu=1: also the O(n^2) MMU)

function isort(a, n,   i, j, v) {
	for (i = 2; i <= n; i++) {
		v = a[i]
		for (j = i - 1; j >= 1 && a[j] > v; j--)
			a[j + 1] = a[j]
		a[j + 1] = v
	}
}
function rank(a, n, p,   r) {
	r = int((p * n + 99) / 100)
	return a[r < 1 ? 1 : r]
}
function dist(name, a, n,   i, t) {
	printf "%s.count %d\n", name, n
	if (n == 0) {
		printf "%s.total null\n%s.mean null\n%s.p50 null\n%s.max null\n", name, name, name, name
		return
	}
	isort(a, n)
	t = 0
	for (i = 1; i <= n; i++) t += a[i]
	printf "%s.total %.10g\n%s.mean %.10g\n%s.min %.10g\n", name, t, name, t / n, name, a[1]
	printf "%s.p50 %.10g\n%s.p90 %.10g\n%s.p95 %.10g\n", name, rank(a, n, 50), name, rank(a, n, 90), name, rank(a, n, 95)
	printf "%s.p99 %.10g\n%s.max %.10g\n", name, rank(a, n, 99), name, a[n]
}
function num_or_null(v) { return v == "" ? "null" : sprintf("%.10g", v) }

BEGIN { n = 0; lastnum = -1; offset = 0; lastend = 0; pending = 0; records = 0; forcedlines = 0; runs = 0 }
{
	line = $0
	sub(/\r$/, "", line)
	if (match(line, /gc [0-9]+ @[0-9]+\.[0-9]+s [0-9]+%: [0-9.+]+ ms clock, [0-9.+\/]+ ms cpu, [0-9]+->[0-9]+->[0-9]+ MB(, [0-9]+ ?MB [a-z]+)*, [0-9]+ P( \(forced\))?/)) {
		rec = substr(line, RSTART, RLENGTH)
		nw = split(rec, w, " ")
		num = w[2] + 0
		if (runs == 0) runs = 1
		if (n > 0 && num <= lastnum) { runs++; offset = lastend }
		n++
		at[n] = substr(w[3], 2) + offset
		pct_end = w[4] + 0
		nc = split(w[5], c, "+")
		cpu = w[8]; gsub(/\//, "+", cpu)
		nu = split(cpu, u, "+")
		split(w[11], h, "->")
		goal[n] = -1; procs[n] = -1
		frc = (w[nw] == "(forced)")
		gnum[n] = num
		for (i = 12; i <= nw; i++) {
			if (w[i] == "goal,") goal[n] = w[i - 2] + 0
			if (w[i] == "P") procs[n] = w[i - 1] + 0
		}
		dur = 0
		for (i = 1; i <= nc; i++) dur += c[i]
		if (nc == 3) { pause[n] = c[1] + c[3]; mark[n] = c[2]; hasmark[n] = 1 }
		else if (frc) { pause[n] = dur; hasmark[n] = 0 }
		else { pause[n] = c[1] + c[5]; mark[n] = c[2] + c[3] + c[4]; hasmark[n] = 1 }
		g = 0
		for (i = 1; i <= nu; i++) if (i != nu - 1) g += u[i]
		gccpu[n] = g; stwcpu[n] = u[1] + u[nu]
		# mark CPU split: the three /-separated fields before the last
		as_[n] = u[nu - 3]; bg_[n] = u[nu - 2]; id_[n] = u[nu - 1]
		assist += as_[n]; background += bg_[n]; idle += id_[n]; nsplit++
		hs[n] = h[1] + 0; he[n] = h[2] + 0; hl[n] = h[3] + 0
		first[n] = c[1]; last[n] = c[nc]; clockdur[n] = dur
		forced += frc
		periodic += pending; pending = 0
		timed[n] = 1
		lastnum = num
		lastend = at[n] + dur / 1000
		records++
		next
	}
	if (match(line, /gc[0-9]+\([0-9]+\): [0-9]+(\+[0-9]+)+ (ms|us), [0-9]+ -> [0-9]+ MB(, [0-9]+ \([0-9]+-[0-9]+\) objects| [0-9]+ -> [0-9]+ \([0-9]+-[0-9]+\) objects)/)) {
		rec = substr(line, RSTART, RLENGTH)
		nw = split(rec, w, " ")
		split(w[1], a, "(")
		num = substr(a[1], 3) + 0
		if (runs == 0) runs = 1
		if (n > 0 && num <= lastnum) runs++
		nc = split(w[2], c, "+")
		scale = w[3] == "us," ? 0.001 : 1
		n++
		pause[n] = 0
		for (i = 1; i <= nc; i++) pause[n] += c[i] * scale
		hasmark[n] = 0; timed[n] = 0; goal[n] = -1; gnum[n] = num
		procs[n] = a[2] + 0
		if (w[7] == "MB,") {
			hs[n] = w[6] + 0; he[n] = -1; hl[n] = -1
			if (n > 1 && lastnum + 1 == num && hl[n - 1] < 0) { hl[n - 1] = w[4] + 0; he[n - 1] = w[4] + 0 }
		} else {
			hs[n] = w[4] + 0; he[n] = w[6] + 0; hl[n] = w[6] + 0
		}
		periodic += pending; pending = 0
		lastnum = num
		records++
		next
	}
	if (line ~ /GC forced[ \t]*$/) { forcedlines++; pending = 1; records++; next }
	if (line ~ /scvg(-1|[0-9]+)?: ([0-9]+ [MK]B released|inuse: [0-9]+, idle: [0-9]+, sys: [0-9]+, released: [0-9]+, consumed: -?[0-9]+ \(MB\))/) { records++; next }
	if (line ~ /scav ([0-9]+ )?[0-9]+ KiB work.*[0-9]+% util/) { records++; next }
	if (line ~ /pacer: (assist ratio=([-+]?[0-9]|NaN|[-+]Inf)|H_m_prev=|[0-9]+% CPU \([0-9]+ exp\.\)|sweep done)/) { records++; next }
}
END {
	printf "gc_count %d\nforced_gc_count %d\nperiodic_gc_count %d\ngc_forced_lines %d\nruns %d\n", n, forced, periodic, forcedlines, runs
	printf "lines.read %d\nlines.records %d\nlines.skipped %d\n", NR, records, NR - records
	if (nsplit) {
		printf "cpu_ms.assist %.10g\ncpu_ms.background %.10g\ncpu_ms.idle %.10g\n", assist, background, idle
		if (assist + background + idle > 0)
			printf "assist_percent %.10g\n", 100 * assist / (assist + background + idle)
	}

	# the worst GCs: the 5 longest pauses, the earlier first among equals
	nw_ = 0
	for (i = 1; i <= n; i++) {
		pos = nw_ < 5 ? nw_ + 1 : 6
		while (pos > 1 && pause[wi[pos - 1]] < pause[i]) pos--
		if (pos > 5) continue
		for (j = (nw_ < 5 ? nw_ : 4); j >= pos; j--) wi[j + 1] = wi[j]
		wi[pos] = i
		if (nw_ < 5) nw_++
	}
	for (j = 1; j <= nw_; j++) printf "worst_gcs.%d.gc %d\n", j - 1, gnum[wi[j]]

	# live-heap trend: means of the first and last thirds of the GCs with a
	# live heap; a leak when the last third lies wholly above the first,
	# 20% higher on average, and the least-squares slope over the last two
	# thirds (live MB against minutes) is not negative
	nl = 0
	for (i = 1; i <= n; i++) if (hl[i] >= 0) { nl++; lv[nl] = hl[i]; lt[nl] = timed[i] ? at[i] / 60 : ""; }
	if (nl >= 9) {
		third = int(nl / 3); fs = 0; ls = 0; fmx = -1; lmn = ""
		sx = 0; sy = 0; sxx = 0; sxy = 0; nreg = 0
		for (k = 1; k <= nl; k++) {
			if (k <= third) { fs += lv[k]; if (lv[k] > fmx) fmx = lv[k] }
			if (k > nl - third) { ls += lv[k]; if (lmn == "" || lv[k] < lmn) lmn = lv[k] }
			if (lt[k] != "" && k > third) { sx += lt[k]; sy += lv[k]; sxx += lt[k] * lt[k]; sxy += lt[k] * lv[k]; nreg++ }
		}
		fm = fs / third; lm = ls / third
		printf "live_heap_trend.first_third_mean_mb %.10g\nlive_heap_trend.last_third_mean_mb %.10g\n", fm, lm
		slope = ""
		den = nreg * sxx - sx * sx
		if (nreg >= 2 && den > 0) { slope = (nreg * sxy - sx * sy) / den; printf "live_heap_trend.slope_mb_per_minute %.10g\n", slope }
		printf "live_heap_trend.possible_leak %s\n", (lmn > fmx && lm >= 1.2 * fm && !(slope != "" && slope <= 0)) ? "true" : "false"
	}

	np = 0; nm = 0
	for (i = 1; i <= n; i++) {
		pv[++np] = pause[i]
		if (hasmark[i]) mv[++nm] = mark[i]
	}
	dist("pause_ms", pv, np)
	dist("mark_ms", mv, nm)

	peak = -1; livepeak = -1; gmin = ""; gmax = ""; lastprocs = ""
	for (i = 1; i <= n; i++) {
		if (hs[i] > peak) peak = hs[i]
		if (he[i] > peak) peak = he[i]
		if (hl[i] > livepeak) livepeak = hl[i]
		if (goal[i] >= 0) {
			if (gmin == "" || goal[i] < gmin) gmin = goal[i]
			if (gmax == "" || goal[i] > gmax) gmax = goal[i]
		}
		if (procs[i] > 0) lastprocs = procs[i]
	}
	printf "heap_peak_mb %s\nlive_heap_peak_mb %s\n", (peak >= 0 ? peak : "null"), (livepeak >= 0 ? livepeak : "null")
	printf "heap_goal_mb.min %s\nheap_goal_mb.max %s\nprocs %s\n", num_or_null(gmin), num_or_null(gmax), num_or_null(lastprocs)

	if (!(n > 0 && timed[1])) {
		print "span_seconds null\ngc_per_second null\ngc_cpu_percent_end null\ngc_cpu_percent_computed null"
		exit 0
	}
	end = 0
	for (i = 1; i <= n; i++) if (at[i] + clockdur[i] / 1000 > end) end = at[i] + clockdur[i] / 1000
	printf "span_seconds %.10g\n", end - at[1]
	if (n > 1) printf "gc_per_second %.10g\n", (n - 1) / (at[n] - at[1])
	printf "gc_cpu_percent_end %d\n", pct_end
	avail = 0; cpu = 0
	for (i = 1; i <= n; i++) {
		nextt = i < n ? at[i + 1] : end
		avail += (nextt - at[i]) * 1000 * (procs[i] > 0 ? procs[i] : 1)
		cpu += gccpu[i]
	}
	printf "gc_cpu_percent_computed %.10g\n", 100 * cpu / avail

	# intervals: k = min(n, 10) equal slices of the span, a GC in the slice
	# of its start; GC CPU over the slice's wall clock x the most P seen in
	# it; the mark CPU split of its GCs
	k = n < 10 ? n : 10
	width = (end - at[1]) / k
	for (j = 0; j < k; j++) { icnt[j] = 0; icpu[j] = 0; ias[j] = 0; ibg[j] = 0; iid[j] = 0; ip[j] = 0 }
	for (i = 1; i <= n; i++) {
		j = int((at[i] - at[1]) / width); if (j >= k) j = k - 1
		icnt[j]++; icpu[j] += gccpu[i]
		ias[j] += as_[i]; ibg[j] += bg_[i]; iid[j] += id_[i]
		if (procs[i] > ip[j]) ip[j] = procs[i]
	}
	for (j = 0; j < k; j++) {
		printf "intervals.%d.gc_count %d\n", j, icnt[j]
		ws = at[1] + width * j; we = j + 1 == k ? end : at[1] + width * (j + 1)
		if (icnt[j] && ip[j] > 0) printf "intervals.%d.gc_cpu_percent %.10g\n", j, 100 * icpu[j] / ((we - ws) * 1000 * ip[j])
		m = ias[j] + ibg[j] + iid[j]
		if (m > 0) printf "intervals.%d.assist_percent %.10g\nintervals.%d.idle_percent %.10g\n", j, 100 * ias[j] / m, j, 100 * iid[j] / m
	}

	if (!mmu) exit 0
	# MMU: utilisation 0 in STW phases, 1 - (mark CPU)/(mark wall x P) while
	# marking; brute force over the windows that start or end at an edge.
	ns = 0; prevend = -1e300
	for (i = 1; i <= n; i++) {
		t = at[i] * 1000
		if (t < prevend) t = prevend
		if (hasmark[i]) {
			sa[++ns] = t; sb[ns] = t + first[i]; sl[ns] = 1
			loss = 0
			if (mark[i] > 0 && procs[i] > 0) loss = (gccpu[i] - stwcpu[i]) / (mark[i] * procs[i])
			if (loss > 1) loss = 1
			if (loss > 0) { sa[++ns] = t + first[i]; sb[ns] = t + first[i] + mark[i]; sl[ns] = loss }
			sa[++ns] = t + first[i] + mark[i]; sb[ns] = t + first[i] + mark[i] + last[i]; sl[ns] = 1
		} else {
			sa[++ns] = t; sb[ns] = t + clockdur[i]; sl[ns] = 1
		}
		prevend = t + clockdur[i]
		if (i == 1) t0 = t
	}
	t1 = prevend
	split("10 100 1000", ws_, " ")
	split("10ms 100ms 1s", wn_, " ")
	for (k = 1; k <= 3; k++) {
		wdt = ws_[k] + 0
		if (t1 - t0 < wdt) { printf "mmu_percent.%s null\n", wn_[k]; continue }
		worst = 0
		for (j = 0; j <= ns; j++) {
			if (j == 0) { nc2 = 2; cand[1] = t0; cand[2] = t1 - wdt }
			else { nc2 = 4; cand[1] = sa[j]; cand[2] = sb[j]; cand[3] = sa[j] - wdt; cand[4] = sb[j] - wdt }
			for (q = 1; q <= nc2; q++) {
				x = cand[q]
				if (x < t0) x = t0
				if (x > t1 - wdt) x = t1 - wdt
				lost = 0
				for (m = 1; m <= ns; m++) {
					lo = sa[m] > x ? sa[m] : x
					hi = sb[m] < x + wdt ? sb[m] : x + wdt
					if (hi > lo) lost += (hi - lo) * sl[m]
				}
				if (lost > worst) worst = lost
			}
		}
		printf "mmu_percent.%s %.10g\n", wn_[k], 100 * (1 - worst / wdt)
	}
}
