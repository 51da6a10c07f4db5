#!/bin/bash
# scripts/predict.sh — make predict: llvm-mca static cycle predictions of every transition
# symbol of the ARM ports (and amd64 when asked) for named cores.
#
# STATIC PREDICTIONS, NOT MEASUREMENTS.  For each global symbol of <port>/{switch,cgo,
# thread,tls,signal}.S: llvm-objdump of the port's object, the path from the entry to the
# first return or tail jump (forward branches not taken: the fast path), calls left out
# (llvm-mca charges a call 100 cycles and the callee is not this symbol's code), then
# llvm-mca -iterations=1 (cycles of one pass) and -iterations=100 (block reciprocal
# throughput, IPC).  Instructions a model rejects are removed one by one and listed.
#
# The cores: AArch64 cortex-a53, a55 (in-order), a72, a76, neoverse-n1 (out-of-order);
# ARMv7 (AArch32) cortex-a57 (out-of-order, the Cortex-A15/A17 class) and cortex-r52
# (in-order dual-issue: the stand-in for Cortex-A7/A8, which llvm-mca 14 has no model
# for).  docs/pathlen.md says which model stands in for which core and what none models.
#
# Environment: PREDICT_ARCHES (default: ARCH), O, GM, RESULTS, LABEL, MAKE;
#   PREDICT_SYMBOLS="sym ..."  only these symbols (make compare: the paths that changed)
#   PREDICT_INPUTS=DIR         only write each symbol's llvm-mca input to DIR/<arch>-<sym>.s
#                              (no llvm-mca, no result folder): make compare diffs them
#   PREDICT_PLOTS=0            no plots
# Output: RESULTS/<host-id>/predict-<stamp>-<rev>/ {predict.json, predict.txt,
# predict.dat, *.s inputs, plots}; RESULTS/latest-predict points there.
set -euo pipefail
GM_PROG=predict
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

: "${GM:?}"
O=${O:-build}
RESULTS=${RESULTS:-results}
ARCHES=${PREDICT_ARCHES:-${ARCH:-arm64}}
MCA=${LLVM_MCA:-}
if [ -z "$MCA" ]; then
	for c in llvm-mca llvm-mca-14 llvm-mca-15 llvm-mca-16; do command -v $c >/dev/null 2>&1 && { MCA=$c; break; }; done
fi
OBJDUMP=${LLVM_OBJDUMP:-}
if [ -z "$OBJDUMP" ]; then
	for c in llvm-objdump llvm-objdump-14 llvm-objdump-15 llvm-objdump-16; do command -v $c >/dev/null 2>&1 && { OBJDUMP=$c; break; }; done
fi
[ -n "$MCA" ] && [ -n "$OBJDUMP" ] || { say "llvm-mca/llvm-objdump not found: install Debian's llvm (make deps does)"; exit 1; }

host=$(hostname 2>/dev/null || echo host)
hostid=$(printf '%s-predict' "$host" | tr -c 'A-Za-z0-9._-' '-' | sed 's/--*/-/g; s/-$//')
rev=$(git describe --always --dirty --abbrev=12 2>/dev/null || echo norev)
stamp=$(date -u +%Y%m%dT%H%M%SZ)
name=$(printf 'predict-%s-%s%s' "$stamp" "$rev" "${LABEL:+-$LABEL}" | tr -c 'A-Za-z0-9._+-' '-')
dir="$RESULTS/$hostid"
gm_stage "$dir" predict-
tmp=$gm_staged
mkdir -p "$tmp/input"
if [ -n "${PREDICT_INPUTS:-}" ]; then
	mkdir -p "$PREDICT_INPUTS" && PREDICT_INPUTS=$(cd "$PREDICT_INPUTS" && pwd) || exit 1
fi
recs="$tmp/records"
: >"$recs"
skipped=""

