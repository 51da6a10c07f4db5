#!/bin/bash
# lava/host/ssh-job.sh — make lava-ssh HOST=user@board[:port] SSH_KEY=<key>: one real LAVA
# job for LAVA's ssh device type, under Debian's lava-run here, with no lab: the device is
# the board (or this machine, or the board in a box), the job is make lava-jobs' `ssh`
# job, and it runs a board kit (make kit for the board's port, the runner make bench
# HOST= uses): nothing is built on the board.  The results come back through the job's
# log (lava/host/gmbench-extract.sh).
#
# Environment: HOST, SSH_KEY (a private key file: LAVA's device dictionary names one),
# SSH_OPTS (more options for this script's own ssh/scp), KIT (a kit file; default: make
# kit for the board's port), O, MAKE, FILTER (default asmcgocall's variants), QUICK (1),
# REPS (3), CPU, TARGET (both).  Output: O/lava/ssh/<stamp>/ with job.yaml, device.yaml,
# job.log, results/ and ssh-job.txt (what ran, how long, the verdict); ends with
# "N passed, N failed".
set -uo pipefail
GM_PROG=lava-ssh GM_DIE_STATUS=1 GM_ERROR_WORD=1 GM_SAY_FD=1
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$top" || exit 1
. scripts/lib.sh
. scripts/remote/ssh.sh
O=${O:-build} MAKE=${MAKE:-make}
: "${HOST:?HOST=user@board[:port]}"
[ -n "${SSH_KEY:-}" ] || die "SSH_KEY=<private key file>: LAVA's device dictionary logs in with a key file"
[ -r "$SSH_KEY" ] || die "SSH_KEY=$SSH_KEY: no such readable file"
SSH_KEY=$(cd "$(dirname "$SSH_KEY")" && pwd)/$(basename "$SSH_KEY")
rm_parse "$HOST"
user=${GM_REMOTE_TARGET%@*} addr=${GM_REMOTE_TARGET#*@} port=$GM_REMOTE_PORT
t0=$(date +%s)
pass=0 fail=0
t() { if [ "$2" = 0 ]; then echo "ok - lava-ssh: $1"; pass=$((pass + 1)); else echo "not ok - lava-ssh: $1"; fail=$((fail + 1)); fi; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }

setup=$("$top/lava/host/setup.sh" "$O") || die "setup failed (above)"
eval "$setup"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
S=$O/lava/ssh/$stamp
mkdir -p "$S" && S=$(cd "$S" && pwd)
opts=(-o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -i "$SSH_KEY")
# shellcheck disable=SC2206
[ -z "${SSH_OPTS:-}" ] || opts+=($SSH_OPTS)

# ---- 1. the board's port, and its kit
barch=$(HOST="$HOST" SSH_OPTS="-i $SSH_KEY -o UserKnownHostsFile=$S/known_hosts ${SSH_OPTS:-}" scripts/remote/run.sh probe 2>"$S/probe.err" | tail -n 1)
case $barch in amd64|arm|arm64) ;; *) die "cannot read the board's port: $(tail -n 2 "$S/probe.err")" ;; esac
say "[1/5] $(sed -n 's/^remote: //p' "$S/probe.err" | tail -n 1)"
kit=${KIT:-}
if [ -z "$kit" ]; then
	say "[2/5] make kit ARCH=$barch"
	kit=$(ARCH=$barch O=$O MAKE=$MAKE scripts/remote/kit.sh 2>&1 | tee "$S/kit.log" | tail -n 1)
	[ -f "$kit" ] || die "make kit ARCH=$barch failed (log: $S/kit.log)"
else
	say "[2/5] kit: $kit"
fi
[ -f "$kit" ] || die "KIT=$kit: no such file"
kname=$(basename "$kit")
# the lab's part: the kit where the board fetches it (here: copied there, a file:// URL)
rkit=/tmp/$kname
scp -q -P "$port" "${opts[@]}" "$kit" "$GM_REMOTE_TARGET:$rkit" 2>"$S/scp.err" || die "cannot copy the kit to the board: $(cat "$S/scp.err")"

# ---- 2. the job and the device, as a lab would have them
rev=$(git rev-parse HEAD)
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
	say "  WARNING: uncommitted changes: the job's test definition is HEAD ($(git rev-parse --short=12 HEAD)) without them"
