#!/bin/bash
# scripts/board/run.sh — make board: boot a Debian ARM kernel under qemu-system, run the
# README's commands natively inside, bring the results back.  See docs/board.md.
#
# Environment (make passes it):
#   ARCH     arm64 | arm              the userland (the port that runs natively)
#   KERNEL   arm64 | armmp            arm64: Debian's arm64 kernel (for ARCH=arm: a 32-bit
#                                     userland on a 64-bit kernel, like Raspberry Pi OS);
#                                     armmp: Debian's armhf armmp-lpae kernel (ARCH=arm only).
#                                     Default: arm64 for ARCH=arm64, armmp for ARCH=arm.
#   JOB      test | bench | both | smoke   (default both; smoke = make test-board's job)
#   ICOUNT   1: -icount shift=0, the guest's PMU cycles are retired instructions; the
#            bench's per-op counts are then checked against make pathlen's exact counts
#   TIMEOUT  seconds for the guest (default: by JOB); SMP, MEM (default 2, 2G)
#   FILTER   gmbench filter (regex over benchmark names) for the job's make bench
#            (JOB=bench, both, smoke); with ICOUNT=1 only what it selects is checked
#   O, RESULTS, BOARD_RELEASE, MAKE, GM (the host tool: gm icount checks ICOUNT=1)
#
# Output: RESULTS/<host-id>-<arch>-qemu-system/<stamp>-<rev>-<kernel>-<job>[-icount]/ with
# board.txt (what ran, stage durations, verdict), console.log, the guest's logs, the
# run folders `make bench` wrote inside (each with its context.json and summary.txt,
# labelled emulated-system), counters.txt and, with ICOUNT=1, icount-check.txt.
# Written under .partial-* and renamed when complete.  Exit non-zero when the image
# cannot be built, the guest does not finish in TIMEOUT, or any stage of the job fails.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$top" || exit 1
GM_PROG=board GM_DIE_STATUS=1 GM_ERROR_WORD=1 GM_SAY_FD=1
. "$(dirname "$0")/../lib.sh"

ARCH=${ARCH:?}
O=${O:-build}
RESULTS=${RESULTS:-results}
RELEASE=${BOARD_RELEASE:-bookworm}
JOB=${JOB:-both}
ICOUNT=${ICOUNT:-0}
SMP=${SMP:-2}
MEM=${MEM:-2G}
case $ARCH in
arm64) KERNEL=${KERNEL:-arm64}; DEBARCH=arm64 ;;
arm) KERNEL=${KERNEL:-armmp}; DEBARCH=armhf ;;
*) die "ARCH=$ARCH: make board runs arm64 or arm" ;;
esac
case $KERNEL in
arm64) KDEBARCH=arm64 ;;
armmp) [ "$ARCH" = arm ] || die "KERNEL=armmp is a 32-bit kernel: it runs ARCH=arm only"; KDEBARCH=armhf ;;
*) die "KERNEL=$KERNEL: use arm64 or armmp" ;;
esac
case $JOB in
test) deftimeout=21600 ;; bench) deftimeout=10800 ;; both) deftimeout=28800 ;; smoke) deftimeout=7200 ;;
*) die "JOB=$JOB: use test, bench, both or smoke" ;;
esac
TIMEOUT=${TIMEOUT:-$deftimeout}
case $ICOUNT in 0|1) ;; *) die "ICOUNT=$ICOUNT: use 0 or 1" ;; esac
# the ICOUNT check compares the job's bench run with make pathlen: a job without one
# could only fail it
[ "$ICOUNT" = 1 ] && [ "$JOB" = test ] && die "ICOUNT=1 checks the counts of the job's make bench: use JOB=bench, both or smoke"
if [ "$ICOUNT" = 1 ] && [ "$KERNEL" = armmp ] && [ "$SMP" != 1 ]; then
	say "ICOUNT=1 on the armmp kernel: -smp 1 (with -icount, -smp 2 hangs after CPU1 comes up)"
	SMP=1
fi
imgdir() { echo "$O/board/$RELEASE/$1"; }

t_start=$(date +%s)
declare -a stage_names=() stage_secs=()
t_stage=$t_start
stage_done() { stage_names+=("$1"); stage_secs+=($(( $(date +%s) - t_stage ))); t_stage=$(date +%s); }

# ---------------------------------------------------------------- 1. images
say "[1/5] images: $DEBARCH root file system$( [ "$KDEBARCH" != "$DEBARCH" ] && echo ", $KDEBARCH kernel") (cached in $O/board/$RELEASE/)"
for a in $(printf '%s\n' "$KDEBARCH" "$DEBARCH" | sort -u); do
	BOARD_RELEASE=$RELEASE "$here/image.sh" "$a" "$(imgdir "$a")" | sed 's/^/  /'
	[ "${PIPESTATUS[0]}" = 0 ] || die "the $a image could not be built (log: $(imgdir "$a")/build.log)"