# One llvm-mca prediction: $1 triple, $2 cpu, $3 input .s; prints "cycles rthru ipc" and
# appends what the model rejected to $4 (one per line), removing it from a copy.
mca_one() {
	local triple=$1 cpu=$2 in=$3 unc=$4 work="$tmp/mca.s" out err tries=0 line
	cp "$in" "$work"
	while :; do
		if out=$("$MCA" -mtriple="$triple" -mcpu="$cpu" -iterations=1 "$work" 2>"$tmp/mca.err"); then
			break
		fi
		tries=$((tries + 1))
		if grep -q '^Stack dump' "$tmp/mca.err"; then
			# llvm-mca 14 itself crashes on some inputs of some models (cortex-a9's)
			echo "llvm-mca crashed on this input with this model (a bug of llvm-mca, not a cost)" >>"$unc"
			echo "- - -"
			return
		fi
		# "<file>:LINE:COL: error: ..." names the line; drop it and retry
		line=$(sed -n 's/^[^:]*:\([0-9][0-9]*\):[0-9]*: error: .*/\1/p' "$tmp/mca.err" | head -n1)
		if [ -z "$line" ]; then
			# "found an unsupported instruction": the note names the instruction
			ins=$(sed -n 's/^note: instruction: *//p' "$tmp/mca.err" | head -n1 | tr -s ' \t' ' ' | sed 's/^ //')
			if [ -n "$ins" ]; then
				mn=${ins%% *}
				line=$(awk -v mn="$mn" '{ gsub(/^[ \t]+/, "") } $1 == mn { print NR; exit }' "$work")
			fi
		fi
		if [ -z "$line" ] || [ $tries -gt 40 ]; then
			echo "model rejected the input: $(grep -m1 -E 'error' "$tmp/mca.err" | tr '\t' ' ')" >>"$unc"
			echo "- - -"
			return
		fi
		echo "$(sed -n "${line}p" "$work" | tr -s ' \t' ' ' | sed 's/^ //') ($(grep -m1 -oE 'error: .*' "$tmp/mca.err" | cut -c8- | tr '\t' ' '))" >>"$unc"
		sed -i "${line}d" "$work"
	done
	local cyc rth ipc
	cyc=$(echo "$out" | awk '/^Total Cycles:/ { print $3 }')
	out=$("$MCA" -mtriple="$triple" -mcpu="$cpu" -iterations=100 "$work" 2>/dev/null || true)
	rth=$(echo "$out" | awk '/^Block RThroughput:/ { print $3 }')
	ipc=$(echo "$out" | awk '/^IPC:/ { print $2 }')
	echo "${cyc:--} ${rth:--} ${ipc:--}"
}