REPO=$top REV=$rev KIT="$kit" KIT_URL="file://$rkit" TARGET="${TARGET:-both}" FILTER="${FILTER-^cgocall/asmcgocall/}" \
	REPS="${REPS:-3}" QUICK="${QUICK:-1}" CPU="${CPU:-}" JOB_MINUTES=60 TEST_MINUTES=50 \
	lava/host/render-jobs.sh "$S" ssh 2>&1 | grep -v 'WARNING: REPO=' | sed 's/^/  /'
[ -f "$S/ssh.yaml" ] || die "the job could not be rendered"
mv "$S/ssh.yaml" "$S/job.yaml"; rm -f "$S/gmboot.tar"
cat >"$S/device.jinja2" <<DEV
{% extends 'ssh.jinja2' %}
{% set ssh_host = '$addr' %}
{% set ssh_port = $port %}
{% set ssh_user = '$user' %}
{% set ssh_identity_file = '$SSH_KEY' %}
{% set ssh_options = ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR'] %}
DEV
/usr/bin/python3 lava/host/lava-tool.py device "$LAVA_TEMPLATES" "$S/device.jinja2" "$S/job.yaml" "$S/device.yaml" ||
	die "cannot render the device dictionary"

# ---- 3. lava-run: LAVA copies its overlay there over scp, logs in, runs the test shell
id=$$
say "[3/5] lava-run (job $id): LAVA's ssh deploy and boot, then gmbench.sh -k on the board; log: $S/job.log"
lava-run --job-id "$id" --output-dir "$S/out" --device "$S/device.yaml" "$S/job.yaml" >"$S/job.log" 2>&1
lrc=$?
t_job=$(($(date +%s) - t0))
# what LAVA leaves on the device (its overlay, at /) and the kit: removed
ssh -p "$port" "${opts[@]}" "$GM_REMOTE_TARGET" "rm -rf /lava-$id /lava-$id-overlay*.tar.gz $rkit" </dev/null 2>/dev/null ||
	say "could not remove /lava-$id and $rkit on the board"

# ---- 4. the files back from the log; 5. the verdict
say "[4/5] the run folders from the job's log"
lava/host/gmbench-extract.sh "$S/job.log" "$S/results" 2>&1 | sed 's/^/  /'
say "[5/5] verdict"
grep '"lvl": "results"' "$S/job.log" >"$S/results.log"
case_is() { grep "\"case\": \"$1\", \"definition\": \"0_gmbench\"" "$S/results.log" | grep "\"result\": \"$2\"" >/dev/null; }
grep -q '"case": "job", "definition": "lava", "result": "pass"' "$S/results.log"
t "LAVA's job passed (lava-run exit $lrc, ${t_job}s)" $?
case_is kit-a pass
t "the board fetched the kit and checked it (kit-a pass): nothing built there" $?
nmeas=$(grep '"definition": "0_gmbench"' "$S/results.log" | grep -c '"measurement"')
[ "$nmeas" -gt 0 ]
t "$nmeas benchmark cases with a measurement reached LAVA" $?
if [ "${TARGET:-both}" != bench ]; then
	case_is make-test pass
	t "the kit's tests passed on the board ($(grep -c '"case": "test\.' "$S/results.log") cases)" $?
fi
case_is gmbench-run pass
t "gmbench-run passed" $?
ctx=$(ls "$S"/results/*/*/context.json 2>/dev/null | sed -n 1p)
[ -n "$ctx" ] && grep -q "\"gm_port\": \"$barch\"" "$ctx"
t "the $barch run folder came back through the log ($(ls -d "$S"/results/*/*/ 2>/dev/null | wc -l))" $?
{
	echo "make lava-ssh — one LAVA ssh job through lava-run, the board $GM_REMOTE_TARGET:$port ($barch)"
	echo "revision of the test definition: $rev; kit: $kname ($(sha256sum <"$kit" | cut -c1-16)...)"
	echo "lava-run: exit $lrc; $t_job s in all"
	echo "cases in LAVA: $(grep -c '"definition": "0_gmbench"' "$S/results.log") ($nmeas with a measurement)"
	echo "$pass passed, $fail failed"
} >"$S/ssh-job.txt"
ln -sfn "$stamp" "$O/lava/ssh/latest"
finish
