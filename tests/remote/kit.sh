#!/bin/bash
# tests/remote/kit.sh — make test-kit: a board kit (make kit, scripts/remote/kit.sh) made
# for this machine's port and run here as a board would: run.sh check / test / bench, its
# failures (a damaged file, the wrong port, unknown arguments), LAVA's gmbench.sh -k with
# the right and a wrong SHA-256; and gm built for the ARM ports (make board-gm), run under
# QEMU, gives the same report files, byte for byte, as this machine's gm.  ok / not ok lines.
set -u
cd "$(dirname "$0")/../.." || exit 1
O=${O:-build}
MAKE=${MAKE:-make}
. scripts/lib.sh
T=$(mkdir -p "$O" && cd "$O" && pwd)/kit-test
rm -rf "$T" && mkdir -p "$T"
arch=$(gm_hostarch)
fails=0 passes=0
ok() { echo "ok - kit: $*"; passes=$((passes + 1)); }
bad() { echo "not ok - kit: $*"; fails=$((fails + 1)); }
EXPECT_PREFIX="kit: "
. tests/remote/expect.sh

# ---- the kit
if ! kit=$(ARCH=$arch O=$O MAKE=$MAKE scripts/remote/kit.sh 2>"$T/make-kit.err" | tail -n 1) || [ ! -f "$kit" ]; then
	bad "make kit ARCH=$arch failed: $(tail -n 5 "$T/make-kit.err" | tr '\n' '|')"
	echo "kit: $passes passed, $fails failed"; exit 1
fi
ok "make kit ARCH=$arch wrote $(basename "$kit")"
(cd "$(dirname "$kit")" && sha256sum -c --quiet "$(basename "$kit").sha256") >/dev/null 2>&1 &&
	ok "the tarball matches its .sha256" || bad "the tarball does not match $(basename "$kit").sha256"
list=$(tar tzf "$kit")
kname=$(basename "$kit" .tar.gz)
missing=""
for f in run.sh KIT SHA256SUMS bin/gmbench bin/gm probes/bin/gmbench tests/test_runtime tests/test_counter \
	scripts/bench.sh scripts/lib.sh scripts/governor.sh; do
	printf '%s\n' "$list" | grep -qx "$kname/$f" || missing="$missing $f"
done
ls_libs=$(printf '%s\n' "$list" | grep -c "^$kname/lib/libgmtls-.*\.so$")
[ -z "$missing" ] && [ "$ls_libs" -ge 3 ] && ok "it holds the binaries, their TLS-model objects, gm and the runner (bench.sh)" ||
	bad "files missing from the kit:$missing (TLS objects: $ls_libs)"
readelf -d "$O/$arch/bin/gm" 2>/dev/null | grep -q 'libjansson' && bad "the kit's gm needs libjansson at run time" ||
	ok "the kit's gm needs no libjansson on the board (static jansson)"

mkdir -p "$T/board" && tar xzf "$kit" -C "$T/board"
K=$T/board/$kname
expect "run.sh check: ok on a machine of its port" 0 "ok: $kname ($arch" "$K/run.sh" check
expect "run.sh test: the port's tests, N passed, 0 failed" 0 "^[1-9][0-9]* passed, 0 failed (kit $kname: ARCH=$arch" "$K/run.sh" test
expect "run.sh bench: an unknown argument is refused" fail "unknown argument 'FOO=1'" "$K/run.sh" bench FOO=1
expect "run.sh bench PEERS=1: refused, with where the peers run" fail 'no Go peers.*HOST=' "$K/run.sh" bench PEERS=1
expect "run.sh with no command: its usage" fail 'run.sh bench \[VAR=value' "$K/run.sh"
cpu=$( [ "$(nproc)" -gt 1 ] && echo 1 || echo 0)
expect "run.sh bench QUICK=1: make bench's runner with the kit's binaries" 0 'bench: results in' \
	env -u GM_HOST_ID "$K/run.sh" bench QUICK=1 REPS=3 CPU="$cpu" FILTER='^cgocall/asmcgocall/mask$' RESULTS="$T/results"
