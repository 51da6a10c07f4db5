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
# The cores are those gmbench runs on (the table below): for each, the llvm-mca model that
# stands in for it is chosen by asking llvm-mca itself which model each -mcpu runs (its
# resource names: -mcpu=cortex-a76 runs the Cortex-A57 model in llvm-mca 14 and 19), and
# every output says which model stood in for which core, with llvm-mca's version.  The
# newest llvm-mca on the machine is used (Debian 12: llvm-mca-19, else llvm's 14).
# docs/pathlen.md has the table and what no model covers.
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
# the newest llvm-mca: newer versions model more cores (llvm-mca 19: Neoverse-N1/V1/V2)
MCA=${LLVM_MCA:-$(gm_newest_llvm mca)}
OBJDUMP=${LLVM_OBJDUMP:-$(gm_newest_llvm objdump)}
[ -n "$MCA" ] && [ -n "$OBJDUMP" ] || { say "llvm-mca/llvm-objdump not found: install Debian's llvm (make deps does)"; exit 1; }
mca_version=$("$MCA" --version | awk 'tolower($0) ~ /version/ && !n++ { sub(/^ +/, ""); print }')
[ -n "$mca_version" ] || die "$MCA --version names no version"

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

# The cores gmbench runs on: arch|core|boards|class|the -mcpu named after it|the -mcpus
# whose own model may stand in, best first (one is taken only when llvm-mca runs that
# very model for it)|what to know when a stand-in is used.
cores_table() {
	cat <<'EOF'
arm64|Cortex-A53|Raspberry Pi 3, many AArch64 boards|in-order, dual-issue|cortex-a53|cortex-a53|
arm64|Cortex-A55|RK3588 little cores|in-order, dual-issue|cortex-a55|cortex-a55 cortex-a53|
arm64|Cortex-A72|Raspberry Pi 4|out-of-order, 3-wide|cortex-a72|cortex-a72 cortex-a57|A57 is A72's predecessor, 3-wide too
arm64|Cortex-A76|Raspberry Pi 5, RK3588 big cores|out-of-order, 4-wide|cortex-a76|cortex-a76 neoverse-n1 cortex-a57|Neoverse-N1 is derived from A76; A57 is 3-wide, so pessimistic
arm64|Neoverse-N1|Graviton2, Ampere Altra|out-of-order, 4-wide|neoverse-n1|neoverse-n1 cortex-a76 cortex-a57|A57 is 3-wide, so pessimistic
arm64|Neoverse-V1|Graviton3|out-of-order, wide|neoverse-v1|neoverse-v1 neoverse-n2 neoverse-n1 cortex-a57|a narrower model: pessimistic
arm64|Neoverse-V2|Graviton4|out-of-order, wide|neoverse-v2|neoverse-v2 neoverse-v1 neoverse-n2 neoverse-n1 cortex-a57|a narrower model: pessimistic
arm|Cortex-A7|Raspberry Pi 2, most ARMv7 boards|in-order, partial dual-issue|cortex-a7|cortex-a7 cortex-r52|R52 (in-order dual-issue AArch32) cannot cost mrc/mcr, vpush/vstm or barriers (listed) and charges pop/ldm about 19 cycles: read the deltas
arm|Cortex-A8|BeagleBone|in-order, dual-issue|cortex-a8|cortex-a8 cortex-r52|R52 (in-order dual-issue AArch32) cannot cost mrc/mcr, vpush/vstm or barriers (listed) and charges pop/ldm about 19 cycles: read the deltas
arm|Cortex-A9|i.MX6, Zynq-7000|out-of-order, 2-wide|cortex-a9|cortex-a57|A57 (AArch32) is 3-wide: optimistic; LLVM's cortex-a9 model rejects push/pop/ldm/stm and crashes llvm-mca 14
arm|Cortex-A15/A17|Exynos 5, RK3288|out-of-order, 3-wide|cortex-a15|cortex-a57|A57 (AArch32) continues A15's design; LLVM's cortex-a15/a17 models reject push/pop/ldm/stm
amd64|Skylake|Intel Core 6th-10th generation|out-of-order|skylake|skylake|
amd64|Zen 2|AMD EPYC 7002, Ryzen 3000|out-of-order|znver2|znver2|
EOF
}

# mca_model TRIPLE CPU: "MODEL<tab>ITS-MCPU" of the model llvm-mca runs for -mcpu=CPU (gm
# predict model reads it from the resource names of a one-instruction input); "unknown" when
# llvm-mca does not know CPU, "none" when it has no scheduling model for it
mca_model() {
	local in out
	case $1 in
	aarch64*) in='add x0, x0, x1' ;;
	x86_64*) in='addq %rbx, %rax' ;;
	*) in='add r0, r0, r1' ;;
	esac
	echo "$in" >"$tmp/probe.s"
	out=$("$MCA" -mtriple="$1" -mcpu="$2" -iterations=1 "$tmp/probe.s" 2>"$tmp/probe.err" || true)
	if grep -q 'not a recognized processor' "$tmp/probe.err"; then
		printf 'unknown\t-\n'
	else
		echo "$out" | "$GM" predict model | cut -f1,2
	fi
}