done
kdir=$(imgdir "$KDEBARCH")
rdir=$(imgdir "$DEBARCH")
kver=$(sed -n 's/^kernel: //p' "$kdir/manifest.txt")
stage_done images

# ---------------------------------------------------------------- 2. the checkout
stamp=$(date -u +%Y%m%dT%H%M%SZ)
run=$O/board/run/$ARCH-$KERNEL-$stamp-$$
share=$run/share
mkdir -p "$share/out" "$share/cache"
cleanup_run() { rm -rf "$run"; }
trap cleanup_run EXIT
say "[2/5] checkout: a clean clone of HEAD ($(git rev-parse --short=12 HEAD)) with its .git, for the guest"
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
	say "  WARNING: the working tree has uncommitted changes; the guest gets HEAD without them (commit first to test them)"
fi
rm -rf "$run/clone"
git clone -q --depth 1 --no-local "file://$top" "$run/clone" 2>/dev/null ||
	git clone -q --no-local "$top" "$run/clone" || die "cannot clone the checkout"
tar cf "$share/checkout.tar" -C "$run/clone" . || die "cannot pack the checkout"
rev=$(git -C "$run/clone" describe --always --abbrev=12 2>/dev/null || echo norev)
# Google Benchmark's Debian source (the guest has no network): the host fetches it once.
gsrc=$O/gbench/src
if [ ! -f "$gsrc/.stamp" ]; then
	say "  fetching Google Benchmark's Debian source for the guest"
	GBENCH_FETCH_ONLY=1 scripts/build-gbench.sh "$(scripts/hostarch.sh)" "$O/gbench/$(scripts/hostarch.sh)" >/dev/null ||
		die "cannot fetch Google Benchmark's source (scripts/build-gbench.sh)"
fi
tar cf "$share/gbench-src.tar" -C "$O/gbench" src || die "cannot pack Google Benchmark's source"
cache=$rdir/cache
mkdir -p "$cache"
[ -f "$cache/gbench-$ARCH.tar" ] && cp "$cache/gbench-$ARCH.tar" "$share/cache/"
cp "$here/job.sh" "$share/job.sh"
cat >"$share/job.env" <<EOF
ARCH=$ARCH
JOB=$JOB
ICOUNT=$ICOUNT
KERNEL=$KERNEL
FILTER='$(printf '%s' "${FILTER:-}" | sed "s/'/'\\\\''/g")'
EOF
stage_done checkout

# ---------------------------------------------------------------- 3. the machine
append="console=ttyAMA0 root=/dev/vda rw init=/sbin/gm-board-init panic=-1 loglevel=4"
qemu_args=(-M virt -smp "$SMP" -m "$MEM" -kernel "$kdir/vmlinuz" -initrd "$kdir/initrd.img"
	-drive "file=$rdir/root.img,format=raw,if=virtio,snapshot=on"
	-virtfs "local,path=$share,mount_tag=host,security_model=none,id=host"
	-nic none -display none -monitor none -serial "file:$run/console.log" -no-reboot)
if [ "$KERNEL" = arm64 ]; then
	qemu="qemu-system-aarch64"
	# pauth-impdef: QEMU's cheap pointer-authentication algorithm (TCG runs much faster)
	# shellcheck disable=SC2054 # one argument, its commas are QEMU's
	qemu_args=(-cpu max,pauth-impdef=on "${qemu_args[@]}")
else
	qemu="qemu-system-arm"
	# QEMU describes only an ARMv8 PMU to the kernel: an ARMv7 kernel needs the
	# Cortex-A15 PMU in the device tree to give perf its cycles.
	dtb=$run/guest.dtb
	"$qemu" -M "virt,dumpdtb=$run/qemu.dtb" -cpu cortex-a15 -smp "$SMP" -m "$MEM" -nic none -display none \
		>/dev/null 2>&1 || die "cannot dump QEMU's device tree"
	dtc -q -I dtb -O dts "$run/qemu.dtb" >"$run/qemu.dts" || die "dtc failed (device-tree-compiler)"
	flags=$(sed -n '/^\ttimer {/,/};/s/.*interrupts = <0x01 0x[0-9a-f]* \(0x[0-9a-f]*\).*/\1/p' "$run/qemu.dts")
	[ -n "$flags" ] || die "no timer interrupts in QEMU's device tree"
	awk -v f="$flags" '/^\tpmu {/ { print "\tpmu {\n\t\tcompatible = \"arm,cortex-a15-pmu\";\n\t\tinterrupts = <0x01 0x07 " f ">;"; skip = 1; next }
		skip && /^\t};/ { skip = 0 } { print }' "$run/qemu.dts" >"$run/guest.dts"
	grep -q 'arm,cortex-a15-pmu' "$run/guest.dts" || die "QEMU's device tree has no pmu node to fill"
	dtc -q -I dts -O dtb -o "$dtb" "$run/guest.dts" || die "dtc could not compile the device tree"
	qemu_args=(-cpu cortex-a15 -dtb "$dtb" "${qemu_args[@]}")
