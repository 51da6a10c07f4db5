#!/bin/bash
# tests/remote/run.sh — make test-remote-ssh: HOST='s runner (scripts/remote/) against a
# throwaway sshd on 127.0.0.1 (tests/remote/sshd.sh): this machine is the board.
# The failure cases each need their exact message and a non-zero exit with nothing
# kept; one real end-to-end make bench QUICK=1 HOST= of one benchmark. ok / not ok lines.
set -u
cd "$(dirname "$0")/../.." || exit 1
O=${O:-build}
MAKE=${MAKE:-make}
. tests/remote/sshd.sh
if [ ! -x /usr/sbin/sshd ] || ! command -v ssh-keygen >/dev/null; then
	echo "not ok - remote: no /usr/sbin/sshd or ssh-keygen here: apt-get install openssh-server openssh-client (scripts/deps.sh ssh)"
	exit 1
fi
T=$(mkdir -p "$O" && cd "$O" && pwd)/remote-test
rm -rf "$T" && mkdir -p "$T"
trap 'sshd_stop' EXIT
sshd_setup "$T" || { echo "not ok - remote: ssh-keygen failed"; exit 1; }
sshd_start a || { echo "not ok - remote: the throwaway sshd does not start: $(tail -n 3 "$T/sshd.log")"; exit 1; }
me=$(id -un)
export HOST=$me@127.0.0.1:$port REMOTE_DIR=$T/board SSH_OPTS="-i $T/user -o UserKnownHostsFile=$T/known_hosts"
fails=0
. tests/remote/expect.sh
runner() { scripts/remote/run.sh "$@"; }

expect "the board's port read over SSH (uname, /bin/sh's ELF class)" 0 'userland ELF64 x86-64.*ARCH=amd64' runner probe
expect "unreachable host: a clear message" fail 'cannot reach .*Connection refused' \
	env HOST="$me@127.0.0.1:1" scripts/remote/run.sh probe
expect "refused key: named, with the fix" fail "refused the key (.*Permission denied.*ssh-copy-id -p $port" \
	env SSH_OPTS="-i $T/bad -o UserKnownHostsFile=$T/known_hosts" scripts/remote/run.sh probe
expect "wrong arch: ARCH=arm64 against an amd64 board" fail 'wrong arch: .* runs the amd64 port .*not ARCH=arm64' \
	env ARCH=arm64 scripts/remote/run.sh probe
echo riscv64 >"$T/fake-uname"
expect "unknown arch: uname -m riscv64" fail "unknown arch on .*uname -m says 'riscv64'" runner probe
echo aarch64 >"$T/fake-uname"; echo "01 28" >"$T/fake-elf"
expect "a 32-bit ARM userland on a 64-bit kernel: the arm port, and said" 0 \
	'userland ELF32 ARM.*ARCH=arm (a 32-bit userland on a 64-bit kernel' runner probe
rm -f "$T/fake-uname" "$T/fake-elf"