# One llvm-mca prediction: $1 triple, $2 cpu, $3 input .s; prints "cycles rthru ipc unit"
# (unit: the first resource llvm-mca listed, which names the model it ran) and appends
# what the model rejected to $4 (one per line), removing it from a copy.
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
			echo "- - - -"
			return
		fi
		# "<file>:LINE:COL: error: ..." names the line; drop it and retry
		line=$(sed -n 's/^[^:]*:\([0-9][0-9]*\):[0-9]*: error: .*/\1/p' "$tmp/mca.err" | sed -n 1p)
		if [ -z "$line" ]; then
			# "found an unsupported instruction": the note names the instruction
			ins=$(sed -n 's/^note: instruction: *//p' "$tmp/mca.err" | sed -n 1p | tr -s ' \t' ' ' | sed 's/^ //')
			if [ -n "$ins" ]; then
				mn=${ins%% *}
				line=$(awk -v mn="$mn" '{ gsub(/^[ \t]+/, "") } $1 == mn { print NR; exit }' "$work")
			fi
		fi
		if [ -z "$line" ] || [ $tries -gt 40 ]; then
			echo "model rejected the input: $(grep -m1 -E 'error' "$tmp/mca.err" | tr '\t' ' ')" >>"$unc"
			echo "- - - -"
			return
		fi
		echo "$(sed -n "${line}p" "$work" | tr -s ' \t' ' ' | sed 's/^ //') ($(grep -m1 -oE 'error: .*' "$tmp/mca.err" | cut -c8- | tr '\t' ' ' | sed 's/, use -skip-unsupported.*//'))" >>"$unc"
		sed -i "${line}d" "$work"
	done
	local cyc rth ipc unit
	cyc=$(echo "$out" | awk '/^Total Cycles:/ { print $3 }')
	unit=$(echo "$out" | "$GM" predict model | cut -f3 | cut -d, -f1)
	out=$("$MCA" -mtriple="$triple" -mcpu="$cpu" -iterations=100 "$work" 2>/dev/null || true)
	rth=$(echo "$out" | awk '/^Block RThroughput:/ { print $3 }')
	ipc=$(echo "$out" | awk '/^IPC:/ { print $2 }')
	echo "${cyc:--} ${rth:--} ${ipc:--} ${unit:--}"
}

# cores ARCH TRIPLE: one C record per core of ARCH (the model that stands in for it) into
# $recs; prints the -mcpus to run, each once
cores() {
	local arch=$1 triple=$2 a core boards cls own prefs note p m pm om chosen model cpus=""
	while IFS='|' read -r a core boards cls own prefs note; do
		[ "$a" = "$arch" ] || continue
		chosen="" model=""
		for p in $prefs; do
			IFS=$'\t' read -r m pm < <(mca_model "$triple" "$p")
			# taken only when this -mcpu runs its own model: never a model under another name
			if [ "$pm" = "$p" ]; then chosen=$p model=$m; break; fi
		done
		om=$(mca_model "$triple" "$own" | cut -f1)
		printf 'C\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$arch" "$core" "$boards" "$cls" "$chosen" "$model" \
			"$own" "$om" "$note" >>"$recs"
		[ -n "$chosen" ] || continue
		case " $cpus " in *" $chosen "*) ;; *) cpus="$cpus $chosen" ;; esac
	done < <(cores_table)
	echo $cpus
}

for arch in $ARCHES; do
	case $arch in
	arm64) port=arm/arm64 cross=aarch64-linux-gnu- ctriple=aarch64-linux-gnu ;;
	arm) port=arm/arm32 cross=arm-linux-gnueabihf- ctriple=armv7-linux-gnueabihf ;;
	amd64) port=amd64 cross="" ctriple=x86_64-linux-gnu ;;
	*) die "unknown arch $arch" ;;
	esac
	cpus=""
	if [ -z "${PREDICT_INPUTS:-}" ]; then
		cpus=$(cores $arch $ctriple)
		[ -n "$cpus" ] || die "$mca_version has no scheduling model for any $arch core"
	fi
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
				read -r cyc rth ipc unit < <(mca_one "$triple" "$cpu" "$s" "$unc")
				[ "$unit" = - ] && unit=""
				[ "$cyc" = - ] && cyc=""
				[ "$rth" = - ] && rth=""
				[ "$ipc" = - ] && ipc=""
				printf 'R\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$arch" "${port##*/}" "$cpu" "$triple" "$sym" \
					"$ninsn" "$cyc" "$rth" "$ipc" "$(tr '\n' ';' <"$unc" | sed 's/;$//')" "$note" "$unit" >>"$recs"
			done
		done
	done
	echo "predict: $arch: $(awk -F'\t' -v a=$arch '$1 == "R" && $2 == a' "$recs" | wc -l) predictions ($mca_version)" >&2
done
rm -f "$tmp/mca.s" "$tmp/mca.err" "$tmp/unc" "$tmp/probe.s" "$tmp/probe.err" "$tmp"/build-*.log
if [ -n "${PREDICT_INPUTS:-}" ]; then
	[ -z "$skipped" ] || { say "the$skipped port does not build: no inputs"; exit 1; }
	echo "predict: llvm-mca inputs of $(ls "$PREDICT_INPUTS" | wc -l) symbols in $PREDICT_INPUTS" >&2
	rm -rf "$tmp"
	rmdir "$dir" 2>/dev/null || true	# no result folder in this mode
	exit 0
fi
grep -q '^R' "$recs" || { say "no port could be predicted (skipped:$skipped); nothing was kept"; exit 1; }
"$GM" predict report --json "$tmp/predict.json" --txt "$tmp/predict.txt" --dat "$tmp/predict.dat" \
	--meta llvm_mca "$mca_version" --meta git_rev "$rev" \
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