fi
[ "$ICOUNT" = 1 ] && qemu_args+=(-icount shift=0)
command -v "$qemu" >/dev/null || die "$qemu not found (make board-deps)"
say "[3/5] boot: $qemu, $KERNEL kernel $kver, $ARCH userland, -smp $SMP -m $MEM$( [ "$ICOUNT" = 1 ] && echo ', -icount shift=0') (TCG: emulated, not a board); JOB=$JOB, timeout ${TIMEOUT}s"
say "  console: $run/console.log"
printf '%q ' "$qemu" "${qemu_args[@]}" -append "$append" >"$run/qemu-command.txt"
nice -n 10 "$qemu" "${qemu_args[@]}" -append "$append" >"$run/qemu.log" 2>&1 &
qpid=$!
interrupted=0
trap 'interrupted=1' INT TERM HUP
seen=0 timedout=0
declare -a guest_lines=() guest_secs=()
t_boot=$(date +%s)
t_heard=$t_boot cur_stage=boot
while kill -0 "$qpid" 2>/dev/null; do
	sleep 2
	if [ -f "$share/out/progress" ]; then
		n=$(wc -l <"$share/out/progress")
		if [ "$n" -gt "$seen" ]; then
			now=$(( $(date +%s) - t_boot ))
			while IFS= read -r l; do
				printf 'board:   [%5ds] %s\n' "$now" "$l"
				guest_lines+=("$l"); guest_secs+=("$now")
				case $l in "stage "*) cur_stage=${l#stage }; cur_stage=${cur_stage%%:*} ;; esac
			done < <(sed -n "$((seen + 1)),${n}p" "$share/out/progress")
			seen=$n
			t_heard=$(date +%s)
		fi
	fi
	# a heartbeat when the guest has said nothing for 5 minutes: the stage and the
	# last line of its log (on the share), so a long stage is seen to move
	if [ $(( $(date +%s) - t_heard )) -ge 300 ]; then
		t_heard=$(date +%s)
		last=""
		[ -f "$share/out/$cur_stage.log" ] &&
			last=$(tail -c 2000 "$share/out/$cur_stage.log" | tr '\r' '\n' | grep -v '^[[:space:]]*$' | tail -n 1 | cut -c1-100)
		[ "$cur_stage" = boot ] && last=$(tail -n 1 "$run/console.log" 2>/dev/null | tr -d '\r' | cut -c1-100)
		printf 'board:   [%5ds] ... still in %s%s\n' "$(( t_heard - t_boot ))" "$cur_stage" "${last:+ (last line: $last)}"
	fi
	if [ "$timedout" = 0 ] && [ $(( $(date +%s) - t_boot )) -ge "$TIMEOUT" ]; then
		say "  TIMEOUT: the guest ran ${TIMEOUT}s; stopping it"
		timedout=1
		kill "$qpid" 2>/dev/null
	fi
	if [ "$interrupted" = 1 ]; then
		say "  interrupted: stopping the guest; nothing is kept"
		kill "$qpid" 2>/dev/null
		wait "$qpid" 2>/dev/null
		exit 130
	fi
done
wait "$qpid"
qrc=$?
trap - INT TERM HUP
boot_secs=$(( $(date +%s) - t_boot ))
stage_done guest
[ "$qrc" = 0 ] || [ "$timedout" = 1 ] || say "  $qemu exited $qrc: $(tail -n 3 "$run/qemu.log" | tr '\n' ' ')"

# ---------------------------------------------------------------- 4. collect
hostid=$(scripts/hostid.sh "$ARCH")-qemu-system
name=$(printf '%s-%s-%s-%s%s' "$stamp" "$rev" "$KERNEL" "$JOB" "$( [ "$ICOUNT" = 1 ] && echo -icount)" | tr -c 'A-Za-z0-9._+-' '-')
dest=$RESULTS/$hostid
tmp=$dest/.partial-$name
say "[4/5] collect: into $dest/$name"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"; cleanup_run' EXIT
cp "$run/console.log" "$run/qemu-command.txt" "$tmp/" 2>/dev/null
[ "$KERNEL" = armmp ] && cp "$run/guest.dts" "$tmp/" 2>/dev/null
cp "$kdir/manifest.txt" "$tmp/kernel-manifest.txt"
[ "$rdir" != "$kdir" ] && cp "$rdir/manifest.txt" "$tmp/root-manifest.txt"
for f in machine.txt counters.txt build.log test.log bench.log runtime.log progress rc; do
	[ -f "$share/out/$f" ] && cp "$share/out/$f" "$tmp/"
done
[ -d "$share/out/build-logs" ] && cp -r "$share/out/build-logs" "$tmp/"
if [ -f "$share/out/results.tar" ]; then
	mkdir -p "$tmp/runs"
	# the guest's run folders keep their names; their host-id is the guest's
	tar xf "$share/out/results.tar" -C "$tmp/runs" || say "  WARNING: the guest's results.tar is damaged"
fi
if [ -f "$share/out/gbench-$ARCH.tar" ]; then
	mv "$share/out/gbench-$ARCH.tar" "$cache/gbench-$ARCH.tar.tmp" && mv "$cache/gbench-$ARCH.tar.tmp" "$cache/gbench-$ARCH.tar"
	say "  cached the guest's Google Benchmark build: $cache/gbench-$ARCH.tar"
fi

# ---------------------------------------------------------------- 5. verdict
say "[5/5] verdict"
fail=0
verdict=""
if [ "$timedout" = 1 ]; then
	fail=1; verdict="TIMEOUT after ${TIMEOUT}s"
elif ! grep -qx "done" "$share/out/rc" 2>/dev/null; then
	fail=1; verdict="the job did not finish (guest crashed or powered off early: see console.log)"
fi
while IFS='=' read -r k v; do
	[ "$k" = "done" ] && continue
	[ -n "$k" ] || continue
	if [ "$v" != 0 ]; then fail=1; verdict="$verdict${verdict:+; }$k failed (exit $v)"; fi
done <"$share/out/rc" 2>/dev/null
# every run folder is labelled emulated-system, never hardware
for ctx in "$tmp"/runs/*/*/context.json; do
	[ -f "$ctx" ] || continue
	if ! grep -q '"gm_emulated": "emulated system' "$ctx"; then
		fail=1; verdict="$verdict${verdict:+; }$(basename "$(dirname "$ctx")") is not labelled emulated-system"
	fi
done
if [ "$ICOUNT" = 1 ]; then
	jsons=$(ls "$tmp"/runs/*/*/bench.json 2>/dev/null | sed -n 1p)
	if [ -z "$jsons" ]; then
		fail=1; verdict="$verdict${verdict:+; }ICOUNT=1 but no bench run to check"
	else
		say "  ICOUNT=1: the guest's perf cycles and instructions per op against make pathlen ARCH=$ARCH on this host"
		if ICOUNT_CHECK_OUT="$tmp/icount-check.txt" MAKE="${MAKE:-make}" ARCH="$ARCH" \
			PATHLEN_TREE="$run/clone" GM="${GM:?}" "$here/icount-check.sh" "$jsons"; then
			:
		else
			fail=1; verdict="$verdict${verdict:+; }the ICOUNT check failed (icount-check.txt)"
		fi
		sed 's/^/  /' "$tmp/icount-check.txt" 2>/dev/null | grep -E '^  (ok|not ok|#)' | tail -n 40
	fi
fi
[ -n "$verdict" ] || verdict="ok"
{
	echo "make board ARCH=$ARCH KERNEL=$KERNEL JOB=$JOB ICOUNT=$ICOUNT — EMULATED SYSTEM (QEMU TCG), not a board"
	echo "checkout: $rev (a clean clone of HEAD)"
	echo "host: $(hostname) $(uname -srm), $(nproc) cpus; load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "machine: $qemu $($qemu --version | sed -n 1p | sed 's/.*version //'), $(cat "$run/qemu-command.txt")"
	echo "kernel: $kver; userland: Debian $RELEASE $DEBARCH"
	echo "verdict: $verdict"
	echo "durations (s, wall clock on the host):"
	for i in "${!stage_names[@]}"; do printf '  %-10s %6d\n' "${stage_names[$i]}" "${stage_secs[$i]}"; done
	echo "guest stages (s after qemu started, when the host saw the line):"
	for i in "${!guest_lines[@]}"; do printf '  %6d  %s\n' "${guest_secs[$i]}" "${guest_lines[$i]}"; done
	printf '  %6d  qemu exited (%s)\n' "$boot_secs" "$qrc"
	echo "total: $(( $(date +%s) - t_start )) s"
} >"$tmp/board.txt"
mv "$tmp" "$dest/$name"
trap cleanup_run EXIT
sed -n '/^durations/,$p' "$dest/$name/board.txt" | sed 's/^/  /'
say "results in $dest/$name (board.txt, console.log, counters.txt, runs/)"
if [ "$fail" = 0 ]; then
	say "ok: $verdict"
else
	say "FAILED: $verdict"
	exit 1
fi
