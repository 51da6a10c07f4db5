#!/bin/bash
# scripts/sensitivity.sh — make sensitivity: a benchmark of the comparison itself.
#
#   (a) null:   make compare BASE=HEAD NEW=HEAD, REPEATS times: the share of rows called
#               significant in each repeat (the false-positive rate)
#   (b) change: make compare BASE=HEAD NEW=tests/fixtures/asmcgocall-2adds-<port>.patch
#               (exactly two dependent single-cycle instructions on asmcgocall's path to
#               g0), REPEATS times: every row's verdict in every repeat, and how often a
#               row the patch does not touch is significant
#   (c) loaded: (b) again with a CPU-bound process pinned on the measured CPU
# A row whose verdict is not the same in every repeat is a FLIP, unless each of those
# repeats named the machine states it found (MACHINE STATES, TWO MODES): then it is a
# stated state dependence; or an EDGE, when it kept one direction and was called
# significant in some repeats and "leaning" that way (one layout short) in the others.
# Writes RESULTS/<host-id>/sensitivity-<stamp>/report.txt
# (with the machine, counter and date), report.csv (part, repeat, row, verdict, delta)
# and the compare folders, and prints the report.  It measures the harness: the
# targets it states are reported as met or not, they are not a pass/fail of make.
#
# Environment: MAKE, O, ARCH, RESULTS, REPEATS (default 5), PARTS (default "null change
# loaded"), and what make compare takes (FILTER, QUICK, LAYOUTS, PROCS, REPS, PAIRS, CPU,
# PAIRED).
set -euo pipefail
GM_PROG=sensitivity
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
MAKE=${MAKE:-make}
O=${O:-build}
ARCH=${ARCH:?}
RESULTS=${RESULTS:-results}
REPEATS=${REPEATS:-5}
PARTS=${PARTS:-null change loaded}
case $REPEATS in ''|*[!0-9]*|0) die "REPEATS must be a positive number" ;; esac
fixture=tests/fixtures/asmcgocall-2adds-$ARCH.patch
[ -f "$fixture" ] || die "no fixture $fixture for ARCH=$ARCH"

hostid=$(gm_hostid "$ARCH" "${RUN:-}")
stamp=$(date -u +%Y%m%dT%H%M%SZ)
dir="$RESULTS/$hostid"
hog=""
gm_on_exit '[ -z "$hog" ] || kill "$hog" 2>/dev/null || true'
gm_stage "$dir" sensitivity-
tmp=$gm_staged
mkdir -p "$tmp/compares"

# the CPU make compare measures on (CPU=auto: gmbench's default)
$MAKE --no-print-directory -s ARCH="$ARCH" O="$O" bench-build >/dev/null
bin="$O/$ARCH/bin/gmbench"
[ -n "${RUN:-}" ] && bin="$RUN $bin"
cpu=${CPU:-auto}
if [ "$cpu" = auto ]; then
	cpu=$($bin --list-cpus | awk -F'\t' '/\tdefault/ { sub(/^cpu /, "", $1); print $1 }')
fi

: >"$tmp/report.csv.tmp"
echo "part,repeat,benchmark,verdict,delta_pct,states" >"$tmp/report.csv.tmp"
t0=$(date +%s)
nparts=$(echo $PARTS | wc -w)
n=0 total=$((nparts * REPEATS))
for part in $PARTS; do
	case $part in
	null) new=HEAD ;;
	change|loaded) new=$fixture ;;
	*) die "unknown part '$part' (null, change, loaded)" ;;
	esac
	for r in $(seq 1 "$REPEATS"); do
		n=$((n + 1))
		say "$n/$total: $part, repeat $r ($(( $(date +%s) - t0 )) s so far)"
		if [ "$part" = loaded ]; then
			if [ "$cpu" = none ]; then
				say "the loaded part needs a pinned CPU (not CPU=none)"
				exit 2
			fi
			taskset -c "$cpu" sh -c 'while :; do :; done' &
			hog=$!
		fi
		res="$tmp/compares/$part-$r"
		if ! $MAKE --no-print-directory -s ARCH="$ARCH" O="$O" compare MODE=timing BASE=HEAD NEW="$new" RESULTS="$res" \
			LABEL="$part-$r" >"$tmp/$part-$r.log" 2>&1; then
			tail -n 20 "$tmp/$part-$r.log" >&2
			say "the compare failed ($part, repeat $r); nothing was kept"
			exit 1
		fi
		if [ -n "$hog" ]; then kill "$hog" 2>/dev/null || true; wait "$hog" 2>/dev/null || true; hog=""; fi
		c=$(readlink -f "$res/latest-compare")/compare.txt
		# rows: part, repeat, name, verdict (slower/faster/~/floor...), delta, states named
		"$GM" compare verdicts --prefix "$part,$r," "$c" >>"$tmp/report.csv.tmp"
	done
done
mv "$tmp/report.csv.tmp" "$tmp/report.csv"
elapsed=$(( $(date +%s) - t0 ))