for arch in $ARCHES; do
	case $arch in
	arm64) port=arm/arm64 cross=aarch64-linux-gnu- cpus="cortex-a53 cortex-a55 cortex-a72 cortex-a76 neoverse-n1" ;;
	arm) port=arm/arm32 cross=arm-linux-gnueabihf- cpus="cortex-a57 cortex-r52" ;;
	amd64) port=amd64 cross="" cpus="skylake znver2" ;;
	*) die "unknown arch $arch" ;;
	esac
	[ "$(gm_hostarch)" = "$arch" ] && cross=""
	objdir="$O/$arch/obj/$port"
	# a clean environment: CC, CROSS_COMPILE... of the calling make are the host port's
	if ! env -u CC -u CROSS_COMPILE -u ARCH -u B -u PORT -u TRIPLE -u RUN -u QEMU_BIN \
		${MAKE:-make} --no-print-directory ARCH=$arch O="$O" lib >"$tmp/build-$arch.log" 2>&1; then
		skipped="$skipped $arch"
		say "WARNING: the $arch port does not build (yet): skipped; see 'make lib ARCH=$arch':"
		tail -n 3 "$tmp/build-$arch.log" | sed 's/^/  /' >&2
		continue
	fi
	NM=${cross}nm
	command -v "$NM" >/dev/null 2>&1 || NM=nm
	n=0
	for obj in switch cgo thread tls signal; do
		o="$objdir/$obj.o"
		[ -f "$o" ] || continue
		"$NM" --defined-only "$o" | awk '$2 == "T" { print $1, $3 }' | sort -u -k2 | while read -r addr sym; do
			triple=aarch64-linux-gnu
			case $arch in
			arm)
				# Thumb functions have the low address bit set
				if [ $(( 0x$addr & 1 )) -eq 1 ]; then triple=thumbv7-linux-gnueabihf; else triple=armv7-linux-gnueabihf; fi ;;
			amd64) triple=x86_64-linux-gnu ;;
			esac
			if [ -n "${PREDICT_SYMBOLS+set}" ]; then
				case " $PREDICT_SYMBOLS " in *" $sym "*) ;; *) continue ;; esac
			fi
			s="$tmp/input/$arch-$sym.s"
			"$OBJDUMP" -d --no-show-raw-insn --disassemble-symbols="$sym" "$o" 2>/dev/null |
				"$GM" pathlen mca-input >"$s" 2>"$tmp/input/$arch-$sym.log" || { rm -f "$s"; continue; }
			ninsn=$(grep -c $'^\t' "$s" || true)
			left=$(sed -n 's/^left out: //p' "$tmp/input/$arch-$sym.log" | tr '\n' ';' | sed 's/;$//')
			note="path: entry to first return or tail jump"
			[ -n "$left" ] && note="$note; calls left out: $left"
			if [ -n "${PREDICT_INPUTS:-}" ]; then
				# the input and what it was made with (the left-out calls are part of the path)
				{ echo "# $triple"; echo "# calls left out: ${left:-none}"; cat "$s"; } >"$PREDICT_INPUTS/$arch-$sym.s"
				continue
			fi
			for cpu in $cpus; do
				unc="$tmp/unc"
				: >"$unc"
				read -r cyc rth ipc < <(mca_one "$triple" "$cpu" "$s" "$unc")
				[ "$cyc" = - ] && cyc=""
				[ "$rth" = - ] && rth=""
				[ "$ipc" = - ] && ipc=""
				printf 'R\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$arch" "${port##*/}" "$cpu" "$triple" "$sym" \
					"$ninsn" "$cyc" "$rth" "$ipc" "$(tr '\n' ';' <"$unc" | sed 's/;$//')" "$note" >>"$recs"
			done
		done
	done
	echo "predict: $arch: $(awk -F'\t' -v a=$arch '$2 == a' "$recs" | wc -l) predictions" >&2
done
rm -f "$tmp/mca.s" "$tmp/mca.err" "$tmp/unc" "$tmp"/build-*.log
if [ -n "${PREDICT_INPUTS:-}" ]; then
	[ -z "$skipped" ] || { say "the$skipped port does not build: no inputs"; exit 1; }
	echo "predict: llvm-mca inputs of $(ls "$PREDICT_INPUTS" | wc -l) symbols in $PREDICT_INPUTS" >&2
	rm -rf "$tmp"
	rmdir "$dir" 2>/dev/null || true	# no result folder in this mode
	exit 0
fi
[ -s "$recs" ] || { say "no port could be predicted (skipped:$skipped); nothing was kept"; exit 1; }
"$GM" predict report --json "$tmp/predict.json" --txt "$tmp/predict.txt" --dat "$tmp/predict.dat" \
	--meta llvm_mca "$("$MCA" --version | grep -m1 -i version | sed 's/^ *//')" --meta git_rev "$rev" \
	--meta date_utc "$stamp" --meta skipped "${skipped# }" "$recs"
mv "$recs" "$tmp/input/records.tsv"
if [ -n "$skipped" ]; then
	echo >>"$tmp/predict.txt"
	echo "Ports skipped because they do not build yet:$skipped" >>"$tmp/predict.txt"
fi
if [ "${PREDICT_PLOTS:-1}" != 0 ] && command -v gnuplot >/dev/null 2>&1; then
	scripts/plot/pathlen.sh "$tmp" >/dev/null 2>&1 || say "WARNING: the plots failed"
fi
gm_commit "$dir" "$name" "$RESULTS" latest-predict "$hostid"
cat "$dir/$name/predict.txt"
echo "predict: results in $dir/$name (predict.json, predict.txt); $RESULTS/latest-predict points there"