id=$(gm_hostid "$arch")
run=$(ls -d "$T/results/$id"/*/ 2>/dev/null | sed -n 1p)
krev=$(sed -n 's/^rev=//p' "$K/KIT")
if [ -n "$run" ] && [ -s "$run/stats.csv" ] && [ -s "$run/summary.txt" ] && [ -s "$run/machine.json" ] && [ -s "$run/edges.csv" ] &&
	grep -q "cgocall/asmcgocall" "$run/stats.csv"; then
	ok "the run folder is filed under this machine's host id ($id), as make bench files it, with stats.csv, summary, machine record and latencies"
else
	bad "no whole run folder in $T/results/$id: $(ls -R "$T/results" 2>&1 | head -n 5 | tr '\n' ' ')"
fi
case $(basename "${run:-x}") in *-"$krev") ok "the run is named by the kit's revision ($krev), with no git on the board" ;; *) bad "run folder $(basename "${run:-none}") does not carry the kit's revision $krev" ;; esac
grep -q '"gm_host_id": "'"$id"'"' "$run/context.json" 2>/dev/null && ok "context.json names the host id" || bad "context.json lacks gm_host_id $id"

# hostile: a damaged file, the wrong port
cp -a "$K" "$T/damaged"
printf 'x' >>"$T/damaged/bin/gm"
expect "a damaged file in the kit: refused, named" fail 'bin/gm: FAILED' "$T/damaged/run.sh" check
cp -a "$K" "$T/other"
other=$( [ "$arch" = arm64 ] && echo amd64 || echo arm64)
sed -i "s/^port=.*/port=$other/" "$T/other/KIT"
(cd "$T/other" && find . -type f ! -name SHA256SUMS | LC_ALL=C sort | sed 's|^\./||' | xargs sha256sum >SHA256SUMS)
expect "a kit for another port: wrong arch, with the make kit to run" fail "wrong arch: this kit is for the $other port.*make kit ARCH=$arch" \
	"$T/other/run.sh" check
expect "a kit for another port is not run (run.sh bench)" fail "wrong arch" "$T/other/run.sh" bench QUICK=1

# ---- LAVA's gmbench.sh with the kit: nothing built
sum=$(cut -d' ' -f1 "$kit.sha256")
G=lava/automated/linux/gmbench/gmbench.sh
expect "gmbench.sh -k (LAVA's ssh job): the kit's tests and bench, cases with measurements" 0 'results:' \
	"$G" -k "file://$kit" -K "$sum" -t both -q 1 -r 3 -c "$cpu" -f '^cgocall/asmcgocall/mask$' -o "$T/lava/output" -w "$T/lava/work"
r=$T/lava/output/result.txt
if grep -qx 'kit-a pass' "$r" && grep -qx 'make-test pass' "$r" && grep -q '^cgocall\.asmcgocall\.mask pass [0-9.]* ' "$r" &&
	grep -qx 'gmbench-run pass' "$r" && [ ! -e "$T/lava/work/a" ]; then
	ok "gmbench.sh -k: kit-a pass, make-test pass, the median as a measurement, no clone or build"
else
	bad "gmbench.sh -k result.txt: $(grep -v '^test\.' "$r" 2>/dev/null | tr '\n' '|')"
fi
expect "gmbench.sh -k with two kits: an A/B job" 0 'results:' \
	"$G" -k "$kit $kit" -K "$sum $sum" -n 1 -t bench -q 1 -r 3 -c "$cpu" -f '^cgocall/asmcgocall/mask$' -o "$T/lava-ab/output" -w "$T/lava-ab/work"
r=$T/lava-ab/output/result.txt
grep -qx 'kit-a pass' "$r" && grep -qx 'kit-b pass' "$r" && grep -q '^a1\.cgocall\.asmcgocall\.mask pass [0-9.]* ' "$r" &&
	grep -q '^b1\.cgocall\.asmcgocall\.mask pass [0-9.]* ' "$r" && ok "two kits: each checked, each side's median named by side and round (a1., b1.)" ||
	bad "two kits: $(grep -v '^test\.' "$r" 2>/dev/null | tr '\n' '|')"
expect "gmbench.sh -k with a SHA-256 that does not match: not run, a failing case" fail 'SHA-256 .* the job expects 0000' \
	"$G" -k "$kit" -K "$(printf '%064d' 0)" -t bench -q 1 -o "$T/lava2/output" -w "$T/lava2/work"
grep -qx 'kit-a fail' "$T/lava2/output/result.txt" 2>/dev/null && ! grep -q '^cgocall' "$T/lava2/output/result.txt" &&
	ok "a kit that does not match its SHA-256 gives kit-a fail and no benchmark" || bad "wrong SHA-256: $(tr '\n' '|' <"$T/lava2/output/result.txt")"
expect "gmbench.sh -k with a file that is not a kit: a failing case" fail 'is not a gmbench kit' \
	"$G" -k "$T/make-kit.err" -t bench -o "$T/lava3/output" -w "$T/lava3/work"
expect "gmbench.sh: kits and revisions together are refused" fail 'either kits (-k) or revisions' \
	"$G" -k "$kit" -R HEAD -o "$T/lava4/output"

# ---- gm for the ARM ports: the same report, byte for byte
# the inputs of the run the kit just made (a real machine record), reported on both sides
for a in arm64 arm; do
	[ "$a" != "$arch" ] || continue
	# its own object folder (the $a section of make test may be building that port in O
	# now), the jansson build shared
	if ! $MAKE --no-print-directory ARCH=$a O="$T/o" JANSSON_PREFIX="$O/jansson/$a" board-gm >"$T/board-gm-$a.log" 2>&1; then
		bad "make board-gm ARCH=$a failed: $(tail -n 3 "$T/board-gm-$a.log" | tr '\n' '|')"; continue
	fi
	q=$( [ $a = arm64 ] && echo "qemu-aarch64 -L /usr/aarch64-linux-gnu" || echo "qemu-arm -L /usr/arm-linux-gnueabihf")
	rm -rf "$T/rep-host" "$T/rep-$a"
	mkdir -p "$T/rep-host" "$T/rep-$a"
	for f in bench.json context.json machine.json; do cp "$run/$f" "$T/rep-host/" && cp "$run/$f" "$T/rep-$a/"; done
	if "$O/host/bin/gm" report "$T/rep-host" >/dev/null 2>&1 && $q "$T/o/$a/bin/gm" report "$T/rep-$a" >/dev/null 2>"$T/rep-$a.err"; then
		d=$(cd "$T/rep-host" && for f in *; do cmp -s "$f" "../rep-$a/$f" || echo "$f"; done)
		[ -z "$d" ] && ok "gm built for $a (under QEMU) writes the same report files, byte for byte: $(ls "$T/rep-host" | tr '\n' ' ')" ||
			bad "gm built for $a differs from this machine's gm in: $d"
	else
		bad "gm report for $a failed: $(tail -n 3 "$T/rep-$a.err" | tr '\n' '|')"
	fi
done
echo "kit: $passes passed, $fails failed"
[ "$fails" = 0 ]