first=$(ls "$tmp"/compares/*/latest-compare -d 2>/dev/null | head -n1)
{
	echo "gmbench sensitivity: the comparison measured on itself"
	echo "date: $(date -u +%Y-%m-%dT%H:%MZ); $REPEATS repeats of: $PARTS; $elapsed s in all"
	[ -n "$first" ] && sed -n 's/^machine: /machine: /p; s/^mode: /mode: /p' "$(readlink -f "$first")/compare.txt" | head -n 2
	echo "settings: FILTER=${FILTER:-(all)} QUICK=${QUICK:-0} LAYOUTS=${LAYOUTS:-6} PROCS=${PROCS:-default} REPS=${REPS:-default} PAIRS=${PAIRS:-8} PAIRED=${PAIRED:-1} MIN_EFFECT=${MIN_EFFECT:-3}%; measured CPU $cpu"
	echo "fixture: $fixture (two dependent single-cycle adds on asmcgocall's path to g0)"
	echo
	awk -F, -v reps="$REPEATS" '
		function because(w, r) { return index(w, r) ? w : (w == "" ? r : w "+" r) }
		function edge_ok(x,   r2, y) {
			for (r2 = 1; r2 <= reps; r2++) {
				y = v[p, r2, k]
				if (y == x || y == "leaning-" x || y == "unresolved" || st[p, r2, k] == "named") continue
				return 0
			}
			return 1
		}
		NR == 1 { next }
		{
			key = $1 SUBSEP $3
			if (!(key in seen)) { seen[key] = 1; rows[$1] = rows[$1] " " $3 }
			v[$1, $2, $3] = $4; d[$1, $2, $3] = $5; st[$1, $2, $3] = $6
			if ($4 != "floor" && $4 != "failed") { cmp[$1, $2]++; if ($4 == "slower" || $4 == "faster") sig[$1, $2]++ }
			parts[$1] = 1
		}
		END {
			np = split("null change loaded", pl, " ")
			for (pi = 1; pi <= np; pi++) {
				p = pl[pi]
				if (!(p in parts)) continue
				printf "== %s\n", p
				worst = 0
				line = "significant rows per repeat:"
				for (r = 1; r <= reps; r++) {
					f = cmp[p, r] ? sig[p, r] / cmp[p, r] : 0
					if (f > worst) worst = f
					line = line sprintf(" %d/%d", sig[p, r], cmp[p, r])
				}
				print line
				if (p == "null") {
					ts = 0; tc = 0
					for (r = 1; r <= reps; r++) { ts += sig[p, r]; tc += cmp[p, r] }
					printf "target (null <= 5%% significant in every repeat): %s (worst repeat %.0f%%; over all repeats %d of %d rows, %.1f%%)\n",
						worst <= 0.05 ? "met" : "NOT met", worst * 100, ts, tc, tc ? 100 * ts / tc : 0
				}
				n = split(rows[p], rl, " ")
				flips = 0; stated = 0
				for (i = 1; i <= n; i++) {
					# A verdict is slower, faster or ~ ("leaning" and "not resolved" are ~s that
					# say more).  The verdict of a row is its most common one; a repeat that
					# differs is explained when that compare named machine states or modes
					# (STATES NAMED), said "not resolved" (NOT RESOLVED), or was one layout
					# short of the same direction (EDGE); otherwise the row FLIPs.
					k = rl[i]; s = ""; delete nf
					for (r = 1; r <= reps; r++) {
						s = s sprintf(" %s%s", v[p, r, k], d[p, r, k] != "" ? "(" d[p, r, k] "%)" : "")
						x = v[p, r, k]; fam[r] = (x == "slower" || x == "faster") ? x : "~"; nf[fam[r]]++
					}
					m = "~"; if (nf["slower"] > nf[m]) m = "slower"; if (nf["faster"] > nf[m]) m = "faster"
					same = nf[m] == reps; flip = 0; why = ""
					for (r = 1; r <= reps && !same; r++) {
						if (fam[r] == m) continue
						x = v[p, r, k]
						if (st[p, r, k] == "named") { why = because(why, "STATES NAMED"); continue }
						if (x == "unresolved") { why = because(why, "NOT RESOLVED"); continue }
						if (x == "leaning-" m || (m == "~" && edge_ok(x))) { why = because(why, "EDGE"); continue }
						flip = 1
					}
					tag = same ? "same" : (flip ? "FLIP" : why)
					if (!same && !flip) stated++
					if (flip) flips++
					printf "  %-34s %-14s%s\n", k, tag, s
				}
				printf "target (every row the same verdict in every repeat, or the states named): %s (%d flips, %d explained: states named, not resolved, or at the edge)\n\n",
					flips ? "NOT met" : "met", flips, stated
			}
		}' "$tmp/report.csv"
} >"$tmp/report.txt"
rm -f "$tmp"/*.log
name="sensitivity-$stamp"
gm_commit "$dir" "$name"
cat "$dir/$name/report.txt"
echo "sensitivity: report in $dir/$name/report.txt (report.csv, compares/)"
