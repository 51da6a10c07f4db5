#!/bin/sh
# lava/host/smoke.sh — make lava-smoke ARCH=arm64: one real LAVA job, end to end, with
# no lab: Debian's lava-run on a QEMU arm64 device boots Debian's arm64 kernel and the
# root image of `make board-image` (issue 11's board in a box), runs the test definition
# (lava/automated/linux/gmbench) on the committed HEAD, and the run folders come back
# through the job's log (lava/host/gmbench-extract.sh).  EMULATED: the figures are
# emulation timings, labelled so; the point is the path, not the numbers.
#
# Environment: O, MAKE, BOARD_RELEASE (bookworm), BOARD_IMAGE_DIR (a folder with
# vmlinuz, initrd.img, root.img instead of make board-image), FILTER (default: a few
# quick benchmarks), TARGET (both), TEST_TARGET (test-report: make test itself takes
# hours under TCG), REPS (3), QUICK (1), SMOKE_MINUTES (the job's timeout, 150).
# Output: O/lava/smoke/<stamp>/ with job.yaml, device.yaml, job.log (lava-run's log),
# results/ (the extracted run folders) and smoke.txt (what ran, how long, the verdict).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
O=${O:-build}
MAKE=${MAKE:-make}
ARCH=${ARCH:-arm64}
GM_PROG=lava-smoke GM_DIE_STATUS=1 GM_ERROR_WORD=1 GM_SAY_FD=1
. "$(dirname "$0")/../../scripts/lib.sh"
[ "$ARCH" = arm64 ] || die "ARCH=$ARCH: the smoke job runs on the QEMU arm64 device (ARCH=arm64)"
t0=$(date +%s)
setup=$("$top/lava/host/setup.sh" "$O") || die "setup failed (above)"
eval "$setup"

# ---- 1. kernel, initramfs and root image: make board-image's, not a second set
if [ -n "${BOARD_IMAGE_DIR:-}" ]; then
	img=$BOARD_IMAGE_DIR
	say "[1/6] board image: BOARD_IMAGE_DIR=$img"
elif [ -x scripts/board/image.sh ]; then
	say "[1/6] board image: make board-image ARCH=arm64 (cached after the first build, which takes ~30 min)"
	$MAKE --no-print-directory board-image ARCH=arm64 O="$O" || die "make board-image ARCH=arm64 failed"
	img=$O/board/${BOARD_RELEASE:-bookworm}/arm64
else
	die "no board image: make board-image (issue 11) is not in this tree; give BOARD_IMAGE_DIR=<folder with vmlinuz, initrd.img, root.img>"
fi
for f in vmlinuz initrd.img root.img; do [ -s "$img/$f" ] || die "$img/$f is missing (make board-image ARCH=arm64 builds it)"; done
img=$(cd "$img" && pwd)
gzip -t "$img/initrd.img" 2>/dev/null || die "$img/initrd.img is not gzip-compressed (LAVA's ramdisk overlay needs compression: gz)"

# ---- 2. Google Benchmark for the guest (it has no network to fetch the source)
say "[2/6] Google Benchmark for arm64, cross-built here for the offline guest"
$MAKE --no-print-directory ARCH=arm64 O="$O" "$O/gbench/arm64/lib/libbenchmark.a" >/dev/null || die "cannot build Google Benchmark for arm64"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
S=$O/lava/smoke/$stamp
mkdir -p "$S/boot/gm-cache/gbench" || exit 1
S=$(cd "$S" && pwd)
cp -a "$O/gbench/arm64" "$S/boot/gm-cache/gbench/arm64"
rm -rf "$S/boot/gm-cache/gbench/arm64/lib/cmake" "$S/boot/gm-cache/gbench/arm64/lib/pkgconfig"
cp "$top/lava/qemu/gm-lava-rdinit" "$top/lava/qemu/gm-lava-init" "$S/boot/"
tar cf "$S/gmboot-smoke.tar" -C "$S/boot" --owner=0 --group=0 . || die "cannot pack the boot overlay"
rm -rf "$S/boot"
ln -s "$img/initrd.img" "$S/initrd.cpio.gz"    # LAVA decompresses by the file name

# ---- 3. the job, as make lava-jobs renders it
rev=$(git rev-parse HEAD)
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
	say "  WARNING: uncommitted changes: the guest measures HEAD ($(git rev-parse --short=12 HEAD)) without them"
say "[3/6] job: qemu-arm64 on $(git rev-parse --short=12 HEAD), test definition cloned from $top"
: "${FILTER:=^(counter/|tls/read_tp/(le|tpidr)|cgocall/asmcgocall/|switch/gosave)}"
REPO=$top REV=$rev KERNEL_URL="file://$img/vmlinuz" RAMDISK_URL="file://$S/initrd.cpio.gz" \
	GMBOOT_URL="file://$S/gmboot-smoke.tar" ROOTFS_PATH="$img/root.img" TARGET="${TARGET:-both}" \
	TEST_TARGET="${TEST_TARGET:-test-report}" FILTER="$FILTER" REPS="${REPS:-3}" QUICK="${QUICK:-1}" \
	GBENCH_DIR=/gm-cache/gbench JOB_MINUTES="${SMOKE_MINUTES:-150}" TEST_MINUTES="$(( ${SMOKE_MINUTES:-150} - 20 ))" \
	"$top/lava/host/render-jobs.sh" "$S" qemu-arm64 2>&1 | grep -v 'WARNING: REPO=' | sed 's/^/  /'