# the bench runner on a stand-in gmbench (a script): fast, and it can misbehave on cue
mkdir -p "$T/bin" "$T/results"
cat >"$T/bin/gmbench" <<EOF
#!/bin/sh
for a; do case \$a in --list-cpus) printf 'cpu 0\tstand-in\tdefault\n'; exit 0 ;; --benchmark_out=*) out=\${a#*=} ;; --state-out=*) st=\${a#*=} ;; esac; done
# drop: the connection's sshd process (this program's parent) is killed mid-run;
# reboot-run: and the board comes back with a new boot id; silent-run: and sshd itself
# is stopped (the board does not answer)
# the governor of CPU 0 while it runs (GOVERNOR= through exec.sh on the board)
[ -d "$T/sys" ] && cat "$T/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor" >"$T/gov-during"
[ -f "$T/reboot-run" ] && echo "rebooted-\$\$" >"$T/fake-boot"
[ -f "$T/silent-run" ] && kill "\$(cat "$T/sshd.pid")"
[ -f "$T/drop-run" ] && { kill -9 \$PPID; sleep 5; }
echo '{"context": {}, "benchmarks": []}' >"\$out"; echo '{}' >"\$st"
echo "stand-in ran in \$(pwd)"
EOF
chmod 755 "$T/bin/gmbench"
# exec.sh needs the connection run.sh opens: a small driver that opens it, then runs CMD
cat >"$T/with-conn.sh" <<'EOF'
#!/bin/bash
# opens the runner's connection and the run folder as run.sh does, then runs "$@"
. scripts/lib.sh; . scripts/remote/ssh.sh
GM_PROG=remote GM_DIE_STATUS=1 GM_ERROR_WORD=1
export GM_REMOTE_OPTS=$SSH_OPTS; rm_parse "$HOST"
c=$(mktemp -d); export GM_REMOTE_CTL=$c/c
rm_ssh -f -N -o ControlMaster=yes -o ControlPersist=30 2>"$c/err" </dev/null || rm_fail "$c/err" connecting
export GM_REMOTE_DIR=$(rm_ssh "mkdir -p '$REMOTE_DIR-conn' && mktemp -d '$REMOTE_DIR-conn/run-test-XXXXXX'" </dev/null)
export GM_REMOTE_BOOT=$(rm_bootid)
"$@"; rc=$?
rm_ssh -O exit >/dev/null 2>&1; rm -rf "$c"; exit $rc
EOF
chmod 755 "$T/with-conn.sh"
touch "$T/fake-df"
expect "no space on the board: df checked before copying" fail 'no space on the board: .* 1 MiB free' \
	"$T/with-conn.sh" scripts/remote/exec.sh "$T/bin/gmbench" --list-cpus
rm -f "$T/fake-df"
touch "$T/drop-tar"
expect "connection dropped mid-copy: said, nothing kept" fail 'connection to .* was lost while copying' \
	"$T/with-conn.sh" scripts/remote/exec.sh "$T/bin/gmbench" --list-cpus
rm -f "$T/drop-tar"
touch "$T/drop-run"
if expect "connection dropped mid-run: said" fail 'connection to .* was lost while gmbench ran' \
	"$T/with-conn.sh" env BIN="$T/bin/gmbench" GM="$O/host/bin/gm" ARCH=amd64 RUN="" \
	GM_EXEC="$PWD/scripts/remote/exec.sh" GM_HOSTID=standin RESULTS="$T/results" QUICK=1 scripts/bench.sh; then
	if [ -z "$(ls -A "$T/results/standin" 2>/dev/null)" ]; then echo "ok - connection dropped mid-run: no run folder, no partial one"
	else echo "not ok - connection dropped mid-run: left $(ls -A "$T/results/standin")"; fails=$((fails + 1)); fi
fi
expect "connection dropped mid-run: the board is up and did not reboot, said" fail 'the board is up and did not reboot' \
	"$T/with-conn.sh" scripts/remote/exec.sh "$T/bin/gmbench" --benchmark_out="$T/o.json" --state-out="$T/s.json"
touch "$T/reboot-run"
expect "the board rebooted mid-run (a new boot id): said as a reboot, nothing kept" fail 'rebooted while gmbench ran (its boot id changed' \
	"$T/with-conn.sh" scripts/remote/exec.sh "$T/bin/gmbench" --benchmark_out="$T/o.json" --state-out="$T/s.json"
rm -f "$T/reboot-run" "$T/fake-boot"
touch "$T/silent-run"
expect "the board goes silent mid-run: said, after GM_REMOTE_REBOOT_WAIT" fail 'has not answered for [0-9]* s since' \
	"$T/with-conn.sh" env GM_REMOTE_REBOOT_WAIT=2 scripts/remote/exec.sh "$T/bin/gmbench" --benchmark_out="$T/o.json" --state-out="$T/s.json"
rm -f "$T/drop-run" "$T/silent-run"
[ ! -f "$T/o.json" ] && [ ! -f "$T/s.json" ] && echo "ok - lost runs keep no output here" ||
	{ echo "not ok - a lost run left $T/o.json or $T/s.json"; fails=$((fails + 1)); }
sshd_stop
sshd_start a "$port" || { echo "not ok - remote: the sshd does not restart after the silent board"; exit 1; }

# GOVERNOR= on the board: set there before the run, restored there after (a made-up
# sysfs, passed to the board's scripts/governor.sh with GM_REMOTE_ENV_EXTRA)
g=$T/sys/devices/system/cpu/cpu0/cpufreq
mkdir -p "$g" && echo ondemand >"$g/scaling_governor" && echo "ondemand performance" >"$g/scaling_available_governors"
out=$("$T/with-conn.sh" env BIN="$T/bin/gmbench" GM="$O/host/bin/gm" ARCH=amd64 RUN="" GOVERNOR=performance \
	GM_SYSFS="$T/sys" GM_REMOTE_ENV_EXTRA=GM_SYSFS GM_EXEC="$PWD/scripts/remote/exec.sh" GM_HOSTID=standin \
	RESULTS="$T/results" QUICK=1 scripts/bench.sh 2>&1)
if printf '%s\n' "$out" | grep -q 'governor: CPU 0: ondemand -> performance' && [ "$(cat "$T/gov-during" 2>/dev/null)" = performance ] &&
	[ "$(cat "$g/scaling_governor")" = ondemand ] && printf '%s\n' "$out" | grep -q 'governor: CPU 0: back to ondemand'; then
	echo "ok - GOVERNOR= with HOST=: set on the board for the run, restored there after"
else
	echo "not ok - GOVERNOR= with HOST=: during '$(cat "$T/gov-during" 2>/dev/null)', after '$(cat "$g/scaling_governor")': $(printf '%s\n' "$out" | tail -n 4 | tr '\n' '|')"
	fails=$((fails + 1))
fi
chmod 444 "$g/scaling_governor"
if [ "$(id -u)" != 0 ]; then
	expect "GOVERNOR= on a board whose login may not write it: the fix named" fail 'needs root .*HOST=root@' \
		"$T/with-conn.sh" env GM_GOVERNOR_ROOT_HINT="log in to the board as root (HOST=root@x)" GM_SYSFS="$T/sys" \
		GM_REMOTE_ENV_EXTRA="GM_SYSFS GM_GOVERNOR_ROOT_HINT" scripts/remote/exec.sh scripts/governor.sh set performance 0 "$T/gov-save"
fi
rm -rf "$T/sys" "$T/gov-during"

# host key changed: the same address answers with another key
sshd_stop
sshd_start b "$port" || { echo "not ok - remote: the sshd with key b does not start"; exit 1; }
expect "host key changed: refused, with the ssh-keygen -R line" fail "host key of .* changed .*ssh-keygen -R '\[127.0.0.1\]:$port'" runner probe
sshd_stop
sshd_start a "$port" || { echo "not ok - remote: the sshd with key a does not restart"; exit 1; }

# end to end: the real gmbench, one benchmark, filed under results/<the board's id>/
# a dead run's folder, with the governor it set and could not put back (CPU 9999: no such
# CPU, so putting it back fails visibly and nothing on this machine changes)
left=$REMOTE_DIR/run-$(hostname | tr -d '\n' | tr -c 'A-Za-z0-9.-' '-')-999999999-left
mkdir -p "$left" && echo "9999 ondemand" >"$left/governor.save"
if expect "make bench QUICK=1 HOST= end to end (this machine as the board)" 0 'bench: results in' \
	$MAKE --no-print-directory bench HOST="$HOST" QUICK=1 REPS=1 FILTER='^cgocall/asmcgocall/static$' RESULTS="$T/e2e" O="$O"; then
	run=$(ls -d "$T/e2e"/*/2* 2>/dev/null | head -n 1)
	miss=""
	for f in bench.json machine.json summary.txt console.txt; do [ -s "$run/$f" ] || miss="$miss $f"; done
	if [ -n "$run" ] && [ -z "$miss" ] && [ -z "$(ls -A "$T/e2e"/*/ | grep '^\.partial')" ]; then
		echo "ok - the run folder came back whole: bench.json, machine.json (taken on the board), summary.txt"
	else echo "not ok - the run folder: ${run:-none}, missing:$miss"; fails=$((fails + 1)); fi
	id=$(basename "$(dirname "$run")")
	if grep -q "\"gm_host_id\": \"$id\"" "$run/bench.json" 2>/dev/null; then
		echo "ok - gmbench on the board saw the environment it reads (gm_host_id $id in bench.json)"
	else echo "not ok - gm_host_id $id not in the board's bench.json (GM_ variables not passed over ssh)"; fails=$((fails + 1)); fi
	if grep -q "left governors set (9999 ondemand ); putting them back" "$T/last.out" &&
		grep -q "could not put CPU 9999 back to 'ondemand'" "$T/last.out"; then
		echo "ok - a dead run's saved governors are put back on the board before its folder goes"
	else echo "not ok - a dead run's governor.save was not replayed: $(grep -i governor "$T/last.out" | tr '\n' '|')"; fails=$((fails + 1)); fi
	left=$(ls -A "$REMOTE_DIR")
	if [ -z "$left" ]; then echo "ok - the board keeps nothing: this run's folder and an earlier dead run's removed"
	else echo "not ok - left on the board: $left"; fails=$((fails + 1)); fi
fi
# PEERS=1 (the gmbench just built, one benchmark): the real-Go test binary (a stand-in
# here) runs on the board, pinned there to gmbench's CPU, its output read here
cat >"$T/bin/gopeers.test" <<EOF
#!/bin/sh
echo "\$0" >"$T/gopeers-ran"
echo "BenchmarkCgoCall 	 1000000	        61.5 ns/op"
echo PASS
EOF
chmod 755 "$T/bin/gopeers.test"
rm -f "$T/taskset-args"
cpu=$("$O/amd64/bin/gmbench" --list-cpus | awk -F'\t' '/\tdefault/ { sub(/^cpu /, "", $1); print $1 }')
out=$("$T/with-conn.sh" env BIN="$O/amd64/bin/gmbench" GM="$O/host/bin/gm" ARCH=amd64 RUN="" PEERS=1 REPS=1 PEERS_GO_TEST="$T/bin/gopeers.test" \
	GM_EXEC="$PWD/scripts/remote/exec.sh" GM_HOSTID=standin RESULTS="$T/results" QUICK=1 FILTER='^cgocall/asmcgocall/static$|^peer/cgocall/go$' scripts/bench.sh 2>&1)
ran=$(cat "$T/gopeers-ran" 2>/dev/null)
case $ran in
"$REMOTE_DIR"-conn/*/abs/*/gopeers.test) if grep -q "^-c $cpu .*/abs/.*/gopeers.test -test.run" "$T/taskset-args" 2>/dev/null; then
		echo "ok - PEERS=1 with HOST=: the Go test binary copied to the board, run there pinned to gmbench's CPU"
	else echo "not ok - PEERS=1 with HOST=: not pinned on the board (taskset there: '$(cat "$T/taskset-args" 2>/dev/null)')"; fails=$((fails + 1)); fi ;;
*) echo "not ok - PEERS=1 with HOST=: the Go test binary ran at '$ran', not on the board: $(printf '%s\n' "$out" | tail -n 3 | tr '\n' '|')"; fails=$((fails + 1)) ;;
esac
if grep -q '61.5 ns/op' "$(ls -d "$T/results/standin"/2* | tail -n 1)/go-bench.txt" 2>/dev/null; then
	echo "ok - PEERS=1 with HOST=: the board's go test output is in the run folder (go-bench.txt)"
else echo "not ok - PEERS=1 with HOST=: no go-bench.txt with the board's output: $(printf '%s\n' "$out" | tail -n 3 | tr '\n' '|')"; fails=$((fails + 1)); fi
rm -f "$T/gopeers-ran" "$T/taskset-args"

[ "$fails" = 0 ]
