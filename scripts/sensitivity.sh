#!/bin/bash
# scripts/sensitivity.sh — make sensitivity: the comparison measured on itself (its power).
#
#   null:   make compare BASE=HEAD NEW=HEAD, REPEATS times: every slower/faster is a false
#           discovery; every ~ carries its bound
#   add1:   NEW=tests/fixtures/asmcgocall-1add-<port>.patch: one dependent single-cycle
#           instruction on asmcgocall's path to g0 (the size of a real runtime patch)
#   add2:   the same with two
#   loaded: add1 with a CPU-bound process pinned on the measured CPU
# For every row and machine state: how often the change was found (slower or faster: the
# detection rate, i.e. the power), ~ or not resolved, with the effects and intervals; the
# rows and states whose verdict was the same in every repeat that saw the state.
# Writes RESULTS/<host-id>/sensitivity-<stamp>/report.txt (the machine, counter and date),
# report.csv (part, repeat, row, state, verdict, effect, interval, bound, resolvable) and
# the compare folders, and prints the report.  It measures the harness: the targets it
# states are reported as met or not, they are not a pass/fail of make.
#
# Environment: MAKE, O, ARCH, RESULTS, REPEATS (default 5), PARTS (default "null add1 add2
# loaded"), and what make compare takes (FILTER, QUICK, LAYOUTS, PROCS, REPS, PAIRS, BUDGET,
# CPU, PAIRED).  The compares name machine states in this host's record
# (RESULTS/<host-id>/states.json).
set -euo pipefail
GM_PROG=sensitivity
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
MAKE=${MAKE:-make}
O=${O:-build}
ARCH=${ARCH:?}
RESULTS=${RESULTS:-results}
REPEATS=${REPEATS:-5}
PARTS=${PARTS:-null add1 add2 loaded}
case $REPEATS in ''|*[!0-9]*|0) die "REPEATS must be a positive number" ;; esac
add1=tests/fixtures/asmcgocall-1add-$ARCH.patch
add2=tests/fixtures/asmcgocall-2adds-$ARCH.patch
[ -f "$add1" ] && [ -f "$add2" ] || die "no fixtures $add1, $add2 for ARCH=$ARCH"
for part in $PARTS; do
	case $part in null|add1|add2|loaded) ;; *) die "unknown part '$part' (null, add1, add2, loaded)" ;; esac
done

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
echo "part,repeat,benchmark,state,verdict,delta_pct,ci_low_pct,ci_high_pct,bound_pct,resolvable_pct" >"$tmp/report.csv.tmp"
t0=$(date +%s)
nparts=$(echo $PARTS | wc -w)
n=0 total=$((nparts * REPEATS))
for part in $PARTS; do
	case $part in
	null) new=HEAD ;;
	add1|loaded) new=$add1 ;;
	add2) new=$add2 ;;
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
			STATES="$dir/states.json" LABEL="$part-$r" >"$tmp/$part-$r.log" 2>&1; then
			tail -n 20 "$tmp/$part-$r.log" >&2
			say "the compare failed ($part, repeat $r); nothing was kept"
			exit 1
		fi
		if [ -n "$hog" ]; then kill "$hog" 2>/dev/null || true; wait "$hog" 2>/dev/null || true; hog=""; fi
		c=$(readlink -f "$res/latest-compare")
		"$GM" compare verdicts --prefix "$part,$r," "$c/compare.json" >>"$tmp/report.csv.tmp"
		say "  $(grep -c ',\(slower\|faster\),' <("$GM" compare verdicts "$c/compare.json")) rows slower or faster; $(tail -n 1 "$c/compare.txt" | cut -c1-60)"
	done
done
mv "$tmp/report.csv.tmp" "$tmp/report.csv"
elapsed=$(( $(date +%s) - t0 ))