[ -f "$S/qemu-arm64.yaml" ] || die "the job could not be rendered"
mv "$S/qemu-arm64.yaml" "$S/job.yaml"
rm -f "$S/gmboot.tar"    # make lava-jobs' own (scripts only): the smoke brings gmboot-smoke.tar
/usr/bin/python3 lava/host/lava-tool.py schema "$S/job.yaml" | sed 's/^/  /'
/usr/bin/python3 lava/host/lava-tool.py device "$LAVA_TEMPLATES" lava/jobs/devices/qemu.jinja2 "$S/job.yaml" "$S/device.yaml" ||
	die "cannot render the device dictionary"

# ---- 4. lava-run
say "[4/6] lava-run (QEMU TCG, emulated): boot, builds in the guest, make $( [ "${TARGET:-both}" = bench ] || echo "${TEST_TARGET:-test-report}, ")make bench; log: $S/job.log"
nice -n 10 lava-run --job-id "$$" --output-dir "$S/out" --device "$S/device.yaml" "$S/job.yaml" >"$S/job.log" 2>&1 &
lp=$!
trap 'kill $lp 2>/dev/null; wait $lp 2>/dev/null; echo "lava-smoke: interrupted" >&2; exit 130' INT TERM HUP
seen=0
quiet=0
while kill -0 "$lp" 2>/dev/null; do
	sleep 5
	n=$(wc -l <"$S/job.log")
	if [ "$n" -le "$seen" ]; then
		# a heartbeat: the guest's builds print nothing for many minutes under emulation
		quiet=$((quiet + 5))
		[ $((quiet % 120)) = 0 ] && printf 'lava-smoke:   [%5ds] (the guest is still working; its console is quiet)\n' $(($(date +%s) - t0))
		continue
	fi
	quiet=0
	# progress: gmbench's own lines and LAVA's stages, with the time since the start
	sed -n "$((seen + 1)),${n}p" "$S/job.log" |
		grep -o '"msg": "\(gmbench: [^"]*\|gm-lava-[a-z]*: [^"]*\|start: [0-9.]* [a-z-]*\)' | cut -c9- |
		grep -v '^start: [0-9]*\.[0-9]' | while IFS= read -r l; do printf 'lava-smoke:   [%5ds] %s\n' $(($(date +%s) - t0)) "$l"; done
	seen=$n
done
wait "$lp"
lrc=$?
trap - INT TERM HUP
t_job=$(($(date +%s) - t0))

# ---- 5. the files back from the log
say "[5/6] the run folders from the job's log"
fail=""
lava/host/gmbench-extract.sh "$S/job.log" "$S/results" | sed 's/^/  /' || fail="$fail; the log gave no files back"
# ---- 6. verdict: LAVA's own results (lvl results lines) and the extracted folders
say "[6/6] verdict"
grep '"lvl": "results"' "$S/job.log" >"$S/results.log"
nmeas=$(grep -c '"measurement"' "$S/results.log")
ntest=$(grep -c '"case": "test\.' "$S/results.log")
grep -q '"case": "job", "definition": "lava", "result": "pass"' "$S/results.log" || fail="$fail; LAVA's job result is not pass (lava-run exit $lrc; see job.log)"
[ "$nmeas" -gt 0 ] || fail="$fail; no benchmark case with a measurement reached LAVA"
[ "$ntest" -gt 0 ] || fail="$fail; no make ${TEST_TARGET:-test-report} case reached LAVA"
grep '"case": "gmbench-run", "definition": "0_gmbench"' "$S/results.log" | grep -q '"result": "pass"' || fail="$fail; gmbench-run did not pass"
ctx=$(ls "$S"/results/*/*/context.json 2>/dev/null | head -n 1)
if [ -n "$ctx" ]; then
	grep -q '"gm_port": "arm64"' "$ctx" || fail="$fail; the extracted run is not an arm64 run"
	grep -q '"emulated": "yes' "$(dirname "$ctx")/board.json" || fail="$fail; board.json does not say emulated"
else
	fail="$fail; no run folder came back"
fi
{
	echo "make lava-smoke ARCH=arm64 — one LAVA job through lava-run on a QEMU arm64 device (EMULATED: TCG)"
	echo "revision: $rev"
	echo "board image: $img ($(sed -n 's/^kernel: //p' "$img/manifest.txt" 2>/dev/null))"
	echo "host: $(uname -srm), $(nproc) cpus, load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "lava-run: exit $lrc, job $(grep -o '"case": "job", "definition": "lava", "result": "[a-z]*"' "$S/results.log" | sed 's/.*"result": //')"
	echo "cases in LAVA: $(grep -c '"definition": "0_gmbench"' "$S/results.log") ($nmeas with a measurement, $ntest from make ${TEST_TARGET:-test-report})"
	echo "run folders back through the log: $(ls -d "$S"/results/*/*/ 2>/dev/null | wc -l) in $S/results"
	echo "duration: $t_job s for the job, $(($(date +%s) - t0)) s in all"
	if [ -n "$fail" ]; then echo "verdict: FAIL$fail"; else echo "verdict: ok"; fi
} >"$S/smoke.txt"
sed 's/^/  /' "$S/smoke.txt"
ln -sfn "$stamp" "$O/lava/smoke/latest"
[ -z "$fail" ]
