# tests/remote/sshd.sh — a throwaway sshd on 127.0.0.1 for the remote runner's tests
# (sourced by tests/remote/run.sh; POSIX sh).  Its own host keys, user keys, config and
# known_hosts under $T; it runs as the current user, in the foreground, as our child.
#
#   sshd_setup T        keys (host A and B, user good and bad) and fake tools in T/fakebin
#   sshd_start KEY [PORT]  start with host key KEY (a or b) on PORT or a free port: sets
#                       port, sshd_pid
#   sshd_stop           stop it (by its pid)
#
# The board's PATH starts with T/fakebin (sshd's SetEnv): uname, df and tar there act
# like the real ones unless a flag file in T says otherwise (fake-uname: uname -m prints
# its content; fake-elf: od reads that ELF class and machine; fake-df: df reports 1 MiB
# free; drop-tar: tar -x drops the connection; fake-boot: the boot id cat reads;
# taskset-args: what taskset was called with).

sshd_setup() {
	T=$1
	mkdir -p "$T/fakebin"
	for k in host-a host-b user bad; do
		ssh-keygen -q -t ed25519 -N '' -C "gmbench-test-$k" -f "$T/$k" || return 1
	done
	cp "$T/user.pub" "$T/authorized_keys"
	cat >"$T/fakebin/uname" <<EOF
#!/bin/sh
if [ -f "$T/fake-uname" ] && [ "\$1" = -m ]; then cat "$T/fake-uname"; else exec /bin/uname "\$@"; fi
EOF
	cat >"$T/fakebin/df" <<EOF
#!/bin/sh
if [ -f "$T/fake-df" ]; then
	echo "Filesystem 1024-blocks Used Available Capacity Mounted on"
	echo "/dev/fake 2048 1024 1024 50% /"
else exec /bin/df "\$@"; fi
EOF
	# drop-tar: the connection's sshd process (our child's child) is killed mid-copy
	cat >"$T/fakebin/tar" <<EOF
#!/bin/sh
case " \$* " in
*" -xf - "*) if [ -f "$T/drop-tar" ]; then head -c 4096 >/dev/null; kill -9 \$(ps -o ppid= -p \$PPID); sleep 5; fi ;;
esac
exec /bin/tar "\$@"
EOF
	# fake-elf holds "CLASS MACHINE": what od reads from /bin/sh's ELF header
	cat >"$T/fakebin/od" <<EOF
#!/bin/sh
if [ -f "$T/fake-elf" ]; then
	case " \$* " in *" -j4 "*) cut -d' ' -f1 "$T/fake-elf" ;; *" -j18 "*) cut -d' ' -f2 "$T/fake-elf" ;; esac
else exec /usr/bin/od "\$@"; fi
EOF
	# fake-boot holds the boot id the board reports (a reboot, for the runner)
	cat >"$T/fakebin/cat" <<EOF
#!/bin/sh
if [ "\$*" = /proc/sys/kernel/random/boot_id ] && [ -f "$T/fake-boot" ]; then exec /bin/cat "$T/fake-boot"; fi
exec /bin/cat "\$@"
EOF
	# taskset: records how it was called (the runner pins on the board, not here)
	cat >"$T/fakebin/taskset" <<EOF
#!/bin/sh
echo "\$*" >>"$T/taskset-args"
exec /usr/bin/taskset "\$@"
EOF
	chmod 755 "$T/fakebin/uname" "$T/fakebin/df" "$T/fakebin/tar" "$T/fakebin/od" "$T/fakebin/cat" "$T/fakebin/taskset"
}

sshd_start() { # a|b [PORT]
	[ "$(id -u)" = 0 ] && mkdir -p /run/sshd
	tries=0
	while [ $tries -lt 8 ]; do
		tries=$((tries + 1))
		port=${2:-$(( 20000 + ($$ * 7 + tries * 7919 + $(date +%N | sed 's/^0*//;s/^$/0/') ) % 40000 ))}
		cat >"$T/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $T/host-$1
PidFile $T/sshd.pid
AuthorizedKeysFile $T/authorized_keys
StrictModes no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin prohibit-password
SetEnv PATH=$T/fakebin:/usr/local/bin:/usr/bin:/bin
LogLevel ERROR
# scp (OpenSSH 9 speaks SFTP underneath), as a board's own sshd has it: LAVA's ssh deploy copies with it
Subsystem sftp internal-sftp
EOF
		/usr/sbin/sshd -D -e -f "$T/sshd_config" 2>>"$T/sshd.log" &
		sshd_pid=$!
		n=0
		while [ $n -lt 50 ]; do
			kill -0 "$sshd_pid" 2>/dev/null || break
			# listening: a TCP connect answers
			if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then return 0; fi
			sleep 0.1; n=$((n + 1))
		done
		kill "$sshd_pid" 2>/dev/null; wait "$sshd_pid" 2>/dev/null
	done
	return 1
}

sshd_stop() {
	[ -n "${sshd_pid:-}" ] || return 0
	kill "$sshd_pid" 2>/dev/null; wait "$sshd_pid" 2>/dev/null
	sshd_pid=""
}