first=$(ls "$tmp"/compares/*/latest-compare -d 2>/dev/null | sed -n 1p)
{
	echo "gmbench sensitivity: the comparison measured on itself"
	echo "date: $(date -u +%Y-%m-%dT%H:%MZ); $REPEATS repeats of: $PARTS; $elapsed s in all"
	[ -n "$first" ] && sed -n 's/^machine: /machine: /p; s/^mode: /mode: /p' "$(readlink -f "$first")/compare.txt" | sed -n 1,2p
	echo "settings: FILTER=${FILTER:-(all)} QUICK=${QUICK:-0} LAYOUTS=${LAYOUTS:-128} PROCS=${PROCS:-planned} PAIRS=${PAIRS:-planned} BUDGET=${BUDGET:-default} MIN_EFFECT=${MIN_EFFECT:-2}%; measured CPU $cpu"
	echo "fixtures: $add1 (one dependent single-cycle add on asmcgocall's path to g0), $add2 (two)"
	echo "compare times (s): $(for f in "$tmp"/compares/*/latest-compare; do sed -n 's/.*(\([0-9]*\) s in all).*/\1/p' "$tmp/$(basename "$(dirname "$f")").log" 2>/dev/null; done | tr '\n' ' ')"
	echo
	awk -F, -v reps="$REPEATS" '
		NR == 1 { next }
		{
			p = $1; r = $2; k = $3 "@" $4; v = $5
			if (!((p, k) in seen)) { seen[p, k] = 1; rows[p] = rows[p] " " k }
			parts[p] = 1
			n[p, k]++; c[p, k, v]++
			eff[p, k] = eff[p, k] sprintf(" %s%s", v == "same" ? "~" : v == "unresolved" ? "?" : v == "slower" ? "S" : v == "faster" ? "F" : v,
				$6 != "" ? sprintf("(%+.1f%%%s)", $6, $9 != "" ? sprintf(" ±%.1f", $9) : $7 != "" ? sprintf(" [%+.1f,%+.1f]", $7, $8) : "") : "")
			if ($3 != "geomean" && v != "floor" && v != "failed") { cmp[p, r]++; if (v == "slower" || v == "faster") disc[p, r]++ }
			if ($3 != "geomean" && v == "same") { if (!((p) in bmin) || $9 < bmin[p]) bmin[p] = $9; if ($9 > bmax[p]) bmax[p] = $9 }
			if ($3 != "geomean" && v == "unresolved") unres[p]++
		}
		END {
			np = split("null add1 add2 loaded", pl, " ")
			for (pi = 1; pi <= np; pi++) {
				p = pl[pi]
				if (!(p in parts)) continue
				printf "== %s\n", p
				line = "slower or faster rows per compare:"; tot = 0; tc = 0; any = 0
				for (r = 1; r <= reps; r++) { line = line sprintf(" %d/%d", disc[p, r], cmp[p, r]); tot += disc[p, r]; tc += cmp[p, r]; any += disc[p, r] > 0 }
				print line
				if (p in bmin) printf "~ bounds: ±%.1f%% to ±%.1f%%; not resolved rows: %d\n", bmin[p], bmax[p], unres[p]
				if (p == "null")
					printf "target (null: nothing slower or faster in every compare): %s (%d of %d rows over %d compares, in %d compares)\n",
						tot ? "NOT met" : "met", tot, tc, reps, any
				m = split(rows[p], rl, " "); one = 0; both = 0; cnt = 0
				for (i = 1; i <= m; i++) {
					k = rl[i]; cnt++
					f = c[p, k, "slower"] + c[p, k, "faster"]
					printf "  %-40s found in %d of %d: %s\n", k, f, n[p, k], eff[p, k]
					kinds = (c[p, k, "slower"] > 0) + (c[p, k, "faster"] > 0) + (c[p, k, "same"] > 0) + (c[p, k, "unresolved"] > 0)
					one += kinds == 1
					both += c[p, k, "slower"] > 0 && c[p, k, "faster"] > 0
				}
				printf "rows and states with one verdict in every compare that saw the state: %d of %d; found with both signs: %d\n", one, cnt, both
				if (p == "add1" || p == "loaded") {
					k = ""; for (i = 1; i <= m; i++) if (rl[i] ~ /^cgocall\/asmcgocall\/mask@/) k = k " " rl[i]
					ns = split(k, ks, " "); ok = ns > 0
					for (i = 1; i <= ns; i++) ok = ok && (c[p, ks[i], "slower"] == n[p, ks[i]] || c[p, ks[i], "faster"] == n[p, ks[i]])
					printf "target (one instruction on asmcgocall/mask: one direction in every compare of each state): %s\n", ok ? "met" : "NOT met"
				}
				print ""
			}
			print "verdicts: S slower, F faster, ~ no change beyond ±bound, ? not resolved; rows are name@state (the host'"'"'s state labels)"
		}' "$tmp/report.csv"
} >"$tmp/report.txt"
rm -f "$tmp"/*.log
name="sensitivity-$stamp"
gm_commit "$dir" "$name"
cat "$dir/$name/report.txt"
echo "sensitivity: report in $dir/$name/report.txt (report.csv, compares/)"
