#!/bin/sh
# lava/host/check.sh — make lava-check: proof without a lab that the jobs and the result
# path are right.
#   1. every board's job (and an A/B job) rendered by make lava-jobs passes LAVA's own
#      schema check (lava_common.schemas.validate, strict) and `lava-run --validate`
#      against a device dictionary rendered from lava-server's device-type template;
#   2. the checks can fail: a job with an unknown key fails the schema, a job whose kernel
#      URL does not exist fails lava-run --validate, a board without its URLs is refused;
#   3. tests/lava/run.sh: the parser, blocks, extractor and gmbench.sh on fixtures.
# The jobs' URLs point at small local stand-in files (the dispatcher checks that a
# download exists); everything else is as `make lava-jobs` writes it.  lava-run runs in
# a private mount namespace where /etc/default/tftpd-hpa names a TFTP folder, as a lab
# dispatcher's does; nothing is served, powered or connected.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
O=${O:-build}
pass=0 fail=0
ok() { echo "ok - lava-check/$1"; pass=$((pass + 1)); }
bad() { echo "not ok - lava-check/$1"; fail=$((fail + 1)); }
setup=$("$top/lava/host/setup.sh" "$O") || { echo "lava-check: error: setup failed (above)" >&2; exit 1; }
eval "$setup"
PY=/usr/bin/python3
C=$O/lava/check
rm -rf "$C"
mkdir -p "$C/files" "$C/etc-default" "$C/tftp" "$C/jobs"
C=$(cd "$C" && pwd)
t0=$(date +%s)

# stand-in files for the downloads
f=$C/files
head -c 65536 /dev/urandom >"$f/vmlinuz"
(cd "$f" && mkdir -p r/etc && echo gm >r/etc/hostname && cd r && find . | cpio -o -H newc 2>/dev/null) | gzip >"$f/initrd.cpio.gz"
head -c 4096 /dev/urandom >"$f/board.dtb"
tar cJf "$f/rootfs.tar.xz" -C "$f/r" .
head -c 65536 /dev/urandom >"$f/boot.img"
head -c 65536 /dev/zero | gzip >"$f/rootfs.img.gz"
truncate -s 4M "$f/root.img"
cp -a /etc/default/. "$C/etc-default/" 2>/dev/null
printf 'TFTP_USERNAME="tftp"\nTFTP_DIRECTORY="%s"\nTFTP_ADDRESS=":69"\nTFTP_OPTIONS="--secure"\n' "$C/tftp" >"$C/etc-default/tftpd-hpa"
rm -f "$C/key" "$C/key.pub"
ssh-keygen -q -t ed25519 -N '' -C gmbench-lava-check -f "$C/key" || { echo "lava-check: error: ssh-keygen failed" >&2; exit 1; }

U=file://$f
render() { # outdir boards... (environment: the revisions)
	REPO=$top KERNEL_URL=$U/vmlinuz RAMDISK_URL=$U/initrd.cpio.gz GMBOOT_URL=file://$1/gmboot.tar \
	ROOTFS_PATH=$f/root.img DTB_URL=$U/board.dtb NFSROOTFS_URL=$U/rootfs.tar.xz BOOT_URL=$U/boot.img \
	ROOTFS_URL=$U/rootfs.img.gz "$top/lava/host/render-jobs.sh" "$@" 2>&1 | grep -v 'WARNING: REPO='
}
boards=$(cd "$top/lava/jobs/boards" && ls | sed 's/\.conf$//')
# the ssh board runs a board kit (its URL and SHA-256 made up: --validate fetches nothing)
if render "$C/jobs" $(echo $boards | tr ' ' '\n' | grep -vx ssh) >"$C/render.log" &&
	KIT_URL=$U/gmbench-kit-arm64-fixture.tar.gz KIT_SHA256=$(printf '%064d' 0) render "$C/jobs" ssh >>"$C/render.log" && [ "$(ls "$C"/jobs/*.yaml | wc -l)" = "$(echo $boards | wc -w)" ]; then
	ok "make lava-jobs renders every board: $(echo $boards | tr '\n' ' ')"
