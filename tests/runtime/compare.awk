# compare.awk WANT GOT - every "key value" of WANT (from expect_*.awk) must
# be in GOT (jsonflat.awk of cprof's -json output) with the same value:
# "null" and words exactly, numbers within 1e-6 (cprof prints 6 decimals).
FNR == NR { want[$1] = $2; order[++nw] = $1; next }
{ got[$1] = $2 }
END {
	bad = 0
	for (i = 1; i <= nw; i++) {
		k = order[i]; w = want[k]
		if (!(k in got)) { printf "  %-34s want %s, missing\n", k, w; bad++; continue }
		g = got[k]
		if (w ~ /^-?[0-9]/ && g ~ /^-?[0-9]/) {
			d = w - g; if (d < 0) d = -d
			a = w < 0 ? -w : w
			if (d <= 1e-6 + 1e-9 * a) continue
		} else if (w == g) continue
		printf "  %-34s want %s, got %s\n", k, w, g
		bad++
	}
	printf "%d figures checked, %d differ\n", nw, bad
	exit bad ? 1 : 0
}