else
	bad "make lava-jobs: $(cat "$C/render.log")"
fi
base=$(git -C "$top" rev-parse -q --verify HEAD~1 || git -C "$top" rev-parse HEAD)
if BASE=$base NEW=HEAD render "$C/jobs" qemu-arm64 bcm2711-rpi-4-b >>"$C/render.log" &&
	grep -q "^        BASE: '$base'" "$C/jobs/qemu-arm64-ab.yaml"; then
	ok "make lava-jobs BASE= NEW= renders an A/B job (both revisions, 2 rounds)"
else
	bad "A/B job: $(tail -n 3 "$C/render.log")"
fi

# 1. LAVA's schema and lava-run --validate, per job
devtype() { sed -n "s/^device_type: '\(.*\)'$/\1/p" "$1"; }
for job in "$C"/jobs/*.yaml; do
	name=$(basename "$job" .yaml)
	if "$PY" "$top/lava/host/lava-tool.py" schema "$job" >"$C/$name.schema" 2>&1; then
		ok "schema: $name ($(devtype "$job"))"
	else
		bad "schema: $name: $(cat "$C/$name.schema")"
	fi
done
validate() { # job device-dict log
	"$PY" "$top/lava/host/lava-tool.py" device "$LAVA_TEMPLATES" "$2" "$1" "$3.device.yaml" ssh_identity_file="$C/key" \
		>"$3" 2>&1 || return 1
	PATH="$PATH:$LAVA_TFTPD" timeout 600 unshare --mount sh -c 'mount --bind "$1" /etc/default && shift && exec "$@"' sh \
		"$C/etc-default" lava-run --validate --job-id 1 --output-dir "$3.out" --device "$3.device.yaml" "$1" >>"$3" 2>&1 &&
		grep -q '"case": "validate", "definition": "lava", "result": "pass"' "$3"
}
why() { grep -o '"error_msg": "[^"]*"' "$1" | tail -n 1; grep -o 'schema error.*\|jinja2[^"]*' "$1" | head -n 2; }
for job in "$C"/jobs/*.yaml; do
	name=$(basename "$job" .yaml)
	dev=$top/lava/jobs/devices/$(devtype "$job").jinja2
	if validate "$job" "$dev" "$C/$name.validate.log"; then
		ok "lava-run --validate: $name on a $(devtype "$job") device"
	else
		bad "lava-run --validate: $name: $(why "$C/$name.validate.log") (log: $C/$name.validate.log)"
	fi
done

# 2. the checks can fail
sed 's/^    definitions:$/    gmbench_unknown_key: 1\n    definitions:/' "$C/jobs/qemu-arm64.yaml" >"$C/broken-schema.yaml"
if "$PY" "$top/lava/host/lava-tool.py" schema "$C/broken-schema.yaml" >"$C/broken-schema.out" 2>&1; then
	bad "schema: a job with an unknown key passed"
else
	grep -q 'extra keys not allowed' "$C/broken-schema.out" && ok "schema: a job with an unknown key fails ($(cut -c1-90 "$C/broken-schema.out" | sed 's/.*: //'))" ||
		bad "schema: the unknown key failed for another reason: $(cat "$C/broken-schema.out")"
fi
sed "s|$U/vmlinuz|$U/no-such-kernel|" "$C/jobs/qemu-arm64.yaml" >"$C/broken-url.yaml"
if validate "$C/broken-url.yaml" "$top/lava/jobs/devices/qemu.jinja2" "$C/broken-url.validate.log"; then
	bad "lava-run --validate: a job whose kernel does not exist passed"
else
	ok "lava-run --validate: a job whose kernel does not exist fails ($(why "$C/broken-url.validate.log" | cut -c1-100))"
fi
if REPO=$top "$top/lava/host/render-jobs.sh" "$C/none" bcm2711-rpi-4-b >"$C/norender.out" 2>&1; then
	bad "make lava-jobs: a board without its URLs was rendered"
else
	grep -q 'needs KERNEL_URL=' "$C/norender.out" && [ ! -f "$C/none/bcm2711-rpi-4-b.yaml" ] &&
		ok "make lava-jobs: a board without its URLs is refused, naming the variable, nothing written" ||
		bad "make lava-jobs: missing URL: $(cat "$C/norender.out")"
fi
# the ssh board runs a kit: none given is refused; a local kit's SHA-256 goes into the job
if REPO=$top "$top/lava/host/render-jobs.sh" "$C/none" ssh >"$C/nokit.out" 2>&1; then
	bad "make lava-jobs: the ssh board was rendered without a kit"
else
	grep -q 'needs KIT_URL=' "$C/nokit.out" && [ ! -f "$C/none/ssh.yaml" ] &&
		ok "make lava-jobs: the ssh board without a kit is refused, naming KIT_URL=" ||
		bad "make lava-jobs: no kit: $(cat "$C/nokit.out")"
fi
mkdir -p "$C/kit/gmbench-kit-arm64-fixture" && printf '#!/bin/sh\n' >"$C/kit/gmbench-kit-arm64-fixture/run.sh" &&
	tar czf "$C/gmbench-kit-arm64-fixture.tar.gz" -C "$C/kit" gmbench-kit-arm64-fixture
sum=$(sha256sum <"$C/gmbench-kit-arm64-fixture.tar.gz" | cut -d' ' -f1)
if KIT="$C/gmbench-kit-arm64-fixture.tar.gz $C/gmbench-kit-arm64-fixture.tar.gz" KIT_URL=https://lab.example/kits/ KIT_SHA256= \
	render "$C/kitjobs" ssh >"$C/kit.out" && grep -q "^        KIT_SHA256: '$sum $sum'" "$C/kitjobs/ssh-ab.yaml" &&
	grep -q "^        KIT_URL: 'https://lab.example/kits/gmbench-kit-arm64-fixture.tar.gz https://lab.example/kits/gmbench-kit-arm64-fixture.tar.gz'" "$C/kitjobs/ssh-ab.yaml"; then
	ok "make lava-jobs KIT= KIT_URL=: two kits make an A/B job with each kit's URL and SHA-256"
else
	bad "make lava-jobs KIT=: $(cat "$C/kit.out")"
fi
if KIT="$C/key" KIT_URL=https://lab.example/kits/ KIT_SHA256= render "$C/none" ssh >"$C/notkit.out"; [ -f "$C/none/ssh.yaml" ]; then
	bad "make lava-jobs: KIT= a file that is not a kit was accepted"
else
	grep -q 'is not a gmbench kit' "$C/notkit.out" && ok "make lava-jobs: KIT= a file that is not a kit is refused" ||
		bad "make lava-jobs: not a kit: $(cat "$C/notkit.out")"
fi
if REV=no-such-revision "$top/lava/host/render-jobs.sh" "$C/none" ssh >"$C/norev.out" 2>&1; then
	bad "make lava-jobs: an unknown revision was accepted"
else
	grep -q 'REV=no-such-revision is not a commit' "$C/norev.out" && ok "make lava-jobs: an unknown revision is refused" ||
		bad "make lava-jobs: unknown revision: $(cat "$C/norev.out")"
fi

# 3. the result path on fixtures
sh "$top/tests/lava/run.sh" >"$C/fixtures.log" 2>&1
grep -E '^(ok|not ok) - ' "$C/fixtures.log"
p=$(grep -c '^ok - ' "$C/fixtures.log"); f=$(grep -c '^not ok - ' "$C/fixtures.log")
grep -q '^lava: [0-9]* passed, [0-9]* failed$' "$C/fixtures.log" || { echo "not ok - lava-check/tests/lava/run.sh did not finish"; f=$((f + 1)); }
pass=$((pass + p)) fail=$((fail + f))
echo "lava-check: $(($(date +%s) - t0)) s; jobs in $C/jobs, logs beside them"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
